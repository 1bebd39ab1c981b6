import { Signer, type UnsignResult } from '@fastify/cookie';

const INVALID: UnsignResult = Object.freeze({ valid: false, renew: false, value: null });

/**
 * @fastify/cookie's signer (HMAC-SHA256), remembering what it verified: a returning visitor's CSRF
 * and flash cookies are checked on every page, and the HMAC was a tenth of a cached page's cost
 * (issue 5, docs/PERFORMANCE.md). An empty value, which every first visit asks about, is invalid at
 * once. Kept: the last `size` valid values, each the exact signed string the HMAC verified, so a
 * value is answered from memory only with what the HMAC said about that same string; invalid ones
 * are not kept (anyone can send those, of any length).
 */
export function rememberingSigner(secret: string, size = 10_000): Pick<Signer, 'sign' | 'unsign'> {
  const signer = new Signer(secret);
  const seen = new Map<string, UnsignResult>();
  return {
    sign: (value: string) => signer.sign(value),
    unsign(signed: string) {
      if (!signed) return INVALID;
      let r = seen.get(signed);
      if (r) return r;
      r = signer.unsign(signed);
      if (!r.valid) return r;
      if (seen.size >= size) seen.delete(seen.keys().next().value!);
      seen.set(signed, Object.freeze(r));
      return r;
    },
  };
}
