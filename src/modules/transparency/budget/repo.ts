import type { Kysely, ExpressionBuilder } from 'kysely';
import type { CoreTables } from '../../../core/db/tables.ts';
import { insertMany } from '../../../core/db/bulk.ts';
import type { AnyDB } from '../../../core/db/index.ts';
import { PHASES, type BudgetTables, type Phase } from './schema.ts';

/**
 * The only place with the budget module's SQL. Every roll-up is one aggregate query (a sum per group,
 * the phases pivoted with CASE), never a query per line.
 */
export type PlanTables = {
  plans: { id: number; commune_id: number; slug: string; title: string; status: string };
  commitments: { id: number; commune_id: number; plan_id: number; number: string; title: string; sort: number };
};
export type BudgetDB = Kysely<CoreTables & BudgetTables & PlanTables>;
export const bdb = (db: AnyDB | Kysely<CoreTables>): BudgetDB => (db as AnyDB).withTables<BudgetTables & PlanTables>() as unknown as BudgetDB;

type EB = ExpressionBuilder<any, any>;
/** One sum per phase, as columns `forecast`, `amended`, `committed`, `executed` (null when the phase has none). */
const pivot = (eb: EB) => PHASES.map((p) => eb.fn.sum<number | null>(eb.case().when('a.phase', '=', p).then(eb.ref('a.amount')).end()).as(p));
export type PhaseSums = Record<Phase, number | null>;

const joinLine = (q: any) => q.innerJoin('budget_nomenclature as n', (j: any) => j.onRef('n.commune_id', '=', 'a.commune_id').onRef('n.code', '=', 'a.line_code'));
/** Leaves out internal transfers (counted twice otherwise). */
const external = (q: any) => q.where((eb: EB) => eb.or([eb('n.source', 'is', null), eb('n.source', '<>', 'internal')]));
const joinMap = (q: any) => q.leftJoin('budget_line_map as m', (j: any) => j.onRef('m.commune_id', '=', 'a.commune_id').onRef('m.line_code', '=', 'a.line_code'));

// ---------- Nomenclature ----------

export function nomenclatureIndex(db: BudgetDB, communeId: number) {
  return db.selectFrom('budget_nomenclature').select(['code', 'level', 'part', 'direction']).where('commune_id', '=', communeId).execute();
}

const nomColumns = ['code', 'level', 'parent_code', 'chapter_code', 'part', 'direction', 'label', 'source', 'sample'] as const;

export function findNomenclature(db: BudgetDB, communeId: number, code: string) {
  return db.selectFrom('budget_nomenclature').select([...nomColumns]).where('commune_id', '=', communeId).where('code', '=', code).executeTakeFirst();
}

export function nomenclatureByCodes(db: BudgetDB, communeId: number, codes: string[]) {
  return db.selectFrom('budget_nomenclature').select([...nomColumns]).where('commune_id', '=', communeId).where('code', 'in', codes.length ? codes : ['\u0000none']).execute();
}

/** A page of the nomenclature in code order, optionally filtered by a code prefix. */
export async function listNomenclature(db: BudgetDB, communeId: number, f: { prefix: string; offset: number; limit: number }) {
  let q = db.selectFrom('budget_nomenclature').where('commune_id', '=', communeId);
  if (f.prefix) q = q.where('code', '>=', f.prefix).where('code', '<', `${f.prefix}\uffff`);
  const [rows, total] = await Promise.all([
    q.select([...nomColumns]).orderBy('code').offset(f.offset).limit(f.limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function insertNomenclature(db: BudgetDB, row: BudgetTables['budget_nomenclature'] extends infer R ? Omit<R, 'id'> : never) {
  return db.insertInto('budget_nomenclature').values(row as any).execute();
}

// ---------- Years and amounts ----------

export function listYears(db: BudgetDB, communeId: number) {
  return db.selectFrom('budget_years').select(['year', 'population', 'explanations', 'sample']).where('commune_id', '=', communeId).orderBy('year', 'desc').execute();
}

export function findYear(db: BudgetDB, communeId: number, year: number) {
  return db.selectFrom('budget_years').select(['year', 'population', 'explanations', 'sample']).where('commune_id', '=', communeId).where('year', '=', year).executeTakeFirst();
}

/** The amounts of the given years (all phases), for an import's preview. */
export function amountsOfYears(db: BudgetDB, communeId: number, years: number[]) {
  return db.selectFrom('budget_amounts').select(['year', 'phase', 'line_code', 'amount'])
    .where('commune_id', '=', communeId).where('year', 'in', years.length ? years : [-1]).execute();
}

/** Replaces, for each year and phase, every amount by the file's; in the caller's transaction. */
export async function replaceAmounts(trx: AnyDB, communeId: number, scopes: { year: number; phase: Phase }[], amounts: Map<string, number>): Promise<void> {
  const db = bdb(trx);
  for (const s of scopes) {
    await db.deleteFrom('budget_amounts').where('commune_id', '=', communeId).where('year', '=', s.year).where('phase', '=', s.phase).execute();
  }
  const rows: unknown[][] = [];
  for (const [key, amount] of amounts) {
    const [year, phase, code] = key.split('|');
    rows.push([communeId, Number(year), code, phase, amount]);
  }
  await insertMany(trx, 'budget_amounts', ['commune_id', 'year', 'line_code', 'phase', 'amount'], rows);
  await refreshTotals(trx, communeId, [...new Set(scopes.map((s) => s.year))]);
}

export async function ensureYears(trx: AnyDB, communeId: number, years: number[], sample = false): Promise<void> {
  const db = bdb(trx);
  const have = new Set((await db.selectFrom('budget_years').select('year').where('commune_id', '=', communeId).where('year', 'in', years.length ? years : [-1]).execute()).map((r) => r.year));
  const missing = years.filter((y) => !have.has(y));
  if (missing.length) await db.insertInto('budget_years').values(missing.map((year) => ({ commune_id: communeId, year, population: 0, explanations: '{}', sample: sample ? 1 : 0 }))).execute();
}

export function updateYear(db: BudgetDB, communeId: number, year: number, v: { population: number; explanations: string }) {
  return db.updateTable('budget_years').set(v).where('commune_id', '=', communeId).where('year', '=', year).execute();
}

// ---------- Roll-ups (SQL aggregates) ----------

/** Totals per year, direction and phase (the summary table kept by imports): the year-on-year chart and the list of years. */
export async function totalsByYear(db: BudgetDB, communeId: number): Promise<({ year: number; direction: string } & PhaseSums)[]> {
  const rows = await db.selectFrom('budget_totals').select(['year', 'direction', 'phase', 'amount']).where('commune_id', '=', communeId).orderBy('year').execute();
  const out = new Map<string, { year: number; direction: string } & PhaseSums>();
  for (const r of rows) {
    const k = `${r.year}|${r.direction}`;
    const o = out.get(k) ?? { year: r.year, direction: r.direction, forecast: null, amended: null, committed: null, executed: null };
    o[r.phase as Phase] = Number(r.amount);
    out.set(k, o);
  }
  return [...out.values()];
}

/** Recomputes the summary of these years from their amounts (one aggregate), in the caller's transaction. */
export async function refreshTotals(trx: AnyDB, communeId: number, years: number[]): Promise<void> {
  const db = bdb(trx);
  if (!years.length) return;
  await db.deleteFrom('budget_totals').where('commune_id', '=', communeId).where('year', 'in', years).execute();
  await db.insertInto('budget_totals').columns(['commune_id', 'year', 'direction', 'phase', 'amount']).expression(
    external(joinLine(db.selectFrom('budget_amounts as a')))
      .select((eb: EB) => [eb.cast(eb.val(communeId), 'integer').as('commune_id'), 'a.year', 'n.direction', 'a.phase', eb.fn.sum('a.amount').as('amount')])
      .where('a.commune_id', '=', communeId).where('a.year', 'in', years)
      .groupBy(['a.year', 'n.direction', 'a.phase']),
  ).execute();
}

/** A year's totals per part and direction. */
export function totalsByPart(db: BudgetDB, communeId: number, year: number) {
  return joinLine(db.selectFrom('budget_amounts as a'))
    .select((eb: EB) => ['n.part', 'n.direction', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year)
    .groupBy(['n.part', 'n.direction']).execute() as Promise<({ part: string; direction: string } & PhaseSums)[]>;
}

/** A year's receipts by source (own taxes, the VAT share, transfers, loans). */
export function receiptsBySource(db: BudgetDB, communeId: number, year: number) {
  return external(joinLine(db.selectFrom('budget_amounts as a'))
    ).select((eb: EB) => ['n.source', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year).where('n.direction', '=', 'receipt')
    .groupBy(['n.source']).execute() as Promise<({ source: string | null } & PhaseSums)[]>;
}

/** A year's expenditure by function (null: lines not mapped to a function yet). */
export function expenditureByFunction(db: BudgetDB, communeId: number, year: number) {
  return external(joinMap(joinLine(db.selectFrom('budget_amounts as a'))))
    .select((eb: EB) => ['m.function_id', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year).where('n.direction', '=', 'expenditure')
    .groupBy(['m.function_id']).execute() as Promise<({ function_id: number | null } & PhaseSums)[]>;
}

const inFunction = (q: any, functionId: number | null) => (functionId === null ? q.where('m.function_id', 'is', null) : q.where('m.function_id', '=', functionId));

/** A function's expenditure in a year, by chapter. */
export function functionChapters(db: BudgetDB, communeId: number, year: number, functionId: number | null) {
  return inFunction(external(joinMap(joinLine(db.selectFrom('budget_amounts as a')))), functionId)
    .select((eb: EB) => ['n.chapter_code', 'n.part', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year).where('n.direction', '=', 'expenditure')
    .groupBy(['n.chapter_code', 'n.part']).orderBy('n.chapter_code').execute() as Promise<({ chapter_code: string; part: string } & PhaseSums)[]>;
}

/** A function's expenditure lines in a year, each with its phases. */
export function functionLines(db: BudgetDB, communeId: number, year: number, functionId: number | null) {
  return inFunction(external(joinMap(joinLine(db.selectFrom('budget_amounts as a')))), functionId)
    .select((eb: EB) => ['a.line_code', 'n.chapter_code', 'n.label', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year).where('n.direction', '=', 'expenditure')
    .groupBy(['a.line_code', 'n.chapter_code', 'n.label']).orderBy('a.line_code').execute() as Promise<({ line_code: string; chapter_code: string; label: string } & PhaseSums)[]>;
}

/** One line over the years. */
export function lineByYear(db: BudgetDB, communeId: number, code: string) {
  return db.selectFrom('budget_amounts as a').select((eb: EB) => ['a.year', ...pivot(eb)] as any)
    .where('a.commune_id', '=', communeId).where('a.line_code', '=', code)
    .groupBy('a.year').orderBy('a.year').execute() as unknown as Promise<({ year: number } & PhaseSums)[]>;
}

/** Every line of a year with its phases, its labels and its function, in code order from `after` (the CSV export, by pages). */
export function yearLines(db: BudgetDB, communeId: number, year: number, after: string, limit: number) {
  return joinMap(joinLine(db.selectFrom('budget_amounts as a')))
    .leftJoin('budget_functions as f', (j: any) => j.onRef('f.commune_id', '=', 'm.commune_id').onRef('f.id', '=', 'm.function_id'))
    .select((eb: EB) => ['a.line_code', 'n.chapter_code', 'n.parent_code', 'n.part', 'n.direction', 'n.label', 'n.source', 'f.slug as function_slug', 'm.district', ...pivot(eb)])
    .where('a.commune_id', '=', communeId).where('a.year', '=', year).where('a.line_code', '>', after)
    .groupBy(['a.line_code', 'n.chapter_code', 'n.parent_code', 'n.part', 'n.direction', 'n.label', 'n.source', 'f.slug', 'm.district'])
    .orderBy('a.line_code').limit(limit).execute() as Promise<({
      line_code: string; chapter_code: string; parent_code: string | null; part: string; direction: string; label: string; source: string | null;
      function_slug: string | null; district: string | null;
    } & PhaseSums)[]>;
}

// ---------- Functions, mapping, commitments ----------

export function listFunctions(db: BudgetDB, communeId: number) {
  return db.selectFrom('budget_functions').select(['id', 'slug', 'label', 'description', 'sort', 'sample']).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}

export function findFunctionBySlug(db: BudgetDB, communeId: number, slug: string) {
  return db.selectFrom('budget_functions').select(['id', 'slug', 'label', 'description', 'sort', 'sample']).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

export function lineMap(db: BudgetDB, communeId: number, code: string) {
  return db.selectFrom('budget_line_map as m')
    .leftJoin('budget_functions as f', (j) => j.onRef('f.commune_id', '=', 'm.commune_id').onRef('f.id', '=', 'm.function_id'))
    .select(['m.line_code', 'm.function_id', 'm.district', 'f.slug', 'f.label'])
    .where('m.commune_id', '=', communeId).where('m.line_code', '=', code).executeTakeFirst();
}

export async function setLineMap(trx: AnyDB, communeId: number, code: string, functionId: number | null, district: string | null): Promise<void> {
  const db = bdb(trx);
  const r = await db.updateTable('budget_line_map').set({ function_id: functionId, district }).where('commune_id', '=', communeId).where('line_code', '=', code).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await db.insertInto('budget_line_map').values({ commune_id: communeId, line_code: code, function_id: functionId, district }).execute();
}

/** Lines whose code starts with a prefix, with their current function (the mapping page). */
export function linesWithMap(db: BudgetDB, communeId: number, f: { prefix: string; offset: number; limit: number }) {
  let q = db.selectFrom('budget_nomenclature as n')
    .leftJoin('budget_line_map as m', (j) => j.onRef('m.commune_id', '=', 'n.commune_id').onRef('m.line_code', '=', 'n.code'))
    .where('n.commune_id', '=', communeId).where('n.level', '=', 'line').where('n.direction', '=', 'expenditure');
  if (f.prefix) q = q.where('n.code', '>=', f.prefix).where('n.code', '<', `${f.prefix}\uffff`);
  return Promise.all([
    q.select(['n.code', 'n.label', 'm.function_id', 'm.district']).orderBy('n.code').offset(f.offset).limit(f.limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)),
  ]);
}

/** The commitments each of these lines funds (public pages of the plans), in one query. */
export function commitmentsOfLines(db: BudgetDB, communeId: number, codes: string[]) {
  return db.selectFrom('budget_line_commitments as l')
    .innerJoin('commitments as c', (j) => j.onRef('c.commune_id', '=', 'l.commune_id').onRef('c.id', '=', 'l.commitment_id'))
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['l.line_code', 'c.id', 'c.number', 'c.title', 'p.slug as plan_slug', 'p.status as plan_status'])
    .where('l.commune_id', '=', communeId).where('l.line_code', 'in', codes.length ? codes : ['\u0000none'])
    .orderBy('p.slug').orderBy('c.sort').orderBy('c.id').execute();
}

/** The lines a commitment's budget comes from, with the latest year's amounts. */
export function linesOfCommitment(db: BudgetDB, communeId: number, commitmentId: number) {
  return db.selectFrom('budget_line_commitments as l')
    .innerJoin('budget_nomenclature as n', (j) => j.onRef('n.commune_id', '=', 'l.commune_id').onRef('n.code', '=', 'l.line_code'))
    .select(['l.line_code', 'n.label', 'n.sample'])
    .where('l.commune_id', '=', communeId).where('l.commitment_id', '=', commitmentId).orderBy('l.line_code').execute();
}

export function findCommitment(db: BudgetDB, communeId: number, plan: string, number: string) {
  return db.selectFrom('commitments as c')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['c.id', 'c.number', 'c.title', 'p.slug as plan_slug'])
    .where('c.commune_id', '=', communeId).where('p.slug', '=', plan).where('c.number', '=', number).executeTakeFirst();
}

export async function linkCommitment(trx: AnyDB, communeId: number, code: string, commitmentId: number): Promise<boolean> {
  const db = bdb(trx);
  const have = await db.selectFrom('budget_line_commitments').select('id').where('commune_id', '=', communeId).where('line_code', '=', code).where('commitment_id', '=', commitmentId).executeTakeFirst();
  if (have) return false;
  await db.insertInto('budget_line_commitments').values({ commune_id: communeId, line_code: code, commitment_id: commitmentId }).execute();
  return true;
}

export function unlinkCommitment(trx: AnyDB, communeId: number, code: string, commitmentId: number) {
  return bdb(trx).deleteFrom('budget_line_commitments').where('commune_id', '=', communeId).where('line_code', '=', code).where('commitment_id', '=', commitmentId).executeTakeFirst();
}

export function listCommitmentChoices(db: BudgetDB, communeId: number) {
  return db.selectFrom('commitments as c')
    .innerJoin('plans as p', (j) => j.onRef('p.commune_id', '=', 'c.commune_id').onRef('p.id', '=', 'c.plan_id'))
    .select(['c.id', 'c.number', 'c.title', 'p.slug as plan_slug']).where('c.commune_id', '=', communeId)
    .orderBy('p.slug').orderBy('c.sort').orderBy('c.id').limit(2000).execute();
}

// ---------- Glossary ----------

export function listGlossary(db: BudgetDB, communeId: number) {
  return db.selectFrom('budget_glossary').select(['id', 'slug', 'term', 'definition', 'sort', 'sample']).where('commune_id', '=', communeId).orderBy('sort').orderBy('id').execute();
}

export function findTerm(db: BudgetDB, communeId: number, slug: string) {
  return db.selectFrom('budget_glossary').select(['id', 'slug', 'term', 'definition', 'sort', 'sample']).where('commune_id', '=', communeId).where('slug', '=', slug).executeTakeFirst();
}

// ---------- Imports ----------

export function findImport(db: BudgetDB, communeId: number, id: number) {
  return db.selectFrom('budget_imports as i').innerJoin('files as f', (j) => j.onRef('f.commune_id', '=', 'i.commune_id').onRef('f.id', '=', 'i.file_id'))
    .select(['i.id', 'i.status', 'i.file_id', 'i.filename', 'i.summary', 'i.created_at', 'i.applied_at', 'f.sha256', 'f.kind', 'f.size'])
    .where('i.commune_id', '=', communeId).where('i.id', '=', id).executeTakeFirst();
}

export function listImports(db: BudgetDB, communeId: number, limit = 20) {
  return db.selectFrom('budget_imports').select(['id', 'status', 'filename', 'summary', 'created_at', 'applied_at'])
    .where('commune_id', '=', communeId).orderBy('id', 'desc').limit(limit).execute();
}
