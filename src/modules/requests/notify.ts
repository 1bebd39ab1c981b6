import type { AnyDB } from '../../core/db/index.ts';
import type { Ctx } from '../../core/service.ts';
import { queueMail, queueMails } from '../../core/mail/index.ts';
import { tr, parseTranslated, type Locale, type T, type Translated } from '../../core/i18n/index.ts';
import { rq } from './repo.ts';
import * as repo from './repo.ts';

const link = (ctx: Ctx, locale: string, path: string) => `${ctx.config.baseUrl}/${locale}${path}`;

interface RequestRef { id: number; reference: string; category_id: number }

async function categoryNames(trx: AnyDB, ctx: Ctx, categoryId: number): Promise<Translated> {
  const c = await repo.findCategory(rq(trx), ctx.commune.id, { id: categoryId });
  return c ? parseTranslated(c.name) : {};
}

/** A follower's mail: its text with the footer (the link that stops such mail, the signature), and that link for List-Unsubscribe. */
function followerMail(t: T, ctx: Ctx, locale: string, token: string, text: string): { text: string; unsubscribe: string } {
  const unsubscribe = link(ctx, locale, `/requests/unsubscribe/${token}`);
  return { text: `${text}\n\n--\n${t('requests.mail.unsubscribe', { link: unsubscribe })}\n${t('requests.mail.signature', { commune: tr(ctx.commune.name, locale as Locale) })}`, unsubscribe };
}

/** To the reporter who gave an email: the reference, the tracking code and its link. */
export async function mailSubmitted(trx: AnyDB, ctx: Ctx, r: { reference: string; categoryName: Translated }, to: { email: string; locale: string; token: string }, trackingCode: string) {
  const t = ctx.tFor(to.locale);
  const loc = to.locale as Locale;
  await queueMail(trx, {
    communeId: ctx.commune.id, to: to.email, at: ctx.clock.now(),
    subject: t('requests.mail.submittedSubject', { reference: r.reference }),
    ...followerMail(t, ctx, to.locale, to.token, t('requests.mail.submittedBody', {
      reference: r.reference, category: tr(r.categoryName, loc), code: trackingCode,
      link: link(ctx, to.locale, `/requests/${r.reference}`), track: link(ctx, to.locale, `/requests/track/${trackingCode}`),
    })),
  });
}

/** Asks someone who followed by email to confirm it (nothing is sent to an unconfirmed address again). */
export async function mailConfirmFollow(trx: AnyDB, ctx: Ctx, r: RequestRef, to: { email: string; locale: string; token: string }) {
  const t = ctx.tFor(to.locale);
  await queueMail(trx, {
    communeId: ctx.commune.id, to: to.email, at: ctx.clock.now(),
    subject: t('requests.mail.confirmSubject', { reference: r.reference }),
    ...followerMail(t, ctx, to.locale, to.token, t('requests.mail.confirmBody', { reference: r.reference, link: link(ctx, to.locale, `/requests/follow/${to.token}`) })),
  });
}

export interface PublicChange {
  kind: string;
  /** The public text that came with the change (a resolution note, a referral, a ruling). */
  note?: string | null;
  /** Another request's reference (merged into, merged from). */
  other?: string;
  status?: string;
}

/**
 * Every public change reaches the confirmed followers (the reporter among them), except the
 * person who made it. Called inside the change's transaction: no change, no mail.
 */
export async function notifyFollowers(trx: AnyDB, ctx: Ctx, r: RequestRef, change: PublicChange, opts: { skipReporter?: boolean; skipEmail?: string } = {}) {
  const skip = opts.skipEmail?.trim().toLowerCase();
  const followers = (await repo.confirmedFollowers(rq(trx), ctx.commune.id, r.id))
    .filter((f) => !(opts.skipReporter && f.is_reporter) && !(skip && f.email_normalized === skip));
  if (!followers.length) return;
  // One read of the category and one insert, however many followers.
  const category = await categoryNames(trx, ctx, r.category_id);
  await queueMails(trx, followers.map((f) => {
    const t = ctx.tFor(f.locale);
    const what = t(`requests.mail.change.${change.kind}`, { other: change.other ?? '', status: change.status ? t(`requests.status.${change.status}`) : '' });
    return {
      communeId: ctx.commune.id, to: f.email, at: ctx.clock.now(),
      subject: t('requests.mail.changeSubject', { reference: r.reference, what }),
      ...followerMail(t, ctx, f.locale, f.token, t('requests.mail.changeBody', {
        reference: r.reference, category: tr(category, f.locale as Locale), what,
        link: link(ctx, f.locale, `/requests/${r.reference}`),
      }) + (change.note ? `\n\n${change.note}` : '')),
    };
  }));
}

/** To the head of a department or operator: the requests past their deadline, once each. */
export async function mailEscalation(trx: AnyDB, ctx: Ctx, to: { email: string; locale: string }, items: { reference: string; due_on: string }[]) {
  const t = ctx.tFor(to.locale);
  const lines = items.map((i) => `- ${i.reference} (${t('requests.mail.dueOn', { date: i.due_on })}): ${link(ctx, to.locale, `/admin/requests/${i.reference}`)}`).join('\n');
  await queueMail(trx, {
    communeId: ctx.commune.id, to: to.email, at: ctx.clock.now(),
    subject: t('requests.mail.escalationSubject', { count: items.length }),
    text: `${t('requests.mail.escalationBody', { count: items.length })}\n\n${lines}\n\n--\n${t('requests.mail.signature', { commune: tr(ctx.commune.name, to.locale as Locale) })}`,
  });
}
