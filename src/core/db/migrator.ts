import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { AnyDB } from './index.ts';

/** Applies every migration (core first, then each module's), in name order. */
export async function migrate(db: AnyDB, migrations: Record<string, Migration>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const msg = result.error instanceof Error ? result.error.message : String(result.error);
    if (/corrupted migrations/i.test(msg)) {
      throw new Error(`This database was migrated by a newer version of Commune Ouverte (${msg}). Upgrade the application before starting it on this database.`);
    }
    throw result.error;
  }
  return result;
}
