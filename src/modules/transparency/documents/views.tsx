import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, Pager, SampleBadge, Breadcrumbs, Form, Field, TextArea, Select, Button, ErrorSummary, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, tr, LOCALES } from '../../../core/i18n/index.ts';
import type { Institution } from '../../governance/institutions.ts';
import type { Document, DocumentDetail, DocumentFile, DocumentKind } from './service.ts';
import type { ResolvedLink } from '../links.ts';

const LANG_NAMES: Record<string, string> = { fr: 'Français', ar: 'العربية', en: 'English' };
export const LangName = ({ l }: { l: string }) => <span lang={l} dir={l === 'ar' ? 'rtl' : 'ltr'}>{LANG_NAMES[l] ?? l}</span>;

export function kindLabel(kinds: DocumentKind[], slug: string, locale: string): string {
  const k = kinds.find((x) => x.slug === slug);
  return k ? tr(k.name, locale as 'fr') : slug;
}

export function sizeLabel(bytes: number, locale: string): string {
  const l = locale as 'fr';
  if (bytes < 1024) return `${formatNumber(l, bytes)} o`;
  if (bytes < 1024 * 1024) return `${formatNumber(l, Math.round(bytes / 1024))} Ko`;
  return `${formatNumber(l, Math.round(bytes / 1024 / 102.4) / 10)} Mo`;
}

export function StatusBadge({ doc }: { doc: Document }) {
  const { t } = useView();
  if (doc.status === 'withdrawn') return <span class="badge bad">{t('transparency.status.withdrawn')}</span>;
  if (doc.status === 'draft') return <span class="badge neutral">{t('transparency.status.draft')}</span>;
  if (!doc.isPublic) return <span class="badge warn">{t('transparency.status.embargoed')}</span>;
  return <span class="badge ok">{t('transparency.status.published')}</span>;
}

export type ListFilters = { kind: string; year: string; department: string; language: string };

export function DocumentsPage({ list, kinds, years, departments, filters }: {
  list: { page: number; total: number; pageSize: number; items: { doc: Document; languages: string[] }[] };
  kinds: DocumentKind[]; years: number[]; departments: Institution[]; filters: ListFilters;
}) {
  const view = useView();
  const { t, locale } = view;
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <section>
      <h1>{t('transparency.documentsTitle')}</h1>
      <p class="lead">{t('transparency.documentsIntro')}</p>
      <form method="get" action={href(view, '/documents')} class="filters" aria-label={t('transparency.filtersLabel')}>
        <Select name="kind" label={t('transparency.field.kind')} blank={t('transparency.all')} form={{ values: filters, errors: {} }}
          options={kinds.map((k) => ({ value: k.slug, label: tr(k.name, locale) }))} />
        <Select name="year" label={t('transparency.field.year')} blank={t('transparency.all')} form={{ values: filters, errors: {} }}
          options={years.map((y) => ({ value: String(y), label: String(y) }))} />
        <Select name="department" label={t('transparency.field.department')} blank={t('transparency.all')} form={{ values: filters, errors: {} }}
          options={departments.map((d) => ({ value: d.slug, label: tr(d.name, locale) }))} />
        <Select name="language" label={t('transparency.field.language')} blank={t('transparency.all')} form={{ values: filters, errors: {} }}
          options={LOCALES.map((l) => ({ value: l, label: LANG_NAMES[l] }))} />
        <div class="actions"><Button kind="secondary">{t('transparency.filter')}</Button></div>
      </form>
      <p role="status">{t('transparency.documentsCount', { count: list.total, n: formatNumber(locale, list.total) })}</p>
      <ul class="cards">
        {list.items.map(({ doc, languages }) => (
          <li class="card">
            <h2><a href={href(view, doc.path)}><Tr value={doc.title} /></a></h2>
            <ul class="tags">
              <li>{kindLabel(kinds, doc.kind, locale)}</li>
              {doc.year && <li>{doc.year}</li>}
              {languages.map((l) => <li><LangName l={l} /></li>)}
            </ul>
            {doc.status === 'withdrawn' && <p><StatusBadge doc={doc} /> {t('transparency.withdrawnReasonText', { reason: doc.withdrawnReason })}</p>}
            {doc.sample && <p><SampleBadge /></p>}
            <p class="muted">{t('transparency.publishedOn', { date: formatDate(locale, doc.publishedAt) })}</p>
          </li>
        ))}
      </ul>
      {list.total === 0 && <p>{t('transparency.noDocuments')}</p>}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} base={`/documents${qs ? `?${qs}` : ''}`} />
      <h2>{t('transparency.followTitle')}</h2>
      <ul>
        <li><a href={href(view, '/documents.atom')} type="application/atom+xml">{t('transparency.atomFeed')}</a></li>
        <li><a href={href(view, '/documents.csv')}>{t('transparency.csvExport')}</a> · <a href="/api/documents.json">JSON</a></li>
        <li><a href={href(view, '/transparency/register')}>{t('transparency.registerTitle')}</a></li>
        <li><a href={href(view, '/council')}>{t('transparency.councilTitle')}</a></li>
      </ul>
    </section>
  );
}

function FileRows({ files, withText }: { files: DocumentFile[]; withText?: boolean }) {
  const { t, locale } = useView();
  const view = useView();
  const head = [t('transparency.field.language'), t('transparency.version'), t('transparency.file'), t('transparency.date')];
  if (withText) head.push(t('transparency.textStatus'));
  return (
    <Table caption={t('transparency.filesCaption')} head={head} rows={files.map((f) => {
      const row = [
        <LangName l={f.language} />,
        <>{t('transparency.versionN', { n: f.version })} {f.superseded ? <span class="badge neutral">{t('transparency.superseded')}</span> : <span class="badge ok">{t('transparency.current')}</span>}</>,
        <><a href={href(view, f.path)} download={f.name}><bdi>{f.name}</bdi></a> <span class="muted">({f.kind.toUpperCase()}, {sizeLabel(f.size, locale)})</span>{f.note && <> — {f.note}</>}</>,
        formatDate(locale, f.createdAt),
      ];
      if (withText) row.push(t(`transparency.text.${f.textStatus}`));
      return row;
    })} />
  );
}

export function DocumentPage({ detail, kinds, department, links, deliberations }: {
  detail: DocumentDetail; kinds: DocumentKind[]; department: Institution | null; links: ResolvedLink[];
  deliberations: { title: Record<string, string>; path: string }[];
}) {
  const view = useView();
  const { t, locale } = view;
  const { doc, files } = detail;
  const current = files.filter((f) => !f.superseded);
  return (
    <article>
      <Breadcrumbs items={[{ label: t('transparency.documentsTitle'), path: '/documents' }, { label: tr(doc.title, locale) }]} />
      <h1><Tr value={doc.title} /></h1>
      <p><StatusBadge doc={doc} /> {doc.sample && <SampleBadge />}</p>
      {doc.status === 'withdrawn' && (
        <div class="notice" role="note">
          <p><strong>{t('transparency.withdrawnOn', { date: formatDate(locale, doc.withdrawnAt) })}</strong></p>
          <p>{t('transparency.withdrawnReasonText', { reason: doc.withdrawnReason })}</p>
        </div>
      )}
      {tr(doc.summary, locale) && <p class="lead"><Tr value={doc.summary} /></p>}
      <dl class="kv">
        <dt>{t('transparency.field.kind')}</dt><dd>{kindLabel(kinds, doc.kind, locale)}</dd>
        {doc.year && <><dt>{t('transparency.field.year')}</dt><dd>{doc.year}{doc.period && <> · {doc.period}</>}</dd></>}
        {department && <><dt>{t('transparency.field.department')}</dt><dd><Tr value={department.name} /></dd></>}
        <dt>{t('transparency.publishedLabel')}</dt><dd>{formatDate(locale, doc.publishedAt)}</dd>
        <dt>{t('transparency.reference')}</dt><dd><bdi>{doc.ref}</bdi></dd>
      </dl>
      {current.length > 0 && (
        <>
          <h2>{t('transparency.download')}</h2>
          <ul class="downloads">
            {current.map((f) => (
              <li><a class="button primary" href={href(view, f.path)} download={f.name}>{t('transparency.downloadIn', { kind: f.kind.toUpperCase() })} — <LangName l={f.language} /></a>
                {' '}<span class="muted">{sizeLabel(f.size, locale)}{f.textStatus === 'none' && <> · {t('transparency.text.none')}</>}</span></li>
            ))}
          </ul>
        </>
      )}
      {files.length > 0 && <><h2>{t('transparency.versionsTitle')}</h2><FileRows files={files} /></>}
      {(links.length > 0 || deliberations.length > 0) && (
        <>
          <h2>{t('transparency.linkedTitle')}</h2>
          <ul>
            {links.map((l) => <li>{t(`transparency.linkType.${l.type}`)} : <a href={href(view, l.path)}><Tr value={l.title} /></a></li>)}
            {deliberations.map((d) => <li>{t('transparency.linkType.deliberation')} : <a href={href(view, d.path)}><Tr value={d.title} /></a></li>)}
          </ul>
        </>
      )}
    </article>
  );
}

// ---------- Staff ----------

export function DocumentFields({ form, kinds, departments, isNew }: { form: FormState; kinds: DocumentKind[]; departments: Institution[]; isNew: boolean }) {
  const { t, locale } = useView();
  return (
    <>
      <Select name="kind" label={t('transparency.field.kind')} required form={form} options={kinds.map((k) => ({ value: k.slug, label: tr(k.name, locale) }))} />
      <Field name="title_fr" label={t('transparency.field.titleFr')} required form={form} maxlength={300} />
      <Field name="title_ar" label={t('transparency.field.titleAr')} dir="rtl" form={form} maxlength={300} />
      <Field name="title_en" label={t('transparency.field.titleEn')} form={form} maxlength={300} />
      <TextArea name="summary_fr" label={t('transparency.field.summaryFr')} form={form} rows={3} maxlength={4000} />
      <TextArea name="summary_ar" label={t('transparency.field.summaryAr')} form={form} rows={3} maxlength={4000} />
      <TextArea name="summary_en" label={t('transparency.field.summaryEn')} form={form} rows={3} maxlength={4000} />
      <Field name="year" label={t('transparency.field.year')} inputmode="numeric" form={form} maxlength={4} />
      <Field name="period" label={t('transparency.field.period')} hint={t('transparency.hint.period')} form={form} maxlength={60} />
      <Select name="institution_id" label={t('transparency.field.department')} blank={t('transparency.none')} form={form}
        options={departments.map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
      <Field name="embargo_until" type="date" label={t('transparency.field.embargo')} hint={t('transparency.hint.embargo')} form={form} />
      {isNew && (
        <>
          <Select name="language" label={t('transparency.field.fileLanguage')} required form={form} options={LOCALES.map((l) => ({ value: l, label: LANG_NAMES[l] }))} />
          <Field name="file" type="file" label={t('transparency.field.file')} hint={t('transparency.hint.file')} required form={form} />
          <Select name="publish" label={t('transparency.field.publish')} form={form}
            options={[{ value: '', label: t('transparency.saveDraft') }, { value: '1', label: t('transparency.publishNow') }]} />
        </>
      )}
    </>
  );
}

const docLabels = (t: (k: string) => string) => ({
  kind: t('transparency.field.kind'), title_fr: t('transparency.field.titleFr'), year: t('transparency.field.year'), institution_id: t('transparency.field.department'),
  embargo_until: t('transparency.field.embargo'), language: t('transparency.field.fileLanguage'), file: t('transparency.field.file'), reason: t('transparency.field.reason'),
  note: t('transparency.field.note'), target_id: t('transparency.field.target'),
});

export function AdminDocumentsPage({ list, kinds, departments, form }: {
  list: { page: number; total: number; pageSize: number; items: Document[] }; kinds: DocumentKind[]; departments: Institution[]; form: FormState;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <h1>{t('transparency.adminDocuments')}</h1>
      <Table caption={t('transparency.adminDocumentsCaption', { n: formatNumber(locale, list.total) })}
        head={[t('transparency.field.title'), t('transparency.field.kind'), t('transparency.statusLabel'), t('transparency.updated')]}
        rows={list.items.map((d) => [
          <a href={href(view, `/admin/documents/${d.id}`)}><Tr value={d.title} /></a>, kindLabel(kinds, d.kind, locale), <StatusBadge doc={d} />, formatDate(locale, d.updatedAt),
        ])} />
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} base="/admin/documents" />
      <h2 id="upload">{t('transparency.uploadTitle')}</h2>
      <ErrorSummary form={form} labels={docLabels(t)} />
      <Form action={href(view, '/admin/documents')} enctype="multipart/form-data">
        <DocumentFields form={form} kinds={kinds} departments={departments} isNew />
        <div class="actions"><Button>{t('transparency.upload')}</Button></div>
      </Form>
    </section>
  );
}

export interface AdminDocForms { edit?: FormState; file?: FormState; withdraw?: FormState; link?: FormState; publish?: FormState }

export function AdminDocumentPage({ detail, kinds, departments, links, targets, forms }: {
  detail: DocumentDetail; kinds: DocumentKind[]; departments: Institution[]; links: ResolvedLink[];
  targets: { type: string; id: number; label: string }[]; forms: AdminDocForms & { editDefault: FormState };
}) {
  const view = useView();
  const { t, locale } = view;
  const { doc, files } = detail;
  const base = `/admin/documents/${doc.id}`;
  const empty: FormState = { values: {}, errors: {} };
  return (
    <section>
      <Breadcrumbs items={[{ label: t('transparency.adminDocuments'), path: '/admin/documents' }, { label: tr(doc.title, locale) }]} />
      <h1><Tr value={doc.title} /></h1>
      <p><StatusBadge doc={doc} /> <bdi>{doc.ref}</bdi>
        {doc.embargoUntil && doc.status !== 'withdrawn' && <> · {t('transparency.embargoUntil', { date: formatDate(locale, doc.embargoUntil, true) })}</>}
        {doc.isPublic && <> · <a href={href(view, doc.path)}>{t('transparency.publicPage')}</a></>}</p>
      {doc.status === 'withdrawn' && <p>{t('transparency.withdrawnReasonText', { reason: doc.withdrawnReason })}</p>}
      {/* A refusal of a form this page no longer shows (publishing a published document, withdrawing a withdrawn one). */}
      {forms.publish && doc.status !== 'draft' && <ErrorSummary form={forms.publish} labels={{}} />}
      {forms.withdraw && doc.status === 'withdrawn' && <ErrorSummary form={forms.withdraw} labels={docLabels(t)} />}
      {forms.file && doc.status === 'withdrawn' && <ErrorSummary form={forms.file} labels={docLabels(t)} />}
      {doc.status === 'draft' && (
        <Form action={href(view, `${base}/publish`)}>
          {forms.publish && <ErrorSummary form={forms.publish} labels={{}} />}
          <p>{doc.embargoUntil ? t('transparency.publishEmbargoHint', { date: formatDate(locale, doc.embargoUntil, true) }) : t('transparency.publishHint')}</p>
          <div class="actions"><Button>{t('transparency.publish')}</Button></div>
        </Form>
      )}
      <h2>{t('transparency.filesTitle')}</h2>
      <FileRows files={files} withText />
      {doc.status !== 'withdrawn' && (
        <>
          <h3>{t('transparency.addFileTitle')}</h3>
          <p class="hint">{t('transparency.addFileHint')}</p>
          <ErrorSummary form={forms.file ?? empty} labels={docLabels(t)} />
          <Form action={href(view, `${base}/files`)} enctype="multipart/form-data">
            <Select name="language" label={t('transparency.field.fileLanguage')} required form={forms.file ?? empty} options={LOCALES.map((l) => ({ value: l, label: LANG_NAMES[l] }))} />
            <Field name="file" type="file" label={t('transparency.field.file')} hint={t('transparency.hint.file')} required form={forms.file ?? empty} />
            <Field name="note" label={t('transparency.field.note')} hint={t('transparency.hint.note')} form={forms.file ?? empty} maxlength={300} />
            <div class="actions"><Button>{t('transparency.addFile')}</Button></div>
          </Form>
        </>
      )}
      <h2>{t('transparency.editTitle')}</h2>
      <ErrorSummary form={forms.edit ?? empty} labels={docLabels(t)} />
      <Form action={href(view, base)}>
        <DocumentFields form={forms.edit ?? forms.editDefault} kinds={kinds} departments={departments} isNew={false} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      <h2>{t('transparency.linksTitle')}</h2>
      <ul>
        {links.map((l) => (
          <li>{t(`transparency.linkType.${l.type}`)} : <Tr value={l.title} />
            <Form action={href(view, `${base}/links`)} class="inline">
              <input type="hidden" name="target_type" value={l.type} /><input type="hidden" name="target_id" value={String(l.id)} /><input type="hidden" name="remove" value="1" />
              <Button kind="secondary">{t('transparency.unlink')}</Button>
            </Form>
          </li>
        ))}
      </ul>
      <ErrorSummary form={forms.link ?? empty} labels={docLabels(t)} />
      <Form action={href(view, `${base}/links`)}>
        <Select name="target" label={t('transparency.field.target')} form={forms.link ?? empty} options={targets.map((x) => ({ value: `${x.type}:${x.id}`, label: x.label }))} />
        <div class="actions"><Button kind="secondary">{t('transparency.link')}</Button></div>
      </Form>
      {doc.status !== 'withdrawn' && (
        <>
          <h2>{t('transparency.withdrawTitle')}</h2>
          <ErrorSummary form={forms.withdraw ?? empty} labels={docLabels(t)} />
          <Form action={href(view, `${base}/withdraw`)}>
            <TextArea name="reason" label={t('transparency.field.reason')} hint={t('transparency.hint.reason')} required form={forms.withdraw ?? empty} rows={3} maxlength={1000} />
            <div class="actions"><Button kind="danger">{t('transparency.withdraw')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}
