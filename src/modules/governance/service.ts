import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { lockCommune, type AnyDB } from '../../core/db/index.ts';
import { NotFoundError, RuleError } from '../../core/http/errors.ts';
import { formatDate, parseTranslated, type Translated } from '../../core/i18n/index.ts';
import { TIME_ZONE } from '../../core/clock/index.ts';
import type { BodyKind, DecisionRule, GovernanceTables, Outcome, Side } from './schema.ts';
import { parityBreach, isCurrentOn, type SideCounts } from './parity.ts';
import * as repo from './repo.ts';
import { indexBody } from './search.ts';

export { createInstitution, updateInstitution, listInstitutions, listInstitutionsByKind, getInstitutionForAdmin } from './institutions.ts';

export const MANAGE = 'governance.manage';
export const DECIDE = 'governance.decide';

const gov = (db: AnyDB | Ctx['db']): repo.GovDB => (db as AnyDB).withTables<GovernanceTables>();

/** Today in the commune's time zone, as YYYY-MM-DD. */
export function today(ctx: Ctx): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.clock.now());
}

// ---------- Types ----------

export interface BodyInput {
  slug: string; kind: BodyKind; name: Translated; description?: Translated; parity?: boolean;
  decisionRule?: DecisionRule; sample?: boolean; sort?: number;
}
export type BodyUpdate = Omit<BodyInput, 'slug'>;

export interface MemberInput {
  personName: string; side: Side; institutionId?: number | null; roleTitle?: Translated; since: string; sample?: boolean;
}
/** Ending a membership; a replacement takes the same side from the end date. */
export interface EndInput {
  until?: string | null;
  replacement?: { personName: string; institutionId?: number | null; roleTitle?: Translated; sample?: boolean } | null;
}
export interface DecisionInput { decidedOn: string; title: Translated; outcome: Outcome; notes?: Translated; sample?: boolean }
export interface EndorsementInput {
  personName: string; personTitle: Translated; institutionId: number; endorsedOn?: string | null; statement?: Translated; sort?: number;
}

export interface Body {
  id: number; slug: string; kind: string; name: Translated; description: Translated; parity: boolean;
  decisionRule: string; sample: boolean; sort: number;
}
export interface BodySummary extends Body { counts: SideCounts; parityOk: boolean }
export interface Member {
  id: number; bodyId: number; personName: string; side: string; institutionId: number | null; institutionSlug: string | null;
  institutionName: Translated | null; roleTitle: Translated; since: string; until: string | null; sample: boolean;
}
export interface Decision { id: number; bodyId: number; decidedOn: string; title: Translated; outcome: string; notes: Translated; sample: boolean }
export interface Endorsement {
  id: number; personName: string; personTitle: Translated; institutionId: number; institutionSlug: string; institutionName: Translated;
  endorsedOn: string | null; statement: Translated; sort: number;
}
export interface BodyDetail { body: Body; counts: SideCounts; parityOk: boolean; members: Member[]; formerMembers: Member[]; decisions: Decision[] }

type BodyRow = NonNullable<Awaited<ReturnType<typeof repo.findBodyById>>>;
const toBody = (r: BodyRow): Body => ({
  id: r.id, slug: r.slug, kind: r.kind, name: parseTranslated(r.name), description: parseTranslated(r.description),
  parity: !!r.parity, decisionRule: r.decision_rule, sample: !!r.sample, sort: r.sort,
});
type MemberRow = Awaited<ReturnType<typeof repo.bodyMembers>>[number];
const toMember = (r: MemberRow): Member => ({
  id: r.id, bodyId: r.body_id, personName: r.person_name, side: r.side, institutionId: r.institution_id, institutionSlug: r.institution_slug,
  institutionName: r.institution_name ? parseTranslated(r.institution_name) : null, roleTitle: parseTranslated(r.role_title),
  since: r.since, until: r.until, sample: !!r.sample,
});
type DecisionRow = Awaited<ReturnType<typeof repo.bodyDecisions>>[number];
const toDecision = (r: DecisionRow): Decision => ({
  id: r.id, bodyId: r.body_id, decidedOn: r.decided_on, title: parseTranslated(r.title), outcome: r.outcome, notes: parseTranslated(r.notes), sample: !!r.sample,
});
type EndorsementRow = Awaited<ReturnType<typeof repo.listEndorsements>>[number];
const toEndorsement = (r: EndorsementRow): Endorsement => ({
  id: r.id, personName: r.person_name, personTitle: parseTranslated(r.person_title), institutionId: r.institution_id, institutionSlug: r.institution_slug,
  institutionName: parseTranslated(r.institution_name), endorsedOn: r.endorsed_on, statement: parseTranslated(r.statement), sort: r.sort,
});

// ---------- Rules ----------

/** Which kinds of organisation a member of each side may represent. */
const SIDE_KINDS: Record<Side, readonly string[]> = {
  civil_society: ['civil_society', 'monitor', 'other'],
  commune: ['department', 'other'],
};

async function checkInstitution(db: repo.GovDB, ctx: Ctx, side: Side, institutionId: number | null | undefined, personName: string): Promise<void> {
  if (!institutionId) return;
  const inst = await repo.findInstitution(db, ctx.commune.id, institutionId);
  if (!inst) throw new RuleError('governance.institutionUnknown', { name: personName });
  if (!SIDE_KINDS[side].includes(inst.kind)) throw new RuleError(`governance.institutionSide.${side}`, { name: personName });
}

/** Refuses the change (rolling back the transaction) when a parity body would lose parity. */
async function assertParity(db: repo.GovDB, ctx: Ctx, body: { id: number; parity: number | boolean }, key = 'governance.parityBroken'): Promise<void> {
  if (!body.parity) return;
  const periods = await repo.memberPeriods(db, ctx.commune.id, body.id);
  const day = today(ctx);
  const breach = parityBreach(periods, day);
  if (breach) {
    throw new RuleError(breach.day === day ? key : `${key}On`, {
      civil: breach.counts.civil_society, commune: breach.counts.commune, date: formatDate(ctx.locale, breach.day),
    });
  }
}

async function bodyOr404(db: repo.GovDB, ctx: Ctx, id: number): Promise<BodyRow> {
  const b = await repo.findBodyById(db, ctx.commune.id, id);
  if (!b) throw new NotFoundError();
  return b;
}

function memberValues(ctx: Ctx, bodyId: number, m: MemberInput) {
  return {
    commune_id: ctx.commune.id, body_id: bodyId, person_name: m.personName, side: m.side, institution_id: m.institutionId ?? null,
    role_title: JSON.stringify(m.roleTitle ?? {}), since: m.since, until: null, sample: m.sample ? 1 : 0,
  };
}

// ---------- Bodies ----------

export async function createBody(ctx: Ctx, b: BodyInput): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'body.create', entity: 'body' }, async (trx) => {
    const db = gov(trx);
    if (await repo.findBodyBySlug(db, ctx.commune.id, b.slug)) throw new RuleError('governance.slugTaken', {}, 'slug');
    const id = await repo.insertRow(db, 'bodies', {
      commune_id: ctx.commune.id, slug: b.slug, kind: b.kind, name: JSON.stringify(b.name), description: JSON.stringify(b.description ?? {}),
      parity: b.parity ? 1 : 0, decision_rule: b.decisionRule ?? 'consensus', sample: b.sample ? 1 : 0, sort: b.sort ?? 0,
    });
    await indexBody(trx, ctx.commune.id, id);
    return { result: id, entityId: b.slug, after: b };
  });
}

/** Edits a body (its slug, the public address, stays); making it joint requires its members to be balanced already. */
export async function updateBody(ctx: Ctx, id: number, u: BodyUpdate): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'body.update', entity: 'body' }, async (trx) => {
    const db = gov(trx);
    await lockCommune(trx, ctx.commune.id);
    const before = await bodyOr404(db, ctx, id);
    await repo.updateRow(db, 'bodies', ctx.commune.id, id, {
      kind: u.kind, name: JSON.stringify(u.name), description: JSON.stringify(u.description ?? {}), parity: u.parity ? 1 : 0,
      decision_rule: u.decisionRule ?? 'consensus', sample: u.sample ? 1 : 0, sort: u.sort ?? 0,
    });
    await assertParity(db, ctx, { id, parity: !!u.parity }, 'governance.parityEnable');
    await indexBody(trx, ctx.commune.id, id);
    return { result: undefined, entityId: before.slug, before: toBody(before), after: { ...u, slug: before.slug } };
  });
}

/** Adds people to a body in one action (the form takes a pair: one per side keeps a joint body balanced). */
export async function addMembers(ctx: Ctx, bodyId: number, people: MemberInput[]): Promise<number[]> {
  if (people.length === 0) throw new RuleError('governance.noMembers');
  return mutate(ctx, { permission: MANAGE, action: 'body.members_add', entity: 'body' }, async (trx) => {
    const db = gov(trx);
    await lockCommune(trx, ctx.commune.id);
    const body = await bodyOr404(db, ctx, bodyId);
    const ids: number[] = [];
    for (const p of people) {
      await checkInstitution(db, ctx, p.side, p.institutionId, p.personName);
      const id = await repo.insertRow(db, 'body_members', memberValues(ctx, bodyId, p));
      ids.push(id);
    }
    await assertParity(db, ctx, body);
    return { result: ids, entityId: body.slug, after: { added: people.map((p, i) => ({ id: ids[i], ...p })) } };
  });
}

/** Edits a membership; on a joint body a change of side (or of start date) must keep parity. */
export async function updateMember(ctx: Ctx, memberId: number, m: MemberInput): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'body.member_update', entity: 'body_member' }, async (trx) => {
    const db = gov(trx);
    await lockCommune(trx, ctx.commune.id);
    const before = await repo.findMember(db, ctx.commune.id, memberId);
    if (!before) throw new NotFoundError();
    const body = await bodyOr404(db, ctx, before.body_id);
    if (before.until !== null && m.since >= before.until) throw new RuleError('governance.sinceAfterUntil', {}, 'since');
    await checkInstitution(db, ctx, m.side, m.institutionId, m.personName);
    await repo.updateRow(db, 'body_members', ctx.commune.id, memberId, {
      person_name: m.personName, side: m.side, institution_id: m.institutionId ?? null, role_title: JSON.stringify(m.roleTitle ?? {}),
      since: m.since, sample: m.sample === undefined ? before.sample : m.sample ? 1 : 0,
    });
    await assertParity(db, ctx, body, before.side !== m.side ? 'governance.paritySide' : 'governance.parityBroken');
    return { result: undefined, entityId: memberId, before: { ...before, role_title: parseTranslated(before.role_title) }, after: m };
  });
}

/** Ends a membership (today unless another day is given), optionally naming a replacement on the same side. */
export async function endMembership(ctx: Ctx, memberId: number, input: EndInput = {}): Promise<{ replacementId: number | null }> {
  return mutate(ctx, { permission: MANAGE, action: 'body.member_end', entity: 'body_member' }, async (trx) => {
    const db = gov(trx);
    await lockCommune(trx, ctx.commune.id);
    const member = await repo.findMember(db, ctx.commune.id, memberId);
    if (!member) throw new NotFoundError();
    if (member.until !== null) throw new RuleError('governance.alreadyEnded', { name: member.person_name });
    const body = await bodyOr404(db, ctx, member.body_id);
    const until = input.until || today(ctx);
    if (until < member.since) throw new RuleError('governance.untilBeforeSince', { name: member.person_name });
    await repo.endMember(db, ctx.commune.id, memberId, until);
    let replacementId: number | null = null;
    const r = input.replacement;
    if (r) {
      const side = member.side as Side;
      await checkInstitution(db, ctx, side, r.institutionId, r.personName);
      replacementId = await repo.insertRow(db, 'body_members', memberValues(ctx, member.body_id, { ...r, side, since: until }));
    }
    await assertParity(db, ctx, body, r ? 'governance.parityBroken' : 'governance.parityEnd');
    return {
      result: { replacementId }, entityId: memberId, before: { until: null },
      after: { until, replacement: r ? { id: replacementId, side: member.side, since: until, ...r } : null },
    };
  });
}

export async function recordDecision(ctx: Ctx, bodyId: number, d: DecisionInput): Promise<number> {
  return mutate(ctx, { permission: DECIDE, action: 'body.decision_record', entity: 'body_decision' }, async (trx) => {
    const db = gov(trx);
    const body = await bodyOr404(db, ctx, bodyId);
    const id = await repo.insertRow(db, 'body_decisions', {
      commune_id: ctx.commune.id, body_id: bodyId, decided_on: d.decidedOn, title: JSON.stringify(d.title), outcome: d.outcome,
      notes: JSON.stringify(d.notes ?? {}), sample: d.sample ? 1 : 0,
    });
    await indexBody(trx, ctx.commune.id, bodyId);
    return { result: id, entityId: id, after: { body: body.slug, ...d } };
  });
}

// ---------- Endorsements ----------

async function checkEndorser(db: repo.GovDB, ctx: Ctx, institutionId: number): Promise<void> {
  const inst = await repo.findInstitution(db, ctx.commune.id, institutionId);
  if (!inst || inst.kind !== 'civil_society') throw new RuleError('governance.endorserKind', {}, 'institution_id');
}

function endorsementValues(e: EndorsementInput) {
  return {
    person_name: e.personName, person_title: JSON.stringify(e.personTitle), institution_id: e.institutionId,
    endorsed_on: e.endorsedOn ?? null, statement: JSON.stringify(e.statement ?? {}), sort: e.sort ?? 0,
  };
}

export async function createEndorsement(ctx: Ctx, e: EndorsementInput): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'endorsement.create', entity: 'endorsement' }, async (trx) => {
    const db = gov(trx);
    await checkEndorser(db, ctx, e.institutionId);
    const id = await repo.insertRow(db, 'endorsements', { commune_id: ctx.commune.id, ...endorsementValues(e) });
    return { result: id, entityId: id, after: e };
  });
}

export async function updateEndorsement(ctx: Ctx, id: number, e: EndorsementInput): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'endorsement.update', entity: 'endorsement' }, async (trx) => {
    const db = gov(trx);
    const before = await repo.findEndorsement(db, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    await checkEndorser(db, ctx, e.institutionId);
    await repo.updateRow(db, 'endorsements', ctx.commune.id, id, endorsementValues(e));
    return { result: undefined, entityId: id, before: toEndorsement(before), after: e };
  });
}

export async function removeEndorsement(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'endorsement.remove', entity: 'endorsement' }, async (trx) => {
    const db = gov(trx);
    const before = await repo.findEndorsement(db, ctx.commune.id, id);
    if (!before) throw new NotFoundError();
    await repo.deleteEndorsement(db, ctx.commune.id, id);
    return { result: undefined, entityId: id, before: toEndorsement(before) };
  });
}

// ---------- Reads ----------

/** Every body with its current composition per side (public). */
export async function listBodies(ctx: Ctx): Promise<BodySummary[]> {
  const rows = await repo.listBodiesWithCounts(gov(ctx.db), ctx.commune.id, today(ctx));
  return rows.map((r) => {
    const counts = { civil_society: Number(r.civil_society), commune: Number(r.commune) };
    return { ...toBody(r), counts, parityOk: counts.civil_society === counts.commune };
  });
}

async function loadDetail(ctx: Ctx, row: BodyRow): Promise<BodyDetail> {
  const db = gov(ctx.db);
  const [members, decisions] = await Promise.all([repo.bodyMembers(db, ctx.commune.id, row.id), repo.bodyDecisions(db, ctx.commune.id, row.id)]);
  const day = today(ctx);
  const all = members.map(toMember);
  const current = all.filter((m) => isCurrentOn(m, day));
  const counts = { civil_society: current.filter((m) => m.side === 'civil_society').length, commune: current.filter((m) => m.side === 'commune').length };
  return {
    body: toBody(row), counts, parityOk: counts.civil_society === counts.commune,
    // Members named to start later are listed with the current ones (their start date shows it).
    members: all.filter((m) => m.until === null || m.until > day),
    formerMembers: all.filter((m) => m.until !== null && m.until <= day),
    decisions: decisions.map(toDecision),
  };
}

/** A body's public page: description, members, decisions. */
export async function getBody(ctx: Ctx, slug: string): Promise<BodyDetail> {
  const row = await repo.findBodyBySlug(gov(ctx.db), ctx.commune.id, slug);
  if (!row) throw new NotFoundError();
  return loadDetail(ctx, row);
}

export async function getBodyForAdmin(ctx: Ctx, id: number): Promise<BodyDetail> {
  authorize(ctx, MANAGE);
  return loadDetail(ctx, await bodyOr404(gov(ctx.db), ctx, id));
}

export async function getMemberForAdmin(ctx: Ctx, bodyId: number, memberId: number): Promise<{ body: Body; member: Member }> {
  authorize(ctx, MANAGE);
  const db = gov(ctx.db);
  const body = await bodyOr404(db, ctx, bodyId);
  const member = (await repo.bodyMembers(db, ctx.commune.id, bodyId)).find((m) => m.id === memberId);
  if (!member) throw new NotFoundError();
  return { body: toBody(body), member: toMember(member) };
}

/** The latest decisions of every body, for those who record them. */
export async function listRecentDecisions(ctx: Ctx, limit = 50) {
  authorize(ctx, DECIDE);
  const rows = await repo.recentDecisions(gov(ctx.db), ctx.commune.id, limit);
  return rows.map((r) => ({ ...toDecision(r), bodySlug: r.body_slug, bodyName: parseTranslated(r.body_name) }));
}

export async function listEndorsements(ctx: Ctx): Promise<Endorsement[]> {
  return (await repo.listEndorsements(gov(ctx.db), ctx.commune.id)).map(toEndorsement);
}

export async function getEndorsementForAdmin(ctx: Ctx, id: number): Promise<Endorsement> {
  authorize(ctx, MANAGE);
  const row = await repo.findEndorsement(gov(ctx.db), ctx.commune.id, id);
  if (!row) throw new NotFoundError();
  return toEndorsement(row);
}
