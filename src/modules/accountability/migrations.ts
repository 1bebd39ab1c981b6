import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../core/db/schema.ts';
import sdg from './sdg.json' with { type: 'json' };

const num = 'double precision' as const;

export const migrations: Record<string, Migration> = {
  '2026-11-25-0200-accountability-plans': {
    async up(db) {
      await communeTable(db, 'plans')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // pac | ogp | thematic
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('period_start', 'text', (c) => c.notNull())
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('submitted_on', 'text')
        .addColumn('vision', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('guidelines', json, (c) => c.notNull().defaultTo('[]'))
        .addColumn('objectives', json, (c) => c.notNull().defaultTo('[]'))
        .addColumn('cocreation', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('plans_slug_u', ['commune_id', 'slug'])
        .execute();
      let pi = communeTable(db, 'plan_institutions')
        .addColumn('plan_id', 'integer', (c) => c.notNull())
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('lead'))
        .addUniqueConstraint('plan_institutions_u', ['commune_id', 'plan_id', 'institution_id']);
      pi = communeRef(pi, 'plan_institutions', 'plan_id', 'plans', 'cascade');
      pi = communeRef(pi, 'plan_institutions', 'institution_id', 'institutions', 'cascade');
      await pi.execute();
      let c = communeTable(db, 'commitments')
        .addColumn('plan_id', 'integer', (c) => c.notNull())
        .addColumn('parent_id', 'integer')
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('commitments_number_u', ['commune_id', 'plan_id', 'number']);
      c = communeRef(c, 'commitments', 'plan_id', 'plans', 'cascade');
      c = communeRef(c, 'commitments', 'parent_id', 'commitments', 'cascade');
      await c.execute();
      await db.schema.createIndex('commitments_parent_i').on('commitments').columns(['commune_id', 'plan_id', 'parent_id', 'sort']).execute();
    },
  },
  /** The commitment model of issue 3: details, institutions, SDGs, actions, indicators. */
  '2026-11-25-0210-accountability-model': {
    async up(db) {
      // SQLite adds one column per ALTER TABLE.
      await db.schema.alterTable('commitments').addColumn('problem', json, (c) => c.notNull().defaultTo('{}')).execute();
      await db.schema.alterTable('commitments').addColumn('ogp_values', json, (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('commitments').addColumn('start_date', 'text').execute();
      await db.schema.alterTable('commitments').addColumn('end_date', 'text').execute();
      await db.schema.alterTable('commitments').addColumn('budget_note', json, (c) => c.notNull().defaultTo('{}')).execute();
      await db.schema.alterTable('commitments').addColumn('weight', num).execute();

      let ci = communeTable(db, 'commitment_institutions')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull()) // lead | support | partner
        .addUniqueConstraint('commitment_institutions_u', ['commune_id', 'commitment_id', 'institution_id', 'role']);
      ci = communeRef(ci, 'commitment_institutions', 'commitment_id', 'commitments', 'cascade');
      ci = communeRef(ci, 'commitment_institutions', 'institution_id', 'institutions', 'restrict');
      await ci.execute();
      await db.schema.createIndex('commitment_institutions_inst_i').on('commitment_institutions').columns(['commune_id', 'institution_id', 'role']).execute();

      // SDG reference data: the same for every commune, loaded once here.
      await db.schema.createTable('sdg_goals')
        .addColumn('code', 'integer', (c) => c.primaryKey())
        .addColumn('color', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .execute();
      await db.schema.createTable('sdg_targets')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('goal', 'integer', (c) => c.notNull().references('sdg_goals.code'))
        .addColumn('text', json, (c) => c.notNull().defaultTo('{}'))
        .execute();
      for (const g of sdg.goals) {
        await db.insertInto('sdg_goals').values({ code: g.code, color: g.color, title: JSON.stringify(g.title) }).execute();
        await db.insertInto('sdg_targets').values(g.targets.map((code) => ({ code, goal: g.code, text: '{}' }))).execute();
      }
      await communeTable(db, 'local_targets')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('target_code', 'text', (c) => c.notNull().references('sdg_targets.code'))
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('local_targets_code_u', ['commune_id', 'code'])
        .execute();
      let cs = communeTable(db, 'commitment_sdgs')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('goal', 'integer', (c) => c.notNull().references('sdg_goals.code'))
        .addColumn('target', 'text'); // an SDG target (11.1) or a local target (11.1.1)
      cs = communeRef(cs, 'commitment_sdgs', 'commitment_id', 'commitments', 'cascade');
      await cs.execute();
      await db.schema.createIndex('commitment_sdgs_c_i').on('commitment_sdgs').columns(['commune_id', 'commitment_id']).execute();
      await db.schema.createIndex('commitment_sdgs_goal_i').on('commitment_sdgs').columns(['commune_id', 'goal']).execute();

      let a = communeTable(db, 'actions')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('expected_result', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('start_date', 'text')
        .addColumn('end_date', 'text')
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull());
      a = communeRef(a, 'actions', 'commitment_id', 'commitments', 'cascade');
      a = communeRef(a, 'actions', 'institution_id', 'institutions', 'restrict');
      await a.execute();
      await db.schema.createIndex('actions_commitment_i').on('actions').columns(['commune_id', 'commitment_id', 'sort']).execute();
      await db.schema.createIndex('actions_institution_i').on('actions').columns(['commune_id', 'institution_id']).execute();

      let ind = communeTable(db, 'indicators')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // result | impact
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('definition', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('unit', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('direction', 'text', (c) => c.notNull()) // up | down
        .addColumn('baseline_value', num)
        .addColumn('baseline_date', 'text')
        .addColumn('target_value', num)
        .addColumn('target_date', 'text')
        .addColumn('source', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull());
      ind = communeRef(ind, 'indicators', 'commitment_id', 'commitments', 'cascade');
      ind = communeRef(ind, 'indicators', 'institution_id', 'institutions', 'restrict');
      await ind.execute();
      await db.schema.createIndex('indicators_commitment_i').on('indicators').columns(['commune_id', 'commitment_id', 'sort']).execute();
    },
  },
  /** The reporting cycle (monitoring matrix), published figures, evidence and steering decisions. */
  '2026-11-25-0211-accountability-cycle': {
    async up(db) {
      let rc = communeTable(db, 'reporting_cycles')
        .addColumn('plan_id', 'integer', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // open | closed
        .addColumn('opened_at', ts, (c) => c.notNull())
        .addColumn('opened_by', 'integer')
        .addColumn('closed_at', ts)
        .addColumn('last_published_at', ts)
        .addUniqueConstraint('reporting_cycles_code_u', ['commune_id', 'plan_id', 'code']);
      rc = communeRef(rc, 'reporting_cycles', 'plan_id', 'plans', 'cascade');
      await rc.execute();

      let mr = communeTable(db, 'matrix_rows')
        .addColumn('cycle_id', 'integer', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull()) // a:<action id> | i:<indicator id>
        .addColumn('kind', 'text', (c) => c.notNull()) // action | indicator
        .addColumn('action_id', 'integer')
        .addColumn('indicator_id', 'integer')
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull()) // pending | submitted | returned | validated | published
        .addColumn('status', 'text')
        .addColumn('progress', 'integer')
        .addColumn('value', num)
        .addColumn('difficulties', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('answer', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', ts)
        .addColumn('updated_by', 'integer')
        .addColumn('submitted_at', ts)
        .addColumn('validated_at', ts)
        .addColumn('validated_by', 'integer')
        .addColumn('published_at', ts)
        .addUniqueConstraint('matrix_rows_item_u', ['commune_id', 'cycle_id', 'item_key']);
      mr = communeRef(mr, 'matrix_rows', 'cycle_id', 'reporting_cycles', 'cascade');
      mr = communeRef(mr, 'matrix_rows', 'action_id', 'actions', 'restrict');
      mr = communeRef(mr, 'matrix_rows', 'indicator_id', 'indicators', 'restrict');
      mr = communeRef(mr, 'matrix_rows', 'institution_id', 'institutions', 'restrict');
      await mr.execute();
      await db.schema.createIndex('matrix_rows_dept_i').on('matrix_rows').columns(['commune_id', 'cycle_id', 'institution_id', 'state']).execute();

      let ev = communeTable(db, 'row_events')
        .addColumn('row_id', 'integer', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''));
      ev = communeRef(ev, 'row_events', 'row_id', 'matrix_rows', 'cascade');
      await ev.execute();
      await db.schema.createIndex('row_events_row_i').on('row_events').columns(['commune_id', 'row_id']).execute();

      let au = communeTable(db, 'action_updates')
        .addColumn('action_id', 'integer', (c) => c.notNull())
        .addColumn('cycle_id', 'integer')
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'integer', (c) => c.notNull())
        .addColumn('difficulties', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('supersedes_id', 'integer')
        .addColumn('row_id', 'integer')
        .addColumn('published_at', ts, (c) => c.notNull())
        .addColumn('published_by', 'integer')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0));
      au = communeRef(au, 'action_updates', 'action_id', 'actions', 'restrict');
      au = communeRef(au, 'action_updates', 'cycle_id', 'reporting_cycles', 'restrict');
      au = communeRef(au, 'action_updates', 'supersedes_id', 'action_updates', 'restrict');
      au = communeRef(au, 'action_updates', 'row_id', 'matrix_rows', 'restrict');
      await au.execute();
      await db.schema.createIndex('action_updates_current_i').on('action_updates').columns(['commune_id', 'action_id', 'period_end', 'version']).execute();

      let ms = communeTable(db, 'measurements')
        .addColumn('indicator_id', 'integer', (c) => c.notNull())
        .addColumn('cycle_id', 'integer')
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('value', num, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('supersedes_id', 'integer')
        .addColumn('row_id', 'integer')
        .addColumn('entered_by', 'integer')
        .addColumn('validated_by', 'integer')
        .addColumn('published_at', ts, (c) => c.notNull())
        .addColumn('published_by', 'integer')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0));
      ms = communeRef(ms, 'measurements', 'indicator_id', 'indicators', 'restrict');
      ms = communeRef(ms, 'measurements', 'cycle_id', 'reporting_cycles', 'restrict');
      ms = communeRef(ms, 'measurements', 'supersedes_id', 'measurements', 'restrict');
      ms = communeRef(ms, 'measurements', 'row_id', 'matrix_rows', 'restrict');
      await ms.execute();
      await db.schema.createIndex('measurements_current_i').on('measurements').columns(['commune_id', 'indicator_id', 'period_end', 'version']).execute();

      let e = communeTable(db, 'evidence')
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addColumn('action_id', 'integer')
        .addColumn('indicator_id', 'integer')
        .addColumn('measurement_id', 'integer')
        .addColumn('row_id', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull()) // file | link
        .addColumn('file_id', 'integer')
        .addColumn('url', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('visibility', 'text', (c) => c.notNull()) // public | internal
        .addColumn('created_by', 'integer')
        .addColumn('created_at', ts, (c) => c.notNull());
      e = communeRef(e, 'evidence', 'commitment_id', 'commitments', 'restrict');
      e = communeRef(e, 'evidence', 'action_id', 'actions', 'restrict');
      e = communeRef(e, 'evidence', 'indicator_id', 'indicators', 'restrict');
      e = communeRef(e, 'evidence', 'measurement_id', 'measurements', 'restrict');
      e = communeRef(e, 'evidence', 'row_id', 'matrix_rows', 'restrict');
      e = communeRef(e, 'evidence', 'file_id', 'files', 'restrict');
      await e.execute();
      await db.schema.createIndex('evidence_commitment_i').on('evidence').columns(['commune_id', 'commitment_id']).execute();
      await db.schema.createIndex('evidence_row_i').on('evidence').columns(['commune_id', 'row_id']).execute();

      let sd = communeTable(db, 'steering_decisions')
        .addColumn('cycle_id', 'integer', (c) => c.notNull())
        .addColumn('decided_on', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull()) // consensus | no_consensus
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('measures', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_by', 'integer')
        .addColumn('created_at', ts, (c) => c.notNull());
      sd = communeRef(sd, 'steering_decisions', 'cycle_id', 'reporting_cycles', 'restrict');
      await sd.execute();
      let sdr = communeTable(db, 'steering_decision_rows')
        .addColumn('decision_id', 'integer', (c) => c.notNull())
        .addColumn('row_id', 'integer', (c) => c.notNull())
        .addUniqueConstraint('steering_decision_rows_u', ['commune_id', 'decision_id', 'row_id']);
      sdr = communeRef(sdr, 'steering_decision_rows', 'decision_id', 'steering_decisions', 'cascade');
      sdr = communeRef(sdr, 'steering_decision_rows', 'row_id', 'matrix_rows', 'restrict');
      await sdr.execute();
      await db.schema.createIndex('steering_decision_rows_row_i').on('steering_decision_rows').columns(['commune_id', 'row_id']).execute();
    },
  },
  // The text a commune types for an SDG target is its own: one commune's administrator must not change what
  // another commune shows (sdg_targets.text stays the instance's default, shown where a commune typed none).
  '2026-11-26-0100-accountability-sdg-texts': {
    async up(db) {
      await communeTable(db, 'sdg_target_texts')
        .addColumn('code', 'text', (c) => c.notNull().references('sdg_targets.code'))
        .addColumn('text', json, (c) => c.notNull())
        .addUniqueConstraint('sdg_target_texts_u', ['commune_id', 'code'])
        .execute();
    },
  },
};
