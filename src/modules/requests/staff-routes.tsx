import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, pageParam, queryString, intParam } from '../../core/http/form-route.ts';
import { ValidationError, NotFoundError } from '../../core/http/errors.ts';
import { authorize } from '../../core/service.ts';
import { uploadsOf } from '../../core/files/index.ts';
import { tr } from '../../core/i18n/index.ts';
import * as svc from './service.ts';
import * as wf from './workflow.ts';
import { normalizeReference } from './codes.ts';
import { rememberCode, recalledCode } from './routes.tsx';
import { QueuePage, StaffFile, CounterStart, CounterForm, Receipt, ContestsPage } from './views/staff.tsx';

type Forms = Record<'answer' | 'assign' | 'internal' | 'ruling', FormState>;

const refParam = (req: FastifyRequest) => normalizeReference(String((req.params as { ref?: string }).ref ?? ''));

export async function staffPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  // ---------- Queues ----------

  app.get('/admin/requests', async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const query: Record<string, string> = { status: queryString(raw, 'status', 20) || 'open' };
    for (const k of ['category', 'district', 'mine']) { const v = queryString(raw, k, 80); if (v) query[k] = v; }
    const page = pageParam(raw);
    const q = await wf.staffQueue(req.ctx, query, page);
    return reply.page(req.t('requests.queueTitle'), <QueuePage rows={q.rows} total={q.total} capped={q.capped} page={page} pageSize={svc.PAGE_SIZE}
      categories={q.categories} districts={q.districts} institutions={q.institutions} query={query} today={q.today} scoped={q.scoped} />);
  });

  app.get('/admin/requests/contests', async (req, reply) => {
    const [{ pending, ruled }, categories] = await Promise.all([wf.contestLists(req.ctx), svc.listCategories(req.ctx, false)]);
    return reply.page(req.t('requests.contestsTitle'), <ContestsPage pending={pending} ruled={ruled} categories={categories} />);
  });

  // ---------- The counter ----------

  async function counterForm(req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) {
    authorize(req.ctx, 'requests.report_for');
    const categories = await svc.listCategories(req.ctx);
    const category = categories.find((c) => c.slug === String(form.values.category ?? ''));
    if (!category) {
      // A refused post without a category (or with one that does not exist) says so above the categories.
      const bad: FormState['errors'] = form.values.category ? { category: { key: 'requests.errors.category' } } : status >= 400 ? { category: { key: 'errors.required' } } : {};
      return reply.page(req.t('requests.counterTitle'), <CounterStart categories={categories} form={{ values: {}, errors: bad }} />, form.values.category ? 404 : status);
    }
    return reply.page(req.t('requests.counterCategoryTitle', { category: tr(category.name, req.locale) }),
      <CounterForm category={category} districts={await svc.listDistricts(req.ctx)} form={form} tileUrl={cfg().tileUrl} />, status);
  }

  app.get('/admin/requests/new', async (req, reply) => counterForm(req, reply, emptyForm({ channel: 'counter', category: queryString(req.query, 'category', 80) })));

  app.post('/admin/requests/new', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return submitForm(req, reply, () => svc.submitOnBehalf(req.ctx, body, uploadsOf(body, 'photos')), (form, status) => counterForm(req, reply, form, status),
    ({ reference, trackingCode }) => {
      rememberCode(req, reply, reference, trackingCode);
      return reply.to(`/admin/requests/${reference}/receipt`);
    });
  });

  app.get('/admin/requests/:ref/receipt', async (req, reply) => {
    const { request: r, category, district } = await wf.counterReceipt(req.ctx, refParam(req));
    const code = recalledCode(req, r.reference);
    const base = `${cfg().baseUrl}/${req.locale}`;
    return reply.page(req.t('requests.receiptTitle'), <Receipt r={r} category={category} district={district} code={code}
      trackUrl={code ? `${base}/requests/track/${code}` : null} publicUrl={`${base}/requests/${r.reference}`} commune={req.commune.name} />);
  });

  app.post('/admin/requests/:ref/new-code', async (req, reply) => {
    const reference = refParam(req);
    const code = await wf.reissueCode(req.ctx, reference);
    rememberCode(req, reply, reference, code);
    return reply.to(`/admin/requests/${reference}/receipt`);
  });

  // ---------- A request's staff file ----------

  async function filePage(req: FastifyRequest, reply: FastifyReply, forms: Partial<Forms> = {}, status = 200) {
    const d = await wf.staffFile(req.ctx, refParam(req));
    const r = d.request;
    const templateId = intParam(req.query, 'template');
    const template = d.templates.find((x) => x.id === templateId);
    const answer = forms.answer ?? emptyForm(template ? { note: tr(template.body, r.reporter_locale as any) } : {});
    return reply.page(`${r.reference} · ${tr(d.category.name, req.locale)}`, <StaffFile d={{ ...d, templates: d.templates.map((x) => ({ id: x.id, title: x.title })) }} overdue={d.overdue}
      forms={{ answer, assign: forms.assign ?? emptyForm({ assignee_id: r.assignee_id ?? '' }), internal: forms.internal ?? emptyForm(), ruling: forms.ruling ?? emptyForm() }} />, status);
  }

  app.get('/admin/requests/:ref', async (req, reply) => filePage(req, reply));

  const back = (req: FastifyRequest, reply: FastifyReply, key: string) => { reply.flash('success', key); return reply.to(`/admin/requests/${refParam(req)}`); };

  app.post('/admin/requests/:ref/answer', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ref = refParam(req);
    return submitForm(req, reply, () => wf.answer(req.ctx, ref, body, uploadsOf(body, 'photo')[0]), (form, status) => filePage(req, reply, { answer: form }, status), () => back(req, reply, 'requests.answered'));
  });

  app.post('/admin/requests/:ref/assign', async (req, reply) =>
    submitForm(req, reply, () => wf.assign(req.ctx, refParam(req), req.body),
      (form, status) => filePage(req, reply, { assign: form }, status), () => back(req, reply, 'requests.assigned')));

  app.post('/admin/requests/:ref/note', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return submitForm(req, reply, async () => {
      try { return await wf.addNote(req.ctx, refParam(req), { note: body.internal_note }); } catch (e) {
        // The service names the field `note`; on this page it is `internal_note`.
        if (e instanceof ValidationError) throw new ValidationError(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k === 'note' ? 'internal_note' : k, v])));
        throw e;
      }
    }, (form, status) => filePage(req, reply, { internal: form }, status), () => back(req, reply, 'requests.noted'));
  });

  app.post('/admin/requests/:ref/rule', async (req, reply) =>
    submitForm(req, reply, () => wf.rule(req.ctx, refParam(req), req.body),
      (form, status) => filePage(req, reply, { ruling: form }, status), () => back(req, reply, 'requests.ruled')));

  app.post('/admin/requests/:ref/hide-name', async (req, reply) => {
    await wf.moderatorHideName(req.ctx, refParam(req));
    return back(req, reply, 'requests.nameHiddenDone');
  });

  app.post('/admin/requests/:ref/photos/:id/:what', async (req, reply) => {
    const what = (req.params as { what: string }).what;
    if (what !== 'hide' && what !== 'show') throw new NotFoundError();
    await wf.setPhotoHidden(req.ctx, intParam(req.params, 'id'), what === 'hide', refParam(req));
    return back(req, reply, what === 'hide' ? 'requests.photoHiddenDone' : 'requests.photoShownDone');
  });
}

