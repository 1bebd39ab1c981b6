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
  access: {
    'GET /:locale/login': 'public',
    'POST /:locale/login': 'public',
    'GET /:locale/register': 'public',
    'POST /:locale/register': 'public',
    // Ends the session of whoever calls it (none: nothing to end).
    'POST /:locale/logout': 'public',
    'GET /:locale/password/forgot': 'public',
    'POST /:locale/password/forgot': 'public',
    'GET /:locale/password/reset/:token': 'capability',
    'POST /:locale/password/reset/:token': 'capability',
    'GET /:locale/account': 'accounts.self',
    'GET /:locale/admin/users': 'accounts.manage',
    'GET /:locale/admin/users/:id': 'accounts.manage',
    'POST /:locale/admin/users/:id/grants': 'accounts.grant',
    'POST /:locale/admin/users/:id/grants/:grant/revoke': 'accounts.grant',
  },
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
