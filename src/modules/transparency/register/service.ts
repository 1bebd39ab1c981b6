import { sql } from 'kysely';
import { mutate, authorize, type Ctx } from '../../../core/service.ts';
import { NotFoundError, RuleError } from '../../../core/http/errors.ts';
import { parseTranslated, type Translated } from '../../../core/i18n/index.ts';
import { iso } from '../../../core/clock/index.ts';
import { tdb } from '../db.ts';
import { FREQUENCIES, FREQUENCY_MONTHS, type Frequency } from '../schema.ts';
import { statusQuery } from './repo.ts';
import { REFERENCE_ITEMS } from './reference.ts';
import { checkInstitution } from '../documents/service.ts';

/** Editing the register (its items, owners, frequencies): administrators. Seeing what is due or late: staff who publish, and the monitors. */
export const REGISTER = 'transparency.register';
export const REGISTER_VIEW = 'transparency.register_view';
export const STATUSES = ['published', 'out_of_date', 'missing'] as const;
export type RegisterStatus = (typeof STATUSES)[number];

export interface RegisterItem {
  id: number; code: string; title: Translated; description: Translated; institutionId: number | null; frequency: Frequency; sort: number; sample: boolean;
  status: RegisterStatus; latest: string | null; documents: number;
}

/** The date before which a document no longer satisfies an item of each frequency (null: never out of date). */
export function cutoffs(now: Date): Record<Frequency, string | null> {
  return Object.fromEntries(FREQUENCIES.map((f) => {
    const m = FREQUENCY_MONTHS[f];
    if (m === null) return [f, null];
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - m);
    return [f, iso(d)];
  })) as Record<Frequency, string | null>;
}

type Row = { id: number; code: string; title: string; description: string; institution_id: number | null; frequency: string; sort: number; sample: number; latest: unknown; documents: unknown; status: string };
const toItem = (r: Row): RegisterItem => ({
  id: r.id, code: r.code, title: parseTranslated(r.title), description: parseTranslated(r.description), institutionId: r.institution_id, frequency: r.frequency as Frequency,
  sort: r.sort, sample: !!r.sample, status: r.status as RegisterStatus, latest: (r.latest as string | null) ?? null, documents: Number(r.documents ?? 0),
});

/** Every item with its status at `at` (default now). */
export async function registerItems(ctx: Ctx, at?: Date): Promise<RegisterItem[]> {
  const now = at ?? ctx.clock.now();
  const rows = await statusQuery(tdb(ctx.db), ctx.commune.id, iso(now), cutoffs(now)).orderBy('r.sort').orderBy('r.id').execute();
  return (rows as Row[]).map(toItem);
}

export async function listRegisterItems(ctx: Ctx) { return registerItems(ctx); }

export interface Compliance {
  total: number; counts: Record<RegisterStatus, number>;
  byDepartment: { institutionId: number | null; total: number; published: number; out_of_date: number; missing: number }[];
}

/** The compliance figures, aggregated in SQL over the statuses. */
export async function compliance(ctx: Ctx, at?: Date): Promise<Compliance> {
  const now = at ?? ctx.clock.now();
  const db = tdb(ctx.db);
  const base = statusQuery(db, ctx.commune.id, iso(now), cutoffs(now));
  const rows = await db.selectFrom(base.as('s'))
    .select(['s.institution_id', (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when s.status = 'published' then 1 else 0 end)`.as('published'),
      sql<number>`sum(case when s.status = 'out_of_date' then 1 else 0 end)`.as('out_of_date'),
      sql<number>`sum(case when s.status = 'missing' then 1 else 0 end)`.as('missing')])
    .groupBy('s.institution_id').execute();
  const byDepartment = rows.map((r) => ({ institutionId: r.institution_id, total: Number(r.total), published: Number(r.published), out_of_date: Number(r.out_of_date), missing: Number(r.missing) }));
  const counts = { published: 0, out_of_date: 0, missing: 0 };
  for (const r of byDepartment) { counts.published += r.published; counts.out_of_date += r.out_of_date; counts.missing += r.missing; }
  return { total: byDepartment.reduce((a, r) => a + r.total, 0), counts, byDepartment };
}

/** What is due or late: items out of date or missing, for the staff page. */
export async function dueItems(ctx: Ctx): Promise<RegisterItem[]> {
  authorize(ctx, REGISTER_VIEW);
  return (await registerItems(ctx)).filter((i) => i.status !== 'published');
}

export interface ItemInput { code: string; title: Translated; description: Translated; institutionId: number | null; frequency: Frequency; sort: number; sample?: boolean }

function check(i: ItemInput) {
  if (!/^[a-z0-9][a-z0-9.-]{0,39}$/.test(i.code)) throw new RuleError('transparency.errors.code', {}, 'code');
  if (!FREQUENCIES.includes(i.frequency)) throw new RuleError('transparency.errors.frequency', {}, 'frequency');
}

export async function createItem(ctx: Ctx, i: ItemInput): Promise<number> {
  check(i);
  return mutate(ctx, { permission: REGISTER, action: 'register.create', entity: 'register_item' }, async (t) => {
    const trx = tdb(t);
    await checkInstitution(ctx, t, i.institutionId);
    if (await trx.selectFrom('register_items').select('id').where('commune_id', '=', ctx.commune.id).where('code', '=', i.code).executeTakeFirst()) throw new RuleError('transparency.errors.codeTaken', {}, 'code');
    const { id } = await trx.insertInto('register_items').values({
      commune_id: ctx.commune.id, code: i.code, title: JSON.stringify(i.title), description: JSON.stringify(i.description), institution_id: i.institutionId,
      frequency: i.frequency, sort: i.sort, sample: i.sample ? 1 : 0,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: i.code, after: i };
  });
}

export async function updateItem(ctx: Ctx, id: number, i: Omit<ItemInput, 'code'>): Promise<void> {
  await mutate(ctx, { permission: REGISTER, action: 'register.update', entity: 'register_item' }, async (t) => {
    const trx = tdb(t);
    const before = await trx.selectFrom('register_items').selectAll().where('commune_id', '=', ctx.commune.id).where('id', '=', id).executeTakeFirst();
    if (!before) throw new NotFoundError();
    check({ ...i, code: before.code });
    await checkInstitution(ctx, t, i.institutionId);
    await trx.updateTable('register_items').set({ title: JSON.stringify(i.title), description: JSON.stringify(i.description), institution_id: i.institutionId, frequency: i.frequency, sort: i.sort })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    return { result: undefined, entityId: before.code, before, after: i };
  });
}

export async function getItemForAdmin(ctx: Ctx, id: number): Promise<RegisterItem> {
  authorize(ctx, REGISTER);
  const item = (await registerItems(ctx)).find((x) => x.id === id);
  if (!item) throw new NotFoundError();
  return item;
}

/**
 * Loads the reference list (Law 31-13, art. 10) into a commune whose register is empty, in French and Arabic (and English),
 * each item owned by the department named by its slug when the commune has it.
 */
export async function seedRegister(ctx: Ctx, opts: { sample?: boolean } = {}): Promise<number> {
  return mutate(ctx, { permission: REGISTER, action: 'register.seed', entity: 'register_item' }, async (t) => {
    const trx = tdb(t);
    const any = await trx.selectFrom('register_items').select('id').where('commune_id', '=', ctx.commune.id).limit(1).executeTakeFirst();
    if (any) return { result: 0, entityId: null };
    const insts = await trx.selectFrom('institutions').select(['id', 'slug']).where('commune_id', '=', ctx.commune.id).execute();
    for (const [i, r] of REFERENCE_ITEMS.entries()) {
      await trx.insertInto('register_items').values({
        commune_id: ctx.commune.id, code: r.code, title: JSON.stringify(r.title), description: JSON.stringify(r.description),
        institution_id: insts.find((x) => x.slug === r.department)?.id ?? null, frequency: r.frequency, sort: (i + 1) * 10, sample: opts.sample ? 1 : 0,
      }).execute();
    }
    return { result: REFERENCE_ITEMS.length, entityId: null, after: { items: REFERENCE_ITEMS.map((r) => r.code) } };
  });
}
