import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tr, LOCALES } from '../../../core/i18n/index.ts';
import { authorize } from '../../../core/service.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, intParam, pageParam, queryString } from '../../../core/http/form-route.ts';
import { openStoredFile } from '../../../core/files/index.ts';
import { atomFeed, ATOM_TYPE } from '../../../core/feeds/index.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { spreadTranslated } from '../../../core/http/forms.ts';
import { listInstitutions } from '../../governance/institutions.ts';
import { listCommitments, listPlans } from '../../accountability/service.ts';
import * as svc from './service.ts';
import * as input from './inputs.ts';
import { resolveLinks } from '../links.ts';
import { deliberationsLinkedTo, listSessionsForAdmin } from '../council/service.ts';
import { listRegisterItems } from '../register/service.ts';
import { DocumentsPage, DocumentPage, AdminDocumentsPage, AdminDocumentPage, type AdminDocForms } from './views.tsx';
import { documentRowsCsv } from '../exports.ts';

type Req = FastifyRequest;
type Reply = FastifyReply;
const PUBLISH = { preHandler: async (req: Req) => { authorize(req.ctx, svc.PUBLISH); } };

/** The name in Content-Disposition (RFC 6266): an ASCII fallback, and the original name (Arabic included) in `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export async function documentPages(app: FastifyInstance) {
  const departments = (req: Req) => listInstitutions(req.ctx, ['department']);

  app.get('/documents', async (req, reply) => {
    const q = req.query;
    const deps = await departments(req);
    const filters = { kind: queryString(q, 'kind', 60), year: queryString(q, 'year', 4), department: queryString(q, 'department', 100), language: queryString(q, 'language', 2) };
    const year = /^\d{4}$/.test(filters.year) ? Number(filters.year) : undefined;
    const dep = deps.find((d) => d.slug === filters.department);
    const language = (LOCALES as readonly string[]).includes(filters.language) ? filters.language : undefined;
    const [list, kinds, facets] = await Promise.all([
      svc.listPublicDocuments(req.ctx, { kind: filters.kind || undefined, year, institutionId: dep?.id ?? (filters.department ? -1 : undefined), language, page: pageParam(q) }),
      svc.documentKinds(req.ctx), svc.documentFacets(req.ctx),
    ]);
    return reply.page(req.t('transparency.documentsTitle'), <DocumentsPage list={list} kinds={kinds} years={facets.years} departments={deps} filters={filters} />);
  });

  app.get('/documents.atom', async (req, reply) => {
    const origin = publicOrigin(app.appConfig, req.commune);
    const docs = await svc.recentDocuments(req.ctx, 50);
    const kinds = await svc.documentKinds(req.ctx);
    const body = atomFeed({
      id: `${origin}/${req.locale}/documents.atom`, title: `${req.t('transparency.documentsTitle')} · ${tr(req.commune.name, req.locale)}`,
      self: `${origin}/${req.locale}/documents.atom`, alternate: `${origin}/${req.locale}/documents`, lang: req.locale, author: tr(req.commune.name, req.locale),
      updated: docs[0]?.publishedAt ?? '2026-01-01T00:00:00.000Z',
      entries: docs.map((d) => ({
        id: `${origin}/${req.locale}${d.path}`, title: tr(d.title, req.locale), link: `${origin}/${req.locale}${d.path}`, updated: d.updatedAt > d.publishedAt! ? d.updatedAt : d.publishedAt!,
        published: d.publishedAt!, summary: tr(d.summary, req.locale) || undefined, categories: [tr(kinds.find((k) => k.slug === d.kind)?.name ?? d.kind, req.locale)],
      })),
    });
    return reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300').send(body);
  });

  app.get('/documents.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="documents.csv"')
    .send(Readable.from(documentRowsCsv(req.ctx, publicOrigin(app.appConfig, req.commune)))));

  app.get('/documents/:ref', async (req, reply) => {
    const ref = (req.params as { ref: string }).ref;
    if (!/^[A-Z0-9-]{1,40}$/.test(ref)) return reply.callNotFound();
    const detail = await svc.getPublicDocument(req.ctx, ref);
    const [kinds, deps, links, delibs] = await Promise.all([
      svc.documentKinds(req.ctx), departments(req), resolveLinks(req.ctx, detail.links), deliberationsLinkedTo(req.ctx, 'document', detail.doc.id),
    ]);
    const department = deps.find((d) => d.id === detail.doc.institutionId) ?? null;
    return reply.page(tr(detail.doc.title, req.locale), <DocumentPage detail={detail} kinds={kinds} department={department} links={links} deliberations={delibs} />);
  });

  app.get('/documents/:ref/files/:file', async (req, reply) => {
    const ref = (req.params as { ref: string }).ref;
    if (!/^[A-Z0-9-]{1,40}$/.test(ref)) return reply.callNotFound();
    const f = await svc.publicFile(req.ctx, ref, intParam(req.params, 'file'));
    const inline = f.kind === 'pdf' || ['png', 'jpeg', 'webp'].includes(f.kind);
    const etag = `"${f.sha256}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff')
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', f.original_name)).header('content-length', String(f.size));
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(f.mime).send(openStoredFile(app.appConfig.dataDir, req.commune.id, { sha256: f.sha256, kind: f.kind }));
  });

  // ---------- Staff ----------
  const adminList = async (req: Req, reply: Reply, form: FormState = emptyForm({ language: req.locale, kind: 'report' }), status = 200) => {
    const [list, kinds, deps] = await Promise.all([svc.listAdminDocuments(req.ctx, pageParam(req.query)), svc.documentKinds(req.ctx), departments(req)]);
    return reply.page(req.t('transparency.adminDocuments'), <AdminDocumentsPage list={list} kinds={kinds} departments={deps} form={form} />, status);
  };
  app.get('/admin/documents', PUBLISH, (req, reply) => adminList(req, reply));
  app.post('/admin/documents', PUBLISH, (req, reply) => submitForm(req, reply, () => svc.createDocument(req.ctx, input.newDocumentFromForm(req.body)),
    (form, status) => adminList(req, reply, form, status),
    (id) => { reply.flash('success', 'transparency.flash.uploaded'); return reply.to(`/admin/documents/${id}`); }));

  const linkTargets = async (req: Req) => {
    const out: { type: string; id: number; label: string }[] = [];
    for (const p of await listPlans(req.ctx)) {
      for (const c of await listCommitments(req.ctx, p.slug)) out.push({ type: 'commitment', id: c.id, label: `${req.t('transparency.linkType.commitment')} ${c.number} — ${tr(c.title, req.locale)}` });
    }
    for (const s of await listSessionsForAdmin(req.ctx)) out.push({ type: 'council_session', id: s.id, label: `${req.t('transparency.linkType.council_session')} — ${tr(s.title, req.locale)}` });
    for (const r of await listRegisterItems(req.ctx)) out.push({ type: 'register_item', id: r.id, label: `${req.t('transparency.linkType.register_item')} ${r.code} — ${tr(r.title, req.locale)}` });
    return out;
  };

  const adminDoc = async (req: Req, reply: Reply, forms: AdminDocForms = {}, status = 200) => {
    const detail = await svc.getAdminDocument(req.ctx, intParam(req.params, 'id'));
    const [kinds, deps, links, targets] = await Promise.all([svc.documentKinds(req.ctx), departments(req), resolveLinks(req.ctx, detail.links), linkTargets(req)]);
    const d = detail.doc;
    const editDefault = emptyForm({
      kind: d.kind, ...spreadTranslated(d.title, 'title'), ...spreadTranslated(d.summary, 'summary'), year: d.year ?? '', period: d.period ?? '',
      institution_id: d.institutionId ?? '', embargo_until: d.embargoUntil?.slice(0, 10) ?? '',
    });
    return reply.page(tr(d.title, req.locale), <AdminDocumentPage detail={detail} kinds={kinds} departments={deps} links={links} targets={targets} forms={{ ...forms, editDefault }} />, status);
  };
  const back = (req: Req, reply: Reply, key: string) => { reply.flash('success', key); return reply.to(`/admin/documents/${intParam(req.params, 'id')}`); };
  app.get('/admin/documents/:id', PUBLISH, (req, reply) => adminDoc(req, reply));
  app.post('/admin/documents/:id', PUBLISH, (req, reply) => submitForm(req, reply, () => svc.updateDocument(req.ctx, intParam(req.params, 'id'), input.metaFromForm(req.body)),
    (form, status) => adminDoc(req, reply, { edit: form }, status), () => back(req, reply, 'common.saved')));
  app.post('/admin/documents/:id/publish', PUBLISH, (req, reply) => submitForm(req, reply, () => svc.publishDocument(req.ctx, intParam(req.params, 'id')),
    (form, status) => adminDoc(req, reply, { publish: form }, status), () => back(req, reply, 'transparency.flash.published')));
  app.post('/admin/documents/:id/files', PUBLISH, (req, reply) => submitForm(req, reply, () => svc.addDocumentFile(req.ctx, intParam(req.params, 'id'), input.fileFromForm(req.body)),
    (form, status) => adminDoc(req, reply, { file: form }, status), () => back(req, reply, 'transparency.flash.fileAdded')));
  app.post('/admin/documents/:id/withdraw', PUBLISH, (req, reply) => submitForm(req, reply, () => svc.withdrawDocument(req.ctx, intParam(req.params, 'id'), input.reasonFromForm(req.body)),
    (form, status) => adminDoc(req, reply, { withdraw: form }, status), () => back(req, reply, 'transparency.flash.withdrawn')));
  app.post('/admin/documents/:id/links', PUBLISH, (req, reply) => submitForm(req, reply, async () => {
    const l = input.linkFromForm(req.body);
    await svc.linkDocument(req.ctx, intParam(req.params, 'id'), l.type, l.id, l.remove);
  }, (form, status) => adminDoc(req, reply, { link: form }, status), () => back(req, reply, 'common.saved')));
}
