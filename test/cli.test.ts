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
import { entryHash, verifyAudit, GENESIS } from '../src/core/audit/index.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';
import { scratch, startServer, type ServerProcess } from './processes.ts';

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

test(`CLI: demo, user add, apikey add, audit verify, clear errors (${ENGINE})`, async () => {
  const s = scratch('commune-cli-');
  const env = s.env;
  try {
    const demo = await cli(env, 'demo');
    assert.equal(demo.code, 0, demo.err);
    assert.match(demo.out, /one-time password: \S{12,}/);
    if (ENGINE === 'sqlite') assert.match((await cli(env, 'demo')).err, /already holds a commune/);
    const noDept = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'department_staff');
    assert.notEqual(noDept.code, 0);
    assert.match(noDept.err, /needs a commune department/);
    if (ENGINE === 'sqlite') {
      // Engine-independent checks, run once.
      const badRole = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'king');
      assert.notEqual(badRole.code, 0);
      assert.match(badRole.err, /one of: citizen/);
      const unknown = await cli(env, 'frobnicate');
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.err, /Unknown command "frobnicate"/);
    }
    const ok = await cli(env, 'user', 'add', '--email', 'a@b.ma', '--role', 'department_staff', '--department', 'travaux');
    assert.equal(ok.code, 0, ok.err);
    const key = await cli(env, 'apikey', 'add', '--name', 'FixMyStreet app');
    assert.match(key.out, /co_[A-Za-z0-9_-]{20,}/);
    const verify = await cli(env, 'audit', 'verify');
    assert.equal(verify.code, 0, verify.err);
    assert.match(verify.out, /Audit chain intact: \d+ entries/);
    assert.match(verify.out, /tetouan: last entry #\d+, hash [0-9a-f]{64}/, 'the chain head, for the monitoring body to note');
    // They all worked on this scratch database, not elsewhere.
    const database = await s.open();
    try {
      const users = await database.db.selectFrom('users').select('email').where('email', '=', 'a@b.ma').execute();
      assert.equal(users.length, 1);
      assert.equal((await database.db.selectFrom('api_keys').select('name').execute()).map((k) => k.name).join(), 'FixMyStreet app');
    } finally { await database.close(); }
  } finally { await s.cleanup(); }
});

test(`backup then restore round trip, and a tampered or truncated audit log fails audit verify (${ENGINE})`, async () => {
  const s = scratch('commune-cli-');
  const env = s.env;
  const dir = tempDir();
  try {
    // The demo database, made in this process (the CLI's `demo` is tested above); accounts added before and after the backup.
    const config = loadConfig(env, { demo: true, logLevel: 'silent' });
    const addUser = async (email: string) => {
      const { database } = await prepare(config);
      try {
        const commune = await database.db.selectFrom('communes').select('id').executeTakeFirstOrThrow();
        await database.db.insertInto('users').values({ commune_id: commune.id, email, email_normalized: email, password_hash: 'x', name: email, locale: 'fr', disabled: 0, created_at: new Date().toISOString() }).execute();
      } finally { await database.close(); }
    };
    await addUser('before@b.ma');
    const file = path.join(dir, 'backup');
    const b = await cli(env, 'backup', file);
    assert.equal(b.code, 0, b.err);
    if (ENGINE === 'sqlite') assert.match((await cli(env, 'backup', file)).err, /already exists/);
    assert.deepEqual(fs.readdirSync(dir), ['backup'], 'no partial file left behind');
    await addUser('after@b.ma');
    // In place: the present database is kept aside (SQLite: commune.db.before-restore-…; PostgreSQL: SCHEMA_before_restore_…).
    const r = await cli(env, 'restore', file);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /chain intact/);
    if (ENGINE === 'postgres') assert.match(r.out, new RegExp(`previous one is kept as ${s.schema}_before_restore_\\d+`));
    else assert.ok(fs.readdirSync(s.dataDir).some((f) => f.startsWith('commune.db.before-restore-')));
    const database = await s.open();
    try {
      const emails = (await database.db.selectFrom('users').select('email').execute()).map((u) => u.email);
      assert.ok(emails.includes('before@b.ma'));
      assert.ok(!emails.includes('after@b.ma'), 'the restore brings back the state of the backup');
      // Entries removed from the end of the chain: every remaining entry still links, but the chain no longer reaches its head.
      const last = await database.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(2).execute();
      await database.db.deleteFrom('audit_log').where('id', '>=', last[1].id).execute();
    } finally { await database.close(); }
    const cut = await cli(env, 'audit', 'verify');
    assert.equal(cut.code, 1);
    assert.match(cut.err, /BROKEN .* ends at entry #\d+, but its recorded head is entry #\d+ \(entries at its end were removed/);
    const database2 = await s.open();
    try { await database2.db.updateTable('audit_log').set({ after: '{"forged":1}' }).where('id', '=', 2).execute(); } finally { await database2.close(); }
    const v = await cli(env, 'audit', 'verify');
    assert.equal(v.code, 1);
    assert.match(v.err, /BROKEN at entry #2/);
    const notDb = path.join(dir, 'x.db');
    fs.writeFileSync(notDb, 'hello');
    assert.match((await cli(env, 'restore', notDb)).err, ENGINE === 'postgres' ? /not a PostgreSQL backup/ : /not a (readable )?SQLite database/);
  } finally {
    await s.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The migrations of an earlier version: every one up to and including `last`, by name. */
function migrationsUpTo(last: string) {
  const all = allMigrations();
  const names = Object.keys(all).sort();
  const cut = names.indexOf(last) + 1;
  assert.ok(cut > 0 && cut < names.length, `${last} is one of the migrations, not the last`);
  return { older: Object.fromEntries(names.slice(0, cut).map((n) => [n, all[n]])), all: names };
}

test(`a database left by an older version: the server upgrades it and serves its data; a newer one it refuses (${ENGINE})`, async () => {
  const s = scratch('commune-upgrade-');
  let server: ServerProcess | undefined;
  try {
    // The version before the dashboards (and everything after them): its migrations, and data written through its schema.
    const { older, all } = migrationsUpTo('2026-11-25-0400-requests');
    const apiKey = 'co_upgrade_test_key_0123456789abcdef';
    const database = await s.open();
    let communeId: number;
    try {
      await migrate(database, older);
      const db = database.db as any;
      const now = iso();
      const year = Number(now.slice(0, 4));
      const ref = `TET-${year}-000001`;
      ({ id: communeId } = await db.insertInto('communes').values({ slug: 'tetouan', name: JSON.stringify({ fr: 'Tétouan', ar: 'تطوان', en: 'Tetouan' }), hosts: '', region: '{}', population: 380_787, sample: 0, created_at: now }).returning('id').executeTakeFirstOrThrow());
      const { id: inst } = await db.insertInto('institutions').values({ commune_id: communeId, slug: 'travaux', kind: 'department', name: JSON.stringify({ fr: 'Travaux' }), description: '{}', lead: 0, sample: 0, sort: 0 }).returning('id').executeTakeFirstOrThrow();
      const { id: cat } = await db.insertInto('request_categories').values({ commune_id: communeId, slug: 'eclairage', name: JSON.stringify({ fr: 'Éclairage public' }), description: '{}', institution_id: inst, sla_days: 5, active: 1, sample: 0, sort: 0 }).returning('id').executeTakeFirstOrThrow();
      const { id: req } = await db.insertInto('requests').values({
        commune_id: communeId, reference: ref, year, seq: 1, tracking_hash: 'h1', category_id: cat, district_id: null, institution_id: inst, status: 'submitted',
        description: 'Lampadaire éteint, signalé sous l’ancienne version', address: '12 rue de la Luneta', lat: 35.5711, lng: -5.3724, answers: '{}', channel: 'web',
        reporter_locale: 'fr', created_at: now, created_month: now.slice(0, 7), updated_at: now, due_on: now.slice(0, 10), reopen_count: 0, contest_status: 'none', sample: 0, name_public: 0,
      }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('request_events').values({ commune_id: communeId, request_id: req, at: now, kind: 'submitted', public: 1, data: '{}' }).execute();
      await db.insertInto('api_keys').values({ commune_id: communeId, name: 'old app', key_hash: sha256(apiKey), created_at: now, revoked_at: null }).execute();
      // The older version's audit chain (no recorded head then).
      let prev = GENESIS;
      for (const [action, entity, entityId] of [['commune.create', 'commune', 'tetouan'], ['request.submit', 'request', ref]]) {
        const row = { commune_id: communeId, at: now, actor_id: null, action, entity, entity_id: entityId, before: null, after: null, prev_hash: prev };
        prev = entryHash(row);
        await db.insertInto('audit_log').values({ ...row, hash: prev }).execute();
      }
    } finally { await database.close(); }

    // The current server starts on it: it applies the missing migrations and serves the old data.
    server = await startServer(s.env);
    const old = await fetch(`${server.url}/open311/v2/requests/TET-${new Date().getUTCFullYear()}-000001.json`);
    assert.equal(old.status, 200);
    const [r] = await old.json() as Record<string, unknown>[];
    assert.equal(r.description, 'Lampadaire éteint, signalé sous l’ancienne version');
    assert.equal(r.service_code, 'eclairage');
    assert.equal(r.lat, 35.5711);
    const posted = await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ api_key: apiKey, service_code: 'eclairage', address_string: 'Avenue Mohammed V', description: 'Après la mise à jour' }) });
    assert.equal(posted.status, 200, await posted.clone().text());
    assert.match((await posted.json() as { service_request_id: string }[])[0].service_request_id, /-000002$/, 'numbering continues');
    assert.equal((await server.stop()).code, 0);
    server = undefined;
    const upgraded = await s.open();
    try {
      const db = upgraded.db as any;
      assert.deepEqual((await db.selectFrom('kysely_migration').select('name').orderBy('name').execute()).map((m: { name: string }) => m.name), all, 'every migration applied');
      const counted = await db.selectFrom('request_stats').select((eb: any) => eb.fn.sum('n').as('n')).where('commune_id', '=', communeId).executeTakeFirstOrThrow();
      assert.equal(Number(counted.n), 2, 'the dashboards count the old request too');
      const chain = await verifyAudit(db);
      assert.equal(chain.ok, true, JSON.stringify(chain));
      assert.equal(chain.checked, 3, 'the old chain, continued by the new version');
      // A newer version's migration in the book: this version must refuse to touch it.
      await db.insertInto('kysely_migration').values({ name: '2999-01-01-0001-from-the-future', timestamp: new Date().toISOString() }).execute();
    } finally { await upgraded.close(); }
    const refused = await startServer(s.env).then(() => null, (e) => e as { code: number | null; stderr: string });
    assert.ok(refused, 'the server does not start on a newer database');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Cannot start: This database was migrated by a newer version of Commune Ouverte .*Upgrade the application/);
  } finally {
    if (server) await server.stop('SIGKILL');
    await s.cleanup();
  }
});
