import type { Generated } from 'kysely';

/**
 * Petitions to the communal council (Organic Law 113-14 on communes, articles 121 to 125). Signers' identities are
 * never stored in clear: a signature holds a keyed hash of the national identity card number (the duplicate check
 * between online and paper signatures), the account of an online signer, and the agent who entered a paper one.
 */
export type PetitionTables = {
  petition_settings: { commune_id: number; value: string };
  petitions: {
    id: Generated<number>; commune_id: number; reference: string; year: number; seq: number; kind: string; title: string; reasons: string;
    requested_action: string; language: string; promoter_user_id: number; promoter_name: string; association_name: string | null;
    status: string; threshold: number; online_count: number; paper_count: number; filed_at: string | null; decision_due_on: string | null;
    admissibility_at: string | null; refusal_reason: string | null; council_session_id: number | null; session_date: string | null;
    session_reference: string | null; council_decision: string | null; council_decided_on: string | null; sample: number; created_at: string;
  };
  petition_signatures: {
    id: Generated<number>; commune_id: number; petition_id: number; channel: string; user_id: number | null; identity_hash: string;
    entered_by: number | null; created_at: string;
  };
  petition_events: { id: Generated<number>; commune_id: number; petition_id: number; at: string; kind: string; note: string | null };
};

export const STATUSES = ['collecting', 'filed', 'admissible', 'inadmissible', 'scheduled', 'decided'] as const;
export type Status = (typeof STATUSES)[number];
export const KINDS = ['citizens', 'association'] as const;
