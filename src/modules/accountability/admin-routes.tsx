import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as svc from './service.ts';
import * as mx from './matrix.ts';
import {
  AdminPlansPage, NewPlanPage, PlanAdminPage, CommitmentFormPage, ActionFormPage, IndicatorFormPage, EvidenceFormPage, SdgPage,
  CyclesPage, CycleBoardPage, MatrixPage, RowPage, ValidationPage, ReviewPage, CorrectionPage,
} from './views/admin.tsx';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, intParam, queryString } from '../../core/http/form-route.ts';
import { authorize } from '../../core/service.ts';
import { can } from '../../core/auth/roles.ts';
import { uploadsOf } from '../../core/files/index.ts';
import { tr, type Translated } from '../../core/i18n/index.ts';
import type { RowState, LineError } from './rules.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

const p = (req: Req) => req.params as Record<string, string>;
const slug = (req: Req) => p(req).slug;
const code = (req: Req) => p(req).code;

/** What a multipart form echoes back: never the uploaded bytes. */
function withoutFiles(form: FormState): FormState {
  const values = Object.fromEntries(Object.entries(form.values).filter(([, v]) => !(v && typeof v === 'object' && !Array.isArray(v))));
  return { ...form, values };
}

function translatedValues(name: string, v: Translated): Record<string, string> {
  return { [`${name}_fr`]: v.fr ?? '', [`${name}_ar`]: v.ar ?? '', [`${name}_en`]: v.en ?? '' };
}

/** The staff pages of the module, under /:locale/admin/plans (and /admin/sdg). */
export async function adminPlanPages(app: FastifyInstance) {
  // ---------- Plans ----------

  app.get('/admin/plans', async (req, reply) => {
    authorize(req.ctx, 'plans.read_internal');
    const plans = await svc.listPlans(req.ctx);
    const cycles = (await Promise.all(plans.map(async (pl) => (await mx.listCycles(req.ctx, pl.slug)).filter((c) => c.status === 'open').map((c) => ({ planSlug: pl.slug, planTitle: pl.title, cycle: c }))))).flat();
    return reply.page(req.t('plans.admin.title'), <AdminPlansPage plans={plans} cycles={cycles} canManage={can(req.actor, 'plans.manage')} />);
  });

  const newPlan = (req: Req, reply: Rep, form: FormState, status = 200) => reply.page(req.t('plans.admin.newPlan'), <NewPlanPage form={form} />, status);
  app.get('/admin/plans/new', async (req, reply) => {
    authorize(req.ctx, 'plans.manage');
    return newPlan(req, reply, emptyForm({ kind: 'thematic', status: 'in_progress' }));
  });
  app.post('/admin/plans/new', async (req, reply) => submitForm(req, reply, () => svc.createPlanFromForm(req.ctx, req.body),
    (form, status) => newPlan(req, reply, form, status),
    (s) => { reply.flash('success', 'plans.admin.planCreated'); return reply.to(`/admin/plans/${s}`); }));

  const planAdmin = async (req: Req, reply: Rep, form?: FormState, status = 200) => {
    authorize(req.ctx, 'plans.read_internal');
    const plan = await svc.planOverview(req.ctx, slug(req));
    const commitments = await svc.listCommitments(req.ctx, plan.slug);
    const values = {
      kind: plan.kind, period_start: plan.periodStart, period_end: plan.periodEnd, submitted_on: plan.submittedOn ?? '', status: plan.status,
      ...translatedValues('title', plan.title), ...translatedValues('vision', plan.vision),
    };
    return reply.page(tr(plan.title, req.locale), <PlanAdminPage slug={plan.slug} title={plan.title} commitments={commitments} form={form ?? emptyForm(values)} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/plans/:slug', (req, reply) => planAdmin(req, reply));
  app.post('/admin/plans/:slug', async (req, reply) => submitForm(req, reply, () => svc.updatePlan(req.ctx, slug(req), req.body),
    (form, status) => planAdmin(req, reply, form, status),
    () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/plans/${slug(req)}`); }));

  // ---------- Commitments ----------

  const commitmentPage = async (req: Req, reply: Rep, id: number | null, form?: FormState, status = 200) => {
    authorize(req.ctx, 'plans.read_internal');
    const plan = await svc.planOverview(req.ctx, slug(req));
    const choices = await svc.formChoices(req.ctx, plan.slug);
    const edit = id === null ? undefined : await svc.commitmentForEdit(req.ctx, plan.slug, id);
    const title = edit ? `${edit.number}. ${tr(edit.title, req.locale)}` : req.t('plans.admin.newCommitment');
    const parent = queryString(req.query, 'parent', 10);
    const initial = edit ? edit.values : { parent_id: /^\d+$/.test(parent) ? parent : '' };
    return reply.page(title, <CommitmentFormPage slug={plan.slug} planTitle={plan.title} choices={choices} form={form ?? emptyForm(initial)} edit={edit} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/plans/:slug/commitments/new', async (req, reply) => { authorize(req.ctx, 'plans.manage'); return commitmentPage(req, reply, null); });
  app.post('/admin/plans/:slug/commitments/new', async (req, reply) => submitForm(req, reply, () => svc.createCommitmentFromForm(req.ctx, slug(req), req.body),
    (form, status) => commitmentPage(req, reply, null, form, status),
    (id) => { reply.flash('success', 'plans.admin.commitmentCreated'); return reply.to(`/admin/plans/${slug(req)}/commitments/${id}`); }));
  app.get('/admin/plans/:slug/commitments/:id', (req, reply) => commitmentPage(req, reply, intParam(req.params, 'id')));
  app.post('/admin/plans/:slug/commitments/:id', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.updateCommitment(req.ctx, slug(req), id, req.body),
      (form, status) => commitmentPage(req, reply, id, form, status),
      () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/plans/${slug(req)}/commitments/${id}`); });
  });

  // ---------- Actions ----------

  const commitmentHead = async (req: Req, id: number) => {
    const e = await svc.commitmentForEdit(req.ctx, slug(req), id);
    return { id: e.id, number: e.number, title: e.title };
  };
  const actionPage = async (req: Req, reply: Rep, opts: { commitmentId?: number; actionId?: number }, form?: FormState, status = 200) => {
    authorize(req.ctx, 'plans.read_internal');
    const plan = await svc.planOverview(req.ctx, slug(req));
    const choices = await svc.formChoices(req.ctx, plan.slug);
    let commitment: { id: number; number: string; title: Translated };
    let values: Record<string, unknown> = {};
    if (opts.actionId) {
      const a = await svc.actionForEdit(req.ctx, plan.slug, opts.actionId);
      commitment = { id: a.commitmentId, number: a.commitmentNumber, title: a.commitmentTitle };
      values = a.values;
    } else commitment = await commitmentHead(req, opts.commitmentId!);
    const heading = opts.actionId ? req.t('plans.admin.editAction') : req.t('plans.admin.newAction');
    return reply.page(heading, <ActionFormPage slug={plan.slug} planTitle={plan.title} commitment={commitment} choices={choices} form={form ?? emptyForm(values)} actionId={opts.actionId} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/plans/:slug/commitments/:id/actions/new', async (req, reply) => { authorize(req.ctx, 'plans.manage'); return actionPage(req, reply, { commitmentId: intParam(req.params, 'id') }); });
  app.post('/admin/plans/:slug/commitments/:id/actions/new', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.createActionFromForm(req.ctx, slug(req), id, req.body),
      (form, status) => actionPage(req, reply, { commitmentId: id }, form, status),
      () => { reply.flash('success', 'plans.admin.actionCreated'); return reply.to(`/admin/plans/${slug(req)}/commitments/${id}`); });
  });
  app.get('/admin/plans/:slug/actions/:id', (req, reply) => actionPage(req, reply, { actionId: intParam(req.params, 'id') }));
  app.post('/admin/plans/:slug/actions/:id', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.updateAction(req.ctx, slug(req), id, req.body),
      (form, status) => actionPage(req, reply, { actionId: id }, form, status),
      (commitmentId) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/plans/${slug(req)}/commitments/${commitmentId}`); });
  });

  // ---------- Indicators ----------

  const indicatorPage = async (req: Req, reply: Rep, opts: { commitmentId?: number; indicatorId?: number }, form?: FormState, status = 200) => {
    authorize(req.ctx, 'plans.read_internal');
    const plan = await svc.planOverview(req.ctx, slug(req));
    const choices = await svc.formChoices(req.ctx, plan.slug);
    let commitment: { id: number; number: string; title: Translated };
    let values: Record<string, unknown> = { kind: 'result', direction: 'up', frequency: 'semiannual' };
    if (opts.indicatorId) {
      const i = await svc.indicatorForEdit(req.ctx, plan.slug, opts.indicatorId);
      commitment = { id: i.commitmentId, number: i.commitmentNumber, title: i.commitmentTitle };
      values = i.values;
    } else commitment = await commitmentHead(req, opts.commitmentId!);
    const heading = opts.indicatorId ? req.t('plans.admin.editIndicator') : req.t('plans.admin.newIndicator');
    return reply.page(heading, <IndicatorFormPage slug={plan.slug} planTitle={plan.title} commitment={commitment} choices={choices} form={form ?? emptyForm(values)} indicatorId={opts.indicatorId} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/plans/:slug/commitments/:id/indicators/new', async (req, reply) => { authorize(req.ctx, 'plans.manage'); return indicatorPage(req, reply, { commitmentId: intParam(req.params, 'id') }); });
  app.post('/admin/plans/:slug/commitments/:id/indicators/new', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.createIndicatorFromForm(req.ctx, slug(req), id, req.body),
      (form, status) => indicatorPage(req, reply, { commitmentId: id }, form, status),
      () => { reply.flash('success', 'plans.admin.indicatorCreated'); return reply.to(`/admin/plans/${slug(req)}/commitments/${id}`); });
  });
  app.get('/admin/plans/:slug/indicators/:id', (req, reply) => indicatorPage(req, reply, { indicatorId: intParam(req.params, 'id') }));
  app.post('/admin/plans/:slug/indicators/:id', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.updateIndicator(req.ctx, slug(req), id, req.body),
      (form, status) => indicatorPage(req, reply, { indicatorId: id }, form, status),
      (commitmentId) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/plans/${slug(req)}/commitments/${commitmentId}`); });
  });

  // ---------- Evidence given by the OGP team ----------

  const evidencePage = async (req: Req, reply: Rep, form?: FormState, status = 200) => {
    authorize(req.ctx, 'plans.manage');
    const plan = await svc.planOverview(req.ctx, slug(req));
    const e = await svc.commitmentForEdit(req.ctx, plan.slug, intParam(req.params, 'id'));
    const targets = [
      ...e.actions.map((a) => ({ value: `a:${a.id}`, label: `${req.t('plans.action')} — ${tr(a.title, req.locale)}` })),
      ...e.indicators.map((i) => ({ value: `i:${i.id}`, label: `${req.t('plans.indicator')} — ${tr(i.title, req.locale)}` })),
    ];
    return reply.page(req.t('plans.evidence.add'), <EvidenceFormPage slug={plan.slug} planTitle={plan.title} commitment={{ id: e.id, number: e.number, title: e.title }} targets={targets}
      form={form ?? emptyForm({ evidence_visibility: 'public' })} />, status);
  };
  app.get('/admin/plans/:slug/commitments/:id/evidence/new', (req, reply) => evidencePage(req, reply));
  app.post('/admin/plans/:slug/commitments/:id/evidence/new', async (req, reply) => {
    const id = intParam(req.params, 'id');
    return submitForm(req, reply, () => svc.addCommitmentEvidence(req.ctx, slug(req), id, req.body, uploadsOf(req.body, 'evidence_file')[0] ?? null),
      (form, status) => evidencePage(req, reply, withoutFiles(form), status),
      () => { reply.flash('success', 'plans.evidence.added'); return reply.to(`/admin/plans/${slug(req)}/commitments/${id}`); });
  });

  // ---------- SDG reference ----------

  const sdgPage = async (req: Req, reply: Rep, forms: { local?: FormState; text?: FormState } = {}, status = 200) => {
    authorize(req.ctx, 'plans.read_internal');
    const data = await svc.sdgReference(req.ctx);
    return reply.page(req.t('plans.admin.sdgTitle'), <SdgPage data={data} localForm={forms.local ?? emptyForm()} textForm={forms.text ?? emptyForm()} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/sdg', (req, reply) => sdgPage(req, reply));
  app.post('/admin/sdg/local', async (req, reply) => submitForm(req, reply, () => svc.addLocalTarget(req.ctx, req.body),
    (form, status) => sdgPage(req, reply, { local: form }, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/admin/sdg'); }));
  app.post('/admin/sdg/target', async (req, reply) => submitForm(req, reply, () => svc.setTargetText(req.ctx, req.body),
    (form, status) => sdgPage(req, reply, { text: form }, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/admin/sdg'); }));

  // ---------- Reporting cycles ----------

  const cyclesPage = async (req: Req, reply: Rep, form?: FormState, status = 200) => {
    const cycles = await mx.listCycles(req.ctx, slug(req));
    const plan = await svc.planOverview(req.ctx, slug(req));
    return reply.page(`${req.t('plans.cycle.title')} · ${tr(plan.title, req.locale)}`, <CyclesPage slug={plan.slug} planTitle={plan.title} cycles={cycles} form={form ?? emptyForm()} canManage={can(req.actor, 'plans.manage')} />, status);
  };
  app.get('/admin/plans/:slug/cycles', (req, reply) => cyclesPage(req, reply));
  app.post('/admin/plans/:slug/cycles', async (req, reply) => submitForm(req, reply, () => mx.openCycle(req.ctx, slug(req), req.body),
    (form, status) => cyclesPage(req, reply, form, status),
    (c) => { reply.flash('success', 'plans.cycle.opened', { code: c }); return reply.to(`/admin/plans/${slug(req)}/cycles/${c}`); }));

  app.get('/admin/plans/:slug/cycles/:code', async (req, reply) => {
    const board = await mx.cycleBoard(req.ctx, slug(req), code(req));
    return reply.page(req.t('plans.cycle.name', { code: board.cycle.code }), <CycleBoardPage slug={slug(req)} board={board} />);
  });

  /** A button on the cycle page: on a refused rule, back to the page with the message. */
  const boardAction = (path: string, action: (req: Req) => Promise<unknown>, success: (req: Req, r: any) => [string, Record<string, unknown>?]) => {
    app.post(`/admin/plans/:slug/cycles/:code/${path}`, async (req, reply) => submitForm(req, reply, () => action(req),
      (form) => {
        reply.flash('error', form.formError?.key ?? 'errors.invalid', form.formError?.params);
        return reply.to(`/admin/plans/${slug(req)}/cycles/${code(req)}`);
      },
      (r) => { const [k, params] = success(req, r); reply.flash('success', k, params); return reply.to(`/admin/plans/${slug(req)}/cycles/${code(req)}`); }));
  };
  boardAction('publish', (req) => mx.publishCycle(req.ctx, slug(req), code(req)), (_req, r) => ['plans.publish.done', { actions: r.actions, measurements: r.measurements }]);
  boardAction('close', (req) => mx.closeCycle(req.ctx, slug(req), code(req)), () => ['plans.cycle.closed']);
  boardAction('reopen', (req) => mx.reopenCycle(req.ctx, slug(req), code(req)), () => ['plans.cycle.reopened']);
  boardAction('remind', (req) => mx.sendReminders(req.ctx, slug(req), code(req), app.appConfig.baseUrl), (_req, r) => ['plans.remind.done', { departments: r.departments, mails: r.mails }]);

  // ---------- The matrix ----------

  const matrixPage = async (req: Req, reply: Rep, form?: FormState, lineErrors: LineError[] = [], status = 200) => {
    const department = queryString(req.query, 'department', 60) || queryString(req.body, 'department', 60);
    const m = await mx.matrix(req.ctx, slug(req), code(req), { department: department || undefined });
    const scope = svc.institutionsFor(req.actor, 'plans.read_internal');
    const mayReport = can(req.actor, 'plans.report') && m.rows.some((r) => can(req.actor, 'plans.report', { institutionId: r.department.id }));
    return reply.page(req.t('plans.matrix.heading', { code: m.cycle.code }),
      <MatrixPage slug={slug(req)} m={m} seeAll={scope === null || scope.length > 1} mayReport={mayReport} form={form ?? emptyForm({ submit: ['1'] })} lineErrors={lineErrors} />, status);
  };
  app.get('/admin/plans/:slug/cycles/:code/matrix', (req, reply) => matrixPage(req, reply));
  app.get('/admin/plans/:slug/cycles/:code/matrix.csv', async (req, reply) => {
    const { filename, body } = await mx.matrixCsv(req.ctx, slug(req), code(req), queryString(req.query, 'department', 60) || undefined);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).noStore().send(body);
  });
  app.post('/admin/plans/:slug/cycles/:code/matrix', async (req, reply) => {
    try {
      const r = await mx.importMatrix(req.ctx, slug(req), code(req), uploadsOf(req.body, 'file')[0] ?? null, req.body);
      reply.flash('success', 'plans.csv.imported', { saved: r.saved, submitted: r.submitted });
      return reply.to(`/admin/plans/${slug(req)}/cycles/${code(req)}/matrix`);
    } catch (e) {
      if (e instanceof mx.ImportRejected) return matrixPage(req, reply, { values: {}, errors: {}, formError: { key: e.messageKey, params: e.params } }, e.lines, 422);
      return submitForm(req, reply, () => Promise.reject(e), (form, status) => matrixPage(req, reply, withoutFiles(form), [], status), () => reply);
    }
  });

  const rowPage = async (req: Req, reply: Rep, forms: { report?: FormState; ret?: FormState } = {}, status = 200) => {
    const d = await mx.rowDetail(req.ctx, slug(req), code(req), intParam(req.params, 'id'));
    const plan = await svc.planOverview(req.ctx, slug(req));
    const r = d.row;
    const values = { status: r.status ?? '', progress: r.progress ?? '', value: r.value ?? '', difficulties: r.difficulties, answer: r.answer, evidence_visibility: 'public' };
    return reply.page(tr(r.itemTitle, req.locale), <RowPage slug={plan.slug} planTitle={plan.title} d={d} form={forms.report ?? emptyForm(values)} returnForm={forms.ret ?? emptyForm()} />, status);
  };
  const rowPath = (req: Req) => `/admin/plans/${slug(req)}/cycles/${code(req)}/rows/${p(req).id}`;
  app.get('/admin/plans/:slug/cycles/:code/rows/:id', (req, reply) => rowPage(req, reply));
  app.post('/admin/plans/:slug/cycles/:code/rows/:id', async (req, reply) => submitForm(req, reply,
    () => mx.reportRow(req.ctx, slug(req), code(req), intParam(req.params, 'id'), req.body, uploadsOf(req.body, 'evidence_file')[0] ?? null),
    (form, status) => rowPage(req, reply, { report: withoutFiles(form) }, status),
    (state: RowState) => { reply.flash('success', state === 'submitted' ? 'plans.matrix.submitted' : 'plans.matrix.saved'); return reply.to(rowPath(req)); }));
  app.post('/admin/plans/:slug/cycles/:code/rows/:id/validate', async (req, reply) => submitForm(req, reply,
    () => mx.validateRow(req.ctx, slug(req), code(req), intParam(req.params, 'id')),
    (form, status) => rowPage(req, reply, { ret: form }, status),
    () => {
      reply.flash('success', 'plans.validation.validated');
      const back = (req.body as Record<string, unknown> | undefined)?.back === 'validation';
      return reply.to(back ? `/admin/plans/${slug(req)}/cycles/${code(req)}/validation` : rowPath(req));
    }));
  app.post('/admin/plans/:slug/cycles/:code/rows/:id/return', async (req, reply) => submitForm(req, reply,
    () => mx.returnRow(req.ctx, slug(req), code(req), intParam(req.params, 'id'), req.body),
    (form, status) => rowPage(req, reply, { ret: form }, status),
    () => { reply.flash('success', 'plans.validation.returned'); return reply.to(rowPath(req)); }));

  app.get('/admin/plans/:slug/cycles/:code/validation', async (req, reply) => {
    authorize(req.ctx, 'plans.validate');
    const m = await mx.matrix(req.ctx, slug(req), code(req), { states: ['submitted'] });
    return reply.page(req.t('plans.validation.heading', { code: m.cycle.code }), <ValidationPage slug={slug(req)} m={m} />);
  });

  const reviewPage = async (req: Req, reply: Rep, form?: FormState, status = 200) => {
    const m = await mx.matrix(req.ctx, slug(req), code(req));
    const decisions = await mx.cycleDecisions(req.ctx, slug(req), code(req));
    return reply.page(req.t('plans.review.heading', { code: m.cycle.code }),
      <ReviewPage slug={slug(req)} m={m} decisions={decisions} form={form ?? emptyForm({ outcome: 'consensus' })} mayReview={can(req.actor, 'plans.review')} />, status);
  };
  app.get('/admin/plans/:slug/cycles/:code/review', (req, reply) => reviewPage(req, reply));
  app.post('/admin/plans/:slug/cycles/:code/review', async (req, reply) => submitForm(req, reply, () => mx.recordDecision(req.ctx, slug(req), code(req), req.body),
    (form, status) => reviewPage(req, reply, form, status),
    () => { reply.flash('success', 'plans.review.saved'); return reply.to(`/admin/plans/${slug(req)}/cycles/${code(req)}/review`); }));

  // ---------- Corrections of published figures ----------

  const kindOf = (req: Req): 'action' | 'measurement' | null => (p(req).kind === 'action' || p(req).kind === 'measurement' ? p(req).kind as 'action' | 'measurement' : null);
  const correctionPage = async (req: Req, reply: Rep, form?: FormState, status = 200) => {
    const kind = kindOf(req);
    if (!kind) { reply.callNotFound(); return reply; }
    const fig = await mx.figureForCorrection(req.ctx, slug(req), kind, intParam(req.params, 'id'));
    const plan = await svc.planOverview(req.ctx, slug(req));
    return reply.page(req.t('plans.correct.title'), <CorrectionPage slug={plan.slug} planTitle={plan.title} fig={fig} form={form ?? emptyForm(fig.values)} />, status);
  };
  app.get('/admin/plans/:slug/corrections/:kind/:id', (req, reply) => correctionPage(req, reply));
  app.post('/admin/plans/:slug/corrections/:kind/:id', async (req, reply) => {
    const kind = kindOf(req);
    if (!kind) return reply.callNotFound();
    const id = intParam(req.params, 'id');
    return submitForm(req, reply,
      () => (kind === 'action' ? mx.correctActionUpdate(req.ctx, slug(req), id, req.body) : mx.correctMeasurement(req.ctx, slug(req), id, req.body)),
      (form, status) => correctionPage(req, reply, form, status),
      (newId) => { reply.flash('success', 'plans.correct.done'); return reply.to(`/admin/plans/${slug(req)}/corrections/${kind}/${newId}`); });
  });

}
