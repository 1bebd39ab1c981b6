import type { Kysely, Insertable } from 'kysely';
import type { CoreTables } from '../../core/db/tables.ts';
import type { AnyDB } from '../../core/db/index.ts';
import { OPEN_STATUSES, STATUSES, type RequestsTables, type Status } from './schema.ts';

/**
 * The only place with the requests module's SQL. Public reads name their columns and never select
 * the reporter's email, phone or tracking hash; the reporter's name comes out only when public.
 */
export type RqDB = Kysely<CoreTables & RequestsTables>;
export const rq = (db: AnyDB | { withTables: AnyDB['withTables'] }): RqDB => (db as AnyDB).withTables<RequestsTables>() as unknown as RqDB;

export const PAGE_SIZE = 20;
/** Lists count at most this many rows; beyond, the pager says "more than". Keeps counts cheap at a million rows. */
export const COUNT_CAP = 10_000;

// ---------- Categories, questions, districts ----------

const categoryColumns = ['id', 'slug', 'name', 'description', 'institution_id', 'sla_days', 'active', 'sample', 'sort'] as const;

export function listCategories(db: RqDB, communeId: number, activeOnly = false) {
  let q = db.selectFrom('request_categories').select([...categoryColumns]).where('commune_id', '=', communeId);
  if (activeOnly) q = q.where('active', '=', 1);
  return q.orderBy('sort').orderBy('id').execute();
}

export function findCategory(db: RqDB, communeId: number, by: { id?: number; slug?: string }) {
  let q = db.selectFrom('request_categories').select([...categoryColumns]).where('commune_id', '=', communeId);
  q = by.id !== undefined ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
}

const questionColumns = ['id', 'category_id', 'code', 'kind', 'label', 'hint', 'required', 'options', 'sort'] as const;

export function questionsOf(db: RqDB, communeId: number, categoryIds: number[]) {
  if (!categoryIds.length) return Promise.resolve([]);
  return db.selectFrom('request_questions').select([...questionColumns])
    .where('commune_id', '=', communeId).where('category_id', 'in', categoryIds).orderBy('sort').orderBy('id').execute();
}

export function findQuestion(db: RqDB, communeId: number, id: number) {
  return db.selectFrom('request_questions').select([...questionColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

const districtColumns = ['id', 'slug', 'name', 'population', 'sample', 'sort'] as const;

export function listDistricts(db: RqDB, communeId: number) {
  return db.selectFrom('request_districts').select([...districtColumns]).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}

export function districtsWithGeometry(db: RqDB, communeId: number) {
  return db.selectFrom('request_districts').select(['id', 'slug', 'geometry']).where('commune_id', '=', communeId).where('geometry', 'is not', null).orderBy('sort').orderBy('id').execute();
}

export function findDistrict(db: RqDB, communeId: number, by: { id?: number; slug?: string }) {
  let q = db.selectFrom('request_districts').select([...districtColumns, 'geometry']).where('commune_id', '=', communeId);
  q = by.id !== undefined ? q.where('id', '=', by.id) : q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
}

export function institutionsOfKinds(db: RqDB, communeId: number, kinds: string[]) {
  return db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name']).where('commune_id', '=', communeId).where('kind', 'in', kinds).orderBy('sort').orderBy('id').execute();
}

export function listInstitutionNames(db: RqDB, communeId: number) {
  return db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name']).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}

export function findInstitution(db: RqDB, communeId: number, id: number) {
  return db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

// ---------- Requests ----------

/** What anyone may read of a request. */
const publicColumns = [
  'r.id', 'r.reference', 'r.category_id', 'r.district_id', 'r.institution_id', 'r.status', 'r.reject_reason', 'r.duplicate_of_id',
  'r.referral', 'r.public_note', 'r.description', 'r.address', 'r.lat', 'r.lng', 'r.answers', 'r.channel', 'r.created_at', 'r.updated_at',
  'r.acknowledged_at', 'r.due_on', 'r.resolved_at', 'r.closed_at', 'r.within_target', 'r.fixed', 'r.satisfaction', 'r.feedback_at',
  'r.reopen_count', 'r.contest_status', 'r.sample',
] as const;

export type PublicRequestRow = Awaited<ReturnType<typeof findPublicByReference>> & {};

export function findPublicByReference(db: RqDB, communeId: number, reference: string) {
  return db.selectFrom('requests as r').select([...publicColumns])
    .select((eb) => eb.case().when('r.name_public', '=', 1).then(eb.ref('r.reporter_name')).else(eb.lit(null)).end().as('public_name'))
    .where('r.commune_id', '=', communeId).where('r.reference', '=', reference).executeTakeFirst();
}

/** Everything about a request, for staff, the mediator and the reporter's own pages (never public pages). */
export function findFull(db: RqDB, communeId: number, by: { reference?: string; id?: number; trackingHash?: string }) {
  let q = db.selectFrom('requests').selectAll().where('commune_id', '=', communeId);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  else if (by.trackingHash !== undefined) q = q.where('tracking_hash', '=', by.trackingHash);
  else q = q.where('reference', '=', by.reference ?? '');
  return q.executeTakeFirst();
}
export type FullRequestRow = NonNullable<Awaited<ReturnType<typeof findFull>>>;

/** Who reported a request while signed in (null: nobody, or unknown). */
export async function reporterOf(db: RqDB, communeId: number, id: number): Promise<number | null> {
  const r = await db.selectFrom('requests').select('reporter_user_id').where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
  return r?.reporter_user_id ?? null;
}

export async function institutionOf(db: RqDB, communeId: number, id: number): Promise<number | null> {
  const r = await db.selectFrom('requests').select('institution_id').where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
  return r?.institution_id ?? null;
}

/** The requests merged into this one (their references), in id order. */
export function duplicatesOf(db: RqDB, communeId: number, id: number, limit: number) {
  return db.selectFrom('requests').select(['reference']).where('commune_id', '=', communeId).where('duplicate_of_id', '=', id).orderBy('id').limit(limit).execute();
}

export function referencesOf(db: RqDB, communeId: number, ids: number[]) {
  if (!ids.length) return Promise.resolve([] as { id: number; reference: string }[]);
  return db.selectFrom('requests').select(['id', 'reference']).where('commune_id', '=', communeId).where('id', 'in', ids).execute();
}

export interface ListFilters {
  status?: 'open' | 'closed' | 'overdue' | Status;
  categoryId?: number;
  districtId?: number;
  /** Days, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  /** Staff queues: only these institutions (undefined: all). */
  institutionIds?: number[];
  assigneeId?: number;
  today?: string;
}

function dayAfter(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function filtered(db: RqDB, communeId: number, f: ListFilters) {
  let q = db.selectFrom('requests as r').where('r.commune_id', '=', communeId);
  // Open and closed by closed_at (set on resolving or rejecting, cleared on reopening): one index range, in id order.
  if (f.status === 'open') q = q.where('r.closed_at', 'is', null);
  else if (f.status === 'closed') q = q.where('r.closed_at', 'is not', null);
  else if (f.status === 'overdue') q = q.where('r.status', 'in', OPEN_STATUSES).where('r.due_on', '<', f.today ?? '9999-12-31');
  else if (f.status && (STATUSES as readonly string[]).includes(f.status)) q = q.where('r.status', '=', f.status);
  if (f.categoryId !== undefined) q = q.where('r.category_id', '=', f.categoryId);
  if (f.districtId !== undefined) q = q.where('r.district_id', '=', f.districtId);
  if (f.from) q = q.where('r.created_at', '>=', f.from);
  if (f.to) q = q.where('r.created_at', '<', dayAfter(f.to));
  if (f.institutionIds) q = q.where('r.institution_id', 'in', f.institutionIds.length ? f.institutionIds : [-1]);
  if (f.assigneeId !== undefined) q = q.where('r.assignee_id', '=', f.assigneeId);
  return q;
}

/** How many rows match, up to COUNT_CAP (a bounded scan, whatever the table size). */
export async function countCapped(db: RqDB, communeId: number, f: ListFilters): Promise<number> {
  const sub = filtered(db, communeId, f).select('r.id').limit(COUNT_CAP + 1);
  const row = await db.selectFrom(sub.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of the public list, newest first. */
export function listPublic(db: RqDB, communeId: number, f: ListFilters, page: number, pageSize = PAGE_SIZE) {
  return filtered(db, communeId, f)
    .select(['r.id', 'r.reference', 'r.category_id', 'r.district_id', 'r.status', 'r.description', 'r.address', 'r.created_at', 'r.due_on', 'r.closed_at', 'r.sample'])
    .orderBy('r.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
}

/** Rows for an export, in id order from `afterId`, public columns only. */
export function exportBatch(db: RqDB, communeId: number, f: ListFilters, afterId: number, limit: number) {
  return filtered(db, communeId, f).where('r.id', '>', afterId)
    .select(['r.id', 'r.reference', 'r.category_id', 'r.district_id', 'r.institution_id', 'r.status', 'r.reject_reason', 'r.channel', 'r.description', 'r.address',
      'r.lat', 'r.lng', 'r.created_at', 'r.due_on', 'r.acknowledged_at', 'r.resolved_at', 'r.closed_at', 'r.within_target', 'r.resolution_days', 'r.satisfaction', 'r.sample'])
    .orderBy('r.id').limit(limit).execute();
}

/** One page of a staff queue: most urgent first (earliest deadline). */
export function listQueue(db: RqDB, communeId: number, f: ListFilters, page: number, pageSize = PAGE_SIZE) {
  return filtered(db, communeId, f)
    .leftJoin('users as a', (j) => j.onRef('a.commune_id', '=', 'r.commune_id').onRef('a.id', '=', 'r.assignee_id'))
    .select(['r.id', 'r.reference', 'r.category_id', 'r.district_id', 'r.institution_id', 'r.status', 'r.description', 'r.address', 'r.channel',
      'r.created_at', 'r.due_on', 'r.escalated_at', 'r.contest_status', 'r.sample', 'a.name as assignee_name'])
    .orderBy('r.due_on').orderBy('r.id').limit(pageSize).offset((page - 1) * pageSize).execute();
}

/**
 * Open requests of a category in a district, and (when the report has a point) within a box
 * around it: two index range scans, merged by the caller.
 */
export async function similarOpen(db: RqDB, communeId: number, categoryId: number, districtId: number | null, box: { minLat: number; maxLat: number; minLng: number; maxLng: number } | null, limit = 20) {
  const cols = ['r.id', 'r.reference', 'r.district_id', 'r.status', 'r.description', 'r.address', 'r.lat', 'r.lng', 'r.created_at'] as const;
  const base = () => db.selectFrom('requests as r').select([...cols]).where('r.commune_id', '=', communeId).where('r.category_id', '=', categoryId).where('r.closed_at', 'is', null);
  const [inDistrict, inBox] = await Promise.all([
    districtId === null ? Promise.resolve([]) : base().where('r.district_id', '=', districtId).orderBy('r.id', 'desc').limit(limit).execute(),
    box ? base().where('r.lat', '>=', box.minLat).where('r.lat', '<=', box.maxLat).where('r.lng', '>=', box.minLng).where('r.lng', '<=', box.maxLng).orderBy('r.id', 'desc').limit(limit).execute() : Promise.resolve([]),
  ]);
  const seen = new Set<number>();
  return [...inBox, ...inDistrict].filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

/** Points for the public map: the newest requests that have coordinates. */
export function mapPoints(db: RqDB, communeId: number, f: ListFilters, limit: number) {
  return filtered(db, communeId, f).where('r.lat', 'is not', null).where('r.lng', 'is not', null)
    .select(['r.reference', 'r.category_id', 'r.status', 'r.lat', 'r.lng', 'r.created_at']).orderBy('r.id', 'desc').limit(limit).execute();
}

/** The next number of the year's sequence: one step down the (commune_id, year, seq) unique index. */
export async function nextSeq(db: RqDB, communeId: number, year: number): Promise<number> {
  const row = await db.selectFrom('requests').select('seq').where('commune_id', '=', communeId).where('year', '=', year).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return (row?.seq ?? 0) + 1;
}

// ---------- Events, photos, followers ----------

export function eventsOf(db: RqDB, communeId: number, requestId: number, publicOnly: boolean) {
  let q = db.selectFrom('request_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.commune_id', '=', 'e.commune_id').onRef('u.id', '=', 'e.actor_id'))
    .select(['e.id', 'e.at', 'e.kind', 'e.public', 'e.body', 'e.data', 'u.name as actor_name'])
    .where('e.commune_id', '=', communeId).where('e.request_id', '=', requestId);
  if (publicOnly) q = q.where('e.public', '=', 1);
  return q.orderBy('e.id').execute();
}

export function photosOf(db: RqDB, communeId: number, requestId: number, includeHidden: boolean) {
  let q = db.selectFrom('request_photos').select(['id', 'kind', 'hidden', 'file_id']).where('commune_id', '=', communeId).where('request_id', '=', requestId);
  if (!includeHidden) q = q.where('hidden', '=', 0);
  return q.orderBy('id').execute();
}

export function insertPhoto(db: RqDB, communeId: number, p: { requestId: number; fileId: number; kind: 'report' | 'resolution'; at: string }) {
  return db.insertInto('request_photos').values({ commune_id: communeId, request_id: p.requestId, file_id: p.fileId, kind: p.kind, hidden: 0, created_at: p.at }).execute();
}

export function findPhoto(db: RqDB, communeId: number, id: number) {
  return db.selectFrom('request_photos as p')
    .innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'p.commune_id').onRef('f.id', '=', 'p.file_id'))
    .select(['p.id', 'p.request_id', 'p.hidden', 'f.sha256', 'f.kind', 'f.mime', 'f.size'])
    .where('p.commune_id', '=', communeId).where('p.id', '=', id).executeTakeFirst();
}

export function confirmedFollowers(db: RqDB, communeId: number, requestId: number) {
  return db.selectFrom('request_followers').select(['id', 'email', 'email_normalized', 'locale', 'token', 'is_reporter', 'user_id'])
    .where('commune_id', '=', communeId).where('request_id', '=', requestId).where('confirmed', '=', 1).orderBy('id').execute();
}

export function followersOf(db: RqDB, communeId: number, requestId: number) {
  return db.selectFrom('request_followers').select(['id', 'email', 'email_normalized', 'locale', 'token', 'is_reporter', 'user_id', 'confirmed'])
    .where('commune_id', '=', communeId).where('request_id', '=', requestId).orderBy('id').execute();
}

export async function followerCount(db: RqDB, communeId: number, requestId: number): Promise<number> {
  const r = await db.selectFrom('request_followers').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('commune_id', '=', communeId).where('request_id', '=', requestId).where('confirmed', '=', 1).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findFollowerByToken(db: RqDB, communeId: number, token: string) {
  return db.selectFrom('request_followers').select(['id', 'request_id', 'email', 'confirmed', 'is_reporter', 'locale'])
    .where('commune_id', '=', communeId).where('token', '=', token).executeTakeFirst();
}

export function findFollower(db: RqDB, communeId: number, requestId: number, emailNormalized: string) {
  return db.selectFrom('request_followers').select(['id', 'confirmed', 'token', 'is_reporter'])
    .where('commune_id', '=', communeId).where('request_id', '=', requestId).where('email_normalized', '=', emailNormalized).executeTakeFirst();
}

// ---------- Staff: who may be assigned, heads, templates, contests ----------

/** Staff members of an institution (department or operator staff granted on it). */
export function staffOf(db: RqDB, communeId: number, institutionId: number) {
  return db.selectFrom('role_grants as g')
    .innerJoin('users as u', (j) => j.onRef('u.commune_id', '=', 'g.commune_id').onRef('u.id', '=', 'g.user_id'))
    .select(['u.id', 'u.name', 'u.email', 'u.locale']).distinct()
    .where('g.commune_id', '=', communeId).where('g.institution_id', '=', institutionId).where('g.role', 'in', ['department_staff', 'operator_staff'])
    .where('u.disabled', '=', 0).orderBy('u.name').execute();
}

export async function userName(db: RqDB, communeId: number, id: number): Promise<string | null> {
  const u = await db.selectFrom('users').select('name').where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
  return u?.name ?? null;
}

export function headsOf(db: RqDB, communeId: number) {
  return db.selectFrom('request_heads as h')
    .innerJoin('users as u', (j) => j.onRef('u.commune_id', '=', 'h.commune_id').onRef('u.id', '=', 'h.user_id'))
    .select(['h.institution_id', 'u.id as user_id', 'u.name', 'u.email', 'u.locale']).where('h.commune_id', '=', communeId).execute();
}

const templateColumns = ['id', 'category_id', 'title', 'body', 'sort'] as const;

export function listTemplates(db: RqDB, communeId: number, categoryId?: number) {
  let q = db.selectFrom('request_templates').select([...templateColumns]).where('commune_id', '=', communeId);
  if (categoryId !== undefined) q = q.where((eb) => eb.or([eb('category_id', '=', categoryId), eb('category_id', 'is', null)]));
  return q.orderBy('sort').orderBy('id').execute();
}

export function findTemplate(db: RqDB, communeId: number, id: number) {
  return db.selectFrom('request_templates').select([...templateColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function contestsOf(db: RqDB, communeId: number, requestId: number) {
  return db.selectFrom('request_contests').select(['id', 'reason', 'created_at', 'status', 'ruling', 'ruled_at', 'mediator_id'])
    .where('commune_id', '=', communeId).where('request_id', '=', requestId).orderBy('id').execute();
}

export function listContests(db: RqDB, communeId: number, status: 'pending' | 'ruled') {
  let q = db.selectFrom('request_contests as c')
    .innerJoin('requests as r', (j) => j.onRef('r.commune_id', '=', 'c.commune_id').onRef('r.id', '=', 'c.request_id'))
    .select(['c.id', 'c.created_at', 'c.status', 'c.ruled_at', 'r.reference', 'r.category_id', 'r.status as request_status'])
    .where('c.commune_id', '=', communeId);
  q = status === 'pending' ? q.where('c.status', '=', 'pending') : q.where('c.status', '!=', 'pending');
  return q.orderBy('c.id', 'desc').limit(200).execute();
}

export function overdueToEscalate(db: RqDB, communeId: number, today: string, limit: number) {
  return db.selectFrom('requests').select(['id', 'reference', 'institution_id', 'due_on', 'category_id'])
    .where('commune_id', '=', communeId).where('status', 'in', OPEN_STATUSES).where('due_on', '<', today).where('escalated_at', 'is', null)
    .orderBy('due_on').limit(limit).execute();
}

// ---------- Search (the platform-wide index) ----------

/**
 * Requests with the public text their page shows (description, address, the last public answer, the
 * referral) and their category's name, for the search index; by id, in id order. Never the reporter's
 * name, email or phone: they are not selected.
 */
export function searchRequests(db: RqDB, communeId: number, f: { afterId?: number; ids?: number[]; limit: number }) {
  let q = db.selectFrom('requests as r')
    .innerJoin('request_categories as c', (j) => j.onRef('c.id', '=', 'r.category_id').onRef('c.commune_id', '=', 'r.commune_id'))
    .select(['r.id', 'r.reference', 'r.description', 'r.address', 'r.public_note', 'r.referral', 'r.created_at', 'c.name as category_name'])
    .where('r.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('r.id', '>', f.afterId);
  if (f.ids) q = q.where('r.id', 'in', f.ids.length ? f.ids : [-1]);
  return q.orderBy('r.id').limit(f.limit).execute();
}

// ---------- Writes (inside the caller's transaction) ----------

type Row<T extends keyof RequestsTables> = Insertable<RequestsTables[T]>;

export async function insertRequest(db: RqDB, values: Row<'requests'>): Promise<number> {
  return (await db.insertInto('requests').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertEvent(db: RqDB, values: Row<'request_events'>): Promise<number> {
  return (await db.insertInto('request_events').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertFollower(db: RqDB, values: Row<'request_followers'>): Promise<void> {
  await db.insertInto('request_followers').values(values).execute();
}

/**
 * Updates one request; with `when`, only if it is still in that state (status, institution, contest,
 * not yet escalated). Returns how many rows changed (0: someone changed it meanwhile).
 */
export async function updateRequest(db: RqDB, communeId: number, id: number, set: Record<string, unknown>,
  when: { status?: string; institutionId?: number; contestStatus?: string; notEscalated?: boolean } = {}): Promise<number> {
  let q = db.updateTable('requests').set(set as any).where('commune_id', '=', communeId).where('id', '=', id);
  if (when.status !== undefined) q = q.where('status', '=', when.status);
  if (when.institutionId !== undefined) q = q.where('institution_id', '=', when.institutionId);
  if (when.contestStatus !== undefined) q = q.where('contest_status', '=', when.contestStatus);
  if (when.notEscalated) q = q.where('escalated_at', 'is', null);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function updateFollower(db: RqDB, communeId: number, id: number, set: { confirmed?: number; request_id?: number; is_reporter?: number }): Promise<void> {
  await db.updateTable('request_followers').set(set).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function deleteFollower(db: RqDB, communeId: number, id: number): Promise<void> {
  await db.deleteFrom('request_followers').where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function insertContest(db: RqDB, values: Row<'request_contests'>): Promise<void> {
  await db.insertInto('request_contests').values(values).execute();
}

export async function updateContest(db: RqDB, communeId: number, id: number, set: { status: string; ruling: string; ruled_at: string; mediator_id: number | null }): Promise<void> {
  await db.updateTable('request_contests').set(set).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function setPhotoHidden(db: RqDB, communeId: number, id: number, hidden: boolean): Promise<void> {
  await db.updateTable('request_photos').set({ hidden: hidden ? 1 : 0 }).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

/** Whether the commune's holiday calendar has any day in that year. */
export async function hasHolidaysIn(db: AnyDB, communeId: number, year: number): Promise<boolean> {
  return !!(await db.selectFrom('holidays').select('id').where('commune_id', '=', communeId)
    .where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).limit(1).executeTakeFirst());
}

// ---------- Settings: categories, questions, districts, templates, heads (inside the caller's transaction) ----------

type SettingsTable = 'request_categories' | 'request_questions' | 'request_districts' | 'request_templates';

/** Updates a settings row by id, or (id null) inserts it for the commune; returns its id. */
export async function saveSetting(db: RqDB, table: SettingsTable, communeId: number, id: number | null, values: Record<string, unknown>): Promise<number> {
  const d = db as unknown as Kysely<any>;
  if (id !== null) {
    await d.updateTable(table).set(values).where('commune_id', '=', communeId).where('id', '=', id).execute();
    return id;
  }
  return (await d.insertInto(table).values({ commune_id: communeId, ...values }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteSetting(db: RqDB, table: 'request_questions' | 'request_templates', communeId: number, id: number): Promise<void> {
  await (db as unknown as Kysely<any>).deleteFrom(table).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

/** Whether any request was filed in a category (its slug is then its Open311 code, and stays). */
export async function categoryInUse(db: RqDB, communeId: number, categoryId: number): Promise<boolean> {
  return !!(await db.selectFrom('requests').select('id').where('commune_id', '=', communeId).where('category_id', '=', categoryId).limit(1).executeTakeFirst());
}

export async function setHead(db: RqDB, communeId: number, institutionId: number, userId: number | null): Promise<void> {
  await db.deleteFrom('request_heads').where('commune_id', '=', communeId).where('institution_id', '=', institutionId).execute();
  if (userId !== null) await db.insertInto('request_heads').values({ commune_id: communeId, institution_id: institutionId, user_id: userId }).execute();
}

// ---------- The holiday calendar (core's table, which the deadlines count with) ----------

export type HolidayRow = { id: number; day: string; name: string; kind: string; confirmed: number };

export function holidaysBetween(db: AnyDB, communeId: number, from: string, to: string): Promise<HolidayRow[]> {
  return (db as Kysely<CoreTables>).selectFrom('holidays').select(['id', 'day', 'name', 'kind', 'confirmed']).where('commune_id', '=', communeId)
    .where('day', '>=', from).where('day', '<=', to).orderBy('day').execute() as Promise<HolidayRow[]>;
}

export async function findHoliday(db: AnyDB, communeId: number, by: { id?: number; day?: string }): Promise<HolidayRow | undefined> {
  let q = (db as Kysely<CoreTables>).selectFrom('holidays').select(['id', 'day', 'name', 'kind', 'confirmed']).where('commune_id', '=', communeId);
  q = by.id !== undefined ? q.where('id', '=', by.id) : q.where('day', '=', by.day ?? '');
  return (await q.executeTakeFirst()) as HolidayRow | undefined;
}

export async function insertHoliday(db: AnyDB, h: { commune_id: number; day: string; name: string; kind: string; confirmed: number }): Promise<void> {
  await (db as Kysely<CoreTables>).insertInto('holidays').values(h as any).execute();
}

export async function updateHoliday(db: AnyDB, communeId: number, id: number, set: { day?: string; confirmed?: number }): Promise<void> {
  await (db as Kysely<CoreTables>).updateTable('holidays').set(set as any).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function deleteHoliday(db: AnyDB, communeId: number, id: number): Promise<void> {
  await (db as Kysely<CoreTables>).deleteFrom('holidays').where('commune_id', '=', communeId).where('id', '=', id).execute();
}
