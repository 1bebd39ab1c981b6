import type { Generated } from 'kysely';

/** The governance module's tables (institutions are a core table). */
export type GovernanceTables = {
  bodies: {
    id: Generated<number>; commune_id: number; slug: string; kind: string; name: string; description: string;
    parity: number; decision_rule: string; sample: number; sort: number;
  };
  body_members: {
    id: Generated<number>; commune_id: number; body_id: number; person_name: string; side: string;
    institution_id: number | null; role_title: string; since: string; until: string | null; sample: number;
  };
  body_decisions: {
    id: Generated<number>; commune_id: number; body_id: number; decided_on: string; title: string;
    outcome: string; notes: string; sample: number;
  };
  endorsements: {
    id: Generated<number>; commune_id: number; person_name: string; person_title: string; institution_id: number;
    endorsed_on: string | null; statement: string; sort: number;
  };
};

export const BODY_KINDS = ['steering', 'forum', 'gender', 'disability', 'youth', 'other'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
/** How a body decides: by consensus (the joint steering committee) or by giving opinions (consultative bodies). */
export const DECISION_RULES = ['consensus', 'consultative'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];
export const SIDES = ['civil_society', 'commune'] as const;
export type Side = (typeof SIDES)[number];
export const OUTCOMES = ['consensus', 'no_consensus'] as const;
export type Outcome = (typeof OUTCOMES)[number];
