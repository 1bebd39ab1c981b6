import type { ModuleManifest } from '../../../core/module.ts';
import { migrations } from './migrations.ts';
import { surveyPages } from './routes.tsx';
import { seedSurveys } from './demo.ts';
import { surveysSearch } from './search.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const surveys: ModuleManifest = {
  name: 'surveys',
  migrations,
  permissions: {
    // Create, edit and publish surveys and quizzes; see private results: the OGP technical team.
    'surveys.manage': ['ogp_team'],
    // Enter paper forms: counter agents.
    'surveys.paper': ['counter_agent'],
    // Approve free-text answers before any is public.
    'surveys.moderate': ['moderator'],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'surveys.nav', path: '/surveys', order: 41 }],
  admin: [
    { key: 'surveys.adminTitle', path: '/admin/surveys', order: 40, permission: 'surveys.manage' },
    { key: 'surveys.paperTitle', path: '/admin/surveys/paper', order: 13, permission: 'surveys.paper' },
  ],
  pages: surveyPages,
  search: surveysSearch,
  access: {
    'GET /:locale/surveys': 'public',
    'GET /:locale/surveys.json': 'public',
    'GET /:locale/surveys/:slug': 'public',
    'POST /:locale/surveys/:slug': 'public',
    'GET /:locale/surveys/:slug/confirm/:token': 'capability',
    'POST /:locale/surveys/:slug/confirm/:token': 'capability',
    'GET /:locale/surveys/:slug/results': 'public',
    'GET /:locale/surveys/:slug/answers.csv': 'public',
    'GET /:locale/admin/surveys': 'surveys.manage',
    'POST /:locale/admin/surveys': 'surveys.manage',
    'GET /:locale/admin/surveys/:id': 'surveys.manage',
    'POST /:locale/admin/surveys/:id': 'surveys.manage',
    'POST /:locale/admin/surveys/:id/status': 'surveys.manage',
    'POST /:locale/admin/surveys/:id/questions': 'surveys.manage',
    'POST /:locale/admin/surveys/:id/questions/:question/remove': 'surveys.manage',
    'GET /:locale/admin/surveys/paper': 'surveys.paper',
    'GET /:locale/admin/surveys/:id/paper': 'surveys.paper',
    'POST /:locale/admin/surveys/:id/paper': 'surveys.paper',
    'GET /:locale/admin/surveys/:id/texts': 'surveys.moderate',
    'POST /:locale/admin/surveys/:id/texts/:answer': 'surveys.moderate',
  },
  exports: [{ key: 'surveys.exportList', path: '/surveys.json', format: 'json' }],
  demo: seedSurveys,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
