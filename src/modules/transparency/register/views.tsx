import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, SampleBadge, Breadcrumbs, Form, Field, TextArea, Select, Button, ErrorSummary, type FormState } from '../../../core/ui/components.tsx';
import { BarChart } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr } from '../../../core/i18n/index.ts';
import type { Institution } from '../../governance/institutions.ts';
import type { Compliance, RegisterItem, RegisterStatus } from './service.ts';
import { FREQUENCIES } from '../schema.ts';

export function RegisterBadge({ status }: { status: RegisterStatus }) {
  const { t } = useView();
  return <span class={`badge ${status === 'published' ? 'ok' : status === 'out_of_date' ? 'warn' : 'bad'}`}>{t(`transparency.registerStatus.${status}`)}</span>;
}

const deptName = (departments: Institution[], id: number | null, locale: string, none: string) => {
  const d = departments.find((x) => x.id === id);
  return d ? tr(d.name, locale as 'fr') : none;
};

function ItemsTable({ items, departments, caption }: { items: RegisterItem[]; departments: Institution[]; caption: string }) {
  const { t, locale } = useView();
  return (
    <Table caption={caption} head={[t('transparency.registerItem'), t('transparency.field.department'), t('transparency.field.frequency'), t('transparency.statusLabel'), t('transparency.latestDocument')]}
      rows={items.map((i) => [
        <span id={`item-${i.code}`}><Tr value={i.title} />{i.sample && <> <SampleBadge /></>}</span>,
        deptName(departments, i.institutionId, locale, '—'), t(`transparency.frequency.${i.frequency}`), <RegisterBadge status={i.status} />,
        i.latest ? formatDate(locale, i.latest) : '—',
      ])} />
  );
}

export function CompliancePage({ items, summary, departments }: { items: RegisterItem[]; summary: Compliance; departments: Institution[] }) {
  const view = useView();
  const { t, locale } = view;
  const pct = summary.total ? Math.round((summary.counts.published / summary.total) * 100) : 0;
  return (
    <section>
      <h1>{t('transparency.registerTitle')}</h1>
      <p class="lead">{t('transparency.registerIntro')}</p>
      <p class="big-figure"><strong>{formatNumber(locale, pct)} %</strong> — {t('transparency.registerSummary', {
        published: formatNumber(locale, summary.counts.published), total: formatNumber(locale, summary.total),
        late: formatNumber(locale, summary.counts.out_of_date), missing: formatNumber(locale, summary.counts.missing),
      })}</p>
      <BarChart id="register-status" title={t('transparency.chartByStatus')} max={summary.total || 1} unit=""
        labelHeader={t('transparency.statusLabel')} valueHeader={t('transparency.itemsCount')}
        data={(['published', 'out_of_date', 'missing'] as const).map((s) => ({ label: t(`transparency.registerStatus.${s}`), value: summary.counts[s] }))} />
      <BarChart id="register-departments" title={t('transparency.chartByDepartment')} labelHeader={t('transparency.field.department')} valueHeader={t('transparency.publishedShare')}
        data={summary.byDepartment.map((d) => ({
          label: deptName(departments, d.institutionId, locale, t('transparency.noDepartment')), value: d.total ? Math.round((d.published / d.total) * 100) : 0,
          display: `${formatNumber(locale, d.total ? Math.round((d.published / d.total) * 100) : 0)}\u00a0% (${formatNumber(locale, d.published)}/${formatNumber(locale, d.total)})`,
        }))} />
      <h2>{t('transparency.byItem')}</h2>
      <ItemsTable items={items} departments={departments} caption={t('transparency.byItem')} />
      <p><a href={href(view, '/transparency/register.csv')}>{t('transparency.csvExport')}</a> · <a href="/api/transparency/register.json">JSON</a> · <a href={href(view, '/documents')}>{t('transparency.documentsTitle')}</a></p>
    </section>
  );
}

export function DuePage({ items, departments }: { items: RegisterItem[]; departments: Institution[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('transparency.dueTitle')}</h1>
      <p>{t('transparency.dueIntro')}</p>
      <ItemsTable items={items} departments={departments} caption={t('transparency.dueTitle')} />
      <p><a href={href(view, '/admin/documents#upload')}>{t('transparency.uploadTitle')}</a></p>
    </section>
  );
}

const labels = (t: (k: string) => string) => ({ code: t('transparency.field.code'), title_fr: t('transparency.field.titleFr'), frequency: t('transparency.field.frequency'), sort: t('transparency.field.sort') });

function ItemFields({ form, departments, isNew }: { form: FormState; departments: Institution[]; isNew: boolean }) {
  const { t, locale } = useView();
  return (
    <>
      {isNew && <Field name="code" label={t('transparency.field.code')} hint={t('transparency.hint.code')} required form={form} maxlength={40} dir="ltr" />}
      <Field name="title_fr" label={t('transparency.field.titleFr')} required form={form} maxlength={300} />
      <Field name="title_ar" label={t('transparency.field.titleAr')} dir="rtl" form={form} maxlength={300} />
      <Field name="title_en" label={t('transparency.field.titleEn')} form={form} maxlength={300} />
      <TextArea name="description_fr" label={t('transparency.field.summaryFr')} form={form} rows={2} maxlength={2000} />
      <TextArea name="description_ar" label={t('transparency.field.summaryAr')} form={form} rows={2} maxlength={2000} />
      <Select name="institution_id" label={t('transparency.field.department')} blank={t('transparency.none')} form={form} options={departments.map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
      <Select name="frequency" label={t('transparency.field.frequency')} required form={form} options={FREQUENCIES.map((f) => ({ value: f, label: t(`transparency.frequency.${f}`) }))} />
      <Field name="sort" label={t('transparency.field.sort')} inputmode="numeric" form={form} maxlength={5} />
    </>
  );
}

export function AdminRegisterPage({ items, departments, form }: { items: RegisterItem[]; departments: Institution[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <h1>{t('transparency.adminRegister')}</h1>
      <p><a href={href(view, '/admin/transparency/due')}>{t('transparency.dueTitle')}</a> · <a href={href(view, '/transparency/register')}>{t('transparency.publicPage')}</a></p>
      <Table caption={t('transparency.adminRegister')} head={[t('transparency.field.code'), t('transparency.registerItem'), t('transparency.field.department'), t('transparency.statusLabel')]}
        rows={items.map((i) => [<a href={href(view, `/admin/transparency/register/${i.id}`)}><bdi>{i.code}</bdi></a>, <Tr value={i.title} />, deptName(departments, i.institutionId, locale, '—'), <RegisterBadge status={i.status} />])} />
      <h2>{t('transparency.newItem')}</h2>
      <ErrorSummary form={form} labels={labels(t)} />
      <Form action={href(view, '/admin/transparency/register')}>
        <ItemFields form={form} departments={departments} isNew />
        <div class="actions"><Button>{t('transparency.addItemRegister')}</Button></div>
      </Form>
    </section>
  );
}

export function AdminItemPage({ item, departments, form }: { item: RegisterItem; departments: Institution[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('transparency.adminRegister'), path: '/admin/transparency/register' }, { label: tr(item.title, locale) }]} />
      <h1><Tr value={item.title} /></h1>
      <p><RegisterBadge status={item.status} /> {t('transparency.documentsLinked', { count: item.documents, n: formatNumber(locale, item.documents) })}</p>
      <p class="hint">{t('transparency.itemLinkHint')}</p>
      <ErrorSummary form={form} labels={labels(t)} />
      <Form action={href(view, `/admin/transparency/register/${item.id}`)}>
        <ItemFields form={form} departments={departments} isNew={false} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}
