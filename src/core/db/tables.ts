import type { Generated } from 'kysely';

/** Tables owned by core/. Modules declare their own in their schema.ts. */
export type CoreTables = {
  settings: { key: string; value: string };
  communes: {
    id: Generated<number>;
    slug: string;
    name: string; // JSON {fr, ar, en}
    hosts: string; // space-separated host names
    region: string; // JSON
    population: number | null;
    sample: number;
    created_at: string;
    /** active | suspended | archived */
    status: Generated<string>;
    settings: Generated<string>; // JSON CommuneSettings (core/tenancy)
  };
  platform_operators: { email_normalized: string; granted_at: string };
  users: {
    id: Generated<number>;
    commune_id: number;
    email: string;
    email_normalized: string;
    password_hash: string;
    name: string;
    locale: string;
    disabled: number;
    created_at: string;
  };
  sessions: {
    id: Generated<number>;
    commune_id: number;
    token_hash: string;
    user_id: number;
    created_at: string;
    expires_at: string;
  };
  institutions: {
    id: Generated<number>;
    commune_id: number;
    slug: string;
    kind: string; // department | operator | civil_society | monitor | other
    name: string; // JSON
    description: string; // JSON
    lead: number;
    sample: number;
    sort: number;
  };
  role_grants: {
    id: Generated<number>;
    commune_id: number;
    user_id: number;
    role: string;
    institution_id: number | null;
    granted_by: number | null;
    created_at: string;
  };
  audit_log: {
    id: Generated<number>;
    commune_id: number;
    at: string;
    actor_id: number | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before: string | null;
    after: string | null;
    prev_hash: string;
    hash: string;
  };
  /** Each commune's audit chain head: its last entry, written with it, so that removing entries at the end shows. */
  audit_heads: {
    commune_id: number;
    last_id: number;
    hash: string;
  };
  outbox: {
    id: Generated<number>;
    commune_id: number;
    to_addr: string;
    subject: string;
    body_text: string;
    status: string;
    attempts: number;
    last_error: string | null;
    created_at: string;
    sent_at: string | null;
    list_unsubscribe: string | null;
    /** JSON [{ filename, contentType, content }] (text attachments such as an .ics), or null. */
    attachments: string | null;
  };
  password_resets: {
    id: Generated<number>;
    commune_id: number;
    user_id: number;
    token_hash: string;
    expires_at: string;
    used_at: string | null;
  };
  api_keys: {
    id: Generated<number>;
    commune_id: number;
    name: string;
    key_hash: string;
    created_at: string;
    revoked_at: string | null;
  };
  files: {
    id: Generated<number>;
    commune_id: number;
    sha256: string;
    kind: string;
    mime: string;
    size: number;
    original_name: string;
    created_at: string;
    created_by: number | null;
  };
  holidays: {
    id: Generated<number>;
    commune_id: number;
    day: string; // YYYY-MM-DD
    name: string; // JSON
    kind: string; // fixed | hijri | other
    confirmed: number;
  };
  /** Background jobs (core/jobs). */
  jobs: {
    id: Generated<number>;
    commune_id: number;
    kind: string;
    /** What the job is about, for deduplication: one pending job per kind and key. */
    job_key: string;
    payload: string;
    status: string; // pending | running | done | failed
    run_at: string;
    attempts: number;
    locked_until: string | null;
    last_error: string | null;
    created_at: string;
    finished_at: string | null;
  };
};
