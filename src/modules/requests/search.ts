import { indexDoc, type SearchDoc, type SearchSource } from '../../core/search/index.ts';
import { parseTranslated } from '../../core/i18n/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { Ctx } from '../../core/service.ts';
import { rq } from './repo.ts';
import * as repo from './repo.ts';

/**
 * What the requests module puts in the platform-wide search: every request, whose page is public, by
 * the text that page shows — description, address, the last public answer and the referral — under
 * its category's name and reference. The reporter's name (even when public), email and phone are
 * never indexed, nor internal notes. Requests have no hidden state today: should one come (a request
 * withdrawn for abuse), its doc gets `visible: false` here and the index drops it on that change.
 * A category renamed shows its new name in results after `npx commune search reindex`.
 */
const BATCH = 1000;

function requestDoc(r: Awaited<ReturnType<typeof repo.searchRequests>>[number]): SearchDoc {
  const category = parseTranslated(r.category_name);
  const title = Object.fromEntries(Object.entries(category).filter(([, v]) => v).map(([l, v]) => [l, `${v} · ${r.reference}`]));
  return {
    kind: 'request', key: r.reference, title, text: [r.description, r.address, r.public_note, r.referral].filter((x) => x && x.trim()).join('\n'),
    path: `/requests/${encodeURIComponent(r.reference)}`, date: r.created_at, visible: true,
  };
}

/** Re-indexes one request after a change of what its page shows, in the caller's transaction. */
export async function indexRequest(trx: AnyDB, communeId: number, requestId: number): Promise<void> {
  for (const r of await repo.searchRequests(rq(trx), communeId, { ids: [requestId], limit: 1 })) await indexDoc(trx, communeId, requestDoc(r));
}

export const requestsSearch: SearchSource[] = [{
  kind: 'request', labelKey: 'requests.search.request',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await repo.searchRequests(rq(ctx.db), ctx.commune.id, { afterId: after, limit: BATCH });
      for (const r of rows) yield requestDoc(r);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  },
}];
