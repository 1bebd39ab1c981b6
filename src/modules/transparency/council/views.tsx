import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, Pager, SampleBadge, Breadcrumbs, Form, Field, TextArea, Select, Button, ErrorSummary, Choices, type FormState } from '../../../core/ui/components.tsx';
import { formatDate, formatNumber, tr } from '../../../core/i18n/index.ts';
import type { Session, SessionDetail, Deliberation } from './service.ts';
import type { Document } from '../documents/service.ts';
import { SESSION_KINDS, SESSION_STATUSES, DECISIONS } from '../schema.ts';

export function DecisionBadge({ d }: { d: Deliberation }) {
  const { t } = useView();
  return <span class={`badge ${d.decision === 'adopted' ? 'ok' : d.decision === 'rejected' ? 'bad' : 'warn'}`}>{t(`transparency.decision.${d.decision}`)}</span>;
}

export function Votes({ d }: { d: Deliberation }) {
  const { t, locale } = useView();
  if (d.consensus) return <>{t('transparency.consensus')}</>;
  return <>{t('transparency.votes', { for: formatNumber(locale, d.votesFor ?? 0), against: formatNumber(locale, d.votesAgainst ?? 0), abstention: formatNumber(locale, d.votesAbstention ?? 0) })}</>;
}

function SessionCard({ s }: { s: Session }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <li class="card">
      <h3><a href={href(view, s.path)}><Tr value={s.title} /></a></h3>
      <ul class="tags"><li>{t(`transparency.sessionKind.${s.kind}`)}</li><li>{t(`transparency.sessionStatus.${s.status}`)}</li></ul>
      <p><time datetime={s.startsAt}>{formatDate(locale, s.startsAt, true)}</time> · <Tr value={s.place} /></p>
      {s.sample && <p><SampleBadge /></p>}
    </li>
  );
}

export function CalendarPage({ cal }: { cal: { upcoming: Session[]; past: Session[]; page: number; pastTotal: number; pageSize: number } }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('transparency.councilTitle')}</h1>
      <p class="lead">{t('transparency.councilIntro')}</p>
      <p><a href={href(view, '/council.ics')} type="text/calendar">{t('transparency.icalFeed')}</a> · <a href={href(view, '/council.csv')}>{t('transparency.sessionsCsv')}</a> · <a href={href(view, '/council/deliberations.csv')}>{t('transparency.deliberationsCsv')}</a></p>
      <h2>{t('transparency.upcoming')}</h2>
      {cal.upcoming.length ? <ul class="cards">{cal.upcoming.map((s) => <SessionCard s={s} />)}</ul> : <p>{t('transparency.noUpcoming')}</p>}
      <h2>{t('transparency.past')}</h2>
      {cal.past.length ? <ul class="cards">{cal.past.map((s) => <SessionCard s={s} />)}</ul> : <p>{t('transparency.noPast')}</p>}
      <Pager page={cal.page} pageSize={cal.pageSize} total={cal.pastTotal} base="/council" />
    </section>
  );
}

export function SessionPage({ d, documents }: { d: SessionDetail; documents: Document[] }) {
  const view = useView();
  const { t, locale } = view;
  const { session: s } = d;
  const loose = d.deliberations.filter((x) => x.itemId === null);
  const Delib = ({ x }: { x: Deliberation }) => (
    <div class="deliberation" id={x.ref}>
      <h4><bdi>{x.ref}</bdi> — <Tr value={x.title} /> <DecisionBadge d={x} /> {x.sample && <SampleBadge />}</h4>
      {tr(x.text, locale) && <p><Tr value={x.text} /></p>}
      <p class="muted"><Votes d={x} /></p>
    </div>
  );
  return (
    <article>
      <Breadcrumbs items={[{ label: t('transparency.councilTitle'), path: '/council' }, { label: tr(s.title, locale) }]} />
      <h1><Tr value={s.title} /></h1>
      {s.sample && <p><SampleBadge /></p>}
      <dl class="kv">
        <dt>{t('transparency.field.sessionKind')}</dt><dd>{t(`transparency.sessionKind.${s.kind}`)}</dd>
        <dt>{t('transparency.field.date')}</dt><dd><time datetime={s.startsAt}>{formatDate(locale, s.startsAt, true)}</time>{s.endsAt && <> – <time datetime={s.endsAt}>{formatDate(locale, s.endsAt, true)}</time></>}</dd>
        <dt>{t('transparency.field.place')}</dt><dd><Tr value={s.place} /></dd>
        <dt>{t('transparency.statusLabel')}</dt><dd>{t(`transparency.sessionStatus.${s.status}`)}</dd>
      </dl>
      <h2>{t('transparency.agenda')}</h2>
      {d.items.length === 0 && <p>{t('transparency.noAgenda')}</p>}
      <ol class="agenda">
        {d.items.map((i) => (
          <li>
            <h3><Tr value={i.title} /></h3>
            {tr(i.summary, locale) && <p><Tr value={i.summary} /></p>}
            {d.deliberations.filter((x) => x.itemId === i.id).map((x) => <Delib x={x} />)}
          </li>
        ))}
      </ol>
      {loose.length > 0 && <><h2>{t('transparency.otherDeliberations')}</h2>{loose.map((x) => <Delib x={x} />)}</>}
      <h2>{t('transparency.sessionDocuments')}</h2>
      {documents.length ? <ul>{documents.map((doc) => <li><a href={href(view, doc.path)}><Tr value={doc.title} /></a> <span class="muted">({formatDate(locale, doc.publishedAt)})</span></li>)}</ul> : <p>{t('transparency.noDocuments')}</p>}
    </article>
  );
}

// ---------- Staff ----------

const labels = (t: (k: string) => string) => ({
  kind: t('transparency.field.sessionKind'), title_fr: t('transparency.field.titleFr'), date: t('transparency.field.date'), start_time: t('transparency.field.startTime'),
  end_time: t('transparency.field.endTime'), place_fr: t('transparency.field.placeFr'), status: t('transparency.statusLabel'), item_id: t('transparency.field.item'),
  decision: t('transparency.field.decision'), votes_for: t('transparency.field.votesFor'), votes_against: t('transparency.field.votesAgainst'), votes_abstention: t('transparency.field.votesAbstention'),
});

function SessionFields({ form }: { form: FormState }) {
  const { t } = useView();
  return (
    <>
      <Select name="kind" label={t('transparency.field.sessionKind')} required form={form} options={SESSION_KINDS.map((k) => ({ value: k, label: t(`transparency.sessionKind.${k}`) }))} />
      <Field name="title_fr" label={t('transparency.field.titleFr')} required form={form} maxlength={300} />
      <Field name="title_ar" label={t('transparency.field.titleAr')} dir="rtl" form={form} maxlength={300} />
      <Field name="title_en" label={t('transparency.field.titleEn')} form={form} maxlength={300} />
      <Field name="date" type="date" label={t('transparency.field.date')} required form={form} />
      <Field name="start_time" type="time" label={t('transparency.field.startTime')} required form={form} />
      <Field name="end_time" type="time" label={t('transparency.field.endTime')} form={form} />
      <Field name="place_fr" label={t('transparency.field.placeFr')} required form={form} maxlength={300} />
      <Field name="place_ar" label={t('transparency.field.placeAr')} dir="rtl" form={form} maxlength={300} />
      <Select name="status" label={t('transparency.statusLabel')} required form={form} options={SESSION_STATUSES.map((k) => ({ value: k, label: t(`transparency.sessionStatus.${k}`) }))} />
    </>
  );
}

export function AdminSessionsPage({ sessions, form }: { sessions: Session[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <h1>{t('transparency.adminCouncil')}</h1>
      <Table caption={t('transparency.sessionsCaption')} head={[t('transparency.field.title'), t('transparency.field.date'), t('transparency.statusLabel')]}
        rows={sessions.map((s) => [<a href={href(view, `/admin/council/${s.id}`)}><Tr value={s.title} /></a>, formatDate(locale, s.startsAt, true), t(`transparency.sessionStatus.${s.status}`)])} />
      <h2>{t('transparency.newSession')}</h2>
      <ErrorSummary form={form} labels={labels(t)} />
      <Form action={href(view, '/admin/council')}>
        <SessionFields form={form} />
        <div class="actions"><Button>{t('transparency.createSession')}</Button></div>
      </Form>
    </section>
  );
}

export interface SessionForms { edit?: FormState; item?: FormState; deliberation?: FormState }

export function AdminSessionPage({ d, forms, editDefault, commitments }: { d: SessionDetail; forms: SessionForms; editDefault: FormState; commitments: { id: number; label: string }[] }) {
  const view = useView();
  const { t, locale } = view;
  const s = d.session;
  const base = `/admin/council/${s.id}`;
  const empty: FormState = { values: {}, errors: {} };
  const delibForm = forms.deliberation ?? { values: { decision: 'adopted', consensus: '' }, errors: {} };
  return (
    <section>
      <Breadcrumbs items={[{ label: t('transparency.adminCouncil'), path: '/admin/council' }, { label: tr(s.title, locale) }]} />
      <h1><Tr value={s.title} /></h1>
      <p><a href={href(view, s.path)}>{t('transparency.publicPage')}</a></p>
      <h2>{t('transparency.agenda')}</h2>
      <ol>{d.items.map((i) => <li><Tr value={i.title} /> ({d.deliberations.filter((x) => x.itemId === i.id).length})</li>)}</ol>
      <h3>{t('transparency.addItem')}</h3>
      <ErrorSummary form={forms.item ?? empty} labels={labels(t)} />
      <Form action={href(view, `${base}/items`)}>
        <Field name="title_fr" label={t('transparency.field.titleFr')} required form={forms.item ?? empty} maxlength={300} />
        <Field name="title_ar" label={t('transparency.field.titleAr')} dir="rtl" form={forms.item ?? empty} maxlength={300} />
        <TextArea name="summary_fr" label={t('transparency.field.summaryFr')} form={forms.item ?? empty} rows={2} maxlength={2000} />
        <div class="actions"><Button kind="secondary">{t('transparency.addItem')}</Button></div>
      </Form>
      <h2>{t('transparency.deliberationsTitle')}</h2>
      <Table caption={t('transparency.deliberationsTitle')} head={[t('transparency.reference'), t('transparency.field.title'), t('transparency.field.decision'), t('transparency.field.votes')]}
        rows={d.deliberations.map((x) => [<bdi>{x.ref}</bdi>, <Tr value={x.title} />, <DecisionBadge d={x} />, <Votes d={x} />])} />
      <h3>{t('transparency.addDeliberation')}</h3>
      <ErrorSummary form={delibForm} labels={labels(t)} />
      <Form action={href(view, `${base}/deliberations`)}>
        <Select name="item_id" label={t('transparency.field.item')} blank={t('transparency.none')} form={delibForm} options={d.items.map((i) => ({ value: String(i.id), label: `${i.position}. ${tr(i.title, locale)}` }))} />
        <Field name="title_fr" label={t('transparency.field.titleFr')} required form={delibForm} maxlength={300} />
        <Field name="title_ar" label={t('transparency.field.titleAr')} dir="rtl" form={delibForm} maxlength={300} />
        <TextArea name="text_fr" label={t('transparency.field.textFr')} form={delibForm} rows={4} maxlength={20000} />
        <TextArea name="text_ar" label={t('transparency.field.textAr')} form={delibForm} rows={4} maxlength={20000} />
        <Select name="decision" label={t('transparency.field.decision')} required form={delibForm} options={DECISIONS.map((k) => ({ value: k, label: t(`transparency.decision.${k}`) }))} />
        <Choices name="consensus" label={t('transparency.field.consensus')} form={delibForm} options={[{ value: '1', label: t('transparency.consensus') }]} multiple />
        <Field name="votes_for" label={t('transparency.field.votesFor')} inputmode="numeric" form={delibForm} maxlength={4} />
        <Field name="votes_against" label={t('transparency.field.votesAgainst')} inputmode="numeric" form={delibForm} maxlength={4} />
        <Field name="votes_abstention" label={t('transparency.field.votesAbstention')} inputmode="numeric" form={delibForm} maxlength={4} />
        {commitments.length > 0 && <Choices name="commitments" label={t('transparency.field.commitments')} form={delibForm} multiple options={commitments.map((c) => ({ value: String(c.id), label: c.label }))} />}
        <div class="actions"><Button>{t('transparency.addDeliberation')}</Button></div>
      </Form>
      <h2>{t('transparency.editTitle')}</h2>
      <ErrorSummary form={forms.edit ?? empty} labels={labels(t)} />
      <Form action={href(view, base)}>
        <SessionFields form={forms.edit ?? editDefault} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}
