// The accountability module through the real server: pages, the reporting cycle by HTTP forms,
// department scoping, the monitor's read-only access, evidence visibility, append-only published
// figures, the CSV matrix round trip, reminders, and dashboard figures against rules.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';
import { adb } from '../src/modules/accountability/repo.ts';
import { leafProgress, rollUp, planProgress, actionProgress } from '../src/modules/accountability/rules.ts';
import { parseCsv } from '../src/modules/accountability/csv.ts';
import { verifyAudit } from '../src/core/audit/index.ts';

/** The visible text, without the bidi isolation marks that keep codes like 2025-S2 whole in Arabic sentences. */
const txt = (html: string) => textOf(html).replace(/[\u2066-\u2069]/g, '');

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t.close(); });

const db = () => adb(t.database.db);
const SLUG = 'ogp-2023';

async function as(role: string, institution?: string) {
  const u = await t.user(role, institution);
  const c = new Client(t.url);
  await c.login(u.email);
  return { c, ...u };
}

async function cycleId(code: string) {
  const r = await db().selectFrom('reporting_cycles as r').innerJoin('plans as p', 'p.id', 'r.plan_id').select('r.id').where('p.slug', '=', SLUG).where('r.code', '=', code).executeTakeFirstOrThrow();
  return r.id;
}

async function rowsOf(code: string, dept?: string) {
  let q = db().selectFrom('matrix_rows as r').innerJoin('institutions as i', 'i.id', 'r.institution_id')
    .select(['r.id', 'r.kind', 'r.state', 'r.action_id', 'r.indicator_id', 'r.status', 'r.progress', 'r.value', 'r.institution_id', 'i.slug as dept'])
    .where('r.cycle_id', '=', await cycleId(code));
  if (dept) q = q.where('i.slug', '=', dept);
  return q.orderBy('r.id').execute();
}

const base = (code: string) => `/fr/admin/plans/${SLUG}/cycles/${code}`;

test('public pages answer in French and Arabic, with the demo plan’s content', async () => {
  const c = new Client(t.url);
  for (const locale of ['fr', 'ar']) {
    for (const p of ['/plans', `/plans/${SLUG}`, `/plans/${SLUG}/about`, `/plans/${SLUG}/commitments/1`, `/plans/${SLUG}/commitments/1.1`, `/plans/${SLUG}/commitments/3.1`,
      `/plans/${SLUG}/commitments/3.1.2`, '/plans/pac-2023-2028', '/plans/pac-2023-2028/commitments/3.1', `/plans/${SLUG}?department=travaux&sdg=11&status=delayed&value=accountability`, '/']) {
      const r = await c.get(`/${locale}${p}`);
      assert.equal(r.status, 200, `${locale}${p}`);
      assert.match(r.text, new RegExp(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`));
      assert.equal((r.text.match(/<h1[ >]/g) ?? []).length, 1, `one h1 on ${locale}${p}`);
      assert.doesNotMatch(r.text, / style="/, `no inline style on ${locale}${p}`);
      assert.doesNotMatch(r.text, /<script(?![^>]*src=)/);
    }
  }
  const fr = txt((await c.get(`/fr/plans/${SLUG}/commitments/1.1`)).text);
  assert.match(fr, /Publier les documents budgétaires et comptables/);
  assert.match(fr, /Direction du budget/);
  const ar = txt((await c.get(`/ar/plans/${SLUG}`)).text);
  assert.match(ar, /التقدم حسب المحور/);
  assert.equal((await c.get(`/fr/plans/${SLUG}/commitments/9.9`)).status, 404);
  assert.equal((await c.get('/fr/plans/no-such-plan')).status, 404);
});

test('every staff page answers 200 in French and Arabic for the OGP team', async () => {
  const { c } = await as('ogp_team');
  const commitment = await db().selectFrom('commitments as c').innerJoin('plans as p', 'p.id', 'c.plan_id').select('c.id').where('p.slug', '=', SLUG).where('c.number', '=', '1.1').executeTakeFirstOrThrow();
  const action = await db().selectFrom('actions').select('id').where('commitment_id', '=', commitment.id).orderBy('id').executeTakeFirstOrThrow();
  const indicator = await db().selectFrom('indicators').select('id').where('commitment_id', '=', commitment.id).executeTakeFirstOrThrow();
  const update = await db().selectFrom('action_updates').select('id').where('action_id', '=', action.id).orderBy('version', 'desc').executeTakeFirstOrThrow();
  const measurement = await db().selectFrom('measurements').select('id').where('indicator_id', '=', indicator.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const [row] = await rowsOf('2026-S2', 'budget');
  const paths = ['/admin', '/admin/plans', '/admin/plans/new', `/admin/plans/${SLUG}`, `/admin/plans/${SLUG}/commitments/new`, `/admin/plans/${SLUG}/commitments/${commitment.id}`,
    `/admin/plans/${SLUG}/commitments/${commitment.id}/actions/new`, `/admin/plans/${SLUG}/actions/${action.id}`, `/admin/plans/${SLUG}/commitments/${commitment.id}/indicators/new`,
    `/admin/plans/${SLUG}/indicators/${indicator.id}`, `/admin/plans/${SLUG}/commitments/${commitment.id}/evidence/new`, '/admin/sdg', `/admin/plans/${SLUG}/cycles`,
    `/admin/plans/${SLUG}/cycles/2026-S2`, `/admin/plans/${SLUG}/cycles/2025-S2`, `/admin/plans/${SLUG}/cycles/2026-S2/matrix`, `/admin/plans/${SLUG}/cycles/2026-S2/matrix?department=travaux`,
    `/admin/plans/${SLUG}/cycles/2026-S2/rows/${row.id}`, `/admin/plans/${SLUG}/cycles/2026-S2/validation`, `/admin/plans/${SLUG}/cycles/2026-S2/review`,
    `/admin/plans/${SLUG}/corrections/action/${update.id}`, `/admin/plans/${SLUG}/corrections/measurement/${measurement.id}`];
  for (const locale of ['fr', 'ar']) {
    for (const p of paths) {
      const r = await c.get(`/${locale}${p}`);
      assert.equal(r.status, 200, `${locale}${p}: ${txt(r.text).slice(0, 300)}`);
      assert.equal((r.text.match(/<h1[ >]/g) ?? []).length, 1, `one h1 on ${locale}${p}`);
      assert.doesNotMatch(r.text, / style="/);
      // Every form field has a label pointing at it.
      for (const [, id] of r.text.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)) assert.match(r.text, new RegExp(`<label[^>]*for="${id}"`), `label for #${id} on ${locale}${p}`);
      const ids = [...r.text.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(ids).size, ids.length, `unique ids on ${locale}${p}`);
    }
  }
  const admin = txt((await c.get('/fr/admin')).text);
  assert.match(admin, /Suivi des plans d’action/);
});

test('open data: CSV and JSON with stable identifiers, no personal data', async () => {
  const c = new Client(t.url);
  const csv = await c.get(`/fr/plans/${SLUG}.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const lines = parseCsv(csv.text);
  assert.equal(lines[0][0], 'commitment_id');
  const n = (await db().selectFrom('commitments as c').innerJoin('plans as p', 'p.id', 'c.plan_id').select((eb) => eb.fn.countAll<number>().as('n')).where('p.slug', '=', SLUG).executeTakeFirstOrThrow()).n;
  assert.equal(lines.filter((l) => l.length > 1).length - 1, Number(n));
  for (const e of ['actions', 'indicators', 'measurements']) {
    const r = await c.get(`/fr/plans/${SLUG}/${e}.csv`);
    assert.equal(r.status, 200, e);
    assert.ok(parseCsv(r.text).length > 2, `${e} has lines`);
  }
  const json = await c.get(`/api/plans/${SLUG}.json`);
  assert.equal(json.status, 200);
  const doc = JSON.parse(json.text);
  assert.equal(doc.plan.slug, SLUG);
  assert.ok(doc.commitments.every((x: any) => Number.isInteger(x.commitment_id)));
  assert.ok(doc.actions.length > 10 && doc.indicators.length > 5 && doc.measurements.length > 5 && doc.action_updates.length > 10);
  assert.doesNotMatch(json.text, /@/, 'no e-mail address in the open data');
  const index = JSON.parse((await c.get('/api/plans.json')).text);
  assert.deepEqual(index.plans.map((p: any) => p.slug).sort(), ['ogp-2023', 'pac-2023-2028']);
  assert.equal((await c.get('/fr/plans.csv')).status, 200);
  assert.equal((await c.get('/api/plans/nope.json')).status, 404);
  const openData = txt((await c.get('/fr/open-data')).text);
  assert.match(openData, /Plans d’action : index des plans et de leurs fichiers/);
});

test('dashboard figures are what rules.ts computes from the published rows', async () => {
  const plan = await db().selectFrom('plans').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow();
  const commitments = await db().selectFrom('commitments').select(['id', 'parent_id', 'weight', 'number']).where('plan_id', '=', plan.id).execute();
  const actions = await db().selectFrom('actions').select(['id', 'commitment_id', 'institution_id']).where('commitment_id', 'in', commitments.map((c) => c.id)).execute();
  const updates = await db().selectFrom('action_updates').select(['action_id', 'period_end', 'version', 'status', 'progress']).execute();
  const current = new Map<number, { status: string; progress: number }>();
  for (const u of updates.sort((a, b) => (a.period_end === b.period_end ? a.version - b.version : a.period_end < b.period_end ? -1 : 1))) current.set(u.action_id, u);
  const figure = (id: number) => current.get(id) ?? { status: 'planned', progress: 0 };
  const leaf = (cid: number) => leafProgress(actions.filter((a) => a.commitment_id === cid).map((a) => figure(a.id)));
  const nodes = commitments.map((c) => ({ id: c.id, parentId: c.parent_id, weight: c.weight }));
  const progress = rollUp(nodes, leaf);
  const overall = planProgress(nodes, progress)!;
  assert.ok(overall > 0 && overall < 100, 'the demo plan is part-way');

  const c = new Client(t.url);
  const html = (await c.get(`/fr/plans/${SLUG}`)).text;
  const shown = html.match(/class="stat-value">(\d+)\u00a0%/);
  assert.ok(shown, 'overall progress shown');
  assert.equal(Number(shown[1]), Math.round(overall));
  // Each axis, as the chart's data table gives it.
  for (const axis of commitments.filter((x) => x.parent_id === null)) {
    const p = progress.get(axis.id);
    assert.match(txt(html), new RegExp(`${axis.number.replace('.', '\\.')}\\. [^0-9]+ ${Math.round(p!)} %`), `axis ${axis.number}`);
  }
  // Status counts.
  const done = actions.filter((a) => figure(a.id).status === 'done').length;
  assert.match(txt(html), new RegExp(`${done}/${actions.length} actions réalisées`));
  // The open data carries the same roll-up for every commitment.
  const doc = JSON.parse((await c.get(`/api/plans/${SLUG}.json`)).text);
  for (const x of doc.commitments) {
    const p = progress.get(x.commitment_id) ?? null;
    assert.equal(x.progress, p === null ? null : Math.round(p * 10) / 10, `commitment ${x.number}`);
  }
  // A department filter: that department's actions only.
  const travaux = await db().selectFrom('institutions').select('id').where('slug', '=', 'travaux').executeTakeFirstOrThrow();
  const mine = actions.filter((a) => a.institution_id === travaux.id);
  const filtered = txt((await c.get(`/fr/plans/${SLUG}?department=travaux`)).text);
  assert.match(filtered, new RegExp(`${mine.filter((a) => figure(a.id).status === 'done').length}/${mine.length} actions réalisées`));
  assert.match(filtered, /Les chiffres ci-dessous ne portent que sur la sélection/);
  void actionProgress;
});

test('a department cannot read or touch another department’s rows; its matrix shows its own', async () => {
  const budget = await as('department_staff', 'budget');
  const [other] = (await rowsOf('2026-S2', 'travaux')).filter((r) => r.state === 'pending');
  const [own] = (await rowsOf('2026-S2', 'budget')).filter((r) => r.kind === 'action');
  const page = await budget.c.get(`${base('2026-S2')}/matrix`);
  assert.equal(page.status, 200);
  assert.match(txt(page.text), /Direction du budget/);
  assert.doesNotMatch(txt(page.text), /Direction des travaux communaux/, 'no row of another department');
  assert.equal((await budget.c.get(`${base('2026-S2')}/rows/${other.id}`)).status, 403);
  await budget.c.get(`${base('2026-S2')}/matrix`);
  const res = await budget.c.post(`${base('2026-S2')}/rows/${other.id}`, { intent: 'submit', status: 'done', progress: '100', difficulties: '', evidence_visibility: 'public' });
  assert.equal(res.status, 403);
  const after = (await rowsOf('2026-S2', 'travaux')).find((r) => r.id === other.id)!;
  assert.equal(after.state, 'pending');
  assert.equal(after.status, other.status);
  assert.equal((await budget.c.get(`${base('2026-S2')}/matrix?department=travaux`)).status, 403);
  // The CSV it downloads holds its rows only.
  const csv = parseCsv((await budget.c.get(`${base('2026-S2')}/matrix.csv`)).text);
  assert.ok(csv.length > 1 && csv.slice(1).filter((l) => l.length > 1).every((l) => l[2] === 'budget'));
  // Its own row: already submitted in the demo, so it is frozen for the department.
  assert.notEqual(own, undefined);
  assert.equal((await budget.c.get(`/fr/admin/plans/${SLUG}/cycles/2026-S2`)).status, 200);
});

test('the monitor reads everything, internal evidence included, and changes nothing', async () => {
  const monitor = await as('monitor');
  const internal = await db().selectFrom('evidence').select(['id']).where('visibility', '=', 'internal').executeTakeFirstOrThrow();
  const [row] = await rowsOf('2026-S2', 'travaux');
  const matrix = await monitor.c.get(`${base('2026-S2')}/matrix`);
  assert.equal(matrix.status, 200);
  assert.match(txt(matrix.text), /Direction des travaux communaux/);
  assert.match(txt(matrix.text), /Direction du budget/);
  const file = await monitor.c.get(`/fr/plans/${SLUG}/evidence/${internal.id}/note.pdf`);
  assert.equal(file.status, 200);
  assert.match(file.text, /^%PDF-/);
  const commitmentPage = txt((await monitor.c.get(`/fr/plans/${SLUG}/commitments/1.1`)).text);
  assert.match(commitmentPage, /Note interne sur le visa du compte administratif/);
  const auditBefore = (await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  await monitor.c.get(`${base('2026-S2')}/rows/${row.id}`);
  const attempts = [
    [`${base('2026-S2')}/rows/${row.id}`, { intent: 'submit', status: 'done', progress: '100', evidence_visibility: 'public' }],
    [`${base('2026-S2')}/rows/${row.id}/validate`, {}],
    [`${base('2026-S2')}/rows/${row.id}/return`, { remark: 'non' }],
    [`${base('2026-S2')}/publish`, {}],
    [`${base('2026-S2')}/remind`, {}],
    [`${base('2026-S2')}/close`, {}],
    [`${base('2026-S2')}/review`, { decided_on: '2026-11-25', outcome: 'consensus', decision: 'x' }],
    [`/fr/admin/plans/${SLUG}/cycles`, { code: '2030-S1', due_date: '2030-08-01' }],
  ] as const;
  for (const [path, fields] of attempts) {
    const r = await monitor.c.post(path, fields as Record<string, string>);
    assert.equal(r.status, 403, `monitor POST ${path}`);
  }
  const auditAfter = (await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  assert.equal(auditAfter, auditBefore, 'nothing was written');
});

test('citizens and anonymous visitors never see internal evidence; public evidence downloads', async () => {
  const internal = await db().selectFrom('evidence').select(['id']).where('visibility', '=', 'internal').executeTakeFirstOrThrow();
  const pub = await db().selectFrom('evidence').select(['id']).where('visibility', '=', 'public').executeTakeFirstOrThrow();
  const anon = new Client(t.url);
  assert.equal((await anon.get(`/fr/plans/${SLUG}/evidence/${internal.id}/x.pdf`)).status, 404);
  const citizen = await as('citizen');
  assert.equal((await citizen.c.get(`/fr/plans/${SLUG}/evidence/${internal.id}/x.pdf`)).status, 404);
  const otherDept = await as('department_staff', 'travaux');
  assert.equal((await otherDept.c.get(`/fr/plans/${SLUG}/evidence/${internal.id}/x.pdf`)).status, 404, 'another department');
  const ownDept = await as('department_staff', 'budget');
  assert.equal((await ownDept.c.get(`/fr/plans/${SLUG}/evidence/${internal.id}/x.pdf`)).status, 200, 'the department owning it');
  const file = await anon.get(`/fr/plans/${SLUG}/evidence/${pub.id}/calendrier.pdf`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  const page = txt((await anon.get(`/fr/plans/${SLUG}/commitments/1.1`)).text);
  assert.match(page, /Calendrier de publication des documents budgétaires/);
  assert.doesNotMatch(page, /Note interne/);
  assert.equal((await anon.get(`/fr/plans/pac-2023-2028/evidence/${pub.id}/calendrier.pdf`)).status, 404, 'evidence is reached through its own plan');
});

test('the full cycle through HTML forms: open, submit, return, answer, validate, review, publish; evidence public only once published', async () => {
  const ogp = await as('ogp_team');
  const dept = await as('department_staff', 'secretariat-conseil');
  const steering = await as('steering_member');
  // Open.
  let r = await ogp.c.submit(`/fr/admin/plans/${SLUG}/cycles`, `/fr/admin/plans/${SLUG}/cycles`, { code: '2027-s1', due_date: '2027-07-31' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/fr/admin/plans/${SLUG}/cycles/2027-S1`);
  const bad = await ogp.c.submit(`/fr/admin/plans/${SLUG}/cycles`, `/fr/admin/plans/${SLUG}/cycles`, { code: '2027-S9', due_date: 'tomorrow' });
  assert.equal(bad.status, 400);
  assert.match(txt(bad.text), /Le formulaire contient des erreurs/);
  const rows = await rowsOf('2027-S1', 'secretariat-conseil');
  const row = rows.find((x) => x.kind === 'action')!;
  assert.equal(row.state, 'pending');
  // A file that is not what it claims is refused, with the form kept and nothing saved.
  await dept.c.get(`${base('2027-S1')}/rows/${row.id}`);
  const fake = await dept.c.postMultipart(`${base('2027-S1')}/rows/${row.id}`, { intent: 'save', status: 'in_progress', progress: '77', evidence_visibility: 'public' },
    { evidence_file: { name: 'x.pdf', data: Buffer.from('MZ not a pdf'), type: 'application/pdf' } });
  assert.equal(fake.status, 422);
  assert.match(txt(fake.text), /Ce type de fichier n’est pas accepté/);
  assert.match(fake.text, /name="progress" [^>]*value="77"/);
  assert.equal((await rowsOf('2027-S1', 'secretariat-conseil')).find((x) => x.id === row.id)!.state, 'pending');
  // Submit, with a public evidence file.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  r = await dept.c.postMultipart(`${base('2027-S1')}/rows/${row.id}`, { intent: 'submit', status: 'in_progress', progress: '90', difficulties: 'Numérisation des archives', evidence_title: 'Procès-verbaux 2027', evidence_url: '', evidence_visibility: 'public' },
    { evidence_file: { name: 'pv-2027.pdf', data: pdf, type: 'application/pdf' } });
  assert.equal(r.status, 303, txt(dept.c.lastHtml).slice(0, 400));
  const ev = await db().selectFrom('evidence').select(['id']).where('row_id', '=', row.id).executeTakeFirstOrThrow();
  const anon = new Client(t.url);
  assert.equal((await anon.get(`/fr/plans/${SLUG}/evidence/${ev.id}/pv.pdf`)).status, 404, 'not public before publication');
  // Return with a remark.
  await ogp.c.get(`${base('2027-S1')}/rows/${row.id}`);
  r = await ogp.c.post(`${base('2027-S1')}/rows/${row.id}/return`, { remark: 'Précisez le nombre de sessions publiées.' });
  assert.equal(r.status, 303);
  let page = txt((await dept.c.get(`${base('2027-S1')}/rows/${row.id}`)).text);
  assert.match(page, /Précisez le nombre de sessions publiées/);
  // Resubmitting without an answer is refused; with one it goes.
  r = await dept.c.post(`${base('2027-S1')}/rows/${row.id}`, { intent: 'submit', status: 'in_progress', progress: '90', difficulties: '', answer: '', evidence_visibility: 'public' });
  assert.equal(r.status, 422);
  assert.match(txt(r.text), /Répondez à la remarque/);
  await dept.c.get(`${base('2027-S1')}/rows/${row.id}`);
  r = await dept.c.post(`${base('2027-S1')}/rows/${row.id}`, { intent: 'submit', status: 'in_progress', progress: '95', difficulties: '', answer: '11 sessions sur 12 sont en ligne.', evidence_visibility: 'public' });
  assert.equal(r.status, 303);
  // Validate from the queue.
  const queue = await ogp.c.get(`${base('2027-S1')}/validation`);
  assert.match(txt(queue.text), /Publier les ordres du jour/);
  r = await ogp.c.post(`${base('2027-S1')}/rows/${row.id}/validate`, { back: 'validation' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${base('2027-S1')}/validation`);
  // Steering committee decision, linked to the row.
  await steering.c.get(`${base('2027-S1')}/review`);
  r = await steering.c.post(`${base('2027-S1')}/review`, { decided_on: '2027-08-15', outcome: 'no_consensus', decision: 'Accélérer la numérisation des archives du conseil.', measures: 'Un stagiaire dédié.', row_ids: [String(row.id)] });
  assert.equal(r.status, 303);
  assert.equal((await steering.c.post(`${base('2027-S1')}/publish`, {})).status, 403, 'the steering committee does not publish');
  // Publish.
  await ogp.c.get(base('2027-S1'));
  r = await ogp.c.post(`${base('2027-S1')}/publish`, {});
  assert.equal(r.status, 303);
  page = txt((await ogp.c.get(base('2027-S1'))).text);
  assert.match(page, /Publié : actions 1, mesures 0/);
  const published = await db().selectFrom('action_updates').select(['status', 'progress', 'row_id']).where('row_id', '=', row.id).execute();
  assert.deepEqual(published.map((p) => [p.status, p.progress]), [['in_progress', 95]]);
  // The public sees the new figure, the evidence and the decision.
  const pub = txt((await anon.get(`/fr/plans/${SLUG}/commitments/1.3`)).text);
  assert.match(pub, /Accélérer la numérisation des archives du conseil/);
  assert.match(pub, /Pas de consensus/);
  assert.match(pub, /Procès-verbaux 2027/);
  assert.match(pub, /95 %/);
  assert.equal((await anon.get(`/fr/plans/${SLUG}/evidence/${ev.id}/pv.pdf`)).status, 200, 'public once published');
  const dash = txt((await anon.get(`/fr/plans/${SLUG}`)).text);
  assert.match(dash, /cycle 2027-S1/);
  // Every step is in the audit chain, and the chain holds.
  const actions = (await db().selectFrom('audit_log').select('action').where('entity_id', '=', String(row.id)).execute()).map((a) => a.action);
  for (const a of ['matrix_row.submit', 'matrix_row.return', 'matrix_row.validate']) assert.ok(actions.includes(a), a);
  assert.ok((await verifyAudit(t.database.db)).ok);
});

test('a published figure is never changed in place: a correction is a new version, the old one stays in the history', async () => {
  const ogp = await as('ogp_team');
  const before = await db().selectFrom('action_updates').selectAll().orderBy('id').execute();
  const target = await db().selectFrom('action_updates as u').innerJoin('actions as a', 'a.id', 'u.action_id').innerJoin('commitments as c', 'c.id', 'a.commitment_id')
    .select(['u.id', 'u.action_id', 'u.version', 'u.status', 'u.progress', 'c.number']).where('c.number', '=', '1.2').where('u.status', '=', 'in_progress')
    .orderBy('u.version', 'desc').executeTakeFirstOrThrow();
  // The row it came from is frozen.
  const row = await db().selectFrom('matrix_rows as r').innerJoin('reporting_cycles as rc', 'rc.id', 'r.cycle_id').select(['r.id', 'r.state', 'rc.code'])
    .where('r.action_id', '=', target.action_id).where('r.state', '=', 'published').executeTakeFirstOrThrow();
  const dept = await as('department_staff', 'communication');
  await dept.c.get(`${base(row.code)}/matrix`);
  const refused = await dept.c.post(`${base(row.code)}/rows/${row.id}`, { intent: 'submit', status: 'done', progress: '100', evidence_visibility: 'public' });
  assert.equal(refused.status, 422, 'a published row cannot be edited');
  // Publishing again publishes nothing new.
  await ogp.c.get(base(row.code));
  await ogp.c.post(`${base(row.code)}/publish`, {});
  assert.match(txt((await ogp.c.get(base(row.code))).text), /Aucune ligne validée à publier/);
  // The correction form.
  await ogp.c.get(`/fr/admin/plans/${SLUG}/corrections/action/${target.id}`);
  const noReason = await ogp.c.post(`/fr/admin/plans/${SLUG}/corrections/action/${target.id}`, { status: 'in_progress', progress: '35', note: '' });
  assert.equal(noReason.status, 400);
  const r = await ogp.c.post(`/fr/admin/plans/${SLUG}/corrections/action/${target.id}`, { status: 'in_progress', progress: '35', note: 'Double comptage des arrondissements.' });
  assert.equal(r.status, 303);
  const after = await db().selectFrom('action_updates').selectAll().orderBy('id').execute();
  assert.equal(after.length, before.length + 1);
  assert.deepEqual(after.slice(0, before.length), before, 'every earlier version is byte-for-byte unchanged');
  const added = after[after.length - 1];
  assert.deepEqual([added.action_id, added.version, added.progress, added.supersedes_id, added.note], [target.action_id, target.version + 1, 35, target.id, 'Double comptage des arrondissements.']);
  // Correcting the superseded version again is refused.
  await ogp.c.get(`/fr/admin/plans/${SLUG}/corrections/action/${target.id}`);
  const stale = await ogp.c.post(`/fr/admin/plans/${SLUG}/corrections/action/${target.id}`, { status: 'in_progress', progress: '40', note: 'encore' });
  assert.equal(stale.status, 422);
  // The public history shows both versions and the reason.
  const page = txt((await new Client(t.url).get(`/fr/plans/${SLUG}/commitments/1.2`)).text);
  assert.match(page, /version 2 — correction Double comptage des arrondissements\./);
  assert.match(page, new RegExp(`${target.progress} % version 1`));
  // A measurement correction, the same way; the open data keeps every version.
  const m = await db().selectFrom('measurements').select(['id', 'indicator_id', 'value', 'version']).where('cycle_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
  await ogp.c.get(`/fr/admin/plans/${SLUG}/corrections/measurement/${m.id}`);
  assert.equal((await ogp.c.post(`/fr/admin/plans/${SLUG}/corrections/measurement/${m.id}`, { value: String(Number(m.value) + 1).replace('.', ','), note: 'Recomptage.' })).status, 303);
  const versions = await db().selectFrom('measurements').select(['value', 'version', 'supersedes_id']).where('indicator_id', '=', m.indicator_id).orderBy('id').execute();
  assert.ok(versions.some((v) => v.version === m.version && Number(v.value) === Number(m.value)), 'the old value stays');
  assert.ok(versions.some((v) => v.supersedes_id === m.id && Number(v.value) === Number(m.value) + 1));
  const csv = parseCsv((await new Client(t.url).get(`/fr/plans/${SLUG}/measurements.csv`)).text);
  assert.ok(csv.some((l) => l[0] === String(m.id)) && csv.some((l) => l[6] === String(m.id)), 'both versions in the open data');
});

test('CSV import: every bad line reported with its number and reason, nothing imported; then a clean import submits', async () => {
  const ogp = await as('ogp_team');
  await ogp.c.submit(`/fr/admin/plans/${SLUG}/cycles`, `/fr/admin/plans/${SLUG}/cycles`, { code: '2027-S2', due_date: '2028-01-31' });
  const dept = await as('department_staff', 'associations');
  const page = await dept.c.get(`${base('2027-S2')}/matrix`);
  assert.match(txt(page.text), /Importer la matrice/);
  const csvText = (await dept.c.get(`${base('2027-S2')}/matrix.csv`)).text;
  const lines = parseCsv(csvText);
  const head = lines[0];
  const col = (n: string) => head.indexOf(n);
  const data = lines.slice(1).filter((l) => l.length > 1);
  const actions = data.filter((l) => l[col('type')] === 'action');
  const indicators = data.filter((l) => l[col('type')] === 'indicator');
  assert.ok(actions.length >= 2 && indicators.length >= 1);
  const travauxRow = (await rowsOf('2027-S2', 'travaux'))[0];
  const edit = (l: string[], changes: Record<string, string>) => { const c = [...l]; for (const [k, v] of Object.entries(changes)) c[col(k)] = v; return c; };
  const toCsv = (ls: string[][]) => ls.map((l) => l.map((x) => (/[",;\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(';')).join('\r\n');
  const badFile = toCsv([
    head,
    edit(actions[0], { status: 'done', progress: '100' }), // line 2: fine
    edit(actions[1], { status: 'finished', progress: '120' }), // line 3: bad status and progress
    edit(indicators[0], { value: 'beaucoup' }), // line 4: bad value
    edit(actions[0], { row_id: String(travauxRow.id), department: 'travaux' }), // line 5: another department's row
  ]);
  const before = await rowsOf('2027-S2', 'associations');
  await dept.c.get(`${base('2027-S2')}/matrix`);
  let r = await dept.c.postMultipart(`${base('2027-S2')}/matrix`, { submit: '1' }, { file: { name: 'matrice.csv', data: Buffer.from(csvText.startsWith('\uFEFF') ? `\uFEFF${badFile}` : badFile), type: 'text/csv' } });
  assert.equal(r.status, 422);
  const text = txt(r.text);
  assert.match(text, /Rien n’a été importé/);
  assert.match(text, /Ligne 3 : état « finished » inconnu/);
  assert.match(text, /Ligne 3 : avancement « 120 » invalide/);
  assert.match(text, /Ligne 4 : valeur « beaucoup » invalide/);
  assert.match(text, /Ligne 5 : la ligne « \d+ » appartient à un autre service/);
  assert.doesNotMatch(text, /Ligne 2 :/);
  assert.deepEqual(await rowsOf('2027-S2', 'associations'), before, 'nothing was imported');
  // Fixed file: imported and the complete rows submitted.
  const goodFile = toCsv([head, edit(actions[0], { status: 'done', progress: '100' }), edit(actions[1], { status: 'in_progress', progress: '45' }), edit(indicators[0], { value: '2,5' })]);
  await dept.c.get(`${base('2027-S2')}/matrix`);
  r = await dept.c.postMultipart(`${base('2027-S2')}/matrix`, { submit: '1' }, { file: { name: 'matrice.csv', data: Buffer.from(goodFile), type: 'text/csv' } });
  assert.equal(r.status, 303, txt(dept.c.lastHtml).slice(0, 500));
  const rows = await rowsOf('2027-S2', 'associations');
  const byId = new Map(rows.map((x) => [String(x.id), x]));
  assert.deepEqual([byId.get(actions[0][0])!.state, byId.get(actions[0][0])!.status, byId.get(actions[0][0])!.progress], ['submitted', 'done', 100]);
  assert.deepEqual([byId.get(actions[1][0])!.state, byId.get(actions[1][0])!.progress], ['submitted', 45]);
  assert.equal(Number(byId.get(indicators[0][0])!.value), 2.5);
  // A second upload of the same file changes nothing that was submitted: the rows are no longer editable.
  const third = toCsv([head, edit(actions[0], { status: 'in_progress', progress: '10' })]);
  await dept.c.get(`${base('2027-S2')}/matrix`);
  r = await dept.c.postMultipart(`${base('2027-S2')}/matrix`, { submit: '1' }, { file: { name: 'matrice.csv', data: Buffer.from(third), type: 'text/csv' } });
  assert.equal(r.status, 422);
  assert.match(txt(r.text), /Ligne 2 : la ligne « \d+ » a déjà été soumise/);
});

test('late departments are shown to the OGP team and reminded through the outbox', async () => {
  const ogp = await as('ogp_team');
  const travauxStaff = await as('department_staff', 'travaux');
  const informatiqueStaff = await as('department_staff', 'informatique');
  const board = txt((await ogp.c.get(base('2026-S2'))).text);
  assert.match(board, /Services en retard/);
  assert.match(board, /Direction des travaux communaux — lignes à remplir : \d+/);
  assert.doesNotMatch(board, /Direction de l’informatique et de la numérisation — lignes à remplir/);
  const outboxBefore = (await t.database.db.selectFrom('outbox').select('to_addr').execute()).length;
  const r = await ogp.c.post(`${base('2026-S2')}/remind`, {});
  assert.equal(r.status, 303);
  assert.match(txt((await ogp.c.get(base('2026-S2'))).text), /Rappels mis en file d’envoi/);
  const mails = await t.database.db.selectFrom('outbox').select(['to_addr', 'subject', 'body_text']).orderBy('id').execute();
  const sent = mails.slice(outboxBefore);
  const toTravaux = sent.find((m) => m.to_addr === travauxStaff.email);
  assert.ok(toTravaux, 'the late department’s staff is reminded');
  assert.match(toTravaux.subject, /2026-S2/);
  assert.match(toTravaux.body_text, /\/fr\/admin\/plans\/ogp-2023\/cycles\/2026-S2\/matrix/);
  assert.ok(!sent.some((m) => m.to_addr === informatiqueStaff.email), 'a department with nothing left is not reminded');
  // A department sees its own progress on the board, not the others’.
  const deptBoard = txt((await travauxStaff.c.get(base('2026-S2'))).text);
  assert.doesNotMatch(deptBoard, /Direction du budget/);
});

test('editing: commitments in a tree with SDG codes, actions and indicators; typed figures are refused', async () => {
  const ogp = await as('ogp_team');
  const parent = await db().selectFrom('commitments as c').innerJoin('plans as p', 'p.id', 'c.plan_id').select('c.id').where('p.slug', '=', SLUG).where('c.number', '=', '4.3').executeTakeFirstOrThrow();
  const dept = await db().selectFrom('institutions').select('id').where('slug', '=', 'associations').executeTakeFirstOrThrow();
  await ogp.c.get(`/fr/admin/plans/${SLUG}/commitments/new`);
  const bad = await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/new`, { number: '4.3.1', parent_id: String(parent.id), title_fr: 'Conseil des jeunes, volet quartiers', sdg: '16.7, 99.9', ogp_values: ['participation'] });
  assert.equal(bad.status, 422);
  assert.match(txt(bad.text), /Code ODD inconnu : 99\.9/);
  const r = await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/new`, { number: '4.3.1', parent_id: String(parent.id), title_fr: 'Conseil des jeunes, volet quartiers', title_ar: 'مجلس الشباب، شق الأحياء', sdg: '16.7, 11.6.1, 4', ogp_values: ['participation'], lead_id: String(dept.id), weight: '2,5', start_date: '2026-01-01', end_date: '2026-12-31' });
  assert.equal(r.status, 303);
  const id = Number(r.location!.split('/').pop());
  const sdg = await db().selectFrom('commitment_sdgs').select(['goal', 'target']).where('commitment_id', '=', id).orderBy('goal').execute();
  assert.deepEqual(sdg.map((s) => [s.goal, s.target]), [[4, null], [11, '11.6.1'], [16, '16.7']]);
  const cycle = await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/${id}`, { number: '4.3.1', parent_id: String(id), title_fr: 'x' });
  assert.equal(cycle.status, 422, 'cannot be its own parent');
  await ogp.c.get(`/fr/admin/plans/${SLUG}/commitments/${id}/actions/new`);
  assert.equal((await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/${id}/actions/new`, { title_fr: 'Réunir le conseil', institution_id: String(dept.id), start_date: '2026-05-01', end_date: '2026-01-01' })).status, 422);
  assert.equal((await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/${id}/actions/new`, { title_fr: 'Réunir le conseil', institution_id: String(dept.id), end_date: '2026-06-30', status: 'done', progress: '100' })).status, 303);
  const action = await db().selectFrom('actions').select('id').where('commitment_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(await db().selectFrom('action_updates').select('id').where('action_id', '=', action.id).executeTakeFirst(), undefined, 'no figure is typed with the action: it comes from the matrix');
  await ogp.c.get(`/fr/admin/plans/${SLUG}/commitments/${id}/indicators/new`);
  assert.equal((await ogp.c.post(`/fr/admin/plans/${SLUG}/commitments/${id}/indicators/new`, { kind: 'result', title_fr: 'Réunions tenues', direction: 'up', baseline_value: '0', target_value: '4', frequency: 'quarterly', institution_id: String(dept.id) })).status, 303);
  const page = txt((await new Client(t.url).get(`/fr/plans/${SLUG}/commitments/4.3.1`)).text);
  assert.match(page, /Conseil des jeunes, volet quartiers/);
  assert.match(page, /Réunir le conseil/);
  assert.match(page, /Réunions tenues/);
  assert.match(page, /Cible 11\.6\.1 \(cible locale\)/);
  const ar = txt((await new Client(t.url).get(`/ar/plans/${SLUG}/commitments/4.3.1`)).text);
  assert.match(ar, /مجلس الشباب، شق الأحياء/);
  // Through the other plan's URLs, the same changes are not found and change nothing.
  const indicator = await db().selectFrom('indicators').select('id').where('commitment_id', '=', id).executeTakeFirstOrThrow();
  const OTHER = 'pac-2023-2028';
  const snapshot = async () => JSON.stringify(await Promise.all(['commitments', 'actions', 'indicators'].map((tb) => db().selectFrom(tb as 'commitments').selectAll().orderBy('id').execute())));
  const before = await snapshot();
  await ogp.c.get(`/fr/admin/plans/${SLUG}/commitments/${id}`);
  for (const [path, fields] of [
    [`commitments/${id}`, { number: '4.3.1', title_fr: 'Par le mauvais plan' }],
    [`commitments/${id}/actions/new`, { title_fr: 'Par le mauvais plan', institution_id: String(dept.id) }],
    [`actions/${action.id}`, { title_fr: 'Par le mauvais plan', institution_id: String(dept.id) }],
    [`commitments/${id}/indicators/new`, { kind: 'result', title_fr: 'Par le mauvais plan', direction: 'up', frequency: 'quarterly', institution_id: String(dept.id) }],
    [`indicators/${indicator.id}`, { kind: 'result', title_fr: 'Par le mauvais plan', direction: 'up', frequency: 'quarterly', institution_id: String(dept.id) }],
  ] as const) {
    assert.equal((await ogp.c.get(`/fr/admin/plans/${OTHER}/${path}`)).status, 404, `GET ${path} through ${OTHER}`);
    assert.equal((await ogp.c.post(`/fr/admin/plans/${OTHER}/${path}`, { ...fields })).status, 404, `POST ${path} through ${OTHER}`);
  }
  assert.equal(await snapshot(), before);
  // A department cannot edit the plan.
  const staff = await as('department_staff', 'associations');
  await staff.c.get(`/fr/admin/plans/${SLUG}/commitments/${id}`);
  assert.equal((await staff.c.post(`/fr/admin/plans/${SLUG}/commitments/${id}`, { number: '4.3.1', title_fr: 'x' })).status, 403);
});
