import type { Generated } from 'kysely';

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
  };
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
