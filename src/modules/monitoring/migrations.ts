import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-25-0500-monitoring': {
    async up(db) {
      let r = communeTable(db, 'monitoring_reports')
        .addColumn('plan_id', 'integer', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addUniqueConstraint('monitoring_reports_plan_year_u', ['commune_id', 'plan_id', 'year']);
      r = communeRef(r, 'monitoring_reports', 'plan_id', 'plans', 'restrict');
      await r.execute();

      let v = communeTable(db, 'monitoring_versions')
        .addColumn('report_id', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('correction_note', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('published_at', ts)
        .addColumn('published_by', 'integer')
        .addUniqueConstraint('monitoring_versions_u', ['commune_id', 'report_id', 'version']);
      v = communeRef(v, 'monitoring_versions', 'report_id', 'monitoring_reports', 'cascade');
      await v.execute();

      let s = communeTable(db, 'monitoring_sections')
        .addColumn('version_id', 'integer', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('heading', json, (c) => c.notNull())
        .addColumn('body', json, (c) => c.notNull());
      s = communeRef(s, 'monitoring_sections', 'version_id', 'monitoring_versions', 'cascade');
      await s.execute();
      await db.schema.createIndex('monitoring_sections_version_i').on('monitoring_sections').columns(['commune_id', 'version_id', 'sort']).execute();

      let a = communeTable(db, 'monitoring_assessments')
        .addColumn('version_id', 'integer', (c) => c.notNull())
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('completion', 'text', (c) => c.notNull())
        .addColumn('open_gov', 'text')
        .addColumn('justification', json, (c) => c.notNull())
        .addColumn('links', json, (c) => c.notNull().defaultTo('[]'))
        .addUniqueConstraint('monitoring_assessments_u', ['commune_id', 'version_id', 'commitment_id']);
      a = communeRef(a, 'monitoring_assessments', 'version_id', 'monitoring_versions', 'cascade');
      // A commitment the monitor assessed cannot silently disappear.
      a = communeRef(a, 'monitoring_assessments', 'commitment_id', 'commitments', 'restrict');
      await a.execute();
      await db.schema.createIndex('monitoring_assessments_commitment_i').on('monitoring_assessments').columns(['commune_id', 'commitment_id']).execute();

      let af = communeTable(db, 'monitoring_assessment_files')
        .addColumn('assessment_id', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0));
      af = communeRef(af, 'monitoring_assessment_files', 'assessment_id', 'monitoring_assessments', 'cascade');
      af = communeRef(af, 'monitoring_assessment_files', 'file_id', 'files', 'restrict');
      await af.execute();
      await db.schema.createIndex('monitoring_assessment_files_i').on('monitoring_assessment_files').columns(['commune_id', 'assessment_id']).execute();

      let rec = communeTable(db, 'monitoring_recommendations')
        .addColumn('version_id', 'integer', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('body', json, (c) => c.notNull())
        .addColumn('institution_id', 'integer')
        .addColumn('addressed_to', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('priority', 'text', (c) => c.notNull())
        .addUniqueConstraint('monitoring_recommendations_u', ['commune_id', 'version_id', 'number']);
      rec = communeRef(rec, 'monitoring_recommendations', 'version_id', 'monitoring_versions', 'cascade');
      rec = communeRef(rec, 'monitoring_recommendations', 'institution_id', 'institutions', 'restrict');
      await rec.execute();

      let resp = communeTable(db, 'monitoring_responses')
        .addColumn('report_id', 'integer', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('measure', json, (c) => c.notNull())
        .addColumn('owner_institution_id', 'integer')
        .addColumn('due_date', 'text')
        .addColumn('status', 'text')
        .addColumn('responded_at', ts, (c) => c.notNull())
        .addColumn('responded_by', 'integer')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addUniqueConstraint('monitoring_responses_u', ['commune_id', 'report_id', 'number']);
      resp = communeRef(resp, 'monitoring_responses', 'report_id', 'monitoring_reports', 'cascade');
      resp = communeRef(resp, 'monitoring_responses', 'owner_institution_id', 'institutions', 'restrict');
      await resp.execute();

      let up = communeTable(db, 'monitoring_response_updates')
        .addColumn('response_id', 'integer', (c) => c.notNull())
        .addColumn('on_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', json, (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer');
      up = communeRef(up, 'monitoring_response_updates', 'response_id', 'monitoring_responses', 'cascade');
      await up.execute();
      await db.schema.createIndex('monitoring_response_updates_i').on('monitoring_response_updates').columns(['commune_id', 'response_id', 'on_date']).execute();

      let e = communeTable(db, 'monitoring_end_assessments')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('open_gov', 'text', (c) => c.notNull())
        .addColumn('justification', json, (c) => c.notNull())
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .addUniqueConstraint('monitoring_end_assessments_u', ['commune_id', 'commitment_id']);
      e = communeRef(e, 'monitoring_end_assessments', 'commitment_id', 'commitments', 'restrict');
      await e.execute();

      let ef = communeTable(db, 'monitoring_end_assessment_files')
        .addColumn('end_assessment_id', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0));
      ef = communeRef(ef, 'monitoring_end_assessment_files', 'end_assessment_id', 'monitoring_end_assessments', 'cascade');
      ef = communeRef(ef, 'monitoring_end_assessment_files', 'file_id', 'files', 'restrict');
      await ef.execute();
    },
  },
};
