// Fuzz test over every route of `app.routeTable` (issue 5), on both engines: every field of every form, every
// query parameter, every path parameter, the JSON and Open311 APIs, with a fixed corpus of hostile values
// (wrong types, empty and huge values, invalid UTF-8, NUL bytes, arrays and nested objects where strings are
// expected, markup and script, SQL fragments, unknown sort columns, absurd page numbers, path traversal in file
// names, files whose content is not what their name says, oversized bodies and uploads, wrong content types).
// For each case: never a 5xx; a refusal is a clear, translated error (the form again with its messages, an
// error page, a JSON or XML error with a code); a refused request stores nothing (row counts of every table
// before and after); no HTML answer, nor the page a redirect leads to, shows a payload as markup.
// The Chromium half (stored payloads rendered on every page, no dialog) is test/fuzz-browser.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, ENGINE, PASSWORD, type TestApp, type Res } from './helpers.ts';
import { hashPassword } from '../src/core/auth/passwords.ts';
import { samplePaths, fixtures, routeKey, type Fixtures, type RouteEntry } from './routes.ts';
import {
  XSS_IMG, FIELD_CORPUS, TYPE_CORPUS, CONTENT_CORPUS, ID_CORPUS, DATE_CORPUS, HIDDEN_CORPUS, QUERY_CORPUS, PATH_CORPUS, FILE_CORPUS, GENERIC_QUERY, PNG_1x1,
  routeMatcher, replaceParam, paramsOf, recordForms, baseline, multipart, urlencoded, urlencodedBytes,
  tableNames, rowCounter, countDiff, unclearError, unescapedPayload, whoFor, discoverForms,
  type FormInfo, type FormsByRoute, type Part, type Who, type RouteMatcher,
} from './fuzz-lib.ts';

/** Requests in flight at once for read-only cases (GET); writes go one at a time, each between two row counts. */
const READ_CONCURRENCY = 4;
const KB = 1024;
const MB = 1024 * KB;

let t: TestApp;
let fx: Fixtures;
let match: RouteMatcher;
let rowCounts: () => Promise<Record<string, number>>;
const sample = new Map<string, string>();
const clients = {} as Record<Who, Client>;
const forms: FormsByRoute = new Map();
/** Cases tried, by kind; failures, by message. */
const counts: Record<string, number> = {};
const covered = new Set<string>();
const failures: string[] = [];
let serial = 0;

interface Case {
  kind: string;
  route: RouteEntry;
  label: string;
  who: Who;
  method: 'GET' | 'POST';
  path: string;
  /** Built when sent (`n` keeps slugs and emails unique between cases). */
  body?: (n: number) => { body: string | Buffer; type: string };
  headers?: Record<string, string>;
}

const isApi = (path: string) => /^\/(api|open311)\//.test(path);

before(async () => {
  t = await startApp({ rateLimitFactor: 0 });
  match = routeMatcher(t.app.routeTable);
  for (const s of await samplePaths(t, 'fr')) sample.set(routeKey(s), s.path);
  fx = await fixtures(t);
  rowCounts = await rowCounter(t, await tableNames(t));
  const admin = await t.user('admin');
  clients.admin = new Client(t.url);
  await clients.admin.login(admin.email);
  clients.anon = new Client(t.url);
  clients.reporter = new Client(t.url);
  await clients.reporter.login(fx.userEmail);
  for (const c of Object.values(clients)) await c.get('/fr/login'); // every client has its CSRF secret cookie
  cpuMark = cpu();
});
after(async () => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`# fuzz (${ENGINE}): ${total} cases (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}), ${covered.size} routes, ${cpu().toFixed(1)} s of CPU in all`);
  await t?.close();
});

const csrfOf = (who: Who): string => tokenCache.get(who) ?? '';
const tokenCache = new Map<Who, string>();
async function refreshToken(who: Who) {
  const res = await clients[who].get('/fr/login');
  const m = res.text.match(/name="_csrf" value="([^"]+)"/);
  if (m) tokenCache.set(who, m[1]);
}

function fail(c: Case, why: string, res?: Res) {
  failures.push(`${c.method} ${c.path.slice(0, 140)} [${c.kind}: ${c.label}] → ${res ? res.status : '-'}: ${why}`);
}

/** Judges one answer; returns whether it was a refusal (4xx). */
function judge(c: Case, res: Res): boolean {
  if (res.status >= 500) { fail(c, `server error: ${res.text.slice(0, 200).replace(/\s+/g, ' ')}`, res); return true; }
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html')) { const u = unescapedPayload(res.text); if (u) fail(c, u, res); }
  if (res.status >= 400) {
    const why = unclearError(res, isApi(c.path));
    if (why) fail(c, why, res);
    // A page of the site answers in the site's language, not Fastify's default JSON.
    if (!isApi(c.path) && !/\.(json|csv|xml|pdf)($|\?)/.test(c.path) && !type.includes('text/html')) fail(c, `a ${type} error from an HTML route`, res);
    return true;
  }
  return false;
}

/** Sends one case, follows a redirect to the page it leads to, and judges both. */
async function send(c: Case): Promise<Res> {
  const client = clients[c.who];
  const n = ++serial;
  const built = c.body?.(n);
  const headers: Record<string, string> = { ...(built ? { 'content-type': built.type } : {}), ...c.headers };
  let res: Res;
  try {
    res = await client.request(c.method, c.path, built?.body as string | undefined, headers);
  } catch (e) {
    fail(c, `request failed: ${(e as Error).message}`);
    return { status: 0, headers: new Headers(), text: '', location: null };
  }
  counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  covered.add(routeKey(c.route));
  judge(c, res);
  if (res.status >= 300 && res.status < 400 && res.location && res.location.startsWith('/') && !res.location.startsWith('//')) {
    const next = await client.get(res.location);
    if (next.status >= 500) fail(c, `the page it redirects to (${res.location}) answers ${next.status}`, next);
    const u = (next.headers.get('content-type') ?? '').includes('text/html') ? unescapedPayload(next.text) : null;
    if (u) fail(c, `on ${res.location}: ${u}`, next);
    if (next.status < 300) recordForms(next.text, res.location, c.who, match, forms);
  }
  if ((res.headers.get('content-type') ?? '').includes('text/html') && res.status < 300) recordForms(res.text, c.path, c.who, match, forms);
  // A signed-in client that registered or logged in as someone else goes back to being itself.
  if (c.who === 'anon') clients.anon.cookies.delete('sid');
  return res;
}

/** Writes: one case at a time, the row count of every table before and after; a refused case must change none. */
async function runWrites(cases: Case[]) {
  let before = await rowCounts();
  for (const c of cases) {
    const res = await send(c);
    const afterCounts = await rowCounts();
    if (res.status >= 400) {
      const diff = countDiff(before, afterCounts);
      if (diff.length) fail(c, `refused, yet rows changed: ${diff.join(', ')}`, res);
    }
    before = afterCounts;
  }
}

/** Reads: a few at a time; together they must change no table at all (the links of mails included: their GET only asks). */
async function runReads(cases: Case[], label: string) {
  const before = await rowCounts();
  let i = 0;
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, async () => {
    while (i < cases.length) await send(cases[i++]);
  }));
  const diff = countDiff(before, await rowCounts());
  if (diff.length) failures.push(`${label}: GET requests changed rows: ${diff.join(', ')}`);
}

/** CPU seconds of this process (the app runs in it): what the run costs, whatever else the machine is doing. */
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let cpuMark = 0;

function report(tc: { diagnostic(m: string): void }, kind: string[]) {
  const n = kind.reduce((a, k) => a + (counts[k] ?? 0), 0);
  tc.diagnostic(`${n} cases (${kind.map((k) => `${k}: ${counts[k] ?? 0}`).join(', ')}), ${(cpu() - cpuMark).toFixed(1)} s of CPU`);
  cpuMark = cpu();
  const shown = failures.splice(0);
  if (process.env.FUZZ_VERBOSE) for (const f of shown) console.log(`FAIL ${f}`);
  assert.equal(shown.length, 0, `${shown.length} failures:\n${shown.slice(0, 60).join('\n')}${shown.length > 60 ? `\n… and ${shown.length - 60} more` : ''}`);
}

// ---------- Form bodies ----------

type Pairs = [string, string | Buffer][];

/** The form's fields a person types into or picks (not the CSRF token, not files). */
function fieldNames(form: FormInfo): string[] {
  return [...new Set(form.fields.filter((f) => f.name !== '_csrf' && f.kind !== 'file' && f.kind !== 'submit').map((f) => f.name))];
}
function fileFields(form: FormInfo): string[] {
  return [...new Set(form.fields.filter((f) => f.kind === 'file').map((f) => f.name))];
}
function textual(form: FormInfo): string[] {
  return [...new Set(form.fields.filter((f) => ['text', 'textarea', 'email', 'search', 'url', 'tel'].includes(f.kind)).map((f) => f.name))];
}

function encode(form: FormInfo, pairs: Pairs, files: Part[] = []): { body: string | Buffer; type: string } {
  if (form.multipart || files.length) return multipart([...pairs.map(([name, value]) => ({ name, value })), ...files]);
  if (pairs.some(([, v]) => Buffer.isBuffer(v))) return { body: urlencodedBytes(pairs), type: 'application/x-www-form-urlencoded' };
  return { body: urlencoded(pairs as [string, string][]), type: 'application/x-www-form-urlencoded' };
}

/** The baseline of a form with the CSRF token of its client, and `field` replaced by `value` (several values: repeated). */
function withValue(form: FormInfo & { who: Who }, n: number, field: string | null, value: string | string[] | Buffer): Pairs {
  const pairs: Pairs = [['_csrf', csrfOf(form.who)], ...baseline(form, n).filter(([k]) => k !== '_csrf' && k !== field)];
  if (field !== null) for (const v of Array.isArray(value) ? value : [value]) pairs.push([field, v]);
  return pairs;
}

const TEXT_KINDS = new Set(['text', 'textarea', 'email', 'search', 'url', 'tel', 'password']);

function formCases(route: RouteEntry, form: FormInfo & { who: Who }): Case[] {
  const cases: Case[] = [];
  const base = { route, who: form.who, method: 'POST' as const, path: form.action };
  const add = (kind: string, label: string, body: Case['body'], headers?: Record<string, string>) => cases.push({ ...base, kind, label, body, headers });
  const kinds = new Map<string, string>();
  for (const f of form.fields) if (f.name !== '_csrf' && !kinds.has(f.name)) kinds.set(f.name, f.kind);
  const visible = fieldNames(form).filter((k) => TEXT_KINDS.has(kinds.get(k)!));
  // Type-breaking values: in every field at once.
  for (const v of TYPE_CORPUS) {
    add('field', `every field = ${v.label}`, (n) => encode(form, [['_csrf', csrfOf(form.who)], ...baseline(form, n).filter(([k]) => k !== '_csrf' && !kinds.has(k)),
      ...fieldNames(form).flatMap((k) => (Array.isArray(v.value) ? v.value : [v.value]).map((x) => [k, x] as [string, string]))]));
  }
  // Content: in every visible text field at once, the choices, dates and ids staying valid (so that it is stored if accepted).
  if (visible.length) {
    for (const v of CONTENT_CORPUS) {
      add('field', `every text field = ${v.label}`, (n) => encode(form, [['_csrf', csrfOf(form.who)], ...baseline(form, n).filter(([k]) => k !== '_csrf' && !visible.includes(k)), ...visible.map((k) => [k, v.value] as [string, string])]));
    }
  }
  // One field at a time: ids and choices that parse but point nowhere, dates that do not exist, forged hidden fields.
  for (const field of fieldNames(form)) {
    const kind = kinds.get(field)!;
    const corpus = kind === 'date' || /(^|_)(date|on|since|until|day)$/.test(field) && kind !== 'select' ? DATE_CORPUS
      : kind === 'hidden' ? (/^\d+$/.test(form.fields.find((f) => f.name === field)?.value ?? '') ? ID_CORPUS : HIDDEN_CORPUS)
        : ['select', 'radio', 'checkbox', 'number', 'button'].includes(kind) ? ID_CORPUS : [];
    for (const v of corpus) add('field', `${field} = ${v.label}`, (n) => encode(form, withValue(form, n, field, v.value)));
  }
  const names = fieldNames(form);
  const text = textual(form);
  const first = text[0] ?? names[0];
  const all = (n: number, f: (name: string) => [string, string | Buffer][]): Pairs => [['_csrf', csrfOf(form.who)], ...baseline(form, n).filter(([k]) => k === '_csrf' ? false : !names.includes(k)), ...names.flatMap(f)];
  const json = (value: (name: string) => unknown) => (n: number) => ({
    body: JSON.stringify({ _csrf: csrfOf(form.who), ...Object.fromEntries(baseline(form, n).filter(([k]) => k !== '_csrf')), ...Object.fromEntries(names.map((k) => [k, value(k)])) }),
    type: 'application/json',
  });
  // Once per form: huge and broken bodies, other content types, odd shapes.
  if (first) add('body', `100 kB in ${first}`, (n) => encode(form, withValue(form, n, first, 'x'.repeat(100 * KB))));
  if (first) add('body', 'oversized body', (n) => encode(form, withValue(form, n, first, 'x'.repeat(form.multipart ? 70 * KB : 300 * KB))));
  add('body', 'invalid UTF-8 bytes in every field', (n) => encode(form, all(n, (k) => [[k, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x61])]])));
  if (!form.multipart) add('body', 'invalid percent-encoding', () => ({ body: `_csrf=${encodeURIComponent(csrfOf(form.who))}&${names.map((k) => `${encodeURIComponent(k)}=%FF%FE%C3(%E0%80%80%`).join('&')}`, type: 'application/x-www-form-urlencoded' }));
  add('body', 'field[]=a&field[]=b and field[a][b]=c everywhere', (n) => encode(form, all(n, (k) => [[`${k}[]`, 'a'], [`${k}[]`, 'b'], [`${k}[a][b]`, 'c']])));
  const rotate = (values: unknown[]) => json((k) => values[names.indexOf(k) % values.length]);
  add('body', 'JSON: numbers', json(() => 12345));
  add('body', 'JSON: null, booleans, huge floats', rotate([null, true, -1.5e308, false]));
  add('body', 'JSON: nested objects and arrays', rotate([{ a: { b: 'c' } }, [['a'], ['b', ['c']]], []]));
  add('body', 'JSON: prototype keys', () => ({ body: `{"_csrf":${JSON.stringify(csrfOf(form.who))},"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},${names.map((k) => `${JSON.stringify(k)}:"x"`).join(',') || '"a":1'}}`, type: 'application/json' }));
  add('body', 'JSON: truncated', () => ({ body: `{"_csrf": "${csrfOf(form.who)}", "x": [`, type: 'application/json' }));
  add('body', 'text/plain body', (n) => ({ body: urlencoded(baseline(form, n)), type: 'text/plain' }));
  add('body', 'no CSRF token', (n) => encode(form, baseline(form, n).filter(([k]) => k !== '_csrf')));
  if (first) add('body', `a file where ${first} is expected`, (n) => multipart([...withValue(form, n, first, []).map(([name, value]) => ({ name, value })), { name: first, value: PNG_1x1, filename: 'x.png', type: 'image/png' }]));
  add('body', 'unknown extra fields', (n) => encode(form, [...withValue(form, n, null, []), ['commune_id', '2'], ['id', '1'], ['created_by', '1'], ['sort', 'password_hash'], ['order', '1;--']]));
  // Files: every file field × every odd file; an oversized one; too many.
  for (const ff of fileFields(form)) {
    for (const f of FILE_CORPUS) add('file', `${ff}: ${f.label}`, (n) => encode(form, withValue(form, n, null, []), [{ name: ff, value: f.data, filename: f.name, type: f.type }]));
    add('file', `${ff}: oversized (10 MB + 1 kB)`, (n) => encode(form, withValue(form, n, null, []), [{ name: ff, value: Buffer.alloc(10 * MB + KB, 0x41), filename: 'big.png', type: 'image/png' }]));
    add('file', `${ff}: 6 files`, (n) => encode(form, withValue(form, n, null, []), Array.from({ length: 6 }, (_, i) => ({ name: ff, value: PNG_1x1, filename: `p${i}.png`, type: 'image/png' }))));
  }
  return cases;
}

/** A POST route whose form no page shows (it needs a state the demo does not have): generic hostile bodies. */
function blindCases(route: RouteEntry, path: string): Case[] {
  const who = whoFor(route);
  const base = { route, who, method: 'POST' as const, path, kind: 'blind' };
  const cases: Case[] = [];
  for (const v of FIELD_CORPUS) {
    cases.push({ ...base, label: `every usual field = ${v.label}`, body: () => ({ body: urlencoded([['_csrf', csrfOf(who)], ...['name', 'title_fr', 'description', 'note', 'reason', 'status', 'decision', 'email', 'id', 'body'].flatMap((k) => (Array.isArray(v.value) ? v.value : [v.value]).map((x) => [k, x] as [string, string]))]), type: 'application/x-www-form-urlencoded' }) });
  }
  cases.push({ ...base, label: 'JSON: nested arrays', body: () => ({ body: JSON.stringify({ _csrf: csrfOf(who), status: [['x']], note: { a: 1 } }), type: 'application/json' }) });
  cases.push({ ...base, label: 'invalid UTF-8 bytes', body: () => ({ body: urlencodedBytes([['_csrf', csrfOf(who)], ['note', Buffer.from([0xff, 0xfe])]]), type: 'application/x-www-form-urlencoded' }) });
  cases.push({ ...base, label: 'no field at all', body: () => ({ body: urlencoded([['_csrf', csrfOf(who)]]), type: 'application/x-www-form-urlencoded' }) });
  return cases;
}

/** Destructive routes go last, so that the others are tried on the demo data as it is. */
const LAST = /\/(delete|remove|revoke|end|logout|publish|close|reopen|correction|hide|restore|dismiss|new-code|hide-name|rule|contest|shift|confirm)$/;
const order = (a: RouteEntry, b: RouteEntry) => Number(LAST.test(a.url)) - Number(LAST.test(b.url));

// ---------- Discovery ----------

/**
 * Accepted cases change the fixtures' state: a password reset ends the reporter's sessions (and may change the password), a new tracking code
 * replaces the old one. The reporter signs in again and the sample paths take the current code.
 */
async function refreshFixtures() {
  // (A reset form case may have given it another valid password: it gets the known one back.)
  await t.database.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', fx.userId).execute();
  await clients.reporter.login(fx.userEmail);
  const res = await clients.admin.post(`/fr/admin/requests/${fx.requestRef}/new-code`, {}, { csrf: csrfOf('admin') });
  const receipt = res.location ? await clients.admin.get(res.location) : null;
  const code = receipt?.text.match(/\/requests\/track\/([^"/?#<]+)/)?.[1];
  if (!code) return;
  for (const [k, p] of sample) if (p.includes(`/track/${fx.trackingCode}`)) sample.set(k, p.replace(`/track/${fx.trackingCode}`, `/track/${code}`));
  fx.trackingCode = code;
}

async function discover() {
  await discoverForms(t.app.routeTable, sample, clients, match, forms);
  for (const who of Object.keys(clients) as Who[]) await refreshToken(who);
}

/** Query parameters each GET route reads (its handler's `queryString`, `pageParam`, `listQuery`…), besides its sample path's own. */
const queryNames = new Map<string, Set<string>>([
  ['GET /:locale/requests', new Set(['status', 'category', 'district', 'from', 'to', 'page'])],
  ['GET /:locale/requests.csv', new Set(['status', 'category', 'district', 'from', 'to'])],
  ['GET /:locale/requests.json', new Set(['status', 'category', 'district', 'from', 'to'])],
  ['GET /:locale/requests/map', new Set(['status', 'category', 'district', 'from', 'to'])],
  ['GET /:locale/requests/map.json', new Set(['status', 'category', 'district', 'from', 'to'])],
  ['GET /:locale/requests/new', new Set(['category'])],
  ['GET /:locale/requests/lookup', new Set(['q'])],
  ['GET /:locale/requests/track/:code', new Set(['done'])],
  ['GET /:locale/requests/dashboards', new Set(['period', 'channel'])],
  ['GET /:locale/requests/dashboards/institutions', new Set(['period', 'channel'])],
  ['GET /:locale/admin/requests', new Set(['status', 'category', 'district', 'mine', 'page'])],
  ['GET /:locale/admin/requests/new', new Set(['category'])],
  ['GET /:locale/admin/requests/:ref', new Set(['template'])],
  ['GET /:locale/admin/requests/holidays', new Set(['year'])],
  ['GET /:locale/admin/users', new Set(['q', 'page'])],
  ['GET /:locale/admin/audit', new Set(['page'])],
  ['GET /:locale/admin/comments', new Set(['tab', 'page'])],
  ['GET /:locale/admin/decisions', new Set(['body'])],
  ['GET /:locale/admin/plans/:slug/commitments/new', new Set(['parent'])],
  ['GET /:locale/admin/plans/:slug/cycles/:code/matrix', new Set(['department'])],
  ['GET /:locale/admin/plans/:slug/cycles/:code/matrix.csv', new Set(['department'])],
  ['GET /:locale/plans/:slug', new Set(['department', 'sdg', 'status', 'value', 'page'])],
  ['GET /:locale/monitoring/:id', new Set(['version', 'print'])],
  ['GET /:locale/login', new Set(['next'])],
  ['GET /:locale/comments/new', new Set(['target_type', 'target_id', 'return_to'])],
  ['GET /:locale/comments/:id/report', new Set(['return_to'])],
  ['GET /api/comments', new Set(['target'])],
  ['GET /open311/v2/:file', new Set(['jurisdiction_id', 'service_request_id', 'service_code', 'status', 'start_date', 'end_date'])],
]);

// ---------- The tests ----------

test('every field of every form, and every odd body', async (tc) => {
  await discover();
  const done = new Set<RouteEntry>();
  // Forms that appear only after a step (the report's confirmation page) join the queue as they are found; forms
  // that appear once the demo data changed state (a request resolved by the answer form can get feedback and be
  // contested) are found by reading the sample pages again.
  let rediscovered = 0;
  for (let round = 0; round < 8; round++) {
    const todo = [...forms.keys()].filter((r) => !done.has(r) && r.method === 'POST' && !isApi(r.url)).sort(order);
    if (!todo.length) {
      if (rediscovered++ === 2) break;
      // The fixture request resolved, its reporter gets the feedback and contest forms (a contest, the ruling form).
      if (rediscovered === 1) await clients.admin.postMultipart(`/fr/admin/requests/${fx.requestRef}/answer`, { status: 'resolved', note: 'Réparé.' }, {}, { csrf: csrfOf('admin') });
      await refreshFixtures();
      await discover();
      continue;
    }
    for (const r of todo) {
      done.add(r);
      const f = forms.get(r)![0];
      await runWrites(formCases(r, r.url.endsWith('/logout') ? { ...f, who: 'anon' } : f));
    }
  }
  // POST routes no page showed a form for: generic hostile bodies at their sample path.
  const blind: string[] = [];
  for (const r of t.app.routeTable.filter((x) => x.method === 'POST' && !done.has(x) && !isApi(x.url)).sort(order)) {
    const p = sample.get(routeKey(r));
    if (!p) { failures.push(`${routeKey(r)}: no sample path`); continue; }
    blind.push(routeKey(r));
    await runWrites(blindCases(r, p));
  }
  tc.diagnostic(`${done.size} form routes; without a form on any page (generic bodies): ${blind.join(', ') || 'none'}`);
  report(tc, ['field', 'body', 'file', 'blind']);
});

test('every query parameter of every GET route', async (tc) => {
  const cases: Case[] = [];
  for (const r of t.app.routeTable) {
    if (r.method !== 'GET') continue;
    const p = sample.get(routeKey(r));
    if (!p) { failures.push(`${routeKey(r)}: no sample path`); continue; }
    if (/\.pdf$/.test(p)) continue; // the PDF (Chromium): its query is read by the HTML page tried below
    const [pathname, query = ''] = p.split('?');
    const own = new URLSearchParams(query);
    const names = [...new Set([...own.keys(), ...(queryNames.get(routeKey(r)) ?? [])])];
    const who = whoFor(r);
    const add = (label: string, qs: string) => cases.push({ kind: 'query', route: r, label, who, method: 'GET', path: `${pathname}?${qs}` });
    const kept = (except: string[]) => [...own].filter(([x]) => !except.includes(x)).map(([x, v]) => `${encodeURIComponent(x)}=${encodeURIComponent(v)}`);
    if (names.length) {
      // The parameters the route reads: each value in all of them at once (each is read on its own)…
      for (const v of QUERY_CORPUS) add(`${names.join(',')}: ${v.label}`, names.map((k) => `${k}${v.raw.replaceAll('{k}', k)}`).join('&'));
      // …and markup and big numbers in one at a time (each is shown back, or looked up, on its own).
      for (const k of names) for (const v of QUERY_CORPUS.filter((x) => /script|img|array|huge/.test(x.label))) add(`${k}: ${v.label}`, [...kept([k]), `${k}${v.raw.replaceAll('{k}', k)}`].join('&'));
    }
    // Parameters any list might read: unknown sort columns and filters, absurd pages.
    add('unknown sort column, SQL order, negative page', [...kept([]), 'page=-1', 'sort=password_hash', 'order=1%3B--', `q=${encodeURIComponent(XSS_IMG)}`, 'status[]=a&status[]=b', 'filter[a][b]=c', 'password_hash=x', 'commune_id=2'].join('&'));
    add('page=1e309, invalid UTF-8 and NUL', [...kept([]), 'page=1e309', ...GENERIC_QUERY.filter((k) => k !== 'page').map((k) => `${k}=%FF%FE%00`)].join('&'));
    if (!names.includes('page')) add('page=99999999999', [...kept([]), 'page=99999999999'].join('&'));
  }
  await runReads(cases, 'query parameters');
  report(tc, ['query']);
});


test('every path parameter of every route', async (tc) => {
  const reads: Case[] = [];
  const writes: Case[] = [];
  for (const r of t.app.routeTable) {
    const p = sample.get(routeKey(r));
    if (!p) continue;
    const [pathname] = p.split('?');
    const names = [...paramsOf(r.url), ...(r.url.includes('*') ? ['*'] : [])];
    names.forEach((name, i) => {
      // The locale: a few values on a few routes are enough (every route shares the same check).
      const corpus = name === 'locale' ? (r.url === '/:locale/admin/users/:id' || r.url === '/:locale/requests/new' ? PATH_CORPUS : []) : PATH_CORPUS;
      for (const v of corpus) {
        const path = replaceParam(r, pathname, i, v.raw);
        if (!path) { failures.push(`${routeKey(r)}: cannot place a value in ${name} of ${pathname}`); return; }
        const form = forms.get(r)?.[0];
        const who = form?.who ?? whoFor(r);
        const c: Case = { kind: 'path', route: r, label: `${name} = ${v.label}`, who, method: r.method as 'GET' | 'POST', path };
        if (r.method === 'POST') c.body = (n) => (form ? encode(form, withValue(form, n, null, [])) : { body: urlencoded([['_csrf', csrfOf(who)]]), type: 'application/x-www-form-urlencoded' });
        (r.method === 'GET' ? reads : writes).push(c);
      }
    });
  }
  // A URL longer than Node accepts (16 kB of headers): refused by the HTTP parser itself.
  reads.push({ kind: 'path', route: t.app.routeTable.find((r) => r.url === '/:locale/requests')!, label: 'a 20 kB URL', who: 'anon', method: 'GET', path: `/fr/requests?q=${'x'.repeat(20 * KB)}` });
  await runReads(reads, 'path parameters');
  await runWrites(writes);
  report(tc, ['path']);
});

test('Open311 and the JSON APIs', async (tc) => {
  const o311 = t.app.routeTable.find((r) => r.method === 'POST' && r.url === '/open311/v2/:file')!;
  const def = await (await fetch(`${t.url}/open311/v2/services/${fx.categorySlug}.json`)).json() as { attributes: { code: string; required: boolean; datatype: string; values?: { key: string }[] }[] };
  const attrs: [string, string][] = def.attributes.filter((a) => a.required).map((a) => [`attribute[${a.code}]`, a.values?.[0]?.key ?? (a.datatype === 'number' ? '2' : a.datatype === 'datetime' ? '2026-05-04' : 'texte')]);
  const base = (n: number): [string, string][] => [['api_key', fx.apiKey], ['service_code', fx.categorySlug], ['lat', '35.5725'], ['long', '-5.369'], ['description', `Signalement par l'API ${n}`], ...attrs];
  const fields = ['api_key', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'description', 'email', 'phone', 'first_name', 'last_name', 'jurisdiction_id', 'device_id', 'account_id', 'media_url', ...attrs.map(([k]) => k)];
  const writes: Case[] = [];
  for (const format of ['json', 'xml']) {
    const path = `/open311/v2/requests.${format}`;
    const add = (kind: string, label: string, body: Case['body']) => writes.push({ kind, route: o311, label, who: 'anon', method: 'POST', path, body });
    const replaced = (n: number, field: string, v: string | string[] | Buffer): Pairs => [...base(n).filter(([k]) => k !== field), ...(Array.isArray(v) ? v : [v]).map((x) => [field, x] as [string, string | Buffer])];
    const form = (pairs: Pairs) => ({ body: urlencoded(pairs as [string, string][]), type: 'application/x-www-form-urlencoded' });
    // Each field with each type-breaking value (JSON answers; XML answers get a sample of them).
    for (const field of format === 'json' ? fields : ['api_key', 'service_code', 'lat', 'description']) {
      for (const v of format === 'json' ? TYPE_CORPUS : TYPE_CORPUS.slice(0, 3)) add('api', `${field} = ${v.label}`, (n) => form(replaced(n, field, v.value)));
    }
    // Content in every text field at once (accepted, stored privately or publicly: never shown as markup).
    for (const v of CONTENT_CORPUS) add('api', `every text field = ${v.label}`, (n) => form([...base(n).filter(([k]) => k !== 'description'), ...['description', 'address_string', 'email', 'phone', 'first_name', 'last_name', 'device_id', 'media_url'].map((k) => [k, v.value] as [string, string])]));
    const json = (label: string, value: (k: string) => unknown) => add('api', `JSON: ${label}`, (n) => ({ body: JSON.stringify({ ...Object.fromEntries(base(n)), ...Object.fromEntries(fields.filter((k) => k !== 'api_key').map((k) => [k, value(k)])) }), type: 'application/json' }));
    json('numbers', () => 12345);
    json('booleans', () => false);
    json('null', () => null);
    json('nested objects', () => ({ a: { b: 'c' } }));
    json('nested arrays', () => [['a'], [['b']]]);
    add('api', 'JSON: attribute as an object of arrays', (n) => ({ body: JSON.stringify({ ...Object.fromEntries(base(n)), attribute: { x: [['a']], [attrs[0]?.[0].slice(10, -1) ?? 'x']: { deep: [1] } } }), type: 'application/json' }));
    add('api', 'JSON: a list instead of an object', () => ({ body: '[1,2,3]', type: 'application/json' }));
    add('api', 'JSON: a string', () => ({ body: '"api_key"', type: 'application/json' }));
    add('api', 'JSON: truncated', () => ({ body: '{"api_key": [', type: 'application/json' }));
    add('api', 'invalid UTF-8 bytes', (n) => ({ body: urlencodedBytes([...base(n).filter(([k]) => k !== 'description'), ['description', Buffer.from([0xff, 0xfe, 0xc3, 0x28])]]), type: 'application/x-www-form-urlencoded' }));
    add('api', 'invalid percent-encoding', () => ({ body: `api_key=${fx.apiKey}&service_code=%FF&description=%E0%80%80%&lat=%`, type: 'application/x-www-form-urlencoded' }));
    add('api', 'oversized body', (n) => ({ body: urlencoded([...base(n), ['description', 'x'.repeat(1100 * KB)]]), type: 'application/x-www-form-urlencoded' }));
    add('api', '100 kB description', (n) => ({ body: urlencoded(replaced(n, 'description', 'x'.repeat(100 * KB)) as [string, string][]), type: 'application/x-www-form-urlencoded' }));
    add('api', 'text/plain', (n) => ({ body: urlencoded(base(n)), type: 'text/plain' }));
    add('api', 'attribute[a][b]=c and attribute[]=x', (n) => ({ body: urlencoded([...base(n), ['attribute[a][b]', 'c'], ['attribute[]', 'x'], ['attribute', 'y']]), type: 'application/x-www-form-urlencoded' }));
    if (format === 'json') for (const f of FILE_CORPUS) add('file', `media: ${f.label}`, (n) => multipart([...base(n).map(([name, value]) => ({ name, value })), { name: 'media', value: f.data, filename: f.name, type: f.type }]));
    add('file', 'media: oversized (10 MB + 1 kB)', (n) => multipart([...base(n).map(([name, value]) => ({ name, value })), { name: 'media', value: Buffer.alloc(10 * MB + KB, 0x41), filename: 'big.jpg', type: 'image/jpeg' }]));
    add('file', 'media: 6 files', (n) => multipart([...base(n).map(([name, value]) => ({ name, value })), ...Array.from({ length: 6 }, (_, i) => ({ name: 'media', value: PNG_1x1, filename: `m${i}.png`, type: 'image/png' }))]));
  }
  // Other documents posted to, and reads of odd documents.
  for (const file of ['services.json', 'discovery.xml', 'requests', 'requests.txt', '..%2f..%2fetc%2fpasswd.json']) writes.push({ kind: 'api', route: o311, label: `POST ${file}`, who: 'anon', method: 'POST', path: `/open311/v2/${file}`, body: (n) => ({ body: urlencoded(base(n)), type: 'application/x-www-form-urlencoded' }) });
  // A form, or JSON, posted to the read-only JSON documents: refused, with a JSON error where the path is an API.
  for (const [url, path] of [['/api/plans.json', '/api/plans.json'], ['/api/plans/:slug.json', `/api/plans/${fx.plan}.json`], ['/api/comments', `/api/comments?target=commitment:${fx.commitmentId}`],
    ['/:locale/requests.json', '/fr/requests.json'], ['/:locale/requests/map.json', '/fr/requests/map.json']]) {
    const route = t.app.routeTable.find((r) => r.method === 'GET' && r.url === url)!;
    writes.push({ kind: 'api', route, label: 'a form posted to a JSON document', who: 'anon', method: 'POST', path, body: () => ({ body: 'title=x&body=%3Cscript%3E', type: 'application/x-www-form-urlencoded' }) });
    writes.push({ kind: 'api', route, label: 'JSON posted to a JSON document', who: 'anon', method: 'POST', path, body: () => ({ body: '{"title":[["x"]],"body":{"a":null}}', type: 'application/json' }) });
  }
  await runWrites(writes);

  const reads: Case[] = [];
  const get = (route: string, label: string, path: string) => reads.push({ kind: 'api', route: t.app.routeTable.find((r) => r.method === 'GET' && r.url === route)!, label, who: 'anon', method: 'GET', path });
  for (const format of ['json', 'xml']) {
    for (const k of ['service_request_id', 'service_code', 'status', 'start_date', 'end_date', 'jurisdiction_id']) {
      for (const v of QUERY_CORPUS) get('/open311/v2/:file', `${k}: ${v.label}`, `/open311/v2/requests.${format}?${k}${v.raw.replaceAll('{k}', k)}`);
    }
    for (const name of ['services', 'discovery']) for (const v of QUERY_CORPUS.slice(0, 4)) get('/open311/v2/:file', `${name} jurisdiction_id: ${v.label}`, `/open311/v2/${name}.${format}?jurisdiction_id${v.raw.replaceAll('{k}', 'jurisdiction_id')}`);
    for (const v of PATH_CORPUS) {
      get('/open311/v2/services/:file', `service ${v.label}`, `/open311/v2/services/${v.raw}.${format}`);
      get('/open311/v2/requests/:file', `request ${v.label}`, `/open311/v2/requests/${v.raw}.${format}`);
      get('/open311/v2/tokens/:file', `token ${v.label}`, `/open311/v2/tokens/${v.raw}.${format}`);
    }
  }
  for (const v of QUERY_CORPUS) get('/api/comments', `target: ${v.label}`, `/api/comments?target${v.raw.replaceAll('{k}', 'target')}`);
  for (const target of ['commitment:0', 'commitment:-1', 'commitment:99999999999', 'users:1', 'password_hash:1', "commitment:1' OR 1=1--", 'request:1', `commitment:${fx.commitmentId}&target=request:1`]) get('/api/comments', `target=${target}`, `/api/comments?target=${encodeURIComponent(target)}`);
  for (const v of PATH_CORPUS) get('/api/plans/:slug.json', `slug ${v.label}`, `/api/plans/${v.raw}.json`);
  await runReads(reads, 'API reads');
  report(tc, ['api', 'file']);
});

test('every route of the route table was tried', async (tc) => {
  const missing = t.app.routeTable.map(routeKey).filter((k) => !covered.has(k));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  tc.diagnostic(`${total} fuzz cases in all on ${ENGINE}, over ${covered.size} of ${t.app.routeTable.length} routes`);
  console.log(`# fuzz (${ENGINE}): ${total} cases over ${covered.size} routes`);
  assert.deepEqual(missing, [], 'routes no fuzz case reached');
});
