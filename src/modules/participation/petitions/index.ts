import type { ModuleManifest } from '../../../core/module.ts';
import { migrations } from './migrations.ts';
import { petitionPages } from './routes.tsx';
import { seedPetitions } from './demo.ts';
import { petitionsSearch } from './search.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const petitions: ModuleManifest = {
  name: 'petitions',
  migrations,
  permissions: {
    // The council's bureau: admissibility, agenda, the council's decision (administrators, who act for it).
    'petitions.decide': [],
    // Entering paper signatures from the signed sheets: counter agents.
    'petitions.paper': ['counter_agent'],
    // The staff list and files of petitions.
    'petitions.staff': ['counter_agent'],
    // The admissibility conditions (commune settings).
    'petitions.configure': [],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'petitions.nav', path: '/petitions', order: 42 }],
  admin: [{ key: 'petitions.adminTitle', path: '/admin/petitions', order: 41, permission: 'petitions.staff' }],
  pages: petitionPages,
  search: petitionsSearch,
  access: {
    'GET /:locale/petitions': 'public',
    'GET /:locale/petitions.json': 'public',
    'GET /:locale/petitions/new': 'signed-in',
    'POST /:locale/petitions/new': 'signed-in',
    'GET /:locale/petitions/:ref': 'public',
    'POST /:locale/petitions/:ref/sign': 'signed-in',
    'POST /:locale/petitions/:ref/file': 'owner',
    'GET /:locale/admin/petitions': 'petitions.staff',
    'GET /:locale/admin/petitions/settings': 'petitions.configure',
    'POST /:locale/admin/petitions/settings': 'petitions.configure',
    'GET /:locale/admin/petitions/:ref': 'petitions.staff',
    'POST /:locale/admin/petitions/:ref/paper': 'petitions.paper',
    'POST /:locale/admin/petitions/:ref/admissibility': 'petitions.decide',
    'POST /:locale/admin/petitions/:ref/agenda': 'petitions.decide',
    'POST /:locale/admin/petitions/:ref/decision': 'petitions.decide',
  },
  exports: [{ key: 'petitions.exportJson', path: '/petitions.json', format: 'json' }],
  demo: seedPetitions,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
