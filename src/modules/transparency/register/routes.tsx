import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tr } from '../../../core/i18n/index.ts';
import { authorize } from '../../../core/service.ts';
import { emptyForm, type FormState } from '../../../core/ui/components.tsx';
import { submitForm, intParam } from '../../../core/http/form-route.ts';
import { parseInput, text, optionalInt, oneOf, translatedFields, collectTranslated, spreadTranslated } from '../../../core/http/forms.ts';
import { listInstitutions } from '../../governance/institutions.ts';
import { FREQUENCIES } from '../schema.ts';
import { registerCsv } from '../exports.ts';
import * as svc from './service.ts';
import { CompliancePage, DuePage, AdminRegisterPage, AdminItemPage } from './views.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;
const REGISTER = { preHandler: async (req: Req) => { authorize(req.ctx, svc.REGISTER); } };
const VIEW = { preHandler: async (req: Req) => { authorize(req.ctx, svc.REGISTER_VIEW); } };

const itemSchema = z.object({ ...translatedFields('title', 300), ...translatedFields('description', 2000, false), institution_id: optionalInt(1), frequency: oneOf(FREQUENCIES), sort: optionalInt(0, 99999) });
function itemFromForm(body: unknown) {
  const d = parseInput(itemSchema, body) as Record<string, any>;
  return { title: collectTranslated(d, 'title'), description: collectTranslated(d, 'description'), institutionId: d.institution_id, frequency: d.frequency, sort: d.sort ?? 0 };
}

export async function registerPages(app: FastifyInstance) {
  const departments = (req: Req) => listInstitutions(req.ctx, ['department']);
  app.get('/transparency/register', async (req, reply) => {
    const [items, summary, deps] = await Promise.all([svc.registerItems(req.ctx), svc.compliance(req.ctx), departments(req)]);
    return reply.page(req.t('transparency.registerTitle'), <CompliancePage items={items} summary={summary} departments={deps} />);
  });
  app.get('/transparency/register.csv', async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="publication-register.csv"').send(await registerCsv(req.ctx)));
  app.get('/admin/transparency/due', VIEW, async (req, reply) => reply.page(req.t('transparency.dueTitle'), <DuePage items={await svc.dueItems(req.ctx)} departments={await departments(req)} />));

  const list = async (req: Req, reply: Reply, form: FormState = emptyForm({ frequency: 'annual' }), status = 200) => {
    authorize(req.ctx, svc.REGISTER);
    return reply.page(req.t('transparency.adminRegister'), <AdminRegisterPage items={await svc.registerItems(req.ctx)} departments={await departments(req)} form={form} />, status);
  };
  app.get('/admin/transparency/register', REGISTER, (req, reply) => list(req, reply));
  app.post('/admin/transparency/register', REGISTER, (req, reply) => submitForm(req, reply, () => {
    const code = parseInput(z.object({ code: text(40) }), req.body).code;
    return svc.createItem(req.ctx, { code, ...itemFromForm(req.body) });
  }, (form, status) => list(req, reply, form, status), () => { reply.flash('success', 'transparency.flash.itemCreated'); return reply.to('/admin/transparency/register'); }));

  const itemPage = async (req: Req, reply: Reply, form?: FormState, status = 200) => {
    const item = await svc.getItemForAdmin(req.ctx, intParam(req.params, 'id'));
    const f = form ?? emptyForm({ ...spreadTranslated(item.title, 'title'), ...spreadTranslated(item.description, 'description'), institution_id: item.institutionId ?? '', frequency: item.frequency, sort: item.sort });
    return reply.page(tr(item.title, req.locale), <AdminItemPage item={item} departments={await departments(req)} form={f} />, status);
  };
  app.get('/admin/transparency/register/:id', REGISTER, (req, reply) => itemPage(req, reply));
  app.post('/admin/transparency/register/:id', REGISTER, (req, reply) => submitForm(req, reply, () => svc.updateItem(req.ctx, intParam(req.params, 'id'), itemFromForm(req.body)),
    (form, status) => itemPage(req, reply, form, status), () => { reply.flash('success', 'common.saved'); return reply.to('/admin/transparency/register'); }));
}
