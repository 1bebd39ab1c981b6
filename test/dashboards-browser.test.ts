// The public dashboards in a real browser (SQLite pass only, like every browser test): no axe-core
// violation (WCAG 2.x A and AA), no horizontal scrolling at 320 px, no CSP violation, in French and Arabic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations } from './browser.ts';
import { synthesize } from '../src/modules/requests/synthetic.ts';

const skip = browserSkip();
let t: TestApp;
let browser: Browser;

before(async () => {
  if (skip) return;
  t = await startApp();
  // Enough requests for every table and chart to have rows, months and channels.
  await synthesize(t.database, { communes: 1, requests: 2000, seed: 3, days: 400, defaultCommune: 'tetouan' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('the equity and institutions dashboards pass axe-core at 320 px, without horizontal scroll or CSP violation (fr, ar)', { skip }, async () => {
  const { context, problems } = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const failures: string[] = [];
  for (const locale of ['fr', 'ar']) {
    for (const path of ['/requests/dashboards', '/requests/dashboards?period=all&channel=counter', '/requests/dashboards/institutions?period=all']) {
      const res = await page.goto(`${t.url}/${locale}${path}`, { waitUntil: 'load' });
      assert.equal(res?.status(), 200);
      const v = await runAxe(page);
      if (v.length) failures.push(formatViolations(v, `${locale}${path}`));
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
      if (wide) failures.push(`${locale}${path}: scrolls horizontally at 320 px`);
    }
  }
  assert.deepEqual(problems.csp, []);
  assert.deepEqual(problems.errors, []);
  assert.equal(failures.join('\n'), '');
  await context.close();
});
