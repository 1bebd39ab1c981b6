import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';

let t: TestApp;
let admin: Client;
before(async () => {
  t = await startApp();
  admin = new Client(t.url);
  await admin.login('admin@tetouan.local', t.adminPassword);
});
after(async () => { await t.close(); });

test('smoke: public and staff pages render', async () => {
  const c = new Client(t.url);
  for (const p of ['/fr/documents', '/ar/documents', '/fr/council', '/fr/transparency/register', '/ar/transparency/register', '/fr/documents.atom', '/fr/council.ics', '/fr/documents.csv', '/api/documents.json', '/fr/council/deliberations.csv', '/api/council/deliberations.json', '/api/transparency/register.json']) {
    const r = await c.get(p);
    assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 500)}`);
  }
  for (const p of ['/fr/admin/documents', '/fr/admin/council', '/fr/admin/transparency/register', '/fr/admin/transparency/due']) {
    const r = await admin.get(p);
    assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 500)}`);
  }
  console.log(textOf((await c.get('/fr/transparency/register')).text).slice(0, 3000));
});
