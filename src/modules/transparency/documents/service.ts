import { mutate, authorize, type Ctx } from '../../../core/service.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import { appendAudit } from '../../../core/audit/index.ts';
import { iso } from '../../../core/clock/index.ts';
import { can, SCOPED_ROLES, type Actor } from '../../../core/auth/roles.ts';
import { NotFoundError, RuleError, AppError } from '../../../core/http/errors.ts';
import { stageFile, recordFile, type StagedFile } from '../../../core/files/index.ts';
import { enqueueJob } from '../../../core/jobs/index.ts';
import { LOCALES, parseTranslated, type Locale, type Translated } from '../../../core/i18n/index.ts';
import { tdb } from '../db.ts';
import { DEFAULT_DOCUMENT_KINDS, LINK_TARGETS, type LinkTarget } from '../schema.ts';
import { checkDocumentFile, DEFAULT_MAX_FILE_MB, type FileInput } from './files.ts';
import * as repo from './repo.ts';
import { indexDocument } from './search.ts';

/** Upload, edit, publish, supersede, withdraw: administrators, the OGP team, department staff for their own department. */
export const PUBLISH = 'transparency.publish';
export const EXTRACT_JOB = 'transparency.extract';
export const EMBARGO_JOB = 'transparency.embargo';
export const PAGE_SIZE = 20;

export interface DocumentFile {
  id: number; language: string; version: number; superseded: boolean; supersededAt: string | null; note: string | null; createdAt: string;
  textStatus: string; kind: string; mime: string; size: number; name: string; path: string;
}
export interface Document {
  id: number; ref: string; kind: string; title: Translated; summary: Translated; year: number | null; period: string | null;
  institutionId: number | null; status: 'draft' | 'published' | 'withdrawn'; publishedAt: string | null; embargoUntil: string | null;
  withdrawnAt: string | null; withdrawnReason: string | null; createdAt: string; updatedAt: string; sample: boolean;
  /** Public now (published, its embargo over; not withdrawn). */
  isPublic: boolean; path: string;
}

export const docPath = (ref: string) => `/documents/${encodeURIComponent(ref)}`;
export const filePath = (ref: string, id: number) => `${docPath(ref)}/files/${id}`;
const nowIso = (ctx: Ctx) => iso(ctx.clock.now());

export function toDocument(r: repo.DocRow, now: string): Document {
  return {
    id: r.id, ref: r.ref, kind: r.kind, title: parseTranslated(r.title), summary: parseTranslated(r.summary), year: r.year === null ? null : Number(r.year),
    period: r.period, institutionId: r.institution_id, status: r.status as Document['status'], publishedAt: r.published_at, embargoUntil: r.embargo_until,
    withdrawnAt: r.withdrawn_at, withdrawnReason: r.withdrawn_reason, createdAt: r.created_at, updatedAt: r.updated_at, sample: !!r.sample,
    isPublic: r.status === 'published' && !!r.published_at && r.published_at <= now, path: docPath(r.ref),
  };
}

export function toFile(ref: string, f: repo.DocFileRow): DocumentFile {
  return {
    id: f.id, language: f.language, version: f.version, superseded: !!f.superseded_at, supersededAt: f.superseded_at, note: f.note, createdAt: f.created_at,
    textStatus: f.text_status, kind: f.kind, mime: f.mime, size: Number(f.size), name: f.original_name, path: filePath(ref, f.id),
  };
}

// ---------- Settings and reference data ----------

/** The size limit of a document's file (the setting `transparency.max_file_mb`, at most the upload parser's 10 MB). */
export async function maxFileBytes(ctx: Ctx, db: AnyDB = ctx.db): Promise<number> {
  const row = await (db as Ctx['db']).selectFrom('settings').select('value').where('key', '=', 'transparency.max_file_mb').executeTakeFirst();
  const mb = row ? Number(row.value) : DEFAULT_MAX_FILE_MB;
  return Math.round((Number.isFinite(mb) && mb > 0 ? Math.min(mb, DEFAULT_MAX_FILE_MB) : DEFAULT_MAX_FILE_MB) * 1024 * 1024);
}

export interface DocumentKind { id: number; slug: string; name: Translated; sort: number }

/** The commune's kinds of document; the default list is written the first time it is asked for. */
export async function documentKinds(ctx: Ctx, trx: AnyDB = ctx.db): Promise<DocumentKind[]> {
  let rows = await repo.kinds(tdb(trx), ctx.commune.id);
  if (!rows.length) {
    await tdb(trx).insertInto('document_kinds').values(DEFAULT_DOCUMENT_KINDS.map((slug, i) => ({
      commune_id: ctx.commune.id, slug, sort: i * 10,
      name: JSON.stringify(Object.fromEntries(LOCALES.map((l) => [l, ctx.tFor(l)(`transparency.kind.${slug}`)]))),
    }))).onConflict((oc) => oc.doNothing()).execute();
    rows = await repo.kinds(tdb(trx), ctx.commune.id);
  }
  return rows.map((r) => ({ ...r, name: parseTranslated(r.name) }));
}

/** An institution of the commune, or a refusal on the field (never a foreign-key error). */
export async function checkInstitution(ctx: Ctx, db: AnyDB, id: number | null | undefined, field = 'institution_id'): Promise<void> {
  if (id === null || id === undefined) return;
  const row = await (db as Ctx['db']).selectFrom('institutions').select('id').where('commune_id', '=', ctx.commune.id).where('id', '=', id).executeTakeFirst();
  if (!row) throw new RuleError('errors.choice', {}, field);
}

// ---------- Scope ----------

/** The institutions whose documents the actor handles: null for all (administrators, OGP team), else those of its scoped grants. */
export function scopeOf(actor: Actor | null, permission = PUBLISH): number[] | null {
  if (!actor || !can(actor, permission)) return [];
  const unscoped = actor.grants.some((g) => !SCOPED_ROLES[g.role] && can({ ...actor, grants: [g] }, permission));
  if (unscoped) return null;
  return actor.grants.filter((g) => SCOPED_ROLES[g.role] && g.institutionId !== null && can({ ...actor, grants: [g] }, permission)).map((g) => g.institutionId!);
}

// ---------- Storing (the API other modules use: ./api.ts) ----------

export interface StoreInput {
  kind: string; title: Translated; summary?: Translated; year?: number | null; period?: string | null; institutionId?: number | null;
  file: FileInput; language: Locale; publish?: boolean; embargoUntil?: string | null;
  links?: { type: LinkTarget; id: number }[]; sample?: boolean;
}

/**
 * Stores a document with its first file, in the caller's transaction (the caller has authorized the change);
 * appends its own audit entry `document.create`, queues the text extraction and indexes it. Returns its id.
 */
export async function storeDocumentIn(ctx: Ctx, trx: AnyDB, input: StoreInput, staged?: StagedFile): Promise<number> {
  // Inside the caller's transaction: every read goes through `trx` (on SQLite another connection would wait for it).
  // A caller that has the file before its transaction stages it first (`createDocument`); others stage it here.
  const file = staged ?? await stageFile(ctx.config.dataDir, ctx.commune.id, checkDocumentFile(input.file, await maxFileBytes(ctx, trx)));
  const db = tdb(trx);
  await checkInstitution(ctx, trx, input.institutionId);
  const kinds = await documentKinds(ctx, trx);
  if (!kinds.some((k) => k.slug === input.kind)) throw new RuleError('transparency.errors.kind', {}, 'kind');
  if (!LOCALES.includes(input.language)) throw new RuleError('transparency.errors.language', {}, 'language');
  const now = ctx.clock.now();
  const at = iso(now);
  const embargo = input.embargoUntil && input.embargoUntil > at ? input.embargoUntil : null;
  const { id } = await db.insertInto('documents').values({
    commune_id: ctx.commune.id, ref: `tmp-${at}-${Math.random()}`, kind: input.kind, title: JSON.stringify(input.title), summary: JSON.stringify(input.summary ?? {}),
    year: input.year ?? null, period: input.period ?? null, institution_id: input.institutionId ?? null,
    status: input.publish ? 'published' : 'draft', published_at: input.publish ? (embargo ?? at) : null, embargo_until: embargo,
    withdrawn_at: null, withdrawn_reason: null, created_at: at, created_by: ctx.actor?.userId || null, updated_at: at, sample: input.sample ? 1 : 0,
  }).returning('id').executeTakeFirstOrThrow();
  const ref = `DOC-${now.getUTCFullYear()}-${String(id).padStart(6, '0')}`;
  await db.updateTable('documents').set({ ref }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
  await addFileRow(ctx, trx, id, file, input.language, 1, null);
  for (const l of input.links ?? []) await linkIn(ctx, trx, id, l.type, l.id);
  if (embargo) await enqueueJob(trx, { communeId: ctx.commune.id, kind: EMBARGO_JOB, key: `doc:${id}`, payload: { id }, at: now, runAt: new Date(embargo) });
  await indexDocument(trx, ctx.commune.id, id, at);
  await appendAudit(trx, {
    communeId: ctx.commune.id, actorId: ctx.actor?.userId || null, action: 'document.create', entity: 'document', entityId: ref,
    after: { ...input, file: { name: file.name, kind: file.kind, size: file.size, sha256: file.sha256 } },
  });
  return id;
}

async function addFileRow(ctx: Ctx, trx: AnyDB, documentId: number, file: StagedFile, language: string, version: number, note: string | null) {
  const stored = await recordFile(trx, ctx.commune.id, file, ctx.actor?.userId || null, ctx.clock.now());
  const { id } = await tdb(trx).insertInto('document_files').values({
    commune_id: ctx.commune.id, document_id: documentId, file_id: stored.id, language, version, superseded_at: null, note,
    created_at: nowIso(ctx), text_status: 'pending', text: null,
  }).returning('id').executeTakeFirstOrThrow();
  await enqueueJob(trx, { communeId: ctx.commune.id, kind: EXTRACT_JOB, key: `file:${id}`, payload: { id }, at: ctx.clock.now() });
  return id;
}

async function linkIn(ctx: Ctx, trx: AnyDB, documentId: number, type: string, targetId: number) {
  if (!(LINK_TARGETS as readonly string[]).includes(type) || !Number.isSafeInteger(targetId) || targetId <= 0) throw new RuleError('transparency.errors.link', {}, 'link');
  await tdb(trx).insertInto('transparency_links').values({ commune_id: ctx.commune.id, source_type: 'document', source_id: documentId, target_type: type, target_id: targetId })
    .onConflict((oc) => oc.doNothing()).execute();
}

// ---------- Public reads ----------

export interface PublicDocument {
  id: number; ref: string; kind: string; title: Translated; summary: Translated; path: string; date: string; year: number | null;
  languages: string[]; files: { language: string; path: string; name: string; mime: string; size: number }[]; sample: boolean;
}

/** A public document (published, its embargo over, not withdrawn), or undefined. */
export async function publishedDocument(ctx: Ctx, id: number): Promise<PublicDocument | undefined> {
  const row = await repo.findById(tdb(ctx.db), ctx.commune.id, id);
  const now = nowIso(ctx);
  if (!row) return undefined;
  const d = toDocument(row, now);
  if (!d.isPublic) return undefined;
  const files = (await repo.filesOf(tdb(ctx.db), ctx.commune.id, [id])).filter((f) => !f.superseded_at).map((f) => toFile(d.ref, f));
  return {
    id, ref: d.ref, kind: d.kind, title: d.title, summary: d.summary, path: d.path, date: d.publishedAt!, year: d.year, sample: d.sample,
    languages: [...new Set(files.map((f) => f.language))], files: files.map((f) => ({ language: f.language, path: f.path, name: f.name, mime: f.mime, size: f.size })),
  };
}

/** The public documents linked to a thing (a commitment, a session, a deliberation, a register item), newest first. */
export async function documentsLinkedTo(ctx: Ctx, entityType: string, entityId: number): Promise<Document[]> {
  const now = nowIso(ctx);
  return (await repo.publicLinkedTo(tdb(ctx.db), ctx.commune.id, now, entityType, entityId)).map((r) => toDocument(r, now));
}

export interface ListQuery { kind?: string; year?: number; institutionId?: number; language?: string; page: number }

export async function listPublicDocuments(ctx: Ctx, q: ListQuery) {
  const now = nowIso(ctx);
  const page = Math.max(1, Math.min(10_000, Math.floor(q.page || 1)));
  const { rows, total } = await repo.listPublic(tdb(ctx.db), ctx.commune.id, now, q, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const files = await repo.filesOf(tdb(ctx.db), ctx.commune.id, rows.map((r) => r.id));
  const docs = rows.map((r) => toDocument(r, now));
  return {
    page, total, pageSize: PAGE_SIZE,
    items: docs.map((d) => ({ doc: d, languages: [...new Set(files.filter((f) => f.document_id === d.id && !f.superseded_at).map((f) => f.language))] })),
  };
}

export async function documentFacets(ctx: Ctx) {
  return repo.publicFacets(tdb(ctx.db), ctx.commune.id, nowIso(ctx));
}

export interface LinkView { type: string; id: number }
export interface DocumentDetail { doc: Document; files: DocumentFile[]; links: LinkView[] }

/** A document's public page: 404 while a draft or embargoed; a withdrawn one shows its reason and no file. */
export async function getPublicDocument(ctx: Ctx, ref: string): Promise<DocumentDetail> {
  const now = nowIso(ctx);
  const row = await repo.findByRef(tdb(ctx.db), ctx.commune.id, ref);
  if (!row || !row.published_at || row.published_at > now || row.status === 'draft') throw new NotFoundError();
  const doc = toDocument(row, now);
  const [files, links] = await Promise.all([repo.filesOf(tdb(ctx.db), ctx.commune.id, [row.id]), repo.linksFrom(tdb(ctx.db), ctx.commune.id, 'document', [row.id])]);
  return { doc, files: doc.status === 'withdrawn' ? [] : files.map((f) => toFile(doc.ref, f)), links: links.map((l) => ({ type: l.target_type, id: l.target_id })) };
}

/** A file to download: only of a public document (a withdrawn document's files: 410 Gone). */
export async function publicFile(ctx: Ctx, ref: string, fileId: number) {
  const now = nowIso(ctx);
  const row = await repo.findByRef(tdb(ctx.db), ctx.commune.id, ref);
  if (!row || !row.published_at || row.published_at > now || row.status === 'draft') throw new NotFoundError();
  if (row.status === 'withdrawn') throw new AppError(410, 'withdrawn', 'transparency.errors.withdrawnFile');
  const f = await repo.findFile(tdb(ctx.db), ctx.commune.id, row.id, fileId);
  if (!f) throw new NotFoundError();
  return f;
}

/** The newest public documents (the Atom feed). */
export async function recentDocuments(ctx: Ctx, limit = 50): Promise<Document[]> {
  const now = nowIso(ctx);
  const { rows } = await repo.listPublic(tdb(ctx.db), ctx.commune.id, now, {}, limit, 0);
  return rows.map((r) => toDocument(r, now)).filter((d) => d.status === 'published');
}

// ---------- Staff ----------

function authorizeDoc(ctx: Ctx, institutionId: number | null) {
  authorize(ctx, PUBLISH, { institutionId });
}

export async function listAdminDocuments(ctx: Ctx, page: number, status?: string) {
  authorize(ctx, PUBLISH);
  const now = nowIso(ctx);
  const p = Math.max(1, Math.min(10_000, Math.floor(page || 1)));
  const { rows, total } = await repo.listAdmin(tdb(ctx.db), ctx.commune.id, { institutionIds: scopeOf(ctx.actor), status }, PAGE_SIZE, (p - 1) * PAGE_SIZE);
  return { page: p, total, pageSize: PAGE_SIZE, items: rows.map((r) => toDocument(r, now)) };
}

export async function getAdminDocument(ctx: Ctx, id: number): Promise<DocumentDetail> {
  authorize(ctx, PUBLISH);
  const row = await repo.findById(tdb(ctx.db), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  authorizeDoc(ctx, row.institution_id);
  const doc = toDocument(row, nowIso(ctx));
  const [files, links] = await Promise.all([repo.filesOf(tdb(ctx.db), ctx.commune.id, [id]), repo.linksFrom(tdb(ctx.db), ctx.commune.id, 'document', [id])]);
  return { doc, files: files.map((f) => toFile(doc.ref, f)), links: links.map((l) => ({ type: l.target_type, id: l.target_id })) };
}

/** Uploads a new document (a draft unless `publish`): the file is checked and written before the transaction. */
export async function createDocument(ctx: Ctx, input: StoreInput): Promise<number> {
  authorizeDoc(ctx, input.institutionId ?? null);
  const staged = await stageFile(ctx.config.dataDir, ctx.commune.id, checkDocumentFile(input.file, await maxFileBytes(ctx)));
  let id = 0;
  await mutate(ctx, { permission: PUBLISH, scope: { institutionId: input.institutionId ?? null }, action: 'document.upload', entity: 'document' }, async (trx) => {
    id = await storeDocumentIn(ctx, trx, input, staged);
    return { result: id, entityId: id };
  });
  return id;
}

export interface DocumentUpdate { kind: string; title: Translated; summary: Translated; year: number | null; period: string | null; institutionId: number | null; embargoUntil: string | null }

async function loadForChange(ctx: Ctx, trx: AnyDB, id: number) {
  const row = await repo.findById(tdb(trx), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  authorizeDoc(ctx, row.institution_id);
  return row;
}

export async function updateDocument(ctx: Ctx, id: number, u: DocumentUpdate): Promise<void> {
  await mutate(ctx, { permission: PUBLISH, action: 'document.update', entity: 'document' }, async (trx) => {
    const before = await loadForChange(ctx, trx, id);
    authorizeDoc(ctx, u.institutionId);
    await checkInstitution(ctx, trx, u.institutionId);
    if (!(await documentKinds(ctx, trx)).some((k) => k.slug === u.kind)) throw new RuleError('transparency.errors.kind', {}, 'kind');
    const now = nowIso(ctx);
    const embargo = u.embargoUntil && u.embargoUntil > now ? u.embargoUntil : null;
    // An embargo changes only a document not yet public: once out, it stays out.
    const wasPublic = before.status !== 'draft' && !!before.published_at && before.published_at <= now;
    const set: Record<string, unknown> = {
      kind: u.kind, title: JSON.stringify(u.title), summary: JSON.stringify(u.summary), year: u.year, period: u.period, institution_id: u.institutionId, updated_at: now,
    };
    if (!wasPublic) {
      if (embargo && !wasPublic && u.embargoUntil !== before.embargo_until) set.embargo_until = embargo;
      if (!embargo) set.embargo_until = null;
      if (before.status === 'published') set.published_at = embargo ?? now;
      if (embargo && before.status === 'published') await enqueueJob(trx, { communeId: ctx.commune.id, kind: EMBARGO_JOB, key: `doc:${id}`, payload: { id }, at: ctx.clock.now(), runAt: new Date(embargo) });
    }
    await tdb(trx).updateTable('documents').set(set).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexDocument(trx, ctx.commune.id, id, now);
    return { result: undefined, entityId: before.ref, before, after: u };
  });
}

/** Publishes a draft: public now, or at the end of its embargo. */
export async function publishDocument(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: PUBLISH, action: 'document.publish', entity: 'document' }, async (trx) => {
    const before = await loadForChange(ctx, trx, id);
    if (before.status !== 'draft') throw new RuleError('transparency.errors.notDraft');
    const now = nowIso(ctx);
    const embargo = before.embargo_until && before.embargo_until > now ? before.embargo_until : null;
    await tdb(trx).updateTable('documents').set({ status: 'published', published_at: embargo ?? now, embargo_until: embargo, updated_at: now })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    if (embargo) await enqueueJob(trx, { communeId: ctx.commune.id, kind: EMBARGO_JOB, key: `doc:${id}`, payload: { id }, at: ctx.clock.now(), runAt: new Date(embargo) });
    await indexDocument(trx, ctx.commune.id, id, now);
    return { result: undefined, entityId: before.ref, before: { status: before.status }, after: { status: 'published', published_at: embargo ?? now } };
  });
}

/**
 * Adds a file: a new language version, or a corrected version of a language, which supersedes the current file of
 * that language (the old one stays listed as superseded).
 */
export async function addDocumentFile(ctx: Ctx, id: number, input: { file: FileInput; language: Locale; note?: string | null }): Promise<number> {
  if (!LOCALES.includes(input.language)) throw new RuleError('transparency.errors.language', {}, 'language');
  const staged = await stageFile(ctx.config.dataDir, ctx.commune.id, checkDocumentFile(input.file, await maxFileBytes(ctx)));
  return mutate(ctx, { permission: PUBLISH, action: 'document.file', entity: 'document' }, async (trx) => {
    const before = await loadForChange(ctx, trx, id);
    if (before.status === 'withdrawn') throw new RuleError('transparency.errors.withdrawn');
    const db = tdb(trx);
    const current = await db.selectFrom('document_files').select(['id', 'version']).where('commune_id', '=', ctx.commune.id).where('document_id', '=', id)
      .where('language', '=', input.language).orderBy('version', 'desc').limit(1).executeTakeFirst();
    const now = nowIso(ctx);
    if (current) {
      await db.updateTable('document_files').set({ superseded_at: now }).where('commune_id', '=', ctx.commune.id).where('document_id', '=', id)
        .where('language', '=', input.language).where('superseded_at', 'is', null).execute();
    }
    const version = (current?.version ?? 0) + 1;
    const fileRowId = await addFileRow(ctx, trx, id, staged, input.language, version, input.note?.trim() || null);
    await db.updateTable('documents').set({ updated_at: now }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexDocument(trx, ctx.commune.id, id, now);
    return {
      result: fileRowId, entityId: before.ref,
      after: { language: input.language, version, supersedes: current?.id ?? null, file: { name: staged.name, kind: staged.kind, size: staged.size, sha256: staged.sha256 } },
    };
  });
}

/** Withdraws a document: it stays listed with the reason; its files are no longer served, and it leaves the search. */
export async function withdrawDocument(ctx: Ctx, id: number, reason: string): Promise<void> {
  const why = reason.trim();
  if (why.length < 3 || why.length > 1000) throw new RuleError('transparency.errors.reason', {}, 'reason');
  await mutate(ctx, { permission: PUBLISH, action: 'document.withdraw', entity: 'document' }, async (trx) => {
    const before = await loadForChange(ctx, trx, id);
    if (before.status === 'withdrawn') throw new RuleError('transparency.errors.withdrawn');
    const now = nowIso(ctx);
    // A draft or an embargoed document withdrawn never becomes public: it stays out of the list.
    const wasPublic = before.status === 'published' && !!before.published_at && before.published_at <= now;
    await tdb(trx).updateTable('documents').set({ status: 'withdrawn', withdrawn_at: now, withdrawn_reason: why, updated_at: now, published_at: wasPublic ? before.published_at : null })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexDocument(trx, ctx.commune.id, id, now);
    return { result: undefined, entityId: before.ref, before: { status: before.status }, after: { status: 'withdrawn', reason: why } };
  });
}

export async function linkDocument(ctx: Ctx, id: number, type: string, targetId: number, remove = false): Promise<void> {
  await mutate(ctx, { permission: PUBLISH, action: remove ? 'document.unlink' : 'document.link', entity: 'document' }, async (trx) => {
    const before = await loadForChange(ctx, trx, id);
    if (remove) {
      await tdb(trx).deleteFrom('transparency_links').where('commune_id', '=', ctx.commune.id).where('source_type', '=', 'document').where('source_id', '=', id)
        .where('target_type', '=', type).where('target_id', '=', targetId).execute();
    } else await linkIn(ctx, trx, id, type, targetId);
    return { result: undefined, entityId: before.ref, after: { type, id: targetId } };
  });
}

// ---------- Jobs ----------

/** The job that reads a file's text (pdftotext, or the XML of an office file); no text: marked `none`, still published. */
export async function runExtraction(ctx: Ctx, payload: Record<string, unknown>, extract: (file: string, kind: string) => Promise<string>, pathOf: (sha: string, kind: string) => string): Promise<void> {
  const id = Number(payload.id);
  const db = tdb(ctx.db);
  const row = await db.selectFrom('document_files as f').innerJoin('files as x', (j) => j.onRef('x.commune_id', '=', 'f.commune_id').onRef('x.id', '=', 'f.file_id'))
    .select(['f.id', 'f.document_id', 'x.sha256', 'x.kind']).where('f.commune_id', '=', ctx.commune.id).where('f.id', '=', id).executeTakeFirst();
  if (!row) return;
  const text = (await extract(pathOf(row.sha256, row.kind), row.kind)).trim();
  await mutate(ctx, { permission: null, action: 'document.text', entity: 'document' }, async (trx) => {
    await tdb(trx).updateTable('document_files').set({ text: text || null, text_status: text ? 'done' : 'none' })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    await indexDocument(trx, ctx.commune.id, row.document_id, nowIso(ctx));
    return { result: undefined, entityId: row.document_id, after: { file: id, chars: text.length } };
  });
}

/** At the end of an embargo: the document enters the search (the list, feeds and exports read the date themselves). */
export async function liftEmbargo(ctx: Ctx, payload: Record<string, unknown>): Promise<void> {
  const id = Number(payload.id);
  const row = await repo.findById(tdb(ctx.db), ctx.commune.id, id);
  if (!row) return;
  const now = nowIso(ctx);
  if (row.published_at && row.published_at > now) {
    // The embargo was moved later after this job was queued: wait for the new date.
    await ctx.db.transaction().execute((trx) => enqueueJob(trx, { communeId: ctx.commune.id, kind: EMBARGO_JOB, key: `doc:${id}`, payload: { id }, at: ctx.clock.now(), runAt: new Date(row.published_at!) }));
    return;
  }
  await mutate(ctx, { permission: null, action: 'document.embargo_over', entity: 'document' }, async (trx) => {
    await indexDocument(trx, ctx.commune.id, id, now);
    return { result: undefined, entityId: row.ref };
  });
}

export function userLanguages(): readonly Locale[] { return LOCALES; }
