// Accessibility of every page a signed-in admin can reach, in French and Arabic, in a real browser:
// axe-core (WCAG 2.0/2.1/2.2 A and AA), <html lang/dir>, one <h1>, no horizontal scrolling at 320 px
// (= 1280 px at 400 % zoom), the skip link first in the tab order, and no CSP violation.
// The crawl follows links, so the pages new modules add are covered without editing this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, newContext, runAxe, formatViolations, loginAs, type PageProblems } from './browser.ts';

const skip = browserSkip();
// Every module now adds staff pages of its own (and has its own browser test of them): the crawl starts at the
// areas it must prove it went through, so that a larger platform does not push them past the page budget.
const MAX_PAGES = 100;
/**
 * Pages built from one template (`/admin/users/1`, `/admin/users/2`…) are checked a few times, not 80;
 * and the first page of every template comes before the second of any, so the 80 cover the most routes.
 */
const MAX_PER_TEMPLATE = 3;
const WORKERS = Math.max(1, Math.min(3, Number(process.env.A11Y_WORKERS ?? 2)));
const PHONE = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 900 };

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

interface Checked { url: string; status: number; links: string[] }

/** Every check on one page; problems are pushed to `failures` so one run lists them all. */
async function checkPage(page: Page, url: string, failures: string[]): Promise<Checked | null> {
  const where = new URL(url).pathname + new URL(url).search;
  const locale = new URL(url).pathname.split('/')[1];
  await page.setViewportSize(PHONE);
  const res = await page.goto(url, { waitUntil: 'load' });
  const status = res?.status() ?? 0;
  if (!(res?.headers()['content-type'] ?? '').includes('text/html')) return null;
  if (status >= 500) failures.push(`${where}: server error ${status}`);

  const facts = await page.evaluate(() => {
    const html = document.documentElement;
    const offenders: string[] = [];
    if (html.scrollWidth > html.clientWidth + 1) {
      // The innermost elements that stick out (their ancestors stick out only because of them).
      const out = (el: Element) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > html.clientWidth + 1 || r.left < -1); };
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (out(el) && !Array.from(el.children).some(out)) {
          offenders.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} [${Math.round(r.left)}→${Math.round(r.right)}]`);
        }
      }
    }
    return {
      lang: html.getAttribute('lang'), dir: html.getAttribute('dir'),
      h1: document.querySelectorAll('h1').length,
      scrollWidth: html.scrollWidth, clientWidth: html.clientWidth, offenders: offenders.slice(0, 6),
      links: Array.from(document.querySelectorAll('a[href]'), (a) => (a as HTMLAnchorElement).href),
    };
  });
  if (facts.lang !== locale) failures.push(`${where}: <html lang="${facts.lang}">, expected "${locale}"`);
  const wantDir = locale === 'ar' ? 'rtl' : 'ltr';
  if (facts.dir !== wantDir) failures.push(`${where}: <html dir="${facts.dir}">, expected "${wantDir}"`);
  if (facts.h1 !== 1) failures.push(`${where}: ${facts.h1} <h1> elements, expected exactly one`);
  if (facts.scrollWidth > facts.clientWidth + 1) {
    failures.push(`${where}: scrolls horizontally at ${PHONE.width}px (scrollWidth ${facts.scrollWidth} > ${facts.clientWidth}); wide elements: ${facts.offenders.join(', ')}`);
  }

  // Keyboard: the first Tab reaches the skip link, which points at the main landmark.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { skip: !!a?.classList.contains('skip-link'), href: a?.getAttribute('href'), what: a ? a.outerHTML.slice(0, 80) : 'nothing', target: !!document.getElementById('main') };
  });
  if (!focused.skip) failures.push(`${where}: first Tab focuses ${focused.what}, not the skip link`);
  else if (focused.href !== '#main' || !focused.target) failures.push(`${where}: the skip link does not lead to #main`);

  // axe at the phone width (what most users have); French pages also at a desktop width
  // (the Arabic layout is the same one mirrored, and axe is the slow part of the crawl).
  const seen = new Set<string>();
  for (const size of locale === 'fr' ? [PHONE, DESKTOP] : [PHONE]) {
    if (size !== PHONE) await page.setViewportSize(size);
    const v = (await runAxe(page)).filter((x) => !seen.has(x.id + x.targets.join()));
    v.forEach((x) => seen.add(x.id + x.targets.join()));
    if (v.length) failures.push(formatViolations(v, `${where} @${size.width}px`));
  }
  return { url, status, links: facts.links };
}

/** The route a path comes from, roughly: segments holding a number or an id become `:x`. */
function template(pathname: string): string {
  return pathname.split('/').map((seg) => (/\d/.test(seg) ? ':x' : seg)).join('/');
}

/** Same-origin GET links under /fr/, one variant per path, no logout, no downloads. */
function crawlable(href: string, origin: string): URL | null {
  let u: URL;
  try { u = new URL(href); } catch { return null; }
  if (u.origin !== origin || !u.pathname.startsWith('/fr/')) return null;
  if (/\/logout$/.test(u.pathname) || /\.[a-z0-9]{2,5}$/i.test(u.pathname)) return null;
  u.hash = '';
  return u;
}

function cspFailures(problems: PageProblems): string[] {
  return [...problems.csp.map((c) => `CSP violation: ${c}`), ...problems.errors.map((e) => `console error: ${e}`)];
}

async function pages(context: BrowserContext, n: number) {
  return Promise.all(Array.from({ length: n }, () => context.newPage()));
}

test('axe runs under the strict CSP, and CSP violations are caught', { skip }, async () => {
  const { context, problems } = await newContext(browser);
  try {
    const page = await context.newPage();
    const res = await page.goto(`${t.url}/fr/login`);
    assert.match(res!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.deepEqual(await runAxe(page), [], 'the login page is clean');
    assert.deepEqual(problems.csp, [], 'injecting axe-core raised no CSP violation');
    // The harness must see a real defect: an image without alternative text…
    await page.evaluate(() => { const img = document.createElement('img'); img.src = '/static/site.css'; document.querySelector('main')!.append(img); });
    assert.ok((await runAxe(page)).some((v) => v.id === 'image-alt'), 'axe reports an image without alt');
    // …and an inline script, which the CSP blocks and the context reports.
    await page.addScriptTag({ content: 'window.__inline = 1' }).catch(() => {});
    assert.equal(await page.evaluate(() => (window as any).__inline), undefined, 'inline script blocked');
    await page.waitForTimeout(50);
    assert.ok(problems.csp.some((c) => /script-src/.test(c)), `CSP violation recorded: ${problems.csp.join('; ')}`);
    // …and a file of the app's own that does not load.
    await page.evaluate(() => new Promise((done) => { const img = document.createElement('img'); img.alt = ''; img.onerror = done; img.src = '/static/no-such-file.png'; document.body.append(img); }));
    assert.ok(problems.errors.some((e) => /no-such-file\.png answered 404/.test(e)), `broken file recorded: ${problems.errors.join('; ')}`);
  } finally {
    await context.close();
  }
});

test('public pages for anonymous visitors, in French and Arabic', { skip }, async (tc) => {
  const { context, problems } = await newContext(browser);
  const failures: string[] = [];
  let count = 0;
  try {
    const [page] = await pages(context, 1);
    for (const locale of ['fr', 'ar']) {
      // The search page is reached through a GET form (the header's), not a link: asked for here, with
      // results, an empty query, and no result under a filter.
      for (const p of ['/', '/login', '/register', '/password/forgot', '/search', '/search?q=budget', `/search?q=${encodeURIComponent('الميزانية')}`, '/search?q=xyzzy&kind=body', '/no-such-page']) {
        const r = await checkPage(page, `${t.url}/${locale}${p}`, failures);
        assert.ok(r, `${locale}${p} is an HTML page`);
        assert.equal(r.status, p === '/no-such-page' ? 404 : 200, `${locale}${p} status`);
        count++;
      }
    }
  } finally {
    await context.close();
  }
  failures.push(...cspFailures(problems));
  tc.diagnostic(`${count} anonymous pages checked`);
  assert.equal(failures.length, 0, `accessibility problems:\n${failures.join('\n')}`);
});

test(`every page an admin reaches from /fr/, /fr/admin and /fr/plans (up to ${MAX_PAGES}), in French and Arabic`, { skip }, async (tc) => {
  const admin = await t.user('admin');
  const { context, problems } = await newContext(browser);
  const failures: string[] = [];
  const broken: string[] = [];
  let checked = 0;
  let paths = 0;
  const started = Date.now();
  type Item = { url: URL; from: string };
  const fresh: Item[] = [];  // the first page of its template, breadth-first
  const repeat: Item[] = []; // further pages of a template already queued
  try {
    const [first] = await pages(context, 1);
    await loginAs(first, t.url, admin.email, PASSWORD);
    const origin = new URL(t.url).origin;
    const seenPaths = new Set<string>();
    const visited = new Set<string>();
    const perTemplate = new Map<string, number>();
    const enqueue = (u: URL, from: string) => {
      if (seenPaths.has(u.pathname)) return;
      const tpl = template(u.pathname);
      const n = perTemplate.get(tpl) ?? 0;
      if (n >= MAX_PER_TEMPLATE) return;
      perTemplate.set(tpl, n + 1);
      seenPaths.add(u.pathname);
      (n === 0 ? fresh : repeat).push({ url: u, from });
    };
    const next = () => (visited.size >= MAX_PAGES ? undefined : fresh.shift() ?? repeat.shift());
    for (const p of ['/fr/', '/fr/admin', '/fr/plans', '/fr/admin/users', `/fr/admin/users/${admin.id}`, '/fr/account']) enqueue(new URL(p, origin), 'start');

    const workers = [first, ...(await pages(context, WORKERS - 1))];
    let active = 0;
    await Promise.all(workers.map(async (page) => {
      for (;;) {
        const item = next();
        if (!item) {
          if (active === 0) return;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        active++;
        visited.add(item.url.pathname);
        try {
          const fr = await checkPage(page, item.url.href, failures);
          if (!fr) continue;
          checked++;
          paths++;
          if (fr.status >= 400) broken.push(`${item.url.pathname}${item.url.search} → ${fr.status} (linked from ${item.from})`);
          for (const l of fr.links) { const u = crawlable(l, origin); if (u) enqueue(u, item.url.pathname); }
          const ar = new URL(item.url.href);
          ar.pathname = ar.pathname.replace(/^\/fr\//, '/ar/');
          if (await checkPage(page, ar.href, failures)) checked++;
        } catch (e) {
          failures.push(`${item.url.pathname}: ${(e as Error).message}`);
        } finally {
          active--;
        }
      }
    }));
    // The crawl really went through the signed-in areas.
    for (const p of ['/fr/', '/fr/admin', '/fr/plans', '/fr/admin/users', '/fr/admin/audit', '/fr/plans/ogp-2023', '/fr/account']) {
      assert.ok(visited.has(p), `the crawl reached ${p}`);
    }
    assert.ok([...visited].some((p) => template(p) === '/fr/admin/users/:x'), 'the crawl reached a user page');
  } finally {
    await context.close();
  }
  failures.push(...cspFailures(problems));
  tc.diagnostic(`${checked} pages checked (${paths} paths, each in fr and ar) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const left = fresh.length + repeat.length;
  if (left) tc.diagnostic(`${left} more linked paths not checked (limit ${MAX_PAGES}), ${fresh.length} of them from templates not checked at all`);
  for (const b of broken) tc.diagnostic(`link answering 4xx (not a failure; the page was still checked): ${b}`);
  assert.equal(failures.length, 0, `accessibility problems:\n${failures.join('\n')}`);
});
