import type { Migration } from 'kysely';
import { communeTable, communeRef, json, ts, bool } from '../../../core/db/schema.ts';
import { createCounterTriggers, createSummaryTable, type CounterSpec } from '../../../core/db/counters.ts';

const received = "R.status <> 'unconfirmed'";
/**
 * The statistics' summary tables, kept by triggers on `info_requests` in the same transaction as every change
 * (core/db/counters.ts). Measured at 100,000 requests on SQLite: the same five GROUP BYs over the table (even on a
 * covering index) took 300 ms, which the first visit after every change paid while holding the event loop; from
 * these tables they read a few hundred rows.
 * - `info_stats`: per month of submission, outcome (or state while open), channel: how many, answered within the
 *   deadline, answered late;
 * - `info_stats_grounds`: refusals (whole or part) per legal ground;
 * - `info_stats_days`: a histogram of working days to answer (exact medians).
 */
export const statsSpecs: CounterSpec[] = [
  {
    source: 'info_requests', target: 'info_stats',
    keys: { commune_id: 'R.commune_id', month: 'R.created_month', k: 'COALESCE(R.outcome, R.status)', channel: 'R.channel' },
    sums: { n: '1', within_n: 'CASE WHEN R.within_deadline = 1 THEN 1 ELSE 0 END', late_n: 'CASE WHEN R.within_deadline = 0 THEN 1 ELSE 0 END' },
    watch: ['status', 'outcome', 'channel', 'created_month', 'within_deadline'], where: received,
  },
  {
    source: 'info_requests', target: 'info_stats_grounds', keys: { commune_id: 'R.commune_id', ground_id: 'R.ground_id' }, sums: { n: '1' },
    watch: ['status', 'outcome', 'ground_id'], where: `${received} AND R.outcome IN ('refused', 'partial') AND R.ground_id IS NOT NULL`,
  },
  {
    source: 'info_requests', target: 'info_stats_days', keys: { commune_id: 'R.commune_id', days: 'R.answer_days' }, sums: { n: '1' },
    watch: ['status', 'answer_days'], where: `${received} AND R.answer_days IS NOT NULL`,
  },
];


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
      // The queue and the late ones per month (read from the index alone).
      await idx('info_requests_status_due_i', ['commune_id', 'status', 'due_on', 'created_month']);
      await idx('info_requests_list_i', ['commune_id', 'id', 'status']);
      await idx('info_requests_outcome_i', ['commune_id', 'outcome', 'id', 'status']);
      await idx('info_requests_outcome_channel_i', ['commune_id', 'outcome', 'channel', 'id', 'status']);
      await idx('info_requests_channel_i', ['commune_id', 'channel', 'id', 'status']);
      await idx('info_requests_month_i', ['commune_id', 'created_month', 'id', 'status']);
      await idx('info_requests_answered_i', ['commune_id', 'answered_at']);
      const summary = (name: string, keys: [string, 'text' | 'integer'][]) => {
        let t: any = createSummaryTable(db, name).addColumn('commune_id', 'integer', (c) => c.notNull().references('communes.id'));
        for (const [k, type] of keys) t = t.addColumn(k, type, (c: any) => c.notNull());
        for (const sum of name === 'info_stats' ? ['n', 'within_n', 'late_n'] : ['n']) t = t.addColumn(sum, 'integer', (c: any) => c.notNull().defaultTo(0));
        return t.addPrimaryKeyConstraint(`${name}_pk`, ['commune_id', ...keys.map(([k]) => k)]).execute();
      };
      await summary('info_stats', [['month', 'text'], ['k', 'text'], ['channel', 'text']]);
      await summary('info_stats_grounds', [['ground_id', 'integer']]);
      await summary('info_stats_days', [['days', 'integer']]);
      await createCounterTriggers(db, 'info_stats_trg', statsSpecs);

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
