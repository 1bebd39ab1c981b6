import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { governancePages } from './routes.tsx';
import { seedInstitutions } from './demo.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const governance: ModuleManifest = {
  name: 'governance',
  migrations,
  permissions: { 'governance.manage': [] },
  catalogs: { fr, ar, en },
  nav: [{ key: 'governance.nav', path: '/bodies', order: 50 }],
  admin: [{ key: 'governance.adminInstitutions', path: '/admin/institutions', order: 60, permission: 'governance.manage' }],
  pages: governancePages,
  demo: seedInstitutions,
};
