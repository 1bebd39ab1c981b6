import type { ModuleFixtures, Fixtures } from '../../core/module.ts';
import { writeFile } from '../../core/files/index.ts';
import { startCorrection } from './service.ts';

/**
 * The first report with a published version (its public pages, the answers), put under correction so that the
 * editor's pages have a draft; an evidence file (its bytes carry the marker) on a published assessment.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const c = f.commune.id;
    const one = async (q: Promise<any>, what: string) => { const r = await q; if (r === undefined) throw new Error(`monitoring fixtures: no ${what}`); return r; };
    const first = (table: string, where: Record<string, unknown> = {}) => {
      let q = db.selectFrom(table).selectAll().where('commune_id', '=', c);
      for (const [k, v] of Object.entries(where)) q = q.where(k, '=', v);
      return q.orderBy('id').limit(1).executeTakeFirst();
    };
    const reportRow = await one(db.selectFrom('monitoring_reports as r').innerJoin('monitoring_versions as v', (j: any) => j.onRef('v.report_id', '=', 'r.id').onRef('v.commune_id', '=', 'r.commune_id'))
      .select(['r.id', 'v.id as version_id']).where('r.commune_id', '=', c).where('v.status', '=', 'published').orderBy('r.id').orderBy('v.version', 'desc').limit(1).executeTakeFirst(), 'published monitoring report');
    const publishedAssessment = await one(first('monitoring_assessments', { version_id: reportRow.version_id }), 'monitoring assessment');
    const latest = () => one(db.selectFrom('monitoring_versions').selectAll().where('commune_id', '=', c).where('report_id', '=', reportRow.id).orderBy('version', 'desc').limit(1).executeTakeFirst(), 'version');
    if ((await latest()).status === 'published') await startCorrection(ctx, reportRow.id, { note_fr: `Correction ${f.marker}` });
    const draft = await latest();
    const section = await one(first('monitoring_sections', { version_id: draft.id }), 'monitoring section');
    const assessment = await one(first('monitoring_assessments', { version_id: draft.id }), 'monitoring assessment');
    const recommendation = await one(first('monitoring_recommendations', { version_id: draft.id }), 'monitoring recommendation');
    const end = await one(first('monitoring_end_assessments'), 'end-of-commitment assessment');
    const pdf = Buffer.from(`%PDF-1.4\n% ${f.marker}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    const monitoringFileId = await ctx.db.transaction().execute(async (trx) => {
      const file = await writeFile(trx, f.dataDir, c, { data: pdf, kind: 'pdf', name: `preuve-${f.marker}.pdf` }, null);
      await (trx as any).insertInto('monitoring_assessment_files').values({ commune_id: c, assessment_id: publishedAssessment.id, file_id: file.id, sort: 0 }).execute();
      return file.id;
    });
    return {
      reportId: reportRow.id, sectionId: section.id, assessmentId: assessment.id, recommendationId: recommendation.id, recommendationNumber: recommendation.number,
      endCommitmentId: end.commitment_id, monitoringFileId,
    };
  },
  samples: {
    'GET /:locale/plans/:slug/monitoring': (f) => `/:locale/plans/${f.plan}/monitoring`,
    'GET /:locale/monitoring/:id': (f) => `/:locale/monitoring/${f.reportId}`,
    'GET /:locale/monitoring/:id(^\\d{1,9}).pdf': (f) => `/:locale/monitoring/${f.reportId}.pdf`,
    'GET /:locale/monitoring/files/:fileId': (f) => `/:locale/monitoring/files/${f.monitoringFileId}`,
    '* /:locale/admin/monitoring': () => '/:locale/admin/monitoring',
    'GET /:locale/admin/monitoring/:id': (f) => report(f),
    'GET /:locale/admin/monitoring/:id/preview': (f) => `${report(f)}/preview`,
    'POST /:locale/admin/monitoring/:id/title': (f) => `${report(f)}/title`,
    'POST /:locale/admin/monitoring/:id/publish': (f) => `${report(f)}/publish`,
    'POST /:locale/admin/monitoring/:id/correction': (f) => `${report(f)}/correction`,
    '* /:locale/admin/monitoring/:id/sections/new': (f) => `${report(f)}/sections/new`,
    '* /:locale/admin/monitoring/:id/sections/:sid': (f) => `${report(f)}/sections/${f.sectionId}`,
    'POST /:locale/admin/monitoring/:id/sections/:sid/up': (f) => `${report(f)}/sections/${f.sectionId}/up`,
    'POST /:locale/admin/monitoring/:id/sections/:sid/down': (f) => `${report(f)}/sections/${f.sectionId}/down`,
    'POST /:locale/admin/monitoring/:id/sections/:sid/delete': (f) => `${report(f)}/sections/${f.sectionId}/delete`,
    '* /:locale/admin/monitoring/:id/assessments/new': (f) => `${report(f)}/assessments/new`,
    '* /:locale/admin/monitoring/:id/assessments/:aid': (f) => `${report(f)}/assessments/${f.assessmentId}`,
    'POST /:locale/admin/monitoring/:id/assessments/:aid/delete': (f) => `${report(f)}/assessments/${f.assessmentId}/delete`,
    '* /:locale/admin/monitoring/:id/recommendations/new': (f) => `${report(f)}/recommendations/new`,
    '* /:locale/admin/monitoring/:id/recommendations/:rid': (f) => `${report(f)}/recommendations/${f.recommendationId}`,
    'POST /:locale/admin/monitoring/:id/recommendations/:rid/delete': (f) => `${report(f)}/recommendations/${f.recommendationId}/delete`,
    'GET /:locale/admin/monitoring/responses': () => '/:locale/admin/monitoring/responses',
    '* /:locale/admin/monitoring/:id/answers/:number': (f) => `${report(f)}/answers/${f.recommendationNumber}`,
    'POST /:locale/admin/monitoring/:id/answers/:number/updates': (f) => `${report(f)}/answers/${f.recommendationNumber}/updates`,
    'GET /:locale/admin/monitoring/end-assessments': () => '/:locale/admin/monitoring/end-assessments',
    '* /:locale/admin/monitoring/end-assessments/:cid': (f) => `/:locale/admin/monitoring/end-assessments/${f.endCommitmentId}`,
  },
};
const report = (f: Fixtures) => `/:locale/admin/monitoring/${f.reportId}`;
export default fixtures;
