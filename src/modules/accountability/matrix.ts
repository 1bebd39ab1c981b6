import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError, ForbiddenError } from '../../core/http/errors.ts';
import { parseTranslated, tr, formatDate, isLocale, type Translated } from '../../core/i18n/index.ts';
import { iso } from '../../core/clock/index.ts';
import { can } from '../../core/auth/roles.ts';
import { parseInput, text, optionalText, int, isoDate, oneOf } from '../../core/http/forms.ts';
import { queueMail } from '../../core/mail/index.ts';
import type { Upload } from '../../core/files/index.ts';
import { lockCommune, type AnyDB } from '../../core/db/index.ts';
import * as repo from './repo.ts';
import { adb } from './repo.ts';
import { institutionsFor, today, insertEvidence, evidenceSchema, type EvidenceView } from './service.ts';
import { parseCsv, csvLine, BOM } from './csv.ts';
import {
  periodEnd, transition, editableByDepartment, actionProgress, parseDecimal, checkMatrixLines, rowComplete,
  ACTION_STATUSES, DECISION_OUTCOMES, MATRIX_COLUMNS, type RowState, type LineError, type MatrixRowRef,
} from './rules.ts';

/** The matrix import refused the file: every bad line, none applied. */
export class ImportRejected extends RuleError {
  constructor(public lines: LineError[]) { super('plans.csv.rejected', { count: lines.length }, 'file'); }
}

export interface CycleView { id: number; planId: number; code: string; periodEnd: string; dueDate: string; status: string; openedAt: string; closedAt: string | null; lastPublishedAt: string | null; late: boolean }

const toCycle = (c: NonNullable<Awaited<ReturnType<typeof repo.findCycle>>>, day: string): CycleView => ({
  id: c.id, planId: c.plan_id, code: c.code, periodEnd: c.period_end, dueDate: c.due_date, status: c.status, openedAt: c.opened_at,
  closedAt: c.closed_at, lastPublishedAt: c.last_published_at, late: c.status === 'open' && c.due_date < day,
});

async function planAndCycle(ctx: Ctx, db: AnyDB, planSlug: string, code: string) {
  const plan = await repo.findPlan(db, ctx.commune.id, planSlug);
  if (!plan) throw new NotFoundError();
  const cycle = await repo.findCycle(db, ctx.commune.id, plan.id, code);
  if (!cycle) throw new NotFoundError();
  return { plan, cycle };
}

export async function listCycles(ctx: Ctx, planSlug: string): Promise<CycleView[]> {
  authorize(ctx, 'plans.read_internal');
  const plan = await repo.findPlan(ctx.db, ctx.commune.id, planSlug);
  if (!plan) throw new NotFoundError();
  const day = today(ctx);
  return (await repo.cyclesOfPlan(ctx.db, ctx.commune.id, plan.id)).map((c) => toCycle(c, day));
}

export const cycleSchema = z.object({
  code: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''), z.string().min(1).max(10).refine((s) => periodEnd(s) !== null, { error: 'errors.format' })),
  due_date: isoDate(),
});

/**
 * Opens a reporting cycle: one matrix row per action still to report on (not done nor
 * cancelled), pre-filled with its current public figure, and one per indicator, each owned by the
 * department responsible for it.
 */
export async function openCycle(ctx: Ctx, planSlug: string, input: unknown): Promise<string> {
  authorize(ctx, 'plans.manage');
  const d = parseInput(cycleSchema, input);
  return mutate(ctx, { permission: 'plans.manage', action: 'cycle.open', entity: 'reporting_cycle' }, async (trx) => {
    const db = adb(trx);
    const plan = await repo.findPlan(trx, ctx.commune.id, planSlug);
    if (!plan) throw new NotFoundError();
    if (await repo.findCycle(trx, ctx.commune.id, plan.id, d.code)) throw new RuleError('plans.cycle.exists', {}, 'code');
    const now = iso(ctx.clock.now());
    const { id } = await db.insertInto('reporting_cycles').values({
      commune_id: ctx.commune.id, plan_id: plan.id, code: d.code, period_end: periodEnd(d.code)!, due_date: d.due_date, status: 'open',
      opened_at: now, opened_by: ctx.actor?.userId || null, closed_at: null, last_published_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const commitments = (await repo.commitmentsOfPlan(trx, ctx.commune.id, plan.id)).map((c) => c.id);
    const actions = (await repo.actionsWithFigures(trx, ctx.commune.id, plan.id, commitments)).filter((a) => a.status !== 'done' && a.status !== 'cancelled');
    const indicators = await repo.indicatorsWithLatest(trx, ctx.commune.id, plan.id, { commitmentIds: commitments });
    const base = { commune_id: ctx.commune.id, cycle_id: id, state: 'pending', difficulties: '', remark: '', answer: '', updated_at: null, updated_by: null, submitted_at: null, validated_at: null, validated_by: null, published_at: null };
    const rows = [
      ...actions.map((a) => ({ ...base, item_key: `a:${a.id}`, kind: 'action', action_id: a.id, indicator_id: null, institution_id: a.institution_id, status: a.status, progress: actionProgress(a.status, a.progress), value: null })),
      ...indicators.map((i) => ({ ...base, item_key: `i:${i.id}`, kind: 'indicator', action_id: null, indicator_id: i.id, institution_id: i.institution_id, status: null, progress: null, value: null })),
    ];
    for (let k = 0; k < rows.length; k += 200) await db.insertInto('matrix_rows').values(rows.slice(k, k + 200)).execute();
    return { result: d.code, entityId: id, after: { plan: planSlug, code: d.code, dueDate: d.due_date, rows: rows.length } };
  });
}

async function setCycleStatus(ctx: Ctx, planSlug: string, code: string, status: 'open' | 'closed') {
  await mutate(ctx, { permission: 'plans.manage', action: status === 'closed' ? 'cycle.close' : 'cycle.reopen', entity: 'reporting_cycle' }, async (trx) => {
    const { cycle } = await planAndCycle(ctx, trx, planSlug, code);
    if (cycle.status === status) throw new RuleError(status === 'closed' ? 'plans.cycle.alreadyClosed' : 'plans.cycle.alreadyOpen');
    await adb(trx).updateTable('reporting_cycles').set({ status, closed_at: status === 'closed' ? iso(ctx.clock.now()) : null }).where('commune_id', '=', ctx.commune.id).where('id', '=', cycle.id).execute();
    return { result: undefined, entityId: cycle.id, before: { status: cycle.status }, after: { status } };
  });
}

/** Closing a cycle stops departments' edits; validation and publication go on. */
export const closeCycle = (ctx: Ctx, planSlug: string, code: string) => setCycleStatus(ctx, planSlug, code, 'closed');
export const reopenCycle = (ctx: Ctx, planSlug: string, code: string) => setCycleStatus(ctx, planSlug, code, 'open');

export interface MatrixRowView {
  id: number; kind: 'action' | 'indicator'; state: RowState; itemId: number; itemTitle: Translated;
  commitmentId: number; commitmentNumber: string; commitmentTitle: Translated;
  department: { id: number; slug: string; name: Translated };
  status: string | null; progress: number | null; value: number | null; unit: Translated;
  difficulties: string; remark: string; answer: string;
  updatedAt: string | null; submittedAt: string | null; validatedAt: string | null; publishedAt: string | null;
  actionEndDate: string | null; baseline: number | null; target: number | null;
}

const toRow = (r: Awaited<ReturnType<typeof repo.matrixRows>>[number]): MatrixRowView => ({
  id: r.id, kind: r.kind as 'action' | 'indicator', state: r.state as RowState, itemId: (r.action_id ?? r.indicator_id) as number, itemTitle: parseTranslated(r.item_title),
  commitmentId: r.commitment_id, commitmentNumber: r.commitment_number, commitmentTitle: parseTranslated(r.commitment_title),
  department: { id: r.institution_id, slug: r.department_slug, name: parseTranslated(r.department_name) },
  status: r.status, progress: r.progress, value: r.value === null ? null : Number(r.value), unit: parseTranslated(r.indicator_unit),
  difficulties: r.difficulties, remark: r.remark, answer: r.answer, updatedAt: r.updated_at, submittedAt: r.submitted_at, validatedAt: r.validated_at, publishedAt: r.published_at,
  actionEndDate: r.action_end_date, baseline: r.baseline_value, target: r.target_value,
});

export interface CycleBoard {
  cycle: CycleView;
  planTitle: Translated;
  departments: { id: number; slug: string; name: Translated; counts: Record<RowState, number>; outstanding: number; late: boolean }[];
  totals: Record<RowState, number>;
  decisions: number;
  /** Limited to the departments the reader may see (null: all). */
  scope: number[] | null;
}

/** The state of a cycle, department by department; late departments are those with rows still to submit after the due date. */
export async function cycleBoard(ctx: Ctx, planSlug: string, code: string): Promise<CycleBoard> {
  authorize(ctx, 'plans.read_internal');
  const { plan, cycle } = await planAndCycle(ctx, ctx.db, planSlug, code);
  const scope = institutionsFor(ctx.actor, 'plans.read_internal');
  const day = today(ctx);
  const view = toCycle(cycle, day);
  const [counts, depts, decisions] = await Promise.all([
    repo.rowCounts(ctx.db, ctx.commune.id, cycle.id),
    repo.departments(ctx.db, ctx.commune.id, ['department']),
    repo.decisionsOfCycle(ctx.db, ctx.commune.id, cycle.id),
  ]);
  const zero = (): Record<RowState, number> => ({ pending: 0, submitted: 0, returned: 0, validated: 0, published: 0 });
  const per = new Map<number, Record<RowState, number>>();
  const totals = zero();
  for (const c of counts) {
    if (scope && !scope.includes(c.institution_id)) continue;
    const m = per.get(c.institution_id) ?? zero();
    m[c.state as RowState] = Number(c.n);
    totals[c.state as RowState] += Number(c.n);
    per.set(c.institution_id, m);
  }
  return {
    cycle: view, planTitle: parseTranslated(plan.title), scope, decisions: decisions.length, totals,
    departments: depts.filter((d) => per.has(d.id)).map((d) => {
      const m = per.get(d.id)!;
      const outstanding = m.pending + m.returned;
      return { id: d.id, slug: d.slug, name: parseTranslated(d.name), counts: m, outstanding, late: outstanding > 0 && cycle.status === 'open' && cycle.due_date < day };
    }),
  };
}

/** The matrix rows a reader may see: department staff their own department's, the others every row. */
export async function matrix(ctx: Ctx, planSlug: string, code: string, f: { department?: string; states?: RowState[] } = {}) {
  authorize(ctx, 'plans.read_internal');
  const { plan, cycle } = await planAndCycle(ctx, ctx.db, planSlug, code);
  let scope = institutionsFor(ctx.actor, 'plans.read_internal');
  const depts = await repo.departments(ctx.db, ctx.commune.id, ['department']);
  if (f.department) {
    const d = depts.find((x) => x.slug === f.department);
    if (!d) throw new NotFoundError();
    if (scope && !scope.includes(d.id)) throw new ForbiddenError();
    scope = [d.id];
  }
  const rows = await repo.matrixRows(ctx.db, ctx.commune.id, cycle.id, { institutionIds: scope, states: f.states ?? null });
  return {
    cycle: toCycle(cycle, today(ctx)), planTitle: parseTranslated(plan.title), rows: rows.map(toRow),
    departments: depts.filter((d) => !scope || scope.includes(d.id)).map((d) => ({ id: d.id, slug: d.slug, name: parseTranslated(d.name) })),
    department: f.department ?? '',
  };
}

export interface RowDetail {
  cycle: CycleView;
  row: MatrixRowView;
  events: { id: number; at: string; event: string; note: string; actorName: string | null }[];
  evidence: EvidenceView[];
  previous: { status?: string; progress?: number; value?: number; period: string } | null;
  decisions: { id: number; decidedOn: string; outcome: string; decision: string; measures: string }[];
  mayReport: boolean;
  mayValidate: boolean;
}

async function loadRow(ctx: Ctx, db: AnyDB, planSlug: string, code: string, rowId: number) {
  const { plan, cycle } = await planAndCycle(ctx, db, planSlug, code);
  const row = await repo.findRow(db, ctx.commune.id, rowId);
  if (!row || row.cycle_id !== cycle.id) throw new NotFoundError();
  return { plan, cycle, row };
}

/** One row of the matrix with its conversation, evidence and the previous public figure. */
export async function rowDetail(ctx: Ctx, planSlug: string, code: string, rowId: number): Promise<RowDetail> {
  authorize(ctx, 'plans.read_internal');
  const { plan, cycle, row } = await loadRow(ctx, ctx.db, planSlug, code, rowId);
  authorize(ctx, 'plans.read_internal', { institutionId: row.institution_id });
  const [full] = await repo.matrixRows(ctx.db, ctx.commune.id, cycle.id, { ids: [rowId] });
  const [events, evidence, decisions] = await Promise.all([
    repo.rowEvents(ctx.db, ctx.commune.id, rowId),
    repo.evidenceOfRows(ctx.db, ctx.commune.id, [rowId]),
    repo.decisionsAbout(ctx.db, ctx.commune.id, row.action_id ? [row.action_id] : [], row.indicator_id ? [row.indicator_id] : []),
  ]);
  let previous: RowDetail['previous'] = null;
  if (row.action_id) {
    const h = (await repo.actionHistory(ctx.db, ctx.commune.id, [row.action_id])).filter((u) => u.period_end < cycle.period_end)
      .sort((a, b) => (a.period_end === b.period_end ? b.version - a.version : a.period_end < b.period_end ? 1 : -1))[0];
    if (h) previous = { status: h.status, progress: h.progress, period: h.cycle_code ?? h.period_end };
  } else if (row.indicator_id) {
    const ind = (await repo.indicatorsWithLatest(ctx.db, ctx.commune.id, plan.id, { commitmentIds: [full.commitment_id] })).find((i) => i.id === row.indicator_id);
    if (ind && ind.latest_value !== null && ind.latest_value !== undefined) previous = { value: Number(ind.latest_value), period: ind.latest_period as string };
  }
  return {
    cycle: toCycle(cycle, today(ctx)), row: toRow(full),
    events: events.map((e) => ({ id: e.id, at: e.at, event: e.event, note: e.note, actorName: e.actor_name })),
    evidence: evidence.map((e) => ({
      id: e.id, kind: e.kind, title: e.title, url: e.url, visibility: e.visibility, fileName: e.original_name ?? null, mime: e.mime ?? null, size: e.size ?? null,
      actionId: e.action_id, indicatorId: e.indicator_id, createdAt: e.created_at, pending: row.state !== 'published',
    })),
    previous,
    decisions: decisions.map((d) => ({ id: d.id, decidedOn: d.decided_on, outcome: d.outcome, decision: d.decision, measures: d.measures })),
    mayReport: cycle.status === 'open' && editableByDepartment(row.state) && can(ctx.actor, 'plans.report', { institutionId: row.institution_id }),
    mayValidate: can(ctx.actor, 'plans.validate') && (row.state === 'submitted' || row.state === 'validated'),
  };
}

const reportSchema = z.object({
  intent: oneOf(['save', 'submit'] as const),
  difficulties: optionalText(2000),
  answer: optionalText(2000),
});
const actionReportSchema = reportSchema.extend({ status: oneOf(ACTION_STATUSES), progress: int(0, 100) });
const indicatorReportSchema = reportSchema.extend({
  value: z.preprocess((v) => {
    const s = typeof v === 'string' ? v : '';
    if (s.trim() === '') return undefined;
    const n = parseDecimal(s);
    return n === null ? NaN : n;
  }, z.number({ error: (i) => (i.input === undefined ? 'errors.required' : 'errors.invalid') })),
});

async function addEvent(ctx: Ctx, trx: AnyDB, rowId: number, event: string, note = '') {
  await adb(trx).insertInto('row_events').values({ commune_id: ctx.commune.id, row_id: rowId, at: iso(ctx.clock.now()), actor_id: ctx.actor?.userId || null, event, note }).execute();
}

/**
 * A department reports on one of its rows: status and progress (action) or the measured value
 * (indicator), difficulties met, evidence; `intent=submit` sends it to the OGP team. A returned
 * row is resubmitted with an answer to the remark.
 */
export async function reportRow(ctx: Ctx, planSlug: string, code: string, rowId: number, input: unknown, upload: Upload | null): Promise<RowState> {
  const { cycle, row } = await loadRow(ctx, ctx.db, planSlug, code, rowId);
  authorize(ctx, 'plans.report', { institutionId: row.institution_id });
  const d = row.kind === 'action' ? parseInput(actionReportSchema, input) : parseInput(indicatorReportSchema, input);
  const ev = parseInput(evidenceSchema, { evidence_visibility: 'public', ...(input as object) });
  return mutate(ctx, { permission: 'plans.report', scope: { institutionId: row.institution_id }, action: d.intent === 'submit' ? 'matrix_row.submit' : 'matrix_row.save', entity: 'matrix_row' }, async (trx) => {
    const current = await repo.findRow(trx, ctx.commune.id, rowId);
    const cyc = await repo.findCycleById(trx, ctx.commune.id, cycle.id);
    if (!current || !cyc) throw new NotFoundError();
    if (cyc.status !== 'open') throw new RuleError('plans.cycle.closedForEdits');
    const next = transition(current.state as RowState, d.intent);
    if (!next) throw new RuleError('plans.row.notEditable');
    if (d.intent === 'submit' && current.state === 'returned' && !d.answer) throw new RuleError('plans.row.answerRequired', {}, 'answer');
    const values = 'status' in d
      ? { status: d.status, progress: actionProgress(d.status, d.progress), value: null }
      : { status: null, progress: null, value: (d as { value: number }).value };
    const now = iso(ctx.clock.now());
    await adb(trx).updateTable('matrix_rows').set({
      ...values, difficulties: d.difficulties, answer: d.answer, state: next, updated_at: now, updated_by: ctx.actor?.userId || null,
      ...(d.intent === 'submit' ? { submitted_at: now } : {}),
    }).where('commune_id', '=', ctx.commune.id).where('id', '=', rowId).execute();
    const commitmentId = (await repo.matrixRows(trx, ctx.commune.id, cycle.id, { ids: [rowId] }))[0].commitment_id;
    const evidenceId = await insertEvidence(ctx, trx, { commitmentId, actionId: current.action_id, indicatorId: current.indicator_id, rowId },
      { title: ev.evidence_title, url: ev.evidence_url, visibility: ev.evidence_visibility, upload });
    await addEvent(ctx, trx, rowId, d.intent, current.state === 'returned' ? d.answer : '');
    return {
      result: next, entityId: rowId,
      before: { state: current.state, status: current.status, progress: current.progress, value: current.value, difficulties: current.difficulties },
      after: { state: next, ...values, difficulties: d.difficulties, answer: d.answer, evidenceId },
    };
  });
}

/** The OGP team validates a submitted row. */
export async function validateRow(ctx: Ctx, planSlug: string, code: string, rowId: number): Promise<void> {
  const { cycle } = await loadRow(ctx, ctx.db, planSlug, code, rowId);
  await mutate(ctx, { permission: 'plans.validate', action: 'matrix_row.validate', entity: 'matrix_row' }, async (trx) => {
    const current = await repo.findRow(trx, ctx.commune.id, rowId);
    if (!current || current.cycle_id !== cycle.id) throw new NotFoundError();
    const next = transition(current.state as RowState, 'validate');
    if (!next) throw new RuleError('plans.row.notSubmitted');
    const now = iso(ctx.clock.now());
    await adb(trx).updateTable('matrix_rows').set({ state: next, validated_at: now, validated_by: ctx.actor?.userId || null })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', rowId).execute();
    await addEvent(ctx, trx, rowId, 'validate');
    return { result: undefined, entityId: rowId, before: { state: current.state }, after: { state: next } };
  });
}

const returnSchema = z.object({ remark: text(2000) });

/** The OGP team returns a row to its department with a remark. */
export async function returnRow(ctx: Ctx, planSlug: string, code: string, rowId: number, input: unknown): Promise<void> {
  authorize(ctx, 'plans.validate');
  const d = parseInput(returnSchema, input);
  const { cycle } = await loadRow(ctx, ctx.db, planSlug, code, rowId);
  await mutate(ctx, { permission: 'plans.validate', action: 'matrix_row.return', entity: 'matrix_row' }, async (trx) => {
    const current = await repo.findRow(trx, ctx.commune.id, rowId);
    if (!current || current.cycle_id !== cycle.id) throw new NotFoundError();
    const next = transition(current.state as RowState, 'return');
    if (!next) throw new RuleError('plans.row.notSubmitted');
    await adb(trx).updateTable('matrix_rows').set({ state: next, remark: d.remark, validated_at: null, validated_by: null })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', rowId).execute();
    await addEvent(ctx, trx, rowId, 'return', d.remark);
    return { result: undefined, entityId: rowId, before: { state: current.state }, after: { state: next, remark: d.remark } };
  });
}

// ---------- The matrix as CSV ----------

/** The pre-filled matrix of the rows the reader may see (or one department's), as CSV. */
export async function matrixCsv(ctx: Ctx, planSlug: string, code: string, department?: string): Promise<{ filename: string; body: string }> {
  const m = await matrix(ctx, planSlug, code, { department });
  const l = ctx.locale;
  let body = BOM + csvLine([...MATRIX_COLUMNS, 'state', 'remark', 'baseline', 'target']);
  for (const r of m.rows) {
    body += csvLine([
      r.id, r.kind, r.department.slug, r.commitmentNumber, r.itemId, tr(r.itemTitle, l),
      r.kind === 'action' ? r.status ?? '' : '', r.kind === 'action' ? r.progress ?? '' : '', r.kind === 'indicator' ? r.value ?? '' : '',
      r.difficulties, r.answer, r.state, r.remark, r.kind === 'indicator' ? r.baseline ?? '' : '', r.kind === 'indicator' ? r.target ?? '' : '',
    ]);
  }
  return { filename: `matrix-${planSlug}-${code}${department ? `-${department}` : ''}.csv`, body };
}

export const MAX_MATRIX_BYTES = 2 * 1024 * 1024;

/**
 * Imports a filled matrix. Every line is checked first; if any is bad, nothing is written and
 * every bad line is reported with its number and reason. With `submit`, complete rows are sent
 * to the OGP team (a returned row needs an answer to the remark).
 */
export async function importMatrix(ctx: Ctx, planSlug: string, code: string, upload: Upload | null, input: unknown): Promise<{ saved: number; submitted: number }> {
  authorize(ctx, 'plans.report');
  const submit = parseInput(z.object({ submit: z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean()) }), input).submit;
  if (!upload || upload.data.length === 0) throw new RuleError('plans.csv.noFile', {}, 'file');
  if (upload.truncated || upload.data.length > MAX_MATRIX_BYTES) throw new RuleError('errors.fileTooLarge', { max: 2 }, 'file');
  const textContent = upload.data.toString('utf8');
  if (textContent.includes('\u0000') || textContent.includes('\uFFFD')) throw new RuleError('plans.csv.notText', {}, 'file');
  const lines = parseCsv(textContent);
  const { cycle } = await planAndCycle(ctx, ctx.db, planSlug, code);
  if (cycle.status !== 'open') throw new RuleError('plans.cycle.closedForEdits', {}, 'file');
  return mutate(ctx, { permission: 'plans.report', action: 'matrix.import', entity: 'reporting_cycle' }, async (trx) => {
    const all = await repo.matrixRows(trx, ctx.commune.id, cycle.id);
    const refs = new Map<number, MatrixRowRef>(all.map((r) => [r.id, {
      id: r.id, kind: r.kind as 'action' | 'indicator', state: r.state, institutionId: r.institution_id, status: r.status, progress: r.progress,
      value: r.value === null ? null : Number(r.value), difficulties: r.difficulties, answer: r.answer,
    }]));
    const { changes, errors } = checkMatrixLines(lines, refs, (inst) => can(ctx.actor, 'plans.report', { institutionId: inst }));
    const applied: typeof changes = [];
    for (const c of changes) {
      const ref = refs.get(c.rowId)!;
      const merged = { kind: ref.kind, status: c.report.status ?? ref.status, progress: c.report.progress ?? ref.progress, value: c.report.value ?? ref.value };
      const submitting = submit && rowComplete(merged);
      if (submitting && ref.state === 'returned' && !c.report.answer) { errors.push({ line: c.line, key: 'plans.csv.answerRequired', params: { value: c.rowId } }); continue; }
      if (!c.changed && !submitting) continue;
      applied.push(c);
    }
    if (errors.length) throw new ImportRejected(errors.sort((a, b) => a.line - b.line));
    const now = iso(ctx.clock.now());
    let submitted = 0;
    for (const c of applied) {
      const ref = refs.get(c.rowId)!;
      const merged = { kind: ref.kind, status: c.report.status ?? ref.status, progress: c.report.progress ?? ref.progress, value: c.report.value ?? ref.value };
      const submitting = submit && rowComplete(merged);
      if (submitting) submitted++;
      await adb(trx).updateTable('matrix_rows').set({
        status: merged.status, progress: merged.progress, value: merged.value, difficulties: c.report.difficulties, answer: c.report.answer,
        updated_at: now, updated_by: ctx.actor?.userId || null, ...(submitting ? { state: 'submitted', submitted_at: now } : {}),
      }).where('commune_id', '=', ctx.commune.id).where('id', '=', c.rowId).execute();
      await addEvent(ctx, trx, c.rowId, submitting ? 'submit' : 'save', ref.state === 'returned' ? c.report.answer : '');
    }
    return { result: { saved: applied.length, submitted }, entityId: cycle.id, after: { rows: applied.map((c) => ({ id: c.rowId, ...c.report })), submitted } };
  });
}

// ---------- Steering committee ----------

const idList = () => z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).map(String), z.array(z.string().regex(/^\d{1,9}$/)).max(5000)).transform((a) => [...new Set(a.map(Number))]);

export const decisionSchema = z.object({
  decided_on: isoDate(),
  outcome: oneOf(DECISION_OUTCOMES),
  decision: text(5000),
  measures: optionalText(5000),
  row_ids: idList(),
});

/** The steering committee records a decision (and corrective measures) on the consolidated matrix, linked to the rows it concerns. */
export async function recordDecision(ctx: Ctx, planSlug: string, code: string, input: unknown): Promise<number> {
  authorize(ctx, 'plans.review');
  const d = parseInput(decisionSchema, input);
  return mutate(ctx, { permission: 'plans.review', action: 'steering.decide', entity: 'steering_decision' }, async (trx) => {
    const { cycle } = await planAndCycle(ctx, trx, planSlug, code);
    const rows = await repo.matrixRows(trx, ctx.commune.id, cycle.id, { ids: d.row_ids });
    if (rows.length !== d.row_ids.length) throw new RuleError('errors.choice', {}, 'row_ids');
    const { id } = await adb(trx).insertInto('steering_decisions').values({
      commune_id: ctx.commune.id, cycle_id: cycle.id, decided_on: d.decided_on, outcome: d.outcome, decision: d.decision, measures: d.measures,
      created_by: ctx.actor?.userId || null, created_at: iso(ctx.clock.now()),
    }).returning('id').executeTakeFirstOrThrow();
    if (d.row_ids.length) await adb(trx).insertInto('steering_decision_rows').values(d.row_ids.map((r) => ({ commune_id: ctx.commune.id, decision_id: id, row_id: r }))).execute();
    return { result: id, entityId: id, after: { cycle: code, ...d } };
  });
}

export async function cycleDecisions(ctx: Ctx, planSlug: string, code: string) {
  authorize(ctx, 'plans.read_internal');
  const { cycle } = await planAndCycle(ctx, ctx.db, planSlug, code);
  const decisions = await repo.decisionsOfCycle(ctx.db, ctx.commune.id, cycle.id);
  const links = await repo.decisionLinks(ctx.db, ctx.commune.id, decisions.map((d) => d.id));
  return decisions.map((d) => ({
    id: d.id, decidedOn: d.decided_on, outcome: d.outcome, decision: d.decision, measures: d.measures,
    rowIds: links.filter((l) => l.decision_id === d.id).map((l) => l.row_id),
  }));
}

// ---------- Publication and corrections ----------

/**
 * Publishes the validated rows of a cycle: each becomes a new public figure (an action update or
 * a measurement); the rows are frozen. Figures already public are never touched.
 */
export async function publishCycle(ctx: Ctx, planSlug: string, code: string): Promise<{ actions: number; measurements: number }> {
  return mutate(ctx, { permission: 'plans.validate', action: 'cycle.publish', entity: 'reporting_cycle' }, async (trx) => {
    // Before reading the rows: a second publication at the same moment waits, then finds nothing left to publish.
    await lockCommune(trx, ctx.commune.id);
    const db = adb(trx);
    const { cycle } = await planAndCycle(ctx, trx, planSlug, code);
    const rows = await repo.matrixRows(trx, ctx.commune.id, cycle.id, { states: ['validated'] });
    if (rows.length === 0) throw new RuleError('plans.publish.nothing');
    const now = iso(ctx.clock.now());
    const by = ctx.actor?.userId || null;
    const published: { row: number; update?: number; measurement?: number }[] = [];
    for (const r of rows) {
      if (r.kind === 'action') {
        const prev = await repo.latestActionVersion(trx, ctx.commune.id, r.action_id!, cycle.period_end, cycle.id);
        const { id } = await db.insertInto('action_updates').values({
          commune_id: ctx.commune.id, action_id: r.action_id!, cycle_id: cycle.id, period_end: cycle.period_end, version: (prev?.version ?? 0) + 1,
          status: r.status ?? 'planned', progress: actionProgress(r.status ?? 'planned', r.progress), difficulties: r.difficulties, note: '',
          supersedes_id: prev?.id ?? null, row_id: r.id, published_at: now, published_by: by, sample: r.item_sample ? 1 : 0,
        }).returning('id').executeTakeFirstOrThrow();
        published.push({ row: r.id, update: id });
      } else {
        const prev = await repo.latestMeasurementVersion(trx, ctx.commune.id, r.indicator_id!, cycle.code);
        // Who entered the value and who validated it, from the row.
        const who = await db.selectFrom('matrix_rows').select(['updated_by', 'validated_by']).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).executeTakeFirst();
        const { id } = await db.insertInto('measurements').values({
          commune_id: ctx.commune.id, indicator_id: r.indicator_id!, cycle_id: cycle.id, period: cycle.code, period_end: cycle.period_end,
          version: (prev?.version ?? 0) + 1, value: Number(r.value), source: '', note: '', supersedes_id: prev?.id ?? null, row_id: r.id,
          entered_by: who?.updated_by ?? null, validated_by: who?.validated_by ?? null, published_at: now, published_by: by, sample: r.item_sample ? 1 : 0,
        }).returning('id').executeTakeFirstOrThrow();
        published.push({ row: r.id, measurement: id });
      }
      await db.updateTable('matrix_rows').set({ state: 'published', published_at: now }).where('commune_id', '=', ctx.commune.id).where('id', '=', r.id).execute();
      await addEvent(ctx, trx, r.id, 'publish');
    }
    await db.updateTable('reporting_cycles').set({ last_published_at: now }).where('commune_id', '=', ctx.commune.id).where('id', '=', cycle.id).execute();
    const result = { actions: published.filter((p) => p.update).length, measurements: published.filter((p) => p.measurement).length };
    return { result, entityId: cycle.id, after: { cycle: code, published } };
  });
}

const correctActionSchema = z.object({ status: oneOf(ACTION_STATUSES), progress: int(0, 100), note: text(2000) });
const correctMeasurementSchema = z.object({
  value: z.preprocess((v) => { const s = typeof v === 'string' ? v : ''; if (!s.trim()) return undefined; const n = parseDecimal(s); return n === null ? NaN : n; },
    z.number({ error: (i) => (i.input === undefined ? 'errors.required' : 'errors.invalid') })),
  note: text(2000),
});

async function checkFigurePlan(ctx: Ctx, db: AnyDB, planSlug: string, commitmentId: number) {
  const plan = await repo.findPlan(db, ctx.commune.id, planSlug);
  const c = await repo.findCommitment(db, ctx.commune.id, commitmentId);
  if (!plan || !c || c.plan_id !== plan.id) throw new NotFoundError();
}

export async function figureForCorrection(ctx: Ctx, planSlug: string, kind: 'action' | 'measurement', id: number) {
  authorize(ctx, 'plans.validate');
  if (kind === 'action') {
    const u = await repo.findActionUpdate(ctx.db, ctx.commune.id, id);
    if (!u) throw new NotFoundError();
    const a = await adb(ctx.db).selectFrom('actions').select(['commitment_id', 'title']).where('commune_id', '=', ctx.commune.id).where('id', '=', u.action_id).executeTakeFirstOrThrow();
    await checkFigurePlan(ctx, ctx.db, planSlug, a.commitment_id);
    const history = (await repo.actionHistory(ctx.db, ctx.commune.id, [u.action_id])).filter((h) => h.period_end === u.period_end && h.cycle_id === u.cycle_id);
    return { kind, id, commitmentId: a.commitment_id, title: parseTranslated(a.title), latest: history[0]?.id === id, values: { status: u.status, progress: String(u.progress) },
      history: history.map((h) => ({ id: h.id, version: h.version, label: `${h.status} · ${h.progress} %`, note: h.note, publishedAt: h.published_at })), period: history[0]?.cycle_code ?? u.period_end };
  }
  const m = await repo.findMeasurement(ctx.db, ctx.commune.id, id);
  if (!m) throw new NotFoundError();
  const i = await adb(ctx.db).selectFrom('indicators').select(['commitment_id', 'title', 'unit']).where('commune_id', '=', ctx.commune.id).where('id', '=', m.indicator_id).executeTakeFirstOrThrow();
  await checkFigurePlan(ctx, ctx.db, planSlug, i.commitment_id);
  const history = (await repo.measurementHistory(ctx.db, ctx.commune.id, [m.indicator_id])).filter((h) => h.period === m.period);
  return { kind, id, commitmentId: i.commitment_id, title: parseTranslated(i.title), latest: history[0]?.id === id, values: { value: String(m.value) },
    history: history.map((h) => ({ id: h.id, version: h.version, label: `${h.value} ${tr(parseTranslated(i.unit), ctx.locale)}`.trim(), note: h.note, publishedAt: h.published_at })), period: m.period };
}

/**
 * Corrects a published action figure: a new version superseding the latest one of its period,
 * with the reason. The superseded version stays, visible in the public history.
 */
export async function correctActionUpdate(ctx: Ctx, planSlug: string, updateId: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.validate');
  const d = parseInput(correctActionSchema, input);
  return mutate(ctx, { permission: 'plans.validate', action: 'figure.correct', entity: 'action_update' }, async (trx) => {
    const u = await repo.findActionUpdate(trx, ctx.commune.id, updateId);
    if (!u) throw new NotFoundError();
    const a = await adb(trx).selectFrom('actions').select(['commitment_id']).where('commune_id', '=', ctx.commune.id).where('id', '=', u.action_id).executeTakeFirstOrThrow();
    await checkFigurePlan(ctx, trx, planSlug, a.commitment_id);
    const latest = await repo.latestActionVersion(trx, ctx.commune.id, u.action_id, u.period_end, u.cycle_id);
    if (!latest || latest.id !== u.id) throw new RuleError('plans.correct.superseded');
    const progress = actionProgress(d.status, d.progress);
    if (d.status === u.status && progress === u.progress) throw new RuleError('plans.correct.unchanged', {}, 'progress');
    const { id } = await adb(trx).insertInto('action_updates').values({
      commune_id: ctx.commune.id, action_id: u.action_id, cycle_id: u.cycle_id, period_end: u.period_end, version: u.version + 1, status: d.status, progress,
      difficulties: u.difficulties, note: d.note, supersedes_id: u.id, row_id: u.row_id, published_at: iso(ctx.clock.now()), published_by: ctx.actor?.userId || null, sample: u.sample,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, before: { id: u.id, version: u.version, status: u.status, progress: u.progress }, after: { id, version: u.version + 1, status: d.status, progress, note: d.note } };
  });
}

export async function correctMeasurement(ctx: Ctx, planSlug: string, measurementId: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.validate');
  const d = parseInput(correctMeasurementSchema, input);
  return mutate(ctx, { permission: 'plans.validate', action: 'figure.correct', entity: 'measurement' }, async (trx) => {
    const m = await repo.findMeasurement(trx, ctx.commune.id, measurementId);
    if (!m) throw new NotFoundError();
    const i = await adb(trx).selectFrom('indicators').select(['commitment_id']).where('commune_id', '=', ctx.commune.id).where('id', '=', m.indicator_id).executeTakeFirstOrThrow();
    await checkFigurePlan(ctx, trx, planSlug, i.commitment_id);
    const latest = await repo.latestMeasurementVersion(trx, ctx.commune.id, m.indicator_id, m.period);
    if (!latest || latest.id !== m.id) throw new RuleError('plans.correct.superseded');
    if (d.value === Number(m.value)) throw new RuleError('plans.correct.unchanged', {}, 'value');
    const { id } = await adb(trx).insertInto('measurements').values({
      commune_id: ctx.commune.id, indicator_id: m.indicator_id, cycle_id: m.cycle_id, period: m.period, period_end: m.period_end, version: m.version + 1,
      value: d.value, source: m.source, note: d.note, supersedes_id: m.id, row_id: m.row_id, entered_by: ctx.actor?.userId || null, validated_by: ctx.actor?.userId || null,
      published_at: iso(ctx.clock.now()), published_by: ctx.actor?.userId || null, sample: m.sample,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, before: { id: m.id, version: m.version, value: m.value }, after: { id, version: m.version + 1, value: d.value, note: d.note } };
  });
}

const historicalSchema = z.object({
  period: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''), z.string().min(1).max(10).refine((s) => periodEnd(s) !== null, { error: 'errors.format' })),
  value: correctMeasurementSchema.shape.value,
  source: optionalText(500),
  note: optionalText(2000),
  sample: z.boolean().default(false),
});

/**
 * Publishes a measurement taken outside a reporting cycle (a baseline survey, figures from before
 * the platform). A period already measured is corrected, never overwritten.
 */
export async function publishHistoricalMeasurement(ctx: Ctx, indicatorId: number, input: unknown): Promise<number> {
  authorize(ctx, 'plans.validate');
  const d = parseInput(historicalSchema, input);
  return mutate(ctx, { permission: 'plans.validate', action: 'measurement.publish', entity: 'measurement' }, async (trx) => {
    const ind = await adb(trx).selectFrom('indicators').select(['id']).where('commune_id', '=', ctx.commune.id).where('id', '=', indicatorId).executeTakeFirst();
    if (!ind) throw new NotFoundError();
    if (await repo.latestMeasurementVersion(trx, ctx.commune.id, indicatorId, d.period)) throw new RuleError('plans.correct.superseded', {}, 'period');
    const { id } = await adb(trx).insertInto('measurements').values({
      commune_id: ctx.commune.id, indicator_id: indicatorId, cycle_id: null, period: d.period, period_end: periodEnd(d.period)!, version: 1, value: d.value,
      source: d.source, note: d.note, supersedes_id: null, row_id: null, entered_by: ctx.actor?.userId || null, validated_by: ctx.actor?.userId || null,
      published_at: iso(ctx.clock.now()), published_by: ctx.actor?.userId || null, sample: d.sample ? 1 : 0,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, after: { indicatorId, ...d } };
  });
}

// ---------- Reminders ----------

/** Queues a reminder e-mail (through the outbox) to the staff of every department with rows still to submit. */
export async function sendReminders(ctx: Ctx, planSlug: string, code: string, baseUrl: string): Promise<{ departments: number; mails: number }> {
  return mutate(ctx, { permission: 'plans.validate', action: 'cycle.remind', entity: 'reporting_cycle' }, async (trx) => {
    const { plan, cycle } = await planAndCycle(ctx, trx, planSlug, code);
    if (cycle.status !== 'open') throw new RuleError('plans.cycle.closedForEdits');
    const counts = await repo.rowCounts(trx, ctx.commune.id, cycle.id);
    const outstanding = new Map<number, number>();
    for (const c of counts) if (c.state === 'pending' || c.state === 'returned') outstanding.set(c.institution_id, (outstanding.get(c.institution_id) ?? 0) + Number(c.n));
    if (outstanding.size === 0) throw new RuleError('plans.remind.none');
    const staff = await repo.staffOf(trx, ctx.commune.id, [...outstanding.keys()]);
    for (const s of staff) {
      // In the recipient's language, not the sender's.
      const locale = isLocale(s.locale) ? s.locale : 'fr';
      const t = ctx.tFor(locale);
      const title = tr(parseTranslated(plan.title), locale);
      const url = `${baseUrl}/${locale}/admin/plans/${plan.slug}/cycles/${encodeURIComponent(cycle.code)}/matrix`;
      await queueMail(trx, {
        communeId: ctx.commune.id, at: ctx.clock.now(), to: s.email,
        subject: t('plans.remind.subject', { cycle: cycle.code, plan: title }),
        text: t('plans.remind.body', { name: s.name, cycle: cycle.code, plan: title, count: outstanding.get(s.institution_id!) ?? 0, due: formatDate(locale, cycle.due_date), url }),
      });
    }
    return { result: { departments: outstanding.size, mails: staff.length }, entityId: cycle.id, after: { departments: [...outstanding.keys()], mails: staff.length } };
  });
}

