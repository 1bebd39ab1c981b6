// The Chromium half of the fuzz test (issue 5; the HTTP half is test/fuzz.test.ts): markup and script payloads are
// stored through every form that accepts text — public and staff forms, names, descriptions, comments, reports,
// reporter names, institutions, plans, bodies, translated fields in French and Arabic — and through the Open311 API,
// as valid submissions the app accepts; then every page that could show them (every GET route of `samplePaths`,
// in French and Arabic, as an admin, and the pages the submissions led to) is opened in Chromium. No dialog may
// open — the context bypasses the CSP, so that an unescaped payload would run instead of being caught by the CSP
// alone — and no element of a payload may exist in the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { startApp, Client, PASSWORD, type TestApp } from './helpers.ts';
import { browserSkip, launchBrowser, loginAs } from './browser.ts';
import { samplePaths, fixtures, routeKey, type Fixtures } from './routes.ts';
import { routeMatcher, discoverForms, baseline, multipart, urlencoded, type FormInfo, type FormsByRoute, type Who, type RouteMatcher } from './fuzz-lib.ts';

const skip = browserSkip();
const WORKERS = 2;

let t: TestApp;
let fx: Fixtures;
let browser: Browser;
let match: RouteMatcher;
const sample = new Map<string, string>();
const clients = {} as Record<Who, Client>;
let adminEmail = '';

/** A payload per submission, numbered so that a dialog names the form that stored it. */
const payload = (n: number) => `<script>alert(${n})</script>"><img src=x onerror=alert(${n})>`;
/** Fields that take a format, not free text: a payload there is refused, so they keep the form's valid value. */
const FORMATTED = /(^|_)(email|phone|slug|code|key|lat|lng|long|year|sort|number|population|days|weight|value|baseline|target|progress|percent|amount|website|password|date|on|since|until|day|by|id|ids|url|link|duplicate_of)$|^(options|sdg|geojson)$/;
const TEXT_KINDS = new Set(['text', 'textarea', 'search']);

before(async () => {
  if (skip) return;
  t = await startApp({ rateLimitFactor: 0, tileUrl: '/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}' });
  match = routeMatcher(t.app.routeTable);
  for (const s of await samplePaths(t, 'fr')) sample.set(routeKey(s), s.path);
  fx = await fixtures(t);
  adminEmail = (await t.user('admin')).email;
  clients.admin = new Client(t.url);
  await clients.admin.login(adminEmail);
  clients.anon = new Client(t.url);
  clients.reporter = new Client(t.url);
  await clients.reporter.login(fx.userEmail);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

async function tokenOf(c: Client): Promise<string> {
  const res = await c.get('/fr/login');
  return res.text.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
}

/** Field names an error summary points at (`#f-name`). */
const refused = (html: string) => [...html.matchAll(/<div class="error-summary"[\s\S]*?<\/div>/g)].flatMap((m) => [...m[0].matchAll(/href="#f-([^"]+)"/g)].map((x) => x[1]));

test('payloads stored through every text field are never rendered as markup, in French and Arabic', { skip }, async (tc) => {
  const forms: FormsByRoute = new Map();
  await discoverForms(t.app.routeTable, sample, clients, match, forms);
  const tokens = Object.fromEntries(await Promise.all((Object.keys(clients) as Who[]).map(async (w) => [w, await tokenOf(clients[w])]))) as Record<Who, string>;
  const stored: string[] = [];
  const notStored: string[] = [];
  const landed = new Set<string>();
  let n = 0;

  /**
   * Submits a form with the payload in every free-text field. When the app refuses, the fields it names are
   * adjusted and the form sent again: a payload field gets its valid value back, a choice its next option, a
   * number another number, a formatted text another shape (a few tries).
   */
  async function store(route: string, form: FormInfo & { who: Who }) {
    const client = clients[form.who];
    const id = ++n;
    const texts = [...new Set(form.fields.filter((f) => TEXT_KINDS.has(f.kind) && !FORMATTED.test(f.name)).map((f) => f.name))];
    let tried = texts;
    const overrides = new Map<string, string>(Object.entries(presets[route] ?? {}));
    const shapes = [`f${id}`, `fuzz_${id}`, `16.${id % 9 + 1}.${id}`, `${90 + id}`, `2026-T${id}`];
    for (let attempt = 0; attempt < 12 && tried.length; attempt++) {
      const base = baseline(form, 1000 + id).filter(([k]) => k !== '_csrf' && !tried.includes(k)).map(([k, v]) => [k, overrides.get(k) ?? v] as [string, string]);
      const pairs: [string, string][] = [['_csrf', tokens[form.who]], ...base, ...tried.map((k) => [k, payload(id)] as [string, string])];
      const res = form.multipart
        ? await client.request('POST', form.action, multipart(pairs.map(([name, value]) => ({ name, value }))).body as unknown as string, { 'content-type': multipart([]).type })
        : await client.request('POST', form.action, urlencoded(pairs), { 'content-type': 'application/x-www-form-urlencoded' });
      if (form.who === 'anon') clients.anon.cookies.delete('sid');
      if (res.status >= 300 && res.status < 400) {
        stored.push(`${route}: ${tried.join(', ')}`);
        if (res.location?.startsWith('/')) landed.add(res.location.split('#')[0]);
        return;
      }
      if (res.status === 200) {
        // A step (the report's confirmation page): its form goes on with the same payloads.
        const next = [...res.text.matchAll(/<form\b[^>]*action="([^"]+)"/g)].map((m) => m[1]).find((a) => a !== form.action && /\/requests\/new$/.test(a));
        if (next) {
          const hidden = [...res.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')] as [string, string]);
          const body = multipart(hidden.map(([name, value]) => ({ name, value })));
          const done = await client.request('POST', next, body.body as unknown as string, { 'content-type': body.type });
          if (form.who === 'anon') clients.anon.cookies.delete('sid');
          if (done.status === 303) { stored.push(`${route} (then ${next}): ${tried.join(', ')}`); if (done.location) landed.add(done.location); return; }
        }
        stored.push(`${route}: ${tried.join(', ')} (answered 200)`);
        return;
      }
      const bad = refused(res.text);
      if (process.env.FUZZ_VERBOSE) console.log(`# ${route} attempt ${attempt}: ${res.status} ${bad.join(',')} ${(res.text.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`);
      if (!bad.length) break;
      for (const k of bad) {
        if (tried.includes(k)) { tried = tried.filter((x) => x !== k); continue; }
        const field = form.fields.find((f) => f.name === k);
        const current = overrides.get(k) ?? baseline(form, 1000 + id).find(([x]) => x === k)?.[1] ?? '';
        const options = field?.kind === 'select' ? field.options.filter(Boolean) : form.fields.filter((f) => f.name === k && f.kind === 'radio').map((f) => f.value);
        if (options.length) overrides.set(k, options[(options.indexOf(current) + 1) % options.length]);
        else if (/^-?\d+(\.\d+)?$/.test(current)) overrides.set(k, String(Math.max(0, Number(current) + (attempt % 2 ? -1 : 1) * (attempt * 7 + 1))));
        else overrides.set(k, shapes[attempt % shapes.length]);
      }
    }
    notStored.push(`${route} (${texts.join(', ') || 'no free-text field'})`);
  }

  // Values no retry finds: a civil-society seat takes a civil-society organisation (the refusal names no field),
  // a commitment number must be new and an SDG code known, a correction must change the figure.
  const kinds = await t.database.db.selectFrom('institutions').select(['id', 'kind']).where('commune_id', '=', t.commune.id).orderBy('id').execute();
  const ofKind = (k: string) => String(kinds.find((x) => x.kind === k)?.id ?? '');
  const presets: Record<string, Record<string, string>> = {
    'POST /:locale/admin/bodies/:id/members': { a_side: 'civil_society', a_institution_id: ofKind('civil_society'), b_side: 'commune', b_institution_id: ofKind('department') },
    'POST /:locale/admin/plans/:slug/commitments/new': { number: '97', sdg: '16.6' },
    'POST /:locale/admin/plans/:slug/corrections/:kind/:id': { status: 'in_progress', progress: '42' },
  };
  // Destructive forms (delete, revoke, logout…) carry no text; the others are submitted once each.
  for (const [r, list] of forms) {
    if (r.method !== 'POST' || /\/(delete|remove|revoke|end|logout|publish|close|reopen|up|down|seed|confirm|hide-name|new-code|restore|dismiss|validate|remind|check|edit)$/.test(r.url)) continue;
    const form = list.find((f) => f.fields.some((x) => TEXT_KINDS.has(x.kind) && !FORMATTED.test(x.name)));
    if (form) await store(routeKey(r), form);
  }
  // The public report form: its first step, then the confirmation page's form (both through `store`).
  const check = forms.get(t.app.routeTable.find((r) => r.method === 'POST' && r.url === '/:locale/requests/new/check')!)?.[0];
  if (check) await store('POST /:locale/requests/new/check → /:locale/requests/new', { ...check, who: 'anon' });
  // Open311: description and the reporter's name.
  const def = await (await fetch(`${t.url}/open311/v2/services/${fx.categorySlug}.json`)).json() as { attributes: { code: string; required: boolean; datatype: string; values?: { key: string }[] }[] };
  const attrs = def.attributes.filter((a) => a.required).map((a) => [`attribute[${a.code}]`, a.values?.[0]?.key ?? (a.datatype === 'number' ? '2' : a.datatype === 'datetime' ? '2026-05-04' : 'texte')] as [string, string]);
  const api = await fetch(`${t.url}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: urlencoded([['api_key', fx.apiKey], ['service_code', fx.categorySlug], ['lat', '35.5725'], ['long', '-5.369'], ['description', payload(999)], ['first_name', payload(998)], ['last_name', 'X'], ['address_string', payload(997)], ...attrs]),
  });
  const apiRef = api.status === 200 ? ((await api.json()) as { service_request_id: string }[])[0].service_request_id : null;
  if (apiRef) { stored.push('POST /open311/v2/requests.json: description, first_name, address_string'); landed.add(`/fr/requests/${apiRef}`); landed.add(`/fr/admin/requests/${apiRef}`); }
  else notStored.push(`POST /open311/v2/requests.json (${api.status})`);

  tc.diagnostic(`${stored.length} submissions stored payloads: ${stored.join(' | ')}`);
  if (notStored.length) tc.diagnostic(`forms that kept refusing the payloads: ${notStored.join(' | ')}`);
  for (const must of ['POST /:locale/admin/bodies', 'POST /:locale/admin/institutions', 'POST /:locale/admin/plans/new', 'POST /:locale/comments', 'POST /:locale/register', 'POST /:locale/admin/endorsements']) {
    assert.ok(stored.some((s) => s.startsWith(`${must}:`)), `${must} stored the payload (stored: ${stored.length}; refused: ${notStored.join(' | ')})`);
  }
  assert.ok(stored.some((s) => s.includes('/requests/new')), 'a public report stored the payload in its description and reporter name');

  // Every HTML page of the route table in French and Arabic, and where the submissions led.
  const pages = new Set<string>();
  for (const r of t.app.routeTable) {
    if (r.method !== 'GET') continue;
    const p = sample.get(routeKey(r));
    if (!p || !p.startsWith('/fr') || /\.(csv|json|pdf|ics)$/.test(p.split('?')[0]) || /photos\/|files\/|evidence\//.test(r.url)) continue;
    pages.add(p);
  }
  for (const p of landed) if (p.startsWith('/fr/')) pages.add(p);
  const urls = [...pages].flatMap((p) => [p, p.replace(/^\/fr(?=\/|$)/, '/ar')]);
  const dialogs: string[] = [];
  const failures: string[] = [];
  const context: BrowserContext = await browser.newContext({ bypassCSP: true, locale: 'fr-MA', viewport: { width: 1280, height: 900 } });
  // No request leaves the machine: outside hosts are refused.
  await context.route((u) => !['127.0.0.1', 'localhost'].includes(u.hostname), (route) => route.abort('blockedbyclient'));
  let visited = 0;
  const shown = new Set<string>();
  try {
    // The harness sees a real injection: a payload as markup opens a dialog and leaves its element.
    const probe = await context.newPage();
    probe.on('dialog', (d) => { dialogs.push('probe'); void d.dismiss().catch(() => {}); });
    await probe.goto(`${t.url}/fr/about`);
    await probe.evaluate(() => { document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src=x onerror="alert(0)">'); });
    await probe.waitForTimeout(200);
    assert.deepEqual(dialogs.splice(0), ['probe'], 'an injected onerror handler opens a dialog in this context');
    await probe.close();

    const first = await context.newPage();
    await loginAs(first, t.url, adminEmail, PASSWORD);
    const workers = [first, ...(await Promise.all(Array.from({ length: WORKERS - 1 }, () => context.newPage())))];
    let i = 0;
    await Promise.all(workers.map(async (page) => {
      page.on('dialog', (d) => { dialogs.push(`${d.type()} "${d.message()}" on ${page.url()}`); void d.dismiss().catch(() => {}); });
      while (i < urls.length) {
        const url = urls[i++];
        try {
          await page.goto(`${t.url}${url}`, { waitUntil: 'load' });
          visited++;
          // Scripts that run on load (the map's) have their moment; a dialog would open now.
          await page.waitForTimeout(20);
          const found = await page.evaluate(() => {
            const bad: string[] = [];
            if ((document.body.innerText ?? '').includes('<img src=x onerror=alert(')) bad.push('SHOWN');
            if (document.querySelector('img[src="x"]')) bad.push('<img src=x>');
            if (document.querySelector('[onerror], [onload]:not(body)')) bad.push('an element with an onerror/onload attribute');
            if (Array.from(document.scripts).some((s) => /alert\(/.test(s.textContent ?? ''))) bad.push('an inline <script> with alert(');
            if (document.querySelector('a[href^="javascript:" i]')) bad.push('a javascript: link');
            return bad;
          });
          if (found[0] === 'SHOWN') { shown.add(url); found.shift(); }
          if (found.length) failures.push(`${url}: ${found.join(', ')}`);
        } catch (e) {
          failures.push(`${url}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    }));
  } finally {
    await context.close();
  }
  tc.diagnostic(`${visited} pages opened in Chromium (${pages.size} paths, each in fr and ar), ${n + 1} payload submissions; ${shown.size} pages show a payload, as text`);
  assert.ok(shown.size >= 40, `the stored payloads are shown (as text) on many pages: ${shown.size}`);
  console.log(`# fuzz-browser: ${stored.length} payload submissions stored, ${visited} pages opened, ${dialogs.length} dialogs`);
  assert.deepEqual(dialogs, [], 'no payload ran');
  assert.deepEqual(failures, [], 'no payload element in any page');
});
