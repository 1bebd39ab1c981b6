import type { Ctx } from '../../core/service.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { ParticipationTables } from './schema.ts';

/**
 * What other modules (surveys, petitions) may use of participation: the processes they attach to.
 * They never read these tables themselves.
 */
export interface ProcessOption { id: number; slug: string; title: Translated; status: string }

/** Every non-draft process of the commune (and drafts for staff pickers when `withDrafts`), newest first. */
export async function processOptions(ctx: Ctx, opts: { withDrafts?: boolean } = {}): Promise<ProcessOption[]> {
  let q = (ctx.db as AnyDB).withTables<ParticipationTables>().selectFrom('processes')
    .select(['id', 'slug', 'title', 'status']).where('commune_id', '=', ctx.commune.id);
  if (!opts.withDrafts) q = q.where('status', '!=', 'draft');
  const rows = await q.orderBy('id', 'desc').execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: parseTranslated(r.title), status: r.status }));
}

/** The public page of a process, after the locale (`/participation/co-creation-2022`). */
export function processPath(process: { slug: string }): string {
  return `/participation/${encodeURIComponent(process.slug)}`;
}

/** One process by id (null when unknown in this commune), for a module that stored its id. */
export async function processById(ctx: Ctx, id: number): Promise<ProcessOption | null> {
  const r = await (ctx.db as AnyDB).withTables<ParticipationTables>().selectFrom('processes')
    .select(['id', 'slug', 'title', 'status']).where('commune_id', '=', ctx.commune.id).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, slug: r.slug, title: parseTranslated(r.title), status: r.status } : null;
}
