import type { Ctx } from '../../core/service.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import * as repo from './repo.ts';
import { listCommitments, today, parseJson } from './service.ts';
import { indicatorStatus } from './rules.ts';
import { csvLine, BOM } from './csv.ts';

/**
 * Open data of a plan, streamed (documented in docs/open-data.md). Identifiers are stable: a
 * database id is never reused nor renumbered; commitments also carry their plan-wide number.
 * Figures are the published ones only; every published version of a measurement is exported.
 */

export const EXPORT_VERSION = 1;
const PAGE = 1000;

const tri = (v: Translated, prefix: string) => ({ [`${prefix}_fr`]: v.fr ?? '', [`${prefix}_ar`]: v.ar ?? '', [`${prefix}_en`]: v.en ?? '' });
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

async function planOf(ctx: Ctx, slug: string) {
  const p = await repo.findPlan(ctx.db, ctx.commune.id, slug);
  if (!p) throw new NotFoundError();
  return p;
}

async function commitmentRecords(ctx: Ctx, slug: string) {
  const list = await listCommitments(ctx, slug);
  const ids = list.map((c) => c.id);
  const [sdgs, insts, rows] = await Promise.all([
    repo.commitmentSdgs(ctx.db, ctx.commune.id, ids),
    repo.commitmentInstitutions(ctx.db, ctx.commune.id, ids),
    repo.commitmentsOfPlan(ctx.db, ctx.commune.id, list[0]?.planId ?? -1),
  ]);
  const byId = new Map(list.map((c) => [c.id, c]));
  const raw = new Map(rows.map((r) => [r.id, r]));
  return list.map((c) => ({
    commitment_id: c.id,
    plan: slug,
    number: c.number,
    parent_id: c.parentId,
    parent_number: c.parentId ? byId.get(c.parentId)?.number ?? null : null,
    depth: c.depth,
    ...tri(c.title, 'title'),
    ...tri(parseTranslated(raw.get(c.id)?.problem), 'problem'),
    ...tri(parseTranslated(raw.get(c.id)?.description), 'description'),
    lead_department: c.lead?.slug ?? null,
    supporting_institutions: insts.filter((i) => i.commitment_id === c.id && i.role === 'support').map((i) => i.slug),
    partners: insts.filter((i) => i.commitment_id === c.id && i.role === 'partner').map((i) => i.slug),
    ogp_values: c.ogpValues,
    sdg: sdgs.filter((s) => s.commitment_id === c.id).map((s) => s.target ?? String(s.goal)),
    start_date: c.startDate,
    end_date: c.endDate,
    weight: c.weight,
    progress: round1(c.progress),
    completion: c.completion,
    sample: c.sample,
  }));
}

async function actionRecords(ctx: Ctx, planId: number, slug: string) {
  const rows = await repo.exportActions(ctx.db, ctx.commune.id, planId);
  return rows.map((a) => ({
    action_id: a.id, plan: slug, commitment_id: a.commitment_id, commitment_number: a.commitment_number,
    ...tri(parseTranslated(a.title), 'title'), ...tri(parseTranslated(a.expected_result), 'expected_result'),
    department: a.department, start_date: a.start_date, end_date: a.end_date, status: a.status, progress: a.progress,
    figure_period_end: a.figure_period_end ?? null, figure_version: a.figure_version ?? null, figure_published_at: a.figure_published_at ?? null, sample: !!a.sample,
  }));
}

async function indicatorRecords(ctx: Ctx, planId: number, slug: string) {
  const [rows, depts] = await Promise.all([repo.indicatorsWithLatest(ctx.db, ctx.commune.id, planId), repo.departments(ctx.db, ctx.commune.id)]);
  const dept = new Map(depts.map((d) => [d.id, d.slug]));
  return rows.map((i) => {
    const latest = i.latest_value === null || i.latest_value === undefined ? null : Number(i.latest_value);
    const s = indicatorStatus({ direction: i.direction, baseline: i.baseline_value, target: i.target_value, latest });
    return {
      indicator_id: i.id, plan: slug, commitment_id: i.commitment_id, commitment_number: i.commitment_number, kind: i.kind,
      ...tri(parseTranslated(i.title), 'title'), ...tri(parseTranslated(i.definition), 'definition'), ...tri(parseTranslated(i.unit), 'unit'),
      direction: i.direction, baseline_value: i.baseline_value, baseline_date: i.baseline_date, target_value: i.target_value, target_date: i.target_date,
      ...tri(parseTranslated(i.source), 'source'), frequency: i.frequency, department: dept.get(i.institution_id) ?? null,
      latest_value: latest, latest_period: i.latest_period ?? null, progress_towards_target: round1(s.progress), target_met: s.met, sample: !!i.sample,
    };
  });
}

const measurementRecord = (m: Awaited<ReturnType<typeof repo.exportMeasurementsPage>>[number]) => ({
  measurement_id: m.id, indicator_id: m.indicator_id, period: m.period, period_end: m.period_end, cycle: m.cycle ?? null, version: m.version,
  supersedes_id: m.supersedes_id, value: Number(m.value), source: m.source, note: m.note, published_at: m.published_at, sample: !!m.sample,
});

const updateRecord = (u: Awaited<ReturnType<typeof repo.exportActionUpdatesPage>>[number]) => ({
  update_id: u.id, action_id: u.action_id, cycle: u.cycle ?? null, period_end: u.period_end, version: u.version, supersedes_id: u.supersedes_id,
  status: u.status, progress: u.progress, note: u.note, published_at: u.published_at, sample: !!u.sample,
});

function cell(v: unknown): unknown {
  if (Array.isArray(v)) return v.join(' ');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function* csvOf(records: Record<string, unknown>[], header?: string[]): Generator<string> {
  const cols = header ?? Object.keys(records[0] ?? {});
  yield BOM + csvLine(cols);
  for (const r of records) yield csvLine(cols.map((c) => cell(r[c])));
}

export const COMMITMENT_COLUMNS = ['commitment_id', 'plan', 'number', 'parent_id', 'parent_number', 'depth', 'title_fr', 'title_ar', 'title_en', 'problem_fr', 'problem_ar', 'problem_en',
  'description_fr', 'description_ar', 'description_en', 'lead_department', 'supporting_institutions', 'partners', 'ogp_values', 'sdg', 'start_date', 'end_date', 'weight', 'progress', 'completion', 'sample'];
export const ACTION_COLUMNS = ['action_id', 'plan', 'commitment_id', 'commitment_number', 'title_fr', 'title_ar', 'title_en', 'expected_result_fr', 'expected_result_ar', 'expected_result_en',
  'department', 'start_date', 'end_date', 'status', 'progress', 'figure_period_end', 'figure_version', 'figure_published_at', 'sample'];
export const INDICATOR_COLUMNS = ['indicator_id', 'plan', 'commitment_id', 'commitment_number', 'kind', 'title_fr', 'title_ar', 'title_en', 'definition_fr', 'definition_ar', 'definition_en',
  'unit_fr', 'unit_ar', 'unit_en', 'direction', 'baseline_value', 'baseline_date', 'target_value', 'target_date', 'source_fr', 'source_ar', 'source_en', 'frequency', 'department',
  'latest_value', 'latest_period', 'progress_towards_target', 'target_met', 'sample'];
export const MEASUREMENT_COLUMNS = ['measurement_id', 'indicator_id', 'period', 'period_end', 'cycle', 'version', 'supersedes_id', 'value', 'source', 'note', 'published_at', 'sample'];

export type CsvEntity = 'commitments' | 'actions' | 'indicators' | 'measurements';

/** One entity of a plan as CSV lines, streamed; the plan is checked before the first line. */
export async function planCsv(ctx: Ctx, slug: string, entity: CsvEntity): Promise<AsyncGenerator<string>> {
  const plan = await planOf(ctx, slug);
  return (async function* () {
    if (entity === 'commitments') yield* csvOf(await commitmentRecords(ctx, slug), COMMITMENT_COLUMNS);
    else if (entity === 'actions') yield* csvOf(await actionRecords(ctx, plan.id, slug), ACTION_COLUMNS);
    else if (entity === 'indicators') yield* csvOf(await indicatorRecords(ctx, plan.id, slug), INDICATOR_COLUMNS);
    else {
      yield BOM + csvLine(MEASUREMENT_COLUMNS);
      for (let after = 0; ;) {
        const page = await repo.exportMeasurementsPage(ctx.db, ctx.commune.id, plan.id, after, PAGE);
        if (page.length === 0) break;
        let chunk = '';
        for (const m of page) { const r = measurementRecord(m) as Record<string, unknown>; chunk += csvLine(MEASUREMENT_COLUMNS.map((c) => cell(r[c]))); }
        yield chunk;
        after = page[page.length - 1].id;
        if (page.length < PAGE) break;
      }
    }
  })();
}

/** The whole plan as one JSON document, streamed: plan, commitments, actions with their published versions, indicators, measurements. */
export async function planJson(ctx: Ctx, slug: string, schemaUrl: string): Promise<AsyncGenerator<string>> {
  const plan = await planOf(ctx, slug);
  return (async function* () {
    const head = {
      schema: schemaUrl, version: EXPORT_VERSION, generated_at: ctx.clock.now().toISOString(), as_of: today(ctx),
      plan: {
        plan_id: plan.id, slug: plan.slug, kind: plan.kind, title: parseTranslated(plan.title), period_start: plan.period_start, period_end: plan.period_end,
        submitted_on: plan.submitted_on, status: plan.status, vision: parseTranslated(plan.vision), objectives: parseJson(plan.objectives, []),
      },
    };
    yield JSON.stringify(head).slice(0, -1);
    yield `,"commitments":${JSON.stringify(await commitmentRecords(ctx, slug))}`;
    yield `,"actions":${JSON.stringify(await actionRecords(ctx, plan.id, slug))}`;
    yield ',"action_updates":[';
    let first = true;
    for (let after = 0; ;) {
      const page = await repo.exportActionUpdatesPage(ctx.db, ctx.commune.id, plan.id, after, PAGE);
      if (page.length === 0) break;
      yield (first ? '' : ',') + page.map((u) => JSON.stringify(updateRecord(u))).join(',');
      first = false;
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    yield `],"indicators":${JSON.stringify(await indicatorRecords(ctx, plan.id, slug))}`;
    yield ',"measurements":[';
    first = true;
    for (let after = 0; ;) {
      const page = await repo.exportMeasurementsPage(ctx.db, ctx.commune.id, plan.id, after, PAGE);
      if (page.length === 0) break;
      yield (first ? '' : ',') + page.map((m) => JSON.stringify(measurementRecord(m))).join(',');
      first = false;
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    yield ']}';
  })();
}

export const PLAN_INDEX_COLUMNS = ['plan_id', 'slug', 'kind', 'title_fr', 'title_ar', 'title_en', 'period_start', 'period_end', 'status',
  'commitments_csv', 'actions_csv', 'indicators_csv', 'measurements_csv', 'json'];

/** Every plan of the commune with the addresses of its files: the entry point of the open data. */
export async function planIndex(ctx: Ctx, baseUrl: string) {
  const plans = await repo.listPlans(ctx.db, ctx.commune.id);
  return plans.map((p) => {
    const csv = (entity: string) => `${baseUrl}/${ctx.locale}/plans/${p.slug}${entity === 'commitments' ? '.csv' : `/${entity}.csv`}`;
    return {
      plan_id: p.id, slug: p.slug, kind: p.kind, ...tri(parseTranslated(p.title), 'title'), period_start: p.period_start, period_end: p.period_end, status: p.status,
      commitments_csv: csv('commitments'), actions_csv: csv('actions'), indicators_csv: csv('indicators'), measurements_csv: csv('measurements'),
      json: `${baseUrl}/api/plans/${p.slug}.json`,
    };
  });
}

export async function planIndexCsv(ctx: Ctx, baseUrl: string): Promise<Generator<string>> {
  return csvOf(await planIndex(ctx, baseUrl), PLAN_INDEX_COLUMNS);
}
