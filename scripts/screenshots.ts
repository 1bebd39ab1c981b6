// Full-page screenshots of a few pages in French and Arabic, phone and desktop, for a person to look at.
//   node --import tsx scripts/screenshots.ts [paths…]
// Paths are given without the locale (`/plans/ogp-2023`) to shoot both fr and ar, or with it
// (`/ar/admin`) for one locale. The app starts like in the tests (temporary data, demo commune);
// /admin paths are shot signed in as a fresh admin. Files go to ./screenshots/ (gitignored).
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startApp, PASSWORD } from '../test/helpers.ts';
import { CHROMIUM_PATH, launchBrowser, newContext, loginAs } from '../test/browser.ts';

const DEFAULT_PATHS = ['/', '/plans/ogp-2023', '/bodies', '/login', '/admin', '/admin/users'];
const VIEWPORTS = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 900 } } as const;
const OUT = path.resolve('screenshots');

if (!fs.existsSync(CHROMIUM_PATH)) {
  console.error(`Chromium not found at ${CHROMIUM_PATH}: install the Debian package "chromium" or set CHROMIUM_PATH.`);
  process.exit(1);
}

const args = process.argv.slice(2);
const targets = (args.length ? args : DEFAULT_PATHS).flatMap((p) => {
  const m = p.match(/^\/(fr|ar|en)(\/.*|$)/);
  return m ? [{ locale: m[1], path: m[2] || '/' }] : ['fr', 'ar'].map((locale) => ({ locale, path: p.startsWith('/') ? p : `/${p}` }));
});
const slug = (p: string) => p.replace(/^\/+|\/+$/g, '').replace(/[^a-zA-Z0-9]+/g, '-') || 'home';

fs.mkdirSync(OUT, { recursive: true });
const t = await startApp();
const browser = await launchBrowser();
let failed = 0;
try {
  const admin = await t.user('admin');
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const contexts = new Map<string, BrowserContext>();
    const contextFor = async (locale: string, signedIn: boolean) => {
      const key = `${locale}:${signedIn}`;
      let c = contexts.get(key);
      if (!c) {
        c = (await newContext(browser, { viewport, locale: locale === 'ar' ? 'ar-MA' : 'fr-MA' })).context;
        if (signedIn) {
          const p = await c.newPage();
          await loginAs(p, t.url, admin.email, PASSWORD, locale);
          await p.close();
        }
        contexts.set(key, c);
      }
      return c;
    };
    for (const { locale, path: p } of targets) {
      const context = await contextFor(locale, /^\/admin(\/|$)/.test(p));
      const page = await context.newPage();
      const res = await page.goto(`${t.url}/${locale}${p}`, { waitUntil: 'load' });
      const file = path.join(OUT, `${locale}-${slug(p)}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const status = res?.status() ?? 0;
      if (status >= 400) failed++;
      console.log(`${status} ${path.relative(process.cwd(), file)}  (/${locale}${p}, ${viewport.width}×${viewport.height})`);
      await page.close();
    }
    for (const c of contexts.values()) await c.close();
  }
} finally {
  await browser.close();
  await t.close();
}
if (failed) console.log(`${failed} page(s) answered with an error status; their screenshots show the error page.`);
