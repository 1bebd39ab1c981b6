import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tr } from '../../core/i18n/index.ts';
import { authorize } from '../../core/service.ts';
import { can } from '../../core/auth/roles.ts';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm, intParam, limited, pageParam, queryString } from '../../core/http/form-route.ts';
import { icalendar, ICAL_TYPE } from '../../core/feeds/index.ts';
import { spreadTranslated } from '../../core/http/forms.ts';
import { loadThread } from '../comments/index.ts';
import * as svc from './service.ts';
import * as input from './inputs.ts';
import { targetsToText } from './rules.ts';
import { processPath } from './api.ts';
import {
  ProcessesPage, ProcessPage, ProposalsPage, ProposalPage, NewProposalPage, StatisticsPage, MeetingPage, MyRecordPage, MessagePage,
  AdminProcessesPage, AdminProcessPage, AdminMeetingPage, DoorPage, AdminProposalsPage, AdminProposalPage, RegistryPage, InvitePage,
} from './views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;

const requires = (permission: string) => ({ preHandler: async (req: Req) => { authorize(req.ctx, permission); } });
const requiresAny = (...permissions: string[]) => ({ preHandler: async (req: Req) => { if (!permissions.some((p) => can(req.actor, p))) authorize(req.ctx, permissions[0]); } });
const MANAGE = requires(svc.MANAGE);
const ATTEND = requiresAny(svc.ATTEND, svc.MANAGE);
const SUBMIT_FOR = requires(svc.SUBMIT_FOR);
const STAFF_PROPOSALS = requiresAny(svc.MODERATE, svc.MANAGE);
const REGISTRY = requires(svc.REGISTRY);
const SIGNED_IN = { preHandler: async (req: Req) => { if (!req.actor) authorize(req.ctx, svc.MANAGE); } };

const slugOf = (req: Req) => (req.params as { slug: string }).slug;
const numberOf = (req: Req) => intParam(req.params, 'number');
const tokenOf = (req: Req) => (req.params as { token: string }).token;

function meetingValues(m?: svc.Meeting): Record<string, unknown> {
  if (!m) return { kind: 'thematic_workshop', mode: 'in_person', status: 'scheduled' };
  return {
    kind: m.kind, ...spreadTranslated(m.title, 'title'), ...spreadTranslated(m.agenda, 'agenda'), ...spreadTranslated(m.minutes, 'minutes'), ...spreadTranslated(m.outcomes, 'outcomes'),
    mode: m.mode, place: m.place, district: m.district, starts_at: input.utcToLocal(m.startsAt), ends_at: input.utcToLocal(m.endsAt), capacity: m.capacity ?? '',
    registration_opens_at: input.utcToLocal(m.registrationOpensAt), registration_closes_at: input.utcToLocal(m.registrationClosesAt),
    invitation_only: m.invitationOnly ? '1' : '', status: m.status, targets: targetsToText(m.targets),
  };
}
function processValues(p: svc.Process, phases: { kind: string; startsOn: string; endsOn: string }[]): Record<string, unknown> {
  return {
    ...spreadTranslated(p.title, 'title'), ...spreadTranslated(p.description, 'description'), ...spreadTranslated(p.results, 'results'),
    status: p.status, plan_id: p.planId ?? '', body_id: p.bodyId ?? '', phases: input.phasesToText(phases),
  };
}

export async function participationPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  // ---------- Public ----------
  app.get('/participation', async (req, reply) => reply.page(req.t('participation.title'), <ProcessesPage processes={await svc.listProcesses(req.ctx)} />));
  app.get('/participation/meetings.ics', async (req, reply) => {
    const events = await svc.calendarEvents(req.ctx, req.locale);
    return reply.type(ICAL_TYPE).send(icalendar({ name: `${tr(req.commune.name, req.locale)} — ${req.t('participation.meetings')}`, events }));
  });
  app.get('/participation/:slug', async (req, reply) => {
    const page = await svc.getProcess(req.ctx, slugOf(req));
    return reply.page(tr(page.process.title, req.locale), <ProcessPage page={page} />);
  });
  app.get('/participation/:slug/statistics', async (req, reply) => {
    const staff = queryString(req.query, 'staff', 2) === '1';
    if (staff) reply.noStore();
    const { process, stats } = await svc.processStatistics(req.ctx, slugOf(req), { staff });
    return reply.page(req.t('participation.statisticsOf', { title: tr(process.title, req.locale) }), <StatisticsPage process={process} stats={stats} />);
  });
  app.get('/participation/:slug/proposals', async (req, reply) => {
    const list = await svc.listProposals(req.ctx, slugOf(req), {
      theme: queryString(req.query, 'theme', 40), district: queryString(req.query, 'district', 120), sort: queryString(req.query, 'sort', 10), page: pageParam(req.query),
    });
    return reply.page(req.t('participation.proposalsOf', { title: tr(list.process.title, req.locale) }), <ProposalsPage list={list} />);
  });

  const newProposalPage = async (req: Req, reply: Reply, form: FormState = emptyForm(), status = 200) => {
    const page = await svc.getProcess(req.ctx, slugOf(req), { meetings: 0 });
    return reply.page(req.t('participation.propose'), <NewProposalPage process={page.process} form={form} signedIn={!!req.actor} />, status);
  };
  app.get('/participation/:slug/proposals/new', (req, reply) => newProposalPage(req, reply));
  app.post('/participation/:slug/proposals/new', limited(cfg(), 10), (req, reply) => submitForm(req, reply,
    () => svc.submitProposal(req.ctx, slugOf(req), input.proposalFromForm(req.body, !!req.actor)),
    (form, status) => newProposalPage(req, reply, form, status),
    (r) => {
      if (r.published) { reply.flash('success', 'participation.flash.proposed'); return reply.to(`${processPath({ slug: slugOf(req) })}/proposals/${r.number}`); }
      reply.flash('info', 'participation.flash.confirmSent');
      return reply.to(processPath({ slug: slugOf(req) }));
    }));

  app.get('/participation/:slug/proposals/:number', async (req, reply) => {
    const page = await svc.getProposal(req.ctx, slugOf(req), numberOf(req));
    const thread = page.proposal.status === 'published' ? await loadThread(req.ctx, 'proposal', page.proposal.id) : null;
    return reply.page(page.proposal.title, <ProposalPage page={page} thread={thread} />);
  });
  app.post('/participation/:slug/proposals/:number/support', limited(cfg(), 60), async (req, reply) => {
    const back = `${processPath({ slug: slugOf(req) })}/proposals/${numberOf(req)}`;
    try {
      await svc.supportProposal(req.ctx, slugOf(req), numberOf(req));
      reply.flash('success', 'participation.flash.supported');
    } catch (e) {
      if (!(e instanceof Error) || !('messageKey' in e) || (e as { status?: number }).status !== 422) throw e;
      reply.flash('error', (e as unknown as { messageKey: string }).messageKey);
    }
    return reply.to(back);
  });

  // Meetings and registration.
  const meetingPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ org_type: 'none' }), status = 200) => {
    const id = intParam(req.params, 'id');
    const page = await svc.getMeeting(req.ctx, id);
    const stats = page.meeting.status === 'held' ? await svc.meetingStatistics(req.ctx, id) : null;
    if (req.actor) reply.noStore();
    return reply.page(tr(page.meeting.title, req.locale), <MeetingPage page={page} form={form} stats={stats} />, status);
  };
  app.get('/participation/meetings/:id', (req, reply) => meetingPage(req, reply));
  app.post('/participation/meetings/:id/register', limited(cfg(), 10), (req, reply) => submitForm(req, reply,
    () => svc.register(req.ctx, intParam(req.params, 'id'), input.personFromForm(req.body, !!req.actor)),
    (form, status) => meetingPage(req, reply, form, status),
    (r) => { reply.flash('success', `participation.flash.${r.status}`); return reply.to(`/participation/meetings/${r.meetingId}`); }));

  // A mail's link: the GET says what the button does, the POST does it (mail scanners open links).
  app.get('/participation/registrations/:token', async (req, reply) => {
    reply.noStore();
    const r = await svc.registrationByToken(req.ctx, tokenOf(req));
    const title = tr(r.title, req.locale);
    return reply.page(req.t('participation.yourRegistration'), <MessagePage title={req.t('participation.yourRegistration')}
      text={req.t(`participation.registrationIs.${r.status}`, { title })} links={[{ label: title, path: `/participation/meetings/${r.meetingId}` }, ...(r.onlineUrl ? [] : [])]}
      action={r.status === 'cancelled' ? undefined : [{ path: `/participation/registrations/${tokenOf(req)}`, label: req.t('participation.cancelRegistration') }]} />);
  });
  app.post('/participation/registrations/:token', limited(cfg(), 10), async (req, reply) => {
    reply.noStore();
    return submitForm(req, reply, () => svc.cancelByToken(req.ctx, tokenOf(req)),
      (form, status) => reply.page(req.t('participation.yourRegistration'), <MessagePage title={req.t('participation.yourRegistration')} text={req.t(form.formError?.key ?? 'errors.invalid')} error />, status),
      (meetingId) => reply.page(req.t('participation.yourRegistration'), <MessagePage title={req.t('participation.yourRegistration')} text={req.t('participation.cancelled')}
        links={[{ label: req.t('participation.backToMeeting'), path: `/participation/meetings/${meetingId}` }]} />));
  });
  app.get('/participation/proposals/confirm/:token', async (req, reply) => {
    reply.noStore();
    const p = await svc.proposalByToken(req.ctx, tokenOf(req));
    return reply.page(req.t('participation.confirmTitle'), <MessagePage title={req.t('participation.confirmTitle')} text={req.t(p.status === 'unconfirmed' ? 'participation.confirmAsk' : 'participation.confirmDone', { title: p.title })}
      action={p.status === 'unconfirmed' ? [{ path: `/participation/proposals/confirm/${tokenOf(req)}`, label: req.t('participation.confirmButton') }] : undefined}
      links={p.status === 'unconfirmed' ? undefined : [{ label: p.title, path: `${processPath({ slug: p.slug })}/proposals/${p.number}` }]} />);
  });
  app.post('/participation/proposals/confirm/:token', limited(cfg(), 10), async (req, reply) => {
    reply.noStore();
    const r = await svc.confirmProposal(req.ctx, tokenOf(req));
    reply.flash('success', 'participation.flash.confirmed');
    return reply.to(`${processPath({ slug: r.slug })}/proposals/${r.number}`);
  });
  app.get('/participation/invitations/:token', async (req, reply) => {
    reply.noStore();
    const inv = await svc.invitationByToken(req.ctx, tokenOf(req));
    const title = tr(inv.title, req.locale);
    return reply.page(req.t('participation.invitationTitle'), <MessagePage title={req.t('participation.invitationTitle')} text={req.t(`participation.invitationIs.${inv.status}`, { title })}
      action={inv.status === 'sent' ? [{ path: `/participation/invitations/${tokenOf(req)}`, label: req.t('participation.accept'), name: 'answer', value: 'yes' }, { path: '', label: req.t('participation.decline'), name: 'answer', value: 'no' }] : undefined}
      links={[{ label: title, path: `/participation/meetings/${inv.meetingId}` }]} />);
  });
  app.post('/participation/invitations/:token', limited(cfg(), 10), async (req, reply) => {
    reply.noStore();
    const accept = (req.body as Record<string, unknown> | undefined)?.answer === 'yes';
    return submitForm(req, reply, () => svc.answerInvitation(req.ctx, tokenOf(req), accept),
      (form, status) => reply.page(req.t('participation.invitationTitle'), <MessagePage title={req.t('participation.invitationTitle')} text={req.t(form.formError?.key ?? 'errors.invalid')} error />, status),
      () => reply.page(req.t('participation.invitationTitle'), <MessagePage title={req.t('participation.invitationTitle')} text={req.t(accept ? 'participation.invitationAccepted' : 'participation.invitationDeclined')} />));
  });

  // One's own record.
  const myPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const record = await svc.myRecord(req.ctx);
    const p = record.participant;
    const values = p ? { consent: p.consent_at ? '1' : '', organisation: p.organisation ?? '', org_type: p.org_type, sex: p.sex ?? '', age_band: p.age_band ?? '', district: p.district ?? '', sector: p.sector ?? '', activist: p.activist ? '1' : '', expert: p.expert ? '1' : '', resource_person: p.resource_person ? '1' : '' } : { org_type: 'none' };
    return reply.noStore().page(req.t('participation.myRecord'), <MyRecordPage record={record} form={form ?? emptyForm(values)} />, status);
  };
  app.get('/participation/me', SIGNED_IN, (req, reply) => myPage(req, reply));
  app.post('/participation/me', SIGNED_IN, (req, reply) => submitForm(req, reply, () => svc.updateMyRecord(req.ctx, input.personFromForm(req.body, true)),
    (form, status) => myPage(req, reply, form, status),
    () => { reply.flash('success', 'common.saved'); return reply.to('/participation/me'); }));
  app.get('/participation/me.json', SIGNED_IN, async (req, reply) => reply.noStore().header('content-disposition', 'attachment; filename="participation.json"').send(await svc.exportMyRecord(req.ctx)));
  app.post('/participation/me/erase', SIGNED_IN, (req, reply) => submitForm(req, reply, () => svc.eraseMyRecord(req.ctx),
    (form, status) => myPage(req, reply, form, status),
    () => { reply.flash('success', 'participation.flash.erased'); return reply.to('/participation/me'); }));

  // ---------- Staff ----------
  const processesPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ status: 'draft' }), status = 200) =>
    reply.page(req.t('participation.adminTitle'), <AdminProcessesPage processes={await svc.listProcessesForAdmin(req.ctx)} form={form} />, status);
  app.get('/admin/participation', MANAGE, (req, reply) => processesPage(req, reply));
  app.post('/admin/participation', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createProcess(req.ctx, input.newProcessFromForm(req.body)),
    (form, status) => processesPage(req, reply, form, status),
    (id) => { reply.flash('success', 'participation.flash.created'); return reply.to(`/admin/participation/${id}`); }));

  const processPage = async (req: Req, reply: Reply, forms: { edit?: FormState; meeting?: FormState } = {}, status = 200) => {
    const detail = await svc.getProcessForAdmin(req.ctx, intParam(req.params, 'id'));
    return reply.page(tr(detail.process.title, req.locale), <AdminProcessPage detail={detail}
      form={forms.edit ?? emptyForm(processValues(detail.process, detail.phases))} meetingForm={forms.meeting ?? emptyForm(meetingValues())} />, status);
  };
  app.get('/admin/participation/:id', MANAGE, (req, reply) => processPage(req, reply));
  app.post('/admin/participation/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateProcess(req.ctx, intParam(req.params, 'id'), input.processFromForm(req.body)),
    (form, status) => processPage(req, reply, { edit: form }, status),
    () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/participation/${intParam(req.params, 'id')}`); }));
  app.post('/admin/participation/:id/meetings', MANAGE, (req, reply) => submitForm(req, reply, () => svc.createMeeting(req.ctx, intParam(req.params, 'id'), input.meetingFromForm(req.body)),
    (form, status) => processPage(req, reply, { meeting: form }, status),
    (id) => { reply.flash('success', 'participation.flash.meetingCreated'); return reply.to(`/admin/participation/meetings/${id}`); }));

  const adminMeetingPage = async (req: Req, reply: Reply, forms: { edit?: FormState; counter?: FormState } = {}, status = 200) => {
    const detail = await svc.getMeetingForAdmin(req.ctx, intParam(req.params, 'id'));
    const manage = can(req.actor, svc.MANAGE);
    const invitations = manage ? await svc.invitationStats(req.ctx, detail.meeting.id) : null;
    return reply.page(tr(detail.meeting.title, req.locale), <AdminMeetingPage detail={detail} canManage={manage} invitations={invitations}
      form={forms.edit ?? emptyForm({ ...meetingValues(detail.meeting), online_url: detail.onlineUrl })} counterForm={forms.counter ?? emptyForm({ org_type: 'none' })} />, status);
  };
  app.get('/admin/participation/meetings/:id', ATTEND, (req, reply) => adminMeetingPage(req, reply));
  app.post('/admin/participation/meetings/:id', MANAGE, (req, reply) => submitForm(req, reply, () => svc.updateMeeting(req.ctx, intParam(req.params, 'id'), input.meetingFromForm(req.body)),
    (form, status) => adminMeetingPage(req, reply, { edit: form }, status),
    () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/participation/meetings/${intParam(req.params, 'id')}`); }));
  app.post('/admin/participation/meetings/:id/register', ATTEND, (req, reply) => submitForm(req, reply, () => svc.registerFor(req.ctx, intParam(req.params, 'id'), input.personForFromForm(req.body)),
    (form, status) => adminMeetingPage(req, reply, { counter: form }, status),
    (r) => { reply.flash('success', `participation.flash.${r.status}`); return reply.to(`/admin/participation/meetings/${r.meetingId}`); }));

  const doorPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ org_type: 'none' }), status = 200) => {
    const detail = await svc.getMeetingForAdmin(req.ctx, intParam(req.params, 'id'));
    return reply.page(req.t('participation.door'), <DoorPage detail={detail} walkIn={form} />, status);
  };
  app.get('/admin/participation/meetings/:id/door', ATTEND, (req, reply) => doorPage(req, reply));
  app.post('/admin/participation/meetings/:id/door', ATTEND, (req, reply) => submitForm(req, reply, async () => {
    const a = input.attendanceFromForm(req.body);
    return svc.markAttendance(req.ctx, intParam(req.params, 'id'), a.present, a.groups);
  }, (form, status) => doorPage(req, reply, form, status),
  (n) => { reply.flash('success', 'participation.flash.attendance', { n }); return reply.to(`/admin/participation/meetings/${intParam(req.params, 'id')}/door`); }));
  app.post('/admin/participation/meetings/:id/walk-in', ATTEND, (req, reply) => submitForm(req, reply, () => {
    const group = queryString(req.body, 'group', 60);
    return svc.walkIn(req.ctx, intParam(req.params, 'id'), input.personForFromForm(req.body), group || null);
  }, (form, status) => doorPage(req, reply, form, status),
  () => { reply.flash('success', 'participation.flash.walkIn'); return reply.to(`/admin/participation/meetings/${intParam(req.params, 'id')}/door`); }));

  const invitePage = async (req: Req, reply: Reply, form: FormState = emptyForm(), status = 200) => {
    const detail = await svc.getMeetingForAdmin(req.ctx, intParam(req.params, 'id'));
    const filter = input.registryFilter(req.query);
    const reg = await svc.registry(req.ctx, filter, 1);
    return reply.page(req.t('participation.invite'), <InvitePage meeting={detail.meeting} reg={reg} filter={filter} form={form} />, status);
  };
  app.get('/admin/participation/meetings/:id/invite', MANAGE, (req, reply) => invitePage(req, reply));
  app.post('/admin/participation/meetings/:id/invite', MANAGE, (req, reply) => submitForm(req, reply, () => svc.sendInvitations(req.ctx, intParam(req.params, 'id'), input.registryFilter(req.query)),
    (form, status) => invitePage(req, reply, form, status),
    (n) => { reply.flash('success', 'participation.flash.invited', { n }); return reply.to(`/admin/participation/meetings/${intParam(req.params, 'id')}`); }));

  app.get('/admin/participation/registry', REGISTRY, async (req, reply) => {
    const filter = input.registryFilter(req.query);
    return reply.page(req.t('participation.registry'), <RegistryPage reg={await svc.registry(req.ctx, filter, pageParam(req.query))} filter={filter} />);
  });

  const proposalsPage = async (req: Req, reply: Reply, form: FormState = emptyForm({ channel: 'workshop' }), status = 200) => {
    const list = await svc.listProposalsForAdmin(req.ctx, intParam(req.params, 'id'), { status: queryString(req.query, 'status', 20), page: pageParam(req.query) });
    return reply.page(req.t('participation.proposals'), <AdminProposalsPage list={list} form={form} />, status);
  };
  app.get('/admin/participation/:id/proposals', requires(svc.PROPOSALS), (req, reply) => proposalsPage(req, reply));
  app.post('/admin/participation/:id/proposals', SUBMIT_FOR, (req, reply) => submitForm(req, reply, () => svc.submitProposalFor(req.ctx, intParam(req.params, 'id'), input.proposalForFromForm(req.body)),
    (form, status) => proposalsPage(req, reply, form, status),
    () => { reply.flash('success', 'participation.flash.proposed'); return reply.to(`/admin/participation/${intParam(req.params, 'id')}/proposals`); }));

  const proposalPage = async (req: Req, reply: Reply, forms: { answer?: FormState; moderation?: FormState } = {}, status = 200) => {
    const detail = await svc.getProposalForAdmin(req.ctx, intParam(req.params, 'id'));
    const p = detail.proposal;
    return reply.page(p.title, <AdminProposalPage detail={detail} canAnswer={can(req.actor, svc.MANAGE)} canModerate={can(req.actor, svc.MODERATE)}
      answerForm={forms.answer ?? emptyForm({ answer: p.answer, ...spreadTranslated(p.answerText, 'text'), merged_into: detail.mergedIntoNumber ?? '', commitment_id: p.commitmentId ?? '' })}
      moderation={forms.moderation ?? emptyForm()} />, status);
  };
  app.get('/admin/participation/proposals/:id', STAFF_PROPOSALS, (req, reply) => proposalPage(req, reply));
  app.post('/admin/participation/proposals/:id/moderate', requires(svc.MODERATE), (req, reply) => submitForm(req, reply, () => {
    const m = input.moderationFromForm(req.body);
    return svc.moderateProposal(req.ctx, intParam(req.params, 'id'), m.hide, m.reason);
  }, (form, status) => proposalPage(req, reply, { moderation: form }, status),
  () => { reply.flash('success', 'common.saved'); return reply.to(`/admin/participation/proposals/${intParam(req.params, 'id')}`); }));
  app.post('/admin/participation/proposals/:id/answer', MANAGE, (req, reply) => submitForm(req, reply, () => svc.answerProposal(req.ctx, intParam(req.params, 'id'), input.answerFromForm(req.body)),
    (form, status) => proposalPage(req, reply, { answer: form }, status),
    () => { reply.flash('success', 'participation.flash.answered'); return reply.to(`/admin/participation/proposals/${intParam(req.params, 'id')}`); }));
}
