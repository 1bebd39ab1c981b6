import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../core/service.ts';
import type { Commune } from '../../core/tenancy/index.ts';
import type { Database } from '../../core/db/index.ts';
import { escalateOverdue } from './workflow.ts';
import { seedYear } from './settings.ts';
import * as repo from './repo.ts';

const EVERY_MS = 15 * 60_000;

/**
 * One round of the module's background work, for every commune: escalate the requests past their
 * deadline (each once), and make sure next year's holidays exist before it starts (estimated; an
 * administrator confirms the Hijri ones). Returns how many requests were escalated.
 */
export async function runRequestJobs(database: Database, communes: Commune[], ctxFor: (c: Commune) => Promise<Ctx>): Promise<number> {
  let escalated = 0;
  for (const commune of communes) {
    const ctx = await ctxFor(commune);
    escalated += await escalateOverdue(ctx);
    const next = ctx.clock.now().getUTCFullYear() + 1;
    if (!(await repo.hasHolidaysIn(database.db, commune.id, next))) await seedYear(ctx, next);
  }
  return escalated;
}

/**
 * Runs the jobs a few times an hour in the server process that runs the mail worker (MAIL_WORKER,
 * on by default). Safe with several processes: each request is escalated once.
 */
export function startEscalationJob(app: FastifyInstance): void {
  if (!app.appConfig.mailWorker) return;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  const run = async () => {
    if (busy) return;
    busy = true;
    try {
      await runRequestJobs(app.database, app.tenancy.all(), app.systemCtx);
    } catch (err) {
      app.log.error({ err }, 'requests: background jobs failed');
    } finally { busy = false; }
  };
  app.addHook('onReady', async () => {
    timer = setInterval(run, EVERY_MS);
    timer.unref();
    setTimeout(run, 5_000).unref();
  });
  app.addHook('onClose', async () => { if (timer) clearInterval(timer); });
}
