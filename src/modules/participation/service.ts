import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { engineOf, type AnyDB } from '../../core/db/index.ts';
import { NotFoundError, RuleError, UnauthenticatedError } from '../../core/http/errors.ts';
import { parseTranslated, tr, formatDate, type Translated, type Locale, isLocale } from '../../core/i18n/index.ts';
import { TIME_ZONE, iso } from '../../core/clock/index.ts';
import { can } from '../../core/auth/roles.ts';
import { randomToken, sha256 } from '../../core/auth/passwords.ts';
import { queueMail } from '../../core/mail/index.ts';
import { icalendar, type CalendarEvent } from '../../core/feeds/index.ts';
import { enqueueJob } from '../../core/jobs/index.ts';
import { publicOrigin } from '../../core/http/origin.ts';
import type { CommentTarget, RelatedGroup } from '../../core/module.ts';
import { commitmentAsCommentTarget } from '../accountability/service.ts';
import { normalizeEmail } from '../accounts/service.ts';
import * as repo from './repo.ts';
import { pdb, type PartDB } from './repo.ts';
import * as rules from './rules.ts';
import { indexProcess, indexProposal } from './search.ts';
import { SEXES, AGE_BANDS, type Answer } from './schema.ts';

export const MANAGE = 'participation.manage';
export const ATTEND = 'participation.attendance';
export const SUBMIT_FOR = 'participation.submit_for';
export const MODERATE = 'participation.moderate';
export const REGISTRY = 'participation.registry';
export const PROPOSALS = 'participation.proposals';
export const REMINDER_JOB = 'participation.reminder';

/** Slugs a process may not take: the module's own paths under /participation. */
export const RESERVED_SLUGS = ['me', 'meetings', 'registrations', 'proposals', 'invitations', 'calendar'];
export const PAGE_SIZE = 20;

const now = (ctx: Ctx) => iso(ctx.clock.now());
export function today(ctx: Ctx): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.clock.now());
}
const db = (x: Ctx | AnyDB): PartDB => pdb('clock' in x && 'commune' in x ? (x as Ctx).db : (x as AnyDB));
const link = (ctx: Ctx, locale: string, path: string) => `${publicOrigin(ctx.config, ctx.commune)}/${locale}${path}`;
const isPg = (trx: AnyDB) => engineOf(trx) === 'postgres';
const tokenOk = (t: string) => /^[A-Za-z0-9_-]{16,64}$/.test(t);

// ---------- Inputs ----------

export interface PhaseInput { kind: string; startsOn: string; endsOn: string }
export interface ProcessInput {
  slug: string; title: Translated; description?: Translated; planId?: number | null; bodyId?: number | null; status: string;
  results?: Translated; phases: PhaseInput[]; sample?: boolean;
}
export interface MeetingInput {
  kind: string; title: Translated; agenda?: Translated; mode: string; place?: string; district?: string; onlineUrl?: string;
  startsAt: string; endsAt: string; capacity?: number | null; registrationOpensAt?: string | null; registrationClosesAt?: string | null;
  invitationOnly?: boolean; status?: string; minutes?: Translated; outcomes?: Translated; targets?: rules.Targets; sample?: boolean;
}
/** A person's record as they (or an agent for them) give it; the dimensions are kept only with their consent. */
export interface PersonInput {
  name: string; email?: string | null; phone?: string | null; organisation?: string | null; orgType?: string;
  consent: boolean; ageBand?: string | null; sex?: string | null; district?: string | null; activist?: boolean; expert?: boolean;
  resourcePerson?: boolean; sector?: string | null; sample?: boolean;
}
export interface ProposalInput { title: string; body: string; theme?: string; district?: string; name?: string; email?: string | null; meetingId?: number | null; channel?: string; sample?: boolean }
export interface AnswerInput { answer: Answer; text?: Translated; mergedInto?: number | null; commitmentId?: number | null }

// ---------- Shapes ----------

export interface Process {
  id: number; slug: string; title: Translated; description: Translated; planId: number | null; bodyId: number | null; status: string;
  results: Translated; sample: boolean; createdAt: string;
}
const toProcess = (r: repo.ProcessRow): Process => ({
  id: r.id, slug: r.slug, title: parseTranslated(r.title), description: parseTranslated(r.description), planId: r.plan_id, bodyId: r.body_id,
  status: r.status, results: parseTranslated(r.results), sample: !!r.sample, createdAt: r.created_at,
});
export interface Phase { kind: string; startsOn: string; endsOn: string; current: boolean }
export interface Meeting {
  id: number; processId: number; kind: string; title: Translated; agenda: Translated; mode: string; place: string; district: string;
  startsAt: string; endsAt: string; capacity: number | null; registrationOpensAt: string | null; registrationClosesAt: string | null;
  invitationOnly: boolean; status: string; minutes: Translated; outcomes: Translated; targets: rules.Targets; sample: boolean; registered: number;
}
type MeetingRowLike = Awaited<ReturnType<typeof repo.meetingsOf>>[number] | NonNullable<Awaited<ReturnType<typeof repo.findMeeting>>>;
const toMeeting = (r: MeetingRowLike, registered = 0): Meeting => ({
  id: r.id, processId: r.process_id, kind: r.kind, title: parseTranslated(r.title), agenda: parseTranslated(r.agenda), mode: r.mode, place: r.place,
  district: r.district, startsAt: r.starts_at, endsAt: r.ends_at, capacity: r.capacity, registrationOpensAt: r.registration_opens_at,
  registrationClosesAt: r.registration_closes_at, invitationOnly: !!r.invitation_only, status: r.status, minutes: parseTranslated(r.minutes),
  outcomes: parseTranslated(r.outcomes), targets: rules.parseTargets(r.targets), sample: !!r.sample,
  registered: 'registered' in r ? Number((r as { registered: unknown }).registered ?? 0) : registered,
});
export interface Proposal {
  id: number; processId: number; number: number; title: string; body: string; theme: string; district: string; channel: string; status: string;
  hiddenReason: string | null; answer: string; answerText: Translated; mergedIntoId: number | null; commitmentId: number | null;
  answeredAt: string | null; supports: number; sample: boolean; createdAt: string;
}
const toProposal = (r: repo.ProposalRow): Proposal => ({
  id: r.id, processId: r.process_id, number: r.number, title: r.title, body: r.body, theme: r.theme, district: r.district, channel: r.channel,
  status: r.status, hiddenReason: r.hidden_reason, answer: r.answer, answerText: parseTranslated(r.answer_text), mergedIntoId: r.merged_into_id,
  commitmentId: r.commitment_id, answeredAt: r.answered_at, supports: r.supports, sample: !!r.sample, createdAt: r.created_at,
});

// ---------- Processes ----------

async function processOr404(ctx: Ctx, slug: string, d: PartDB = db(ctx)) {
  const p = await repo.findProcess(d, ctx.commune.id, { slug });
  if (!p || (p.status === 'draft' && !can(ctx.actor, MANAGE))) throw new NotFoundError();
  return p;
}

export async function listProcesses(ctx: Ctx): Promise<Process[]> {
  return (await repo.listProcesses(db(ctx), ctx.commune.id, false)).map(toProcess);
}
export async function listProcessesForAdmin(ctx: Ctx): Promise<Process[]> {
  authorize(ctx, MANAGE);
  return (await repo.listProcesses(db(ctx), ctx.commune.id, true)).map(toProcess);
}

export interface ProcessPage {
  process: Process; phases: Phase[]; currentPhase: string | null; meetings: Meeting[]; meetingCount: number;
  proposals: Proposal[]; proposalCount: number; related: { commitment: CommentTarget | null };
}
export async function getProcess(ctx: Ctx, slug: string, opts: { meetings?: number } = {}): Promise<ProcessPage> {
  const d = db(ctx);
  const p = await processOr404(ctx, slug, d);
  const day = today(ctx);
  const f: repo.ProposalFilter = { statuses: ['published'] };
  const [phases, meetings, meetingCount, proposals, proposalCount] = await Promise.all([
    repo.phasesOf(d, ctx.commune.id, p.id),
    repo.meetingsOf(d, ctx.commune.id, p.id, opts.meetings ?? 60),
    repo.countMeetings(d, ctx.commune.id, p.id),
    repo.listProposals(d, ctx.commune.id, p.id, f, 'supports', 1, 10),
    repo.countProposals(d, ctx.commune.id, p.id, f),
  ]);
  const current = rules.currentPhase(phases, day);
  return {
    process: toProcess(p),
    phases: phases.map((ph) => ({ kind: ph.kind, startsOn: ph.starts_on, endsOn: ph.ends_on, current: ph === current })),
    currentPhase: current?.kind ?? null,
    meetings: meetings.map((m) => toMeeting(m)), meetingCount, proposals: proposals.map(toProposal), proposalCount,
    related: { commitment: null },
  };
}

export async function getProcessForAdmin(ctx: Ctx, id: number) {
  authorize(ctx, MANAGE);
  const d = db(ctx);
  const p = await repo.findProcess(d, ctx.commune.id, { id });
  if (!p) throw new NotFoundError();
  const [phases, meetings] = await Promise.all([repo.phasesOf(d, ctx.commune.id, id), repo.meetingsOf(d, ctx.commune.id, id, 500)]);
  return { process: toProcess(p), phases: phases.map((ph) => ({ kind: ph.kind, startsOn: ph.starts_on, endsOn: ph.ends_on, current: false })), meetings: meetings.map((m) => toMeeting(m)) };
}

function checkProcess(p: ProcessInput) {
  if (RESERVED_SLUGS.includes(p.slug)) throw new RuleError('participation.slugReserved', {}, 'slug');
  for (const ph of p.phases) if (ph.endsOn < ph.startsOn) throw new RuleError('participation.phaseDates', { phase: ph.kind }, 'phases');
}
async function writePhases(trx: AnyDB, ctx: Ctx, processId: number, phases: PhaseInput[]) {
  const d = db(trx);
  await d.deleteFrom('process_phases').where('commune_id', '=', ctx.commune.id).where('process_id', '=', processId).execute();
  if (phases.length) await d.insertInto('process_phases').values(phases.map((ph, i) => ({
    commune_id: ctx.commune.id, process_id: processId, kind: ph.kind, starts_on: ph.startsOn, ends_on: ph.endsOn, sort: i,
  }))).execute();
}

export async function createProcess(ctx: Ctx, p: ProcessInput): Promise<number> {
  checkProcess(p);
  return mutate(ctx, { permission: MANAGE, action: 'process.create', entity: 'process' }, async (trx) => {
    const d = db(trx);
    if (await repo.findProcess(d, ctx.commune.id, { slug: p.slug })) throw new RuleError('participation.slugTaken', {}, 'slug');
    const at = now(ctx);
    const { id } = await d.insertInto('processes').values({
      commune_id: ctx.commune.id, slug: p.slug, title: JSON.stringify(p.title), description: JSON.stringify(p.description ?? {}),
      plan_id: p.planId ?? null, body_id: p.bodyId ?? null, status: p.status, results: JSON.stringify(p.results ?? {}), sample: p.sample ? 1 : 0,
      created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    await writePhases(trx, ctx, id, p.phases);
    await indexProcess(trx, ctx.commune.id, id);
    return { result: id, entityId: p.slug, after: p };
  });
}

export async function updateProcess(ctx: Ctx, id: number, p: Omit<ProcessInput, 'slug'>): Promise<void> {
  checkProcess({ ...p, slug: '' });
  await mutate(ctx, { permission: MANAGE, action: 'process.update', entity: 'process' }, async (trx) => {
    const d = db(trx);
    const before = await repo.findProcess(d, ctx.commune.id, { id });
    if (!before) throw new NotFoundError();
    await d.updateTable('processes').set({
      title: JSON.stringify(p.title), description: JSON.stringify(p.description ?? {}), plan_id: p.planId ?? null, body_id: p.bodyId ?? null,
      status: p.status, results: JSON.stringify(p.results ?? {}), updated_at: now(ctx),
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await writePhases(trx, ctx, id, p.phases);
    await indexProcess(trx, ctx.commune.id, id);
    return { result: undefined, entityId: before.slug, before: toProcess(before), after: p };
  });
}

// ---------- Meetings ----------

function checkMeeting(m: MeetingInput) {
  if (m.endsAt <= m.startsAt) throw new RuleError('participation.endsBeforeStart', {}, 'ends_at');
  if (m.registrationOpensAt && m.registrationClosesAt && m.registrationClosesAt <= m.registrationOpensAt) throw new RuleError('participation.closesBeforeOpens', {}, 'registration_closes_at');
  if (m.mode === 'online' && !m.onlineUrl) throw new RuleError('participation.onlineNeedsLink', {}, 'online_url');
}
const meetingValues = (ctx: Ctx, m: MeetingInput) => ({
  kind: m.kind, title: JSON.stringify(m.title), agenda: JSON.stringify(m.agenda ?? {}), mode: m.mode, place: m.place ?? '', district: m.district ?? '',
  online_url: m.onlineUrl ?? '', starts_at: m.startsAt, ends_at: m.endsAt, capacity: m.capacity ?? null,
  registration_opens_at: m.registrationOpensAt ?? null, registration_closes_at: m.registrationClosesAt ?? null, invitation_only: m.invitationOnly ? 1 : 0,
  status: m.status ?? 'scheduled', minutes: JSON.stringify(m.minutes ?? {}), outcomes: JSON.stringify(m.outcomes ?? {}), targets: JSON.stringify(m.targets ?? {}),
  updated_at: now(ctx),
});
/** The reminder goes a day before the meeting (or at once when it is closer than that). */
async function scheduleReminder(trx: AnyDB, ctx: Ctx, meetingId: number, startsAt: string) {
  const runAt = new Date(Math.max(ctx.clock.now().getTime(), new Date(startsAt).getTime() - 86_400_000));
  if (new Date(startsAt) > ctx.clock.now()) await enqueueJob(trx, { communeId: ctx.commune.id, kind: REMINDER_JOB, key: `meeting-${meetingId}`, payload: { meetingId, startsAt }, at: ctx.clock.now(), runAt });
}

export async function createMeeting(ctx: Ctx, processId: number, m: MeetingInput): Promise<number> {
  checkMeeting(m);
  return mutate(ctx, { permission: MANAGE, action: 'meeting.create', entity: 'meeting' }, async (trx) => {
    const d = db(trx);
    if (!(await repo.findProcess(d, ctx.commune.id, { id: processId }))) throw new NotFoundError();
    const { id } = await d.insertInto('meetings').values({ commune_id: ctx.commune.id, process_id: processId, sample: m.sample ? 1 : 0, sequence: 0, ...meetingValues(ctx, m) })
      .returning('id').executeTakeFirstOrThrow();
    await scheduleReminder(trx, ctx, id, m.startsAt);
    return { result: id, entityId: id, after: m };
  });
}

export async function updateMeeting(ctx: Ctx, id: number, m: MeetingInput): Promise<void> {
  checkMeeting(m);
  await mutate(ctx, { permission: MANAGE, action: 'meeting.update', entity: 'meeting' }, async (trx) => {
    const d = db(trx);
    const before = await repo.findMeeting(d, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    await d.updateTable('meetings').set({ ...meetingValues(ctx, m), sequence: before.sequence + 1 }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    if (before.starts_at !== m.startsAt) await scheduleReminder(trx, ctx, id, m.startsAt);
    // More room: the waiting list moves up.
    if (m.capacity === null || m.capacity === undefined || (before.capacity !== null && m.capacity > before.capacity)) await promoteWaiting(trx, ctx, id, m.capacity ?? null);
    return { result: undefined, entityId: id, before: toMeeting(before), after: m };
  });
}

export interface MeetingPage {
  meeting: Meeting; processSlug: string; processTitle: Translated; state: ReturnType<typeof rules.registrationState>;
  waiting: number; mine: { status: string } | null; onlineUrl: string | null;
}
export async function getMeeting(ctx: Ctx, id: number): Promise<MeetingPage> {
  const d = db(ctx);
  const m = await repo.findMeeting(d, ctx.commune.id, id);
  if (!m || (m.process_status === 'draft' && !can(ctx.actor, MANAGE))) throw new NotFoundError();
  const [registered, waiting, me] = await Promise.all([
    repo.countRegistered(d, ctx.commune.id, id), repo.countRegistered(d, ctx.commune.id, id, 'waiting'),
    ctx.actor ? repo.findParticipant(d, ctx.commune.id, { userId: ctx.actor.userId }) : Promise.resolve(undefined),
  ]);
  const reg = me ? await repo.findRegistration(d, ctx.commune.id, { meetingId: id, participantId: me.id }) : undefined;
  const mine = reg && reg.status !== 'cancelled' ? { status: reg.status } : null;
  return {
    meeting: toMeeting(m, registered), processSlug: m.process_slug, processTitle: parseTranslated(m.process_title),
    state: rules.registrationState(m, now(ctx)), waiting, mine,
    // The online link: for registered people (and staff) only.
    onlineUrl: m.mode === 'online' && (mine?.status === 'registered' || can(ctx.actor, MANAGE)) ? m.online_url : null,
  };
}

/** The public iCalendar feed's events: meetings of published processes from 90 days ago on. */
export async function calendarEvents(ctx: Ctx, locale: Locale): Promise<CalendarEvent[]> {
  const since = iso(new Date(ctx.clock.now().getTime() - 90 * 86_400_000));
  const rows = await repo.calendarMeetings(db(ctx), ctx.commune.id, since);
  return rows.map((m) => meetingEvent(ctx, locale, { ...m, process_title: m.process_title }));
}
function meetingEvent(ctx: Ctx, locale: Locale, m: { id: number; title: string; agenda: string; mode: string; place: string; district: string; starts_at: string; ends_at: string; status: string; sequence: number; updated_at: string; process_title: string }): CalendarEvent {
  const host = ctx.commune.hosts[0] ?? ctx.commune.slug;
  return {
    uid: `meeting-${m.id}@${host}`, start: m.starts_at, end: m.ends_at, summary: tr(parseTranslated(m.title), locale),
    description: [tr(parseTranslated(m.process_title), locale), tr(parseTranslated(m.agenda), locale)].filter(Boolean).join('\n\n'),
    location: m.mode === 'online' ? ctx.tFor(locale)('participation.mode.online') : [m.place, m.district].filter(Boolean).join(', '),
    url: link(ctx, locale, `/participation/meetings/${m.id}`), updated: m.updated_at,
    status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED', sequence: m.sequence,
  };
}

// ---------- Participants ----------

function personValues(p: PersonInput, at: string) {
  const c = p.consent;
  return {
    name: p.name, email: p.email || null, email_normalized: p.email ? normalizeEmail(p.email) : null, phone: p.phone || null,
    organisation: p.organisation || null, org_type: p.orgType ?? 'none',
    // The diversity dimensions are recorded only with the person's consent, and its date.
    age_band: c ? p.ageBand || null : null, sex: c ? p.sex || null : null, district: c ? p.district || null : null,
    activist: c && p.activist ? 1 : 0, expert: c && p.expert ? 1 : 0, resource_person: c && p.resourcePerson ? 1 : 0, sector: c ? p.sector || null : null,
    consent_at: c ? at : null,
  };
}

/** Finds the person's record (by account, then email) or creates it; an existing record takes the newer answers. */
async function upsertParticipant(trx: AnyDB, ctx: Ctx, p: PersonInput, userId: number | null, locale: string): Promise<number> {
  const d = db(trx);
  const at = now(ctx);
  const existing = (userId ? await repo.findParticipant(d, ctx.commune.id, { userId }) : undefined)
    ?? (p.email ? await repo.findParticipant(d, ctx.commune.id, { email: normalizeEmail(p.email) }) : undefined);
  const values = personValues(p, at);
  if (existing) {
    await d.updateTable('participants').set({
      ...values, user_id: existing.user_id ?? userId, locale,
      // Consent given earlier stays (with its date) unless the person gives it again.
      ...(p.consent ? {} : { age_band: existing.age_band, sex: existing.sex, district: existing.district, activist: existing.activist, expert: existing.expert, resource_person: existing.resource_person, sector: existing.sector, consent_at: existing.consent_at }),
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const inserted = await d.insertInto('participants').values({ commune_id: ctx.commune.id, user_id: userId, locale, sample: p.sample ? 1 : 0, created_at: at, erased_at: null, ...values })
    .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  if (inserted) return inserted.id;
  // A parallel request created the same person first.
  const again = (userId ? await repo.findParticipant(d, ctx.commune.id, { userId }) : undefined)
    ?? (p.email ? await repo.findParticipant(d, ctx.commune.id, { email: normalizeEmail(p.email) }) : undefined);
  if (!again) throw new RuleError('participation.tryAgain');
  return again.id;
}

// ---------- Registrations ----------

export type RegistrationOutcome = { status: 'registered' | 'waiting'; token: string; meetingId: number };

async function registerIn(trx: AnyDB, ctx: Ctx, meetingId: number, p: PersonInput, userId: number | null, channel: string, opts: { staff?: boolean; attended?: boolean } = {}): Promise<RegistrationOutcome & { participantId: number }> {
  const d = db(trx);
  await repo.lockMeeting(trx, ctx.commune.id, meetingId, isPg(trx));
  const m = await repo.findMeeting(d, ctx.commune.id, meetingId);
  if (!m || m.process_status === 'draft') throw new NotFoundError();
  const state = rules.registrationState(m, now(ctx));
  if (!opts.staff && state !== 'open') throw new RuleError(`participation.registration.${state}`);
  if (opts.staff && m.status === 'cancelled') throw new RuleError('participation.registration.cancelled');
  const locale = isLocale(ctx.locale) ? ctx.locale : 'fr';
  const participantId = await upsertParticipant(trx, ctx, p, userId, locale);
  const existing = await repo.findRegistration(d, ctx.commune.id, { meetingId, participantId });
  if (existing && existing.status !== 'cancelled' && !opts.attended) throw new RuleError('participation.alreadyRegistered', { status: ctx.t(`participation.regStatus.${existing.status}`) });
  const registered = await repo.countRegistered(d, ctx.commune.id, meetingId);
  const status = opts.attended ? 'registered' : rules.placeFor(m.capacity, registered);
  const token = randomToken(24);
  const at = now(ctx);
  if (existing) {
    await d.updateTable('registrations').set({ status, channel, cancel_token_hash: sha256(token), attended: opts.attended ? 1 : existing.attended, updated_at: at })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', existing.id).execute();
  } else {
    const r = await d.insertInto('registrations').values({
      commune_id: ctx.commune.id, meeting_id: meetingId, participant_id: participantId, status, channel, cancel_token_hash: sha256(token),
      attended: opts.attended ? 1 : 0, group_label: null, created_at: at, updated_at: at,
    }).onConflict((oc) => oc.columns(['commune_id', 'meeting_id', 'participant_id']).doNothing()).returning('id').executeTakeFirst();
    // A parallel request registered this person first: the constraint decided.
    if (!r) throw new RuleError('participation.alreadyRegistered', { status: ctx.t('participation.regStatus.registered') });
  }
  const person = await repo.findParticipant(d, ctx.commune.id, { id: participantId });
  if (person?.email && !opts.attended) await mailRegistration(trx, ctx, m, person, status, token);
  return { status, token, meetingId, participantId };
}

/** Registers the signed-in visitor or someone giving their name and email (a capability link comes by mail). */
export async function register(ctx: Ctx, meetingId: number, p: PersonInput): Promise<RegistrationOutcome> {
  const person = ctx.actor ? { ...p, email: ctx.actor.email, name: p.name || ctx.actor.name } : p;
  if (!person.email) throw new RuleError('participation.emailRequired', {}, 'email');
  return mutate(ctx, { permission: null, action: 'registration.create', entity: 'meeting' }, async (trx) => {
    const out = await registerIn(trx, ctx, meetingId, person, ctx.actor?.userId ?? null, 'online');
    return { result: { status: out.status, token: out.token, meetingId }, entityId: meetingId, after: { status: out.status, participant: out.participantId } };
  });
}

/** A counter agent registers someone (who may have no email: the agent gives them the receipt). */
export async function registerFor(ctx: Ctx, meetingId: number, p: PersonInput): Promise<RegistrationOutcome> {
  return mutate(ctx, { permission: ATTEND, action: 'registration.counter', entity: 'meeting' }, async (trx) => {
    const out = await registerIn(trx, ctx, meetingId, p, null, 'counter', { staff: true });
    return { result: { status: out.status, token: out.token, meetingId }, entityId: meetingId, after: { status: out.status, participant: out.participantId } };
  });
}

/** Someone who came without registering, entered at the door: registered and present at once. */
export async function walkIn(ctx: Ctx, meetingId: number, p: PersonInput, group?: string | null): Promise<void> {
  await mutate(ctx, { permission: ATTEND, action: 'registration.walk_in', entity: 'meeting' }, async (trx) => {
    const out = await registerIn(trx, ctx, meetingId, p, null, 'walk_in', { staff: true, attended: true });
    if (group) await db(trx).updateTable('registrations').set({ group_label: group }).where('commune_id', '=', ctx.commune.id)
      .where('meeting_id', '=', meetingId).where('participant_id', '=', out.participantId).execute();
    return { result: undefined, entityId: meetingId, after: { participant: out.participantId, group } };
  });
}

/** Moves the first people of the waiting list up while there is room, and tells them. */
async function promoteWaiting(trx: AnyDB, ctx: Ctx, meetingId: number, capacity: number | null) {
  const d = db(trx);
  const m = await repo.findMeeting(d, ctx.commune.id, meetingId);
  if (!m) return;
  for (let i = 0; i < 1000; i++) {
    const registered = await repo.countRegistered(d, ctx.commune.id, meetingId);
    if (capacity !== null && registered >= capacity) return;
    const next = await repo.firstWaiting(d, ctx.commune.id, meetingId);
    if (!next) return;
    const token = randomToken(24);
    await d.updateTable('registrations').set({ status: 'registered', cancel_token_hash: sha256(token), updated_at: now(ctx) })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', next.id).execute();
    const person = await repo.findParticipant(d, ctx.commune.id, { id: next.participant_id });
    if (person?.email) await mailRegistration(trx, ctx, m, person, 'promoted', token);
  }
}

export interface RegistrationView { status: string; meetingId: number; title: Translated; startsAt: string; mode: string; onlineUrl: string | null }
/** What a cancellation link shows (read only). */
export async function registrationByToken(ctx: Ctx, token: string): Promise<RegistrationView> {
  const d = db(ctx);
  const r = tokenOk(token) ? await repo.findRegistration(d, ctx.commune.id, { tokenHash: sha256(token) }) : undefined;
  if (!r) throw new NotFoundError();
  const m = await repo.findMeeting(d, ctx.commune.id, r.meeting_id);
  if (!m) throw new NotFoundError();
  return { status: r.status, meetingId: m.id, title: parseTranslated(m.title), startsAt: m.starts_at, mode: m.mode, onlineUrl: r.status === 'registered' && m.mode === 'online' ? m.online_url : null };
}

/** Cancels by the mail's link; the first on the waiting list takes the place. */
export async function cancelByToken(ctx: Ctx, token: string): Promise<number> {
  if (!tokenOk(token)) throw new NotFoundError();
  return mutate(ctx, { permission: null, action: 'registration.cancel', entity: 'registration' }, async (trx) => {
    const d = db(trx);
    const r = await repo.findRegistration(d, ctx.commune.id, { tokenHash: sha256(token) });
    if (!r) throw new NotFoundError();
    await repo.lockMeeting(trx, ctx.commune.id, r.meeting_id, isPg(trx));
    if (r.status === 'cancelled') throw new RuleError('participation.alreadyCancelled');
    await d.updateTable('registrations').set({ status: 'cancelled', updated_at: now(ctx) }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
    const m = await repo.findMeeting(d, ctx.commune.id, r.meeting_id);
    if (r.status === 'registered' && m) await promoteWaiting(trx, ctx, r.meeting_id, m.capacity);
    return { result: r.meeting_id, entityId: r.id, before: { status: r.status }, after: { status: 'cancelled' } };
  });
}

/** The door: who came (the checked boxes) and their working group. */
export async function markAttendance(ctx: Ctx, meetingId: number, present: number[], groups: Record<number, string>): Promise<number> {
  return mutate(ctx, { permission: ATTEND, action: 'meeting.attendance', entity: 'meeting' }, async (trx) => {
    const d = db(trx);
    if (!(await repo.findMeeting(d, ctx.commune.id, meetingId))) throw new NotFoundError();
    const at = now(ctx);
    await d.updateTable('registrations').set({ attended: 0, updated_at: at }).where('commune_id', '=', ctx.commune.id).where('meeting_id', '=', meetingId).execute();
    if (present.length) await d.updateTable('registrations').set({ attended: 1, updated_at: at }).where('commune_id', '=', ctx.commune.id)
      .where('meeting_id', '=', meetingId).where('id', 'in', present).where('status', '!=', 'cancelled').execute();
    for (const [id, g] of Object.entries(groups)) {
      await d.updateTable('registrations').set({ group_label: g || null }).where('commune_id', '=', ctx.commune.id).where('meeting_id', '=', meetingId).where('id', '=', Number(id)).execute();
    }
    return { result: present.length, entityId: meetingId, after: { present } };
  });
}

export async function getMeetingForAdmin(ctx: Ctx, id: number) {
  if (!can(ctx.actor, MANAGE)) authorize(ctx, ATTEND);
  const d = db(ctx);
  const m = await repo.findMeeting(d, ctx.commune.id, id);
  if (!m) throw new NotFoundError();
  const [registrations, stats] = await Promise.all([repo.registrationsOf(d, ctx.commune.id, id), repo.breakdowns(ctx.db, ctx.commune.id, { meetingId: id })]);
  const meeting = toMeeting(m, registrations.filter((r) => r.status === 'registered').length);
  const counts: Record<string, Record<string, number>> = {
    sex: Object.fromEntries(stats.sex.map((x) => [x.value, x.n])), age_band: Object.fromEntries(stats.age.map((x) => [x.value, x.n])),
    district: Object.fromEntries(stats.district.map((x) => [x.value, x.n])), org_type: Object.fromEntries(stats.category.map((x) => [x.value, x.n])),
  };
  // Before the meeting is held, the registered people are what its composition will be.
  const basis = stats.total > 0 ? { counts, total: stats.total } : compositionOfRegistered(registrations);
  return {
    meeting, processSlug: m.process_slug, processTitle: parseTranslated(m.process_title), processId: m.process_id, onlineUrl: m.online_url,
    registrations, stats, drift: rules.compositionDrift(meeting.targets, basis.counts, basis.total),
  };
}
function compositionOfRegistered(regs: Awaited<ReturnType<typeof repo.registrationsOf>>) {
  const people = regs.filter((r) => r.status === 'registered');
  return { counts: rules.composition(people, ['sex', 'age_band', 'district', 'org_type']), total: people.length };
}

// ---------- Mail ----------

async function mailRegistration(trx: AnyDB, ctx: Ctx, m: NonNullable<Awaited<ReturnType<typeof repo.findMeeting>>>, person: repo.ParticipantRow, kind: 'registered' | 'waiting' | 'promoted', token: string) {
  const locale = (isLocale(person.locale) ? person.locale : 'fr') as Locale;
  const t = ctx.tFor(locale);
  const title = tr(parseTranslated(m.title), locale);
  const when = formatDate(locale, m.starts_at, true);
  const cancel = link(ctx, locale, `/participation/registrations/${token}`);
  const where = m.mode === 'online' ? `${t('participation.mode.online')}: ${m.online_url}` : [m.place, m.district].filter(Boolean).join(', ');
  const ics = kind === 'waiting' ? undefined : [{
    filename: 'meeting.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: icalendar({ name: title, events: [meetingEvent(ctx, locale, { ...m, process_title: m.process_title })] }),
  }];
  await queueMail(trx, {
    communeId: ctx.commune.id, to: person.email!,
    subject: t(`participation.mail.${kind}Subject`, { title }),
    text: `${t(`participation.mail.${kind}Body`, { name: person.name ?? '', title, when, where })}\n\n${t('participation.mail.cancelLink', { link: cancel })}\n\n--\n${tr(ctx.commune.name, locale)}`,
    attachments: ics,
  });
}

/** The job: a reminder (with the .ics) to every registered person with an email, a day before. */
export async function sendReminders(ctx: Ctx, payload: Record<string, unknown>): Promise<void> {
  const meetingId = Number(payload.meetingId);
  await mutate(ctx, { permission: null, action: 'meeting.reminders', entity: 'meeting' }, async (trx) => {
    const d = db(trx);
    const m = await repo.findMeeting(d, ctx.commune.id, meetingId);
    if (!m || m.status !== 'scheduled' || m.starts_at !== payload.startsAt) return { result: undefined, entityId: meetingId, after: { sent: 0 } };
    const regs = (await repo.registrationsOf(d, ctx.commune.id, meetingId)).filter((r) => r.status === 'registered' && r.email);
    for (const r of regs) {
      const token = randomToken(24);
      await d.updateTable('registrations').set({ cancel_token_hash: sha256(token) }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
      const person = await repo.findParticipant(d, ctx.commune.id, { id: r.participant_id });
      if (person) await mailRegistration(trx, ctx, m, person, 'reminder' as 'registered', token);
    }
    return { result: undefined, entityId: meetingId, after: { sent: regs.length } };
  });
}

// ---------- Proposals ----------

export interface ProposalList { process: Process; items: Proposal[]; total: number; page: number; sort: repo.ProposalSort; theme: string; district: string }
export async function listProposals(ctx: Ctx, slug: string, q: { theme?: string; district?: string; sort?: string; page?: number }): Promise<ProposalList> {
  const d = db(ctx);
  const p = await processOr404(ctx, slug, d);
  const sort: repo.ProposalSort = q.sort === 'recent' ? 'recent' : 'supports';
  const f: repo.ProposalFilter = { statuses: ['published'], theme: q.theme || undefined, district: q.district || undefined };
  const page = q.page ?? 1;
  const [items, total] = await Promise.all([repo.listProposals(d, ctx.commune.id, p.id, f, sort, page, PAGE_SIZE), repo.countProposals(d, ctx.commune.id, p.id, f)]);
  return { process: toProcess(p), items: items.map(toProposal), total, page, sort, theme: q.theme ?? '', district: q.district ?? '' };
}

export interface ProposalPage {
  process: Process; proposal: Proposal; mergedInto: { number: number; title: string } | null; commitment: CommentTarget | null; supported: boolean; canSupport: boolean;
}
export async function getProposal(ctx: Ctx, slug: string, number: number): Promise<ProposalPage> {
  const d = db(ctx);
  const p = await processOr404(ctx, slug, d);
  const r = await repo.findProposal(d, ctx.commune.id, { processId: p.id, number });
  // A hidden proposal keeps its page (with the reason); an unconfirmed one does not exist yet.
  if (!r || r.status === 'unconfirmed') throw new NotFoundError();
  const [merged, commitment, supported] = await Promise.all([
    r.merged_into_id ? repo.proposalNumbers(d, ctx.commune.id, [r.merged_into_id]).then((x) => x[0] ?? null) : Promise.resolve(null),
    r.commitment_id ? commitmentAsCommentTarget(ctx, r.commitment_id) : Promise.resolve(null),
    ctx.actor ? repo.hasSupported(d, ctx.commune.id, r.id, ctx.actor.userId) : Promise.resolve(false),
  ]);
  return {
    process: toProcess(p), proposal: toProposal(r), mergedInto: merged && merged.status === 'published' ? { number: merged.number, title: merged.title } : null,
    commitment, supported, canSupport: r.status === 'published' && p.status === 'open',
  };
}

async function insertProposal(trx: AnyDB, ctx: Ctx, processId: number, input: ProposalInput, fields: { channel: string; status: string; authorUserId: number | null; participantId: number | null; tokenHash: string | null }) {
  const d = db(trx);
  // One number after the other: the process's proposals are numbered under its lock.
  if (isPg(trx)) await d.selectFrom('processes').select('id').where('commune_id', '=', ctx.commune.id).where('id', '=', processId).forNoKeyUpdate().execute();
  const number = await repo.nextProposalNumber(d, ctx.commune.id, processId);
  const { id } = await d.insertInto('proposals').values({
    commune_id: ctx.commune.id, process_id: processId, number, title: input.title, body: input.body, theme: input.theme ?? '', district: input.district ?? '',
    photo_file_id: null, author_user_id: fields.authorUserId, author_participant_id: fields.participantId, channel: fields.channel, meeting_id: input.meetingId ?? null,
    status: fields.status, hidden_reason: null, confirm_token_hash: fields.tokenHash, answer: 'none', answer_text: '{}', merged_into_id: null, commitment_id: null,
    answered_at: null, supports: 0, sample: input.sample ? 1 : 0, created_at: now(ctx),
  }).returning('id').executeTakeFirstOrThrow();
  await indexProposal(trx, ctx.commune.id, id);
  return { id, number };
}

/**
 * A proposal from the public pages: the signed-in visitor's is published at once; someone who gives an email
 * confirms it from a mail first (then it is published).
 */
export async function submitProposal(ctx: Ctx, slug: string, input: ProposalInput): Promise<{ number: number; published: boolean }> {
  if (!ctx.actor && !input.email) throw new RuleError('participation.emailRequired', {}, 'email');
  return mutate(ctx, { permission: null, action: 'proposal.submit', entity: 'proposal' }, async (trx) => {
    const d = db(trx);
    const p = await repo.findProcess(d, ctx.commune.id, { slug });
    if (!p || p.status === 'draft') throw new NotFoundError();
    if (p.status !== 'open') throw new RuleError('participation.processClosed');
    const locale = ctx.locale;
    const person: PersonInput = { name: input.name || ctx.actor?.name || '', email: ctx.actor?.email ?? input.email, consent: false };
    const participantId = await upsertParticipant(trx, ctx, person, ctx.actor?.userId ?? null, locale);
    const token = ctx.actor ? null : randomToken(24);
    const { id, number } = await insertProposal(trx, ctx, p.id, input, {
      channel: 'online', status: ctx.actor ? 'published' : 'unconfirmed', authorUserId: ctx.actor?.userId ?? null, participantId, tokenHash: token ? sha256(token) : null,
    });
    if (token) {
      const t = ctx.tFor(locale);
      await queueMail(trx, {
        communeId: ctx.commune.id, to: input.email!, subject: t('participation.mail.confirmSubject', { title: input.title }),
        text: `${t('participation.mail.confirmBody', { title: input.title, link: link(ctx, locale, `/participation/proposals/confirm/${token}`) })}\n\n--\n${tr(ctx.commune.name, locale)}`,
      });
    }
    return { result: { number, published: !token }, entityId: id, after: { process: slug, number, title: input.title, channel: 'online' } };
  });
}

/** Staff: a proposal brought to the counter (on someone's behalf) or transcribed from a workshop. */
export async function submitProposalFor(ctx: Ctx, processId: number, input: ProposalInput): Promise<{ number: number; slug: string }> {
  return mutate(ctx, { permission: SUBMIT_FOR, action: 'proposal.submit_for', entity: 'proposal' }, async (trx) => {
    const d = db(trx);
    const p = await repo.findProcess(d, ctx.commune.id, { id: processId });
    if (!p) throw new NotFoundError();
    const channel = input.channel === 'workshop' ? 'workshop' : 'counter';
    if (channel === 'workshop') {
      const m = input.meetingId ? await repo.findMeeting(d, ctx.commune.id, input.meetingId) : undefined;
      if (!m || m.process_id !== processId) throw new RuleError('participation.meetingRequired', {}, 'meeting_id');
    }
    const participantId = input.name && channel === 'counter' ? await upsertParticipant(trx, ctx, { name: input.name, email: input.email ?? null, consent: false }, null, ctx.locale) : null;
    const { id, number } = await insertProposal(trx, ctx, p.id, input, { channel, status: 'published', authorUserId: null, participantId, tokenHash: null });
    return { result: { number, slug: p.slug }, entityId: id, after: { process: p.slug, number, title: input.title, channel, meeting: input.meetingId ?? null } };
  });
}

/** What a confirmation link shows. */
export async function proposalByToken(ctx: Ctx, token: string): Promise<{ title: string; status: string; slug: string; number: number }> {
  const r = tokenOk(token) ? await repo.findProposal(db(ctx), ctx.commune.id, { tokenHash: sha256(token) }) : undefined;
  if (!r) throw new NotFoundError();
  return { title: r.title, status: r.status, slug: r.process_slug, number: r.number };
}
export async function confirmProposal(ctx: Ctx, token: string): Promise<{ slug: string; number: number }> {
  if (!tokenOk(token)) throw new NotFoundError();
  return mutate(ctx, { permission: null, action: 'proposal.confirm', entity: 'proposal' }, async (trx) => {
    const d = db(trx);
    const r = await repo.findProposal(d, ctx.commune.id, { tokenHash: sha256(token) });
    if (!r) throw new NotFoundError();
    if (r.status === 'unconfirmed') {
      await d.updateTable('proposals').set({ status: 'published' }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
      await indexProposal(trx, ctx.commune.id, r.id);
    }
    return { result: { slug: r.process_slug, number: r.number }, entityId: r.id, before: { status: r.status }, after: { status: r.status === 'unconfirmed' ? 'published' : r.status } };
  });
}

/** One support per person: the unique constraint makes parallel clicks count once. */
export async function supportProposal(ctx: Ctx, slug: string, number: number): Promise<void> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const actor = ctx.actor;
  await mutate(ctx, { permission: null, action: 'proposal.support', entity: 'proposal', groupCommit: true }, async (trx) => {
    const d = db(trx);
    const p = await repo.findProcess(d, ctx.commune.id, { slug });
    if (!p || p.status === 'draft') throw new NotFoundError();
    const r = await repo.findProposal(d, ctx.commune.id, { processId: p.id, number });
    if (!r || r.status === 'unconfirmed') throw new NotFoundError();
    if (r.status !== 'published' || p.status !== 'open') throw new RuleError('participation.supportClosed');
    if (!(await repo.addSupport(d, ctx.commune.id, r.id, actor.userId, now(ctx)))) throw new RuleError('participation.alreadySupported');
    return { result: undefined, entityId: r.id, after: { process: slug, number } };
  });
}

async function proposalForStaff(trx: AnyDB, ctx: Ctx, id: number) {
  const r = await repo.findProposal(db(trx), ctx.commune.id, { id });
  if (!r) throw new NotFoundError();
  return r;
}
export async function getProposalForAdmin(ctx: Ctx, id: number) {
  if (!can(ctx.actor, MODERATE)) authorize(ctx, MANAGE);
  const r = await proposalForStaff(ctx.db, ctx, id);
  const merged = r.merged_into_id ? (await repo.proposalNumbers(db(ctx), ctx.commune.id, [r.merged_into_id]))[0] ?? null : null;
  return { proposal: toProposal(r), processSlug: r.process_slug, processTitle: parseTranslated(r.process_title), mergedIntoNumber: merged?.number ?? null };
}
export async function listProposalsForAdmin(ctx: Ctx, processId: number, q: { status?: string; page?: number }) {
  authorize(ctx, PROPOSALS);
  const d = db(ctx);
  const p = await repo.findProcess(d, ctx.commune.id, { id: processId });
  if (!p) throw new NotFoundError();
  const statuses = q.status && ['published', 'hidden', 'unconfirmed'].includes(q.status) ? [q.status] : ['published', 'hidden', 'unconfirmed'];
  const page = q.page ?? 1;
  const f = { statuses };
  const [items, total, meetings] = await Promise.all([repo.listProposals(d, ctx.commune.id, p.id, f, 'recent', page, 50), repo.countProposals(d, ctx.commune.id, p.id, f), repo.meetingsOf(d, ctx.commune.id, p.id, 500)]);
  return { process: toProcess(p), items: items.map(toProposal), total, page, status: q.status ?? '', meetings: meetings.map((m) => toMeeting(m)) };
}

/** Moderation hides (with a reason shown in its place), never deletes; showing it again is the same verb. */
export async function moderateProposal(ctx: Ctx, id: number, hide: boolean, reason: string | null): Promise<void> {
  if (hide && !reason) throw new RuleError('participation.reasonRequired', {}, 'reason');
  await mutate(ctx, { permission: MODERATE, action: hide ? 'proposal.hide' : 'proposal.unhide', entity: 'proposal' }, async (trx) => {
    const r = await proposalForStaff(trx, ctx, id);
    if (r.status === 'unconfirmed') throw new RuleError('participation.notConfirmedYet');
    await db(trx).updateTable('proposals').set({ status: hide ? 'hidden' : 'published', hidden_reason: hide ? reason : null })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexProposal(trx, ctx.commune.id, id);
    return { result: undefined, entityId: id, before: { status: r.status, reason: r.hidden_reason }, after: { status: hide ? 'hidden' : 'published', reason } };
  });
}

/** The commune's public answer; accepted may name the commitment it became, merged names the proposal it joined. */
export async function answerProposal(ctx: Ctx, id: number, a: AnswerInput): Promise<void> {
  if (a.answer === 'rejected' && !a.text?.fr && !a.text?.ar && !a.text?.en) throw new RuleError('participation.reasonRequired', {}, 'text_fr');
  // Read before the transaction: on SQLite a read through ctx.db inside it would wait for the transaction's connection.
  const commitmentOk = a.answer === 'accepted' && a.commitmentId ? !!(await commitmentAsCommentTarget(ctx, a.commitmentId)) : true;
  await mutate(ctx, { permission: MANAGE, action: 'proposal.answer', entity: 'proposal' }, async (trx) => {
    const d = db(trx);
    const r = await proposalForStaff(trx, ctx, id);
    let mergedInto: number | null = null;
    if (a.answer === 'merged') {
      const target = a.mergedInto ? await repo.findProposal(d, ctx.commune.id, { processId: r.process_id, number: a.mergedInto }) : undefined;
      if (!target || target.id === r.id || target.status !== 'published') throw new RuleError('participation.mergeTarget', {}, 'merged_into');
      mergedInto = target.id;
    }
    let commitmentId: number | null = null;
    if (a.answer === 'accepted' && a.commitmentId) {
      if (!commitmentOk) throw new RuleError('participation.commitmentUnknown', {}, 'commitment_id');
      commitmentId = a.commitmentId;
    }
    await d.updateTable('proposals').set({
      answer: a.answer, answer_text: JSON.stringify(a.text ?? {}), merged_into_id: mergedInto, commitment_id: commitmentId, answered_at: a.answer === 'none' ? null : now(ctx),
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    return { result: undefined, entityId: id, before: { answer: r.answer, commitment: r.commitment_id, merged: r.merged_into_id }, after: { ...a, mergedInto, commitmentId } };
  });
}

export async function proposalAsCommentTarget(ctx: Ctx, id: number): Promise<CommentTarget | null> {
  const r = await repo.findProposal(db(ctx), ctx.commune.id, { id });
  if (!r || r.status !== 'published' || r.process_status === 'draft') return null;
  return { title: { fr: r.title, ar: r.title, en: r.title }, path: `/participation/${encodeURIComponent(r.process_slug)}/proposals/${r.number}`, open: r.process_status === 'open' };
}
export async function proposalsBehindCommitment(ctx: Ctx, commitmentId: number): Promise<RelatedGroup[]> {
  const rows = await repo.proposalsOfCommitment(db(ctx), ctx.commune.id, commitmentId);
  return [{
    titleKey: 'participation.relatedProposals',
    items: rows.map((r) => ({ title: { fr: r.title, ar: r.title, en: r.title }, path: `/participation/${encodeURIComponent(r.slug)}/proposals/${r.number}`, date: r.answered_at, sample: !!r.sample })),
  }];
}

// ---------- Statistics ----------

function merge(xs: { value: string; n: number }[]): { value: string; n: number }[] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x.value, (m.get(x.value) ?? 0) + x.n);
  return [...m].map(([value, n]) => ({ value, n })).sort((a, b) => b.n - a.n);
}

export interface Count { value: string; n: number | null }
export interface Statistics {
  total: number; category: Count[]; sex: Count[]; age: Count[]; district: Count[]; groups: number; meetingsByKind: Record<string, number>;
  meetingsHeld: number; onlineContributions: number; suppressed: boolean;
}
/**
 * A process's figures from its records. Public: the personal dimensions (sex, age band, district) show no count
 * under 5; the capacity people came in (the organisation type) is reported in full, as the OGP template asks.
 */
export async function processStatistics(ctx: Ctx, slug: string, opts: { staff?: boolean } = {}): Promise<{ process: Process; stats: Statistics }> {
  const p = await processOr404(ctx, slug);
  const staff = !!opts.staff && can(ctx.actor, MANAGE);
  const [b, c] = await Promise.all([repo.breakdowns(ctx.db, ctx.commune.id, { processId: p.id }), repo.processCounts(ctx.db, ctx.commune.id, p.id)]);
  const hide = (xs: { value: string; n: number }[]): Count[] => xs.map((x) => ({ value: x.value, n: staff ? x.n : rules.suppress(x.n) }));
  // Only the known values of a dimension are shown (a stray stored value is "unknown", never printed).
  const known = (xs: { value: string; n: number }[], values: readonly string[]) => merge(xs.map((x) => ({ value: values.includes(x.value) ? x.value : 'unknown', n: x.n })));
  // Districts are free text: on public pages those with fewer than 5 people join "other districts".
  const districts = (xs: { value: string; n: number }[]) => (staff ? xs : merge(xs.map((x) => ({ value: x.n < rules.SMALL_COUNT && x.value !== 'unknown' ? 'other' : x.value, n: x.n }))));
  const order = (xs: { value: string; n: number }[]) => rules.CATEGORIES.map((k) => ({ value: k, n: xs.find((x) => x.value === k)?.n ?? 0 }));
  return {
    process: toProcess(p),
    stats: {
      total: b.total, category: order(b.category), sex: hide(known(b.sex, SEXES)), age: hide(known(b.age, AGE_BANDS)), district: hide(districts(b.district)), groups: c.groups,
      meetingsByKind: c.meetingsByKind, meetingsHeld: Object.values(c.meetingsByKind).reduce((s, n) => s + n, 0), onlineContributions: c.onlineContributions,
      suppressed: !staff,
    },
  };
}
/** A meeting's attendance figures; public ones with every count under 5 suppressed. */
export async function meetingStatistics(ctx: Ctx, meetingId: number): Promise<{ total: number | null; sex: Count[]; category: Count[] }> {
  const b = await repo.breakdowns(ctx.db, ctx.commune.id, { meetingId });
  const hide = (xs: { value: string; n: number }[]) => xs.map((x) => ({ value: x.value, n: rules.suppress(x.n) }));
  return { total: rules.suppress(b.total), sex: hide(merge(b.sex.map((x) => ({ value: (SEXES as readonly string[]).includes(x.value) ? x.value : 'unknown', n: x.n })))), category: hide(b.category) };
}

// ---------- One's own record (Law 09-08: see, export, erase) ----------

async function ownRecord(ctx: Ctx) {
  if (!ctx.actor) throw new UnauthenticatedError();
  return repo.findParticipant(db(ctx), ctx.commune.id, { userId: ctx.actor.userId });
}
export async function myRecord(ctx: Ctx) {
  const p = await ownRecord(ctx);
  const d = db(ctx);
  const [registrations, proposals] = await Promise.all([
    p ? repo.registrationsOfParticipant(d, ctx.commune.id, p.id) : Promise.resolve([]),
    repo.proposalsOfParticipant(d, ctx.commune.id, p?.id ?? null, ctx.actor!.userId),
  ]);
  return {
    participant: p ?? null,
    registrations: registrations.map((r) => ({ ...r, title: parseTranslated(r.title), online_url: r.status === 'registered' && r.mode === 'online' ? r.online_url : null })),
    proposals,
  };
}
/** The same, as a JSON document the person keeps. */
export async function exportMyRecord(ctx: Ctx) {
  const r = await myRecord(ctx);
  return {
    exported_at: now(ctx), commune: ctx.commune.slug,
    participant: r.participant ? Object.fromEntries(Object.entries(r.participant).filter(([k]) => k !== 'id')) : null,
    registrations: r.registrations.map((x) => ({ meeting: x.meeting_id, title: x.title, starts_at: x.starts_at, status: x.status, channel: x.channel, attended: !!x.attended, at: x.created_at })),
    proposals: r.proposals,
  };
}
/** Sets the consent (and its date) for the diversity dimensions, with their values. */
export async function updateMyRecord(ctx: Ctx, p: PersonInput): Promise<void> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const actor = ctx.actor;
  await mutate(ctx, { permission: null, action: 'participant.update_own', entity: 'participant' }, async (trx) => {
    const id = await upsertParticipant(trx, ctx, { ...p, email: actor.email, name: p.name || actor.name }, actor.userId, ctx.locale);
    if (!p.consent) {
      await db(trx).updateTable('participants').set({ age_band: null, sex: null, district: null, activist: 0, expert: 0, resource_person: 0, sector: null, consent_at: null })
        .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    }
    return { result: undefined, entityId: id, after: { consent: p.consent } };
  });
}
/**
 * Erases the person's identity (name, email, phone, organisation's name, account link) and their answers' link to
 * them; what they took part in stays counted, anonymously (the figures of a finished process do not change).
 */
export async function eraseMyRecord(ctx: Ctx): Promise<void> {
  if (!ctx.actor) throw new UnauthenticatedError();
  const actor = ctx.actor;
  await mutate(ctx, { permission: null, action: 'participant.erase', entity: 'participant' }, async (trx) => {
    const d = db(trx);
    const p = await repo.findParticipant(d, ctx.commune.id, { userId: actor.userId });
    if (!p) throw new RuleError('participation.noRecord');
    await d.updateTable('participants').set({
      user_id: null, name: null, email: null, email_normalized: null, phone: null, organisation: null, erased_at: now(ctx),
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
    await d.updateTable('proposals').set({ author_user_id: null }).where('commune_id', '=', ctx.commune.id).where('author_user_id', '=', actor.userId).execute();
    // The audit entry names no one: the record's id only.
    return { result: undefined, entityId: p.id, after: { erased: true } };
  });
}

// ---------- Registry and invitations (staff) ----------

export const DIMENSIONS = ['org_type', 'sex', 'age_band', 'district'] as const;
export async function registry(ctx: Ctx, f: repo.RegistryFilter, page: number) {
  authorize(ctx, REGISTRY);
  const d = db(ctx);
  const [items, total, composition] = await Promise.all([
    repo.listRegistry(d, ctx.commune.id, f, page, 50), repo.countRegistry(d, ctx.commune.id, f), repo.registryComposition(d, ctx.commune.id, f, DIMENSIONS),
  ]);
  return { items, total, composition, page };
}

/** Invites everyone the criteria select (who is not invited yet), each by mail with a link to answer. */
export async function sendInvitations(ctx: Ctx, meetingId: number, f: repo.RegistryFilter): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'meeting.invite', entity: 'meeting' }, async (trx) => {
    const d = db(trx);
    const m = await repo.findMeeting(d, ctx.commune.id, meetingId);
    if (!m) throw new NotFoundError();
    const people = await repo.listRegistry(d, ctx.commune.id, f, 1, 1000);
    let sent = 0;
    for (const p of people) {
      if (!p.email) continue;
      const token = randomToken(24);
      const r = await d.insertInto('invitations').values({ commune_id: ctx.commune.id, meeting_id: meetingId, participant_id: p.id, token_hash: sha256(token), status: 'sent', sent_at: now(ctx), answered_at: null })
        .onConflict((oc) => oc.columns(['commune_id', 'meeting_id', 'participant_id']).doNothing()).returning('id').executeTakeFirst();
      if (!r) continue;
      const locale = (isLocale(p.locale) ? p.locale : 'fr') as Locale;
      const t = ctx.tFor(locale);
      const title = tr(parseTranslated(m.title), locale);
      await queueMail(trx, {
        communeId: ctx.commune.id, to: p.email, subject: t('participation.mail.invitationSubject', { title }),
        text: `${t('participation.mail.invitationBody', { name: p.name ?? '', title, when: formatDate(locale, m.starts_at, true), link: link(ctx, locale, `/participation/invitations/${token}`) })}\n\n--\n${tr(ctx.commune.name, locale)}`,
      });
      sent++;
    }
    if (sent === 0) throw new RuleError('participation.nobodyToInvite');
    return { result: sent, entityId: meetingId, after: { criteria: f, sent } };
  });
}
export async function invitationStats(ctx: Ctx, meetingId: number) {
  authorize(ctx, MANAGE);
  const rows = await db(ctx).selectFrom('invitations').select(['status', (e) => e.fn.countAll<number>().as('n')]).where('commune_id', '=', ctx.commune.id)
    .where('meeting_id', '=', meetingId).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}
export async function invitationByToken(ctx: Ctx, token: string) {
  const d = db(ctx);
  const inv = tokenOk(token) ? await d.selectFrom('invitations').select(['id', 'meeting_id', 'participant_id', 'status']).where('commune_id', '=', ctx.commune.id).where('token_hash', '=', sha256(token)).executeTakeFirst() : undefined;
  if (!inv) throw new NotFoundError();
  const m = await repo.findMeeting(d, ctx.commune.id, inv.meeting_id);
  if (!m) throw new NotFoundError();
  return { status: inv.status, meetingId: m.id, title: parseTranslated(m.title), startsAt: m.starts_at };
}
/** The invited person answers; yes registers them (an invitation-only meeting included). */
export async function answerInvitation(ctx: Ctx, token: string, accept: boolean): Promise<void> {
  if (!tokenOk(token)) throw new NotFoundError();
  await mutate(ctx, { permission: null, action: accept ? 'invitation.accept' : 'invitation.decline', entity: 'invitation' }, async (trx) => {
    const d = db(trx);
    const inv = await d.selectFrom('invitations').select(['id', 'meeting_id', 'participant_id', 'status']).where('commune_id', '=', ctx.commune.id).where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!inv) throw new NotFoundError();
    if (inv.status !== 'sent') throw new RuleError('participation.invitationAnswered');
    await d.updateTable('invitations').set({ status: accept ? 'accepted' : 'declined', answered_at: now(ctx) }).where('commune_id', '=', ctx.commune.id).where('id', '=', inv.id).execute();
    if (accept) {
      const p = await repo.findParticipant(d, ctx.commune.id, { id: inv.participant_id });
      if (p) await registerIn(trx, ctx, inv.meeting_id, { name: p.name ?? '', email: p.email, consent: false }, p.user_id, 'invitation', { staff: true });
    }
    return { result: undefined, entityId: inv.id, after: { accept } };
  });
}
