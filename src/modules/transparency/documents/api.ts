/**
 * The documents API for the other transparency modules (budget, information requests) and any module that
 * publishes a file as a public document. Stable: new options are added as optional fields, never changed.
 *
 * ```ts
 * import { storeDocument, publishedDocument, documentsLinkedTo } from '../documents/api.ts';
 * await mutate(ctx, { permission: 'budget.publish', action: 'budget.publish', entity: 'budget' }, async (trx) => {
 *   const documentId = await storeDocument(ctx, trx, {
 *     kind: 'budget', title: { fr: 'Budget 2026', ar: 'ميزانية 2026' }, summary: { fr: '…' }, year: 2026,
 *     institutionId: null, file: { bytes: pdf, name: 'budget-2026.pdf', type: 'pdf' }, language: 'fr', publish: true,
 *   });
 *   …
 * });
 * const doc = await publishedDocument(ctx, documentId); // { title, path, date, files… } or undefined
 * ```
 */
import type { Ctx } from '../../../core/service.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { Locale, Translated } from '../../../core/i18n/index.ts';
import type { FileKind } from '../../../core/files/index.ts';
import type { LinkTarget } from '../schema.ts';
import * as svc from './service.ts';

export interface StoreDocumentInput {
  /** A kind of the commune's list (`budget`, `administrative_account`, `audit_report`, `deliberation`, `minutes`, `agenda`, `user_guide`, `procedure`, `tender`, `study`, `report`). */
  kind: string;
  title: Translated;
  summary?: Translated;
  year?: number | null;
  /** Free text: `T1`, `2026-03`, `session de février`. */
  period?: string | null;
  /** The owning department (institutions.id), or null. */
  institutionId?: number | null;
  /** The file: its bytes or a path to read; checked by content (PDF, DOCX, ODT, XLSX, ODS, CSV, PNG, JPEG, WEBP); `type` when the caller knows it. */
  file: { bytes?: Buffer; path?: string; name: string; type?: FileKind };
  /** The language of the file. */
  language: Locale;
  /** Published at once (or at the end of `embargoUntil`); otherwise a draft staff publish later. */
  publish?: boolean;
  /** ISO date-time: not public, searchable, in feeds or exports before it. */
  embargoUntil?: string | null;
  /** Linked things: `{ type: 'commitment' | 'council_session' | 'deliberation' | 'register_item', id }`. */
  links?: { type: LinkTarget; id: number }[];
  sample?: boolean;
}

/**
 * Stores a document with its first file inside the caller's transaction `trx` (the caller has checked its own
 * permission; this appends the audit entry `document.create`, queues the text extraction and indexes the
 * document for the search). Returns the document's id. Throws a RuleError on the field `file` for a refused file.
 */
export function storeDocument(ctx: Ctx, trx: AnyDB, input: StoreDocumentInput): Promise<number> {
  return svc.storeDocumentIn(ctx, trx, input);
}

export interface PublicDocumentView {
  id: number; ref: string; kind: string; title: Translated; summary: Translated;
  /** The public page, after the locale: `/documents/DOC-2026-000012`. */
  path: string;
  /** ISO date-time of publication. */
  date: string;
  year: number | null;
  languages: string[];
  /** The current file of each language: download path (after the locale), original name, type, bytes. */
  files: { language: string; path: string; name: string; mime: string; size: number }[];
  sample: boolean;
}

/** The public view of a document, or undefined while it is a draft, embargoed or withdrawn (or unknown). */
export function publishedDocument(ctx: Ctx, id: number): Promise<PublicDocumentView | undefined> {
  return svc.publishedDocument(ctx, id);
}

/** The public documents linked to a thing (`commitment`, `council_session`, `deliberation`, `register_item`), newest first. */
export async function documentsLinkedTo(ctx: Ctx, entityType: string, entityId: number): Promise<{ id: number; ref: string; kind: string; title: Translated; path: string; date: string; sample: boolean }[]> {
  return (await svc.documentsLinkedTo(ctx, entityType, entityId)).map((d) => ({ id: d.id, ref: d.ref, kind: d.kind, title: d.title, path: d.path, date: d.publishedAt!, sample: d.sample }));
}
