// Access to information (Law 31-13, issue 14): asking online and at the counter, the officer's extension,
// clarification, answers and refusals, the redress steps, redaction and hiding, the register, its statistics,
// exports and feed, who may do what, privacy, the deadline jobs, and mail in the requester's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { startApp, Client, textOf, actorFor, type TestApp } from './helpers.ts';
import type { Ctx } from '../src/core/service.ts';
import { ForbiddenError, RuleError, ValidationError } from '../src/core/http/errors.ts';
import { formatDate } from '../src/core/i18n/index.ts';
import { localDay, loadHolidays } from '../src/core/clock/working-days.ts';
import * as svc from '../src/modules/transparency/information/service.ts';
import * as rules from '../src/modules/transparency/information/rules.ts';
import { information } from '../src/modules/transparency/information/index.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t?.close(); });

const db = () => t.database.db.withTables<any>();
const anon = async (locale: 'fr' | 'ar' = 'fr'): Promise<Ctx> => ({ ...(await t.ctx()), actor: null, locale });
const as = async (userId: number): Promise<Ctx> => t.ctx(await actorFor(t, userId));
const later = (ctx: Ctx, days: number): Ctx => ({ ...ctx, clock: { now: () => new Date(Date.now() + days * 86_400_000) } });
const rowOf = (reference: string) => db().selectFrom('info_requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow() as Promise<any>;
const mailsTo = (to: string) => db().selectFrom('outbox').select(['subject', 'body_text']).where('to_addr', '=', to).orderBy('id').execute() as Promise<{ subject: string; body_text: string }[]>;
async function signedIn(role: string) {
  const u = await t.user(role);
  const c = new Client(t.url);
  await c.login(u.email);
  return { ...u, c, ctx: await as(u.id) };
}
const tokenFrom = (location: string | null) => { const m = /\/information\/track\/([A-Za-z0-9_-]+)$/.exec(location ?? ''); assert.ok(m, `a tracking link: ${location}`); return m![1]; };
const holidays = () => loadHolidays(t.database.db, t.commune.id, '2020-01-01', '2035-12-31');

const QUESTION = 'Le budget annexe du marché municipal pour 2026, par ligne.';

test('online without an account: errors keep the input; the email is confirmed by its link, then the clock starts', async () => {
  const c = new Client(t.url);
  await c.get('/ar/information/new');
  // No email: a translated error, the question kept, nothing stored.
  const bad = await c.post('/ar/information/new', { question: QUESTION, answer_form: 'electronic', name: 'Salma', email: '', urgent: '1', urgent_reason: '' });
  assert.equal(bad.status, 400);
  assert.ok(bad.text.includes(QUESTION), 'the question is kept');
  assert.ok(textOf(bad.text).includes('أدخل بريدا إلكترونيا'), 'the Arabic message about the email');
  assert.ok(textOf(bad.text).includes('اذكر سبب الاستعجال'), 'and about the urgency');
  const email = `salma.${Date.now()}@test.local`;
  const ok = await c.post('/ar/information/new', { question: QUESTION, answer_form: 'electronic', name: 'Salma', email, phone: '0600112233' });
  assert.equal(ok.status, 303);
  const token = tokenFrom(ok.location);
  const r = await rowOf((await db().selectFrom('info_requests').select('reference').where('requester_email', '=', email).executeTakeFirstOrThrow()).reference);
  assert.equal(r.status, 'unconfirmed');
  assert.equal(r.due_on, null);
  // Not in the register before its confirmation.
  assert.equal((await c.get(`/fr/information/${r.reference}`)).status, 404);
  // The confirmation mail, in Arabic (the language of the request), with the tracking link.
  const [mail] = await mailsTo(email);
  assert.match(mail.subject, /أكّد طلب المعلومات/);
  assert.ok(mail.body_text.includes(`/ar/information/track/${token}`));
  // The link opens the requester's page, which asks to confirm; the POST confirms.
  const page = await c.get(`/ar/information/track/${token}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('cache-control') ?? '', /no-store/);
  const conf = await c.post(`/ar/information/track/${token}/confirm`, {});
  assert.equal(conf.status, 303);
  const after = await rowOf(r.reference);
  assert.equal(after.status, 'open');
  const today = localDay(new Date());
  assert.equal(after.received_on, today);
  assert.equal(after.due_on, rules.answerDue(today, false, await holidays()));
  assert.equal((await mailsTo(email)).length, 2, 'a second mail: received, with its deadline');
  // Public now, without the requester's identity.
  const pub = await c.get(`/fr/information/${r.reference}`);
  assert.equal(pub.status, 200);
  assert.ok(pub.text.includes(QUESTION));
  for (const secret of [email, 'Salma', '0600112233', token]) assert.ok(!pub.text.includes(secret), `no ${secret} on the public page`);
  // A guessed or malformed token reaches nothing.
  assert.equal((await c.get('/fr/information/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
  assert.equal((await c.get('/fr/information/track/x')).status, 404);
});

test('a signed-in citizen’s request is received at once, with their account’s email', async () => {
  const citizen = await signedIn('citizen');
  await citizen.c.get('/fr/information/new');
  const res = await citizen.c.post('/fr/information/new', { question: 'Le plan d’aménagement du quartier Touabel.', answer_form: 'on_site', name: 'Karim' });
  assert.equal(res.status, 303);
  const r = await db().selectFrom('info_requests').selectAll().where('requester_email', '=', citizen.email).executeTakeFirstOrThrow();
  assert.equal(r.status, 'open');
  assert.equal(r.requester_user_id, citizen.id);
  assert.match(r.reference, svc.REFERENCE_RE);
});

test('the counter files for a citizen without email, prints the receipt; the officer extends then answers', async () => {
  const agent = await signedIn('counter_agent');
  const officer = await signedIn('information_officer');
  const citizen = await signedIn('citizen');
  // A citizen cannot use the counter, nor see the queue.
  assert.equal((await citizen.c.get('/fr/admin/information/new')).status, 403);
  assert.equal((await citizen.c.get('/fr/admin/information')).status, 403);
  await assert.rejects(svc.submitOnBehalf(citizen.ctx, { channel: 'counter', question: QUESTION, answer_form: 'on_site', name: 'X' }), ForbiddenError);
  await agent.c.get('/fr/admin/information/new');
  const bad = await agent.c.post('/fr/admin/information/new', { channel: 'phone', question: 'court', answer_form: 'copy_mail', name: 'Fatima' });
  assert.equal(bad.status, 400);
  assert.ok(textOf(bad.text).includes('Une copie par courrier demande une adresse postale'));
  const res = await agent.c.post('/fr/admin/information/new', { channel: 'phone', question: 'Les horaires d’ouverture de la bibliothèque municipale.', answer_form: 'copy_mail', name: 'Fatima', address: '12 rue Al Jazaer', phone: '0611223344' });
  assert.equal(res.status, 303);
  const reference = /\/admin\/information\/([^/]+)\/receipt$/.exec(res.location ?? '')![1];
  const receipt = await agent.c.get(`/fr/admin/information/${reference}/receipt`);
  assert.equal(receipt.status, 200);
  const r = await rowOf(reference);
  assert.equal(r.channel, 'phone');
  assert.equal(r.entered_by, agent.id);
  const text = textOf(receipt.text);
  assert.ok(text.includes(reference));
  assert.ok(text.includes('Délai légal de réponse'));
  assert.ok(text.includes(formatDate('fr', r.due_on)), 'the legal deadline on the receipt');
  // The counter agent may not answer or extend: that is the officer's.
  await agent.c.get(`/fr/admin/information/${reference}`);
  assert.equal((await agent.c.post(`/fr/admin/information/${reference}/extend`, { reason: 'x' })).status, 403);
  assert.equal((await agent.c.post(`/fr/admin/information/${reference}/answer`, { outcome: 'given', message: 'x' })).status, 403);
  // The officer extends once, with a reason.
  await officer.c.get(`/fr/admin/information/${reference}`);
  const noReason = await officer.c.post(`/fr/admin/information/${reference}/extend`, { reason: '' });
  assert.equal(noReason.status, 400);
  assert.equal((await officer.c.post(`/fr/admin/information/${reference}/extend`, { reason: 'Archives à consulter au dépôt central.' })).status, 303);
  const extended = await rowOf(reference);
  assert.equal(extended.due_on, rules.extendedDue(r.due_on, false, await holidays()));
  assert.equal(extended.extended, 1);
  await officer.c.get(`/fr/admin/information/${reference}`);
  const again = await officer.c.post(`/fr/admin/information/${reference}/extend`, { reason: 'Encore.' });
  assert.equal(again.status, 422);
  assert.ok(textOf(again.text).includes('déjà été prolongé'));
  // The agent sees each step on the file (the citizen has no email).
  const file = textOf((await agent.c.get(`/fr/admin/information/${reference}`)).text);
  assert.ok(file.includes('Archives à consulter au dépôt central.'));
  assert.ok(file.includes('Pas d’adresse électronique'));
  // The answer, without a message, document or link: refused; then given.
  await officer.c.get(`/fr/admin/information/${reference}`);
  const empty = await officer.c.post(`/fr/admin/information/${reference}/answer`, { outcome: 'given', message: '' });
  assert.equal(empty.status, 400);
  const given = await officer.c.postMultipart(`/fr/admin/information/${reference}/answer`, { outcome: 'given', message: 'La bibliothèque ouvre de 9 h à 18 h.' },
    { files: { name: 'horaires.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n'), type: 'application/pdf' } });
  assert.equal(given.status, 303);
  const answered = await rowOf(reference);
  assert.equal(answered.status, 'closed');
  assert.equal(answered.outcome, 'given');
  assert.equal(answered.within_deadline, 1);
  assert.equal(answered.answer_days, 0);
  const pub = await new Client(t.url).get(`/fr/information/${reference}`);
  assert.ok(textOf(pub.text).includes('La bibliothèque ouvre de 9 h à 18 h.'));
  assert.ok(!pub.text.includes('Fatima') && !pub.text.includes('0611223344') && !pub.text.includes('Al Jazaer'));
  const fileId = /\/information\/files\/(\d+)/.exec(pub.text)![1];
  const dl = await new Client(t.url).get(`/fr/information/files/${fileId}`);
  assert.equal(dl.status, 200);
  assert.ok(dl.text.startsWith('%PDF'));
});

test('clarification stops the clock; the requester’s reply by the link resumes it', async () => {
  const officer = await signedIn('information_officer');
  const email = `clar.${Date.now()}@test.local`;
  const s = await svc.submitRequest(await anon(), { question: 'Les contrats de gestion déléguée.', answer_form: 'electronic', name: 'N', email }, { channel: 'web' });
  await svc.confirmRequest(await anon(), s.token);
  const before = await rowOf(s.reference);
  await svc.askClarification(officer.ctx, s.reference, { question: 'Quels contrats ?' });
  assert.equal((await rowOf(s.reference)).status, 'clarification');
  assert.match((await mailsTo(email)).at(-1)!.subject, /précision est nécessaire/);
  // Five days later the requester answers: the new deadline keeps what was left.
  const later5 = later(await anon(), 5);
  await svc.replyClarification(later5, { token: s.token }, { reply: 'Ceux de la propreté.' });
  const r = await rowOf(s.reference);
  const h = await holidays();
  const day = localDay(new Date(Date.now() + 5 * 86_400_000));
  assert.equal(r.status, 'open');
  assert.equal(r.due_on, rules.resumedDue(before.due_on, localDay(new Date()), day, h));
  assert.equal(r.paused_days, rules.pausedDays(localDay(new Date()), day, h));
  // The reply is the requester's words: on their page and the staff file, not on the public page.
  const pub = await new Client(t.url).get(`/fr/information/${s.reference}`);
  assert.ok(!pub.text.includes('Ceux de la propreté.'));
  assert.ok((await new Client(t.url).get(`/fr/information/track/${s.token}`)).text.includes('Ceux de la propreté.'));
  await assert.rejects(svc.replyClarification(later5, { token: s.token }, { reply: 'Encore' }), RuleError);
});

test('refusal with a legal ground, complaint to the head, its answer, then the CDAI and its decision', async () => {
  const officer = await signedIn('information_officer');
  const email = `refus.${Date.now()}@test.local`;
  const s = await svc.submitRequest(await anon(), { question: 'La liste nominative des bénéficiaires des aides.', answer_form: 'electronic', name: 'R', email }, { channel: 'web' });
  await svc.confirmRequest(await anon(), s.token);
  // Complaining before any refusal is refused.
  await assert.rejects(svc.complain(await anon(), { token: s.token }, { complaint: 'Trop tôt' }), RuleError);
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  const noGround = await officer.c.post(`/fr/admin/information/${s.reference}/answer`, { outcome: 'refused', message: '', ground: '', motivation: '' });
  assert.equal(noGround.status, 400);
  assert.ok(noGround.text.includes('id="e-ground"') && noGround.text.includes('id="e-motivation"'));
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/answer`, { outcome: 'refused', ground: 'private-life', motivation: 'Données personnelles des bénéficiaires.' })).status, 303);
  const refused = await rowOf(s.reference);
  assert.equal(refused.outcome, 'refused');
  const ground = (await svc.listGrounds(officer.ctx)).find((g) => g.code === 'private-life')!;
  assert.equal(refused.ground_id, ground.id);
  // The public page names the ground of article 7 and its motivation.
  const pub = textOf((await new Client(t.url).get(`/fr/information/${s.reference}`)).text);
  assert.ok(pub.includes('Vie privée des personnes') && pub.includes('Données personnelles des bénéficiaires.'));
  // The requester complains from their link.
  const c = new Client(t.url);
  const track = await c.get(`/fr/information/track/${s.token}`);
  assert.ok(textOf(track.text).includes('Réclamer auprès du président du conseil'));
  assert.equal((await c.post(`/fr/information/track/${s.token}/complain`, { complaint: '' })).status, 400);
  assert.equal((await c.post(`/fr/information/track/${s.token}/complain`, { complaint: 'Je demande une liste anonymisée.' })).status, 303);
  const complained = await rowOf(s.reference);
  assert.equal(complained.complaint_on, localDay(new Date()));
  await assert.rejects(svc.complain(await anon(), { token: s.token }, { complaint: 'Encore' }), RuleError);
  // The CDAI only after the head's answer (or its delay).
  await assert.rejects(svc.referToCdai(await anon(), { token: s.token }), RuleError);
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/complaint-answer`, { outcome: 'nope', decision: 'x' })).status, 400);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/complaint-answer`, { outcome: 'rejected', decision: 'La liste reste protégée.' })).status, 303);
  await c.get(`/fr/information/track/${s.token}`);
  assert.equal((await c.post(`/fr/information/track/${s.token}/cdai`, {})).status, 303);
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/cdai-decision`, { outcome: 'partly_upheld', decision: 'Communiquer les totaux par quartier.' })).status, 303);
  const done = await rowOf(s.reference);
  assert.equal(done.complaint_outcome, 'rejected');
  assert.equal(done.cdai_outcome, 'partly_upheld');
  const page = textOf((await new Client(t.url).get(`/fr/information/${s.reference}`)).text);
  for (const step of ['Réponse du président à la réclamation', 'Décision de la CDAI', 'Communiquer les totaux par quartier.']) assert.ok(page.includes(step), step);
  const subjects = (await mailsTo(email)).map((m) => m.subject).join('\n');
  assert.match(subjects, /réclamation reçue/);
  assert.match(subjects, /réponse à votre réclamation/);
  assert.match(subjects, /décision de la CDAI/);
  // Every step audited, without personal data.
  const audit = await db().selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', s.reference).orderBy('id').execute();
  assert.deepEqual(audit.map((a: any) => a.action), ['information.submit', 'information.confirm', 'information.answer', 'information.complain', 'information.complaint_answer', 'information.cdai', 'information.cdai_decision']);
  assert.ok(!JSON.stringify(audit).includes(email));
});

test('redaction and hiding: the register shows what the officer decided, with the reason, and never loses a request', async () => {
  const officer = await signedIn('information_officer');
  const s = await svc.submitRequest(officer.ctx, { channel: 'counter', question: 'Les marchés attribués en 2025.', answer_form: 'on_site', name: 'H' }, { channel: 'counter' });
  await svc.answer(officer.ctx, s.reference, { outcome: 'given', message: 'Liste jointe. Contact : M. Secret, 0539 99 88 77.' },
    [{ filename: 'liste.pdf', mimetype: 'application/pdf', data: Buffer.from('%PDF-1.4\nliste\n%%EOF\n'), truncated: false }]);
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/redact`, { public_answer: 'Liste jointe. Contact : […]', reason: '' })).status, 400);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/redact`, { public_answer: 'Liste jointe. Contact : […]', reason: 'Coordonnées d’un agent.' })).status, 303);
  const anonC = new Client(t.url);
  let pub = await anonC.get(`/fr/information/${s.reference}`);
  assert.ok(!pub.text.includes('0539 99 88 77') && !pub.text.includes('M. Secret'));
  assert.ok(textOf(pub.text).includes('Coordonnées d’un agent.'));
  // The attachment withdrawn from the register: anyone 404, the officer still reads it.
  const a = await db().selectFrom('info_attachments').select('id').where('request_id', '=', (await rowOf(s.reference)).id).executeTakeFirstOrThrow();
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/attachments/${a.id}/hide`, { reason: 'Contient des signatures.' })).status, 303);
  assert.equal((await anonC.get(`/fr/information/files/${a.id}`)).status, 404);
  assert.equal((await officer.c.get(`/fr/information/files/${a.id}`)).status, 200);
  assert.ok(textOf((await anonC.get(`/fr/information/${s.reference}`)).text).includes('Contient des signatures.'));
  // Hidden: shown as hidden with its reason, the question gone from the page, the exports and the search.
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/hide`, { reason: 'Demande abusive.' })).status, 303);
  pub = await anonC.get(`/fr/information/${s.reference}`);
  assert.equal(pub.status, 200);
  assert.ok(textOf(pub.text).includes('Demande abusive.'));
  assert.ok(!pub.text.includes('Les marchés attribués en 2025.'));
  const csv = await anonC.get('/fr/information.csv');
  const line = csv.text.split('\r\n').find((l) => l.startsWith(s.reference))!;
  assert.ok(line && !line.includes('Les marchés attribués') && line.includes('Demande abusive.'));
  const search = await db().selectFrom('search_docs').select('kind').where('key', '=', s.reference).execute().catch(() => []);
  assert.equal(search.length, 0, 'a hidden request leaves the search index');
  // Shown again; still there, never deleted.
  await officer.c.get(`/fr/admin/information/${s.reference}`);
  assert.equal((await officer.c.post(`/fr/admin/information/${s.reference}/show`, {})).status, 303);
  assert.ok((await anonC.get(`/fr/information/${s.reference}`)).text.includes('Les marchés attribués en 2025.'));
  // A counter agent may not redact or hide.
  const agent = await signedIn('counter_agent');
  await assert.rejects(svc.setHidden(agent.ctx, s.reference, true, { reason: 'x' }), ForbiddenError);
});

test('withdrawal, not held, partial; statistics, exports, feed and search agree', async () => {
  const officer = await signedIn('information_officer');
  const mk = (q: string) => svc.submitRequest(officer.ctx, { channel: 'counter', question: q, answer_form: 'on_site', name: 'S' }, { channel: 'counter' });
  const before = await svc.statistics(officer.ctx);
  const w = await mk('Une demande retirée ensuite par la personne.');
  await svc.withdraw(officer.ctx, { reference: w.reference });
  assert.equal((await rowOf(w.reference)).outcome, 'withdrawn');
  await assert.rejects(svc.withdraw(officer.ctx, { reference: w.reference }), RuleError);
  const n = await mk('Le calendrier du tramway régional.');
  await assert.rejects(svc.answer(officer.ctx, n.reference, { outcome: 'not_held', message: '' }), ValidationError);
  await svc.answer(officer.ctx, n.reference, { outcome: 'not_held', message: 'Non détenue.', holder_body: 'Région Tanger-Tétouan-Al Hoceïma' });
  const p = await mk('Les procès-verbaux des commissions permanentes.');
  await svc.answer(officer.ctx, p.reference, { outcome: 'partial', message: 'Deux procès-verbaux sur trois.', ground: 'deliberations', motivation: 'Non approuvé.', document_url: '/documents' });
  await assert.rejects(svc.answer(officer.ctx, p.reference, { outcome: 'given', message: 'encore' }), RuleError);
  await assert.rejects(svc.answer(officer.ctx, p.reference, { outcome: 'given', message: 'x', document_url: 'javascript:alert(1)' }), ValidationError);
  const stats = await svc.statistics(officer.ctx);
  const count = (s: typeof stats, k: string) => s.outcomes.find((o) => o.key === k)?.n ?? 0;
  assert.equal(stats.total, before.total + 3);
  assert.equal(count(stats, 'withdrawn'), count(before, 'withdrawn') + 1);
  assert.equal(count(stats, 'not_held'), count(before, 'not_held') + 1);
  assert.equal(count(stats, 'partial'), count(before, 'partial') + 1);
  const delib = (await svc.listGrounds(officer.ctx)).find((g) => g.code === 'deliberations')!;
  const refusals = (s: typeof stats) => s.grounds.find((g) => g.groundId === delib.id)?.n ?? 0;
  assert.equal(refusals(stats), refusals(before) + 1);
  assert.equal(stats.channels.find((c) => c.key === 'counter')!.n, before.channels.find((c) => c.key === 'counter')!.n + 3);
  // The median from SQL matches the one computed here from every answered row.
  const days = (await db().selectFrom('info_requests').select('answer_days').where('commune_id', '=', t.commune.id).where('answer_days', 'is not', null).where('status', '<>', 'unconfirmed').execute()).map((r: any) => r.answer_days).sort((a: number, b: number) => a - b);
  const mid = days.length % 2 ? days[(days.length - 1) / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
  assert.equal(stats.medianDays, mid);
  // The page, its SVG charts with their tables, and the JSON.
  const c = new Client(t.url);
  const page = await c.get('/ar/information/stats');
  assert.equal(page.status, 200);
  assert.ok((page.text.match(/<svg/g) ?? []).length >= 4);
  assert.ok(page.text.includes('<table'));
  const json = JSON.parse((await c.get('/fr/information/stats.json')).text);
  assert.equal(json.total, stats.total);
  assert.equal(json.refusals_by_ground.find((g: any) => g.ground === 'deliberations').n, refusals(stats));
  // Filters and exports.
  const list = await c.get('/fr/information?outcome=not_held&channel=counter');
  assert.ok(list.text.includes(n.reference) && !list.text.includes(p.reference));
  const exported = JSON.parse((await c.get('/fr/information.json?outcome=partial')).text);
  assert.ok(exported.some((r: any) => r.reference === p.reference && r.ground === 'deliberations'));
  assert.ok(exported.every((r: any) => r.outcome === 'partial'));
  for (const k of Object.keys(exported[0])) assert.ok(!/requester|email|phone|name|address/.test(k), `no personal column: ${k}`);
  // The Atom feed of new answers, read by a real parser.
  const feedRes = await c.get('/fr/information/feed.atom');
  assert.match(feedRes.headers.get('content-type') ?? '', /atom\+xml/);
  const feed = parseFeed(feedRes.text);
  assert.ok(feed.items.some((i) => i.url?.endsWith(`/fr/information/${p.reference}`)));
  assert.ok(!feed.items.some((i) => i.url?.endsWith(`/information/${w.reference}`)), 'a withdrawn request is no answer');
  // Platform-wide search finds public answers.
  const hits = await c.get(`/fr/search?q=${encodeURIComponent('procès-verbaux commissions')}`);
  assert.ok(hits.text.includes(p.reference), 'the search finds the answered request');
});

test('deadline jobs: near → flagged and the officer told; past → escalated once, administrators told too', async () => {
  const officer = await signedIn('information_officer');
  const s = await svc.submitRequest(officer.ctx, { channel: 'counter', question: 'Une demande laissée sans réponse.', answer_form: 'on_site', name: 'J' }, { channel: 'counter' });
  const r = await rowOf(s.reference);
  const jobs = await db().selectFrom('jobs').select(['kind', 'job_key', 'run_at', 'payload']).where('commune_id', '=', t.commune.id).where('job_key', 'like', `${s.reference}:%`).execute();
  assert.deepEqual(jobs.map((j: any) => j.job_key).sort(), [`${s.reference}:${r.due_on}:late`, `${s.reference}:${r.due_on}:near`]);
  assert.ok(jobs.every((j: any) => j.kind === svc.DEADLINE_JOB));
  const handler = information.jobs![svc.DEADLINE_JOB];
  const sys = await t.ctx();
  const payload = { reference: s.reference, due: r.due_on };
  const dayMs = (day: string) => new Date(`${day}T09:00:00Z`).getTime();
  const at = (day: string): Ctx => ({ ...sys, clock: { now: () => new Date(dayMs(day)) } });
  const h = await holidays();
  assert.equal(await svc.checkDeadline(at(r.received_on), payload), 'ok');
  const near = rules.nearDay(r.due_on, r.received_on, false, h);
  await handler(at(near), payload);
  const flagged = await rowOf(s.reference);
  assert.ok(flagged.flagged_at && !flagged.escalated_at);
  assert.ok((await mailsTo(officer.email)).some((m) => m.subject.includes(s.reference) && /échéance proche/.test(m.subject)));
  const late = rules.plusCalendarDays(r.due_on, 1);
  await handler(at(late), payload);
  const escalated = await rowOf(s.reference);
  assert.ok(escalated.escalated_at);
  const adminMails = await db().selectFrom('outbox').select('to_addr').where('subject', 'like', `%${s.reference}%échéance dépassée%`).execute();
  assert.ok(adminMails.length >= 2, 'officers and administrators told');
  await handler(at(late), payload);
  assert.equal((await db().selectFrom('outbox').select('to_addr').where('subject', 'like', `%${s.reference}%échéance dépassée%`).execute()).length, adminMails.length, 'once');
  // The staff file shows the escalation.
  assert.ok(textOf((await officer.c.get(`/fr/admin/information/${s.reference}`)).text).includes('Échéance dépassée'));
  // A stale job (the deadline moved since) does nothing.
  await svc.extend(officer.ctx, s.reference, { reason: 'Retard rattrapé.' });
  assert.equal(await svc.checkDeadline(at(late), payload), 'stale');
});

test('the legal grounds: the officer edits them, others may not; the article 7 list loads once', async () => {
  const officer = await signedIn('information_officer');
  const agent = await signedIn('counter_agent');
  assert.equal((await agent.c.get('/fr/admin/information/grounds')).status, 403);
  await officer.c.get('/fr/admin/information/grounds');
  const bad = await officer.c.post('/fr/admin/information/grounds', { code: 'Pas Bon', article: '7', label_fr: '' });
  assert.equal(bad.status, 400);
  assert.ok(bad.text.includes('value="Pas Bon"'));
  assert.equal((await officer.c.post('/fr/admin/information/grounds', { code: 'essai', article: '7 (bis)', label_fr: 'Motif d’essai', label_ar: 'سبب تجريبي', active: '1' })).status, 303);
  const g = (await svc.listGrounds(officer.ctx)).find((x) => x.code === 'essai')!;
  assert.equal(g.label.ar, 'سبب تجريبي');
  await officer.c.get(`/fr/admin/information/grounds/${g.id}`);
  assert.equal((await officer.c.post(`/fr/admin/information/grounds/${g.id}`, { code: 'private-life', article: '7', label_fr: 'x' })).status, 422);
  assert.equal((await officer.c.post(`/fr/admin/information/grounds/${g.id}`, { code: 'essai', article: '7', label_fr: 'Motif d’essai', active: '' })).status, 303);
  assert.equal((await svc.listGrounds(officer.ctx)).find((x) => x.code === 'essai')!.active, false);
  assert.equal(await svc.seedGrounds(officer.ctx), 0, 'the demo loaded the list already');
});

test('the demo has sample requests in every state, all marked sample, none with an email', async () => {
  const rows = await db().selectFrom('info_requests').select(['status', 'outcome', 'extended', 'complaint_on', 'cdai_on', 'hidden', 'public_answer', 'urgent', 'requester_email', 'sample'])
    .where('commune_id', '=', t.commune.id).where('sample', '=', 1).execute();
  const has = (f: (r: any) => boolean, what: string) => assert.ok(rows.some(f), what);
  for (const o of ['given', 'partial', 'refused', 'not_held', 'withdrawn']) has((r) => r.outcome === o, o);
  has((r) => r.status === 'clarification', 'clarification');
  has((r) => r.status === 'open' && r.extended, 'extended');
  has((r) => r.urgent, 'urgent');
  has((r) => r.complaint_on && r.cdai_on, 'complaint and CDAI');
  has((r) => r.hidden, 'hidden');
  has((r) => r.public_answer, 'redacted');
  assert.ok(rows.every((r: any) => r.requester_email === null));
});

test('an answer linking a published document of the register: checked, stored as that document’s page', async () => {
  const officer = await signedIn('information_officer');
  const mk = () => svc.submitRequest(officer.ctx, { channel: 'counter', question: 'Le compte administratif de l’an dernier.', answer_form: 'on_site', name: 'D' }, { channel: 'counter' });
  const doc = await db().selectFrom('documents').select('ref').where('commune_id', '=', t.commune.id).where('status', '=', 'published').where('embargo_until', 'is', null).orderBy('id').executeTakeFirst();
  assert.ok(doc, 'the demo publishes documents');
  const a = await mk();
  await assert.rejects(svc.answer(officer.ctx, a.reference, { outcome: 'given', document_url: 'DOC-1999-999999' }), ValidationError);
  await svc.answer(officer.ctx, a.reference, { outcome: 'given', document_url: doc!.ref });
  assert.equal((await rowOf(a.reference)).document_url, `/documents/${doc!.ref}`);
  const page = await new Client(t.url).get(`/fr/information/${a.reference}`);
  assert.ok(page.text.includes(`href="/fr/documents/${doc!.ref}"`));
});
