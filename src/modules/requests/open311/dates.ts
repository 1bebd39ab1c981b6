import { TIME_ZONE } from '../../../core/clock/index.ts';

/**
 * W3C date-times (ISO 8601 with a UTC offset), in the commune's zone: `2026-11-25T13:04:00+01:00`.
 * Morocco's offset changes around Ramadan, so it is read from the time-zone database, once per hour.
 */
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });
const offsets = new Map<number, number>();

/** Minutes east of UTC in the commune's zone at the instant `ms`. */
export function offsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let o = offsets.get(hour);
  if (o === undefined) {
    const name = offsetFormat.formatToParts(new Date(hour * 3_600_000)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(name);
    o = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(hour, o);
  }
  return o;
}

function offsetText(min: number): string {
  const a = Math.abs(min);
  return `${min < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** An ISO UTC timestamp as a W3C date-time in the commune's zone; '' for none. */
export function w3c(isoUtc: string | null | undefined): string {
  if (!isoUtc) return '';
  const ms = Date.parse(isoUtc);
  if (Number.isNaN(ms)) return '';
  const off = offsetMinutes(ms);
  return new Date(ms + off * 60_000).toISOString().slice(0, 19) + offsetText(off);
}

/** The end of a local day (a deadline), as a W3C date-time. */
export function w3cEndOfDay(day: string | null | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  const off = offsetMinutes(Date.parse(`${day}T12:00:00Z`));
  return `${day}T23:59:59${offsetText(off)}`;
}

const W3C_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+\- ]\d{2}:?\d{2})?)?$/;

/**
 * Reads a W3C date or date-time as the instant it names (ms since the epoch), or null when it is
 * not one. A date alone, or a time without offset, is taken in the commune's zone. A `+` that a
 * client forgot to encode arrives as a space, and is read as `+`.
 */
export function parseW3c(input: string): number | null {
  const m = W3C_RE.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(wall);
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)
    || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi) || back.getUTCSeconds() !== Number(s)) return null;
  if (zone === 'Z') return wall;
  if (zone) {
    const z = /^([+\- ])(\d{2}):?(\d{2})$/.exec(zone)!;
    const min = Number(z[2]) * 60 + Number(z[3]);
    if (Number(z[2]) > 14 || Number(z[3]) > 59) return null;
    return wall - (z[1] === '-' ? -min : min) * 60_000;
  }
  // Local wall time: subtract the zone's offset at (about) that instant.
  return wall - offsetMinutes(wall - offsetMinutes(wall) * 60_000) * 60_000;
}
