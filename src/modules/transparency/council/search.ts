import { indexDoc, type SearchDoc, type SearchSource } from '../../../core/search/index.ts';
import { parseTranslated, LOCALES, type Translated } from '../../../core/i18n/index.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { Ctx } from '../../../core/service.ts';
import { tdb } from '../db.ts';
import * as repo from './repo.ts';

/** A deliberation in the platform-wide search: its title and text, under its session's page. */
const BATCH = 500;

export function deliberationDoc(d: Awaited<ReturnType<typeof repo.searchDeliberations>>[number]): SearchDoc {
  const title = parseTranslated(d.title);
  const body = parseTranslated(d.text);
  const text: Translated = {};
  for (const l of LOCALES) if (body[l]) text[l] = body[l];
  return {
    kind: 'deliberation', key: d.ref, title, text, path: `/council/${encodeURIComponent(d.session_ref)}#${encodeURIComponent(d.ref)}`,
    date: d.starts_at.slice(0, 10), visible: d.status !== 'cancelled',
  };
}

export async function indexDeliberation(trx: AnyDB, communeId: number, id: number): Promise<void> {
  for (const d of await repo.searchDeliberations(tdb(trx), communeId, { ids: [id], limit: 1 })) await indexDoc(trx, communeId, deliberationDoc(d));
}

export const deliberationSearch: SearchSource = {
  kind: 'deliberation', labelKey: 'transparency.search.deliberation',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await repo.searchDeliberations(tdb(ctx.db), ctx.commune.id, { afterId: after, limit: BATCH });
      for (const r of rows) yield deliberationDoc(r);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  },
};
