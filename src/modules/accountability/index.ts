import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { accountabilityPages, accountabilityApi } from './routes.tsx';
import { seedPlan } from './demo.ts';
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
    // Typing SDG target texts: reference data shared by every commune of the instance (administrators only).
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
  // Each plan's files are listed by these two indexes (and linked from its dashboard).
  exports: [
    { key: 'plans.export.indexCsv', path: '/plans.csv', format: 'csv' },
    { key: 'plans.export.indexJson', path: '/api/plans.json', format: 'json' },
  ],
  demo: seedPlan,
};
