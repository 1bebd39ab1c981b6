/**
 * `npm run bench [-- options]`: the benchmark of issue 5, on SQLite (or PostgreSQL with
 * DATABASE_URL=postgres://…, in a schema of its own).
 *
 *   --requests N      synthetic requests (default 1,000,000)
 *   --communes N      communes they are spread over, by population (default 10)
 *   --seed N          synthetic data seed (default 1)
 *   --until DAY       last day of the synthetic span (default today; fix it to reproduce a data set)
 *   --duration S      seconds per measured run (default 10), each scenario and each ceiling
 *   --warmup S        seconds of warm-up before each measured run (default 2)
 *   --connections N   concurrent clients (default 50)
 *   --data DIR        keep the data there and reuse it in later runs (loading a million requests
 *                     takes minutes); default: a temporary directory (and schema), removed at the end
 *   --only A,B        only the scenarios whose key starts with one of these (keys below)
 *   --out FILE        the results as JSON (default bench/results/latest-<engine>.json; a .md beside it)
 *   --profile DIR     the server runs with --cpu-prof, its profile written in DIR
 *   --page-cache MB   the server's anonymous page cache (PAGE_CACHE_MB; 0 measures every page rendered)
 *
 * It loads the data with `commune synthetic`, creates an Open311 key with `commune apikey add`,
 * starts bench/server.ts and, for each scenario, measures the response size, warms up, drives it
 * with autocannon, then drives the ceiling — a bare Fastify route in the same server process
 * answering a static body of the same size — the same way: ratio = scenario req/s ÷ ceiling req/s.
 * The `budget` key runs bench/budget.ts (ten years of a full budget, the citizen-budget pages, a 5,000-line import).
 * Last, on a fresh server process, it downloads the CSV export of the commune with the most
 * requests, and reports rows per second and the server's peak resident memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../src/core/db/index.ts';
import { prepareSearch, startWriter } from './search.ts';
import { syntheticQueries } from './search-docs.ts';
import { queryTokens } from '../src/core/search/normalize.ts';
import { budgetBench } from './budget.ts';
import {
  benchStore, describeStore, loadSynthetic, cli, startServer, measure, procMemory, serverMemory, machine, describeMachine, textTable, markdownTable, seeded,
  ms, int, mb, ROOT, type BenchServer, type BenchStore, type Load, type Measured,
} from './lib.ts';

const { values: o } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' }, communes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, until: { type: 'string' },
    duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' },
    data: { type: 'string' }, only: { type: 'string' }, out: { type: 'string' }, profile: { type: 'string' }, 'page-cache': { type: 'string' },
    'search-docs': { type: 'string', default: '20000' }, 'search-kb': { type: 'string', default: '50' },
  },
});
const num = (name: keyof typeof o, min: number) => {
  const n = Number(o[name]);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} takes a number of at least ${min}`);
  return n;
};
const SPEC = { requests: num('requests', 1), communes: num('communes', 1), seed: num('seed', 0), until: o.until };
const SEARCH = { docs: num('search-docs', 1), kb: num('search-kb', 1), seed: num('seed', 0) };
const RUN = { duration: num('duration', 1), warmup: num('warmup', 0), connections: num('connections', 1) };
const ONLY = o.only ? o.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
const wanted = (key: string) => !ONLY || ONLY.some((p) => key.startsWith(p));

/** Targets of issue 5 (2 cores, SQLite, a million requests). */
const TARGET = { ratio: 0.25, p99: 50, exportPeakMB: 200 };

interface Scenario {
  key: string; name: string; load: Load; page: boolean;
  /** Something running during the measured run (the search writer); its stop function's figures are printed. */
  during?: () => () => Promise<Record<string, number>>;
}

// ---------- What to ask for, read from the loaded data ----------

async function targets(database: Database, store: BenchStore) {
  const db = database.db as any;
  const commune = await db.selectFrom('communes').select(['id', 'slug', 'hosts']).where('slug', '=', store.env.DEFAULT_COMMUNE || 'tetouan').executeTakeFirstOrThrow();
  const q = (t: string) => db.selectFrom(t).where('commune_id', '=', commune.id);
  // The filtered list: the busiest category and district (the largest index range).
  const category = await db.selectFrom('requests').innerJoin('request_categories as c', 'c.id', 'requests.category_id').select(['c.id', 'c.slug', (eb: any) => eb.fn.countAll().as('n')])
    .where('requests.commune_id', '=', commune.id).groupBy(['c.id', 'c.slug']).orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
  const district = await db.selectFrom('requests').innerJoin('request_districts as d', 'd.id', 'requests.district_id').select(['d.slug', (eb: any) => eb.fn.countAll().as('n')])
    .where('requests.commune_id', '=', commune.id).groupBy(['d.slug']).orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
  // Request pages: 2,000 spread over the whole table (not only the newest, which the cache keeps warm).
  const span = await q('requests').select([(eb: any) => eb.fn.min('id').as('lo'), (eb: any) => eb.fn.max('id').as('hi')]).executeTakeFirstOrThrow();
  const rnd = seeded(SPEC.seed + 7);
  const ids = Array.from({ length: 4000 }, () => Number(span.lo) + Math.floor(rnd() * (Number(span.hi) - Number(span.lo) + 1)));
  const refs: string[] = [];
  for (let i = 0; i < ids.length && refs.length < 2000; i += 500) {
    if (i + 500 >= ids.length && ids.length < 40_000) ids.push(...Array.from({ length: 4000 }, () => Number(span.lo) + Math.floor(rnd() * (Number(span.hi) - Number(span.lo) + 1))));
    refs.push(...(await q('requests').select('reference').where('id', 'in', ids.slice(i, i + 500)).execute()).map((r: { reference: string }) => r.reference));
  }
  // The plan the home page features (OGP first), and its commitments (leaves, else all).
  const plans = await q('plans').select(['id', 'slug', 'kind']).orderBy('id').execute() as { id: number; slug: string; kind: string }[];
  const plan = plans.find((p) => p.kind === 'ogp') ?? plans[0];
  let commitments: string[] = [];
  if (plan) {
    const leaves = await q('commitments').select(['id', 'number']).where('plan_id', '=', plan.id).where('parent_id', 'is not', null).orderBy('id').execute() as { id: number; number: string }[];
    const all = leaves.length ? leaves : await q('commitments').select(['id', 'number']).where('plan_id', '=', plan.id).orderBy('id').execute() as { id: number; number: string }[];
    commitments = all.map((c) => c.number);
  }
  // The export: the commune with the most requests.
  const perCommune = await db.selectFrom('communes as c').leftJoin('requests as r', 'r.commune_id', 'c.id').select(['c.id', 'c.slug', 'c.hosts', (eb: any) => eb.fn.count('r.id').as('n')])
    .groupBy(['c.id', 'c.slug', 'c.hosts']).orderBy('n', 'desc').orderBy('c.id').execute() as { id: number; slug: string; hosts: string; n: number }[];
  const biggest = perCommune[0];
  // Open311 POST: into the smallest other commune, so that the submissions of one run do not
  // become the newest requests that the next run's list and Open311 GET read (with one commune, there).
  const target = [...perCommune].reverse().find((c) => c.id !== commune.id && c.id !== biggest.id && Number(c.n) > 0) ?? commune;
  const postCategory = await db.selectFrom('request_categories').select(['id', 'slug']).where('commune_id', '=', target.id).where('active', '=', 1).orderBy('sort').orderBy('id').executeTakeFirstOrThrow();
  const questions = await db.selectFrom('request_questions').select(['code', 'kind', 'required', 'options']).where('commune_id', '=', target.id).where('category_id', '=', postCategory.id).execute();
  const attrs: Record<string, string> = {};
  for (const x of questions as { code: string; kind: string; required: number; options: string }[]) {
    if (!x.required) continue;
    const first = (JSON.parse(x.options || '[]')[0] ?? {}).value ?? 'x';
    attrs[`attribute[${x.code}]`] = x.kind === 'single' || x.kind === 'multiple' ? first : x.kind === 'number' ? '1' : x.kind === 'date' ? new Date().toISOString().slice(0, 10) : 'x';
  }
  const apiCount = async () => Number((await db.selectFrom('requests').select((eb: any) => eb.fn.countAll().as('n')).where('commune_id', '=', target.id).where('channel', '=', 'api').executeTakeFirst()).n);
  const total = perCommune.reduce((x, c) => x + Number(c.n), 0);
  return {
    commune: commune.slug as string, category: category.slug as string, district: district.slug as string, refs, plan: plan?.slug as string | undefined, commitments, total,
    post: { commune: target.slug as string, category: postCategory.slug as string, attrs, apiCount },
    exportCommune: { slug: biggest.slug, host: String(biggest.hosts).split(/\s+/).filter(Boolean)[0] ?? '', rows: Number(biggest.n) },
  };
}

// ---------- The CSV export ----------

async function exportRun(store: BenchStore, t: Awaited<ReturnType<typeof targets>>, nodeArgs: string[]) {
  // A fresh process: its peak memory is the export's (plus its start).
  const server = await startServer(store, { nodeArgs });
  try {
    const url = new URL(`${server.base}/fr/requests.csv`);
    await new Promise((r) => setTimeout(r, 300));
    const start = await serverMemory(server);
    let sampled = start.rss;
    const timer = setInterval(() => { const m = procMemory(server.pid); if (m && m.rss > sampled) sampled = m.rss; }, 50);
    const t0 = performance.now();
    const got = await new Promise<{ status: number; bytes: number; lines: number; firstByte: number }>((resolve, reject) => {
      const req = http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: t.exportCommune.host ? { host: t.exportCommune.host } : {} }, (res) => {
        let bytes = 0, lines = 0, firstByte = 0;
        res.on('data', (c: Buffer) => {
          if (!firstByte) firstByte = performance.now() - t0;
          bytes += c.length;
          for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines, firstByte }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    const end = await serverMemory(server);
    const rows = got.lines - 1;
    return {
      commune: t.exportCommune.slug, status: got.status, rows, expectedRows: t.exportCommune.rows, bytes: got.bytes, seconds, firstByteMs: got.firstByte,
      rowsPerSecond: rows / seconds, startRss: start.rss, peakRss: Math.max(end.peak, sampled),
    };
  } finally {
    await server.stop();
  }
}

// ---------- The run ----------

/** The access-to-information register (issue 14) has a data set of its own: bench/information.ts, run after the rest. */
async function informationBench(): Promise<number> {
  const { spawnSync } = await import('node:child_process');
  const args = ['--import', 'tsx', path.join(ROOT, 'bench', 'information.ts'), '--duration', String(RUN.duration), '--warmup', String(RUN.warmup), '--connections', String(RUN.connections)];
  if (o['page-cache'] !== undefined) args.push('--page-cache', String(o['page-cache']));
  return spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env }).status ?? 1;
}

async function main() {
  if (ONLY && ONLY.every((p) => p.startsWith('information'))) { process.exitCode = await informationBench(); return; }
  const store = benchStore({ data: o.data, prefix: 'commune-bench' });
  const m0 = machine();
  console.log(`Commune Ouverte benchmark: ${int(SPEC.requests)} requests in ${SPEC.communes} communes (seed ${SPEC.seed}), ${describeStore(store)}`);
  console.log(`Machine: ${describeMachine(m0)}`);
  if (m0.loadAverage[0] > 1) console.log(`Note: the load average is ${m0.loadAverage[0]}; something else is running, and figures will be lower.`);
  const profileArgs = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.profile)}`] : [];
  if (o['page-cache'] !== undefined) store.env.PAGE_CACHE_MB = String(num('page-cache', 0));
  const results: Record<string, unknown> = {};
  let exitCode = 0;
  try {
    const loaded = await loadSynthetic(store, SPEC);
    console.log(loaded.loaded ? `Loaded in ${loaded.seconds.toFixed(1)} s.` : `Reusing the data in ${store.dataDir} (loaded earlier in ${loaded.seconds.toFixed(1)} s).`);

    const database = await openDatabase({ databaseUrl: store.pgUrl, schema: store.schema, dataDir: store.dataDir });
    let open = true;
    const closeDatabase = async () => { if (open) { open = false; await database.close(); } };
    try {
      const t = await targets(database, store);
      if (t.total < SPEC.requests) console.log(`WARNING: the database holds ${int(t.total)} requests, fewer than the ${int(SPEC.requests)} asked for.`);

      // Open311 submissions need a key, created as the README says.
      const key = wanted('open311-post') ? /co_[A-Za-z0-9_-]+/.exec(await cli(store, ['apikey', 'add', '--name', `bench ${new Date().toISOString()}`, '--commune', t.post.commune]))?.[0] : '';
      if (key === undefined) throw new Error('commune apikey add printed no key');
      const rnd = seeded(SPEC.seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      const post = new URLSearchParams({
        api_key: key, jurisdiction_id: t.post.commune, service_code: t.post.category, address_string: 'Avenue Mohammed V', description: 'Benchmark: lampadaire éteint depuis trois jours',
        email: 'bench@example.invalid', ...t.post.attrs,
      }).toString();
      // The search: the commune's content and SEARCH.docs long documents indexed once; random queries,
      // each URL made unique (an ignored parameter) so that no answer comes from the page cache.
      const searching = wanted('search');
      const communeRow = searching ? await (database.db as any).selectFrom('communes').select(['id', 'slug']).where('slug', '=', t.commune).executeTakeFirstOrThrow() : null;
      if (searching) {
        const s = await prepareSearch(store, database, communeRow, SEARCH);
        console.log(s.loaded ? `Search index built in ${s.seconds.toFixed(1)} s.` : `Reusing the search index (built earlier in ${Number(s.seconds).toFixed(1)} s).`);
      }
      // 50,000 different queries (no two ask for the same words once normalised), sent in turn: within a
      // run no query is asked twice (a run of 10 s sends fewer), so nothing comes from a cache of answers.
      const queries = syntheticQueries(SPEC.seed, 50_000, (q) => queryTokens(q).join(' '));
      let unique = 0;
      const searchPath = (base: string) => () => `${base}?q=${encodeURIComponent(queries[unique % queries.length])}&n=${++unique}`;
      const writerFigures: Record<string, number> = {};
      const scenarios = ([
        { key: 'search-page', name: `Search page (random queries; ${int(SEARCH.docs)} documents of ${SEARCH.kb} KB + the commune's requests)`, load: { path: searchPath('/fr/search') }, page: true },
        { key: 'search-json', name: 'Search JSON /api/search.json (random queries)', load: { path: searchPath('/api/search.json') }, page: true },
        {
          key: 'search-writer', name: 'Search page while a writer re-indexes documents in a loop', load: { path: searchPath('/fr/search') }, page: true,
          during: () => { const stop = startWriter(database, communeRow.id, SEARCH); return async () => Object.assign(writerFigures, await stop()); },
        },
        { key: 'home', name: 'Home page', load: { path: '/fr/' }, page: true },
        ...(t.plan ? [
          { key: 'plan', name: `Plan dashboard (${t.plan})`, load: { path: `/fr/plans/${t.plan}` }, page: true },
          { key: 'commitment', name: `Commitment page (${t.commitments.length} of the plan)`, load: { path: () => `/fr/plans/${t.plan}/commitments/${pick(t.commitments)}` }, page: true },
        ] : []),
        { key: 'list', name: 'Request list, filtered (open, category, district)', load: { path: `/fr/requests?status=open&category=${t.category}&district=${t.district}` }, page: true },
        { key: 'request', name: `Request page (${int(t.refs.length)} spread over the table)`, load: { path: () => `/fr/requests/${pick(t.refs)}` }, page: true },
        { key: 'dashboard', name: 'Equity dashboard (12 months)', load: { path: '/fr/requests/dashboards' }, page: true },
        { key: 'open311-get', name: 'Open311 GET requests.json (90 days, ≤ 1,000)', load: { path: '/open311/v2/requests.json' }, page: true },
        { key: 'open311-post', name: `Open311 POST requests.json (durable, into ${t.post.commune})`, load: { path: '/open311/v2/requests.json', method: 'POST', body: post, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, page: false },
      ] as Scenario[]).filter((s) => wanted(s.key));
      if (!t.plan && (wanted('plan') || wanted('commitment'))) console.log('No plan in the default commune: plan scenarios skipped.');

      const measured: (Scenario & { m: Measured })[] = [];
      let posted = 0;
      const apiBefore = await t.post.apiCount();
      if (scenarios.length) {
        const server: BenchServer = await startServer(store, { nodeArgs: profileArgs });
        try {
          console.log(`\n${RUN.connections} connections, ${RUN.warmup} s warm-up then ${RUN.duration} s per run; each scenario, then its ceiling (bare route, same body size):`);
          for (const s of scenarios) {
            const stopDuring = s.during?.();
            const mm = await measure(server, s.load, RUN);
            if (stopDuring) {
              const f = await stopDuring();
              console.log(`    meanwhile: ${int(f.writes)} documents re-indexed in ${f.seconds.toFixed(1)} s (${(f.writes / f.seconds).toFixed(1)}/s), each write p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms`);
            }
            if (s.load.method === 'POST') posted = mm.acknowledged;
            measured.push({ ...s, m: mm });
            const fail = mm.run.non2xx + mm.run.errors;
            console.log(`  ${s.name}: ${int(mm.run.rps)} req/s, p50 ${ms(mm.run.p50)} ms, p99 ${ms(mm.run.p99)} ms (server ${ms(mm.server.p50)}/${ms(mm.server.p99)} ms), ${(mm.bytes / 1024).toFixed(1)} KB`
              + `${mm.server.cacheHits ? `, ${Math.round((100 * mm.server.cacheHits) / mm.server.n)} % from the page cache` : ''}`
              + ` · ceiling ${int(mm.ceiling.rps)} req/s · ratio ${mm.ratio.toFixed(2)}${fail ? ` · ${mm.run.non2xx} non-2xx, ${mm.run.errors} errors` : ''}`);
            if (fail) exitCode = 1;
          }
        } finally { await server.stop(); }
      }
      const apiAfter = await t.post.apiCount();
      await closeDatabase();

      let exp: Awaited<ReturnType<typeof exportRun>> | undefined;
      if (wanted('export')) {
        console.log(`\nCSV export of ${t.exportCommune.slug} (${int(t.exportCommune.rows)} requests), fresh server process:`);
        exp = await exportRun(store, t, profileArgs);
        console.log(`  ${int(exp.rows)} rows, ${mb(exp.bytes)} MB in ${exp.seconds.toFixed(1)} s: ${int(exp.rowsPerSecond)} rows/s, first byte after ${ms(exp.firstByteMs)} ms; server memory ${mb(exp.startRss)} MB at start, ${mb(exp.peakRss)} MB at peak`);
        if (exp.status !== 200 || exp.rows < exp.expectedRows) { console.log(`  EXPORT INCOMPLETE: status ${exp.status}, ${exp.rows} of ${exp.expectedRows} rows`); exitCode = 1; }
      }

      // The budget module (issue 13): its own data set (10 years of a full budget), see bench/budget.ts.
      const budgetResults = wanted('budget') ? await budgetBench(RUN) : null;

      // ---------- Report ----------
      const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'server p99 ms', 'queries/resp.', 'cache hits', 'KB', 'ceiling req/s', 'ceiling p99 ms', 'ratio', 'target'];
      const hitRate = (m: Measured) => (m.server.n ? `${Math.round((100 * m.server.cacheHits) / m.server.n)} %` : '—');
      const rows = measured.map(({ name, page, m }) => [
        name, int(m.run.rps), ms(m.run.p50), ms(m.run.p99), ms(m.server.p99), m.server.n ? (m.server.queries / m.server.n).toFixed(1) : '—', hitRate(m), (m.bytes / 1024).toFixed(1), int(m.ceiling.rps), ms(m.ceiling.p99), m.ratio.toFixed(2),
        !page ? '—' : m.ratio >= TARGET.ratio && m.run.p99 < TARGET.p99 ? 'met' : `missed (${[m.ratio < TARGET.ratio ? 'ratio' : '', m.run.p99 >= TARGET.p99 ? 'p99' : ''].filter(Boolean).join(', ')})`,
      ]);
      const stored = apiAfter - apiBefore;
      const m1 = machine();
      const title = `${int(t.total)} requests in ${SPEC.communes} communes, ${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${RUN.connections} connections, ${RUN.duration} s per run`;
      const exportLine = exp ? `CSV export: ${int(exp.rows)} rows (${exp.commune}), ${mb(exp.bytes)} MB in ${exp.seconds.toFixed(1)} s, ${int(exp.rowsPerSecond)} rows/s; server peak ${mb(exp.peakRss)} MB (${mb(exp.startRss)} MB at start): ${exp.peakRss < TARGET.exportPeakMB * 1024 * 1024 ? 'met' : 'missed'} (< ${TARGET.exportPeakMB} MB).` : '';
      const durableLine = wanted('open311-post') && measured.some((s) => s.key === 'open311-post')
        ? `Durable submissions: ${int(posted)} acknowledged, ${int(stored)} stored${stored >= posted ? ' (every acknowledged one is stored)' : ' — ACKNOWLEDGED SUBMISSIONS ARE MISSING'}.` : '';
      if (durableLine && stored < posted) exitCode = 1;
      const machineLine = `Machine: ${describeMachine(m1)} (at the end).`;
      console.log(`\n${title}\n${textTable(head, rows)}`);
      for (const l of [exportLine, durableLine, machineLine]) if (l) console.log(l);
      const md = [`**${title}**`, '', markdownTable(head, rows), '', ...[exportLine, durableLine, machineLine].filter(Boolean).map((l) => `${l}  `)].join('\n');
      console.log(`\nMarkdown:\n\n${md}\n`);

      Object.assign(results, {
        date: new Date().toISOString(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), engine: store.engine,
        machine: { ...m1, loadAverageAtStart: m0.loadAverage },
        data: { ...SPEC, totalRequests: t.total, loadSeconds: loaded.seconds, reused: !loaded.loaded },
        run: { ...RUN, pageCacheMb: store.env.PAGE_CACHE_MB ?? 'default' }, targets: TARGET,
        scenarios: measured.map(({ key, name, page, load, m }) => ({
          key, name, path: typeof load.path === 'string' ? load.path : 'varies', method: load.method ?? 'GET', bytes: m.bytes, contentType: m.type, status: m.status,
          rps: m.run.rps, p50: m.run.p50, p99: m.run.p99, ok: m.run.ok, non2xx: m.run.non2xx, errors: m.run.errors, serverP50: m.server.p50, serverP99: m.server.p99,
          pageCache: { hits: m.server.cacheHits, misses: m.server.cacheMisses, responses: m.server.n }, queriesPerResponse: m.server.n ? m.server.queries / m.server.n : null,
          ceiling: { rps: m.ceiling.rps, p50: m.ceiling.p50, p99: m.ceiling.p99 }, ratio: m.ratio,
          target: page ? { ratio: m.ratio >= TARGET.ratio, p99: m.run.p99 < TARGET.p99 } : null,
        })),
        search: searching ? { ...SEARCH, writer: writerFigures } : null,
        durable: durableLine ? { acknowledged: posted, stored } : null,
        budget: budgetResults,
        export: exp ? { ...exp, target: exp.peakRss < TARGET.exportPeakMB * 1024 * 1024 } : null,
        markdown: md,
      });
      const out = path.resolve(o.out ?? path.join(ROOT, 'bench', 'results', `latest-${store.engine}.json`));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
      fs.writeFileSync(out.replace(/\.json$/, '') + '.md', `${md}\n`);
      console.log(`Results: ${path.relative(process.cwd(), out)} (and .md beside it)`);
    } finally { await closeDatabase(); }
  } finally {
    await store.cleanup();
  }
  if (wanted('information')) exitCode = (await informationBench()) || exitCode;
  // Surveys (issue 16): their own data (the demo quiz with 100,000 answers) and figures, in a child process.
  if (wanted('surveys')) {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'surveys.ts'), '--duration', String(RUN.duration), '--warmup', String(RUN.warmup), '--connections', String(RUN.connections)], { stdio: 'inherit', env: process.env });
    if (r.status !== 0) exitCode = 1;
  }
  process.exitCode = exitCode;
}

await main();
