import type { ModuleManifest } from '../../core/module.ts';
import { checkSources, type SearchSource } from '../../core/search/index.ts';
import type { FastifyInstance } from 'fastify';
import { sitePages } from './routes.tsx';
import { searchPages, searchApi } from './search.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** Home, about, the open-data index (every module's exports) and the platform-wide search (every module's sources). */
export function siteModule(all: () => ModuleManifest[]): ModuleManifest {
  let list: SearchSource[] | undefined;
  const sources = () => (list ??= checkSources(all().flatMap((m) => m.search ?? [])));
  return {
    name: 'site',
    catalogs: { fr, ar, en },
    pages: async (app: FastifyInstance) => {
      await sitePages(() => all().flatMap((m) => m.exports ?? []))(app);
      await searchPages(sources)(app);
    },
    routes: searchApi(sources),
    exports: [{ key: 'site.searchExport', path: '/api/search.json?q=budget', format: 'json' }],
    access: {
      'GET /:locale': 'public',
      'GET /:locale/about': 'public',
      'GET /:locale/open-data': 'public',
      'GET /:locale/search': 'public',
      'GET /api/search.json': 'public',
    },
    fixtures: () => import('./fixtures.ts').then((m) => m.default),
  };
}
