import type { Migration } from 'kysely';
import { communeTable, communeRef, json, bool } from '../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-25-0100-governance': {
    async up(db) {
      await communeTable(db, 'bodies')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // steering | forum | gender | disability | youth | other
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('parity', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('decision_rule', 'text', (c) => c.notNull().defaultTo('consensus'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('bodies_slug_u', ['commune_id', 'slug'])
        .execute();
      await db.schema.createIndex('bodies_sort_i').on('bodies').columns(['commune_id', 'sort']).execute();

      let m = communeTable(db, 'body_members')
        .addColumn('body_id', 'integer', (c) => c.notNull())
        .addColumn('person_name', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull()) // civil_society | commune
        .addColumn('institution_id', 'integer')
        .addColumn('role_title', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('until', 'text')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0));
      m = communeRef(m, 'body_members', 'body_id', 'bodies', 'cascade');
      // restrict, not set null: a composite set-null would also null commune_id.
      m = communeRef(m, 'body_members', 'institution_id', 'institutions', 'restrict');
      await m.execute();
      await db.schema.createIndex('body_members_body_i').on('body_members').columns(['commune_id', 'body_id', 'until']).execute();
      await db.schema.createIndex('body_members_institution_i').on('body_members').columns(['commune_id', 'institution_id']).execute();

      let d = communeTable(db, 'body_decisions')
        .addColumn('body_id', 'integer', (c) => c.notNull())
        .addColumn('decided_on', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull()) // consensus | no_consensus
        .addColumn('notes', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0));
      d = communeRef(d, 'body_decisions', 'body_id', 'bodies', 'cascade');
      await d.execute();
      await db.schema.createIndex('body_decisions_body_i').on('body_decisions').columns(['commune_id', 'body_id', 'decided_on']).execute();

      let e = communeTable(db, 'endorsements')
        .addColumn('person_name', 'text', (c) => c.notNull())
        .addColumn('person_title', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('endorsed_on', 'text')
        .addColumn('statement', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0));
      e = communeRef(e, 'endorsements', 'institution_id', 'institutions', 'restrict');
      await e.execute();
      await db.schema.createIndex('endorsements_sort_i').on('endorsements').columns(['commune_id', 'sort']).execute();
    },
  },
};
