import type { AnyDB } from '../../core/db/index.ts';

/** The admin module's SQL: the audit trail, newest first, with the actor's name. */
export async function auditTotal(db: AnyDB, communeId: number): Promise<number> {
  const [{ total }] = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('total')).where('commune_id', '=', communeId).execute();
  return Number(total);
}

export function auditEntries(db: AnyDB, communeId: number, page: number, pageSize: number) {
  return db.selectFrom('audit_log as a')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.actor_id').onRef('u.commune_id', '=', 'a.commune_id'))
    .select(['a.id', 'a.at', 'u.name as actor_name', 'a.action', 'a.entity', 'a.entity_id', 'a.hash'])
    .where('a.commune_id', '=', communeId).orderBy('a.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute() as Promise<{ id: number; at: string; actor_name: string | null; action: string; entity: string; entity_id: string | null; hash: string }[]>;
}
