import type { ComponentChildren } from 'preact';
import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge } from '../../../core/ui/components.tsx';
import { BarChart } from '../../../core/ui/charts.tsx';
import { tr, formatNumber, type Translated } from '../../../core/i18n/index.ts';
import { Treemap, YearBars } from './charts.tsx';
import { dirhams, millions, percent } from './format.ts';
import { voted, executionRate, type Overview, type Term, type LineRow, type CommitmentRef, type FunctionInfo, type YearInfo } from './service.ts';
import type { Explained } from './schema.ts';
import type { PhaseSums } from './repo.ts';

/** The citizen budget: a year at a glance, a function's chapters and lines, one line, the glossary. */

type Glossary = Map<string, Term>;

/** A budget word, explained where it appears: a link to its glossary entry carrying its definition. */
export function Word({ slug, glossary, children }: { slug: string; glossary: Glossary; children?: ComponentChildren }) {
  const view = useView();
  const term = glossary.get(slug);
  if (!term) return <>{children}</>;
  return <a href={href(view, `/budget/glossary#${slug}`)} class="term"><dfn title={tr(term.definition, view.locale)}>{children ?? <Tr value={term.term} />}</dfn></a>;
}

/** The definitions of the words a section uses, beside it (readable on a phone, in print, by a screen reader). */
function Words({ slugs, glossary }: { slugs: string[]; glossary: Glossary }) {
  const { t } = useView();
  const terms = slugs.map((s) => glossary.get(s)).filter((x): x is Term => !!x);
  if (!terms.length) return null;
  return (
    <details class="words">
      <summary>{t('budget.wordsHere')}</summary>
      <dl class="kv">{terms.map((w) => <><dt><Tr value={w.term} /></dt><dd><Tr value={w.definition} /></dd></>)}</dl>
    </details>
  );
}

function Explanation({ info, k }: { info: YearInfo; k: Explained }) {
  const text = info.explanations[k];
  if (!text || !Object.values(text).some(Boolean)) return null;
  return <p class="lead"><Tr value={text} /></p>;
}

function fnLabel(t: (k: string) => string, fn: FunctionInfo | null, locale: Parameters<typeof tr>[1]): string {
  return fn ? tr(fn.label, locale) : t('budget.unmapped');
}

function YearNav({ years, current, suffix = '' }: { years: number[]; current: number; suffix?: string }) {
  const view = useView();
  if (years.length < 2) return null;
  return (
    <nav class="subnav no-print" aria-label={view.t('budget.yearsNav')}>
      <ul>{[...years].reverse().map((y) => <li><a href={href(view, `/budget/${y}${suffix}`)} aria-current={y === current ? 'page' : undefined}>{y}</a></li>)}</ul>
    </nav>
  );
}

export function NoBudgetPage() {
  const { t } = useView();
  return <section><h1>{t('budget.title')}</h1><p>{t('budget.none')}</p></section>;
}

export function YearPage({ ov, glossary, pdf, print }: { ov: Overview; glossary: Term[]; pdf: boolean; print: boolean }) {
  const view = useView();
  const { t, locale } = view;
  const g: Glossary = new Map(glossary.map((x) => [x.slug, x]));
  const { info } = ov;
  const year = info.year;
  const votedIn = voted(ov.receipts), votedOut = voted(ov.expenditure);
  const perHead = (c: number | null) => (c !== null && info.population > 0 ? c / info.population : null);
  const totalReceipts = votedIn ?? 0;
  const fnRows = ov.functions.filter((f) => voted(f.sums) !== null || f.sums.executed !== null);
  const votedWord = ov.amended ? 'amended' : 'forecast';
  const fnPath = (fn: FunctionInfo | null) => `/budget/${year}/functions/${fn ? fn.slug : 'other'}`;
  return (
    <article class="report-doc budget">
      {!print && <Breadcrumbs items={[{ label: t('budget.title'), path: '/budget' }, { label: String(year) }]} />}
      <h1>{t('budget.yearTitle', { year })}</h1>
      {info.sample && <p><SampleBadge /></p>}
      {!print && <YearNav years={ov.years} current={year} />}
      <Explanation info={info} k="overview" />
      <ul class="stats">
        <li class="stat"><span class="stat-value">{millions(locale, t, votedIn)}</span> <span class="stat-label">{t('budget.receives')} (<Word slug={votedWord} glossary={g}>{t(`budget.phase.${votedWord}`)}</Word>)</span></li>
        <li class="stat"><span class="stat-value">{millions(locale, t, votedOut)}</span> <span class="stat-label">{t('budget.spends')} (<Word slug={votedWord} glossary={g}>{t(`budget.phase.${votedWord}`)}</Word>)</span></li>
        {ov.expenditure.executed !== null && <li class="stat"><span class="stat-value">{percent(locale, executionRate(ov.expenditure))}</span> <span class="stat-label"><Word slug="execution-rate" glossary={g}>{t('budget.executionRate')}</Word></span></li>}
        {info.population > 0 && <li class="stat"><span class="stat-value">{dirhams(locale, perHead(votedOut))}</span> <span class="stat-label">{t('budget.perInhabitantStat', { population: formatNumber(locale, info.population) })}</span></li>}
      </ul>

      <section aria-labelledby="b-sources">
        <h2 id="b-sources">{t('budget.sourcesTitle')}</h2>
        <Explanation info={info} k="sources" />
        <BarChart id="chart-sources" title={t('budget.sourcesChart', { year })} max={totalReceipts || 1} labelHeader={t('budget.source')} valueHeader={t('budget.votedAmount')}
          data={ov.sources.map((s) => ({ label: `${t(`budget.sources.${s.source}`)} (${percent(locale, totalReceipts ? Math.round(((voted(s.sums) ?? 0) / totalReceipts) * 100) : null)})`, value: voted(s.sums), display: millions(locale, t, voted(s.sums)) }))} />
        <Words slugs={['own-taxes', 'vat-share', 'transfers', 'loans']} glossary={g} />
      </section>

      <section aria-labelledby="b-functions">
        <h2 id="b-functions">{t('budget.functionsTitle')}</h2>
        <Explanation info={info} k="functions" />
        <Treemap id="chart-functions" title={t('budget.functionsChart', { year })}
          data={fnRows.map((f) => ({ label: fnLabel(t, f.fn, locale), value: voted(f.sums) ?? 0, display: millions(locale, t, voted(f.sums)) }))}
          table={<Table caption={t('budget.functionsChart', { year })} head={[t('budget.function'), t(`budget.phase.${votedWord}`), t('budget.phase.executed'), t('budget.executionRate')]} numeric={[1, 2, 3]}
            rows={fnRows.map((f) => [<a href={href(view, fnPath(f.fn))}>{fnLabel(t, f.fn, locale)}</a>, dirhams(locale, voted(f.sums)), dirhams(locale, f.sums.executed), percent(locale, executionRate(f.sums))])} />} />
        <p class="no-print">{t('budget.drillHint')}</p>
        <ul class="tags no-print">{fnRows.map((f) => <li><a href={href(view, fnPath(f.fn))}>{fnLabel(t, f.fn, locale)}</a></li>)}</ul>
      </section>

      {info.population > 0 && (
        <section aria-labelledby="b-head">
          <h2 id="b-head">{t('budget.perInhabitantTitle')}</h2>
          <Explanation info={info} k="perInhabitant" />
          <BarChart id="chart-head" title={t('budget.perInhabitantChart', { year, population: formatNumber(locale, info.population) })} max={Math.max(1, ...fnRows.map((f) => perHead(voted(f.sums)) ?? 0))}
            labelHeader={t('budget.function')} valueHeader={t('budget.perInhabitant')}
            data={fnRows.map((f) => ({ label: fnLabel(t, f.fn, locale), value: perHead(voted(f.sums)), display: dirhams(locale, perHead(voted(f.sums))) }))} />
        </section>
      )}

      <section aria-labelledby="b-years">
        <h2 id="b-years">{t('budget.yearOnYearTitle')}</h2>
        <Explanation info={info} k="yearOnYear" />
        <YearBars id="chart-years" title={t('budget.yearOnYearChart')} labels={[t('budget.votedExpenditure'), t('budget.executedExpenditure')]}
          format={(n) => formatNumber(locale, n / 1e8, { maximumFractionDigits: 0 })}
          description={ov.history.map((h) => `${h.year}: ${millions(locale, t, voted(h.expenditure))} / ${millions(locale, t, h.expenditure.executed)}`).join(' ; ')}
          data={ov.history.map((h) => ({ year: h.year, a: voted(h.expenditure), b: h.expenditure.executed }))}
          table={<Table caption={t('budget.yearOnYearChart')} head={[t('budget.year'), t('budget.votedReceipts'), t('budget.votedExpenditure'), t('budget.executedExpenditure'), t('budget.executionRate')]} numeric={[1, 2, 3, 4]}
            rows={ov.history.map((h) => [String(h.year), millions(locale, t, voted(h.receipts)), millions(locale, t, voted(h.expenditure)), millions(locale, t, h.expenditure.executed), percent(locale, executionRate(h.expenditure))])} />} />
        <p class="hint">{t('budget.mdhAxis')}</p>
      </section>

      <section aria-labelledby="b-exec">
        <h2 id="b-exec">{t('budget.executionTitle')}</h2>
        <Explanation info={info} k="execution" />
        <BarChart id="chart-exec" title={t('budget.executionChart', { year })} labelHeader={t('budget.function')} valueHeader={t('budget.executionRate')}
          data={fnRows.map((f) => ({ label: fnLabel(t, f.fn, locale), value: executionRate(f.sums) }))} />
        <Words slugs={['forecast', 'amended', 'committed', 'executed', 'execution-rate']} glossary={g} />
      </section>

      <section aria-labelledby="b-parts">
        <h2 id="b-parts">{t('budget.partsTitle')}</h2>
        <PhaseTable caption={t('budget.partsTitle')} rows={ov.parts.flatMap((p) => [
          { label: `${t(`budget.part.${p.part}`)} — ${t('budget.direction.receipt')}`, sums: p.receipts },
          { label: `${t(`budget.part.${p.part}`)} — ${t('budget.direction.expenditure')}`, sums: p.expenditure },
        ])} />
        <Words slugs={['operating', 'equipment', 'special-accounts']} glossary={g} />
      </section>

      {!print && (
        <section aria-labelledby="b-files" class="no-print">
          <h2 id="b-files">{t('budget.filesTitle')}</h2>
          <ul>
            {pdf && <li><a href={href(view, `/budget/${year}.pdf`)}>{t('budget.pdf')}</a></li>}
            <li><a href={href(view, `/budget/${year}.csv`)}>{t('budget.csv')}</a> (CSV)</li>
            <li><a href={href(view, `/budget/${year}/fiscal.csv`)}>{t('budget.fiscalCsv')}</a> (CSV)</li>
            <li><a href={`/api/budget/${year}/datapackage.json`}>{t('budget.datapackage')}</a> (JSON)</li>
            <li><a href={href(view, '/budget/glossary')}>{t('budget.glossaryTitle')}</a></li>
          </ul>
        </section>
      )}
    </article>
  );
}

function PhaseTable({ caption, rows, first }: { caption: string; rows: { label: ComponentChildren; sums: PhaseSums; extra?: ComponentChildren }[]; first?: string }) {
  const { t, locale } = useView();
  return (
    <Table caption={caption} head={[first ?? t('budget.item'), t('budget.phase.forecast'), t('budget.phase.amended'), t('budget.phase.committed'), t('budget.phase.executed'), t('budget.executionRate')]} numeric={[1, 2, 3, 4, 5]}
      rows={rows.map((r) => [r.label, dirhams(locale, r.sums.forecast), dirhams(locale, r.sums.amended), dirhams(locale, r.sums.committed), dirhams(locale, r.sums.executed), percent(locale, executionRate(r.sums))])} />
  );
}

function Commitments({ list }: { list: CommitmentRef[] }) {
  const view = useView();
  if (!list.length) return null;
  return <ul>{list.map((c) => <li><a href={href(view, c.path)}><bdi>{c.number}</bdi> <Tr value={c.title} /></a></li>)}</ul>;
}

export function FunctionPage({ d, years }: { d: { info: YearInfo; fn: FunctionInfo | null; chapters: { code: string; part: string; label: Translated; sums: PhaseSums }[]; lines: LineRow[]; total: PhaseSums }; years: number[] }) {
  const view = useView();
  const { t, locale } = view;
  const name = fnLabel(t, d.fn, locale);
  const year = d.info.year;
  return (
    <article class="budget">
      <Breadcrumbs items={[{ label: t('budget.title'), path: '/budget' }, { label: String(year), path: `/budget/${year}` }, { label: name }]} />
      <h1>{t('budget.functionTitle', { name, year })}</h1>
      {d.fn?.sample && <p><SampleBadge /></p>}
      <YearNav years={years} current={year} suffix={`/functions/${d.fn ? d.fn.slug : 'other'}`} />
      {d.fn && Object.values(d.fn.description).some(Boolean) && <p class="lead"><Tr value={d.fn.description} /></p>}
      <ul class="stats">
        <li class="stat"><span class="stat-value">{millions(locale, t, voted(d.total))}</span> <span class="stat-label">{t('budget.votedExpenditure')}</span></li>
        <li class="stat"><span class="stat-value">{millions(locale, t, d.total.executed)}</span> <span class="stat-label">{t('budget.executedExpenditure')}</span></li>
        <li class="stat"><span class="stat-value">{percent(locale, executionRate(d.total))}</span> <span class="stat-label">{t('budget.executionRate')}</span></li>
      </ul>
      <h2>{t('budget.chaptersTitle')}</h2>
      <PhaseTable caption={t('budget.chaptersTitle')} first={t('budget.chapter')}
        rows={d.chapters.map((c) => ({ label: <><bdi>{c.code}</bdi> <Tr value={c.label} /> ({t(`budget.part.${c.part}`)})</>, sums: c.sums }))} />
      <h2>{t('budget.linesTitle')}</h2>
      <Table caption={t('budget.linesTitle')} head={[t('budget.line'), t('budget.phase.forecast'), t('budget.phase.amended'), t('budget.phase.executed'), t('budget.executionRate'), t('budget.commitments')]} numeric={[1, 2, 3, 4]}
        rows={d.lines.map((l) => [
          <a href={href(view, `/budget/lines/${encodeURIComponent(l.code)}`)}><bdi>{l.code}</bdi> <Tr value={l.label} /></a>,
          dirhams(locale, l.sums.forecast), dirhams(locale, l.sums.amended), dirhams(locale, l.sums.executed), percent(locale, executionRate(l.sums)),
          <Commitments list={l.commitments} />,
        ])} />
    </article>
  );
}

export function LinePage({ d }: { d: Awaited<ReturnType<typeof import('./service.ts').lineDetail>> }) {
  const view = useView();
  const { t } = view;
  return (
    <article class="budget">
      <Breadcrumbs items={[{ label: t('budget.title'), path: '/budget' }, { label: d.code }]} />
      <h1><bdi>{d.code}</bdi> <Tr value={d.label} /></h1>
      {d.sample && <p><SampleBadge /></p>}
      <dl class="kv">
        <dt>{t('budget.partLabel')}</dt><dd>{t(`budget.part.${d.part}`)} — {t(`budget.direction.${d.direction}`)}</dd>
        {d.parents.map((p) => <><dt>{t(`budget.level.${p.level}`)}</dt><dd><bdi>{p.code}</bdi> <Tr value={p.label} /></dd></>)}
        {d.source && <><dt>{t('budget.source')}</dt><dd>{t(`budget.sources.${d.source}`)}</dd></>}
        {d.direction === 'expenditure' && <><dt>{t('budget.function')}</dt><dd>{d.fn ? <Tr value={d.fn.label} /> : t('budget.unmapped')}</dd></>}
        {d.district && <><dt>{t('budget.district')}</dt><dd><bdi>{d.district}</bdi></dd></>}
      </dl>
      <PhaseTable caption={t('budget.lineYears')} first={t('budget.year')} rows={d.years.map((y) => ({ label: <a href={href(view, `/budget/${y.year}`)}>{y.year}</a>, sums: y.sums }))} />
      <h2>{t('budget.commitmentsFunded')}</h2>
      {d.commitments.length ? <Commitments list={d.commitments} /> : <p>{t('budget.noCommitments')}</p>}
    </article>
  );
}

export function GlossaryPage({ terms }: { terms: Term[] }) {
  const { t } = useView();
  return (
    <article class="budget">
      <Breadcrumbs items={[{ label: t('budget.title'), path: '/budget' }, { label: t('budget.glossaryTitle') }]} />
      <h1>{t('budget.glossaryTitle')}</h1>
      <p class="lead">{t('budget.glossaryIntro')}</p>
      {terms.length === 0 ? <p>{t('table.empty')}</p> : (
        <dl class="kv">{terms.map((x) => <><dt id={x.slug}><dfn><Tr value={x.term} /></dfn>{x.sample && <> <SampleBadge /></>}</dt><dd><Tr value={x.definition} /></dd></>)}</dl>
      )}
    </article>
  );
}

export function PdfUnavailablePage({ year }: { year: number }) {
  const view = useView();
  return (
    <section>
      <h1>{view.t('budget.pdf')}</h1>
      <p>{view.t('budget.pdfUnavailable')}</p>
      <p><a href={href(view, `/budget/${year}?print=1`)}>{view.t('budget.printVersion')}</a></p>
    </section>
  );
}
