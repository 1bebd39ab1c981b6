import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { monitoringPages } from './routes.tsx';
import { seedMonitoring } from './demo.ts';
import { isPublished } from './service.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

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
  access: {
    // Published versions only; files of published assessments (drafts' files: monitoring.write).
    'GET /:locale/plans/:slug/monitoring': 'public',
    'GET /:locale/monitoring/:id': 'public',
    'GET /:locale/monitoring/:id(^\\d{1,9}).pdf': 'public',
    'GET /:locale/monitoring/files/:fileId': 'public',
    // The monitor's editor.
    'GET /:locale/admin/monitoring': 'monitoring.write',
    'POST /:locale/admin/monitoring': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/preview': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/title': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/publish': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/correction': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/sections/new': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/sections/new': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/sections/:sid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/sections/:sid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/sections/:sid/up': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/sections/:sid/down': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/sections/:sid/delete': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/assessments/new': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/assessments/new': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/assessments/:aid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/assessments/:aid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/assessments/:aid/delete': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/recommendations/new': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/recommendations/new': 'monitoring.write',
    'GET /:locale/admin/monitoring/:id/recommendations/:rid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/recommendations/:rid': 'monitoring.write',
    'POST /:locale/admin/monitoring/:id/recommendations/:rid/delete': 'monitoring.write',
    // The commune's answers to the recommendations.
    'GET /:locale/admin/monitoring/responses': 'monitoring.respond',
    'GET /:locale/admin/monitoring/:id/answers/:number': 'monitoring.respond',
    'POST /:locale/admin/monitoring/:id/answers/:number': 'monitoring.respond',
    'POST /:locale/admin/monitoring/:id/answers/:number/updates': 'monitoring.respond',
    // End-of-commitment assessments.
    'GET /:locale/admin/monitoring/end-assessments': 'monitoring.endAssessment',
    'GET /:locale/admin/monitoring/end-assessments/:cid': 'monitoring.endAssessment',
    'POST /:locale/admin/monitoring/end-assessments/:cid': 'monitoring.endAssessment',
  },
  demo: seedMonitoring,
  // A published monitoring report is opened to public debate; a draft is not.
  commentTargets: {
    monitoring_report: async (ctx, id) => {
      const p = await isPublished(ctx, id);
      return p ? { title: p.title, path: `/monitoring/${id}`, open: true } : null;
    },
  },
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
