import { createHash } from 'node:crypto';
import { lockCommune, type AnyDB } from '../db/index.ts';
import { iso } from '../clock/index.ts';

export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  communeId: number;
  actorId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface HashedFields {
  commune_id: number; at: string; actor_id: number | null; action: string; entity: string;
  entity_id: string | null; before: string | null; after: string | null; prev_hash: string;
}

export function entryHash(e: HashedFields): string {
  return createHash('sha256').update(canonical({
    commune_id: e.commune_id, at: e.at, actor_id: e.actor_id, action: e.action, entity: e.entity,
    entity_id: e.entity_id, before: e.before, after: e.after, prev_hash: e.prev_hash,
  })).digest('hex');
}

/** Appends one entry to the commune's hash chain; call inside the mutation's transaction. */
export async function appendAudit(trx: AnyDB, e: AuditEntry): Promise<void> {
  await lockCommune(trx, e.communeId);
  const last = await trx.selectFrom('audit_log').select('hash').where('commune_id', '=', e.communeId)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row: HashedFields = {
    commune_id: e.communeId,
    at: iso(),
    actor_id: e.actorId,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    prev_hash: last?.hash ?? GENESIS,
  };
  await trx.insertInto('audit_log').values({ ...row, hash: entryHash(row) }).execute();
}

export interface VerifyResult { ok: boolean; checked: number; brokenId?: number; communeId?: number; reason?: string }

/** Walks every commune's chain in order; names the first entry whose hash or link does not hold. */
export async function verifyAudit(db: AnyDB): Promise<VerifyResult> {
  const communes = await db.selectFrom('communes').select('id').orderBy('id').execute();
  let checked = 0;
  for (const { id: communeId } of communes) {
    let prev = GENESIS;
    let after = 0;
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('commune_id', '=', communeId)
        .where('id', '>', after).orderBy('id').limit(1000).execute();
      if (rows.length === 0) break;
      for (const r of rows) {
        checked++;
        if (r.prev_hash !== prev) return { ok: false, checked, brokenId: r.id, communeId, reason: 'link' };
        if (entryHash(r as HashedFields) !== r.hash) return { ok: false, checked, brokenId: r.id, communeId, reason: 'hash' };
        prev = r.hash;
        after = r.id;
      }
    }
  }
  return { ok: true, checked };
}
