import { sql, type DB, type Engine, type AnyDB } from './db/index.ts';
import type { Commune } from './tenancy/index.ts';
import type { Config } from '../config.ts';
import { can, type Actor } from './auth/roles.ts';
import { ForbiddenError, UnauthenticatedError } from './http/errors.ts';
import { appendAudit, noteCommit, currentDataVersion } from './audit/index.ts';
import type { Locale, T } from './i18n/index.ts';
import type { Clock } from './clock/index.ts';

/** What every service function receives: who acts, for which commune, on which database. */
export interface Ctx {
  db: DB;
  engine: Engine;
  commune: Commune;
  actor: Actor | null;
  locale: Locale;
  t: T;
  /** The translator of another language: a mail speaks its recipient's language, not the actor's. */
  tFor(locale: string): T;
  config: Config;
  clock: Clock;
}

export function authorize(ctx: Ctx, permission: string, scope?: { institutionId?: number | null }): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  if (!can(ctx.actor, permission, scope)) throw new ForbiddenError();
  return ctx.actor;
}

export interface MutationOutcome<T> {
  result: T;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export interface MutationSpec {
  /** null: an action open to anyone (a registration, a public comment); still audited. */
  permission: string | null;
  scope?: { institutionId?: number | null };
  action: string;
  entity: string;
  /**
   * Changes of this kind that arrive together share one transaction, hence one commit and one
   * fsync (group commit), each inside its own savepoint with its own audit entry: a change that
   * fails is rolled back alone, and none is acknowledged before the commit. For frequent independent
   * inserts (citizens' reports). PostgreSQL would group concurrent commits by itself, but a report
   * holds its commune's lock (the reference sequence, the audit chain) until it commits, so reports
   * of one commune commit one after the other unless they share a transaction.
   */
  groupCommit?: boolean;
}

type Change<T> = (trx: AnyDB) => Promise<MutationOutcome<T>>;

/**
 * The one way to change data: check the permission, run the change in a
 * transaction, and append the audit entry in that same transaction.
 */
export async function mutate<T>(ctx: Ctx, spec: MutationSpec, fn: Change<T>): Promise<T> {
  if (spec.permission) authorize(ctx, spec.permission, spec.scope);
  if (spec.groupCommit) return grouped(ctx, spec, fn);
  const result = await ctx.db.transaction().execute((trx) => apply(ctx, spec, fn, trx));
  noteCommit(ctx.db, ctx.commune.id);
  return result;
}

/** Runs one change and appends its audit entry, in the caller's transaction. */
async function apply<T>(ctx: Ctx, spec: MutationSpec, fn: Change<T>, trx: AnyDB): Promise<T> {
  const out = await fn(trx);
  await appendAudit(trx, {
    communeId: ctx.commune.id,
    at: ctx.clock.now(),
    actorId: ctx.actor?.userId || null,
    action: spec.action,
    entity: spec.entity,
    entityId: out.entityId,
    before: out.before,
    after: out.after,
  });
  return out.result;
}

interface Pending { ctx: Ctx; spec: MutationSpec; fn: Change<unknown>; resolve(v: unknown): void; reject(e: unknown): void }
const queues = new WeakMap<DB, Pending[]>();

function grouped<T>(ctx: Ctx, spec: MutationSpec, fn: Change<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = queues.get(ctx.db);
    if (!queue) {
      queues.set(ctx.db, (queue = []));
      // Everything that reaches this point during the current turn of the event loop joins the group.
      setImmediate(() => { queues.delete(ctx.db); void commitGroup(ctx.db, queue!); });
    }
    queue.push({ ctx, spec, fn: fn as Change<unknown>, resolve: resolve as (v: unknown) => void, reject });
  });
}

async function commitGroup(db: DB, group: Pending[]): Promise<void> {
  let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
  try {
    // Communes in one order (PostgreSQL locks each one's row): two groups never wait on each other.
    const order = group.map((_, i) => i).sort((a, b) => group[a].ctx.commune.id - group[b].ctx.commune.id);
    outcomes = await db.transaction().execute(async (trx) => {
      const out: typeof outcomes = [];
      for (const i of order) {
        const p = group[i];
        await sql`savepoint change`.execute(trx);
        try {
          out[i] = { ok: true, value: await apply(p.ctx, p.spec, p.fn, trx) };
        } catch (error) {
          await sql`rollback to savepoint change`.execute(trx);
          out[i] = { ok: false, error };
        }
        await sql`release savepoint change`.execute(trx);
      }
      return out;
    });
  } catch (error) {
    for (const p of group) p.reject(error);
    return;
  }
  for (const p of group) noteCommit(db, p.ctx.commune.id);
  group.forEach((p, i) => { const o = outcomes[i]; if (o.ok) p.resolve(o.value); else p.reject(o.error); });
}

// ---------- Reads kept per data version ----------

const versioned = new Map<string, { version: number; value: unknown }>();
const VERSIONED_MAX = 512;

/** Forgets every versioned read (benchmarks measure the uncached path with it). */
export function clearVersionedReads(): void { versioned.clear(); }

/**
 * A read kept in this process until the commune's data changes (its data version: the last audit
 * entry, which every `mutate` appends): reference data (categories, districts) and public
 * aggregates (a plan's dashboard) read on every page without a query. What it returns is shared
 * between requests: frozen values, or values no caller changes. Keyed by commune and `key`; put in
 * the key whatever else the value depends on (the day, filters).
 */
export async function versionedRead<T>(ctx: { db: AnyDB; commune: Commune }, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await currentDataVersion(ctx.db, ctx.commune.id);
  const k = `${ctx.commune.id}|${key}`;
  const hit = versioned.get(k);
  if (hit && hit.version === version) return hit.value as T;
  const value = await compute();
  versioned.delete(k);
  if (versioned.size >= VERSIONED_MAX) versioned.delete(versioned.keys().next().value!);
  versioned.set(k, { version, value });
  return value;
}
