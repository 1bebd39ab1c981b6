import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import multipart from '@fastify/multipart';
import { isLocale, negotiateLocale, DEFAULT_LOCALE, type I18n, type Locale, type T } from '../i18n/index.ts';
import type { Tenancy, Commune } from '../tenancy/index.ts';
import type { Actor } from '../auth/roles.ts';
import { can } from '../auth/roles.ts';
import { loadActor, SESSION_COOKIE, SESSION_DAYS } from '../auth/sessions.ts';
import type { Ctx } from '../service.ts';
import type { Database } from '../db/index.ts';
import type { Config } from '../../config.ts';
import { secureCookies } from '../../config.ts';
import { systemClock } from '../clock/index.ts';
import { AppError, UnauthenticatedError } from './errors.ts';
import { renderDocument } from '../ui/render.tsx';
import type { NavItem, View } from '../ui/view.ts';
import { ErrorPage } from '../ui/error-page.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    commune: Commune;
    actor: Actor | null;
    locale: Locale;
    t: T;
    ctx: Ctx;
    sessionToken?: string;
  }
  interface FastifyReply {
    page(title: string, body: VNode, status?: number): FastifyReply;
    flash(kind: 'success' | 'error' | 'info', key: string, params?: Record<string, unknown>): FastifyReply;
    /** Redirects to a path inside the current locale. */
    to(path: string): FastifyReply;
  }
}

export interface CoreOptions {
  config: Config;
  database: Database;
  tenancy: Tenancy;
  i18n: I18n;
  nav: NavItem[];
  cookieSecret: string;
}

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public');

/** Paths that are machine APIs: JSON errors, no CSRF (they authenticate by key, not cookie). */
export const isApiPath = (url: string) => url.startsWith('/api/') || url.startsWith('/open311/') || url === '/healthz';

/** A local path only: never another host (open-redirect safe). */
export function safeLocalPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return fallback;
  return next;
}

export const corePlugin = fp(async (app: FastifyInstance, opts: CoreOptions) => {
  const { config, database, tenancy, i18n } = opts;
  const secure = secureCookies(config);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(config.tileUrl.startsWith('http') ? [new URL(config.tileUrl.replace(/\{[a-z]\}/g, 'a')).origin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie, { secret: opts.cookieSecret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Multipart forms arrive as plain fields plus Upload objects ({ filename, mimetype, data, truncated }),
  // so the CSRF check and the zod schemas read them like any form. Oversized files are flagged, not thrown,
  // so the form can re-render with its input and a message beside the file field.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: 10 * 1024 * 1024, files: 5, fields: 200, parts: 210, fieldSize: 64 * 1024 },
    onFile: async (part: any) => {
      const data = await part.toBuffer();
      part.value = { filename: part.filename ?? '', mimetype: part.mimetype ?? '', data, truncated: !!part.file.truncated };
    },
  } as any);
  await app.register(csrf, {
    cookieKey: '_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure },
    getToken: (req: FastifyRequest) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(new AppError(429, 'rate_limited', 'errors.rateLimited', { seconds: Math.ceil(ctx.ttl / 1000) }), { statusCode: 429 }),
  });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h', index: false });

  app.decorateRequest('commune', null as unknown as Commune);
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as unknown as T);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('ctx', {
    getter(this: FastifyRequest): Ctx {
      return { db: database.db, engine: database.engine, commune: this.commune, actor: this.actor, locale: this.locale, t: this.t, config, clock: systemClock };
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    const commune = tenancy.forHost(req.hostname);
    if (!commune) throw new AppError(503, 'no_commune', 'errors.noCommune');
    req.commune = commune;
    const p = (req.params as Record<string, string> | undefined)?.locale;
    req.locale = isLocale(p) ? p : localeFromUrl(req.url) ?? negotiateLocale(req.headers['accept-language']);
    req.t = i18n.t(req.locale);
    if (p !== undefined && !isLocale(p)) {
      reply.callNotFound();
      return reply;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token && !isApiPath(req.url)) {
      req.sessionToken = token;
      req.actor = await loadActor(database.db, commune.id, token);
    }
  });

  // Every form post carries the CSRF token (APIs authenticate with keys, not cookies).
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || isApiPath(req.url)) return done();
    app.csrfProtection(req, reply, done);
  });

  app.decorateReply('page', function (this: FastifyReply, title: string, body: VNode, status = 200) {
    const html = renderDocument(viewFor(this.request, this, opts.nav), title, body);
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });
  app.decorateReply('flash', function (this: FastifyReply, kind: 'success' | 'error' | 'info', key: string, params?: Record<string, unknown>) {
    const text = this.request.t(key, params as any);
    return this.setCookie('flash', JSON.stringify({ kind, text }), { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 60 });
  });
  app.decorateReply('to', function (this: FastifyReply, p: string) {
    return this.redirect(`/${this.request.locale}${safeLocalPath(p, '/')}`, 303);
  });

  app.setNotFoundHandler((req, reply) => {
    if (isApiPath(req.url)) return reply.code(404).send({ error: 'not_found', message: req.t('errors.notFound') });
    return reply.page(req.t('errors.notFoundTitle'), <ErrorPage status={404} />, 404);
  });

  app.setErrorHandler((err: any, req, reply) => {
    let status: number = err instanceof AppError ? err.status : typeof err.statusCode === 'number' ? err.statusCode : 500;
    let code: string = err instanceof AppError ? err.code : err.code ?? 'error';
    let key = err instanceof AppError ? err.messageKey : 'errors.server';
    let params = err instanceof AppError ? err.params : {};
    if (typeof code === 'string' && code.startsWith('FST_CSRF')) { status = 403; code = 'csrf'; key = 'errors.csrf'; }
    else if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') { key = 'errors.tooLarge'; }
    else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') { key = 'errors.mediaType'; }
    else if (!(err instanceof AppError) && status >= 400 && status < 500) { key = 'errors.badRequest'; }
    if (status >= 500) { req.log.error({ err }, 'request failed'); status = 500; key = 'errors.server'; code = 'server_error'; }
    if (!req.commune) req.commune = tenancy.forHost(req.hostname)!;
    if (!req.t) req.t = i18n.t(req.locale ?? DEFAULT_LOCALE);
    if (err instanceof UnauthenticatedError && !isApiPath(req.url) && req.method === 'GET') {
      return reply.redirect(`/${req.locale}/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    const message = req.t(key, params as any);
    if (isApiPath(req.url) || (req.headers.accept ?? '').startsWith('application/json')) {
      return reply.code(status).send({ error: code, message, ...(err.fields ? { fields: err.fields } : {}) });
    }
    return reply.page(req.t(status === 404 ? 'errors.notFoundTitle' : 'errors.title'), <ErrorPage status={status} message={message} />, status);
  });
});

function localeFromUrl(url: string): Locale | undefined {
  const seg = url.split('/')[1];
  return isLocale(seg) ? seg : undefined;
}

function viewFor(req: FastifyRequest, reply: FastifyReply, nav: NavItem[]): View {
  let flash: View['flash'];
  const raw = req.cookies?.flash;
  if (raw) {
    const un = req.unsignCookie(raw);
    if (un.valid && un.value) { try { flash = JSON.parse(un.value); } catch { /* ignore */ } }
    reply.clearCookie('flash', { path: '/' });
  }
  const [pathname, query = ''] = req.url.split('?');
  const afterLocale = pathname.replace(/^\/[a-z]{2}(?=\/|$)/, '') || '/';
  let token: string | undefined;
  return {
    locale: req.locale,
    t: req.t,
    path: afterLocale,
    query,
    actor: req.actor,
    commune: req.commune,
    csrf: () => (token ??= reply.generateCsrf()),
    flash,
    nav,
    can: (perm) => can(req.actor, perm),
  };
}

export function sessionCookieOptions(config: Config) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config), path: '/', maxAge: SESSION_DAYS * 86400 };
}
