import crypto from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';

/** The cookie that holds a visitor's CSRF secret (signed), as @fastify/csrf-protection reads it. */
export const CSRF_COOKIE = '_csrf';

/** Its options: @fastify/csrf-protection reads the cookie as signed, and csrfToken writes it with them. */
export const csrfCookieOptions = (secure: boolean) => ({ signed: true, httpOnly: true, sameSite: 'lax' as const, path: '/', secure });

/** The attributes of the cookie's Set-Cookie line (`; Path=/; HttpOnly; …`), serialized once per set of options. */
const attributes = new WeakMap<object, string>();
function attributesOf(options: ReturnType<typeof csrfCookieOptions>): string {
  const known = attributes.get(options);
  if (known !== undefined) return known;
  const a = fastifyCookie.serialize(CSRF_COOKIE, '', options).slice(CSRF_COOKIE.length + 1);
  attributes.set(options, a);
  return a;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_BYTES = 18;
const SALT_CHARS = 8;
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

/** Bytes from the CSPRNG, drawn from a buffer filled a page at a time; never handed out twice. */
function randomBytesFromPool(n: number): Buffer {
  if (used + n > pool.length) { crypto.randomFillSync(pool); used = 0; }
  used += n;
  return pool.subarray(used - n, used);
}

const secrets = new WeakMap<FastifyReply, string>();

/**
 * The visitor's CSRF token, in the scheme @fastify/csrf-protection verifies (that of @fastify/csrf
 * with its defaults: an 8-character salt, `salt-base64url(sha256(salt-secret))`, no expiry, no user
 * info). The secret lives in the signed `_csrf` cookie, and a new visitor gets one here.
 *
 * Why not `reply.generateCsrf()`: the page cache hands a token to every visitor of every page with a
 * form. There, the library's Hash object and the Buffer behind each secret cost more in garbage
 * collection than the hashing itself. Here the hash is one-shot (`crypto.hash`) and the secrets come
 * from a pooled buffer (issue 5, docs/PERFORMANCE.md). test/security.test.ts checks that the
 * library verifies these tokens.
 */
export function csrfToken(reply: FastifyReply, options: ReturnType<typeof csrfCookieOptions>): string {
  let secret = secrets.get(reply) ?? reply.unsignCookie(reply.request.cookies[CSRF_COOKIE] ?? '').value;
  if (!secret) {
    secret = randomBytesFromPool(SECRET_BYTES).toString('base64url');
    secrets.set(reply, secret);
    // What reply.setCookie(CSRF_COOKIE, secret, options) writes, without serializing and checking
    // the options each time (a tenth of a cached page's cost). Fastify adds each Set-Cookie line to
    // the others, and so does @fastify/cookie.
    reply.header('set-cookie', `${CSRF_COOKIE}=${encodeURIComponent(reply.signCookie(secret))}${attributesOf(options)}`);
  }
  let salt = '';
  for (const b of randomBytesFromPool(SALT_CHARS)) salt += BASE62[b % 62];
  return `${salt}-${crypto.hash('sha256', `${salt}-${secret}`, 'base64url')}`;
}
