/**
 * Cross-commune isolation (issue 5): nothing of commune B can be read or changed through commune A's host, by
 * any page, API, export or guessed id, and a session of one commune is worth nothing on the other.
 *
 * Commune B (host `localhost`) gets the demo data of every module, its own slugs (never A's), and marker texts in
 * its titles, names and descriptions. From A's host (127.0.0.1), anonymous and as A's administrator:
 * - every route with B's ids, slugs, references and tokens (and with A's slugs but B's ids) answers 404 (the
 *   login page for an anonymous visitor on a staff page; 410 for a reset token; the "already unsubscribed" page
 *   for an unknown follower token);
 * - no answer of any route, A's own pages, exports and APIs included, contains a B marker;
 * - every POST route aimed at B's ids, with the form A's own page fills, changes no row of B and writes no
 *   audit entry of B.
 */
import './no-chromium.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { startApp, Client, type TestApp, type Res } from './helpers.ts';
import { routes, fixtures, samplePath, routeKey, open311Paths, type Fixtures, type RouteEntry } from './routes.ts';
import type { Commune } from '../src/core/tenancy/index.ts';
import { systemCtx } from '../src/platform.ts';
import { modules } from '../src/modules/index.ts';
import { createCommune } from '../src/demo.ts';

let t: TestApp;
let B: Commune;
let fa: Fixtures;
let fb: Fixtures;
let bAdmin: { email: string; password: string };
/** Texts only B's data holds (titles, names, descriptions): never in a URL, so never echoed by one. */
const MARK = `ZQB${randomBytes(4).toString('hex').toUpperCase()}`;
const LOCALE = 'fr';
let admin: Client;
let anon: Client;
let csrf = '';

const markers = () => [MARK, fb.marker];
/** The forms of A's pages as A's administrator sees them, by action (filled by the GET test). */
const adminForms = new Map<string, Record<string, string[]>>();

before(async () => {
  t = await startApp();
  fa = await fixtures(t);
  const created = await createCommune(t.database, t.config, 'autre', { name: { fr: `Autre ${MARK}`, ar: `أخرى ${MARK}`, en: `Other ${MARK}` }, hosts: 'localhost' });
  bAdmin = { email: created.adminEmail, password: created.password };
  await t.app.tenancy.reload();
  B = t.app.tenancy.bySlugOrNull('autre')!;
  const ctx = await systemCtx(t.database, B, t.config);
  for (const m of modules) if (m.demo) await m.demo(ctx);
  await markB();
  fb = await fixtures(t, B);
  admin = new Client(t.url);
  await admin.login('admin@tetouan.local', t.adminPassword);
  anon = new Client(t.url);
  await admin.get(`/${LOCALE}/login`);
  csrf = admin.csrf();
});
after(async () => { await t?.close(); });

/** B's slugs differ from A's (so that B's paths never name A's things), and its texts carry the marker. */
async function markB() {
  const db = t.database.db as any;
  const c = B.id;
  const tr = JSON.stringify({ fr: `B ${MARK}`, ar: `B ${MARK}`, en: `B ${MARK}` });
  for (const table of ['plans', 'commitments', 'actions', 'indicators']) await db.updateTable(table).set({ title: tr }).where('commune_id', '=', c).execute();
  for (const table of ['bodies', 'institutions', 'request_categories', 'request_districts']) await db.updateTable(table).set({ name: tr }).where('commune_id', '=', c).execute();
  for (const table of ['plans', 'bodies', 'institutions', 'request_categories', 'request_districts']) {
    await db.updateTable(table).set({ slug: sql`${'b-'} || slug` }).where('commune_id', '=', c).execute();
  }
  await db.updateTable('body_members').set({ person_name: `B ${MARK}` }).where('commune_id', '=', c).execute();
  await db.updateTable('body_decisions').set({ title: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('endorsements').set({ person_name: `B ${MARK}` }).where('commune_id', '=', c).execute();
  await db.updateTable('evidence').set({ title: `B ${MARK}` }).where('commune_id', '=', c).execute();
  await db.updateTable('requests').set({ description: `B ${MARK}`, address: `B ${MARK}` }).where('commune_id', '=', c).execute();
  await db.updateTable('request_templates').set({ title: tr, body: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('request_questions').set({ label: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('holidays').set({ name: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('monitoring_versions').set({ title: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('monitoring_sections').set({ heading: tr, body: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('monitoring_recommendations').set({ body: tr }).where('commune_id', '=', c).execute();
  await db.updateTable('users').set({ name: `B ${MARK}` }).where('commune_id', '=', c).execute();
  const plan = await db.selectFrom('plans').select(['id', 'slug']).where('commune_id', '=', c).orderBy('id').execute();
  for (const p of plan) await db.updateTable('plans').set({ slug: `${p.slug}-${MARK.toLowerCase()}` }).where('id', '=', p.id).execute();
  await t.app.tenancy.reload();
}

/** B's rows of every table with a commune_id, the shared reference tables, and B's audit entries. */
async function snapshotB(): Promise<Map<string, string>> {
  const db = t.database.db;
  const tables: { name: string; commune: boolean }[] = t.database.engine === 'sqlite'
    ? (await sql<{ name: string; commune: number }>`select m.name as name, (select count(*) from pragma_table_info(m.name) where name = 'commune_id') as commune from sqlite_master m where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db))
      .rows.map((r) => ({ name: r.name, commune: Number(r.commune) > 0 }))
    : (await sql<{ name: string; commune: boolean }>`select t.table_name as name, exists (select 1 from information_schema.columns c where c.table_schema = t.table_schema and c.table_name = t.table_name and c.column_name = 'commune_id') as commune
        from information_schema.tables t where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db)).rows;
  const out = new Map<string, string>();
  for (const { name, commune } of tables.sort((x, y) => x.name.localeCompare(y.name))) {
    // Tables without a commune (settings, sessions of nobody, reference data): only the shared reference data.
    if (!commune && !/^sdg_|^communes$/.test(name)) continue;
    const q = commune ? sql<Record<string, unknown>>`select * from ${sql.table(name)} where commune_id = ${B.id}` : sql<Record<string, unknown>>`select * from ${sql.table(name)}`;
    const rows = (await q.execute(db)).rows.map((r) => JSON.stringify(r)).sort();
    out.set(name, `${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex')}`);
  }
  return out;
}
const changedTables = (x: Map<string, string>, y: Map<string, string>) => [...y].filter(([k, v]) => x.get(k) !== v).map(([k]) => k);

const toLogin = (r: Res) => r.status >= 300 && r.status < 400 && /^\/[a-z]{2}\/login\?next=/.test(r.location ?? '');

/** The B markers found in an answer (its body and its redirect). */
function leaks(r: Res, extra: string[] = []): string[] {
  const text = `${r.text}\n${r.location ?? ''}`;
  return [...markers(), ...extra].filter((m) => text.includes(m));
}

/** B's values where a path names a thing by id, reference or token; A's slugs and codes (an id guessed under A's plan). */
function mixed(): Fixtures {
  return { ...fb, plan: fa.plan, cycleCode: fa.cycleCode, bodySlug: fa.bodySlug, categorySlug: fa.categorySlug, commitmentNumber: fa.commitmentNumber, evidenceName: fa.evidenceName };
}

/** What a GET of B's thing through A's host may answer: 404, and a few routes their own "unknown" answer. */
function expectedStatuses(key: string, who: 'anonymous' | 'admin'): number[] {
  // The operator's area names every commune by slug (issue 17): A's administrator is not an operator (403), a visitor signs in first.
  if (key.includes('/operator/')) return who === 'anonymous' ? [303] : [403];
  if (key === 'GET /:locale/password/reset/:token') return [410];
  if (key === 'GET /:locale/requests/unsubscribe/:token') return [200];
  if (who === 'anonymous' && (key.includes('/admin') || key.endsWith('/mine'))) return [404, 303];
  return [404];
}

/** Answers about the whole platform by design (the national DCAT catalog: every active commune's public catalog). */
const PLATFORM_WIDE = ['GET /api/catalog.jsonld'];

const variants = () => [{ name: "B's", fx: fb }, { name: "A's slugs with B's ids", fx: mixed() }];

test('B exists with its own data, references and slugs', async () => {
  assert.notEqual(B.id, t.commune.id);
  assert.match(fb.requestRef, /^AUT-/);
  assert.notEqual(fb.plan, fa.plan);
  const onB = new Client(t.url.replace('127.0.0.1', 'localhost'));
  const page = await onB.get(`/${LOCALE}/requests/${fb.requestRef}`);
  assert.equal(page.status, 200, 'B serves its request on its own host');
  assert.ok(page.text.includes(fb.marker), 'with its description');
  assert.ok((await onB.get(`/${LOCALE}/plans/${fb.plan}`)).text.includes(MARK), "B's plan on B's host");
});

test("GET: B's things through A's host are not found, and no answer shows B's data", async () => {
  const failures: string[] = [];
  const before = await snapshotB();
  const table = routes(t).filter((r) => r.method === 'GET');
  let n = 0;
  for (const route of table) {
    const key = routeKey(route);
    const own = samplePath(route, fa, LOCALE);
    // A's own page: never B's data (lists, exports, the audit log, the users…), nor B's references.
    for (const [who, c] of [['anonymous', anon], ['admin', admin]] as const) {
      const r = await c.get(own);
      n++;
      if (who === 'admin' && (r.headers.get('content-type') ?? '').includes('text/html')) for (const [k, v] of formsOf(r.text)) if (!adminForms.has(k)) adminForms.set(k, v);
      if (r.status >= 500) failures.push(`${key} (A's) as ${who}: ${r.status}`);
      const found = PLATFORM_WIDE.includes(key) ? [] : leaks(r, ['AUT-20']);
      if (found.length) failures.push(`${key} (A's own ${own}) as ${who} shows B's ${found.join(', ')}`);
    }
    for (const v of variants()) {
      const p = samplePath(route, v.fx, LOCALE);
      if (p === own) continue;
      for (const [who, c] of [['anonymous', anon], ['admin', admin]] as const) {
        const r = await c.get(p);
        n++;
        const found = leaks(r);
        if (found.length) failures.push(`${key} (${v.name} ${p}) as ${who} shows B's ${found.join(', ')}`);
        const ok = expectedStatuses(key, who);
        if (!ok.includes(r.status) || (r.status === 303 && !toLogin(r))) failures.push(`${key} (${v.name} ${p}) as ${who}: ${r.status}${r.location ? ` → ${r.location}` : ''}, expected ${ok.join(' or ')}`);
      }
    }
  }
  // Open311 serves several documents per route, and filters: none shows B's requests.
  for (const p of [...open311Paths(fa), `/open311/v2/requests.json?service_code=${fb.categorySlug}`, `/open311/v2/requests/${fb.requestRef}.xml`,
    `/${LOCALE}/requests?category=${fb.categorySlug}`, `/${LOCALE}/requests.csv?category=${fb.categorySlug}`, `/${LOCALE}/requests/map.json?category=${fb.categorySlug}`,
    `/api/comments?target=monitoring_report:${fb.reportId}`, `/${LOCALE}/comments/new?target_type=monitoring_report&target_id=${fb.reportId}`]) {
    const r = await anon.get(p);
    n++;
    if (r.status >= 500) failures.push(`${p}: ${r.status}`);
    const found = leaks(r, p.includes('AUT-') ? [] : ['AUT-20']);
    if (found.length) failures.push(`${p} shows B's ${found.join(', ')}`);
  }
  const o311 = await anon.get(`/open311/v2/requests/${fb.requestRef}.json`);
  assert.equal(o311.status, 404, "B's request through A's Open311");
  assert.equal((await anon.get(`/open311/v2/tokens/${fb.open311Token}.json`)).status, 404, "B's Open311 token through A's host");
  assert.deepEqual(changedTables(before, await snapshotB()), [], "B's rows changed by GETs on A's host (an unsubscribe link, a confirmation…)");
  console.log(`isolation: ${n} GET answers checked`);
  assert.equal(failures.length, 0, `${failures.length} problems:\n${failures.join('\n')}`);
});

/** Valid forms of the actions whose form A's pages do not show in their current state. */
const FORMS: Record<string, Record<string, string[]>> = {
  'POST /:locale/admin/plans/:slug/cycles/:code/reopen': {},
  'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id': { status: ['in_progress'], progress: ['50'], value: ['1'], intent: ['save'] },
  'POST /:locale/admin/comments/:id/restore': {},
  'POST /:locale/admin/comments/:id/dismiss': {},
  'POST /:locale/admin/monitoring/:id/correction': { note_fr: ['Correction'] },
  'POST /:locale/admin/monitoring/:id/sections/:sid/up': {},
  'POST /:locale/requests/track/:code/feedback': { fixed: ['no'], satisfaction: ['2'] },
  'POST /:locale/requests/track/:code/contest': { reason: ['Pas réglé'] },
  'POST /:locale/requests/:ref/mine/feedback': { fixed: ['no'], satisfaction: ['2'] },
  'POST /:locale/requests/:ref/mine/contest': { reason: ['Pas réglé'] },
  'POST /:locale/requests/:ref/mine/hide-name': {},
  'POST /:locale/admin/requests/:ref/rule': { decision: ['upheld'], ruling: ['Fondé'] },
  'POST /:locale/admin/requests/:ref/photos/:id/:what': {},
  'POST /:locale/admin/requests/holidays/:id/confirm': {},
  'POST /:locale/admin/requests/holidays/:id/shift': { by: ['1'] },
  'POST /:locale/admin/requests/holidays/:id/remove': {},
  'POST /:locale/admin/requests/heads/:id': { user_id: [''] },
  // A's own action on shared-looking data: the text of an SDG target.
  'POST /:locale/admin/sdg/target': { target: ['11.1'], text_fr: ['Texte de A'] },
};

/** The forms of A's pages, by action: what A's administrator would post. */
function formsOf(html: string): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)].map((m) => [m[1].toLowerCase(), unescape(m[2] ?? '')]));
  for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const a = attrs(f[1]);
    if ((a.method ?? '').toLowerCase() !== 'post' || !a.action) continue;
    const fields: Record<string, string[]> = {};
    const add = (k: string | undefined, v: string) => { if (k && k !== '_csrf') (fields[k] ??= []).push(v); };
    for (const m of f[2].matchAll(/<input\b([^>]*)>/g)) {
      const x = attrs(m[1]);
      if ((x.type === 'checkbox' || x.type === 'radio') && !('checked' in x)) continue;
      if (x.type === 'file' || x.type === 'submit') continue;
      add(x.name, x.value ?? '');
    }
    for (const m of f[2].matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) add(attrs(m[1]).name, unescape(m[2]));
    for (const m of f[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const options = [...m[2].matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(o[1]));
      const chosen = options.find((o) => 'selected' in o) ?? options[0];
      if (chosen) add(attrs(m[1]).name, chosen.value ?? '');
    }
    for (const m of f[2].matchAll(/<button\b([^>]*)>/g)) { const x = attrs(m[1]); if (x.name && !(x.name in fields)) add(x.name, x.value ?? ''); }
    out.set(a.action.split('#')[0], fields);
  }
  return out;
}

test("POST: every action aimed at B's things from A's host changes nothing of B", async () => {
  // The forms A's administrator sees on A's pages, filled with A's values (collected by the GET test, else now).
  const forms = adminForms;
  if (forms.size === 0) {
    for (const route of routes(t).filter((r) => r.method === 'GET' && r.url.startsWith('/:locale'))) {
      const r = await admin.get(samplePath(route, fa, LOCALE));
      if ((r.headers.get('content-type') ?? '').includes('text/html')) for (const [k, v] of formsOf(r.text)) if (!forms.has(k)) forms.set(k, v);
    }
  }
  const failures: string[] = [];
  const audit = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', B.id).executeTakeFirstOrThrow()).n);
  const before = await snapshotB();
  const auditBefore = await audit();
  let n = 0, filled = 0;
  const unfilled: string[] = [];
  for (const route of routes(t).filter((r) => r.method === 'POST')) {
    const key = routeKey(route);
    const own = samplePath(route, fa, LOCALE);
    const form = FORMS[key] ?? forms.get(own);
    if (samplePath(route, fb, LOCALE) === own && form && route.url.startsWith('/:locale/admin')) {
      // An action of A's with no id in its path (a creation, a setting): A's administrator does it on A; B must not see it.
      n++;
      const r = await admin.post(own, form, { csrf });
      if (r.status >= 500 || r.status === 401 || r.status === 403) failures.push(`${key} (A's own, A's form): ${r.status}`);
      continue;
    }
    for (const v of variants()) {
      const p = samplePath(route, v.fx, LOCALE);
      if (p === own) continue;
      const fields: Record<string, string[]> = { ...(form ?? {}) };
      if (key === 'POST /open311/v2/:file') fields.api_key = [fb.apiKey];
      // The reset form never echoes passwords: a valid new one, so that only the token decides.
      if (key === 'POST /:locale/password/reset/:token') Object.assign(fields, { password: ['a new long passphrase'], password_confirm: ['a new long passphrase'] });
      if (form) filled++; else if (v.fx === fb) unfilled.push(key);
      n++;
      const r = p.startsWith('/open311/')
        ? await admin.request('POST', p, new URLSearchParams(Object.entries(fields).flatMap(([k, vs]) => vs.map((x) => [k, x]))).toString(), { 'content-type': 'application/x-www-form-urlencoded' })
        : await admin.post(p, fields, { csrf });
      const found = leaks(r);
      if (found.length) failures.push(`${key} (${v.name} ${p}) shows B's ${found.join(', ')}`);
      // Not found (or refused); an empty form may stop at its validation first (400/422): never a success.
      const ok = r.status === 404 || r.status === 403
        // An unknown reset token: the form again with "this link is no longer valid".
        || (key === 'POST /:locale/password/reset/:token' && r.status === 422)
        // An unknown unsubscribe token: "you already get no email" (as its GET says), changing nothing.
        || (key === 'POST /:locale/requests/unsubscribe/:token' && r.status === 200)
        || (!form && (r.status === 400 || r.status === 422));
      if (!ok) failures.push(`${key} (${v.name} ${p}, ${form ? "A's form" : 'empty form'}): ${r.status}${r.location ? ` → ${r.location}` : ''}`);
    }
  }
  const changed = changedTables(before, await snapshotB());
  console.log(`isolation: ${n} POSTs aimed at B (${filled} with A's filled form; empty form for ${unfilled.join(', ')})`);
  assert.equal(failures.length, 0, `${failures.length} problems:\n${failures.join('\n')}`);
  assert.deepEqual(changed, [], `B's tables changed from A's host: ${changed.join(', ')}`);
  assert.equal(await audit(), auditBefore, "no audit entry of B written from A's host");
});

test("B's API key, session and CSRF-valid forms are worth nothing on A's host, and A's session nothing on B's", async () => {
  // An Open311 submission on A's host with B's key.
  const o311 = await anon.request('POST', '/open311/v2/requests.json', new URLSearchParams({ api_key: fb.apiKey, service_code: fa.categorySlug, description: 'x', lat: '35.57', long: '-5.37' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(o311.status, 403, "B's key on A's host");
  // A's administrator's cookies on B's host: not signed in there.
  const onB = new Client(t.url.replace('127.0.0.1', 'localhost'));
  onB.cookies = new Map(admin.cookies);
  for (const p of ['/admin', '/account', '/admin/users', `/admin/requests/${fb.requestRef}`]) {
    const r = await onB.get(`/${LOCALE}${p}`);
    assert.ok(toLogin(r), `${p} on B's host with A's session: ${r.status} ${r.location ?? ''}`);
  }
  const before = await snapshotB();
  await onB.get(`/${LOCALE}/login`);
  const post = await onB.post(`/${LOCALE}/admin/bodies/${fb.bodyId}`, { kind: 'other', decision_rule: 'consensus', name_fr: 'Piraté' });
  assert.ok(post.status === 401 || toLogin(post), `a form posted on B's host with A's session: ${post.status}`);
  assert.deepEqual(changedTables(before, await snapshotB()), []);
  // And B's administrator, signed in on B, is nobody on A.
  const b = new Client(t.url.replace('127.0.0.1', 'localhost'));
  await b.login(bAdmin.email, bAdmin.password);
  assert.equal((await b.get(`/${LOCALE}/admin`)).status, 200, "B's administrator on B's host");
  const onA = new Client(t.url);
  onA.cookies = new Map(b.cookies);
  const r = await onA.get(`/${LOCALE}/admin/users`);
  assert.ok(toLogin(r), `B's session on A's host: ${r.status}`);
  // The SDG target text A's administrator typed (in the POST test) is A's: B still shows its own (none).
  assert.ok((await admin.get(`/${LOCALE}/admin/sdg`)).text.includes('Texte de A'), "A's SDG text on A");
  assert.ok(!(await b.get(`/${LOCALE}/admin/sdg`)).text.includes('Texte de A'), "A's SDG text is not B's");
});

test("the path form: B's site under /c/autre on A's host is B's alone, and A's session is worth nothing there", async () => {
  const before = await snapshotB();
  const page = await anon.get(`/c/autre/${LOCALE}/plans/${fb.plan}`);
  assert.equal(page.status, 200, "B's plan through the path form");
  assert.ok(page.text.includes(MARK));
  assert.ok(!page.text.includes(fa.marker), "no A's data on B's path-form pages");
  const staff = await admin.get(`/c/autre/${LOCALE}/admin`);
  assert.ok(toLogin({ ...staff, location: staff.location?.replace('/c/autre', '') ?? null }), `A's admin on B's path form: ${staff.status} ${staff.location}`);
  const post = await admin.post(`/c/autre/${LOCALE}/admin/bodies`, { slug: 'intrus', name_fr: 'Intrus' }, { csrf });
  assert.ok([303, 401, 403].includes(post.status), `A's admin posting on B's path form: ${post.status}`);
  assert.deepEqual(changedTables(before, await snapshotB()), []);
  // A's own pages through the path form of A are A's.
  const own = await anon.get(`/c/tetouan/${LOCALE}/plans/${fa.plan}`);
  assert.equal(own.status, 200);
  assert.ok(!own.text.includes(MARK));
});
