import type { Ctx } from '../../core/service.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';

/** What the comments module needs to know about a thing people comment on. */
export interface CommentTarget {
  title: Translated;
  /** Its public page, after the locale (`/plans/ogp-2023/commitments/1.1`). */
  path: string;
  /** Whether new comments are accepted (a draft report, for example, is not open). */
  open: boolean;
}

export type TargetResolver = (ctx: Ctx, id: number) => Promise<CommentTarget | null>;

const resolvers = new Map<string, TargetResolver>();

/** A module declares the kinds of things that can be commented on (`commitment`, `monitoring_report`, `request`…). */
export function registerCommentTarget(type: string, resolve: TargetResolver): void {
  resolvers.set(type, resolve);
}

export function isTargetType(type: string): boolean {
  return resolvers.has(type);
}

/** The target, or null when the type is unknown or the thing does not exist in this commune. */
export async function resolveTarget(ctx: Ctx, type: string, id: number): Promise<CommentTarget | null> {
  const r = resolvers.get(type);
  // Ids are 32-bit integers: a larger number is no target (PostgreSQL would refuse to compare it).
  if (!r || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
  return r(ctx, id);
}

/** Several targets at once (the moderation queue), one lookup per distinct target. */
export async function resolveTargets(ctx: Ctx, keys: { type: string; id: number }[]): Promise<Map<string, CommentTarget | null>> {
  const out = new Map<string, CommentTarget | null>();
  for (const k of keys) {
    const key = `${k.type}:${k.id}`;
    if (!out.has(key)) out.set(key, await resolveTarget(ctx, k.type, k.id));
  }
  return out;
}

// Commitments of a plan are commented on from their public page. The lookup reads the
// accountability tables by id with explicit columns.
registerCommentTarget('commitment', async (ctx, id) => {
  const row = await ctx.db.withTables<{
    commitments: { id: number; commune_id: number; plan_id: number; number: string; title: string };
    plans: { id: number; commune_id: number; slug: string };
  }>().selectFrom('commitments as c')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['c.id', 'c.number', 'c.title', 'p.slug'])
    .where('c.commune_id', '=', ctx.commune.id).where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return { title: parseTranslated(row.title), path: `/plans/${encodeURIComponent(row.slug)}/commitments/${encodeURIComponent(row.number)}`, open: true };
});
