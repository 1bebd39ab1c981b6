import type { Generated } from 'kysely';

/**
 * The requests module's tables. Everything a list, a queue or a dashboard groups or filters by is a
 * column of `requests` itself (district, category, institution, channel, month, status, due day,
 * within target, resolution time, satisfaction), so each aggregate is one GROUP BY over one table.
 *
 * Personal data lives only in `requests.reporter_name|reporter_email|reporter_phone|tracking_hash`,
 * `request_followers.email|token` and `request_contests.reason`: public reads never select them.
 */
export type RequestsTables = {
  request_districts: {
    id: Generated<number>;
    commune_id: number;
    slug: string;
    name: string; // JSON {fr, ar, en}
    population: number | null;
    /** GeoJSON geometry (Polygon or MultiPolygon), or null when only the name is known. */
    geometry: string | null;
    sample: number;
    sort: number;
  };
  request_categories: {
    id: Generated<number>;
    commune_id: number;
    /** Stable code: the Open311 service_code. */
    slug: string;
    name: string; // JSON
    description: string; // JSON
    /** Where requests of this category go: an institution of kind department or operator. */
    institution_id: number;
    /** Service-level target, in working days of the commune's calendar. */
    sla_days: number;
    active: number;
    sample: number;
    sort: number;
  };
  request_questions: {
    id: Generated<number>;
    commune_id: number;
    category_id: number;
    /** Stable code: the form field `q_<code>` and the Open311 attribute code. */
    code: string;
    kind: string; // text | number | single | multiple | date
    label: string; // JSON
    hint: string; // JSON
    required: number;
    /** JSON [{ value, label: {fr, ar, en} }] for single and multiple choice. */
    options: string;
    sort: number;
  };
  requests: {
    id: Generated<number>;
    commune_id: number;
    /** Public reference, e.g. TET-2026-000123. */
    reference: string;
    year: number;
    seq: number;
    /** sha256 of the normalised tracking code (the code itself is shown once and mailed). */
    tracking_hash: string;
    category_id: number;
    district_id: number | null;
    /** The department or operator that answers (from the category at submission). */
    institution_id: number;
    assignee_id: number | null;
    status: string; // submitted | acknowledged | in_progress | reopened | resolved | rejected
    reject_reason: string | null; // duplicate | not_competent | invalid
    duplicate_of_id: number | null;
    /** Public text: where a request outside the commune's competence should go. */
    referral: string | null;
    /** The last public answer (resolution note or rejection explanation). */
    public_note: string | null;
    description: string;
    address: string;
    lat: number | null;
    lng: number | null;
    /** JSON { code: value } of the category's extra questions. */
    answers: string;
    channel: string; // web | counter | phone | api
    reporter_user_id: number | null;
    reporter_name: string | null;
    name_public: number;
    reporter_email: string | null;
    reporter_phone: string | null;
    reporter_locale: string;
    /** The counter agent (or API key owner) who entered it, if not the reporter. */
    entered_by: number | null;
    created_at: string;
    /** YYYY-MM in the commune's time zone, for monthly trends. */
    created_month: string;
    updated_at: string;
    acknowledged_at: string | null;
    first_response_at: string | null;
    /** Deadline: the service-level target counted in working days from submission (or reopening). */
    due_on: string;
    resolved_at: string | null;
    /** Resolved or rejected. */
    closed_at: string | null;
    /** 1 when closed on or before due_on, 0 when after; null while open. */
    within_target: number | null;
    /** Working days and hours from submission to closing. */
    resolution_days: number | null;
    resolution_hours: number | null;
    escalated_at: string | null;
    /** Reporter's answer to "is it fixed?": 1 yes, 0 no. */
    fixed: number | null;
    satisfaction: number | null;
    satisfaction_comment: string | null;
    feedback_at: string | null;
    reopen_count: number;
    /** none | pending | upheld | dismissed */
    contest_status: string;
    sample: number;
  };
  request_photos: {
    id: Generated<number>;
    commune_id: number;
    request_id: number;
    file_id: number;
    kind: string; // report | resolution
    hidden: number;
    created_at: string;
  };
  request_events: {
    id: Generated<number>;
    commune_id: number;
    request_id: number;
    at: string;
    kind: string;
    public: number;
    actor_id: number | null;
    /** Public or internal text (a note, a ruling, a referral). */
    body: string | null;
    /** JSON details (from/to status, rating, other reference). */
    data: string;
  };
  request_followers: {
    id: Generated<number>;
    commune_id: number;
    request_id: number;
    email: string;
    email_normalized: string;
    user_id: number | null;
    locale: string;
    /** Unsubscribe (and confirmation) token, in the links of every message. */
    token: string;
    confirmed: number;
    is_reporter: number;
    created_at: string;
  };
  request_templates: {
    id: Generated<number>;
    commune_id: number;
    category_id: number | null;
    title: string; // JSON
    body: string; // JSON
    sort: number;
  };
  request_contests: {
    id: Generated<number>;
    commune_id: number;
    request_id: number;
    reason: string;
    created_at: string;
    status: string; // pending | upheld | dismissed
    ruling: string | null;
    ruled_at: string | null;
    mediator_id: number | null;
  };
  request_heads: {
    id: Generated<number>;
    commune_id: number;
    institution_id: number;
    user_id: number;
  };
};

export const STATUSES = ['submitted', 'acknowledged', 'in_progress', 'reopened', 'resolved', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: Status[] = ['submitted', 'acknowledged', 'in_progress', 'reopened'];
export const CLOSED_STATUSES: Status[] = ['resolved', 'rejected'];
export const CHANNELS = ['web', 'counter', 'phone', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const REJECT_REASONS = ['duplicate', 'not_competent', 'invalid'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const QUESTION_KINDS = ['text', 'number', 'single', 'multiple', 'date'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
