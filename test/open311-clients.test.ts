/**
 * Open311 as clients nobody here wrote use it. Each block replays one client's requests as that
 * client builds them, and reads the answers as it reads them:
 * - FixMyStreet (perllib/Open311.pm): form-encoded POSTs (HTTP::Request::Common), multipart with
 *   photo1, photo2… when it uploads files, `address_id=#NOTPINPOINTED#`, CRLF-free Perl text,
 *   servicerequestupdates GET (api_key, start_date, end_date in UTC, jurisdiction_id) and POST
 *   (update_id, updated_datetime, service_request_id, status in capitals, email, first_name…), and
 *   XML read by XML::Simple with its options (ForceArray on the item tags, GroupTags, KeyAttr {},
 *   SuppressEmpty undef): `$obj->{request}->[0]->{service_request_id}`, `$obj->{request_update}`;
 * - georeport (Python): `services/{code}.json`, `requests/{id}.json` read as `response.json()[0]`;
 * - three (Python): multipart `media`;
 * - open311 (Node): the singular `service/{code}`.
 * Then the hardening: links never taken from Host or X-Forwarded-Host (cached or not), the
 * revalidated photo cache, typed coordinates, pages.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import sharp from 'sharp';
import { startApp, Client, PG_URL, actorFor, type TestApp } from './helpers.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';
import { rq } from '../src/modules/requests/repo.ts';
import { o3 } from '../src/modules/requests/open311/repo.ts';
import { acknowledge, resolve, reject, setPhotoHidden } from '../src/modules/requests/workflow.ts';

// ---------- XML read as XML::Simple reads it with FixMyStreet's options ----------

interface XmlNode { name: string; children: XmlNode[]; text: string }

/** A well-formedness-checking reader of the element-only XML Open311 answers use (throws otherwise, as expat does). */
function parseTree(doc: string): XmlNode {
  const m = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/i.exec(doc);
  if (!m) throw new Error('no XML declaration');
  const body = doc.slice(m[0].length);
  const token = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlNode = { name: '#doc', children: [], text: '' };
  const stack = [root];
  let pos = 0;
  while (pos < body.length) {
    token.lastIndex = pos;
    const t = token.exec(body);
    if (!t) throw new Error(`not well-formed at ${pos}: ${body.slice(pos, pos + 30)}`);
    pos = token.lastIndex;
    const [, close, name, selfClose, text] = t;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error('unescaped &');
      top.text += text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e as 'amp']!);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: XmlNode = { name, children: [], text: '' };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('not one closed root element');
  return root.children[0];
}

/** Open311.pm's `_get_xml_object`: the root dropped, item tags forced to arrays, groups collapsed, empty elements undef. */
const GROUP_TAGS: Record<string, string> = {
  services: 'service', attributes: 'attribute', values: 'value', service_requests: 'request', errors: 'error', service_request_updates: 'request_update',
};
const FORCE_ARRAY = new Set(Object.values(GROUP_TAGS));
type Perl = string | undefined | Perl[] | { [k: string]: Perl };
function xmlSimple(doc: string): Record<string, Perl> {
  const collapse = (n: XmlNode): Perl => {
    if (!n.children.length) return n.text === '' ? undefined : n.text;
    const out: Record<string, Perl> = {};
    for (const c of n.children) {
      let v = collapse(c);
      const g = GROUP_TAGS[c.name];
      if (g && v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && g in v) v = v[g];
      if (c.name in out) out[c.name] = [...(Array.isArray(out[c.name]) ? out[c.name] as Perl[] : [out[c.name]]), v];
      else out[c.name] = FORCE_ARRAY.has(c.name) ? [v] : v;
    }
    return out;
  };
  const v = collapse(parseTree(doc));
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** Open311.pm's `map_state`, and the states FixMyStreet lets an update set (`visible_states`). */
const FMS_STATE: Record<string, string> = { fixed: 'fixed - council', 'not councils responsibility': 'not responsible', 'no further action': 'unable to fix', open: 'confirmed', closed: 'closed' };
const mapState = (s: string) => { const k = s.toLowerCase().replace(/_/g, ' '); return FMS_STATE[k] ?? k; };
const VISIBLE = new Set(['confirmed', 'investigating', 'in progress', 'action scheduled', 'fixed - council', 'closed', 'duplicate', 'not responsible', 'unable to fix', 'internal referral']);

// ---------- The application ----------

let t: TestApp;
const KEY = 'co_fms_key_0123456789abcdefghijkl';
const POSTER = { email: 'poster.update.5d1c@example.org', first: 'Posterfirst5d1c', last: 'Posterlast8e2b', phone: '+212 600-557-331' };
const REPORTER = 'reporter.o311c.77aa@example.org';
const seen: string[] = [];
let jpeg: Buffer;

/** What FixMyStreet's `_post` sends: form-encoded, jurisdiction_id and api_key first. */
async function fmsPost(path: string, params: Record<string, string | string[]>) {
  const form = new URLSearchParams({ jurisdiction_id: 'tetouan', api_key: KEY });
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) form.append(k, x);
  return answer(await fetch(`${t.url}/open311/v2/${path}`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
}

/** The same with files (`Content_Type => 'form-data'`), each part named photo1, photo2…, a JPEG with its filename. */
async function fmsMultipart(path: string, params: Record<string, string>, files: Record<string, Buffer>) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ jurisdiction_id: 'tetouan', api_key: KEY, ...params })) form.append(k, v);
  for (const [k, data] of Object.entries(files)) form.append(k, new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), `${k}.jpeg`);
  return answer(await fetch(`${t.url}/open311/v2/${path}`, { method: 'POST', body: form }));
}

async function get(path: string, headers: Record<string, string> = {}) {
  return answer(await fetch(`${t.url}/open311/v2/${path}`, { headers }));
}

async function answer(res: Response) {
  const text = await res.text();
  seen.push(text);
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), perl: () => xmlSimple(text) };
}

const report = (extra: Record<string, string> = {}) => ({
  service_code: 'dechets', lat: '35.5725', long: '-5.3690', 'attribute[probleme]': 'bac-plein', first_name: 'Amina', last_name: 'R', ...extra,
});

async function staffCtx() {
  const u = await t.user('operator_staff', 'operateur-proprete');
  return t.ctx(await actorFor(t, u.id, u.email));
}

before(async () => {
  t = await startApp();
  await rq(t.database.db).insertInto('api_keys').values({ commune_id: t.commune.id, name: 'FixMyStreet', key_hash: sha256(KEY), created_at: iso(), revoked_at: null }).execute();
  jpeg = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#a63' } }).jpeg().toBuffer();
});
after(async () => { await t.close(); });

describe('FixMyStreet sends reports', () => {
  test('send_service_request: form-encoded, read back as $obj->{request}->[0]->{service_request_id}', async () => {
    // FixMyStreet's extended description: title, detail and url on lines of their own (Perl "\n"), plus a media_url.
    const res = await fmsPost('requests.xml', report({
      description: 'Bac renversé\r\n\r\nLe bac déborde depuis lundi.\r\n\r\nhttps://fixmystreet.example/report/1\n',
      email: REPORTER, media_url: 'https://fixmystreet.example/photo/1.full.jpeg',
    }));
    assert.equal(res.status, 200, res.text);
    const obj = res.perl();
    const request = (obj.request as Perl[])[0] as Record<string, Perl>;
    assert.equal(typeof request.service_request_id, 'string', 'not a ref: FixMyStreet keeps it as the external id');
    assert.match(request.service_request_id as string, /^TET-\d{4}-\d{6}$/);
    assert.match(request.service_notice as string, /media_url/, 'the answer says the URL was not fetched');
    const [r] = (await get(`requests/${request.service_request_id}.json`)).json();
    assert.equal(r.description, 'Bac renversé\n\nLe bac déborde depuis lundi.\n\nhttps://fixmystreet.example/report/1', 'CRLF normalised');
    assert.equal(r.media_url, '', 'no photo: the URL is never fetched');
  });

  test('address_id=#NOTPINPOINTED# is no address: with lat/long the request has none; alone it is a clear 400', async () => {
    const res = await fmsPost('requests.json', report({ description: 'Sans adresse', address_id: '#NOTPINPOINTED#' }));
    assert.equal(res.status, 200, res.text);
    const [r] = (await get(`requests/${res.json()[0].service_request_id}.json`)).json();
    assert.equal(r.address, '');
    const { lat: _l, long: _g, ...noPoint } = report({ description: 'Sans lieu', address_id: '#NOTPINPOINTED#' });
    const refused = await fmsPost('requests.xml', noPoint);
    assert.equal(refused.status, 400);
    const errors = refused.perl().error as Record<string, Perl>[];
    assert.equal(errors[0].code, '400');
    assert.match(errors[0].description as string, /lat.*long.*address_string/);
  });

  test('upload_files: multipart photo1 and photo2 are checked and kept; a bad one is named, never dropped', async () => {
    const db = rq(t.database.db);
    const res = await fmsMultipart('requests.xml', { ...report(), description: 'Deux photos' }, { photo1: jpeg, photo2: jpeg });
    assert.equal(res.status, 200, res.text);
    const id = ((res.perl().request as Perl[])[0] as Record<string, Perl>).service_request_id as string;
    const row = await db.selectFrom('requests').select('id').where('commune_id', '=', t.commune.id).where('reference', '=', id).executeTakeFirstOrThrow();
    const photos = await db.selectFrom('request_photos').select(['id', 'kind']).where('commune_id', '=', t.commune.id).where('request_id', '=', row.id).execute();
    assert.equal(photos.length, 2, 'both photos stored');
    const [r] = (await get(`requests/${id}.json`)).json();
    assert.equal(r.media_url, `${t.url}/fr/requests/photos/${Math.min(...photos.map((p) => p.id))}`);
    const photo = await fetch(r.media_url);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/jpeg');

    const count = async () => Number((await db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad = await fmsMultipart('requests.json', { ...report(), description: 'Une photo qui n’en est pas une' }, { photo1: jpeg, photo2: Buffer.from('GIF? no, text') });
    assert.equal(bad.status, 400);
    assert.match(bad.json()[0].description, /^photo1, photo2: /, 'the parameters it came in');
    const four = await fmsMultipart('requests.json', { ...report(), description: 'Quatre photos' }, { photo1: jpeg, photo2: jpeg, photo3: jpeg, photo4: jpeg });
    assert.equal(four.status, 400);
    assert.match(four.json()[0].description, /3/);
    const six = await fmsMultipart('requests.xml', { ...report(), description: 'Six photos' }, { photo1: jpeg, photo2: jpeg, photo3: jpeg, photo4: jpeg, photo5: jpeg, photo6: jpeg });
    assert.equal(six.status, 400);
    assert.match((six.perl().error as Record<string, Perl>[])[0].description as string, /^media: .*3/, 'past the parser\'s file limit, the same clear message');
    const other = await fmsMultipart('requests.json', { ...report(), description: 'Pièce jointe' }, { attachment: jpeg });
    assert.equal(other.status, 400);
    assert.match(other.json()[0].description, /^attachment: .*photo1/);
    assert.equal(await count(), before, 'nothing stored by a refused submission');
  });

  test('three (Python) sends `media`; an unknown service is 404, as the specification lists it', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ api_key: KEY, ...report(), description: 'Par three' })) form.append(k, v);
    form.append('media', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'picture.jpg');
    const res = await answer(await fetch(`${t.url}/open311/v2/requests.json`, { method: 'POST', body: form }));
    assert.equal(res.status, 200, res.text);
    const unknown = await fmsPost('requests.xml', report({ service_code: 'nope', description: 'x' }));
    assert.equal(unknown.status, 404);
    assert.match((unknown.perl().error as Record<string, Perl>[])[0].description as string, /nope/);
  });
});

describe('updates: FixMyStreet follows and comments on requests', () => {
  let ref: string;
  let other: string;
  let dup: string;
  let resolutionPhoto: number;

  before(async () => {
    const post = async (d: string, extra: Record<string, string> = {}) => (await fmsPost('requests.json', report({ description: d, ...extra }))).json()[0].service_request_id as string;
    ref = await post('Bac plein, à suivre', { email: REPORTER });
    other = await post('Hors compétence');
    dup = await post('Le même bac');
    const staff = await staffCtx();
    await acknowledge(staff, ref, { note: 'Nous passons demain.' });
    await resolve(staff, ref, { note: 'Bac vidé\r\net remplacé.' }, { filename: 'apres.jpg', mimetype: 'image/jpeg', data: jpeg, truncated: false });
    await reject(staff, other, { reason: 'not_competent', referral: 'Voir la Régie (RADEEMA).', note: '' });
    await reject(staff, dup, { reason: 'duplicate', duplicate_of: ref, note: '' });
    const db = rq(t.database.db);
    const { id } = await db.selectFrom('requests').select('id').where('commune_id', '=', t.commune.id).where('reference', '=', ref).executeTakeFirstOrThrow();
    resolutionPhoto = (await db.selectFrom('request_photos').select('id').where('commune_id', '=', t.commune.id).where('request_id', '=', id).where('kind', '=', 'resolution').executeTakeFirstOrThrow()).id;
  });

  /** GetServiceRequestUpdates: the last two hours, UTC, as DateTime::Format::W3CDTF writes them. */
  const window = () => {
    const w3 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const end = new Date(Date.now() + 1000);
    return { start_date: w3(new Date(end.getTime() - 2 * 3_600_000)), end_date: w3(end) };
  };
  const updatesOf = async (reference: string) => {
    const q = new URLSearchParams({ api_key: KEY, ...window(), jurisdiction_id: 'tetouan' });
    const res = await get(`servicerequestupdates.xml?${q}`);
    assert.equal(res.status, 200, res.text);
    const all = (res.perl().request_update as Record<string, Perl>[] | undefined) ?? [];
    return all.filter((u) => u.service_request_id === reference);
  };

  test('GET servicerequestupdates.xml reads as $obj->{request_update}, in FixMyStreet\'s states, within the asked window', async () => {
    const args = window();
    const q = new URLSearchParams({ api_key: KEY, ...args, jurisdiction_id: 'tetouan' });
    const x = await get(`servicerequestupdates.xml?${q}`);
    assert.equal(x.status, 200, x.text);
    assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests_updates><request_update><update_id>/);
    const updates = x.perl().request_update as Record<string, Perl>[];
    const j = (await get(`servicerequestupdates.json?${q}`)).json();
    assert.equal(updates.length, j.length, 'XML and JSON list the same updates');
    for (const [i, u] of updates.entries()) {
      assert.deepEqual(Object.keys(u), ['update_id', 'service_request_id', 'status', 'description', 'updated_datetime', 'external_status_code', 'media_url']);
      assert.equal(u.update_id, j[i].update_id);
      assert.ok(VISIBLE.has(mapState(u.status as string)), `${u.status} is a state FixMyStreet applies`);
      // check_date: the update's time in UTC, compared as text with the window.
      const utc = new Date(Date.parse(u.updated_datetime as string)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      assert.ok(utc >= args.start_date && utc <= args.end_date, `${utc} within ${args.start_date}…${args.end_date}`);
    }
    const mine = await updatesOf(ref);
    assert.deepEqual(mine.map((u) => [u.status, u.external_status_code, u.description]), [
      ['fixed', 'resolved', `Un signalement en double a été fusionné ici : ${dup}`],
      ['fixed', 'resolved', 'Bac vidé\net remplacé.'],
      ['investigating', 'acknowledged', 'Nous passons demain.'],
    ], 'newest first, no "submitted" entry, CRLF normalised; an event that sets no status carries the one before it');
    assert.equal(mine[1].media_url, `${t.url}/fr/requests/photos/${resolutionPhoto}`, 'the resolution photo');
    assert.equal(mine[2].media_url, undefined, 'no photo: an empty element, undef for XML::Simple');
    const [refused] = await updatesOf(other);
    assert.equal(refused.status, 'not_councils_responsibility');
    assert.equal(mapState(refused.status as string), 'not responsible');
    assert.match(refused.description as string, /RADEEMA/, 'where to go');
    const [merged] = await updatesOf(dup);
    assert.equal(merged.status, 'duplicate');
    assert.match(merged.description as string, new RegExp(ref));
  });

  test('POST servicerequestupdates.xml: recorded as a public citizen update, its status never applied, $obj->{request_update}->[0]->{update_id}', async () => {
    const db = o3(t.database.db);
    // The reporter of `ref` (resolved) follows it. A citizen's comment from FixMyStreet says OPEN: "not fixed yet".
    const outboxBefore = Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('to_addr', '=', REPORTER).executeTakeFirstOrThrow()).n);
    const fields = {
      updated_datetime: '2026-12-04T10:15:00+00:00', service_request_id: ref, status: 'OPEN',
      description: 'Le bac est de nouveau plein\r\ndepuis ce matin.', last_name: POSTER.last, first_name: POSTER.first,
      email: POSTER.email, phone: POSTER.phone, update_id: 'fms-4711',
    };
    const res = await fmsPost('servicerequestupdates.xml', fields);
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_request_updates><request_update><update_id>\d+<\/update_id>/);
    const sent = (res.perl().request_update as Record<string, Perl>[])[0];
    assert.equal(typeof sent.update_id, 'string', 'not a ref: FixMyStreet keeps it as the comment\'s external id');
    assert.match(sent.service_notice as string, /open.*n’est pas appliqué/, 'the status is said not applied');

    const r = await db.selectFrom('requests').select(['status']).where('commune_id', '=', t.commune.id).where('reference', '=', ref).executeTakeFirstOrThrow();
    assert.equal(r.status, 'resolved', 'a key cannot reopen (or close) a request');
    const stored = await db.selectFrom('request_updates').selectAll().where('commune_id', '=', t.commune.id).where('event_id', '=', Number(sent.update_id)).executeTakeFirstOrThrow();
    assert.equal(stored.author_email, POSTER.email, 'kept, privately');
    assert.equal(stored.author_name, `${POSTER.first} ${POSTER.last}`);
    assert.equal(stored.reported_status, 'open');
    assert.equal(stored.external_id, 'fms-4711');
    const event = await db.selectFrom('request_events').select(['kind', 'public', 'body', 'data']).where('commune_id', '=', t.commune.id).where('id', '=', Number(sent.update_id)).executeTakeFirstOrThrow();
    assert.deepEqual({ ...event, data: JSON.parse(event.data) }, { kind: 'citizen_update', public: 1, body: 'Le bac est de nouveau plein\ndepuis ce matin.', data: { channel: 'api', photos: 0 } });
    const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'after']).where('commune_id', '=', t.commune.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(audit.action, 'request.citizen_update');
    assert.equal(audit.entity_id, ref);
    assert.ok(!String(audit.after).includes(POSTER.email) && !String(audit.after).includes(POSTER.last), 'no personal data in the audit trail');
    const mails = await db.selectFrom('outbox').select(['subject', 'body_text']).where('to_addr', '=', REPORTER).orderBy('id').execute();
    assert.equal(mails.length, outboxBefore + 1, 'the reporter (a follower) is told');
    assert.match(mails[mails.length - 1].body_text, /de nouveau plein/);
    assert.equal(Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('to_addr', '=', POSTER.email).executeTakeFirstOrThrow()).n), 0, 'the poster is not');

    // FixMyStreet fetching updates finds its own with the update_id it stored: it skips it, nothing duplicated.
    const listed = (await updatesOf(ref)).find((u) => u.update_id === sent.update_id);
    assert.ok(listed, 'listed with the same update_id');
    assert.equal(listed!.status, 'fixed', 'the request\'s status, not the one reported');
    assert.equal(listed!.description, 'Le bac est de nouveau plein\ndepuis ce matin.');
    // The public page shows the message, never who wrote it.
    const page = await new Client(t.url).get(`/fr/requests/${ref}`);
    assert.ok(page.text.includes('Le bac est de nouveau plein'));
    assert.ok(page.text.includes('Message d’un habitant'));
    assert.ok((await new Client(t.url).get(`/ar/requests/${ref}`)).text.includes('رسالة من أحد السكان'), 'in Arabic too');

    // A retry (the answer was lost): the same update_id, nothing written.
    const events = async () => Number((await db.selectFrom('request_events').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', t.commune.id).executeTakeFirstOrThrow()).n);
    const n = await events();
    const again = await fmsPost('servicerequestupdates.xml', fields);
    assert.equal((again.perl().request_update as Record<string, Perl>[])[0].update_id, sent.update_id);
    assert.equal(await events(), n);
    // CLOSED on a request still open here: not applied either.
    const fresh = (await fmsPost('requests.json', report({ description: 'Ouvert' }))).json()[0].service_request_id;
    const closing = await fmsPost('servicerequestupdates.json', { service_request_id: fresh, status: 'CLOSED', description: 'Réglé selon moi', update_id: 'fms-4712' });
    assert.equal(closing.status, 200, closing.text);
    assert.equal((await db.selectFrom('requests').select('status').where('commune_id', '=', t.commune.id).where('reference', '=', fresh).executeTakeFirstOrThrow()).status, 'submitted');
  });

  test('an update with photo1 (multipart) links its photo as media_url', async () => {
    const res = await fmsMultipart('servicerequestupdates.xml', { service_request_id: ref, status: 'OPEN', description: 'Photo du bac', update_id: 'fms-4713', email: POSTER.email }, { photo1: jpeg });
    assert.equal(res.status, 200, res.text);
    const updateId = (res.perl().request_update as Record<string, Perl>[])[0].update_id;
    const listed = (await updatesOf(ref)).find((u) => u.update_id === updateId)!;
    assert.match(listed.media_url as string, new RegExp(`^${t.url}/fr/requests/photos/\\d+$`));
    assert.equal((await fetch(listed.media_url as string)).status, 200);
    const photoOnly = await fmsMultipart('servicerequestupdates.json', { service_request_id: ref, update_id: 'fms-4714' }, { photo1: jpeg });
    assert.equal(photoOnly.status, 200, 'a photo alone is an update');
  });

  test('bad updates: 403 without a key, 404 for an unknown request, 400 for no text, a bad status, a bad email or a bad photo', async () => {
    const form = (fields: Record<string, string>) => fetch(`${t.url}/open311/v2/servicerequestupdates.json`, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then(answer);
    assert.equal((await form({ service_request_id: ref, description: 'x' })).status, 403);
    assert.equal((await form({ api_key: 'co_wrong', service_request_id: ref, description: 'x' })).status, 403);
    const unknown = await fmsPost('servicerequestupdates.xml', { service_request_id: 'TET-1999-000001', description: 'x' });
    assert.equal(unknown.status, 404);
    assert.match((unknown.perl().error as Record<string, Perl>[])[0].description as string, /TET-1999-000001/);
    const cases: [Record<string, string>, RegExp][] = [
      [{ service_request_id: '', description: 'x' }, /service_request_id/],
      [{ service_request_id: ref, description: '  ' }, /description/],
      [{ service_request_id: ref, description: 'x', status: 'DESTROYED' }, /status.*open, closed/],
      [{ service_request_id: ref, description: 'x', email: 'not-an-email' }, /^email: /],
      [{ service_request_id: ref, description: 'x'.repeat(4001) }, /^description: /],
      [{ service_request_id: ref, description: 'x', update_id: 'u'.repeat(121) }, /^update_id: /],
    ];
    for (const [fields, pattern] of cases) {
      const res = await fmsPost('servicerequestupdates.json', fields);
      assert.equal(res.status, 400, `${JSON.stringify(fields).slice(0, 80)} → ${res.text}`);
      assert.match(res.json()[0].description, pattern);
    }
    const bad = await fmsMultipart('servicerequestupdates.json', { service_request_id: ref, description: 'x' }, { photo1: jpeg, photo2: Buffer.from('not an image') });
    assert.equal(bad.status, 400);
    assert.match(bad.json()[0].description, /^photo2: /, 'the photo that failed, by its parameter');
    // Odd input is a 4xx with the error list, never a 500.
    const odd: Record<string, string | string[]>[] = [
      { service_request_id: [ref, ref], description: ['a', 'b'], status: ['open', 'closed'] },
      { service_request_id: 'x'.repeat(500), description: 'x' },
      { service_request_id: ref, description: 'x', update_id: ['a', 'b'], email: ['a@b.ma', 'c'] },
      { service_request_id: ref, description: '\u202e\ud800', status: ' in progress ' },
    ];
    for (const fields of odd) {
      const res = await fmsPost('servicerequestupdates.xml', fields);
      assert.ok([200, 400, 404].includes(res.status), `${JSON.stringify(fields).slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status !== 200) assert.ok(Array.isArray(res.perl().error));
    }
    for (const bad of ['page_size=0', 'page_size=x', 'page=-1', 'start_date=yesterday', 'page=200&page_size=1000']) {
      assert.equal((await get(`servicerequestupdates.json?${bad}`)).status, 400, bad);
    }
  });

  test('statements run by one POST servicerequestupdates (one follower)', async (tc) => {
    let count = 0;
    const restore: (() => void)[] = [];
    if (t.database.sqlite) {
      const proto = Object.getPrototypeOf(t.database.sqlite.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
      for (const m of ['all', 'get', 'run', 'iterate']) {
        const original = proto[m];
        proto[m] = function (this: unknown, ...a: unknown[]) { count++; return original.apply(this, a); };
        restore.push(() => { proto[m] = original; });
      }
    } else {
      const { default: pg } = await import('pg');
      const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
      const original = proto.query;
      proto.query = function (this: unknown, ...a: unknown[]) { count++; return original.apply(this, a); };
      restore.push(() => { proto.query = original; });
    }
    let res;
    try {
      res = await fmsPost('servicerequestupdates.xml', { service_request_id: ref, status: 'OPEN', description: 'Compté', update_id: 'fms-count', email: POSTER.email, first_name: POSTER.first, last_name: POSTER.last });
    } finally { for (const r of restore) r(); }
    assert.equal(res.status, 200, res.text);
    tc.diagnostic(`${PG_URL ? 'PostgreSQL' : 'SQLite'}: ${count} statements for one POST servicerequestupdates with one follower`);
    assert.ok(count > 5 && count <= 30, `${count} statements`);
  });
});

describe('typed answers, pages, aliases', () => {
  test('an address-only request has null coordinates in JSON and empty elements in XML; georeport reads requests/{id}.json as [0]', async () => {
    const { lat: _l, long: _g, ...noPoint } = report({ description: 'Par adresse', address_string: '3, rue Mohammed V' });
    const id = (await fmsPost('requests.json', noPoint)).json()[0].service_request_id;
    const [r] = (await get(`requests/${id}.json`)).json();
    assert.equal(r.lat, null);
    assert.equal(r.long, null);
    const x = await get(`requests/${id}.xml`);
    assert.match(x.text, /<lat\/><long\/>/);
    const request = (x.perl().request as Record<string, Perl>[])[0];
    assert.equal(request.lat, undefined, 'FixMyStreet skips it as "missing lat or long"');
    const list = (await get('requests.json?page_size=50')).json();
    for (const x of list) assert.ok((typeof x.lat === 'number' && typeof x.long === 'number') || (x.lat === null && x.long === null), JSON.stringify(x).slice(0, 120));
  });

  test('page_size and page are honoured and bounded', async () => {
    for (let i = 0; i < 6; i++) await fmsPost('requests.json', report({ description: `Page ${i}` }));
    const six = (await get('requests.json?page_size=6')).json().map((r: any) => r.service_request_id);
    assert.equal(six.length, 6);
    const p1 = (await get('requests.json?page_size=3&page=1')).json().map((r: any) => r.service_request_id);
    const p2 = (await get('requests.xml?page_size=3&page=2')).perl().request as Record<string, Perl>[];
    assert.deepEqual([...p1, ...p2.map((r) => r.service_request_id)], six);
    assert.ok((await get('requests.json?page_size=5000')).json().length <= 1000, 'at most 1,000 whatever is asked');
    for (const bad of ['page_size=0', 'page_size=2.5', 'page=0', 'page=101&page_size=1000']) assert.equal((await get(`requests.json?${bad}`)).status, 400, bad);
    const u3 = (await get('servicerequestupdates.json?page_size=3')).json();
    const u2 = (await get('servicerequestupdates.json?page_size=2&page=2')).json();
    assert.equal(u3.length, 3);
    assert.equal(u2[0].update_id, (await get('servicerequestupdates.json?page_size=4')).json()[2].update_id);
  });

  test('service/{code} (the `open311` client) answers as services/{code}; georeport\'s services/{code}.json too', async () => {
    const plural = await get('services/dechets.json');
    const singular = await get('service/dechets.json');
    assert.equal(singular.status, 200);
    assert.equal(singular.text, plural.text);
    const xml = await get('service/dechets.xml');
    const definition = xml.perl();
    assert.equal(definition.service_code, 'dechets');
    const attrs = definition.attributes as Record<string, Perl>[];
    assert.equal(attrs[0].code, 'probleme', 'GroupTags: attributes → [attribute…]');
    assert.ok(Array.isArray(attrs[0].values) && (attrs[0].values as Record<string, Perl>[])[0].key === 'bac-plein');
    assert.equal((await get('service/nope.json')).status, 404);
  });
});

describe('photos: served with a short, revalidated shared cache', () => {
  test('a public photo: 5 minutes then revalidated by ETag; once hidden, gone for the public and private for staff', async () => {
    const res = await fmsMultipart('requests.json', { ...report(), description: 'Photo à modérer' }, { photo1: jpeg });
    const [r] = (await get(`requests/${res.json()[0].service_request_id}.json`)).json();
    const first = await fetch(r.media_url);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=300, must-revalidate');
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[0-9a-f]{64}"$/);
    const revalidated = await fetch(r.media_url, { headers: { 'if-none-match': etag! } });
    assert.equal(revalidated.status, 304);
    assert.equal((await revalidated.arrayBuffer()).byteLength, 0);

    const photoId = Number(r.media_url.split('/').pop());
    const moderator = await t.user('moderator');
    await setPhotoHidden(await t.ctx(await actorFor(t, moderator.id, moderator.email)), photoId, true);
    assert.equal((await fetch(r.media_url, { headers: { 'if-none-match': etag! } })).status, 404, 'a revalidating cache drops it');
    assert.equal((await fetch(r.media_url)).status, 404);
    const staff = new Client(t.url);
    await staff.login(moderator.email);
    const hidden = await staff.get(new URL(r.media_url).pathname);
    assert.equal(hidden.status, 200);
    assert.equal(hidden.headers.get('cache-control'), 'private, no-store');
    assert.equal(hidden.headers.get('etag'), null);
  });
});

describe('privacy', () => {
  test('no answer of this file carries the poster\'s or the reporter\'s details', async () => {
    await get('servicerequestupdates.json');
    await get('servicerequestupdates.xml');
    await get('requests.json');
    seen.push((await new Client(t.url).get('/fr/requests.json')).text);
    const markers = [POSTER.email, POSTER.first, POSTER.last, POSTER.phone, REPORTER, POSTER.phone.replace(/\D/g, '')];
    assert.ok(seen.length > 40);
    for (const body of seen) for (const m of markers) assert.ok(!body.includes(m), `"${m}" leaked in ${body.slice(0, 200)}`);
  });
});

// ---------- Links never come from the request's Host or X-Forwarded-Host ----------

describe('Host and X-Forwarded-Host never reach an answer, cached or not', () => {
  let h: TestApp;
  const BASE = 'https://tetouan.example';
  before(async () => {
    // BASE_URL in https: the app trusts its one reverse proxy's X-Forwarded-* headers.
    h = await startApp({ baseUrl: BASE });
    const db = rq(h.database.db);
    await db.insertInto('communes').values({ slug: 'autre', name: JSON.stringify({ fr: 'Autre' }), hosts: 'autre.example www.autre.example', region: '{}', population: 1, sample: 1, created_at: iso() }).execute();
    await h.app.tenancy.reload();
    // A request with a photo, so that requests.json carries a media_url.
    await db.insertInto('api_keys').values({ commune_id: h.commune.id, name: 'k', key_hash: sha256(KEY), created_at: iso(), revoked_at: null }).execute();
    const form = new FormData();
    for (const [k, v] of Object.entries({ api_key: KEY, ...report(), description: 'Avec photo' })) form.append(k, v);
    form.append('photo1', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo1.jpeg');
    const res = await fetch(`${h.url}/open311/v2/requests.json`, { method: 'POST', body: form });
    assert.equal(res.status, 200, await res.text());
  });
  after(async () => { await h.close(); });

  /** A raw HTTP request, so that Host is the one we write. */
  const raw = (path: string, headers: Record<string, string>) => new Promise<{ status: number; cache: string; body: string }>((ok, fail) => {
    const port = Number(new URL(h.url).port);
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, cache: String(res.headers['x-page-cache'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
  const POISON = { host: 'evil.example', 'x-forwarded-host': 'evil2.example', 'x-forwarded-proto': 'http', forwarded: 'host=evil3.example;proto=http' };

  test('a poisoned request first: its answer and every later one link to BASE_URL', async () => {
    for (const path of ['/open311/v2/discovery.json', '/open311/v2/discovery.xml', '/open311/v2/requests.json', '/open311/v2/servicerequestupdates.json']) {
      const poisoned = await raw(path, POISON);
      assert.equal(poisoned.status, 200, poisoned.body.slice(0, 200));
      assert.equal(poisoned.cache, 'miss', `${path}: the poisoned request is the one the cache keeps`);
      const clean = await raw(path, { host: new URL(h.url).host });
      assert.equal(clean.cache, 'hit');
      assert.equal(clean.body, poisoned.body);
      assert.ok(!/evil/.test(poisoned.body), `${path}: ${poisoned.body.slice(0, 300)}`);
    }
    const discovery = JSON.parse((await raw('/open311/v2/discovery.json', POISON)).body);
    assert.equal(discovery.endpoints[0].url, `${BASE}/open311/v2`);
    const media = JSON.parse((await raw('/open311/v2/requests.json?page_size=1000', POISON)).body).map((r: any) => r.media_url).filter(Boolean);
    assert.ok(media.length > 0 && media.every((u: string) => u.startsWith(`${BASE}/fr/requests/photos/`)), 'photos link to BASE_URL');
  });

  test('uncached answers (a fresh URL each time) are built from the configuration too; a commune with a host gets that host', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await raw(`/open311/v2/discovery.json?n=${i}`, POISON);
      assert.equal(res.cache, 'miss');
      assert.equal(JSON.parse(res.body).endpoints[0].url, `${BASE}/open311/v2`);
    }
    const other = await raw('/open311/v2/discovery.json?jurisdiction_id=autre', POISON);
    assert.equal(JSON.parse(other.body).endpoints[0].url, 'https://autre.example/open311/v2', 'its first host, BASE_URL\'s scheme');
    // Behind the proxy, the forwarded host picks the commune (a key of its own in the cache), never the links' host.
    const byHost = await raw('/open311/v2/discovery.json?via=host', { host: 'proxy.internal', 'x-forwarded-host': 'www.autre.example' });
    assert.equal(JSON.parse(byHost.body).endpoints[0].url, 'https://autre.example/open311/v2', 'reached through another of its hosts: still its first');
  });
});
