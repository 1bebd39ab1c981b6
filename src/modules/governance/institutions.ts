import { mutate, type Ctx } from '../../core/service.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';

export const INSTITUTION_KINDS = ['department', 'operator', 'civil_society', 'monitor', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export interface InstitutionInput {
  slug: string; kind: InstitutionKind; name: Translated; description?: Translated; lead?: boolean; sample?: boolean; sort?: number;
}

export async function createInstitution(ctx: Ctx, i: InstitutionInput): Promise<number> {
  return mutate(ctx, { permission: 'governance.manage', action: 'institution.create', entity: 'institution' }, async (trx) => {
    const { id } = await trx.insertInto('institutions').values({
      commune_id: ctx.commune.id, slug: i.slug, kind: i.kind, name: JSON.stringify(i.name), description: JSON.stringify(i.description ?? {}),
      lead: i.lead ? 1 : 0, sample: i.sample ? 1 : 0, sort: i.sort ?? 0,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, after: i };
  });
}

export async function listInstitutions(ctx: Ctx, kinds?: InstitutionKind[]) {
  let q = ctx.db.selectFrom('institutions').select(['id', 'slug', 'kind', 'name', 'description', 'lead', 'sample', 'sort']).where('commune_id', '=', ctx.commune.id);
  if (kinds?.length) q = q.where('kind', 'in', kinds);
  const rows = await q.orderBy('sort').orderBy('id').execute();
  return rows.map((r) => ({ ...r, name: parseTranslated(r.name), description: parseTranslated(r.description), lead: !!r.lead, sample: !!r.sample }));
}
