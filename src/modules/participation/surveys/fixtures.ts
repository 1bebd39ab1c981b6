import type { ModuleFixtures } from '../../../core/module.ts';
import { randomToken } from '../../../core/auth/passwords.ts';
import { createHash } from 'node:crypto';
import { createSurvey, addQuestion, setStatus, submitAnswer, emailKey, getSurvey } from './service.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { addDays } from '../../../core/clock/index.ts';

/**
 * An open survey with a free-text question answered by the fixture citizen (a pending text, its id for the
 * moderation route), and a pending email answer whose confirmation token the capability routes use. The
 * respondent's key (a keyed hash of their email) is personal: the privacy crawl must never find it.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any;
    const now = ctx.clock.now();
    const slug = 'fixture-survey';
    let survey = await db.selectFrom('surveys').select(['id']).where('commune_id', '=', f.commune.id).where('slug', '=', slug).executeTakeFirst();
    if (!survey) {
      const id = await createSurvey(ctx, { slug, title: { fr: 'Enquête de test', ar: 'استطلاع اختبار', en: 'Test survey' }, opensAt: localDay(addDays(now, -1)), closesAt: localDay(addDays(now, 30)), resultsPublic: true });
      const q = await addQuestion(ctx, id, { kind: 'single', required: true, prompt: { fr: 'Oui ou non ?' }, options: [{ key: '1', label: { fr: 'Oui' } }, { key: '2', label: { fr: 'Non' } }] });
      await addQuestion(ctx, id, { kind: 'short_text', required: false, prompt: { fr: 'Pourquoi ?' }, options: [] });
      await setStatus(ctx, id, 'published');
      const { questions } = await getSurvey(ctx, slug);
      await submitAnswer(f.citizen, slug, { [`q${q}`]: '1', [`q${questions[1].id}`]: `Texte ${f.marker}` });
      survey = { id };
    }
    const first = (await getSurvey(ctx, slug)).questions[0];
    const text = await db.selectFrom('survey_answers').select('id').where('commune_id', '=', f.commune.id).where('survey_id', '=', survey.id).where('text', 'is not', null).orderBy('id').limit(1).executeTakeFirstOrThrow();
    // A pending email answer, as the public form leaves it (its token as the mail carries it).
    const respondentEmail = `respondent.${f.marker.toLowerCase()}@example.org`;
    const token = randomToken(24);
    const at = now.toISOString();
    await db.insertInto('survey_responses').values({
      commune_id: f.commune.id, survey_id: survey.id, respondent_key: await emailKey(ctx, respondentEmail), user_id: null, channel: 'email', entered_by: null,
      district_id: 0, status: 'pending', token_hash: createHash('sha256').update(token).digest('hex'), pending: JSON.stringify([[first.id, { options: ['2'] }]]), locale: 'fr', sample: 0, created_at: at, updated_at: at,
    }).onConflict((oc: any) => oc.columns(['commune_id', 'survey_id', 'respondent_key']).doUpdateSet({ token_hash: createHash('sha256').update(token).digest('hex'), pending: JSON.stringify([[first.id, { options: ['2'] }]]) })).execute();
    return { surveySlug: slug, surveyId: survey.id, surveyTextId: text.id, surveyToken: token, surveyRespondentKey: await emailKey(ctx, respondentEmail) };
  },
  samples: {
    'GET /:locale/surveys': () => '/:locale/surveys',
    'GET /:locale/surveys.json': () => '/:locale/surveys.json',
    '* /:locale/surveys/:slug': (f) => `/:locale/surveys/${f.surveySlug}`,
    '* /:locale/surveys/:slug/confirm/:token': (f) => `/:locale/surveys/${f.surveySlug}/confirm/${f.surveyToken}`,
    'GET /:locale/surveys/:slug/results': (f) => `/:locale/surveys/${f.surveySlug}/results`,
    'GET /:locale/surveys/:slug/answers.csv': (f) => `/:locale/surveys/${f.surveySlug}/answers.csv`,
    '* /:locale/admin/surveys': () => '/:locale/admin/surveys',
    '* /:locale/admin/surveys/:id': (f) => `/:locale/admin/surveys/${f.surveyId}`,
    'POST /:locale/admin/surveys/:id/status': (f) => `/:locale/admin/surveys/${f.surveyId}/status`,
    'POST /:locale/admin/surveys/:id/questions': (f) => `/:locale/admin/surveys/${f.surveyId}/questions`,
    'POST /:locale/admin/surveys/:id/questions/:question/remove': (f) => `/:locale/admin/surveys/${f.surveyId}/questions/999999/remove`,
    'GET /:locale/admin/surveys/paper': () => '/:locale/admin/surveys/paper',
    '* /:locale/admin/surveys/:id/paper': (f) => `/:locale/admin/surveys/${f.surveyId}/paper`,
    'GET /:locale/admin/surveys/:id/texts': (f) => `/:locale/admin/surveys/${f.surveyId}/texts`,
    'POST /:locale/admin/surveys/:id/texts/:answer': (f) => `/:locale/admin/surveys/${f.surveyId}/texts/${f.surveyTextId}`,
  },
  // The address itself is never stored (only its keyed hash, the respondent key): the key is what must stay private.
  personal: ['surveyRespondentKey'],
};
export default fixtures;
