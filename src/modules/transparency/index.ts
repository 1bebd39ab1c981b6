import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ModuleManifest } from '../../core/module.ts';
import { storagePath } from '../../core/files/index.ts';
import { publicOrigin } from '../../core/http/origin.ts';
import { migrations } from './migrations.ts';
import { transparencySearch } from './search.ts';
import * as docs from './documents/service.ts';
import { extractText } from './documents/files.ts';
import { COUNCIL, deliberationsLinkedTo } from './council/service.ts';
import { REGISTER, REGISTER_VIEW } from './register/service.ts';
import { documentPages } from './documents/routes.tsx';
import { councilPages } from './council/routes.tsx';
import { registerPages } from './register/routes.tsx';
import { documentRowsJson, registerRows, sessionsJson, deliberationsJson } from './exports.ts';
import { seedTransparency } from './demo.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** The JSON open data, at the root (`/api/…`). */
async function apiRoutes(app: FastifyInstance) {
  const origin = (req: { commune: Parameters<typeof publicOrigin>[1] }) => publicOrigin(app.appConfig, req.commune);
  const json = 'application/json; charset=utf-8';
  app.get('/api/documents.json', async (req, reply) => reply.type(json).send(Readable.from(documentRowsJson(req.ctx, origin(req)))));
  app.get('/api/transparency/register.json', async (req, reply) => reply.type(json).send({ items: await registerRows(req.ctx) }));
  app.get('/api/council/sessions.json', async (req, reply) => reply.type(json).send(Readable.from(sessionsJson(req.ctx, origin(req)))));
  app.get('/api/council/deliberations.json', async (req, reply) => reply.type(json).send(Readable.from(deliberationsJson(req.ctx, origin(req)))));
}

const scoped = { permission: docs.PUBLISH, scoped: true } as const;

export const transparency: ModuleManifest = {
  name: 'transparency',
  migrations,
  permissions: {
    // Upload, edit, publish, supersede, withdraw documents: the OGP team; department staff for their own department (scoped).
    [docs.PUBLISH]: ['ogp_team', 'department_staff'],
    // The council's sessions, agenda and deliberations: the OGP team (the council's secretariat holds it).
    [COUNCIL]: ['ogp_team'],
    // The publication register's items: administrators only.
    [REGISTER]: [],
    // What is due or late in the register: those who publish, and the independent monitors.
    [REGISTER_VIEW]: ['ogp_team', 'department_staff', 'monitor'],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'transparency.nav', path: '/documents', order: 30 }],
  admin: [
    { key: 'transparency.adminDocuments', path: '/admin/documents', order: 30, permission: docs.PUBLISH },
    { key: 'transparency.dueTitle', path: '/admin/transparency/due', order: 31, permission: REGISTER_VIEW },
    { key: 'transparency.adminCouncil', path: '/admin/council', order: 32, permission: COUNCIL },
    { key: 'transparency.adminRegister', path: '/admin/transparency/register', order: 75, permission: REGISTER },
  ],
  pages: async (app) => {
    await documentPages(app);
    await councilPages(app);
    await registerPages(app);
  },
  routes: apiRoutes,
  search: transparencySearch,
  jobs: {
    [docs.EXTRACT_JOB]: (ctx, payload) => docs.runExtraction(ctx, payload, extractText, (sha, kind) => storagePath(ctx.config.dataDir, ctx.commune.id, sha, kind)),
    [docs.EMBARGO_JOB]: (ctx, payload) => docs.liftEmbargo(ctx, payload),
  },
  related: {
    commitment: async (ctx, id) => [
      { titleKey: 'transparency.related.documents', items: (await docs.documentsLinkedTo(ctx, 'commitment', id)).map((d) => ({ title: d.title, path: d.path, date: d.publishedAt, sample: d.sample })) },
      { titleKey: 'transparency.related.deliberations', items: (await deliberationsLinkedTo(ctx, 'commitment', id)).map((d) => ({ title: d.title, path: d.path, date: d.date, sample: d.sample })) },
    ],
  },
  exports: [
    { key: 'transparency.export.documentsCsv', path: '/documents.csv', format: 'csv' },
    { key: 'transparency.export.documentsJson', path: '/api/documents.json', format: 'json' },
    { key: 'transparency.export.registerCsv', path: '/transparency/register.csv', format: 'csv' },
    { key: 'transparency.export.registerJson', path: '/api/transparency/register.json', format: 'json' },
    { key: 'transparency.export.sessionsCsv', path: '/council.csv', format: 'csv' },
    { key: 'transparency.export.sessionsJson', path: '/api/council/sessions.json', format: 'json' },
    { key: 'transparency.export.deliberationsCsv', path: '/council/deliberations.csv', format: 'csv' },
    { key: 'transparency.export.deliberationsJson', path: '/api/council/deliberations.json', format: 'json' },
  ],
  access: {
    'GET /:locale/documents': 'public',
    'GET /:locale/documents.atom': 'public',
    'GET /:locale/documents.csv': 'public',
    'GET /:locale/documents/:ref': 'public',
    'GET /:locale/documents/:ref/files/:file': 'public',
    'GET /api/documents.json': 'public',
    'GET /:locale/admin/documents': docs.PUBLISH,
    'POST /:locale/admin/documents': docs.PUBLISH,
    'GET /:locale/admin/documents/:id': scoped,
    'POST /:locale/admin/documents/:id': scoped,
    'POST /:locale/admin/documents/:id/publish': scoped,
    'POST /:locale/admin/documents/:id/files': scoped,
    'POST /:locale/admin/documents/:id/withdraw': scoped,
    'POST /:locale/admin/documents/:id/links': scoped,
    'GET /:locale/transparency/register': 'public',
    'GET /:locale/transparency/register.csv': 'public',
    'GET /api/transparency/register.json': 'public',
    'GET /:locale/admin/transparency/due': REGISTER_VIEW,
    'GET /:locale/admin/transparency/register': REGISTER,
    'POST /:locale/admin/transparency/register': REGISTER,
    'GET /:locale/admin/transparency/register/:id': REGISTER,
    'POST /:locale/admin/transparency/register/:id': REGISTER,
    'GET /:locale/council': 'public',
    'GET /:locale/council.ics': 'public',
    'GET /:locale/council.csv': 'public',
    'GET /:locale/council/deliberations.csv': 'public',
    'GET /:locale/council/:ref': 'public',
    'GET /api/council/sessions.json': 'public',
    'GET /api/council/deliberations.json': 'public',
    'GET /:locale/admin/council': COUNCIL,
    'POST /:locale/admin/council': COUNCIL,
    'GET /:locale/admin/council/:id': COUNCIL,
    'POST /:locale/admin/council/:id': COUNCIL,
    'POST /:locale/admin/council/:id/items': COUNCIL,
    'POST /:locale/admin/council/:id/deliberations': COUNCIL,
  },
  demo: seedTransparency,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};
