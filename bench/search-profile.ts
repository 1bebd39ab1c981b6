/**
 * Where a search's time goes, phase by phase, on a data directory the search benchmark built
 * (`npm run bench -- --data DIR --only search`, on SQLite or with DATABASE_URL on PostgreSQL):
 *
 *   node --import tsx bench/search-profile.ts --data DIR [--queries 500] [--explain]
 *
 * It runs the benchmark's unique queries one at a time (no concurrency: the cost of each phase, not
 * queueing) through the functions the search page uses — completing the last word, the title tier,
 * the other matches, the capped count of each kind, the page's rows, the snippets — and prints the
 * median, p90 and p99 of each, and of the whole `searchDocs` (wall time, and the CPU time of this
 * process: on SQLite the whole search, SQL included, which a busy machine does not inflate as much). With --explain, the plans of a common
 * and a rare query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../src/core/db/index.ts';
import { completions, countByKind, countMatches, rankedMatches, type Match } from '../src/core/db/fulltext.ts';
import { searchDocs, snippetText, RANK_WINDOW, KIND_COUNT_CAP } from '../src/core/search/index.ts';
import { queryTokens } from '../src/core/search/normalize.ts';
import { searchSources } from '../src/platform.ts';
import { syntheticQueries } from './search-docs.ts';
import { benchStore, ms } from './lib.ts';

const { values: o } = parseArgs({ options: { data: { type: 'string' }, queries: { type: 'string', default: '500' }, explain: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' } } });
if (!o.data) throw new Error('--data DIR: a directory the search benchmark built');
const store = benchStore({ data: o.data, prefix: 'search-profile' });
const database = await openDatabase({ databaseUrl: store.pgUrl, schema: store.schema, dataDir: store.dataDir });
const db = database.db as any;
const commune = await db.selectFrom('communes').select(['id']).where('slug', '=', 'tetouan').executeTakeFirstOrThrow();
const kinds = [...searchSources().map((s) => s.kind), 'bench_document'];
// Another seed than the benchmark's run: the same law, other queries.
const queries = syntheticQueries(Number(o.seed) + 1000, Number(o.queries), (q) => queryTokens(q).join(' '));

const phases: Record<string, number[]> = {};
let group = '';
const cpuPhases: Record<string, number[]> = {};
const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try { return await f(); } finally {
    (phases[`${name}${group}`] ??= []).push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    (cpuPhases[`${name}${group}`] ??= []).push((c.user + c.system) / 1000);
  }
};
for (const text of queries) {
  const terms = queryTokens(text);
  const prefix = terms[terms.length - 1].length >= 3;
  // Split: the last word completed (a prefix of three letters or more) or taken as it is.
  group = prefix ? ' · prefix' : ' · words';
  const last = prefix ? await time('completions', () => completions(db, terms[terms.length - 1])) : undefined;
  const m: Match = { tokens: terms, ...(last ? { last } : {}) };
  await time('page (title tier, others, rows)', () => rankedMatches(db, commune.id, m, { kinds, limit: 20, offset: 0, window: RANK_WINDOW }));
  await time('page 5 (offset 80)', () => rankedMatches(db, commune.id, m, { kinds, limit: 20, offset: 80, window: RANK_WINDOW }));
  await time(`counts by kind (${kinds.length} kinds, up to ${KIND_COUNT_CAP + 1})`, () => countByKind(db, commune.id, m, kinds, KIND_COUNT_CAP + 1));
  await time(`total (up to ${RANK_WINDOW + 1})`, () => countMatches(db, commune.id, m, kinds, RANK_WINDOW + 1));
  const cpu0 = process.cpuUsage();
  const r = await time('searchDocs (all of it, snippets included)', () => searchDocs(db, commune.id, { text, kinds, page: 1, countKinds: kinds, locale: 'fr' }));
  // CPU time of this process (on SQLite: the whole search, SQL included; on PostgreSQL: without the server's part).
  const cpu = process.cpuUsage(cpu0);
  (phases[`searchDocs, CPU time of this process${group}`] ??= []).push((cpu.user + cpu.system) / 1000);
  await time('snippets alone (20 rows, again)', async () => { for (const h of r.rows) snippetText(h.snippet); });
  (phases[`matches (capped)${group}`] ??= []).push(r.total);
}
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0; };
console.log(`${queries.length} queries, ${database.engine}, one at a time:`);
for (const [name, xs] of Object.entries(phases).sort(([a], [b]) => (a.split(' · ')[1] ?? '').localeCompare(b.split(' · ')[1] ?? ''))) {
  const unit = name.startsWith('matches') ? '' : ' ms';
  console.log(`  ${`${name} (${xs.length})`.padEnd(62)} p50 ${ms(q(xs, 0.5))}${unit}  p90 ${ms(q(xs, 0.9))}${unit}  p99 ${ms(q(xs, 0.99))}${unit}  max ${ms(q(xs, 1))}${unit}`);
}

console.log('CPU time of this process, per phase (on SQLite the SQL is in it; a busy machine inflates it less than wall time):');
for (const [name, xs] of Object.entries(cpuPhases)) console.log(`  ${`${name} (${xs.length})`.padEnd(62)} p50 ${ms(q(xs, 0.5))} ms  p90 ${ms(q(xs, 0.9))} ms  p99 ${ms(q(xs, 0.99))} ms`);

if (o.explain) {
  for (const text of ['budget', 'présidence39 اللجنة12']) {
    const terms = queryTokens(text);
    console.log(`\n${text}:`);
    if (database.engine === 'sqlite') {
      const r = await sql<any>`explain query plan select rowid from search_fts where search_fts match ${`scope : "c1" AND title : ("${terms.join('" AND "')}")`} order by rowid desc limit 20`.execute(db);
      for (const row of r.rows) console.log(`  ${row.detail}`);
    } else {
      const tq = `'#c${commune.id}' & ${terms.map((t) => `'${t}'`).join(' & ')}`;
      for (const s of [sql`explain (analyze, buffers) select id from search_docs where commune_id = ${commune.id} and title_tsv @@ cast(${tq} as tsquery) order by id desc limit 20`,
        sql`explain (analyze, buffers) select id from search_docs where commune_id = ${commune.id} and tsv @@ cast(${tq} as tsquery) and not (title_tsv @@ cast(${tq} as tsquery)) order by id desc limit 20`,
        sql`explain (analyze, buffers) select count(*) from (select 1 from search_docs where tsv @@ cast(${tq} as tsquery) limit 1001) x`]) {
        const r = await s.execute(db);
        console.log(r.rows.map((x: any) => `  ${x['QUERY PLAN']}`).join('\n'));
      }
    }
  }
}
await database.close();
