import { z } from 'zod';
import { parseInput, optionalText, optionalInt, isoDate, oneOf, translatedFields, collectTranslated } from '../../../core/http/forms.ts';
import { SESSION_KINDS, SESSION_STATUSES, DECISIONS } from '../schema.ts';
import { localDateTime } from '../dates.ts';
import type { SessionInput, DeliberationInput } from './service.ts';

const time = (required: boolean) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), required
  ? z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'transparency.errors.time' })
  : z.union([z.literal(''), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'transparency.errors.time' })]));

const session = z.object({
  kind: oneOf(SESSION_KINDS), ...translatedFields('title', 300), date: isoDate(), start_time: time(true), end_time: time(false),
  ...translatedFields('place', 300), status: oneOf(SESSION_STATUSES),
});

export function sessionFromForm(body: unknown): SessionInput {
  const d = parseInput(session, body) as Record<string, any>;
  return {
    kind: d.kind, title: collectTranslated(d, 'title'), startsAt: localDateTime(d.date, d.start_time), endsAt: d.end_time ? localDateTime(d.date, d.end_time) : null,
    place: collectTranslated(d, 'place'), status: d.status,
  };
}

export function itemFromForm(body: unknown) {
  const d = parseInput(z.object({ ...translatedFields('title', 300), ...translatedFields('summary', 2000, false) }), body) as Record<string, any>;
  return { title: collectTranslated(d, 'title'), summary: collectTranslated(d, 'summary') };
}

const ids = z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]), z.array(z.preprocess((x) => Number(x), z.number().int().min(1).max(2_147_483_647))).max(50));

export function deliberationFromForm(body: unknown): DeliberationInput {
  const d = parseInput(z.object({
    item_id: optionalInt(1), ...translatedFields('title', 300), ...translatedFields('text', 20000, false), decision: oneOf(DECISIONS), consensus: optionalText(5),
    votes_for: optionalInt(0, 9999), votes_against: optionalInt(0, 9999), votes_abstention: optionalInt(0, 9999), commitments: ids,
  }), body) as Record<string, any>;
  return {
    itemId: d.item_id, title: collectTranslated(d, 'title'), text: collectTranslated(d, 'text'), decision: d.decision, consensus: d.consensus === '1',
    votesFor: d.votes_for, votesAgainst: d.votes_against, votesAbstention: d.votes_abstention, commitmentIds: d.commitments,
  };
}
