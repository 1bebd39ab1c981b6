import { z } from 'zod';
import { mutate, authorize, versionedRead, type Ctx } from '../../../core/service.ts';
import { NotFoundError, RuleError, ValidationError, ForbiddenError, type FieldErrors } from '../../../core/http/errors.ts';
import { fieldErrors, optionalText, checkbox, text } from '../../../core/http/forms.ts';
import { parseTranslated, tr, type Translated, type Locale } from '../../../core/i18n/index.ts';
import { lockCommune, type AnyDB } from '../../../core/db/index.ts';
import { loadHolidays, localDay } from '../../../core/clock/working-days.ts';
import { iso } from '../../../core/clock/index.ts';
import { randomToken, sha256 } from '../../../core/auth/passwords.ts';
import { can } from '../../../core/auth/roles.ts';
import { checkFile, writeFile, DOCUMENT_KINDS, type Upload, type PreparedFile } from '../../../core/files/index.ts';
import { enqueueJob } from '../../../core/jobs/index.ts';
import { queueMail } from '../../../core/mail/index.ts';
import { iq, type InfoDB, type FullRow, type ListFilters } from './repo.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { indexInformation } from './search.ts';
import { CHANNELS, FORMS, ANSWER_OUTCOMES, REDRESS_OUTCOMES, type Channel } from './schema.ts';
import groundsReference from './grounds.json' with { type: 'json' };
import { publishedDocument } from '../documents/api.ts';
import { getPublicDocument } from '../documents/service.ts';

export const MAX_QUESTION = 4000;
export const MAX_ANSWER = 20_000;
export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEADLINE_JOB = 'information.deadline';

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v));
const optionalEmail = () => z.preprocess((v) => str(v).trim(), z.string().max(254).refine((s) => s === '' || z.email().safeParse(s).success, { error: 'errors.email' }));
const optionalPhone = () => z.preprocess((v) => str(v).trim(), z.string().max(30).refine((s) => s === '' || /^\+?[0-9 ().-]{6,25}$/.test(s), { error: 'errors.format' }));
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' })
  .refine((s) => (values as readonly string[]).includes(s), { error: 'errors.choice' }));

// ---------- References, tracking links, the day ----------

/** `TET-AI-2026-000123`: the commune's three letters, AI for "accès à l'information", the year, a sequence. */
export function formatReference(communeSlug: string, year: number, seq: number): string {
  const letters = communeSlug.normalize('NFD').replace(/[^a-zA-Z]/g, '').toUpperCase();
  return `${(letters.slice(0, 3) || 'COM').padEnd(3, 'X')}-AI-${year}-${String(seq).padStart(6, '0')}`;
}
export const REFERENCE_RE = /^[A-Z]{3}-AI-\d{4}-\d{6,}$/;
export const normalizeReference = (s: string) => s.trim().toUpperCase();
/** The tracking link's secret: 192 bits, only its hash is stored. */
export const trackingHash = (token: string) => sha256(`information-tracking:${token}`);
export const TOKEN_RE = /^[A-Za-z0-9_-]{20,64}$/;

export const today = (ctx: { clock: Ctx['clock'] }) => localDay(ctx.clock.now());

/** The commune's holidays from a year before `from` to two years after: every clock of a file fits. */
export function holidaysFrom(ctx: { db: AnyDB; commune: Ctx['commune'] }, from: string): Promise<ReadonlySet<string>> {
  const y = Number(from.slice(0, 4));
  // Read on every page of a request: kept until the commune's data (its holidays among them) changes.
  return versionedRead(ctx, `information|holidays|${y}`, () => loadHolidays(ctx.db, ctx.commune.id, `${y - 1}-01-01`, `${y + 2}-12-31`));
}

export function clockState(r: Pick<FullRow, 'status' | 'outcome' | 'urgent' | 'received_on' | 'due_on' | 'extended' | 'clarification_on' | 'answered_on' | 'complaint_on' | 'complaint_answered_on' | 'cdai_on' | 'cdai_decided_on'>): rules.ClockState {
  return {
    status: r.status, outcome: r.outcome, urgent: !!r.urgent, receivedOn: r.received_on, dueOn: r.due_on, extended: !!r.extended,
    clarificationOn: r.clarification_on, answeredOn: r.answered_on, complaintOn: r.complaint_on, complaintAnsweredOn: r.complaint_answered_on,
    cdaiOn: r.cdai_on, cdaiDecidedOn: r.cdai_decided_on,
  };
}

// ---------- Mail to the requester, in their language ----------

const link = (ctx: Ctx, locale: string, path: string) => `${ctx.config.baseUrl}/${locale}${path}`;

async function mailRequester(trx: AnyDB, ctx: Ctx, r: { reference: string; requester_email: string | null; requester_locale: string }, kind: string, token: string | null, params: Record<string, unknown> = {}) {
  if (!r.requester_email) return;
  const t = ctx.tFor(r.requester_locale);
  const loc = r.requester_locale as Locale;
  const track = token ? link(ctx, r.requester_locale, `/information/track/${token}`) : link(ctx, r.requester_locale, `/information/${r.reference}`);
  await queueMail(trx, {
    communeId: ctx.commune.id, to: r.requester_email,
    subject: t(`information.mail.${kind}Subject`, { reference: r.reference }),
    text: `${t(`information.mail.${kind}Body`, { reference: r.reference, ...params })}\n\n${t('information.mail.follow', { link: track })}\n\n--\n${t('information.mail.signature', { commune: tr(ctx.commune.name, loc) })}`,
  });
}

async function mailStaff(trx: AnyDB, ctx: Ctx, roles: string[], kind: 'near' | 'late', r: { reference: string; due_on: string | null }) {
  for (const u of await repo.usersWithRoles(iq(trx), ctx.commune.id, roles)) {
    const t = ctx.tFor(u.locale);
    await queueMail(trx, {
      communeId: ctx.commune.id, to: u.email,
      subject: t(`information.mail.${kind}Subject`, { reference: r.reference }),
      text: `${t(`information.mail.${kind}Body`, { reference: r.reference, due: r.due_on ?? '' })}\n${link(ctx, u.locale, `/admin/information/${r.reference}`)}`,
    });
  }
}

// ---------- Events and deadline jobs ----------

async function addEvent(db: InfoDB, ctx: Ctx, requestId: number, kind: string, isPublic: boolean, e: { body?: string | null; data?: Record<string, unknown>; at?: string } = {}) {
  await db.insertInto('info_events').values({
    commune_id: ctx.commune.id, request_id: requestId, at: e.at ?? iso(ctx.clock.now()), kind, public: isPublic ? 1 : 0,
    actor_id: ctx.actor?.userId || null, body: e.body ?? null, data: JSON.stringify(e.data ?? {}),
  }).execute();
}

/** Queues the checks of an open request's deadline: the day it comes near, and the day after it. Stale ones do nothing. */
async function scheduleDeadline(trx: AnyDB, ctx: Ctx, r: { reference: string; due_on: string; received_on: string; urgent: number }, holidays: rules.Holidays) {
  const near = rules.nearDay(r.due_on, r.received_on, !!r.urgent, holidays);
  const after = rules.plusCalendarDays(r.due_on, 1);
  for (const [step, day] of [['near', near], ['late', after]] as const) {
    await enqueueJob(trx, {
      communeId: ctx.commune.id, kind: DEADLINE_JOB, key: `${r.reference}:${r.due_on}:${step}`, payload: { reference: r.reference, due: r.due_on },
      at: ctx.clock.now(), runAt: new Date(`${day}T00:00:00Z`),
    });
  }
}

/**
 * The deadline job: an open request near its deadline is flagged and its officers told; past it, it is escalated
 * (officers and administrators told), each once. Safe to run twice, and against a deadline moved since.
 */
export async function checkDeadline(ctx: Ctx, payload: Record<string, unknown>): Promise<string> {
  const reference = String(payload.reference ?? '');
  const r = await repo.findFull(iq(ctx.db), ctx.commune.id, { reference });
  if (!r || r.status !== 'open' || !r.due_on || !r.received_on || r.due_on !== payload.due) return 'stale';
  const day = today(ctx);
  const flag = rules.deadlineFlag(r.due_on, day, !!r.urgent, await holidaysFrom(ctx, r.received_on));
  if (flag === 'late' && !r.escalated_at) {
    return mutate(ctx, { permission: 'information.escalate', action: 'information.escalate', entity: 'info_request' }, async (trx) => {
      const at = iso(ctx.clock.now());
      await iq(trx).updateTable('info_requests').set({ escalated_at: at, flagged_at: r.flagged_at ?? at }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
      await addEvent(iq(trx), ctx, r.id, 'escalated', false, { data: { due: r.due_on } });
      await mailStaff(trx, ctx, ['information_officer', 'admin'], 'late', r);
      return { result: 'late', entityId: reference, after: { escalated: true, due: r.due_on } };
    });
  }
  if (flag === 'near' && !r.flagged_at) {
    return mutate(ctx, { permission: 'information.escalate', action: 'information.flag', entity: 'info_request' }, async (trx) => {
      await iq(trx).updateTable('info_requests').set({ flagged_at: iso(ctx.clock.now()) }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
      await addEvent(iq(trx), ctx, r.id, 'flagged', false, { data: { due: r.due_on } });
      await mailStaff(trx, ctx, ['information_officer'], 'near', r);
      return { result: 'near', entityId: reference, after: { flagged: true, due: r.due_on } };
    });
  }
  return flag;
}

// ---------- Submitting ----------

export const requestSchema = z.object({
  question: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).min(10).max(MAX_QUESTION)),
  answer_form: choice(FORMS),
  name: text(120),
  email: optionalEmail(),
  phone: optionalPhone(),
  address: optionalText(300),
  urgent: checkbox(),
  urgent_reason: optionalText(1000),
});

export interface Submitted { id: number; reference: string; token: string; status: string }
export interface SubmitOptions { channel: Channel; sample?: boolean; at?: Date }

/**
 * The one way a request enters: from the web (signed in: received at once; otherwise once its email is confirmed by
 * the link mailed to it) or entered by a counter agent for a citizen at the desk or on the phone. Returns the
 * reference and the tracking link's secret (shown once, mailed when there is an address).
 */
export async function submitRequest(ctx: Ctx, input: Record<string, unknown>, opts: SubmitOptions): Promise<Submitted> {
  const onBehalf = opts.channel !== 'web';
  if (onBehalf) authorize(ctx, 'information.file_for');
  const parsed = requestSchema.safeParse(input ?? {});
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  const d = parsed.success ? parsed.data : null;
  const signedIn = !onBehalf && !!ctx.actor && ctx.actor.userId > 0;
  // The checks across fields run on what was typed even when another field failed, so every message shows at once.
  const raw = (k: string) => str((input ?? {})[k]).trim();
  const email = d ? (d.email || (signedIn ? ctx.actor!.email : '')) : raw('email') || (signedIn ? ctx.actor!.email : '');
  const urgent = d ? d.urgent : raw('urgent') !== '' && raw('urgent') !== '0';
  if (urgent && !raw('urgent_reason') && !errors.urgent_reason) errors.urgent_reason = { key: 'information.errors.urgentReason' };
  if (!onBehalf && !signedIn && !opts.sample && !email && !errors.email) errors.email = { key: 'information.errors.emailToConfirm' };
  if (raw('answer_form') === 'copy_mail' && !raw('address') && !errors.address) errors.address = { key: 'information.errors.address' };
  if (raw('answer_form') === 'electronic' && !email && !opts.sample && !errors.email) errors.email = { key: 'information.errors.emailForElectronic' };
  if (Object.keys(errors).length || !d) throw new ValidationError(errors);
  const now = opts.at ?? ctx.clock.now();
  const day = localDay(now);
  // Demo and synthetic requests from the web are taken as confirmed.
  const confirmed = onBehalf || signedIn || !!opts.sample;
  const holidays = await holidaysFrom(ctx, day);
  const dueOn = confirmed ? rules.answerDue(day, d.urgent, holidays) : null;
  const token = randomToken(24);
  const actorId = ctx.actor?.userId || null;
  return mutate(ctx, { permission: onBehalf ? 'information.file_for' : null, action: 'information.submit', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await lockCommune(trx, ctx.commune.id);
    const year = Number(day.slice(0, 4));
    const seq = await repo.nextSeq(db, ctx.commune.id, year);
    const reference = formatReference(ctx.commune.slug, year, seq);
    const at = iso(now);
    const row = {
      commune_id: ctx.commune.id, reference, year, seq, tracking_hash: trackingHash(token), channel: opts.channel, question: d.question,
      answer_form: d.answer_form, urgent: d.urgent ? 1 : 0, urgent_reason: d.urgent ? d.urgent_reason : null,
      requester_name: d.name, requester_email: email || null, requester_phone: d.phone || null, requester_address: d.address || null,
      requester_locale: ctx.locale, requester_user_id: signedIn ? actorId : null, entered_by: onBehalf ? actorId : null,
      status: confirmed ? 'open' : 'unconfirmed', outcome: null, created_at: at, created_month: day.slice(0, 7),
      received_on: confirmed ? day : null, due_on: dueOn, extended: 0, extension_reason: null, clarification_on: null, clarification_question: null, paused_days: 0,
      answered_at: null, answered_on: null, answer_days: null, within_deadline: null, answer_text: null, public_answer: null, redaction_reason: null, document_url: null,
      ground_id: null, motivation: null, holder_body: null, complaint_on: null, complaint_text: null, complaint_answer: null, complaint_answered_on: null, complaint_outcome: null,
      cdai_on: null, cdai_decision: null, cdai_decided_on: null, cdai_outcome: null, flagged_at: null, escalated_at: null, hidden: 0, hidden_reason: null,
      updated_at: at, sample: opts.sample ? 1 : 0,
    };
    const { id } = await db.insertInto('info_requests').values(row).returning('id').executeTakeFirstOrThrow();
    await addEvent(db, ctx, id, confirmed ? 'received' : 'submitted', confirmed, { data: { channel: opts.channel, due: dueOn, urgent: d.urgent }, at });
    if (confirmed) {
      await scheduleDeadline(trx, ctx, { reference, due_on: dueOn!, received_on: day, urgent: row.urgent }, holidays);
      await indexInformation(trx, ctx.commune.id, id);
      await mailRequester(trx, ctx, row, 'received', token, { due: dueOn });
    } else {
      await mailRequester(trx, ctx, row, 'confirm', token);
    }
    return {
      result: { id, reference, token, status: row.status }, entityId: reference,
      // Never personal data in the audit trail.
      after: { reference, channel: opts.channel, urgent: d.urgent, form: d.answer_form, dueOn, status: row.status },
    };
  });
}

/** The counter: a request entered for a citizen, at the desk (`counter`) or on the phone (`phone`). */
export async function submitOnBehalf(ctx: Ctx, input: Record<string, unknown>): Promise<Submitted> {
  authorize(ctx, 'information.file_for');
  const channel = input?.channel === 'phone' ? 'phone' : input?.channel === 'counter' ? 'counter' : null;
  if (!channel) throw new ValidationError({ channel: { key: 'errors.required' } });
  return submitRequest(ctx, input, { channel });
}

// ---------- Who acts on a file: the requester by the tracking link, or staff ----------

export type Key = { token: string } | { reference: string };

async function loadByKey(ctx: Ctx, key: Key, staffPermission: string): Promise<{ r: FullRow; byRequester: boolean }> {
  const db = iq(ctx.db);
  if ('token' in key) {
    if (!TOKEN_RE.test(key.token)) throw new NotFoundError();
    const r = await repo.findFull(db, ctx.commune.id, { trackingHash: trackingHash(key.token) });
    if (!r) throw new NotFoundError();
    return { r, byRequester: true };
  }
  authorize(ctx, staffPermission);
  const r = await repo.findFull(db, ctx.commune.id, { reference: normalizeReference(key.reference) });
  if (!r) throw new NotFoundError();
  return { r, byRequester: false };
}

function update(db: InfoDB, ctx: Ctx, id: number, set: Partial<FullRow>) {
  return db.updateTable('info_requests').set({ ...set, updated_at: iso(ctx.clock.now()) }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
}

/** The requester confirms the email of a request sent without an account: it is received, and its clock starts. */
export async function confirmRequest(ctx: Ctx, token: string): Promise<string> {
  const { r } = await loadByKey(ctx, { token }, 'information.file_for');
  if (r.status !== 'unconfirmed') return r.reference;
  const day = today(ctx);
  const holidays = await holidaysFrom(ctx, day);
  const due = rules.answerDue(day, !!r.urgent, holidays);
  return mutate(ctx, { permission: null, action: 'information.confirm', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await update(db, ctx, r.id, { status: 'open', received_on: day, due_on: due });
    await addEvent(db, ctx, r.id, 'received', true, { data: { channel: r.channel, due, urgent: !!r.urgent } });
    await scheduleDeadline(trx, ctx, { reference: r.reference, due_on: due, received_on: day, urgent: r.urgent }, holidays);
    await indexInformation(trx, ctx.commune.id, r.id);
    await mailRequester(trx, ctx, r, 'received', token, { due });
    return { result: r.reference, entityId: r.reference, after: { status: 'open', dueOn: due } };
  });
}

const reasonSchema = (name: string, max = 2000) => z.object({ [name]: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(max)) });
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const p = schema.safeParse(input ?? {});
  if (!p.success) throw new ValidationError(fieldErrors(p.error));
  return p.data;
}

async function staffRow(ctx: Ctx, reference: string, permission = 'information.handle'): Promise<FullRow> {
  authorize(ctx, permission);
  const r = await repo.findFull(iq(ctx.db), ctx.commune.id, { reference: normalizeReference(reference) });
  if (!r) throw new NotFoundError();
  return r;
}

/** The one extension the law allows, with its reason (given to the requester). */
export async function extend(ctx: Ctx, reference: string, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const { reason } = parse(reasonSchema('reason'), input) as { reason: string };
  if (r.status !== 'open' || !r.due_on || !r.received_on) throw new RuleError('information.errors.notOpen');
  if (r.extended) throw new RuleError('information.errors.alreadyExtended');
  const holidays = await holidaysFrom(ctx, r.received_on);
  const due = rules.extendedDue(r.due_on, !!r.urgent, holidays);
  await mutate(ctx, { permission: 'information.handle', action: 'information.extend', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await update(db, ctx, r.id, { extended: 1, extension_reason: reason, due_on: due, flagged_at: null, escalated_at: null });
    await addEvent(db, ctx, r.id, 'extended', true, { body: reason, data: { from: r.due_on, due } });
    await scheduleDeadline(trx, ctx, { reference: r.reference, due_on: due, received_on: r.received_on!, urgent: r.urgent }, holidays);
    await mailRequester(trx, ctx, r, 'extended', null, { due, reason });
    return { result: undefined, entityId: r.reference, before: { dueOn: r.due_on }, after: { dueOn: due, extended: true } };
  });
}

/** The request is unclear: a question to the requester; the clock stops until they answer. */
export async function askClarification(ctx: Ctx, reference: string, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const { question } = parse(reasonSchema('question'), input) as { question: string };
  if (r.status !== 'open') throw new RuleError('information.errors.notOpen');
  await mutate(ctx, { permission: 'information.handle', action: 'information.clarification', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await update(db, ctx, r.id, { status: 'clarification', clarification_on: today(ctx), clarification_question: question });
    await addEvent(db, ctx, r.id, 'clarification', true, { body: question });
    await mailRequester(trx, ctx, r, 'clarification', null, { question });
    return { result: undefined, entityId: r.reference, after: { status: 'clarification' } };
  });
}

/** The requester's reply to a clarification (by the tracking link, or entered at the counter): the clock runs again. */
export async function replyClarification(ctx: Ctx, key: Key, input: unknown): Promise<string> {
  const { r, byRequester } = await loadByKey(ctx, key, 'information.file_for');
  const { reply } = parse(reasonSchema('reply', MAX_QUESTION), input) as { reply: string };
  if (r.status !== 'clarification' || !r.clarification_on || !r.due_on || !r.received_on) throw new RuleError('information.errors.noClarification');
  const day = today(ctx);
  const holidays = await holidaysFrom(ctx, r.received_on);
  const due = rules.resumedDue(r.due_on, r.clarification_on, day, holidays);
  const paused = r.paused_days + rules.pausedDays(r.clarification_on, day, holidays);
  return mutate(ctx, { permission: byRequester ? null : 'information.file_for', action: 'information.clarified', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await update(db, ctx, r.id, { status: 'open', clarification_on: null, due_on: due, paused_days: paused, flagged_at: null, escalated_at: null });
    // The reply is the requester's own words (it may name them): staff see it, the register shows that it came.
    await addEvent(db, ctx, r.id, 'clarification_reply', false, { body: reply });
    await addEvent(db, ctx, r.id, 'resumed', true, { data: { due } });
    await scheduleDeadline(trx, ctx, { reference: r.reference, due_on: due, received_on: r.received_on!, urgent: r.urgent }, holidays);
    return { result: r.reference, entityId: r.reference, before: { dueOn: r.due_on }, after: { status: 'open', dueOn: due, pausedDays: paused } };
  });
}

const URL_RE = /^(https?:\/\/[^\s<>"]{3,500}|\/[^\s<>"]{1,500}|[A-Z]{2,5}-\d{4}-\d{3,})$/;

export const answerSchema = z.object({
  outcome: choice(ANSWER_OUTCOMES),
  message: optionalText(MAX_ANSWER),
  ground: optionalText(80),
  motivation: optionalText(MAX_ANSWER),
  holder_body: optionalText(300),
  document_url: z.preprocess((v) => str(v).trim(), z.string().max(500).refine((s) => s === '' || URL_RE.test(s), { error: 'information.errors.url' })),
});

/** Checks the answer's attachments by content (a refusal names the `files` field). */
export function prepareFiles(uploads: Upload[] = []): PreparedFile[] {
  if (uploads.length > MAX_FILES) throw new RuleError('information.errors.tooManyFiles', { max: MAX_FILES }, 'files');
  return uploads.map((u) => checkFile(u, { allowed: DOCUMENT_KINDS, maxBytes: MAX_FILE_BYTES, field: 'files' }));
}

/**
 * The answer: information given (a message, attachments, a link to a published document), partly given or refused
 * (a legal ground of article 7 and a motivation), or not held (and who holds it). Closes the answer's clock.
 */
export async function answer(ctx: Ctx, reference: string, input: unknown, uploads: Upload[] = []): Promise<void> {
  const r = await staffRow(ctx, reference);
  const p = answerSchema.safeParse(input ?? {});
  const errors: FieldErrors = p.success ? {} : fieldErrors(p.error);
  const d = p.success ? p.data : null;
  let groundId: number | null = null;
  if (d) {
    const refusal = d.outcome === 'refused' || d.outcome === 'partial';
    if ((d.outcome === 'given' || d.outcome === 'partial') && !d.message && !uploads.length && !d.document_url) errors.message = { key: 'information.errors.answerEmpty' };
    if (d.outcome === 'not_held' && !d.message) errors.message = { key: 'errors.required' };
    if (refusal) {
      const ground = (await listGrounds(ctx)).find((g) => g.code === d.ground && g.active);
      if (!ground) errors.ground = { key: d.ground ? 'errors.choice' : 'errors.required' }; else groundId = ground.id;
      if (!d.motivation) errors.motivation = { key: 'errors.required' };
    }
  }
  // A link to a document of the commune's publication register (`/documents/DOC-2026-000012` or its reference) must
  // name a published one; it is stored as that document's own public path.
  let documentUrl = d?.document_url ?? '';
  const docRef = /^(?:\/documents\/)?([A-Z]{2,5}-\d{4}-\d{3,})$/.exec(documentUrl)?.[1];
  if (d && docRef) {
    const found = await getPublicDocument(ctx, docRef).then((x) => publishedDocument(ctx, x.doc.id)).catch(() => undefined);
    if (!found) errors.document_url = { key: 'information.errors.document' }; else documentUrl = found.path;
  }
  if (Object.keys(errors).length || !d) throw new ValidationError(errors);
  if (r.status !== 'open' && r.status !== 'clarification') throw new RuleError('information.errors.notOpen');
  const files = prepareFiles(uploads);
  const day = today(ctx);
  const holidays = await holidaysFrom(ctx, r.received_on ?? day);
  const paused = r.paused_days + (r.status === 'clarification' && r.clarification_on ? rules.pausedDays(r.clarification_on, day, holidays) : 0);
  const days = rules.answerDays(r.received_on ?? day, day, paused, holidays);
  const within = r.due_on ? (day <= r.due_on ? 1 : 0) : null;
  await mutate(ctx, { permission: 'information.handle', action: 'information.answer', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    const at = iso(ctx.clock.now());
    await update(db, ctx, r.id, {
      status: 'closed', outcome: d.outcome, answered_at: at, answered_on: day, answer_days: days, within_deadline: within, paused_days: paused, clarification_on: null,
      answer_text: d.message || null, document_url: documentUrl || null, ground_id: groundId, motivation: groundId ? d.motivation : null,
      holder_body: d.outcome === 'not_held' ? d.holder_body || null : null,
    });
    for (const f of files) {
      const stored = await writeFile(trx, ctx.config.dataDir, ctx.commune.id, f, ctx.actor?.userId || null);
      await db.insertInto('info_attachments').values({ commune_id: ctx.commune.id, request_id: r.id, file_id: stored.id, name: f.name, hidden: 0, hidden_reason: null, created_at: at }).execute();
    }
    await addEvent(db, ctx, r.id, 'answered', true, { data: { outcome: d.outcome, within: !!within, days } });
    await indexInformation(trx, ctx.commune.id, r.id);
    await mailRequester(trx, ctx, r, 'answered', null, { outcome: ctx.tFor(r.requester_locale)(`information.outcome.${d.outcome}`) });
    return { result: undefined, entityId: r.reference, after: { outcome: d.outcome, answeredOn: day, withinDeadline: !!within, days, files: files.length, ground: d.ground || null } };
  });
}

/** The requester withdraws the request (by the tracking link, or saying so at the counter). */
export async function withdraw(ctx: Ctx, key: Key): Promise<string> {
  const { r, byRequester } = await loadByKey(ctx, key, 'information.file_for');
  if (!['open', 'clarification', 'unconfirmed'].includes(r.status)) throw new RuleError('information.errors.notOpen');
  return mutate(ctx, { permission: byRequester ? null : 'information.file_for', action: 'information.withdraw', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    const at = iso(ctx.clock.now());
    // A withdrawal is no answer: no answer date (the feed and the time-to-answer leave it out).
    await update(db, ctx, r.id, { status: 'closed', outcome: 'withdrawn', answered_at: null, answered_on: null, clarification_on: null, updated_at: at });
    await addEvent(db, ctx, r.id, 'withdrawn', true);
    await indexInformation(trx, ctx.commune.id, r.id);
    return { result: r.reference, entityId: r.reference, after: { outcome: 'withdrawn' } };
  });
}

// ---------- Redress: the head of the commune, then the CDAI ----------

/** The requester complains to the head of the commune, within 20 working days after a refusal or a missed deadline. */
export async function complain(ctx: Ctx, key: Key, input: unknown): Promise<string> {
  const { r, byRequester } = await loadByKey(ctx, key, 'information.file_for');
  const { complaint } = parse(reasonSchema('complaint', MAX_QUESTION), input) as { complaint: string };
  const day = today(ctx);
  const holidays = await holidaysFrom(ctx, r.received_on ?? day);
  if (r.complaint_on) throw new RuleError('information.errors.alreadyComplained');
  if (!rules.mayComplain(clockState(r), day, holidays)) throw new RuleError('information.errors.cannotComplain');
  return mutate(ctx, { permission: byRequester ? null : 'information.file_for', action: 'information.complain', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    const due = rules.complaintAnswerDue(day, holidays);
    await update(db, ctx, r.id, { complaint_on: day, complaint_text: complaint });
    await addEvent(db, ctx, r.id, 'complaint', true, { data: { due } });
    await addEvent(db, ctx, r.id, 'complaint_text', false, { body: complaint });
    await mailRequester(trx, ctx, r, 'complaint', null, { due });
    return { result: r.reference, entityId: r.reference, after: { complaintOn: day, due } };
  });
}

export const redressSchema = z.object({ outcome: choice(REDRESS_OUTCOMES), decision: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(MAX_ANSWER)) });

/** The head of the commune's answer to the complaint, recorded by the officer. */
export async function answerComplaint(ctx: Ctx, reference: string, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const d = parse(redressSchema, input);
  if (!r.complaint_on || r.complaint_answered_on) throw new RuleError('information.errors.noComplaint');
  const day = today(ctx);
  await mutate(ctx, { permission: 'information.handle', action: 'information.complaint_answer', entity: 'info_request' }, async (trx) => {
    const db = iq(trx);
    await update(db, ctx, r.id, { complaint_answer: d.decision, complaint_answered_on: day, complaint_outcome: d.outcome });
    await addEvent(db, ctx, r.id, 'complaint_answered', true, { body: d.decision, data: { outcome: d.outcome } });
    await mailRequester(trx, ctx, r, 'complaintAnswered', null, { outcome: ctx.tFor(r.requester_locale)(`information.redress.${d.outcome}`) });
    return { result: undefined, entityId: r.reference, after: { complaintOutcome: d.outcome, on: day } };
  });
}

/** The requester went to the national commission (CDAI): recorded from the tracking link or by staff. */
export async function referToCdai(ctx: Ctx, key: Key): Promise<string> {
  const { r, byRequester } = await loadByKey(ctx, key, 'information.file_for');
  const day = today(ctx);
  const holidays = await holidaysFrom(ctx, r.received_on ?? day);
  if (r.cdai_on) throw new RuleError('information.errors.alreadyCdai');
  if (!rules.mayGoToCdai(clockState(r), day, holidays)) throw new RuleError('information.errors.cannotCdai');
  return mutate(ctx, { permission: byRequester ? null : 'information.file_for', action: 'information.cdai', entity: 'info_request' }, async (trx) => {
    await update(iq(trx), ctx, r.id, { cdai_on: day });
    await addEvent(iq(trx), ctx, r.id, 'cdai', true, { data: { due: rules.cdaiDecisionDue(day) } });
    return { result: r.reference, entityId: r.reference, after: { cdaiOn: day } };
  });
}

/** The CDAI's decision, recorded by the officer. */
export async function recordCdaiDecision(ctx: Ctx, reference: string, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const d = parse(redressSchema, input);
  if (!r.cdai_on || r.cdai_decided_on) throw new RuleError('information.errors.noCdai');
  const day = today(ctx);
  await mutate(ctx, { permission: 'information.handle', action: 'information.cdai_decision', entity: 'info_request' }, async (trx) => {
    await update(iq(trx), ctx, r.id, { cdai_decision: d.decision, cdai_decided_on: day, cdai_outcome: d.outcome });
    await addEvent(iq(trx), ctx, r.id, 'cdai_decided', true, { body: d.decision, data: { outcome: d.outcome } });
    await mailRequester(trx, ctx, r, 'cdaiDecided', null, { outcome: ctx.tFor(r.requester_locale)(`information.redress.${d.outcome}`) });
    return { result: undefined, entityId: r.reference, after: { cdaiOutcome: d.outcome, on: day } };
  });
}

// ---------- The register's moderation: redact, hide, never delete ----------

/** A public version of the answer with parts taken out, and why (the full answer stays in the file, for the requester and staff). */
export async function redactAnswer(ctx: Ctx, reference: string, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const d = parse(z.object({
    public_answer: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(MAX_ANSWER)),
    reason: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(1000)),
  }), input);
  if (r.status !== 'closed' || !r.answer_text) throw new RuleError('information.errors.nothingToRedact');
  await mutate(ctx, { permission: 'information.handle', action: 'information.redact', entity: 'info_request' }, async (trx) => {
    await update(iq(trx), ctx, r.id, { public_answer: d.public_answer, redaction_reason: d.reason });
    await addEvent(iq(trx), ctx, r.id, 'redacted', true, { body: d.reason });
    await indexInformation(trx, ctx.commune.id, r.id);
    return { result: undefined, entityId: r.reference, after: { redacted: true, reason: d.reason } };
  });
}

/** Hides one attachment from the register, with its reason. */
export async function hideAttachment(ctx: Ctx, reference: string, attachmentId: number, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const { reason } = parse(reasonSchema('reason', 1000), input) as { reason: string };
  const a = await repo.findAttachment(iq(ctx.db), ctx.commune.id, attachmentId);
  if (!a || a.request_id !== r.id) throw new NotFoundError();
  await mutate(ctx, { permission: 'information.handle', action: 'information.hide_attachment', entity: 'info_attachment' }, async (trx) => {
    await iq(trx).updateTable('info_attachments').set({ hidden: 1, hidden_reason: reason }).where('commune_id', '=', ctx.commune.id).where('id', '=', a.id).execute();
    await addEvent(iq(trx), ctx, r.id, 'attachment_hidden', true, { body: reason, data: { name: a.name } });
    return { result: undefined, entityId: a.id, after: { hidden: true, reason } };
  });
}

/** Hides a request from the register (it shows as hidden, with the reason), or shows it again; never deletes it. */
export async function setHidden(ctx: Ctx, reference: string, hidden: boolean, input: unknown): Promise<void> {
  const r = await staffRow(ctx, reference);
  const reason = hidden ? (parse(reasonSchema('reason', 1000), input) as { reason: string }).reason : null;
  if (!!r.hidden === hidden) throw new RuleError(hidden ? 'information.errors.alreadyHidden' : 'information.errors.notHidden');
  await mutate(ctx, { permission: 'information.handle', action: hidden ? 'information.hide' : 'information.show', entity: 'info_request' }, async (trx) => {
    await update(iq(trx), ctx, r.id, { hidden: hidden ? 1 : 0, hidden_reason: reason });
    await addEvent(iq(trx), ctx, r.id, hidden ? 'hidden' : 'shown', true, { body: reason });
    await indexInformation(trx, ctx.commune.id, r.id);
    return { result: undefined, entityId: r.reference, before: { hidden: !!r.hidden }, after: { hidden, reason } };
  });
}

// ---------- Legal grounds of refusal (article 7), reference data ----------

export interface Ground { id: number; code: string; article: string; label: Translated; active: boolean; sort: number }

type ReadCtx = Ctx | { db: AnyDB; commune: Ctx['commune'] };
export function listGrounds(ctx: ReadCtx): Promise<readonly Ground[]> {
  return versionedRead(ctx, 'information|grounds', async () => Object.freeze((await repo.listGrounds(iq(ctx.db), ctx.commune.id)).map((g) => Object.freeze({
    id: g.id, code: g.code, article: g.article, label: parseTranslated(g.label), active: !!g.active, sort: g.sort,
  }))));
}

/** Loads article 7's list of exceptions (the codes the commune does not have yet). */
export async function seedGrounds(ctx: Ctx): Promise<number> {
  return mutate(ctx, { permission: 'information.configure', action: 'information.grounds_seed', entity: 'info_ground' }, async (trx) => {
    const have = new Set((await repo.listGrounds(iq(trx), ctx.commune.id)).map((g) => g.code));
    let added = 0;
    for (const [i, g] of (groundsReference as { code: string; article: string; fr: string; ar: string; en: string }[]).entries()) {
      if (have.has(g.code)) continue;
      await iq(trx).insertInto('info_grounds').values({ commune_id: ctx.commune.id, code: g.code, article: g.article, label: JSON.stringify({ fr: g.fr, ar: g.ar, en: g.en }), active: 1, sort: (i + 1) * 10 }).execute();
      added++;
    }
    return { result: added, after: { added } };
  });
}

export const groundSchema = z.object({
  code: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(40).regex(/^[a-z0-9_-]+$/, { error: 'errors.format' })),
  article: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(40)),
  label_fr: text(300), label_ar: optionalText(300), label_en: optionalText(300),
  active: checkbox(),
});

/** Adds (no id) or edits a legal ground. */
export async function saveGround(ctx: Ctx, id: number | null, input: unknown): Promise<number> {
  authorize(ctx, 'information.configure');
  const d = parse(groundSchema, input);
  const grounds = await repo.listGrounds(iq(ctx.db), ctx.commune.id);
  if (id !== null && !grounds.some((g) => g.id === id)) throw new NotFoundError();
  if (grounds.some((g) => g.code === d.code && g.id !== id)) throw new RuleError('information.errors.codeTaken', {}, 'code');
  const label = JSON.stringify(Object.fromEntries(Object.entries({ fr: d.label_fr, ar: d.label_ar, en: d.label_en }).filter(([, v]) => v)));
  return mutate(ctx, { permission: 'information.configure', action: id === null ? 'information.ground_add' : 'information.ground_edit', entity: 'info_ground' }, async (trx) => {
    const db = iq(trx);
    if (id === null) {
      const sort = (grounds.reduce((m, g) => Math.max(m, g.sort), 0)) + 10;
      const { id: newId } = await db.insertInto('info_grounds').values({ commune_id: ctx.commune.id, code: d.code, article: d.article, label, active: d.active ? 1 : 0, sort }).returning('id').executeTakeFirstOrThrow();
      return { result: newId, entityId: newId, after: { code: d.code } };
    }
    await db.updateTable('info_grounds').set({ code: d.code, article: d.article, label, active: d.active ? 1 : 0 }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    return { result: id, entityId: id, after: { code: d.code, active: d.active } };
  });
}

// ---------- Reads ----------

export interface PublicEvent { id: number; at: string; kind: string; body: string | null; data: Record<string, unknown> }
const parseData = (s: string): Record<string, unknown> => { try { return JSON.parse(s) ?? {}; } catch { return {}; } };

/** A request as the register shows it: no requester identity; a hidden one shows only that it is hidden, and why. */
export async function publicRequest(ctx: Ctx, reference: string) {
  const db = iq(ctx.db);
  const r = await repo.findPublic(db, ctx.commune.id, normalizeReference(reference));
  if (!r) throw new NotFoundError();
  const day = today(ctx);
  const [events, attachments, grounds, holidays] = await Promise.all([
    repo.eventsOf(db, ctx.commune.id, r.id, true), repo.attachmentsOf(db, ctx.commune.id, r.id), listGrounds(ctx), holidaysFrom(ctx, r.received_on ?? day),
  ]);
  return {
    r,
    // What the register shows of the answer: the redacted version when there is one.
    answerText: r.public_answer ?? r.answer_text,
    ground: grounds.find((g) => g.id === r.ground_id) ?? null,
    events: events.map((e) => ({ id: e.id, at: e.at, kind: e.kind, body: e.body, data: parseData(e.data) })) as PublicEvent[],
    attachments: attachments.map((a) => ({ id: a.id, name: a.name, hidden: !!a.hidden, hiddenReason: a.hidden_reason, size: a.size })),
    steps: rules.steps(clockState(r as unknown as FullRow), day, holidays),
    flag: r.status === 'open' && r.due_on ? rules.deadlineFlag(r.due_on, day, !!r.urgent, holidays) : null,
    today: day,
  };
}

/** The requester's own view by the tracking link: the file with their own words, and what they may do now. */
export async function trackedRequest(ctx: Ctx, token: string) {
  const { r } = await loadByKey(ctx, { token }, 'information.file_for');
  return fileView(ctx, r, false);
}

/** The staff file: everything, every event (counter agents follow it for citizens without email). */
export async function staffFile(ctx: Ctx, reference: string) {
  const r = await staffRow(ctx, reference, 'information.view');
  return fileView(ctx, r, true);
}

async function fileView(ctx: Ctx, r: FullRow, staff: boolean) {
  const db = iq(ctx.db);
  const day = today(ctx);
  const [events, attachments, grounds, holidays] = await Promise.all([
    repo.eventsOf(db, ctx.commune.id, r.id, false), repo.attachmentsOf(db, ctx.commune.id, r.id), listGrounds(ctx), holidaysFrom(ctx, r.received_on ?? day),
  ]);
  const state = clockState(r);
  const ownKinds = new Set(['clarification_reply', 'complaint_text']);
  return {
    r, grounds, today: day,
    ground: grounds.find((g) => g.id === r.ground_id) ?? null,
    events: events.filter((e) => staff || e.public || ownKinds.has(e.kind))
      .map((e) => ({ id: e.id, at: e.at, kind: e.kind, body: e.body, data: parseData(e.data), public: !!e.public, actor: staff ? e.actor_name : null })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.name, hidden: !!a.hidden, hiddenReason: a.hidden_reason, size: a.size })),
    steps: rules.steps(state, day, holidays),
    flag: r.status === 'open' && r.due_on ? rules.deadlineFlag(r.due_on, day, !!r.urgent, holidays) : null,
    may: {
      confirm: r.status === 'unconfirmed',
      reply: r.status === 'clarification',
      withdraw: ['open', 'clarification', 'unconfirmed'].includes(r.status),
      complain: !r.complaint_on && rules.mayComplain(state, day, holidays),
      cdai: !r.cdai_on && rules.mayGoToCdai(state, day, holidays),
      extend: staff && r.status === 'open' && !r.extended && can(ctx.actor, 'information.handle'),
      answer: staff && (r.status === 'open' || r.status === 'clarification') && can(ctx.actor, 'information.handle'),
      clarify: staff && r.status === 'open' && can(ctx.actor, 'information.handle'),
      handle: staff && can(ctx.actor, 'information.handle'),
      fileFor: staff && can(ctx.actor, 'information.file_for'),
    },
  };
}
export type FileView = Awaited<ReturnType<typeof fileView>>;
export type PublicView = Awaited<ReturnType<typeof publicRequest>>;

export interface RegisterQuery { outcome?: string; state?: string; channel?: string; month?: string }
export function resolveFilters(ctx: Ctx, q: RegisterQuery): ListFilters {
  const f: ListFilters = { today: today(ctx) };
  if (q.outcome && (['given', 'partial', 'refused', 'not_held', 'withdrawn'] as string[]).includes(q.outcome)) f.outcome = q.outcome;
  if (q.state === 'open' || q.state === 'closed' || q.state === 'late') f.state = q.state;
  if (q.channel && (CHANNELS as readonly string[]).includes(q.channel)) f.channel = q.channel;
  if (q.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month)) f.month = q.month;
  return f;
}

export async function listRegister(ctx: Ctx, f: ListFilters, page: number) {
  const db = iq(ctx.db);
  const [total, rows] = await Promise.all([repo.countCapped(db, ctx.commune.id, f), repo.listPublic(db, ctx.commune.id, f, page)]);
  return { total, capped: total > repo.COUNT_CAP, rows };
}

export async function queue(ctx: Ctx, f: ListFilters, page: number) {
  authorize(ctx, 'information.view');
  const db = iq(ctx.db);
  const [total, rows] = await Promise.all([repo.countCapped(db, ctx.commune.id, { ...f, staff: true }), repo.listQueue(db, ctx.commune.id, f, page)]);
  return { total, capped: total > repo.COUNT_CAP, rows };
}

/** Median of a histogram { value → count }. */
export function medianOf(hist: { days: number; n: number }[]): number | null {
  const total = hist.reduce((s, h) => s + h.n, 0);
  if (!total) return null;
  const at = (k: number) => { let seen = 0; for (const h of hist) { seen += h.n; if (seen > k) return h.days; } return hist[hist.length - 1].days; };
  return total % 2 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

/** The register's statistics, aggregated in SQL, kept until the commune's data changes (or the day does). */
export function statistics(ctx: Ctx) {
  const day = today(ctx);
  return versionedRead(ctx, `information|stats|${day}`, async () => {
    const s = await repo.stats(iq(ctx.db), ctx.commune.id, day);
    const total = s.channels.reduce((a, c) => a + c.n, 0);
    const answered = s.hist.reduce((a, h) => a + h.n, 0);
    const within = s.months.reduce((a, m) => a + m.within, 0);
    const late = s.months.reduce((a, m) => a + m.late, 0);
    return Object.freeze({ ...s, total, answered, within, late, medianDays: medianOf(s.hist) });
  });
}
export type Statistics = Awaited<ReturnType<typeof statistics>>;

/** Whether a user may see an attachment hidden from the register. */
export function canSeeHidden(ctx: Ctx): boolean { return can(ctx.actor, 'information.view'); }
export { ForbiddenError };

// ---------- Public reads the routes stream or serve as they are ----------

export const PAGE_SIZE = repo.PAGE_SIZE;

/** The register's next batch of public rows after `after`, for the streamed CSV and JSON exports. */
export function exportBatch(ctx: Ctx, f: ListFilters, after: number, n: number) {
  return repo.exportBatch(iq(ctx.db), ctx.commune.id, f, after, n);
}

/** The latest answers, for the Atom feed. */
export function recentAnswers(ctx: Ctx) {
  return repo.recentAnswers(iq(ctx.db), ctx.commune.id);
}

/**
 * An answer's attachment: public unless it or its request is hidden, then only for those who may see hidden
 * items (NotFoundError for others, as for a reference that does not exist). `restricted` says which cache policy applies.
 */
export async function attachment(ctx: Ctx, id: number) {
  const a = await repo.findAttachment(iq(ctx.db), ctx.commune.id, id);
  if (!a || a.status === 'unconfirmed') throw new NotFoundError();
  const restricted = !!a.hidden || !!a.request_hidden;
  if (restricted && !canSeeHidden(ctx)) throw new NotFoundError();
  return { a, restricted };
}
