import { randomBytes } from 'node:crypto';
import { sha256 } from '../../core/auth/passwords.ts';

/** Crockford's base 32: no I, L, O, U, so a code read over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable tracking code (60 bits), grouped for reading aloud: `K7QM-9XH2-PT4A`. */
export function newTrackingCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[bytes[i] & 31];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** The canonical form of a typed code: upper case, no separators, look-alike letters folded. */
export function normalizeTrackingCode(code: string): string {
  return code.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/U/g, 'V');
}

export function looksLikeTrackingCode(code: string): boolean {
  const n = normalizeTrackingCode(code);
  return n.length === 12 && [...n].every((c) => ALPHABET.includes(c));
}

export function trackingHash(code: string): string {
  return sha256(`request-tracking:${normalizeTrackingCode(code)}`);
}

/** The reference prefix of a commune: the first three letters of its slug, e.g. TET for tetouan. */
export function referencePrefix(slug: string): string {
  const letters = slug.normalize('NFD').replace(/[^a-zA-Z]/g, '').toUpperCase();
  return (letters.slice(0, 3) || 'REQ').padEnd(3, 'X');
}

export function formatReference(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

/** A public reference as typed by someone (any case, spaces around). */
export function normalizeReference(s: string): string {
  return s.trim().toUpperCase();
}

export const REFERENCE_RE = /^[A-Z]{3}-\d{4}-\d{6,}$/;
