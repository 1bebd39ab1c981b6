import type { Side } from './schema.ts';

/** A membership as the parity rule sees it: a side and a period (`until` is the first day it no longer counts). */
export interface Membership { side: Side | string; since: string; until: string | null }
export interface SideCounts { civil_society: number; commune: number }

/** Current on a day: started on or before it, and not ended yet (no end, or an end after that day). */
export function isCurrentOn(m: Membership, day: string): boolean {
  return m.since <= day && (m.until === null || m.until > day);
}

export function countsOn(members: Membership[], day: string): SideCounts {
  const c: SideCounts = { civil_society: 0, commune: 0 };
  for (const m of members) {
    if (!isCurrentOn(m, day)) continue;
    if (m.side === 'civil_society') c.civil_society++;
    else if (m.side === 'commune') c.commune++;
  }
  return c;
}

/**
 * The joint committee's rule: as many civil-society as commune members, today
 * and on every later day a membership starts or ends. Returns the first day the
 * two sides differ, with the counts that day, or null when parity holds.
 */
export function parityBreach(members: Membership[], today: string): { day: string; counts: SideCounts } | null {
  const days = new Set<string>([today]);
  for (const m of members) {
    if (m.since > today) days.add(m.since);
    if (m.until !== null && m.until > today) days.add(m.until);
  }
  for (const day of [...days].sort()) {
    const counts = countsOn(members, day);
    if (counts.civil_society !== counts.commune) return { day, counts };
  }
  return null;
}
