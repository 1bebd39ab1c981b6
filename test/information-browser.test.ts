// Access to information in a real browser: the two journeys without JavaScript ("the counter agent files for a
// citizen, the officer extends then answers"; "refusal, complaint, answer"), then axe-core (WCAG 2.x A/AA) on every
// page of the module in French and Arabic at phone width: one h1, no sideways scrolling, no CSP violation.
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

const db = () => t.database.db.withTables<any>();
async function submit(page: Page, selector = 'main form button[type="submit"]') {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}
const formOf = (page: Page, action: string) => page.locator(`main form[action$="${action}"]`);

test('journey without JavaScript: the counter agent files for a citizen, the officer extends then answers', { skip }, async () => {
  const agent = await t.user('counter_agent');
  const officer = await t.user('information_officer');
  const { context, problems } = await newContext(browser, { javaScriptEnabled: false });
  const { context: oc } = await newContext(browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, t.url, agent.email, PASSWORD);
    await page.goto(`${t.url}/fr/admin`);
    await Promise.all([page.waitForNavigation(), page.click('main a[href="/fr/admin/information/new"]')]);
    // A first try without the name: the error summary, the question kept.
    await page.check('#f-channel-1'); // phone
    await page.fill('#f-question', 'Le registre des autorisations d’occupation du domaine public, 2025.');
    await page.check('#f-answer_form-0'); // on site
    await submit(page);
    assert.match(await page.locator('.error-summary').innerText(), /Nom/);
    assert.equal(await page.inputValue('#f-question'), 'Le registre des autorisations d’occupation du domaine public, 2025.');
    await page.fill('#f-name', 'Mohamed Citoyen');
    await page.fill('#f-phone', '0612345678');
    await submit(page);
    assert.match(page.url(), /\/admin\/information\/TET-AI-\d{4}-\d{6}\/receipt$/);
    const reference = /(TET-AI-\d{4}-\d{6})/.exec(page.url())![1];
    const receipt = await page.locator('main').innerText();
    assert.ok(receipt.includes(reference) && /Délai légal de réponse/.test(receipt));
    const r = await db().selectFrom('info_requests').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.equal(r.channel, 'phone');
    // The print stylesheet: the receipt prints without the navigation.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.main-nav').isVisible(), false);
    assert.equal(await page.locator('.no-print').first().isVisible(), false);
    await page.emulateMedia({ media: 'screen' });

    const op = await oc.newPage();
    await loginAs(op, t.url, officer.email, PASSWORD);
    await op.goto(`${t.url}/fr/admin/information`);
    await Promise.all([op.waitForNavigation(), op.click(`main a[href="/fr/admin/information/${reference}"]`)]);
    await formOf(op, '/extend').locator('textarea[name="reason"]').fill('Les autorisations sont classées dans trois arrondissements.');
    await Promise.all([op.waitForNavigation(), formOf(op, '/extend').locator('button[type="submit"]').click()]);
    assert.match(await op.locator('div.flash[role="status"]').innerText(), /Délai prolongé/);
    const extended = await db().selectFrom('info_requests').select(['due_on', 'extended']).where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.equal(extended.extended, 1);
    assert.ok(extended.due_on > r.due_on);
    // The extend form is gone (once only); the answer.
    assert.equal(await formOf(op, '/extend').count(), 0);
    const answer = formOf(op, '/answer');
    await answer.locator('input[name="outcome"][value="given"]').check();
    await answer.locator('textarea[name="message"]').fill('Le registre est consultable au service du patrimoine, du lundi au vendredi.');
    await Promise.all([op.waitForNavigation(), answer.locator('button[type="submit"]').click()]);
    assert.match(await op.locator('div.flash[role="status"]').innerText(), /Réponse enregistrée/);
    // The agent sees every step on the file for the citizen who has no email; the public page shows the answer.
    await page.goto(`${t.url}/fr/admin/information/${reference}`);
    const file = await page.locator('main').innerText();
    assert.ok(file.includes('Les autorisations sont classées dans trois arrondissements.') && file.includes('Information communiquée'));
    await page.goto(`${t.url}/fr/information/${reference}`);
    const pub = await page.locator('main').innerText();
    assert.ok(pub.includes('Le registre est consultable au service du patrimoine'));
    assert.ok(!pub.includes('Mohamed Citoyen') && !pub.includes('0612345678'));
  } finally {
    await context.close();
    await oc.close();
  }
  assert.deepEqual(problems.csp, []);
});

test('journey without JavaScript: refusal, complaint, answer', { skip }, async () => {
  const officer = await t.user('information_officer');
  const { context } = await newContext(browser, { javaScriptEnabled: false });
  const { context: oc } = await newContext(browser, { javaScriptEnabled: false });
  try {
    // A citizen asks online, without an account, in Arabic; the mail's link confirms it.
    const page = await context.newPage();
    await page.goto(`${t.url}/ar/information/new`);
    await page.fill('#f-question', 'اللائحة الاسمية للمستفيدين من الدعم الاجتماعي للجماعة.');
    await page.check('#f-answer_form-2'); // electronic
    await page.fill('#f-name', 'سلمى');
    const email = `journey.${Date.now()}@test.local`;
    await page.fill('#f-email', email);
    await submit(page);
    assert.match(page.url(), /\/ar\/information\/track\//);
    const mail = await db().selectFrom('outbox').select('body_text').where('to_addr', '=', email).orderBy('id').executeTakeFirstOrThrow();
    const link = /(http\S+\/information\/track\/[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
    await page.goto(link);
    await Promise.all([page.waitForNavigation(), page.click('main form[action$="/confirm"] button')]);
    const reference = (await db().selectFrom('info_requests').select('reference').where('requester_email', '=', email).executeTakeFirstOrThrow()).reference;

    const op = await oc.newPage();
    await loginAs(op, t.url, officer.email, PASSWORD);
    await op.goto(`${t.url}/fr/admin/information/${reference}`);
    const answer = formOf(op, '/answer');
    await answer.locator('input[name="outcome"][value="refused"]').check();
    await answer.locator('select[name="ground"]').selectOption('private-life');
    await answer.locator('textarea[name="motivation"]').fill('La liste contient des données personnelles.');
    await Promise.all([op.waitForNavigation(), answer.locator('button[type="submit"]').click()]);
    assert.match(await op.locator('div.flash[role="status"]').innerText(), /Réponse enregistrée/);

    // The requester complains from their page.
    await page.goto(link);
    assert.match(await page.locator('main').innerText(), /رُفض الطلب/);
    await formOf(page, '/complain').locator('textarea').fill('أطلب على الأقل لائحة مجهولة الهوية.');
    await Promise.all([page.waitForNavigation(), formOf(page, '/complain').locator('button').click()]);
    assert.match(await page.locator('div.flash[role="status"]').innerText(), /سُجّلت الشكاية/);

    // The officer records the head's answer.
    await op.goto(`${t.url}/fr/admin/information/${reference}`);
    const ca = formOf(op, '/complaint-answer');
    await ca.locator('input[name="outcome"][value="partly_upheld"]').check();
    await ca.locator('textarea[name="decision"]').fill('Les totaux par quartier seront communiqués.');
    await Promise.all([op.waitForNavigation(), ca.locator('button').click()]);
    await page.goto(`${t.url}/ar/information/${reference}`);
    const pub = await page.locator('main').innerText();
    assert.ok(pub.includes('Les totaux par quartier seront communiqués.'));
    assert.ok(pub.includes('الحياة الخاصة للأفراد'), 'the legal ground, in Arabic');
    assert.ok(!pub.includes('سلمى') && !pub.includes(email));
    // The requester's page now offers the CDAI.
    await page.goto(link);
    assert.equal(await formOf(page, '/cdai').count(), 1);
  } finally {
    await context.close();
    await oc.close();
  }
});

const check = (page: Page, url: string, failures: string[], expected = 200) => checkPhonePage(page, url, failures, { expected, width: 360, height: 740 });

test('every page of the module passes axe in French and Arabic, for the public and for staff', { skip }, async () => {
  const rows = await db().selectFrom('info_requests').select(['reference', 'status', 'outcome', 'complaint_on', 'hidden']).where('commune_id', '=', t.commune.id).where('sample', '=', 1).execute();
  const pick = (f: (r: any) => boolean) => rows.find(f)!.reference;
  const refs = [pick((r) => r.outcome === 'given' && !r.hidden), pick((r) => r.complaint_on), pick((r) => r.status === 'clarification'), pick((r) => r.hidden), pick((r) => r.outcome === 'partial')];
  const officer = await t.user('information_officer');
  const ground = await db().selectFrom('info_grounds').select('id').where('commune_id', '=', t.commune.id).orderBy('id').executeTakeFirstOrThrow();
  // A tracking page: a request sent now (its token is shown once).
  const { submitRequest } = await import('../src/modules/transparency/information/service.ts');
  const s = await submitRequest({ ...(await t.ctx()), actor: null }, { question: 'Une question pour la page de suivi.', answer_form: 'electronic', name: 'A', email: 'a11y@test.local' }, { channel: 'web' });
  const { context, problems } = await newContext(browser);
  const failures: string[] = [];
  try {
    const page = await context.newPage();
    const publicPages = ['/information', '/information/new', '/information/stats', ...refs.map((r) => `/information/${r}`), `/information/track/${s.token}`];
    for (const locale of ['fr', 'ar']) for (const p of publicPages) await check(page, `${t.url}/${locale}${p}`, failures);
    // A form with errors.
    for (const locale of ['fr', 'ar']) {
      await page.goto(`${t.url}/${locale}/information/new`);
      await page.click('main form button[type="submit"]');
      await page.waitForLoadState('load');
      const v = await runAxe(page);
      if (v.length) failures.push(formatViolations(v, `form with errors (${locale})`));
    }
    await loginAs(page, t.url, officer.email, PASSWORD);
    const adminPages = ['/admin/information', '/admin/information/new', '/admin/information/grounds', `/admin/information/grounds/${ground.id}`,
      ...refs.map((r) => `/admin/information/${r}`), `/admin/information/${refs[0]}/receipt`];
    for (const locale of ['fr', 'ar']) for (const p of adminPages) await check(page, `${t.url}/${locale}${p}`, failures);
    // Screenshots for the eye (FR and AR, phone and desktop).
    for (const [locale, width] of [['fr', 360], ['ar', 360], ['fr', 1280], ['ar', 1280]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${t.url}/${locale}/information/stats`);
      await page.screenshot({ path: `/tmp/information-stats-${locale}-${width}.png`, fullPage: true });
      await page.goto(`${t.url}/${locale}/admin/information/${refs[1]}`);
      await page.screenshot({ path: `/tmp/information-file-${locale}-${width}.png`, fullPage: true });
    }
  } finally {
    await context.close();
  }
  failures.push(...problems.csp.map((c) => `CSP: ${c}`), ...problems.errors.map((e) => `console: ${e}`));
  assert.equal(failures.length, 0, failures.join('\n'));
});
