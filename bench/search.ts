/**
 * The search benchmark's data (`npm run bench -- --only search`): the default commune's content
 * indexed with `commune search reindex --commune SLUG` (its requests, plans, bodies), then N synthetic
 * documents of about KB kilobytes each (bench/search-docs.ts, kind `bench_document`) indexed through
 * `indexDoc` as a module's service would; recorded in DIR/bench-search.json so that a kept data
 * directory is indexed once. Also the writer that re-indexes documents in a loop during a run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../src/core/db/index.ts';
import { indexDoc, MAX_INDEXED_CHARS } from '../src/core/search/index.ts';
import { optimizeIndex } from '../src/core/db/fulltext.ts';
import { syntheticDoc } from './search-docs.ts';
import { cli, int, type BenchStore } from './lib.ts';

export interface SearchSpec { docs: number; kb: number; seed: number }

export async function prepareSearch(store: BenchStore, database: Database, commune: { id: number; slug: string }, spec: SearchSpec): Promise<{ loaded: boolean; seconds: number; docs: number }> {
  const marker = path.join(store.dataDir, 'bench-search.json');
  // format: the index's layout (2: vectors without positions, snippets' sources cut, the completions' vocabulary).
  const want = { ...spec, commune: commune.slug, cap: MAX_INDEXED_CHARS, format: 2 };
  if (fs.existsSync(marker)) {
    const had = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (had.docs === want.docs && had.kb === want.kb && had.seed === want.seed && had.commune === want.commune && had.cap === want.cap && had.format === want.format) return { loaded: false, seconds: had.seconds, docs: had.docs };
  }
  const t0 = performance.now();
  if (!fs.existsSync(marker) || !JSON.parse(fs.readFileSync(marker, 'utf8')).reindexed) {
    console.log(`Indexing ${commune.slug}'s content: commune search reindex --commune ${commune.slug}`);
    await cli(store, ['search', 'reindex', '--commune', commune.slug], { echo: true });
    fs.writeFileSync(marker, `${JSON.stringify({ reindexed: true, reindexSeconds: (performance.now() - t0) / 1000 })}\n`);
  }
  console.log(`Indexing ${int(spec.docs)} synthetic documents of about ${spec.kb} KB (bench_document, seed ${spec.seed})…`);
  const t1 = performance.now();
  const batch = 50;
  for (let i = 0; i < spec.docs; i += batch) {
    const docs = Array.from({ length: Math.min(batch, spec.docs - i) }, (_, j) => syntheticDoc(spec.seed, i + j, spec.kb));
    await database.db.transaction().execute(async (trx) => { for (const d of docs) await indexDoc(trx, commune.id, d); });
    if ((i / batch) % 40 === 0) process.stdout.write(`  ${int(i)}…\r`);
  }
  // As `commune search reindex` leaves it: SQLite's segments merged, PostgreSQL's statistics up to date.
  await optimizeIndex(database.db);
  const seconds = (performance.now() - t0) / 1000;
  const docSeconds = (performance.now() - t1) / 1000;
  console.log(`  ${int(spec.docs)} documents indexed in ${docSeconds.toFixed(1)} s (${int(spec.docs / docSeconds)} documents/s).`);
  fs.writeFileSync(marker, `${JSON.stringify({ ...want, reindexed: true, seconds, docSeconds, at: new Date().toISOString() }, null, 2)}\n`);
  return { loaded: true, seconds, docs: spec.docs };
}

/**
 * Re-indexes synthetic documents one after the other (each in its own transaction, as a service's
 * mutation would) until stopped; resolves with how many it wrote and their latencies.
 */
export function startWriter(database: Database, communeId: number, spec: SearchSpec): () => Promise<{ writes: number; seconds: number; p50: number; p99: number }> {
  let stop = false;
  const times: number[] = [];
  const t0 = performance.now();
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const d = syntheticDoc(spec.seed, (i * 7919) % spec.docs, spec.kb);
      d.title = { ...d.title, fr: `${d.title.fr} (révision ${i})` };
      const s = performance.now();
      await database.db.transaction().execute((trx) => indexDoc(trx, communeId, d));
      times.push(performance.now() - s);
      await new Promise((r) => setImmediate(r));
    }
  })();
  return async () => {
    stop = true;
    await loop;
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
    return { writes: times.length, seconds: (performance.now() - t0) / 1000, p50: q(0.5), p99: q(0.99) };
  };
}
