import type { DB, Engine, AnyDB } from './db/index.ts';
import type { Commune } from './tenancy/index.ts';
import type { Config } from '../config.ts';
import { can, type Actor } from './auth/roles.ts';
import { ForbiddenError, UnauthenticatedError } from './http/errors.ts';
import { appendAudit } from './audit/index.ts';
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
}

/**
 * The one way to change data: check the permission, run the change in a
 * transaction, and append the audit entry in that same transaction.
 */
export async function mutate<T>(ctx: Ctx, spec: MutationSpec, fn: (trx: AnyDB) => Promise<MutationOutcome<T>>): Promise<T> {
  if (spec.permission) authorize(ctx, spec.permission, spec.scope);
  return ctx.db.transaction().execute(async (trx) => {
    const out = await fn(trx);
    await appendAudit(trx, {
      communeId: ctx.commune.id,
      actorId: ctx.actor?.userId || null,
      action: spec.action,
      entity: spec.entity,
      entityId: out.entityId,
      before: out.before,
      after: out.after,
    });
    return out.result;
  });
}
