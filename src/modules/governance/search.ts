import { indexDoc, type SearchDoc, type SearchSource } from '../../core/search/index.ts';
import { parseTranslated, LOCALES, type Translated } from '../../core/i18n/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { Ctx } from '../../core/service.ts';
import type { GovernanceTables } from './schema.ts';
import * as repo from './repo.ts';

/**
 * What the governance module puts in the platform-wide search: its bodies (public pages), by name,
 * description and the titles of their decisions. Members' names are not indexed (people are not
 * what the search finds).
 */
const BATCH = 200;
const gov = (db: AnyDB): repo.GovDB => db.withTables<GovernanceTables>() as unknown as repo.GovDB;

function bodyDoc(b: Awaited<ReturnType<typeof repo.searchBodies>>[number]): SearchDoc {
  // Language by language: the description, then the decisions' titles.
  const fields = [b.description, ...b.decisions.map((d) => d.title)].map(parseTranslated);
  const text: Translated = {};
  for (const l of LOCALES) {
    const parts = fields.map((f) => f[l]).filter((x): x is string => !!x && x.trim() !== '');
    if (parts.length) text[l] = parts.join('\n');
  }
  return {
    kind: 'body', key: b.slug, title: parseTranslated(b.name), text, path: `/bodies/${encodeURIComponent(b.slug)}`,
    date: b.decisions[0]?.decided_on ?? null, visible: true,
  };
}

/** Re-indexes one body (after a change of it or of its decisions), in the caller's transaction. */
export async function indexBody(trx: AnyDB, communeId: number, bodyId: number): Promise<void> {
  for (const b of await repo.searchBodies(gov(trx), communeId, { ids: [bodyId], limit: 1 })) await indexDoc(trx, communeId, bodyDoc(b));
}

export const governanceSearch: SearchSource[] = [{
  kind: 'body', labelKey: 'governance.search.body',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await repo.searchBodies(gov(ctx.db), ctx.commune.id, { afterId: after, limit: BATCH });
      for (const r of rows) yield bodyDoc(r);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  },
}];
