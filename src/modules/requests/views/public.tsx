import { useView, href } from '../../../core/ui/view.ts';
import { ErrorSummary, Field, TextArea, Select, Choices, Button, Form, Table, Pager, Breadcrumbs, Tr, SampleBadge, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, tr } from '../../../core/i18n/index.ts';
import type { Category, District, Question, PublicEvent } from '../service.ts';
import { MAX_PHOTOS } from '../service.ts';
import { StatusBadge, OverdueBadge, UserText, Answers, Photos, Timeline, CategoryName, DistrictName, excerpt, statusOptions } from './common.tsx';

/** The map enhancement: an ES module from this origin (the CSP allows no inline script). */
export function MapScript() {
  return <script type="module" src="/static/js/report-map.js"></script>;
}

// ---------- Step 1: choose a category ----------

export function ReportStart({ categories, form }: { categories: Category[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section class="narrow">
      <h1>{t('requests.reportTitle')}</h1>
      <p class="lead">{t('requests.reportIntro')}</p>
      <ErrorSummary form={form} labels={{ category: t('requests.category') }} />
      <form method="get" action={href(view, '/requests/new')} novalidate>
        <Choices name="category" label={t('requests.step1')} form={form} required
          options={categories.map((c) => ({ value: c.slug, label: tr(c.name, locale) }))} hint={t('requests.categoryHint')} />
        <div class="actions"><Button>{t('requests.continue')}</Button></div>
      </form>
      <h2 id="lookup">{t('requests.alreadyReported')}</h2>
      <LookupForm />
      <p><a href={href(view, '/requests')}>{t('requests.seeAll')}</a> · <a href={href(view, '/requests/map')}>{t('requests.seeMap')}</a></p>
    </section>
  );
}

export function LookupForm({ value = '', error }: { value?: string; error?: string }) {
  const view = useView();
  const { t } = view;
  const form: FormState = { values: { q: value }, errors: error ? { q: { key: error } } : {} };
  return (
    <form method="get" action={href(view, '/requests/lookup')} role="search" novalidate>
      <Field name="q" label={t('requests.lookupLabel')} hint={t('requests.lookupHint')} form={form} dir="ltr" autocomplete="off" />
      <div class="actions"><Button kind="secondary">{t('requests.lookupButton')}</Button></div>
    </form>
  );
}

// ---------- Step 2: the report itself ----------

function QuestionField({ q, form }: { q: Question; form: FormState }) {
  const { locale } = useView();
  const name = `q_${q.code}`;
  const label = tr(q.label, locale);
  const hint = tr(q.hint, locale) || undefined;
  switch (q.kind) {
    case 'single':
    case 'multiple':
      return <Choices name={name} label={label} hint={hint} form={form} required={q.required} multiple={q.kind === 'multiple'}
        options={q.options.map((o) => ({ value: o.value, label: tr(o.label, locale) }))} />;
    case 'number':
      return <Field name={name} label={label} hint={hint} form={form} required={q.required} inputmode="decimal" dir="ltr" />;
    case 'date':
      return <Field name={name} label={label} hint={hint} form={form} required={q.required} type="date" dir="ltr" />;
    default:
      return <TextArea name={name} label={label} hint={hint} form={form} required={q.required} rows={3} maxlength={1000} />;
  }
}

export function reportLabels(t: (k: string) => string, category: Category | null, locale: Parameters<typeof tr>[1]): Record<string, string> {
  const labels: Record<string, string> = {
    category: t('requests.category'), district: t('requests.district'), address: t('requests.address'), lat: t('requests.point'), lng: t('requests.point'),
    description: t('requests.description'), name: t('requests.name'), email: t('requests.email'), phone: t('requests.phone'), photos: t('requests.photos'),
    channel: t('requests.channelLabel'),
  };
  for (const q of category?.questions ?? []) labels[`q_${q.code}`] = tr(q.label, locale);
  return labels;
}

/** The place, description and contact fields, shared by the citizen's form and the counter's. */
export function ReportFields({ category, districts, form, tileUrl, counter = false }: { category: Category; districts: District[]; form: FormState; tileUrl: string; counter?: boolean }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <>
      {category.questions.length > 0 && (
        <fieldset>
          <legend>{t('requests.sectionDetails')}</legend>
          {category.questions.map((q) => <QuestionField q={q} form={form} />)}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('requests.sectionPlace')}</legend>
        <Select name="district" label={t('requests.district')} form={form} required blank={t('common.choose')}
          options={districts.map((d) => ({ value: d.slug, label: tr(d.name, locale) }))} hint={t('requests.districtHint')} />
        <Field name="address" label={t('requests.address')} hint={t('requests.addressHint')} form={form} autocomplete="street-address" maxlength={300} />
        <input type="hidden" name="lat" id="f-lat" value={String(form.values.lat ?? '')} />
        <input type="hidden" name="lng" id="f-lng" value={String(form.values.lng ?? '')} />
        {form.errors.lat && <p class="field-error" id="e-lat">{t(form.errors.lat.key)}</p>}
        <div class="report-map" data-report-map="" data-tile-url={tileUrl} data-label={t('requests.mapLabel')} data-placed={t('requests.mapPlaced')}
          data-clear={t('requests.mapClear')} data-centre={t('requests.mapCentre')} data-lat-input="f-lat" data-lng-input="f-lng"></div>
        <MapScript />
      </fieldset>
      <fieldset>
        <legend>{t('requests.sectionDescription')}</legend>
        <TextArea name="description" label={t('requests.description')} hint={t('requests.descriptionHint')} form={form} required rows={6} maxlength={4000} />
      </fieldset>
      <fieldset>
        <legend>{counter ? t('requests.sectionCitizen') : t('requests.sectionYou')}</legend>
        <p class="hint">{counter ? t('requests.counterPrivacy') : t('requests.privacyHint')}</p>
        <Field name="name" label={t('requests.name')} form={form} autocomplete={counter ? 'off' : 'name'} maxlength={120} />
        {!counter && <Choices name="name_public" label={t('requests.namePublicLegend')} form={form} multiple options={[{ value: '1', label: t('requests.namePublic') }]} />}
        <Field name="email" type="email" label={t('requests.email')} hint={counter ? undefined : t('requests.emailHint')} form={form} autocomplete={counter ? 'off' : 'email'} dir="ltr" />
        <Field name="phone" type="tel" label={t('requests.phone')} hint={t('requests.phoneHint')} form={form} autocomplete={counter ? 'off' : 'tel'} dir="ltr" />
      </fieldset>
    </>
  );
}

export function ReportForm({ category, districts, form, tileUrl }: { category: Category; districts: District[]; form: FormState; tileUrl: string }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('requests.reportTitle'), path: '/requests/new' }, { label: tr(category.name, locale) }]} />
      <h1>{t('requests.reportCategoryTitle', { category: tr(category.name, locale) })}</h1>
      {category.description && tr(category.description, locale) && <p class="lead"><Tr value={category.description} /></p>}
      <p>{t('requests.step2Intro')} <a href={href(view, '/requests/new')}>{t('requests.changeCategory')}</a></p>
      <ErrorSummary form={form} labels={reportLabels(t, category, locale)} />
      <Form action={href(view, '/requests/new/check')}>
        <input type="hidden" name="category" value={category.slug} />
        <ReportFields category={category} districts={districts} form={form} tileUrl={tileUrl} />
        <div class="actions"><Button>{t('requests.continue')}</Button></div>
      </Form>
    </section>
  );
}

/** Every typed value, carried to the next step in hidden fields. */
export function HiddenState({ values, except = [] }: { values: Record<string, unknown>; except?: string[] }) {
  const skip = new Set(['_csrf', 'photos', 'edit', ...except]);
  const out = [];
  for (const [k, v] of Object.entries(values)) {
    if (skip.has(k) || v === undefined || v === null || typeof v === 'object' && !Array.isArray(v)) continue;
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.push(<input type="hidden" name={k} value={String(x)} />);
  }
  return <>{out}</>;
}

export interface Similar { reference: string; status: string; description: string; address: string; created_at: string; distance: number | null }

export function ReportConfirm({ category, districts, form, similar, summary }: {
  category: Category; districts: District[]; form: FormState; similar: Similar[];
  summary: { districtId: number | null; address: string; description: string; answers: Record<string, unknown>; name: string; namePublic: boolean; email: string; phone: string; point: boolean };
}) {
  const view = useView();
  const { t, locale } = view;
  const photoError = form.errors.photos;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('requests.reportTitle'), path: '/requests/new' }, { label: tr(category.name, locale), path: `/requests/new?category=${category.slug}` }, { label: t('requests.checkTitle') }]} />
      <h1>{t('requests.checkTitle')}</h1>
      <ErrorSummary form={form} labels={reportLabels(t, category, locale)} />
      {similar.length > 0 && (
        <section aria-labelledby="similar-title" class="similar">
          <h2 id="similar-title">{t('requests.similarTitle')}</h2>
          <p>{t('requests.similarIntro')}</p>
          <ul class="cards">
            {similar.map((s) => (
              <li class="card">
                <h3><a href={href(view, `/requests/${s.reference}`)}>{s.reference}</a> <StatusBadge status={s.status} /></h3>
                <p dir="auto">{excerpt(s.description)}</p>
                <p class="muted">{s.address && <><span dir="auto">{s.address}</span> · </>}{formatDate(locale, s.created_at)}{s.distance !== null && <> · {t('requests.distance', { meters: formatNumber(locale, s.distance) })}</>}</p>
                <p><a href={href(view, `/requests/${s.reference}#follow`)}>{t('requests.followInstead')}</a></p>
              </li>
            ))}
          </ul>
          <p>{t('requests.similarElse')}</p>
        </section>
      )}
      <h2>{t('requests.yourReport')}</h2>
      <dl class="kv">
        <dt>{t('requests.category')}</dt><dd><Tr value={category.name} /></dd>
        <dt>{t('requests.district')}</dt><dd><DistrictName districts={districts} id={summary.districtId} /></dd>
        {summary.address && <><dt>{t('requests.address')}</dt><dd dir="auto">{summary.address}</dd></>}
        {summary.point && <><dt>{t('requests.point')}</dt><dd>{t('requests.pointGiven')}</dd></>}
        <dt>{t('requests.description')}</dt><dd><UserText text={summary.description} as="div" /></dd>
        <dt>{t('requests.name')}</dt><dd>{summary.name ? <>{summary.name} ({summary.namePublic ? t('requests.nameShown') : t('requests.nameHidden')})</> : t('requests.anonymous')}</dd>
        <dt>{t('requests.email')}</dt><dd dir="ltr">{summary.email || '—'}</dd>
        <dt>{t('requests.phone')}</dt><dd dir="ltr">{summary.phone || '—'}</dd>
      </dl>
      <Answers questions={category.questions} answers={summary.answers} />
      <Form action={href(view, '/requests/new')} enctype="multipart/form-data">
        <HiddenState values={form.values} />
        <div class={`field${photoError ? ' has-error' : ''}`}>
          <label for="f-photos">{t('requests.photos')}</label>
          <p class="hint" id="h-photos">{t('requests.photosHint', { max: MAX_PHOTOS })}</p>
          {photoError && <p class="field-error" id="e-photos"><span class="visually-hidden">{t('form.error')}: </span>{t(photoError.key, photoError.params as any)} {t('requests.photosAgain')}</p>}
          <input type="file" id="f-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple aria-describedby={`h-photos${photoError ? ' e-photos' : ''}`} aria-invalid={photoError ? 'true' : undefined} />
        </div>
        <div class="actions">
          <Button>{t('requests.send')}</Button>
          <button type="submit" class="button secondary" formaction={href(view, '/requests/new/edit')} formenctype="multipart/form-data" name="edit" value="1">{t('requests.modify')}</button>
        </div>
      </Form>
    </section>
  );
}

export function Submitted({ reference, code, email }: { reference: string; code: string | null; email: boolean }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow receipt">
      <h1>{t('requests.submittedTitle')}</h1>
      <div class="flash success" role="status"><p>{t('requests.submittedLead')}</p></div>
      <dl class="kv">
        <dt>{t('requests.reference')}</dt><dd dir="ltr"><strong>{reference}</strong></dd>
        {code && <><dt>{t('requests.trackingCode')}</dt><dd dir="ltr"><strong class="code">{code}</strong></dd></>}
      </dl>
      {code ? <p>{t('requests.codeKeep')}</p> : <p>{t('requests.codeShownOnce')}</p>}
      {email && <p>{t('requests.mailSent')}</p>}
      <ul>
        <li><a href={href(view, `/requests/${reference}`)}>{t('requests.seePublic')}</a></li>
        {code && <li><a href={href(view, `/requests/track/${code}`)}>{t('requests.manageLink')}</a></li>}
      </ul>
    </section>
  );
}

// ---------- The public list and map ----------

type ListRow = { id: number; reference: string; category_id: number; district_id: number | null; status: string; description: string; address: string; created_at: string; due_on: string; closed_at: string | null; sample: number };

export function ListFiltersForm({ categories, districts, values, action }: { categories: Category[]; districts: District[]; values: Record<string, string>; action: string }) {
  const view = useView();
  const { t, locale } = view;
  const form: FormState = { values, errors: {} };
  return (
    <form method="get" action={href(view, action)} class="filters" aria-label={t('requests.filtersLabel')}>
      <Select name="status" label={t('requests.statusLabel')} form={form} blank={t('requests.filter.all')} options={statusOptions(t)} />
      <Select name="category" label={t('requests.category')} form={form} blank={t('requests.filter.all')} options={categories.map((c) => ({ value: c.slug, label: tr(c.name, locale) }))} />
      <Select name="district" label={t('requests.district')} form={form} blank={t('requests.filter.all')} options={districts.map((d) => ({ value: d.slug, label: tr(d.name, locale) }))} />
      <Field name="from" type="date" label={t('requests.from')} form={form} dir="ltr" />
      <Field name="to" type="date" label={t('requests.to')} form={form} dir="ltr" />
      <div class="actions"><Button kind="secondary">{t('requests.filterButton')}</Button></div>
    </form>
  );
}

export function RequestList({ rows, total, capped, page, pageSize, categories, districts, query, today }: {
  rows: ListRow[]; total: number; capped: boolean; page: number; pageSize: number; categories: Category[]; districts: District[]; query: Record<string, string>; today: string;
}) {
  const view = useView();
  const { t, locale } = view;
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
  return (
    <section>
      <h1>{t('requests.listTitle')}</h1>
      <p class="lead">{t('requests.listIntro')}</p>
      <p class="actions"><a class="button" href={href(view, '/requests/new')}>{t('requests.reportTitle')}</a> <a class="button secondary" href={href(view, `/requests/map${qs ? `?${qs}` : ''}`)}>{t('requests.seeMap')}</a></p>
      <ListFiltersForm categories={categories} districts={districts} values={query} action="/requests" />
      <Table caption={capped ? t('requests.countCapped', { count: formatNumber(locale, total - 1) }) : t('requests.count', { count: total, n: formatNumber(locale, total) })}
        head={[t('requests.reference'), t('requests.category'), t('requests.district'), t('requests.statusLabel'), t('requests.date'), t('requests.description')]}
        rows={rows.map((r) => [
          <a href={href(view, `/requests/${r.reference}`)} dir="ltr">{r.reference}</a>,
          <><CategoryName categories={categories} id={r.category_id} />{r.sample ? <> <SampleBadge /></> : null}</>,
          <DistrictName districts={districts} id={r.district_id} />,
          <><StatusBadge status={r.status} />{!r.closed_at && r.due_on < today && <> <OverdueBadge /></>}</>,
          formatDate(locale, r.created_at),
          <span dir="auto">{excerpt(r.description, 90)}</span>,
        ])} />
      <Pager page={page} pageSize={pageSize} total={capped ? total - 1 : total} base={`/requests${qs ? `?${qs}` : ''}`} />
      <h2>{t('requests.lookupTitle')}</h2>
      <LookupForm />
      <p>{t('requests.downloads')} <a href={href(view, `/requests.csv${qs ? `?${qs}` : ''}`)}>CSV</a> · <a href={href(view, `/requests.json${qs ? `?${qs}` : ''}`)}>JSON</a></p>
    </section>
  );
}

export function MapPage({ categories, districts, query, recent, pointsUrl, tileUrl }: {
  categories: Category[]; districts: District[]; query: Record<string, string>; recent: ListRow[]; pointsUrl: string; tileUrl: string;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('requests.listTitle'), path: '/requests' }, { label: t('requests.mapTitle') }]} />
      <h1>{t('requests.mapTitle')}</h1>
      <ListFiltersForm categories={categories} districts={districts} values={query} action="/requests/map" />
      <div class="requests-map" data-requests-map="" data-points-url={pointsUrl} data-tile-url={tileUrl} data-label={t('requests.mapLabel')}></div>
      <p class="map-note">{t('requests.mapNoJs')}</p>
      <MapScript />
      <h2>{t('requests.byDistrict')}</h2>
      <ul class="tags">
        {districts.map((d) => <li><a href={href(view, `/requests?district=${d.slug}`)}><Tr value={d.name} /></a></li>)}
      </ul>
      <h2>{t('requests.latest')}</h2>
      <ul>
        {recent.map((r) => (
          <li><a href={href(view, `/requests/${r.reference}`)} dir="ltr">{r.reference}</a> — <CategoryName categories={categories} id={r.category_id} />, <DistrictName districts={districts} id={r.district_id} /> — <StatusBadge status={r.status} /> <span class="muted">{formatDate(locale, r.created_at)}</span></li>
        ))}
      </ul>
    </section>
  );
}

// ---------- A request's public page ----------

export interface PublicDetail {
  request: {
    reference: string; status: string; reject_reason: string | null; referral: string | null; public_note: string | null; description: string; address: string;
    lat: number | null; lng: number | null; channel: string; created_at: string; due_on: string; closed_at: string | null; within_target: number | null;
    satisfaction: number | null; fixed: number | null; contest_status: string; sample: number; public_name: string | null; reopen_count: number;
  };
  category: Category;
  district: District | null;
  institution: { kind: string; name: Record<string, string> } | null;
  events: PublicEvent[];
  photos: { id: number; kind: string }[];
  followers: number;
  duplicateOf: string | null;
  answers: Record<string, unknown>;
  overdue: boolean;
}

export function RequestDetail({ d, followForm, mine, staff }: { d: PublicDetail; followForm: FormState; mine: boolean; staff: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.request;
  const reportPhotos = d.photos.filter((p) => p.kind === 'report');
  const resolutionPhotos = d.photos.filter((p) => p.kind === 'resolution');
  return (
    <article>
      <Breadcrumbs items={[{ label: t('requests.listTitle'), path: '/requests' }, { label: r.reference }]} />
      <h1><span dir="ltr">{r.reference}</span> · <Tr value={d.category.name} /></h1>
      <p><StatusBadge status={r.status} />{d.overdue && <> <OverdueBadge /></>}{r.sample ? <> <SampleBadge /></> : null}</p>
      {d.duplicateOf && <p class="flash info">{t('requests.isDuplicate')} <a href={href(view, `/requests/${d.duplicateOf}`)} dir="ltr">{d.duplicateOf}</a></p>}
      {r.status === 'rejected' && r.referral && <div class="flash info"><p><strong>{t('requests.referral')}</strong></p><UserText text={r.referral} /></div>}
      {r.public_note && (r.status === 'resolved' || r.status === 'rejected') && <div class={`flash ${r.status === 'resolved' ? 'success' : 'info'}`}><p><strong>{t(`requests.answerTitle.${r.status}`)}</strong></p><UserText text={r.public_note} /></div>}
      <dl class="kv">
        <dt>{t('requests.district')}</dt><dd>{d.district ? <Tr value={d.district.name} /> : t('requests.noDistrict')}</dd>
        {r.address && <><dt>{t('requests.address')}</dt><dd dir="auto">{r.address}</dd></>}
        <dt>{t('requests.submittedOn')}</dt><dd>{formatDate(locale, r.created_at, true)} ({t(`requests.channel.${r.channel}`)})</dd>
        <dt>{t('requests.handledBy')}</dt><dd>{d.institution ? <Tr value={d.institution.name} /> : '—'}</dd>
        <dt>{t('requests.dueOn')}</dt><dd>{formatDate(locale, r.due_on)} <span class="muted">({t('requests.slaDays', { count: d.category.slaDays })})</span></dd>
        {r.closed_at && <><dt>{t('requests.closedOn')}</dt><dd>{formatDate(locale, r.closed_at)} — {r.within_target ? t('requests.withinTarget') : t('requests.lateTarget')}</dd></>}
        {r.satisfaction !== null && <><dt>{t('requests.satisfaction')}</dt><dd>{t('requests.rating', { rating: r.satisfaction })}{r.fixed !== null && <> · {r.fixed ? t('requests.saysFixed') : t('requests.saysNotFixed')}</>}</dd></>}
        <dt>{t('requests.reportedBy')}</dt><dd>{r.public_name ? <span dir="auto">{r.public_name}</span> : t('requests.anonymous')}</dd>
        <dt>{t('requests.followersLabel')}</dt><dd>{formatNumber(locale, d.followers)}</dd>
      </dl>
      <h2>{t('requests.description')}</h2>
      <UserText text={r.description} as="div" />
      <Answers questions={d.category.questions} answers={d.answers} />
      {reportPhotos.length > 0 && <><h2>{t('requests.photos')}</h2><Photos photos={reportPhotos} caption={t('requests.photoAlt', { reference: r.reference })} /></>}
      {resolutionPhotos.length > 0 && <><h2>{t('requests.resolutionPhotos')}</h2><Photos photos={resolutionPhotos} caption={t('requests.resolutionPhotoAlt', { reference: r.reference })} /></>}
      <h2>{t('requests.timeline')}</h2>
      <Timeline events={d.events} />
      <section aria-labelledby="follow-title" id="follow">
        <h2 id="follow-title">{t('requests.followTitle')}</h2>
        <p>{t('requests.followIntro')}</p>
        <ErrorSummary form={followForm} labels={{ email: t('requests.email') }} />
        <Form action={href(view, `/requests/${r.reference}/follow`)}>
          <Field name="email" type="email" label={t('requests.email')} form={followForm} required autocomplete="email" dir="ltr" />
          <div class="actions"><Button kind="secondary">{t('requests.followButton')}</Button></div>
        </Form>
      </section>
      <h2>{t('requests.yoursTitle')}</h2>
      {mine ? <p><a href={href(view, `/requests/${r.reference}/mine`)}>{t('requests.manageLink')}</a></p> : <p>{t('requests.yoursHint')} <a href={href(view, '/requests/new#lookup')}>{t('requests.lookupTitle')}</a></p>}
      {staff && <p><a href={href(view, `/admin/requests/${r.reference}`)}>{t('requests.staffFile')}</a></p>}
    </article>
  );
}

// ---------- The reporter's own page (tracking code, or signed in) ----------

export function ReporterPage({ r, base, options, forms, outcome }: {
  r: { reference: string; status: string; name_public: number; reporter_name: string | null; public_note: string | null; closed_at: string | null; contest_status: string };
  base: string;
  options: { hideName: boolean; feedback: boolean; canReopen: boolean; contest: boolean };
  forms: { feedback: FormState; contest: FormState; hideName?: FormState };
  outcome?: string;
}) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('requests.listTitle'), path: '/requests' }, { label: r.reference, path: `/requests/${r.reference}` }, { label: t('requests.manageTitle') }]} />
      <h1>{t('requests.manageHeading', { reference: r.reference })}</h1>
      {outcome && <div class="flash info" role="status"><p>{t(`requests.outcome.${outcome}`)}</p></div>}
      <p><StatusBadge status={r.status} /> <a href={href(view, `/requests/${r.reference}`)}>{t('requests.seePublic')}</a></p>
      {r.contest_status !== 'none' && <p>{t(`requests.contestState.${r.contest_status}`)}</p>}
      {/* A refusal of a form this state no longer shows (feedback already given, no contest possible, name already hidden) */}
      {!options.feedback && <ErrorSummary form={forms.feedback} labels={{ fixed: t('requests.isFixed'), satisfaction: t('requests.satisfaction'), comment: t('requests.comment') }} />}
      {!options.contest && <ErrorSummary form={forms.contest} labels={{ reason: t('requests.contestReason') }} />}
      {forms.hideName && <ErrorSummary form={forms.hideName} labels={{}} />}
      {options.feedback && (
        <section aria-labelledby="feedback-title">
          <h2 id="feedback-title">{t('requests.feedbackTitle')}</h2>
          {r.public_note && <UserText text={r.public_note} />}
          <ErrorSummary form={forms.feedback} labels={{ fixed: t('requests.isFixed'), satisfaction: t('requests.satisfaction'), comment: t('requests.comment') }} />
          <Form action={href(view, `${base}/feedback`)}>
            <Choices name="fixed" label={t('requests.isFixed')} form={forms.feedback} required options={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }]}
              hint={options.canReopen ? t('requests.reopenHint') : undefined} />
            <Choices name="satisfaction" label={t('requests.satisfaction')} form={forms.feedback} required
              options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(`requests.stars.${n}`) }))} />
            <TextArea name="comment" label={t('requests.comment')} hint={t('requests.commentHint')} form={forms.feedback} rows={3} maxlength={2000} />
            <div class="actions"><Button>{t('requests.feedbackButton')}</Button></div>
          </Form>
        </section>
      )}
      {options.contest && (
        <section aria-labelledby="contest-title">
          <h2 id="contest-title">{t('requests.contestTitle')}</h2>
          <p>{t('requests.contestIntro')}</p>
          <ErrorSummary form={forms.contest} labels={{ reason: t('requests.contestReason') }} />
          <Form action={href(view, `${base}/contest`)}>
            <TextArea name="reason" label={t('requests.contestReason')} form={forms.contest} required rows={5} maxlength={4000} />
            <div class="actions"><Button>{t('requests.contestButton')}</Button></div>
          </Form>
        </section>
      )}
      {options.hideName && (
        <section aria-labelledby="hide-title">
          <h2 id="hide-title">{t('requests.hideNameTitle')}</h2>
          <p>{t('requests.hideNameIntro')}</p>
          <Form action={href(view, `${base}/hide-name`)}><div class="actions"><Button kind="secondary">{t('requests.hideNameButton')}</Button></div></Form>
        </section>
      )}
      {!options.feedback && !options.contest && !options.hideName && <p>{t('requests.nothingToDo')}</p>}
    </section>
  );
}

/** A short message; with `action`, a button that posts to it (what a mail's link asks to confirm). */
export function MessagePage({ title, text, links, error, action }: { title: string; text: string; links?: { label: string; path: string }[]; error?: boolean; action?: { path: string; label: string } }) {
  const view = useView();
  return (
    <section class="narrow">
      <h1>{title}</h1>
      {error ? <p class="flash error" role="alert">{text}</p> : <p>{text}</p>}
      {action && <Form action={href(view, action.path)}><div class="actions"><Button>{action.label}</Button></div></Form>}
      {links && <ul>{links.map((l) => <li><a href={href(view, l.path)}>{l.label}</a></li>)}</ul>}
    </section>
  );
}

export function LookupPage({ value, error }: { value: string; error?: string }) {
  const { t } = useView();
  return (
    <section class="narrow">
      <h1>{t('requests.lookupTitle')}</h1>
      <LookupForm value={value} error={error} />
    </section>
  );
}
