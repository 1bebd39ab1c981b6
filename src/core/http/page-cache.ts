import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AnyDB } from '../db/index.ts';
import { currentDataVersion } from '../audit/index.ts';
import { CSRF_COOKIE } from './csrf.ts';

/** Stands for the visitor's CSRF token in a stored page; replaced by a fresh token at each send. */
export const CSRF_PLACEHOLDER = '\u0000csrf-token\u0000';

interface Entry { version: number; expires: number; headers: Record<string, string>; parts: Buffer[]; bytes: number }

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on an anonymous GET that may be served from, and stored in, the page cache. */
    pageCache?: { key: string; version: number; done?: (e: Entry | null) => void };
  }
  interface FastifyReply { usedCsrf?: boolean }
}

/** How long a visitor waits for the same page being rendered for another, before rendering it too. */
const COALESCE_WAIT_MS = 2000;

/**
 * The anonymous page cache: what a visitor without a session sees (public pages, public APIs) is
 * rendered once per data version and served from memory until the commune's data changes or the
 * entry is a minute old (pages say "3 days ago", dashboards count up to today). Pages are kept
 * encoded (a hit sends bytes, as a static file would); pages carrying a form are kept in parts
 * around the CSRF token, and each visitor gets their own token. The key is the commune, the
 * negotiated language and the URL. Only visitors who carry no cookie but the CSRF secret's are
 * served from it (no session, flash message or remembered tracking code). Visitors asking for a
 * page that is being rendered for another wait for that one rather than render it again (an expired
 * dashboard is rendered once, not once per visitor). Not stored: non-200 answers, anything that
 * sets a cookie or says `private`/`no-store` (personal and capability pages do), streamed bodies,
 * and URLs carrying an API key. Bounded by size, least recently used first out.
 */
export function pageCache(app: FastifyInstance, db: AnyDB, maxBytes: number, ttlMs = 60_000): void {
  if (maxBytes <= 0) return;
  const entries = new Map<string, Entry>();
  const rendering = new Map<string, { version: number; entry: Promise<Entry | null> }>();
  let total = 0;
  const drop = (key: string) => { const e = entries.get(key); if (e) { total -= e.bytes; entries.delete(key); } };

  /** The stored parts with the visitor's own CSRF token between them. */
  const body = (reply: FastifyReply, parts: Buffer[]): Buffer => {
    if (parts.length === 1) return parts[0];
    const token = Buffer.from(reply.csrfToken());
    return Buffer.concat(parts.flatMap((p, i) => (i ? [token, p] : [p])));
  };
  const serve = (reply: FastifyReply, e: Entry) => reply.code(200).headers(e.headers).header('x-page-cache', 'hit').send(body(reply, e.parts));
  const fresh = (e: Entry | null | undefined, version: number): e is Entry => !!e && e.version === version && e.expires > Date.now();

  // Runs after the session is loaded (registered after the core onRequest hook).
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !route || route.startsWith('/static/') || route === '/healthz'
      || !req.commune || Object.keys(req.cookies).some((c) => c !== CSRF_COOKIE) || /[?&]api_key=/.test(req.url)) return;
    const key = `${req.commune.id}|${req.base}|${req.locale}|${req.url}`;
    const version = await currentDataVersion(db, req.commune.id);
    const hit = entries.get(key);
    if (fresh(hit, version)) {
      entries.delete(key);
      entries.set(key, hit);
      return serve(reply, hit);
    }
    const pending = rendering.get(key);
    if (pending && pending.version === version) {
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([pending.entry, new Promise<null>((r) => { timer = setTimeout(r, COALESCE_WAIT_MS, null); })]);
      clearTimeout(timer);
      if (fresh(waited, version)) return serve(reply, waited);
      req.pageCache = { key, version };
      return;
    }
    let done!: (e: Entry | null) => void;
    const entry = new Promise<Entry | null>((r) => { done = r; });
    rendering.set(key, { version, entry });
    req.pageCache = {
      key, version,
      done: (e) => { if (rendering.get(key)?.entry === entry) rendering.delete(key); done(e); },
    };
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const pc = req.pageCache;
    if (!pc || reply.getHeader('x-page-cache')) return payload;
    const text = typeof payload === 'string' ? payload : null;
    const storable = text !== null && reply.statusCode === 200 && !reply.getHeader('set-cookie')
      && !/private|no-store/.test(String(reply.getHeader('cache-control') ?? '')) && text.length <= maxBytes / 16;
    if (!storable) {
      pc.done?.(null);
      return text !== null && reply.usedCsrf ? body(reply, text.split(CSRF_PLACEHOLDER).map((p) => Buffer.from(p))) : payload;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (k !== 'content-length' && v !== undefined) headers[k] = String(v);
    const parts = (reply.usedCsrf ? text.split(CSRF_PLACEHOLDER) : [text]).map((p) => Buffer.from(p));
    const e: Entry = { version: pc.version, expires: Date.now() + ttlMs, headers, parts, bytes: parts.reduce((n, p) => n + p.length, 0) + pc.key.length * 2 + 1000 };
    drop(pc.key);
    entries.set(pc.key, e);
    total += e.bytes;
    for (const k of entries.keys()) { if (total <= maxBytes) break; drop(k); }
    pc.done?.(e);
    reply.header('x-page-cache', 'miss');
    return body(reply, parts);
  });
  // An answer that never reached onSend (an error, an aborted request): whoever waits for it renders the page.
  app.addHook('onResponse', async (req) => { req.pageCache?.done?.(null); });
}
