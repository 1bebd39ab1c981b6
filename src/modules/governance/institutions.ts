import { mutate, authorize, type Ctx } from '../../core/service.ts';
import type { AnyDB } from '../../core/db/index.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../core/i18n/index.ts';
import type { GovernanceTables } from './schema.ts';
import * as repo from './repo.ts';

export const INSTITUTION_KINDS = ['department', 'operator', 'civil_society', 'monitor', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export interface InstitutionInput {
  slug: string; kind: InstitutionKind; name: Translated; description?: Translated; lead?: boolean; sample?: boolean; sort?: number;
}
export type InstitutionUpdate = Omit<InstitutionInput, 'slug'>;

export interface Institution {
  id: number; slug: string; kind: string; name: Translated; description: Translated; lead: boolean; sample: boolean; sort: number;
}

const gov = (db: AnyDB | Ctx['db']): repo.GovDB => (db as AnyDB).withTables<GovernanceTables>();

function toInstitution(r: { id: number; slug: string; kind: string; name: string; description: string; lead: number; sample: number; sort: number }): Institution {
  return { ...r, name: parseTranslated(r.name), description: parseTranslated(r.description), lead: !!r.lead, sample: !!r.sample };
}

export async function createInstitution(ctx: Ctx, i: InstitutionInput): Promise<number> {
  return mutate(ctx, { permission: 'governance.manage', action: 'institution.create', entity: 'institution' }, async (trx) => {
    if (await repo.findInstitutionBySlug(gov(trx), ctx.commune.id, i.slug)) throw new RuleError('governance.slugTaken', {}, 'slug');
    const id = await repo.insertRow(gov(trx), 'institutions', {
      commune_id: ctx.commune.id, slug: i.slug, kind: i.kind, name: JSON.stringify(i.name), description: JSON.stringify(i.description ?? {}),
      lead: i.lead ? 1 : 0, sample: i.sample ? 1 : 0, sort: i.sort ?? 0,
    });
    return { result: id, entityId: i.slug, after: i };
  });
}

/** Edits an institution; its slug stays (others refer to it), and its kind stays while anything points at it. */
export async function updateInstitution(ctx: Ctx, id: number, u: InstitutionUpdate): Promise<void> {
  await mutate(ctx, { permission: 'governance.manage', action: 'institution.update', entity: 'institution' }, async (trx) => {
    const db = gov(trx);
    const before = await repo.findInstitution(db, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    if (before.kind !== u.kind && (await repo.institutionInUse(db, ctx.commune.id, id))) throw new RuleError('governance.kindInUse', {}, 'kind');
    const after = { kind: u.kind, name: JSON.stringify(u.name), description: JSON.stringify(u.description ?? {}), lead: u.lead ? 1 : 0, sample: u.sample ? 1 : 0, sort: u.sort ?? 0 };
    await repo.updateRow(db, 'institutions', ctx.commune.id, id, after);
    return { result: undefined, entityId: before.slug, before: toInstitution(before), after: { ...u, slug: before.slug } };
  });
}

export async function listInstitutions(ctx: Ctx, kinds?: InstitutionKind[]): Promise<Institution[]> {
  return (await repo.listInstitutions(gov(ctx.db), ctx.commune.id, kinds)).map(toInstitution);
}

/** The institutions grouped by kind, in the order of INSTITUTION_KINDS; empty kinds left out. */
export async function listInstitutionsByKind(ctx: Ctx): Promise<{ kind: InstitutionKind; items: Institution[] }[]> {
  const all = await listInstitutions(ctx);
  return INSTITUTION_KINDS.map((kind) => ({ kind, items: all.filter((i) => i.kind === kind) })).filter((g) => g.items.length > 0);
}

export async function getInstitutionForAdmin(ctx: Ctx, id: number): Promise<Institution> {
  authorize(ctx, 'governance.manage');
  const row = await repo.findInstitution(gov(ctx.db), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  return toInstitution(row);
}
