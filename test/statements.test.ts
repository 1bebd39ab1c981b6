// How many SQL statements one staff action runs, on the engine of the pass (BEGIN, COMMIT and the
// signed-in session's reads included): the request is loaded and authorised once, then its row is
// passed down. A regression (a second load, a query per follower, a re-read after the write) shows
// here as a higher count, with the statements listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, ENGINE, type TestApp } from './helpers.ts';
import * as svc from '../src/modules/requests/service.ts';

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t?.close(); });

/**
 * The most each action may run, by engine: on a request nobody follows, with no public note (the
 * search index then has nothing new to hold). PostgreSQL locks the commune's row once more, for the audit chain.
 */
const LIMITS: Record<string, { sqlite: number; postgres: number }> = {
  acknowledge: { sqlite: 11, postgres: 12 },
  assign: { sqlite: 11, postgres: 12 },
  note: { sqlite: 11, postgres: 12 },
  start: { sqlite: 11, postgres: 12 },
  // Closing reads the holidays (working days to resolve) and indexes the public answer again: the doc, on SQLite
  // its two FTS5 rows (body and title), and the vocabulary the last word of a query is completed from.
  resolve: { sqlite: 20, postgres: 17 },
};

async function fileRequest(email = '') {
  const anon = { ...(await t.ctx()), actor: null };
  return svc.submitRequest(anon, { category: 'eclairage', district: 'medina', description: 'Lampadaire éteint.', q_nombre: '1', email }, { channel: 'web' });
}

/** Posts a staff form from the request's file page and returns the statements the post ran. */
async function measure(c: Client, reference: string, action: string, fields: Record<string, string>) {
  await c.get(`/fr/admin/requests/${reference}`);
  const csrf = c.csrf();
  const { result, sql } = await t.statements(() => c.post(`/fr/admin/requests/${reference}/${action}`, fields, { csrf }));
  assert.equal(result.status, 303, `${action} succeeds: ${result.text.slice(0, 300)}`);
  return sql;
}

const loads = (sql: string[]) => sql.filter((s) => /select \* from "requests"/i.test(s));

function check(name: string, sql: string[], limit = LIMITS[name][ENGINE]) {
  console.log(`# ${ENGINE} ${name}: ${sql.length} statements`);
  assert.ok(sql.length <= limit, `${name} runs ${sql.length} statements on ${ENGINE} (at most ${limit}):\n${sql.join('\n')}`);
  // The request's row is read once per action, whatever the action.
  assert.equal(loads(sql).length, 1, `${name} loads the request once:\n${sql.join('\n')}`);
}

async function staffClient() {
  const works = await t.user('department_staff', 'travaux');
  const c = new Client(t.url);
  await c.login(works.email);
  return { ...works, c };
}

test('staff actions run a bounded number of statements, the request loaded once', async () => {
  const works = await staffClient();
  const a = await fileRequest();
  check('acknowledge', await measure(works.c, a.reference, 'answer', { status: 'acknowledged', note: '' }));
  check('assign', await measure(works.c, a.reference, 'assign', { assignee_id: String(works.id) }));
  check('note', await measure(works.c, a.reference, 'note', { internal_note: 'Voir avec l’équipe de nuit.' }));
  check('start', await measure(works.c, a.reference, 'answer', { status: 'in_progress', note: '' }));
  check('resolve', await measure(works.c, a.reference, 'answer', { status: 'resolved', note: 'Lampe changée.' }));

  const row = await t.database.db.withTables<any>().selectFrom('requests').select(['status', 'assignee_id', 'public_note']).where('reference', '=', a.reference).executeTakeFirstOrThrow();
  assert.equal(row.status, 'resolved');
  assert.equal(row.assignee_id, works.id);
  assert.equal(row.public_note, 'Lampe changée.');
});

test('followers cost the same few statements however many they are; a public note is indexed for the search', async () => {
  const works = await staffClient();
  const follow = async (reference: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const c = new Client(t.url);
      const u = await t.user('citizen');
      await c.login(u.email);
      await c.get(`/fr/requests/${reference}`);
      assert.equal((await c.post(`/fr/requests/${reference}/follow`, { email: u.email })).status, 303);
    }
  };
  const one = await fileRequest('reporter.one@example.org');
  const four = await fileRequest('reporter.four@example.org');
  await follow(four.reference, 3);
  const fields = { status: 'acknowledged', note: 'Reçu, une équipe passera cette semaine.' };
  const withOne = await measure(works.c, one.reference, 'answer', fields);
  const withFour = await measure(works.c, four.reference, 'answer', fields);
  console.log(`# ${ENGINE} acknowledge with a note, 1 follower: ${withOne.length}; 4 followers: ${withFour.length}`);
  assert.equal(withFour.length, withOne.length, `no statement per follower:\n${withFour.join('\n')}`);
  assert.equal(loads(withFour).length, 1);
  assert.equal(withFour.filter((s) => /insert into "outbox"/i.test(s)).length, 1, 'one insert for every follower’s mail');
  const db = t.database.db.withTables<any>();
  const mails = await db.selectFrom('outbox').select('to_addr').where('subject', 'like', `%${four.reference}%`).execute();
  assert.equal(mails.filter((m: any) => m.to_addr !== 'reporter.four@example.org').length, 3, 'each follower is told');
  // The note is searchable at once.
  const found = await new Client(t.url).get(`/fr/search?q=${encodeURIComponent('une équipe passera cette semaine')}`);
  assert.ok(found.text.includes(four.reference), 'the acknowledgement note is indexed');
});

test('a refused staff action reads the request once and writes nothing', async () => {
  // The cleaning operator's staff, on a works request.
  const operator = await t.user('operator_staff', 'operateur-proprete');
  const c = new Client(t.url);
  await c.login(operator.email);
  const a = await fileRequest();
  await c.get('/fr/admin/requests');
  const csrf = c.csrf();
  const { result, sql } = await t.statements(() => c.post(`/fr/admin/requests/${a.reference}/answer`, { status: 'acknowledged' }, { csrf }));
  assert.equal(result.status, 403);
  assert.ok(!sql.some((s) => /^\s*(begin|insert|update|delete)/i.test(s)), `nothing written:\n${sql.join('\n')}`);
  assert.equal(sql.filter((s) => /from "requests"/i.test(s)).length, 1, sql.join('\n'));
});
