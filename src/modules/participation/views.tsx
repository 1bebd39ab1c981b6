import type { ComponentChildren } from 'preact';
import { useView, href } from '../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, Pager, type FormState } from '../../core/ui/components.tsx';
import { BarChart } from '../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr, type Translated } from '../../core/i18n/index.ts';
import { Comments, type CommentThread } from '../comments/index.ts';
import { PHASES, MEETING_KINDS, MEETING_MODES, MEETING_STATUSES, ORG_TYPES, AGE_BANDS, SEXES, SECTORS, ANSWERS, THEMES, PROCESS_STATUSES } from './schema.ts';
import { SMALL_COUNT, CATEGORIES, type Drift } from './rules.ts';
import { processPath } from './api.ts';
import type * as svc from './service.ts';
import type { ParticipantRow, RegistryFilter } from './repo.ts';

/** Public and staff pages of the participation module. */

const opts = (t: (k: string) => string, prefix: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
const When = ({ at }: { at: string }) => { const { locale } = useView(); return <time dateTime={at}>{formatDate(locale, at, true)}</time>; };
const Day = ({ at }: { at: string }) => { const { locale } = useView(); return <time dateTime={at}>{formatDate(locale, at)}</time>; };
const Num = ({ n }: { n: number | null }) => { const { locale, t } = useView(); return <>{n === null ? t('participation.fewer', { n: SMALL_COUNT }) : formatNumber(locale, n)}</>; };

export function MessagePage({ title, text, action, links, error }: { title: string; text: string; action?: { path: string; label: string; name?: string; value?: string }[]; links?: { label: string; path: string }[]; error?: boolean }) {
  const view = useView();
  return (
    <section class="narrow">
      <h1>{title}</h1>
      {error ? <p class="flash error" role="alert">{text}</p> : <p>{text}</p>}
      {action?.length ? <Form action={href(view, action[0].path)}><div class="actions">{action.map((a, i) => <Button kind={i === 0 ? 'primary' : 'secondary'} name={a.name} value={a.value}>{a.label}</Button>)}</div></Form> : null}
      {links && <ul>{links.map((l) => <li><a href={href(view, l.path)}>{l.label}</a></li>)}</ul>}
    </section>
  );
}

// ---------- Public ----------

export function ProcessesPage({ processes }: { processes: svc.Process[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('participation.title')}</h1>
      <p class="lead">{t('participation.intro')}</p>
      <ul class="cards">
        {processes.map((p) => (
          <li class="card">
            <h2><a href={href(view, processPath(p))}><Tr value={p.title} /></a></h2>
            <ul class="tags"><li>{t(`participation.status.${p.status}`)}</li></ul>
            {p.sample && <p><SampleBadge /></p>}
          </li>
        ))}
      </ul>
      {processes.length === 0 && <p>{t('participation.noProcesses')}</p>}
      <p><a href={href(view, '/participation/meetings.ics')}>{t('participation.calendarFeed')}</a></p>
    </section>
  );
}

function MeetingList({ meetings, admin }: { meetings: svc.Meeting[]; admin?: boolean }) {
  const view = useView();
  const { t } = view;
  return (
    <Table caption={t('participation.meetings')} head={[t('participation.meetingTitle'), t('participation.kindLabel'), t('participation.when'), t('participation.where'), t('participation.statusLabel')]}
      rows={meetings.map((m) => [
        <a href={href(view, admin ? `/admin/participation/meetings/${m.id}` : `/participation/meetings/${m.id}`)}><Tr value={m.title} /></a>,
        t(`participation.kind.${m.kind}`), <When at={m.startsAt} />, m.mode === 'online' ? t('participation.mode.online') : <bdi>{[m.place, m.district].filter(Boolean).join(', ')}</bdi>,
        t(`participation.meetingStatus.${m.status}`),
      ])} />
  );
}

export function ProcessPage({ page }: { page: svc.ProcessPage }) {
  const view = useView();
  const { t, locale } = view;
  const p = page.process;
  const base = processPath(p);
  return (
    <article>
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(p.title, locale) }]} />
      <h1><Tr value={p.title} /></h1>
      {p.sample && <p><SampleBadge /></p>}
      <p><span class="badge neutral">{t(`participation.status.${p.status}`)}</span>{page.currentPhase && <> {t('participation.currentPhase', { phase: t(`participation.phase.${page.currentPhase}`) })}</>}</p>
      {tr(p.description, locale) && <p class="user-text"><Tr value={p.description} /></p>}
      {page.phases.length > 0 && (
        <section aria-labelledby="phases-title">
          <h2 id="phases-title">{t('participation.phases')}</h2>
          <ol class="timeline">
            {page.phases.map((ph) => <li aria-current={ph.current ? 'step' : undefined}><strong>{t(`participation.phase.${ph.kind}`)}</strong> — <Day at={ph.startsOn} /> – <Day at={ph.endsOn} />{ph.current && <> ({t('participation.now')})</>}</li>)}
          </ol>
        </section>
      )}
      <ul class="actions">
        <li><a class="button secondary" href={href(view, `${base}/statistics`)}>{t('participation.statistics')}</a></li>
        <li><a class="button secondary" href={href(view, `${base}/proposals`)}>{t('participation.allProposals', { n: formatNumber(locale, page.proposalCount) })}</a></li>
        {p.status === 'open' && <li><a class="button" href={href(view, `${base}/proposals/new`)}>{t('participation.propose')}</a></li>}
      </ul>
      <section aria-labelledby="meetings-title">
        <h2 id="meetings-title">{t('participation.meetingsCount', { n: formatNumber(locale, page.meetingCount) })}</h2>
        <MeetingList meetings={page.meetings} />
        {page.meetingCount > page.meetings.length && <p class="muted">{t('participation.moreMeetings', { n: formatNumber(locale, page.meetingCount - page.meetings.length) })}</p>}
      </section>
      <section aria-labelledby="top-title">
        <h2 id="top-title">{t('participation.topProposals')}</h2>
        <ProposalItems items={page.proposals} base={base} />
      </section>
      {tr(p.results, locale) && <section aria-labelledby="results-title"><h2 id="results-title">{t('participation.results')}</h2><p class="user-text"><Tr value={p.results} /></p></section>}
    </article>
  );
}

function AnswerBadge({ answer }: { answer: string }) {
  const { t } = useView();
  if (answer === 'none') return null;
  const cls = answer === 'accepted' ? 'ok' : answer === 'rejected' ? 'bad' : 'neutral';
  return <span class={`badge ${cls}`}>{t(`participation.answer.${answer}`)}</span>;
}

function ProposalItems({ items, base }: { items: svc.Proposal[]; base: string }) {
  const view = useView();
  const { t, locale } = view;
  if (!items.length) return <p>{t('participation.noProposals')}</p>;
  return (
    <ul class="cards">
      {items.map((p) => (
        <li class="card">
          <h3><a href={href(view, `${base}/proposals/${p.number}`)}><bdi>{p.title}</bdi></a></h3>
          <p>{t('participation.supportsCount', { n: formatNumber(locale, p.supports) })} <AnswerBadge answer={p.answer} /> {p.sample && <SampleBadge />}</p>
          {p.theme && <ul class="tags"><li>{t(`participation.theme.${p.theme}`)}</li>{p.district && <li><bdi>{p.district}</bdi></li>}</ul>}
        </li>
      ))}
    </ul>
  );
}

export function ProposalsPage({ list }: { list: svc.ProposalList }) {
  const view = useView();
  const { t, locale } = view;
  const base = processPath(list.process);
  const qs = new URLSearchParams({ ...(list.theme ? { theme: list.theme } : {}), ...(list.district ? { district: list.district } : {}), sort: list.sort }).toString();
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(list.process.title, locale), path: base }, { label: t('participation.proposals') }]} />
      <h1>{t('participation.proposalsOf', { title: tr(list.process.title, locale) })}</h1>
      <form method="get" action={href(view, `${base}/proposals`)} class="search-form">
        <Select name="theme" label={t('participation.themeLabel')} blank={t('participation.allThemes')} options={opts(t, 'participation.theme', THEMES)} form={{ values: { theme: list.theme }, errors: {} }} />
        <Field name="district" label={t('participation.districtLabel')} form={{ values: { district: list.district }, errors: {} }} />
        <Select name="sort" label={t('participation.sortLabel')} options={[{ value: 'supports', label: t('participation.sort.supports') }, { value: 'recent', label: t('participation.sort.recent') }]} form={{ values: { sort: list.sort }, errors: {} }} />
        <div class="actions"><button type="submit" class="button secondary">{t('participation.filter')}</button></div>
      </form>
      <p>{t('participation.proposalsFound', { n: formatNumber(locale, list.total) })}</p>
      <ProposalItems items={list.items} base={base} />
      <Pager page={list.page} pageSize={20} total={list.total} base={`${base}/proposals?${qs}`} />
    </section>
  );
}

export function ProposalPage({ page, thread }: { page: svc.ProposalPage; thread: CommentThread | null }) {
  const view = useView();
  const { t, locale } = view;
  const p = page.proposal;
  const base = processPath(page.process);
  return (
    <article>
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(page.process.title, locale), path: base }, { label: t('participation.proposalNumber', { n: p.number }) }]} />
      <h1><bdi>{p.title}</bdi></h1>
      {p.sample && <p><SampleBadge /></p>}
      {p.status === 'hidden' ? (
        <p class="flash info">{t('participation.hiddenBecause', { reason: p.hiddenReason ?? '' })}</p>
      ) : (
        <>
          <dl class="kv">
            <dt>{t('participation.submitted')}</dt><dd><Day at={p.createdAt} /> — {t(`participation.channel.${p.channel}`)}</dd>
            {p.theme && <><dt>{t('participation.themeLabel')}</dt><dd>{t(`participation.theme.${p.theme}`)}</dd></>}
            {p.district && <><dt>{t('participation.districtLabel')}</dt><dd><bdi>{p.district}</bdi></dd></>}
            <dt>{t('participation.supports')}</dt><dd>{formatNumber(locale, p.supports)}</dd>
          </dl>
          <div class="user-text"><p><bdi>{p.body}</bdi></p></div>
          {page.canSupport && (page.supported ? <p class="flash success">{t('participation.youSupport')}</p> : (
            view.actor ? <Form action={href(view, `${base}/proposals/${p.number}/support`)}><div class="actions"><Button>{t('participation.support')}</Button></div></Form>
              : <p><a href={`/${locale}/login?next=${encodeURIComponent(`/${locale}${base}/proposals/${p.number}`)}`}>{t('participation.signInToSupport')}</a></p>
          ))}
        </>
      )}
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">{t('participation.communeAnswer')}</h2>
        {p.answer === 'none' ? <p>{t('participation.noAnswerYet')}</p> : (
          <>
            <p><AnswerBadge answer={p.answer} />{p.answeredAt && <> <Day at={p.answeredAt} /></>}</p>
            {tr(p.answerText, locale) && <p class="user-text"><Tr value={p.answerText} /></p>}
            {page.mergedInto && <p>{t('participation.mergedInto')} <a href={href(view, `${base}/proposals/${page.mergedInto.number}`)}><bdi>{page.mergedInto.title}</bdi></a></p>}
            {page.commitment && <p>{t('participation.becameCommitment')} <a href={href(view, page.commitment.path)}><Tr value={page.commitment.title} /></a></p>}
          </>
        )}
      </section>
      {thread && <Comments thread={thread} returnTo={`${base}/proposals/${p.number}`} />}
    </article>
  );
}

export function NewProposalPage({ process, form, signedIn }: { process: svc.Process; form: FormState; signedIn: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const base = processPath(process);
  const labels = { title: t('participation.proposalTitle'), body: t('participation.proposalBody'), theme: t('participation.themeLabel'), district: t('participation.districtLabel'), name: t('participation.name'), email: t('participation.email') };
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(process.title, locale), path: base }, { label: t('participation.propose') }]} />
      <h1>{t('participation.propose')}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `${base}/proposals/new`)}>
        <Field name="title" label={labels.title} form={form} required maxlength={200} />
        <TextArea name="body" label={labels.body} form={form} required rows={8} maxlength={5000} />
        <Select name="theme" label={labels.theme} blank={t('participation.noTheme')} options={opts(t, 'participation.theme', THEMES)} form={form} />
        <Field name="district" label={labels.district} form={form} maxlength={120} />
        {!signedIn && <>
          <p class="hint">{t('participation.emailConfirmHint')}</p>
          <Field name="name" label={labels.name} form={form} required autocomplete="name" maxlength={120} />
          <Field name="email" label={labels.email} type="email" form={form} required autocomplete="email" dir="ltr" />
        </>}
        <div class="actions"><Button>{t('participation.submit')}</Button></div>
      </Form>
    </section>
  );
}

function categoryRows(t: (k: string) => string, stats: svc.Statistics) {
  return stats.category.map((c) => ({ label: t(`participation.category.${c.value}`), value: c.n }));
}
function CountChart({ id, title, rows, suppressed }: { id: string; title: string; rows: { label: string; value: number | null }[]; suppressed: boolean }) {
  const { t, locale } = useView();
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return <BarChart id={id} title={title} data={rows.map((r) => ({ label: r.label, value: r.value, display: r.value === null ? t('participation.fewer', { n: SMALL_COUNT }) : formatNumber(locale, r.value) }))}
    max={max} unit="" labelHeader={t('participation.valueHeader')} valueHeader={t('participation.countHeader')}
    caption={suppressed ? t('participation.suppressionNote', { n: SMALL_COUNT }) : undefined} />;
}

export function StatisticsPage({ process, stats }: { process: svc.Process; stats: svc.Statistics }) {
  const view = useView();
  const { t, locale } = view;
  const base = processPath(process);
  const label = (dim: string, v: string) => (v === 'unknown' ? t('participation.unknown') : v === 'other' && dim === 'district' ? t('participation.otherDistricts') : dim === 'district' ? v : t(`participation.${dim}.${v}`));
  return (
    <article>
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(process.title, locale), path: base }, { label: t('participation.statistics') }]} />
      <h1>{t('participation.statisticsOf', { title: tr(process.title, locale) })}</h1>
      <p class="lead">{t('participation.statisticsIntro')}</p>
      <ul class="stats">
        <li class="stat"><span class="stat-value" id="stat-total">{formatNumber(locale, stats.total)}</span> <span class="stat-label">{t('participation.participants')}</span></li>
        <li class="stat"><span class="stat-value" id="stat-groups">{formatNumber(locale, stats.groups)}</span> <span class="stat-label">{t('participation.groups')}</span></li>
        <li class="stat"><span class="stat-value" id="stat-public">{formatNumber(locale, stats.meetingsByKind.public_meeting ?? 0)}</span> <span class="stat-label">{t('participation.kindPlural.public_meeting')}</span></li>
        <li class="stat"><span class="stat-value" id="stat-thematic">{formatNumber(locale, stats.meetingsByKind.thematic_workshop ?? 0)}</span> <span class="stat-label">{t('participation.kindPlural.thematic_workshop')}</span></li>
        <li class="stat"><span class="stat-value" id="stat-neighbourhood">{formatNumber(locale, stats.meetingsByKind.neighbourhood_workshop ?? 0)}</span> <span class="stat-label">{t('participation.kindPlural.neighbourhood_workshop')}</span></li>
        <li class="stat"><span class="stat-value" id="stat-online">{formatNumber(locale, stats.onlineContributions)}</span> <span class="stat-label">{t('participation.onlineContributions')}</span></li>
      </ul>
      <h2>{t('participation.byCategory')}</h2>
      <CountChart id="chart-category" title={t('participation.byCategory')} rows={categoryRows(t, stats)} suppressed={false} />
      <h2>{t('participation.meetingsHeld')}</h2>
      <Table caption={t('participation.meetingsHeld')} head={[t('participation.kindLabel'), t('participation.countHeader')]} numeric={[1]}
        rows={MEETING_KINDS.map((k) => [t(`participation.kind.${k}`), formatNumber(locale, stats.meetingsByKind[k] ?? 0)])} />
      <h2>{t('participation.bySex')}</h2>
      <CountChart id="chart-sex" title={t('participation.bySex')} rows={stats.sex.map((c) => ({ label: label('sex', c.value), value: c.n }))} suppressed={stats.suppressed} />
      <h2>{t('participation.byAge')}</h2>
      <CountChart id="chart-age" title={t('participation.byAge')} rows={stats.age.map((c) => ({ label: label('age', c.value), value: c.n }))} suppressed={stats.suppressed} />
      <h2>{t('participation.byDistrict')}</h2>
      <CountChart id="chart-district" title={t('participation.byDistrict')} rows={stats.district.map((c) => ({ label: label('district', c.value), value: c.n }))} suppressed={stats.suppressed} />
      <p class="muted">{t('participation.statisticsMethod')}</p>
    </article>
  );
}

function PersonFields({ form, withEmail, emailRequired }: { form: FormState; withEmail: boolean; emailRequired?: boolean }) {
  const { t } = useView();
  return (
    <>
      <Field name="name" label={t('participation.name')} form={form} required autocomplete="name" maxlength={120} />
      {withEmail && <Field name="email" label={t('participation.email')} type="email" form={form} required={emailRequired} autocomplete="email" dir="ltr" />}
      <Field name="phone" label={t('participation.phone')} type="tel" form={form} autocomplete="tel" dir="ltr" />
      <DimensionFields form={form} />
    </>
  );
}
function DimensionFields({ form }: { form: FormState }) {
  const { t } = useView();
  return (
    <fieldset>
      <legend>{t('participation.registryLegend')}</legend>
      <p class="hint">{t('participation.consentHint')}</p>
      <Choices name="consent" label={t('participation.consentLabel')} multiple options={[{ value: '1', label: t('participation.consent') }]} form={form} />
      <Field name="organisation" label={t('participation.organisation')} form={form} maxlength={200} />
      <Select name="org_type" label={t('participation.orgTypeLabel')} options={opts(t, 'participation.org_type', ORG_TYPES)} form={form} />
      <Select name="sex" label={t('participation.sexLabel')} blank={t('participation.notSaid')} options={opts(t, 'participation.sex', SEXES)} form={form} />
      <Select name="age_band" label={t('participation.ageLabel')} blank={t('participation.notSaid')} options={opts(t, 'participation.age', AGE_BANDS)} form={form} />
      <Field name="district" label={t('participation.districtLabel')} form={form} maxlength={120} />
      <Select name="sector" label={t('participation.sectorLabel')} blank={t('participation.notSaid')} options={opts(t, 'participation.sector', SECTORS)} form={form} />
      <div class="choice"><input type="checkbox" id="f-activist" name="activist" value="1" checked={!!form.values.activist} /><label for="f-activist">{t('participation.activist')}</label></div>
      <div class="choice"><input type="checkbox" id="f-expert" name="expert" value="1" checked={!!form.values.expert} /><label for="f-expert">{t('participation.expert')}</label></div>
      <div class="choice"><input type="checkbox" id="f-resource_person" name="resource_person" value="1" checked={!!form.values.resource_person} /><label for="f-resource_person">{t('participation.resourcePerson')}</label></div>
    </fieldset>
  );
}

export function MeetingPage({ page, form, stats }: { page: svc.MeetingPage; form: FormState; stats: Awaited<ReturnType<typeof svc.meetingStatistics>> | null }) {
  const view = useView();
  const { t, locale } = view;
  const m = page.meeting;
  const base = processPath({ slug: page.processSlug });
  const full = m.capacity !== null && m.registered >= m.capacity;
  return (
    <article>
      <Breadcrumbs items={[{ label: t('participation.title'), path: '/participation' }, { label: tr(page.processTitle, locale), path: base }, { label: tr(m.title, locale) }]} />
      <h1><Tr value={m.title} /></h1>
      {m.sample && <p><SampleBadge /></p>}
      <dl class="kv">
        <dt>{t('participation.kindLabel')}</dt><dd>{t(`participation.kind.${m.kind}`)}</dd>
        <dt>{t('participation.when')}</dt><dd><When at={m.startsAt} /> – <When at={m.endsAt} /></dd>
        <dt>{t('participation.where')}</dt><dd>{m.mode === 'online' ? t('participation.mode.online') : <bdi>{[m.place, m.district].filter(Boolean).join(', ')}</bdi>}</dd>
        <dt>{t('participation.statusLabel')}</dt><dd>{t(`participation.meetingStatus.${m.status}`)}</dd>
        <dt>{t('participation.places')}</dt><dd>{m.capacity === null ? t('participation.noLimit') : t('participation.placesTaken', { n: formatNumber(locale, m.registered), capacity: formatNumber(locale, m.capacity) })}{page.waiting > 0 && <> — {t('participation.waitingCount', { n: formatNumber(locale, page.waiting) })}</>}</dd>
      </dl>
      {page.onlineUrl && <p class="flash info">{t('participation.onlineLink')} <a href={page.onlineUrl} dir="ltr">{page.onlineUrl}</a></p>}
      {tr(m.agenda, locale) && <section aria-labelledby="agenda-title"><h2 id="agenda-title">{t('participation.agenda')}</h2><p class="user-text"><Tr value={m.agenda} /></p></section>}
      {tr(m.minutes, locale) && <section aria-labelledby="minutes-title"><h2 id="minutes-title">{t('participation.minutes')}</h2><p class="user-text"><Tr value={m.minutes} /></p></section>}
      {tr(m.outcomes, locale) && <section aria-labelledby="outcomes-title"><h2 id="outcomes-title">{t('participation.outcomes')}</h2><p class="user-text"><Tr value={m.outcomes} /></p></section>}
      {stats && stats.total !== 0 && (
        <section aria-labelledby="attendance-title">
          <h2 id="attendance-title">{t('participation.attendance')}</h2>
          <p>{t('participation.attendedCount')} <Num n={stats.total} /></p>
          <Table caption={t('participation.bySex')} head={[t('participation.valueHeader'), t('participation.countHeader')]} numeric={[1]}
            rows={stats.sex.map((c) => [c.value === 'unknown' ? t('participation.unknown') : t(`participation.sex.${c.value}`), <Num n={c.n} />])} />
          <p class="muted">{t('participation.suppressionNote', { n: SMALL_COUNT })}</p>
        </section>
      )}
      <section aria-labelledby="register-title">
        <h2 id="register-title">{t('participation.register')}</h2>
        {page.mine ? <p class="flash success">{t(`participation.youAre.${page.mine.status}`)}</p>
          : page.state !== 'open' ? <p>{t(`participation.registration.${page.state}`)}</p> : (
            <>
              {full && <p class="flash info">{t('participation.fullWaiting')}</p>}
              <ErrorSummary form={form} labels={{ name: t('participation.name'), email: t('participation.email'), phone: t('participation.phone') }} />
              <Form action={href(view, `/participation/meetings/${m.id}/register`)}>
                {view.actor ? <p>{t('participation.registerAs', { name: view.actor.name })}</p> : null}
                {view.actor ? <DimensionFields form={form} /> : <PersonFields form={form} withEmail emailRequired />}
                <div class="actions"><Button>{full ? t('participation.joinWaiting') : t('participation.registerButton')}</Button></div>
              </Form>
            </>
          )}
      </section>
    </article>
  );
}

export function MyRecordPage({ record, form }: { record: Awaited<ReturnType<typeof svc.myRecord>>; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const p = record.participant;
  return (
    <section>
      <h1>{t('participation.myRecord')}</h1>
      <p class="lead">{t('participation.myRecordIntro')}</p>
      {p ? (
        <dl class="kv">
          <dt>{t('participation.name')}</dt><dd><bdi>{p.name ?? ''}</bdi></dd>
          <dt>{t('participation.email')}</dt><dd dir="ltr">{p.email ?? ''}</dd>
          <dt>{t('participation.consentLabel')}</dt><dd>{p.consent_at ? t('participation.consentGiven', { date: formatDate(locale, p.consent_at) }) : t('participation.consentNone')}</dd>
          {p.consent_at && <><dt>{t('participation.sexLabel')}</dt><dd>{p.sex ? t(`participation.sex.${p.sex}`) : '—'}</dd><dt>{t('participation.ageLabel')}</dt><dd>{p.age_band ? t(`participation.age.${p.age_band}`) : '—'}</dd><dt>{t('participation.districtLabel')}</dt><dd><bdi>{p.district ?? '—'}</bdi></dd></>}
          <dt>{t('participation.orgTypeLabel')}</dt><dd>{t(`participation.org_type.${p.org_type}`)}</dd>
        </dl>
      ) : <p>{t('participation.noRecordYet')}</p>}
      <h2>{t('participation.myRegistrations')}</h2>
      <Table caption={t('participation.myRegistrations')} head={[t('participation.meetingTitle'), t('participation.when'), t('participation.statusLabel')]}
        rows={record.registrations.map((r) => [<a href={href(view, `/participation/meetings/${r.meeting_id}`)}><Tr value={r.title} /></a>, <When at={r.starts_at} />, t(`participation.regStatus.${r.status}`)])} />
      <h2>{t('participation.myProposals')}</h2>
      <ul>{record.proposals.map((x) => <li><a href={href(view, `/participation/${x.slug}/proposals/${x.number}`)}><bdi>{x.title}</bdi></a> — {t(`participation.proposalStatus.${x.status}`)}</li>)}</ul>
      {record.proposals.length === 0 && <p>{t('participation.none')}</p>}
      <h2>{t('participation.myConsent')}</h2>
      <ErrorSummary form={form} labels={{}} />
      <Form action={href(view, '/participation/me')}>
        <DimensionFields form={form} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      <h2>{t('participation.exportTitle')}</h2>
      <p><a href={href(view, '/participation/me.json')} download="participation.json">{t('participation.exportLink')}</a></p>
      {p && !p.erased_at && <>
        <h2>{t('participation.eraseTitle')}</h2>
        <p>{t('participation.eraseHint')}</p>
        <Form action={href(view, '/participation/me/erase')}><div class="actions"><Button kind="danger">{t('participation.eraseButton')}</Button></div></Form>
      </>}
    </section>
  );
}

// ---------- Staff ----------

function TranslatedInputs({ name, label, form, area, required }: { name: string; label: string; form: FormState; area?: boolean; required?: boolean }) {
  const { t } = useView();
  return (
    <>
      {(['fr', 'ar', 'en'] as const).map((l) => area
        ? <TextArea name={`${name}_${l}`} label={`${label} (${t(`participation.lang.${l}`)})`} form={form} required={required && l === 'fr'} rows={4} />
        : <Field name={`${name}_${l}`} label={`${label} (${t(`participation.lang.${l}`)})`} form={form} required={required && l === 'fr'} dir={l === 'ar' ? 'rtl' : 'ltr'} />)}
    </>
  );
}

function ProcessFields({ form, isNew }: { form: FormState; isNew: boolean }) {
  const { t } = useView();
  return (
    <>
      {isNew && <Field name="slug" label={t('participation.slug')} hint={t('participation.slugHint')} form={form} required dir="ltr" />}
      <TranslatedInputs name="title" label={t('participation.processTitle')} form={form} required />
      <TranslatedInputs name="description" label={t('participation.description')} form={form} area />
      <Select name="status" label={t('participation.statusLabel')} options={opts(t, 'participation.status', PROCESS_STATUSES)} form={form} />
      <Field name="plan_id" label={t('participation.planId')} form={form} inputmode="numeric" />
      <Field name="body_id" label={t('participation.bodyId')} form={form} inputmode="numeric" />
      <TextArea name="phases" label={t('participation.phasesField')} hint={t('participation.phasesHint', { kinds: PHASES.join(', ') })} form={form} rows={5} />
      <TranslatedInputs name="results" label={t('participation.results')} form={form} area />
    </>
  );
}

export function AdminProcessesPage({ processes, form }: { processes: svc.Process[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('participation.adminTitle')}</h1>
      <Table caption={t('participation.processes')} head={[t('participation.processTitle'), t('participation.statusLabel'), t('participation.links')]}
        rows={processes.map((p) => [<a href={href(view, `/admin/participation/${p.id}`)}><Tr value={p.title} /></a>, t(`participation.status.${p.status}`),
          <a href={href(view, `/admin/participation/${p.id}/proposals`)}>{t('participation.proposals')}</a>])} />
      <p><a href={href(view, '/admin/participation/registry')}>{t('participation.registry')}</a></p>
      <h2>{t('participation.newProcess')}</h2>
      <ErrorSummary form={form} labels={{ slug: t('participation.slug'), title_fr: t('participation.processTitle'), phases: t('participation.phasesField') }} />
      <Form action={href(view, '/admin/participation')}>
        <ProcessFields form={form} isNew />
        <div class="actions"><Button>{t('participation.create')}</Button></div>
      </Form>
    </section>
  );
}

function MeetingFields({ form }: { form: FormState }) {
  const { t } = useView();
  return (
    <>
      <Select name="kind" label={t('participation.kindLabel')} options={opts(t, 'participation.kind', MEETING_KINDS)} form={form} />
      <TranslatedInputs name="title" label={t('participation.meetingTitle')} form={form} required />
      <TranslatedInputs name="agenda" label={t('participation.agenda')} form={form} area />
      <Select name="mode" label={t('participation.modeLabel')} options={opts(t, 'participation.mode', MEETING_MODES)} form={form} />
      <Field name="place" label={t('participation.place')} form={form} />
      <Field name="district" label={t('participation.districtLabel')} form={form} />
      <Field name="online_url" label={t('participation.onlineUrl')} hint={t('participation.onlineUrlHint')} form={form} dir="ltr" />
      <Field name="starts_at" label={t('participation.startsAt')} type="datetime-local" form={form} required />
      <Field name="ends_at" label={t('participation.endsAt')} type="datetime-local" form={form} required />
      <Field name="capacity" label={t('participation.capacity')} form={form} inputmode="numeric" />
      <Field name="registration_opens_at" label={t('participation.opensAt')} type="datetime-local" form={form} />
      <Field name="registration_closes_at" label={t('participation.closesAt')} type="datetime-local" form={form} />
      <div class="choice"><input type="checkbox" id="f-invitation_only" name="invitation_only" value="1" checked={!!form.values.invitation_only} /><label for="f-invitation_only">{t('participation.invitationOnly')}</label></div>
      <Select name="status" label={t('participation.statusLabel')} options={opts(t, 'participation.meetingStatus', MEETING_STATUSES)} form={form} />
      <TextArea name="targets" label={t('participation.targets')} hint={t('participation.targetsHint')} form={form} rows={3} />
    </>
  );
}

export function AdminProcessPage({ detail, form, meetingForm }: { detail: Awaited<ReturnType<typeof svc.getProcessForAdmin>>; form: FormState; meetingForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const p = detail.process;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(p.title, locale) }]} />
      <h1><Tr value={p.title} /></h1>
      <p><a href={href(view, processPath(p))}>{t('participation.publicPage')}</a> · <a href={href(view, `/admin/participation/${p.id}/proposals`)}>{t('participation.proposals')}</a> · <a href={href(view, `${processPath(p)}/statistics?staff=1`)}>{t('participation.statistics')}</a></p>
      <h2>{t('participation.meetings')}</h2>
      <MeetingList meetings={detail.meetings} admin />
      <h2>{t('participation.newMeeting')}</h2>
      <ErrorSummary form={meetingForm} labels={{ title_fr: t('participation.meetingTitle'), starts_at: t('participation.startsAt'), ends_at: t('participation.endsAt'), online_url: t('participation.onlineUrl'), targets: t('participation.targets') }} />
      <Form action={href(view, `/admin/participation/${p.id}/meetings`)}>
        <MeetingFields form={meetingForm} />
        <div class="actions"><Button>{t('participation.create')}</Button></div>
      </Form>
      <h2>{t('participation.editProcess')}</h2>
      <ErrorSummary form={form} labels={{ title_fr: t('participation.processTitle'), phases: t('participation.phasesField') }} />
      <Form action={href(view, `/admin/participation/${p.id}`)}>
        <ProcessFields form={form} isNew={false} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}

function DriftWarning({ drift }: { drift: Drift[] }) {
  const { t, locale } = useView();
  if (!drift.length) return null;
  return (
    <div class="flash error" role="alert">
      <p><strong>{t('participation.driftTitle')}</strong></p>
      <ul>{drift.map((d) => <li>{t('participation.driftLine', { dimension: t(`participation.dimension.${d.dimension}`), value: d.value, target: formatNumber(locale, Math.round(d.target * 100)), actual: formatNumber(locale, Math.round(d.actual * 100)) })}</li>)}</ul>
    </div>
  );
}

export function AdminMeetingPage({ detail, form, counterForm, invitations, canManage }: { detail: Awaited<ReturnType<typeof svc.getMeetingForAdmin>>; form: FormState; counterForm: FormState; invitations: Record<string, number> | null; canManage: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const m = detail.meeting;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(detail.processTitle, locale), path: canManage ? `/admin/participation/${detail.processId}` : undefined }, { label: tr(m.title, locale) }]} />
      <h1><Tr value={m.title} /></h1>
      <p><a href={href(view, `/participation/meetings/${m.id}`)}>{t('participation.publicPage')}</a> · <a href={href(view, `/admin/participation/meetings/${m.id}/door`)}>{t('participation.door')}</a>{canManage && <> · <a href={href(view, `/admin/participation/meetings/${m.id}/invite`)}>{t('participation.invite')}</a></>}</p>
      <DriftWarning drift={detail.drift} />
      {invitations && <p>{t('participation.invitationsSummary', { sent: formatNumber(locale, (invitations.sent ?? 0) + (invitations.accepted ?? 0) + (invitations.declined ?? 0)), accepted: formatNumber(locale, invitations.accepted ?? 0), declined: formatNumber(locale, invitations.declined ?? 0) })}</p>}
      <h2>{t('participation.registrations')}</h2>
      <Table caption={t('participation.registrations')} head={[t('participation.name'), t('participation.statusLabel'), t('participation.channelLabel'), t('participation.attended'), t('participation.group')]}
        rows={detail.registrations.map((r) => [<bdi>{r.erased_at ? t('participation.erased') : r.name ?? ''}</bdi>, t(`participation.regStatus.${r.status}`), t(`participation.regChannel.${r.channel}`), r.attended ? t('participation.yes') : t('participation.no'), <bdi>{r.group_label ?? ''}</bdi>])} />
      <h2>{t('participation.counterRegistration')}</h2>
      <ErrorSummary form={counterForm} labels={{ name: t('participation.name'), email: t('participation.email'), phone: t('participation.phone') }} />
      <Form action={href(view, `/admin/participation/meetings/${m.id}/register`)}>
        <PersonFields form={counterForm} withEmail />
        <div class="actions"><Button>{t('participation.registerButton')}</Button></div>
      </Form>
      {canManage && <>
        <h2>{t('participation.editMeeting')}</h2>
        <ErrorSummary form={form} labels={{ title_fr: t('participation.meetingTitle'), starts_at: t('participation.startsAt'), ends_at: t('participation.endsAt'), online_url: t('participation.onlineUrl'), targets: t('participation.targets') }} />
        <Form action={href(view, `/admin/participation/meetings/${m.id}`)}>
          <MeetingFields form={form} />
          <TranslatedInputs name="minutes" label={t('participation.minutes')} form={form} area />
          <TranslatedInputs name="outcomes" label={t('participation.outcomes')} form={form} area />
          <div class="actions"><Button>{t('common.save')}</Button></div>
        </Form>
      </>}
    </section>
  );
}

/** The door: one checkbox per registered person and a walk-in form; big targets, no script. */
export function DoorPage({ detail, walkIn }: { detail: Awaited<ReturnType<typeof svc.getMeetingForAdmin>>; walkIn: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const m = detail.meeting;
  const regs = detail.registrations.filter((r) => r.status !== 'cancelled');
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(m.title, locale), path: `/admin/participation/meetings/${m.id}` }, { label: t('participation.door') }]} />
      <h1>{t('participation.doorTitle', { title: tr(m.title, locale) })}</h1>
      <p>{t('participation.presentCount', { n: formatNumber(locale, regs.filter((r) => r.attended).length), total: formatNumber(locale, regs.length) })}</p>
      <h2>{t('participation.whoCame')}</h2>
      <Form action={href(view, `/admin/participation/meetings/${m.id}/door`)}>
        <fieldset>
          <legend>{t('participation.markPresent')}</legend>
          {regs.map((r) => (
            <div class="choice">
              <input type="checkbox" id={`present-${r.id}`} name="present" value={String(r.id)} checked={!!r.attended} />
              <label for={`present-${r.id}`}><bdi>{r.erased_at ? t('participation.erased') : r.name ?? ''}</bdi>{r.status === 'waiting' && <> ({t('participation.regStatus.waiting')})</>}</label>
              <label for={`group-${r.id}`} class="visually-hidden">{t('participation.groupOf', { name: r.name ?? '' })}</label>
              <input type="text" id={`group-${r.id}`} name={`group_${r.id}`} value={r.group_label ?? ''} maxLength={60} placeholder={t('participation.group')} />
            </div>
          ))}
        </fieldset>
        <div class="actions"><Button>{t('participation.saveAttendance')}</Button></div>
      </Form>
      <h2>{t('participation.walkIn')}</h2>
      <ErrorSummary form={walkIn} labels={{ name: t('participation.name'), email: t('participation.email'), phone: t('participation.phone') }} />
      <Form action={href(view, `/admin/participation/meetings/${m.id}/walk-in`)}>
        <PersonFields form={walkIn} withEmail />
        <Field name="group" label={t('participation.group')} form={walkIn} maxlength={60} />
        <div class="actions"><Button>{t('participation.addWalkIn')}</Button></div>
      </Form>
    </section>
  );
}

export function AdminProposalsPage({ list, form }: { list: Awaited<ReturnType<typeof svc.listProposalsForAdmin>>; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const p = list.process;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(p.title, locale) }]} />
      <h1>{t('participation.proposalsOf', { title: tr(p.title, locale) })}</h1>
      <Table caption={t('participation.proposals')} head={['#', t('participation.proposalTitle'), t('participation.statusLabel'), t('participation.answerLabel'), t('participation.supports')]} numeric={[4]}
        rows={list.items.map((x) => [String(x.number), view.can('participation.moderate') ? <a href={href(view, `/admin/participation/proposals/${x.id}`)}><bdi>{x.title}</bdi></a> : <bdi>{x.title}</bdi>, t(`participation.proposalStatus.${x.status}`), t(`participation.answer.${x.answer}`), formatNumber(locale, x.supports)])} />
      <Pager page={list.page} pageSize={50} total={list.total} base={`/admin/participation/${p.id}/proposals${list.status ? `?status=${list.status}` : ''}`} />
      <h2>{t('participation.proposeFor')}</h2>
      <ErrorSummary form={form} labels={{ title: t('participation.proposalTitle'), body: t('participation.proposalBody'), meeting_id: t('participation.meetingLabel') }} />
      <Form action={href(view, `/admin/participation/${p.id}/proposals`)}>
        <Select name="channel" label={t('participation.channelLabel')} options={[{ value: 'counter', label: t('participation.channel.counter') }, { value: 'workshop', label: t('participation.channel.workshop') }]} form={form} />
        <Select name="meeting_id" label={t('participation.meetingLabel')} blank={t('participation.noMeeting')} options={list.meetings.map((m) => ({ value: String(m.id), label: tr(m.title, locale) }))} form={form} />
        <Field name="name" label={t('participation.onBehalfName')} form={form} maxlength={120} />
        <Field name="email" label={t('participation.email')} type="email" form={form} dir="ltr" />
        <Field name="title" label={t('participation.proposalTitle')} form={form} required maxlength={200} />
        <TextArea name="body" label={t('participation.proposalBody')} form={form} required />
        <Select name="theme" label={t('participation.themeLabel')} blank={t('participation.noTheme')} options={opts(t, 'participation.theme', THEMES)} form={form} />
        <Field name="district" label={t('participation.districtLabel')} form={form} />
        <div class="actions"><Button>{t('participation.submit')}</Button></div>
      </Form>
    </section>
  );
}

export function AdminProposalPage({ detail, answerForm, moderation, canAnswer, canModerate }: { detail: Awaited<ReturnType<typeof svc.getProposalForAdmin>>; answerForm: FormState; moderation: FormState; canAnswer: boolean; canModerate: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const p = detail.proposal;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(detail.processTitle, locale), path: `/admin/participation/${p.processId}/proposals` }, { label: `#${p.number}` }]} />
      <h1><bdi>{p.title}</bdi></h1>
      <p>{t(`participation.proposalStatus.${p.status}`)} — {t(`participation.channel.${p.channel}`)} — {t('participation.supportsCount', { n: formatNumber(locale, p.supports) })}</p>
      {p.status !== 'unconfirmed' && <p><a href={href(view, `${processPath({ slug: detail.processSlug })}/proposals/${p.number}`)}>{t('participation.publicPage')}</a></p>}
      <div class="user-text"><p><bdi>{p.body}</bdi></p></div>
      {canModerate && p.status !== 'unconfirmed' && <>
        <h2>{t('participation.moderation')}</h2>
        <ErrorSummary form={moderation} labels={{ reason: t('participation.reason') }} />
        <Form action={href(view, `/admin/participation/proposals/${p.id}/moderate`)}>
          {p.status === 'published' ? <>
            <input type="hidden" name="action" value="hide" />
            <Field name="reason" label={t('participation.reason')} form={moderation} required maxlength={500} />
            <div class="actions"><Button kind="danger">{t('participation.hide')}</Button></div>
          </> : <>
            <p>{t('participation.hiddenBecause', { reason: p.hiddenReason ?? '' })}</p>
            <input type="hidden" name="action" value="show" />
            <div class="actions"><Button>{t('participation.show')}</Button></div>
          </>}
        </Form>
      </>}
      {canAnswer && <>
        <h2>{t('participation.communeAnswer')}</h2>
        <ErrorSummary form={answerForm} labels={{ answer: t('participation.answerLabel'), text_fr: t('participation.answerText'), merged_into: t('participation.mergedIntoField'), commitment_id: t('participation.commitmentField') }} />
        <Form action={href(view, `/admin/participation/proposals/${p.id}/answer`)}>
          <Select name="answer" label={t('participation.answerLabel')} options={opts(t, 'participation.answer', ANSWERS)} form={answerForm} />
          <TranslatedInputs name="text" label={t('participation.answerText')} form={answerForm} area />
          <Field name="merged_into" label={t('participation.mergedIntoField')} hint={t('participation.mergedIntoHint')} form={answerForm} inputmode="numeric" />
          <Field name="commitment_id" label={t('participation.commitmentField')} hint={t('participation.commitmentHint')} form={answerForm} inputmode="numeric" />
          <div class="actions"><Button>{t('participation.publishAnswer')}</Button></div>
        </Form>
      </>}
    </section>
  );
}

function FilterForm({ action, filter, children }: { action: string; filter: RegistryFilter; children?: ComponentChildren }) {
  const view = useView();
  const { t } = view;
  const v = { org_type: filter.orgType ?? '', sex: filter.sex ?? '', age_band: filter.ageBand ?? '', district: filter.district ?? '' };
  const f = { values: v, errors: {} };
  return (
    <form method="get" action={href(view, action)} class="search-form">
      <Select name="org_type" label={t('participation.orgTypeLabel')} blank={t('participation.any')} options={opts(t, 'participation.org_type', ORG_TYPES)} form={f} />
      <Select name="sex" label={t('participation.sexLabel')} blank={t('participation.any')} options={opts(t, 'participation.sex', SEXES)} form={f} />
      <Select name="age_band" label={t('participation.ageLabel')} blank={t('participation.any')} options={opts(t, 'participation.age', AGE_BANDS)} form={f} />
      <Field name="district" label={t('participation.districtLabel')} form={f} />
      <div class="choice"><input type="checkbox" id="f-activist" name="activist" value="1" checked={!!filter.activist} /><label for="f-activist">{t('participation.activist')}</label></div>
      <div class="choice"><input type="checkbox" id="f-expert" name="expert" value="1" checked={!!filter.expert} /><label for="f-expert">{t('participation.expert')}</label></div>
      {children}
      <div class="actions"><button type="submit" class="button secondary">{t('participation.filter')}</button></div>
    </form>
  );
}
const filterQuery = (f: RegistryFilter) => new URLSearchParams(Object.entries({ org_type: f.orgType, sex: f.sex, age_band: f.ageBand, district: f.district, activist: f.activist ? '1' : undefined, expert: f.expert ? '1' : undefined })
  .filter((e): e is [string, string] => !!e[1])).toString();

function CompositionTables({ composition, total }: { composition: Record<string, Record<string, number>>; total: number }) {
  const { t, locale } = useView();
  const label = (d: string, v: string) => (v === 'unknown' ? t('participation.unknown') : d === 'district' ? v : t(`participation.${d === 'age_band' ? 'age' : d}.${v}`));
  return (
    <>{Object.entries(composition).map(([d, vals]) => (
      <Table caption={t(`participation.dimension.${d}`)} head={[t('participation.valueHeader'), t('participation.countHeader'), '%']} numeric={[1, 2]}
        rows={Object.entries(vals).map(([v, n]) => [label(d, v), formatNumber(locale, n), total ? formatNumber(locale, Math.round((n / total) * 100)) : '0'])} />
    ))}</>
  );
}

export function RegistryPage({ reg, filter }: { reg: Awaited<ReturnType<typeof svc.registry>>; filter: RegistryFilter }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: t('participation.registry') }]} />
      <h1>{t('participation.registry')}</h1>
      <p class="lead">{t('participation.registryIntro')}</p>
      <FilterForm action="/admin/participation/registry" filter={filter} />
      <p>{t('participation.peopleFound', { n: formatNumber(locale, reg.total) })}</p>
      <Table caption={t('participation.registry')} head={[t('participation.name'), t('participation.organisation'), t('participation.orgTypeLabel'), t('participation.sexLabel'), t('participation.ageLabel'), t('participation.districtLabel'), t('participation.consentLabel')]}
        rows={reg.items.map((p: ParticipantRow) => [<bdi>{p.name ?? ''}</bdi>, <bdi>{p.organisation ?? ''}</bdi>, t(`participation.org_type.${p.org_type}`), p.sex ? t(`participation.sex.${p.sex}`) : '—', p.age_band ? t(`participation.age.${p.age_band}`) : '—', <bdi>{p.district ?? ''}</bdi>, p.consent_at ? formatDate(locale, p.consent_at) : '—'])} />
      <Pager page={reg.page} pageSize={50} total={reg.total} base={`/admin/participation/registry?${filterQuery(filter)}`} />
      <h2>{t('participation.composition')}</h2>
      <CompositionTables composition={reg.composition} total={reg.total} />
    </section>
  );
}

export function InvitePage({ meeting, reg, filter, form }: { meeting: svc.Meeting; reg: Awaited<ReturnType<typeof svc.registry>>; filter: RegistryFilter; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('participation.adminTitle'), path: '/admin/participation' }, { label: tr(meeting.title, locale), path: `/admin/participation/meetings/${meeting.id}` }, { label: t('participation.invite') }]} />
      <h1>{t('participation.inviteTitle', { title: tr(meeting.title, locale) })}</h1>
      <p class="lead">{t('participation.inviteIntro')}</p>
      <FilterForm action={`/admin/participation/meetings/${meeting.id}/invite`} filter={filter} />
      <h2>{t('participation.previewTitle', { n: formatNumber(locale, reg.total) })}</h2>
      <CompositionTables composition={reg.composition} total={reg.total} />
      <ErrorSummary form={form} labels={{}} />
      <Form action={href(view, `/admin/participation/meetings/${meeting.id}/invite?${filterQuery(filter)}`)}>
        <div class="actions"><Button>{t('participation.sendInvitations', { n: formatNumber(locale, reg.total) })}</Button></div>
      </Form>
    </section>
  );
}

export const meetingLabel = (m: { title: Translated }, locale: 'fr' | 'ar' | 'en') => tr(m.title, locale);
export { CATEGORIES };
