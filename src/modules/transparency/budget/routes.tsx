import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../../core/service.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, intParam, pageParam, queryString, limited } from '../../../core/http/form-route.ts';
import { spreadTranslated } from '../../../core/http/forms.ts';
import { uploadsOf } from '../../../core/files/index.ts';
import { RuleError } from '../../../core/http/errors.ts';
import { tr } from '../../../core/i18n/index.ts';
import { pdfAvailable, htmlToPdf, closePdfBrowser } from '../../monitoring/pdf.ts';
import * as svc from './service.ts';
import { EXPLAINED } from './schema.ts';
import { YearPage, NoBudgetPage, FunctionPage, LinePage, GlossaryPage, PdfUnavailablePage } from './views.tsx';
import { AdminBudgetPage, ImportPreviewPage, NomenclaturePage, FunctionsAdminPage, FunctionEditPage, LineEditPage, YearEditPage, GlossaryAdminPage } from './admin-views.tsx';
import { yearCsv, fiscalCsv, datapackage, budgetIndex } from './exports.ts';
import type { ImportIssue } from './import.ts';

type Req = FastifyRequest;
type Reply = FastifyReply;

const requires = (permission: string) => ({ preHandler: async (req: Req) => { authorize(req.ctx, permission); } });
const MANAGE = requires(svc.MANAGE);
const EXPLAIN = requires(svc.EXPLAIN);
/** PDFs are heavy to make: a few per minute and per address. */
const PDF_LIMIT = 6;

const yearOf = (p: unknown) => { const v = (p as Record<string, string>).year; return /^\d{4}$/.test(v ?? '') ? Number(v) : -1; };
const strParam = (p: unknown, name: string) => String((p as Record<string, string>)[name] ?? '').slice(0, 60);

function sendCsv(reply: Reply, name: string, gen: AsyncGenerator<string>) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(Readable.from(gen));
}

/** The template of an import file: the header, then two example lines. */
const TEMPLATE = '\uFEFFyear,code,label_fr,forecast,amended,committed,executed\r\n2026,10.10.10.11,Taxe sur les terrains urbains non bâtis,25000000.00,,,\r\n2026,20.10.10.11,Carburants et lubrifiants,1200000.00,,,\r\n';

export async function budgetPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;
  app.addHook('onClose', async () => { await closePdfBrowser(); });

  // ---------- Public: the citizen budget ----------
  const yearPage = async (req: Req, reply: Reply, year: number) => {
    const print = queryString(req.query, 'print') === '1';
    const [ov, glossary] = await Promise.all([svc.overview(req.ctx, year), svc.glossary(req.ctx)]);
    return reply.page(req.t('budget.yearTitle', { year }), <YearPage ov={ov} glossary={glossary} pdf={pdfAvailable()} print={print} />, 200,
      { description: req.t('budget.description', { year }) });
  };
  app.get('/budget', async (req, reply) => {
    const latest = await svc.latestYear(req.ctx);
    if (latest === null) return reply.page(req.t('budget.title'), <NoBudgetPage />);
    return yearPage(req, reply, latest);
  });
  app.get('/budget/:year(^\\d{4})', (req, reply) => yearPage(req, reply, yearOf(req.params)));
  app.get('/budget/:year(^\\d{4})/functions/:slug', async (req, reply) => {
    const d = await svc.functionDetail(req.ctx, yearOf(req.params), strParam(req.params, 'slug'));
    const years = (await svc.listYears(req.ctx)).map((y) => y.year).sort((a, b) => a - b);
    const name = d.fn ? tr(d.fn.label, req.locale) : req.t('budget.unmapped');
    return reply.page(req.t('budget.functionTitle', { name, year: d.info.year }), <FunctionPage d={d} years={years} />);
  });
  app.get('/budget/lines/:code', async (req, reply) => {
    const d = await svc.lineDetail(req.ctx, strParam(req.params, 'code'));
    return reply.page(`${d.code} ${tr(d.label, req.locale)}`, <LinePage d={d} />);
  });
  app.get('/budget/glossary', async (req, reply) => reply.page(req.t('budget.glossaryTitle'), <GlossaryPage terms={await svc.glossary(req.ctx)} />));
  app.get('/budget/:year(^\\d{4}).csv', async (req, reply) => {
    const year = yearOf(req.params);
    await svc.requireYear(req.ctx, year);
    return sendCsv(reply, `budget-${year}.csv`, yearCsv(req.ctx, year));
  });
  app.get('/budget/:year(^\\d{4})/fiscal.csv', async (req, reply) => {
    const year = yearOf(req.params);
    await svc.requireYear(req.ctx, year);
    return sendCsv(reply, `budget-${year}-fiscal.csv`, fiscalCsv(req.ctx, year));
  });
  app.get('/budget/:year(^\\d{4}).pdf', limited(cfg(), PDF_LIMIT), async (req, reply) => {
    const year = yearOf(req.params);
    await svc.requireYear(req.ctx, year);
    if (!pdfAvailable()) return reply.page(req.t('budget.pdf'), <PdfUnavailablePage year={year} />);
    // The PDF is the public page in its print version, rendered in-process and printed by Chromium.
    const inner = await app.inject({ method: 'GET', url: `/${req.locale}/budget/${year}?print=1`, headers: { host: req.headers.host ?? 'localhost' } });
    if (inner.statusCode !== 200) throw new Error(`print page answered ${inner.statusCode}`);
    let pdf: Buffer;
    try { pdf = await htmlToPdf(inner.body); } catch (err) {
      req.log.error({ err }, 'PDF rendering failed');
      return reply.page(req.t('budget.pdf'), <PdfUnavailablePage year={year} />, 503);
    }
    return reply.type('application/pdf').header('content-disposition', `inline; filename="budget-${year}-${req.locale}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });

  // ---------- Staff: import ----------
  const adminPage = async (req: Req, reply: Reply, form: FormState = emptyForm(), issues: ImportIssue[] | null = null, status = 200) =>
    reply.page(req.t('budget.adminTitle'), <AdminBudgetPage years={await svc.listYears(req.ctx)} imports={await svc.recentImports(req.ctx)} form={form} issues={issues} />, status);
  app.get('/admin/budget', MANAGE, (req, reply) => adminPage(req, reply));
  app.get('/admin/budget/template.csv', MANAGE, async (_req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="budget-template.csv"').send(TEMPLATE));
  app.post('/admin/budget/import', MANAGE, async (req, reply) => {
    try {
      const id = await svc.prepareImport(req.ctx, uploadsOf(req.body, 'file')[0] ?? null);
      return reply.to(`/admin/budget/imports/${id}`);
    } catch (e) {
      if (e instanceof svc.ImportRejected) return adminPage(req, reply, emptyForm(), e.issues, 422);
      if (e instanceof RuleError) return adminPage(req, reply, { values: {}, errors: { [e.field ?? 'file']: { key: e.messageKey, params: e.params } } }, null, 422);
      throw e;
    }
  });
  const importPage = async (req: Req, reply: Reply, error: ImportIssue[] | string | null = null, status = 200) =>
    reply.page(req.t('budget.import.previewTitle'), <ImportPreviewPage imp={await svc.getImport(req.ctx, intParam(req.params, 'id'))} error={error} />, status);
  app.get('/admin/budget/imports/:id', MANAGE, (req, reply) => importPage(req, reply));
  app.post('/admin/budget/imports/:id/apply', MANAGE, async (req, reply) => {
    try {
      await svc.applyImport(req.ctx, intParam(req.params, 'id'));
    } catch (e) {
      if (e instanceof svc.ImportRejected) return importPage(req, reply, e.issues, 422);
      if (e instanceof RuleError) return importPage(req, reply, e.messageKey, 422);
      throw e;
    }
    reply.flash('success', 'budget.import.applied');
    return reply.to('/admin/budget');
  });
  app.post('/admin/budget/imports/:id/discard', MANAGE, async (req, reply) => {
    await svc.discardImport(req.ctx, intParam(req.params, 'id'));
    reply.flash('success', 'budget.import.discarded');
    return reply.to('/admin/budget');
  });

  // ---------- Staff: nomenclature ----------
  const nomPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ level: 'line' }), status = 200) => {
    const prefix = queryString(req.query, 'prefix', 40);
    return reply.page(req.t('budget.nomenclatureTitle'), <NomenclaturePage data={await svc.nomenclaturePage(req.ctx, prefix, pageParam(req.query))} prefix={prefix} form={form} />, status);
  };
  app.get('/admin/budget/nomenclature', MANAGE, (req, reply) => nomPage(req, reply));
  app.post('/admin/budget/nomenclature', MANAGE, (req, reply) => submitForm(req, reply, () => svc.addNomenclature(req.ctx, svc.nomenclatureFromForm(req.body)),
    (form, status) => nomPage(req, reply, form, status),
    () => { reply.flash('success', 'budget.flash.nomenclatureAdded'); return reply.to('/admin/budget/nomenclature'); }));

  // ---------- Staff: functions and the mapping of lines ----------
  const fnsPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ sort: '100' }), status = 200) => {
    const prefix = queryString(req.query, 'prefix', 40);
    const [functions, mapping] = await Promise.all([svc.listFunctions(req.ctx), svc.mappingPage(req.ctx, prefix, pageParam(req.query))]);
    return reply.page(req.t('budget.functionsAdminTitle'), <FunctionsAdminPage functions={functions} mapping={mapping} prefix={prefix} form={form} />, status);
  };
  app.get('/admin/budget/functions', MANAGE, (req, reply) => fnsPage(req, reply));
  app.post('/admin/budget/functions', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createFunction(req.ctx, svc.functionFromForm(req.body)),
    (form, status) => fnsPage(req, reply, form, status),
    () => { reply.flash('success', 'budget.flash.functionCreated'); return reply.to('/admin/budget/functions'); }));
  const fnPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const fn = await svc.functionForEdit(req.ctx, strParam(req.params, 'slug'));
    return reply.page(tr(fn.label, req.locale), <FunctionEditPage fn={fn} form={form ?? emptyForm({ sort: String(fn.sort), ...spreadTranslated(fn.label, 'label'), ...spreadTranslated(fn.description, 'description') })} />, status);
  };
  app.get('/admin/budget/functions/:slug', MANAGE, (req, reply) => fnPage(req, reply));
  app.post('/admin/budget/functions/:slug', MANAGE, async (req, reply) => {
    await svc.functionForEdit(req.ctx, strParam(req.params, 'slug'));
    return submitForm(req, reply, () => { const f = svc.functionFromForm({ ...(req.body as object), slug: strParam(req.params, 'slug') }); return svc.updateFunction(req.ctx, strParam(req.params, 'slug'), f); },
      (form, status) => fnPage(req, reply, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/budget/functions'); });
  });

  const linePage = async (req: Req, reply: Reply, forms: { map?: FormState; link?: FormState } = {}, status = 200) => {
    const line = await svc.lineForEdit(req.ctx, strParam(req.params, 'code'));
    const functions = await svc.listFunctions(req.ctx);
    return reply.page(line.code, <LineEditPage line={line} functions={functions} mapForm={forms.map ?? emptyForm({ function: line.fn?.slug ?? '', district: line.district ?? '' })} linkForm={forms.link ?? emptyForm()} />, status);
  };
  const backToLine = (req: Req, reply: Reply) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/budget/lines/${encodeURIComponent(strParam(req.params, 'code'))}`); };
  app.get('/admin/budget/lines/:code', MANAGE, (req, reply) => linePage(req, reply));
  app.post('/admin/budget/lines/:code', MANAGE, (req, reply) => submitForm(req, reply, () => svc.mapLine(req.ctx, strParam(req.params, 'code'), req.body),
    (form, status) => linePage(req, reply, { map: form }, status), () => backToLine(req, reply)));
  app.post('/admin/budget/lines/:code/commitments', MANAGE, (req, reply) => submitForm(req, reply, () => svc.linkCommitment(req.ctx, strParam(req.params, 'code'), req.body),
    (form, status) => linePage(req, reply, { link: form }, status), () => backToLine(req, reply)));
  app.post('/admin/budget/lines/:code/commitments/:cid/remove', MANAGE, async (req, reply) => {
    await svc.unlinkCommitment(req.ctx, strParam(req.params, 'code'), intParam(req.params, 'cid'));
    return backToLine(req, reply);
  });

  // ---------- Staff: a year's population and explanations (the OGP team too) ----------
  const yearEdit = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const y = await svc.yearForEdit(req.ctx, yearOf(req.params));
    const values: Record<string, unknown> = { population: String(y.population) };
    for (const k of EXPLAINED) Object.assign(values, spreadTranslated(y.explanations[k] ?? {}, `explain_${k}`));
    return reply.page(req.t('budget.editYear', { year: y.year }), <YearEditPage year={y} form={form ?? emptyForm(values)} />, status);
  };
  app.get('/admin/budget/years/:year', EXPLAIN, (req, reply) => yearEdit(req, reply));
  app.post('/admin/budget/years/:year', EXPLAIN, async (req, reply) => {
    await svc.yearForEdit(req.ctx, yearOf(req.params));
    return submitForm(req, reply, () => svc.updateYear(req.ctx, yearOf(req.params), req.body),
      (form, status) => yearEdit(req, reply, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/budget/years/${yearOf(req.params)}`); });
  });

  // ---------- Staff: glossary (the OGP team too) ----------
  const glossaryAdmin = async (req: Req, reply: Reply, form: FormState = emptyForm({ sort: '100' }), editing?: string, status = 200) =>
    reply.page(req.t('budget.glossaryTitle'), <GlossaryAdminPage terms={await svc.glossary(req.ctx)} form={form} editing={editing} />, status);
  app.get('/admin/budget/glossary', EXPLAIN, (req, reply) => glossaryAdmin(req, reply));
  app.post('/admin/budget/glossary', EXPLAIN, (req, reply) => submitForm(req, reply, () => svc.saveTerm(req.ctx, svc.termFromForm(req.body)),
    (form, status) => glossaryAdmin(req, reply, form, undefined, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/admin/budget/glossary'); }));
  app.get('/admin/budget/glossary/:slug', EXPLAIN, async (req, reply) => {
    const term = await svc.termForEdit(req.ctx, strParam(req.params, 'slug'));
    return glossaryAdmin(req, reply, emptyForm({ slug: term.slug, sort: String(term.sort), ...spreadTranslated(term.term, 'term'), ...spreadTranslated(term.definition, 'definition') }), term.slug);
  });
  app.post('/admin/budget/glossary/:slug', EXPLAIN, async (req, reply) => {
    const slug = strParam(req.params, 'slug');
    await svc.termForEdit(req.ctx, slug);
    return submitForm(req, reply, () => svc.saveTerm(req.ctx, svc.termFromForm(req.body), slug),
      (form, status) => glossaryAdmin(req, reply, form, slug, status),
      () => { reply.flash('success', 'common.saved'); return reply.to('/admin/budget/glossary'); });
  });
}

/** Open data under /api (no locale). */
export async function budgetApi(app: FastifyInstance) {
  app.get('/api/budget.json', async (req) => budgetIndex(req.ctx));
  app.get('/api/budget/:year(^\\d{4})/datapackage.json', async (req, reply) => {
    const year = yearOf(req.params);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(await datapackage(req.ctx, year), null, 2));
  });
}

