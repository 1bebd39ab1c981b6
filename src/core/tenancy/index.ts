import type { DB } from '../db/index.ts';
import { parseTranslated, type Translated } from '../i18n/index.ts';

export interface Commune {
  id: number;
  slug: string;
  name: Translated;
  region: Translated;
  population: number | null;
  hosts: string[];
}

function toCommune(r: { id: number; slug: string; name: string; region: string; population: number | null; hosts: string }): Commune {
  return { id: r.id, slug: r.slug, name: parseTranslated(r.name), region: parseTranslated(r.region), population: r.population, hosts: r.hosts.split(/\s+/).filter(Boolean) };
}

/** Resolves the commune of a request by its host name, else the configured default. */
export class Tenancy {
  private byHost = new Map<string, Commune>();
  private bySlug = new Map<string, Commune>();
  constructor(private db: DB, private defaultSlug: string) {}

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('communes').select(['id', 'slug', 'name', 'region', 'population', 'hosts']).execute();
    this.byHost.clear();
    this.bySlug.clear();
    for (const r of rows) {
      const c = toCommune(r);
      this.bySlug.set(c.slug, c);
      for (const h of c.hosts) this.byHost.set(h.toLowerCase(), c);
    }
  }

  forHost(host: string | undefined): Commune | undefined {
    const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
    return this.byHost.get(name) ?? this.bySlug.get(this.defaultSlug) ?? this.bySlug.values().next().value;
  }

  bySlugOrNull(slug: string): Commune | undefined {
    return this.bySlug.get(slug);
  }

  all(): Commune[] { return [...this.bySlug.values()]; }
}
