import { sql } from 'kysely';
import type { TDB } from '../db.ts';

/** The only place with the documents' SQL. Public reads name their columns and check `publicNow`. */

export const docColumns = [
  'd.id', 'd.ref', 'd.kind', 'd.title', 'd.summary', 'd.year', 'd.period', 'd.institution_id', 'd.status', 'd.published_at',
  'd.embargo_until', 'd.withdrawn_at', 'd.withdrawn_reason', 'd.created_at', 'd.updated_at', 'd.sample',
] as const;
export type DocRow = {
  id: number; ref: string; kind: string; title: string; summary: string; year: number | null; period: string | null; institution_id: number | null;
  status: string; published_at: string | null; embargo_until: string | null; withdrawn_at: string | null; withdrawn_reason: string | null;
  created_at: string; updated_at: string; sample: number;
};

/** Listed in public: published (its embargo over) or withdrawn after having been public. */
export function listedWhere(now: string) {
  return sql<boolean>`(d.status in ('published', 'withdrawn') and d.published_at is not null and d.published_at <= ${now})`;
}

export interface DocFilter { kind?: string; year?: number; institutionId?: number; language?: string }

function filtered(db: TDB, communeId: number, now: string, f: DocFilter) {
  let q = db.selectFrom('documents as d').where('d.commune_id', '=', communeId).where(listedWhere(now));
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  if (f.year) q = q.where('d.year', '=', f.year);
  if (f.institutionId) q = q.where('d.institution_id', '=', f.institutionId);
  if (f.language) {
    const lang = f.language;
    q = q.where((eb) => eb.exists(eb.selectFrom('document_files as f').select('f.id')
      .whereRef('f.commune_id', '=', 'd.commune_id').whereRef('f.document_id', '=', 'd.id').where('f.language', '=', lang).where('f.superseded_at', 'is', null)));
  }
  return q;
}

export async function listPublic(db: TDB, communeId: number, now: string, f: DocFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, communeId, now, f).select([...docColumns]).orderBy('d.published_at', 'desc').orderBy('d.id', 'desc').limit(limit).offset(offset).execute(),
    filtered(db, communeId, now, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as DocRow[], total: Number(count.n) };
}

/** The years and kinds present in the public list (the filter's options). */
export async function publicFacets(db: TDB, communeId: number, now: string) {
  const base = () => db.selectFrom('documents as d').where('d.commune_id', '=', communeId).where(listedWhere(now));
  const [years, kinds] = await Promise.all([
    base().select('d.year').where('d.year', 'is not', null).groupBy('d.year').orderBy('d.year', 'desc').execute(),
    base().select('d.kind').groupBy('d.kind').execute(),
  ]);
  return { years: years.map((y) => Number(y.year)), kinds: kinds.map((k) => k.kind) };
}

export function findByRef(db: TDB, communeId: number, ref: string) {
  return db.selectFrom('documents as d').select([...docColumns]).where('d.commune_id', '=', communeId).where('d.ref', '=', ref).executeTakeFirst() as Promise<DocRow | undefined>;
}
export function findById(db: TDB, communeId: number, id: number) {
  return db.selectFrom('documents as d').select([...docColumns]).where('d.commune_id', '=', communeId).where('d.id', '=', id).executeTakeFirst() as Promise<DocRow | undefined>;
}

const fileColumns = ['f.id', 'f.document_id', 'f.file_id', 'f.language', 'f.version', 'f.superseded_at', 'f.note', 'f.created_at', 'f.text_status',
  'x.kind', 'x.mime', 'x.size', 'x.original_name', 'x.sha256'] as const;
export type DocFileRow = {
  id: number; document_id: number; file_id: number; language: string; version: number; superseded_at: string | null; note: string | null;
  created_at: string; text_status: string; kind: string; mime: string; size: number; original_name: string; sha256: string;
};

/** The files of some documents (current and superseded), in one query. */
export async function filesOf(db: TDB, communeId: number, documentIds: number[]): Promise<DocFileRow[]> {
  if (!documentIds.length) return [];
  return db.selectFrom('document_files as f')
    .innerJoin('files as x', (j) => j.onRef('x.commune_id', '=', 'f.commune_id').onRef('x.id', '=', 'f.file_id'))
    .select([...fileColumns]).where('f.commune_id', '=', communeId).where('f.document_id', 'in', documentIds)
    .orderBy('f.document_id').orderBy('f.language').orderBy('f.version', 'desc').execute() as Promise<DocFileRow[]>;
}

export function findFile(db: TDB, communeId: number, documentId: number, id: number) {
  return db.selectFrom('document_files as f')
    .innerJoin('files as x', (j) => j.onRef('x.commune_id', '=', 'f.commune_id').onRef('x.id', '=', 'f.file_id'))
    .select([...fileColumns]).where('f.commune_id', '=', communeId).where('f.document_id', '=', documentId).where('f.id', '=', id)
    .executeTakeFirst() as Promise<DocFileRow | undefined>;
}

/** The extracted texts of a document's current files, by language (the search index). */
export function currentTexts(db: TDB, communeId: number, documentId: number) {
  return db.selectFrom('document_files').select(['language', 'text']).where('commune_id', '=', communeId).where('document_id', '=', documentId)
    .where('superseded_at', 'is', null).where('text_status', '=', 'done').orderBy('id').execute();
}

export function linksFrom(db: TDB, communeId: number, sourceType: string, sourceIds: number[]) {
  if (!sourceIds.length) return Promise.resolve([]);
  return db.selectFrom('transparency_links').select(['source_id', 'target_type', 'target_id']).where('commune_id', '=', communeId)
    .where('source_type', '=', sourceType).where('source_id', 'in', sourceIds).orderBy('id').execute();
}

/** Public documents linked to a thing, newest first. */
export function publicLinkedTo(db: TDB, communeId: number, now: string, targetType: string, targetId: number) {
  return db.selectFrom('transparency_links as l')
    .innerJoin('documents as d', (j) => j.onRef('d.commune_id', '=', 'l.commune_id').onRef('d.id', '=', 'l.source_id'))
    .select([...docColumns]).where('l.commune_id', '=', communeId).where('l.source_type', '=', 'document')
    .where('l.target_type', '=', targetType).where('l.target_id', '=', targetId).where('d.status', '=', 'published')
    .where('d.published_at', '<=', now).orderBy('d.published_at', 'desc').orderBy('d.id', 'desc').limit(100).execute() as Promise<DocRow[]>;
}

export interface AdminFilter { institutionIds: number[] | null; status?: string }
export async function listAdmin(db: TDB, communeId: number, f: AdminFilter, limit: number, offset: number) {
  const base = () => {
    let q = db.selectFrom('documents as d').where('d.commune_id', '=', communeId);
    if (f.institutionIds) q = q.where('d.institution_id', 'in', f.institutionIds.length ? f.institutionIds : [-1]);
    if (f.status) q = q.where('d.status', '=', f.status);
    return q;
  };
  const [rows, count] = await Promise.all([
    base().select([...docColumns]).orderBy('d.updated_at', 'desc').orderBy('d.id', 'desc').limit(limit).offset(offset).execute(),
    base().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as DocRow[], total: Number(count.n) };
}

/** Documents with their current texts, for the search index; by id, in id order. */
export async function searchDocuments(db: TDB, communeId: number, f: { afterId?: number; ids?: number[]; limit: number }) {
  let q = db.selectFrom('documents as d').select([...docColumns]).where('d.commune_id', '=', communeId);
  if (f.afterId !== undefined) q = q.where('d.id', '>', f.afterId);
  if (f.ids) q = q.where('d.id', 'in', f.ids.length ? f.ids : [-1]);
  const docs = (await q.orderBy('d.id').limit(f.limit).execute()) as DocRow[];
  const texts = docs.length
    ? await db.selectFrom('document_files').select(['document_id', 'language', 'text']).where('commune_id', '=', communeId)
      .where('document_id', 'in', docs.map((d) => d.id)).where('superseded_at', 'is', null).where('text_status', '=', 'done').orderBy('id').execute()
    : [];
  return docs.map((d) => ({ ...d, texts: texts.filter((t) => t.document_id === d.id) }));
}

export function kinds(db: TDB, communeId: number) {
  return db.selectFrom('document_kinds').select(['id', 'slug', 'name', 'sort']).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}
