import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as svc from './service.ts';
import {
  PublicReportPage, PdfUnavailablePage, PlanMonitoringPage, AdminListPage, EditorPage, PreviewPage, SectionPage, AssessmentPage,
  RecommendationPage, ResponsesPage, AnswerPage, EndListPage, EndFormPage,
} from './views.tsx';
import { pdfAvailable, htmlToPdf, closePdfBrowser } from './pdf.ts';
import { loadThread } from '../comments/index.ts';
import { listInstitutions } from '../governance/institutions.ts';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, limited, intParam, queryString } from '../../core/http/form-route.ts';
import { spreadTranslated } from '../../core/http/forms.ts';
import { openStoredFile } from '../../core/files/index.ts';
import { can } from '../../core/auth/roles.ts';
import type { Ctx } from '../../core/service.ts';
import { tr, type Translated } from '../../core/i18n/index.ts';
import { localDay } from '../../core/clock/working-days.ts';

/** PDFs are heavy to make: a few per minute and per address. */
export const PDF_LIMIT = 6;

async function monitorName(ctx: Ctx): Promise<Translated | null> {
  return (await listInstitutions(ctx, ['monitor']))[0]?.name ?? null;
}

function versionParam(q: unknown): number | undefined {
  const v = queryString(q, 'version', 10);
  return /^\d{1,6}$/.test(v) ? Number(v) : undefined;
}

export async function monitoringPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;
  app.addHook('onClose', async () => { await closePdfBrowser(); });

  // ---------- Public ----------

  app.get('/plans/:slug/monitoring', async (req, reply) => {
    const data = await svc.planMonitoring(req.ctx, (req.params as { slug: string }).slug);
    return reply.page(req.t('monitoring.listTitle'), <PlanMonitoringPage {...data} />);
  });

  app.get('/monitoring/:id', async (req, reply) => {
    const id = intParam(req.params, 'id');
    const print = queryString(req.query, 'print') === '1';
    const report = await svc.publicReport(req.ctx, id, versionParam(req.query));
    const thread = print ? null : await loadThread(req.ctx, 'monitoring_report', report.id);
    return reply.page(tr(report.version.title, req.locale), <PublicReportPage report={report} thread={thread} pdf={pdfAvailable()} print={print} monitorName={await monitorName(req.ctx)} />);
  });

  app.get('/monitoring/:id(^\\d{1,9}).pdf', limited(cfg(), PDF_LIMIT), async (req, reply) => {
    const id = intParam(req.params, 'id');
    const version = versionParam(req.query);
    const report = await svc.publicReport(req.ctx, id, version);
    if (!pdfAvailable()) return reply.page(req.t('monitoring.pdfTitle'), <PdfUnavailablePage report={report} />);
    // The PDF is the public page in its print version, rendered in-process and printed by Chromium.
    const inner = await app.inject({
      method: 'GET', url: `/${req.locale}/monitoring/${report.id}?print=1&version=${report.version.version}`, headers: { host: req.headers.host ?? 'localhost' },
    });
    if (inner.statusCode !== 200) throw new Error(`print page answered ${inner.statusCode}`);
    let pdf: Buffer;
    try {
      pdf = await htmlToPdf(inner.body);
    } catch (err) {
      req.log.error({ err }, 'PDF rendering failed');
      return reply.page(req.t('monitoring.pdfTitle'), <PdfUnavailablePage report={report} />, 503);
    }
    const name = `monitoring-${report.plan.slug}-${report.year}-v${report.version.version}-${req.locale}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).header('cache-control', 'no-store').send(pdf);
  });

  app.get('/monitoring/files/:fileId', async (req, reply) => {
    const meta = await svc.evidenceFile(req.ctx, intParam(req.params, 'fileId'));
    const safeName = meta.original_name.replace(/[^\p{L}\p{N}._ -]/gu, '_');
    return reply.type(meta.mime).header('content-disposition', `attachment; filename="${safeName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(safeName)}`)
      .header('x-content-type-options', 'nosniff').send(openStoredFile(app.appConfig.dataDir, req.commune.id, meta));
  });

  // ---------- The monitor ----------

  const listPage = async (req: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm({ year: String(req.ctx.clock.now().getUTCFullYear() - 1) }), status = 200) => {
    const [reports, plans] = await Promise.all([svc.adminReports(req.ctx), svc.listPlanChoices(req.ctx)]);
    return reply.page(req.t('monitoring.adminTitle'), <AdminListPage reports={reports} plans={plans} form={form} canWrite={can(req.actor, 'monitoring.write')} />, status);
  };
  app.get('/admin/monitoring', (req, reply) => listPage(req, reply));
  app.post('/admin/monitoring', async (req, reply) => submitForm(req, reply, () => svc.createReport(req.ctx, req.body),
    (form, status) => listPage(req, reply, form, status),
    (id) => { reply.flash('success', 'monitoring.created'); return reply.to(`/admin/monitoring/${id}`); }));

  const editorPage = async (req: FastifyRequest, reply: FastifyReply, forms: { title?: FormState; correction?: FormState; publish?: FormState } = {}, status = 200) => {
    const report = await svc.editorReport(req.ctx, intParam(req.params, 'id'));
    const titleForm = forms.title ?? emptyForm(spreadTranslated(report.version.title, 'title'));
    return reply.page(tr(report.version.title, req.locale),
      <EditorPage report={report} titleForm={titleForm} correctionForm={forms.correction ?? emptyForm()} publishForm={forms.publish ?? emptyForm()} />, status);
  };
  const toEditor = (req: FastifyRequest, reply: FastifyReply, key: string) => {
    reply.flash('success', key);
    return reply.to(`/admin/monitoring/${intParam(req.params, 'id')}`);
  };
  app.get('/admin/monitoring/:id', (req, reply) => editorPage(req, reply));
  app.get('/admin/monitoring/:id/preview', async (req, reply) => {
    const report = await svc.editorReport(req.ctx, intParam(req.params, 'id'));
    return reply.page(req.t('monitoring.preview'), <PreviewPage report={report} monitorName={await monitorName(req.ctx)} />);
  });
  app.post('/admin/monitoring/:id/title', async (req, reply) => submitForm(req, reply, () => svc.updateTitle(req.ctx, intParam(req.params, 'id'), req.body),
    (form, status) => editorPage(req, reply, { title: form }, status), () => toEditor(req, reply, 'common.saved')));
  app.post('/admin/monitoring/:id/publish', async (req, reply) => submitForm(req, reply, () => svc.publish(req.ctx, intParam(req.params, 'id')),
    (form, status) => editorPage(req, reply, { publish: form }, status), () => toEditor(req, reply, 'monitoring.published')));
  app.post('/admin/monitoring/:id/correction', async (req, reply) => submitForm(req, reply, () => svc.startCorrection(req.ctx, intParam(req.params, 'id'), req.body),
    (form, status) => editorPage(req, reply, { correction: form }, status), () => toEditor(req, reply, 'monitoring.correctionStarted')));

  // Sections
  const sectionPage = async (req: FastifyRequest, reply: FastifyReply, sectionId: number | null, form?: FormState, status = 200) => {
    const report = await svc.editorReport(req.ctx, intParam(req.params, 'id'));
    let f = form;
    if (!f && sectionId) {
      const s = await svc.getSection(req.ctx, report.id, sectionId);
      f = emptyForm({ ...spreadTranslated(s.heading, 'heading'), ...spreadTranslated(s.body, 'body') });
    }
    return reply.page(req.t(sectionId ? 'monitoring.editSection' : 'monitoring.addSection'), <SectionPage report={report} sectionId={sectionId} form={f ?? emptyForm()} />, status);
  };
  app.get('/admin/monitoring/:id/sections/new', (req, reply) => sectionPage(req, reply, null));
  app.post('/admin/monitoring/:id/sections/new', async (req, reply) => submitForm(req, reply, () => svc.saveSection(req.ctx, intParam(req.params, 'id'), null, req.body),
    (form, status) => sectionPage(req, reply, null, form, status), () => toEditor(req, reply, 'common.saved')));
  app.get('/admin/monitoring/:id/sections/:sid', (req, reply) => sectionPage(req, reply, intParam(req.params, 'sid')));
  app.post('/admin/monitoring/:id/sections/:sid', async (req, reply) => submitForm(req, reply, () => svc.saveSection(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'sid'), req.body),
    (form, status) => sectionPage(req, reply, intParam(req.params, 'sid'), form, status), () => toEditor(req, reply, 'common.saved')));
  for (const dir of ['up', 'down'] as const) {
    app.post(`/admin/monitoring/:id/sections/:sid/${dir}`, async (req, reply) => submitForm(req, reply, () => svc.moveSection(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'sid'), dir),
      (form, status) => editorPage(req, reply, { publish: form }, status), () => toEditor(req, reply, 'common.saved')));
  }
  app.post('/admin/monitoring/:id/sections/:sid/delete', async (req, reply) => submitForm(req, reply, () => svc.deleteSection(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'sid')),
    (form, status) => editorPage(req, reply, { publish: form }, status), () => toEditor(req, reply, 'monitoring.deleted')));

  // Assessments
  const assessmentPage = async (req: FastifyRequest, reply: FastifyReply, assessmentId: number | null, form?: FormState, status = 200) => {
    const report = await svc.editorReport(req.ctx, intParam(req.params, 'id'));
    const commitments = await svc.commitmentChoices(req.ctx, report.plan.id);
    const assessment = assessmentId ? (await svc.getAssessment(req.ctx, report.id, assessmentId)).assessment : null;
    const f = form ?? emptyForm(assessment ? {
      commitment_id: String(assessment.commitmentId), completion: assessment.completion, open_gov: assessment.openGov ?? '',
      ...spreadTranslated(assessment.justification, 'justification'), links: assessment.links.join('\n'),
    } : {});
    return reply.page(req.t(assessmentId ? 'monitoring.editAssessment' : 'monitoring.addAssessment'),
      <AssessmentPage report={report} assessment={assessment} commitments={commitments} form={f} />, status);
  };
  app.get('/admin/monitoring/:id/assessments/new', (req, reply) => assessmentPage(req, reply, null));
  app.post('/admin/monitoring/:id/assessments/new', async (req, reply) => submitForm(req, reply, () => svc.saveAssessment(req.ctx, intParam(req.params, 'id'), null, req.body),
    (form, status) => assessmentPage(req, reply, null, noFiles(form), status), () => toEditor(req, reply, 'common.saved')));
  app.get('/admin/monitoring/:id/assessments/:aid', (req, reply) => assessmentPage(req, reply, intParam(req.params, 'aid')));
  app.post('/admin/monitoring/:id/assessments/:aid', async (req, reply) => submitForm(req, reply, () => svc.saveAssessment(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'aid'), req.body),
    (form, status) => assessmentPage(req, reply, intParam(req.params, 'aid'), noFiles(form), status), () => toEditor(req, reply, 'common.saved')));
  app.post('/admin/monitoring/:id/assessments/:aid/delete', async (req, reply) => submitForm(req, reply, () => svc.deleteAssessment(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'aid')),
    (form, status) => editorPage(req, reply, { publish: form }, status), () => toEditor(req, reply, 'monitoring.deleted')));

  // Recommendations
  const recommendationPage = async (req: FastifyRequest, reply: FastifyReply, recId: number | null, form?: FormState, status = 200) => {
    const report = await svc.editorReport(req.ctx, intParam(req.params, 'id'));
    let f = form;
    if (!f && recId) {
      const r = await svc.getRecommendation(req.ctx, report.id, recId);
      f = emptyForm({ ...spreadTranslated(r.body, 'body'), institution_id: r.institutionId ? String(r.institutionId) : '', addressed_to: r.addressedTo, priority: r.priority });
    }
    return reply.page(req.t(recId ? 'monitoring.editRecommendation' : 'monitoring.addRecommendation'),
      <RecommendationPage report={report} recId={recId} institutions={await listInstitutions(req.ctx)} form={f ?? emptyForm({ priority: 'medium' })} />, status);
  };
  app.get('/admin/monitoring/:id/recommendations/new', (req, reply) => recommendationPage(req, reply, null));
  app.post('/admin/monitoring/:id/recommendations/new', async (req, reply) => submitForm(req, reply, () => svc.saveRecommendation(req.ctx, intParam(req.params, 'id'), null, req.body),
    (form, status) => recommendationPage(req, reply, null, form, status), () => toEditor(req, reply, 'common.saved')));
  app.get('/admin/monitoring/:id/recommendations/:rid', (req, reply) => recommendationPage(req, reply, intParam(req.params, 'rid')));
  app.post('/admin/monitoring/:id/recommendations/:rid', async (req, reply) => submitForm(req, reply, () => svc.saveRecommendation(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'rid'), req.body),
    (form, status) => recommendationPage(req, reply, intParam(req.params, 'rid'), form, status), () => toEditor(req, reply, 'common.saved')));
  app.post('/admin/monitoring/:id/recommendations/:rid/delete', async (req, reply) => submitForm(req, reply, () => svc.deleteRecommendation(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'rid')),
    (form, status) => editorPage(req, reply, { publish: form }, status), () => toEditor(req, reply, 'monitoring.deleted')));

  // ---------- The commune answers ----------

  app.get('/admin/monitoring/responses', async (req, reply) =>
    reply.page(req.t('monitoring.responsesTitle'), <ResponsesPage groups={await svc.responsesOverview(req.ctx)} />));

  const answerPage = async (req: FastifyRequest, reply: FastifyReply, forms: { answer?: FormState; update?: FormState } = {}, status = 200) => {
    const { report, rec } = await svc.recommendationToAnswer(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'number'));
    const r = rec.response;
    const answer = forms.answer ?? emptyForm(r ? {
      decision: r.decision, ...spreadTranslated(r.measure, 'measure'), owner_institution_id: r.owner ? String(r.owner.id) : '', due_date: r.dueDate ?? '', status: r.status ?? '',
    } : { status: 'planned' });
    const update = forms.update ?? emptyForm({ on_date: localDay(req.ctx.clock.now()), status: r?.status ?? 'in_progress' });
    return reply.page(req.t('monitoring.recommendationN', { n: rec.number }),
      <AnswerPage report={report} rec={rec} institutions={await listInstitutions(req.ctx)} form={answer} updateForm={update} />, status);
  };
  const toAnswer = (req: FastifyRequest, reply: FastifyReply) => {
    reply.flash('success', 'common.saved');
    return reply.to(`/admin/monitoring/${intParam(req.params, 'id')}/answers/${intParam(req.params, 'number')}`);
  };
  app.get('/admin/monitoring/:id/answers/:number', (req, reply) => answerPage(req, reply));
  app.post('/admin/monitoring/:id/answers/:number', async (req, reply) => submitForm(req, reply,
    () => svc.answerRecommendation(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'number'), req.body),
    (form, status) => answerPage(req, reply, { answer: form }, status), () => toAnswer(req, reply)));
  app.post('/admin/monitoring/:id/answers/:number/updates', async (req, reply) => submitForm(req, reply,
    () => svc.addUpdate(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'number'), req.body),
    (form, status) => answerPage(req, reply, { update: form }, status), () => toAnswer(req, reply)));

  // ---------- End-of-commitment assessments ----------

  app.get('/admin/monitoring/end-assessments', async (req, reply) =>
    reply.page(req.t('monitoring.endTitle'), <EndListPage items={await svc.endCandidates(req.ctx)} />));
  const endPage = async (req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const data = await svc.endAssessmentForm(req.ctx, intParam(req.params, 'cid'));
    const a = data.assessment;
    return reply.page(`${data.commitment.number}. ${tr(data.commitment.title, req.locale)}`,
      <EndFormPage data={data} form={form ?? emptyForm(a ? { open_gov: a.openGov, ...spreadTranslated(a.justification, 'justification') } : {})} />, status);
  };
  app.get('/admin/monitoring/end-assessments/:cid', (req, reply) => endPage(req, reply));
  app.post('/admin/monitoring/end-assessments/:cid', async (req, reply) => submitForm(req, reply,
    () => svc.saveEndAssessment(req.ctx, intParam(req.params, 'cid'), req.body),
    (form, status) => endPage(req, reply, noFiles(form), status),
    () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/monitoring/end-assessments/${intParam(req.params, 'cid')}`); }));
}

/** Uploaded bytes are never echoed back into a re-rendered form. */
function noFiles(form: FormState): FormState {
  const { files: _f, ...values } = form.values;
  return { ...form, values };
}

