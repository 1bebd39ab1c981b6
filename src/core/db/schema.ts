import { sql, type CreateTableBuilder } from 'kysely';
import { engineOf, type AnyDB } from './index.ts';

/**
 * A commune-owned table: `commune_id` leads every key so that PostgreSQL can be
 * sharded by commune. On PostgreSQL the primary key is (commune_id, id); on
 * SQLite `id` is the rowid and (commune_id, id) is unique, which lets composite
 * foreign keys reference it on both engines.
 */
export function communeTable(db: AnyDB, name: string): CreateTableBuilder<string, 'id' | 'commune_id'> {
  const t = db.schema.createTable(name);
  if (engineOf(db) === 'sqlite') {
    return t
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
      .addUniqueConstraint(`${name}_commune_id_id`, ['commune_id', 'id']);
  }
  return t
    .addColumn('id', 'serial', (c) => c.notNull())
    .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
    .addPrimaryKeyConstraint(`${name}_pk`, ['commune_id', 'id']);
}

/** A foreign key that stays inside one commune. */
export function communeRef<T extends CreateTableBuilder<any, any>>(t: T, from: string, column: string, table: string, onDelete: 'cascade' | 'restrict' | 'set null' = 'restrict'): T {
  return t.addForeignKeyConstraint(`${from}_${column}_fk`, ['commune_id', column], table, ['commune_id', 'id'], (c) => c.onDelete(onDelete)) as T;
}

/** Timestamps are ISO-8601 UTC text on both engines: portable and sortable. */
export const ts = 'text' as const;
export const json = 'text' as const;
export const bool = 'integer' as const;
export const nowSql = sql`CURRENT_TIMESTAMP`;
