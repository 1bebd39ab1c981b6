import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../../core/paths.ts';

/**
 * PDF through Chromium's `page.pdf()` over the print stylesheet: Chromium gets the
 * bidirectional Arabic/French text and the fonts right. Chromium and playwright-core are
 * optional: without them, the page explains how to print to PDF from the browser.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CSS_FILE = path.join(PUBLIC_DIR, 'site.css');
/** A made-up origin that never leaves the process: every request to it is answered below, any other is refused. */
const ORIGIN = 'http://report.invalid';
/** Close an idle browser after this long, to give its memory back on small servers. */
const IDLE_MS = 60_000;

let driver: boolean | undefined;

/** Chromium is installed, and so is playwright-core (a development dependency: a production install may lack it). */
export function pdfAvailable(): boolean {
  if (driver === undefined) {
    try { import.meta.resolve('playwright-core'); driver = true; } catch { driver = false; }
  }
  return driver && fs.existsSync(CHROMIUM_PATH);
}

let browser: Promise<any> | null = null;
let idle: NodeJS.Timeout | null = null;
// One PDF at a time: Chromium is heavy, the servers are small.
let queue: Promise<unknown> = Promise.resolve();

async function getBrowser(): Promise<any> {
  if (!browser) {
    browser = (async () => {
      const { chromium } = await import('playwright-core');
      return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
    })();
    browser.catch(() => { browser = null; });
  }
  return browser;
}

export async function closePdfBrowser(): Promise<void> {
  if (idle) { clearTimeout(idle); idle = null; }
  const b = browser;
  browser = null;
  if (b) await (await b.catch(() => null))?.close().catch(() => {});
}

/** Renders a complete HTML page (which links `/static/site.css`) to an A4 PDF. No network access. */
export function htmlToPdf(html: string): Promise<Buffer> {
  const run = async () => {
    if (idle) { clearTimeout(idle); idle = null; }
    const b = await getBrowser();
    const context = await b.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.route('**/*', async (route: any) => {
        const url = new URL(route.request().url());
        if (url.origin !== ORIGIN) return route.abort();
        if (url.pathname === '/') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        if (url.pathname === '/static/site.css') return route.fulfill({ status: 200, contentType: 'text/css; charset=utf-8', body: await fs.promises.readFile(CSS_FILE) });
        return route.abort();
      });
      await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      return Buffer.from(await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false }));
    } finally {
      await context.close().catch(() => {});
      idle = setTimeout(() => { void closePdfBrowser(); }, IDLE_MS);
      idle.unref();
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => {});
  return next;
}
