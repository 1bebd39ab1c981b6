import type { Generated } from 'kysely';

/** The participation module's tables. Personal data (names, email, phone, age band, sex) lives in `participants` only. */
export type ParticipationTables = {
  processes: {
    id: Generated<number>; commune_id: number; slug: string; title: string; description: string; plan_id: number | null; body_id: number | null;
    status: string; results: string; sample: number; created_at: string; updated_at: string;
  };
  process_phases: {
    id: Generated<number>; commune_id: number; process_id: number; kind: string; starts_on: string; ends_on: string; sort: number;
  };
  meetings: {
    id: Generated<number>; commune_id: number; process_id: number; kind: string; title: string; agenda: string; mode: string;
    place: string; district: string; online_url: string; starts_at: string; ends_at: string; capacity: number | null;
    registration_opens_at: string | null; registration_closes_at: string | null; invitation_only: number; status: string;
    minutes: string; outcomes: string; targets: string; sample: number; sequence: number; updated_at: string;
  };
  participants: {
    id: Generated<number>; commune_id: number; user_id: number | null; name: string | null; email: string | null; email_normalized: string | null;
    phone: string | null; locale: string; organisation: string | null; org_type: string; age_band: string | null; sex: string | null;
    district: string | null; activist: number; expert: number; resource_person: number; sector: string | null;
    consent_at: string | null; erased_at: string | null; sample: number; created_at: string;
  };
  registrations: {
    id: Generated<number>; commune_id: number; meeting_id: number; participant_id: number; status: string; channel: string;
    cancel_token_hash: string; attended: number; group_label: string | null; created_at: string; updated_at: string;
  };
  invitations: {
    id: Generated<number>; commune_id: number; meeting_id: number; participant_id: number; token_hash: string; status: string;
    sent_at: string; answered_at: string | null;
  };
  proposals: {
    id: Generated<number>; commune_id: number; process_id: number; number: number; title: string; body: string; theme: string; district: string;
    photo_file_id: number | null; author_user_id: number | null; author_participant_id: number | null; channel: string; meeting_id: number | null;
    status: string; hidden_reason: string | null; confirm_token_hash: string | null;
    answer: string; answer_text: string; merged_into_id: number | null; commitment_id: number | null; answered_at: string | null;
    supports: number; sample: number; created_at: string;
  };
  proposal_supports: { id: Generated<number>; commune_id: number; proposal_id: number; user_id: number; created_at: string };
};

export const PROCESS_STATUSES = ['draft', 'open', 'finished'] as const;
export const PHASES = ['diagnosis', 'co_creation', 'consultation', 'validation', 'follow_up'] as const;
export const MEETING_KINDS = ['thematic_workshop', 'neighbourhood_workshop', 'forum', 'public_meeting'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_MODES = ['in_person', 'online'] as const;
export const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
/** The capacity people take part in (organisation types); none: on their own. */
export const ORG_TYPES = ['none', 'civil_society', 'international_ngo', 'academic', 'private_sector', 'public_sector'] as const;
export type OrgType = (typeof ORG_TYPES)[number];
export const AGE_BANDS = ['under_18', '18_24', '25_34', '35_49', '50_64', '65_plus'] as const;
export const SEXES = ['f', 'm'] as const;
export const SECTORS = ['public', 'private', 'civil'] as const;
export const REGISTRATION_CHANNELS = ['online', 'counter', 'invitation', 'walk_in'] as const;
export const PROPOSAL_CHANNELS = ['online', 'email', 'counter', 'workshop'] as const;
export const ANSWERS = ['none', 'accepted', 'studying', 'rejected', 'merged'] as const;
export type Answer = (typeof ANSWERS)[number];
export const THEMES = [
  'infrastructure', 'gender_inclusion', 'economy_jobs', 'sdg_climate', 'culture_sport_heritage', 'governance_open', 'planning_mobility',
] as const;
