import type { ComponentChildren } from 'preact';
import { useView, href } from '../../../core/ui/view.ts';
import { Tr, Table, Breadcrumbs, SampleBadge, Form, Field, TextArea, Select, Choices, Button, ErrorSummary, Pager, type FormState } from '../../../core/ui/components.tsx';
import { BarChart } from '../../../core/ui/charts.tsx';
import { formatDate, formatNumber, tr, type Locale } from '../../../core/i18n/index.ts';
import { fieldName, rankField, optionKeys, SHORT_TEXT_MAX, LONG_TEXT_MAX, SCALE_KEYS } from './rules.ts';
import { QUESTION_KINDS, CHANNELS } from './schema.ts';
import type { Survey, Question, Results, QuestionResult } from './service.ts';

const pctText = (locale: Locale, v: number) => `${formatNumber(locale, v, { maximumFractionDigits: 1 })}\u00a0%`;

/** The enhancement script (hides conditional questions, drag-and-drop ranking); the page works without it. */
export const SurveyScript = () => <script type="module" src="/static/js/surveys.js"></script>;

function Dates({ survey }: { survey: Survey }) {
  const { t, locale } = useView();
  return <>{t('surveys.dates', { opens: formatDate(locale, survey.opensAt), closes: formatDate(locale, survey.closesAt) })}</>;
}

function StateBadge({ survey }: { survey: Survey }) {
  const { t } = useView();
  if (survey.status !== 'published') return <span class="badge neutral">{t('surveys.state.draft')}</span>;
  return survey.open ? <span class="badge ok">{t('surveys.state.open')}</span> : <span class="badge warn">{t('surveys.state.closed')}</span>;
}

export function SurveysPage({ items, total, page }: { items: Survey[]; total: number; page: number }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('surveys.title')}</h1>
      <p class="lead">{t('surveys.intro')}</p>
      {items.length === 0 ? <p>{t('surveys.none')}</p> : (
        <ul class="cards">
          {items.map((s) => (
            <li class="card">
              <h2><a href={href(view, `/surveys/${s.slug}`)}><Tr value={s.title} /></a></h2>
              <p><StateBadge survey={s} />{s.sample && <> <SampleBadge /></>}</p>
              <p><Dates survey={s} /></p>
              {s.resultsPublic && <p><a href={href(view, `/surveys/${s.slug}/results`)}>{t('surveys.seeResults')}</a></p>}
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pageSize={20} total={total} base="/surveys" />
    </section>
  );
}

/** One question as form controls; a conditional one says on what it depends (the script hides it until then). */
export function QuestionField({ q, form, number, questions }: { q: Question; form: FormState; number: number; questions: Question[] }) {
  const { t, locale } = useView();
  const name = fieldName(q.id);
  const label = `${formatNumber(locale, number)}. ${tr(q.prompt, locale)}`;
  const help = tr(q.help, locale);
  const cond = q.condition;
  let condHint = '';
  if (cond) {
    const target = questions.find((x) => x.id === cond.questionId);
    if (target) {
      const labels = cond.anyOf.map((k) => {
        const o = target.options.find((x) => x.key === k);
        return o ? tr(o.label, locale) : k;
      });
      condHint = t('surveys.conditionHint', { number: formatNumber(locale, questions.indexOf(target) + 1), answers: labels.join(t('surveys.or')) });
    }
  }
  const hint = [condHint, help].filter(Boolean).join(' ') || undefined;
  const opts = q.kind === 'scale'
    ? SCALE_KEYS.map((k, i) => ({ value: k, label: q.options[i] ? `${formatNumber(locale, Number(k))} — ${tr(q.options[i].label, locale)}` : formatNumber(locale, Number(k)) }))
    : q.options.map((o) => ({ value: o.key, label: tr(o.label, locale) }));
  let control: ComponentChildren;
  switch (q.kind) {
    case 'single': case 'scale':
      control = <Choices name={name} label={label} hint={hint} form={form} required={q.required} options={opts} />;
      break;
    case 'multiple':
      control = <Choices name={name} label={label} form={form} required={q.required} options={opts} multiple
        hint={[hint, q.maxChoices ? t('surveys.maxChoices', { max: q.maxChoices }) : ''].filter(Boolean).join(' ') || undefined} />;
      break;
    case 'district':
      control = <Select name={name} label={label} hint={hint} form={form} required={q.required} options={opts} blank={t('surveys.chooseDistrict')} />;
      break;
    case 'short_text':
      control = <Field name={name} label={label} hint={hint} form={form} required={q.required} maxlength={SHORT_TEXT_MAX} />;
      break;
    case 'long_text':
      control = <TextArea name={name} label={label} hint={hint} form={form} required={q.required} maxlength={LONG_TEXT_MAX} />;
      break;
    case 'ranking': {
      const err = form.errors[name];
      const places = optionKeys(q).map((_, i) => ({ value: String(i + 1), label: formatNumber(locale, i + 1) }));
      control = (
        <fieldset class={`field ranking${err ? ' has-error' : ''}`} id={`f-${name}`} aria-describedby={err ? `e-${name}` : undefined}>
          <legend>{label}{q.required && <span class="req" aria-hidden="true"> *</span>}</legend>
          <p class="hint">{[hint, t('surveys.rankingHint', { n: q.options.length })].filter(Boolean).join(' ')}</p>
          {err && <p class="field-error" id={`e-${name}`}><span class="visually-hidden">{t('form.error')}: </span>{t(err.key, err.params as any)}</p>}
          <ol class="rank-list" data-rank-question={String(q.id)}>
            {q.options.map((o) => (
              <li data-rank-key={o.key}>
                <Select name={rankField(q.id, o.key)} label={tr(o.label, locale)} form={form} options={places} blank={t('surveys.notRanked')} />
              </li>
            ))}
          </ol>
        </fieldset>
      );
      break;
    }
  }
  return (
    <div class="survey-question" data-question={String(q.id)} data-condition-question={cond ? String(cond.questionId) : undefined} data-condition-any={cond ? cond.anyOf.join(' ') : undefined}>
      {control}
    </div>
  );
}

export function errorLabels(questions: Question[], locale: Locale): Record<string, string> {
  return Object.fromEntries(questions.map((q, i) => [fieldName(q.id), `${i + 1}. ${tr(q.prompt, locale)}`]));
}

export function AnswerForm({ action, questions, form, email, submitLabel }: { action: string; questions: Question[]; form: FormState; email: boolean; submitLabel: string }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <Form action={href(view, action)} class="survey-form">
      <ErrorSummary form={form} labels={{ ...errorLabels(questions, locale), email: t('surveys.email') }} />
      {questions.map((q, i) => <QuestionField q={q} form={form} number={i + 1} questions={questions} />)}
      {email && <Field name="email" type="email" label={t('surveys.email')} hint={t('surveys.emailHint')} form={form} required autocomplete="email" dir="ltr" />}
      <div class="actions"><Button>{submitLabel}</Button></div>
    </Form>
  );
}

export function SurveyPage({ survey, questions, form, hasAnswer }: { survey: Survey; questions: Question[]; form: FormState; hasAnswer: boolean }) {
  const view = useView();
  const { t } = view;
  return (
    <article>
      <Breadcrumbs items={[{ label: t('surveys.title'), path: '/surveys' }, { label: tr(survey.title, view.locale) }]} />
      <h1><Tr value={survey.title} /></h1>
      <p class="lead"><StateBadge survey={survey} /> <Dates survey={survey} />{survey.sample && <> <SampleBadge /></>}</p>
      {(survey.description.fr || survey.description.ar || survey.description.en) && <p><Tr value={survey.description} /></p>}
      {survey.resultsPublic && <p><a href={href(view, `/surveys/${survey.slug}/results`)}>{t('surveys.seeResults')}</a></p>}
      {!survey.open ? <p>{t(survey.status === 'published' ? 'surveys.closedNotice' : 'surveys.draftNotice')}</p> : (
        <>
          <h2>{t('surveys.answerTitle')}</h2>
          <p>{view.actor ? t(hasAnswer ? 'surveys.editNotice' : 'surveys.signedInNotice') : t('surveys.emailNotice')}</p>
          {!view.actor && <p><a href={`${href(view, '/login')}?next=${encodeURIComponent(href(view, `/surveys/${survey.slug}`))}`}>{t('surveys.signInInstead')}</a></p>}
          <AnswerForm action={`/surveys/${survey.slug}`} questions={questions} form={form} email={!view.actor} submitLabel={t(hasAnswer ? 'surveys.update' : 'surveys.send')} />
          <SurveyScript />
        </>
      )}
    </article>
  );
}

export function MessagePage({ title, text, link }: { title: string; text: string; link?: { path: string; label: string } }) {
  const view = useView();
  return <section><h1>{title}</h1><p>{text}</p>{link && <p><a href={href(view, link.path)}>{link.label}</a></p>}</section>;
}

export function ConfirmPage({ survey, token }: { survey: Survey; token: string }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('surveys.confirmTitle')}</h1>
      <p>{t('surveys.confirmText', { title: tr(survey.title, view.locale) })}</p>
      <Form action={href(view, `/surveys/${survey.slug}/confirm/${token}`)}><div class="actions"><Button>{t('surveys.confirmButton')}</Button></div></Form>
    </section>
  );
}

function districtLabel(t: (k: string) => string, locale: Locale, r: Results, id: string): string {
  if (id === '0') return t('surveys.noDistrict');
  const d = r.byDistrict.find((x) => String(x.id) === id);
  return d ? tr(d.name, locale) : id;
}

function QuestionResults({ r, qr, index }: { r: Results; qr: QuestionResult; index: number }) {
  const { t, locale } = useView();
  const q = qr.question;
  const title = `${formatNumber(locale, index + 1)}. ${tr(q.prompt, locale)}`;
  if (q.kind === 'short_text' || q.kind === 'long_text') {
    return <section class="survey-result"><h2>{title}</h2><p>{t('surveys.textAnswers', { n: formatNumber(locale, qr.answered) })}</p></section>;
  }
  const label = (k: string) => tr(qr.options.find((o) => o.key === k)?.label, locale);
  const channels = CHANNELS.filter((c) => qr.byChannel[c]?.answered);
  const districts = Object.keys(qr.byDistrict).filter((d) => qr.byDistrict[d].answered);
  const share = (b: { answered: number; counts: Record<string, number> } | undefined, k: string) =>
    b && b.answered ? pctText(locale, (100 * (b.counts[k] ?? 0)) / b.answered) : '—';
  return (
    <section class="survey-result" aria-labelledby={`r-${q.id}`}>
      <h2 id={`r-${q.id}`}>{title}</h2>
      <p>{t('surveys.answeredBy', { n: formatNumber(locale, qr.answered) })}{q.kind === 'multiple' && <> {t('surveys.multipleNote')}</>}</p>
      {q.kind === 'ranking' ? (
        <>
          <p>{t('surveys.bordaMethod', { m: q.options.length, top: q.options.length - 1 })}</p>
          <BarChart id={`c-${q.id}`} title={t('surveys.bordaChart', { question: index + 1 })} unit=""
            max={Math.max(1, ...qr.options.map((o) => o.points))} labelHeader={t('surveys.option')} valueHeader={t('surveys.points')}
            data={qr.options.map((o) => ({ label: tr(o.label, locale), value: o.points, display: formatNumber(locale, o.points) }))} />
          <Table caption={t('surveys.rankingTable', { question: index + 1 })} numeric={[1, 2, 3, 4]}
            head={[t('surveys.option'), t('surveys.rankPlace'), t('surveys.points'), t('surveys.firsts'), t('surveys.firstShare')]}
            rows={qr.options.map((o, i) => [tr(o.label, locale), formatNumber(locale, i + 1), formatNumber(locale, o.points), formatNumber(locale, o.firsts), pctText(locale, o.firstShare)])} />
        </>
      ) : (
        <BarChart id={`c-${q.id}`} title={t('surveys.shareChart', { question: index + 1 })} labelHeader={t('surveys.option')} valueHeader={t('surveys.share')}
          data={qr.options.map((o) => ({ label: tr(o.label, locale), value: o.pct, display: `${pctText(locale, o.pct)} (${formatNumber(locale, o.n)})` }))} />
      )}
      {channels.length > 0 && (
        <Table caption={t('surveys.byChannelTable', { question: index + 1 })} numeric={channels.map((_, i) => i + 1)}
          head={[t('surveys.option'), ...channels.map((c) => `${t(`surveys.channel.${c}`)} (${formatNumber(locale, qr.byChannel[c].answered)})`)]}
          rows={qr.options.map((o) => [label(o.key), ...channels.map((c) => (q.kind === 'ranking'
            ? `${formatNumber(locale, qr.byChannel[c].counts[o.key] ?? 0)}` : share(qr.byChannel[c], o.key)))])} />
      )}
      {districts.length > 1 && (
        <Table caption={t('surveys.byDistrictTable', { question: index + 1 })} numeric={qr.options.map((_, i) => i + 1)}
          head={[t('surveys.district'), ...qr.options.map((o) => label(o.key))]}
          rows={districts.map((d) => [`${districtLabel(t, locale, r, d)} (${formatNumber(locale, qr.byDistrict[d].answered)})`, ...qr.options.map((o) => (q.kind === 'ranking'
            ? formatNumber(locale, qr.byDistrict[d].counts[o.key] ?? 0) : share(qr.byDistrict[d], o.key)))])} />
      )}
    </section>
  );
}

export function ResultsPage({ r, texts, page }: { r: Results; texts: { items: { id: number; question_id: number; text: string | null }[]; total: number }; page: number }) {
  const view = useView();
  const { t, locale } = view;
  const s = r.survey;
  const qnum = new Map(r.questions.map((q, i) => [q.question.id, i + 1]));
  return (
    <article>
      <Breadcrumbs items={[{ label: t('surveys.title'), path: '/surveys' }, { label: tr(s.title, locale), path: `/surveys/${s.slug}` }, { label: t('surveys.results') }]} />
      <h1>{t('surveys.resultsOf', { title: tr(s.title, locale) })}</h1>
      <p class="lead">{t('surveys.respondents', { n: formatNumber(locale, r.respondents) })}{s.sample && <> <SampleBadge /></>}{!s.resultsPublic && <> <span class="badge neutral">{t('surveys.privateResults')}</span></>}</p>
      <Table caption={t('surveys.byChannelTotal')} numeric={[1, 2]} head={[t('surveys.channelLabel'), t('surveys.count'), t('surveys.share')]}
        rows={CHANNELS.filter((c) => r.byChannel[c]).map((c) => [t(`surveys.channel.${c}`), formatNumber(locale, r.byChannel[c]), pctText(locale, (100 * r.byChannel[c]) / (r.respondents || 1))])} />
      {r.byDistrict.length > 0 && (
        <Table caption={t('surveys.byDistrictTotal')} numeric={[1, 2]} head={[t('surveys.district'), t('surveys.count'), t('surveys.share')]}
          rows={r.byDistrict.map((d) => [d.id ? tr(d.name, locale) : t('surveys.noDistrict'), formatNumber(locale, d.n), pctText(locale, (100 * d.n) / (r.respondents || 1))])} />
      )}
      <p><a href={href(view, `/surveys/${s.slug}/answers.csv`)}>{t('surveys.exportCsv')}</a> — {t('surveys.exportHint')}</p>
      {r.questions.map((qr, i) => <QuestionResults r={r} qr={qr} index={i} />)}
      <section aria-labelledby="texts-title">
        <h2 id="texts-title">{t('surveys.publishedTexts')}</h2>
        <p>{t('surveys.moderationNote')}</p>
        {texts.items.length === 0 ? <p>{t('surveys.noTexts')}</p> : (
          <ul>{texts.items.map((x) => <li><span class="muted">{t('surveys.questionN', { n: qnum.get(x.question_id) ?? '?' })}</span> <bdi class="user-text">{x.text}</bdi></li>)}</ul>
        )}
        <Pager page={page} pageSize={20} total={texts.total} base={`/surveys/${s.slug}/results`} />
      </section>
    </article>
  );
}

// ---------- Staff ----------

export function surveyFormValues(s: Survey): Record<string, unknown> {
  return {
    title_fr: s.title.fr ?? '', title_ar: s.title.ar ?? '', title_en: s.title.en ?? '',
    description_fr: s.description.fr ?? '', description_ar: s.description.ar ?? '', description_en: s.description.en ?? '',
    opens_at: s.opensAt, closes_at: s.closesAt, results_public: s.resultsPublic ? '1' : '', process_id: s.processId ?? '',
  };
}

function SurveyFields({ form, withSlug }: { form: FormState; withSlug: boolean }) {
  const { t } = useView();
  return (
    <>
      {withSlug && <Field name="slug" label={t('surveys.slug')} hint={t('surveys.slugHint')} form={form} required dir="ltr" />}
      <Field name="title_fr" label={t('surveys.titleFr')} form={form} required />
      <Field name="title_ar" label={t('surveys.titleAr')} form={form} dir="rtl" />
      <Field name="title_en" label={t('surveys.titleEn')} form={form} />
      <TextArea name="description_fr" label={t('surveys.descriptionFr')} form={form} rows={3} />
      <TextArea name="description_ar" label={t('surveys.descriptionAr')} form={form} rows={3} />
      <TextArea name="description_en" label={t('surveys.descriptionEn')} form={form} rows={3} />
      <Field name="opens_at" type="date" label={t('surveys.opensAt')} form={form} required />
      <Field name="closes_at" type="date" label={t('surveys.closesAt')} form={form} required />
      <Field name="process_id" label={t('surveys.processId')} hint={t('surveys.processHint')} form={form} inputmode="numeric" />
      <Choices name="results_public" label={t('surveys.resultsVisibility')} form={form} multiple options={[{ value: '1', label: t('surveys.resultsPublic') }]} />
    </>
  );
}

const surveyLabels = (t: (k: string) => string): Record<string, string> => ({
  slug: t('surveys.slug'), title_fr: t('surveys.titleFr'), opens_at: t('surveys.opensAt'), closes_at: t('surveys.closesAt'), process_id: t('surveys.processId'),
  kind: t('surveys.kindLabel'), prompt_fr: t('surveys.promptFr'), options: t('surveys.options'), max_choices: t('surveys.maxChoicesLabel'),
  condition_question: t('surveys.conditionQuestion'), condition_options: t('surveys.conditionOptions'),
});

export function AdminSurveysPage({ items, total, page, form }: { items: Survey[]; total: number; page: number; form: FormState }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('surveys.adminTitle')}</h1>
      <Table caption={t('surveys.adminList')} head={[t('surveys.titleLabel'), t('surveys.stateLabel'), t('surveys.datesLabel')]}
        rows={items.map((s) => [<a href={href(view, `/admin/surveys/${s.id}`)}><Tr value={s.title} /></a>, <StateBadge survey={s} />, <Dates survey={s} />])} />
      <Pager page={page} pageSize={20} total={total} base="/admin/surveys" />
      <h2>{t('surveys.create')}</h2>
      <Form action={href(view, '/admin/surveys')}>
        <ErrorSummary form={form} labels={surveyLabels(t)} />
        <SurveyFields form={form} withSlug />
        <div class="actions"><Button>{t('surveys.create')}</Button></div>
      </Form>
    </section>
  );
}

export interface AdminSurveyForms { edit?: FormState; question?: FormState; status?: FormState }

export function AdminSurveyPage({ survey, questions, forms }: { survey: Survey; questions: Question[]; forms: AdminSurveyForms }) {
  const view = useView();
  const { t, locale } = view;
  const edit = forms.edit ?? { values: surveyFormValues(survey), errors: {} };
  const qform = forms.question ?? { values: { kind: 'single' }, errors: {} };
  return (
    <article>
      <Breadcrumbs items={[{ label: t('surveys.adminTitle'), path: '/admin/surveys' }, { label: tr(survey.title, locale) }]} />
      <h1><Tr value={survey.title} /></h1>
      <p class="lead"><StateBadge survey={survey} /> <Dates survey={survey} /></p>
      {forms.status && <ErrorSummary form={forms.status} labels={{}} />}
      <div class="actions">
        <Form action={href(view, `/admin/surveys/${survey.id}/status`)}>
          <input type="hidden" name="status" value={survey.status === 'published' ? 'draft' : 'published'} />
          <Button kind="secondary">{t(survey.status === 'published' ? 'surveys.unpublish' : 'surveys.publish')}</Button>
        </Form>
        <a class="button secondary" href={href(view, `/surveys/${survey.slug}`)}>{t('surveys.viewPublic')}</a>
        <a class="button secondary" href={href(view, `/surveys/${survey.slug}/results`)}>{t('surveys.results')}</a>
        {view.can('surveys.moderate') && <a class="button secondary" href={href(view, `/admin/surveys/${survey.id}/texts`)}>{t('surveys.moderation')}</a>}
        {view.can('surveys.paper') && survey.status === 'published' && <a class="button secondary" href={href(view, `/admin/surveys/${survey.id}/paper`)}>{t('surveys.paperEntry')}</a>}
      </div>
      <h2>{t('surveys.questions')}</h2>
      {questions.length === 0 ? <p>{t('surveys.noQuestions')}</p> : (
        <ol>
          {questions.map((q) => (
            <li>
              <Tr value={q.prompt} /> <span class="badge neutral">{t(`surveys.kind.${q.kind}`)}</span>{q.required && <> <span class="badge">{t('surveys.required')}</span></>}
              {q.condition && <> <span class="muted">{t('surveys.conditionShort', { n: questions.findIndex((x) => x.id === q.condition!.questionId) + 1, options: q.condition.anyOf.join(', ') })}</span></>}
              {q.kind !== 'district' && q.options.length > 0 && <ol>{q.options.map((o) => <li><Tr value={o.label} /></li>)}</ol>}
              <Form action={href(view, `/admin/surveys/${survey.id}/questions/${q.id}/remove`)}><Button kind="danger">{t('surveys.removeQuestion')}</Button></Form>
            </li>
          ))}
        </ol>
      )}
      <h2>{t('surveys.addQuestion')}</h2>
      <Form action={href(view, `/admin/surveys/${survey.id}/questions`)}>
        <ErrorSummary form={qform} labels={surveyLabels(t)} />
        <Select name="kind" label={t('surveys.kindLabel')} form={qform} required options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))} />
        <Field name="prompt_fr" label={t('surveys.promptFr')} form={qform} required />
        <Field name="prompt_ar" label={t('surveys.promptAr')} form={qform} dir="rtl" />
        <Field name="prompt_en" label={t('surveys.promptEn')} form={qform} />
        <Field name="help_fr" label={t('surveys.helpFr')} form={qform} />
        <Field name="help_ar" label={t('surveys.helpAr')} form={qform} dir="rtl" />
        <Field name="help_en" label={t('surveys.helpEn')} form={qform} />
        <TextArea name="options" label={t('surveys.options')} hint={t('surveys.optionsHint')} form={qform} rows={6} />
        <Field name="max_choices" label={t('surveys.maxChoicesLabel')} form={qform} inputmode="numeric" />
        <Choices name="required" label={t('surveys.requiredLabel')} form={qform} multiple options={[{ value: '1', label: t('surveys.required') }]} />
        <Select name="condition_question" label={t('surveys.conditionQuestion')} form={qform} blank={t('surveys.noCondition')}
          options={questions.filter((q) => !['short_text', 'long_text'].includes(q.kind)).map((q) => ({ value: String(q.id), label: `${questions.indexOf(q) + 1}. ${tr(q.prompt, locale)}` }))} />
        <Field name="condition_options" label={t('surveys.conditionOptions')} hint={t('surveys.conditionOptionsHint')} form={qform} />
        <div class="actions"><Button>{t('surveys.addQuestion')}</Button></div>
      </Form>
      <h2>{t('surveys.edit')}</h2>
      <Form action={href(view, `/admin/surveys/${survey.id}`)}>
        <ErrorSummary form={edit} labels={surveyLabels(t)} />
        <SurveyFields form={edit} withSlug={false} />
        <div class="actions"><Button>{t('common.save')}</Button></div>
      </Form>
    </article>
  );
}

export function PaperListPage({ items }: { items: Survey[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('surveys.paperTitle')}</h1>
      <p>{t('surveys.paperIntro')}</p>
      <ul>{items.map((s) => <li><a href={href(view, `/admin/surveys/${s.id}/paper`)}><Tr value={s.title} /></a> <StateBadge survey={s} /></li>)}</ul>
      {items.length === 0 && <p>{t('surveys.none')}</p>}
    </section>
  );
}

export function PaperPage({ survey, questions, form }: { survey: Survey; questions: Question[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <article>
      <Breadcrumbs items={[{ label: t('surveys.paperTitle'), path: '/admin/surveys/paper' }, { label: tr(survey.title, locale) }]} />
      <h1>{t('surveys.paperOf', { title: tr(survey.title, locale) })}</h1>
      <p>{t('surveys.paperNotice')}</p>
      {!survey.open ? <p>{t('surveys.closedNotice')}</p>
        : <><AnswerForm action={`/admin/surveys/${survey.id}/paper`} questions={questions} form={form} email={false} submitLabel={t('surveys.paperSave')} /><SurveyScript /></>}
    </article>
  );
}

export function TextsPage({ data, page }: { data: { survey: Survey; status: string; items: { id: number; question_id: number; text: string | null }[]; total: number; questions: Question[] }; page: number }) {
  const view = useView();
  const { t, locale } = view;
  const s = data.survey;
  const qnum = new Map(data.questions.map((q, i) => [q.id, i + 1]));
  return (
    <article>
      <Breadcrumbs items={[{ label: t('surveys.adminTitle'), path: '/admin/surveys' }, { label: tr(s.title, locale) }]} />
      <h1>{t('surveys.moderationOf', { title: tr(s.title, locale) })}</h1>
      <nav aria-label={t('surveys.textFilter')}><ul class="tags">
        {['pending', 'approved', 'rejected'].map((st) => <li><a href={`${href(view, `/admin/surveys/${s.id}/texts`)}?status=${st}`} aria-current={st === data.status ? 'page' : undefined}>{t(`surveys.textStatus.${st}`)}</a></li>)}
      </ul></nav>
      <p>{t('surveys.textsCount', { n: formatNumber(locale, data.total) })}</p>
      <Table caption={t(`surveys.textStatus.${data.status}`)} head={[t('surveys.question'), t('surveys.text'), t('surveys.decision')]}
        rows={data.items.map((x) => [t('surveys.questionN', { n: qnum.get(x.question_id) ?? '?' }), <bdi class="user-text">{x.text}</bdi>, (
          <div class="row-actions">
            {data.status !== 'approved' && <Form action={href(view, `/admin/surveys/${s.id}/texts/${x.id}`)}><input type="hidden" name="status" value="approved" /><Button kind="secondary">{t('surveys.approve')}</Button></Form>}
            {data.status !== 'rejected' && <Form action={href(view, `/admin/surveys/${s.id}/texts/${x.id}`)}><input type="hidden" name="status" value="rejected" /><Button kind="danger">{t('surveys.reject')}</Button></Form>}
          </div>
        )])} />
      <Pager page={page} pageSize={20} total={data.total} base={`/admin/surveys/${s.id}/texts?status=${data.status}`} />
    </article>
  );
}
