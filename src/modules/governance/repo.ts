import type { Kysely, Insertable, Updateable } from 'kysely';
import type { CoreTables } from '../../core/db/tables.ts';
import type { GovernanceTables } from './schema.ts';

/** The only place with the governance module's SQL. Public reads name their columns. */
export type GovDB = Kysely<CoreTables & GovernanceTables>;

const bodyColumns = ['b.id', 'b.slug', 'b.kind', 'b.name', 'b.description', 'b.parity', 'b.decision_rule', 'b.sample', 'b.sort'] as const;

/** Every body with its current members per side, in one aggregate query. */
export function listBodiesWithCounts(db: GovDB, communeId: number, day: string) {
  return db.selectFrom('bodies as b')
    .leftJoin('body_members as m', (j) => j
      .onRef('m.commune_id', '=', 'b.commune_id').onRef('m.body_id', '=', 'b.id')
      .on('m.since', '<=', day)
      .on((eb) => eb.or([eb('m.until', 'is', null), eb('m.until', '>', day)])))
    .select([...bodyColumns])
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('m.side', '=', 'civil_society').then(1).else(0).end()), eb.lit(0)).as('civil_society'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('m.side', '=', 'commune').then(1).else(0).end()), eb.lit(0)).as('commune'),
    ])
    .where('b.commune_id', '=', communeId)
    .groupBy([...bodyColumns])
    .orderBy('b.sort').orderBy('b.id')
    .execute();
}

export function findBodyBySlug(db: GovDB, communeId: number, slug: string) {
  return db.selectFrom('bodies as b').select([...bodyColumns]).where('b.commune_id', '=', communeId).where('b.slug', '=', slug).executeTakeFirst();
}

export function findBodyById(db: GovDB, communeId: number, id: number) {
  return db.selectFrom('bodies as b').select([...bodyColumns]).where('b.commune_id', '=', communeId).where('b.id', '=', id).executeTakeFirst();
}

/** A body's members, current and former, with the organisation each represents. */
export function bodyMembers(db: GovDB, communeId: number, bodyId: number) {
  return db.selectFrom('body_members as m')
    .leftJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 'm.commune_id').onRef('i.id', '=', 'm.institution_id'))
    .select(['m.id', 'm.body_id', 'm.person_name', 'm.side', 'm.institution_id', 'm.role_title', 'm.since', 'm.until', 'm.sample', 'i.slug as institution_slug', 'i.name as institution_name'])
    .where('m.commune_id', '=', communeId).where('m.body_id', '=', bodyId)
    .orderBy('m.side').orderBy('m.since').orderBy('m.id')
    .execute();
}

/** What the parity rule needs: every membership period of a body. */
export function memberPeriods(db: GovDB, communeId: number, bodyId: number) {
  return db.selectFrom('body_members').select(['side', 'since', 'until']).where('commune_id', '=', communeId).where('body_id', '=', bodyId).execute();
}

export function findMember(db: GovDB, communeId: number, id: number) {
  return db.selectFrom('body_members').select(['id', 'body_id', 'person_name', 'side', 'institution_id', 'role_title', 'since', 'until', 'sample'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function bodyDecisions(db: GovDB, communeId: number, bodyId: number) {
  return db.selectFrom('body_decisions').select(['id', 'body_id', 'decided_on', 'title', 'outcome', 'notes', 'sample'])
    .where('commune_id', '=', communeId).where('body_id', '=', bodyId).orderBy('decided_on', 'desc').orderBy('id', 'desc').execute();
}

export function recentDecisions(db: GovDB, communeId: number, limit: number) {
  return db.selectFrom('body_decisions as d')
    .innerJoin('bodies as b', (j) => j.onRef('b.commune_id', '=', 'd.commune_id').onRef('b.id', '=', 'd.body_id'))
    .select(['d.id', 'd.body_id', 'd.decided_on', 'd.title', 'd.outcome', 'd.notes', 'd.sample', 'b.slug as body_slug', 'b.name as body_name'])
    .where('d.commune_id', '=', communeId).orderBy('d.decided_on', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
}

const endorsementColumns = ['e.id', 'e.person_name', 'e.person_title', 'e.institution_id', 'e.endorsed_on', 'e.statement', 'e.sort', 'i.slug as institution_slug', 'i.name as institution_name'] as const;

export function listEndorsements(db: GovDB, communeId: number) {
  return db.selectFrom('endorsements as e')
    .innerJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 'e.commune_id').onRef('i.id', '=', 'e.institution_id'))
    .select([...endorsementColumns]).where('e.commune_id', '=', communeId).orderBy('e.sort').orderBy('e.id').execute();
}

export function findEndorsement(db: GovDB, communeId: number, id: number) {
  return db.selectFrom('endorsements as e')
    .innerJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 'e.commune_id').onRef('i.id', '=', 'e.institution_id'))
    .select([...endorsementColumns]).where('e.commune_id', '=', communeId).where('e.id', '=', id).executeTakeFirst();
}

const institutionColumns = ['id', 'slug', 'kind', 'name', 'description', 'lead', 'sample', 'sort'] as const;

export function findInstitution(db: GovDB, communeId: number, id: number) {
  return db.selectFrom('institutions').select([...institutionColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function findInstitutionBySlug(db: GovDB, communeId: number, slug: string) {
  return db.selectFrom('institutions').select([...institutionColumns]).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

/** Whether anything points at an institution (staff roles, memberships, endorsements): its kind then stays. */
export async function institutionInUse(db: GovDB, communeId: number, id: number): Promise<boolean> {
  const [g, m, e] = await Promise.all([
    db.selectFrom('role_grants').select('id').where('commune_id', '=', communeId).where('institution_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('body_members').select('id').where('commune_id', '=', communeId).where('institution_id', '=', id).limit(1).executeTakeFirst(),
    db.selectFrom('endorsements').select('id').where('commune_id', '=', communeId).where('institution_id', '=', id).limit(1).executeTakeFirst(),
  ]);
  return !!(g || m || e);
}

// ---------- Search (the platform-wide index) ----------

/** Bodies with their public texts (description, decision titles), for the search index; by id, in id order. */
export async function searchBodies(db: GovDB, communeId: number, f: { afterId?: number; ids?: number[]; limit: number }) {
  let q = db.selectFrom('bodies as b').select(['b.id', 'b.slug', 'b.name', 'b.description']).where('b.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('b.id', '>', f.afterId);
  if (f.ids) q = q.where('b.id', 'in', f.ids.length ? f.ids : [-1]);
  const bodies = await q.orderBy('b.id').limit(f.limit).execute();
  const decisions = bodies.length
    ? await db.selectFrom('body_decisions').select(['body_id', 'title', 'decided_on']).where('commune_id', '=', communeId)
      .where('body_id', 'in', bodies.map((b) => b.id)).orderBy('decided_on', 'desc').orderBy('id', 'desc').execute()
    : [];
  return bodies.map((b) => ({ ...b, decisions: decisions.filter((d) => d.body_id === b.id) }));
}

// ---------- Writes (inside the caller's transaction) ----------

type GovTable = 'bodies' | 'body_members' | 'body_decisions' | 'endorsements';
type CoreOrGov = CoreTables & GovernanceTables;

export async function insertRow<T extends GovTable | 'institutions'>(db: GovDB, table: T, values: Insertable<CoreOrGov[T]>): Promise<number> {
  return (await (db as Kysely<any>).insertInto(table as string).values(values as Record<string, unknown>).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateRow<T extends GovTable | 'institutions'>(db: GovDB, table: T, communeId: number, id: number, set: Updateable<CoreOrGov[T]>): Promise<void> {
  await (db as Kysely<any>).updateTable(table as string).set(set as Record<string, unknown>).where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function deleteEndorsement(db: GovDB, communeId: number, id: number): Promise<void> {
  await db.deleteFrom('endorsements').where('commune_id', '=', communeId).where('id', '=', id).execute();
}

/** Ends a membership still open; 0 if it had already ended. */
export async function endMember(db: GovDB, communeId: number, id: number, until: string): Promise<number> {
  const r = await db.updateTable('body_members').set({ until }).where('commune_id', '=', communeId).where('id', '=', id).where('until', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function listInstitutions(db: GovDB, communeId: number, kinds?: string[]) {
  let q = db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name', 'description', 'lead', 'sample', 'sort']).where('commune_id', '=', communeId);
  if (kinds?.length) q = q.where('kind', 'in', kinds);
  return q.orderBy('sort').orderBy('id').execute();
}
