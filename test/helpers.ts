import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.ts';
import { prepare, buildApp } from '../src/app.ts';
import type { Database } from '../src/core/db/index.ts';
import { systemCtx } from '../src/platform.ts';
import { Tenancy, type Commune } from '../src/core/tenancy/index.ts';
import { addUserWithRole } from '../src/modules/accounts/service.ts';
import type { Ctx } from '../src/core/service.ts';
import type { Actor } from '../src/core/auth/roles.ts';
import { loadGrants } from '../src/core/auth/sessions.ts';
import { currentTemplate, copyTemplate } from './template.ts';

/** PostgreSQL when TEST_DATABASE_URL is set (the second pass of `npm test`), else SQLite. */
export const PG_URL = process.env.TEST_DATABASE_URL;
export const ENGINE = PG_URL ? 'postgres' : 'sqlite';

export interface TestApp {
  url: string;
  app: FastifyInstance;
  database: Database;
  config: Config;
  commune: Commune;
  adminPassword: string;
  demoPassword: string;
  close(): Promise<void>;
  /** A service context acting as the given user (or the system). */
  ctx(actor?: Actor | null): Promise<Ctx>;
  /** Creates a user with a role; returns its email (password: PASSWORD). */
  user(role: string, institutionSlug?: string): Promise<{ email: string; id: number }>;
  /** Runs `fn` (one HTTP request, say) and returns the SQL of every statement the app ran meanwhile, BEGIN and COMMIT included. */
  statements<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }>;
}

export const PASSWORD = 'correct horse battery staple';

/**
 * A fresh data directory (SQLite) or database (PostgreSQL) with the demo commune, served on a free port: a copy of
 * the run's template (test/template.ts) when `npm test` made one, else seeded here.
 */
export async function startApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const template = overrides.demo === false || overrides.defaultCommune ? null : currentTemplate(ENGINE);
  const copy = template ? await copyTemplate(template, PG_URL) : null;
  const dataDir = copy?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'commune-test-'));
  const schema = copy ? copy.schema : PG_URL ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({}, {
    port: 0, host: '127.0.0.1', dataDir, databaseUrl: copy?.databaseUrl ?? PG_URL, databaseSchema: schema, demo: true,
    logLevel: 'silent', mailWorker: false, rateLimitFactor: 20, ...overrides,
  });
  const { database, firstRun } = await prepare(config);
  if (!copy && !firstRun) throw new Error('startApp: the new database already held a commune');
  const app = await buildApp(config, database, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  if (!overrides.baseUrl) config.baseUrl = url;
  const tenancy = new Tenancy(database.db, config.defaultCommune);
  await tenancy.reload();
  const commune = tenancy.bySlugOrNull(config.defaultCommune)!;
  let n = 0;
  const t: TestApp = {
    url, app, database, config, commune,
    adminPassword: template?.adminPassword ?? firstRun!.password,
    demoPassword: template?.demoPassword ?? firstRun!.demoPassword ?? '',
    async close() {
      // The database goes even when the test already closed the app or its connections.
      await app.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      if (copy) await copy.drop();
      else {
        if (schema) await dropSchema(schema);
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    async statements(fn) {
      const sql: string[] = [];
      const stop = database.observe((s) => sql.push(s));
      try { return { result: await fn(), sql }; } finally { stop(); }
    },
    ctx: async (actor) => systemCtx(database, commune, config, actor === null ? undefined : actor ?? undefined),
    async user(role, institutionSlug) {
      const email = `${role}.${++n}.${randomBytes(3).toString('hex')}@test.local`;
      const id = await addUserWithRole(await t.ctx(), { email, name: `${role} ${n}`, password: PASSWORD, role, institutionSlug });
      return { email, id };
    },
  };
  return t;
}

export async function actorFor(t: TestApp, userId: number, email = ''): Promise<Actor> {
  return { userId, communeId: t.commune.id, email, name: email, grants: await loadGrants(t.database.db, t.commune.id, userId) };
}

async function dropSchema(schema: string) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
}

export interface Res { status: number; headers: Headers; text: string; location: string | null }

/** A cookie-keeping HTTP client that fills in CSRF tokens from the last form it saw. */
export class Client {
  cookies = new Map<string, string>();
  lastHtml = '';
  constructor(public base: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (v === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
  }
  async request(method: string, p: string, body?: string | FormData, headers: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(this.base + p, { method, body, redirect: 'manual', headers: { cookie: this.cookieHeader(), ...headers } });
    this.store(res);
    const text = await res.text();
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = text;
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }
  get(p: string, headers: Record<string, string> = {}) { return this.request('GET', p, undefined, headers); }
  csrf(): string {
    const m = this.lastHtml.match(/name="_csrf" value="([^"]+)"/);
    return m ? m[1] : '';
  }
  /** Posts a form; `_csrf` comes from the last page unless given. */
  post(p: string, fields: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
    const form = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (token !== null) form.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    return this.request('POST', p, form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  }
  /** Posts a multipart form with files: `files[field] = { name, data, type }`. */
  postMultipart(p: string, fields: Record<string, string | string[]>, files: Record<string, { name: string; data: Buffer; type?: string } | { name: string; data: Buffer; type?: string }[]> = {}, opts: { csrf?: string | null } = {}) {
    const form = new FormData();
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (token !== null) form.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    for (const [k, v] of Object.entries(files)) for (const f of Array.isArray(v) ? v : [v]) form.append(k, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'application/octet-stream' }), f.name);
    return this.request('POST', p, form);
  }
  /** Loads a page then posts its form. */
  async submit(pagePath: string, action: string, fields: Record<string, string | string[]>) {
    await this.get(pagePath);
    return this.post(action, fields);
  }
  async login(email: string, password = PASSWORD, locale = 'fr') {
    const res = await this.submit(`/${locale}/login`, `/${locale}/login`, { email, password });
    if (res.status !== 303) throw new Error(`login failed for ${email}: ${res.status}`);
    return res;
  }
}

/** The visible text of an HTML page, tags removed, for assertions on what a user reads. */
export function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');
}

/** Every role, with the institution a scoped role needs in the demo commune. */
export const ROLE_SPECS: { role: string; institution?: string }[] = [
  { role: 'citizen' }, { role: 'counter_agent' }, { role: 'department_staff', institution: 'travaux' },
  { role: 'operator_staff', institution: 'operateur-proprete' }, { role: 'ogp_team' }, { role: 'steering_member' },
  { role: 'monitor' }, { role: 'moderator' }, { role: 'mediator' }, { role: 'information_officer' }, { role: 'admin' },
];

/** One signed-in client per role (created once per test app). */
export async function roleClients(t: TestApp): Promise<Map<string, Client>> {
  const out = new Map<string, Client>();
  for (const spec of ROLE_SPECS) {
    const { email } = await t.user(spec.role, spec.institution);
    const c = new Client(t.url);
    await c.login(email);
    out.set(spec.role, c);
  }
  return out;
}
