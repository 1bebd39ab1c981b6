import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

test('healthz answers JSON once the database answers', async () => {
  const res = await new Client(t.url).get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.text).status, 'ok');
});

test('/ redirects by Accept-Language', async () => {
  const c = new Client(t.url);
  assert.equal((await c.get('/', { 'accept-language': 'ar-MA,ar;q=0.9,fr;q=0.5' })).location, '/ar/');
  assert.equal((await c.get('/', { 'accept-language': 'en-GB,en;q=0.9' })).location, '/en/');
  assert.equal((await c.get('/', { 'accept-language': 'de' })).location, '/fr/');
});

test('home page presents Tétouan and its plan in French and Arabic', async () => {
  const c = new Client(t.url);
  const fr = await c.get('/fr/');
  assert.equal(fr.status, 200);
  assert.match(fr.text, /<html lang="fr" dir="ltr">/);
  assert.match(textOf(fr.text), /Tétouan, commune ouverte 2023-2026/);
  assert.match(textOf(fr.text), /376/);
  const ar = await c.get('/ar/');
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.match(textOf(ar.text), /تطوان، جماعة منفتحة 2023-2026/);
});

test('unknown locale and unknown page give a translated 404', async () => {
  const c = new Client(t.url);
  const res = await c.get('/xx/plans');
  assert.equal(res.status, 404);
  const ar = await c.get('/ar/nope');
  assert.equal(ar.status, 404);
  assert.match(textOf(ar.text), /الصفحة غير موجودة/);
});

test('security headers: strict CSP, no inline script or style', async () => {
  const res = await new Client(t.url).get('/fr/');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.doesNotMatch(res.text, /<script(?![^>]*src=)/);
  assert.doesNotMatch(res.text, / style="/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('when the database is gone: a translated 500 page without internals, and healthz fails', async () => {
  const { startApp: start } = await import('./helpers.ts');
  const s = await start();
  try {
    await s.database.db.destroy();
    const c = new Client(s.url);
    const page = await c.get('/ar/');
    assert.equal(page.status, 500);
    assert.match(page.text, /dir="rtl"/);
    assert.match(textOf(page.text), /حدث خطأ غير متوقع/);
    assert.doesNotMatch(page.text, /node_modules|at async|Kysely|driver/i);
    const json = await c.get('/api/nothing-here');
    assert.equal(json.status, 404);
    const health = await c.get('/healthz');
    assert.equal(health.status, 500);
    assert.equal(JSON.parse(health.text).error, 'server_error');
  } finally {
    await s.close();
  }
});

test('search engines: a meta description, absolute hreflang links (every language and x-default), a canonical link, a favicon, robots.txt', async () => {
  const c = new Client(t.url);
  for (const locale of ['fr', 'ar']) {
    const page = await c.get(`/${locale}/`);
    const description = page.text.match(/<meta name="description" content="([^"]+)"/)?.[1] ?? '';
    assert.ok(description.length > 50, `a meta description in ${locale}: ${description}`);
    const alternates = [...page.text.matchAll(/<link rel="alternate" hrefLang="([^"]+)" href="([^"]+)"/gi)].map((m) => [m[1], m[2]]);
    assert.deepEqual(alternates, [['fr', `${t.url}/fr/`], ['ar', `${t.url}/ar/`], ['en', `${t.url}/en/`], ['x-default', `${t.url}/fr/`]]);
    assert.match(page.text, new RegExp(`<link rel="canonical" href="${t.url}/${locale}/"`));
    assert.match(page.text, /<link rel="icon" href="\/static\/favicon.svg"/);
  }
  // A client-chosen Host never reaches absolute links (nor the page cache's copy others get).
  const poisoned = await c.get('/fr/', { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
  assert.doesNotMatch(poisoned.text, /evil\.example/);
  assert.doesNotMatch((await c.get('/fr/')).text, /evil\.example/);
  const icon = await c.get('/favicon.ico');
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/png');
  assert.equal((await c.get('/static/favicon.svg')).status, 200);
  const robots = await c.get('/robots.txt');
  assert.equal(robots.status, 200);
  assert.match(robots.text, /^User-agent: \*$/m);
  assert.match(robots.text, /^Disallow: \/ar\/admin$/m);
});
