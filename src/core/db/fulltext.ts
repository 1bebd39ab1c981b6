/**
 * The full-text index of the platform-wide search: the only SQL of it, for both engines.
 *
 * One row per searchable item in `search_docs` (commune, kind, key, the title as JSON, the original
 * text for snippets, the public path, the date), and the index over tokens that
 * src/core/search/normalize.ts made (both engines receive the same tokens, so a word matches the
 * same items on either):
 *
 * - SQLite: an FTS5 table `search_fts` (contentless, with `contentless_delete`: the text is kept once,
 *   in `search_docs`), columns `scope`, `title`, `body`, rowid = `search_docs.id`. The tokenizer is
 *   unicode61 without diacritic removal: it only splits the space-separated tokens it is given.
 *   Ranked by bm25 with the title ten times the body. (`detail=column` was tried for smaller lists:
 *   bm25 then no longer ranked a title match above a text match; with each word once per item the
 *   positions cost one entry per item anyway.)
 * - PostgreSQL: a `tsvector` column written as a literal built here from the tokens (no text search
 *   parser is involved, whose idea of an Arabic letter depends on the server's locale, and no
 *   dictionary: it is the `simple` configuration's behaviour over the normalised text), title
 *   lexemes weight A, text lexemes weight B; a GIN index over it. Ranked by `ts_rank` with the
 *   weights {D 0.1, C 0.2, B 0.4, A 1.0}, normalised by the document's length (option 1).
 *
 * Each word is given once per item (src/core/search/index.ts deduplicates the tokens): what is ranked is
 * whether an item has the words, in its title or its text, how rare they are and how long the item is
 * — not how often it repeats them, which for long documents made every list of a common word huge
 * (measured: a query 200 ms, most of it reading the positions of words repeated hundreds of times).
 *
 * The commune and the kind are tokens of the index too (FTS5's `scope` column, lexemes beginning
 * with `#` on PostgreSQL, which no query token can produce): the index itself intersects them with
 * the words asked for, instead of every commune's matches being read and filtered.
 *
 * Ranking is bounded: the `window` most recently indexed matches are ranked (all of them when there
 * are fewer), so that a word found in a hundred thousand items costs as much as one found in a few
 * thousand; counts stop at `cap`.
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

export type SearchTables = {
  search_docs: {
    id: number; commune_id: number; kind: string; key: string; title: string; body: string; path: string; date: string | null;
  };
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

/** PostgreSQL's limits: positions up to 16,383, at most 256 positions of one lexeme. */
const PG_MAX_POS = 16383;
const PG_MAX_POSITIONS = 255;

/** The tsvector literal of a document: `'lexeme':1A,7A,12B …`, and the scope lexemes (weight D). */
export function tsvectorLiteral(communeId: number, kind: string, titleTokens: string[], bodyTokens: string[]): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (tokens: string[], weight: 'A' | 'B') => {
    for (const tok of tokens) {
      pos = Math.min(pos + 1, PG_MAX_POS);
      let list = positions.get(tok);
      if (!list) positions.set(tok, (list = []));
      if (list.length < PG_MAX_POSITIONS) list.push(`${pos}${weight}`);
    }
  };
  add(titleTokens, 'A');
  add(bodyTokens, 'B');
  // Tokens are letters and digits only (normalize.ts); the quotes are doubled all the same.
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const parts = [`${q(`#${communeScope(communeId)}`)}:1D`, `${q(`#${kindScope(communeId, kind)}`)}:1D`];
  for (const [tok, list] of positions) parts.push(`${q(tok)}:${list.join(',')}`);
  return parts.join(' ');
}

/** Removes one item from the index (nothing when it is not there). */
export async function deleteIndexed(trx: AnyDB, communeId: number, kind: string, key: string): Promise<void> {
  if (engineOf(trx) === 'sqlite') {
    // One statement finds and removes the doc (RETURNING, SQLite 3.35+), one its full-text row.
    const row = await docs(trx).deleteFrom('search_docs').where('commune_id', '=', communeId).where('kind', '=', kind).where('key', '=', key).returning('id').executeTakeFirst();
    if (!row) return;
    await sql`delete from search_fts where rowid = ${row.id}`.execute(trx);
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
  if (engineOf(trx) === 'sqlite') {
    const { id } = await docs(trx).insertInto('search_docs').values(values as any).returning('id').executeTakeFirstOrThrow();
    const scope = `${communeScope(communeId)} ${kindScope(communeId, r.kind)}`;
    await sql`insert into search_fts (rowid, scope, title, body) values (${id}, ${scope}, ${r.titleTokens.join(' ')}, ${r.bodyTokens.join(' ')})`.execute(trx);
  } else {
    const tsv = tsvectorLiteral(communeId, r.kind, r.titleTokens, r.bodyTokens);
    await docs(trx).insertInto('search_docs').values({ ...values, tsv: sql`cast(${tsv} as tsvector)` } as any).execute();
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
  if (engineOf(trx) === 'sqlite') for (const id of ids) await sql`delete from search_fts where rowid = ${id}`.execute(trx);
  await docs(trx).deleteFrom('search_docs').where('commune_id', '=', communeId).where('id', 'in', ids).execute();
  return ids.length;
}

/** SQLite: merges the index's segments (after a rebuild; searches read fewer b-trees). */
export async function optimizeIndex(db: AnyDB): Promise<void> {
  if (engineOf(db) === 'sqlite') await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
  else await sql`analyze search_docs`.execute(db);
}

// ---------- Reading ----------

export interface Match { tokens: string[]; prefixLast: boolean }

/** The FTS5 query: the commune (or the kinds) in `scope`, every word in the title or the body, each quoted. */
function fts5Query(communeId: number, m: Match, kinds?: string[]): string {
  const scope = kinds?.length ? `scope : (${kinds.map((k) => `"${kindScope(communeId, k)}"`).join(' OR ')})` : `scope : "${communeScope(communeId)}"`;
  const words = m.tokens.map((t, i) => `"${t.replace(/"/g, '""')}"${m.prefixLast && i === m.tokens.length - 1 ? ' *' : ''}`);
  return `${scope} AND {title body} : (${words.join(' AND ')})`;
}

const tsLexeme = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The words of a tsquery (no parser: cast from text), every one required, the last one maybe a prefix. */
function tsWords(m: Match): string {
  return m.tokens.map((t, i) => `${tsLexeme(t)}${m.prefixLast && i === m.tokens.length - 1 ? ':*' : ''}`).join(' & ');
}

/** The tsquery that selects: scope & every word. (Ranking uses the words alone: ts_rank weighs how near the query's lexemes are.) */
function tsQuery(communeId: number, m: Match, kinds?: string[]): string {
  const scope = kinds?.length ? `(${kinds.map((k) => tsLexeme(`#${kindScope(communeId, k)}`)).join(' | ')})` : tsLexeme(`#${communeScope(communeId)}`);
  return `${scope} & ${tsWords(m)}`;
}

/** How many items match, counted up to `cap` (then `cap` is returned: "more than"). */
export async function countMatches(db: AnyDB, communeId: number, m: Match, kinds: string[] | undefined, cap: number): Promise<number> {
  if (engineOf(db) === 'sqlite') {
    const r = await sql<{ n: number }>`select count(*) as n from (select rowid from search_fts where search_fts match ${fts5Query(communeId, m, kinds)} limit ${cap})`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }
  const r = await sql<{ n: number }>`select count(*) as n from (select 1 from search_docs where tsv @@ cast(${tsQuery(communeId, m, kinds)} as tsquery) limit ${cap}) x`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * How many items of each kind match, in one query: the first `cap` matches (any of `kinds`) counted
 * by kind. When `cap` is reached the counts are partial (each says "at least").
 */
export async function countByKind(db: AnyDB, communeId: number, m: Match, kinds: string[], cap: number): Promise<{ total: number; byKind: Record<string, number> }> {
  const r = engineOf(db) === 'sqlite'
    ? await sql<{ kind: string; n: number }>`select d.kind, count(*) as n from (select rowid as id from search_fts where search_fts match ${fts5Query(communeId, m, kinds)} limit ${cap}) w
        join search_docs d on d.id = w.id group by d.kind`.execute(db)
    : await sql<{ kind: string; n: number }>`select kind, count(*) as n from (select kind from search_docs where tsv @@ cast(${tsQuery(communeId, m, kinds)} as tsquery) limit ${cap}) x group by kind`.execute(db);
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const row of r.rows) { byKind[row.kind] = Number(row.n); total += Number(row.n); }
  return { total, byKind };
}

export interface Ranked { id: number; kind: string; key: string; title: string; body: string; path: string; date: string | null; score: number }

/**
 * A page of matches, best first: among the `window` most recently indexed matches, by bm25 (SQLite)
 * or ts_rank (PostgreSQL), ties by recency.
 */
export async function rankedMatches(db: AnyDB, communeId: number, m: Match, o: { kinds?: string[]; limit: number; offset: number; window: number; sort?: 'relevance' | 'date' }): Promise<Ranked[]> {
  if (engineOf(db) === 'sqlite') {
    const r = await sql<Ranked>`select d.id, d.kind, d.key, d.title, d.body, d.path, d.date, w.score from (
        select rowid as id, bm25(search_fts, 0.0, 10.0, 1.0) as score from search_fts where search_fts match ${fts5Query(communeId, m, o.kinds)}
        order by rowid desc limit ${o.window}
      ) w join search_docs d on d.id = w.id order by ${o.sort === 'date' ? sql`d.date desc, ` : sql``}w.score, d.id desc limit ${o.limit} offset ${o.offset}`.execute(db);
    // bm25 is negative, best lowest: shown as a positive score.
    return r.rows.map((x) => ({ ...x, score: -Number(x.score) }));
  }
  const q = tsQuery(communeId, m, o.kinds);
  const byDate = o.sort === 'date' ? sql`d.date desc nulls last, ` : sql``;
  const r = await sql<Ranked>`with w as (
        select d.id from search_docs d where d.commune_id = ${communeId} and d.tsv @@ cast(${q} as tsquery) order by d.id desc limit ${o.window}
      ), s as (
        select d.id, ts_rank('{0.1, 0.2, 0.4, 1.0}', d.tsv, cast(${tsWords(m)} as tsquery), 1) as score from search_docs d join w on w.id = d.id
        where d.commune_id = ${communeId} order by ${byDate}score desc, d.id desc limit ${o.limit} offset ${o.offset}
      )
    select d.id, d.kind, d.key, d.title, d.body, d.path, d.date, s.score from s join search_docs d on d.commune_id = ${communeId} and d.id = s.id
    order by ${byDate}s.score desc, d.id desc`.execute(db);
  return r.rows.map((x) => ({ ...x, score: Number(x.score) }));
}
