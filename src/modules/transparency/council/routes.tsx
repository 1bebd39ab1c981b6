import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tr } from '../../../core/i18n/index.ts';
import { authorize } from '../../../core/service.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, intParam, pageParam } from '../../../core/http/form-route.ts';
import { icalendar, ICAL_TYPE } from '../../../core/feeds/index.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { spreadTranslated } from '../../../core/http/forms.ts';
import { listCommitments, listPlans } from '../../accountability/service.ts';
import { documentsLinkedTo } from '../documents/service.ts';
import { sessionsCsv, deliberationsCsv } from '../exports.ts';
import { localTime } from '../dates.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import * as svc from './service.ts';
import * as input from './inputs.ts';
import { CalendarPage, SessionPage, AdminSessionsPage, AdminSessionPage, type SessionForms } from './views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;
const COUNCIL = { preHandler: async (req: Req) => { authorize(req.ctx, svc.COUNCIL); } };

export async function councilPages(app: FastifyInstance) {
  app.get('/council', async (req, reply) => reply.page(req.t('transparency.councilTitle'), <CalendarPage cal={await svc.calendar(req.ctx, pageParam(req.query))} />));

  app.get('/council.ics', async (req, reply) => {
    const origin = publicOrigin(app.appConfig, req.commune);
    const host = new URL(origin).hostname;
    const sessions = await svc.feedSessions(req.ctx);
    const body = icalendar({
      name: `${req.t('transparency.councilTitle')} · ${tr(req.commune.name, req.locale)}`,
      events: sessions.map((s) => ({
        uid: `council-session-${s.id}@${host}`, start: s.startsAt, end: s.endsAt ?? new Date(Date.parse(s.startsAt) + 3 * 3_600_000).toISOString(),
        summary: tr(s.title, req.locale), location: tr(s.place, req.locale) || undefined, url: `${origin}/${req.locale}${s.path}`,
        description: req.t(`transparency.sessionKind.${s.kind}`), updated: s.startsAt,
        status: s.status === 'cancelled' ? 'CANCELLED' as const : 'CONFIRMED' as const,
      })),
    });
    return reply.type(ICAL_TYPE).header('cache-control', 'public, max-age=300').send(body);
  });
  app.get('/council.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="council-sessions.csv"')
    .send(Readable.from(sessionsCsv(req.ctx, publicOrigin(app.appConfig, req.commune)))));
  app.get('/council/deliberations.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="council-deliberations.csv"')
    .send(Readable.from(deliberationsCsv(req.ctx, publicOrigin(app.appConfig, req.commune)))));

  app.get('/council/:ref', async (req, reply) => {
    const ref = (req.params as { ref: string }).ref;
    if (!/^[a-z0-9-]{1,60}$/.test(ref)) return reply.callNotFound();
    const d = await svc.getSession(req.ctx, ref);
    const documents = await documentsLinkedTo(req.ctx, 'council_session', d.session.id);
    return reply.page(tr(d.session.title, req.locale), <SessionPage d={d} documents={documents} />);
  });

  // ---------- Staff ----------
  const list = async (req: Req, reply: Reply, form: FormState = emptyForm({ kind: 'ordinary', status: 'planned', start_time: '10:00' }), status = 200) =>
    reply.page(req.t('transparency.adminCouncil'), <AdminSessionsPage sessions={await svc.listSessionsForAdmin(req.ctx)} form={form} />, status);
  app.get('/admin/council', COUNCIL, (req, reply) => list(req, reply));
  app.post('/admin/council', COUNCIL, (req, reply) => submitForm(req, reply, () => svc.createSession(req.ctx, input.sessionFromForm(req.body)),
    (form, status) => list(req, reply, form, status), (id) => { reply.flash('success', 'transparency.flash.sessionCreated'); return reply.to(`/admin/council/${id}`); }));

  const page = async (req: Req, reply: Reply, forms: SessionForms = {}, status = 200) => {
    const d = await svc.getSessionForAdmin(req.ctx, intParam(req.params, 'id'));
    const s = d.session;
    const editDefault = emptyForm({
      kind: s.kind, ...spreadTranslated(s.title, 'title'), ...spreadTranslated(s.place, 'place'), status: s.status,
      date: localDay(new Date(s.startsAt)), start_time: localTime(s.startsAt), end_time: s.endsAt ? localTime(s.endsAt) : '',
    });
    const commitments: { id: number; label: string }[] = [];
    for (const p of await listPlans(req.ctx)) for (const c of await listCommitments(req.ctx, p.slug)) commitments.push({ id: c.id, label: `${c.number} — ${tr(c.title, req.locale)}` });
    return reply.page(tr(s.title, req.locale), <AdminSessionPage d={d} forms={forms} editDefault={editDefault} commitments={commitments} />, status);
  };
  const back = (req: Req, reply: Reply, key: string) => { reply.flash('success', key); return reply.to(`/admin/council/${intParam(req.params, 'id')}`); };
  app.get('/admin/council/:id', COUNCIL, (req, reply) => page(req, reply));
  app.post('/admin/council/:id', COUNCIL, (req, reply) => submitForm(req, reply, () => svc.updateSession(req.ctx, intParam(req.params, 'id'), input.sessionFromForm(req.body)),
    (form, status) => page(req, reply, { edit: form }, status), () => back(req, reply, 'common.saved')));
  app.post('/admin/council/:id/items', COUNCIL, (req, reply) => submitForm(req, reply, () => svc.addAgendaItem(req.ctx, intParam(req.params, 'id'), input.itemFromForm(req.body)),
    (form, status) => page(req, reply, { item: form }, status), () => back(req, reply, 'transparency.flash.itemAdded')));
  app.post('/admin/council/:id/deliberations', COUNCIL, (req, reply) => submitForm(req, reply, () => svc.addDeliberation(req.ctx, intParam(req.params, 'id'), input.deliberationFromForm(req.body)),
    (form, status) => page(req, reply, { deliberation: form }, status), () => back(req, reply, 'transparency.flash.deliberationAdded')));
}
