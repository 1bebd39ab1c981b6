import type { Generated } from 'kysely';

/**
 * The comments module's tables. `author_email` is personal data: only the
 * service that stores it names it; every read lists its columns without it.
 */
export type CommentsTables = {
  comments: {
    id: Generated<number>; commune_id: number; target_type: string; target_id: number;
    user_id: number | null; author_name: string; author_email: string | null; body: string; locale: string;
    status: string; hidden_reason: string | null; hidden_by: number | null; hidden_at: string | null;
    open_reports: number; created_at: string;
  };
  comment_reports: {
    id: Generated<number>; commune_id: number; comment_id: number; reason: string; note: string;
    reporter_id: number | null; created_at: string; resolved_at: string | null; resolution: string | null; resolved_by: number | null;
  };
};

export const COMMENT_STATUSES = ['visible', 'hidden'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
export const REPORT_REASONS = ['spam', 'abuse', 'personal_data', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Limits of a comment, shown in the form and enforced by the service. */
export const BODY_MIN = 3;
export const BODY_MAX = 2000;
export const NAME_MAX = 80;
export const REASON_MAX = 300;
