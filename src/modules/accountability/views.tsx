import { useView, href } from '../../core/ui/view.ts';
import { Tr, Breadcrumbs } from '../../core/ui/components.tsx';
import { formatDate, formatNumber, tr } from '../../core/i18n/index.ts';
import type { PlanOverview } from './service.ts';
import { PlanNav } from './views/common.tsx';

export function PeriodText({ plan }: { plan: Pick<PlanOverview, 'periodStart' | 'periodEnd'> }) {
  const { t } = useView();
  return <>{t('plans.period', { start: plan.periodStart.slice(0, 4), end: plan.periodEnd.slice(0, 4) })}</>;
}

/** The co-creation facts of a plan: participants, groups, meetings, workshops. */
export function CocreationFacts({ plan }: { plan: PlanOverview }) {
  const { t, locale } = useView();
  const c = plan.cocreation;
  if (!c.participants) return null;
  return (
    <section aria-labelledby="cocreation-title">
      <h2 id="cocreation-title">{t('plans.cocreationTitle')}</h2>
      <ul class="stats">
        <li class="stat"><span class="stat-value">{formatNumber(locale, c.participants.total)}</span> <span class="stat-label">{t('plans.participants')}</span></li>
        {c.groups !== undefined && <li class="stat"><span class="stat-value">{formatNumber(locale, c.groups)}</span> <span class="stat-label">{t('plans.groups')}</span></li>}
        {c.publicMeetings !== undefined && <li class="stat"><span class="stat-value">{formatNumber(locale, c.publicMeetings)}</span> <span class="stat-label">{t('plans.publicMeetings')}</span></li>}
        {c.thematicWorkshops && <li class="stat"><span class="stat-value">{formatNumber(locale, c.thematicWorkshops.length)}</span> <span class="stat-label">{t('plans.thematicWorkshops')}</span></li>}
        {c.neighbourhoodWorkshops !== undefined && <li class="stat"><span class="stat-value">{formatNumber(locale, c.neighbourhoodWorkshops)}</span> <span class="stat-label">{t('plans.neighbourhoodWorkshops')}</span></li>}
      </ul>
      <div class="table-wrap" role="region" aria-label={t('plans.breakdownCaption')} tabindex={0}>
        <table>
          <caption>{t('plans.breakdownCaption')}</caption>
          <thead><tr><th scope="col">{t('plans.participantGroup')}</th><th scope="col" class="num">{t('plans.count')}</th></tr></thead>
          <tbody>
            {c.participants.breakdown.map((b) => <tr><th scope="row">{t(`plans.breakdown.${b.key}`)}</th><td class="num">{formatNumber(locale, b.count)}</td></tr>)}
          </tbody>
          <tfoot><tr><th scope="row">{t('plans.total')}</th><td class="num">{formatNumber(locale, c.participants.total)}</td></tr></tfoot>
        </table>
      </div>
      {c.thematicWorkshops && (
        <>
          <h3>{t('plans.thematicWorkshopsTitle', { year: c.year })}</h3>
          <ul>{c.thematicWorkshops.map((w) => <li><Tr value={w} /></li>)}</ul>
        </>
      )}
    </section>
  );
}

/** The plan's vision, axes, objectives and co-creation: the "About" page beside the dashboard. */
export function PlanPage({ plan }: { plan: PlanOverview }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <article>
      <Breadcrumbs items={[{ label: t('plans.title'), path: '/plans' }, { label: tr(plan.title, locale), path: `/plans/${plan.slug}` }, { label: t('plans.subnav.about') }]} />
      <h1><Tr value={plan.title} /></h1>
      <p class="lead">{t(`plans.kind.${plan.kind}`)} · <PeriodText plan={plan} />{plan.submittedOn && <> · {t('plans.submittedOn', { date: formatDate(locale, plan.submittedOn) })}</>}</p>
      <PlanNav slug={plan.slug} current="about" />
      <section aria-labelledby="vision-title">
        <h2 id="vision-title">{t('plans.vision')}</h2>
        <p><Tr value={plan.vision} /></p>
        {plan.guidelines.length > 0 && <ol>{plan.guidelines.map((g) => <li><Tr value={g} /></li>)}</ol>}
      </section>
      <section aria-labelledby="axes-title">
        <h2 id="axes-title">{t('plans.axes')}</h2>
        <ol class="cards">
          {plan.axes.map((a) => (
            <li class="card"><h3><a href={href(view, `/plans/${plan.slug}/commitments/${a.number}`)}>{a.number}. <Tr value={a.title} /></a></h3><p><Tr value={a.description} /></p></li>
          ))}
        </ol>
      </section>
      {plan.objectives.length > 0 && (
        <section aria-labelledby="objectives-title">
          <h2 id="objectives-title">{t('plans.objectives')}</h2>
          <ol>{plan.objectives.map((o) => <li><Tr value={o} /></li>)}</ol>
        </section>
      )}
      <CocreationFacts plan={plan} />
      <section aria-labelledby="institutions-title">
        <h2 id="institutions-title">{t('plans.leadInstitutions')}</h2>
        <ul>{plan.institutions.map((i) => <li><Tr value={i.name} /></li>)}</ul>
        <p><a href={href(view, '/institutions')}>{t('plans.allInstitutions')}</a></p>
      </section>
    </article>
  );
}

export function PlansPage({ plans }: { plans: { slug: string; kind: string; title: Record<string, string>; periodStart: string; periodEnd: string }[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('plans.title')}</h1>
      <p class="lead">{t('plans.intro')}</p>
      <ul class="cards">
        {plans.map((p) => (
          <li class="card">
            <h2><a href={href(view, `/plans/${p.slug}`)}><Tr value={p.title} /></a></h2>
            <p>{t(`plans.kind.${p.kind}`)} · <PeriodText plan={p} /></p>
          </li>
        ))}
      </ul>
    </section>
  );
}
