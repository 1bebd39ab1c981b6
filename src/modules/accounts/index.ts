import type { ModuleManifest } from '../../core/module.ts';
import { ROLES } from '../../core/auth/roles.ts';
import { accountPages } from './routes.tsx';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const accounts: ModuleManifest = {
  name: 'accounts',
  permissions: {
    'accounts.self': ROLES,
    'accounts.manage': ['admin'],
    'accounts.grant': ['admin'],
  },
  catalogs: { fr, ar, en },
  admin: [{ key: 'accounts.usersTitle', path: '/admin/users', order: 90, permission: 'accounts.manage' }],
  pages: accountPages,
};
