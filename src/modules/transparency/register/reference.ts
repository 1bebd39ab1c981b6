import type { Translated } from '../../../core/i18n/index.ts';
import type { Frequency } from '../schema.ts';

/**
 * What Law 31-13 on the right of access to information (article 10) asks a public body to publish proactively,
 * as it applies to a commune: the reference list loaded into an empty register (the administrator edits it).
 * `department`: the slug of the owning department in the demo commune.
 */
export const REFERENCE_ITEMS: { code: string; title: Translated; description: Translated; frequency: Frequency; department: string }[] = [
  { code: 'art10-missions', frequency: 'once', department: 'dgs',
    title: { fr: 'Missions et structures administratives de la commune', ar: 'مهام الجماعة وبنياتها الإدارية', en: 'Missions and administrative structure of the commune' },
    description: { fr: 'Organigramme, attributions des directions et services.', ar: 'الهيكل التنظيمي واختصاصات المديريات والمصالح.', en: 'Organisation chart, remits of the directorates and services.' } },
  { code: 'art10-contact', frequency: 'once', department: 'communication',
    title: { fr: 'Coordonnées de la personne chargée de l’accès à l’information', ar: 'معلومات الاتصال بالشخص المكلف بالحق في الحصول على المعلومات', en: 'Contact details of the access-to-information officer' },
    description: { fr: 'Nom, adresse, téléphone et courriel de la personne désignée.', ar: 'اسم الشخص المعين وعنوانه وهاتفه وبريده الإلكتروني.', en: 'Name, address, phone and email of the designated person.' } },
  { code: 'art10-budget', frequency: 'annual', department: 'budget',
    title: { fr: 'Budget de la commune', ar: 'ميزانية الجماعة', en: 'Budget of the commune' },
    description: { fr: 'Budget adopté par le conseil et visé, et sa version vulgarisée.', ar: 'الميزانية المصادق عليها من طرف المجلس والمؤشر عليها، ونسختها المبسطة.', en: 'Budget adopted by the council and approved, and its plain-language version.' } },
  { code: 'art10-account', frequency: 'annual', department: 'budget',
    title: { fr: 'Compte administratif', ar: 'الحساب الإداري', en: 'Administrative account' },
    description: { fr: 'Exécution du budget de l’année écoulée.', ar: 'تنفيذ ميزانية السنة المنصرمة.', en: 'Execution of the past year’s budget.' } },
  { code: 'art10-procurement-plan', frequency: 'annual', department: 'travaux',
    title: { fr: 'Programme prévisionnel des marchés publics', ar: 'البرنامج التوقعي للصفقات العمومية', en: 'Forecast public procurement programme' },
    description: { fr: 'Les marchés que la commune prévoit de lancer dans l’année.', ar: 'الصفقات التي تعتزم الجماعة إطلاقها خلال السنة.', en: 'The tenders the commune plans to launch in the year.' } },
  { code: 'art10-procurement-results', frequency: 'quarterly', department: 'travaux',
    title: { fr: 'Appels d’offres et résultats des marchés', ar: 'طلبات العروض ونتائج الصفقات', en: 'Calls for tenders and results of public contracts' },
    description: { fr: 'Avis, procès-verbaux d’ouverture des plis et attributaires.', ar: 'الإعلانات ومحاضر فتح الأظرفة والمستفيدون.', en: 'Notices, bid-opening minutes and awardees.' } },
  { code: 'art10-procedures', frequency: 'once', department: 'informatique',
    title: { fr: 'Procédures et formalités des services rendus aux usagers', ar: 'مساطر وإجراءات الخدمات المقدمة للمرتفقين', en: 'Procedures and formalities of the services to the public' },
    description: { fr: 'Pièces à fournir, délais et coûts de chaque service.', ar: 'الوثائق المطلوبة والآجال والتكاليف لكل خدمة.', en: 'Documents required, time limits and costs of each service.' } },
  { code: 'art10-authorisations', frequency: 'once', department: 'travaux',
    title: { fr: 'Conditions d’octroi des autorisations et licences', ar: 'شروط منح الرخص والتراخيص', en: 'Conditions for granting permits and licences' },
    description: { fr: 'Autorisations d’urbanisme, d’occupation du domaine public, d’exercice d’activités.', ar: 'رخص التعمير واحتلال الملك العمومي ومزاولة الأنشطة.', en: 'Planning permits, use of public land, business licences.' } },
  { code: 'art10-programmes', frequency: 'annual', department: 'grands-projets',
    title: { fr: 'Programme d’action de la commune et projets', ar: 'برنامج عمل الجماعة والمشاريع', en: 'Communal action programme and projects' },
    description: { fr: 'Le PAC, ses projets et leur état d’avancement.', ar: 'برنامج عمل الجماعة ومشاريعه ومدى تقدمها.', en: 'The action programme, its projects and their progress.' } },
  { code: 'art10-council', frequency: 'per_session', department: 'secretariat-conseil',
    title: { fr: 'Ordres du jour, procès-verbaux et délibérations du conseil', ar: 'جداول أعمال ومحاضر ومقررات المجلس', en: 'Agendas, minutes and deliberations of the council' },
    description: { fr: 'Publiés à chaque session (loi organique 113-14).', ar: 'تنشر عند كل دورة (القانون التنظيمي 113-14).', en: 'Published at each session (Organic Law 113-14).' } },
  { code: 'art10-reports', frequency: 'annual', department: 'dgs',
    title: { fr: 'Rapports et études', ar: 'التقارير والدراسات', en: 'Reports and studies' },
    description: { fr: 'Rapports d’activité, d’audit et études réalisées ou commandées.', ar: 'تقارير النشاط والافتحاص والدراسات المنجزة أو المطلوبة.', en: 'Activity and audit reports, studies carried out or commissioned.' } },
  { code: 'art10-statistics', frequency: 'annual', department: 'informatique',
    title: { fr: 'Statistiques économiques et sociales', ar: 'الإحصائيات الاقتصادية والاجتماعية', en: 'Economic and social statistics' },
    description: { fr: 'Données de la commune (population, équipements, services).', ar: 'معطيات الجماعة (السكان، التجهيزات، الخدمات).', en: 'Data on the commune (population, facilities, services).' } },
  { code: 'art10-recruitment', frequency: 'semiannual', department: 'dgs',
    title: { fr: 'Concours de recrutement et leurs résultats', ar: 'مباريات التوظيف ونتائجها', en: 'Recruitment competitions and their results' },
    description: { fr: 'Avis de concours, listes des candidats admis.', ar: 'إعلانات المباريات ولوائح المترشحين الناجحين.', en: 'Competition notices, lists of successful candidates.' } },
];
