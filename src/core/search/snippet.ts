import { fold, stem } from './normalize.ts';

/** A piece of a snippet: text, and whether it is a word of the query (shown in `<mark>`). */
export interface SnippetPart { text: string; match: boolean }

/** The length of a snippet, in characters of the original text (about two lines on a phone, four on a desktop). */
export const SNIPPET_CHARS = 220;
/** How far before the first match a snippet starts. */
const LEAD = 60;
/** Characters folded at a time while looking for the first match (a match in the first lines costs one small piece). */
const CHUNK = 512;
const MAX_TOKEN_CHARS = 64;
/** Words read at most while looking for the first match (beyond: the beginning of the text is shown). */
const MAX_WORDS = 4000;

// Words of the original text: letters, their marks, digits, tatweel and joiners (what fold() reduces to a token).
const WORD = /[\p{L}\p{M}\p{N}\u0640\u200C\u200D]+/gu;

/** Whether the word of the text (folded and stemmed) is one the query asks for. */
function matcher(queryTokens: string[], prefixLast: boolean): (word: string) => boolean {
  const exact = new Set(prefixLast ? queryTokens.slice(0, -1) : queryTokens);
  const prefix = prefixLast ? queryTokens[queryTokens.length - 1] : null;
  // A word is folded once per snippet, however often it comes back.
  const seen = new Map<string, boolean>();
  return (word) => {
    let r = seen.get(word);
    if (r === undefined) {
      const t = stem(fold(word));
      r = exact.has(t) || (prefix !== null && t.startsWith(prefix));
      seen.set(word, r);
    }
    return r;
  };
}

/**
 * The snippet of a text for a query: about SNIPPET_CHARS characters around the first word that matches
 * (from the beginning when none does), cut at word boundaries, with "…" where it is cut, and every
 * matching word marked. Computed here from the stored original text, the same way on both engines;
 * the parts are plain text (the view escapes them; no HTML of the content is ever passed through).
 */
export function snippet(text: string, queryTokens: string[], prefixLast: boolean, size = SNIPPET_CHARS): SnippetPart[] {
  if (!text) return [];
  const isMatch = matcher(queryTokens, prefixLast);
  // Where to start reading: just before the first place the folded text holds a query token (folding
  // only shortens a text, but for rare expansions: the original offset is at or after it, minus a margin).
  // Folded a chunk at a time, until one holds a query token: a long text is not folded whole for a
  // word found in its first lines.
  let hint = -1;
  for (let at = 0; at < text.length && hint === -1; at += CHUNK) {
    const folded = fold(text.slice(at, at + CHUNK + MAX_TOKEN_CHARS));
    for (const t of queryTokens) {
      const i = folded.indexOf(t);
      if (i !== -1 && (hint === -1 || at + i < hint)) hint = at + i;
    }
  }
  let first = -1;
  if (hint !== -1) {
    WORD.lastIndex = Math.max(0, hint - 40);
    // Not in the middle of a word.
    while (WORD.lastIndex > 0 && /[\p{L}\p{M}\p{N}]/u.test(text[WORD.lastIndex - 1] ?? '')) WORD.lastIndex--;
    let n = 0;
    for (let m = WORD.exec(text); m && n < MAX_WORDS; m = WORD.exec(text), n++) {
      if (isMatch(m[0])) { first = m.index; break; }
    }
  }
  WORD.lastIndex = 0;
  let start = first === -1 ? 0 : Math.max(0, first - LEAD);
  if (start > 0) {
    // Back to the start of a word, or forward to the next one.
    const space = text.lastIndexOf(' ', start);
    start = space === -1 || first - space > LEAD + 30 ? start : space + 1;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + size / 2) end = space;
  }
  const piece = text.slice(start, end).replace(/\s+/g, ' ');
  const parts: SnippetPart[] = [];
  const push = (s: string, match: boolean) => {
    if (!s) return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += s; else parts.push({ text: s, match });
  };
  if (start > 0) push('… ', false);
  let at = 0;
  for (const m of piece.matchAll(WORD)) {
    push(piece.slice(at, m.index), false);
    push(m[0], isMatch(m[0]));
    at = m.index + m[0].length;
  }
  push(piece.slice(at), false);
  if (end < text.length) push(' …', false);
  return parts;
}

/** The parts as HTML: escaped text, matches in `<mark>` (for the JSON API's clients). */
export function snippetHtml(parts: SnippetPart[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return parts.map((p) => (p.match ? `<mark>${esc(p.text)}</mark>` : esc(p.text))).join('');
}

export const snippetText = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');
