import type { AnyDB } from '../../core/db/index.ts';

const planColumns = ['id', 'slug', 'kind', 'title', 'period_start', 'period_end', 'submitted_on', 'vision', 'guidelines', 'objectives', 'cocreation', 'status'] as const;

export function findPlan(db: AnyDB, communeId: number, slug: string) {
  return db.selectFrom('plans').select([...planColumns]).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

export function listPlans(db: AnyDB, communeId: number) {
  return db.selectFrom('plans').select([...planColumns]).where('commune_id', '=', communeId).orderBy('period_start', 'desc').execute();
}

export function topCommitments(db: AnyDB, communeId: number, planId: number) {
  return db.selectFrom('commitments').select(['id', 'number', 'title', 'description', 'sample'])
    .where('commune_id', '=', communeId).where('plan_id', '=', planId).where('parent_id', 'is', null).orderBy('sort').execute();
}

export function planInstitutions(db: AnyDB, communeId: number, planId: number) {
  return db.selectFrom('plan_institutions as p')
    .innerJoin('institutions as i', (j: any) => j.onRef('i.id', '=', 'p.institution_id').onRef('i.commune_id', '=', 'p.commune_id'))
    .select(['i.id', 'i.slug', 'i.name', 'i.kind', 'p.role']).where('p.commune_id', '=', communeId).where('p.plan_id', '=', planId).orderBy('i.sort').execute();
}
