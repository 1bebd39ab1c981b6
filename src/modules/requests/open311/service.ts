import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { mutate, type Ctx } from '../../../core/service.ts';
import { sha256 } from '../../../core/auth/passwords.ts';
import { RuleError, ValidationError, type FieldErrors } from '../../../core/http/errors.ts';
import { fieldErrors } from '../../../core/http/forms.ts';
import { isUpload, type Upload, type PreparedFile } from '../../../core/files/index.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { addDays, iso } from '../../../core/clock/index.ts';
import { tr, LOCALES, type Translated } from '../../../core/i18n/index.ts';
import { rq } from '../repo.ts';
import {
  listCategories, getCategory, institutionsById, submitRequest, preparePhotos, stagePhotos, recordPhotos, addEvent, reportSchema, MAX_DESCRIPTION, MAX_PHOTOS,
  type Question, type ReportFields,
} from '../service.ts';
import { notifyFollowers } from '../notify.ts';
import { normalizeReference } from '../codes.ts';
import { OPEN_STATUSES, REJECT_REASONS } from '../schema.ts';
import * as repo from './repo.ts';
import { o3 } from './repo.ts';
import { w3c, w3cEndOfDay, parseW3c } from './dates.ts';
import type { XmlValue } from './xml.ts';

/** Open311 GeoReport v2 over the requests module: reads, and submissions through `submitRequest`. */

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The date of this implementation's last change of behaviour (the discovery's changeset). */
export const CHANGESET = '2026-11-25T00:00:00+01:00';
/** GET requests and updates: at most this many a page (`page_size`), by default the last this many days. */
export const MAX_RESULTS = 1000;
export const DEFAULT_DAYS = 90;
export const MAX_IDS = 1000;
/** How deep `page` may go (rows skipped); past it, narrow the dates. */
export const MAX_OFFSET = 100_000;

export interface ApiError { code: number; description: string }

/** An answer made of the specification's error list, with its HTTP status. */
export class Open311Error extends Error {
  constructor(public status: number, public errors: ApiError[]) { super(errors.map((e) => e.description).join('; ')); }
}

const fail = (status: number, description: string): never => { throw new Open311Error(status, [{ code: status, description }]); };

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? str(v[0]) : typeof v === 'number' ? String(v) : '');
/** Text as it is stored and answered: line breaks as \n (browsers and Perl clients send CRLF). */
const lines = (s: string): string => s.replace(/\r\n?/g, '\n');

export type Row = Record<string, XmlValue>;

// ---------- Services ----------

export const DATATYPES: Record<string, string> = {
  string: 'string', text: 'text', number: 'number', date: 'datetime', datetime: 'datetime', single: 'singlevaluelist', multiple: 'multivaluelist',
};

export async function services(ctx: Ctx): Promise<Row[]> {
  const [categories, institutions] = await Promise.all([listCategories(ctx, true), institutionsById(ctx)]);
  return categories.map((c) => ({
    service_code: c.slug,
    service_name: tr(c.name, ctx.locale),
    description: tr(c.description, ctx.locale),
    metadata: c.questions.length > 0,
    type: 'realtime',
    // The names in the other languages, so a client can search in any of them.
    keywords: [...new Set(LOCALES.map((l) => c.name[l]).filter((n): n is string => !!n && n !== tr(c.name, ctx.locale)))].join(', '),
    group: tr(institutions.get(c.institutionId)?.name, ctx.locale),
  }));
}

function datatypeDescription(ctx: Ctx, q: Question): string {
  const hint = tr(q.hint, ctx.locale);
  if (hint) return hint;
  return ctx.t(`requests.open311.datatype.${DATATYPES[q.kind] ?? 'text'}`);
}

export async function serviceDefinition(ctx: Ctx, code: string): Promise<Row> {
  const c = await getCategory(ctx, { slug: code });
  if (!c || !c.active) fail(404, ctx.t('requests.open311.errors.serviceNotFound', { code: code.slice(0, 60) }));
  return {
    service_code: c!.slug,
    attributes: c!.questions.map((q, i) => ({
      variable: true,
      code: q.code,
      datatype: DATATYPES[q.kind] ?? 'text',
      required: q.required,
      datatype_description: datatypeDescription(ctx, q),
      order: i + 1,
      description: tr(q.label, ctx.locale),
      ...(q.kind === 'single' || q.kind === 'multiple' ? { values: q.options.map((o) => ({ key: o.value, name: tr(o.label as Translated, ctx.locale) })) } : {}),
    })),
  };
}

// ---------- Tokens: stateless, so that a submission is one durable commit ----------

function tokenMac(secret: string, communeId: number, reference: string): string {
  return createHmac('sha256', `open311-token:${secret}`).update(`${communeId}:${reference}`).digest('base64url').slice(0, 16);
}

export function makeToken(secret: string, communeId: number, reference: string): string {
  return `${Buffer.from(reference).toString('base64url')}.${tokenMac(secret, communeId, reference)}`;
}

/** The request id a token stands for (404 when the token is not one of ours, or its request is gone). */
export async function resolveToken(ctx: Ctx, secret: string, token: string): Promise<Row[]> {
  const m = /^([A-Za-z0-9_-]{1,80})\.([A-Za-z0-9_-]{16})$/.exec(token);
  const reference = m ? Buffer.from(m[1], 'base64url').toString('utf8') : '';
  const expected = m ? Buffer.from(tokenMac(secret, ctx.commune.id, reference)) : null;
  if (!m || !expected || !timingSafeEqual(expected, Buffer.from(m[2]))) fail(404, ctx.t('requests.open311.errors.tokenNotFound'));
  const r = await repo.findRequest(o3(ctx.db), ctx.commune.id, reference);
  if (!r) fail(404, ctx.t('requests.open311.errors.tokenNotFound'));
  return [{ service_request_id: r!.reference, token }];
}

// ---------- Submitting ----------

/** Open311 parameter names of the report's fields, for error messages. */
function parameterOf(field: string): string {
  if (field.startsWith('q_')) return `attribute[${field.slice(2)}]`;
  return ({ category: 'service_code', lng: 'long', lat: 'lat', address: 'address_string', name: 'first_name', photos: 'media', district: 'address_string', note: 'description' } as Record<string, string>)[field] ?? field;
}

/** Turns `attribute[code]` (and `attribute[code][]`) parameters into `q_code` answers. */
function attributes(body: Record<string, unknown>, questions: Question[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const byCode = new Map(questions.map((q) => [q.code, q]));
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]{1,60})\](\[\])?$/.exec(k);
    if (m) {
      const prev = out[`q_${m[1]}`];
      const values = (Array.isArray(v) ? v : [v]).map(str);
      out[`q_${m[1]}`] = prev === undefined ? (values.length === 1 && !m[2] ? values[0] : values) : [...(Array.isArray(prev) ? prev : [prev]), ...values];
    }
  }
  // JSON bodies may send { attribute: { code: value } }.
  if (body.attribute && typeof body.attribute === 'object' && !Array.isArray(body.attribute)) {
    for (const [code, v] of Object.entries(body.attribute as Record<string, unknown>)) out[`q_${code}`] = Array.isArray(v) ? v.map(str) : str(v);
  }
  // A date-time for a date question: its day in the commune's zone.
  for (const [field, v] of Object.entries(out)) {
    const q = byCode.get(field.slice(2));
    if (q?.kind === 'date' && typeof v === 'string' && v.length > 10) {
      const ms = parseW3c(v);
      if (ms !== null) out[field] = localDay(new Date(ms));
    }
  }
  return out;
}

// ---------- API keys, photos, paging: shared by the endpoints ----------

/** The key of a POST (403 when missing, unknown or revoked). */
async function checkKey(ctx: Ctx, body: Record<string, unknown>): Promise<{ id: number; name: string }> {
  const key = str(body.api_key).trim();
  if (!key) fail(403, ctx.t('requests.open311.errors.apiKeyMissing'));
  const found = key.length <= 200 ? await repo.findApiKey(o3(ctx.db), ctx.commune.id, sha256(key)) : undefined;
  if (!found) fail(403, ctx.t('requests.open311.errors.apiKeyInvalid'));
  if (found!.revoked_at) fail(403, ctx.t('requests.open311.errors.apiKeyRevoked'));
  return { id: found!.id, name: found!.name };
}

/** The parameters that may carry photos: `media` (the specification's clients), `photo`, `photo1`, `photo2`… (FixMyStreet). */
const PHOTO_FIELD = /^(media|photo)(\d{1,2})?$/;

interface Photo { name: string; upload: Upload }

/**
 * The photos of a multipart POST, in their order (media, photo, photo1, photo2…). A file under any
 * other parameter is refused by name rather than dropped; an empty file input is no photo.
 */
function photosOf(ctx: Ctx, body: Record<string, unknown>): Photo[] {
  const out: (Photo & { order: number })[] = [];
  for (const [name, v] of Object.entries(body)) {
    const files = (Array.isArray(v) ? v : [v]).filter(isUpload);
    if (!files.length) continue;
    const m = PHOTO_FIELD.exec(name);
    if (!m) fail(400, `${name.slice(0, 60)}: ${ctx.t('requests.open311.errors.fileField')}`);
    const order = (m![1] === 'media' ? 0 : 1000) + Number(m![2] ?? 0);
    for (const upload of files) if (upload.filename !== '' || upload.data.length > 0) out.push({ name, upload, order });
  }
  return out.sort((a, b) => a.order - b.order).map(({ name, upload }) => ({ name, upload }));
}

/** Where a photo refusal points: the parameter(s) the client used. */
const photoParams = (photos: Photo[]) => [...new Set(photos.map((p) => p.name))].join(', ') || 'media';

function positive(ctx: Ctx, name: string, v: unknown): number | undefined {
  const s = str(v).trim();
  if (!s) return undefined;
  if (!/^\d{1,9}$/.test(s) || Number(s) < 1) fail(400, ctx.t('requests.open311.errors.positive', { name }));
  return Number(s);
}

/** `page_size` (1–1,000, default and ceiling 1,000) and `page` (from 1), bounded in depth. */
function paging(ctx: Ctx, query: Record<string, unknown>): repo.Page {
  const size = Math.min(positive(ctx, 'page_size', query.page_size) ?? MAX_RESULTS, MAX_RESULTS);
  const page = positive(ctx, 'page', query.page) ?? 1;
  const offset = (page - 1) * size;
  if (offset >= MAX_OFFSET) fail(400, ctx.t('requests.open311.errors.pageTooFar', { max: MAX_OFFSET }));
  return { limit: size, offset };
}

// ---------- Submitting ----------

/** FixMyStreet's placeholder for "no address" (a report placed without a map). */
export const NOT_PINPOINTED = '#NOTPINPOINTED#';

export interface Submission { body: Record<string, unknown>; secret: string }

/**
 * POST requests: the key first (403), then the service (404 when unknown, as the specification
 * says), then the report as the web form checks it (400 with one error per parameter). Personal
 * details (email, phone, names) are stored private, never shown; the reporter's name is never made
 * public through the API. `media_url` is never fetched.
 */
export async function submit(ctx: Ctx, { body, secret }: Submission): Promise<Row[]> {
  await checkKey(ctx, body);

  const code = str(body.service_code).trim();
  if (!code) fail(400, `service_code: ${ctx.t('errors.required')}`);
  const category = await getCategory(ctx, { slug: code });
  if (!category || !category.active) fail(404, ctx.t('requests.open311.errors.serviceNotFound', { code: code.slice(0, 60) }));

  const description = lines(str(body.description));
  if (description.trim().length > MAX_DESCRIPTION) fail(400, `description: ${ctx.t('errors.tooLong', { max: MAX_DESCRIPTION })}`);
  const lat = str(body.lat).trim();
  const lng = str(body.long).trim();
  const addressId = str(body.address_id).trim();
  const address = str(body.address_string).trim() || (addressId === NOT_PINPOINTED ? '' : addressId);
  if (!(lat && lng) && !address) fail(400, ctx.t('requests.open311.errors.location'));
  const photos = photosOf(ctx, body);

  const fields: ReportFields = {
    category: code, lat, lng, address, description,
    name: [str(body.first_name).trim(), str(body.last_name).trim()].filter(Boolean).join(' '),
    name_public: '',
    email: str(body.email), phone: str(body.phone),
    ...attributes(body, category!.questions),
  };
  let submitted;
  try {
    submitted = await submitRequest(ctx, fields, { channel: 'api', photos: photos.map((p) => p.upload) });
  } catch (e) {
    if (e instanceof ValidationError) throw fieldsError(ctx, e.fields);
    if (e instanceof RuleError && e.field === 'photos') fail(400, `${photoParams(photos)}: ${ctx.t(e.messageKey, e.params)}`);
    if (e instanceof RuleError) throw fieldsError(ctx, { [e.field ?? '_form']: { key: e.messageKey, params: e.params } });
    throw e;
  }
  return [{
    service_request_id: submitted.reference,
    token: makeToken(secret, ctx.commune.id, submitted.reference),
    service_notice: [ctx.t('requests.open311.notice', { reference: submitted.reference }), mediaUrlNotice(ctx, body)].filter(Boolean).join(' '),
    account_id: null,
  }];
}

/** A `media_url` is not fetched (no request leaves the server for a client's URL): the answer says so. */
function mediaUrlNotice(ctx: Ctx, body: Record<string, unknown>): string {
  return str(body.media_url).trim() ? ctx.t('requests.open311.mediaUrlIgnored') : '';
}

function fieldsError(ctx: Ctx, fields: FieldErrors): Open311Error {
  return new Open311Error(400, Object.entries(fields).map(([field, e]) => ({
    code: 400,
    description: field === 'address' && e.key === 'requests.errors.location' ? ctx.t('requests.open311.errors.location')
      : field === '_form' ? ctx.t(e.key, e.params) : `${parameterOf(field)}: ${ctx.t(e.key, e.params)}`,
  })));
}

// ---------- Updates: a citizen's (or a client's) message on a request ----------

/**
 * The statuses a client may report with an update (FixMyStreet's vocabulary, case and spaces
 * aside). They are recorded for the staff, never applied: API keys belong to applications, not to
 * the department or operator that handles a request, so no key can close, reopen or move a request.
 */
export const UPDATE_STATUSES = [
  'open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate', 'not_councils_responsibility',
  'no_further_action', 'internal_referral', 'reopen',
] as const;

const updateSchema = reportSchema.pick({ email: true, phone: true }).extend({
  name: z.preprocess((v) => str(v).trim(), z.string().max(120)),
  note: z.preprocess((v) => str(v).trim(), z.string().max(MAX_DESCRIPTION)),
});

/**
 * POST servicerequestupdates: a message on a request, with up to three photos (the web form's
 * checks), from an API key. It becomes a public event of the request (shown on its page and in
 * the staff file, mailed to its followers but the poster, listed by GET servicerequestupdates); the
 * poster's name, email and phone are kept private beside it. The same client id (`update_id`) sent
 * again by the same key for the same request answers the first update and writes nothing.
 */
export async function submitUpdate(ctx: Ctx, body: Record<string, unknown>): Promise<Row[]> {
  const key = await checkKey(ctx, body);
  const db = o3(ctx.db);
  const reference = normalizeReference(str(body.service_request_id).trim());
  if (!reference) fail(400, `service_request_id: ${ctx.t('errors.required')}`);
  const r = reference.length <= 60 ? await repo.findRequest(db, ctx.commune.id, reference) : undefined;
  if (!r) fail(404, ctx.t('requests.open311.errors.requestNotFound', { id: reference.slice(0, 60) }));
  const request = r!;

  const status = str(body.status).trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (status && !(UPDATE_STATUSES as readonly string[]).includes(status)) fail(400, ctx.t('requests.open311.errors.updateStatus', { list: UPDATE_STATUSES.join(', ') }));
  const parsed = updateSchema.safeParse({
    email: str(body.email), phone: str(body.phone), note: lines(str(body.description)),
    name: [str(body.first_name).trim(), str(body.last_name).trim()].filter(Boolean).join(' '),
  });
  if (!parsed.success) throw fieldsError(ctx, fieldErrors(parsed.error));
  const { email, phone, name, note } = parsed.data;
  const externalId = str(body.update_id).trim() || str(body.update_id_ext).trim();
  if (externalId.length > 120) fail(400, `update_id: ${ctx.t('errors.tooLong', { max: 120 })}`);
  const photos = photosOf(ctx, body);
  if (!note && !photos.length) fail(400, `description: ${ctx.t('errors.required')}`);

  const answer = (eventId: number): Row[] => [{
    update_id: String(eventId),
    service_notice: [
      ctx.t('requests.open311.updateNotice', { reference: request.reference }),
      status && status !== fmsStatus(request.status, request.reject_reason) ? ctx.t('requests.open311.statusNotApplied', { status }) : '',
      mediaUrlNotice(ctx, body),
    ].filter(Boolean).join(' '),
  }];
  const again = async () => (externalId ? repo.findUpdate(db, ctx.commune.id, key.id, request.id, externalId) : undefined);
  const prior = await again();
  if (prior) return answer(prior.event_id);

  // The web form's checks, one photo at a time so that a refusal names its parameter.
  if (photos.length > MAX_PHOTOS) fail(400, `${photoParams(photos)}: ${ctx.t('requests.errors.tooManyPhotos', { max: MAX_PHOTOS })}`);
  const prepared: PreparedFile[] = [];
  for (const p of photos) {
    try { prepared.push(...await preparePhotos([p.upload])); } catch (e) {
      if (e instanceof RuleError) fail(400, `${p.name}: ${ctx.t(e.messageKey, e.params)}`);
      throw e;
    }
  }

  const staged = await stagePhotos(ctx, prepared);
  const now = ctx.clock.now();
  let eventId: number;
  try {
    eventId = await mutate(ctx, { permission: null, action: 'request.citizen_update', entity: 'request' }, async (trx) => {
      const tx = o3(trx);
      const at = iso(now);
      await recordPhotos(trx, ctx, request.id, staged, 'report', at, null);
      const id = await addEvent(rq(trx), ctx, request.id, 'citizen_update', true, { body: note || null, data: { channel: 'api', photos: prepared.length }, at });
      await repo.insertUpdate(tx, {
        commune_id: ctx.commune.id, request_id: request.id, event_id: id, api_key_id: key.id, external_id: externalId || null,
        reported_status: status || null, author_name: name || null, author_email: email || null, author_phone: phone || null, created_at: at,
      });
      await repo.touchRequest(tx, ctx.commune.id, request.id, at);
      await notifyFollowers(trx, ctx, request, { kind: 'citizen_update', note: note || null }, { skipEmail: email || undefined });
      // Never the poster's details in the audit trail: the facts of the update only.
      return { result: id, entityId: request.reference, after: { update: id, apiKey: key.id, photos: prepared.length, reportedStatus: status || null } };
    });
  } catch (e) {
    // The same update sent twice at once: the second one's insert meets the first one's row.
    const first = await again();
    if (first) return answer(first.event_id);
    throw e;
  }
  return answer(eventId);
}

// ---------- Reading requests ----------

export interface Reading { origin: string }

function statusNotes(ctx: Ctx, r: repo.Open311Row, duplicates: Map<number, string>): string {
  const parts: string[] = [];
  if (r.status === 'rejected' && r.reject_reason === 'duplicate' && r.duplicate_of_id && duplicates.get(r.duplicate_of_id)) {
    parts.push(ctx.t('requests.open311.duplicateOf', { reference: duplicates.get(r.duplicate_of_id) }));
  }
  if (r.status === 'rejected' && r.reject_reason === 'not_competent' && r.referral) parts.push(lines(r.referral));
  if (r.public_note) parts.push(lines(r.public_note));
  return parts.join('\n\n');
}

const photoUrl = (ctx: Ctx, reading: Reading, id: number | null | undefined) => (id ? `${reading.origin}/${ctx.locale}/requests/photos/${id}` : '');

async function present(ctx: Ctx, rows: repo.Open311Row[], reading: Reading): Promise<Row[]> {
  if (!rows.length) return [];
  const db = o3(ctx.db);
  const [categories, institutions, photos, duplicates] = await Promise.all([
    listCategories(ctx, false),
    institutionsById(ctx),
    repo.firstPhotos(db, ctx.commune.id, rows.map((r) => r.id)),
    repo.referencesByIds(db, ctx.commune.id, [...new Set(rows.map((r) => r.duplicate_of_id).filter((x): x is number => x !== null))]),
  ]);
  const cat = new Map(categories.map((c) => [c.id, c]));
  const photo = new Map(photos.map((p) => [p.request_id, p.photo_id]));
  const dup = new Map(duplicates.map((d) => [d.id, d.reference]));
  return rows.map((r) => {
    const c = cat.get(r.category_id);
    const open = (OPEN_STATUSES as string[]).includes(r.status);
    return {
      service_request_id: r.reference,
      status: open ? 'open' : 'closed',
      status_notes: statusNotes(ctx, r, dup),
      service_name: c ? tr(c.name, ctx.locale) : '',
      service_code: c?.slug ?? '',
      description: lines(r.description),
      agency_responsible: tr(institutions.get(r.institution_id)?.name, ctx.locale),
      service_notice: '',
      requested_datetime: w3c(r.created_at),
      updated_datetime: w3c(r.updated_at),
      expected_datetime: w3cEndOfDay(r.due_on),
      address: r.address === NOT_PINPOINTED ? '' : r.address,
      address_id: '',
      zipcode: '',
      // A request placed by its address only has no coordinates: null (an empty element in XML), never "".
      lat: r.lat ?? null,
      long: r.lng ?? null,
      media_url: photoUrl(ctx, reading, photo.get(r.id)),
    };
  });
}

function dateParam(ctx: Ctx, name: string, v: unknown): number | undefined {
  const s = str(v).trim();
  if (!s) return undefined;
  const ms = s.length <= 40 ? parseW3c(s) : null;
  if (ms === null) fail(400, ctx.t('requests.open311.errors.date', { name }));
  return ms!;
}

/** `start_date`/`end_date` as ISO UTC bounds; without a start, the 90 days before the end (or now). */
function window(ctx: Ctx, query: Record<string, unknown>): { start: string; end?: string } {
  let start = dateParam(ctx, 'start_date', query.start_date);
  const end = dateParam(ctx, 'end_date', query.end_date);
  if (start !== undefined && end !== undefined && start > end) fail(400, ctx.t('requests.open311.errors.dateOrder'));
  if (start === undefined) start = addDays(end === undefined ? ctx.clock.now() : new Date(end), -DEFAULT_DAYS).getTime();
  return { start: iso(new Date(start)), end: end === undefined ? undefined : iso(new Date(end)) };
}

/** `service_request_id`: one or more references, comma-separated (at most 1,000); null when not given. */
function referencesParam(ctx: Ctx, v: unknown): string[] | null {
  const ids = str(v).split(',').map((s) => normalizeReference(s)).filter(Boolean);
  if (!ids.length) return null;
  if (ids.length > MAX_IDS) fail(400, ctx.t('requests.open311.errors.tooManyIds', { max: MAX_IDS }));
  return [...new Set(ids)];
}

/** GET requests: by ids, or filtered by service, status and dates; newest first, a page of at most 1,000. */
export async function findRequests(ctx: Ctx, query: Record<string, unknown>, reading: Reading): Promise<Row[]> {
  const db = o3(ctx.db);
  const page = paging(ctx, query);
  const references = referencesParam(ctx, query.service_request_id);
  if (references) return present(ctx, await repo.findRequests(db, ctx.commune.id, { references }, page), reading);
  const statuses = [...new Set(str(query.status).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (statuses.some((s) => s !== 'open' && s !== 'closed')) fail(400, ctx.t('requests.open311.errors.status'));
  const { start, end } = window(ctx, query);
  const codes = [...new Set(str(query.service_code).split(',').map((s) => s.trim()).filter(Boolean))];
  let categoryIds: number[] | undefined;
  if (codes.length) {
    const categories = await listCategories(ctx, false);
    categoryIds = categories.filter((c) => codes.includes(c.slug)).map((c) => c.id);
  }
  const rows = await repo.findRequests(db, ctx.commune.id, {
    categoryIds, status: statuses.length === 1 ? statuses[0] as 'open' | 'closed' : undefined, start, end,
  }, page);
  return present(ctx, rows, reading);
}

export async function findRequest(ctx: Ctx, id: string, reading: Reading): Promise<Row[]> {
  const r = id.length <= 60 ? await repo.findRequest(o3(ctx.db), ctx.commune.id, normalizeReference(id)) : undefined;
  if (!r) fail(404, ctx.t('requests.open311.errors.requestNotFound', { id: id.slice(0, 60) }));
  return present(ctx, [r!], reading);
}

// ---------- Reading updates ----------

/**
 * Our statuses in FixMyStreet's vocabulary (its `map_state` reads them, case and `_` aside). The
 * specification's own `status` of a request stays open/closed; updates say more.
 */
export const FMS_STATUS: Record<string, string> = {
  submitted: 'open', acknowledged: 'investigating', in_progress: 'in_progress', reopened: 'open', resolved: 'fixed',
  rejected_duplicate: 'duplicate', rejected_not_competent: 'not_councils_responsibility', rejected_invalid: 'no_further_action',
};

/** Our own status code (`external_status_code`): the status, and a rejection's reason. */
function statusCode(status: string, rejectReason: string | null): string {
  if (status !== 'rejected') return status;
  return `rejected_${(REJECT_REASONS as readonly string[]).includes(rejectReason ?? '') ? rejectReason : 'invalid'}`;
}

function fmsStatus(status: string, rejectReason: string | null): string {
  return FMS_STATUS[statusCode(status, rejectReason)] ?? 'open';
}

function parseData(s: string | null | undefined): Record<string, unknown> {
  try { const v = JSON.parse(s ?? '{}'); return v && typeof v === 'object' ? v : {}; } catch { return {}; }
}

/** The status code a status-setting event (`kind {data}`, see repo.findUpdates) left the request in. */
function codeOfState(state: string | null, fallback: string): string {
  if (!state) return fallback;
  const i = state.indexOf(' ');
  const kind = i < 0 ? state : state.slice(0, i);
  const data = parseData(i < 0 ? '{}' : state.slice(i + 1));
  if (kind === 'rejected') return statusCode('rejected', typeof data.reason === 'string' ? data.reason : null);
  if (kind === 'merged') return 'rejected_duplicate';
  if (kind === 'ruled') return 'reopened';
  return kind;
}

/** An update's text: its public words, else what happened, in the answer's language. */
function updateText(ctx: Ctx, kind: string, body: string | null, data: Record<string, unknown>): string {
  const text = lines(body ?? '').trim();
  const join = (...parts: unknown[]) => parts.filter((p): p is string => typeof p === 'string' && !!p).map(lines).join('\n\n');
  switch (kind) {
    case 'citizen_update': return text;
    case 'merged': return join(typeof data.into === 'string' ? ctx.t('requests.open311.duplicateOf', { reference: data.into }) : '', text);
    case 'rejected': return join(text || ctx.t(`requests.event.${statusCode('rejected', typeof data.reason === 'string' ? data.reason : null)}`), data.referral);
    case 'ruled': return join(ctx.t(`requests.event.ruled_${data.decision === 'upheld' ? 'upheld' : 'dismissed'}`), text);
    case 'feedback': return ctx.t(data.fixed ? 'requests.event.feedbackFixed' : 'requests.event.feedbackNotFixed', { rating: data.satisfaction });
    case 'duplicate_merged': return join(`${ctx.t('requests.event.duplicate_merged')} ${typeof data.from === 'string' ? data.from : ''}`.trim(), text);
    default: return text || ctx.t(`requests.event.${kind}`, { defaultValue: kind });
  }
}

/**
 * GET servicerequestupdates: the public events of requests after their submission (answers,
 * status changes, rulings, feedback, citizens' updates), newest first, a page of at most 1,000,
 * between `start_date` and `end_date` (by default the last 90 days), optionally of some requests.
 */
export async function findUpdates(ctx: Ctx, query: Record<string, unknown>, reading: Reading): Promise<Row[]> {
  const page = paging(ctx, query);
  const references = referencesParam(ctx, query.service_request_id);
  const { start, end } = window(ctx, query);
  const rows = await repo.findUpdates(o3(ctx.db), ctx.commune.id, { references: references ?? undefined, start, end }, page);
  return rows.map((e) => {
    const code = codeOfState(e.state, statusCode(e.status, e.reject_reason));
    return {
      update_id: String(e.id),
      service_request_id: e.reference,
      status: FMS_STATUS[code] ?? 'open',
      description: updateText(ctx, e.kind, e.body, parseData(e.data)),
      updated_datetime: w3c(e.at),
      external_status_code: code,
      media_url: photoUrl(ctx, reading, e.photo_id),
    };
  });
}

const secrets = new WeakMap<object, Promise<string>>();

/** The key that signs tokens: derived from the installation's cookie secret, read once per database. */
export function tokenSecret(ctx: Ctx): Promise<string> {
  let s = secrets.get(ctx.db);
  if (!s) secrets.set(ctx.db, (s = repo.installationSecret(ctx.db).then((v) => v ?? ctx.config.baseUrl)));
  return s;
}
