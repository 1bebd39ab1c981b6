import fs from 'node:fs';
import { z } from 'zod';
import { mutate, authorize, versionedRead, type Ctx } from '../../../core/service.ts';
import { NotFoundError, RuleError, AppError } from '../../../core/http/errors.ts';
import { parseInput, text, optionalText, oneOf, int, translatedFields, collectTranslated } from '../../../core/http/forms.ts';
import { parseTranslated, tr, type Translated } from '../../../core/i18n/index.ts';
import { iso } from '../../../core/clock/index.ts';
import { writeFile, storagePath, sniff, cleanFilename, type Upload, type PreparedFile } from '../../../core/files/index.ts';
import type { RelatedGroup } from '../../../core/module.ts';
import {
  PHASES, PARTS, DIRECTIONS, LEVELS, SOURCES, INTERNAL, EXPLAINED, CODE_RE, type Phase, type Level, type Explained,
} from './schema.ts';
import { csvRows, xlsxRows, validateRows, type ImportIssue, type NomenclatureEntry } from './import.ts';
import * as repo from './repo.ts';
import { storeDocument } from '../documents/api.ts';
import { bdb, type PhaseSums } from './repo.ts';

export const MANAGE = 'budget.manage';
export const EXPLAIN = 'budget.explain';
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const db = (ctx: Ctx) => bdb(ctx.db);
const empty = (): PhaseSums => ({ forecast: null, amended: null, committed: null, executed: null });
const sums = (r: Partial<PhaseSums>): PhaseSums => Object.fromEntries(PHASES.map((p) => [p, r[p] === null || r[p] === undefined ? null : Number(r[p])])) as PhaseSums;
const addSums = (a: PhaseSums, b: PhaseSums): PhaseSums => Object.fromEntries(PHASES.map((p) => [p, a[p] === null && b[p] === null ? null : (a[p] ?? 0) + (b[p] ?? 0)])) as PhaseSums;

/** The voted budget of a year: as amended when there is an amended budget, else the initial one. */
export function voted(s: PhaseSums): number | null { return s.amended ?? s.forecast; }
/** Executed as a share of the voted budget, in percent (null when either is missing). */
export function executionRate(s: PhaseSums): number | null {
  const v = voted(s);
  return v && s.executed !== null ? (s.executed / v) * 100 : null;
}

// ---------- Types ----------

export interface YearInfo { year: number; population: number; explanations: Partial<Record<Explained, Translated>>; sample: boolean }
export interface FunctionInfo { id: number; slug: string; label: Translated; description: Translated; sample: boolean }
export interface YearTotals { year: number; receipts: PhaseSums; expenditure: PhaseSums }
export interface Overview {
  info: YearInfo;
  years: number[];
  receipts: PhaseSums;
  expenditure: PhaseSums;
  parts: { part: string; receipts: PhaseSums; expenditure: PhaseSums }[];
  sources: { source: string; sums: PhaseSums }[];
  functions: { fn: FunctionInfo | null; sums: PhaseSums }[];
  history: YearTotals[];
  /** Whether any amended budget exists this year (then "voted" means amended). */
  amended: boolean;
}
export interface LineRow { code: string; chapter: string; label: Translated; sums: PhaseSums; commitments: CommitmentRef[] }
export interface CommitmentRef { id: number; number: string; title: Translated; path: string }
export interface Term { slug: string; term: Translated; definition: Translated; sample: boolean }

const toYear = (r: { year: number; population: number; explanations: string; sample: number }): YearInfo => {
  let explanations: YearInfo['explanations'] = {};
  try { explanations = JSON.parse(r.explanations) ?? {}; } catch { /* kept empty */ }
  return { year: r.year, population: r.population, explanations, sample: !!r.sample };
};
const toFunction = (r: { id: number; slug: string; label: string; description: string; sample: number }): FunctionInfo => ({
  id: r.id, slug: r.slug, label: parseTranslated(r.label), description: parseTranslated(r.description), sample: !!r.sample,
});
const commitmentPath = (plan: string, number: string) => `/plans/${encodeURIComponent(plan)}/commitments/${encodeURIComponent(number)}`;

// ---------- Public reads (kept per data version: the citizen budget is read far more than it changes) ----------

export function listYears(ctx: Ctx): Promise<YearInfo[]> {
  return versionedRead(ctx, 'budget:years', async () => (await repo.listYears(db(ctx), ctx.commune.id)).map(toYear));
}

export function listFunctions(ctx: Ctx): Promise<FunctionInfo[]> {
  return versionedRead(ctx, 'budget:functions', async () => (await repo.listFunctions(db(ctx), ctx.commune.id)).map(toFunction));
}

export function glossary(ctx: Ctx): Promise<Term[]> {
  return versionedRead(ctx, 'budget:glossary', async () => (await repo.listGlossary(db(ctx), ctx.commune.id))
    .map((r) => ({ slug: r.slug, term: parseTranslated(r.term), definition: parseTranslated(r.definition), sample: !!r.sample })));
}

export async function latestYear(ctx: Ctx): Promise<number | null> {
  return (await listYears(ctx))[0]?.year ?? null;
}

async function yearOr404(ctx: Ctx, year: number): Promise<YearInfo> {
  const y = (await listYears(ctx)).find((x) => x.year === year);
  if (!y) throw new NotFoundError();
  return y;
}

export async function overview(ctx: Ctx, year: number): Promise<Overview> {
  const found = await yearOr404(ctx, year);
  // Per inhabitant: the year's population, else the commune's.
  const info = { ...found, population: found.population || ctx.commune.population || 0 };
  return versionedRead(ctx, `budget:overview:${year}`, async () => {
    const [years, fns, parts, sources, byFn, history] = await Promise.all([
      listYears(ctx), listFunctions(ctx),
      repo.totalsByPart(db(ctx), ctx.commune.id, year),
      repo.receiptsBySource(db(ctx), ctx.commune.id, year),
      repo.expenditureByFunction(db(ctx), ctx.commune.id, year),
      repo.totalsByYear(db(ctx), ctx.commune.id),
    ]);
    const partRows = PARTS.map((part) => ({
      part,
      receipts: sums(parts.find((p) => p.part === part && p.direction === 'receipt') ?? {}),
      expenditure: sums(parts.find((p) => p.part === part && p.direction === 'expenditure') ?? {}),
    })).filter((p) => PHASES.some((ph) => p.receipts[ph] !== null || p.expenditure[ph] !== null));
    const mine = history.filter((r) => r.year === year);
    const receipts = sums(mine.find((r) => r.direction === 'receipt') ?? {});
    const expenditure = sums(mine.find((r) => r.direction === 'expenditure') ?? {});
    const fnById = new Map(fns.map((f) => [f.id, f]));
    const functions = byFn.map((r) => ({ fn: r.function_id === null ? null : fnById.get(r.function_id) ?? null, sums: sums(r) }))
      .sort((a, b) => (voted(b.sums) ?? 0) - (voted(a.sums) ?? 0));
    const hist = new Map<number, YearTotals>();
    for (const r of history) {
      const y = hist.get(r.year) ?? { year: r.year, receipts: empty(), expenditure: empty() };
      y[r.direction === 'receipt' ? 'receipts' : 'expenditure'] = sums(r);
      hist.set(r.year, y);
    }
    return {
      info, years: years.map((y) => y.year).sort((a, b) => a - b), receipts, expenditure, parts: partRows,
      sources: SOURCES.map((s) => ({ source: s, sums: sums(sources.find((r) => (r.source ?? 'other') === s) ?? {}) }))
        .concat(sources.filter((r) => r.source && !(SOURCES as readonly string[]).includes(r.source)).map((r) => ({ source: 'other', sums: sums(r) })))
        .filter((s) => voted(s.sums) !== null || s.sums.executed !== null),
      functions, history: [...hist.values()].sort((a, b) => a.year - b.year),
      amended: receipts.amended !== null || expenditure.amended !== null,
    };
  });
}

async function commitmentRefs(ctx: Ctx, codes: string[]): Promise<Map<string, CommitmentRef[]>> {
  const out = new Map<string, CommitmentRef[]>();
  for (const r of await repo.commitmentsOfLines(db(ctx), ctx.commune.id, codes)) {
    if (r.plan_status === 'draft') continue;
    const list = out.get(r.line_code) ?? [];
    list.push({ id: r.id, number: r.number, title: parseTranslated(r.title), path: commitmentPath(r.plan_slug, r.number) });
    out.set(r.line_code, list);
  }
  return out;
}

/** A function's expenditure in a year: by chapter, then line by line. `other`: lines not mapped yet. */
export async function functionDetail(ctx: Ctx, year: number, slug: string) {
  const info = await yearOr404(ctx, year);
  const fns = await listFunctions(ctx);
  const fn = slug === 'other' ? null : fns.find((f) => f.slug === slug);
  if (fn === undefined) throw new NotFoundError();
  return versionedRead(ctx, `budget:function:${year}:${slug}`, async () => {
    const fid = fn ? fn.id : null;
    const [chapters, lines] = await Promise.all([
      repo.functionChapters(db(ctx), ctx.commune.id, year, fid),
      repo.functionLines(db(ctx), ctx.commune.id, year, fid),
    ]);
    const labels = new Map((await repo.nomenclatureByCodes(db(ctx), ctx.commune.id, chapters.map((c) => c.chapter_code))).map((n) => [n.code, parseTranslated(n.label)]));
    const refs = await commitmentRefs(ctx, lines.map((l) => l.line_code));
    return {
      info, fn,
      chapters: chapters.map((c) => ({ code: c.chapter_code, part: c.part, label: labels.get(c.chapter_code) ?? {}, sums: sums(c) })),
      lines: lines.map((l): LineRow => ({ code: l.line_code, chapter: l.chapter_code, label: parseTranslated(l.label), sums: sums(l), commitments: refs.get(l.line_code) ?? [] })),
      total: chapters.reduce((a, c) => addSums(a, sums(c)), empty()),
    };
  });
}

/** One budget line: its place in the nomenclature, its function, its amounts year by year, the commitments it funds. */
export async function lineDetail(ctx: Ctx, code: string) {
  const n = await repo.findNomenclature(db(ctx), ctx.commune.id, code);
  if (!n || n.level !== 'line') throw new NotFoundError();
  const [years, map, refs, parents] = await Promise.all([
    repo.lineByYear(db(ctx), ctx.commune.id, code),
    repo.lineMap(db(ctx), ctx.commune.id, code),
    commitmentRefs(ctx, [code]),
    ancestors(ctx, n.parent_code),
  ]);
  return {
    code: n.code, label: parseTranslated(n.label), part: n.part, direction: n.direction, source: n.source, sample: !!n.sample,
    parents, fn: map?.slug ? { slug: map.slug, label: parseTranslated(map.label) } : null, district: map?.district ?? null,
    years: years.map((y) => ({ year: y.year, sums: sums(y) })), commitments: refs.get(code) ?? [],
  };
}

async function ancestors(ctx: Ctx, parent: string | null): Promise<{ code: string; level: string; label: Translated }[]> {
  const out: { code: string; level: string; label: Translated }[] = [];
  for (let c = parent, i = 0; c && i < 4; i++) {
    const p = await repo.findNomenclature(db(ctx), ctx.commune.id, c);
    if (!p) break;
    out.unshift({ code: p.code, level: p.level, label: parseTranslated(p.label) });
    c = p.parent_code;
  }
  return out;
}

/** What a commitment's public page lists: the budget lines that fund it (manifest `related`). */
export async function relatedToCommitment(ctx: Ctx, commitmentId: number): Promise<RelatedGroup[]> {
  const lines = await repo.linesOfCommitment(db(ctx), ctx.commune.id, commitmentId);
  const year = lines.length ? await latestYear(ctx) : null;
  return [{
    titleKey: 'budget.related.lines',
    items: lines.map((l) => ({ title: prefixed(l.line_code, parseTranslated(l.label)), path: year ? `/budget/lines/${encodeURIComponent(l.line_code)}` : `/budget`, sample: !!l.sample })),
  }];
}

const prefixed = (code: string, label: Translated): Translated => Object.fromEntries(Object.entries(label).map(([l, v]) => [l, `${code} — ${v}`]));

// ---------- Open data ----------

export interface ExportLine {
  code: string; chapter: string; parent: string | null; part: string; direction: string; label: Translated; source: string | null;
  fn: string | null; district: string | null; sums: PhaseSums;
}

/** Every line of a year, page by page (the CSV exports stream from this). */
export async function* exportLines(ctx: Ctx, year: number): AsyncGenerator<ExportLine> {
  await yearOr404(ctx, year);
  for (let after = ''; ;) {
    const rows = await repo.yearLines(db(ctx), ctx.commune.id, year, after, 1000);
    for (const r of rows) {
      yield { code: r.line_code, chapter: r.chapter_code, parent: r.parent_code, part: r.part, direction: r.direction, label: parseTranslated(r.label), source: r.source, fn: r.function_slug, district: r.district, sums: sums(r) };
    }
    if (rows.length < 1000) return;
    after = rows[rows.length - 1].line_code;
  }
}

export async function requireYear(ctx: Ctx, year: number): Promise<YearInfo> { return yearOr404(ctx, year); }

// ---------- Import ----------

/** The import refused: every issue, line-numbered, for the form to list. */
export class ImportRejected extends AppError {
  constructor(public issues: ImportIssue[]) { super(422, 'import_rejected', 'budget.import.rejected', { count: issues.length }); }
}

export interface ScopeChange {
  year: number; phase: Phase; linesBefore: number; linesAfter: number; totalBefore: number; totalAfter: number;
  added: number; changed: number; removed: number;
}
export interface ImportSummary { lines: number; changes: ScopeChange[] }

function kindOf(upload: Upload): 'csv' | 'xlsx' {
  if (upload.truncated || upload.data.length > MAX_IMPORT_BYTES) throw new RuleError('errors.fileTooLarge', { max: Math.round(MAX_IMPORT_BYTES / 1024 / 1024) }, 'file');
  if (upload.data.length === 0) throw new RuleError('errors.fileEmpty', {}, 'file');
  const k = sniff(upload.data);
  if (k === 'xlsx') return 'xlsx';
  // CSV: text without NUL bytes that decodes as UTF-8.
  if (k === null && !upload.data.includes(0) && !upload.data.toString('utf8').includes('\uFFFD')) return 'csv';
  throw new RuleError('errors.fileType', { allowed: 'CSV, XLSX' }, 'file');
}

async function readAndValidate(ctx: Ctx, data: Buffer, kind: 'csv' | 'xlsx') {
  let rows: { line: number; cells: string[] }[];
  try { rows = kind === 'xlsx' ? await xlsxRows(data) : csvRows(data); } catch (e) {
    throw new ImportRejected([{ line: (e as { lines?: number }).lines ?? null, key: 'budget.import.errors.unreadable' }]);
  }
  const nomenclature = new Map<string, NomenclatureEntry>((await repo.nomenclatureIndex(db(ctx), ctx.commune.id)).map((n) => [n.code, n]));
  return validateRows(rows, nomenclature);
}

async function summarize(ctx: Ctx, parsed: NonNullable<ReturnType<typeof validateRows>['parsed']>): Promise<ImportSummary> {
  const years = [...new Set(parsed.scopes.map((s) => s.year))];
  const current = new Map<string, number>();
  for (const r of await repo.amountsOfYears(db(ctx), ctx.commune.id, years)) current.set(`${r.year}|${r.phase}|${r.line_code}`, Number(r.amount));
  const changes = parsed.scopes.map((s): ScopeChange => {
    const c: ScopeChange = { year: s.year, phase: s.phase, linesBefore: 0, linesAfter: 0, totalBefore: 0, totalAfter: 0, added: 0, changed: 0, removed: 0 };
    const prefix = `${s.year}|${s.phase}|`;
    for (const [k, v] of current) if (k.startsWith(prefix)) { c.linesBefore++; c.totalBefore += v; if (!parsed.amounts.has(k)) c.removed++; }
    for (const [k, v] of parsed.amounts) {
      if (!k.startsWith(prefix)) continue;
      c.linesAfter++; c.totalAfter += v;
      const before = current.get(k);
      if (before === undefined) c.added++; else if (before !== v) c.changed++;
    }
    return c;
  });
  return { lines: parsed.lines, changes };
}

/**
 * First step of an import: the whole file is read and checked; a file with any issue is refused (ImportRejected,
 * nothing stored). A valid file is kept (a stored file and a pending import) for its preview.
 */
export async function prepareImport(ctx: Ctx, upload: Upload | null): Promise<number> {
  authorize(ctx, MANAGE);
  if (!upload) throw new RuleError('errors.required', {}, 'file');
  const kind = kindOf(upload);
  const { issues, parsed } = await readAndValidate(ctx, upload.data, kind);
  if (!parsed) throw new ImportRejected(issues);
  const summary = await summarize(ctx, parsed);
  const file: PreparedFile = { data: upload.data, kind, name: cleanFilename(upload.filename || `budget.${kind}`) };
  return mutate(ctx, { permission: MANAGE, action: 'budget.importPrepared', entity: 'budget_import' }, async (trx) => {
    const stored = await writeFile(trx, ctx.config.dataDir, ctx.commune.id, file, ctx.actor!.userId || null);
    const { id } = await bdb(trx).insertInto('budget_imports').values({
      commune_id: ctx.commune.id, status: 'pending', file_id: stored.id, filename: file.name, summary: JSON.stringify(summary),
      created_at: iso(ctx.clock.now()), created_by: ctx.actor!.userId || null, applied_at: null, document_id: null,
    }).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, after: { file: file.name, sha256: stored.sha256, ...summary } };
  });
}

export async function getImport(ctx: Ctx, id: number) {
  authorize(ctx, MANAGE);
  const r = await repo.findImport(db(ctx), ctx.commune.id, id);
  if (!r) throw new NotFoundError();
  return { id: r.id, status: r.status, filename: r.filename, createdAt: r.created_at, appliedAt: r.applied_at, fileId: r.file_id, summary: JSON.parse(r.summary) as ImportSummary };
}

/** Second step: the kept file is checked again (the nomenclature may have changed) and its amounts replace those of its years and phases. */
export async function applyImport(ctx: Ctx, id: number, sample = false): Promise<ImportSummary> {
  authorize(ctx, MANAGE);
  const r = await repo.findImport(db(ctx), ctx.commune.id, id);
  if (!r) throw new NotFoundError();
  if (r.status !== 'pending') throw new RuleError('budget.import.notPending');
  const data = await fs.promises.readFile(storagePath(ctx.config.dataDir, ctx.commune.id, r.sha256, r.kind));
  const { issues, parsed } = await readAndValidate(ctx, data, r.kind === 'xlsx' ? 'xlsx' : 'csv');
  if (!parsed) throw new ImportRejected(issues);
  const summary = await summarize(ctx, parsed);
  return mutate(ctx, { permission: MANAGE, action: 'budget.import', entity: 'budget_import' }, async (trx) => {
    const claimed = await bdb(trx).updateTable('budget_imports').set({ status: 'applied', applied_at: iso(ctx.clock.now()), summary: JSON.stringify(summary) })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new RuleError('budget.import.notPending');
    const years = [...new Set(parsed.scopes.map((s) => s.year))];
    await repo.ensureYears(trx, ctx.commune.id, years);
    await repo.replaceAmounts(trx, ctx.commune.id, parsed.scopes, parsed.amounts);
    // The imported file is kept as a document of the commune (a draft staff may publish), in this transaction.
    const yearsText = years.join(', ');
    // Its reads go through the transaction too (storeDocument reads a setting through ctx.db, which a SQLite
    // connection held by this transaction would never answer).
    const documentId = await storeDocument({ ...ctx, db: trx as unknown as Ctx['db'] }, trx, {
      kind: 'budget', year: years.length === 1 ? years[0] : null, language: 'fr', publish: false, sample: !!sample,
      title: { fr: `Fichier budgétaire importé (${yearsText})`, ar: `ملف الميزانية المستورد (${yearsText})`, en: `Imported budget file (${yearsText})` },
      file: { bytes: data, name: r.filename, type: r.kind === 'xlsx' ? 'xlsx' : 'csv' },
    });
    await bdb(trx).updateTable('budget_imports').set({ document_id: documentId }).where('commune_id', '=', ctx.commune.id).where('id', '=', id).execute();
    return { result: summary, entityId: id, after: { file: r.filename, sha256: r.sha256, document_id: documentId, ...summary } };
  });
}

export async function discardImport(ctx: Ctx, id: number): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'budget.importDiscarded', entity: 'budget_import' }, async (trx) => {
    const r = await bdb(trx).updateTable('budget_imports').set({ status: 'discarded' })
      .where('commune_id', '=', ctx.commune.id).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new NotFoundError();
    return { result: undefined, entityId: id };
  });
}

export async function recentImports(ctx: Ctx) {
  authorize(ctx, MANAGE);
  return (await repo.listImports(db(ctx), ctx.commune.id)).map((r) => ({ ...r, summary: JSON.parse(r.summary) as ImportSummary }));
}

// ---------- Nomenclature (reference data an admin extends) ----------

const nomenclatureSchema = z.object({
  code: z.preprocess((v) => String(v ?? '').trim(), z.string().min(1).max(40).regex(CODE_RE, { error: 'budget.errors.code' })),
  level: oneOf(LEVELS),
  parent_code: optionalText(40),
  part: z.preprocess((v) => String(v ?? ''), z.union([z.literal(''), z.enum(PARTS)])),
  direction: z.preprocess((v) => String(v ?? ''), z.union([z.literal(''), z.enum(DIRECTIONS)])),
  source: z.preprocess((v) => String(v ?? ''), z.union([z.literal(''), z.enum([...SOURCES, INTERNAL])])),
  ...translatedFields('label', 300),
});

export interface NomenclatureInput {
  code: string; level: Level; parentCode?: string | null; part?: string | null; direction?: string | null; source?: string | null; label: Translated; sample?: boolean;
}

export function nomenclatureFromForm(body: unknown): NomenclatureInput {
  const d = parseInput(nomenclatureSchema, body);
  return { code: d.code, level: d.level, parentCode: d.parent_code || null, part: d.part || null, direction: d.direction || null, source: d.source || null, label: collectTranslated(d, 'label') };
}

/** Adds an entry: a chapter states its part and direction; an article, paragraph or line inherits them from its parent. */
export async function addNomenclature(ctx: Ctx, e: NomenclatureInput): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'budget.nomenclatureAdded', entity: 'budget_nomenclature' }, async (trx) => {
    const b = bdb(trx);
    if (await repo.findNomenclature(b, ctx.commune.id, e.code)) throw new RuleError('budget.errors.codeTaken', { code: e.code }, 'code');
    let part = e.part, direction = e.direction, chapter = e.code;
    const depth = LEVELS.indexOf(e.level);
    if (depth === 0) {
      if (e.parentCode) throw new RuleError('budget.errors.chapterParent', {}, 'parent_code');
      if (!part) throw new RuleError('errors.required', {}, 'part');
      if (!direction) throw new RuleError('errors.required', {}, 'direction');
    } else {
      const parent = e.parentCode ? await repo.findNomenclature(b, ctx.commune.id, e.parentCode) : undefined;
      if (!parent) throw new RuleError('budget.errors.parentUnknown', { code: e.parentCode ?? '' }, 'parent_code');
      if (LEVELS.indexOf(parent.level as Level) !== depth - 1) throw new RuleError('budget.errors.parentLevel', {}, 'parent_code');
      part = parent.part; direction = parent.direction; chapter = parent.chapter_code;
    }
    const source = e.level !== 'line' ? null : e.source === INTERNAL ? INTERNAL : direction === 'receipt' ? e.source ?? 'other' : null;
    const row = { commune_id: ctx.commune.id, code: e.code, level: e.level, parent_code: depth === 0 ? null : e.parentCode!, chapter_code: chapter, part: part!, direction: direction!, label: JSON.stringify(e.label), source, sample: e.sample ? 1 : 0 };
    await b.insertInto('budget_nomenclature').values(row).execute();
    return { result: undefined, entityId: e.code, after: row };
  });
}

export async function nomenclaturePage(ctx: Ctx, prefix: string, page: number) {
  authorize(ctx, MANAGE);
  const size = 50;
  const { rows, total } = await repo.listNomenclature(db(ctx), ctx.commune.id, { prefix, offset: (page - 1) * size, limit: size });
  return { rows: rows.map((r) => ({ ...r, label: parseTranslated(r.label) })), total, page, size };
}

// ---------- Functional view: functions, line mapping, commitments ----------

const functionSchema = z.object({
  slug: z.preprocess((v) => String(v ?? '').trim(), z.string().min(1).max(60).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'errors.slug' })),
  sort: int(0, 10_000),
  ...translatedFields('label', 120),
  ...translatedFields('description', 1000, false),
});

export function functionFromForm(body: unknown) {
  const d = parseInput(functionSchema, body);
  return { slug: d.slug, sort: d.sort, label: collectTranslated(d, 'label'), description: collectTranslated(d, 'description') };
}

export async function createFunction(ctx: Ctx, f: { slug: string; sort: number; label: Translated; description: Translated; sample?: boolean }): Promise<number> {
  return mutate(ctx, { permission: MANAGE, action: 'budget.functionCreated', entity: 'budget_function' }, async (trx) => {
    if (f.slug === 'other' || await repo.findFunctionBySlug(bdb(trx), ctx.commune.id, f.slug)) throw new RuleError('budget.errors.slugTaken', {}, 'slug');
    const row = { commune_id: ctx.commune.id, slug: f.slug, sort: f.sort, label: JSON.stringify(f.label), description: JSON.stringify(f.description), sample: f.sample ? 1 : 0 };
    const { id } = await bdb(trx).insertInto('budget_functions').values(row).returning('id').executeTakeFirstOrThrow();
    return { result: id, entityId: id, after: row };
  });
}

export async function updateFunction(ctx: Ctx, slug: string, f: { sort: number; label: Translated; description: Translated }): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'budget.functionUpdated', entity: 'budget_function' }, async (trx) => {
    const before = await repo.findFunctionBySlug(bdb(trx), ctx.commune.id, slug);
    if (!before) throw new NotFoundError();
    const set = { sort: f.sort, label: JSON.stringify(f.label), description: JSON.stringify(f.description) };
    await bdb(trx).updateTable('budget_functions').set(set).where('commune_id', '=', ctx.commune.id).where('id', '=', before.id).execute();
    return { result: undefined, entityId: before.id, before, after: set };
  });
}

export async function functionForEdit(ctx: Ctx, slug: string): Promise<FunctionInfo & { sort: number }> {
  authorize(ctx, MANAGE);
  const r = await repo.findFunctionBySlug(db(ctx), ctx.commune.id, slug);
  if (!r) throw new NotFoundError();
  return { ...toFunction(r), sort: r.sort };
}

export async function mappingPage(ctx: Ctx, prefix: string, page: number) {
  authorize(ctx, MANAGE);
  const size = 50;
  const [rows, total] = await repo.linesWithMap(db(ctx), ctx.commune.id, { prefix, offset: (page - 1) * size, limit: size });
  return { rows: rows.map((r) => ({ code: r.code, label: parseTranslated(r.label), functionId: r.function_id, district: r.district })), total, page, size };
}

const mapSchema = z.object({
  function: optionalText(60),
  district: z.preprocess((v) => String(v ?? '').trim(), z.string().max(60).regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, { error: 'errors.slug' })),
});

export async function lineForEdit(ctx: Ctx, code: string) {
  authorize(ctx, MANAGE);
  const detail = await lineDetail(ctx, code);
  return { ...detail, choices: await repo.listCommitmentChoices(db(ctx), ctx.commune.id) };
}

/** Maps a line to a function (empty: none) and a district (a slug, empty: the whole commune). */
export async function mapLine(ctx: Ctx, code: string, body: unknown): Promise<void> {
  const d = parseInput(mapSchema, body);
  await mutate(ctx, { permission: MANAGE, action: 'budget.lineMapped', entity: 'budget_line' }, async (trx) => {
    const b = bdb(trx);
    const n = await repo.findNomenclature(b, ctx.commune.id, code);
    if (!n || n.level !== 'line') throw new NotFoundError();
    let fid: number | null = null;
    if (d.function) {
      const f = await repo.findFunctionBySlug(b, ctx.commune.id, d.function);
      if (!f) throw new RuleError('errors.choice', {}, 'function');
      fid = f.id;
    }
    const before = await repo.lineMap(b, ctx.commune.id, code);
    await repo.setLineMap(trx, ctx.commune.id, code, fid, d.district || null);
    return { result: undefined, entityId: code, before: before ?? null, after: { function_id: fid, district: d.district || null } };
  });
}

/** Links a line to the commitment it funds (by its id among the plans' commitments). */
export async function linkCommitment(ctx: Ctx, code: string, body: unknown): Promise<void> {
  const d = parseInput(z.object({ commitment: int(1) }), body);
  await mutate(ctx, { permission: MANAGE, action: 'budget.commitmentLinked', entity: 'budget_line' }, async (trx) => {
    const b = bdb(trx);
    const n = await repo.findNomenclature(b, ctx.commune.id, code);
    if (!n || n.level !== 'line') throw new NotFoundError();
    const c = await b.selectFrom('commitments').select('id').where('commune_id', '=', ctx.commune.id).where('id', '=', d.commitment).executeTakeFirst();
    if (!c) throw new RuleError('errors.choice', {}, 'commitment');
    if (!await repo.linkCommitment(trx, ctx.commune.id, code, c.id)) throw new RuleError('budget.errors.alreadyLinked', {}, 'commitment');
    return { result: undefined, entityId: code, after: { commitment_id: c.id } };
  });
}

export async function unlinkCommitment(ctx: Ctx, code: string, commitmentId: number): Promise<void> {
  await mutate(ctx, { permission: MANAGE, action: 'budget.commitmentUnlinked', entity: 'budget_line' }, async (trx) => {
    const r = await repo.unlinkCommitment(trx, ctx.commune.id, code, commitmentId);
    if (Number(r.numDeletedRows) !== 1) throw new NotFoundError();
    return { result: undefined, entityId: code, before: { commitment_id: commitmentId } };
  });
}

// ---------- Years: population and the staff's explanations ----------

const yearSchema = z.object({
  population: int(0, 100_000_000),
  ...Object.fromEntries(EXPLAINED.flatMap((k) => Object.entries(translatedFields(`explain_${k}`, 2000, false)))),
});

export async function yearForEdit(ctx: Ctx, year: number): Promise<YearInfo> {
  authorize(ctx, EXPLAIN);
  const r = await repo.findYear(db(ctx), ctx.commune.id, year);
  if (!r) throw new NotFoundError();
  return toYear(r);
}

export async function updateYear(ctx: Ctx, year: number, body: unknown): Promise<void> {
  const d = parseInput(yearSchema, body) as Record<string, unknown> & { population: number };
  const explanations = Object.fromEntries(EXPLAINED.map((k) => [k, collectTranslated(d, `explain_${k}`)]).filter(([, v]) => Object.keys(v as object).length));
  await mutate(ctx, { permission: EXPLAIN, action: 'budget.yearUpdated', entity: 'budget_year' }, async (trx) => {
    const before = await repo.findYear(bdb(trx), ctx.commune.id, year);
    if (!before) throw new NotFoundError();
    const after = { population: d.population, explanations: JSON.stringify(explanations) };
    await repo.updateYear(bdb(trx), ctx.commune.id, year, after);
    return { result: undefined, entityId: year, before, after };
  });
}

// ---------- Glossary ----------

const termSchema = z.object({
  slug: z.preprocess((v) => String(v ?? '').trim(), z.string().min(1).max(60).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'errors.slug' })),
  sort: int(0, 10_000),
  ...translatedFields('term', 120),
  ...translatedFields('definition', 2000),
});

export function termFromForm(body: unknown) {
  const d = parseInput(termSchema, body);
  return { slug: d.slug, sort: d.sort, term: collectTranslated(d, 'term'), definition: collectTranslated(d, 'definition') };
}

export async function saveTerm(ctx: Ctx, t: { slug: string; sort: number; term: Translated; definition: Translated; sample?: boolean }, existing?: string): Promise<void> {
  await mutate(ctx, { permission: EXPLAIN, action: existing ? 'budget.termUpdated' : 'budget.termAdded', entity: 'budget_term' }, async (trx) => {
    const b = bdb(trx);
    const before = existing ? await repo.findTerm(b, ctx.commune.id, existing) : undefined;
    if (existing && !before) throw new NotFoundError();
    if (!existing || t.slug !== existing) {
      if (await repo.findTerm(b, ctx.commune.id, t.slug)) throw new RuleError('budget.errors.slugTaken', {}, 'slug');
    }
    const row = { slug: t.slug, sort: t.sort, term: JSON.stringify(t.term), definition: JSON.stringify(t.definition) };
    if (before) await b.updateTable('budget_glossary').set(row).where('commune_id', '=', ctx.commune.id).where('id', '=', before.id).execute();
    else await b.insertInto('budget_glossary').values({ ...row, commune_id: ctx.commune.id, sample: t.sample ? 1 : 0 }).execute();
    return { result: undefined, entityId: t.slug, before: before ?? null, after: row };
  });
}

export async function termForEdit(ctx: Ctx, slug: string): Promise<Term & { sort: number }> {
  authorize(ctx, EXPLAIN);
  const r = await repo.findTerm(db(ctx), ctx.commune.id, slug);
  if (!r) throw new NotFoundError();
  return { slug: r.slug, term: parseTranslated(r.term), definition: parseTranslated(r.definition), sample: !!r.sample, sort: r.sort };
}

export { tr };
