import type { SearchSource } from '../../../core/search/index.ts';
import type { Ctx } from '../../../core/service.ts';
import { pt } from './repo.ts';

/** Petitions in the platform-wide search: object, reasons and request (the service indexes each new one). */
export const petitionsSearch: SearchSource[] = [{
  kind: 'petition', labelKey: 'petitions.search.petition',
  async *all(ctx: Ctx) {
    for (let after = 0; ;) {
      const rows = await pt(ctx.db).selectFrom('petitions').select(['id', 'reference', 'title', 'reasons', 'requested_action', 'created_at'])
        .where('commune_id', '=', ctx.commune.id).where('id', '>', after).orderBy('id').limit(200).execute();
      for (const p of rows) {
        yield { kind: 'petition', key: p.reference, title: { fr: p.title, ar: p.title, en: p.title }, text: `${p.reasons}\n${p.requested_action}`, path: `/petitions/${p.reference}`, date: p.created_at, visible: true };
      }
      if (rows.length < 200) return;
      after = rows[rows.length - 1].id;
    }
  },
}];
