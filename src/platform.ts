import type { Migration } from 'kysely';
import { coreMigrations } from './core/db/core-migrations.ts';
import { createI18n, coreCatalogs, mergeCatalogs, isLocale, type I18n } from './core/i18n/index.ts';
import { declarePermissions, type Actor } from './core/auth/roles.ts';
import type { Ctx } from './core/service.ts';
import type { Database } from './core/db/index.ts';
import type { Commune } from './core/tenancy/index.ts';
import type { Config } from './config.ts';
import { systemClock } from './core/clock/index.ts';
import { modules } from './modules/index.ts';
import type { JobHandler } from './core/module.ts';
import { checkSources, type SearchSource } from './core/search/index.ts';

/** What the modules add up to: migrations, permissions, catalogs. */
export function allMigrations(): Record<string, Migration> {
  const all: Record<string, Migration> = { ...coreMigrations };
  for (const m of modules) Object.assign(all, m.migrations ?? {});
  return all;
}

for (const m of modules) declarePermissions(m.permissions ?? {});

/** Every module's job handlers by kind; a kind declared twice is an error. */
export function jobHandlers(): Record<string, JobHandler> {
  const out: Record<string, JobHandler> = {};
  for (const m of modules) {
    for (const [k, h] of Object.entries(m.jobs ?? {})) {
      if (k in out) throw new Error(`The job kind ${k} is declared twice (module ${m.name})`);
      out[k] = h;
    }
  }
  return out;
}

/** Every module's searchable content (checked once: kinds well formed and unique). */
let sources: SearchSource[] | undefined;
export function searchSources(): SearchSource[] {
  return (sources ??= checkSources(modules.flatMap((m) => m.search ?? [])));
}

let i18nPromise: Promise<I18n> | undefined;
export function i18n(): Promise<I18n> {
  return (i18nPromise ??= createI18n(mergeCatalogs(coreCatalogs, ...modules.map((m) => m.catalogs ?? { fr: {}, ar: {}, en: {} }))));
}

/** The platform acting on its own (demo loading, CLI): an administrator with no user behind it. */
export const SYSTEM_ACTOR = (communeId: number): Actor => ({ userId: 0, communeId, email: '', name: 'system', grants: [{ role: 'admin', institutionId: null }] });

export async function systemCtx(database: Database, commune: Commune, config: Config, actor?: Actor): Promise<Ctx> {
  const all = await i18n();
  return {
    db: database.db, engine: database.engine, commune, actor: actor ?? SYSTEM_ACTOR(commune.id), locale: 'fr', t: all.t('fr'),
    tFor: (l) => all.t(isLocale(l) ? l : 'fr'), config, clock: systemClock,
  };
}
