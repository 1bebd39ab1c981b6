import { indexDoc, type SearchDoc, type SearchSource } from '../../../core/search/index.ts';
import { parseTranslated } from '../../../core/i18n/index.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import type { Ctx } from '../../../core/service.ts';
import { sv } from './repo.ts';

/** Surveys in the platform-wide search: title and description; a draft is indexed but not visible. */
function surveyDoc(s: { slug: string; title: string; description: string; status: string; opens_at: string }): SearchDoc {
  return {
    kind: 'survey', key: s.slug, title: parseTranslated(s.title), text: parseTranslated(s.description),
    path: `/surveys/${encodeURIComponent(s.slug)}`, date: s.opens_at, visible: s.status === 'published',
  };
}

/** Re-indexes one survey, in the caller's transaction. */
export async function indexSurvey(trx: AnyDB, communeId: number, id: number): Promise<void> {
  const s = await sv(trx).selectFrom('surveys').select(['slug', 'title', 'description', 'status', 'opens_at']).where('commune_id', '=', communeId).where('id', '=', id).executeTakeFirst();
  if (s) await indexDoc(trx, communeId, surveyDoc(s));
}

export const surveysSearch: SearchSource[] = [{
  kind: 'survey', labelKey: 'surveys.search.survey',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await sv(ctx.db).selectFrom('surveys').select(['id', 'slug', 'title', 'description', 'status', 'opens_at'])
        .where('commune_id', '=', ctx.commune.id).where('id', '>', after).orderBy('id').limit(200).execute();
      for (const r of rows) yield surveyDoc(r);
      if (rows.length < 200) return;
      after = rows[rows.length - 1].id;
    }
  },
}];
