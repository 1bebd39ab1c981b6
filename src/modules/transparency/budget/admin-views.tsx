import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, Form, Field, TextArea, Select, Button, ErrorSummary, Pager, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, type T, type Locale } from '../../../core/i18n/index.ts';
import { LEVELS, PARTS, DIRECTIONS, SOURCES, EXPLAINED, PHASES } from './schema.ts';
import type { ImportIssue } from './import.ts';
import type { ImportSummary, FunctionInfo, YearInfo, Term } from './service.ts';
import { dirhams } from './format.ts';
import type { Translated } from '../../../core/i18n/index.ts';

/** Staff pages of the budget: import, nomenclature, functions and line mapping, years' explanations, glossary. */

const LANGS = [['fr', 'common.inFrench'], ['ar', 'common.inArabic'], ['en', 'common.inEnglish']] as const;
const translatedLabels = (t: T, name: string, label: string): Record<string, string> =>
  Object.fromEntries(LANGS.map(([l, k]) => [`${name}_${l}`, `${label} (${t(k)})`]));

function TranslatedInputs({ name, label, form, required, long }: { name: string; label: string; form: FormState; required?: boolean; long?: boolean }) {
  const { t } = useView();
  const labels = translatedLabels(t, name, label);
  return (
    <>
      {LANGS.map(([l]) => long
        ? <TextArea name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} rows={3} />
        : <Field name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} dir={l === 'ar' ? 'rtl' : undefined} />)}
    </>
  );
}

const crumbs = (t: T, last: string, mid?: { label: string; path: string }) =>
  [{ label: t('admin.home'), path: '/admin' }, ...(last === t('budget.adminTitle') ? [] : [{ label: t('budget.adminTitle'), path: '/admin/budget' }]), ...(mid ? [mid] : []), { label: last }];

/** An import issue in the reader's language, amounts and codes formatted. */
export function issueText(t: T, locale: Locale, i: ImportIssue): string {
  const p = { ...(i.params ?? {}) } as Record<string, unknown>;
  if (typeof p.receipts === 'number') p.receipts = dirhams(locale, p.receipts);
  if (typeof p.expenditure === 'number') p.expenditure = dirhams(locale, p.expenditure);
  if (typeof p.phase === 'string') p.phase = t(`budget.phase.${p.phase}`);
  if (typeof p.part === 'string') p.part = t(`budget.part.${p.part}`);
  const msg = t(i.key, p);
  return i.line === null ? msg : t('budget.import.atLine', { line: formatNumber(locale, i.line), message: msg });
}

export function AdminBudgetPage({ years, imports, form, issues }: {
  years: YearInfo[]; imports: { id: number; status: string; filename: string; created_at: string; summary: ImportSummary }[]; form: FormState; issues: ImportIssue[] | null;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={crumbs(t, t('budget.adminTitle'))} />
      <h1>{t('budget.adminTitle')}</h1>
      <nav class="subnav" aria-label={t('budget.adminTitle')}>
        <ul>
          <li><a href={href(view, '/admin/budget/nomenclature')}>{t('budget.nomenclatureTitle')}</a></li>
          <li><a href={href(view, '/admin/budget/functions')}>{t('budget.functionsAdminTitle')}</a></li>
          <li><a href={href(view, '/admin/budget/glossary')}>{t('budget.glossaryTitle')}</a></li>
        </ul>
      </nav>
      <h2 id="import">{t('budget.import.title')}</h2>
      <p>{t('budget.import.intro')}</p>
      <p><a href={href(view, '/admin/budget/template.csv')}>{t('budget.import.template')}</a></p>
      {issues && issues.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="import-errors">
          <h2 id="import-errors">{t('budget.import.rejected', { count: issues.length })}</h2>
          <ul>{issues.map((i) => <li>{issueText(t, locale, i)}</li>)}</ul>
        </div>
      )}
      <ErrorSummary form={form} labels={{ file: t('budget.import.file') }} />
      <Form action={href(view, '/admin/budget/import')} enctype="multipart/form-data">
        <Field name="file" type="file" label={t('budget.import.file')} hint={t('budget.import.fileHint')} form={form} required />
        <Button>{t('budget.import.check')}</Button>
      </Form>
      <h2>{t('budget.yearsTitle')}</h2>
      <Table caption={t('budget.yearsTitle')} head={[t('budget.year'), t('budget.population'), '']} numeric={[1]}
        rows={years.map((y) => [String(y.year), formatNumber(locale, y.population), <a href={href(view, `/admin/budget/years/${y.year}`)}>{t('budget.editYear', { year: y.year })}</a>])} />
      <h2>{t('budget.import.recent')}</h2>
      <Table caption={t('budget.import.recent')} head={[t('budget.import.file'), t('budget.import.status'), t('budget.import.when'), '']}
        rows={imports.map((i) => [<bdi>{i.filename}</bdi>, t(`budget.import.statuses.${i.status}`), formatDate(locale, i.created_at, true), <a href={href(view, `/admin/budget/imports/${i.id}`)}>{t('budget.import.open')}</a>])} />
    </section>
  );
}

export function ImportPreviewPage({ imp, error }: { imp: { id: number; status: string; filename: string; summary: ImportSummary }; error?: ImportIssue[] | string | null }) {
  const view = useView();
  const { t, locale } = view;
  const s = imp.summary;
  return (
    <section>
      <Breadcrumbs items={crumbs(t, t('budget.import.previewTitle'))} />
      <h1>{t('budget.import.previewTitle')}</h1>
      {error && (
        <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="apply-errors">
          <h2 id="apply-errors">{t('form.errorSummary')}</h2>
          <ul>{typeof error === 'string' ? <li>{t(error)}</li> : error.map((i) => <li>{issueText(t, locale, i)}</li>)}</ul>
        </div>
      )}
      <dl class="kv">
        <dt>{t('budget.import.file')}</dt><dd><bdi>{imp.filename}</bdi></dd>
        <dt>{t('budget.import.status')}</dt><dd>{t(`budget.import.statuses.${imp.status}`)}</dd>
        <dt>{t('budget.import.lines')}</dt><dd>{formatNumber(locale, s.lines)}</dd>
      </dl>
      <Table caption={t('budget.import.changes')} numeric={[2, 3, 4, 5, 6, 7]}
        head={[t('budget.year'), t('budget.phase.label'), t('budget.import.added'), t('budget.import.changed'), t('budget.import.removed'), t('budget.import.linesAfter'), t('budget.import.totalBefore'), t('budget.import.totalAfter')]}
        rows={s.changes.map((c) => [String(c.year), t(`budget.phase.${c.phase}`), formatNumber(locale, c.added), formatNumber(locale, c.changed), formatNumber(locale, c.removed), formatNumber(locale, c.linesAfter), dirhams(locale, c.totalBefore), dirhams(locale, c.totalAfter)])} />
      {imp.status === 'pending' && (
        <div class="actions">
          <Form action={href(view, `/admin/budget/imports/${imp.id}/apply`)}><p>{t('budget.import.applyHint')}</p><Button>{t('budget.import.apply')}</Button></Form>
          <Form action={href(view, `/admin/budget/imports/${imp.id}/discard`)}><Button kind="secondary">{t('budget.import.discard')}</Button></Form>
        </div>
      )}
    </section>
  );
}

export function NomenclaturePage({ data, prefix, form }: { data: { rows: { code: string; level: string; parent_code: string | null; part: string; direction: string; label: Translated; source: string | null }[]; total: number; page: number; size: number }; prefix: string; form: FormState }) {
  const view = useView();
  const { t } = view;
  const labels = { code: t('budget.f.code'), level: t('budget.f.level'), parent_code: t('budget.f.parent'), part: t('budget.partLabel'), direction: t('budget.f.direction'), source: t('budget.source'), ...translatedLabels(t, 'label', t('budget.f.label')) };
  return (
    <section>
      <Breadcrumbs items={crumbs(t, t('budget.nomenclatureTitle'))} />
      <h1>{t('budget.nomenclatureTitle')}</h1>
      <p>{t('budget.nomenclatureIntro')}</p>
      <form method="get" action={href(view, '/admin/budget/nomenclature')} class="search-form">
        <div class="field"><label for="f-prefix">{t('budget.f.prefix')}</label><input id="f-prefix" name="prefix" value={prefix} dir="ltr" /></div>
        <Button kind="secondary">{t('budget.filter')}</Button>
      </form>
      <Table caption={t('budget.nomenclatureTitle')} head={[t('budget.f.code'), t('budget.f.level'), t('budget.f.label'), t('budget.partLabel'), t('budget.f.direction')]}
        rows={data.rows.map((r) => [<bdi>{r.code}</bdi>, t(`budget.level.${r.level}`), <Tr value={r.label} />, t(`budget.part.${r.part}`), t(`budget.direction.${r.direction}`)])} />
      <Pager page={data.page} pageSize={data.size} total={data.total} base={`/admin/budget/nomenclature${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`} />
      <h2 id="add">{t('budget.nomenclatureAdd')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/admin/budget/nomenclature')}>
        <Field name="code" label={labels.code} form={form} required dir="ltr" hint={t('budget.f.codeHint')} />
        <Select name="level" label={labels.level} form={form} options={LEVELS.map((l) => ({ value: l, label: t(`budget.level.${l}`) }))} />
        <Field name="parent_code" label={labels.parent_code} form={form} dir="ltr" hint={t('budget.f.parentHint')} />
        <Select name="part" label={labels.part} form={form} blank={t('budget.f.inherited')} options={PARTS.map((p) => ({ value: p, label: t(`budget.part.${p}`) }))} />
        <Select name="direction" label={labels.direction} form={form} blank={t('budget.f.inherited')} options={DIRECTIONS.map((p) => ({ value: p, label: t(`budget.direction.${p}`) }))} />
        <Select name="source" label={labels.source} form={form} blank={t('budget.f.none')} options={[...SOURCES, 'internal'].map((p) => ({ value: p, label: t(`budget.sources.${p}`) }))} />
        <TranslatedInputs name="label" label={t('budget.f.label')} form={form} required />
        <Button>{t('budget.nomenclatureAdd')}</Button>
      </Form>
    </section>
  );
}

export function FunctionsAdminPage({ functions, mapping, prefix, form }: {
  functions: FunctionInfo[]; mapping: { rows: { code: string; label: Translated; functionId: number | null; district: string | null }[]; total: number; page: number; size: number }; prefix: string; form: FormState;
}) {
  const view = useView();
  const { t } = view;
  const byId = new Map(functions.map((f) => [f.id, f]));
  const labels = { slug: t('budget.f.slug'), sort: t('budget.f.sort'), ...translatedLabels(t, 'label', t('budget.f.label')), ...translatedLabels(t, 'description', t('budget.f.description')) };
  return (
    <section>
      <Breadcrumbs items={crumbs(t, t('budget.functionsAdminTitle'))} />
      <h1>{t('budget.functionsAdminTitle')}</h1>
      <Table caption={t('budget.functionsAdminTitle')} head={[t('budget.f.slug'), t('budget.f.label'), '']}
        rows={functions.map((f) => [<bdi>{f.slug}</bdi>, <Tr value={f.label} />, <a href={href(view, `/admin/budget/functions/${f.slug}`)}>{t('common.edit')}</a>])} />
      <h2 id="add">{t('budget.functionAdd')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/admin/budget/functions')}>
        <FunctionFields form={form} withSlug />
        <Button>{t('budget.functionAdd')}</Button>
      </Form>
      <h2 id="lines">{t('budget.mappingTitle')}</h2>
      <p>{t('budget.mappingIntro')}</p>
      <form method="get" action={href(view, '/admin/budget/functions')} class="search-form">
        <div class="field"><label for="f-prefix">{t('budget.f.prefix')}</label><input id="f-prefix" name="prefix" value={prefix} dir="ltr" /></div>
        <Button kind="secondary">{t('budget.filter')}</Button>
      </form>
      <Table caption={t('budget.mappingTitle')} head={[t('budget.line'), t('budget.function'), t('budget.district')]}
        rows={mapping.rows.map((r) => [<a href={href(view, `/admin/budget/lines/${encodeURIComponent(r.code)}`)}><bdi>{r.code}</bdi> <Tr value={r.label} /></a>, r.functionId ? <Tr value={byId.get(r.functionId)?.label} /> : t('budget.unmapped'), r.district ?? ''])} />
      <Pager page={mapping.page} pageSize={mapping.size} total={mapping.total} base={`/admin/budget/functions${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`} />
    </section>
  );
}

function FunctionFields({ form, withSlug }: { form: FormState; withSlug?: boolean }) {
  const { t } = useView();
  return (
    <>
      {withSlug && <Field name="slug" label={t('budget.f.slug')} form={form} required dir="ltr" hint={t('budget.f.slugHint')} />}
      <Field name="sort" label={t('budget.f.sort')} form={form} required inputmode="numeric" />
      <TranslatedInputs name="label" label={t('budget.f.label')} form={form} required />
      <TranslatedInputs name="description" label={t('budget.f.description')} form={form} long />
    </>
  );
}

export function FunctionEditPage({ fn, form }: { fn: FunctionInfo; form: FormState }) {
  const view = useView();
  const { t } = view;
  const labels = { sort: t('budget.f.sort'), ...translatedLabels(t, 'label', t('budget.f.label')), ...translatedLabels(t, 'description', t('budget.f.description')) };
  return (
    <section>
      <Breadcrumbs items={crumbs(t, fn.slug, { label: t('budget.functionsAdminTitle'), path: '/admin/budget/functions' })} />
      <h1><Tr value={fn.label} /></h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/budget/functions/${fn.slug}`)}>
        <FunctionFields form={form} />
        <Button>{t('common.save')}</Button>
      </Form>
    </section>
  );
}

export function LineEditPage({ line, functions, mapForm, linkForm }: {
  line: Awaited<ReturnType<typeof import('./service.ts').lineForEdit>>; functions: FunctionInfo[]; mapForm: FormState; linkForm: FormState;
}) {
  const view = useView();
  const { t, locale } = view;
  const base = `/admin/budget/lines/${encodeURIComponent(line.code)}`;
  return (
    <section>
      <Breadcrumbs items={crumbs(t, line.code, { label: t('budget.functionsAdminTitle'), path: '/admin/budget/functions' })} />
      <h1><bdi>{line.code}</bdi> <Tr value={line.label} /></h1>
      <p><a href={href(view, `/budget/lines/${encodeURIComponent(line.code)}`)}>{t('budget.publicPage')}</a></p>
      <h2>{t('budget.mappingTitle')}</h2>
      <ErrorSummary form={mapForm} labels={{ function: t('budget.function'), district: t('budget.district') }} />
      <Form action={href(view, base)}>
        <Select name="function" label={t('budget.function')} form={mapForm} blank={t('budget.unmapped')} options={functions.map((f) => ({ value: f.slug, label: tr2(f.label, locale) }))} />
        <Field name="district" label={t('budget.district')} form={mapForm} dir="ltr" hint={t('budget.f.districtHint')} />
        <Button>{t('common.save')}</Button>
      </Form>
      <h2>{t('budget.commitmentsFunded')}</h2>
      {line.commitments.length === 0 ? <p>{t('budget.noCommitments')}</p> : (
        <ul>{line.commitments.map((c) => (
          <li><bdi>{c.number}</bdi> <Tr value={c.title} />
            <Form action={href(view, `${base}/commitments/${c.id}/remove`)}><Button kind="secondary">{t('budget.unlink')}</Button></Form>
          </li>
        ))}</ul>
      )}
      <ErrorSummary form={linkForm} labels={{ commitment: t('budget.commitment') }} />
      <Form action={href(view, `${base}/commitments`)}>
        <Select name="commitment" label={t('budget.commitment')} form={linkForm} blank="" options={line.choices.map((c) => ({ value: String(c.id), label: `${c.plan_slug} ${c.number} — ${tr2(parse(c.title), locale)}` }))} />
        <Button>{t('budget.link')}</Button>
      </Form>
    </section>
  );
}

const parse = (s: string): Translated => { try { return JSON.parse(s); } catch { return {}; } };
const tr2 = (v: Translated, locale: Locale) => v[locale] || v.fr || v.ar || v.en || '';

export function YearEditPage({ year, form }: { year: YearInfo; form: FormState }) {
  const view = useView();
  const { t } = view;
  const labels: Record<string, string> = { population: t('budget.population') };
  for (const k of EXPLAINED) Object.assign(labels, translatedLabels(t, `explain_${k}`, t(`budget.explain.${k}`)));
  return (
    <section>
      <Breadcrumbs items={crumbs(t, String(year.year))} />
      <h1>{t('budget.editYear', { year: year.year })}</h1>
      <p><a href={href(view, `/budget/${year.year}`)}>{t('budget.publicPage')}</a></p>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/budget/years/${year.year}`)}>
        <Field name="population" label={labels.population} form={form} required inputmode="numeric" />
        {EXPLAINED.map((k) => (
          <fieldset class="field"><legend>{t(`budget.explain.${k}`)}</legend>
            <TranslatedInputs name={`explain_${k}`} label={t(`budget.explain.${k}`)} form={form} long />
          </fieldset>
        ))}
        <Button>{t('common.save')}</Button>
      </Form>
    </section>
  );
}

export function GlossaryAdminPage({ terms, form, editing }: { terms: Term[]; form: FormState; editing?: string }) {
  const view = useView();
  const { t } = view;
  const labels = { slug: t('budget.f.slug'), sort: t('budget.f.sort'), ...translatedLabels(t, 'term', t('budget.f.term')), ...translatedLabels(t, 'definition', t('budget.f.definition')) };
  return (
    <section>
      <Breadcrumbs items={crumbs(t, t('budget.glossaryTitle'))} />
      <h1>{t('budget.glossaryTitle')}</h1>
      <Table caption={t('budget.glossaryTitle')} head={[t('budget.f.slug'), t('budget.f.term'), '']}
        rows={terms.map((x) => [<bdi>{x.slug}</bdi>, <Tr value={x.term} />, <a href={href(view, `/admin/budget/glossary/${x.slug}`)}>{t('common.edit')}</a>])} />
      <h2 id="term">{editing ? t('budget.termEdit', { slug: editing }) : t('budget.termAdd')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, editing ? `/admin/budget/glossary/${editing}` : '/admin/budget/glossary')}>
        <Field name="slug" label={labels.slug} form={form} required dir="ltr" hint={t('budget.f.slugHint')} />
        <Field name="sort" label={labels.sort} form={form} required inputmode="numeric" />
        <TranslatedInputs name="term" label={t('budget.f.term')} form={form} required />
        <TranslatedInputs name="definition" label={t('budget.f.definition')} form={form} required long />
        <Button>{t('common.save')}</Button>
      </Form>
    </section>
  );
}

export { PHASES };
