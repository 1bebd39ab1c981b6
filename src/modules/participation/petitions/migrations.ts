import type { Migration } from 'kysely';
import { communeTable, communeRef, bool } from '../../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-06-5100-petitions-tables': {
    async up(db) {
      await db.schema.createTable('petition_settings')
        .addColumn('commune_id', 'integer', (c) => c.primaryKey().references('communes.id'))
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await communeTable(db, 'petitions')
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('requested_action', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('promoter_user_id', 'integer', (c) => c.notNull())
        .addColumn('promoter_name', 'text', (c) => c.notNull())
        .addColumn('association_name', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('threshold', 'integer', (c) => c.notNull())
        .addColumn('online_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('paper_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('filed_at', 'text')
        .addColumn('decision_due_on', 'text')
        .addColumn('admissibility_at', 'text')
        .addColumn('refusal_reason', 'text')
        // A council session of the transparency module once it has them; until then its date and reference as text.
        .addColumn('council_session_id', 'integer')
        .addColumn('session_date', 'text')
        .addColumn('session_reference', 'text')
        .addColumn('council_decision', 'text')
        .addColumn('council_decided_on', 'text')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('petitions_reference_u', ['commune_id', 'reference'])
        .execute();
      await db.schema.createIndex('petitions_list_i').on('petitions').columns(['commune_id', 'status', 'id']).execute();
      let s = communeTable(db, 'petition_signatures')
        .addColumn('petition_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull()) // online | paper
        .addColumn('user_id', 'integer')
        .addColumn('identity_hash', 'text', (c) => c.notNull())
        .addColumn('entered_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        // One signature per person (national ID) and per account, whichever channel: enforced here.
        .addUniqueConstraint('petition_signatures_identity_u', ['commune_id', 'petition_id', 'identity_hash'])
        .addUniqueConstraint('petition_signatures_user_u', ['commune_id', 'petition_id', 'user_id']);
      s = communeRef(s, 'petition_signatures', 'petition_id', 'petitions', 'cascade');
      await s.execute();
      let e = communeTable(db, 'petition_events')
        .addColumn('petition_id', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text');
      e = communeRef(e, 'petition_events', 'petition_id', 'petitions', 'cascade');
      await e.execute();
      await db.schema.createIndex('petition_events_i').on('petition_events').columns(['commune_id', 'petition_id', 'id']).execute();
    },
  },
};
