import { useView, href } from '../../../core/ui/view.ts';
import { ErrorSummary, Field, TextArea, Select, Choices, Button, Form, Table, Pager, Breadcrumbs, Tr, SampleBadge, type FormState } from '../../../core/ui/components.tsx';
import { BarChart } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber } from '../../../core/i18n/index.ts';
import type { T } from '../../../core/i18n/index.ts';
import type { FileView, PublicView, Statistics, Ground } from './service.ts';
import { MAX_FILES } from './service.ts';
import type { Step } from './rules.ts';
import { CHANNELS, FORMS, ANSWER_OUTCOMES, OUTCOMES, REDRESS_OUTCOMES } from './schema.ts';

export type FileForms = Partial<Record<'confirm' | 'reply' | 'withdraw' | 'complain' | 'cdai' | 'extend' | 'clarify' | 'answer' | 'redact' | 'hide' | 'hideAttachment' | 'complaintAnswer' | 'cdaiDecision', FormState>>;

const OUTCOME_BADGE: Record<string, string> = { given: 'ok', partial: 'warn', refused: 'bad', not_held: 'neutral', withdrawn: 'neutral' };

function UserText({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return <div dir="auto" class="user-text">{text.split(/\r?\n/).map((line, i) => <>{i > 0 && <br />}{line}</>)}</div>;
}
/** The messages of a refused action show once, at the top of the page (its form may be gone), each field's also beside it. */
function Refusal({ forms }: { forms: FileForms }) {
  const { t } = useView();
  const refused = Object.values(forms).find((f) => f && (f.formError || Object.keys(f.errors).length));
  const labels: Record<string, string> = {
    reason: t('information.hideReason'), question: t('information.clarifyLabel'), reply: t('information.replyLabel'), complaint: t('information.complaintLabel'),
    outcome: t('information.outcomeLabel'), decision: t('information.decisionText'), message: t('information.message'), ground: t('information.ground'),
    motivation: t('information.motivation'), holder_body: t('information.holderBody'), document_url: t('information.documentLink'), files: t('information.files'),
    public_answer: t('information.publicAnswer'),
  };
  return refused ? <ErrorSummary form={refused} labels={labels} /> : null;
}
const excerpt = (s: string, max = 140) => { const one = s.replace(/\s+/g, ' ').trim(); return one.length > max ? `${one.slice(0, max - 1)}…` : one; };

/** Where a request stands: its outcome, or open / waiting for a clarification / waiting for its email. */
export function StateBadge({ status, outcome, late }: { status: string; outcome: string | null; late?: boolean }) {
  const { t } = useView();
  if (status === 'closed' && outcome) return <span class={`badge ${OUTCOME_BADGE[outcome] ?? 'neutral'}`}>{t(`information.outcome.${outcome}`)}</span>;
  return <><span class={`badge ${status === 'clarification' ? 'warn' : 'neutral'}`}>{t(`information.status.${status}`)}</span>{late && <> <span class="badge bad">{t('information.late')}</span></>}</>;
}

function FlagBadge({ flag }: { flag: 'ok' | 'near' | 'late' | null }) {
  const { t } = useView();
  if (flag === 'near') return <span class="badge warn">{t('information.flag.near')}</span>;
  if (flag === 'late') return <span class="badge bad">{t('information.flag.late')}</span>;
  return null;
}

/** Each step's clock: what is due when, and where it stands. */
export function Steps({ steps }: { steps: Step[] }) {
  const { t, locale } = useView();
  if (!steps.length) return <p class="muted">{t('information.noClock')}</p>;
  const badge: Record<string, string> = { running: 'neutral', paused: 'warn', met: 'ok', late: 'bad', closed: 'neutral', expired: 'neutral' };
  return (
    <ol class="info-steps">
      {steps.map((s) => (
        <li>
          <strong>{t(`information.step.${s.step}`)}</strong> — {t('information.dueBy', { date: formatDate(locale, s.due) })}{' '}
          <span class={`badge ${badge[s.status]}`}>{t(`information.stepStatus.${s.status}`)}</span>
          {s.doneOn && <> · {t('information.doneOn', { date: formatDate(locale, s.doneOn) })}</>}
        </li>
      ))}
    </ol>
  );
}

function EventText({ e, t }: { e: { kind: string; body: string | null; data: Record<string, unknown> }; t: T }) {
  const { locale } = useView();
  const d = e.data;
  const params: Record<string, unknown> = {
    due: d.due ? formatDate(locale, String(d.due)) : '', channel: d.channel ? t(`information.channel.${d.channel}`) : '',
    outcome: d.outcome ? (['upheld', 'partly_upheld', 'rejected'].includes(String(d.outcome)) ? t(`information.redress.${d.outcome}`) : t(`information.outcome.${d.outcome}`)) : '',
    name: d.name ?? '',
  };
  return <><p>{t(`information.event.${e.kind}`, params)}</p>{e.body && <UserText text={e.body} />}</>;
}

function Timeline({ events, staff = false }: { events: { id: number; at: string; kind: string; body: string | null; data: Record<string, unknown>; public?: boolean; actor?: string | null }[]; staff?: boolean }) {
  const { t, locale } = useView();
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <p class="muted"><time dateTime={e.at}>{formatDate(locale, e.at, true)}</time>
            {staff && e.actor && <> · {e.actor}</>}
            {staff && e.public === false && <> · <span class="badge neutral">{t('information.internal')}</span></>}</p>
          <EventText e={e} t={t} />
        </li>
      ))}
    </ol>
  );
}

/** The answer as the register shows it: its text (redacted if so), the document link, the files, the ground of a refusal. */
function AnswerBlock({ r, text, ground, attachments, staff }: {
  r: { outcome: string | null; status: string; motivation: string | null; holder_body: string | null; document_url: string | null; redaction_reason: string | null; public_answer: string | null; answered_on: string | null };
  text: string | null; ground: Ground | null; attachments: { id: number; name: string; hidden: boolean; hiddenReason: string | null; size: number }[]; staff?: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  if (r.status !== 'closed' || !r.outcome || r.outcome === 'withdrawn') return null;
  return (
    <section aria-labelledby="answer-title">
      <h2 id="answer-title">{t('information.answerTitle')}</h2>
      <p><StateBadge status={r.status} outcome={r.outcome} />{r.answered_on && <> · {formatDate(locale, r.answered_on)}</>}</p>
      {r.public_answer && r.redaction_reason && <p class="flash info">{t('information.redactedNote', { reason: r.redaction_reason })}</p>}
      <UserText text={text} />
      {ground && <dl class="kv"><dt>{t('information.ground')}</dt><dd>{t('information.article', { article: ground.article })} — <Tr value={ground.label} /></dd>
        {r.motivation && <><dt>{t('information.motivation')}</dt><dd><UserText text={r.motivation} /></dd></>}</dl>}
      {r.outcome === 'not_held' && <p>{t('information.holderBody')}: {r.holder_body ? <span dir="auto">{r.holder_body}</span> : t('information.holderUnknown')}</p>}
      {r.document_url && <p>{t('information.documentLink')}: <a href={r.document_url.startsWith('/') ? href(view, r.document_url) : r.document_url} dir="ltr">{r.document_url}</a></p>}
      {attachments.length > 0 && (
        <ul class="info-files">
          {attachments.map((a) => (a.hidden && !staff
            ? <li>{t('information.fileHidden', { reason: a.hiddenReason ?? '' })}</li>
            : <li><a href={href(view, `/information/files/${a.id}`)} dir="auto">{a.name}</a> ({formatNumber(locale, Math.ceil(a.size / 1024))} Ko){a.hidden && <> · <span class="badge warn">{t('information.hiddenBadge')}</span> {a.hiddenReason}</>}</li>))}
        </ul>
      )}
    </section>
  );
}

function Redress({ r }: { r: { complaint_on: string | null; complaint_answer: string | null; complaint_answered_on: string | null; complaint_outcome: string | null; cdai_on: string | null; cdai_decision: string | null; cdai_decided_on: string | null; cdai_outcome: string | null } }) {
  const { t, locale } = useView();
  if (!r.complaint_on) return null;
  return (
    <section aria-labelledby="redress-title">
      <h2 id="redress-title">{t('information.redressTitle')}</h2>
      <dl class="kv">
        <dt>{t('information.complaintOn')}</dt><dd>{formatDate(locale, r.complaint_on)}</dd>
        {r.complaint_answered_on && <><dt>{t('information.complaintAnswer')}</dt><dd>{formatDate(locale, r.complaint_answered_on)} — {t(`information.redress.${r.complaint_outcome}`)}<UserText text={r.complaint_answer} /></dd></>}
        {r.cdai_on && <><dt>{t('information.cdaiOn')}</dt><dd>{formatDate(locale, r.cdai_on)}</dd></>}
        {r.cdai_decided_on && <><dt>{t('information.cdaiDecision')}</dt><dd>{formatDate(locale, r.cdai_decided_on)} — {t(`information.redress.${r.cdai_outcome}`)}<UserText text={r.cdai_decision} /></dd></>}
      </dl>
    </section>
  );
}

// ---------- The register ----------

type ListRow = { id: number; reference: string; channel: string; question: string; urgent: number; status: string; outcome: string | null; created_at: string; due_on: string | null; hidden: number; hidden_reason: string | null; sample: number };

function FiltersForm({ values, action, staff = false }: { values: Record<string, string>; action: string; staff?: boolean }) {
  const view = useView();
  const { t } = view;
  const form: FormState = { values, errors: {} };
  return (
    <form method="get" action={href(view, action)} class="filters" aria-label={t('information.filtersLabel')}>
      <Select name="state" label={t('information.stateLabel')} form={form} blank={staff ? undefined : t('information.filter.all')}
        options={[...(staff ? [{ value: 'all', label: t('information.filter.all') }] : []), ...['open', 'late', 'closed'].map((s) => ({ value: s, label: t(`information.filter.${s}`) }))]} />
      <Select name="outcome" label={t('information.outcomeLabel')} form={form} blank={t('information.filter.all')} options={OUTCOMES.map((o) => ({ value: o, label: t(`information.outcome.${o}`) }))} />
      <Select name="channel" label={t('information.channelLabel')} form={form} blank={t('information.filter.all')} options={CHANNELS.map((c) => ({ value: c, label: t(`information.channel.${c}`) }))} />
      <Field name="month" type="month" label={t('information.monthLabel')} form={form} dir="ltr" hint={t('information.monthHint')} />
      <div class="actions"><Button kind="secondary">{t('information.filterButton')}</Button></div>
    </form>
  );
}

export function RegisterPage({ rows, total, capped, page, pageSize, query, today }: { rows: ListRow[]; total: number; capped: boolean; page: number; pageSize: number; query: Record<string, string>; today: string }) {
  const view = useView();
  const { t, locale } = view;
  const qs = new URLSearchParams(query).toString();
  return (
    <section>
      <h1>{t('information.registerTitle')}</h1>
      <p class="lead">{t('information.registerIntro')}</p>
      <p class="actions"><a class="button" href={href(view, '/information/new')}>{t('information.newTitle')}</a> <a class="button secondary" href={href(view, '/information/stats')}>{t('information.statsTitle')}</a></p>
      <FiltersForm values={query} action="/information" />
      <p role="status">{capped ? t('information.countMore', { count: formatNumber(locale, total - 1) }) : t('information.count', { count: total, n: formatNumber(locale, total) })}</p>
      <ul class="cards">
        {rows.map((r) => (
          <li class="card">
            <h2 class="h3"><a href={href(view, `/information/${r.reference}`)} dir="ltr">{r.reference}</a> <StateBadge status={r.status} outcome={r.outcome} late={r.status === 'open' && !!r.due_on && r.due_on < today} /> {!!r.urgent && <span class="badge warn">{t('information.urgent')}</span>} {!!r.sample && <SampleBadge />}</h2>
            {r.hidden ? <p class="muted">{t('information.hiddenWithReason', { reason: r.hidden_reason ?? '' })}</p> : <p dir="auto">{excerpt(r.question)}</p>}
            <p class="muted">{formatDate(locale, r.created_at)} · {t(`information.channel.${r.channel}`)}{r.due_on && r.status !== 'closed' && <> · {t('information.dueBy', { date: formatDate(locale, r.due_on) })}</>}</p>
          </li>
        ))}
      </ul>
      {!rows.length && <p>{t('information.empty')}</p>}
      <Pager page={page} pageSize={pageSize} total={capped ? 10_000 : total} base={`/information${qs ? `?${qs}` : ''}`} />
      <h2>{t('information.openData')}</h2>
      <ul>
        <li><a href={href(view, `/information.csv${qs ? `?${qs}` : ''}`)}>{t('information.exportCsv')}</a></li>
        <li><a href={href(view, `/information.json${qs ? `?${qs}` : ''}`)}>{t('information.exportJson')}</a></li>
        <li><a href={href(view, '/information/feed.atom')}>{t('information.feedTitle')}</a></li>
      </ul>
    </section>
  );
}

// ---------- Asking ----------

function RequestFields({ form, counter = false }: { form: FormState; counter?: boolean }) {
  const { t } = useView();
  return (
    <>
      {counter && <Choices name="channel" label={t('information.channelLabel')} form={form} required options={['counter', 'phone'].map((c) => ({ value: c, label: t(`information.channel.${c}`) }))} />}
      <TextArea name="question" label={t('information.question')} hint={t('information.questionHint')} form={form} required rows={7} maxlength={4000} />
      <Choices name="answer_form" label={t('information.answerForm')} form={form} required options={FORMS.map((f) => ({ value: f, label: t(`information.form.${f}`) }))} />
      <fieldset class="field">
        <legend>{t('information.urgentLegend')}</legend>
        <div class="choice"><input type="checkbox" id="f-urgent" name="urgent" value="1" checked={!!form.values.urgent} /><label for="f-urgent">{t('information.urgentLabel')}</label></div>
        <TextArea name="urgent_reason" label={t('information.urgentReason')} hint={t('information.urgentHint')} form={form} rows={3} maxlength={1000} />
      </fieldset>
      <h2>{counter ? t('information.contactCounter') : t('information.contact')}</h2>
      <p class="hint">{t('information.privacyHint')}</p>
      <Field name="name" label={t('information.name')} form={form} required autocomplete={counter ? 'off' : 'name'} maxlength={120} />
      <Field name="email" type="email" label={t('information.email')} hint={counter ? t('information.emailCounterHint') : t('information.emailHint')} form={form} autocomplete={counter ? 'off' : 'email'} dir="ltr" maxlength={254} />
      <Field name="phone" type="tel" label={t('information.phone')} form={form} autocomplete={counter ? 'off' : 'tel'} dir="ltr" maxlength={30} />
      <Field name="address" label={t('information.address')} hint={t('information.addressHint')} form={form} autocomplete={counter ? 'off' : 'street-address'} maxlength={300} />
    </>
  );
}

const requestLabels = (t: T): Record<string, string> => ({
  channel: t('information.channelLabel'), question: t('information.question'), answer_form: t('information.answerForm'), urgent_reason: t('information.urgentReason'),
  name: t('information.name'), email: t('information.email'), phone: t('information.phone'), address: t('information.address'),
});

export function NewRequestPage({ form }: { form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('information.registerTitle'), path: '/information' }, { label: t('information.newTitle') }]} />
      <h1>{t('information.newTitle')}</h1>
      <p class="lead">{t('information.newIntro')}</p>
      <ErrorSummary form={form} labels={requestLabels(t)} />
      <Form action={href(view, '/information/new')}>
        <RequestFields form={form} />
        <p>{view.actor ? t('information.signedInNote') : t('information.confirmNote')}</p>
        <div class="actions"><Button>{t('information.send')}</Button></div>
      </Form>
    </section>
  );
}

// ---------- A request's page ----------

function Facts({ r }: { r: { reference: string; channel: string; answer_form: string; urgent: number; created_at: string; received_on: string | null; due_on: string | null; extended: number; extension_reason: string | null; status: string; outcome: string | null } }) {
  const { t, locale } = useView();
  return (
    <dl class="kv">
      <dt>{t('information.reference')}</dt><dd dir="ltr"><strong>{r.reference}</strong></dd>
      <dt>{t('information.stateLabel')}</dt><dd><StateBadge status={r.status} outcome={r.outcome} /></dd>
      <dt>{t('information.submittedOn')}</dt><dd>{formatDate(locale, r.created_at, true)} — {t(`information.channel.${r.channel}`)}</dd>
      {r.received_on && <><dt>{t('information.receivedOn')}</dt><dd>{formatDate(locale, r.received_on)}</dd></>}
      {r.due_on && <><dt>{t('information.dueOn')}</dt><dd>{formatDate(locale, r.due_on)}{!!r.extended && <> ({t('information.extendedNote')})</>}</dd></>}
      {r.extension_reason && <><dt>{t('information.extensionReason')}</dt><dd><UserText text={r.extension_reason} /></dd></>}
      <dt>{t('information.answerForm')}</dt><dd>{t(`information.form.${r.answer_form}`)}</dd>
      {!!r.urgent && <><dt>{t('information.urgent')}</dt><dd>{t('information.urgentYes')}</dd></>}
    </dl>
  );
}

export function PublicRequestPage({ d }: { d: PublicView }) {
  const view = useView();
  const { t } = view;
  const r = d.r;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('information.registerTitle'), path: '/information' }, { label: r.reference }]} />
      <h1><span dir="ltr">{r.reference}</span> {!!r.sample && <SampleBadge />}</h1>
      {r.hidden ? (
        <>
          <p class="flash info">{t('information.hiddenWithReason', { reason: r.hidden_reason ?? '' })}</p>
          <Facts r={r} />
        </>
      ) : (
        <>
          <h2>{t('information.question')}</h2>
          <UserText text={r.question} />
          <Facts r={r} />
          <h2>{t('information.clocks')} <FlagBadge flag={d.flag} /></h2>
          <Steps steps={d.steps} />
          {r.clarification_question && r.status === 'clarification' && <><h2>{t('information.clarificationAsked')}</h2><UserText text={r.clarification_question} /></>}
          <AnswerBlock r={r} text={d.answerText} ground={d.ground} attachments={d.attachments} />
          <Redress r={r} />
          <h2>{t('information.timeline')}</h2>
          <Timeline events={d.events} />
        </>
      )}
    </section>
  );
}

// ---------- The requester's page ----------

export function TrackPage({ d, base, forms }: { d: FileView; base: string; forms: FileForms }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.r;
  const act = (path: string) => href(view, `${base}/${path}`);
  return (
    <section>
      <h1>{t('information.trackTitle', { reference: r.reference })}</h1>
      <Refusal forms={forms} />
      <p class="lead">{t('information.trackIntro')}</p>
      {d.may.confirm && (
        <Form action={act('confirm')}>
          <p>{t('information.confirmAsk')}</p>
          <div class="actions"><Button>{t('information.confirmButton')}</Button></div>
        </Form>
      )}
      <h2>{t('information.question')}</h2>
      <UserText text={r.question} />
      <Facts r={r} />
      {r.status !== 'unconfirmed' && <p><a href={href(view, `/information/${r.reference}`)}>{t('information.seePublic')}</a></p>}
      <h2>{t('information.clocks')} <FlagBadge flag={d.flag} /></h2>
      <Steps steps={d.steps} />
      {d.may.reply && (
        <section aria-labelledby="reply-title">
          <h2 id="reply-title">{t('information.clarificationAsked')}</h2>
          <UserText text={r.clarification_question} />
          <Form action={act('reply')}>
            <TextArea name="reply" label={t('information.replyLabel')} form={forms.reply} required rows={5} />
            <div class="actions"><Button>{t('information.replyButton')}</Button></div>
          </Form>
        </section>
      )}
      <AnswerBlock r={r} text={r.answer_text} ground={d.ground} attachments={d.attachments.filter((a) => !a.hidden)} />
      <Redress r={r} />
      {d.may.complain && (
        <section aria-labelledby="complain-title">
          <h2 id="complain-title">{t('information.complainTitle')}</h2>
          <p>{t('information.complainIntro', { date: formatDate(locale, d.steps.find((s) => s.step === 'complaint_window')?.due ?? d.today) })}</p>
          <Form action={act('complain')}>
            <TextArea name="complaint" label={t('information.complaintLabel')} form={forms.complain} required rows={5} />
            <div class="actions"><Button>{t('information.complainButton')}</Button></div>
          </Form>
        </section>
      )}
      {d.may.cdai && (
        <section aria-labelledby="cdai-title">
          <h2 id="cdai-title">{t('information.cdaiTitle')}</h2>
          <p>{t('information.cdaiIntro')}</p>
          <Form action={act('cdai')}>
            <div class="actions"><Button kind="secondary">{t('information.cdaiButton')}</Button></div>
          </Form>
        </section>
      )}
      <h2>{t('information.timeline')}</h2>
      <Timeline events={d.events} />
      {d.may.withdraw && (
        <Form action={act('withdraw')}>
          <div class="actions"><Button kind="danger">{t('information.withdrawButton')}</Button></div>
        </Form>
      )}
    </section>
  );
}

// ---------- Statistics ----------

const ORDER = ['given', 'partial', 'refused', 'not_held', 'withdrawn', 'open', 'clarification'];

export function StatsPage({ stats, grounds }: { stats: Statistics; grounds: readonly Ground[] }) {
  const view = useView();
  const { t, locale } = view;
  const n = (x: number) => formatNumber(locale, x);
  const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);
  const months = stats.months.slice(-24);
  const maxMonth = Math.max(1, ...months.map((m) => m.n));
  const maxOutcome = Math.max(1, ...stats.outcomes.map((o) => o.n));
  const maxChannel = Math.max(1, ...stats.channels.map((c) => c.n));
  const maxGround = Math.max(1, ...stats.grounds.map((g) => g.n));
  const label = (key: string) => (['open', 'clarification', 'unconfirmed'].includes(key) ? t(`information.status.${key}`) : t(`information.outcome.${key}`));
  return (
    <section>
      <Breadcrumbs items={[{ label: t('information.registerTitle'), path: '/information' }, { label: t('information.statsTitle') }]} />
      <h1>{t('information.statsTitle')}</h1>
      <p class="lead">{t('information.statsIntro')}</p>
      <ul class="stats">
        <li class="stat"><strong>{n(stats.total)}</strong> {t('information.stats.total')}</li>
        <li class="stat"><strong>{n(stats.answered)}</strong> {t('information.stats.answered')}</li>
        <li class="stat"><strong>{n(stats.within)}</strong> {t('information.stats.within')} ({pct(stats.within, stats.answered) ?? '—'}&nbsp;%)</li>
        <li class="stat"><strong>{n(stats.late)}</strong> {t('information.stats.late')}</li>
        <li class="stat"><strong>{stats.medianDays === null ? '—' : n(stats.medianDays)}</strong> {t('information.stats.median')}</li>
      </ul>
      <BarChart id="info-months" title={t('information.stats.byMonth')} labelHeader={t('information.monthLabel')} valueHeader={t('information.stats.requests')} unit="" max={maxMonth}
        data={months.map((m) => ({ label: m.month, value: m.n, display: n(m.n) }))} />
      <Table caption={t('information.stats.byMonthTable')} head={[t('information.monthLabel'), t('information.stats.requests'), t('information.stats.within'), t('information.stats.late')]} numeric={[1, 2, 3]}
        rows={months.map((m) => [<bdi>{m.month}</bdi>, n(m.n), n(m.within), n(m.late)])} />
      <BarChart id="info-outcomes" title={t('information.stats.byOutcome')} labelHeader={t('information.outcomeLabel')} valueHeader={t('information.stats.requests')} unit="" max={maxOutcome}
        data={[...stats.outcomes].sort((a, b) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key)).map((o) => ({ label: label(o.key), value: o.n, display: n(o.n) }))} />
      <BarChart id="info-grounds" title={t('information.stats.byGround')} labelHeader={t('information.ground')} valueHeader={t('information.stats.refusals')} unit="" max={maxGround}
        data={stats.grounds.map((g) => { const gr = grounds.find((x) => x.id === g.groundId); return { label: gr ? (gr.label[locale] ?? gr.label.fr ?? gr.code) : '—', value: g.n, display: n(g.n) }; })} />
      <BarChart id="info-channels" title={t('information.stats.byChannel')} labelHeader={t('information.channelLabel')} valueHeader={t('information.stats.requests')} unit="" max={maxChannel}
        data={stats.channels.map((c) => ({ label: t(`information.channel.${c.key}`), value: c.n, display: n(c.n) }))} />
      <p><a href={href(view, '/information/stats.json')}>{t('information.exportStats')}</a></p>
    </section>
  );
}

// ---------- Staff ----------

type QueueRow = Omit<ListRow, 'hidden_reason'> & { extended: number; flagged_at: string | null; escalated_at: string | null; complaint_on: string | null; complaint_answered_on: string | null };

export function QueuePage({ rows, total, capped, page, pageSize, query, today }: { rows: QueueRow[]; total: number; capped: boolean; page: number; pageSize: number; query: Record<string, string>; today: string }) {
  const view = useView();
  const { t, locale } = view;
  const qs = new URLSearchParams(query).toString();
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('information.queueTitle') }]} />
      <h1>{t('information.queueTitle')}</h1>
      {view.can('information.file_for') && <p class="actions"><a class="button" href={href(view, '/admin/information/new')}>{t('information.counterTitle')}</a></p>}
      <FiltersForm values={query} action="/admin/information" staff />
      <p role="status">{capped ? t('information.countMore', { count: formatNumber(locale, total - 1) }) : t('information.count', { count: total, n: formatNumber(locale, total) })}</p>
      <Table caption={t('information.queueTitle')} head={[t('information.reference'), t('information.stateLabel'), t('information.dueOn'), t('information.question'), t('information.channelLabel')]}
        rows={rows.map((r) => [
          <a href={href(view, `/admin/information/${r.reference}`)} dir="ltr">{r.reference}</a>,
          <><StateBadge status={r.status} outcome={r.outcome} />{' '}{r.escalated_at ? <span class="badge bad">{t('information.flag.late')}</span> : r.flagged_at ? <span class="badge warn">{t('information.flag.near')}</span> : null}
            {!!r.urgent && <> <span class="badge warn">{t('information.urgent')}</span></>}{r.complaint_on && !r.complaint_answered_on && <> <span class="badge bad">{t('information.complaintPending')}</span></>}</>,
          r.due_on ? <>{formatDate(locale, r.due_on)}{r.status === 'open' && r.due_on < today && <> <span class="badge bad">{t('information.late')}</span></>}</> : '—',
          <span dir="auto">{r.hidden ? t('information.hiddenBadge') : excerpt(r.question, 80)}</span>,
          t(`information.channel.${r.channel}`),
        ])} />
      <Pager page={page} pageSize={pageSize} total={capped ? 10_000 : total} base={`/admin/information${qs ? `?${qs}` : ''}`} />
    </section>
  );
}

export function CounterPage({ form }: { form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('information.counterTitle') }]} />
      <h1>{t('information.counterTitle')}</h1>
      <p class="lead">{t('information.counterIntro')}</p>
      <ErrorSummary form={form} labels={requestLabels(t)} />
      <Form action={href(view, '/admin/information/new')}>
        <RequestFields form={form} counter />
        <div class="actions"><Button>{t('information.fileButton')}</Button></div>
      </Form>
    </section>
  );
}

export function ReceiptPage({ d }: { d: FileView }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.r;
  return (
    <section class="receipt info-receipt">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: r.reference, path: `/admin/information/${r.reference}` }, { label: t('information.receiptTitle') }]} />
      <h1>{t('information.receiptTitle')}</h1>
      <p class="lead">{t('information.receiptLead', { commune: view.commune.name[locale] ?? view.commune.name.fr ?? '' })}</p>
      <dl class="kv">
        <dt>{t('information.reference')}</dt><dd dir="ltr"><strong class="code">{r.reference}</strong></dd>
        <dt>{t('information.submittedOn')}</dt><dd>{formatDate(locale, r.created_at, true)} — {t(`information.channel.${r.channel}`)}</dd>
        <dt>{t('information.name')}</dt><dd dir="auto">{r.requester_name}</dd>
        <dt>{t('information.answerForm')}</dt><dd>{t(`information.form.${r.answer_form}`)}</dd>
        {r.due_on && <><dt>{t('information.legalDeadline')}</dt><dd><strong>{formatDate(locale, r.due_on)}</strong> ({t(r.urgent ? 'information.deadlineUrgent' : 'information.deadlineNormal')})</dd></>}
      </dl>
      <h2>{t('information.question')}</h2>
      <UserText text={r.question} />
      <h2>{t('information.clocks')}</h2>
      <Steps steps={d.steps} />
      <h2>{t('information.receiptFollow')}</h2>
      <p>{t('information.receiptFollowText')}</p>
      <p dir="ltr" class="user-text">{`${view.origin}/${locale}/information/${r.reference}`}</p>
      <p>{t('information.receiptRights')}</p>
      <p class="no-print">{t('information.printHint')}</p>
      <p class="no-print"><a href={href(view, `/admin/information/${r.reference}`)}>{t('information.openFile')}</a></p>
    </section>
  );
}

function ReasonForm({ action, name, label, button, form, kind = 'secondary', rows = 3, hint }: { action: string; name: string; label: string; button: string; form?: FormState; kind?: 'primary' | 'secondary' | 'danger'; rows?: number; hint?: string }) {
  const view = useView();
  return (
    <Form action={href(view, action)}>
      <TextArea name={name} label={label} hint={hint} form={form} required rows={rows} />
      <div class="actions"><Button kind={kind}>{button}</Button></div>
    </Form>
  );
}

function RedressDecisionForm({ action, form, button, idPrefix }: { action: string; form?: FormState; button: string; idPrefix: string }) {
  const view = useView();
  const { t } = view;
  void idPrefix;
  return (
    <Form action={href(view, action)}>
      <Choices name="outcome" label={t('information.redressOutcome')} form={form} required options={REDRESS_OUTCOMES.map((o) => ({ value: o, label: t(`information.redress.${o}`) }))} />
      <TextArea name="decision" label={t('information.decisionText')} form={form} required rows={4} />
      <div class="actions"><Button>{button}</Button></div>
    </Form>
  );
}

export function StaffFilePage({ d, forms }: { d: FileView; forms: FileForms }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.r;
  const base = `/admin/information/${r.reference}`;
  const answerForm = forms.answer ?? { values: {}, errors: {} };
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('information.queueTitle'), path: '/admin/information' }, { label: r.reference }]} />
      <h1><span dir="ltr">{r.reference}</span> <StateBadge status={r.status} outcome={r.outcome} /> <FlagBadge flag={d.flag} /> {!!r.hidden && <span class="badge warn">{t('information.hiddenBadge')}</span>}</h1>
      <Refusal forms={forms} />
      <p class="actions no-print">
        {d.may.fileFor && <a class="button secondary" href={href(view, `${base}/receipt`)}>{t('information.receiptTitle')}</a>}{' '}
        {r.status !== 'unconfirmed' && <a class="button secondary" href={href(view, `/information/${r.reference}`)}>{t('information.seePublic')}</a>}
      </p>
      <h2>{t('information.question')}</h2>
      <UserText text={r.question} />
      <Facts r={r} />
      {r.urgent_reason && <><h3>{t('information.urgentReason')}</h3><UserText text={r.urgent_reason} /></>}
      <h2>{t('information.requester')}</h2>
      <dl class="kv">
        <dt>{t('information.name')}</dt><dd dir="auto">{r.requester_name}</dd>
        <dt>{t('information.email')}</dt><dd dir="ltr">{r.requester_email ?? '—'}</dd>
        <dt>{t('information.phone')}</dt><dd dir="ltr">{r.requester_phone ?? '—'}</dd>
        <dt>{t('information.address')}</dt><dd dir="auto">{r.requester_address ?? '—'}</dd>
      </dl>
      {!r.requester_email && <p class="flash info">{t('information.noEmailNote')}</p>}
      <h2>{t('information.clocks')}</h2>
      <Steps steps={d.steps} />
      {r.hidden ? <p class="flash info">{t('information.hiddenWithReason', { reason: r.hidden_reason ?? '' })}</p> : null}
      <AnswerBlock r={r} text={r.answer_text} ground={d.ground} attachments={d.attachments} staff />

      {d.may.answer && (
        <section aria-labelledby="answer-form-title">
          <h2 id="answer-form-title">{t('information.answerFormTitle')}</h2>
          <Form action={href(view, `${base}/answer`)} enctype="multipart/form-data">
            <Choices name="outcome" label={t('information.outcomeLabel')} form={answerForm} required options={ANSWER_OUTCOMES.map((o) => ({ value: o, label: t(`information.outcome.${o}`) }))} />
            <TextArea name="message" label={t('information.message')} hint={t('information.messageHint')} form={answerForm} rows={6} />
            <Field name="document_url" label={t('information.documentLink')} hint={t('information.documentHint')} form={answerForm} dir="ltr" maxlength={500} />
            <div class={`field${answerForm.errors.files ? ' has-error' : ''}`}>
              <label for="f-files">{t('information.files')}</label>
              <p class="hint" id="h-files">{t('information.filesHint', { max: MAX_FILES })}</p>
              {answerForm.errors.files && <p class="field-error" id="e-files"><span class="visually-hidden">{t('form.error')}: </span>{t(answerForm.errors.files.key, answerForm.errors.files.params as any)}</p>}
              <input type="file" id="f-files" name="files" multiple aria-describedby={`h-files${answerForm.errors.files ? ' e-files' : ''}`} aria-invalid={answerForm.errors.files ? 'true' : undefined} />
            </div>
            <Select name="ground" label={t('information.ground')} hint={t('information.groundHint')} form={answerForm} blank={t('information.noGround')}
              options={d.grounds.filter((g) => g.active).map((g) => ({ value: g.code, label: `${t('information.article', { article: g.article })} — ${g.label[locale] ?? g.label.fr ?? g.code}` }))} />
            <TextArea name="motivation" label={t('information.motivation')} form={answerForm} rows={4} />
            <Field name="holder_body" label={t('information.holderBody')} hint={t('information.holderHint')} form={answerForm} maxlength={300} />
            <div class="actions"><Button>{t('information.answerButton')}</Button></div>
          </Form>
        </section>
      )}
      {d.may.extend && <section aria-labelledby="extend-title"><h2 id="extend-title">{t('information.extendTitle')}</h2>
        <ReasonForm action={`${base}/extend`} name="reason" label={t('information.extensionReason')} hint={t('information.extendHint')} button={t('information.extendButton')} form={forms.extend} /></section>}
      {d.may.clarify && <section aria-labelledby="clarify-title"><h2 id="clarify-title">{t('information.clarifyTitle')}</h2>
        <ReasonForm action={`${base}/clarify`} name="question" label={t('information.clarifyLabel')} hint={t('information.clarifyHint')} button={t('information.clarifyButton')} form={forms.clarify} /></section>}
      {d.may.reply && d.may.fileFor && <section aria-labelledby="reply-title"><h2 id="reply-title">{t('information.replyCounterTitle')}</h2>
        <UserText text={r.clarification_question} />
        <ReasonForm action={`${base}/reply`} name="reply" label={t('information.replyLabel')} button={t('information.replyButton')} form={forms.reply} /></section>}
      {d.may.complain && d.may.fileFor && <section aria-labelledby="complain-title"><h2 id="complain-title">{t('information.complainCounterTitle')}</h2>
        <ReasonForm action={`${base}/complain`} name="complaint" label={t('information.complaintLabel')} button={t('information.complainButton')} form={forms.complain} /></section>}
      {r.complaint_on && !r.complaint_answered_on && d.may.handle && <section aria-labelledby="complaint-answer-title"><h2 id="complaint-answer-title">{t('information.complaintAnswerTitle')}</h2>
        <h3>{t('information.complaintLabel')}</h3><UserText text={r.complaint_text} />
        <RedressDecisionForm action={`${base}/complaint-answer`} form={forms.complaintAnswer} button={t('information.saveButton')} idPrefix="ca" /></section>}
      {d.may.cdai && d.may.fileFor && <section aria-labelledby="cdai-title"><h2 id="cdai-title">{t('information.cdaiTitle')}</h2>
        <Form action={href(view, `${base}/cdai`)}><div class="actions"><Button kind="secondary">{t('information.cdaiCounterButton')}</Button></div></Form></section>}
      {r.cdai_on && !r.cdai_decided_on && d.may.handle && <section aria-labelledby="cdai-decision-title"><h2 id="cdai-decision-title">{t('information.cdaiDecisionTitle')}</h2>
        <RedressDecisionForm action={`${base}/cdai-decision`} form={forms.cdaiDecision} button={t('information.saveButton')} idPrefix="cd" /></section>}
      <Redress r={r} />
      {d.may.handle && r.status === 'closed' && r.answer_text && (
        <section aria-labelledby="redact-title">
          <h2 id="redact-title">{t('information.redactTitle')}</h2>
          <Form action={href(view, `${base}/redact`)}>
            <TextArea name="public_answer" label={t('information.publicAnswer')} hint={t('information.publicAnswerHint')} form={forms.redact ?? { values: { public_answer: r.public_answer ?? r.answer_text }, errors: {} }} required rows={6} />
            <TextArea name="reason" label={t('information.redactionReason')} form={forms.redact ?? { values: { reason: r.redaction_reason ?? '' }, errors: {} }} required rows={2} />
            <div class="actions"><Button kind="secondary">{t('information.redactButton')}</Button></div>
          </Form>
        </section>
      )}
      {d.may.handle && d.attachments.some((a) => !a.hidden) && (
        <section aria-labelledby="hide-files-title">
          <h2 id="hide-files-title">{t('information.hideFilesTitle')}</h2>
          {d.attachments.filter((a) => !a.hidden).map((a) => (
            <Form action={href(view, `${base}/attachments/${a.id}/hide`)}>
              <div class="field">
                <label for={`f-reason-${a.id}`}>{t('information.hideFileLabel', { name: a.name })}</label>
                <input id={`f-reason-${a.id}`} name="reason" type="text" maxLength={1000} />
              </div>
              <div class="actions"><Button kind="secondary">{t('information.hideFileButton')}</Button></div>
            </Form>
          ))}
        </section>
      )}
      {d.may.handle && r.status !== 'unconfirmed' && (
        <section aria-labelledby="hide-title">
          <h2 id="hide-title">{r.hidden ? t('information.showTitle') : t('information.hideTitle')}</h2>
          {r.hidden
            ? <Form action={href(view, `${base}/show`)}><div class="actions"><Button kind="secondary">{t('information.showButton')}</Button></div></Form>
            : <ReasonForm action={`${base}/hide`} name="reason" label={t('information.hideReason')} hint={t('information.hideHint')} button={t('information.hideButton')} form={forms.hide} kind="danger" />}
        </section>
      )}
      {d.may.withdraw && d.may.fileFor && (
        <Form action={href(view, `${base}/withdraw`)}>
          <div class="actions"><Button kind="danger">{t('information.withdrawCounterButton')}</Button></div>
        </Form>
      )}
      <h2>{t('information.timeline')}</h2>
      <Timeline events={d.events} staff />
    </section>
  );
}

export function GroundsPage({ grounds, form }: { grounds: readonly Ground[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('information.groundsTitle') }]} />
      <h1>{t('information.groundsTitle')}</h1>
      <p class="lead">{t('information.groundsIntro')}</p>
      <Table caption={t('information.groundsTitle')} head={[t('information.groundCode'), t('information.groundArticle'), t('information.groundLabel'), t('information.groundActive')]}
        rows={grounds.map((g) => [<a href={href(view, `/admin/information/grounds/${g.id}`)}>{g.code}</a>, g.article, <Tr value={g.label} />, g.active ? t('information.yes') : t('information.no')])} />
      <Form action={href(view, '/admin/information/grounds/seed')}>
        <p>{t('information.seedGroundsHint')}</p>
        <div class="actions"><Button kind="secondary">{t('information.seedGrounds')}</Button></div>
      </Form>
      <h2>{t('information.addGround')}</h2>
      <GroundFields form={form} action="/admin/information/grounds" />
    </section>
  );
}

function GroundFields({ form, action }: { form: FormState; action: string }) {
  const view = useView();
  const { t } = view;
  return (
    <Form action={href(view, action)}>
      <ErrorSummary form={form} labels={{ code: t('information.groundCode'), article: t('information.groundArticle'), label_fr: t('information.groundLabelFr') }} />
      <Field name="code" label={t('information.groundCode')} hint={t('information.groundCodeHint')} form={form} required dir="ltr" maxlength={40} />
      <Field name="article" label={t('information.groundArticle')} form={form} required maxlength={40} />
      <Field name="label_fr" label={t('information.groundLabelFr')} form={form} required maxlength={300} />
      <Field name="label_ar" label={t('information.groundLabelAr')} form={form} dir="rtl" maxlength={300} />
      <Field name="label_en" label={t('information.groundLabelEn')} form={form} maxlength={300} />
      <div class="choice"><input type="checkbox" id="f-active" name="active" value="1" checked={!!form.values.active} /><label for="f-active">{t('information.groundActive')}</label></div>
      <div class="actions"><Button>{t('information.saveButton')}</Button></div>
    </Form>
  );
}

export function GroundPage({ ground, form }: { ground: Ground; form: FormState }) {
  const { t } = useView();
  return (
    <section class="narrow">
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('information.groundsTitle'), path: '/admin/information/grounds' }, { label: ground.code }]} />
      <h1>{t('information.groundTitle', { code: ground.code })}</h1>
      <GroundFields form={form} action={`/admin/information/grounds/${ground.id}`} />
    </section>
  );
}
