import { z } from 'zod';
import { ValidationError, type FieldErrors } from './errors.ts';

/** Maps zod's issues to translated message keys, one per field (the first). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '_form');
    if (out[name]) continue;
    out[name] = issueMessage(issue);
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): { key: string; params?: Record<string, unknown> } {
  switch (issue.code) {
    case 'custom':
      return { key: issue.message.startsWith('errors.') ? issue.message : 'errors.invalid', params: (issue as any).params };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { key: 'errors.required' } : { key: 'errors.tooShort', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'errors.required' };
      return { key: 'errors.tooSmall', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { key: 'errors.tooLong', params: { max } };
      if (issue.origin === 'array') return { key: 'errors.tooMany', params: { max } };
      return { key: 'errors.tooBig', params: { max } };
    }
    case 'invalid_format':
      return { key: issue.format === 'email' ? 'errors.email' : 'errors.format' };
    case 'invalid_type':
      // A schema's own message key (int(), optionalInt(): "errors.number" for "abc") wins over the guess below.
      if (issue.message.startsWith('errors.')) return { key: issue.message };
      return { key: issue.input === undefined || issue.input === null || issue.input === '' ? 'errors.required' : 'errors.invalid' };
    case 'invalid_value':
      return { key: 'errors.choice' };
    default:
      return { key: 'errors.invalid' };
  }
}

/** Validates input with a schema; throws a ValidationError the form can show. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new ValidationError(fieldErrors(r.error));
  return r.data;
}

// Building blocks for form schemas: every form value arrives as a string.
const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v));

export const text = (max = 500) => z.preprocess((v) => str(v).trim(), z.string().min(1).max(max));
export const optionalText = (max = 5000) => z.preprocess((v) => str(v).trim(), z.string().max(max));
export const email = () => z.preprocess((v) => str(v).trim(), z.string().min(1).max(254).pipe(z.email()));
export const int = (min = 0, max = 2_147_483_647) => z.preprocess((v) => {
  const s = str(v).trim();
  return s === '' ? undefined : /^-?\d+$/.test(s) ? Number(s) : NaN;
}, z.number({ error: (i) => (i.input === undefined ? 'errors.required' : 'errors.number') }).int().min(min).max(max));
export const optionalInt = (min = 0, max = 2_147_483_647) => z.preprocess((v) => {
  const s = str(v).trim();
  return s === '' ? null : /^-?\d+$/.test(s) ? Number(s) : NaN;
}, z.number({ error: () => 'errors.number' }).int().min(min).max(max).nullable());
export const isoDate = () => z.preprocess((v) => str(v).trim(), z.string().min(1).regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'errors.date' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'errors.date' }));
export const optionalDate = () => z.preprocess((v) => str(v).trim(), z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'errors.date' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'errors.date' })]).transform((s) => s || null));
export const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess((v) => str(v), z.enum(values));
export const checkbox = () => z.preprocess((v) => str(v) !== '' && str(v) !== '0', z.boolean());
/** Translated content typed in a form as `name_fr`, `name_ar`, `name_en`; French is required. */
export const translatedFields = (name: string, max = 500, required = true) => ({
  [`${name}_fr`]: required ? text(max) : optionalText(max),
  [`${name}_ar`]: optionalText(max),
  [`${name}_en`]: optionalText(max),
});
export function collectTranslated(data: Record<string, unknown>, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of ['fr', 'ar', 'en']) {
    const v = data[`${name}_${l}`];
    if (typeof v === 'string' && v) out[l] = v;
  }
  return out;
}
export function spreadTranslated(value: Record<string, string | undefined>, name: string): Record<string, string> {
  return Object.fromEntries(['fr', 'ar', 'en'].map((l) => [`${name}_${l}`, value[l] ?? '']));
}
