/**
 * Backup under write load: `commune backup` runs while the server keeps acknowledging Open311
 * submissions; the backup, restored into a fresh place (a new data directory; on PostgreSQL, a new
 * schema), is one consistent moment of the database, and a server started on it serves that moment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { ENGINE, PG_URL } from './helpers.ts';
import { scratch, startServer, cli, seedForOpen311, submission, tableCounts, loggedErrors, type ServerProcess } from './processes.ts';
import type { Database } from '../src/core/db/index.ts';
import { verifyAudit } from '../src/core/audit/index.ts';

const WRITERS = 4;

/** The test's requests in this database, in id (= commit) order, with the consistency figures. */
async function snapshotOf(database: Database, run: string) {
  const db = database.db as any;
  const n = async (q: any) => Number((await q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const mine: { reference: string; description: string }[] = await db.selectFrom('requests').select(['reference', 'description'])
    .where('description', 'like', `backup-${run}-%`).orderBy('id').execute();
  return {
    mine,
    requests: await n(db.selectFrom('requests')),
    submittedEvents: await n(db.selectFrom('request_events').where('kind', '=', 'submitted')),
    submitAudits: await n(db.selectFrom('audit_log').where('action', '=', 'request.submit')),
    counted: Number((await db.selectFrom('request_stats').select((eb: any) => eb.fn.sum('n').as('n')).executeTakeFirstOrThrow()).n),
    followers: await n(db.selectFrom('request_followers').where('email', 'like', `backup.${run}.%`)),
    mails: await n(db.selectFrom('outbox').where('to_addr', 'like', `backup.${run}.%`)),
    mineWithEmail: await n(db.selectFrom('requests').where('description', 'like', `backup-${run}-%`).where('reporter_email', 'is not', null)),
  };
}

test(`backup while the server accepts writes is a consistent snapshot, and a restore serves it (${ENGINE})`, { timeout: 240_000 }, async (t) => {
  const started = Date.now();
  const src = scratch('commune-backup-');
  const dst = scratch('commune-restore-');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-backup-file-'));
  const file = path.join(dir, ENGINE === 'sqlite' ? 'backup.db' : 'backup.dump');
  let server: ServerProcess | undefined;
  let restored: ServerProcess | undefined;
  let stopWriting = true;
  let writing: Promise<unknown> = Promise.resolve();
  try {
    server = await startServer(src.env);
    const apiKey = await seedForOpen311(src, 'backup test');
    const run = randomBytes(4).toString('hex');

    // Writers: submissions one after the other, as long as the test lets them; every answer must be an acknowledgement.
    const acks: string[] = [];
    const failures: string[] = [];
    stopWriting = false;
    const url = `${server.url}/open311/v2/requests.json`;
    writing = Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; !stopWriting; i++) {
        const marker = `backup-${run}-${w}-${i}`;
        const extra: Record<string, string> = i % 2 ? { email: `backup.${run}.${w}.${i}@example.org` } : {};
        try {
          const res = await fetch(url, { method: 'POST', body: submission(apiKey, `${marker} lampadaire éteint`, extra) });
          const text = await res.text();
          if (res.status === 200) acks.push(JSON.parse(text)[0].service_request_id);
          else failures.push(`${marker}: ${res.status} ${text.slice(0, 200)}`);
        } catch (e) { failures.push(`${marker}: ${(e as Error).message}`); }
      }
    }));
    const until = async (n: number) => { while (acks.length < n && !failures.length) await new Promise((r) => setTimeout(r, 20)); };
    await until(20);
    // Another process writes while the server does, as `commune apikey add` would: the server's submissions wait for
    // the lock, none fails (they did, with SQLITE_BUSY, before SQLite transactions began with BEGIN IMMEDIATE).
    const other = await src.open();
    try {
      const commune = await other.db.selectFrom('communes').select('id').executeTakeFirstOrThrow();
      for (let k = 0; k < 40 && !failures.length; k++) {
        await other.db.insertInto('api_keys').values({ commune_id: commune.id, name: `beside ${k}`, key_hash: `h${run}${k}`, created_at: new Date().toISOString(), revoked_at: null }).execute();
        await new Promise((r) => setTimeout(r, 15));
      }
    } finally { await other.close(); }
    assert.deepEqual(failures, [], `submissions while another process writes; the server logged:\n${loggedErrors(server).join('\n')}`);
    const ackedBefore = acks.slice();
    const backup = await cli(src.env, 'backup', file);
    const ackedDuring = acks.length - ackedBefore.length;
    // `audit verify` on the live database while the server appends to the chain: it must not cry wolf.
    const live0 = await src.open();
    try {
      const chain = await verifyAudit(live0.db);
      assert.ok(chain.ok, `audit verify during writes: ${JSON.stringify(chain)}`);
    } finally { await live0.close(); }
    await until(acks.length + 20);
    stopWriting = true;
    await writing;
    assert.deepEqual(failures, [], `every submission was acknowledged; the server logged:\n${loggedErrors(server).join('\n')}`);
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /Backup written to .* \(\d+ bytes\)/);
    assert.ok(ackedDuring > 0, 'submissions were acknowledged while the backup ran');
    t.diagnostic(`${ackedBefore.length} acknowledged before the backup, ${ackedDuring} while it ran, ${acks.length} in all`);
    const stop = await server.stop();
    server = undefined;
    assert.equal(stop.code, 0);

    const live = await src.open();
    const now = await snapshotOf(live, run).finally(() => live.close());
    assert.equal(now.mine.length, acks.length);

    // Restore into a fresh place. On PostgreSQL the backup's schema name must be free in the database, as on a new
    // server: the source schema is renamed out of the way first (it is dropped with the scratch schema at the end).
    if (PG_URL) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try { await c.query(`ALTER SCHEMA ${src.schema} RENAME TO ${src.schema}_moved`); } finally { await c.end(); }
    }
    const restore = await cli(dst.env, 'restore', file);
    assert.equal(restore.code, 0, restore.err);
    assert.match(restore.out, /chain intact/);

    const database = await dst.open();
    let counts: Record<string, number>;
    let snap: Awaited<ReturnType<typeof snapshotOf>>;
    try {
      counts = await tableCounts(database);
      snap = await snapshotOf(database, run);
    } finally { await database.close(); }
    // One moment: everything a submission writes is there together, or not at all.
    assert.equal(snap.submittedEvents, snap.requests, 'a "submitted" event per request');
    assert.equal(snap.submitAudits, snap.requests, 'an audit entry per request');
    assert.equal(snap.counted, snap.requests, 'the dashboard counters count every request');
    assert.equal(snap.followers, snap.mineWithEmail, 'a follower per request with an email');
    assert.equal(snap.mails, snap.mineWithEmail, 'a confirmation mail per request with an email');
    // …and that moment is a point in the history of the live database: a prefix of its requests in commit order,
    // holding at least every acknowledgement received before the backup started, and not what came after.
    assert.deepEqual(snap.mine, now.mine.slice(0, snap.mine.length), 'the backup holds the first N requests, as they are');
    const inBackup = new Set(snap.mine.map((r) => r.reference));
    for (const ref of ackedBefore) assert.ok(inBackup.has(ref), `${ref}, acknowledged before the backup, is in it`);
    assert.ok(snap.mine.length < now.mine.length, 'requests acknowledged after the backup are not in it');
    assert.equal(now.requests - snap.requests, now.mine.length - snap.mine.length);
    if (ENGINE === 'sqlite') {
      // The restored database is the backup file, table by table.
      const b = new SQLite(file, { readonly: true });
      try {
        for (const [table, n] of Object.entries(counts)) assert.equal((b.prepare(`select count(*) n from "${table}"`).get() as { n: number }).n, n, table);
      } finally { b.close(); }
    }

    // A server started on the restored database serves that moment.
    restored = await startServer(dst.env);
    const health = await fetch(`${restored.url}/healthz`);
    assert.equal(health.status, 200);
    const refs = snap.mine.map((r) => r.reference);
    const served: { service_request_id: string; description: string }[] = [];
    for (let k = 0; k < refs.length; k += 200) {
      const res: Response = await fetch(`${restored.url}/open311/v2/requests.json?service_request_id=${refs.slice(k, k + 200).join(',')}`);
      assert.equal(res.status, 200);
      served.push(...await res.json() as typeof served);
    }
    assert.deepEqual(served.map((r) => [r.service_request_id, r.description]).sort(), snap.mine.map((r) => [r.reference, r.description]).sort());
    const later = now.mine[now.mine.length - 1].reference;
    assert.equal((await fetch(`${restored.url}/open311/v2/requests/${later}.json`)).status, 404, 'a request made after the backup is not there');
    // …and takes new ones, with the restored key, numbered after the backup's last, kept by the restored triggers.
    const post = await fetch(`${restored.url}/open311/v2/requests.json`, { method: 'POST', body: submission(apiKey, `backup-${run}-restored lampadaire`) });
    assert.equal(post.status, 200, await post.clone().text());
    const newRef = (await post.json() as { service_request_id: string }[])[0].service_request_id;
    const seq = (ref: string) => Number(ref.split('-').pop());
    assert.equal(seq(newRef), Math.max(...refs.map(seq)) + 1);
    assert.equal((await restored.stop()).code, 0);
    restored = undefined;

    // Serving changed nothing but what that one submission writes; the audit chain holds (the restore checked it
    // already, `chain intact` above, as `audit verify` does).
    const after = await dst.open();
    try {
      const now2 = await tableCounts(after);
      // The new request is searchable (its doc is written in the submission's transaction); the FTS5 index's
      // own shadow tables change by what its segment merging decides (they may shrink), and the vocabulary grows by
      // the request's new words, so only the doc counts are exact.
      const grew: Record<string, number> = { requests: 1, request_events: 1, audit_log: 1, search_docs: 1, search_fts: 1, search_titles: 1 };
      for (const [table, n] of Object.entries(counts)) {
        if (/^search_(fts|titles)_/.test(table)) continue;
        if (table === 'search_terms') assert.ok(now2[table] >= n, table);
        else if (table === 'request_stats') assert.ok(now2[table] - n === 0 || now2[table] - n === 1, table);
        else assert.equal(now2[table], n + (grew[table] ?? 0), `${table}: rows after serving`);
      }
      const s2 = await snapshotOf(after, run);
      assert.equal(s2.counted, s2.requests, 'the dashboard counters still count every request');
      const chain = await verifyAudit(after.db);
      assert.ok(chain.ok && chain.checked > snap.requests, JSON.stringify(chain));
    } finally { await after.close(); }
    const summary = `${ENGINE}: backup under load — ${acks.length} acknowledged, ${ackedDuring} while the backup ran, ${snap.mine.length} in the backup; ${Object.keys(counts).length} tables consistent — ${((Date.now() - started) / 1000).toFixed(1)} s`;
    t.diagnostic(summary);
    console.log(summary);
  } finally {
    stopWriting = true;
    await writing.catch(() => {});
    if (server) await server.stop('SIGKILL');
    if (restored) await restored.stop('SIGKILL');
    await src.cleanup();
    await dst.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
