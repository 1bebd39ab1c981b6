import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL, ENGINE } from './helpers.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrator.ts';
import { allMigrations } from '../src/platform.ts';
import { prepare } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const run = promisify(execFile);

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ['bin/commune.mjs', ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e: any) {
    return { code: e.code ?? 1, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}

function tempDir() { return fs.mkdtempSync(path.join(os.tmpdir(), 'commune-cli-')); }

test('migrations run on an empty database, are idempotent, and a newer database is refused clearly', async () => {
  const dir = tempDir();
  const schema = PG_URL ? `m_${randomBytes(5).toString('hex')}` : undefined;
  const database = await openDatabase({ databaseUrl: PG_URL, schema, dataDir: dir });
  try {
    const first = await migrate(database, allMigrations());
    assert.equal(first.results?.length, Object.keys(allMigrations()).length);
    assert.ok(first.results!.every((r) => r.status === 'Success'));
    const again = await migrate(database, allMigrations());
    assert.equal(again.results?.length, 0);
    for (const table of ['communes', 'users', 'audit_log', 'institutions', 'plans', 'files', 'holidays']) {
      await database.db.selectFrom(table as 'users').select('id').limit(1).execute();
    }
    await database.db.insertInto('kysely_migration' as any).values({ name: '2999-01-01-0001-from-the-future', timestamp: new Date().toISOString() }).execute();
  } finally { await database.close(); }
  const config = loadConfig({}, { dataDir: dir, databaseUrl: PG_URL, databaseSchema: schema, demo: false, logLevel: 'silent' });
  await assert.rejects(prepare(config), /newer version of Commune Ouverte/);
  if (schema) {
    const c = new pg.Client({ connectionString: PG_URL }); await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('CLI: demo, user add, apikey add, audit verify, clear errors', { skip: ENGINE === 'postgres' && 'the CLI runs against SQLite here; PostgreSQL is covered by the migration test' }, async () => {
  const env = { DATA_DIR: tempDir(), DATABASE_URL: '' };
  const demo = await cli(env, 'demo');
  assert.equal(demo.code, 0, demo.err);
  assert.match(demo.out, /one-time password: \S{12,}/);
  assert.match((await cli(env, 'demo')).err, /already holds a commune/);
  const noDept = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'department_staff');
  assert.notEqual(noDept.code, 0);
  assert.match(noDept.err, /needs a commune department/);
  const badRole = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'king');
  assert.notEqual(badRole.code, 0);
  assert.match(badRole.err, /one of: citizen/);
  const ok = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'department_staff', '--department', 'travaux');
  assert.equal(ok.code, 0, ok.err);
  const key = await cli(env, 'apikey', 'add', '--name', 'FixMyStreet app');
  assert.match(key.out, /co_[A-Za-z0-9_-]{20,}/);
  const verify = await cli(env, 'audit', 'verify');
  assert.equal(verify.code, 0);
  assert.match(verify.out, /Audit chain intact: \d+ entries/);
  const unknown = await cli(env, 'frobnicate');
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.err, /Unknown command "frobnicate"/);
  fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
});

test('backup then restore round trip, and a tampered database fails audit verify', { skip: ENGINE === 'postgres' && 'backup/restore is SQLite-specific (pg_dump for PostgreSQL)' }, async () => {
  const env = { DATA_DIR: tempDir(), DATABASE_URL: '' };
  assert.equal((await cli(env, 'demo')).code, 0);
  await cli(env, 'user', 'add', '--email', 'before@b.ma', '--role', 'citizen');
  const file = path.join(tempDir(), 'backup.db');
  const b = await cli(env, 'backup', file);
  assert.equal(b.code, 0, b.err);
  assert.match((await cli(env, 'backup', file)).err, /already exists/);
  await cli(env, 'user', 'add', '--email', 'after@b.ma', '--role', 'citizen');
  const r = await cli(env, 'restore', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /chain intact/);
  const database = await openDatabase({ dataDir: env.DATA_DIR });
  const emails = (await database.db.selectFrom('users').select('email').execute()).map((u) => u.email);
  assert.ok(emails.includes('before@b.ma'));
  assert.ok(!emails.includes('after@b.ma'), 'the restore brings back the state of the backup');
  await database.db.updateTable('audit_log').set({ after: '{"forged":1}' }).where('id', '=', 2).execute();
  await database.close();
  const v = await cli(env, 'audit', 'verify');
  assert.equal(v.code, 1);
  assert.match(v.err, /BROKEN at entry #2/);
  const notDb = path.join(tempDir(), 'x.db');
  fs.writeFileSync(notDb, 'hello');
  assert.match((await cli(env, 'restore', notDb)).err, /not a (readable )?SQLite database/);
});
