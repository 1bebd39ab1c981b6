import type { Migration } from 'kysely';
import { communeTable, communeRef, ts } from '../../../core/db/schema.ts';

/**
 * Open311's own storage. `request_updates` keeps what an API client sent with an update
 * (POST servicerequestupdates) beside the public event it became: the poster's name, email and
 * phone (private: no public read selects this table), the key that sent it, the client's own id of
 * the update (so that a client sending the same update again gets the same answer, and writes
 * nothing) and the status it reported (recorded, never applied). The index on
 * `request_events (commune_id, at, id)` serves GET servicerequestupdates (updates between two dates).
 */
export const open311Migrations: Record<string, Migration> = {
  '2026-12-04-0400-requests-open311-updates': {
    async up(db) {
      let u = communeTable(db, 'request_updates')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('api_key_id', 'integer', (c) => c.notNull())
        .addColumn('external_id', 'text')
        .addColumn('reported_status', 'text')
        .addColumn('author_name', 'text')
        .addColumn('author_email', 'text')
        .addColumn('author_phone', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addUniqueConstraint('request_updates_external_u', ['commune_id', 'api_key_id', 'request_id', 'external_id']);
      u = communeRef(u, 'request_updates', 'request_id', 'requests', 'cascade');
      u = communeRef(u, 'request_updates', 'event_id', 'request_events', 'cascade');
      u = communeRef(u, 'request_updates', 'api_key_id', 'api_keys', 'restrict');
      await u.execute();
      await db.schema.createIndex('request_updates_event_i').on('request_updates').columns(['commune_id', 'event_id']).execute();
      await db.schema.createIndex('request_events_at_i').on('request_events').columns(['commune_id', 'at', 'id']).execute();
    },
  },
};
