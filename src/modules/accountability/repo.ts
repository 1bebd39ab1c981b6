import { sql, type Kysely } from 'kysely';
import type { AnyDB } from '../../core/db/index.ts';
import type { CoreTables } from '../../core/db/tables.ts';
import type { AccountabilityTables } from './schema.ts';

/** The only file of the module with SQL. Public reads use explicit column lists. */
export type ADB = Kysely<CoreTables & AccountabilityTables>;
export const adb = (db: AnyDB | Kysely<CoreTables>): ADB => (db as Kysely<CoreTables>).withTables<AccountabilityTables>();

const planColumns = ['id', 'slug', 'kind', 'title', 'period_start', 'period_end', 'submitted_on', 'vision', 'guidelines', 'objectives', 'cocreation', 'status'] as const;

export function findPlan(db: AnyDB, communeId: number, slug: string) {
  return adb(db).selectFrom('plans').select([...planColumns]).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

export function findPlanById(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('plans').select([...planColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function listPlans(db: AnyDB, communeId: number) {
  return adb(db).selectFrom('plans').select([...planColumns]).where('commune_id', '=', communeId).orderBy('period_start', 'desc').orderBy('id').execute();
}

export function topCommitments(db: AnyDB, communeId: number, planId: number) {
  return adb(db).selectFrom('commitments').select(['id', 'number', 'title', 'description', 'sample'])
    .where('commune_id', '=', communeId).where('plan_id', '=', planId).where('parent_id', 'is', null).orderBy('sort').orderBy('id').execute();
}

export function planInstitutions(db: AnyDB, communeId: number, planId: number) {
  return adb(db).selectFrom('plan_institutions as p')
    .innerJoin('institutions as i', (j) => j.onRef('i.id', '=', 'p.institution_id').onRef('i.commune_id', '=', 'p.commune_id'))
    .select(['i.id', 'i.slug', 'i.name', 'i.kind', 'p.role']).where('p.commune_id', '=', communeId).where('p.plan_id', '=', planId).orderBy('i.sort').execute();
}

// ---------- Commitments ----------

const commitmentColumns = ['c.id', 'c.plan_id', 'c.parent_id', 'c.number', 'c.title', 'c.description', 'c.problem', 'c.ogp_values', 'c.start_date', 'c.end_date', 'c.budget_note', 'c.weight', 'c.sort', 'c.sample'] as const;

export function commitmentsOfPlan(db: AnyDB, communeId: number, planId: number) {
  return adb(db).selectFrom('commitments as c').select([...commitmentColumns])
    .where('c.commune_id', '=', communeId).where('c.plan_id', '=', planId).orderBy('c.sort').orderBy('c.id').execute();
}

export function findCommitment(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('commitments as c').select([...commitmentColumns]).where('c.commune_id', '=', communeId).where('c.id', '=', id).executeTakeFirst();
}

/** A commitment's number and title with its plan's slug (what a comment on it links to). */
export function commitmentWithPlan(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('commitments as c')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['c.id', 'c.number', 'c.title', 'p.slug']).where('c.commune_id', '=', communeId).where('c.id', '=', id).executeTakeFirst();
}

/** The commitment an action or an indicator belongs to. */
export async function commitmentIdOf(db: AnyDB, communeId: number, table: 'actions' | 'indicators', id: number): Promise<number | undefined> {
  return (await adb(db).selectFrom(table).select('commitment_id').where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst())?.commitment_id;
}

export function findCommitmentByNumber(db: AnyDB, communeId: number, planId: number, number: string) {
  return adb(db).selectFrom('commitments as c').select([...commitmentColumns])
    .where('c.commune_id', '=', communeId).where('c.plan_id', '=', planId).where('c.number', '=', number).executeTakeFirst();
}

/** Institutions linked to the commitments of a plan (lead, support, partner), names included. */
export function commitmentInstitutions(db: AnyDB, communeId: number, commitmentIds: number[]) {
  if (commitmentIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('commitment_institutions as ci')
    .innerJoin('institutions as i', (j) => j.onRef('i.id', '=', 'ci.institution_id').onRef('i.commune_id', '=', 'ci.commune_id'))
    .select(['ci.commitment_id', 'ci.role', 'i.id', 'i.slug', 'i.name', 'i.kind'])
    .where('ci.commune_id', '=', communeId).where('ci.commitment_id', 'in', commitmentIds).orderBy('i.sort').orderBy('i.id').execute();
}

export function commitmentSdgs(db: AnyDB, communeId: number, commitmentIds: number[]) {
  if (commitmentIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('commitment_sdgs').select(['commitment_id', 'goal', 'target'])
    .where('commune_id', '=', communeId).where('commitment_id', 'in', commitmentIds).orderBy('goal').orderBy('target').execute();
}

export function sdgGoals(db: AnyDB) {
  return adb(db).selectFrom('sdg_goals').select(['code', 'color', 'title']).orderBy('code').execute();
}

/** The SDG targets, each with the commune's own text if it typed one, else the reference's. */
export function sdgTargets(db: AnyDB, communeId: number) {
  return adb(db).selectFrom('sdg_targets as t')
    .leftJoin('sdg_target_texts as x', (j) => j.onRef('x.code', '=', 't.code').on('x.commune_id', '=', communeId))
    .select(['t.code', 't.goal', (eb) => eb.fn.coalesce('x.text', 't.text').as('text')])
    .execute();
}

export function localTargets(db: AnyDB, communeId: number) {
  return adb(db).selectFrom('local_targets').select(['id', 'code', 'target_code', 'title', 'sample']).where('commune_id', '=', communeId).orderBy('code').execute();
}

export function departments(db: AnyDB, communeId: number, kinds: string[] = ['department']) {
  return adb(db).selectFrom('institutions').select(['id', 'slug', 'name', 'kind', 'lead']).where('commune_id', '=', communeId).where('kind', 'in', kinds).orderBy('sort').orderBy('id').execute();
}

// ---------- Current published figures ----------

/** The id of an action's current public figure: its latest period, and in it the latest version. */
const currentUpdate = sql<number>`(select x.id from action_updates x where x.commune_id = a.commune_id and x.action_id = a.id order by x.period_end desc, x.version desc limit 1)`;
/** The id of an indicator's latest public measurement. */
const currentMeasurement = sql<number>`(select y.id from measurements y where y.commune_id = i.commune_id and y.indicator_id = i.id order by y.period_end desc, y.version desc limit 1)`;

export interface ActionFilter { commitmentIds?: number[] | null; institutionId?: number | null; status?: string | null }

function actionBase(db: AnyDB, communeId: number, planId: number, f: ActionFilter = {}) {
  let q = adb(db).selectFrom('actions as a')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'a.commitment_id').onRef('c.commune_id', '=', 'a.commune_id'))
    .leftJoin('action_updates as f', (j) => j.onRef('f.commune_id', '=', 'a.commune_id').on('f.id', '=', currentUpdate))
    .where('a.commune_id', '=', communeId).where('c.plan_id', '=', planId);
  if (f.commitmentIds) q = q.where('a.commitment_id', 'in', f.commitmentIds.length ? f.commitmentIds : [-1]);
  if (f.institutionId) q = q.where('a.institution_id', '=', f.institutionId);
  if (f.status) q = q.where(sql`coalesce(f.status, 'planned')`, '=', f.status);
  return q;
}

const statusExpr = sql<string>`coalesce(f.status, 'planned')`;
/** The progress an action counts for (rules.actionProgress, in SQL): done is 100 %. */
const progressExpr = sql<number>`case when f.status = 'done' then 100 else coalesce(f.progress, 0) end`;

/**
 * Actions of a plan aggregated in SQL by commitment, department and current status: how many,
 * the sum of their progress (cancelled left out, as rules.leafProgress does) and how many are late.
 */
export function actionAggregates(db: AnyDB, communeId: number, planId: number, today: string, f: ActionFilter = {}) {
  return actionBase(db, communeId, planId, f)
    .select([
      'a.commitment_id', 'a.institution_id', statusExpr.as('status'),
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(${progressExpr})`.as('progress_sum'),
      sql<number>`sum(case when a.end_date < ${today} and coalesce(f.status, 'planned') not in ('done', 'cancelled') then 1 else 0 end)`.as('late'),
    ])
    .groupBy(['a.commitment_id', 'a.institution_id', statusExpr])
    .execute();
}

/** Late actions (end date passed, not done nor cancelled), the most overdue first. */
export function lateActions(db: AnyDB, communeId: number, planId: number, today: string, f: ActionFilter, limit: number) {
  return actionBase(db, communeId, planId, f)
    .select(['a.id', 'a.title', 'a.end_date', 'a.institution_id', 'a.sample', 'c.number as commitment_number', statusExpr.as('status'), progressExpr.as('progress')])
    .where('a.end_date', '<', today).where(statusExpr, 'not in', ['done', 'cancelled'])
    .orderBy('a.end_date').orderBy('a.id').limit(limit).execute();
}

/** Every action of some commitments with its current public figure. */
export function actionsWithFigures(db: AnyDB, communeId: number, planId: number, commitmentIds: number[]) {
  return actionBase(db, communeId, planId, { commitmentIds })
    .select(['a.id', 'a.commitment_id', 'a.institution_id', 'a.title', 'a.expected_result', 'a.start_date', 'a.end_date', 'a.sort', 'a.sample',
      statusExpr.as('status'), progressExpr.as('progress'), 'f.id as update_id', 'f.period_end as figure_period_end', 'f.published_at as figure_published_at'])
    .orderBy('a.commitment_id').orderBy('a.sort').orderBy('a.id').execute();
}

export interface IndicatorFilter { commitmentIds?: number[] | null; institutionId?: number | null }

/** Indicators of a plan with their latest public measurement. */
export function indicatorsWithLatest(db: AnyDB, communeId: number, planId: number, f: IndicatorFilter = {}) {
  let q = adb(db).selectFrom('indicators as i')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'i.commitment_id').onRef('c.commune_id', '=', 'i.commune_id'))
    .leftJoin('measurements as m', (j) => j.onRef('m.commune_id', '=', 'i.commune_id').on('m.id', '=', currentMeasurement))
    .select(['i.id', 'i.commitment_id', 'i.institution_id', 'i.kind', 'i.title', 'i.definition', 'i.unit', 'i.direction', 'i.baseline_value', 'i.baseline_date',
      'i.target_value', 'i.target_date', 'i.source', 'i.frequency', 'i.sort', 'i.sample', 'c.number as commitment_number',
      'm.value as latest_value', 'm.period as latest_period', 'm.sample as latest_sample'])
    .where('i.commune_id', '=', communeId).where('c.plan_id', '=', planId);
  if (f.commitmentIds) q = q.where('i.commitment_id', 'in', f.commitmentIds.length ? f.commitmentIds : [-1]);
  if (f.institutionId) q = q.where('i.institution_id', '=', f.institutionId);
  return q.orderBy('c.sort').orderBy('i.commitment_id').orderBy('i.sort').orderBy('i.id').execute();
}

/** The public series of some indicators: for each period, its latest version. */
export function measurementSeries(db: AnyDB, communeId: number, indicatorIds: number[]) {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('measurements as m')
    .select(['m.id', 'm.indicator_id', 'm.period', 'm.period_end', 'm.value', 'm.version', 'm.sample'])
    .where('m.commune_id', '=', communeId).where('m.indicator_id', 'in', indicatorIds)
    .where('m.version', '=', sql<number>`(select max(z.version) from measurements z where z.commune_id = m.commune_id and z.indicator_id = m.indicator_id and z.period_end = m.period_end and z.period = m.period)`)
    .orderBy('m.indicator_id').orderBy('m.period_end').execute();
}

// ---------- Publication history ----------

export function publishedCycles(db: AnyDB, communeId: number, planId: number) {
  return adb(db).selectFrom('reporting_cycles').select(['id', 'code', 'period_end', 'due_date', 'status', 'last_published_at'])
    .where('commune_id', '=', communeId).where('plan_id', '=', planId).where('last_published_at', 'is not', null)
    .orderBy('period_end', 'desc').orderBy('id', 'desc').execute();
}

/**
 * What a cycle's publication changed: each action's current figure in that cycle next to its
 * figure before the cycle (null when it had none).
 */
export function changesOfCycle(db: AnyDB, communeId: number, planId: number, cycle: { id: number; period_end: string }, f: ActionFilter) {
  let q = adb(db).selectFrom('action_updates as u')
    .innerJoin('actions as a', (j) => j.onRef('a.id', '=', 'u.action_id').onRef('a.commune_id', '=', 'u.commune_id'))
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'a.commitment_id').onRef('c.commune_id', '=', 'a.commune_id'))
    .leftJoin('action_updates as b', (j) => j.onRef('b.commune_id', '=', 'u.commune_id')
      .on('b.id', '=', sql<number>`(select p.id from action_updates p where p.commune_id = u.commune_id and p.action_id = u.action_id and p.period_end < ${cycle.period_end} order by p.period_end desc, p.version desc limit 1)`))
    .select(['a.id', 'a.title', 'a.institution_id', 'a.sample', 'c.number as commitment_number', 'u.status', 'u.progress', 'u.version',
      'b.status as before_status', 'b.progress as before_progress'])
    .where('u.commune_id', '=', communeId).where('c.plan_id', '=', planId).where('u.cycle_id', '=', cycle.id)
    .where('u.version', '=', sql<number>`(select max(v.version) from action_updates v where v.commune_id = u.commune_id and v.action_id = u.action_id and v.cycle_id = u.cycle_id)`);
  if (f.commitmentIds) q = q.where('a.commitment_id', 'in', f.commitmentIds.length ? f.commitmentIds : [-1]);
  if (f.institutionId) q = q.where('a.institution_id', '=', f.institutionId);
  return q.orderBy('c.sort').orderBy('a.commitment_id').orderBy('a.sort').orderBy('a.id').execute();
}

/** Every published version of the figures of some actions, newest first. */
export function actionHistory(db: AnyDB, communeId: number, actionIds: number[]) {
  if (actionIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('action_updates as u')
    .leftJoin('reporting_cycles as r', (j) => j.onRef('r.id', '=', 'u.cycle_id').onRef('r.commune_id', '=', 'u.commune_id'))
    .select(['u.id', 'u.action_id', 'u.cycle_id', 'r.code as cycle_code', 'u.period_end', 'u.version', 'u.status', 'u.progress', 'u.difficulties', 'u.note', 'u.supersedes_id', 'u.published_at', 'u.sample'])
    .where('u.commune_id', '=', communeId).where('u.action_id', 'in', actionIds)
    .orderBy('u.published_at', 'desc').orderBy('u.id', 'desc').execute();
}

export function measurementHistory(db: AnyDB, communeId: number, indicatorIds: number[]) {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('measurements as m')
    .leftJoin('reporting_cycles as r', (j) => j.onRef('r.id', '=', 'm.cycle_id').onRef('r.commune_id', '=', 'm.commune_id'))
    .select(['m.id', 'm.indicator_id', 'm.cycle_id', 'r.code as cycle_code', 'm.period', 'm.period_end', 'm.version', 'm.value', 'm.source', 'm.note', 'm.supersedes_id', 'm.published_at', 'm.sample'])
    .where('m.commune_id', '=', communeId).where('m.indicator_id', 'in', indicatorIds)
    .orderBy('m.published_at', 'desc').orderBy('m.id', 'desc').execute();
}

export function findActionUpdate(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('action_updates').select(['id', 'action_id', 'cycle_id', 'period_end', 'version', 'status', 'progress', 'difficulties', 'note', 'supersedes_id', 'row_id', 'published_at', 'sample'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function findMeasurement(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('measurements').select(['id', 'indicator_id', 'cycle_id', 'period', 'period_end', 'version', 'value', 'source', 'note', 'supersedes_id', 'row_id', 'entered_by', 'validated_by', 'published_at', 'sample'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

/** The latest version of a figure's period (the one a correction supersedes). */
export function latestActionVersion(db: AnyDB, communeId: number, actionId: number, periodEnd: string, cycleId: number | null) {
  let q = adb(db).selectFrom('action_updates').select(['id', 'version', 'status', 'progress', 'difficulties'])
    .where('commune_id', '=', communeId).where('action_id', '=', actionId).where('period_end', '=', periodEnd);
  q = cycleId === null ? q.where('cycle_id', 'is', null) : q.where('cycle_id', '=', cycleId);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function latestMeasurementVersion(db: AnyDB, communeId: number, indicatorId: number, period: string) {
  return adb(db).selectFrom('measurements').select(['id', 'version', 'value', 'source', 'note', 'cycle_id', 'period_end'])
    .where('commune_id', '=', communeId).where('indicator_id', '=', indicatorId).where('period', '=', period)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
}

// ---------- Evidence ----------

const evidenceColumns = ['e.id', 'e.commitment_id', 'e.action_id', 'e.indicator_id', 'e.measurement_id', 'e.row_id', 'e.kind', 'e.file_id', 'e.url', 'e.title', 'e.visibility', 'e.created_at',
  'f.original_name', 'f.mime', 'f.size', 'f.kind as file_kind'] as const;

/**
 * Evidence of some commitments. Public evidence given with a matrix row shows only once the row
 * is published; `internal` adds internal evidence and unpublished rows' evidence.
 */
export function evidenceOf(db: AnyDB, communeId: number, commitmentIds: number[], internal: boolean) {
  if (commitmentIds.length === 0) return Promise.resolve([]);
  let q = adb(db).selectFrom('evidence as e')
    .leftJoin('files as f', (j) => j.onRef('f.id', '=', 'e.file_id').onRef('f.commune_id', '=', 'e.commune_id'))
    .leftJoin('matrix_rows as r', (j) => j.onRef('r.id', '=', 'e.row_id').onRef('r.commune_id', '=', 'e.commune_id'))
    .select([...evidenceColumns, 'r.state as row_state'])
    .where('e.commune_id', '=', communeId).where('e.commitment_id', 'in', commitmentIds);
  if (!internal) q = q.where('e.visibility', '=', 'public').where((eb) => eb.or([eb('e.row_id', 'is', null), eb('r.state', '=', 'published')]));
  return q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').execute();
}

export function evidenceOfRows(db: AnyDB, communeId: number, rowIds: number[]) {
  if (rowIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('evidence as e')
    .leftJoin('files as f', (j) => j.onRef('f.id', '=', 'e.file_id').onRef('f.commune_id', '=', 'e.commune_id'))
    .select([...evidenceColumns]).where('e.commune_id', '=', communeId).where('e.row_id', 'in', rowIds).orderBy('e.id').execute();
}

/** One piece of evidence, with the plan it belongs to, the state of its row and the department that owns it. */
export function findEvidence(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('evidence as e')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'e.commitment_id').onRef('c.commune_id', '=', 'e.commune_id'))
    .innerJoin('plans as p', (j) => j.onRef('p.id', '=', 'c.plan_id').onRef('p.commune_id', '=', 'c.commune_id'))
    .leftJoin('files as f', (j) => j.onRef('f.id', '=', 'e.file_id').onRef('f.commune_id', '=', 'e.commune_id'))
    .leftJoin('matrix_rows as r', (j) => j.onRef('r.id', '=', 'e.row_id').onRef('r.commune_id', '=', 'e.commune_id'))
    .leftJoin('actions as a', (j) => j.onRef('a.id', '=', 'e.action_id').onRef('a.commune_id', '=', 'e.commune_id'))
    .leftJoin('indicators as i', (j) => j.onRef('i.id', '=', 'e.indicator_id').onRef('i.commune_id', '=', 'e.commune_id'))
    .select([...evidenceColumns, 'p.slug as plan_slug', 'r.state as row_state', 'f.sha256',
      sql<number | null>`coalesce(r.institution_id, a.institution_id, i.institution_id, (select ci.institution_id from commitment_institutions ci where ci.commune_id = e.commune_id and ci.commitment_id = e.commitment_id and ci.role = 'lead' limit 1))`.as('owner_id')])
    .where('e.commune_id', '=', communeId).where('e.id', '=', id).executeTakeFirst();
}

// ---------- Steering decisions ----------

/** Decisions linked to rows about some actions or indicators (what a commitment page shows). */
export function decisionsAbout(db: AnyDB, communeId: number, actionIds: number[], indicatorIds: number[]) {
  if (actionIds.length === 0 && indicatorIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('steering_decisions as d')
    .innerJoin('reporting_cycles as rc', (j) => j.onRef('rc.id', '=', 'd.cycle_id').onRef('rc.commune_id', '=', 'd.commune_id'))
    .select(['d.id', 'd.decided_on', 'd.outcome', 'd.decision', 'd.measures', 'rc.code as cycle_code'])
    .where('d.commune_id', '=', communeId)
    .where((eb) => eb.exists(eb.selectFrom('steering_decision_rows as l')
      .innerJoin('matrix_rows as r', (j) => j.onRef('r.id', '=', 'l.row_id').onRef('r.commune_id', '=', 'l.commune_id'))
      .select('l.id').whereRef('l.decision_id', '=', 'd.id').whereRef('l.commune_id', '=', 'd.commune_id')
      .where((w) => w.or([w('r.action_id', 'in', actionIds.length ? actionIds : [-1]), w('r.indicator_id', 'in', indicatorIds.length ? indicatorIds : [-1])]))))
    .orderBy('d.decided_on', 'desc').orderBy('d.id', 'desc').execute();
}

export function decisionsOfCycle(db: AnyDB, communeId: number, cycleId: number) {
  return adb(db).selectFrom('steering_decisions').select(['id', 'decided_on', 'outcome', 'decision', 'measures', 'created_at'])
    .where('commune_id', '=', communeId).where('cycle_id', '=', cycleId).orderBy('decided_on', 'desc').orderBy('id', 'desc').execute();
}

export function decisionLinks(db: AnyDB, communeId: number, decisionIds: number[]) {
  if (decisionIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('steering_decision_rows').select(['decision_id', 'row_id']).where('commune_id', '=', communeId).where('decision_id', 'in', decisionIds).execute();
}

// ---------- Reporting cycles and the matrix ----------

const cycleColumns = ['id', 'plan_id', 'code', 'period_end', 'due_date', 'status', 'opened_at', 'closed_at', 'last_published_at'] as const;

export function cyclesOfPlan(db: AnyDB, communeId: number, planId: number) {
  return adb(db).selectFrom('reporting_cycles').select([...cycleColumns]).where('commune_id', '=', communeId).where('plan_id', '=', planId)
    .orderBy('period_end', 'desc').orderBy('id', 'desc').execute();
}

export function findCycle(db: AnyDB, communeId: number, planId: number, code: string) {
  return adb(db).selectFrom('reporting_cycles').select([...cycleColumns]).where('commune_id', '=', communeId).where('plan_id', '=', planId).where('code', '=', code).executeTakeFirst();
}

export function findCycleById(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('reporting_cycles').select([...cycleColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

const rowColumns = ['r.id', 'r.cycle_id', 'r.item_key', 'r.kind', 'r.action_id', 'r.indicator_id', 'r.institution_id', 'r.state', 'r.status', 'r.progress', 'r.value',
  'r.difficulties', 'r.remark', 'r.answer', 'r.updated_at', 'r.submitted_at', 'r.validated_at', 'r.published_at'] as const;

export interface RowFilter { institutionIds?: number[] | null; states?: string[] | null; ids?: number[] | null }

/** Matrix rows of a cycle with what they are about (action or indicator, commitment, department). */
export function matrixRows(db: AnyDB, communeId: number, cycleId: number, f: RowFilter = {}) {
  let q = adb(db).selectFrom('matrix_rows as r')
    .leftJoin('actions as a', (j) => j.onRef('a.id', '=', 'r.action_id').onRef('a.commune_id', '=', 'r.commune_id'))
    .leftJoin('indicators as i', (j) => j.onRef('i.id', '=', 'r.indicator_id').onRef('i.commune_id', '=', 'r.commune_id'))
    .innerJoin('commitments as c', (j) => j.onRef('c.commune_id', '=', 'r.commune_id').on('c.id', '=', sql<number>`coalesce(a.commitment_id, i.commitment_id)`))
    .innerJoin('institutions as d', (j) => j.onRef('d.id', '=', 'r.institution_id').onRef('d.commune_id', '=', 'r.commune_id'))
    .select([...rowColumns, 'c.id as commitment_id', 'c.number as commitment_number', 'c.title as commitment_title', 'd.slug as department_slug', 'd.name as department_name',
      sql<string>`coalesce(a.title, i.title)`.as('item_title'), sql<number>`coalesce(a.sample, i.sample, 0)`.as('item_sample'), 'a.end_date as action_end_date', 'i.unit as indicator_unit', 'i.direction as indicator_direction',
      'i.baseline_value', 'i.target_value'])
    .where('r.commune_id', '=', communeId).where('r.cycle_id', '=', cycleId);
  if (f.institutionIds) q = q.where('r.institution_id', 'in', f.institutionIds.length ? f.institutionIds : [-1]);
  if (f.states) q = q.where('r.state', 'in', f.states.length ? f.states : ['-']);
  if (f.ids) q = q.where('r.id', 'in', f.ids.length ? f.ids : [-1]);
  return q.orderBy('c.sort').orderBy('c.id').orderBy('r.kind').orderBy(sql`coalesce(a.sort, i.sort)`).orderBy('r.id').execute();
}

export function findRow(db: AnyDB, communeId: number, id: number) {
  return adb(db).selectFrom('matrix_rows as r').select([...rowColumns]).where('r.commune_id', '=', communeId).where('r.id', '=', id).executeTakeFirst();
}

export function rowEvents(db: AnyDB, communeId: number, rowId: number) {
  return adb(db).selectFrom('row_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'e.actor_id').onRef('u.commune_id', '=', 'e.commune_id'))
    .select(['e.id', 'e.at', 'e.event', 'e.note', 'u.name as actor_name'])
    .where('e.commune_id', '=', communeId).where('e.row_id', '=', rowId).orderBy('e.id').execute();
}

/** Rows per department and state: the cycle's progress board. */
export function rowCounts(db: AnyDB, communeId: number, cycleId: number) {
  return adb(db).selectFrom('matrix_rows').select(['institution_id', 'state', sql<number>`count(*)`.as('n')])
    .where('commune_id', '=', communeId).where('cycle_id', '=', cycleId).groupBy(['institution_id', 'state']).execute();
}

/** Active staff of some departments, to remind them (the only read of e-mail addresses, for sending). */
export function staffOf(db: AnyDB, communeId: number, institutionIds: number[]) {
  if (institutionIds.length === 0) return Promise.resolve([]);
  return adb(db).selectFrom('role_grants as g')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'g.user_id').onRef('u.commune_id', '=', 'g.commune_id'))
    .select(['u.id', 'u.email', 'u.name', 'u.locale', 'g.institution_id'])
    .where('g.commune_id', '=', communeId).where('g.role', '=', 'department_staff').where('g.institution_id', 'in', institutionIds).where('u.disabled', '=', 0)
    .orderBy('u.id').execute();
}

// ---------- Open data ----------

export function exportActions(db: AnyDB, communeId: number, planId: number) {
  return actionBase(db, communeId, planId)
    .innerJoin('institutions as d', (j) => j.onRef('d.id', '=', 'a.institution_id').onRef('d.commune_id', '=', 'a.commune_id'))
    .select(['a.id', 'c.id as commitment_id', 'c.number as commitment_number', 'a.title', 'a.expected_result', 'a.start_date', 'a.end_date', 'a.sample', 'd.slug as department',
      statusExpr.as('status'), progressExpr.as('progress'), 'f.period_end as figure_period_end', 'f.version as figure_version', 'f.published_at as figure_published_at'])
    .orderBy('c.sort').orderBy('c.id').orderBy('a.sort').orderBy('a.id').execute();
}

/** Published measurements of a plan, every version, in pages (keyset on id) so an export streams. */
export function exportMeasurementsPage(db: AnyDB, communeId: number, planId: number, afterId: number, limit: number) {
  return adb(db).selectFrom('measurements as m')
    .innerJoin('indicators as i', (j) => j.onRef('i.id', '=', 'm.indicator_id').onRef('i.commune_id', '=', 'm.commune_id'))
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'i.commitment_id').onRef('c.commune_id', '=', 'i.commune_id'))
    .leftJoin('reporting_cycles as r', (j) => j.onRef('r.id', '=', 'm.cycle_id').onRef('r.commune_id', '=', 'm.commune_id'))
    .select(['m.id', 'm.indicator_id', 'm.period', 'm.period_end', 'm.version', 'm.value', 'm.source', 'm.note', 'm.supersedes_id', 'm.published_at', 'm.sample', 'r.code as cycle'])
    .where('m.commune_id', '=', communeId).where('c.plan_id', '=', planId).where('m.id', '>', afterId)
    .orderBy('m.id').limit(limit).execute();
}

export function exportActionUpdatesPage(db: AnyDB, communeId: number, planId: number, afterId: number, limit: number) {
  return adb(db).selectFrom('action_updates as u')
    .innerJoin('actions as a', (j) => j.onRef('a.id', '=', 'u.action_id').onRef('a.commune_id', '=', 'u.commune_id'))
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'a.commitment_id').onRef('c.commune_id', '=', 'a.commune_id'))
    .leftJoin('reporting_cycles as r', (j) => j.onRef('r.id', '=', 'u.cycle_id').onRef('r.commune_id', '=', 'u.commune_id'))
    .select(['u.id', 'u.action_id', 'u.period_end', 'u.version', 'u.status', 'u.progress', 'u.note', 'u.supersedes_id', 'u.published_at', 'u.sample', 'r.code as cycle'])
    .where('u.commune_id', '=', communeId).where('c.plan_id', '=', planId).where('u.id', '>', afterId)
    .orderBy('u.id').limit(limit).execute();
}

// ---------- Search (the platform-wide index) ----------

/** Commitments (axes included) with what their public page shows, for the search index; by id, in id order. */
export function searchCommitments(db: AnyDB, communeId: number, f: { afterId?: number; ids?: number[]; planId?: number; limit: number }) {
  let q = adb(db).selectFrom('commitments as c')
    .innerJoin('plans as p', (j) => j.onRef('p.id', '=', 'c.plan_id').onRef('p.commune_id', '=', 'c.commune_id'))
    .select(['c.id', 'c.number', 'c.title', 'c.description', 'c.problem', 'c.budget_note', 'c.start_date', 'p.slug as plan_slug'])
    .where('c.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('c.id', '>', f.afterId);
  if (f.ids) q = q.where('c.id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.planId !== undefined) q = q.where('c.plan_id', '=', f.planId);
  return q.orderBy('c.id').limit(f.limit).execute();
}

/** Actions with their commitment's public address, for the search index; by id, in id order. */
export function searchActions(db: AnyDB, communeId: number, f: { afterId?: number; ids?: number[]; commitmentIds?: number[]; limit: number }) {
  let q = adb(db).selectFrom('actions as a')
    .innerJoin('commitments as c', (j) => j.onRef('c.id', '=', 'a.commitment_id').onRef('c.commune_id', '=', 'a.commune_id'))
    .innerJoin('plans as p', (j) => j.onRef('p.id', '=', 'c.plan_id').onRef('p.commune_id', '=', 'c.commune_id'))
    .select(['a.id', 'a.title', 'a.expected_result', 'a.start_date', 'c.number', 'c.title as commitment_title', 'p.slug as plan_slug'])
    .where('a.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('a.id', '>', f.afterId);
  if (f.ids) q = q.where('a.id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.commitmentIds) q = q.where('a.commitment_id', 'in', f.commitmentIds.length ? f.commitmentIds : [-1]);
  return q.orderBy('a.id').limit(f.limit).execute();
}
