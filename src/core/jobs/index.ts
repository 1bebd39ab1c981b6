import { sql, engineOf, type AnyDB, type DB } from '../db/index.ts';
import type { Ctx } from '../service.ts';
import type { JobHandler } from '../module.ts';
import { iso } from '../clock/index.ts';

/**
 * Background jobs: work that must not run on a request's path (extracting a document's text, rebuilding an
 * aggregate), enqueued inside the transaction of the change that calls for it (no change, no job) and run by
 * the worker of one process. A job is claimed with a lease: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
 * processes take different jobs at once and never the same one; on SQLite the claim runs under the database's
 * single write lock. A process that dies mid-job leaves its lease to expire, and another takes the job again, so a
 * handler must be safe to run twice after a crash (they write their results in one transaction of their own).
 */

export const MAX_ATTEMPTS = 5;
/** How long a claimed job belongs to its worker before another may take it (a crashed process's job). */
export const LEASE_MS = 5 * 60_000;

/**
 * Queues a job inside the caller's transaction. A job of the same kind and key that has not started yet is not
 * queued twice (re-indexing a document edited twice before the worker ran does the work once).
 */
export async function enqueueJob(trx: AnyDB, j: { communeId: number; kind: string; key: string; payload?: Record<string, unknown>; at: Date; runAt?: Date }): Promise<void> {
  const db = trx as DB;
  const waiting = await db.selectFrom('jobs').select('id').where('commune_id', '=', j.communeId).where('kind', '=', j.kind)
    .where('job_key', '=', j.key).where('status', '=', 'pending').executeTakeFirst();
  const payload = JSON.stringify(j.payload ?? {});
  if (waiting) {
    await db.updateTable('jobs').set({ payload }).where('commune_id', '=', j.communeId).where('id', '=', waiting.id).execute();
    return;
  }
  await db.insertInto('jobs').values({
    commune_id: j.communeId, kind: j.kind, job_key: j.key, payload, status: 'pending', run_at: iso(j.runAt ?? j.at),
    attempts: 0, locked_until: null, last_error: null, created_at: iso(j.at), finished_at: null,
  }).execute();
}

interface Claimed { id: number; commune_id: number; kind: string; job_key: string; payload: string; attempts: number }

/** Takes the next due job (pending, or running under an expired lease), or none. */
async function claim(db: AnyDB, now: Date, kinds: string[]): Promise<Claimed | undefined> {
  if (!kinds.length) return undefined;
  const at = iso(now);
  const until = iso(new Date(now.getTime() + LEASE_MS));
  const due = sql`((status = 'pending' and run_at <= ${at}) or (status = 'running' and locked_until < ${at})) and kind in (${sql.join(kinds)})`;
  const lock = engineOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  const r = await sql<Claimed>`update jobs set status = 'running', locked_until = ${until}, attempts = attempts + 1
    where id = (select id from jobs where ${due} order by run_at, id limit 1 ${lock})
    returning id, commune_id, kind, job_key, payload, attempts`.execute(db);
  return r.rows[0];
}

/** Retries after 1, 4, 9, 16 minutes. */
const backoffMs = (attempts: number) => attempts * attempts * 60_000;

export interface JobRunner {
  handlers: Record<string, JobHandler>;
  /** A service context acting as the platform in the job's commune (null: the commune is gone). */
  ctxFor(communeId: number): Promise<Ctx | null>;
  now(): Date;
}

/**
 * Runs due jobs one after the other until none is left (or `limit`); returns how many ran. What the handler
 * throws is recorded, and the job retried later, MAX_ATTEMPTS times in all.
 */
export async function runDueJobs(db: AnyDB, runner: JobRunner, limit = 100): Promise<number> {
  const jobs = db as DB;
  let ran = 0;
  while (ran < limit) {
    const job = await claim(db, runner.now(), Object.keys(runner.handlers));
    if (!job) break;
    ran++;
    const ctx = await runner.ctxFor(job.commune_id);
    const finish = (set: Partial<{ status: string; run_at: string; last_error: string | null; finished_at: string | null; locked_until: string | null }>) =>
      jobs.updateTable('jobs').set({ locked_until: null, ...set }).where('id', '=', job.id).execute();
    try {
      if (!ctx) throw new Error(`commune ${job.commune_id} is gone`);
      await runner.handlers[job.kind](ctx, JSON.parse(job.payload) as Record<string, unknown>);
      await finish({ status: 'done', finished_at: iso(runner.now()), last_error: null });
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 500);
      if (job.attempts >= MAX_ATTEMPTS) await finish({ status: 'failed', finished_at: iso(runner.now()), last_error: message });
      else await finish({ status: 'pending', run_at: iso(new Date(runner.now().getTime() + backoffMs(job.attempts))), last_error: message });
    }
  }
  return ran;
}

/** Jobs of a commune not done yet, by kind (the admin sees what waits; tests wait for it). */
export async function pendingJobs(db: AnyDB, communeId: number): Promise<{ kind: string; n: number }[]> {
  const rows = await (db as DB).selectFrom('jobs').select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('commune_id', '=', communeId).where('status', 'in', ['pending', 'running']).groupBy('kind').execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** The worker of a server process: runs due jobs every `everyMs`. Several processes may run it against one PostgreSQL database. */
export function jobWorker(db: AnyDB, runner: JobRunner, onError: (err: unknown) => void, everyMs = 2000) {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let again = false;
  const tick = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do { again = false; await runDueJobs(db, runner); } while (again);
    } catch (err) { onError(err); } finally { busy = false; }
  };
  return {
    start() { timer = setInterval(tick, everyMs); timer.unref(); },
    stop() { if (timer) clearInterval(timer); timer = undefined; },
    tick,
  };
}
