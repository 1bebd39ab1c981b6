import type { FastifyPluginAsync } from 'fastify';
import { queryString } from '../../../core/http/form-route.ts';
import { equity, institutionsBoard, windowOf, yearsWithData } from './service.ts';
import { EquityPage, InstitutionsPage, DASHBOARD_PATH, INSTITUTIONS_PATH } from './views.tsx';

/** The public dashboards, under /:locale. Filters are GET parameters: `period` (12m, 3m, a year, all) and `channel`. */
export const dashboardPages: FastifyPluginAsync = async (app) => {
  app.get(DASHBOARD_PATH, async (req, reply) => {
    const ctx = req.ctx;
    const { period, channel, window } = windowOf(ctx, { period: queryString(req.query, 'period', 10), channel: queryString(req.query, 'channel', 10) });
    const [data, years] = await Promise.all([equity(ctx, window), yearsWithData(ctx)]);
    return reply.page(req.t('requests.dashboards.equityTitle'), <EquityPage data={data} filters={{ period, channel, years, path: DASHBOARD_PATH }} />);
  });

  app.get(INSTITUTIONS_PATH, async (req, reply) => {
    const ctx = req.ctx;
    const { period, channel, window } = windowOf(ctx, { period: queryString(req.query, 'period', 10), channel: queryString(req.query, 'channel', 10) });
    const [data, years] = await Promise.all([institutionsBoard(ctx, window), yearsWithData(ctx)]);
    return reply.page(req.t('requests.dashboards.institutionsTitle'), <InstitutionsPage data={data} filters={{ period, channel, years, path: INSTITUTIONS_PATH }} />);
  });
};
