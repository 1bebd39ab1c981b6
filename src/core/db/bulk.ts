import { CompiledQuery } from 'kysely';
import type SQLite from 'better-sqlite3';
import { engineOf, type AnyDB } from './index.ts';

/**
 * Multi-row INSERTs for bulk loads (synthetic data, imports): the statement text is built once per
 * batch size and only the values change, which skips the query builder's per-value cost. Run it
 * inside a transaction; rows are arrays in `columns` order. Placeholders are the one dialect
 * difference (`?` on SQLite, `$n` on PostgreSQL).
 */
const IDENT = /^[a-z_][a-z0-9_]*$/;
/** Below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
const MAX_PARAMS = 30_000;

const statements = new Map<string, string>();

function statement(engine: string, table: string, columns: string[], rows: number): string {
  const key = `${engine}|${table}|${columns.join(',')}|${rows}`;
  let s = statements.get(key);
  if (!s) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (engine === 'sqlite' ? '?' : `$${++n}`)).join(',')})`;
    s = `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: rows }, tuple).join(',')}`;
    if (statements.size > 200) statements.clear();
    statements.set(key, s);
  }
  return s;
}

const prepared = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * Inserts `rows` into `table`, as many per statement as the parameter limit allows. With the
 * SQLite handle of the same connection (`Database.sqlite`), statements are prepared once and
 * reused, which saves a tenth of a bulk load; call it inside the Kysely transaction all the same.
 */
export async function insertMany(db: AnyDB, table: string, columns: string[], rows: unknown[][], sqliteHandle?: SQLite.Database): Promise<void> {
  for (const id of [table, ...columns]) if (!IDENT.test(id)) throw new Error(`insertMany: invalid identifier ${id}`);
  const engine = engineOf(db);
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const n = Math.min(per, rows.length - i);
    const params = new Array(n * columns.length);
    for (let r = 0, k = 0; r < n; r++) {
      const row = rows[i + r];
      for (let c = 0; c < columns.length; c++) params[k++] = row[c] === undefined ? null : row[c];
    }
    const text = statement(engine, table, columns, n);
    if (engine === 'sqlite' && sqliteHandle) {
      let cache = prepared.get(sqliteHandle);
      if (!cache) prepared.set(sqliteHandle, (cache = new Map()));
      let st = cache.get(text);
      if (!st) { if (cache.size > 50) cache.clear(); st = sqliteHandle.prepare(text); cache.set(text, st); }
      st.run(params);
    } else {
      await db.executeQuery(CompiledQuery.raw(text, params));
    }
  }
}

/**
 * After rows were inserted with explicit ids, moves PostgreSQL's id sequence past them (SQLite
 * takes the next rowid from the table itself).
 */
export async function resetIdSequence(db: AnyDB, table: string): Promise<void> {
  if (!IDENT.test(table)) throw new Error(`resetIdSequence: invalid identifier ${table}`);
  if (engineOf(db) === 'sqlite') return;
  await db.executeQuery(CompiledQuery.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), 1))`, []));
}

/**
 * Refreshes the planner's statistics of tables just bulk-loaded. Without them SQLite assumes that
 * `commune_id = ?` picks about ten rows, and may scan a whole commune through a covering index
 * instead of looking up a few ids (Open311's duplicate references: 87 ms instead of 0.1 ms on
 * 200,000 requests, measured for issue 5). SQLite samples (the connection's analysis_limit, set
 * on open); PostgreSQL analyses each table (autovacuum would, later).
 */
export async function analyzeTables(db: AnyDB, tables: string[]): Promise<void> {
  for (const t of tables) if (!IDENT.test(t)) throw new Error(`analyzeTables: invalid identifier ${t}`);
  for (const t of tables) await db.executeQuery(CompiledQuery.raw(`ANALYZE ${t}`, []));
}

