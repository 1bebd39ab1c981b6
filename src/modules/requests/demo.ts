import type { Ctx } from '../../core/service.ts';
import { listInstitutions } from '../governance/institutions.ts';
import { createOrUpdateCategory, createOrUpdateQuestion, createOrUpdateDistrict, createOrUpdateTemplate, type QuestionInput } from './settings.ts';
import { submitRequest } from './service.ts';
import { acknowledge, startWork, resolve, reject, giveFeedback, contest, rule } from './workflow.ts';
import type { Channel } from './schema.ts';

/**
 * The plan names the proximity services (waste collection, transport, public lighting, roads,
 * local equipment) and the delegated operators; the service-level targets, the questions, the
 * districts' outlines and populations and every request below are samples, marked as such.
 */
const CATEGORIES: { slug: string; name: Record<string, string>; description: Record<string, string>; institution: string; sla: number; questions: QuestionInput[] }[] = [
  {
    slug: 'dechets', institution: 'operateur-proprete', sla: 3,
    name: { fr: 'Collecte des déchets', ar: 'جمع النفايات', en: 'Waste collection' },
    description: { fr: 'Bac plein ou abîmé, collecte non passée, dépôt sauvage.', ar: 'حاوية ممتلئة أو متضررة، عدم مرور شاحنة الجمع، رمي عشوائي للنفايات.', en: 'Full or damaged bin, missed collection, fly-tipping.' },
    questions: [
      { code: 'probleme', kind: 'single', required: true, label: { fr: 'Quel est le problème ?', ar: 'ما هو المشكل؟', en: 'What is the problem?' }, options: [
        { value: 'bac-plein', label: { fr: 'Bac plein', ar: 'حاوية ممتلئة', en: 'Full bin' } },
        { value: 'bac-abime', label: { fr: 'Bac abîmé', ar: 'حاوية متضررة', en: 'Damaged bin' } },
        { value: 'non-collecte', label: { fr: 'Collecte non passée', ar: 'لم تمر شاحنة الجمع', en: 'Missed collection' } },
        { value: 'depot-sauvage', label: { fr: 'Dépôt sauvage', ar: 'رمي عشوائي', en: 'Fly-tipping' } },
      ] },
      { code: 'depuis', kind: 'date', label: { fr: 'Depuis quand ?', ar: 'منذ متى؟', en: 'Since when?' } },
    ],
  },
  {
    slug: 'transport', institution: 'operateur-transport', sla: 10,
    name: { fr: 'Transport public', ar: 'النقل العمومي', en: 'Public transport' },
    description: { fr: 'Bus en retard ou absent, arrêt dégradé, conduite dangereuse.', ar: 'تأخر الحافلة أو غيابها، محطة متضررة، سياقة خطيرة.', en: 'Late or missing bus, damaged stop, dangerous driving.' },
    questions: [
      { code: 'ligne', kind: 'text', required: true, label: { fr: 'Numéro de la ligne', ar: 'رقم الخط', en: 'Line number' } },
      { code: 'type', kind: 'single', required: true, label: { fr: 'Type de problème', ar: 'نوع المشكل', en: 'Kind of problem' }, options: [
        { value: 'retard', label: { fr: 'Retard ou bus absent', ar: 'تأخر أو غياب الحافلة', en: 'Late or missing bus' } },
        { value: 'arret', label: { fr: 'Arrêt dégradé', ar: 'محطة متضررة', en: 'Damaged stop' } },
        { value: 'vehicule', label: { fr: 'Véhicule en mauvais état', ar: 'حافلة في حالة سيئة', en: 'Vehicle in poor condition' } },
        { value: 'accueil', label: { fr: 'Comportement ou accueil', ar: 'السلوك أو الاستقبال', en: 'Behaviour or service' } },
      ] },
      { code: 'date', kind: 'date', label: { fr: 'Date du trajet', ar: 'تاريخ الرحلة', en: 'Date of the trip' } },
    ],
  },
  {
    slug: 'eclairage', institution: 'travaux', sla: 5,
    name: { fr: 'Éclairage public', ar: 'الإنارة العمومية', en: 'Public lighting' },
    description: { fr: 'Lampadaire éteint, allumé le jour, poteau dangereux.', ar: 'عمود إنارة مطفأ أو مشتعل نهارا، عمود خطير.', en: 'Street light out, on by day, dangerous pole.' },
    questions: [
      { code: 'nombre', kind: 'number', required: true, label: { fr: 'Nombre de lampadaires concernés', ar: 'عدد أعمدة الإنارة المعنية', en: 'Number of street lights' } },
      { code: 'poteau', kind: 'text', label: { fr: 'Numéro inscrit sur le poteau (si visible)', ar: 'الرقم المكتوب على العمود (إن وجد)', en: 'Number on the pole (if visible)' } },
    ],
  },
  {
    slug: 'voirie', institution: 'travaux', sla: 15,
    name: { fr: 'Voirie : routes et trottoirs', ar: 'الطرق والأرصفة', en: 'Roads and pavements' },
    description: { fr: 'Nid-de-poule, trottoir cassé, regard ouvert, signalisation.', ar: 'حفر، رصيف مكسور، بالوعة مفتوحة، تشوير.', en: 'Pothole, broken pavement, open manhole, signs.' },
    questions: [
      { code: 'problemes', kind: 'multiple', required: true, label: { fr: 'Ce que vous constatez', ar: 'ما لاحظتموه', en: 'What you see' }, options: [
        { value: 'nid-de-poule', label: { fr: 'Nid-de-poule', ar: 'حفرة', en: 'Pothole' } },
        { value: 'trottoir', label: { fr: 'Trottoir abîmé', ar: 'رصيف متضرر', en: 'Damaged pavement' } },
        { value: 'regard', label: { fr: 'Regard ouvert', ar: 'بالوعة مفتوحة', en: 'Open manhole' } },
        { value: 'signalisation', label: { fr: 'Signalisation', ar: 'التشوير', en: 'Road signs' } },
      ] },
      { code: 'danger', kind: 'single', required: true, label: { fr: 'Y a-t-il un danger immédiat ?', ar: 'هل هناك خطر فوري؟', en: 'Is there an immediate danger?' }, options: [
        { value: 'oui', label: { fr: 'Oui', ar: 'نعم', en: 'Yes' } }, { value: 'non', label: { fr: 'Non', ar: 'لا', en: 'No' } },
      ] },
    ],
  },
  {
    slug: 'equipements', institution: 'travaux', sla: 20,
    name: { fr: 'Équipements de proximité', ar: 'تجهيزات القرب', en: 'Local equipment' },
    description: { fr: 'Jardin, aire de jeux, terrain de sport, marché, bâtiment communal.', ar: 'حديقة، فضاء ألعاب، ملعب رياضي، سوق، بناية جماعية.', en: 'Garden, playground, sports ground, market, commune building.' },
    questions: [
      { code: 'equipement', kind: 'single', required: true, label: { fr: 'Quel équipement ?', ar: 'أي تجهيز؟', en: 'Which equipment?' }, options: [
        { value: 'jardin', label: { fr: 'Jardin ou aire de jeux', ar: 'حديقة أو فضاء ألعاب', en: 'Garden or playground' } },
        { value: 'sport', label: { fr: 'Terrain de sport', ar: 'ملعب رياضي', en: 'Sports ground' } },
        { value: 'marche', label: { fr: 'Marché', ar: 'سوق', en: 'Market' } },
        { value: 'batiment', label: { fr: 'Bâtiment communal', ar: 'بناية جماعية', en: 'Commune building' } },
      ] },
    ],
  },
];

/** Sample neighbourhoods: names of Tétouan, outlines and populations invented (replace them by importing GeoJSON). */
const DISTRICTS: { slug: string; name: Record<string, string>; population: number; center: [number, number] }[] = [
  { slug: 'medina', name: { fr: 'Médina', ar: 'المدينة العتيقة', en: 'Medina' }, population: 40_000, center: [35.5715, -5.3690] },
  { slug: 'ensanche', name: { fr: 'Ensanche (centre-ville)', ar: 'الإنسانتي (وسط المدينة)', en: 'Ensanche (city centre)' }, population: 35_000, center: [35.5715, -5.3850] },
  { slug: 'touabel', name: { fr: 'Touabel', ar: 'الطوابل', en: 'Touabel' }, population: 55_000, center: [35.5845, -5.3690] },
  { slug: 'jbel-dersa', name: { fr: 'Jbel Dersa', ar: 'جبل درسة', en: 'Jbel Dersa' }, population: 45_000, center: [35.5845, -5.3850] },
  { slug: 'sania-rmel', name: { fr: 'Sania Rmel', ar: 'الصانية الرمل', en: 'Sania Rmel' }, population: 45_000, center: [35.5845, -5.4010] },
  { slug: 'mhannech', name: { fr: 'Mhannech', ar: 'امهنش', en: 'Mhannech' }, population: 60_000, center: [35.5585, -5.3850] },
  { slug: 'boussafou', name: { fr: 'Boussafou', ar: 'بوسافو', en: 'Boussafou' }, population: 50_000, center: [35.5585, -5.3690] },
  { slug: 'kouilma', name: { fr: 'Kouilma', ar: 'كويلمة', en: 'Kouilma' }, population: 50_000, center: [35.5715, -5.3530] },
];

/** A box of about 1.4 × 1.5 km around a centre: the sample centres sit on a grid, so the boxes tile without overlapping. */
function box([lat, lng]: [number, number]) {
  const dLat = 0.0065, dLng = 0.008;
  return { type: 'Polygon', coordinates: [[[lng - dLng, lat - dLat], [lng + dLng, lat - dLat], [lng + dLng, lat + dLat], [lng - dLng, lat + dLat], [lng - dLng, lat - dLat]]] };
}

const TEMPLATES = [
  { category: null, title: { fr: 'Accusé de réception', ar: 'إشعار بالتوصل', en: 'Acknowledgement' },
    body: { fr: 'Bonjour, votre signalement a bien été reçu par le service compétent. Une équipe va se rendre sur place ; vous serez informé·e de la suite.', ar: 'مرحبا، توصلت المصلحة المختصة بتبليغكم. سيتنقل فريق إلى عين المكان وسنخبركم بالمستجدات.', en: 'Hello, the competent service has received your report. A team will go on site; you will be told what happens next.' } },
  { category: 'dechets', title: { fr: 'Collecte effectuée', ar: 'تم الجمع', en: 'Collection done' },
    body: { fr: 'Le bac a été vidé et les abords nettoyés. Merci de votre signalement.', ar: 'تم إفراغ الحاوية وتنظيف محيطها. شكرا على تبليغكم.', en: 'The bin has been emptied and the area cleaned. Thank you for your report.' } },
  { category: null, title: { fr: 'Hors compétence : Chikaya', ar: 'خارج الاختصاص: شكاية', en: 'Not competent: Chikaya' },
    body: { fr: 'Ce problème ne relève pas de la commune. Vous pouvez adresser votre réclamation au portail national des réclamations : https://www.chikaya.ma', ar: 'هذا المشكل لا يدخل ضمن اختصاص الجماعة. يمكنكم تقديم شكايتكم عبر البوابة الوطنية للشكايات: https://www.chikaya.ma', en: 'This is not the commune’s responsibility. You can file your complaint on the national complaints portal: https://www.chikaya.ma' } },
];

/** Descriptions citizens might write, per category (French and Arabic, as they come). */
const TEXTS: Record<string, string[]> = {
  dechets: [
    'Le bac à ordures devant l’école déborde depuis trois jours, les chats éparpillent les sacs.',
    'الحاوية قرب السوق ممتلئة منذ أيام والروائح كريهة.',
    'Dépôt sauvage de gravats et de vieux meubles au bout de la rue.',
    'La collecte n’est pas passée ce matin dans notre ruelle.',
  ],
  transport: [
    'Le bus de la ligne 5 n’est pas passé entre 7 h et 8 h, les élèves sont arrivés en retard.',
    'محطة الحافلة بدون مظلة والكرسي مكسور.',
    'Le chauffeur roulait très vite dans la descente avec les portes ouvertes.',
  ],
  eclairage: [
    'Trois lampadaires éteints dans la rue, il fait très sombre le soir pour rentrer.',
    'عمود الإنارة مشتعل طوال النهار منذ أسبوع.',
    'Un poteau penché avec des câbles apparents près de l’arrêt de bus.',
  ],
  voirie: [
    'Grand nid-de-poule au milieu de la chaussée, les voitures font des écarts dangereux.',
    'الرصيف مكسور أمام المسجد ويصعب المرور على كبار السن.',
    'Un regard sans couvercle sur le trottoir, un enfant a failli tomber.',
  ],
  equipements: [
    'Les jeux du jardin sont cassés et le sol est plein de verre.',
    'Le robinet du marché fuit depuis un mois, l’eau coule dans l’allée.',
    'إنارة الملعب الرياضي لا تعمل في المساء.',
  ],
};

const ANSWERS: Record<string, (i: number) => Record<string, unknown>> = {
  dechets: (i) => ({ q_probleme: ['bac-plein', 'non-collecte', 'depot-sauvage', 'bac-abime'][i % 4] }),
  transport: (i) => ({ q_ligne: String([5, 12, 3][i % 3]), q_type: ['retard', 'arret', 'vehicule'][i % 3] }),
  eclairage: (i) => ({ q_nombre: String(1 + (i % 3)), q_poteau: i % 2 ? `P-${1200 + i}` : '' }),
  voirie: (i) => ({ q_problemes: i % 2 ? ['nid-de-poule'] : ['trottoir', 'signalisation'], q_danger: i % 3 ? 'non' : 'oui' }),
  equipements: (i) => ({ q_equipement: ['jardin', 'marche', 'sport'][i % 3] }),
};

const NAMES = ['Fatima Z.', 'Mohammed B.', 'Khadija A.', 'Youssef E.', 'Amina T.', 'Hassan R.', 'Salma K.', 'Omar L.'];
const STREETS = ['Avenue Mohammed V', 'Rue de la Luneta', 'Boulevard des FAR', 'Rue Al Qods', 'Place Moulay El Mehdi', 'Rue Abdelkrim El Khattabi', 'Derb El Jamaa', 'Avenue Hassan II'];

/** A small deterministic generator, so the demo is the same on every install. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const at = (ctx: Ctx, d: Date): Ctx => ({ ...ctx, clock: { now: () => d } });

export async function seedRequests(ctx: Ctx): Promise<void> {
  const institutions = await listInstitutions(ctx);
  const bySlug = new Map(institutions.map((i) => [i.slug, i.id]));
  const categoryIds = new Map<string, number>();
  for (const [i, c] of CATEGORIES.entries()) {
    const institutionId = bySlug.get(c.institution);
    if (!institutionId) continue;
    const id = await createOrUpdateCategory(ctx, null, { slug: c.slug, name: c.name, description: c.description, institutionId, slaDays: c.sla, active: true, sample: true, sort: i });
    categoryIds.set(c.slug, id);
    for (const [j, q] of c.questions.entries()) await createOrUpdateQuestion(ctx, id, null, { ...q, sort: j });
  }
  for (const [i, d] of DISTRICTS.entries()) {
    await createOrUpdateDistrict(ctx, null, { slug: d.slug, name: d.name, population: d.population, sample: true, sort: i, geometry: box(d.center) });
  }
  for (const [i, tpl] of TEMPLATES.entries()) {
    await createOrUpdateTemplate(ctx, null, { categoryId: tpl.category ? categoryIds.get(tpl.category) ?? null : null, title: tpl.title, body: tpl.body, sort: i });
  }
  if (!categoryIds.size) return;

  // Three dozen sample requests over the last 80 days, in every state and through every channel.
  const rand = rng(20261125);
  const now = ctx.clock.now().getTime();
  const slugs = [...categoryIds.keys()];
  const channels: Channel[] = ['web', 'web', 'web', 'counter', 'phone', 'web', 'api'];
  const plan = ['resolved', 'resolved', 'in_progress', 'submitted', 'acknowledged', 'resolved', 'rejected', 'submitted', 'in_progress', 'resolved', 'acknowledged', 'submitted'];
  const count = 36;
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const slug = slugs[i % slugs.length];
    const district = DISTRICTS[Math.floor(rand() * DISTRICTS.length)];
    const created = new Date(now - Math.round((80 - (i * 78) / count) * 86_400_000) - Math.round(rand() * 6 * 3_600_000));
    const texts = TEXTS[slug];
    const withPoint = rand() < 0.7;
    const channel = channels[i % channels.length];
    const input: Record<string, unknown> = {
      category: slug, district: district.slug, address: `${STREETS[i % STREETS.length]}${i % 3 === 0 ? `, n° ${10 + i}` : ''}`,
      lat: withPoint ? (district.center[0] + (rand() - 0.5) * 0.008).toFixed(6) : '', lng: withPoint ? (district.center[1] + (rand() - 0.5) * 0.01).toFixed(6) : '',
      description: texts[i % texts.length], name: NAMES[i % NAMES.length], name_public: i % 4 === 0 ? '1' : '', email: '', phone: '',
      ...ANSWERS[slug](i),
    };
    const { reference, trackingCode } = await submitRequest(at(ctx, created), input, { channel, sample: true });
    refs.push(reference);
    const state = plan[i % plan.length];
    const later = (days: number) => at(ctx, new Date(Math.min(now - 3_600_000, created.getTime() + days * 86_400_000)));
    if (state === 'submitted') continue;
    await acknowledge(later(0.5), reference, { note: '' });
    if (state === 'acknowledged') continue;
    await startWork(later(1 + rand() * 2), reference, { note: i % 2 ? 'Une équipe est passée sur place ; les travaux sont programmés.' : '' });
    if (state === 'in_progress') continue;
    if (state === 'rejected') {
      if (i % 2) await reject(later(2), reference, { reason: 'not_competent', referral: 'Ce point relève de la Régie autonome de distribution d’eau et d’électricité ; vous pouvez aussi saisir le portail national https://www.chikaya.ma', note: '' });
      else if (refs.length > 2) await reject(later(2), reference, { reason: 'duplicate', duplicate_of: refs[refs.length - 3], note: 'Ce problème est déjà signalé.' });
      else await reject(later(2), reference, { reason: 'invalid', note: 'Le lieu indiqué ne permet pas d’identifier le problème.' });
      continue;
    }
    const days = 1 + rand() * (CATEGORIES.find((c) => c.slug === slug)!.sla * 1.8);
    await resolve(later(days), reference, { note: 'Intervention réalisée. Merci de votre signalement.' });
    // Some reporters answer "is it fixed?"; one reopens, one contests to the mediator, who rules.
    const feedbackAt = later(days + 1);
    if (i % 3 === 0) await giveFeedback(feedbackAt, { code: trackingCode }, { fixed: 'yes', satisfaction: String(3 + (i % 3)), comment: '' });
    else if (i === 10) await giveFeedback(feedbackAt, { code: trackingCode }, { fixed: 'no', satisfaction: '2', comment: '' });
    else if (i === 1 || i === 25) {
      await giveFeedback(feedbackAt, { code: trackingCode }, { fixed: 'no', satisfaction: '1', comment: '' });
      await resolve(later(days + 3), reference, { note: 'Deuxième intervention réalisée ; l’équipe repassera la semaine prochaine pour vérifier.' });
      await contest(later(days + 4), { code: trackingCode }, { reason: 'Le problème revient chaque semaine malgré les interventions.' });
      if (i === 1) await rule(later(days + 8), reference, { decision: 'upheld', ruling: 'Après examen du dossier et visite sur place, le problème persiste : la médiation demande à l’opérateur une collecte supplémentaire hebdomadaire dans cette rue et un suivi pendant deux mois.' });
    }
  }
}
