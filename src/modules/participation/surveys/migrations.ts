import type { Migration } from 'kysely';
import { communeTable, communeRef, json, bool } from '../../../core/db/schema.ts';
import { createCounterTriggers, createSummaryTable, type CounterSpec } from '../../../core/db/counters.ts';

/** Counts per option (choices, scale points, districts, ranked options with their Borda points and first places). */
export const optionSpec: CounterSpec = {
  source: 'survey_answers', target: 'survey_option_counts',
  keys: { commune_id: 'R.commune_id', survey_id: 'R.survey_id', question_id: 'R.question_id', option_key: 'R.option_key', channel: 'R.channel', district_id: 'R.district_id' },
  sums: { n: '1', points: 'R.points', firsts: 'R.is_first' },
  where: 'R.option_key IS NOT NULL',
  watch: ['option_key', 'points', 'is_first', 'channel', 'district_id'],
};
/** How many respondents answered each question (one `lead` row per response and question). */
export const questionSpec: CounterSpec = {
  source: 'survey_answers', target: 'survey_question_counts',
  keys: { commune_id: 'R.commune_id', survey_id: 'R.survey_id', question_id: 'R.question_id', channel: 'R.channel', district_id: 'R.district_id' },
  sums: { n: 'R.lead' },
  watch: ['lead', 'channel', 'district_id'],
};
/** Confirmed responses per channel and district. */
export const responseSpec: CounterSpec = {
  source: 'survey_responses', target: 'survey_response_counts',
  keys: { commune_id: 'R.commune_id', survey_id: 'R.survey_id', channel: 'R.channel', district_id: 'R.district_id' },
  sums: { n: '1' },
  where: "R.status = 'confirmed'",
  watch: ['status', 'channel', 'district_id'],
};

export const migrations: Record<string, Migration> = {
  '2026-12-06-5000-surveys-tables': {
    async up(db) {
      await communeTable(db, 'surveys')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('title', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        // A participatory process of the participation module, or none (a survey standing alone).
        .addColumn('process_id', 'integer')
        .addColumn('opens_at', 'text', (c) => c.notNull())
        .addColumn('closes_at', 'text', (c) => c.notNull())
        .addColumn('results_public', bool, (c) => c.notNull().defaultTo(1))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft')) // draft | published
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('surveys_slug_u', ['commune_id', 'slug'])
        .execute();
      await db.schema.createIndex('surveys_list_i').on('surveys').columns(['commune_id', 'status', 'closes_at']).execute();

      let q = communeTable(db, 'survey_questions')
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('prompt', json, (c) => c.notNull())
        .addColumn('help', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('options', json, (c) => c.notNull().defaultTo('[]'))
        .addColumn('max_choices', 'integer')
        .addColumn('required', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('condition', json);
      q = communeRef(q, 'survey_questions', 'survey_id', 'surveys', 'cascade');
      await q.execute();
      await db.schema.createIndex('survey_questions_survey_i').on('survey_questions').columns(['commune_id', 'survey_id', 'position']).execute();

      let r = communeTable(db, 'survey_responses')
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('respondent_key', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('entered_by', 'integer')
        .addColumn('district_id', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull()) // pending (email not confirmed yet) | confirmed
        .addColumn('token_hash', 'text')
        .addColumn('pending', json) // answers waiting for the email's confirmation
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // One answer per person and survey, enforced here: parallel submissions count once.
        .addUniqueConstraint('survey_responses_person_u', ['commune_id', 'survey_id', 'respondent_key']);
      r = communeRef(r, 'survey_responses', 'survey_id', 'surveys', 'cascade');
      await r.execute();
      await db.schema.createIndex('survey_responses_token_i').on('survey_responses').columns(['commune_id', 'token_hash']).execute();
      await db.schema.createIndex('survey_responses_export_i').on('survey_responses').columns(['commune_id', 'survey_id', 'status', 'id']).execute();

      let a = communeTable(db, 'survey_answers')
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('response_id', 'integer', (c) => c.notNull())
        .addColumn('question_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('district_id', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('option_key', 'text')
        .addColumn('rank', 'integer')
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_first', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('text', 'text')
        .addColumn('text_status', 'text');
      a = communeRef(a, 'survey_answers', 'response_id', 'survey_responses', 'cascade');
      await a.execute();
      await db.schema.createIndex('survey_answers_response_i').on('survey_answers').columns(['commune_id', 'response_id']).execute();
      await db.schema.createIndex('survey_answers_texts_i').on('survey_answers').columns(['commune_id', 'survey_id', 'text_status', 'id']).execute();

      await createSummaryTable(db, 'survey_option_counts')
        .addColumn('commune_id', 'integer', (c) => c.notNull())
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('question_id', 'integer', (c) => c.notNull())
        .addColumn('option_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('district_id', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('firsts', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('survey_option_counts_pk', ['commune_id', 'survey_id', 'question_id', 'option_key', 'channel', 'district_id'])
        .execute();
      await createSummaryTable(db, 'survey_question_counts')
        .addColumn('commune_id', 'integer', (c) => c.notNull())
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('question_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('district_id', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('survey_question_counts_pk', ['commune_id', 'survey_id', 'question_id', 'channel', 'district_id'])
        .execute();
      await createSummaryTable(db, 'survey_response_counts')
        .addColumn('commune_id', 'integer', (c) => c.notNull())
        .addColumn('survey_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('district_id', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('survey_response_counts_pk', ['commune_id', 'survey_id', 'channel', 'district_id'])
        .execute();
      await createCounterTriggers(db, 'survey_answers_t', [optionSpec, questionSpec]);
      await createCounterTriggers(db, 'survey_responses_t', [responseSpec]);
    },
  },
};
