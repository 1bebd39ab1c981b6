import type { RqDB } from '../repo.ts';
import { OPEN_STATUSES, CLOSED_STATUSES } from '../schema.ts';

/**
 * Open311's SQL. Requests are read with an explicit list of public columns: never the reporter's
 * name, email, phone or tracking hash.
 */
const columns = [
  'r.id', 'r.reference', 'r.category_id', 'r.institution_id', 'r.status', 'r.reject_reason', 'r.duplicate_of_id', 'r.referral', 'r.public_note',
  'r.description', 'r.address', 'r.lat', 'r.lng', 'r.created_at', 'r.updated_at', 'r.due_on',
] as const;

export interface Open311Filters {
  references?: string[];
  categoryIds?: number[];
  status?: 'open' | 'closed';
  /** ISO UTC bounds on the submission time, inclusive. */
  start?: string;
  end?: string;
}

/** Newest first, at most `limit`; by references, the other filters do not apply (as the specification says). */
export function findRequests(db: RqDB, communeId: number, f: Open311Filters, limit: number) {
  let q = db.selectFrom('requests as r').select([...columns]).where('r.commune_id', '=', communeId);
  if (f.references) {
    q = q.where('r.reference', 'in', f.references.length ? f.references : ['']);
  } else {
    if (f.start) q = q.where('r.created_at', '>=', f.start);
    if (f.end) q = q.where('r.created_at', '<=', f.end);
    if (f.categoryIds) q = q.where('r.category_id', 'in', f.categoryIds.length ? f.categoryIds : [-1]);
    if (f.status === 'open') q = q.where('r.status', 'in', OPEN_STATUSES);
    if (f.status === 'closed') q = q.where('r.status', 'in', CLOSED_STATUSES);
  }
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
}
export type Open311Row = Awaited<ReturnType<typeof findRequests>>[number];

export function findRequest(db: RqDB, communeId: number, reference: string) {
  return db.selectFrom('requests as r').select([...columns]).where('r.commune_id', '=', communeId).where('r.reference', '=', reference).executeTakeFirst();
}

export function referenceOf(db: RqDB, communeId: number, id: number) {
  return db.selectFrom('requests').select(['reference']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function referencesByIds(db: RqDB, communeId: number, ids: number[]) {
  if (!ids.length) return Promise.resolve([] as { id: number; reference: string }[]);
  return db.selectFrom('requests').select(['id', 'reference']).where('commune_id', '=', communeId).where('id', 'in', ids).execute();
}

/** The first visible photo of each request's report: one query for a whole page. */
export function firstPhotos(db: RqDB, communeId: number, requestIds: number[]) {
  if (!requestIds.length) return Promise.resolve([] as { request_id: number; photo_id: number }[]);
  return db.selectFrom('request_photos').select(['request_id', (eb) => eb.fn.min<number>('id').as('photo_id')])
    .where('commune_id', '=', communeId).where('request_id', 'in', requestIds).where('hidden', '=', 0).where('kind', '=', 'report')
    .groupBy('request_id').execute();
}

/** An API key of the commune by its hash (revoked ones too, so the answer can say so). */
export function findApiKey(db: RqDB, communeId: number, keyHash: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'revoked_at']).where('commune_id', '=', communeId).where('key_hash', '=', keyHash).executeTakeFirst();
}

