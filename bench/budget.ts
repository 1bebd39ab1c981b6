/**
 * Benchmark of the budget module (issue 13): `node --import tsx bench/budget.ts [options]`, also run by
 * `npm run bench` (scenario key `budget`).
 *
 *   --duration S      seconds per scenario (default 10)
 *   --warmup S        seconds of warm-up before each run (default 2)
 *   --connections N   concurrent clients (default 50)
 *
 * In a temporary SQLite database (PostgreSQL when DATABASE_URL=postgres://…, in a temporary schema) it builds
 * the Tétouan demo plus ten years (2013–2022) of a full budget: a nomenclature of 5,000 lines, 3,000 of them
 * with amounts each year in all four phases (120,000 amounts), mapped to the demo's functions. It serves it with
 * bench/server.ts and drives every citizen-budget page with autocannon (server time, client latency, req/s and
 * the ratio to the ceiling, bench/lib.ts); then, in process, the pages' service calls without the read cache,
 * and the import of a 5,000-line CSV file (check, preview, confirm).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { insertMany, analyzeTables } from '../src/core/db/bulk.ts';
import { Tenancy } from '../src/core/tenancy/index.ts';
import { systemCtx } from '../src/platform.ts';
import { clearVersionedReads } from '../src/core/service.ts';
import { bdb, refreshTotals } from '../src/modules/transparency/budget/repo.ts';
import * as budget from '../src/modules/transparency/budget/service.ts';
import { PHASES } from '../src/modules/transparency/budget/schema.ts';
import { benchStore, describeStore, describeMachine, startServer, measure, ms, int } from './lib.ts';

export interface BudgetRun { duration: number; warmup: number; connections: number }
const TARGET = { ratio: 0.25, p99: 50, importMs: 2000 };
const YEARS = Array.from({ length: 10 }, (_, i) => 2013 + i);
const CHAPTERS = 50;
const PER_CHAPTER = 100; // 5,000 lines
const USED = 3000;

const tr = (s: string) => JSON.stringify({ fr: s, ar: s, en: s });
/** Chapter k: part and direction; lines `Bk.10.10.nn`. Even chapters receipts, odd expenditure, paired to balance. */
const chapterOf = (k: number) => ({ code: `B${String(k).padStart(2, '0')}`, part: k < 40 ? 'operating' : k < 48 ? 'equipment' : 'special', direction: k % 2 === 0 ? 'receipt' : 'expenditure' });
const lineCode = (k: number, n: number) => `${chapterOf(k).code}.10.10.${String(n).padStart(3, '0')}`;
const amount = (k: number, n: number, year: number) => (1000 + ((k >> 1) * 37 + n * 11 + year) % 900) * 10_000; // paired chapters get the same amounts

async function build(env: NodeJS.ProcessEnv): Promise<{ rows: number; ms: number }> {
  const config = loadConfig(env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  const started = Date.now();
  try {
    const db = bdb(database.db);
    const c = (await db.selectFrom('communes').select('id').where('slug', '=', config.defaultCommune).executeTakeFirstOrThrow()).id;
    if (await db.selectFrom('budget_years').select('id').where('commune_id', '=', c).where('year', '=', YEARS[0]).executeTakeFirst()) return { rows: 0, ms: 0 };
    const fns = await db.selectFrom('budget_functions').select('id').where('commune_id', '=', c).orderBy('sort').execute();
    let rows = 0;
    await database.db.transaction().execute(async (trx) => {
      const nom: unknown[][] = [];
      const map: unknown[][] = [];
      for (let k = 0; k < CHAPTERS; k++) {
        const ch = chapterOf(k);
        nom.push([c, ch.code, 'chapter', null, ch.code, ch.part, ch.direction, tr(`Chapitre ${ch.code}`), null, 1]);
        nom.push([c, `${ch.code}.10`, 'article', ch.code, ch.code, ch.part, ch.direction, tr(`Article ${ch.code}.10`), null, 1]);
        nom.push([c, `${ch.code}.10.10`, 'paragraph', `${ch.code}.10`, ch.code, ch.part, ch.direction, tr(`Paragraphe ${ch.code}.10.10`), null, 1]);
        for (let n = 0; n < PER_CHAPTER; n++) {
          const code = lineCode(k, n);
          nom.push([c, code, 'line', `${ch.code}.10.10`, ch.code, ch.part, ch.direction, tr(`Ligne budgétaire ${code}`), ch.direction === 'receipt' ? ['own_taxes', 'vat_share', 'transfers', 'loans', 'other'][n % 5] : null, 1]);
          if (ch.direction === 'expenditure') map.push([c, code, fns[(k + n) % fns.length].id, null]);
        }
      }
      await insertMany(trx, 'budget_nomenclature', ['commune_id', 'code', 'level', 'parent_code', 'chapter_code', 'part', 'direction', 'label', 'source', 'sample'], nom);
      await insertMany(trx, 'budget_line_map', ['commune_id', 'line_code', 'function_id', 'district'], map);
      await insertMany(trx, 'budget_years', ['commune_id', 'year', 'population', 'explanations', 'sample'], YEARS.map((y) => [c, y, 380_000, '{}', 1]));
      for (const year of YEARS) {
        const a: unknown[][] = [];
        for (let i = 0; i < USED; i++) {
          const k = Math.floor(i / PER_CHAPTER), n = i % PER_CHAPTER;
          const f = amount(k, n, year);
          a.push([c, year, lineCode(k, n), 'forecast', f], [c, year, lineCode(k, n), 'amended', f + 100_00], [c, year, lineCode(k, n), 'committed', Math.round(f * 0.9)], [c, year, lineCode(k, n), 'executed', Math.round(f * 0.8)]);
        }
        await insertMany(trx, 'budget_amounts', ['commune_id', 'year', 'line_code', 'phase', 'amount'], a);
        rows += a.length;
      }
      await refreshTotals(trx, c, YEARS);
      rows += nom.length + map.length;
    });
    await analyzeTables(database.db, ['budget_nomenclature', 'budget_amounts', 'budget_line_map']);
    return { rows, ms: Date.now() - started };
  } finally {
    await database.close();
  }
}

/** The citizen pages' service calls without the read cache, and the import of a 5,000-line file. */
async function inProcess(env: NodeJS.ProcessEnv) {
  const config = loadConfig(env, { logLevel: 'silent' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
  const out: Record<string, number> = {};
  try {
    const tenancy = new Tenancy(database.db, config.defaultCommune);
    await tenancy.reload();
    const ctx = await systemCtx(database, tenancy.bySlugOrNull(config.defaultCommune)!, config);
    const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { p50: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] }; };
    const y = YEARS[YEARS.length - 1];
    for (const [name, call] of [
      ['overview', () => budget.overview(ctx, y)],
      ['function', () => budget.functionDetail(ctx, y, 'roads')],
      ['line', () => budget.lineDetail(ctx, lineCode(1, 7))],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) { clearVersionedReads(); const s = performance.now(); await (call as () => Promise<unknown>)(); times.push(performance.now() - s); }
      const st = stats(times.slice(5));
      out[`${name}P50`] = st.p50; out[`${name}P99`] = st.p99;
      console.log(`  ${name.padEnd(9)} uncached service call: median ${ms(st.p50)} ms, p99 ${ms(st.p99)} ms`);
    }
    // 5,000 lines of 2023, every phase; paired chapters balance receipts and expenditure part by part.
    const lines = ['year,code,forecast,amended,committed,executed'];
    for (let i = 0; i < CHAPTERS * PER_CHAPTER; i++) {
      const k = Math.floor(i / PER_CHAPTER), n = i % PER_CHAPTER, f = amount(k, n, 2023) / 100;
      lines.push(`2023,${lineCode(k, n)},${f.toFixed(2)},${(f + 100).toFixed(2)},${(f * 0.9).toFixed(2)},${(f * 0.8).toFixed(2)}`);
    }
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    let s = performance.now();
    const id = await budget.prepareImport(ctx, { filename: 'bench-5000.csv', mimetype: 'text/csv', data, truncated: false });
    out.importCheckMs = performance.now() - s;
    s = performance.now();
    const summary = await budget.applyImport(ctx, id);
    out.importApplyMs = performance.now() - s;
    out.importLines = summary.lines;
    console.log(`  import of ${int(summary.lines)} lines (${(data.length / 1024).toFixed(0)} KB, ${int(summary.lines * 4)} amounts): check and preview ${ms(out.importCheckMs)} ms, confirm ${ms(out.importApplyMs)} ms, total ${ms(out.importCheckMs + out.importApplyMs)} ms`
      + ` · ${out.importCheckMs + out.importApplyMs < TARGET.importMs ? 'met' : 'missed'} (< ${TARGET.importMs} ms)`);
  } finally {
    await database.close();
  }
  return out;
}

export async function budgetBench(run: BudgetRun): Promise<Record<string, unknown>> {
  const store = benchStore({ prefix: 'commune-bench-budget' });
  const results: Record<string, unknown> = { scenarios: [] };
  console.log(`\nBudget: building ${YEARS.length} years × ${int(USED)} lines × ${PHASES.length} phases in ${describeStore(store)}…`);
  try {
    const built = await build(store.env);
    console.log(`  ${int(built.rows)} rows in ${(built.ms / 1000).toFixed(1)} s`);
    const server = await startServer(store);
    const y = YEARS[YEARS.length - 1];
    try {
      for (const [name, p] of [
        ['Citizen budget (fr)', `/fr/budget/${y}`], ['Citizen budget (ar)', `/ar/budget/${y}`], ['Function drill-down', `/fr/budget/${y}/functions/roads`],
        ['Budget line', `/fr/budget/lines/${lineCode(1, 7)}`], ['Glossary', '/fr/budget/glossary'], ['Datapackage', `/api/budget/${y}/datapackage.json`],
      ]) {
        const m = await measure(server, { path: p }, run);
        const met = m.ratio >= TARGET.ratio && m.run.p99 < TARGET.p99;
        console.log(`  ${name}: ${int(m.run.rps)} req/s, p50 ${ms(m.run.p50)} ms, p99 ${ms(m.run.p99)} ms (server ${ms(m.server.p50)}/${ms(m.server.p99)} ms), ${(m.bytes / 1024).toFixed(1)} KB`
          + `${m.server.n ? `, ${Math.round((100 * m.server.cacheHits) / m.server.n)} % from the page cache` : ''} · ceiling ${int(m.ceiling.rps)} req/s · ratio ${m.ratio.toFixed(2)} · ${met ? 'met' : 'missed'}`
          + `${m.run.non2xx ? ` · ${m.run.non2xx} non-2xx` : ''}`);
        (results.scenarios as unknown[]).push({ name, path: p, rps: m.run.rps, p50: m.run.p50, p99: m.run.p99, serverP99: m.server.p99, bytes: m.bytes, ceiling: m.ceiling.rps, ratio: m.ratio, met, non2xx: m.run.non2xx });
      }
    } finally { await server.stop(); }
    results.inProcess = await inProcess(store.env);
  } finally {
    await store.cleanup();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' } } });
  console.log(describeMachine());
  await budgetBench({ duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) });
}
