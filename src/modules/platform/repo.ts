import type { AnyDB, DB } from '../../core/db/index.ts';

/** The platform module's SQL: the communes table (core's), operators, and the catalog's aggregates. */

export interface CommuneRow { id: number; slug: string; name: string; hosts: string; region: string; population: number | null; status: string; settings: string; created_at: string; sample: number }

const COLS = ['id', 'slug', 'name', 'hosts', 'region', 'population', 'status', 'settings', 'created_at', 'sample'] as const;

export async function listCommunes(db: AnyDB, opts: { status?: string } = {}): Promise<CommuneRow[]> {
  let q = (db as DB).selectFrom('communes').select([...COLS]).orderBy('slug');
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.execute() as Promise<CommuneRow[]>;
}

export async function findCommune(db: AnyDB, slug: string): Promise<CommuneRow | undefined> {
  return (db as DB).selectFrom('communes').select([...COLS]).where('slug', '=', slug).executeTakeFirst() as Promise<CommuneRow | undefined>;
}

/** Every host name already taken, by the commune that holds it. */
export async function hostOwners(db: AnyDB): Promise<Map<string, string>> {
  const rows = await (db as DB).selectFrom('communes').select(['slug', 'hosts']).execute();
  const out = new Map<string, string>();
  for (const r of rows) for (const h of r.hosts.split(/\s+/).filter(Boolean)) out.set(h.toLowerCase(), r.slug);
  return out;
}

export async function insertCommune(db: AnyDB, c: { slug: string; name: string; hosts: string; population: number | null; settings: string; at: string }): Promise<number> {
  const { id } = await (db as DB).insertInto('communes').values({
    slug: c.slug, name: c.name, hosts: c.hosts, region: '{}', population: c.population, sample: 0, created_at: c.at, status: 'active', settings: c.settings,
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateCommune(db: AnyDB, id: number, set: Partial<Pick<CommuneRow, 'name' | 'hosts' | 'population' | 'settings' | 'status'>>): Promise<void> {
  await (db as DB).updateTable('communes').set(set).where('id', '=', id).execute();
}

export async function findUserByEmail(db: AnyDB, communeId: number, emailNormalized: string) {
  return (db as DB).selectFrom('users').select(['id', 'email', 'name', 'locale']).where('commune_id', '=', communeId).where('email_normalized', '=', emailNormalized).executeTakeFirst();
}

/** The communes where an account of this email exists (an operator signs in to any of them). */
export async function accountsOf(db: AnyDB, emailNormalized: string) {
  return (db as DB).selectFrom('users as u').innerJoin('communes as c', 'c.id', 'u.commune_id')
    .select(['u.id', 'u.commune_id', 'c.slug']).where('u.email_normalized', '=', emailNormalized).orderBy('c.id').execute();
}

export async function grantOperator(db: AnyDB, emailNormalized: string, at: string): Promise<boolean> {
  const r = await (db as DB).insertInto('platform_operators').values({ email_normalized: emailNormalized, granted_at: at })
    .onConflict((oc) => oc.column('email_normalized').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function revokeOperator(db: AnyDB, emailNormalized: string): Promise<boolean> {
  const r = await (db as DB).deleteFrom('platform_operators').where('email_normalized', '=', emailNormalized).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listOperators(db: AnyDB) {
  return (db as DB).selectFrom('platform_operators').select(['email_normalized', 'granted_at']).orderBy('email_normalized').execute();
}

/** When each commune's data last changed: its audit chain's head entry (one query for every commune). */
export async function lastChanges(db: AnyDB): Promise<Map<number, string>> {
  const rows = await (db as DB).selectFrom('audit_heads as h')
    .innerJoin('audit_log as a', (j) => j.onRef('a.commune_id', '=', 'h.commune_id').onRef('a.id', '=', 'h.last_id'))
    .select(['h.commune_id', 'a.at']).execute();
  return new Map(rows.map((r) => [r.commune_id, r.at]));
}
