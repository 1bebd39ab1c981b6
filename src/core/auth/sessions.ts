import type { AnyDB } from '../db/index.ts';
import { iso, addDays } from '../clock/index.ts';
import { randomToken, sha256 } from './passwords.ts';
import { isRole, type Actor, type Grant } from './roles.ts';

export const SESSION_COOKIE = 'sid';
export const SESSION_DAYS = 14;

export async function createSession(db: AnyDB, communeId: number, userId: number): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db.insertInto('sessions').values({
    commune_id: communeId, user_id: userId, token_hash: sha256(token), created_at: iso(now), expires_at: iso(addDays(now, SESSION_DAYS)),
  }).execute();
  return token;
}

export async function destroySession(db: AnyDB, communeId: number, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('commune_id', '=', communeId).where('token_hash', '=', sha256(token)).execute();
}

export async function destroyUserSessions(db: AnyDB, communeId: number, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('commune_id', '=', communeId).where('user_id', '=', userId).execute();
}

export async function loadGrants(db: AnyDB, communeId: number, userId: number): Promise<Grant[]> {
  const rows = await db.selectFrom('role_grants').select(['role', 'institution_id']).where('commune_id', '=', communeId).where('user_id', '=', userId).execute();
  return rows.filter((r: any) => isRole(r.role)).map((r: any) => ({ role: r.role, institutionId: r.institution_id }));
}

/** The signed-in user behind a session cookie, with their roles in this commune. One query for both. */
export async function loadActor(db: AnyDB, communeId: number, token: string | undefined): Promise<Actor | null> {
  if (!token || token.length > 100) return null;
  const row = await db.selectFrom('sessions as s')
    .innerJoin('users as u', (j: any) => j.onRef('u.id', '=', 's.user_id').onRef('u.commune_id', '=', 's.commune_id'))
    .leftJoin('platform_operators as po', 'po.email_normalized', 'u.email_normalized')
    .select(['u.id', 'u.email', 'u.name', 'u.disabled', 's.expires_at', 'po.email_normalized as operator'])
    .where('s.commune_id', '=', communeId).where('s.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at < iso()) return null;
  const actor: Actor = { userId: row.id, communeId, email: row.email, name: row.name, grants: await loadGrants(db, communeId, row.id) };
  if (row.operator) actor.operator = true;
  return actor;
}
