/** The participation module's rules, without I/O (unit-tested in test/participation.test.ts). */

/** Public pages never show a count under this: a group of fewer people could single someone out. */
export const SMALL_COUNT = 5;

/** A count as a public page may show it: null (shown as "fewer than 5") when it is between 1 and 4. */
export function suppress(n: number): number | null {
  return n > 0 && n < SMALL_COUNT ? null : n;
}

/**
 * The capacity in which someone took part, as the OGP template reports it: the organisation they represent, else
 * "workshop participant not affiliated" when they attended a meeting, else "online contribution".
 */
export const CATEGORIES = ['civil_society', 'international_ngo', 'online', 'unaffiliated', 'academic', 'private_sector', 'public_sector'] as const;
export type Category = (typeof CATEGORIES)[number];
export function categoryOf(orgType: string, attended: boolean): Category {
  if (orgType !== 'none' && (CATEGORIES as readonly string[]).includes(orgType)) return orgType as Category;
  return attended ? 'unaffiliated' : 'online';
}

/**
 * Where a new registration goes: a place while the meeting has room, else the waiting list.
 * `capacity` null: no limit.
 */
export function placeFor(capacity: number | null, registered: number): 'registered' | 'waiting' {
  return capacity === null || registered < capacity ? 'registered' : 'waiting';
}

/** Whether registration is open at `now` (ISO) for a meeting. */
export function registrationState(m: { status: string; starts_at: string; registration_opens_at: string | null; registration_closes_at: string | null; invitation_only: number | boolean }, now: string):
  'open' | 'not_yet' | 'closed' | 'invitation_only' | 'cancelled' {
  if (m.status === 'cancelled') return 'cancelled';
  if (m.status === 'held' || now >= m.starts_at) return 'closed';
  if (m.registration_closes_at && now >= m.registration_closes_at) return 'closed';
  if (m.registration_opens_at && now < m.registration_opens_at) return 'not_yet';
  if (m.invitation_only) return 'invitation_only';
  return 'open';
}

/** A process's current phase: the one whose dates hold `day` (YYYY-MM-DD), else null. */
export function currentPhase<P extends { starts_on: string; ends_on: string }>(phases: P[], day: string): P | null {
  return phases.find((p) => p.starts_on <= day && day <= p.ends_on) ?? null;
}

/**
 * Composition targets of a workshop: for a dimension (sex, age_band, org_type, district), the minimum share of each
 * value among its participants (`{ sex: { f: 0.4 } }`: at least 40 % women).
 */
export type Targets = Record<string, Record<string, number>>;
export interface Drift { dimension: string; value: string; target: number; actual: number }

/** The targets a composition falls short of (shares compared with `tolerance`); empty when none or no one yet. */
export function compositionDrift(targets: Targets, counts: Record<string, Record<string, number>>, total: number, tolerance = 0.05): Drift[] {
  if (total <= 0) return [];
  const out: Drift[] = [];
  for (const [dimension, values] of Object.entries(targets)) {
    for (const [value, target] of Object.entries(values)) {
      const actual = (counts[dimension]?.[value] ?? 0) / total;
      if (actual + tolerance < target) out.push({ dimension, value, target, actual });
    }
  }
  return out;
}

/** Parses stored targets defensively (a bad value is no target). */
export function parseTargets(json: string | null | undefined): Targets {
  try {
    const v = JSON.parse(json ?? '{}');
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Targets = {};
    for (const [d, vals] of Object.entries(v as Record<string, unknown>)) {
      if (!vals || typeof vals !== 'object') continue;
      const inner: Record<string, number> = {};
      for (const [k, n] of Object.entries(vals as Record<string, unknown>)) if (typeof n === 'number' && n >= 0 && n <= 1) inner[k] = n;
      out[d] = inner;
    }
    return out;
  } catch { return {}; }
}

/** Parses the "targets" form field: lines `dimension.value=percent` (`sex.f=40`). Returns null when a line is malformed. */
export function targetsFromText(text: string): Targets | null {
  const out: Targets = {};
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\.([a-z0-9_]+)\s*=\s*(\d{1,3})\s*%?$/.exec(line);
    if (!m || Number(m[3]) > 100) return null;
    (out[m[1]] ??= {})[m[2]] = Number(m[3]) / 100;
  }
  return out;
}
export function targetsToText(t: Targets): string {
  return Object.entries(t).flatMap(([d, vals]) => Object.entries(vals).map(([v, n]) => `${d}.${v}=${Math.round(n * 100)}`)).join('\n');
}

/** Invitation preview: how a list of people spreads over each dimension. */
export function composition<P extends Record<string, unknown>>(people: P[], dimensions: readonly string[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of dimensions) {
    const c: Record<string, number> = {};
    for (const p of people) { const v = p[d] === null || p[d] === undefined || p[d] === '' ? 'unknown' : String(p[d]); c[v] = (c[v] ?? 0) + 1; }
    out[d] = c;
  }
  return out;
}
