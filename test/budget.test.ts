import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, Client, textOf, PASSWORD, type TestApp } from './helpers.ts';
import { parseAmount, validateRows, csvRows, xlsxRows, type NomenclatureEntry } from '../src/modules/transparency/budget/import.ts';
import { bdb } from '../src/modules/transparency/budget/repo.ts';
import * as svc from '../src/modules/transparency/budget/service.ts';
import { demoCsv } from '../src/modules/transparency/budget/demo.ts';
import { PHASES } from '../src/modules/transparency/budget/schema.ts';

// ---------- Reading and checking a file, on its own ----------

const NOM = new Map<string, NomenclatureEntry>([
  ['11.10', { level: 'chapter', part: 'operating', direction: 'receipt' }],
  ['R1', { level: 'line', part: 'operating', direction: 'receipt' }],
  ['R2', { level: 'line', part: 'operating', direction: 'receipt' }],
  ['E1', { level: 'line', part: 'operating', direction: 'expenditure' }],
  ['Q1', { level: 'line', part: 'equipment', direction: 'receipt' }],
  ['Q2', { level: 'line', part: 'equipment', direction: 'expenditure' }],
]);
const rows = (text: string) => csvRows(Buffer.from(text, 'utf8'));
const check = (text: string) => validateRows(rows(text), NOM);
const keys = (text: string) => check(text).issues.map((i) => `${i.line ?? '-'}:${i.key.replace('budget.import.errors.', '')}`);

describe('import rules', () => {
  test('amounts as finance departments type them, in centimes', () => {
    assert.equal(parseAmount('1234567.89'), 123456789);
    assert.equal(parseAmount('1 234 567,89'), 123456789);
    assert.equal(parseAmount('1.234.567,89'), 123456789);
    assert.equal(parseAmount('1,234,567.89'), 123456789);
    assert.equal(parseAmount('12,5'), 1250);
    assert.equal(parseAmount('300 DH'), 30000);
    assert.equal(parseAmount(''), null);
    assert.ok(Number.isNaN(parseAmount('abc')!));
    assert.equal(parseAmount('1.234'), 123400, 'a dot before three digits groups thousands');
    assert.ok(Number.isNaN(parseAmount('1.2345')!));
    assert.equal(parseAmount('-5'), -500);
  });

  test('a valid balanced file gives its years and phases; a semicolon file reads the same', () => {
    const text = 'year,code,forecast,executed\n2026,R1,100,90\n2026,E1,100,80\n';
    const r = check(text);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.parsed!.scopes, [{ year: 2026, phase: 'forecast' }, { year: 2026, phase: 'executed' }]);
    assert.equal(r.parsed!.amounts.get('2026|forecast|R1'), 10000);
    assert.equal(r.parsed!.amounts.get('2026|executed|E1'), 8000);
    const semi = check('année;code;prévision;réalisé\r\n2026;R1;100,00;90\r\n2026;E1;100;80\r\n');
    assert.deepEqual(semi.issues, []);
    assert.deepEqual([...semi.parsed!.amounts], [...r.parsed!.amounts]);
  });

  test('every error is reported with its line number, and nothing is returned', () => {
    const text = [
      'year,code,label,forecast,executed',
      '20x6,R1,,100,',          // 2: year
      '2026,ZZ9,,100,',         // 3: unknown code
      '2026,11.10,,100,',       // 4: a chapter, not a line
      '2026,R1,,abc,',          // 5: not a number
      '2026,R2,,-5,',           // 6: negative
      '2026,E1,,,',             // 7: no amount
      '2026,E1,,100,',          // 8: first E1
      '2026,E1,,100,',          // 9: duplicate
      '2026,,,100,',            // 10: no code
    ].join('\n');
    const r = check(text);
    assert.equal(r.parsed, null);
    assert.deepEqual(keys(text), ['2:year', '3:unknownCode', '4:notALine', '5:amount', '6:negative', '7:noAmount', '9:duplicate', '10:noCode']);
    assert.equal(r.issues.find((i) => i.key.endsWith('duplicate'))!.params!.first, 8);
  });

  test('the voted budget must balance part by part; the executed one need not', () => {
    assert.deepEqual(keys('year,code,forecast\n2026,R1,100\n2026,E1,90\n'), ['-:imbalance']);
    const i = check('year,code,amended\n2026,R1,100\n2026,E1,100\n2026,Q1,50\n2026,Q2,40\n').issues;
    assert.equal(i.length, 1);
    assert.deepEqual({ ...i[0].params }, { year: 2026, phase: 'amended', part: 'equipment', receipts: 5000, expenditure: 4000 });
    assert.deepEqual(keys('year,code,executed\n2026,R1,100\n2026,E1,90\n'), []);
  });

  test('a header without year, code or a phase; an empty file', () => {
    assert.deepEqual(keys('code,forecast\nR1,1\n'), ['1:header']);
    assert.deepEqual(keys('year,code,label\n2026,R1,x\n'), ['1:header']);
    assert.deepEqual(keys('year,code,forecast\n'), ['-:empty']);
    assert.deepEqual(validateRows([], NOM).issues.map((x) => x.key), ['budget.import.errors.empty']);
  });

  test('the demo file is itself valid against its nomenclature', async () => {
    const codes = new Map<string, NomenclatureEntry>();
    for (const r of rows(demoCsv()).slice(1)) {
      const code = r.cells[1];
      const chapter = code.slice(0, 5);
      codes.set(code, { level: 'line', part: chapter[0] === '1' ? 'operating' : chapter[0] === '2' ? 'equipment' : 'special', direction: chapter[1] === '1' ? 'receipt' : 'expenditure' });
    }
    assert.deepEqual(validateRows(rows(demoCsv()), codes).issues, []);
  });
});

// ---------- Through the application ----------

let t: TestApp;
let admin: Client;
const db = () => bdb(t.database.db);
const cid = () => t.commune.id;
async function count(table: 'budget_amounts' | 'budget_imports' | 'audit_log', where?: [string, string]): Promise<number> {
  let q = db().selectFrom(table as any).select((eb: any) => eb.fn.countAll().as('n')).where('commune_id', '=', cid());
  if (where) q = q.where(where[0] as any, '=', where[1]);
  return Number(((await q.executeTakeFirstOrThrow()) as any).n);
}
const upload = (c: Client, name: string, data: Buffer | string, locale = 'fr') =>
  c.get(`/${locale}/admin/budget`).then(() => c.postMultipart(`/${locale}/admin/budget/import`, {}, { file: { name, data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), type: 'text/csv' } }));

before(async () => {
  t = await startApp();
  admin = new Client(t.url);
  await admin.login('admin@tetouan.local', t.adminPassword);
});
after(async () => { await t?.close(); });

describe('the demo budget', () => {
  test('three sample years, about 600–900 MDH each, balanced in every voted phase', async () => {
    const ctx = await t.ctx();
    const years = await svc.listYears(ctx);
    assert.deepEqual(years.map((y) => y.year), [2026, 2025, 2024]);
    assert.ok(years.every((y) => y.sample));
    for (const y of years) {
      const ov = await svc.overview(ctx, y.year);
      const v = svc.voted(ov.expenditure)! / 1e8;
      assert.ok(v > 600 && v < 900, `${y.year}: ${v} MDH`);
      for (const p of ov.parts) assert.equal(svc.voted(p.receipts), svc.voted(p.expenditure), `${y.year} ${p.part}`);
    }
  });
});

describe('roll-ups are SQL aggregates that add up', () => {
  test('totals, sources and functions equal the sums of the lines (internal transfers left out)', async () => {
    const ctx = await t.ctx();
    const ov = await svc.overview(ctx, 2025);
    const raw = await db().selectFrom('budget_amounts as a').innerJoin('budget_nomenclature as n', (j) => j.onRef('n.commune_id', '=', 'a.commune_id').onRef('n.code', '=', 'a.line_code'))
      .select(['a.phase', 'a.amount', 'n.direction', 'n.source', 'n.part']).where('a.commune_id', '=', cid()).where('a.year', '=', 2025).execute();
    for (const phase of PHASES) {
      const sum = (dir: string, internal: boolean) => raw.filter((r) => r.phase === phase && r.direction === dir && (internal || r.source !== 'internal')).reduce((a, r) => a + Number(r.amount), 0);
      assert.equal(ov.expenditure[phase] ?? 0, sum('expenditure', false), `expenditure ${phase}`);
      assert.equal(ov.receipts[phase] ?? 0, sum('receipt', false), `receipts ${phase}`);
      assert.equal(ov.functions.reduce((a, f) => a + (f.sums[phase] ?? 0), 0), sum('expenditure', false), `functions ${phase}`);
      assert.equal(ov.sources.reduce((a, s) => a + (s.sums[phase] ?? 0), 0), sum('receipt', false), `sources ${phase}`);
      assert.equal(ov.parts.reduce((a, p) => a + (p.expenditure[phase] ?? 0), 0), sum('expenditure', true), `parts ${phase}`);
    }
    assert.ok(raw.some((r) => r.source === 'internal' && Number(r.amount) > 0), 'the demo carries a surplus');
    const roads = await svc.functionDetail(ctx, 2025, 'roads');
    assert.equal(roads.lines.reduce((a, l) => a + (l.sums.executed ?? 0), 0), roads.total.executed);
    assert.equal(roads.total.executed, ov.functions.find((f) => f.fn?.slug === 'roads')!.sums.executed);
  });
});

describe('import through the staff page', () => {
  test('a file with errors is refused with line-numbered messages in the user’s language, nothing stored', async () => {
    const before = [await count('budget_amounts'), await count('budget_imports')];
    const bad = 'year,code,forecast\n2026,99.99,10\n2026,11.10.10.10.11,abc\n2026,12.10.10.10.11,5\n';
    const fr = await upload(admin, 'bad.csv', bad);
    assert.equal(fr.status, 422);
    const text = textOf(fr.text);
    assert.match(text, /Ligne 2 : le code « 99\.99 » n’existe pas dans la nomenclature/);
    assert.match(text, /Ligne 3 : le montant « abc » de la colonne forecast n’est pas un nombre/);
    const ar = await upload(admin, 'bad.csv', bad, 'ar');
    assert.equal(ar.status, 422);
    assert.match(textOf(ar.text), /السطر 2: الرمز « 99\.99 » غير موجود في المدونة/);
    const unbalanced = await upload(admin, 'u.csv', 'year,code,forecast\n2027,11.10.10.10.11,10\n2027,12.10.10.10.11,5\n');
    assert.equal(unbalanced.status, 422);
    assert.match(textOf(unbalanced.text), /Budget initial 2027, partie Fonctionnement : les recettes \(10 MAD\) et les dépenses \(5 MAD\) ne sont pas équilibrées/);
    const notCsv = await upload(admin, 'x.csv', Buffer.from([0, 1, 2, 3, 0, 0]));
    assert.equal(notCsv.status, 422);
    assert.deepEqual([await count('budget_amounts'), await count('budget_imports')], before);
  });

  test('a valid file: preview of what changes, nothing changed until confirmed, then replaced and audited', async () => {
    const file = 'year,code,forecast,executed\n2027,11.10.10.10.11,1000,900\n2027,12.10.10.10.11,1000,\n';
    const res = await upload(admin, 'budget-2027.csv', file);
    assert.equal(res.status, 303, res.text.slice(0, 500));
    const path = res.location!;
    assert.match(path, /\/fr\/admin\/budget\/imports\/\d+$/);
    assert.equal(await count('budget_amounts', ['year', '2027'] as any), 0);
    const preview = await admin.get(path);
    assert.equal(preview.status, 200);
    assert.match(textOf(preview.text), /2027 Budget initial 2 0 0 2 0,00 MAD|2027 Budget initial 2 0 0 2/);
    const audits = await count('audit_log', ['action', 'budget.import'] as any);
    const applied = await admin.post(`${path}/apply`, {});
    assert.equal(applied.status, 303);
    assert.equal(await count('budget_amounts', ['year', '2027'] as any), 3);
    assert.equal(await count('audit_log', ['action', 'budget.import'] as any), audits + 1);
    // The file is kept as a (draft) document of the transparency module.
    const imp = await db().selectFrom('budget_imports').select('document_id').where('commune_id', '=', cid()).where('id', '=', Number(path.split('/').pop())).executeTakeFirstOrThrow();
    assert.ok(imp.document_id, 'a document is stored');
    const doc = await (db() as any).selectFrom('documents').select(['kind', 'year']).where('commune_id', '=', cid()).where('id', '=', imp.document_id).executeTakeFirstOrThrow();
    assert.deepEqual([doc.kind, doc.year], ['budget', 2027]);
    const y = await svc.overview(await t.ctx(), 2027);
    assert.equal(y.receipts.forecast, 100000);
    assert.equal(y.receipts.executed, 90000);
    // A second confirmation is refused; a new file replaces the phases it carries only.
    await admin.get(path);
    assert.equal((await admin.post(`${path}/apply`, {})).status, 422);
    const again = await upload(admin, 'budget-2027b.csv', 'year,code,forecast\n2027,11.10.10.10.11,2000\n2027,12.10.10.10.12,2000\n');
    await admin.get(again.location!);
    assert.match(textOf((await admin.get(again.location!)).text), /2027 Budget initial 1 1 1 2/);
    await admin.post(`${again.location!}/apply`, {});
    const y2 = await svc.overview(await t.ctx(), 2027);
    assert.equal(y2.receipts.forecast, 200000);
    assert.equal(y2.receipts.executed, 90000, 'executed amounts kept: the file had no executed column');
  });

  test('an XLSX file imports the same way', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Budget');
    ws.addRow(['Année', 'Code', 'Libellé', 'Prévision']);
    ws.addRow([2028, '11.10.10.10.11', 'TNB', 1234.5]);
    ws.addRow([2028, '12.10.10.10.11', 'Salaires', { formula: '1000+234.5', result: 1234.5 }]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const parsed = await xlsxRows(data);
    assert.deepEqual(parsed[1].cells, ['2028', '11.10.10.10.11', 'TNB', '1234.5']);
    const res = await admin.get('/fr/admin/budget').then(() => admin.postMultipart('/fr/admin/budget/import', {}, { file: { name: 'b.xlsx', data } }));
    assert.equal(res.status, 303, textOf(res.text).slice(0, 400));
    await admin.get(res.location!);
    assert.equal((await admin.post(`${res.location!}/apply`, {})).status, 303);
    assert.equal((await svc.overview(await t.ctx(), 2028)).expenditure.forecast, 123450);
  });

  test('the template downloads and is itself a valid header', async () => {
    const r = await admin.get('/fr/admin/budget/template.csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /text\/csv/);
    assert.ok(rows(r.text)[0].cells.includes('forecast'));
  });
});

describe('staff pages', () => {
  test('nomenclature: a line inherits its part and direction; a wrong parent is refused with the input kept', async () => {
    await admin.get('/fr/admin/budget/nomenclature');
    const bad = await admin.post('/fr/admin/budget/nomenclature', { code: '22.10.10.10.99', level: 'line', parent_code: '22.10', label_fr: 'Nouvelle ligne' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /value="22\.10\.10\.10\.99"/);
    await admin.get('/fr/admin/budget/nomenclature');
    const ok = await admin.post('/fr/admin/budget/nomenclature', { code: '22.10.10.10.99', level: 'line', parent_code: '22.10.10.10', label_fr: 'Nouvelle ligne', label_ar: 'سطر جديد' });
    assert.equal(ok.status, 303);
    const n = await db().selectFrom('budget_nomenclature').selectAll().where('commune_id', '=', cid()).where('code', '=', '22.10.10.10.99').executeTakeFirstOrThrow();
    assert.deepEqual([n.part, n.direction, n.chapter_code], ['equipment', 'expenditure', '22.10']);
  });

  test('mapping a line to a function moves its amount in the functional view', async () => {
    const ctx = await t.ctx();
    const before = await svc.overview(ctx, 2025);
    const line = '22.10.10.10.18'; // bus shelters: transport
    const amount = (await svc.lineDetail(ctx, line)).years.find((y) => y.year === 2025)!.sums.forecast!;
    await admin.get(`/fr/admin/budget/lines/${line}`);
    assert.equal((await admin.post(`/fr/admin/budget/lines/${line}`, { function: 'roads', district: '' })).status, 303);
    const after = await svc.overview(await t.ctx(), 2025);
    const f = (o: typeof before, s: string) => o.functions.find((x) => x.fn?.slug === s)!.sums.forecast!;
    assert.equal(f(after, 'roads') - f(before, 'roads'), amount);
    assert.equal(f(before, 'transport') - f(after, 'transport'), amount);
    await admin.get(`/fr/admin/budget/lines/${line}`);
    assert.equal((await admin.post(`/fr/admin/budget/lines/${line}`, { function: 'nope', district: '' })).status, 422);
  });

  test('the OGP team writes explanations and the glossary but cannot import; a citizen can do neither', async () => {
    const ogp = new Client(t.url);
    await ogp.login((await t.user('ogp_team')).email, PASSWORD);
    const cit = new Client(t.url);
    await cit.login((await t.user('citizen')).email, PASSWORD);
    assert.equal((await ogp.get('/fr/admin/budget')).status, 403);
    assert.equal((await cit.get('/fr/admin/budget/years/2025')).status, 403);
    const page = await ogp.get('/fr/admin/budget/years/2025');
    assert.equal(page.status, 200);
    const r = await ogp.post('/fr/admin/budget/years/2025', { population: '390000', explain_sources_fr: 'La TVA pèse lourd.', explain_sources_ar: 'الضريبة على القيمة المضافة' });
    assert.equal(r.status, 303);
    const pub = await new Client(t.url).get('/ar/budget/2025');
    assert.match(pub.text, /الضريبة على القيمة المضافة/);
    assert.match(textOf(pub.text), /390\.000|390 000|390,000/);
    await ogp.get('/fr/admin/budget/glossary');
    assert.equal((await ogp.post('/fr/admin/budget/glossary', { slug: 'forecast', sort: '1', term_fr: 'x', definition_fr: 'y' })).status, 422, 'slug taken');
    assert.equal((await ogp.post('/fr/admin/budget/glossary', { slug: 'mandat', sort: '1', term_fr: 'Mandat', definition_fr: 'Ordre de payer.' })).status, 303);
    assert.match(textOf((await ogp.get('/fr/budget/glossary')).text), /Mandat Ordre de payer\./);
  });
});

describe('citizen pages and open data', () => {
  test('pages answer anonymously in FR and AR with amounts in dirhams, glossary words linked where they appear', async () => {
    const c = new Client(t.url);
    const fr = await c.get('/fr/budget/2025');
    assert.equal(fr.status, 200);
    assert.match(fr.text, /<svg role="img"/);
    assert.match(fr.text, /href="\/fr\/budget\/glossary#execution-rate"/);
    assert.match(textOf(fr.text), /MDH/);
    const ar = await c.get('/ar/budget/2025');
    assert.match(ar.text, /dir="rtl"/);
    assert.match(textOf(ar.text), /مليون درهم/);
    assert.equal((await c.get('/fr/budget')).status, 200);
    assert.equal((await c.get('/fr/budget/1999')).status, 404);
    assert.equal((await c.get('/fr/budget/2025/functions/nope')).status, 404);
    assert.equal((await c.get('/fr/budget/lines/nope')).status, 404);
    const fn = await c.get('/fr/budget/2025/functions/administration');
    assert.equal(fn.status, 200);
    assert.match(textOf(fn.text), /22\.10\.10\.10\.17/);
    assert.match(fn.text, /href="\/fr\/plans\/ogp-2023\/commitments\/1\.1"/, 'a line links to the commitment it funds');
  });

  test('a commitment page lists the budget lines that fund it', async () => {
    const r = await new Client(t.url).get('/fr/plans/ogp-2023/commitments/1.1');
    assert.equal(r.status, 200);
    assert.match(textOf(r.text), /Lignes du budget qui le financent/);
    assert.match(r.text, /href="\/fr\/budget\/lines\/22\.10\.10\.10\.17"/);
  });

  test('the CSV streams every line of the year with its four phases', async () => {
    const r = await new Client(t.url).get('/fr/budget/2025.csv');
    assert.equal(r.status, 200);
    const lines = rows(r.text);
    assert.deepEqual(lines[0].cells.slice(-4), [...PHASES]);
    const n = await db().selectFrom('budget_amounts').select((eb) => eb.fn.count<number>('line_code').distinct().as('n')).where('commune_id', '=', cid()).where('year', '=', 2025).executeTakeFirstOrThrow();
    assert.equal(lines.length - 1, Number(n.n));
  });

  test('the Fiscal Data Package: valid JSON, amount/phase/date/classification fields declared, resources resolve', async () => {
    const c = new Client(t.url);
    const r = await c.get('/api/budget/2025/datapackage.json');
    assert.equal(r.status, 200);
    const pkg = JSON.parse(r.text);
    assert.equal(pkg.profile, 'fiscal-data-package');
    for (const k of ['name', 'title', 'resources', 'model']) assert.ok(pkg[k], k);
    assert.deepEqual(pkg.fiscalPeriod, { start: '2025-01-01', end: '2025-12-31' });
    const res = pkg.resources[0];
    const fields = new Map(res.schema.fields.map((f: any) => [f.name, f]));
    assert.equal((fields.get('amount') as any).columnType, 'value');
    assert.equal((fields.get('phase') as any).columnType, 'phase:id');
    assert.equal((fields.get('fiscal_year') as any).columnType, 'date:fiscal-year');
    assert.ok([...fields.values()].some((f: any) => String(f.columnType).startsWith('economic-classification')));
    assert.ok([...fields.values()].some((f: any) => String(f.columnType).startsWith('functional-classification')));
    assert.equal(pkg.model.measures.amount.source, 'amount');
    for (const d of Object.values(pkg.model.dimensions) as any[]) for (const a of Object.values(d.attributes) as any[]) assert.ok(fields.has(a.source), a.source);
    // The resource resolves and its header is the declared fields, in order; every phase value is declared.
    const url = new URL(res.path);
    const data = await c.get(url.pathname);
    assert.equal(data.status, 200);
    const csv = rows(data.text);
    assert.deepEqual(csv[0].cells, res.schema.fields.map((f: any) => f.name));
    const phaseCol = csv[0].cells.indexOf('phase');
    assert.ok(csv.slice(1).every((l) => PHASES.includes(l.cells[phaseCol] as any)));
    const amountCol = csv[0].cells.indexOf('amount');
    assert.ok(csv.slice(1).every((l) => /^\d+\.\d{2}$/.test(l.cells[amountCol])));
    const index = JSON.parse((await c.get('/api/budget.json')).text);
    assert.ok(index.years.some((y: any) => y.datapackage.endsWith('/api/budget/2025/datapackage.json')));
    assert.match((await c.get('/fr/open-data')).text, /\/api\/budget\.json/);
  });

  test('the printable budget: a PDF when Chromium is there, else the explanation page', async () => {
    const r = await new Client(t.url).get('/fr/budget/2025.pdf');
    assert.equal(r.status, 200);
    const type = r.headers.get('content-type') ?? '';
    if (type.startsWith('application/pdf')) assert.ok(r.text.startsWith('%PDF-'));
    else assert.match(type, /text\/html/);
  });
});
