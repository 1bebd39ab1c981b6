import type { FieldErrors } from '../../../core/http/errors.ts';
import type { Translated } from '../../../core/i18n/index.ts';
import type { QuestionKind } from './schema.ts';

/** The surveys' rules, without database or HTTP: answer parsing, conditions, the Borda count. */

export interface QuestionOption { key: string; label: Translated }
/** Show the question only when the earlier question `questionId` was answered with one of `anyOf`. */
export interface Condition { questionId: number; anyOf: string[] }
export interface QuestionDef {
  id: number; kind: QuestionKind; options: QuestionOption[]; maxChoices: number | null; required: boolean; condition: Condition | null;
}

/** One question's answer: the chosen option keys (single, multiple, scale, district), an order (ranking), or a text. */
export type Answer = { options: string[] } | { ranking: string[] } | { text: string };
export type Answers = Map<number, Answer>;

export const SHORT_TEXT_MAX = 200;
export const LONG_TEXT_MAX = 2000;
export const SCALE_KEYS = ['1', '2', '3', '4', '5'] as const;

export const fieldName = (questionId: number) => `q${questionId}`;
export const rankField = (questionId: number, key: string) => `q${questionId}_${key}`;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined || v === null || v === '' ? [] : [str(v)]);

/** The option keys a respondent may choose for a question (a scale's five points, else its options). */
export function optionKeys(q: QuestionDef): string[] {
  return q.kind === 'scale' ? [...SCALE_KEYS] : q.options.map((o) => o.key);
}

function chosen(a: Answer | undefined): string[] {
  if (!a) return [];
  if ('options' in a) return a.options;
  if ('ranking' in a) return a.ranking.slice(0, 1);
  return [];
}

/**
 * Which questions the respondent sees, in order: a question with a condition is shown only when the question it
 * depends on is shown and was answered with one of the condition's options (a ranking: its first place). A
 * condition on a later or unknown question hides the question.
 */
export function visibleQuestions(questions: QuestionDef[], answers: Answers): Set<number> {
  const shown = new Set<number>();
  for (const q of questions) {
    const c = q.condition;
    if (!c) { shown.add(q.id); continue; }
    if (!shown.has(c.questionId)) continue;
    if (chosen(answers.get(c.questionId)).some((k) => c.anyOf.includes(k))) shown.add(q.id);
  }
  return shown;
}

/** One question's answer read from a form (undefined: not answered), or the message key of what is wrong. */
function readOne(q: QuestionDef, body: Record<string, unknown>): { answer?: Answer; error?: { key: string; params?: Record<string, unknown> } } {
  const keys = optionKeys(q);
  const raw = body[fieldName(q.id)];
  switch (q.kind) {
    case 'single': case 'scale': case 'district': {
      const v = list(raw);
      if (!v.length || v[0] === '') return {};
      if (v.length > 1 || !keys.includes(v[0])) return { error: { key: 'errors.choice' } };
      return { answer: { options: [v[0]] } };
    }
    case 'multiple': {
      const v = [...new Set(list(raw).filter((x) => x !== ''))];
      if (!v.length) return {};
      if (v.some((x) => !keys.includes(x))) return { error: { key: 'errors.choice' } };
      if (q.maxChoices && v.length > q.maxChoices) return { error: { key: 'surveys.errors.tooManyChoices', params: { max: q.maxChoices } } };
      return { answer: { options: keys.filter((k) => v.includes(k)) } };
    }
    case 'ranking': {
      // Numbered selects: each option gets a place (1 = first) or none; places run from 1 without gaps or repeats.
      const places: [string, number][] = [];
      for (const k of keys) {
        const v = str(body[rankField(q.id, k)]).trim();
        if (v === '') continue;
        if (!/^\d{1,3}$/.test(v)) return { error: { key: 'surveys.errors.rankInvalid' } };
        places.push([k, Number(v)]);
      }
      if (!places.length) return {};
      const ranks = places.map((p) => p[1]).sort((a, b) => a - b);
      if (ranks.some((r, i) => r !== i + 1)) return { error: { key: 'surveys.errors.rankInvalid' } };
      return { answer: { ranking: places.sort((a, b) => a[1] - b[1]).map((p) => p[0]) } };
    }
    case 'short_text': case 'long_text': {
      const v = str(Array.isArray(raw) ? raw[0] : raw).replace(/\r\n/g, '\n').trim();
      if (!v) return {};
      const max = q.kind === 'short_text' ? SHORT_TEXT_MAX : LONG_TEXT_MAX;
      if (v.length > max) return { error: { key: 'errors.tooLong', params: { max } } };
      return { answer: { text: v } };
    }
  }
}

/**
 * Reads a survey's answers from a form body. A question hidden by its condition is neither required nor kept,
 * whatever the form sent for it (the form shows every question when JavaScript does not run).
 */
export function parseAnswers(questions: QuestionDef[], body: unknown): { answers: Answers; errors: FieldErrors } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const read: Answers = new Map();
  const errors: FieldErrors = {};
  for (const q of questions) {
    const r = readOne(q, b);
    if (r.error) errors[fieldName(q.id)] = r.error;
    else if (r.answer) read.set(q.id, r.answer);
  }
  const shown = visibleQuestions(questions, read);
  const answers: Answers = new Map();
  for (const q of questions) {
    if (!shown.has(q.id)) { delete errors[fieldName(q.id)]; continue; }
    const a = read.get(q.id);
    if (a) answers.set(q.id, a);
    else if (q.required && !errors[fieldName(q.id)]) errors[fieldName(q.id)] = { key: 'errors.required' };
  }
  return { answers, errors };
}

/** Answers as stored while an email confirmation is pending, and back. */
export function answersToJson(a: Answers): string {
  return JSON.stringify([...a.entries()]);
}
export function answersFromJson(s: string | null): Answers {
  try { return new Map(JSON.parse(s ?? '[]')); } catch { return new Map(); }
}

/** The answer rows of one question: one per chosen or ranked option (with its Borda points), or one text. */
export interface AnswerRow { option_key: string | null; rank: number | null; points: number; is_first: number; lead: number; text: string | null }
export function answerRows(q: QuestionDef, a: Answer): AnswerRow[] {
  if ('text' in a) return [{ option_key: null, rank: null, points: 0, is_first: 0, lead: 1, text: a.text }];
  if ('ranking' in a) {
    const m = optionKeys(q).length;
    return a.ranking.map((k, i) => ({ option_key: k, rank: i + 1, points: bordaPoints(m, i + 1), is_first: i === 0 ? 1 : 0, lead: i === 0 ? 1 : 0, text: null }));
  }
  return a.options.map((k, i) => ({ option_key: k, rank: null, points: 0, is_first: 0, lead: i === 0 ? 1 : 0, text: null }));
}

/**
 * The Borda count: with m options, the option ranked r-th (1 = first) gets m − r points, so the first gets m − 1 and
 * the last 0; an option a ballot leaves unranked gets 0 from it.
 */
export function bordaPoints(m: number, rank: number): number {
  return Math.max(0, m - rank);
}

export interface BordaResult { key: string; points: number; firsts: number; firstShare: number; mentions: number }
/** The Borda totals and shares of first places of a set of ballots (each an order of option keys), best first. */
export function borda(keys: string[], ballots: string[][]): BordaResult[] {
  const out = new Map(keys.map((k) => [k, { key: k, points: 0, firsts: 0, firstShare: 0, mentions: 0 }]));
  for (const b of ballots) {
    b.forEach((k, i) => {
      const r = out.get(k);
      if (!r) return;
      r.points += bordaPoints(keys.length, i + 1);
      r.mentions++;
      if (i === 0) r.firsts++;
    });
  }
  const n = ballots.filter((b) => b.length > 0).length;
  for (const r of out.values()) r.firstShare = n ? r.firsts / n : 0;
  return rankResults([...out.values()], keys);
}

/** Orders results by points, then first places, then the options' own order. */
export function rankResults<T extends { key: string; points: number; firsts: number }>(rows: T[], keys: string[]): T[] {
  return [...rows].sort((a, b) => b.points - a.points || b.firsts - a.firsts || keys.indexOf(a.key) - keys.indexOf(b.key));
}

/** A percentage of a count over a total, 0 when the total is 0. */
export function pct(n: number, total: number): number {
  return total > 0 ? (100 * n) / total : 0;
}

/** Whether a survey accepts answers on a day (YYYY-MM-DD, the commune's time zone): published, and from its opening to its closing day. */
export function isOpen(s: { status: string; opensAt: string; closesAt: string }, day: string): boolean {
  return s.status === 'published' && s.opensAt <= day && day <= s.closesAt;
}
