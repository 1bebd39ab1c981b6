import type { Generated } from 'kysely';

/**
 * The surveys module's tables. A response is one person's answer to one survey (unique per respondent key:
 * `u:<user id>` signed in, `e:<hash of the email>` confirmed by link, `p:<random>` a paper form); its answer rows
 * exist only once it is confirmed, one per chosen option (or ranked option, scale point, district, text). Summary
 * tables kept by triggers (core/db/counters.ts) hold every count the results page reads.
 */
export type SurveyTables = {
  surveys: {
    id: Generated<number>; commune_id: number; slug: string; title: string; description: string; process_id: number | null;
    opens_at: string; closes_at: string; results_public: number; status: string; sample: number; created_at: string;
  };
  survey_questions: {
    id: Generated<number>; commune_id: number; survey_id: number; position: number; kind: string; prompt: string; help: string;
    options: string; max_choices: number | null; required: number; condition: string | null;
  };
  survey_responses: {
    id: Generated<number>; commune_id: number; survey_id: number; respondent_key: string; user_id: number | null; channel: string;
    entered_by: number | null; district_id: number; status: string; token_hash: string | null; pending: string | null; locale: string;
    sample: number; created_at: string; updated_at: string;
  };
  survey_answers: {
    id: Generated<number>; commune_id: number; survey_id: number; response_id: number; question_id: number; channel: string; district_id: number;
    option_key: string | null; rank: number | null; points: number; is_first: number; lead: number; text: string | null; text_status: string | null;
  };
  survey_option_counts: {
    commune_id: number; survey_id: number; question_id: number; option_key: string; channel: string; district_id: number; n: number; points: number; firsts: number;
  };
  survey_question_counts: { commune_id: number; survey_id: number; question_id: number; channel: string; district_id: number; n: number };
  survey_response_counts: { commune_id: number; survey_id: number; channel: string; district_id: number; n: number };
};

export const QUESTION_KINDS = ['single', 'multiple', 'ranking', 'scale', 'short_text', 'long_text', 'district'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const CHANNELS = ['web', 'email', 'paper'] as const;
export type Channel = (typeof CHANNELS)[number];
/** A free-text answer is shown publicly only once a moderator approved it. */
export const TEXT_STATUSES = ['pending', 'approved', 'rejected'] as const;
