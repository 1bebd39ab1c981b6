import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../core/db/schema.ts';

/**
 * Composite foreign keys use `restrict`, never `set null`: a composite set-null would also null
 * commune_id. Indexes lead with commune_id and serve: the public list (newest first, by status,
 * category, district, date), the staff queues (institution, assignee, status, due day), the
 * escalation scan (status, due day), "similar requests nearby" (category, district, status), and
 * the dashboards (district, category, institution, channel, month).
 */
export const migrations: Record<string, Migration> = {
  '2026-11-25-0400-requests': {
    async up(db) {
      await communeTable(db, 'request_districts')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('population', 'integer')
        .addColumn('geometry', 'text')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('request_districts_slug_u', ['commune_id', 'slug'])
        .execute();

      await communeRef(communeTable(db, 'request_categories')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('sla_days', 'integer', (c) => c.notNull())
        .addColumn('active', bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('request_categories_slug_u', ['commune_id', 'slug']), 'request_categories', 'institution_id', 'institutions', 'restrict')
        .execute();

      await communeRef(communeTable(db, 'request_questions')
        .addColumn('category_id', 'integer', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', json, (c) => c.notNull())
        .addColumn('hint', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('required', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('options', json, (c) => c.notNull().defaultTo('[]'))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('request_questions_code_u', ['commune_id', 'category_id', 'code']), 'request_questions', 'category_id', 'request_categories', 'cascade')
        .execute();

      let r = communeTable(db, 'requests')
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tracking_hash', 'text', (c) => c.notNull())
        .addColumn('category_id', 'integer', (c) => c.notNull())
        .addColumn('district_id', 'integer')
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('assignee_id', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reject_reason', 'text')
        .addColumn('duplicate_of_id', 'integer')
        .addColumn('referral', 'text')
        .addColumn('public_note', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lat', 'double precision')
        .addColumn('lng', 'double precision')
        .addColumn('answers', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('reporter_user_id', 'integer')
        .addColumn('reporter_name', 'text')
        .addColumn('name_public', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('reporter_email', 'text')
        .addColumn('reporter_phone', 'text')
        .addColumn('reporter_locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('entered_by', 'integer')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_month', 'text', (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('acknowledged_at', ts)
        .addColumn('first_response_at', ts)
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('resolved_at', ts)
        .addColumn('closed_at', ts)
        .addColumn('within_target', bool)
        .addColumn('resolution_days', 'integer')
        .addColumn('resolution_hours', 'integer')
        .addColumn('escalated_at', ts)
        .addColumn('fixed', bool)
        .addColumn('satisfaction', 'integer')
        .addColumn('satisfaction_comment', 'text')
        .addColumn('feedback_at', ts)
        .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('contest_status', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('requests_reference_u', ['commune_id', 'reference'])
        .addUniqueConstraint('requests_tracking_u', ['commune_id', 'tracking_hash'])
        .addUniqueConstraint('requests_seq_u', ['commune_id', 'year', 'seq']);
      r = communeRef(r, 'requests', 'category_id', 'request_categories', 'restrict');
      r = communeRef(r, 'requests', 'district_id', 'request_districts', 'restrict');
      r = communeRef(r, 'requests', 'institution_id', 'institutions', 'restrict');
      r = communeRef(r, 'requests', 'assignee_id', 'users', 'restrict');
      r = communeRef(r, 'requests', 'duplicate_of_id', 'requests', 'restrict');
      r = communeRef(r, 'requests', 'reporter_user_id', 'users', 'restrict');
      r = communeRef(r, 'requests', 'entered_by', 'users', 'restrict');
      await r.execute();
      const idx = (name: string, columns: string[]) => db.schema.createIndex(name).on('requests').columns(columns).execute();
      // Public list: newest first (id order), open (closed_at null) or by status, category, district; date range.
      await idx('requests_status_i', ['commune_id', 'status', 'id']);
      await idx('requests_open_i', ['commune_id', 'closed_at', 'id']);
      await idx('requests_category_i', ['commune_id', 'category_id', 'id']);
      await idx('requests_district_i', ['commune_id', 'district_id', 'id']);
      await idx('requests_created_i', ['commune_id', 'created_at']);
      // "Similar open requests nearby": same category, open, within a latitude band (then longitude, then exact distance).
      await idx('requests_nearby_i', ['commune_id', 'category_id', 'closed_at', 'lat']);
      // Queues and escalation: per institution, per assignee, overdue scan.
      await idx('requests_queue_i', ['commune_id', 'institution_id', 'status', 'due_on']);
      await idx('requests_assignee_i', ['commune_id', 'assignee_id', 'status']);
      await idx('requests_due_i', ['commune_id', 'status', 'due_on']);
      // Dashboards and "similar in the same district": district × category (open ones have no closed_at), month × channel, duplicates, a user's own requests.
      await idx('requests_district_category_i', ['commune_id', 'district_id', 'category_id', 'closed_at']);
      await idx('requests_month_i', ['commune_id', 'created_month', 'channel']);
      await idx('requests_duplicate_i', ['commune_id', 'duplicate_of_id']);
      await idx('requests_reporter_i', ['commune_id', 'reporter_user_id']);

      let p = communeTable(db, 'request_photos')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('hidden', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull());
      p = communeRef(p, 'request_photos', 'request_id', 'requests', 'cascade');
      p = communeRef(p, 'request_photos', 'file_id', 'files', 'restrict');
      await p.execute();
      await db.schema.createIndex('request_photos_request_i').on('request_photos').columns(['commune_id', 'request_id']).execute();

      let e = communeTable(db, 'request_events')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('public', bool, (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('body', 'text')
        .addColumn('data', json, (c) => c.notNull().defaultTo('{}'));
      e = communeRef(e, 'request_events', 'request_id', 'requests', 'cascade');
      e = communeRef(e, 'request_events', 'actor_id', 'users', 'restrict');
      await e.execute();
      await db.schema.createIndex('request_events_request_i').on('request_events').columns(['commune_id', 'request_id', 'id']).execute();

      let f = communeTable(db, 'request_followers')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_normalized', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('confirmed', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('is_reporter', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('request_followers_email_u', ['commune_id', 'request_id', 'email_normalized'])
        .addUniqueConstraint('request_followers_token_u', ['commune_id', 'token']);
      f = communeRef(f, 'request_followers', 'request_id', 'requests', 'cascade');
      f = communeRef(f, 'request_followers', 'user_id', 'users', 'cascade');
      await f.execute();

      let tpl = communeTable(db, 'request_templates')
        .addColumn('category_id', 'integer')
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('body', json, (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0));
      tpl = communeRef(tpl, 'request_templates', 'category_id', 'request_categories', 'cascade');
      await tpl.execute();
      await db.schema.createIndex('request_templates_category_i').on('request_templates').columns(['commune_id', 'category_id']).execute();

      let c = communeTable(db, 'request_contests')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('ruling', 'text')
        .addColumn('ruled_at', ts)
        .addColumn('mediator_id', 'integer');
      c = communeRef(c, 'request_contests', 'request_id', 'requests', 'cascade');
      c = communeRef(c, 'request_contests', 'mediator_id', 'users', 'restrict');
      await c.execute();
      await db.schema.createIndex('request_contests_status_i').on('request_contests').columns(['commune_id', 'status', 'id']).execute();
      await db.schema.createIndex('request_contests_request_i').on('request_contests').columns(['commune_id', 'request_id']).execute();

      let h = communeTable(db, 'request_heads')
        .addColumn('institution_id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addUniqueConstraint('request_heads_institution_u', ['commune_id', 'institution_id']);
      h = communeRef(h, 'request_heads', 'institution_id', 'institutions', 'cascade');
      h = communeRef(h, 'request_heads', 'user_id', 'users', 'cascade');
      await h.execute();
    },
  },
};
