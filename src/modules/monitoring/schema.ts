import type { Generated } from 'kysely';

/**
 * The independent monitor's annual reports. A report (one per plan and year) has
 * versions; a published version is frozen, a correction is a new version.
 * Recommendations keep their number across versions, so the commune's answer
 * (attached to the report and the number) follows them.
 */
export type MonitoringTables = {
  monitoring_reports: {
    id: Generated<number>; commune_id: number; plan_id: number; year: number; sample: number; created_at: string; created_by: number | null;
  };
  monitoring_versions: {
    id: Generated<number>; commune_id: number; report_id: number; version: number; status: string; title: string; correction_note: string;
    created_at: string; created_by: number | null; published_at: string | null; published_by: number | null;
  };
  monitoring_sections: {
    id: Generated<number>; commune_id: number; version_id: number; sort: number; heading: string; body: string;
  };
  monitoring_assessments: {
    id: Generated<number>; commune_id: number; version_id: number; commitment_id: number; completion: string; open_gov: string | null;
    justification: string; links: string;
  };
  monitoring_assessment_files: {
    id: Generated<number>; commune_id: number; assessment_id: number; file_id: number; sort: number;
  };
  monitoring_recommendations: {
    id: Generated<number>; commune_id: number; version_id: number; number: number; body: string; institution_id: number | null;
    addressed_to: string; priority: string;
  };
  monitoring_responses: {
    id: Generated<number>; commune_id: number; report_id: number; number: number; decision: string; measure: string;
    owner_institution_id: number | null; due_date: string | null; status: string | null;
    responded_at: string; responded_by: number | null; updated_at: string;
  };
  monitoring_response_updates: {
    id: Generated<number>; commune_id: number; response_id: number; on_date: string; status: string; note: string;
    created_at: string; created_by: number | null;
  };
  monitoring_end_assessments: {
    id: Generated<number>; commune_id: number; commitment_id: number; open_gov: string; justification: string;
    sample: number; updated_at: string; updated_by: number | null;
  };
  monitoring_end_assessment_files: {
    id: Generated<number>; commune_id: number; end_assessment_id: number; file_id: number; sort: number;
  };
};

/** OGP completion levels. */
export const COMPLETION = ['not_started', 'limited', 'substantial', 'completed'] as const;
export type Completion = (typeof COMPLETION)[number];
/** OGP "Did it open government?" */
export const OPEN_GOV = ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'] as const;
export type OpenGov = (typeof OPEN_GOV)[number];
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DECISIONS = ['accepted', 'partly', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];
export const PROGRESS = ['planned', 'in_progress', 'done'] as const;
export type Progress = (typeof PROGRESS)[number];
export const VERSION_STATUSES = ['draft', 'published'] as const;

/** At most this many evidence files per assessment (the OGP Local end-of-commitment form asks for up to three). */
export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_LINKS = 10;
