import type { TDB } from '../db.ts';

/** The only place with the council's SQL. */

export const sessionColumns = ['s.id', 's.ref', 's.kind', 's.title', 's.starts_at', 's.ends_at', 's.place', 's.status', 's.sample'] as const;
export type SessionRow = { id: number; ref: string; kind: string; title: string; starts_at: string; ends_at: string | null; place: string; status: string; sample: number };
export const delibColumns = ['d.id', 'd.session_id', 'd.item_id', 'd.ref', 'd.title', 'd.text', 'd.decision', 'd.consensus', 'd.votes_for', 'd.votes_against', 'd.votes_abstention', 'd.sample'] as const;
export type DelibRow = {
  id: number; session_id: number; item_id: number | null; ref: string; title: string; text: string; decision: string; consensus: number;
  votes_for: number | null; votes_against: number | null; votes_abstention: number | null; sample: number;
};

export function listSessions(db: TDB, communeId: number, f: { from?: string; to?: string; limit: number; offset: number }) {
  let q = db.selectFrom('council_sessions as s').select([...sessionColumns]).where('s.commune_id', '=', communeId);
  if (f.from) q = q.where('s.starts_at', '>=', f.from);
  if (f.to) q = q.where('s.starts_at', '<', f.to);
  return q.orderBy('s.starts_at', 'desc').orderBy('s.id', 'desc').limit(f.limit).offset(f.offset).execute() as Promise<SessionRow[]>;
}
export async function countSessions(db: TDB, communeId: number) {
  const r = await db.selectFrom('council_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', communeId).executeTakeFirstOrThrow();
  return Number(r.n);
}
export function findSession(db: TDB, communeId: number, by: { ref?: string; id?: number }) {
  let q = db.selectFrom('council_sessions as s').select([...sessionColumns]).where('s.commune_id', '=', communeId);
  q = by.ref !== undefined ? q.where('s.ref', '=', by.ref) : q.where('s.id', '=', by.id ?? -1);
  return q.executeTakeFirst() as Promise<SessionRow | undefined>;
}
export function itemsOf(db: TDB, communeId: number, sessionId: number) {
  return db.selectFrom('council_items').select(['id', 'session_id', 'position', 'title', 'summary']).where('commune_id', '=', communeId).where('session_id', '=', sessionId)
    .orderBy('position').orderBy('id').execute();
}
export function deliberationsOf(db: TDB, communeId: number, sessionIds: number[]) {
  if (!sessionIds.length) return Promise.resolve([] as DelibRow[]);
  return db.selectFrom('council_deliberations as d').select([...delibColumns]).where('d.commune_id', '=', communeId).where('d.session_id', 'in', sessionIds)
    .orderBy('d.session_id').orderBy('d.id').execute() as Promise<DelibRow[]>;
}
export function findDeliberation(db: TDB, communeId: number, id: number) {
  return db.selectFrom('council_deliberations as d').select([...delibColumns]).where('d.commune_id', '=', communeId).where('d.id', '=', id).executeTakeFirst() as Promise<DelibRow | undefined>;
}

/** Deliberations with their session's reference and date, for the search; by id. */
export function searchDeliberations(db: TDB, communeId: number, f: { afterId?: number; ids?: number[]; limit: number }) {
  let q = db.selectFrom('council_deliberations as d')
    .innerJoin('council_sessions as s', (j) => j.onRef('s.commune_id', '=', 'd.commune_id').onRef('s.id', '=', 'd.session_id'))
    .select(['d.id', 'd.ref', 'd.title', 'd.text', 's.ref as session_ref', 's.starts_at', 's.status']).where('d.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('d.id', '>', f.afterId);
  if (f.ids) q = q.where('d.id', 'in', f.ids.length ? f.ids : [-1]);
  return q.orderBy('d.id').limit(f.limit).execute();
}

/** Deliberations linked to a thing (a commitment, a document), with their session. */
export function deliberationsLinkedTo(db: TDB, communeId: number, targetType: string, targetId: number) {
  return db.selectFrom('transparency_links as l')
    .innerJoin('council_deliberations as d', (j) => j.onRef('d.commune_id', '=', 'l.commune_id').onRef('d.id', '=', 'l.source_id'))
    .innerJoin('council_sessions as s', (j) => j.onRef('s.commune_id', '=', 'd.commune_id').onRef('s.id', '=', 'd.session_id'))
    .select([...delibColumns, 's.ref as session_ref', 's.starts_at'])
    .where('l.commune_id', '=', communeId).where('l.source_type', '=', 'deliberation').where('l.target_type', '=', targetType).where('l.target_id', '=', targetId)
    .orderBy('s.starts_at', 'desc').orderBy('d.id').limit(100).execute();
}
