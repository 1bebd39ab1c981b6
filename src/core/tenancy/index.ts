import type { DB } from '../db/index.ts';
import { parseTranslated, LOCALES, type Locale, type Translated } from '../i18n/index.ts';

/** A commune's life: `suspended` (public pages answer 503, staff read only), `archived` (gone: 410). */
export const COMMUNE_STATUSES = ['active', 'suspended', 'archived'] as const;
export type CommuneStatus = (typeof COMMUNE_STATUSES)[number];

/** What an operator or the commune configures beyond its name and hosts (the `settings` JSON of `communes`). */
export interface CommuneSettings {
  /** The languages the commune publishes in (a subset of LOCALES, never empty), and its default. */
  languages: Locale[];
  defaultLocale: Locale;
  /** IANA time zone of its dates and legal deadlines. */
  timeZone: string;
  /** Brand colours (`#rrggbb`), accepted only when they meet WCAG AA against the page colours. */
  colors: { primary?: string; accent?: string };
  /** Modules it does not use: their routes answer 404 and their navigation entries are hidden. */
  modulesOff: string[];
  /** The stored logo's file name (under DATA_DIR/logos), when one was uploaded. */
  logo?: string;
  /** The holiday calendar it follows (`morocco` by default). */
  holidays: string;
}

export const DEFAULT_SETTINGS: CommuneSettings = {
  languages: [...LOCALES], defaultLocale: 'fr', timeZone: 'Africa/Casablanca', colors: {}, modulesOff: [], holidays: 'morocco',
};

export interface Commune {
  id: number;
  slug: string;
  name: Translated;
  region: Translated;
  population: number | null;
  hosts: string[];
  status: CommuneStatus;
  settings: CommuneSettings;
}

/** The settings JSON as stored, made whole (unknown keys dropped, missing ones defaulted, languages kept valid). */
export function parseSettings(raw: string | null | undefined): CommuneSettings {
  let v: Record<string, unknown> = {};
  try { const p = JSON.parse(raw || '{}'); if (p && typeof p === 'object' && !Array.isArray(p)) v = p; } catch { /* defaults */ }
  const languages = Array.isArray(v.languages) ? LOCALES.filter((l) => (v.languages as unknown[]).includes(l)) : [...LOCALES];
  const langs = languages.length ? languages : [...LOCALES];
  const def = langs.includes(v.defaultLocale as Locale) ? (v.defaultLocale as Locale) : langs[0];
  const colors = v.colors && typeof v.colors === 'object' ? v.colors as Record<string, unknown> : {};
  const hex = (x: unknown) => (typeof x === 'string' && /^#[0-9a-f]{6}$/i.test(x) ? x.toLowerCase() : undefined);
  return {
    languages: langs,
    defaultLocale: def,
    timeZone: typeof v.timeZone === 'string' && v.timeZone ? v.timeZone : DEFAULT_SETTINGS.timeZone,
    colors: { primary: hex(colors.primary), accent: hex(colors.accent) },
    modulesOff: Array.isArray(v.modulesOff) ? v.modulesOff.filter((m): m is string => typeof m === 'string') : [],
    logo: typeof v.logo === 'string' && /^[a-z0-9-]+\.png$/.test(v.logo) ? v.logo : undefined,
    holidays: typeof v.holidays === 'string' && v.holidays ? v.holidays : 'morocco',
  };
}

type Row = { id: number; slug: string; name: string; region: string; population: number | null; hosts: string; status: string; settings: string };
function toCommune(r: Row): Commune {
  return {
    id: r.id, slug: r.slug, name: parseTranslated(r.name), region: parseTranslated(r.region), population: r.population,
    hosts: r.hosts.split(/\s+/).filter(Boolean),
    status: (COMMUNE_STATUSES as readonly string[]).includes(r.status) ? r.status as CommuneStatus : 'active',
    settings: parseSettings(r.settings),
  };
}

/** Modules a commune cannot turn off (the site itself, accounts, the staff home, the platform's operator area). */
export const ALWAYS_ON: readonly string[] = ['site', 'accounts', 'admin', 'platform'];

/** Whether a request for this commune may use the module (core filters routes and navigation with it). */
export function moduleOn(commune: Pick<Commune, 'settings'>, module: string): boolean {
  return !commune.settings.modulesOff.includes(module);
}

/** The path form of an installation without wildcard DNS: `/c/{slug}/…` names the commune in the path. */
export const PATH_FORM = /^\/c\/([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)(?=\/|\?|$)/;

/** Resolves the commune of a request by its host name (or the path form's slug), else the configured default. */
export class Tenancy {
  private byHost = new Map<string, Commune>();
  private bySlug = new Map<string, Commune>();
  constructor(private db: DB, private defaultSlug: string) {}

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('communes').select(['id', 'slug', 'name', 'region', 'population', 'hosts', 'status', 'settings']).orderBy('id').execute();
    const byHost = new Map<string, Commune>();
    const bySlug = new Map<string, Commune>();
    for (const r of rows) {
      const c = toCommune(r as Row);
      bySlug.set(c.slug, c);
      for (const h of c.hosts) byHost.set(h.toLowerCase(), c);
    }
    this.byHost = byHost;
    this.bySlug = bySlug;
  }

  forHost(host: string | undefined): Commune | undefined {
    const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
    return this.byHost.get(name) ?? this.bySlug.get(this.defaultSlug) ?? this.bySlug.values().next().value;
  }

  bySlugOrNull(slug: string): Commune | undefined {
    return this.bySlug.get(slug);
  }

  /** The commune a path-form request names (`/c/{slug}/…`), when that commune exists. */
  forPath(url: string): Commune | undefined {
    const m = PATH_FORM.exec(url);
    return m ? this.bySlug.get(m[1]) : undefined;
  }

  isDefault(c: Pick<Commune, 'slug'>): boolean { return c.slug === this.defaultSlug; }

  all(): Commune[] { return [...this.bySlug.values()]; }
}
