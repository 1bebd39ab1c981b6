/**
 * Every route of the app with a concrete, working path built from the data of a commune (by default the demo
 * commune of a test app), for the tests that must cover every route: the authorization matrix, cross-commune
 * isolation, the fuzz test, the privacy crawl.
 *
 *   const t = await startApp();
 *   const table = routes(t);                 // [{ method, url }], exactly as Fastify registered them
 *   const paths = await samplePaths(t);      // [{ method, url, path }], one per route, real ids / slugs / tokens
 *   const fx = await fixtures(t);            // the values behind those paths (plan slug, request reference, tracking code…)
 *
 * A route added to the app without an entry in SAMPLES below makes `samplePaths` throw, naming it.
 * Fixtures are created once per commune and test app (cached); creating them writes a few rows (a comment,
 * a request with a photo, followers, a password-reset token, an Open311 key, a monitoring evidence file).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { TestApp } from './helpers.ts';
import { PASSWORD } from './helpers.ts';
import type { RouteEntry } from '../src/app.ts';
import type { Commune } from '../src/core/tenancy/index.ts';
import type { Ctx } from '../src/core/service.ts';
import { systemCtx } from '../src/platform.ts';
import { sha256, randomToken } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';
import { writeFile } from '../src/core/files/index.ts';
import { loadGrants } from '../src/core/auth/sessions.ts';
import { addUserWithRole, requestPasswordReset } from '../src/modules/accounts/service.ts';
import { postComment } from '../src/modules/comments/service.ts';
import { submitRequest } from '../src/modules/requests/service.ts';
import { follow } from '../src/modules/requests/workflow.ts';
import { startCorrection } from '../src/modules/monitoring/service.ts';
import { makeToken } from '../src/modules/requests/open311/service.ts';

export type { RouteEntry };

/** The route table: every method and URL pattern the app serves (HEAD left out), as registered. */
export function routes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.map((r) => ({ ...r }));
}

/** `METHOD /url`, the key of a route in the access tables and in SAMPLES. */
export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export interface SamplePath { method: string; url: string; path: string }

/** Real values of one commune, behind every sample path. Ids are database ids; refs and codes are public. */
export interface Fixtures {
  commune: Commune;
  // Accountability
  plan: string; planId: number;
  commitmentId: number; commitmentNumber: string;
  actionId: number; indicatorId: number;
  /** A public evidence file of the plan, and its download name. */
  evidenceId: number; evidenceName: string;
  /** An internal evidence file (staff only), if the commune has one. */
  internalEvidenceId: number | null; internalEvidenceName: string | null;
  /** The open reporting cycle (else the latest), one of its matrix rows and that row's department. */
  cycleCode: string; rowId: number; rowInstitutionId: number;
  /** Matrix rows of the cycle by institution slug (first row of each). */
  rowsByInstitution: Record<string, number>;
  actionUpdateId: number; measurementId: number;
  // Governance
  bodySlug: string; bodyId: number; memberId: number; endorsementId: number; institutionId: number;
  institutions: Record<string, number>;
  // Accounts: a user made for the fixtures (citizen, password PASSWORD) and its grant.
  userId: number; userEmail: string; grantId: number;
  /** A valid password-reset token (plaintext) of that user. */
  resetToken: string;
  // Comments: one posted on `commitmentId`.
  commentId: number;
  // Monitoring: a published report (public pages, answers) under correction (a draft: the editor's pages and its parts).
  reportId: number; sectionId: number; assessmentId: number; recommendationId: number; recommendationNumber: number;
  endCommitmentId: number; monitoringFileId: number;
  // Requests: one submitted by the fixture user (it is its reporter), routed to `requestInstitutionId`.
  requestRef: string; requestId: number; requestInstitutionId: number; trackingCode: string;
  /** Follower tokens: `followToken` of an unconfirmed follower (POST confirms it), `unsubscribeToken` of the reporter (POST removes it). */
  followToken: string; unsubscribeToken: string;
  photoId: number;
  /** A request reference per institution slug (the first of each institution that has one). */
  requestsByInstitution: Record<string, string>;
  categoryId: number; categorySlug: string; questionId: number; districtId: number; templateId: number; holidayId: number;
  /** An institution whose head may be set (department or operator). */
  headInstitutionId: number;
  /** An Open311 API key (plaintext) of this commune, and the Open311 token of `requestRef`. */
  apiKey: string; open311Token: string;
  /** A distinctive text put in the fixture comment, request and user name (to look for in outputs). */
  marker: string;
}

const cache = new WeakMap<TestApp, Map<number, Promise<Fixtures>>>();

/** The fixtures of a commune (default: the test app's demo commune), created on first call. */
export function fixtures(t: TestApp, commune: Commune = t.commune): Promise<Fixtures> {
  let m = cache.get(t);
  if (!m) cache.set(t, (m = new Map()));
  let p = m.get(commune.id);
  if (!p) m.set(commune.id, (p = build(t, commune)));
  return p;
}

/** One concrete path per route (locale `fr` by default), in route-table order. */
export async function samplePaths(t: TestApp, locale = 'fr', commune: Commune = t.commune): Promise<SamplePath[]> {
  const fx = await fixtures(t, commune);
  return routes(t).map((r) => ({ ...r, path: samplePath(r, fx, locale) }));
}

/** The concrete path of one route with the given fixtures (throws for a route SAMPLES does not know). */
export function samplePath(r: { method: string; url: string }, fx: Fixtures, locale = 'fr'): string {
  const key = routeKey(r);
  const make = SAMPLES[key] ?? (r.method === 'GET' || r.method === 'POST' ? SAMPLES[`* ${r.url}`] : undefined);
  if (!make) throw new Error(`test/routes.ts has no sample path for ${key}: add one to SAMPLES`);
  const p = make(fx);
  return p.startsWith('/:locale') ? `/${locale}${p.slice('/:locale'.length)}` : p;
}

type Make = (f: Fixtures) => string;
const e = encodeURIComponent;
const plan = (f: Fixtures) => `/:locale/admin/plans/${f.plan}`;
const cycle = (f: Fixtures) => `${plan(f)}/cycles/${f.cycleCode}`;
const report = (f: Fixtures) => `/:locale/admin/monitoring/${f.reportId}`;
const adminRq = (f: Fixtures) => `/:locale/admin/requests/${f.requestRef}`;

/**
 * How to fill each route. `* url` serves both GET and POST of the same URL. Paths starting with `/:locale`
 * get the locale. Query strings are added where the page needs them to answer 200.
 */
const SAMPLES: Record<string, Make> = {
  // Core
  'GET /static/*': () => '/static/site.css',
  'GET /': () => '/',
  'GET /healthz': () => '/healthz',
  'GET /:locale': () => '/:locale/',
  // Site
  'GET /:locale/about': () => '/:locale/about',
  'GET /:locale/open-data': () => '/:locale/open-data',
  // Accounts
  '* /:locale/login': () => '/:locale/login',
  '* /:locale/register': () => '/:locale/register',
  'POST /:locale/logout': () => '/:locale/logout',
  '* /:locale/password/forgot': () => '/:locale/password/forgot',
  '* /:locale/password/reset/:token': (f) => `/:locale/password/reset/${f.resetToken}`,
  'GET /:locale/account': () => '/:locale/account',
  'GET /:locale/admin/users': () => '/:locale/admin/users',
  'GET /:locale/admin/users/:id': (f) => `/:locale/admin/users/${f.userId}`,
  'POST /:locale/admin/users/:id/grants': (f) => `/:locale/admin/users/${f.userId}/grants`,
  'POST /:locale/admin/users/:id/grants/:grant/revoke': (f) => `/:locale/admin/users/${f.userId}/grants/${f.grantId}/revoke`,
  // Admin
  'GET /:locale/admin': () => '/:locale/admin',
  'GET /:locale/admin/audit': () => '/:locale/admin/audit',
  // Governance
  'GET /:locale/bodies': () => '/:locale/bodies',
  'GET /:locale/bodies/:slug': (f) => `/:locale/bodies/${f.bodySlug}`,
  'GET /:locale/institutions': () => '/:locale/institutions',
  'GET /:locale/endorsements': () => '/:locale/endorsements',
  '* /:locale/admin/bodies': () => '/:locale/admin/bodies',
  '* /:locale/admin/bodies/:id': (f) => `/:locale/admin/bodies/${f.bodyId}`,
  'POST /:locale/admin/bodies/:id/members': (f) => `/:locale/admin/bodies/${f.bodyId}/members`,
  'POST /:locale/admin/bodies/:id/members/:member/end': (f) => `/:locale/admin/bodies/${f.bodyId}/members/${f.memberId}/end`,
  '* /:locale/admin/bodies/:id/members/:member': (f) => `/:locale/admin/bodies/${f.bodyId}/members/${f.memberId}`,
  '* /:locale/admin/decisions': () => '/:locale/admin/decisions',
  'POST /:locale/admin/bodies/:id/decisions': (f) => `/:locale/admin/bodies/${f.bodyId}/decisions`,
  '* /:locale/admin/institutions': () => '/:locale/admin/institutions',
  '* /:locale/admin/institutions/:id': (f) => `/:locale/admin/institutions/${f.institutionId}`,
  '* /:locale/admin/endorsements': () => '/:locale/admin/endorsements',
  '* /:locale/admin/endorsements/:id': (f) => `/:locale/admin/endorsements/${f.endorsementId}`,
  'POST /:locale/admin/endorsements/:id/remove': (f) => `/:locale/admin/endorsements/${f.endorsementId}/remove`,
  // Accountability, public
  'GET /:locale/plans': () => '/:locale/plans',
  'GET /:locale/plans.csv': () => '/:locale/plans.csv',
  'GET /:locale/plans/:slug': (f) => `/:locale/plans/${f.plan}`,
  'GET /:locale/plans/:slug/about': (f) => `/:locale/plans/${f.plan}/about`,
  'GET /:locale/plans/:slug/commitments/:number': (f) => `/:locale/plans/${f.plan}/commitments/${f.commitmentNumber}`,
  'GET /:locale/plans/:slug/evidence/:id/:name': (f) => `/:locale/plans/${f.plan}/evidence/${f.evidenceId}/${e(f.evidenceName)}`,
  'GET /:locale/plans/:slug.csv': (f) => `/:locale/plans/${f.plan}.csv`,
  'GET /:locale/plans/:slug/actions.csv': (f) => `/:locale/plans/${f.plan}/actions.csv`,
  'GET /:locale/plans/:slug/indicators.csv': (f) => `/:locale/plans/${f.plan}/indicators.csv`,
  'GET /:locale/plans/:slug/measurements.csv': (f) => `/:locale/plans/${f.plan}/measurements.csv`,
  'GET /api/plans.json': () => '/api/plans.json',
  'GET /api/plans/:slug.json': (f) => `/api/plans/${f.plan}.json`,
  // Accountability, staff
  'GET /:locale/admin/plans': () => '/:locale/admin/plans',
  '* /:locale/admin/plans/new': () => '/:locale/admin/plans/new',
  '* /:locale/admin/plans/:slug': plan,
  '* /:locale/admin/plans/:slug/commitments/new': (f) => `${plan(f)}/commitments/new`,
  '* /:locale/admin/plans/:slug/commitments/:id': (f) => `${plan(f)}/commitments/${f.commitmentId}`,
  '* /:locale/admin/plans/:slug/commitments/:id/actions/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/actions/new`,
  '* /:locale/admin/plans/:slug/actions/:id': (f) => `${plan(f)}/actions/${f.actionId}`,
  '* /:locale/admin/plans/:slug/commitments/:id/indicators/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/indicators/new`,
  '* /:locale/admin/plans/:slug/indicators/:id': (f) => `${plan(f)}/indicators/${f.indicatorId}`,
  '* /:locale/admin/plans/:slug/commitments/:id/evidence/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/evidence/new`,
  'GET /:locale/admin/sdg': () => '/:locale/admin/sdg',
  'POST /:locale/admin/sdg/local': () => '/:locale/admin/sdg/local',
  'POST /:locale/admin/sdg/target': () => '/:locale/admin/sdg/target',
  '* /:locale/admin/plans/:slug/cycles': (f) => `${plan(f)}/cycles`,
  'GET /:locale/admin/plans/:slug/cycles/:code': cycle,
  'POST /:locale/admin/plans/:slug/cycles/:code/publish': (f) => `${cycle(f)}/publish`,
  'POST /:locale/admin/plans/:slug/cycles/:code/close': (f) => `${cycle(f)}/close`,
  'POST /:locale/admin/plans/:slug/cycles/:code/reopen': (f) => `${cycle(f)}/reopen`,
  'POST /:locale/admin/plans/:slug/cycles/:code/remind': (f) => `${cycle(f)}/remind`,
  '* /:locale/admin/plans/:slug/cycles/:code/matrix': (f) => `${cycle(f)}/matrix`,
  'GET /:locale/admin/plans/:slug/cycles/:code/matrix.csv': (f) => `${cycle(f)}/matrix.csv`,
  '* /:locale/admin/plans/:slug/cycles/:code/rows/:id': (f) => `${cycle(f)}/rows/${f.rowId}`,
  'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/validate': (f) => `${cycle(f)}/rows/${f.rowId}/validate`,
  'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/return': (f) => `${cycle(f)}/rows/${f.rowId}/return`,
  'GET /:locale/admin/plans/:slug/cycles/:code/validation': (f) => `${cycle(f)}/validation`,
  '* /:locale/admin/plans/:slug/cycles/:code/review': (f) => `${cycle(f)}/review`,
  '* /:locale/admin/plans/:slug/corrections/:kind/:id': (f) => `${plan(f)}/corrections/action/${f.actionUpdateId}`,
  // Comments
  'GET /:locale/comments/new': (f) => `/:locale/comments/new?target_type=commitment&target_id=${f.commitmentId}`,
  'POST /:locale/comments': () => '/:locale/comments',
  '* /:locale/comments/:id/report': (f) => `/:locale/comments/${f.commentId}/report`,
  'GET /:locale/admin/comments': () => '/:locale/admin/comments',
  'GET /:locale/admin/comments/:id': (f) => `/:locale/admin/comments/${f.commentId}`,
  'POST /:locale/admin/comments/:id/hide': (f) => `/:locale/admin/comments/${f.commentId}/hide`,
  'POST /:locale/admin/comments/:id/restore': (f) => `/:locale/admin/comments/${f.commentId}/restore`,
  'POST /:locale/admin/comments/:id/dismiss': (f) => `/:locale/admin/comments/${f.commentId}/dismiss`,
  'GET /api/comments': (f) => `/api/comments?target=commitment:${f.commitmentId}`,
  // Monitoring
  'GET /:locale/plans/:slug/monitoring': (f) => `/:locale/plans/${f.plan}/monitoring`,
  'GET /:locale/monitoring/:id': (f) => `/:locale/monitoring/${f.reportId}`,
  'GET /:locale/monitoring/:id(^\\d{1,9}).pdf': (f) => `/:locale/monitoring/${f.reportId}.pdf`,
  'GET /:locale/monitoring/files/:fileId': (f) => `/:locale/monitoring/files/${f.monitoringFileId}`,
  '* /:locale/admin/monitoring': () => '/:locale/admin/monitoring',
  'GET /:locale/admin/monitoring/:id': report,
  'GET /:locale/admin/monitoring/:id/preview': (f) => `${report(f)}/preview`,
  'POST /:locale/admin/monitoring/:id/title': (f) => `${report(f)}/title`,
  'POST /:locale/admin/monitoring/:id/publish': (f) => `${report(f)}/publish`,
  'POST /:locale/admin/monitoring/:id/correction': (f) => `${report(f)}/correction`,
  '* /:locale/admin/monitoring/:id/sections/new': (f) => `${report(f)}/sections/new`,
  '* /:locale/admin/monitoring/:id/sections/:sid': (f) => `${report(f)}/sections/${f.sectionId}`,
  'POST /:locale/admin/monitoring/:id/sections/:sid/up': (f) => `${report(f)}/sections/${f.sectionId}/up`,
  'POST /:locale/admin/monitoring/:id/sections/:sid/down': (f) => `${report(f)}/sections/${f.sectionId}/down`,
  'POST /:locale/admin/monitoring/:id/sections/:sid/delete': (f) => `${report(f)}/sections/${f.sectionId}/delete`,
  '* /:locale/admin/monitoring/:id/assessments/new': (f) => `${report(f)}/assessments/new`,
  '* /:locale/admin/monitoring/:id/assessments/:aid': (f) => `${report(f)}/assessments/${f.assessmentId}`,
  'POST /:locale/admin/monitoring/:id/assessments/:aid/delete': (f) => `${report(f)}/assessments/${f.assessmentId}/delete`,
  '* /:locale/admin/monitoring/:id/recommendations/new': (f) => `${report(f)}/recommendations/new`,
  '* /:locale/admin/monitoring/:id/recommendations/:rid': (f) => `${report(f)}/recommendations/${f.recommendationId}`,
  'POST /:locale/admin/monitoring/:id/recommendations/:rid/delete': (f) => `${report(f)}/recommendations/${f.recommendationId}/delete`,
  'GET /:locale/admin/monitoring/responses': () => '/:locale/admin/monitoring/responses',
  '* /:locale/admin/monitoring/:id/answers/:number': (f) => `${report(f)}/answers/${f.recommendationNumber}`,
  'POST /:locale/admin/monitoring/:id/answers/:number/updates': (f) => `${report(f)}/answers/${f.recommendationNumber}/updates`,
  'GET /:locale/admin/monitoring/end-assessments': () => '/:locale/admin/monitoring/end-assessments',
  '* /:locale/admin/monitoring/end-assessments/:cid': (f) => `/:locale/admin/monitoring/end-assessments/${f.endCommitmentId}`,
  // Requests, public
  'GET /:locale/requests/new': () => '/:locale/requests/new',
  'POST /:locale/requests/new/check': () => '/:locale/requests/new/check',
  'POST /:locale/requests/new/edit': () => '/:locale/requests/new/edit',
  'POST /:locale/requests/new': () => '/:locale/requests/new',
  'GET /:locale/requests/:ref/submitted': (f) => `/:locale/requests/${f.requestRef}/submitted`,
  'GET /:locale/requests': () => '/:locale/requests',
  'GET /:locale/requests.csv': () => '/:locale/requests.csv',
  'GET /:locale/requests.json': () => '/:locale/requests.json',
  'GET /:locale/requests/map': () => '/:locale/requests/map',
  'GET /:locale/requests/map.json': () => '/:locale/requests/map.json',
  'GET /:locale/requests/lookup': (f) => `/:locale/requests/lookup?q=${f.requestRef}`,
  'GET /:locale/requests/:ref': (f) => `/:locale/requests/${f.requestRef}`,
  'POST /:locale/requests/:ref/follow': (f) => `/:locale/requests/${f.requestRef}/follow`,
  'GET /:locale/requests/follow/:token': (f) => `/:locale/requests/follow/${f.followToken}`,
  'POST /:locale/requests/follow/:token': (f) => `/:locale/requests/follow/${f.followToken}`,
  'GET /:locale/requests/unsubscribe/:token': (f) => `/:locale/requests/unsubscribe/${f.unsubscribeToken}`,
  'POST /:locale/requests/unsubscribe/:token': (f) => `/:locale/requests/unsubscribe/${f.unsubscribeToken}`,
  'GET /:locale/requests/track/:code': (f) => `/:locale/requests/track/${f.trackingCode}`,
  'POST /:locale/requests/track/:code/feedback': (f) => `/:locale/requests/track/${f.trackingCode}/feedback`,
  'POST /:locale/requests/track/:code/contest': (f) => `/:locale/requests/track/${f.trackingCode}/contest`,
  'POST /:locale/requests/track/:code/hide-name': (f) => `/:locale/requests/track/${f.trackingCode}/hide-name`,
  'GET /:locale/requests/:ref/mine': (f) => `/:locale/requests/${f.requestRef}/mine`,
  'POST /:locale/requests/:ref/mine/feedback': (f) => `/:locale/requests/${f.requestRef}/mine/feedback`,
  'POST /:locale/requests/:ref/mine/contest': (f) => `/:locale/requests/${f.requestRef}/mine/contest`,
  'POST /:locale/requests/:ref/mine/hide-name': (f) => `/:locale/requests/${f.requestRef}/mine/hide-name`,
  'GET /:locale/requests/photos/:id': (f) => `/:locale/requests/photos/${f.photoId}`,
  'GET /:locale/requests/dashboards': () => '/:locale/requests/dashboards',
  'GET /:locale/requests/dashboards/institutions': () => '/:locale/requests/dashboards/institutions',
  // Requests, staff
  'GET /:locale/admin/requests': () => '/:locale/admin/requests',
  'GET /:locale/admin/requests/contests': () => '/:locale/admin/requests/contests',
  '* /:locale/admin/requests/new': () => '/:locale/admin/requests/new',
  'GET /:locale/admin/requests/:ref/receipt': (f) => `${adminRq(f)}/receipt`,
  'POST /:locale/admin/requests/:ref/new-code': (f) => `${adminRq(f)}/new-code`,
  'GET /:locale/admin/requests/:ref': adminRq,
  'POST /:locale/admin/requests/:ref/answer': (f) => `${adminRq(f)}/answer`,
  'POST /:locale/admin/requests/:ref/assign': (f) => `${adminRq(f)}/assign`,
  'POST /:locale/admin/requests/:ref/note': (f) => `${adminRq(f)}/note`,
  'POST /:locale/admin/requests/:ref/rule': (f) => `${adminRq(f)}/rule`,
  'POST /:locale/admin/requests/:ref/hide-name': (f) => `${adminRq(f)}/hide-name`,
  'POST /:locale/admin/requests/:ref/photos/:id/:what': (f) => `${adminRq(f)}/photos/${f.photoId}/show`,
  // Requests, settings
  'GET /:locale/admin/requests/categories': () => '/:locale/admin/requests/categories',
  '* /:locale/admin/requests/categories/new': () => '/:locale/admin/requests/categories/new',
  '* /:locale/admin/requests/categories/:id': (f) => `/:locale/admin/requests/categories/${f.categoryId}`,
  'POST /:locale/admin/requests/categories/:id/questions': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions`,
  '* /:locale/admin/requests/categories/:id/questions/:qid': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions/${f.questionId}`,
  'POST /:locale/admin/requests/categories/:id/questions/:qid/delete': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions/${f.questionId}/delete`,
  'GET /:locale/admin/requests/districts': () => '/:locale/admin/requests/districts',
  'POST /:locale/admin/requests/districts/import': () => '/:locale/admin/requests/districts/import',
  '* /:locale/admin/requests/districts/new': () => '/:locale/admin/requests/districts/new',
  '* /:locale/admin/requests/districts/:id': (f) => `/:locale/admin/requests/districts/${f.districtId}`,
  'GET /:locale/admin/requests/templates': () => '/:locale/admin/requests/templates',
  '* /:locale/admin/requests/templates/new': () => '/:locale/admin/requests/templates/new',
  '* /:locale/admin/requests/templates/:id': (f) => `/:locale/admin/requests/templates/${f.templateId}`,
  'POST /:locale/admin/requests/templates/:id/delete': (f) => `/:locale/admin/requests/templates/${f.templateId}/delete`,
  '* /:locale/admin/requests/holidays': () => '/:locale/admin/requests/holidays',
  'POST /:locale/admin/requests/holidays/:id/confirm': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/confirm`,
  'POST /:locale/admin/requests/holidays/:id/shift': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/shift`,
  'POST /:locale/admin/requests/holidays/:id/remove': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/remove`,
  'POST /:locale/admin/requests/holidays/seed': () => '/:locale/admin/requests/holidays/seed',
  'GET /:locale/admin/requests/heads': () => '/:locale/admin/requests/heads',
  'POST /:locale/admin/requests/heads/:id': (f) => `/:locale/admin/requests/heads/${f.headInstitutionId}`,
  // Requests, machine-readable
  'GET /static/vendor/leaflet/*': () => '/static/vendor/leaflet/leaflet.css',
  'GET /open311/v2/:file': () => '/open311/v2/services.json',
  'GET /open311/v2/services/:file': (f) => `/open311/v2/services/${f.categorySlug}.json`,
  'GET /open311/v2/service/:file': (f) => `/open311/v2/service/${f.categorySlug}.xml`,
  'GET /open311/v2/requests/:file': (f) => `/open311/v2/requests/${f.requestRef}.json`,
  'GET /open311/v2/tokens/:file': (f) => `/open311/v2/tokens/${f.open311Token}.json`,
  'POST /open311/v2/:file': () => '/open311/v2/requests.json',
};

/** Every concrete Open311 read (the `:file` routes serve several documents). */
export function open311Paths(f: Fixtures): string[] {
  return ['discovery', 'services', 'requests', 'servicerequestupdates', `services/${f.categorySlug}`, `service/${f.categorySlug}`, `requests/${f.requestRef}`]
    .flatMap((x) => [`/open311/v2/${x}.json`, `/open311/v2/${x}.xml`]);
}

// ---------------------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any table, read by column name
async function one(q: Promise<any>, what: string): Promise<any> {
  const r = await q;
  if (r === undefined) throw new Error(`test/routes.ts: no ${what} in the commune`);
  return r;
}

/** Answers to a category's required questions (first option, a number, a date or a text). */
function answersFor(questions: { code: string; kind: string; required: number; options: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of questions) {
    if (!q.required) continue;
    const options = JSON.parse(q.options || '[]') as { value: string }[];
    out[`q_${q.code}`] = q.kind === 'single' || q.kind === 'multiple' ? options[0]?.value ?? '' : q.kind === 'number' ? '1' : q.kind === 'date' ? '2026-01-15' : 'texte';
  }
  return out;
}

async function build(t: TestApp, commune: Commune): Promise<Fixtures> {
  const db = t.database.db as any;
  const c = commune.id;
  const ctx: Ctx = await systemCtx(t.database, commune, t.config);
  const marker = `FX${randomBytes(5).toString('hex').toUpperCase()}`;
  const first = (table: string, where: Record<string, unknown> = {}, order = 'id') => {
    let q = db.selectFrom(table).selectAll().where('commune_id', '=', c);
    for (const [k, v] of Object.entries(where)) q = v === null ? q.where(k, 'is', null) : q.where(k, '=', v);
    return q.orderBy(order).limit(1).executeTakeFirst();
  };

  // Institutions
  const insts: { id: number; slug: string; kind: string }[] = await db.selectFrom('institutions').select(['id', 'slug', 'kind']).where('commune_id', '=', c).orderBy('id').execute();
  const institutions = Object.fromEntries(insts.map((i) => [i.slug, i.id]));

  // Accountability: the plan with an open cycle (else the first), a commitment with actions, its evidence.
  const cycleRow = (await db.selectFrom('reporting_cycles').selectAll().where('commune_id', '=', c).where('status', '=', 'open').orderBy('id').limit(1).executeTakeFirst())
    ?? await one(first('reporting_cycles', {}, 'id'), 'reporting cycle');
  const planRow = await one(first('plans', { id: cycleRow.plan_id }), 'plan');
  const action = await one(db.selectFrom('actions as a').innerJoin('commitments as k', (j: any) => j.onRef('k.id', '=', 'a.commitment_id').onRef('k.commune_id', '=', 'a.commune_id'))
    .select(['a.id', 'a.commitment_id', 'k.number']).where('a.commune_id', '=', c).where('k.plan_id', '=', planRow.id).orderBy('a.id').limit(1).executeTakeFirst(), 'action');
  const indicator = await one(db.selectFrom('indicators as i').innerJoin('commitments as k', (j: any) => j.onRef('k.id', '=', 'i.commitment_id').onRef('k.commune_id', '=', 'i.commune_id'))
    .select(['i.id']).where('i.commune_id', '=', c).where('k.plan_id', '=', planRow.id).orderBy('i.id').limit(1).executeTakeFirst(), 'indicator');
  const evidenceOf = (visibility: string) => db.selectFrom('evidence as e').innerJoin('files as f', (j: any) => j.onRef('f.id', '=', 'e.file_id').onRef('f.commune_id', '=', 'e.commune_id'))
    .innerJoin('commitments as k', (j: any) => j.onRef('k.id', '=', 'e.commitment_id').onRef('k.commune_id', '=', 'e.commune_id'))
    .select(['e.id', 'f.original_name']).where('e.commune_id', '=', c).where('e.kind', '=', 'file').where('e.visibility', '=', visibility).where('e.row_id', 'is', null)
    .where('k.plan_id', '=', planRow.id).orderBy('e.id').limit(1).executeTakeFirst();
  const evidence = await one(evidenceOf('public'), 'public evidence file');
  const internal = await evidenceOf('internal');
  const rows: { id: number; institution_id: number }[] = await db.selectFrom('matrix_rows').select(['id', 'institution_id']).where('commune_id', '=', c).where('cycle_id', '=', cycleRow.id).orderBy('id').execute();
  if (!rows.length) throw new Error('test/routes.ts: no matrix row in the cycle');
  const rowsByInstitution: Record<string, number> = {};
  for (const r of rows) { const s = insts.find((i) => i.id === r.institution_id)?.slug; if (s && !(s in rowsByInstitution)) rowsByInstitution[s] = r.id; }
  const actionUpdate = await one(first('action_updates'), 'published action update');
  const measurement = await one(first('measurements'), 'measurement');

  // Governance
  const body = await one(db.selectFrom('bodies as b').innerJoin('body_members as m', (j: any) => j.onRef('m.body_id', '=', 'b.id').onRef('m.commune_id', '=', 'b.commune_id'))
    .select(['b.id', 'b.slug', 'm.id as member_id']).where('b.commune_id', '=', c).orderBy('b.id').orderBy('m.id').limit(1).executeTakeFirst(), 'body with a member');
  const endorsement = await one(first('endorsements'), 'endorsement');

  // Accounts: a citizen of the fixtures, its grant and a reset token.
  const userEmail = `fixture.${marker.toLowerCase()}@test.local`;
  const userId = await addUserWithRole(ctx, { email: userEmail, name: `Fixture ${marker}`, password: PASSWORD, role: 'citizen' });
  const grant = await one(first('role_grants', { user_id: userId }), 'grant');
  let resetToken = '';
  await requestPasswordReset(ctx, { email: userEmail }, (token) => { resetToken = token; return `/password/reset/${token}`; });
  if (!resetToken) throw new Error('test/routes.ts: no reset token');
  const reporter: Ctx = { ...ctx, actor: { userId, communeId: c, email: userEmail, name: `Fixture ${marker}`, grants: await loadGrants(db, c, userId) } };

  // Comments: one on the commitment of the action.
  const comment = await postComment(reporter, { target_type: 'commitment', target_id: String(action.commitment_id), comment_body: `Commentaire ${marker}` });
  if (!comment.id) throw new Error('test/routes.ts: comment not stored');

  // Monitoring: the first report with a published version, its parts, and an evidence file on one assessment.
  const reportRow = await one(db.selectFrom('monitoring_reports as r').innerJoin('monitoring_versions as v', (j: any) => j.onRef('v.report_id', '=', 'r.id').onRef('v.commune_id', '=', 'r.commune_id'))
    .select(['r.id', 'v.id as version_id']).where('r.commune_id', '=', c).where('v.status', '=', 'published').orderBy('r.id').orderBy('v.version', 'desc').limit(1).executeTakeFirst(), 'published monitoring report');
  const publishedAssessment = await one(first('monitoring_assessments', { version_id: reportRow.version_id }), 'monitoring assessment');
  // The editor's pages work on a draft: a correction of the published report (the public page keeps the published version).
  const latest = await one(db.selectFrom('monitoring_versions').selectAll().where('commune_id', '=', c).where('report_id', '=', reportRow.id).orderBy('version', 'desc').limit(1).executeTakeFirst(), 'version');
  if (latest.status === 'published') await startCorrection(ctx, reportRow.id, { note_fr: `Correction ${marker}` });
  const draft = await one(db.selectFrom('monitoring_versions').selectAll().where('commune_id', '=', c).where('report_id', '=', reportRow.id).orderBy('version', 'desc').limit(1).executeTakeFirst(), 'draft version');
  const section = await one(first('monitoring_sections', { version_id: draft.id }), 'monitoring section');
  const assessment = await one(first('monitoring_assessments', { version_id: draft.id }), 'monitoring assessment');
  const recommendation = await one(first('monitoring_recommendations', { version_id: draft.id }), 'monitoring recommendation');
  const end = await one(first('monitoring_end_assessments'), 'end-of-commitment assessment');
  const pdf = Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
  const monitoringFileId = await t.database.db.transaction().execute(async (trx) => {
    const f = await writeFile(trx, t.config.dataDir, c, { data: pdf, kind: 'pdf', name: `preuve-${marker}.pdf` }, null);
    await (trx as any).insertInto('monitoring_assessment_files').values({ commune_id: c, assessment_id: publishedAssessment.id, file_id: f.id, sort: 0 }).execute();
    return f.id;
  });

  // Requests: one submitted by the fixture user on a department's category, with a photo and an email (a follower).
  const categories: { id: number; slug: string; institution_id: number }[] = await db.selectFrom('request_categories').select(['id', 'slug', 'institution_id']).where('commune_id', '=', c).where('active', '=', 1).orderBy('id').execute();
  const kindOf = (id: number) => insts.find((i) => i.id === id)?.kind;
  const category = categories.find((x) => kindOf(x.institution_id) === 'department') ?? categories[0];
  if (!category) throw new Error('test/routes.ts: no request category');
  const questions = await db.selectFrom('request_questions').selectAll().where('commune_id', '=', c).where('category_id', '=', category.id).orderBy('sort').execute();
  const district = await one(first('request_districts'), 'district');
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#48a' } }).jpeg().toBuffer();
  const submitted = await submitRequest(reporter, {
    category: category.slug, district: district.slug, description: `Signalement ${marker}`, name: `Fixture ${marker}`, name_public: '1',
    email: `reporter.${marker.toLowerCase()}@test.local`, ...answersFor(questions),
  }, { channel: 'web', photos: [{ filename: 'photo.jpg', mimetype: 'image/jpeg', data: jpeg, truncated: false }] });
  await follow(ctx, submitted.reference, { email: `follower.${marker.toLowerCase()}@test.local` });
  const followers: { token: string; is_reporter: number }[] = await db.selectFrom('request_followers').select(['token', 'is_reporter']).where('commune_id', '=', c).where('request_id', '=', submitted.id).execute();
  const photo = await one(first('request_photos', { request_id: submitted.id }), 'request photo');
  const requestsByInstitution: Record<string, string> = {};
  for (const r of await db.selectFrom('requests').select(['reference', 'institution_id']).where('commune_id', '=', c).orderBy('id').execute() as { reference: string; institution_id: number }[]) {
    const s = insts.find((i) => i.id === r.institution_id)?.slug;
    if (s && !(s in requestsByInstitution)) requestsByInstitution[s] = r.reference;
  }
  const question = await one(first('request_questions', { category_id: category.id }), 'question of the category');
  const template = await one(first('request_templates'), 'response template');
  const holiday = await one(first('holidays'), 'holiday');
  const head = insts.find((i) => i.kind === 'department') ?? insts[0];

  // Open311: a key of this commune (as `commune apikey add` makes it).
  const apiKey = `co_${randomToken(24)}`;
  await db.insertInto('api_keys').values({ commune_id: c, name: `Fixture ${marker}`, key_hash: sha256(apiKey), created_at: iso(), revoked_at: null }).execute();
  const secret = (await db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst())?.value ?? t.config.baseUrl;
  const open311Token = makeToken(secret, c, submitted.reference);

  return {
    commune,
    plan: planRow.slug, planId: planRow.id, commitmentId: action.commitment_id, commitmentNumber: action.number,
    actionId: action.id, indicatorId: indicator.id,
    evidenceId: evidence.id, evidenceName: evidence.original_name,
    internalEvidenceId: internal?.id ?? null, internalEvidenceName: internal?.original_name ?? null,
    cycleCode: cycleRow.code, rowId: rows[0].id, rowInstitutionId: rows[0].institution_id, rowsByInstitution,
    actionUpdateId: actionUpdate.id, measurementId: measurement.id,
    bodySlug: body.slug, bodyId: body.id, memberId: body.member_id, endorsementId: endorsement.id,
    institutionId: insts[0].id, institutions,
    userId, userEmail, grantId: grant.id, resetToken,
    commentId: comment.id,
    reportId: reportRow.id, sectionId: section.id, assessmentId: assessment.id, recommendationId: recommendation.id, recommendationNumber: recommendation.number,
    endCommitmentId: end.commitment_id, monitoringFileId,
    requestRef: submitted.reference, requestId: submitted.id, requestInstitutionId: category.institution_id, trackingCode: submitted.trackingCode,
    followToken: followers.find((f) => !f.is_reporter)!.token, unsubscribeToken: followers.find((f) => f.is_reporter)!.token,
    photoId: photo.id, requestsByInstitution,
    categoryId: category.id, categorySlug: category.slug, questionId: question.id, districtId: district.id, templateId: template.id, holidayId: holiday.id,
    headInstitutionId: head.id,
    apiKey, open311Token, marker,
  };
}
