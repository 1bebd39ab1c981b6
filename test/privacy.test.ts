// Privacy scan (issue 5): personal data and secrets planted in every personal field, through the real
// forms and services, then every public page, API, export and feed crawled — anonymously and as a plain
// signed-in citizen — with no marker allowed in any body or header.
//
// Personal fields of the schema, and how each gets its marker here:
//   requests.reporter_email / reporter_phone / reporter_name (hidden) — a signed-in web report, an anonymous
//     web report, a counter agent's report on behalf of a citizen (phone channel), an Open311 submission;
//   requests.reporter_name made public then hidden by the reporter (tracking code), and by a moderator;
//   requests.satisfaction_comment (private feedback), request_contests.reason (seen by the mediator only);
//   request_events with public = 0 (an internal note); request_photos.hidden (a hidden photo);
//   request_followers.email / token (an anonymous and a signed-in follower);
//   comments.author_email (anonymous comments), a hidden comment's author name and body, a report's note;
//   users.email / name / password_hash, sessions (the reporter's session id and its hash),
//   password_resets (a reset token and its hash), api_keys (an Open311 key and its hash), tracking codes;
//   evidence with visibility internal (a link, and a file whose bytes carry a marker), an unpublished
//   matrix row's difficulties; the installation's cookie secret.
// There is no participation registry in this code base (no participant age or sex column in any
// migration), so there is nothing of that kind to plant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startApp, Client, roleClients, PASSWORD, ENGINE, type TestApp, type Res } from './helpers.ts';
import { samplePaths, fixtures, open311Paths, personalValues, type Fixtures } from './routes.ts';
import { sha256 } from '../src/core/auth/passwords.ts';
import { iso } from '../src/core/clock/index.ts';
import { modules } from '../src/modules/index.ts';

let t: TestApp;
let fx: Fixtures;

/** label → text that must never come out of a public output. */
const markers = new Map<string, string>();
/** Markers that are personal data of someone (for the audit and mail checks), with the owner's address. */
const personal = new Map<string, string>();
const token = () => `pv${randomBytes(6).toString('hex')}`;
function mark(label: string, value?: string): string {
  const v = value ?? token();
  markers.set(label, v);
  return v;
}
function own(label: string, owner: string) { personal.set(label, owner.toLowerCase()); }

// Everything planted, for the later tests.
const R: Record<string, string> = {};
let hiddenPhotoId = 0;
let hiddenPhotoFileId = 0;
let internalEvidenceId = 0;
let internalEvidenceFileId = 0;
let hiddenCommentId = 0;
let apiKey = '';
let open311Token = '';
let reporter: Client;
let reporterEmail = '';
let citizen: Client;
let roles: Map<string, Client>;

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const phoneMarker = (label: string) => {
  const d = `7${digits(8)}`;
  markers.set(label, d);
  return `+212 ${d}`;
};

async function jpeg(color: string) {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: color } }).jpeg().toBuffer();
}

const refOf = (res: Res) => {
  const m = (res.location ?? '').match(/([A-Z]{3}-\d{4}-\d{6})/);
  assert.ok(m, `no reference in ${res.status} ${res.location}`);
  return m![1];
};
const codeIn = (html: string) => html.match(/\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/)?.[1] ?? '';

async function ok(res: Res | Promise<Res>, status = 303, what = '') {
  const r = await res;
  assert.equal(r.status, status, `${what}: ${r.status} ${r.location ?? ''} ${r.text.slice(0, 300)}`);
  return r;
}

before(async () => {
  t = await startApp();
  fx = await fixtures(t);
  const db = t.database.db as any;
  roles = await roleClients(t);
  const works = roles.get('department_staff')!; // travaux
  const counter = roles.get('counter_agent')!;
  const moderator = roles.get('moderator')!;
  const ogp = roles.get('ogp_team')!;

  // The fixtures' own personal data: its user's address, and what each module's fixtures declare personal.
  mark('fixture user email', fx.userEmail); own('fixture user email', fx.userEmail);
  for (const [label, value] of await personalValues(fx)) mark(label, value);

  // 1. A citizen registers (real form), then reports while signed in: hidden name, email, phone, a photo.
  const uname = mark('reporter account name');
  reporterEmail = `${mark('reporter account email')}@privacy.test`;
  own('reporter account email', reporterEmail);
  reporter = new Client(t.url);
  await reporter.get('/fr/register');
  await ok(reporter.post('/fr/register', { name: `Amina ${uname}`, email: reporterEmail, password: PASSWORD }), 303, 'register');
  const r1Email = `${mark('R1 reporter email')}@privacy.test`;
  own('R1 reporter email', r1Email);
  const r1Name = mark('R1 hidden name'); own('R1 hidden name', r1Email);
  const r1Phone = phoneMarker('R1 phone'); own('R1 phone', r1Email);
  const fields1 = { category: 'eclairage', district: 'medina', address: '', lat: '', lng: '', description: 'Lampadaire éteint, rue de la privacy.', q_nombre: '2', name: `Amina ${r1Name}`, email: r1Email, phone: r1Phone };
  await reporter.get('/fr/requests/new?category=eclairage');
  await reporter.post('/fr/requests/new/check', fields1);
  R.r1 = refOf(await ok(reporter.postMultipart('/fr/requests/new', fields1, { photos: { name: `${mark('R1 photo name')}.jpg`, data: await jpeg('#c33'), type: 'image/jpeg' } }), 303, 'R1'));
  const r1Row = await db.selectFrom('requests').select(['reporter_user_id', 'name_public']).where('reference', '=', R.r1).executeTakeFirstOrThrow();
  assert.ok(r1Row.reporter_user_id, 'R1 is tied to the reporter account');
  assert.equal(Number(r1Row.name_public), 0);
  mark('reporter session id', reporter.cookies.get('sid')!);
  mark('reporter session hash', sha256(reporter.cookies.get('sid')!));
  const pw = await db.selectFrom('users').select('password_hash').where('email', '=', reporterEmail).executeTakeFirstOrThrow();
  mark('reporter password hash', pw.password_hash.split('$').at(-1));
  mark('reporter password salt', pw.password_hash.split('$').at(-2));

  // 2. An anonymous report whose name is public, then hidden by the reporter with the tracking code; a photo a moderator hides.
  const anon = new Client(t.url);
  const r2Email = `${mark('R2 reporter email')}@privacy.test`;
  const r2Name = mark('R2 name made public then hidden');
  const r2Phone = phoneMarker('R2 phone');
  own('R2 reporter email', r2Email); own('R2 name made public then hidden', r2Email); own('R2 phone', r2Email);
  const fields2 = { category: 'eclairage', district: 'touabel', address: '', lat: '', lng: '', description: 'Quartier sans lumière.', q_nombre: '5', name: `Youssef ${r2Name}`, name_public: '1', email: r2Email, phone: r2Phone };
  await anon.get('/fr/requests/new?category=eclairage');
  await anon.post('/fr/requests/new/check', fields2);
  R.r2 = refOf(await ok(anon.postMultipart('/fr/requests/new', fields2, { photos: { name: 'p.jpg', data: await jpeg('#3c3'), type: 'image/jpeg' } }), 303, 'R2'));
  const submitted = await anon.get(`/fr/requests/${R.r2}/submitted`);
  const r2Code = codeIn(submitted.text);
  assert.ok(r2Code, 'the tracking code is shown once');
  mark('R2 tracking code', r2Code);
  mark('R2 tracking hash', (await db.selectFrom('requests').select('tracking_hash').where('reference', '=', R.r2).executeTakeFirstOrThrow()).tracking_hash);
  assert.ok((await new Client(t.url).get(`/fr/requests/${R.r2}`)).text.includes(r2Name), 'the name is public at first');
  await anon.get(`/fr/requests/track/${r2Code}`);
  await ok(anon.post(`/fr/requests/track/${r2Code}/hide-name`, {}), 303, 'hide name');
  const photo2 = await db.selectFrom('request_photos as p').innerJoin('requests as r', 'r.id', 'p.request_id').select(['p.id', 'p.file_id']).where('r.reference', '=', R.r2).executeTakeFirstOrThrow();
  await moderator.get(`/fr/admin/requests/${R.r2}`);
  await ok(moderator.post(`/fr/admin/requests/${R.r2}/photos/${photo2.id}/hide`, {}), 303, 'hide photo');
  hiddenPhotoId = photo2.id;
  hiddenPhotoFileId = photo2.file_id;
  mark('hidden photo URL', `/requests/photos/${hiddenPhotoId}`);

  // 3. A counter agent enters a request on the phone for a citizen (asking for a public name, which the counter never makes public).
  const r3Email = `${mark('R3 counter email')}@privacy.test`;
  const r3Name = mark('R3 counter name');
  const r3Phone = phoneMarker('R3 counter phone');
  own('R3 counter email', r3Email); own('R3 counter name', r3Email); own('R3 counter phone', r3Email);
  await counter.get('/fr/admin/requests/new?category=eclairage');
  const r3 = await ok(counter.post('/fr/admin/requests/new', { channel: 'phone', category: 'eclairage', district: 'kouilma', description: 'Appel: poteau penché.', q_nombre: '1', name: `Fatima ${r3Name}`, name_public: '1', email: r3Email, phone: r3Phone }), 303, 'counter');
  R.r3 = refOf(r3);
  const receipt = await counter.get(`/fr/admin/requests/${R.r3}/receipt`);
  const r3Code = codeIn(receipt.text);
  assert.ok(r3Code, 'the receipt shows the code');
  mark('R3 tracking code', r3Code);

  // 4. An Open311 submission with names, email and phone.
  apiKey = mark('Open311 key', `co_${randomBytes(18).toString('base64url')}`);
  mark('Open311 key hash', sha256(apiKey));
  await db.insertInto('api_keys').values({ commune_id: t.commune.id, name: 'Privacy app', key_hash: sha256(apiKey), created_at: iso(), revoked_at: null }).execute();
  const r4Email = `${mark('R4 Open311 email')}@privacy.test`;
  const r4First = mark('R4 Open311 first name'), r4Last = mark('R4 Open311 last name');
  const r4Phone = phoneMarker('R4 Open311 phone');
  own('R4 Open311 email', r4Email); own('R4 Open311 first name', r4Email); own('R4 Open311 last name', r4Email); own('R4 Open311 phone', r4Email);
  const o = await fetch(`${t.url}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: apiKey, service_code: 'eclairage', lat: '35.5725', long: '-5.3690', description: 'Via API.', 'attribute[nombre]': '3', first_name: r4First, last_name: r4Last, email: r4Email, phone: r4Phone }).toString(),
  });
  const oj = await o.json() as { service_request_id: string; token: string }[];
  assert.equal(o.status, 200, JSON.stringify(oj));
  R.r4 = oj[0].service_request_id;
  open311Token = oj[0].token;

  // 5. Followers: an anonymous visitor (confirmation pending) and a signed-in citizen (their own address).
  const follower = new Client(t.url);
  const fEmail = `${mark('anonymous follower email')}@privacy.test`;
  own('anonymous follower email', fEmail);
  await follower.get(`/fr/requests/${R.r1}`);
  await ok(follower.post(`/fr/requests/${R.r1}/follow`, { email: fEmail }), 303, 'follow');
  const fcEmail = `${mark('signed-in follower email')}@privacy.test`;
  own('signed-in follower email', fcEmail);
  const fc = new Client(t.url);
  await fc.get('/fr/register');
  await ok(fc.post('/fr/register', { name: 'Karim Suiveur', email: fcEmail, password: PASSWORD }), 303, 'register follower');
  await fc.get(`/fr/requests/${R.r1}`);
  await ok(fc.post(`/fr/requests/${R.r1}/follow`, { email: fcEmail }), 303, 'follow signed in');
  const planted = [r1Email, r2Email, r3Email, r4Email, fEmail, fcEmail];
  for (const f of await db.selectFrom('request_followers').select(['token', 'email']).where('commune_id', '=', t.commune.id).execute() as { token: string; email: string }[]) {
    if (planted.includes(f.email)) mark(`follower token of ${f.email}`, f.token);
  }

  // 6. Comments on a commitment: an anonymous one (email kept for moderators), one a moderator hides, a report's note.
  const target = { target_type: 'commitment', target_id: String(fx.commitmentId), return_to: `/plans/${fx.plan}/commitments/${fx.commitmentNumber}` };
  const cEmail = `${mark('comment author email')}@privacy.test`;
  own('comment author email', cEmail);
  const commenter = new Client(t.url);
  await commenter.get(`/fr/comments/new?target_type=commitment&target_id=${fx.commitmentId}`);
  await ok(commenter.post('/fr/comments', { ...target, comment_name: 'Salma B.', comment_email: cEmail, comment_body: 'Merci pour ce suivi public.' }), 303, 'comment');
  const hEmail = `${mark('hidden comment email')}@privacy.test`;
  own('hidden comment email', hEmail);
  const hName = mark('hidden comment author'), hBody = mark('hidden comment body');
  await commenter.get(`/fr/comments/new?target_type=commitment&target_id=${fx.commitmentId}`);
  await ok(commenter.post('/fr/comments', { ...target, comment_name: `Troll ${hName}`, comment_email: hEmail, comment_body: `Voici le numéro de mon voisin ${hBody}` }), 303, 'comment to hide');
  const comments = await db.selectFrom('comments').select(['id', 'author_email']).where('commune_id', '=', t.commune.id).orderBy('id').execute() as { id: number; author_email: string | null }[];
  hiddenCommentId = comments.find((c) => c.author_email === hEmail)!.id;
  const visibleId = comments.find((c) => c.author_email === cEmail)!.id;
  await commenter.get(`/fr/comments/${visibleId}/report`);
  await ok(commenter.post(`/fr/comments/${visibleId}/report`, { reason: 'other', note: `Note privée ${mark('comment report note')}`, return_to: target.return_to }), 303, 'report comment');
  await moderator.get(`/fr/admin/comments/${hiddenCommentId}`);
  await ok(moderator.post(`/fr/admin/comments/${hiddenCommentId}/hide`, { reason: 'Données personnelles' }), 303, 'hide comment');

  // 7. Staff: an internal note, a public answer, resolution; the reporter's private feedback.
  await works.get(`/fr/admin/requests/${R.r1}`);
  await ok(works.post(`/fr/admin/requests/${R.r1}/note`, { internal_note: `Voisin difficile ${mark('internal note')}` }), 303, 'internal note');
  await works.get(`/fr/admin/requests/${R.r1}`);
  await ok(works.post(`/fr/admin/requests/${R.r1}/answer`, { status: 'resolved', note: 'Lampe remplacée.' }), 303, 'resolve');
  await reporter.get(`/fr/requests/${R.r1}/mine`);
  await ok(reporter.post(`/fr/requests/${R.r1}/mine/feedback`, { fixed: 'yes', satisfaction: '4', comment: `Merci ${mark('satisfaction comment')}` }), 303, 'feedback');
  own('satisfaction comment', r1Email);
  // The counter request is rejected, then contested by its reporter with the code (the reason goes to the mediator only).
  await works.get(`/fr/admin/requests/${R.r3}`);
  await ok(works.post(`/fr/admin/requests/${R.r3}/answer`, { status: 'rejected', reason: 'invalid', note: 'Signalement incomplet.' }), 303, 'reject');
  const cc = new Client(t.url);
  await cc.get(`/fr/requests/track/${r3Code}`);
  await ok(cc.post(`/fr/requests/track/${r3Code}/contest`, { reason: `Je conteste ${mark('contest reason')}` }), 303, 'contest');
  own('contest reason', r3Email);
  // A request whose public name a moderator hides.
  const r5Name = mark('R5 name hidden by a moderator');
  const anon5 = new Client(t.url);
  const fields5 = { category: 'eclairage', district: 'medina', address: '', lat: '', lng: '', description: 'Encore une lampe.', q_nombre: '1', name: `Hassan ${r5Name}`, name_public: '1', email: '', phone: '' };
  await anon5.get('/fr/requests/new?category=eclairage');
  await anon5.post('/fr/requests/new/check', fields5);
  R.r5 = refOf(await ok(anon5.postMultipart('/fr/requests/new', fields5), 303, 'R5'));
  await moderator.get(`/fr/admin/requests/${R.r5}`);
  await ok(moderator.post(`/fr/admin/requests/${R.r5}/hide-name`, {}), 303, 'moderator hides name');

  // 8. Internal evidence: a file whose bytes and name carry a marker, and a link; an unpublished matrix row.
  const evTitle = mark('internal evidence title');
  const evFile = mark('internal evidence file content');
  const evName = mark('internal evidence file name');
  await ogp.get(`/fr/admin/plans/${fx.plan}/commitments/${fx.commitmentId}/evidence/new`);
  await ok(ogp.postMultipart(`/fr/admin/plans/${fx.plan}/commitments/${fx.commitmentId}/evidence/new`, { evidence_title: `Note ${evTitle}`, evidence_url: '', evidence_visibility: 'internal' },
    { evidence_file: { name: `${evName}.pdf`, data: Buffer.from(`%PDF-1.4\n% ${evFile}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`), type: 'application/pdf' } }), 303, 'internal evidence');
  const ev = await db.selectFrom('evidence').select(['id', 'file_id']).where('commune_id', '=', t.commune.id).where('title', '=', `Note ${evTitle}`).executeTakeFirstOrThrow();
  internalEvidenceId = ev.id;
  internalEvidenceFileId = ev.file_id;
  const linkTitle = mark('internal evidence link title');
  const linkUrl = mark('internal evidence link url');
  await ogp.get(`/fr/admin/plans/${fx.plan}/commitments/${fx.commitmentId}/evidence/new`);
  await ok(ogp.post(`/fr/admin/plans/${fx.plan}/commitments/${fx.commitmentId}/evidence/new`, { evidence_title: `Lien ${linkTitle}`, evidence_url: `https://intranet.example/${linkUrl}`, evidence_visibility: 'internal' }), 303, 'internal link');
  const pending = await db.selectFrom('matrix_rows as r').innerJoin('institutions as i', 'i.id', 'r.institution_id').innerJoin('reporting_cycles as c', 'c.id', 'r.cycle_id')
    .select(['r.id', 'c.code']).where('r.commune_id', '=', t.commune.id).where('i.slug', '=', 'travaux').where('r.state', '=', 'pending').where('r.kind', '=', 'action').where('c.status', '=', 'open')
    .orderBy('r.id').limit(1).executeTakeFirst();
  if (pending) {
    const rowPath = `/fr/admin/plans/${fx.plan}/cycles/${pending.code}/rows/${pending.id}`;
    await works.get(rowPath);
    await ok(works.post(rowPath, { intent: 'submit', status: 'in_progress', progress: '40', difficulties: `Retard ${mark('unpublished row difficulties')}`, evidence_visibility: 'public' }), 303, 'submit row');
  }

  // 9. A password-reset link for the reporter (the token only ever travels by mail).
  const forgot = new Client(t.url);
  await forgot.get('/fr/password/forgot');
  await ok(forgot.post('/fr/password/forgot', { email: reporterEmail }), 200, 'forgot');
  const mail = await db.selectFrom('outbox').select('body_text').where('to_addr', '=', reporterEmail).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const resetToken = mail.body_text.match(/password\/reset\/([A-Za-z0-9_-]+)/)![1];
  mark('reporter reset token', resetToken);
  mark('reporter reset token hash', sha256(resetToken));
  mark('cookie secret', (await db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirstOrThrow()).value);

  // The plain citizen who crawls (not the reporter, follows nothing).
  citizen = roles.get('citizen')!;
});

after(async () => { await t?.close(); });

// ---------- Scanning ----------

interface Leak { who: string; url: string; marker: string; where: string }

function scan(who: string, url: string, res: { status: number; headers: Headers; text: string }, leaks: Leak[]) {
  const head = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n').toLowerCase();
  const body = res.text.toLowerCase();
  let decoded = body;
  try { decoded = decodeURIComponent(body.replace(/%(?![0-9a-f]{2})/g, '%25')); } catch { /* keep */ }
  for (const [label, value] of markers) {
    const v = value.toLowerCase();
    if (body.includes(v) || decoded.includes(v)) leaks.push({ who, url, marker: label, where: `body (${res.status})` });
    if (head.includes(v) || head.includes(encodeURIComponent(v))) leaks.push({ who, url, marker: label, where: 'headers' });
  }
}

/** Same-origin links of a page or a JSON document. */
function linksOf(text: string, contentType: string): string[] {
  const out: string[] = [];
  if (contentType.includes('html')) {
    for (const m of text.matchAll(/\s(?:href|src)="([^"]+)"/g)) out.push(m[1].replace(/&amp;/g, '&'));
  } else if (contentType.includes('json') || contentType.includes('xml')) {
    for (const m of text.matchAll(/(?:https?:\/\/127\.0\.0\.1:\d+)?(\/(?:fr|ar|en|api|open311)\/[^"'<\s\\]*)/g)) out.push(m[1]);
  }
  return out;
}

function normalize(link: string): string | null {
  let p = link.startsWith(t.url) ? link.slice(t.url.length) : link;
  if (!p.startsWith('/') || p.startsWith('//')) return null;
  p = p.split('#')[0];
  if (/\.pdf(\?|$)/.test(p)) return null; // the PDF is the public page printed by Chromium: the page itself is crawled
  if (/^\/(fr|ar|en)\/logout/.test(p)) return null;
  return p;
}

/** The seeds: every GET route with real values (test/routes.ts) in fr and ar, then ours. */
async function seeds(): Promise<string[]> {
  const out = new Set<string>();
  for (const locale of ['fr', 'ar']) {
    for (const s of await samplePaths(t, locale)) if (s.method === 'GET') out.add(s.path);
  }
  for (const p of open311Paths(fx)) out.add(p);
  for (const locale of ['fr', 'ar', 'en']) {
    out.add(`/${locale}/`);
    for (const ref of Object.values(R)) {
      for (const p of ['', '/submitted', '/mine']) out.add(`/${locale}/requests/${ref}${p}`);
      out.add(`/${locale}/requests/lookup?q=${ref}`);
    }
    for (const q of ['', '?status=open', '?status=closed', '?status=rejected', '?status=resolved', '?category=eclairage', '?district=medina', '?from=2000-01-01&to=2100-01-01']) {
      out.add(`/${locale}/requests${q}`);
      out.add(`/${locale}/requests.csv${q}`);
      out.add(`/${locale}/requests.json${q}`);
      out.add(`/${locale}/requests/map.json${q}`);
    }
    out.add(`/${locale}/monitoring/files/${hiddenPhotoFileId}`);
    out.add(`/${locale}/monitoring/files/${internalEvidenceFileId}`);
    out.add(`/${locale}/plans/${fx.plan}/evidence/${internalEvidenceId}/x.pdf`);
    out.add(`/${locale}/plans/${fx.plan}/commitments/${fx.commitmentNumber}`);
    out.add(`/${locale}/comments/${hiddenCommentId}/report`);
    // Open-data exports of every module manifest.
    for (const m of modules) for (const e of m.exports ?? []) out.add(e.path.startsWith('/api/') ? e.path : `/${locale}${e.path}`);
  }
  out.add(`/api/comments?target=commitment:${fx.commitmentId}`);
  out.add(`/api/comments?target=monitoring_report:${fx.reportId}`);
  // Open311: every document in both formats, all requests since 2000, by ids, one by one, tokens, with and without a key.
  const all = 'start_date=2000-01-01T00:00:00Z';
  const ids = Object.values(R).join(',');
  for (const f of ['json', 'xml']) {
    for (const q of [all, `${all}&status=open`, `${all}&status=closed`, `service_request_id=${ids}`, `${all}&service_code=eclairage`, `${all}&jurisdiction_id=tetouan`]) {
      out.add(`/open311/v2/requests.${f}?${q}`);
      out.add(`/open311/v2/requests.${f}?${q}&api_key=${encodeURIComponent(apiKey)}`);
    }
    for (const ref of Object.values(R)) {
      out.add(`/open311/v2/requests/${ref}.${f}`);
      out.add(`/open311/v2/requests/${ref}.${f}?api_key=${encodeURIComponent(apiKey)}`);
    }
    out.add(`/open311/v2/tokens/${open311Token}.${f}`);
    out.add(`/open311/v2/discovery.${f}`);
    out.add(`/open311/v2/services.${f}`);
    out.add(`/open311/v2/services/eclairage.${f}`);
  }
  out.add('/healthz');
  return [...out];
}

/** Crawls from the seeds, following same-origin links (fr and ar pages, APIs, exports), and scans every answer. */
async function crawl(who: string, client: Client, start: string[], leaks: Leak[], limit = 4000) {
  const seen = new Set<string>();
  const perPath = new Map<string, number>();
  const queue: string[] = [];
  const push = (p: string | null, seed = false) => {
    if (!p || seen.has(p)) return;
    if (!seed && /^\/en\//.test(p)) return; // English pages are seeds only (the same pages as fr)
    const path = p.split('?')[0];
    const n = perPath.get(path) ?? 0;
    if (!seed && p.includes('?') && n >= 6) return; // a few query variants (filters, pages) of each page
    perPath.set(path, n + 1);
    seen.add(p);
    queue.push(p);
  };
  for (const s of start) push(normalize(s), true);
  let done = 0;
  const statuses = new Map<number, number>();
  while (queue.length && done < limit) {
    const batch = queue.splice(0, 8);
    await Promise.all(batch.map(async (p) => {
      const res = await client.get(p);
      done++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      scan(who, p, res, leaks);
      if (res.location) push(normalize(res.location));
      if (res.status === 200) for (const l of linksOf(res.text, res.headers.get('content-type') ?? '')) push(normalize(l));
    }));
  }
  assert.ok(done < limit, `${who}: the crawl hit its limit of ${limit} URLs`);
  return { count: done, statuses };
}

function report(leaks: Leak[]): string {
  return leaks.slice(0, 30).map((l) => `${l.who} ${l.url}: "${l.marker}" in ${l.where}`).join('\n');
}

test('every marker is stored where it was planted (else the scan would prove nothing)', async () => {
  const db = t.database.db as any;
  const tables = ['users', 'sessions', 'password_resets', 'api_keys', 'requests', 'request_followers', 'request_events', 'request_contests', 'request_photos', 'files',
    'comments', 'comment_reports', 'evidence', 'matrix_rows', 'settings', 'info_requests', 'info_events', 'participants', 'survey_responses', 'petition_signatures'];
  let dump = '';
  for (const table of tables) dump += JSON.stringify(await db.selectFrom(table).selectAll().execute());
  const fs = await import('node:fs');
  const path = await import('node:path');
  const stored = fs.readdirSync(path.join(t.config.dataDir, 'files', String(t.commune.id)), { recursive: true }) as string[];
  for (const f of stored) if (f.endsWith('.pdf')) dump += fs.readFileSync(path.join(t.config.dataDir, 'files', String(t.commune.id), f), 'latin1');
  const notStored = ['reporter session id', 'reporter reset token', 'Open311 key', 'R2 tracking code', 'R3 tracking code', 'hidden photo URL'];
  for (const [label, value] of markers) {
    if (notStored.includes(label)) continue; // kept only as a hash (the hash is a marker too), or a path
    assert.ok(dump.toLowerCase().includes(value.toLowerCase()), `marker "${label}" was not stored: the planting failed`);
  }
  assert.ok(markers.size >= 40, `${markers.size} markers`);
});

let crawled = 0;

test('no marker in any public page, API, export or feed: anonymous visitor', async () => {
  const leaks: Leak[] = [];
  const start = await seeds();
  const { count, statuses } = await crawl('anonymous', new Client(t.url), start, leaks);
  crawled += count;
  console.log(`# privacy (${ENGINE}): anonymous crawl, ${count} URLs, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(count > 300, `only ${count} URLs crawled`);
  assert.ok((statuses.get(200) ?? 0) > 200, 'most URLs answered');
  assert.deepEqual(leaks, [], report(leaks));
});

test('no marker in any page, API, export or feed: a plain signed-in citizen (not the reporter)', async () => {
  const leaks: Leak[] = [];
  const start = await seeds();
  const { count, statuses } = await crawl('citizen', citizen, [...start, '/fr/account', '/ar/account'], leaks);
  crawled += count;
  console.log(`# privacy (${ENGINE}): citizen crawl, ${count} URLs, statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${markers.size} markers; ${crawled} URLs in all`);
  assert.equal((await citizen.get('/fr/account')).status, 200, 'the citizen stayed signed in during the crawl');
  assert.deepEqual(leaks, [], report(leaks));
});

test('files that are not public are refused, whatever route serves files', async () => {
  for (const c of [new Client(t.url), citizen]) {
    assert.equal((await c.get(`/fr/requests/photos/${hiddenPhotoId}`)).status, 404, 'hidden photo');
    assert.equal((await c.get(`/fr/monitoring/files/${hiddenPhotoFileId}`)).status, 404, 'hidden photo through the monitoring route');
    assert.equal((await c.get(`/fr/monitoring/files/${internalEvidenceFileId}`)).status, 404, 'internal evidence through the monitoring route');
    assert.equal((await c.get(`/fr/plans/${fx.plan}/evidence/${internalEvidenceId}/x.pdf`)).status, 404, 'internal evidence');
  }
  // Staff who may see them still can.
  assert.equal((await roles.get('moderator')!.get(`/fr/requests/photos/${hiddenPhotoId}`)).status, 200);
  assert.equal((await roles.get('ogp_team')!.get(`/fr/plans/${fx.plan}/evidence/${internalEvidenceId}/x.pdf`)).status, 200);
});

test('the reporter’s own pages answer only to the reporter', async () => {
  const anon = new Client(t.url);
  assert.equal((await reporter.get(`/fr/requests/${R.r1}/mine`)).status, 200);
  assert.equal((await citizen.get(`/fr/requests/${R.r1}/mine`)).status, 403, 'another citizen');
  assert.equal((await anon.get(`/fr/requests/${R.r1}/mine`)).status, 303, 'anonymous: sign in first');
  assert.equal((await roles.get('department_staff')!.get(`/fr/requests/${R.r1}/mine`)).status, 403, 'not even its handler');
  assert.equal((await anon.get('/fr/requests/track/AAAA-BBBB-CCCC')).status, 404, 'a wrong code');
  assert.equal((await anon.get(`/fr/requests/track/${markers.get('R3 tracking code')}`)).status, 200, 'the code is the key');
  // Right after a report, with nothing changed since: the page after submission is the submitter's alone
  // (an anonymous page cache must not hand the code to the next visitor of that URL: references are sequential).
  const submitter = new Client(t.url);
  const fields = { category: 'eclairage', district: 'medina', address: '', lat: '', lng: '', description: 'Encore.', q_nombre: '1', name: '', email: `${token()}@privacy.test`, phone: '' };
  await submitter.get('/fr/requests/new?category=eclairage');
  await submitter.post('/fr/requests/new/check', fields);
  const ref = refOf(await ok(submitter.postMultipart('/fr/requests/new', fields), 303, 'report'));
  const own = await submitter.get(`/fr/requests/${ref}/submitted`);
  const code = codeIn(own.text);
  assert.ok(code, 'the submitter sees the code');
  assert.match(own.headers.get('cache-control') ?? '', /no-store/, 'and no cache keeps that page');
  for (const locale of ['fr', 'fr', 'ar']) {
    const stranger = await new Client(t.url).get(`/${locale}/requests/${ref}/submitted`);
    assert.equal(stranger.status, 200);
    assert.ok(!stranger.text.includes(code), `the code of ${ref} went to a stranger (${stranger.headers.get('x-page-cache') ?? 'no cache header'})`);
  }
  // The page after submission: the code and "a mail was sent" only in the submitter's own browser.
  const other = await anon.get(`/fr/requests/${R.r1}/submitted`);
  assert.equal(other.status, 200);
  assert.doesNotMatch(other.text, /e-mail de confirmation/, 'whether the reporter left an address is not public');
  assert.doesNotMatch(other.text, /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/, 'no tracking code for a stranger');
});

test('a request’s staff file shows the reporter’s contact only to the roles that handle it', async () => {
  const email = `${markers.get('R3 counter email')}@privacy.test`;
  const phone = markers.get('R3 counter phone')!;
  // Handlers of the works department (eclairage), the counter, the mediator and the moderator (requests.view), the administrator.
  const sees = ['counter_agent', 'department_staff', 'mediator', 'moderator', 'admin'];
  for (const [role, c] of roles) {
    const res = await c.get(`/fr/admin/requests/${R.r3}`);
    const shown = res.text.includes(email) && res.text.includes(phone);
    if (sees.includes(role)) {
      assert.equal(res.status, 200, `${role} opens the file`);
      assert.ok(shown, `${role} sees the contact`);
    } else {
      assert.notEqual(res.status, 200, `${role} may not open the file`);
      assert.ok(!shown, `${role} must not see the contact`);
    }
  }
  // The scanner itself finds the contact where it is legitimately shown (a control for the crawls above).
  const control: Leak[] = [];
  scan('counter', `/fr/admin/requests/${R.r3}`, await roles.get('counter_agent')!.get(`/fr/admin/requests/${R.r3}`), control);
  assert.ok(control.some((l) => l.marker === 'R3 counter email') && control.some((l) => l.marker === 'R3 counter phone'), 'the scanner sees planted data');
  // Staff of another department see neither the file nor the contact.
  const other = new Client(t.url);
  await other.login((await t.user('department_staff', 'budget')).email);
  const res = await other.get(`/fr/admin/requests/${R.r3}`);
  assert.equal(res.status, 403);
  assert.ok(!res.text.includes(email));
});

test('no personal data in the audit trail, nor in mail sent to anyone else', async () => {
  const db = t.database.db as any;
  const audit = await db.selectFrom('audit_log').select(['action', 'before', 'after']).where('commune_id', '=', t.commune.id).execute() as { action: string; before: string | null; after: string | null }[];
  const outbox = await db.selectFrom('outbox').select(['to_addr', 'subject', 'body_text']).where('commune_id', '=', t.commune.id).execute() as { to_addr: string; subject: string; body_text: string }[];
  assert.ok(outbox.length >= 5, `${outbox.length} mails`);
  const bad: string[] = [];
  for (const [label, ownerAddr] of personal) {
    const v = markers.get(label)!.toLowerCase();
    for (const a of audit) if (`${a.before}${a.after}`.toLowerCase().includes(v)) bad.push(`audit ${a.action}: ${label}`);
    for (const m of outbox) {
      if (m.to_addr.toLowerCase() === ownerAddr || m.to_addr.toLowerCase().includes(v)) continue; // one's own data, in one's own mail
      if (`${m.subject}\n${m.body_text}`.toLowerCase().includes(v)) bad.push(`mail to ${m.to_addr}: ${label}`);
    }
  }
  for (const label of ['reporter session id', 'reporter reset token hash', 'Open311 key', 'R2 tracking code', 'R3 tracking code', 'internal note']) {
    const v = markers.get(label)!.toLowerCase();
    for (const a of audit) if (`${a.before}${a.after}`.toLowerCase().includes(v)) bad.push(`audit ${a.action}: ${label}`);
  }
  assert.deepEqual(bad, []);
});
