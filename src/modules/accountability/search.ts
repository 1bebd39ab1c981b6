import { indexDoc, type SearchDoc, type SearchSource } from '../../core/search/index.ts';
import { parseTranslated, LOCALES, type Translated } from '../../core/i18n/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import type { Ctx } from '../../core/service.ts';
import * as repo from './repo.ts';

/**
 * What the accountability module puts in the platform-wide search: commitments (axes included) and
 * actions, which every plan shows in public (plans have no private state). Indexed: their titles and
 * public texts in every language; never evidence (internal evidence stays on staff pages).
 */

const BATCH = 500;

/** Translated fields put together, language by language (one paragraph each). */
function texts(...values: (string | Translated)[]): Translated {
  const out: Translated = {};
  for (const l of LOCALES) {
    const parts = values.map((v) => (typeof v === 'string' ? parseTranslated(v) : v)[l]).filter((x): x is string => !!x && x.trim() !== '');
    if (parts.length) out[l] = parts.join('\n');
  }
  return out;
}

const numbered = (number: string, title: Translated): Translated =>
  Object.fromEntries(Object.entries(title).filter(([, v]) => v).map(([l, v]) => [l, `${number}. ${v}`]));

const commitmentPath = (planSlug: string, number: string) => `/plans/${encodeURIComponent(planSlug)}/commitments/${encodeURIComponent(number)}`;

type CommitmentRow = Awaited<ReturnType<typeof repo.searchCommitments>>[number];
type ActionRow = Awaited<ReturnType<typeof repo.searchActions>>[number];

function commitmentDoc(r: CommitmentRow): SearchDoc {
  return {
    kind: 'commitment', key: String(r.id), title: numbered(r.number, parseTranslated(r.title)),
    text: texts(r.description, r.problem, r.budget_note), path: commitmentPath(r.plan_slug, r.number), date: r.start_date, visible: true,
  };
}

function actionDoc(r: ActionRow): SearchDoc {
  const commitment = parseTranslated(r.commitment_title);
  return {
    kind: 'action', key: String(r.id), title: parseTranslated(r.title),
    // The commitment's title too: an action is found by what it serves.
    text: texts(r.expected_result, commitment),
    path: `${commitmentPath(r.plan_slug, r.number)}#action-${r.id}`, date: r.start_date, visible: true,
  };
}

/**
 * Re-indexes commitments and their actions, in the caller's transaction: those of a plan, or the
 * given commitments (and all their actions: their address holds the commitment's number), or the given actions.
 */
export async function indexCommitments(trx: AnyDB, communeId: number, f: { planId?: number; commitmentIds?: number[]; actionIds?: number[] }): Promise<void> {
  if (f.planId !== undefined || f.commitmentIds) {
    for (let after = 0; ;) {
      const rows = await repo.searchCommitments(trx, communeId, { afterId: after, planId: f.planId, ids: f.commitmentIds, limit: BATCH });
      for (const r of rows) await indexDoc(trx, communeId, commitmentDoc(r));
      if (rows.length) await indexActions(trx, communeId, { commitmentIds: rows.map((r) => r.id) });
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].id;
    }
  }
  if (f.actionIds) await indexActions(trx, communeId, { ids: f.actionIds });
}

async function indexActions(trx: AnyDB, communeId: number, f: { ids?: number[]; commitmentIds?: number[] }) {
  for (let after = 0; ;) {
    const rows = await repo.searchActions(trx, communeId, { afterId: after, ...f, limit: BATCH });
    for (const r of rows) await indexDoc(trx, communeId, actionDoc(r));
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].id;
  }
}

async function* batches<R extends { id: number }, D>(read: (afterId: number) => Promise<R[]>, toDoc: (r: R) => D): AsyncIterable<D> {
  for (let after = 0; ;) {
    const rows = await read(after);
    for (const r of rows) yield toDoc(r);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

export const accountabilitySearch: SearchSource[] = [
  {
    kind: 'commitment', labelKey: 'plans.search.commitment',
    all: (ctx: Ctx) => batches((afterId) => repo.searchCommitments(ctx.db, ctx.commune.id, { afterId, limit: BATCH }), commitmentDoc),
  },
  {
    kind: 'action', labelKey: 'plans.search.action',
    all: (ctx: Ctx) => batches((afterId) => repo.searchActions(ctx.db, ctx.commune.id, { afterId, limit: BATCH }), actionDoc),
  },
];
