import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, type TestApp } from './helpers.ts';
import { verifyAudit } from '../src/core/audit/index.ts';
import { mutate } from '../src/core/service.ts';
import { createCommune } from '../src/demo.ts';
import { RuleError } from '../src/core/http/errors.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

test('every mutation appends a chained entry; the chain verifies', async () => {
  const before = await t.database.db.selectFrom('audit_log').select('id').execute();
  const c = new Client(t.url);
  await c.submit('/fr/register', '/fr/register', { name: 'Nadia', email: `nadia-${Date.now()}@test.local`, password: 'a long enough passphrase' });
  const rows = await t.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  assert.equal(rows.length, before.length + 1);
  const last = rows.at(-1)!;
  assert.equal(last.action, 'user.register');
  assert.equal(last.prev_hash, rows.at(-2)!.hash);
  assert.doesNotMatch(last.after ?? '', /passphrase|scrypt/, 'no secret in the audit log');
  const r = await verifyAudit(t.database.db);
  assert.equal(r.ok, true);
  assert.equal(r.checked, rows.length);
});

test('rewriting an entry or deleting one is detected and the first broken entry is named', async () => {
  const db = t.database.db;
  const rows = await db.selectFrom('audit_log').select(['id', 'after']).orderBy('id').execute();
  const target = rows[Math.floor(rows.length / 2)];
  await db.updateTable('audit_log').set({ after: JSON.stringify({ rewritten: true }) }).where('id', '=', target.id).execute();
  let r = await verifyAudit(db);
  assert.equal(r.ok, false);
  assert.equal(r.brokenId, target.id);
  assert.equal(r.reason, 'hash');
  await db.updateTable('audit_log').set({ after: target.after }).where('id', '=', target.id).execute();
  assert.equal((await verifyAudit(db)).ok, true, 'restoring the content restores the chain');
  const victim = rows[3];
  const saved = await db.selectFrom('audit_log').selectAll().where('id', '=', victim.id).executeTakeFirstOrThrow();
  await db.deleteFrom('audit_log').where('id', '=', victim.id).execute();
  r = await verifyAudit(db);
  assert.equal(r.ok, false);
  assert.equal(r.brokenId, rows[4].id);
  assert.equal(r.reason, 'link');
  await db.insertInto('audit_log').values(saved).execute();
  assert.equal((await verifyAudit(db)).ok, true);
});

test('concurrent mutations keep one unbroken chain', async () => {
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    new Client(t.url).submit('/fr/register', '/fr/register', { name: `P${i}`, email: `p${i}-${Date.now()}@test.local`, password: 'a long enough passphrase' })));
  const r = await verifyAudit(t.database.db);
  assert.equal(r.ok, true);
});

test('grouped changes of two communes in one turn: each acknowledged after the commit, a failing one alone rolled back', async () => {
  await createCommune(t.database, t.config, 'groupe', { name: { fr: 'Groupe', ar: 'Groupe', en: 'Groupe' } });
  await t.app.tenancy.reload();
  const a = await t.ctx(null);
  const b = { ...a, commune: t.app.tenancy.bySlugOrNull('groupe')! };
  const db = t.database.db;
  const key = (n: number) => `group-test-${n}`;
  // Interleaved communes, B first, one change failing after it wrote: all reach mutate in the same turn.
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => {
    const ctx = i % 2 ? a : b;
    return mutate(ctx, { permission: null, action: 'setting.test', entity: 'setting', groupCommit: true }, async (trx) => {
      await trx.insertInto('settings').values({ key: key(i), value: String(ctx.commune.id) }).execute();
      if (i === 5) throw new RuleError('errors.invalid');
      return { result: i, entityId: key(i) };
    });
  }));
  assert.deepEqual(results.map((r) => r.status), results.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
  assert.deepEqual(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11], 'each caller gets its own result');
  const stored = await db.selectFrom('settings').select(['key', 'value']).where('key', 'like', 'group-test-%').execute();
  assert.deepEqual(stored.map((r) => r.key).sort(), [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11].map(key).sort(), 'the failing change left nothing');
  for (const r of stored) assert.equal(r.value, String(Number(r.key.split('-').at(-1)) % 2 ? a.commune.id : b.commune.id));
  const audited = await db.selectFrom('audit_log').select(['commune_id', 'entity_id']).where('action', '=', 'setting.test').orderBy('id').execute();
  assert.equal(audited.length, 11);
  // Within a commune, the audit chain keeps the order the changes arrived in.
  for (const c of [a, b]) {
    const mine = audited.filter((r) => r.commune_id === c.commune.id).map((r) => Number(String(r.entity_id).split('-').at(-1)));
    assert.deepEqual(mine, [...mine].sort((x, y) => x - y));
  }
  assert.equal((await verifyAudit(db)).ok, true);
});

test('entries removed from the end of the chain are detected, even once new entries follow', async () => {
  const db = t.database.db;
  const c = new Client(t.url);
  const register = (n: string) => c.submit('/fr/register', '/fr/register', { name: n, email: `${n}-${Date.now()}@test.local`, password: 'a long enough passphrase' });
  await register('tail1');
  await register('tail2');
  const tail = await db.selectFrom('audit_log').selectAll().where('commune_id', '=', t.commune.id).orderBy('id', 'desc').limit(2).execute();
  await db.deleteFrom('audit_log').where('id', 'in', tail.map((r) => r.id)).execute();
  let r = await verifyAudit(db);
  assert.equal(r.ok, false, 'a chain cut short at its end');
  assert.equal(r.reason, 'head');
  assert.equal(r.headId, tail[0].id);
  assert.ok(r.lastId! < tail[1].id);
  // A new entry links to the recorded head, the removed entry, so the gap stays visible.
  await register('tail3');
  r = await verifyAudit(db);
  assert.equal(r.ok, false);
  assert.equal(r.reason, 'link');
  // Putting the entries back (in order, before the new one) makes the chain whole again.
  const newest = await db.selectFrom('audit_log').selectAll().where('commune_id', '=', t.commune.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  assert.equal(newest.prev_hash, tail[0].hash);
  await db.insertInto('audit_log').values([...tail].reverse()).execute();
  r = await verifyAudit(db);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.heads.find((h) => h.communeId === t.commune.id)?.lastId, newest.id);
});
