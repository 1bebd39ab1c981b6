import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { startApp, Client, type TestApp } from './helpers.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';
import { rq } from '../src/modules/requests/repo.ts';
import { createOrUpdateCategory, createOrUpdateQuestion } from '../src/modules/requests/settings.ts';
import { synthesize } from '../src/modules/requests/synthetic.ts';
import { escapeXml, toXml } from '../src/modules/requests/open311/xml.ts';
import { w3c, parseW3c, w3cEndOfDay } from '../src/modules/requests/open311/dates.ts';

// ---------- A strict little XML reader: well-formedness, then a tree to compare with the JSON ----------

interface XmlNode { name: string; children: XmlNode[]; text: string }

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e as 'amp']!);
}

/** Parses the element-only XML Open311 answers use; throws on anything not well-formed. */
function parseXml(doc: string): XmlNode {
  const decl = '<?xml version="1.0" encoding="utf-8"?>';
  if (!doc.startsWith(decl)) throw new Error('no XML declaration');
  const body = doc.slice(decl.length).trim();
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(body)) throw new Error('forbidden character');
  const token = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlNode = { name: '#doc', children: [], text: '' };
  const stack: XmlNode[] = [root];
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length) {
    token.lastIndex = pos;
    m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${pos}: ${body.slice(pos, pos + 30)}`);
    pos = token.lastIndex;
    const [, close, name, selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text) || text.includes('>')) throw new Error(`unescaped text: ${text.slice(0, 40)}`);
      if (stack.length === 1 && text.trim()) throw new Error('text outside the root');
      top.text += unescape(text);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: XmlNode = { name, children: [], text: '' };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0];
}

const LISTS = new Set(['services', 'service_requests', 'errors', 'attributes', 'values', 'endpoints', 'formats']);
/** The XML tree as the JSON answer would be (every leaf a string). */
function plain(n: XmlNode): unknown {
  if (LISTS.has(n.name)) return n.children.map(plain);
  if (!n.children.length) return n.text;
  return Object.fromEntries(n.children.map((c) => [c.name, plain(c)]));
}
/** JSON values as strings, as XML carries them. */
function stringly(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stringly);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringly(x)]));
  return v === null || v === undefined ? '' : String(v);
}

// ---------- The application ----------

let t: TestApp;
const KEY = 'co_test_key_0123456789abcdefghij';
const REVOKED = 'co_revoked_key_0123456789abcdef';
const CATEGORY = 'o311-test';
const MARK = { email: 'planted.o311.7f3a@example.org', phone: '+212 611-734-982', first: 'Zoubida7f3a', last: 'Planted9c1e' };
/** Every Open311 answer this file receives, to scan for personal data at the end. */
const seen: string[] = [];
let created: { id: string; token: string };

async function api(method: 'GET' | 'POST', path: string, body?: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  let payload: string | undefined;
  if (body) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    payload = form.toString();
  }
  const res = await fetch(`${t.url}/open311/v2/${path}`, {
    method, body: payload, headers: { ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
  });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text), xml: () => parseXml(text), headers: res.headers };
}

/** Both formats of a GET: the JSON, and the XML checked well-formed and equal to it. */
async function both(path: string, status = 200) {
  const [p, q = ''] = path.split('?');
  const j = await api('GET', `${p}.json${q ? `?${q}` : ''}`);
  const x = await api('GET', `${p}.xml${q ? `?${q}` : ''}`);
  assert.equal(j.status, status, `${path}.json: ${j.text.slice(0, 300)}`);
  assert.equal(x.status, status, `${path}.xml: ${x.text.slice(0, 300)}`);
  assert.match(j.type, /^application\/json; charset=utf-8/);
  assert.match(x.type, /^text\/xml; charset=utf-8/);
  const json = j.json();
  const tree = x.xml();
  assert.deepEqual(plain(tree), stringly(json), `${path}: XML and JSON agree`);
  return { json, tree, xmlText: x.text };
}

const base = (extra: Record<string, string | string[]> = {}) => ({
  api_key: KEY, service_code: CATEGORY, lat: '35.5725', long: '-5.3690', description: 'Lampadaire tombé sur le trottoir',
  'attribute[kind]': 'pole', 'attribute[count]': '2', ...extra,
});

before(async () => {
  t = await startApp();
  const ctx = await t.ctx();
  const db = rq(t.database.db);
  const inst = await db.selectFrom('institutions').select(['id']).where('commune_id', '=', t.commune.id).where('slug', '=', 'operateur-proprete').executeTakeFirstOrThrow();
  const cat = await createOrUpdateCategory(ctx, null, {
    slug: CATEGORY, name: { fr: 'Mobilier urbain <cassé> & "dangereux"', ar: 'أثاث حضري مكسور', en: 'Broken street furniture' },
    description: { fr: 'Bancs, poteaux, barrières.', ar: 'كراسي، أعمدة، حواجز.' }, institutionId: inst.id, slaDays: 5, active: true,
  });
  const q = (code: string, kind: 'text' | 'number' | 'single' | 'multiple' | 'date', required: boolean, sort: number, options: string[] = []) =>
    createOrUpdateQuestion(ctx, cat, null, {
      code, kind, required, sort, label: { fr: `Question ${code}`, ar: `سؤال ${code}` }, hint: code === 'note' ? { fr: 'Précisez.' } : {},
      options: options.map((o) => ({ value: o, label: { fr: `Choix ${o}`, ar: `اختيار ${o}` } })),
    });
  await q('kind', 'single', true, 1, ['pole', 'bench', 'barrier']);
  await q('count', 'number', true, 2);
  await q('seen', 'date', false, 3);
  await q('parts', 'multiple', false, 4, ['base', 'top']);
  await q('note', 'text', false, 5);
  await db.insertInto('api_keys').values([
    { commune_id: t.commune.id, name: 'Test app', key_hash: sha256(KEY), created_at: iso(), revoked_at: null },
    { commune_id: t.commune.id, name: 'Old app', key_hash: sha256(REVOKED), created_at: iso(), revoked_at: iso() },
  ]).execute();
});
after(async () => { await t.close(); });

describe('serialisation', () => {
  test('XML escapes markup and drops characters XML 1.0 forbids', () => {
    assert.equal(escapeXml(`a<b>&"c'\u0000\u0007\uFFFE\uD800z`), 'a&lt;b&gt;&amp;&quot;c&apos;z');
    const doc = toXml('services', [{ service_code: 'x&y', metadata: true, n: 3, empty: null }], { services: 'service' });
    assert.deepEqual(plain(parseXml(doc)), [{ service_code: 'x&y', metadata: 'true', n: '3', empty: '' }]);
    assert.throws(() => parseXml('<?xml version="1.0" encoding="utf-8"?><a><b></a></b>'));
    assert.throws(() => parseXml('<?xml version="1.0" encoding="utf-8"?><a>x & y</a>'));
  });

  test('W3C dates carry the Africa/Casablanca offset and read back as the same instant', () => {
    assert.equal(w3c('2026-11-25T12:04:00.000Z'), '2026-11-25T13:04:00+01:00');
    // During Ramadan Morocco goes back to UTC+0 (2026: mid-February to late March).
    assert.match(w3c('2026-03-01T12:00:00.000Z'), /^2026-03-01T12:00:00\+00:00$/);
    assert.equal(parseW3c('2026-11-25T13:04:00+01:00'), Date.parse('2026-11-25T12:04:00Z'));
    assert.equal(parseW3c('2026-11-25T13:04:00 01:00'), Date.parse('2026-11-25T12:04:00Z'), 'an unencoded + arrives as a space');
    assert.equal(parseW3c('2026-11-25T12:04:00Z'), Date.parse('2026-11-25T12:04:00Z'));
    assert.equal(parseW3c('2026-11-25'), Date.parse('2026-11-24T23:00:00Z'), 'a day starts at local midnight');
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '2026-11-25T25:00:00Z', '2026-11-25T10:00:00+15:00', '']) assert.equal(parseW3c(bad), null, bad);
    assert.equal(w3cEndOfDay('2026-11-25'), '2026-11-25T23:59:59+01:00');
  });
});

describe('discovery and services', () => {
  test('discovery names the GeoReport v2 endpoint and both formats', async () => {
    const { json } = await both('discovery');
    assert.equal(json.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.equal(json.endpoints[0].url, `${t.url}/open311/v2`);
    assert.deepEqual(json.endpoints[0].formats, ['text/xml', 'application/json']);
    assert.match(json.changeset, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    const res = await api('GET', 'discovery.json');
    assert.equal(res.headers.get('access-control-allow-origin'), '*', 'public data, readable from any page');
  });

  test('services lists the active categories with code, name, metadata, type, keywords and group', async () => {
    const { json, xmlText } = await both('services');
    const s = json.find((x: any) => x.service_code === CATEGORY);
    assert.deepEqual(Object.keys(s), ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    assert.equal(s.service_name, 'Mobilier urbain <cassé> & "dangereux"');
    assert.equal(s.metadata, true);
    assert.equal(s.type, 'realtime');
    assert.match(s.keywords, /أثاث حضري مكسور/);
    assert.equal(s.group, 'Opérateur délégué de collecte des déchets');
    assert.ok(xmlText.includes('Mobilier urbain &lt;cassé&gt; &amp; &quot;dangereux&quot;'));
    assert.ok(json.some((x: any) => x.service_code === 'dechets'), 'the demo categories too');
    // Accept-Language picks the language of names.
    const ar = await api('GET', 'services.json', undefined, { 'accept-language': 'ar' });
    assert.equal(ar.json().find((x: any) => x.service_code === CATEGORY).service_name, 'أثاث حضري مكسور');
  });

  test('a service definition gives every attribute with its datatype, and an unknown code is 404', async () => {
    const { json } = await both(`services/${CATEGORY}`);
    assert.equal(json.service_code, CATEGORY);
    const byCode = Object.fromEntries(json.attributes.map((a: any) => [a.code, a]));
    assert.deepEqual(json.attributes.map((a: any) => [a.code, a.datatype, a.required, a.order]), [
      ['kind', 'singlevaluelist', true, 1], ['count', 'number', true, 2], ['seen', 'datetime', false, 3], ['parts', 'multivaluelist', false, 4], ['note', 'text', false, 5],
    ]);
    for (const a of json.attributes) {
      assert.equal(a.variable, true);
      assert.ok(a.description.startsWith('Question '));
      assert.ok(a.datatype_description.length > 3, `${a.code} has a datatype description`);
    }
    assert.equal(byCode.note.datatype_description, 'Précisez.');
    assert.deepEqual(byCode.kind.values, [{ key: 'pole', name: 'Choix pole' }, { key: 'bench', name: 'Choix bench' }, { key: 'barrier', name: 'Choix barrier' }]);
    assert.equal(byCode.count.values, undefined);
    const missing = await both('services/no-such-service', 404);
    assert.equal(missing.json[0].code, 404);
    assert.match(missing.json[0].description, /no-such-service/);
  });
});

describe('POST requests', () => {
  async function post(fields: Record<string, string | string[]>, format: 'json' | 'xml' = 'json', extraPath = '') {
    return api('POST', `requests.${format}${extraPath}`, fields);
  }
  async function error(fields: Record<string, string | string[]>, status: number, pattern: RegExp) {
    const j = await post(fields, 'json');
    assert.equal(j.status, status, j.text);
    const errs = j.json();
    assert.ok(Array.isArray(errs) && errs.length >= 1);
    assert.ok(errs.every((e: any) => e.code === status && typeof e.description === 'string'));
    assert.ok(errs.some((e: any) => pattern.test(e.description)), `${pattern} in ${j.text}`);
    const x = await post(fields, 'xml');
    assert.equal(x.status, status);
    const tree = x.xml();
    assert.equal(tree.name, 'errors');
    assert.deepEqual(plain(tree), stringly(errs));
  }

  test('the API key is required, must be known and not revoked (403)', async () => {
    const { api_key: _, ...noKey } = base();
    await error(noKey, 403, /api_key/);
    await error(base({ api_key: 'co_wrong' }), 403, /api_key/);
    await error(base({ api_key: REVOKED }), 403, /révoquée/);
  });

  test('bad input is 400 with one error per parameter, and nothing is stored', async () => {
    const db = rq(t.database.db);
    const count = async () => Number((await db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    // An unknown service is 404, as GeoReport v2 lists it for POST Service Request.
    await error(base({ service_code: 'no-such-service' }), 404, /service_code.*no-such-service/);
    await error(base({ service_code: '' }), 400, /service_code/);
    const { lat: _l, long: _g, ...noPlace } = base();
    await error(noPlace, 400, /lat.*long.*address_string/);
    const { 'attribute[kind]': _k, ...noKind } = base();
    await error(noKind, 400, /attribute\[kind\]/);
    await error(base({ 'attribute[kind]': 'rocket' }), 400, /attribute\[kind\]/);
    await error(base({ 'attribute[count]': 'many' }), 400, /attribute\[count\]/);
    await error(base({ 'attribute[seen]': '2026-02-31' }), 400, /attribute\[seen\]/);
    await error(base({ description: 'x'.repeat(4001) }), 400, /description.*4[\s\u202f ]?000/);
    await error(base({ description: '' }), 400, /description/);
    await error(base({ lat: '91' }), 400, /lat/);
    await error(base({ long: 'east' }), 400, /long/);
    await error(base({ email: 'not-an-email' }), 400, /email/);
    assert.equal(await count(), before);
  });

  test('a valid request is stored through the one submission path and answered with its id and a token', async () => {
    const fields = base({
      description: 'Poteau <tordu> & dangereux\nprès de l’école',
      email: MARK.email, phone: MARK.phone, first_name: MARK.first, last_name: MARK.last,
      'attribute[seen]': '2026-11-20T10:00:00+01:00', 'attribute[parts][]': ['base', 'top'], 'attribute[note]': 'Rouillé',
    });
    const res = await post(fields, 'json');
    assert.equal(res.status, 200, res.text);
    const [r] = res.json();
    assert.match(r.service_request_id, /^TET-\d{4}-\d{6}$/);
    assert.ok(r.token);
    assert.ok(r.service_notice.includes(r.service_request_id));
    created = { id: r.service_request_id, token: r.token };
    const row = await rq(t.database.db).selectFrom('requests').selectAll().where('commune_id', '=', t.commune.id).where('reference', '=', r.service_request_id).executeTakeFirstOrThrow();
    assert.equal(row.channel, 'api');
    assert.equal(row.reporter_email, MARK.email, 'stored, privately');
    assert.equal(row.reporter_phone, MARK.phone);
    assert.equal(row.reporter_name, `${MARK.first} ${MARK.last}`);
    assert.equal(row.name_public, 0, 'never made public through the API');
    assert.deepEqual(JSON.parse(row.answers), { kind: 'pole', count: 2, seen: '2026-11-20', parts: ['base', 'top'], note: 'Rouillé' });
    assert.ok(row.district_id, 'the point placed it in its district');
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('commune_id', '=', t.commune.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.deepEqual(audit, { action: 'request.submit', entity_id: r.service_request_id });

    // XML answer; an address alone is a place.
    const { lat: _l, long: _g, ...noPoint } = base({ address_string: '12, rue de la Mosquée' });
    const x = await post(noPoint, 'xml');
    assert.equal(x.status, 200, x.text);
    const tree = plain(x.xml()) as any[];
    assert.match(tree[0].service_request_id, /^TET-\d{4}-\d{6}$/);

    // The request shows in the public list and its page.
    const c = new Client(t.url);
    const list = await c.get('/fr/requests');
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(created.id), 'in the HTML list');
    const page = await c.get(`/fr/requests/${created.id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('Poteau &lt;tordu> &amp; dangereux'), 'the description, escaped');
  });

  test('a token resolves to the request id; a forged or unknown token is 404', async () => {
    const { json } = await both(`tokens/${created.token}`);
    assert.deepEqual(json, [{ service_request_id: created.id, token: created.token }]);
    const forged = created.token.slice(0, -2) + (created.token.endsWith('AA') ? 'BB' : 'AA');
    await both(`tokens/${forged}`, 404);
    await both('tokens/nonsense', 404);
  });

  test('jurisdiction_id selects the commune; an unknown one is 404; a key works only for its commune', async () => {
    const db = rq(t.database.db);
    const { id } = await db.insertInto('communes').values({ slug: 'autre', name: JSON.stringify({ fr: 'Autre commune' }), hosts: 'autre.localhost', region: '{}', population: 1000, sample: 1, created_at: iso() })
      .returning('id').executeTakeFirstOrThrow();
    const { id: inst } = await db.insertInto('institutions').values({ commune_id: id, slug: 'travaux', kind: 'department', name: JSON.stringify({ fr: 'Travaux (autre)' }), description: '{}', lead: 0, sample: 1, sort: 0 }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('request_categories').values({ commune_id: id, slug: 'autre-voirie', name: JSON.stringify({ fr: 'Voirie (autre)' }), description: '{}', institution_id: inst, sla_days: 3, active: 1, sample: 1, sort: 0 }).execute();
    await t.app.tenancy.reload();
    const { json } = await both('services?jurisdiction_id=autre');
    assert.deepEqual(json.map((s: any) => s.service_code), ['autre-voirie']);
    assert.ok((await both('services?jurisdiction_id=tetouan')).json.some((s: any) => s.service_code === CATEGORY));
    const unknown = await both('services?jurisdiction_id=atlantis', 404);
    assert.match(unknown.json[0].description, /atlantis/);
    await both('requests?jurisdiction_id=atlantis', 404);
    await error(base({ jurisdiction_id: 'atlantis' }), 404, /atlantis/);
    await error(base({ jurisdiction_id: 'autre', service_code: 'autre-voirie' }), 403, /api_key/);
    // The request of one commune is not found through another.
    await both(`requests/${created.id}?jurisdiction_id=autre`, 404);
  });

  test('a photo sent as `media` in a multipart form is checked, stored, and linked as media_url', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(base({ description: 'Avec photo' }))) form.append(k, v as string);
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
    form.append('media', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body: form });
    const text = await res.text();
    seen.push(text);
    assert.equal(res.status, 200, text);
    const [{ service_request_id: id }] = JSON.parse(text);
    const { json } = await both(`requests/${id}`);
    assert.match(json[0].media_url, new RegExp(`^${t.url}/fr/requests/photos/\\d+$`));
    const photo = await fetch(json[0].media_url);
    assert.equal(photo.status, 200);
    assert.match(photo.headers.get('content-type') ?? '', /^image\//);
    // Not an image: refused, named as the media parameter.
    const bad = new FormData();
    for (const [k, v] of Object.entries(base())) bad.append(k, v as string);
    bad.append('media', new Blob([new TextEncoder().encode('not an image')], { type: 'image/jpeg' }), 'x.jpg');
    const refused = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body: bad });
    const refusedText = await refused.text();
    seen.push(refusedText);
    assert.equal(refused.status, 400);
    assert.match(JSON.parse(refusedText)[0].description, /^media: /);
  });

  test('`npx commune apikey add` prints a key that submits', async () => {
    const env = { ...process.env, DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl ?? '', DATABASE_SCHEMA: t.config.databaseSchema ?? '', LOG_LEVEL: 'silent' };
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'apikey', 'add', '--name', 'Application mobile'], { env, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const key = out.stdout.match(/co_[A-Za-z0-9_-]+/)?.[0];
    assert.ok(key, out.stdout);
    const res = await post(base({ api_key: key! }));
    assert.equal(res.status, 200, res.text);
  });
});

describe('GET requests', () => {
  test('a request by id, in both formats, with its public facts only', async () => {
    const { json } = await both(`requests/${created.id}`);
    assert.equal(json.length, 1);
    const r = json[0];
    assert.deepEqual(Object.keys(r), ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
      'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url']);
    assert.equal(r.service_request_id, created.id);
    assert.equal(r.status, 'open');
    assert.equal(r.service_code, CATEGORY);
    assert.equal(r.agency_responsible, 'Opérateur délégué de collecte des déchets');
    assert.equal(r.lat, 35.5725);
    assert.equal(r.long, -5.369);
    const row = await rq(t.database.db).selectFrom('requests').select(['created_at', 'due_on']).where('commune_id', '=', t.commune.id).where('reference', '=', created.id).executeTakeFirstOrThrow();
    assert.match(r.requested_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    assert.equal(Date.parse(r.requested_datetime), Math.floor(Date.parse(row.created_at) / 1000) * 1000);
    assert.equal(r.expected_datetime.slice(0, 10), row.due_on);
    await both('requests/TET-1999-000001', 404);
    await both('requests/%3Cscript%3E', 404);
  });

  test('filters: ids, service code, status, dates; newest first; bad values are 400', async () => {
    const all = (await both('requests')).json;
    assert.ok(all.length >= 2);
    const times = all.map((r: any) => Date.parse(r.requested_datetime));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');

    const other = all.find((r: any) => r.service_code !== CATEGORY);
    const ids = (await both(`requests?service_request_id=${created.id},${other.service_request_id},TET-1999-000001`)).json;
    assert.deepEqual(ids.map((r: any) => r.service_request_id).sort(), [created.id, other.service_request_id].sort());

    const mine = (await both(`requests?service_code=${CATEGORY}`)).json;
    assert.ok(mine.length >= 2 && mine.every((r: any) => r.service_code === CATEGORY));
    assert.deepEqual((await both('requests?service_code=no-such-service')).json, []);

    const open = (await both('requests?status=open')).json;
    const closed = (await both('requests?status=closed')).json;
    assert.ok(open.every((r: any) => r.status === 'open') && closed.every((r: any) => r.status === 'closed'));
    assert.equal(open.length + closed.length, all.length);
    assert.equal((await both('requests?status=open,closed')).json.length, all.length);

    const start = encodeURIComponent(w3c(new Date(Date.now() - 60_000).toISOString()));
    const recent = (await both(`requests?start_date=${start}`)).json;
    assert.ok(recent.some((r: any) => r.service_request_id === created.id));
    assert.ok(recent.every((r: any) => Date.parse(r.requested_datetime) >= Date.now() - 61_000));
    const end = encodeURIComponent(w3c(new Date(Date.now() - 86_400_000 * 400).toISOString()));
    assert.deepEqual((await both(`requests?end_date=${end}`)).json.filter((r: any) => r.service_request_id === created.id), []);

    for (const bad of ['start_date=yesterday', 'end_date=2026-02-30', 'status=pending', `start_date=2026-11-25&end_date=2026-11-01`, 'start_date=2026-11-25T25:00:00Z']) {
      const res = await both(`requests?${bad}`, 400);
      assert.equal(res.json[0].code, 400, bad);
    }
  });

  test('by default the last 90 days; with dates, older ones too', async () => {
    const db = rq(t.database.db);
    const old = new Date(Date.now() - 100 * 86_400_000);
    const { lat: _l, long: _g, ...noPoint } = base({ address_string: 'Ancienne adresse', description: 'Signalement ancien' });
    const [r] = (await api('POST', 'requests.json', noPoint)).json();
    await db.updateTable('requests').set({ created_at: iso(old), created_month: iso(old).slice(0, 7) }).where('commune_id', '=', t.commune.id).where('reference', '=', r.service_request_id).execute();
    assert.ok(!(await both('requests')).json.some((x: any) => x.service_request_id === r.service_request_id), 'outside the default window');
    const start = encodeURIComponent(w3c(new Date(old.getTime() - 86_400_000).toISOString()));
    assert.ok((await both(`requests?start_date=${start}`)).json.some((x: any) => x.service_request_id === r.service_request_id));
    assert.ok((await both(`requests?service_request_id=${r.service_request_id}`)).json.length === 1, 'by id, whatever its age');
  });

  test('at most 1,000 requests, the newest', async () => {
    await synthesize(t.database, { communes: 1, requests: 1_100, seed: 7, days: 30, defaultCommune: 'tetouan' });
    const res = await api('GET', 'requests.json');
    assert.equal(res.status, 200);
    const list = res.json();
    assert.equal(list.length, 1000);
    const newest = await rq(t.database.db).selectFrom('requests').select('reference').where('commune_id', '=', t.commune.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
    assert.deepEqual(list.map((r: any) => r.service_request_id), newest.map((r) => r.reference));
    const xml = await api('GET', 'requests.xml');
    assert.equal((plain(xml.xml()) as unknown[]).length, 1000);
  });
});

describe('robustness and privacy', () => {
  test('odd input never makes a 500', async () => {
    const odd: [string, string, Record<string, string | string[]> | undefined][] = [
      ['GET', `requests.json?service_request_id=${',x'.repeat(3000)}`, undefined],
      ['GET', 'requests.json?start_date=' + '9'.repeat(5000), undefined],
      ['GET', 'requests.json?service_code[]=a&status[]=open', undefined],
      ['GET', 'requests.json?service_request_id=%00%FF', undefined],
      ['GET', `requests/${'A'.repeat(190)}.json`, undefined],
      ['GET', 'requests.txt', undefined],
      ['GET', 'services', undefined],
      ['GET', 'nothing.json', undefined],
      ['GET', 'tokens/%E2%80%AE.xml', undefined],
      ['POST', 'services.json', base()],
      ['POST', 'requests.json', base({ 'attribute[kind]': ['pole', 'bench'], lat: '1e400', long: '-0' })],
      ['POST', 'requests.json', base({ 'attribute[count][]': ['1', '2'], 'attribute[]': 'x', 'attribute[a][b]': 'y' })],
      ['POST', 'requests.xml', { api_key: KEY.repeat(50) }],
      ['POST', 'requests.json', base({ jurisdiction_id: ['tetouan', 'autre'] })],
    ];
    for (const [method, path, body] of odd) {
      const res = await api(method as 'GET' | 'POST', path, body);
      assert.ok([200, 400, 403, 404].includes(res.status), `${method} ${path.slice(0, 60)} → ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status !== 200) assert.ok(Array.isArray(path.endsWith('.xml') ? plain(res.xml()) : res.json()));
    }
    const rawJson = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key": ' });
    assert.equal(rawJson.status, 400);
    const text = await rawJson.text();
    seen.push(text);
    assert.equal(JSON.parse(text)[0].code, 400);
    // A body that is not a form carries no key.
    const weird = await fetch(`${t.url}/open311/v2/requests.xml`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(weird.status, 403);
    const unknownType = await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-unknown' }, body: 'hello' });
    assert.equal(unknownType.status, 400);
    seen.push(await unknownType.text());
    const weirdText = await weird.text();
    seen.push(weirdText);
    assert.equal(parseXml(weirdText).name, 'errors');
  });

  test('no Open311 answer contains the reporter\'s email, phone or name', async () => {
    // Read everything once more, in both formats, then scan all answers of this file.
    await both(`requests?service_request_id=${created.id}`);
    await both('requests');
    await both(`requests/${created.id}`);
    await both(`tokens/${created.token}`);
    const markers = [MARK.email, MARK.phone, MARK.first, MARK.last, MARK.phone.replace(/\D/g, ''), 'example.invalid', 'reporter-'];
    assert.ok(seen.length > 50);
    for (const body of seen) for (const m of markers) assert.ok(!body.includes(m), `"${m}" leaked in ${body.slice(0, 200)}`);
  });
});
