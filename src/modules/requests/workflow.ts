import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError, ForbiddenError, UnauthenticatedError, ValidationError } from '../../core/http/errors.ts';
import { parseInput, text, optionalText, oneOf, optionalInt, int } from '../../core/http/forms.ts';
import { iso } from '../../core/clock/index.ts';
import { localDay, loadHolidays, workingDaysBetween } from '../../core/clock/working-days.ts';
import { prepareImage } from '../../core/files/images.ts';
import type { Upload } from '../../core/files/index.ts';
import { randomToken } from '../../core/auth/passwords.ts';
import { hasRole, can } from '../../core/auth/roles.ts';
import { parseTranslated } from '../../core/i18n/index.ts';
import { templatesFor } from './settings.ts';
import type { AnyDB } from '../../core/db/index.ts';
import { rq, type RqDB, type FullRequestRow } from './repo.ts';
import * as repo from './repo.ts';
import { addEvent, dueDay, stagePhotos, recordPhotos, withoutContact, getCategory, toDistrict, isOverdue, listCategories, listDistricts, resolveFilters, handlingInstitutions, MAX_PHOTO_BYTES, COUNT_CAP, type RequestView } from './service.ts';
import { notifyFollowers, mailConfirmFollow, mailEscalation, type PublicChange } from './notify.ts';
import { trackingHash, looksLikeTrackingCode, normalizeReference, newTrackingCode } from './codes.ts';
import { OPEN_STATUSES, REJECT_REASONS, type Status } from './schema.ts';
import { indexRequest } from './search.ts';

export const FEEDBACK_DAYS = 30;
const DAY_MS = 86_400_000;

// ---------- Staff: loading and authorising ----------

async function loadByReference(db: RqDB, ctx: Ctx, reference: string): Promise<FullRequestRow> {
  const r = await repo.findFull(db, ctx.commune.id, { reference: normalizeReference(reference) });
  if (!r) throw new NotFoundError();
  return r;
}

/**
 * A request's staff file: its handlers (their own institution only), the counter, the mediator, the
 * moderator (test/privacy.test.ts names who sees the contact). The reporter's email and phone come
 * apart as `contact`, never inside the request's row that route code holds.
 */
export async function staffFile(ctx: Ctx, reference: string) {
  const db = rq(ctx.db);
  const r = await loadByReference(db, ctx, reference);
  const handler = canHandle(ctx, r.institution_id);
  if (!handler) authorize(ctx, 'requests.view');
  const [events, photos, followers, contests, staff, duplicates, category, district, institution, templates, enteredBy] = await Promise.all([
    repo.eventsOf(db, ctx.commune.id, r.id, false),
    repo.photosOf(db, ctx.commune.id, r.id, true),
    repo.followerCount(db, ctx.commune.id, r.id),
    repo.contestsOf(db, ctx.commune.id, r.id),
    handler ? repo.staffOf(db, ctx.commune.id, r.institution_id) : Promise.resolve([]),
    repo.duplicatesOf(db, ctx.commune.id, r.id, 50),
    getCategory(ctx, { id: r.category_id }),
    r.district_id ? repo.findDistrict(db, ctx.commune.id, { id: r.district_id }) : undefined,
    repo.findInstitution(db, ctx.commune.id, r.institution_id),
    handler ? templatesFor(ctx, r.category_id) : Promise.resolve([]),
    r.entered_by ? repo.userName(db, ctx.commune.id, r.entered_by) : null,
  ]);
  const duplicateOf = r.duplicate_of_id ? (await repo.referencesOf(db, ctx.commune.id, [r.duplicate_of_id]))[0]?.reference ?? null : null;
  // Whoever may open the file deals with the reporter (the handlers, the counter, the mediator, the moderator).
  const contact = { email: r.reporter_email, phone: r.reporter_phone };
  return {
    request: withoutContact(r), contact, events: events.map((e) => ({ ...e, data: parseData(e.data) })), photos, followers, contests,
    staff: staff.map((s) => ({ id: s.id, name: s.name })), duplicates: duplicates.map((d) => d.reference), duplicateOf, handler,
    category: category!, district: district ? toDistrict(district) : null,
    institution: institution ? { name: parseTranslated(institution.name), kind: institution.kind } : null,
    enteredBy, templates,
    overdue: isOverdue(r.status as Status, r.due_on, localDay(ctx.clock.now())),
  };
}

function parseData(s: string): Record<string, unknown> {
  try { const v = JSON.parse(s || '{}'); return v && typeof v === 'object' ? v : {}; } catch { return {}; }
}

/** A staff queue: the actor's institutions (every one for unscoped roles), most urgent first. */
export async function staffQueue(ctx: Ctx, query: Record<string, string>, page: number) {
  authorize(ctx, 'requests.queue');
  const scope = queueScope(ctx);
  const [categories, districts] = await Promise.all([listCategories(ctx, false), listDistricts(ctx)]);
  const filters = await resolveFilters(ctx, { ...query, status: query.status === 'all' ? '' : query.status }, categories, districts);
  if (scope) filters.institutionIds = scope;
  if (query.mine) filters.assigneeId = ctx.actor!.userId;
  const db = rq(ctx.db);
  const [total, rows, institutions] = await Promise.all([
    repo.countCapped(db, ctx.commune.id, filters), repo.listQueue(db, ctx.commune.id, filters, page), handlingInstitutions(ctx),
  ]);
  return {
    total, capped: total > COUNT_CAP, rows, categories, districts, today: filters.today!, scoped: !!scope,
    institutions: institutions.filter((i) => scope?.includes(i.id)).map((i) => ({ id: i.id, name: i.name })),
  };
}

/** The mediator's list: contests waiting for a ruling, and those ruled. */
export async function contestLists(ctx: Ctx) {
  authorize(ctx, 'requests.mediate');
  const db = rq(ctx.db);
  const [pending, ruled] = await Promise.all([repo.listContests(db, ctx.commune.id, 'pending'), repo.listContests(db, ctx.commune.id, 'ruled')]);
  return { pending, ruled };
}

/** The counter's receipt of a request entered on a citizen's behalf (the tracking code comes from the counter's own cookie). */
export async function counterReceipt(ctx: Ctx, reference: string): Promise<{ request: RequestView; category: NonNullable<Awaited<ReturnType<typeof getCategory>>>; district: ReturnType<typeof toDistrict> | null }> {
  authorize(ctx, 'requests.report_for');
  const db = rq(ctx.db);
  const r = await loadByReference(db, ctx, reference);
  const [category, district] = await Promise.all([getCategory(ctx, { id: r.category_id }), r.district_id ? repo.findDistrict(db, ctx.commune.id, { id: r.district_id }) : undefined]);
  return { request: withoutContact(r), category: category!, district: district ? toDistrict(district) : null };
}

/**
 * The request a staff action is about, loaded once and authorised once: refuses (401/403, or 404 for
 * an unknown reference) before any input is read, so a refused caller learns nothing of the form and
 * changes nothing. The row is then passed down; the action's writes are guarded by the state it read
 * (`transition`, `touch`), so a change made meanwhile by someone else refuses the action instead of
 * being overwritten.
 */
async function handledRequest(ctx: Ctx, reference: string): Promise<FullRequestRow> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const r = await loadByReference(rq(ctx.db), ctx, reference);
  authorize(ctx, 'requests.handle', { institutionId: r.institution_id });
  return r;
}

/** The staff file's answer form: the new status names the action. */
export async function answer(ctx: Ctx, reference: string, input: Record<string, unknown>, photo?: Upload): Promise<string> {
  const r = await handledRequest(ctx, reference);
  switch (input.status) {
    case 'acknowledged': return acknowledgeRow(ctx, r, input);
    case 'in_progress': return startWorkRow(ctx, r, input);
    case 'resolved': return resolveRow(ctx, r, input, photo);
    case 'rejected': return rejectRow(ctx, r, input);
    default: throw new ValidationError({ status: { key: 'errors.required' } });
  }
}

export function canHandle(ctx: Ctx, institutionId: number): boolean {
  if (!ctx.actor) return false;
  try { authorize(ctx, 'requests.handle', { institutionId }); return true; } catch { return false; }
}

type StaffChange = (db: RqDB, r: FullRequestRow, now: Date) => Promise<{
  event?: { kind: string; public: boolean; body?: string | null; data?: Record<string, unknown> };
  notify?: PublicChange;
  after?: unknown;
  /** The columns the action set (to tell whether what the search shows of the request changed). */
  set?: Record<string, unknown>;
}>;

/** What the search index holds of a request besides its description and address, which staff never change. */
const SEARCHED: (keyof FullRequestRow)[] = ['public_note', 'referral'];

/**
 * Runs a staff action on a request of the actor's own institution (loaded and authorised once by
 * `handledRequest`), in one audited transaction. Returns the request's reference.
 */
async function staffAction(ctx: Ctx, r: FullRequestRow, action: string, change: StaffChange): Promise<string> {
  const now = ctx.clock.now();
  return mutate(ctx, { permission: 'requests.handle', scope: { institutionId: r.institution_id }, action: `request.${action}`, entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const out = await change(db, r, now);
    if (out.event) await addEvent(db, ctx, r.id, out.event.kind, out.event.public, { body: out.event.body, data: out.event.data, at: iso(now) });
    if (out.notify) await notifyFollowers(trx, ctx, r, out.notify, { skipEmail: ctx.actor?.email });
    // The search shows the last public answer: indexed again only when it changed.
    if (out.set && SEARCHED.some((k) => k in out.set! && (out.set![k] ?? null) !== (r[k] ?? null))) await indexRequest(trx, ctx.commune.id, r.id);
    const status = (out.set?.status as string | undefined) ?? r.status;
    return { result: r.reference, entityId: r.reference, before: { status: r.status }, after: out.after ?? { status } };
  });
}

/**
 * Moves a request to a new status only if it is still in the status (and institution) it was read
 * in, and that status is one of `from` (two staff acting at once cannot both win). Returns `set`.
 */
async function transition(db: RqDB, ctx: Ctx, r: FullRequestRow, from: Status[], set: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!from.includes(r.status as Status)) throw new RuleError('requests.errors.badTransition', { status: ctx.t(`requests.status.${r.status}`) });
  if (await repo.updateRequest(db, ctx.commune.id, r.id, set, { status: r.status, institutionId: r.institution_id }) !== 1) throw new RuleError('requests.errors.stateChanged');
  return set;
}

/** Updates a request without changing its status, if it is still with the institution it was read in. */
async function touch(db: RqDB, ctx: Ctx, r: FullRequestRow, set: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (await repo.updateRequest(db, ctx.commune.id, r.id, set, { institutionId: r.institution_id }) !== 1) throw new RuleError('requests.errors.stateChanged');
  return set;
}

/** The timestamps of a first answer, set once. */
function firstResponse(r: FullRequestRow, at: string) {
  return { first_response_at: r.first_response_at ?? at, acknowledged_at: r.acknowledged_at ?? at, updated_at: at };
}

async function closing(trx: AnyDB, ctx: Ctx, r: FullRequestRow, now: Date) {
  const today = localDay(now);
  const start = localDay(new Date(r.created_at));
  const holidays = await loadHolidays(trx, ctx.commune.id, start, today);
  return {
    closed_at: iso(now), within_target: today <= r.due_on ? 1 : 0,
    resolution_days: workingDaysBetween(start, today, holidays),
    resolution_hours: Math.max(0, Math.floor((now.getTime() - Date.parse(r.created_at)) / 3_600_000)),
  };
}

const noteSchema = z.object({ note: optionalText(4000) });
const requiredNoteSchema = z.object({ note: text(4000) });

export const acknowledge = async (ctx: Ctx, reference: string, input: unknown) => acknowledgeRow(ctx, await handledRequest(ctx, reference), input);

async function acknowledgeRow(ctx: Ctx, r: FullRequestRow, input: unknown) {
  const { note } = parseInput(noteSchema, input);
  return staffAction(ctx, r, 'acknowledge', async (db, r, now) => {
    const at = iso(now);
    const set = await transition(db, ctx, r, ['submitted', 'reopened'], { status: 'acknowledged', ...firstResponse(r, at), ...(note ? { public_note: note } : {}) });
    return { set, event: { kind: 'acknowledged', public: true, body: note || null }, notify: { kind: 'acknowledged', note } };
  });
}

export const startWork = async (ctx: Ctx, reference: string, input: unknown) => startWorkRow(ctx, await handledRequest(ctx, reference), input);

async function startWorkRow(ctx: Ctx, r: FullRequestRow, input: unknown) {
  const { note } = parseInput(noteSchema, input);
  return staffAction(ctx, r, 'start', async (db, r, now) => {
    const at = iso(now);
    const set = await transition(db, ctx, r, ['submitted', 'acknowledged', 'reopened'], { status: 'in_progress', ...firstResponse(r, at), ...(note ? { public_note: note } : {}) });
    return { set, event: { kind: 'in_progress', public: true, body: note || null }, notify: { kind: 'in_progress', note } };
  });
}

export const resolve = async (ctx: Ctx, reference: string, input: unknown, photo?: Upload) => resolveRow(ctx, await handledRequest(ctx, reference), input, photo);

async function resolveRow(ctx: Ctx, r: FullRequestRow, input: unknown, photo?: Upload) {
  const { note } = parseInput(requiredNoteSchema, input);
  const prepared = photo ? await stagePhotos(ctx, [await prepareImage(photo, { maxBytes: MAX_PHOTO_BYTES, field: 'photo' })]) : [];
  return staffAction(ctx, r, 'resolve', async (db, r, now) => {
    const at = iso(now);
    const set = await transition(db, ctx, r, OPEN_STATUSES, {
      status: 'resolved', public_note: note, resolved_at: at, ...firstResponse(r, at), ...(await closing(db, ctx, r, now)),
    });
    await recordPhotos(db, ctx, r.id, prepared, 'resolution', at, ctx.actor?.userId || null);
    return { set, event: { kind: 'resolved', public: true, body: note, data: { photo: prepared.length > 0 } }, notify: { kind: 'resolved', note } };
  });
}

const rejectSchema = z.object({
  reason: oneOf(REJECT_REASONS),
  note: optionalText(4000),
  duplicate_of: optionalText(40),
  referral: optionalText(1000),
});

export const reject = async (ctx: Ctx, reference: string, input: unknown) => rejectRow(ctx, await handledRequest(ctx, reference), input);

async function rejectRow(ctx: Ctx, r: FullRequestRow, input: unknown) {
  const data = parseInput(rejectSchema, input);
  if (data.reason === 'duplicate' && !data.duplicate_of) throw new RuleError('errors.required', {}, 'duplicate_of');
  if (data.reason === 'not_competent' && !data.referral) throw new RuleError('errors.required', {}, 'referral');
  if (data.reason === 'invalid' && !data.note) throw new RuleError('errors.required', {}, 'note');
  return staffAction(ctx, r, 'reject', async (db, r, now) => {
    const at = iso(now);
    let target: FullRequestRow | undefined;
    if (data.reason === 'duplicate') {
      target = await repo.findFull(db, ctx.commune.id, { reference: normalizeReference(data.duplicate_of) });
      // Merging into a request that was itself merged goes to the one it was merged into.
      // The merge writes on the target (a public event, its followers' mail, the duplicate's followers
      // moved in): like every staff action, only on a request of the actor's own institution, each
      // step of the chain included. Refused before anything is written.
      for (let i = 0; target; i++) {
        if (!canHandle(ctx, target.institution_id)) throw new ForbiddenError();
        if (!target.duplicate_of_id || i >= 10) break;
        target = await repo.findFull(db, ctx.commune.id, { id: target.duplicate_of_id });
      }
      if (!target) throw new RuleError('requests.errors.unknownReference', {}, 'duplicate_of');
      if (target.id === r.id) throw new RuleError('requests.errors.selfDuplicate', {}, 'duplicate_of');
    }
    const set = await transition(db, ctx, r, OPEN_STATUSES, {
      status: 'rejected', reject_reason: data.reason, duplicate_of_id: target?.id ?? null,
      referral: data.reason === 'not_competent' ? data.referral : null, public_note: data.note || null,
      ...firstResponse(r, at), ...(await closing(db, ctx, r, now)),
    });
    if (target) {
      await addEvent(db, ctx, target.id, 'duplicate_merged', true, { data: { from: r.reference }, at });
      await notifyFollowers(db, ctx, target, { kind: 'duplicate_merged', other: r.reference }, { skipEmail: ctx.actor?.email });
      // The duplicate's followers are told, then follow the original instead (its reporter included).
      await notifyFollowers(db, ctx, r, { kind: 'merged', other: target.reference, note: data.note }, { skipEmail: ctx.actor?.email });
      await moveFollowers(db, ctx, r.id, target.id);
      return { set, event: { kind: 'merged', public: true, body: data.note || null, data: { into: target.reference } }, after: { status: 'rejected', reason: 'duplicate', into: target.reference } };
    }
    const referral = data.reason === 'not_competent' ? data.referral : '';
    return {
      set, event: { kind: 'rejected', public: true, body: data.note || null, data: { reason: data.reason, referral: referral || undefined } },
      notify: { kind: `rejected_${data.reason}`, note: [data.note, referral].filter(Boolean).join('\n\n') },
      after: { status: 'rejected', reason: data.reason },
    };
  });
}

async function moveFollowers(db: RqDB, ctx: Ctx, fromId: number, toId: number) {
  const from = await repo.followersOf(db, ctx.commune.id, fromId);
  const existing = new Set((await repo.followersOf(db, ctx.commune.id, toId)).map((f) => f.email_normalized));
  for (const f of from) {
    if (!existing.has(f.email_normalized)) {
      // The row moves with its token, so the unsubscribe link of earlier mails keeps working.
      await repo.updateFollower(db, ctx.commune.id, f.id, { request_id: toId, is_reporter: 0 });
    } else {
      await repo.deleteFollower(db, ctx.commune.id, f.id);
    }
  }
}

const assignSchema = z.object({ assignee_id: optionalInt(1) });

export async function assign(ctx: Ctx, reference: string, input: unknown) {
  const r = await handledRequest(ctx, reference);
  const { assignee_id } = parseInput(assignSchema, input);
  return staffAction(ctx, r, 'assign', async (db, r, now) => {
    if (assignee_id !== null) {
      const staff = await repo.staffOf(db, ctx.commune.id, r.institution_id);
      if (!staff.some((s) => s.id === assignee_id)) throw new RuleError('requests.errors.notStaff', {}, 'assignee_id');
    }
    const set = await touch(db, ctx, r, { assignee_id, updated_at: iso(now) });
    return { set, event: { kind: 'assigned', public: false, data: { assigneeId: assignee_id } }, after: { assigneeId: assignee_id } };
  });
}

export async function addNote(ctx: Ctx, reference: string, input: unknown) {
  const r = await handledRequest(ctx, reference);
  const { note } = parseInput(requiredNoteSchema, input);
  return staffAction(ctx, r, 'note', async (db, r, now) => {
    const set = await touch(db, ctx, r, { updated_at: iso(now) });
    return { set, event: { kind: 'note', public: false, body: note }, after: { note: true } };
  });
}

// ---------- The reporter: by tracking code, or signed in as the one who reported ----------

export type ReporterKey = { code: string } | { reference: string };

export async function findForReporter(ctx: Ctx, key: ReporterKey): Promise<FullRequestRow> {
  const db = rq(ctx.db);
  if ('code' in key) {
    if (!looksLikeTrackingCode(key.code)) throw new NotFoundError();
    const r = await repo.findFull(db, ctx.commune.id, { trackingHash: trackingHash(key.code) });
    if (!r) throw new NotFoundError();
    return r;
  }
  if (!ctx.actor) throw new UnauthenticatedError();
  const r = await loadByReference(db, ctx, key.reference);
  if (r.reporter_user_id !== ctx.actor.userId) throw new ForbiddenError();
  return r;
}

/** The reporter's page: their request without the contact details they gave, and what they may do now. */
export async function reporterView(ctx: Ctx, key: ReporterKey) {
  const r = await findForReporter(ctx, key);
  return { request: withoutContact(r), options: reporterOptions(r, ctx.clock.now()) };
}

/** What the reporter may do now, for the page to offer only that. */
export function reporterOptions(r: FullRequestRow, now: Date) {
  const closedAt = r.closed_at ? Date.parse(r.closed_at) : null;
  const inWindow = closedAt !== null && now.getTime() - closedAt <= FEEDBACK_DAYS * DAY_MS;
  const feedbackGiven = !!r.feedback_at && !!r.resolved_at && r.feedback_at >= r.resolved_at;
  return {
    hideName: !!r.name_public,
    feedback: r.status === 'resolved' && !feedbackGiven,
    canReopen: r.status === 'resolved' && inWindow && r.reopen_count === 0,
    contest: (r.status === 'resolved' || r.status === 'rejected') && inWindow && r.contest_status === 'none' && (r.status === 'rejected' || r.reopen_count >= 1),
  };
}

async function reporterAction<T>(ctx: Ctx, key: ReporterKey, action: string, fn: (db: RqDB, r: FullRequestRow, now: Date) => Promise<{ result: T; after?: unknown }>): Promise<T> {
  const first = await findForReporter(ctx, key);
  const now = ctx.clock.now();
  return mutate(ctx, { permission: null, action: `request.${action}`, entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const r = (await repo.findFull(db, ctx.commune.id, { id: first.id }))!;
    const out = await fn(db, r, now);
    return { result: out.result, entityId: r.reference, after: out.after };
  });
}

export async function hideName(ctx: Ctx, key: ReporterKey): Promise<string> {
  return reporterAction(ctx, key, 'hide_name', async (db, r, now) => {
    await repo.updateRequest(db, ctx.commune.id, r.id, { name_public: 0, updated_at: iso(now) });
    return { result: r.reference, after: { namePublic: false } };
  });
}

const feedbackSchema = z.object({
  fixed: oneOf(['yes', 'no'] as const),
  satisfaction: int(1, 5),
  comment: optionalText(2000),
});

export type FeedbackOutcome = 'thanks' | 'reopened' | 'can_contest' | 'closed';

/** "Is it fixed?": a rating, and if not, the one reopening within 30 days (then the mediator). */
export async function giveFeedback(ctx: Ctx, key: ReporterKey, input: unknown): Promise<{ reference: string; outcome: FeedbackOutcome }> {
  const data = parseInput(feedbackSchema, input);
  return reporterAction(ctx, key, 'feedback', async (db, r, now) => {
    const opts = reporterOptions(r, now);
    if (!opts.feedback) throw new RuleError('requests.errors.noFeedback');
    const at = iso(now);
    const base = { fixed: data.fixed === 'yes' ? 1 : 0, satisfaction: data.satisfaction, satisfaction_comment: data.comment || null, feedback_at: at, updated_at: at };
    let outcome: FeedbackOutcome = 'thanks';
    if (data.fixed === 'no' && opts.canReopen) {
      const category = await repo.findCategory(db, ctx.commune.id, { id: r.category_id });
      await transition(db, ctx, r, ['resolved'], { ...base, ...reopening(await dueDay(db, ctx.commune.id, now, category?.sla_days ?? 10)), reopen_count: r.reopen_count + 1 });
      await addEvent(db, ctx, r.id, 'feedback', true, { data: { fixed: false, satisfaction: data.satisfaction }, at });
      await addEvent(db, ctx, r.id, 'reopened', true, { at });
      await notifyFollowers(db, ctx, r, { kind: 'reopened' }, { skipReporter: true });
      outcome = 'reopened';
    } else {
      await repo.updateRequest(db, ctx.commune.id, r.id, base);
      await addEvent(db, ctx, r.id, 'feedback', true, { data: { fixed: data.fixed === 'yes', satisfaction: data.satisfaction }, at });
      if (data.fixed === 'no') outcome = reporterOptions({ ...r, ...base }, now).contest ? 'can_contest' : 'closed';
    }
    return { result: { reference: r.reference, outcome }, after: { fixed: data.fixed === 'yes', satisfaction: data.satisfaction, outcome } };
  });
}

/** Fields of a request going back to work: a new deadline, the closing facts cleared. */
function reopening(dueOn: string) {
  return { status: 'reopened', due_on: dueOn, resolved_at: null, closed_at: null, within_target: null, resolution_days: null, resolution_hours: null, escalated_at: null };
}

const contestSchema = z.object({ reason: text(4000) });

/** After the one reopening (or a rejection), the reporter can take the file to the independent mediator. */
export async function contest(ctx: Ctx, key: ReporterKey, input: unknown): Promise<string> {
  const { reason } = parseInput(contestSchema, input);
  return reporterAction(ctx, key, 'contest', async (db, r, now) => {
    if (!reporterOptions(r, now).contest) throw new RuleError('requests.errors.noContest');
    const at = iso(now);
    if (await repo.updateRequest(db, ctx.commune.id, r.id, { contest_status: 'pending', updated_at: at }, { contestStatus: 'none' }) !== 1) throw new RuleError('requests.errors.stateChanged');
    await repo.insertContest(db, { commune_id: ctx.commune.id, request_id: r.id, reason, created_at: at, status: 'pending', ruling: null, ruled_at: null, mediator_id: null });
    // The reason stays with the mediator (it may hold personal details); the fact of the contest is public.
    await addEvent(db, ctx, r.id, 'contested', true, { at });
    await notifyFollowers(db, ctx, r, { kind: 'contested' }, { skipReporter: true });
    return { result: r.reference, after: { contest: 'pending' } };
  });
}

const rulingSchema = z.object({ decision: oneOf(['upheld', 'dismissed'] as const), ruling: text(6000) });

/** The mediator's public ruling; upholding the contest sends the request back to work. */
export async function rule(ctx: Ctx, reference: string, input: unknown): Promise<string> {
  authorize(ctx, 'requests.mediate');
  const data = parseInput(rulingSchema, input);
  const now = ctx.clock.now();
  return mutate(ctx, { permission: 'requests.mediate', action: 'request.rule', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const r = await loadByReference(db, ctx, reference);
    const pending = (await repo.contestsOf(db, ctx.commune.id, r.id)).find((c) => c.status === 'pending');
    if (!pending || r.contest_status !== 'pending') throw new RuleError('requests.errors.noPendingContest');
    const at = iso(now);
    await repo.updateContest(db, ctx.commune.id, pending.id, { status: data.decision, ruling: data.ruling, ruled_at: at, mediator_id: ctx.actor?.userId || null });
    let set: Record<string, unknown> = { contest_status: data.decision, updated_at: at };
    if (data.decision === 'upheld') {
      const category = await repo.findCategory(db, ctx.commune.id, { id: r.category_id });
      set = { ...set, ...reopening(await dueDay(db, ctx.commune.id, now, category?.sla_days ?? 10)), reject_reason: null, referral: null };
    }
    await repo.updateRequest(db, ctx.commune.id, r.id, set);
    await addEvent(db, ctx, r.id, 'ruled', true, { body: data.ruling, data: { decision: data.decision }, at });
    await indexRequest(trx, ctx.commune.id, r.id);
    await notifyFollowers(db, ctx, r, { kind: `ruled_${data.decision}`, note: data.ruling });
    return { result: r.reference, entityId: r.reference, after: { decision: data.decision } };
  });
}

// ---------- Following ----------

const followSchema = z.object({ email: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1).max(254).pipe(z.email())) });

export type FollowOutcome = 'following' | 'confirm_sent' | 'already';

/** Anyone may follow a request by email; an address other than the signed-in user's own is confirmed by mail first. */
export async function follow(ctx: Ctx, reference: string, input: unknown): Promise<FollowOutcome> {
  const { email } = parseInput(followSchema, input);
  const normalized = email.toLowerCase();
  const trusted = !!ctx.actor && ctx.actor.email.trim().toLowerCase() === normalized;
  return mutate(ctx, { permission: null, action: 'request.follow', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const r = await repo.findPublicByReference(db, ctx.commune.id, normalizeReference(reference));
    if (!r) throw new NotFoundError();
    const existing = await repo.findFollower(db, ctx.commune.id, r.id, normalized);
    const at = iso(ctx.clock.now());
    let outcome: FollowOutcome;
    if (existing?.confirmed) outcome = 'already';
    else if (existing) {
      if (trusted) { await repo.updateFollower(db, ctx.commune.id, existing.id, { confirmed: 1 }); outcome = 'following'; }
      else { await mailConfirmFollow(trx, ctx, { id: r.id, reference: r.reference, category_id: r.category_id }, { email, locale: ctx.locale, token: existing.token }); outcome = 'confirm_sent'; }
    } else {
      const token = randomToken(24);
      await repo.insertFollower(db, {
        commune_id: ctx.commune.id, request_id: r.id, email, email_normalized: normalized, user_id: trusted ? ctx.actor!.userId : null,
        locale: ctx.locale, token, confirmed: trusted ? 1 : 0, is_reporter: 0, created_at: at,
      });
      if (!trusted) await mailConfirmFollow(trx, ctx, { id: r.id, reference: r.reference, category_id: r.category_id }, { email, locale: ctx.locale, token });
      outcome = trusted ? 'following' : 'confirm_sent';
    }
    return { result: outcome, entityId: r.reference, after: { outcome } };
  });
}

/** The follower of a mail link's token; undefined for a malformed or unknown one. */
const followerOf = (ctx: Ctx, token: string) =>
  (/^[A-Za-z0-9_-]{16,64}$/.test(token) ? repo.findFollowerByToken(rq(ctx.db), ctx.commune.id, token) : Promise.resolve(undefined));

/** The request a mail link's follower token is about (its reference), read only; null for an unknown token. */
export async function followerRequest(ctx: Ctx, token: string): Promise<string | null> {
  const f = await followerOf(ctx, token);
  return f ? (await repo.referencesOf(rq(ctx.db), ctx.commune.id, [f.request_id]))[0]?.reference ?? null : null;
}

async function followerAction(ctx: Ctx, token: string, action: 'confirm' | 'unsubscribe'): Promise<string | null> {
  // An unknown token changes nothing, so it writes nothing (not even an audit entry anyone could add at will).
  if (!(await followerOf(ctx, token))) return null;
  return mutate(ctx, { permission: null, action: `request.${action}`, entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const f = await repo.findFollowerByToken(db, ctx.commune.id, token);
    if (!f) return { result: null };
    const ref = (await repo.referencesOf(db, ctx.commune.id, [f.request_id]))[0]?.reference ?? null;
    if (action === 'confirm') await repo.updateFollower(db, ctx.commune.id, f.id, { confirmed: 1 });
    else await repo.deleteFollower(db, ctx.commune.id, f.id);
    return { result: ref, entityId: ref };
  });
}

/** The button behind a confirmation mail's link; returns the request's reference, or null for an unknown token. */
export const confirmFollow = (ctx: Ctx, token: string) => followerAction(ctx, token, 'confirm');
/** The button behind the link at the foot of every mail; returns the request's reference, or null if already gone. */
export const unsubscribe = (ctx: Ctx, token: string) => followerAction(ctx, token, 'unsubscribe');

// ---------- Moderation ----------

/** Hides or shows a photo; with `reference`, only a photo of that request (the staff file's buttons). */
export async function setPhotoHidden(ctx: Ctx, photoId: number, hidden: boolean, reference?: string): Promise<string> {
  return mutate(ctx, { permission: 'requests.moderate', action: hidden ? 'request.photo_hide' : 'request.photo_show', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const p = await repo.findPhoto(db, ctx.commune.id, photoId);
    if (!p) throw new NotFoundError();
    if (reference !== undefined && (await repo.referencesOf(db, ctx.commune.id, [p.request_id]))[0]?.reference !== normalizeReference(reference)) throw new NotFoundError();
    await repo.setPhotoHidden(db, ctx.commune.id, photoId, hidden);
    const ref = (await repo.referencesOf(db, ctx.commune.id, [p.request_id]))[0].reference;
    await addEvent(db, ctx, p.request_id, hidden ? 'photo_hidden' : 'photo_shown', false, { data: { photoId } });
    return { result: ref, entityId: ref, after: { photoId, hidden } };
  });
}

export async function moderatorHideName(ctx: Ctx, reference: string): Promise<void> {
  await mutate(ctx, { permission: 'requests.moderate', action: 'request.hide_name', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const r = await loadByReference(db, ctx, reference);
    await repo.updateRequest(db, ctx.commune.id, r.id, { name_public: 0 });
    await addEvent(db, ctx, r.id, 'name_hidden', false);
    return { result: undefined, entityId: r.reference, after: { namePublic: false } };
  });
}

// ---------- Overdue requests: flagged, and escalated to the head once ----------

/**
 * Marks every open request past its deadline as escalated (once: the update only takes rows not yet
 * escalated, so two processes never both send) and mails each institution's head the list; without
 * a head, the institution's staff get it.
 */
export async function escalateOverdue(ctx: Ctx, limit = 500): Promise<number> {
  const today = localDay(ctx.clock.now());
  return mutate(ctx, { permission: 'requests.escalate', action: 'request.escalate', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const due = await repo.overdueToEscalate(db, ctx.commune.id, today, limit);
    const at = iso(ctx.clock.now());
    const taken: typeof due = [];
    for (const r of due) {
      if (await repo.updateRequest(db, ctx.commune.id, r.id, { escalated_at: at }, { notEscalated: true }) !== 1) continue;
      taken.push(r);
      await addEvent(db, ctx, r.id, 'escalated', false, { data: { dueOn: r.due_on }, at });
    }
    const heads = await repo.headsOf(db, ctx.commune.id);
    const byInstitution = new Map<number, typeof due>();
    for (const r of taken) byInstitution.set(r.institution_id, [...(byInstitution.get(r.institution_id) ?? []), r]);
    for (const [institutionId, items] of byInstitution) {
      const head = heads.find((h) => h.institution_id === institutionId);
      const recipients = head ? [head] : await repo.staffOf(db, ctx.commune.id, institutionId);
      for (const to of recipients) await mailEscalation(trx, ctx, { email: to.email, locale: to.locale }, items);
    }
    return { result: taken.length, entityId: null, after: { escalated: taken.map((r) => r.reference) } };
  });
}

/** The institutions whose queue the actor works (null: every institution, for unscoped roles). */
export function queueScope(ctx: Ctx): number[] | null {
  const a = ctx.actor;
  if (!a) throw new ForbiddenError();
  if (hasRole(a, 'admin') || hasRole(a, 'counter_agent') || hasRole(a, 'mediator') || hasRole(a, 'moderator')) return null;
  const ids = a.grants.filter((g) => (g.role === 'department_staff' || g.role === 'operator_staff') && g.institutionId !== null).map((g) => g.institutionId!);
  if (!ids.length) throw new ForbiddenError();
  return ids;
}

/** A citizen lost their tracking code: the counter issues a new one (the old one stops working). */
export async function reissueCode(ctx: Ctx, reference: string): Promise<string> {
  const code = newTrackingCode();
  return mutate(ctx, { permission: 'requests.report_for', action: 'request.code_reissued', entity: 'request' }, async (trx) => {
    const db = rq(trx);
    const r = await loadByReference(db, ctx, reference);
    await repo.updateRequest(db, ctx.commune.id, r.id, { tracking_hash: trackingHash(code) });
    await addEvent(db, ctx, r.id, 'code_reissued', false);
    return { result: code, entityId: r.reference };
  });
}
