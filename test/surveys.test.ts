import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, actorFor, roleClients, type TestApp } from './helpers.ts';
import * as svc from '../src/modules/participation/surveys/service.ts';
import { DEMO_QUIZ_SLUG } from '../src/modules/participation/surveys/demo.ts';
import { parseCsv } from '../src/modules/accountability/csv.ts';

let t: TestApp;
let roles: Map<string, Client>;
let surveyId: number;
let qRank: number, qSingle: number, qCond: number, qText: number, qDistrict: number;
const slug = 'test-priorites';

before(async () => {
  t = await startApp();
  roles = await roleClients(t);
  const ctx = await t.ctx();
  const today = svc.today(ctx);
  surveyId = await svc.createSurvey(ctx, { slug, title: { fr: 'Priorités test', ar: 'أولويات', en: 'Test priorities' }, opensAt: today, closesAt: '2099-12-31', resultsPublic: true });
  const opts = ['A', 'B', 'C'].map((l, i) => ({ key: String(i + 1), label: { fr: l } }));
  qRank = await svc.addQuestion(ctx, surveyId, { kind: 'ranking', required: true, options: opts, prompt: { fr: 'Classez' } });
  qSingle = await svc.addQuestion(ctx, surveyId, { kind: 'single', required: true, options: opts.slice(0, 2), prompt: { fr: 'Un seul' } });
  qCond = await svc.addQuestion(ctx, surveyId, { kind: 'single', required: true, options: opts.slice(0, 2), prompt: { fr: 'Si A' }, condition: { questionId: qSingle, anyOf: ['1'] } });
  qText = await svc.addQuestion(ctx, surveyId, { kind: 'long_text', required: false, options: [], prompt: { fr: 'Texte' } });
  qDistrict = await svc.addQuestion(ctx, surveyId, { kind: 'district', required: false, options: [], prompt: { fr: 'Quartier' } });
  await svc.setStatus(ctx, surveyId, 'published');
});
after(() => t.close());

const rank = (a: string, b: string, c: string) => ({ [`q${qRank}_1`]: a, [`q${qRank}_2`]: b, [`q${qRank}_3`]: c });
const results = async () => svc.results(await t.ctx(null), slug);

test('the demo quiz ranks the seven workshop themes with a few hundred sample answers, public results', async () => {
  const anon = new Client(t.url);
  const r = await anon.get(`/fr/surveys/${DEMO_QUIZ_SLUG}/results`);
  assert.equal(r.status, 200);
  const text = textOf(r.text);
  assert.match(text, /Gouvernance et commune ouverte/);
  assert.match(text, /décompte de Borda/);
  assert.match(text, /320 répondants/);
  assert.match(r.text, /<svg/);
  const res = await svc.results(await t.ctx(null), DEMO_QUIZ_SLUG);
  assert.equal(res.questions[0].options.length, 7);
  assert.ok(res.byChannel.paper > 0 && res.byChannel.web > 0 && res.byChannel.email > 0);
  assert.equal(Object.values(res.byChannel).reduce((a, b) => a + b, 0), 320);
  const ar = await anon.get(`/ar/surveys/${DEMO_QUIZ_SLUG}`);
  assert.equal(ar.status, 200);
  assert.match(ar.text, /dir="rtl"/);
});

test('a signed-in citizen answers once; answering again replaces the answer, and the counts follow', async () => {
  const c = roles.get('citizen')!;
  await c.get(`/fr/surveys/${slug}`);
  let r = await c.post(`/fr/surveys/${slug}`, { ...rank('1', '2', '3'), [`q${qSingle}`]: '1', [`q${qCond}`]: '2' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  let res = await results();
  assert.equal(res.respondents, 1);
  assert.deepEqual(res.questions[0].options.map((o) => [o.key, o.points, o.firsts]), [['1', 2, 1], ['2', 1, 0], ['3', 0, 0]]);
  // The form comes back filled with the answer, and a second answer replaces it.
  const page = await c.get(`/fr/surveys/${slug}`);
  assert.match(page.text, /Modifier ma réponse/);
  r = await c.post(`/fr/surveys/${slug}`, { ...rank('2', '', '1'), [`q${qSingle}`]: '2' });
  assert.equal(r.status, 303);
  res = await results();
  assert.equal(res.respondents, 1);
  assert.deepEqual(res.questions[0].options.map((o) => [o.key, o.points, o.firsts]), [['3', 2, 1], ['1', 1, 0], ['2', 0, 0]]);
  // The conditional question, hidden by the new answer (B), lost its answer.
  assert.equal(res.questions[2].answered, 0);
  assert.equal(res.questions[1].options.find((o) => o.key === '2')!.n, 1);
});

test('parallel first submissions of one person count once (database unique constraint)', async () => {
  const ctx = await t.ctx();
  const u = await t.user('citizen');
  const actor = await actorFor(t, u.id, u.email);
  const as = { ...ctx, actor };
  const before = (await results()).respondents;
  const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
    svc.submitAnswer(as, slug, { ...rank(String(1 + (i % 3)), String(1 + ((i + 1) % 3)), String(1 + ((i + 2) % 3))), [`q${qSingle}`]: '2' })));
  assert.ok(outcomes.every((o) => o.status === 'fulfilled'), JSON.stringify(outcomes.filter((o) => o.status === 'rejected')));
  const after = await results();
  assert.equal(after.respondents, before + 1);
  const rows = await t.database.db.selectFrom('survey_responses' as any).select((eb: any) => eb.fn.countAll().as('n')).where('respondent_key', '=', `u:${u.id}`).executeTakeFirstOrThrow() as any;
  assert.equal(Number(rows.n), 1);
  // The ranking question's answered count is the respondents' count: one lead row per response.
  assert.equal(after.questions[0].answered, after.respondents);
  // Over HTTP too: parallel posts of one signed-in client.
  const c = new Client(t.url);
  const v = await t.user('citizen');
  await c.login(v.email);
  await c.get(`/fr/surveys/${slug}`);
  const rs = await Promise.all(Array.from({ length: 8 }, () => c.post(`/fr/surveys/${slug}`, { ...rank('1', '2', '3'), [`q${qSingle}`]: '2' })));
  assert.ok(rs.every((r) => r.status === 303), rs.map((r) => r.status).join(','));
  assert.equal((await results()).respondents, before + 2);
});

test('bad input re-renders the form with translated errors and the input kept; hidden questions are not required', async () => {
  const c = roles.get('counter_agent')!;
  await c.get(`/fr/surveys/${slug}`);
  let r = await c.post(`/fr/surveys/${slug}`, { ...rank('1', '1', ''), [`q${qSingle}`]: '9', [`q${qText}`]: 'gardé' });
  assert.equal(r.status, 400);
  assert.match(textOf(r.text), /sans doublon ni trou/);
  assert.match(r.text, /gardé/);
  r = await c.post(`/ar/surveys/${slug}`, { ...rank('1', '2', '3'), [`q${qSingle}`]: '1' });
  assert.equal(r.status, 400, 'A makes the conditional question shown, hence required');
  assert.match(r.text, /error-summary/);
  // B hides it: not required, and what was sent for it is not kept.
  r = await c.post(`/fr/surveys/${slug}`, { ...rank('1', '2', '3'), [`q${qSingle}`]: '2', [`q${qCond}`]: '1' });
  assert.equal(r.status, 303);
  const cnt = (await results()).questions[2].answered;
  assert.equal(cnt, 0);
});

test('without an account: the answer counts only once the emailed link is followed; the address is not stored', async () => {
  const anon = new Client(t.url);
  await anon.get(`/fr/surveys/${slug}`);
  const before = (await results()).respondents;
  const email = 'Repondant.Unique@example.org';
  let r = await anon.post(`/fr/surveys/${slug}`, { ...rank('2', '1', ''), [`q${qSingle}`]: '2', email });
  assert.equal(r.status, 200);
  assert.match(textOf(r.text), /Vérifiez votre messagerie/);
  assert.equal((await results()).respondents, before);
  const mail = await t.database.db.selectFrom('outbox').select(['to_addr', 'body_text']).where('to_addr', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const link = mail.body_text.match(/\/fr\/surveys\/[^\s]+\/confirm\/[A-Za-z0-9_-]+/)![0];
  const stored = await t.database.db.selectFrom('survey_responses' as any).selectAll().where('channel', '=', 'email').execute();
  assert.ok(!JSON.stringify(stored).toLowerCase().includes('repondant.unique'));
  r = await anon.get(link);
  assert.equal(r.status, 200);
  r = await anon.post(link, {});
  assert.equal(r.status, 303);
  assert.equal((await results()).respondents, before + 1);
  assert.equal((await results()).byChannel.email, 1);
  // The link works once; a wrong token is a 404.
  assert.equal((await anon.post(link, {}, { csrf: anon.csrf() })).status, 404);
  assert.equal((await anon.get(`/fr/surveys/${slug}/confirm/nope`)).status, 404);
});

test('a counter agent enters paper forms: marked paper, agent recorded; citizens may not', async () => {
  const agent = roles.get('counter_agent')!;
  let r = await agent.get(`/fr/admin/surveys/${surveyId}/paper`);
  assert.equal(r.status, 200);
  const districts = await t.database.db.selectFrom('request_districts' as any).select('id').orderBy('id').limit(1).executeTakeFirstOrThrow() as any;
  for (let i = 0; i < 2; i++) {
    r = await agent.post(`/fr/admin/surveys/${surveyId}/paper`, { ...rank('1', '3', '2'), [`q${qSingle}`]: '2', [`q${qDistrict}`]: String(districts.id), [`q${qText}`]: `Papier ${i}` });
    assert.equal(r.status, 303, textOf(r.text).slice(0, 500));
  }
  const rows = await t.database.db.selectFrom('survey_responses' as any).select(['entered_by', 'district_id']).where('channel', '=', 'paper').where('survey_id', '=', surveyId).execute() as any[];
  assert.equal(rows.length, 2);
  assert.ok(rows.every((x) => x.entered_by && x.district_id === districts.id));
  const res = await results();
  assert.equal(res.byChannel.paper, 2);
  assert.equal(res.byDistrict.find((d) => d.id === districts.id)?.n, 2);
  assert.equal((await roles.get('citizen')!.get(`/fr/admin/surveys/${surveyId}/paper`)).status, 403);
});

test('free texts are public only once a moderator approved them', async () => {
  const anon = new Client(t.url);
  let page = await anon.get(`/fr/surveys/${slug}/results`);
  assert.ok(!page.text.includes('Papier 0'));
  const mod = roles.get('moderator')!;
  const list = await mod.get(`/fr/admin/surveys/${surveyId}/texts`);
  assert.equal(list.status, 200);
  const m = list.text.match(new RegExp(`/fr/admin/surveys/${surveyId}/texts/(\\d+)`));
  assert.ok(m);
  const r = await mod.post(`/fr/admin/surveys/${surveyId}/texts/${m![1]}`, { status: 'approved' });
  assert.equal(r.status, 303);
  page = await anon.get(`/fr/surveys/${slug}/results`);
  assert.match(page.text, /Papier \d/);
  assert.equal((await roles.get('ogp_team')!.post(`/fr/admin/surveys/${surveyId}/texts/${m![1]}`, { status: 'rejected' }, { csrf: null })).status, 403);
});

test('the CSV of anonymous answers: one line per confirmed response, no identity, texts only once approved', async () => {
  const anon = new Client(t.url);
  const r = await anon.get(`/fr/surveys/${slug}/answers.csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/csv/);
  const rows = parseCsv(r.text.replace(/^\uFEFF/, ''));
  const header = rows[0];
  assert.deepEqual(header.slice(0, 4), ['response', 'channel', 'district', 'sample']);
  const body = rows.slice(1).filter((x) => x.length > 1);
  assert.equal(body.length, (await results()).respondents);
  assert.ok(!/example\.org|u:\d|e:/.test(r.text));
  const texts = body.map((x) => x[4 + 3]).filter(Boolean);
  assert.equal(texts.length, 1, 'only the approved text');
  assert.ok(body.some((x) => /^\d>/.test(x[4])), 'rankings as an order');
});

test('staff build a survey through the forms: bad input is explained, a condition must point at an earlier question', async () => {
  const ogp = roles.get('ogp_team')!;
  await ogp.get('/fr/admin/surveys');
  let r = await ogp.post('/fr/admin/surveys', { slug: 'Bad Slug', title_fr: '', opens_at: '2026-13-01', closes_at: '2026-01-01' });
  assert.equal(r.status, 400);
  assert.match(r.text, /Bad Slug/);
  r = await ogp.post('/fr/admin/surveys', { slug: 'nouvelle', title_fr: 'Nouvelle', opens_at: '2026-01-01', closes_at: '2099-01-01', results_public: '1' });
  assert.equal(r.status, 303);
  const id = r.location!.split('/').pop();
  await ogp.get(`/fr/admin/surveys/${id}`);
  r = await ogp.post(`/fr/admin/surveys/${id}/status`, { status: 'published' });
  assert.equal(r.status, 422, 'no question: stays a draft');
  r = await ogp.post(`/fr/admin/surveys/${id}/questions`, { kind: 'single', prompt_fr: 'Q', options: 'Un | واحد | One' });
  assert.equal(r.status, 400);
  r = await ogp.post(`/fr/admin/surveys/${id}/questions`, { kind: 'single', prompt_fr: 'Q', options: 'Un | واحد | One\nDeux | اثنان | Two', required: '1' });
  assert.equal(r.status, 303);
  r = await ogp.post(`/fr/admin/surveys/${id}/questions`, { kind: 'short_text', prompt_fr: 'Si deux', condition_question: String(qRank), condition_options: '2' });
  assert.equal(r.status, 422, 'a question of another survey');
  const draft = await new Client(t.url).get('/fr/surveys/nouvelle');
  assert.equal(draft.status, 404, 'a draft is not public');
  r = await ogp.post(`/fr/admin/surveys/${id}/status`, { status: 'published' });
  assert.equal(r.status, 303);
  assert.equal((await new Client(t.url).get('/fr/surveys/nouvelle')).status, 200);
  assert.equal((await roles.get('citizen')!.get('/fr/admin/surveys')).status, 403);
});

test('private results: only those who manage surveys see them', async () => {
  const ctx = await t.ctx();
  const id = await svc.createSurvey(ctx, { slug: 'privee', title: { fr: 'Privée' }, opensAt: '2026-01-01', closesAt: '2099-01-01', resultsPublic: false });
  await svc.addQuestion(ctx, id, { kind: 'scale', required: true, options: [], prompt: { fr: 'Note' } });
  await svc.setStatus(ctx, id, 'published');
  assert.equal((await new Client(t.url).get('/fr/surveys/privee/results')).status, 404);
  assert.equal((await new Client(t.url).get('/fr/surveys/privee/answers.csv')).status, 404);
  assert.equal((await roles.get('ogp_team')!.get('/fr/surveys/privee/results')).status, 200);
});

test('a closed survey takes no answer', async () => {
  const ctx = await t.ctx();
  const id = await svc.createSurvey(ctx, { slug: 'close', title: { fr: 'Close' }, opensAt: '2020-01-01', closesAt: '2020-02-01', resultsPublic: true });
  await svc.addQuestion(ctx, id, { kind: 'scale', required: true, options: [], prompt: { fr: 'Note' } });
  await svc.setStatus(ctx, id, 'published');
  const c = roles.get('citizen')!;
  const page = await c.get('/fr/surveys/close');
  assert.match(textOf(page.text), /n’accepte pas de réponse/);
  const r = await c.post('/fr/surveys/close', { [`q${(await svc.getSurvey(ctx, 'close')).questions[0].id}`]: '3' });
  assert.equal(r.status, 422);
});
