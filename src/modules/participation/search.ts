import { indexDoc, type SearchDoc, type SearchSource } from '../../core/search/index.ts';
import { parseTranslated } from '../../core/i18n/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { Ctx } from '../../core/service.ts';
import { pdb } from './repo.ts';

/** Processes (title, description) and published proposals (title, text) in the platform-wide search; never a person. */
const BATCH = 500;

type ProcessDocRow = { id: number; slug: string; title: string; description: string; status: string; created_at: string };
const processDoc = (r: ProcessDocRow): SearchDoc => ({
  kind: 'process', key: String(r.id), title: parseTranslated(r.title), text: parseTranslated(r.description),
  path: `/participation/${encodeURIComponent(r.slug)}`, date: r.created_at.slice(0, 10), visible: r.status !== 'draft',
});
type ProposalDocRow = { id: number; number: number; title: string; body: string; status: string; created_at: string; slug: string; pstatus: string };
const proposalDoc = (r: ProposalDocRow): SearchDoc => ({
  kind: 'proposal', key: String(r.id), title: { fr: r.title }, text: r.body,
  path: `/participation/${encodeURIComponent(r.slug)}/proposals/${r.number}`, date: r.created_at.slice(0, 10), visible: r.status === 'published' && r.pstatus !== 'draft',
});

const processRows = (db: AnyDB, communeId: number, q: { id?: number; after?: number }) => {
  let s = pdb(db).selectFrom('processes').select(['id', 'slug', 'title', 'description', 'status', 'created_at']).where('commune_id', '=', communeId);
  s = q.id !== undefined ? s.where('id', '=', q.id) : s.where('id', '>', q.after ?? 0);
  return s.orderBy('id').limit(BATCH).execute();
};
const proposalRows = (db: AnyDB, communeId: number, q: { id?: number; after?: number; processId?: number }) => {
  let s = pdb(db).selectFrom('proposals as pr').innerJoin('processes as p', (j) => j.onRef('p.commune_id', '=', 'pr.commune_id').onRef('p.id', '=', 'pr.process_id'))
    .select(['pr.id', 'pr.number', 'pr.title', 'pr.body', 'pr.status', 'pr.created_at', 'p.slug', 'p.status as pstatus']).where('pr.commune_id', '=', communeId);
  if (q.id !== undefined) s = s.where('pr.id', '=', q.id);
  else s = s.where('pr.id', '>', q.after ?? 0);
  if (q.processId !== undefined) s = s.where('pr.process_id', '=', q.processId);
  return s.orderBy('pr.id').limit(BATCH).execute();
};

/** Re-indexes a process (and, its status being theirs too, its proposals), in the caller's transaction. */
export async function indexProcess(trx: AnyDB, communeId: number, id: number): Promise<void> {
  for (const r of await processRows(trx, communeId, { id })) await indexDoc(trx, communeId, processDoc(r));
  for (let after = 0; ;) {
    const rows = await proposalRows(trx, communeId, { after, processId: id });
    for (const r of rows) await indexDoc(trx, communeId, proposalDoc(r));
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].id;
  }
}
export async function indexProposal(trx: AnyDB, communeId: number, id: number): Promise<void> {
  for (const r of await proposalRows(trx, communeId, { id })) await indexDoc(trx, communeId, proposalDoc(r));
}

export const participationSearch: SearchSource[] = [
  {
    kind: 'process', labelKey: 'participation.search.process',
    async *all(ctx: Ctx) {
      for (let after = 0; ;) {
        const rows = await processRows(ctx.db, ctx.commune.id, { after });
        for (const r of rows) yield processDoc(r);
        if (rows.length < BATCH) return;
        after = rows[rows.length - 1].id;
      }
    },
  },
  {
    kind: 'proposal', labelKey: 'participation.search.proposal',
    async *all(ctx: Ctx) {
      for (let after = 0; ;) {
        const rows = await proposalRows(ctx.db, ctx.commune.id, { after });
        for (const r of rows) yield proposalDoc(r);
        if (rows.length < BATCH) return;
        after = rows[rows.length - 1].id;
      }
    },
  },
];
