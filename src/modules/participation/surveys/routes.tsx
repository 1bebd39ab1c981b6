import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tr } from '../../../core/i18n/index.ts';
import { authorize } from '../../../core/service.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, limited, pageParam, intParam, queryString } from '../../../core/http/form-route.ts';
import { NotFoundError } from '../../../core/http/errors.ts';
import * as svc from './service.ts';
import {
  SurveysPage, SurveyPage, MessagePage, ConfirmPage, ResultsPage, AdminSurveysPage, AdminSurveyPage, PaperListPage, PaperPage, TextsPage,
  type AdminSurveyForms,
} from './views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;

const requires = (permission: string) => ({ preHandler: async (req: Req) => { authorize(req.ctx, permission); } });
const MANAGE = requires(svc.MANAGE);
const PAPER = requires(svc.PAPER);
const MODERATE = requires(svc.MODERATE);
const slugOf = (req: Req) => (req.params as { slug: string }).slug;

/** One CSV cell; text a spreadsheet would run as a formula gets an apostrophe. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function surveyPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  // ---------- Public ----------
  app.get('/surveys', async (req, reply) => {
    const page = pageParam(req.query);
    const { items, total } = await svc.listSurveys(req.ctx, page);
    return reply.page(req.t('surveys.title'), <SurveysPage items={items} total={total} page={page} />);
  });

  // The open-data list: every published survey, its dates and where its results and answers are.
  app.get('/surveys.json', async (req, reply) => {
    const out = [];
    for (let page = 1; ; page++) {
      const { items } = await svc.listSurveys(req.ctx, page);
      for (const s of items) {
        out.push({ slug: s.slug, title: s.title, opens_on: s.opensAt, closes_on: s.closesAt, open: s.open, sample: s.sample, results_public: s.resultsPublic,
          page: `/${req.locale}/surveys/${s.slug}`, results: s.resultsPublic ? `/${req.locale}/surveys/${s.slug}/results` : null,
          answers_csv: s.resultsPublic ? `/${req.locale}/surveys/${s.slug}/answers.csv` : null });
      }
      if (items.length < svc.PAGE_SIZE) break;
    }
    return reply.type('application/json; charset=utf-8').send(out);
  });

  const surveyPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const { survey, questions } = await svc.getSurvey(req.ctx, slugOf(req));
    const mine = await svc.myAnswers(req.ctx, survey, questions);
    return reply.page(tr(survey.title, req.locale), <SurveyPage survey={survey} questions={questions} form={form ?? emptyForm(mine ?? {})} hasAnswer={!!mine} />, status);
  };
  app.get('/surveys/:slug', (req, reply) => surveyPage(req, reply));
  app.post('/surveys/:slug', limited(cfg(), 30), (req, reply) => submitForm(req, reply, () => svc.submitAnswer(req.ctx, slugOf(req), req.body),
    (form, status) => surveyPage(req, reply, form, status),
    (r) => {
      if (r.status === 'pending') {
        return reply.page(req.t('surveys.checkMailTitle'), <MessagePage title={req.t('surveys.checkMailTitle')} text={req.t('surveys.checkMailText')} link={{ path: `/surveys/${slugOf(req)}`, label: req.t('surveys.back') }} />);
      }
      reply.flash('success', r.status === 'updated' ? 'surveys.flash.updated' : 'surveys.flash.saved');
      return reply.to(`/surveys/${slugOf(req)}`);
    }));

  const tokenOf = (req: Req) => (req.params as { token: string }).token;
  app.get('/surveys/:slug/confirm/:token', async (req, reply) => {
    const survey = await svc.checkToken(req.ctx, slugOf(req), tokenOf(req));
    return reply.noStore().page(req.t('surveys.confirmTitle'), <ConfirmPage survey={survey} token={tokenOf(req)} />);
  });
  app.post('/surveys/:slug/confirm/:token', limited(cfg(), 30), async (req, reply) => {
    await svc.confirmAnswer(req.ctx, slugOf(req), tokenOf(req));
    reply.flash('success', 'surveys.flash.confirmed');
    return reply.to(`/surveys/${slugOf(req)}`);
  });

  app.get('/surveys/:slug/results', async (req, reply) => {
    const r = await svc.results(req.ctx, slugOf(req));
    const page = pageParam(req.query);
    const texts = await svc.approvedTexts(req.ctx, r.survey, page);
    if (!r.survey.resultsPublic) reply.noStore();
    return reply.page(req.t('surveys.resultsOf', { title: tr(r.survey.title, req.locale) }), <ResultsPage r={r} texts={texts} page={page} />);
  });

  app.get('/surveys/:slug/answers.csv', async (req, reply) => {
    const rows = svc.exportRows(req.ctx, slugOf(req));
    const first = await rows.next(); // the header; a survey one may not read throws here, before the response starts
    async function* lines() {
      let chunk = `\uFEFF${(first.value as unknown[]).map(csvCell).join(',')}\r\n`;
      let n = 0;
      for await (const r of rows) {
        chunk += `${r.map(csvCell).join(',')}\r\n`;
        if (++n % 500 === 0) { yield Buffer.from(chunk); chunk = ''; }
      }
      if (chunk) yield Buffer.from(chunk);
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${slugOf(req)}-answers.csv"`).send(Readable.from(lines()));
  });

  // ---------- Staff: surveys ----------
  const listPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ results_public: '1' }), status = 200) => {
    const page = pageParam(req.query);
    const { items, total } = await svc.listSurveys(req.ctx, page, true);
    return reply.page(req.t('surveys.adminTitle'), <AdminSurveysPage items={items} total={total} page={page} form={form} />, status);
  };
  app.get('/admin/surveys', MANAGE, (req, reply) => listPage(req, reply));
  app.post('/admin/surveys', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createSurvey(req.ctx, svc.surveyFromForm(req.body, true)),
    (form, status) => listPage(req, reply, form, status),
    (id) => { reply.flash('success', 'surveys.flash.created'); return reply.to(`/admin/surveys/${id}`); }));

  const adminPage = async (req: Req, reply: Reply, forms: AdminSurveyForms = {}, status = 200) => {
    const { survey, questions } = await svc.getSurveyForAdmin(req.ctx, intParam(req.params, 'id'));
    return reply.page(tr(survey.title, req.locale), <AdminSurveyPage survey={survey} questions={questions} forms={forms} />, status);
  };
  const back = (req: Req, reply: Reply, key: string) => { reply.flash('success', key); return reply.to(`/admin/surveys/${intParam(req.params, 'id')}`); };
  app.get('/admin/surveys/:id', MANAGE, (req, reply) => adminPage(req, reply));
  app.post('/admin/surveys/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateSurvey(req.ctx, intParam(req.params, 'id'), svc.surveyFromForm(req.body, false)),
    (form, status) => adminPage(req, reply, { edit: form }, status), () => back(req, reply, 'common.saved')));
  app.post('/admin/surveys/:id/status', MANAGE, (req, reply) => submitForm(req, reply,
    () => svc.setStatus(req.ctx, intParam(req.params, 'id'), queryString(req.body, 'status')),
    (form, status) => adminPage(req, reply, { status: form }, status), () => back(req, reply, 'common.saved')));
  app.post('/admin/surveys/:id/questions', MANAGE, (req, reply) => submitForm(req, reply, () => svc.addQuestion(req.ctx, intParam(req.params, 'id'), svc.questionFromForm(req.body)),
    (form, status) => adminPage(req, reply, { question: form }, status), () => back(req, reply, 'surveys.flash.questionAdded')));
  app.post('/admin/surveys/:id/questions/:question/remove', MANAGE, (req, reply) => submitForm(req, reply,
    () => svc.removeQuestion(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'question')),
    (form, status) => adminPage(req, reply, { status: form }, status), () => back(req, reply, 'surveys.flash.questionRemoved')));

  // ---------- Staff: paper forms (counter agents) ----------
  app.get('/admin/surveys/paper', PAPER, async (req, reply) => reply.page(req.t('surveys.paperTitle'), <PaperListPage items={await svc.listPaperSurveys(req.ctx)} />));
  const paperPage = async (req: Req, reply: Reply, form: FormState = emptyForm(), status = 200) => {
    const { survey, questions } = await svc.getSurveyForPaper(req.ctx, intParam(req.params, 'id'));
    return reply.page(req.t('surveys.paperOf', { title: tr(survey.title, req.locale) }), <PaperPage survey={survey} questions={questions} form={form} />, status);
  };
  app.get('/admin/surveys/:id/paper', PAPER, (req, reply) => paperPage(req, reply));
  app.post('/admin/surveys/:id/paper', PAPER, (req, reply) => submitForm(req, reply, () => svc.submitPaper(req.ctx, intParam(req.params, 'id'), req.body),
    (form, status) => paperPage(req, reply, form, status),
    () => { reply.flash('success', 'surveys.flash.paperSaved'); return reply.to(`/admin/surveys/${intParam(req.params, 'id')}/paper`); }));

  // ---------- Staff: moderation of free texts ----------
  app.get('/admin/surveys/:id/texts', MODERATE, async (req, reply) => {
    const page = pageParam(req.query);
    const data = await svc.listTexts(req.ctx, intParam(req.params, 'id'), queryString(req.query, 'status'), page);
    return reply.page(req.t('surveys.moderationOf', { title: tr(data.survey.title, req.locale) }), <TextsPage data={data} page={page} />);
  });
  app.post('/admin/surveys/:id/texts/:answer', MODERATE, async (req, reply) => {
    const st = queryString(req.body, 'status');
    if (st !== 'approved' && st !== 'rejected') throw new NotFoundError();
    await svc.moderateText(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'answer'), st);
    reply.flash('success', 'surveys.flash.moderated');
    return reply.to(`/admin/surveys/${intParam(req.params, 'id')}/texts`);
  });
}
