import { formatNumber, type Locale, type T } from '../../../core/i18n/index.ts';

/** Amounts are centimes; a page shows dirhams (tables) or millions of dirhams (headlines, charts). */
export function dirhams(locale: Locale, centimes: number | null): string {
  if (centimes === null) return '—';
  return formatNumber(locale, Math.round(centimes / 100), { style: 'currency', currency: 'MAD', maximumFractionDigits: 0, minimumFractionDigits: 0 });
}

export function millions(locale: Locale, t: T, centimes: number | null): string {
  if (centimes === null) return '—';
  return t('budget.mdh', { n: formatNumber(locale, centimes / 1e8, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) });
}

export function percent(locale: Locale, v: number | null): string {
  return v === null ? '—' : `${formatNumber(locale, v, { maximumFractionDigits: 1 })}\u00a0%`;
}
