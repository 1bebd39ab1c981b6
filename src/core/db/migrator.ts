import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { AnyDB, Database } from './index.ts';

/** Applies every migration (core first, then each module's), in name order. */
export async function migrate(database: Pick<Database, 'db' | 'schema'>, migrations: Record<string, Migration>): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in every schema; name ours so that schemas stay apart.
  const migrator = new Migrator({ db: database.db as AnyDB, provider: { getMigrations: async () => migrations }, ...(database.schema ? { migrationTableSchema: database.schema } : {}) });
  let result = await migrator.migrateToLatest();
  // Kysely's table lookup reads the catalog of every schema; another schema dropped meanwhile (a
  // test's, a restore's) fails it with "schema … does not exist". Nothing was applied: try again.
  for (let retry = 0; retry < 5 && isVanishedSchema(result.error, database.schema); retry++) result = await migrator.migrateToLatest();
  if (result.error) {
    const msg = result.error instanceof Error ? result.error.message : String(result.error);
    // Kysely's words: an applied migration this version does not know (the database is ahead of it)…
    if (/corrupted migrations: previously executed migration .* is missing/i.test(msg)) {
      throw new Error(`This database was migrated by a newer version of Commune Ouverte (${msg}). Upgrade the application before starting it on this database.`);
    }
    // …or a new migration named before one already applied (a migration must be named after every earlier one).
    if (/corrupted migrations/i.test(msg)) {
      throw new Error(`The migrations of this version do not follow those already applied to this database (${msg}).`);
    }
    throw result.error;
  }
  return result;
}

function isVanishedSchema(error: unknown, own: string | undefined): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '3F000' && !(own && e.message?.includes(`"${own}"`));
}
