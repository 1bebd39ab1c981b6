/**
 * Benchmark of the participation module: `npm run bench:participation [-- options]`
 * (`node --import tsx bench/participation.ts`), under `nice -n 10` on shared machines.
 *
 *   --duration S      seconds per scenario (default 10)
 *   --warmup S        seconds of warm-up before each run (default 2)
 *   --connections N   concurrent clients (default 50)
 *   --supports N      concurrent supports on one proposal (default 1000)
 *   --data DIR        keep the data directory (default: a temporary one, removed at the end)
 *
 * It builds, in a temporary SQLite database (PostgreSQL with DATABASE_URL=postgres://…, in a temporary schema), the
 * Tétouan demo plus a process of 200 meetings and 10,000 proposals, serves it with bench/server.ts and drives the
 * process page and the proposals list sorted by supports (filtered by theme, and a deep page) with autocannon:
 * server time (median, p99), client latency, requests per second and the ratio to the ceiling (bench/lib.ts).
 * Then N signed-in people support one proposal at the same moment (N parallel POSTs): the count must rise by exactly N,
 * with N rows, and N more POSTs by the same people must change nothing.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepare } from '../src/app.ts';
import type { AnyDB } from '../src/core/db/index.ts';
import { sha256, randomToken } from '../src/core/auth/passwords.ts';
import { insertMany } from '../src/core/db/bulk.ts';
import { benchStore, describeStore, describeMachine, startServer, measure, ms, int, type BenchServer } from './lib.ts';

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' }, connections: { type: 'string', default: '50' },
  supports: { type: 'string', default: '1000' }, data: { type: 'string' },
} });
const RUN = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const SUPPORTERS = Number(values.supports);
const store = benchStore({ data: values.data, prefix: 'commune-bench-part' });
const SLUG = 'bench-process';
const MEETINGS = 200;
const PROPOSALS = 10_000;
const THEMES = ['infrastructure', 'gender_inclusion', 'economy_jobs', 'sdg_climate', 'culture_sport_heritage', 'governance_open', 'planning_mobility'];
const tr = (s: string) => JSON.stringify({ fr: s, ar: s, en: s });

async function build(): Promise<{ tokens: string[]; proposal: number; ms: number }> {
  const config = loadConfig(store.env, { demo: true, logLevel: 'silent' });
  const { database } = await prepare(config);
  const started = Date.now();
  try {
    const db = database.db as AnyDB;
    const c = (await db.selectFrom('communes').select('id').where('slug', '=', config.defaultCommune).executeTakeFirstOrThrow()).id as number;
    const now = new Date().toISOString();
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    let process = await db.selectFrom('processes').select('id').where('commune_id', '=', c).where('slug', '=', SLUG).executeTakeFirst();
    const tokens: string[] = [];
    await db.transaction().execute(async (trx) => {
      if (!process) {
        process = await trx.insertInto('processes').values({ commune_id: c, slug: SLUG, title: tr('Démarche de référence (banc d’essai)'), description: tr('Banc d’essai'), plan_id: null, body_id: null,
          status: 'open', results: '{}', sample: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
        const p = process!.id;
        await insertMany(trx, 'meetings', ['commune_id', 'process_id', 'kind', 'title', 'agenda', 'mode', 'place', 'district', 'online_url', 'starts_at', 'ends_at', 'capacity', 'invitation_only', 'status', 'minutes', 'outcomes', 'targets', 'sample', 'sequence', 'updated_at'],
          Array.from({ length: MEETINGS }, (_, i) => [c, p, i % 2 ? 'thematic_workshop' : 'public_meeting', tr(`Réunion ${i + 1}`), tr('Ordre du jour'), 'in_person', 'Maison des associations', 'Touabel', '',
            i < 100 ? `2026-0${1 + (i % 9)}-10T09:00:00.000Z` : future, i < 100 ? `2026-0${1 + (i % 9)}-10T11:00:00.000Z` : future, 50, 0, i < 100 ? 'held' : 'scheduled', '{}', '{}', '{}', 1, 0, now]));
        await insertMany(trx, 'proposals', ['commune_id', 'process_id', 'number', 'title', 'body', 'theme', 'district', 'channel', 'status', 'answer', 'answer_text', 'supports', 'sample', 'created_at'],
          Array.from({ length: PROPOSALS }, (_, i) => [c, p, i + 1, `Proposition ${i + 1} du banc d’essai`, 'Texte de la proposition, quelques phrases pour un volume réaliste.', THEMES[i % THEMES.length], 'Touabel', 'online',
            i % 50 === 0 ? 'hidden' : 'published', 'none', '{}', (i * 7919) % 997, 1, now]));
      }
      // The supporters: accounts and sessions written directly (no password hashing: a benchmark, not a journey).
      const first = (await trx.selectFrom('users').select((e: any) => e.fn.max('id').as('m')).executeTakeFirstOrThrow() as { m: number }).m ?? 0;
      const tag = randomToken(4).toLowerCase();
      await insertMany(trx, 'users', ['commune_id', 'email', 'email_normalized', 'password_hash', 'name', 'locale', 'disabled', 'created_at'],
        Array.from({ length: SUPPORTERS }, (_, i) => [c, `s${i}.${tag}@bench.local`, `s${i}.${tag}@bench.local`, 'x', `Soutien ${i}`, 'fr', 0, now]));
      const ids = (await trx.selectFrom('users').select('id').where('commune_id', '=', c).where('id', '>', first).orderBy('id').execute()).map((r: any) => r.id as number);
      const sessions = ids.map((id) => { const t = randomToken(); tokens.push(t); return [c, sha256(t), id, now, future]; });
      await insertMany(trx, 'sessions', ['commune_id', 'token_hash', 'user_id', 'created_at', 'expires_at'], sessions);
    });
    return { tokens, proposal: 2, ms: Date.now() - started };
  } finally {
    await database.close();
  }
}

async function scenario(server: BenchServer, name: string, p: string) {
  const m = await measure(server, { path: p }, RUN);
  console.log(`${name.padEnd(28)} ${p}`);
  console.log(`  page ${(m.bytes / 1024).toFixed(0)} KB · server time median ${ms(m.server.p50)} ms, p99 ${ms(m.server.p99)} ms · client latency median ${ms(m.run.p50)} ms, p99 ${ms(m.run.p99)} ms`
    + ` · ${int(m.run.rps)} req/s, ceiling ${int(m.ceiling.rps)}, ratio ${m.ratio.toFixed(2)} (${RUN.connections} connections, ${RUN.duration} s, ${m.run.non2xx} non-2xx, cache hits ${m.server.cacheHits})`);
  return m;
}

/** N people support one proposal at once, through the real routes (session cookie, CSRF token of their page). */
async function supports(server: BenchServer, tokens: string[], number: number) {
  const path = `/fr/participation/${SLUG}/proposals/${number}`;
  const count = async () => {
    const html = await (await fetch(`${server.base}${path}`)).text();
    return Number(/<dt>Soutiens<\/dt><dd>([\d\s.,\u202f\u00a0]+)<\/dd>/.exec(html)?.[1].replace(/\D/g, '') ?? NaN);
  };
  const before = await count();
  // Each person's page first (their CSRF cookie and token), then every POST at the same moment.
  const prepared = await Promise.all(tokens.map(async (t) => {
    const res = await fetch(`${server.base}${path}`, { headers: { cookie: `sid=${t}` } });
    const csrfCookie = res.headers.getSetCookie().map((s) => s.split(';')[0]).find((s) => s.startsWith('_csrf='));
    const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
    return { cookie: `sid=${t}; ${csrfCookie}`, body: `_csrf=${encodeURIComponent(token ?? '')}` };
  }));
  const post = () => Promise.all(prepared.map((p) => fetch(`${server.base}${path}/support`, { method: 'POST', redirect: 'manual', headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: p.body })
    .then((r) => r.status)));
  const started = performance.now();
  const statuses = await post();
  const elapsed = performance.now() - started;
  const after = await count();
  const again = await post();
  const final = await count();
  const ok = statuses.filter((s) => s === 303).length;
  console.log(`Supports: ${tokens.length} people at once on proposal ${number}: ${ok} answered 303 in ${ms(elapsed)} ms (${int(tokens.length / (elapsed / 1000))}/s); count ${before} → ${after} (+${after - before});`
    + ` the same ${tokens.length} again: ${again.filter((s) => s === 303).length} answered, count ${final} (+${final - after}). ${after - before === tokens.length && final === after ? 'Exactly once each.' : 'MISCOUNTED'}`);
}

async function main() {
  console.log(`Building the benchmark process in ${describeStore(store)}…`);
  try {
    const built = await build();
    console.log(`Process ${SLUG}: ${MEETINGS} meetings, ${int(PROPOSALS)} proposals, ${SUPPORTERS} supporters (${(built.ms / 1000).toFixed(1)} s)`);
    // The rate limit of public writes is per address: every supporter here comes from 127.0.0.1.
    const server = await startServer(store, { env: { RATE_LIMIT_FACTOR: '0' } });
    try {
      console.log(describeMachine());
      await scenario(server, 'Process page', `/fr/participation/${SLUG}`);
      await scenario(server, 'Proposals by supports', `/fr/participation/${SLUG}/proposals?sort=supports`);
      await scenario(server, 'By supports, theme filter', `/fr/participation/${SLUG}/proposals?theme=governance_open&sort=supports`);
      await scenario(server, 'By supports, page 200', `/ar/participation/${SLUG}/proposals?sort=supports&page=200`);
      await scenario(server, 'Statistics', '/fr/participation/co-creation-2022/statistics');
      await supports(server, built.tokens, built.proposal);
    } finally { await server.stop(); }
  } finally {
    await store.cleanup();
  }
}

await main();
