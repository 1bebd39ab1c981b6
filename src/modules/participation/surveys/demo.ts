import type { Ctx } from '../../../core/service.ts';
import { localDay } from '../../../core/clock/working-days.ts';
import { addDays } from '../../../core/clock/index.ts';
import type { Translated } from '../../../core/i18n/index.ts';
import { createSurvey, addQuestion, setStatus, loadSampleAnswers } from './service.ts';

/** The seven themes of the 2022 co-creation workshops, as the action plan lists them. */
export const WORKSHOP_THEMES: Translated[] = [
  { fr: 'Infrastructures et équipements locaux', ar: 'البنيات التحتية والتجهيزات المحلية', en: 'Local infrastructure and facilities' },
  { fr: 'Genre et inclusion sociale', ar: 'النوع الاجتماعي والإدماج الاجتماعي', en: 'Gender and social inclusion' },
  { fr: 'Animation économique et emploi', ar: 'التنشيط الاقتصادي والتشغيل', en: 'Economic development and jobs' },
  { fr: 'ODD et changement climatique', ar: 'أهداف التنمية المستدامة والتغير المناخي', en: 'SDGs and climate change' },
  { fr: 'Animation culturelle et sportive et préservation du patrimoine', ar: 'التنشيط الثقافي والرياضي والحفاظ على التراث', en: 'Culture, sport and heritage preservation' },
  { fr: 'Gouvernance et commune ouverte', ar: 'الحكامة والجماعة المنفتحة', en: 'Governance and open commune' },
  { fr: 'Aménagement du territoire et mobilité urbaine', ar: 'إعداد التراب والتنقل الحضري', en: 'Land-use planning and urban mobility' },
];

export const DEMO_QUIZ_SLUG = 'quiz-priorites';

/**
 * A sample priority quiz on the seven workshop themes (the plan's online consultation was such a quiz), open now,
 * with a few hundred sample answers across channels and districts.
 */
export async function seedSurveys(ctx: Ctx): Promise<void> {
  const now = ctx.clock.now();
  const id = await createSurvey(ctx, {
    slug: DEMO_QUIZ_SLUG, sample: true, resultsPublic: true,
    opensAt: localDay(addDays(now, -30)), closesAt: localDay(addDays(now, 60)),
    title: { fr: 'Quiz : vos priorités pour la commune', ar: 'اختبار: أولوياتكم للجماعة', en: 'Quiz: your priorities for the commune' },
    description: {
      fr: 'Comme la consultation en ligne du plan d’action, ce quiz classe vos priorités parmi les sept thèmes des ateliers de co-création. Exemple de démonstration.',
      ar: 'على غرار الاستشارة الإلكترونية لخطة العمل، يرتب هذا الاختبار أولوياتكم بين المواضيع السبعة لورشات البناء المشترك. مثال توضيحي.',
      en: 'Like the action plan’s online consultation, this quiz ranks your priorities among the seven themes of the co-creation workshops. A demonstration sample.',
    },
  });
  const options = WORKSHOP_THEMES.map((label, i) => ({ key: String(i + 1), label }));
  const rank = await addQuestion(ctx, id, {
    kind: 'ranking', required: true, options,
    prompt: { fr: 'Classez les thèmes du plus au moins prioritaire', ar: 'رتبوا المواضيع من الأكثر إلى الأقل أولوية', en: 'Rank the themes from highest to lowest priority' },
  });
  await addQuestion(ctx, id, {
    kind: 'multiple', required: false, maxChoices: 2, options,
    prompt: { fr: 'Sur quels thèmes aimeriez-vous participer à un atelier ? (deux au plus)', ar: 'في أي المواضيع تودون المشاركة في ورشة؟ (اثنان على الأكثر)', en: 'Which themes would you join a workshop on? (two at most)' },
  });
  await addQuestion(ctx, id, {
    kind: 'scale', required: true,
    prompt: { fr: 'Les services de la commune vous informent-ils assez ?', ar: 'هل تخبركم مصالح الجماعة بما يكفي؟', en: 'Do the commune’s services keep you informed enough?' },
    options: [
      { key: '1', label: { fr: 'Pas du tout', ar: 'إطلاقًا', en: 'Not at all' } }, { key: '2', label: { fr: 'Peu', ar: 'قليلًا', en: 'A little' } },
      { key: '3', label: { fr: 'Moyennement', ar: 'بشكل متوسط', en: 'Somewhat' } }, { key: '4', label: { fr: 'Bien', ar: 'جيدًا', en: 'Well' } },
      { key: '5', label: { fr: 'Très bien', ar: 'جيدًا جدًا', en: 'Very well' } },
    ],
  });
  await addQuestion(ctx, id, { kind: 'district', required: false, options: [], prompt: { fr: 'Votre quartier', ar: 'حيكم', en: 'Your district' } });
  await addQuestion(ctx, id, {
    kind: 'long_text', required: false, options: [], condition: { questionId: rank, anyOf: ['6'] },
    prompt: { fr: 'Quelle mesure de gouvernance ouverte proposeriez-vous ?', ar: 'ما هو إجراء الحكامة المنفتحة الذي تقترحونه؟', en: 'Which open-government measure would you propose?' },
    help: { fr: 'Si « Gouvernance et commune ouverte » est votre première priorité.', ar: 'إذا كانت «الحكامة والجماعة المنفتحة» أولويتكم الأولى.', en: 'If “Governance and open commune” is your first priority.' },
  });
  await setStatus(ctx, id, 'published');
  await loadSampleAnswers(ctx, id, 320, { seed: 2022, weights: [9, 5, 8, 4, 3, 6, 7] });
}
