import type { AnyDB, Engine } from '../../core/db/index.ts';
import { containsInsensitive } from '../../core/db/index.ts';

export const PAGE_SIZE = 25;

export function findUserByEmail(db: AnyDB, communeId: number, emailNormalized: string) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'password_hash', 'disabled'])
    .where('commune_id', '=', communeId).where('email_normalized', '=', emailNormalized).executeTakeFirst();
}

export function findUser(db: AnyDB, communeId: number, id: number) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'disabled', 'created_at'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function findReset(db: AnyDB, communeId: number, tokenHash: string) {
  return db.selectFrom('password_resets').select(['id', 'user_id', 'expires_at', 'used_at'])
    .where('commune_id', '=', communeId).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function grantsOf(db: AnyDB, communeId: number, userId: number): Promise<{ id: number; role: string; institution_id: number | null; institution_name: string | null }[]> {
  return db.selectFrom('role_grants as g')
    .leftJoin('institutions as i', (j: any) => j.onRef('i.id', '=', 'g.institution_id').onRef('i.commune_id', '=', 'g.commune_id'))
    .select(['g.id', 'g.role', 'g.institution_id', 'i.name as institution_name'])
    .where('g.commune_id', '=', communeId).where('g.user_id', '=', userId).orderBy('g.id').execute();
}

export function findInstitution(db: AnyDB, communeId: number, id: number) {
  return db.selectFrom('institutions').select(['id', 'kind']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function findInstitutionBySlug(db: AnyDB, communeId: number, slug: string) {
  return db.selectFrom('institutions').select(['id', 'kind']).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

/** One page of users with their roles: one query for the page, one batched query for the roles. */
export async function listUsers(db: AnyDB, engine: Engine, communeId: number, q: string, page: number) {
  let base = db.selectFrom('users').where('commune_id', '=', communeId);
  if (q) base = base.where((eb: any) => eb.or([containsInsensitive(engine, 'email', q), containsInsensitive(engine, 'name', q)]));
  const [{ total }] = (await base.select((eb: any) => eb.fn.countAll().as('total')).execute()) as { total: number }[];
  const users = await base.select(['id', 'email', 'name', 'disabled', 'created_at']).orderBy('id').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  const ids = users.map((u: any) => u.id);
  const grants = ids.length
    ? await db.selectFrom('role_grants').select(['user_id', 'role']).where('commune_id', '=', communeId).where('user_id', 'in', ids).execute()
    : [];
  return {
    total: Number(total),
    users: users.map((u: any) => ({ ...u, roles: grants.filter((g: any) => g.user_id === u.id).map((g: any) => g.role as string) })),
  };
}

export function institutionsOfKinds(db: AnyDB, communeId: number, kinds: string[]) {
  return db.selectFrom('institutions').select(['id', 'kind', 'name']).where('commune_id', '=', communeId).where('kind', 'in', kinds).orderBy('sort').orderBy('id').execute();
}

// ---------- Writes (inside the caller's transaction) ----------

export async function insertUser(db: AnyDB, u: { commune_id: number; email: string; email_normalized: string; name: string; password_hash: string; locale: string; created_at: string }): Promise<number> {
  return (await db.insertInto('users').values({ ...u, disabled: 0 }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setPassword(db: AnyDB, communeId: number, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('commune_id', '=', communeId).where('id', '=', userId).execute();
}

export async function insertGrant(db: AnyDB, g: { commune_id: number; user_id: number; role: string; institution_id: number | null; granted_by: number | null; created_at: string }): Promise<void> {
  await db.insertInto('role_grants').values(g).execute();
}

export async function deleteGrant(db: AnyDB, communeId: number, id: number): Promise<void> {
  await db.deleteFrom('role_grants').where('commune_id', '=', communeId).where('id', '=', id).execute();
}

export async function insertReset(db: AnyDB, r: { commune_id: number; user_id: number; token_hash: string; expires_at: string }): Promise<void> {
  await db.insertInto('password_resets').values({ ...r, used_at: null }).execute();
}

/** Marks a reset link used, if it is not yet; returns whether it was this call that did. */
export async function useReset(db: AnyDB, communeId: number, id: number, at: string): Promise<boolean> {
  const r = await db.updateTable('password_resets').set({ used_at: at }).where('commune_id', '=', communeId).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends every outstanding reset link of an account. */
export async function useResetsOf(db: AnyDB, communeId: number, userId: number, at: string): Promise<void> {
  await db.updateTable('password_resets').set({ used_at: at }).where('commune_id', '=', communeId).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
