import { sql, type Migration } from 'kysely';
import { communeTable, communeRef, ts, json, bool } from './schema.ts';
import { engineOf } from './index.ts';
import { createSearchTables, upgradeSearchTables, addTitleIndex } from './fulltext.ts';

export const coreMigrations: Record<string, Migration> = {
  '2026-11-25-0001-core': {
    async up(db) {
      await db.schema.createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      const idCol = engineOf(db) === 'sqlite' ? 'integer' : 'serial';
      await db.schema.createTable('communes')
        .addColumn('id', idCol, (c) => (engineOf(db) === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('hosts', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('region', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('population', 'integer')
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();

      await communeTable(db, 'users')
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_normalized', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('disabled', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('users_email_u', ['commune_id', 'email_normalized'])
        .execute();

      await communeRef(communeTable(db, 'sessions')
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .addUniqueConstraint('sessions_token_u', ['commune_id', 'token_hash']), 'sessions', 'user_id', 'users', 'cascade')
        .execute();

      await communeTable(db, 'institutions')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('lead', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('institutions_slug_u', ['commune_id', 'slug'])
        .execute();

      let grants = communeTable(db, 'role_grants')
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('institution_id', 'integer')
        .addColumn('granted_by', 'integer')
        .addColumn('created_at', ts, (c) => c.notNull());
      grants = communeRef(grants, 'role_grants', 'user_id', 'users', 'cascade');
      grants = communeRef(grants, 'role_grants', 'institution_id', 'institutions', 'cascade');
      await grants.execute();
      await db.schema.createIndex('role_grants_user_i').on('role_grants').columns(['commune_id', 'user_id']).execute();

      await communeTable(db, 'audit_log')
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('before', json)
        .addColumn('after', json)
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_entity_i').on('audit_log').columns(['commune_id', 'entity', 'entity_id']).execute();

      await communeTable(db, 'outbox')
        .addColumn('to_addr', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('sent_at', ts)
        .execute();
      await db.schema.createIndex('outbox_status_i').on('outbox').columns(['status', 'id']).execute();

      await communeRef(communeTable(db, 'password_resets')
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .addColumn('used_at', ts)
        .addUniqueConstraint('password_resets_token_u', ['commune_id', 'token_hash']), 'password_resets', 'user_id', 'users', 'cascade')
        .execute();

      await communeTable(db, 'api_keys')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('revoked_at', ts)
        .addUniqueConstraint('api_keys_hash_u', ['commune_id', 'key_hash'])
        .execute();
    },
  },
  '2026-11-25-0002-core-files-holidays': {
    async up(db) {
      await communeTable(db, 'files')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('original_name', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .execute();
      await communeTable(db, 'holidays')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('name', json, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('confirmed', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('holidays_day_u', ['commune_id', 'day'])
        .execute();
    },
  },
  // Named after every module's migration: a database migrated by an earlier version gets it last.
  '2026-11-26-0900-core-audit-heads': {
    async up(db) {
      // The head of each commune's chain (its last entry's id and hash), updated in the transaction that
      // appends an entry: `audit verify` then sees entries removed from the end of the chain.
      await db.schema.createTable('audit_heads')
        .addColumn('commune_id', 'integer', (c) => c.primaryKey().references('communes.id'))
        .addColumn('last_id', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into audit_heads (commune_id, last_id, hash)
        select a.commune_id, a.id, a.hash from audit_log a
        where a.id = (select max(b.id) from audit_log b where b.commune_id = a.commune_id)`.execute(db);
    },
  },
  '2026-12-02-0900-core-outbox-unsubscribe': {
    async up(db) {
      // The link a mail's List-Unsubscribe header gives (RFC 8058: one click in the mail client).
      await db.schema.alterTable('outbox').addColumn('list_unsubscribe', 'text').execute();
    },
  },
  // A mail's attachments (an invitation's .ics), JSON [{ filename, contentType, content }]; null for none.
  '2026-12-06-0900-core-outbox-attachments': {
    async up(db) {
      await db.schema.alterTable('outbox').addColumn('attachments', 'text').execute();
    },
  },
  '2026-12-04-0100-core-jobs': {
    async up(db) {
      await communeTable(db, 'jobs')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('job_key', 'text', (c) => c.notNull())
        .addColumn('payload', json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('run_at', ts, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', ts)
        .addColumn('last_error', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('finished_at', ts)
        .execute();
      // The worker's claim: due jobs by time; deduplication: a kind's pending job for a key.
      await db.schema.createIndex('jobs_due_i').on('jobs').columns(['status', 'run_at']).execute();
      await db.schema.createIndex('jobs_key_i').on('jobs').columns(['commune_id', 'kind', 'job_key', 'status']).execute();
    },
  },
  '2026-12-03-0900-core-search': {
    // The platform-wide search's index (src/core/db/fulltext.ts): filled by the modules' services and
    // by `npx commune search reindex` (run it once after upgrading a database that has content).
    async up(db) { await createSearchTables(db); },
  },
  '2026-12-06-2200-core-search-speed': {
    // The search's speed (issue 12): the vocabulary that completes prefixes, the title's own vector on
    // PostgreSQL (src/core/db/fulltext.ts). Existing rows are carried over; `npx commune search reindex`
    // rewrites them in the new, smaller form.
    async up(db) { await upgradeSearchTables(db); },
  },
  '2026-12-06-2230-core-search-titles': {
    // SQLite: the titles' own FTS5 table, for the title matches ranked first; PostgreSQL: GIN indexes
    // without a pending list (src/core/db/fulltext.ts).
    async up(db) { await addTitleIndex(db); },
  },
  '2026-12-06-2200-core-communes-platform': {
    async up(db) {
      // A commune's life (active, suspended: public pages 503 and staff read-only, archived: gone) and its
      // settings (languages, colours, time zone, modules turned off, logo), read by core/tenancy.
      await db.schema.alterTable('communes').addColumn('status', 'text', (c) => c.notNull().defaultTo('active')).execute();
      await db.schema.alterTable('communes').addColumn('settings', json, (c) => c.notNull().defaultTo('{}')).execute();
      // Platform operators: above every commune's administrator, not tied to one commune. Granted by the CLI
      // only (`npx commune operator grant EMAIL`); an account of that email, in any commune, is an operator.
      await db.schema.createTable('platform_operators')
        .addColumn('email_normalized', 'text', (c) => c.primaryKey())
        .addColumn('granted_at', ts, (c) => c.notNull())
        .execute();
    },
  },
};
