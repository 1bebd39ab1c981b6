import { sql, type Kysely } from 'kysely';
import type { CoreTables } from '../../../core/db/tables.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { RequestsTables } from '../schema.ts';
import { OPEN_STATUSES, CLOSED_STATUSES } from '../schema.ts';
import type { Open311Tables } from './schema.ts';

/**
 * Open311's SQL. Requests are read with an explicit list of public columns: never the reporter's
 * name, email, phone or tracking hash; updates (request events) with their public text only, never
 * the poster's details kept in `request_updates`.
 */
export type O3DB = Kysely<CoreTables & RequestsTables & Open311Tables>;
export const o3 = (db: AnyDB | { withTables: AnyDB['withTables'] }): O3DB => (db as AnyDB).withTables<RequestsTables & Open311Tables>() as unknown as O3DB;

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

export interface Page { limit: number; offset: number }

/** Newest first, one page; by references, the other filters do not apply (as the specification says). */
export function findRequests(db: O3DB, communeId: number, f: Open311Filters, page: Page) {
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
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(page.limit).offset(page.offset).execute();
}
export type Open311Row = Awaited<ReturnType<typeof findRequests>>[number];

export function findRequest(db: O3DB, communeId: number, reference: string) {
  return db.selectFrom('requests as r').select([...columns]).where('r.commune_id', '=', communeId).where('r.reference', '=', reference).executeTakeFirst();
}

export function referencesByIds(db: O3DB, communeId: number, ids: number[]) {
  if (!ids.length) return Promise.resolve([] as { id: number; reference: string }[]);
  return db.selectFrom('requests').select(['id', 'reference']).where('commune_id', '=', communeId).where('id', 'in', ids).execute();
}

/** The first visible photo of the report of each request. */
export function firstPhotos(db: O3DB, communeId: number, requestIds: number[]) {
  if (!requestIds.length) return Promise.resolve([] as { request_id: number; photo_id: number }[]);
  return db.selectFrom('request_photos').select(['request_id', (eb) => eb.fn.min<number>('id').as('photo_id')])
    .where('commune_id', '=', communeId).where('request_id', 'in', requestIds).where('hidden', '=', 0).where('kind', '=', 'report')
    .groupBy('request_id').execute();
}

/** An API key of the commune by its hash (revoked ones too, so the answer can say so). */
export function findApiKey(db: O3DB, communeId: number, keyHash: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'revoked_at']).where('commune_id', '=', communeId).where('key_hash', '=', keyHash).executeTakeFirst();
}

// ---------- Updates (the public events of requests) ----------

/**
 * The events that set a request's status: an update's status is the one the last of these (up to
 * and including the update itself) set. A ruling sets it only when it upholds the contest.
 */
export const STATE_KINDS = ['submitted', 'acknowledged', 'in_progress', 'resolved', 'rejected', 'merged', 'reopened'] as const;

export interface UpdateFilters {
  references?: string[];
  /** ISO UTC bounds on the event's time, inclusive. */
  start: string;
  end?: string;
}

/**
 * One page of public events after submission, newest first, each with its request's reference, the
 * status-setting event it follows (`state`: kind, a space, its JSON data) and the photo added with it
 * (a resolution's, a citizen update's). One statement: both lookups are index seeks per row
 * (`request_events (commune_id, request_id, id)`, `request_photos (commune_id, request_id)`).
 */
export function findUpdates(db: O3DB, communeId: number, f: UpdateFilters, page: Page) {
  let q = db.selectFrom('request_events as e')
    .innerJoin('requests as r', (j) => j.onRef('r.commune_id', '=', 'e.commune_id').onRef('r.id', '=', 'e.request_id'))
    .select(['e.id', 'e.at', 'e.kind', 'e.body', 'e.data', 'r.reference', 'r.status', 'r.reject_reason'])
    .select((eb) => eb.selectFrom('request_events as s').select(sql<string>`s.kind || ' ' || s.data`.as('state'))
      .whereRef('s.commune_id', '=', 'e.commune_id').whereRef('s.request_id', '=', 'e.request_id').where('s.public', '=', 1).whereRef('s.id', '<=', 'e.id')
      .where((w) => w.or([w('s.kind', 'in', [...STATE_KINDS]), w.and([w('s.kind', '=', 'ruled'), w('s.data', 'like', '%"upheld"%')])]))
      .orderBy('s.id', 'desc').limit(1).as('state'))
    .select((eb) => eb.selectFrom('request_photos as p').select((p) => p.fn.min<number>('p.id').as('m'))
      .whereRef('p.commune_id', '=', 'e.commune_id').whereRef('p.request_id', '=', 'e.request_id').whereRef('p.created_at', '=', 'e.at').where('p.hidden', '=', 0)
      .as('photo_id'))
    .where('e.commune_id', '=', communeId).where('e.public', '=', 1).where('e.kind', '!=', 'submitted');
  if (f.references) q = q.where('r.reference', 'in', f.references.length ? f.references : ['']);
  q = q.where('e.at', '>=', f.start);
  if (f.end) q = q.where('e.at', '<=', f.end);
  return q.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(page.limit).offset(page.offset).execute();
}
export type UpdateRow = Awaited<ReturnType<typeof findUpdates>>[number];

/** The update a client already sent (same key, request and client id): its event. */
export function findUpdate(db: O3DB, communeId: number, apiKeyId: number, requestId: number, externalId: string) {
  return db.selectFrom('request_updates').select(['event_id']).where('commune_id', '=', communeId).where('api_key_id', '=', apiKeyId)
    .where('request_id', '=', requestId).where('external_id', '=', externalId).executeTakeFirst();
}

export function insertUpdate(db: O3DB, row: Omit<Open311Tables['request_updates'], 'id'>) {
  return db.insertInto('request_updates').values(row).execute();
}

export function touchRequest(db: O3DB, communeId: number, requestId: number, at: string) {
  return db.updateTable('requests').set({ updated_at: at }).where('commune_id', '=', communeId).where('id', '=', requestId).execute();
}

/** The installation's cookie secret (core's settings), from which Open311 tokens are signed. */
export async function installationSecret(db: AnyDB): Promise<string | undefined> {
  return (await (db as Kysely<CoreTables>).selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst())?.value;
}
