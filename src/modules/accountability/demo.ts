import type { Ctx } from '../../core/service.ts';
import { createPlan } from './service.ts';
import { listInstitutions } from '../governance/institutions.ts';
import { seedCommitments, seedPac } from './demo-data.ts';

/**
 * The OGP Local plan "Tétouan, commune ouverte 2023-2026" as published (seed, in French), its
 * commitments under the four axes, a published cycle and an open one; and the PAC 2023-2028.
 */
export async function seedPlan(ctx: Ctx): Promise<void> {
  const leads = (await listInstitutions(ctx, ['department'])).filter((i) => i.lead).map((i) => i.id);
  await createPlan(ctx, {
    slug: 'ogp-2023',
    kind: 'ogp',
    title: { fr: 'Tétouan, commune ouverte 2023-2026', ar: 'تطوان، جماعة منفتحة 2023-2026', en: 'Tétouan, open commune 2023-2026' },
    periodStart: '2023-01-01',
    periodEnd: '2026-12-31',
    submittedOn: '2022-11-30',
    vision: {
      fr: 'Tétouan veut être une ville inclusive, résiliente et ouverte. Le plan d’action OGP, ancré dans le plan d’action communal 2023-2028 et co-construit avec les citoyens, les organisations de la société civile, le secteur privé et les services déconcentrés, en complète les actions.',
      ar: 'تطمح تطوان إلى أن تكون مدينة دامجة وقادرة على الصمود ومنفتحة. خطة عمل الشراكة من أجل الحكومة المنفتحة، المرتكزة على برنامج عمل الجماعة 2023-2028 والمبنية بشكل تشاركي مع المواطنين ومنظمات المجتمع المدني والقطاع الخاص والمصالح اللاممركزة، تكمّل إجراءاته.',
      en: 'Tétouan wants to be an inclusive, resilient and open city. The OGP action plan, anchored in the communal action plan 2023-2028 and co-created with citizens, civil-society organisations, the private sector and deconcentrated services, complements its actions.',
    },
    guidelines: [
      { fr: 'Capitaliser sur les gains de transparence et mettre en place une pratique durable d’accès inclusif à l’information publique.', ar: 'استثمار مكتسبات الشفافية وإرساء ممارسة مستدامة للولوج الدامج إلى المعلومة العمومية.', en: 'Build on transparency gains and set up a lasting practice of inclusive access to public information.' },
      { fr: 'Renforcer la participation citoyenne à la planification de l’action territoriale, au suivi des activités municipales et à l’évaluation des résultats.', ar: 'تعزيز المشاركة المواطنة في تخطيط العمل الترابي وتتبع الأنشطة الجماعية وتقييم النتائج.', en: 'Strengthen citizen participation in planning, in monitoring municipal activities and in evaluating results.' },
      { fr: 'Améliorer la qualité des services de proximité par une cogestion citoyenne via des applications de participation.', ar: 'تحسين جودة خدمات القرب عبر تدبير تشاركي مع المواطنين بواسطة تطبيقات المشاركة.', en: 'Improve proximity services through citizen co-management using participation applications.' },
      { fr: 'Relancer les événements culturels et sportifs et le développement économique affectés par la pandémie.', ar: 'إعادة إطلاق التظاهرات الثقافية والرياضية والتنمية الاقتصادية المتأثرة بالجائحة.', en: 'Relaunch cultural and sporting events and economic development affected by the pandemic.' },
    ],
    objectives: [
      { fr: 'Co-construire un écosystème de gouvernement ouvert basé sur la participation citoyenne et le principe « ne laisser personne de côté ».', ar: 'البناء المشترك لمنظومة حكومة منفتحة قائمة على المشاركة المواطنة ومبدأ « عدم ترك أي أحد خلف الركب ».', en: 'Co-build an open-government ecosystem based on citizen participation and “leave no one behind”.' },
      { fr: 'Améliorer la qualité des services locaux et assurer l’équité territoriale dans un cadre de transparence et de responsabilité.', ar: 'تحسين جودة الخدمات المحلية وضمان الإنصاف المجالي في إطار من الشفافية والمسؤولية.', en: 'Improve local services and ensure territorial equity with transparency and accountability.' },
      { fr: 'Mettre en place des mesures d’accompagnement pour la relance économique et culturelle et la résilience environnementale.', ar: 'وضع تدابير مواكبة للإنعاش الاقتصادي والثقافي والصمود البيئي.', en: 'Put in place support measures for economic and cultural recovery and environmental resilience.' },
      { fr: 'Faire de la numérisation un outil de cogestion des affaires publiques locales.', ar: 'جعل الرقمنة أداة للتدبير المشترك للشأن العام المحلي.', en: 'Make digitalisation a tool for co-managing local public affairs.' },
    ],
    cocreation: {
      year: 2022,
      participants: {
        total: 376,
        breakdown: [
          { key: 'cso', count: 258 }, { key: 'international_ngo', count: 1 }, { key: 'online', count: 56 },
          { key: 'unaffiliated', count: 35 }, { key: 'academic', count: 5 }, { key: 'private', count: 6 },
        ],
      },
      groups: 11,
      publicMeetings: 9,
      neighbourhoodWorkshops: 8,
      onlineQuiz: true,
      thematicWorkshops: [
        { fr: 'Infrastructures et équipements locaux', ar: 'البنيات التحتية والتجهيزات المحلية', en: 'Infrastructure and local facilities' },
        { fr: 'Genre et inclusion sociale', ar: 'النوع الاجتماعي والإدماج الاجتماعي', en: 'Gender and social inclusion' },
        { fr: 'Animation économique et emploi', ar: 'التنشيط الاقتصادي والتشغيل', en: 'Economic development and employment' },
        { fr: 'ODD et changement climatique', ar: 'أهداف التنمية المستدامة والتغير المناخي', en: 'SDGs and climate change' },
        { fr: 'Animation culturelle et sportive et préservation du patrimoine', ar: 'التنشيط الثقافي والرياضي والمحافظة على التراث', en: 'Culture, sport and heritage preservation' },
        { fr: 'Gouvernance et commune ouverte', ar: 'الحكامة والجماعة المنفتحة', en: 'Governance and open commune' },
        { fr: 'Aménagement du territoire et mobilité urbaine', ar: 'إعداد التراب والتنقل الحضري', en: 'Land-use planning and urban mobility' },
      ],
    },
    leadInstitutionIds: leads,
    axes: [
      { number: '1', title: { fr: 'Transparence de la gestion financière', ar: 'شفافية التدبير المالي', en: 'Transparent financial management' },
        description: { fr: 'Publier les documents budgétaires et comptables, les vulgariser, et publier de manière proactive les informations publiques sur les supports appropriés.', ar: 'نشر الوثائق الميزانياتية والمحاسبية وتبسيطها، والنشر الاستباقي للمعلومات العمومية على الدعامات الملائمة.', en: 'Publish budget and accounting documents, explain them, and proactively publish public information on suitable media.' } },
      { number: '2', title: { fr: 'Responsabilisation de l’équipe de gestion', ar: 'مساءلة فريق التدبير', en: 'Accountability of the management team' },
        description: { fr: 'Assurer un suivi public de la mise en œuvre du plan d’action communal (PAC) et du plan d’action OGP.', ar: 'ضمان تتبع عمومي لتنفيذ برنامج عمل الجماعة وخطة عمل الشراكة من أجل الحكومة المنفتحة.', en: 'Ensure public monitoring of the implementation of the communal action plan (PAC) and the OGP action plan.' } },
      { number: '3', title: { fr: 'Amélioration des services de proximité', ar: 'تحسين خدمات القرب', en: 'Better proximity services' },
        description: { fr: 'Des outils de sensibilisation, de communication et de contribution citoyenne pour s’informer, suivre et exiger la correction des déficits.', ar: 'أدوات للتحسيس والتواصل والمساهمة المواطنة للاطلاع والتتبع والمطالبة بتدارك النقائص.', en: 'Awareness, communication and citizen-contribution tools to stay informed, follow up and demand that shortcomings be fixed.' } },
      { number: '4', title: { fr: 'Instances de concertation', ar: 'هيئات التشاور', en: 'Consultation bodies' },
        description: { fr: 'Mettre en place et coordonner des instances de concertation pour élaborer des plans d’action thématiques (genre, handicap, jeunes).', ar: 'إحداث وتنسيق هيئات للتشاور من أجل إعداد خطط عمل موضوعاتية (النوع الاجتماعي، الإعاقة، الشباب).', en: 'Set up and coordinate consultation bodies to draw up thematic action plans (gender, disability, youth).' } },
    ],
  });
  await seedCommitments(ctx, 'ogp-2023');
  await seedPac(ctx, leads);
}
