import type { ModuleManifest } from '../../core/module.ts';
import type { NavItem } from '../../core/ui/view.ts';
import { adminPages } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** The staff home gathers the admin entries of every module. */
export function adminModule(all: () => ModuleManifest[]): ModuleManifest {
  const entries = (): NavItem[] => all().flatMap((m) => m.admin ?? []).sort((a, b) => a.order - b.order);
  return {
    name: 'admin',
    permissions: { 'audit.read': ['monitor', 'ogp_team'] },
    catalogs: { fr, ar, en },
    admin: [{ key: 'admin.audit', path: '/admin/audit', order: 100, permission: 'audit.read' }],
    pages: adminPages(entries),
    access: {
      'GET /:locale/admin': 'staff',
      'GET /:locale/admin/audit': 'audit.read',
    },
    fixtures: () => import('./fixtures.ts').then((m) => m.default),
  };
}
