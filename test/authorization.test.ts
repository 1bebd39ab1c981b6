/**
 * The authorization matrix (issue 5): every route of the route table, for an anonymous visitor, one signed-in
 * user per role, the reporter of a request (an owner) and an administrator of another commune whose session
 * cookie is replayed on this commune's host. The expected answer of each cell comes from the route's access
 * entry (module manifests' `access`, core's in app.ts) and the permission table; a route without an entry, or
 * an entry without a route, fails the test.
 *
 * GET: allowed → 2xx, or a redirect that is not to the login page; refused → the login page (anonymous, HTML),
 * 401 (anonymous, API), 403 (signed in), or 404 where the route hides what it refuses (a request of another
 * department, another person's request).
 * POST (an empty form with a valid CSRF token): refused → 401/303-to-login or 403/404, and nothing changes (the
 * audit log after every cell, every table before and after the whole refused phase); allowed → anything but
 * 401, 403 or a server error (an empty form is mostly a 400/422; some actions need no field and succeed).
 */
import './no-chromium.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { startApp, Client, ROLE_SPECS, type TestApp, type Res } from './helpers.ts';
import { routes, fixtures, samplePath, scopedTargets, routeKey, type Fixtures, type RouteEntry } from './routes.ts';
import { accessTable } from '../src/app.ts';
import type { RouteAccess } from '../src/core/module.ts';
import { permissionTable, SCOPED_ROLES, isPlatformPermission, type Role } from '../src/core/auth/roles.ts';
import { grantOperator, asPlatformOperator } from '../src/modules/platform/service.ts';
import { modules } from '../src/modules/index.ts';
import { createCommune } from '../src/demo.ts';

let t: TestApp;
let fx: Fixtures;
const LOCALE = 'fr';

interface Actor {
  name: string;
  client: Client;
  /** Roles in this commune (none for the anonymous visitor and the other commune's administrator). */
  grants: { role: Role; institutionId: number | null }[];
  signedIn: boolean;
  /** The reporter of fx.requestRef. */
  owner: boolean;
  csrf: string;
  /** A platform operator (issue 17): holds the platform.* permissions, which no commune role holds. */
  operator?: boolean;
}
const actors: Actor[] = [];

before(async () => {
  t = await startApp();
  fx = await fixtures(t);
  const anon = new Client(t.url);
  actors.push({ name: 'anonymous', client: anon, grants: [], signedIn: false, owner: false, csrf: '' });
  // One signed-in user per role (created and signed in together: password hashing runs on the thread pool).
  actors.push(...await Promise.all(ROLE_SPECS.map(async (spec): Promise<Actor> => {
    const { email } = await t.user(spec.role, spec.institution);
    const c = new Client(t.url);
    await c.login(email);
    const institutionId = spec.institution ? fx.institutions[spec.institution] : null;
    return { name: spec.role, client: c, grants: [{ role: spec.role as Role, institutionId }], signedIn: true, owner: false, csrf: '' };
  })));
  // A platform operator: a citizen of this commune whose email the CLI made an operator.
  const op = await t.user('citizen');
  await grantOperator(asPlatformOperator(await t.ctx()), op.email);
  const opClient = new Client(t.url);
  await opClient.login(op.email);
  actors.push({ name: 'platform operator', client: opClient, grants: [{ role: 'citizen', institutionId: null }], signedIn: true, owner: false, csrf: '', operator: true });
  const owner = new Client(t.url);
  await owner.login(fx.userEmail);
  actors.push({ name: 'owner (citizen, reporter)', client: owner, grants: [{ role: 'citizen', institutionId: null }], signedIn: true, owner: true, csrf: '' });
  // An administrator of another commune, signed in on that commune's host (`localhost`), whose cookies are then sent here.
  const other = await createCommune(t.database, t.config, 'autre', { name: { fr: 'Autre commune', ar: 'جماعة أخرى', en: 'Other commune' }, hosts: 'localhost' });
  await t.app.tenancy.reload();
  const onB = new Client(t.url.replace('127.0.0.1', 'localhost'));
  await onB.login(other.adminEmail, other.password);
  const foreign = new Client(t.url);
  foreign.cookies = new Map(onB.cookies);
  actors.push({ name: 'admin of another commune', client: foreign, grants: [], signedIn: false, owner: false, csrf: '' });
  await Promise.all(actors.map(async (a) => {
    await a.client.get(`/${LOCALE}/login`);
    a.csrf = a.client.csrf();
    assert.ok(a.csrf, `a CSRF token for ${a.name}`);
  }));
});
after(async () => { await t?.close(); });

// ---------- Expected answers ----------

const PERMS = permissionTable();
const holds = (a: Actor, perm: string, institutionId?: number) => (isPlatformPermission(perm) ? !!a.operator : a.grants.some((g) => {
  if (!(PERMS[perm] ?? []).includes(g.role)) return false;
  return institutionId === undefined || !SCOPED_ROLES[g.role] || g.institutionId === institutionId;
}));
const STAFF_PERMS = [...new Set(modules.flatMap((m) => m.admin ?? []).map((e) => e.permission).filter((p): p is string => !!p))];

/** Whether the actor may call a route with this access; `institutionId`: the institution the target belongs to. */
function allowed(a: Actor, access: RouteAccess, institutionId?: number): boolean {
  if (typeof access === 'object') return [access.permission].flat().some((p) => holds(a, p, institutionId));
  switch (access) {
    case 'public': case 'capability': return true;
    case 'signed-in': return a.signedIn;
    case 'owner': return a.owner;
    case 'staff': return STAFF_PERMS.some((p) => holds(a, p));
    default: return holds(a, access);
  }
}

const isApi = (p: string) => p.startsWith('/api/') || p.startsWith('/open311/') || p === '/healthz';
const toLogin = (r: Res) => r.status >= 300 && r.status < 400 && /^\/[a-z]{2}\/login\?next=/.test(r.location ?? '');

/** What is wrong with the answer of a cell, or null. */
function verdict(method: string, path: string, access: RouteAccess, a: Actor, mayAct: boolean, r: Res): string | null {
  if (r.status >= 500) return `server error ${r.status}`;
  const hides = typeof access === 'object' || access === 'owner' || access === 'capability';
  if (mayAct) {
    if (r.status === 401 || r.status === 403) return `refused (${r.status}) but allowed`;
    if (toLogin(r)) return 'sent to the login page but allowed';
    if (method === 'GET' && !(r.status < 300 || (r.status < 400 && r.location))) return `answered ${r.status}, expected 2xx or a redirect`;
    return null;
  }
  if (!a.signedIn) {
    if (isApi(path) ? r.status === 401 : toLogin(r) || r.status === 401) return null;
    return `answered ${r.status}${r.location ? ` → ${r.location}` : ''}, expected ${isApi(path) ? '401' : 'the login page'}`;
  }
  if (r.status === 403 || (hides && r.status === 404)) return null;
  return `answered ${r.status}${r.location ? ` → ${r.location}` : ''}, expected 403${hides ? ' or 404' : ''}`;
}

// ---------- Cells ----------

interface Cell { route: RouteEntry; key: string; access: RouteAccess; path: string; institutionId?: number; fields: Record<string, string>; label: string }

async function cellsOf(table: RouteEntry[], access: Record<string, RouteAccess>): Promise<Cell[]> {
  const out: Cell[] = [];
  for (const route of table) {
    const key = routeKey(route);
    const acc = access[key];
    if (acc === undefined) continue;
    const path = samplePath(route, fx, LOCALE);
    // The Open311 key travels in the body: the allowed call carries this commune's key.
    const fields: Record<string, string> = key === 'POST /open311/v2/:file' ? { api_key: fx.apiKey } : {};
    if (typeof acc === 'object') for (const s of await scopedTargets(key, fx, LOCALE)) out.push({ route, key, access: acc, path: s.path, institutionId: s.institutionId, fields, label: `of ${s.label}` });
    else out.push({ route, key, access: acc, path, fields, label: '' });
  }
  return out;
}

async function call(a: Actor, c: Cell): Promise<Res> {
  if (c.route.method === 'GET') return a.client.get(c.path);
  if (isApi(c.path)) {
    return a.client.request('POST', c.path, new URLSearchParams(c.fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }
  return a.client.post(c.path, c.fields, { csrf: a.csrf });
}

async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]); }));
}

const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A digest of every row of every table: compared before and after the refused phase. */
async function snapshot(): Promise<Map<string, string>> {
  const db = t.database.db;
  const names: string[] = t.database.engine === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows.map((r) => r.name)
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows.map((r) => r.name);
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows.map((r) => JSON.stringify(r)).sort();
    out.set(name, createHash('sha256').update(rows.join('\n')).digest('hex') + `:${rows.length}`);
  }
  return out;
}

const started = Date.now();
let matrixCells = 0;

test('every route has an access entry, and every entry a route', () => {
  const table = routes(t);
  const access = accessTable();
  const keys = new Set(table.map(routeKey));
  const missing = [...keys].filter((k) => !(k in access));
  const stale = Object.keys(access).filter((k) => !keys.has(k));
  assert.deepEqual(missing, [], `routes without an access entry (add them to their module's manifest): ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `access entries without a route: ${stale.join(', ')}`);
  const kinds = ['public', 'signed-in', 'capability', 'owner', 'staff'];
  for (const [k, v] of Object.entries(access)) {
    for (const p of typeof v === 'object' ? [v.permission].flat() : kinds.includes(v) ? [] : [v]) assert.ok(p in PERMS, `${k}: unknown permission ${p}`);
  }
  assert.ok(table.length > 200, `the route table lists every route (${table.length})`);
});

test('GET: every route, every actor, answers as the access table says', async () => {
  const cells = await cellsOf(routes(t).filter((r) => r.method === 'GET'), accessTable());
  const failures: string[] = [];
  const jobs = cells.flatMap((c) => actors.map((a) => ({ c, a })));
  const slow = new Map<string, number>();
  await pool(jobs, 8, async ({ c, a }) => {
    const t0 = Date.now();
    const r = await call(a, c);
    slow.set(c.key, (slow.get(c.key) ?? 0) + Date.now() - t0);
    const wrong = verdict('GET', c.path, c.access, a, allowed(a, c.access, c.institutionId), r);
    if (wrong) failures.push(`${c.key}${c.label ? ` [${c.label}]` : ''} as ${a.name}: ${wrong}`);
  });
  matrixCells += jobs.length;
  if (process.env.AUTHZ_TIMING) console.log([...slow].sort((x, y) => y[1] - x[1]).slice(0, 15));
  assert.equal(failures.length, 0, `${failures.length} wrong answers:\n${failures.sort().join('\n')}`);
});

test('inside public routes: internal evidence and hidden photos only for those who may see them', async () => {
  const db = t.database.db as any;
  const failures: string[] = [];
  // Internal evidence of a commitment: plans.read_internal, department staff only for the commitment's lead department.
  assert.ok(fx.internalEvidenceId, 'the demo has internal evidence');
  const ev = await db.selectFrom('evidence').select(['title', 'commitment_id']).where('id', '=', fx.internalEvidenceId).executeTakeFirstOrThrow();
  const lead = await db.selectFrom('commitment_institutions').select('institution_id').where('commitment_id', '=', ev.commitment_id).where('role', '=', 'lead').executeTakeFirst();
  const number = (await db.selectFrom('commitments').select('number').where('id', '=', ev.commitment_id).executeTakeFirstOrThrow()).number;
  const internal: RouteAccess = { permission: 'plans.read_internal', scoped: true };
  for (const a of actors) {
    const may = allowed(a, internal, lead?.institution_id ?? -1);
    const file = await a.client.get(`/${LOCALE}/plans/${fx.plan}/evidence/${fx.internalEvidenceId}/${encodeURIComponent(fx.internalEvidenceName!)}`);
    if (file.status !== (may ? 200 : 404)) failures.push(`internal evidence file as ${a.name}: ${file.status}`);
    const pub = await a.client.get(`/${LOCALE}/plans/${fx.plan}/commitments/${number}`);
    if (pub.text.includes(ev.title) !== may) failures.push(`internal evidence on the public commitment page as ${a.name}: ${may ? 'missing' : 'shown'}`);
    const staff = await a.client.get(`/${LOCALE}/admin/plans/${fx.plan}/commitments/${ev.commitment_id}`);
    if (staff.status === 200 && staff.text.includes(ev.title) !== may) failures.push(`internal evidence on the staff commitment page as ${a.name}: ${may ? 'missing' : 'shown'}`);
  }
  // A staff action names its target twice (request and photo): they must agree.
  const moderator = actors.find((a) => a.name === 'moderator')!;
  const other = Object.values(fx.requestsByInstitution).find((r) => r !== fx.requestRef)!;
  const mismatch = await moderator.client.post(`/${LOCALE}/admin/requests/${other}/photos/${fx.photoId}/hide`, {}, { csrf: moderator.csrf });
  if (mismatch.status !== 404) failures.push(`hiding a photo through another request's file: ${mismatch.status}`);
  // A hidden photo: those who may open the request's staff file (its handlers, the counter, mediation, moderation).
  await db.updateTable('request_photos').set({ hidden: 1 }).where('id', '=', fx.photoId).execute();
  try {
    const staffFile: RouteAccess = { permission: ['requests.handle', 'requests.view'], scoped: true };
    for (const a of actors) {
      const r = await a.client.get(`/${LOCALE}/requests/photos/${fx.photoId}`);
      const may = allowed(a, staffFile, fx.requestInstitutionId);
      if (r.status !== (may ? 200 : 404)) failures.push(`hidden photo as ${a.name}: ${r.status}`);
    }
  } finally {
    await db.updateTable('request_photos').set({ hidden: 0 }).where('id', '=', fx.photoId).execute();
  }
  matrixCells += actors.length * 4;
  assert.equal(failures.length, 0, failures.join('\n'));
});

test('a capability route with a wrong secret is refused to everyone, and an Open311 submission without a key is 403', async () => {
  const wrong: [string, number[]][] = [
    [`/${LOCALE}/password/reset/${fx.resetToken.slice(0, -4)}AAAA`, [410]],
    [`/${LOCALE}/requests/follow/${fx.followToken.slice(0, -4)}AAAA`, [404]],
    [`/${LOCALE}/requests/unsubscribe/${'A'.repeat(32)}`, [200]],
    [`/${LOCALE}/requests/track/${fx.trackingCode.slice(0, -4)}ZZZZ`, [404]],
  ];
  const before = await auditCount();
  for (const a of actors) {
    for (const [p, statuses] of wrong) {
      const r = await a.client.get(p);
      assert.ok(statuses.includes(r.status), `${p} as ${a.name}: ${r.status}`);
    }
    const post = await a.client.post(`/${LOCALE}/requests/track/${fx.trackingCode.slice(0, -4)}ZZZZ/hide-name`, {}, { csrf: a.csrf });
    assert.equal(post.status, 404, `hide-name with a wrong code as ${a.name}`);
    const o311 = await a.client.request('POST', '/open311/v2/requests.json', 'service_code=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(o311.status, 403, `Open311 without a key as ${a.name}`);
  }
  // The unknown unsubscribe link says "already gone" but writes nothing.
  assert.equal(await auditCount(), before, 'no audit entry for unknown secrets');
  matrixCells += actors.length * (wrong.length + 2);
});

test('POST refused: 401/403/404 (or the login page), and nothing changes', async () => {
  const cells = await cellsOf(routes(t).filter((r) => r.method === 'POST'), accessTable());
  const failures: string[] = [];
  const before = await snapshot();
  let n = 0;
  // One route (and target) at a time, its refused actors together; the audit log is counted around each batch.
  for (const c of cells) {
    const who = actors.filter((a) => !allowed(a, c.access, c.institutionId));
    n += who.length;
    const count = await auditCount();
    const answers: string[] = [];
    await pool(who, 6, async (a) => {
      const r = await call(a, c);
      answers.push(`${a.name}: ${r.status}`);
      const wrong = verdict('POST', c.path, c.access, a, false, r);
      if (wrong) failures.push(`${c.key}${c.label ? ` [${c.label}]` : ''} as ${a.name}: ${wrong}`);
    });
    const written = (await auditCount()) - count;
    if (written) failures.push(`${c.key}${c.label ? ` [${c.label}]` : ''}: ${written} audit entries written by refused calls (${answers.join(', ')})`);
  }
  const changed = [...(await snapshot())].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
  matrixCells += n;
  assert.equal(failures.length, 0, `${failures.length} wrong answers:\n${failures.sort().join('\n')}`);
  assert.deepEqual(changed, [], `tables changed by refused calls: ${changed.join(', ')}`);
});

test('POST allowed: never refused, never a server error', async () => {
  const cells = await cellsOf(routes(t).filter((r) => r.method === 'POST'), accessTable());
  // Logging out ends the session the other cells use: last.
  const last = (c: Cell) => (c.key === `POST /:locale/logout` ? 1 : 0);
  cells.sort((x, y) => last(x) - last(y));
  const failures: string[] = [];
  let n = 0;
  for (const c of cells) {
    const who = actors.filter((a) => allowed(a, c.access, c.institutionId));
    n += who.length;
    // One route at a time, its actors together: one actor's change (a deletion) cannot hide another's refusal.
    await pool(who, 4, async (a) => {
      const r = await call(a, c);
      const wrong = verdict('POST', c.path, c.access, a, true, r);
      if (wrong) failures.push(`${c.key}${c.label ? ` [${c.label}]` : ''} as ${a.name}: ${wrong}`);
    });
  }
  matrixCells += n;
  assert.equal(failures.length, 0, `${failures.length} wrong answers:\n${failures.sort().join('\n')}`);
});

test('matrix size', (tc) => {
  const table = routes(t);
  const line = `authorization matrix: ${table.length} routes × ${actors.length} actors (${table.length * actors.length}), ${matrixCells} cells checked in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(line);
  tc.diagnostic(line);
  assert.ok(matrixCells >= table.length * actors.length, line);
});
