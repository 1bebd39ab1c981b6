import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, PASSWORD, type TestApp } from './helpers.ts';
import { startSmtp } from './smtp.ts';
import { drainOutbox } from '../src/core/mail/index.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

test('a form posted without or with a forged CSRF token is refused and changes nothing', async () => {
  const c = new Client(t.url);
  const email = `csrf-${Date.now()}@test.local`;
  await c.get('/fr/register');
  const none = await c.post('/fr/register', { name: 'X', email, password: PASSWORD }, { csrf: null });
  assert.equal(none.status, 403);
  assert.match(textOf(none.text), /formulaire a expiré/);
  const forged = await c.post('/fr/register', { name: 'X', email, password: PASSWORD }, { csrf: 'forged-token' });
  assert.equal(forged.status, 403);
  // A token from another visitor's cookie does not work either
  const other = new Client(t.url);
  await other.get('/fr/register');
  const stolen = await c.post('/fr/register', { name: 'X', email, password: PASSWORD }, { csrf: other.csrf() });
  assert.equal(stolen.status, 403);
  const n = await t.database.db.selectFrom('users').select('id').where('email_normalized', '=', email).execute();
  assert.equal(n.length, 0);
});

test('session cookie is HttpOnly and SameSite=Lax; a new session id at each login; logout ends it server-side', async () => {
  const { email } = await t.user('citizen');
  const c = new Client(t.url);
  const res = await c.login(email);
  const cookie = res.headers.getSetCookie().find((x) => x.startsWith('sid='))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  const first = c.cookies.get('sid')!;
  await c.login(email);
  const second = c.cookies.get('sid')!;
  assert.notEqual(first, second);
  // the old session no longer works
  const old = new Client(t.url);
  old.cookies.set('sid', first);
  assert.equal((await old.get('/fr/account')).status, 303);
  assert.equal((await c.get('/fr/account')).status, 200);
  await c.get('/fr/account');
  await c.post('/fr/logout', {});
  const replay = new Client(t.url);
  replay.cookies.set('sid', second);
  assert.equal((await replay.get('/fr/account')).status, 303, 'a logged-out session id must be dead on the server');
});

test('Secure cookies when served behind HTTPS', async () => {
  const s = await startApp({ baseUrl: 'https://commune.example' });
  try {
    const { email } = await s.user('citizen');
    const c = new Client(s.url);
    const res = await c.submit('/fr/login', '/fr/login', { email, password: PASSWORD });
    assert.match(res.headers.getSetCookie().find((x) => x.startsWith('sid='))!, /Secure/);
  } finally { await s.close(); }
});

test('login failure does not reveal whether the account exists, and is rate-limited', async () => {
  const { email } = await t.user('citizen');
  const c = new Client(t.url);
  const wrong = await c.submit('/fr/login', '/fr/login', { email, password: 'wrong password!' });
  const unknown = await c.submit('/fr/login', '/fr/login', { email: 'nobody@test.local', password: 'wrong password!' });
  assert.equal(wrong.status, 422);
  assert.equal(unknown.status, 422);
  const msg = (html: string) => textOf(html).match(/Adresse e-mail ou mot de passe incorrect/)?.[0];
  assert.equal(msg(wrong.text), msg(unknown.text));
  assert.match(wrong.text, new RegExp(`value="${email.replace(/[.+]/g, '\\$&')}"`), 'the typed email is kept');
  const strict = await startApp({ rateLimitFactor: 1 });
  try {
    const s = new Client(strict.url);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await s.submit('/fr/login', '/fr/login', { email: 'someone@test.local', password: 'still wrong!!' })).status);
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422));
    assert.equal(statuses[11], 429);
  } finally { await strict.close(); }
});

test('password reset: a mail through SMTP, a single-use link, sessions ended', async () => {
  const smtp = await startSmtp();
  try {
    const { email } = await t.user('citizen');
    const c = new Client(t.url);
    const signedIn = new Client(t.url);
    await signedIn.login(email);
    const res = await c.submit('/fr/password/forgot', '/fr/password/forgot', { email });
    assert.equal(res.status, 200);
    const unknown = await c.submit('/fr/password/forgot', '/fr/password/forgot', { email: 'ghost@test.local' });
    assert.equal(textOf(unknown.text).includes('Si un compte existe'), true);
    assert.equal(await drainOutbox(t.database.db, smtp.transport, 'test@commune.local'), 1, 'one mail: none for the unknown address');
    const mail = smtp.mails.find((m) => m.to.includes(email))!;
    const link = mail.text.match(/https?:\/\/\S+\/password\/reset\/\S+/)![0];
    const path = new URL(link).pathname;
    assert.equal((await c.get(path)).status, 200);
    const done = await c.post(path, { password: 'a brand new passphrase' });
    assert.equal(done.status, 303);
    assert.equal((await c.get(path)).status, 410, 'the link is single-use');
    await c.get('/fr/password/forgot');
    assert.equal((await c.post(path, { password: 'another new passphrase' })).status, 422);
    assert.equal((await signedIn.get('/fr/account')).status, 303, 'other sessions end with the reset');
    await new Client(t.url).login(email, 'a brand new passphrase');
    // an expired link is refused
    await c.submit('/fr/password/forgot', '/fr/password/forgot', { email });
    await drainOutbox(t.database.db, smtp.transport, 'test@commune.local');
    const link2 = smtp.mails.filter((m) => m.to.includes(email)).at(-1)!.text.match(/https?:\/\/\S+\/password\/reset\/\S+/)![0];
    await t.database.db.updateTable('password_resets').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('used_at', 'is', null).execute();
    assert.equal((await c.get(new URL(link2).pathname)).status, 410);
  } finally { await smtp.close(); }
});

test('safe redirects only: next= never leaves the site', async () => {
  const { email } = await t.user('citizen');
  const c = new Client(t.url);
  await c.get('/fr/login?next=//evil.example/x');
  const res = await c.post('/fr/login', { email, password: PASSWORD, next: '//evil.example/x' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/fr/');
  await c.get('/fr/login');
  const ok = await c.post('/fr/login', { email, password: PASSWORD, next: '/fr/account' });
  assert.equal(ok.location, '/fr/account');
});

test('errors never show a stack trace; oversized bodies are refused', async () => {
  const c = new Client(t.url);
  const big = await c.request('POST', '/fr/register', 'a='.padEnd(2 * 1024 * 1024, 'x'), { 'content-type': 'application/x-www-form-urlencoded' });
  assert.ok(big.status === 413 || big.status === 403, `status ${big.status}`);
  assert.doesNotMatch(big.text, /at .*\.ts:\d+/);
  const bad = await c.request('POST', '/fr/register', '{"x":', { 'content-type': 'application/json' });
  assert.ok(bad.status >= 400 && bad.status < 500, `status ${bad.status}`);
  assert.doesNotMatch(bad.text, /at .*\.ts:\d+|SyntaxError/);
});
