import { useView, href } from '../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, type FormState } from '../../core/ui/components.tsx';
import { formatDate, tr, type Locale, type T } from '../../core/i18n/index.ts';
import { spreadTranslated } from '../../core/http/forms.ts';
import { BODY_KINDS, DECISION_RULES, OUTCOMES, SIDES } from './schema.ts';
import { INSTITUTION_KINDS, type Institution } from './institutions.ts';
import { endPrefix } from './inputs.ts';
import { Composition, ParityBadge, OutcomeBadge, Person } from './views.tsx';
import type { Body, BodySummary, BodyDetail, Member, Endorsement, Decision } from './service.ts';

/** Staff pages of the governance module. Every form re-renders with the input and its errors. */

const LANGS = [['fr', 'common.inFrench'], ['ar', 'common.inArabic'], ['en', 'common.inEnglish']] as const;

function translatedLabels(t: T, name: string, label: string): Record<string, string> {
  return Object.fromEntries(LANGS.map(([l, k]) => [`${name}_${l}`, `${label} (${t(k)})`]));
}

/** The three language versions of a content field; French is the one required. */
function TranslatedInputs({ name, label, form, required, long }: { name: string; label: string; form: FormState; required?: boolean; long?: boolean }) {
  const { t } = useView();
  const labels = translatedLabels(t, name, label);
  return (
    <>
      {LANGS.map(([l]) => long
        ? <TextArea name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} rows={4} />
        : <Field name={`${name}_${l}`} label={labels[`${name}_${l}`]} form={form} required={required && l === 'fr'} dir={l === 'ar' ? 'rtl' : undefined} />)}
    </>
  );
}

/** A single yes/no box. */
function Check({ name, legend, label, form }: { name: string; legend: string; label: string; form: FormState }) {
  return <Choices name={name} label={legend} form={form} multiple options={[{ value: '1', label }]} />;
}

const instLabel = (t: T, locale: Locale, i: Institution) => `${tr(i.name, locale)} (${t(`institutions.kind.${i.kind}`)})`;
const instOptions = (t: T, locale: Locale, list: Institution[], kinds: readonly string[]) =>
  list.filter((i) => kinds.includes(i.kind)).map((i) => ({ value: String(i.id), label: instLabel(t, locale, i) }));
/** Organisations a member may represent (delegated operators are not parties to the bodies). */
const MEMBER_KINDS = ['department', 'civil_society', 'monitor', 'other'] as const;

const hasText = (v: Record<string, string | undefined>) => !!(v.fr || v.ar || v.en);
const adminCrumb = (t: T) => ({ label: t('admin.home'), path: '/admin' });

// ---------- Bodies ----------

function bodyLabels(t: T) {
  return {
    slug: t('governance.f.slug'), kind: t('governance.f.kind'), ...translatedLabels(t, 'name', t('governance.f.name')),
    ...translatedLabels(t, 'description', t('governance.f.description')), parity: t('governance.parity'),
    decision_rule: t('governance.decisionRule'), sample: t('common.sample'), sort: t('governance.f.sort'),
  };
}

function BodyFields({ form, withSlug }: { form: FormState; withSlug?: boolean }) {
  const { t } = useView();
  const labels = bodyLabels(t);
  return (
    <>
      {withSlug && <Field name="slug" label={labels.slug} hint={t('governance.f.slugHint')} form={form} required dir="ltr" maxlength={60} />}
      <Select name="kind" label={labels.kind} form={form} required options={BODY_KINDS.map((k) => ({ value: k, label: t(`governance.kind.${k}`) }))} />
      <TranslatedInputs name="name" label={t('governance.f.name')} form={form} required />
      <TranslatedInputs name="description" label={t('governance.f.description')} form={form} long />
      <Check name="parity" legend={labels.parity} label={t('governance.f.parityLabel')} form={form} />
      <Select name="decision_rule" label={labels.decision_rule} form={form} required options={DECISION_RULES.map((r) => ({ value: r, label: t(`governance.rule.${r}`) }))} />
      <Field name="sort" type="number" inputmode="numeric" label={labels.sort} hint={t('governance.f.sortHint')} form={form} />
      <Check name="sample" legend={labels.sample} label={t('governance.f.sampleLabel')} form={form} />
    </>
  );
}

export function AdminBodiesPage({ bodies, form }: { bodies: BodySummary[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminBodies') }]} />
      <h1>{t('governance.adminBodies')}</h1>
      <p><a href={href(view, '/bodies')}>{t('governance.seePublic')}</a></p>
      <Table caption={t('governance.bodiesTitle')}
        head={[t('governance.f.name'), t('governance.f.kind'), t('governance.composition'), t('governance.parity')]}
        rows={bodies.map((b) => [
          <><a href={href(view, `/admin/bodies/${b.id}`)}><Tr value={b.name} /></a>{b.sample && <> <SampleBadge /></>}</>,
          t(`governance.kind.${b.kind}`), <Composition counts={b.counts} />, <ParityBadge parity={b.parity} ok={b.parityOk} />,
        ])} />
      <h2 id="create-title">{t('governance.createBody')}</h2>
      <ErrorSummary form={form} labels={bodyLabels(t)} />
      <Form action={href(view, '/admin/bodies')}>
        <BodyFields form={form} withSlug />
        <div class="actions"><Button>{t('governance.createBody')}</Button></div>
      </Form>
    </section>
  );
}

export function bodyFormValues(b: Body): Record<string, unknown> {
  return {
    kind: b.kind, ...spreadTranslated(b.name, 'name'), ...spreadTranslated(b.description, 'description'), parity: b.parity ? '1' : '',
    decision_rule: b.decisionRule, sample: b.sample ? '1' : '', sort: String(b.sort),
  };
}

function memberLabels(t: T, p: string) {
  return {
    [`${p}name`]: t('governance.memberName'), [`${p}side`]: t('governance.sideLabel'), [`${p}institution_id`]: t('governance.organisation'),
    ...translatedLabels(t, `${p}role`, t('governance.roleTitle')), [`${p}since`]: t('governance.since'),
  };
}

function MemberFields({ form, p, institutions }: { form: FormState; p: string; institutions: Institution[] }) {
  const { t, locale } = useView();
  const labels = memberLabels(t, p);
  return (
    <>
      <Field name={`${p}name`} label={labels[`${p}name`]} form={form} required maxlength={200} />
      <Select name={`${p}side`} label={labels[`${p}side`]} form={form} required options={SIDES.map((s) => ({ value: s, label: t(`governance.side.${s}`) }))} />
      <Select name={`${p}institution_id`} label={labels[`${p}institution_id`]} hint={t('governance.f.organisationHint')} form={form} blank={t('common.none')}
        options={instOptions(t, locale, institutions, MEMBER_KINDS)} />
      <TranslatedInputs name={`${p}role`} label={t('governance.roleTitle')} form={form} />
      <Field name={`${p}since`} type="date" label={labels[`${p}since`]} hint={t('governance.f.dateHint')} form={form} required dir="ltr" />
    </>
  );
}

function decisionLabels(t: T) {
  return {
    body_id: t('governance.body'), decided_on: t('governance.decidedOn'), ...translatedLabels(t, 'title', t('governance.f.decisionTitle')),
    outcome: t('governance.outcomeLabel'), ...translatedLabels(t, 'notes', t('governance.f.notes')), decision_sample: t('common.sample'),
  };
}

function DecisionFields({ form, bodies }: { form: FormState; bodies?: BodySummary[] }) {
  const { t, locale } = useView();
  const labels = decisionLabels(t);
  return (
    <>
      {bodies && <Select name="body_id" label={labels.body_id} form={form} required blank={t('common.choose')} options={bodies.map((b) => ({ value: String(b.id), label: tr(b.name, locale) }))} />}
      <Field name="decided_on" type="date" label={labels.decided_on} hint={t('governance.f.dateHint')} form={form} required dir="ltr" />
      <TranslatedInputs name="title" label={t('governance.f.decisionTitle')} form={form} required />
      <Choices name="outcome" label={labels.outcome} form={form} required options={OUTCOMES.map((o) => ({ value: o, label: t(`governance.outcome.${o}`) }))} />
      <TranslatedInputs name="notes" label={t('governance.f.notes')} form={form} long />
      <Check name="decision_sample" legend={labels.decision_sample} label={t('governance.f.sampleLabel')} form={form} />
    </>
  );
}

export interface BodyForms { edit?: FormState; add?: FormState; decision?: FormState; end?: { memberId: number; form: FormState } }

export function AdminBodyPage({ detail, institutions, forms, today }: { detail: BodyDetail; institutions: Institution[]; forms: BodyForms; today: string }) {
  const view = useView();
  const { t, locale } = view;
  const { body } = detail;
  const base = `/admin/bodies/${body.id}`;
  const edit = forms.edit ?? { values: bodyFormValues(body), errors: {} };
  const add = forms.add ?? { values: { a_side: 'civil_society', b_side: 'commune', a_since: today, b_since: today }, errors: {} };
  const decision = forms.decision ?? { values: { decided_on: today, outcome: 'consensus' }, errors: {} };
  const head = [t('governance.memberName'), t('governance.sideLabel'), t('governance.organisation'), t('governance.roleTitle')];
  const rows = (list: Member[], former: boolean) => list.map((m) => [
    <><Person name={m.personName} />{m.sample && <> <SampleBadge /></>}</>,
    t(`governance.side.${m.side}`), m.institutionName ? <Tr value={m.institutionName} /> : '—', <Tr value={m.roleTitle} />,
    former ? t('governance.period', { since: formatDate(locale, m.since), until: formatDate(locale, m.until) }) : formatDate(locale, m.since),
    ...(former ? [] : [<a href={href(view, `${base}/members/${m.id}`)}>{t('common.edit')}<span class="visually-hidden"> — {m.personName}</span></a>]),
  ]);
  return (
    <article>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminBodies'), path: '/admin/bodies' }, { label: tr(body.name, locale) }]} />
      <h1><Tr value={body.name} /></h1>
      <p><a href={href(view, `/bodies/${body.slug}`)}>{t('governance.seePublic')}</a></p>
      <dl class="kv">
        <dt>{t('governance.composition')}</dt><dd><Composition counts={detail.counts} /></dd>
        <dt>{t('governance.parity')}</dt><dd><ParityBadge parity={body.parity} ok={detail.parityOk} /></dd>
      </dl>

      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('governance.membersTitle')}</h2>
        {body.parity && <p>{t('governance.parityHelp')}</p>}
        {forms.end && !detail.members.some((m) => m.id === forms.end!.memberId) && <ErrorSummary form={forms.end.form} labels={{}} />}
        <Table caption={t('governance.membersCaption')} head={[...head, t('governance.since'), t('common.actions')]} rows={rows(detail.members, false)} />
        {detail.members.length > 0 && <h3>{t('governance.endTitle')}</h3>}
        {detail.members.map((m) => {
          const p = endPrefix(m.id);
          const mine = forms.end?.memberId === m.id ? forms.end.form : undefined;
          const form = mine ?? { values: { [`${p}until`]: today }, errors: {} };
          const labels = {
            [`${p}until`]: t('governance.until'), [`${p}r_name`]: t('governance.replacementName'), [`${p}r_institution_id`]: t('governance.organisation'),
            ...translatedLabels(t, `${p}r_role`, t('governance.roleTitle')),
          };
          return (
            <details open={!!mine}>
              <summary>{t('governance.endSummary', { name: m.personName })}</summary>
              <ErrorSummary form={form} labels={labels} />
              <Form action={href(view, `${base}/members/${m.id}/end`)}>
                <Field name={`${p}until`} type="date" label={labels[`${p}until`]} hint={t('governance.f.untilHint')} form={form} dir="ltr" />
                <fieldset>
                  <legend>{t('governance.replacement', { side: t(`governance.side.${m.side}`) })}</legend>
                  <p class="hint">{t('governance.replacementHint')}</p>
                  <Field name={`${p}r_name`} label={labels[`${p}r_name`]} form={form} maxlength={200} />
                  <Select name={`${p}r_institution_id`} label={labels[`${p}r_institution_id`]} form={form} blank={t('common.none')}
                    options={instOptions(t, locale, institutions, m.side === 'commune' ? ['department', 'other'] : ['civil_society', 'monitor', 'other'])} />
                  <TranslatedInputs name={`${p}r_role`} label={t('governance.roleTitle')} form={form} />
                </fieldset>
                <div class="actions"><Button kind="danger">{t('governance.endButton')}<span class="visually-hidden"> — {m.personName}</span></Button></div>
              </Form>
            </details>
          );
        })}
        {detail.formerMembers.length > 0 && (
          <Table caption={t('governance.formerMembersCaption')} head={[...head, t('governance.periodLabel')]} rows={rows(detail.formerMembers, true)} />
        )}
      </section>

      <section aria-labelledby="add-title">
        <h2 id="add-title">{t('governance.addMembers')}</h2>
        <p>{body.parity ? t('governance.addPairHelp') : t('governance.addHelp')}</p>
        <ErrorSummary form={add} labels={{ ...memberLabels(t, 'a_'), ...memberLabels(t, 'b_') }} />
        <Form action={href(view, `${base}/members`)}>
          <fieldset><legend>{t('governance.personA')}</legend><MemberFields form={add} p="a_" institutions={institutions} /></fieldset>
          <fieldset><legend>{t('governance.personB')}</legend><MemberFields form={add} p="b_" institutions={institutions} /></fieldset>
          <div class="actions"><Button>{t('governance.addMembers')}</Button></div>
        </Form>
      </section>

      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">{t('governance.decisionsTitle')}</h2>
        <DecisionList decisions={detail.decisions} />
        {view.can('governance.decide') && (
          <>
            <h3>{t('governance.recordDecision')}</h3>
            <ErrorSummary form={decision} labels={decisionLabels(t)} />
            <Form action={href(view, `${base}/decisions`)}>
              <DecisionFields form={decision} />
              <div class="actions"><Button>{t('governance.recordDecision')}</Button></div>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="edit-title">
        <h2 id="edit-title">{t('governance.editBody')}</h2>
        <p>{t('governance.slugFixed', { slug: body.slug })}</p>
        <ErrorSummary form={edit} labels={bodyLabels(t)} />
        <Form action={href(view, base)}>
          <BodyFields form={edit} />
          <div class="actions"><Button>{t('common.save')}</Button></div>
        </Form>
      </section>
    </article>
  );
}

function DecisionList({ decisions }: { decisions: Decision[] }) {
  const { t, locale } = useView();
  if (decisions.length === 0) return <p>{t('governance.noDecisions')}</p>;
  return (
    <ul>
      {decisions.map((d) => <li><time dateTime={d.decidedOn}>{formatDate(locale, d.decidedOn)}</time> — <Tr value={d.title} /> <OutcomeBadge outcome={d.outcome} />{d.sample && <> <SampleBadge /></>}</li>)}
    </ul>
  );
}

export function memberFormValues(m: Member): Record<string, unknown> {
  return {
    name: m.personName, side: m.side, institution_id: m.institutionId ? String(m.institutionId) : '', ...spreadTranslated(m.roleTitle, 'role'), since: m.since,
  };
}

export function AdminMemberPage({ body, member, institutions, form }: { body: Body; member: Member; institutions: Institution[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminBodies'), path: '/admin/bodies' }, { label: tr(body.name, locale), path: `/admin/bodies/${body.id}` }, { label: member.personName }]} />
      <h1>{t('governance.editMember', { name: member.personName })}</h1>
      {body.parity && <p>{t('governance.sideChangeHelp')}</p>}
      <ErrorSummary form={form} labels={memberLabels(t, '')} />
      <Form action={href(view, `/admin/bodies/${body.id}/members/${member.id}`)}>
        <MemberFields form={form} p="" institutions={institutions} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}

type RecentDecision = Decision & { bodySlug: string; bodyName: Record<string, string | undefined> };

export function AdminDecisionsPage({ bodies, decisions, form }: { bodies: BodySummary[]; decisions: RecentDecision[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminDecisions') }]} />
      <h1>{t('governance.adminDecisions')}</h1>
      <p class="lead">{t('governance.decisionsIntro')}</p>
      <h2>{t('governance.recordDecision')}</h2>
      <ErrorSummary form={form} labels={decisionLabels(t)} />
      <Form action={href(view, '/admin/decisions')}>
        <DecisionFields form={form} bodies={bodies} />
        <div class="actions"><Button>{t('governance.recordDecision')}</Button></div>
      </Form>
      <h2>{t('governance.recentDecisions')}</h2>
      <Table caption={t('governance.recentDecisions')} head={[t('governance.decidedOn'), t('governance.body'), t('governance.f.decisionTitle'), t('governance.outcomeLabel')]}
        rows={decisions.map((d) => [
          <time dateTime={d.decidedOn}>{formatDate(locale, d.decidedOn)}</time>,
          <a href={href(view, `/bodies/${d.bodySlug}`)}><Tr value={d.bodyName} /></a>,
          <><Tr value={d.title} />{d.sample && <> <SampleBadge /></>}</>,
          <OutcomeBadge outcome={d.outcome} />,
        ])} />
    </section>
  );
}

// ---------- Institutions ----------

function institutionLabels(t: T) {
  return {
    slug: t('governance.f.slug'), kind: t('governance.f.kind'), ...translatedLabels(t, 'name', t('governance.f.name')),
    ...translatedLabels(t, 'description', t('governance.f.description')), lead: t('governance.lead'), sample: t('common.sample'), sort: t('governance.f.sort'),
  };
}

function InstitutionFields({ form, withSlug }: { form: FormState; withSlug?: boolean }) {
  const { t } = useView();
  const labels = institutionLabels(t);
  return (
    <>
      {withSlug && <Field name="slug" label={labels.slug} hint={t('governance.f.slugHint')} form={form} required dir="ltr" maxlength={60} />}
      <Select name="kind" label={labels.kind} form={form} required options={INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`institutions.kind.${k}`) }))} />
      <TranslatedInputs name="name" label={t('governance.f.name')} form={form} required />
      <TranslatedInputs name="description" label={t('governance.f.description')} form={form} long />
      <Check name="lead" legend={labels.lead} label={t('governance.f.leadLabel')} form={form} />
      <Field name="sort" type="number" inputmode="numeric" label={labels.sort} hint={t('governance.f.sortHint')} form={form} />
      <Check name="sample" legend={labels.sample} label={t('governance.f.sampleLabel')} form={form} />
    </>
  );
}

export function AdminInstitutionsPage({ institutions, form }: { institutions: Institution[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminInstitutions') }]} />
      <h1>{t('governance.adminInstitutions')}</h1>
      <p><a href={href(view, '/institutions')}>{t('governance.seePublic')}</a></p>
      <Table caption={t('governance.institutionsTitle')} head={[t('governance.f.name'), t('governance.f.kind'), t('governance.f.slug')]}
        rows={institutions.map((i) => [
          <><a href={href(view, `/admin/institutions/${i.id}`)}><Tr value={i.name} /></a>{i.lead && <> <span class="badge ok">{t('governance.lead')}</span></>}{i.sample && <> <SampleBadge /></>}</>,
          t(`institutions.kind.${i.kind}`), <code dir="ltr">{i.slug}</code>,
        ])} />
      <h2>{t('governance.createInstitution')}</h2>
      <ErrorSummary form={form} labels={institutionLabels(t)} />
      <Form action={href(view, '/admin/institutions')}>
        <InstitutionFields form={form} withSlug />
        <div class="actions"><Button>{t('governance.createInstitution')}</Button></div>
      </Form>
    </section>
  );
}

export function institutionFormValues(i: Institution): Record<string, unknown> {
  return { kind: i.kind, ...spreadTranslated(i.name, 'name'), ...spreadTranslated(i.description, 'description'), lead: i.lead ? '1' : '', sample: i.sample ? '1' : '', sort: String(i.sort) };
}

export function AdminInstitutionPage({ institution, form }: { institution: Institution; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminInstitutions'), path: '/admin/institutions' }, { label: tr(institution.name, locale) }]} />
      <h1><Tr value={institution.name} /></h1>
      <p>{t('governance.slugFixed', { slug: institution.slug })}</p>
      <ErrorSummary form={form} labels={institutionLabels(t)} />
      <Form action={href(view, `/admin/institutions/${institution.id}`)}>
        <InstitutionFields form={form} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </section>
  );
}

// ---------- Endorsements ----------

function endorsementLabels(t: T) {
  return {
    person_name: t('governance.person'), ...translatedLabels(t, 'person_title', t('governance.personTitle')), institution_id: t('governance.organisation'),
    endorsed_on: t('governance.endorsedOn'), ...translatedLabels(t, 'statement', t('governance.statement')), sort: t('governance.f.sort'),
  };
}

function EndorsementFields({ form, institutions }: { form: FormState; institutions: Institution[] }) {
  const { t, locale } = useView();
  const labels = endorsementLabels(t);
  return (
    <>
      <Field name="person_name" label={labels.person_name} form={form} required maxlength={200} />
      <TranslatedInputs name="person_title" label={t('governance.personTitle')} form={form} required />
      <Select name="institution_id" label={labels.institution_id} hint={t('governance.f.endorserHint')} form={form} required blank={t('common.choose')}
        options={instOptions(t, locale, institutions, ['civil_society'])} />
      <Field name="endorsed_on" type="date" label={labels.endorsed_on} hint={t('governance.f.optionalDateHint')} form={form} dir="ltr" />
      <TranslatedInputs name="statement" label={t('governance.statement')} form={form} long />
      <Field name="sort" type="number" inputmode="numeric" label={labels.sort} hint={t('governance.f.sortHint')} form={form} />
    </>
  );
}

export function AdminEndorsementsPage({ items, institutions, form }: { items: Endorsement[]; institutions: Institution[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminEndorsements') }]} />
      <h1>{t('governance.adminEndorsements')}</h1>
      <p><a href={href(view, '/endorsements')}>{t('governance.seePublic')}</a></p>
      <Table caption={t('governance.endorsementsCaption')} head={[t('governance.person'), t('governance.personTitle'), t('governance.organisation'), t('common.actions')]}
        rows={items.map((e) => [
          <a href={href(view, `/admin/endorsements/${e.id}`)}><Person name={e.personName} /></a>, <Tr value={e.personTitle} />, <Tr value={e.institutionName} />,
          <Form action={href(view, `/admin/endorsements/${e.id}/remove`)} class="inline">
            <Button kind="danger">{t('common.delete')}<span class="visually-hidden"> — {e.personName}</span></Button>
          </Form>,
        ])} />
      <h2>{t('governance.addEndorsement')}</h2>
      <ErrorSummary form={form} labels={endorsementLabels(t)} />
      <Form action={href(view, '/admin/endorsements')}>
        <EndorsementFields form={form} institutions={institutions} />
        <div class="actions"><Button>{t('governance.addEndorsement')}</Button></div>
      </Form>
    </section>
  );
}

export function endorsementFormValues(e: Endorsement): Record<string, unknown> {
  return {
    person_name: e.personName, ...spreadTranslated(e.personTitle, 'person_title'), institution_id: String(e.institutionId), endorsed_on: e.endorsedOn ?? '',
    ...spreadTranslated(e.statement, 'statement'), sort: String(e.sort),
  };
}

export function AdminEndorsementPage({ item, institutions, form }: { item: Endorsement; institutions: Institution[]; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <Breadcrumbs items={[adminCrumb(t), { label: t('governance.adminEndorsements'), path: '/admin/endorsements' }, { label: item.personName }]} />
      <h1>{t('governance.editEndorsement', { name: item.personName })}</h1>
      <ErrorSummary form={form} labels={endorsementLabels(t)} />
      <Form action={href(view, `/admin/endorsements/${item.id}`)}>
        <EndorsementFields form={form} institutions={institutions} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
      <h2>{t('governance.removeTitle')}</h2>
      <Form action={href(view, `/admin/endorsements/${item.id}/remove`)}>
        <div class="actions"><Button kind="danger">{t('common.delete')}<span class="visually-hidden"> — {item.personName}</span></Button></div>
      </Form>
    </section>
  );
}
