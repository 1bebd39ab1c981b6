import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { governancePages } from './routes.tsx';
import { seedGovernance } from './demo.ts';
import { governanceSearch } from './search.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const governance: ModuleManifest = {
  name: 'governance',
  migrations,
  permissions: {
    // Bodies, memberships, institutions and endorsements: administrators only.
    'governance.manage': [],
    // Recording a body's decisions: the OGP technical team and steering-committee members too.
    'governance.decide': ['ogp_team', 'steering_member'],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'governance.nav', path: '/bodies', order: 50 }],
  admin: [
    { key: 'governance.adminBodies', path: '/admin/bodies', order: 55, permission: 'governance.manage' },
    { key: 'governance.adminDecisions', path: '/admin/decisions', order: 56, permission: 'governance.decide' },
    { key: 'governance.adminInstitutions', path: '/admin/institutions', order: 60, permission: 'governance.manage' },
    { key: 'governance.adminEndorsements', path: '/admin/endorsements', order: 65, permission: 'governance.manage' },
  ],
  pages: governancePages,
  search: governanceSearch,
  access: {
    'GET /:locale/bodies': 'public',
    'GET /:locale/bodies/:slug': 'public',
    'GET /:locale/institutions': 'public',
    'GET /:locale/endorsements': 'public',
    'GET /:locale/admin/bodies': 'governance.manage',
    'POST /:locale/admin/bodies': 'governance.manage',
    'GET /:locale/admin/bodies/:id': 'governance.manage',
    'POST /:locale/admin/bodies/:id': 'governance.manage',
    'POST /:locale/admin/bodies/:id/members': 'governance.manage',
    'POST /:locale/admin/bodies/:id/members/:member/end': 'governance.manage',
    'GET /:locale/admin/bodies/:id/members/:member': 'governance.manage',
    'POST /:locale/admin/bodies/:id/members/:member': 'governance.manage',
    'GET /:locale/admin/decisions': 'governance.decide',
    'POST /:locale/admin/decisions': 'governance.decide',
    'POST /:locale/admin/bodies/:id/decisions': 'governance.decide',
    'GET /:locale/admin/institutions': 'governance.manage',
    'POST /:locale/admin/institutions': 'governance.manage',
    'GET /:locale/admin/institutions/:id': 'governance.manage',
    'POST /:locale/admin/institutions/:id': 'governance.manage',
    'GET /:locale/admin/endorsements': 'governance.manage',
    'POST /:locale/admin/endorsements': 'governance.manage',
    'GET /:locale/admin/endorsements/:id': 'governance.manage',
    'POST /:locale/admin/endorsements/:id': 'governance.manage',
    'POST /:locale/admin/endorsements/:id/remove': 'governance.manage',
  },
  demo: seedGovernance,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
