import type { ModuleManifest } from '../../core/module.ts';
import { ALWAYS_ON } from '../../core/tenancy/index.ts';
import { operatorPages, platformRoutes, type PlatformDeps } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Many communes on one platform (issue 17): the operator's area (create, configure, suspend, archive communes, invite
 * their first administrator), each commune's DCAT-AP 3 catalog and the platform-wide one, the commune's colours and logo.
 */
export function platformModule(all: () => ModuleManifest[]): ModuleManifest {
  const deps: PlatformDeps = {
    exports: () => all().flatMap((m) => m.exports ?? []),
    toggleable: () => all().filter((m) => (m.pages || m.routes) && !ALWAYS_ON.includes(m.name)).map((m) => m.name),
  };
  return {
    name: 'platform',
    // Operators only (a platform permission: no commune role holds it, not even admin; see core/auth/roles.ts).
    permissions: { 'platform.manage': [] },
    catalogs: { fr, ar, en },
    admin: [{ key: 'platform.communes', path: '/operator/communes', order: 1, permission: 'platform.manage' }],
    pages: operatorPages(deps),
    routes: platformRoutes(deps),
    exports: [{ key: 'platform.catalogExport', path: '/open-data/catalog.jsonld', format: 'json' }],
    access: {
      'GET /:locale/operator/communes': 'platform.manage',
      'POST /:locale/operator/communes': 'platform.manage',
      'GET /:locale/operator/communes/:slug': 'platform.manage',
      'POST /:locale/operator/communes/:slug': 'platform.manage',
      'POST /:locale/operator/communes/:slug/status': 'platform.manage',
      'POST /:locale/operator/communes/:slug/invite': 'platform.manage',
      'POST /:locale/operator/communes/:slug/logo': 'platform.manage',
      'GET /:locale/operator/communes/:slug/logo.png': 'platform.manage',
      'GET /:locale/open-data/catalog.jsonld': 'public',
      'GET /api/catalog.jsonld': 'public',
      'GET /theme.css': 'public',
      'GET /logo.png': 'public',
    },
    fixtures: () => import('./fixtures.ts').then((m) => m.default),
  };
}
