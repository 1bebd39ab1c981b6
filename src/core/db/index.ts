import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import {
  Kysely, PostgresDialect, SqliteDialect, SqliteDriver, SqliteAdapter, CompiledQuery, sql,
  type Transaction, type Driver, type DatabaseConnection, type SqliteDialectConfig,
} from 'kysely';
import type { CoreTables } from './tables.ts';

export type Engine = 'sqlite' | 'postgres';
// Module repos widen this with `db.withTables<TheirTables>()`.
export type DB = Kysely<CoreTables>;
export type Trx = Transaction<CoreTables>;
export type AnyDB = Kysely<any>;

export interface Database {
  db: DB;
  engine: Engine;
  /** SQLite file path and handle, when the engine is SQLite (backups use its online backup API). */
  file?: string;
  sqlite?: SQLite.Database;
  /** PostgreSQL schema, when not the default one. */
  schema?: string;
  /**
   * Calls `fn` with the SQL of every statement this database runs from now on (BEGIN, COMMIT and
   * savepoints included), until the returned function is called. The tests count statements per
   * HTTP request with it (test/helpers.ts `countStatements`).
   */
  observe(fn: (sql: string) => void): () => void;
  close(): Promise<void>;
}

/** Kysely's log hook, fanned out to the observers of one database; nothing to do while there are none. */
function observers() {
  const set = new Set<(sql: string) => void>();
  return {
    log: (e: { query: { sql: string } }) => { for (const fn of set) fn(e.query.sql); },
    observe(fn: (sql: string) => void) { set.add(fn); return () => { set.delete(fn); }; },
  };
}

/**
 * The pg driver, loaded when a database URL asks for PostgreSQL (a SQLite process does without its
 * 16 MB). int8 (COUNT, SUM) arrives as a string from pg; our counts fit in a JS number.
 */
let pgModule: Promise<typeof pg> | undefined;
function loadPg(): Promise<typeof pg> {
  return (pgModule ??= import('pg').then((m) => {
    const driver = m.default;
    driver.types.setTypeParser(20, (v) => Number(v));
    driver.types.setTypeParser(1700, (v) => Number(v));
    return driver;
  }));
}

export interface OpenOptions {
  databaseUrl?: string;
  schema?: string;
  dataDir: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
    const pg = await loadPg();
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    if (opts.schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`Invalid schema name: ${opts.schema}`);
      const c = await pool.connect();
      try { await c.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`); } finally { c.release(); }
    }
    const seen = observers();
    const db = new Kysely<CoreTables>({ dialect: new PostgresDialect({ pool }), log: seen.log });
    await sql`select 1`.execute(db);
    return { db, engine: 'postgres', schema: opts.schema, observe: seen.observe, close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, 'commune.db');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Planner statistics (sqlite_stat1) for tables that have none or grew tenfold since: sampled
  // (analysis_limit), so that it takes milliseconds even on a million requests. Without them a
  // query such as `commune_id = ? and id in (…)` scans the commune (issue 5, docs/PERFORMANCE.md).
  database.pragma('analysis_limit = 1000');
  database.pragma('optimize = 0x10002');
  const seen = observers();
  const db = new Kysely<CoreTables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }), log: seen.log });
  const foreignCommits = database.prepare('pragma data_version').pluck();
  const ownChanges = database.prepare('select total_changes()').pluck();
  // Read once per turn of the event loop: the requests that arrive together share the reading. A
  // commit by this process in the same turn goes through `noteCommit`, which does not wait for the mark.
  let turnMark: string | null | undefined;
  const forget = () => { turnMark = undefined; };
  changeMarks.set(db, () => {
    if (turnMark !== undefined) return turnMark;
    // Busy while a streamed result is read through this connection (an export): then it cannot tell.
    try { turnMark = `${foreignCommits.get()}:${ownChanges.get()}`; } catch { turnMark = null; }
    setImmediate(forget);
    return turnMark;
  });
  return { db, engine: 'sqlite', file, sqlite: database, observe: seen.observe, close: () => db.destroy() };
}

const changeMarks = new WeakMap<object, () => string | null>();

/**
 * SQLite: a mark that changes whenever the file may have changed, by this connection (rows written,
 * `total_changes()`) or by another one, another process's included (`PRAGMA data_version`); read
 * without a query through Kysely (microseconds). Undefined on PostgreSQL, where no such counter
 * exists; null when it cannot tell right now.
 */
export function changeMark(db: AnyDB): (() => string | null) | undefined {
  return changeMarks.get(db);
}

/**
 * Transactions begin with BEGIN IMMEDIATE: the write lock is taken first, waiting (busy_timeout)
 * while another process writes. A plain (deferred) BEGIN reads first and asks for the write lock
 * later; if another process wrote in between (a CLI command run beside the server, `apikey add`,
 * or a connection opening the database), SQLite refuses at once with SQLITE_BUSY, without waiting:
 * measured, a hundred small writes from another process while the server took Open311 submissions
 * made 73 of 246 submissions fail with a server error, and 0 of 193 with BEGIN IMMEDIATE.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) { super(config); this.#config = config; }
  override createDriver(): Driver { return new ImmediateSqliteDriver(this.#config); }
}

/**
 * Kysely prepares a statement for every query it runs; preparing costs as much as running a
 * simple query. Statements are kept by SQL text (the most recent few hundred) and reused, unless
 * one is still busy (a streamed result being read), in which case a fresh one is prepared.
 */
function withStatementCache(database: SQLite.Database, max = 400) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string): SQLite.Statement {
      const hit = cache.get(source);
      if (hit && !hit.busy) return hit;
      const stmt = database.prepare(source);
      if (!hit) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(source, stmt);
      }
      return stmt;
    },
    close: () => database.close(),
  };
}

export function engineOf(db: AnyDB): Engine {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/**
 * Serialises writers of one commune on PostgreSQL (SQLite already has one writer). `FOR NO KEY UPDATE`, not
 * `FOR UPDATE`: a transaction that already inserted a row referencing the commune holds the row's KEY SHARE lock
 * (the foreign-key check), which FOR UPDATE conflicts with; two such transactions locking at the end (the
 * audit entry) then deadlocked each other. NO KEY UPDATE still excludes every other locker.
 */
export async function lockCommune(trx: AnyDB, communeId: number): Promise<void> {
  if (engineOf(trx) === 'postgres') {
    await sql`select id from communes where id = ${communeId} for no key update`.execute(trx);
  }
}

/** Case-insensitive "contains" filter, the one dialect difference in searches. */
export function containsInsensitive(engine: Engine, column: string, needle: string) {
  const pattern = `%${needle.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return engine === 'postgres'
    ? sql<boolean>`${sql.ref(column)} ilike ${pattern} escape '\\'`
    : sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

export { sql };
