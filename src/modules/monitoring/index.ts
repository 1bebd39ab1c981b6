import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { monitoringPages } from './routes.tsx';
import { seedMonitoring } from './demo.ts';
import { isPublished } from './service.ts';
import { registerCommentTarget } from '../comments/index.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

// A published monitoring report is opened to public debate; a draft is not.
registerCommentTarget('monitoring_report', async (ctx, id) => {
  const p = await isPublished(ctx, id);
  return p ? { title: p.title, path: `/monitoring/${id}`, open: true } : null;
});

/**
 * The independent monitor's annual report (sections, assessments, recommendations),
 * the commune's answers to its recommendations, and the OGP Local end-of-commitment assessment.
 */
export const monitoring: ModuleManifest = {
  name: 'monitoring',
  migrations,
  permissions: {
    'monitoring.write': ['monitor'],
    'monitoring.respond': ['ogp_team'],
    'monitoring.endAssessment': ['ogp_team'],
  },
  catalogs: { fr, ar, en },
  admin: [
    { key: 'monitoring.adminTitle', path: '/admin/monitoring', order: 35, permission: 'monitoring.write' },
    { key: 'monitoring.responsesTitle', path: '/admin/monitoring/responses', order: 36, permission: 'monitoring.respond' },
    { key: 'monitoring.endTitle', path: '/admin/monitoring/end-assessments', order: 37, permission: 'monitoring.endAssessment' },
  ],
  pages: monitoringPages,
  demo: seedMonitoring,
};
