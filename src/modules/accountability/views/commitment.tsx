import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Breadcrumbs, SampleBadge } from '../../../core/ui/components.tsx';
import { LineChart, ProgressBar } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr } from '../../../core/i18n/index.ts';
import type { CommitmentPageData, IndicatorView } from '../service.ts';
import { StatusBadge, LateBadge, Pct, Num, InstitutionName, fileSize, iso } from './common.tsx';
import { Comments, type CommentThread } from '../../comments/index.ts';

function hasText(v: Record<string, string | undefined> | null | undefined): boolean {
  return !!v && Object.values(v).some((x) => !!x);
}

function IndicatorBlock({ i, series }: { i: IndicatorView; series: { period: string; periodEnd: string; value: number; sample: boolean }[] }) {
  const view = useView();
  const { t, locale } = view;
  const unit = tr(i.unit, locale);
  return (
    <section class="card" aria-labelledby={`ind-${i.id}`}>
      <h3 id={`ind-${i.id}`}><Tr value={i.title} />{i.sample && <> <SampleBadge /></>}</h3>
      <p><span class="badge neutral">{t(`plans.indicatorKind.${i.kind}`)}</span> {hasText(i.definition) && <Tr value={i.definition} />}</p>
      <dl class="kv">
        <dt>{t('plans.baseline')}</dt><dd><Num value={i.baseline.value} unit={i.unit} />{i.baseline.date && <> ({formatDate(locale, i.baseline.date)})</>}</dd>
        <dt>{t('plans.target')}</dt><dd><Num value={i.target.value} unit={i.unit} />{i.target.date && <> ({formatDate(locale, i.target.date)})</>}</dd>
        <dt>{t('plans.latest')}</dt><dd>{i.latest ? <><Num value={i.latest.value} unit={i.unit} /> (<bdi>{i.latest.period}</bdi>){i.latest.sample && <> <SampleBadge /></>}</> : t('plans.noMeasurement')}</dd>
        <dt>{t('plans.towardsTarget')}</dt>
        <dd>
          <ProgressBar value={i.status.progress} />
          {i.status.met && <> <span class="badge ok">{t('plans.targetMet')}</span></>}
          {i.status.trend === 'worsened' && <> <span class="badge bad">{t('plans.trend.worsened')}</span></>}
        </dd>
        <dt>{t('plans.direction')}</dt><dd>{t(`plans.directionValue.${i.direction}`)}</dd>
        <dt>{t('plans.frequency')}</dt><dd>{t(`plans.frequencyValue.${i.frequency}`)}</dd>
        {hasText(i.source) && <><dt>{t('plans.source')}</dt><dd><Tr value={i.source} /></dd></>}
      </dl>
      <LineChart id={`chart-ind-${i.id}`} title={t('plans.indicatorChart', { title: tr(i.title, locale) })} unit={unit}
        periodHeader={t('plans.periodLabel')} valueHeader={t('plans.value')}
        points={series.map((p) => ({ label: p.period, date: p.periodEnd, value: p.value }))}
        baseline={i.baseline.value === null ? null : { value: i.baseline.value, date: i.baseline.date, label: t('plans.baseline') }}
        target={i.target.value === null ? null : { value: i.target.value, date: i.target.date, label: t('plans.target') }} />
    </section>
  );
}

/**
 * The public page of one commitment: what and why, milestones, indicators, evidence, the history
 * of published updates, the steering committee's decisions, then the public debate.
 */
export function CommitmentPage({ data, thread }: { data: CommitmentPageData; thread?: CommentThread }) {
  const view = useView();
  const { t, locale } = view;
  const c = data.commitment;
  const base = `/plans/${c.planSlug}`;
  return (
    <article>
      <Breadcrumbs items={[
        { label: t('plans.title'), path: '/plans' },
        { label: tr(c.planTitle, locale), path: base },
        ...c.path.map((p) => ({ label: `${p.number}. ${tr(p.title, locale)}`, path: `${base}/commitments/${p.number}` })),
        { label: c.number },
      ]} />
      <h1>{c.number}. <Tr value={c.title} />{c.sample && <> <SampleBadge /></>}</h1>
      <p class="lead">
        <ProgressBar value={c.progress} /> · {t(`plans.completion.${c.completion}`)}
        {c.lateCount > 0 && <> · <LateBadge /></>}
      </p>
      <dl class="kv">
        <dt>{t('plans.leadDepartment')}</dt><dd><InstitutionName value={c.lead} /></dd>
        {c.supporting.length > 0 && <><dt>{t('plans.supporting')}</dt><dd><ul class="tags">{c.supporting.map((i) => <li><Tr value={i.name} /></li>)}</ul></dd></>}
        {c.partners.length > 0 && <><dt>{t('plans.partners')}</dt><dd><ul class="tags">{c.partners.map((i) => <li><Tr value={i.name} /></li>)}</ul></dd></>}
        {(c.startDate || c.endDate) && <><dt>{t('plans.dates')}</dt><dd>{c.startDate ? formatDate(locale, c.startDate) : '…'} – {c.endDate ? formatDate(locale, c.endDate) : '…'}</dd></>}
        {c.ogpValues.length > 0 && <><dt>{t('plans.ogpValues')}</dt><dd><ul class="tags">{c.ogpValues.map((v) => <li>{t(`plans.ogp.${v}`)}</li>)}</ul></dd></>}
        {c.sdg.length > 0 && (
          <>
            <dt>{t('plans.sdg')}</dt>
            <dd>
              <ul class="tags">
                {c.sdg.map((s) => (
                  <li>
                    {s.target ? <>{t('plans.sdgTarget', { code: s.target })}{s.local && <> ({t('plans.localTarget')})</>}</> : <>{t('plans.sdgGoal', { code: formatNumber(locale, s.goal) })} — <Tr value={s.title} /></>}
                    {s.target && hasText(s.targetText) && <>: <Tr value={s.targetText} /></>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {hasText(c.budgetNote) && <><dt>{t('plans.budgetNote')}</dt><dd><Tr value={c.budgetNote} /></dd></>}
        {c.weight !== null && <><dt>{t('plans.weight')}</dt><dd>{formatNumber(locale, c.weight)}</dd></>}
      </dl>

      {hasText(c.problem) && (
        <section aria-labelledby="problem-title">
          <h2 id="problem-title">{t('plans.problem')}</h2>
          <p><Tr value={c.problem} /></p>
        </section>
      )}
      {hasText(c.description) && (
        <section aria-labelledby="what-title">
          <h2 id="what-title">{c.depth === 0 ? t('plans.axisDescription') : t('plans.whatCommits')}</h2>
          <p><Tr value={c.description} /></p>
        </section>
      )}

      {c.children.length > 0 && (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{c.depth === 0 ? t('plans.commitmentsOfAxis') : t('plans.subCommitments')}</h2>
          <ul class="cards">
            {c.children.map((k) => (
              <li class="card">
                <h3><a href={href(view, `${base}/commitments/${k.number}`)}>{k.number}. <Tr value={k.title} /></a>{k.sample && <> <SampleBadge /></>}</h3>
                <p><ProgressBar value={k.progress} /> · {t(`plans.completion.${k.completion}`)}{k.weight !== null && <> · {t('plans.weightShort', { weight: formatNumber(locale, k.weight) })}</>}</p>
                <p><InstitutionName value={k.lead} />{k.lateCount > 0 && <> · <LateBadge /></>}</p>
              </li>
            ))}
          </ul>
        </section>
      )}

      {(c.children.length === 0 || c.actions.length > 0) && <section aria-labelledby="milestones-title">
        <h2 id="milestones-title">{t('plans.milestones')}</h2>
        {c.actions.length === 0 ? <p>{t('plans.noActions')}</p> : (
          <ol class="timeline">
            {c.actions.map((a) => (
              <li id={`action-${a.id}`}>
                <p><strong><Tr value={a.title} /></strong>{a.sample && <> <SampleBadge /></>}</p>
                <p><StatusBadge status={a.status} /> <ProgressBar value={a.progress} />{a.late && <> <LateBadge /></>}</p>
                <p class="muted">
                  <InstitutionName value={a.institution} />
                  {(a.startDate || a.endDate) && <> · {a.startDate ? formatDate(locale, a.startDate) : '…'} – {a.endDate ? formatDate(locale, a.endDate) : '…'}</>}
                </p>
                {hasText(a.expectedResult) && <p><strong>{t('plans.expectedResult')}</strong> <Tr value={a.expectedResult} /></p>}
              </li>
            ))}
          </ol>
        )}
      </section>}

      {(c.children.length === 0 || c.indicators.length > 0) && (
        <section aria-labelledby="indicators-title">
          <h2 id="indicators-title">{t('plans.indicators')}</h2>
          {c.indicators.length === 0 ? <p>{t('plans.noIndicators')}</p> : c.indicators.map((i) => <IndicatorBlock i={i} series={data.series.get(i.id) ?? []} />)}
        </section>
      )}

      <section aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t('plans.evidence.title')}</h2>
        {data.evidence.length === 0 ? <p>{t('plans.evidence.none')}</p> : (
          <ul>
            {data.evidence.map((e) => (
              <li>
                {e.kind === 'file'
                  ? <a href={href(view, `${base}/evidence/${e.id}/${encodeURIComponent(e.fileName ?? 'file')}`)}><bdi>{e.title}</bdi></a>
                  : <a href={e.url ?? '#'} rel="noopener noreferrer"><bdi>{e.title}</bdi></a>}
                {e.kind === 'file' && <> ({fileSize(view, e.size)})</>}
                {e.visibility === 'internal' && <> <span class="badge warn">{t('plans.evidence.internal')}</span></>}
                {e.pending && <> <span class="badge neutral">{t('plans.evidence.pending')}</span></>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('plans.history.title')}</h2>
        {data.history.length === 0 ? <p>{t('plans.history.none')}</p> : (
          <div class="table-wrap" role="region" aria-label={t('plans.history.caption')} tabindex={0}>
            <table>
              <caption>{t('plans.history.caption')}</caption>
              <thead><tr><th scope="col">{t('plans.history.published')}</th><th scope="col">{t('plans.history.item')}</th><th scope="col">{t('plans.periodLabel')}</th><th scope="col">{t('plans.history.figure')}</th><th scope="col">{t('plans.history.version')}</th></tr></thead>
              <tbody>
                {data.history.map((h) => (
                  <tr>
                    <th scope="row">{formatDate(locale, h.publishedAt)}</th>
                    <td><Tr value={h.itemTitle} />{h.sample && <> <SampleBadge /></>}</td>
                    <td><bdi>{h.period}</bdi></td>
                    <td>{h.kind === 'action' ? <><StatusBadge status={h.status!} /> <Pct value={h.progress!} /></> : <Num value={h.value} unit={h.unit} />}</td>
                    <td>
                      {t('plans.history.versionN', { n: h.version })}
                      {h.correction && <> — <span class="badge warn">{t('plans.history.correction')}</span> <bdi>{h.note}</bdi></>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t('plans.decisions.title')}</h2>
        {data.decisions.length === 0 ? <p>{t('plans.decisions.none')}</p> : (
          <ul class="cards">
            {data.decisions.map((d) => (
              <li class="card">
                <h3>{t('plans.decisions.heading', { date: formatDate(locale, d.decidedOn), cycle: iso(d.cycle) })}</h3>
                <p><span class={`badge ${d.outcome === 'consensus' ? 'ok' : 'warn'}`}>{t(`plans.decisions.outcome.${d.outcome}`)}</span></p>
                <p dir="auto">{d.decision}</p>
                {d.measures && <p><strong>{t('plans.decisions.measures')}</strong> <bdi>{d.measures}</bdi></p>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.related.map((g, i) => (
        <section aria-labelledby={`related-${i}`}>
          <h2 id={`related-${i}`}>{t(g.titleKey)}</h2>
          <ul>
            {g.items.map((x) => (
              <li><a href={href(view, x.path)}><Tr value={x.title} /></a>{x.date && <> ({formatDate(locale, x.date)})</>}{x.sample && <> <SampleBadge /></>}</li>
            ))}
          </ul>
        </section>
      ))}

      {/* COMMENTS SLOT — the public debate on this commitment (comments module). */}
      {thread && <Comments thread={thread} returnTo={`${base}/commitments/${c.number}`} />}
    </article>
  );
}
