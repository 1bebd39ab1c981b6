/**
 * The application as `npm start` builds it, plus what a benchmark needs. Benchmark use only:
 * `node --import tsx bench/server.ts` with the usual environment (bench/lib.ts starts it).
 *
 * - Every response's time in the server (from the request's arrival to the response's end) is
 *   recorded; `GET /__bench/timings` returns their median and 99th percentile, and how many were
 *   answered from the anonymous page cache (`x-page-cache: hit`), and how many SQL queries ran
 *   (counted at the driver), then forgets them.
 * - `GET /__bench/memory`: the process's resident memory now and at its peak (`maxRSS`).
 * - The ceiling: a second, bare Fastify instance in this same process (no plugin, no hook, no
 *   database) on `CEILING_PORT` (or a free port), whose `GET|POST /static?bytes=N&type=T` answers a
 *   body of N bytes, precomputed once per size, with the content type T. A scenario's ratio is its
 *   requests per second over this route's, with a body of the same size.
 *
 * It prints `ready <port> <ceiling port>` once both listen.
 */
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { prepare, buildApp } from '../src/app.ts';
import { modules } from '../src/modules/index.ts';

// The benchmark's synthetic documents (bench/search-docs.ts, kind `bench_document`) are searched as a
// module's documents would be: a source registered like any module's (its items are indexed by the
// benchmark itself, so `all` yields none), so that the search page and its JSON twin return them.
modules.push({
  name: 'bench-documents',
  catalogs: {
    fr: { benchSearch: { document: 'Documents (banc d’essai)' } }, ar: { benchSearch: { document: 'وثائق (اختبار الأداء)' } }, en: { benchSearch: { document: 'Documents (benchmark)' } },
  },
  search: [{ kind: 'bench_document', labelKey: 'benchSearch.document', all: async function* () { /* indexed by bench/search.ts */ } }],
});

const config = loadConfig();
const { database } = await prepare(config);
const app = await buildApp(config, database, { logger: false });

const timings: number[] = [];
const cache = { hit: 0, miss: 0 };
// Queries run, counted at the driver (an N+1 shows as many queries per response).
let queries = 0;
if (database.sqlite) {
  const proto = Object.getPrototypeOf(database.sqlite.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['all', 'get', 'run', 'iterate']) {
    const original = proto[m];
    proto[m] = function (this: unknown, ...a: unknown[]) { queries++; return original.apply(this, a); };
  }
} else {
  const { default: pg } = await import('pg');
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: unknown, ...a: unknown[]) { queries++; return original.apply(this, a); };
}
// At the HTTP server: from the request's arrival to the response's end, whatever hooks run.
app.server.prependListener('request', (req, res) => {
  if (req.url?.startsWith('/__bench/')) return;
  const t0 = performance.now();
  res.once('finish', () => timings.push(performance.now() - t0));
});
// Fastify hands its headers to writeHead, where the raw response cannot read them back: counted here.
app.addHook('onResponse', async (req, reply) => {
  if (req.url.startsWith('/__bench/')) return;
  const c = reply.getHeader('x-page-cache');
  if (c === 'hit') cache.hit++; else if (c === 'miss') cache.miss++;
});
// Never stored by the anonymous page cache.
app.addHook('onRequest', async (req, reply) => { if (req.url.startsWith('/__bench/')) reply.header('cache-control', 'no-store'); });
app.get('/__bench/timings', async () => {
  const sorted = Float64Array.from(timings).sort();
  timings.length = 0;
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  const hits = { ...cache }, q = queries;
  cache.hit = cache.miss = 0;
  queries = 0;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : 0, cacheHits: hits.hit, cacheMisses: hits.miss, queries: q };
});
app.get('/__bench/memory', async () => {
  const m = process.memoryUsage();
  return { rss: m.rss, maxRSS: process.resourceUsage().maxRSS * 1024, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
});

// ---------- The ceiling: a bare Fastify route, static body of a given size ----------

const bare = Fastify({ logger: false });
const bodies = new Map<number, Buffer>();
function body(bytes: number): Buffer {
  let b = bodies.get(bytes);
  if (!b) {
    // Printable filler, so that the client does the same work as for a page of that size.
    const line = 'Commune Ouverte: a static body for the ceiling of the benchmark, the same size as the page.\n';
    b = Buffer.from(line.repeat(Math.ceil(bytes / line.length) + 1).slice(0, bytes));
    bodies.set(bytes, b);
  }
  return b;
}
// A POST's body is read (as the application reads a form), not parsed.
bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, b, done) => done(null, b));
bare.route({
  method: ['GET', 'POST'],
  url: '/static',
  handler: async (req, reply) => {
    const q = req.query as { bytes?: string; type?: string; status?: string };
    const bytes = Math.max(0, Math.min(64 * 1024 * 1024, Number(q.bytes) || 0));
    return reply.code(Number(q.status) || 200).type(q.type || 'text/html; charset=utf-8').send(body(bytes));
  },
});

await app.listen({ port: config.port, host: config.host });
await bare.listen({ port: Number(process.env.CEILING_PORT ?? 0), host: config.host });
const ceilingPort = (bare.server.address() as { port: number }).port;
console.log(`ready ${config.port} ${ceilingPort}`);
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 5000).unref();
  await bare.close(); await app.close(); await database.close(); process.exit(0);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, stop);
// Started by a benchmark with an IPC channel: its end, however it ends, ends this server too.
if (process.send) process.once('disconnect', stop);
