import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AnyDB } from '../db/index.ts';
import { dataVersion } from '../audit/index.ts';

/** Stands for the visitor's CSRF token in a stored page; replaced by a fresh token at each send. */
export const CSRF_PLACEHOLDER = '\u0000csrf-token\u0000';

interface Entry { version: number; expires: number; headers: Record<string, string>; body: string; csrf: boolean; bytes: number }

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on an anonymous GET that may be served from, and stored in, the page cache. */
    pageCache?: { key: string; version: number };
  }
  interface FastifyReply { usedCsrf?: boolean }
}

/**
 * The anonymous page cache: what a visitor without a session sees (public pages, public APIs) is
 * rendered once per data version and served from memory until the commune's data changes or the
 * entry is a minute old (pages say "3 days ago", dashboards count up to today). Pages carrying a
 * form keep a placeholder where the CSRF token goes, and each visitor gets their own token.
 * The key is the commune, the negotiated language and the URL. Only visitors who carry no cookie but the CSRF secret's are served from it (no session, flash
 * message or remembered tracking code). Not stored: non-200 answers, anything that sets a cookie
 * or says `private`/`no-store` (personal and capability pages do), streamed bodies, and URLs
 * carrying an API key. Bounded by size, least recently used first out.
 */
export function pageCache(app: FastifyInstance, db: AnyDB, maxBytes: number, ttlMs = 60_000): void {
  if (maxBytes <= 0) return;
  const entries = new Map<string, Entry>();
  let total = 0;
  const drop = (key: string) => { const e = entries.get(key); if (e) { total -= e.bytes; entries.delete(key); } };

  const send = (reply: FastifyReply, body: string, csrf: boolean) =>
    csrf ? body.replaceAll(CSRF_PLACEHOLDER, reply.generateCsrf()) : body;

  // Runs after the session is loaded (registered after the core onRequest hook).
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !route || route.startsWith('/static/') || route === '/healthz'
      || !req.commune || Object.keys(req.cookies).some((c) => c !== '_csrf') || /[?&]api_key=/.test(req.url)) return;
    const key = `${req.commune.id}|${req.locale}|${req.url}`;
    const version = await dataVersion(db, req.commune.id);
    const hit = entries.get(key);
    if (hit && hit.version === version && hit.expires > Date.now()) {
      entries.delete(key);
      entries.set(key, hit);
      reply.code(200).headers(hit.headers).header('x-page-cache', 'hit');
      return reply.send(send(reply, hit.body, hit.csrf));
    }
    req.pageCache = { key, version };
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const pc = req.pageCache;
    if (!pc || reply.getHeader('x-page-cache')) return payload;
    const body = typeof payload === 'string' ? payload : null;
    const storable = body !== null && reply.statusCode === 200 && !reply.getHeader('set-cookie')
      && !/private|no-store/.test(String(reply.getHeader('cache-control') ?? '')) && body.length <= maxBytes / 16;
    if (storable) {
      drop(pc.key);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (k !== 'content-length' && v !== undefined) headers[k] = String(v);
      const bytes = body.length * 2 + pc.key.length * 2 + 1000;
      entries.set(pc.key, { version: pc.version, expires: Date.now() + ttlMs, headers, body, csrf: !!reply.usedCsrf, bytes });
      total += bytes;
      for (const k of entries.keys()) { if (total <= maxBytes) break; drop(k); }
      reply.header('x-page-cache', 'miss');
    }
    return body !== null && reply.usedCsrf ? send(reply, body, true) : payload;
  });
}
