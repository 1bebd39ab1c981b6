import { sql } from 'kysely';
import type { TDB } from '../db.ts';
import { FREQUENCIES, type Frequency } from '../schema.ts';

/**
 * The register's statuses, computed in SQL: for each item, the newest public document linked to it; `published`
 * when it is newer than the item's frequency allows (the cutoffs are computed from the clock and passed in),
 * `out_of_date` when older, `missing` when there is none. A `once` item never goes out of date.
 */
export function statusQuery(db: TDB, communeId: number, now: string, cutoffs: Record<Frequency, string | null>) {
  const latest = db.selectFrom('transparency_links as l')
    .innerJoin('documents as d', (j) => j.onRef('d.commune_id', '=', 'l.commune_id').onRef('d.id', '=', 'l.source_id'))
    .select(['l.target_id as item_id', (eb) => eb.fn.max('d.published_at').as('latest'), (eb) => eb.fn.countAll<number>().as('documents')])
    .where('l.commune_id', '=', communeId).where('l.source_type', '=', 'document').where('l.target_type', '=', 'register_item')
    .where('d.status', '=', 'published').where('d.published_at', '<=', now)
    .groupBy('l.target_id');
  const cutoffCase = sql.join(FREQUENCIES.map((f) => sql`when ${f} then ${cutoffs[f] ?? ''}`), sql` `);
  return db.selectFrom('register_items as r')
    .leftJoin(latest.as('x'), 'x.item_id', 'r.id')
    .select(['r.id', 'r.code', 'r.title', 'r.description', 'r.institution_id', 'r.frequency', 'r.sort', 'r.sample', 'x.latest', 'x.documents'])
    .select(sql<string>`case when x.latest is null then 'missing' when x.latest >= (case r.frequency ${cutoffCase} else '' end) then 'published' else 'out_of_date' end`.as('status'))
    .where('r.commune_id', '=', communeId);
}
