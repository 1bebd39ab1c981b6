/**
 * CSV for the open-data exports (RFC 4180 with CRLF): one cell, one line, the byte-order mark spreadsheets need.
 * Text that a spreadsheet would run as a formula (starting with = + - @) is prefixed with an apostrophe.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A spreadsheet opens UTF-8 CSV correctly (Arabic included) only with a byte-order mark. */
export const BOM = '\uFEFF';
