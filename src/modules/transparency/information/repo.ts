import type { Kysely } from 'kysely';
import { sql, type AnyDB } from '../../../core/db/index.ts';
import type { CoreTables } from '../../../core/db/tables.ts';
import type { InformationTables } from './schema.ts';

export type InfoDB = Kysely<CoreTables & InformationTables>;
export const iq = (db: AnyDB): InfoDB => db.withTables<InformationTables>() as unknown as InfoDB;

export const PAGE_SIZE = 20;
export const COUNT_CAP = 10_000;

/**
 * What anyone may read of a request: never the requester's name, email, phone, address or account, nor the
 * officer's full answer when a public version was redacted from it (the service picks which text to show).
 */
export const PUBLIC_COLUMNS = [
  'id', 'reference', 'channel', 'question', 'answer_form', 'urgent', 'status', 'outcome', 'created_at', 'received_on', 'due_on', 'extended',
  'extension_reason', 'clarification_on', 'clarification_question', 'paused_days', 'answered_at', 'answered_on', 'answer_days', 'within_deadline',
  'answer_text', 'public_answer', 'redaction_reason', 'document_url', 'ground_id', 'motivation', 'holder_body', 'complaint_on', 'complaint_text',
  'complaint_answer', 'complaint_answered_on', 'complaint_outcome', 'cdai_on', 'cdai_decision', 'cdai_decided_on', 'cdai_outcome', 'hidden',
  'hidden_reason', 'updated_at', 'sample',
] as const;
export type PublicRow = Pick<InformationTables['info_requests'], (typeof PUBLIC_COLUMNS)[number]> & { id: number };
export type FullRow = Omit<InformationTables['info_requests'], 'id'> & { id: number };

export interface ListFilters {
  outcome?: string;
  /** open: not answered yet (clarification included); closed: answered or withdrawn. */
  state?: 'open' | 'closed' | 'late';
  channel?: string;
  month?: string;
  today: string;
  /** Staff queue only: include unconfirmed ones. */
  staff?: boolean;
}

function filtered(db: InfoDB, communeId: number, f: ListFilters) {
  let q = db.selectFrom('info_requests').where('commune_id', '=', communeId);
  if (!f.staff) q = q.where('status', '<>', 'unconfirmed');
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.state === 'open') q = q.where('status', 'in', ['open', 'clarification']);
  if (f.state === 'closed') q = q.where('status', '=', 'closed');
  if (f.state === 'late') q = q.where('status', '=', 'open').where('due_on', '<', f.today);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.month) q = q.where('created_month', '=', f.month);
  return q;
}

export async function countCapped(db: InfoDB, communeId: number, f: ListFilters): Promise<number> {
  const sub = filtered(db, communeId, f).select('id').limit(COUNT_CAP + 1);
  const row = await db.selectFrom(sub.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listPublic(db: InfoDB, communeId: number, f: ListFilters, page: number, pageSize = PAGE_SIZE) {
  return filtered(db, communeId, f)
    .select(['id', 'reference', 'channel', 'question', 'urgent', 'status', 'outcome', 'created_at', 'due_on', 'answered_on', 'within_deadline', 'hidden', 'hidden_reason', 'sample'])
    .orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
}

/** The officer's queue: open ones by due day first, then the others newest first. */
export function listQueue(db: InfoDB, communeId: number, f: ListFilters, page: number) {
  return filtered(db, communeId, { ...f, staff: true })
    .select(['id', 'reference', 'channel', 'question', 'urgent', 'status', 'outcome', 'created_at', 'due_on', 'extended', 'flagged_at', 'escalated_at', 'complaint_on', 'complaint_answered_on', 'hidden', 'sample'])
    .orderBy(sql`case when status in ('open', 'clarification') then 0 else 1 end`).orderBy('due_on').orderBy('id', 'desc')
    .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
}

export function findPublic(db: InfoDB, communeId: number, reference: string): Promise<PublicRow | undefined> {
  return db.selectFrom('info_requests').select([...PUBLIC_COLUMNS]).where('commune_id', '=', communeId).where('reference', '=', reference)
    .where('status', '<>', 'unconfirmed').executeTakeFirst() as Promise<PublicRow | undefined>;
}

export function findFull(db: InfoDB, communeId: number, by: { id?: number; reference?: string; trackingHash?: string }): Promise<FullRow | undefined> {
  let q = db.selectFrom('info_requests').selectAll().where('commune_id', '=', communeId);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.reference !== undefined) q = q.where('reference', '=', by.reference);
  if (by.trackingHash !== undefined) q = q.where('tracking_hash', '=', by.trackingHash);
  return q.executeTakeFirst() as Promise<FullRow | undefined>;
}

export async function nextSeq(db: InfoDB, communeId: number, year: number): Promise<number> {
  const row = await db.selectFrom('info_requests').select('seq').where('commune_id', '=', communeId).where('year', '=', year).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return (row?.seq ?? 0) + 1;
}

export function eventsOf(db: InfoDB, communeId: number, requestId: number, publicOnly: boolean) {
  let q = db.selectFrom('info_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.commune_id', '=', 'e.commune_id').onRef('u.id', '=', 'e.actor_id'))
    .select(['e.id', 'e.at', 'e.kind', 'e.public', 'e.body', 'e.data', 'u.name as actor_name'])
    .where('e.commune_id', '=', communeId).where('e.request_id', '=', requestId);
  if (publicOnly) q = q.where('e.public', '=', 1);
  return q.orderBy('e.id').execute();
}

export function attachmentsOf(db: InfoDB, communeId: number, requestId: number) {
  return db.selectFrom('info_attachments as a').innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'a.commune_id').onRef('f.id', '=', 'a.file_id'))
    .select(['a.id', 'a.name', 'a.hidden', 'a.hidden_reason', 'f.size', 'f.mime'])
    .where('a.commune_id', '=', communeId).where('a.request_id', '=', requestId).orderBy('a.id').execute();
}

export function findAttachment(db: InfoDB, communeId: number, id: number) {
  return db.selectFrom('info_attachments as a').innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'a.commune_id').onRef('f.id', '=', 'a.file_id'))
    .innerJoin('info_requests as r', (j) => j.onRef('r.commune_id', '=', 'a.commune_id').onRef('r.id', '=', 'a.request_id'))
    .select(['a.id', 'a.name', 'a.hidden', 'a.request_id', 'f.sha256', 'f.kind', 'f.mime', 'r.hidden as request_hidden', 'r.status', 'r.reference'])
    .where('a.commune_id', '=', communeId).where('a.id', '=', id).executeTakeFirst();
}

export function listGrounds(db: InfoDB, communeId: number) {
  return db.selectFrom('info_grounds').select(['id', 'code', 'article', 'label', 'active', 'sort']).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}

/** The recipients of the deadline mails: the commune's information officers (or, escalated, its administrators too). */
export function usersWithRoles(db: InfoDB, communeId: number, roles: string[]) {
  return db.selectFrom('users as u').innerJoin('role_grants as g', (j) => j.onRef('g.commune_id', '=', 'u.commune_id').onRef('g.user_id', '=', 'u.id'))
    .select(['u.id', 'u.email', 'u.locale']).distinct().where('u.commune_id', '=', communeId).where('g.role', 'in', roles).where('u.disabled', '=', 0).execute();
}

// ---------- Statistics: every figure one GROUP BY over the covering index ----------

export async function stats(db: InfoDB, communeId: number, today: string) {
  const sum = (c: string) => sql<number>`sum(${sql.ref(c)})`;
  const [months, openLate, outcomes, channels, grounds, hist] = await Promise.all([
    db.selectFrom('info_stats').select(['month', sum('n').as('n'), sum('within_n').as('within'), sum('late_n').as('late')]).where('commune_id', '=', communeId).groupBy('month').orderBy('month').execute(),
    // Open past their deadline: late too (answered late ones come from the summary).
    db.selectFrom('info_requests').select(['created_month as month', (eb) => eb.fn.countAll().as('n')]).where('commune_id', '=', communeId).where('status', '=', 'open')
      .where('due_on', '<', today).groupBy('created_month').execute(),
    db.selectFrom('info_stats').select(['k', sum('n').as('n')]).where('commune_id', '=', communeId).groupBy('k').execute(),
    db.selectFrom('info_stats').select(['channel as k', sum('n').as('n')]).where('commune_id', '=', communeId).groupBy('channel').execute(),
    db.selectFrom('info_stats_grounds').select(['ground_id', 'n']).where('commune_id', '=', communeId).where('n', '>', 0).execute(),
    db.selectFrom('info_stats_days').select(['days', 'n']).where('commune_id', '=', communeId).where('n', '>', 0).orderBy('days').execute(),
  ]);
  const num = (x: unknown) => Number(x ?? 0);
  const late = new Map(openLate.map((m) => [m.month, num(m.n)]));
  return {
    months: months.filter((m) => num(m.n) > 0).map((m) => ({ month: m.month, n: num(m.n), within: num(m.within), late: num(m.late) + (late.get(m.month) ?? 0) })),
    outcomes: outcomes.filter((o) => num(o.n) > 0).map((o) => ({ key: String(o.k), n: num(o.n) })),
    channels: channels.filter((c) => num(c.n) > 0).map((c) => ({ key: c.k, n: num(c.n) })),
    grounds: grounds.map((g) => ({ groundId: Number(g.ground_id), n: num(g.n) })),
    hist: hist.map((h) => ({ days: Number(h.days), n: num(h.n) })),
  };
}

/** The newest answers (the Atom feed). */
export function recentAnswers(db: InfoDB, communeId: number, limit = 50) {
  return db.selectFrom('info_requests').select(['reference', 'question', 'outcome', 'answered_at', 'created_at', 'hidden', 'hidden_reason', 'public_answer', 'answer_text'])
    .where('commune_id', '=', communeId).where('status', '=', 'closed').where('answered_at', 'is not', null).where('outcome', '<>', 'withdrawn')
    .orderBy('answered_at', 'desc').limit(limit).execute();
}

/** A batch of the register for the exports, by id. */
export function exportBatch(db: InfoDB, communeId: number, f: ListFilters, afterId: number, limit: number) {
  return filtered(db, communeId, f)
    .select(['id', 'reference', 'channel', 'question', 'answer_form', 'urgent', 'status', 'outcome', 'created_at', 'received_on', 'due_on', 'extended', 'answered_on',
      'answer_days', 'within_deadline', 'ground_id', 'complaint_on', 'complaint_outcome', 'cdai_on', 'cdai_outcome', 'hidden', 'hidden_reason', 'sample'])
    .where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

export function searchRows(db: InfoDB, communeId: number, o: { ids?: number[]; afterId?: number; limit: number }) {
  let q = db.selectFrom('info_requests').select(['id', 'reference', 'question', 'status', 'outcome', 'public_answer', 'answer_text', 'answered_at', 'created_at', 'hidden'])
    .where('commune_id', '=', communeId);
  if (o.ids) q = q.where('id', 'in', o.ids);
  if (o.afterId !== undefined) q = q.where('id', '>', o.afterId);
  return q.orderBy('id').limit(o.limit).execute();
}
