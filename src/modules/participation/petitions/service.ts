import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../../core/service.ts';
import { lockCommune, type AnyDB } from '../../../core/db/index.ts';
import { NotFoundError, RuleError, ValidationError, ForbiddenError, UnauthenticatedError } from '../../../core/http/errors.ts';
import { parseInput, text, optionalText, oneOf, checkbox, isoDate, optionalInt, int } from '../../../core/http/forms.ts';
import { iso } from '../../../core/clock/index.ts';
import { localDay, loadHolidays, workingDaysBetween } from '../../../core/clock/working-days.ts';
import { queueMail } from '../../../core/mail/index.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { tr, type Locale } from '../../../core/i18n/index.ts';
import { indexDoc } from '../../../core/search/index.ts';
import { KINDS } from './schema.ts';
import { DEFAULT_SETTINGS, threshold, normalizeCin, parseSheetLine, decisionDue, NEXT, type PetitionSettings } from './rules.ts';
import * as repo from './repo.ts';
import { pt } from './repo.ts';

export const DECIDE = 'petitions.decide';
export const PAPER = 'petitions.paper';
export const CONFIGURE = 'petitions.configure';
export const PAGE_SIZE = 20;

export interface Petition {
  id: number; reference: string; kind: string; title: string; reasons: string; requestedAction: string; language: string; promoterName: string;
  associationName: string | null; status: string; threshold: number; signatures: number; online: number; paper: number; filedAt: string | null;
  decisionDueOn: string | null; admissibilityAt: string | null; refusalReason: string | null; councilSessionId: number | null; sessionDate: string | null;
  sessionReference: string | null; councilDecision: string | null; councilDecidedOn: string | null; sample: boolean; createdAt: string;
  /** Whether the signed-in reader promotes it (never shown: who the promoter account is stays private). */
  mine: boolean;
}
const toPetition = (r: repo.PetitionRow, ctx: Ctx): Petition => ({
  id: r.id, reference: r.reference, kind: r.kind, title: r.title, reasons: r.reasons, requestedAction: r.requested_action, language: r.language,
  promoterName: r.promoter_name, associationName: r.association_name, status: r.status, threshold: r.threshold,
  signatures: r.online_count + r.paper_count, online: r.online_count, paper: r.paper_count, filedAt: r.filed_at, decisionDueOn: r.decision_due_on,
  admissibilityAt: r.admissibility_at, refusalReason: r.refusal_reason, councilSessionId: r.council_session_id, sessionDate: r.session_date,
  sessionReference: r.session_reference, councilDecision: r.council_decision, councilDecidedOn: r.council_decided_on, sample: !!r.sample, createdAt: r.created_at,
  mine: !!ctx.actor && ctx.actor.userId === r.promoter_user_id,
});

export const today = (ctx: Ctx) => localDay(ctx.clock.now());

// ---------- Settings ----------

export async function getSettings(ctx: Pick<Ctx, 'db' | 'commune'>): Promise<PetitionSettings> {
  const raw = await repo.settings(pt(ctx.db), ctx.commune.id);
  try { return { ...DEFAULT_SETTINGS, ...(raw ? JSON.parse(raw) : {}) }; } catch { return { ...DEFAULT_SETTINGS }; }
}

export function citizensThreshold(ctx: Ctx, s: PetitionSettings): number {
  return threshold(s, ctx.commune.population ?? null, 'citizens');
}

export function settingsFromForm(body: unknown): PetitionSettings {
  const d = parseInput(z.object({
    citizens_min: optionalInt(1, 100_000), arrondissements: checkbox(), association_years: int(0, 50), decision_months: int(1, 12), excluded: optionalText(4000),
  }), body);
  return { citizensMin: d.citizens_min ?? null, arrondissements: d.arrondissements, associationYears: d.association_years, decisionMonths: d.decision_months, excluded: d.excluded };
}

export async function saveSettings(ctx: Ctx, s: PetitionSettings): Promise<void> {
  await mutate(ctx, { permission: CONFIGURE, action: 'petition.settings', entity: 'petition_settings' }, async (trx) => {
    const before = await getSettings({ db: trx as Ctx['db'], commune: ctx.commune });
    await pt(trx).insertInto('petition_settings').values({ commune_id: ctx.commune.id, value: JSON.stringify(s) })
      .onConflict((oc) => oc.column('commune_id').doUpdateSet({ value: JSON.stringify(s) })).execute();
    return { result: undefined, entityId: ctx.commune.id, before, after: s };
  });
}

// ---------- Reads ----------

export async function listPetitions(ctx: Ctx, page = 1): Promise<{ items: Petition[]; total: number }> {
  const db = pt(ctx.db);
  const [rows, total] = await Promise.all([repo.list(db, ctx.commune.id, PAGE_SIZE, (page - 1) * PAGE_SIZE), repo.count(db, ctx.commune.id)]);
  return { items: rows.map((r) => toPetition(r, ctx)), total };
}

export async function getPetition(ctx: Ctx, reference: string): Promise<{ petition: Petition; events: { at: string; kind: string; note: string | null }[]; signed: boolean }> {
  const db = pt(ctx.db);
  const r = await repo.findByReference(db, ctx.commune.id, reference);
  if (!r) throw new NotFoundError();
  const [events, sig] = await Promise.all([
    repo.events(db, ctx.commune.id, r.id), ctx.actor ? repo.signatureOf(db, ctx.commune.id, r.id, ctx.actor.userId) : Promise.resolve(undefined),
  ]);
  return { petition: toPetition(r, ctx), events, signed: !!sig };
}

/** The admissibility clock of a filed petition: the due day and the working days left (negative: overdue). */
export async function clockOf(ctx: Ctx, p: Petition): Promise<{ due: string; left: number } | null> {
  if (!p.decisionDueOn || p.status !== 'filed') return null;
  const day = today(ctx);
  const [from, to] = day <= p.decisionDueOn ? [day, p.decisionDueOn] : [p.decisionDueOn, day];
  const holidays = await loadHolidays(ctx.db, ctx.commune.id, from, to);
  const n = workingDaysBetween(from, to, holidays);
  return { due: p.decisionDueOn, left: day <= p.decisionDueOn ? n : -n };
}

// ---------- Changes ----------

async function addEvent(trx: AnyDB, ctx: Ctx, petitionId: number, kind: string, note: string | null = null) {
  await pt(trx).insertInto('petition_events').values({ commune_id: ctx.commune.id, petition_id: petitionId, at: iso(ctx.clock.now()), kind, note }).execute();
}

function petitionDoc(p: { reference: string; title: string; reasons: string; requested_action: string; created_at: string }) {
  return { kind: 'petition', key: p.reference, title: { fr: p.title, ar: p.title, en: p.title }, text: `${p.reasons}\n${p.requested_action}`, path: `/petitions/${p.reference}`, date: p.created_at, visible: true };
}

/** To the promoter, in their language: what happened to their petition and its page. */
async function mailPromoter(trx: AnyDB, ctx: Ctx, petitionId: number, kind: string, params: Record<string, unknown> = {}) {
  const p = await pt(trx).selectFrom('petitions').select(['reference', 'title', 'promoter_user_id']).where('commune_id', '=', ctx.commune.id).where('id', '=', petitionId).executeTakeFirstOrThrow();
  const u = await pt(trx).selectFrom('users').select(['email', 'locale']).where('commune_id', '=', ctx.commune.id).where('id', '=', p.promoter_user_id).executeTakeFirst();
  if (!u) return;
  const t = ctx.tFor(u.locale);
  const link = `${publicOrigin(ctx.config, ctx.commune)}/${u.locale}/petitions/${p.reference}`;
  await queueMail(trx, {
    communeId: ctx.commune.id, to: u.email,
    subject: t(`petitions.mail.${kind}Subject`, { reference: p.reference }),
    text: `${t(`petitions.mail.${kind}Body`, { reference: p.reference, title: p.title, link, ...params })}\n\n--\n${tr(ctx.commune.name, u.locale as Locale)}`,
  });
}

const newSchema = z.object({
  kind: oneOf(KINDS), title: text(200), reasons: text(5000), requested_action: text(2000), promoter_name: text(120), association_name: optionalText(200),
  conditions: checkbox(),
});
export interface NewPetition { kind: string; title: string; reasons: string; requestedAction: string; promoterName: string; associationName?: string | null; sample?: boolean }
export function newFromForm(body: unknown): NewPetition {
  const d = parseInput(newSchema, body);
  if (d.kind === 'association' && !d.association_name) throw new ValidationError({ association_name: { key: 'errors.required' } });
  if (!d.conditions) throw new ValidationError({ conditions: { key: 'petitions.errors.conditions' } });
  return { kind: d.kind, title: d.title, reasons: d.reasons, requestedAction: d.requested_action, promoterName: d.promoter_name, associationName: d.kind === 'association' ? d.association_name : null };
}

/** A new petition, its promoter the signed-in citizen (or an association through its president). */
export async function createPetition(ctx: Ctx, p: NewPetition): Promise<string> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const s = await getSettings(ctx);
  const userId = ctx.actor.userId;
  return mutate(ctx, { permission: null, action: 'petition.create', entity: 'petition' }, async (trx) => {
    const db = pt(trx);
    await lockCommune(trx, ctx.commune.id);
    const year = Number(today(ctx).slice(0, 4));
    const last = await db.selectFrom('petitions').select((eb) => eb.fn.max('seq').as('m')).where('commune_id', '=', ctx.commune.id).where('year', '=', year).executeTakeFirst();
    const seq = Number(last?.m ?? 0) + 1;
    const reference = `PET-${year}-${String(seq).padStart(3, '0')}`;
    const at = iso(ctx.clock.now());
    const { id } = await db.insertInto('petitions').values({
      commune_id: ctx.commune.id, reference, year, seq, kind: p.kind, title: p.title, reasons: p.reasons, requested_action: p.requestedAction,
      language: ctx.locale, promoter_user_id: userId, promoter_name: p.promoterName, association_name: p.associationName ?? null, status: 'collecting',
      threshold: threshold(s, ctx.commune.population ?? null, p.kind), online_count: 0, paper_count: 0, filed_at: null, decision_due_on: null,
      admissibility_at: null, refusal_reason: null, council_session_id: null, session_date: null, session_reference: null, council_decision: null,
      council_decided_on: null, sample: p.sample ? 1 : 0, created_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    await addEvent(trx, ctx, id, 'created');
    await indexDoc(trx, ctx.commune.id, petitionDoc({ reference, title: p.title, reasons: p.reasons, requested_action: p.requestedAction, created_at: at }));
    return { result: reference, entityId: reference, after: { kind: p.kind, title: p.title } };
  });
}

let secretCache = new WeakMap<object, Promise<string>>();
function secret(db: AnyDB): Promise<string> {
  let s = secretCache.get(db);
  if (!s) {
    s = db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst().then((r: { value: string } | undefined) => r?.value ?? 'commune');
    secretCache.set(db, s);
  }
  return s;
}
/** A keyed hash of a national ID number: the same person gives the same hash online and on paper; the number is not kept. */
export async function identityHash(ctx: Pick<Ctx, 'db' | 'commune'>, cin: string): Promise<string> {
  return createHmac('sha256', `petition-identity:${await secret(ctx.db)}`).update(`${ctx.commune.id}:${cin}`).digest('base64url');
}

async function collecting(db: repo.PtDB, ctx: Ctx, reference: string) {
  const r = await repo.findByReference(db, ctx.commune.id, reference);
  if (!r) throw new NotFoundError();
  if (r.status !== 'collecting') throw new RuleError('petitions.errors.notCollecting');
  return r;
}

/** An online signature: a signed-in account, its holder's ID number (hashed) and residence or interest; one per person. */
export async function sign(ctx: Ctx, reference: string, body: unknown): Promise<void> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const d = parseInput(z.object({ cin: text(20), attest: checkbox() }), body);
  const cin = normalizeCin(d.cin);
  if (!cin) throw new ValidationError({ cin: { key: 'petitions.errors.cin' } });
  if (!d.attest) throw new ValidationError({ attest: { key: 'petitions.errors.attest' } });
  const hash = await identityHash(ctx, cin);
  const userId = ctx.actor.userId;
  await mutate(ctx, { permission: null, action: 'petition.sign', entity: 'petition' }, async (trx) => {
    const db = pt(trx);
    const p = await collecting(db, ctx, reference);
    if (p.kind === 'association') throw new RuleError('petitions.errors.noSignatures');
    const ins = await db.insertInto('petition_signatures').values({ commune_id: ctx.commune.id, petition_id: p.id, channel: 'online', user_id: userId, identity_hash: hash, entered_by: null, created_at: iso(ctx.clock.now()) })
      .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (!ins) throw new RuleError('petitions.errors.alreadySigned');
    await db.updateTable('petitions').set((eb) => ({ online_count: eb('online_count', '+', 1) })).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
    return { result: undefined, entityId: reference, after: { channel: 'online' } };
  });
}

export interface PaperOutcome { added: number; duplicates: number[]; invalid: number[] }

/**
 * Paper signatures entered by staff from the signed sheets, one per line (`name ; ID number`): each is checked
 * against the signatures already there, online or paper, by the ID number's hash. Duplicates and unreadable lines
 * are reported by line number and not added.
 */
export async function addPaper(ctx: Ctx, reference: string, body: unknown): Promise<PaperOutcome> {
  authorize(ctx, PAPER);
  const d = parseInput(z.object({ lines: text(200_000) }), body);
  const lines = d.lines.split(/\r?\n/).map((l) => l.trim());
  const parsed: { line: number; hash: string }[] = [];
  const invalid: number[] = [];
  for (const [i, l] of lines.entries()) {
    if (!l) continue;
    const r = parseSheetLine(l);
    if ('error' in r) invalid.push(i + 1); else parsed.push({ line: i + 1, hash: await identityHash(ctx, r.cin) });
  }
  if (!parsed.length && invalid.length) throw new RuleError('petitions.errors.sheetUnreadable', { lines: invalid.join(', ') }, 'lines');
  const agent = ctx.actor!.userId;
  return mutate(ctx, { permission: PAPER, action: 'petition.paper', entity: 'petition' }, async (trx) => {
    const db = pt(trx);
    const p = await collecting(db, ctx, reference);
    if (p.kind === 'association') throw new RuleError('petitions.errors.noSignatures');
    const duplicates: number[] = [];
    let added = 0;
    const at = iso(ctx.clock.now());
    for (const x of parsed) {
      const ins = await db.insertInto('petition_signatures').values({ commune_id: ctx.commune.id, petition_id: p.id, channel: 'paper', user_id: null, identity_hash: x.hash, entered_by: agent, created_at: at })
        .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      if (ins) added++; else duplicates.push(x.line);
    }
    if (added) await db.updateTable('petitions').set((eb) => ({ paper_count: eb('paper_count', '+', added) })).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
    if (added) await addEvent(trx, ctx, p.id, 'paper', String(added));
    return { result: { added, duplicates, invalid }, entityId: reference, after: { added, duplicates: duplicates.length, invalid: invalid.length } };
  });
}

/** The promoter files the petition once the threshold is reached; the bureau's clock starts. */
export async function file(ctx: Ctx, reference: string): Promise<void> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const s = await getSettings(ctx);
  const day = today(ctx);
  const holidays = await loadHolidays(ctx.db, ctx.commune.id, day, `${Number(day.slice(0, 4)) + 2}-12-31`);
  await mutate(ctx, { permission: null, action: 'petition.file', entity: 'petition' }, async (trx) => {
    const db = pt(trx);
    const p = await repo.findByReference(db, ctx.commune.id, reference);
    if (!p) throw new NotFoundError();
    if (p.promoter_user_id !== ctx.actor!.userId) throw new ForbiddenError();
    if (p.status !== 'collecting') throw new RuleError('petitions.errors.notCollecting');
    if (p.online_count + p.paper_count < p.threshold) throw new RuleError('petitions.errors.belowThreshold', { n: p.online_count + p.paper_count, threshold: p.threshold });
    const due = decisionDue(day, s.decisionMonths, holidays);
    await db.updateTable('petitions').set({ status: 'filed', filed_at: iso(ctx.clock.now()), decision_due_on: due }).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
    await addEvent(trx, ctx, p.id, 'filed', due);
    await mailPromoter(trx, ctx, p.id, 'filed', { due });
    return { result: undefined, entityId: reference, after: { status: 'filed', due } };
  });
}

async function transition(ctx: Ctx, reference: string, to: string, action: string, set: Record<string, unknown>, note: string | null, mailParams: Record<string, unknown> = {}) {
  await mutate(ctx, { permission: DECIDE, action, entity: 'petition' }, async (trx) => {
    const db = pt(trx);
    const p = await repo.findByReference(db, ctx.commune.id, reference);
    if (!p) throw new NotFoundError();
    if (!NEXT[p.status]?.includes(to)) throw new RuleError('petitions.errors.wrongStep');
    await db.updateTable('petitions').set({ status: to, ...set } as any).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
    await addEvent(trx, ctx, p.id, to, note);
    await mailPromoter(trx, ctx, p.id, to, mailParams);
    return { result: undefined, entityId: reference, before: { status: p.status }, after: { status: to, ...set } };
  });
}

/** The bureau's decision on admissibility; a refusal states its reasons. */
export async function decideAdmissibility(ctx: Ctx, reference: string, body: unknown): Promise<void> {
  authorize(ctx, DECIDE);
  const d = parseInput(z.object({ decision: oneOf(['admissible', 'inadmissible'] as const), reason: optionalText(4000) }), body);
  if (d.decision === 'inadmissible' && !d.reason) throw new ValidationError({ reason: { key: 'petitions.errors.reasonRequired' } });
  await transition(ctx, reference, d.decision, `petition.${d.decision}`, { admissibility_at: iso(ctx.clock.now()), refusal_reason: d.decision === 'inadmissible' ? d.reason : null },
    d.decision === 'inadmissible' ? d.reason : null, { reason: d.reason });
}

/** An admissible petition on a council session's agenda: its date and reference (the council module's session when it has one). */
export async function schedule(ctx: Ctx, reference: string, body: unknown): Promise<void> {
  authorize(ctx, DECIDE);
  const d = parseInput(z.object({ session_date: isoDate(), session_reference: text(200), council_session_id: optionalInt(1) }), body);
  await transition(ctx, reference, 'scheduled', 'petition.schedule', { session_date: d.session_date, session_reference: d.session_reference, council_session_id: d.council_session_id ?? null },
    `${d.session_date} — ${d.session_reference}`, { date: d.session_date, session: d.session_reference });
}

/** The council's decision on the petition. */
export async function recordDecision(ctx: Ctx, reference: string, body: unknown): Promise<void> {
  authorize(ctx, DECIDE);
  const d = parseInput(z.object({ decided_on: isoDate(), decision: text(4000) }), body);
  await transition(ctx, reference, 'decided', 'petition.decide', { council_decision: d.decision, council_decided_on: d.decided_on }, d.decision, { decision: d.decision });
}

export async function listForStaff(ctx: Ctx, page = 1) {
  authorize(ctx, 'petitions.staff');
  return listPetitions(ctx, page);
}

export function resetSecretCache() { secretCache = new WeakMap(); }
