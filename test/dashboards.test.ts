import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';
import { iso } from '../src/core/clock/index.ts';
import type { Ctx } from '../src/core/service.ts';
import type { Commune } from '../src/core/tenancy/index.ts';
import { rq } from '../src/modules/requests/repo.ts';
import { submitRequest } from '../src/modules/requests/service.ts';
import { acknowledge, resolve, reject, giveFeedback } from '../src/modules/requests/workflow.ts';
import { equity, institutionsBoard, medianOf, periodOf, windowOf } from '../src/modules/requests/dashboards/service.ts';
import { dashboardSpecs } from '../src/modules/requests/dashboards/migrations.ts';
import { rebuildCounters } from '../src/core/db/counters.ts';

let t: TestApp;
const db = () => rq(t.database.db);
const NOW = new Date('2026-11-20T10:00:00Z');

// ---------- A small commune whose every figure is known ----------

interface Row {
  district: 'd1' | 'd2' | 'd3' | null; category: 'c1' | 'c2'; channel: string; month: string;
  status: string; days?: number; within?: 0 | 1; sat?: number;
}
const ROWS: Row[] = [
  { district: 'd1', category: 'c1', channel: 'web', month: '2026-11', status: 'resolved', days: 1, within: 1, sat: 5 },
  { district: 'd1', category: 'c1', channel: 'web', month: '2026-11', status: 'resolved', days: 4, within: 0, sat: 2 },
  { district: 'd1', category: 'c2', channel: 'counter', month: '2026-10', status: 'resolved', days: 2, within: 1 },
  { district: 'd1', category: 'c2', channel: 'phone', month: '2026-10', status: 'submitted' },
  { district: 'd2', category: 'c1', channel: 'web', month: '2026-10', status: 'resolved', days: 7, within: 0, sat: 1 },
  { district: 'd2', category: 'c1', channel: 'api', month: '2026-09', status: 'resolved', days: 3, within: 1, sat: 4 },
  { district: 'd2', category: 'c2', channel: 'web', month: '2026-09', status: 'rejected', days: 1, within: 1 },
  { district: 'd2', category: 'c2', channel: 'counter', month: '2026-09', status: 'in_progress' },
  { district: 'd2', category: 'c1', channel: 'web', month: '2026-11', status: 'resolved', days: 0, within: 1, sat: 5 },
  { district: 'd3', category: 'c1', channel: 'web', month: '2026-11', status: 'resolved', days: 10, within: 0 },
  { district: null, category: 'c2', channel: 'api', month: '2026-11', status: 'acknowledged' },
  { district: null, category: 'c2', channel: 'api', month: '2026-10', status: 'resolved', days: 6, within: 0, sat: 3 },
  // Outside the last 12 months (in 2025 and "all").
  { district: 'd1', category: 'c1', channel: 'web', month: '2025-06', status: 'resolved', days: 20, within: 0, sat: 1 },
  { district: 'd2', category: 'c2', channel: 'web', month: '2025-06', status: 'reopened' },
];

let dash: { commune: Commune; ids: Record<string, number> };

async function makeDashCommune(): Promise<{ commune: Commune; ids: Record<string, number> }> {
  const d = db();
  const { id } = await d.insertInto('communes').values({ slug: 'dash', name: JSON.stringify({ fr: 'Commune tableau', ar: 'جماعة اللوحة' }), hosts: 'dash.localhost', region: '{}', population: 50_000, sample: 1, created_at: iso() })
    .returning('id').executeTakeFirstOrThrow();
  const ids: Record<string, number> = {};
  const inst = async (slug: string, kind: string, fr: string) => {
    ids[slug] = (await d.insertInto('institutions').values({ commune_id: id, slug, kind, name: JSON.stringify({ fr, ar: `${fr} (ar)` }), description: '{}', lead: 0, sample: 1, sort: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  };
  await inst('dep', 'department', 'Direction Test');
  await inst('op', 'operator', 'Opérateur Test');
  await inst('unused', 'department', 'Direction Sans Catégorie');
  for (const [slug, fr, population] of [['d1', 'Quartier Un', 10_000], ['d2', 'Quartier Deux', 20_000], ['d3', 'Quartier Trois', null]] as const) {
    ids[slug] = (await d.insertInto('request_districts').values({ commune_id: id, slug, name: JSON.stringify({ fr, ar: `${fr} ar` }), population, geometry: null, sample: 1, sort: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  }
  for (const [slug, fr, institution] of [['c1', 'Catégorie Un', 'op'], ['c2', 'Catégorie Deux', 'dep']] as const) {
    ids[slug] = (await d.insertInto('request_categories').values({ commune_id: id, slug, name: JSON.stringify({ fr }), description: '{}', institution_id: ids[institution], sla_days: 3, active: 1, sample: 1, sort: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  }
  for (const [i, r] of ROWS.entries()) await insertRow(id, ids, r, i + 1);
  await t.app.tenancy.reload();
  return { commune: t.app.tenancy.bySlugOrNull('dash')!, ids };
}

async function insertRow(communeId: number, ids: Record<string, number>, r: Row, seq: number) {
  const at = `${r.month}-10T09:00:00.000Z`;
  const closed = ['resolved', 'rejected'].includes(r.status);
  await db().insertInto('requests').values({
    commune_id: communeId, reference: `DAS-${r.month.slice(0, 4)}-${String(seq).padStart(6, '0')}`, year: Number(r.month.slice(0, 4)), seq, tracking_hash: `dash-${seq}`,
    category_id: ids[r.category], district_id: r.district ? ids[r.district] : null, institution_id: ids[r.category === 'c1' ? 'op' : 'dep'], assignee_id: null,
    status: r.status, reject_reason: r.status === 'rejected' ? 'invalid' : null, duplicate_of_id: null, referral: null, public_note: null,
    description: `Ligne ${seq}`, address: '', lat: null, lng: null, answers: '{}', channel: r.channel, reporter_user_id: null, reporter_name: null, name_public: 0,
    reporter_email: null, reporter_phone: null, reporter_locale: 'fr', entered_by: null, created_at: at, created_month: r.month, updated_at: at,
    acknowledged_at: null, first_response_at: null, due_on: `${r.month}-15`, resolved_at: r.status === 'resolved' ? at : null, closed_at: closed ? at : null,
    within_target: closed ? r.within ?? null : null, resolution_days: closed ? r.days ?? null : null, resolution_hours: null, escalated_at: null,
    fixed: null, satisfaction: r.sat ?? null, satisfaction_comment: null, feedback_at: null, reopen_count: 0, contest_status: 'none', sample: 1,
  }).execute();
}

// ---------- The naive computation, straight from the rows ----------

function naiveMedian(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Full { status: string; resolution_days: number | null; within_target: number | null; satisfaction: number | null }
function naive(rows: Full[]) {
  const resolved = rows.filter((r) => r.status === 'resolved');
  const rated = rows.filter((r) => r.satisfaction !== null);
  return {
    requests: rows.length,
    open: rows.filter((r) => ['submitted', 'acknowledged', 'in_progress', 'reopened'].includes(r.status)).length,
    resolved: resolved.length,
    rejected: rows.filter((r) => r.status === 'rejected').length,
    withinTarget: resolved.filter((r) => r.within_target === 1).length,
    withinShare: resolved.length ? (100 * resolved.filter((r) => r.within_target === 1).length) / resolved.length : null,
    medianDays: naiveMedian(resolved.filter((r) => r.resolution_days !== null).map((r) => r.resolution_days!)),
    ratings: rated.length,
    satisfaction: rated.length ? rated.reduce((s, r) => s + r.satisfaction!, 0) / rated.length : null,
  };
}

const pick = (f: object & Record<keyof ReturnType<typeof naive>, unknown>) => ({
  requests: f.requests, open: f.open, resolved: f.resolved, rejected: f.rejected, withinTarget: f.withinTarget, withinShare: f.withinShare,
  medianDays: f.medianDays, ratings: f.ratings, satisfaction: f.satisfaction,
});

async function allRows(communeId: number) {
  return db().selectFrom('requests').select(['district_id', 'category_id', 'institution_id', 'channel', 'created_month', 'status', 'resolution_days', 'within_target', 'satisfaction'])
    .where('commune_id', '=', communeId).execute();
}

/** Every figure of both dashboards against the naive computation over the commune's rows. */
async function assertMatchesNaive(ctx: Ctx, w: { from: string; to: string; channel?: string }) {
  const rows = (await allRows(ctx.commune.id)).filter((r) => r.created_month >= w.from && r.created_month <= w.to && (!w.channel || r.channel === w.channel));
  const eq = await equity(ctx, w);
  assert.deepEqual(pick(eq.total), naive(rows), 'total');
  for (const d of eq.districts) {
    const mine = rows.filter((r) => (r.district_id ?? 0) === d.id);
    assert.deepEqual(pick(d), naive(mine), `district ${d.id}`);
    assert.equal(d.per10k, d.population ? (10_000 * mine.length) / d.population : null, `per 10k, district ${d.id}`);
  }
  assert.equal(eq.districts.reduce((s, d) => s + d.requests, 0), rows.length, 'every request in one district line');
  for (const c of eq.categories) assert.deepEqual(pick(c), naive(rows.filter((r) => r.category_id === c.id)), `category ${c.id}`);
  const months = [...new Set(rows.map((r) => r.created_month))].sort();
  assert.deepEqual(eq.months.map((m) => m.month), months);
  for (const m of eq.months) assert.deepEqual(pick(m), naive(rows.filter((r) => r.created_month === m.month)), `month ${m.month}`);
  for (const c of eq.channels) assert.deepEqual(pick(c), naive(rows.filter((r) => r.channel === c.channel)), `channel ${c.channel}`);
  const inst = await institutionsBoard(ctx, w);
  for (const l of [...inst.operators, ...inst.departments]) assert.deepEqual(pick(l), naive(rows.filter((r) => r.institution_id === l.id)), `institution ${l.id}`);
  return { eq, inst, rows };
}

async function ctxFor(commune: Commune): Promise<Ctx> {
  return { ...(await t.ctx()), commune, clock: { now: () => NOW } };
}

function getWithHost(path: string, host: string): Promise<{ status: number; text: string }> {
  const url = new URL(t.url);
  return new Promise((res, rej) => {
    http.get({ hostname: url.hostname, port: url.port, path, headers: { host } }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c) => { text += c; });
      r.on('end', () => res({ status: r.statusCode ?? 0, text }));
    }).on('error', rej);
  });
}

before(async () => {
  t = await startApp();
  dash = await makeDashCommune();
});
after(async () => { await t.close(); });

describe('figures', () => {
  test('the median of a histogram is the middle value, or the mean of the two middle ones', () => {
    assert.equal(medianOf([]), null);
    assert.equal(medianOf([{ days: 5, n: 1 }]), 5);
    assert.equal(medianOf([{ days: 4, n: 1 }, { days: 1, n: 1 }, { days: 3, n: 1 }, { days: 2, n: 1 }]), 2.5);
    assert.equal(medianOf([{ days: 1, n: 3 }, { days: 9, n: 1 }]), 1);
    assert.equal(medianOf([{ days: 1, n: 2 }, { days: 9, n: 2 }]), 5);
    assert.equal(medianOf([{ days: 2, n: 0 }, { days: 7, n: 3 }]), 7);
  });

  test('periods: the last 12 or 3 months, a year, everything', () => {
    assert.deepEqual(periodOf('12m', '2026-11-20'), { key: '12m', from: '2025-12', to: '2026-11' });
    assert.deepEqual(periodOf('3m', '2026-02-01'), { key: '3m', from: '2025-12', to: '2026-02' });
    assert.deepEqual(periodOf('2025', '2026-11-20'), { key: '2025', from: '2025-01', to: '2025-12' });
    assert.deepEqual(periodOf('junk', '2026-11-20'), periodOf('12m', '2026-11-20'));
    assert.equal(periodOf('all', '2026-11-20').key, 'all');
  });

  test('every figure equals the naive computation over the same rows, for each period and channel', async () => {
    const ctx = await ctxFor(dash.commune);
    const { eq, inst } = await assertMatchesNaive(ctx, windowOf(ctx, { period: '12m', channel: '' }).window);
    // The known answers, by hand, for the last 12 months.
    const d1 = eq.districts.find((d) => d.id === dash.ids.d1)!;
    assert.deepEqual([d1.requests, d1.per10k, d1.resolved, d1.medianDays, d1.withinShare, d1.satisfaction, d1.ratings], [4, 4, 3, 2, (100 * 2) / 3, 3.5, 2]);
    const d2 = eq.districts.find((d) => d.id === dash.ids.d2)!;
    assert.deepEqual([d2.requests, d2.per10k, d2.resolved, d2.medianDays, d2.withinShare], [5, 2.5, 3, 3, (100 * 2) / 3]);
    const d3 = eq.districts.find((d) => d.id === dash.ids.d3)!;
    assert.deepEqual([d3.requests, d3.per10k, d3.medianDays, d3.withinShare, d3.satisfaction], [1, null, 10, 0, null]);
    const none = eq.districts.find((d) => d.id === 0)!;
    assert.deepEqual([none.requests, none.medianDays], [2, 6]);
    assert.deepEqual([eq.total.requests, eq.total.resolved, eq.total.medianDays, eq.per10k], [12, 8, 3.5, (10_000 * 12) / 50_000]);
    assert.deepEqual(inst.operators.map((l) => l.id), [dash.ids.op]);
    assert.deepEqual(inst.departments.map((l) => l.id), [dash.ids.dep], 'a department no category routes to stays out');
    for (const [period, channel] of [['all', ''], ['2025', ''], ['3m', ''], ['12m', 'web'], ['all', 'api'], ['all', 'phone'], ['2024', '']]) {
      await assertMatchesNaive(ctx, windowOf(ctx, { period, channel }).window);
    }
  });

  test('the summary follows every change of a request: update, move, delete', async () => {
    const ctx = await ctxFor(dash.commune);
    const all = windowOf(ctx, { period: 'all', channel: '' }).window;
    const d = db();
    const target = await d.selectFrom('requests').select('id').where('commune_id', '=', dash.commune.id).where('status', '=', 'submitted').executeTakeFirstOrThrow();
    await d.updateTable('requests').set({ status: 'resolved', resolution_days: 2, within_target: 1, satisfaction: 4, closed_at: iso(NOW), resolved_at: iso(NOW) }).where('commune_id', '=', dash.commune.id).where('id', '=', target.id).execute();
    await assertMatchesNaive(ctx, all);
    await d.updateTable('requests').set({ district_id: dash.ids.d3, category_id: dash.ids.c1, institution_id: dash.ids.op, channel: 'api', created_month: '2026-08' }).where('commune_id', '=', dash.commune.id).where('id', '=', target.id).execute();
    await assertMatchesNaive(ctx, all);
    await d.updateTable('requests').set({ status: 'reopened', resolution_days: null, within_target: null, closed_at: null, resolved_at: null }).where('commune_id', '=', dash.commune.id).where('id', '=', target.id).execute();
    await assertMatchesNaive(ctx, all);
    await d.deleteFrom('request_events').where('commune_id', '=', dash.commune.id).where('request_id', '=', target.id).execute();
    await d.deleteFrom('requests').where('commune_id', '=', dash.commune.id).where('id', '=', target.id).execute();
    await assertMatchesNaive(ctx, all);
    await insertRow(dash.commune.id, dash.ids, ROWS[3], 99);
  });

  test('after real submissions and staff answers, the summary equals a rebuild from the requests', async () => {
    const ctx = await t.ctx();
    const web = { ...ctx, actor: null };
    const submitted = [];
    for (const [i, category] of ['dechets', 'eclairage', 'dechets'].entries()) {
      submitted.push(await submitRequest(web, {
        category, district: 'medina', address: `Rue ${i}`, description: `Signalement ${i}`,
        q_probleme: 'bac-plein', q_nombre: '2',
      }, { channel: 'web' }));
    }
    await acknowledge(ctx, submitted[0].reference, {});
    await resolve(ctx, submitted[0].reference, { note: 'Réglé.' });
    await giveFeedback(web, { code: submitted[0].trackingCode }, { fixed: 'no', satisfaction: '2', comment: '' });
    await resolve(ctx, submitted[1].reference, { note: 'Réparé.' });
    await giveFeedback(web, { code: submitted[1].trackingCode }, { fixed: 'yes', satisfaction: '5', comment: '' });
    await reject(ctx, submitted[2].reference, { reason: 'duplicate', duplicate_of: submitted[0].reference, note: '' });
    const live = await readSummaries();
    await rebuildCounters(t.database.db, dashboardSpecs);
    assert.deepEqual(live, await readSummaries(), 'trigger-kept counters equal a rebuild');
    const real = { ...ctx, clock: { now: () => new Date() } };
    const { rows } = await assertMatchesNaive(real, windowOf(real, { period: 'all', channel: '' }).window);
    assert.ok(rows.length >= 3);
  });
});

async function readSummaries() {
  const d = t.database.db.withTables<{ request_stats: Record<string, number | string>; request_stats_days: Record<string, number | string> }>();
  const stats = (await d.selectFrom('request_stats').selectAll().execute()).filter((r) => Number(r.n) !== 0)
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])));
  const days = (await d.selectFrom('request_stats_days').selectAll().execute()).filter((r) => Number(r.n) !== 0)
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])));
  const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).sort());
  return { stats: stats.map(key).sort(), days: days.map(key).sort() };
}

describe('pages', () => {
  test('the equity and institutions dashboards answer 200 in French, Arabic and English, with their figures', async () => {
    const c = new Client(t.url);
    for (const locale of ['fr', 'ar', 'en']) {
      for (const path of ['/requests/dashboards', '/requests/dashboards/institutions']) {
        for (const q of ['', '?period=all&channel=web', '?period=2025', '?period=%3Cx%3E&channel=%22']) {
          const res = await c.get(`/${locale}${path}${q}`);
          assert.equal(res.status, 200, `${locale}${path}${q}`);
          assert.equal((res.text.match(/<h1/g) ?? []).length, 1);
          assert.match(res.text, /<svg role="img"/);
          assert.match(res.text, /<caption>/);
          assert.ok(!/ style="/.test(res.text), 'no inline style');
        }
      }
    }
    const ar = await c.get('/ar/requests/dashboards');
    assert.match(ar.text, /<html lang="ar" dir="rtl">/);
    assert.match(textOf(ar.text), /الإنصاف بين الأحياء والمصالح/);
    const fr = textOf((await c.get('/fr/requests/dashboards?period=all')).text);
    assert.match(fr, /Équité entre quartiers et services/);
    assert.match(fr, /Médina/, 'the demo districts');
    assert.match(fr, /Pour 10 000 habitants/);
  });

  test('the small commune\'s page shows its known figures (host dash.localhost)', async () => {
    const res = await getWithHost('/fr/requests/dashboards?period=all', 'dash.localhost');
    assert.equal(res.status, 200);
    const text = textOf(res.text);
    assert.match(text, /Quartier Un 10[.\s]000 5 5 4 /, 'district 1: population, per 10k (all time), requests, resolved');
    assert.match(text, /Sans quartier \(adresse seule\)/);
    const inst = textOf((await getWithHost('/fr/requests/dashboards/institutions?period=all', 'dash.localhost')).text);
    assert.match(inst, /Opérateur Test/);
    assert.match(inst, /Direction Test/);
    assert.ok(!inst.includes('Direction Sans Catégorie'));
  });
});
