import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../../../core/service.ts';
import { sha256 } from '../../../core/auth/passwords.ts';
import { RuleError, ValidationError, type FieldErrors } from '../../../core/http/errors.ts';
import { isUpload, type Upload } from '../../../core/files/index.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { addDays, iso } from '../../../core/clock/index.ts';
import { tr, LOCALES, type Translated } from '../../../core/i18n/index.ts';
import { rq } from '../repo.ts';
import { listCategories, getCategory, institutionsById, submitRequest, MAX_DESCRIPTION, type Question, type ReportFields } from '../service.ts';
import { normalizeReference } from '../codes.ts';
import { OPEN_STATUSES } from '../schema.ts';
import * as repo from './repo.ts';
import { w3c, w3cEndOfDay, parseW3c } from './dates.ts';
import type { XmlValue } from './xml.ts';

/** Open311 GeoReport v2 over the requests module: reads, and submissions through `submitRequest`. */

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The date of this implementation's last change of behaviour (the discovery's changeset). */
export const CHANGESET = '2026-11-25T00:00:00+01:00';
/** GET requests: at most this many, and by default the last this many days. */
export const MAX_RESULTS = 1000;
export const DEFAULT_DAYS = 90;
export const MAX_IDS = 1000;

export interface ApiError { code: number; description: string }

/** An answer made of the specification's error list, with its HTTP status. */
export class Open311Error extends Error {
  constructor(public status: number, public errors: ApiError[]) { super(errors.map((e) => e.description).join('; ')); }
}

const fail = (status: number, description: string): never => { throw new Open311Error(status, [{ code: status, description }]); };

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? str(v[0]) : typeof v === 'number' ? String(v) : '');

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
  if (!c || !c.active) fail(404, ctx.t('requests.open311.errors.serviceNotFound', { code }));
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
  const r = await repo.findRequest(rq(ctx.db), ctx.commune.id, reference);
  if (!r) fail(404, ctx.t('requests.open311.errors.tokenNotFound'));
  return [{ service_request_id: r!.reference, token }];
}

// ---------- Submitting ----------

/** Open311 parameter names of the report's fields, for error messages. */
function parameterOf(field: string): string {
  if (field.startsWith('q_')) return `attribute[${field.slice(2)}]`;
  return ({ category: 'service_code', lng: 'long', lat: 'lat', address: 'address_string', name: 'first_name', photos: 'media', district: 'address_string' } as Record<string, string>)[field] ?? field;
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

export interface Submission { body: Record<string, unknown>; secret: string }

/**
 * POST requests: the key first (403), then the report as the web form checks it (400 with one
 * error per parameter). Personal details (email, phone, names) are stored private, never shown;
 * the reporter's name is never made public through the API.
 */
export async function submit(ctx: Ctx, { body, secret }: Submission): Promise<Row[]> {
  const key = str(body.api_key).trim();
  if (!key) fail(403, ctx.t('requests.open311.errors.apiKeyMissing'));
  const found = key.length <= 200 ? await repo.findApiKey(rq(ctx.db), ctx.commune.id, sha256(key)) : undefined;
  if (!found) fail(403, ctx.t('requests.open311.errors.apiKeyInvalid'));
  if (found!.revoked_at) fail(403, ctx.t('requests.open311.errors.apiKeyRevoked'));

  const code = str(body.service_code).trim();
  if (!code) fail(400, `service_code: ${ctx.t('errors.required')}`);
  const category = await getCategory(ctx, { slug: code });
  if (!category || !category.active) fail(400, ctx.t('requests.open311.errors.serviceNotFound', { code }));

  const description = str(body.description);
  if (description.trim().length > MAX_DESCRIPTION) fail(400, `description: ${ctx.t('errors.tooLong', { max: MAX_DESCRIPTION })}`);
  const lat = str(body.lat).trim();
  const lng = str(body.long).trim();
  const address = str(body.address_string).trim() || str(body.address_id).trim();
  if (!(lat && lng) && !address) fail(400, ctx.t('requests.open311.errors.location'));

  const fields: ReportFields = {
    category: code, lat, lng, address, description,
    name: [str(body.first_name).trim(), str(body.last_name).trim()].filter(Boolean).join(' '),
    name_public: '',
    email: str(body.email), phone: str(body.phone),
    ...attributes(body, category!.questions),
  };
  const photos: Upload[] = [body.media, body.photo].flat().filter(isUpload);
  let submitted;
  try {
    submitted = await submitRequest(ctx, fields, { channel: 'api', photos });
  } catch (e) {
    if (e instanceof ValidationError) throw fieldsError(ctx, e.fields);
    if (e instanceof RuleError) throw fieldsError(ctx, { [e.field ?? '_form']: { key: e.messageKey, params: e.params } });
    throw e;
  }
  return [{
    service_request_id: submitted.reference,
    token: makeToken(secret, ctx.commune.id, submitted.reference),
    service_notice: ctx.t('requests.open311.notice', { reference: submitted.reference }),
    account_id: null,
  }];
}

function fieldsError(ctx: Ctx, fields: FieldErrors): Open311Error {
  return new Open311Error(400, Object.entries(fields).map(([field, e]) => ({
    code: 400,
    description: field === 'address' && e.key === 'requests.errors.location' ? ctx.t('requests.open311.errors.location')
      : field === '_form' ? ctx.t(e.key, e.params) : `${parameterOf(field)}: ${ctx.t(e.key, e.params)}`,
  })));
}

// ---------- Reading requests ----------

export interface Reading { origin: string }

function statusNotes(ctx: Ctx, r: repo.Open311Row, duplicates: Map<number, string>): string {
  const parts: string[] = [];
  if (r.status === 'rejected' && r.reject_reason === 'duplicate' && r.duplicate_of_id && duplicates.get(r.duplicate_of_id)) {
    parts.push(ctx.t('requests.open311.duplicateOf', { reference: duplicates.get(r.duplicate_of_id) }));
  }
  if (r.status === 'rejected' && r.reject_reason === 'not_competent' && r.referral) parts.push(r.referral);
  if (r.public_note) parts.push(r.public_note);
  return parts.join('\n\n');
}

async function present(ctx: Ctx, rows: repo.Open311Row[], reading: Reading): Promise<Row[]> {
  if (!rows.length) return [];
  const db = rq(ctx.db);
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
    const p = photo.get(r.id);
    return {
      service_request_id: r.reference,
      status: open ? 'open' : 'closed',
      status_notes: statusNotes(ctx, r, dup),
      service_name: c ? tr(c.name, ctx.locale) : '',
      service_code: c?.slug ?? '',
      description: r.description,
      agency_responsible: tr(institutions.get(r.institution_id)?.name, ctx.locale),
      service_notice: '',
      requested_datetime: w3c(r.created_at),
      updated_datetime: w3c(r.updated_at),
      expected_datetime: w3cEndOfDay(r.due_on),
      address: r.address,
      address_id: '',
      zipcode: '',
      lat: r.lat ?? '',
      long: r.lng ?? '',
      media_url: p ? `${reading.origin}/${ctx.locale}/requests/photos/${p}` : '',
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

/** GET requests: by ids, or filtered by service, status and dates; newest first, at most 1,000. */
export async function findRequests(ctx: Ctx, query: Record<string, unknown>, reading: Reading): Promise<Row[]> {
  const db = rq(ctx.db);
  const ids = str(query.service_request_id).split(',').map((s) => normalizeReference(s)).filter(Boolean);
  if (ids.length) {
    if (ids.length > MAX_IDS) fail(400, ctx.t('requests.open311.errors.tooManyIds', { max: MAX_IDS }));
    return present(ctx, await repo.findRequests(db, ctx.commune.id, { references: [...new Set(ids)] }, MAX_RESULTS), reading);
  }
  const statuses = [...new Set(str(query.status).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (statuses.some((s) => s !== 'open' && s !== 'closed')) fail(400, ctx.t('requests.open311.errors.status'));
  let start = dateParam(ctx, 'start_date', query.start_date);
  let end = dateParam(ctx, 'end_date', query.end_date);
  if (start !== undefined && end !== undefined && start > end) fail(400, ctx.t('requests.open311.errors.dateOrder'));
  // No dates: the last 90 days. An end alone: the 90 days before it.
  if (start === undefined) start = addDays(end === undefined ? ctx.clock.now() : new Date(end), -DEFAULT_DAYS).getTime();
  const codes = [...new Set(str(query.service_code).split(',').map((s) => s.trim()).filter(Boolean))];
  let categoryIds: number[] | undefined;
  if (codes.length) {
    const categories = await listCategories(ctx, false);
    categoryIds = categories.filter((c) => codes.includes(c.slug)).map((c) => c.id);
  }
  const rows = await repo.findRequests(db, ctx.commune.id, {
    categoryIds, status: statuses.length === 1 ? statuses[0] as 'open' | 'closed' : undefined,
    start: iso(new Date(start)), end: end === undefined ? undefined : iso(new Date(end)),
  }, MAX_RESULTS);
  return present(ctx, rows, reading);
}

export async function findRequest(ctx: Ctx, id: string, reading: Reading): Promise<Row[]> {
  const r = id.length <= 60 ? await repo.findRequest(rq(ctx.db), ctx.commune.id, normalizeReference(id)) : undefined;
  if (!r) fail(404, ctx.t('requests.open311.errors.requestNotFound', { id: id.slice(0, 60) }));
  return present(ctx, [r!], reading);
}
