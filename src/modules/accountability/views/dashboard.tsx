import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Breadcrumbs, Select, Button, SampleBadge, Pager } from '../../../core/ui/components.tsx';
import { BarChart, ProgressBar } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr } from '../../../core/i18n/index.ts';
import { ACTION_STATUSES, OGP_VALUES, COMPLETION_LEVELS, pct } from '../rules.ts';
import type { Dashboard, CommitmentSummary } from '../service.ts';
import { StatusBadge, LateBadge, Pct, PlanNav, InstitutionName, iso } from './common.tsx';
import { PeriodText } from '../views.tsx';

/** Above this many indicators, the dashboard charts them by axis instead of one bar each. */
export const MAX_INDICATOR_BARS = 24;
/** Commitments per page of the dashboard's table (axis pages list every commitment of an axis). */
export const COMMITMENTS_PAGE = 50;

function Filters({ d }: { d: Dashboard }) {
  const view = useView();
  const { t, locale } = view;
  const form = { values: { ...d.filters }, errors: {} };
  return (
    <form method="get" action={href(view, `/plans/${d.plan.slug}`)} class="filters" role="search" aria-label={t('plans.filters.label')}>
      <Select name="department" label={t('plans.filters.department')} form={form} blank={t('plans.filters.all')}
        options={d.options.departments.map((x) => ({ value: x.slug, label: tr(x.name, locale) }))} />
      <Select name="sdg" label={t('plans.filters.sdg')} form={form} blank={t('plans.filters.all')}
        options={d.options.goals.map((g) => ({ value: String(g.code), label: `${formatNumber(locale, g.code)}. ${tr(g.title, locale)}` }))} />
      <Select name="status" label={t('plans.filters.status')} form={form} blank={t('plans.filters.all')}
        options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))} />
      <Select name="value" label={t('plans.filters.value')} form={form} blank={t('plans.filters.all')}
        options={OGP_VALUES.map((v) => ({ value: v, label: t(`plans.ogp.${v}`) }))} />
      <div class="actions">
        <Button kind="secondary">{t('plans.filters.apply')}</Button>
        {d.filtered && <a href={href(view, `/plans/${d.plan.slug}`)}>{t('plans.filters.clear')}</a>}
      </div>
    </form>
  );
}

function CommitmentTable({ slug, items, total }: { slug: string; items: CommitmentSummary[]; total: number }) {
  const view = useView();
  const { t, locale } = view;
  // Translated once, not once per row (a plan may have hundreds of commitments).
  const completion = Object.fromEntries(COMPLETION_LEVELS.map((l) => [l, t(`plans.completion.${l}`)]));
  const caption = t('plans.dashboard.commitmentsCaption', { count: total });
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plans.commitment')}</th>
            <th scope="col">{t('plans.leadDepartment')}</th>
            <th scope="col">{t('plans.progress')}</th>
            <th scope="col">{t('plans.completionLevel')}</th>
            <th scope="col" class="num">{t('plans.actionsCount')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr>
              <th scope="row" class={c.depth > 0 ? `indent-${Math.min(3, c.depth)}` : undefined}>
                <a href={href(view, `/plans/${slug}/commitments/${c.number}`)}>{c.number}. <Tr value={c.title} /></a>
                {c.sample && <> <SampleBadge /></>}
                {c.lateCount > 0 && <> <LateBadge /></>}
              </th>
              <td><InstitutionName value={c.lead} /></td>
              <td><ProgressBar value={c.progress === null ? null : c.progress} /></td>
              <td>{completion[c.completion]}</td>
              <td class="num">{formatNumber(locale, c.actionCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DashboardPage({ d, today, page = 1 }: { d: Dashboard; today: string; page?: number }) {
  const view = useView();
  const { t, locale } = view;
  const slug = d.plan.slug;
  const query = new URLSearchParams(Object.entries(d.filters).filter(([, v]) => v)).toString();
  const pageItems = d.commitments.slice((page - 1) * COMMITMENTS_PAGE, page * COMMITMENTS_PAGE);
  const indicatorBars = d.indicators.length <= MAX_INDICATOR_BARS;
  const byAxisIndicators = () => {
    const axis = axisOf(d.commitments);
    return d.axes.map((a) => {
      const list = d.indicators.filter((i) => axis.get(i.commitmentId) === a.id && i.status.progress !== null);
      return { label: `${a.number}. ${tr(a.title, locale)}`, value: list.length ? list.reduce((s, i) => s + (i.status.progress as number), 0) / list.length : null };
    });
  };
  return (
    <article>
      <Breadcrumbs items={[{ label: t('plans.title'), path: '/plans' }, { label: t(`plans.kind.${d.plan.kind}`) }]} />
      <h1><Tr value={d.plan.title} /></h1>
      <p class="lead">
        <PeriodText plan={d.plan} /> · {d.lastCycle
          ? t('plans.dashboard.lastCycle', { cycle: iso(d.lastCycle.code), date: formatDate(locale, d.lastCycle.publishedAt) })
          : t('plans.dashboard.noCycle')}
      </p>
      <PlanNav slug={slug} current="dashboard" />
      <Filters d={d} />
      {d.filtered && <p class="flash info" role="status">{t('plans.filters.active')}</p>}

      <section aria-labelledby="overview-title">
        <h2 id="overview-title">{t('plans.dashboard.overview')}</h2>
        <ul class="stats">
          <li class="stat"><span class="stat-value"><Pct value={d.overall} /></span> <span class="stat-label">{t('plans.dashboard.overall')} — {t(`plans.completion.${d.completion}`)}</span></li>
          <li class="stat"><span class="stat-value">{formatNumber(locale, d.statusCounts.done ?? 0)}/{formatNumber(locale, d.totals.actions)}</span> <span class="stat-label">{t('plans.dashboard.actionsDone')}</span></li>
          <li class="stat"><span class="stat-value">{formatNumber(locale, d.totals.late)}</span> <span class="stat-label">{t('plans.dashboard.lateActions')}</span></li>
          <li class="stat"><span class="stat-value">{formatNumber(locale, d.totals.indicatorsMet)}/{formatNumber(locale, d.totals.indicators)}</span> <span class="stat-label">{t('plans.dashboard.indicatorsMet')}</span></li>
        </ul>
        <p class="muted">{t('plans.dashboard.howComputed')}</p>
      </section>

      <section aria-labelledby="axes-progress-title">
        <h2 id="axes-progress-title">{t('plans.dashboard.byAxis')}</h2>
        <BarChart id="chart-axes" title={t('plans.dashboard.byAxisChart')} labelHeader={t('plans.axis')} valueHeader={t('plans.progress')}
          data={d.axes.map((a) => ({ label: `${a.number}. ${tr(a.title, locale)}`, value: pct(a.progress) }))} />
      </section>

      <section aria-labelledby="dept-progress-title">
        <h2 id="dept-progress-title">{t('plans.dashboard.byDepartment')}</h2>
        <BarChart id="chart-departments" title={t('plans.dashboard.byDepartmentChart')} labelHeader={t('plans.department')} valueHeader={t('plans.progress')}
          data={d.byDepartment.map((x) => ({ label: tr(x.institution.name, locale), value: pct(x.progress),
            display: `${x.progress === null ? '—' : `${formatNumber(locale, Math.round(x.progress))}\u00a0%`} · ${t('plans.dashboard.nActions', { count: x.actions })}` }))} />
      </section>

      <section aria-labelledby="status-title">
        <h2 id="status-title">{t('plans.dashboard.statuses')}</h2>
        <BarChart id="chart-status" title={t('plans.dashboard.statusesChart')} labelHeader={t('plans.statusLabel')} valueHeader={t('plans.actionsCount')}
          max={Math.max(1, d.totals.actions)} unit=""
          data={ACTION_STATUSES.map((s) => ({ label: t(`plans.status.${s}`), value: d.statusCounts[s] ?? 0, display: formatNumber(locale, d.statusCounts[s] ?? 0) }))} />
      </section>

      <section aria-labelledby="indicators-title">
        <h2 id="indicators-title">{t('plans.dashboard.indicators')}</h2>
        <p>{t('plans.dashboard.indicatorsIntro', { withData: d.totals.indicatorsWithData, total: d.totals.indicators, met: d.totals.indicatorsMet })}</p>
        {indicatorBars ? (
          <BarChart id="chart-indicators" title={t('plans.dashboard.indicatorsChart')} labelHeader={t('plans.indicator')} valueHeader={t('plans.towardsTarget')}
            data={d.indicators.map((i) => ({
              label: `${i.commitmentNumber} — ${tr(i.title, locale)}`, value: pct(i.status.progress),
              display: i.status.progress === null ? t('plans.noMeasurement') : `${formatNumber(locale, Math.round(i.status.progress))}\u00a0%${i.status.met ? ` · ${t('plans.targetMet')}` : ''}`,
            }))} />
        ) : (
          <BarChart id="chart-indicators" title={t('plans.dashboard.indicatorsByAxisChart')} labelHeader={t('plans.axis')} valueHeader={t('plans.towardsTarget')} data={byAxisIndicators()} />
        )}
      </section>

      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{d.lastCycle ? t('plans.dashboard.changes', { cycle: iso(d.lastCycle.code) }) : t('plans.dashboard.changesNone')}</h2>
        {d.lastCycle && (d.changes.length === 0 ? <p>{t('plans.dashboard.noChanges')}</p> : (
          <div class="table-wrap" role="region" aria-label={t('plans.dashboard.changesCaption', { count: d.changes.length })} tabindex={0}>
            <table>
              <caption>{t('plans.dashboard.changesCaption', { count: d.changes.length })}</caption>
              <thead><tr><th scope="col">{t('plans.action')}</th><th scope="col">{t('plans.before')}</th><th scope="col">{t('plans.after')}</th></tr></thead>
              <tbody>
                {d.changes.slice(0, 12).map((c) => (
                  <tr>
                    <th scope="row"><a href={href(view, `/plans/${slug}/commitments/${c.commitmentNumber}`)}>{c.commitmentNumber}</a> — <Tr value={c.title} />{c.sample && <> <SampleBadge /></>}</th>
                    <td>{c.before ? <><StatusBadge status={c.before.status} /> <Pct value={c.before.progress} /></> : t('plans.notReportedYet')}</td>
                    <td><StatusBadge status={c.after.status} /> <Pct value={c.after.progress} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {d.changes.length > 12 && <p>{t('plans.dashboard.andMore', { count: d.changes.length - 12 })}</p>}
          </div>
        ))}
      </section>

      <section aria-labelledby="late-title">
        <h2 id="late-title">{t('plans.dashboard.late')}</h2>
        {d.late.length === 0 ? <p>{t('plans.dashboard.noLate')}</p> : (
          <div class="table-wrap" role="region" aria-label={t('plans.dashboard.lateCaption', { count: d.totals.late })} tabindex={0}>
            <table>
              <caption>{t('plans.dashboard.lateCaption', { count: d.totals.late })}</caption>
              <thead><tr><th scope="col">{t('plans.action')}</th><th scope="col">{t('plans.department')}</th><th scope="col">{t('plans.endDate')}</th><th scope="col">{t('plans.statusLabel')}</th></tr></thead>
              <tbody>
                {d.late.map((l) => (
                  <tr>
                    <th scope="row"><a href={href(view, `/plans/${slug}/commitments/${l.commitmentNumber}`)}>{l.commitmentNumber}</a> — <Tr value={l.title} />{l.sample && <> <SampleBadge /></>}</th>
                    <td><InstitutionName value={l.institution} /></td>
                    <td>{formatDate(locale, l.endDate)}</td>
                    <td><StatusBadge status={l.status} /> <Pct value={l.progress} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {d.totals.late > d.late.length && <p>{t('plans.dashboard.andMore', { count: d.totals.late - d.late.length })}</p>}
      </section>

      <section aria-labelledby="commitments-title">
        <h2 id="commitments-title">{t('plans.dashboard.commitments')}</h2>
        <CommitmentTable slug={slug} items={pageItems} total={d.commitments.filter((c) => c.depth > 0).length} />
        <Pager page={page} pageSize={COMMITMENTS_PAGE} total={d.commitments.length} base={`/plans/${slug}${query ? `?${query}` : ''}`} />
      </section>

      <section aria-labelledby="data-title">
        <h2 id="data-title">{t('plans.dashboard.openData')}</h2>
        <p>{t('plans.dashboard.openDataIntro')}</p>
        <ul>
          <li><a href={href(view, `/plans/${slug}.csv`)}>{t('plans.export.commitments')}</a> (CSV)</li>
          <li><a href={href(view, `/plans/${slug}/actions.csv`)}>{t('plans.export.actions')}</a> (CSV)</li>
          <li><a href={href(view, `/plans/${slug}/indicators.csv`)}>{t('plans.export.indicators')}</a> (CSV)</li>
          <li><a href={href(view, `/plans/${slug}/measurements.csv`)}>{t('plans.export.measurements')}</a> (CSV)</li>
          <li><a href={`/api/plans/${slug}.json`}>{t('plans.export.json')}</a> (JSON)</li>
        </ul>
        <p class="muted">{t('plans.dashboard.asOf', { date: formatDate(locale, today) })}</p>
      </section>
    </article>
  );
}

/** The axis (top-level commitment) each commitment belongs to. */
function axisOf(all: CommitmentSummary[]): Map<number, number> {
  const byId = new Map(all.map((x) => [x.id, x]));
  const out = new Map<number, number>();
  for (const c of all) {
    let cur: CommitmentSummary | undefined = c;
    for (let i = 0; cur && cur.parentId !== null && byId.has(cur.parentId) && i < 64; i++) cur = byId.get(cur.parentId);
    if (cur) out.set(c.id, cur.id);
  }
  return out;
}
