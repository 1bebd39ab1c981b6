import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';
import { POST_LIMIT } from '../src/modules/comments/routes.tsx';

let t: TestApp;
let reportId: number;
let commitmentId: number;
let commitmentPath: string;

before(async () => {
  t = await startApp();
  const db = t.database.db as any;
  reportId = (await db.selectFrom('monitoring_reports').select('id').where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).id;
  const c = await db.selectFrom('commitments as c').innerJoin('plans as p', 'p.id', 'c.plan_id').select(['c.id', 'c.number', 'p.slug'])
    .where('c.commune_id', '=', t.commune.id).where('c.parent_id', 'is not', null).orderBy('c.id').executeTakeFirstOrThrow();
  commitmentId = c.id;
  commitmentPath = `/plans/${c.slug}/commitments/${c.number}`;
});
after(async () => { await t?.close(); });

const page = () => `/fr/monitoring/${reportId}`;

/** Posts a comment from the report page's own form, as a visitor would. */
async function postComment(c: Client, fields: Record<string, string>, target = { type: 'monitoring_report', id: reportId, back: `/monitoring/${reportId}` }) {
  await c.get(page());
  return c.post('/fr/comments', { target_type: target.type, target_id: String(target.id), return_to: target.back, ...fields });
}

async function commentRow(id: number) {
  return (t.database.db as any).selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const idFrom = (location: string | null) => Number(/#comment-(\d+)$/.exec(location ?? '')?.[1]);

test('an anonymous comment keeps its email out of every public page, API and the audit log', async () => {
  const c = new Client(t.url);
  const marker = `planted-${randomBytes(5).toString('hex')}`;
  const email = `${marker}@example.test`;
  const body = `Le budget citoyen doit être lu en darija ${marker.slice(-4)}.`;
  const res = await postComment(c, { comment_name: 'Khadija B.', comment_email: email, comment_body: body });
  assert.equal(res.status, 303);
  assert.equal((await postComment(c, { comment_name: 'Khadija B.', comment_email: email, comment_body: body },
    { type: 'commitment', id: commitmentId, back: commitmentPath })).status, 303);
  assert.match(res.location ?? '', new RegExp(`^/fr/monitoring/${reportId}#comment-\\d+$`));
  const id = idFrom(res.location);
  // The email is really stored (for the moderators): the scan below looks for something that exists.
  assert.equal((await commentRow(id)).author_email, email);

  const staff = new Client(t.url);
  await staff.login((await t.user('moderator')).email);
  const outputs: [string, string][] = [];
  for (const p of [page(), `/ar/monitoring/${reportId}`, `/en/monitoring/${reportId}`, `/api/comments?target=monitoring_report:${reportId}`,
    `/fr/comments/${id}/report`, `/fr/plans/ogp-2023/monitoring`, `/fr/monitoring/${reportId}?print=1`,
    `/fr${commitmentPath}`, `/ar${commitmentPath}`, `/api/comments?target=commitment:${commitmentId}`]) {
    const r = await c.get(p);
    assert.equal(r.status, 200, p);
    outputs.push([p, r.text]);
  }
  for (const p of ['/fr/admin/comments', `/fr/admin/comments?tab=hidden`]) outputs.push([p, (await staff.get(p)).text]);
  // The moderation page of this comment (reported first so that it shows in the queue).
  await c.get(`/fr/comments/${id}/report`);
  assert.equal((await c.post(`/fr/comments/${id}/report`, { reason: 'other', note: '', return_to: `/monitoring/${reportId}` })).status, 303);
  outputs.push(['/fr/admin/comments', (await staff.get('/fr/admin/comments')).text]);
  outputs.push([`/fr/admin/comments/${id}`, (await staff.get(`/fr/admin/comments/${id}`)).text]);

  assert.ok(textOf(outputs[0][1]).includes(body), 'the comment itself is on the page');
  assert.ok(textOf(outputs.find(([p]) => p === `/fr${commitmentPath}`)![1]).includes(body), 'and on the commitment page');
  assert.ok(textOf(outputs[0][1]).includes('Khadija B.'), 'under the name the visitor gave');
  for (const [p, text] of outputs) {
    assert.ok(!text.includes(marker), `${p} leaks the email`);
    assert.ok(!text.includes(encodeURIComponent(email)), `${p} leaks the email (encoded)`);
  }
  const audit = await (t.database.db as any).selectFrom('audit_log').select(['before', 'after']).where('commune_id', '=', t.commune.id).where('action', 'like', 'comment.%').execute();
  assert.ok(audit.length >= 2);
  for (const a of audit) assert.ok(!`${a.before}${a.after}`.includes(marker), 'the audit entry leaks the email');
});

test('markup in a comment is shown as text, never run', async () => {
  const c = new Client(t.url);
  const payload = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & \'single\'';
  const res = await postComment(c, { comment_name: '"><svg onload=alert(3)>', comment_email: 'x@example.test', comment_body: payload });
  assert.equal(res.status, 303);
  const html = (await c.get(page())).text;
  assert.ok(!html.includes('<script>alert(1)'), 'no script element from the comment');
  assert.ok(!html.includes('<img src=x'), 'no img element from the comment');
  assert.ok(!html.includes('<svg onload'), 'no svg element from the name');
  assert.ok(html.includes('&lt;script>alert(1)&lt;/script>'), 'the text is escaped and kept');
  assert.match(textOf(html), /"quoted"/);
  // The JSON API returns the text as data (a JSON string), with the JSON content type.
  const api = await c.get(`/api/comments?target=monitoring_report:${reportId}`);
  assert.match(api.headers.get('content-type') ?? '', /application\/json/);
  assert.ok(JSON.parse(api.text).comments.some((x: any) => x.body === payload));
});

test('a signed-in citizen comments under the account name; a bad form comes back with its input and messages', async () => {
  const citizen = await t.user('citizen');
  const c = new Client(t.url);
  await c.login(citizen.email);
  const res = await postComment(c, { comment_name: 'Quelqu’un d’autre', comment_body: 'Merci pour ce rapport clair.' });
  assert.equal(res.status, 303);
  const row = await commentRow(idFrom(res.location));
  assert.equal(row.author_name, `citizen ${citizen.email.split('.')[1]}`);
  assert.equal(row.user_id, citizen.id);
  assert.equal(row.author_email, null);

  const anon = new Client(t.url);
  const bad = await postComment(anon, { comment_name: 'Ahmed', comment_email: 'not-an-email', comment_body: 'ok' });
  assert.equal(bad.status, 400);
  const text = textOf(bad.text);
  assert.match(text, /Le formulaire contient des erreurs/);
  assert.match(text, /Au moins 3 caractères/);
  assert.match(text, /adresse e-mail valide/);
  assert.match(bad.text, /name="comment_name"[^>]*value="Ahmed"/, 'the name typed is kept');
  assert.match(bad.text, /name="return_to" value="\/monitoring\/\d+"/, 'the way back is kept');
  assert.equal((await postComment(anon, { comment_name: 'A', comment_email: 'a@example.test', comment_body: 'Bonjour' }, { type: 'nothing', id: 1, back: '/' })).status, 404);
});

test('the commitment page carries the debate: post from it, come back to it, read it there and in the JSON API; a draft report takes none', async () => {
  const c = new Client(t.url);
  const count = async () => JSON.parse((await c.get(`/api/comments?target=commitment:${commitmentId}`)).text).total as number;
  const n = await count();
  const before = await c.get(`/fr${commitmentPath}`);
  assert.equal(before.status, 200);
  assert.match(before.text, /id="comments"/);
  assert.match(before.text, new RegExp(`name="target_type" value="commitment"`));
  assert.match(before.text, new RegExp(`name="target_id" value="${commitmentId}"`));
  const res = await c.post('/fr/comments', { target_type: 'commitment', target_id: String(commitmentId), return_to: commitmentPath,
    comment_name: 'Samir', comment_email: 'samir@example.test', comment_body: 'Où en est cet engagement ?' });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/fr${commitmentPath}#comment-${idFrom(res.location)}`);
  const after = await c.get(`/fr${commitmentPath}`);
  assert.match(textOf(after.text), /Merci, votre commentaire est publié/);
  assert.match(textOf(after.text), /Samir .* Où en est cet engagement \?/);
  const api = JSON.parse((await c.get(`/api/comments?target=commitment:${commitmentId}`)).text);
  assert.equal(api.total, n + 1);
  const last = api.comments.at(-1);
  assert.deepEqual(Object.keys(last).sort(), ['author', 'body', 'createdAt', 'hidden', 'hiddenAt', 'hiddenReason', 'id']);
  assert.deepEqual([last.author, last.body], ['Samir', 'Où en est cet engagement ?']);
  assert.equal((await c.get('/api/comments?target=commitment:999999')).status, 404);
  // A return path to another site is never followed.
  await c.get(`/fr${commitmentPath}`);
  const away = await c.post('/fr/comments', { target_type: 'commitment', target_id: String(commitmentId), return_to: '//evil.example/x',
    comment_name: 'Samir', comment_email: 'samir@example.test', comment_body: 'Encore une question.' });
  assert.match(away.location ?? '', new RegExp(`^/fr${commitmentPath.replace(/\./g, '\\.')}#comment-\\d+$`));

  const ctx = await t.ctx();
  const { createReport } = await import('../src/modules/monitoring/service.ts');
  const planId = (await (t.database.db as any).selectFrom('plans').select('id').where('slug', '=', 'ogp-2023').executeTakeFirstOrThrow()).id;
  const draft = await createReport(ctx, { plan_id: String(planId), year: '2031', title_fr: 'Brouillon' });
  assert.equal((await postComment(c, { comment_name: 'A', comment_email: 'a@example.test', comment_body: 'Trop tôt' }, { type: 'monitoring_report', id: draft, back: '/' })).status, 404);
});

test('a filled honeypot is answered like a success but nothing is stored', async () => {
  const c = new Client(t.url);
  const count = async () => Number((await (t.database.db as any).selectFrom('comments').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const n = await count();
  const res = await postComment(c, { comment_name: 'Bot', comment_email: 'bot@example.test', comment_body: 'Buy now!!!', comment_website: 'http://spam.example' });
  assert.equal(res.status, 303);
  assert.equal(await count(), n);
});

test('report, then hide (a reason is required), then restore, by a moderator; a citizen cannot moderate', async () => {
  const visitor = new Client(t.url);
  const body = `Propos injurieux ${randomBytes(3).toString('hex')}`;
  const id = idFrom((await postComment(visitor, { comment_name: 'Troll', comment_email: 'troll@example.test', comment_body: body })).location);

  await visitor.get(`/fr/comments/${id}/report`);
  assert.equal((await visitor.post(`/fr/comments/${id}/report`, { reason: '', return_to: `/monitoring/${reportId}` })).status, 400, 'a report needs a reason');
  const reported = await visitor.post(`/fr/comments/${id}/report`, { reason: 'abuse', note: 'Insulte', return_to: `/monitoring/${reportId}` });
  assert.equal(reported.status, 303);
  assert.equal(reported.location, `/fr/monitoring/${reportId}`);
  assert.equal((await commentRow(id)).open_reports, 1);

  const citizen = new Client(t.url);
  await citizen.login((await t.user('citizen')).email);
  assert.equal((await citizen.get('/fr/admin/comments')).status, 403);
  assert.equal((await citizen.get(`/fr/admin/comments/${id}`)).status, 403);
  await citizen.get('/fr/');
  assert.equal((await citizen.post(`/fr/admin/comments/${id}/hide`, { reason: 'Je n’aime pas' })).status, 403);
  assert.equal((await visitor.post(`/fr/admin/comments/${id}/hide`, { reason: 'x' })).status, 401);
  assert.equal((await commentRow(id)).status, 'visible');

  const mod = new Client(t.url);
  await mod.login((await t.user('moderator')).email);
  const queue = await mod.get('/fr/admin/comments');
  assert.equal(queue.status, 200);
  assert.ok(textOf(queue.text).includes(body), 'the reported comment is in the queue');
  await mod.get(`/fr/admin/comments/${id}`);
  const noReason = await mod.post(`/fr/admin/comments/${id}/hide`, { reason: '  ' });
  assert.equal(noReason.status, 400);
  assert.match(textOf(noReason.text), /Ce champ est obligatoire/);
  assert.equal((await commentRow(id)).status, 'visible');

  const hidden = await mod.post(`/fr/admin/comments/${id}/hide`, { reason: 'Propos injurieux envers un agent' });
  assert.equal(hidden.status, 303);
  let pub = textOf((await visitor.get(page())).text);
  assert.ok(pub.includes('Commentaire masqué par la modération : Propos injurieux envers un agent'));
  assert.ok(!pub.includes(body), 'the hidden text is gone from the page');
  let api = JSON.parse((await visitor.get(`/api/comments?target=monitoring_report:${reportId}`)).text).comments.find((x: any) => x.id === id);
  assert.deepEqual([api.hidden, api.body, api.author, api.hiddenReason], [true, null, null, 'Propos injurieux envers un agent']);
  const row = await commentRow(id);
  assert.equal(row.open_reports, 0);
  assert.ok(textOf((await mod.get('/fr/admin/comments?tab=hidden')).text).includes(body));

  await mod.get(`/fr/admin/comments/${id}`);
  assert.equal((await mod.post(`/fr/admin/comments/${id}/restore`, {})).status, 303);
  pub = textOf((await visitor.get(page())).text);
  assert.ok(pub.includes(body), 'restored');
  api = JSON.parse((await visitor.get(`/api/comments?target=monitoring_report:${reportId}`)).text).comments.find((x: any) => x.id === id);
  assert.deepEqual([api.hidden, api.body], [false, body]);

  const actions = (await (t.database.db as any).selectFrom('audit_log').select('action').where('entity', '=', 'comment').where('entity_id', '=', String(id)).orderBy('id').execute()).map((r: any) => r.action);
  assert.deepEqual(actions, ['comment.create', 'comment.report', 'comment.hide', 'comment.restore']);
});

test(`posting is rate-limited: the ${POST_LIMIT + 1}th comment in a minute gets 429`, async () => {
  const strict = await startApp({ rateLimitFactor: 1 });
  try {
    const db = strict.database.db as any;
    const rid = (await db.selectFrom('monitoring_reports').select('id').executeTakeFirstOrThrow()).id;
    const c = new Client(strict.url);
    await c.get(`/fr/monitoring/${rid}`);
    const statuses: number[] = [];
    for (let i = 0; i <= POST_LIMIT; i++) {
      const r = await c.post('/fr/comments', { target_type: 'monitoring_report', target_id: String(rid), return_to: `/monitoring/${rid}`, comment_name: 'Rapide', comment_email: 'r@example.test', comment_body: `Message numéro ${i}` });
      statuses.push(r.status);
      if (r.status === 429) assert.match(textOf(r.text), /Trop de tentatives/);
    }
    assert.deepEqual(statuses, [...Array(POST_LIMIT).fill(303), 429]);
  } finally {
    await strict.close();
  }
});
