// The requests module: reporting without JavaScript, the counter, staff answers and who may give
// them, reopening, contesting and the mediator, duplicate merges, mail through a real SMTP server,
// photos stripped of EXIF, and no personal data in any public page or export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startApp, Client, textOf, actorFor, type TestApp } from './helpers.ts';
import { startSmtp } from './smtp.ts';
import { drainOutbox } from '../src/core/mail/index.ts';
import { mutate } from '../src/core/service.ts';
import { stageFile, recordFile, storagePath } from '../src/core/files/index.ts';
import type { Ctx } from '../src/core/service.ts';
import { ForbiddenError, RuleError } from '../src/core/http/errors.ts';
import * as svc from '../src/modules/requests/service.ts';
import * as wf from '../src/modules/requests/workflow.ts';
import * as st from '../src/modules/requests/settings.ts';
import { runRequestJobs } from '../src/modules/requests/jobs.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t?.close(); });

const anon = async (locale: 'fr' | 'ar' = 'fr'): Promise<Ctx> => ({ ...(await t.ctx()), actor: null, locale });
const as = async (userId: number): Promise<Ctx> => t.ctx(await actorFor(t, userId));
const later = (ctx: Ctx, days: number): Ctx => ({ ...ctx, clock: { now: () => new Date(Date.now() + days * 86_400_000) } });

/** A lighting request (routed to the works department) filed by an anonymous citizen. */
async function fileRequest(fields: Record<string, unknown> = {}, channel: 'web' | 'api' = 'web') {
  return svc.submitRequest(await anon(), { category: 'eclairage', district: 'medina', description: 'Lampadaire éteint devant le numéro 12.', q_nombre: '2', ...fields }, { channel });
}

async function staff(role: string, institution?: string) {
  const u = await t.user(role, institution);
  return { ...u, ctx: await as(u.id) };
}

async function signedIn(role: string, institution?: string) {
  const u = await t.user(role, institution);
  const c = new Client(t.url);
  await c.login(u.email);
  return { ...u, c };
}

async function rowOf(reference: string) {
  return (await t.database.db.withTables<any>().selectFrom('requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()) as any;
}

/** A JPEG carrying EXIF, GPS position included, as a phone would send it. */
async function jpegWithGps(): Promise<Buffer> {
  const img = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#b33' } }).jpeg()
    .withExif({ IFD0: { Copyright: 'PLANTED-EXIF-MARKER', Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 34/1 4200/100', GPSLongitudeRef: 'W', GPSLongitude: '5/1 22/1 600/100' } })
    .toBuffer();
  assert.ok((await sharp(img).metadata()).exif, 'the test photo carries EXIF');
  return img;
}

const REPORT = {
  category: 'voirie', district: 'touabel', address: 'Rue des Orangers, devant la pharmacie', lat: '', lng: '',
  description: 'Un regard sans couvercle sur le trottoir.', q_problemes: ['regard', 'trottoir'], q_danger: 'oui', name: 'Nadia', email: '', phone: '',
};

test('a citizen reports without an account, without JavaScript: check step, similar requests, photo, tracking code', async () => {
  // An open request of the same category in the same district, to be offered before sending.
  const existing = await svc.submitRequest(await anon(), { ...REPORT, description: 'Regard ouvert, rue voisine.', q_problemes: 'regard' }, { channel: 'web' });
  const c = new Client(t.url);
  const form = await c.get('/fr/requests/new?category=voirie');
  assert.equal(form.status, 200);
  assert.match(textOf(form.text), /Ce que vous constatez/);
  assert.match(form.text, /<script type="module" src="\/static\/js\/report-map.js">/);

  const check = await c.post('/fr/requests/new/check', REPORT);
  assert.equal(check.status, 200);
  const text = textOf(check.text);
  assert.match(text, /Vérifiez votre signalement/);
  assert.match(text, /Des signalements semblables sont déjà ouverts/);
  assert.ok(text.includes(existing.reference), 'the similar open request is offered');
  // Every typed value travels on in hidden fields.
  assert.match(check.text, /name="address" value="Rue des Orangers, devant la pharmacie"/);
  assert.match(check.text, /name="q_problemes" value="regard"/);
  assert.match(check.text, /name="q_problemes" value="trottoir"/);

  const photo = await jpegWithGps();
  const sent = await c.postMultipart('/fr/requests/new', { ...REPORT }, { photos: { name: 'IMG_0001.jpg', data: photo, type: 'image/jpeg' } });
  assert.equal(sent.status, 303);
  const reference = sent.location!.match(/requests\/([A-Z]{3}-\d{4}-\d{6})\/submitted/)![1];
  assert.match(reference, /^TET-\d{4}-\d{6}$/);
  const done = await c.get(sent.location!);
  const code = textOf(done.text).match(/Code de suivi ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/)?.[1];
  assert.ok(code, 'the tracking code is shown once after sending');
  // The code is shown to the one who sent it, not to anyone opening the same address.
  assert.doesNotMatch(textOf((await new Client(t.url).get(sent.location!)).text), /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);

  const row = await rowOf(reference);
  assert.equal(row.channel, 'web');
  assert.equal(row.status, 'submitted');
  assert.equal(JSON.parse(row.answers).problemes.sort().join(','), 'regard,trottoir');
  assert.ok(row.due_on > row.created_at.slice(0, 10), 'a deadline in working days');
  assert.notEqual(row.tracking_hash, code, 'only a hash of the code is stored');

  // The stored photo: resized, re-encoded, with no EXIF (and so no GPS position) left.
  const page = await c.get(`/fr/requests/${reference}`);
  const src = page.text.match(/<img src="([^"]+\/requests\/photos\/\d+)"/)![1];
  const img = await fetch(t.url + src);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await img.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, 'no EXIF block');
  assert.ok(!bytes.includes(Buffer.from('PLANTED-EXIF-MARKER')));
  assert.ok((meta.width ?? 0) <= 1600, 'resized to 1600 px at most');

  // Lookup by tracking code leads to the reporter's page; by reference to the public page.
  const byCode = await c.get(`/fr/requests/lookup?q=${encodeURIComponent(code!.toLowerCase())}`);
  assert.equal(byCode.status, 303);
  assert.match(byCode.location!, /\/fr\/requests\/track\//);
  assert.equal((await c.get(`/fr/requests/lookup?q=${reference.toLowerCase()}`)).location, `/fr/requests/${reference}`);
  assert.equal((await c.get('/fr/requests/lookup?q=TET-1999-000999')).status, 404);
});

test('bad input re-renders the form with everything typed; a bad photo keeps the report and says to choose photos again', async () => {
  const c = new Client(t.url);
  await c.get('/fr/requests/new?category=voirie');
  const bad = await c.post('/fr/requests/new/check', { ...REPORT, description: '', email: 'pas-une-adresse', q_danger: '', district: '' });
  assert.equal(bad.status, 400);
  const text = textOf(bad.text);
  assert.match(text, /Le formulaire contient des erreurs/);
  assert.match(text, /Ce champ est obligatoire/);
  assert.match(text, /Saisissez une adresse e-mail valide/);
  assert.match(text, /Choisissez le quartier/);
  assert.match(bad.text, /value="Rue des Orangers, devant la pharmacie"/);
  assert.match(bad.text, /value="pas-une-adresse"/);
  assert.match(bad.text, /value="regard" checked/);
  assert.match(bad.text, /value="Nadia"/);

  // The final step with a file that is not a photo: nothing stored, the check page again with the report.
  await c.post('/fr/requests/new/check', REPORT);
  const before: any = await t.database.db.withTables<any>().selectFrom("requests").select((eb: any) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const res = await c.postMultipart('/fr/requests/new', REPORT, { photos: { name: 'photo.jpg', data: Buffer.from('%PDF-1.4 not a photo'), type: 'image/jpeg' } });
  assert.equal(res.status, 422);
  assert.match(textOf(res.text), /choisissez-les à nouveau/);
  assert.match(res.text, /name="description" value="Un regard sans couvercle sur le trottoir."/);
  const afterCount: any = await t.database.db.withTables<any>().selectFrom("requests").select((eb: any) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n), 'nothing stored half');

  // Four photos are refused too.
  const img = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } }).jpeg().toBuffer();
  await c.post('/fr/requests/new/check', REPORT);
  const many = await c.postMultipart('/fr/requests/new', REPORT, { photos: [1, 2, 3, 4].map((i) => ({ name: `${i}.jpg`, data: img, type: 'image/jpeg' })) });
  assert.equal(many.status, 422);
  assert.match(textOf(many.text), /3 photos au plus/);

  // Unknown category or district, answers outside the options.
  await assert.rejects(svc.submitRequest(await anon(), { ...REPORT, category: 'nope' }, { channel: 'web' }), (e: any) => !!e.fields?.category);
  await assert.rejects(svc.submitRequest(await anon(), { ...REPORT, q_danger: 'peut-etre' }, { channel: 'web' }), (e: any) => e.fields?.q_danger?.key === 'errors.choice');
  await assert.rejects(svc.submitRequest(await anon(), { ...REPORT, lat: '35.5', lng: '' }, { channel: 'web' }), (e: any) => !!e.fields?.lat);
});

test('lifecycle: each step, and who may take it', async () => {
  const works = await staff('department_staff', 'travaux');
  const works2 = await staff('department_staff', 'travaux');
  const waste = await staff('operator_staff', 'operateur-proprete');
  const counter = await staff('counter_agent');
  const citizen = await staff('citizen');
  const mediator = await staff('mediator');
  const moderator = await staff('moderator');
  const monitor = await staff('monitor');
  const { reference } = await fileRequest();

  // Nobody but the works department (and the administrator) answers a lighting request.
  for (const who of [waste, counter, citizen, mediator, moderator, monitor]) {
    await assert.rejects(wf.acknowledge(who.ctx, reference, {}), ForbiddenError, `${who.email} may not acknowledge`);
    await assert.rejects(wf.resolve(who.ctx, reference, { note: 'x' }), ForbiddenError);
    await assert.rejects(wf.addNote(who.ctx, reference, { note: 'x' }), ForbiddenError);
  }
  await assert.rejects(wf.acknowledge({ ...(await anon()) }, reference, {}), /unauthenticated/);

  await wf.acknowledge(works.ctx, reference, { note: 'Reçu, une équipe passera.' });
  await assert.rejects(wf.acknowledge(works.ctx, reference, {}), RuleError, 'no second acknowledgement');
  await wf.assign(works.ctx, reference, { assignee_id: String(works2.id) });
  await assert.rejects(wf.assign(works.ctx, reference, { assignee_id: String(waste.id) }), (e: any) => e instanceof RuleError && e.field === 'assignee_id');
  await wf.startWork(works2.ctx, reference, {});
  await wf.addNote(works2.ctx, reference, { note: 'NOTE-INTERNE-123 : commander une ampoule' });
  await assert.rejects(wf.resolve(works2.ctx, reference, { note: '' }), (e: any) => !!e.fields?.note, 'a resolution needs a public note');
  await wf.resolve(works2.ctx, reference, { note: 'Ampoule remplacée.' });
  const row = await rowOf(reference);
  assert.equal(row.status, 'resolved');
  assert.equal(row.assignee_id, works2.id);
  assert.ok(row.first_response_at && row.acknowledged_at && row.resolved_at && row.closed_at);
  assert.equal(row.within_target, 1);
  assert.equal(typeof row.resolution_days, 'number');

  // The public page shows the public answers, never the internal note.
  const pub = textOf((await new Client(t.url).get(`/fr/requests/${reference}`)).text);
  assert.match(pub, /Ampoule remplacée/);
  assert.match(pub, /Reçu, une équipe passera/);
  assert.doesNotMatch(pub, /NOTE-INTERNE-123/);
  // The staff file shows it to the department, and the queue lists the request for it only.
  const w = new Client(t.url);
  await w.login(works.email);
  assert.match(textOf((await w.get(`/fr/admin/requests/${reference}`)).text), /NOTE-INTERNE-123/);
  assert.ok(textOf((await w.get('/fr/admin/requests?status=all')).text).includes(reference));
  const o = new Client(t.url);
  await o.login(waste.email);
  assert.ok(!textOf((await o.get('/fr/admin/requests?status=all')).text).includes(reference), 'another institution’s queue does not list it');
  // An operator opening the file of a works request is refused; a citizen too.
  assert.equal((await o.get(`/fr/admin/requests/${reference}`)).status, 403);
  const cc = new Client(t.url);
  await cc.login(citizen.email);
  assert.equal((await cc.get(`/fr/admin/requests/${reference}`)).status, 403);
  assert.equal((await cc.get('/fr/admin/requests')).status, 403);
});

test('staff answer through the page: a department cannot act on another’s request; rejection needs its reason', async () => {
  const works = await signedIn('department_staff', 'travaux');
  const waste = await signedIn('operator_staff', 'operateur-proprete');
  const mine = await fileRequest();
  const theirs = await svc.submitRequest(await anon(), { category: 'dechets', district: 'medina', description: 'Bac plein.', q_probleme: 'bac-plein' }, { channel: 'web' });

  await works.c.get(`/fr/admin/requests/${mine.reference}`);
  const ok = await works.c.postMultipart(`/fr/admin/requests/${mine.reference}/answer`, { status: 'in_progress', note: 'On s’en occupe.' });
  assert.equal(ok.status, 303);
  assert.equal((await rowOf(mine.reference)).status, 'in_progress');

  // The works department posting on the waste operator's request is refused, and nothing changes.
  const refused = await works.c.postMultipart(`/fr/admin/requests/${theirs.reference}/answer`, { status: 'resolved', note: 'Fait.' });
  assert.equal(refused.status, 403);
  assert.equal((await rowOf(theirs.reference)).status, 'submitted');

  // Rejection as "not competent" needs a referral; the page says so and keeps the note.
  await waste.c.get(`/fr/admin/requests/${theirs.reference}`);
  const missing = await waste.c.postMultipart(`/fr/admin/requests/${theirs.reference}/answer`, { status: 'rejected', reason: 'not_competent', note: 'NOTE-GARDEE', referral: '' });
  assert.equal(missing.status, 422);
  assert.match(missing.text, /NOTE-GARDEE/);
  const rejected = await waste.c.postMultipart(`/fr/admin/requests/${theirs.reference}/answer`, { status: 'rejected', reason: 'not_competent', note: '', referral: 'Adressez-vous au portail national www.chikaya.ma' });
  assert.equal(rejected.status, 303);
  const pub = textOf((await new Client(t.url).get(`/fr/requests/${theirs.reference}`)).text);
  assert.match(pub, /Clos : ne relève pas de la commune/);
  assert.match(pub, /www\.chikaya\.ma/);

  // Templates prefill the answer in the reporter's language.
  const page = await works.c.get(`/fr/admin/requests/${mine.reference}`);
  const link = page.text.match(/href="([^"]*\?template=\d+#answer)"/);
  assert.ok(link, 'response templates are offered');
  const prefilled = await works.c.get(link![1].replace(/&amp;/g, '&'));
  assert.match(textOf(prefilled.text), /Bonjour, votre signalement a bien été reçu/);
});

test('the counter enters a request for a citizen: printable receipt, name and phone private', async () => {
  const agent = await signedIn('counter_agent');
  const start = await agent.c.get('/fr/admin/requests/new');
  assert.equal(start.status, 200);
  await agent.c.get('/fr/admin/requests/new?category=dechets');
  const res = await agent.c.postMultipart('/fr/admin/requests/new', {
    category: 'dechets', channel: 'phone', district: 'kouilma', address: 'Derb Sidi Saidi', description: 'Bac renversé depuis hier.', q_probleme: 'bac-abime',
    name: 'Abdeslam GUICHET-NOM', name_public: '1', phone: '+212 600 11 22 33', email: '',
  });
  assert.equal(res.status, 303);
  const reference = res.location!.match(/admin\/requests\/([A-Z]{3}-\d{4}-\d{6})\/receipt/)![1];
  const receipt = await agent.c.get(res.location!);
  const text = textOf(receipt.text);
  assert.match(text, /Reçu de signalement/);
  assert.ok(text.includes(reference));
  const code = text.match(/Code de suivi ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/)?.[1];
  assert.ok(code, 'the receipt gives the tracking code');
  assert.match(receipt.text, /class="[^"]*receipt/);

  const row = await rowOf(reference);
  assert.equal(row.channel, 'phone');
  assert.equal(row.name_public, 0, 'a counter entry never shows the name, whatever was posted');
  assert.equal(row.reporter_phone, '+212 600 11 22 33');
  assert.equal(row.entered_by, agent.id);
  const pub = await new Client(t.url).get(`/fr/requests/${reference}`);
  assert.doesNotMatch(pub.text, /GUICHET-NOM|600 11 22 33/);
  assert.match(textOf(pub.text), /par téléphone/);

  // A lost code: the counter issues a new one; the old one stops working.
  const again = await agent.c.post(`/fr/admin/requests/${reference}/new-code`, {});
  assert.equal(again.status, 303);
  const code2 = textOf((await agent.c.get(again.location!)).text).match(/Code de suivi ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/)?.[1];
  assert.ok(code2 && code2 !== code);
  assert.equal((await new Client(t.url).get(`/fr/requests/track/${code}`)).status, 404);
  assert.equal((await new Client(t.url).get(`/fr/requests/track/${code2}`)).status, 200);

  // Only counter agents (and the administrator) may enter on behalf of someone.
  const citizen = await staff('citizen');
  await assert.rejects(svc.submitRequest(citizen.ctx, { category: 'dechets', district: 'medina', description: 'x', q_probleme: 'bac-plein' }, { channel: 'counter' }), ForbiddenError);
});

test('is it fixed: one reopening within 30 days, then a contest that the mediator rules on publicly', async () => {
  const works = await staff('department_staff', 'travaux');
  const mediator = await signedIn('mediator');
  const { reference, trackingCode } = await fileRequest({ name: 'Rachid', name_public: '1' });
  const key = { code: trackingCode };
  await wf.resolve(works.ctx, reference, { note: 'Réparé.' });

  // Contesting before using the reopening is not offered yet.
  await assert.rejects(wf.contest(await anon(), key, { reason: 'non' }), RuleError);
  const c = new Client(t.url);
  const page = await c.get(`/fr/requests/track/${trackingCode}`);
  assert.match(textOf(page.text), /Le problème est-il réglé/);
  const fb = await c.post(`/fr/requests/track/${trackingCode}/feedback`, { fixed: 'no', satisfaction: '2', comment: 'Toujours éteint.' });
  assert.equal(fb.status, 303);
  assert.match(fb.location!, /done=reopened/);
  let row = await rowOf(reference);
  assert.equal(row.status, 'reopened');
  assert.equal(row.reopen_count, 1);
  assert.equal(row.closed_at, null);
  assert.equal(row.satisfaction, 2);

  await wf.resolve(works.ctx, reference, { note: 'Réparé une deuxième fois.' });
  // No second reopening: "not fixed" now offers the mediator.
  const r2 = await wf.giveFeedback(await anon(), key, { fixed: 'no', satisfaction: '1', comment: '' });
  assert.equal(r2.outcome, 'can_contest');
  assert.equal((await rowOf(reference)).status, 'resolved');
  const contestRes = await c.post(`/fr/requests/track/${trackingCode}/contest`, { reason: 'RAISON-PRIVEE : la rue reste dans le noir.' });
  assert.equal(contestRes.status, 303);
  row = await rowOf(reference);
  assert.equal(row.contest_status, 'pending');
  await assert.rejects(wf.contest(await anon(), key, { reason: 'encore' }), RuleError, 'one contest');

  // Out of the 30 days, neither reopening nor contest.
  const other = await fileRequest();
  await wf.resolve(works.ctx, other.reference, { note: 'Fait.' });
  const late = await wf.giveFeedback(later(await anon(), 31), { code: other.trackingCode }, { fixed: 'no', satisfaction: '1' });
  assert.equal(late.outcome, 'closed', 'after 30 days: no reopening, no contest');
  assert.equal((await rowOf(other.reference)).status, 'resolved');

  // Only the mediator rules; the department cannot.
  await assert.rejects(wf.rule(works.ctx, reference, { decision: 'upheld', ruling: 'x' }), ForbiddenError);
  const file = await mediator.c.get(`/fr/admin/requests/${reference}`);
  assert.equal(file.status, 200);
  assert.match(textOf(file.text), /RAISON-PRIVEE/, 'the mediator reads the whole file');
  assert.ok(textOf((await mediator.c.get('/fr/admin/requests/contests')).text).includes(reference));
  const ruled = await mediator.c.post(`/fr/admin/requests/${reference}/rule`, { decision: 'upheld', ruling: 'DECISION-PUBLIQUE : le service doit remplacer le câble.' });
  assert.equal(ruled.status, 303);
  row = await rowOf(reference);
  assert.equal(row.contest_status, 'upheld');
  assert.equal(row.status, 'reopened');
  const pub = textOf((await new Client(t.url).get(`/fr/requests/${reference}`)).text);
  assert.match(pub, /DECISION-PUBLIQUE/);
  assert.match(pub, /contestation fondée/);
  assert.doesNotMatch(pub, /RAISON-PRIVEE/, 'the citizen’s reason stays with the mediator');
  assert.match(pub, /Rachid/);

  // The reporter hides their name.
  await c.post(`/fr/requests/track/${trackingCode}/hide-name`, {});
  assert.doesNotMatch(textOf((await new Client(t.url).get(`/fr/requests/${reference}`)).text), /Rachid/);
});

/** The photo files on disk now, by path. */
function storedFiles(): Set<string> {
  const root = path.join(t.config.dataDir, 'files', String(t.commune.id));
  return new Set(fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(jpeg|png|webp)$/.test(f)) : []);
}

test('a photo reaches the disk before its transaction opens, which only records its row', async () => {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } }).jpeg().toBuffer();
  const beforeFiles = storedFiles();
  // What was on disk when each transaction began (BEGIN, or BEGIN IMMEDIATE on SQLite).
  const atBegin: Set<string>[] = [];
  const { result: sent, sql } = await t.statements(async () => {
    const stop = t.database.observe((s) => { if (/^begin/i.test(s)) atBegin.push(storedFiles()); });
    try {
      return await svc.submitRequest(await anon(), { ...REPORT, description: 'Photo avant la transaction.' }, { channel: 'web', photos: [{ filename: 'a.jpg', mimetype: 'image/jpeg', data: jpeg, truncated: false }] });
    } finally { stop(); }
  });
  const added = [...storedFiles()].filter((f) => !beforeFiles.has(f));
  assert.equal(added.length, 1, 'one photo written');
  assert.equal(atBegin.length, 1, `one transaction:\n${sql.join('\n')}`);
  assert.ok(atBegin[0].has(added[0]), 'the photo was on disk (written and fsynced) before the transaction began');
  const photos = await t.database.db.withTables<any>().selectFrom('request_photos as p').innerJoin('requests as r', 'r.id', 'p.request_id')
    .select('p.id').where('r.reference', '=', sent.reference).execute();
  assert.equal(photos.length, 1, 'its row recorded in the transaction');

  // A staged file whose transaction rolls back stays on disk unreferenced, and is served by nothing.
  const orphan = { data: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).png().toBuffer(), kind: 'png' as const, name: 'orphan.png' };
  const staged = await stageFile(t.config.dataDir, t.commune.id, orphan);
  assert.ok(fs.existsSync(storagePath(t.config.dataDir, t.commune.id, staged.sha256, 'png')));
  await assert.rejects(mutate(await t.ctx(), { permission: null, action: 'test.rollback', entity: 'file' }, async (trx) => {
    await recordFile(trx, t.commune.id, staged, null);
    throw new Error('rolled back');
  }), /rolled back/);
  assert.equal((await t.database.db.selectFrom('files').select('id').where('sha256', '=', staged.sha256).execute()).length, 0, 'no row for the rolled-back file');
  // Staging the same content again reuses the bytes; recording it then references them.
  const again = await stageFile(t.config.dataDir, t.commune.id, orphan);
  assert.equal(again.sha256, staged.sha256);
  const rec = await mutate(await t.ctx(), { permission: null, action: 'test.record', entity: 'file' }, async (trx) => ({ result: await recordFile(trx, t.commune.id, again, null) }));
  assert.ok(rec.id > 0);
});

test('a duplicate is merged: its followers move to the original, and are told', async () => {
  const works = await staff('department_staff', 'travaux');
  const original = await fileRequest({ description: 'ORIGINAL' });
  const dup = await fileRequest({ description: 'DOUBLON', email: 'reporter.dup@example.org' });
  const follower = await signedIn('citizen');
  await follower.c.get(`/fr/requests/${dup.reference}`);
  const f = await follower.c.post(`/fr/requests/${dup.reference}/follow`, { email: follower.email });
  assert.equal(f.status, 303);

  await assert.rejects(wf.reject(works.ctx, dup.reference, { reason: 'duplicate', duplicate_of: dup.reference }), (e: any) => e instanceof RuleError && e.field === 'duplicate_of');
  await assert.rejects(wf.reject(works.ctx, dup.reference, { reason: 'duplicate', duplicate_of: 'TET-1999-000001' }), (e: any) => e instanceof RuleError && e.field === 'duplicate_of');
  await wf.reject(works.ctx, dup.reference, { reason: 'duplicate', duplicate_of: original.reference.toLowerCase() });

  const db = t.database.db.withTables<any>();
  const orig = await rowOf(original.reference);
  const followers = await db.selectFrom('request_followers').select(['email', 'request_id', 'is_reporter']).where('request_id', '=', orig.id).execute();
  const emails = followers.map((x: any) => x.email).sort();
  assert.deepEqual(emails, [follower.email, 'reporter.dup@example.org'].sort());
  assert.ok(followers.every((x: any) => x.is_reporter === 0), 'the duplicate’s reporter follows the original, without becoming its reporter');
  const dupRow = await rowOf(dup.reference);
  assert.equal(dupRow.status, 'rejected');
  assert.equal(dupRow.duplicate_of_id, orig.id);
  assert.equal((await db.selectFrom('request_followers').select('id').where('request_id', '=', dupRow.id).execute()).length, 0);
  const pub = textOf((await new Client(t.url).get(`/fr/requests/${dup.reference}`)).text);
  assert.ok(pub.includes(`Ce signalement a été fusionné avec ${original.reference}`));
  assert.ok(textOf((await new Client(t.url).get(`/fr/requests/${original.reference}`)).text).includes(dup.reference));
  const mails = await db.selectFrom('outbox').select(['to_addr', 'subject']).where('to_addr', 'in', [follower.email, 'reporter.dup@example.org']).execute();
  assert.ok(mails.some((m: any) => m.to_addr === follower.email && m.subject.includes(dup.reference) && m.subject.includes(original.reference)), 'followers are told of the merge');
});

test('a duplicate merge is scoped: no staff member merges into another institution’s request, nothing written when refused', async () => {
  const db = t.database.db.withTables<any>();
  const works = await signedIn('department_staff', 'travaux');
  const operator = await signedIn('operator_staff', 'operateur-proprete');
  const admin = await staff('admin');
  // A works request, and a waste request (the cleaning operator's), each with a follower who gets mail.
  const ours = await fileRequest({ description: 'CHEZ-NOUS', email: 'reporter.ours@example.org' });
  const theirs = await svc.submitRequest(await anon(), { category: 'dechets', district: 'medina', description: 'CHEZ-EUX', email: 'reporter.theirs@example.org', q_probleme: 'bac-plein' }, { channel: 'web' });
  // A works request an admin merged into the operator's request: a chain that ends in another institution.
  const chained = await fileRequest({ description: 'CHAINE' });
  await wf.reject(admin.ctx, chained.reference, { reason: 'duplicate', duplicate_of: theirs.reference });

  const snapshot = async () => {
    const rows = await db.selectFrom('requests').select(['id', 'reference', 'status', 'duplicate_of_id', 'updated_at']).where('reference', 'in', [ours.reference, theirs.reference]).orderBy('id').execute();
    const ids = rows.map((r: any) => r.id);
    return {
      rows,
      events: await db.selectFrom('request_events').select(['request_id', 'kind']).where('request_id', 'in', ids).orderBy('id').execute(),
      followers: await db.selectFrom('request_followers').select(['request_id', 'email']).where('request_id', 'in', ids).orderBy('id').execute(),
      mails: Number((await db.selectFrom('outbox').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow() as any).n),
      audit: Number((await db.selectFrom('audit_log').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow() as any).n),
    };
  };
  const before = await snapshot();
  for (const [who, reference, into] of [[works, ours.reference, theirs.reference], [works, ours.reference, chained.reference], [operator, theirs.reference, ours.reference]] as const) {
    await who.c.get(`/fr/admin/requests/${reference}`);
    const res = await who.c.post(`/fr/admin/requests/${reference}/answer`, { status: 'rejected', reason: 'duplicate', duplicate_of: into });
    assert.equal(res.status, 403, `${reference} into ${into}: refused`);
    assert.deepEqual(await snapshot(), before, `${reference} into ${into}: nothing written (no event, no mail, no follower moved, no audit entry)`);
  }
  // The service says the same to any caller.
  await assert.rejects(wf.reject(await as(works.id), ours.reference, { reason: 'duplicate', duplicate_of: theirs.reference }), ForbiddenError);
  assert.deepEqual(await snapshot(), before);

  // Within its own institution the merge still works, through the form.
  const other = await fileRequest({ description: 'AUTRE-CHEZ-NOUS' });
  await works.c.get(`/fr/admin/requests/${other.reference}`);
  const ok = await works.c.post(`/fr/admin/requests/${other.reference}/answer`, { status: 'rejected', reason: 'duplicate', duplicate_of: ours.reference });
  assert.equal(ok.status, 303);
  assert.equal((await rowOf(other.reference)).duplicate_of_id, (await rowOf(ours.reference)).id);
});

test('mail through a real SMTP server: confirmation, every public change, unsubscribe and follow confirmation by the buttons behind their links', async () => {
  const smtp = await startSmtp();
  try {
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom, 1000);
    smtp.mails.length = 0;
    const works = await staff('department_staff', 'travaux');
    const { reference, trackingCode } = await svc.submitRequest(await anon('ar'), {
      category: 'eclairage', district: 'ensanche', description: 'عمود الإنارة مطفأ', q_nombre: '1', email: 'Citoyenne@Example.org',
    }, { channel: 'web' });
    // A stranger follows by email: confirmation first, nothing else until confirmed.
    const stranger = new Client(t.url);
    await stranger.get(`/fr/requests/${reference}`);
    const fol = await stranger.post(`/fr/requests/${reference}/follow`, { email: 'voisin@example.org' });
    assert.equal(fol.status, 303);
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom);
    const confirmation = smtp.mails.find((m) => m.to.some((a) => a.toLowerCase() === 'citoyenne@example.org'));
    assert.ok(confirmation, 'the reporter gets a confirmation');
    assert.ok(confirmation!.subject.includes(reference));
    assert.ok(confirmation!.text.includes(trackingCode), 'with the tracking code');
    assert.match(confirmation!.text, /تم تسجيل تبليغكم/, 'in the reporter’s language');
    const ask = smtp.mails.find((m) => m.to.includes('voisin@example.org'))!;
    assert.ok(ask, 'the stranger is asked to confirm');
    const confirmLink = ask.text.match(/https?:\/\/\S+\/requests\/follow\/[\w-]+/)![0];

    smtp.mails.length = 0;
    await wf.acknowledge(works.ctx, reference, { note: 'PRISE-EN-COMPTE' });
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom);
    assert.equal(smtp.mails.length, 1, 'only the reporter: the stranger has not confirmed');
    const change = smtp.mails[0];
    assert.match(change.text, /PRISE-EN-COMPTE/);
    const unsubscribe = change.text.match(/https?:\/\/\S+\/requests\/unsubscribe\/[\w-]+/)![0];

    // A mail's link only asks (mail systems open links to scan them); its button acts.
    const db = t.database.db.withTables<any>();
    const { id: requestId } = await db.selectFrom('requests').select('id').where('commune_id', '=', t.commune.id).where('reference', '=', reference).executeTakeFirstOrThrow();
    const followers = (): Promise<{ email: string; confirmed: number }[]> => db.selectFrom('request_followers').select(['email', 'confirmed']).where('request_id', '=', requestId).orderBy('email').execute();
    const confirmPath = new URL(confirmLink).pathname, unsubscribePath = new URL(unsubscribe).pathname;
    const before = await followers();
    const asked = await new Client(t.url).get(confirmPath);
    assert.equal(asked.status, 200);
    assert.match(asked.text, new RegExp(`action="${confirmPath}"`), 'a button that posts to the link');
    assert.equal((await new Client(t.url).get(unsubscribePath)).status, 200);
    assert.deepEqual(await followers(), before, 'opening the links changes nothing');
    const confirmed = await stranger.submit(confirmPath, confirmPath, {});
    assert.equal(confirmed.status, 200);
    assert.match(textOf(confirmed.text), new RegExp(reference));
    const un = await new Client(t.url).submit(unsubscribePath, unsubscribePath, {});
    assert.equal(un.status, 200);
    assert.match(textOf(un.text), new RegExp(reference));
    assert.deepEqual((await followers()).map((f) => [f.email, f.confirmed]), [['voisin@example.org', 1]], 'the stranger follows, the reporter no longer');
    // A POST without the page's CSRF token does nothing.
    assert.equal((await new Client(t.url).post(confirmPath, {}, { csrf: null })).status, 403);
    smtp.mails.length = 0;
    await wf.resolve(works.ctx, reference, { note: 'RESOLU-MAIL' });
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom);
    assert.deepEqual(smtp.mails.map((m) => m.to).flat(), ['voisin@example.org'], 'the unsubscribed reporter gets nothing; the confirmed follower does');
    assert.match(smtp.mails[0].text, /RESOLU-MAIL/);
    assert.match(smtp.mails[0].text, /\/requests\/unsubscribe\//, 'every mail has its unsubscribe link');
    // RFC 8058: the same link in List-Unsubscribe, and the mail client's one-click POST (no cookie, no token) stops the mail.
    const head = smtp.mails[0].raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(head)?.[1].trim();
    const strangerLink = smtp.mails[0].text.match(/https?:\/\/\S+\/requests\/unsubscribe\/[\w-]+/)![0];
    assert.equal(header('List-Unsubscribe'), `<${strangerLink}>`);
    assert.equal(header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const forged = await fetch(strangerLink.replace(/^https?:\/\/[^/]+/, t.url), { method: 'POST', body: 'List-Unsubscribe=Other', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(forged.status, 403, 'any other body still needs the CSRF token');
    const notThere = await fetch(`${t.url}${confirmPath}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(notThere.status, 403, 'only the unsubscribe link takes the one-click POST');
    const oneClick = await fetch(strangerLink.replace(/^https?:\/\/[^/]+/, t.url), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(oneClick.status, 200);
    assert.deepEqual(await followers(), [], 'nobody follows any more');
  } finally { await smtp.close(); }
});

test('overdue requests are flagged and escalated to the head by mail, once', async () => {
  const admin = await t.ctx();
  const head = await staff('department_staff', 'travaux');
  const institution = await t.database.db.selectFrom('institutions').select('id').where('slug', '=', 'travaux').executeTakeFirstOrThrow();
  await st.setHead(admin, institution.id, { user_id: String(head.id) });
  const { reference } = await fileRequest();
  const row = await rowOf(reference);
  const future = later(admin, 60);
  const first = await wf.escalateOverdue(future);
  assert.ok(first >= 1);
  const again = await wf.escalateOverdue(future);
  assert.equal(again, 0, 'escalated once');
  assert.ok((await rowOf(reference)).escalated_at);
  const mails = await t.database.db.selectFrom('outbox').select(['to_addr', 'body_text']).where('to_addr', '=', head.email).execute();
  assert.equal(mails.filter((m) => m.body_text.includes(reference)).length, 1);
  assert.ok(row.due_on < new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
  const w = new Client(t.url);
  await w.login(head.email);
  assert.match(textOf((await w.get(`/fr/admin/requests/${reference}`)).text), /Signalé au responsable/);
});

test('staff mail speaks its recipient’s language: an Arabic-preferring staff member gets the escalation in Arabic when a French speaker triggers it', async () => {
  const smtp = await startSmtp();
  try {
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom, 5000);
    smtp.mails.length = 0;
    // The cleaning operator has no head: its staff get the list, each in their own language.
    const arabic = await t.user('operator_staff', 'operateur-proprete');
    const french = await t.user('operator_staff', 'operateur-proprete');
    await t.database.db.updateTable('users').set({ locale: 'ar' }).where('id', '=', arabic.id).execute();
    const { reference } = await svc.submitRequest(await anon(), { category: 'dechets', district: 'medina', description: 'Bac plein depuis une semaine.', q_probleme: 'bac-plein' }, { channel: 'web' });
    const admin = await staff('admin');
    const trigger = later({ ...admin.ctx, locale: 'fr', t: (await t.ctx()).tFor('fr') }, 90);
    assert.ok((await wf.escalateOverdue(trigger)) >= 1);
    await drainOutbox(t.database.db, smtp.transport, t.config.mailFrom, 5000);
    const to = (email: string) => smtp.mails.filter((m) => m.to.includes(email) && m.text.includes(reference));
    const [ar] = to(arabic.email), [fr] = to(french.email);
    assert.ok(ar && fr, 'both staff members are told');
    assert.match(ar.subject, /تجاوز/, `Arabic subject: ${ar.subject}`);
    assert.match(ar.text, /مرحبا/);
    assert.ok(ar.text.includes(`/ar/admin/requests/${reference}`), 'the link opens the file in Arabic');
    assert.doesNotMatch(ar.text, /Bonjour|délai/);
    assert.match(fr.subject, /dépassé/);
    assert.match(fr.text, /Bonjour/);
    assert.ok(fr.text.includes(`/fr/admin/requests/${reference}`));
  } finally { await smtp.close(); }
});

test('privacy: a planted email, phone and hidden name appear in no public page, map data or export', async () => {
  const MARK = { email: 'planted.marker.7731@example.org', phone: '+212 699 77 31 00', name: 'PLANTED-NAME-7731' };
  const works = await staff('department_staff', 'travaux');
  const a = await svc.submitRequest(await anon(), { category: 'eclairage', district: 'medina', description: 'Privacy check', q_nombre: '1', lat: '35.5727', lng: '-5.3688', ...MARK }, { channel: 'web' });
  const b = await svc.submitRequest(await anon(), { category: 'eclairage', district: 'medina', description: 'Privacy check API', q_nombre: '1', ...MARK }, { channel: 'api' });
  await wf.acknowledge(works.ctx, a.reference, {});
  await wf.reject(works.ctx, b.reference, { reason: 'duplicate', duplicate_of: a.reference });
  const c = new Client(t.url);
  const pages = ['/requests', '/requests?status=open', `/requests?category=eclairage&district=medina`, `/requests/${a.reference}`, `/requests/${b.reference}`,
    '/requests/map', '/requests/map.json', '/requests.csv', '/requests.json', '/requests/new', '/requests/new?category=eclairage', `/requests/${a.reference}/submitted`, '/open-data'];
  let checked = 0;
  for (const locale of ['fr', 'ar', 'en']) {
    for (const p of pages) {
      const res = await c.get(`/${locale}${p}`);
      assert.equal(res.status, 200, `${locale}${p}`);
      for (const [k, v] of Object.entries(MARK)) {
        assert.ok(!res.text.includes(v) && !res.text.toLowerCase().includes(v.toLowerCase()), `${locale}${p} shows the ${k}`);
        assert.ok(!res.text.includes(v.replace(/\s/g, '')), `${locale}${p} shows the ${k} (compacted)`);
      }
      checked++;
    }
  }
  assert.equal(checked, pages.length * 3);
  const csv = await c.get('/fr/requests.csv');
  assert.ok(csv.text.includes(a.reference) && csv.text.includes(b.reference), 'the export lists the requests');
  const json = JSON.parse((await c.get('/fr/requests.json')).text);
  assert.ok(json.some((r: any) => r.reference === a.reference && r.channel === 'web'));
  assert.ok(!Object.keys(json[0]).some((k) => /email|phone|name/.test(k)));
  const points = JSON.parse((await c.get('/fr/requests/map.json')).text).points;
  assert.ok(points.some((p: any) => p.reference === a.reference));
});

test('districts: GeoJSON import, a request placed by its point; holidays confirmed and shifted', async () => {
  const admin = await signedIn('admin');
  const geo = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name_fr: 'Quartier test', name_ar: 'حي تجريبي', slug: 'quartier-test', population: 12000 },
    geometry: { type: 'Polygon', coordinates: [[[-5.50, 35.70], [-5.48, 35.70], [-5.48, 35.72], [-5.50, 35.72], [-5.50, 35.70]]] } }] };
  await admin.c.get('/fr/admin/requests/districts');
  const bad = await admin.c.postMultipart('/fr/admin/requests/districts/import', { geojson: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}' });
  assert.equal(bad.status, 422);
  const imp = await admin.c.postMultipart('/fr/admin/requests/districts/import', { geojson: '' }, { file: { name: 'quartiers.geojson', data: Buffer.from(JSON.stringify(geo)), type: 'application/geo+json' } });
  assert.equal(imp.status, 303, textOf(imp.text).slice(0, 1500));
  const r = await svc.submitRequest(await anon(), { category: 'eclairage', district: 'medina', lat: '35.71', lng: '-5.49', description: 'Point dans le quartier test', q_nombre: '1' }, { channel: 'web' });
  const row = await rowOf(r.reference);
  const d = await t.database.db.withTables<any>().selectFrom('request_districts').select(['id', 'population']).where('slug', '=', 'quartier-test').executeTakeFirstOrThrow();
  assert.equal(row.district_id, d.id, 'the point decides the district');
  assert.equal(d.population, 12000);
  // A point outside every polygon: the select decides; through the API a point alone is enough.
  const api = await svc.submitRequest(await anon(), { category: 'eclairage', lat: '10', lng: '10', description: 'Loin', q_nombre: '1' }, { channel: 'api' });
  assert.equal((await rowOf(api.reference)).district_id, null);
  await assert.rejects(svc.submitRequest(await anon(), { category: 'eclairage', description: 'Nulle part', q_nombre: '1' }, { channel: 'api' }), (e: any) => !!e.fields?.address);

  const year = new Date().getUTCFullYear();
  const list = await admin.c.get(`/fr/admin/requests/holidays?year=${year}`);
  assert.equal(list.status, 200);
  const hijri = await t.database.db.selectFrom('holidays').select(['id', 'day']).where('kind', '=', 'hijri').where('confirmed', '=', 0).where('day', '>=', `${year}-01-01`).orderBy('day').executeTakeFirstOrThrow();
  const shift = await admin.c.post(`/fr/admin/requests/holidays/${hijri.id}/shift`, { by: '1' });
  assert.equal(shift.status, 303);
  const moved = await t.database.db.selectFrom('holidays').select(['day', 'confirmed']).where('id', '=', hijri.id).executeTakeFirstOrThrow();
  const expected = new Date(`${hijri.day}T12:00:00Z`); expected.setUTCDate(expected.getUTCDate() + 1);
  assert.equal(moved.day, expected.toISOString().slice(0, 10));
  assert.equal(moved.confirmed, 1);
});

test('every page of the module answers in French and Arabic, for the public and for each staff role', async () => {
  const { reference } = await fileRequest();
  const admin = await signedIn('admin');
  const cat = await t.database.db.withTables<any>().selectFrom('request_categories').select('id').where('slug', '=', 'voirie').executeTakeFirstOrThrow();
  const q = await t.database.db.withTables<any>().selectFrom('request_questions').select('id').where('category_id', '=', cat.id).executeTakeFirstOrThrow();
  const district = await t.database.db.withTables<any>().selectFrom('request_districts').select('id').executeTakeFirstOrThrow();
  const tpl = await t.database.db.withTables<any>().selectFrom('request_templates').select('id').executeTakeFirstOrThrow();
  const adminPages = ['/admin/requests', '/admin/requests?status=all&mine=1', '/admin/requests/new', '/admin/requests/new?category=voirie', `/admin/requests/${reference}`, `/admin/requests/${reference}/receipt`,
    '/admin/requests/contests', '/admin/requests/categories', '/admin/requests/categories/new', `/admin/requests/categories/${cat.id}`, `/admin/requests/categories/${cat.id}/questions/${q.id}`,
    '/admin/requests/districts', '/admin/requests/districts/new', `/admin/requests/districts/${district.id}`, '/admin/requests/templates', '/admin/requests/templates/new',
    `/admin/requests/templates/${tpl.id}`, '/admin/requests/holidays', '/admin/requests/heads'];
  const publicPages = ['/requests', '/requests/new', '/requests/new?category=transport', '/requests/map', `/requests/${reference}`, '/requests/lookup'];
  for (const locale of ['fr', 'ar']) {
    for (const p of [...publicPages, ...adminPages]) {
      const res = await admin.c.get(`/${locale}${p}`);
      assert.equal(res.status, 200, `${locale}${p}`);
      assert.equal((res.text.match(/<h1[\s>]/g) ?? []).length, 1, `one h1 on ${locale}${p}`);
      assert.doesNotMatch(res.text, / style="/, `no inline style on ${locale}${p}`);
      assert.doesNotMatch(res.text, /<script(?![^>]*src=)/, `no inline script on ${locale}${p}`);
      assert.doesNotMatch(res.text, /requests\.[a-zA-Z_]+\.[a-zA-Z_.]+|>requests\.[a-zA-Z_]+</, `no untranslated key on ${locale}${p}`);
    }
  }
  // The staff home links the counter entry and the queue for a counter agent.
  const agent = await signedIn('counter_agent');
  const home = await agent.c.get('/fr/admin');
  assert.match(home.text, /href="\/fr\/admin\/requests\/new"/);
  assert.match(home.text, /href="\/fr\/admin\/requests"/);
  // Public navigation: "Signaler un problème" comes first.
  const nav = (await new Client(t.url).get('/fr/')).text.match(/<nav aria-label="Navigation principale"[\s\S]*?<\/nav>/)![0];
  assert.match(textOf(nav).trim(), /^Signaler un problème/);
});

test('a signed-in citizen manages their own report; others cannot; a moderator hides a photo', async () => {
  const me = await signedIn('citizen');
  await me.c.get('/fr/requests/new?category=eclairage');
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#36c' } }).jpeg().toBuffer();
  const fields = { category: 'eclairage', district: 'sania-rmel', address: '', lat: '', lng: '', description: 'Rue sombre', q_nombre: '4', name: 'Moi', email: me.email, phone: '' };
  await me.c.post('/fr/requests/new/check', fields);
  const sent = await me.c.postMultipart('/fr/requests/new', fields, { photos: { name: 'p.jpg', data: photo, type: 'image/jpeg' } });
  assert.equal(sent.status, 303);
  const reference = sent.location!.match(/requests\/([A-Z]{3}-\d{4}-\d{6})\/submitted/)![1];
  assert.equal((await rowOf(reference)).reporter_user_id, me.id);
  const detail = await me.c.get(`/fr/requests/${reference}`);
  assert.match(detail.text, new RegExp(`/fr/requests/${reference}/mine`));
  assert.equal((await me.c.get(`/fr/requests/${reference}/mine`)).status, 200);
  const other = await signedIn('citizen');
  assert.equal((await other.c.get(`/fr/requests/${reference}/mine`)).status, 403);
  assert.equal((await new Client(t.url).get(`/fr/requests/${reference}/mine`)).status, 303, 'anonymous: sign in first');

  const photoId = Number(detail.text.match(/\/requests\/photos\/(\d+)/)![1]);
  const moderator = await signedIn('moderator');
  await moderator.c.get(`/fr/admin/requests/${reference}`);
  assert.equal((await moderator.c.post(`/fr/admin/requests/${reference}/photos/${photoId}/hide`, {})).status, 303);
  assert.equal((await new Client(t.url).get(`/fr/requests/photos/${photoId}`)).status, 404, 'a hidden photo is not public');
  assert.doesNotMatch((await new Client(t.url).get(`/fr/requests/${reference}`)).text, new RegExp(`photos/${photoId}`));
  assert.equal((await moderator.c.get(`/fr/requests/photos/${photoId}`)).status, 200, 'staff still see it');
  const works = await staff('department_staff', 'travaux');
  await assert.rejects(wf.setPhotoHidden(works.ctx, photoId, false), ForbiddenError, 'only moderators moderate');
});

test('the administrator configures a category with its questions, routing and target; templates; heads', async () => {
  const admin = await signedIn('admin');
  const works = await t.database.db.selectFrom('institutions').select('id').where('slug', '=', 'travaux').executeTakeFirstOrThrow();
  const dgs = await t.database.db.selectFrom('institutions').select(['id', 'kind']).where('kind', '=', 'civil_society').executeTakeFirstOrThrow();
  await admin.c.get('/fr/admin/requests/categories/new');
  const wrong = await admin.c.post('/fr/admin/requests/categories/new', { slug: 'arbres', name_fr: 'Arbres', name_ar: 'الأشجار', institution_id: String(dgs.id), sla_days: '0', active: '1' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /value="الأشجار"/);
  const created = await admin.c.post('/fr/admin/requests/categories/new', { slug: 'arbres', name_fr: 'Arbres', name_ar: 'الأشجار', institution_id: String(dgs.id), sla_days: '7', active: '1' });
  assert.equal(created.status, 422, 'an association cannot receive requests');
  const ok = await admin.c.post('/fr/admin/requests/categories/new', { slug: 'arbres', name_fr: 'Arbres', name_ar: 'الأشجار', institution_id: String(works.id), sla_days: '7', active: '1' });
  assert.equal(ok.status, 303);
  const path = ok.location!.replace(/^\/fr/, '');
  await admin.c.get(`/fr${path}`);
  const noOptions = await admin.c.post(`/fr${path}/questions`, { code: 'espece', kind: 'single', label_fr: 'Espèce', options: 'pin' });
  assert.equal(noOptions.status, 422);
  assert.equal((await admin.c.post(`/fr${path}/questions`, { code: 'espece', kind: 'single', label_fr: 'Espèce', label_ar: 'النوع', required: '1', options: 'pin | Pin | صنوبر\npalmier | Palmier | نخيل' })).status, 303);
  assert.equal((await admin.c.post(`/fr${path}/questions`, { code: 'hauteur', kind: 'number', label_fr: 'Hauteur (m)' })).status, 303);
  const form = await new Client(t.url).get('/ar/requests/new?category=arbres');
  assert.match(textOf(form.text), /النوع/);
  assert.match(textOf(form.text), /نخيل/);
  await assert.rejects(svc.submitRequest(await anon(), { category: 'arbres', district: 'medina', description: 'Arbre penché', q_hauteur: 'haut' }, { channel: 'web' }),
    (e: any) => e.fields?.q_espece?.key === 'errors.required' && e.fields?.q_hauteur?.key === 'requests.errors.number');
  const r = await svc.submitRequest(await anon(), { category: 'arbres', district: 'medina', description: 'Arbre penché', q_espece: 'palmier', q_hauteur: '7,5' }, { channel: 'web' });
  const row = await rowOf(r.reference);
  assert.equal(row.institution_id, works.id);
  assert.deepEqual(JSON.parse(row.answers), { espece: 'palmier', hauteur: 7.5 });

  // A head must be one of the institution's staff.
  const stranger = await staff('operator_staff', 'operateur-transport');
  await admin.c.get('/fr/admin/requests/heads');
  assert.equal((await admin.c.post(`/fr/admin/requests/heads/${works.id}`, { user_id: String(stranger.id) })).status, 422);
  // Templates: a body in each language.
  await admin.c.get('/fr/admin/requests/templates/new');
  assert.equal((await admin.c.post('/fr/admin/requests/templates/new', { title_fr: 'Élagage', body_fr: '', category_id: '' })).status, 400);
  assert.equal((await admin.c.post('/fr/admin/requests/templates/new', { title_fr: 'Élagage', body_fr: 'L’arbre a été élagué.', body_ar: 'تم تقليم الشجرة.', category_id: '' })).status, 303);
  // Nobody else configures.
  const dept = await staff('department_staff', 'travaux');
  await assert.rejects(st.saveCategory(dept.ctx, null, { slug: 'x', name_fr: 'X', institution_id: String(works.id), sla_days: '3' }), ForbiddenError);
});

test('deadlines count working days with the holiday calendar; references count per year; similar requests within 200 m', async () => {
  // Wednesday 29 July 2026, lighting (5 working days): Thursday 30 is Throne Day, then Fri 31, Mon 3 … Thu 6 August.
  const wed = { ...(await anon()), clock: { now: () => new Date('2026-07-29T10:00:00Z') } };
  const r = await svc.submitRequest(wed, { category: 'eclairage', district: 'medina', description: 'Délai', q_nombre: '1' }, { channel: 'web' });
  const row = await rowOf(r.reference);
  assert.equal(row.due_on, '2026-08-06');
  assert.equal(row.created_month, '2026-07');
  const next = await svc.submitRequest({ ...(await anon()), clock: { now: () => new Date('2031-01-02T10:00:00Z') } }, { category: 'eclairage', district: 'medina', description: 'Autre année', q_nombre: '1' }, { channel: 'web' });
  assert.equal(next.reference, 'TET-2031-000001', 'the sequence starts again each year');

  // Near the edge between two sample districts: 136 m away but across the edge is "nearby"; 400 m is not.
  const a = await svc.submitRequest(await anon(), { category: 'transport', lat: '35.5715', lng: '-5.3765', description: 'Arrêt cassé', q_ligne: '7', q_type: 'arret' }, { channel: 'web' });
  assert.equal((await rowOf(a.reference)).district_id, (await t.database.db.withTables<any>().selectFrom('request_districts').select('id').where('slug', '=', 'medina').executeTakeFirstOrThrow()).id);
  const near = await svc.checkReport(await anon(), { category: 'transport', lat: '35.5715', lng: '-5.3780', description: 'x', q_ligne: '7', q_type: 'arret' }, 'web');
  assert.notEqual(near.districtId, (await rowOf(a.reference)).district_id, 'the other side of the edge');
  const similar = await svc.similarRequests(await anon(), near);
  const hit = similar.find((s) => s.reference === a.reference);
  assert.ok(hit, 'within 200 m');
  assert.ok(hit!.distance! > 100 && hit!.distance! < 200);
  const far = await svc.checkReport(await anon(), { category: 'transport', lat: '35.5715', lng: '-5.3810', description: 'x', q_ligne: '7', q_type: 'arret' }, 'web');
  assert.ok(!(await svc.similarRequests(await anon(), far)).some((s) => s.reference === a.reference), '400 m away, another district: not offered');
  // Closed requests are not offered.
  await wf.resolve(await t.ctx(), a.reference, { note: 'Réparé' });
  assert.ok(!(await svc.similarRequests(await anon(), near)).some((s) => s.reference === a.reference));
});

test('the background round escalates what is past due, without a head to every staff member, and estimates next year’s holidays', async () => {
  const operator = await staff('operator_staff', 'operateur-transport');
  const r = await svc.submitRequest(await anon(), { category: 'transport', district: 'medina', description: 'Bus absent', q_ligne: '3', q_type: 'retard' }, { channel: 'web' });
  await t.database.db.withTables<any>().updateTable('requests').set({ due_on: '2020-01-01' }).where('reference', '=', r.reference).execute();
  const next = new Date().getUTCFullYear() + 1;
  await t.database.db.deleteFrom('holidays').where('day', '>=', `${next}-01-01`).where('day', '<=', `${next}-12-31`).execute();
  const n = await runRequestJobs(t.database, [t.commune], () => t.ctx());
  assert.ok(n >= 1);
  const mail = await t.database.db.selectFrom('outbox').select(['body_text']).where('to_addr', '=', operator.email).execute();
  assert.ok(mail.some((m) => m.body_text.includes(r.reference)), 'no head for the transport operator: its staff are told');
  const holidays = await t.database.db.selectFrom('holidays').select(['day', 'kind', 'confirmed']).where('day', '>=', `${next}-01-01`).where('day', '<=', `${next}-12-31`).execute();
  assert.ok(holidays.some((h) => h.day === `${next}-07-30` && h.confirmed === 1), 'fixed holidays, confirmed');
  assert.ok(holidays.some((h) => h.kind === 'hijri' && h.confirmed === 0), 'Hijri ones estimated, to confirm');
  assert.equal(await runRequestJobs(t.database, [t.commune], () => t.ctx()), 0, 'nothing escalated twice');
});
