import type { ModuleFixtures } from '../../../core/module.ts';
import { bdb } from './repo.ts';

/** The demo's latest year, a function, a mapped line linked to a commitment, a glossary word, the demo's import. */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = bdb(ctx.db);
    const c = f.commune.id;
    const year = await db.selectFrom('budget_years').select('year').where('commune_id', '=', c).orderBy('year', 'desc').limit(1).executeTakeFirstOrThrow();
    const fn = await db.selectFrom('budget_functions').select('slug').where('commune_id', '=', c).orderBy('sort').limit(1).executeTakeFirstOrThrow();
    const link = await db.selectFrom('budget_line_commitments').select(['line_code', 'commitment_id']).where('commune_id', '=', c).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const term = await db.selectFrom('budget_glossary').select('slug').where('commune_id', '=', c).orderBy('sort').limit(1).executeTakeFirstOrThrow();
    const imp = await db.selectFrom('budget_imports').select('id').where('commune_id', '=', c).orderBy('id').limit(1).executeTakeFirstOrThrow();
    return { budgetYear: year.year, budgetFunction: fn.slug, budgetLine: link.line_code, budgetCommitment: link.commitment_id, budgetTerm: term.slug, budgetImport: imp.id };
  },
  samples: {
    'GET /:locale/budget': () => '/:locale/budget',
    'GET /:locale/budget/:year(^\\d{4})': (f) => `/:locale/budget/${f.budgetYear}`,
    'GET /:locale/budget/:year(^\\d{4})/functions/:slug': (f) => `/:locale/budget/${f.budgetYear}/functions/${f.budgetFunction}`,
    'GET /:locale/budget/lines/:code': (f) => `/:locale/budget/lines/${f.budgetLine}`,
    'GET /:locale/budget/glossary': () => '/:locale/budget/glossary',
    'GET /:locale/budget/:year(^\\d{4}).csv': (f) => `/:locale/budget/${f.budgetYear}.csv`,
    'GET /:locale/budget/:year(^\\d{4})/fiscal.csv': (f) => `/:locale/budget/${f.budgetYear}/fiscal.csv`,
    'GET /:locale/budget/:year(^\\d{4}).pdf': (f) => `/:locale/budget/${f.budgetYear}.pdf`,
    'GET /api/budget.json': () => '/api/budget.json',
    'GET /api/budget/:year(^\\d{4})/datapackage.json': (f) => `/api/budget/${f.budgetYear}/datapackage.json`,
    '* /:locale/admin/budget': () => '/:locale/admin/budget',
    'GET /:locale/admin/budget/template.csv': () => '/:locale/admin/budget/template.csv',
    'POST /:locale/admin/budget/import': () => '/:locale/admin/budget/import',
    'GET /:locale/admin/budget/imports/:id': (f) => `/:locale/admin/budget/imports/${f.budgetImport}`,
    'POST /:locale/admin/budget/imports/:id/apply': (f) => `/:locale/admin/budget/imports/${f.budgetImport}/apply`,
    'POST /:locale/admin/budget/imports/:id/discard': (f) => `/:locale/admin/budget/imports/${f.budgetImport}/discard`,
    '* /:locale/admin/budget/nomenclature': () => '/:locale/admin/budget/nomenclature',
    '* /:locale/admin/budget/functions': () => '/:locale/admin/budget/functions',
    '* /:locale/admin/budget/functions/:slug': (f) => `/:locale/admin/budget/functions/${f.budgetFunction}`,
    '* /:locale/admin/budget/lines/:code': (f) => `/:locale/admin/budget/lines/${f.budgetLine}`,
    'POST /:locale/admin/budget/lines/:code/commitments': (f) => `/:locale/admin/budget/lines/${f.budgetLine}/commitments`,
    'POST /:locale/admin/budget/lines/:code/commitments/:cid/remove': (f) => `/:locale/admin/budget/lines/${f.budgetLine}/commitments/${f.budgetCommitment}/remove`,
    '* /:locale/admin/budget/years/:year': (f) => `/:locale/admin/budget/years/${f.budgetYear}`,
    '* /:locale/admin/budget/glossary': () => '/:locale/admin/budget/glossary',
    '* /:locale/admin/budget/glossary/:slug': (f) => `/:locale/admin/budget/glossary/${f.budgetTerm}`,
  },
};
export default fixtures;
