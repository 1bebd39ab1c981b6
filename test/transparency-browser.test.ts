// The transparency module in a real browser: axe-core (WCAG 2.x A/AA) on every new page in French and Arabic at phone
// width, for the public and for staff; one h1, no sideways scrolling, no CSP violation; and one journey without
// JavaScript: a staff member uploads and publishes a document, a citizen finds it by its text and downloads it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs, checkPhonePage } from './browser.ts';
import { samplePdf } from '../src/modules/transparency/samples.ts';
import { tdb } from '../src/modules/transparency/db.ts';

const skip = browserSkip();
let t: TestApp;
let browser: Browser;

before(async () => {
  if (skip) return;
  t = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const check = (page: Page, url: string, failures: string[]) => checkPhonePage(page, url, failures, { width: 320, height: 640 });

test('every new page passes axe in French and Arabic, public and staff', { skip }, async () => {
  const db = tdb(t.database.db);
  const doc = await db.selectFrom('documents').select(['id', 'ref']).where('commune_id', '=', t.commune.id).where('kind', '=', 'budget').where('status', '=', 'published').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const withdrawn = await db.selectFrom('documents').select('ref').where('commune_id', '=', t.commune.id).where('status', '=', 'withdrawn').limit(1).executeTakeFirstOrThrow();
  const session = await db.selectFrom('council_sessions').select(['id', 'ref']).where('commune_id', '=', t.commune.id).orderBy('starts_at').limit(1).executeTakeFirstOrThrow();
  const item = await db.selectFrom('register_items').select('id').where('commune_id', '=', t.commune.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
  const { context, problems } = await newContext(browser);
  const failures: string[] = [];
  try {
    const page = await context.newPage();
    const pub = ['/documents', '/documents?kind=budget', `/documents/${doc.ref}`, `/documents/${withdrawn.ref}`, '/transparency/register', '/council', `/council/${session.ref}`];
    for (const l of ['fr', 'ar']) for (const p of pub) await check(page, `${t.url}/${l}${p}`, failures);
    await loginAs(page, t.url, 'admin@tetouan.local', t.adminPassword);
    const staff = ['/admin/documents', `/admin/documents/${doc.id}`, '/admin/transparency/due', '/admin/transparency/register', `/admin/transparency/register/${item.id}`, '/admin/council', `/admin/council/${session.id}`];
    for (const l of ['fr', 'ar']) for (const p of staff) await check(page, `${t.url}/${l}${p}`, failures);
    // A form re-rendered with errors, too.
    await page.goto(`${t.url}/ar/admin/council`);
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState('load');
    const v = await runAxe(page);
    if (v.length) failures.push(formatViolations(v, 'ar admin/council with errors'));
  } finally {
    await context.close();
  }
  failures.push(...problems.csp.map((c) => `CSP: ${c}`), ...problems.errors.map((e) => `console: ${e}`));
  assert.deepEqual(failures, []);
});

test('without JavaScript: upload → publish → a citizen finds the document by its text and downloads it', { skip }, async () => {
  const { email } = await t.user('ogp_team');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transparency-'));
  const file = path.join(dir, 'plan-de-circulation.pdf');
  fs.writeFileSync(file, samplePdf({ title: 'Plan de circulation du quartier Ensanche', lines: ['Sens uniques et zones pietonnes proposees.'] }));
  const staff = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await staff.context.newPage();
    await loginAs(page, t.url, email, PASSWORD);
    await page.goto(`${t.url}/fr/admin/documents`);
    await page.selectOption('#f-kind', 'study');
    await page.fill('#f-title_fr', 'Plan de circulation de l’Ensanche');
    await page.fill('#f-title_ar', 'مخطط السير بحي الإنسانشي');
    await page.selectOption('#f-language', 'fr');
    await page.setInputFiles('#f-file', file);
    await page.click('main form[enctype="multipart/form-data"] button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').innerText(), /Plan de circulation/);
    await page.click('main form[action$="/publish"] button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /Publié/);
  } finally { await staff.context.close(); }
  while ((await t.app.runJobs()) > 0) { /* extraction */ }

  const citizen = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await citizen.context.newPage();
    await page.goto(`${t.url}/fr/`);
    await page.fill('#header-q', 'zones piétonnes Ensanche');
    await page.press('#header-q', 'Enter');
    await page.waitForLoadState('load');
    await page.click('main a:has-text("Plan de circulation de l’Ensanche")');
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').innerText(), /Plan de circulation de l’Ensanche/);
    const link = page.locator('main a.button.primary').first();
    const href = await link.getAttribute('href');
    const res = await page.request.get(`${t.url}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.match(res.headers()['content-disposition'], /filename\*=UTF-8''plan-de-circulation\.pdf/);
    assert.ok((await res.body()).subarray(0, 5).toString() === '%PDF-');
  } finally { await citizen.context.close(); }
});
