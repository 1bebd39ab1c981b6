import type { Migration } from 'kysely';
import { communeTable, communeRef, ts } from '../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-25-0400-comments': {
    async up(db) {
      let c = communeTable(db, 'comments')
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('author_name', 'text', (c) => c.notNull())
        // Personal data: never selected by a public query.
        .addColumn('author_email', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('visible'))
        .addColumn('hidden_reason', 'text')
        .addColumn('hidden_by', 'integer')
        .addColumn('hidden_at', ts)
        .addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull());
      // restrict, not set null: a composite set-null would also null commune_id.
      c = communeRef(c, 'comments', 'user_id', 'users', 'restrict');
      await c.execute();
      await db.schema.createIndex('comments_target_i').on('comments').columns(['commune_id', 'target_type', 'target_id', 'id']).execute();
      await db.schema.createIndex('comments_queue_i').on('comments').columns(['commune_id', 'open_reports', 'status']).execute();

      let r = communeTable(db, 'comment_reports')
        .addColumn('comment_id', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('reporter_id', 'integer')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('resolved_at', ts)
        .addColumn('resolution', 'text')
        .addColumn('resolved_by', 'integer');
      r = communeRef(r, 'comment_reports', 'comment_id', 'comments', 'cascade');
      await r.execute();
      await db.schema.createIndex('comment_reports_comment_i').on('comment_reports').columns(['commune_id', 'comment_id', 'resolved_at']).execute();
    },
  },
};
