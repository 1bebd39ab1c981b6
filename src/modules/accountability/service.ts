import { mutate, type Ctx } from '../../core/service.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { iso } from '../../core/clock/index.ts';
import type { AccountabilityTables, Cocreation } from './schema.ts';
import * as repo from './repo.ts';

const tables = (ctx: Ctx) => ctx.db.withTables<AccountabilityTables>();

export interface PlanOverview {
  id: number;
  slug: string;
  kind: string;
  title: Translated;
  periodStart: string;
  periodEnd: string;
  submittedOn: string | null;
  vision: Translated;
  guidelines: Translated[];
  objectives: Translated[];
  cocreation: Cocreation;
  status: string;
  axes: { id: number; number: string; title: Translated; description: Translated; sample: boolean }[];
  institutions: { id: number; slug: string; name: Translated; kind: string; role: string }[];
}

function parseJson<T>(s: string, fallback: T): T {
  try { return JSON.parse(s) as T; } catch { return fallback; }
}

export async function planOverview(ctx: Ctx, slug: string): Promise<PlanOverview> {
  const db = tables(ctx);
  const p = await repo.findPlan(db, ctx.commune.id, slug);
  if (!p) throw new NotFoundError();
  const [axes, institutions] = await Promise.all([
    repo.topCommitments(db, ctx.commune.id, p.id),
    repo.planInstitutions(db, ctx.commune.id, p.id),
  ]);
  return {
    id: p.id, slug: p.slug, kind: p.kind, title: parseTranslated(p.title), periodStart: p.period_start, periodEnd: p.period_end,
    submittedOn: p.submitted_on, vision: parseTranslated(p.vision), guidelines: parseJson(p.guidelines, []), objectives: parseJson(p.objectives, []),
    cocreation: parseJson(p.cocreation, {}), status: p.status,
    axes: axes.map((a: any) => ({ id: a.id, number: a.number, title: parseTranslated(a.title), description: parseTranslated(a.description), sample: !!a.sample })),
    institutions: institutions.map((i: any) => ({ id: i.id, slug: i.slug, name: parseTranslated(i.name), kind: i.kind, role: i.role })),
  };
}

export async function listPlans(ctx: Ctx) {
  const rows = await repo.listPlans(tables(ctx), ctx.commune.id);
  return rows.map((p: any) => ({ slug: p.slug as string, kind: p.kind as string, title: parseTranslated(p.title), periodStart: p.period_start as string, periodEnd: p.period_end as string, status: p.status as string }));
}

/** The plan the home page presents: the OGP Local plan, else the newest. */
export async function featuredPlan(ctx: Ctx): Promise<PlanOverview | null> {
  const plans = await listPlans(ctx);
  const chosen = plans.find((p) => p.kind === 'ogp') ?? plans[0];
  return chosen ? planOverview(ctx, chosen.slug) : null;
}

export interface NewPlan {
  slug: string; kind: 'pac' | 'ogp' | 'thematic'; title: Translated; periodStart: string; periodEnd: string; submittedOn?: string;
  vision: Translated; guidelines?: Translated[]; objectives?: Translated[]; cocreation?: Cocreation; status?: string;
  leadInstitutionIds?: number[];
  axes?: { number: string; title: Translated; description?: Translated }[];
}

export async function createPlan(ctx: Ctx, p: NewPlan): Promise<number> {
  return mutate(ctx, { permission: 'plans.manage', action: 'plan.create', entity: 'plan' }, async (trx) => {
    const db = trx.withTables<AccountabilityTables>();
    const { id } = await db.insertInto('plans').values({
      commune_id: ctx.commune.id, slug: p.slug, kind: p.kind, title: JSON.stringify(p.title), period_start: p.periodStart, period_end: p.periodEnd,
      submitted_on: p.submittedOn ?? null, vision: JSON.stringify(p.vision), guidelines: JSON.stringify(p.guidelines ?? []),
      objectives: JSON.stringify(p.objectives ?? []), cocreation: JSON.stringify(p.cocreation ?? {}), status: p.status ?? 'in_progress', created_at: iso(),
    }).returning('id').executeTakeFirstOrThrow();
    for (const instId of p.leadInstitutionIds ?? []) {
      await db.insertInto('plan_institutions').values({ commune_id: ctx.commune.id, plan_id: id, institution_id: instId, role: 'lead' }).execute();
    }
    for (const [i, a] of (p.axes ?? []).entries()) {
      await db.insertInto('commitments').values({
        commune_id: ctx.commune.id, plan_id: id, parent_id: null, number: a.number, title: JSON.stringify(a.title),
        description: JSON.stringify(a.description ?? {}), sort: i, sample: 0,
      }).execute();
    }
    return { result: id, entityId: p.slug, after: { slug: p.slug, title: p.title } };
  });
}
