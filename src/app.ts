import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './core/db/index.ts';
import { migrate } from './core/db/migrator.ts';
import { Tenancy, moduleOn, ALWAYS_ON, type Commune } from './core/tenancy/index.ts';
import type { Ctx } from './core/service.ts';
import { negotiateLocale, LOCALES } from './core/i18n/index.ts';
import { PUBLIC_DIR } from './core/paths.ts';
import { allMigrations, i18n, jobHandlers, systemCtx } from './platform.ts';
import { jobWorker, runDueJobs, type JobRunner } from './core/jobs/index.ts';
import { systemClock } from './core/clock/index.ts';
import { randomToken } from './core/auth/passwords.ts';
import { corePlugin, frameworkErrors, clientErrorHandler, pathFormRewrite } from './core/http/index.tsx';
import { modules } from './modules/index.ts';
import type { RouteAccess } from './core/module.ts';
import { createCommune, seedDemo } from './demo.ts';
import { redactUrl } from './core/http/redact.ts';

export interface Prepared {
  database: Database;
  /** Printed once, on the start that created the commune's first administrator. */
  firstRun?: { adminEmail: string; password: string; demoPassword?: string };
}

/** Opens the database, migrates it and, on an empty one, creates the commune (and the demo data). */
export async function prepare(config: Config): Promise<Prepared> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
  try {
    await migrate(database, allMigrations());
    const any = await database.db.selectFrom('communes').select('id').limit(1).executeTakeFirst();
    if (any) return { database };
    const first = config.demo ? await seedDemo(database, config) : await createCommune(database, config, config.defaultCommune, null);
    return { database, firstRun: first };
  } catch (err) {
    await database.close();
    throw err;
  }
}

export async function cookieSecret(database: Database): Promise<string> {
  const row = await database.db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst();
  if (row) return row.value;
  const value = randomToken(32);
  await database.db.insertInto('settings').values({ key: 'cookie_secret', value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  return (await database.db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirstOrThrow()).value;
}

export async function buildApp(config: Config, database: Database, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const tenancy = new Tenancy(database.db, config.defaultCommune);
  await tenancy.reload();
  const app = Fastify({
    // `/c/{slug}/…`: the commune named in the path (installations without wildcard DNS).
    rewriteUrl: pathFormRewrite(tenancy),
    logger: opts.logger === false ? false : {
      level: config.logLevel,
      // Request URLs are logged without the secrets some of them carry (reset links, tracking codes, API keys).
      serializers: { req: (req) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip }) },
    },
    bodyLimit: 1024 * 1024,
    // Behind HTTPS the app sits behind one reverse proxy: trust that one hop only. Trusting every hop would take the
    // client's own X-Forwarded-For as its address, and let anyone dodge the per-address rate limits by varying it.
    trustProxy: config.baseUrl.startsWith('https://') ? (_address: string, hop: number) => hop < 1 : false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A path that is not UTF-8, a parameter too long, headers too large: translated error pages, not Fastify's JSON.
    frameworkErrors: (err, req, reply) => frameworkErrors(err, req as unknown as FastifyRequest, reply as unknown as FastifyReply),
    clientErrorHandler(err, socket) { clientErrorHandler(this as unknown as FastifyInstance, err, socket); },
  });
  // The route table, for the tests that must cover every route (fuzz, authorization matrix, privacy crawl).
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: r.url });
  });
  app.decorate('routeTable', routeTable);
  app.decorate('tenancy', tenancy);
  app.decorate('appConfig', config);
  app.decorate('database', database);
  app.decorate('systemCtx', (commune: Commune) => systemCtx(database, commune, config));
  const nav = modules.flatMap((m) => (m.nav ?? []).map((n) => ({ ...n, module: m.name }))).sort((a, b) => a.order - b.order);
  await app.register(corePlugin, { config, database, tenancy, i18n: await i18n(), nav, cookieSecret: await cookieSecret(database) });

  app.get('/', async (req, reply) => reply.redirect(`/${negotiateLocale(req.headers['accept-language'], req.commune.settings.languages)}/`, 302));
  // Browsers ask for /favicon.ico whatever the page says; robots may read robots.txt (the staff area is not for them).
  const favicon = fs.readFileSync(path.join(PUBLIC_DIR, 'favicon.png'));
  app.get('/favicon.ico', async (_req, reply) => reply.type('image/png').header('cache-control', 'public, max-age=86400').send(favicon));
  app.get('/robots.txt', async (_req, reply) => reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600')
    .send(`User-agent: *\n${LOCALES.map((l) => `Disallow: /${l}/admin\nDisallow: /${l}/account\n`).join('')}Allow: /\n`));
  app.get('/healthz', async (_req, reply) => {
    await database.db.selectFrom('communes').select('id').limit(1).execute();
    return reply.send({ status: 'ok', engine: database.engine, time: new Date().toISOString() });
  });

  // A module the commune turned off answers 404 on all its routes (core filters; the module knows nothing of it).
  for (const m of modules) {
    const gate = async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.commune && !moduleOn(req.commune, m.name)) { reply.callNotFound(); return reply; }
    };
    const gated = (plugin: NonNullable<typeof m.pages>) => async (scope: FastifyInstance) => {
      if (!ALWAYS_ON.includes(m.name)) scope.addHook('onRequest', gate);
      await scope.register(plugin);
    };
    if (m.pages) await app.register(gated(m.pages), { prefix: '/:locale' });
    if (m.routes) await app.register(gated(m.routes));
  }

  // Background jobs: run by the process that runs the outbox (MAIL_WORKER), and on demand (`app.runJobs()`).
  const runner: JobRunner = {
    handlers: jobHandlers(),
    now: () => systemClock.now(),
    ctxFor: async (communeId) => {
      const commune = tenancy.all().find((c) => c.id === communeId);
      return commune ? systemCtx(database, commune, config) : null;
    },
  };
  app.decorate('runJobs', (limit?: number) => runDueJobs(database.db, runner, limit));
  if (config.mailWorker) {
    const worker = jobWorker(database.db, runner, (err) => app.log.error({ err }, 'background jobs failed'));
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  return app;
}

export interface RouteEntry { method: string; url: string }


/** Access of the routes core serves (see RouteAccess in core/module.ts). */
export const CORE_ACCESS: Record<string, RouteAccess> = {
  'GET /': 'public',
  'GET /healthz': 'public',
  'GET /favicon.ico': 'public',
  'GET /robots.txt': 'public',
  'GET /static/*': 'public',
};

/** Every route's access: core's, then each module's. A route declared twice is an error. */
export function accessTable(): Record<string, RouteAccess> {
  const out: Record<string, RouteAccess> = { ...CORE_ACCESS };
  for (const m of modules) {
    for (const [k, v] of Object.entries(m.access ?? {})) {
      if (k in out) throw new Error(`Route ${k} has two access entries (module ${m.name})`);
      out[k] = v;
    }
  }
  return out;
}

declare module 'fastify' {
  interface FastifyInstance {
    tenancy: Tenancy; appConfig: Config; database: Database; routeTable: RouteEntry[];
    /** A service context acting as the platform itself in a commune (background work). */
    systemCtx(commune: Commune): Promise<Ctx>;
    /** Runs the background jobs that are due now, in this process; returns how many ran. */
    runJobs(limit?: number): Promise<number>;
  }
}
