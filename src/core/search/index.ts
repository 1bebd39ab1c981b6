/**
 * The platform-wide search: what modules register, how they keep the index up to date, how it is read.
 *
 * A module makes content searchable by listing `SearchSource`s in its manifest (`search`), one per
 * kind of item, and by calling `indexDoc` in the transaction of every mutation that changes what an
 * item shows in public (its title, its text, whether it is public at all):
 *
 * ```ts
 * // in the module's manifest (index.ts)
 * search: [{ kind: 'document', labelKey: 'transparency.search.document', all: (ctx) => service.searchDocuments(ctx) }],
 * // in the service, inside mutate(ctx, …, async (trx) => { …; await indexDoc(trx, ctx.commune.id, toSearchDoc(row)); … })
 * ```
 *
 * Rules for the owning module:
 * - `visible` is the module's decision: false for anything the public may not see (hidden, embargoed,
 *   withdrawn, private, draft). `indexDoc` with `visible: false` removes the item, so one call after
 *   every change is enough, whatever the change was. Deleting an item: `removeDoc`.
 * - `title` and `text` hold only what the public page of the item shows. Never personal data that the
 *   page does not show (a reporter's email, phone, hidden name; internal notes or evidence).
 * - `all(ctx)` yields every item of the kind in the commune of `ctx` (visible or not: invisible ones
 *   are skipped), in batches read with keyset pagination (a million requests are not one array).
 *   It is called by `npx commune search reindex` and at the end of the demo load (`rebuildIndex`).
 *
 * Text is normalised in TypeScript (./normalize.ts), identically for the index and for queries on
 * both engines; the SQL is in src/core/db/fulltext.ts. The first MAX_INDEXED_CHARS characters of an
 * item's text are indexed (a 50 KB document is searched on its first 32,000 characters: about 5,000
 * words, ten pages; the title always entirely), and the first SNIPPET_SOURCE_CHARS of each of its
 * languages are kept for snippets (a match further in shows the beginning of the text).
 */
import type { AnyDB } from '../db/index.ts';
import { LOCALES, type Locale, type Translated } from '../i18n/index.ts';
import type { Ctx } from '../service.ts';
import { appendAudit } from '../audit/index.ts';
import { noteCommit } from '../audit/index.ts';
import {
  writeIndexed, deleteIndexed, countMatches, countByKind, rankedMatches, lastIndexedId, deleteIndexedUpTo, optimizeIndex, completions, type Match,
} from '../db/fulltext.ts';
import { tokens, queryTokens } from './normalize.ts';
import { snippet, type SnippetPart } from './snippet.ts';

export { snippetHtml, snippetText, type SnippetPart } from './snippet.ts';
export { normalize, tokens, fold } from './normalize.ts';

export interface SearchDoc {
  /** 'document' | 'deliberation' | 'commitment' | 'action' | 'request' | 'body' …: letters, digits and `_`, unique across modules. */
  kind: string;
  /** Stable id within the kind (a database id or a public reference). */
  key: string;
  /** Shown in results in the reader's language, indexed in every language with a higher weight. */
  title: Translated;
  /**
   * Body text to index (summary, extracted text…; any language, French and Arabic mixed). A translated
   * text ({fr, ar, en}) is indexed in every language, and the snippet is taken from the reader's
   * language when it holds a match (else from the first language that does).
   */
  text: string | Translated;
  /** The public page after the locale, e.g. '/documents/12'. */
  path: string;
  /** ISO date (or date-time), shown and usable for sorting. */
  date?: string | null;
  /** false: removed from / kept out of the index (hidden, embargoed, withdrawn, private). */
  visible: boolean;
}

export interface SearchSource {
  kind: string;
  /** Catalog key of the kind's name (the kind filter on the results page). */
  labelKey: string;
  /** Every doc of this kind in the commune of `ctx`, for a full rebuild. Stream/batch it. */
  all(ctx: Ctx): AsyncIterable<SearchDoc>;
}

/** Characters of an item's text that are indexed and kept (see above). */
export const MAX_INDEXED_CHARS = 32_000;
/** Characters of each language of an item's text kept for its snippets (a snippet is read from these, never from the whole text). */
export const SNIPPET_SOURCE_CHARS = 3000;
/** Matches that can be paged through for one query, and the total's cap ("more than 1,000"). */
export const RANK_WINDOW = 1000;
/** The cap of each kind's count in the kind filter ("more than 100"): each is one more bounded count per search. */
export const KIND_COUNT_CAP = 100;
export const PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 50;

const KIND_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** Checks the registered sources: well-formed kinds, none twice (throws at start-up). */
export function checkSources(sources: SearchSource[]): SearchSource[] {
  const seen = new Set<string>();
  for (const s of sources) {
    if (!KIND_RE.test(s.kind)) throw new Error(`Search kind "${s.kind}": letters, digits and _ only, starting with a letter.`);
    if (seen.has(s.kind)) throw new Error(`Search kind "${s.kind}" is registered twice.`);
    seen.add(s.kind);
  }
  return sources;
}

/** A text cut at `max` characters, on a word boundary when one is near. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return text.slice(0, cut > max - 200 ? cut : max);
}

/** The texts of a doc that are indexed, `max` characters in all (its languages in the order of LOCALES, each cut to what is left). */
function capTexts(text: string | Translated | null | undefined, max = MAX_INDEXED_CHARS): string | Translated {
  if (typeof text === 'string' || !text) return cap(text ?? '', max);
  const out: Translated = {};
  let left = max;
  for (const l of LOCALES) {
    const t = text[l];
    if (typeof t !== 'string' || !t.trim() || left <= 0) continue;
    out[l] = cap(t, left);
    left -= out[l]!.length;
  }
  return out;
}

/** What is kept for snippets: the beginning of each language's indexed text. */
function snippetSource(text: string | Translated): string | Translated {
  if (typeof text === 'string') return cap(text, SNIPPET_SOURCE_CHARS);
  return Object.fromEntries(Object.entries(text).map(([l, t]) => [l, cap(t as string, SNIPPET_SOURCE_CHARS)]));
}

/** The stored body (JSON: a string or {fr, ar, en}) as texts, the reader's language first. */
function storedTexts(body: string, locale: Locale): string[] {
  let v: unknown;
  try { v = JSON.parse(body); } catch { return [body]; }
  if (typeof v === 'string') return [v];
  if (!v || typeof v !== 'object') return [];
  const t = v as Translated;
  return [locale, ...LOCALES.filter((l) => l !== locale)].map((l) => t[l]).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** The snippet from the first text (reader's language first) that holds a match; else the beginning of the first. */
function bestSnippet(body: string, locale: Locale, terms: string[], prefixLast: boolean): SnippetPart[] {
  const texts = storedTexts(body, locale);
  for (const t of texts) {
    const parts = snippet(t, terms, prefixLast);
    if (parts.some((p) => p.match)) return parts;
  }
  return texts.length ? snippet(texts[0], terms, prefixLast) : [];
}

function checkDoc(doc: SearchDoc): void {
  if (!KIND_RE.test(doc.kind)) throw new Error(`Search kind "${doc.kind}" is not well formed.`);
  if (!doc.key || doc.key.length > 200) throw new Error(`Search key of ${doc.kind} must be 1 to 200 characters.`);
  // A path inside the site (after the locale): never another origin.
  if (!/^\/(?![/\\])[^\s]*$/.test(doc.path)) throw new Error(`Search path of ${doc.kind} ${doc.key} must start with one "/": ${doc.path}`);
}

/**
 * Incremental indexing, inside the caller's mutation transaction: upserts one doc (visible=false removes it).
 * Costs a few statements; re-indexing one item never touches another's rows.
 */
export async function indexDoc(trx: AnyDB, communeId: number, doc: SearchDoc): Promise<void> {
  checkDoc(doc);
  if (!doc.visible) return deleteIndexed(trx, communeId, doc.kind, doc.key);
  const titles = [...new Set(Object.values(doc.title).filter((t): t is string => typeof t === 'string' && t.trim() !== ''))];
  const body = capTexts(doc.text);
  const date = doc.date && /^\d{4}-\d{2}-\d{2}/.test(doc.date) ? doc.date : null;
  await writeIndexed(trx, communeId, {
    kind: doc.kind, key: doc.key, title: JSON.stringify(doc.title), body: JSON.stringify(snippetSource(body)), path: doc.path, date,
    // Each word once (see src/core/db/fulltext.ts: presence is ranked, not frequency).
    titleTokens: [...new Set(tokens(titles.join(' \n ')))], bodyTokens: [...new Set(tokens(typeof body === 'string' ? body : Object.values(body).join(' \n ')))],
  });
}

export async function removeDoc(trx: AnyDB, communeId: number, kind: string, key: string): Promise<void> {
  await deleteIndexed(trx, communeId, kind, key);
}

export interface SearchQuery {
  text: string;
  /** Only these kinds (none: every kind). */
  kinds?: string[];
  /** 1-based. */
  page: number;
  pageSize?: number;
  /** Count the matches of each of these kinds too (the filter's counts, each up to KIND_COUNT_CAP: `capped` past it). */
  countKinds?: string[];
  /** The reader's language: snippets are taken from its text first. */
  locale?: Locale;
  /** Best first (default), or newest first among the ranked window. */
  sort?: 'relevance' | 'date';
}

export interface SearchHit {
  kind: string; key: string; title: Translated; path: string; date: string | null; snippet: SnippetPart[]; score: number;
}

export interface SearchResult {
  /** Matches (of the kinds asked for), counted up to RANK_WINDOW: `capped` says "more than". */
  total: number;
  capped: boolean;
  /** Per kind of `countKinds` (empty without it). */
  counts: Record<string, { n: number; capped: boolean }>;
  rows: SearchHit[];
  /** The words searched for, normalised (empty: nothing to search for). */
  terms: string[];
  page: number;
  pageSize: number;
}

function parseTitle(json: string): Translated {
  try { const v = JSON.parse(json); return v && typeof v === 'object' ? v : {}; } catch { return {}; }
}

/**
 * The search: the words of `q.text` (normalised; every one must be found, the last one also as the
 * start of a word when it has three letters or more: completed to the indexed words that begin with it,
 * the shortest first, at most MAX_COMPLETIONS), ranked (every word in the title first, then newest
 * first: src/core/db/fulltext.ts), a page of them with their snippets. Any text is a valid query: the
 * syntax of the engines never reaches them. Pages reach RANK_WINDOW matches at most, and counts stop
 * there ("more than").
 */
export async function searchDocs(db: AnyDB, communeId: number, q: SearchQuery): Promise<SearchResult> {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? PAGE_SIZE)));
  const page = Math.max(1, Math.floor(Number.isFinite(q.page) ? q.page : 1));
  const terms = queryTokens(q.text ?? '');
  const empty: SearchResult = { total: 0, capped: false, counts: {}, rows: [], terms, page, pageSize };
  if (!terms.length) return empty;
  const prefixLast = terms[terms.length - 1].length >= 3;
  const m: Match = { tokens: terms, ...(prefixLast ? { last: await completions(db, terms[terms.length - 1]) } : {}) };
  const kinds = q.kinds?.filter((k) => KIND_RE.test(k));
  if (q.kinds && q.kinds.length && !kinds?.length) return empty;
  const offset = (page - 1) * pageSize;
  const counting = [...new Set(q.countKinds ?? [])].filter((k) => KIND_RE.test(k));
  const cap = RANK_WINDOW + 1;
  const [rows, byKind, n] = await Promise.all([
    offset < RANK_WINDOW ? rankedMatches(db, communeId, m, { kinds, limit: Math.min(pageSize, RANK_WINDOW - offset), offset, window: RANK_WINDOW, sort: q.sort ?? 'relevance' }) : Promise.resolve([]),
    // The filter's counts, each up to KIND_COUNT_CAP; the total of what was asked for, up to RANK_WINDOW.
    counting.length ? countByKind(db, communeId, m, counting, KIND_COUNT_CAP + 1) : Promise.resolve(null),
    countMatches(db, communeId, m, kinds, cap),
  ]);
  const counts: SearchResult['counts'] = {};
  for (const k of counting) {
    const c = byKind?.byKind[k] ?? 0;
    counts[k] = { n: Math.min(c, KIND_COUNT_CAP), capped: c > KIND_COUNT_CAP || (!!byKind?.partial && c > 0) };
  }
  const total = Math.min(n, RANK_WINDOW);
  const capped = n >= cap;
  return {
    total, capped, counts, terms, page, pageSize,
    rows: rows.map((r) => ({
      kind: r.kind, key: r.key, title: parseTitle(r.title), path: r.path, date: r.date, score: r.score,
      snippet: bestSnippet(r.body, q.locale ?? 'fr', terms, prefixLast),
    })),
  };
}

// ---------- Full rebuild ----------

export interface RebuildReport { kind: string; indexed: number; removed: number; ms: number }

/**
 * Rebuilds the commune's index from every source's `all`: each item written again (in transactions of
 * `batch` items, so that a rebuild of a million items never holds the database for long, and the
 * index stays usable meanwhile), then the items of each kind that were not written again removed,
 * and an audit entry `search.reindex` appended (the commune's data version changes: cached pages
 * drop their results). Kinds without a source any more are left alone (removeDoc them, or rebuild).
 */
export async function rebuildIndex(ctx: Ctx, sources: SearchSource[], opts: { batch?: number; log?: (line: string) => void } = {}): Promise<RebuildReport[]> {
  const batch = opts.batch ?? 500;
  const communeId = ctx.commune.id;
  const reports: RebuildReport[] = [];
  for (const source of checkSources(sources)) {
    const t0 = performance.now();
    const before = await lastIndexedId(ctx.db, communeId, source.kind);
    let pending: SearchDoc[] = [];
    let indexed = 0;
    const flush = async () => {
      if (!pending.length) return;
      const docs = pending;
      pending = [];
      await ctx.db.transaction().execute(async (trx) => { for (const d of docs) await indexDoc(trx, communeId, d); });
      indexed += docs.filter((d) => d.visible).length;
    };
    for await (const doc of source.all(ctx)) {
      if (doc.kind !== source.kind) throw new Error(`The source of "${source.kind}" yielded a doc of kind "${doc.kind}".`);
      pending.push(doc);
      if (pending.length >= batch) await flush();
    }
    await flush();
    let removed = 0;
    for (let n = 1; n > 0; removed += n) n = await ctx.db.transaction().execute((trx) => deleteIndexedUpTo(trx, communeId, source.kind, before));
    const ms = performance.now() - t0;
    reports.push({ kind: source.kind, indexed, removed, ms });
    opts.log?.(`  ${source.kind}: ${indexed.toLocaleString('en')} indexed, ${removed.toLocaleString('en')} removed (${(ms / 1000).toFixed(1)} s)`);
  }
  await optimizeIndex(ctx.db);
  await ctx.db.transaction().execute((trx) => appendAudit(trx, {
    communeId, actorId: ctx.actor?.userId || null, action: 'search.reindex', entity: 'search', entityId: null,
    after: Object.fromEntries(reports.map((r) => [r.kind, r.indexed])),
  }));
  noteCommit(ctx.db, communeId);
  return reports;
}
