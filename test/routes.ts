/**
 * Every route of the app with a concrete, working path built from the data of a commune (by default the demo
 * commune of a test app), for the tests that must cover every route: the authorization matrix, cross-commune
 * isolation, the fuzz test, the privacy crawl.
 *
 *   const t = await startApp();
 *   const table = routes(t);                 // [{ method, url }], exactly as Fastify registered them
 *   const paths = await samplePaths(t);      // [{ method, url, path }], one per route, real ids / slugs / tokens
 *   const fx = await fixtures(t);            // the values behind those paths (plan slug, request reference, tracking code…)
 *
 * Each module declares its own fixtures and sample paths (`fixtures` in its manifest, `src/modules/<name>/fixtures.ts`):
 * adding a module touches `src/modules/index.ts` alone. A route without a sample makes `samplePaths` throw, naming it.
 * Fixtures are created once per commune and test app (cached), module by module in the manifests' order; creating them
 * writes a few rows (a citizen, a comment, a request with a photo, followers, a password-reset token, an Open311 key…).
 */
import { randomBytes } from 'node:crypto';
import type { TestApp } from './helpers.ts';
import { PASSWORD } from './helpers.ts';
import type { RouteEntry } from '../src/app.ts';
import type { Commune } from '../src/core/tenancy/index.ts';
import type { Ctx } from '../src/core/service.ts';
import type { Fixtures, ModuleFixtures } from '../src/core/module.ts';
import { systemCtx } from '../src/platform.ts';
import { loadGrants } from '../src/core/auth/sessions.ts';
import { addUserWithRole } from '../src/modules/accounts/service.ts';
import { modules } from '../src/modules/index.ts';

export type { RouteEntry, Fixtures };

/** The route table: every method and URL pattern the app serves (HEAD left out), as registered. */
export function routes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.map((r) => ({ ...r }));
}

/** `METHOD /url`, the key of a route in the access tables and in the samples. */
export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export interface SamplePath { method: string; url: string; path: string }

/** Core's own routes (app.ts). */
const CORE_SAMPLES: ModuleFixtures['samples'] = {
  'GET /static/*': () => '/static/site.css',
  'GET /': () => '/',
  'GET /healthz': () => '/healthz',
  'GET /favicon.ico': () => '/favicon.ico',
  'GET /robots.txt': () => '/robots.txt',
};

let loaded: Promise<{ name: string; fx: ModuleFixtures }[]> | undefined;
/** Every module's fixtures, in the manifests' order. */
function moduleFixtures() {
  return (loaded ??= Promise.all(modules.filter((m) => m.fixtures).map(async (m) => ({ name: m.name, fx: await m.fixtures!() }))));
}

/** Every sample, core's and the modules'; a key declared twice is an error. */
async function allSamples(): Promise<ModuleFixtures['samples']> {
  const out: ModuleFixtures['samples'] = { ...CORE_SAMPLES };
  for (const { name, fx } of await moduleFixtures()) {
    for (const [k, v] of Object.entries(fx.samples)) {
      if (k in out) throw new Error(`the sample of ${k} is declared twice (module ${name})`);
      out[k] = v;
    }
  }
  return out;
}

const cache = new WeakMap<TestApp, Map<number, Promise<Fixtures>>>();

/** The fixtures of a commune (default: the test app's demo commune), created on first call. */
export function fixtures(t: TestApp, commune: Commune = t.commune): Promise<Fixtures> {
  let m = cache.get(t);
  if (!m) cache.set(t, (m = new Map()));
  let p = m.get(commune.id);
  if (!p) m.set(commune.id, (p = build(t, commune)));
  return p;
}

let samples: ModuleFixtures['samples'] | undefined;

/** One concrete path per route (locale `fr` by default), in route-table order. */
export async function samplePaths(t: TestApp, locale = 'fr', commune: Commune = t.commune): Promise<SamplePath[]> {
  const fx = await fixtures(t, commune);
  return routes(t).map((r) => ({ ...r, path: samplePath(r, fx, locale) }));
}

/** The concrete path of one route with the given fixtures (throws for a route no module gives a sample of). */
export function samplePath(r: { method: string; url: string }, fx: Fixtures, locale = 'fr'): string {
  if (!samples) throw new Error('test/routes.ts: call fixtures() first');
  const key = routeKey(r);
  const make = samples[key] ?? (r.method === 'GET' || r.method === 'POST' ? samples[`* ${r.url}`] : undefined);
  if (!make) throw new Error(`no sample path for ${key}: add one to its module's fixtures (src/modules/<name>/fixtures.ts)`);
  return withLocale(make(fx), locale);
}

const withLocale = (p: string, locale: string) => (p.startsWith('/:locale') ? `/${locale}${p.slice('/:locale'.length)}` : p);

/** The targets of a route with scoped access (its module's `scoped`): paths aimed at rows of several institutions. */
export async function scopedTargets(key: string, fx: Fixtures, locale = 'fr'): Promise<{ path: string; institutionId: number; label: string }[]> {
  const make = (await moduleFixtures()).map((m) => m.fx.scoped?.[key]).find(Boolean);
  if (!make) throw new Error(`no scoped targets for ${key}: add them to its module's fixtures (scoped)`);
  return make(fx).map((x) => ({ path: withLocale(x.path, locale), institutionId: fx.institutions[x.institution], label: `${x.institution}` }));
}

/** The personal values the modules' fixtures planted (their `personal`), by label: never in a public output. */
export async function personalValues(fx: Fixtures): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { name, fx: m } of await moduleFixtures()) for (const k of m.personal ?? []) out.set(`${name} fixture ${k}`, String(fx[k]));
  return out;
}

/** Every concrete Open311 read (the `:file` routes serve several documents). */
export function open311Paths(f: Fixtures): string[] {
  return ['discovery', 'services', 'requests', 'servicerequestupdates', `services/${f.categorySlug}`, `service/${f.categorySlug}`, `requests/${f.requestRef}`]
    .flatMap((x) => [`/open311/v2/${x}.json`, `/open311/v2/${x}.xml`]);
}

/** The base every module's fixtures may use, then each module's, in order. */
async function build(t: TestApp, commune: Commune): Promise<Fixtures> {
  samples ??= await allSamples();
  const ctx: Ctx = await systemCtx(t.database, commune, t.config);
  const c = commune.id;
  const marker = `FX${randomBytes(5).toString('hex').toUpperCase()}`;
  const insts = await t.database.db.selectFrom('institutions').select(['id', 'slug']).where('commune_id', '=', c).orderBy('id').execute();
  const userEmail = `fixture.${marker.toLowerCase()}@test.local`;
  const userId = await addUserWithRole(ctx, { email: userEmail, name: `Fixture ${marker}`, password: PASSWORD, role: 'citizen' });
  const citizen: Ctx = { ...ctx, actor: { userId, communeId: c, email: userEmail, name: `Fixture ${marker}`, grants: await loadGrants(t.database.db, c, userId) } };
  const fx: Fixtures = { commune, marker, userId, userEmail, citizen, institutions: Object.fromEntries(insts.map((i) => [i.slug, i.id])), dataDir: t.config.dataDir };
  for (const { name, fx: m } of await moduleFixtures()) {
    const values = await m.build(ctx, fx);
    for (const k of Object.keys(values)) if (k in fx) throw new Error(`fixture ${k} of module ${name} is already set`);
    Object.assign(fx, values);
  }
  return fx;
}
