import { RuleError } from '../http/errors.ts';
import { sniff, cleanFilename, IMAGE_KINDS, type Upload, type PreparedFile } from './index.ts';

export const MAX_IMAGE_EDGE = 1600;

/**
 * sharp (libvips) is loaded on the first photo, not at start: it adds about 30 MB to the resident
 * memory of a process that may never receive one (measured for the export's memory target, issue 5).
 */
let sharpModule: Promise<typeof import('sharp')> | undefined;

/** Re-encodes a photo: upright, at most 1600 px, as JPEG, with every metadata block (EXIF GPS included) dropped. */
export async function normalizeImage(data: Buffer): Promise<Buffer> {
  const { default: sharp } = await (sharpModule ??= import('sharp'));
  return sharp(data, { failOn: 'error', limitInputPixels: 50_000_000 })
    .rotate()
    .resize({ width: MAX_IMAGE_EDGE, height: MAX_IMAGE_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}

/** Checks that an upload is a photo by its content and normalises it, before any transaction opens. */
export async function prepareImage(upload: Upload, opts: { maxBytes: number; field: string }): Promise<PreparedFile> {
  if (upload.truncated || upload.data.length > opts.maxBytes) throw new RuleError('errors.fileTooLarge', { max: Math.round(opts.maxBytes / 1024 / 1024) }, opts.field);
  const kind = sniff(upload.data);
  if (!kind || !IMAGE_KINDS.includes(kind)) throw new RuleError('errors.imageType', {}, opts.field);
  let data: Buffer;
  try { data = await normalizeImage(upload.data); } catch { throw new RuleError('errors.imageType', {}, opts.field); }
  return { data, kind: 'jpeg', name: cleanFilename(upload.filename).replace(/\.[a-z0-9]+$/i, '') + '.jpg' };
}
