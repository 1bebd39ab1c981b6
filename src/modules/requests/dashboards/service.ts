import type { Ctx } from '../../../core/service.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { parseTranslated, type Translated } from '../../../core/i18n/index.ts';
import { listCategories, listDistricts } from '../service.ts';
import { CHANNELS } from '../schema.ts';
import * as repo from './repo.ts';
import { dash, type Counts, type DaysRow, type Window } from './repo.ts';

/**
 * The public equity and operator dashboards: figures per district, category, institution
 * (department or delegated operator), month and channel, over a period of submission months.
 *
 * - requests: submitted in the period; per 10,000 residents for districts with a known population;
 * - median days: working days from submission to resolution, over the requests resolved so far;
 * - within target: the share of those resolved requests closed on or before their deadline;
 * - satisfaction: the mean of the reporters' 1–5 ratings.
 */

export interface Figures {
  requests: number;
  open: number;
  resolved: number;
  rejected: number;
  withinTarget: number;
  /** Percent of resolved requests resolved within target (null: none resolved). */
  withinShare: number | null;
  medianDays: number | null;
  ratings: number;
  satisfaction: number | null;
}

export interface Line extends Figures { id: number; name: Translated }
export interface DistrictLine extends Line { population: number | null; per10k: number | null }
export interface MonthLine extends Figures { month: string }
export interface ChannelLine extends Figures { channel: string }

export const PERIODS = ['12m', '3m', 'all'] as const;

export interface DashQuery { period: string; channel: string }

export interface Period { from: string; to: string; key: string }

/** Median of a histogram { value → count }: the middle value, or the mean of the two middle ones. */
export function medianOf(hist: { days: number; n: number }[]): number | null {
  const sorted = [...hist].filter((h) => h.n > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((s, h) => s + h.n, 0);
  if (!total) return null;
  const at = (pos: number) => { // 1-based position in the sorted values
    let seen = 0;
    for (const h of sorted) { seen += h.n; if (seen >= pos) return h.days; }
    return sorted[sorted.length - 1].days;
  };
  return total % 2 ? at((total + 1) / 2) : (at(total / 2) + at(total / 2 + 1)) / 2;
}

function figures(c: Counts | undefined, hist: { days: number; n: number }[]): Figures {
  const x = c ?? { n: 0, open_n: 0, resolved_n: 0, rejected_n: 0, within_n: 0, sat_n: 0, sat_sum: 0 };
  return {
    requests: x.n, open: x.open_n, resolved: x.resolved_n, rejected: x.rejected_n, withinTarget: x.within_n,
    withinShare: x.resolved_n ? (100 * x.within_n) / x.resolved_n : null,
    medianDays: medianOf(hist),
    ratings: x.sat_n, satisfaction: x.sat_n ? x.sat_sum / x.sat_n : null,
  };
}

function byKey<T extends { key: string | number }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r.key);
    const list = m.get(k);
    if (list) list.push(r); else m.set(k, [r]);
  }
  return m;
}

function monthMinus(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 15));
  return d.toISOString().slice(0, 7);
}

/** The months a period covers: the last 12 or 3 months, a calendar year, or everything. */
export function periodOf(key: string, today: string): Period {
  const month = today.slice(0, 7);
  if (/^\d{4}$/.test(key) && Number(key) >= 2000 && Number(key) <= 2100) return { key, from: `${key}-01`, to: `${key}-12` };
  if (key === 'all') return { key, from: '0000-00', to: '9999-99' };
  if (key === '3m') return { key, from: monthMinus(month, 2), to: month };
  return { key: '12m', from: monthMinus(month, 11), to: month };
}

export function windowOf(ctx: Ctx, q: DashQuery): { period: Period; window: Window; channel: string } {
  const period = periodOf(q.period, localDay(ctx.clock.now()));
  const channel = (CHANNELS as readonly string[]).includes(q.channel) ? q.channel : '';
  return { period, channel, window: { from: period.from, to: period.to, channel: channel || undefined } };
}

/** The years a period select offers: those with requests, newest first. */
export async function yearsWithData(ctx: Ctx): Promise<string[]> {
  const r = await repo.monthRange(dash(ctx.db), ctx.commune.id);
  if (!r.first || !r.last) return [];
  const out: string[] = [];
  for (let y = Number(r.last.slice(0, 4)); y >= Number(r.first.slice(0, 4)) && out.length < 10; y--) out.push(String(y));
  return out;
}

function sumCounts(rows: Counts[]): Counts {
  const t: Counts = { key: 'all', n: 0, open_n: 0, resolved_n: 0, rejected_n: 0, within_n: 0, sat_n: 0, sat_sum: 0 };
  for (const r of rows) { t.n += r.n; t.open_n += r.open_n; t.resolved_n += r.resolved_n; t.rejected_n += r.rejected_n; t.within_n += r.within_n; t.sat_n += r.sat_n; t.sat_sum += r.sat_sum; }
  return t;
}

function mergeHist(rows: DaysRow[]): { days: number; n: number }[] {
  const m = new Map<number, number>();
  for (const r of rows) m.set(r.days, (m.get(r.days) ?? 0) + r.n);
  return [...m].map(([days, n]) => ({ days, n }));
}

/** Equity: the whole commune, each district (per 10,000 residents), each category, each month, each channel. */
export async function equity(ctx: Ctx, w: Window) {
  const db = dash(ctx.db);
  const id = ctx.commune.id;
  const [byDistrict, byCategory, byMonth, byChannel, dDays, cDays, mDays, chDays, districts, categories] = await Promise.all([
    repo.counts(db, id, w, 'district_id'), repo.counts(db, id, w, 'category_id'), repo.counts(db, id, w, 'month'), repo.counts(db, id, w, 'channel'),
    repo.daysBy(db, id, w, 'district'), repo.daysBy(db, id, w, 'category'), repo.daysByPeriod(db, id, w, 'month'), repo.daysByPeriod(db, id, w, 'channel'),
    listDistricts(ctx), listCategories(ctx, false),
  ]);
  const dc = new Map(byDistrict.map((r) => [String(r.key), r]));
  const dh = byKey(dDays);
  const districtLines: DistrictLine[] = districts.map((d) => {
    const f = figures(dc.get(String(d.id)), dh.get(String(d.id)) ?? []);
    return { id: d.id, name: d.name, population: d.population, per10k: d.population ? (10_000 * f.requests) / d.population : null, ...f };
  });
  // Requests placed in no district (an address only) get their own line when there are some.
  const none = dc.get('0');
  if (none && none.n > 0) districtLines.push({ id: 0, name: {}, population: null, per10k: null, ...figures(none, dh.get('0') ?? []) });

  const cc = new Map(byCategory.map((r) => [String(r.key), r]));
  const ch = byKey(cDays);
  const categoryLines: Line[] = categories
    .filter((c) => c.active || (cc.get(String(c.id))?.n ?? 0) > 0)
    .map((c) => ({ id: c.id, name: c.name, ...figures(cc.get(String(c.id)), ch.get(String(c.id)) ?? []) }));

  const mh = byKey(mDays);
  const monthLines: MonthLine[] = byMonth.filter((r) => r.n > 0).map((r) => ({ month: String(r.key), ...figures(r, mh.get(String(r.key)) ?? []) }))
    .sort((a, b) => a.month.localeCompare(b.month));
  const chh = byKey(chDays);
  const channelLines: ChannelLine[] = CHANNELS.map((c) => ({ channel: c, ...figures(byChannel.find((r) => r.key === c), chh.get(c) ?? []) }));
  const total = figures(sumCounts(byDistrict), mergeHist(mDays));
  const population = ctx.commune.population;
  return {
    total, population, per10k: population ? (10_000 * total.requests) / population : null,
    districts: districtLines, categories: categoryLines, months: monthLines, channels: channelLines,
  };
}
export type Equity = Awaited<ReturnType<typeof equity>>;

/** Delegated operators and departments: each institution requests are routed to. */
export async function institutionsBoard(ctx: Ctx, w: Window) {
  const db = dash(ctx.db);
  const id = ctx.commune.id;
  const [counts, days, institutions, categories] = await Promise.all([
    repo.counts(db, id, w, 'institution_id'), repo.daysBy(db, id, w, 'institution'), repo.institutions(db, id), listCategories(ctx, false),
  ]);
  const routed = new Set(categories.map((c) => c.institutionId));
  const c = new Map(counts.map((r) => [String(r.key), r]));
  const h = byKey(days);
  const lines = institutions.map((i) => ({ id: i.id, kind: i.kind, name: parseTranslated(i.name), ...figures(c.get(String(i.id)), h.get(String(i.id)) ?? []) }));
  // Institutions no category routes to and that received nothing (the budget directorate…) stay out.
  const used = lines.filter((l) => l.requests > 0 || routed.has(l.id));
  return {
    operators: used.filter((l) => l.kind === 'operator'),
    departments: used.filter((l) => l.kind === 'department'),
  };
}
export type InstitutionsBoard = Awaited<ReturnType<typeof institutionsBoard>>;
