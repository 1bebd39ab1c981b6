import { useView, href } from '../../../core/ui/view.ts';
import { ErrorSummary, Field, TextArea, Select, Choices, Button, Form, Table, Pager, Breadcrumbs, Tr, SampleBadge, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, tr, type Translated } from '../../../core/i18n/index.ts';
import type { Category, District, RequestView } from '../service.ts';
import { StatusBadge, OverdueBadge, UserText, Answers, Timeline, CategoryName, DistrictName, excerpt, statusOptions } from './common.tsx';
import { ReportFields, reportLabels } from './public.tsx';

type QueueRow = { id: number; reference: string; category_id: number; district_id: number | null; institution_id: number; status: string; description: string; address: string; channel: string; created_at: string; due_on: string; escalated_at: string | null; contest_status: string; sample: number; assignee_name: string | null };

export function StaffNav() {
  const view = useView();
  const { t } = view;
  const links = [
    { path: '/admin/requests', label: t('requests.queueTitle'), perm: 'requests.queue' },
    { path: '/admin/requests/new', label: t('requests.counterTitle'), perm: 'requests.report_for' },
    { path: '/admin/requests/contests', label: t('requests.contestsTitle'), perm: 'requests.mediate' },
    { path: '/admin/requests/categories', label: t('requests.categoriesTitle'), perm: 'requests.configure' },
    { path: '/admin/requests/districts', label: t('requests.districtsTitle'), perm: 'requests.configure' },
    { path: '/admin/requests/templates', label: t('requests.templatesTitle'), perm: 'requests.configure' },
    { path: '/admin/requests/holidays', label: t('requests.holidaysTitle'), perm: 'requests.configure' },
    { path: '/admin/requests/heads', label: t('requests.headsTitle'), perm: 'requests.configure' },
  ].filter((l) => view.can(l.perm));
  if (links.length < 2) return null;
  return (
    <nav aria-label={t('requests.staffNav')} class="subnav">
      <ul>{links.map((l) => <li><a href={href(view, l.path)} aria-current={view.path === l.path ? 'page' : undefined}>{l.label}</a></li>)}</ul>
    </nav>
  );
}

export function QueuePage({ rows, total, capped, page, pageSize, categories, districts, institutions, query, today, scoped }: {
  rows: QueueRow[]; total: number; capped: boolean; page: number; pageSize: number; categories: Category[]; districts: District[];
  institutions: { id: number; name: Translated }[]; query: Record<string, string>; today: string; scoped: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  const form: FormState = { values: query, errors: {} };
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('requests.queueTitle') }]} />
      <h1>{t('requests.queueTitle')}</h1>
      <StaffNav />
      {scoped && <p class="lead">{t('requests.queueScoped', { names: institutions.map((i) => tr(i.name, locale)).join(', ') })}</p>}
      <form method="get" action={href(view, '/admin/requests')} class="filters" aria-label={t('requests.filtersLabel')}>
        <Select name="status" label={t('requests.statusLabel')} form={form} options={[{ value: 'open', label: t('requests.filter.open') }, { value: 'overdue', label: t('requests.filter.overdue') }, ...statusOptions(t).slice(1), { value: 'all', label: t('requests.filter.all') }]} />
        <Select name="category" label={t('requests.category')} form={form} blank={t('requests.filter.all')} options={categories.map((c) => ({ value: c.slug, label: tr(c.name, locale) }))} />
        <Select name="district" label={t('requests.district')} form={form} blank={t('requests.filter.all')} options={districts.map((d) => ({ value: d.slug, label: tr(d.name, locale) }))} />
        <Choices name="mine" label={t('requests.assignedFilter')} form={form} multiple options={[{ value: '1', label: t('requests.assignedToMe') }]} />
        <div class="actions"><Button kind="secondary">{t('requests.filterButton')}</Button></div>
      </form>
      <Table caption={capped ? t('requests.countCapped', { count: total - 1 }) : t('requests.count', { count: total, n: total })}
        head={[t('requests.reference'), t('requests.category'), t('requests.district'), t('requests.statusLabel'), t('requests.dueOn'), t('requests.assignee'), t('requests.channelLabel'), t('requests.description')]}
        rows={rows.map((r) => [
          <a href={href(view, `/admin/requests/${r.reference}`)} dir="ltr">{r.reference}</a>,
          <><CategoryName categories={categories} id={r.category_id} />{r.sample ? <> <SampleBadge /></> : null}</>,
          <DistrictName districts={districts} id={r.district_id} />,
          <><StatusBadge status={r.status} />{r.contest_status === 'pending' && <> <span class="badge warn">{t('requests.contestPending')}</span></>}</>,
          <>{formatDate(locale, r.due_on)}{['submitted', 'acknowledged', 'in_progress', 'reopened'].includes(r.status) && r.due_on < today && <> <OverdueBadge /></>}{r.escalated_at && <> <span class="badge bad">{t('requests.escalated')}</span></>}</>,
          r.assignee_name ?? '—',
          t(`requests.channel.${r.channel}`),
          <span dir="auto">{excerpt(r.description, 70)}</span>,
        ])} />
      <Pager page={page} pageSize={pageSize} total={capped ? total - 1 : total} base={`/admin/requests${qs ? `?${qs}` : ''}`} />
    </section>
  );
}

export interface StaffFileData {
  request: RequestView;
  /** The reporter's email and phone, apart from the request's row; null when the actor may not see them. */
  contact: { email: string | null; phone: string | null } | null;
  category: Category;
  district: District | null;
  institution: { name: Translated; kind: string } | null;
  enteredBy: string | null;
  events: { id: number; at: string; kind: string; public: number; body: string | null; data: Record<string, unknown>; actor_name: string | null }[];
  photos: { id: number; kind: string; hidden: number }[];
  followers: number;
  contests: { id: number; reason: string; created_at: string; status: string; ruling: string | null; ruled_at: string | null }[];
  staff: { id: number; name: string }[];
  duplicates: string[];
  duplicateOf: string | null;
  handler: boolean;
  templates: { id: number; title: Translated }[];
}

export function StaffFile({ d, forms, overdue }: { d: StaffFileData; forms: Record<'answer' | 'assign' | 'internal' | 'ruling', FormState>; overdue: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.request;
  const open = ['submitted', 'acknowledged', 'in_progress', 'reopened'].includes(r.status);
  const base = `/admin/requests/${r.reference}`;
  const answerStatuses = open ? [
    ...(r.status === 'submitted' || r.status === 'reopened' ? ['acknowledged'] : []),
    ...(r.status !== 'in_progress' ? ['in_progress'] : []),
    'resolved', 'rejected',
  ] : [];
  const answerLabels = { status: t('requests.newStatus'), note: t('requests.publicNote'), reason: t('requests.rejectReason'), duplicate_of: t('requests.duplicateOf'), referral: t('requests.referral'), photo: t('requests.resolutionPhoto') };
  return (
    <article>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('requests.queueTitle'), path: '/admin/requests' }, { label: r.reference }]} />
      <h1><span dir="ltr">{r.reference}</span> · <Tr value={d.category.name} /></h1>
      {/* A refused form this state of the request no longer shows (an answer to a closed request, a ruling without a pending contest) */}
      {!(d.handler && open) && <ErrorSummary form={{ values: {}, errors: { ...forms.answer.errors, ...forms.assign.errors }, formError: forms.answer.formError ?? forms.assign.formError }} labels={{ ...answerLabels, assignee_id: t('requests.assignee') }} />}
      {!(d.contests.length > 0 && r.contest_status === 'pending' && view.can('requests.mediate')) && <ErrorSummary form={forms.ruling} labels={{ decision: t('requests.decision'), ruling: t('requests.ruling') }} />}
      <p><StatusBadge status={r.status} />{overdue && <> <OverdueBadge /></>}{r.escalated_at && <> <span class="badge bad">{t('requests.escalated')}</span></>}{r.sample ? <> <SampleBadge /></> : null} <a href={href(view, `/requests/${r.reference}`)}>{t('requests.seePublic')}</a></p>
      <dl class="kv">
        <dt>{t('requests.handledBy')}</dt><dd>{d.institution ? <><Tr value={d.institution.name} /> ({t(`institutions.kind.${d.institution.kind}`)})</> : '—'}</dd>
        <dt>{t('requests.district')}</dt><dd>{d.district ? <Tr value={d.district.name} /> : t('requests.noDistrict')}</dd>
        {r.address && <><dt>{t('requests.address')}</dt><dd dir="auto">{r.address}</dd></>}
        {r.lat !== null && r.lng !== null && <><dt>{t('requests.point')}</dt><dd dir="ltr">{r.lat.toFixed(5)}, {r.lng.toFixed(5)}</dd></>}
        <dt>{t('requests.submittedOn')}</dt><dd>{formatDate(locale, r.created_at, true)} — {t(`requests.channel.${r.channel}`)}{d.enteredBy && <> ({t('requests.enteredBy', { name: d.enteredBy })})</>}</dd>
        <dt>{t('requests.dueOn')}</dt><dd>{formatDate(locale, r.due_on)}</dd>
        <dt>{t('requests.assignee')}</dt><dd>{d.staff.find((s) => s.id === r.assignee_id)?.name ?? (r.assignee_id ? `#${r.assignee_id}` : '—')}</dd>
        <dt>{t('requests.followersLabel')}</dt><dd>{d.followers}</dd>
        {r.satisfaction !== null && <><dt>{t('requests.satisfaction')}</dt><dd>{t('requests.rating', { rating: r.satisfaction })}{r.fixed !== null && <> · {r.fixed ? t('requests.saysFixed') : t('requests.saysNotFixed')}</>}{r.satisfaction_comment && <UserText text={r.satisfaction_comment} />}</dd></>}
        {d.duplicateOf && <><dt>{t('requests.duplicateOf')}</dt><dd><a href={href(view, `/admin/requests/${d.duplicateOf}`)} dir="ltr">{d.duplicateOf}</a></dd></>}
        {d.duplicates.length > 0 && <><dt>{t('requests.duplicates')}</dt><dd>{d.duplicates.map((x, i) => <>{i > 0 && ', '}<a href={href(view, `/admin/requests/${x}`)} dir="ltr">{x}</a></>)}</dd></>}
      </dl>
      <section aria-labelledby="contact-title" class="private">
        <h2 id="contact-title">{t('requests.contactTitle')}</h2>
        <p class="hint">{t('requests.contactPrivate')}</p>
        <dl class="kv">
          <dt>{t('requests.name')}</dt><dd>{r.reporter_name ? <span dir="auto">{r.reporter_name}</span> : '—'} {r.reporter_name && <span class="muted">({r.name_public ? t('requests.nameShown') : t('requests.nameHidden')})</span>}</dd>
          {d.contact && <><dt>{t('requests.email')}</dt><dd dir="ltr">{d.contact.email ?? '—'}</dd>
          <dt>{t('requests.phone')}</dt><dd dir="ltr">{d.contact.phone ?? '—'}</dd></>}
          <dt>{t('requests.reporterLanguage')}</dt><dd>{r.reporter_locale}</dd>
        </dl>
        {view.can('requests.moderate') && r.name_public === 1 && (
          <Form action={href(view, `${base}/hide-name`)} class="inline"><Button kind="secondary">{t('requests.hideNameButton')}</Button></Form>
        )}
      </section>
      <h2>{t('requests.description')}</h2>
      <UserText text={r.description} as="div" />
      <Answers questions={d.category.questions} answers={JSON.parse(r.answers || '{}')} />
      {d.photos.length > 0 && (
        <>
          <h2>{t('requests.photos')}</h2>
          <ul class="photos">
            {d.photos.map((p, i) => (
              <li>
                <a href={href(view, `/requests/photos/${p.id}`)}><img src={href(view, `/requests/photos/${p.id}`)} alt={`${t(p.kind === 'resolution' ? 'requests.resolutionPhotoAlt' : 'requests.photoAlt', { reference: r.reference })} ${i + 1}`} width={320} height={240} loading="lazy" /></a>
                {p.hidden ? <p><span class="badge neutral">{t('requests.photoHidden')}</span></p> : null}
                {view.can('requests.moderate') && (
                  <Form action={href(view, `${base}/photos/${p.id}/${p.hidden ? 'show' : 'hide'}`)} class="inline">
                    <Button kind="secondary">{t(p.hidden ? 'requests.showPhoto' : 'requests.hidePhoto')}<span class="visually-hidden"> {i + 1}</span></Button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {d.contests.length > 0 && (
        <section aria-labelledby="contests-title">
          <h2 id="contests-title">{t('requests.contestsTitle')}</h2>
          {d.contests.map((c) => (
            <div class="card">
              <p class="muted">{formatDate(locale, c.created_at, true)} · {t(`requests.contestState.${c.status}`)}</p>
              <p><strong>{t('requests.contestReason')}</strong></p>
              <UserText text={c.reason} />
              {c.ruling && <><p><strong>{t('requests.ruling')}</strong> ({formatDate(locale, c.ruled_at)})</p><UserText text={c.ruling} /></>}
            </div>
          ))}
          {r.contest_status === 'pending' && view.can('requests.mediate') && (
            <>
              <h3>{t('requests.ruleTitle')}</h3>
              <ErrorSummary form={forms.ruling} labels={{ decision: t('requests.decision'), ruling: t('requests.ruling') }} />
              <Form action={href(view, `${base}/rule`)}>
                <Choices name="decision" label={t('requests.decision')} form={forms.ruling} required options={[{ value: 'upheld', label: t('requests.decisionUpheld') }, { value: 'dismissed', label: t('requests.decisionDismissed') }]} />
                <TextArea name="ruling" label={t('requests.ruling')} hint={t('requests.rulingHint')} form={forms.ruling} required rows={6} />
                <div class="actions"><Button>{t('requests.ruleButton')}</Button></div>
              </Form>
            </>
          )}
        </section>
      )}
      {d.handler && open && (
        <section aria-labelledby="answer-title" id="answer">
          <h2 id="answer-title">{t('requests.answerTitleForm')}</h2>
          {d.templates.length > 0 && (
            <p>{t('requests.useTemplate')} {d.templates.map((tpl, i) => <>{i > 0 && ' · '}<a href={href(view, `${base}?template=${tpl.id}#answer`)}><Tr value={tpl.title} /></a></>)}</p>
          )}
          <ErrorSummary form={forms.answer} labels={answerLabels} />
          <Form action={href(view, `${base}/answer`)} enctype="multipart/form-data">
            <Choices name="status" label={answerLabels.status} form={forms.answer} required options={answerStatuses.map((s) => ({ value: s, label: t(`requests.status.${s}`) }))} />
            <TextArea name="note" label={answerLabels.note} hint={t('requests.publicNoteHint', { language: t(`requests.language.${r.reporter_locale}`) })} form={forms.answer} rows={5} maxlength={4000} />
            <fieldset>
              <legend>{t('requests.ifRejected')}</legend>
              <Choices name="reason" label={answerLabels.reason} form={forms.answer} options={['duplicate', 'not_competent', 'invalid'].map((x) => ({ value: x, label: t(`requests.reason.${x}`) }))} />
              <Field name="duplicate_of" label={answerLabels.duplicate_of} hint={t('requests.duplicateHint')} form={forms.answer} dir="ltr" />
              <TextArea name="referral" label={answerLabels.referral} hint={t('requests.referralHint')} form={forms.answer} rows={3} maxlength={1000} />
            </fieldset>
            <div class={`field${forms.answer.errors.photo ? ' has-error' : ''}`}>
              <label for="f-photo">{answerLabels.photo}</label>
              <p class="hint" id="h-photo">{t('requests.resolutionPhotoHint')}</p>
              {forms.answer.errors.photo && <p class="field-error" id="e-photo">{t(forms.answer.errors.photo.key, forms.answer.errors.photo.params as any)}</p>}
              <input type="file" id="f-photo" name="photo" accept="image/jpeg,image/png,image/webp" aria-describedby={`h-photo${forms.answer.errors.photo ? ' e-photo' : ''}`} />
            </div>
            <div class="actions"><Button>{t('requests.answerButton')}</Button></div>
          </Form>
        </section>
      )}
      {d.handler && open && (
        <section aria-labelledby="assign-title">
          <h2 id="assign-title">{t('requests.assignTitle')}</h2>
          <ErrorSummary form={forms.assign} labels={{ assignee_id: t('requests.assignee') }} />
          <Form action={href(view, `${base}/assign`)}>
            <Select name="assignee_id" label={t('requests.assignee')} form={forms.assign} blank={t('requests.nobody')} options={d.staff.map((s) => ({ value: String(s.id), label: s.name }))} />
            <div class="actions"><Button kind="secondary">{t('requests.assignButton')}</Button></div>
          </Form>
        </section>
      )}
      {d.handler && (
        <section aria-labelledby="internal-title">
          <h2 id="internal-title">{t('requests.internalTitle')}</h2>
          <ErrorSummary form={forms.internal} labels={{ internal_note: t('requests.internalNote') }} />
          <Form action={href(view, `${base}/note`)}>
            <TextArea name="internal_note" label={t('requests.internalNote')} hint={t('requests.internalHint')} form={forms.internal} required rows={3} maxlength={4000} />
            <div class="actions"><Button kind="secondary">{t('requests.noteButton')}</Button></div>
          </Form>
        </section>
      )}
      <h2>{t('requests.timeline')}</h2>
      <Timeline events={d.events} showActors />
    </article>
  );
}

// ---------- The counter: on behalf of a citizen ----------

export function CounterStart({ categories, form }: { categories: Category[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('requests.counterTitle') }]} />
      <h1>{t('requests.counterTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.counterIntro')}</p>
      <ErrorSummary form={form} labels={{ category: t('requests.category') }} />
      <form method="get" action={href(view, '/admin/requests/new')} novalidate>
        <Choices name="category" label={t('requests.step1')} form={form} required options={categories.map((c) => ({ value: c.slug, label: tr(c.name, locale) }))} />
        <div class="actions"><Button>{t('requests.continue')}</Button></div>
      </form>
    </section>
  );
}

export function CounterForm({ category, districts, form, tileUrl }: { category: Category; districts: District[]; form: FormState; tileUrl: string }) {
  const view = useView();
  const { t, locale } = view;
  const photoError = form.errors.photos;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('requests.counterTitle'), path: '/admin/requests/new' }, { label: tr(category.name, locale) }]} />
      <h1>{t('requests.counterCategoryTitle', { category: tr(category.name, locale) })}</h1>
      <ErrorSummary form={form} labels={reportLabels(t, category, locale)} />
      <Form action={href(view, '/admin/requests/new')} enctype="multipart/form-data">
        <input type="hidden" name="category" value={category.slug} />
        <Choices name="channel" label={t('requests.channelLabel')} form={form} required options={[{ value: 'counter', label: t('requests.channel.counter') }, { value: 'phone', label: t('requests.channel.phone') }]} />
        <ReportFields category={category} districts={districts} form={form} tileUrl={tileUrl} counter />
        <div class={`field${photoError ? ' has-error' : ''}`}>
          <label for="f-photos">{t('requests.photos')}</label>
          <p class="hint" id="h-photos">{t('requests.photosHint', { max: 3 })}</p>
          {photoError && <p class="field-error" id="e-photos">{t(photoError.key, photoError.params as any)} {t('requests.photosAgain')}</p>}
          <input type="file" id="f-photos" name="photos" accept="image/jpeg,image/png,image/webp" multiple aria-describedby={`h-photos${photoError ? ' e-photos' : ''}`} />
        </div>
        <div class="actions"><Button>{t('requests.counterSend')}</Button></div>
      </Form>
    </section>
  );
}

export function Receipt({ r, category, district, code, trackUrl, publicUrl, commune }: {
  r: RequestView; category: Category; district: District | null; code: string | null; trackUrl: string | null; publicUrl: string; commune: Translated;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section class="receipt">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: r.reference, path: `/admin/requests/${r.reference}` }, { label: t('requests.receiptTitle') }]} />
      <h1>{t('requests.receiptTitle')}</h1>
      <p class="lead">{t('requests.receiptLead', { commune: tr(commune, locale) })}</p>
      <dl class="kv">
        <dt>{t('requests.reference')}</dt><dd dir="ltr"><strong class="code">{r.reference}</strong></dd>
        <dt>{t('requests.trackingCode')}</dt><dd dir="ltr">{code ? <strong class="code">{code}</strong> : <span class="muted">{t('requests.codeShownOnce')}</span>}</dd>
        <dt>{t('requests.category')}</dt><dd><Tr value={category.name} /></dd>
        <dt>{t('requests.district')}</dt><dd>{district ? <Tr value={district.name} /> : t('requests.noDistrict')}</dd>
        <dt>{t('requests.submittedOn')}</dt><dd>{formatDate(locale, r.created_at, true)} — {t(`requests.channel.${r.channel}`)}</dd>
        <dt>{t('requests.dueOn')}</dt><dd>{formatDate(locale, r.due_on)}</dd>
      </dl>
      <h2>{t('requests.receiptFollow')}</h2>
      <p>{t('requests.receiptFollowText')}</p>
      <p dir="ltr" class="user-text">{publicUrl}</p>
      {trackUrl && <p dir="ltr" class="user-text">{trackUrl}</p>}
      <p>{t('requests.receiptPrivacy')}</p>
      <p class="no-print">{t('requests.printHint')}</p>
      {!code && view.can('requests.report_for') && (
        <Form action={href(view, `/admin/requests/${r.reference}/new-code`)} class="no-print">
          <p>{t('requests.newCodeHint')}</p>
          <div class="actions"><Button kind="secondary">{t('requests.newCodeButton')}</Button></div>
        </Form>
      )}
    </section>
  );
}

export function ContestsPage({ pending, ruled, categories }: { pending: { id: number; created_at: string; reference: string; category_id: number }[]; ruled: { id: number; created_at: string; status: string; ruled_at: string | null; reference: string; category_id: number }[]; categories: Category[] }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('requests.contestsTitle') }]} />
      <h1>{t('requests.contestsTitle')}</h1>
      <StaffNav />
      <p class="lead">{t('requests.contestsIntro')}</p>
      <Table caption={t('requests.contestsPending')} head={[t('requests.reference'), t('requests.category'), t('requests.contestedOn')]}
        rows={pending.map((c) => [<a href={href(view, `/admin/requests/${c.reference}`)} dir="ltr">{c.reference}</a>, <CategoryName categories={categories} id={c.category_id} />, formatDate(locale, c.created_at)])} />
      <Table caption={t('requests.contestsRuled')} head={[t('requests.reference'), t('requests.category'), t('requests.decision'), t('requests.ruledOn')]}
        rows={ruled.map((c) => [<a href={href(view, `/admin/requests/${c.reference}`)} dir="ltr">{c.reference}</a>, <CategoryName categories={categories} id={c.category_id} />, t(`requests.contestState.${c.status}`), formatDate(locale, c.ruled_at)])} />
    </section>
  );
}

