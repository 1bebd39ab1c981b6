import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tr } from '../../core/i18n/index.ts';
import { authorize } from '../../core/service.ts';
import { can } from '../../core/auth/roles.ts';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, intParam } from '../../core/http/form-route.ts';
import * as svc from './service.ts';
import * as input from './inputs.ts';
import { BodiesPage, BodyPage, InstitutionsPage, EndorsementsPage } from './views.tsx';
import {
  AdminBodiesPage, AdminBodyPage, AdminMemberPage, AdminDecisionsPage, AdminInstitutionsPage, AdminInstitutionPage,
  AdminEndorsementsPage, AdminEndorsementPage, memberFormValues, institutionFormValues, endorsementFormValues, type BodyForms,
} from './admin-views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;

/** Checked before the handler (after the CSRF check): anonymous → login (GET) or 401, others → 403. */
const requires = (permission: string) => ({ preHandler: async (req: Req) => { authorize(req.ctx, permission); } });
const MANAGE = requires(svc.MANAGE);
const DECIDE = requires(svc.DECIDE);

export async function governancePages(app: FastifyInstance) {
  // ---------- Public ----------
  app.get('/bodies', async (req, reply) => reply.page(req.t('governance.bodiesTitle'), <BodiesPage bodies={await svc.listBodies(req.ctx)} />));
  app.get('/bodies/:slug', async (req, reply) => {
    const detail = await svc.getBody(req.ctx, (req.params as { slug: string }).slug);
    return reply.page(tr(detail.body.name, req.locale), <BodyPage detail={detail} />);
  });
  app.get('/institutions', async (req, reply) => reply.page(req.t('governance.institutionsTitle'), <InstitutionsPage groups={await svc.listInstitutionsByKind(req.ctx)} />));
  app.get('/endorsements', async (req, reply) => reply.page(req.t('governance.endorsementsTitle'), <EndorsementsPage items={await svc.listEndorsements(req.ctx)} />));

  // ---------- Bodies ----------
  const bodiesPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ kind: 'other', decision_rule: 'consensus' }), status = 200) =>
    reply.page(req.t('governance.adminBodies'), <AdminBodiesPage bodies={await svc.listBodies(req.ctx)} form={form} />, status);
  app.get('/admin/bodies', MANAGE, (req, reply) => bodiesPage(req, reply));
  app.post('/admin/bodies', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createBody(req.ctx, input.newBodyFromForm(req.body)),
    (form, status) => bodiesPage(req, reply, form, status),
    (id) => { reply.flash('success', 'governance.flash.bodyCreated'); return reply.to(`/admin/bodies/${id}`); }));

  const bodyPage = async (req: Req, reply: Reply, forms: BodyForms = {}, status = 200) => {
    const detail = await svc.getBodyForAdmin(req.ctx, intParam(req.params, 'id'));
    const institutions = await svc.listInstitutions(req.ctx);
    return reply.page(tr(detail.body.name, req.locale), <AdminBodyPage detail={detail} institutions={institutions} forms={forms} today={svc.today(req.ctx)} />, status);
  };
  const backToBody = (req: Req, reply: Reply, key: string) => { reply.flash('success', key); return reply.to(`/admin/bodies/${intParam(req.params, 'id')}`); };
  app.get('/admin/bodies/:id', MANAGE, (req, reply) => bodyPage(req, reply));
  app.post('/admin/bodies/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateBody(req.ctx, intParam(req.params, 'id'), input.bodyFromForm(req.body)),
    (form, status) => bodyPage(req, reply, { edit: form }, status),
    () => backToBody(req, reply, 'common.saved')));
  app.post('/admin/bodies/:id/members', MANAGE, (req, reply) => submitForm(req, reply, () => svc.addMembers(req.ctx, intParam(req.params, 'id'), input.membersFromForm(req.body)),
    (form, status) => bodyPage(req, reply, { add: form }, status),
    () => backToBody(req, reply, 'governance.flash.membersAdded')));
  app.post('/admin/bodies/:id/members/:member/end', MANAGE, async (req, reply) => {
    const memberId = intParam(req.params, 'member');
    await svc.getMemberForAdmin(req.ctx, intParam(req.params, 'id'), memberId); // 404 unless the member belongs to this body
    return submitForm(req, reply, () => svc.endMembership(req.ctx, memberId, input.endFromForm(req.body, input.endPrefix(memberId))),
      (form, status) => bodyPage(req, reply, { end: { memberId, form } }, status),
      () => backToBody(req, reply, 'governance.flash.membershipEnded'));
  });

  const memberPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const { body, member } = await svc.getMemberForAdmin(req.ctx, intParam(req.params, 'id'), intParam(req.params, 'member'));
    const institutions = await svc.listInstitutions(req.ctx);
    return reply.page(req.t('governance.editMember', { name: member.personName }),
      <AdminMemberPage body={body} member={member} institutions={institutions} form={form ?? emptyForm(memberFormValues(member))} />, status);
  };
  app.get('/admin/bodies/:id/members/:member', MANAGE, (req, reply) => memberPage(req, reply));
  app.post('/admin/bodies/:id/members/:member', MANAGE, async (req, reply) => {
    const memberId = intParam(req.params, 'member');
    await svc.getMemberForAdmin(req.ctx, intParam(req.params, 'id'), memberId);
    return submitForm(req, reply, () => svc.updateMember(req.ctx, memberId, input.memberFromForm(req.body)),
      (form, status) => memberPage(req, reply, form, status),
      () => backToBody(req, reply, 'common.saved'));
  });

  // ---------- Decisions (governance.decide: the OGP team and the steering committee too) ----------
  const decisionsPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const decisions = await svc.listRecentDecisions(req.ctx);
    const bodies = await svc.listBodies(req.ctx);
    const body = (req.query as Record<string, string> | undefined)?.body ?? '';
    return reply.page(req.t('governance.adminDecisions'),
      <AdminDecisionsPage bodies={bodies} decisions={decisions} form={form ?? emptyForm({ body_id: body, decided_on: svc.today(req.ctx), outcome: 'consensus' })} />, status);
  };
  app.get('/admin/decisions', DECIDE, (req, reply) => decisionsPage(req, reply));
  app.post('/admin/decisions', DECIDE, (req, reply) => submitForm(req, reply,
    () => svc.recordDecision(req.ctx, input.decisionBodyFromForm(req.body), input.decisionFromForm(req.body)),
    (form, status) => decisionsPage(req, reply, form, status),
    () => { reply.flash('success', 'governance.flash.decisionRecorded'); return reply.to('/admin/decisions'); }));
  // The body page's form: back to that page for those who manage bodies, else to the decisions page.
  app.post('/admin/bodies/:id/decisions', DECIDE, (req, reply) => {
    const id = intParam(req.params, 'id');
    const manages = can(req.actor, svc.MANAGE);
    return submitForm(req, reply, () => svc.recordDecision(req.ctx, id, input.decisionFromForm(req.body)),
      (form, status) => (manages ? bodyPage(req, reply, { decision: form }, status) : decisionsPage(req, reply, { ...form, values: { ...form.values, body_id: String(id) } }, status)),
      () => { reply.flash('success', 'governance.flash.decisionRecorded'); return reply.to(manages ? `/admin/bodies/${id}` : '/admin/decisions'); });
  });

  // ---------- Institutions ----------
  const institutionsPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ kind: 'civil_society' }), status = 200) =>
    reply.page(req.t('governance.adminInstitutions'), <AdminInstitutionsPage institutions={await svc.listInstitutions(req.ctx)} form={form} />, status);
  app.get('/admin/institutions', MANAGE, (req, reply) => institutionsPage(req, reply));
  app.post('/admin/institutions', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createInstitution(req.ctx, input.newInstitutionFromForm(req.body)),
    (form, status) => institutionsPage(req, reply, form, status),
    () => { reply.flash('success', 'governance.flash.institutionCreated'); return reply.to('/admin/institutions'); }));

  const institutionPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const institution = await svc.getInstitutionForAdmin(req.ctx, intParam(req.params, 'id'));
    return reply.page(tr(institution.name, req.locale), <AdminInstitutionPage institution={institution} form={form ?? emptyForm(institutionFormValues(institution))} />, status);
  };
  app.get('/admin/institutions/:id', MANAGE, (req, reply) => institutionPage(req, reply));
  app.post('/admin/institutions/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateInstitution(req.ctx, intParam(req.params, 'id'), input.institutionFromForm(req.body)),
    (form, status) => institutionPage(req, reply, form, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/admin/institutions'); }));

  // ---------- Endorsements ----------
  const endorsementsPage = async (req: Req, reply: Reply, form: FormState = emptyForm(), status = 200) =>
    reply.page(req.t('governance.adminEndorsements'),
      <AdminEndorsementsPage items={await svc.listEndorsements(req.ctx)} institutions={await svc.listInstitutions(req.ctx, ['civil_society'])} form={form} />, status);
  app.get('/admin/endorsements', MANAGE, (req, reply) => endorsementsPage(req, reply));
  app.post('/admin/endorsements', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createEndorsement(req.ctx, input.endorsementFromForm(req.body)),
    (form, status) => endorsementsPage(req, reply, form, status),
    () => { reply.flash('success', 'governance.flash.endorsementAdded'); return reply.to('/admin/endorsements'); }));

  const endorsementPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const item = await svc.getEndorsementForAdmin(req.ctx, intParam(req.params, 'id'));
    const institutions = await svc.listInstitutions(req.ctx, ['civil_society']);
    return reply.page(req.t('governance.editEndorsement', { name: item.personName }),
      <AdminEndorsementPage item={item} institutions={institutions} form={form ?? emptyForm(endorsementFormValues(item))} />, status);
  };
  app.get('/admin/endorsements/:id', MANAGE, (req, reply) => endorsementPage(req, reply));
  app.post('/admin/endorsements/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateEndorsement(req.ctx, intParam(req.params, 'id'), input.endorsementFromForm(req.body)),
    (form, status) => endorsementPage(req, reply, form, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/admin/endorsements'); }));
  app.post('/admin/endorsements/:id/remove', MANAGE, async (req, reply) => {
    await svc.removeEndorsement(req.ctx, intParam(req.params, 'id'));
    reply.flash('success', 'governance.flash.endorsementRemoved');
    return reply.to('/admin/endorsements');
  });
}
