// Surveys and petitions in a real browser: axe-core (WCAG 2.x A/AA) on their pages in French and Arabic at phone
// width, one h1, no sideways scrolling, no CSP violation or console error; answering the quiz without JavaScript
// (numbered selects), and the enhancement hiding a conditional question when it runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs, checkPhonePage } from './browser.ts';
import * as surveys from '../src/modules/participation/surveys/service.ts';
import { DEMO_QUIZ_SLUG } from '../src/modules/participation/surveys/demo.ts';

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

const check = (page: Page, url: string, failures: string[]) => checkPhonePage(page, url, failures, { width: 360, height: 700 });

test('survey and petition pages pass axe in French and Arabic, public and staff', { skip }, async () => {
  const ref = (await t.database.db.selectFrom('petitions' as any).select('reference').orderBy('id').limit(1).executeTakeFirstOrThrow() as any).reference;
  const id = (await surveys.getSurvey(await t.ctx(), DEMO_QUIZ_SLUG)).survey.id;
  const admin = await t.user('admin');
  const failures: string[] = [];
  const { context, problems } = await newContext(browser);
  try {
    const page = await context.newPage();
    const pub = ['/surveys', `/surveys/${DEMO_QUIZ_SLUG}`, `/surveys/${DEMO_QUIZ_SLUG}/results`, '/petitions', `/petitions/${ref}`];
    for (const l of ['fr', 'ar']) for (const p of pub) await check(page, `${t.url}/${l}${p}`, failures);
    await loginAs(page, t.url, admin.email, PASSWORD);
    const staff = ['/admin/surveys', `/admin/surveys/${id}`, `/admin/surveys/${id}/paper`, `/admin/surveys/${id}/texts`, '/admin/petitions', `/admin/petitions/${ref}`, '/admin/petitions/settings', '/petitions/new'];
    for (const l of ['fr', 'ar']) for (const p of staff) await check(page, `${t.url}/${l}${p}`, failures);
  } finally { await context.close(); }
  assert.deepEqual([...problems.csp, ...problems.errors], []);
  assert.equal(failures.length, 0, failures.join('\n'));
});

test('answering the quiz without JavaScript, ranking through numbered selects', { skip }, async () => {
  const u = await t.user('citizen');
  const { context } = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, t.url, u.email, PASSWORD);
    await page.goto(`${t.url}/fr/surveys/${DEMO_QUIZ_SLUG}`);
    const selects = page.locator('[data-rank-question] select');
    const n = await selects.count();
    assert.equal(n, 7);
    for (let i = 0; i < n; i++) await selects.nth(i).selectOption(String(n - i));
    await page.locator('input[type="radio"][value="4"]').first().check();
    await page.click('main form.survey-form button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.locator('.flash').innerText(), /enregistrée/);
    const r = await surveys.results(await t.ctx(null), DEMO_QUIZ_SLUG);
    assert.equal(r.respondents, 321);
  } finally { await context.close(); }
});

test('with JavaScript, the conditional question is hidden until its condition holds', { skip }, async () => {
  const { context } = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${t.url}/fr/surveys/${DEMO_QUIZ_SLUG}`);
    const cond = page.locator('[data-condition-question]');
    assert.equal(await cond.isHidden(), true);
    // "Governance and open commune" (option 6) first.
    await page.locator('[data-rank-key="6"] select').selectOption('1');
    assert.equal(await cond.isVisible(), true);
  } finally { await context.close(); }
});
