import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { requestPages } from './routes.tsx';
import { staffPages } from './staff-routes.tsx';
import { settingsPages } from './settings-routes.tsx';
import { seedRequests } from './demo.ts';
import { startEscalationJob } from './jobs.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import { mergeCatalogs } from '../../core/i18n/index.ts';
// Open311 and the public dashboards (issue 4, part 2): routes, strings, summary-table migration.
import { open311Routes } from './open311/routes.ts';
import { open311Migrations } from './open311/migrations.ts';
import { dashboardPages } from './dashboards/routes.tsx';
import { dashboardMigrations } from './dashboards/migrations.ts';
import { extraCatalogs } from './dashboards/catalogs.ts';
import { requestsSearch } from './search.ts';

const LEAFLET_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');

/** Root routes: Leaflet's files (the map is an enhancement, served from this origin under the strict CSP) and the escalation job. */
async function rootRoutes(app: FastifyInstance) {
  await app.register(fastifyStatic, { root: LEAFLET_DIST, prefix: '/static/vendor/leaflet/', decorateReply: false, maxAge: '7d', index: false });
  startEscalationJob(app);
  await app.register(open311Routes);
}

export const requests: ModuleManifest = {
  name: 'requests',
  migrations: { ...migrations, ...dashboardMigrations, ...open311Migrations },
  permissions: {
    // Answer the requests of one's own department or operator (scoped by institution).
    'requests.handle': ['department_staff', 'operator_staff'],
    // See any request's staff file, reporter contact included.
    'requests.view': ['counter_agent', 'mediator', 'moderator'],
    // Open the staff queue (scoped staff see their institution's, the others every one).
    'requests.queue': ['department_staff', 'operator_staff', 'counter_agent', 'mediator', 'moderator'],
    // Enter a request on behalf of a citizen at the counter or on the phone.
    'requests.report_for': ['counter_agent'],
    'requests.mediate': ['mediator'],
    'requests.moderate': ['moderator'],
    // Categories, questions, districts, templates, holidays, heads.
    'requests.configure': [],
    // The system's escalation of overdue requests.
    'requests.escalate': [],
  },
  catalogs: mergeCatalogs({ fr, ar, en }, extraCatalogs),
  nav: [{ key: 'requests.nav', path: '/requests/new', order: 10 }],
  admin: [
    { key: 'requests.queueTitle', path: '/admin/requests', order: 10, permission: 'requests.queue' },
    { key: 'requests.counterTitle', path: '/admin/requests/new', order: 11, permission: 'requests.report_for' },
    { key: 'requests.contestsTitle', path: '/admin/requests/contests', order: 12, permission: 'requests.mediate' },
    { key: 'requests.categoriesTitle', path: '/admin/requests/categories', order: 70, permission: 'requests.configure' },
    { key: 'requests.districtsTitle', path: '/admin/requests/districts', order: 71, permission: 'requests.configure' },
    { key: 'requests.templatesTitle', path: '/admin/requests/templates', order: 72, permission: 'requests.configure' },
    { key: 'requests.holidaysTitle', path: '/admin/requests/holidays', order: 73, permission: 'requests.configure' },
    { key: 'requests.headsTitle', path: '/admin/requests/heads', order: 74, permission: 'requests.configure' },
  ],
  pages: async (app) => {
    await requestPages(app);
    await staffPages(app);
    await settingsPages(app);
    await app.register(dashboardPages);
  },
  routes: rootRoutes,
  search: requestsSearch,
  access: {
    // Reporting, the public list, its exports and map, a request's page: anyone.
    'GET /:locale/requests/new': 'public',
    'POST /:locale/requests/new/check': 'public',
    'POST /:locale/requests/new/edit': 'public',
    'POST /:locale/requests/new': 'public',
    'GET /:locale/requests/:ref/submitted': 'public',
    'GET /:locale/requests': 'public',
    'GET /:locale/requests.csv': 'public',
    'GET /:locale/requests.json': 'public',
    'GET /:locale/requests/map': 'public',
    'GET /:locale/requests/map.json': 'public',
    'GET /:locale/requests/lookup': 'public',
    'GET /:locale/requests/:ref': 'public',
    'POST /:locale/requests/:ref/follow': 'public',
    // A hidden photo only for those who may open the request's staff file.
    'GET /:locale/requests/photos/:id': 'public',
    'GET /:locale/requests/dashboards': 'public',
    'GET /:locale/requests/dashboards/institutions': 'public',
    // The links of the mails (follower token) and the reporter's tracking code.
    'GET /:locale/requests/follow/:token': 'capability',
    'POST /:locale/requests/follow/:token': 'capability',
    'GET /:locale/requests/unsubscribe/:token': 'capability',
    'POST /:locale/requests/unsubscribe/:token': 'capability',
    'GET /:locale/requests/track/:code': 'capability',
    'POST /:locale/requests/track/:code/feedback': 'capability',
    'POST /:locale/requests/track/:code/contest': 'capability',
    'POST /:locale/requests/track/:code/hide-name': 'capability',
    // The same, signed in as the one who reported.
    'GET /:locale/requests/:ref/mine': 'owner',
    'POST /:locale/requests/:ref/mine/feedback': 'owner',
    'POST /:locale/requests/:ref/mine/contest': 'owner',
    'POST /:locale/requests/:ref/mine/hide-name': 'owner',
    // Staff: the queue (scoped staff see their institution's), the counter, the file and its actions.
    'GET /:locale/admin/requests': 'requests.queue',
    'GET /:locale/admin/requests/contests': 'requests.mediate',
    'GET /:locale/admin/requests/new': 'requests.report_for',
    'POST /:locale/admin/requests/new': 'requests.report_for',
    'GET /:locale/admin/requests/:ref/receipt': 'requests.report_for',
    'POST /:locale/admin/requests/:ref/new-code': 'requests.report_for',
    'GET /:locale/admin/requests/:ref': { permission: ['requests.handle', 'requests.view'], scoped: true },
    'POST /:locale/admin/requests/:ref/answer': { permission: 'requests.handle', scoped: true },
    'POST /:locale/admin/requests/:ref/assign': { permission: 'requests.handle', scoped: true },
    'POST /:locale/admin/requests/:ref/note': { permission: 'requests.handle', scoped: true },
    'POST /:locale/admin/requests/:ref/rule': 'requests.mediate',
    'POST /:locale/admin/requests/:ref/hide-name': 'requests.moderate',
    'POST /:locale/admin/requests/:ref/photos/:id/:what': 'requests.moderate',
    // Settings.
    'GET /:locale/admin/requests/categories': 'requests.configure',
    'GET /:locale/admin/requests/categories/new': 'requests.configure',
    'POST /:locale/admin/requests/categories/new': 'requests.configure',
    'GET /:locale/admin/requests/categories/:id': 'requests.configure',
    'POST /:locale/admin/requests/categories/:id': 'requests.configure',
    'POST /:locale/admin/requests/categories/:id/questions': 'requests.configure',
    'GET /:locale/admin/requests/categories/:id/questions/:qid': 'requests.configure',
    'POST /:locale/admin/requests/categories/:id/questions/:qid': 'requests.configure',
    'POST /:locale/admin/requests/categories/:id/questions/:qid/delete': 'requests.configure',
    'GET /:locale/admin/requests/districts': 'requests.configure',
    'POST /:locale/admin/requests/districts/import': 'requests.configure',
    'GET /:locale/admin/requests/districts/new': 'requests.configure',
    'POST /:locale/admin/requests/districts/new': 'requests.configure',
    'GET /:locale/admin/requests/districts/:id': 'requests.configure',
    'POST /:locale/admin/requests/districts/:id': 'requests.configure',
    'GET /:locale/admin/requests/templates': 'requests.configure',
    'GET /:locale/admin/requests/templates/new': 'requests.configure',
    'POST /:locale/admin/requests/templates/new': 'requests.configure',
    'GET /:locale/admin/requests/templates/:id': 'requests.configure',
    'POST /:locale/admin/requests/templates/:id': 'requests.configure',
    'POST /:locale/admin/requests/templates/:id/delete': 'requests.configure',
    'GET /:locale/admin/requests/holidays': 'requests.configure',
    'POST /:locale/admin/requests/holidays': 'requests.configure',
    'POST /:locale/admin/requests/holidays/:id/confirm': 'requests.configure',
    'POST /:locale/admin/requests/holidays/:id/shift': 'requests.configure',
    'POST /:locale/admin/requests/holidays/:id/remove': 'requests.configure',
    'POST /:locale/admin/requests/holidays/seed': 'requests.configure',
    'GET /:locale/admin/requests/heads': 'requests.configure',
    'POST /:locale/admin/requests/heads/:id': 'requests.configure',
    // Leaflet's files, and Open311: reading is open, submitting needs the commune's API key.
    'GET /static/vendor/leaflet/*': 'public',
    'GET /open311/v2/:file': 'public',
    'GET /open311/v2/services/:file': 'public',
    'GET /open311/v2/service/:file': 'public',
    'GET /open311/v2/requests/:file': 'public',
    'GET /open311/v2/tokens/:file': 'public',
    'POST /open311/v2/:file': 'capability',
  },
  exports: [
    { key: 'requests.exportCsv', path: '/requests.csv', format: 'csv' },
    { key: 'requests.exportJson', path: '/requests.json', format: 'json' },
  ],
  demo: seedRequests,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
