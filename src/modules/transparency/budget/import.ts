import { parse as parseCsvText } from 'csv-parse/sync';
import { PHASES, BALANCED_PHASES, PARTS, type Phase, type Part, type Direction } from './schema.ts';

/**
 * Reading a budget file (CSV or XLSX, the form a finance department already has) and checking it as a whole:
 * nothing is stored unless every line is valid. Pure functions: the service gives the nomenclature.
 *
 * One line per budget line and year: `year`, `code`, then one column per phase (`forecast`, `amended`,
 * `committed`, `executed`; French headers too); other columns (labels) are ignored. An empty cell: no amount
 * for that phase. The file replaces, for each year and phase it carries, every amount of that year and phase.
 */

export interface ImportIssue { line: number | null; key: string; params?: Record<string, unknown> }
export interface NomenclatureEntry { level: string; part: string; direction: string }
export interface ParsedImport {
  /** `year|phase|code` → amount in centimes. */
  amounts: Map<string, number>;
  /** The years and phases the file carries (each is replaced as a whole). */
  scopes: { year: number; phase: Phase }[];
  lines: number;
}

export const MAX_ROWS = 50_000;
const MAX_CENTIMES = 1e15; // 10^13 dirhams: far above any commune, exact in a double.
const MAX_ISSUES = 200;

const HEADERS: Record<string, 'year' | 'code' | Phase> = {
  year: 'year', annee: 'year', exercice: 'year', 'السنة': 'year',
  code: 'code', 'الرمز': 'code', ligne: 'code', line: 'code',
  forecast: 'forecast', prevision: 'forecast', previsions: 'forecast', budget_initial: 'forecast', initial: 'forecast', 'التوقعات': 'forecast',
  amended: 'amended', modifie: 'amended', budget_modifie: 'amended', budget_modificatif: 'amended', 'المعدلة': 'amended',
  committed: 'committed', engage: 'committed', engagements: 'committed', 'الملتزم': 'committed',
  executed: 'executed', realise: 'executed', realisations: 'executed', execution: 'executed', 'المنجز': 'executed',
};

function headerKey(h: string): string {
  return h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The cells of a CSV file, line by line, with each record's line number in the file. */
export function csvRows(data: Buffer): { line: number; cells: string[] }[] {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.slice(0, Math.max(0, text.search(/\r?\n|$/)));
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : (first.includes('\t') && !first.includes(',') ? '\t' : ',');
  const records = parseCsvText(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, to: MAX_ROWS + 2 }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}

/** The cells of the first worksheet of an XLSX file (numbers as they are, formulas by their result). */
export async function xlsxRows(data: Buffer): Promise<{ line: number; cells: string[] }[]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as any);
  const ws = wb.worksheets[0];
  const out: { line: number; cells: string[] }[] = [];
  if (!ws) return out;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (out.length > MAX_ROWS + 1) return;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => { cells[col - 1] = cellText(cell.value); });
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
    out.push({ line: n, cells });
  });
  return out;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('result' in o) return cellText(o.result);
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('text' in o) return String(o.text);
  }
  return String(v);
}

/**
 * An amount as finance departments type it, in dirhams: `1234567.89`, `1 234 567,89`, `1.234.567,89`,
 * `1,234,567.89`; returns centimes, null when empty, NaN when not a number.
 */
export function parseAmount(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0\u202f']/g, '').replace(/(MAD|DH|DHS|درهم)$/i, '');
  if (s === '') return null;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) s = s.replace(/,/g, '');
  else s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return Number.NaN;
  const [whole, frac = ''] = s.replace('-', '').split('.');
  if (frac.length > 2 && !/^0*$/.test(frac.slice(2))) return Number.NaN;
  const cents = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  return s.startsWith('-') ? -cents : cents;
}

export function formatCentimes(c: number): string {
  const neg = c < 0;
  const a = Math.abs(c);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Checks every line of the file against the nomenclature; the issues are line-numbered (null: the whole file). */
export function validateRows(rows: { line: number; cells: string[] }[], nomenclature: Map<string, NomenclatureEntry>): { issues: ImportIssue[]; parsed: ParsedImport | null } {
  const issues: ImportIssue[] = [];
  const add = (i: ImportIssue) => { if (issues.length < MAX_ISSUES) issues.push(i); };
  const header = rows[0];
  if (!header) return { issues: [{ line: null, key: 'budget.import.errors.empty' }], parsed: null };
  if (rows.length > MAX_ROWS + 1) return { issues: [{ line: null, key: 'budget.import.errors.tooMany', params: { max: MAX_ROWS } }], parsed: null };
  const cols: Partial<Record<'year' | 'code' | Phase, number>> = {};
  header.cells.forEach((h, i) => {
    const k = HEADERS[headerKey(h)];
    if (k && cols[k] === undefined) cols[k] = i;
  });
  const phases = PHASES.filter((p) => cols[p] !== undefined);
  if (cols.year === undefined || cols.code === undefined || phases.length === 0) {
    return { issues: [{ line: header.line, key: 'budget.import.errors.header', params: { columns: 'year, code, forecast, amended, committed, executed' } }], parsed: null };
  }
  if (rows.length === 1) return { issues: [{ line: null, key: 'budget.import.errors.empty' }], parsed: null };

  const amounts = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  const scopes = new Map<string, { year: number; phase: Phase }>();
  // year|phase|part|direction → total, for the balance rule
  const totals = new Map<string, number>();
  let lines = 0;
  for (const row of rows.slice(1)) {
    const cell = (i: number | undefined) => (i === undefined ? '' : (row.cells[i] ?? '').trim());
    if (row.cells.every((c) => (c ?? '').trim() === '')) continue;
    lines++;
    const yearText = cell(cols.year);
    const code = cell(cols.code);
    let ok = true;
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 2000 && year <= 2100)) { add({ line: row.line, key: 'budget.import.errors.year', params: { value: yearText } }); ok = false; }
    const entry = nomenclature.get(code);
    if (!code) { add({ line: row.line, key: 'budget.import.errors.noCode' }); ok = false; }
    else if (!entry) { add({ line: row.line, key: 'budget.import.errors.unknownCode', params: { code } }); ok = false; }
    else if (entry.level !== 'line') { add({ line: row.line, key: 'budget.import.errors.notALine', params: { code } }); ok = false; }
    const values: [Phase, number][] = [];
    for (const p of phases) {
      const raw = cell(cols[p]);
      const v = parseAmount(raw);
      if (v === null) continue;
      if (Number.isNaN(v) || Math.abs(v) > MAX_CENTIMES) { add({ line: row.line, key: 'budget.import.errors.amount', params: { column: header.cells[cols[p]!], value: raw.slice(0, 40) } }); ok = false; continue; }
      if (v < 0) { add({ line: row.line, key: 'budget.import.errors.negative', params: { column: header.cells[cols[p]!], value: raw.slice(0, 40) } }); ok = false; continue; }
      values.push([p, v]);
    }
    if (ok && values.length === 0) { add({ line: row.line, key: 'budget.import.errors.noAmount', params: { code } }); ok = false; }
    if (!ok || !entry) continue;
    const key = `${year}|${code}`;
    const seen = firstSeen.get(key);
    if (seen !== undefined) { add({ line: row.line, key: 'budget.import.errors.duplicate', params: { code, year, first: seen } }); continue; }
    firstSeen.set(key, row.line);
    for (const [p, v] of values) {
      amounts.set(`${year}|${p}|${code}`, v);
      scopes.set(`${year}|${p}`, { year, phase: p });
      const tk = `${year}|${p}|${entry.part}|${entry.direction}`;
      totals.set(tk, (totals.get(tk) ?? 0) + v);
    }
  }
  if (lines === 0) return { issues: [{ line: null, key: 'budget.import.errors.empty' }], parsed: null };
  // Balance is judged on a file whose lines are all valid (totals of a partial reading would mislead).
  if (issues.length) return { issues, parsed: null };
  // A budget is voted balanced: in each part, receipts equal expenditure (the operating surplus is carried to
  // the equipment part as a line of both). Checked for the initial and the amended budget.
  for (const { year, phase } of scopes.values()) {
    if (!BALANCED_PHASES.includes(phase)) continue;
    for (const part of PARTS) {
      const r = totals.get(`${year}|${phase}|${part}|receipt`) ?? 0;
      const e = totals.get(`${year}|${phase}|${part}|expenditure`) ?? 0;
      if (r !== e) add({ line: null, key: 'budget.import.errors.imbalance', params: { year, phase, part, receipts: r, expenditure: e } });
    }
  }
  if (issues.length) return { issues, parsed: null };
  const sorted = [...scopes.values()].sort((a, b) => a.year - b.year || PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
  return { issues, parsed: { amounts, scopes: sorted, lines } };
}

export type { Part, Direction };
