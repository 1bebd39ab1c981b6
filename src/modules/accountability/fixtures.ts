import type { ModuleFixtures, Fixtures } from '../../core/module.ts';

/**
 * The plan with an open reporting cycle (else the first), a commitment with an action and an indicator, its public
 * and internal evidence files, the cycle's matrix rows by institution, a published action update and a measurement.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const c = f.commune.id;
    const one = async (q: Promise<any>, what: string) => { const r = await q; if (r === undefined) throw new Error(`accountability fixtures: no ${what}`); return r; };
    const first = (table: string, where: Record<string, unknown> = {}) => {
      let q = db.selectFrom(table).selectAll().where('commune_id', '=', c);
      for (const [k, v] of Object.entries(where)) q = q.where(k, '=', v);
      return q.orderBy('id').limit(1).executeTakeFirst();
    };
    const cycleRow = (await first('reporting_cycles', { status: 'open' })) ?? await one(first('reporting_cycles'), 'reporting cycle');
    const planRow = await one(first('plans', { id: cycleRow.plan_id }), 'plan');
    const ofPlan = (table: string, alias: string, cols: string[]) => db.selectFrom(`${table} as ${alias}`)
      .innerJoin('commitments as k', (j: any) => j.onRef('k.id', '=', `${alias}.commitment_id`).onRef('k.commune_id', '=', `${alias}.commune_id`))
      .select(cols).where(`${alias}.commune_id`, '=', c).where('k.plan_id', '=', planRow.id);
    const action = await one(ofPlan('actions', 'a', ['a.id', 'a.commitment_id', 'k.number']).orderBy('a.id').limit(1).executeTakeFirst(), 'action');
    const indicator = await one(ofPlan('indicators', 'i', ['i.id']).orderBy('i.id').limit(1).executeTakeFirst(), 'indicator');
    const evidenceOf = (visibility: string) => ofPlan('evidence', 'e', ['e.id', 'fl.original_name'])
      .innerJoin('files as fl', (j: any) => j.onRef('fl.id', '=', 'e.file_id').onRef('fl.commune_id', '=', 'e.commune_id'))
      .where('e.kind', '=', 'file').where('e.visibility', '=', visibility).where('e.row_id', 'is', null).orderBy('e.id').limit(1).executeTakeFirst();
    const evidence = await one(evidenceOf('public'), 'public evidence file');
    const internal = await evidenceOf('internal');
    const rows: { id: number; institution_id: number }[] = await db.selectFrom('matrix_rows').select(['id', 'institution_id']).where('commune_id', '=', c).where('cycle_id', '=', cycleRow.id).orderBy('id').execute();
    if (!rows.length) throw new Error('accountability fixtures: no matrix row in the cycle');
    const slugOf = Object.fromEntries(Object.entries(f.institutions).map(([s, id]) => [id, s]));
    const rowsByInstitution: Record<string, number> = {};
    for (const r of rows) { const s = slugOf[r.institution_id]; if (s && !(s in rowsByInstitution)) rowsByInstitution[s] = r.id; }
    const actionUpdate = await one(first('action_updates'), 'published action update');
    const measurement = await one(first('measurements'), 'measurement');
    return {
      plan: planRow.slug, planId: planRow.id, commitmentId: action.commitment_id, commitmentNumber: action.number,
      actionId: action.id, indicatorId: indicator.id,
      evidenceId: evidence.id, evidenceName: evidence.original_name,
      internalEvidenceId: internal?.id ?? null, internalEvidenceName: internal?.original_name ?? null,
      cycleCode: cycleRow.code, rowId: rows[0].id, rowInstitutionId: rows[0].institution_id, rowsByInstitution,
      actionUpdateId: actionUpdate.id, measurementId: measurement.id,
    };
  },
  samples: {
    'GET /:locale/plans': () => '/:locale/plans',
    'GET /:locale/plans.csv': () => '/:locale/plans.csv',
    'GET /:locale/plans/:slug': (f) => `/:locale/plans/${f.plan}`,
    'GET /:locale/plans/:slug/about': (f) => `/:locale/plans/${f.plan}/about`,
    'GET /:locale/plans/:slug/commitments/:number': (f) => `/:locale/plans/${f.plan}/commitments/${f.commitmentNumber}`,
    'GET /:locale/plans/:slug/evidence/:id/:name': (f) => `/:locale/plans/${f.plan}/evidence/${f.evidenceId}/${encodeURIComponent(f.evidenceName)}`,
    'GET /:locale/plans/:slug.csv': (f) => `/:locale/plans/${f.plan}.csv`,
    'GET /:locale/plans/:slug/actions.csv': (f) => `/:locale/plans/${f.plan}/actions.csv`,
    'GET /:locale/plans/:slug/indicators.csv': (f) => `/:locale/plans/${f.plan}/indicators.csv`,
    'GET /:locale/plans/:slug/measurements.csv': (f) => `/:locale/plans/${f.plan}/measurements.csv`,
    'GET /api/plans.json': () => '/api/plans.json',
    'GET /api/plans/:slug.json': (f) => `/api/plans/${f.plan}.json`,
    'GET /:locale/admin/plans': () => '/:locale/admin/plans',
    '* /:locale/admin/plans/new': () => '/:locale/admin/plans/new',
    '* /:locale/admin/plans/:slug': (f) => plan(f),
    '* /:locale/admin/plans/:slug/commitments/new': (f) => `${plan(f)}/commitments/new`,
    '* /:locale/admin/plans/:slug/commitments/:id': (f) => `${plan(f)}/commitments/${f.commitmentId}`,
    '* /:locale/admin/plans/:slug/commitments/:id/actions/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/actions/new`,
    '* /:locale/admin/plans/:slug/actions/:id': (f) => `${plan(f)}/actions/${f.actionId}`,
    '* /:locale/admin/plans/:slug/commitments/:id/indicators/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/indicators/new`,
    '* /:locale/admin/plans/:slug/indicators/:id': (f) => `${plan(f)}/indicators/${f.indicatorId}`,
    '* /:locale/admin/plans/:slug/commitments/:id/evidence/new': (f) => `${plan(f)}/commitments/${f.commitmentId}/evidence/new`,
    'GET /:locale/admin/sdg': () => '/:locale/admin/sdg',
    'POST /:locale/admin/sdg/local': () => '/:locale/admin/sdg/local',
    'POST /:locale/admin/sdg/target': () => '/:locale/admin/sdg/target',
    '* /:locale/admin/plans/:slug/cycles': (f) => `${plan(f)}/cycles`,
    'GET /:locale/admin/plans/:slug/cycles/:code': (f) => cycle(f),
    'POST /:locale/admin/plans/:slug/cycles/:code/publish': (f) => `${cycle(f)}/publish`,
    'POST /:locale/admin/plans/:slug/cycles/:code/close': (f) => `${cycle(f)}/close`,
    'POST /:locale/admin/plans/:slug/cycles/:code/reopen': (f) => `${cycle(f)}/reopen`,
    'POST /:locale/admin/plans/:slug/cycles/:code/remind': (f) => `${cycle(f)}/remind`,
    '* /:locale/admin/plans/:slug/cycles/:code/matrix': (f) => `${cycle(f)}/matrix`,
    'GET /:locale/admin/plans/:slug/cycles/:code/matrix.csv': (f) => `${cycle(f)}/matrix.csv`,
    '* /:locale/admin/plans/:slug/cycles/:code/rows/:id': (f) => `${cycle(f)}/rows/${f.rowId}`,
    'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/validate': (f) => `${cycle(f)}/rows/${f.rowId}/validate`,
    'POST /:locale/admin/plans/:slug/cycles/:code/rows/:id/return': (f) => `${cycle(f)}/rows/${f.rowId}/return`,
    'GET /:locale/admin/plans/:slug/cycles/:code/validation': (f) => `${cycle(f)}/validation`,
    '* /:locale/admin/plans/:slug/cycles/:code/review': (f) => `${cycle(f)}/review`,
    '* /:locale/admin/plans/:slug/corrections/:kind/:id': (f) => `${plan(f)}/corrections/action/${f.actionUpdateId}`,
  },
  // A matrix row: one of the tests' department (travaux), one of another institution.
  scoped: Object.fromEntries(['GET', 'POST'].map((m) => [`${m} /:locale/admin/plans/:slug/cycles/:code/rows/:id`, (f: any) => {
    const other = Object.keys(f.rowsByInstitution).find((s) => s !== 'travaux')!;
    return ['travaux', other].map((s) => ({ path: `${cycle(f)}/rows/${f.rowsByInstitution[s]}`, institution: s }));
  }])),
};
const plan = (f: Fixtures) => `/:locale/admin/plans/${f.plan}`;
const cycle = (f: Fixtures) => `${plan(f)}/cycles/${f.cycleCode}`;
export default fixtures;
