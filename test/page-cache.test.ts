import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, ENGINE, type TestApp } from './helpers.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { appendAudit, FOREIGN_CHANGE_DELAY_MS } from '../src/core/audit/index.ts';
import * as svc from '../src/modules/requests/service.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

const anonCtx = async () => ({ ...(await t.ctx()), actor: null });

test('anonymous pages are served from the cache until the commune’s data changes', async () => {
  const c = new Client(t.url);
  const first = await c.get('/fr/requests');
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-page-cache'), 'miss');
  const second = await c.get('/fr/requests');
  assert.equal(second.headers.get('x-page-cache'), 'hit');
  assert.equal(second.text, first.text);
  // Security headers travel with a cached page too.
  assert.match(second.headers.get('content-security-policy') ?? '', /script-src 'self'/);

  const { reference } = await svc.submitRequest(await anonCtx(), { category: 'eclairage', district: 'medina', description: 'Lampadaire cassé, cache test', q_nombre: '1' }, { channel: 'web' });
  const third = await c.get('/fr/requests');
  assert.equal(third.headers.get('x-page-cache'), 'miss', 'a change in the commune invalidates its pages');
  assert.ok(third.text.includes(reference), 'the new request is listed at once');
  // Another locale, another entry.
  assert.equal((await c.get('/ar/requests')).headers.get('x-page-cache'), 'miss');
});

test('each visitor gets their own CSRF token from a cached form, and it works', async () => {
  const a = new Client(t.url), b = new Client(t.url);
  await a.get('/fr/login');
  const pageB = await b.get('/fr/login');
  assert.equal(pageB.headers.get('x-page-cache'), 'hit');
  const [ta, tb] = [a.csrf(), b.csrf()];
  assert.ok(ta && tb && ta !== tb, 'two visitors, two tokens');
  assert.ok(!pageB.text.includes('\u0000'), 'no placeholder left in the page');
  assert.ok(pageB.headers.getSetCookie().some((x) => x.startsWith('_csrf=')), 'the token’s secret cookie is set on a hit');
  // B's token is valid for B: a wrong password is refused as such, not as a forged form.
  const res = await b.post('/fr/login', { email: 'nobody@example.invalid', password: 'wrong password' });
  assert.notEqual(res.status, 403);
  assert.match(textOf(res.text), /incorrect|invalide|Identifiants/i);
  // A's token is not valid with B's cookie.
  const forged = await b.post('/fr/login', { email: 'nobody@example.invalid', password: 'x' }, { csrf: ta });
  assert.equal(forged.status, 403);
});

test('signed-in visitors, flash messages and capability pages are never served from the cache', async () => {
  const citizen = await t.user('citizen');
  const c = new Client(t.url);
  await c.login(citizen.email);
  await new Client(t.url).get('/fr/requests');
  const mine = await c.get('/fr/requests');
  assert.equal(mine.headers.get('x-page-cache'), null);
  assert.equal(mine.headers.get('cache-control'), 'private, no-store', 'no cache keeps a signed-in page');
  assert.ok(textOf(mine.text).includes('citizen'), 'the signed-in header is theirs');

  const { trackingCode, reference } = await svc.submitRequest(await anonCtx(), { category: 'eclairage', district: 'medina', description: 'Suivi privé, cache test', q_nombre: '1', name: 'Nom Caché', name_public: '0' }, { channel: 'web' });
  const anon = new Client(t.url);
  await anon.get(`/fr/requests/track/${trackingCode}`);
  const again = await anon.get(`/fr/requests/track/${trackingCode}`);
  assert.equal(again.headers.get('x-page-cache'), null, 'a tracking page is private to the holder of its code');
  assert.equal(again.headers.get('cache-control'), 'private, no-store');
  assert.equal(again.status, 200);
  assert.ok(textOf(again.text).includes(reference));
});

test('visitors asking together for a page being rendered get that one rendering', async () => {
  // A change first, so that the dashboard is not in the cache; then twenty visitors at once.
  await svc.submitRequest(await anonCtx(), { category: 'eclairage', district: 'medina', description: 'Lampadaire, rendu partagé', q_nombre: '1' }, { channel: 'web' });
  const answers = await Promise.all(Array.from({ length: 20 }, () => new Client(t.url).get('/fr/requests/dashboards')));
  assert.ok(answers.every((a) => a.status === 200));
  assert.deepEqual(answers.map((a) => a.headers.get('x-page-cache')).filter((h) => h !== 'hit'), ['miss'], 'rendered once');
  assert.ok(answers.every((a) => a.text === answers[0].text));
});

test('a change made by another process is seen by the cache (SQLite at once, PostgreSQL within its delay)', async () => {
  const c = new Client(t.url);
  await c.get('/fr/plans');
  assert.equal((await c.get('/fr/plans')).headers.get('x-page-cache'), 'hit');
  // Another connection, as another process (a CLI command, a second server) would open it.
  const other = await openDatabase({ databaseUrl: t.config.databaseUrl, schema: t.config.databaseSchema, dataDir: t.config.dataDir });
  try {
    await other.db.transaction().execute((trx) => appendAudit(trx, { communeId: t.commune.id, actorId: null, action: 'test.change', entity: 'commune', entityId: t.commune.slug }));
  } finally { await other.close(); }
  if (ENGINE === 'postgres') await new Promise((r) => setTimeout(r, FOREIGN_CHANGE_DELAY_MS + 50));
  assert.equal((await c.get('/fr/plans')).headers.get('x-page-cache'), 'miss');
});
