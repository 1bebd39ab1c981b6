// Shared by the fuzz tests (test/fuzz.test.ts over HTTP on both engines, test/fuzz-browser.test.ts in Chromium):
// the hostile corpus, an HTML form reader, a route matcher over `app.routeTable`, request bodies built byte by byte,
// and a snapshot of every table's row count (to prove a refused request stored nothing).
import { sql } from 'kysely';
import type { RouteEntry } from '../src/app.ts';
import type { Client, Res, TestApp } from './helpers.ts';

// ---------- The corpus (fixed: the same cases in the same order on every run) ----------

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '"><img src=x onerror=alert(1)>';
export const XSS_SVG = "'><svg onload=alert(1)>";
export const JS_URL = 'javascript:alert(1)';

/**
 * Values that break a field's type. A form gets each of them in every field at once (a form validates all
 * its fields, so one case checks them all); the `values` below go one field at a time.
 */
export const TYPE_CORPUS: { label: string; value: string | string[] }[] = [
  { label: 'empty', value: '' },
  { label: 'wrong type (word)', value: 'abc' },
  { label: 'wrong type (number)', value: '12345' },
  { label: 'negative', value: '-1' },
  { label: 'huge number', value: '99999999999999999999999' },
  { label: 'float overflow', value: '1e309' },
  { label: 'NUL byte', value: 'a\u0000b' },
  { label: 'array', value: ['a', 'b'] },
];

/** Content a text field may well accept, then store and show: every visible text field of a form at once. */
export const CONTENT_CORPUS: { label: string; value: string }[] = [
  { label: 'NUL byte', value: 'a\u0000b' },
  { label: 'script, img onerror and svg onload', value: `${XSS_SCRIPT}${XSS_IMG}${XSS_SVG}` },
  { label: 'javascript: URL', value: JS_URL },
  { label: 'SQL, path traversal, templates, control and bidi characters', value: "' OR 1=1; DROP TABLE requests-- ../../etc/passwd {{constructor}}${7*7}%s%n \u0001\u001b[31m\u202eevil\u202c\u007f" },
]

/** Every value above (Open311 fields get them one at a time). */
export const FIELD_CORPUS: { label: string; value: string | string[] }[] = [...TYPE_CORPUS, ...CONTENT_CORPUS];

/** One field at a time, for choices and ids: values that parse, then must fail further on (an id that does not exist). */
export const ID_CORPUS = [
  { label: 'unknown id', value: '12345' }, { label: 'negative id', value: '-1' }, { label: 'int32 overflow', value: '2147483648' },
];
/** One date field at a time: well-formed dates that do not exist or are out of range. */
export const DATE_CORPUS = [
  { label: 'February 30', value: '2026-02-30' }, { label: 'year zero', value: '0000-00-00' }, { label: 'far future', value: '9999-12-31' },
];
/** One hidden field at a time (return paths, targets, steps): what a forged form could carry. */
export const HIDDEN_CORPUS = [
  { label: 'img onerror', value: XSS_IMG }, { label: 'javascript: URL', value: JS_URL }, { label: 'other host and traversal', value: '//evil.example/../../etc/passwd' },
  { label: 'tab and Arabic in a path', value: '/\t/evil.example/باب' },
];

/** Values for query parameters of GET pages and APIs. */
export const QUERY_CORPUS: { label: string; raw: string }[] = [
  { label: 'empty', raw: '' },
  { label: 'array', raw: '[]=a&{k}[]=b' },
  { label: 'nested object', raw: '[a][b]=c' },
  { label: 'repeated', raw: '=a&{k}=b' },
  { label: 'negative', raw: '=-1' },
  { label: 'float overflow', raw: '=1e309' },
  { label: 'huge', raw: '=99999999999' },
  { label: 'NUL byte', raw: '=a%00b' },
  { label: 'invalid UTF-8', raw: '=%FF%FE%C3' },
  { label: 'script tag', raw: `=${encodeURIComponent(XSS_SCRIPT)}` },
  { label: 'img onerror', raw: `=${encodeURIComponent(XSS_IMG)}` },
  { label: 'SQL', raw: `=${encodeURIComponent("' OR 1=1--")}` },
  { label: 'SQL statement', raw: `=${encodeURIComponent('1;--')}` },
  { label: 'column name', raw: '=password_hash' },
  { label: 'path traversal', raw: `=${encodeURIComponent('../../etc/passwd')}` },
  { label: 'long', raw: `=${'x'.repeat(2000)}` },
];
/** Query parameters every GET route is tried with (besides the ones its own links and forms use). */
export const GENERIC_QUERY = ['page', 'sort', 'order', 'q', 'status', 'filter'];

/** Hostile values for a path parameter (already URL-encoded). */
export const PATH_CORPUS: { label: string; raw: string }[] = [
  { label: 'traversal', raw: '..%2f..%2fetc%2fpasswd' },
  { label: 'negative', raw: '-1' },
  { label: 'huge id', raw: '99999999999999999999' },
  { label: 'NUL', raw: 'a%00b' },
  { label: 'invalid UTF-8', raw: '%FF%FE' },
  { label: 'script tag', raw: encodeURIComponent(XSS_SCRIPT) },
  { label: 'SQL', raw: encodeURIComponent("1' OR '1'='1") },
  { label: 'too long', raw: 'x'.repeat(300) },
]

// ---------- Files ----------

export const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
export const PDF_MIN = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Uploads whose name, claimed type and content disagree, or whose name walks out of a folder. */
export const FILE_CORPUS: { label: string; name: string; type: string; data: Buffer }[] = [
  { label: 'traversal name', name: '../../etc/passwd', type: 'image/png', data: PNG_1x1 },
  { label: 'backslash traversal', name: '..\\..\\x.png', type: 'image/png', data: PNG_1x1 },
  { label: 'script name', name: `${XSS_IMG}.png`, type: 'image/png', data: PNG_1x1 },
  { label: 'NUL in name', name: 'a\u0000.png', type: 'image/png', data: PNG_1x1 },
  { label: '.png holding a PDF', name: 'photo.png', type: 'image/png', data: PDF_MIN },
  { label: '.png holding a script', name: 'photo.png', type: 'image/png', data: Buffer.from(`${XSS_SCRIPT}\n`) },
  { label: '.pdf holding HTML', name: 'report.pdf', type: 'application/pdf', data: Buffer.from(`<!doctype html><html><body>${XSS_SCRIPT}</body></html>`) },
  { label: 'truncated PNG', name: 'broken.png', type: 'image/png', data: PNG_1x1.subarray(0, 20) },
  { label: 'empty file', name: 'empty.png', type: 'image/png', data: Buffer.alloc(0) },
  { label: 'JSON file', name: 'x.geojson', type: 'application/json', data: Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"<script>alert(1)</script>"},"geometry":null}]}') },
];

// ---------- HTML forms ----------

export interface FormField {
  name: string;
  /** input type, or 'select' / 'textarea' / 'button'. */
  kind: string;
  value: string;
  checked: boolean;
  options: string[];
  multiple: boolean;
}
export interface FormInfo { action: string; method: 'get' | 'post'; multipart: boolean; fields: FormField[]; from: string }

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_m, e: string) => {
    const l = e.toLowerCase();
    if (l[0] === '#') return String.fromCodePoint(l[1] === 'x' ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[l];
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<[a-zA-Z]+/, '').replace(/\/?>$/, '');
  for (let m; (m = re.exec(inner));) out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** Every form of a page, with its fields in document order (the app's own HTML: well formed, no nesting). */
export function parseForms(html: string, from: string): FormInfo[] {
  const forms: FormInfo[] = [];
  for (const m of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
    const src = m[0];
    const a = attrs(src.match(/^<form\b[^>]*>/)![0]);
    const fields: FormField[] = [];
    for (const el of src.matchAll(/<(input|button)\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/g)) {
      const tag = el[0];
      const name = tag.slice(1, tag.search(/[\s>]/)).toLowerCase();
      const at = attrs(tag.match(/^<[^>]*>/)![0]);
      if (!at.name) continue;
      if (name === 'textarea') fields.push({ name: at.name, kind: 'textarea', value: decodeEntities(el[2] ?? ''), checked: false, options: [], multiple: false });
      else if (name === 'select') {
        const opts = [...(el[3] ?? '').matchAll(/<option\b[^>]*>/g)].map((o) => attrs(o[0]));
        const sel = opts.find((o) => 'selected' in o);
        fields.push({ name: at.name, kind: 'select', value: sel?.value ?? '', checked: false, options: opts.map((o) => o.value ?? ''), multiple: 'multiple' in at });
      } else if (name === 'button') {
        if (at.formaction) continue; // another action: read as its own route
        fields.push({ name: at.name, kind: 'button', value: at.value ?? '', checked: false, options: [], multiple: false });
      } else {
        fields.push({ name: at.name, kind: (at.type ?? 'text').toLowerCase(), value: at.value ?? '', checked: 'checked' in at, options: [], multiple: 'multiple' in at });
      }
    }
    const method = (a.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
    forms.push({ action: a.action ?? from, method, multipart: /multipart/i.test(a.enctype ?? ''), fields, from });
    // A submit button with formaction posts the same fields elsewhere (the report's "modify" step).
    for (const b of src.matchAll(/<button\b[^>]*\bformaction="[^"]*"[^>]*>/g)) {
      const ba = attrs(b[0]);
      const extra: FormField[] = ba.name ? [{ name: ba.name, kind: 'button', value: ba.value ?? '', checked: false, options: [], multiple: false }] : [];
      forms.push({ action: ba.formaction, method, multipart: /multipart/i.test(ba.formenctype ?? a.enctype ?? ''), fields: [...fields.filter((f) => f.kind !== 'button'), ...extra], from });
    }
  }
  return forms;
}

/**
 * A form's values as a user who fills it in correctly would send them: what the page shows, plus
 * something plausible in each empty field (so that hostile values reach past "required").
 * `n` makes slugs, codes and emails unique between cases.
 */
export function baseline(form: FormInfo, n: number): [string, string][] {
  const out: [string, string][] = [];
  const radios = new Set<string>();
  const buttons = new Set<string>();
  for (const f of form.fields) {
    if (f.kind === 'file' || f.kind === 'submit' || f.kind === 'reset' || f.kind === 'image') continue;
    if (f.kind === 'button') { if (!buttons.has(f.name)) { buttons.add(f.name); out.push([f.name, f.value]); } continue; }
    if (f.kind === 'checkbox') { if (f.checked) out.push([f.name, f.value || 'on']); continue; }
    if (f.kind === 'radio') {
      if (radios.has(f.name)) continue;
      const chosen = form.fields.find((x) => x.name === f.name && x.kind === 'radio' && x.checked) ?? f;
      radios.add(f.name);
      out.push([f.name, chosen.value]);
      continue;
    }
    if (f.kind === 'select') { out.push([f.name, f.value || f.options.find((o) => o !== '') || '']); continue; }
    if (f.kind === 'hidden' || f.value !== '') { out.push([f.name, f.value]); continue; }
    out.push([f.name, plausible(f, n)]);
  }
  return out;
}

function plausible(f: FormField, n: number): string {
  const name = f.name.toLowerCase();
  if (f.kind === 'password' || /password/.test(name)) return 'correct horse battery staple';
  if (f.kind === 'email' || /email/.test(name)) return `fuzz${n}@example.org`;
  if (f.kind === 'date' || /(^|_)(date|on|at|from|to|until|since|day)$/.test(name)) return '2026-05-04';
  if (f.kind === 'number' || /(^|_)(year|count|sort|number|population|sla_days|days|value|baseline|target|progress|percent|weight|amount|order)$/.test(name)) return /year/.test(name) ? '2026' : '3';
  if (/(^|_)(lat)$/.test(name)) return '35.5725';
  if (/(^|_)(lng|long|lon)$/.test(name)) return '-5.369';
  if (/phone/.test(name)) return '+212 600 000 000';
  if (/(^|_)(slug|code|key)$/.test(name)) return `fuzz-${n}`;
  if (/website|honeypot/.test(name)) return ''; // the spam trap stays empty, as a person leaves it
  if (/url|link/.test(name)) return 'https://example.org/';
  if (f.kind === 'url') return 'https://example.org/';
  if (f.kind === 'textarea') return `Texte de test ${n}.`;
  return `Valeur ${n}`;
}

// ---------- Routes ----------

export interface RouteMatcher { (method: string, pathname: string): RouteEntry | null }

/** Maps a concrete path to its route in `app.routeTable` (the most specific one: most static characters). */
export function routeMatcher(table: RouteEntry[]): RouteMatcher {
  const compiled = table.map((r) => {
    let re = '';
    let statics = 0;
    // `:name(regex)` params, `:name` params, `*` wildcards, static text.
    for (const tok of r.url.match(/:[a-zA-Z_]+(?:\([^)]*\))?|\*|[^:*]+/g) ?? []) {
      if (tok === '*') re += '.*';
      else if (tok[0] === ':') {
        const m = tok.match(/^:[a-zA-Z_]+\((.*)\)$/);
        re += m ? `(?:${m[1].replace(/^\^/, '').replace(/\$$/, '')})` : '[^/]+?';
      } else { re += tok.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); statics += tok.length; }
    }
    return { r, re: new RegExp(`^${re}/?$`), statics };
  }).sort((a, b) => b.statics - a.statics);
  return (method, pathname) => compiled.find((c) => c.r.method === method && c.re.test(pathname))?.r ?? null;
}

/** The names of a route's path parameters, in order. */
export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([a-zA-Z_]+)/g)].map((m) => m[1]);
}

/** Replaces the `i`-th parameter of a concrete path (matched against its route) with `raw`. */
export function replaceParam(route: RouteEntry, concrete: string, index: number, raw: string): string | null {
  const parts = route.url.match(/:[a-zA-Z_]+(?:\([^)]*\))?|\*|[^:*]+/g) ?? [];
  let re = '';
  for (const tok of parts) {
    if (tok[0] === ':') {
      const m = tok.match(/^:[a-zA-Z_]+\((.*)\)$/);
      re += m ? `(${m[1].replace(/^\^/, '').replace(/\$$/, '')})` : '([^/]+?)';
    } else if (tok === '*') re += '(.*)';
    else re += tok.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}/?$`).exec(concrete);
  if (!m) return null;
  let i = 0;
  let out = '';
  for (const tok of parts) {
    if (tok[0] === ':' || tok === '*') { out += i === index ? raw : m[i + 1]; i++; } else out += tok;
  }
  return out;
}

// ---------- Forms found on pages ----------

export type Who = 'anon' | 'admin' | 'reporter';

/** Forms per route of their action, with the client that saw them (at most a few per route). */
export type FormsByRoute = Map<RouteEntry, (FormInfo & { who: Who })[]>;

/**
 * Records the POST forms of a page under the route of their action; returns the GET forms' baseline
 * submissions (`action?query`), which lead to further forms (the report form of a category, the counter form).
 */
export function recordForms(html: string, from: string, who: Who, match: RouteMatcher, into: FormsByRoute): string[] {
  const next: string[] = [];
  for (const f of parseForms(html, from)) {
    const u = new URL(f.action.split('#')[0], 'http://x' + from);
    const r = match(f.method.toUpperCase(), u.pathname);
    if (!r) continue;
    f.action = u.pathname + u.search;
    if (f.method === 'get') {
      const q = baseline(f, 0).filter(([, v]) => v !== '');
      if (q.length) next.push(`${u.pathname}?${urlencoded(q)}`);
      continue;
    }
    const list = into.get(r) ?? into.set(r, []).get(r)!;
    // Keep forms that differ in their fields (one route can be posted from several pages).
    const sig = (x: FormInfo) => x.fields.map((y) => y.name).sort().join(',');
    if (list.length < 3 && !list.some((x) => sig(x) === sig(f))) list.push({ ...f, who });
  }
  return next;
}

/** The client a route is tried with: staff pages as an admin, the reporter's own pages as the reporter, the rest anonymously. */
export function whoFor(r: RouteEntry): Who {
  if (r.url.includes('/admin')) return 'admin';
  if (r.url.includes('/mine')) return 'reporter';
  if (r.url.includes('/comments') && r.method === 'POST') return 'admin';
  return 'anon';
}

/**
 * Reads every sample page (`samplePaths`, keyed `METHOD url`) with the client that will use its forms, public
 * pages also as the admin, and the pages GET forms lead to (the report form of a category); records their forms.
 */
export async function discoverForms(table: RouteEntry[], sample: Map<string, string>, clients: Record<Who, Client>, match: RouteMatcher, forms: FormsByRoute): Promise<void> {
  const pages: { who: Who; path: string }[] = [];
  for (const r of table) {
    if (r.method !== 'GET') continue;
    const p = sample.get(`${r.method} ${r.url}`);
    if (!p || !p.startsWith('/fr') || /\.(csv|json|pdf)$/.test(p.split('?')[0]) || /\/(photos|files)\/|\/evidence\/:id\//.test(r.url)) continue;
    pages.push({ who: whoFor(r), path: p });
    if (whoFor(r) === 'anon' && /requests|comments|plans/.test(r.url)) pages.push({ who: 'admin', path: p });
  }
  const seen = new Set<string>();
  while (pages.length) {
    const { who, path } = pages.shift()!;
    if (seen.has(`${who} ${path}`)) continue;
    seen.add(`${who} ${path}`);
    const res = await clients[who].get(path);
    if (res.status >= 300 || !(res.headers.get('content-type') ?? '').includes('text/html')) continue;
    for (const next of recordForms(res.text, path, who, match, forms)) if (seen.size < 400) pages.push({ who, path: next });
  }
}

// ---------- Bodies ----------

/** Builds an x-www-form-urlencoded body. */
export function urlencoded(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export interface Part { name: string; value: string | Buffer; filename?: string; type?: string }

/** A multipart/form-data body built by hand, so that field values can be bytes that are not UTF-8. */
export function multipart(parts: Part[]): { body: Buffer; type: string } {
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name.replace(/"/g, '%22')}"${p.filename !== undefined ? `; filename="${p.filename.replace(/"/g, '%22')}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: ${disp}\r\n${p.filename !== undefined ? `content-type: ${p.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** An x-www-form-urlencoded body from byte values (a Buffer value goes in raw, not percent-encoded). */
export function urlencodedBytes(pairs: [string, string | Buffer][]): Buffer {
  return Buffer.concat(pairs.flatMap(([k, v], i) => [Buffer.from(`${i ? '&' : ''}${encodeURIComponent(k)}=`), Buffer.isBuffer(v) ? v : Buffer.from(encodeURIComponent(v))]));
}

// ---------- Snapshots ----------

/** Every table of the database (the app's tables only). */
export async function tableNames(t: TestApp): Promise<string[]> {
  const tables = await t.database.db.introspection.getTables();
  // On PostgreSQL, the test's own schema only (other tests run in schemas of their own, at the same time).
  const mine = tables.filter((x) => !t.config.databaseSchema || x.schema === t.config.databaseSchema);
  return [...new Set(mine.map((x) => x.name).filter((n) => !/^(kysely_|sqlite_)/.test(n)))].sort();
}

/**
 * A function that reads the row count of every given table in one round trip. On PostgreSQL the counts come from
 * a PL/pgSQL function made in the test's own schema (its plans are cached: ~1.5 ms, against ~40 ms for a UNION of
 * 58 COUNT(*) that is planned at every call); on SQLite from one SELECT of subqueries (~1 ms).
 */
export async function rowCounter(t: TestApp, tables: string[]): Promise<() => Promise<Record<string, number>>> {
  const db = t.database.db;
  const schema = t.config.databaseSchema;
  if (t.database.engine === 'postgres' && schema) {
    await sql.raw(`CREATE OR REPLACE FUNCTION ${schema}.fuzz_row_counts() RETURNS bigint[] LANGUAGE plpgsql AS $f$
DECLARE out bigint[] := '{}'; n bigint;
BEGIN
${tables.map((x) => `  SELECT count(*) INTO n FROM ${schema}.${x}; out := out || n;`).join('\n')}
  RETURN out;
END $f$`).execute(db);
    return async () => {
      const r = await sql<{ c: (string | number)[] }>`${sql.raw(`SELECT ${schema}.fuzz_row_counts() AS c`)}`.execute(db);
      return Object.fromEntries(tables.map((x, i) => [x, Number(r.rows[0].c[i])]));
    };
  }
  const q = `SELECT ${tables.map((x) => `(SELECT COUNT(*) FROM ${x}) AS "${x}"`).join(', ')}`;
  return async () => {
    const r = await sql<Record<string, number | string>>`${sql.raw(q)}`.execute(db);
    return Object.fromEntries(tables.map((x) => [x, Number(r.rows[0][x])]));
  };
}

export function countDiff(a: Record<string, number>, b: Record<string, number>): string[] {
  return Object.keys(b).filter((k) => a[k] !== b[k]).map((k) => `${k} ${a[k]}→${b[k]}`);
}

// ---------- Judging an answer ----------

/** Why an answer to a refused request is not a clear error, or null when it is. */
export function unclearError(res: Res, api: boolean): string | null {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html')) {
    if (!/<html lang="(fr|ar|en)"/.test(res.text)) return 'an HTML error without the site layout';
    if (/class="error-summary"|class="field-error"|class="error-page"|role="alert"|class="flash error"/.test(res.text)) return null;
    return 'an HTML page with no error message (no error summary, field error or error page)';
  }
  if (type.includes('json')) {
    try {
      const j = JSON.parse(res.text);
      if (Array.isArray(j) && j.every((e) => typeof e.code === 'number' && typeof e.description === 'string') && j.length) return null;
      if (j && typeof j.error === 'string' && typeof j.message === 'string' && !/^(Bad Request|Not Found|Internal Server Error)$/.test(j.message)) return null;
      return `a JSON error without code and translated message: ${res.text.slice(0, 160)}`;
    } catch { return `invalid JSON: ${res.text.slice(0, 120)}`; }
  }
  if (type.includes('xml')) return /<errors>[\s\S]*<code>\d+<\/code>[\s\S]*<description>[^<]+<\/description>/.test(res.text) ? null : `an XML error without code: ${res.text.slice(0, 160)}`;
  if (res.status === 404 && api) return null;
  return `an error of type "${type}": ${res.text.slice(0, 120)}`;
}

/** The payloads that must never appear as markup in an HTML answer. */
export function unescapedPayload(html: string): string | null {
  for (const p of ['<script>alert(1)', '<img src=x onerror', '<img src="x" onerror', '<svg onload', 'href="javascript:', "href='javascript:"]) {
    const i = html.toLowerCase().indexOf(p);
    if (i >= 0) return `"${p}" rendered unescaped: …${html.slice(Math.max(0, i - 80), i + 60)}…`;
  }
  return null;
}
