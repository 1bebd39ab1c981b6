import type { FastifyInstance } from 'fastify';
import * as svc from './service.ts';
import { PlanPage, PlansPage } from './views.tsx';
import { tr } from '../../core/i18n/index.ts';

export async function accountabilityPages(app: FastifyInstance) {
  app.get('/plans', async (req, reply) => reply.page(req.t('plans.title'), <PlansPage plans={await svc.listPlans(req.ctx)} />));
  app.get('/plans/:slug', async (req, reply) => {
    const plan = await svc.planOverview(req.ctx, (req.params as { slug: string }).slug);
    return reply.page(tr(plan.title, req.locale), <PlanPage plan={plan} />);
  });
}
