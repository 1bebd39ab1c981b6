/**
 * Benchmark of the requests module alone: `node --import tsx bench/requests.ts [options]`
 * (`npm run bench` is the whole benchmark; this one adds the requests module's own diagnostics).
 *
 *   --requests N      synthetic requests to load (default 1,000,000)
 *   --communes N      spread them over N communes (default 1: all in Tétouan, the hardest case for one commune)
 *   --duration S      seconds per run (default 10)
 *   --warmup S        seconds of warm-up before each run (default 2)
 *   --connections N   concurrent clients (default 50)
 *   --data DIR        reuse (or keep) this data directory instead of a temporary one
 *   --seed N          synthetic data seed (default 1)
 *
 * With DATABASE_URL=postgres://… it runs on PostgreSQL, in a schema of its own (bench/lib.ts).
 *
 * It loads the data with `commune synthetic`, creates an Open311 key with `commune apikey add`,
 * starts bench/server.ts and drives it with autocannon: the public list (filtered, first page),
 * request pages, both dashboards, Open311 GET requests.json, and Open311 POST submissions
 * (durable: acknowledged after commit, and counted in the database afterwards), each with its
 * ceiling (bench/lib.ts). It then times the alternative the dashboards do not use — grouping
 * `requests` itself, medians by window function — on the same data.
 */
import { parseArgs } from 'node:util';
import { openDatabase, sql, type Database } from '../src/core/db/index.ts';
import { benchStore, describeStore, loadSynthetic, cli, startServer, measure, textTable, describeMachine, seeded, ms, int } from './lib.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' }, communes: { type: 'string', default: '1' }, duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' }, data: { type: 'string' }, seed: { type: 'string', default: '1' },
  },
});
const SPEC = { requests: Number(values.requests), communes: Number(values.communes), seed: Number(values.seed) };
const RUN = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };

async function targets(database: Database) {
  const db = database.db as any;
  const commune = await db.selectFrom('communes').select(['id']).where('slug', '=', 'tetouan').executeTakeFirstOrThrow();
  const q = (s: string) => db.selectFrom(s).where('commune_id', '=', commune.id);
  const category = await q('request_categories').select(['id', 'slug']).where('active', '=', 1).orderBy('id').executeTakeFirstOrThrow();
  const district = await q('request_districts').select(['slug']).orderBy('id').executeTakeFirstOrThrow();
  const refs = (await q('requests').select('reference').orderBy('id', 'desc').limit(2000).execute()).map((r: { reference: string }) => r.reference);
  const questions = await q('request_questions').select(['code', 'kind', 'required', 'options']).where('category_id', '=', category.id).execute();
  const attrs: Record<string, string> = {};
  for (const x of questions as { code: string; kind: string; required: number; options: string }[]) {
    if (!x.required) continue;
    const first = (JSON.parse(x.options || '[]')[0] ?? {}).value ?? 'x';
    attrs[`attribute[${x.code}]`] = x.kind === 'single' || x.kind === 'multiple' ? first : x.kind === 'number' ? '1' : x.kind === 'date' ? new Date().toISOString().slice(0, 10) : 'x';
  }
  const apiCount = async () => Number((await q('requests').select((eb: any) => eb.fn.countAll().as('n')).where('channel', '=', 'api').executeTakeFirst()).n);
  return { category: category.slug as string, district: district.slug as string, refs, attrs, apiCount };
}

async function alternative(database: Database) {
  // What the dashboards would cost grouping `requests` itself (the choice not made), last 12 months.
  const db = database.db;
  const now = new Date();
  const to = now.toISOString().slice(0, 7);
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 15)).toISOString().slice(0, 7);
  const commune = (await (db as any).selectFrom('communes').select('id').where('slug', '=', 'tetouan').executeTakeFirstOrThrow()).id;
  const median = database.engine === 'postgres'
    ? sql`select district_id, percentile_cont(0.5) within group (order by resolution_days) as m from requests
          where commune_id = ${commune} and created_month between ${from} and ${to} and status = 'resolved' group by district_id`
    : sql`with r as (select district_id, resolution_days d, row_number() over (partition by district_id order by resolution_days) rn, count(*) over (partition by district_id) c
          from requests where commune_id = ${commune} and created_month between ${from} and ${to} and status = 'resolved')
          select district_id, avg(d) as m from r where rn in ((c + 1) / 2, (c + 2) / 2) group by district_id`;
  const counts = sql`select district_id, count(*) n, sum(case when status = 'resolved' then 1 else 0 end) r, sum(case when within_target = 1 and status = 'resolved' then 1 else 0 end) w,
          avg(satisfaction) s from requests where commune_id = ${commune} and created_month between ${from} and ${to} group by district_id`;
  const time = async (q: typeof counts) => { const t0 = performance.now(); await q.execute(db); return performance.now() - t0; };
  await time(counts);
  const c = Math.min(await time(counts), await time(counts));
  const m = Math.min(await time(median), await time(median));
  return { counts: c, median: m };
}

async function main() {
  const store = benchStore({ data: values.data, prefix: 'commune-bench-requests' });
  try {
    const loaded = await loadSynthetic(store, SPEC);
    if (!loaded.loaded) console.log(`Reusing the data in ${describeStore(store)}.`);
    const apiKey = /co_[A-Za-z0-9_-]+/.exec(await cli(store, ['apikey', 'add', '--name', 'bench']))?.[0];
    if (!apiKey) throw new Error('commune apikey add printed no key');

    const database = await openDatabase({ databaseUrl: store.pgUrl, schema: store.schema, dataDir: store.dataDir });
    const tg = await targets(database);
    const apiBefore = await tg.apiCount();
    const rnd = seeded(SPEC.seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const post = new URLSearchParams({ api_key: apiKey, service_code: tg.category, address_string: 'Avenue Mohammed V', description: 'Benchmark: lampadaire éteint depuis trois jours', email: 'bench@example.invalid', ...tg.attrs }).toString();
    const scenarios = [
      { name: 'public list, filtered (status, category, district)', load: { path: `/fr/requests?status=open&category=${tg.category}&district=${tg.district}` } },
      { name: 'public list, first page', load: { path: '/fr/requests' } },
      { name: 'request page (2,000 newest)', load: { path: () => `/fr/requests/${pick(tg.refs)}` } },
      { name: 'equity dashboard (12 months)', load: { path: '/fr/requests/dashboards' } },
      { name: 'operators dashboard (all time)', load: { path: '/fr/requests/dashboards/institutions?period=all' } },
      { name: 'Open311 GET requests.json (90 days, 1,000)', load: { path: '/open311/v2/requests.json' } },
      { name: 'Open311 POST requests.json (durable)', load: { path: '/open311/v2/requests.json', method: 'POST' as const, body: post, headers: { 'content-type': 'application/x-www-form-urlencoded' } } },
    ];
    const rows: string[][] = [];
    let posted = 0;
    const server = await startServer(store);
    try {
      for (const s of scenarios) {
        const m = await measure(server, s.load, RUN);
        if (s.load.method === 'POST') posted = m.acknowledged;
        rows.push([s.name, ms(m.server.p50), ms(m.server.p99), ms(m.run.p50), ms(m.run.p99), int(m.run.rps), int(m.ceiling.rps), m.ratio.toFixed(2), String(m.run.non2xx + m.run.errors)]);
        console.log(`  ${s.name}: server ${ms(m.server.p50)}/${ms(m.server.p99)} ms, client ${ms(m.run.p50)}/${ms(m.run.p99)} ms, ${int(m.run.rps)} req/s (ceiling ${int(m.ceiling.rps)})`);
      }
    } finally { await server.stop(); }

    const apiAfter = await tg.apiCount();
    const alt = await alternative(database);
    await database.close();

    console.log(`\n${int(SPEC.requests)} requests, ${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${RUN.connections} connections, ${RUN.duration} s each; ${describeMachine()}`);
    console.log(textTable(['scenario', 'server p50 ms', 'server p99 ms', 'client p50 ms', 'client p99 ms', 'req/s', 'ceiling req/s', 'ratio', 'failed'], rows));
    const stored = apiAfter - apiBefore;
    // Every acknowledged submission must be in the database (more may be, when a client gave up waiting).
    console.log(`Durable submissions: ${posted} acknowledged, ${stored} stored${stored >= posted ? ' (every acknowledged one is stored)' : ' — ACKNOWLEDGED SUBMISSIONS ARE MISSING'}.`);
    if (stored < posted) process.exitCode = 1;
    console.log(`Alternative not used: grouping requests per district over 12 months: counts ${ms(alt.counts)} ms + medians ${ms(alt.median)} ms (the dashboard runs about ten such groupings).`);
  } finally {
    await store.cleanup();
  }
}

await main();
