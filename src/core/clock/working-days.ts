import type { AnyDB } from '../db/index.ts';
import { TIME_ZONE } from './index.ts';
import reference from './morocco-holidays.json' with { type: 'json' };

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day in the commune's time zone, as YYYY-MM-DD. */
export function localDay(d: Date, timeZone = TIME_ZONE): string {
  // Building the formatter costs fifty times more than using it: one per time zone.
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(d);
}

function dayAfter(day: string, n = 1): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function isWeekend(day: string): boolean {
  const w = new Date(`${day}T12:00:00Z`).getUTCDay();
  return w === 0 || w === 6; // Saturday and Sunday are not working days in the administration
}

export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  return !isWeekend(day) && !holidays.has(day);
}

/** The day on which a deadline of `n` working days, counted from the day after `from`, falls. */
export function addWorkingDays(from: Date | string, n: number, holidays: ReadonlySet<string>): string {
  let day = typeof from === 'string' ? from : localDay(from);
  let left = n;
  while (left > 0) {
    day = dayAfter(day);
    if (isWorkingDay(day, holidays)) left--;
  }
  return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: Date | string, to: Date | string, holidays: ReadonlySet<string>): number {
  let day = typeof from === 'string' ? from : localDay(from);
  const end = typeof to === 'string' ? to : localDay(to);
  let n = 0;
  while (day < end) {
    day = dayAfter(day);
    if (isWorkingDay(day, holidays)) n++;
  }
  return n;
}

export interface HolidayEntry { day: string; name: Record<string, string>; kind: 'fixed' | 'hijri' }

const hijriFormat = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });

/** A first estimate of the holidays of a year: fixed dates, and Hijri ones by the Umm al-Qura calendar (to be confirmed by an administrator). */
export function estimateHolidays(year: number): HolidayEntry[] {
  const out: HolidayEntry[] = [];
  for (const f of reference.fixed as { date: string; since?: number; fr: string; ar: string; en: string }[]) {
    if (f.since && year < f.since) continue;
    out.push({ day: `${year}-${f.date}`, name: { fr: f.fr, ar: f.ar, en: f.en }, kind: 'fixed' });
  }
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const parts = hijriFormat.formatToParts(d);
    const month = Number(parts.find((p) => p.type === 'month')?.value);
    const day = Number(parts.find((p) => p.type === 'day')?.value);
    for (const h of reference.hijri as { month: number; day: number; days: number; fr: string; ar: string; en: string }[]) {
      if (h.month === month && h.day === day) {
        const first = d.toISOString().slice(0, 10);
        for (let i = 0; i < h.days; i++) out.push({ day: dayAfter(first, i), name: { fr: h.fr, ar: h.ar, en: h.en }, kind: 'hijri' });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((h) => (seen.has(h.day) ? false : (seen.add(h.day), true))).sort((a, b) => a.day.localeCompare(b.day));
}

/** Adds the estimated holidays of the given years that the commune does not have yet. */
export async function seedHolidays(trx: AnyDB, communeId: number, years: number[]): Promise<number> {
  let added = 0;
  for (const y of years) {
    for (const h of estimateHolidays(y)) {
      const r = await trx.insertInto('holidays').values({ commune_id: communeId, day: h.day, name: JSON.stringify(h.name), kind: h.kind, confirmed: h.kind === 'fixed' ? 1 : 0 })
        .onConflict((oc: any) => oc.columns(['commune_id', 'day']).doNothing()).executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return added;
}

/** The commune's holidays between two days, as a set for the working-day functions. */
export async function loadHolidays(db: AnyDB, communeId: number, fromDay: string, toDay: string): Promise<Set<string>> {
  const rows = await db.selectFrom('holidays').select('day').where('commune_id', '=', communeId).where('day', '>=', fromDay).where('day', '<=', toDay).execute();
  return new Set(rows.map((r: { day: string }) => r.day));
}
