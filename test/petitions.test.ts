import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, actorFor, roleClients, type TestApp } from './helpers.ts';
import * as svc from '../src/modules/participation/petitions/service.ts';
import { RuleError } from '../src/core/http/errors.ts';

let t: TestApp;
let roles: Map<string, Client>;
let promoter: Client;
let promoterId: number;
let ref: string;

before(async () => {
  t = await startApp();
  roles = await roleClients(t);
  const u = await t.user('citizen');
  promoterId = u.id;
  promoter = new Client(t.url);
  await promoter.login(u.email);
  // A small threshold for the test: the commune's setting.
  const admin = roles.get('admin')!;
  await admin.get('/fr/admin/petitions/settings');
  const r = await admin.post('/fr/admin/petitions/settings', { citizens_min: '3', association_years: '3', decision_months: '3', excluded: 'Les affaires devant un tribunal.' });
  assert.equal(r.status, 303);
});
after(() => t.close());

test('the list shows the law’s conditions with its source, and the demo’s sample petitions', async () => {
  const r = await new Client(t.url).get('/fr/petitions');
  assert.equal(r.status, 200);
  const text = textOf(r.text);
  assert.match(text, /loi organique n° 113-14/);
  assert.match(text, /au moins 3 signatures/);
  assert.match(text, /Les affaires devant un tribunal/);
  assert.match(text, /navette électrique/);
  const ar = await new Client(t.url).get('/ar/petitions');
  assert.match(ar.text, /dir="rtl"/);
});

test('a signed-in citizen starts a petition; bad input is explained with the input kept; anonymous goes to login', async () => {
  assert.match((await new Client(t.url).get('/fr/petitions/new')).location ?? '', /\/fr\/login\?next=/);
  await promoter.get('/fr/petitions/new');
  let r = await promoter.post('/fr/petitions/new', { kind: 'citizens', title: 'Des bancs au parc', reasons: '', requested_action: 'Installer des bancs', promoter_name: 'Samira' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Des bancs au parc/);
  r = await promoter.post('/fr/petitions/new', { kind: 'citizens', title: 'Des bancs au parc', reasons: 'Il n’y en a aucun.', requested_action: 'Installer des bancs', promoter_name: 'Samira', conditions: '1' });
  assert.equal(r.status, 303);
  ref = r.location!.split('/').pop()!;
  assert.match(ref, /^PET-\d{4}-\d{3}$/);
  const page = await new Client(t.url).get(`/fr/petitions/${ref}`);
  assert.match(textOf(page.text), /0 signatures sur 3 requises/);
});

test('online signatures: one per account and per ID number, enforced by the database', async () => {
  const c = roles.get('citizen')!;
  await c.get(`/fr/petitions/${ref}`);
  let r = await c.post(`/fr/petitions/${ref}/sign`, { cin: 'X', attest: '1' });
  assert.equal(r.status, 400);
  r = await c.post(`/fr/petitions/${ref}/sign`, { cin: 'AB123456', attest: '1' });
  assert.equal(r.status, 303);
  r = await c.post(`/fr/petitions/${ref}/sign`, { cin: 'AB999999', attest: '1' });
  assert.equal(r.status, 422, 'same account');
  const other = roles.get('monitor')!;
  await other.get(`/fr/petitions/${ref}`);
  r = await other.post(`/fr/petitions/${ref}/sign`, { cin: 'ab 123 456', attest: '1' });
  assert.equal(r.status, 422, 'same ID number, another account');
  // Parallel signatures of one person count once.
  const u = await t.user('citizen');
  const ctx = { ...(await t.ctx()), actor: await actorFor(t, u.id, u.email) };
  const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => svc.sign(ctx, ref, { cin: 'K55555', attest: '1' })));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  assert.ok(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof RuleError));
  const p = (await svc.getPetition(await t.ctx(null), ref)).petition;
  assert.equal(p.online, 2);
});

test('the promoter cannot file below the threshold; others may not file at all', async () => {
  await promoter.get(`/fr/petitions/${ref}`);
  let r = await promoter.post(`/fr/petitions/${ref}/file`, {});
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /Seuil non atteint : 2 signatures sur 3/);
  const other = roles.get('citizen')!;
  await other.get(`/fr/petitions/${ref}`);
  r = await other.post(`/fr/petitions/${ref}/file`, {});
  assert.equal(r.status, 403);
});

test('paper signatures: duplicates of online or earlier paper ones are caught by ID number, unreadable lines reported', async () => {
  const agent = roles.get('counter_agent')!;
  await agent.get(`/fr/admin/petitions/${ref}`);
  const r = await agent.post(`/fr/admin/petitions/${ref}/paper`, { lines: 'Ahmed Alaoui ; AB123456\nKhadija Bennani ; L778899\nsans numéro\nKhadija B. ; l 778899\nOmar Tazi ; CD1' });
  assert.equal(r.status, 303);
  const page = await agent.get(r.location!);
  const text = textOf(page.text);
  assert.match(text, /2 signatures ajoutées\. Doublons \(lignes\) : 1, 4\. Illisibles \(lignes\) : 3/);
  const p = (await svc.getPetition(await t.ctx(null), ref)).petition;
  assert.equal(p.paper, 2);
  assert.equal(p.signatures, 4);
  assert.equal((await roles.get('citizen')!.post(`/fr/admin/petitions/${ref}/paper`, { lines: 'X Y ; A1' }, { csrf: null })).status, 403);
  // Neither the ID numbers nor the names of signers appear anywhere public.
  for (const path of [`/fr/petitions/${ref}`, '/fr/petitions.json', '/fr/petitions']) {
    const body = (await new Client(t.url).get(path)).text;
    assert.ok(!/AB123456|L778899|Khadija|Ahmed Alaoui/i.test(body), path);
  }
});

test('filing starts the bureau’s clock; admissibility with reasons on refusal; agenda and council decision; mails to the promoter', async () => {
  await promoter.get(`/fr/petitions/${ref}`);
  let r = await promoter.post(`/fr/petitions/${ref}/file`, {});
  assert.equal(r.status, 303);
  let p = (await svc.getPetition(await t.ctx(null), ref)).petition;
  assert.equal(p.status, 'filed');
  assert.ok(p.decisionDueOn && p.decisionDueOn > p.filedAt!.slice(0, 10));
  const clock = await svc.clockOf(await t.ctx(null), p);
  assert.ok(clock && clock.left > 55 && clock.left < 70, JSON.stringify(clock));
  let page = await new Client(t.url).get(`/fr/petitions/${ref}`);
  assert.match(textOf(page.text), /jours ouvrés restants/);

  const admin = roles.get('admin')!;
  await admin.get(`/fr/admin/petitions/${ref}`);
  r = await admin.post(`/fr/admin/petitions/${ref}/admissibility`, { decision: 'inadmissible', reason: '' });
  assert.equal(r.status, 400, 'a refusal needs reasons');
  assert.equal((await roles.get('counter_agent')!.post(`/fr/admin/petitions/${ref}/admissibility`, { decision: 'admissible' }, { csrf: null })).status, 403);
  r = await admin.post(`/fr/admin/petitions/${ref}/admissibility`, { decision: 'admissible', reason: '' });
  assert.equal(r.status, 303);
  r = await admin.post(`/fr/admin/petitions/${ref}/decision`, { decided_on: '2027-02-02', decision: 'Trop tôt' });
  assert.equal(r.status, 422, 'not on the agenda yet');
  r = await admin.post(`/fr/admin/petitions/${ref}/agenda`, { session_date: '2027-02-02', session_reference: 'Session ordinaire de février' });
  assert.equal(r.status, 303);
  r = await admin.post(`/fr/admin/petitions/${ref}/decision`, { decided_on: '2027-02-02', decision: 'Le conseil approuve l’installation de vingt bancs.' });
  assert.equal(r.status, 303);
  p = (await svc.getPetition(await t.ctx(null), ref)).petition;
  assert.equal(p.status, 'decided');
  page = await new Client(t.url).get(`/fr/petitions/${ref}`);
  const text = textOf(page.text);
  assert.match(text, /Session ordinaire de février/);
  assert.match(text, /vingt bancs/);
  assert.match(text, /Déclarée recevable par le bureau/);
  const user = await t.database.db.selectFrom('users').select('email').where('id', '=', promoterId).executeTakeFirstOrThrow();
  const mails = await t.database.db.selectFrom('outbox').select('subject').where('to_addr', '=', user.email).orderBy('id').execute();
  assert.deepEqual(mails.map((m) => m.subject.replace(/PET-\S+/, 'REF')), ['Pétition REF déposée', 'Pétition REF recevable', 'Pétition REF à l’ordre du jour', 'Décision du conseil sur la pétition REF']);
  // Every step is in the audit log.
  const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', ref).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => a.action).filter((a) => a !== 'petition.sign' && a !== 'petition.paper'), ['petition.create', 'petition.file', 'petition.admissible', 'petition.schedule', 'petition.decide']);
});

test('an inadmissible petition shows its reasons; the promoter gets them in their language', async () => {
  const ctx = await t.ctx();
  const u = await t.user('citizen');
  await t.database.db.updateTable('users').set({ locale: 'ar' }).where('id', '=', u.id).execute();
  const as = { ...ctx, actor: await actorFor(t, u.id, u.email) };
  const r2 = await svc.createPetition(as, { kind: 'association', title: 'Association', reasons: 'R', requestedAction: 'A', promoterName: 'Présidente', associationName: 'Association Amal' });
  await svc.file(as, r2);
  await svc.decideAdmissibility(ctx, r2, { decision: 'inadmissible', reason: 'Hors des attributions du conseil.' });
  const page = await new Client(t.url).get(`/fr/petitions/${r2}`);
  assert.match(textOf(page.text), /Hors des attributions du conseil/);
  const mail = await t.database.db.selectFrom('outbox').select(['subject', 'body_text']).where('to_addr', '=', u.email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.match(mail.subject, /غير مقبولة/);
  assert.match(mail.body_text, /Hors des attributions/);
});
