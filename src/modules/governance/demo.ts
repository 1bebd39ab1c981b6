import type { Ctx } from '../../core/service.ts';
import { createInstitution, type InstitutionInput } from './institutions.ts';

/** The eight lead institutions named by the plan, sample delegated operators, the endorsing associations and ATIL. */
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
  { slug: 'colombe-blanche', kind: 'civil_society', name: { fr: 'Association « Colombe blanche » pour les droits des personnes handicapées', ar: 'جمعية « الحمامة البيضاء » لحقوق الأشخاص في وضعية إعاقة', en: '“Colombe blanche” association for the rights of persons with disabilities' } },
  { slug: 'assaida-al-horra', kind: 'civil_society', name: { fr: 'Association « Assaida Al Horra » pour les femmes', ar: 'جمعية « السيدة الحرة » للنساء', en: '“Assaida Al Horra” women’s association' } },
  { slug: 'patrimoine-citoyennete', kind: 'civil_society', name: { fr: 'Association Patrimoine, citoyenneté et développement', ar: 'جمعية التراث والمواطنة والتنمية', en: 'Heritage, Citizenship and Development association' } },
  { slug: 'femme-activiste', kind: 'civil_society', name: { fr: 'Association « Femme activiste »', ar: 'جمعية « المرأة الناشطة »', en: '“Femme activiste” association' } },
  { slug: 'aesvt-tetouan', kind: 'civil_society', name: { fr: 'AESVT, enseignants des sciences de la vie et de la terre, filiale de Tétouan', ar: 'الجمعية المغربية لأساتذة علوم الحياة والأرض، فرع تطوان', en: 'AESVT, life and earth science teachers, Tétouan branch' } },
  { slug: 'atil', kind: 'monitor', name: { fr: 'Association d’initiatives locales de Tétouan (ATIL)', ar: 'جمعية المبادرات المحلية بتطوان', en: 'Tétouan Local Initiatives Association (ATIL)' }, description: { fr: 'Organisme indépendant de suivi du plan d’action, avec une expérience reconnue dans l’évaluation des programmes de développement local et de participation citoyenne.', ar: 'الهيئة المستقلة لتتبع خطة العمل، ذات خبرة معترف بها في تقييم برامج التنمية المحلية والمشاركة المواطنة.', en: 'Independent monitoring body of the action plan, with recognised experience in evaluating local development and citizen-participation programmes.' } },
];

export async function seedInstitutions(ctx: Ctx): Promise<void> {
  for (const [i, inst] of DEMO_INSTITUTIONS.entries()) await createInstitution(ctx, { ...inst, sort: i });
}
