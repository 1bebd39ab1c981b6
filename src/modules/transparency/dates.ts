import { localDay } from '../../core/clock/working-days.ts';

/** The first instant of a day in the commune's zone (Africa/Casablanca), as ISO UTC: an embargo "until the 15th" ends at local midnight. */
export function startOfLocalDay(day: string): string {
  const base = Date.parse(`${day}T00:00:00Z`);
  for (let h = -3; h <= 3; h++) {
    const t = new Date(base + h * 3_600_000);
    if (localDay(t) === day) return t.toISOString();
  }
  return new Date(base).toISOString();
}

/** A local day and time (`2026-12-10`, `18:00`) as ISO UTC. */
export function localDateTime(day: string, time: string): string {
  const start = Date.parse(startOfLocalDay(day));
  const [h, m] = time.split(':').map(Number);
  return new Date(start + (h * 60 + m) * 60_000).toISOString();
}

/** The local time (HH:MM) of an ISO instant. */
export function localTime(isoValue: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Casablanca', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(isoValue));
}
