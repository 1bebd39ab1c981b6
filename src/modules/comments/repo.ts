import type { Kysely, ExpressionBuilder } from 'kysely';
import type { CoreTables } from '../../core/db/tables.ts';
import type { CommentsTables } from './schema.ts';

/** The only place with the comments module's SQL. No read here selects `author_email`. */
export type CommentsDB = Kysely<CoreTables & CommentsTables>;

/** What anyone may read of a comment: never the email. */
const publicColumns = ['id', 'target_type', 'target_id', 'author_name', 'body', 'status', 'hidden_reason', 'hidden_at', 'created_at'] as const;

export const THREAD_LIMIT = 200;

export function threadComments(db: CommentsDB, communeId: number, targetType: string, targetId: number, limit = THREAD_LIMIT) {
  return db.selectFrom('comments').select([...publicColumns])
    .where('commune_id', '=', communeId).where('target_type', '=', targetType).where('target_id', '=', targetId)
    .orderBy('id', 'desc').limit(limit).execute();
}

export async function countThread(db: CommentsDB, communeId: number, targetType: string, targetId: number): Promise<number> {
  const r = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('commune_id', '=', communeId).where('target_type', '=', targetType).where('target_id', '=', targetId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findComment(db: CommentsDB, communeId: number, id: number) {
  return db.selectFrom('comments').select([...publicColumns, 'user_id', 'open_reports', 'hidden_by'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function insertComment(db: CommentsDB, row: {
  commune_id: number; target_type: string; target_id: number; user_id: number | null; author_name: string;
  author_email: string | null; body: string; locale: string; created_at: string;
}) {
  return db.insertInto('comments').values({ ...row, status: 'visible', open_reports: 0 }).returning('id').executeTakeFirstOrThrow();
}

export function insertReport(db: CommentsDB, row: { commune_id: number; comment_id: number; reason: string; note: string; reporter_id: number | null; created_at: string }) {
  return db.insertInto('comment_reports').values(row).returning('id').executeTakeFirstOrThrow();
}

export function bumpOpenReports(db: CommentsDB, communeId: number, id: number) {
  return db.updateTable('comments').set((eb) => ({ open_reports: eb('open_reports', '+', 1) }))
    .where('commune_id', '=', communeId).where('id', '=', id).execute();
}

/** Closes every open report of a comment with the moderator's outcome. */
export function resolveReports(db: CommentsDB, communeId: number, commentId: number, resolution: string, by: number | null, at: string) {
  return db.updateTable('comment_reports').set({ resolved_at: at, resolution, resolved_by: by })
    .where('commune_id', '=', communeId).where('comment_id', '=', commentId).where('resolved_at', 'is', null).execute();
}

export function setModeration(db: CommentsDB, communeId: number, id: number, v: { status: string; hidden_reason: string | null; hidden_by: number | null; hidden_at: string | null }) {
  return db.updateTable('comments').set({ ...v, open_reports: 0 }).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export const QUEUE_PAGE = 30;
export type QueueTab = 'reported' | 'hidden';

const inQueue = (tab: QueueTab) => (eb: ExpressionBuilder<CoreTables & CommentsTables, 'comments'>) =>
  tab === 'reported' ? eb.and([eb('open_reports', '>', 0), eb('status', '=', 'visible')]) : eb('status', '=', 'hidden');

/** A page of the moderators' queue: reported comments (most reported first) or hidden ones (newest first). */
export async function queue(db: CommentsDB, communeId: number, tab: QueueTab, page: number) {
  const base = db.selectFrom('comments').where('commune_id', '=', communeId).where(inQueue(tab));
  const [{ n }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    (tab === 'reported' ? base.orderBy('open_reports', 'desc') : base.orderBy('hidden_at', 'desc'))
      .orderBy('id', 'desc').select([...publicColumns, 'open_reports']).limit(QUEUE_PAGE).offset((page - 1) * QUEUE_PAGE).execute(),
  ]);
  return { total: Number(n), rows };
}

export async function queueCounts(db: CommentsDB, communeId: number): Promise<Record<QueueTab, number>> {
  const count = (tab: QueueTab) => db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('commune_id', '=', communeId).where(inQueue(tab)).executeTakeFirstOrThrow();
  const [r, h] = await Promise.all([count('reported'), count('hidden')]);
  return { reported: Number(r.n), hidden: Number(h.n) };
}

/** The reports of one comment, open ones first. */
export function reportsOf(db: CommentsDB, communeId: number, commentId: number) {
  return db.selectFrom('comment_reports').select(['id', 'reason', 'note', 'created_at', 'resolved_at', 'resolution'])
    .where('commune_id', '=', communeId).where('comment_id', '=', commentId)
    .orderBy('resolved_at', 'desc').orderBy('id', 'desc').execute();
}
