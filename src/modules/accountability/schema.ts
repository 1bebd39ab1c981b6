import type { Generated } from 'kysely';

/**
 * The accountability module's tables. Translated content is JSON text `{fr, ar, en}`;
 * dates are `YYYY-MM-DD` text, timestamps ISO-8601 UTC text; booleans 0/1.
 *
 * Published figures (`action_updates`, `measurements`) are append-only: a correction is a
 * new row with a higher `version` that names the row it supersedes.
 */
export type AccountabilityTables = {
  plans: {
    id: Generated<number>; commune_id: number; slug: string; kind: string; title: string;
    period_start: string; period_end: string; submitted_on: string | null;
    vision: string; guidelines: string; objectives: string; cocreation: string; status: string; created_at: string;
  };
  plan_institutions: { id: Generated<number>; commune_id: number; plan_id: number; institution_id: number; role: string };
  commitments: {
    id: Generated<number>; commune_id: number; plan_id: number; parent_id: number | null; number: string;
    title: string; description: string; sort: number; sample: number;
    problem: string; ogp_values: string; start_date: string | null; end_date: string | null;
    budget_note: string; weight: number | null;
  };
  /** Lead department, supporting institutions and civil-society partners of a commitment. */
  commitment_institutions: { id: Generated<number>; commune_id: number; commitment_id: number; institution_id: number; role: string };
  commitment_sdgs: { id: Generated<number>; commune_id: number; commitment_id: number; goal: number; target: string | null };
  /** Reference data shared by every commune (United Nations, 2015). */
  sdg_goals: { code: number; color: string; title: string };
  sdg_targets: { code: string; goal: number; text: string };
  /** A commune's own targets, extending an SDG target code (11.1 → 11.1.1). */
  /** A commune's own text of an SDG target (else the reference's). */
  sdg_target_texts: { id: Generated<number>; commune_id: number; code: string; text: string };
  local_targets: { id: Generated<number>; commune_id: number; code: string; target_code: string; title: string; sample: number };
  actions: {
    id: Generated<number>; commune_id: number; commitment_id: number; institution_id: number; title: string;
    expected_result: string; start_date: string | null; end_date: string | null; sort: number; sample: number; created_at: string;
  };
  indicators: {
    id: Generated<number>; commune_id: number; commitment_id: number; institution_id: number; kind: string;
    title: string; definition: string; unit: string; direction: string;
    baseline_value: number | null; baseline_date: string | null; target_value: number | null; target_date: string | null;
    source: string; frequency: string; sort: number; sample: number; created_at: string;
  };
  reporting_cycles: {
    id: Generated<number>; commune_id: number; plan_id: number; code: string; period_end: string; due_date: string;
    status: string; opened_at: string; opened_by: number | null; closed_at: string | null; last_published_at: string | null;
  };
  matrix_rows: {
    id: Generated<number>; commune_id: number; cycle_id: number; item_key: string; kind: string;
    action_id: number | null; indicator_id: number | null; institution_id: number;
    state: string; status: string | null; progress: number | null; value: number | null;
    difficulties: string; remark: string; answer: string;
    updated_at: string | null; updated_by: number | null; submitted_at: string | null;
    validated_at: string | null; validated_by: number | null; published_at: string | null;
  };
  row_events: { id: Generated<number>; commune_id: number; row_id: number; at: string; actor_id: number | null; event: string; note: string };
  action_updates: {
    id: Generated<number>; commune_id: number; action_id: number; cycle_id: number | null; period_end: string; version: number;
    status: string; progress: number; difficulties: string; note: string; supersedes_id: number | null; row_id: number | null;
    published_at: string; published_by: number | null; sample: number;
  };
  measurements: {
    id: Generated<number>; commune_id: number; indicator_id: number; cycle_id: number | null; period: string; period_end: string;
    version: number; value: number; source: string; note: string; supersedes_id: number | null; row_id: number | null;
    entered_by: number | null; validated_by: number | null; published_at: string; published_by: number | null; sample: number;
  };
  evidence: {
    id: Generated<number>; commune_id: number; commitment_id: number; action_id: number | null; indicator_id: number | null;
    measurement_id: number | null; row_id: number | null; kind: string; file_id: number | null; url: string | null;
    title: string; visibility: string; created_by: number | null; created_at: string;
  };
  steering_decisions: {
    id: Generated<number>; commune_id: number; cycle_id: number; decided_on: string; outcome: string;
    decision: string; measures: string; created_by: number | null; created_at: string;
  };
  steering_decision_rows: { id: Generated<number>; commune_id: number; decision_id: number; row_id: number };
};

/** Facts of the co-creation process, as the plan reports them. */
export interface Cocreation {
  year?: number;
  participants?: { total: number; breakdown: { key: string; count: number }[] };
  groups?: number;
  publicMeetings?: number;
  thematicWorkshops?: Record<string, string>[];
  neighbourhoodWorkshops?: number;
  onlineQuiz?: boolean;
}
