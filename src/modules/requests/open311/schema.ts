import type { Generated } from 'kysely';

/** Open311's table (see migrations.ts): personal data of an update's poster lives here, never in a public read. */
export type Open311Tables = {
  request_updates: {
    id: Generated<number>;
    commune_id: number;
    request_id: number;
    /** The public `request_events` row the update became (its id is the Open311 `update_id`). */
    event_id: number;
    api_key_id: number;
    /** The client's own id of the update (FixMyStreet's `update_id`), for idempotent retries. */
    external_id: string | null;
    /** The status the client reported, as sent (lower case); recorded for staff, never applied. */
    reported_status: string | null;
    author_name: string | null;
    author_email: string | null;
    author_phone: string | null;
    created_at: string;
  };
};
