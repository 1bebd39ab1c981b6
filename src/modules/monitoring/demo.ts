import type { Ctx } from '../../core/service.ts';
import { listInstitutions } from '../governance/institutions.ts';
import { spreadTranslated } from '../../core/http/forms.ts';
import * as svc from './service.ts';
import * as repo from './repo.ts';
import { addDays } from '../../core/clock/index.ts';
import { localDay } from '../../core/clock/working-days.ts';
import type { Completion, OpenGov } from './schema.ts';

const T = (fr: string, ar: string, en: string) => ({ fr, ar, en });

const SECTIONS = [
  {
    heading: T('Méthodologie du suivi', 'منهجية التتبع', 'Monitoring method'),
    body: T(
      'Ce rapport d’exemple illustre le rapport annuel de l’organisme indépendant de suivi. ATIL a exploité la matrice de suivi semestrielle transmise par l’équipe technique OGP, les preuves publiées sur la plateforme et des entretiens avec les services communaux et les associations membres du comité de pilotage.\n\nChaque engagement est apprécié selon les niveaux d’achèvement d’OGP et la question « a-t-il ouvert le gouvernement ? ».',
      'يوضح هذا التقرير النموذجي التقرير السنوي للهيئة المستقلة للتتبع. اعتمدت الجمعية على مصفوفة التتبع نصف السنوية التي أرسلها الفريق التقني للشراكة، وعلى الأدلة المنشورة في المنصة، وعلى مقابلات مع المصالح الجماعية والجمعيات الأعضاء في لجنة القيادة.\n\nيُقيَّم كل التزام حسب مستويات الإنجاز المعتمدة في الشراكة وسؤال « هل فتح الحكومة؟ ».',
      'This sample report illustrates the independent monitoring body’s annual report. ATIL used the half-yearly monitoring matrix sent by the OGP technical team, the evidence published on the platform, and interviews with commune departments and the associations sitting on the steering committee.\n\nEach commitment is assessed against the OGP completion levels and the question “did it open government?”.',
    ),
  },
  {
    heading: T('Constats généraux', 'الملاحظات العامة', 'General findings'),
    body: T(
      'La publication proactive des documents budgétaires progresse, mais leur vulgarisation reste à faire pour les citoyens peu familiers des chiffres.\n\nLe suivi public du plan est en place ; les délais de mise à jour par les services restent inégaux. Les personnes âgées et les habitants des quartiers périphériques utilisent peu les outils en ligne : les guichets physiques demeurent indispensables.',
      'يتقدم النشر الاستباقي للوثائق الميزانياتية، لكن تبسيطها لفائدة المواطنين غير المتعودين على الأرقام لم يُنجز بعد.\n\nالتتبع العمومي للخطة قائم؛ غير أن آجال التحيين من طرف المصالح تبقى متفاوتة. يستعمل المسنون وسكان الأحياء الهامشية الأدوات الرقمية قليلًا: تبقى الشبابيك الحضورية ضرورية.',
      'Proactive publication of budget documents is progressing, but explaining them to citizens unfamiliar with figures remains to be done.\n\nPublic monitoring of the plan is in place; departments update their rows with uneven delays. Older people and residents of outlying neighbourhoods rarely use online tools: in-person counters remain essential.',
    ),
  },
];

const ASSESSMENTS: { completion: Completion; openGov: OpenGov | null; justification: ReturnType<typeof T>; links: string[] }[] = [
  {
    completion: 'completed', openGov: 'major',
    justification: T(
      'Exemple : les jalons prévus sont réalisés et les preuves sont publiques. Les associations consultées confirment un changement réel des pratiques d’accès à l’information.',
      'مثال: أُنجزت المراحل المبرمجة والأدلة منشورة للعموم. تؤكد الجمعيات المستشارة تغييرًا فعليًا في ممارسات الولوج إلى المعلومة.',
      'Sample: the planned milestones are done and the evidence is public. The associations consulted confirm a real change in access-to-information practice.',
    ),
    links: ['https://www.opengovpartnership.org/members/tetouan-morocco/'],
  },
  {
    completion: 'substantial', openGov: 'marginal',
    justification: T(
      'Exemple : la plupart des actions sont engagées ; l’effet sur la participation reste limité faute de relais dans les quartiers.',
      'مثال: انطلقت أغلب الإجراءات؛ يبقى الأثر على المشاركة محدودًا لغياب وسطاء في الأحياء.',
      'Sample: most actions are under way; the effect on participation remains limited for lack of relays in the neighbourhoods.',
    ),
    links: [],
  },
  {
    completion: 'limited', openGov: null,
    justification: T(
      'Exemple : les travaux ont commencé tard ; il est trop tôt pour juger de l’ouverture obtenue.',
      'مثال: انطلقت الأشغال متأخرة؛ من السابق لأوانه الحكم على الانفتاح المحقق.',
      'Sample: work started late; it is too early to judge the openness achieved.',
    ),
    links: [],
  },
];

const RECOMMENDATIONS = [
  {
    institution: 'budget', priority: 'high',
    body: T('Publier chaque année un budget citoyen en français et en arabe, lu à voix haute lors d’une réunion publique.', 'نشر ميزانية مواطنة كل سنة بالعربية والفرنسية، وقراءتها بصوت عالٍ في اجتماع عمومي.', 'Publish a citizens’ budget every year in French and Arabic, read aloud at a public meeting.'),
    answer: { decision: 'accepted', status: 'in_progress', due: 120, measure: T('Un budget citoyen bilingue sera préparé avec deux associations et présenté au forum des parties prenantes.', 'ستُعد ميزانية مواطنة بلغتين بشراكة مع جمعيتين وتُقدَّم في منتدى الأطراف المعنية.', 'A bilingual citizens’ budget will be prepared with two associations and presented at the stakeholder forum.'),
      updates: [{ on: 0, status: 'in_progress', note: T('Maquette du budget citoyen validée par l’équipe OGP.', 'صادق الفريق التقني على نموذج الميزانية المواطنة.', 'Citizens’ budget mock-up approved by the OGP team.') }] },
  },
  {
    institution: 'dgs', priority: 'medium',
    body: T('Fixer un délai de mise à jour de la matrice de suivi à chaque service et publier les retards.', 'تحديد أجل لتحيين مصفوفة التتبع لكل مصلحة ونشر حالات التأخر.', 'Set each department a deadline to update the monitoring matrix and publish delays.'),
    answer: { decision: 'partly', status: 'planned', due: 300, measure: T('Les délais seront fixés par note de service ; les retards seront publiés de façon agrégée, sans nommer les agents.', 'ستُحدد الآجال بمذكرة مصلحية؛ وستُنشر حالات التأخر بشكل إجمالي دون ذكر أسماء الموظفين.', 'Deadlines will be set by internal memo; delays will be published in aggregate, without naming staff.'), updates: [] },
  },
  {
    institution: 'communication', priority: 'low',
    body: T('Garder un guichet physique d’information sur le plan dans chaque arrondissement pour les personnes âgées.', 'الإبقاء على شباك حضوري للإخبار بالخطة في كل مقاطعة لفائدة المسنين.', 'Keep an in-person information counter on the plan in each district for older people.'),
    answer: { decision: 'accepted', status: 'done', due: 30, measure: T('Un point d’information est ouvert dans chaque arrondissement, deux matinées par semaine.', 'فُتحت نقطة إخبار في كل مقاطعة صباح يومين في الأسبوع.', 'An information desk is open in each district two mornings a week.'),
      updates: [
        { on: 0, status: 'done', note: T('Agents d’accueil formés ; points d’information ouverts dans tous les arrondissements.', 'تكوين أعوان الاستقبال وفتح نقط الإخبار في جميع المقاطعات.', 'Counter staff trained; information desks open in every district.') },
      ] },
  },
] as const;

/** A sample 2025 annual report by ATIL on the OGP plan, published, with the commune's answers. */
export async function seedMonitoring(ctx: Ctx): Promise<void> {
  const db = repo.mon(ctx.db);
  const plan = await repo.findPlanBySlug(db, ctx.commune.id, 'ogp-2023');
  if (!plan) return;
  const reportId = await svc.createReport(ctx, {
    plan_id: String(plan.id), year: '2025',
    ...spreadTranslated(T('Rapport annuel de suivi 2025 (exemple)', 'تقرير التتبع السنوي 2025 (نموذج)', 'Annual monitoring report 2025 (sample)'), 'title'),
  }, { sample: true });
  for (const s of SECTIONS) await svc.saveSection(ctx, reportId, null, { ...spreadTranslated(s.heading, 'heading'), ...spreadTranslated(s.body, 'body') });

  // Commitments below the axes when the plan has them, else the axes themselves.
  const tree = await svc.commitmentChoices(ctx, plan.id);
  const targets = (tree.some((c) => c.depth > 0) ? tree.filter((c) => c.depth > 0) : tree).slice(0, ASSESSMENTS.length);
  for (const [i, c] of targets.entries()) {
    const a = ASSESSMENTS[i];
    await svc.saveAssessment(ctx, reportId, null, {
      commitment_id: String(c.id), completion: a.completion, open_gov: a.openGov ?? '', links: a.links.join('\n'), ...spreadTranslated(a.justification, 'justification'),
    });
  }
  const institutions = await listInstitutions(ctx);
  for (const r of RECOMMENDATIONS) {
    const inst = institutions.find((i) => i.slug === r.institution);
    await svc.saveRecommendation(ctx, reportId, null, {
      ...spreadTranslated(r.body, 'body'), institution_id: inst ? String(inst.id) : '', addressed_to: inst ? '' : r.institution, priority: r.priority,
    });
  }
  await svc.publish(ctx, reportId);

  // Due dates count from today (in days), so the sample stays current; updates are dated today.
  const day = (offset: number) => localDay(addDays(ctx.clock.now(), offset));
  for (const [i, r] of RECOMMENDATIONS.entries()) {
    const inst = institutions.find((x) => x.slug === r.institution);
    await svc.answerRecommendation(ctx, reportId, i + 1, {
      decision: r.answer.decision, ...spreadTranslated(r.answer.measure, 'measure'), owner_institution_id: inst ? String(inst.id) : '', due_date: day(r.answer.due),
      status: r.answer.updates.length ? 'planned' : r.answer.status,
    });
    for (const u of r.answer.updates) {
      await svc.addUpdate(ctx, reportId, i + 1, { on_date: day(u.on), status: u.status, ...spreadTranslated(u.note, 'note') });
    }
  }

  // The OGP Local end-of-commitment assessment of the commitment the monitor found completed.
  const completed = targets[ASSESSMENTS.findIndex((a) => a.completion === 'completed')];
  if (completed) {
    await svc.saveEndAssessment(ctx, completed.id, {
      open_gov: 'major',
      ...spreadTranslated(T(
        'Exemple : l’équipe OGP estime que l’engagement a nettement ouvert la gestion communale : les documents sont publiés à date fixe et consultés, et les associations les utilisent dans leurs plaidoyers.',
        'مثال: يرى الفريق التقني أن الالتزام فتح التدبير الجماعي بشكل واضح: تُنشر الوثائق في مواعيد محددة وتُطالع، وتستعملها الجمعيات في ترافعها.',
        'Sample: the OGP team considers that the commitment clearly opened commune management: documents are published on fixed dates and read, and associations use them in their advocacy.',
      ), 'justification'),
    }, { sample: true });
  }
}
