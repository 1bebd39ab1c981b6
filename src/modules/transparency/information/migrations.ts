import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../../core/db/schema.ts';

/**
 * Indexes lead with commune_id and serve: the register (newest first, filtered by outcome, channel or month), the
 * officer's queue (status, due day), the statistics (month, outcome, channel, ground), the feed (answered_at).
 */
export const migrations: Record<string, Migration> = {
  '2026-12-06-3000-information-requests': {
    async up(db) {
      await communeTable(db, 'info_grounds')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('article', 'text', (c) => c.notNull())
        .addColumn('label', json, (c) => c.notNull())
        .addColumn('active', bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('info_grounds_code_u', ['commune_id', 'code'])
        .execute();

      let r = communeTable(db, 'info_requests')
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tracking_hash', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('answer_form', 'text', (c) => c.notNull())
        .addColumn('urgent', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('urgent_reason', 'text')
        .addColumn('requester_name', 'text', (c) => c.notNull())
        .addColumn('requester_email', 'text')
        .addColumn('requester_phone', 'text')
        .addColumn('requester_address', 'text')
        .addColumn('requester_locale', 'text', (c) => c.notNull())
        .addColumn('requester_user_id', 'integer')
        .addColumn('entered_by', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_month', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text')
        .addColumn('due_on', 'text')
        .addColumn('extended', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('extension_reason', 'text')
        .addColumn('clarification_on', 'text')
        .addColumn('clarification_question', 'text')
        .addColumn('paused_days', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('answered_at', ts)
        .addColumn('answered_on', 'text')
        .addColumn('answer_days', 'integer')
        .addColumn('within_deadline', bool)
        .addColumn('answer_text', 'text')
        .addColumn('public_answer', 'text')
        .addColumn('redaction_reason', 'text')
        .addColumn('document_url', 'text')
        .addColumn('ground_id', 'integer')
        .addColumn('motivation', 'text')
        .addColumn('holder_body', 'text')
        .addColumn('complaint_on', 'text')
        .addColumn('complaint_text', 'text')
        .addColumn('complaint_answer', 'text')
        .addColumn('complaint_answered_on', 'text')
        .addColumn('complaint_outcome', 'text')
        .addColumn('cdai_on', 'text')
        .addColumn('cdai_decision', 'text')
        .addColumn('cdai_decided_on', 'text')
        .addColumn('cdai_outcome', 'text')
        .addColumn('flagged_at', ts)
        .addColumn('escalated_at', ts)
        .addColumn('hidden', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('hidden_reason', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('info_requests_reference_u', ['commune_id', 'reference'])
        .addUniqueConstraint('info_requests_seq_u', ['commune_id', 'year', 'seq'])
        .addUniqueConstraint('info_requests_tracking_u', ['commune_id', 'tracking_hash']);
      r = communeRef(r, 'info_requests', 'ground_id', 'info_grounds', 'restrict');
      await r.execute();
      const idx = (name: string, cols: string[]) => db.schema.createIndex(name).on('info_requests').columns(cols).execute();
      await idx('info_requests_status_due_i', ['commune_id', 'status', 'due_on']);
      await idx('info_requests_outcome_i', ['commune_id', 'outcome', 'id']);
      await idx('info_requests_channel_i', ['commune_id', 'channel', 'id']);
      await idx('info_requests_month_i', ['commune_id', 'created_month', 'id']);
      await idx('info_requests_answered_i', ['commune_id', 'answered_at']);
      await idx('info_requests_stats_i', ['commune_id', 'status', 'created_month', 'outcome', 'channel', 'within_deadline', 'answer_days', 'ground_id']);

      await communeRef(communeTable(db, 'info_events')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('public', bool, (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('body', 'text')
        .addColumn('data', json, (c) => c.notNull().defaultTo('{}')), 'info_events', 'request_id', 'info_requests', 'cascade')
        .execute();
      await db.schema.createIndex('info_events_request_i').on('info_events').columns(['commune_id', 'request_id', 'id']).execute();

      let a = communeTable(db, 'info_attachments')
        .addColumn('request_id', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hidden', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('hidden_reason', 'text')
        .addColumn('created_at', ts, (c) => c.notNull());
      a = communeRef(a, 'info_attachments', 'request_id', 'info_requests', 'cascade');
      a = communeRef(a, 'info_attachments', 'file_id', 'files', 'restrict');
      await a.execute();
      await db.schema.createIndex('info_attachments_request_i').on('info_attachments').columns(['commune_id', 'request_id']).execute();
    },
  },
};
