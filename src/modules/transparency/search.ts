import type { SearchSource } from '../../core/search/index.ts';
import { iso } from '../../core/clock/index.ts';
import type { Ctx } from '../../core/service.ts';
import { tdb } from './db.ts';
import * as docs from './documents/repo.ts';
import { documentDoc } from './documents/search.ts';
import { deliberationSearch } from './council/search.ts';

/** What the transparency module puts in the platform-wide search: public documents (with their text) and deliberations. */
const BATCH = 200;

export const transparencySearch: SearchSource[] = [
  {
    kind: 'document', labelKey: 'transparency.search.document',
    async *all(ctx: Ctx) {
      const now = iso(ctx.clock.now());
      for (let after = 0; ;) {
        const rows = await docs.searchDocuments(tdb(ctx.db), ctx.commune.id, { afterId: after, limit: BATCH });
        for (const r of rows) yield documentDoc(r, now);
        if (rows.length < BATCH) return;
        after = rows[rows.length - 1].id;
      }
    },
  },
  deliberationSearch,
];
