import { useView, href } from '../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge } from '../../core/ui/components.tsx';
import { formatDate, formatNumber, tr, type Locale, type T } from '../../core/i18n/index.ts';
import type { SideCounts } from './parity.ts';
import type { BodySummary, BodyDetail, Member, Endorsement } from './service.ts';
import type { Institution, InstitutionKind } from './institutions.ts';

/** Public pages: the bodies of the plan, one body, the institutions, the endorsements. */

export function Composition({ counts }: { counts: SideCounts }) {
  const { t, locale } = useView();
  if (counts.civil_society + counts.commune === 0) return <>{t('governance.noDesignatedMembers')}</>;
  return (
    <>{t('governance.counts', { civil: formatNumber(locale, counts.civil_society), commune: formatNumber(locale, counts.commune) })}</>
  );
}

export function ParityBadge({ parity, ok }: { parity: boolean; ok: boolean }) {
  const { t } = useView();
  if (!parity) return <span class="badge neutral">{t('governance.parityNone')}</span>;
  return ok ? <span class="badge ok">{t('governance.parityOk')}</span> : <span class="badge bad">{t('governance.parityKo')}</span>;
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useView();
  return <span class={`badge ${outcome === 'consensus' ? 'ok' : 'warn'}`}>{t(`governance.outcome.${outcome}`)}</span>;
}

/** A person's name: isolated so that a Latin name reads right inside Arabic text. */
export const Person = ({ name }: { name: string }) => <bdi>{name}</bdi>;

export function BodiesPage({ bodies }: { bodies: BodySummary[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('governance.bodiesTitle')}</h1>
      <p class="lead">{t('governance.bodiesIntro')}</p>
      <ul class="cards">
        {bodies.map((b) => (
          <li class="card">
            <h2><a href={href(view, `/bodies/${b.slug}`)}><Tr value={b.name} /></a></h2>
            <ul class="tags"><li>{t(`governance.kind.${b.kind}`)}</li></ul>
            {b.sample && <p><SampleBadge /></p>}
            <dl class="kv">
              <dt>{t('governance.composition')}</dt>
              <dd><Composition counts={b.counts} /></dd>
              <dt>{t('governance.parity')}</dt>
              <dd><ParityBadge parity={b.parity} ok={b.parityOk} /></dd>
              <dt>{t('governance.decisionRule')}</dt>
              <dd>{t(`governance.rule.${b.decisionRule}`)}</dd>
            </dl>
          </li>
        ))}
      </ul>
      {bodies.length === 0 && <p>{t('governance.noBodies')}</p>}
      <h2>{t('governance.seeAlso')}</h2>
      <ul>
        <li><a href={href(view, '/institutions')}>{t('governance.institutionsTitle')}</a> — {t('governance.institutionsLinkHint')}</li>
        <li><a href={href(view, '/endorsements')}>{t('governance.endorsementsTitle')}</a> — {t('governance.endorsementsLinkHint')}</li>
      </ul>
    </section>
  );
}

function memberRows(t: T, locale: Locale, members: Member[], former = false) {
  return members.map((m) => [
    <><Person name={m.personName} />{m.sample && <> <SampleBadge /></>}</>,
    t(`governance.side.${m.side}`),
    m.institutionName ? <Tr value={m.institutionName} /> : '—',
    <Tr value={m.roleTitle} />,
    former ? t('governance.period', { since: formatDate(locale, m.since), until: formatDate(locale, m.until) }) : formatDate(locale, m.since),
  ]);
}

export function BodyPage({ detail }: { detail: BodyDetail }) {
  const view = useView();
  const { t, locale } = view;
  const { body } = detail;
  const head = [t('governance.memberName'), t('governance.sideLabel'), t('governance.organisation'), t('governance.roleTitle')];
  return (
    <article>
      <Breadcrumbs items={[{ label: t('governance.bodiesTitle'), path: '/bodies' }, { label: tr(body.name, locale) }]} />
      <h1><Tr value={body.name} /></h1>
      <p class="lead">{t(`governance.kind.${body.kind}`)} · {t(`governance.rule.${body.decisionRule}`)}{body.sample && <> <SampleBadge /></>}</p>
      {(body.description.fr || body.description.ar || body.description.en) && <p><Tr value={body.description} /></p>}
      <dl class="kv">
        <dt>{t('governance.composition')}</dt>
        <dd><Composition counts={detail.counts} /></dd>
        <dt>{t('governance.parity')}</dt>
        <dd><ParityBadge parity={body.parity} ok={detail.parityOk} />{body.parity && <> {t('governance.parityExplained')}</>}</dd>
      </dl>
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('governance.membersTitle')}</h2>
        {detail.members.length === 0 && detail.formerMembers.length === 0
          ? <p>{t('governance.noDesignatedMembers')}</p>
          : <Table caption={t('governance.membersCaption')} head={[...head, t('governance.since')]} rows={memberRows(t, locale, detail.members)} />}
        {detail.formerMembers.length > 0 && (
          <Table caption={t('governance.formerMembersCaption')} head={[...head, t('governance.periodLabel')]} rows={memberRows(t, locale, detail.formerMembers, true)} />
        )}
      </section>
      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t('governance.decisionsTitle')}</h2>
        {detail.decisions.length === 0 ? <p>{t('governance.noDecisions')}</p> : (
          <ol class="timeline">
            {detail.decisions.map((d) => (
              <li>
                <h3><Tr value={d.title} /></h3>
                <p><time dateTime={d.decidedOn}>{formatDate(locale, d.decidedOn)}</time> · <OutcomeBadge outcome={d.outcome} />{d.sample && <> <SampleBadge /></>}</p>
                {(d.notes.fr || d.notes.ar || d.notes.en) && <p><Tr value={d.notes} /></p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

export function InstitutionsPage({ groups }: { groups: { kind: InstitutionKind; items: Institution[] }[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('governance.bodiesTitle'), path: '/bodies' }, { label: t('governance.institutionsTitle') }]} />
      <h1>{t('governance.institutionsTitle')}</h1>
      <p class="lead">{t('governance.institutionsIntro')}</p>
      {groups.map((g) => (
        <section aria-labelledby={`kind-${g.kind}`}>
          <h2 id={`kind-${g.kind}`}>{t(`governance.groups.${g.kind}`)}</h2>
          <ul class="cards">
            {g.items.map((i) => (
              <li class="card">
                <h3><Tr value={i.name} /></h3>
                {(i.lead || i.sample) && <p>{i.lead && <span class="badge ok">{t('governance.lead')}</span>}{i.lead && i.sample && ' '}{i.sample && <SampleBadge />}</p>}
                {(i.description.fr || i.description.ar || i.description.en) && <p><Tr value={i.description} /></p>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

export function EndorsementsPage({ items }: { items: Endorsement[] }) {
  const view = useView();
  const { t, locale } = view;
  const dated = items.some((e) => e.endorsedOn);
  const withStatement = items.filter((e) => e.statement.fr || e.statement.ar || e.statement.en);
  return (
    <section>
      <Breadcrumbs items={[{ label: t('governance.bodiesTitle'), path: '/bodies' }, { label: t('governance.endorsementsTitle') }]} />
      <h1>{t('governance.endorsementsTitle')}</h1>
      <p class="lead">{t('governance.endorsementsIntro')}</p>
      <Table caption={t('governance.endorsementsCaption')}
        head={[t('governance.person'), t('governance.personTitle'), t('governance.organisation'), ...(dated ? [t('governance.endorsedOn')] : [])]}
        rows={items.map((e) => [
          <Person name={e.personName} />, <Tr value={e.personTitle} />, <Tr value={e.institutionName} />,
          ...(dated ? [e.endorsedOn ? formatDate(locale, e.endorsedOn) : '—'] : []),
        ])} />
      {withStatement.length > 0 && (
        <section aria-labelledby="statements-title">
          <h2 id="statements-title">{t('governance.statements')}</h2>
          {withStatement.map((e) => (
            <figure>
              <blockquote><p><Tr value={e.statement} /></p></blockquote>
              <figcaption><Person name={e.personName} />, <Tr value={e.personTitle} />, <Tr value={e.institutionName} /></figcaption>
            </figure>
          ))}
        </section>
      )}
    </section>
  );
}
