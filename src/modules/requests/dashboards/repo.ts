import type { Kysely } from 'kysely';
import type { AnyDB } from '../../../core/db/index.ts';
import type { CoreTables } from '../../../core/db/tables.ts';
import { ALL_CHANNELS, type DashboardTables, type Dim } from './migrations.ts';

/**
 * The dashboards' SQL: GROUP BY over the trigger-kept summary tables (a few thousand rows per
 * commune and year), never over `requests` itself. Every query is bounded by commune and by a
 * range of months, the leading columns of the summary tables' primary keys.
 */
export type DashDB = Kysely<CoreTables & DashboardTables>;
export const dash = (db: AnyDB | { withTables: AnyDB['withTables'] }): DashDB => (db as AnyDB).withTables<DashboardTables>() as unknown as DashDB;

export interface Window {
  /** Months YYYY-MM of submission, inclusive. */
  from: string;
  to: string;
  channel?: string;
}

export type Group = 'district_id' | 'category_id' | 'institution_id' | 'month' | 'channel';

export interface Counts { key: string | number; n: number; open_n: number; resolved_n: number; rejected_n: number; within_n: number; sat_n: number; sat_sum: number }

/** Totals of the window grouped by one dimension. */
export async function counts(db: DashDB, communeId: number, w: Window, group: Group): Promise<Counts[]> {
  let q = db.selectFrom('request_stats')
    .select((eb) => [
      eb.ref(group).as('key'),
      eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('open_n').as('open_n'), eb.fn.sum<number>('resolved_n').as('resolved_n'),
      eb.fn.sum<number>('rejected_n').as('rejected_n'), eb.fn.sum<number>('within_n').as('within_n'),
      eb.fn.sum<number>('sat_n').as('sat_n'), eb.fn.sum<number>('sat_sum').as('sat_sum'),
    ])
    .where('commune_id', '=', communeId).where('month', '>=', w.from).where('month', '<=', w.to);
  if (w.channel) q = q.where('channel', '=', w.channel);
  const rows = await q.groupBy(group).execute();
  return rows.map((r) => ({
    key: r.key as string | number, n: Number(r.n), open_n: Number(r.open_n), resolved_n: Number(r.resolved_n), rejected_n: Number(r.rejected_n),
    within_n: Number(r.within_n), sat_n: Number(r.sat_n), sat_sum: Number(r.sat_sum),
  }));
}

export interface DaysRow { key: string | number; days: number; n: number }

/** The histogram of working days to resolution per member of a dimension (one channel, or all of them). */
export async function daysBy(db: DashDB, communeId: number, w: Window, dim: Exclude<Dim, 'all'>): Promise<DaysRow[]> {
  const rows = await db.selectFrom('request_stats_days')
    .select((eb) => ['dim_id as key', 'days', eb.fn.sum<number>('n').as('n')])
    .where('commune_id', '=', communeId).where('dim', '=', dim).where('channel', '=', w.channel ?? ALL_CHANNELS)
    .where('month', '>=', w.from).where('month', '<=', w.to)
    .groupBy(['dim_id', 'days']).execute();
  return rows.map((r) => ({ key: r.key, days: Number(r.days), n: Number(r.n) })).filter((r) => r.n > 0);
}

/** The histogram of the whole commune per month, or per channel. */
export async function daysByPeriod(db: DashDB, communeId: number, w: Window, column: 'month' | 'channel'): Promise<DaysRow[]> {
  let q = db.selectFrom('request_stats_days')
    .select((eb) => [eb.ref(column).as('key'), 'days', eb.fn.sum<number>('n').as('n')])
    .where('commune_id', '=', communeId).where('dim', '=', 'all').where('month', '>=', w.from).where('month', '<=', w.to);
  if (w.channel) q = q.where('channel', '=', w.channel);
  else q = column === 'month' ? q.where('channel', '=', ALL_CHANNELS) : q.where('channel', '!=', ALL_CHANNELS);
  const rows = await q.groupBy([column, 'days']).execute();
  return rows.map((r) => ({ key: r.key, days: Number(r.days), n: Number(r.n) })).filter((r) => r.n > 0);
}

/** The first and last months that hold any request (for the period choices). */
export async function monthRange(db: DashDB, communeId: number): Promise<{ first: string | null; last: string | null }> {
  // Two index lookups (a MIN and a MAX alone over the key's second column), not a scan.
  const [first, last] = await Promise.all([
    db.selectFrom('request_stats').select((eb) => eb.fn.min<string>('month').as('m')).where('commune_id', '=', communeId).executeTakeFirst(),
    db.selectFrom('request_stats').select((eb) => eb.fn.max<string>('month').as('m')).where('commune_id', '=', communeId).executeTakeFirst(),
  ]);
  return { first: first?.m ?? null, last: last?.m ?? null };
}

export function institutions(db: DashDB, communeId: number) {
  return db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name']).where('commune_id', '=', communeId)
    .where('kind', 'in', ['department', 'operator']).orderBy('sort').orderBy('id').execute();
}
