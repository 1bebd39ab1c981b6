import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Breadcrumbs, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, Table, SampleBadge, type FormState } from '../../../core/ui/components.tsx';
import { ProgressBar } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr, type Translated } from '../../../core/i18n/index.ts';
import {
  PLAN_KINDS, PLAN_STATUSES, ACTION_STATUSES, OGP_VALUES, INDICATOR_KINDS, DIRECTIONS, FREQUENCIES, DECISION_OUTCOMES, ROW_STATES,
} from '../rules.ts';
import type { CommitmentSummary, InstitutionRef, EvidenceView } from '../service.ts';
import type { CycleView, CycleBoard, MatrixRowView, RowDetail } from '../matrix.ts';
import type { LineError } from '../rules.ts';
import { StatusBadge, StateBadge, LateBadge, Pct, Num, InstitutionName, fileSize, iso } from './common.tsx';

// ---------- Shared pieces ----------

type Crumb = { label: string; path?: string };

function AdminCrumbs({ items }: { items: Crumb[] }) {
  const { t } = useView();
  return <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('plans.admin.title'), path: '/admin/plans' }, ...items]} />;
}

const planCrumb = (slug: string, title: Translated, locale: 'fr' | 'ar' | 'en'): Crumb => ({ label: tr(title, locale), path: `/admin/plans/${slug}` });
const cycleCrumb = (slug: string, code: string, label: string): Crumb => ({ label: iso(label), path: `/admin/plans/${slug}/cycles/${code}` });

/** Three fields for a translated text: French required, Arabic and English optional. */
function TranslatedFields({ name, label, form, area, required = true, hint }: { name: string; label: string; form: FormState; area?: boolean; required?: boolean; hint?: string }) {
  const { t } = useView();
  const C = area ? TextArea : Field;
  return (
    <fieldset>
      <legend>{label}</legend>
      {hint && <p class="hint">{hint}</p>}
      <C name={`${name}_fr`} label={`${label} — ${t('common.inFrench')}`} form={form} required={required} />
      <C name={`${name}_ar`} label={`${label} — ${t('common.inArabic')}`} form={form} {...(area ? {} : { dir: 'rtl' as const })} />
      <C name={`${name}_en`} label={`${label} — ${t('common.inEnglish')}`} form={form} />
    </fieldset>
  );
}

function translatedLabels(t: (k: string) => string, name: string, label: string): Record<string, string> {
  return { [`${name}_fr`]: `${label} (${t('common.inFrench')})`, [`${name}_ar`]: `${label} (${t('common.inArabic')})`, [`${name}_en`]: `${label} (${t('common.inEnglish')})` };
}

function Figure({ row }: { row: Pick<MatrixRowView, 'kind' | 'status' | 'progress' | 'value' | 'unit'> }) {
  if (row.kind === 'action') return row.status ? <><StatusBadge status={row.status} /> <Pct value={row.progress} /></> : <>—</>;
  return <Num value={row.value} unit={row.unit} />;
}

// ---------- Plans ----------

export function AdminPlansPage({ plans, cycles, canManage }: {
  plans: { slug: string; kind: string; title: Translated; periodStart: string; periodEnd: string }[];
  cycles: { planSlug: string; planTitle: Translated; cycle: CycleView }[];
  canManage: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('plans.admin.title') }]} />
      <h1>{t('plans.admin.title')}</h1>
      <p class="lead">{t('plans.admin.intro')}</p>
      {canManage && (
        <p class="actions">
          <a class="button secondary" href={href(view, '/admin/plans/new')}>{t('plans.admin.newPlan')}</a>
          <a class="button secondary" href={href(view, '/admin/sdg')}>{t('plans.admin.sdgTitle')}</a>
        </p>
      )}
      <h2>{t('plans.admin.openCycles')}</h2>
      {cycles.length === 0 ? <p>{t('plans.admin.noOpenCycle')}</p> : (
        <ul class="cards">
          {cycles.map((c) => (
            <li class="card">
              <h3><a href={href(view, `/admin/plans/${c.planSlug}/cycles/${c.cycle.code}`)}>{t('plans.cycle.name', { code: iso(c.cycle.code) })}</a></h3>
              <p><Tr value={c.planTitle} /></p>
              <p>{t('plans.cycle.due', { date: formatDate(locale, c.cycle.dueDate) })}{c.cycle.late && <> <LateBadge /></>}</p>
              <p><a href={href(view, `/admin/plans/${c.planSlug}/cycles/${c.cycle.code}/matrix`)}>{t('plans.matrix.open')}</a></p>
            </li>
          ))}
        </ul>
      )}
      <Table caption={t('plans.admin.plansCaption')} head={[t('plans.admin.plan'), t('plans.admin.kind'), t('plans.admin.period'), t('plans.admin.cycles')]}
        rows={plans.map((p) => [
          <a href={href(view, `/admin/plans/${p.slug}`)}><Tr value={p.title} /></a>,
          t(`plans.kind.${p.kind}`),
          `${p.periodStart.slice(0, 4)}–${p.periodEnd.slice(0, 4)}`,
          <a href={href(view, `/admin/plans/${p.slug}/cycles`)}>{t('plans.admin.cyclesLink')}<span class="visually-hidden"> — {tr(p.title, locale)}</span></a>,
        ])} />
    </section>
  );
}

function PlanFields({ form, isNew }: { form: FormState; isNew: boolean }) {
  const { t } = useView();
  return (
    <>
      {isNew && <Field name="slug" label={t('plans.form.slug')} hint={t('plans.form.slugHint')} form={form} required dir="ltr" />}
      <Select name="kind" label={t('plans.form.kind')} form={form} required options={PLAN_KINDS.map((k) => ({ value: k, label: t(`plans.kind.${k}`) }))} />
      <TranslatedFields name="title" label={t('plans.form.title')} form={form} />
      <Field name="period_start" type="date" label={t('plans.form.periodStart')} form={form} required />
      <Field name="period_end" type="date" label={t('plans.form.periodEnd')} form={form} required />
      <Field name="submitted_on" type="date" label={t('plans.form.submittedOn')} form={form} />
      <Select name="status" label={t('plans.form.status')} form={form} required options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`plans.planStatus.${s}`) }))} />
      <TranslatedFields name="vision" label={t('plans.vision')} form={form} area required={false} />
    </>
  );
}

function planLabels(t: (k: string) => string) {
  return {
    slug: t('plans.form.slug'), kind: t('plans.form.kind'), period_start: t('plans.form.periodStart'), period_end: t('plans.form.periodEnd'),
    submitted_on: t('plans.form.submittedOn'), status: t('plans.form.status'), ...translatedLabels(t, 'title', t('plans.form.title')), ...translatedLabels(t, 'vision', t('plans.vision')),
  };
}

export function NewPlanPage({ form }: { form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <AdminCrumbs items={[{ label: t('plans.admin.newPlan') }]} />
      <h1>{t('plans.admin.newPlan')}</h1>
      <ErrorSummary form={form} labels={planLabels(t)} />
      <Form action={href(view, '/admin/plans/new')}>
        <PlanFields form={form} isNew />
        <div class="actions"><Button>{t('plans.admin.create')}</Button></div>
      </Form>
    </section>
  );
}

export function PlanAdminPage({ slug, title, commitments, form, canManage }: { slug: string; title: Translated; commitments: CommitmentSummary[]; form: FormState; canManage: boolean }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <AdminCrumbs items={[{ label: tr(title, locale) }]} />
      <h1><Tr value={title} /></h1>
      <p class="actions">
        <a class="button secondary" href={href(view, `/plans/${slug}`)}>{t('plans.admin.publicPage')}</a>
        <a class="button secondary" href={href(view, `/admin/plans/${slug}/cycles`)}>{t('plans.admin.cyclesLink')}</a>
        {canManage && <a class="button" href={href(view, `/admin/plans/${slug}/commitments/new`)}>{t('plans.admin.newCommitment')}</a>}
      </p>
      <div class="table-wrap" role="region" aria-label={t('plans.admin.commitmentsCaption')} tabindex={0}>
        <table>
          <caption>{t('plans.admin.commitmentsCaption')}</caption>
          <thead><tr><th scope="col">{t('plans.commitment')}</th><th scope="col">{t('plans.leadDepartment')}</th><th scope="col" class="num">{t('plans.actionsCount')}</th><th scope="col">{t('plans.progress')}</th></tr></thead>
          <tbody>
            {commitments.map((c) => (
              <tr>
                <th scope="row" class={c.depth > 0 ? `indent-${Math.min(3, c.depth)}` : undefined}>
                  <a href={href(view, `/admin/plans/${slug}/commitments/${c.id}`)}>{c.number}. <Tr value={c.title} /></a>{c.sample && <> <SampleBadge /></>}
                </th>
                <td><InstitutionName value={c.lead} /></td>
                <td class="num">{formatNumber(locale, c.actionCount)}</td>
                <td><ProgressBar value={c.progress} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage && (
        <>
          <h2>{t('plans.admin.editPlan')}</h2>
          <ErrorSummary form={form} labels={planLabels(t)} />
          <Form action={href(view, `/admin/plans/${slug}`)}>
            <PlanFields form={form} isNew={false} />
            <div class="actions"><Button>{t('common.save')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------- Commitments ----------

export interface Choices {
  departments: InstitutionRef[];
  institutions: InstitutionRef[];
  commitments: { id: number; depth: number; number: string; title: Translated }[];
}

function commitmentLabels(t: (k: string) => string) {
  return {
    number: t('plans.form.number'), parent_id: t('plans.form.parent'), ogp_values: t('plans.ogpValues'), lead_id: t('plans.leadDepartment'),
    support_ids: t('plans.supporting'), partner_ids: t('plans.partners'), start_date: t('plans.form.startDate'), end_date: t('plans.form.endDate'),
    weight: t('plans.weight'), sdg: t('plans.sdg'), sort: t('plans.form.sort'), sample: t('plans.form.sample'),
    ...translatedLabels(t, 'title', t('plans.form.title')), ...translatedLabels(t, 'problem', t('plans.problem')),
    ...translatedLabels(t, 'description', t('plans.whatCommits')), ...translatedLabels(t, 'budget_note', t('plans.budgetNote')),
  };
}

export interface CommitmentEditData {
  id: number; number: string; title: Translated;
  actions: { id: number; title: Translated; status: string; progress: number; sample: boolean }[];
  indicators: { id: number; title: Translated; kind: string; sample: boolean }[];
  actionHistory: { id: number; action_id: number; cycle_code: string | null; period_end: string; version: number; status: string; progress: number; note: string; supersedes_id: number | null; published_at: string }[];
  measurementHistory: { id: number; indicator_id: number; period: string; version: number; value: number; note: string; supersedes_id: number | null; published_at: string }[];
  evidence: EvidenceView[];
  actionTitles: Map<number, Translated>;
  indicatorTitles: Map<number, Translated>;
}

export function CommitmentFormPage({ slug, planTitle, choices, form, edit, canManage }: { slug: string; planTitle: Translated; choices: Choices; form: FormState; edit?: CommitmentEditData; canManage: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const title = edit ? `${edit.number}. ${tr(edit.title, locale)}` : t('plans.admin.newCommitment');
  const action = edit ? `/admin/plans/${slug}/commitments/${edit.id}` : `/admin/plans/${slug}/commitments/new`;
  const latestAction = new Set<number>();
  const latestMeasure = new Set<number>();
  if (edit) {
    const seenA = new Set<string>();
    for (const h of edit.actionHistory.slice().sort((a, b) => b.version - a.version)) { const k = `${h.action_id}/${h.period_end}/${h.cycle_code}`; if (!seenA.has(k)) { seenA.add(k); latestAction.add(h.id); } }
    const seenM = new Set<string>();
    for (const h of edit.measurementHistory.slice().sort((a, b) => b.version - a.version)) { const k = `${h.indicator_id}/${h.period}`; if (!seenM.has(k)) { seenM.add(k); latestMeasure.add(h.id); } }
  }
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: edit ? edit.number : t('plans.admin.newCommitment') }]} />
      <h1>{title}</h1>
      {edit && <p><a href={href(view, `/plans/${slug}/commitments/${edit.number}`)}>{t('plans.admin.publicPage')}</a></p>}
      {canManage && (
        <>
          <ErrorSummary form={form} labels={commitmentLabels(t)} />
          <Form action={href(view, action)}>
            <Field name="number" label={t('plans.form.number')} hint={t('plans.form.numberHint')} form={form} required dir="ltr" />
            <Select name="parent_id" label={t('plans.form.parent')} form={form} blank={t('plans.form.noParent')}
              options={choices.commitments.filter((c) => c.id !== edit?.id).map((c) => ({ value: String(c.id), label: `${'— '.repeat(c.depth)}${c.number}. ${tr(c.title, locale)}` }))} />
            <TranslatedFields name="title" label={t('plans.form.title')} form={form} />
            <TranslatedFields name="problem" label={t('plans.problem')} form={form} area required={false} />
            <TranslatedFields name="description" label={t('plans.whatCommits')} form={form} area required={false} />
            <Choices name="ogp_values" label={t('plans.ogpValues')} form={form} multiple options={OGP_VALUES.map((v) => ({ value: v, label: t(`plans.ogp.${v}`) }))} />
            <Select name="lead_id" label={t('plans.leadDepartment')} form={form} blank={t('common.none')} options={choices.departments.map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
            <Choices name="support_ids" label={t('plans.supporting')} form={form} multiple
              options={choices.institutions.filter((i) => i.kind === 'department' || i.kind === 'operator' || i.kind === 'other').map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
            <Choices name="partner_ids" label={t('plans.partners')} form={form} multiple
              options={choices.institutions.filter((i) => i.kind === 'civil_society' || i.kind === 'monitor').map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
            <Field name="start_date" type="date" label={t('plans.form.startDate')} form={form} />
            <Field name="end_date" type="date" label={t('plans.form.endDate')} form={form} />
            <TranslatedFields name="budget_note" label={t('plans.budgetNote')} form={form} area required={false} />
            <Field name="sdg" label={t('plans.sdg')} hint={t('plans.form.sdgHint')} form={form} dir="ltr" />
            <Field name="weight" label={t('plans.weight')} hint={t('plans.form.weightHint')} form={form} inputmode="decimal" dir="ltr" />
            <Field name="sort" label={t('plans.form.sort')} form={form} inputmode="numeric" dir="ltr" />
            <Choices name="sample" label={t('plans.form.sample')} form={form} multiple options={[{ value: '1', label: t('plans.form.sampleHint') }]} />
            <div class="actions"><Button>{edit ? t('common.save') : t('plans.admin.create')}</Button></div>
          </Form>
        </>
      )}
      {edit && (
        <>
          <h2>{t('plans.milestones')}</h2>
          <Table caption={t('plans.admin.actionsCaption')} head={[t('plans.action'), t('plans.statusLabel'), t('plans.progress')]}
            rows={edit.actions.map((a) => [
              <><a href={href(view, `/admin/plans/${slug}/actions/${a.id}`)}><Tr value={a.title} /></a>{a.sample && <> <SampleBadge /></>}</>,
              <StatusBadge status={a.status} />, <Pct value={a.progress} />,
            ])} />
          {canManage && <p><a class="button secondary" href={href(view, `/admin/plans/${slug}/commitments/${edit.id}/actions/new`)}>{t('plans.admin.newAction')}</a></p>}
          <h2>{t('plans.indicators')}</h2>
          <Table caption={t('plans.admin.indicatorsCaption')} head={[t('plans.indicator'), t('plans.form.indicatorKind')]}
            rows={edit.indicators.map((i) => [
              <><a href={href(view, `/admin/plans/${slug}/indicators/${i.id}`)}><Tr value={i.title} /></a>{i.sample && <> <SampleBadge /></>}</>,
              t(`plans.indicatorKind.${i.kind}`),
            ])} />
          {canManage && <p><a class="button secondary" href={href(view, `/admin/plans/${slug}/commitments/${edit.id}/indicators/new`)}>{t('plans.admin.newIndicator')}</a></p>}
          <h2>{t('plans.evidence.title')}</h2>
          <EvidenceList slug={slug} items={edit.evidence} />
          {canManage && <p><a class="button secondary" href={href(view, `/admin/plans/${slug}/commitments/${edit.id}/evidence/new`)}>{t('plans.evidence.add')}</a></p>}
          <h2>{t('plans.admin.publishedFigures')}</h2>
          <p>{t('plans.admin.publishedIntro')}</p>
          <Table caption={t('plans.admin.publishedActions')} head={[t('plans.action'), t('plans.periodLabel'), t('plans.history.figure'), t('plans.history.version'), t('common.actions')]}
            rows={edit.actionHistory.map((h) => [
              <Tr value={edit.actionTitles.get(h.action_id)} />, h.cycle_code ?? h.period_end, <><StatusBadge status={h.status} /> <Pct value={h.progress} /></>,
              <>{t('plans.history.versionN', { n: h.version })}{h.supersedes_id && <> — {h.note}</>}</>,
              latestAction.has(h.id) && view.can('plans.validate') ? <a href={href(view, `/admin/plans/${slug}/corrections/action/${h.id}`)}>{t('plans.correct.link')}</a> : '',
            ])} />
          <Table caption={t('plans.admin.publishedMeasurements')} head={[t('plans.indicator'), t('plans.periodLabel'), t('plans.value'), t('plans.history.version'), t('common.actions')]}
            rows={edit.measurementHistory.map((h) => [
              <Tr value={edit.indicatorTitles.get(h.indicator_id)} />, h.period, formatNumber(locale, Number(h.value), { maximumFractionDigits: 2 }),
              <>{t('plans.history.versionN', { n: h.version })}{h.supersedes_id && <> — {h.note}</>}</>,
              latestMeasure.has(h.id) && view.can('plans.validate') ? <a href={href(view, `/admin/plans/${slug}/corrections/measurement/${h.id}`)}>{t('plans.correct.link')}</a> : '',
            ])} />
        </>
      )}
    </section>
  );
}

export function EvidenceList({ slug, items }: { slug: string; items: EvidenceView[] }) {
  const view = useView();
  const { t } = view;
  if (items.length === 0) return <p>{t('plans.evidence.none')}</p>;
  return (
    <ul>
      {items.map((e) => (
        <li>
          {e.kind === 'file'
            ? <a href={href(view, `/plans/${slug}/evidence/${e.id}/${encodeURIComponent(e.fileName ?? 'file')}`)}><bdi>{e.title}</bdi></a>
            : <a href={e.url ?? '#'} rel="noopener noreferrer"><bdi>{e.title}</bdi></a>}
          {e.kind === 'file' && <> ({fileSize(view, e.size)})</>}
          {' '}<span class={`badge ${e.visibility === 'internal' ? 'warn' : 'neutral'}`}>{t(`plans.evidence.${e.visibility}`)}</span>
        </li>
      ))}
    </ul>
  );
}

// ---------- Actions and indicators ----------

function actionLabels(t: (k: string) => string) {
  return {
    institution_id: t('plans.responsible'), start_date: t('plans.form.startDate'), end_date: t('plans.form.endDate'), sort: t('plans.form.sort'), sample: t('plans.form.sample'),
    ...translatedLabels(t, 'title', t('plans.form.title')), ...translatedLabels(t, 'expected_result', t('plans.expectedResultLabel')),
  };
}

export function ActionFormPage({ slug, planTitle, commitment, choices, form, actionId, canManage }: {
  slug: string; planTitle: Translated; commitment: { id: number; number: string; title: Translated }; choices: Choices; form: FormState; actionId?: number; canManage: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  const heading = actionId ? t('plans.admin.editAction') : t('plans.admin.newAction');
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: commitment.number, path: `/admin/plans/${slug}/commitments/${commitment.id}` }, { label: heading }]} />
      <h1>{heading}</h1>
      <p class="lead">{commitment.number}. <Tr value={commitment.title} /></p>
      {canManage ? (
        <>
          <ErrorSummary form={form} labels={actionLabels(t)} />
          <Form action={href(view, actionId ? `/admin/plans/${slug}/actions/${actionId}` : `/admin/plans/${slug}/commitments/${commitment.id}/actions/new`)}>
            <TranslatedFields name="title" label={t('plans.form.title')} form={form} />
            <TranslatedFields name="expected_result" label={t('plans.expectedResultLabel')} form={form} area required={false} />
            <Select name="institution_id" label={t('plans.responsible')} form={form} required blank={t('common.choose')} options={choices.departments.map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
            <Field name="start_date" type="date" label={t('plans.form.startDate')} form={form} />
            <Field name="end_date" type="date" label={t('plans.form.endDate')} form={form} />
            <Field name="sort" label={t('plans.form.sort')} form={form} inputmode="numeric" dir="ltr" />
            <Choices name="sample" label={t('plans.form.sample')} form={form} multiple options={[{ value: '1', label: t('plans.form.sampleHint') }]} />
            <p class="hint">{t('plans.admin.figuresNotHere')}</p>
            <div class="actions"><Button>{actionId ? t('common.save') : t('plans.admin.create')}</Button></div>
          </Form>
        </>
      ) : <p>{t('plans.admin.readOnly')}</p>}
    </section>
  );
}

function indicatorLabels(t: (k: string) => string) {
  return {
    kind: t('plans.form.indicatorKind'), direction: t('plans.direction'), baseline_value: t('plans.form.baselineValue'), baseline_date: t('plans.form.baselineDate'),
    target_value: t('plans.form.targetValue'), target_date: t('plans.form.targetDate'), frequency: t('plans.frequency'), institution_id: t('plans.responsible'),
    sort: t('plans.form.sort'), sample: t('plans.form.sample'),
    ...translatedLabels(t, 'title', t('plans.form.title')), ...translatedLabels(t, 'definition', t('plans.form.definition')),
    ...translatedLabels(t, 'unit', t('plans.form.unit')), ...translatedLabels(t, 'source', t('plans.source')),
  };
}

export function IndicatorFormPage({ slug, planTitle, commitment, choices, form, indicatorId, canManage }: {
  slug: string; planTitle: Translated; commitment: { id: number; number: string; title: Translated }; choices: Choices; form: FormState; indicatorId?: number; canManage: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  const heading = indicatorId ? t('plans.admin.editIndicator') : t('plans.admin.newIndicator');
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: commitment.number, path: `/admin/plans/${slug}/commitments/${commitment.id}` }, { label: heading }]} />
      <h1>{heading}</h1>
      <p class="lead">{commitment.number}. <Tr value={commitment.title} /></p>
      {canManage ? (
        <>
          <ErrorSummary form={form} labels={indicatorLabels(t)} />
          <Form action={href(view, indicatorId ? `/admin/plans/${slug}/indicators/${indicatorId}` : `/admin/plans/${slug}/commitments/${commitment.id}/indicators/new`)}>
            <Choices name="kind" label={t('plans.form.indicatorKind')} form={form} required options={INDICATOR_KINDS.map((k) => ({ value: k, label: t(`plans.indicatorKind.${k}`) }))} />
            <TranslatedFields name="title" label={t('plans.form.title')} form={form} />
            <TranslatedFields name="definition" label={t('plans.form.definition')} form={form} area required={false} />
            <TranslatedFields name="unit" label={t('plans.form.unit')} form={form} required={false} />
            <Choices name="direction" label={t('plans.direction')} form={form} required options={DIRECTIONS.map((d) => ({ value: d, label: t(`plans.directionValue.${d}`) }))} />
            <Field name="baseline_value" label={t('plans.form.baselineValue')} hint={t('plans.form.decimalHint')} form={form} inputmode="decimal" dir="ltr" />
            <Field name="baseline_date" type="date" label={t('plans.form.baselineDate')} form={form} />
            <Field name="target_value" label={t('plans.form.targetValue')} hint={t('plans.form.decimalHint')} form={form} inputmode="decimal" dir="ltr" />
            <Field name="target_date" type="date" label={t('plans.form.targetDate')} form={form} />
            <TranslatedFields name="source" label={t('plans.source')} form={form} required={false} />
            <Select name="frequency" label={t('plans.frequency')} form={form} required options={FREQUENCIES.map((f) => ({ value: f, label: t(`plans.frequencyValue.${f}`) }))} />
            <Select name="institution_id" label={t('plans.responsible')} form={form} required blank={t('common.choose')} options={choices.departments.map((d) => ({ value: String(d.id), label: tr(d.name, locale) }))} />
            <Field name="sort" label={t('plans.form.sort')} form={form} inputmode="numeric" dir="ltr" />
            <Choices name="sample" label={t('plans.form.sample')} form={form} multiple options={[{ value: '1', label: t('plans.form.sampleHint') }]} />
            <p class="hint">{t('plans.admin.measurementsNotHere')}</p>
            <div class="actions"><Button>{indicatorId ? t('common.save') : t('plans.admin.create')}</Button></div>
          </Form>
        </>
      ) : <p>{t('plans.admin.readOnly')}</p>}
    </section>
  );
}

// ---------- Evidence ----------

function EvidenceFields({ form, targets }: { form: FormState; targets?: { value: string; label: string }[] }) {
  const { t } = useView();
  return (
    <fieldset>
      <legend>{t('plans.evidence.add')}</legend>
      <p class="hint">{t('plans.evidence.hint')}</p>
      {targets && <Select name="target" label={t('plans.evidence.about')} form={form} blank={t('plans.evidence.wholeCommitment')} options={targets} />}
      <Field name="evidence_title" label={t('plans.evidence.titleLabel')} form={form} />
      <Field name="evidence_file" type="file" label={t('plans.evidence.file')} hint={t('plans.evidence.fileHint')} form={form} />
      <Field name="evidence_url" type="url" label={t('plans.evidence.url')} form={form} dir="ltr" />
      <Choices name="evidence_visibility" label={t('plans.evidence.visibility')} form={form} required
        options={[{ value: 'public', label: t('plans.evidence.publicHint') }, { value: 'internal', label: t('plans.evidence.internalHint') }]} />
    </fieldset>
  );
}

const evidenceLabels = (t: (k: string) => string) => ({
  target: t('plans.evidence.about'), evidence_title: t('plans.evidence.titleLabel'), evidence_file: t('plans.evidence.file'), evidence_url: t('plans.evidence.url'), evidence_visibility: t('plans.evidence.visibility'),
});

export function EvidenceFormPage({ slug, planTitle, commitment, targets, form }: {
  slug: string; planTitle: Translated; commitment: { id: number; number: string; title: Translated }; targets: { value: string; label: string }[]; form: FormState;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: commitment.number, path: `/admin/plans/${slug}/commitments/${commitment.id}` }, { label: t('plans.evidence.add') }]} />
      <h1>{t('plans.evidence.add')}</h1>
      <p class="lead">{commitment.number}. <Tr value={commitment.title} /></p>
      <ErrorSummary form={form} labels={evidenceLabels(t)} />
      <Form action={href(view, `/admin/plans/${slug}/commitments/${commitment.id}/evidence/new`)} enctype="multipart/form-data">
        <EvidenceFields form={form} targets={targets} />
        <div class="actions"><Button>{t('plans.evidence.save')}</Button></div>
      </Form>
    </section>
  );
}

// ---------- SDG reference ----------

export function SdgPage({ data, localForm, textForm, canManage }: {
  data: { goals: { code: number; title: Translated }[]; targets: { code: string; goal: number; text: Translated }[]; locals: { code: string; targetCode: string; title: Translated; sample: boolean }[] };
  localForm: FormState; textForm: FormState; canManage: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  const typed = data.targets.filter((x) => Object.values(x.text).some(Boolean));
  return (
    <section>
      <AdminCrumbs items={[{ label: t('plans.admin.sdgTitle') }]} />
      <h1>{t('plans.admin.sdgTitle')}</h1>
      <p class="lead">{t('plans.admin.sdgIntro')}</p>
      <Table caption={t('plans.admin.sdgGoals')} head={[t('plans.admin.code'), t('plans.form.title'), t('plans.admin.targets')]} numeric={[0, 2]}
        rows={data.goals.map((g) => [formatNumber(locale, g.code), <Tr value={g.title} />, formatNumber(locale, data.targets.filter((x) => x.goal === g.code).length)])} />
      <Table caption={t('plans.admin.localTargets')} head={[t('plans.admin.code'), t('plans.admin.underTarget'), t('plans.form.title')]}
        rows={data.locals.map((l) => [<span dir="ltr">{l.code}</span>, <span dir="ltr">{l.targetCode}</span>, <><Tr value={l.title} />{l.sample && <> <SampleBadge /></>}</>])} />
      <Table caption={t('plans.admin.typedTargets', { count: typed.length })} head={[t('plans.admin.code'), t('plans.admin.targetText')]}
        rows={typed.map((x) => [<span dir="ltr">{x.code}</span>, <Tr value={x.text} />])} />
      {canManage && (
        <>
          <h2>{t('plans.admin.addLocalTarget')}</h2>
          <ErrorSummary form={localForm} labels={{ code: t('plans.admin.code'), ...translatedLabels(t, 'title', t('plans.form.title')) }} />
          <Form action={href(view, '/admin/sdg/local')}>
            <Field name="code" label={t('plans.admin.code')} hint={t('plans.admin.localCodeHint')} form={localForm} required dir="ltr" />
            <TranslatedFields name="title" label={t('plans.form.title')} form={localForm} />
            <Choices name="sample" label={t('plans.form.sample')} form={localForm} multiple options={[{ value: '1', label: t('plans.form.sampleHint') }]} />
            <div class="actions"><Button>{t('common.add')}</Button></div>
          </Form>
        </>
      )}
      {view.can('plans.reference') && (
        <>
          <h2>{t('plans.admin.typeTargetText')}</h2>
          <ErrorSummary form={textForm} labels={{ target: t('plans.admin.target'), ...translatedLabels(t, 'text', t('plans.admin.targetText')) }} />
          <Form action={href(view, '/admin/sdg/target')}>
            <Select name="target" label={t('plans.admin.target')} form={textForm} required blank={t('common.choose')} options={data.targets.map((x) => ({ value: x.code, label: x.code }))} />
            <TranslatedFields name="text" label={t('plans.admin.targetText')} form={textForm} area />
            <div class="actions"><Button>{t('common.save')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------- Cycles ----------

export function CyclesPage({ slug, planTitle, cycles, form, canManage }: { slug: string; planTitle: Translated; cycles: CycleView[]; form: FormState; canManage: boolean }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: t('plans.cycle.title') }]} />
      <h1>{t('plans.cycle.title')}</h1>
      <p class="lead">{t('plans.cycle.intro')}</p>
      <Table caption={t('plans.cycle.caption')} head={[t('plans.cycle.code'), t('plans.cycle.dueDate'), t('plans.cycle.status'), t('plans.cycle.lastPublished')]}
        rows={cycles.map((c) => [
          <a href={href(view, `/admin/plans/${slug}/cycles/${c.code}`)}><bdi>{c.code}</bdi></a>,
          <>{formatDate(locale, c.dueDate)}{c.late && <> <LateBadge /></>}</>,
          t(`plans.cycle.statusValue.${c.status}`),
          c.lastPublishedAt ? formatDate(locale, c.lastPublishedAt) : '—',
        ])} />
      {canManage && (
        <>
          <h2>{t('plans.cycle.open')}</h2>
          <ErrorSummary form={form} labels={{ code: t('plans.cycle.code'), due_date: t('plans.cycle.dueDate') }} />
          <Form action={href(view, `/admin/plans/${slug}/cycles`)}>
            <Field name="code" label={t('plans.cycle.code')} hint={t('plans.cycle.codeHint')} form={form} required dir="ltr" />
            <Field name="due_date" type="date" label={t('plans.cycle.dueDate')} form={form} required />
            <div class="actions"><Button>{t('plans.cycle.openButton')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

export function CycleBoardPage({ slug, board }: { slug: string; board: CycleBoard }) {
  const view = useView();
  const { t, locale } = view;
  const c = board.cycle;
  const base = `/admin/plans/${slug}/cycles/${c.code}`;
  const outstanding = board.departments.some((d) => d.outstanding > 0);
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, board.planTitle, locale), { label: t('plans.cycle.title'), path: `/admin/plans/${slug}/cycles` }, { label: iso(c.code) }]} />
      <h1>{t('plans.cycle.name', { code: iso(c.code) })}</h1>
      <p class="lead">
        <Tr value={board.planTitle} /> · {t('plans.cycle.due', { date: formatDate(locale, c.dueDate) })} · {t(`plans.cycle.statusValue.${c.status}`)}
        {c.late && <> <LateBadge /></>}
        {c.lastPublishedAt && <> · {t('plans.cycle.publishedOn', { date: formatDate(locale, c.lastPublishedAt, true) })}</>}
      </p>
      <ul class="stats">
        {ROW_STATES.map((s) => <li class="stat"><span class="stat-value">{formatNumber(locale, board.totals[s])}</span> <span class="stat-label">{t(`plans.state.${s}`)}</span></li>)}
      </ul>
      <p class="actions">
        <a class="button secondary" href={href(view, `${base}/matrix`)}>{t('plans.matrix.open')}</a>
        {view.can('plans.validate') && <a class="button secondary" href={href(view, `${base}/validation`)}>{t('plans.validation.title')}</a>}
        <a class="button secondary" href={href(view, `${base}/review`)}>{t('plans.review.title')}</a>
      </p>
      <div class="table-wrap" role="region" aria-label={t('plans.cycle.byDepartment')} tabindex={0}>
        <table>
          <caption>{t('plans.cycle.byDepartment')}</caption>
          <thead><tr><th scope="col">{t('plans.department')}</th>{ROW_STATES.map((s) => <th scope="col" class="num">{t(`plans.state.${s}`)}</th>)}</tr></thead>
          <tbody>
            {board.departments.map((d) => (
              <tr>
                <th scope="row"><a href={href(view, `${base}/matrix?department=${d.slug}`)}><Tr value={d.name} /></a>{d.late && <> <LateBadge /></>}</th>
                {ROW_STATES.map((s) => <td class="num">{formatNumber(locale, d.counts[s])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.can('plans.validate') && (
        <>
          <h2>{t('plans.cycle.late')}</h2>
          {board.departments.filter((d) => d.late).length === 0 ? <p>{c.status === 'open' && !c.late && outstanding ? t('plans.cycle.notDueYet') : t('plans.cycle.noLate')}</p> : (
            <ul>{board.departments.filter((d) => d.late).map((d) => <li><Tr value={d.name} /> — {t('plans.cycle.outstanding', { count: d.outstanding })}</li>)}</ul>
          )}
          {c.status === 'open' && outstanding && (
            <Form action={href(view, `${base}/remind`)} class="inline">
              <Button kind="secondary">{t('plans.remind.button')}</Button>
            </Form>
          )}
          <h2>{t('plans.publish.title')}</h2>
          <p>{t('plans.publish.intro', { count: board.totals.validated })}</p>
          {board.totals.validated > 0 && (
            <Form action={href(view, `${base}/publish`)}>
              <Button>{t('plans.publish.button', { count: board.totals.validated })}</Button>
            </Form>
          )}
        </>
      )}
      {view.can('plans.manage') && (
        <>
          <h2>{c.status === 'open' ? t('plans.cycle.close') : t('plans.cycle.reopen')}</h2>
          <p>{c.status === 'open' ? t('plans.cycle.closeHint') : t('plans.cycle.reopenHint')}</p>
          <Form action={href(view, `${base}/${c.status === 'open' ? 'close' : 'reopen'}`)}>
            <Button kind={c.status === 'open' ? 'danger' : 'secondary'}>{c.status === 'open' ? t('plans.cycle.close') : t('plans.cycle.reopen')}</Button>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------- The matrix ----------

export function MatrixPage({ slug, m, seeAll, mayReport, form, lineErrors }: {
  slug: string;
  m: { cycle: CycleView; planTitle: Translated; rows: MatrixRowView[]; departments: { id: number; slug: string; name: Translated }[]; department: string };
  seeAll: boolean; mayReport: boolean; form: FormState; lineErrors: LineError[];
}) {
  const view = useView();
  const { t, locale } = view;
  const c = m.cycle;
  const base = `/admin/plans/${slug}/cycles/${c.code}`;
  const csvHref = `${base}/matrix.csv${m.department ? `?department=${m.department}` : ''}`;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, m.planTitle, locale), cycleCrumb(slug, c.code, c.code), { label: t('plans.matrix.title') }]} />
      <h1>{t('plans.matrix.heading', { code: iso(c.code) })}</h1>
      <p class="lead">{t('plans.cycle.due', { date: formatDate(locale, c.dueDate) })}{c.late && <> <LateBadge /></>} · {t(`plans.cycle.statusValue.${c.status}`)}</p>
      {seeAll && (
        <form method="get" action={href(view, `${base}/matrix`)} class="filters">
          <Select name="department" label={t('plans.department')} form={{ values: { department: m.department }, errors: {} }} blank={t('plans.filters.all')}
            options={m.departments.map((d) => ({ value: d.slug, label: tr(d.name, locale) }))} />
          <div class="actions"><Button kind="secondary">{t('plans.filters.apply')}</Button></div>
        </form>
      )}
      <div class="table-wrap" role="region" aria-label={t('plans.matrix.caption', { count: m.rows.length })} tabindex={0}>
        <table>
          <caption>{t('plans.matrix.caption', { count: m.rows.length })}</caption>
          <thead><tr><th scope="col">{t('plans.matrix.item')}</th><th scope="col">{t('plans.commitment')}</th><th scope="col">{t('plans.department')}</th><th scope="col">{t('plans.matrix.state')}</th><th scope="col">{t('plans.matrix.reported')}</th></tr></thead>
          <tbody>
            {m.rows.map((r) => (
              <tr>
                <th scope="row"><a href={href(view, `${base}/rows/${r.id}`)}><Tr value={r.itemTitle} /></a> <span class="muted">({t(`plans.matrix.kind.${r.kind}`)})</span></th>
                <td>{r.commitmentNumber}</td>
                <td><Tr value={r.department.name} /></td>
                <td><StateBadge state={r.state} /></td>
                <td><Figure row={r} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('plans.matrix.csvTitle')}</h2>
      <p><a href={href(view, csvHref)}>{t('plans.matrix.download')}</a></p>
      {mayReport && c.status === 'open' && (
        <>
          <p>{t('plans.matrix.csvIntro')}</p>
          <ErrorSummary form={form} labels={{ file: t('plans.matrix.file') }} />
          {lineErrors.length > 0 && (
            <div class="error-summary" role="alert" aria-labelledby="line-errors-title">
              <h2 id="line-errors-title">{t('plans.csv.rejectedTitle', { count: lineErrors.length })}</h2>
              <ul>{lineErrors.map((e) => <li>{t('plans.csv.line', { line: e.line })} {t(e.key, e.params as Record<string, unknown>)}</li>)}</ul>
            </div>
          )}
          <Form action={href(view, `${base}/matrix`)} enctype="multipart/form-data">
            <Field name="file" type="file" label={t('plans.matrix.file')} hint={t('plans.matrix.fileHint')} form={form} required />
            <Choices name="submit" label={t('plans.matrix.afterImport')} form={form} multiple options={[{ value: '1', label: t('plans.matrix.submitAfter') }]} />
            <div class="actions"><Button>{t('plans.matrix.import')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

function rowLabels(t: (k: string) => string) {
  return {
    status: t('plans.statusLabel'), progress: t('plans.progress'), value: t('plans.value'), difficulties: t('plans.matrix.difficulties'), answer: t('plans.matrix.answer'),
    ...evidenceLabels(t),
  };
}

export function RowPage({ slug, planTitle, d, form, returnForm }: { slug: string; planTitle: Translated; d: RowDetail; form: FormState; returnForm: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const r = d.row;
  const base = `/admin/plans/${slug}/cycles/${d.cycle.code}`;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), cycleCrumb(slug, d.cycle.code, d.cycle.code), { label: t('plans.matrix.title'), path: `${base}/matrix` }, { label: t('plans.matrix.row', { id: r.id }) }]} />
      <h1><Tr value={r.itemTitle} /></h1>
      <dl class="kv">
        <dt>{t('plans.commitment')}</dt><dd><a href={href(view, `/plans/${slug}/commitments/${r.commitmentNumber}`)}>{r.commitmentNumber}. <Tr value={r.commitmentTitle} /></a></dd>
        <dt>{t('plans.department')}</dt><dd><Tr value={r.department.name} /></dd>
        <dt>{t('plans.matrix.type')}</dt><dd>{t(`plans.matrix.kind.${r.kind}`)}</dd>
        <dt>{t('plans.matrix.state')}</dt><dd><StateBadge state={r.state} /></dd>
        <dt>{t('plans.matrix.reported')}</dt><dd><Figure row={r} /></dd>
        <dt>{t('plans.matrix.previous')}</dt>
        <dd>{d.previous ? <>{d.previous.status ? <><StatusBadge status={d.previous.status} /> <Pct value={d.previous.progress ?? null} /></> : <Num value={d.previous.value} unit={r.unit} />} (<bdi>{d.previous.period}</bdi>)</> : t('plans.notReportedYet')}</dd>
        {r.kind === 'action' && r.actionEndDate && <><dt>{t('plans.endDate')}</dt><dd>{formatDate(locale, r.actionEndDate)}</dd></>}
        {r.kind === 'indicator' && <><dt>{t('plans.baseline')} / {t('plans.target')}</dt><dd><Num value={r.baseline} unit={r.unit} /> → <Num value={r.target} unit={r.unit} /></dd></>}
        {r.difficulties && <><dt>{t('plans.matrix.difficulties')}</dt><dd dir="auto">{r.difficulties}</dd></>}
      </dl>
      {r.remark && (r.state === 'returned' || r.answer) && (
        <div class="flash error" role="note" aria-label={t('plans.matrix.remark')}>
          <p><strong>{t('plans.matrix.remark')}</strong> <bdi>{r.remark}</bdi></p>
          {r.answer && <p><strong>{t('plans.matrix.answer')}</strong> <bdi>{r.answer}</bdi></p>}
        </div>
      )}
      {d.mayReport && (
        <>
          <h2>{t('plans.matrix.report')}</h2>
          <ErrorSummary form={form} labels={rowLabels(t)} />
          <Form action={href(view, `${base}/rows/${r.id}`)} enctype="multipart/form-data">
            {r.kind === 'action' ? (
              <>
                <Select name="status" label={t('plans.statusLabel')} form={form} required options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))} />
                <Field name="progress" label={t('plans.progress')} hint={t('plans.matrix.progressHint')} form={form} required inputmode="numeric" dir="ltr" />
              </>
            ) : (
              <Field name="value" label={`${t('plans.value')}${tr(r.unit, locale) ? ` (${tr(r.unit, locale)})` : ''}`} hint={t('plans.form.decimalHint')} form={form} required inputmode="decimal" dir="ltr" />
            )}
            <TextArea name="difficulties" label={t('plans.matrix.difficulties')} form={form} rows={4} />
            {r.state === 'returned' && <TextArea name="answer" label={t('plans.matrix.answer')} hint={t('plans.matrix.answerHint')} form={form} rows={4} />}
            <EvidenceFields form={form} />
            <div class="actions">
              <Button kind="secondary" name="intent" value="save">{t('plans.matrix.save')}</Button>
              <Button name="intent" value="submit">{t('plans.matrix.submit')}</Button>
            </div>
          </Form>
        </>
      )}
      {d.mayValidate && (
        <>
          <h2>{t('plans.validation.decide')}</h2>
          {r.state === 'submitted' && (
            <Form action={href(view, `${base}/rows/${r.id}/validate`)}>
              <div class="actions"><Button>{t('plans.validation.validate')}</Button></div>
            </Form>
          )}
          <ErrorSummary form={returnForm} labels={{ remark: t('plans.matrix.remark') }} />
          <Form action={href(view, `${base}/rows/${r.id}/return`)}>
            <TextArea name="remark" label={t('plans.matrix.remark')} hint={t('plans.validation.remarkHint')} form={returnForm} required rows={3} />
            <div class="actions"><Button kind="danger">{t('plans.validation.return')}</Button></div>
          </Form>
        </>
      )}
      <h2>{t('plans.evidence.title')}</h2>
      <EvidenceList slug={slug} items={d.evidence} />
      <h2>{t('plans.matrix.events')}</h2>
      {d.events.length === 0 ? <p>{t('plans.matrix.noEvents')}</p> : (
        <ol class="timeline">
          {d.events.map((e) => (
            <li>
              <p><strong>{t(`plans.event.${e.event}`)}</strong> — {formatDate(locale, e.at, true)}{e.actorName && <> · {e.actorName}</>}</p>
              {e.note && <p dir="auto">{e.note}</p>}
            </li>
          ))}
        </ol>
      )}
      {d.decisions.length > 0 && (
        <>
          <h2>{t('plans.decisions.title')}</h2>
          <ul>{d.decisions.map((x) => <li>{formatDate(locale, x.decidedOn)} — {t(`plans.decisions.outcome.${x.outcome}`)} : <bdi>{x.decision}</bdi>{x.measures && <> (<bdi>{x.measures}</bdi>)</>}</li>)}</ul>
        </>
      )}
    </section>
  );
}

export function ValidationPage({ slug, m }: { slug: string; m: { cycle: CycleView; planTitle: Translated; rows: MatrixRowView[] } }) {
  const view = useView();
  const { t, locale } = view;
  const base = `/admin/plans/${slug}/cycles/${m.cycle.code}`;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, m.planTitle, locale), cycleCrumb(slug, m.cycle.code, m.cycle.code), { label: t('plans.validation.title') }]} />
      <h1>{t('plans.validation.heading', { code: iso(m.cycle.code) })}</h1>
      <p class="lead">{t('plans.validation.intro')}</p>
      <div class="table-wrap" role="region" aria-label={t('plans.validation.caption', { count: m.rows.length })} tabindex={0}>
        <table>
          <caption>{t('plans.validation.caption', { count: m.rows.length })}</caption>
          <thead><tr><th scope="col">{t('plans.matrix.item')}</th><th scope="col">{t('plans.department')}</th><th scope="col">{t('plans.matrix.reported')}</th><th scope="col">{t('plans.matrix.difficulties')}</th><th scope="col">{t('common.actions')}</th></tr></thead>
          <tbody>
            {m.rows.length === 0 && <tr><td colSpan={5}>{t('plans.validation.empty')}</td></tr>}
            {m.rows.map((r) => (
              <tr>
                <th scope="row"><a href={href(view, `${base}/rows/${r.id}`)}><Tr value={r.itemTitle} /></a> ({r.commitmentNumber})</th>
                <td><Tr value={r.department.name} /></td>
                <td><Figure row={r} /></td>
                <td dir="auto">{r.difficulties || '—'}</td>
                <td>
                  <Form action={href(view, `${base}/rows/${r.id}/validate`)} class="inline">
                    <input type="hidden" name="back" value="validation" />
                    <Button kind="secondary">{t('plans.validation.validate')}<span class="visually-hidden"> — {tr(r.itemTitle, locale)}</span></Button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ReviewPage({ slug, m, decisions, form, mayReview }: {
  slug: string; m: { cycle: CycleView; planTitle: Translated; rows: MatrixRowView[] };
  decisions: { id: number; decidedOn: string; outcome: string; decision: string; measures: string; rowIds: number[] }[];
  form: FormState; mayReview: boolean;
}) {
  const view = useView();
  const { t, locale } = view;
  const base = `/admin/plans/${slug}/cycles/${m.cycle.code}`;
  const rowName = new Map(m.rows.map((r) => [r.id, `${r.commitmentNumber} — ${tr(r.itemTitle, locale)}`]));
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, m.planTitle, locale), cycleCrumb(slug, m.cycle.code, m.cycle.code), { label: t('plans.review.title') }]} />
      <h1>{t('plans.review.heading', { code: iso(m.cycle.code) })}</h1>
      <p class="lead">{t('plans.review.intro')}</p>
      <div class="table-wrap" role="region" aria-label={t('plans.review.caption', { count: m.rows.length })} tabindex={0}>
        <table>
          <caption>{t('plans.review.caption', { count: m.rows.length })}</caption>
          <thead><tr><th scope="col">{t('plans.matrix.item')}</th><th scope="col">{t('plans.department')}</th><th scope="col">{t('plans.matrix.state')}</th><th scope="col">{t('plans.matrix.reported')}</th><th scope="col">{t('plans.matrix.difficulties')}</th></tr></thead>
          <tbody>
            {m.rows.map((r) => (
              <tr>
                <th scope="row">{r.commitmentNumber} — <a href={href(view, `${base}/rows/${r.id}`)}><Tr value={r.itemTitle} /></a></th>
                <td><Tr value={r.department.name} /></td>
                <td><StateBadge state={r.state} /></td>
                <td><Figure row={r} /></td>
                <td dir="auto">{r.difficulties || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('plans.decisions.title')}</h2>
      {decisions.length === 0 ? <p>{t('plans.decisions.none')}</p> : (
        <ul class="cards">
          {decisions.map((d) => (
            <li class="card">
              <h3>{formatDate(locale, d.decidedOn)} — {t(`plans.decisions.outcome.${d.outcome}`)}</h3>
              <p dir="auto">{d.decision}</p>
              {d.measures && <p><strong>{t('plans.decisions.measures')}</strong> <bdi>{d.measures}</bdi></p>}
              {d.rowIds.length > 0 && <ul>{d.rowIds.map((id) => <li>{rowName.get(id) ?? `#${id}`}</li>)}</ul>}
            </li>
          ))}
        </ul>
      )}
      {mayReview && (
        <>
          <h2>{t('plans.review.record')}</h2>
          <ErrorSummary form={form} labels={{ decided_on: t('plans.review.decidedOn'), outcome: t('plans.review.outcome'), decision: t('plans.review.decision'), measures: t('plans.decisions.measures'), row_ids: t('plans.review.rows') }} />
          <Form action={href(view, `${base}/review`)}>
            <Field name="decided_on" type="date" label={t('plans.review.decidedOn')} form={form} required />
            <Choices name="outcome" label={t('plans.review.outcome')} form={form} required options={DECISION_OUTCOMES.map((o) => ({ value: o, label: t(`plans.decisions.outcome.${o}`) }))} />
            <TextArea name="decision" label={t('plans.review.decision')} form={form} required rows={4} />
            <TextArea name="measures" label={t('plans.decisions.measures')} hint={t('plans.review.measuresHint')} form={form} rows={4} />
            <Choices name="row_ids" label={t('plans.review.rows')} form={form} multiple options={m.rows.map((r) => ({ value: String(r.id), label: rowName.get(r.id)! }))} />
            <div class="actions"><Button>{t('plans.review.save')}</Button></div>
          </Form>
        </>
      )}
    </section>
  );
}

export function CorrectionPage({ slug, planTitle, fig, form }: {
  slug: string; planTitle: Translated;
  fig: { kind: 'action' | 'measurement'; id: number; commitmentId: number; title: Translated; latest: boolean; period: string; history: { id: number; version: number; label: string; note: string; publishedAt: string }[] };
  form: FormState;
}) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <AdminCrumbs items={[planCrumb(slug, planTitle, locale), { label: t('plans.commitment'), path: `/admin/plans/${slug}/commitments/${fig.commitmentId}` }, { label: t('plans.correct.title') }]} />
      <h1>{t('plans.correct.title')}</h1>
      <p class="lead"><Tr value={fig.title} /> · <bdi>{fig.period}</bdi></p>
      <p>{t('plans.correct.intro')}</p>
      <Table caption={t('plans.correct.versions')} head={[t('plans.history.version'), t('plans.history.figure'), t('plans.history.published'), t('plans.correct.reason')]}
        rows={fig.history.map((h) => [t('plans.history.versionN', { n: h.version }), h.label, formatDate(locale, h.publishedAt, true), <bdi>{h.note || '—'}</bdi>])} />
      {fig.latest ? (
        <>
          <ErrorSummary form={form} labels={{ status: t('plans.statusLabel'), progress: t('plans.progress'), value: t('plans.value'), note: t('plans.correct.reason') }} />
          <Form action={href(view, `/admin/plans/${slug}/corrections/${fig.kind}/${fig.id}`)}>
            {fig.kind === 'action' ? (
              <>
                <Select name="status" label={t('plans.statusLabel')} form={form} required options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))} />
                <Field name="progress" label={t('plans.progress')} form={form} required inputmode="numeric" dir="ltr" />
              </>
            ) : <Field name="value" label={t('plans.value')} hint={t('plans.form.decimalHint')} form={form} required inputmode="decimal" dir="ltr" />}
            <TextArea name="note" label={t('plans.correct.reason')} hint={t('plans.correct.reasonHint')} form={form} required rows={3} />
            <div class="actions"><Button>{t('plans.correct.button')}</Button></div>
          </Form>
        </>
      ) : <p>{t('plans.correct.notLatest')}</p>}
    </section>
  );
}

