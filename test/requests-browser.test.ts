// The requests module in a real browser: axe-core (WCAG 2.x A/AA) on every page of the module in
// French and Arabic at phone width, one h1, no sideways scrolling, no CSP violation or console
// error; and the map enhancement (a pin filling the form's position, the requests map) under the CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs, checkPhonePage } from './browser.ts';
import * as svc from '../src/modules/requests/service.ts';
import * as wf from '../src/modules/requests/workflow.ts';

const skip = browserSkip();
let t: TestApp;
let browser: Browser;

before(async () => {
  if (skip) return;
  // Tiles from this origin (one small image for every tile: no tile server in tests), so no request leaves the machine.
  t = await startApp({ tileUrl: '/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const check = (page: Page, url: string, failures: string[], expected = 200) => checkPhonePage(page, url, failures, { expected, width: 320, height: 640 });

test('every page of the module passes axe in French and Arabic, for the public and for staff', { skip }, async () => {
  const anon = { ...(await t.ctx()), actor: null };
  const { reference, trackingCode } = await svc.submitRequest(anon, { category: 'voirie', district: 'medina', description: 'Trottoir cassé', q_problemes: 'trottoir', q_danger: 'non', name: 'Test', name_public: '1' }, { channel: 'web' });
  await wf.resolve(await t.ctx(), reference, { note: 'Réparé.' });
  const admin = await t.user('admin');
  const { context, problems } = await newContext(browser);
  const failures: string[] = [];
  try {
    const page = await context.newPage();
    const publicPages = ['/requests', '/requests/new', '/requests/new?category=voirie', '/requests/map', `/requests/${reference}`, `/requests/track/${trackingCode}`, '/requests/lookup?q=nothing'];
    for (const locale of ['fr', 'ar']) for (const p of publicPages) await check(page, `${t.url}/${locale}${p}`, failures, p.includes('lookup?q=nothing') ? 404 : 200);
    // The check step (a POST): through the form, as a citizen would.
    await page.goto(`${t.url}/fr/requests/new?category=eclairage`);
    await page.selectOption('#f-district', 'medina');
    await page.fill('#f-description', 'Lampadaire éteint');
    await page.fill('#f-q_nombre', '1');
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').innerText(), /Vérifiez/);
    const v = await runAxe(page);
    if (v.length) failures.push(formatViolations(v, 'check step'));
    // And a form with errors.
    await page.goto(`${t.url}/ar/requests/new?category=eclairage`);
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState('load');
    const ve = await runAxe(page);
    if (ve.length) failures.push(formatViolations(ve, 'form with errors (ar)'));

    await loginAs(page, t.url, admin.email, PASSWORD);
    const cat = await t.database.db.withTables<any>().selectFrom('request_categories').select('id').where('slug', '=', 'voirie').executeTakeFirstOrThrow();
    const adminPages = ['/admin/requests', '/admin/requests/new', '/admin/requests/new?category=voirie', `/admin/requests/${reference}`, `/admin/requests/${reference}/receipt`,
      '/admin/requests/contests', '/admin/requests/categories', `/admin/requests/categories/${cat.id}`, '/admin/requests/districts', '/admin/requests/districts/new',
      '/admin/requests/templates', '/admin/requests/templates/new', '/admin/requests/holidays', '/admin/requests/heads'];
    for (const locale of ['fr', 'ar']) for (const p of adminPages) await check(page, `${t.url}/${locale}${p}`, failures);
  } finally {
    await context.close();
  }
  failures.push(...problems.csp.map((c) => `CSP: ${c}`), ...problems.errors.map((e) => `console: ${e}`));
  assert.equal(failures.length, 0, failures.join('\n'));
});

test('with JavaScript: a map pin fills the position, the requests map shows points, under the strict CSP', { skip }, async () => {
  const anon = { ...(await t.ctx()), actor: null };
  await svc.submitRequest(anon, { category: 'eclairage', district: 'touabel', lat: '35.5841', lng: '-5.3689', description: 'Point sur la carte', q_nombre: '1' }, { channel: 'web' });
  const { context, problems } = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${t.url}/fr/requests/new?category=eclairage`);
    await page.waitForSelector('.report-map.leaflet-container');
    await page.getByRole('button', { name: 'Placer le point au centre de la carte' }).click();
    const lat = await page.inputValue('#f-lat');
    const lng = await page.inputValue('#f-lng');
    assert.match(lat, /^35\.\d+$/);
    assert.match(lng, /^-5\.\d+$/);
    assert.match(await page.locator('.map-status').innerText(), /Point placé/);
    await page.fill('#f-description', 'Lampadaire éteint, placé sur la carte');
    await page.fill('#f-q_nombre', '1');
    await page.click('main form button[type="submit"]:not([formaction])');
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /Oui, un point a été placé/);
    // The district came from the point (the sample districts have outlines): none was chosen.
    assert.doesNotMatch(await page.locator('main').innerText(), /Quartier non précisé/);

    await page.goto(`${t.url}/fr/requests/map`);
    await page.waitForSelector('.requests-map .leaflet-interactive');
    assert.ok((await page.locator('.requests-map .leaflet-interactive').count()) >= 1);
    assert.ok(!(await page.locator('.map-note').isVisible()), 'the no-JavaScript note hides once the map runs');
    assert.deepEqual(problems.csp, [], 'no CSP violation');
    assert.deepEqual(problems.errors, [], 'no console error');
  } finally {
    await context.close();
  }
});
