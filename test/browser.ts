// Shared helper for the browser tests: one Chromium per test file (playwright-core driving
// Debian's /usr/bin/chromium), a fresh context per test, axe-core injected under the page's CSP,
// CSP violations collected, and a login through the real form.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import axe from 'axe-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here (to pass as `{ skip }` to `test()`), or false.
 * With REQUIRE_BROWSER=1 (CI) a missing Chromium is an error, not a skip.
 */
export function browserSkip(): string | false {
  if (fs.existsSync(CHROMIUM_PATH)) return false;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (install the Debian package "chromium" or set CHROMIUM_PATH); browser tests skipped`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${reason.replace(/; browser tests skipped$/, '')}`);
  console.warn(`# ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ContextOptions {
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
  locale?: string;
}

/** What went wrong in a page: CSP violations, script errors, and the app's own files failing to load. */
export interface PageProblems {
  csp: string[];
  errors: string[];
}

const isLocal = (u: URL) => u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
// A 1×1 transparent PNG: what map tiles and other outside images become, so tests never use the network.
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const CSP_TEXT = /Content Security Policy|Refused to (?:load|apply|execute|evaluate|connect|frame|send)/i;

/**
 * A new context (never `bypassCSP`): console messages and `securitypolicyviolation` events are
 * recorded on `problems`, so a test can fail on any CSP violation.
 */
export async function newContext(browser: Browser, opts: ContextOptions = {}): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const options: BrowserContextOptions = {
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: opts.locale ?? 'fr-MA',
    bypassCSP: false,
  };
  const context = await browser.newContext(options);
  const problems: PageProblems = { csp: [], errors: [] };
  // The page's own CSP cannot block this listener: init scripts come through the DevTools protocol.
  // (With JavaScript disabled it does not run; console messages still arrive.)
  await context.exposeBinding('__reportCsp', (_src, text: string) => { problems.csp.push(text); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || location.href}:${e.lineNumber}`);
    });
  });
  // Outside hosts (map tiles…) are stubbed: images get a blank PNG, anything else is refused.
  await context.route((u) => !isLocal(u), (route) => (route.request().resourceType() === 'image'
    ? route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG })
    : route.abort('blockedbyclient')));
  context.on('console', (msg) => {
    const text = `${msg.text()} (${msg.location().url || msg.page()?.url() || ''})`;
    if (CSP_TEXT.test(msg.text())) problems.csp.push(text);
    // Failed loads are judged below from the responses themselves (a 404 page logs one for itself).
    else if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) problems.errors.push(text);
  });
  context.on('weberror', (err) => { problems.errors.push(String(err.error())); });
  // The app's own stylesheets, scripts and images must load.
  context.on('response', (res) => {
    const req = res.request();
    const u = new URL(res.url());
    if (res.status() >= 400 && isLocal(u) && !req.isNavigationRequest() && u.pathname !== '/favicon.ico') {
      problems.errors.push(`${req.resourceType()} ${u.pathname} answered ${res.status()} (on ${req.frame().url()})`);
    }
  });
  context.on('requestfailed', (req) => {
    const u = new URL(req.url());
    // ERR_ABORTED: the test moved on to the next page while something was still loading.
    if (isLocal(u) && !req.isNavigationRequest() && req.failure()?.errorText !== 'net::ERR_ABORTED') problems.errors.push(`${req.resourceType()} ${u.pathname} failed: ${req.failure()?.errorText} (on ${req.frame().url()})`);
  });
  return { context, problems };
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  helpUrl: string;
  targets: string[];
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core in the page. The source is injected with `page.evaluate` (DevTools protocol),
 * which the page's `script-src 'self'` CSP does not block, unlike a <script> tag would.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as any).axe === 'object');
  if (!loaded) {
    await page.evaluate(axe.source);
    if (!(await page.evaluate(() => typeof (window as any).axe?.run === 'function'))) throw new Error(`axe-core could not be injected into ${page.url()}`);
  }
  const result = await page.evaluate(async (tags) => {
    const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return (r.violations as any[]).map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: (v.nodes as any[]).map((n) => `${(n.target as unknown[]).map(String).join(' ')}${n.failureSummary ? ` — ${String(n.failureSummary).replace(/\s+/g, ' ')}` : ''}`),
    }));
  }, AXE_TAGS);
  return result as AxeViolation[];
}

/** Violations as lines a person can act on: rule, impact, what to do, and every offending element. */
export function formatViolations(violations: AxeViolation[], where = ''): string {
  return violations.map((v) => [
    `${where ? `${where}: ` : ''}${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})`,
    ...v.targets.slice(0, 10).map((t) => `    ${t}`),
    ...(v.targets.length > 10 ? [`    … and ${v.targets.length - 10} more`] : []),
  ].join('\n')).join('\n');
}

/** Signs in through the real login form (works with JavaScript disabled). */
export async function loginAs(page: Page, base: string, email: string, password: string, locale = 'fr'): Promise<void> {
  await page.goto(`${base}/${locale}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('main form button[type="submit"]');
  await page.waitForLoadState('load');
  if (!(await page.locator('nav.account form[action$="/logout"]').count())) throw new Error(`login as ${email} failed: no logout button on ${page.url()}`);
}

/**
 * One page as a phone shows it: the expected status, a single h1, no sideways scroll at `width`, zero axe violations;
 * each problem is appended to `failures`. With SHOTS=dir in the environment, the page is also saved as full-page PNGs
 * at that width and on a desktop, for a person to look at.
 */
export async function checkPhonePage(page: Page, url: string, failures: string[], opts: { expected?: number; width?: number; height?: number; shot?: string } = {}): Promise<void> {
  const { expected = 200, width = 320, height = 640 } = opts;
  await page.setViewportSize({ width, height });
  const res = await page.goto(url, { waitUntil: 'load' });
  const where = new URL(url).pathname + new URL(url).search;
  if ((res?.status() ?? 0) !== expected) failures.push(`${where}: status ${res?.status()}`);
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    scroll: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  }));
  if (facts.h1 !== 1) failures.push(`${where}: ${facts.h1} h1`);
  if (facts.scroll) failures.push(`${where}: scrolls sideways at ${width} px`);
  const v = await runAxe(page);
  if (v.length) failures.push(formatViolations(v, where));
  const shots = process.env.SHOTS;
  if (shots) {
    const name = opts.shot ?? where.replace(/[^a-z0-9]+/gi, '_');
    await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `${shots}/${name}-desktop.png`, fullPage: true });
  }
}
