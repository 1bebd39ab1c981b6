/**
 * The demo commune seeded once per engine and copied for each test app (issue 11: seeding it again in every test
 * file cost 2.6 s each, a quarter of the suite).
 *
 * `npm test` (scripts/test.mjs) builds one template per pass with `node --import tsx test/template.ts build <engine>`,
 * points TEST_TEMPLATE at the description it prints, and removes the template after the pass:
 * - SQLite: a migrated and seeded data directory (`commune.db`, its uploaded files); each test app copies it.
 * - PostgreSQL: a migrated and seeded database, `CREATE DATABASE … TEMPLATE` for each test app (a file copy on the
 *   server), in the same schema name, so that every test app has a database of its own.
 * A test file run alone (no TEST_TEMPLATE) seeds its own commune, as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';

export interface Template {
  engine: 'sqlite' | 'postgres';
  /** The seeded data directory (SQLite: with commune.db; both: the uploaded files). */
  dataDir: string;
  /** PostgreSQL: the template database and the schema inside it. */
  database?: string;
  schema?: string;
  adminPassword: string;
  demoPassword: string;
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on the server of `url` (connected to its own database). */
export async function serverQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}

const SCHEMA = 'demo';

export async function buildTemplate(engine: 'sqlite' | 'postgres', pgUrl?: string): Promise<Template> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-template-'));
  let database: string | undefined;
  if (engine === 'postgres') {
    if (!pgUrl) throw new Error('a PostgreSQL template needs TEST_DATABASE_URL');
    database = `tpl_${randomBytes(6).toString('hex')}`;
    await serverQuery(pgUrl, `CREATE DATABASE ${database}`);
  }
  const config = loadConfig({}, {
    dataDir, databaseUrl: database ? withDatabase(pgUrl!, database) : undefined, databaseSchema: database ? SCHEMA : undefined,
    demo: true, logLevel: 'silent', mailWorker: false,
  });
  const { database: db, firstRun } = await prepare(config);
  await db.close();
  if (!firstRun) throw new Error('the template database was not empty');
  return { engine, dataDir, database, schema: database ? SCHEMA : undefined, adminPassword: firstRun.password, demoPassword: firstRun.demoPassword ?? '' };
}

export async function dropTemplate(t: Template, pgUrl?: string): Promise<void> {
  if (t.database && pgUrl) await serverQuery(pgUrl, `DROP DATABASE IF EXISTS ${t.database} WITH (FORCE)`);
  fs.rmSync(t.dataDir, { recursive: true, force: true });
}

/** The template of this run for the engine, if the runner made one. */
export function currentTemplate(engine: 'sqlite' | 'postgres'): Template | null {
  const file = process.env.TEST_TEMPLATE;
  if (!file) return null;
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
  return t.engine === engine ? t : null;
}

/** A copy of the template for one test app: a data directory, and on PostgreSQL a database of its own. */
export async function copyTemplate(t: Template, pgUrl?: string): Promise<{ dataDir: string; databaseUrl?: string; schema?: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-test-'));
  fs.cpSync(t.dataDir, dataDir, { recursive: true });
  if (!t.database) return { dataDir, drop: async () => { fs.rmSync(dataDir, { recursive: true, force: true }); } };
  const database = `t_${randomBytes(6).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE refuses while another session reads the template: the copies of concurrent test files retry.
  for (let attempt = 0; ; attempt++) {
    try { await serverQuery(pgUrl!, `CREATE DATABASE ${database} TEMPLATE ${t.database}`); break; } catch (err) {
      if (attempt > 50 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    dataDir, databaseUrl: withDatabase(pgUrl!, database), schema: t.schema,
    drop: async () => {
      // A connection the test left may still be closing: wait for it before forcing (a forced drop kills it, and its
      // pool, if the test kept one, raises an error after the test ended).
      for (let attempt = 0; ; attempt++) {
        try { await serverQuery(pgUrl!, `DROP DATABASE IF EXISTS ${database}${attempt >= 20 ? ' WITH (FORCE)' : ''}`); break; } catch (err) {
          if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// `node --import tsx test/template.ts build sqlite|postgres` prints the path of the template's description;
// `… drop <file>` removes it.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [verb, arg] = process.argv.slice(2);
  const pgUrl = process.env.TEST_DATABASE_URL || undefined;
  if (verb === 'build') {
    const t = await buildTemplate(arg === 'postgres' ? 'postgres' : 'sqlite', pgUrl);
    const file = path.join(t.dataDir, '..', `${path.basename(t.dataDir)}.json`);
    fs.writeFileSync(file, JSON.stringify(t));
    console.log(file);
  } else if (verb === 'drop') {
    await dropTemplate(JSON.parse(fs.readFileSync(arg, 'utf8')) as Template, pgUrl);
    fs.rmSync(arg, { force: true });
  } else {
    console.error('usage: test/template.ts build sqlite|postgres | drop <file>');
    process.exit(2);
  }
}
