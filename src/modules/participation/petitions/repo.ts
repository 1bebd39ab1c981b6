import type { Kysely } from 'kysely';
import type { CoreTables } from '../../../core/db/tables.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { PetitionTables } from './schema.ts';

/** The petitions' SQL reads. Public reads name their columns: never the promoter's account or a signature's hash. */
export type PtDB = Kysely<CoreTables & PetitionTables>;
export const pt = (db: AnyDB): PtDB => db.withTables<PetitionTables>() as unknown as PtDB;

export const publicColumns = ['id', 'reference', 'kind', 'title', 'reasons', 'requested_action', 'language', 'promoter_name', 'association_name', 'status',
  'threshold', 'online_count', 'paper_count', 'filed_at', 'decision_due_on', 'admissibility_at', 'refusal_reason', 'council_session_id', 'session_date',
  'session_reference', 'council_decision', 'council_decided_on', 'sample', 'created_at', 'promoter_user_id'] as const;

export function findByReference(db: PtDB, communeId: number, reference: string) {
  return db.selectFrom('petitions').select([...publicColumns]).where('commune_id', '=', communeId).where('reference', '=', reference).executeTakeFirst();
}
export type PetitionRow = NonNullable<Awaited<ReturnType<typeof findByReference>>>;

export function list(db: PtDB, communeId: number, limit: number, offset: number, statuses?: string[]) {
  let q = db.selectFrom('petitions').select([...publicColumns]).where('commune_id', '=', communeId);
  if (statuses) q = q.where('status', 'in', statuses);
  return q.orderBy('id', 'desc').limit(limit).offset(offset).execute();
}
export async function count(db: PtDB, communeId: number, statuses?: string[]): Promise<number> {
  let q = db.selectFrom('petitions').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', communeId);
  if (statuses) q = q.where('status', 'in', statuses);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
export function events(db: PtDB, communeId: number, petitionId: number) {
  return db.selectFrom('petition_events').select(['at', 'kind', 'note']).where('commune_id', '=', communeId).where('petition_id', '=', petitionId).orderBy('id').execute();
}
export function signatureOf(db: PtDB, communeId: number, petitionId: number, userId: number) {
  return db.selectFrom('petition_signatures').select('id').where('commune_id', '=', communeId).where('petition_id', '=', petitionId).where('user_id', '=', userId).executeTakeFirst();
}
export async function settings(db: PtDB, communeId: number): Promise<string | null> {
  const r = await db.selectFrom('petition_settings').select('value').where('commune_id', '=', communeId).executeTakeFirst();
  return r?.value ?? null;
}
