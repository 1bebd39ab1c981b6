import type { Ctx } from '../../core/service.ts';
import { createInstitution, listInstitutions, type InstitutionInput } from './institutions.ts';
import { createBody, addMembers, recordDecision, createEndorsement, type BodyInput, type MemberInput } from './service.ts';
import type { Translated } from '../../core/i18n/index.ts';

/** The eight lead institutions named by the plan, sample delegated operators, the endorsing associations (named as the plan lists them) and ATIL. */
export const DEMO_INSTITUTIONS: InstitutionInput[] = [
  { slug: 'dgs', kind: 'department', lead: true, name: { fr: 'Direction générale des services communaux', ar: 'المديرية العامة للمصالح الجماعية', en: 'Directorate-General of Commune Services' } },
  { slug: 'grands-projets', kind: 'department', lead: true, name: { fr: 'Direction des grands projets et du plan d’action communal', ar: 'مديرية المشاريع الكبرى وبرنامج عمل الجماعة', en: 'Directorate of Major Projects and the Communal Action Plan' } },
  { slug: 'informatique', kind: 'department', lead: true, name: { fr: 'Direction de l’informatique et de la numérisation', ar: 'مديرية المعلوميات والرقمنة', en: 'Directorate of IT and Digitalisation' } },
  { slug: 'travaux', kind: 'department', lead: true, name: { fr: 'Direction des travaux communaux', ar: 'مديرية الأشغال الجماعية', en: 'Directorate of Commune Works' } },
  { slug: 'associations', kind: 'department', lead: true, name: { fr: 'Direction des relations associatives et de la solidarité sociale', ar: 'مديرية العلاقات مع الجمعيات والتضامن الاجتماعي', en: 'Directorate of Associative Relations and Social Solidarity' } },
  { slug: 'communication', kind: 'department', lead: true, name: { fr: 'Direction de la communication', ar: 'مديرية التواصل', en: 'Directorate of Communication' } },
  { slug: 'budget', kind: 'department', lead: true, name: { fr: 'Direction du budget', ar: 'مديرية الميزانية', en: 'Budget Directorate' } },
  { slug: 'secretariat-conseil', kind: 'department', lead: true, name: { fr: 'Secrétariat du Conseil communal', ar: 'كتابة المجلس الجماعي', en: 'Secretariat of the Commune Council' } },
  { slug: 'operateur-proprete', kind: 'operator', sample: true, name: { fr: 'Opérateur délégué de collecte des déchets', ar: 'المفوض له في جمع النفايات', en: 'Delegated waste-collection operator' } },
  { slug: 'operateur-transport', kind: 'operator', sample: true, name: { fr: 'Opérateur délégué du transport urbain', ar: 'المفوض له في النقل الحضري', en: 'Delegated urban-transport operator' } },
  { slug: 'colombe-blanche', kind: 'civil_society', name: { fr: 'Association « colombe blanche » pour les droits des personnes handicapées', ar: 'جمعية « الحمامة البيضاء » لحقوق الأشخاص في وضعية إعاقة', en: '“Colombe blanche” association for the rights of persons with disabilities' } },
  { slug: 'assaida-al-horra', kind: 'civil_society', name: { fr: 'Association « ASSAIDA AL HORRA » pour les femmes', ar: 'جمعية « السيدة الحرة » للنساء', en: '“Assaida Al Horra” women’s association' } },
  { slug: 'patrimoine-citoyennete', kind: 'civil_society', name: { fr: 'Association PATRIMOINE CITOYENNETE ET DEVELOPPEMENT', ar: 'جمعية التراث والمواطنة والتنمية', en: 'Heritage, Citizenship and Development association' } },
  { slug: 'femme-activiste', kind: 'civil_society', name: { fr: 'Association « FEMME activiste »', ar: 'جمعية « المرأة الناشطة »', en: '“Femme activiste” association' } },
  { slug: 'aesvt-tetouan', kind: 'civil_society', name: { fr: 'Association AESVT enseignants des sciences de la vie et de la terre – filiale de Tétouan', ar: 'الجمعية المغربية لأساتذة علوم الحياة والأرض، فرع تطوان', en: 'AESVT, life and earth science teachers, Tétouan branch' } },
  { slug: 'atil', kind: 'monitor', name: { fr: 'Association d’initiatives locales de Tétouan (ATIL)', ar: 'جمعية المبادرات المحلية بتطوان', en: 'Tétouan Local Initiatives Association (ATIL)' }, description: { fr: 'Organisme indépendant de suivi du plan d’action, avec une expérience reconnue dans l’évaluation des programmes de développement local et de participation citoyenne.', ar: 'الهيئة المستقلة لتتبع خطة العمل، ذات خبرة معترف بها في تقييم برامج التنمية المحلية والمشاركة المواطنة.', en: 'Independent monitoring body of the action plan, with recognised experience in evaluating local development and citizen-participation programmes.' } },
];

export async function seedInstitutions(ctx: Ctx): Promise<void> {
  for (const [i, inst] of DEMO_INSTITUTIONS.entries()) await createInstitution(ctx, { ...inst, sort: i });
}

const axis4 = { fr: '(axe 4 du plan)', ar: '(المحور 4 من الخطة)', en: '(axis 4 of the plan)' };

/** The three spaces the plan describes: the joint steering committee, the stakeholders' forum, and the thematic consultation bodies of axis 4. */
export const DEMO_BODIES: BodyInput[] = [
  {
    slug: 'comite-pilotage', kind: 'steering', parity: true, decisionRule: 'consensus',
    name: { fr: 'Comité de pilotage paritaire', ar: 'لجنة القيادة المشتركة', en: 'Joint steering committee' },
    description: {
      fr: 'Composé à parité de représentants de la société civile et de représentants de la commune (élus et administration), ses décisions sont prises par consensus. Il guide la co-création et la mise en œuvre du plan d’action, en supervise la mise en œuvre, organise sa mise à jour à mi-parcours et propose les corrections et améliorations qu’il juge nécessaires.',
      ar: 'تتكون مناصفةً من ممثلين عن المجتمع المدني وممثلين عن الجماعة (منتخبون وإدارة)، وتُتخذ قراراتها بالتوافق. توجّه البناء المشترك لخطة العمل وتنفيذها، وتشرف على تنفيذها، وتنظم تحيينها في منتصف المدة، وتقترح التصحيحات والتحسينات التي تراها ضرورية.',
      en: 'Made up in equal numbers of civil-society representatives and commune representatives (elected officials and administration), it decides by consensus. It guides the co-creation and implementation of the action plan, oversees its implementation, organises its mid-term update and proposes the corrections and improvements it deems necessary.',
    },
  },
  {
    slug: 'forum-parties-prenantes', kind: 'forum', parity: false, decisionRule: 'consultative',
    name: { fr: 'Forum des parties prenantes', ar: 'منتدى الأطراف المعنية', en: 'Stakeholders’ forum' },
    description: {
      fr: 'L’espace de participation ouvert à la société civile pour contribuer au suivi et à l’actualisation du plan. Les ateliers de co-création du plan y ont été animés par les associations membres du comité de pilotage.',
      ar: 'فضاء المشاركة المفتوح أمام المجتمع المدني للمساهمة في تتبع الخطة وتحيينها. وقد نشّطت فيه الجمعيات الأعضاء في لجنة القيادة ورشات البناء المشترك للخطة.',
      en: 'The participation space open to civil society to help monitor and update the plan. The plan’s co-creation workshops were held there, led by the associations on the steering committee.',
    },
  },
  {
    slug: 'instance-genre', kind: 'gender', parity: false, decisionRule: 'consultative',
    name: { fr: 'Instance de concertation genre', ar: 'هيئة التشاور حول النوع الاجتماعي', en: 'Gender consultation body' },
    description: {
      fr: `Instance de concertation chargée de contribuer à l’élaboration d’un plan d’action thématique pour l’égalité entre les femmes et les hommes ${axis4.fr}.`,
      ar: `هيئة تشاورية مكلفة بالمساهمة في إعداد خطة عمل موضوعاتية للمساواة بين النساء والرجال ${axis4.ar}.`,
      en: `Consultation body helping to draw up a thematic action plan for equality between women and men ${axis4.en}.`,
    },
  },
  {
    slug: 'instance-handicap', kind: 'disability', parity: false, decisionRule: 'consultative',
    name: { fr: 'Instance de concertation handicap', ar: 'هيئة التشاور حول الإعاقة', en: 'Disability consultation body' },
    description: {
      fr: `Instance de concertation chargée de contribuer à l’élaboration d’un plan d’action thématique pour l’inclusion des personnes en situation de handicap ${axis4.fr}.`,
      ar: `هيئة تشاورية مكلفة بالمساهمة في إعداد خطة عمل موضوعاتية لإدماج الأشخاص في وضعية إعاقة ${axis4.ar}.`,
      en: `Consultation body helping to draw up a thematic action plan for the inclusion of persons with disabilities ${axis4.en}.`,
    },
  },
  {
    slug: 'instance-jeunesse', kind: 'youth', parity: false, decisionRule: 'consultative',
    name: { fr: 'Instance de concertation jeunesse', ar: 'هيئة التشاور حول الشباب', en: 'Youth consultation body' },
    description: {
      fr: `Instance de concertation chargée de contribuer à l’élaboration d’un plan d’action thématique pour les jeunes ${axis4.fr}.`,
      ar: `هيئة تشاورية مكلفة بالمساهمة في إعداد خطة عمل موضوعاتية خاصة بالشباب ${axis4.ar}.`,
      en: `Consultation body helping to draw up a thematic action plan for young people ${axis4.en}.`,
    },
  },
];

const president: Translated = { fr: 'Président', ar: 'رئيس', en: 'President' };
const presidente: Translated = { fr: 'Présidente', ar: 'رئيسة', en: 'President' };
const presidentOf: Translated = { fr: 'Président de l’association', ar: 'رئيس الجمعية', en: 'President of the association' };
const presidenteOf: Translated = { fr: 'Présidente de l’association', ar: 'رئيسة الجمعية', en: 'President of the association' };

/**
 * Sample composition of the steering committee (the plan does not name its members): four
 * presidents of endorsing associations for civil society, four elected officials and staff for the commune.
 */
const DEMO_STEERING_MEMBERS: (Omit<MemberInput, 'institutionId'> & { institution?: string })[] = [
  { personName: 'Ahmed AIDANI', side: 'civil_society', institution: 'colombe-blanche', roleTitle: presidentOf, since: '2022-06-01', sample: true },
  { personName: 'Amina EL MAHMOUDI', side: 'civil_society', institution: 'assaida-al-horra', roleTitle: presidenteOf, since: '2022-06-01', sample: true },
  { personName: 'Abdelouahab IDELHAJ', side: 'civil_society', institution: 'patrimoine-citoyennete', roleTitle: presidentOf, since: '2022-06-01', sample: true },
  { personName: 'Tourine EL BERRAJ', side: 'civil_society', institution: 'femme-activiste', roleTitle: presidenteOf, since: '2022-06-01', sample: true },
  { personName: 'Nadia El Amrani', side: 'commune', roleTitle: { fr: 'Vice-présidente du conseil communal', ar: 'نائبة رئيس المجلس الجماعي', en: 'Vice-president of the commune council' }, since: '2022-06-01', sample: true },
  { personName: 'Youssef Benali', side: 'commune', roleTitle: { fr: 'Conseiller communal délégué à la démocratie participative', ar: 'مستشار جماعي مفوض في الديمقراطية التشاركية', en: 'Councillor for participatory democracy' }, since: '2022-06-01', sample: true },
  { personName: 'Samira Tahiri', side: 'commune', institution: 'dgs', roleTitle: { fr: 'Directrice générale des services communaux', ar: 'المديرة العامة للمصالح الجماعية', en: 'Director-General of commune services' }, since: '2022-06-01', sample: true },
  { personName: 'Hicham Ouazzani', side: 'commune', institution: 'grands-projets', roleTitle: { fr: 'Coordinateur de l’équipe technique OGP', ar: 'منسق الفريق التقني للحكومة المنفتحة', en: 'Coordinator of the OGP technical team' }, since: '2022-06-01', sample: true },
];

/** The plan's "approval by non-governmental stakeholders", as listed. */
const DEMO_ENDORSEMENTS: { personName: string; personTitle: Translated; institution: string }[] = [
  { personName: 'Ahmed AIDANI', personTitle: president, institution: 'colombe-blanche' },
  { personName: 'Amina EL MAHMOUDI', personTitle: presidente, institution: 'assaida-al-horra' },
  { personName: 'Abdelouahab IDELHAJ', personTitle: president, institution: 'patrimoine-citoyennete' },
  { personName: 'Tourine EL BERRAJ', personTitle: presidente, institution: 'femme-activiste' },
  { personName: 'Amine HOURAIRI', personTitle: president, institution: 'aesvt-tetouan' },
];

/** The bodies, the sample composition of the steering committee and its sample decision. */
export async function seedBodies(ctx: Ctx): Promise<void> {
  const ids = new Map((await listInstitutions(ctx)).map((i) => [i.slug, i.id]));
  const inst = (slug?: string) => (slug ? ids.get(slug) ?? null : null);
  const bodyIds = new Map<string, number>();
  for (const [i, b] of DEMO_BODIES.entries()) bodyIds.set(b.slug, await createBody(ctx, { ...b, sort: i }));
  const steering = bodyIds.get('comite-pilotage')!;
  await addMembers(ctx, steering, DEMO_STEERING_MEMBERS.map(({ institution, ...m }) => ({ ...m, institutionId: inst(institution) })));
  await recordDecision(ctx, steering, {
    decidedOn: '2023-03-15', outcome: 'consensus', sample: true,
    title: { fr: 'Validation de la matrice de suivi du plan d’action', ar: 'المصادقة على مصفوفة تتبع خطة العمل', en: 'Approval of the action plan’s monitoring matrix' },
    notes: {
      fr: 'La matrice de suivi élaborée par l’équipe technique OGP, qui indique pour chaque engagement les actions prévues, les résultats à atteindre et les indicateurs associés, est validée. Elle sera remplie lors des réunions semestrielles avec les services communaux.',
      ar: 'تمت المصادقة على مصفوفة التتبع التي أعدها الفريق التقني، والتي تحدد لكل التزام الإجراءات المبرمجة والنتائج المنتظرة والمؤشرات المرتبطة بها. وسيتم ملؤها خلال الاجتماعات نصف السنوية مع المصالح الجماعية.',
      en: 'The monitoring matrix drawn up by the OGP technical team, giving for each commitment the planned actions, the results to reach and their indicators, is approved. It will be filled in at the half-yearly meetings with the commune departments.',
    },
  });
}

export async function seedEndorsements(ctx: Ctx): Promise<void> {
  const ids = new Map((await listInstitutions(ctx, ['civil_society'])).map((i) => [i.slug, i.id]));
  for (const [i, e] of DEMO_ENDORSEMENTS.entries()) {
    await createEndorsement(ctx, { personName: e.personName, personTitle: e.personTitle, institutionId: ids.get(e.institution)!, sort: i });
  }
}

/** The module's demo: institutions first (other modules refer to them), then bodies with members and a decision, then the endorsements. */
export async function seedGovernance(ctx: Ctx): Promise<void> {
  await seedInstitutions(ctx);
  await seedBodies(ctx);
  await seedEndorsements(ctx);
}
