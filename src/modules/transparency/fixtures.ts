import type { ModuleFixtures, Fixtures } from '../../core/module.ts';
import { tdb } from './db.ts';
import * as docs from './documents/service.ts';
import { samplePdf } from './samples.ts';

/** A published document of `travaux` and one of `budget` (the scoped routes' two sides), a session and a register item of the demo. */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const byInstitution: Record<string, { id: number; ref: string; fileId: number }> = {};
    for (const slug of ['travaux', 'budget']) {
      const id = await docs.createDocument(ctx, {
        kind: 'report', title: { fr: `Rapport de test ${slug}`, ar: `تقرير اختبار ${slug}` }, year: 2026, institutionId: f.institutions[slug], language: 'fr', publish: true,
        file: { bytes: samplePdf({ title: `Rapport de test ${slug}` }), name: `rapport-${slug}.pdf` },
      });
      const d = await docs.getAdminDocument(ctx, id);
      byInstitution[slug] = { id, ref: d.doc.ref, fileId: d.files[0].id };
    }
    const db = tdb(ctx.db);
    const session = await db.selectFrom('council_sessions').select(['id', 'ref']).where('commune_id', '=', f.commune.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const item = await db.selectFrom('register_items').select('id').where('commune_id', '=', f.commune.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    return { transparencyDocs: byInstitution, councilSession: session, registerItemId: item.id };
  },
  samples: {
    'GET /:locale/documents': () => '/:locale/documents',
    'GET /:locale/documents.atom': () => '/:locale/documents.atom',
    'GET /:locale/documents.csv': () => '/:locale/documents.csv',
    'GET /:locale/documents/:ref': (f) => `/:locale/documents/${f.transparencyDocs.travaux.ref}`,
    'GET /:locale/documents/:ref/files/:file': (f) => `/:locale/documents/${f.transparencyDocs.travaux.ref}/files/${f.transparencyDocs.travaux.fileId}`,
    'GET /api/documents.json': () => '/api/documents.json',
    '* /:locale/admin/documents': () => '/:locale/admin/documents',
    '* /:locale/admin/documents/:id': (f) => `/:locale/admin/documents/${f.transparencyDocs.travaux.id}`,
    'POST /:locale/admin/documents/:id/publish': (f) => `/:locale/admin/documents/${f.transparencyDocs.travaux.id}/publish`,
    'POST /:locale/admin/documents/:id/files': (f) => `/:locale/admin/documents/${f.transparencyDocs.travaux.id}/files`,
    'POST /:locale/admin/documents/:id/withdraw': (f) => `/:locale/admin/documents/${f.transparencyDocs.travaux.id}/withdraw`,
    'POST /:locale/admin/documents/:id/links': (f) => `/:locale/admin/documents/${f.transparencyDocs.travaux.id}/links`,
    'GET /:locale/transparency/register': () => '/:locale/transparency/register',
    'GET /:locale/transparency/register.csv': () => '/:locale/transparency/register.csv',
    'GET /api/transparency/register.json': () => '/api/transparency/register.json',
    'GET /:locale/admin/transparency/due': () => '/:locale/admin/transparency/due',
    '* /:locale/admin/transparency/register': () => '/:locale/admin/transparency/register',
    '* /:locale/admin/transparency/register/:id': (f) => `/:locale/admin/transparency/register/${f.registerItemId}`,
    'GET /:locale/council': () => '/:locale/council',
    'GET /:locale/council.ics': () => '/:locale/council.ics',
    'GET /:locale/council.csv': () => '/:locale/council.csv',
    'GET /:locale/council/deliberations.csv': () => '/:locale/council/deliberations.csv',
    'GET /:locale/council/:ref': (f) => `/:locale/council/${f.councilSession.ref}`,
    'GET /api/council/sessions.json': () => '/api/council/sessions.json',
    'GET /api/council/deliberations.json': () => '/api/council/deliberations.json',
    '* /:locale/admin/council': () => '/:locale/admin/council',
    '* /:locale/admin/council/:id': (f) => `/:locale/admin/council/${f.councilSession.id}`,
    'POST /:locale/admin/council/:id/items': (f) => `/:locale/admin/council/${f.councilSession.id}/items`,
    'POST /:locale/admin/council/:id/deliberations': (f) => `/:locale/admin/council/${f.councilSession.id}/deliberations`,
  },
  scoped: Object.fromEntries(['', '/publish', '/files', '/withdraw', '/links'].flatMap((tail) => {
    const paths = (f: Fixtures) => ['travaux', 'budget'].map((s) => ({ path: `/:locale/admin/documents/${f.transparencyDocs[s].id}${tail}`, institution: s }));
    return tail === '' ? [['GET /:locale/admin/documents/:id', paths], ['POST /:locale/admin/documents/:id', paths]] : [[`POST /:locale/admin/documents/:id${tail}`, paths]];
  })),
};
export default fixtures;
