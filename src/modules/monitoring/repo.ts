import type { Kysely } from 'kysely';
import * as acc from '../accountability/repo.ts';
import type { CoreTables } from '../../core/db/tables.ts';
import type { MonitoringTables } from './schema.ts';

/**
 * The accountability tables this module reads (by id, with explicit columns); it never writes them.
 */
export type PlanTables = {
  plans: { id: number; commune_id: number; slug: string; kind: string; title: string; period_start: string };
  commitments: { id: number; commune_id: number; plan_id: number; parent_id: number | null; number: string; title: string; sort: number };
};

/** The only place with the monitoring module's SQL. */
export type MonDB = Kysely<CoreTables & MonitoringTables & PlanTables>;
export const mon = (db: { withTables: Function } | any): MonDB => db.withTables();

// ---------- Plans and commitments (read only) ----------

// Plans and commitments belong to the accountability module: read through its repo, never here.
export const listPlans = (db: MonDB, communeId: number) => acc.listPlans(db, communeId);
export const findPlanBySlug = (db: MonDB, communeId: number, slug: string) => acc.findPlan(db, communeId, slug);
export const findPlan = (db: MonDB, communeId: number, id: number) => acc.findPlanById(db, communeId, id);
export const planCommitments = (db: MonDB, communeId: number, planId: number) => acc.commitmentsOfPlan(db, communeId, planId);

export async function findCommitment(db: MonDB, communeId: number, id: number) {
  const c = await acc.findCommitment(db, communeId, id);
  const p = c ? await acc.findPlanById(db, communeId, c.plan_id) : undefined;
  return c && p ? { id: c.id, plan_id: c.plan_id, parent_id: c.parent_id, number: c.number, title: c.title, plan_slug: p.slug, plan_title: p.title } : undefined;
}

// ---------- Reports and versions ----------

const reportColumns = ['r.id', 'r.plan_id', 'r.year', 'r.sample', 'p.slug as plan_slug', 'p.title as plan_title'] as const;

export function findReport(db: MonDB, communeId: number, id: number) {
  return db.selectFrom('monitoring_reports as r')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'r.commune_id').onRef('p.id', '=', 'r.plan_id'))
    .select([...reportColumns]).where('r.commune_id', '=', communeId).where('r.id', '=', id).executeTakeFirst();
}

export function findReportByPlanYear(db: MonDB, communeId: number, planId: number, year: number) {
  return db.selectFrom('monitoring_reports').select(['id']).where('commune_id', '=', communeId).where('plan_id', '=', planId).where('year', '=', year).executeTakeFirst();
}

/** Every report with its versions (the admin list), newest year first. */
export function listReportsWithVersions(db: MonDB, communeId: number) {
  return db.selectFrom('monitoring_reports as r')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'r.commune_id').onRef('p.id', '=', 'r.plan_id'))
    .innerJoin('monitoring_versions as v', (j) => j.onRef('v.commune_id', '=', 'r.commune_id').onRef('v.report_id', '=', 'r.id'))
    .select([...reportColumns, 'v.id as version_id', 'v.version', 'v.status', 'v.title', 'v.published_at'])
    .where('r.commune_id', '=', communeId)
    .orderBy('r.year', 'desc').orderBy('r.id', 'desc').orderBy('v.version').execute();
}

/** The published versions of the reports of a plan (or of every plan). */
export function publishedVersions(db: MonDB, communeId: number, planId?: number) {
  let q = db.selectFrom('monitoring_reports as r')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'r.commune_id').onRef('p.id', '=', 'r.plan_id'))
    .innerJoin('monitoring_versions as v', (j) => j.onRef('v.commune_id', '=', 'r.commune_id').onRef('v.report_id', '=', 'r.id'))
    .select([...reportColumns, 'v.id as version_id', 'v.version', 'v.title', 'v.published_at', 'v.correction_note'])
    .where('r.commune_id', '=', communeId).where('v.status', '=', 'published');
  if (planId !== undefined) q = q.where('r.plan_id', '=', planId);
  return q.orderBy('r.year', 'desc').orderBy('r.id', 'desc').orderBy('v.version').execute();
}

const versionColumns = ['id', 'report_id', 'version', 'status', 'title', 'correction_note', 'created_at', 'published_at'] as const;

export function versionsOf(db: MonDB, communeId: number, reportId: number) {
  return db.selectFrom('monitoring_versions').select([...versionColumns])
    .where('commune_id', '=', communeId).where('report_id', '=', reportId).orderBy('version').execute();
}

export function latestVersion(db: MonDB, communeId: number, reportId: number) {
  return db.selectFrom('monitoring_versions').select([...versionColumns])
    .where('commune_id', '=', communeId).where('report_id', '=', reportId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function findVersion(db: MonDB, communeId: number, id: number) {
  return db.selectFrom('monitoring_versions').select([...versionColumns]).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

// ---------- Content of a version ----------

export function sectionsOf(db: MonDB, communeId: number, versionId: number) {
  return db.selectFrom('monitoring_sections').select(['id', 'version_id', 'sort', 'heading', 'body'])
    .where('commune_id', '=', communeId).where('version_id', '=', versionId).orderBy('sort').orderBy('id').execute();
}

export function findSection(db: MonDB, communeId: number, id: number) {
  return db.selectFrom('monitoring_sections').select(['id', 'version_id', 'sort', 'heading', 'body']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export function assessmentsOf(db: MonDB, communeId: number, versionId: number) {
  return db.selectFrom('monitoring_assessments as a')
    .innerJoin('commitments as c', (j) => j.onRef('c.commune_id', '=', 'a.commune_id').onRef('c.id', '=', 'a.commitment_id'))
    .select(['a.id', 'a.version_id', 'a.commitment_id', 'a.completion', 'a.open_gov', 'a.justification', 'a.links', 'c.number', 'c.title', 'c.sort'])
    .where('a.commune_id', '=', communeId).where('a.version_id', '=', versionId).orderBy('c.sort').orderBy('c.id').execute();
}

export function findAssessment(db: MonDB, communeId: number, id: number) {
  return db.selectFrom('monitoring_assessments').select(['id', 'version_id', 'commitment_id', 'completion', 'open_gov', 'justification', 'links'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

/** The evidence files of several assessments, in one query. */
export function assessmentFiles(db: MonDB, communeId: number, assessmentIds: number[]) {
  if (assessmentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('monitoring_assessment_files as af')
    .innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'af.commune_id').onRef('f.id', '=', 'af.file_id'))
    .select(['af.id as link_id', 'af.assessment_id', 'f.id', 'f.original_name', 'f.size', 'f.kind'])
    .where('af.commune_id', '=', communeId).where('af.assessment_id', 'in', assessmentIds).orderBy('af.sort').orderBy('af.id').execute();
}

export function recommendationsOf(db: MonDB, communeId: number, versionId: number) {
  return db.selectFrom('monitoring_recommendations as m')
    .leftJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 'm.commune_id').onRef('i.id', '=', 'm.institution_id'))
    .select(['m.id', 'm.version_id', 'm.number', 'm.body', 'm.institution_id', 'm.addressed_to', 'm.priority', 'i.name as institution_name'])
    .where('m.commune_id', '=', communeId).where('m.version_id', '=', versionId).orderBy('m.number').execute();
}

export function findRecommendation(db: MonDB, communeId: number, id: number) {
  return db.selectFrom('monitoring_recommendations').select(['id', 'version_id', 'number', 'body', 'institution_id', 'addressed_to', 'priority'])
    .where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

export async function nextRecommendationNumber(db: MonDB, communeId: number, reportId: number): Promise<number> {
  // Numbers are never reused inside a report, across its versions, so an answer never moves to another recommendation.
  const r = await db.selectFrom('monitoring_recommendations as m')
    .innerJoin('monitoring_versions as v', (j) => j.onRef('v.commune_id', '=', 'm.commune_id').onRef('v.id', '=', 'm.version_id'))
    .select((eb) => eb.fn.max<number>('m.number').as('n'))
    .where('m.commune_id', '=', communeId).where('v.report_id', '=', reportId).executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

// ---------- The commune's answers ----------

const responseColumns = ['s.id', 's.report_id', 's.number', 's.decision', 's.measure', 's.owner_institution_id', 's.due_date', 's.status', 's.responded_at', 's.updated_at', 'i.name as owner_name'] as const;

export function responsesOf(db: MonDB, communeId: number, reportIds: number[]) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('monitoring_responses as s')
    .leftJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 's.commune_id').onRef('i.id', '=', 's.owner_institution_id'))
    .select([...responseColumns]).where('s.commune_id', '=', communeId).where('s.report_id', 'in', reportIds).execute();
}

export function findResponse(db: MonDB, communeId: number, reportId: number, number: number) {
  return db.selectFrom('monitoring_responses as s')
    .leftJoin('institutions as i', (j) => j.onRef('i.commune_id', '=', 's.commune_id').onRef('i.id', '=', 's.owner_institution_id'))
    .select([...responseColumns]).where('s.commune_id', '=', communeId).where('s.report_id', '=', reportId).where('s.number', '=', number).executeTakeFirst();
}

export function updatesOf(db: MonDB, communeId: number, responseIds: number[]) {
  if (responseIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('monitoring_response_updates').select(['id', 'response_id', 'on_date', 'status', 'note', 'created_at'])
    .where('commune_id', '=', communeId).where('response_id', 'in', responseIds).orderBy('on_date').orderBy('id').execute();
}

// ---------- End-of-commitment assessments ----------

/** Every published assessment's completion level, newest publication first (to find each commitment's latest). */
export function publishedCompletions(db: MonDB, communeId: number) {
  return db.selectFrom('monitoring_assessments as a')
    .innerJoin('monitoring_versions as v', (j) => j.onRef('v.commune_id', '=', 'a.commune_id').onRef('v.id', '=', 'a.version_id'))
    .select(['a.commitment_id', 'a.completion', 'v.published_at'])
    .where('a.commune_id', '=', communeId).where('v.status', '=', 'published')
    .orderBy('v.published_at', 'desc').orderBy('v.id', 'desc').execute();
}

const endColumns = ['e.id', 'e.commitment_id', 'e.open_gov', 'e.justification', 'e.sample', 'e.updated_at', 'c.number', 'c.title', 'c.plan_id', 'c.sort', 'p.slug as plan_slug', 'p.title as plan_title'] as const;

export function endAssessments(db: MonDB, communeId: number, planId?: number) {
  let q = db.selectFrom('monitoring_end_assessments as e')
    .innerJoin('commitments as c', (j) => j.onRef('c.commune_id', '=', 'e.commune_id').onRef('c.id', '=', 'e.commitment_id'))
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select([...endColumns]).where('e.commune_id', '=', communeId);
  if (planId !== undefined) q = q.where('c.plan_id', '=', planId);
  return q.orderBy('c.plan_id').orderBy('c.sort').orderBy('c.id').execute();
}

export function findEndAssessment(db: MonDB, communeId: number, commitmentId: number) {
  return db.selectFrom('monitoring_end_assessments').select(['id', 'commitment_id', 'open_gov', 'justification', 'sample', 'updated_at'])
    .where('commune_id', '=', communeId).where('commitment_id', '=', commitmentId).executeTakeFirst();
}

export function endAssessmentFiles(db: MonDB, communeId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('monitoring_end_assessment_files as ef')
    .innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'ef.commune_id').onRef('f.id', '=', 'ef.file_id'))
    .select(['ef.id as link_id', 'ef.end_assessment_id', 'f.id', 'f.original_name', 'f.size', 'f.kind'])
    .where('ef.commune_id', '=', communeId).where('ef.end_assessment_id', 'in', ids).orderBy('ef.sort').orderBy('ef.id').execute();
}

// ---------- Files anyone may download ----------

/** Whether a file is evidence of a published assessment or of an end-of-commitment assessment. */
export async function isPublicEvidence(db: MonDB, communeId: number, fileId: number): Promise<boolean> {
  const [a, e] = await Promise.all([
    db.selectFrom('monitoring_assessment_files as af')
      .innerJoin('monitoring_assessments as a', (j) => j.onRef('a.commune_id', '=', 'af.commune_id').onRef('a.id', '=', 'af.assessment_id'))
      .innerJoin('monitoring_versions as v', (j) => j.onRef('v.commune_id', '=', 'a.commune_id').onRef('v.id', '=', 'a.version_id'))
      .select('af.id').where('af.commune_id', '=', communeId).where('af.file_id', '=', fileId).where('v.status', '=', 'published').limit(1).executeTakeFirst(),
    db.selectFrom('monitoring_end_assessment_files').select('id').where('commune_id', '=', communeId).where('file_id', '=', fileId).limit(1).executeTakeFirst(),
  ]);
  return !!(a || e);
}

/** Whether a file belongs to any monitoring assessment (drafts included: the monitor's preview). */
export async function isMonitoringFile(db: MonDB, communeId: number, fileId: number): Promise<boolean> {
  const r = await db.selectFrom('monitoring_assessment_files').select('id').where('commune_id', '=', communeId).where('file_id', '=', fileId).limit(1).executeTakeFirst();
  return !!r;
}
