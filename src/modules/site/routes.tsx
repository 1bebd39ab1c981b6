import type { FastifyInstance } from 'fastify';
import { useView, href } from '../../core/ui/view.ts';
import { Tr } from '../../core/ui/components.tsx';
import { formatNumber, tr } from '../../core/i18n/index.ts';
import type { OpenDataExport } from '../../core/module.ts';
import { featuredPlan, type PlanOverview } from '../accountability/service.ts';
import { CocreationFacts, PeriodText } from '../accountability/views.tsx';

function HomePage({ plan }: { plan: PlanOverview | null }) {
  const view = useView();
  const { t, locale, commune } = view;
  return (
    <>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('site.welcome', { commune: tr(commune.name, locale) })}</h1>
        <p class="lead">{t('site.tagline')}</p>
        {commune.population && <p>{t('site.population', { count: formatNumber(locale, commune.population) })}</p>}
      </section>
      <section aria-labelledby="do-title">
        <h2 id="do-title">{t('site.whatYouCanDo')}</h2>
        <ul class="cards">
          {view.nav.map((n) => <li class="card"><h3><a href={href(view, n.path)}>{t(n.key)}</a></h3></li>)}
        </ul>
      </section>
      {plan && (
        <section aria-labelledby="plan-title">
          <h2 id="plan-title"><a href={href(view, `/plans/${plan.slug}`)}><Tr value={plan.title} /></a></h2>
          <p><PeriodText plan={plan} /> · {t(`plans.kind.${plan.kind}`)}</p>
          <p><Tr value={plan.vision} /></p>
          <ol class="cards">
            {plan.axes.map((a) => <li class="card"><h3>{a.number}. <Tr value={a.title} /></h3></li>)}
          </ol>
          <CocreationFacts plan={plan} />
        </section>
      )}
    </>
  );
}

function AboutPage() {
  const view = useView();
  const { t } = view;
  return (
    <article>
      <h1>{t('site.aboutTitle')}</h1>
      <p class="lead">{t('site.aboutIntro')}</p>
      <h2>{t('site.sampleTitle')}</h2>
      <p>{t('site.sampleText')}</p>
      <h2>{t('site.privacyTitle')}</h2>
      <p>{t('site.privacyText')}</p>
      <h2>{t('site.sourceTitle')}</h2>
      <p>{t('site.sourceText')}</p>
    </article>
  );
}

function OpenDataPage({ exports }: { exports: OpenDataExport[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('site.openDataTitle')}</h1>
      <p class="lead">{t('site.openDataIntro')}</p>
      {exports.length === 0 ? <p>{t('site.openDataNone')}</p> : (
        <ul>{exports.map((e) => <li><a href={e.path.startsWith('/api/') ? e.path : href(view, e.path)}>{t(e.key)}</a> ({e.format.toUpperCase()})</li>)}</ul>
      )}
    </section>
  );
}

export function sitePages(exports: () => OpenDataExport[]) {
  return async (app: FastifyInstance) => {
    app.get('/', async (req, reply) => reply.page(req.t('site.homeTitle'), <HomePage plan={await featuredPlan(req.ctx)} />));
    app.get('/about', async (req, reply) => reply.page(req.t('site.aboutTitle'), <AboutPage />));
    app.get('/open-data', async (req, reply) => reply.page(req.t('site.openDataTitle'), <OpenDataPage exports={exports()} />));
  };
}
