import { createHash } from 'node:crypto';
import { lockCommune, changeMark, type AnyDB } from '../db/index.ts';
import { iso, systemClock } from '../clock/index.ts';

export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  communeId: number;
  actorId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  /** When (the service's injected clock); the process's clock for the CLI and seeding. */
  at?: Date;
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

/**
 * Appends one entry to the commune's hash chain; call inside the mutation's transaction. The entry
 * links to the chain's recorded head (not merely to the last row left in the table), and becomes the
 * new head in the same transaction: entries removed from the end of the chain stay detectable, even
 * after later entries were appended.
 */
export async function appendAudit(trx: AnyDB, e: AuditEntry): Promise<void> {
  await lockCommune(trx, e.communeId);
  const head = await trx.selectFrom('audit_heads').select('hash').where('commune_id', '=', e.communeId).executeTakeFirst();
  const last = head ?? await trx.selectFrom('audit_log').select('hash').where('commune_id', '=', e.communeId)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row: HashedFields = {
    commune_id: e.communeId,
    at: iso(e.at ?? systemClock.now()),
    actor_id: e.actorId,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    prev_hash: last?.hash ?? GENESIS,
  };
  const hash = entryHash(row);
  const { id } = await trx.insertInto('audit_log').values({ ...row, hash }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('audit_heads').values({ commune_id: e.communeId, last_id: id, hash })
    .onConflict((oc: any) => oc.column('commune_id').doUpdateSet({ last_id: id, hash })).execute();
}

export interface ChainHead { communeId: number; lastId: number; hash: string }

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenId?: number;
  communeId?: number;
  /** link: an entry does not link to the one before it; hash: its content does not match its hash;
   *  head: the chain does not end at its recorded head (entries removed at its end, or the head itself). */
  reason?: 'link' | 'hash' | 'head';
  /** With reason 'head': the last entry found and the head recorded. */
  lastId?: number;
  headId?: number;
  /** Each commune's chain head once verified, for the monitoring body to note and compare later. */
  heads: ChainHead[];
}

/**
 * Walks every commune's chain in order; names the first entry whose hash or link does not hold, or a
 * chain that does not end at its recorded head. Safe while the server appends: the head is read after
 * the walk (an entry is committed with its head), and the walk goes on while the head is ahead of it.
 */
export async function verifyAudit(db: AnyDB): Promise<VerifyResult> {
  const communes = await db.selectFrom('communes').select('id').orderBy('id').execute();
  const heads: ChainHead[] = [];
  let checked = 0;
  for (const { id: communeId } of communes) {
    let prev = GENESIS;
    let after = 0;
    let awaited = 0;
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('commune_id', '=', communeId)
        .where('id', '>', after).orderBy('id').limit(1000).execute();
      for (const r of rows) {
        checked++;
        if (r.prev_hash !== prev) return { ok: false, checked, brokenId: r.id, communeId, reason: 'link', heads };
        if (entryHash(r as HashedFields) !== r.hash) return { ok: false, checked, brokenId: r.id, communeId, reason: 'hash', heads };
        prev = r.hash;
        after = r.id;
      }
      if (rows.length) continue;
      const head = await db.selectFrom('audit_heads').select(['last_id', 'hash']).where('commune_id', '=', communeId).executeTakeFirst() as { last_id: number; hash: string } | undefined;
      // Appended while we walked: walk on, once per head seen (a head whose entry is not there is a cut).
      if (head && head.last_id > after && head.last_id !== awaited) { awaited = head.last_id; continue; }
      // A chain with entries has a head, and ends exactly there.
      if ((head || after) && (!head || head.last_id !== after || head.hash !== prev)) {
        return { ok: false, checked, communeId, reason: 'head', lastId: after, headId: head?.last_id ?? 0, heads };
      }
      if (head) heads.push({ communeId, lastId: head.last_id, hash: head.hash });
      break;
    }
  }
  return { ok: true, checked, heads };
}

/**
 * The data version of a commune: the id of its last audit entry. Every change goes through
 * `mutate`, which appends to the audit chain in the same transaction, so any process can tell in
 * one indexed query whether what it computed earlier is still current.
 */
export async function dataVersion(db: AnyDB, communeId: number): Promise<number> {
  const r = await db.selectFrom('audit_heads').select('last_id').where('commune_id', '=', communeId).executeTakeFirst();
  return Number(r?.last_id ?? 0);
}

/** How long a PostgreSQL process trusts the version it read when it made no change itself (another process may have). */
export const FOREIGN_CHANGE_DELAY_MS = 250;

interface KnownVersion { version: number; mark: string | null; at: number }
interface Versions { known: Map<number, KnownVersion>; generation: Map<number, number> }
const versionsByDb = new WeakMap<object, Versions>();
const versionsOf = (db: AnyDB) => {
  let v = versionsByDb.get(db);
  if (!v) versionsByDb.set(db, (v = { known: new Map(), generation: new Map() }));
  return v;
};

/**
 * `dataVersion`, read from the database only when it may have changed, for the hot paths (the page
 * cache, on every anonymous page). On SQLite it is exact: the connection's change mark (rows it wrote,
 * commits by other processes) says when to read again. On PostgreSQL this process's own changes are
 * seen at once (`noteCommit`), another process's within FOREIGN_CHANGE_DELAY_MS.
 */
export function currentDataVersion(db: AnyDB, communeId: number): number | Promise<number> {
  const v = versionsOf(db);
  const mark = changeMark(db);
  const now = mark ? mark() : null;
  const k = v.known.get(communeId);
  if (k && (mark ? now !== null && k.mark === now : Date.now() - k.at < FOREIGN_CHANGE_DELAY_MS)) return k.version;
  const generation = v.generation.get(communeId) ?? 0;
  return dataVersion(db, communeId).then((version) => {
    // A change committed while this read ran: what it read may predate it, so it is not kept.
    if ((v.generation.get(communeId) ?? 0) === generation) v.known.set(communeId, { version, mark: now, at: Date.now() });
    return version;
  });
}

/** After a commit that appended to a commune's audit chain: this process reads its version again. */
export function noteCommit(db: AnyDB, communeId: number): void {
  const v = versionsOf(db);
  v.known.delete(communeId);
  v.generation.set(communeId, (v.generation.get(communeId) ?? 0) + 1);
}
