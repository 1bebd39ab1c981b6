import type { Ctx } from '../../core/service.ts';
import type { Translated } from '../../core/i18n/index.ts';
import type { OgpValue } from './rules.ts';
import { createPlan, createCommitment, createAction, createIndicator, listCommitments, setTargetText, addLocalTarget, insertEvidence } from './service.ts';
import { openCycle, closeCycle, matrix, reportRow, validateRow, returnRow, recordDecision, publishCycle, correctActionUpdate, publishHistoricalMeasurement } from './matrix.ts';
import { mutate } from '../../core/service.ts';
import * as repo from './repo.ts';
import { listInstitutions } from '../governance/institutions.ts';

/**
 * Demo content. Commitments restate the seed's four series of commitments (sample: false where
 * the plan says it); actions, indicators, dates, baselines, targets and every reported figure are
 * invented for the demonstration and marked sample.
 */

const T = (fr: string, ar: string, en: string): Translated => ({ fr, ar, en });

interface DemoAction { title: Translated; dept: string; start: string; end: string; s25: [string, number]; s26?: [string, number] | 'pending' | 'returned' }
interface DemoIndicator {
  title: Translated; kind: 'result' | 'impact'; unit: Translated; direction: 'up' | 'down'; dept: string;
  baseline: [number, string]; target: [number, string]; source: Translated; history?: [string, number][]; s25?: number; s26?: number;
}
interface DemoCommitment {
  number: string; title: Translated; problem?: Translated; description?: Translated; lead: string; support?: string[]; partners?: string[];
  values: OgpValue[]; sdg?: string; start?: string; end?: string; weight?: number; sample?: boolean; budget?: Translated;
  actions?: DemoAction[]; indicators?: DemoIndicator[];
}

const persons = T('personnes', 'أشخاص', 'people');
const pct = T('%', '%', '%');

const COMMITMENTS: DemoCommitment[] = [
  {
    number: '1.1', lead: 'budget', support: ['informatique', 'communication'], partners: ['patrimoine-citoyennete'], values: ['transparency', 'technology'], sdg: '16.6, 16.6.1, 16.10',
    start: '2023-03-01', end: '2026-12-31',
    title: T('Publier les documents budgétaires et comptables', 'نشر الوثائق الميزانياتية والمحاسبية', 'Publish budget and accounting documents'),
    problem: T('Les documents budgétaires et comptables de la commune sont peu accessibles : ils se consultent sur place, dans des formats difficiles à exploiter.',
      'الوثائق الميزانياتية والمحاسبية للجماعة صعبة الولوج: لا يُطّلع عليها إلا في عين المكان وبصيغ يصعب استغلالها.',
      'The commune’s budget and accounting documents are hard to reach: they can only be read on site, in formats that are hard to use.'),
    description: T('Publier en ligne, dans des formats ouverts et dans les délais, le budget, les comptes administratifs et les documents de gestion financière, selon un calendrier public.',
      'نشر الميزانية والحسابات الإدارية ووثائق التدبير المالي على الإنترنت، بصيغ مفتوحة وفي الآجال، وفق جدول زمني عمومي.',
      'Publish the budget, the administrative accounts and the financial management documents online, in open formats and on time, following a public calendar.'),
    budget: T('Sur le budget de fonctionnement de la Direction du budget (exemple).', 'من ميزانية تسيير مديرية الميزانية (مثال).', 'From the Budget Directorate’s operating budget (sample).'),
    actions: [
      { dept: 'budget', start: '2023-03-01', end: '2023-09-30', s25: ['done', 100], title: T('Adopter et publier un calendrier de publication des documents budgétaires', 'اعتماد ونشر جدول زمني لنشر الوثائق الميزانياتية', 'Adopt and publish a calendar for publishing budget documents') },
      { dept: 'informatique', start: '2023-06-01', end: '2024-03-31', s25: ['done', 100], title: T('Publier le budget primitif en ligne, en format ouvert', 'نشر الميزانية الأولية على الإنترنت بصيغة مفتوحة', 'Publish the initial budget online, in an open format') },
      { dept: 'budget', start: '2024-01-01', end: '2025-06-30', s25: ['in_progress', 60], s26: ['in_progress', 80], title: T('Publier le compte administratif de l’exercice écoulé', 'نشر الحساب الإداري للسنة المالية المنصرمة', 'Publish the administrative account of the past year') },
    ],
    indicators: [{
      title: T('Documents budgétaires publiés dans les délais', 'الوثائق الميزانياتية المنشورة في الآجال', 'Budget documents published on time'), kind: 'result',
      unit: T('documents', 'وثائق', 'documents'), direction: 'up', dept: 'budget', baseline: [0, '2022-12-31'], target: [8, '2026-12-31'],
      source: T('Registre de publication de la Direction du budget', 'سجل النشر لمديرية الميزانية', 'Publication register of the Budget Directorate'), history: [['2024', 2]], s25: 5, s26: 6,
    }],
  },
  {
    number: '1.2', lead: 'communication', support: ['budget'], partners: ['assaida-al-horra', 'aesvt-tetouan'], values: ['transparency', 'participation'], sdg: '16.7',
    start: '2024-01-01', end: '2026-06-30',
    title: T('Élaborer et diffuser un budget citoyen', 'إعداد ونشر ميزانية المواطن', 'Produce and circulate a citizen budget'),
    problem: T('Le budget communal est un document technique que la plupart des habitants ne peuvent pas lire.', 'الميزانية الجماعية وثيقة تقنية لا يستطيع معظم السكان قراءتها.', 'The commune budget is a technical document most residents cannot read.'),
    description: T('Produire chaque année un budget citoyen en arabe et en français, le diffuser en ligne, dans les arrondissements et lors de séances publiques de présentation.',
      'إعداد ميزانية المواطن كل سنة بالعربية والفرنسية، ونشرها على الإنترنت وفي المقاطعات وخلال جلسات عمومية لتقديمها.',
      'Produce a citizen budget every year in Arabic and French, and circulate it online, in the districts and at public presentation sessions.'),
    actions: [
      { dept: 'communication', start: '2024-01-01', end: '2024-12-31', s25: ['done', 100], title: T('Concevoir le premier budget citoyen avec les associations', 'تصميم أول ميزانية للمواطن بمشاركة الجمعيات', 'Design the first citizen budget with the associations') },
      { dept: 'communication', start: '2025-01-01', end: '2025-06-30', s25: ['in_progress', 50], s26: 'returned', title: T('Imprimer et diffuser le budget citoyen dans les arrondissements', 'طبع ميزانية المواطن وتوزيعها في المقاطعات', 'Print and circulate the citizen budget in the districts') },
      { dept: 'budget', start: '2025-03-01', end: '2026-06-30', s25: ['planned', 0], s26: ['in_progress', 30], title: T('Organiser des séances publiques de présentation du budget', 'تنظيم جلسات عمومية لتقديم الميزانية', 'Hold public sessions presenting the budget') },
    ],
    indicators: [{
      title: T('Participants aux séances de présentation du budget citoyen', 'المشاركون في جلسات تقديم ميزانية المواطن', 'Participants in the citizen budget sessions'), kind: 'result',
      unit: persons, direction: 'up', dept: 'communication', baseline: [0, '2023-12-31'], target: [600, '2026-06-30'],
      source: T('Feuilles de présence des séances', 'أوراق الحضور في الجلسات', 'Attendance sheets of the sessions'), s25: 180,
    }],
  },
  {
    number: '1.3', lead: 'secretariat-conseil', support: ['informatique', 'communication'], values: ['transparency'], sdg: '16.10', start: '2023-06-01', end: '2026-12-31',
    title: T('Publier de manière proactive les informations publiques', 'النشر الاستباقي للمعلومات العمومية', 'Proactively publish public information'),
    problem: T('Les décisions du conseil communal sont peu diffusées, et les demandes d’accès à l’information n’ont pas de suivi visible.', 'قرارات المجلس الجماعي قليلة النشر، وطلبات الحصول على المعلومات لا تتبع ظاهر لها.', 'The council’s decisions are little known, and requests for access to information have no visible follow-up.'),
    description: T('Publier les ordres du jour, procès-verbaux et décisions du conseil communal, et tenir un registre public des demandes d’accès à l’information (loi 31-13).',
      'نشر جداول أعمال ومحاضر وقرارات المجلس الجماعي، ومسك سجل عمومي لطلبات الحصول على المعلومات (القانون 31-13).',
      'Publish the agendas, minutes and decisions of the commune council, and keep a public register of requests for access to information (law 31-13).'),
    actions: [
      { dept: 'secretariat-conseil', start: '2023-06-01', end: '2026-12-31', s25: ['in_progress', 70], s26: ['in_progress', 85], title: T('Publier les ordres du jour et procès-verbaux des sessions du conseil', 'نشر جداول أعمال ومحاضر دورات المجلس', 'Publish the agendas and minutes of the council sessions') },
      { dept: 'secretariat-conseil', start: '2024-01-01', end: '2024-12-31', s25: ['done', 100], title: T('Mettre en place le registre des demandes d’accès à l’information', 'إحداث سجل طلبات الحصول على المعلومات', 'Set up the register of access-to-information requests') },
    ],
    indicators: [{
      title: T('Délai moyen de réponse aux demandes d’accès à l’information', 'متوسط أجل الرد على طلبات الحصول على المعلومات', 'Average time to answer access-to-information requests'), kind: 'result',
      unit: T('jours', 'أيام', 'days'), direction: 'down', dept: 'secretariat-conseil', baseline: [30, '2022-12-31'], target: [15, '2026-12-31'],
      source: T('Registre des demandes d’accès à l’information', 'سجل طلبات الحصول على المعلومات', 'Register of access-to-information requests'), history: [['2024', 26]], s25: 21,
    }],
  },
  {
    number: '2.1', lead: 'grands-projets', support: ['informatique', 'dgs'], partners: ['atil'], values: ['accountability', 'transparency', 'technology'], sdg: '16.6, 16.7',
    start: '2023-03-01', end: '2026-12-31',
    title: T('Assurer un suivi public de la mise en œuvre du PAC et du plan OGP', 'ضمان تتبع عمومي لتنفيذ برنامج عمل الجماعة وخطة الشراكة', 'Monitor the implementation of the PAC and the OGP plan in public'),
    problem: T('Les citoyens n’ont aucun moyen de suivre l’avancement des engagements de la commune.', 'لا يتوفر المواطنون على أي وسيلة لتتبع تقدم التزامات الجماعة.', 'Citizens have no way to follow the progress of the commune’s commitments.'),
    description: T('Une matrice de suivi semestrielle remplie par les services, validée par l’équipe technique OGP, examinée par le comité de pilotage paritaire, et des résultats publiés en ligne.',
      'مصفوفة تتبع نصف سنوية تملؤها المصالح، ويصادق عليها الفريق التقني للشراكة، وتدرسها لجنة القيادة المتناصفة، مع نشر النتائج على الإنترنت.',
      'A six-monthly monitoring matrix filled in by the departments, validated by the OGP technical team, reviewed by the joint steering committee, with the results published online.'),
    actions: [
      { dept: 'grands-projets', start: '2023-03-01', end: '2023-12-31', s25: ['done', 100], title: T('Élaborer la matrice de suivi des engagements', 'إعداد مصفوفة تتبع الالتزامات', 'Draw up the commitments’ monitoring matrix') },
      { dept: 'dgs', start: '2024-01-01', end: '2026-12-31', s25: ['in_progress', 50], s26: ['in_progress', 75], title: T('Tenir une réunion semestrielle avec les services', 'عقد اجتماع نصف سنوي مع المصالح', 'Hold a six-monthly meeting with the departments') },
      { dept: 'informatique', start: '2024-06-01', end: '2025-12-31', s25: ['in_progress', 80], s26: ['done', 100], title: T('Publier le tableau de bord du plan en ligne', 'نشر لوحة قيادة الخطة على الإنترنت', 'Publish the plan’s dashboard online') },
    ],
    indicators: [{
      title: T('Lignes de la matrice renseignées dans les délais', 'أسطر المصفوفة المملوءة في الآجال', 'Matrix rows filled in on time'), kind: 'result', unit: pct, direction: 'up', dept: 'grands-projets',
      baseline: [0, '2023-06-30'], target: [100, '2026-12-31'], source: T('Plateforme de suivi du plan', 'منصة تتبع الخطة', 'Plan monitoring platform'), s25: 75,
    }],
  },
  {
    number: '2.2', lead: 'dgs', support: ['secretariat-conseil', 'communication'], partners: ['patrimoine-citoyennete'], values: ['accountability', 'participation'], sdg: '16.7',
    start: '2024-01-01', end: '2026-12-31',
    title: T('Ouvrir au débat public le rapport annuel de mise en œuvre du PAC', 'فتح النقاش العمومي حول التقرير السنوي لتنفيذ برنامج عمل الجماعة', 'Open the annual PAC implementation report to public debate'),
    problem: T('Le rapport annuel sur l’exécution du plan d’action communal n’est débattu qu’en session du conseil.', 'لا يُناقش التقرير السنوي حول تنفيذ برنامج عمل الجماعة إلا في دورات المجلس.', 'The annual report on the communal action plan is only debated in council sessions.'),
    description: T('Publier chaque année le rapport de mise en œuvre du PAC et celui du suivi indépendant, et les présenter lors d’une journée d’étude ouverte au public.',
      'نشر تقرير تنفيذ برنامج عمل الجماعة وتقرير التتبع المستقل كل سنة، وتقديمهما في يوم دراسي مفتوح للعموم.',
      'Publish the PAC implementation report and the independent monitoring report every year, and present them at a study day open to the public.'),
    actions: [
      { dept: 'dgs', start: '2024-01-01', end: '2024-06-30', s25: ['done', 100], title: T('Publier le rapport annuel de mise en œuvre du PAC', 'نشر التقرير السنوي لتنفيذ برنامج عمل الجماعة', 'Publish the annual PAC implementation report') },
      { dept: 'communication', start: '2024-09-01', end: '2026-11-30', s25: ['in_progress', 40], s26: 'pending', title: T('Organiser la journée d’étude annuelle sur l’avancement du plan', 'تنظيم اليوم الدراسي السنوي حول تقدم الخطة', 'Hold the annual study day on the plan’s progress') },
    ],
    indicators: [{
      title: T('Participants à la journée d’étude annuelle', 'المشاركون في اليوم الدراسي السنوي', 'Participants in the annual study day'), kind: 'impact', unit: persons, direction: 'up', dept: 'communication',
      baseline: [0, '2023-12-31'], target: [300, '2026-12-31'], source: T('Feuilles de présence', 'أوراق الحضور', 'Attendance sheets'), s25: 120,
    }],
  },
  {
    number: '3.1', lead: 'informatique', support: ['travaux', 'operateur-proprete', 'operateur-transport'], partners: ['aesvt-tetouan'], values: ['technology', 'participation', 'accountability'], sdg: '11.6, 16.7',
    start: '2024-01-01', end: '2026-12-31',
    title: T('Des interfaces numériques pour signaler et suivre les déficits des services', 'واجهات رقمية للتبليغ عن نقائص الخدمات وتتبعها', 'Digital interfaces to report and follow service shortcomings'),
    problem: T('Les habitants n’ont pas de moyen simple de signaler à distance un problème de voirie, d’éclairage ou de propreté, ni de suivre sa correction.',
      'لا يتوفر السكان على وسيلة بسيطة للتبليغ عن بعد عن مشكل في الطرق أو الإنارة أو النظافة، ولا لتتبع معالجته.',
      'Residents have no simple way to report a road, lighting or cleanliness problem remotely, nor to follow its repair.'),
    description: T('Mettre à la disposition des citoyens des interfaces numériques pour s’informer, signaler un déficit, suivre son traitement et exiger sa correction, en y associant les opérateurs de gestion déléguée.',
      'وضع واجهات رقمية رهن إشارة المواطنين للاطلاع والتبليغ عن النقائص وتتبع معالجتها والمطالبة بتداركها، بإشراك المفوض لهم في التدبير.',
      'Give citizens digital interfaces to get information, report a shortcoming, follow its handling and demand its repair, involving the delegated operators.'),
  },
  {
    number: '3.1.1', lead: 'informatique', values: ['technology', 'participation'], sdg: '11.6.1', weight: 60, start: '2024-01-01', end: '2026-06-30', sample: true,
    title: T('Une plateforme de signalement et de suivi', 'منصة للتبليغ والتتبع', 'A reporting and follow-up platform'),
    description: T('Une plateforme en ligne et un guichet d’aide pour les personnes qui n’utilisent pas internet.', 'منصة على الإنترنت وشباك للمساعدة لفائدة الأشخاص الذين لا يستعملون الإنترنت.', 'An online platform and a help desk for people who do not use the internet.'),
    actions: [
      { dept: 'informatique', start: '2024-01-01', end: '2025-06-30', s25: ['done', 100], title: T('Développer la plateforme de signalement en ligne', 'تطوير منصة التبليغ على الإنترنت', 'Build the online reporting platform') },
      { dept: 'informatique', start: '2025-01-01', end: '2026-06-30', s25: ['in_progress', 30], s26: ['in_progress', 55], title: T('Ouvrir un guichet d’aide au signalement pour les personnes âgées', 'فتح شباك للمساعدة على التبليغ لفائدة المسنين', 'Open a reporting help desk for older people') },
    ],
    indicators: [{
      title: T('Signalements traités dans le délai annoncé', 'التبليغات المعالجة في الأجل المعلن', 'Reports handled within the announced time'), kind: 'result', unit: pct, direction: 'up', dept: 'informatique',
      baseline: [40, '2023-12-31'], target: [80, '2026-12-31'], source: T('Plateforme de signalement', 'منصة التبليغ', 'Reporting platform'), history: [['2024', 45]], s25: 58, s26: 63,
    }],
  },
  {
    number: '3.1.2', lead: 'travaux', support: ['operateur-proprete', 'operateur-transport'], values: ['accountability'], weight: 40, start: '2024-06-01', end: '2026-06-30', sample: true,
    title: T('Associer les opérateurs de gestion déléguée', 'إشراك المفوض لهم في التدبير', 'Involve the delegated operators'),
    description: T('Les opérateurs de propreté et de transport reçoivent les signalements qui les concernent et rendent compte de leur traitement.', 'يتوصل مفوضو النظافة والنقل بالتبليغات التي تخصهم ويقدمون حسابا عن معالجتها.', 'The cleanliness and transport operators receive the reports that concern them and account for how they handle them.'),
    actions: [
      { dept: 'travaux', start: '2024-06-01', end: '2025-03-31', s25: ['delayed', 40], s26: 'pending', title: T('Signer une convention d’échange de données avec les opérateurs délégués', 'توقيع اتفاقية لتبادل المعطيات مع المفوض لهم', 'Sign a data-exchange agreement with the delegated operators') },
      { dept: 'travaux', start: '2025-06-01', end: '2026-06-30', s25: ['planned', 0], s26: 'pending', title: T('Former les équipes des opérateurs au traitement des signalements', 'تكوين فرق المفوض لهم في معالجة التبليغات', 'Train the operators’ teams to handle reports') },
    ],
  },
  {
    number: '3.2', lead: 'communication', support: ['travaux'], values: ['participation', 'transparency'], sdg: '11.6', start: '2024-03-01', end: '2026-03-31',
    title: T('Sensibiliser et informer sur les services de proximité', 'التحسيس والإخبار بخدمات القرب', 'Raise awareness and inform about proximity services'),
    problem: T('Les habitants connaissent mal les engagements de service de la commune et des opérateurs.', 'لا يعرف السكان جيدا التزامات الخدمة للجماعة والمفوض لهم.', 'Residents know little about the service commitments of the commune and the operators.'),
    description: T('Des outils de sensibilisation, de communication et de contribution citoyenne : enquête de satisfaction, affichage des engagements de service dans les quartiers.',
      'أدوات للتحسيس والتواصل والمساهمة المواطنة: بحث حول الرضا، وتعليق التزامات الخدمة في الأحياء.',
      'Awareness, communication and citizen-contribution tools: a satisfaction survey, service commitments posted in every neighbourhood.'),
    actions: [
      { dept: 'communication', start: '2024-03-01', end: '2024-12-31', s25: ['done', 100], title: T('Réaliser une enquête de satisfaction sur les services de proximité', 'إنجاز بحث حول الرضا عن خدمات القرب', 'Run a satisfaction survey on proximity services') },
      { dept: 'communication', start: '2025-01-01', end: '2026-03-31', s25: ['in_progress', 20], s26: 'pending', title: T('Afficher dans chaque quartier les engagements de service', 'تعليق التزامات الخدمة في كل حي', 'Post the service commitments in every neighbourhood') },
    ],
    indicators: [{
      title: T('Habitants satisfaits de la propreté de leur quartier', 'السكان الراضون عن نظافة حيهم', 'Residents satisfied with the cleanliness of their neighbourhood'), kind: 'impact', unit: pct, direction: 'up', dept: 'communication',
      baseline: [52, '2024-12-31'], target: [70, '2026-12-31'], source: T('Enquête de satisfaction annuelle', 'البحث السنوي حول الرضا', 'Yearly satisfaction survey'),
    }],
  },
  {
    number: '4.1', lead: 'associations', partners: ['assaida-al-horra', 'femme-activiste'], values: ['participation'], sdg: '5.5, 10.2', start: '2023-06-01', end: '2025-12-31',
    title: T('Instance de l’équité, de l’égalité des chances et de l’approche genre', 'هيئة المساواة وتكافؤ الفرص ومقاربة النوع', 'Equity, equal opportunities and gender body'),
    problem: T('Les femmes restent peu présentes dans les instances de décision et de concertation locales.', 'ما زالت النساء قليلات الحضور في هيئات القرار والتشاور المحلية.', 'Women remain under-represented in local decision-making and consultation bodies.'),
    description: T('Réactiver l’instance consultative prévue par la loi organique 113-14 et co-élaborer avec elle un plan d’action thématique genre.',
      'إعادة تفعيل الهيئة الاستشارية المنصوص عليها في القانون التنظيمي 113-14 والإعداد المشترك معها لخطة عمل موضوعاتية للنوع الاجتماعي.',
      'Revive the consultative body provided for by organic law 113-14 and draw up a thematic gender action plan with it.'),
    actions: [
      { dept: 'associations', start: '2023-06-01', end: '2024-03-31', s25: ['done', 100], title: T('Renouveler la composition de l’instance avec les associations', 'تجديد تركيبة الهيئة بمشاركة الجمعيات', 'Renew the body’s membership with the associations') },
      { dept: 'associations', start: '2024-06-01', end: '2025-12-31', s25: ['in_progress', 70], s26: ['done', 100], title: T('Co-élaborer le plan d’action thématique genre', 'الإعداد المشترك لخطة العمل الموضوعاتية للنوع الاجتماعي', 'Co-draft the thematic gender action plan') },
    ],
    indicators: [{
      title: T('Part des femmes dans les instances consultatives communales', 'نسبة النساء في الهيئات الاستشارية الجماعية', 'Share of women in the commune’s consultative bodies'), kind: 'impact', unit: pct, direction: 'up', dept: 'associations',
      baseline: [22, '2022-12-31'], target: [40, '2026-12-31'], source: T('Listes des membres des instances', 'لوائح أعضاء الهيئات', 'Membership lists of the bodies'), s25: 31,
    }],
  },
  {
    number: '4.2', lead: 'associations', support: ['travaux'], partners: ['colombe-blanche'], values: ['participation'], sdg: '10.2, 11.7', start: '2024-01-01', end: '2026-06-30',
    title: T('Instance de concertation sur le handicap', 'هيئة التشاور حول الإعاقة', 'Disability consultation body'),
    problem: T('Les personnes en situation de handicap rencontrent des obstacles pour accéder aux équipements et services communaux.', 'يواجه الأشخاص في وضعية إعاقة عوائق في الولوج إلى التجهيزات والخدمات الجماعية.', 'Persons with disabilities face obstacles in reaching the commune’s facilities and services.'),
    description: T('Créer une instance de concertation avec les associations de personnes handicapées et élaborer un plan d’action thématique handicap, à partir d’un diagnostic d’accessibilité des équipements.',
      'إحداث هيئة للتشاور مع جمعيات الأشخاص في وضعية إعاقة وإعداد خطة عمل موضوعاتية للإعاقة انطلاقا من تشخيص لولوجية التجهيزات.',
      'Create a consultation body with disabled people’s associations and draw up a thematic disability action plan, starting from an accessibility audit of the facilities.'),
    actions: [
      { dept: 'associations', start: '2024-01-01', end: '2024-09-30', s25: ['done', 100], title: T('Créer l’instance de concertation sur le handicap', 'إحداث هيئة التشاور حول الإعاقة', 'Create the disability consultation body') },
      { dept: 'travaux', start: '2024-10-01', end: '2025-09-30', s25: ['in_progress', 50], s26: ['in_progress', 70], title: T('Réaliser le diagnostic d’accessibilité des équipements communaux', 'إنجاز تشخيص ولوجية التجهيزات الجماعية', 'Audit the accessibility of the commune’s facilities') },
      { dept: 'associations', start: '2025-10-01', end: '2026-06-30', s25: ['planned', 0], s26: 'pending', title: T('Adopter le plan d’action thématique handicap', 'اعتماد خطة العمل الموضوعاتية للإعاقة', 'Adopt the thematic disability action plan') },
    ],
  },
  {
    number: '4.3', lead: 'associations', partners: ['aesvt-tetouan'], values: ['participation'], sdg: '16.7', start: '2024-03-01', end: '2026-06-30',
    title: T('Instance de consultation des jeunes', 'هيئة استشارة الشباب', 'Youth consultation body'),
    problem: T('Les jeunes participent peu à la planification et au suivi de l’action communale.', 'يشارك الشباب قليلا في تخطيط العمل الجماعي وتتبعه.', 'Young people take little part in planning and monitoring the commune’s action.'),
    description: T('Constituer un conseil consultatif des jeunes et co-élaborer avec lui un plan d’action thématique jeunesse.', 'تكوين مجلس استشاري للشباب والإعداد المشترك معه لخطة عمل موضوعاتية للشباب.', 'Form a youth advisory council and draw up a thematic youth action plan with it.'),
    actions: [
      { dept: 'associations', start: '2024-03-01', end: '2024-12-31', s25: ['in_progress', 60], s26: ['done', 100], title: T('Constituer le conseil consultatif des jeunes', 'تكوين المجلس الاستشاري للشباب', 'Form the youth advisory council') },
      { dept: 'associations', start: '2025-01-01', end: '2026-06-30', s25: ['planned', 0], s26: 'pending', title: T('Co-élaborer le plan d’action thématique jeunesse', 'الإعداد المشترك لخطة العمل الموضوعاتية للشباب', 'Co-draft the thematic youth action plan') },
    ],
  },
];

/** An indicator on axis 4 itself: the three thematic plans it commits to. */
const AXIS4_INDICATOR: DemoIndicator = {
  title: T('Plans d’action thématiques adoptés (genre, handicap, jeunes)', 'خطط العمل الموضوعاتية المعتمدة (النوع، الإعاقة، الشباب)', 'Thematic action plans adopted (gender, disability, youth)'), kind: 'result',
  unit: T('plans', 'خطط', 'plans'), direction: 'up', dept: 'associations', baseline: [0, '2022-12-31'], target: [3, '2026-12-31'],
  source: T('Délibérations du conseil communal', 'مقررات المجلس الجماعي', 'Council resolutions'), s25: 0, s26: 1,
};

const AXIS_VALUES: Record<string, OgpValue[]> = { '1': ['transparency'], '2': ['accountability'], '3': ['participation', 'technology'], '4': ['participation'] };

/** A minimal valid PDF, for the demo's evidence files. */
function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${44 + text.length} >>\nstream\nBT /F1 18 Tf 72 760 Td (${text}) Tj ET\nendstream`, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export async function seedCommitments(ctx: Ctx, slug: string): Promise<void> {
  const insts = await listInstitutions(ctx);
  const id = (s: string) => { const i = insts.find((x) => x.slug === s); if (!i) throw new Error(`demo: no institution ${s}`); return i.id; };

  // SDG reference: three official target texts, two local targets (sample).
  await setTargetText(ctx, { target: '16.6', text_fr: 'Mettre en place des institutions efficaces, responsables et transparentes à tous les niveaux', text_ar: 'إنشاء مؤسسات فعالة وشفافة وخاضعة للمساءلة على جميع المستويات', text_en: 'Develop effective, accountable and transparent institutions at all levels' });
  await setTargetText(ctx, { target: '16.7', text_fr: 'Faire en sorte que le dynamisme, l’ouverture, la participation et la représentation à tous les niveaux caractérisent la prise de décisions', text_ar: 'ضمان اتخاذ القرارات على نحو مستجيب للاحتياجات وشامل للجميع وتشاركي وتمثيلي على جميع المستويات', text_en: 'Ensure responsive, inclusive, participatory and representative decision-making at all levels' });
  await setTargetText(ctx, { target: '16.10', text_fr: 'Garantir l’accès public à l’information et protéger les libertés fondamentales, conformément à la législation nationale et aux accords internationaux', text_ar: 'كفالة وصول الجمهور إلى المعلومات وحماية الحريات الأساسية، وفقا للتشريعات الوطنية والاتفاقات الدولية', text_en: 'Ensure public access to information and protect fundamental freedoms, in accordance with national legislation and international agreements' });
  await addLocalTarget(ctx, { code: '16.6.1', title_fr: 'Publier 100 % des documents budgétaires dans les délais légaux', title_ar: 'نشر 100% من الوثائق الميزانياتية في الآجال القانونية', title_en: 'Publish 100% of budget documents within the legal time limits', sample: '1' });
  await addLocalTarget(ctx, { code: '11.6.1', title_fr: 'Traiter 80 % des signalements de propreté dans le délai annoncé', title_ar: 'معالجة 80% من تبليغات النظافة في الأجل المعلن', title_en: 'Handle 80% of cleanliness reports within the announced time', sample: '1' });

  // The four axes exist (createPlan); give them their OGP values and their lead.
  const axes = await listCommitments(ctx, slug);
  const axisId = new Map(axes.map((a) => [a.number, a.id]));
  const plan = (await repo.findPlan(ctx.db, ctx.commune.id, slug))!;
  await mutate(ctx, { permission: 'plans.manage', action: 'commitment.update', entity: 'commitment' }, async (trx) => {
    for (const [n, values] of Object.entries(AXIS_VALUES)) {
      await repo.adb(trx).updateTable('commitments').set({ ogp_values: JSON.stringify(values), start_date: '2023-01-01', end_date: '2026-12-31' })
        .where('commune_id', '=', ctx.commune.id).where('id', '=', axisId.get(n)!).execute();
    }
    return { result: undefined, entityId: plan.id, after: { axes: AXIS_VALUES } };
  });

  const actionIds = new Map<DemoAction, number>();
  const indicatorIds = new Map<DemoIndicator, number>();
  const numberToId = new Map(axisId);
  for (const [i, c] of COMMITMENTS.entries()) {
    const parentNumber = c.number.split('.').slice(0, -1).join('.');
    const cid = await createCommitment(ctx, slug, {
      number: c.number, parentId: numberToId.get(parentNumber) ?? null, title: c.title, problem: c.problem, description: c.description, budgetNote: c.budget,
      ogpValues: c.values, leadId: id(c.lead), supportIds: (c.support ?? []).map(id), partnerIds: (c.partners ?? []).map(id),
      startDate: c.start ?? null, endDate: c.end ?? null, weight: c.weight ?? null, sdg: c.sdg, sort: i, sample: c.sample,
    });
    numberToId.set(c.number, cid);
    for (const [k, a] of (c.actions ?? []).entries()) {
      actionIds.set(a, await createAction(ctx, cid, { title: a.title, institutionId: id(a.dept), startDate: a.start, endDate: a.end, sort: k, sample: true }));
    }
    for (const [k, ind] of (c.indicators ?? []).entries()) {
      indicatorIds.set(ind, await createIndicator(ctx, cid, {
        kind: ind.kind, title: ind.title, unit: ind.unit, direction: ind.direction, baselineValue: ind.baseline[0], baselineDate: ind.baseline[1],
        targetValue: ind.target[0], targetDate: ind.target[1], source: ind.source, frequency: 'semiannual', institutionId: id(ind.dept), sort: k, sample: true,
      }));
    }
  }
  indicatorIds.set(AXIS4_INDICATOR, await createIndicator(ctx, axisId.get('4')!, {
    kind: AXIS4_INDICATOR.kind, title: AXIS4_INDICATOR.title, unit: AXIS4_INDICATOR.unit, direction: AXIS4_INDICATOR.direction,
    baselineValue: AXIS4_INDICATOR.baseline[0], baselineDate: AXIS4_INDICATOR.baseline[1], targetValue: AXIS4_INDICATOR.target[0], targetDate: AXIS4_INDICATOR.target[1],
    source: AXIS4_INDICATOR.source, frequency: 'annual', institutionId: id(AXIS4_INDICATOR.dept), sample: true,
  }));
  const allIndicators = [...COMMITMENTS.flatMap((c) => c.indicators ?? []), AXIS4_INDICATOR];
  for (const ind of allIndicators) {
    for (const [period, value] of ind.history ?? []) {
      await publishHistoricalMeasurement(ctx, indicatorIds.get(ind)!, { period, value: String(value), source: '', note: '', sample: true });
    }
  }

  // Evidence given by the OGP team on 1.1: a public file, and an internal one.
  const c11 = numberToId.get('1.1')!;
  await mutate(ctx, { permission: 'plans.manage', action: 'evidence.add', entity: 'evidence' }, async (trx) => {
    const first = COMMITMENTS[0].actions![0];
    const a = await insertEvidence(ctx, trx, { commitmentId: c11, actionId: actionIds.get(first) }, {
      title: 'Calendrier de publication des documents budgétaires (exemple)', url: '', visibility: 'public',
      upload: { filename: 'calendrier-publication-exemple.pdf', mimetype: 'application/pdf', data: demoPdf('Calendrier de publication - exemple'), truncated: false },
    });
    const b = await insertEvidence(ctx, trx, { commitmentId: c11 }, {
      title: 'Note interne sur le visa du compte administratif (exemple)', url: '', visibility: 'internal',
      upload: { filename: 'note-interne-exemple.pdf', mimetype: 'application/pdf', data: demoPdf('Note interne - exemple'), truncated: false },
    });
    return { result: undefined, entityId: c11, after: { evidence: [a, b] } };
  });

  const allActions = COMMITMENTS.flatMap((c) => c.actions ?? []);
  const byAction = new Map([...actionIds].map(([a, i]) => [i, a]));
  const byIndicator = new Map([...indicatorIds].map(([ind, i]) => [i, ind]));

  // Cycle 2025-S2: everything reported, one row returned and answered, all validated, reviewed, published.
  await openCycle(ctx, slug, { code: '2025-S2', due_date: '2026-01-31' });
  const c25 = await matrix(ctx, slug, '2025-S2');
  const returnedAction = allActions[2];
  for (const r of c25.rows) {
    if (r.kind === 'action') {
      const a = byAction.get(r.itemId)!;
      const difficulties = a.s25[0] === 'delayed' ? 'Les opérateurs demandent à revoir le format des données échangées.' : a === returnedAction ? 'Visa du compte administratif en attente.' : '';
      await reportRow(ctx, slug, '2025-S2', r.id, { intent: 'submit', status: a.s25[0], progress: String(a.s25[1]), difficulties }, null);
    } else {
      const ind = byIndicator.get(r.itemId)!;
      if (ind.s25 === undefined) continue;
      await reportRow(ctx, slug, '2025-S2', r.id, { intent: 'submit', value: String(ind.s25) }, null);
    }
  }
  const retRow = c25.rows.find((r) => r.kind === 'action' && byAction.get(r.itemId) === returnedAction)!;
  await returnRow(ctx, slug, '2025-S2', retRow.id, { remark: 'Précisez où en est le visa du compte administratif et joignez le lien dès sa publication.' });
  await reportRow(ctx, slug, '2025-S2', retRow.id, { intent: 'submit', status: 'in_progress', progress: '60', difficulties: 'Visa du compte administratif en attente.', answer: 'Le compte administratif est au visa de l’autorité de tutelle ; le lien sera ajouté dès sa publication.' }, null);
  const submitted25 = await matrix(ctx, slug, '2025-S2', { states: ['submitted'] });
  for (const r of submitted25.rows) await validateRow(ctx, slug, '2025-S2', r.id);
  const lateRows = submitted25.rows.filter((r) => r.kind === 'action' && ['delayed', 'in_progress'].includes(r.status ?? '') && (r.actionEndDate ?? '9999') < '2025-12-31');
  await recordDecision(ctx, slug, '2025-S2', {
    decided_on: '2026-02-12', outcome: 'consensus',
    decision: 'Le comité demande un calendrier révisé pour les actions en retard, en priorité la convention avec les opérateurs délégués et le compte administratif.',
    measures: 'Calendrier révisé présenté à la prochaine réunion ; point d’étape mensuel entre la Direction des travaux et les opérateurs.',
    row_ids: lateRows.map((r) => String(r.id)),
  });
  await recordDecision(ctx, slug, '2025-S2', {
    decided_on: '2026-02-12', outcome: 'no_consensus',
    decision: 'Les représentants de la société civile demandent que les séances de présentation du budget se tiennent aussi le samedi ; la question reste ouverte.',
    measures: '', row_ids: c25.rows.filter((r) => r.kind === 'action' && byAction.get(r.itemId) === COMMITMENTS[1].actions![2]).map((r) => String(r.id)),
  });
  await publishCycle(ctx, slug, '2025-S2');
  await closeCycle(ctx, slug, '2025-S2');

  // A correction, published as a new version: the dashboard action was reported too high.
  const dashboardAction = actionIds.get(COMMITMENTS[3].actions![2])!;
  const [update] = await repo.actionHistory(ctx.db, ctx.commune.id, [dashboardAction]);
  await correctActionUpdate(ctx, slug, update.id, { status: 'in_progress', progress: '70', note: 'Erreur de saisie : la version arabe du tableau de bord n’était pas encore en ligne.' });

  // Cycle 2026-S2, open and past its due date: some departments have reported, one row was returned, others are late.
  await openCycle(ctx, slug, { code: '2026-S2', due_date: '2026-11-20' });
  const c26 = await matrix(ctx, slug, '2026-S2');
  for (const r of c26.rows) {
    if (r.kind === 'action') {
      const a = byAction.get(r.itemId);
      if (!a || a.s26 === undefined || a.s26 === 'pending') continue;
      if (a.s26 === 'returned') {
        await reportRow(ctx, slug, '2026-S2', r.id, { intent: 'submit', status: 'in_progress', progress: '90' }, null);
        await returnRow(ctx, slug, '2026-S2', r.id, { remark: 'Combien d’exemplaires ont été distribués, et dans quels arrondissements ? Joignez la liste de diffusion.' });
        continue;
      }
      await reportRow(ctx, slug, '2026-S2', r.id, { intent: 'submit', status: a.s26[0], progress: String(a.s26[1]) }, null);
    } else {
      const ind = byIndicator.get(r.itemId);
      if (ind?.s26 === undefined) continue;
      await reportRow(ctx, slug, '2026-S2', r.id, { intent: 'submit', value: String(ind.s26) }, null);
    }
  }
  const toValidate = (await matrix(ctx, slug, '2026-S2', { states: ['submitted'] })).rows.filter((r) => r.department.id === id('informatique'));
  for (const r of toValidate) await validateRow(ctx, slug, '2026-S2', r.id);
}

/** The communal action plan 2023-2028 in which the OGP plan is anchored: its three aims, one commitment shown. */
export async function seedPac(ctx: Ctx, leads: number[]): Promise<void> {
  await createPlan(ctx, {
    slug: 'pac-2023-2028', kind: 'pac',
    title: T('Plan d’action communal 2023-2028', 'برنامج عمل الجماعة 2023-2028', 'Communal action plan 2023-2028'),
    periodStart: '2023-01-01', periodEnd: '2028-12-31',
    vision: T('Œuvrer pour une ville inclusive, durable et ouverte : un plan élaboré selon une approche participative, avec les citoyens, les associations, le secteur privé et les services déconcentrés.',
      'العمل من أجل مدينة دامجة ومستدامة ومنفتحة: برنامج أُعدّ وفق مقاربة تشاركية مع المواطنين والجمعيات والقطاع الخاص والمصالح اللاممركزة.',
      'Working for an inclusive, sustainable and open city: a plan drawn up through a participatory approach, with citizens, associations, the private sector and deconcentrated services.'),
    cocreation: { year: 2022, neighbourhoodWorkshops: 8 },
    leadInstitutionIds: leads,
    axes: [
      { number: '1', title: T('Une ville inclusive', 'مدينة دامجة', 'An inclusive city') },
      { number: '2', title: T('Une ville durable', 'مدينة مستدامة', 'A sustainable city') },
      { number: '3', title: T('Une ville ouverte', 'مدينة منفتحة', 'An open city'),
        description: T('Ancrer l’objectif de la commune ouverte : le plan d’action OGP « Tétouan, commune ouverte » en fait partie intégrante.', 'ترسيخ هدف الجماعة المنفتحة: خطة عمل الشراكة « تطوان، جماعة منفتحة » جزء لا يتجزأ منه.', 'Anchor the open-commune goal: the OGP action plan “Tétouan, open commune” is an integral part of it.') },
    ],
  });
  const axes = await listCommitments(ctx, 'pac-2023-2028');
  const insts = await listInstitutions(ctx, ['department']);
  const gp = insts.find((i) => i.slug === 'grands-projets')!.id;
  const cid = await createCommitment(ctx, 'pac-2023-2028', {
    number: '3.1', parentId: axes.find((a) => a.number === '3')!.id, leadId: gp, ogpValues: ['transparency', 'participation', 'accountability'], sdg: '16.7', sample: true,
    title: T('Mettre en œuvre le plan d’action OGP « Tétouan, commune ouverte 2023-2026 »', 'تنفيذ خطة عمل الشراكة « تطوان، جماعة منفتحة 2023-2026 »', 'Implement the OGP action plan “Tétouan, open commune 2023-2026”'),
    startDate: '2023-01-01', endDate: '2026-12-31',
  });
  await createAction(ctx, cid, { title: T('Suivre les engagements du plan OGP sur la plateforme', 'تتبع التزامات خطة الشراكة على المنصة', 'Follow the OGP plan’s commitments on the platform'), institutionId: gp, startDate: '2023-01-01', endDate: '2026-12-31', sample: true });
}
