import type { ComponentChildren } from 'preact';
import { useView, href } from '../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, type FormState } from '../../core/ui/components.tsx';
import { formatDate, formatNumber, tr, trWithLang, type Locale, type T, type Translated } from '../../core/i18n/index.ts';
import { Paragraphs } from '../comments/views.tsx';
import { Comments, type CommentThread } from '../comments/index.ts';
import type { ReportView, ReportSummary, RecommendationView, ResponseView, AssessmentView, FileRef, EndAssessmentView, CommitmentChoice, VersionInfo } from './service.ts';
import { COMPLETION, OPEN_GOV, PRIORITIES, DECISIONS, PROGRESS, MAX_FILES, MAX_LINKS } from './schema.ts';

type Institution = { id: number; kind: string; name: Translated };

// ---------- Small pieces ----------

const TONE: Record<string, string> = {
  not_started: 'neutral', limited: 'warn', substantial: 'ok', completed: 'ok',
  worsened: 'bad', did_not_change: 'neutral', marginal: 'warn', major: 'ok', outstanding: 'ok',
  high: 'bad', medium: 'warn', low: 'neutral',
  accepted: 'ok', partly: 'warn', rejected: 'bad',
  planned: 'neutral', in_progress: 'warn', done: 'ok',
  draft: 'warn', published: 'ok',
};

/** A coloured label whose text always says what the colour means. */
export function Badge({ group, value }: { group: string; value: string }) {
  const { t } = useView();
  return <span class={`badge ${TONE[value] ?? 'neutral'}`}>{t(`monitoring.${group}.${value}`)}</span>;
}

/** Translated plain text as paragraphs, marked with its language when it falls back to another one. */
function TrText({ value }: { value: Translated }) {
  const { locale } = useView();
  const { text, lang } = trWithLang(value, locale);
  return <Paragraphs text={text} lang={lang !== locale ? lang : undefined} />;
}

function FileLinks({ files }: { files: FileRef[] }) {
  const view = useView();
  const { locale } = view;
  if (!files.length) return null;
  return (
    <ul>
      {files.map((f) => (
        <li><a href={href(view, `/monitoring/files/${f.id}`)} dir="auto">{f.name}</a> <span class="muted">({f.kind.toUpperCase()}, {formatNumber(locale, Math.max(1, Math.round(f.size / 1024)))} Ko)</span></li>
      ))}
    </ul>
  );
}

function Links({ links }: { links: string[] }) {
  if (!links.length) return null;
  return <ul>{links.map((l) => <li><a class="url" href={l} rel="nofollow noopener noreferrer" dir="ltr">{l}</a></li>)}</ul>;
}

const LANGS = [['fr', 'common.inFrench'], ['ar', 'common.inArabic'], ['en', 'common.inEnglish']] as const;

function translatedLabels(t: T, name: string, label: string): Record<string, string> {
  return Object.fromEntries(LANGS.map(([l, k]) => [`${name}_${l}`, `${label} (${t(k)})`]));
}

/** The three language versions of a content field; French is the one required. */
function TranslatedInputs({ name, label, form, required, rows }: { name: string; label: string; form: FormState; required?: boolean; rows?: number }) {
  const labels = translatedLabels(useView().t, name, label);
  return (
    <>
      {LANGS.map(([l]) => rows
        ? <TextArea name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} rows={rows} />
        : <Field name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} dir={l === 'ar' ? 'rtl' : undefined} />)}
    </>
  );
}

const instOptions = (t: T, locale: Locale, list: Institution[]) =>
  list.map((i) => ({ value: String(i.id), label: `${tr(i.name, locale)} (${t(`institutions.kind.${i.kind}`)})` }));
const choices = (t: T, group: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`monitoring.${group}.${v}`) }));
const adminCrumb = (t: T) => ({ label: t('admin.home'), path: '/admin' });

// ---------- The report ----------

function Addressee({ rec }: { rec: RecommendationView }) {
  return <>{rec.institution && <Tr value={rec.institution.name} />}{rec.institution && rec.addressedTo && ' — '}{rec.addressedTo && <span dir="auto">{rec.addressedTo}</span>}</>;
}

function Answer({ response }: { response: ResponseView | null }) {
  const { t, locale } = useView();
  if (!response) return <p><span class="badge neutral">{t('monitoring.noAnswer')}</span></p>;
  return (
    <>
      <dl class="kv">
        <dt>{t('monitoring.decisionLabel')}</dt><dd><Badge group="decision" value={response.decision} /></dd>
        {response.status && <><dt>{t('monitoring.statusLabel')}</dt><dd><Badge group="progress" value={response.status} />{response.late && <> <span class="badge bad">{t('monitoring.late')}</span></>}</dd></>}
        <dt>{response.decision === 'rejected' ? t('monitoring.rejectionReason') : t('monitoring.measure')}</dt><dd><TrText value={response.measure} /></dd>
        {response.owner && <><dt>{t('monitoring.owner')}</dt><dd><Tr value={response.owner.name} /></dd></>}
        {response.dueDate && <><dt>{t('monitoring.dueDate')}</dt><dd>{formatDate(locale, response.dueDate)}</dd></>}
        <dt>{t('monitoring.answeredOn')}</dt><dd>{formatDate(locale, response.respondedAt)}</dd>
      </dl>
      {response.updates.length > 0 && (
        <>
          <p><strong>{t('monitoring.updates')}</strong></p>
          <ol class="timeline">
            {response.updates.map((u) => (
              <li><time dateTime={u.onDate}>{formatDate(locale, u.onDate)}</time> — <Badge group="progress" value={u.status} /><TrText value={u.note} /></li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function AssessmentDetail({ a, level }: { a: AssessmentView; level: 3 | 4 }) {
  const { t } = useView();
  const H = level === 3 ? 'h3' : 'h4';
  return (
    <article class="card" id={`assessment-${a.commitmentId}`}>
      <H>{a.number}. <Tr value={a.title} /></H>
      <p><Badge group="completion" value={a.completion} /> {a.openGov ? <Badge group="openGov" value={a.openGov} /> : <span class="badge neutral">{t('monitoring.openGovNotYet')}</span>}</p>
      <TrText value={a.justification} />
      {(a.links.length > 0 || a.files.length > 0) && <p><strong>{t('monitoring.evidence')}</strong></p>}
      <Links links={a.links} />
      <FileLinks files={a.files} />
    </article>
  );
}

/** The body of a report (shared by the public page, its PDF and the monitor's preview). */
export function ReportBody({ report }: { report: ReportView }) {
  const { t } = useView();
  return (
    <>
      {report.sections.map((s) => (
        <section aria-labelledby={`section-${s.id}`}>
          <h2 id={`section-${s.id}`}><Tr value={s.heading} /></h2>
          <TrText value={s.body} />
        </section>
      ))}
      <section aria-labelledby="assessments-title">
        <h2 id="assessments-title">{t('monitoring.assessments')}</h2>
        {report.assessments.length === 0 ? <p>{t('monitoring.noAssessments')}</p> : (
          <>
            <Table caption={t('monitoring.assessmentsCaption')} head={[t('monitoring.commitment'), t('monitoring.completionLabel'), t('monitoring.openGovLabel')]}
              rows={report.assessments.map((a) => [<a href={`#assessment-${a.commitmentId}`}>{a.number}. <Tr value={a.title} /></a>, <Badge group="completion" value={a.completion} />, a.openGov ? <Badge group="openGov" value={a.openGov} /> : t('monitoring.openGovNotYet')])} />
            {report.assessments.map((a) => <AssessmentDetail a={a} level={3} />)}
          </>
        )}
      </section>
      <section aria-labelledby="recommendations-title">
        <h2 id="recommendations-title">{t('monitoring.recommendations')}</h2>
        {report.recommendations.length === 0 ? <p>{t('monitoring.noRecommendations')}</p> : report.recommendations.map((r) => (
          <article class="card recommendation" id={`recommendation-${r.number}`}>
            <h3>{t('monitoring.recommendationN', { n: r.number })} <Badge group="priority" value={r.priority} /></h3>
            <TrText value={r.body} />
            <p><strong>{t('monitoring.addressedTo')}</strong> <Addressee rec={r} /></p>
            <h4>{t('monitoring.communeAnswer')}</h4>
            <Answer response={r.response} />
          </article>
        ))}
      </section>
    </>
  );
}

function VersionHistory({ report, base }: { report: ReportView; base: string }) {
  const view = useView();
  const { t, locale } = view;
  const published = report.versions.filter((v) => v.status === 'published');
  if (published.length === 0) return null;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('monitoring.history')}</h2>
      <ol class="timeline">
        {published.map((v) => (
          <li>
            {v.version === report.version.version ? <strong>{t('monitoring.versionN', { n: v.version })}</strong>
              : <a href={href(view, `${base}?version=${v.version}`)}>{t('monitoring.versionN', { n: v.version })}</a>}
            {' — '}{t('monitoring.publishedOn', { date: formatDate(locale, v.publishedAt) })}
            {v.version > 1 && <TrText value={v.correctionNote} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ReportMeta({ report, monitorName }: { report: ReportView; monitorName: Translated | null }) {
  const view = useView();
  const { t, locale } = view;
  const v = report.version;
  return (
    <dl class="kv">
      <dt>{t('monitoring.plan')}</dt><dd><a href={href(view, `/plans/${report.plan.slug}`)}><Tr value={report.plan.title} /></a></dd>
      <dt>{t('monitoring.year')}</dt><dd>{report.year}</dd>
      {monitorName && <><dt>{t('monitoring.author')}</dt><dd><Tr value={monitorName} /></dd></>}
      <dt>{t('monitoring.version')}</dt><dd>{t('monitoring.versionN', { n: v.version })} — {v.publishedAt ? t('monitoring.publishedOn', { date: formatDate(locale, v.publishedAt) }) : <Badge group="versionStatus" value={v.status} />}</dd>
    </dl>
  );
}

export function PrintHelp() {
  const { t } = useView();
  return (
    <details class="no-print">
      <summary>{t('monitoring.printHow')}</summary>
      <ol>
        <li>{t('monitoring.printStep1')}</li>
        <li>{t('monitoring.printStep2')}</li>
        <li>{t('monitoring.printStep3')}</li>
      </ol>
    </details>
  );
}

export function PublicReportPage({ report, thread, pdf, print, monitorName }: { report: ReportView; thread: CommentThread | null; pdf: boolean; print: boolean; monitorName: Translated | null }) {
  const view = useView();
  const { t } = view;
  const base = `/monitoring/${report.id}`;
  const latest = report.versions.filter((v) => v.status === 'published').at(-1);
  const isLatest = latest?.version === report.version.version;
  return (
    <article class="report-doc">
      {!print && <Breadcrumbs items={[{ label: t('plans.title'), path: '/plans' }, { label: tr(report.plan.title, view.locale), path: `/plans/${report.plan.slug}` }, { label: t('monitoring.listTitle'), path: `/plans/${report.plan.slug}/monitoring` }, { label: String(report.year) }]} />}
      <h1><Tr value={report.version.title} /> {report.sample && <SampleBadge />}</h1>
      {!isLatest && latest && <p class="flash info" role="status">{t('monitoring.olderVersion', { n: report.version.version, latest: latest.version })} <a href={href(view, base)}>{t('monitoring.seeLatest')}</a></p>}
      <ReportMeta report={report} monitorName={monitorName} />
      {!print && (
        <div class="actions no-print">
          {pdf && <a class="button secondary" href={href(view, `${base}.pdf${isLatest ? '' : `?version=${report.version.version}`}`)} download>{t('monitoring.downloadPdf')}</a>}
        </div>
      )}
      {!print && <PrintHelp />}
      <ReportBody report={report} />
      <VersionHistory report={report} base={base} />
      {!print && thread && <Comments thread={thread} returnTo={base} />}
    </article>
  );
}

/** When Chromium is not installed: how to make the PDF from the browser. */
export function PdfUnavailablePage({ report }: { report: ReportView }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('monitoring.pdfTitle')}</h1>
      <p class="lead">{t('monitoring.pdfUnavailable')}</p>
      <ol>
        <li>{t('monitoring.printStep1')}</li>
        <li>{t('monitoring.printStep2')}</li>
        <li>{t('monitoring.printStep3')}</li>
      </ol>
      <p><a class="button primary" href={href(view, `/monitoring/${report.id}`)}>{t('monitoring.openReport')}</a></p>
    </section>
  );
}

export function PlanMonitoringPage({ plan, reports, endAssessments }: { plan: { slug: string; title: Translated }; reports: ReportSummary[]; endAssessments: EndAssessmentView[] }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('plans.title'), path: '/plans' }, { label: tr(plan.title, locale), path: `/plans/${plan.slug}` }, { label: t('monitoring.listTitle') }]} />
      <h1>{t('monitoring.listTitle')}</h1>
      <p class="lead">{t('monitoring.listIntro')}</p>
      {reports.length === 0 ? <p>{t('monitoring.noReports')}</p> : (
        <ul class="cards">
          {reports.map((r) => (
            <li class="card">
              <h2><a href={href(view, `/monitoring/${r.id}`)}><Tr value={r.title} /></a> {r.sample && <SampleBadge />}</h2>
              <p>{t('monitoring.yearOf', { year: r.year })} · {t('monitoring.versionN', { n: r.version })} · {t('monitoring.publishedOn', { date: formatDate(locale, r.publishedAt) })}</p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="end-title">
        <h2 id="end-title">{t('monitoring.endTitle')}</h2>
        <p>{t('monitoring.endIntro')}</p>
        {endAssessments.length === 0 ? <p>{t('monitoring.noEnd')}</p> : endAssessments.map((e) => (
          <article class="card" id={`end-${e.commitmentId}`}>
            <h3>{e.number}. <Tr value={e.title} /> {e.sample && <SampleBadge />}</h3>
            <p><strong>{t('monitoring.openGovLabel')}</strong> <Badge group="openGov" value={e.openGov} /></p>
            <TrText value={e.justification} />
            <FileLinks files={e.files} />
          </article>
        ))}
      </section>
    </section>
  );
}

// ---------- The monitor's pages ----------

export function AdminListPage({ reports, plans, form, canWrite }: { reports: ReportSummary[]; plans: { id: number; title: Translated }[]; form: FormState; canWrite: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const labels = { plan_id: t('monitoring.plan'), year: t('monitoring.year'), ...translatedLabels(t, 'title', t('monitoring.title')) };
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.adminTitle') }]} />
      <h1>{t('monitoring.adminTitle')}</h1>
      <p class="lead">{t('monitoring.adminIntro')}</p>
      <Table caption={t('monitoring.reportsCaption')} head={[t('monitoring.title'), t('monitoring.plan'), t('monitoring.year'), t('monitoring.version'), t('monitoring.statusLabel')]}
        rows={reports.map((r) => [
          <><a href={href(view, `/admin/monitoring/${r.id}`)}><Tr value={r.title} /></a> {r.sample && <SampleBadge />}</>,
          <Tr value={r.planTitle} />, String(r.year), t('monitoring.versionN', { n: r.version }),
          <Badge group="versionStatus" value={r.status} />,
        ])} />
      {canWrite && (
        <>
          <h2>{t('monitoring.newReport')}</h2>
          <ErrorSummary form={form} labels={labels} />
          <Form action={href(view, '/admin/monitoring')}>
            <Select name="plan_id" label={labels.plan_id} form={form} required blank={t('common.choose')} options={plans.map((p) => ({ value: String(p.id), label: tr(p.title, locale) }))} />
            <Field name="year" type="number" inputmode="numeric" label={labels.year} form={form} required />
            <TranslatedInputs name="title" label={t('monitoring.title')} form={form} required />
            <div class="actions"><Button>{t('monitoring.create')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

function RowButton({ action, children, kind = 'secondary' }: { action: string; children: ComponentChildren; kind?: 'secondary' | 'danger' }) {
  return <Form action={action} class="inline"><Button kind={kind}>{children}</Button></Form>;
}

export function EditorPage({ report, titleForm, correctionForm, publishForm }: { report: ReportView; titleForm: FormState; correctionForm: FormState; publishForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const v = report.version;
  const draft = v.status === 'draft';
  const base = `/admin/monitoring/${report.id}`;
  const hasPublished = report.versions.some((x) => x.status === 'published');
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.adminTitle'), path: '/admin/monitoring' }, { label: `${report.year} — ${tr(v.title, locale)}` }]} />
      <h1><Tr value={v.title} /> {report.sample && <SampleBadge />}</h1>
      <p>{t('monitoring.versionN', { n: v.version })} <Badge group="versionStatus" value={v.status} /> · <Tr value={report.plan.title} /> · {report.year}</p>
      {/* A refusal of a form this state of the report does not show (publishing a published version, a second correction) */}
      <ErrorSummary form={draft ? correctionForm : publishForm} labels={draft ? translatedLabels(t, 'note', t('monitoring.correctionNote')) : {}} />
      <ul class="actions">
        {hasPublished && <li><a href={href(view, `/monitoring/${report.id}`)}>{t('monitoring.publicPage')}</a></li>}
        <li><a href={href(view, `${base}/preview`)}>{t('monitoring.preview')}</a></li>
      </ul>
      {!draft ? (
        <>
          <p class="flash info" role="status">{t('monitoring.frozenNotice', { date: formatDate(locale, v.publishedAt) })}</p>
          <h2>{t('monitoring.correctionTitle')}</h2>
          <p>{t('monitoring.correctionIntro')}</p>
          <ErrorSummary form={correctionForm} labels={translatedLabels(t, 'note', t('monitoring.correctionNote'))} />
          <Form action={href(view, `${base}/correction`)}>
            <TranslatedInputs name="note" label={t('monitoring.correctionNote')} form={correctionForm} required rows={3} />
            <div class="actions"><Button>{t('monitoring.startCorrection')}</Button></div>
          </Form>
        </>
      ) : (
        <>
          {v.version > 1 && <div class="flash info" role="status"><p>{t('monitoring.correctionDraft', { n: v.version })}</p><TrText value={v.correctionNote} /></div>}
          <h2>{t('monitoring.title')}</h2>
          <ErrorSummary form={titleForm} labels={translatedLabels(t, 'title', t('monitoring.title'))} />
          <Form action={href(view, `${base}/title`)}>
            <TranslatedInputs name="title" label={t('monitoring.title')} form={titleForm} required />
            <div class="actions"><Button kind="secondary">{t('common.save')}</Button></div>
          </Form>
        </>
      )}

      <h2>{t('monitoring.sections')}</h2>
      <Table caption={t('monitoring.sections')} head={[t('monitoring.heading'), ...(draft ? [t('common.actions')] : [])]}
        rows={report.sections.map((s, i) => [
          draft ? <a href={href(view, `${base}/sections/${s.id}`)}><Tr value={s.heading} /></a> : <Tr value={s.heading} />,
          ...(draft ? [<>
            {i > 0 && <RowButton action={href(view, `${base}/sections/${s.id}/up`)}>{t('monitoring.moveUp')}<span class="visually-hidden"> — {tr(s.heading, locale)}</span></RowButton>}{' '}
            {i < report.sections.length - 1 && <RowButton action={href(view, `${base}/sections/${s.id}/down`)}>{t('monitoring.moveDown')}<span class="visually-hidden"> — {tr(s.heading, locale)}</span></RowButton>}{' '}
            <RowButton kind="danger" action={href(view, `${base}/sections/${s.id}/delete`)}>{t('common.delete')}<span class="visually-hidden"> — {tr(s.heading, locale)}</span></RowButton>
          </>] : []),
        ])} />
      {draft && <p><a class="button secondary" href={href(view, `${base}/sections/new`)}>{t('monitoring.addSection')}</a></p>}

      <h2>{t('monitoring.assessments')}</h2>
      <Table caption={t('monitoring.assessments')} head={[t('monitoring.commitment'), t('monitoring.completionLabel'), t('monitoring.openGovLabel'), ...(draft ? [t('common.actions')] : [])]}
        rows={report.assessments.map((a) => [
          draft ? <a href={href(view, `${base}/assessments/${a.id}`)}>{a.number}. <Tr value={a.title} /></a> : <>{a.number}. <Tr value={a.title} /></>,
          <Badge group="completion" value={a.completion} />, a.openGov ? <Badge group="openGov" value={a.openGov} /> : t('monitoring.openGovNotYet'),
          ...(draft ? [<RowButton kind="danger" action={href(view, `${base}/assessments/${a.id}/delete`)}>{t('common.delete')}<span class="visually-hidden"> — {a.number}</span></RowButton>] : []),
        ])} />
      {draft && <p><a class="button secondary" href={href(view, `${base}/assessments/new`)}>{t('monitoring.addAssessment')}</a></p>}

      <h2>{t('monitoring.recommendations')}</h2>
      <Table caption={t('monitoring.recommendations')} head={[t('monitoring.recommendation'), t('monitoring.addressedTo'), t('monitoring.priorityLabel'), ...(draft ? [t('common.actions')] : [])]}
        rows={report.recommendations.map((r) => [
          draft ? <a href={href(view, `${base}/recommendations/${r.id}`)}>{t('monitoring.recommendationN', { n: r.number })}</a> : t('monitoring.recommendationN', { n: r.number }),
          <Addressee rec={r} />, <Badge group="priority" value={r.priority} />,
          ...(draft ? [<RowButton kind="danger" action={href(view, `${base}/recommendations/${r.id}/delete`)}>{t('common.delete')}<span class="visually-hidden"> — {t('monitoring.recommendationN', { n: r.number })}</span></RowButton>] : []),
        ])} />
      {draft && <p><a class="button secondary" href={href(view, `${base}/recommendations/new`)}>{t('monitoring.addRecommendation')}</a></p>}

      {draft && (
        <>
          <h2>{t('monitoring.publishTitle')}</h2>
          <ErrorSummary form={publishForm} labels={{}} />
          <p>{t('monitoring.publishIntro')}</p>
          <Form action={href(view, `${base}/publish`)}><div class="actions"><Button>{t('monitoring.publish')}</Button></div></Form>
        </>
      )}
      <VersionHistory report={report} base={`/monitoring/${report.id}`} />
    </section>
  );
}

export function PreviewPage({ report, monitorName }: { report: ReportView; monitorName: Translated | null }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <article class="report-doc">
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.adminTitle'), path: '/admin/monitoring' }, { label: `${report.year} — ${tr(report.version.title, locale)}`, path: `/admin/monitoring/${report.id}` }, { label: t('monitoring.preview') }]} />
      <h1><Tr value={report.version.title} /></h1>
      <p class="flash info" role="status">{t('monitoring.previewNotice')}</p>
      <ReportMeta report={report} monitorName={monitorName} />
      <ReportBody report={report} />
    </article>
  );
}

function EditCrumbs({ report, label }: { report: ReportView; label: string }) {
  const { t, locale } = useView();
  return <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.adminTitle'), path: '/admin/monitoring' }, { label: `${report.year} — ${tr(report.version.title, locale)}`, path: `/admin/monitoring/${report.id}` }, { label }]} />;
}

export function SectionPage({ report, sectionId, form }: { report: ReportView; sectionId: number | null; form: FormState }) {
  const view = useView();
  const { t } = view;
  const title = sectionId ? t('monitoring.editSection') : t('monitoring.addSection');
  const labels = { ...translatedLabels(t, 'heading', t('monitoring.heading')), ...translatedLabels(t, 'body', t('monitoring.body')) };
  return (
    <section>
      <EditCrumbs report={report} label={title} />
      <h1>{title}</h1>
      <p class="hint">{t('monitoring.bodyHint')}</p>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/monitoring/${report.id}/sections/${sectionId ?? 'new'}`)}>
        <TranslatedInputs name="heading" label={t('monitoring.heading')} form={form} required />
        <TranslatedInputs name="body" label={t('monitoring.body')} form={form} required rows={12} />
        <div class="actions"><Button>{t('common.save')}</Button><a href={href(view, `/admin/monitoring/${report.id}`)}>{t('common.cancel')}</a></div>
      </Form>
    </section>
  );
}

function FilesField({ files, form }: { files: FileRef[]; form: FormState }) {
  const { t } = useView();
  const err = form.errors.files;
  return (
    <>
      {files.length > 0 && (
        <Choices name="remove_file" label={t('monitoring.removeFiles')} form={form} multiple options={files.map((f) => ({ value: String(f.id), label: f.name }))} />
      )}
      <div class={`field${err ? ' has-error' : ''}`}>
        <label for="f-files">{t('monitoring.addFiles')}</label>
        <p class="hint" id="h-files">{t('monitoring.filesHint', { max: MAX_FILES })}</p>
        {err && <p class="field-error" id="e-files"><span class="visually-hidden">{t('form.error')}: </span>{t(err.key, err.params as any)}</p>}
        <input id="f-files" name="files" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp" aria-describedby={err ? 'h-files e-files' : 'h-files'} aria-invalid={err ? 'true' : undefined} />
      </div>
    </>
  );
}

export function AssessmentPage({ report, assessment, commitments, form }: { report: ReportView; assessment: AssessmentView | null; commitments: CommitmentChoice[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const title = assessment ? t('monitoring.editAssessment') : t('monitoring.addAssessment');
  const labels = {
    commitment_id: t('monitoring.commitment'), completion: t('monitoring.completionLabel'), open_gov: t('monitoring.openGovLabel'),
    ...translatedLabels(t, 'justification', t('monitoring.justification')), links: t('monitoring.links'), files: t('monitoring.addFiles'),
  };
  return (
    <section>
      <EditCrumbs report={report} label={title} />
      <h1>{title}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/monitoring/${report.id}/assessments/${assessment?.id ?? 'new'}`)} enctype="multipart/form-data">
        <Select name="commitment_id" label={labels.commitment_id} form={form} required blank={t('common.choose')}
          options={commitments.map((c) => ({ value: String(c.id), label: `${'— '.repeat(c.depth)}${c.number}. ${tr(c.title, locale)}` }))} />
        <Choices name="completion" label={labels.completion} form={form} required options={choices(t, 'completion', COMPLETION)} />
        <Choices name="open_gov" label={labels.open_gov} form={form} hint={t('monitoring.openGovHint')}
          options={[{ value: '', label: t('monitoring.openGovNotYet') }, ...choices(t, 'openGov', OPEN_GOV)]} />
        <TranslatedInputs name="justification" label={t('monitoring.justification')} form={form} required rows={6} />
        <TextArea name="links" label={labels.links} form={form} rows={3} hint={t('monitoring.linksHint', { max: MAX_LINKS })} />
        <FilesField files={assessment?.files ?? []} form={form} />
        <div class="actions"><Button>{t('common.save')}</Button><a href={href(view, `/admin/monitoring/${report.id}`)}>{t('common.cancel')}</a></div>
      </Form>
    </section>
  );
}

export function RecommendationPage({ report, recId, institutions, form }: { report: ReportView; recId: number | null; institutions: Institution[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const title = recId ? t('monitoring.editRecommendation') : t('monitoring.addRecommendation');
  const labels = {
    ...translatedLabels(t, 'body', t('monitoring.recommendation')), institution_id: t('monitoring.addressedInstitution'),
    addressed_to: t('monitoring.addressedFree'), priority: t('monitoring.priorityLabel'),
  };
  return (
    <section>
      <EditCrumbs report={report} label={title} />
      <h1>{title}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/monitoring/${report.id}/recommendations/${recId ?? 'new'}`)}>
        <TranslatedInputs name="body" label={t('monitoring.recommendation')} form={form} required rows={5} />
        <Select name="institution_id" label={labels.institution_id} form={form} blank={t('common.none')} options={instOptions(t, locale, institutions)} hint={t('monitoring.addresseeHint')} />
        <Field name="addressed_to" label={labels.addressed_to} form={form} />
        <Choices name="priority" label={labels.priority} form={form} required options={choices(t, 'priority', PRIORITIES)} />
        <div class="actions"><Button>{t('common.save')}</Button><a href={href(view, `/admin/monitoring/${report.id}`)}>{t('common.cancel')}</a></div>
      </Form>
    </section>
  );
}

// ---------- The commune's answers ----------

export function ResponsesPage({ groups }: { groups: { report: ReportSummary; recommendations: RecommendationView[] }[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.responsesTitle') }]} />
      <h1>{t('monitoring.responsesTitle')}</h1>
      <p class="lead">{t('monitoring.responsesIntro')}</p>
      {groups.length === 0 && <p>{t('monitoring.noReports')}</p>}
      {groups.map((g) => (
        <Table caption={`${g.report.year} — ${tr(g.report.title, view.locale)}`}
          head={[t('monitoring.recommendation'), t('monitoring.priorityLabel'), t('monitoring.decisionLabel'), t('monitoring.statusLabel')]}
          rows={g.recommendations.map((r) => [
            <a href={href(view, `/admin/monitoring/${g.report.id}/answers/${r.number}`)}>{t('monitoring.recommendationN', { n: r.number })}</a>,
            <Badge group="priority" value={r.priority} />,
            r.response ? <Badge group="decision" value={r.response.decision} /> : <span class="badge bad">{t('monitoring.noAnswer')}</span>,
            r.response?.status ? <><Badge group="progress" value={r.response.status} />{r.response.late && <> <span class="badge bad">{t('monitoring.late')}</span></>}</> : '—',
          ])} />
      ))}
    </section>
  );
}

export function AnswerPage({ report, rec, institutions, form, updateForm }: { report: ReportView; rec: RecommendationView; institutions: Institution[]; form: FormState; updateForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const base = `/admin/monitoring/${report.id}/answers/${rec.number}`;
  const labels = {
    decision: t('monitoring.decisionLabel'), ...translatedLabels(t, 'measure', t('monitoring.measure')), owner_institution_id: t('monitoring.owner'),
    due_date: t('monitoring.dueDate'), status: t('monitoring.statusLabel'),
  };
  const uLabels = { on_date: t('monitoring.updateDate'), status: t('monitoring.statusLabel'), ...translatedLabels(t, 'note', t('monitoring.updateNote')) };
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.responsesTitle'), path: '/admin/monitoring/responses' }, { label: t('monitoring.recommendationN', { n: rec.number }) }]} />
      <h1>{t('monitoring.recommendationN', { n: rec.number })}</h1>
      <p><Tr value={report.version.title} /> · <a href={href(view, `/monitoring/${report.id}#recommendation-${rec.number}`)}>{t('monitoring.publicPage')}</a></p>
      <blockquote class="card">
        <TrText value={rec.body} />
        <p><strong>{t('monitoring.addressedTo')}</strong> <Addressee rec={rec} /> · <Badge group="priority" value={rec.priority} /></p>
      </blockquote>
      <h2>{t('monitoring.communeAnswer')}</h2>
      <Answer response={rec.response} />
      <h2>{rec.response ? t('monitoring.amendAnswer') : t('monitoring.giveAnswer')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, base)}>
        <Choices name="decision" label={labels.decision} form={form} required options={choices(t, 'decision', DECISIONS)} />
        <TranslatedInputs name="measure" label={t('monitoring.measure')} form={form} required rows={4} />
        <Select name="owner_institution_id" label={labels.owner_institution_id} form={form} blank={t('common.choose')} options={instOptions(t, locale, institutions)} hint={t('monitoring.ownerHint')} />
        <Field name="due_date" type="date" label={labels.due_date} form={form} hint={t('monitoring.dueHint')} dir="ltr" />
        <Choices name="status" label={labels.status} form={form} options={choices(t, 'progress', PROGRESS)} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      {rec.response && rec.response.decision !== 'rejected' && (
        <>
          <h2>{t('monitoring.addUpdate')}</h2>
          <ErrorSummary form={updateForm} labels={uLabels} />
          <Form action={href(view, `${base}/updates`)}>
            <Field name="on_date" type="date" label={uLabels.on_date} form={updateForm} required dir="ltr" />
            <Choices name="status" label={uLabels.status} form={updateForm} required options={choices(t, 'progress', PROGRESS)} />
            <TranslatedInputs name="note" label={t('monitoring.updateNote')} form={updateForm} required rows={3} />
            <div class="actions"><Button>{t('monitoring.addUpdate')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------- End-of-commitment assessments ----------

export function EndListPage({ items }: { items: { commitmentId: number; number: string; title: Translated; planTitle: Translated; completion: string | null; assessment: EndAssessmentView | null }[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.endTitle') }]} />
      <h1>{t('monitoring.endTitle')}</h1>
      <p class="lead">{t('monitoring.endAdminIntro')}</p>
      <Table caption={t('monitoring.endCaption')} head={[t('monitoring.commitment'), t('monitoring.plan'), t('monitoring.completionLabel'), t('monitoring.openGovLabel')]}
        rows={items.map((i) => [
          <a href={href(view, `/admin/monitoring/end-assessments/${i.commitmentId}`)}>{i.number}. <Tr value={i.title} /></a>,
          <Tr value={i.planTitle} />,
          i.completion ? <Badge group="completion" value={i.completion} /> : '—',
          i.assessment ? <Badge group="openGov" value={i.assessment.openGov} /> : <span class="badge warn">{t('monitoring.toFill')}</span>,
        ])} />
    </section>
  );
}

export function EndFormPage({ data, form }: { data: { commitment: { id: number; number: string; title: Translated; planSlug: string }; completion: string | null; assessment: EndAssessmentView | null }; form: FormState }) {
  const view = useView();
  const { t } = view;
  const c = data.commitment;
  const labels = { open_gov: t('monitoring.openGovLabel'), ...translatedLabels(t, 'justification', t('monitoring.justification')), files: t('monitoring.addFiles') };
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('monitoring.endTitle'), path: '/admin/monitoring/end-assessments' }, { label: c.number }]} />
      <h1>{c.number}. <Tr value={c.title} /></h1>
      <dl class="kv"><dt>{t('monitoring.completionLabel')}</dt><dd>{data.completion ? <Badge group="completion" value={data.completion} /> : t('monitoring.notAssessed')}</dd></dl>
      {data.completion !== 'completed' ? <p class="flash error" role="alert">{t('monitoring.notCompleted')}</p> : (
        <>
          <ErrorSummary form={form} labels={labels} />
          <Form action={href(view, `/admin/monitoring/end-assessments/${c.id}`)} enctype="multipart/form-data">
            <Choices name="open_gov" label={labels.open_gov} form={form} required options={choices(t, 'openGov', OPEN_GOV)} />
            <TranslatedInputs name="justification" label={t('monitoring.justification')} form={form} required rows={6} />
            <FilesField files={data.assessment?.files ?? []} form={form} />
            <div class="actions"><Button>{t('common.save')}</Button></div>
          </Form>
        </>
      )}
      <p><a href={href(view, `/plans/${c.planSlug}/monitoring#end-${c.id}`)}>{t('monitoring.publicPage')}</a></p>
    </section>
  );
}

export type { VersionInfo };
