import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { parseFeed } from '@rowanmanning/feed-parser';
import { startApp, Client, textOf, type TestApp } from './helpers.ts';
import { documentKindOf, checkDocumentFile, looksLikeCsv } from '../src/modules/transparency/documents/files.ts';
import { samplePdf, sampleDocx, sampleOdt, sampleXlsx } from '../src/modules/transparency/samples.ts';
import { contentDisposition } from '../src/modules/transparency/documents/routes.tsx';
import * as docs from '../src/modules/transparency/documents/service.ts';
import { storeDocument, publishedDocument, documentsLinkedTo } from '../src/modules/transparency/documents/api.ts';
import { registerItems, createItem, cutoffs } from '../src/modules/transparency/register/service.ts';
import { runDueJobs } from '../src/core/jobs/index.ts';
import { storagePath } from '../src/core/files/index.ts';
import { extractText } from '../src/modules/transparency/documents/files.ts';
import { searchDocs } from '../src/core/search/index.ts';
import { tdb } from '../src/modules/transparency/db.ts';
import { RuleError } from '../src/core/http/errors.ts';
import { zipSync, strToU8 } from 'fflate';
import type { Ctx } from '../src/core/service.ts';

// ---------- Files, on their own ----------

describe('document files are checked by content', () => {
  test('PDF, DOCX, ODT, XLSX, CSV and images are recognised from their bytes', () => {
    assert.equal(documentKindOf(samplePdf({ title: 'x' })), 'pdf');
    assert.equal(documentKindOf(sampleDocx(['x'])), 'docx');
    assert.equal(documentKindOf(sampleOdt(['x'])), 'odt');
    assert.equal(documentKindOf(sampleXlsx([['a', 'b']])), 'xlsx');
    assert.equal(documentKindOf(Buffer.from('nom;montant\nvoirie;12\n')), 'csv');
    assert.equal(documentKindOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])), 'png');
  });
  test('a zip that only pretends to be DOCX, an executable, plain prose and binary junk are refused', () => {
    const fakeDocx = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/readme.txt': strToU8('x') }));
    assert.equal(documentKindOf(fakeDocx), null);
    const fakeOdt = Buffer.from(zipSync({ mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }] }));
    assert.equal(documentKindOf(fakeOdt), null);
    assert.equal(documentKindOf(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')), null);
    assert.equal(looksLikeCsv(Buffer.from('Bonjour, voici un texte.\nIl ne forme pas un tableau\n')), false);
    assert.equal(documentKindOf(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02])), null);
  });
  test('a name that claims another type than the content is refused with a message naming both', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    assert.throws(() => checkDocumentFile({ bytes: png, name: 'budget.pdf' }, 1e6), (e: unknown) => e instanceof RuleError && e.messageKey === 'transparency.errors.fileMismatch' && (e.params as any).actual === 'PNG');
    assert.throws(() => checkDocumentFile({ bytes: samplePdf({ title: 'x' }), name: 'x.pdf', type: 'docx' }, 1e6), (e: unknown) => e instanceof RuleError && e.messageKey === 'transparency.errors.fileMismatch');
    assert.throws(() => checkDocumentFile({ bytes: Buffer.alloc(0), name: 'x.pdf' }, 1e6), (e: unknown) => e instanceof RuleError && e.messageKey === 'errors.fileEmpty');
    assert.throws(() => checkDocumentFile({ bytes: samplePdf({ title: 'x' }), name: 'x.pdf' }, 100), (e: unknown) => e instanceof RuleError && e.messageKey === 'errors.fileTooLarge');
    // A name without an extension gets the content's.
    assert.equal(checkDocumentFile({ bytes: samplePdf({ title: 'x' }), name: 'ميزانية' }, 1e6).name, 'ميزانية.pdf');
  });
  test('Content-Disposition carries an ASCII fallback and the original (Arabic) name, RFC 6266', () => {
    const h = contentDisposition('attachment', 'ميزانية 2026 (v2).pdf');
    assert.match(h, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const encoded = h.split("filename*=UTF-8''")[1];
    assert.equal(decodeURIComponent(encoded), 'ميزانية 2026 (v2).pdf');
    assert.doesNotMatch(encoded, /[()' ]/);
  });
});

// ---------- Through the application ----------

let t: TestApp;
let admin: Client;
let ogp: Client;
let works: Client; // department staff of `travaux`
let citizen: Client;
let sys: Ctx;
const anon = () => new Client(t.url);
const db = () => tdb(t.database.db);

async function runJobs() { while ((await t.app.runJobs()) > 0) { /* until none is due */ } }
async function docByRef(ref: string) {
  return db().selectFrom('documents').selectAll().where('commune_id', '=', t.commune.id).where('ref', '=', ref).executeTakeFirstOrThrow();
}
async function search(q: string, kind = 'document', locale = 'fr') {
  const r = await anon().get(`/api/search.json?q=${encodeURIComponent(q)}&kind=${kind}`);
  assert.equal(r.status, 200);
  return (JSON.parse(r.text).results as { key: string; path: string }[]).map((x) => x.key);
}
async function upload(c: Client, fields: Record<string, string>, file: { name: string; data: Buffer; type?: string }) {
  await c.get('/fr/admin/documents');
  return c.postMultipart('/fr/admin/documents', { kind: 'report', language: 'fr', title_fr: 'Rapport', ...fields }, { file });
}

before(async () => {
  t = await startApp();
  sys = await t.ctx();
  admin = new Client(t.url);
  await admin.login('admin@tetouan.local', t.adminPassword);
  for (const [role, inst] of [['ogp_team'], ['department_staff', 'travaux'], ['citizen']] as [string, string?][]) {
    const { email } = await t.user(role, inst);
    const c = new Client(t.url);
    await c.login(email);
    if (role === 'ogp_team') ogp = c; else if (role === 'citizen') citizen = c; else works = c;
  }
});
after(async () => { await t.close(); });

test('upload → draft (staff only) → publish → listed, searchable by its extracted text, downloadable with the right headers', async () => {
  const pdf = samplePdf({ title: 'Rapport annuel sur la qualite de l eau potable', lines: ['Analyses bacteriologiques des fontaines publiques de la medina.'] });
  const r = await upload(ogp, { title_fr: 'Qualité de l’eau potable', title_ar: 'جودة الماء الصالح للشرب', year: '2026', institution_id: '' }, { name: 'qualité-eau.pdf', data: pdf, type: 'application/pdf' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.location!.split('/').pop());
  const row = await db().selectFrom('documents').selectAll().where('commune_id', '=', t.commune.id).where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'draft');
  assert.match(row.ref, /^DOC-\d{4}-\d{6}$/);
  // A draft is nowhere in public.
  assert.equal((await anon().get(`/fr/documents/${row.ref}`)).status, 404);
  assert.equal(await publishedDocument(sys, id), undefined);
  await runJobs();
  assert.deepEqual(await search('bacteriologiques fontaines'), []);
  // Publish.
  await ogp.get(`/fr/admin/documents/${id}`);
  assert.equal((await ogp.post(`/fr/admin/documents/${id}/publish`, {})).status, 303);
  const page = await anon().get(`/fr/documents/${row.ref}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Qualité de l’eau potable/);
  const list = await anon().get('/fr/documents');
  assert.match(list.text, new RegExp(`/fr/documents/${row.ref}`));
  // Extracted text found by the search (accents folded: "bactériologiques" finds "bacteriologiques").
  assert.deepEqual(await search('bactériologiques fontaines'), [row.ref]);
  const fileRow = await db().selectFrom('document_files').select(['id', 'text_status']).where('commune_id', '=', t.commune.id).where('document_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(fileRow.text_status, 'done');
  const dl = await anon().get(`/fr/documents/${row.ref}/files/${fileRow.id}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.match(dl.headers.get('content-disposition')!, /^inline; filename="qualite-eau\.pdf"; filename\*=UTF-8''qualit%C3%A9-eau\.pdf$/);
  assert.match(dl.headers.get('cache-control')!, /public, max-age=\d+/);
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(dl.text.startsWith('%PDF-'));
  // The audit log has the upload and the publication.
  const actions = (await db().selectFrom('audit_log').select('action').where('commune_id', '=', t.commune.id).where('entity_id', '=', row.ref).execute()).map((a) => a.action);
  assert.ok(actions.includes('document.create') && actions.includes('document.publish'), actions.join());
});

test('refused files: a clear translated message beside the field, the form re-rendered with the input, nothing stored', async () => {
  const before = (await db().selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).n;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  let r = await upload(ogp, { title_fr: 'Titre gardé 42' }, { name: 'faux.pdf', data: png, type: 'application/pdf' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /ne correspond pas à son type : son contenu est du PNG/);
  assert.match(r.text, /value="Titre gardé 42"/);
  r = await upload(ogp, {}, { name: 'x.exe', data: Buffer.from('MZ\x90\x00\x03', 'latin1') });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /n’est pas d’un type accepté/);
  await ogp.get('/ar/admin/documents');
  r = await ogp.postMultipart('/ar/admin/documents', { kind: 'report', language: 'fr', title_fr: 'x' }, { file: { name: 'x.docx', data: Buffer.from(zipSync({ 'a.txt': strToU8('x') })) } });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /ليس من نوع مقبول/);
  // No file at all, and a missing title: both fields named.
  await ogp.get('/fr/admin/documents');
  r = await ogp.postMultipart('/fr/admin/documents', { kind: 'report', language: 'fr', title_fr: '' }, {});
  assert.equal(r.status, 400);
  const after = (await db().selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).n;
  assert.equal(Number(after), Number(before));
});

test('the size limit is a setting', async () => {
  await t.database.db.insertInto('settings').values({ key: 'transparency.max_file_mb', value: '0.001' }).execute();
  try {
    const r = await upload(ogp, {}, { name: 'gros.pdf', data: samplePdf({ title: 'x'.repeat(2000) }) });
    assert.equal(r.status, 422);
    assert.match(textOf(r.text), /Le fichier dépasse/);
  } finally {
    await t.database.db.deleteFrom('settings').where('key', '=', 'transparency.max_file_mb').execute();
  }
});

test('a corrected version supersedes; the old one stays listed as superseded; a language version is added beside', async () => {
  const id = await docs.createDocument(sys, { kind: 'study', title: { fr: 'Étude de stationnement' }, language: 'fr', publish: true, file: { bytes: samplePdf({ title: 'Etude v1 stationnement' }), name: 'etude.pdf' } });
  const fixed = await docs.addDocumentFile(sys, id, { language: 'fr', file: { bytes: samplePdf({ title: 'Etude v2 stationnement corrigee' }), name: 'etude-v2.pdf' }, note: 'Tableau corrigé' });
  await docs.addDocumentFile(sys, id, { language: 'ar', file: { bytes: samplePdf({ title: 'ar', hidden: 'دراسة مواقف السيارات' }), name: 'دراسة.pdf' } });
  const d = await docs.getAdminDocument(sys, id);
  const fr = d.files.filter((f) => f.language === 'fr').sort((a, b) => a.version - b.version);
  assert.deepEqual(fr.map((f) => [f.version, f.superseded]), [[1, true], [2, false]]);
  assert.equal(fr[1].id, fixed);
  assert.equal(d.files.find((f) => f.language === 'ar')!.version, 1);
  const page = textOf((await anon().get(`/fr/documents/${d.doc.ref}`)).text);
  assert.match(page, /v1 remplacée/);
  assert.match(page, /v2 en vigueur/);
  assert.match(page, /Tableau corrigé/);
  // The public view gives the current file of each language.
  const pub = (await publishedDocument(sys, id))!;
  assert.deepEqual(pub.languages.sort(), ['ar', 'fr']);
  assert.equal(pub.files.find((f) => f.language === 'fr')!.name, 'etude-v2.pdf');
  // The Arabic name reaches the browser intact.
  const arFile = d.files.find((f) => f.language === 'ar')!;
  const dl = await anon().get(`/fr${arFile.path}`);
  assert.equal(decodeURIComponent(dl.headers.get('content-disposition')!.split("UTF-8''")[1]), 'دراسة.pdf');
  await runJobs();
  // Search reads the current text only: v1's words are gone, v2's and the Arabic file's are in.
  assert.deepEqual(await search('corrigee stationnement'), [d.doc.ref]);
  assert.deepEqual(await search('مواقف السيارات'), [d.doc.ref]);
});

test('withdraw: listed with its reason, file no longer served (410), out of search, feed and exports', async () => {
  const id = await docs.createDocument(sys, { kind: 'report', title: { fr: 'Rapport retiré' }, language: 'fr', publish: true, file: { bytes: samplePdf({ title: 'Rapport zanzibarite unique' }), name: 'r.pdf' } });
  await runJobs();
  const d = await docs.getAdminDocument(sys, id);
  assert.deepEqual(await search('zanzibarite'), [d.doc.ref]);
  // Without a reason: refused, with the message beside the field.
  await ogp.get(`/fr/admin/documents/${id}`);
  let r = await ogp.post(`/fr/admin/documents/${id}/withdraw`, { reason: '' });
  assert.equal(r.status, 400);
  r = await ogp.post(`/fr/admin/documents/${id}/withdraw`, { reason: 'Données personnelles publiées par erreur' });
  assert.equal(r.status, 303);
  const page = await anon().get(`/fr/documents/${d.doc.ref}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Motif du retrait : Données personnelles publiées par erreur/);
  assert.doesNotMatch(page.text, new RegExp(`/files/${d.files[0].id}`));
  assert.equal((await anon().get(`/fr/documents/${d.doc.ref}/files/${d.files[0].id}`)).status, 410);
  assert.deepEqual(await search('zanzibarite'), []);
  assert.doesNotMatch((await anon().get('/fr/documents.atom')).text, new RegExp(d.doc.ref));
  const json = JSON.parse((await anon().get('/api/documents.json')).text);
  const entry = json.documents.find((x: any) => x.reference === d.doc.ref);
  assert.equal(entry.status, 'withdrawn');
  assert.deepEqual(entry.files, []);
  assert.equal(await publishedDocument(sys, id), undefined);
});

test('embargo: not public, searchable, in feeds or exports until its date; then all of them, through the job', async () => {
  const now = new Date();
  const until = new Date(now.getTime() + 3 * 86_400_000).toISOString();
  const id = await docs.createDocument(sys, {
    kind: 'budget', title: { fr: 'Budget sous embargo' }, language: 'fr', publish: true, embargoUntil: until,
    file: { bytes: samplePdf({ title: 'Budget quetzalcoatl embargo' }), name: 'b.pdf' },
  });
  await runJobs();
  const d = await docs.getAdminDocument(sys, id);
  assert.equal(d.doc.isPublic, false);
  assert.equal((await anon().get(`/fr/documents/${d.doc.ref}`)).status, 404);
  assert.equal((await anon().get(`/fr/documents/${d.doc.ref}/files/${d.files[0].id}`)).status, 404);
  assert.deepEqual(await search('quetzalcoatl'), []);
  for (const p of ['/fr/documents', '/fr/documents.atom', '/fr/documents.csv', '/api/documents.json']) assert.doesNotMatch((await anon().get(p)).text, new RegExp(d.doc.ref), p);
  // The staff page says it.
  assert.match(textOf((await ogp.get(`/fr/admin/documents/${id}`)).text), /Sous embargo/);
  // Three days later (the clock of a service context, and the job runner's), the embargo job lets it in.
  const later = new Date(now.getTime() + 4 * 86_400_000);
  const ctxLater: Ctx = { ...sys, clock: { now: () => later } };
  assert.equal((await publishedDocument(ctxLater, id))?.title.fr, 'Budget sous embargo');
  await runDueJobs(t.database.db, { handlers: { [docs.EMBARGO_JOB]: (c, p) => docs.liftEmbargo({ ...c, clock: { now: () => later } }, p) }, ctxFor: async () => ctxLater, now: () => later });
  const hits = await searchDocs(t.database.db, t.commune.id, { text: 'quetzalcoatl', page: 1, kinds: ['document'] });
  assert.deepEqual(hits.rows.map((h) => h.key), [d.doc.ref]);
});

test('scoped: department staff upload for their own department only, and see only its documents', async () => {
  const insts = await t.database.db.selectFrom('institutions').select(['id', 'slug']).where('commune_id', '=', t.commune.id).execute();
  const travaux = insts.find((i) => i.slug === 'travaux')!.id;
  const budget = insts.find((i) => i.slug === 'budget')!.id;
  let r = await upload(works, { institution_id: String(budget), title_fr: 'Pas mon service' }, { name: 'a.pdf', data: samplePdf({ title: 'a' }) });
  assert.equal(r.status, 403);
  r = await upload(works, { institution_id: String(travaux), title_fr: 'Avis de travaux' }, { name: 'a.pdf', data: samplePdf({ title: 'a' }) });
  assert.equal(r.status, 303);
  const budgetDoc = await db().selectFrom('documents').select('id').where('commune_id', '=', t.commune.id).where('institution_id', '=', budget).limit(1).executeTakeFirstOrThrow();
  assert.equal((await works.get(`/fr/admin/documents/${budgetDoc.id}`)).status, 403);
  const list = textOf((await works.get('/fr/admin/documents')).text);
  assert.match(list, /Avis de travaux/);
  assert.doesNotMatch(list, /Budget de la commune/);
  // Others: a citizen 403, an anonymous visitor to the login page.
  assert.equal((await citizen.get('/fr/admin/documents')).status, 403);
  const a = await anon().get('/fr/admin/documents');
  assert.equal(a.status, 303);
  assert.match(a.location!, /\/fr\/login/);
  assert.equal((await citizen.get('/fr/admin/council')).status, 403);
  assert.equal((await works.get('/fr/admin/transparency/register')).status, 403);
  assert.equal((await works.get('/fr/admin/transparency/due')).status, 200);
});

test('the public list filters by kind, year, department and language, paginated', async () => {
  const c = anon();
  const budgets = textOf((await c.get('/fr/documents?kind=budget')).text);
  assert.match(budgets, /Budget de la commune/);
  assert.doesNotMatch(budgets, /Guide des procédures administratives/);
  const ar = await c.get('/fr/documents?language=ar');
  assert.match(textOf(ar.text), /Ordre du jour de la session extraordinaire/);
  assert.doesNotMatch(textOf(ar.text), /Guide des procédures administratives/);
  const dep = textOf((await c.get('/fr/documents?department=informatique')).text);
  assert.match(dep, /Guide des procédures administratives/);
  assert.doesNotMatch(dep, /Budget de la commune/);
  const year = new Date().getUTCFullYear();
  assert.doesNotMatch(textOf((await c.get(`/fr/documents?year=${year - 2}`)).text), /Budget de la commune/);
  // Odd filters are not errors.
  for (const q of ['?kind=nope', '?year=abcd', '?department=nowhere', '?language=xx', '?page=99999']) assert.equal((await c.get(`/fr/documents${q}`)).status, 200, q);
  assert.match(textOf((await c.get('/fr/documents?department=nowhere')).text), /0 document/);
});

test('a scanned PDF has no text: marked so, still published', async () => {
  const doc = await db().selectFrom('documents').select(['id', 'ref', 'status']).where('commune_id', '=', t.commune.id).where('kind', '=', 'procedure').executeTakeFirstOrThrow();
  const f = await db().selectFrom('document_files').select('text_status').where('commune_id', '=', t.commune.id).where('document_id', '=', doc.id).executeTakeFirstOrThrow();
  assert.equal(f.text_status, 'none');
  const page = await anon().get(`/fr/documents/${doc.ref}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /sans texte \(document numérisé\)/);
});

test('the demo documents are found by their extracted text in French and Arabic; the Arabic normalised (tashkeel, ta marbuta)', async () => {
  const year = new Date().getUTCFullYear();
  const budget = await db().selectFrom('documents').select('ref').where('commune_id', '=', t.commune.id).where('kind', '=', 'budget').where('year', '=', year).executeTakeFirstOrThrow();
  for (const q of ['programme equipement', 'المداخيل', 'ميزانيه جماعه تطوان', 'ميزانيّة']) {
    const hits = await search(q);
    assert.ok(hits.includes(budget.ref), `${q}: ${hits.join(' ')}`);
  }
  // DOCX and ODT texts.
  assert.equal((await search('charte accès information')).length, 1);
  assert.equal((await search('légalisation signature')).length, 1);
  // Withdrawn and embargoed demo documents: never.
  assert.deepEqual(await search('comptages trafic'), []);
  assert.deepEqual(await search('présentation au conseil embargo'), []);
});

test('the Atom feed parses and lists the newest public documents', async () => {
  const r = await anon().get('/fr/documents.atom');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /application\/atom\+xml/);
  const feed = parseFeed(r.text);
  assert.ok(feed.items.length >= 5);
  assert.ok(feed.items.some((i) => i.title === `Budget de la commune ${new Date().getUTCFullYear()}`));
  assert.ok(feed.items.every((i) => i.url?.includes('/fr/documents/DOC-')));
  assert.ok(!feed.items.some((i) => /Étude de mobilité|Projet de budget/.test(i.title ?? '')));
});

describe('register', () => {
  test('statuses on fixed dates: missing, published while within the frequency, then out of date; a "once" item never expires', async () => {
    const code = `test-q-${Date.now()}`;
    const itemId = await createItem(sys, { code, title: { fr: 'Élément trimestriel de test' }, description: {}, institutionId: null, frequency: 'quarterly', sort: 999 });
    const onceId = await createItem(sys, { code: `${code}-once`, title: { fr: 'Élément permanent' }, description: {}, institutionId: null, frequency: 'once', sort: 999 });
    const at = (s: string) => new Date(s);
    const status = async (id: number, when: string) => (await registerItems(sys, at(when))).find((i) => i.id === id)!.status;
    assert.equal(await status(itemId, '2026-03-01T00:00:00Z'), 'missing');
    for (const target of [itemId, onceId]) {
      const id = await docs.createDocument(sys, { kind: 'report', title: { fr: 'Pièce' }, language: 'fr', publish: true, file: { bytes: samplePdf({ title: `piece ${target}` }), name: 'p.pdf' }, links: [{ type: 'register_item', id: target }] });
      await db().updateTable('documents').set({ published_at: '2026-01-15T10:00:00.000Z' }).where('commune_id', '=', t.commune.id).where('id', '=', id).execute();
    }
    assert.equal(await status(itemId, '2026-01-01T00:00:00Z'), 'missing'); // not yet published then
    assert.equal(await status(itemId, '2026-03-01T00:00:00Z'), 'published');
    assert.equal(await status(itemId, '2026-04-15T09:00:00Z'), 'published');
    assert.equal(await status(itemId, '2026-04-15T11:00:00Z'), 'out_of_date');
    assert.equal(await status(onceId, '2030-01-01T00:00:00Z'), 'published');
    assert.equal(cutoffs(at('2026-04-15T11:00:00Z')).quarterly, '2026-01-15T11:00:00.000Z');
  });

  test('the demo register has mixed statuses; the compliance page draws them (SVG and table) in FR and AR; the staff page lists what is due', async () => {
    const items = await registerItems(sys);
    const demo = items.filter((i) => i.code.startsWith('art10-'));
    assert.equal(demo.length, 13);
    const by = (c: string) => demo.find((i) => i.code === c)!.status;
    assert.equal(by('art10-budget'), 'published');
    assert.equal(by('art10-account'), 'out_of_date');
    assert.equal(by('art10-contact'), 'missing');
    assert.equal(by('art10-missions'), 'published'); // the scan counts
    for (const l of ['fr', 'ar']) {
      const r = await anon().get(`/${l}/transparency/register`);
      assert.equal(r.status, 200);
      assert.match(r.text, /<svg[^>]*role="img"/);
      assert.match(r.text, /<table/);
    }
    assert.match(textOf((await anon().get('/ar/transparency/register')).text), /ميزانية الجماعة/);
    const due = textOf((await ogp.get('/fr/admin/transparency/due')).text);
    assert.match(due, /Compte administratif/);
    assert.match(due, /Coordonnées de la personne chargée/);
    assert.doesNotMatch(due, /Budget de la commune/);
    const csv = (await anon().get('/fr/transparency/register.csv')).text;
    assert.match(csv, /art10-account,.*,out_of_date,/);
  });

  test('admins edit the register; a bad code is refused with the input kept', async () => {
    await admin.get('/fr/admin/transparency/register');
    let r = await admin.post('/fr/admin/transparency/register', { code: 'Pas Bon!', title_fr: 'Gardé', frequency: 'annual' });
    assert.equal(r.status, 422);
    assert.match(r.text, /value="Gardé"/);
    r = await admin.post('/fr/admin/transparency/register', { code: 'local-1', title_fr: 'Rapport de la commission de transparence', title_ar: 'تقرير لجنة الشفافية', frequency: 'annual' });
    assert.equal(r.status, 303);
    assert.match(textOf((await anon().get('/ar/transparency/register')).text), /تقرير لجنة الشفافية/);
  });
});

describe('council', () => {
  test('the calendar and each session page show agenda, deliberations with votes or consensus, and documents', async () => {
    const cal = textOf((await anon().get('/fr/council')).text);
    assert.match(cal, /Prochaines sessions/);
    assert.match(cal, /Session extraordinaire : programme d’action de la commune/);
    const s = await db().selectFrom('council_sessions').select('ref').where('commune_id', '=', t.commune.id).where('kind', '=', 'ordinary').orderBy('starts_at').limit(1).executeTakeFirstOrThrow();
    const page = textOf((await anon().get(`/fr/council/${s.ref}`)).text);
    assert.match(page, /Adoption du budget de la commune/);
    assert.match(page, /Pour : 38 · Contre : 9 · Abstentions : 4/);
    assert.match(page, /Adoptée par consensus/);
    assert.match(page, /Procès-verbal de la session de février/);
    assert.match(textOf((await anon().get(`/ar/council/${s.ref}`)).text), /المصادقة على ميزانية الجماعة/);
    assert.equal((await anon().get('/fr/council/no-such-session')).status, 404);
  });

  test('the iCalendar feed parses with ical.js: one event per session, times in UTC, place and link', async () => {
    const r = await anon().get('/fr/council.ics');
    assert.match(r.headers.get('content-type')!, /text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(r.text));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const n = await db().selectFrom('council_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow();
    assert.equal(events.length, Number(n.n));
    const extra = events.find((e) => e.summary.startsWith('Session extraordinaire'))!;
    assert.ok(extra.startDate.toJSDate() > new Date());
    assert.equal(extra.location, 'Salle des délibérations, hôtel de ville');
    assert.match(String(extra.component.getFirstPropertyValue('url')), /\/fr\/council\/\d{4}-\d{2}-\d{2}-extraordinary$/);
    assert.equal(new Set(events.map((e) => e.uid)).size, events.length);
  });

  test('staff record a session, an item and a deliberation; votes are required unless by consensus; it becomes searchable', async () => {
    await ogp.get('/fr/admin/council');
    let r = await ogp.post('/fr/admin/council', { kind: 'ordinary', title_fr: 'Session d’octobre', date: '2026-10-06', start_time: '25:00', place_fr: 'Hôtel de ville', status: 'held' });
    assert.equal(r.status, 400);
    assert.match(r.text, /value="Session d’octobre"/);
    r = await ogp.post('/fr/admin/council', { kind: 'ordinary', title_fr: 'Session d’octobre', title_ar: 'دورة أكتوبر', date: '2026-10-06', start_time: '10:00', end_time: '13:00', place_fr: 'Hôtel de ville', status: 'held' });
    assert.equal(r.status, 303);
    const id = Number(r.location!.split('/').pop());
    const session = await db().selectFrom('council_sessions').selectAll().where('commune_id', '=', t.commune.id).where('id', '=', id).executeTakeFirstOrThrow();
    // 10:00 in Tétouan (UTC+1) is 09:00 UTC.
    assert.equal(session.starts_at, '2026-10-06T09:00:00.000Z');
    await ogp.get(`/fr/admin/council/${id}`);
    assert.equal((await ogp.post(`/fr/admin/council/${id}/items`, { title_fr: 'Jumelage avec une ville andalouse' })).status, 303);
    const item = await db().selectFrom('council_items').select('id').where('commune_id', '=', t.commune.id).where('session_id', '=', id).executeTakeFirstOrThrow();
    await ogp.get(`/fr/admin/council/${id}`);
    r = await ogp.post(`/fr/admin/council/${id}/deliberations`, { item_id: String(item.id), title_fr: 'Convention de jumelage', decision: 'adopted', votes_for: '30' });
    assert.equal(r.status, 422);
    assert.match(textOf(r.text), /Indiquez les voix pour, contre et les abstentions/);
    r = await ogp.post(`/fr/admin/council/${id}/deliberations`, { item_id: String(item.id), title_fr: 'Convention de jumelage', text_fr: 'Le conseil approuve la convention de jumelage avec Chefchaouen.', decision: 'adopted', votes_for: '30', votes_against: '5', votes_abstention: '2' });
    assert.equal(r.status, 303);
    const page = textOf((await anon().get(`/fr/council/${session.ref}`)).text);
    assert.match(page, /Convention de jumelage/);
    assert.match(page, /Pour : 30 · Contre : 5 · Abstentions : 2/);
    assert.equal((await search('jumelage Chefchaouen', 'deliberation')).length, 1);
    const csv = (await anon().get('/fr/council/deliberations.csv')).text;
    assert.match(csv, /Convention de jumelage,,adopted,0,30,5,2/);
  });

  test('deliberations and documents linked to a commitment show on its page (manifest `related`)', async () => {
    const c = await t.database.db.selectFrom('commitments' as any).innerJoin('plans' as any, 'plans.id', 'commitments.plan_id').select(['commitments.id as id', 'commitments.number as number', 'plans.slug as slug'])
      .where('commitments.commune_id' as any, '=', t.commune.id).where('commitments.number' as any, '=', '1.1').executeTakeFirstOrThrow() as any;
    const linked = await documentsLinkedTo(sys, 'commitment', c.id);
    assert.ok(linked.some((d) => /Budget de la commune/.test(d.title.fr ?? '')));
    const page = textOf((await anon().get(`/fr/plans/${c.slug}/commitments/${c.number}`)).text);
    assert.match(page, /Délibérations du conseil/);
    assert.match(page, /Adoption du budget de la commune/);
    assert.match(page, /Budget de la commune/);
  });
});

test('storeDocument (the API for other modules) stores, audits, indexes, and publishedDocument gives the public view', async () => {
  const id = await t.database.db.transaction().execute((trx) => storeDocument(sys, trx, {
    kind: 'budget', title: { fr: 'Budget citoyen', ar: 'الميزانية المواطنة' }, summary: { fr: 'Version vulgarisée' }, year: 2026, institutionId: null,
    file: { bytes: sampleDocx(['Le budget citoyen explique les recettes et les dépenses.']), name: 'budget-citoyen.docx', type: 'docx' }, language: 'fr', publish: true,
  }));
  const v = (await publishedDocument(sys, id))!;
  assert.equal(v.title.ar, 'الميزانية المواطنة');
  assert.match(v.path, /^\/documents\/DOC-\d{4}-\d{6}$/);
  assert.equal(v.files[0].mime, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  await runJobs();
  assert.deepEqual(await search('budget citoyen explique recettes'), [v.ref]);
  const audit = await db().selectFrom('audit_log').select('action').where('commune_id', '=', t.commune.id).where('entity_id', '=', v.ref).execute();
  assert.deepEqual(audit.map((a) => a.action), ['document.create']);
  // A refused file throws on the field `file`, and the caller's transaction stores nothing.
  await assert.rejects(t.database.db.transaction().execute((trx) => storeDocument(sys, trx, { kind: 'budget', title: { fr: 'x' }, language: 'fr', file: { bytes: Buffer.from('MZ'), name: 'x.pdf' } })),
    (e: unknown) => e instanceof RuleError && e.field === 'file');
});

test('open data: documents, register, sessions and deliberations as CSV and JSON, listed on the open-data page', async () => {
  const c = anon();
  const page = await c.get('/fr/open-data');
  for (const p of ['/fr/documents.csv', '/api/documents.json', '/fr/transparency/register.csv', '/api/transparency/register.json', '/fr/council.csv', '/api/council/sessions.json', '/fr/council/deliberations.csv', '/api/council/deliberations.json']) {
    assert.match(page.text, new RegExp(p.replace(/^\/fr/, '').replace(/[.]/g, '\\.')), p);
    const r = await c.get(p);
    assert.equal(r.status, 200, p);
    if (p.endsWith('.json')) JSON.parse(r.text); else assert.match(r.headers.get('content-type')!, /^text\/csv; charset=utf-8/, p);
  }
  const d = JSON.parse((await c.get('/api/council/deliberations.json')).text).deliberations;
  const adopted = d.find((x: any) => x.title.fr === 'Adoption du budget de la commune');
  assert.deepEqual(adopted.votes, { for: 38, against: 9, abstention: 4 });
  assert.equal(adopted.commitment_ids.length, 1);
  assert.equal(d.find((x: any) => x.consensus).votes, null);
});
