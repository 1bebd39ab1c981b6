/**
 * Benchmark of the requests module under load: `node --import tsx bench/requests.ts [options]`.
 *
 *   --requests N      synthetic requests to load (default 1,000,000), all in the Tétouan demo commune
 *   --communes N      spread them over N communes instead (default 1: the hardest case for one commune)
 *   --duration S      seconds per scenario (default 10)
 *   --connections N   concurrent clients (default 50)
 *   --data DIR        reuse (or keep) this data directory instead of a temporary one
 *   --seed N          synthetic data seed (default 1)
 *
 * With DATABASE_URL=postgres://… it runs on PostgreSQL, in a temporary schema.
 *
 * It loads the data (printing rows/s), creates an Open311 API key with the CLI, starts the server
 * as a child process (bench/server.ts), and drives it with autocannon: the public filtered list,
 * request pages, the equity dashboard, Open311 GET requests.json, and Open311 POST submissions
 * (durable: acknowledged after commit, and counted in the database afterwards). For each it prints
 * the server time (median, p99: inside Fastify), the client latency (median, p99: queueing under
 * 50 connections included) and requests per second. It then times the alternative the dashboards
 * do not use — grouping `requests` itself, medians by window function — on the same data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import { openDatabase, sql, type Database } from '../src/core/db/index.ts';
import { synthesize } from '../src/modules/requests/synthetic.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' }, communes: { type: 'string', default: '1' }, duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' }, data: { type: 'string' }, seed: { type: 'string', default: '1' },
  },
});
const N = Number(values.requests);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const PG_URL = process.env.DATABASE_URL && /^postgres/.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;
const dataDir = values.data ? path.resolve(values.data) : fs.mkdtempSync(path.join(os.tmpdir(), 'commune-bench-'));
const schema = PG_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: PG_URL ?? '', DATABASE_SCHEMA: schema ?? '', LOG_LEVEL: 'silent', MAIL_WORKER: '0', RATE_LIMIT_FACTOR: '0' };

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

async function freePort(): Promise<number> {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); }); });
}

async function load(): Promise<void> {
  const config = loadConfig(env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  try {
    const existing = await database.db.selectFrom('requests' as any).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst() as { n: number };
    if (Number(existing.n) >= N) { console.log(`Data: ${Number(existing.n).toLocaleString('en')} requests already in ${dataDir}`); return; }
    console.log(`Loading ${N.toLocaleString('en')} synthetic requests into ${PG_URL ? `PostgreSQL schema ${schema}` : dataDir}…`);
    const r = await synthesize(database, { communes: Number(values.communes), requests: N, seed: Number(values.seed), defaultCommune: config.defaultCommune, log: (l) => console.log(l) });
    console.log(`Synthetic data: ${r.requests.toLocaleString('en')} requests, ${r.rows.toLocaleString('en')} rows in ${(r.ms / 1000).toFixed(1)} s: ${r.rowsPerSecond.toLocaleString('en')} rows/s`);
  } finally { await database.close(); }
}

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
  await load();
  const key = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'apikey', 'add', '--name', 'bench'], { env, encoding: 'utf8' });
  const apiKey = key.stdout.match(/co_[A-Za-z0-9_-]+/)?.[0];
  if (!apiKey) throw new Error(`apikey add failed: ${key.stderr}`);

  const database = await openDatabase({ databaseUrl: PG_URL, schema, dataDir });
  const tg = await targets(database);
  const apiBefore = await tg.apiCount();

  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1', DEMO: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res, rej) => {
    server.stdout!.on('data', (d) => { if (String(d).includes('ready')) res(); });
    server.once('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const post = new URLSearchParams({ api_key: apiKey, service_code: tg.category, address_string: 'Avenue Mohammed V', description: 'Benchmark: lampadaire éteint depuis trois jours', email: 'bench@example.invalid', ...tg.attrs }).toString();

  const scenarios: { name: string; opts: Record<string, unknown>; check?: (b: string) => boolean }[] = [
    { name: 'public list, filtered (status, category, district)', opts: { url: `${base}/fr/requests?status=open&category=${tg.category}&district=${tg.district}` } },
    { name: 'public list, first page', opts: { url: `${base}/fr/requests` } },
    { name: 'request page', opts: { url: base, requests: [{ setupRequest: (r: any) => ({ ...r, path: `/fr/requests/${pick(tg.refs)}` }) }] } },
    { name: 'equity dashboard (12 months)', opts: { url: `${base}/fr/requests/dashboards` } },
    { name: 'operators dashboard (all time)', opts: { url: `${base}/fr/requests/dashboards/institutions?period=all` } },
    { name: 'Open311 GET requests.json (90 days, 1,000)', opts: { url: `${base}/open311/v2/requests.json` } },
    { name: 'Open311 POST requests.json (durable)', opts: { url: `${base}/open311/v2/requests.json`, method: 'POST', body: post, headers: { 'content-type': 'application/x-www-form-urlencoded' } } },
  ];
  const rows: string[][] = [];
  let posted = 0;
  for (const s of scenarios) {
    await fetch(`${base}/__bench/timings`);
    const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...s.opts });
    const server = await (await fetch(`${base}/__bench/timings`)).json() as { n: number; p50: number; p99: number };
    const ok = Number(r['2xx'] ?? 0);
    if (s.opts.method === 'POST') posted = ok;
    rows.push([s.name, ms(server.p50), ms(server.p99), ms(r.latency.p50), ms(r.latency.p99), Math.round(ok / r.duration).toLocaleString('en'), String(r.non2xx + r.errors)]);
    console.log(`  ${s.name}: server ${ms(server.p50)}/${ms(server.p99)} ms, client ${ms(r.latency.p50)}/${ms(r.latency.p99)} ms, ${Math.round(ok / r.duration)} req/s${r.non2xx + r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
  }
  server.kill('SIGTERM');
  await new Promise((res) => server.once('exit', res));

  const apiAfter = await tg.apiCount();
  const alt = await alternative(database);
  await database.close();

  const head = ['scenario', 'server p50 ms', 'server p99 ms', 'client p50 ms', 'client p99 ms', 'req/s', 'failed'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log(`\n${N.toLocaleString('en')} requests, ${PG_URL ? 'PostgreSQL' : 'SQLite'}, ${CONNECTIONS} connections, ${DURATION} s each, ${os.cpus().length} CPUs`);
  for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  '));
  const stored = apiAfter - apiBefore;
  // Every acknowledged submission must be in the database (more may be, when a client gave up waiting).
  console.log(`Durable submissions: ${posted} acknowledged, ${stored} stored${stored >= posted ? ' (every acknowledged one is stored)' : ' — ACKNOWLEDGED SUBMISSIONS ARE MISSING'}.`);
  if (stored < posted) process.exitCode = 1;
  console.log(`Alternative not used: grouping requests per district over 12 months: counts ${ms(alt.counts)} ms + medians ${ms(alt.median)} ms (the dashboard runs about ten such groupings).`);

  if (!values.data) fs.rmSync(dataDir, { recursive: true, force: true });
  if (schema) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
  }
}

await main();
