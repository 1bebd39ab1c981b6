import { isWorkingDay } from '../../../core/clock/working-days.ts';

/**
 * The petition rules of Organic Law 113-14 on communes (dahir 1-15-85 of 7 July 2015), articles 121 to 125, as
 * defaults a commune may change in its settings:
 * - citizens' petitions (art. 123): signers resident in the commune or with an economic, commercial or professional
 *   interest in it; at least 100 signatures in a commune of fewer than 35,000 inhabitants, 200 otherwise, 400 in a
 *   commune divided into arrondissements;
 * - associations' petitions (art. 124): an association founded in Morocco under the law for more than three years,
 *   working by democratic principles and its statutes, in good standing, with its seat or a branch in the commune
 *   and an activity related to the petition's object;
 * - excluded subjects (art. 122): the fundamental constants of article 1 of the Constitution; only matters within
 *   the council's powers;
 * - the bureau decides on admissibility; a refusal is reasoned and notified within three months of receipt (art. 125).
 */
export interface PetitionSettings {
  /** null: by population (100 / 200 / 400). */
  citizensMin: number | null;
  arrondissements: boolean;
  associationYears: number;
  decisionMonths: number;
  excluded: string;
}
export const DEFAULT_SETTINGS: PetitionSettings = { citizensMin: null, arrondissements: false, associationYears: 3, decisionMonths: 3, excluded: '' };

export function defaultThreshold(population: number | null, arrondissements: boolean): number {
  if (arrondissements) return 400;
  return population !== null && population < 35_000 ? 100 : 200;
}

export function threshold(s: PetitionSettings, population: number | null, kind: string): number {
  if (kind === 'association') return 0;
  return s.citizensMin ?? defaultThreshold(population, s.arrondissements);
}

/** A national identity card number as written on a sheet, normalised (`ab 123 456` → `AB123456`); null when not one. */
export function normalizeCin(raw: string): string | null {
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s.\-_/]/g, '');
  return /^[A-Z]{1,2}\d{1,7}$/.test(s) ? s : null;
}

/** A name folded for display checks: no accents, case or repeated spaces. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** One line of a paper sheet, `name ; CIN` (or a tab, or a comma), or why it cannot be read. */
export function parseSheetLine(line: string): { name: string; cin: string } | { error: 'format' | 'cin' } {
  const parts = line.split(/[;\t,]/).map((x) => x.trim()).filter(Boolean);
  if (parts.length !== 2 || normalizeName(parts[0]).length < 3) return { error: 'format' };
  const cin = normalizeCin(parts[1]);
  return cin ? { name: parts[0], cin } : { error: 'cin' };
}

function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * The last day for the bureau's decision: `months` after the filing day (the same day of the month, or the month's
 * last day), moved to the next working day when it falls on a weekend or a holiday.
 */
export function decisionDue(filedDay: string, months: number, holidays: ReadonlySet<string>): string {
  let day = addMonths(filedDay, months);
  while (!isWorkingDay(day, holidays)) day = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return day;
}

/** What may happen next from a status. */
export const NEXT: Record<string, string[]> = {
  collecting: ['filed'], filed: ['admissible', 'inadmissible'], admissible: ['scheduled'], scheduled: ['decided'], inadmissible: [], decided: [],
};
