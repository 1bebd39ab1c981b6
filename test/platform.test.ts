/**
 * Many communes on one platform (issue 17): the operator role and area, a commune's life (suspended, archived), its
 * settings (path form, languages, colours checked for contrast, modules off, logo), the first administrator's
 * invitation, and the DCAT-AP 3 catalogs.
 */
import './no-chromium.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import jsonld from 'jsonld';
import { startApp, Client, PASSWORD, textOf, type TestApp } from './helpers.ts';
import { contrastRatio, worstContrast, darken, AA_TEXT } from '../src/modules/platform/contrast.ts';
import * as platform from '../src/modules/platform/service.ts';
import { verifyAudit } from '../src/core/audit/index.ts';
import { withBase } from '../src/core/http/index.tsx';
import { publicOrigin } from '../src/core/http/origin.ts';

let t: TestApp;
let operator: Client;
let tetouanAdmin: Client;
const C = '/c/chaouen';

before(async () => {
  t = await startApp();
  const { email } = await t.user('citizen');
  const r = await platform.grantOperator(platform.asPlatformOperator(await t.ctx()), email);
  assert.equal(r.granted, true);
  assert.deepEqual(r.communes, ['tetouan']);
  operator = new Client(t.url);
  await operator.login(email);
  tetouanAdmin = new Client(t.url);
  await tetouanAdmin.login('admin@tetouan.local', t.adminPassword);
});
after(async () => { await t?.close(); });

test('WCAG contrast: the formula gives the reference ratios, and AA is 4.5:1 against every page colour', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
  // Reference values (WebAIM contrast checker): #777777 on white 4.48, #767676 on white 4.54.
  assert.equal(contrastRatio('#777777', '#ffffff').toFixed(2), '4.48');
  assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
  assert.equal(contrastRatio('#0b4f6c', '#ffffff'), contrastRatio('#ffffff', '#0b4f6c'));
  assert.ok(worstContrast('#767676') < contrastRatio('#767676', '#ffffff'), 'the grey surface is darker than white');
  assert.ok(worstContrast('#0b4f6c') >= AA_TEXT);
  assert.ok(worstContrast('#ffcc00') < AA_TEXT);
  assert.equal(darken('#808080', 0.5), '#404040');
});

test('the path form prefixes root-relative links only', () => {
  assert.equal(withBase('<a href="/fr/x">a</a><a href="//evil/x">b</a><a href="https://x/y">c</a><form action="/fr/p">', '/c/s'),
    '<a href="/c/s/fr/x">a</a><a href="//evil/x">b</a><a href="https://x/y">c</a><form action="/c/s/fr/p">');
  assert.equal(publicOrigin({ baseUrl: 'http://h:3000', defaultCommune: 'tetouan' }, { hosts: [], slug: 'chaouen' }), 'http://h:3000/c/chaouen');
  assert.equal(publicOrigin({ baseUrl: 'http://h:3000', defaultCommune: 'tetouan' }, { hosts: [], slug: 'tetouan' }), 'http://h:3000');
});

test('the operator area is for operators only: not a commune administrator, not a visitor', async () => {
  assert.equal((await tetouanAdmin.get('/fr/operator/communes')).status, 403);
  const anon = await new Client(t.url).get('/fr/operator/communes');
  assert.equal(anon.status, 303);
  assert.match(anon.location ?? '', /\/fr\/login/);
  const res = await operator.get('/fr/operator/communes');
  assert.equal(res.status, 200);
  assert.match(res.text, /tetouan/);
  // The staff home lists it for the operator (and only for them).
  assert.match((await operator.get('/fr/admin')).text, /\/fr\/operator\/communes/);
  assert.doesNotMatch((await tetouanAdmin.get('/fr/admin')).text, /\/operator\/communes/);
});

test('an operator creates a commune; its first administrator is invited by mail and signs in through the path form', async () => {
  await operator.get('/fr/operator/communes');
  const bad = await operator.post('/fr/operator/communes', { slug: 'Bad Slug!', name_fr: 'X', name_ar: '', name_en: '', hosts: 'not a host!', population: 'many', admin_email: 'nope' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /value="Bad Slug!"/, 'the input is kept');
  assert.match(bad.text, /error-summary/);
  const taken = await operator.post('/fr/operator/communes', { slug: 'tetouan', name_fr: 'Encore', name_ar: '', name_en: '', hosts: '', population: '', admin_email: '' });
  assert.equal(taken.status, 422);
  assert.match(textOf(taken.text), /déjà cet identifiant/);

  await operator.get('/fr/operator/communes');
  const ok = await operator.post('/fr/operator/communes', { slug: 'chaouen', name_fr: 'Chefchaouen', name_ar: 'شفشاون', name_en: 'Chefchaouen', hosts: '', population: '42786', admin_email: 'Maire@Chaouen.test' });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal(ok.location, '/fr/operator/communes/chaouen');
  const c = t.app.tenancy.bySlugOrNull('chaouen');
  assert.ok(c, 'the running app resolves the new commune at once');

  const db = t.database.db;
  const mail = await db.selectFrom('outbox').select(['to_addr', 'subject', 'body_text']).where('commune_id', '=', c.id).executeTakeFirstOrThrow();
  assert.equal(mail.to_addr, 'Maire@Chaouen.test');
  assert.match(mail.subject, /Chefchaouen/);
  const link = /(http\S+\/password\/reset\/\S+)/.exec(mail.body_text)?.[1];
  assert.ok(link?.startsWith(`${t.url}${C}/fr/password/reset/`), link);

  const invited = new Client(t.url);
  const form = await invited.get(link!.slice(t.url.length));
  assert.equal(form.status, 200);
  assert.match(form.text, new RegExp(`action="${C}/fr/password/reset/`), 'the form posts back under the path form');
  const set = await invited.post(link!.slice(t.url.length), { password: PASSWORD });
  assert.equal(set.status, 303);
  assert.equal(set.location, `${C}/fr/login`);
  await invited.get(`${C}/fr/login`);
  const login = await invited.post(`${C}/fr/login`, { email: 'maire@chaouen.test', password: PASSWORD });
  assert.equal(login.status, 303);
  assert.ok(login.location?.startsWith(`${C}/`), login.location ?? '');
  const cookie = login.headers.getSetCookie().find((x) => x.startsWith('sid='));
  assert.match(cookie ?? '', /Path=\/c\/chaouen/i, 'the session cookie follows the base');
  const home = await invited.get(`${C}/fr/admin`);
  assert.equal(home.status, 200);
  assert.match(home.text, /Chefchaouen/);
  assert.match(home.text, new RegExp(`href="${C}/fr/admin/audit"`));
  assert.doesNotMatch(home.text, /href="\/fr\//, 'no link escapes the base');
  assert.match(home.text, new RegExp(`rel="canonical" href="${t.url}${C}/fr/admin"`));
  // Chaouen's administrator is nobody in Tétouan, and not an operator.
  assert.equal((await invited.get(`${C}/fr/operator/communes`)).status, 403);
  const onTetouan = await invited.get('/fr/admin');
  assert.equal(onTetouan.status, 303);

  const actions = (await db.selectFrom('audit_log').select('action').where('commune_id', '=', c.id).orderBy('id').execute()).map((r) => r.action);
  assert.deepEqual(actions.slice(0, 2), ['commune.create', 'commune.invite_admin']);
  assert.ok(actions.includes('password.reset'));
  assert.equal((await verifyAudit(db)).ok, true);
});

test('settings: colours refused below WCAG AA, languages, modules turned off; they stay inside their commune', async () => {
  const page = `/fr/operator/communes/chaouen`;
  const fields = (o: Record<string, string | string[]> = {}) => ({
    name_fr: 'Chefchaouen', name_ar: 'شفشاون', name_en: 'Chefchaouen', hosts: '', population: '42786', languages: ['fr', 'ar'], default_locale: 'fr',
    time_zone: 'Africa/Casablanca', color_primary: '', color_accent: '', modules_off: [], ...o,
  });
  await operator.get(page);
  const low = await operator.post(page, fields({ color_primary: '#ffcc00' }));
  assert.equal(low.status, 422);
  assert.match(low.text, /value="#ffcc00"/);
  assert.match(textOf(low.text), /Contraste insuffisant : 1\.\d\d:1/);
  await operator.get(page);
  assert.equal((await operator.post(page, fields({ time_zone: 'Mars/Olympus' }))).status, 422);
  await operator.get(page);
  assert.equal((await operator.post(page, fields({ default_locale: 'en' }))).status, 422);
  await operator.get(page);
  assert.equal((await operator.post(page, fields({ modules_off: ['accounts'] }))).status, 422, 'a core module cannot be turned off');
  await operator.get(page);
  const saved = await operator.post(page, fields({ color_primary: '#1d5c2e', modules_off: ['governance'] }));
  assert.equal(saved.status, 303);

  const anon = new Client(t.url);
  const home = await anon.get(`${C}/fr/`);
  assert.equal(home.status, 200);
  assert.match(home.text, new RegExp(`<link rel="stylesheet" href="${C}/theme.css`));
  assert.doesNotMatch(home.text, /hrefLang="en"|hreflang="en"/i);
  assert.doesNotMatch(home.text, new RegExp(`href="${C}/fr/bodies"`), 'the turned-off module leaves the menu');
  const css = await anon.get(`${C}/theme.css`);
  assert.match(css.text, /--primary: #1d5c2e/);
  assert.equal((await anon.get(`${C}/en/`)).status, 404, 'a language the commune does not publish');
  assert.equal((await anon.get(`${C}/ar/`)).status, 200);
  assert.equal((await anon.get(`${C}/fr/bodies`)).status, 404);
  const root = await anon.get(`${C}/`, { 'accept-language': 'en' });
  assert.equal(root.location, `${C}/fr/`, 'the root negotiates among the commune\'s languages');
  // Tétouan keeps every language, its module and its colours.
  assert.equal((await anon.get('/fr/bodies')).status, 200);
  assert.equal((await anon.get('/en/')).status, 200);
  assert.doesNotMatch((await anon.get('/fr/')).text, /theme\.css/);
});

test('a logo is checked by content, resized and served; anything else is refused with a message', async () => {
  const page = '/fr/operator/communes/chaouen';
  await operator.get(page);
  const fake = await operator.postMultipart(`${page}/logo`, {}, { logo: { name: 'logo.png', data: Buffer.from('<svg onload=alert(1)>'), type: 'image/png' } });
  assert.equal(fake.status, 422);
  assert.match(textOf(fake.text), /photo|image/i);
  const big = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#0b4f6c' } }).jpeg().toBuffer();
  await operator.get(page);
  const ok = await operator.postMultipart(`${page}/logo`, {}, { logo: { name: 'armoiries.jpg', data: big, type: 'image/jpeg' } });
  assert.equal(ok.status, 303);
  const res = await fetch(`${t.url}${C}/logo.png`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const logoBytes = Buffer.from(await res.arrayBuffer());
  const meta = await sharp(logoBytes).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(Math.max(meta.width!, meta.height!), platform.LOGO_EDGE);
  assert.match(await (await fetch(`${t.url}${C}/fr/`)).text(), new RegExp(`src="${C}/logo.png`));
  const fallback = await fetch(`${t.url}/logo.png`);
  assert.equal(fallback.status, 200, 'Tétouan has no logo: the platform\'s mark');
  assert.ok(!Buffer.from(await fallback.arrayBuffer()).equals(logoBytes), 'one commune\'s logo is not served on another');
});

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const TYPE = '@type';
/** The expansion runs offline: the context is inline, and any remote one is refused. */
const noNetwork = async (url: string) => { throw new Error(`no network: ${url}`); };

async function expand(doc: unknown) {
  const out: any[] = await jsonld.expand(doc, { documentLoader: noNetwork });
  const nodes: any[] = [];
  const walk = (n: any) => { if (Array.isArray(n)) n.forEach(walk); else if (n && typeof n === 'object') { if (n['@id'] || n[TYPE]) nodes.push(n); Object.values(n).forEach(walk); } };
  walk(out);
  return nodes;
}
const has = (n: any, p: string) => Array.isArray(n[p]) && n[p].length > 0;
const ofType = (nodes: any[], type: string) => nodes.filter((n) => (n[TYPE] ?? []).includes(type));

test('DCAT-AP 3: the commune catalog has the mandatory properties of every class, expanded without network', async () => {
  const anon = new Client(t.url);
  assert.match((await anon.get('/fr/open-data')).text, /href="\/fr\/open-data\/catalog\.jsonld"/, 'linked from the open-data page');
  const res = await anon.get('/fr/open-data/catalog.jsonld');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/ld\+json/);
  const nodes = await expand(JSON.parse(res.text));
  const [catalog] = ofType(nodes, `${DCAT}Catalog`);
  assert.ok(catalog);
  for (const p of [`${DCT}title`, `${DCT}description`, `${DCT}publisher`]) assert.ok(has(catalog, p), `Catalog ${p}`);
  const titles = catalog[`${DCT}title`].map((x: any) => x['@language']).sort();
  assert.deepEqual(titles, ['ar', 'en', 'fr']);
  const datasets = ofType(nodes, `${DCAT}Dataset`);
  assert.ok(datasets.length >= 3, `datasets: ${datasets.length}`);
  assert.equal(catalog[`${DCAT}dataset`].length, datasets.length);
  for (const d of datasets) {
    for (const p of [`${DCT}title`, `${DCT}description`, `${DCT}publisher`, `${DCT}license`, `${DCAT}theme`, `${DCT}temporal`, `${DCT}spatial`, `${DCT}modified`, `${DCAT}distribution`]) {
      assert.ok(has(d, p), `${d['@id']} ${p}`);
    }
    assert.match(d[`${DCT}modified`][0]['@value'], /^\d{4}-\d\d-\d\dT/);
    assert.equal(d[`${DCT}modified`][0][TYPE], 'http://www.w3.org/2001/XMLSchema#dateTime');
  }
  const dists = ofType(nodes, `${DCAT}Distribution`);
  assert.equal(dists.length, datasets.length);
  for (const d of dists) {
    for (const p of [`${DCAT}accessURL`, `${DCAT}mediaType`, `${DCT}format`]) assert.ok(has(d, p), `${d['@id']} ${p}`);
    const url: string = d[`${DCAT}accessURL`][0]['@id'];
    assert.ok(url.startsWith(`${t.url}/`), url);
    assert.match(d[`${DCAT}mediaType`][0]['@id'], /^https:\/\/www\.iana\.org\/assignments\/media-types\/(text\/csv|application\/json)$/);
  }
  // Every distribution answers (the catalog describes what is really there).
  for (const d of dists.slice(0, 6)) {
    const r = await fetch(d[`${DCAT}accessURL`][0]['@id']);
    assert.equal(r.status, 200, d[`${DCAT}accessURL`][0]['@id']);
    await r.body?.cancel();
  }
  const agents = ofType(nodes, `${FOAF}Agent`);
  assert.ok(agents.length >= 1 && agents.every((a) => has(a, `${FOAF}name`)), 'publisher foaf:name');
  assert.ok(!datasets.some((d) => String(d['@id']).endsWith('platform.catalogExport')), 'the catalog does not list itself');
});

test('the platform catalog aggregates every active commune, and a suspended or archived one changes what is served', async () => {
  const anon = new Client(t.url);
  const nodes = await expand(JSON.parse((await anon.get('/api/catalog.jsonld')).text));
  const catalogs = ofType(nodes, `${DCAT}Catalog`);
  const ids = catalogs.map((c) => c['@id']);
  assert.ok(ids.includes(`${t.url}/open-data/catalog.jsonld`), ids.join(' '));
  assert.ok(ids.includes(`${t.url}${C}/open-data/catalog.jsonld`), ids.join(' '));
  const root = catalogs.find((c) => c['@id'] === `${t.url}/api/catalog.jsonld`);
  assert.ok(has(root, `${DCAT}catalog`) && has(root, `${DCT}title`) && has(root, `${DCT}publisher`) && has(root, `${DCT}description`));

  const chaouen = new Client(t.url);
  await chaouen.get(`${C}/fr/login`);
  const login = await chaouen.post(`${C}/fr/login`, { email: 'maire@chaouen.test', password: PASSWORD });
  assert.equal(login.status, 303);
  const page = '/fr/operator/communes/chaouen';
  await operator.get(page);
  assert.equal((await operator.post(`${page}/status`, { status: 'suspended' })).status, 303);
  const pub = await anon.get(`${C}/fr/`);
  assert.equal(pub.status, 503);
  assert.match(textOf(pub.text), /suspendu/);
  assert.equal((await chaouen.get(`${C}/fr/admin/audit`)).status, 200, 'staff still read');
  await chaouen.get(`${C}/fr/admin/bodies`);
  const write = await chaouen.post(`${C}/fr/admin/bodies`, { slug: 'x', name_fr: 'X' });
  assert.equal(write.status, 503, 'staff change nothing');
  assert.equal((await anon.get('/fr/')).status, 200, 'Tétouan is untouched');
  const after = await expand(JSON.parse((await anon.get('/api/catalog.jsonld')).text));
  assert.ok(!ofType(after, `${DCAT}Catalog`).some((c) => c['@id'] === `${t.url}${C}/open-data/catalog.jsonld`), 'a suspended commune leaves the national catalog');

  await operator.get(page);
  assert.equal((await operator.post(`${page}/status`, { status: 'active' })).status, 303);
  assert.equal((await anon.get(`${C}/fr/`)).status, 200);
  await operator.get(page);
  assert.equal((await operator.post(`${page}/status`, { status: 'archived' })).status, 303);
  assert.equal((await anon.get(`${C}/fr/`)).status, 410);
  assert.equal((await chaouen.get(`${C}/fr/admin`)).status, 410);
  await operator.get(page);
  assert.equal((await operator.post(`${page}/status`, { status: 'active' })).status, 422, 'archiving is final');
  await operator.get('/fr/operator/communes/tetouan');
  assert.equal((await operator.post('/fr/operator/communes/tetouan/status', { status: 'suspended' })).status, 422, 'the default commune stays');
  const c = t.app.tenancy.bySlugOrNull('chaouen')!;
  const actions = (await t.database.db.selectFrom('audit_log').select(['action', 'after']).where('commune_id', '=', c.id).orderBy('id').execute());
  assert.deepEqual(actions.filter((a) => a.action.startsWith('commune.') && /suspend|resume|archive/.test(a.action)).map((a) => a.action), ['commune.suspend', 'commune.resume', 'commune.archive']);
  assert.match(String(actions.at(-1)?.after), /"operator":"citizen\./, 'the operator is named in the entry');
  assert.equal((await verifyAudit(t.database.db)).ok, true);
});
