// The platform-wide search: normalisation (French and Arabic), the index on this run's engine and the
// same results on both engines, ranking (title matches first, then newest first), completions of the last
// word, capped counts, snippets from the stored beginning that escape HTML, the kind filter and its counts,
// pagination, incremental updates and removals through the modules' services, private content never
// indexed, engine syntax in queries never an error, the page and its JSON twin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApp, Client, textOf, PG_URL, type TestApp } from './helpers.ts';
import { openDatabase, type AnyDB, type Database } from '../src/core/db/index.ts';
import { migrate } from '../src/core/db/migrator.ts';
import { coreMigrations } from '../src/core/db/core-migrations.ts';
import { fold, tokens, normalize, queryTokens } from '../src/core/search/normalize.ts';
import { snippet, snippetHtml } from '../src/core/search/snippet.ts';
import { indexDoc, removeDoc, searchDocs, rebuildIndex, checkSources, MAX_INDEXED_CHARS, KIND_COUNT_CAP, SNIPPET_SOURCE_CHARS, type SearchDoc } from '../src/core/search/index.ts';
import { completions, MAX_COMPLETIONS } from '../src/core/db/fulltext.ts';
import { searchSources } from '../src/platform.ts';
import type { Ctx } from '../src/core/service.ts';
import * as requests from '../src/modules/requests/service.ts';
import * as gov from '../src/modules/governance/service.ts';
import * as plans from '../src/modules/accountability/service.ts';

// ---------- Normalisation (no database) ----------

test('Arabic: alef forms, ta marbuta, alef maqsura, tashkeel and tatweel are folded', () => {
  assert.deepEqual(tokens('الميزانيّة'), tokens('الميزانية'), 'shadda');
  assert.deepEqual(tokens('مَدْرَسَةٌ'), ['مدرسه'], 'harakat, sukun, tanwin, ta marbuta');
  assert.deepEqual(tokens('أحمد إبراهيم آمنة'), ['احمد', 'ابراهيم', 'امنه'], 'hamza above and below, madda');
  assert.deepEqual(tokens('ٱستثمار'), ['استثمار'], 'alef wasla');
  assert.deepEqual(tokens('مستشفى'), ['مستشفي'], 'alef maqsura');
  assert.deepEqual(tokens('كـــتـاب'), ['كتاب'], 'tatweel');
  assert.deepEqual(tokens('مسؤول مسئول'), ['مسوول', 'مسيول'], 'hamza carriers: the carrier letter stays');
  assert.deepEqual(tokens('ﻻ'), ['لا'], 'presentation forms (NFKC)');
  assert.deepEqual(tokens('سنة ٢٠٢٦ و۱۲'), ['سنه', '2026', 'و12'], 'Arabic-Indic and Persian digits');
});

test('Arabic: the definite article and the particles glued to it are removed when three letters remain', () => {
  const one = tokens('ميزانية')[0];
  for (const w of ['الميزانية', 'والميزانية', 'بالميزانية', 'للميزانية', 'فالميزانية', 'كالميزانية']) assert.deepEqual(tokens(w), [one], w);
  assert.deepEqual(tokens('الله'), ['الله'], 'two letters would remain: kept');
  assert.deepEqual(tokens('وزارة'), ['وزاره'], 'a lone و is not removed');
});

test('French: accents and case folded, ligatures, elisions and one-letter words dropped', () => {
  assert.deepEqual(tokens('Délibération'), tokens('deliberation'));
  assert.deepEqual(tokens('ÉCOLE Ça çà'), ['ecole', 'ca', 'ca']);
  assert.deepEqual(tokens("l'égalité d’accès à l'eau"), ['egalite', 'acces', 'eau']);
  assert.deepEqual(tokens('cœur Œuvre ÆSOP Straße'), ['coeur', 'oeuvre', 'aesop', 'strasse']);
  assert.equal(normalize('Budget  PARTICIPATIF, 2026 !'), 'budget participatif 2026');
  assert.equal(fold('Él\u0640è\u200bve'), 'eleve', 'tatweel and zero-width characters removed');
  assert.equal(tokens('x'.repeat(100))[0].length, 64, 'tokens are cut at 64 characters');
});

test('queries: engine syntax cannot survive the parsing, at most eight distinct words', () => {
  assert.deepEqual(queryTokens('"budget" AND (conseil* OR -vote) NEAR/3 col:value ^x'), ['budget', 'and', 'conseil', 'or', 'vote', 'near', '3', 'col']);
  assert.deepEqual(queryTokens('" * - : ( ) \' ^ ~'), []);
  assert.deepEqual(queryTokens('a b c d e f g h i j k l'), []);
  assert.equal(queryTokens('mot '.repeat(50) + 'autre un deux trois quatre cinq six sept huit').length, 8);
});

test('snippets: around the first match, bounded, every match marked, HTML escaped', () => {
  const text = `${'Introduction générale du document. '.repeat(20)}Le conseil a adopté la <b>délibération</b> n° 12 sur le budget. ${'Suite du texte. '.repeat(40)}`;
  const parts = snippet(text, ['deliberation'], false);
  const plain = parts.map((p) => p.text).join('');
  assert.ok(plain.length <= 240, `bounded (${plain.length})`);
  assert.ok(plain.startsWith('… ') && plain.endsWith(' …'), 'cut on both sides');
  assert.deepEqual(parts.filter((p) => p.match).map((p) => p.text), ['délibération']);
  const html = snippetHtml(parts);
  assert.match(html, /&lt;b&gt;<mark>délibération<\/mark>&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>/);
  // Prefix of the last word; Arabic with the article and tashkeel.
  assert.deepEqual(snippet('Le budget participatif', ['budg'], true).filter((p) => p.match).map((p) => p.text), ['budget']);
  assert.deepEqual(snippet('صادق المجلس على الميزانيّة', ['ميزانيه'], false).filter((p) => p.match).map((p) => p.text), ['الميزانيّة']);
  assert.equal(snippet('Rien à voir ici', ['budget'], false).some((p) => p.match), false, 'no match: the beginning, unmarked');
});

test('sources: kinds are checked (form, uniqueness)', () => {
  const src = (kind: string) => ({ kind, labelKey: 'x', all: async function* () {} });
  assert.throws(() => checkSources([src('a'), src('a')]), /twice/);
  assert.throws(() => checkSources([src('Bad-Kind')]), /letters/);
  assert.deepEqual(searchSources().map((s) => s.kind).sort(), ['action', 'body', 'commitment', 'deliberation', 'document', 'information', 'petition', 'process', 'proposal', 'request', 'survey']);
});

// ---------- The index on this run's engine ----------

let t: TestApp;
before(async () => { t = await startApp(); });
after(async () => { await t?.close(); });

const doc = (key: string, title: string, text: string | Record<string, string>, extra: Partial<SearchDoc> = {}): SearchDoc =>
  ({ kind: 'test_doc', key, title: { fr: title }, text, path: `/test/${key}`, date: '2026-01-15', visible: true, ...extra });

async function put(...docs: SearchDoc[]) {
  await t.database.db.transaction().execute(async (trx) => { for (const d of docs) await indexDoc(trx, t.commune.id, d); });
}
const keys = async (text: string, kinds = ['test_doc'], page = 1, pageSize = 20) =>
  (await searchDocs(t.database.db, t.commune.id, { text, kinds, page, pageSize })).rows.map((r) => r.key);

test('the demo commune is indexed: its commitments, actions and bodies are found', async () => {
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'budget', page: 1, countKinds: ['commitment', 'action', 'body', 'request'] });
  assert.ok(r.counts.commitment.n > 0 && r.counts.action.n > 0, JSON.stringify(r.counts));
  assert.ok(r.rows.every((x) => x.path.startsWith('/plans/') || x.path.startsWith('/bodies/') || x.path.startsWith('/requests/') || x.path.startsWith('/information/') || x.path.startsWith('/documents/') || x.path.startsWith('/council/') || x.path.startsWith('/participation/') || x.path.startsWith('/petitions/') || x.path.startsWith('/surveys/')));
  const ar = await searchDocs(t.database.db, t.commune.id, { text: 'الميزانيّة', page: 1, locale: 'ar' });
  assert.ok(ar.total > 0, 'Arabic with a shadda finds the Arabic texts');
  const hit = ar.rows.find((x) => x.snippet.some((p) => p.match));
  assert.ok(hit, 'a snippet marks the match');
  assert.match(hit!.snippet.map((p) => p.text).join(''), /[\u0600-\u06FF]/, 'the snippet is taken from the Arabic text');
});

test('ranking: a title match first; every word must match; the last word as a prefix', async () => {
  await put(
    doc('r1', 'Compte rendu de séance', 'Il fut question de voirie et, en passant, d’assainissement.'),
    doc('r2', 'Assainissement liquide du quartier', 'Les travaux du réseau.'),
    doc('r3', 'Éclairage', 'Rien sur le sujet.'),
  );
  assert.deepEqual(await keys('assainissement'), ['r2', 'r1']);
  assert.deepEqual(await keys('assainissement voirie'), ['r1'], 'AND');
  assert.deepEqual(await keys('assain'), ['r2', 'r1'], 'prefix of the last word');
  assert.deepEqual(await keys('ASSAINISSEMENT eclairage'), [], 'no item has both');
});

test('ranking: every word in the title first, then the others, each newest first; pages run across the two', async () => {
  // Indexed in this order: the most recently indexed of each tier comes first.
  await put(doc('o1', 'Autre 1', 'capybara tapir'), doc('t1', 'Capybara et tapir', 'x'), doc('o2', 'Capybara 2', 'tapir'), doc('t2', 'Tapir, capybara', 'y'), doc('o3', 'Autre 3', 'capybara, tapir'));
  assert.deepEqual(await keys('capybara tapir'), ['t2', 't1', 'o3', 'o2', 'o1'], 'o2 has one word only in its title: not a title match');
  const pages = [await keys('capybara tapir', ['test_doc'], 1, 2), await keys('capybara tapir', ['test_doc'], 2, 2), await keys('capybara tapir', ['test_doc'], 3, 2)];
  assert.deepEqual(pages, [['t2', 't1'], ['o3', 'o2'], ['o1']]);
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'capybara tapir', kinds: ['test_doc'], page: 1 });
  assert.deepEqual(r.rows.map((x) => x.score), [2, 2, 1, 1, 1]);
  // Re-indexed: it becomes the newest of its tier.
  await put(doc('t1', 'Capybara et tapir', 'x, revu'));
  assert.deepEqual((await keys('capybara tapir')).slice(0, 2), ['t1', 't2']);
});

test('the last word is completed to the shortest indexed words that begin with it, at most MAX_COMPLETIONS', async () => {
  const words = Array.from({ length: MAX_COMPLETIONS + 2 }, (_, i) => `wapiti${'x'.repeat(i)}`);
  await put(...words.map((w, i) => doc(`w${i}`, `Titre ${i}`, w)));
  const found = (await keys('wapi')).sort();
  assert.deepEqual(found, words.slice(0, MAX_COMPLETIONS).map((_, i) => `w${i}`).sort(), 'the shortest completions');
  assert.deepEqual(await keys(words[MAX_COMPLETIONS + 1]), [`w${MAX_COMPLETIONS + 1}`], 'a longer word is found when typed whole');
  assert.deepEqual(await completions(t.database.db, 'wapitixx', 3), ['wapitixx', 'wapitixxx', 'wapitixxxx']);
  assert.deepEqual(await keys('wapitizz'), [], 'a prefix of no indexed word finds nothing');
});

test('counts: each kind up to KIND_COUNT_CAP ("more than"), the total up to RANK_WINDOW; snippets from the beginning kept', async () => {
  const many = Array.from({ length: KIND_COUNT_CAP + 5 }, (_, i) => doc(`k${i}`, `Compté ${i}`, 'okapi'));
  await put(...many, doc('k-other', 'Autre', 'okapi', { kind: 'test_other' }));
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'okapi', kinds: ['test_doc', 'test_other'], page: 1, countKinds: ['test_doc', 'test_other'] });
  assert.equal(r.total, KIND_COUNT_CAP + 6);
  assert.equal(r.capped, false);
  assert.deepEqual(r.counts.test_doc, { n: KIND_COUNT_CAP, capped: true });
  if (t.database.engine === 'sqlite') assert.deepEqual(r.counts.test_other, { n: 1, capped: false }, 'each kind counted on its own');
  // The text past SNIPPET_SOURCE_CHARS is still found, its snippet is the beginning of the text.
  const head = 'début '.repeat(Math.ceil(SNIPPET_SOURCE_CHARS / 6) + 10);
  await put(doc('deep', 'Profond', `${head} fennec`));
  const deep = await searchDocs(t.database.db, t.commune.id, { text: 'fennec', kinds: ['test_doc'], page: 1 });
  assert.deepEqual(deep.rows.map((x) => x.key), ['deep']);
  assert.ok(deep.rows[0].snippet[0].text.startsWith('début'), 'the snippet shows the beginning');
  const stored = await (t.database.db as any).selectFrom('search_docs').select('body').where('key', '=', 'deep').executeTakeFirstOrThrow();
  assert.ok(JSON.parse(stored.body).length <= SNIPPET_SOURCE_CHARS, 'only the beginning is stored');
});

test('highlighting never passes HTML of the content through (page and JSON)', async () => {
  // A registered kind: the page searches those.
  await put(doc('x1', 'Titre <script>alert("t")</script> zorglub', 'Texte <img src=x onerror=alert(1)> zorglub <b>gras</b>', { kind: 'body' }));
  const c = new Client(t.url);
  const page = await c.get('/fr/search?q=zorglub');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /<script>alert|<img src=x|<b>gras/);
  assert.match(page.text, /&lt;img src=x onerror=alert\(1\)> <mark>zorglub<\/mark> &lt;b>gras&lt;\/b>/);
  assert.match(page.text, /Titre &lt;script>alert/);
  const json = await c.get('/api/search.json?q=zorglub');
  const body = JSON.parse(json.text);
  const hit = body.results.find((r: any) => r.key === 'x1');
  assert.equal(hit.snippetHtml, 'Texte &lt;img src=x onerror=alert(1)&gt; <mark>zorglub</mark> &lt;b&gt;gras&lt;/b&gt;');
  assert.equal(hit.snippet, 'Texte <img src=x onerror=alert(1)> zorglub <b>gras</b>', 'the plain snippet is text, to be escaped by whoever shows it');
});

test('kind filter with counts per kind, and pagination in SQL', async () => {
  const many = Array.from({ length: 45 }, (_, i) => doc(`p${i}`, `Paginé ${i}`, 'quokka'));
  await put(...many, doc('other1', 'Autre', 'quokka', { kind: 'test_other' }));
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'quokka', page: 1, countKinds: ['test_doc', 'test_other'] });
  assert.equal(r.total, 46);
  assert.deepEqual(r.counts, { test_doc: { n: 45, capped: false }, test_other: { n: 1, capped: false } });
  const filtered = await searchDocs(t.database.db, t.commune.id, { text: 'quokka', kinds: ['test_other'], page: 1, countKinds: ['test_doc', 'test_other'] });
  assert.equal(filtered.total, 1);
  assert.deepEqual(filtered.rows.map((x) => x.key), ['other1']);
  const pages = [await keys('quokka', ['test_doc'], 1), await keys('quokka', ['test_doc'], 2), await keys('quokka', ['test_doc'], 3), await keys('quokka', ['test_doc'], 4)];
  assert.deepEqual(pages.map((p) => p.length), [20, 20, 5, 0]);
  assert.equal(new Set(pages.flat()).size, 45, 'no item on two pages');
});

test('incremental: an update replaces the item, invisible removes it, removeDoc removes it; other items untouched', async () => {
  await put(doc('u1', 'Marché hebdomadaire', 'ancien texte wombat'), doc('u2', 'Voisin', 'wombat'));
  assert.deepEqual((await keys('wombat')).sort(), ['u1', 'u2']);
  await put(doc('u1', 'Marché hebdomadaire', 'nouveau texte numbat'));
  assert.deepEqual(await keys('wombat'), ['u2'], 'the old text is gone');
  assert.deepEqual(await keys('numbat'), ['u1']);
  await put(doc('u1', 'Marché hebdomadaire', 'nouveau texte numbat', { visible: false }));
  assert.deepEqual(await keys('numbat'), [], 'invisible: removed');
  await t.database.db.transaction().execute((trx) => removeDoc(trx, t.commune.id, 'test_doc', 'u2'));
  assert.deepEqual(await keys('wombat'), []);
  await t.database.db.transaction().execute((trx) => removeDoc(trx, t.commune.id, 'test_doc', 'never-there'));
});

test('long texts: the first MAX_INDEXED_CHARS characters are indexed', async () => {
  const filler = 'remplissage '.repeat(Math.ceil(MAX_INDEXED_CHARS / 12));
  await put(doc('long', 'Long', `ocelot ${filler} margay`));
  assert.deepEqual(await keys('ocelot'), ['long']);
  assert.deepEqual(await keys('margay'), [], 'beyond the cap: not indexed');
});

test('engine syntax in queries never errors (service, page and JSON)', async () => {
  const nasty = ['"', '""', '"budget', 'budget"', '*', 'bud*', '* budget', 'NEAR', 'NEAR(budget conseil)', 'budget NEAR/2 conseil', '-budget', 'budget -conseil',
    ':', 'title:budget', 'scope:c1', '{title body}: x', '(', ')', '(budget', 'budget)', '((()))', 'AND', 'OR NOT', 'budget & conseil | !x', "'", "budget'", '\\', '%', '_',
    '^budget', 'budget:*', '<->', 'a\u0000b', '\u202Ebudget', 'ــــ', '٭', '"مجلس', 'NOT الميزانية', 'x'.repeat(5000)];
  // A NUL character is refused by the platform before any handler (400, translated): never an error of the search.
  const c = new Client(t.url);
  for (const q of nasty) {
    await searchDocs(t.database.db, t.commune.id, { text: q, page: 1, countKinds: ['commitment', 'test_doc'] });
    const status = q.includes('\u0000') ? 400 : 200;
    const page = await c.get(`/fr/search?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, status, `page for ${JSON.stringify(q.slice(0, 40))}`);
    const json = await c.get(`/api/search.json?q=${encodeURIComponent(q)}&page=${encodeURIComponent(q.slice(0, 10))}`);
    assert.equal(json.status, status, `JSON for ${JSON.stringify(q.slice(0, 40))}`);
    if (status === 400) assert.equal(JSON.parse(json.text).error, 'invalid_characters');
  }
});

// ---------- Through the modules' services ----------

test('a body renamed is found by its new name only; a decision recorded makes it findable by its title', async () => {
  const ctx = await t.ctx();
  const id = await gov.createBody(ctx, { slug: 'comite-capybara', kind: 'other', name: { fr: 'Comité capybara', ar: 'لجنة الكابيبارا' }, description: { fr: 'Suivi des parcs.' } });
  assert.deepEqual(await keys('capybara', ['body']), ['comite-capybara']);
  await gov.updateBody(ctx, id, { kind: 'other', name: { fr: 'Comité axolotl' }, description: { fr: 'Suivi des parcs.' } });
  assert.deepEqual(await keys('capybara', ['body']), []);
  assert.deepEqual(await keys('axolotl', ['body']), ['comite-capybara']);
  await gov.recordDecision(ctx, id, { decidedOn: '2026-02-01', title: { fr: 'Adoption du programme pangolin' }, outcome: 'consensus' });
  assert.deepEqual(await keys('pangolin', ['body']), ['comite-capybara']);
});

test('a commitment and an action edited are re-indexed', async () => {
  const ctx = await t.ctx();
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'budget citoyen', kinds: ['commitment'], page: 1 });
  const commitmentId = Number(r.rows[0].key);
  const planSlug = r.rows[0].path.split('/')[2];
  const edit = await plans.commitmentForEdit(ctx, planSlug, commitmentId);
  await plans.updateCommitment(ctx, planSlug, commitmentId, { ...edit.values, title_fr: 'Engagement tapir pour tous' });
  assert.deepEqual(await keys('tapir', ['commitment']), [String(commitmentId)]);
  const actionId = await plans.createAction(ctx, commitmentId, { title: { fr: 'Action okapi' }, institutionId: (await t.database.db.selectFrom('institutions').select('id').where('commune_id', '=', t.commune.id).where('kind', '=', 'department').executeTakeFirstOrThrow()).id });
  const hit = (await searchDocs(t.database.db, t.commune.id, { text: 'okapi', kinds: ['action'], page: 1 })).rows;
  assert.deepEqual(hit.map((x) => x.key), [String(actionId)]);
  assert.match(hit[0].path, new RegExp(`/commitments/[^/]+#action-${actionId}$`));
});

test('private content is never indexed: a reporter\'s name, email and phone, internal evidence, invisible items', async () => {
  const anon: Ctx = { ...(await t.ctx()), actor: null };
  const secret = `zz${randomBytes(4).toString('hex')}`;
  const { reference } = await requests.submitRequest(anon, {
    category: 'eclairage', district: 'medina', description: 'Lampadaire suricate éteint.', q_nombre: '2',
    name: `Nom${secret}`, email: `mail${secret}@example.org`, phone: '+212 611 22 33 44',
  }, { channel: 'web' });
  assert.deepEqual(await keys('suricate', ['request']), [reference], 'the public description is found');
  for (const q of [`nom${secret}`, `mail${secret}`, secret, '611 22 33 44', 'example org']) {
    assert.deepEqual((await searchDocs(t.database.db, t.commune.id, { text: q, page: 1 })).rows.filter((x) => x.kind === 'request').map((x) => x.key), [], `reporter data ${q}`);
  }
  // Internal evidence of a commitment.
  const ctx = await t.ctx();
  const r = await searchDocs(t.database.db, t.commune.id, { text: 'budget', kinds: ['commitment'], page: 1 });
  await plans.addCommitmentEvidence(ctx, r.rows[0].path.split('/')[2], Number(r.rows[0].key), { evidence_title: `Note interne ${secret}x`, evidence_url: '', evidence_visibility: 'internal' }, null).catch(() => {});
  // Invisible items planted directly.
  await put(doc('hidden1', `Caché ${secret}y`, 'embargo', { visible: false }));
  const c = new Client(t.url);
  for (const q of [`${secret}x`, `${secret}y`, `nom${secret}`, secret]) {
    assert.equal((await searchDocs(t.database.db, t.commune.id, { text: q, page: 1 })).total, 0, q);
    const page = await c.get(`/fr/search?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /class="search-hit"/, `no result for ${q}`);
    const json = JSON.parse((await c.get(`/api/search.json?q=${encodeURIComponent(q)}`)).text);
    assert.deepEqual(json.results, []);
  }
  // The request's index entry itself holds no reporter data.
  const row = await (t.database.db as AnyDB).selectFrom('search_docs').selectAll().where('key', '=', reference).executeTakeFirstOrThrow();
  assert.doesNotMatch(JSON.stringify(row), new RegExp(`${secret}|611`));
});

test('a full rebuild writes every source again and removes what no source yields', async () => {
  await put(doc('stale', 'Périmé', 'dodo'), { ...doc('gone', 'Disparu', 'dodo'), kind: 'request', key: 'TET-1999-999999' });
  const ctx = await t.ctx();
  const report = await rebuildIndex(ctx, searchSources());
  assert.ok(report.find((r) => r.kind === 'request')!.removed >= 1, 'the request no source yields is removed');
  assert.deepEqual((await searchDocs(t.database.db, t.commune.id, { text: 'dodo', page: 1 })).rows.map((x) => x.key), ['stale'], 'other kinds are left alone');
  assert.ok((await keys('budget', ['commitment'])).length > 0, 'the sources are indexed again');
});

// ---------- HTTP ----------

test('the results page: empty query, results with the kind filter, no results, unknown kind; the header box', async () => {
  const c = new Client(t.url);
  const home = await c.get('/fr/');
  assert.match(home.text, /<form method="get" action="\/fr\/search" role="search"/, 'the header has a GET search form');
  const empty = await c.get('/fr/search');
  assert.equal(empty.status, 200);
  assert.match(textOf(empty.text), /Cherchez dans tout ce que la commune publie/);
  const ok = await c.get('/fr/search?q=budget');
  assert.match(ok.text, /aria-current="page"[^>]*>Tout <span class="count">\(\d+\)/);
  assert.match(ok.text, /<mark>budget/i);
  const filtered = await c.get('/fr/search?q=budget&kind=body');
  assert.match(textOf(filtered.text), /Aucun résultat pour « \u2068budget\u2069 »/);
  assert.match(filtered.text, /href="\/fr\/search\?q=budget">Retirer le filtre « Instances »/, 'suggests removing the filter');
  const ar = await c.get(`/ar/search?q=${encodeURIComponent('xyzzy')}`);
  assert.match(textOf(ar.text), /لا توجد نتائج للبحث عن/);
  const unknownKind = await c.get('/fr/search?q=budget&kind=nope');
  assert.equal(unknownKind.status, 200, 'an unknown kind is dropped on the page');
  const words = await c.get('/fr/search?q=%22*%22');
  assert.match(textOf(words.text), /aucun mot à chercher/);
  const page2 = await c.get('/fr/search?q=budget&page=999');
  assert.equal(page2.status, 200);
  assert.match(textOf(page2.text), /Revenir à la première page/);
});

test('the JSON twin: shape, filter, unknown kind refused', async () => {
  const c = new Client(t.url);
  const r = await c.get('/api/search.json?q=budget&kind=commitment');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  const b = JSON.parse(r.text);
  assert.equal(b.query, 'budget');
  assert.ok(b.total > 0 && b.results.length > 0);
  assert.ok(b.results.every((x: any) => x.kind === 'commitment' && x.url.startsWith('/fr/plans/') && typeof x.title === 'object'));
  assert.deepEqual(Object.keys(b.counts).sort(), ['action', 'body', 'commitment', 'deliberation', 'document', 'information', 'petition', 'process', 'proposal', 'request', 'survey']);
  const bad = await c.get('/api/search.json?q=budget&kind=nope');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).error, 'invalid_input');
  const none = JSON.parse((await c.get('/api/search.json')).text);
  assert.deepEqual([none.total, none.results], [0, []]);
});

// ---------- Both engines give the same results ----------

const CORPUS: SearchDoc[] = [
  doc('c1', 'Délibération du conseil communal', { fr: 'Le conseil a voté le budget primitif 2026.', ar: 'صادق المجلس الجماعي على الميزانيّة الأولية لسنة ٢٠٢٦.' }),
  doc('c2', 'الميزانية التشاركية', 'اقتراحات المواطنين للميزانية. Budget participatif des quartiers.'),
  doc('c3', 'Éclairage public', 'Remplacement des lampadaires de la médina; l’éclairage à LED.'),
  doc('c4', 'Assainissement', 'Réseau d’égouts, والصرف الصحي في الأحياء.'),
  doc('c5', 'Marchés publics', 'Appel d’offres pour la délibération sur les marchés; budget de fonctionnement.'),
  doc('c6', 'Caché', 'budget secret', { visible: false }),
];
const QUERIES = ['budget', 'الميزانية', 'الميزانيّة', 'deliberation', 'DÉLIBÉRATION conseil', 'بالميزانية', 'ميزان', 'budg', 'eclairage', 'صرف', '2026', '٢٠٢٦', 'secret', '"budget', 'NEAR(', 'marches publics'];

async function engineDb(kind: 'sqlite' | 'postgres'): Promise<{ database: Database; communeId: number; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-search-'));
  const schema = kind === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const database = await openDatabase({ databaseUrl: kind === 'postgres' ? PG_URL : undefined, schema, dataDir: dir });
  await migrate(database, coreMigrations);
  const { id } = await (database.db as AnyDB).insertInto('communes').values({ slug: 'x', name: '{}', hosts: '', region: '{}', population: null, sample: 0, created_at: '2026-01-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow();
  return {
    database, communeId: id,
    async cleanup() {
      await database.close();
      if (schema) { const cl = new pg.Client({ connectionString: PG_URL }); await cl.connect(); try { await cl.query(`drop schema ${schema} cascade`); } finally { await cl.end(); } }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('the same queries give the same items on SQLite and PostgreSQL', { skip: PG_URL ? false : 'PostgreSQL only in the second pass (TEST_DATABASE_URL)' }, async () => {
  const engines = [await engineDb('sqlite'), await engineDb('postgres')];
  try {
    const results: Record<string, string[][]> = {};
    for (const e of engines) {
      await e.database.db.transaction().execute(async (trx) => { for (const d of CORPUS) await indexDoc(trx, e.communeId, d); });
      for (const q of QUERIES) {
        const r = await searchDocs(e.database.db, e.communeId, { text: q, page: 1 });
        (results[q] ??= []).push(r.rows.map((x) => x.key).sort());
      }
      // Ranking: the title match first on both.
      assert.equal((await searchDocs(e.database.db, e.communeId, { text: 'assainissement', page: 1 })).rows[0]?.key, 'c4', e.database.engine);
      assert.equal((await searchDocs(e.database.db, e.communeId, { text: 'deliberation', page: 1 })).rows[0]?.key, 'c1', `title before body (${e.database.engine})`);
    }
    for (const q of QUERIES) assert.deepEqual(results[q][0], results[q][1], `same items for ${q}`);
    assert.deepEqual(results['الميزانية'][0], ['c1', 'c2']);
    assert.deepEqual(results['بالميزانية'][0], ['c1', 'c2']);
    assert.deepEqual(results['deliberation'][0], ['c1', 'c5']);
    assert.deepEqual(results['budget'][0], ['c1', 'c2', 'c5'], 'the invisible one is not there');
    assert.deepEqual(results['2026'][0], ['c1']);
  } finally {
    for (const e of engines) await e.cleanup();
  }
});
