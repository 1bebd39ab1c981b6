import type { Migration } from 'kysely';
import { communeTable, communeRef, json, bool, ts } from '../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-06-1000-transparency-documents': {
    async up(db) {
      await communeTable(db, 'document_kinds')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('document_kinds_slug_u', ['commune_id', 'slug'])
        .execute();

      let d = communeTable(db, 'documents')
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('summary', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('year', 'integer')
        .addColumn('period', 'text')
        .addColumn('institution_id', 'integer')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
        .addColumn('published_at', ts)
        .addColumn('embargo_until', ts)
        .addColumn('withdrawn_at', ts)
        .addColumn('withdrawn_reason', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('documents_ref_u', ['commune_id', 'ref']);
      d = communeRef(d, 'documents', 'institution_id', 'institutions', 'restrict');
      await d.execute();
      // The public list: newest first, filtered by kind, year or department.
      await db.schema.createIndex('documents_public_i').on('documents').columns(['commune_id', 'status', 'published_at']).execute();
      await db.schema.createIndex('documents_kind_i').on('documents').columns(['commune_id', 'kind', 'published_at']).execute();
      await db.schema.createIndex('documents_year_i').on('documents').columns(['commune_id', 'year']).execute();
      await db.schema.createIndex('documents_institution_i').on('documents').columns(['commune_id', 'institution_id']).execute();

      let f = communeTable(db, 'document_files')
        .addColumn('document_id', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('superseded_at', ts)
        .addColumn('note', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('text_status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('text', 'text');
      f = communeRef(f, 'document_files', 'document_id', 'documents', 'cascade');
      f = communeRef(f, 'document_files', 'file_id', 'files', 'restrict');
      await f.execute();
      await db.schema.createIndex('document_files_doc_i').on('document_files').columns(['commune_id', 'document_id', 'language', 'version']).execute();
      await db.schema.createIndex('document_files_lang_i').on('document_files').columns(['commune_id', 'language', 'superseded_at']).execute();

      await communeTable(db, 'transparency_links')
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'integer', (c) => c.notNull())
        .addUniqueConstraint('transparency_links_u', ['commune_id', 'source_type', 'source_id', 'target_type', 'target_id'])
        .execute();
      await db.schema.createIndex('transparency_links_target_i').on('transparency_links').columns(['commune_id', 'target_type', 'target_id']).execute();
    },
  },
  '2026-12-06-1001-transparency-register': {
    async up(db) {
      let r = communeTable(db, 'register_items')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('institution_id', 'integer')
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('register_items_code_u', ['commune_id', 'code']);
      r = communeRef(r, 'register_items', 'institution_id', 'institutions', 'restrict');
      await r.execute();
    },
  },
  '2026-12-06-1002-transparency-council': {
    async up(db) {
      await communeTable(db, 'council_sessions')
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('starts_at', ts, (c) => c.notNull())
        .addColumn('ends_at', ts)
        .addColumn('place', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('council_sessions_ref_u', ['commune_id', 'ref'])
        .execute();
      await db.schema.createIndex('council_sessions_start_i').on('council_sessions').columns(['commune_id', 'starts_at']).execute();
      let i = communeTable(db, 'council_items')
        .addColumn('session_id', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('summary', json, (c) => c.notNull().defaultTo('{}'));
      i = communeRef(i, 'council_items', 'session_id', 'council_sessions', 'cascade');
      await i.execute();
      await db.schema.createIndex('council_items_session_i').on('council_items').columns(['commune_id', 'session_id', 'position']).execute();
      let d = communeTable(db, 'council_deliberations')
        .addColumn('session_id', 'integer', (c) => c.notNull())
        .addColumn('item_id', 'integer')
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('text', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('consensus', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('votes_for', 'integer')
        .addColumn('votes_against', 'integer')
        .addColumn('votes_abstention', 'integer')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('council_deliberations_ref_u', ['commune_id', 'ref']);
      d = communeRef(d, 'council_deliberations', 'session_id', 'council_sessions', 'cascade');
      d = communeRef(d, 'council_deliberations', 'item_id', 'council_items', 'restrict');
      await d.execute();
      await db.schema.createIndex('council_deliberations_session_i').on('council_deliberations').columns(['commune_id', 'session_id']).execute();
    },
  },
};
