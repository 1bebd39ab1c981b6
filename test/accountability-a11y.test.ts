// Accessibility of every page template of the accountability module, in French and Arabic, in a
// real browser: axe-core (WCAG 2.2 AA) at phone and desktop widths, one <h1>, lang/dir, and no
// horizontal scrolling at 320 px. The site-wide crawl stops at a page budget; this one checks
// each of the module's templates, including the matrix row forms, whatever the budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs } from './browser.ts';
import { adb } from '../src/modules/accountability/repo.ts';

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

async function check(page: Page, url: string, failures: string[], widths = [320, 1280]) {
  const started = Date.now();
  const where = new URL(url).pathname;
  const locale = where.split('/')[1];
  await page.setViewportSize({ width: 320, height: 640 });
  const res = await page.goto(url, { waitUntil: 'load' });
  if ((res?.status() ?? 0) !== 200) failures.push(`${where}: status ${res?.status()}`);
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang, dir: document.documentElement.dir, h1: document.querySelectorAll('h1').length,
    scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  if (facts.lang !== locale) failures.push(`${where}: lang ${facts.lang}`);
  if (facts.dir !== (locale === 'ar' ? 'rtl' : 'ltr')) failures.push(`${where}: dir ${facts.dir}`);
  if (facts.h1 !== 1) failures.push(`${where}: ${facts.h1} h1`);
  if (facts.scroll > 1) failures.push(`${where}: scrolls horizontally at 320 px by ${facts.scroll}px`);
  const seen = new Set<string>();
  for (const width of widths) {
    if (width !== 320) await page.setViewportSize({ width, height: 900 });
    // Open every "show the data" so the tables inside are checked too.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
    const v = (await runAxe(page)).filter((x) => !seen.has(x.id + x.targets.join()));
    v.forEach((x) => seen.add(x.id + x.targets.join()));
    if (v.length) failures.push(formatViolations(v, `${where} @${width}px`));
  }
  if (process.env.A11Y_TIMES) process.stderr.write(`# ${where} ${Date.now() - started} ms\n`);
}

test('every page template of the accountability module passes axe in French and Arabic', { skip }, async (tc) => {
  const db = adb(t.database.db);
  const admin = await t.user('admin');
  const plan = await db.selectFrom('plans').select('id').where('slug', '=', 'ogp-2023').executeTakeFirstOrThrow();
  const c11 = await db.selectFrom('commitments').select('id').where('plan_id', '=', plan.id).where('number', '=', '1.1').executeTakeFirstOrThrow();
  const action = await db.selectFrom('actions').select('id').where('commitment_id', '=', c11.id).executeTakeFirstOrThrow();
  const indicator = await db.selectFrom('indicators').select('id').where('commitment_id', '=', c11.id).executeTakeFirstOrThrow();
  const update = await db.selectFrom('action_updates').select('id').where('action_id', '=', action.id).executeTakeFirstOrThrow();
  const measurement = await db.selectFrom('measurements').select('id').where('indicator_id', '=', indicator.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const cycle = await db.selectFrom('reporting_cycles').select('id').where('code', '=', '2026-S2').executeTakeFirstOrThrow();
  const rows = await db.selectFrom('matrix_rows').select(['id', 'state', 'kind']).where('cycle_id', '=', cycle.id).execute();
  const pending = rows.find((r) => r.state === 'pending' && r.kind === 'action')!;
  const returned = rows.find((r) => r.state === 'returned')!;
  const submitted = rows.find((r) => r.state === 'submitted')!;
  const pendingIndicator = await db.selectFrom('matrix_rows').select('id').where('cycle_id', '=', cycle.id).where('kind', '=', 'indicator').where('state', '=', 'pending').executeTakeFirst();
  const s = '/plans/ogp-2023';
  const a = '/admin/plans/ogp-2023';
  const pub = ['/plans', s, `${s}?department=travaux&status=in_progress`, `${s}/about`, `${s}/commitments/1`, `${s}/commitments/1.1`, `${s}/commitments/3.1`, `${s}/commitments/3.1.1`, '/plans/pac-2023-2028'];
  const staff = ['/admin/plans', '/admin/plans/new', a, `${a}/commitments/new`, `${a}/commitments/${c11.id}`, `${a}/actions/${action.id}`, `${a}/commitments/${c11.id}/actions/new`,
    `${a}/indicators/${indicator.id}`, `${a}/commitments/${c11.id}/indicators/new`, `${a}/commitments/${c11.id}/evidence/new`, '/admin/sdg', `${a}/cycles`, `${a}/cycles/2026-S2`,
    `${a}/cycles/2026-S2/matrix`, `${a}/cycles/2026-S2/rows/${pending.id}`, `${a}/cycles/2026-S2/rows/${returned.id}`, `${a}/cycles/2026-S2/rows/${submitted.id}`,
    ...(pendingIndicator ? [`${a}/cycles/2026-S2/rows/${pendingIndicator.id}`] : []),
    `${a}/cycles/2026-S2/validation`, `${a}/cycles/2026-S2/review`, `${a}/corrections/action/${update.id}`, `${a}/corrections/measurement/${measurement.id}`];
  const failures: string[] = [];
  const { context, problems } = await newContext(browser);
  try {
    const page = await context.newPage();
    for (const locale of ['fr', 'ar']) for (const p of pub) await check(page, `${t.url}/${locale}${p}`, failures);
    await loginAs(page, t.url, admin.email, PASSWORD);
    // Staff pages: axe at the desktop width (the overflow check still runs at 320 px); in Arabic,
    // the templates with the most layout (tables, forms, charts).
    for (const p of staff) await check(page, `${t.url}/fr${p}`, failures, [1280]);
    const arabic = [a, `${a}/commitments/${c11.id}`, `${a}/indicators/${indicator.id}`, `${a}/cycles/2026-S2`, `${a}/cycles/2026-S2/matrix`,
      `${a}/cycles/2026-S2/rows/${pending.id}`, `${a}/cycles/2026-S2/rows/${returned.id}`, `${a}/cycles/2026-S2/review`, '/admin/sdg'];
    for (const p of arabic) await check(page, `${t.url}/ar${p}`, failures, [1280]);
    // A form sent with errors: the error summary and the messages beside the fields.
    await page.goto(`${t.url}/fr${a}/cycles/2026-S2/rows/${pending.id}`);
    await page.fill('#f-progress', '250');
    await page.click('button[name="intent"][value="save"]');
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.error-summary').count(), 1, 'the error summary shows');
    const v = await runAxe(page);
    if (v.length) failures.push(formatViolations(v, 'row form with errors'));
  } finally {
    await context.close();
  }
  failures.push(...problems.csp.map((x) => `CSP: ${x}`), ...problems.errors.map((x) => `console: ${x}`));
  tc.diagnostic(`${pub.length * 2 + staff.length + 9} pages checked`);
  assert.equal(failures.length, 0, failures.join('\n'));
});
