import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, actorFor, type TestApp } from './helpers.ts';
import { can } from '../src/core/auth/roles.ts';
import { accountability } from '../src/modules/accountability/index.ts';
import { monitoring } from '../src/modules/monitoring/index.ts';
import { CHROMIUM_PATH, pdfAvailable } from '../src/modules/monitoring/pdf.ts';
import { openCycle, publishCycle } from '../src/modules/accountability/matrix.ts';
import { createCommitmentFromForm } from '../src/modules/accountability/service.ts';

let t: TestApp;
let planId: number;
let monitor: { email: string; id: number };
let ogp: { email: string; id: number };
const db = () => t.database.db as any;

before(async () => {
  t = await startApp();
  planId = (await db().selectFrom('plans').select('id').where('slug', '=', 'ogp-2023').executeTakeFirstOrThrow()).id;
  monitor = await t.user('monitor');
  ogp = await t.user('ogp_team');
});
after(async () => { await t?.close(); });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function signedIn(email: string) {
  const c = new Client(t.url);
  await c.login(email);
  return c;
}
const institutionId = async (slug: string) => (await db().selectFrom('institutions').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id as number;
const firstCommitments = async () => (await db().selectFrom('commitments').select(['id', 'number', 'parent_id']).where('plan_id', '=', planId).orderBy('sort').orderBy('id').execute()) as { id: number; number: string; parent_id: number | null }[];
const versionsOf = async (reportId: number) => db().selectFrom('monitoring_versions').select(['id', 'version', 'status']).where('report_id', '=', reportId).orderBy('version').execute();

/** The monitor writes a whole report through the forms: a section, an assessment with a file, a recommendation. */
async function writeReport(c: Client, year: number, sectionText: string) {
  await c.get('/fr/admin/monitoring');
  const created = await c.post('/fr/admin/monitoring', { plan_id: String(planId), year: String(year), title_fr: `Rapport de suivi ${year}`, title_ar: `تقرير التتبع ${year}` });
  assert.equal(created.status, 303, textOf(created.text));
  const id = Number(/\/admin\/monitoring\/(\d+)$/.exec(created.location ?? '')?.[1]);
  assert.ok(id > 0);
  await c.get(`/fr/admin/monitoring/${id}/sections/new`);
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/sections/new`, { heading_fr: 'Constats', body_fr: sectionText })).status, 303);
  const commitment = (await firstCommitments()).find((x) => x.parent_id !== null) ?? (await firstCommitments())[0];
  await c.get(`/fr/admin/monitoring/${id}/assessments/new`);
  const a = await c.postMultipart(`/fr/admin/monitoring/${id}/assessments/new`, {
    commitment_id: String(commitment.id), completion: 'completed', open_gov: 'major', justification_fr: 'Les jalons sont tenus.', links: 'https://example.org/preuve',
  }, { files: { name: 'preuve.pdf', data: PDF, type: 'application/pdf' } });
  assert.equal(a.status, 303, textOf(a.text).slice(0, 2000));
  await c.get(`/fr/admin/monitoring/${id}/recommendations/new`);
  const r = await c.post(`/fr/admin/monitoring/${id}/recommendations/new`, { body_fr: 'Publier le budget citoyen.', institution_id: String(await institutionId('budget')), addressed_to: '', priority: 'high' });
  assert.equal(r.status, 303, textOf(r.text).slice(0, 2000));
  return { id, commitment };
}

test('the monitor writes and publishes a report; the published text is frozen and corrected by a new version', async () => {
  const c = await signedIn(monitor.email);
  const { id } = await writeReport(c, 2024, 'Premier paragraphe <b>gras</b>.\n\nSecond paragraphe.');
  const anon = new Client(t.url);
  assert.equal((await anon.get(`/fr/monitoring/${id}`)).status, 404, 'a draft is not public');
  const fileId = (await db().selectFrom('monitoring_assessment_files').select('file_id').orderBy('id', 'desc').executeTakeFirstOrThrow()).file_id;
  assert.equal((await anon.get(`/fr/monitoring/files/${fileId}`)).status, 404, 'a draft’s evidence is not public');
  assert.equal((await c.get(`/fr/monitoring/files/${fileId}`)).status, 200, 'its author can open it');

  await c.get(`/fr/admin/monitoring/${id}`);
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/publish`, {})).status, 303);
  const pub = await anon.get(`/fr/monitoring/${id}`);
  assert.equal(pub.status, 200);
  assert.ok(pub.text.includes('<p dir="auto">Premier paragraphe &lt;b>gras&lt;/b>.</p><p dir="auto">Second paragraphe.</p>'), 'plain paragraphs, markup escaped');
  assert.match(textOf(pub.text), /Achevé/);
  assert.match(textOf(pub.text), /Publier le budget citoyen/);
  const file = await anon.get(`/fr/monitoring/files/${fileId}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.ok(file.text.startsWith('%PDF-1.4'));

  // Nothing of version 1 can be changed in place any more.
  const [v1] = await versionsOf(id);
  const section = await db().selectFrom('monitoring_sections').select('id').where('version_id', '=', v1.id).executeTakeFirstOrThrow();
  const rec = await db().selectFrom('monitoring_recommendations').select('id').where('version_id', '=', v1.id).executeTakeFirstOrThrow();
  const assessment = await db().selectFrom('monitoring_assessments').select('id').where('version_id', '=', v1.id).executeTakeFirstOrThrow();
  await c.get(`/fr/admin/monitoring/${id}`);
  const attempts: [string, Record<string, string>][] = [
    [`/fr/admin/monitoring/${id}/sections/${section.id}`, { heading_fr: 'Réécrit', body_fr: 'Texte réécrit' }],
    [`/fr/admin/monitoring/${id}/sections/${section.id}/delete`, {}],
    [`/fr/admin/monitoring/${id}/sections/new`, { heading_fr: 'Ajout', body_fr: 'Ajout après publication' }],
    [`/fr/admin/monitoring/${id}/title`, { title_fr: 'Titre réécrit' }],
    [`/fr/admin/monitoring/${id}/recommendations/${rec.id}`, { body_fr: 'Réécrite', institution_id: '', addressed_to: 'Tous', priority: 'low' }],
    [`/fr/admin/monitoring/${id}/assessments/${assessment.id}/delete`, {}],
    [`/fr/admin/monitoring/${id}/publish`, {}],
  ];
  for (const [path, fields] of attempts) {
    const r = await c.post(path, fields);
    assert.equal(r.status, 422, `${path} refused`);
  }
  assert.equal((await c.get(`/fr/admin/monitoring/${id}/sections/${section.id}`)).status, 422);
  const after = textOf((await anon.get(`/fr/monitoring/${id}`)).text);
  assert.ok(after.includes('Premier paragraphe') && !after.includes('réécrit') && !after.includes('Ajout après publication'));
  assert.match(after, /Rapport de suivi 2024/);

  // A correction: a new version with its reason, edited, then published; version 1 stays readable.
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/correction`, { note_fr: '' })).status, 400, 'a correction needs its reason');
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/correction`, { note_fr: 'Coquille dans les constats.' })).status, 303);
  const versions = await versionsOf(id);
  assert.deepEqual(versions.map((v: any) => [v.version, v.status]), [[1, 'published'], [2, 'draft']]);
  const s2 = await db().selectFrom('monitoring_sections').select('id').where('version_id', '=', versions[1].id).executeTakeFirstOrThrow();
  await c.get(`/fr/admin/monitoring/${id}/sections/${s2.id}`);
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/sections/${s2.id}`, { heading_fr: 'Constats', body_fr: 'Paragraphe corrigé.' })).status, 303);
  assert.equal(textOf((await anon.get(`/fr/monitoring/${id}`)).text).includes('Paragraphe corrigé'), false, 'the draft correction is not public yet');
  assert.equal((await c.post(`/fr/admin/monitoring/${id}/publish`, {})).status, 303);
  const v2 = textOf((await anon.get(`/fr/monitoring/${id}`)).text);
  assert.match(v2, /Paragraphe corrigé/);
  assert.match(v2, /Coquille dans les constats/);
  assert.match(v2, /Historique des versions/);
  const old = textOf((await anon.get(`/fr/monitoring/${id}?version=1`)).text);
  assert.match(old, /Premier paragraphe/);
  assert.match(old, /la version en vigueur est la version 2/);
  // The evidence file followed the assessment into version 2.
  assert.equal(textOf((await anon.get(`/fr/monitoring/${id}`)).text).includes('preuve.pdf'), true);

  const actions = (await db().selectFrom('audit_log').select('action').where('entity', '=', 'monitoring_report').where('entity_id', '=', String(id)).orderBy('id').execute()).map((r: any) => r.action);
  assert.deepEqual(actions.filter((a: string) => ['monitoring.create', 'monitoring.publish', 'monitoring.correction'].includes(a)),
    ['monitoring.create', 'monitoring.publish', 'monitoring.correction', 'monitoring.publish']);
});

test('only the monitor (and the administrator) may write or publish a report: every other role gets 403', async () => {
  const c = await signedIn(monitor.email);
  await c.get('/fr/admin/monitoring');
  const created = await c.post('/fr/admin/monitoring', { plan_id: String(planId), year: '2023', title_fr: 'Brouillon 2023' });
  const id = Number(/(\d+)$/.exec(created.location ?? '')?.[1]);
  await c.post(`/fr/admin/monitoring/${id}/sections/new`, { heading_fr: 'Intro', body_fr: 'Texte' });
  const reportsBefore = (await db().selectFrom('monitoring_reports').select('id').execute()).length;

  const roles: [string, string?][] = [['citizen'], ['counter_agent'], ['department_staff', 'travaux'], ['operator_staff', 'operateur-proprete'], ['ogp_team'], ['steering_member'], ['moderator'], ['mediator']];
  for (const [role, inst] of roles) {
    const u = await t.user(role, inst);
    const other = await signedIn(u.email);
    assert.equal((await other.get('/fr/admin/monitoring')).status, 403, `${role}: list`);
    assert.equal((await other.get(`/fr/admin/monitoring/${id}`)).status, 403, `${role}: editor`);
    await other.get('/fr/');
    assert.equal((await other.post('/fr/admin/monitoring', { plan_id: String(planId), year: '2022', title_fr: 'Pirate' })).status, 403, `${role}: create`);
    assert.equal((await other.post(`/fr/admin/monitoring/${id}/sections/new`, { heading_fr: 'x', body_fr: 'y' })).status, 403, `${role}: section`);
    assert.equal((await other.post(`/fr/admin/monitoring/${id}/publish`, {})).status, 403, `${role}: publish`);
  }
  assert.equal((await db().selectFrom('monitoring_reports').select('id').execute()).length, reportsBefore);
  assert.deepEqual((await versionsOf(id)).map((v: any) => v.status), ['draft']);
  assert.equal((await db().selectFrom('monitoring_sections').select('id').where('version_id', '=', (await versionsOf(id))[0].id).execute()).length, 1);
  // The administrator holds every permission.
  const admin = await signedIn((await t.user('admin')).email);
  await admin.get(`/fr/admin/monitoring/${id}`);
  assert.equal((await admin.post(`/fr/admin/monitoring/${id}/publish`, {})).status, 303);
});

test('the monitor holds no permission of the accountability matrix and its service functions refuse it', async () => {
  const actor = await actorFor(t, monitor.id, monitor.email);
  const perms = Object.keys(accountability.permissions ?? {});
  assert.ok(perms.length > 0);
  for (const p of perms) {
    // Reading (internal evidence included) is allowed; nothing that changes the matrix is.
    if (/(^|\.)(read|view)/i.test(p)) continue;
    assert.equal(can(actor, p), false, `the monitor must not hold ${p}`);
  }
  // The monitor's own permissions are the report's, not the commune's answers.
  assert.equal(can(actor, 'monitoring.write'), true);
  assert.equal(can(actor, 'monitoring.respond'), false);
  assert.equal(can(actor, 'monitoring.endAssessment'), false);
  assert.deepEqual(Object.entries(monitoring.permissions ?? {}).filter(([, roles]) => roles.includes('monitor')).map(([p]) => p), ['monitoring.write']);
  // The matrix's own service functions refuse the monitor before touching anything.
  const ctx = await t.ctx(actor);
  const refused = (e: any) => e?.status === 403;
  await assert.rejects(openCycle(ctx, 'ogp-2023', { code: '2031-S1', due_date: '2031-07-15' }), refused, 'open a reporting cycle');
  await assert.rejects(publishCycle(ctx, 'ogp-2023', '2031-S1'), refused, 'publish a cycle');
  await assert.rejects(createCommitmentFromForm(ctx, 'ogp-2023', { number: '9.9', title_fr: 'Engagement pirate' }), refused, 'add a commitment');
  assert.equal(await db().selectFrom('commitments').select('id').where('number', '=', '9.9').executeTakeFirst(), undefined);
});

test('the commune answers each recommendation and tracks it; the public page shows the answer and its status', async () => {
  const writer = await signedIn(monitor.email);
  const { id } = await writeReport(writer, 2022, 'Constats 2022.');
  await writer.get(`/fr/admin/monitoring/${id}`);
  assert.equal((await writer.post(`/fr/admin/monitoring/${id}/publish`, {})).status, 303);

  const c = await signedIn(ogp.email);
  const list = await c.get('/fr/admin/monitoring/responses');
  assert.equal(list.status, 200);
  assert.match(textOf(list.text), /Pas encore de réponse/);
  const page = `/fr/admin/monitoring/${id}/answers/1`;
  assert.equal((await c.get(page)).status, 200);
  const noOwner = await c.post(page, { decision: 'accepted', measure_fr: 'Budget citoyen bilingue', owner_institution_id: '', due_date: '2027-03-31', status: 'planned' });
  assert.equal(noOwner.status, 422);
  assert.match(noOwner.text, /name="measure_fr"[^>]*>Budget citoyen bilingue</, 'the input is kept');
  const ok = await c.post(page, { decision: 'accepted', measure_fr: 'Budget citoyen bilingue lu en réunion publique', owner_institution_id: String(await institutionId('budget')), due_date: '2027-03-31', status: 'planned' });
  assert.equal(ok.status, 303);
  await c.get(page);
  assert.equal((await c.post(`${page}/updates`, { on_date: '2027-01-15', status: 'in_progress', note_fr: 'Maquette prête' })).status, 303);
  await c.get(page);
  assert.equal((await c.post(`${page}/updates`, { on_date: '2027-03-01', status: 'done', note_fr: 'Présenté au forum' })).status, 303);

  const pub = textOf((await new Client(t.url).get(`/fr/monitoring/${id}`)).text);
  for (const s of ['Réponse de la commune', 'Acceptée', 'Réalisée', 'Budget citoyen bilingue lu en réunion publique', 'Direction du budget', 'Maquette prête', 'Présenté au forum']) {
    assert.ok(pub.includes(s), `public page shows “${s}”`);
  }
  const ar = textOf((await new Client(t.url).get(`/ar/monitoring/${id}`)).text);
  assert.ok(ar.includes('مقبولة') && ar.includes('منجزة'), 'and in Arabic');
  const row = await db().selectFrom('monitoring_responses').select(['status', 'decision']).where('report_id', '=', id).where('number', '=', 1).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'done', decision: 'accepted' });

  // The monitor does not answer for the commune.
  await writer.get('/fr/');
  assert.equal((await writer.post(page, { decision: 'rejected', measure_fr: 'Non' })).status, 403);
  const audit = (await db().selectFrom('audit_log').select('action').where('entity', '=', 'monitoring_recommendation').where('entity_id', '=', `${id}:1`).orderBy('id').execute()).map((r: any) => r.action);
  assert.deepEqual(audit, ['monitoring.answer', 'monitoring.answer_update', 'monitoring.answer_update']);
});

test('end-of-commitment assessment: a completed commitment only, up to three evidence files, by the OGP team', async () => {
  const demoReport = (await db().selectFrom('monitoring_reports').select('id').where('year', '=', 2025).executeTakeFirstOrThrow()).id;
  const completed = (await db().selectFrom('monitoring_assessments as a').innerJoin('monitoring_versions as v', 'v.id', 'a.version_id')
    .select(['a.commitment_id', 'a.completion']).where('v.report_id', '=', demoReport).execute()) as { commitment_id: number; completion: string }[];
  const done = completed.find((a) => a.completion === 'completed')!;
  const limited = completed.find((a) => a.completion === 'limited')!;
  const c = await signedIn(ogp.email);
  const list = await c.get('/fr/admin/monitoring/end-assessments');
  assert.equal(list.status, 200);
  const url = `/fr/admin/monitoring/end-assessments/${done.commitment_id}`;
  await c.get(url);
  const four = await c.postMultipart(url, { open_gov: 'outstanding', justification_fr: 'Ouverture nette.' }, {
    files: [1, 2, 3].map((i) => ({ name: `preuve-${i}.pdf`, data: PDF, type: 'application/pdf' })),
  });
  // The demo assessment has no file: three new ones are accepted…
  assert.equal(four.status, 303, textOf(four.text).slice(0, 1500));
  await c.get(url);
  // …a fourth is not.
  const more = await c.postMultipart(url, { open_gov: 'outstanding', justification_fr: 'Encore une preuve.' }, { files: { name: 'preuve-4.pdf', data: PDF, type: 'application/pdf' } });
  assert.equal(more.status, 422);
  assert.match(textOf(more.text), /3 fichiers au plus/);
  const notAPdf = await c.postMultipart(url, { open_gov: 'outstanding', justification_fr: 'x' }, { files: { name: 'virus.pdf', data: Buffer.from('MZ not a pdf'), type: 'application/pdf' } });
  assert.equal(notAPdf.status, 422, 'the type is checked by content');

  await c.get(`/fr/admin/monitoring/end-assessments/${limited.commitment_id}`);
  assert.equal((await c.post(`/fr/admin/monitoring/end-assessments/${limited.commitment_id}`, { open_gov: 'major', justification_fr: 'Trop tôt' })).status, 422, 'not completed');

  const pub = await new Client(t.url).get('/fr/plans/ogp-2023/monitoring');
  assert.equal(pub.status, 200);
  const text = textOf(pub.text);
  assert.ok(text.includes('Exceptionnel') && text.includes('Ouverture nette.') && text.includes('preuve-3.pdf'));
  const files = await db().selectFrom('monitoring_end_assessment_files').select('file_id').execute();
  assert.equal(files.length, 3);
  assert.equal((await new Client(t.url).get(`/fr/monitoring/files/${files[0].file_id}`)).status, 200);

  const m = await signedIn(monitor.email);
  assert.equal((await m.get(url)).status, 403, 'the monitor does not fill the commune’s assessment');
});

test('the report as PDF (Chromium) or, without Chromium, how to print it', async (tc) => {
  const id = (await db().selectFrom('monitoring_reports').select('id').where('year', '=', 2025).executeTakeFirstOrThrow()).id;
  const res = await fetch(`${t.url}/fr/monitoring/${id}.pdf`);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200);
  if (pdfAvailable()) {
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(body.length > 5000);
  } else {
    tc.diagnostic(`Chromium not found at ${CHROMIUM_PATH}: PDF assertion skipped`);
    assert.match(textOf(body.toString()), /Enregistrer au format PDF/);
  }
  // The print version leaves out the comment form.
  const print = await new Client(t.url).get(`/fr/monitoring/${id}?print=1`);
  assert.equal(print.status, 200);
  assert.doesNotMatch(print.text, /name="comment_body"/);
  assert.match((await new Client(t.url).get(`/fr/monitoring/${id}`)).text, /name="comment_body"/);
  assert.equal((await new Client(t.url).get(`/fr/monitoring/999999.pdf`)).status, 404);
});

test('every monitoring page answers 200 in French and Arabic for those who may see it', async () => {
  const id = (await db().selectFrom('monitoring_reports').select('id').where('year', '=', 2025).executeTakeFirstOrThrow()).id;
  const commitment = (await db().selectFrom('monitoring_end_assessments').select('commitment_id').executeTakeFirstOrThrow()).commitment_id;
  const draft = await signedIn(monitor.email);
  await draft.get('/fr/admin/monitoring');
  const created = await draft.post('/fr/admin/monitoring', { plan_id: String(planId), year: '2021', title_fr: 'Brouillon 2021' });
  const draftId = Number(/(\d+)$/.exec(created.location ?? '')?.[1]);
  const pages: [Client, string][] = [
    [new Client(t.url), '/plans/ogp-2023/monitoring'], [new Client(t.url), `/monitoring/${id}`], [new Client(t.url), `/monitoring/${id}?version=1`],
    [draft, '/admin/monitoring'], [draft, `/admin/monitoring/${id}`], [draft, `/admin/monitoring/${id}/preview`], [draft, `/admin/monitoring/${draftId}`],
    [draft, `/admin/monitoring/${draftId}/sections/new`], [draft, `/admin/monitoring/${draftId}/assessments/new`], [draft, `/admin/monitoring/${draftId}/recommendations/new`],
    [await signedIn(ogp.email), '/admin/monitoring/responses'], [await signedIn(ogp.email), `/admin/monitoring/${id}/answers/1`],
    [await signedIn(ogp.email), '/admin/monitoring/end-assessments'], [await signedIn(ogp.email), `/admin/monitoring/end-assessments/${commitment}`],
  ];
  for (const [c, p] of pages) {
    for (const locale of ['fr', 'ar']) {
      const r = await c.get(`/${locale}${p}`);
      assert.equal(r.status, 200, `/${locale}${p}`);
      assert.match(r.text, new RegExp(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`));
      assert.equal((r.text.match(/<h1[ >]/g) ?? []).length, 1, `/${locale}${p}: one h1`);
      assert.doesNotMatch(r.text, / style="/);
    }
  }
  const ar = textOf((await new Client(t.url).get(`/ar/monitoring/${id}`)).text);
  assert.match(ar, /التوصيات/);
  assert.match(ar, /تقرير التتبع السنوي 2025/);
});
