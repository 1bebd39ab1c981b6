import { sql, type Kysely } from 'kysely';
import type { CoreTables } from '../../core/db/tables.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { ParticipationTables } from './schema.ts';

/** The only place with the participation module's SQL. Public reads name their columns and never a personal one. */
export type PartDB = Kysely<CoreTables & ParticipationTables>;
export const pdb = (db: AnyDB | Kysely<CoreTables>): PartDB => (db as AnyDB).withTables<ParticipationTables>() as unknown as PartDB;

// ---------- Processes ----------

const processColumns = ['id', 'slug', 'title', 'description', 'plan_id', 'body_id', 'status', 'results', 'sample', 'created_at', 'updated_at'] as const;
export type ProcessRow = Omit<Pick<ParticipationTables['processes'], (typeof processColumns)[number]>, 'id'> & { id: number };

export function listProcesses(db: PartDB, communeId: number, withDrafts: boolean) {
  let q = db.selectFrom('processes').select([...processColumns]).where('commune_id', '=', communeId);
  if (!withDrafts) q = q.where('status', '!=', 'draft');
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
}
export function findProcess(db: PartDB, communeId: number, by: { id?: number; slug?: string }) {
  let q = db.selectFrom('processes').select([...processColumns]).where('commune_id', '=', communeId);
  q = by.id !== undefined ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
}
export function phasesOf(db: PartDB, communeId: number, processId: number) {
  return db.selectFrom('process_phases').select(['id', 'kind', 'starts_on', 'ends_on', 'sort'])
    .where('commune_id', '=', communeId).where('process_id', '=', processId).orderBy('sort').orderBy('starts_on').execute();
}

// ---------- Meetings ----------

const meetingColumns = ['m.id', 'm.process_id', 'm.kind', 'm.title', 'm.agenda', 'm.mode', 'm.place', 'm.district', 'm.starts_at', 'm.ends_at', 'm.capacity',
  'm.registration_opens_at', 'm.registration_closes_at', 'm.invitation_only', 'm.status', 'm.minutes', 'm.outcomes', 'm.targets', 'm.sample', 'm.sequence', 'm.updated_at'] as const;

/** A process's meetings with their registered count, one aggregate query. */
export function meetingsOf(db: PartDB, communeId: number, processId: number, limit = 500) {
  return db.selectFrom('meetings as m').select([...meetingColumns])
    .select((eb) => eb.selectFrom('registrations as r').select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('r.commune_id', '=', 'm.commune_id').whereRef('r.meeting_id', '=', 'm.id').where('r.status', '=', 'registered').as('registered'))
    .where('m.commune_id', '=', communeId).where('m.process_id', '=', processId).orderBy('m.starts_at').orderBy('m.id').limit(limit).execute();
}
export function countMeetings(db: PartDB, communeId: number, processId: number) {
  return db.selectFrom('meetings').select((e) => e.fn.countAll<number>().as('n')).where('commune_id', '=', communeId).where('process_id', '=', processId)
    .executeTakeFirstOrThrow().then((r) => Number(r.n));
}
export function findMeeting(db: PartDB, communeId: number, id: number) {
  return db.selectFrom('meetings as m').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'm.commune_id').onRef('p.id', '=', 'm.process_id'))
    .select([...meetingColumns, 'm.online_url', 'p.slug as process_slug', 'p.title as process_title', 'p.status as process_status'])
    .where('m.commune_id', '=', communeId).where('m.id', '=', id).executeTakeFirst();
}
/** The public calendar: meetings of published processes from `since` on. */
export function calendarMeetings(db: PartDB, communeId: number, since: string, limit = 1000) {
  return db.selectFrom('meetings as m').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'm.commune_id').onRef('p.id', '=', 'm.process_id'))
    .select(['m.id', 'm.title', 'm.agenda', 'm.mode', 'm.place', 'm.district', 'm.starts_at', 'm.ends_at', 'm.status', 'm.sequence', 'm.updated_at', 'p.title as process_title'])
    .where('m.commune_id', '=', communeId).where('p.status', '!=', 'draft').where('m.starts_at', '>=', since)
    .orderBy('m.starts_at').limit(limit).execute();
}
/** Locks a meeting's row until the transaction ends (PostgreSQL; SQLite has one writer): capacity checks stay true. */
export async function lockMeeting(trx: AnyDB, communeId: number, id: number, postgres: boolean) {
  if (postgres) await sql`select id from meetings where commune_id = ${communeId} and id = ${id} for no key update`.execute(trx);
}

// ---------- Participants ----------

export const participantColumns = ['id', 'user_id', 'name', 'email', 'phone', 'locale', 'organisation', 'org_type', 'age_band', 'sex', 'district',
  'activist', 'expert', 'resource_person', 'sector', 'consent_at', 'erased_at', 'sample', 'created_at'] as const;
export function findParticipant(db: PartDB, communeId: number, by: { id?: number; userId?: number; email?: string }) {
  let q = db.selectFrom('participants').select([...participantColumns]).where('commune_id', '=', communeId);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  else if (by.userId !== undefined) q = q.where('user_id', '=', by.userId);
  else q = q.where('email_normalized', '=', by.email ?? '');
  return q.executeTakeFirst();
}
export type ParticipantRow = NonNullable<Awaited<ReturnType<typeof findParticipant>>>;

export interface RegistryFilter { orgType?: string; sex?: string; ageBand?: string; district?: string; activist?: boolean; expert?: boolean }
function registryWhere<Q extends { where: any }>(q: Q, f: RegistryFilter): Q {
  let r: any = q.where('erased_at', 'is', null).where('consent_at', 'is not', null);
  if (f.orgType) r = r.where('org_type', '=', f.orgType);
  if (f.sex) r = r.where('sex', '=', f.sex);
  if (f.ageBand) r = r.where('age_band', '=', f.ageBand);
  if (f.district) r = r.where('district', '=', f.district);
  if (f.activist) r = r.where('activist', '=', 1);
  if (f.expert) r = r.where('expert', '=', 1);
  return r;
}
/** Staff: the registry (consenting, not erased), filtered, paginated. */
export function listRegistry(db: PartDB, communeId: number, f: RegistryFilter, page: number, size: number) {
  return registryWhere(db.selectFrom('participants').select([...participantColumns]).where('commune_id', '=', communeId), f)
    .orderBy('id').limit(size).offset((page - 1) * size).execute();
}
export function countRegistry(db: PartDB, communeId: number, f: RegistryFilter) {
  return registryWhere(db.selectFrom('participants').select((e) => e.fn.countAll<number>().as('n')).where('commune_id', '=', communeId), f)
    .executeTakeFirstOrThrow().then((r: any) => Number(r.n));
}
/** The composition of a filtered registry, per dimension, in SQL. */
export async function registryComposition(db: PartDB, communeId: number, f: RegistryFilter, dimensions: readonly string[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const d of dimensions) {
    const rows = await registryWhere(db.selectFrom('participants').select([sql<string>`coalesce(${sql.ref(d)}, 'unknown')`.as('v'), (e: any) => e.fn.countAll().as('n')])
      .where('commune_id', '=', communeId), f).groupBy(sql.ref(d)).execute() as unknown as { v: string; n: number }[];
    out[d] = Object.fromEntries(rows.map((r) => [String(r.v), Number(r.n)]));
  }
  return out;
}

// ---------- Registrations ----------

export function countRegistered(db: PartDB, communeId: number, meetingId: number, status = 'registered') {
  return db.selectFrom('registrations').select((e) => e.fn.countAll<number>().as('n')).where('commune_id', '=', communeId)
    .where('meeting_id', '=', meetingId).where('status', '=', status).executeTakeFirstOrThrow().then((r) => Number(r.n));
}
export function findRegistration(db: PartDB, communeId: number, by: { tokenHash?: string; meetingId?: number; participantId?: number; id?: number }) {
  let q = db.selectFrom('registrations').select(['id', 'meeting_id', 'participant_id', 'status', 'channel', 'attended', 'group_label', 'created_at'])
    .where('commune_id', '=', communeId);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  else if (by.tokenHash) q = q.where('cancel_token_hash', '=', by.tokenHash);
  else q = q.where('meeting_id', '=', by.meetingId ?? -1).where('participant_id', '=', by.participantId ?? -1);
  return q.executeTakeFirst();
}
export function firstWaiting(db: PartDB, communeId: number, meetingId: number) {
  return db.selectFrom('registrations').select(['id', 'participant_id']).where('commune_id', '=', communeId).where('meeting_id', '=', meetingId)
    .where('status', '=', 'waiting').orderBy('id').limit(1).executeTakeFirst();
}
/** Staff: a meeting's registrations with the person (personal data: staff pages only). */
export function registrationsOf(db: PartDB, communeId: number, meetingId: number, limit = 1000) {
  return db.selectFrom('registrations as r').innerJoin('participants as p', (j) => j.onRef('p.commune_id', '=', 'r.commune_id').onRef('p.id', '=', 'r.participant_id'))
    .select(['r.id', 'r.status', 'r.channel', 'r.attended', 'r.group_label', 'r.created_at', 'p.id as participant_id', 'p.name', 'p.email', 'p.phone',
      'p.organisation', 'p.org_type', 'p.sex', 'p.age_band', 'p.district', 'p.erased_at'])
    .where('r.commune_id', '=', communeId).where('r.meeting_id', '=', meetingId).orderBy('r.status').orderBy('r.id').limit(limit).execute();
}
/** A person's own registrations (their record page). */
export function registrationsOfParticipant(db: PartDB, communeId: number, participantId: number) {
  return db.selectFrom('registrations as r').innerJoin('meetings as m', (j) => j.onRef('m.commune_id', '=', 'r.commune_id').onRef('m.id', '=', 'r.meeting_id'))
    .select(['r.id', 'r.status', 'r.channel', 'r.attended', 'r.created_at', 'm.id as meeting_id', 'm.title', 'm.starts_at', 'm.mode', 'm.online_url'])
    .where('r.commune_id', '=', communeId).where('r.participant_id', '=', participantId).orderBy('m.starts_at', 'desc').limit(500).execute();
}

// ---------- Proposals ----------

const proposalColumns = ['pr.id', 'pr.process_id', 'pr.number', 'pr.title', 'pr.body', 'pr.theme', 'pr.district', 'pr.channel', 'pr.meeting_id', 'pr.status',
  'pr.hidden_reason', 'pr.answer', 'pr.answer_text', 'pr.merged_into_id', 'pr.commitment_id', 'pr.answered_at', 'pr.supports', 'pr.sample', 'pr.created_at'] as const;

export interface ProposalFilter { theme?: string; district?: string; answer?: string; statuses: string[] }
export type ProposalSort = 'supports' | 'recent';
function proposalWhere(q: any, communeId: number, processId: number, f: ProposalFilter) {
  let r = q.where('pr.commune_id', '=', communeId).where('pr.process_id', '=', processId).where('pr.status', 'in', f.statuses);
  if (f.theme) r = r.where('pr.theme', '=', f.theme);
  if (f.district) r = r.where('pr.district', '=', f.district);
  if (f.answer) r = r.where('pr.answer', '=', f.answer);
  return r;
}
export function listProposals(db: PartDB, communeId: number, processId: number, f: ProposalFilter, sort: ProposalSort, page: number, size: number) {
  let q = proposalWhere(db.selectFrom('proposals as pr').select([...proposalColumns]), communeId, processId, f);
  q = sort === 'supports' ? q.orderBy('pr.supports', 'desc').orderBy('pr.id', 'desc') : q.orderBy('pr.id', 'desc');
  return q.limit(size).offset((page - 1) * size).execute() as Promise<ProposalRow[]>;
}
export function countProposals(db: PartDB, communeId: number, processId: number, f: ProposalFilter) {
  return proposalWhere(db.selectFrom('proposals as pr').select((e: any) => e.fn.countAll().as('n')), communeId, processId, f)
    .executeTakeFirstOrThrow().then((r: any) => Number(r.n));
}
export function findProposal(db: PartDB, communeId: number, by: { id?: number; processId?: number; number?: number; tokenHash?: string }) {
  let q = db.selectFrom('proposals as pr').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'pr.commune_id').onRef('p.id', '=', 'pr.process_id'))
    .select([...proposalColumns, 'pr.author_user_id', 'pr.author_participant_id', 'p.slug as process_slug', 'p.title as process_title', 'p.status as process_status'])
    .where('pr.commune_id', '=', communeId);
  if (by.id !== undefined) q = q.where('pr.id', '=', by.id);
  else if (by.tokenHash) q = q.where('pr.confirm_token_hash', '=', by.tokenHash);
  else q = q.where('pr.process_id', '=', by.processId ?? -1).where('pr.number', '=', by.number ?? -1);
  return q.executeTakeFirst();
}
export type ProposalRow = Pick<ParticipationTables['proposals'], 'process_id' | 'number' | 'title' | 'body' | 'theme' | 'district' | 'channel' | 'meeting_id' | 'status'
  | 'hidden_reason' | 'answer' | 'answer_text' | 'merged_into_id' | 'commitment_id' | 'answered_at' | 'supports' | 'sample' | 'created_at'> & { id: number };
export function nextProposalNumber(db: PartDB, communeId: number, processId: number) {
  return db.selectFrom('proposals').select((e) => e.fn.max<number>('number').as('n')).where('commune_id', '=', communeId).where('process_id', '=', processId)
    .executeTakeFirstOrThrow().then((r) => Number(r.n ?? 0) + 1);
}
/** Numbers of the proposals by id (the "merged into" links of a page), one query. */
export function proposalNumbers(db: PartDB, communeId: number, ids: number[]) {
  if (!ids.length) return Promise.resolve([] as { id: number; number: number; title: string; status: string }[]);
  return db.selectFrom('proposals').select(['id', 'number', 'title', 'status']).where('commune_id', '=', communeId).where('id', 'in', ids).execute();
}
/** Adds a support unless this person already gave one (the unique constraint decides); true when added. */
export async function addSupport(db: PartDB, communeId: number, proposalId: number, userId: number, at: string): Promise<boolean> {
  const r = await db.insertInto('proposal_supports').values({ commune_id: communeId, proposal_id: proposalId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['commune_id', 'proposal_id', 'user_id']).doNothing()).returning('id').executeTakeFirst();
  if (!r) return false;
  await db.updateTable('proposals').set((eb) => ({ supports: eb('supports', '+', 1) })).where('commune_id', '=', communeId).where('id', '=', proposalId).execute();
  return true;
}
export function hasSupported(db: PartDB, communeId: number, proposalId: number, userId: number) {
  return db.selectFrom('proposal_supports').select('id').where('commune_id', '=', communeId).where('proposal_id', '=', proposalId).where('user_id', '=', userId)
    .executeTakeFirst().then((r) => !!r);
}
export function proposalsOfCommitment(db: PartDB, communeId: number, commitmentId: number) {
  return db.selectFrom('proposals as pr').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'pr.commune_id').onRef('p.id', '=', 'pr.process_id'))
    .select(['pr.number', 'pr.title', 'pr.answered_at', 'pr.sample', 'p.slug'])
    .where('pr.commune_id', '=', communeId).where('pr.commitment_id', '=', commitmentId).where('pr.status', '=', 'published').where('p.status', '!=', 'draft')
    .orderBy('pr.id').limit(200).execute();
}
export function proposalsOfParticipant(db: PartDB, communeId: number, participantId: number | null, userId: number | null) {
  return db.selectFrom('proposals as pr').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'pr.commune_id').onRef('p.id', '=', 'pr.process_id'))
    .select(['pr.number', 'pr.title', 'pr.status', 'pr.created_at', 'p.slug'])
    .where('pr.commune_id', '=', communeId)
    .where((eb) => eb.or([eb('pr.author_participant_id', '=', participantId ?? -1), eb('pr.author_user_id', '=', userId ?? -1)]))
    .orderBy('pr.id', 'desc').limit(500).execute();
}

// ---------- Statistics (aggregates in SQL, from the records) ----------

/**
 * The people who took part in a process: those who attended one of its meetings and those who sent a proposal online,
 * each once, with whether they attended; erased records still count (their identity is gone, not their taking part).
 */
function peopleOfProcess(communeId: number, processId: number) {
  return sql`select pid, max(attended) as attended from (
      select r.participant_id as pid, 1 as attended from registrations r
        join meetings m on m.commune_id = r.commune_id and m.id = r.meeting_id
        where r.commune_id = ${communeId} and m.process_id = ${processId} and r.attended = 1
      union all
      select pr.author_participant_id as pid, 0 as attended from proposals pr
        where pr.commune_id = ${communeId} and pr.process_id = ${processId} and pr.channel = 'online' and pr.status <> 'unconfirmed' and pr.author_participant_id is not null
    ) x group by pid`;
}
function peopleOfMeeting(communeId: number, meetingId: number) {
  return sql`select participant_id as pid, 1 as attended from registrations where commune_id = ${communeId} and meeting_id = ${meetingId} and attended = 1`;
}
const CATEGORY_SQL = sql`case when pa.org_type <> 'none' then pa.org_type when ppl.attended = 1 then 'unaffiliated' else 'online' end`;

export async function breakdowns(db: AnyDB, communeId: number, scope: { processId: number } | { meetingId: number }) {
  const people = 'processId' in scope ? peopleOfProcess(communeId, scope.processId) : peopleOfMeeting(communeId, scope.meetingId);
  const by = async (expr: ReturnType<typeof sql>) => {
    const r = await sql<{ v: string | null; n: number }>`select ${expr} as v, count(*) as n from (${people}) ppl
      join participants pa on pa.commune_id = ${communeId} and pa.id = ppl.pid group by ${expr} order by n desc`.execute(db);
    return r.rows.map((x) => ({ value: x.v ?? 'unknown', n: Number(x.n) }));
  };
  const [category, sex, age, district] = await Promise.all([
    by(CATEGORY_SQL), by(sql`coalesce(pa.sex, 'unknown')`), by(sql`coalesce(pa.age_band, 'unknown')`), by(sql`coalesce(pa.district, 'unknown')`),
  ]);
  const total = category.reduce((s, x) => s + x.n, 0);
  return { total, category, sex, age, district };
}
export async function processCounts(db: AnyDB, communeId: number, processId: number) {
  const [groups, meetings, online] = await Promise.all([
    sql<{ n: number }>`select count(distinct r.group_label) as n from registrations r join meetings m on m.commune_id = r.commune_id and m.id = r.meeting_id
      where r.commune_id = ${communeId} and m.process_id = ${processId} and r.attended = 1 and r.group_label is not null`.execute(db),
    sql<{ kind: string; n: number }>`select kind, count(*) as n from meetings where commune_id = ${communeId} and process_id = ${processId} and status = 'held' group by kind`.execute(db),
    sql<{ n: number }>`select count(*) as n from proposals where commune_id = ${communeId} and process_id = ${processId} and channel = 'online' and status <> 'unconfirmed'`.execute(db),
  ]);
  return {
    groups: Number(groups.rows[0]?.n ?? 0),
    meetingsByKind: Object.fromEntries(meetings.rows.map((r) => [r.kind, Number(r.n)])) as Record<string, number>,
    onlineContributions: Number(online.rows[0]?.n ?? 0),
  };
}
