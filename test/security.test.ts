import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, PASSWORD, type TestApp } from './helpers.ts';
import { startSmtp } from './smtp.ts';
import { drainOutbox } from '../src/core/mail/index.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { redactUrl } from '../src/core/http/redact.ts';
import { rememberingSigner } from '../src/core/http/signer.ts';
import { Signer } from '@fastify/cookie';
import { Tokens } from '@fastify/csrf';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

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

test('the cookie signer remembers only what the HMAC verified, and answers as the plain signer does', () => {
  const plain = new Signer('s'.repeat(40));
  const signer = rememberingSigner('s'.repeat(40), 3);
  const good = signer.sign('secret-value');
  assert.equal(good, plain.sign('secret-value'));
  for (let i = 0; i < 2; i++) assert.deepEqual({ ...signer.unsign(good) }, { valid: true, renew: false, value: 'secret-value' });
  // Tampered value, tampered signature, another key's signature, empty, unsigned: invalid, every time.
  const forged = [good.replace('secret', 'secreT'), `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`, new Signer('k'.repeat(40)).sign('secret-value'), '', 'secret-value'];
  for (const f of forged) for (let i = 0; i < 2; i++) assert.equal(signer.unsign(f).valid, false, f);
  // More values than it keeps: the oldest, forgotten, is verified again and still answers right.
  const values = ['a', 'b', 'c', 'd', 'e'].map((v) => signer.sign(v));
  for (const v of values) assert.equal(signer.unsign(v).valid, true);
  assert.equal(signer.unsign(values[0]).value, 'a');
});

test('each new visitor of a page with a form, rendered or cached, gets its own signed CSRF cookie and a token the library verifies', async () => {
  const signer = new Signer((await t.database.db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirstOrThrow()).value);
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${t.url}/fr/login`);
    const html = await res.text();
    const lines = res.headers.getSetCookie().filter((x) => x.startsWith('_csrf='));
    assert.equal(lines.length, 1, lines.join(' | '));
    assert.match(lines[0], /; Path=\/;/);
    assert.match(lines[0], /HttpOnly/);
    assert.match(lines[0], /SameSite=Lax/);
    assert.doesNotMatch(lines[0], /Secure/, 'no Secure cookie over plain http');
    const secret = signer.unsign(decodeURIComponent(lines[0].split(';')[0].slice('_csrf='.length)));
    assert.ok(secret.valid && secret.value);
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(token && new Tokens({ userInfo: false }).verify(secret.value!, token), 'the token verifies with its secret');
    assert.ok(!seen.has(secret.value!), 'a secret of its own');
    seen.add(secret.value!);
  }
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
    assert.match((await fetch(`${s.url}/fr/login`)).headers.getSetCookie().find((x) => x.startsWith('_csrf='))!, /; Secure;/);
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

// ---------- Sessions and password resets, server-side (issue 5) ----------

/** One more app for the tests below that need real rate limits (factor 1) and the HTTPS setup (one proxy hop, HSTS). */
let strictApp: Promise<TestApp> | undefined;
const strict = () => (strictApp ??= startApp({ baseUrl: 'https://commune.example', rateLimitFactor: 1 }));
after(async () => { if (strictApp) await (await strictApp).close(); });

/** The reset link of the latest mail queued for an address (the outbox table: no SMTP needed). */
async function resetPathFor(email: string): Promise<string> {
  const c = new Client(t.url);
  await c.get('/fr/password/forgot');
  assert.equal((await c.post('/fr/password/forgot', { email })).status, 200);
  const mail = await (t.database.db as any).selectFrom('outbox').select('body_text').where('to_addr', '=', email).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return new URL(mail.body_text.match(/https?:\/\/\S+\/password\/reset\/[A-Za-z0-9_-]+/)![0]).pathname;
}

async function canLogin(email: string, password: string): Promise<boolean> {
  const c = new Client(t.url);
  await c.get('/fr/login');
  return (await c.post('/fr/login', { email, password })).status === 303;
}

test('an expired reset link is refused, on the page and on submission, and the password stays unchanged', async () => {
  const { email } = await t.user('citizen');
  const path = await resetPathFor(email);
  const c = new Client(t.url);
  assert.equal((await c.get(path)).status, 200, 'valid while fresh');
  // Time passes: the link's expiry (60 minutes) is behind us.
  await (t.database.db as any).updateTable('password_resets').set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
    .where('token_hash', '=', sha256(path.split('/').pop()!)).execute();
  const page = await c.get(path);
  assert.equal(page.status, 410);
  assert.match(textOf(page.text), /n’est plus valable/);
  await c.get('/fr/password/forgot');
  const post = await c.post(path, { password: 'an attacker passphrase' });
  assert.equal(post.status, 422);
  assert.ok(await canLogin(email, PASSWORD), 'the old password still works');
  assert.ok(!(await canLogin(email, 'an attacker passphrase')), 'the new one was not set');
});

test('a reset ends the other outstanding links and every session; the old session cookie is dead when replayed', async () => {
  const { email } = await t.user('citizen');
  const signedIn = new Client(t.url);
  await signedIn.login(email);
  const oldSid = signedIn.cookies.get('sid')!;
  const first = await resetPathFor(email);
  const second = await resetPathFor(email);
  const c = new Client(t.url);
  await c.get(second);
  assert.equal((await c.post(second, { password: 'the chosen passphrase' })).status, 303);
  assert.equal((await c.get(first)).status, 410, 'an older link no longer works');
  await c.get('/fr/password/forgot');
  assert.equal((await c.post(first, { password: 'a later passphrase!' })).status, 422);
  const replay = new Client(t.url);
  replay.cookies.set('sid', oldSid);
  assert.equal((await replay.get('/fr/account')).status, 303, 'the session from before the reset is gone on the server');
  assert.ok(await canLogin(email, 'the chosen passphrase'));
});

test('password-forgot answers the same for known and unknown addresses, and is rate-limited alike', async () => {
  const s = await strict();
  const { email } = await s.user('citizen');
  const c = new Client(s.url);
  const answer = async (address: string) => {
    await c.get('/fr/password/forgot');
    const res = await c.post('/fr/password/forgot', { email: address });
    // The page echoes the typed address and carries a fresh CSRF token: both set aside, the rest must be identical.
    return { status: res.status, text: textOf(res.text.replace(/name="_csrf" value="[^"]*"/g, '')).replaceAll(address, 'ADDRESS') };
  };
  const known = await answer(email);
  const unknown = await answer('nobody-here@test.local');
  assert.equal(known.status, 200);
  assert.deepEqual(unknown, known, 'the same page for an unknown address');
  assert.match(known.text, /Si un compte existe avec cette adresse/);
  const statuses = [known.status, unknown.status];
  for (let i = 0; i < 4; i++) statuses.push((await answer(i % 2 ? email : 'ghost@test.local')).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429], 'five a minute per address');
  assert.equal((await answer(email)).status, 429, 'a known address is limited the same way');
  const mails = await (s.database.db as any).selectFrom('outbox').select('id').where('to_addr', '=', email).execute();
  assert.equal(mails.length, 2, 'a mail per accepted request for the known address, none once limited');
});

test('an expired session is signed out on the server; a disabled account loses its sessions', async () => {
  const { email, id } = await t.user('citizen');
  const c = new Client(t.url);
  await c.login(email);
  assert.equal((await c.get('/fr/account')).status, 200);
  await (t.database.db as any).updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() })
    .where('token_hash', '=', sha256(c.cookies.get('sid')!)).execute();
  const expired = await c.get('/fr/account');
  assert.equal(expired.status, 303);
  assert.match(expired.location ?? '', /\/fr\/login/);
  const d = new Client(t.url);
  await d.login(email);
  assert.equal((await d.get('/fr/account')).status, 200);
  await (t.database.db as any).updateTable('users').set({ disabled: 1 }).where('id', '=', id).execute();
  assert.equal((await d.get('/fr/account')).status, 303, 'a disabled account is signed out at once');
  assert.ok(!(await canLogin(email, PASSWORD)), 'and cannot sign in');
});

test('a session id set before login is never adopted (fixation)', async () => {
  const { email } = await t.user('citizen');
  const c = new Client(t.url);
  const planted = 'attacker-chosen-session-id-0123456789';
  c.cookies.set('sid', planted);
  await c.login(email);
  assert.notEqual(c.cookies.get('sid'), planted);
  const attacker = new Client(t.url);
  attacker.cookies.set('sid', planted);
  assert.equal((await attacker.get('/fr/account')).status, 303);
  const n = await (t.database.db as any).selectFrom('sessions').select('id').where('token_hash', '=', sha256(planted)).execute();
  assert.equal(n.length, 0);
});

test('behind the HTTPS proxy, a forged X-Forwarded-For does not dodge the rate limit', async () => {
  const s = await strict();
  const c = new Client(s.url);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    await c.get('/fr/login');
    // The client writes any X-Forwarded-For it likes; the proxy appends the address it really saw.
    const body = new URLSearchParams({ _csrf: c.csrf(), email: 'someone@test.local', password: 'still wrong!!' }).toString();
    statuses.push((await c.request('POST', '/fr/login', body, { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.9.${i}.1, 203.0.113.9` })).status);
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422));
  assert.equal(statuses[11], 429);
});

test('logs keep request URLs without the secrets they may carry', async () => {
  assert.equal(redactUrl('/fr/password/reset/abcDEF123_-x'), '/fr/password/reset/[redacted]');
  assert.equal(redactUrl('/ar/requests/track/K7QM-9XH2-PT4A/feedback'), '/ar/requests/track/[redacted]/feedback');
  assert.equal(redactUrl('/fr/requests/unsubscribe/tok?x=1'), '/fr/requests/unsubscribe/[redacted]?x=1');
  assert.equal(redactUrl('/open311/v2/requests.json?status=open&api_key=co_secret&x=1'), '/open311/v2/requests.json?status=open&api_key=[redacted]&x=1');
  assert.equal(redactUrl('/fr/requests/lookup?q=K7QM-9XH2-PT4A'), '/fr/requests/lookup?q=[redacted]');
  assert.equal(redactUrl('/fr/requests/TET-2026-000001'), '/fr/requests/TET-2026-000001');
  // The real logger of the app, in a process of its own (its output is the evidence).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-log-'));
  try {
    const root = path.resolve(import.meta.dirname, '..');
    const script = path.join(dir, 'run.mts');
    fs.writeFileSync(script, `
      import { loadConfig } from ${JSON.stringify(path.join(root, 'src/config.ts'))};
      import { prepare, buildApp } from ${JSON.stringify(path.join(root, 'src/app.ts'))};
      const config = loadConfig({}, { dataDir: ${JSON.stringify(dir)}, demo: false, logLevel: 'info', mailWorker: false, port: 0, host: '127.0.0.1' });
      const { database } = await prepare(config);
      const app = await buildApp(config, database);
      for (const url of ['/fr/password/reset/SECRETRESET123', '/fr/requests/track/SECR-ETCO-DE99', '/open311/v2/services.json?api_key=SECRETKEY456', '/fr/requests/lookup?q=SECR-ETCO-DE98'])
        await app.inject({ method: 'GET', url });
      await app.close();
      await database.close();
    `);
    const out = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', TEST_DATABASE_URL: '' } });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /"url":"\/fr\/password\/reset\/\[redacted\]"/, 'requests are logged');
    assert.doesNotMatch(out.stdout + out.stderr, /SECRETRESET123|SECR-ETCO-DE99|SECRETKEY456|SECR-ETCO-DE98/);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('signing out tells the browser to drop what it cached of the session', async () => {
  const { email } = await t.user('citizen');
  const c = new Client(t.url);
  await c.login(email);
  const account = await c.get('/fr/account');
  assert.match(account.headers.get('cache-control') ?? '', /no-store/, 'a signed-in page is not kept by caches');
  const out = await c.post('/fr/logout', {});
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('clear-site-data'), '"cache"');
});

test('behind HTTPS: HSTS for a year with subdomains; every answer framed by a strict CSP and referrer policy', async () => {
  const s = await strict();
  for (const p of ['/fr/', '/fr/requests', '/api/plans.json', '/open311/v2/services.json', '/fr/no-such-page', '/static/site.css']) {
    const res = await fetch(s.url + p);
    const h = (k: string) => res.headers.get(k) ?? '';
    assert.match(h('strict-transport-security'), /max-age=31536000; includeSubDomains/, `${p} HSTS`);
    assert.match(h('content-security-policy'), /object-src 'none'/, `${p} CSP`);
    assert.match(h('content-security-policy'), /base-uri 'none'/);
    assert.match(h('content-security-policy'), /frame-ancestors 'none'/);
    assert.match(h('content-security-policy'), /upgrade-insecure-requests/);
    assert.equal(h('referrer-policy'), 'same-origin');
    assert.equal(h('x-content-type-options'), 'nosniff');
    if (!p.startsWith('/static/')) assert.match(h('content-type'), /charset=utf-8/, `${p} names its charset`);
  }
});
