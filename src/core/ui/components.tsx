import type { ComponentChildren, JSX } from 'preact';
import { useView, href } from './view.ts';
import { trWithLang, formatNumber, type Translated } from '../i18n/index.ts';
import type { FieldErrors } from '../http/errors.ts';

/** A translated content field; marks the language when it falls back to another one. */
export function Tr({ value }: { value: Translated | string | null | undefined }) {
  const { locale } = useView();
  const { text, lang } = trWithLang(value, locale);
  return lang === locale ? <>{text}</> : <span lang={lang} dir={lang === 'ar' ? 'rtl' : 'ltr'}>{text}</span>;
}

export function Msg({ k, params }: { k: string; params?: Record<string, unknown> }) {
  const { t } = useView();
  return <>{t(k, params as any)}</>;
}

export interface FormState {
  values: Record<string, unknown>;
  errors: FieldErrors;
  /** A message about the whole form (a rule refused it). */
  formError?: { key: string; params?: Record<string, unknown> };
}

export const emptyForm = (values: Record<string, unknown> = {}): FormState => ({ values, errors: {} });

/** GOV.UK-style error summary: at the top, focusable, each message linking to its field. */
export function ErrorSummary({ form, labels }: { form: FormState; labels: Record<string, string> }) {
  const { t } = useView();
  const entries = Object.entries(form.errors);
  if (!entries.length && !form.formError) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('form.errorSummary')}</h2>
      <ul>
        {form.formError && <li>{t(form.formError.key, form.formError.params as any)}</li>}
        {entries.map(([name, e]) => (
          <li key={name}><a href={`#f-${name}`}>{labels[name] ? `${labels[name]}: ` : ''}{t(e.key, e.params as any)}</a></li>
        ))}
      </ul>
    </div>
  );
}

export function Form({ action, method = 'post', children, class: cls, enctype }: { action: string; method?: 'post' | 'get'; children: ComponentChildren; class?: string; enctype?: string }) {
  const { csrf } = useView();
  return (
    <form action={action} method={method} class={cls} enctype={enctype} novalidate>
      {method === 'post' && <input type="hidden" name="_csrf" value={csrf()} />}
      {children}
    </form>
  );
}

interface FieldProps {
  name: string;
  label: string;
  form?: FormState;
  hint?: string;
  required?: boolean;
}

function fieldBits(p: FieldProps) {
  const { t } = useView();
  const err = p.form?.errors[p.name];
  const ids = [p.hint ? `h-${p.name}` : '', err ? `e-${p.name}` : ''].filter(Boolean).join(' ') || undefined;
  const raw = p.form?.values[p.name];
  const value = raw === undefined || raw === null ? '' : String(raw);
  return {
    err, ids, value,
    label: <label for={`f-${p.name}`}>{p.label}{p.required && <span class="req" aria-hidden="true"> *</span>}</label>,
    hint: p.hint && <p class="hint" id={`h-${p.name}`}>{p.hint}</p>,
    error: err && <p class="field-error" id={`e-${p.name}`}><span class="visually-hidden">{t('form.error')}: </span>{t(err.key, err.params as any)}</p>,
  };
}

export function Field(p: FieldProps & { type?: string; autocomplete?: string; inputmode?: string; dir?: 'ltr' | 'rtl' | 'auto'; maxlength?: number }) {
  const b = fieldBits(p);
  return (
    <div class={`field${b.err ? ' has-error' : ''}`}>
      {b.label}{b.hint}{b.error}
      <input id={`f-${p.name}`} name={p.name} type={(p.type ?? 'text') as 'text'} value={p.type === 'password' ? '' : b.value}
        required={p.required} aria-required={p.required ? 'true' : undefined} aria-invalid={b.err ? 'true' : undefined} aria-describedby={b.ids}
        autocomplete={p.autocomplete} inputMode={p.inputmode as 'text'} dir={p.dir} maxLength={p.maxlength} />
    </div>
  );
}

export function TextArea(p: FieldProps & { rows?: number; maxlength?: number }) {
  const b = fieldBits(p);
  return (
    <div class={`field${b.err ? ' has-error' : ''}`}>
      {b.label}{b.hint}{b.error}
      <textarea id={`f-${p.name}`} name={p.name} rows={p.rows ?? 5} required={p.required} aria-invalid={b.err ? 'true' : undefined} aria-describedby={b.ids} maxLength={p.maxlength}>{b.value}</textarea>
    </div>
  );
}

export function Select(p: FieldProps & { options: { value: string; label: string }[]; blank?: string }) {
  const b = fieldBits(p);
  return (
    <div class={`field${b.err ? ' has-error' : ''}`}>
      {b.label}{b.hint}{b.error}
      <select id={`f-${p.name}`} name={p.name} required={p.required} aria-invalid={b.err ? 'true' : undefined} aria-describedby={b.ids}>
        {p.blank !== undefined && <option value="">{p.blank}</option>}
        {p.options.map((o) => <option key={o.value} value={o.value} selected={o.value === b.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** A group of radio buttons (or checkboxes with `multiple`). */
export function Choices(p: FieldProps & { options: { value: string; label: string }[]; multiple?: boolean }) {
  const { t } = useView();
  const err = p.form?.errors[p.name];
  const raw = p.form?.values[p.name];
  const selected = new Set((Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(String));
  return (
    <fieldset class={`field${err ? ' has-error' : ''}`} id={`f-${p.name}`} aria-describedby={err ? `e-${p.name}` : undefined}>
      <legend>{p.label}{p.required && <span class="req" aria-hidden="true"> *</span>}</legend>
      {p.hint && <p class="hint">{p.hint}</p>}
      {err && <p class="field-error" id={`e-${p.name}`}><span class="visually-hidden">{t('form.error')}: </span>{t(err.key, err.params as any)}</p>}
      {p.options.map((o, i) => (
        <div class="choice" key={o.value}>
          <input type={p.multiple ? 'checkbox' : 'radio'} id={`f-${p.name}-${i}`} name={p.name} value={o.value} checked={selected.has(o.value)} />
          <label for={`f-${p.name}-${i}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function Button({ children, kind = 'primary', name, value }: { children: ComponentChildren; kind?: 'primary' | 'secondary' | 'danger'; name?: string; value?: string }) {
  return <button type="submit" class={`button ${kind}`} name={name} value={value}>{children}</button>;
}

export function Table({ caption, head, rows, numeric = [] }: { caption: string; head: ComponentChildren[]; rows: ComponentChildren[][]; numeric?: number[] }) {
  const { t } = useView();
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead><tr>{head.map((h, i) => <th scope="col" class={numeric.includes(i) ? 'num' : undefined}>{h}</th>)}</tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={head.length}>{t('table.empty')}</td></tr>}
          {rows.map((r) => <tr>{r.map((c, i) => (i === 0 ? <th scope="row">{c}</th> : <td class={numeric.includes(i) ? 'num' : undefined}>{c}</td>))}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** Page links for a list paginated in SQL. `base` is the path with its other query parameters. */
export function Pager({ page, pageSize, total, base }: { page: number; pageSize: number; total: number; base: string }) {
  const view = useView();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = (p: number) => `${href(view, base)}${base.includes('?') ? '&' : '?'}page=${p}`;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  return (
    <nav class="pager" aria-label={view.t('pager.label')}>
      <ul>
        {page > 1 && <li><a href={link(page - 1)} rel="prev">{view.t('pager.previous')}</a></li>}
        {shown.map((p) => <li key={p}>{p === page ? <a aria-current="page" href={link(p)}>{formatNumber(view.locale, p)}</a> : <a href={link(p)}>{formatNumber(view.locale, p)}</a>}</li>)}
        {page < pages && <li><a href={link(page + 1)} rel="next">{view.t('pager.next')}</a></li>}
      </ul>
    </nav>
  );
}

export function SampleBadge() {
  const { t } = useView();
  return <span class="badge sample" title={t('common.sampleHint')}>{t('common.sample')}</span>;
}

export function Breadcrumbs({ items }: { items: { label: string; path?: string }[] }) {
  const view = useView();
  return (
    <nav aria-label={view.t('layout.breadcrumbs')} class="breadcrumbs">
      <ol>{items.map((i) => <li>{i.path ? <a href={href(view, i.path)}>{i.label}</a> : <span aria-current="page">{i.label}</span>}</li>)}</ol>
    </nav>
  );
}
