/**
 * Benchmark of the access-to-information register (issue 14): `node --import tsx bench/information.ts [options]`
 * (also run by `npm run bench`, scenario keys `information-…`).
 *
 *   --requests N      information requests to load (default 100,000)
 *   --duration S      seconds per scenario (default 10)
 *   --warmup S        seconds of warm-up before each run (default 2)
 *   --connections N   concurrent clients (default 50)
 *   --page-cache MB   the server's anonymous page cache (default: the server's, 32 MB; 0 renders every page)
 *   --data DIR        keep the data directory (default: a temporary one, removed at the end)
 *
 * It builds the Tétouan demo (SQLite; PostgreSQL with DATABASE_URL=postgres://…, in a schema of its own) plus N
 * requests over 24 months written straight into the table (every channel, outcome, ground, urgent ones, extended
 * ones, complaints, hidden ones), serves it with bench/server.ts and drives with autocannon the register (first
 * page, filtered by outcome and channel, by month), a request's page, the statistics page and its JSON, each with
 * its ceiling (bench/lib.ts). Targets: ratio ≥ 0.25, p99 < 50 ms. It then times in this process the statistics'
 * SQL without the read cache (what the first visit after any change costs).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import { openDatabase, type AnyDB } from '../src/core/db/index.ts';
import { iq } from '../src/modules/transparency/information/repo.ts';
import * as repo from '../src/modules/transparency/information/repo.ts';
import { formatReference, trackingHash } from '../src/modules/transparency/information/service.ts';
import { benchStore, describeStore, describeMachine, startServer, measure, seeded, textTable, ms, int } from './lib.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' }, duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' }, data: { type: 'string' }, 'page-cache': { type: 'string' },
  },
});
const N = Number(values.requests);
const RUN = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const TARGET = { ratio: 0.25, p99: 50 };
const store = benchStore({ data: values.data, prefix: 'commune-bench-info' });
if (values['page-cache'] !== undefined) store.env.PAGE_CACHE_MB = String(Number(values['page-cache']));

const OUTCOMES = ['given', 'given', 'given', 'partial', 'refused', 'not_held', 'withdrawn'];
const CHANNELS = ['web', 'web', 'counter', 'phone'];
const plus = (day: string, n: number) => { const d = new Date(`${day}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };

/** N requests written straight into the table (a benchmark, not a journey); returns references to ask for. */
async function build(): Promise<{ refs: string[]; month: string; ms: number; loaded: boolean }> {
  const config = loadConfig(store.env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  const started = Date.now();
  try {
    const db = iq(database.db);
    const c = (await db.selectFrom('communes').select('id').where('slug', '=', config.defaultCommune).executeTakeFirstOrThrow()).id;
    const grounds = (await db.selectFrom('info_grounds').select('id').where('commune_id', '=', c).execute()).map((g) => g.id);
    const have = Number((await db.selectFrom('info_requests').select((eb) => eb.fn.countAll().as('n')).where('commune_id', '=', c).executeTakeFirstOrThrow()).n);
    const rnd = seeded(14);
    const today = new Date().toISOString().slice(0, 10);
    const first = plus(today, -730);
    let loaded = false;
    if (have < N) {
      loaded = true;
      await database.db.transaction().execute(async (trx: AnyDB) => {
        let rows: Record<string, unknown>[] = [];
        const seqs = new Map<number, number>();
        for (const r of await iq(trx).selectFrom('info_requests').select(['year', 'seq']).where('commune_id', '=', c).execute()) seqs.set(r.year, Math.max(seqs.get(r.year) ?? 0, r.seq));
        for (let i = have; i < N; i++) {
          const day = plus(first, Math.floor((i / N) * 730));
          const year = Number(day.slice(0, 4));
          const seq = (seqs.get(year) ?? 0) + 1;
          seqs.set(year, seq);
          const reference = formatReference('tetouan', year, seq);
          const urgent = rnd() < 0.03;
          const due = plus(day, urgent ? 5 : 28);
          const recent = day > plus(today, -30);
          const outcome = recent && rnd() < 0.6 ? null : OUTCOMES[Math.floor(rnd() * OUTCOMES.length)];
          const days = outcome && outcome !== 'withdrawn' ? Math.floor(rnd() * (urgent ? 5 : 30)) : null;
          const answered = days === null ? null : plus(day, Math.round(days * 1.4));
          const refusal = outcome === 'refused' || outcome === 'partial';
          const at = `${day}T09:00:00.000Z`;
          rows.push({
            commune_id: c, reference, year, seq, tracking_hash: trackingHash(`bench-${i}`), channel: CHANNELS[i % CHANNELS.length],
            question: `Demande d’information numéro ${i} : budget, marchés, délibérations et permis (${day}).`, answer_form: i % 3 ? 'electronic' : 'on_site',
            urgent: urgent ? 1 : 0, urgent_reason: urgent ? 'Sécurité' : null, requester_name: `Demandeur ${i}`, requester_email: i % 2 ? `d${i}@example.invalid` : null,
            requester_phone: null, requester_address: null, requester_locale: 'fr', requester_user_id: null, entered_by: null,
            status: outcome ? 'closed' : i % 17 === 0 ? 'clarification' : 'open', outcome, created_at: at, created_month: day.slice(0, 7), received_on: day, due_on: due,
            extended: i % 11 === 0 ? 1 : 0, extension_reason: i % 11 === 0 ? 'Archives' : null, clarification_on: null, clarification_question: null, paused_days: 0,
            answered_at: answered ? `${answered}T15:00:00.000Z` : null, answered_on: answered, answer_days: days, within_deadline: days === null ? null : days <= (urgent ? 3 : 20) ? 1 : 0,
            answer_text: outcome && outcome !== 'withdrawn' ? 'Réponse de la commune.' : null, public_answer: null, redaction_reason: null, document_url: null,
            ground_id: refusal ? grounds[i % grounds.length] : null, motivation: refusal ? 'Motivation.' : null, holder_body: null,
            complaint_on: outcome === 'refused' && i % 5 === 0 ? answered : null, complaint_text: null, complaint_answer: null, complaint_answered_on: null, complaint_outcome: null,
            cdai_on: null, cdai_decision: null, cdai_decided_on: null, cdai_outcome: null, flagged_at: null, escalated_at: null,
            hidden: i % 997 === 0 ? 1 : 0, hidden_reason: i % 997 === 0 ? 'Doublon' : null, updated_at: at, sample: 1,
          });
          if (rows.length === 500) { await iq(trx).insertInto('info_requests').values(rows as any).execute(); rows = []; }
        }
        if (rows.length) await iq(trx).insertInto('info_requests').values(rows as any).execute();
      });
    }
    if (database.engine === 'postgres') await database.db.executeQuery({ sql: 'analyze info_requests', parameters: [], query: { kind: 'RawNode' } } as any).catch(() => undefined);
    const all = await db.selectFrom('info_requests').select('reference').where('commune_id', '=', c).where('status', '<>', 'unconfirmed').orderBy('id').execute();
    const pick = seeded(7);
    const refs = Array.from({ length: 2000 }, () => all[Math.floor(pick() * all.length)].reference);
    return { refs, month: plus(today, -200).slice(0, 7), ms: Date.now() - started, loaded };
  } finally {
    await database.close();
  }
}

/** The statistics' SQL without any read cache, in this process. */
async function uncachedStats(): Promise<{ p50: number; max: number }> {
  const database = await openDatabase({ databaseUrl: store.pgUrl, schema: store.schema, dataDir: store.dataDir });
  try {
    const db = iq(database.db);
    const c = (await db.selectFrom('communes').select('id').where('slug', '=', 'tetouan').executeTakeFirstOrThrow()).id;
    const today = new Date().toISOString().slice(0, 10);
    const times: number[] = [];
    for (let i = 0; i < 11; i++) { const t0 = performance.now(); await repo.stats(db, c, today); times.push(performance.now() - t0); }
    times.sort((a, b) => a - b);
    return { p50: times[5], max: times[10] };
  } finally { await database.close(); }
}

async function main() {
  try {
    const b = await build();
    console.log(b.loaded ? `Loaded ${int(N)} information requests in ${(b.ms / 1000).toFixed(1)} s (${describeStore(store)}).` : `Reusing the data in ${describeStore(store)}.`);
    const pick = seeded(3);
    const scenarios = [
      { key: 'information-register', name: 'Register, first page', load: { path: '/fr/information' } },
      { key: 'information-filter', name: 'Register filtered (refused, at the counter)', load: { path: '/fr/information?outcome=refused&channel=counter' } },
      { key: 'information-month', name: `Register filtered by month (${b.month}), page 3`, load: { path: `/fr/information?month=${b.month}&page=3` } },
      { key: 'information-late', name: 'Register filtered (late)', load: { path: '/fr/information?state=late' } },
      { key: 'information-page', name: 'Request page (2,000 spread over the table)', load: { path: () => `/fr/information/${b.refs[Math.floor(pick() * b.refs.length)]}` } },
      { key: 'information-stats', name: 'Statistics page (SVG charts and tables)', load: { path: '/fr/information/stats' } },
      { key: 'information-stats-json', name: 'Statistics JSON', load: { path: '/fr/information/stats.json' } },
    ];
    const rows: string[][] = [];
    let ok = true;
    const server = await startServer(store);
    try {
      for (const s of scenarios) {
        const m = await measure(server, s.load, RUN);
        const pass = m.ratio >= TARGET.ratio && m.run.p99 < TARGET.p99 && m.run.non2xx + m.run.errors === 0;
        ok &&= pass;
        rows.push([s.name, ms(m.server.p50), ms(m.server.p99), ms(m.run.p50), ms(m.run.p99), int(m.run.rps), int(m.ceiling.rps), m.ratio.toFixed(2), String(m.run.non2xx + m.run.errors), pass ? 'yes' : 'NO']);
        console.log(`  ${s.name}: server ${ms(m.server.p50)}/${ms(m.server.p99)} ms, client ${ms(m.run.p50)}/${ms(m.run.p99)} ms, ${int(m.run.rps)} req/s (ceiling ${int(m.ceiling.rps)}, ratio ${m.ratio.toFixed(2)})`);
      }
    } finally { await server.stop(); }
    const u = await uncachedStats();
    console.log(`\n${int(N)} information requests, ${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${RUN.connections} connections, ${RUN.duration} s each, page cache ${store.env.PAGE_CACHE_MB ?? 'default'} MB; ${describeMachine()}`);
    console.log(textTable(['scenario', 'server p50 ms', 'server p99 ms', 'client p50 ms', 'client p99 ms', 'req/s', 'ceiling req/s', 'ratio', 'failed', `≥ ${TARGET.ratio} and p99 < ${TARGET.p99} ms`], rows));
    console.log(`Statistics SQL without the read cache (summary tables): median ${ms(u.p50)} ms, max ${ms(u.max)} ms of 11.`);
    if (!ok) process.exitCode = 1;
  } finally {
    await store.cleanup();
  }
}

await main();
