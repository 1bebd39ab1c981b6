import type { ModuleManifest } from '../../core/module.ts';
import { sitePages } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** Home, about and the open-data index, which lists every module's exports. */
export function siteModule(all: () => ModuleManifest[]): ModuleManifest {
  return {
    name: 'site',
    catalogs: { fr, ar, en },
    pages: sitePages(() => all().flatMap((m) => m.exports ?? [])),
    access: {
      'GET /:locale': 'public',
      'GET /:locale/about': 'public',
      'GET /:locale/open-data': 'public',
    },
    fixtures: () => import('./fixtures.ts').then((m) => m.default),
  };
}
