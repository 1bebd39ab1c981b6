import { z } from 'zod';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { can } from '../../core/auth/roles.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { parseInput, int, optionalInt, optionalText, oneOf, isoDate, optionalDate, translatedFields, collectTranslated } from '../../core/http/forms.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { iso } from '../../core/clock/index.ts';
import { localDay } from '../../core/clock/working-days.ts';
import { checkFile, writeFile, uploadsOf, fileMeta, DOCUMENT_KINDS, type PreparedFile } from '../../core/files/index.ts';
import { COMPLETION, OPEN_GOV, PRIORITIES, DECISIONS, PROGRESS, MAX_FILES, MAX_FILE_BYTES, MAX_LINKS } from './schema.ts';
import * as repo from './repo.ts';
import { mon, type MonDB } from './repo.ts';
import { listCommitments } from '../accountability/service.ts';

// ---------- What pages show ----------

export interface FileRef { id: number; name: string; size: number; kind: string }
export interface SectionView { id: number; sort: number; heading: Translated; body: Translated }
export interface AssessmentView {
  id: number; commitmentId: number; number: string; title: Translated; completion: string; openGov: string | null;
  justification: Translated; links: string[]; files: FileRef[];
}
export interface UpdateView { id: number; onDate: string; status: string; note: Translated }
export interface ResponseView {
  id: number; decision: string; measure: Translated; owner: { id: number; name: Translated } | null; dueDate: string | null;
  status: string | null; respondedAt: string; updatedAt: string; late: boolean; updates: UpdateView[];
}
export interface RecommendationView {
  id: number; number: number; body: Translated; institution: { id: number; name: Translated } | null; addressedTo: string; priority: string;
  response: ResponseView | null;
}
export interface VersionInfo { id: number; version: number; status: string; title: Translated; correctionNote: Translated; createdAt: string; publishedAt: string | null }
export interface ReportView {
  id: number; year: number; sample: boolean; plan: { id: number; slug: string; title: Translated };
  version: VersionInfo; versions: VersionInfo[];
  sections: SectionView[]; assessments: AssessmentView[]; recommendations: RecommendationView[];
}

const json = <T>(s: string | null | undefined, fallback: T): T => { try { return s ? JSON.parse(s) as T : fallback; } catch { return fallback; } };
const toVersion = (v: { id: number; version: number; status: string; title: string; correction_note: string; created_at: string; published_at: string | null }): VersionInfo => ({
  id: v.id, version: v.version, status: v.status, title: parseTranslated(v.title), correctionNote: parseTranslated(v.correction_note), createdAt: v.created_at, publishedAt: v.published_at,
});
const today = (ctx: Ctx) => localDay(ctx.clock.now());
const userId = (ctx: Ctx) => ctx.actor?.userId || null;

function toResponse(ctx: Ctx, r: Awaited<ReturnType<typeof repo.responsesOf>>[number], updates: UpdateView[]): ResponseView {
  return {
    id: r.id, decision: r.decision, measure: parseTranslated(r.measure), dueDate: r.due_date, status: r.status,
    owner: r.owner_institution_id ? { id: r.owner_institution_id, name: parseTranslated(r.owner_name) } : null,
    respondedAt: r.responded_at, updatedAt: r.updated_at, updates,
    late: r.decision !== 'rejected' && r.status !== 'done' && !!r.due_date && r.due_date < today(ctx),
  };
}

/** The answers to a report's recommendations, with their dated updates, keyed by recommendation number. */
async function responsesByNumber(ctx: Ctx, db: MonDB, reportId: number): Promise<Map<number, ResponseView>> {
  const rows = await repo.responsesOf(db, ctx.commune.id, [reportId]);
  const updates = await repo.updatesOf(db, ctx.commune.id, rows.map((r) => r.id));
  return new Map(rows.map((r) => [r.number, toResponse(ctx, r, updates.filter((u) => u.response_id === r.id)
    .map((u) => ({ id: u.id, onDate: u.on_date, status: u.status, note: parseTranslated(u.note) })))]));
}

async function loadReport(ctx: Ctx, db: MonDB, report: NonNullable<Awaited<ReturnType<typeof repo.findReport>>>, version: VersionInfo, versions: VersionInfo[]): Promise<ReportView> {
  const c = ctx.commune.id;
  const [sections, assessments, recs, responses] = await Promise.all([
    repo.sectionsOf(db, c, version.id), repo.assessmentsOf(db, c, version.id), repo.recommendationsOf(db, c, version.id), responsesByNumber(ctx, db, report.id),
  ]);
  const files = await repo.assessmentFiles(db, c, assessments.map((a) => a.id));
  return {
    id: report.id, year: report.year, sample: !!report.sample,
    plan: { id: report.plan_id, slug: report.plan_slug, title: parseTranslated(report.plan_title) },
    version, versions,
    sections: sections.map((s) => ({ id: s.id, sort: s.sort, heading: parseTranslated(s.heading), body: parseTranslated(s.body) })),
    assessments: assessments.map((a) => ({
      id: a.id, commitmentId: a.commitment_id, number: a.number, title: parseTranslated(a.title), completion: a.completion, openGov: a.open_gov,
      justification: parseTranslated(a.justification), links: json<string[]>(a.links, []),
      files: files.filter((f) => f.assessment_id === a.id).map((f) => ({ id: f.id, name: f.original_name, size: f.size, kind: f.kind })),
    })),
    recommendations: recs.map((r) => ({
      id: r.id, number: r.number, body: parseTranslated(r.body), addressedTo: r.addressed_to, priority: r.priority,
      institution: r.institution_id ? { id: r.institution_id, name: parseTranslated(r.institution_name) } : null,
      response: responses.get(r.number) ?? null,
    })),
  };
}

/** A published report as anyone reads it: the latest published version, or an earlier one by number. */
export async function publicReport(ctx: Ctx, reportId: number, versionNumber?: number): Promise<ReportView> {
  const db = mon(ctx.db);
  const report = await repo.findReport(db, ctx.commune.id, reportId);
  if (!report) throw new NotFoundError();
  const versions = (await repo.versionsOf(db, ctx.commune.id, reportId)).filter((v) => v.status === 'published').map(toVersion);
  const chosen = versionNumber === undefined ? versions.at(-1) : versions.find((v) => v.version === versionNumber);
  if (!chosen) throw new NotFoundError();
  return loadReport(ctx, db, report, chosen, versions);
}

/** The report as its author works on it: the latest version, draft or published, and every version. */
export async function editorReport(ctx: Ctx, reportId: number): Promise<ReportView> {
  authorize(ctx, 'monitoring.write');
  const db = mon(ctx.db);
  const report = await repo.findReport(db, ctx.commune.id, reportId);
  if (!report) throw new NotFoundError();
  const versions = (await repo.versionsOf(db, ctx.commune.id, reportId)).map(toVersion);
  return loadReport(ctx, db, report, versions.at(-1)!, versions);
}

export interface ReportSummary {
  id: number; year: number; sample: boolean; planSlug: string; planTitle: Translated;
  title: Translated; version: number; publishedAt: string | null; status: string; versions: number;
}

function summarise(rows: { id: number; year: number; sample: number; plan_slug: string; plan_title: string; version: number; title: string; published_at: string | null; status?: string }[]): ReportSummary[] {
  const out = new Map<number, ReportSummary>();
  for (const r of rows) {
    const prev = out.get(r.id);
    // Rows come in version order: the last one seen is the latest.
    out.set(r.id, {
      id: r.id, year: r.year, sample: !!r.sample, planSlug: r.plan_slug, planTitle: parseTranslated(r.plan_title),
      title: parseTranslated(r.title), version: r.version, publishedAt: r.published_at ?? prev?.publishedAt ?? null,
      status: r.status ?? 'published', versions: (prev?.versions ?? 0) + 1,
    });
  }
  return [...out.values()];
}

/** The monitor's list: every report, its latest version and status. */
export async function adminReports(ctx: Ctx): Promise<ReportSummary[]> {
  authorize(ctx, 'monitoring.write');
  return summarise(await repo.listReportsWithVersions(mon(ctx.db), ctx.commune.id));
}

export async function listPlanChoices(ctx: Ctx) {
  const rows = await repo.listPlans(mon(ctx.db), ctx.commune.id);
  return rows.map((p) => ({ id: p.id, slug: p.slug, kind: p.kind, title: parseTranslated(p.title) }));
}

export interface CommitmentChoice { id: number; number: string; title: Translated; depth: number }

/** A plan's commitments in tree order (axes, commitments, sub-commitments), for a select. */
export async function commitmentChoices(ctx: Ctx, planId: number): Promise<CommitmentChoice[]> {
  const rows = await repo.planCommitments(mon(ctx.db), ctx.commune.id, planId);
  const children = new Map<number | null, typeof rows>();
  for (const r of rows) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r]);
  const out: CommitmentChoice[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      out.push({ id: r.id, number: r.number, title: parseTranslated(r.title), depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

// ---------- Inputs ----------

const strOf = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => strOf(v).trim(), z.union([z.literal(''), z.enum(values)]).transform((s) => (s === '' ? null : s)));

export const reportSchema = z.object({ plan_id: int(1), year: int(2000, 2100), ...translatedFields('title', 200) });
export const titleSchema = z.object({ ...translatedFields('title', 200) });
export const sectionSchema = z.object({ ...translatedFields('heading', 200), ...translatedFields('body', 20000) });
export const assessmentSchema = z.object({
  commitment_id: int(1), completion: oneOf(COMPLETION), open_gov: optionalChoice(OPEN_GOV),
  ...translatedFields('justification', 5000), links: optionalText(3000),
});
export const recommendationSchema = z.object({
  ...translatedFields('body', 3000), institution_id: optionalInt(1), addressed_to: optionalText(200), priority: oneOf(PRIORITIES),
});
export const correctionSchema = z.object({ ...translatedFields('note', 1000) });
export const responseSchema = z.object({
  decision: oneOf(DECISIONS), ...translatedFields('measure', 3000), owner_institution_id: optionalInt(1), due_date: optionalDate(), status: optionalChoice(PROGRESS),
});
export const updateSchema = z.object({ on_date: isoDate(), status: oneOf(PROGRESS), ...translatedFields('note', 2000) });
export const endAssessmentSchema = z.object({ open_gov: oneOf(OPEN_GOV), ...translatedFields('justification', 5000) });

/** One http(s) address a line; anything else is refused with the line named. */
export function parseLinks(raw: string): string[] {
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > MAX_LINKS) throw new RuleError('errors.tooMany', { max: MAX_LINKS }, 'links');
  for (const [i, l] of lines.entries()) {
    let ok = /^https?:\/\//i.test(l) && l.length <= 500;
    if (ok) { try { new URL(l); } catch { ok = false; } }
    if (!ok) throw new RuleError('monitoring.badLink', { line: i + 1 }, 'links');
  }
  return lines;
}

/** The ids of the files ticked for removal. */
function removedIds(body: unknown): number[] {
  const v = (body as Record<string, unknown> | undefined)?.remove_file;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => Number(strOf(x))).filter((n) => Number.isInteger(n) && n > 0);
}

/** Uploaded evidence, checked by content and size before anything is written. */
function preparedUploads(body: unknown): PreparedFile[] {
  return uploadsOf(body, 'files').map((u) => checkFile(u, { allowed: DOCUMENT_KINDS, maxBytes: MAX_FILE_BYTES, field: 'files' }));
}

async function institutionExists(db: MonDB, communeId: number, id: number | null, field: string) {
  if (id === null) return;
  const r = await db.selectFrom('institutions').select('id').where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
  if (!r) throw new RuleError('errors.choice', {}, field);
}

// ---------- The monitor writes ----------

async function draftOf(db: MonDB, communeId: number, reportId: number) {
  const v = await repo.latestVersion(db, communeId, reportId);
  if (!v) throw new NotFoundError();
  if (v.status !== 'draft') throw new RuleError('monitoring.frozen');
  return v;
}

/** An item of a report's version: refused when that version is published (frozen). */
async function editableVersion(db: MonDB, communeId: number, reportId: number, versionId: number) {
  const v = await repo.findVersion(db, communeId, versionId);
  if (!v || v.report_id !== reportId) throw new NotFoundError();
  if (v.status !== 'draft') throw new RuleError('monitoring.frozen');
  return v;
}

const WRITE = 'monitoring.write';

export async function createReport(ctx: Ctx, input: unknown, opts: { sample?: boolean } = {}): Promise<number> {
  authorize(ctx, WRITE);
  const d = parseInput(reportSchema, input);
  return mutate(ctx, { permission: WRITE, action: 'monitoring.create', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const plan = await repo.findPlan(db, ctx.commune.id, d.plan_id);
    if (!plan) throw new RuleError('errors.choice', {}, 'plan_id');
    if (await repo.findReportByPlanYear(db, ctx.commune.id, d.plan_id, d.year)) throw new RuleError('monitoring.yearTaken', { year: d.year }, 'year');
    const now = iso(ctx.clock.now());
    const { id } = await db.insertInto('monitoring_reports').values({ commune_id: ctx.commune.id, plan_id: d.plan_id, year: d.year, sample: opts.sample ? 1 : 0, created_at: now, created_by: userId(ctx) })
      .returning('id').executeTakeFirstOrThrow();
    const title = collectTranslated(d, 'title');
    await db.insertInto('monitoring_versions').values({
      commune_id: ctx.commune.id, report_id: id, version: 1, status: 'draft', title: JSON.stringify(title), correction_note: '{}', created_at: now, created_by: userId(ctx), published_at: null, published_by: null,
    }).execute();
    return { result: id, entityId: id, after: { planId: d.plan_id, year: d.year, title } };
  });
}

export async function updateTitle(ctx: Ctx, reportId: number, input: unknown): Promise<void> {
  authorize(ctx, WRITE);
  const title = collectTranslated(parseInput(titleSchema, input), 'title');
  await mutate(ctx, { permission: WRITE, action: 'monitoring.title', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const v = await draftOf(db, ctx.commune.id, reportId);
    await db.updateTable('monitoring_versions').set({ title: JSON.stringify(title) }).where('commune_id', '=', ctx.commune.id).where('id', '=', v.id).execute();
    return { result: undefined, entityId: reportId, before: { title: parseTranslated(v.title) }, after: { version: v.version, title } };
  });
}

export async function getSection(ctx: Ctx, reportId: number, sectionId: number) {
  authorize(ctx, WRITE);
  const db = mon(ctx.db);
  const s = await repo.findSection(db, ctx.commune.id, sectionId);
  const v = s && await repo.findVersion(db, ctx.commune.id, s.version_id);
  if (!s || !v || v.report_id !== reportId) throw new NotFoundError();
  if (v.status !== 'draft') throw new RuleError('monitoring.frozen');
  return { id: s.id, heading: parseTranslated(s.heading), body: parseTranslated(s.body) };
}

/** Adds a section at the end of the draft, or edits one of the draft's sections. */
export async function saveSection(ctx: Ctx, reportId: number, sectionId: number | null, input: unknown): Promise<number> {
  authorize(ctx, WRITE);
  const d = parseInput(sectionSchema, input);
  const heading = collectTranslated(d, 'heading'), body = collectTranslated(d, 'body');
  return mutate(ctx, { permission: WRITE, action: sectionId ? 'monitoring.section_update' : 'monitoring.section_add', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    if (sectionId) {
      const s = await repo.findSection(db, ctx.commune.id, sectionId);
      if (!s) throw new NotFoundError();
      await editableVersion(db, ctx.commune.id, reportId, s.version_id);
      await db.updateTable('monitoring_sections').set({ heading: JSON.stringify(heading), body: JSON.stringify(body) }).where('commune_id', '=', ctx.commune.id).where('id', '=', sectionId).execute();
      return { result: sectionId, entityId: reportId, before: { section: sectionId, heading: parseTranslated(s.heading), body: parseTranslated(s.body) }, after: { section: sectionId, heading, body } };
    }
    const v = await draftOf(db, ctx.commune.id, reportId);
    const last = await db.selectFrom('monitoring_sections').select((eb) => eb.fn.max<number>('sort').as('m')).where('commune_id', '=', ctx.commune.id).where('version_id', '=', v.id).executeTakeFirst();
    const { id } = await db.insertInto('monitoring_sections').values({ commune_id: ctx.commune.id, version_id: v.id, sort: Number(last?.m ?? -1) + 1, heading: JSON.stringify(heading), body: JSON.stringify(body) })
      .returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: reportId, after: { section: id, heading, body } };
  });
}

export async function deleteSection(ctx: Ctx, reportId: number, sectionId: number): Promise<void> {
  await mutate(ctx, { permission: WRITE, action: 'monitoring.section_delete', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const s = await repo.findSection(db, ctx.commune.id, sectionId);
    if (!s) throw new NotFoundError();
    await editableVersion(db, ctx.commune.id, reportId, s.version_id);
    await db.deleteFrom('monitoring_sections').where('commune_id', '=', ctx.commune.id).where('id', '=', sectionId).execute();
    return { result: undefined, entityId: reportId, before: { section: sectionId, heading: parseTranslated(s.heading), body: parseTranslated(s.body) } };
  });
}

export async function moveSection(ctx: Ctx, reportId: number, sectionId: number, direction: 'up' | 'down'): Promise<void> {
  await mutate(ctx, { permission: WRITE, action: 'monitoring.section_move', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const s = await repo.findSection(db, ctx.commune.id, sectionId);
    if (!s) throw new NotFoundError();
    await editableVersion(db, ctx.commune.id, reportId, s.version_id);
    const all = await repo.sectionsOf(db, ctx.commune.id, s.version_id);
    const i = all.findIndex((x) => x.id === sectionId);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j >= 0 && j < all.length) [all[i], all[j]] = [all[j], all[i]];
    for (const [k, x] of all.entries()) {
      if (x.sort !== k) await db.updateTable('monitoring_sections').set({ sort: k }).where('commune_id', '=', ctx.commune.id).where('id', '=', x.id).execute();
    }
    return { result: undefined, entityId: reportId, after: { section: sectionId, direction, order: all.map((x) => x.id) } };
  });
}

export async function getAssessment(ctx: Ctx, reportId: number, assessmentId: number) {
  const report = await editorReport(ctx, reportId);
  const a = report.assessments.find((x) => x.id === assessmentId);
  if (!a) {
    // An assessment of an earlier version: it exists but is frozen.
    const row = await repo.findAssessment(mon(ctx.db), ctx.commune.id, assessmentId);
    const v = row && await repo.findVersion(mon(ctx.db), ctx.commune.id, row.version_id);
    if (row && v && v.report_id === reportId) throw new RuleError('monitoring.frozen');
    throw new NotFoundError();
  }
  return { report, assessment: a };
}

/** Creates or edits the draft's assessment of one commitment, with its evidence links and files. */
export async function saveAssessment(ctx: Ctx, reportId: number, assessmentId: number | null, body: unknown): Promise<number> {
  authorize(ctx, WRITE);
  const d = parseInput(assessmentSchema, body);
  const links = parseLinks(d.links);
  const justification = collectTranslated(d, 'justification');
  const uploads = preparedUploads(body);
  const remove = removedIds(body);
  return mutate(ctx, { permission: WRITE, action: assessmentId ? 'monitoring.assessment_update' : 'monitoring.assessment_add', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const report = await repo.findReport(db, c, reportId);
    if (!report) throw new NotFoundError();
    let versionId: number;
    let before: unknown;
    if (assessmentId) {
      const a = await repo.findAssessment(db, c, assessmentId);
      if (!a) throw new NotFoundError();
      versionId = (await editableVersion(db, c, reportId, a.version_id)).id;
      before = { assessment: assessmentId, commitmentId: a.commitment_id, completion: a.completion, openGov: a.open_gov, justification: parseTranslated(a.justification), links: json(a.links, []) };
    } else {
      versionId = (await draftOf(db, c, reportId)).id;
    }
    const commitment = await repo.findCommitment(db, c, d.commitment_id);
    if (!commitment || commitment.plan_id !== report.plan_id) throw new RuleError('errors.choice', {}, 'commitment_id');
    const twin = await db.selectFrom('monitoring_assessments').select('id').where('commune_id', '=', c).where('version_id', '=', versionId).where('commitment_id', '=', d.commitment_id).executeTakeFirst();
    if (twin && twin.id !== assessmentId) throw new RuleError('monitoring.alreadyAssessed', {}, 'commitment_id');
    const existing = assessmentId ? await repo.assessmentFiles(db, c, [assessmentId]) : [];
    const kept = existing.filter((f) => !remove.includes(f.id));
    if (kept.length + uploads.length > MAX_FILES) throw new RuleError('monitoring.tooManyFiles', { max: MAX_FILES }, 'files');
    const values = { commitment_id: d.commitment_id, completion: d.completion, open_gov: d.open_gov, justification: JSON.stringify(justification), links: JSON.stringify(links) };
    let id = assessmentId;
    if (id) await db.updateTable('monitoring_assessments').set(values).where('commune_id', '=', c).where('id', '=', id).execute();
    else id = (await db.insertInto('monitoring_assessments').values({ commune_id: c, version_id: versionId, ...values }).returning('id').executeTakeFirstOrThrow()).id;
    for (const f of existing.filter((x) => remove.includes(x.id))) await db.deleteFrom('monitoring_assessment_files').where('commune_id', '=', c).where('id', '=', f.link_id).execute();
    const added: number[] = [];
    for (const [i, u] of uploads.entries()) {
      const stored = await writeFile(trx, ctx.config.dataDir, c, u, userId(ctx), ctx.clock.now());
      await db.insertInto('monitoring_assessment_files').values({ commune_id: c, assessment_id: id, file_id: stored.id, sort: kept.length + i }).execute();
      added.push(stored.id);
    }
    return {
      result: id, entityId: reportId, before,
      after: { assessment: id, commitmentId: d.commitment_id, completion: d.completion, openGov: d.open_gov, justification, links, filesAdded: added, filesRemoved: remove },
    };
  });
}

export async function deleteAssessment(ctx: Ctx, reportId: number, assessmentId: number): Promise<void> {
  await mutate(ctx, { permission: WRITE, action: 'monitoring.assessment_delete', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const a = await repo.findAssessment(db, ctx.commune.id, assessmentId);
    if (!a) throw new NotFoundError();
    await editableVersion(db, ctx.commune.id, reportId, a.version_id);
    await db.deleteFrom('monitoring_assessments').where('commune_id', '=', ctx.commune.id).where('id', '=', assessmentId).execute();
    return { result: undefined, entityId: reportId, before: { assessment: assessmentId, commitmentId: a.commitment_id, completion: a.completion } };
  });
}

export async function getRecommendation(ctx: Ctx, reportId: number, recId: number) {
  authorize(ctx, WRITE);
  const db = mon(ctx.db);
  const r = await repo.findRecommendation(db, ctx.commune.id, recId);
  const v = r && await repo.findVersion(db, ctx.commune.id, r.version_id);
  if (!r || !v || v.report_id !== reportId) throw new NotFoundError();
  if (v.status !== 'draft') throw new RuleError('monitoring.frozen');
  return { id: r.id, number: r.number, body: parseTranslated(r.body), institutionId: r.institution_id, addressedTo: r.addressed_to, priority: r.priority };
}

export async function saveRecommendation(ctx: Ctx, reportId: number, recId: number | null, input: unknown): Promise<number> {
  authorize(ctx, WRITE);
  const d = parseInput(recommendationSchema, input);
  if (d.institution_id === null && !d.addressed_to) throw new RuleError('monitoring.addresseeRequired', {}, 'institution_id');
  const body = collectTranslated(d, 'body');
  return mutate(ctx, { permission: WRITE, action: recId ? 'monitoring.recommendation_update' : 'monitoring.recommendation_add', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    await institutionExists(db, c, d.institution_id, 'institution_id');
    const values = { body: JSON.stringify(body), institution_id: d.institution_id, addressed_to: d.addressed_to, priority: d.priority };
    if (recId) {
      const r = await repo.findRecommendation(db, c, recId);
      if (!r) throw new NotFoundError();
      await editableVersion(db, c, reportId, r.version_id);
      await db.updateTable('monitoring_recommendations').set(values).where('commune_id', '=', c).where('id', '=', recId).execute();
      return { result: recId, entityId: reportId, before: { number: r.number, body: parseTranslated(r.body), institutionId: r.institution_id, addressedTo: r.addressed_to, priority: r.priority }, after: { number: r.number, body, institutionId: d.institution_id, addressedTo: d.addressed_to, priority: d.priority } };
    }
    const v = await draftOf(db, c, reportId);
    const number = await repo.nextRecommendationNumber(db, c, reportId);
    const { id } = await db.insertInto('monitoring_recommendations').values({ commune_id: c, version_id: v.id, number, ...values }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: reportId, after: { number, body, institutionId: d.institution_id, addressedTo: d.addressed_to, priority: d.priority } };
  });
}

export async function deleteRecommendation(ctx: Ctx, reportId: number, recId: number): Promise<void> {
  await mutate(ctx, { permission: WRITE, action: 'monitoring.recommendation_delete', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const r = await repo.findRecommendation(db, ctx.commune.id, recId);
    if (!r) throw new NotFoundError();
    await editableVersion(db, ctx.commune.id, reportId, r.version_id);
    await db.deleteFrom('monitoring_recommendations').where('commune_id', '=', ctx.commune.id).where('id', '=', recId).execute();
    return { result: undefined, entityId: reportId, before: { number: r.number, body: parseTranslated(r.body) } };
  });
}

/** Publishes the draft: from now on its text is frozen; a correction is a new version. */
export async function publish(ctx: Ctx, reportId: number): Promise<number> {
  return mutate(ctx, { permission: WRITE, action: 'monitoring.publish', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const v = await draftOf(db, c, reportId);
    const [sections, assessments, recs] = await Promise.all([repo.sectionsOf(db, c, v.id), repo.assessmentsOf(db, c, v.id), repo.recommendationsOf(db, c, v.id)]);
    if (sections.length === 0) throw new RuleError('monitoring.needsSection');
    const at = iso(ctx.clock.now());
    await db.updateTable('monitoring_versions').set({ status: 'published', published_at: at, published_by: userId(ctx) })
      .where('commune_id', '=', c).where('id', '=', v.id).where('status', '=', 'draft').execute();
    // The whole published text goes into the audit chain, so any later rewrite would show.
    return {
      result: v.version, entityId: reportId, before: { version: v.version, status: 'draft' },
      after: {
        version: v.version, status: 'published', publishedAt: at, title: parseTranslated(v.title), correctionNote: parseTranslated(v.correction_note),
        sections: sections.map((s) => ({ heading: parseTranslated(s.heading), body: parseTranslated(s.body) })),
        assessments: assessments.map((a) => ({ commitmentId: a.commitment_id, completion: a.completion, openGov: a.open_gov, justification: parseTranslated(a.justification), links: json(a.links, []) })),
        recommendations: recs.map((r) => ({ number: r.number, body: parseTranslated(r.body), institutionId: r.institution_id, addressedTo: r.addressed_to, priority: r.priority })),
      },
    };
  });
}

/** Starts a correction of the published report: a new draft version, a copy of the last one, with the reason for the change. */
export async function startCorrection(ctx: Ctx, reportId: number, input: unknown): Promise<number> {
  authorize(ctx, WRITE);
  const note = collectTranslated(parseInput(correctionSchema, input), 'note');
  return mutate(ctx, { permission: WRITE, action: 'monitoring.correction', entity: 'monitoring_report' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const last = await repo.latestVersion(db, c, reportId);
    if (!last) throw new NotFoundError();
    if (last.status !== 'published') throw new RuleError('monitoring.draftExists');
    const now = iso(ctx.clock.now());
    const { id } = await db.insertInto('monitoring_versions').values({
      commune_id: c, report_id: reportId, version: last.version + 1, status: 'draft', title: last.title, correction_note: JSON.stringify(note),
      created_at: now, created_by: userId(ctx), published_at: null, published_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    for (const s of await repo.sectionsOf(db, c, last.id)) {
      await db.insertInto('monitoring_sections').values({ commune_id: c, version_id: id, sort: s.sort, heading: s.heading, body: s.body }).execute();
    }
    const assessments = await repo.assessmentsOf(db, c, last.id);
    const files = await repo.assessmentFiles(db, c, assessments.map((a) => a.id));
    for (const a of assessments) {
      const { id: aid } = await db.insertInto('monitoring_assessments').values({ commune_id: c, version_id: id, commitment_id: a.commitment_id, completion: a.completion, open_gov: a.open_gov, justification: a.justification, links: a.links })
        .returning('id').executeTakeFirstOrThrow();
      for (const [i, f] of files.filter((x) => x.assessment_id === a.id).entries()) {
        await db.insertInto('monitoring_assessment_files').values({ commune_id: c, assessment_id: aid, file_id: f.id, sort: i }).execute();
      }
    }
    for (const r of await repo.recommendationsOf(db, c, last.id)) {
      await db.insertInto('monitoring_recommendations').values({ commune_id: c, version_id: id, number: r.number, body: r.body, institution_id: r.institution_id, addressed_to: r.addressed_to, priority: r.priority }).execute();
    }
    return { result: last.version + 1, entityId: reportId, after: { version: last.version + 1, from: last.version, note } };
  });
}

// ---------- The commune answers ----------

const RESPOND = 'monitoring.respond';

/** Every recommendation of every published report, with the commune's answer (or none yet). */
export async function responsesOverview(ctx: Ctx): Promise<{ report: ReportSummary; recommendations: RecommendationView[] }[]> {
  authorize(ctx, RESPOND);
  const db = mon(ctx.db);
  const reports = summarise(await repo.publishedVersions(db, ctx.commune.id));
  const out = [];
  for (const r of reports) {
    const view = await publicReport(ctx, r.id);
    out.push({ report: r, recommendations: view.recommendations });
  }
  return out;
}

/** One recommendation of the latest published version, for the commune's answer form. */
export async function recommendationToAnswer(ctx: Ctx, reportId: number, number: number) {
  authorize(ctx, RESPOND);
  const report = await publicReport(ctx, reportId);
  const rec = report.recommendations.find((r) => r.number === number);
  if (!rec) throw new NotFoundError();
  return { report, rec };
}

export async function answerRecommendation(ctx: Ctx, reportId: number, number: number, input: unknown): Promise<void> {
  authorize(ctx, RESPOND);
  const d = parseInput(responseSchema, input);
  const measure = collectTranslated(d, 'measure');
  if (d.decision !== 'rejected') {
    if (d.owner_institution_id === null) throw new RuleError('errors.required', {}, 'owner_institution_id');
    if (d.due_date === null) throw new RuleError('errors.required', {}, 'due_date');
  }
  await mutate(ctx, { permission: RESPOND, action: 'monitoring.answer', entity: 'monitoring_recommendation' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const report = await publicReport({ ...ctx, db: trx as Ctx['db'] }, reportId);
    if (!report.recommendations.some((r) => r.number === number)) throw new NotFoundError();
    await institutionExists(db, c, d.owner_institution_id, 'owner_institution_id');
    const prev = await repo.findResponse(db, c, reportId, number);
    const status = d.decision === 'rejected' ? null : d.status ?? prev?.status ?? 'planned';
    const now = iso(ctx.clock.now());
    const values = { decision: d.decision, measure: JSON.stringify(measure), owner_institution_id: d.owner_institution_id, due_date: d.due_date, status, updated_at: now };
    if (prev) await db.updateTable('monitoring_responses').set(values).where('commune_id', '=', c).where('id', '=', prev.id).execute();
    else await db.insertInto('monitoring_responses').values({ commune_id: c, report_id: reportId, number, ...values, responded_at: now, responded_by: userId(ctx) }).execute();
    return {
      result: undefined, entityId: `${reportId}:${number}`,
      before: prev ? { decision: prev.decision, measure: parseTranslated(prev.measure), ownerInstitutionId: prev.owner_institution_id, dueDate: prev.due_date, status: prev.status } : undefined,
      after: { decision: d.decision, measure, ownerInstitutionId: d.owner_institution_id, dueDate: d.due_date, status },
    };
  });
}

/** A dated progress update of an answered recommendation; its status becomes the answer's status. */
export async function addUpdate(ctx: Ctx, reportId: number, number: number, input: unknown): Promise<void> {
  authorize(ctx, RESPOND);
  const d = parseInput(updateSchema, input);
  const note = collectTranslated(d, 'note');
  await mutate(ctx, { permission: RESPOND, action: 'monitoring.answer_update', entity: 'monitoring_recommendation' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const prev = await repo.findResponse(db, c, reportId, number);
    if (!prev) throw new RuleError('monitoring.answerFirst');
    if (prev.decision === 'rejected') throw new RuleError('monitoring.rejectedNoTracking');
    const now = iso(ctx.clock.now());
    await db.insertInto('monitoring_response_updates').values({ commune_id: c, response_id: prev.id, on_date: d.on_date, status: d.status, note: JSON.stringify(note), created_at: now, created_by: userId(ctx) }).execute();
    await db.updateTable('monitoring_responses').set({ status: d.status, updated_at: now }).where('commune_id', '=', c).where('id', '=', prev.id).execute();
    return { result: undefined, entityId: `${reportId}:${number}`, before: { status: prev.status }, after: { status: d.status, onDate: d.on_date, note } };
  });
}

// ---------- OGP Local end-of-commitment assessment ----------

const END = 'monitoring.endAssessment';

/**
 * Each commitment's completion level in the independent monitor's latest published assessment of it.
 */
export async function completionLevels(ctx: Ctx): Promise<Map<number, string>> {
  const rows = await repo.publishedCompletions(mon(ctx.db), ctx.commune.id);
  const out = new Map<number, string>();
  for (const r of rows) if (!out.has(r.commitment_id)) out.set(r.commitment_id, r.completion);
  return out;
}

/**
 * Completion as both sources see it: the monitor's latest published assessment, and the level the
 * platform computes from the plan's published figures (accountability). A commitment is completed
 * for the end-of-commitment assessment when either says so.
 */
export async function completionSources(ctx: Ctx, planSlugs?: string[]): Promise<Map<number, { monitor: string | null; figures: string | null }>> {
  const out = new Map<number, { monitor: string | null; figures: string | null }>();
  for (const [id, level] of await completionLevels(ctx)) out.set(id, { monitor: level, figures: null });
  const slugs = planSlugs ?? (await repo.listPlans(mon(ctx.db), ctx.commune.id)).map((p) => p.slug);
  for (const slug of slugs) {
    for (const c of await listCommitments(ctx, slug)) {
      out.set(c.id, { monitor: out.get(c.id)?.monitor ?? null, figures: c.completion });
    }
  }
  return out;
}

const isCompleted = (c: { monitor: string | null; figures: string | null } | undefined) => c?.monitor === 'completed' || c?.figures === 'completed';
/** The level shown beside a commitment: the monitor's when it assessed it, else the computed one. */
const shownLevel = (c: { monitor: string | null; figures: string | null } | undefined) => (isCompleted(c) ? 'completed' : c?.monitor ?? c?.figures ?? null);

export interface EndAssessmentView {
  id: number; commitmentId: number; number: string; title: Translated; planSlug: string; planTitle: Translated;
  openGov: string; justification: Translated; sample: boolean; updatedAt: string; files: FileRef[];
}

async function endViews(ctx: Ctx, planId?: number): Promise<EndAssessmentView[]> {
  const db = mon(ctx.db);
  const rows = await repo.endAssessments(db, ctx.commune.id, planId);
  const files = await repo.endAssessmentFiles(db, ctx.commune.id, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, commitmentId: r.commitment_id, number: r.number, title: parseTranslated(r.title), planSlug: r.plan_slug, planTitle: parseTranslated(r.plan_title),
    openGov: r.open_gov, justification: parseTranslated(r.justification), sample: !!r.sample, updatedAt: r.updated_at,
    files: files.filter((f) => f.end_assessment_id === r.id).map((f) => ({ id: f.id, name: f.original_name, size: f.size, kind: f.kind })),
  }));
}

/** Completed commitments (and any already assessed), with their end-of-commitment assessment if filled. */
export async function endCandidates(ctx: Ctx) {
  authorize(ctx, END);
  const db = mon(ctx.db);
  const [levels, done] = await Promise.all([completionSources(ctx), endViews(ctx)]);
  const ids = new Set<number>([...[...levels].filter(([, l]) => isCompleted(l)).map(([id]) => id), ...done.map((d) => d.commitmentId)]);
  const out = [];
  for (const id of ids) {
    const c = await repo.findCommitment(db, ctx.commune.id, id);
    if (!c) continue;
    out.push({
      commitmentId: id, number: c.number, title: parseTranslated(c.title), planSlug: c.plan_slug, planTitle: parseTranslated(c.plan_title),
      completion: shownLevel(levels.get(id)), assessment: done.find((d) => d.commitmentId === id) ?? null,
    });
  }
  return out.sort((a, b) => a.planSlug.localeCompare(b.planSlug) || a.number.localeCompare(b.number, 'fr', { numeric: true }));
}

export async function endAssessmentForm(ctx: Ctx, commitmentId: number) {
  authorize(ctx, END);
  const c = await repo.findCommitment(mon(ctx.db), ctx.commune.id, commitmentId);
  if (!c) throw new NotFoundError();
  const completion = shownLevel((await completionSources(ctx, [c.plan_slug])).get(commitmentId));
  const assessment = (await endViews(ctx, c.plan_id)).find((e) => e.commitmentId === commitmentId) ?? null;
  return { commitment: { id: c.id, number: c.number, title: parseTranslated(c.title), planSlug: c.plan_slug, planTitle: parseTranslated(c.plan_title) }, completion, assessment };
}

/** Fills (or amends) the end-of-commitment assessment of a completed commitment, with up to three evidence files. */
export async function saveEndAssessment(ctx: Ctx, commitmentId: number, body: unknown, opts: { sample?: boolean } = {}): Promise<void> {
  authorize(ctx, END);
  const d = parseInput(endAssessmentSchema, body);
  const justification = collectTranslated(d, 'justification');
  const uploads = preparedUploads(body);
  const remove = removedIds(body);
  await mutate(ctx, { permission: END, action: 'monitoring.end_assessment', entity: 'commitment' }, async (trx) => {
    const db = mon(trx);
    const c = ctx.commune.id;
    const commitment = await repo.findCommitment(db, c, commitmentId);
    if (!commitment) throw new NotFoundError();
    const level = (await completionSources({ ...ctx, db: trx as Ctx['db'] }, [commitment.plan_slug])).get(commitmentId);
    if (!isCompleted(level)) throw new RuleError('monitoring.notCompleted');
    const prev = await repo.findEndAssessment(db, c, commitmentId);
    const existing = prev ? await repo.endAssessmentFiles(db, c, [prev.id]) : [];
    const kept = existing.filter((f) => !remove.includes(f.id));
    if (kept.length + uploads.length > MAX_FILES) throw new RuleError('monitoring.tooManyFiles', { max: MAX_FILES }, 'files');
    const now = iso(ctx.clock.now());
    let id: number;
    if (prev) {
      id = prev.id;
      await db.updateTable('monitoring_end_assessments').set({ open_gov: d.open_gov, justification: JSON.stringify(justification), updated_at: now, updated_by: userId(ctx) })
        .where('commune_id', '=', c).where('id', '=', id).execute();
    } else {
      id = (await db.insertInto('monitoring_end_assessments').values({
        commune_id: c, commitment_id: commitmentId, open_gov: d.open_gov, justification: JSON.stringify(justification), sample: opts.sample ? 1 : 0, updated_at: now, updated_by: userId(ctx),
      }).returning('id').executeTakeFirstOrThrow()).id;
    }
    for (const f of existing.filter((x) => remove.includes(x.id))) await db.deleteFrom('monitoring_end_assessment_files').where('commune_id', '=', c).where('id', '=', f.link_id).execute();
    const added: number[] = [];
    for (const [i, u] of uploads.entries()) {
      const stored = await writeFile(trx, ctx.config.dataDir, c, u, userId(ctx), ctx.clock.now());
      await db.insertInto('monitoring_end_assessment_files').values({ commune_id: c, end_assessment_id: id, file_id: stored.id, sort: kept.length + i }).execute();
      added.push(stored.id);
    }
    return {
      result: undefined, entityId: commitmentId,
      before: prev ? { openGov: prev.open_gov, justification: parseTranslated(prev.justification) } : undefined,
      after: { openGov: d.open_gov, justification, filesAdded: added, filesRemoved: remove },
    };
  });
}

// ---------- Public pages ----------

/** A plan's published monitoring reports and its end-of-commitment assessments. */
export async function planMonitoring(ctx: Ctx, slug: string) {
  const db = mon(ctx.db);
  const plan = await repo.findPlanBySlug(db, ctx.commune.id, slug);
  if (!plan) throw new NotFoundError();
  const [reports, ends] = await Promise.all([repo.publishedVersions(db, ctx.commune.id, plan.id), endViews(ctx, plan.id)]);
  return { plan: { id: plan.id, slug: plan.slug, kind: plan.kind, title: parseTranslated(plan.title) }, reports: summarise(reports), endAssessments: ends };
}

/** A stored evidence file, when the reader may download it. */
export async function evidenceFile(ctx: Ctx, fileId: number) {
  const db = mon(ctx.db);
  const ok = (await repo.isPublicEvidence(db, ctx.commune.id, fileId)) || (can(ctx.actor, WRITE) && (await repo.isMonitoringFile(db, ctx.commune.id, fileId)));
  if (!ok) throw new NotFoundError();
  const meta = await fileMeta(ctx.db, ctx.commune.id, fileId);
  if (!meta) throw new NotFoundError();
  return meta;
}

/** Whether the report is open to comments: once a version is published. */
export async function isPublished(ctx: Ctx, reportId: number): Promise<{ title: Translated } | null> {
  const db = mon(ctx.db);
  const versions = (await repo.versionsOf(db, ctx.commune.id, reportId)).filter((v) => v.status === 'published');
  const last = versions.at(-1);
  return last ? { title: parseTranslated(last.title) } : null;
}

