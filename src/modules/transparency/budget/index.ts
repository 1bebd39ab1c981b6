import type { ModuleManifest } from '../../../core/module.ts';
import { migrations } from './migrations.ts';
import { budgetPages, budgetApi } from './routes.tsx';
import { seedBudget } from './demo.ts';
import { relatedToCommitment } from './service.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * The communal budget and the citizen budget (issue 13): the nomenclature, the amounts of each year and phase
 * imported from the finance department's files, the functional view, the citizen pages, the open data.
 */
export const budget: ModuleManifest = {
  name: 'budget',
  migrations,
  permissions: {
    // Importing the budget, the nomenclature, the functions and the mapping of lines: administrators only.
    'budget.manage': [],
    // The explanations beside the charts, the population, the glossary: the OGP team too.
    'budget.explain': ['ogp_team'],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'budget.nav', path: '/budget', order: 32 }],
  admin: [
    { key: 'budget.adminTitle', path: '/admin/budget', order: 40, permission: 'budget.manage' },
    { key: 'budget.glossaryAdmin', path: '/admin/budget/glossary', order: 41, permission: 'budget.explain' },
  ],
  pages: budgetPages,
  routes: budgetApi,
  exports: [
    { key: 'budget.export.index', path: '/api/budget.json', format: 'json' },
  ],
  related: { commitment: relatedToCommitment },
  access: {
    'GET /:locale/budget': 'public',
    'GET /:locale/budget/:year(^\\d{4})': 'public',
    'GET /:locale/budget/:year(^\\d{4})/functions/:slug': 'public',
    'GET /:locale/budget/lines/:code': 'public',
    'GET /:locale/budget/glossary': 'public',
    'GET /:locale/budget/:year(^\\d{4}).csv': 'public',
    'GET /:locale/budget/:year(^\\d{4})/fiscal.csv': 'public',
    'GET /:locale/budget/:year(^\\d{4}).pdf': 'public',
    'GET /api/budget.json': 'public',
    'GET /api/budget/:year(^\\d{4})/datapackage.json': 'public',
    'GET /:locale/admin/budget': 'budget.manage',
    'GET /:locale/admin/budget/template.csv': 'budget.manage',
    'POST /:locale/admin/budget/import': 'budget.manage',
    'GET /:locale/admin/budget/imports/:id': 'budget.manage',
    'POST /:locale/admin/budget/imports/:id/apply': 'budget.manage',
    'POST /:locale/admin/budget/imports/:id/discard': 'budget.manage',
    'GET /:locale/admin/budget/nomenclature': 'budget.manage',
    'POST /:locale/admin/budget/nomenclature': 'budget.manage',
    'GET /:locale/admin/budget/functions': 'budget.manage',
    'POST /:locale/admin/budget/functions': 'budget.manage',
    'GET /:locale/admin/budget/functions/:slug': 'budget.manage',
    'POST /:locale/admin/budget/functions/:slug': 'budget.manage',
    'GET /:locale/admin/budget/lines/:code': 'budget.manage',
    'POST /:locale/admin/budget/lines/:code': 'budget.manage',
    'POST /:locale/admin/budget/lines/:code/commitments': 'budget.manage',
    'POST /:locale/admin/budget/lines/:code/commitments/:cid/remove': 'budget.manage',
    'GET /:locale/admin/budget/years/:year': 'budget.explain',
    'POST /:locale/admin/budget/years/:year': 'budget.explain',
    'GET /:locale/admin/budget/glossary': 'budget.explain',
    'POST /:locale/admin/budget/glossary': 'budget.explain',
    'GET /:locale/admin/budget/glossary/:slug': 'budget.explain',
    'POST /:locale/admin/budget/glossary/:slug': 'budget.explain',
  },
  demo: seedBudget,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
