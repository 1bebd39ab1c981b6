import { z } from 'zod';
import { parseInput, text, optionalText, optionalInt, optionalDate, oneOf, translatedFields, collectTranslated } from '../../../core/http/forms.ts';
import { LOCALES, type Locale } from '../../../core/i18n/index.ts';
import { uploadsOf } from '../../../core/files/index.ts';
import { RuleError } from '../../../core/http/errors.ts';
import { startOfLocalDay } from '../dates.ts';
import type { DocumentUpdate, StoreInput } from './service.ts';
import type { FileInput } from './files.ts';

const meta = z.object({
  kind: text(60),
  ...translatedFields('title', 300),
  ...translatedFields('summary', 4000, false),
  year: optionalInt(1900, 2200),
  period: optionalText(60),
  institution_id: optionalInt(1),
  embargo_until: optionalDate(),
});

function fileOf(body: unknown, field = 'file'): FileInput {
  const u = uploadsOf(body, field)[0];
  if (!u) throw new RuleError('transparency.errors.fileMissing', {}, field);
  return { bytes: u.data, name: u.filename, truncated: u.truncated };
}

export function metaFromForm(body: unknown): DocumentUpdate {
  const d = parseInput(meta, body) as Record<string, any>;
  return {
    kind: d.kind, title: collectTranslated(d, 'title'), summary: collectTranslated(d, 'summary'), year: d.year, period: d.period || null,
    institutionId: d.institution_id, embargoUntil: d.embargo_until ? startOfLocalDay(d.embargo_until) : null,
  };
}

export function newDocumentFromForm(body: unknown): StoreInput {
  const m = metaFromForm(body);
  const d = parseInput(z.object({ language: oneOf(LOCALES), publish: optionalText(10) }), body);
  return { ...m, summary: m.summary, language: d.language as Locale, publish: d.publish === '1', file: fileOf(body) };
}

export function fileFromForm(body: unknown): { file: FileInput; language: Locale; note: string | null } {
  const d = parseInput(z.object({ language: oneOf(LOCALES), note: optionalText(300) }), body);
  return { language: d.language as Locale, note: d.note || null, file: fileOf(body) };
}

export function reasonFromForm(body: unknown): string {
  return parseInput(z.object({ reason: text(1000) }), body).reason;
}

export function linkFromForm(body: unknown): { type: string; id: number; remove: boolean } {
  const b = (body ?? {}) as Record<string, unknown>;
  const target = typeof b.target === 'string' ? b.target : `${b.target_type ?? ''}:${b.target_id ?? ''}`;
  const m = /^([a-z_]{1,40}):(\d{1,9})$/.exec(target);
  if (!m) throw new RuleError('transparency.errors.link', {}, 'target');
  return { type: m[1], id: Number(m[2]), remove: b.remove === '1' };
}
