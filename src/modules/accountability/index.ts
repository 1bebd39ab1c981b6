import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { accountabilityPages, accountabilityApi } from './routes.tsx';
import { seedPlan } from './demo.ts';
import { commitmentAsCommentTarget } from './service.ts';
import { accountabilitySearch } from './search.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Plans, their commitments, actions and indicators; the reporting cycle (monitoring matrix:
 * department reports, OGP team validation, steering committee review, publication); the public
 * dashboard, commitment pages and open data.
 */
export const accountability: ModuleManifest = {
  name: 'accountability',
  migrations,
  permissions: {
    // Plans, commitments, actions, indicators, evidence; opening and closing cycles.
    'plans.manage': ['ogp_team'],
    // Validating or returning matrix rows, publishing, correcting published figures, reminders.
    'plans.validate': ['ogp_team'],
    // Reporting on the matrix rows of one's own department (scoped by institution).
    'plans.report': ['department_staff'],
    // Recording the steering committee's decisions on the consolidated matrix.
    'plans.review': ['steering_member'],
    // Reading the matrix and internal evidence (department staff: their department's only).
    'plans.read_internal': ['ogp_team', 'steering_member', 'monitor', 'department_staff'],
    // Typing the commune's texts of SDG targets (the reference ships codes only; administrators only).
    'plans.reference': [],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'plans.nav', path: '/plans', order: 20 }],
  admin: [
    { key: 'plans.admin.title', path: '/admin/plans', order: 20, permission: 'plans.read_internal' },
    { key: 'plans.admin.sdgTitle', path: '/admin/sdg', order: 25, permission: 'plans.manage' },
  ],
  pages: accountabilityPages,
  routes: accountabilityApi,
  search: accountabilitySearch,
  access: {
    'GET /:locale/plans': 'public',
    'GET /:locale/plans.csv': 'public',
    'GET /:locale/plans/:slug': 'public',
    'GET /:locale/plans/:slug/about': 'public',
    'GET /:locale/plans/:slug/commitments/:number': 'public',
    // Public evidence for anyone; internal evidence (or a row's not yet published) for plans.read_internal, department staff for their department's.
    'GET /:locale/plans/:slug/evidence/:id/:name': 'public',
    'GET /:locale/plans/:slug.csv': 'public',
    'GET /:locale/plans/:slug/actions.csv': 'public',
    'GET /:locale/plans/:slug/indicators.csv': 'public',
    'GET /:locale/plans/:slug/measurements.csv': 'public',
    'GET /api/plans.json': 'public',
    'GET /api/plans/:slug.json': 'public',
    // Plans, commitments, actions, indicators, evidence: read by plans.read_internal, written by plans.manage.
    'GET /:locale/admin/plans': 'plans.read_internal',
    'GET /:locale/admin/plans/new': 'plans.manage',
    'POST /:locale/admin/plans/new': 'plans.manage',
    'GET /:locale/admin/plans/:slug': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug': 'plans.manage',
    'GET /:locale/admin/plans/:slug/commitments/new': 'plans.manage',
    'POST /:locale/admin/plans/:slug/commitments/new': 'plans.manage',
    'GET /:locale/admin/plans/:slug/commitments/:id': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/commitments/:id': 'plans.manage',
    'GET /:locale/admin/plans/:slug/commitments/:id/actions/new': 'plans.manage',
    'POST /:locale/admin/plans/:slug/commitments/:id/actions/new': 'plans.manage',
    'GET /:locale/admin/plans/:slug/actions/:id': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/actions/:id': 'plans.manage',
    'GET /:locale/admin/plans/:slug/commitments/:id/indicators/new': 'plans.manage',
    'POST /:locale/admin/plans/:slug/commitments/:id/indicators/new': 'plans.manage',
    'GET /:locale/admin/plans/:slug/indicators/:id': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/indicators/:id': 'plans.manage',
    'GET /:locale/admin/plans/:slug/commitments/:id/evidence/new': 'plans.manage',
    'POST /:locale/admin/plans/:slug/commitments/:id/evidence/new': 'plans.manage',
    'GET /:locale/admin/sdg': 'plans.read_internal',
    'POST /:locale/admin/sdg/local': 'plans.manage',
    'POST /:locale/admin/sdg/target': 'plans.reference',
    // Reporting cycles: department staff see their department's rows only.
    'GET /:locale/admin/plans/:slug/cycles': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/cycles': 'plans.manage',
    'GET /:locale/admin/plans/:slug/cycles/:code': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/cycles/:code/publish': 'plans.validate',
    'POST /:locale/admin/plans/:slug/cycles/:code/close': 'plans.manage',
    'POST /:locale/admin/plans/:slug/cycles/:code/reopen': 'plans.manage',
    'POST /:locale/admin/plans/:slug/cycles/:code/remind': 'plans.validate',
    'GET /:locale/admin/plans/:slug/cycles/:code/matrix': 'plans.read_internal',
    'GET /:locale/admin/plans/:slug/cycles/:code/matrix.csv': 'plans.read_internal',
    // The import: each line only for a row the reporter may report on.
    'POST /:locale/admin/plans/:slug/cycles/:code/matrix': 'plans.report',
    'GET /:locale/admin/plans/:slug/cycles/:code/rows/:id': { permission: 'plans.read_internal', scoped: true },
    'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id': { permission: 'plans.report', scoped: true },
    'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/validate': 'plans.validate',
    'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/return': 'plans.validate',
    'GET /:locale/admin/plans/:slug/cycles/:code/validation': 'plans.validate',
    'GET /:locale/admin/plans/:slug/cycles/:code/review': 'plans.read_internal',
    'POST /:locale/admin/plans/:slug/cycles/:code/review': 'plans.review',
    'GET /:locale/admin/plans/:slug/corrections/:kind/:id': 'plans.validate',
    'POST /:locale/admin/plans/:slug/corrections/:kind/:id': 'plans.validate',
  },
  // Each plan's files are listed by these two indexes (and linked from its dashboard).
  exports: [
    { key: 'plans.export.indexCsv', path: '/plans.csv', format: 'csv' },
    { key: 'plans.export.indexJson', path: '/api/plans.json', format: 'json' },
  ],
  demo: seedPlan,
  commentTargets: { commitment: commitmentAsCommentTarget },
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
