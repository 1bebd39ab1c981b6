/**
 * What the benchmarks share: options, the data directory or PostgreSQL schema, the server child
 * process (bench/server.ts), an autocannon run and its ceiling, memory readings, tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/core/db/index.ts';
import { build } from '../scripts/build.mjs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Milliseconds, two decimals under 10, one above. */
export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
export const int = (x: number) => Math.round(x).toLocaleString('en');
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

// ---------- Where the data lives ----------

export interface BenchStore {
  dataDir: string;
  /** postgres://… when the benchmark runs on PostgreSQL. */
  pgUrl?: string;
  schema?: string;
  engine: 'sqlite' | 'postgres';
  /** The environment of every child process (CLI, server). */
  env: NodeJS.ProcessEnv;
  /** Whether the data is kept at the end (--data given). */
  kept: boolean;
  /** Removes a temporary directory and drops a temporary schema. */
  cleanup(): Promise<void>;
}

/**
 * A data directory (given: kept and reused; else temporary) and, with DATABASE_URL=postgres://…,
 * a schema: named in `DIR/postgres-schema` when the directory is kept (so a second run finds the
 * same data), else a temporary one dropped at the end.
 */
export function benchStore(opts: { data?: string; prefix: string }): BenchStore {
  const pgUrl = process.env.DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;
  const kept = !!opts.data;
  const dataDir = opts.data ? path.resolve(opts.data) : fs.mkdtempSync(path.join(os.tmpdir(), `${opts.prefix}-`));
  fs.mkdirSync(dataDir, { recursive: true });
  let schema: string | undefined;
  if (pgUrl) {
    const file = path.join(dataDir, 'postgres-schema');
    if (kept && fs.existsSync(file)) schema = fs.readFileSync(file, 'utf8').trim();
    if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      schema = `bench_${randomBytes(4).toString('hex')}`;
      if (kept) fs.writeFileSync(file, `${schema}\n`);
    }
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATA_DIR: dataDir, DATABASE_URL: pgUrl ?? '', DATABASE_SCHEMA: schema ?? '', LOG_LEVEL: 'silent', MAIL_WORKER: '0', RATE_LIMIT_FACTOR: '0',
  };
  return {
    dataDir, pgUrl, schema, engine: pgUrl ? 'postgres' : 'sqlite', env, kept,
    async cleanup() {
      if (kept) return;
      if (schema && pgUrl) {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        try { await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await c.end(); }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function describeStore(s: BenchStore): string {
  return s.pgUrl ? `PostgreSQL schema ${s.schema}${s.kept ? ` (named in ${s.dataDir})` : ' (temporary)'}` : `SQLite in ${s.dataDir}${s.kept ? '' : ' (temporary)'}`;
}

// ---------- The server ----------

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); });
  });
}

export interface BenchServer {
  base: string;
  /** The bare Fastify instance of the same process (the ceiling). */
  ceiling: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

let built: Promise<string> | undefined;

/**
 * Starts bench/server.ts with the store's environment; `nodeArgs` go before the script (for
 * example `--cpu-prof --cpu-prof-dir=DIR`).
 */
export async function startServer(store: BenchStore, opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<BenchServer> {
  const port = await freePort();
  // Built as `npm start` builds the server (scripts/build.mjs): measured without a TypeScript loader in the process.
  const main = await (built ??= build('bench/server.ts', 'dist/bench-server.mjs'));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), main], {
    cwd: ROOT, env: { ...store.env, PORT: String(port), HOST: '127.0.0.1', DEMO: '0', ...opts.env }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ceilingPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /ready (\d+) (\d+)/.exec(out);
      if (m) { child.stdout!.off('data', onData); resolve(Number(m[2])); }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bench/server.ts exited with ${code} before it was ready`)));
  });
  // The IPC channel tells the server when this process ends, however it ends (bench/server.ts).
  child.stdout!.resume();
  let stopped: Promise<void> | undefined;
  return {
    base: `http://127.0.0.1:${port}`, ceiling: `http://127.0.0.1:${ceilingPort}`, pid: child.pid!, child,
    stop() {
      stopped ??= new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      });
      return stopped;
    },
  };
}

// ---------- Memory ----------

/** A process's resident memory now and at its peak (Linux /proc), in bytes; null elsewhere. */
export function procMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch { return null; }
}

/** The server's own view (resourceUsage), where /proc is missing. */
export async function serverMemory(server: BenchServer): Promise<{ rss: number; peak: number }> {
  const m = procMemory(server.pid);
  if (m && Number.isFinite(m.peak)) return m;
  const r = await (await fetch(`${server.base}/__bench/memory`)).json() as { rss: number; maxRSS: number };
  return { rss: r.rss, peak: r.maxRSS };
}

// ---------- Load ----------

export interface Load {
  /** A fixed path, or a function choosing one per request (e.g. a random request page). */
  path: string | (() => string);
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

const pathOf = (l: Load) => (typeof l.path === 'string' ? l.path : l.path());

function cannonOpts(base: string, load: Load, o: { connections: number; duration?: number; amount?: number }) {
  const common = { connections: o.connections, ...(o.amount ? { amount: o.amount } : { duration: o.duration }), method: load.method ?? 'GET', headers: load.headers, body: load.body };
  if (typeof load.path === 'string') return { url: base + load.path, ...common };
  const pick = load.path;
  return { url: base, ...common, requests: [{ setupRequest: (r: Record<string, unknown>) => ({ ...r, path: pick() }) }] };
}

export async function cannon(base: string, load: Load, o: { connections: number; duration?: number; amount?: number }): Promise<Run> {
  const r: Result = await autocannon(cannonOpts(base, load, o));
  const ok = Number(r['2xx'] ?? 0);
  return { rps: ok / r.duration, p50: r.latency.p50, p99: r.latency.p99, ok, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, duration: r.duration };
}

/** One request as a client sees it: status, content type, body size. */
export async function probe(base: string, load: Load): Promise<{ status: number; type: string; bytes: number; body: string }> {
  const res = await fetch(base + pathOf(load), { method: load.method ?? 'GET', headers: load.headers, body: load.body, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type') ?? 'application/octet-stream', bytes: buf.length, body: buf.toString('utf8') };
}

export interface Measured {
  bytes: number;
  type: string;
  status: number;
  run: Run;
  /** Time in the server process, from a request's arrival to its response's end; page-cache hits. */
  server: { n: number; p50: number; p99: number; cacheHits: number; cacheMisses: number; queries: number };
  ceiling: Run;
  ratio: number;
  /** 2xx answers the server gave for this scenario, probes and warm-up included (for a durability check). */
  acknowledged: number;
}

/**
 * A scenario and its ceiling: the response size (the mean of `samples` requests when the path
 * varies), a warm-up, the measured run with the server time, then the bare route answering a body
 * of that size (same method, status and content type), warmed up and measured the same way.
 */
export async function measure(server: BenchServer, load: Load, o: { connections: number; duration: number; warmup: number; samples?: number }): Promise<Measured> {
  const samples = typeof load.path === 'string' && (load.method ?? 'GET') === 'GET' ? 1 : (o.samples ?? 20);
  let bytes = 0, type = '', status = 0;
  for (let i = 0; i < samples; i++) {
    const p = await probe(server.base, load);
    if (p.status >= 300) throw new Error(`${load.method ?? 'GET'} ${typeof load.path === 'string' ? load.path : 'path'} answered ${p.status}: ${p.body.slice(0, 300)}`);
    bytes += p.bytes; type = p.type; status = p.status;
  }
  bytes = Math.round(bytes / samples);
  const warm = o.warmup > 0 ? await cannon(server.base, load, { connections: o.connections, duration: o.warmup }) : undefined;
  await fetch(`${server.base}/__bench/timings`);
  const run = await cannon(server.base, load, o);
  const t = await (await fetch(`${server.base}/__bench/timings`)).json() as Measured['server'];
  const ceiling = await ceilingRun(server, { bytes, type, status, method: load.method ?? 'GET', body: load.body, headers: load.headers, path: typeof load.path === 'string' ? undefined : load.path }, o);
  return { bytes, type, status, run, server: t, ceiling, ratio: ceiling.rps ? run.rps / ceiling.rps : 0, acknowledged: samples + (warm?.ok ?? 0) + run.ok };
}

const ceilings = new Map<string, Run>();

/** The bare route with a body of that size; measured once per size and method in a run. */
export async function ceilingRun(server: BenchServer, c: { bytes: number; type: string; status: number; method: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; path?: () => string },
  o: { connections: number; duration: number; warmup: number }): Promise<Run> {
  const key = `${server.ceiling}|${c.method}|${c.bytes}|${c.type}|${c.status}|${c.path ? 'varies' : 'fixed'}`;
  const hit = ceilings.get(key);
  if (hit) return hit;
  const fixed = `/static?${new URLSearchParams({ bytes: String(c.bytes), type: c.type, status: String(c.status) })}`;
  // A scenario whose path varies has autocannon build each request (setupRequest), which costs the
  // client more than replaying one: the ceiling then varies its path the same way (an ignored parameter).
  const vary = c.path;
  const load: Load = { path: vary ? () => `${fixed}&p=${encodeURIComponent(vary())}` : fixed, method: c.method, body: c.body, headers: c.headers };
  if (o.warmup > 0) await cannon(server.ceiling, load, { connections: o.connections, duration: o.warmup });
  const run = await cannon(server.ceiling, load, o);
  ceilings.set(key, run);
  return run;
}

// ---------- Reports ----------

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown', ramGB: Math.round(os.totalmem() / 1024 ** 3 * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function describeMachine(m = machine()): string {
  return `${m.cpus} × ${m.model}, ${m.ramGB} GB RAM, ${m.os}, Node ${m.node}, load average ${m.loadAverage.join(' ')}`;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function textTable(head: string[], rows: string[][]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ')).join('\n');
}

export function markdownTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** A seeded generator for the benchmark's own choices (which request pages to ask for). */
export function seeded(seed: number) {
  let s = (seed >>> 0) || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

// ---------- Data ----------

/** Runs the `commune` CLI (src/cli.ts) with the store's environment; resolves with its output. */
export async function cli(store: BenchStore, args: string[], opts: { echo?: boolean } = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...store.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d: Buffer) => { out += String(d); if (opts.echo) process.stdout.write(String(d).replace(/^(?=.)/gm, '  ')); });
  child.stderr!.on('data', (d: Buffer) => { err += String(d); });
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  if (code !== 0) throw new Error(`commune ${args.join(' ')} failed (${code}): ${err || out}`);
  return out;
}

export interface DataSpec { communes: number; requests: number; seed: number; until?: string }

/**
 * The synthetic data, loaded with the command the README gives (`commune synthetic`), unless the
 * kept data directory already holds the same (recorded in `DIR/bench-data.json`).
 */
export async function loadSynthetic(store: BenchStore, spec: DataSpec): Promise<{ loaded: boolean; seconds: number; output: string }> {
  const marker = path.join(store.dataDir, 'bench-data.json');
  const want = { communes: spec.communes, requests: spec.requests, seed: spec.seed, engine: store.engine };
  if (fs.existsSync(marker)) {
    const had = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (had.communes === want.communes && had.requests === want.requests && had.seed === want.seed && had.engine === want.engine) {
      return { loaded: false, seconds: had.seconds ?? 0, output: had.output ?? '' };
    }
    throw new Error(`${store.dataDir} holds other data (${JSON.stringify(had)}); give another --data directory, or remove this one.`);
  }
  // Data loaded before the marker existed (an earlier benchmark): kept when it holds enough requests.
  if (store.kept && (store.pgUrl || fs.existsSync(path.join(store.dataDir, 'commune.db')))) {
    const database = await openDatabase({ databaseUrl: store.pgUrl, schema: store.schema, dataDir: store.dataDir });
    let n = 0;
    try { n = Number((await (database.db as any).selectFrom('requests').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0); } catch { n = 0; } finally { await database.close(); }
    if (n >= spec.requests) {
      fs.writeFileSync(marker, `${JSON.stringify({ ...want, until: spec.until ?? null, adoptedAt: new Date().toISOString(), requestsFound: n }, null, 2)}\n`);
      return { loaded: false, seconds: 0, output: `${n} requests found` };
    }
  }
  const args = ['synthetic', '--communes', String(spec.communes), '--requests', String(spec.requests), '--seed', String(spec.seed), ...(spec.until ? ['--until', spec.until] : [])];
  console.log(`Loading: commune ${args.join(' ')} (${describeStore(store)})`);
  const t0 = performance.now();
  const output = await cli(store, args, { echo: true });
  const seconds = (performance.now() - t0) / 1000;
  fs.writeFileSync(marker, `${JSON.stringify({ ...want, until: spec.until ?? null, loadedAt: new Date().toISOString(), seconds, output: output.trim().split('\n').pop() }, null, 2)}\n`);
  return { loaded: true, seconds, output };
}
