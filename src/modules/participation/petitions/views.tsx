import { useView, href } from '../../../core/ui/view.ts';
import { Table, Breadcrumbs, SampleBadge, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, Pager, type FormState } from '../../../core/ui/components.tsx';
import { ProgressBar } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber } from '../../../core/i18n/index.ts';
import type { Petition } from './service.ts';
import type { PetitionSettings } from './rules.ts';

function StatusBadge({ p }: { p: Petition }) {
  const { t } = useView();
  const cls = p.status === 'inadmissible' ? 'bad' : p.status === 'decided' || p.status === 'admissible' || p.status === 'scheduled' ? 'ok' : 'neutral';
  return <span class={`badge ${cls}`}>{t(`petitions.status.${p.status}`)}</span>;
}

function Count({ p }: { p: Petition }) {
  const { t, locale } = useView();
  if (p.kind === 'association') return <>{t('petitions.associationNoCount')}</>;
  return (
    <>
      <span>{t('petitions.countOf', { n: formatNumber(locale, p.signatures), threshold: formatNumber(locale, p.threshold) })}</span>
      <ProgressBar value={Math.min(100, (100 * p.signatures) / (p.threshold || 1))} />
    </>
  );
}

/** The admissibility conditions in force (commune settings, the law's values by default), shown wherever a petition is. */
export function Conditions({ s, citizensMin }: { s: PetitionSettings; citizensMin: number }) {
  const { t, locale } = useView();
  return (
    <section aria-labelledby="conditions-title">
      <h2 id="conditions-title">{t('petitions.conditionsTitle')}</h2>
      <ul>
        <li>{t('petitions.condCitizens', { n: formatNumber(locale, citizensMin) })}</li>
        <li>{t('petitions.condResidence')}</li>
        <li>{t('petitions.condAssociation', { years: formatNumber(locale, s.associationYears) })}</li>
        <li>{t('petitions.condExcluded')}{s.excluded && <> {t('petitions.condExcludedLocal')} <bdi class="user-text">{s.excluded}</bdi></>}</li>
        <li>{t('petitions.condDelay', { months: formatNumber(locale, s.decisionMonths) })}</li>
      </ul>
      <p class="muted">{t('petitions.lawSource')}</p>
    </section>
  );
}

export function PetitionsPage({ items, total, page, s, citizensMin }: { items: Petition[]; total: number; page: number; s: PetitionSettings; citizensMin: number }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <h1>{t('petitions.title')}</h1>
      <p class="lead">{t('petitions.intro')}</p>
      <p><a class="button" href={href(view, '/petitions/new')}>{t('petitions.start')}</a></p>
      <Table caption={t('petitions.listCaption')} head={[t('petitions.reference'), t('petitions.object'), t('petitions.statusLabel'), t('petitions.signatures')]}
        rows={items.map((p) => [<a href={href(view, `/petitions/${p.reference}`)}>{p.reference}</a>, <><bdi class="user-text">{p.title}</bdi>{p.sample && <> <SampleBadge /></>}</>,
          <StatusBadge p={p} />, p.kind === 'association' ? '—' : `${formatNumber(locale, p.signatures)} / ${formatNumber(locale, p.threshold)}`])} />
      <Pager page={page} pageSize={20} total={total} base="/petitions" />
      <Conditions s={s} citizensMin={citizensMin} />
    </section>
  );
}

const newLabels = (t: (k: string) => string) => ({
  kind: t('petitions.kindLabel'), title: t('petitions.object'), reasons: t('petitions.reasons'), requested_action: t('petitions.requestedAction'),
  promoter_name: t('petitions.promoterName'), association_name: t('petitions.associationName'), conditions: t('petitions.conditionsTitle'),
  cin: t('petitions.cin'), attest: t('petitions.attestLabel'), lines: t('petitions.paperLines'), decision: t('petitions.decisionLabel'),
  reason: t('petitions.reason'), session_date: t('petitions.sessionDate'), session_reference: t('petitions.sessionReference'), decided_on: t('petitions.decidedOn'),
  citizens_min: t('petitions.citizensMin'), association_years: t('petitions.associationYears'), decision_months: t('petitions.decisionMonths'),
});

export function NewPetitionPage({ form, s, citizensMin }: { form: FormState; s: PetitionSettings; citizensMin: number }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('petitions.title'), path: '/petitions' }, { label: t('petitions.start') }]} />
      <h1>{t('petitions.start')}</h1>
      <Conditions s={s} citizensMin={citizensMin} />
      <Form action={href(view, '/petitions/new')}>
        <ErrorSummary form={form} labels={newLabels(t)} />
        <Choices name="kind" label={t('petitions.kindLabel')} form={form} required options={[{ value: 'citizens', label: t('petitions.kind.citizens') }, { value: 'association', label: t('petitions.kind.association') }]} />
        <Field name="title" label={t('petitions.object')} form={form} required maxlength={200} />
        <TextArea name="reasons" label={t('petitions.reasons')} form={form} required rows={6} maxlength={5000} />
        <TextArea name="requested_action" label={t('petitions.requestedAction')} form={form} required rows={3} maxlength={2000} />
        <Field name="promoter_name" label={t('petitions.promoterName')} hint={t('petitions.promoterHint')} form={form} required maxlength={120} />
        <Field name="association_name" label={t('petitions.associationName')} hint={t('petitions.associationHint')} form={form} maxlength={200} />
        <Choices name="conditions" label={t('petitions.conditionsTitle')} form={form} multiple required options={[{ value: '1', label: t('petitions.conditionsAccept') }]} />
        <div class="actions"><Button>{t('petitions.create')}</Button></div>
      </Form>
    </section>
  );
}

export interface StaffForms { paper?: FormState; admissibility?: FormState; agenda?: FormState; decision?: FormState; paperResult?: { added: number; duplicates: number[]; invalid: number[] } }

export function PetitionPage({ p, events, signed, form, fileForm, clock, s, citizensMin, staff }: {
  p: Petition; events: { at: string; kind: string; note: string | null }[]; signed: boolean; form: FormState; fileForm?: FormState;
  clock: { due: string; left: number } | null; s: PetitionSettings; citizensMin: number; staff?: StaffForms;
}) {
  const view = useView();
  const { t, locale } = view;
  const base = staff ? `/admin/petitions/${p.reference}` : `/petitions/${p.reference}`;
  return (
    <article>
      <Breadcrumbs items={staff ? [{ label: t('petitions.adminTitle'), path: '/admin/petitions' }, { label: p.reference }] : [{ label: t('petitions.title'), path: '/petitions' }, { label: p.reference }]} />
      <h1><bdi class="user-text">{p.title}</bdi></h1>
      <p class="lead">{p.reference} · <StatusBadge p={p} /> · {t(`petitions.kind.${p.kind}`)}{p.sample && <> <SampleBadge /></>}</p>
      <dl class="kv">
        <dt>{t('petitions.promoter')}</dt><dd><bdi>{p.promoterName}</bdi>{p.associationName && <> — <bdi>{p.associationName}</bdi></>}</dd>
        <dt>{t('petitions.signatures')}</dt><dd><Count p={p} />{p.kind !== 'association' && <> {t('petitions.byChannel', { online: formatNumber(locale, p.online), paper: formatNumber(locale, p.paper) })}</>}</dd>
        {p.filedAt && <><dt>{t('petitions.filedAt')}</dt><dd>{formatDate(locale, p.filedAt)}</dd></>}
        {clock && <><dt>{t('petitions.clock')}</dt><dd>{t(clock.left >= 0 ? 'petitions.clockLeft' : 'petitions.clockOverdue', { due: formatDate(locale, clock.due), n: formatNumber(locale, Math.abs(clock.left)) })}</dd></>}
        {p.refusalReason && <><dt>{t('petitions.refusalReason')}</dt><dd><bdi class="user-text">{p.refusalReason}</bdi></dd></>}
        {p.sessionDate && <><dt>{t('petitions.agenda')}</dt><dd>{formatDate(locale, p.sessionDate)} — <bdi>{p.sessionReference}</bdi></dd></>}
        {p.councilDecision && <><dt>{t('petitions.councilDecision')}</dt><dd>{formatDate(locale, p.councilDecidedOn)} — <bdi class="user-text">{p.councilDecision}</bdi></dd></>}
      </dl>
      <h2>{t('petitions.reasons')}</h2>
      <p class="user-text" lang={p.language}>{p.reasons}</p>
      <h2>{t('petitions.requestedAction')}</h2>
      <p class="user-text" lang={p.language}>{p.requestedAction}</p>

      {!staff && p.status === 'collecting' && p.kind !== 'association' && (
        <section aria-labelledby="sign-title">
          <h2 id="sign-title">{t('petitions.signTitle')}</h2>
          {signed ? <p>{t('petitions.alreadySigned')}</p> : !view.actor
            ? <p><a href={`${href(view, '/login')}?next=${encodeURIComponent(href(view, base))}`}>{t('petitions.signInToSign')}</a></p>
            : (
              <Form action={href(view, `${base}/sign`)}>
                <ErrorSummary form={form} labels={newLabels(t)} />
                <Field name="cin" label={t('petitions.cin')} hint={t('petitions.cinHint')} form={form} required dir="ltr" autocomplete="off" maxlength={20} />
                <Choices name="attest" label={t('petitions.attestLabel')} form={form} multiple required options={[{ value: '1', label: t('petitions.attest') }]} />
                <div class="actions"><Button>{t('petitions.sign')}</Button></div>
              </Form>
            )}
        </section>
      )}
      {!staff && p.mine && p.status === 'collecting' && (
        <section aria-labelledby="file-title">
          <h2 id="file-title">{t('petitions.fileTitle')}</h2>
          <p>{t('petitions.fileText')}</p>
          <Form action={href(view, `${base}/file`)}>
            {fileForm && <ErrorSummary form={fileForm} labels={{}} />}
            <div class="actions"><Button>{t('petitions.file')}</Button></div>
          </Form>
        </section>
      )}
      {staff && <StaffActions p={p} forms={staff} />}

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('petitions.timeline')}</h2>
        <ol class="timeline">
          {events.map((e) => <li><p><time dateTime={e.at}>{formatDate(locale, e.at, true)}</time> — {t(`petitions.event.${e.kind}`, { note: e.note ?? '' })}</p>{e.note && ['inadmissible', 'decided'].includes(e.kind) && <p class="user-text">{e.note}</p>}</li>)}
        </ol>
      </section>
      <Conditions s={s} citizensMin={citizensMin} />
    </article>
  );
}

function StaffActions({ p, forms }: { p: Petition; forms: StaffForms }) {
  const view = useView();
  const { t, locale } = view;
  const base = `/admin/petitions/${p.reference}`;
  const empty: FormState = { values: {}, errors: {} };
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{t('petitions.staffTitle')}</h2>
      {forms.paperResult && (
        <p role="status">{t('petitions.paperResult', { added: formatNumber(locale, forms.paperResult.added), duplicates: forms.paperResult.duplicates.join(', ') || '—', invalid: forms.paperResult.invalid.join(', ') || '—' })}</p>
      )}
      {(forms.paper || (p.status === 'collecting' && p.kind !== 'association' && view.can('petitions.paper'))) && (
        <Form action={href(view, `${base}/paper`)}>
          <h3>{t('petitions.paperTitle')}</h3>
          <ErrorSummary form={forms.paper ?? empty} labels={newLabels(t)} />
          <TextArea name="lines" label={t('petitions.paperLines')} hint={t('petitions.paperHint')} form={forms.paper ?? empty} rows={8} required />
          <div class="actions"><Button>{t('petitions.paperSave')}</Button></div>
        </Form>
      )}
      {(forms.admissibility || (p.status === 'filed' && view.can('petitions.decide'))) && (
        <Form action={href(view, `${base}/admissibility`)}>
          <h3>{t('petitions.admissibilityTitle')}</h3>
          <ErrorSummary form={forms.admissibility ?? empty} labels={newLabels(t)} />
          <Select name="decision" label={t('petitions.decisionLabel')} form={forms.admissibility ?? empty} required blank="" options={[{ value: 'admissible', label: t('petitions.status.admissible') }, { value: 'inadmissible', label: t('petitions.status.inadmissible') }]} />
          <TextArea name="reason" label={t('petitions.reason')} hint={t('petitions.reasonHint')} form={forms.admissibility ?? empty} rows={4} />
          <div class="actions"><Button>{t('petitions.record')}</Button></div>
        </Form>
      )}
      {(forms.agenda || (p.status === 'admissible' && view.can('petitions.decide'))) && (
        <Form action={href(view, `${base}/agenda`)}>
          <h3>{t('petitions.agendaTitle')}</h3>
          <ErrorSummary form={forms.agenda ?? empty} labels={newLabels(t)} />
          <Field name="session_date" type="date" label={t('petitions.sessionDate')} form={forms.agenda ?? empty} required />
          <Field name="session_reference" label={t('petitions.sessionReference')} hint={t('petitions.sessionHint')} form={forms.agenda ?? empty} required />
          <div class="actions"><Button>{t('petitions.record')}</Button></div>
        </Form>
      )}
      {(forms.decision || (p.status === 'scheduled' && view.can('petitions.decide'))) && (
        <Form action={href(view, `${base}/decision`)}>
          <h3>{t('petitions.decisionTitle')}</h3>
          <ErrorSummary form={forms.decision ?? empty} labels={newLabels(t)} />
          <Field name="decided_on" type="date" label={t('petitions.decidedOn')} form={forms.decision ?? empty} required />
          <TextArea name="decision" label={t('petitions.councilDecision')} form={forms.decision ?? empty} rows={4} required />
          <div class="actions"><Button>{t('petitions.record')}</Button></div>
        </Form>
      )}
    </section>
  );
}

export function AdminPetitionsPage({ items, total, page }: { items: Petition[]; total: number; page: number }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <h1>{t('petitions.adminTitle')}</h1>
      {view.can('petitions.configure') && <p><a href={href(view, '/admin/petitions/settings')}>{t('petitions.settingsTitle')}</a></p>}
      <Table caption={t('petitions.listCaption')} head={[t('petitions.reference'), t('petitions.object'), t('petitions.statusLabel'), t('petitions.signatures'), t('petitions.clock')]}
        rows={items.map((p) => [<a href={href(view, `/admin/petitions/${p.reference}`)}>{p.reference}</a>, <bdi class="user-text">{p.title}</bdi>, <StatusBadge p={p} />,
          p.kind === 'association' ? '—' : `${formatNumber(locale, p.signatures)} / ${formatNumber(locale, p.threshold)}`, p.decisionDueOn && p.status === 'filed' ? formatDate(locale, p.decisionDueOn) : '—'])} />
      <Pager page={page} pageSize={20} total={total} base="/admin/petitions" />
    </section>
  );
}

export function SettingsPage({ form, defaultMin }: { form: FormState; defaultMin: number }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('petitions.adminTitle'), path: '/admin/petitions' }, { label: t('petitions.settingsTitle') }]} />
      <h1>{t('petitions.settingsTitle')}</h1>
      <p>{t('petitions.lawSource')}</p>
      <Form action={href(view, '/admin/petitions/settings')}>
        <ErrorSummary form={form} labels={newLabels(t)} />
        <Field name="citizens_min" label={t('petitions.citizensMin')} hint={t('petitions.citizensMinHint', { n: formatNumber(locale, defaultMin) })} form={form} inputmode="numeric" />
        <Choices name="arrondissements" label={t('petitions.arrondissementsLabel')} form={form} multiple options={[{ value: '1', label: t('petitions.arrondissements') }]} />
        <Field name="association_years" label={t('petitions.associationYears')} form={form} required inputmode="numeric" />
        <Field name="decision_months" label={t('petitions.decisionMonths')} form={form} required inputmode="numeric" />
        <TextArea name="excluded" label={t('petitions.excluded')} hint={t('petitions.excludedHint')} form={form} rows={4} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}
