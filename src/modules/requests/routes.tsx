import { PRIVATE } from '../../core/http/index.tsx';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { echoValues, limited, pageParam, queryString, intParam, submitForm } from '../../core/http/form-route.ts';
import { ValidationError, RuleError, NotFoundError } from '../../core/http/errors.ts';
import { secureCookies } from '../../config.ts';
import { uploadsOf, openStoredFile } from '../../core/files/index.ts';
import { tr, isolate } from '../../core/i18n/index.ts';
import * as svc from './service.ts';
import * as wf from './workflow.ts';
import { normalizeReference } from './codes.ts';
import { ReportStart, ReportForm, ReportConfirm, Submitted, RequestList, MapPage, RequestDetail, ReporterPage, MessagePage, LookupPage } from './views/public.tsx';

const CODE_COOKIE = 'rq_new';
const OUTCOMES = ['thanks', 'reopened', 'can_contest', 'closed', 'contested', 'name_hidden'];

export function listQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['status', 'category', 'district', 'from', 'to']) {
    const v = queryString(q, k, 80);
    if (v) out[k] = v;
  }
  return out;
}

/** Values to start the report form with: the signed-in citizen's name and email. */
function startValues(req: FastifyRequest): Record<string, unknown> {
  return req.actor ? { name: req.actor.name, email: req.actor.email } : {};
}

/** The reporter's code is shown once, after submission, from a short-lived signed cookie. */
export function rememberCode(req: FastifyRequest, reply: FastifyReply, reference: string, code: string) {
  reply.setCookie(CODE_COOKIE, JSON.stringify({ reference, code }), { signed: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 3600, secure: secureCookies(req.server.appConfig) });
}

export function recalledCode(req: FastifyRequest, reference: string): string | null {
  const raw = req.cookies?.[CODE_COOKIE];
  if (!raw) return null;
  const un = req.unsignCookie(raw);
  if (!un.valid || !un.value) return null;
  try {
    const v = JSON.parse(un.value);
    return v.reference === reference && typeof v.code === 'string' ? v.code : null;
  } catch { return null; }
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // Spreadsheet formula injection: a cell never starts with = + - @.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function requestPages(app: FastifyInstance) {
  const cfg = () => app.appConfig;

  // ---------- Reporting ----------

  app.get('/requests/new', async (req, reply) => {
    const slug = queryString(req.query, 'category', 80);
    const categories = await svc.listCategories(req.ctx);
    if (slug) {
      const category = categories.find((c) => c.slug === slug);
      if (category) {
        return reply.page(req.t('requests.reportCategoryTitle', { category: tr(category.name, req.locale) }),
          <ReportForm category={category} districts={await svc.listDistricts(req.ctx)} form={emptyForm(startValues(req))} tileUrl={cfg().tileUrl} />);
      }
      return reply.page(req.t('requests.reportTitle'), <ReportStart categories={categories} form={{ values: { category: slug }, errors: { category: { key: 'requests.errors.category' } } }} />, 404);
    }
    return reply.page(req.t('requests.reportTitle'), <ReportStart categories={categories} form={emptyForm()} />);
  });

  /** The report form again, with what was typed and the messages (photos are never kept). */
  async function reportAgain(req: FastifyRequest, reply: FastifyReply, form: FormState, status: number) {
    const categories = await svc.listCategories(req.ctx);
    const category = categories.find((c) => c.slug === String(form.values.category ?? ''));
    if (!category) return reply.page(req.t('requests.reportTitle'), <ReportStart categories={categories} form={{ values: {}, errors: { category: { key: 'requests.errors.category' } } }} />, status);
    return reply.page(req.t('requests.reportCategoryTitle', { category: tr(category.name, req.locale) }),
      <ReportForm category={category} districts={await svc.listDistricts(req.ctx)} form={form} tileUrl={cfg().tileUrl} />, status);
  }

  async function confirmPage(req: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: FormState['errors'], status = 200) {
    const checked = await svc.checkReport(req.ctx, values, 'web');
    const similar = await svc.similarRequests(req.ctx, checked);
    return reply.page(req.t('requests.checkTitle'), <ReportConfirm category={checked.category} districts={await svc.listDistricts(req.ctx)} form={{ values, errors }}
      similar={similar} summary={{ ...checked, point: !!checked.point }} />, status);
  }

  app.post('/requests/new/check', limited(cfg(), 30), async (req, reply) => {
    const values = echoValues(req.body);
    try {
      return await confirmPage(req, reply, values, {});
    } catch (e) {
      if (e instanceof ValidationError) return reportAgain(req, reply, { values, errors: e.fields }, 400);
      throw e;
    }
  });

  app.post('/requests/new/edit', async (req, reply) => reportAgain(req, reply, { values: echoValues(req.body), errors: {} }, 200));

  app.post('/requests/new', limited(cfg(), 10), async (req, reply) => {
    const values = echoValues(req.body);
    try {
      const { reference, trackingCode } = await svc.submitRequest(req.ctx, req.body as Record<string, unknown>, { channel: 'web', photos: uploadsOf(req.body, 'photos') });
      rememberCode(req, reply, reference, trackingCode);
      return reply.to(`/requests/${reference}/submitted`);
    } catch (e) {
      if (e instanceof RuleError && e.field === 'photos') return confirmPage(req, reply, values, { photos: { key: e.messageKey, params: e.params } }, 422);
      if (e instanceof ValidationError) return reportAgain(req, reply, { values, errors: e.fields, formError: { key: 'requests.photosLost' } }, 400);
      throw e;
    }
  });

  app.get('/requests/:ref/submitted', async (req, reply) => {
    const reference = normalizeReference((req.params as { ref: string }).ref);
    const { code, mailed } = await svc.submittedView(req.ctx, reference, recalledCode(req, reference));
    // The code is a key to the request: no cache may keep the page that shows it.
    if (code) reply.noStore();
    return reply.page(req.t('requests.submittedTitle'), <Submitted reference={reference} code={code} email={mailed} />);
  });

  // ---------- Public list, exports, map ----------

  app.get('/requests', async (req, reply) => {
    const query = listQuery(req.query);
    const page = pageParam(req.query);
    const [categories, districts] = await Promise.all([svc.listCategories(req.ctx, false), svc.listDistricts(req.ctx)]);
    const filters = await svc.resolveFilters(req.ctx, query, categories, districts);
    const { total, capped, rows } = await svc.listRequests(req.ctx, filters, page);
    return reply.page(req.t('requests.listTitle'), <RequestList rows={rows} total={total} capped={capped} page={page} pageSize={svc.PAGE_SIZE}
      categories={categories} districts={districts} query={query} today={filters.today!} />);
  });

  /** Streams the public columns of the filtered list (never a reporter's name, email or phone). */
  async function* exportRows(req: FastifyRequest, format: 'csv' | 'json') {
    const [categories, districts, institutions] = await Promise.all([svc.listCategories(req.ctx, false), svc.listDistricts(req.ctx), svc.institutionsById(req.ctx)]);
    const filters = await svc.resolveFilters(req.ctx, listQuery(req.query), categories, districts);
    const slugOf = <T extends { id: number; slug: string }>(xs: T[], id: number | null) => xs.find((x) => x.id === id)?.slug ?? '';
    const columns = ['reference', 'category', 'district', 'institution', 'status', 'reject_reason', 'channel', 'description', 'address', 'lat', 'lng',
      'created_at', 'due_on', 'acknowledged_at', 'resolved_at', 'closed_at', 'within_target', 'resolution_days', 'satisfaction', 'sample'];
    if (format === 'csv') yield `${columns.join(',')}\r\n`; else yield '[';
    let after = 0, first = true;
    for (;;) {
      const batch = await svc.exportBatch(req.ctx, filters, after, 1000);
      if (!batch.length) break;
      let chunk = '';
      for (const r of batch) {
        const row: Record<string, unknown> = {
          reference: r.reference, category: slugOf(categories, r.category_id), district: slugOf(districts, r.district_id), institution: institutions.get(r.institution_id)?.slug ?? '',
          status: r.status, reject_reason: r.reject_reason, channel: r.channel, description: r.description, address: r.address, lat: r.lat, lng: r.lng,
          created_at: r.created_at, due_on: r.due_on, acknowledged_at: r.acknowledged_at, resolved_at: r.resolved_at, closed_at: r.closed_at,
          within_target: r.within_target === null ? null : !!r.within_target, resolution_days: r.resolution_days, satisfaction: r.satisfaction, sample: !!r.sample,
        };
        if (format === 'csv') chunk += `${columns.map((c) => csvCell(row[c])).join(',')}\r\n`;
        else { chunk += `${first ? '' : ','}\n${JSON.stringify(row)}`; first = false; }
      }
      // A Buffer, not the string: the rope of a thousand rows would wait in the stream's buffer,
      // be promoted and grow the heap; as bytes the rows die young (issue 5, docs/PERFORMANCE.md).
      yield Buffer.from(chunk);
      after = batch[batch.length - 1].id;
    }
    if (format === 'json') yield '\n]\n';
  }

  app.get('/requests.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="requests.csv"').send(Readable.from(exportRows(req, 'csv'))));
  app.get('/requests.json', async (req, reply) => reply.type('application/json; charset=utf-8').send(Readable.from(exportRows(req, 'json'))));

  app.get('/requests/map', async (req, reply) => {
    const query = listQuery(req.query);
    const [categories, districts] = await Promise.all([svc.listCategories(req.ctx, false), svc.listDistricts(req.ctx)]);
    const filters = await svc.resolveFilters(req.ctx, query, categories, districts);
    const recent = await svc.latestRequests(req.ctx, filters, 20);
    const qs = new URLSearchParams(query).toString();
    return reply.page(req.t('requests.mapTitle'), <MapPage categories={categories} districts={districts} query={query} recent={recent}
      pointsUrl={`/${req.locale}/requests/map.json${qs ? `?${qs}` : ''}`} tileUrl={cfg().tileUrl} />);
  });

  app.get('/requests/map.json', async (req, reply) => {
    const [categories, districts] = await Promise.all([svc.listCategories(req.ctx, false), svc.listDistricts(req.ctx)]);
    const filters = await svc.resolveFilters(req.ctx, listQuery(req.query), categories, districts);
    const points = await svc.mapPoints(req.ctx, filters);
    const names = new Map(categories.map((c) => [c.id, tr(c.name, req.locale)]));
    return reply.send({
      points: points.map((p) => ({ reference: p.reference, lat: p.lat, lng: p.lng, status: p.status, statusLabel: req.t(`requests.status.${p.status}`), category: names.get(p.category_id) ?? '', url: `/${req.locale}/requests/${p.reference}` })),
    });
  });

  // ---------- Finding one's request ----------

  app.get('/requests/lookup', async (req, reply) => {
    const q = queryString(req.query, 'q', 60);
    if (!q) return reply.page(req.t('requests.lookupTitle'), <LookupPage value="" />);
    const found = await svc.lookup(req.ctx, q);
    if (found) return reply.to(found);
    return reply.page(req.t('requests.lookupTitle'), <LookupPage value={q} error="requests.errors.notFound" />, 404);
  });

  // ---------- A request's page, following ----------

  async function detailPage(req: FastifyRequest, reply: FastifyReply, followForm: FormState, status = 200) {
    const reference = normalizeReference((req.params as { ref: string }).ref);
    const d = await svc.publicRequest(req.ctx, reference);
    const { mine, staff } = await svc.viewerOf(req.ctx, d.request);
    return reply.page(`${reference} · ${tr(d.category.name, req.locale)}`, <RequestDetail d={d} followForm={followForm} mine={mine} staff={staff} />, status);
  }

  app.get('/requests/:ref', async (req, reply) => detailPage(req, reply, emptyForm(req.actor ? { email: req.actor.email } : {})));

  app.post('/requests/:ref/follow', limited(cfg(), 10), async (req, reply) => {
    const reference = normalizeReference((req.params as { ref: string }).ref);
    return submitForm(req, reply, () => wf.follow(req.ctx, reference, req.body),
      (form, status) => detailPage(req, reply, form, status),
      (outcome) => { reply.flash(outcome === 'confirm_sent' ? 'info' : 'success', `requests.follow.${outcome}`); return reply.to(`/requests/${reference}`); });
  });

  /**
   * A mail's link (confirm a follow, stop following): the GET only says what the button will do,
   * and the POST does it. Mail systems open the links of incoming mail to scan them, and a GET that
   * acted would confirm or end a subscription without the reader.
   */
  function mailLink(path: string, act: (ctx: FastifyRequest['ctx'], token: string) => Promise<string | null>,
    texts: { askTitle: string; ask: string; button: string; doneTitle: string; done: string; unknown: string; unknownStatus: number }, oneClick = false) {
    const tokenOf = (req: FastifyRequest) => (req.params as { token: string }).token;
    const unknown = (req: FastifyRequest, reply: FastifyReply, title: string) => reply.page(title, <MessagePage title={title} text={req.t(texts.unknown)} error={texts.unknownStatus >= 400} />, texts.unknownStatus);
    app.get(`/requests/${path}/:token`, async (req, reply) => {
      reply.noStore();
      const ref = await wf.followerRequest(req.ctx, tokenOf(req));
      if (!ref) return unknown(req, reply, req.t(texts.askTitle));
      return reply.page(req.t(texts.askTitle), <MessagePage title={req.t(texts.askTitle)} text={req.t(texts.ask, { reference: isolate(ref) })}
        action={{ path: `/requests/${path}/${tokenOf(req)}`, label: req.t(texts.button) }} links={[{ label: ref, path: `/requests/${ref}` }]} />);
    });
    // One-click unsubscribes come from the mail providers' servers, many citizens behind one address.
    const limit = limited(cfg(), oneClick ? 120 : 10);
    app.post(`/requests/${path}/:token`, { ...limit, config: { ...limit.config, oneClickUnsubscribe: oneClick } }, async (req, reply) => {
      reply.noStore();
      const ref = await act(req.ctx, tokenOf(req));
      if (!ref) return unknown(req, reply, req.t(texts.doneTitle));
      return reply.page(req.t(texts.doneTitle), <MessagePage title={req.t(texts.doneTitle)} text={req.t(texts.done, { reference: isolate(ref) })} links={[{ label: ref, path: `/requests/${ref}` }]} />);
    });
  }
  mailLink('follow', wf.confirmFollow, {
    askTitle: 'requests.followTitle', ask: 'requests.followAsk', button: 'requests.followConfirmButton',
    doneTitle: 'requests.followTitle', done: 'requests.followConfirmed', unknown: 'requests.tokenUnknown', unknownStatus: 404,
  });
  mailLink('unsubscribe', wf.unsubscribe, {
    askTitle: 'requests.unsubscribeAskTitle', ask: 'requests.unsubscribeAsk', button: 'requests.unsubscribeButton',
    doneTitle: 'requests.unsubscribeTitle', done: 'requests.unsubscribed', unknown: 'requests.unsubscribeGone', unknownStatus: 200,
  }, true);

  // ---------- The reporter's page: by tracking code, or signed in ----------

  async function reporterPage(req: FastifyRequest, reply: FastifyReply, key: wf.ReporterKey, base: string, forms?: Partial<{ feedback: FormState; contest: FormState; hideName: FormState }>, status = 200, outcome?: string) {
    const { request: r, options } = await wf.reporterView(req.ctx, key);
    return reply.noStore().page(req.t('requests.manageHeading', { reference: r.reference }), <ReporterPage r={r} base={base} options={options}
      forms={{ feedback: forms?.feedback ?? emptyForm(), contest: forms?.contest ?? emptyForm(), hideName: forms?.hideName }} outcome={outcome ?? (OUTCOMES.includes(queryString(req.query, 'done', 30)) ? queryString(req.query, 'done', 30) : undefined)} />, status);
  }

  function reporterRoutes(prefix: string, keyOf: (req: FastifyRequest) => wf.ReporterKey, baseOf: (req: FastifyRequest) => string) {
    app.get(prefix, async (req, reply) => reporterPage(req, reply, keyOf(req), baseOf(req)));
    app.post(`${prefix}/feedback`, limited(cfg(), 10), async (req, reply) =>
      submitForm(req, reply, () => wf.giveFeedback(req.ctx, keyOf(req), req.body),
        (form, status) => reporterPage(req, reply, keyOf(req), baseOf(req), { feedback: form }, status),
        ({ outcome }) => reply.to(`${baseOf(req)}?done=${outcome}`)));
    app.post(`${prefix}/contest`, limited(cfg(), 10), async (req, reply) =>
      submitForm(req, reply, () => wf.contest(req.ctx, keyOf(req), req.body),
        (form, status) => reporterPage(req, reply, keyOf(req), baseOf(req), { contest: form }, status),
        () => reply.to(`${baseOf(req)}?done=contested`)));
    app.post(`${prefix}/hide-name`, limited(cfg(), 10), async (req, reply) =>
      submitForm(req, reply, () => wf.hideName(req.ctx, keyOf(req)),
        (form, status) => reporterPage(req, reply, keyOf(req), baseOf(req), { hideName: form }, status),
        () => reply.to(`${baseOf(req)}?done=name_hidden`)));
  }
  const codeOf = (req: FastifyRequest) => String((req.params as { code: string }).code ?? '');
  reporterRoutes('/requests/track/:code', (req) => ({ code: codeOf(req) }), (req) => `/requests/track/${encodeURIComponent(codeOf(req))}`);
  const refOf = (req: FastifyRequest) => normalizeReference(String((req.params as { ref: string }).ref ?? ''));
  reporterRoutes('/requests/:ref/mine', (req) => ({ reference: refOf(req) }), (req) => `/requests/${refOf(req)}/mine`);

  // ---------- Photos: checked, re-encoded at upload; hidden ones only for staff ----------

  app.get('/requests/photos/:id', async (req, reply) => {
    const p = await svc.photoFor(req.ctx, intParam(req.params, 'id'));
    // Public photos: five minutes in shared caches, then revalidated by their ETag, so that a photo moderation hides
    // leaves them within minutes (a day-long shared cache kept it a day); hidden ones, for staff, in no cache.
    if (p.hidden) reply.header('cache-control', PRIVATE);
    else {
      const etag = `"${p.sha256}"`;
      reply.header('cache-control', 'public, max-age=300, must-revalidate').header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    }
    return reply.type(p.mime).header('content-disposition', 'inline').send(openStoredFile(cfg().dataDir, req.commune.id, p));
  });
}

