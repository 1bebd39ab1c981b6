/**
 * Benchmark of surveys (issue 16): `node --import tsx bench/surveys.ts [options]` (run with `nice -n 10`).
 *
 *   --answers N       sample answers loaded into the demo quiz (default 100,000)
 *   --writes N        answers submitted for the write test (default 5,000)
 *   --duration S      seconds of the measured read run (default 10)
 *   --warmup S        seconds of warm-up (default 2)
 *   --connections N   concurrent clients (default 50)
 *
 * It loads the demo commune and N sample answers into its priority quiz (five questions: a ranking of seven
 * themes, a multiple choice, a scale, a district, a conditional free text), serves it with bench/server.ts and
 * drives the public results page with autocannon (server time, client latency, ratio to the ceiling). Then, in
 * process on the same database, it submits `--writes` answers of distinct signed-in respondents, 100 at a time
 * in parallel (each acknowledged only after its transaction commits: SQLite in WAL with synchronous=FULL,
 * grouped commits), and prints answers per second.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { Tenancy } from '../src/core/tenancy/index.ts';
import { systemCtx } from '../src/platform.ts';
import * as svc from '../src/modules/participation/surveys/service.ts';
import { DEMO_QUIZ_SLUG } from '../src/modules/participation/surveys/demo.ts';
import { benchStore, describeStore, describeMachine, startServer, measure, ms, int } from './lib.ts';

const { values } = parseArgs({ options: {
  answers: { type: 'string', default: '100000' }, writes: { type: 'string', default: '5000' }, duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' }, data: { type: 'string' },
} });
const ANSWERS = Number(values.answers);
const WRITES = Number(values.writes);
const RUN = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const store = benchStore({ data: values.data, prefix: 'commune-bench-surveys' });
const TARGET = { ratio: 0.25, p99: 50, writes: 500 };

async function context() {
  const config = loadConfig(store.env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  const tenancy = new Tenancy(database.db, config.defaultCommune);
  await tenancy.reload();
  const ctx = await systemCtx(database, tenancy.bySlugOrNull(config.defaultCommune)!, config);
  return { database, ctx };
}

async function load(): Promise<number> {
  const { database, ctx } = await context();
  try {
    const { survey } = await svc.getSurvey(ctx, DEMO_QUIZ_SLUG);
    const have = (await svc.results(ctx, DEMO_QUIZ_SLUG)).respondents;
    const t0 = Date.now();
    if (have < ANSWERS) await svc.loadSampleAnswers(ctx, survey.id, ANSWERS - have, { seed: 5, batch: 5000 });
    return (Date.now() - t0) / 1000;
  } finally { await database.close(); }
}

async function writes(): Promise<{ perSecond: number; seconds: number }> {
  const { database, ctx } = await context();
  try {
    const { questions } = await svc.getSurvey(ctx, DEMO_QUIZ_SLUG);
    const [rank, multi, scale] = questions;
    const body = (i: number) => ({
      ...Object.fromEntries(rank.options.map((o, j) => [`q${rank.id}_${o.key}`, String(((i + j) % rank.options.length) + 1)])),
      [`q${multi.id}`]: String(1 + (i % 7)), [`q${scale.id}`]: String(1 + (i % 5)),
    });
    const t0 = performance.now();
    for (let from = 0; from < WRITES; from += 100) {
      await Promise.all(Array.from({ length: Math.min(100, WRITES - from) }, (_, k) => {
        const i = from + k;
        const actor = { userId: 10_000_000 + i, communeId: ctx.commune.id, email: '', name: '', grants: [] };
        return svc.submitAnswer({ ...ctx, actor }, DEMO_QUIZ_SLUG, body(i));
      }));
    }
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: WRITES / seconds, seconds };
  } finally { await database.close(); }
}

async function main() {
  console.log(`Surveys benchmark in ${describeStore(store)}`);
  console.log(describeMachine());
  try {
    const loaded = await load();
    console.log(`Loaded ${int(ANSWERS)} sample answers into ${DEMO_QUIZ_SLUG} in ${loaded.toFixed(1)} s`);
    const server = await startServer(store, { env: { ...store.env, PAGE_CACHE_MB: '0' } });
    try {
      const m = await measure(server, { path: `/fr/surveys/${DEMO_QUIZ_SLUG}/results` }, RUN);
      console.log(`Results page (${int(ANSWERS)} answers): page ${(m.bytes / 1024).toFixed(0)} KB · server time median ${ms(m.server.p50)} ms, p99 ${ms(m.server.p99)} ms`
        + ` · client latency median ${ms(m.run.p50)} ms, p99 ${ms(m.run.p99)} ms · ${int(m.run.rps)} req/s, ceiling ${int(m.ceiling.rps)} req/s, ratio ${m.ratio.toFixed(2)}`
        + ` (target ≥ ${TARGET.ratio}, p99 < ${TARGET.p99} ms: ${m.ratio >= TARGET.ratio && m.run.p99 < TARGET.p99 ? 'met' : 'NOT met'})`);
    } finally { await server.stop(); }
    const w = await writes();
    console.log(`Answers accepted durably: ${int(WRITES)} in ${w.seconds.toFixed(1)} s = ${int(w.perSecond)} answers/s (target ${TARGET.writes}: ${w.perSecond >= TARGET.writes ? 'met' : 'NOT met'})`);
  } finally { await store.cleanup(); }
}

await main();
