import type { Generated } from 'kysely';

export const CHANNELS = ['web', 'counter', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The preferred form of the answer. */
export const FORMS = ['on_site', 'copy_mail', 'electronic'] as const;
export type AnswerForm = (typeof FORMS)[number];
/**
 * unconfirmed: sent from the web without an account, waiting for its email to be confirmed (not public, no clock);
 * open: the clock runs; clarification: the clock stops until the requester answers; closed: an outcome is recorded.
 */
export const STATUSES = ['unconfirmed', 'open', 'clarification', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const OUTCOMES = ['given', 'partial', 'refused', 'not_held', 'withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes an officer records (a withdrawal comes from the requester). */
export const ANSWER_OUTCOMES = ['given', 'partial', 'refused', 'not_held'] as const;
export const REDRESS_OUTCOMES = ['upheld', 'partly_upheld', 'rejected'] as const;

export type InformationTables = {
  info_requests: {
    id: Generated<number>; commune_id: number; reference: string; year: number; seq: number; tracking_hash: string;
    channel: string; question: string; answer_form: string; urgent: number; urgent_reason: string | null;
    requester_name: string; requester_email: string | null; requester_phone: string | null; requester_address: string | null;
    requester_locale: string; requester_user_id: number | null; entered_by: number | null;
    status: string; outcome: string | null;
    created_at: string; created_month: string; received_on: string | null; due_on: string | null;
    extended: number; extension_reason: string | null;
    clarification_on: string | null; clarification_question: string | null; paused_days: number;
    answered_at: string | null; answered_on: string | null; answer_days: number | null; within_deadline: number | null;
    answer_text: string | null; public_answer: string | null; redaction_reason: string | null; document_url: string | null;
    ground_id: number | null; motivation: string | null; holder_body: string | null;
    complaint_on: string | null; complaint_text: string | null; complaint_answer: string | null; complaint_answered_on: string | null; complaint_outcome: string | null;
    cdai_on: string | null; cdai_decision: string | null; cdai_decided_on: string | null; cdai_outcome: string | null;
    flagged_at: string | null; escalated_at: string | null;
    hidden: number; hidden_reason: string | null; updated_at: string; sample: number;
  };
  info_events: {
    id: Generated<number>; commune_id: number; request_id: number; at: string; kind: string; public: number;
    actor_id: number | null; body: string | null; data: string;
  };
  info_grounds: {
    id: Generated<number>; commune_id: number; code: string; article: string; label: string; active: number; sort: number;
  };
  info_stats: { commune_id: number; month: string; k: string; channel: string; n: number; within_n: number; late_n: number };
  info_stats_grounds: { commune_id: number; ground_id: number; n: number };
  info_stats_days: { commune_id: number; days: number; n: number };
  info_attachments: {
    id: Generated<number>; commune_id: number; request_id: number; file_id: number; name: string;
    hidden: number; hidden_reason: string | null; created_at: string;
  };
};
