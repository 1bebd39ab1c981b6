import type { Ctx } from '../../core/service.ts';
import { mutate } from '../../core/service.ts';
import { insertMany } from '../../core/db/bulk.ts';
import { iso } from '../../core/clock/index.ts';
import { sha256 } from '../../core/auth/passwords.ts';
import { listPlans, listCommitments } from '../accountability/service.ts';
import { listBodies } from '../governance/service.ts';
import * as svc from './service.ts';
import { pdb } from './repo.ts';
import { indexProcess } from './search.ts';
import type { Translated } from '../../core/i18n/index.ts';

/**
 * The Tétouan demo: the 2022 co-creation as a finished process whose statistics come out of participant records
 * (sample people, marked as sample): 376 participants, 11 groups, 9 public meetings, 7 thematic and 8 neighbourhood
 * workshops, 56 online suggestions. The plan's breakdown (258 + 1 + 56 + 35 + 5 + 6 = 361) leaves 15 of its 376
 * participants without a category; they are recorded here as representatives of the deconcentrated public services,
 * whom the plan names among those it was co-built with. And the mid-term update, open, with upcoming meetings.
 */

const THEMATIC: { theme: string; title: Translated }[] = [
  { theme: 'infrastructure', title: { fr: 'Infrastructures et équipements locaux', ar: 'البنيات التحتية والتجهيزات المحلية', en: 'Local infrastructure and equipment' } },
  { theme: 'gender_inclusion', title: { fr: 'Genre et inclusion sociale', ar: 'النوع الاجتماعي والإدماج الاجتماعي', en: 'Gender and social inclusion' } },
  { theme: 'economy_jobs', title: { fr: 'Animation économique et emploi', ar: 'التنشيط الاقتصادي والتشغيل', en: 'Economic development and jobs' } },
  { theme: 'sdg_climate', title: { fr: 'ODD et changement climatique', ar: 'أهداف التنمية المستدامة والتغير المناخي', en: 'SDGs and climate change' } },
  { theme: 'culture_sport_heritage', title: { fr: 'Animation culturelle et sportive et préservation du patrimoine', ar: 'التنشيط الثقافي والرياضي والمحافظة على التراث', en: 'Culture, sport and heritage' } },
  { theme: 'governance_open', title: { fr: 'Gouvernance et commune ouverte', ar: 'الحكامة والجماعة المنفتحة', en: 'Governance and open commune' } },
  { theme: 'planning_mobility', title: { fr: 'Aménagement du territoire et mobilité urbaine', ar: 'إعداد التراب والتنقل الحضري', en: 'Planning and urban mobility' } },
];
// The plan names no district: eight outlying neighbourhoods of Tétouan, as samples.
const NEIGHBOURHOODS = ['Touabel', 'Jbel Dersa', 'Sania Rmel', 'Mhannech', 'Boussafou', 'Kouilma', 'Dersa', 'Samsa'];
const AGE = ['18_24', '25_34', '35_49', '50_64', '65_plus', '25_34', '35_49'];
const DISTRICTS = ['Médina', 'Ensanche', ...NEIGHBOURHOODS];

/** The categories of the 376, as the plan reports them (plus the 15 it leaves out, see above). */
const PEOPLE: { org: string; attended: boolean; n: number; organisation?: string }[] = [
  { org: 'civil_society', attended: true, n: 258 },
  { org: 'international_ngo', attended: true, n: 1, organisation: 'ONG internationale (exemple)' },
  { org: 'none', attended: false, n: 56 },
  { org: 'none', attended: true, n: 35 },
  { org: 'academic', attended: true, n: 5, organisation: 'Université Abdelmalek Essaâdi (exemple)' },
  { org: 'private_sector', attended: true, n: 6 },
  { org: 'public_sector', attended: true, n: 15 },
];

const ONLINE_IDEAS = [
  'Publier en ligne le budget de chaque arrondissement', 'Un guichet numérique pour les autorisations', 'Des bancs et de l’ombre sur les places',
  'Éclairer les escaliers de la médina', 'Des pistes cyclables vers l’université', 'Des horaires de bus affichés aux arrêts', 'Un conseil des jeunes',
  'Des toilettes publiques accessibles', 'Trier les déchets au marché', 'Des ateliers du soir pour ceux qui travaillent le jour',
];

export async function seedParticipation(ctx: Ctx): Promise<void> {
  const plan = (await listPlans(ctx)).find((p) => p.kind === 'ogp') ?? (await listPlans(ctx))[0];
  const forum = (await listBodies(ctx)).find((b) => b.kind === 'forum') ?? (await listBodies(ctx))[0];
  const year = 2022;
  const id = await svc.createProcess(ctx, {
    slug: 'co-creation-2022', status: 'finished', sample: false, planId: plan?.id ?? null, bodyId: forum?.id ?? null,
    title: { fr: 'Co-création du plan d’action OGP 2023-2028', ar: 'الإنشاء المشترك لخطة عمل الحكومة المنفتحة 2023-2028', en: 'Co-creation of the OGP action plan 2023-2028' },
    description: {
      fr: 'Sept ateliers thématiques, huit ateliers de quartier, un forum des parties prenantes, neuf réunions publiques et un formulaire en ligne pour les étudiants, les habitants de la périphérie et les salariés qui ne pouvaient pas venir. Les participants sont des exemples : leurs fiches reproduisent les chiffres du plan.',
      ar: 'سبع ورشات موضوعاتية وثماني ورشات في الأحياء ومنتدى للأطراف المعنية وتسعة لقاءات عمومية واستمارة على الإنترنت. المشاركون أمثلة: بطاقاتهم تعيد أرقام الخطة.',
      en: 'Seven thematic workshops, eight neighbourhood workshops, a stakeholder forum, nine public meetings and an online form for students, outlying residents and workers who could not attend. The participants are samples: their records reproduce the plan’s figures.',
    },
    results: { fr: 'Le plan d’action 2023-2028 : quatre axes stratégiques et leurs engagements.', ar: 'خطة العمل 2023-2028: أربعة محاور استراتيجية والتزاماتها.', en: 'The 2023-2028 action plan: four strategic axes and their commitments.' },
    phases: [
      { kind: 'diagnosis', startsOn: `${year}-03-01`, endsOn: `${year}-04-30` },
      { kind: 'co_creation', startsOn: `${year}-05-01`, endsOn: `${year}-09-30` },
      { kind: 'validation', startsOn: `${year}-10-01`, endsOn: `${year}-12-15` },
    ],
  });

  // The meetings, all held, with their places.
  const meetings: { kind: string; title: Translated; district: string; day: string; theme?: string }[] = [];
  THEMATIC.forEach((w, i) => meetings.push({ kind: 'thematic_workshop', title: { fr: `Atelier thématique : ${w.title.fr}`, ar: `ورشة موضوعاتية: ${w.title.ar}`, en: `Thematic workshop: ${w.title.en}` }, district: 'Ensanche', day: `${year}-05-${String(10 + i * 2).padStart(2, '0')}`, theme: w.theme }));
  NEIGHBOURHOODS.forEach((d, i) => meetings.push({ kind: 'neighbourhood_workshop', title: { fr: `Atelier de quartier : ${d}`, ar: `ورشة الحي: ${d}`, en: `Neighbourhood workshop: ${d}` }, district: d, day: `${year}-06-${String(4 + i * 3).padStart(2, '0')}` }));
  meetings.push({ kind: 'forum', title: { fr: 'Forum des parties prenantes', ar: 'منتدى الأطراف المعنية', en: 'Stakeholder forum' }, district: 'Médina', day: `${year}-07-09` });
  for (let i = 0; i < 9; i++) meetings.push({ kind: 'public_meeting', title: { fr: `Réunion publique n° ${i + 1}`, ar: `اللقاء العمومي رقم ${i + 1}`, en: `Public meeting no. ${i + 1}` }, district: DISTRICTS[i % DISTRICTS.length], day: `${year}-${String(3 + Math.floor(i / 2)).padStart(2, '0')}-${String(5 + (i % 2) * 14).padStart(2, '0')}` });
  const meetingIds: number[] = [];
  for (const m of meetings) {
    meetingIds.push(await svc.createMeeting(ctx, id, {
      kind: m.kind, title: m.title, mode: 'in_person', place: m.kind === 'forum' ? 'Palais municipal' : 'Maison des associations', district: m.district,
      startsAt: `${m.day}T09:00:00.000Z`, endsAt: `${m.day}T12:00:00.000Z`, capacity: null, status: 'held', sample: true,
      minutes: { fr: 'Compte rendu (exemple) : diagnostic partagé, propositions recueillies par groupe.', ar: 'محضر (مثال): تشخيص مشترك ومقترحات مجمعة حسب المجموعات.', en: 'Minutes (sample): shared diagnosis, proposals gathered by group.' },
      targets: m.kind === 'thematic_workshop' ? { sex: { f: 0.4 } } : {},
    }));
  }
  const thematicIds = meetingIds.slice(0, 7);
  // 11 working groups over the seven thematic workshops: two in each of the first four, one in the others.
  const groupsOf = (w: number) => (w < 4 ? [`G${w * 2 + 1}`, `G${w * 2 + 2}`] : [`G${w + 5}`]);

  await mutate(ctx, { permission: svc.MANAGE, action: 'participation.demo_records', entity: 'process' }, async (trx) => {
    const d = pdb(trx);
    const c = ctx.commune.id;
    const consentAt = `${year}-05-01T08:00:00.000Z`;
    let n = 0;
    const participantRows: unknown[][] = [];
    const kinds: { org: string; attended: boolean }[] = [];
    for (const g of PEOPLE) for (let i = 0; i < g.n; i++) {
      n++;
      const num = String(n).padStart(3, '0');
      participantRows.push([c, null, `Participant·e ${num} (exemple)`, null, null, null, 'fr', g.organisation ?? (g.org === 'civil_society' ? `Association exemple ${1 + (n % 40)}` : g.org === 'private_sector' ? `Entreprise exemple ${n % 6 + 1}` : g.org === 'public_sector' ? `Service déconcentré exemple ${n % 5 + 1}` : null),
        g.org, AGE[n % AGE.length], n % 20 < 9 ? 'f' : 'm', DISTRICTS[n % DISTRICTS.length], g.org === 'civil_society' ? 1 : 0, g.org === 'academic' ? 1 : 0, n % 17 === 0 ? 1 : 0,
        g.org === 'public_sector' ? 'public' : g.org === 'private_sector' ? 'private' : 'civil', consentAt, null, 1, consentAt]);
      kinds.push(g);
    }
    const cols = ['commune_id', 'user_id', 'name', 'email', 'email_normalized', 'phone', 'locale', 'organisation', 'org_type', 'age_band', 'sex', 'district', 'activist', 'expert', 'resource_person', 'sector', 'consent_at', 'erased_at', 'sample', 'created_at'];
    const before = await d.selectFrom('participants').select((e) => e.fn.max<number>('id').as('m')).where('commune_id', '=', c).executeTakeFirstOrThrow();
    await insertMany(trx, 'participants', cols, participantRows);
    const ids = (await d.selectFrom('participants').select('id').where('commune_id', '=', c).where('id', '>', Number(before.m ?? 0)).orderBy('id').execute()).map((r) => r.id);

    const regRows: unknown[][] = [];
    const at = `${year}-05-01T08:00:00.000Z`;
    let attendee = 0;
    ids.forEach((pid, i) => {
      if (!kinds[i].attended) return;
      const k = attendee++;
      // Each attendee's main meeting (round robin over the 25); in a thematic workshop, their group.
      const mIdx = k % meetingIds.length;
      const w = thematicIds.indexOf(meetingIds[mIdx]);
      const group = w >= 0 ? groupsOf(w)[k % groupsOf(w).length] : null;
      regRows.push([c, meetingIds[mIdx], pid, 'registered', 'invitation', sha256(`demo-${pid}-${mIdx}`), 1, group, at, at]);
      // Civil-society members also came to the forum.
      const forumIdx = 15;
      if (kinds[i].org === 'civil_society' && mIdx !== forumIdx && k % 3 === 0) regRows.push([c, meetingIds[forumIdx], pid, 'registered', 'invitation', sha256(`demo-${pid}-f`), 1, null, at, at]);
    });
    await insertMany(trx, 'registrations', ['commune_id', 'meeting_id', 'participant_id', 'status', 'channel', 'cancel_token_hash', 'attended', 'group_label', 'created_at', 'updated_at'], regRows);

    // The 56 online suggestions, one per online participant.
    const onlineIds = ids.filter((_, i) => !kinds[i].attended);
    const propRows = onlineIds.map((pid, i) => [c, id, i + 1, ONLINE_IDEAS[i % ONLINE_IDEAS.length] + (i >= ONLINE_IDEAS.length ? ` (${Math.floor(i / ONLINE_IDEAS.length) + 1})` : ''),
      'Suggestion reçue par le formulaire en ligne (exemple).', THEMATIC[i % 7].theme, DISTRICTS[i % DISTRICTS.length], null, null, pid, 'online', null, 'published', null, null,
      i % 4 === 0 ? 'accepted' : i % 4 === 1 ? 'studying' : 'none', '{}', null, null, i % 4 < 2 ? `${year}-10-15T10:00:00.000Z` : null, (i * 7) % 23, 1, `${year}-06-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`]);
    await insertMany(trx, 'proposals', ['commune_id', 'process_id', 'number', 'title', 'body', 'theme', 'district', 'photo_file_id', 'author_user_id', 'author_participant_id', 'channel', 'meeting_id', 'status', 'hidden_reason', 'confirm_token_hash',
      'answer', 'answer_text', 'merged_into_id', 'commitment_id', 'answered_at', 'supports', 'sample', 'created_at'], propRows);
    return { result: undefined, entityId: 'co-creation-2022', after: { participants: ids.length, registrations: regRows.length, proposals: propRows.length } };
  });

  // Accepted suggestions lead to the plan's commitments (the commitment page lists them).
  if (plan) {
    const commitments = (await listCommitments(ctx, plan.slug)).filter((x) => x.depth === 0 || x.parentId !== null).slice(0, 6);
    const accepted = await pdb(ctx.db).selectFrom('proposals').select('id').where('commune_id', '=', ctx.commune.id).where('process_id', '=', id).where('answer', '=', 'accepted').orderBy('id').limit(commitments.length).execute();
    for (const [i, p] of accepted.entries()) {
      await svc.answerProposal(ctx, p.id, { answer: 'accepted', commitmentId: commitments[i].id, text: { fr: 'Retenue dans le plan d’action (exemple).', ar: 'تم اعتمادها في خطة العمل (مثال).', en: 'Taken into the action plan (sample).' } });
    }
  }
  await mutate(ctx, { permission: svc.MANAGE, action: 'participation.demo_index', entity: 'process' }, async (trx) => { await indexProcess(trx, ctx.commune.id, id); return { result: undefined, entityId: id }; });

  // The mid-term update, open: upcoming meetings with registration open, a few proposals.
  const now = ctx.clock.now().getTime();
  const day = (n: number) => iso(new Date(now + n * 86_400_000)).slice(0, 10);
  const mid = await svc.createProcess(ctx, {
    slug: 'mise-a-jour-2026', status: 'open', sample: true, planId: plan?.id ?? null, bodyId: forum?.id ?? null,
    title: { fr: 'Mise à jour à mi-parcours du plan (exemple)', ar: 'التحيين المرحلي للخطة (مثال)', en: 'Mid-term update of the plan (sample)' },
    description: { fr: 'Le comité de pilotage organise la mise à jour à mi-parcours : ateliers, propositions, validation.', ar: 'تنظم لجنة القيادة التحيين المرحلي: ورشات ومقترحات ومصادقة.', en: 'The steering committee organises the mid-term update: workshops, proposals, validation.' },
    phases: [
      { kind: 'consultation', startsOn: day(-30), endsOn: day(60) },
      { kind: 'validation', startsOn: day(61), endsOn: day(120) },
    ],
  });
  const upcoming = [
    { kind: 'thematic_workshop', title: { fr: 'Atelier : transparence budgétaire', ar: 'ورشة: الشفافية المالية', en: 'Workshop: budget transparency' }, capacity: 30, mode: 'in_person' },
    { kind: 'neighbourhood_workshop', title: { fr: 'Atelier de quartier : Touabel', ar: 'ورشة الحي: الطوابل', en: 'Neighbourhood workshop: Touabel' }, capacity: 2, mode: 'in_person' },
    { kind: 'public_meeting', title: { fr: 'Réunion publique en ligne', ar: 'لقاء عمومي عن بعد', en: 'Online public meeting' }, capacity: null, mode: 'online' },
  ];
  for (const [i, m] of upcoming.entries()) {
    await svc.createMeeting(ctx, mid, {
      kind: m.kind, title: m.title, mode: m.mode, place: m.mode === 'online' ? '' : 'Maison des associations', district: m.mode === 'online' ? '' : 'Touabel',
      onlineUrl: m.mode === 'online' ? 'https://visio.example.org/tetouan-mi-parcours' : '', startsAt: `${day(20 + i * 7)}T17:00:00.000Z`, endsAt: `${day(20 + i * 7)}T19:00:00.000Z`,
      capacity: m.capacity, registrationOpensAt: null, registrationClosesAt: `${day(19 + i * 7)}T23:00:00.000Z`, status: 'scheduled', sample: true,
      agenda: { fr: 'Bilan d’étape, propositions, suite.', ar: 'حصيلة مرحلية ومقترحات وما يلي.', en: 'Progress, proposals, next steps.' }, targets: { sex: { f: 0.4 } },
    });
  }
  for (const [i, title] of ['Un tableau de bord des engagements par quartier', 'Des réunions publiques le samedi', 'Publier les comptes rendus en arabe dialectal'].entries()) {
    await svc.submitProposalFor(ctx, mid, { title, body: 'Proposition d’exemple recueillie au guichet.', theme: THEMATIC[i].theme, district: 'Touabel', channel: 'counter', name: `Habitant·e exemple ${i + 1}`, sample: true });
  }
}
