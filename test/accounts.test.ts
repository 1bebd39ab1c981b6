import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, roleClients, ROLE_SPECS, PASSWORD, type TestApp } from './helpers.ts';

let t: TestApp;
let clients: Map<string, Client>;
before(async () => { t = await startApp(); clients = await roleClients(t); });
after(async () => { await t.close(); });

test('registration validates, keeps the input, and signs the citizen in', async () => {
  const c = new Client(t.url);
  const bad = await c.submit('/ar/register', '/ar/register', { name: 'سعاد', email: 'not-an-email', password: 'short' });
  assert.equal(bad.status, 400);
  const text = textOf(bad.text);
  assert.match(text, /أدخل عنوان بريد إلكتروني صحيحًا/);
  assert.match(text, /على الأقل 10 حرفًا/);
  assert.match(bad.text, /value="سعاد"/);
  assert.match(bad.text, /value="not-an-email"/);
  assert.doesNotMatch(bad.text, /value="short"/, 'a password is never echoed');
  assert.match(bad.text, /href="#f-email"/, 'the error summary links to the field');
  const email = `souad-${Date.now()}@test.local`;
  const ok = await c.post('/ar/register', { name: 'سعاد', email, password: PASSWORD });
  assert.equal(ok.status, 303);
  const account = await c.get('/ar/account');
  assert.equal(account.status, 200);
  assert.match(textOf(account.text), /مواطن/);
  const dup = await new Client(t.url).submit('/fr/register', '/fr/register', { name: 'Autre', email: email.toUpperCase(), password: PASSWORD });
  assert.equal(dup.status, 422);
  assert.match(textOf(dup.text), /Un compte existe déjà/);
});

const adminGets = ['/fr/admin/users', '/fr/admin/users/1', '/fr/admin/audit'];

test('anonymous visitors are sent to sign in for every staff page', async () => {
  const c = new Client(t.url);
  for (const p of [...adminGets, '/fr/admin', '/fr/account']) {
    const res = await c.get(p);
    assert.equal(res.status, 303, p);
    assert.match(res.location ?? '', /^\/fr\/login\?next=/);
  }
});

test('only administrators manage accounts and roles; audit log for admin, monitor and OGP team', async () => {
  const target = await t.user('citizen');
  for (const { role } of ROLE_SPECS) {
    const c = clients.get(role)!;
    const users = await c.get('/fr/admin/users');
    const user = await c.get(`/fr/admin/users/${target.id}`);
    const audit = await c.get('/fr/admin/audit');
    const expectAdmin = role === 'admin' ? 200 : 403;
    assert.equal(users.status, expectAdmin, `${role} /admin/users`);
    assert.equal(user.status, expectAdmin, `${role} /admin/users/:id`);
    assert.equal(audit.status, ['admin', 'monitor', 'ogp_team'].includes(role) ? 200 : 403, `${role} /admin/audit`);
    await c.get('/fr/account');
    const grant = await c.post(`/fr/admin/users/${target.id}/grants`, { role: 'admin' });
    assert.equal(grant.status, role === 'admin' ? 303 : 403, `${role} POST grants`);
    if (role !== 'admin') assert.match(textOf(grant.text), /pas le droit/);
  }
  const grants = await t.database.db.selectFrom('role_grants').select('role').where('user_id', '=', target.id).execute();
  assert.deepEqual(grants.map((g) => g.role).sort(), ['admin', 'citizen']);
});

test('granting a scoped role needs the right kind of institution; revoking works; no self-demotion', async () => {
  const admin = clients.get('admin')!;
  const target = await t.user('citizen');
  await admin.get(`/fr/admin/users/${target.id}`);
  const missing = await admin.post(`/fr/admin/users/${target.id}/grants`, { role: 'department_staff', institution_id: '' });
  assert.equal(missing.status, 422);
  assert.match(textOf(missing.text), /Choisissez le service ou l’opérateur/);
  assert.match(missing.text, /<option value="department_staff" selected/);
  const operator = await t.database.db.selectFrom('institutions').select('id').where('slug', '=', 'operateur-proprete').executeTakeFirstOrThrow();
  const wrongKind = await admin.post(`/fr/admin/users/${target.id}/grants`, { role: 'department_staff', institution_id: String(operator.id) });
  assert.equal(wrongKind.status, 422);
  const travaux = await t.database.db.selectFrom('institutions').select('id').where('slug', '=', 'travaux').executeTakeFirstOrThrow();
  const ok = await admin.post(`/fr/admin/users/${target.id}/grants`, { role: 'department_staff', institution_id: String(travaux.id) });
  assert.equal(ok.status, 303);
  const page = await admin.get(`/fr/admin/users/${target.id}`);
  assert.match(textOf(page.text), /Agent de service Direction des travaux communaux/);
  const grant = await t.database.db.selectFrom('role_grants').select('id').where('user_id', '=', target.id).where('role', '=', 'department_staff').executeTakeFirstOrThrow();
  assert.equal((await admin.post(`/fr/admin/users/${target.id}/grants/${grant.id}/revoke`, {})).status, 303);
  const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(target.id)).execute();
  assert.deepEqual(audit.map((a) => a.action).filter((a) => a.startsWith('role.')), ['role.grant', 'role.revoke']);
  const me = await t.database.db.selectFrom('users').select('id').where('email', 'like', 'admin.%@test.local').executeTakeFirstOrThrow();
  const own = await t.database.db.selectFrom('role_grants').select('id').where('user_id', '=', me.id).where('role', '=', 'admin').executeTakeFirstOrThrow();
  await admin.get(`/fr/admin/users/${me.id}`);
  const self = await admin.post(`/fr/admin/users/${me.id}/grants/${own.id}/revoke`, {});
  assert.equal(self.status, 422);
});

test('user search and pagination happen in SQL', async () => {
  const admin = clients.get('admin')!;
  const res = await admin.get('/fr/admin/users?q=ogp_team');
  assert.equal(res.status, 200);
  assert.match(textOf(res.text), /ogp_team\.\d+/);
  assert.doesNotMatch(textOf(res.text), /moderator\.\d+/);
  const far = await admin.get('/fr/admin/users?page=999');
  assert.equal(far.status, 200);
  const weird = await admin.get('/fr/admin/users?page=-3&q=%25%27%22');
  assert.equal(weird.status, 200);
});
