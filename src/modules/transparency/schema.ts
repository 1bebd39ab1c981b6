import type { Generated } from 'kysely';

/** The transparency module's tables (documents, the publication register, the council). */
export type TransparencyTables = {
  /** The kinds of document (admin-editable reference data). */
  document_kinds: { id: Generated<number>; commune_id: number; slug: string; name: string; sort: number };
  /**
   * A document: one publication (a budget, minutes), whose files are its language versions and versions over time.
   * Public when `status = 'published'` and `published_at <= now` (an embargo sets `published_at` to its end).
   */
  documents: {
    id: Generated<number>; commune_id: number; ref: string; kind: string; title: string; summary: string;
    year: number | null; period: string | null; institution_id: number | null;
    status: string; // draft | published | withdrawn
    published_at: string | null; embargo_until: string | null;
    withdrawn_at: string | null; withdrawn_reason: string | null;
    created_at: string; created_by: number | null; updated_at: string; sample: number;
  };
  /** A file of a document: one language, one version; a correction supersedes the current file of its language. */
  document_files: {
    id: Generated<number>; commune_id: number; document_id: number; file_id: number; language: string; version: number;
    superseded_at: string | null; note: string | null; created_at: string;
    text_status: string; // pending | done | none (no text: a scanned PDF) | failed
    text: string | null;
  };
  /** What a document or a deliberation is linked to (a commitment, a council session, a register item, a body). */
  transparency_links: {
    id: Generated<number>; commune_id: number; source_type: string; source_id: number; target_type: string; target_id: number;
  };
  /** Law 31-13 art. 10: what the commune must publish. */
  register_items: {
    id: Generated<number>; commune_id: number; code: string; title: string; description: string;
    institution_id: number | null; frequency: string; sort: number; sample: number;
  };
  council_sessions: {
    id: Generated<number>; commune_id: number; ref: string; kind: string; title: string; starts_at: string; ends_at: string | null;
    place: string; status: string; sample: number;
  };
  council_items: {
    id: Generated<number>; commune_id: number; session_id: number; position: number; title: string; summary: string;
  };
  council_deliberations: {
    id: Generated<number>; commune_id: number; session_id: number; item_id: number | null; ref: string; title: string; text: string;
    decision: string; consensus: number; votes_for: number | null; votes_against: number | null; votes_abstention: number | null;
    sample: number;
  };
};

export const DEFAULT_DOCUMENT_KINDS = [
  'budget', 'administrative_account', 'audit_report', 'deliberation', 'minutes', 'agenda', 'user_guide', 'procedure', 'tender', 'study', 'report',
] as const;
export const DOCUMENT_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export const TEXT_STATUSES = ['pending', 'done', 'none', 'failed'] as const;
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'per_session', 'once'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** How long a document keeps an item "published" (months); a session-based item: until the next ordinary sessions (4 months). */
export const FREQUENCY_MONTHS: Record<Frequency, number | null> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12, per_session: 4, once: null };
export const SESSION_KINDS = ['ordinary', 'extraordinary'] as const;
export const SESSION_STATUSES = ['planned', 'held', 'cancelled'] as const;
export const DECISIONS = ['adopted', 'rejected', 'postponed'] as const;
export const LINK_TARGETS = ['commitment', 'council_session', 'deliberation', 'register_item'] as const;
export type LinkTarget = (typeof LINK_TARGETS)[number];
