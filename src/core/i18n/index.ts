import i18next from 'i18next';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const LOCALES = ['fr', 'ar', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
export type Catalog = { [key: string]: string | Catalog };
export type Catalogs = Record<Locale, Catalog>;
/** A content field stored translated: one string per locale (some may be missing). */
export type Translated = Partial<Record<Locale, string>>;

export const coreCatalogs: Catalogs = { fr, ar, en };

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
}

export function dir(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** Intl locale tags: Moroccan Arabic keeps Western digits, as in Moroccan administration. */
export function intlTag(locale: Locale): string {
  return locale === 'ar' ? 'ar-MA' : locale === 'fr' ? 'fr-MA' : 'en-GB';
}

export function mergeCatalogs(...parts: Catalogs[]): Catalogs {
  const deep = (a: Catalog, b: Catalog): Catalog => {
    const out: Catalog = { ...a };
    for (const [k, v] of Object.entries(b)) {
      out[k] = typeof v === 'object' && typeof out[k] === 'object' ? deep(out[k] as Catalog, v) : v;
    }
    return out;
  };
  const result = { fr: {}, ar: {}, en: {} } as Catalogs;
  for (const p of parts) for (const l of LOCALES) result[l] = deep(result[l], p[l] ?? {});
  return result;
}

export function flattenKeys(c: Catalog, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) => (typeof v === 'object' ? flattenKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** A translation function fixed to one locale. */
export type T = (key: string, params?: Record<string, unknown>) => string;

export interface I18n { t(locale: Locale): T; catalogs: Catalogs }

export async function createI18n(catalogs: Catalogs): Promise<I18n> {
  const inst = i18next.createInstance();
  await inst.init({
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: catalogs[l] }])),
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    // Preact escapes on output; escaping here would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  } as any);
  // A lookup through i18next costs tens of µs (resolution, interpolation and nesting passes) and a
  // long page makes hundreds. Catalogs are fixed: a text without parameters is looked up once per
  // locale, and one whose parameters only fill {{placeholders}} is filled from its parts. A numeric
  // count picks its plural form as i18next does (`_zero` for 0 when the text has one, else the
  // locale's plural category, else the key itself). Contexts, ordinals, nesting ($t), formats
  // ({{x, number}}) and non-text values go to i18next.
  const fixed = Object.fromEntries(LOCALES.map((l) => {
    const raw = inst.getFixedT(l) as unknown as T;
    const memo = new Map<string, string>();
    const templates = new Map<string, string[] | null>();
    const rules = new Intl.PluralRules(l, { type: 'cardinal' });
    const forms = new Map<string, string>();
    const isText = (k: string) => typeof inst.getResource(l, 'translation', k) === 'string';
    const pluralKey = (key: string, count: number) => {
      const category = rules.select(count);
      const id = count === 0 ? `${key}|0` : `${key}|${category}`;
      let k = forms.get(id);
      if (k === undefined) {
        const candidates = [...(count === 0 ? [`${key}_zero`] : []), `${key}_${category}`];
        forms.set(id, (k = candidates.find(isText) ?? key));
      }
      return k;
    };
    const t: T = (key, params) => {
      if (params) {
        const counted = typeof params.count === 'number';
        const k = counted ? pluralKey(key, params.count as number) : key;
        let parts = templates.get(k);
        if (parts === undefined) templates.set(k, (parts = templateParts(inst.getResource(l, 'translation', k))));
        return (parts && fill(parts, params, counted)) ?? raw(key, params);
      }
      let v = memo.get(key);
      if (v === undefined) { v = raw(key); memo.set(key, v); }
      return v;
    };
    return [l, t];
  })) as Record<Locale, T>;
  return { t: (l) => fixed[l], catalogs };
}

/** Options i18next reads from a call's parameters: such a call is left to i18next. */
const I18NEXT_OPTIONS = new Set(['count', 'context', 'ordinal', 'lng', 'lngs', 'ns', 'replace', 'interpolation', 'returnObjects', 'returnDetails', 'joinArrays', 'postProcess', 'skipInterpolation', 'keySeparator', 'nsSeparator']);

/** A catalog text split around its {{placeholders}} (odd indexes are names), or null if i18next must handle it. */
export function templateParts(template: unknown): string[] | null {
  if (typeof template !== 'string' || template.includes('$t(') || template.includes('{{-')) return null;
  const parts = template.split(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/);
  return parts.some((p, i) => i % 2 === 0 && (p.includes('{{') || p.includes('}}'))) ? null : parts;
}

/** The text with its placeholders filled, or null when a parameter is an i18next option or not a plain value. */
export function fill(parts: string[], params: Record<string, unknown>, counted = false): string | null {
  // A default is for a missing text; this one exists (i18next ignores the default then).
  for (const k in params) if ((I18NEXT_OPTIONS.has(k) && !(counted && k === 'count')) || (k.startsWith('defaultValue') && k !== 'defaultValue')) return null;
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const v = params[parts[i]];
    if (typeof v === 'string') out += v;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out += String(v);
    else return null;
    out += parts[i + 1];
  }
  return out;
}

/**
 * A code (a request's reference `TET-2026-000037`, a reporting period `2025-S2`) inside a translated
 * sentence: isolated, so an Arabic sentence does not reorder it (`S2-2025`). For text nodes, use `<bdi>`.
 */
export const isolate = (s: string) => `\u2068${s}\u2069`;

/** The text of a translated field in this locale, else French, else whatever exists. */
export function tr(value: Translated | string | null | undefined, locale: Locale): string {
  return trWithLang(value, locale).text;
}

export function trWithLang(value: Translated | string | null | undefined, locale: Locale): { text: string; lang: Locale } {
  if (!value) return { text: '', lang: locale };
  if (typeof value === 'string') return { text: value, lang: locale };
  if (value[locale]) return { text: value[locale]!, lang: locale };
  for (const l of [DEFAULT_LOCALE, ...LOCALES]) if (value[l]) return { text: value[l]!, lang: l };
  return { text: '', lang: locale };
}

export function parseTranslated(json: string | null | undefined): Translated {
  if (!json) return {};
  try { return JSON.parse(json) as Translated; } catch { return {}; }
}

export function formatDate(locale: Locale, value: string | Date | null | undefined, withTime = false): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return cachedFormat(dateFormats, `${locale}|${withTime}`, () => new Intl.DateTimeFormat(intlTag(locale), {
    timeZone: 'Africa/Casablanca', year: 'numeric', month: 'long', day: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  })).format(d);
}

// Building an Intl formatter costs ~50 µs, formatting with one ~1 µs: a page of tables formats hundreds of values.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
function cachedFormat<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let f = cache.get(key);
  if (!f) {
    if (cache.size > 500) cache.clear();
    f = make();
    cache.set(key, f);
  }
  return f;
}

export function formatNumber(locale: Locale, n: number, opts: Intl.NumberFormatOptions = {}): string {
  return cachedFormat(numberFormats, `${locale}|${JSON.stringify(opts)}`, () => new Intl.NumberFormat(intlTag(locale), opts)).format(n);
}

/** Best locale from an Accept-Language header. */
export function negotiateLocale(header: string | undefined, allowed: readonly Locale[] = LOCALES): Locale {
  const fallback = allowed.includes(DEFAULT_LOCALE) ? DEFAULT_LOCALE : allowed[0] ?? DEFAULT_LOCALE;
  if (!header) return fallback;
  const ranked = header.split(',').map((part) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.trim().slice(2)) || 0 : 1 };
  }).sort((a, b) => b.q - a.q);
  for (const r of ranked) if (isLocale(r.lang) && allowed.includes(r.lang) && r.q > 0) return r.lang;
  return fallback;
}
