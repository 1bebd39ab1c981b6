import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { AnyDB } from '../db/index.ts';
import { RuleError } from '../http/errors.ts';
import { iso } from '../clock/index.ts';

/** A file field of a multipart form, as the core multipart parser leaves it on the body. */
export interface Upload { filename: string; mimetype: string; data: Buffer; truncated: boolean }

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'webp' | 'gif' | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp' | 'csv';
export const DOCUMENT_KINDS: FileKind[] = ['pdf', 'png', 'jpeg', 'webp', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'];
export const IMAGE_KINDS: FileKind[] = ['png', 'jpeg', 'webp'];

const MIME: Record<FileKind, string> = {
  pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation', csv: 'text/csv',
};

export function mimeOf(kind: FileKind): string { return MIME[kind]; }

/** The type of a file from its content (never from its name or the browser's claim). */
export function sniff(data: Buffer): FileKind | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (data.subarray(0, 6).toString('latin1') === 'GIF87a' || data.subarray(0, 6).toString('latin1') === 'GIF89a') return 'gif';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // Office formats are zip archives: OpenDocument names its type in a first "mimetype" entry,
    // OOXML has a [Content_Types].xml and a word/, xl/ or ppt/ folder among the entry names.
    const head = data.subarray(0, Math.min(data.length, 64 * 1024)).toString('latin1');
    const odf = head.match(/mimetypeapplication\/vnd\.oasis\.opendocument\.(text|spreadsheet|presentation)/);
    if (odf) return odf[1] === 'text' ? 'odt' : odf[1] === 'spreadsheet' ? 'ods' : 'odp';
    const all = data.toString('latin1');
    if (all.includes('[Content_Types].xml')) {
      if (all.includes('word/')) return 'docx';
      if (all.includes('xl/')) return 'xlsx';
      if (all.includes('ppt/')) return 'pptx';
    }
    return null;
  }
  return null;
}

export function isUpload(v: unknown): v is Upload {
  return !!v && typeof v === 'object' && Buffer.isBuffer((v as Upload).data) && typeof (v as Upload).filename === 'string';
}

/** The files a field carries (zero, one or several), ignoring an empty file input. */
export function uploadsOf(body: unknown, field: string): Upload[] {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  return (Array.isArray(v) ? v : [v]).filter(isUpload).filter((u) => u.filename !== '' || u.data.length > 0);
}

export interface StoredFile { id: number; sha256: string; mime: string; size: number; originalName: string }

export interface CheckOptions { allowed: FileKind[]; maxBytes: number; field: string }

/** A checked file, ready to be written inside the mutation's transaction. */
export interface PreparedFile { data: Buffer; kind: FileKind; name: string }

/** The name a user gave, kept for display and download only: no path, no control characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').slice(0, 150) || 'file';
}

/** Checks size and type (by content); a refusal names the form field, so the form shows it there. */
export function checkFile(upload: Upload, opts: CheckOptions): PreparedFile {
  if (upload.truncated || upload.data.length > opts.maxBytes) throw new RuleError('errors.fileTooLarge', { max: Math.round(opts.maxBytes / 1024 / 1024) }, opts.field);
  if (upload.data.length === 0) throw new RuleError('errors.fileEmpty', {}, opts.field);
  const kind = sniff(upload.data);
  if (!kind || !opts.allowed.includes(kind)) throw new RuleError('errors.fileType', { allowed: opts.allowed.join(', ').toUpperCase() }, opts.field);
  return { data: upload.data, kind, name: cleanFilename(upload.filename) };
}

/**
 * Writes the bytes content-addressed under DATA_DIR (once: the same content is stored once), before the
 * transaction that records them (`recordFile`); returns their hash. A file whose transaction rolls back stays
 * on disk unreferenced, which is harmless: the same content written again finds it there.
 */
export function storeBytes(dataDir: string, communeId: number, f: PreparedFile): string {
  const sha256 = createHash('sha256').update(f.data).digest('hex');
  const file = storagePath(dataDir, communeId, sha256, f.kind);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, f.data, { flush: true });
    fs.renameSync(tmp, file);
  }
  return sha256;
}

/** Records stored bytes (`storeBytes`) as a file of the commune, inside the caller's transaction. */
export async function recordFile(trx: AnyDB, communeId: number, f: PreparedFile, sha256: string, userId: number | null, at: Date = new Date()): Promise<StoredFile> {
  const { id } = await trx.insertInto('files').values({
    commune_id: communeId, sha256, kind: f.kind, mime: MIME[f.kind], size: f.data.length, original_name: f.name, created_at: iso(at), created_by: userId,
  }).returning('id').executeTakeFirstOrThrow();
  return { id, sha256, mime: MIME[f.kind], size: f.data.length, originalName: f.name };
}

/** Writes the bytes content-addressed under DATA_DIR and records the file, inside the caller's transaction. */
export async function writeFile(trx: AnyDB, dataDir: string, communeId: number, f: PreparedFile, userId: number | null): Promise<StoredFile> {
  return recordFile(trx, communeId, f, storeBytes(dataDir, communeId, f), userId);
}

export function storagePath(dataDir: string, communeId: number, sha256: string, kind: string): string {
  return path.join(dataDir, 'files', String(communeId), sha256.slice(0, 2), `${sha256}.${kind}`);
}

export async function fileMeta(db: AnyDB, communeId: number, id: number) {
  return db.selectFrom('files').select(['id', 'sha256', 'kind', 'mime', 'size', 'original_name']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
}

/** Opens a stored file for streaming; the caller has already checked that the reader may see it. */
export function openStoredFile(dataDir: string, communeId: number, meta: { sha256: string; kind: string }): fs.ReadStream {
  return fs.createReadStream(storagePath(dataDir, communeId, meta.sha256, meta.kind));
}
