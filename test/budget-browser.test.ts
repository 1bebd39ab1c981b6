// The budget's pages in a real browser (SQLite pass only, like every browser test): no axe-core violation
// (WCAG 2.x A and AA), no horizontal scrolling at 320 px (400 % zoom), no CSP violation, in French and Arabic;
// the public pages anonymously, the staff pages as an administrator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs } from './browser.ts';

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

const PUBLIC = ['/budget', '/budget/2024', '/budget/2025?print=1', '/budget/2025/functions/roads', '/budget/2025/functions/other', '/budget/lines/22.10.10.10.17', '/budget/glossary'];
const STAFF = ['/admin/budget', '/admin/budget/nomenclature', '/admin/budget/functions', '/admin/budget/functions/roads', '/admin/budget/lines/22.10.10.10.17', '/admin/budget/years/2025', '/admin/budget/glossary', '/admin/budget/glossary/forecast'];

async function crawl(paths: string[], signedIn: boolean) {
  const failures: string[] = [];
  for (const viewport of [{ width: 320, height: 640 }, { width: 1280, height: 900 }]) {
    const { context, problems } = await newContext(browser, { viewport });
    const page = await context.newPage();
    if (signedIn) await loginAs(page, t.url, 'admin@tetouan.local', t.adminPassword);
    for (const locale of ['fr', 'ar']) {
      for (const path of paths) {
        const res = await page.goto(`${t.url}/${locale}${path}`, { waitUntil: 'load' });
        assert.equal(res?.status(), 200, `${locale}${path}`);
        const v = await runAxe(page);
        if (v.length) failures.push(formatViolations(v, `${locale}${path} @${viewport.width}`));
        if (viewport.width === 320) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
          if (wide) failures.push(`${locale}${path}: scrolls horizontally at 320 px`);
        }
      }
    }
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.errors, []);
    await context.close();
  }
  return failures;
}

test('the citizen budget pages pass axe-core, at 320 px and on a desktop, in French and Arabic', { skip }, async () => {
  assert.equal((await crawl(PUBLIC, false)).join('\n'), '');
});

test('the staff budget pages pass axe-core, at 320 px and on a desktop, in French and Arabic', { skip }, async () => {
  assert.equal((await crawl(STAFF, true)).join('\n'), '');
});
