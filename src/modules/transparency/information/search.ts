import { indexDoc, type SearchDoc, type SearchSource } from '../../../core/search/index.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { Ctx } from '../../../core/service.ts';
import { iq } from './repo.ts';
import * as repo from './repo.ts';

/**
 * What the register puts in the platform-wide search: each received request by its question and the public text of
 * its answer (the redacted version when there is one). Never the requester's identity; a hidden request and one
 * whose email is not confirmed yet are kept out of the index.
 */
const BATCH = 1000;

function doc(r: Awaited<ReturnType<typeof repo.searchRows>>[number]): SearchDoc {
  const answer = r.public_answer ?? r.answer_text;
  const title = r.question.length > 90 ? `${r.question.slice(0, 88)}…` : r.question;
  return {
    kind: 'information', key: r.reference, title: { fr: `${r.reference} · ${title}`, ar: `${r.reference} · ${title}`, en: `${r.reference} · ${title}` },
    text: [r.question, answer].filter((x) => x && x.trim()).join('\n'),
    path: `/information/${encodeURIComponent(r.reference)}`, date: r.answered_at ?? r.created_at, visible: r.status !== 'unconfirmed' && !r.hidden,
  };
}

export async function indexInformation(trx: AnyDB, communeId: number, id: number): Promise<void> {
  for (const r of await repo.searchRows(iq(trx), communeId, { ids: [id], limit: 1 })) await indexDoc(trx, communeId, doc(r));
}

export const informationSearch: SearchSource[] = [{
  kind: 'information', labelKey: 'information.search.kind',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await repo.searchRows(iq(ctx.db), ctx.commune.id, { afterId: after, limit: BATCH });
      for (const r of rows) yield doc(r);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  },
}];
