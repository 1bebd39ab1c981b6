// What people do, in a real browser with JavaScript DISABLED (cheap phones, strict CSP, slow
// networks): sign in and out, grant and revoke a role (in French and in Arabic), register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, loginAs, type PageProblems } from './browser.ts';
import { i18n } from '../src/platform.ts';
import type { Locale, T } from '../src/core/i18n/index.ts';

const skip = browserSkip();
let t: TestApp;
let browser: Browser;
let tt: Record<Locale, T>;

before(async () => {
  if (skip) return;
  t = await startApp();
  browser = await launchBrowser();
  const i = await i18n();
  tt = { fr: i.t('fr'), ar: i.t('ar'), en: i.t('en') };
});
after(async () => {
  await browser?.close();
  await t?.close();
});

/** A JavaScript-less phone-sized browser; its CSP problems are checked when it closes. */
async function noJs(locale: Locale) {
  const { context, problems } = await newContext(browser, { javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: locale === 'ar' ? 'ar-MA' : 'fr-MA' });
  const page = await context.newPage();
  return {
    page,
    async close() {
      await context.close();
      assertNoCsp(problems);
    },
  };
}

function assertNoCsp(problems: PageProblems) {
  assert.deepEqual(problems.csp, [], 'no CSP violation');
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Clicks a submit button (or link) and waits for the page it leads to. */
async function go(page: Page, locator: ReturnType<Page['locator']>) {
  await locator.click();
  await page.waitForLoadState('load');
}

async function assertLocale(page: Page, locale: Locale) {
  assert.equal(await page.getAttribute('html', 'lang'), locale);
  assert.equal(await page.getAttribute('html', 'dir'), locale === 'ar' ? 'rtl' : 'ltr');
}

test('login journey: wrong password, right password, logout', { skip }, async () => {
  const fr = tt.fr;
  const user = await t.user('citizen');
  const name = (await t.database.db.selectFrom('users').select('name').where('id', '=', user.id).executeTakeFirstOrThrow()).name;
  const b = await noJs('fr');
  const { page } = b;
  try {
    // Scripting really is off: the parser then treats <noscript> content as markup.
    await page.setContent('<noscript><p id="probe">off</p></noscript>');
    assert.equal(await page.locator('#probe').count(), 1, 'JavaScript is disabled in journey contexts');
    await page.goto(`${t.url}/fr/`);
    await go(page, page.locator('nav.account').getByRole('link', { name: fr('layout.login') }));
    assert.equal(new URL(page.url()).pathname, '/fr/login');

    await page.getByLabel(fr('accounts.email')).fill(user.email);
    await page.getByLabel(fr('accounts.password')).fill('not the password');
    await go(page, page.locator('main').getByRole('button', { name: fr('accounts.loginButton') }));
    assert.match(await text(page, '.error-summary'), new RegExp(esc(fr('accounts.loginFailed'))));
    assert.equal(await page.inputValue('#f-email'), user.email, 'the typed email is kept');
    assert.equal(await page.inputValue('#f-password'), '', 'the password is never echoed');
    assert.equal(await page.locator('nav.account form[action="/fr/logout"]').count(), 0, 'still signed out');

    await page.getByLabel(fr('accounts.password')).fill(PASSWORD);
    await go(page, page.locator('main').getByRole('button', { name: fr('accounts.loginButton') }));
    assert.equal(new URL(page.url()).pathname, '/fr/');
    assert.equal(await text(page, '.flash'), fr('accounts.welcome'));
    const account = page.locator('nav.account');
    assert.equal(await account.getByRole('link', { name }).count(), 1, "the header shows the user's name");
    const logout = account.getByRole('button', { name: fr('layout.logout') });
    assert.equal(await logout.count(), 1, 'and a logout button');
    assert.equal(await account.getByRole('link', { name: fr('layout.admin') }).count(), 0, 'a citizen has no staff area link');

    await go(page, logout);
    assert.equal(new URL(page.url()).pathname, '/fr/');
    assert.equal(await text(page, '.flash'), fr('accounts.loggedOut'));
    assert.equal(await account.getByRole('button', { name: fr('layout.logout') }).count(), 0);
    assert.equal(await account.getByRole('link', { name: fr('layout.login') }).count(), 1);
    await page.goto(`${t.url}/fr/account`);
    assert.equal(new URL(page.url()).pathname, '/fr/login', 'the session is over: the account page asks to sign in');
  } finally { await b.close(); }
});

const TRAVAUX: Record<Locale, string> = { fr: 'Direction des travaux communaux', ar: 'مديرية الأشغال الجماعية', en: 'Directorate of Commune Works' };

for (const locale of ['fr', 'ar'] as const) {
  test(`role-granting journey (${locale}): find a citizen, grant department_staff, then revoke it`, { skip }, async () => {
    const l = tt[locale];
    const admin = await t.user('admin');
    const citizen = await t.user('citizen');
    const citizenName = (await t.database.db.selectFrom('users').select('name').where('id', '=', citizen.id).executeTakeFirstOrThrow()).name;
    const a = await noJs(locale);
    const u = await noJs(locale);
    const page = a.page;
    try {
      await loginAs(page, t.url, admin.email, PASSWORD, locale);
      await page.goto(`${t.url}/${locale}/admin`);
      await assertLocale(page, locale);
      await go(page, page.locator('main').getByRole('link', { name: l('accounts.usersTitle') }));
      assert.equal(new URL(page.url()).pathname, `/${locale}/admin/users`);
      await assertLocale(page, locale);

      await page.getByLabel(l('accounts.searchUsers')).fill(citizen.email);
      await go(page, page.locator('main form[role="search"]').getByRole('button', { name: l('common.search') }));
      assert.equal(new URL(page.url()).searchParams.get('q'), citizen.email);
      const results = page.locator('main table tbody tr');
      assert.equal(await results.count(), 1, 'the search finds exactly that citizen');
      await go(page, results.getByRole('link', { name: citizenName }));
      assert.equal(new URL(page.url()).pathname, `/${locale}/admin/users/${citizen.id}`);
      await assertLocale(page, locale);
      assert.equal(await text(page, 'h1'), citizenName);

      // department_staff without a department: the error sits beside the field, the choice is kept.
      await page.getByRole('combobox', { name: l('accounts.role') }).selectOption('department_staff');
      const grant = page.locator('main').getByRole('button', { name: l('accounts.grant'), exact: true });
      await go(page, grant);
      assert.equal(new URL(page.url()).pathname, `/${locale}/admin/users/${citizen.id}/grants`);
      await assertLocale(page, locale);
      assert.match(await text(page, '#e-institution_id'), new RegExp(esc(l('accounts.institutionRequired'))));
      assert.equal(await page.getAttribute('#f-institution_id', 'aria-invalid'), 'true');
      assert.match((await page.getAttribute('#f-institution_id', 'aria-describedby')) ?? '', /e-institution_id/);
      assert.equal(await page.locator('.error-summary a[href="#f-institution_id"]').count(), 1, 'the summary links to the field');
      assert.equal(await page.inputValue('#f-role'), 'department_staff', 'the chosen role is kept');
      assert.equal(await page.locator('main table tbody tr', { hasText: l('roles.department_staff') }).count(), 0, 'nothing was granted');

      const option = page.locator('#f-institution_id option', { hasText: TRAVAUX[locale] });
      assert.equal(await option.count(), 1, `the department "${TRAVAUX[locale]}" is offered`);
      await page.selectOption('#f-institution_id', (await option.getAttribute('value'))!);
      await go(page, grant);
      assert.equal(new URL(page.url()).pathname, `/${locale}/admin/users/${citizen.id}`);
      assert.equal(await text(page, '.flash'), l('accounts.granted'));
      const row = page.locator('main table tbody tr', { hasText: l('roles.department_staff') });
      assert.equal(await row.count(), 1, 'the role appears');
      assert.match((await row.textContent()) ?? '', new RegExp(esc(TRAVAUX[locale])), 'with its department');

      // The new agent signs in and finds the staff area.
      await loginAs(u.page, t.url, citizen.email, PASSWORD, locale);
      await assertLocale(u.page, locale);
      const staffLink = u.page.locator('nav.account').getByRole('link', { name: l('layout.admin') });
      assert.equal(await staffLink.count(), 1, 'the staff area link is shown');
      assert.equal(await staffLink.getAttribute('href'), `/${locale}/admin`);

      // Revoke: the row goes away, and so does the agent's staff link.
      await go(page, row.getByRole('button', { name: l('accounts.revoke') }));
      assert.equal(new URL(page.url()).pathname, `/${locale}/admin/users/${citizen.id}`);
      assert.equal(await text(page, '.flash'), l('accounts.revoked'));
      assert.equal(await page.locator('main table tbody tr', { hasText: l('roles.department_staff') }).count(), 0, 'the role is gone');
      assert.equal(await page.locator('main table tbody tr', { hasText: l('roles.citizen') }).count(), 1, 'the citizen role stays');
      await u.page.reload();
      assert.equal(await u.page.locator('nav.account').getByRole('link', { name: l('layout.admin') }).count(), 0, 'the staff link is gone');
    } finally {
      await a.close();
      await u.close();
    }
  });
}

test('register journey: a too-short password keeps name and email; a valid one signs in', { skip }, async () => {
  const fr = tt.fr;
  const b = await noJs('fr');
  const { page } = b;
  const name = 'Fatima Zahra El Idrissi';
  const email = `fatima.${Date.now()}@exemple.ma`;
  try {
    await page.goto(`${t.url}/fr/`);
    await go(page, page.locator('nav.account').getByRole('link', { name: fr('layout.register') }));
    assert.equal(new URL(page.url()).pathname, '/fr/register');
    await page.getByLabel(fr('accounts.name')).fill(name);
    await page.getByLabel(fr('accounts.email')).fill(email);
    await page.getByLabel(fr('accounts.password')).fill('court');
    await go(page, page.locator('main').getByRole('button', { name: fr('accounts.registerButton') }));
    assert.equal(await text(page, '#e-password'), `${fr('form.error')}: ${fr('errors.tooShort', { min: 10 })}`);
    assert.equal(await page.getAttribute('#f-password', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#f-name'), name, 'the name is kept');
    assert.equal(await page.inputValue('#f-email'), email, 'the email is kept');
    assert.equal(await page.inputValue('#f-password'), '', 'the password is not echoed');
    assert.equal(await page.locator('nav.account form[action="/fr/logout"]').count(), 0, 'no account yet');

    await page.getByLabel(fr('accounts.password')).fill('une phrase assez longue');
    await go(page, page.locator('main').getByRole('button', { name: fr('accounts.registerButton') }));
    assert.equal(new URL(page.url()).pathname, '/fr/account');
    assert.equal(await text(page, '.flash'), fr('accounts.registered'));
    const account = page.locator('nav.account');
    assert.equal(await account.getByRole('link', { name }).count(), 1, 'signed in under the new name');
    assert.equal(await account.getByRole('button', { name: fr('layout.logout') }).count(), 1);
    assert.match(await text(page, 'main .tags'), new RegExp(esc(fr('roles.citizen'))));
  } finally { await b.close(); }
});
