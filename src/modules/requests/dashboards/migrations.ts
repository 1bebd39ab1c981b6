import type { Migration } from 'kysely';
import { createCounterTriggers, createSummaryTable, rebuildCounters, type CounterSpec } from '../../../core/db/counters.ts';

/**
 * The dashboards' summary tables, kept by triggers on `requests` in the same transaction as every
 * change (see core/db/counters.ts). Measured at a million requests in one commune (SQLite): one
 * GROUP BY district over `requests` for twelve months took 1.0 s, its medians by window function
 * 1.4 s, and a dashboard needs about ten such groupings; the same figures from these tables take
 * 1–5 ms per query (bench/requests.ts prints both).
 *
 * `request_stats`: one row per (month of submission, channel, district, category, institution), with
 * how many requests, how many are open, resolved (and within their target), rejected, and the
 * satisfaction ratings' count and sum. District 0 stands for "no district".
 *
 * `request_stats_days`: a histogram of working days to resolution of the resolved requests, per
 * district, category, institution or for all (`dim`, `dim_id` 0 for all), per month and channel —
 * and again under channel '*' for all channels, so that the unfiltered view reads four times fewer
 * rows. Medians computed from it are exact.
 */
export type DashboardTables = {
  request_stats: {
    commune_id: number; month: string; channel: string; district_id: number; category_id: number; institution_id: number;
    n: number; open_n: number; resolved_n: number; rejected_n: number; within_n: number; sat_n: number; sat_sum: number;
  };
  request_stats_days: {
    commune_id: number; dim: string; channel: string; month: string; dim_id: number; days: number; n: number;
  };
};

export const DIMS = ['district', 'category', 'institution', 'all'] as const;
export type Dim = (typeof DIMS)[number];
/** The channel of the histogram rows that count every channel. */
export const ALL_CHANNELS = '*';

const OPEN = "('submitted', 'acknowledged', 'in_progress', 'reopened')";
const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;

export const statsSpec: CounterSpec = {
  source: 'requests',
  target: 'request_stats',
  keys: {
    commune_id: 'R.commune_id', month: 'R.created_month', channel: 'R.channel',
    district_id: 'COALESCE(R.district_id, 0)', category_id: 'R.category_id', institution_id: 'R.institution_id',
  },
  sums: {
    n: '1',
    open_n: flag(`R.status IN ${OPEN}`),
    resolved_n: flag("R.status = 'resolved'"),
    rejected_n: flag("R.status = 'rejected'"),
    within_n: flag("R.status = 'resolved' AND R.within_target = 1"),
    sat_n: flag('R.satisfaction IS NOT NULL'),
    sat_sum: 'COALESCE(R.satisfaction, 0)',
  },
  watch: ['commune_id', 'status', 'district_id', 'category_id', 'institution_id', 'channel', 'created_month', 'within_target', 'satisfaction'],
};

const dimColumn: Record<Dim, string> = { district: 'COALESCE(R.district_id, 0)', category: 'R.category_id', institution: 'R.institution_id', all: '0' };

export const daysSpecs: CounterSpec[] = DIMS.flatMap((dim) => [`R.channel`, `'${ALL_CHANNELS}'`].map((channel) => ({
  source: 'requests',
  target: 'request_stats_days',
  keys: { commune_id: 'R.commune_id', dim: `'${dim}'`, channel, month: 'R.created_month', dim_id: dimColumn[dim], days: 'R.resolution_days' },
  sums: { n: '1' },
  where: "R.status = 'resolved' AND R.resolution_days IS NOT NULL",
  watch: ['commune_id', 'status', 'resolution_days', 'district_id', 'category_id', 'institution_id', 'channel', 'created_month'],
})));

export const dashboardSpecs: CounterSpec[] = [statsSpec, ...daysSpecs];
export const DASHBOARD_TRIGGER = 'request_stats_t';

export const dashboardMigrations: Record<string, Migration> = {
  // After the requests module's own migration (0400), whose table the triggers watch.
  '2026-11-25-0420-requests-dashboards': {
    async up(db) {
      await createSummaryTable(db, 'request_stats')
        .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('district_id', 'integer', (c) => c.notNull())
        .addColumn('category_id', 'integer', (c) => c.notNull())
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('open_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('resolved_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rejected_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('within_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sat_n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sat_sum', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('request_stats_pk', ['commune_id', 'month', 'channel', 'district_id', 'category_id', 'institution_id'])
        .execute();
      await createSummaryTable(db, 'request_stats_days')
        .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
        .addColumn('dim', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('dim_id', 'integer', (c) => c.notNull())
        .addColumn('days', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('request_stats_days_pk', ['commune_id', 'dim', 'channel', 'month', 'dim_id', 'days'])
        .execute();
      await createCounterTriggers(db, DASHBOARD_TRIGGER, dashboardSpecs);
      await rebuildCounters(db, dashboardSpecs);
    },
  },
};
