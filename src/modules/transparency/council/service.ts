import { mutate, authorize, type Ctx } from '../../../core/service.ts';
import { NotFoundError, RuleError } from '../../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../../core/i18n/index.ts';
import { iso } from '../../../core/clock/index.ts';
import { tdb } from '../db.ts';
import { LINK_TARGETS } from '../schema.ts';
import * as repo from './repo.ts';
import { indexDeliberation } from './search.ts';

/** Sessions, agenda items and deliberations of the council: the OGP team and administrators record them. */
export const COUNCIL = 'transparency.council';

export interface Session {
  id: number; ref: string; kind: 'ordinary' | 'extraordinary'; title: Translated; startsAt: string; endsAt: string | null; place: Translated;
  status: 'planned' | 'held' | 'cancelled'; sample: boolean; path: string;
}
export interface Deliberation {
  id: number; sessionId: number; itemId: number | null; ref: string; title: Translated; text: Translated; decision: 'adopted' | 'rejected' | 'postponed';
  consensus: boolean; votesFor: number | null; votesAgainst: number | null; votesAbstention: number | null; sample: boolean;
}
export interface AgendaItem { id: number; position: number; title: Translated; summary: Translated }

export const sessionPath = (ref: string) => `/council/${encodeURIComponent(ref)}`;

export function toSession(r: repo.SessionRow): Session {
  return {
    id: r.id, ref: r.ref, kind: r.kind as Session['kind'], title: parseTranslated(r.title), startsAt: r.starts_at, endsAt: r.ends_at, place: parseTranslated(r.place),
    status: r.status as Session['status'], sample: !!r.sample, path: sessionPath(r.ref),
  };
}
export function toDeliberation(r: repo.DelibRow): Deliberation {
  return {
    id: r.id, sessionId: r.session_id, itemId: r.item_id, ref: r.ref, title: parseTranslated(r.title), text: parseTranslated(r.text), decision: r.decision as Deliberation['decision'],
    consensus: !!r.consensus, votesFor: r.votes_for, votesAgainst: r.votes_against, votesAbstention: r.votes_abstention, sample: !!r.sample,
  };
}

export const SESSIONS_PAGE = 50;

/** Public calendar: upcoming sessions (soonest first) and past ones (newest first), paginated. */
export async function calendar(ctx: Ctx, page: number) {
  const now = iso(ctx.clock.now());
  const p = Math.max(1, Math.min(10_000, Math.floor(page || 1)));
  const db = tdb(ctx.db);
  const [upcoming, past, total] = await Promise.all([
    db.selectFrom('council_sessions as s').select([...repo.sessionColumns]).where('s.commune_id', '=', ctx.commune.id).where('s.starts_at', '>=', now)
      .orderBy('s.starts_at').orderBy('s.id').limit(SESSIONS_PAGE).execute() as Promise<repo.SessionRow[]>,
    repo.listSessions(db, ctx.commune.id, { to: now, limit: SESSIONS_PAGE, offset: (p - 1) * SESSIONS_PAGE }),
    db.selectFrom('council_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('commune_id', '=', ctx.commune.id).where('starts_at', '<', now).executeTakeFirstOrThrow(),
  ]);
  return { upcoming: upcoming.map(toSession), past: past.map(toSession), page: p, pastTotal: Number(total.n), pageSize: SESSIONS_PAGE };
}

/** Every session for the iCalendar feed (the last 200). */
export async function feedSessions(ctx: Ctx): Promise<Session[]> {
  return (await repo.listSessions(tdb(ctx.db), ctx.commune.id, { limit: 200, offset: 0 })).map(toSession);
}

export interface SessionDetail { session: Session; items: AgendaItem[]; deliberations: Deliberation[] }

async function detail(ctx: Ctx, row: repo.SessionRow | undefined): Promise<SessionDetail> {
  if (!row) throw new NotFoundError();
  const db = tdb(ctx.db);
  const [items, delibs] = await Promise.all([repo.itemsOf(db, ctx.commune.id, row.id), repo.deliberationsOf(db, ctx.commune.id, [row.id])]);
  return {
    session: toSession(row),
    items: items.map((i) => ({ id: i.id, position: i.position, title: parseTranslated(i.title), summary: parseTranslated(i.summary) })),
    deliberations: delibs.map(toDeliberation),
  };
}

export async function getSession(ctx: Ctx, ref: string): Promise<SessionDetail> {
  return detail(ctx, await repo.findSession(tdb(ctx.db), ctx.commune.id, { ref }));
}

export async function getSessionForAdmin(ctx: Ctx, id: number): Promise<SessionDetail> {
  authorize(ctx, COUNCIL);
  return detail(ctx, await repo.findSession(tdb(ctx.db), ctx.commune.id, { id }));
}

export async function listSessionsForAdmin(ctx: Ctx): Promise<Session[]> {
  return (await repo.listSessions(tdb(ctx.db), ctx.commune.id, { limit: 500, offset: 0 })).map(toSession);
}

/** Deliberations linked to a thing (a commitment, a document), with their page. */
export async function deliberationsLinkedTo(ctx: Ctx, type: string, id: number) {
  const rows = await repo.deliberationsLinkedTo(tdb(ctx.db), ctx.commune.id, type, id);
  return rows.map((r) => ({ ...toDeliberation(r), title: parseTranslated(r.title), path: `${sessionPath(r.session_ref)}#${encodeURIComponent(r.ref)}`, date: r.starts_at }));
}

export interface SessionInput { kind: Session['kind']; title: Translated; startsAt: string; endsAt: string | null; place: Translated; status: Session['status']; sample?: boolean }

async function uniqueRef(ctx: Ctx, trx: ReturnType<typeof tdb>, s: SessionInput): Promise<string> {
  const base = `${s.startsAt.slice(0, 10)}-${s.kind}`;
  for (let i = 1; ; i++) {
    const ref = i === 1 ? base : `${base}-${i}`;
    if (!(await repo.findSession(trx, ctx.commune.id, { ref }))) return ref;
  }
}

export async function createSession(ctx: Ctx, s: SessionInput): Promise<number> {
  return mutate(ctx, { permission: COUNCIL, action: 'council.session.create', entity: 'council_session' }, async (t) => {
    const trx = tdb(t);
    if (s.endsAt && s.endsAt < s.startsAt) throw new RuleError('transparency.errors.endBeforeStart', {}, 'end_time');
    const ref = await uniqueRef(ctx, trx, s);
    const { id } = await trx.insertInto('council_sessions').values({
      commune_id: ctx.commune.id, ref, kind: s.kind, title: JSON.stringify(s.title), starts_at: s.startsAt, ends_at: s.endsAt, place: JSON.stringify(s.place),
      status: s.status, sample: s.sample ? 1 : 0,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: ref, after: s };
  });
}

export async function updateSession(ctx: Ctx, id: number, s: SessionInput): Promise<void> {
  await mutate(ctx, { permission: COUNCIL, action: 'council.session.update', entity: 'council_session' }, async (t) => {
    const trx = tdb(t);
    const before = await repo.findSession(trx, ctx.commune.id, { id });
    if (!before) throw new NotFoundError();
    if (s.endsAt && s.endsAt < s.startsAt) throw new RuleError('transparency.errors.endBeforeStart', {}, 'end_time');
    await trx.updateTable('council_sessions').set({ kind: s.kind, title: JSON.stringify(s.title), starts_at: s.startsAt, ends_at: s.endsAt, place: JSON.stringify(s.place), status: s.status })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    for (const d of await repo.deliberationsOf(trx, ctx.commune.id, [id])) await indexDeliberation(t, ctx.commune.id, d.id);
    return { result: undefined, entityId: before.ref, before: toSession(before), after: s };
  });
}

export async function addAgendaItem(ctx: Ctx, sessionId: number, item: { title: Translated; summary: Translated }): Promise<number> {
  return mutate(ctx, { permission: COUNCIL, action: 'council.item.add', entity: 'council_session' }, async (t) => {
    const trx = tdb(t);
    const s = await repo.findSession(trx, ctx.commune.id, { id: sessionId });
    if (!s) throw new NotFoundError();
    const last = await trx.selectFrom('council_items').select((eb) => eb.fn.max<number>('position').as('p')).where('commune_id', '=', ctx.commune.id).where('session_id', '=', sessionId).executeTakeFirst();
    const position = Number(last?.p ?? 0) + 1;
    const { id } = await trx.insertInto('council_items').values({ commune_id: ctx.commune.id, session_id: sessionId, position, title: JSON.stringify(item.title), summary: JSON.stringify(item.summary) })
      .returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: s.ref, after: { position, ...item } };
  });
}

export interface DeliberationInput {
  itemId: number | null; title: Translated; text: Translated; decision: Deliberation['decision']; consensus: boolean;
  votesFor: number | null; votesAgainst: number | null; votesAbstention: number | null; commitmentIds?: number[]; sample?: boolean;
}

/** Records a deliberation: by consensus, or with its vote counts (all three). */
export async function addDeliberation(ctx: Ctx, sessionId: number, d: DeliberationInput): Promise<number> {
  return mutate(ctx, { permission: COUNCIL, action: 'council.deliberation.add', entity: 'deliberation' }, async (t) => {
    const trx = tdb(t);
    const s = await repo.findSession(trx, ctx.commune.id, { id: sessionId });
    if (!s) throw new NotFoundError();
    if (d.itemId !== null) {
      const item = await trx.selectFrom('council_items').select('id').where('commune_id', '=', ctx.commune.id).where('session_id', '=', sessionId).where('id', '=', d.itemId).executeTakeFirst();
      if (!item) throw new RuleError('transparency.errors.item', {}, 'item_id');
    }
    const votes = [d.votesFor, d.votesAgainst, d.votesAbstention];
    if (!d.consensus && votes.some((v) => v === null)) throw new RuleError('transparency.errors.votes', {}, 'votes_for');
    const { id } = await trx.insertInto('council_deliberations').values({
      commune_id: ctx.commune.id, session_id: sessionId, item_id: d.itemId, ref: `tmp-${sessionId}-${iso(ctx.clock.now())}-${Math.random()}`, title: JSON.stringify(d.title), text: JSON.stringify(d.text),
      decision: d.decision, consensus: d.consensus ? 1 : 0, votes_for: d.consensus ? null : d.votesFor, votes_against: d.consensus ? null : d.votesAgainst,
      votes_abstention: d.consensus ? null : d.votesAbstention, sample: d.sample ? 1 : 0,
    }).returning('id').executeTakeFirstOrThrow();
    const ref = `DEL-${s.starts_at.slice(0, 4)}-${String(id).padStart(5, '0')}`;
    await trx.updateTable('council_deliberations').set({ ref }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    for (const c of d.commitmentIds ?? []) {
      await trx.insertInto('transparency_links').values({ commune_id: ctx.commune.id, source_type: 'deliberation', source_id: id, target_type: 'commitment', target_id: c })
        .onConflict((oc) => oc.doNothing()).execute();
    }
    await indexDeliberation(t, ctx.commune.id, id);
    return { result: id, entityId: ref, after: { session: s.ref, ...d } };
  });
}

/** Links (or unlinks) a deliberation to a commitment or a document. */
export async function linkDeliberation(ctx: Ctx, id: number, type: string, targetId: number, remove = false): Promise<void> {
  if (!(LINK_TARGETS as readonly string[]).includes(type) && type !== 'document') throw new RuleError('transparency.errors.link', {}, 'target');
  await mutate(ctx, { permission: COUNCIL, action: remove ? 'deliberation.unlink' : 'deliberation.link', entity: 'deliberation' }, async (t) => {
    const trx = tdb(t);
    const d = await repo.findDeliberation(trx, ctx.commune.id, id);
    if (!d) throw new NotFoundError();
    if (remove) {
      await trx.deleteFrom('transparency_links').where('commune_id', '=', ctx.commune.id).where('source_type', '=', 'deliberation').where('source_id', '=', id)
        .where('target_type', '=', type).where('target_id', '=', targetId).execute();
    } else {
      await trx.insertInto('transparency_links').values({ commune_id: ctx.commune.id, source_type: 'deliberation', source_id: id, target_type: type, target_id: targetId })
        .onConflict((oc) => oc.doNothing()).execute();
    }
    return { result: undefined, entityId: d.ref, after: { type, id: targetId } };
  });
}

