import './no-chromium.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type TestApp } from './helpers.ts';
import { openDatabase, type Database } from '../src/core/db/index.ts';
import { enqueueJob, runDueJobs, pendingJobs, MAX_ATTEMPTS, LEASE_MS, type JobRunner } from '../src/core/jobs/index.ts';
import type { JobHandler } from '../src/core/module.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

const base = new Date('2026-12-04T10:00:00Z');
const runnerOf = (handlers: Record<string, JobHandler>, now: () => Date = () => base): JobRunner => ({ handlers, now, ctxFor: async () => t.ctx() });
const jobRows = (kind: string) => t.database.db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id').execute();

test('a job exists only if the transaction that queued it commits, and one pending job per kind and key', async () => {
  await t.database.db.transaction().execute(async (trx) => {
    await enqueueJob(trx, { communeId: t.commune.id, kind: 'test.a', key: 'doc-1', payload: { v: 1 }, at: base });
    await enqueueJob(trx, { communeId: t.commune.id, kind: 'test.a', key: 'doc-1', payload: { v: 2 }, at: base });
    await enqueueJob(trx, { communeId: t.commune.id, kind: 'test.a', key: 'doc-2', at: base });
  });
  await assert.rejects(t.database.db.transaction().execute(async (trx) => {
    await enqueueJob(trx, { communeId: t.commune.id, kind: 'test.a', key: 'doc-3', at: base });
    throw new Error('rolled back');
  }));
  const rows = await jobRows('test.a');
  assert.deepEqual(rows.map((r) => r.job_key), ['doc-1', 'doc-2']);
  assert.deepEqual(JSON.parse(rows[0].payload), { v: 2 }, 'the later payload replaces the waiting one');
  // Only this test's kind: the demo's modules queue jobs of their own (deadlines, reminders, text extraction).
  assert.deepEqual((await pendingJobs(t.database.db, t.commune.id)).filter((j) => j.kind.startsWith('test.')), [{ kind: 'test.a', n: 2 }]);
  const seen: unknown[] = [];
  assert.equal(await runDueJobs(t.database.db, runnerOf({ 'test.a': async (_ctx, p) => { seen.push(p); } })), 2);
  assert.deepEqual(seen, [{ v: 2 }, {}]);
  assert.deepEqual((await jobRows('test.a')).map((r) => r.status), ['done', 'done']);
  assert.deepEqual((await pendingJobs(t.database.db, t.commune.id)).filter((j) => j.kind.startsWith('test.')), []);
});

test('a failing job is retried later with a growing delay, then marked failed with its error', async () => {
  await t.database.db.transaction().execute((trx) => enqueueJob(trx, { communeId: t.commune.id, kind: 'test.fail', key: 'x', at: base }));
  let calls = 0;
  let now = base;
  const runner = runnerOf({ 'test.fail': async () => { calls++; throw new Error(`boom ${calls}`); } }, () => now);
  assert.equal(await runDueJobs(t.database.db, runner), 1);
  assert.equal(await runDueJobs(t.database.db, runner), 0, 'not due again at once');
  let [row] = await jobRows('test.fail');
  assert.equal(row.status, 'pending');
  assert.equal(row.last_error, 'boom 1');
  assert.equal(row.run_at, new Date(base.getTime() + 60_000).toISOString());
  for (let i = 2; i <= MAX_ATTEMPTS; i++) {
    now = new Date(Date.parse((await jobRows('test.fail'))[0].run_at));
    assert.equal(await runDueJobs(t.database.db, runner), 1);
  }
  [row] = await jobRows('test.fail');
  assert.equal(calls, MAX_ATTEMPTS);
  assert.equal(row.status, 'failed');
  assert.equal(row.last_error, `boom ${MAX_ATTEMPTS}`);
  now = new Date(now.getTime() + 86_400_000);
  assert.equal(await runDueJobs(t.database.db, runner), 0, 'a failed job stays failed');
});

test('a job whose worker died is taken again once its lease expires', async () => {
  await t.database.db.transaction().execute((trx) => enqueueJob(trx, { communeId: t.commune.id, kind: 'test.lease', key: 'x', at: base }));
  // A worker claimed it (status running, leased) and died before finishing.
  await t.database.db.updateTable('jobs').set({ status: 'running', locked_until: new Date(base.getTime() + LEASE_MS).toISOString(), attempts: 1 }).where('kind', '=', 'test.lease').execute();
  let calls = 0;
  const handlers = { 'test.lease': async () => { calls++; } };
  assert.equal(await runDueJobs(t.database.db, runnerOf(handlers, () => new Date(base.getTime() + 1000))), 0, 'not while the lease runs');
  assert.equal(await runDueJobs(t.database.db, runnerOf(handlers, () => new Date(base.getTime() + LEASE_MS + 1000))), 1);
  assert.equal(calls, 1);
  assert.equal((await jobRows('test.lease'))[0].status, 'done');
});

test('workers on two connections (two processes) run each job exactly once', async () => {
  const n = 60;
  await t.database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) await enqueueJob(trx, { communeId: t.commune.id, kind: 'test.once', key: `k${i}`, payload: { i }, at: base });
  });
  const other: Database = await openDatabase({ databaseUrl: t.config.databaseUrl, schema: t.config.databaseSchema, dataDir: t.config.dataDir });
  try {
    const runs = new Map<number, number>();
    const handlers = { 'test.once': async (_ctx: unknown, p: Record<string, unknown>) => {
      runs.set(p.i as number, (runs.get(p.i as number) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 2));
    } };
    const counts = await Promise.all([t.database.db, other.db, t.database.db, other.db].map((db) => runDueJobs(db, runnerOf(handlers), 1000)));
    assert.equal(counts.reduce((a, b) => a + b, 0), n, `each job ran once in all (${counts.join(' + ')})`);
    assert.equal(runs.size, n);
    assert.ok([...runs.values()].every((v) => v === 1), 'no job ran twice');
    if (t.database.engine === 'postgres') assert.ok(counts.filter((c) => c > 0).length >= 2, `the workers shared the jobs (${counts.join(', ')})`);
  } finally { await other.close(); }
});
