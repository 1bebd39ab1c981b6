import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { unzipSync, strFromU8 } from 'fflate';
import { sniff, cleanFilename, type FileKind, type PreparedFile } from '../../../core/files/index.ts';
import { RuleError } from '../../../core/http/errors.ts';

/**
 * What a document's file may be, checked by its content (never its name or the browser's claim), and how its
 * text is read for the search. The zip-based office formats are opened: a DOCX has `word/document.xml`, an XLSX
 * `xl/workbook.xml`, an ODT or ODS its `mimetype` entry and a `content.xml`.
 */
export const DOCUMENT_FILE_KINDS: FileKind[] = ['pdf', 'docx', 'odt', 'xlsx', 'ods', 'csv', 'png', 'jpeg', 'webp'];
/** The extensions a name may carry for each kind (a name that says another type than the content is refused). */
const EXTENSIONS: Record<string, FileKind> = {
  pdf: 'pdf', docx: 'docx', odt: 'odt', xlsx: 'xlsx', ods: 'ods', csv: 'csv', png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp',
};
/** The default size limit, in megabytes (the setting `transparency.max_file_mb`; the multipart parser caps at 10). */
export const DEFAULT_MAX_FILE_MB = 10;

function zipEntries(data: Buffer, wanted: string[]): Record<string, Uint8Array> | null {
  try {
    return unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { filter: (f) => wanted.includes(f.name) });
  } catch { return null; }
}

const ZIP_MARKERS: Partial<Record<FileKind, { entries: string[]; mimetype?: string }>> = {
  docx: { entries: ['[Content_Types].xml', 'word/document.xml'] },
  xlsx: { entries: ['[Content_Types].xml', 'xl/workbook.xml'] },
  odt: { entries: ['mimetype', 'content.xml'], mimetype: 'application/vnd.oasis.opendocument.text' },
  ods: { entries: ['mimetype', 'content.xml'], mimetype: 'application/vnd.oasis.opendocument.spreadsheet' },
};

/** Whether bytes are UTF-8 text laid out as CSV: no NUL, lines with the same number of separators (`,` `;` or tab). */
export function looksLikeCsv(data: Buffer): boolean {
  if (data.includes(0)) return false;
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, 64 * 1024)); } catch { return false; }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  if (data.length > 64 * 1024 && lines.length > 1) lines.pop(); // the last line may be cut
  if (!lines.length) return false;
  return [',', ';', '\t'].some((sep) => {
    const n = lines[0].split(sep).length;
    return n > 1 && lines.every((l) => l.split(sep).length === n || l.includes('"'));
  });
}

/** The kind of a document's file from its content, or null when it is none of the accepted ones. */
export function documentKindOf(data: Buffer): FileKind | null {
  const k = sniff(data);
  if (k) {
    const m = ZIP_MARKERS[k];
    if (!m) return DOCUMENT_FILE_KINDS.includes(k) ? k : null;
    const entries = zipEntries(data, m.entries);
    if (!entries || !m.entries.every((e) => e in entries)) return null;
    if (m.mimetype && strFromU8(entries.mimetype).trim() !== m.mimetype) return null;
    return k;
  }
  return looksLikeCsv(data) ? 'csv' : null;
}

export interface FileInput {
  /** The content, or a path to read it from (the demo, the CLI). */
  bytes?: Buffer; path?: string;
  /** The original name (kept for the download). */
  name: string;
  /** The type the caller expects (`pdf`); the content must be of it. */
  type?: FileKind;
  truncated?: boolean;
}

/** Checks a file for a document: size, type by content, and a name that does not claim another type. */
export function checkDocumentFile(f: FileInput, maxBytes: number, field = 'file'): PreparedFile {
  const data = f.bytes ?? (f.path ? fs.readFileSync(f.path) : Buffer.alloc(0));
  if (f.truncated || data.length > maxBytes) throw new RuleError('errors.fileTooLarge', { max: Math.round(maxBytes / 1024 / 1024) }, field);
  if (data.length === 0) throw new RuleError('errors.fileEmpty', {}, field);
  const kind = documentKindOf(data);
  const allowed = 'PDF, DOCX, ODT, XLSX, ODS, CSV, PNG, JPEG, WEBP';
  if (!kind) throw new RuleError('transparency.errors.fileType', { allowed }, field);
  const name = cleanFilename(f.name);
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const claimed = EXTENSIONS[ext];
  if ((claimed && claimed !== kind) || (f.type && f.type !== kind)) {
    throw new RuleError('transparency.errors.fileMismatch', { name, actual: kind.toUpperCase() }, field);
  }
  return { data, kind, name: claimed ? name : `${name}.${kind === 'jpeg' ? 'jpg' : kind}` };
}

// ---------- Text extraction (run by the job, off the request path) ----------

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The text of an XML part: paragraphs and cells become line breaks, tags dropped, entities decoded. */
export function xmlText(xml: string): string {
  return xml
    .replace(/<\/(w:p|text:p|text:h|row|table:table-row)>|<(w:br|w:tab|text:tab|text:line-break)\b[^>]*\/>/g, '\n')
    .replace(/<\/(c|table:table-cell|si)>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') { const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10); return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ''; }
      return XML_ENTITIES[e] ?? m;
    })
    .replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
}

function pdfText(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-enc', 'UTF-8', '-q', file, '-'], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err); else resolve(stdout);
    });
  });
}

/** The text of a stored file: '' when it has none (a scanned PDF, an image). Throws when the tool fails. */
export async function extractText(file: string, kind: string): Promise<string> {
  switch (kind) {
    case 'pdf': return (await pdfText(file)).replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/\f/g, '\n').replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
    case 'csv': return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim();
    case 'docx': case 'xlsx': case 'odt': case 'ods': {
      const data = fs.readFileSync(file);
      const wanted = kind === 'docx' ? ['word/document.xml'] : kind === 'xlsx' ? ['xl/sharedStrings.xml'] : ['content.xml'];
      const entries = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
        filter: (f) => wanted.includes(f.name),
      });
      const parts = Object.keys(entries).sort().map((k) => xmlText(strFromU8(entries[k])));
      return parts.filter(Boolean).join('\n');
    }
    default: return '';
  }
}
