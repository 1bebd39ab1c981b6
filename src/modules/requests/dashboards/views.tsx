import type { ComponentChildren } from 'preact';
import { useView, href } from '../../../core/ui/view.ts';
import { Breadcrumbs, Select, Button, Table, Tr, emptyForm } from '../../../core/ui/components.tsx';
import { BarChart, LineChart } from '../../../core/ui/charts.tsx';
import { formatNumber, intlTag, tr, type Locale } from '../../../core/i18n/index.ts';
import { CHANNELS } from '../schema.ts';
import type { Equity, Figures, InstitutionsBoard, Line, Period } from './service.ts';

/** The public equity and operator dashboards: stat cards, server-rendered SVG charts, and a data table for each. */

export const DASHBOARD_PATH = '/requests/dashboards';
export const INSTITUTIONS_PATH = '/requests/dashboards/institutions';

const num = (locale: Locale, n: number | null, digits = 1) => (n === null ? '—' : formatNumber(locale, n, { maximumFractionDigits: digits }));
const pct = (locale: Locale, n: number | null) => (n === null ? '—' : `${formatNumber(locale, n, { maximumFractionDigits: 0 })}\u00a0%`);

export interface FilterProps { period: Period; channel: string; years: string[]; path: string }

function Filters({ period, channel, years, path }: FilterProps) {
  const view = useView();
  const { t } = view;
  const periods = [
    { value: '12m', label: t('requests.dashboards.period.12m') },
    { value: '3m', label: t('requests.dashboards.period.3m') },
    ...years.map((y) => ({ value: y, label: t('requests.dashboards.period.year', { year: y }) })),
    { value: 'all', label: t('requests.dashboards.period.all') },
  ];
  const form = emptyForm({ period: period.key, channel });
  return (
    <form action={href(view, path)} method="get" class="filters" novalidate>
      <Select name="period" label={t('requests.dashboards.filter.period')} form={form} options={periods} />
      <Select name="channel" label={t('requests.dashboards.filter.channel')} form={form} blank={t('requests.dashboards.filter.allChannels')}
        options={CHANNELS.map((c) => ({ value: c, label: t(`requests.dashboards.channel.${c}`) }))} />
      <div class="actions"><Button kind="secondary">{t('requests.dashboards.filter.apply')}</Button></div>
    </form>
  );
}

/** Links between the two dashboards (the current one marked), and back to the list. */
function SubNav({ current }: { current: 'equity' | 'institutions' }) {
  const view = useView();
  const { t } = view;
  const items = [
    { key: 'equity', path: DASHBOARD_PATH, label: t('requests.dashboards.equityTitle') },
    { key: 'institutions', path: INSTITUTIONS_PATH, label: t('requests.dashboards.institutionsTitle') },
  ];
  return (
    <nav aria-label={t('requests.dashboards.navLabel')}>
      <ul class="tags">
        {items.map((i) => <li>{i.key === current ? <a href={href(view, i.path) + (view.query ? `?${view.query}` : '')} aria-current="page"><strong>{i.label}</strong></a> : <a href={href(view, i.path) + (view.query ? `?${view.query}` : '')}>{i.label}</a>}</li>)}
        <li><a href={href(view, '/requests')}>{t('requests.dashboards.toList')}</a></li>
      </ul>
    </nav>
  );
}

function PeriodLine({ period, channel }: { period: Period; channel: string }) {
  const { t, locale } = useView();
  const monthName = (m: string) => new Intl.DateTimeFormat(intlTag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-15T12:00:00Z`));
  const what = period.key === 'all' ? t('requests.dashboards.period.all') : t('requests.dashboards.periodRange', { from: monthName(period.from), to: monthName(period.to) });
  return <p class="muted">{what}{channel ? ` · ${t(`requests.dashboards.channel.${channel}`)}` : ` · ${t('requests.dashboards.filter.allChannels')}`}</p>;
}

function Stat({ value, label }: { value: string; label: string }) {
  return <li class="stat"><span class="stat-value">{value}</span><span class="stat-label">{label}</span></li>;
}

function Totals({ total, per10k }: { total: Figures; per10k: number | null }) {
  const { t, locale } = useView();
  return (
    <ul class="stats">
      <Stat value={num(locale, total.requests, 0)} label={t('requests.dashboards.col.requests')} />
      {per10k !== null && <Stat value={num(locale, per10k)} label={t('requests.dashboards.col.per10k')} />}
      <Stat value={pct(locale, total.requests ? (100 * total.resolved) / total.requests : null)} label={t('requests.dashboards.resolvedShare')} />
      <Stat value={num(locale, total.medianDays)} label={t('requests.dashboards.col.medianDays')} />
      <Stat value={pct(locale, total.withinShare)} label={t('requests.dashboards.col.withinShare')} />
      <Stat value={total.satisfaction === null ? '—' : `${num(locale, total.satisfaction)}/5`} label={t('requests.dashboards.col.satisfaction')} />
    </ul>
  );
}

/** The common columns of every table: requests, resolved, median days, within target, satisfaction. */
function figureCells(locale: Locale, f: Figures): ComponentChildren[] {
  return [
    num(locale, f.requests, 0), num(locale, f.resolved, 0), num(locale, f.medianDays), pct(locale, f.withinShare),
    f.satisfaction === null ? '—' : `${num(locale, f.satisfaction)} (${num(locale, f.ratings, 0)})`,
  ];
}

function figureHeads(t: (k: string) => string): string[] {
  return [t('requests.dashboards.col.requests'), t('requests.dashboards.col.resolved'), t('requests.dashboards.col.medianDays'), t('requests.dashboards.col.withinShare'), t('requests.dashboards.col.satisfactionN')];
}

function FigureTable({ caption, first, lines }: { caption: string; first: string; lines: (Line & { extra?: ComponentChildren[] })[] }) {
  const { t, locale } = useView();
  return <Table caption={caption} head={[first, ...figureHeads(t)]} numeric={[1, 2, 3, 4, 5]} rows={lines.map((l) => [<Tr value={l.name} />, ...figureCells(locale, l)])} />;
}

function Method() {
  const { t } = useView();
  return (
    <section aria-labelledby="method">
      <h2 id="method">{t('requests.dashboards.method.title')}</h2>
      <dl class="kv">
        <dt>{t('requests.dashboards.col.per10k')}</dt><dd>{t('requests.dashboards.method.per10k')}</dd>
        <dt>{t('requests.dashboards.col.medianDays')}</dt><dd>{t('requests.dashboards.method.median')}</dd>
        <dt>{t('requests.dashboards.col.withinShare')}</dt><dd>{t('requests.dashboards.method.within')}</dd>
        <dt>{t('requests.dashboards.col.satisfaction')}</dt><dd>{t('requests.dashboards.method.satisfaction')}</dd>
        <dt>{t('requests.dashboards.filter.period')}</dt><dd>{t('requests.dashboards.method.period')}</dd>
      </dl>
    </section>
  );
}

export function EquityPage({ data, filters }: { data: Equity; filters: FilterProps }) {
  const view = useView();
  const { t, locale } = view;
  const noDistrict = t('requests.dashboards.noDistrict');
  const districtName = (l: { id: number; name: Line['name'] }) => (l.id === 0 ? noDistrict : tr(l.name, locale));
  const withPop = data.districts.filter((d) => d.per10k !== null);
  const formats = { short: new Intl.DateTimeFormat(intlTag(locale), { month: 'short', year: 'numeric', timeZone: 'UTC' }), long: new Intl.DateTimeFormat(intlTag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }) };
  const monthLabel = (m: string, month: 'short' | 'long' = 'long') => formats[month].format(new Date(`${m}-15T12:00:00Z`));
  return (
    <>
      <Breadcrumbs items={[{ label: t('requests.dashboards.crumbRequests'), path: '/requests' }, { label: t('requests.dashboards.equityTitle') }]} />
      <h1>{t('requests.dashboards.equityTitle')}</h1>
      <p class="lead">{t('requests.dashboards.equityLead')}</p>
      <SubNav current="equity" />
      <Filters {...filters} />
      <PeriodLine period={filters.period} channel={filters.channel} />
      <Totals total={data.total} per10k={data.per10k} />

      <section aria-labelledby="districts">
        <h2 id="districts">{t('requests.dashboards.districts')}</h2>
        <BarChart id="chart-districts" title={t('requests.dashboards.chart.per10kByDistrict')} unit="" max={Math.max(1, ...withPop.map((d) => d.per10k ?? 0))}
          labelHeader={t('requests.dashboards.col.district')} valueHeader={t('requests.dashboards.col.per10k')}
          data={withPop.map((d) => ({ label: districtName(d), value: d.per10k === null ? null : Math.round(d.per10k * 10) / 10 }))} />
        <Table caption={t('requests.dashboards.table.districts')}
          head={[t('requests.dashboards.col.district'), t('requests.dashboards.col.population'), t('requests.dashboards.col.per10k'), ...figureHeads(t)]}
          numeric={[1, 2, 3, 4, 5, 6, 7]}
          rows={data.districts.map((d) => [d.id === 0 ? noDistrict : <Tr value={d.name} />, d.population === null ? '—' : num(locale, d.population, 0), num(locale, d.per10k), ...figureCells(locale, d)])} />
      </section>

      <section aria-labelledby="categories">
        <h2 id="categories">{t('requests.dashboards.categories')}</h2>
        <BarChart id="chart-categories" title={t('requests.dashboards.chart.withinByCategory')} max={100}
          labelHeader={t('requests.dashboards.col.category')} valueHeader={t('requests.dashboards.col.withinShare')}
          data={data.categories.map((c) => ({ label: tr(c.name, locale), value: c.withinShare === null ? null : Math.round(c.withinShare) }))} />
        <FigureTable caption={t('requests.dashboards.table.categories')} first={t('requests.dashboards.col.category')} lines={data.categories} />
      </section>

      <section aria-labelledby="months">
        <h2 id="months">{t('requests.dashboards.months')}</h2>
        <LineChart id="chart-months" title={t('requests.dashboards.chart.requestsByMonth')} periodHeader={t('requests.dashboards.col.month')} valueHeader={t('requests.dashboards.col.requests')}
          points={data.months.map((m) => ({ label: monthLabel(m.month, 'short'), date: `${m.month}-15`, value: m.requests }))} />
        <Table caption={t('requests.dashboards.table.months')} head={[t('requests.dashboards.col.month'), ...figureHeads(t)]} numeric={[1, 2, 3, 4, 5]}
          rows={data.months.map((m) => [monthLabel(m.month), ...figureCells(locale, m)])} />
      </section>

      <section aria-labelledby="channels">
        <h2 id="channels">{t('requests.dashboards.channels')}</h2>
        <Table caption={t('requests.dashboards.table.channels')} head={[t('requests.dashboards.col.channel'), t('requests.dashboards.col.requests'), t('requests.dashboards.col.share'), t('requests.dashboards.col.medianDaysShort'), t('requests.dashboards.col.withinShare')]}
          numeric={[1, 2, 3, 4]}
          rows={data.channels.map((c) => [t(`requests.dashboards.channel.${c.channel}`), num(locale, c.requests, 0), pct(locale, data.total.requests ? (100 * c.requests) / data.total.requests : null), num(locale, c.medianDays), pct(locale, c.withinShare)])} />
      </section>
      <Method />
    </>
  );
}

export function InstitutionsPage({ data, filters }: { data: InstitutionsBoard; filters: FilterProps }) {
  const view = useView();
  const { t, locale } = view;
  const chart = (id: string, lines: Line[], title: string) => (
    <BarChart id={id} title={title} max={100} labelHeader={t('requests.dashboards.col.institution')} valueHeader={t('requests.dashboards.col.withinShare')}
      data={lines.map((l) => ({ label: tr(l.name, locale), value: l.withinShare === null ? null : Math.round(l.withinShare) }))} />
  );
  return (
    <>
      <Breadcrumbs items={[{ label: t('requests.dashboards.crumbRequests'), path: '/requests' }, { label: t('requests.dashboards.institutionsTitle') }]} />
      <h1>{t('requests.dashboards.institutionsTitle')}</h1>
      <p class="lead">{t('requests.dashboards.institutionsLead')}</p>
      <SubNav current="institutions" />
      <Filters {...filters} />
      <PeriodLine period={filters.period} channel={filters.channel} />
      <section aria-labelledby="operators">
        <h2 id="operators">{t('requests.dashboards.operators')}</h2>
        {chart('chart-operators', data.operators, t('requests.dashboards.chart.withinByOperator'))}
        <FigureTable caption={t('requests.dashboards.table.operators')} first={t('requests.dashboards.col.operator')} lines={data.operators} />
      </section>
      <section aria-labelledby="departments">
        <h2 id="departments">{t('requests.dashboards.departments')}</h2>
        {chart('chart-departments', data.departments, t('requests.dashboards.chart.withinByDepartment'))}
        <FigureTable caption={t('requests.dashboards.table.departments')} first={t('requests.dashboards.col.department')} lines={data.departments} />
      </section>
      <Method />
    </>
  );
}
