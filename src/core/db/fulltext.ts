/**
 * The full-text index of the platform-wide search: the only SQL of it, for both engines.
 *
 * One row per searchable item in `search_docs` (commune, kind, key, the title as JSON, the beginning of
 * its text for snippets, the public path, the date), and the index over tokens that
 * src/core/search/normalize.ts made (both engines receive the same tokens, so a word matches the
 * same items on either):
 *
 * - SQLite: an FTS5 table `search_fts` (contentless, with `contentless_delete`), columns `scope`,
 *   `title`, `body`, rowid = `search_docs.id`, and `search_titles` (`scope`, `title`), the titles alone:
 *   a word's list there holds the items that have it in their title only, where `title : word` in
 *   `search_fts` reads every item that has it anywhere. The tokenizer is unicode61 without diacritic
 *   removal: it only splits the space-separated tokens it is given.
 * - PostgreSQL: two `tsvector` columns written as literals built here from the tokens (no text search
 *   parser is involved, whose idea of an Arabic letter depends on the server's locale, and no
 *   dictionary: it is the `simple` configuration's behaviour over the normalised text), without
 *   positions: `tsv` (title and text) and `title_tsv` (the title alone), each with a GIN index.
 * - `search_terms`: every token ever indexed (both engines), to complete the last word of a query
 *   (see `completions`).
 *
 * Each word is given once per item (src/core/search/index.ts deduplicates the tokens). The commune and
 * the kind are tokens of the index too (FTS5's `scope` column, lexemes beginning with `#` on PostgreSQL,
 * which no query token can produce): the index itself intersects them with the words asked for.
 *
 * Ranking (the same on both engines, issue 12's speed bar): first the items whose title holds every
 * word, then the others; within each, the most recently indexed first. Both are read from the index in
 * its own order (FTS5 `ORDER BY rowid DESC`, PostgreSQL the primary key backwards or a bitmap of the
 * GIN index) and stop at the page: no score is computed over every match. (bm25 and `ts_rank` were
 * used before: bm25 reads each query word's whole list of items to weigh it, `ts_rank` decompresses
 * the vector of every candidate; measured 25–31 searches/s with 20,000 long documents, see
 * docs/PERFORMANCE.md.) Counts stop at a cap ("more than N").
 *
 * A prefix (the last word of a query) is completed to the indexed words that begin with it, the
 * shortest first, at most MAX_COMPLETIONS (`search_terms`): FTS5 without a prefix index merges the lists of
 * every such word before returning one row, and GIN's partial match reads them all; an explicit OR of
 * the completions is read lazily by FTS5, and both engines then ask for the same words.
 */
import { sql, type CreateTableBuilder } from 'kysely';
import { engineOf, type AnyDB } from './index.ts';

// ---------- Tables ----------

/** The migration: the table, then the engine's index. */
export async function createSearchTables(db: AnyDB): Promise<void> {
  const sqlite = engineOf(db) === 'sqlite';
  let t: CreateTableBuilder<'search_docs', any> = db.schema.createTable('search_docs');
  t = sqlite
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
    : t.addColumn('id', 'serial', (c) => c.notNull())
      .addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'))
      .addPrimaryKeyConstraint('search_docs_pk', ['commune_id', 'id']);
  t = t.addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('date', 'text')
    .addUniqueConstraint('search_docs_key_u', ['commune_id', 'kind', 'key']);
  if (!sqlite) t = t.addColumn('tsv', sql`tsvector`, (c) => c.notNull());
  await t.execute();
  if (sqlite) {
    await sql`create virtual table search_fts using fts5(scope, title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  } else {
    await sql`create index search_docs_tsv_i on search_docs using gin (tsv)`.execute(db);
  }
}

/**
 * The second migration (2026-12-06): the vocabulary for completing prefixes, and on PostgreSQL the
 * title's own vector. Existing rows are carried over (their words and titles read from the index), so
 * that searching works at once; `npx commune search reindex` rewrites every row in the new form
 * (vectors without positions, bodies cut to their beginning).
 */
export async function upgradeSearchTables(db: AnyDB): Promise<void> {
  const sqlite = engineOf(db) === 'sqlite';
  if (sqlite) {
    await sql`create table search_terms (term text primary key) without rowid`.execute(db);
    await sql`create virtual table temp.search_fts_terms using fts5vocab(main, search_fts, 'col')`.execute(db);
    await sql`insert or ignore into search_terms (term) select term from temp.search_fts_terms where col in ('title', 'body')`.execute(db);
    await sql`drop table temp.search_fts_terms`.execute(db);
  } else {
    // Byte order ("C"): a prefix is an index range whatever the database's collation.
    await sql`create table search_terms (term text collate "C" primary key)`.execute(db);
    await sql`insert into search_terms (term) select word from ts_stat('select tsv from search_docs') where word not like '#%' on conflict do nothing`.execute(db);
    await sql`alter table search_docs add column title_tsv tsvector not null default ''`.execute(db);
    // The title's lexemes were weight A, the scope's D.
    await sql`update search_docs set title_tsv = strip(ts_filter(tsv, '{a,d}'))`.execute(db);
    await sql`create index search_docs_title_tsv_i on search_docs using gin (title_tsv)`.execute(db);
  }
}

/**
 * The third migration (2026-12-06): on SQLite `search_titles`, the titles' own FTS5 table, filled from
 * the titles' tokens of `search_fts`; on PostgreSQL, the GIN indexes without a pending list.
 */
export async function addTitleIndex(db: AnyDB): Promise<void> {
  if (engineOf(db) !== 'sqlite') {
    // GIN's pending list (fastupdate) is read through by every search until a vacuum merges it: with
    // long documents it held megabytes (measured: 460 pages, a few ms per query, more while a writer
    // writes). Each write now updates the index itself (slower to write, off the readers' path).
    for (const index of ['search_docs_tsv_i', 'search_docs_title_tsv_i']) {
      await sql`alter index ${sql.ref(index)} set (fastupdate = off)`.execute(db);
      await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
    }
    return;
  }
  await sql`create virtual table search_titles using fts5(scope, title, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  // The titles' tokens, read back from the index (its text is not kept), with each row's scope.
  await sql`create virtual table temp.search_fts_words using fts5vocab(main, search_fts, 'instance')`.execute(db);
  await sql`insert into search_titles (rowid, scope, title)
    select d.id, 'c' || d.commune_id || ' c' || d.commune_id || 'k' || lower(hex(d.kind)), t.words
    from (select doc, group_concat(term, ' ') as words from temp.search_fts_words where col = 'title' group by doc) t join search_docs d on d.id = t.doc`.execute(db);
  await sql`drop table temp.search_fts_words`.execute(db);
}

export type SearchTables = {
  search_docs: {
    id: number; commune_id: number; kind: string; key: string; title: string; body: string; path: string; date: string | null;
  };
  search_terms: { term: string };
};
const docs = (db: AnyDB) => db.withTables<SearchTables>();

// ---------- Scope tokens ----------

/** A kind as letters and digits (hex: any two kinds stay apart). */
const hex = (kind: string) => Buffer.from(kind, 'utf8').toString('hex');
const communeScope = (communeId: number) => `c${communeId}`;
const kindScope = (communeId: number, kind: string) => `c${communeId}k${hex(kind)}`;

// ---------- Writing ----------

export interface IndexRow {
  kind: string; key: string; title: string; body: string; path: string; date: string | null;
  titleTokens: string[]; bodyTokens: string[];
}

const tsLexeme = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The tsvector literals of a document (no positions: presence is what is searched): `tsv`, the scope
 * lexemes and every token of the title and the text; `title`, the scope lexemes and the title's tokens.
 */
export function tsvectorLiterals(communeId: number, kind: string, titleTokens: string[], bodyTokens: string[]): { tsv: string; title: string } {
  const scope = `${tsLexeme(`#${communeScope(communeId)}`)} ${tsLexeme(`#${kindScope(communeId, kind)}`)}`;
  const title = new Set(titleTokens);
  const all = new Set([...title, ...bodyTokens]);
  return { tsv: [scope, ...[...all].map(tsLexeme)].join(' '), title: [scope, ...[...title].map(tsLexeme)].join(' ') };
}

/** Removes one item from the index (nothing when it is not there). */
export async function deleteIndexed(trx: AnyDB, communeId: number, kind: string, key: string): Promise<void> {
  if (engineOf(trx) === 'sqlite') {
    // One statement finds and removes the doc (RETURNING, SQLite 3.35+), one its full-text row.
    const row = await docs(trx).deleteFrom('search_docs').where('commune_id', '=', communeId).where('kind', '=', kind).where('key', '=', key).returning('id').executeTakeFirst();
    if (!row) return;
    await sql`delete from search_fts where rowid = ${row.id}`.execute(trx);
    await sql`delete from search_titles where rowid = ${row.id}`.execute(trx);
  } else {
    await docs(trx).deleteFrom('search_docs').where('commune_id', '=', communeId).where('kind', '=', kind).where('key', '=', key).execute();
  }
}

/**
 * Puts one item in the index, replacing what was there: the row is deleted and inserted again, so
 * that its id (the order of the ranking window) says when it was last indexed.
 */
export async function writeIndexed(trx: AnyDB, communeId: number, r: IndexRow): Promise<void> {
  await deleteIndexed(trx, communeId, r.kind, r.key);
  const values = { commune_id: communeId, kind: r.kind, key: r.key, title: r.title, body: r.body, path: r.path, date: r.date };
  // The vocabulary for completions, in one statement (sorted: two writers never wait on each other crosswise).
  const terms = JSON.stringify([...new Set([...r.titleTokens, ...r.bodyTokens])].sort());
  if (engineOf(trx) === 'sqlite') {
    const { id } = await docs(trx).insertInto('search_docs').values(values as any).returning('id').executeTakeFirstOrThrow();
    const scope = `${communeScope(communeId)} ${kindScope(communeId, r.kind)}`;
    await sql`insert into search_fts (rowid, scope, title, body) values (${id}, ${scope}, ${r.titleTokens.join(' ')}, ${r.bodyTokens.join(' ')})`.execute(trx);
    await sql`insert into search_titles (rowid, scope, title) values (${id}, ${scope}, ${r.titleTokens.join(' ')})`.execute(trx);
    await sql`insert or ignore into search_terms (term) select value from json_each(${terms})`.execute(trx);
  } else {
    const v = tsvectorLiterals(communeId, r.kind, r.titleTokens, r.bodyTokens);
    await docs(trx).insertInto('search_docs').values({ ...values, tsv: sql`cast(${v.tsv} as tsvector)`, title_tsv: sql`cast(${v.title} as tsvector)` } as any).execute();
    await sql`insert into search_terms (term) select t from jsonb_array_elements_text(cast(${terms} as jsonb)) as t on conflict do nothing`.execute(trx);
  }
}

/** The highest id of a kind's items now (a full rebuild then removes those not written again). */
export async function lastIndexedId(db: AnyDB, communeId: number, kind: string): Promise<number> {
  const r = await docs(db).selectFrom('search_docs').select((eb) => eb.fn.max('id').as('m')).where('commune_id', '=', communeId).where('kind', '=', kind).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Removes a kind's items indexed up to `lastId` (those a rebuild did not write again); returns how many. */
export async function deleteIndexedUpTo(trx: AnyDB, communeId: number, kind: string, lastId: number, limit = 1000): Promise<number> {
  const ids = (await docs(trx).selectFrom('search_docs').select('id').where('commune_id', '=', communeId).where('kind', '=', kind).where('id', '<=', lastId).limit(limit).execute()).map((r) => r.id);
  if (!ids.length) return 0;
  if (engineOf(trx) === 'sqlite') {
    for (const id of ids) {
      await sql`delete from search_fts where rowid = ${id}`.execute(trx);
      await sql`delete from search_titles where rowid = ${id}`.execute(trx);
    }
  }
  await docs(trx).deleteFrom('search_docs').where('commune_id', '=', communeId).where('id', 'in', ids).execute();
  return ids.length;
}

/** SQLite: merges the index's segments (after a rebuild; searches read fewer b-trees). */
export async function optimizeIndex(db: AnyDB): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
    await sql`insert into search_titles (search_titles) values ('optimize')`.execute(db);
  }
  else await sql`analyze search_docs`.execute(db);
}

// ---------- Reading ----------

/**
 * What is asked: every token, the last one maybe completed. `last`, when set, replaces the last token
 * by any of these words (its completions, see `completions`; empty: nothing matches).
 */
export interface Match { tokens: string[]; last?: string[] }

/** Completions of a prefix taken at most (the shortest indexed words that begin with it). */
export const MAX_COMPLETIONS = 8;
/**
 * The indexed words that begin with `prefix` (itself included when it is one), the shortest first, at
 * most `max`: an index range of `search_terms`, sorted in the database.
 */
export async function completions(db: AnyDB, prefix: string, max = MAX_COMPLETIONS): Promise<string[]> {
  // Up to the last string that begins with the prefix (tokens are letters and digits; byte order on both engines).
  const rows = await docs(db).selectFrom('search_terms').select('term').where('term', '>=', prefix).where('term', '<', `${prefix}\u{10FFFF}`)
    .orderBy(sql`length(term)`).orderBy('term').limit(max).execute();
  return rows.map((r) => r.term).filter((t) => t.startsWith(prefix));
}

const ftsWord = (t: string) => `"${t.replace(/"/g, '""')}"`;

/** FTS5: the words, every one required (the last: any of its completions). Empty when nothing can match. */
function ftsWords(m: Match): string {
  const words = (m.last ? m.tokens.slice(0, -1) : m.tokens).map(ftsWord);
  if (m.last) words.push(m.last.length === 1 ? ftsWord(m.last[0]) : `(${m.last.map(ftsWord).join(' OR ')})`);
  return words.join(' AND ');
}

function ftsScope(communeId: number, kinds?: string[]): string {
  return kinds?.length ? `scope : (${kinds.map((k) => `"${kindScope(communeId, k)}"`).join(' OR ')})` : `scope : "${communeScope(communeId)}"`;
}

/** The FTS5 query: the commune (or the kinds) in `scope`, every word in the title or the body (of `search_fts`), or in the title (of `search_titles`). */
function fts5Query(communeId: number, m: Match, kinds: string[] | undefined, where: 'any' | 'title' = 'any'): string {
  return `${ftsScope(communeId, kinds)} AND ${where === 'title' ? 'title' : '{title body}'} : (${ftsWords(m)})`;
}

/** tsquery: every word (the last: any of its completions). */
function tsWords(m: Match): string {
  const words = (m.last ? m.tokens.slice(0, -1) : m.tokens).map(tsLexeme);
  if (m.last) words.push(`(${m.last.map(tsLexeme).join(' | ')})`);
  return words.join(' & ');
}

/** The tsquery that selects: scope & every word. */
function tsQuery(communeId: number, m: Match, kinds?: string[]): string {
  const scope = kinds?.length ? `(${kinds.map((k) => tsLexeme(`#${kindScope(communeId, k)}`)).join(' | ')})` : tsLexeme(`#${communeScope(communeId)}`);
  return `${scope} & ${tsWords(m)}`;
}

/**
 * PostgreSQL: runs a bounded count with the GIN bitmap as its only way in. With `LIMIT n` the planner
 * would rather read the table in order until n rows match (measured: 63 ms to find 1,001 of 20,000
 * long documents, each one's vector decompressed on the way, against 8 ms through the index); the
 * settings hold for this transaction only.
 */
async function throughGin<T>(db: AnyDB, f: (db: AnyDB) => Promise<T>): Promise<T> {
  if (db.isTransaction) return f(db);
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
    return f(trx);
  });
}

const nothing = (m: Match) => !m.tokens.length || (m.last !== undefined && m.last.length === 0);

/** How many items match, counted up to `cap` (then `cap` is returned: "more than"). */
export async function countMatches(db: AnyDB, communeId: number, m: Match, kinds: string[] | undefined, cap: number): Promise<number> {
  if (nothing(m)) return 0;
  if (engineOf(db) === 'sqlite') {
    const r = await sql<{ n: number }>`select count(*) as n from (select rowid from search_fts where search_fts match ${fts5Query(communeId, m, kinds)} limit ${cap})`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }
  const r = await throughGin(db, (d) => sql<{ n: number }>`select count(*) as n from (select 1 from search_docs where tsv @@ cast(${tsQuery(communeId, m, kinds)} as tsquery) limit ${cap}) x`.execute(d));
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * How many items of each kind match: on SQLite each counted up to `cap` (a count that reaches it says
 * "at least"); on PostgreSQL the first `cap` matches of all of them, by kind (`partial`: every count
 * says "at least").
 */
export async function countByKind(db: AnyDB, communeId: number, m: Match, kinds: string[], cap: number): Promise<{ byKind: Record<string, number>; partial: boolean }> {
  const byKind: Record<string, number> = Object.fromEntries(kinds.map((k) => [k, 0]));
  if (nothing(m)) return { byKind, partial: false };
  if (engineOf(db) === 'sqlite') {
    // One bounded count per kind, read from the index alone (each kind's scope token narrows it).
    for (const k of kinds) byKind[k] = await countMatches(db, communeId, m, [k], cap);
    return { byKind, partial: false };
  }
  // PostgreSQL: every GIN scan reads the words' lists whole, however few rows it returns: one scan for
  // all the kinds, the first `cap` matches counted by kind (partial when `cap` is reached: "at least").
  const r = await throughGin(db, (d) => sql<{ kind: string; n: number }>`select kind, count(*) as n from (select kind from search_docs where tsv @@ cast(${tsQuery(communeId, m, kinds)} as tsquery) limit ${cap}) x group by kind`.execute(d));
  let total = 0;
  for (const row of r.rows) { byKind[row.kind] = Number(row.n); total += Number(row.n); }
  return { byKind, partial: total >= cap };
}

export interface Ranked { id: number; kind: string; key: string; title: string; body: string; path: string; date: string | null; score: number }

/** The ids of the items whose title holds every word, newest first: the first `limit`. */
async function titleIds(db: AnyDB, communeId: number, m: Match, kinds: string[] | undefined, limit: number): Promise<number[]> {
  if (limit <= 0) return [];
  const r = engineOf(db) === 'sqlite'
    ? await sql<{ id: number }>`select rowid as id from search_titles where search_titles match ${fts5Query(communeId, m, kinds, 'title')} order by rowid desc limit ${limit}`.execute(db)
    : await sql<{ id: number }>`select id from search_docs where commune_id = ${communeId} and title_tsv @@ cast(${tsQuery(communeId, m, kinds)} as tsquery) order by id desc limit ${limit}`.execute(db);
  return r.rows.map((x) => Number(x.id));
}

/** The ids of the other matches (`except`: every title match, all of them), newest first: `limit` of them after `offset`. */
async function otherIds(db: AnyDB, communeId: number, m: Match, kinds: string[] | undefined, except: number[], limit: number, offset: number): Promise<number[]> {
  if (limit <= 0) return [];
  if (engineOf(db) === 'sqlite') {
    // Read in the index's order, the title matches among them skipped here (there are fewer than the page's end).
    const skip = new Set(except);
    const r = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${fts5Query(communeId, m, kinds)} order by rowid desc limit ${offset + limit + skip.size}`.execute(db);
    return r.rows.map((x) => Number(x.id)).filter((id) => !skip.has(id)).slice(offset, offset + limit);
  }
  const q = tsQuery(communeId, m, kinds);
  const r = await sql<{ id: number }>`select id from search_docs where commune_id = ${communeId} and tsv @@ cast(${q} as tsquery) and not (title_tsv @@ cast(${q} as tsquery))
      order by id desc limit ${limit} offset ${offset}`.execute(db);
  return r.rows.map((x) => Number(x.id));
}

async function rowsOf(db: AnyDB, communeId: number, ids: number[]): Promise<Omit<Ranked, 'score'>[]> {
  if (!ids.length) return [];
  return docs(db).selectFrom('search_docs').select(['id', 'kind', 'key', 'title', 'body', 'path', 'date']).where('commune_id', '=', communeId).where('id', 'in', ids).execute();
}

/**
 * A page of matches, best first (see the ranking above): the items whose title holds every word, then
 * the others, each newest first; `offset` counts from the first. `score` is 2 for a title match, 1 for
 * the others. With `sort: 'date'`: the `window` most recently indexed matches, by their date.
 */
export async function rankedMatches(db: AnyDB, communeId: number, m: Match, o: { kinds?: string[]; limit: number; offset: number; window: number; sort?: 'relevance' | 'date' }): Promise<Ranked[]> {
  if (nothing(m) || o.limit <= 0) return [];
  if (o.sort === 'date') {
    const ids = engineOf(db) === 'sqlite'
      ? (await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${fts5Query(communeId, m, o.kinds)} order by rowid desc limit ${o.window}`.execute(db)).rows.map((x) => Number(x.id))
      : (await sql<{ id: number }>`select id from search_docs where commune_id = ${communeId} and tsv @@ cast(${tsQuery(communeId, m, o.kinds)} as tsquery) order by id desc limit ${o.window}`.execute(db)).rows.map((x) => Number(x.id));
    const rows = (await rowsOf(db, communeId, ids)).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.id - a.id);
    return rows.slice(o.offset, o.offset + o.limit).map((x) => ({ ...x, score: 1 }));
  }
  // The title matches this page needs (all of them up to its end: their number says where the others start).
  const title = await titleIds(db, communeId, m, o.kinds, o.offset + o.limit);
  const onPage = title.slice(o.offset);
  const rest = onPage.length < o.limit ? await otherIds(db, communeId, m, o.kinds, title, o.limit - onPage.length, Math.max(0, o.offset - title.length)) : [];
  const byId = new Map((await rowsOf(db, communeId, [...onPage, ...rest])).map((x) => [Number(x.id), x]));
  const titled = new Set(onPage);
  return [...onPage, ...rest].map((id) => byId.get(id)).filter((x): x is NonNullable<typeof x> => !!x).map((x) => ({ ...x, id: Number(x.id), score: titled.has(Number(x.id)) ? 2 : 1 }));
}
