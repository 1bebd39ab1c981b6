import type { Kysely } from 'kysely';
import type { AnyDB } from '../../core/db/index.ts';
import type { CoreTables } from '../../core/db/tables.ts';
import type { TransparencyTables } from './schema.ts';

/** The transparency module's view of the database (its tables and core's). */
export type TDB = Kysely<CoreTables & TransparencyTables>;
export const tdb = (db: AnyDB): TDB => db.withTables<TransparencyTables>() as unknown as TDB;
