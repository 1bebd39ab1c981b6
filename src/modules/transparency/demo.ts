import type { Ctx } from '../../core/service.ts';
import { mutate } from '../../core/service.ts';
import { iso } from '../../core/clock/index.ts';
import { storagePath } from '../../core/files/index.ts';
import { runDueJobs } from '../../core/jobs/index.ts';
import type { Translated } from '../../core/i18n/index.ts';
import { listInstitutions } from '../governance/institutions.ts';
import { listCommitments, listPlans } from '../accountability/service.ts';
import { tdb } from './db.ts';
import * as docs from './documents/service.ts';
import { extractText } from './documents/files.ts';
import { indexDocument } from './documents/search.ts';
import { seedRegister } from './register/service.ts';
import * as council from './council/service.ts';
import { samplePdf, sampleDocx, sampleOdt, sampleXlsx } from './samples.ts';

const T = (fr: string, ar: string, en: string): Translated => ({ fr, ar, en });
const DAY = 86_400_000;

/**
 * The transparency part of the Tétouan demo, every row marked sample: documents (generated PDF, DOCX, ODT, XLSX,
 * an Arabic PDF, a scan without text, an embargoed and a withdrawn one), the Law 31-13 register (reference data)
 * whose items get mixed statuses from the documents' dates, and three council sessions with deliberations, some
 * linked to plan commitments 1.1 and 1.3.
 */
export async function seedTransparency(ctx: Ctx): Promise<void> {
  const now = ctx.clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const year = now.getUTCFullYear();
  const insts = await listInstitutions(ctx);
  const inst = (slug: string) => insts.find((i) => i.slug === slug)?.id ?? null;
  await seedRegister(ctx);
  const items = await tdb(ctx.db).selectFrom('register_items').select(['id', 'code']).where('commune_id', '=', ctx.commune.id).execute();
  const item = (code: string) => items.find((i) => i.code === code)!.id;
  const commitments: Record<string, number> = {};
  for (const p of await listPlans(ctx)) for (const c of await listCommitments(ctx, p.slug)) commitments[c.number] ??= c.id;

  // ---------- Council sessions ----------
  const feb = await council.createSession(ctx, { kind: 'ordinary', title: T(`Session ordinaire de février ${year}`, `الدورة العادية لشهر فبراير ${year}`, `February ${year} ordinary session`),
    startsAt: iso(new Date(Date.UTC(year, 1, 3, 9, 0))), endsAt: iso(new Date(Date.UTC(year, 1, 3, 13, 0))), place: T('Salle des délibérations, hôtel de ville', 'قاعة المداولات، مقر الجماعة', 'Council chamber, town hall'), status: 'held', sample: true });
  const may = await council.createSession(ctx, { kind: 'ordinary', title: T(`Session ordinaire de mai ${year}`, `الدورة العادية لشهر ماي ${year}`, `May ${year} ordinary session`),
    startsAt: iso(new Date(Date.UTC(year, 4, 5, 9, 0))), endsAt: iso(new Date(Date.UTC(year, 4, 5, 14, 0))), place: T('Salle des délibérations, hôtel de ville', 'قاعة المداولات، مقر الجماعة', 'Council chamber, town hall'), status: 'held', sample: true });
  const next = new Date(now.getTime() + 20 * DAY);
  const extra = await council.createSession(ctx, { kind: 'extraordinary', title: T('Session extraordinaire : programme d’action de la commune', 'دورة استثنائية: برنامج عمل الجماعة', 'Extraordinary session: communal action programme'),
    startsAt: iso(new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate(), 9, 30))), endsAt: null,
    place: T('Salle des délibérations, hôtel de ville', 'قاعة المداولات، مقر الجماعة', 'Council chamber, town hall'), status: 'planned', sample: true });
  const febBudget = await council.addAgendaItem(ctx, feb, { title: T('Examen et vote du budget', 'دراسة الميزانية والتصويت عليها', 'Review and vote of the budget'), summary: {} });
  const febAccess = await council.addAgendaItem(ctx, feb, { title: T('Charte communale d’accès à l’information', 'الميثاق الجماعي للحق في الحصول على المعلومات', 'Commune charter on access to information'), summary: {} });
  const mayAccount = await council.addAgendaItem(ctx, may, { title: T('Compte administratif de l’exercice écoulé', 'الحساب الإداري للسنة المنصرمة', 'Administrative account of the past year'), summary: {} });
  const mayTransport = await council.addAgendaItem(ctx, may, { title: T('Convention de gestion déléguée du transport urbain', 'اتفاقية التدبير المفوض للنقل الحضري', 'Delegated management agreement for urban transport'), summary: {} });
  await council.addAgendaItem(ctx, extra, { title: T('Mise à jour du programme d’action de la commune', 'تحيين برنامج عمل الجماعة', 'Update of the communal action programme'), summary: {} });
  const delBudget = await council.addDeliberation(ctx, feb, { itemId: febBudget, title: T('Adoption du budget de la commune', 'المصادقة على ميزانية الجماعة', 'Adoption of the commune’s budget'),
    text: T('Le conseil adopte le budget primitif, dont une version vulgarisée sera publiée en français et en arabe.', 'صادق المجلس على الميزانية الأولية، وستنشر نسخة مبسطة منها بالعربية والفرنسية.', 'The council adopts the budget; a plain-language version will be published in French and Arabic.'),
    decision: 'adopted', consensus: false, votesFor: 38, votesAgainst: 9, votesAbstention: 4, commitmentIds: commitments['1.1'] ? [commitments['1.1']] : [], sample: true });
  await council.addDeliberation(ctx, feb, { itemId: febAccess, title: T('Charte d’accès à l’information et publication proactive', 'ميثاق الحصول على المعلومات والنشر الاستباقي', 'Access-to-information charter and proactive publication'),
    text: T('Le conseil adopte la charte et charge le Secrétariat de publier ordres du jour, procès-verbaux et délibérations à chaque session.', 'صادق المجلس على الميثاق وكلف الكتابة بنشر جداول الأعمال والمحاضر والمقررات عند كل دورة.', 'The council adopts the charter and asks the Secretariat to publish agendas, minutes and deliberations at each session.'),
    decision: 'adopted', consensus: true, votesFor: null, votesAgainst: null, votesAbstention: null, commitmentIds: commitments['1.3'] ? [commitments['1.3']] : [], sample: true });
  await council.addDeliberation(ctx, may, { itemId: mayAccount, title: T('Approbation du compte administratif', 'المصادقة على الحساب الإداري', 'Approval of the administrative account'),
    text: T('Le compte administratif est approuvé.', 'تمت المصادقة على الحساب الإداري.', 'The administrative account is approved.'), decision: 'adopted', consensus: false, votesFor: 31, votesAgainst: 12, votesAbstention: 2, sample: true });
  await council.addDeliberation(ctx, may, { itemId: mayTransport, title: T('Avenant à la convention de transport urbain', 'ملحق اتفاقية النقل الحضري', 'Amendment to the urban-transport agreement'),
    text: T('Le point est reporté à la prochaine session, dans l’attente de l’avis de la commission.', 'تأجيل النقطة إلى الدورة المقبلة في انتظار رأي اللجنة.', 'Postponed to the next session pending the committee’s opinion.'), decision: 'postponed', consensus: false, votesFor: 20, votesAgainst: 22, votesAbstention: 5, sample: true });

  // ---------- Documents ----------
  type Spec = Omit<docs.StoreInput, 'sample' | 'publish'> & { at: Date | null; extra?: { file: docs.StoreInput['file']; language: 'fr' | 'ar' | 'en' }[] };
  const specs: Spec[] = [
    { kind: 'budget', title: T(`Budget de la commune ${year}`, `ميزانية الجماعة ${year}`, `Commune budget ${year}`), summary: T('Budget adopté en session de février, en version intégrale.', 'الميزانية المصادق عليها في دورة فبراير، النسخة الكاملة.', 'Budget adopted at the February session, full version.'),
      year, institutionId: inst('budget'), language: 'fr', at: ago(300),
      file: { bytes: samplePdf({ title: `Budget primitif ${year} de la commune de Tetouan`, lines: ['Recettes de fonctionnement, dépenses d’investissement et programme d’équipement.', 'Données d’exemple (démonstration).'] }), name: `budget-${year}.pdf` },
      extra: [{ language: 'ar', file: { bytes: samplePdf({ title: `Budget ${year} (version arabe)`, hidden: `ميزانية جماعة تطوان لسنة ${year} المداخيل والمصاريف وبرنامج التجهيز` }), name: `ميزانية-${year}.pdf` } }],
      links: [{ type: 'register_item', id: item('art10-budget') }, { type: 'council_session', id: feb }, ...(commitments['1.1'] ? [{ type: 'commitment' as const, id: commitments['1.1'] }] : [])] },
    { kind: 'administrative_account', title: T(`Compte administratif ${year - 2}`, `الحساب الإداري ${year - 2}`, `Administrative account ${year - 2}`), year: year - 2, institutionId: inst('budget'), language: 'fr', at: ago(560),
      file: { bytes: sampleXlsx([['Chapitre', 'Prévisions', 'Réalisations'], ['Voirie', '12 000 000', '10 450 000'], ['Éclairage public', '4 500 000', '4 120 000']]), name: `compte-administratif-${year - 2}.xlsx` },
      links: [{ type: 'register_item', id: item('art10-account') }] },
    { kind: 'minutes', title: T(`Procès-verbal de la session de février ${year}`, `محضر دورة فبراير ${year}`, `Minutes of the February ${year} session`), year, institutionId: inst('secretariat-conseil'), language: 'fr', at: ago(270),
      file: { bytes: sampleDocx([`Procès-verbal de la session ordinaire de février ${year}.`, 'Le conseil a délibéré sur le budget et la charte d’accès à l’information.']), name: `pv-fevrier-${year}.docx` },
      links: [{ type: 'council_session', id: feb }, { type: 'register_item', id: item('art10-council') }] },
    { kind: 'agenda', title: T('Ordre du jour de la session extraordinaire', 'جدول أعمال الدورة الاستثنائية', 'Agenda of the extraordinary session'), year, institutionId: inst('secretariat-conseil'), language: 'ar', at: ago(5),
      file: { bytes: samplePdf({ title: 'Ordre du jour (version arabe)', hidden: 'جدول أعمال الدورة الاستثنائية تحيين برنامج عمل الجماعة' }), name: 'جدول-الأعمال.pdf' },
      links: [{ type: 'council_session', id: extra }, { type: 'register_item', id: item('art10-council') }] },
    { kind: 'user_guide', title: T('Guide des procédures administratives', 'دليل المساطر الإدارية', 'Guide to administrative procedures'), year: year - 1, institutionId: inst('informatique'), language: 'fr', at: ago(200),
      file: { bytes: sampleOdt(['Guide de l’usager : pièces à fournir, délais et coûts de chaque service communal.', 'Légalisation de signature, certificat de résidence, autorisation de construire.']), name: 'guide-procedures.odt' },
      links: [{ type: 'register_item', id: item('art10-procedures') }] },
    { kind: 'tender', title: T(`Programme prévisionnel des marchés ${year}`, `البرنامج التوقعي للصفقات ${year}`, `Forecast procurement programme ${year}`), year, institutionId: inst('travaux'), language: 'fr', at: ago(330),
      file: { bytes: Buffer.from(`objet;montant estimé;trimestre\nRéfection de la voirie de la médina;3500000;T2\nÉclairage LED;1200000;T3\n`), name: `marches-${year}.csv` },
      links: [{ type: 'register_item', id: item('art10-procurement-plan') }] },
    { kind: 'procedure', title: T('Arrêté d’organisation des services communaux', 'قرار تنظيم المصالح الجماعية', 'Order on the organisation of the commune’s services'), year: year - 3, institutionId: inst('dgs'), language: 'fr', at: ago(900),
      file: { bytes: samplePdf({ title: 'scan', noText: true }), name: 'arrete-organisation-scan.pdf' },
      links: [{ type: 'register_item', id: item('art10-missions') }] },
    { kind: 'study', title: T('Étude de mobilité urbaine', 'دراسة التنقل الحضري', 'Urban mobility study'), year: year - 1, institutionId: inst('grands-projets'), language: 'fr', at: ago(150),
      file: { bytes: samplePdf({ title: 'Etude de mobilite urbaine (version provisoire)', lines: ['Comptages de trafic et enquête ménages.'] }), name: 'etude-mobilite.pdf' } },
    { kind: 'budget', title: T(`Projet de budget ${year + 1}`, `مشروع ميزانية ${year + 1}`, `Draft budget ${year + 1}`), year: year + 1, institutionId: inst('budget'), language: 'fr', at: null,
      embargoUntil: iso(new Date(now.getTime() + 30 * DAY)),
      file: { bytes: samplePdf({ title: `Projet de budget ${year + 1} sous embargo`, lines: ['Document sous embargo jusqu’à sa présentation au conseil.'] }), name: `projet-budget-${year + 1}.pdf` } },
  ];
  const ids: number[] = [];
  for (const s of specs) {
    const id = await docs.createDocument(ctx, { ...s, publish: true, sample: true });
    ids.push(id);
    for (const e of s.extra ?? []) await docs.addDocumentFile(ctx, id, { file: e.file, language: e.language });
    if (s.at) {
      // Sample history: the document was published on that date (the register's statuses follow from it).
      const at = iso(s.at);
      await mutate(ctx, { permission: docs.PUBLISH, action: 'document.backdate', entity: 'document' }, async (trx) => {
        await tdb(trx).updateTable('documents').set({ published_at: at, created_at: at, updated_at: at }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
        await indexDocument(trx, ctx.commune.id, id, iso(now));
        return { result: undefined, entityId: id, after: { published_at: at, sample: true } };
      });
    }
  }
  // The mobility study was published with an error and withdrawn.
  await docs.withdrawDocument(ctx, ids[7], 'Version provisoire publiée par erreur ; la version définitive sera publiée après validation.');
  await council.linkDeliberation(ctx, delBudget, 'document', ids[0]);

  // Text extraction now, so that the demo is searchable by the documents' content from the start.
  await runDueJobs(ctx.db, {
    handlers: { [docs.EXTRACT_JOB]: (c, p) => docs.runExtraction(c, p, extractText, (sha, kind) => storagePath(c.config.dataDir, c.commune.id, sha, kind)) },
    ctxFor: async () => ctx, now: () => ctx.clock.now(),
  }, 1000);
}
