import './no-chromium.ts';
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startApp, Client, textOf, actorFor, type TestApp } from './helpers.ts';
import * as rules from '../src/modules/participation/rules.ts';
import * as svc from '../src/modules/participation/service.ts';
import { localToUtc, utcToLocal } from '../src/modules/participation/inputs.ts';
import { RuleError } from '../src/core/http/errors.ts';
import { processOptions, processPath } from '../src/modules/participation/api.ts';

// ---------- Rules on their own ----------

describe('participation rules', () => {
  test('counts from 1 to 4 are suppressed; 0 and 5 are shown', () => {
    assert.deepEqual([0, 1, 4, 5, 376].map(rules.suppress), [0, null, null, 5, 376]);
  });
  test('category: the organisation represented, else unaffiliated when present, else online', () => {
    assert.equal(rules.categoryOf('civil_society', true), 'civil_society');
    assert.equal(rules.categoryOf('academic', false), 'academic');
    assert.equal(rules.categoryOf('none', true), 'unaffiliated');
    assert.equal(rules.categoryOf('none', false), 'online');
  });
  test('a place while there is room, the waiting list after; no capacity, no limit', () => {
    assert.equal(rules.placeFor(2, 1), 'registered');
    assert.equal(rules.placeFor(2, 2), 'waiting');
    assert.equal(rules.placeFor(null, 10_000), 'registered');
  });
  test('composition drift: a share under its target (beyond the tolerance) is reported', () => {
    const drift = rules.compositionDrift({ sex: { f: 0.4 } }, { sex: { f: 2, m: 8 } }, 10);
    assert.equal(drift.length, 1);
    assert.equal(drift[0].actual, 0.2);
    assert.deepEqual(rules.compositionDrift({ sex: { f: 0.4 } }, { sex: { f: 4, m: 6 } }, 10), []);
    assert.deepEqual(rules.compositionDrift({ sex: { f: 0.4 } }, {}, 0), []);
  });
  test('targets and local times parse strictly', () => {
    assert.deepEqual(rules.targetsFromText('sex.f=40\norg_type.civil_society = 50%'), { sex: { f: 0.4 }, org_type: { civil_society: 0.5 } });
    assert.equal(rules.targetsFromText('sex.f=140'), null);
    assert.equal(rules.targetsFromText('nonsense'), null);
    // Africa/Casablanca is UTC+1 outside Ramadan.
    assert.equal(localToUtc('2026-12-10T18:00'), '2026-12-10T17:00:00.000Z');
    assert.equal(utcToLocal('2026-12-10T17:00:00.000Z'), '2026-12-10T18:00');
    assert.equal(localToUtc('2026-02-30T10:00'), null);
  });
  test('registration state follows the dates and the meeting status', () => {
    const m = { status: 'scheduled', starts_at: '2026-12-20T10:00:00Z', registration_opens_at: '2026-12-01T00:00:00Z', registration_closes_at: '2026-12-19T00:00:00Z', invitation_only: 0 };
    assert.equal(rules.registrationState(m, '2026-11-30T00:00:00Z'), 'not_yet');
    assert.equal(rules.registrationState(m, '2026-12-10T00:00:00Z'), 'open');
    assert.equal(rules.registrationState(m, '2026-12-19T00:00:00Z'), 'closed');
    assert.equal(rules.registrationState({ ...m, invitation_only: 1 }, '2026-12-10T00:00:00Z'), 'invitation_only');
    assert.equal(rules.registrationState({ ...m, status: 'cancelled' }, '2026-12-10T00:00:00Z'), 'cancelled');
  });
});

// ---------- Through the server ----------

let t: TestApp;
let anon: Client;
let ogp: Client;
let counter: Client;
let citizen: Client;
let citizenUser: { email: string; id: number };
let moderator: Client;
const db = () => t.database.db as any;
const c = () => t.commune.id;

async function meetingsOf(slug: string) {
  return db().selectFrom('meetings as m').innerJoin('processes as p', (j: any) => j.onRef('p.id', '=', 'm.process_id').onRef('p.commune_id', '=', 'm.commune_id'))
    .select(['m.id', 'm.capacity', 'm.mode', 'm.kind']).where('p.slug', '=', slug).where('m.commune_id', '=', c()).orderBy('m.id').execute();
}
async function login(role: string) {
  const u = await t.user(role);
  const cl = new Client(t.url);
  await cl.login(u.email);
  return { cl, u };
}

before(async () => {
  t = await startApp();
  anon = new Client(t.url);
  ogp = (await login('ogp_team')).cl;
  counter = (await login('counter_agent')).cl;
  moderator = (await login('moderator')).cl;
  const ci = await login('citizen');
  citizen = ci.cl;
  citizenUser = ci.u;
});
after(async () => { await t?.close(); });

test('the demo statistics page shows the plan’s figures, computed by SQL from participant records', async () => {
  const res = await anon.get('/fr/participation/co-creation-2022/statistics');
  assert.equal(res.status, 200);
  const stat = (id: string) => res.text.match(new RegExp(`id="${id}">([^<]+)<`))?.[1].replace(/\D/g, '');
  assert.equal(stat('stat-total'), '376');
  assert.equal(stat('stat-groups'), '11');
  assert.equal(stat('stat-public'), '9');
  assert.equal(stat('stat-thematic'), '7');
  assert.equal(stat('stat-neighbourhood'), '8');
  assert.equal(stat('stat-online'), '56');
  const text = textOf(res.text);
  for (const [label, n] of [['Représentants des organisations de la société civile', 258], ['ONG internationale', 1], ['Suggestions reçues en ligne', 56],
    ['Participants aux ateliers non affiliés à une organisation', 35], ['Participants universitaires', 5], ['Secteur privé', 6]] as const) {
    assert.match(text, new RegExp(`${label} ${n}\\b`), `${label}: ${n}`);
  }
  // The figures are records, not typed totals: 376 people, each a sample row.
  const people = await db().selectFrom('participants').select((e: any) => e.fn.countAll().as('n')).where('commune_id', '=', c()).where('sample', '=', 1).executeTakeFirst();
  assert.ok(Number(people.n) >= 376);
  // In Arabic too.
  const ar = await anon.get('/ar/participation/co-creation-2022/statistics');
  assert.equal(ar.status, 200);
  assert.match(ar.text, /dir="rtl"/);
  assert.match(ar.text, /id="stat-total">376</);
});

test('public pages: processes, a process, proposals sorted and filtered, a meeting, the iCalendar feed', async () => {
  for (const p of ['/fr/participation', '/fr/participation/co-creation-2022', '/fr/participation/mise-a-jour-2026', '/fr/participation/mise-a-jour-2026/proposals?sort=recent',
    '/ar/participation/co-creation-2022/proposals?theme=governance_open', '/fr/participation/mise-a-jour-2026/proposals/new']) {
    const r = await anon.get(p);
    assert.equal(r.status, 200, p);
  }
  const bySupports = await anon.get('/fr/participation/co-creation-2022/proposals?sort=supports');
  const counts = [...bySupports.text.matchAll(/(\d+) soutiens/g)].map((m) => Number(m[1]));
  assert.ok(counts.length >= 2);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'sorted by supports, descending');
  assert.equal((await anon.get('/fr/participation/nope')).status, 404);
  assert.equal((await anon.get('/fr/participation/co-creation-2022/proposals/99999')).status, 404);

  const ics = await anon.get('/fr/participation/meetings.ics');
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type') ?? '', /text\/calendar/);
  const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.ok(events.length >= 3);
  assert.ok(events.some((e) => e.summary.includes('Touabel')));
  // The online link is never in the public feed.
  assert.doesNotMatch(ics.text, /visio\.example\.org/);
});

test('api.ts gives other modules the processes and their paths', async () => {
  const opts = await processOptions(await t.ctx());
  assert.ok(opts.some((p) => p.slug === 'co-creation-2022'));
  assert.equal(processPath({ slug: 'co-creation-2022' }), '/participation/co-creation-2022');
});

test('registration: a full meeting puts people on the waiting list; a cancellation by link moves the first up and mails the .ics', async () => {
  const meeting = (await meetingsOf('mise-a-jour-2026')).find((m: any) => m.capacity === 2);
  const ctx = await t.ctx(null);
  const outs = [];
  for (const i of [1, 2, 3]) outs.push(await svc.register({ ...ctx, actor: null }, meeting.id, { name: `Personne ${i}`, email: `wait${i}@test.local`, consent: false }));
  assert.deepEqual(outs.map((o) => o.status), ['registered', 'registered', 'waiting']);
  const mails = await db().selectFrom('outbox').select(['to_addr', 'subject', 'attachments']).where('to_addr', 'like', 'wait%').orderBy('id').execute();
  assert.equal(mails.length, 3);
  assert.ok(mails[0].attachments && JSON.parse(mails[0].attachments)[0].content.includes('BEGIN:VEVENT'));
  assert.equal(mails[2].attachments, null, 'the waiting list gets no calendar invitation');

  // Cancel through the link (GET shows, POST does).
  const page = await anon.get(`/fr/participation/registrations/${outs[0].token}`);
  assert.equal(page.status, 200);
  const tok = anon.csrf();
  const done = await anon.post(`/fr/participation/registrations/${outs[0].token}`, {}, { csrf: tok });
  assert.equal(done.status, 200);
  const statuses = await db().selectFrom('registrations as r').innerJoin('participants as p', 'p.id', 'r.participant_id').select(['p.email', 'r.status'])
    .where('r.meeting_id', '=', meeting.id).orderBy('p.email').execute();
  assert.deepEqual(statuses.map((s: any) => s.status), ['cancelled', 'registered', 'registered']);
  const promoted = await db().selectFrom('outbox').select(['attachments']).where('to_addr', '=', 'wait3@test.local').orderBy('id', 'desc').executeTakeFirst();
  assert.ok(promoted.attachments, 'the promoted person gets the .ics');
  // A second cancellation is refused; a bad token is unknown.
  assert.equal((await anon.post(`/fr/participation/registrations/${outs[0].token}`, {}, { csrf: tok })).status, 422);
  assert.equal((await anon.get('/fr/participation/registrations/not-a-real-token-0000000')).status, 404);
});

test('double registration under 20 parallel requests leaves exactly one row', async () => {
  const meeting = (await meetingsOf('mise-a-jour-2026')).find((m: any) => m.capacity === 30);
  const cl = new Client(t.url);
  await cl.get(`/fr/participation/meetings/${meeting.id}`);
  const token = cl.csrf();
  const results = await Promise.all(Array.from({ length: 20 }, () => cl.post(`/fr/participation/meetings/${meeting.id}/register`, { name: 'Parallèle', email: 'Parallel@Test.local' }, { csrf: token })));
  assert.equal(results.filter((r) => r.status === 303).length, 1);
  assert.ok(results.every((r) => r.status === 303 || r.status === 422), results.map((r) => r.status).join(','));
  const rows = await db().selectFrom('registrations as r').innerJoin('participants as p', 'p.id', 'r.participant_id').select('r.id')
    .where('r.meeting_id', '=', meeting.id).where('p.email_normalized', '=', 'parallel@test.local').execute();
  assert.equal(rows.length, 1);
  const people = await db().selectFrom('participants').select('id').where('email_normalized', '=', 'parallel@test.local').execute();
  assert.equal(people.length, 1);
});

test('bad input re-renders the form with translated errors and the input kept', async () => {
  const meeting = (await meetingsOf('mise-a-jour-2026')).find((m: any) => m.capacity === 30);
  await anon.get(`/ar/participation/meetings/${meeting.id}`);
  const r = await anon.post(`/ar/participation/meetings/${meeting.id}/register`, { name: 'Nom <b>gardé</b>', email: 'pas-une-adresse' });
  assert.equal(r.status, 400);
  assert.match(r.text, /error-summary/);
  assert.match(r.text, /value="Nom &lt;b>gardé&lt;\/b>"/);
  assert.match(r.text, /dir="rtl"/);
});

test('consent: the diversity dimensions are kept only with consent, with its date', async () => {
  const meeting = (await meetingsOf('mise-a-jour-2026')).find((m: any) => m.capacity === 30);
  const ctx = { ...(await t.ctx(null)), actor: null };
  await svc.register(ctx, meeting.id, { name: 'Sans accord', email: 'noconsent@test.local', consent: false, sex: 'f', ageBand: '25_34', district: 'Touabel' });
  await svc.register(ctx, meeting.id, { name: 'Avec accord', email: 'consent@test.local', consent: true, sex: 'f', ageBand: '25_34', district: 'Touabel' });
  const rows = await db().selectFrom('participants').select(['email', 'sex', 'age_band', 'district', 'consent_at']).where('email', 'in', ['noconsent@test.local', 'consent@test.local']).orderBy('email').execute();
  const [yes, no] = rows;
  assert.deepEqual([no.sex, no.age_band, no.district, no.consent_at], [null, null, null, null]);
  assert.equal(yes.sex, 'f');
  assert.ok(yes.consent_at);
});

test('supports: 20 parallel clicks of one person count once; anonymous is sent to sign in', async () => {
  const p = await db().selectFrom('proposals as pr').innerJoin('processes as p', 'p.id', 'pr.process_id').select(['pr.id', 'pr.number', 'pr.supports'])
    .where('p.slug', '=', 'mise-a-jour-2026').where('pr.status', '=', 'published').orderBy('pr.id').executeTakeFirst();
  const path = `/fr/participation/mise-a-jour-2026/proposals/${p.number}`;
  await citizen.get(path);
  const token = citizen.csrf();
  const results = await Promise.all(Array.from({ length: 20 }, () => citizen.post(`${path}/support`, {}, { csrf: token })));
  assert.ok(results.every((r) => r.status === 303));
  const rows = await db().selectFrom('proposal_supports').select('id').where('proposal_id', '=', p.id).where('user_id', '=', citizenUser.id).execute();
  assert.equal(rows.length, 1);
  const after = await db().selectFrom('proposals').select('supports').where('id', '=', p.id).executeTakeFirst();
  assert.equal(after.supports, p.supports + 1);
  assert.match(textOf((await citizen.get(path)).text), /Vous soutenez cette proposition/);
  await anon.get(path);
  const a = await anon.post(`${path}/support`, {});
  assert.ok(a.status === 401 || a.status === 303);
  assert.equal((await db().selectFrom('proposals').select('supports').where('id', '=', p.id).executeTakeFirst()).supports, p.supports + 1);
});

test('a proposal by email is published only once confirmed; staff hide it with a reason, and answer it with its commitment', async () => {
  await anon.get('/fr/participation/mise-a-jour-2026/proposals/new');
  const r = await anon.post('/fr/participation/mise-a-jour-2026/proposals/new', { title: 'Des fontaines publiques', body: 'Remettre en service les fontaines de la médina.', theme: 'infrastructure', district: 'Médina', name: 'Amina', email: 'amina@test.local' });
  assert.equal(r.status, 303);
  const row = await db().selectFrom('proposals').select(['id', 'number', 'status']).where('title', '=', 'Des fontaines publiques').executeTakeFirst();
  assert.equal(row.status, 'unconfirmed');
  assert.equal((await anon.get(`/fr/participation/mise-a-jour-2026/proposals/${row.number}`)).status, 404);
  const mail = await db().selectFrom('outbox').select('body_text').where('to_addr', '=', 'amina@test.local').executeTakeFirst();
  const token = mail.body_text.match(/proposals\/confirm\/([A-Za-z0-9_-]+)/)[1];
  assert.equal((await anon.get(`/fr/participation/proposals/confirm/${token}`)).status, 200);
  assert.equal((await anon.post(`/fr/participation/proposals/confirm/${token}`, {})).status, 303);
  const page = await anon.get(`/fr/participation/mise-a-jour-2026/proposals/${row.number}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /amina@test\.local|Amina/);

  // Moderation: a reason is required; the page then shows it instead of the text.
  await moderator.get(`/fr/admin/participation/proposals/${row.id}`);
  assert.equal((await moderator.post(`/fr/admin/participation/proposals/${row.id}/moderate`, { action: 'hide', reason: '' })).status, 422);
  assert.equal((await moderator.post(`/fr/admin/participation/proposals/${row.id}/moderate`, { action: 'hide', reason: 'Doublon' })).status, 303);
  const hidden = textOf((await anon.get(`/fr/participation/mise-a-jour-2026/proposals/${row.number}`)).text);
  assert.match(hidden, /Doublon/);
  assert.doesNotMatch(hidden, /Remettre en service/);
  await moderator.get(`/fr/admin/participation/proposals/${row.id}`);
  await moderator.post(`/fr/admin/participation/proposals/${row.id}/moderate`, { action: 'show' });

  // The answer: accepted, with the commitment it became; the commitment's page lists it.
  const commitment = await db().selectFrom('commitments as cm').innerJoin('plans as pl', 'pl.id', 'cm.plan_id').select(['cm.id', 'cm.number', 'pl.slug']).where('cm.commune_id', '=', c()).orderBy('cm.id').executeTakeFirst();
  await ogp.get(`/fr/admin/participation/proposals/${row.id}`);
  assert.equal((await ogp.post(`/fr/admin/participation/proposals/${row.id}/answer`, { answer: 'accepted', text_fr: 'Retenue.', commitment_id: '999999' })).status, 422);
  assert.equal((await ogp.post(`/fr/admin/participation/proposals/${row.id}/answer`, { answer: 'accepted', text_fr: 'Retenue.', commitment_id: String(commitment.id) })).status, 303);
  const answered = textOf((await anon.get(`/fr/participation/mise-a-jour-2026/proposals/${row.number}`)).text);
  assert.match(answered, /Acceptée/);
  assert.match(answered, /Devenue l’engagement/);
  const cpage = await anon.get(`/fr/plans/${commitment.slug}/commitments/${commitment.number}`);
  assert.match(textOf(cpage.text), /Des fontaines publiques/);
});

test('roles: staff pages for their roles only; anonymous visitors are sent to sign in', async () => {
  const open = await db().selectFrom('processes').select('id').where('slug', '=', 'mise-a-jour-2026').executeTakeFirst();
  const meeting = (await meetingsOf('mise-a-jour-2026'))[0];
  const cases: [Client, string, number][] = [
    [anon, '/fr/admin/participation', 303], [citizen, '/fr/admin/participation', 403], [ogp, '/fr/admin/participation', 200],
    [counter, '/fr/admin/participation', 403], [counter, `/fr/admin/participation/meetings/${meeting.id}/door`, 200], [citizen, `/fr/admin/participation/meetings/${meeting.id}/door`, 403],
    [ogp, `/fr/admin/participation/${open.id}`, 200], [ogp, `/fr/admin/participation/meetings/${meeting.id}`, 200], [ogp, `/fr/admin/participation/meetings/${meeting.id}/invite?sex=f`, 200],
    [ogp, '/fr/admin/participation/registry', 200], [counter, '/fr/admin/participation/registry', 403], [moderator, `/fr/admin/participation/${open.id}/proposals`, 200],
    [citizen, `/fr/admin/participation/${open.id}/proposals`, 403], [anon, '/fr/participation/me', 303], [citizen, '/fr/participation/me', 200],
  ];
  for (const [cl, p, status] of cases) assert.equal((await cl.get(p)).status, status, p);
});

test('the door: staff mark who came and add walk-ins; small counts are suppressed on public pages, not for staff', async () => {
  const ctx = await t.ctx();
  const pid = await svc.createProcess(ctx, { slug: 'petit-atelier', title: { fr: 'Petit atelier' }, status: 'open', phases: [] });
  const mid = await svc.createMeeting(ctx, pid, { kind: 'thematic_workshop', title: { fr: 'Atelier à trois' }, mode: 'in_person', startsAt: '2026-01-10T09:00:00.000Z', endsAt: '2026-01-10T11:00:00.000Z', status: 'held' });
  const r = await svc.registerFor(ctx, mid, { name: 'Inscrite', consent: true, sex: 'f', orgType: 'none' });
  await counter.get(`/fr/admin/participation/meetings/${mid}/door`);
  assert.equal((await counter.post(`/fr/admin/participation/meetings/${mid}/walk-in`, { name: 'Venu sans inscription', consent: '1', sex: 'm', group: 'G1' })).status, 303);
  const reg = await db().selectFrom('registrations').select(['id', 'participant_id', 'attended']).where('meeting_id', '=', mid).orderBy('id').execute();
  assert.equal(reg.length, 2);
  assert.deepEqual(reg.map((x: any) => x.attended), [0, 1]);
  await counter.get(`/fr/admin/participation/meetings/${mid}/door`);
  assert.equal((await counter.post(`/fr/admin/participation/meetings/${mid}/door`, { present: reg.map((x: any) => String(x.id)), [`group_${reg[0].id}`]: 'G2' })).status, 303);
  const pub = textOf((await anon.get('/fr/participation/petit-atelier/statistics')).text);
  assert.match(pub, /Femmes moins de 5/);
  assert.doesNotMatch(pub, /Femmes 1\b/);
  const staff = textOf((await ogp.get('/fr/participation/petit-atelier/statistics?staff=1')).text);
  assert.match(staff, /Femmes 1\b/);
  assert.ok(r.token);

  // Erasure keeps the anonymous count.
  const u = await t.user('citizen');
  const uctx = { ...ctx, actor: await actorFor(t, u.id, u.email) };
  await svc.register(uctx, (await meetingsOf('mise-a-jour-2026')).find((m: any) => m.capacity === 30).id, { name: 'Moi', consent: true, sex: 'f' });
  await svc.walkIn(ctx, mid, { name: 'Moi', email: u.email, consent: true, sex: 'f' });
  const before = (await svc.processStatistics(ctx, 'petit-atelier', { staff: true })).stats.total;
  const me = new Client(t.url);
  await me.login(u.email);
  const exp = await me.get('/fr/participation/me.json');
  assert.equal(exp.status, 200);
  assert.equal(JSON.parse(exp.text).participant.email, u.email);
  await me.get('/fr/participation/me');
  assert.equal((await me.post('/fr/participation/me/erase', {})).status, 303);
  const gone = await db().selectFrom('participants').select(['name', 'email', 'user_id', 'erased_at']).where('id', '=', reg[0].participant_id + 2).executeTakeFirst();
  const erased = await db().selectFrom('participants').select(['name', 'email', 'user_id', 'erased_at']).where('erased_at', 'is not', null).execute();
  assert.ok(erased.some((x: any) => x.name === null && x.email === null && x.user_id === null));
  void gone;
  assert.equal((await svc.processStatistics(ctx, 'petit-atelier', { staff: true })).stats.total, before);
  const again = await me.get('/fr/participation/me.json');
  assert.equal(JSON.parse(again.text).participant, null);
});

test('a rule error from a service is a RuleError (a rejected answer needs its reason)', async () => {
  const ctx = await t.ctx();
  const p = await db().selectFrom('proposals').select('id').where('status', '=', 'published').orderBy('id').executeTakeFirst();
  await assert.rejects(() => svc.answerProposal(ctx, p.id, { answer: 'rejected', text: {} }), RuleError);
});
