/**
 * Text normalisation for the platform-wide search, done once in TypeScript and used for both what is
 * indexed and what is asked, on both engines: SQLite's FTS5 and PostgreSQL receive the same list of
 * tokens (`tokens()`), so that a word matches the same documents on either engine.
 *
 * What a token is:
 * - Unicode compatibility forms folded (NFKC: Arabic presentation forms such as ﻻ, ligatures, full-width
 *   letters), then decomposed (NFD) and every combining mark removed: French accents (é → e, ç → c)
 *   and the Arabic tashkeel — fatha, damma, kasra, the tanwin, shadda, sukun, superscript alef, Quranic
 *   marks — so that `délibération` matches `deliberation` and `الميزانيّة` matches `الميزانية`.
 * - Case folded (lower case); œ → oe, æ → ae, ß → ss (`cœur` matches `coeur`).
 * - Arabic letters: the alef forms أ إ آ ٱ → ا (hamza above or below and madda are combining marks after
 *   NFD; alef wasla is mapped), ta marbuta ة → ه, alef maqsura ى → ي, tatweel ـ removed.
 *   Hamza carriers: ؤ → و and ئ → ي (NFD gives the carrier and a hamza mark, which is removed). A phone
 *   keyboard makes writers drop the hamza on its carrier as they do on alef; the two spellings of a word
 *   such as مسؤول / مسئول still differ (مسوول / مسيول). The standalone hamza ء stays.
 * - Arabic-Indic and Persian digits → 0-9 (٢٠٢٦ matches 2026).
 * - A token is a run of letters and digits; everything else separates (so `l'égalité` gives `egalite`:
 *   tokens of one letter, French elisions and `à`, `y`, are dropped, as are tokens over 64 characters,
 *   cut there).
 * - A light Arabic stemmer removes the definite article and the particles glued to it: ال، وال، بال،
 *   كال، فال، لل (as in the `light10` stemmer of Larkey et al.), when at least three letters remain: so
 *   `الميزانية`, `والميزانية`, `للميزانية` and `ميزانية` are one token, `ميزانيه`. The conjunction و and
 *   the prepositions ب ل ك alone (without the article: `وميزانية`, `بميزانية`) are NOT removed: removing
 *   one letter would merge too many words (`وزارة` ministry would lose its و); they are left to prefix
 *   matching of the last word at worst. No suffix is removed (plural and pronoun suffixes differ).
 *
 * FTS and tsquery syntax cannot survive this: only letters and digits come out, which the query
 * builders quote (see src/core/db/fulltext.ts).
 */

/** Tokens longer than this are cut (a run of letters that long is not a word anyone types). */
export const MAX_TOKEN = 64;

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const ASCII = /^[\x00-\x7F]*$/;
const MARKS = /\p{M}+/gu;
// Letters and digits, and the joiners that NFKC leaves (ZWJ/ZWNJ are removed below).
const TOKEN = /[\p{L}\p{N}]+/gu;
const ARTICLE = /^(?:وال|بال|كال|فال|لل|ال)/;

const LETTER_MAP: Record<string, string> = {
  '\u0671': '\u0627', // ٱ alef wasla → ا
  '\u0629': '\u0647', // ة ta marbuta → ه
  '\u0649': '\u064A', // ى alef maqsura → ي
  '\u06CC': '\u064A', // ی farsi yeh → ي
  '\u06A9': '\u0643', // ک keheh → ك
  'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ı': 'i',
};
const LETTERS = /[\u0671\u0629\u0649\u06CC\u06A9œæßı]/g;
// Tatweel, zero-width joiners and the bidi controls that pasted text carries.
const REMOVED = /[\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * The normalised form of a text: folded as above, with every character kept that is not removed
 * (separators stay, so that offsets of words can be found again in it). Not stemmed.
 */
export function fold(text: string): string {
  // Plain ASCII (most French words, digits, punctuation): only the case changes.
  if (ASCII.test(text)) return text.toLowerCase();
  let s = text.normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '');
  s = s.replace(REMOVED, '').replace(LETTERS, (c) => LETTER_MAP[c]);
  return s.replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** One folded word (a run of letters and digits) as it is indexed: cut to MAX_TOKEN, the Arabic article removed. */
export function stem(word: string): string {
  let w = word.length > MAX_TOKEN ? word.slice(0, MAX_TOKEN) : word;
  const m = ARTICLE.exec(w);
  if (m && w.length - m[0].length >= 3) w = w.slice(m[0].length);
  return w;
}

/** Whether a folded word is indexed at all (one letter alone is not; one digit is). */
const kept = (w: string) => w.length > 1 || /\p{N}/u.test(w);

/** The tokens of a text, in order: what both engines index, and what a query asks for. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(TOKEN)) if (kept(m[0])) out.push(stem(m[0]));
  return out;
}

/** The normalised text as it is indexed: its tokens separated by spaces. */
export function normalize(text: string): string {
  return tokens(text).join(' ');
}

/** A query, parsed: at most `max` distinct tokens, in the order typed; the last one may be a prefix. */
export function queryTokens(text: string, max = 8): string[] {
  const seen: string[] = [];
  for (const t of tokens(text.slice(0, 500))) if (!seen.includes(t)) seen.push(t);
  return seen.slice(0, max);
}
