/**
 * Real processes for the fault tests (crash, backup, migrations): the server as `npm start` runs it
 * (the build, `node dist/main.mjs`), the CLI as `npx commune` runs it, on a scratch data directory
 * (SQLite) or a scratch schema (PostgreSQL, when TEST_DATABASE_URL is set). Every child started
 * here is killed when the test process exits, even after a failed assertion.
 */
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { build } from '../scripts/build.mjs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from './helpers.ts';
import { openDatabase, sql, type Database } from '../src/core/db/index.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';

const live = new Set<ChildProcess>();
process.once('exit', () => { for (const c of live) try { c.kill('SIGKILL'); } catch { /* already gone */ } });

/** A data directory and, on PostgreSQL, a schema of its own; `cleanup` removes both. */
export interface Scratch {
  dataDir: string;
  schema?: string;
  /** The environment that points the server and the CLI at this scratch database. */
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export function scratch(prefix = 'commune-fault-'): Scratch {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const schema = PG_URL ? `f_${randomBytes(6).toString('hex')}` : undefined;
  const s: Scratch = {
    dataDir, schema,
    env: {
      DATA_DIR: dataDir, DATABASE_URL: PG_URL ?? '', DATABASE_SCHEMA: schema ?? '',
      LOG_LEVEL: 'warn', MAIL_WORKER: '0', RATE_LIMIT_FACTOR: '0', HOST: '127.0.0.1', DEMO: '0',
    },
    open: () => openDatabase({ databaseUrl: PG_URL, schema, dataDir }),
    async cleanup() {
      if (schema) await dropSchemas(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return s;
}

/** Drops the schema and every schema whose name starts with it and "_" (e.g. a restore's set-aside copy). */
export async function dropSchemas(schema: string): Promise<void> {
  if (!PG_URL) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const { rows } = await c.query<{ nspname: string }>('select nspname from pg_namespace where nspname = $1 or left(nspname, $2) = $3', [schema, schema.length + 1, `${schema}_`]);
    for (const r of rows) await c.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
  } finally { await c.end(); }
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (a clean stop) or SIGKILL (a crash), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The errors the server logged (pino JSON lines of level error and above), one line each. */
export function loggedErrors(server: ServerProcess): string[] {
  return server.stdout().split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      const j = JSON.parse(l);
      return j.level >= 50 ? [`${j.msg ?? ''} ${j.err?.type ?? ''} ${j.err?.code ?? ''}: ${j.err?.message ?? ''}`] : [];
    } catch { return []; }
  });
}

let built: Promise<string> | undefined;

/** Spawns the server as `npm start` runs it (the build, `node dist/main.mjs`); resolves once it listens, rejects if it exits first. */
export async function startServer(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const main = await (built ??= build());
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '', err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d) => { err += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => { live.delete(child); res({ code, signal }); });
  });
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`, child, exited,
    stdout: () => out, stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/Commune Ouverte serves .* ready in/.test(out)) { clearInterval(timer); resolve(); }
      else if (Date.now() > deadline) { clearInterval(timer); child.kill('SIGKILL'); reject(new Error(`the server did not start in time:\n${out}\n${err}`)); }
    }, 50);
    exited.then(({ code, signal }) => { clearInterval(timer); reject(Object.assign(new Error(`the server exited (${code ?? signal}) before listening:\n${err || out}`), { code, stdout: out, stderr: err })); });
  });
  return server;
}

/** Runs the CLI (`bin/commune.mjs`, what `npx commune` runs) with the given environment. */
export async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/commune.mjs', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '', err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr!.setEncoding('utf8').on('data', (d) => { err += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number>((res) => child.once('exit', (c, s) => { live.delete(child); res(c ?? (s ? 128 : 1)); }));
  clearTimeout(timer);
  return { code, out, err };
}

/** Row counts of every table of the database (its schema, on PostgreSQL). */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const names = database.engine === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(database.db)).rows.map((r) => r.name)
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(database.db)).rows.map((r) => r.name);
  const out: Record<string, number> = {};
  for (const t of names) out[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(database.db)).rows[0].n);
  return out;
}

/**
 * After a first start with DEMO=0 (a bare commune, which starts much faster than the demo, above all
 * on PostgreSQL): the department and the two request categories the fault tests submit to, with the
 * demo's required questions, and an Open311 API key stored as `commune apikey add` stores it (its
 * hash). Returns the key.
 */
export async function seedForOpen311(s: Scratch, keyName = 'test'): Promise<string> {
  const key = `co_${randomBytes(24).toString('base64url')}`;
  const database = await s.open();
  try {
    await database.db.transaction().execute(async (trx) => {
      const db = trx as any;
      const commune = await db.selectFrom('communes').select('id').where('slug', '=', 'tetouan').executeTakeFirstOrThrow();
      const c = commune.id as number;
      const { id: inst } = await db.insertInto('institutions').values({ commune_id: c, slug: 'travaux', kind: 'department', name: JSON.stringify({ fr: 'Travaux' }), description: '{}', lead: 0, sample: 0, sort: 0 }).returning('id').executeTakeFirstOrThrow();
      const category = async (slug: string, name: string, q: { code: string; kind: string; options: { value: string; label: { fr: string } }[] }) => {
        const { id } = await db.insertInto('request_categories').values({ commune_id: c, slug, name: JSON.stringify({ fr: name }), description: '{}', institution_id: inst, sla_days: 5, active: 1, sample: 0, sort: 0 }).returning('id').executeTakeFirstOrThrow();
        await db.insertInto('request_questions').values({ commune_id: c, category_id: id, code: q.code, kind: q.kind, label: JSON.stringify({ fr: q.code }), hint: '{}', required: 1, options: JSON.stringify(q.options), sort: 1 }).execute();
      };
      await category('eclairage', 'Éclairage public', { code: 'nombre', kind: 'number', options: [] });
      await category('dechets', 'Collecte des déchets', { code: 'probleme', kind: 'single', options: [{ value: 'bac-plein', label: { fr: 'Bac plein' } }, { value: 'bac-abime', label: { fr: 'Bac abîmé' } }] });
      await db.insertInto('api_keys').values({ commune_id: c, name: keyName, key_hash: sha256(key), created_at: iso(), revoked_at: null }).execute();
    });
  } finally { await database.close(); }
  return key;
}

/** A valid Open311 submission ("eclairage" needs attribute[nombre]). */
export function submission(apiKey: string, description: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ api_key: apiKey, service_code: 'eclairage', address_string: 'Avenue Mohammed V', description, 'attribute[nombre]': '2', ...extra });
}
