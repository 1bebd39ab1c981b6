import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../../core/service.ts';
import { UnauthenticatedError } from '../../../core/http/errors.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, limited, pageParam } from '../../../core/http/form-route.ts';
import * as svc from './service.ts';
import { defaultThreshold } from './rules.ts';
import { PetitionsPage, NewPetitionPage, PetitionPage, AdminPetitionsPage, SettingsPage, type StaffForms } from './views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;
const requires = (permission: string) => ({ preHandler: async (req: Req) => { authorize(req.ctx, permission); } });
const signedIn = { preHandler: async (req: Req) => { if (!req.ctx.actor) throw new UnauthenticatedError(); } };
const refOf = (req: Req) => (req.params as { ref: string }).ref;

export async function petitionPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;
  const conditions = async (req: Req) => { const s = await svc.getSettings(req.ctx); return { s, citizensMin: svc.citizensThreshold(req.ctx, s) }; };

  app.get('/petitions', async (req, reply) => {
    const page = pageParam(req.query);
    const { items, total } = await svc.listPetitions(req.ctx, page);
    return reply.page(req.t('petitions.title'), <PetitionsPage items={items} total={total} page={page} {...await conditions(req)} />);
  });
  // Open data: every petition's public facts (never a signer, never the promoter's account).
  app.get('/petitions.json', async (req, reply) => {
    const out = [];
    for (let p = 1; ; p++) {
      const { items } = await svc.listPetitions(req.ctx, p);
      for (const x of items) {
        out.push({ reference: x.reference, kind: x.kind, title: x.title, status: x.status, promoter: x.promoterName, association: x.associationName,
          threshold: x.threshold, signatures_online: x.online, signatures_paper: x.paper, filed_at: x.filedAt, decision_due_on: x.decisionDueOn,
          refusal_reason: x.refusalReason, session_date: x.sessionDate, session_reference: x.sessionReference, council_decision: x.councilDecision,
          council_decided_on: x.councilDecidedOn, sample: x.sample, page: `/${req.locale}/petitions/${x.reference}` });
      }
      if (items.length < svc.PAGE_SIZE) break;
    }
    return reply.type('application/json; charset=utf-8').send(out);
  });
  const newPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ kind: 'citizens' }), status = 200) =>
    reply.page(req.t('petitions.start'), <NewPetitionPage form={form} {...await conditions(req)} />, status);
  app.get('/petitions/new', signedIn, (req, reply) => newPage(req, reply));
  app.post('/petitions/new', { ...signedIn, ...limited(cfg(), 5) }, (req, reply) => submitForm(req, reply, () => svc.createPetition(req.ctx, svc.newFromForm(req.body)),
    (form, status) => newPage(req, reply, form, status),
    (ref) => { reply.flash('success', 'petitions.flash.created'); return reply.to(`/petitions/${ref}`); }));

  const page = async (req: Req, reply: Reply, opts: { form?: FormState; fileForm?: FormState; staff?: StaffForms } = {}, status = 200) => {
    const { petition, events, signed } = await svc.getPetition(req.ctx, refOf(req));
    const clock = await svc.clockOf(req.ctx, petition);
    return reply.page(`${petition.reference} — ${petition.title}`, <PetitionPage p={petition} events={events} signed={signed} form={opts.form ?? emptyForm()}
      fileForm={opts.fileForm} clock={clock} staff={opts.staff} {...await conditions(req)} />, status);
  };
  app.get('/petitions/:ref', (req, reply) => page(req, reply));
  app.post('/petitions/:ref/sign', { ...signedIn, ...limited(cfg(), 20) }, (req, reply) => submitForm(req, reply, () => svc.sign(req.ctx, refOf(req), req.body),
    (form, status) => page(req, reply, { form }, status),
    () => { reply.flash('success', 'petitions.flash.signed'); return reply.to(`/petitions/${refOf(req)}`); }));
  app.post('/petitions/:ref/file', signedIn, (req, reply) => submitForm(req, reply, () => svc.file(req.ctx, refOf(req)),
    (form, status) => page(req, reply, { fileForm: form }, status),
    () => { reply.flash('success', 'petitions.flash.filed'); return reply.to(`/petitions/${refOf(req)}`); }));

  // ---------- Staff ----------
  const STAFF = requires('petitions.staff');
  const DECIDE = requires(svc.DECIDE);
  app.get('/admin/petitions', STAFF, async (req, reply) => {
    const p = pageParam(req.query);
    const { items, total } = await svc.listForStaff(req.ctx, p);
    return reply.page(req.t('petitions.adminTitle'), <AdminPetitionsPage items={items} total={total} page={p} />);
  });
  const settingsPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const s = await svc.getSettings(req.ctx);
    const values = { citizens_min: s.citizensMin ?? '', arrondissements: s.arrondissements ? '1' : '', association_years: s.associationYears, decision_months: s.decisionMonths, excluded: s.excluded };
    return reply.page(req.t('petitions.settingsTitle'), <SettingsPage form={form ?? emptyForm(values)} defaultMin={defaultThreshold(req.ctx.commune.population ?? null, s.arrondissements)} />, status);
  };
  app.get('/admin/petitions/settings', requires(svc.CONFIGURE), (req, reply) => settingsPage(req, reply));
  app.post('/admin/petitions/settings', requires(svc.CONFIGURE), (req, reply) => submitForm(req, reply, () => svc.saveSettings(req.ctx, svc.settingsFromForm(req.body)),
    (form, status) => settingsPage(req, reply, form, status), () => { reply.flash('success', 'common.saved'); return reply.to('/admin/petitions/settings'); }));
  const staffPage = (req: Req, reply: Reply, staff: StaffForms = {}, status = 200) => page(req, reply, { staff }, status);
  const back = (req: Req, reply: Reply) => { reply.flash('success', 'common.saved'); return reply.to(`/admin/petitions/${refOf(req)}`); };
  app.get('/admin/petitions/:ref', STAFF, (req, reply) => staffPage(req, reply));
  app.post('/admin/petitions/:ref/paper', requires(svc.PAPER), (req, reply) => submitForm(req, reply, () => svc.addPaper(req.ctx, refOf(req), req.body),
    (form, status) => staffPage(req, reply, { paper: form }, status), (r) => {
      reply.flash(r.duplicates.length || r.invalid.length ? 'info' : 'success', 'petitions.paperResult', { added: r.added, duplicates: r.duplicates.join(', ') || '—', invalid: r.invalid.join(', ') || '—' });
      return reply.to(`/admin/petitions/${refOf(req)}`);
    }));
  app.post('/admin/petitions/:ref/admissibility', DECIDE, (req, reply) => submitForm(req, reply, () => svc.decideAdmissibility(req.ctx, refOf(req), req.body),
    (form, status) => staffPage(req, reply, { admissibility: form }, status), () => back(req, reply)));
  app.post('/admin/petitions/:ref/agenda', DECIDE, (req, reply) => submitForm(req, reply, () => svc.schedule(req.ctx, refOf(req), req.body),
    (form, status) => staffPage(req, reply, { agenda: form }, status), () => back(req, reply)));
  app.post('/admin/petitions/:ref/decision', DECIDE, (req, reply) => submitForm(req, reply, () => svc.recordDecision(req.ctx, refOf(req), req.body),
    (form, status) => staffPage(req, reply, { decision: form }, status), () => back(req, reply)));
}
