import { z } from 'zod';
import { mutate, authorize, versionedRead, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { iso, TIME_ZONE } from '../../core/clock/index.ts';
import { can, SCOPED_ROLES, type Actor } from '../../core/auth/roles.ts';
import { parseInput, text, optionalText, int, optionalInt, isoDate, optionalDate, oneOf, checkbox, translatedFields, collectTranslated } from '../../core/http/forms.ts';
import { checkFile, writeFile, DOCUMENT_KINDS, type Upload } from '../../core/files/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { CommentTarget, RelatedGroup } from '../../core/module.ts';
import { relatedTo } from '../../core/registry.ts';
import type { Cocreation } from './schema.ts';
import * as repo from './repo.ts';
import { indexCommitments } from './search.ts';
import { adb } from './repo.ts';
import {
  rollUp, planProgress, completionLevel, indicatorStatus, isLate, parseDecimal, actionProgress,
  PLAN_KINDS, PLAN_STATUSES, ACTION_STATUSES, OGP_VALUES, INDICATOR_KINDS, DIRECTIONS, FREQUENCIES, VISIBILITIES,
  type CompletionLevel, type IndicatorStatus, type OgpValue, type TreeNode,
} from './rules.ts';

// ---------- Shared shapes ----------

export interface InstitutionRef { id: number; slug: string; name: Translated; kind: string }

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

/** A commitment as lists show it; `progress` is 0–100 computed from published figures (null: nothing to measure yet). */
export interface CommitmentSummary {
  id: number;
  planId: number;
  number: string;
  parentId: number | null;
  depth: number;
  title: Translated;
  sample: boolean;
  weight: number | null;
  lead: InstitutionRef | null;
  ogpValues: OgpValue[];
  sdgGoals: number[];
  startDate: string | null;
  endDate: string | null;
  progress: number | null;
  completion: CompletionLevel;
  actionCount: number;
  lateCount: number;
  childCount: number;
}

export interface ActionView {
  id: number;
  commitmentId: number;
  title: Translated;
  expectedResult: Translated;
  institution: InstitutionRef | null;
  startDate: string | null;
  endDate: string | null;
  /** Current public status and progress (planned and 0 until a first publication). */
  status: string;
  progress: number;
  late: boolean;
  sample: boolean;
  publishedAt: string | null;
}

export interface IndicatorView {
  id: number;
  commitmentId: number;
  commitmentNumber: string;
  kind: string;
  title: Translated;
  definition: Translated;
  unit: Translated;
  direction: string;
  baseline: { value: number | null; date: string | null };
  target: { value: number | null; date: string | null };
  source: Translated;
  frequency: string;
  institutionId: number;
  latest: { value: number; period: string; sample: boolean } | null;
  status: IndicatorStatus;
  sample: boolean;
}

export interface SdgTag { goal: number; target: string | null; color: string; title: Translated; targetText: Translated; local: boolean }

export interface CommitmentDetail extends CommitmentSummary {
  planSlug: string;
  planTitle: Translated;
  planKind: string;
  problem: Translated;
  description: Translated;
  budgetNote: Translated;
  /** Ancestors, from the axis down. */
  path: { number: string; title: Translated }[];
  supporting: InstitutionRef[];
  partners: InstitutionRef[];
  sdg: SdgTag[];
  children: CommitmentSummary[];
  actions: ActionView[];
  indicators: IndicatorView[];
}

// ---------- Helpers ----------

export function parseJson<T>(s: string | null | undefined, fallback: T): T {
  if (!s) return fallback;
  try { return JSON.parse(s) as T; } catch { return fallback; }
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the commune's time zone, as YYYY-MM-DD. */
export function today(ctx: Ctx): string {
  return dayFormat.format(ctx.clock.now());
}

const instRef = (r: { id: number; slug: string; name: string; kind: string }): InstitutionRef => ({ id: r.id, slug: r.slug, name: parseTranslated(r.name), kind: r.kind });

/**
 * Whether the actor holds a permission for every institution (an unscoped role), or only for the
 * departments it is staff of. Returns null for "all", else the list of institution ids.
 */
export function institutionsFor(actor: Actor | null, permission: string): number[] | null {
  if (!actor) return [];
  if (actor.grants.some((g) => !SCOPED_ROLES[g.role] && can({ ...actor, grants: [g] }, permission))) return null;
  return actor.grants.filter((g) => SCOPED_ROLES[g.role] && g.institutionId !== null && can({ ...actor, grants: [g] }, permission, { institutionId: g.institutionId })).map((g) => g.institutionId as number);
}

/** Public reads (dashboard, commitment page) are kept until the commune's data changes; the day is part of the key (lateness depends on it). */
const cachedRead = <T>(ctx: Ctx, key: string, compute: () => Promise<T>) => versionedRead(ctx, `accountability|${today(ctx)}|${key}`, compute);

async function planRow(ctx: Ctx, slug: string) {
  const p = await repo.findPlan(ctx.db, ctx.commune.id, slug);
  if (!p) throw new NotFoundError();
  return p;
}

/**
 * Not found unless the commitment is one of the plan's: the admin URLs name both, and a change
 * through another plan's URL is refused as its page is. (A commitment never moves between plans.)
 */
async function checkInPlan(ctx: Ctx, planSlug: string, commitmentId: number | undefined): Promise<void> {
  const plan = await planRow(ctx, planSlug);
  const c = commitmentId === undefined ? undefined : await repo.findCommitment(ctx.db, ctx.commune.id, commitmentId);
  if (!c || c.plan_id !== plan.id) throw new NotFoundError();
}

// ---------- Plans ----------

/** A commitment as the comments module shows it: commented on from its public page. */
export async function commitmentAsCommentTarget(ctx: Ctx, id: number): Promise<CommentTarget | null> {
  const row = await repo.commitmentWithPlan(ctx.db, ctx.commune.id, id);
  return row ? { title: parseTranslated(row.title), path: `/plans/${encodeURIComponent(row.slug)}/commitments/${encodeURIComponent(row.number)}`, open: true } : null;
}

export async function planOverview(ctx: Ctx, slug: string): Promise<PlanOverview> {
  const p = await planRow(ctx, slug);
  const [axes, institutions] = await Promise.all([
    repo.topCommitments(ctx.db, ctx.commune.id, p.id),
    repo.planInstitutions(ctx.db, ctx.commune.id, p.id),
  ]);
  return {
    id: p.id, slug: p.slug, kind: p.kind, title: parseTranslated(p.title), periodStart: p.period_start, periodEnd: p.period_end,
    submittedOn: p.submitted_on, vision: parseTranslated(p.vision), guidelines: parseJson(p.guidelines, []), objectives: parseJson(p.objectives, []),
    cocreation: parseJson(p.cocreation, {}), status: p.status,
    axes: axes.map((a) => ({ id: a.id, number: a.number, title: parseTranslated(a.title), description: parseTranslated(a.description), sample: !!a.sample })),
    institutions: institutions.map((i) => ({ id: i.id, slug: i.slug, name: parseTranslated(i.name), kind: i.kind, role: i.role })),
  };
}

export async function listPlans(ctx: Ctx) {
  const rows = await repo.listPlans(ctx.db, ctx.commune.id);
  return rows.map((p) => ({ id: p.id, slug: p.slug, kind: p.kind, title: parseTranslated(p.title), periodStart: p.period_start, periodEnd: p.period_end, status: p.status }));
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
    const db = adb(trx);
    if (await repo.findPlan(trx, ctx.commune.id, p.slug)) throw new RuleError('plans.form.slugTaken', {}, 'slug');
    const { id } = await db.insertInto('plans').values({
      commune_id: ctx.commune.id, slug: p.slug, kind: p.kind, title: JSON.stringify(p.title), period_start: p.periodStart, period_end: p.periodEnd,
      submitted_on: p.submittedOn ?? null, vision: JSON.stringify(p.vision), guidelines: JSON.stringify(p.guidelines ?? []),
      objectives: JSON.stringify(p.objectives ?? []), cocreation: JSON.stringify(p.cocreation ?? {}), status: p.status ?? 'in_progress', created_at: iso(ctx.clock.now()),
    }).returning('id').executeTakeFirstOrThrow();
    for (const instId of p.leadInstitutionIds ?? []) {
      await db.insertInto('plan_institutions').values({ commune_id: ctx.commune.id, plan_id: id, institution_id: instId, role: 'lead' }).execute();
    }
    for (const [i, a] of (p.axes ?? []).entries()) {
      await db.insertInto('commitments').values({
        commune_id: ctx.commune.id, plan_id: id, parent_id: null, number: a.number, title: JSON.stringify(a.title),
        description: JSON.stringify(a.description ?? {}), sort: i, sample: 0, problem: '{}', ogp_values: '[]', budget_note: '{}',
        start_date: null, end_date: null, weight: null,
      }).execute();
    }
    await indexCommitments(trx, ctx.commune.id, { planId: id });
    return { result: id, entityId: p.slug, after: { slug: p.slug, title: p.title } };
  });
}

const slugField = () => z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''), z.string().min(1).max(60).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'errors.format' }));

export const planSchema = z.object({
  kind: oneOf(PLAN_KINDS),
  ...translatedFields('title', 200),
  period_start: isoDate(),
  period_end: isoDate(),
  submitted_on: optionalDate(),
  status: oneOf(PLAN_STATUSES),
  ...translatedFields('vision', 5000, false),
});
export const newPlanSchema = planSchema.extend({ slug: slugField() });

/** Creates a plan from the admin form. */
export async function createPlanFromForm(ctx: Ctx, input: unknown): Promise<string> {
  authorize(ctx, 'plans.manage');
  const d = parseInput(newPlanSchema, input);
  if (d.period_end < d.period_start) throw new RuleError('plans.form.periodOrder', {}, 'period_end');
  await createPlan(ctx, {
    slug: d.slug, kind: d.kind, title: collectTranslated(d, 'title'), periodStart: d.period_start, periodEnd: d.period_end,
    submittedOn: d.submitted_on ?? undefined, vision: collectTranslated(d, 'vision'), status: d.status,
  });
  return d.slug;
}

export async function updatePlan(ctx: Ctx, slug: string, input: unknown): Promise<void> {
  authorize(ctx, 'plans.manage');
  const d = parseInput(planSchema, input);
  if (d.period_end < d.period_start) throw new RuleError('plans.form.periodOrder', {}, 'period_end');
  await mutate(ctx, { permission: 'plans.manage', action: 'plan.update', entity: 'plan' }, async (trx) => {
    const before = await repo.findPlan(trx, ctx.commune.id, slug);
    if (!before) throw new NotFoundError();
    const after = {
      kind: d.kind, title: JSON.stringify(collectTranslated(d, 'title')), period_start: d.period_start, period_end: d.period_end,
      submitted_on: d.submitted_on, status: d.status, vision: JSON.stringify(collectTranslated(d, 'vision')),
    };
    await adb(trx).updateTable('plans').set(after).where('commune_id', '=', ctx.commune.id).where('id', '=', before.id).execute();
    return { result: undefined, entityId: slug, before, after };
  });
}

// ---------- Commitment tree and public reads ----------

interface PlanTree {
  plan: NonNullable<Awaited<ReturnType<typeof repo.findPlan>>>;
  rows: Awaited<ReturnType<typeof repo.commitmentsOfPlan>>;
  byId: Map<number, Awaited<ReturnType<typeof repo.commitmentsOfPlan>>[number]>;
  /** Tree order (depth first, siblings by sort), with depth. */
  ordered: { id: number; depth: number }[];
  children: Map<number | null, number[]>;
}

async function planTree(ctx: Ctx, slug: string): Promise<PlanTree> {
  const plan = await planRow(ctx, slug);
  const rows = await repo.commitmentsOfPlan(ctx.db, ctx.commune.id, plan.id);
  return buildTree(plan, rows);
}

function buildTree(plan: PlanTree['plan'], rows: PlanTree['rows']): PlanTree {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<number | null, number[]>();
  for (const r of rows) {
    const parent = r.parent_id !== null && byId.has(r.parent_id) ? r.parent_id : null;
    const list = children.get(parent) ?? [];
    list.push(r.id);
    children.set(parent, list);
  }
  const ordered: { id: number; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const id of children.get(parent) ?? []) {
      ordered.push({ id, depth });
      if (depth < 64) walk(id, depth + 1);
    }
  };
  walk(null, 0);
  return { plan, rows, byId, ordered, children };
}

function descendantsOf(tree: PlanTree, ids: Iterable<number>): Set<number> {
  const out = new Set<number>();
  const stack = [...ids];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(tree.children.get(id) ?? []));
  }
  return out;
}

function ancestorsOf(tree: PlanTree, id: number): number[] {
  const out: number[] = [];
  let cur = tree.byId.get(id)?.parent_id ?? null;
  while (cur !== null && tree.byId.has(cur) && out.length < 64) {
    out.unshift(cur);
    cur = tree.byId.get(cur)!.parent_id;
  }
  return out;
}

type Aggregates = Awaited<ReturnType<typeof repo.actionAggregates>>;

/** Leaf progress per commitment from the SQL aggregates: the mean of non-cancelled actions (rules.leafProgress). */
function leavesFrom(aggs: Aggregates) {
  const sum = new Map<number, { n: number; progress: number; all: number; late: number }>();
  for (const a of aggs) {
    const s = sum.get(a.commitment_id) ?? { n: 0, progress: 0, all: 0, late: 0 };
    s.all += Number(a.n);
    s.late += Number(a.late);
    if (a.status !== 'cancelled') { s.n += Number(a.n); s.progress += Number(a.progress_sum); }
    sum.set(a.commitment_id, s);
  }
  return {
    leaf: (id: number) => { const s = sum.get(id); return s && s.n > 0 ? s.progress / s.n : null; },
    counts: (id: number) => sum.get(id) ?? { n: 0, progress: 0, all: 0, late: 0 },
  };
}

function summaries(tree: PlanTree, aggs: Aggregates, institutions: Awaited<ReturnType<typeof repo.commitmentInstitutions>>, sdgs: { commitment_id: number; goal: number }[], restrictTo?: Set<number>) {
  const { leaf, counts } = leavesFrom(aggs);
  const nodes: TreeNode[] = tree.rows.filter((r) => !restrictTo || restrictTo.has(r.id)).map((r) => ({ id: r.id, parentId: r.parent_id, weight: r.weight }));
  const progress = rollUp(nodes, leaf);
  const lead = new Map<number, InstitutionRef>();
  for (const i of institutions) if (i.role === 'lead' && !lead.has(i.commitment_id)) lead.set(i.commitment_id, instRef(i));
  const goals = new Map<number, Set<number>>();
  for (const s of sdgs) { const g = goals.get(s.commitment_id) ?? new Set(); g.add(s.goal); goals.set(s.commitment_id, g); }
  // Counts of actions and late actions add up along the tree.
  const subtree = new Map<number, { actions: number; late: number }>();
  const total = (id: number): { actions: number; late: number } => {
    const known = subtree.get(id);
    if (known) return known;
    const c = counts(id);
    const t = { actions: c.all, late: c.late };
    for (const k of tree.children.get(id) ?? []) if (!restrictTo || restrictTo.has(k)) { const kt = total(k); t.actions += kt.actions; t.late += kt.late; }
    subtree.set(id, t);
    return t;
  };
  const list: CommitmentSummary[] = [];
  for (const { id, depth } of tree.ordered) {
    if (restrictTo && !restrictTo.has(id)) continue;
    const r = tree.byId.get(id)!;
    const p = progress.get(id) ?? null;
    const t = total(id);
    list.push({
      id, planId: tree.plan.id, number: r.number, parentId: r.parent_id, depth, title: parseTranslated(r.title), sample: !!r.sample, weight: r.weight,
      lead: lead.get(id) ?? null, ogpValues: parseJson<OgpValue[]>(r.ogp_values, []), sdgGoals: [...(goals.get(id) ?? [])].sort((a, b) => a - b),
      startDate: r.start_date, endDate: r.end_date, progress: p, completion: completionLevel(p), actionCount: t.actions, lateCount: t.late,
      childCount: (tree.children.get(id) ?? []).filter((k) => !restrictTo || restrictTo.has(k)).length,
    });
  }
  return { list, progress, nodes };
}

/** Every commitment of a plan in tree order, with its computed progress. Public. */
export async function listCommitments(ctx: Ctx, planSlug: string): Promise<CommitmentSummary[]> {
  return cachedRead(ctx, `commitments|${planSlug}`, () => computeCommitments(ctx, planSlug));
}

async function computeCommitments(ctx: Ctx, planSlug: string): Promise<CommitmentSummary[]> {
  const tree = await planTree(ctx, planSlug);
  const ids = tree.rows.map((r) => r.id);
  const [aggs, insts, sdgs] = await Promise.all([
    repo.actionAggregates(ctx.db, ctx.commune.id, tree.plan.id, today(ctx)),
    repo.commitmentInstitutions(ctx.db, ctx.commune.id, ids),
    repo.commitmentSdgs(ctx.db, ctx.commune.id, ids),
  ]);
  return summaries(tree, aggs, insts, sdgs).list;
}

function toAction(a: Awaited<ReturnType<typeof repo.actionsWithFigures>>[number], insts: Map<number, InstitutionRef>, day: string): ActionView {
  return {
    id: a.id, commitmentId: a.commitment_id, title: parseTranslated(a.title), expectedResult: parseTranslated(a.expected_result),
    institution: insts.get(a.institution_id) ?? null, startDate: a.start_date, endDate: a.end_date, status: a.status, progress: actionProgress(a.status, a.progress),
    late: isLate(a.end_date, a.status, day), sample: !!a.sample, publishedAt: a.figure_published_at,
  };
}

function toIndicator(i: Awaited<ReturnType<typeof repo.indicatorsWithLatest>>[number]): IndicatorView {
  const latest = i.latest_value === null || i.latest_value === undefined ? null : { value: Number(i.latest_value), period: i.latest_period as string, sample: !!i.latest_sample };
  return {
    id: i.id, commitmentId: i.commitment_id, commitmentNumber: i.commitment_number, kind: i.kind, title: parseTranslated(i.title), definition: parseTranslated(i.definition),
    unit: parseTranslated(i.unit), direction: i.direction, baseline: { value: i.baseline_value, date: i.baseline_date }, target: { value: i.target_value, date: i.target_date },
    source: parseTranslated(i.source), frequency: i.frequency, institutionId: i.institution_id, latest, sample: !!i.sample,
    status: indicatorStatus({ direction: i.direction, baseline: i.baseline_value, target: i.target_value, latest: latest?.value ?? null }),
  };
}

async function departmentMap(ctx: Ctx): Promise<Map<number, InstitutionRef>> {
  const rows = await repo.departments(ctx.db, ctx.commune.id, ['department', 'operator', 'civil_society', 'monitor', 'other']);
  return new Map(rows.map((r) => [r.id, instRef(r)]));
}

async function sdgTags(ctx: Ctx, rows: { commitment_id: number; goal: number; target: string | null }[]): Promise<Map<number, SdgTag[]>> {
  const out = new Map<number, SdgTag[]>();
  if (rows.length === 0) return out;
  const [goals, targets, locals] = await Promise.all([repo.sdgGoals(ctx.db), repo.sdgTargets(ctx.db, ctx.commune.id), repo.localTargets(ctx.db, ctx.commune.id)]);
  const goalBy = new Map(goals.map((g) => [g.code, g]));
  const targetBy = new Map(targets.map((t) => [t.code, t]));
  const localBy = new Map(locals.map((l) => [l.code, l]));
  for (const r of rows) {
    const g = goalBy.get(r.goal);
    const local = r.target ? localBy.get(r.target) : undefined;
    const tag: SdgTag = {
      goal: r.goal, target: r.target, color: g?.color ?? '#505a66', title: parseTranslated(g?.title),
      targetText: local ? parseTranslated(local.title) : r.target ? parseTranslated(targetBy.get(r.target)?.text) : {}, local: !!local,
    };
    const list = out.get(r.commitment_id) ?? [];
    list.push(tag);
    out.set(r.commitment_id, list);
  }
  const natural = (a: SdgTag, b: SdgTag) => a.goal - b.goal || (a.target ?? '').localeCompare(b.target ?? '', 'en', { numeric: true });
  for (const list of out.values()) list.sort(natural);
  return out;
}

/** One commitment with its actions, indicators and computed progress. Public. */
export async function getCommitment(ctx: Ctx, planSlug: string, number: string): Promise<CommitmentDetail> {
  const tree = await planTree(ctx, planSlug);
  const row = tree.rows.find((r) => r.number === number);
  if (!row) throw new NotFoundError();
  const subtree = descendantsOf(tree, [row.id]);
  const ids = [...subtree];
  const day = today(ctx);
  const [aggs, insts, sdgRows, actions, indicators, depts] = await Promise.all([
    repo.actionAggregates(ctx.db, ctx.commune.id, tree.plan.id, day, { commitmentIds: ids }),
    repo.commitmentInstitutions(ctx.db, ctx.commune.id, ids),
    repo.commitmentSdgs(ctx.db, ctx.commune.id, [row.id]),
    repo.actionsWithFigures(ctx.db, ctx.commune.id, tree.plan.id, [row.id]),
    repo.indicatorsWithLatest(ctx.db, ctx.commune.id, tree.plan.id, { commitmentIds: [row.id] }),
    departmentMap(ctx),
  ]);
  const { list } = summaries(tree, aggs, insts, sdgRows, subtree);
  const self = list.find((c) => c.id === row.id)!;
  const mine = insts.filter((i) => i.commitment_id === row.id);
  const tags = await sdgTags(ctx, sdgRows);
  return {
    ...self,
    sdgGoals: [...new Set(sdgRows.map((s) => s.goal))],
    planSlug: tree.plan.slug, planTitle: parseTranslated(tree.plan.title), planKind: tree.plan.kind,
    problem: parseTranslated(row.problem), description: parseTranslated(row.description), budgetNote: parseTranslated(row.budget_note),
    path: ancestorsOf(tree, row.id).map((id) => ({ number: tree.byId.get(id)!.number, title: parseTranslated(tree.byId.get(id)!.title) })),
    supporting: mine.filter((i) => i.role === 'support').map(instRef),
    partners: mine.filter((i) => i.role === 'partner').map(instRef),
    sdg: tags.get(row.id) ?? [],
    children: list.filter((c) => c.parentId === row.id),
    actions: actions.map((a) => toAction(a, depts, day)),
    indicators: indicators.map(toIndicator),
  };
}

export interface HistoryEntry {
  kind: 'action' | 'measurement';
  id: number;
  itemId: number;
  itemTitle: Translated;
  cycle: string | null;
  period: string;
  version: number;
  status?: string;
  progress?: number;
  value?: number;
  unit?: Translated;
  note: string;
  correction: boolean;
  publishedAt: string;
  sample: boolean;
}

export interface EvidenceView {
  id: number; kind: string; title: string; url: string | null; visibility: string; fileName: string | null; mime: string | null; size: number | null;
  actionId: number | null; indicatorId: number | null; createdAt: string; pending: boolean;
}

const toEvidence = (e: any): EvidenceView => ({
  id: e.id, kind: e.kind, title: e.title, url: e.url, visibility: e.visibility, fileName: e.original_name ?? null, mime: e.mime ?? null, size: e.size ?? null,
  actionId: e.action_id, indicatorId: e.indicator_id, createdAt: e.created_at, pending: e.row_id !== null && e.row_state !== undefined && e.row_state !== 'published',
});

export interface CommitmentPageData {
  commitment: CommitmentDetail;
  series: Map<number, { period: string; periodEnd: string; value: number; sample: boolean }[]>;
  history: HistoryEntry[];
  evidence: EvidenceView[];
  decisions: { id: number; decidedOn: string; outcome: string; decision: string; measures: string; cycle: string }[];
  /** The reader may see internal evidence (OGP team, monitor, steering, the department). */
  internal: boolean;
  /** What other modules link to this commitment (documents, deliberations, proposals). */
  related: RelatedGroup[];
}

/** Everything the public commitment page shows. Internal evidence only for those who may read it. */
export async function commitmentPage(ctx: Ctx, planSlug: string, number: string): Promise<CommitmentPageData> {
  const scope = institutionsFor(ctx.actor, 'plans.read_internal');
  const key = `commitment|${planSlug}|${number}|${scope === null ? 'all' : scope.join(',')}`;
  return cachedRead(ctx, key, async () => {
    const c = await getCommitment(ctx, planSlug, number);
    const internal = scope === null || (c.lead !== null && scope.includes(c.lead.id));
    return commitmentPageData(ctx, c, internal);
  });
}

async function commitmentPageData(ctx: Ctx, c: CommitmentDetail, internal: boolean): Promise<CommitmentPageData> {
  const actionIds = c.actions.map((a) => a.id);
  const indicatorIds = c.indicators.map((i) => i.id);
  const [series, ah, mh, evidence, decisions, related] = await Promise.all([
    repo.measurementSeries(ctx.db, ctx.commune.id, indicatorIds),
    repo.actionHistory(ctx.db, ctx.commune.id, actionIds),
    repo.measurementHistory(ctx.db, ctx.commune.id, indicatorIds),
    repo.evidenceOf(ctx.db, ctx.commune.id, [c.id], internal),
    repo.decisionsAbout(ctx.db, ctx.commune.id, actionIds, indicatorIds),
    relatedTo(ctx, 'commitment', c.id),
  ]);
  const bySeries = new Map<number, { period: string; periodEnd: string; value: number; sample: boolean }[]>();
  for (const m of series) {
    const list = bySeries.get(m.indicator_id) ?? [];
    list.push({ period: m.period, periodEnd: m.period_end, value: Number(m.value), sample: !!m.sample });
    bySeries.set(m.indicator_id, list);
  }
  const actionTitle = new Map(c.actions.map((a) => [a.id, a.title]));
  const indicator = new Map(c.indicators.map((i) => [i.id, i]));
  const history: HistoryEntry[] = [
    ...ah.map((u): HistoryEntry => ({
      kind: 'action', id: u.id, itemId: u.action_id, itemTitle: actionTitle.get(u.action_id) ?? {}, cycle: u.cycle_code ?? null, period: u.cycle_code ?? u.period_end,
      version: u.version, status: u.status, progress: u.progress, note: u.note, correction: u.supersedes_id !== null, publishedAt: u.published_at, sample: !!u.sample,
    })),
    ...mh.map((m): HistoryEntry => ({
      kind: 'measurement', id: m.id, itemId: m.indicator_id, itemTitle: indicator.get(m.indicator_id)?.title ?? {}, cycle: m.cycle_code ?? null, period: m.period,
      version: m.version, value: Number(m.value), unit: indicator.get(m.indicator_id)?.unit, note: m.note, correction: m.supersedes_id !== null, publishedAt: m.published_at, sample: !!m.sample,
    })),
  ].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : b.id - a.id));
  return {
    commitment: c, series: bySeries, history, evidence: evidence.map(toEvidence),
    decisions: decisions.map((d) => ({ id: d.id, decidedOn: d.decided_on, outcome: d.outcome, decision: d.decision, measures: d.measures, cycle: d.cycle_code })),
    internal, related,
  };
}

// ---------- The public dashboard ----------

export interface DashboardFilters { department: string; sdg: string; status: string; value: string }

export const emptyFilters: DashboardFilters = { department: '', sdg: '', status: '', value: '' };

export function readFilters(q: unknown): DashboardFilters {
  const get = (k: string) => { const v = (q as Record<string, unknown> | undefined)?.[k]; return typeof v === 'string' ? v.trim().slice(0, 60) : ''; };
  const status = get('status');
  const value = get('value');
  const sdg = get('sdg');
  return {
    department: /^[a-z0-9-]*$/.test(get('department')) ? get('department') : '',
    sdg: /^\d{1,2}$/.test(sdg) ? sdg : '',
    status: (ACTION_STATUSES as readonly string[]).includes(status) ? status : '',
    value: (OGP_VALUES as readonly string[]).includes(value) ? value : '',
  };
}

export interface Dashboard {
  plan: PlanOverview;
  filters: DashboardFilters;
  filtered: boolean;
  options: { departments: InstitutionRef[]; goals: { code: number; title: Translated }[] };
  overall: number | null;
  completion: CompletionLevel;
  axes: { id: number; number: string; title: Translated; progress: number | null; sample: boolean }[];
  byDepartment: { institution: InstitutionRef; actions: number; progress: number | null; late: number }[];
  statusCounts: Record<string, number>;
  totals: { commitments: number; actions: number; late: number; indicators: number; indicatorsMet: number; indicatorsWithData: number };
  commitments: CommitmentSummary[];
  indicators: IndicatorView[];
  lastCycle: { code: string; publishedAt: string } | null;
  changes: { actionId: number; title: Translated; commitmentNumber: string; institution: InstitutionRef | null; before: { status: string; progress: number } | null; after: { status: string; progress: number }; sample: boolean }[];
  late: { actionId: number; title: Translated; commitmentNumber: string; institution: InstitutionRef | null; endDate: string; status: string; progress: number; sample: boolean }[];
}

export const DASHBOARD_LIST_LIMIT = 12;

/** The plan dashboard: progress overall, by axis and by department, statuses, indicators, changes, late items. Aggregated in SQL; a constant number of queries. */
export async function dashboard(ctx: Ctx, slug: string, filters: DashboardFilters): Promise<Dashboard> {
  return cachedRead(ctx, `dashboard|${slug}|${filters.department}|${filters.sdg}|${filters.status}|${filters.value}`, () => computeDashboard(ctx, slug, filters));
}

async function computeDashboard(ctx: Ctx, slug: string, filters: DashboardFilters): Promise<Dashboard> {
  const plan = await planOverview(ctx, slug);
  const planDb = await repo.findPlan(ctx.db, ctx.commune.id, slug);
  const rows = await repo.commitmentsOfPlan(ctx.db, ctx.commune.id, plan.id);
  const tree = buildTree(planDb!, rows);
  const ids = rows.map((r) => r.id);
  const day = today(ctx);
  const [insts, sdgRows, depts, goals, cycles] = await Promise.all([
    repo.commitmentInstitutions(ctx.db, ctx.commune.id, ids),
    repo.commitmentSdgs(ctx.db, ctx.commune.id, ids),
    departmentMap(ctx),
    repo.sdgGoals(ctx.db),
    repo.publishedCycles(ctx.db, ctx.commune.id, plan.id),
  ]);
  // Filters on commitments (SDG goal, OGP value) keep the tagged commitments and everything under them.
  let selected: Set<number> | null = null;
  if (filters.sdg) selected = descendantsOf(tree, sdgRows.filter((s) => String(s.goal) === filters.sdg).map((s) => s.commitment_id));
  if (filters.value) {
    const tagged = descendantsOf(tree, rows.filter((r) => parseJson<string[]>(r.ogp_values, []).includes(filters.value)).map((r) => r.id));
    selected = selected ? new Set([...selected].filter((id) => tagged.has(id))) : tagged;
  }
  const department = filters.department ? [...depts.values()].find((d) => d.slug === filters.department && d.kind === 'department') ?? null : null;
  const actionFilter = { commitmentIds: selected ? [...selected] : null, institutionId: department?.id ?? (filters.department ? -1 : null), status: filters.status || null };
  const lastCycle = cycles[0] ?? null;
  const [aggs, lateRows, indicatorRows, changeRows] = await Promise.all([
    repo.actionAggregates(ctx.db, ctx.commune.id, plan.id, day, actionFilter),
    repo.lateActions(ctx.db, ctx.commune.id, plan.id, day, actionFilter, DASHBOARD_LIST_LIMIT),
    repo.indicatorsWithLatest(ctx.db, ctx.commune.id, plan.id, { commitmentIds: actionFilter.commitmentIds, institutionId: actionFilter.institutionId }),
    lastCycle ? repo.changesOfCycle(ctx.db, ctx.commune.id, plan.id, lastCycle, actionFilter) : Promise.resolve([]),
  ]);
  const filtered = !!(filters.department || filters.sdg || filters.status || filters.value);
  // With filters, show the commitments that match and their ancestors (for context).
  let shown: Set<number> | undefined;
  if (filtered) {
    shown = new Set<number>();
    const withActions = new Set(aggs.map((a) => a.commitment_id));
    const withIndicators = new Set(indicatorRows.map((i) => i.commitment_id));
    for (const r of rows) {
      const inSelection = !selected || selected.has(r.id);
      const hasItems = withActions.has(r.id) || withIndicators.has(r.id) || (!filters.department && !filters.status);
      if (inSelection && hasItems) { shown.add(r.id); for (const a of ancestorsOf(tree, r.id)) shown.add(a); }
    }
  }
  const { list, progress, nodes } = summaries(tree, aggs, insts, sdgRows, shown);
  const overall = planProgress(nodes, progress);
  const statusCounts: Record<string, number> = Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0]));
  const byDept = new Map<number, { n: number; counted: number; sum: number; late: number }>();
  let actionsTotal = 0;
  let lateTotal = 0;
  for (const a of aggs) {
    const n = Number(a.n);
    statusCounts[a.status] = (statusCounts[a.status] ?? 0) + n;
    actionsTotal += n;
    lateTotal += Number(a.late);
    const d = byDept.get(a.institution_id) ?? { n: 0, counted: 0, sum: 0, late: 0 };
    d.n += n;
    d.late += Number(a.late);
    if (a.status !== 'cancelled') { d.counted += n; d.sum += Number(a.progress_sum); }
    byDept.set(a.institution_id, d);
  }
  const treeIndex = new Map(tree.ordered.map((o, i) => [o.id, i]));
  const indicators = indicatorRows.map(toIndicator).sort((a, b) => (treeIndex.get(a.commitmentId) ?? 0) - (treeIndex.get(b.commitmentId) ?? 0));
  return {
    plan, filters, filtered,
    options: {
      departments: [...depts.values()].filter((d) => d.kind === 'department'),
      goals: goals.filter((g) => sdgRows.some((s) => s.goal === g.code)).map((g) => ({ code: g.code, title: parseTranslated(g.title) })),
    },
    overall, completion: completionLevel(overall),
    axes: list.filter((c) => c.depth === 0).map((c) => ({ id: c.id, number: c.number, title: c.title, progress: c.progress, sample: c.sample })),
    byDepartment: [...byDept].map(([id, d]) => ({ institution: depts.get(id)!, actions: d.n, progress: d.counted ? d.sum / d.counted : null, late: d.late }))
      .filter((d) => d.institution).sort((a, b) => [...depts.keys()].indexOf(a.institution.id) - [...depts.keys()].indexOf(b.institution.id)),
    statusCounts,
    totals: {
      commitments: list.filter((c) => c.depth > 0).length, actions: actionsTotal, late: lateTotal, indicators: indicators.length,
      indicatorsMet: indicators.filter((i) => i.status.met).length, indicatorsWithData: indicators.filter((i) => i.latest).length,
    },
    commitments: list,
    indicators,
    lastCycle: lastCycle ? { code: lastCycle.code, publishedAt: lastCycle.last_published_at! } : null,
    changes: changeRows
      .filter((r) => r.before_status !== r.status || Number(r.before_progress ?? -1) !== r.progress)
      .map((r) => ({
        actionId: r.id, title: parseTranslated(r.title), commitmentNumber: r.commitment_number, institution: depts.get(r.institution_id) ?? null, sample: !!r.sample,
        before: r.before_status === null || r.before_status === undefined ? null : { status: r.before_status, progress: actionProgress(r.before_status, r.before_progress) },
        after: { status: r.status, progress: actionProgress(r.status, r.progress) },
      })),
    late: lateRows.map((r) => ({
      actionId: r.id, title: parseTranslated(r.title), commitmentNumber: r.commitment_number, institution: depts.get(r.institution_id) ?? null,
      endDate: r.end_date!, status: r.status, progress: actionProgress(r.status, r.progress), sample: !!r.sample,
    })),
  };
}

// ---------- Editing commitments, actions, indicators ----------

const decimal = (required: boolean) => z.preprocess((v) => {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  if (s.trim() === '') return required ? undefined : null;
  const n = parseDecimal(s);
  return n === null ? NaN : n;
}, required ? z.number({ error: (i) => (i.input === undefined ? 'errors.required' : 'errors.invalid') }) : z.number({ error: () => 'errors.invalid' }).nullable());

const idList = () => z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).map(String), z.array(z.string().regex(/^\d{1,9}$/)).max(50)).transform((a) => [...new Set(a.map(Number))]);
const valueList = () => z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).map(String), z.array(z.enum(OGP_VALUES)).max(4));

export const commitmentSchema = z.object({
  number: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1).max(20).regex(/^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/, { error: 'errors.format' })),
  parent_id: optionalInt(1),
  ...translatedFields('title', 300),
  ...translatedFields('problem', 5000, false),
  ...translatedFields('description', 5000, false),
  ...translatedFields('budget_note', 1000, false),
  ogp_values: valueList(),
  lead_id: optionalInt(1),
  support_ids: idList(),
  partner_ids: idList(),
  start_date: optionalDate(),
  end_date: optionalDate(),
  weight: decimal(false),
  sdg: optionalText(300),
  sort: optionalInt(0, 10000),
  sample: checkbox(),
});

/** Parses "16, 16.6, 11.1.1" against the reference: goals 1–17, SDG targets, the commune's local targets. */
async function parseSdgCodes(ctx: Ctx, db: AnyDB, input: string): Promise<{ goal: number; target: string | null }[]> {
  const tokens = input.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (tokens.length === 0) return [];
  if (tokens.length > 30) throw new RuleError('plans.form.sdgTooMany', {}, 'sdg');
  const [targets, locals] = await Promise.all([repo.sdgTargets(db, ctx.commune.id), repo.localTargets(db, ctx.commune.id)]);
  const targetSet = new Set(targets.map((t) => t.code));
  const localBy = new Map(locals.map((l) => [l.code.toLowerCase(), l]));
  const out: { goal: number; target: string | null }[] = [];
  for (const tok of tokens) {
    if (/^\d{1,2}$/.test(tok) && Number(tok) >= 1 && Number(tok) <= 17) out.push({ goal: Number(tok), target: null });
    else if (targetSet.has(tok)) out.push({ goal: Number(tok.split('.')[0]), target: tok });
    else if (localBy.has(tok)) out.push({ goal: Number(tok.split('.')[0]), target: localBy.get(tok)!.code });
    else throw new RuleError('plans.form.sdgUnknown', { code: tok }, 'sdg');
  }
  const seen = new Set<string>();
  return out.filter((s) => { const k = `${s.goal}/${s.target}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

export interface CommitmentInput {
  number: string; parentId: number | null; title: Translated; problem?: Translated; description?: Translated; budgetNote?: Translated;
  ogpValues?: OgpValue[]; leadId?: number | null; supportIds?: number[]; partnerIds?: number[]; startDate?: string | null; endDate?: string | null;
  weight?: number | null; sdg?: string; sort?: number; sample?: boolean;
}

function commitmentFromForm(d: z.output<typeof commitmentSchema>): CommitmentInput {
  return {
    number: d.number, parentId: d.parent_id, title: collectTranslated(d, 'title'), problem: collectTranslated(d, 'problem'), description: collectTranslated(d, 'description'),
    budgetNote: collectTranslated(d, 'budget_note'), ogpValues: d.ogp_values, leadId: d.lead_id, supportIds: d.support_ids, partnerIds: d.partner_ids,
    startDate: d.start_date, endDate: d.end_date, weight: d.weight, sdg: d.sdg, sort: d.sort ?? undefined, sample: d.sample,
  };
}

async function writeCommitmentLinks(ctx: Ctx, trx: AnyDB, id: number, c: CommitmentInput, sdg: { goal: number; target: string | null }[]) {
  const db = adb(trx);
  const insts = await repo.departments(trx, ctx.commune.id, ['department', 'operator', 'civil_society', 'monitor', 'other']);
  const kinds = new Map(insts.map((i) => [i.id, i.kind]));
  if (c.leadId && kinds.get(c.leadId) !== 'department') throw new RuleError('plans.form.leadDepartment', {}, 'lead_id');
  for (const i of [...(c.supportIds ?? []), ...(c.partnerIds ?? [])]) if (!kinds.has(i)) throw new RuleError('errors.choice', {}, 'support_ids');
  await db.deleteFrom('commitment_institutions').where('commune_id', '=', ctx.commune.id).where('commitment_id', '=', id).execute();
  const links = [
    ...(c.leadId ? [{ institution_id: c.leadId, role: 'lead' }] : []),
    ...(c.supportIds ?? []).map((i) => ({ institution_id: i, role: 'support' })),
    ...(c.partnerIds ?? []).map((i) => ({ institution_id: i, role: 'partner' })),
  ];
  if (links.length) await db.insertInto('commitment_institutions').values(links.map((l) => ({ commune_id: ctx.commune.id, commitment_id: id, ...l }))).execute();
  await db.deleteFrom('commitment_sdgs').where('commune_id', '=', ctx.commune.id).where('commitment_id', '=', id).execute();
  if (sdg.length) await db.insertInto('commitment_sdgs').values(sdg.map((s) => ({ commune_id: ctx.commune.id, commitment_id: id, goal: s.goal, target: s.target }))).execute();
}

function checkDates(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && end < start) throw new RuleError('plans.form.dateOrder', {}, 'end_date');
}

async function checkParent(ctx: Ctx, trx: AnyDB, planId: number, parentId: number | null, selfId: number | null) {
  if (parentId === null) return;
  const rows = await repo.commitmentsOfPlan(trx, ctx.commune.id, planId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (!byId.has(parentId)) throw new RuleError('errors.choice', {}, 'parent_id');
  // A commitment cannot move under itself or one of its descendants.
  let cur: number | null = parentId;
  for (let i = 0; cur !== null && i < 70; i++) {
    if (cur === selfId) throw new RuleError('plans.form.parentCycle', {}, 'parent_id');
    cur = byId.get(cur)?.parent_id ?? null;
  }
}

export async function createCommitment(ctx: Ctx, planSlug: string, c: CommitmentInput): Promise<number> {
  checkDates(c.startDate, c.endDate);
  return mutate(ctx, { permission: 'plans.manage', action: 'commitment.create', entity: 'commitment' }, async (trx) => {
    const plan = await repo.findPlan(trx, ctx.commune.id, planSlug);
    if (!plan) throw new NotFoundError();
    if (await repo.findCommitmentByNumber(trx, ctx.commune.id, plan.id, c.number)) throw new RuleError('plans.form.numberTaken', {}, 'number');
    await checkParent(ctx, trx, plan.id, c.parentId, null);
    const sdg = await parseSdgCodes(ctx, trx, c.sdg ?? '');
    const { id } = await adb(trx).insertInto('commitments').values({
      commune_id: ctx.commune.id, plan_id: plan.id, parent_id: c.parentId, number: c.number, title: JSON.stringify(c.title),
      description: JSON.stringify(c.description ?? {}), problem: JSON.stringify(c.problem ?? {}), budget_note: JSON.stringify(c.budgetNote ?? {}),
      ogp_values: JSON.stringify(c.ogpValues ?? []), start_date: c.startDate ?? null, end_date: c.endDate ?? null, weight: c.weight ?? null,
      sort: c.sort ?? 0, sample: c.sample ? 1 : 0,
    }).returning('id').executeTakeFirstOrThrow();
    await writeCommitmentLinks(ctx, trx, id, c, sdg);
    await indexCommitments(trx, ctx.commune.id, { commitmentIds: [id] });
    return { result: id, entityId: id, after: { plan: planSlug, ...c } };
  });
}

export async function createCommitmentFromForm(ctx: Ctx, planSlug: string, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  return createCommitment(ctx, planSlug, commitmentFromForm(parseInput(commitmentSchema, input)));
}

export async function updateCommitment(ctx: Ctx, planSlug: string, id: number, input: unknown): Promise<void> {
  authorize(ctx, 'plans.manage');
  await checkInPlan(ctx, planSlug, id);
  const c = commitmentFromForm(parseInput(commitmentSchema, input));
  checkDates(c.startDate, c.endDate);
  await mutate(ctx, { permission: 'plans.manage', action: 'commitment.update', entity: 'commitment' }, async (trx) => {
    const before = await repo.findCommitment(trx, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    const other = await repo.findCommitmentByNumber(trx, ctx.commune.id, before.plan_id, c.number);
    if (other && other.id !== id) throw new RuleError('plans.form.numberTaken', {}, 'number');
    await checkParent(ctx, trx, before.plan_id, c.parentId, id);
    const sdg = await parseSdgCodes(ctx, trx, c.sdg ?? '');
    await adb(trx).updateTable('commitments').set({
      parent_id: c.parentId, number: c.number, title: JSON.stringify(c.title), description: JSON.stringify(c.description ?? {}),
      problem: JSON.stringify(c.problem ?? {}), budget_note: JSON.stringify(c.budgetNote ?? {}), ogp_values: JSON.stringify(c.ogpValues ?? []),
      start_date: c.startDate ?? null, end_date: c.endDate ?? null, weight: c.weight ?? null, sort: c.sort ?? before.sort, sample: c.sample ? 1 : 0,
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await writeCommitmentLinks(ctx, trx, id, c, sdg);
    await indexCommitments(trx, ctx.commune.id, { commitmentIds: [id] });
    return { result: undefined, entityId: id, before, after: c };
  });
}

/** A commitment as its edit form shows it. */
export async function commitmentForEdit(ctx: Ctx, planSlug: string, id: number) {
  authorize(ctx, 'plans.read_internal');
  const plan = await planRow(ctx, planSlug);
  const c = await repo.findCommitment(ctx.db, ctx.commune.id, id);
  if (!c || c.plan_id !== plan.id) throw new NotFoundError();
  const [insts, sdgs, actions, indicators] = await Promise.all([
    repo.commitmentInstitutions(ctx.db, ctx.commune.id, [id]),
    repo.commitmentSdgs(ctx.db, ctx.commune.id, [id]),
    repo.actionsWithFigures(ctx.db, ctx.commune.id, plan.id, [id]),
    repo.indicatorsWithLatest(ctx.db, ctx.commune.id, plan.id, { commitmentIds: [id] }),
  ]);
  const actionIds = actions.map((a) => a.id);
  const indicatorIds = indicators.map((i) => i.id);
  const [actionHistory, measurementHistory, evidence] = await Promise.all([
    repo.actionHistory(ctx.db, ctx.commune.id, actionIds),
    repo.measurementHistory(ctx.db, ctx.commune.id, indicatorIds),
    repo.evidenceOf(ctx.db, ctx.commune.id, [id], true),
  ]);
  // Internal evidence as on the public page and the download: department staff see their own department's
  // commitments' only (the lead's); others see what the public sees.
  const scope = institutionsFor(ctx.actor, 'plans.read_internal');
  const lead = insts.find((i) => i.role === 'lead')?.id;
  const internal = scope === null || (lead !== undefined && scope.includes(lead));
  const visible = (e: { visibility: string; row_id: number | null; row_state: string | null }) =>
    internal || (e.visibility === 'public' && (e.row_id === null || e.row_state === 'published'));
  const t = (s: string) => parseTranslated(s);
  const values: Record<string, unknown> = {
    number: c.number, parent_id: c.parent_id === null ? '' : String(c.parent_id), sort: String(c.sort), sample: c.sample ? '1' : '',
    start_date: c.start_date ?? '', end_date: c.end_date ?? '', weight: c.weight === null ? '' : String(c.weight),
    ogp_values: parseJson<string[]>(c.ogp_values, []),
    lead_id: String(insts.find((i) => i.role === 'lead')?.id ?? ''),
    support_ids: insts.filter((i) => i.role === 'support').map((i) => String(i.id)),
    partner_ids: insts.filter((i) => i.role === 'partner').map((i) => String(i.id)),
    sdg: sdgs.map((s) => s.target ?? String(s.goal)).join(', '),
  };
  for (const [name, col] of [['title', c.title], ['problem', c.problem], ['description', c.description], ['budget_note', c.budget_note]] as const) {
    for (const l of ['fr', 'ar', 'en'] as const) values[`${name}_${l}`] = t(col)[l] ?? '';
  }
  return {
    id: c.id, number: c.number, title: t(c.title), values, planSlug,
    actions: actions.map((a) => ({ id: a.id, title: t(a.title), status: a.status, progress: actionProgress(a.status, a.progress), institutionId: a.institution_id, sample: !!a.sample })),
    indicators: indicators.map((i) => ({ id: i.id, title: t(i.title), kind: i.kind, sample: !!i.sample })),
    actionHistory, measurementHistory, evidence: evidence.filter(visible).map(toEvidence),
    actionTitles: new Map(actions.map((a) => [a.id, t(a.title)])),
    indicatorTitles: new Map(indicators.map((i) => [i.id, t(i.title)])),
  };
}

export const actionSchema = z.object({
  ...translatedFields('title', 300),
  ...translatedFields('expected_result', 2000, false),
  institution_id: int(1),
  start_date: optionalDate(),
  end_date: optionalDate(),
  sort: optionalInt(0, 10000),
  sample: checkbox(),
});

async function checkDepartment(ctx: Ctx, db: AnyDB, institutionId: number, field: string) {
  const d = await repo.departments(db, ctx.commune.id, ['department']);
  if (!d.some((x) => x.id === institutionId)) throw new RuleError('plans.form.mustBeDepartment', {}, field);
}

export interface ActionInput { title: Translated; expectedResult?: Translated; institutionId: number; startDate?: string | null; endDate?: string | null; sort?: number; sample?: boolean }

export async function createAction(ctx: Ctx, commitmentId: number, a: ActionInput): Promise<number> {
  checkDates(a.startDate, a.endDate);
  return mutate(ctx, { permission: 'plans.manage', action: 'action.create', entity: 'action' }, async (trx) => {
    if (!(await repo.findCommitment(trx, ctx.commune.id, commitmentId))) throw new NotFoundError();
    await checkDepartment(ctx, trx, a.institutionId, 'institution_id');
    const { id } = await adb(trx).insertInto('actions').values({
      commune_id: ctx.commune.id, commitment_id: commitmentId, institution_id: a.institutionId, title: JSON.stringify(a.title),
      expected_result: JSON.stringify(a.expectedResult ?? {}), start_date: a.startDate ?? null, end_date: a.endDate ?? null,
      sort: a.sort ?? 0, sample: a.sample ? 1 : 0, created_at: iso(ctx.clock.now()),
    }).returning('id').executeTakeFirstOrThrow();
    await indexCommitments(trx, ctx.commune.id, { actionIds: [id] });
    return { result: id, entityId: id, after: { commitmentId, ...a } };
  });
}

const actionFromForm = (d: z.output<typeof actionSchema>): ActionInput => ({
  title: collectTranslated(d, 'title'), expectedResult: collectTranslated(d, 'expected_result'), institutionId: d.institution_id,
  startDate: d.start_date, endDate: d.end_date, sort: d.sort ?? undefined, sample: d.sample,
});

export async function createActionFromForm(ctx: Ctx, planSlug: string, commitmentId: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  await checkInPlan(ctx, planSlug, commitmentId);
  return createAction(ctx, commitmentId, actionFromForm(parseInput(actionSchema, input)));
}

export async function updateAction(ctx: Ctx, planSlug: string, id: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  await checkInPlan(ctx, planSlug, await repo.commitmentIdOf(ctx.db, ctx.commune.id, 'actions', id));
  const a = actionFromForm(parseInput(actionSchema, input));
  checkDates(a.startDate, a.endDate);
  return mutate(ctx, { permission: 'plans.manage', action: 'action.update', entity: 'action' }, async (trx) => {
    const before = await adb(trx).selectFrom('actions').selectAll().where('commune_id', '=', ctx.commune.id).where('id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError();
    await checkDepartment(ctx, trx, a.institutionId, 'institution_id');
    await adb(trx).updateTable('actions').set({
      title: JSON.stringify(a.title), expected_result: JSON.stringify(a.expectedResult ?? {}), institution_id: a.institutionId,
      start_date: a.startDate ?? null, end_date: a.endDate ?? null, sort: a.sort ?? before.sort, sample: a.sample ? 1 : 0,
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    // Rows of open cycles follow the action to its new department.
    await adb(trx).updateTable('matrix_rows').set({ institution_id: a.institutionId })
      .where('commune_id', '=', ctx.commune.id).where('action_id', '=', id).where('state', 'in', ['pending', 'returned']).execute();
    await indexCommitments(trx, ctx.commune.id, { actionIds: [id] });
    return { result: before.commitment_id, entityId: id, before, after: a };
  });
}

export async function actionForEdit(ctx: Ctx, planSlug: string, id: number) {
  authorize(ctx, 'plans.read_internal');
  const plan = await planRow(ctx, planSlug);
  const a = await adb(ctx.db).selectFrom('actions as a')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'a.commitment_id').onRef('c.commune_id', '=', 'a.commune_id'))
    .select(['a.id', 'a.commitment_id', 'a.institution_id', 'a.title', 'a.expected_result', 'a.start_date', 'a.end_date', 'a.sort', 'a.sample', 'c.number', 'c.title as commitment_title', 'c.plan_id'])
    .where('a.commune_id', '=', ctx.commune.id).where('a.id', '=', id).executeTakeFirst();
  if (!a || a.plan_id !== plan.id) throw new NotFoundError();
  const values: Record<string, unknown> = {
    institution_id: String(a.institution_id), start_date: a.start_date ?? '', end_date: a.end_date ?? '', sort: String(a.sort), sample: a.sample ? '1' : '',
  };
  for (const l of ['fr', 'ar', 'en'] as const) {
    values[`title_${l}`] = parseTranslated(a.title)[l] ?? '';
    values[`expected_result_${l}`] = parseTranslated(a.expected_result)[l] ?? '';
  }
  return { id: a.id, commitmentId: a.commitment_id, commitmentNumber: a.number, commitmentTitle: parseTranslated(a.commitment_title), title: parseTranslated(a.title), values };
}

export const indicatorSchema = z.object({
  kind: oneOf(INDICATOR_KINDS),
  ...translatedFields('title', 300),
  ...translatedFields('definition', 2000, false),
  ...translatedFields('unit', 60, false),
  direction: oneOf(DIRECTIONS),
  baseline_value: decimal(false),
  baseline_date: optionalDate(),
  target_value: decimal(false),
  target_date: optionalDate(),
  ...translatedFields('source', 500, false),
  frequency: oneOf(FREQUENCIES),
  institution_id: int(1),
  sort: optionalInt(0, 10000),
  sample: checkbox(),
});

export interface IndicatorInput {
  kind: string; title: Translated; definition?: Translated; unit?: Translated; direction: string;
  baselineValue?: number | null; baselineDate?: string | null; targetValue?: number | null; targetDate?: string | null;
  source?: Translated; frequency: string; institutionId: number; sort?: number; sample?: boolean;
}

const indicatorFromForm = (d: z.output<typeof indicatorSchema>): IndicatorInput => ({
  kind: d.kind, title: collectTranslated(d, 'title'), definition: collectTranslated(d, 'definition'), unit: collectTranslated(d, 'unit'), direction: d.direction,
  baselineValue: d.baseline_value, baselineDate: d.baseline_date, targetValue: d.target_value, targetDate: d.target_date,
  source: collectTranslated(d, 'source'), frequency: d.frequency, institutionId: d.institution_id, sort: d.sort ?? undefined, sample: d.sample,
});

function indicatorColumns(i: IndicatorInput) {
  return {
    kind: i.kind, title: JSON.stringify(i.title), definition: JSON.stringify(i.definition ?? {}), unit: JSON.stringify(i.unit ?? {}), direction: i.direction,
    baseline_value: i.baselineValue ?? null, baseline_date: i.baselineDate ?? null, target_value: i.targetValue ?? null, target_date: i.targetDate ?? null,
    source: JSON.stringify(i.source ?? {}), frequency: i.frequency, institution_id: i.institutionId, sample: i.sample ? 1 : 0,
  };
}

export async function createIndicator(ctx: Ctx, commitmentId: number, i: IndicatorInput): Promise<number> {
  return mutate(ctx, { permission: 'plans.manage', action: 'indicator.create', entity: 'indicator' }, async (trx) => {
    if (!(await repo.findCommitment(trx, ctx.commune.id, commitmentId))) throw new NotFoundError();
    await checkDepartment(ctx, trx, i.institutionId, 'institution_id');
    const { id } = await adb(trx).insertInto('indicators').values({
      commune_id: ctx.commune.id, commitment_id: commitmentId, ...indicatorColumns(i), sort: i.sort ?? 0, created_at: iso(ctx.clock.now()),
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, after: { commitmentId, ...i } };
  });
}

export async function createIndicatorFromForm(ctx: Ctx, planSlug: string, commitmentId: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  await checkInPlan(ctx, planSlug, commitmentId);
  return createIndicator(ctx, commitmentId, indicatorFromForm(parseInput(indicatorSchema, input)));
}

export async function updateIndicator(ctx: Ctx, planSlug: string, id: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  await checkInPlan(ctx, planSlug, await repo.commitmentIdOf(ctx.db, ctx.commune.id, 'indicators', id));
  const i = indicatorFromForm(parseInput(indicatorSchema, input));
  return mutate(ctx, { permission: 'plans.manage', action: 'indicator.update', entity: 'indicator' }, async (trx) => {
    const before = await adb(trx).selectFrom('indicators').selectAll().where('commune_id', '=', ctx.commune.id).where('id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError();
    await checkDepartment(ctx, trx, i.institutionId, 'institution_id');
    await adb(trx).updateTable('indicators').set({ ...indicatorColumns(i), sort: i.sort ?? before.sort }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await adb(trx).updateTable('matrix_rows').set({ institution_id: i.institutionId })
      .where('commune_id', '=', ctx.commune.id).where('indicator_id', '=', id).where('state', 'in', ['pending', 'returned']).execute();
    return { result: before.commitment_id, entityId: id, before, after: i };
  });
}

export async function indicatorForEdit(ctx: Ctx, planSlug: string, id: number) {
  authorize(ctx, 'plans.read_internal');
  const plan = await planRow(ctx, planSlug);
  const i = await adb(ctx.db).selectFrom('indicators as i')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'i.commitment_id').onRef('c.commune_id', '=', 'i.commune_id'))
    .select(['i.id', 'i.commitment_id', 'i.institution_id', 'i.kind', 'i.title', 'i.definition', 'i.unit', 'i.direction', 'i.baseline_value', 'i.baseline_date',
      'i.target_value', 'i.target_date', 'i.source', 'i.frequency', 'i.sort', 'i.sample', 'c.number', 'c.title as commitment_title', 'c.plan_id'])
    .where('i.commune_id', '=', ctx.commune.id).where('i.id', '=', id).executeTakeFirst();
  if (!i || i.plan_id !== plan.id) throw new NotFoundError();
  const values: Record<string, unknown> = {
    kind: i.kind, direction: i.direction, frequency: i.frequency, institution_id: String(i.institution_id),
    baseline_value: i.baseline_value ?? '', baseline_date: i.baseline_date ?? '', target_value: i.target_value ?? '', target_date: i.target_date ?? '',
    sort: String(i.sort), sample: i.sample ? '1' : '',
  };
  for (const [name, col] of [['title', i.title], ['definition', i.definition], ['unit', i.unit], ['source', i.source]] as const) {
    for (const l of ['fr', 'ar', 'en'] as const) values[`${name}_${l}`] = parseTranslated(col)[l] ?? '';
  }
  return { id: i.id, commitmentId: i.commitment_id, commitmentNumber: i.number, commitmentTitle: parseTranslated(i.commitment_title), title: parseTranslated(i.title), values };
}

/** What the admin forms need to offer: departments, every institution, the plan's commitments. */
export async function formChoices(ctx: Ctx, planSlug: string) {
  authorize(ctx, 'plans.read_internal');
  const plan = await planRow(ctx, planSlug);
  const [insts, commitments] = await Promise.all([
    repo.departments(ctx.db, ctx.commune.id, ['department', 'operator', 'civil_society', 'monitor', 'other']),
    repo.commitmentsOfPlan(ctx.db, ctx.commune.id, plan.id),
  ]);
  const tree = buildTree(plan, commitments);
  return {
    departments: insts.filter((i) => i.kind === 'department').map(instRef),
    institutions: insts.map(instRef),
    commitments: tree.ordered.map(({ id, depth }) => ({ id, depth, number: tree.byId.get(id)!.number, title: parseTranslated(tree.byId.get(id)!.title) })),
  };
}

// ---------- SDG reference: target texts and local targets ----------

export async function sdgReference(ctx: Ctx) {
  const [goals, targets, locals] = await Promise.all([repo.sdgGoals(ctx.db), repo.sdgTargets(ctx.db, ctx.commune.id), repo.localTargets(ctx.db, ctx.commune.id)]);
  const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return {
    goals: goals.map((g) => ({ code: g.code, color: g.color, title: parseTranslated(g.title) })),
    targets: targets.map((t) => ({ code: t.code, goal: t.goal, text: parseTranslated(t.text) })).sort((a, b) => natural(a.code, b.code)),
    locals: locals.map((l) => ({ id: l.id, code: l.code, targetCode: l.target_code, title: parseTranslated(l.title), sample: !!l.sample })),
  };
}

export const localTargetSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''), z.string().min(1).max(20).regex(/^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,3}$/, { error: 'errors.format' })),
  ...translatedFields('title', 500),
  sample: checkbox(),
});

/** Adds a local target (11.1.1) under an SDG target (11.1). */
export async function addLocalTarget(ctx: Ctx, input: unknown): Promise<number> {
  authorize(ctx, 'plans.manage');
  const d = parseInput(localTargetSchema, input);
  const parent = d.code.split('.').slice(0, 2).join('.');
  return mutate(ctx, { permission: 'plans.manage', action: 'local_target.create', entity: 'local_target' }, async (trx) => {
    const targets = await repo.sdgTargets(trx, ctx.commune.id);
    if (!targets.some((t) => t.code === parent)) throw new RuleError('plans.form.sdgUnknown', { code: parent }, 'code');
    if ((await repo.localTargets(trx, ctx.commune.id)).some((l) => l.code === d.code)) throw new RuleError('plans.form.numberTaken', {}, 'code');
    const { id } = await adb(trx).insertInto('local_targets').values({ commune_id: ctx.commune.id, code: d.code, target_code: parent, title: JSON.stringify(collectTranslated(d, 'title')), sample: d.sample ? 1 : 0 })
      .returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: d.code, after: { code: d.code, title: collectTranslated(d, 'title') } };
  });
}

export const targetTextSchema = z.object({
  target: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''), z.string().min(1).max(10)),
  ...translatedFields('text', 1000),
});

/** Types the commune's text of an SDG target (the reference ships codes only); other communes keep theirs. */
export async function setTargetText(ctx: Ctx, input: unknown): Promise<void> {
  authorize(ctx, 'plans.reference');
  const d = parseInput(targetTextSchema, input);
  await mutate(ctx, { permission: 'plans.reference', action: 'sdg_target.text', entity: 'sdg_target' }, async (trx) => {
    const before = (await repo.sdgTargets(trx, ctx.commune.id)).find((t) => t.code === d.target);
    if (!before) throw new RuleError('plans.form.sdgUnknown', { code: d.target }, 'target');
    // The commune's own text: the reference (shared by every commune of the instance) is never written.
    const text = JSON.stringify(collectTranslated(d, 'text'));
    await adb(trx).insertInto('sdg_target_texts').values({ commune_id: ctx.commune.id, code: d.target, text })
      .onConflict((oc) => oc.columns(['commune_id', 'code']).doUpdateSet({ text })).execute();
    return { result: undefined, entityId: d.target, before: before.text, after: collectTranslated(d, 'text') };
  });
}

// ---------- Evidence ----------

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export const evidenceSchema = z.object({
  evidence_title: optionalText(200),
  evidence_url: optionalText(1000),
  evidence_visibility: oneOf(VISIBILITIES),
});

export interface EvidenceTarget { commitmentId: number; actionId?: number | null; indicatorId?: number | null; measurementId?: number | null; rowId?: number | null }

/**
 * Attaches a file or a link, inside the caller's transaction (the mutation that checked the
 * permission). Returns null when the form carried neither.
 */
export async function insertEvidence(ctx: Ctx, trx: AnyDB, target: EvidenceTarget, input: { title: string; url: string; visibility: string; upload?: Upload | null }): Promise<number | null> {
  const upload = input.upload ?? null;
  const url = input.url.trim();
  if (!upload && !url) {
    if (input.title.trim()) throw new RuleError('plans.evidence.missing', {}, 'evidence_file');
    return null;
  }
  if (upload && url) throw new RuleError('plans.evidence.both', {}, 'evidence_url');
  let fileId: number | null = null;
  let title = input.title.trim();
  if (upload) {
    const prepared = checkFile(upload, { allowed: DOCUMENT_KINDS, maxBytes: MAX_EVIDENCE_BYTES, field: 'evidence_file' });
    const stored = await writeFile(trx, ctx.config.dataDir, ctx.commune.id, prepared, ctx.actor?.userId || null, ctx.clock.now());
    fileId = stored.id;
    title ||= stored.originalName;
  } else {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(url).protocol); } catch { ok = false; }
    if (!ok) throw new RuleError('plans.evidence.badUrl', {}, 'evidence_url');
    title ||= url;
  }
  const { id } = await adb(trx).insertInto('evidence').values({
    commune_id: ctx.commune.id, commitment_id: target.commitmentId, action_id: target.actionId ?? null, indicator_id: target.indicatorId ?? null,
    measurement_id: target.measurementId ?? null, row_id: target.rowId ?? null, kind: upload ? 'file' : 'link', file_id: fileId, url: upload ? null : url,
    title, visibility: input.visibility, created_by: ctx.actor?.userId || null, created_at: iso(ctx.clock.now()),
  }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The OGP team attaches evidence to a commitment (or one of its actions or indicators). */
export async function addCommitmentEvidence(ctx: Ctx, planSlug: string, commitmentId: number, input: unknown, upload: Upload | null): Promise<number> {
  authorize(ctx, 'plans.manage');
  const d = parseInput(evidenceSchema.extend({ target: optionalText(40) }), input);
  const plan = await planRow(ctx, planSlug);
  const c = await repo.findCommitment(ctx.db, ctx.commune.id, commitmentId);
  if (!c || c.plan_id !== plan.id) throw new NotFoundError();
  let actionId: number | null = null;
  let indicatorId: number | null = null;
  const m = /^(a|i):(\d{1,9})$/.exec(d.target);
  if (m) {
    const list = m[1] === 'a' ? await repo.actionsWithFigures(ctx.db, ctx.commune.id, plan.id, [commitmentId]) : await repo.indicatorsWithLatest(ctx.db, ctx.commune.id, plan.id, { commitmentIds: [commitmentId] });
    if (!list.some((x) => x.id === Number(m[2]))) throw new RuleError('errors.choice', {}, 'target');
    if (m[1] === 'a') actionId = Number(m[2]); else indicatorId = Number(m[2]);
  } else if (d.target) throw new RuleError('errors.choice', {}, 'target');
  return mutate(ctx, { permission: 'plans.manage', action: 'evidence.add', entity: 'evidence' }, async (trx) => {
    const id = await insertEvidence(ctx, trx, { commitmentId, actionId, indicatorId }, { title: d.evidence_title, url: d.evidence_url, visibility: d.evidence_visibility, upload });
    if (id === null) throw new RuleError('plans.evidence.missing', {}, 'evidence_file');
    return { result: id, entityId: id, after: { commitmentId, actionId, indicatorId, title: d.evidence_title, visibility: d.evidence_visibility } };
  });
}

/**
 * A piece of evidence for download. Public evidence (once its row is published) is open to all;
 * internal evidence to the OGP team, the steering committee, the monitor and the owning
 * department. Anyone else gets "not found", so internal evidence does not reveal it exists.
 */
export async function evidenceForDownload(ctx: Ctx, planSlug: string, id: number) {
  const e = await repo.findEvidence(ctx.db, ctx.commune.id, id);
  if (!e || e.plan_slug !== planSlug) throw new NotFoundError();
  const open = e.visibility === 'public' && (e.row_id === null || e.row_state === 'published');
  if (!open) {
    const scope = institutionsFor(ctx.actor, 'plans.read_internal');
    if (!(scope === null || (e.owner_id !== null && scope.includes(e.owner_id)))) throw new NotFoundError();
  }
  return e;
}
