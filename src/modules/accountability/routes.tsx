import { PRIVATE } from '../../core/http/index.tsx';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as svc from './service.ts';
import { PlanPage, PlansPage } from './views.tsx';
import { DashboardPage } from './views/dashboard.tsx';
import { CommitmentPage } from './views/commitment.tsx';
import { loadThread } from '../comments/index.ts';
import { planCsv, planJson, planIndex, planIndexCsv, type CsvEntity } from './exports.ts';
import { adminPlanPages } from './admin-routes.tsx';
import { tr } from '../../core/i18n/index.ts';
import { intParam, pageParam } from '../../core/http/form-route.ts';
import { openStoredFile } from '../../core/files/index.ts';

const slugOf = (p: unknown) => (p as { slug: string }).slug;

function sendCsv(reply: FastifyReply, name: string, gen: AsyncGenerator<string> | Generator<string>) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(Readable.from(gen));
}

/** Public pages of the module (under /:locale), and its staff pages. */
export async function accountabilityPages(app: FastifyInstance) {
  app.get('/plans', async (req, reply) => reply.page(req.t('plans.title'), <PlansPage plans={await svc.listPlans(req.ctx)} />));
  app.get('/plans.csv', async (req, reply) => sendCsv(reply, 'plans.csv', await planIndexCsv(req.ctx, app.appConfig.baseUrl)));

  app.get('/plans/:slug', async (req, reply) => {
    const d = await svc.dashboard(req.ctx, slugOf(req.params), svc.readFilters(req.query));
    return reply.page(tr(d.plan.title, req.locale), <DashboardPage d={d} today={svc.today(req.ctx)} page={pageParam(req.query)} />);
  });
  app.get('/plans/:slug/about', async (req, reply) => {
    const plan = await svc.planOverview(req.ctx, slugOf(req.params));
    return reply.page(`${req.t('plans.subnav.about')} · ${tr(plan.title, req.locale)}`, <PlanPage plan={plan} />);
  });
  app.get('/plans/:slug/commitments/:number', async (req, reply) => {
    const number = (req.params as { number: string }).number;
    if (!/^[0-9A-Za-z.]{1,20}$/.test(number)) return reply.callNotFound();
    const data = await svc.commitmentPage(req.ctx, slugOf(req.params), number);
    const thread = await loadThread(req.ctx, 'commitment', data.commitment.id);
    return reply.page(`${data.commitment.number}. ${tr(data.commitment.title, req.locale)}`, <CommitmentPage data={data} thread={thread} />);
  });

  // Evidence files: the name in the path is for the browser's "save as"; access is checked on the id.
  app.get('/plans/:slug/evidence/:id/:name', async (req, reply) => {
    const e = await svc.evidenceForDownload(req.ctx, slugOf(req.params), intParam(req.params, 'id'));
    if (e.kind !== 'file' || !e.sha256 || !e.file_kind) return reply.callNotFound();
    const inline = e.mime === 'application/pdf' || (e.mime ?? '').startsWith('image/');
    return reply.type(e.mime ?? 'application/octet-stream')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(e.original_name ?? 'file')}`)
      .header('cache-control', e.visibility === 'public' ? 'public, max-age=3600' : PRIVATE)
      .header('x-content-type-options', 'nosniff')
      .send(openStoredFile(app.appConfig.dataDir, req.commune.id, { sha256: e.sha256, kind: e.file_kind }));
  });

  // Open data, CSV: the plan's commitments at /plans/:slug.csv, each entity beside it.
  app.get('/plans/:slug.csv', async (req, reply) => sendCsv(reply, `${slugOf(req.params)}-commitments.csv`, await planCsv(req.ctx, slugOf(req.params), 'commitments')));
  for (const entity of ['actions', 'indicators', 'measurements'] as CsvEntity[]) {
    app.get(`/plans/:slug/${entity}.csv`, async (req, reply) => sendCsv(reply, `${slugOf(req.params)}-${entity}.csv`, await planCsv(req.ctx, slugOf(req.params), entity)));
  }

  await adminPlanPages(app);
}

/** Root routes: the JSON twin of every plan, and their index. */
export async function accountabilityApi(app: FastifyInstance) {
  app.get('/api/plans.json', async (req, reply) => reply.header('access-control-allow-origin', '*')
    .send({ schema: 'docs/open-data.md#plans', plans: await planIndex(req.ctx, app.appConfig.baseUrl) }));
  app.get('/api/plans/:slug.json', async (req, reply) => {
    const schemaUrl = 'docs/open-data.md#plans';
    const gen = await planJson(req.ctx, slugOf(req.params), schemaUrl);
    return reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(Readable.from(gen));
  });
}
