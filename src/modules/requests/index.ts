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
import { dashboardPages } from './dashboards/routes.tsx';
import { dashboardMigrations } from './dashboards/migrations.ts';
import { extraCatalogs } from './dashboards/catalogs.ts';

const LEAFLET_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');

/** Root routes: Leaflet's files (the map is an enhancement, served from this origin under the strict CSP) and the escalation job. */
async function rootRoutes(app: FastifyInstance) {
  await app.register(fastifyStatic, { root: LEAFLET_DIST, prefix: '/static/vendor/leaflet/', decorateReply: false, maxAge: '7d', index: false });
  startEscalationJob(app);
  await app.register(open311Routes);
}

export const requests: ModuleManifest = {
  name: 'requests',
  migrations: { ...migrations, ...dashboardMigrations },
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
  exports: [
    { key: 'requests.exportCsv', path: '/requests.csv', format: 'csv' },
    { key: 'requests.exportJson', path: '/requests.json', format: 'json' },
  ],
  demo: seedRequests,
};
