import type { Migration } from 'kysely';
import { communeTable, communeRef, json, bool, ts } from '../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-06-4000-participation-processes': {
    async up(db) {
      let p = communeTable(db, 'processes')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('plan_id', 'integer')
        .addColumn('body_id', 'integer')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft')) // draft | open | finished
        .addColumn('results', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addUniqueConstraint('processes_slug_u', ['commune_id', 'slug']);
      p = communeRef(p, 'processes', 'plan_id', 'plans', 'restrict');
      p = communeRef(p, 'processes', 'body_id', 'bodies', 'restrict');
      await p.execute();

      let ph = communeTable(db, 'process_phases')
        .addColumn('process_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0));
      ph = communeRef(ph, 'process_phases', 'process_id', 'processes', 'cascade');
      await ph.execute();
      await db.schema.createIndex('process_phases_process_i').on('process_phases').columns(['commune_id', 'process_id', 'sort']).execute();

      let m = communeTable(db, 'meetings')
        .addColumn('process_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('agenda', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('mode', 'text', (c) => c.notNull().defaultTo('in_person'))
        .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('district', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('starts_at', ts, (c) => c.notNull())
        .addColumn('ends_at', ts, (c) => c.notNull())
        .addColumn('capacity', 'integer')
        .addColumn('registration_opens_at', ts)
        .addColumn('registration_closes_at', ts)
        .addColumn('invitation_only', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled'))
        .addColumn('minutes', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('outcomes', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('targets', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', ts, (c) => c.notNull());
      m = communeRef(m, 'meetings', 'process_id', 'processes', 'cascade');
      await m.execute();
      await db.schema.createIndex('meetings_process_i').on('meetings').columns(['commune_id', 'process_id', 'starts_at']).execute();
      await db.schema.createIndex('meetings_starts_i').on('meetings').columns(['commune_id', 'starts_at']).execute();

      let pa = communeTable(db, 'participants')
        .addColumn('user_id', 'integer')
        .addColumn('name', 'text')
        .addColumn('email', 'text')
        .addColumn('email_normalized', 'text')
        .addColumn('phone', 'text')
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('organisation', 'text')
        .addColumn('org_type', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('age_band', 'text')
        .addColumn('sex', 'text')
        .addColumn('district', 'text')
        .addColumn('activist', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('expert', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('resource_person', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sector', 'text')
        .addColumn('consent_at', ts)
        .addColumn('erased_at', ts)
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull());
      pa = communeRef(pa, 'participants', 'user_id', 'users', 'restrict');
      await pa.execute();
      // One record per person: by email, and by account (NULLs are distinct on both engines).
      await db.schema.createIndex('participants_email_u').on('participants').columns(['commune_id', 'email_normalized']).unique().execute();
      await db.schema.createIndex('participants_user_u').on('participants').columns(['commune_id', 'user_id']).unique().execute();

      let r = communeTable(db, 'registrations')
        .addColumn('meeting_id', 'integer', (c) => c.notNull())
        .addColumn('participant_id', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // registered | waiting | cancelled
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('cancel_token_hash', 'text', (c) => c.notNull())
        .addColumn('attended', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('group_label', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        // Registering twice (parallel requests included) finds this constraint.
        .addUniqueConstraint('registrations_person_u', ['commune_id', 'meeting_id', 'participant_id'])
        .addUniqueConstraint('registrations_token_u', ['commune_id', 'cancel_token_hash']);
      r = communeRef(r, 'registrations', 'meeting_id', 'meetings', 'cascade');
      r = communeRef(r, 'registrations', 'participant_id', 'participants', 'cascade');
      await r.execute();
      await db.schema.createIndex('registrations_meeting_i').on('registrations').columns(['commune_id', 'meeting_id', 'status', 'id']).execute();
      await db.schema.createIndex('registrations_participant_i').on('registrations').columns(['commune_id', 'participant_id']).execute();

      let inv = communeTable(db, 'invitations')
        .addColumn('meeting_id', 'integer', (c) => c.notNull())
        .addColumn('participant_id', 'integer', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // sent | accepted | declined
        .addColumn('sent_at', ts, (c) => c.notNull())
        .addColumn('answered_at', ts)
        .addUniqueConstraint('invitations_person_u', ['commune_id', 'meeting_id', 'participant_id'])
        .addUniqueConstraint('invitations_token_u', ['commune_id', 'token_hash']);
      inv = communeRef(inv, 'invitations', 'meeting_id', 'meetings', 'cascade');
      inv = communeRef(inv, 'invitations', 'participant_id', 'participants', 'cascade');
      await inv.execute();

      let pr = communeTable(db, 'proposals')
        .addColumn('process_id', 'integer', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('theme', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('district', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('photo_file_id', 'integer')
        .addColumn('author_user_id', 'integer')
        .addColumn('author_participant_id', 'integer')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'integer')
        .addColumn('status', 'text', (c) => c.notNull()) // unconfirmed | published | hidden
        .addColumn('hidden_reason', 'text')
        .addColumn('confirm_token_hash', 'text')
        .addColumn('answer', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('answer_text', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('merged_into_id', 'integer')
        .addColumn('commitment_id', 'integer')
        .addColumn('answered_at', ts)
        .addColumn('supports', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('proposals_number_u', ['commune_id', 'process_id', 'number']);
      pr = communeRef(pr, 'proposals', 'process_id', 'processes', 'cascade');
      pr = communeRef(pr, 'proposals', 'commitment_id', 'commitments', 'restrict');
      pr = communeRef(pr, 'proposals', 'author_participant_id', 'participants', 'restrict');
      await pr.execute();
      // The list sorted by supports (and by date), filtered by theme or district, paginated in SQL.
      await db.schema.createIndex('proposals_supports_i').on('proposals').columns(['commune_id', 'process_id', 'status', 'supports', 'id']).execute();
      await db.schema.createIndex('proposals_recent_i').on('proposals').columns(['commune_id', 'process_id', 'status', 'id']).execute();
      await db.schema.createIndex('proposals_theme_i').on('proposals').columns(['commune_id', 'process_id', 'status', 'theme', 'supports']).execute();
      await db.schema.createIndex('proposals_commitment_i').on('proposals').columns(['commune_id', 'commitment_id']).execute();
      await db.schema.createIndex('proposals_author_i').on('proposals').columns(['commune_id', 'author_participant_id']).execute();

      let s = communeTable(db, 'proposal_supports')
        .addColumn('proposal_id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        // One support per person: the database refuses the second, whatever the timing.
        .addUniqueConstraint('proposal_supports_u', ['commune_id', 'proposal_id', 'user_id']);
      s = communeRef(s, 'proposal_supports', 'proposal_id', 'proposals', 'cascade');
      s = communeRef(s, 'proposal_supports', 'user_id', 'users', 'cascade');
      await s.execute();
      await db.schema.createIndex('proposal_supports_user_i').on('proposal_supports').columns(['commune_id', 'user_id']).execute();
    },
  },
};
