// The participation module in a real browser: axe-core (WCAG 2.x A/AA) on every page of the module in French and
// Arabic at phone width, one h1, no sideways scrolling; and the registration journey with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs, checkPhonePage } from './browser.ts';

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

const check = (page: Page, url: string, failures: string[], shot?: string) => checkPhonePage(page, url, failures, { width: 360, height: 740, shot });

const db = () => t.database.db as any;

test('every page of the module passes axe in French and Arabic, for the public and for staff', { skip }, async () => {
  const open = await db().selectFrom('processes').select('id').where('slug', '=', 'mise-a-jour-2026').executeTakeFirst();
  const meeting = await db().selectFrom('meetings').select('id').where('process_id', '=', open.id).orderBy('id').executeTakeFirst();
  const held = await db().selectFrom('meetings as m').innerJoin('processes as p', 'p.id', 'm.process_id').select('m.id').where('p.slug', '=', 'co-creation-2022').orderBy('m.id').executeTakeFirst();
  const proposal = await db().selectFrom('proposals').select(['id', 'number']).where('process_id', '=', open.id).orderBy('id').executeTakeFirst();
  const { context } = await newContext(browser);
  const failures: string[] = [];
  try {
    const page = await context.newPage();
    const publicPages = ['/participation', '/participation/co-creation-2022', '/participation/co-creation-2022/statistics', '/participation/co-creation-2022/proposals',
      `/participation/mise-a-jour-2026/proposals/${proposal.number}`, '/participation/mise-a-jour-2026/proposals/new', `/participation/meetings/${meeting.id}`, `/participation/meetings/${held.id}`];
    for (const locale of ['fr', 'ar']) for (const p of publicPages) await check(page, `${t.url}/${locale}${p}`, failures, `${locale}${p.replace(/\//g, '_')}`);
    const admin = await t.user('admin');
    await loginAs(page, t.url, admin.email, PASSWORD);
    const staffPages = ['/admin/participation', `/admin/participation/${open.id}`, `/admin/participation/meetings/${meeting.id}`, `/admin/participation/meetings/${meeting.id}/door`,
      `/admin/participation/meetings/${meeting.id}/invite?org_type=civil_society`, '/admin/participation/registry', `/admin/participation/${open.id}/proposals`,
      `/admin/participation/proposals/${proposal.id}`, '/participation/me', '/participation/co-creation-2022/statistics?staff=1'];
    for (const locale of ['fr', 'ar']) for (const p of staffPages) await check(page, `${t.url}/${locale}${p}`, failures, `staff-${locale}${p.replace(/[/?=]/g, '_')}`);
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('registration without JavaScript: the form, an error kept, then registered', { skip }, async () => {
  const open = await db().selectFrom('processes').select('id').where('slug', '=', 'mise-a-jour-2026').executeTakeFirst();
  const meeting = await db().selectFrom('meetings').select('id').where('process_id', '=', open.id).where('capacity', '=', 30).executeTakeFirst();
  const { context } = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${t.url}/ar/participation/meetings/${meeting.id}`);
    await page.fill('#f-name', 'سلمى');
    await page.fill('#f-email', 'not-an-email');
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.error-summary').count(), 1);
    assert.equal(await page.inputValue('#f-name'), 'سلمى');
    await page.fill('#f-email', 'salma@test.local');
    await page.check('#f-consent-0');
    await page.selectOption('#f-sex', 'f');
    await page.click('main form button[type="submit"]');
    await page.waitForLoadState('load');
    assert.match(await page.locator('.flash').first().innerText(), /تم تسجيلك/);
    const row = await db().selectFrom('participants').select(['sex', 'consent_at']).where('email_normalized', '=', 'salma@test.local').executeTakeFirst();
    assert.equal(row.sex, 'f');
    assert.ok(row.consent_at);
  } finally {
    await context.close();
  }
});
