import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../core/db/schema.ts';

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
};
