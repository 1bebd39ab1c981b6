/**
 * The application as `npm start` builds it, plus what a benchmark needs to read server time:
 * every response's time inside Fastify (from the request's arrival to the response's end) is
 * recorded, and `GET /__bench/timings` returns their median and 99th percentile (then forgets
 * them). Benchmark use only: `node --import tsx bench/server.ts` with the usual environment.
 */
import { loadConfig } from '../src/config.ts';
import { prepare, buildApp } from '../src/app.ts';

const config = loadConfig();
const { database } = await prepare(config);
const app = await buildApp(config, database, { logger: false });

let timings: number[] = [];
app.addHook('onResponse', async (req, reply) => {
  if (!req.url.startsWith('/__bench/')) timings.push(reply.elapsedTime);
});
app.get('/__bench/timings', async () => {
  const sorted = Float64Array.from(timings).sort();
  timings = [];
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : 0 };
});

await app.listen({ port: config.port, host: config.host });
console.log(`ready ${config.port}`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, async () => { await app.close(); await database.close(); process.exit(0); });
}
