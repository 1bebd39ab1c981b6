import { z } from 'zod';
import { mutate, authorize, versionedRead, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError, ValidationError, type FieldErrors } from '../../core/http/errors.ts';
import { fieldErrors, optionalText, checkbox } from '../../core/http/forms.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { lockCommune, type AnyDB } from '../../core/db/index.ts';
import { addWorkingDays, loadHolidays, localDay } from '../../core/clock/working-days.ts';
import { prepareImage } from '../../core/files/images.ts';
import { stageFile, recordFile, type Upload, type PreparedFile, type StagedFile } from '../../core/files/index.ts';
import { iso } from '../../core/clock/index.ts';
import { randomToken } from '../../core/auth/passwords.ts';
import { can } from '../../core/auth/roles.ts';
import { rq, type RqDB, type ListFilters, type FullRequestRow } from './repo.ts';
export { PAGE_SIZE, COUNT_CAP } from './repo.ts';
import { indexRequest } from './search.ts';
import * as repo from './repo.ts';
import { newTrackingCode, trackingHash, referencePrefix, formatReference, looksLikeTrackingCode, normalizeReference, REFERENCE_RE } from './codes.ts';
import { areaOf, boxAround, distanceMeters, type Point } from './geo.ts';
import { mailSubmitted } from './notify.ts';
import { QUESTION_KINDS, type Channel, type QuestionKind, type Status } from './schema.ts';

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_DESCRIPTION = 4000;
export const NEARBY_METERS = 200;

// ---------- Categories and districts as the pages see them ----------

export interface QuestionOption { value: string; label: Translated }
export interface Question {
  id: number; categoryId: number; code: string; kind: QuestionKind; label: Translated; hint: Translated; required: boolean; options: QuestionOption[]; sort: number;
}
export interface Category {
  id: number; slug: string; name: Translated; description: Translated; institutionId: number; slaDays: number; active: boolean; sample: boolean; sort: number;
  questions: Question[];
}
export interface District { id: number; slug: string; name: Translated; population: number | null; sample: boolean; sort: number }

function parseOptions(s: string): QuestionOption[] {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.filter((o) => o && typeof o.value === 'string').map((o) => ({ value: o.value, label: o.label ?? {} })) : [];
  } catch { return []; }
}

export function toQuestion(q: { id: number; category_id: number; code: string; kind: string; label: string; hint: string; required: number; options: string; sort: number }): Question {
  return {
    id: q.id, categoryId: q.category_id, code: q.code, kind: (QUESTION_KINDS as readonly string[]).includes(q.kind) ? q.kind as QuestionKind : 'text',
    label: parseTranslated(q.label), hint: parseTranslated(q.hint), required: !!q.required, options: parseOptions(q.options), sort: q.sort,
  };
}

type CategoryRow = { id: number; slug: string; name: string; description: string; institution_id: number; sla_days: number; active: number; sample: number; sort: number };
function toCategory(c: CategoryRow, questions: Question[]): Category {
  return {
    id: c.id, slug: c.slug, name: parseTranslated(c.name), description: parseTranslated(c.description), institutionId: c.institution_id,
    slaDays: c.sla_days, active: !!c.active, sample: !!c.sample, sort: c.sort, questions: questions.filter((q) => q.categoryId === c.id),
  };
}

export function toDistrict(d: { id: number; slug: string; name: string; population: number | null; sample: number; sort: number }): District {
  return { id: d.id, slug: d.slug, name: parseTranslated(d.name), population: d.population, sample: !!d.sample, sort: d.sort };
}

type ReadCtx = Ctx | { db: AnyDB; commune: Ctx['commune'] };
interface ReferenceData {
  categories: readonly Category[];
  districts: readonly District[];
  institutions: ReadonlyMap<number, { slug: string; kind: string; name: Translated }>;
}

/**
 * The commune's categories (with their extra questions, active or not), districts and institutions:
 * read on nearly every page and submission, changed rarely, so kept until the commune's data
 * changes (three queries then). Frozen: every request shares them.
 */
function referenceData(ctx: ReadCtx): Promise<ReferenceData> {
  return versionedRead(ctx, 'requests|reference', async () => {
    const db = rq(ctx.db);
    const [rows, districts, institutions] = await Promise.all([
      repo.listCategories(db, ctx.commune.id), repo.listDistricts(db, ctx.commune.id), repo.listInstitutionNames(db, ctx.commune.id),
    ]);
    const qs = (await repo.questionsOf(db, ctx.commune.id, rows.map((r) => r.id))).map(toQuestion);
    return Object.freeze({
      categories: deepFreeze(rows.map((r) => toCategory(r, qs))),
      districts: deepFreeze(districts.map(toDistrict)),
      institutions: new Map(institutions.map((i) => [i.id, deepFreeze({ slug: i.slug, kind: i.kind, name: parseTranslated(i.name) })])),
    });
  });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) { Object.freeze(v); for (const x of Object.values(v)) deepFreeze(x); }
  return v;
}

/** The categories with their extra questions (all, or the active ones only), in their order. */
export async function listCategories(ctx: ReadCtx, activeOnly = true): Promise<Category[]> {
  const { categories } = await referenceData(ctx);
  return categories.filter((c) => !activeOnly || c.active);
}

export async function getCategory(ctx: ReadCtx, by: { id?: number; slug?: string }): Promise<Category | null> {
  const { categories } = await referenceData(ctx);
  return categories.find((c) => (by.id !== undefined ? c.id === by.id : c.slug === by.slug)) ?? null;
}

export async function listDistricts(ctx: ReadCtx): Promise<District[]> {
  return [...(await referenceData(ctx)).districts];
}

/** The commune's institutions (every kind) by id: slug, kind and name. */
export async function institutionsById(ctx: ReadCtx): Promise<ReadonlyMap<number, { slug: string; kind: string; name: Translated }>> {
  return (await referenceData(ctx)).institutions;
}

// ---------- Checking a report ----------

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined || v === null || v === '' ? [] : [str(v)]).map((s) => s.trim()).filter(Boolean);

const coordinate = (min: number, max: number) => z.preprocess((v) => {
  const s = str(v).trim().replace(',', '.');
  return s === '' ? null : /^-?\d{1,3}(\.\d+)?$/.test(s) ? Number(s) : NaN;
}, z.number({ error: () => 'errors.invalid' }).min(min).max(max).nullable());

const optionalEmail = () => z.preprocess((v) => str(v).trim(), z.string().max(254).refine((s) => s === '' || z.email().safeParse(s).success, { error: 'errors.email' }));
const optionalPhone = () => z.preprocess((v) => str(v).trim(), z.string().max(30).refine((s) => s === '' || /^\+?[0-9 ().-]{6,25}$/.test(s), { error: 'errors.format' }));

/** The fields of a report, as the web form, the counter form and (mapped) Open311 send them. */
export const reportSchema = z.object({
  category: z.preprocess((v) => str(v).trim(), z.string().min(1, { error: 'errors.required' }).max(80)),
  district: optionalText(80),
  address: optionalText(300),
  lat: coordinate(-90, 90),
  lng: coordinate(-180, 180),
  description: z.preprocess((v) => str(v).trim(), z.string().min(1).max(MAX_DESCRIPTION)),
  name: optionalText(120),
  name_public: checkbox(),
  email: optionalEmail(),
  phone: optionalPhone(),
});

/**
 * Fields of a report: `category` (slug), `district` (slug), `address`, `lat`, `lng`, `description`,
 * `name`, `name_public`, `email`, `phone`, and `q_<code>` for each extra question of the category
 * (a list for multiple choice). Error keys name these fields.
 */
export type ReportFields = Record<string, unknown>;

export interface CheckedReport {
  category: Category;
  districtId: number | null;
  address: string;
  point: Point | null;
  description: string;
  answers: Record<string, string | number | string[]>;
  name: string;
  namePublic: boolean;
  email: string;
  phone: string;
}

function checkAnswers(questions: Question[], input: ReportFields, errors: FieldErrors): Record<string, string | number | string[]> {
  const answers: Record<string, string | number | string[]> = {};
  for (const q of questions) {
    const field = `q_${q.code}`;
    const raw = input[field];
    if (q.kind === 'multiple') {
      const values = list(raw);
      if (!values.length) { if (q.required) errors[field] = { key: 'errors.required' }; continue; }
      if (values.some((v) => !q.options.some((o) => o.value === v))) { errors[field] = { key: 'errors.choice' }; continue; }
      answers[q.code] = [...new Set(values)];
      continue;
    }
    const s = str(raw).trim();
    if (!s) { if (q.required) errors[field] = { key: 'errors.required' }; continue; }
    switch (q.kind) {
      case 'text':
        if (s.length > 1000) errors[field] = { key: 'errors.tooLong', params: { max: 1000 } }; else answers[q.code] = s;
        break;
      case 'number': {
        const n = s.replace(',', '.');
        if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(n)) errors[field] = { key: 'requests.errors.number' }; else answers[q.code] = Number(n);
        break;
      }
      case 'single':
        if (!q.options.some((o) => o.value === s)) errors[field] = { key: 'errors.choice' }; else answers[q.code] = s;
        break;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || !new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)) errors[field] = { key: 'errors.date' };
        else answers[q.code] = s;
        break;
    }
  }
  return answers;
}

/**
 * Checks every field of a report and finds its district (from the point when districts have
 * polygons and the point falls in one, else from the select). All errors at once, by field.
 */
export async function checkReport(ctx: Ctx, input: ReportFields, channel: Channel): Promise<CheckedReport> {
  const db = rq(ctx.db);
  const parsed = reportSchema.safeParse(input ?? {});
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  const category = parsed.success || !errors.category ? await getCategory(ctx, { slug: str(input?.category).trim() }) : null;
  if (!errors.category && (!category || !category.active)) errors.category = { key: 'requests.errors.category' };
  const answers = category ? checkAnswers(category.questions, input ?? {}, errors) : {};
  const data = parsed.success ? parsed.data : null;
  // The place is checked even when other fields failed, so every message shows at once.
  const placeParsed = reportSchema.pick({ district: true, address: true, lat: true, lng: true }).safeParse(input ?? {});
  const place = placeParsed.success ? placeParsed.data : null;
  let point: Point | null = null;
  let districtId: number | null = null;
  if (place) {
    if ((place.lat === null) !== (place.lng === null)) errors.lat = { key: 'requests.errors.coordinates' };
    else if (place.lat !== null && place.lng !== null) point = { lat: place.lat, lng: place.lng };
    if (point) districtId = areaOf(point, await repo.districtsWithGeometry(db, ctx.commune.id))?.id ?? null;
    if (districtId === null && place.district) {
      const d = await repo.findDistrict(db, ctx.commune.id, { slug: place.district });
      if (!d) errors.district = { key: 'errors.choice' }; else districtId = d.id;
    }
    if (districtId === null && !errors.district) {
      if (channel !== 'api') errors.district = { key: 'requests.errors.district' };
      else if (!point && !place.address) errors.address = { key: 'requests.errors.location' };
    }
  }
  if (Object.keys(errors).length || !data || !category) throw new ValidationError(errors);
  return {
    category, districtId, address: data.address, point, description: data.description, answers,
    name: data.name, namePublic: data.name_public && !!data.name, email: data.email, phone: data.phone,
  };
}

// ---------- Submitting ----------

export interface SubmitOptions {
  channel: Channel;
  /** Up to three photos, checked by content, resized and stripped of metadata before the transaction. */
  photos?: Upload[];
  /** Demo and synthetic data. */
  sample?: boolean;
}

export interface Submitted { id: number; reference: string; trackingCode: string }

/** Normalises the photos of a report (content check, resize, metadata stripped); refusals name the `photos` field. */
export async function preparePhotos(uploads: Upload[] = []): Promise<PreparedFile[]> {
  if (uploads.length > MAX_PHOTOS) throw new RuleError('requests.errors.tooManyPhotos', { max: MAX_PHOTOS }, 'photos');
  const out: PreparedFile[] = [];
  for (const u of uploads) out.push(await prepareImage(u, { maxBytes: MAX_PHOTO_BYTES, field: 'photos' }));
  return out;
}

/**
 * Writes the photos' bytes to disk (fsynced) before the change's transaction opens; inside it,
 * `recordPhotos` only adds their rows. A transaction that fails leaves the bytes unreferenced.
 */
export async function stagePhotos(ctx: Ctx, photos: PreparedFile[]): Promise<StagedFile[]> {
  const out: StagedFile[] = [];
  for (const p of photos) out.push(await stageFile(ctx.config.dataDir, ctx.commune.id, p));
  return out;
}

/** Records staged photos on a request, in the caller's transaction. */
export async function recordPhotos(trx: AnyDB, ctx: Ctx, requestId: number, staged: StagedFile[], kind: 'report' | 'resolution', at: string, userId: number | null): Promise<void> {
  for (const s of staged) {
    const f = await recordFile(trx, ctx.commune.id, s, userId, ctx.clock.now());
    await repo.insertPhoto(rq(trx), ctx.commune.id, { requestId, fileId: f.id, kind, at });
  }
}

function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The working day on which a request is due, counted from `from` (a date, or its local day) with the commune's holidays. */
export async function dueDay(db: AnyDB, communeId: number, from: Date | string, slaDays: number): Promise<string> {
  const start = typeof from === 'string' ? from : localDay(from);
  return addWorkingDays(start, slaDays, await loadHolidays(db, communeId, start, plusDays(start, slaDays * 3 + 60)));
}

/**
 * The one way a request enters: the web form, the counter (channel counter or phone, on behalf of
 * a citizen) and Open311 (api). Returns the public reference and the tracking code, shown once.
 */
export async function submitRequest(ctx: Ctx, input: ReportFields, opts: SubmitOptions): Promise<Submitted> {
  const onBehalf = opts.channel === 'counter' || opts.channel === 'phone';
  if (onBehalf) authorize(ctx, 'requests.report_for');
  const report = await checkReport(ctx, input, opts.channel);
  const photos = await stagePhotos(ctx, await preparePhotos(opts.photos));
  const now = ctx.clock.now();
  const code = newTrackingCode();
  const actorId = ctx.actor?.userId || null;
  const today = localDay(now);
  // Before the transaction: what it holds the commune's lock for is kept short.
  const dueOn = await dueDay(ctx.db, ctx.commune.id, today, report.category.slaDays);
  return mutate(ctx, { permission: onBehalf ? 'requests.report_for' : null, action: 'request.submit', entity: 'request', groupCommit: true }, async (trx) => {
    const db = rq(trx);
    await lockCommune(trx, ctx.commune.id);
    const year = Number(today.slice(0, 4));
    const seq = await repo.nextSeq(db, ctx.commune.id, year);
    const reference = formatReference(referencePrefix(ctx.commune.slug), year, seq);
    const at = iso(now);
    const id = await repo.insertRequest(db, {
      commune_id: ctx.commune.id, reference, year, seq, tracking_hash: trackingHash(code),
      category_id: report.category.id, district_id: report.districtId, institution_id: report.category.institutionId, assignee_id: null,
      status: 'submitted', reject_reason: null, duplicate_of_id: null, referral: null, public_note: null,
      description: report.description, address: report.address, lat: report.point?.lat ?? null, lng: report.point?.lng ?? null,
      answers: JSON.stringify(report.answers), channel: opts.channel,
      reporter_user_id: !onBehalf && opts.channel === 'web' ? actorId : null,
      reporter_name: report.name || null, name_public: onBehalf ? 0 : report.namePublic ? 1 : 0,
      reporter_email: report.email || null, reporter_phone: report.phone || null, reporter_locale: ctx.locale,
      entered_by: onBehalf || opts.channel === 'api' ? actorId : null,
      created_at: at, created_month: today.slice(0, 7), updated_at: at, acknowledged_at: null, first_response_at: null, due_on: dueOn,
      resolved_at: null, closed_at: null, within_target: null, resolution_days: null, resolution_hours: null, escalated_at: null,
      fixed: null, satisfaction: null, satisfaction_comment: null, feedback_at: null, reopen_count: 0, contest_status: 'none', sample: opts.sample ? 1 : 0,
    });
    await recordPhotos(trx, ctx, id, photos, 'report', at, actorId);
    await addEvent(db, ctx, id, 'submitted', true, { data: { channel: opts.channel }, at });
    await indexRequest(trx, ctx.commune.id, id);
    if (report.email) {
      const token = randomToken(24);
      await repo.insertFollower(db, {
        commune_id: ctx.commune.id, request_id: id, email: report.email, email_normalized: report.email.toLowerCase(), user_id: null,
        locale: ctx.locale, token, confirmed: 1, is_reporter: 1, created_at: at,
      });
      await mailSubmitted(trx, ctx, { reference, categoryName: report.category.name }, { email: report.email, locale: ctx.locale, token }, code);
    }
    return {
      result: { id, reference, trackingCode: code }, entityId: reference,
      // Never personal data in the audit trail: the facts of the request only.
      after: { reference, category: report.category.slug, districtId: report.districtId, channel: opts.channel, dueOn, photos: photos.length },
    };
  });
}

/** The counter: a request entered on behalf of a citizen, at the desk (`counter`) or on the phone (`phone`). */
export async function submitOnBehalf(ctx: Ctx, input: ReportFields, photos: Upload[]): Promise<Submitted> {
  // Refused before the form is read: a caller without the permission learns nothing of it.
  authorize(ctx, 'requests.report_for');
  const channel = input.channel === 'phone' ? 'phone' : input.channel === 'counter' ? 'counter' : null;
  if (!channel) throw new ValidationError({ channel: { key: 'errors.required' } });
  return submitRequest(ctx, input, { channel, photos });
}

/** Appends an event to a request's timeline; returns its id (Open311's `update_id` for public ones). */
export async function addEvent(db: RqDB, ctx: Ctx, requestId: number, kind: string, isPublic: boolean, e: { body?: string | null; data?: Record<string, unknown>; at?: string } = {}): Promise<number> {
  return repo.insertEvent(db, {
    commune_id: ctx.commune.id, request_id: requestId, at: e.at ?? iso(ctx.clock.now()), kind, public: isPublic ? 1 : 0,
    actor_id: ctx.actor?.userId || null, body: e.body ?? null, data: JSON.stringify(e.data ?? {}),
  });
}

// ---------- Public reads ----------

export interface ListQuery { status?: string; category?: string; district?: string; from?: string; to?: string }

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Turns the list's query string (slugs, days) into filters on ids; unknown values filter nothing out silently but are reported. */
export async function resolveFilters(ctx: Ctx, q: ListQuery, categories?: Category[], districts?: District[]): Promise<ListFilters> {
  const cats = categories ?? await listCategories(ctx, false);
  const dists = districts ?? await listDistricts(ctx);
  const f: ListFilters = { today: localDay(ctx.clock.now()) };
  if (q.status) f.status = q.status as ListFilters['status'];
  if (q.category) f.categoryId = cats.find((c) => c.slug === q.category)?.id ?? -1;
  if (q.district) f.districtId = dists.find((d) => d.slug === q.district)?.id ?? -1;
  if (q.from && DAY_RE.test(q.from)) f.from = q.from;
  if (q.to && DAY_RE.test(q.to)) f.to = q.to;
  return f;
}

export async function listRequests(ctx: Ctx, filters: ListFilters, page: number) {
  const db = rq(ctx.db);
  const [total, rows] = await Promise.all([repo.countCapped(db, ctx.commune.id, filters), repo.listPublic(db, ctx.commune.id, filters, page)]);
  return { total, capped: total > repo.COUNT_CAP, rows };
}

export interface PublicEvent { id: number; at: string; kind: string; body: string | null; data: Record<string, unknown> }

function parseData(s: string): Record<string, unknown> {
  try { return JSON.parse(s) ?? {}; } catch { return {}; }
}

/** A request as anyone may see it: no email, no phone, the name only if public. */
export async function publicRequest(ctx: Ctx, reference: string) {
  const db = rq(ctx.db);
  const r = await repo.findPublicByReference(db, ctx.commune.id, reference);
  if (!r) throw new NotFoundError();
  const [events, photos, followers, ref] = await Promise.all([
    repo.eventsOf(db, ctx.commune.id, r.id, true),
    repo.photosOf(db, ctx.commune.id, r.id, false),
    repo.followerCount(db, ctx.commune.id, r.id),
    referenceData(ctx),
  ]);
  const category = ref.categories.find((c) => c.id === r.category_id);
  const district = r.district_id === null ? undefined : ref.districts.find((d) => d.id === r.district_id);
  const institution = ref.institutions.get(r.institution_id);
  const duplicateOf = r.duplicate_of_id ? (await repo.referencesOf(db, ctx.commune.id, [r.duplicate_of_id]))[0]?.reference ?? null : null;
  return {
    request: r,
    category: category!,
    district: district ?? null,
    institution: institution ?? null,
    // Public events carry public text only; actor names of staff are not shown, their institution is.
    events: events.map((e) => ({ id: e.id, at: e.at, kind: e.kind, body: e.body, data: parseData(e.data) })) as PublicEvent[],
    photos: photos.map((p) => ({ id: p.id, kind: p.kind })),
    followers,
    duplicateOf,
    answers: parseData(r.answers),
    overdue: isOverdue(r.status as Status, r.due_on, localDay(ctx.clock.now())),
  };
}

export function isOverdue(status: Status, dueOn: string, today: string): boolean {
  return ['submitted', 'acknowledged', 'in_progress', 'reopened'].includes(status) && dueOn < today;
}

/** Open requests of the same category nearby: same district, or within 200 m of the point. */
export async function similarRequests(ctx: Ctx, report: { category: Category; districtId: number | null; point: Point | null }, limit = 5) {
  const box = report.point ? boxAround(report.point, NEARBY_METERS) : null;
  const rows = await repo.similarOpen(rq(ctx.db), ctx.commune.id, report.category.id, report.districtId, box, 40);
  const near = rows
    .map((r) => ({ ...r, distance: report.point && r.lat !== null && r.lng !== null ? Math.round(distanceMeters(report.point, { lat: r.lat, lng: r.lng })) : null }))
    .filter((r) => (report.districtId !== null && r.district_id === report.districtId) || (r.distance !== null && r.distance <= NEARBY_METERS));
  near.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || b.id - a.id);
  return near.slice(0, limit);
}

export async function mapPoints(ctx: Ctx, filters: ListFilters, limit = 1000) {
  return repo.mapPoints(rq(ctx.db), ctx.commune.id, filters, limit);
}

/** Who may open a request's staff file: its handlers (scoped), the counter, the mediator, the moderator. */
export function canViewFile(ctx: Ctx, institutionId: number): boolean {
  return can(ctx.actor, 'requests.handle', { institutionId }) || can(ctx.actor, 'requests.view');
}

// ---------- View models for the routes: never the reporter's contact details ----------

/** A request's row as route code may hold it: the reporter's email, phone and tracking hash removed. */
export type RequestView = Omit<FullRequestRow, 'reporter_email' | 'reporter_phone' | 'tracking_hash'>;

export function withoutContact(r: FullRequestRow): RequestView {
  const { reporter_email: _e, reporter_phone: _p, tracking_hash: _h, ...rest } = r;
  return rest;
}

/**
 * The page after a submission: the tracking code shown only to the browser that holds it (the
 * signed cookie), and whether a confirmation mail went out only to that browser too (to anyone
 * else it would tell whether the reporter left an address).
 */
export async function submittedView(ctx: Ctx, reference: string, recalled: string | null): Promise<{ code: string | null; mailed: boolean }> {
  const r = await repo.findFull(rq(ctx.db), ctx.commune.id, { reference: normalizeReference(reference) });
  if (!r) throw new NotFoundError();
  const code = recalled && trackingHash(recalled) === r.tracking_hash ? recalled : null;
  return { code, mailed: !!code && !!r.reporter_email };
}

/** One page of the public list without its count (the map's latest requests). */
export function latestRequests(ctx: Ctx, filters: ListFilters, limit: number) {
  return repo.listPublic(rq(ctx.db), ctx.commune.id, filters, 1, limit);
}

/** The public columns of the filtered list from `afterId`, in id order, for a streamed export. */
export function exportBatch(ctx: Ctx, filters: ListFilters, afterId: number, limit: number) {
  return repo.exportBatch(rq(ctx.db), ctx.commune.id, filters, afterId, limit);
}

/** "Find my request": a reference opens its public page, a tracking code the reporter's page; null when neither is known. */
export async function lookup(ctx: Ctx, q: string): Promise<string | null> {
  const db = rq(ctx.db);
  const ref = normalizeReference(q);
  if (REFERENCE_RE.test(ref) && (await repo.findPublicByReference(db, ctx.commune.id, ref))) return `/requests/${ref}`;
  if (looksLikeTrackingCode(q) && (await repo.findFull(db, ctx.commune.id, { trackingHash: trackingHash(q) }))) return `/requests/track/${encodeURIComponent(q.trim().toUpperCase())}`;
  return null;
}

/** What the signed-in viewer of a public request may do beyond reading it: manage it as its reporter, open its staff file. */
export async function viewerOf(ctx: Ctx, r: { id: number; institution_id: number }): Promise<{ mine: boolean; staff: boolean }> {
  if (!ctx.actor) return { mine: false, staff: false };
  const reporter = await repo.reporterOf(rq(ctx.db), ctx.commune.id, r.id);
  return { mine: reporter !== null && reporter === ctx.actor.userId, staff: canViewFile(ctx, r.institution_id) };
}

/** A photo to serve: a visible one to anyone, a hidden one only to who may open its request's file; else 404. */
export async function photoFor(ctx: Ctx, id: number) {
  const db = rq(ctx.db);
  const p = await repo.findPhoto(db, ctx.commune.id, id);
  if (!p) throw new NotFoundError();
  if (p.hidden) {
    const institutionId = await repo.institutionOf(db, ctx.commune.id, p.request_id);
    if (institutionId === null || !ctx.actor || !canViewFile(ctx, institutionId)) throw new NotFoundError();
  }
  return p;
}

/** The departments and operators requests are routed to. */
export async function handlingInstitutions(ctx: ReadCtx) {
  return (await repo.institutionsOfKinds(rq(ctx.db), ctx.commune.id, ['department', 'operator'])).map((i) => ({ id: i.id, slug: i.slug, kind: i.kind, name: parseTranslated(i.name) }));
}

/** The ids of the districts that have a polygon. */
export async function districtsWithPolygon(ctx: ReadCtx): Promise<Set<number>> {
  return new Set((await repo.districtsWithGeometry(rq(ctx.db), ctx.commune.id)).map((d) => d.id));
}
