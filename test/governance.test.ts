import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, actorFor, type TestApp } from './helpers.ts';
import { parityBreach, countsOn, isCurrentOn, type Membership } from '../src/modules/governance/parity.ts';
import * as svc from '../src/modules/governance/service.ts';
import type { GovernanceTables } from '../src/modules/governance/schema.ts';
import { verifyAudit } from '../src/core/audit/index.ts';
import { RuleError, ForbiddenError } from '../src/core/http/errors.ts';

// ---------- The parity rule, on its own ----------

describe('parity rule', () => {
  const m = (side: string, since: string, until: string | null = null): Membership => ({ side, since, until });
  const today = '2026-06-01';

  test('current means started and not yet ended; the end day no longer counts', () => {
    assert.equal(isCurrentOn(m('commune', '2026-06-01'), today), true);
    assert.equal(isCurrentOn(m('commune', '2026-06-02'), today), false);
    assert.equal(isCurrentOn(m('commune', '2020-01-01', '2026-06-01'), today), false);
    assert.equal(isCurrentOn(m('commune', '2020-01-01', '2026-06-02'), today), true);
    assert.deepEqual(countsOn([m('commune', '2020-01-01'), m('civil_society', '2020-01-01'), m('civil_society', '2020-01-01', '2021-01-01')], today), { civil_society: 1, commune: 1 });
  });

  test('equal sides hold; one more on a side breaks parity today', () => {
    assert.equal(parityBreach([], today), null);
    const four = ['civil_society', 'civil_society', 'commune', 'commune'].map((s) => m(s, '2022-01-01'));
    assert.equal(parityBreach(four, today), null);
    assert.deepEqual(parityBreach([...four, m('civil_society', '2026-06-01')], today), { day: today, counts: { civil_society: 3, commune: 2 } });
  });

  test('a future end without replacement breaks parity on that day; a same-side replacement from that day keeps it', () => {
    const base = [m('civil_society', '2022-01-01', '2026-09-01'), m('commune', '2022-01-01')];
    assert.deepEqual(parityBreach(base, today), { day: '2026-09-01', counts: { civil_society: 0, commune: 1 } });
    assert.equal(parityBreach([...base, m('civil_society', '2026-09-01')], today), null);
    // A replacement starting a day late leaves one day unbalanced.
    assert.equal(parityBreach([...base, m('civil_society', '2026-09-02')], today)?.day, '2026-09-01');
  });

  test('a member starting later breaks parity from the start day unless paired', () => {
    const base = [m('civil_society', '2022-01-01'), m('commune', '2022-01-01')];
    assert.equal(parityBreach([...base, m('commune', '2026-07-01')], today)?.day, '2026-07-01');
    assert.equal(parityBreach([...base, m('commune', '2026-07-01'), m('civil_society', '2026-07-01')], today), null);
    // Past imbalance (already over) does not count.
    assert.equal(parityBreach([...base, m('commune', '2020-01-01', '2021-01-01')], today), null);
  });
});

// ---------- Through the application ----------

let t: TestApp;
let admin: Client;
let steeringId: number;
let forumId: number;

const db = () => t.database.db.withTables<GovernanceTables>();
const cid = () => t.commune.id;
async function count(table: 'body_members' | 'audit_log' | 'endorsements' | 'bodies' | 'body_decisions' | 'institutions'): Promise<number> {
  const r = await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', cid()).executeTakeFirstOrThrow();
  return Number(r.n);
}
async function memberByName(name: string) {
  return db().selectFrom('body_members').select(['id', 'body_id', 'side', 'since', 'until']).where('commune_id', '=', cid()).where('person_name', '=', name).executeTakeFirstOrThrow();
}
async function lastAudit() {
  return db().selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'after']).where('commune_id', '=', cid()).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

before(async () => {
  t = await startApp();
  const bodies = await svc.listBodies(await t.ctx());
  steeringId = bodies.find((b) => b.slug === 'comite-pilotage')!.id;
  forumId = bodies.find((b) => b.slug === 'forum-parties-prenantes')!.id;
  admin = new Client(t.url);
  await admin.login('admin@tetouan.local', t.adminPassword);
});
after(async () => { await t.close(); });

test('/bodies lists the demo bodies with composition, parity and decision rule, and links on (fr, ar)', async () => {
  const c = new Client(t.url);
  const fr = await c.get('/fr/bodies');
  assert.equal(fr.status, 200);
  const text = textOf(fr.text);
  for (const s of ['Comité de pilotage paritaire', 'Forum des parties prenantes', 'Instance de concertation genre', 'Instance de concertation handicap', 'Instance de concertation jeunesse']) assert.ok(text.includes(s), s);
  assert.match(text, /Société civile : 4 · Commune : 4/);
  assert.match(text, /Parité respectée/);
  assert.match(text, /Décisions prises par consensus/);
  assert.match(fr.text, /href="\/fr\/institutions"/);
  assert.match(fr.text, /href="\/fr\/endorsements"/);
  assert.match(fr.text, /href="\/fr\/bodies\/comite-pilotage"/);

  const ar = await c.get('/ar/bodies');
  assert.equal(ar.status, 200);
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.match(textOf(ar.text), /لجنة القيادة المشتركة/);
  assert.match(textOf(ar.text), /المجتمع المدني: 4 · الجماعة: 4/);
  assert.match(textOf(ar.text), /المناصفة محترمة/);
});

test('listBodies counts current members per side in one query for every body', async () => {
  const bodies = await svc.listBodies(await t.ctx(null));
  assert.deepEqual(bodies.map((b) => b.slug), ['comite-pilotage', 'forum-parties-prenantes', 'instance-genre', 'instance-handicap', 'instance-jeunesse']);
  assert.deepEqual(bodies[0].counts, { civil_society: 4, commune: 4 });
  assert.equal(bodies[0].parity, true);
  assert.deepEqual(bodies[1].counts, { civil_society: 0, commune: 0 });
});

test('a body page shows description, members with sample badges and the decision with its outcome (fr, ar)', async () => {
  const c = new Client(t.url);
  const fr = await c.get('/fr/bodies/comite-pilotage');
  assert.equal(fr.status, 200);
  const text = textOf(fr.text);
  assert.match(text, /Composé à parité de représentants de la société civile/);
  assert.match(text, /Ahmed AIDANI Exemple Société civile Association « colombe blanche »/);
  assert.match(text, /Samira Tahiri Exemple Commune Direction générale des services communaux/);
  assert.match(text, /Validation de la matrice de suivi du plan d’action/);
  assert.match(fr.text, /class="badge ok">Consensus atteint</);
  assert.match(fr.text, /<caption>Membres actuels<\/caption>/);
  assert.equal((fr.text.match(/<h1/g) ?? []).length, 1);

  const ar = await c.get('/ar/bodies/comite-pilotage');
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.match(textOf(ar.text), /المصادقة على مصفوفة تتبع خطة العمل/);
  assert.match(textOf(ar.text), /تم التوافق/);
  assert.match(textOf(ar.text), /رئيس الجمعية/);

  assert.equal((await c.get('/fr/bodies/nope')).status, 404);
});

test('/institutions groups lead departments, operators, civil society and ATIL with its description', async () => {
  const c = new Client(t.url);
  const fr = await c.get('/fr/institutions');
  assert.equal(fr.status, 200);
  const text = textOf(fr.text);
  const order = ['Services de la commune', 'Opérateurs de gestion déléguée', 'Organisations de la société civile', 'Organisme indépendant de suivi'].map((h) => text.indexOf(h));
  assert.ok(order.every((i) => i > 0) && order.every((i, n) => n === 0 || i > order[n - 1]), `groups in order: ${order}`);
  assert.match(text, /Direction des travaux communaux Chef de file du plan/);
  assert.match(text, /Opérateur délégué de collecte des déchets Exemple/);
  assert.match(text, /Association d’initiatives locales de Tétouan \(ATIL\) Organisme indépendant de suivi du plan d’action/);
  const ar = await c.get('/ar/institutions');
  assert.match(ar.text, /dir="rtl"/);
  assert.match(textOf(ar.text), /جمعية المبادرات المحلية بتطوان/);
  assert.match(textOf(ar.text), /الهيئة المستقلة لتتبع خطة العمل/);
});

test('/endorsements lists the five endorsements exactly as the plan does (fr, ar)', async () => {
  const c = new Client(t.url);
  const text = textOf((await c.get('/fr/endorsements')).text);
  const expected = [
    'Ahmed AIDANI Président Association « colombe blanche » pour les droits des personnes handicapées',
    'Amina EL MAHMOUDI Présidente Association « ASSAIDA AL HORRA » pour les femmes',
    'Abdelouahab IDELHAJ Président Association PATRIMOINE CITOYENNETE ET DEVELOPPEMENT',
    'Tourine EL BERRAJ Présidente Association « FEMME activiste »',
    'Amine HOURAIRI Président Association AESVT enseignants des sciences de la vie et de la terre – filiale de Tétouan',
  ];
  let at = -1;
  for (const e of expected) {
    const i = text.indexOf(e);
    assert.ok(i > at, `in order: ${e}`);
    at = i;
  }
  const ar = await c.get('/ar/endorsements');
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.match(textOf(ar.text), /Amina EL MAHMOUDI رئيسة جمعية « السيدة الحرة » للنساء/);
});

// ---------- The parity rule through HTTP ----------

const person = (p: string, name: string, side: string, extra: Record<string, string> = {}) => ({
  [`${p}name`]: name, [`${p}side`]: side, [`${p}institution_id`]: '', [`${p}role_fr`]: 'Membre', [`${p}role_ar`]: '', [`${p}role_en`]: '', [`${p}since`]: '2026-01-05', ...extra,
});

test('adding one person alone to the joint committee is refused with a translated message; nothing is stored or audited', async () => {
  const before = { members: await count('body_members'), audit: await count('audit_log') };
  await admin.get(`/fr/admin/bodies/${steeringId}`);
  const res = await admin.post(`/fr/admin/bodies/${steeringId}/members`, { ...person('a_', 'Karima Seule', 'civil_society'), b_name: '', b_side: 'commune' });
  assert.equal(res.status, 422);
  const text = textOf(res.text);
  assert.match(text, /Refusé, rien n’a été enregistré : cette instance est paritaire\. Après ce changement, elle compterait 5 membre\(s\) de la société civile et 4 de la commune/);
  assert.match(res.text, /value="Karima Seule"/, 'the input is kept');
  assert.equal(await count('body_members'), before.members);
  assert.equal(await count('audit_log'), before.audit);

  // Same refusal in Arabic, translated.
  await admin.get(`/ar/admin/bodies/${steeringId}`);
  const ar = await admin.post(`/ar/admin/bodies/${steeringId}/members`, { ...person('a_', 'Karima Seule', 'commune'), b_name: '' });
  assert.equal(ar.status, 422);
  assert.match(textOf(ar.text), /مرفوض، لم يُسجَّل أي شيء: هذه هيئة مناصفة/);
  assert.equal(await count('body_members'), before.members);
});

test('adding a pair, one per side, succeeds and writes an audit entry', async () => {
  const before = { members: await count('body_members'), audit: await count('audit_log') };
  const res = await admin.submit(`/fr/admin/bodies/${steeringId}`, `/fr/admin/bodies/${steeringId}/members`, {
    ...person('a_', 'Laila Société', 'civil_society', { a_institution_id: String((await svc.listInstitutions(await t.ctx(), ['civil_society']))[4].id) }),
    ...person('b_', 'Omar Commune', 'commune'),
  });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/fr/admin/bodies/${steeringId}`);
  assert.equal(await count('body_members'), before.members + 2);
  assert.equal(await count('audit_log'), before.audit + 1);
  const entry = await lastAudit();
  assert.equal(entry.action, 'body.members_add');
  assert.equal(entry.entity_id, 'comite-pilotage');
  assert.match(entry.after ?? '', /Laila Société/);
  assert.match(entry.after ?? '', /Omar Commune/);
  assert.equal((await verifyAudit(t.database.db)).ok, true);
  const page = textOf((await new Client(t.url).get('/fr/bodies/comite-pilotage')).text);
  assert.match(page, /Société civile : 5 · Commune : 5/);
  assert.match(page, /Laila Société/);
  // The flash message shows on the next page.
  assert.match(textOf((await admin.get(`/fr/admin/bodies/${steeringId}`)).text), /Membres ajoutés\./);
});

test('ending a membership without a replacement is refused; with a same-side replacement it is accepted', async () => {
  const laila = await memberByName('Laila Société');
  const p = `e${laila.id}_`;
  const before = { members: await count('body_members'), audit: await count('audit_log') };
  await admin.get(`/fr/admin/bodies/${steeringId}`);
  const refused = await admin.post(`/fr/admin/bodies/${steeringId}/members/${laila.id}/end`, { [`${p}until`]: '', [`${p}r_name`]: '' });
  assert.equal(refused.status, 422);
  assert.match(textOf(refused.text), /Sans remplaçant, elle compterait 4 membre\(s\) de la société civile et 5 de la commune/);
  assert.match(refused.text, /<details open>/, 'the refused form stays open');
  assert.equal((await memberByName('Laila Société')).until, null);
  assert.equal(await count('audit_log'), before.audit);

  const ok = await admin.post(`/fr/admin/bodies/${steeringId}/members/${laila.id}/end`, { [`${p}until`]: '', [`${p}r_name`]: 'Rachida Relève', [`${p}r_role_fr`]: 'Membre' });
  assert.equal(ok.status, 303);
  const today = svc.today(await t.ctx());
  const ended = await memberByName('Laila Société');
  assert.equal(ended.until, today);
  const repl = await memberByName('Rachida Relève');
  assert.equal(repl.side, 'civil_society');
  assert.equal(repl.since, today);
  assert.equal(await count('body_members'), before.members + 1);
  assert.equal((await lastAudit()).action, 'body.member_end');
  const page = textOf((await new Client(t.url).get('/fr/bodies/comite-pilotage')).text);
  assert.match(page, /Société civile : 5 · Commune : 5/);
  assert.match(page, /Anciens membres.*Laila Société/);

  // Ending it again is refused.
  await admin.get(`/fr/admin/bodies/${steeringId}`);
  const again = await admin.post(`/fr/admin/bodies/${steeringId}/members/${laila.id}/end`, { [`${p}until`]: '', [`${p}r_name`]: 'Quelqu’un' });
  assert.equal(again.status, 422);
  assert.match(textOf(again.text), /Le mandat de Laila Société a déjà pris fin/);
});

test('a change of side on the joint committee is refused; other edits of a member are saved', async () => {
  const omar = await memberByName('Omar Commune');
  const path = `/fr/admin/bodies/${steeringId}/members/${omar.id}`;
  const fields = { name: 'Omar Commune', side: 'civil_society', institution_id: '', role_fr: 'Élu', role_ar: '', role_en: '', since: '2026-01-05' };
  const audit = await count('audit_log');
  const refused = await admin.submit(path, path, fields);
  assert.equal(refused.status, 422);
  assert.match(textOf(refused.text), /Avec ce changement de côté, elle compterait 6 membre\(s\) de la société civile et 4 de la commune/);
  assert.equal((await memberByName('Omar Commune')).side, 'commune');
  assert.equal(await count('audit_log'), audit);
  const saved = await admin.submit(path, path, { ...fields, side: 'commune', role_fr: 'Conseiller communal' });
  assert.equal(saved.status, 303);
  assert.match(textOf((await new Client(t.url).get('/fr/bodies/comite-pilotage')).text), /Omar Commune Commune — Conseiller communal/);
});

test('the service refuses the same changes when called directly, and leaves the committee balanced', async () => {
  const ctx = await t.ctx();
  await assert.rejects(svc.addMembers(ctx, steeringId, [{ personName: 'Solo', side: 'commune', since: '2026-01-01' }]),
    (e: unknown) => e instanceof RuleError && e.messageKey === 'governance.parityBroken');
  // A start date in the future must be matched by the other side on the same day.
  await assert.rejects(svc.addMembers(ctx, steeringId, [
    { personName: 'Futur A', side: 'commune', since: '2099-01-01' }, { personName: 'Futur B', side: 'civil_society', since: '2099-02-01' },
  ]), (e: unknown) => e instanceof RuleError && e.messageKey === 'governance.parityBrokenOn');
  // A representative must sit for the side of their organisation.
  const dept = (await svc.listInstitutions(ctx, ['department']))[0];
  await assert.rejects(svc.addMembers(ctx, steeringId, [
    { personName: 'Mauvais côté', side: 'civil_society', institutionId: dept.id, since: '2026-01-01' }, { personName: 'X', side: 'commune', since: '2026-01-01' },
  ]), (e: unknown) => e instanceof RuleError && e.messageKey === 'governance.institutionSide.civil_society');
  const bodies = await svc.listBodies(ctx);
  assert.deepEqual(bodies.find((b) => b.id === steeringId)!.counts, { civil_society: 5, commune: 5 });
});

test('a body without parity takes one member at a time, and cannot be made joint while unbalanced', async () => {
  const res = await admin.submit(`/fr/admin/bodies/${forumId}`, `/fr/admin/bodies/${forumId}/members`, { ...person('a_', 'Association du quartier', 'civil_society'), b_name: '' });
  assert.equal(res.status, 303);
  const edit = await admin.submit(`/fr/admin/bodies/${forumId}`, `/fr/admin/bodies/${forumId}`, {
    kind: 'forum', name_fr: 'Forum des parties prenantes', name_ar: '', name_en: '', description_fr: '', description_ar: '', description_en: '',
    parity: '1', decision_rule: 'consultative', sort: '1',
  });
  assert.equal(edit.status, 422);
  assert.match(textOf(edit.text), /L’instance ne peut pas devenir paritaire : elle compte 1 membre\(s\) de la société civile et 0 de la commune/);
  const body = (await svc.listBodies(await t.ctx())).find((b) => b.id === forumId)!;
  assert.equal(body.parity, false);
  assert.equal(body.name.ar, 'منتدى الأطراف المعنية', 'nothing was overwritten');
});

// ---------- Forms ----------

test('an invalid form re-renders with the input and translated errors', async () => {
  const before = await count('bodies');
  const res = await admin.submit('/fr/admin/bodies', '/fr/admin/bodies', {
    slug: 'Pas un identifiant', kind: 'youth', name_fr: '', name_ar: 'مجلس الشباب', name_en: '', description_fr: 'Texte à garder', description_ar: '', description_en: '',
    decision_rule: 'consultative', sort: 'abc',
  });
  assert.equal(res.status, 400);
  assert.match(res.text, /value="Pas un identifiant"/);
  assert.match(res.text, /value="مجلس الشباب"/);
  assert.match(res.text, />Texte à garder<\/textarea>/);
  assert.match(res.text, /<option value="youth" selected>/);
  const text = textOf(res.text);
  assert.match(text, /Le formulaire contient des erreurs/);
  assert.match(text, /Nom \(en français\): Ce champ est obligatoire\./);
  assert.match(text, /Ordre d’affichage: Saisissez un nombre entier\./);
  assert.equal(await count('bodies'), before);

  const ar = await admin.submit('/ar/admin/endorsements', '/ar/admin/endorsements', { person_name: 'شخص', person_title_fr: '', institution_id: '' });
  assert.equal(ar.status, 400);
  assert.match(ar.text, /value="شخص"/);
  assert.match(textOf(ar.text), /هذا الحقل إلزامي|إلزامي/);
});

test('bodies: create, then edit keeps the slug', async () => {
  const res = await admin.submit('/fr/admin/bodies', '/fr/admin/bodies', {
    slug: 'conseil-quartiers', kind: 'other', name_fr: 'Conseil des quartiers', name_ar: 'مجلس الأحياء', name_en: 'Neighbourhood council',
    description_fr: 'Concertation par quartier.', description_ar: '', description_en: '', decision_rule: 'consultative', sort: '9',
  });
  assert.equal(res.status, 303);
  const id = Number(res.location!.split('/').pop());
  assert.ok(id > 0);
  const dup = await admin.submit('/fr/admin/bodies', '/fr/admin/bodies', { slug: 'conseil-quartiers', kind: 'other', name_fr: 'Doublon', decision_rule: 'consensus' });
  assert.equal(dup.status, 422);
  assert.match(textOf(dup.text), /Cet identifiant est déjà utilisé\./);
  const edit = await admin.submit(`/fr/admin/bodies/${id}`, `/fr/admin/bodies/${id}`, {
    kind: 'other', name_fr: 'Conseil des quartiers de Tétouan', name_ar: 'مجلس الأحياء', name_en: '', description_fr: '', decision_rule: 'consensus', parity: '1', sort: '9',
  });
  assert.equal(edit.status, 303, 'an empty body can become joint (0 = 0)');
  const pub = await new Client(t.url).get('/fr/bodies/conseil-quartiers');
  assert.match(textOf(pub.text), /Conseil des quartiers de Tétouan/);
  assert.match(textOf(pub.text), /Parité respectée/);
});

test('decisions: the steering committee member records one, the public page shows it', async () => {
  const u = await t.user('steering_member');
  const c = new Client(t.url);
  await c.login(u.email);
  const page = await c.get(`/fr/admin/decisions?body=${steeringId}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`<option value="${steeringId}" selected>`));
  const res = await c.post('/fr/admin/decisions', {
    body_id: String(steeringId), decided_on: '2026-02-10', title_fr: 'Mise à jour à mi-parcours du plan', title_ar: 'تحيين الخطة في منتصف المدة', title_en: '',
    outcome: 'no_consensus', notes_fr: 'Reportée à la prochaine réunion.', notes_ar: '', notes_en: '',
  });
  assert.equal(res.status, 303);
  assert.equal((await lastAudit()).action, 'body.decision_record');
  const pub = await new Client(t.url).get('/fr/bodies/comite-pilotage');
  assert.match(textOf(pub.text), /Mise à jour à mi-parcours du plan 10 février 2026 · Pas de consensus Reportée à la prochaine réunion\./);
  assert.match(pub.text, /class="badge warn">Pas de consensus</);
  // From the body's admin form, a steering member is sent back to the decisions page.
  await c.get('/fr/admin/decisions');
  const viaBody = await c.post(`/fr/admin/bodies/${steeringId}/decisions`, { decided_on: '2026-02-11', title_fr: 'Autre décision', outcome: 'consensus' });
  assert.equal(viaBody.status, 303);
  assert.equal(viaBody.location, '/fr/admin/decisions');
  // But the member cannot edit the body itself.
  await assert.rejects(svc.updateBody(await t.ctx(await actorFor(t, u.id)), steeringId, { kind: 'steering', name: { fr: 'x' } }), ForbiddenError);
});

test('institutions: create, edit, and a kind that others rely on stays', async () => {
  const res = await admin.submit('/fr/admin/institutions', '/fr/admin/institutions', {
    slug: 'association-jeunes', kind: 'civil_society', name_fr: 'Association des jeunes de Tétouan', name_ar: 'جمعية شباب تطوان', name_en: '',
    description_fr: '', description_ar: '', description_en: '', sort: '40',
  });
  assert.equal(res.status, 303);
  const inst = (await svc.listInstitutions(await t.ctx())).find((i) => i.slug === 'association-jeunes')!;
  const edit = await admin.submit(`/fr/admin/institutions/${inst.id}`, `/fr/admin/institutions/${inst.id}`, {
    kind: 'civil_society', name_fr: 'Association des jeunes de Tétouan', name_ar: 'جمعية شباب تطوان', description_fr: 'Créée en 2010.', sort: '40',
  });
  assert.equal(edit.status, 303);
  assert.match(textOf((await new Client(t.url).get('/fr/institutions')).text), /Association des jeunes de Tétouan Créée en 2010\./);

  const travaux = (await svc.listInstitutions(await t.ctx())).find((i) => i.slug === 'travaux')!;
  const refused = await admin.submit(`/fr/admin/institutions/${travaux.id}`, `/fr/admin/institutions/${travaux.id}`, {
    kind: 'operator', name_fr: 'Direction des travaux communaux', lead: '1', sort: '3',
  });
  assert.equal(refused.status, 422);
  assert.match(textOf(refused.text), /Le type ne peut pas changer/);
  assert.equal((await svc.getInstitutionForAdmin(await t.ctx(), travaux.id)).kind, 'department');
});

test('endorsements: add, edit, remove; only civil-society organisations endorse', async () => {
  const civil = (await svc.listInstitutions(await t.ctx(), ['civil_society']))[0];
  const dept = (await svc.listInstitutions(await t.ctx(), ['department']))[0];
  const fields = { person_name: 'Zineb TESTE', person_title_fr: 'Secrétaire générale', person_title_ar: 'الكاتبة العامة', person_title_en: '', endorsed_on: '2022-11-30', statement_fr: 'Nous soutenons ce plan.', sort: '10' };
  const refused = await admin.submit('/fr/admin/endorsements', '/fr/admin/endorsements', { ...fields, institution_id: String(dept.id) });
  assert.equal(refused.status, 422);
  assert.match(textOf(refused.text), /Choisissez une organisation de la société civile\./);
  const added = await admin.submit('/fr/admin/endorsements', '/fr/admin/endorsements', { ...fields, institution_id: String(civil.id) });
  assert.equal(added.status, 303);
  let pub = textOf((await new Client(t.url).get('/fr/endorsements')).text);
  assert.match(pub, /Zineb TESTE Secrétaire générale/);
  assert.match(pub, /Nous soutenons ce plan\./);
  assert.match(pub, /30 novembre 2022/);

  const e = (await svc.listEndorsements(await t.ctx())).find((x) => x.personName === 'Zineb TESTE')!;
  const edit = await admin.submit(`/fr/admin/endorsements/${e.id}`, `/fr/admin/endorsements/${e.id}`, { ...fields, person_title_fr: 'Présidente', institution_id: String(civil.id) });
  assert.equal(edit.status, 303);
  assert.match(textOf((await new Client(t.url).get('/fr/endorsements')).text), /Zineb TESTE Présidente/);

  await admin.get('/fr/admin/endorsements');
  const removed = await admin.post(`/fr/admin/endorsements/${e.id}/remove`, {});
  assert.equal(removed.status, 303);
  assert.equal((await lastAudit()).action, 'endorsement.remove');
  pub = textOf((await new Client(t.url).get('/fr/endorsements')).text);
  assert.doesNotMatch(pub, /Zineb TESTE/);
  assert.match(pub, /Amine HOURAIRI/);
});

test('a script in a member name is shown escaped on the public page', async () => {
  const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  const res = await admin.submit(`/fr/admin/bodies/${forumId}`, `/fr/admin/bodies/${forumId}/members`, { ...person('a_', payload, 'civil_society'), b_name: '' });
  assert.equal(res.status, 303);
  const pub = await new Client(t.url).get('/fr/bodies/forum-parties-prenantes');
  assert.match(pub.text, /&lt;script>alert\(&quot;x&quot;\)&lt;\/script>&lt;img src=x/, 'shown as text, escaped');
  const decoded = pub.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  assert.ok(decoded.includes(payload), 'the whole name is shown');
  assert.doesNotMatch(pub.text, /<script>alert/);
  assert.doesNotMatch(pub.text, /<img src=x/);
});

// ---------- Access control on every admin route ----------

test('every admin route: anonymous → login or 401/403, non-admin roles → 403 (decisions: ogp_team and steering_member allowed), no CSRF → 403', async () => {
  const ctx = await t.ctx();
  const member = (await svc.getBodyForAdmin(ctx, steeringId)).members[0];
  const inst = (await svc.listInstitutions(ctx))[0];
  const endorsement = (await svc.listEndorsements(ctx))[0];
  const decide = new Set(['GET /admin/decisions', 'POST /admin/decisions', `POST /admin/bodies/${steeringId}/decisions`]);
  const routes: [string, string][] = [
    ['GET', '/admin/bodies'], ['POST', '/admin/bodies'],
    ['GET', `/admin/bodies/${steeringId}`], ['POST', `/admin/bodies/${steeringId}`],
    ['POST', `/admin/bodies/${steeringId}/members`],
    ['GET', `/admin/bodies/${steeringId}/members/${member.id}`], ['POST', `/admin/bodies/${steeringId}/members/${member.id}`],
    ['POST', `/admin/bodies/${steeringId}/members/${member.id}/end`],
    ['POST', `/admin/bodies/${steeringId}/decisions`],
    ['GET', '/admin/decisions'], ['POST', '/admin/decisions'],
    ['GET', '/admin/institutions'], ['POST', '/admin/institutions'],
    ['GET', `/admin/institutions/${inst.id}`], ['POST', `/admin/institutions/${inst.id}`],
    ['GET', '/admin/endorsements'], ['POST', '/admin/endorsements'],
    ['GET', `/admin/endorsements/${endorsement.id}`], ['POST', `/admin/endorsements/${endorsement.id}`],
    ['POST', `/admin/endorsements/${endorsement.id}/remove`],
  ];
  const snapshot = async () => [await count('bodies'), await count('body_members'), await count('body_decisions'), await count('institutions'), await count('endorsements')].join(',');
  const start = await snapshot();

  // Admin reaches every page; each page has one h1 and no duplicate ids (many forms share the body page).
  for (const [, path] of routes.filter(([m]) => m === 'GET')) {
    const r = await admin.get(`/fr${path}`);
    assert.equal(r.status, 200, `admin GET ${path}`);
    assert.equal((r.text.match(/<h1[ >]/g) ?? []).length, 1, `one h1 on ${path}`);
    const ids = [...r.text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `duplicate ids on ${path}`);
    assert.doesNotMatch(r.text, / style="/);
  }

  // Anonymous: pages redirect to the login; posts are refused (no CSRF cookie → 403, with a token → 401).
  const anon = new Client(t.url);
  const anonWithToken = new Client(t.url);
  await anonWithToken.get('/fr/login');
  const token = anonWithToken.csrf();
  assert.ok(token);
  for (const [method, path] of routes) {
    if (method === 'GET') {
      const r = await anon.get(`/fr${path}`);
      assert.equal(r.status, 303, `anonymous GET ${path}`);
      assert.equal(r.location, `/fr/login?next=${encodeURIComponent(`/fr${path}`)}`);
    } else {
      assert.equal((await anon.post(`/fr${path}`, {})).status, 403, `anonymous POST ${path} without token`);
      assert.equal((await anonWithToken.post(`/fr${path}`, {}, { csrf: token })).status, 401, `anonymous POST ${path} with token`);
    }
  }

  const roles: [string, string?][] = [
    ['citizen'], ['counter_agent'], ['department_staff', 'travaux'], ['operator_staff', 'operateur-proprete'],
    ['ogp_team'], ['steering_member'], ['monitor'], ['moderator'], ['mediator'],
  ];
  for (const [role, institution] of roles) {
    const u = await t.user(role, institution);
    const c = new Client(t.url);
    await c.login(u.email);
    const decides = role === 'ogp_team' || role === 'steering_member';
    for (const [method, path] of routes) {
      const allowed = decides && decide.has(`${method} ${path}`);
      const r = method === 'GET' ? await c.get(`/fr${path}`) : await c.post(`/fr${path}`, {});
      // Allowed posts carry an empty form: they come back with validation errors, never a write.
      const expected = allowed ? (method === 'GET' ? 200 : 400) : 403;
      assert.equal(r.status, expected, `${role} ${method} ${path}`);
    }
    // The staff home shows them the decisions page only if they may record decisions.
    const home = await c.get('/fr/admin');
    if (decides) {
      assert.match(home.text, /href="\/fr\/admin\/decisions"/);
      assert.doesNotMatch(home.text, /href="\/fr\/admin\/bodies"/);
    }
  }

  // An admin post without the CSRF token is refused and writes nothing.
  const noToken = await admin.post('/fr/admin/bodies', { slug: 'sans-jeton', kind: 'other', name_fr: 'Sans jeton', decision_rule: 'consensus' }, { csrf: null });
  assert.equal(noToken.status, 403);
  const forged = await admin.post('/fr/admin/bodies', { slug: 'jeton-faux', kind: 'other', name_fr: 'Faux', decision_rule: 'consensus' }, { csrf: 'forged' });
  assert.equal(forged.status, 403);
  assert.equal(await snapshot(), start, 'nothing written by refused requests');

  // The admin home lists the module's pages for an administrator.
  const home = await admin.get('/fr/admin');
  for (const p of ['/fr/admin/bodies', '/fr/admin/decisions', '/fr/admin/institutions', '/fr/admin/endorsements']) assert.match(home.text, new RegExp(`href="${p}"`));
});
