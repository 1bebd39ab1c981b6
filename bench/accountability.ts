/**
 * Benchmark of the accountability module: `node --import tsx bench/accountability.ts [options]`.
 *
 *   --duration S      seconds per scenario (default 10)
 *   --warmup S        seconds of warm-up before each run (default 2)
 *   --connections N   concurrent clients (default 10)
 *   --data DIR        keep the data directory (default: a temporary one, removed at the end)
 *
 * It builds, in a temporary SQLite database (PostgreSQL when DATABASE_URL=postgres://…, in a
 * temporary schema), the Tétouan demo plus a plan of 200 commitments (10 axes × 19), 1,000 actions,
 * 500 indicators and 10,000 measurements, with two published cycles (2,000 action figures and 100
 * corrections). It serves it with bench/server.ts (which records the time each response spends
 * in the server) and drives the public dashboard and a commitment page with autocannon, printing
 * the server time (median, p99), the client latency (median, p99), requests per second and the
 * ratio to the ceiling (bench/lib.ts). `npm run bench` measures the demo plan under the whole load.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import { adb } from '../src/modules/accountability/repo.ts';
import { openDatabase, type AnyDB } from '../src/core/db/index.ts';
import { Tenancy } from '../src/core/tenancy/index.ts';
import { systemCtx, i18n } from '../src/platform.ts';
import { dashboard, commitmentPage, emptyFilters } from '../src/modules/accountability/service.ts';
import { clearVersionedReads } from '../src/core/service.ts';
import { renderDocument } from '../src/core/ui/render.tsx';
import { DashboardPage } from '../src/modules/accountability/views/dashboard.tsx';
import { CommitmentPage } from '../src/modules/accountability/views/commitment.tsx';
import { h } from 'preact';
import { benchStore, describeStore, describeMachine, startServer, measure, ms, int, type BenchServer } from './lib.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, connections: { type: 'string', default: '10' }, data: { type: 'string' } } });
const RUN = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const store = benchStore({ data: values.data, prefix: 'commune-bench-acc' });
const env = store.env;
const SLUG = 'bench-200';
const AXES = 10;
const PER_AXIS = 19;
const ACTIONS = 1000;
const INDICATORS = 500;
const MEASUREMENTS_EACH = 20;
const STATUSES = ['planned', 'in_progress', 'in_progress', 'done', 'delayed', 'cancelled'];

const tr = (s: string) => JSON.stringify({ fr: s, ar: s, en: s });

async function batches(db: AnyDB, table: string, rows: Record<string, unknown>[], size = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await db.insertInto(table).values(rows.slice(i, i + size)).execute();
}

/** The plan of 200 commitments, written straight into the tables (a benchmark, not a journey). */
async function build(): Promise<{ leaf: string; rows: number; ms: number }> {
  const config = loadConfig(env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  const started = Date.now();
  let rows = 0;
  try {
    const db = adb(database.db);
    const commune = await db.selectFrom('communes').select('id').where('slug', '=', config.defaultCommune).executeTakeFirstOrThrow();
    const c = commune.id;
    if (await db.selectFrom('plans').select('id').where('commune_id', '=', c).where('slug', '=', SLUG).executeTakeFirst()) return { leaf: '1.1', rows: 0, ms: 0 };
    const depts = (await db.selectFrom('institutions').select('id').where('commune_id', '=', c).where('kind', '=', 'department').orderBy('id').execute()).map((d) => d.id);
    const now = new Date().toISOString();
    await database.db.transaction().execute(async (trx: AnyDB) => {
      const t = adb(trx);
      const { id: planId } = await t.insertInto('plans').values({
        commune_id: c, slug: SLUG, kind: 'thematic', title: tr('Plan de référence (banc d’essai)'), period_start: '2023-01-01', period_end: '2027-12-31',
        submitted_on: null, vision: tr('Banc d’essai'), guidelines: '[]', objectives: '[]', cocreation: '{}', status: 'in_progress', created_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      const base = { commune_id: c, plan_id: planId, description: tr('Description'), problem: tr('Problème'), ogp_values: '["transparency"]', budget_note: '{}', start_date: '2023-01-01', end_date: '2027-12-31', sample: 1 };
      const axes: number[] = [];
      for (let a = 1; a <= AXES; a++) {
        const { id } = await t.insertInto('commitments').values({ ...base, parent_id: null, number: String(a), title: tr(`Axe ${a}`), sort: a, weight: null }).returning('id').executeTakeFirstOrThrow();
        axes.push(id);
      }
      const children: Record<string, unknown>[] = [];
      for (let a = 1; a <= AXES; a++) for (let k = 1; k <= PER_AXIS; k++) {
        children.push({ ...base, parent_id: axes[a - 1], number: `${a}.${k}`, title: tr(`Engagement ${a}.${k} du plan de référence`), sort: k, weight: a % 2 === 0 ? 1 + (k % 3) : null });
      }
      await batches(trx, 'commitments', children);
      const leaves = (await t.selectFrom('commitments').select(['id', 'number']).where('commune_id', '=', c).where('plan_id', '=', planId).where('parent_id', 'is not', null).orderBy('id').execute());
      const all = [...axes, ...leaves.map((l) => l.id)];
      await batches(trx, 'commitment_institutions', all.map((id, i) => ({ commune_id: c, commitment_id: id, institution_id: depts[i % depts.length], role: 'lead' })));
      await batches(trx, 'commitment_sdgs', all.map((id, i) => ({ commune_id: c, commitment_id: id, goal: 1 + (i % 17), target: null })));
      await batches(trx, 'actions', Array.from({ length: ACTIONS }, (_, i) => ({
        commune_id: c, commitment_id: leaves[i % leaves.length].id, institution_id: depts[i % depts.length], title: tr(`Action ${i + 1}`), expected_result: tr('Résultat'),
        start_date: '2023-01-01', end_date: `${2023 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-28`, sort: i, sample: 1, created_at: now,
      })));
      await batches(trx, 'indicators', Array.from({ length: INDICATORS }, (_, i) => ({
        commune_id: c, commitment_id: leaves[i % leaves.length].id, institution_id: depts[i % depts.length], kind: i % 3 ? 'result' : 'impact', title: tr(`Indicateur ${i + 1}`),
        definition: tr('Définition'), unit: tr('%'), direction: i % 4 ? 'up' : 'down', baseline_value: i % 4 ? 10 : 90, baseline_date: '2023-01-01',
        target_value: i % 4 ? 90 : 10, target_date: '2027-12-31', source: tr('Source'), frequency: 'monthly', sort: i, sample: 1, created_at: now,
      })));
      const cycles: { id: number; code: string; end: string }[] = [];
      for (const [code, end] of [['2025-S2', '2025-12-31'], ['2026-S1', '2026-06-30']]) {
        const { id } = await t.insertInto('reporting_cycles').values({ commune_id: c, plan_id: planId, code, period_end: end, due_date: end, status: 'closed', opened_at: now, opened_by: null, closed_at: now, last_published_at: now })
          .returning('id').executeTakeFirstOrThrow();
        cycles.push({ id, code, end });
      }
      const actions = await t.selectFrom('actions as a').innerJoin('commitments as m', 'm.id', 'a.commitment_id').select('a.id').where('m.plan_id', '=', planId).orderBy('a.id').execute();
      const updates: Record<string, unknown>[] = [];
      for (const [i, a] of actions.entries()) {
        for (const [k, cy] of cycles.entries()) {
          const status = STATUSES[(i + k) % STATUSES.length];
          updates.push({ commune_id: c, action_id: a.id, cycle_id: cy.id, period_end: cy.end, version: 1, status, progress: status === 'done' ? 100 : (i * 7 + k * 20) % 100, difficulties: '', note: '', supersedes_id: null, row_id: null, published_at: now, published_by: null, sample: 1 });
        }
      }
      await batches(trx, 'action_updates', updates);
      const latest = await t.selectFrom('action_updates').select(['id', 'action_id', 'cycle_id', 'period_end', 'status']).where('commune_id', '=', c).where('cycle_id', '=', cycles[1].id).orderBy('id').limit(100).execute();
      await batches(trx, 'action_updates', latest.map((u) => ({ commune_id: c, action_id: u.action_id, cycle_id: u.cycle_id, period_end: u.period_end, version: 2, status: u.status, progress: 55, difficulties: '', note: 'Correction', supersedes_id: u.id, row_id: null, published_at: now, published_by: null, sample: 1 })));
      const indicators = await t.selectFrom('indicators as i').innerJoin('commitments as m', 'm.id', 'i.commitment_id').select('i.id').where('m.plan_id', '=', planId).orderBy('i.id').execute();
      const measurements: Record<string, unknown>[] = [];
      for (const [i, ind] of indicators.entries()) {
        for (let k = 0; k < MEASUREMENTS_EACH; k++) {
          const year = 2025 + Math.floor(k / 12);
          const month = (k % 12) + 1;
          const period = `${year}-${String(month).padStart(2, '0')}`;
          const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
          measurements.push({ commune_id: c, indicator_id: ind.id, cycle_id: null, period, period_end: end, version: 1, value: (i % 4 ? 10 : 90) + (i % 4 ? 1 : -1) * k * 2, source: '', note: '', supersedes_id: null, row_id: null, entered_by: null, validated_by: null, published_at: now, published_by: null, sample: 1 });
        }
      }
      await batches(trx, 'measurements', measurements, 300);
      rows = AXES + children.length + all.length * 2 + ACTIONS + INDICATORS + cycles.length + updates.length + latest.length + measurements.length;
    });
    return { leaf: '1.1', rows, ms: Date.now() - started };
  } finally {
    await database.close();
  }
}

async function scenario(server: BenchServer, name: string, p: string) {
  const m = await measure(server, { path: p }, RUN);
  console.log(`${name.padEnd(18)} ${p}`);
  console.log(`  page ${(m.bytes / 1024).toFixed(0)} KB · server time median ${ms(m.server.p50)} ms, p99 ${ms(m.server.p99)} ms · client latency median ${ms(m.run.p50)} ms, p99 ${ms(m.run.p99)} ms`
    + ` · ${int(m.run.rps)} req/s, ceiling ${int(m.ceiling.rps)}, ratio ${m.ratio.toFixed(2)} (${RUN.connections} connections, ${RUN.duration} s, ${m.run.non2xx} non-2xx)`);
  return m;
}

/**
 * The same pages in this process, without the read cache (what the first request after any change
 * costs): the service (SQL and roll-up) and the HTML rendering, timed separately.
 */
async function uncached(leaf: string) {
  const config = loadConfig(env, { logLevel: 'silent' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
  try {
    const tenancy = new Tenancy(database.db, config.defaultCommune);
    await tenancy.reload();
    const ctx = await systemCtx(database, tenancy.bySlugOrNull(config.defaultCommune)!, config);
    ctx.actor = null;
    const t = (await i18n()).t('fr');
    const view = { locale: 'fr' as const, t, path: '/', query: '', actor: null, commune: ctx.commune, csrf: () => '', nav: [], can: () => false, origin: config.baseUrl };
    const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return `median ${ms(s[Math.floor(s.length / 2)])} ms, p99 ${ms(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))])} ms`; };
    for (const [name, load, render] of [
      ['Dashboard', () => dashboard(ctx, SLUG, emptyFilters), (d: any) => renderDocument(view, 'x', h(DashboardPage, { d, today: '2026-01-01' }) as any)],
      ['Commitment page', () => commitmentPage(ctx, SLUG, leaf), (d: any) => renderDocument(view, 'x', h(CommitmentPage, { data: d }) as any)],
    ] as const) {
      const svc: number[] = [];
      const html: number[] = [];
      for (let i = 0; i < 40; i++) {
        clearVersionedReads();
        let s = performance.now();
        const d = await (load as () => Promise<unknown>)();
        svc.push(performance.now() - s);
        s = performance.now();
        (render as (d: unknown) => string)(d);
        html.push(performance.now() - s);
      }
      console.log(`${name.padEnd(18)} uncached, in process: service ${stats(svc.slice(5))} · rendering ${stats(html.slice(5))}`);
    }
  } finally {
    await database.close();
  }
}

async function main() {
  console.log(`Building the benchmark plan in ${describeStore(store)}…`);
  try {
    const built = await build();
    if (built.rows) console.log(`Plan ${SLUG}: ${AXES * (PER_AXIS + 1)} commitments, ${ACTIONS} actions, ${INDICATORS} indicators, ${INDICATORS * MEASUREMENTS_EACH} measurements (${built.rows.toLocaleString('en')} rows in ${(built.ms / 1000).toFixed(1)} s)`);
    const server = await startServer(store);
    try {
      console.log(describeMachine());
      await scenario(server, 'Dashboard', `/fr/plans/${SLUG}`);
      await scenario(server, 'Dashboard, filter', `/fr/plans/${SLUG}?department=budget&status=in_progress`);
      await scenario(server, 'Commitment page', `/fr/plans/${SLUG}/commitments/${built.leaf}`);
      await scenario(server, 'Axis page', `/ar/plans/${SLUG}/commitments/2`);
    } finally { await server.stop(); }
    await uncached(built.leaf);
  } finally {
    await store.cleanup();
  }
}

await main();
