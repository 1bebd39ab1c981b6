import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet, { type HelmetOptions } from 'helmet';
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
import { pageCache, CSRF_PLACEHOLDER } from './page-cache.ts';
import { rememberingSigner } from './signer.ts';
import { csrfToken, csrfCookieOptions, CSRF_COOKIE } from './csrf.ts';
import { PUBLIC_DIR } from '../paths.ts';
import { publicOrigin } from './origin.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes RFC 8058's one-click POST (`List-Unsubscribe=One-Click`) without a CSRF token. */
    oneClickUnsubscribe?: boolean;
  }
  interface FastifyRequest {
    commune: Commune;
    actor: Actor | null;
    locale: Locale;
    t: T;
    ctx: Ctx;
    sessionToken?: string;
    /** The path form's prefix (`/c/tetouan`) when the request named its commune in the path, else ''. */
    base: string;
  }
  interface FastifyReply {
    /** Renders a page in the layout; `meta.description` summarises it for search engines (else the site's summary). */
    page(title: string, body: VNode, status?: number, meta?: { description?: string }): FastifyReply;
    flash(kind: 'success' | 'error' | 'info', key: string, params?: Record<string, unknown>): FastifyReply;
    /** Redirects to a path inside the current locale. */
    to(path: string): FastifyReply;
    /** Keeps the answer out of every cache (shared, browser, and the page cache): personal or capability pages. */
    noStore(): FastifyReply;
    /** The visitor's CSRF token for a form (a new visitor gets its secret cookie). */
    csrfToken(): string;
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

/** The Cache-Control of personal and capability answers: no cache keeps them. */
export const PRIVATE = 'private, no-store';

/** Paths that are machine APIs: JSON errors, no CSRF (they authenticate by key, not cookie). */
export const isApiPath = (url: string) => url.startsWith('/api/') || url.startsWith('/open311/') || url === '/healthz';

/** A local path only: never another host (open-redirect safe). */
export function safeLocalPath(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return fallback;
  // A Location header takes printable ASCII only: a NUL, a tab (which browsers drop, turning "/\t/x" into "//x") or
  // Arabic letters from a path parameter are percent-encoded, instead of making Node throw after the change is saved.
  return next.replace(/[^\x21-\x7e]/gu, (c) => { try { return encodeURIComponent(c); } catch { return ''; } });
}

export const corePlugin = fp(async (app: FastifyInstance, opts: CoreOptions) => {
  const { config, database, tenancy, i18n } = opts;
  const translatorOf = (l: string) => i18n.t(isLocale(l) ? l : DEFAULT_LOCALE);
  const secure = secureCookies(config);

  const security = securityHeaders({
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
    strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (_req, reply, done) => { reply.headers(security); done(); });
  await app.register(cookie, { secret: rememberingSigner(opts.cookieSecret) });
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
  const csrfCookie = csrfCookieOptions(secure);
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: csrfCookie,
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
  app.decorateRequest('base', '');
  app.decorateRequest('ctx', {
    getter(this: FastifyRequest): Ctx {
      return { db: database.db, engine: database.engine, commune: this.commune, actor: this.actor, locale: this.locale, t: this.t, tFor: translatorOf, config, clock: systemClock };
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    const base = pathFormBase(req);
    const commune = base ? tenancy.bySlugOrNull(base.slice(3)) : tenancy.forHost(req.hostname);
    if (!commune) throw new AppError(503, 'no_commune', 'errors.noCommune');
    req.commune = commune;
    req.base = base;
    if (base) {
      // Cookies of a path-form commune stay under its base (two communes on one host keep their own sessions).
      const set = reply.setCookie.bind(reply), clear = reply.clearCookie.bind(reply);
      const under = <O extends { path?: string }>(o?: O) => ({ ...o, path: !o?.path || o.path === '/' ? base : base + o.path }) as O;
      reply.setCookie = (name, value, o) => set(name, value, under(o));
      reply.clearCookie = (name, o) => clear(name, under(o));
    }
    const languages = commune.settings.languages;
    const p = (req.params as Record<string, string> | undefined)?.locale;
    const fromUrl = localeFromUrl(req.url);
    req.locale = isLocale(p) ? p : fromUrl && languages.includes(fromUrl) ? fromUrl : negotiateLocale(req.headers['accept-language'], languages);
    req.t = i18n.t(req.locale);
    // A language the commune does not publish in is a page it does not have.
    if (p !== undefined && (!isLocale(p) || !languages.includes(p))) {
      reply.callNotFound();
      return reply;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token && !isApiPath(req.url)) {
      req.sessionToken = token;
      req.actor = await loadActor(database.db, commune.id, token);
    }
    // A suspended commune: its public pages say so (503), its staff read but change nothing, operators act.
    // An archived one is gone (410) for all but operators.
    if (commune.status !== 'active' && !statusAllows(req, commune.status)) {
      throw commune.status === 'archived'
        ? new AppError(410, 'commune_archived', 'errors.communeArchived')
        : new AppError(503, 'commune_suspended', 'errors.communeSuspended');
    }
  });
  // The path form: every root-relative link, form action and redirect of the answer follows the base.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.base || reply.getHeader('x-page-cache') === 'hit') return payload;
    const location = reply.getHeader('location');
    if (typeof location === 'string' && location.startsWith('/') && !location.startsWith('//')) reply.header('location', req.base + location);
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return withBase(payload, req.base);
    return payload;
  });
  pageCache(app, database.db, config.pageCacheMb * 1024 * 1024);

  // A NUL character has no place in text, and PostgreSQL cannot store one (nor compare with one: "invalid byte
  // sequence"): refused wherever it comes, path, query or body (forms, JSON, file names), before any handler reads it.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.params) || hasNul(req.query) || hasNul(req.body)) throw new AppError(400, 'invalid_characters', 'errors.invalidCharacters');
  });

  // Every form post carries the CSRF token (APIs authenticate with keys, not cookies).
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || isApiPath(req.url)) return done();
    // RFC 8058: a mail client's one-click unsubscribe carries no cookie and no token. On the routes
    // that allow it, the secret in the link (which a forging site cannot know) is the authority.
    if (req.routeOptions.config?.oneClickUnsubscribe && (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click') return done();
    app.csrfProtection(req, reply, done);
  });

  app.decorateReply('page', function (this: FastifyReply, title: string, body: VNode, status = 200, meta: { description?: string } = {}) {
    const html = renderDocument({ ...viewFor(this.request, this, opts.nav, config), description: meta.description }, title, body);
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });
  app.decorateReply('flash', function (this: FastifyReply, kind: 'success' | 'error' | 'info', key: string, params?: Record<string, unknown>) {
    const text = this.request.t(key, params as any);
    return this.setCookie('flash', JSON.stringify({ kind, text }), { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 60 });
  });
  app.decorateReply('csrfToken', function (this: FastifyReply) { return csrfToken(this, csrfCookie); });
  app.decorateReply('noStore', function (this: FastifyReply) {
    return this.header('cache-control', PRIVATE);
  });
  // What a signed-in visitor sees is theirs: no cache keeps it unless a route says otherwise.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.actor && !reply.getHeader('cache-control')) reply.header('cache-control', PRIVATE);
    return payload;
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
    // A 503 the app means (a suspended commune) is an answer; any other 5xx is a failure, logged, its details kept back.
    if (status >= 500 && !(err instanceof AppError && status === 503)) { req.log.error({ err }, 'request failed'); status = 500; key = 'errors.server'; code = 'server_error'; }
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

  // Refusals Fastify makes before any hook runs (see `frameworkErrors` below): the same translated page as any
  // other error, or the APIs' JSON error. The request here has none of the decorations, nor a session.
  app.decorate('frameworkError', (err: { statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
    const url = req.raw.url ?? '/';
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    req.commune = tenancy.forHost(req.raw.headers.host)!;
    req.locale = localeFromUrl(url) ?? negotiateLocale(req.raw.headers['accept-language']);
    req.t = i18n.t(req.locale);
    req.actor = null;
    const message = req.t('errors.badRequest');
    if (isApiPath(url) || !req.commune) return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify({ error: 'bad_request', message }));
    const html = renderDocument(viewFor(req, reply, opts.nav, config), req.t('errors.title'), <ErrorPage status={status} message={message} />);
    return reply.code(status).type('text/html; charset=utf-8').send(html);
  });
  // Requests Node's HTTP parser refuses (headers over 16 kB, malformed request lines): a short page in the three
  // languages, since neither the path nor the locale could be read.
  app.decorate('clientErrorPage', (status: number) => {
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const key = status === 431 ? 'errors.tooLarge' : 'errors.badRequest';
    const part = (l: Locale) => `<section class="error-page" lang="${l}" dir="${l === 'ar' ? 'rtl' : 'ltr'}"><h1>${esc(i18n.t(l)('errors.title'))}</h1><p>${esc(i18n.t(l)(key))}</p>`
      + `<p class="muted">${esc(i18n.t(l)('errors.status', { status }))}</p><p><a href="/${l}/">${esc(i18n.t(l)('errors.backHome'))}</a></p></section>`;
    return `<!doctype html><html lang="${DEFAULT_LOCALE}"><head><meta charset="utf-8"><title>${esc(i18n.t(DEFAULT_LOCALE)('errors.title'))}</title>`
      + `<link rel="stylesheet" href="/static/site.css"></head><body><main id="main"><div class="wrap">${(['fr', 'ar', 'en'] as Locale[]).map(part).join('')}</div></main></body></html>`;
  });
});

/**
 * Fastify's `frameworkErrors` option: a path that is not valid UTF-8 (FST_ERR_BAD_URL, 400) or a path parameter
 * longer than `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH, 414) gets the site's translated error page, not
 * Fastify's English JSON.
 */
export function frameworkErrors(err: Error, req: FastifyRequest, reply: FastifyReply) {
  const handler = (req.server as FastifyInstance & { frameworkError?: (e: Error, r: FastifyRequest, p: FastifyReply) => unknown }).frameworkError;
  if (handler) return handler(err, req, reply);
  return reply.code(400).send({ error: 'bad_request', message: err.message });
}

/** For Fastify's `clientErrorHandler` option (which it calls with the app as `this`): the answer to a request the HTTP parser refused. */
export function clientErrorHandler(app: FastifyInstance, err: Error & { code?: string }, socket: import('node:stream').Duplex) {
  // A reset connection: nobody is listening any more.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const page = (app as FastifyInstance & { clientErrorPage?: (s: number) => string }).clientErrorPage?.(status) ?? '';
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(page)}\r\nConnection: close\r\n\r\n${page}`);
  }
  socket.destroy(err);
}

/**
 * The security headers helmet sets for these options, computed once: they depend on the
 * configuration, not on the request (@fastify/helmet rebuilt helmet's middleware, and parsed the
 * CSP, for every request: 4 % of a rendered page's time, more of a cached one's).
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number) { headers[name.toLowerCase()] = String(value); },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
  };
  helmet(options)({} as never, res as never, (err?: unknown) => { if (err) throw err; });
  return headers;
}

/** Whether a parsed input (string, array, object, an upload's file name) holds a NUL character anywhere, keys included. */
function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (!v || typeof v !== 'object' || Buffer.isBuffer(v) || depth > 8) return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

/** The path form's prefix that `pathFormRewrite` took off this request's URL, or ''. */
export function pathFormBase(req: FastifyRequest): string {
  return (req.raw as { communeBase?: string }).communeBase ?? '';
}

/**
 * Fastify's `rewriteUrl`: `/c/{slug}/fr/…` of an existing commune is served as `/fr/…` for that commune (installations
 * without wildcard DNS); the prefix is kept on the raw request for the tenancy hook and the answer's links.
 */
export function pathFormRewrite(tenancy: Tenancy) {
  return (raw: { url?: string }): string => {
    const url = raw.url ?? '/';
    const commune = tenancy.forPath(url);
    if (!commune) return url;
    const base = `/c/${commune.slug}`;
    (raw as { communeBase?: string }).communeBase = base;
    const rest = url.slice(base.length);
    return rest.startsWith('/') ? rest : `/${rest}`;
  };
}

/** Root-relative URLs in an HTML page's attributes, prefixed with the path form's base. */
export function withBase(html: string, base: string): string {
  return html.replace(/(\s(?:href|action|src|formaction)=")\/(?![\/\\])/g, `$1${base}/`);
}

/** What a suspended or archived commune still serves to this request. */
function statusAllows(req: FastifyRequest, status: string): boolean {
  if (req.actor?.operator) return true;
  const route = req.routeOptions.url ?? '';
  if (route === '/healthz' || route.startsWith('/static/') || route === '/favicon.ico') return true;
  if (status === 'archived') return false;
  if (route === '/:locale/login' || route === '/:locale/logout') return true;
  const staff = !!req.actor && req.actor.grants.some((g) => g.role !== 'citizen');
  return staff && (req.method === 'GET' || req.method === 'HEAD');
}

function localeFromUrl(url: string): Locale | undefined {
  const seg = url.split('/')[1];
  return isLocale(seg) ? seg : undefined;
}

function viewFor(req: FastifyRequest, reply: FastifyReply, nav: NavItem[], config: Config): View {
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
    base: req.base,
    csrf: () => {
      if (req.pageCache) { reply.usedCsrf = true; return CSRF_PLACEHOLDER; }
      return (token ??= reply.csrfToken());
    },
    flash,
    nav: nav.filter((n) => !n.module || !req.commune.settings.modulesOff.includes(n.module)),
    can: (perm) => can(req.actor, perm),
    origin: publicOrigin(config, req.commune),
  };
}

export function sessionCookieOptions(config: Config) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config), path: '/', maxAge: SESSION_DAYS * 86400 };
}
