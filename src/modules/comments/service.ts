import { z } from 'zod';
import type { Kysely } from 'kysely';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { parseInput, text, optionalText, email, int, oneOf } from '../../core/http/forms.ts';
import { iso } from '../../core/clock/index.ts';
import type { CommentsTables } from './schema.ts';
import { REPORT_REASONS, BODY_MIN, BODY_MAX, NAME_MAX, REASON_MAX } from './schema.ts';
import { resolveTarget, resolveTargets, type CommentTarget } from './targets.ts';
import * as repo from './repo.ts';

const db = (x: Kysely<any>): repo.CommentsDB => x.withTables<CommentsTables>() as unknown as repo.CommentsDB;

/** A comment as anyone may see it: a hidden one keeps only the moderators' reason. */
export interface PublicComment {
  id: number;
  authorName: string | null;
  body: string | null;
  createdAt: string;
  hidden: boolean;
  hiddenReason: string | null;
  hiddenAt: string | null;
}

export interface CommentThread {
  targetType: string;
  targetId: number;
  /** Whether the target accepts new comments. */
  open: boolean;
  total: number;
  /** Oldest first; at most the latest `repo.THREAD_LIMIT`. */
  comments: PublicComment[];
}

function toPublic(r: { id: number; author_name: string; body: string; status: string; hidden_reason: string | null; hidden_at: string | null; created_at: string }): PublicComment {
  const hidden = r.status === 'hidden';
  return {
    id: r.id, createdAt: r.created_at, hidden,
    authorName: hidden ? null : r.author_name,
    body: hidden ? null : r.body,
    hiddenReason: hidden ? r.hidden_reason : null,
    hiddenAt: hidden ? r.hidden_at : null,
  };
}

/** Line breaks normalised, control characters removed, no run of blank lines. */
export function cleanBody(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\n{3,}/g, '\n\n').trim();
}

const trimmed = (min: number, max: number) => z.preprocess((v) => cleanBody(typeof v === 'string' ? v : ''), z.string().min(min).max(max));

const targetSchema = z.object({ target_type: text(40), target_id: int(1) });
const bodySchema = z.object({ comment_body: trimmed(BODY_MIN, BODY_MAX), comment_website: optionalText(500) });
const anonymousSchema = z.object({ comment_name: text(NAME_MAX), comment_email: email() });
export const reportSchema = z.object({ reason: oneOf(REPORT_REASONS), note: optionalText(500) });
export const hideSchema = z.object({ reason: text(REASON_MAX) });

/** The public thread of a target, for the `<Comments>` component and the JSON API. */
export async function loadThread(ctx: Ctx, targetType: string, targetId: number, target?: CommentTarget | null): Promise<CommentThread> {
  const tgt = target === undefined ? await resolveTarget(ctx, targetType, targetId) : target;
  if (!tgt) return { targetType, targetId, open: false, total: 0, comments: [] };
  const [rows, total] = await Promise.all([
    repo.threadComments(db(ctx.db), ctx.commune.id, targetType, targetId),
    repo.countThread(db(ctx.db), ctx.commune.id, targetType, targetId),
  ]);
  return { targetType, targetId, open: tgt.open, total, comments: rows.reverse().map(toPublic) };
}

/** The target a form names, checked: it exists in this commune and accepts comments. */
export async function targetOf(ctx: Ctx, input: unknown): Promise<{ type: string; id: number; target: CommentTarget }> {
  const t = parseInput(targetSchema, input);
  const target = await resolveTarget(ctx, t.target_type, t.target_id);
  if (!target) throw new NotFoundError();
  return { type: t.target_type, id: t.target_id, target };
}

/**
 * Posts a comment: a signed-in person under their account name; anyone else with a name
 * and an email kept for the moderators only. A filled honeypot field is answered as a
 * success but nothing is stored.
 */
export async function postComment(ctx: Ctx, input: unknown): Promise<{ id: number | null; target: CommentTarget }> {
  const { type, id: targetId, target } = await targetOf(ctx, input);
  if (!target.open) throw new RuleError('comments.closed');
  const data = parseInput(ctx.actor ? bodySchema : bodySchema.extend(anonymousSchema.shape), input) as z.output<typeof bodySchema> & Partial<z.output<typeof anonymousSchema>>;
  if (data.comment_website) return { id: null, target };
  const author = ctx.actor ? { user_id: ctx.actor.userId || null, author_name: ctx.actor.name, author_email: null } : { user_id: null, author_name: data.comment_name!, author_email: data.comment_email! };
  return mutate(ctx, { permission: null, action: 'comment.create', entity: 'comment' }, async (trx) => {
    const { id } = await repo.insertComment(db(trx), {
      commune_id: ctx.commune.id, target_type: type, target_id: targetId, ...author, body: data.comment_body, locale: ctx.locale, created_at: iso(ctx.clock.now()),
    });
    // The audit entry names the author as shown publicly; the email stays out of it.
    return { result: { id, target }, entityId: id, after: { target: `${type}:${targetId}`, author: author.author_name, signedIn: !!ctx.actor, body: data.comment_body } };
  });
}

export async function getPublicComment(ctx: Ctx, id: number): Promise<PublicComment & { targetType: string; targetId: number; target: CommentTarget | null }> {
  const row = await repo.findComment(db(ctx.db), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  return { ...toPublic(row), targetType: row.target_type, targetId: row.target_id, target: await resolveTarget(ctx, row.target_type, row.target_id) };
}

/** Anyone may flag a visible comment for the moderators, with a reason. */
export async function reportComment(ctx: Ctx, id: number, input: unknown): Promise<CommentTarget | null> {
  const data = parseInput(reportSchema, input);
  const c = await mutate(ctx, { permission: null, action: 'comment.report', entity: 'comment' }, async (trx) => {
    const c = await repo.findComment(db(trx), ctx.commune.id, id);
    if (!c) throw new NotFoundError();
    if (c.status !== 'visible') throw new RuleError('comments.alreadyHidden');
    await repo.insertReport(db(trx), { commune_id: ctx.commune.id, comment_id: id, reason: data.reason, note: data.note, reporter_id: ctx.actor?.userId || null, created_at: iso(ctx.clock.now()) });
    await repo.bumpOpenReports(db(trx), ctx.commune.id, id);
    return { result: c, entityId: id, after: { reason: data.reason, note: data.note } };
  });
  return resolveTarget(ctx, c.target_type, c.target_id);
}

/** Hides a comment; the public then reads "hidden by moderation" and the reason, which is required. */
export async function hideComment(ctx: Ctx, id: number, input: unknown): Promise<void> {
  authorize(ctx, 'comments.moderate');
  const data = parseInput(hideSchema, input);
  await mutate(ctx, { permission: 'comments.moderate', action: 'comment.hide', entity: 'comment' }, async (trx) => {
    const c = await repo.findComment(db(trx), ctx.commune.id, id);
    if (!c) throw new NotFoundError();
    if (c.status === 'hidden') throw new RuleError('comments.alreadyHidden');
    const at = iso(ctx.clock.now());
    await repo.setModeration(db(trx), ctx.commune.id, id, { status: 'hidden', hidden_reason: data.reason, hidden_by: ctx.actor!.userId || null, hidden_at: at });
    await repo.resolveReports(db(trx), ctx.commune.id, id, 'hidden', ctx.actor!.userId || null, at);
    return { result: undefined, entityId: id, before: { status: c.status }, after: { status: 'hidden', reason: data.reason } };
  });
}

/** Shows a hidden comment again. */
export async function restoreComment(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: 'comments.moderate', action: 'comment.restore', entity: 'comment' }, async (trx) => {
    const c = await repo.findComment(db(trx), ctx.commune.id, id);
    if (!c) throw new NotFoundError();
    if (c.status !== 'hidden') throw new RuleError('comments.notHidden');
    await repo.setModeration(db(trx), ctx.commune.id, id, { status: 'visible', hidden_reason: null, hidden_by: null, hidden_at: null });
    await repo.resolveReports(db(trx), ctx.commune.id, id, 'restored', ctx.actor!.userId || null, iso(ctx.clock.now()));
    return { result: undefined, entityId: id, before: { status: 'hidden', reason: c.hidden_reason }, after: { status: 'visible' } };
  });
}

/** Keeps a reported comment visible and closes its reports. */
export async function dismissReports(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: 'comments.moderate', action: 'comment.dismiss_reports', entity: 'comment' }, async (trx) => {
    const c = await repo.findComment(db(trx), ctx.commune.id, id);
    if (!c) throw new NotFoundError();
    if (c.status !== 'visible' || c.open_reports === 0) throw new RuleError('comments.nothingToDismiss');
    await repo.setModeration(db(trx), ctx.commune.id, id, { status: 'visible', hidden_reason: null, hidden_by: null, hidden_at: null });
    await repo.resolveReports(db(trx), ctx.commune.id, id, 'dismissed', ctx.actor!.userId || null, iso(ctx.clock.now()));
    return { result: undefined, entityId: id, before: { openReports: c.open_reports }, after: { openReports: 0 } };
  });
}

export interface QueueItem {
  id: number; authorName: string; body: string; createdAt: string; status: string; hiddenReason: string | null; openReports: number;
  targetType: string; targetId: number; target: CommentTarget | null;
}

export async function moderationQueue(ctx: Ctx, tab: repo.QueueTab, page: number) {
  authorize(ctx, 'comments.moderate');
  const [{ total, rows }, counts] = await Promise.all([repo.queue(db(ctx.db), ctx.commune.id, tab, page), repo.queueCounts(db(ctx.db), ctx.commune.id)]);
  const targets = await resolveTargets(ctx, rows.map((r) => ({ type: r.target_type, id: r.target_id })));
  const items: QueueItem[] = rows.map((r) => ({
    id: r.id, authorName: r.author_name, body: r.body, createdAt: r.created_at, status: r.status, hiddenReason: r.hidden_reason, openReports: r.open_reports,
    targetType: r.target_type, targetId: r.target_id, target: targets.get(`${r.target_type}:${r.target_id}`) ?? null,
  }));
  return { total, items, counts };
}

/** One comment as the moderators see it (the body even when hidden, never the email), with its reports. */
export async function commentForModeration(ctx: Ctx, id: number) {
  authorize(ctx, 'comments.moderate');
  const row = await repo.findComment(db(ctx.db), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  const [reports, target] = await Promise.all([repo.reportsOf(db(ctx.db), ctx.commune.id, id), resolveTarget(ctx, row.target_type, row.target_id)]);
  return {
    comment: {
      id: row.id, authorName: row.author_name, body: row.body, createdAt: row.created_at, status: row.status, hiddenReason: row.hidden_reason,
      hiddenAt: row.hidden_at, openReports: row.open_reports, signedIn: row.user_id !== null, targetType: row.target_type, targetId: row.target_id,
    },
    reports, target,
  };
}
