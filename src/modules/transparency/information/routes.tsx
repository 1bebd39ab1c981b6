import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PRIVATE } from '../../../core/http/index.tsx';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { limited, pageParam, queryString, intParam, submitForm } from '../../../core/http/form-route.ts';
import { NotFoundError } from '../../../core/http/errors.ts';
import { authorize } from '../../../core/service.ts';
import { uploadsOf, openStoredFile } from '../../../core/files/index.ts';
import { tr } from '../../../core/i18n/index.ts';
import { atomFeed, ATOM_TYPE } from '../../../core/feeds/index.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { spreadTranslated } from '../../../core/http/forms.ts';
import * as svc from './service.ts';
import { RegisterPage, NewRequestPage, PublicRequestPage, StatsPage, TrackPage, QueuePage, CounterPage, StaffFilePage, ReceiptPage, GroundsPage, GroundPage, type FileForms } from './views.tsx';

export function registerQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['outcome', 'state', 'channel', 'month']) { const v = queryString(q, k, 20); if (v) out[k] = v; }
  return out;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const tokenOf = (req: FastifyRequest) => String((req.params as { token?: string }).token ?? '');
const refOf = (req: FastifyRequest) => svc.normalizeReference(String((req.params as { ref?: string }).ref ?? ''));

export async function informationPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  // ---------- The public register ----------

  app.get('/information', async (req, reply) => {
    const query = registerQuery(req.query);
    const page = pageParam(req.query);
    const f = svc.resolveFilters(req.ctx, query);
    const { total, capped, rows } = await svc.listRegister(req.ctx, f, page);
    return reply.page(req.t('information.registerTitle'), <RegisterPage rows={rows} total={total} capped={capped} page={page} pageSize={svc.PAGE_SIZE} query={query} today={f.today} />);
  });

  /** The register's public columns, streamed (never the requester's identity, nor a hidden request's question). */
  async function* exportRows(req: FastifyRequest, format: 'csv' | 'json') {
    const f = svc.resolveFilters(req.ctx, registerQuery(req.query));
    const grounds = await svc.listGrounds(req.ctx);
    const columns = ['reference', 'channel', 'question', 'answer_form', 'urgent', 'status', 'outcome', 'created_at', 'received_on', 'due_on', 'extended',
      'answered_on', 'answer_days', 'within_deadline', 'ground', 'complaint_on', 'complaint_outcome', 'cdai_on', 'cdai_outcome', 'hidden', 'hidden_reason', 'sample'];
    if (format === 'csv') yield `${columns.join(',')}\r\n`; else yield '[';
    let after = 0, first = true;
    for (;;) {
      const batch = await svc.exportBatch(req.ctx, f, after, 1000);
      if (!batch.length) break;
      let chunk = '';
      for (const r of batch) {
        const row: Record<string, unknown> = {
          ...r, question: r.hidden ? null : r.question, urgent: !!r.urgent, extended: !!r.extended, hidden: !!r.hidden, sample: !!r.sample,
          within_deadline: r.within_deadline === null ? null : !!r.within_deadline, ground: grounds.find((g) => g.id === r.ground_id)?.code ?? null,
        };
        if (format === 'csv') chunk += `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`;
        else { chunk += `${first ? '' : ','}\n${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))}`; first = false; }
      }
      yield Buffer.from(chunk);
      after = batch[batch.length - 1].id;
    }
    if (format === 'json') yield '\n]\n';
  }
  app.get('/information.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="information-requests.csv"').send(Readable.from(exportRows(req, 'csv'))));
  app.get('/information.json', async (req, reply) => reply.type('application/json; charset=utf-8').send(Readable.from(exportRows(req, 'json'))));

  app.get('/information/stats', async (req, reply) => {
    const [stats, grounds] = await Promise.all([svc.statistics(req.ctx), svc.listGrounds(req.ctx)]);
    return reply.page(req.t('information.statsTitle'), <StatsPage stats={stats} grounds={grounds} />);
  });

  app.get('/information/stats.json', async (req, reply) => {
    const [s, grounds] = await Promise.all([svc.statistics(req.ctx), svc.listGrounds(req.ctx)]);
    return reply.send({
      total: s.total, answered: s.answered, within_deadline: s.within, late: s.late, median_working_days_to_answer: s.medianDays,
      by_month: s.months, by_outcome: s.outcomes, by_channel: s.channels,
      refusals_by_ground: s.grounds.map((g) => ({ ground: grounds.find((x) => x.id === g.groundId)?.code ?? null, n: g.n })),
    });
  });

  app.get('/information/feed.atom', async (req, reply) => {
    const origin = publicOrigin(cfg(), req.commune);
    const rows = await svc.recentAnswers(req.ctx);
    const base = `${origin}/${req.locale}`;
    const xml = atomFeed({
      id: `${base}/information/feed.atom`, title: `${req.t('information.feedTitle')} · ${tr(req.commune.name, req.locale)}`,
      self: `${base}/information/feed.atom`, alternate: `${base}/information`, lang: req.locale, author: tr(req.commune.name, req.locale),
      updated: rows[0]?.answered_at ?? '2026-01-01T00:00:00.000Z',
      entries: rows.map((r) => ({
        id: `${base}/information/${r.reference}`, link: `${base}/information/${r.reference}`,
        title: `${r.reference} · ${req.t(`information.outcome.${r.outcome}`)}`, updated: r.answered_at!, published: r.answered_at!,
        summary: r.hidden ? req.t('information.hiddenWithReason', { reason: r.hidden_reason ?? '' }) : r.question.slice(0, 500),
        categories: [r.outcome ?? ''],
      })),
    });
    return reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300').send(xml);
  });

  // ---------- Asking ----------

  const startValues = (req: FastifyRequest) => (req.actor ? { name: req.actor.name, email: req.actor.email, answer_form: 'electronic' } : { answer_form: 'electronic' });
  app.get('/information/new', async (req, reply) => reply.page(req.t('information.newTitle'), <NewRequestPage form={emptyForm(startValues(req))} />));
  app.post('/information/new', limited(cfg(), 10), async (req, reply) =>
    submitForm(req, reply, () => svc.submitRequest(req.ctx, (req.body ?? {}) as Record<string, unknown>, { channel: 'web' }),
      (form, status) => reply.page(req.t('information.newTitle'), <NewRequestPage form={form} />, status),
      (s) => { reply.flash('success', s.status === 'unconfirmed' ? 'information.flash.confirmSent' : 'information.flash.received'); return reply.to(`/information/track/${s.token}`); }));

  // ---------- A request's public page ----------

  app.get('/information/:ref', async (req, reply) => {
    const d = await svc.publicRequest(req.ctx, refOf(req));
    return reply.page(`${d.r.reference} · ${req.t('information.registerTitle')}`, <PublicRequestPage d={d} />);
  });

  app.get('/information/files/:id', async (req, reply) => {
    const { a, restricted } = await svc.attachment(req.ctx, intParam(req.params, 'id'));
    reply.header('cache-control', restricted ? PRIVATE : 'public, max-age=300, must-revalidate');
    return reply.type(a.mime).header('content-disposition', `attachment; filename="${encodeURIComponent(a.name)}"`).send(openStoredFile(cfg().dataDir, req.commune.id, a));
  });

  // ---------- The requester's tracking link ----------

  async function trackPage(req: FastifyRequest, reply: FastifyReply, forms: FileForms = {}, status = 200) {
    const d = await svc.trackedRequest(req.ctx, tokenOf(req));
    return reply.noStore().page(req.t('information.trackTitle', { reference: d.r.reference }), <TrackPage d={d} base={`/information/track/${tokenOf(req)}`} forms={forms} />, status);
  }
  app.get('/information/track/:token', async (req, reply) => trackPage(req, reply));
  const key = (req: FastifyRequest) => ({ token: tokenOf(req) });
  const trackAction = (path: string, form: keyof FileForms, act: (req: FastifyRequest) => Promise<unknown>, flash: string) =>
    app.post(`/information/track/:token/${path}`, limited(cfg(), 10), async (req, reply) => {
      reply.noStore();
      return submitForm(req, reply, () => act(req), (f, status) => trackPage(req, reply, { [form]: f }, status),
        () => { reply.flash('success', flash); return reply.to(`/information/track/${tokenOf(req)}`); });
    });
  trackAction('confirm', 'confirm', (req) => svc.confirmRequest(req.ctx, tokenOf(req)), 'information.flash.received');
  trackAction('reply', 'reply', (req) => svc.replyClarification(req.ctx, key(req), req.body), 'information.flash.replied');
  trackAction('withdraw', 'withdraw', (req) => svc.withdraw(req.ctx, key(req)), 'information.flash.withdrawn');
  trackAction('complain', 'complain', (req) => svc.complain(req.ctx, key(req), req.body), 'information.flash.complained');
  trackAction('cdai', 'cdai', (req) => svc.referToCdai(req.ctx, key(req)), 'information.flash.cdai');

  // ---------- Staff: queue, counter, file ----------

  app.get('/admin/information', async (req, reply) => {
    const query = registerQuery(req.query);
    const page = pageParam(req.query);
    const f = svc.resolveFilters(req.ctx, { state: 'open', ...query });
    if (query.state === 'all') delete f.state;
    const { total, capped, rows } = await svc.queue(req.ctx, f, page);
    return reply.page(req.t('information.queueTitle'), <QueuePage rows={rows} total={total} capped={capped} page={page} pageSize={svc.PAGE_SIZE} query={{ state: 'open', ...query }} today={f.today} />);
  });

  const counterPage = (req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    authorize(req.ctx, 'information.file_for');
    return reply.page(req.t('information.counterTitle'), <CounterPage form={form} />, status);
  };
  app.get('/admin/information/new', async (req, reply) => counterPage(req, reply, emptyForm({ channel: 'counter', answer_form: 'on_site' })));
  app.post('/admin/information/new', async (req, reply) =>
    submitForm(req, reply, () => svc.submitOnBehalf(req.ctx, (req.body ?? {}) as Record<string, unknown>), (form, status) => counterPage(req, reply, form, status),
      (s) => reply.to(`/admin/information/${s.reference}/receipt`)));

  // ---------- Legal grounds ----------

  const groundsPage = async (req: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    authorize(req.ctx, 'information.configure');
    return reply.page(req.t('information.groundsTitle'), <GroundsPage grounds={await svc.listGrounds(req.ctx)} form={form} />, status);
  };
  app.get('/admin/information/grounds', async (req, reply) => groundsPage(req, reply, emptyForm({ article: '7', active: '1' })));
  app.post('/admin/information/grounds', async (req, reply) =>
    submitForm(req, reply, () => svc.saveGround(req.ctx, null, req.body), (f, s) => groundsPage(req, reply, f, s), () => { reply.flash('success', 'information.flash.saved'); return reply.to('/admin/information/grounds'); }));
  app.post('/admin/information/grounds/seed', async (req, reply) =>
    submitForm(req, reply, () => svc.seedGrounds(req.ctx), (f, s) => groundsPage(req, reply, f, s), () => { reply.flash('success', 'information.flash.saved'); return reply.to('/admin/information/grounds'); }));
  const groundPage = async (req: FastifyRequest, reply: FastifyReply, form: FormState | null, status = 200) => {
    authorize(req.ctx, 'information.configure');
    const g = (await svc.listGrounds(req.ctx)).find((x) => x.id === intParam(req.params, 'id'));
    if (!g) throw new NotFoundError();
    const values = { code: g.code, article: g.article, active: g.active ? '1' : '', ...spreadTranslated(g.label, 'label') };
    return reply.page(req.t('information.groundTitle', { code: g.code }), <GroundPage ground={g} form={form ?? emptyForm(values)} />, status);
  };
  app.get('/admin/information/grounds/:id', async (req, reply) => groundPage(req, reply, null));
  app.post('/admin/information/grounds/:id', async (req, reply) =>
    submitForm(req, reply, () => svc.saveGround(req.ctx, intParam(req.params, 'id'), req.body), (f, s) => groundPage(req, reply, f, s),
      () => { reply.flash('success', 'information.flash.saved'); return reply.to('/admin/information/grounds'); }));

  // ---------- The staff file and its actions ----------

  async function filePage(req: FastifyRequest, reply: FastifyReply, forms: FileForms = {}, status = 200) {
    const d = await svc.staffFile(req.ctx, refOf(req));
    reply.header('cache-control', PRIVATE);
    return reply.page(`${d.r.reference} · ${req.t('information.fileTitle')}`, <StaffFilePage d={d} forms={forms} />, status);
  }
  app.get('/admin/information/:ref', async (req, reply) => filePage(req, reply));
  app.get('/admin/information/:ref/receipt', async (req, reply) => {
    authorize(req.ctx, 'information.file_for');
    const d = await svc.staffFile(req.ctx, refOf(req));
    reply.header('cache-control', PRIVATE);
    return reply.page(req.t('information.receiptTitle'), <ReceiptPage d={d} />);
  });
  const staffAction = (path: string, form: keyof FileForms, act: (req: FastifyRequest) => Promise<unknown>, flash: string) =>
    app.post(`/admin/information/:ref/${path}`, async (req, reply) =>
      submitForm(req, reply, () => act(req), (f, status) => filePage(req, reply, { [form]: f }, status),
        () => { reply.flash('success', flash); return reply.to(`/admin/information/${refOf(req)}`); }));
  const sref = (req: FastifyRequest) => ({ reference: refOf(req) });
  staffAction('reply', 'reply', (req) => svc.replyClarification(req.ctx, sref(req), req.body), 'information.flash.replied');
  staffAction('withdraw', 'withdraw', (req) => svc.withdraw(req.ctx, sref(req)), 'information.flash.withdrawn');
  staffAction('complain', 'complain', (req) => svc.complain(req.ctx, sref(req), req.body), 'information.flash.complained');
  staffAction('cdai', 'cdai', (req) => svc.referToCdai(req.ctx, sref(req)), 'information.flash.cdai');
  staffAction('extend', 'extend', (req) => svc.extend(req.ctx, refOf(req), req.body), 'information.flash.extended');
  staffAction('clarify', 'clarify', (req) => svc.askClarification(req.ctx, refOf(req), req.body), 'information.flash.clarification');
  staffAction('answer', 'answer', (req) => svc.answer(req.ctx, refOf(req), req.body, uploadsOf(req.body, 'files')), 'information.flash.answered');
  staffAction('redact', 'redact', (req) => svc.redactAnswer(req.ctx, refOf(req), req.body), 'information.flash.redacted');
  staffAction('hide', 'hide', (req) => svc.setHidden(req.ctx, refOf(req), true, req.body), 'information.flash.hidden');
  staffAction('show', 'hide', (req) => svc.setHidden(req.ctx, refOf(req), false, req.body), 'information.flash.shown');
  staffAction('attachments/:id/hide', 'hideAttachment', (req) => svc.hideAttachment(req.ctx, refOf(req), intParam(req.params, 'id'), req.body), 'information.flash.hidden');
  staffAction('complaint-answer', 'complaintAnswer', (req) => svc.answerComplaint(req.ctx, refOf(req), req.body), 'information.flash.saved');
  staffAction('cdai-decision', 'cdaiDecision', (req) => svc.recordCdaiDecision(req.ctx, refOf(req), req.body), 'information.flash.saved');
}
