import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, intParam, queryString } from '../../core/http/form-route.ts';
import { spreadTranslated } from '../../core/http/forms.ts';
import { authorize } from '../../core/service.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import { uploadsOf } from '../../core/files/index.ts';
import { parseTranslated } from '../../core/i18n/index.ts';
import * as svc from './service.ts';
import * as st from './settings.ts';
import { CategoriesPage, CategoryFormPage, QuestionPage, DistrictsPage, DistrictFormPage, TemplatesPage, TemplateFormPage, HolidaysPage, HeadsPage } from './views/settings.tsx';

const id = (req: FastifyRequest, name = 'id') => intParam(req.params, name);

export async function settingsPages(app: FastifyInstance) {
  const institutions = (req: FastifyRequest) => svc.handlingInstitutions(req.ctx);

  // ---------- Categories and their questions ----------

  app.get('/admin/requests/categories', async (req, reply) => {
    authorize(req.ctx, 'requests.configure');
    return reply.page(req.t('requests.categoriesTitle'), <CategoriesPage categories={await svc.listCategories(req.ctx, false)} institutions={await institutions(req)} />);
  });

  async function categoryPage(req: FastifyRequest, reply: FastifyReply, categoryId: number | null, form?: FormState, questionForm?: FormState, status = 200) {
    authorize(req.ctx, 'requests.configure');
    let questions: svc.Question[] = [];
    if (categoryId) {
      const { category, questions: qs } = await st.categoryForAdmin(req.ctx, categoryId);
      questions = qs;
      form ??= emptyForm({
        slug: category.slug, ...spreadTranslated(parseTranslated(category.name), 'name'), ...spreadTranslated(parseTranslated(category.description), 'description'),
        institution_id: String(category.institution_id), sla_days: String(category.sla_days), sort: String(category.sort), active: category.active ? '1' : '', sample: category.sample ? '1' : '',
      });
    }
    const title = categoryId ? req.t('requests.editCategory') : req.t('requests.newCategory');
    return reply.page(title, <CategoryFormPage id={categoryId} form={form ?? emptyForm({ active: '1', sla_days: '10' })} institutions={await institutions(req)}
      questions={questions} questionForm={questionForm ?? emptyForm({ kind: 'text' })} />, status);
  }

  app.get('/admin/requests/categories/new', (req, reply) => categoryPage(req, reply, null));
  app.post('/admin/requests/categories/new', async (req, reply) =>
    submitForm(req, reply, () => st.saveCategory(req.ctx, null, req.body), (form, status) => categoryPage(req, reply, null, form, undefined, status),
      (newId) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/requests/categories/${newId}`); }));
  app.get('/admin/requests/categories/:id', (req, reply) => categoryPage(req, reply, id(req)));
  app.post('/admin/requests/categories/:id', async (req, reply) =>
    submitForm(req, reply, () => st.saveCategory(req.ctx, id(req), req.body), (form, status) => categoryPage(req, reply, id(req), form, undefined, status),
      () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/requests/categories/${id(req)}`); }));

  app.post('/admin/requests/categories/:id/questions', async (req, reply) =>
    submitForm(req, reply, () => st.saveQuestion(req.ctx, id(req), null, req.body), (form, status) => categoryPage(req, reply, id(req), undefined, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/requests/categories/${id(req)}#questions-title`); }));

  async function questionPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const { category, questions } = await st.categoryForAdmin(req.ctx, id(req));
    const q = questions.find((x) => x.id === id(req, 'qid'));
    if (!q) throw new NotFoundError();
    return reply.page(req.t('requests.editQuestion'), <QuestionPage categoryId={category.id} categoryName={parseTranslated(category.name)} questionId={q.id}
      form={form ?? emptyForm({
        code: q.code, kind: q.kind, ...spreadTranslated(q.label, 'label'), ...spreadTranslated(q.hint, 'hint'), required: q.required ? '1' : '',
        options: st.optionLines(q.options), sort: String(q.sort),
      })} />, status);
  }
  app.get('/admin/requests/categories/:id/questions/:qid', (req, reply) => questionPage(req, reply));
  app.post('/admin/requests/categories/:id/questions/:qid', async (req, reply) =>
    submitForm(req, reply, () => st.saveQuestion(req.ctx, id(req), id(req, 'qid'), req.body), (form, status) => questionPage(req, reply, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/requests/categories/${id(req)}`); }));
  app.post('/admin/requests/categories/:id/questions/:qid/delete', async (req, reply) => {
    await st.deleteQuestion(req.ctx, id(req), id(req, 'qid'));
    reply.flash('success', 'common.saved');
    return reply.to(`/admin/requests/categories/${id(req)}`);
  });

  // ---------- Districts ----------

  async function districtsPage(req: FastifyRequest, reply: FastifyReply, importForm?: FormState, status = 200) {
    authorize(req.ctx, 'requests.configure');
    const [districts, polygons] = await Promise.all([svc.listDistricts(req.ctx), svc.districtsWithPolygon(req.ctx)]);
    return reply.page(req.t('requests.districtsTitle'), <DistrictsPage districts={districts} polygons={polygons} importForm={importForm ?? emptyForm()} />, status);
  }
  app.get('/admin/requests/districts', (req, reply) => districtsPage(req, reply));
  app.post('/admin/requests/districts/import', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = uploadsOf(body, 'file')[0];
    const text = file ? file.data.toString('utf8') : typeof body.geojson === 'string' ? body.geojson : '';
    return submitForm(req, reply, () => st.importDistricts(req.ctx, text),
      (form, status) => districtsPage(req, reply, { ...form, values: { geojson: file ? '' : form.values.geojson } }, status),
      ({ added, updated }) => { reply.flash('success', 'requests.imported', { added, updated }); return reply.to('/admin/requests/districts'); });
  });

  async function districtPage(req: FastifyRequest, reply: FastifyReply, districtId: number | null, form?: FormState, status = 200) {
    authorize(req.ctx, 'requests.configure');
    if (districtId && !form) {
      const d = await st.districtForAdmin(req.ctx, districtId);
      form = emptyForm({ slug: d.slug, ...spreadTranslated(parseTranslated(d.name), 'name'), population: d.population ?? '', sort: String(d.sort), sample: d.sample ? '1' : '' });
    }
    return reply.page(districtId ? req.t('requests.editDistrict') : req.t('requests.newDistrict'), <DistrictFormPage id={districtId} form={form ?? emptyForm()} />, status);
  }
  app.get('/admin/requests/districts/new', (req, reply) => districtPage(req, reply, null));
  app.post('/admin/requests/districts/new', async (req, reply) =>
    submitForm(req, reply, () => st.saveDistrict(req.ctx, null, req.body), (form, status) => districtPage(req, reply, null, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/requests/districts'); }));
  app.get('/admin/requests/districts/:id', (req, reply) => districtPage(req, reply, id(req)));
  app.post('/admin/requests/districts/:id', async (req, reply) =>
    submitForm(req, reply, () => st.saveDistrict(req.ctx, id(req), req.body), (form, status) => districtPage(req, reply, id(req), form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/requests/districts'); }));

  // ---------- Response templates ----------

  app.get('/admin/requests/templates', async (req, reply) => {
    authorize(req.ctx, 'requests.configure');
    return reply.page(req.t('requests.templatesTitle'), <TemplatesPage templates={await st.templatesFor(req.ctx)} categories={await svc.listCategories(req.ctx, false)} />);
  });
  async function templatePage(req: FastifyRequest, reply: FastifyReply, templateId: number | null, form?: FormState, status = 200) {
    authorize(req.ctx, 'requests.configure');
    if (templateId && !form) {
      const x = await st.templateForAdmin(req.ctx, templateId);
      form = emptyForm({ category_id: x.category_id ? String(x.category_id) : '', ...spreadTranslated(parseTranslated(x.title), 'title'), ...spreadTranslated(parseTranslated(x.body), 'body'), sort: String(x.sort) });
    }
    return reply.page(templateId ? req.t('requests.editTemplate') : req.t('requests.newTemplate'),
      <TemplateFormPage id={templateId} form={form ?? emptyForm()} categories={await svc.listCategories(req.ctx, false)} />, status);
  }
  app.get('/admin/requests/templates/new', (req, reply) => templatePage(req, reply, null));
  app.post('/admin/requests/templates/new', async (req, reply) =>
    submitForm(req, reply, () => st.saveTemplate(req.ctx, null, req.body), (form, status) => templatePage(req, reply, null, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/requests/templates'); }));
  app.get('/admin/requests/templates/:id', (req, reply) => templatePage(req, reply, id(req)));
  app.post('/admin/requests/templates/:id', async (req, reply) =>
    submitForm(req, reply, () => st.saveTemplate(req.ctx, id(req), req.body), (form, status) => templatePage(req, reply, id(req), form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/requests/templates'); }));
  app.post('/admin/requests/templates/:id/delete', async (req, reply) => {
    await st.deleteTemplate(req.ctx, id(req));
    reply.flash('success', 'requests.templateDeleted');
    return reply.to('/admin/requests/templates');
  });

  // ---------- Holidays ----------

  const yearOf = (req: FastifyRequest) => {
    const y = Number(queryString(req.query, 'year', 4));
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : req.ctx.clock.now().getUTCFullYear();
  };
  async function holidaysPage(req: FastifyRequest, reply: FastifyReply, year: number, form?: FormState, status = 200) {
    return reply.page(req.t('requests.holidaysTitle'), <HolidaysPage year={year} holidays={await st.listHolidays(req.ctx, year)} form={form ?? emptyForm()} />, status);
  }
  app.get('/admin/requests/holidays', (req, reply) => holidaysPage(req, reply, yearOf(req)));
  app.post('/admin/requests/holidays', async (req, reply) =>
    submitForm(req, reply, () => st.addHoliday(req.ctx, req.body), (form, status) => holidaysPage(req, reply, yearOf(req), form, status),
      (day) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/requests/holidays?year=${day.slice(0, 4)}`); }));
  const holidayAction = (what: 'confirm' | 'shift' | 'remove') => async (req: FastifyRequest, reply: FastifyReply) => {
    const day = what === 'confirm' ? await st.confirmHoliday(req.ctx, id(req)) : what === 'shift' ? await st.shiftHoliday(req.ctx, id(req), req.body) : await st.removeHoliday(req.ctx, id(req));
    reply.flash('success', 'common.saved');
    return reply.to(`/admin/requests/holidays?year=${day.slice(0, 4)}`);
  };
  app.post('/admin/requests/holidays/:id/confirm', holidayAction('confirm'));
  app.post('/admin/requests/holidays/:id/shift', holidayAction('shift'));
  app.post('/admin/requests/holidays/:id/remove', holidayAction('remove'));
  app.post('/admin/requests/holidays/seed', async (req, reply) => {
    const year = Number((req.body as Record<string, string>)?.year);
    const added = await st.seedYear(req.ctx, year);
    reply.flash('success', 'requests.seeded', { count: added });
    return reply.to(`/admin/requests/holidays?year=${year}`);
  });

  // ---------- Heads ----------

  async function headsPage(req: FastifyRequest, reply: FastifyReply, forms: Record<number, FormState> = {}, status = 200) {
    return reply.page(req.t('requests.headsTitle'), <HeadsPage rows={await st.headsOverview(req.ctx)} forms={forms} />, status);
  }
  app.get('/admin/requests/heads', (req, reply) => headsPage(req, reply));
  app.post('/admin/requests/heads/:id', async (req, reply) =>
    submitForm(req, reply, () => st.setHead(req.ctx, id(req), req.body), (form, status) => headsPage(req, reply, { [id(req)]: form }, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/requests/heads'); }));
}
