import { useView, href } from '../../../core/ui/view.ts';
import { ErrorSummary, Field, TextArea, Select, Choices, Button, Form, Table, Breadcrumbs, Tr, SampleBadge, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, parseTranslated, tr, type Translated } from '../../../core/i18n/index.ts';
import type { Category, District, Question } from '../service.ts';
import { QUESTION_KINDS } from '../schema.ts';
import { StaffNav } from './staff.tsx';

type Institution = { id: number; kind: string; name: Translated };

function Crumbs({ items }: { items: { label: string; path?: string }[] }) {
  const { t } = useView();
  return <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, ...items]} />;
}

/** Three inputs for a translated field: French (required when `required`), Arabic, English. */
export function TranslatedInputs({ name, label, form, required = false, long = false }: { name: string; label: string; form: FormState; required?: boolean; long?: boolean }) {
  const { t } = useView();
  const langs: { l: string; key: string; dir: 'ltr' | 'rtl' }[] = [{ l: 'fr', key: 'common.inFrench', dir: 'ltr' }, { l: 'ar', key: 'common.inArabic', dir: 'rtl' }, { l: 'en', key: 'common.inEnglish', dir: 'ltr' }];
  return (
    <fieldset>
      <legend>{label}</legend>
      {langs.map(({ l, key, dir }) => long
        ? <TextArea name={`${name}_${l}`} label={`${label} (${t(key)})`} form={form} required={required && l === 'fr'} rows={4} />
        : <Field name={`${name}_${l}`} label={`${label} (${t(key)})`} form={form} required={required && l === 'fr'} dir={dir} />)}
    </fieldset>
  );
}

const trLabels = (t: (k: string) => string, name: string, label: string) =>
  Object.fromEntries([['fr', 'common.inFrench'], ['ar', 'common.inArabic'], ['en', 'common.inEnglish']].map(([l, k]) => [`${name}_${l}`, `${label} (${t(k)})`]));

// ---------- Categories ----------

export function CategoriesPage({ categories, institutions }: { categories: Category[]; institutions: Institution[] }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Crumbs items={[{ label: t('requests.categoriesTitle') }]} />
      <h1>{t('requests.categoriesTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.categoriesIntro')}</p>
      <p><a class="button" href={href(view, '/admin/requests/categories/new')}>{t('requests.newCategory')}</a></p>
      <Table caption={t('requests.categoriesTitle')} numeric={[3, 5]}
        head={[t('requests.categoryName'), t('requests.code'), t('requests.routedTo'), t('requests.slaLabel'), t('requests.active'), t('requests.questionsCount')]}
        rows={categories.map((c) => [
          <><a href={href(view, `/admin/requests/categories/${c.id}`)}><Tr value={c.name} /></a>{c.sample && <> <SampleBadge /></>}</>,
          <code dir="ltr">{c.slug}</code>,
          tr(institutions.find((i) => i.id === c.institutionId)?.name, locale),
          formatNumber(locale, c.slaDays),
          c.active ? t('common.yes') : t('common.no'),
          formatNumber(locale, c.questions.length),
        ])} />
    </section>
  );
}

export function CategoryFormPage({ id, form, institutions, questions, questionForm }: { id: number | null; form: FormState; institutions: Institution[]; questions: Question[]; questionForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const title = id ? t('requests.editCategory') : t('requests.newCategory');
  const labels = { slug: t('requests.code'), institution_id: t('requests.routedTo'), sla_days: t('requests.slaLabel'), sort: t('requests.sort'), ...trLabels(t, 'name', t('requests.categoryName')), ...trLabels(t, 'description', t('requests.categoryDescription')) };
  return (
    <section>
      <Crumbs items={[{ label: t('requests.categoriesTitle'), path: '/admin/requests/categories' }, { label: title }]} />
      <h1>{title}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, id ? `/admin/requests/categories/${id}` : '/admin/requests/categories/new')}>
        <Field name="slug" label={labels.slug} hint={t('requests.codeHint')} form={form} required dir="ltr" />
        <TranslatedInputs name="name" label={t('requests.categoryName')} form={form} required />
        <TranslatedInputs name="description" label={t('requests.categoryDescription')} form={form} long />
        <Select name="institution_id" label={labels.institution_id} hint={t('requests.routedToHint')} form={form} required blank={t('common.choose')}
          options={institutions.map((i) => ({ value: String(i.id), label: `${t(`institutions.kind.${i.kind}`)} — ${tr(i.name, locale)}` }))} />
        <Field name="sla_days" label={labels.sla_days} hint={t('requests.slaHint')} form={form} required inputmode="numeric" dir="ltr" />
        <Field name="sort" label={labels.sort} form={form} inputmode="numeric" dir="ltr" />
        <Choices name="active" label={t('requests.active')} form={form} multiple options={[{ value: '1', label: t('requests.activeHint') }]} />
        <Choices name="sample" label={t('common.sample')} form={form} multiple options={[{ value: '1', label: t('common.sampleHint') }]} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      {id && (
        <section aria-labelledby="questions-title">
          <h2 id="questions-title">{t('requests.questionsTitle')}</h2>
          <p>{t('requests.questionsIntro')}</p>
          <Table caption={t('requests.questionsTitle')} head={[t('requests.questionLabel'), t('requests.code'), t('requests.questionKind'), t('requests.required'), t('common.actions')]}
            rows={questions.map((q) => [
              <a href={href(view, `/admin/requests/categories/${id}/questions/${q.id}`)}><Tr value={q.label} /></a>,
              <code dir="ltr">{q.code}</code>, t(`requests.kind.${q.kind}`), q.required ? t('common.yes') : t('common.no'),
              <Form action={href(view, `/admin/requests/categories/${id}/questions/${q.id}/delete`)} class="inline"><Button kind="danger">{t('common.delete')}<span class="visually-hidden"> — {tr(q.label, locale)}</span></Button></Form>,
            ])} />
          <h3>{t('requests.newQuestion')}</h3>
          <QuestionFields form={questionForm} action={`/admin/requests/categories/${id}/questions`} />
        </section>
      )}
    </section>
  );
}

export function QuestionFields({ form, action }: { form: FormState; action: string }) {
  const view = useView();
  const { t } = view;
  const labels = { code: t('requests.code'), kind: t('requests.questionKind'), options: t('requests.options'), sort: t('requests.sort'), ...trLabels(t, 'label', t('requests.questionLabel')), ...trLabels(t, 'hint', t('requests.questionHint')) };
  return (
    <>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, action)}>
        <Field name="code" label={labels.code} hint={t('requests.questionCodeHint')} form={form} required dir="ltr" />
        <Select name="kind" label={labels.kind} form={form} required options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`requests.kind.${k}`) }))} />
        <TranslatedInputs name="label" label={t('requests.questionLabel')} form={form} required />
        <TranslatedInputs name="hint" label={t('requests.questionHint')} form={form} />
        <Choices name="required" label={t('requests.required')} form={form} multiple options={[{ value: '1', label: t('requests.requiredHint') }]} />
        <TextArea name="options" label={labels.options} hint={t('requests.optionsHint')} form={form} rows={5} />
        <Field name="sort" label={labels.sort} form={form} inputmode="numeric" dir="ltr" />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </>
  );
}

export function QuestionPage({ categoryId, categoryName, questionId, form }: { categoryId: number; categoryName: Translated; questionId: number; form: FormState }) {
  const { t, locale } = useView();
  return (
    <section>
      <Crumbs items={[{ label: t('requests.categoriesTitle'), path: '/admin/requests/categories' }, { label: tr(categoryName, locale), path: `/admin/requests/categories/${categoryId}` }, { label: t('requests.editQuestion') }]} />
      <h1>{t('requests.editQuestion')}</h1>
      <QuestionFields form={form} action={`/admin/requests/categories/${categoryId}/questions/${questionId}`} />
    </section>
  );
}

// ---------- Districts ----------

export function DistrictsPage({ districts, polygons, importForm }: { districts: District[]; polygons: Set<number>; importForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Crumbs items={[{ label: t('requests.districtsTitle') }]} />
      <h1>{t('requests.districtsTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.districtsIntro')}</p>
      <p><a class="button" href={href(view, '/admin/requests/districts/new')}>{t('requests.newDistrict')}</a></p>
      <Table caption={t('requests.districtsTitle')} numeric={[2]}
        head={[t('requests.districtName'), t('requests.code'), t('requests.population'), t('requests.polygon')]}
        rows={districts.map((d) => [
          <><a href={href(view, `/admin/requests/districts/${d.id}`)}><Tr value={d.name} /></a>{d.sample && <> <SampleBadge /></>}</>,
          <code dir="ltr">{d.slug}</code>,
          d.population === null ? '—' : formatNumber(locale, d.population),
          polygons.has(d.id) ? t('common.yes') : t('common.no'),
        ])} />
      <section aria-labelledby="import-title">
        <h2 id="import-title">{t('requests.importTitle')}</h2>
        <p>{t('requests.importIntro')}</p>
        <ErrorSummary form={importForm} labels={{ file: t('requests.geojsonFile'), geojson: t('requests.geojsonText') }} />
        <Form action={href(view, '/admin/requests/districts/import')} enctype="multipart/form-data">
          <div class={`field${importForm.errors.file ? ' has-error' : ''}`}>
            <label for="f-file">{t('requests.geojsonFile')}</label>
            {importForm.errors.file && <p class="field-error" id="e-file">{t(importForm.errors.file.key, importForm.errors.file.params as any)}</p>}
            <input type="file" id="f-file" name="file" accept=".geojson,.json,application/geo+json,application/json" aria-describedby={importForm.errors.file ? 'e-file' : undefined} />
          </div>
          <TextArea name="geojson" label={t('requests.geojsonText')} hint={t('requests.geojsonHint')} form={importForm} rows={6} />
          <div class="actions"><Button>{t('requests.importButton')}</Button></div>
        </Form>
      </section>
    </section>
  );
}

export function DistrictFormPage({ id, form }: { id: number | null; form: FormState }) {
  const view = useView();
  const { t } = view;
  const title = id ? t('requests.editDistrict') : t('requests.newDistrict');
  const labels = { slug: t('requests.code'), population: t('requests.population'), sort: t('requests.sort'), ...trLabels(t, 'name', t('requests.districtName')) };
  return (
    <section>
      <Crumbs items={[{ label: t('requests.districtsTitle'), path: '/admin/requests/districts' }, { label: title }]} />
      <h1>{title}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, id ? `/admin/requests/districts/${id}` : '/admin/requests/districts/new')}>
        <Field name="slug" label={labels.slug} hint={t('requests.codeHint')} form={form} required dir="ltr" />
        <TranslatedInputs name="name" label={t('requests.districtName')} form={form} required />
        <Field name="population" label={labels.population} hint={t('requests.populationHint')} form={form} inputmode="numeric" dir="ltr" />
        <Field name="sort" label={labels.sort} form={form} inputmode="numeric" dir="ltr" />
        <Choices name="sample" label={t('common.sample')} form={form} multiple options={[{ value: '1', label: t('common.sampleHint') }]} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}

// ---------- Response templates ----------

export function TemplatesPage({ templates, categories }: { templates: { id: number; categoryId: number | null; title: Translated }[]; categories: Category[] }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Crumbs items={[{ label: t('requests.templatesTitle') }]} />
      <h1>{t('requests.templatesTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.templatesIntro')}</p>
      <p><a class="button" href={href(view, '/admin/requests/templates/new')}>{t('requests.newTemplate')}</a></p>
      <Table caption={t('requests.templatesTitle')} head={[t('requests.templateTitle'), t('requests.category')]}
        rows={templates.map((x) => [
          <a href={href(view, `/admin/requests/templates/${x.id}`)}><Tr value={x.title} /></a>,
          x.categoryId ? tr(categories.find((c) => c.id === x.categoryId)?.name, locale) : t('requests.allCategories'),
        ])} />
    </section>
  );
}

export function TemplateFormPage({ id, form, categories }: { id: number | null; form: FormState; categories: Category[] }) {
  const view = useView();
  const { t, locale } = view;
  const title = id ? t('requests.editTemplate') : t('requests.newTemplate');
  const labels = { category_id: t('requests.category'), sort: t('requests.sort'), ...trLabels(t, 'title', t('requests.templateTitle')), ...trLabels(t, 'body', t('requests.templateBody')) };
  return (
    <section>
      <Crumbs items={[{ label: t('requests.templatesTitle'), path: '/admin/requests/templates' }, { label: title }]} />
      <h1>{title}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, id ? `/admin/requests/templates/${id}` : '/admin/requests/templates/new')}>
        <Select name="category_id" label={labels.category_id} form={form} blank={t('requests.allCategories')} options={categories.map((c) => ({ value: String(c.id), label: tr(c.name, locale) }))} />
        <TranslatedInputs name="title" label={t('requests.templateTitle')} form={form} required />
        <TranslatedInputs name="body" label={t('requests.templateBody')} form={form} required long />
        <Field name="sort" label={labels.sort} form={form} inputmode="numeric" dir="ltr" />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      {id && <Form action={href(view, `/admin/requests/templates/${id}/delete`)}><div class="actions"><Button kind="danger">{t('requests.deleteTemplate')}</Button></div></Form>}
    </section>
  );
}

// ---------- Holidays ----------

export function HolidaysPage({ year, holidays, form }: { year: number; holidays: { id: number; day: string; name: string; kind: string; confirmed: number }[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const labels = { day: t('requests.holidayDay'), ...trLabels(t, 'name', t('requests.holidayName')) };
  return (
    <section>
      <Crumbs items={[{ label: t('requests.holidaysTitle') }]} />
      <h1>{t('requests.holidaysYear', { year })}</h1>
      <StaffNav />
      <p class="lead">{t('requests.holidaysIntro')}</p>
      <nav aria-label={t('requests.years')}><ul class="tags">
        {[year - 1, year, year + 1].map((y) => <li><a href={href(view, `/admin/requests/holidays?year=${y}`)} aria-current={y === year ? 'page' : undefined}>{y}</a></li>)}
      </ul></nav>
      <Table caption={t('requests.holidaysYear', { year })} head={[t('requests.holidayDay'), t('requests.holidayName'), t('requests.holidayKind'), t('requests.holidayConfirmed'), t('common.actions')]}
        rows={holidays.map((h) => [
          formatDate(locale, h.day),
          <Tr value={parseTranslated(h.name)} />,
          t(`requests.holidayKinds.${h.kind}`),
          h.confirmed ? <span class="badge ok">{t('common.yes')}</span> : <span class="badge warn">{t('requests.toConfirm')}</span>,
          <div class="row-actions">
            {!h.confirmed && <Form action={href(view, `/admin/requests/holidays/${h.id}/confirm`)} class="inline"><Button kind="secondary">{t('requests.confirmHoliday')}<span class="visually-hidden"> {h.day}</span></Button></Form>}
            <Form action={href(view, `/admin/requests/holidays/${h.id}/shift`)} class="inline"><input type="hidden" name="by" value="-1" /><Button kind="secondary">{t('requests.dayEarlier')}<span class="visually-hidden"> {h.day}</span></Button></Form>
            <Form action={href(view, `/admin/requests/holidays/${h.id}/shift`)} class="inline"><input type="hidden" name="by" value="1" /><Button kind="secondary">{t('requests.dayLater')}<span class="visually-hidden"> {h.day}</span></Button></Form>
            <Form action={href(view, `/admin/requests/holidays/${h.id}/remove`)} class="inline"><Button kind="danger">{t('common.delete')}<span class="visually-hidden"> {h.day}</span></Button></Form>
          </div>,
        ])} />
      {holidays.length === 0 && (
        <Form action={href(view, `/admin/requests/holidays/seed`)}><input type="hidden" name="year" value={String(year)} /><div class="actions"><Button kind="secondary">{t('requests.seedYear', { year })}</Button></div></Form>
      )}
      <h2>{t('requests.addHoliday')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/admin/requests/holidays')}>
        <Field name="day" type="date" label={labels.day} form={form} required dir="ltr" />
        <TranslatedInputs name="name" label={t('requests.holidayName')} form={form} required />
        <div class="actions"><Button>{t('common.add')}</Button></div>
      </Form>
    </section>
  );
}

// ---------- Heads ----------

export function HeadsPage({ rows, forms }: { rows: { id: number; kind: string; name: Translated; head: { user_id: number; name: string } | null; staff: { id: number; name: string }[] }[]; forms: Record<number, FormState> }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Crumbs items={[{ label: t('requests.headsTitle') }]} />
      <h1>{t('requests.headsTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.headsIntro')}</p>
      {rows.map((r) => {
        const form = forms[r.id] ?? { values: { user_id: r.head ? String(r.head.user_id) : '' }, errors: {} };
        return (
          <section class="card" aria-labelledby={`head-${r.id}`}>
            <h2 id={`head-${r.id}`}><Tr value={r.name} /> <span class="muted">({t(`institutions.kind.${r.kind}`)})</span></h2>
            {r.staff.length === 0 ? <p>{t('requests.noStaff')}</p> : (
              <Form action={href(view, `/admin/requests/heads/${r.id}`)}>
                {form.errors.user_id && <p class="field-error">{t(form.errors.user_id.key)}</p>}
                <div class="field">
                  <label for={`f-user_id-${r.id}`}>{t('requests.head')} — {tr(r.name, locale)}</label>
                  <select id={`f-user_id-${r.id}`} name="user_id">
                    <option value="">{t('requests.noHead')}</option>
                    {r.staff.map((s) => <option value={String(s.id)} selected={String(form.values.user_id) === String(s.id)}>{s.name}</option>)}
                  </select>
                </div>
                <div class="actions"><Button kind="secondary">{t('common.save')}<span class="visually-hidden"> — {tr(r.name, locale)}</span></Button></div>
              </Form>
            )}
          </section>
        );
      })}
    </section>
  );
}
