/** CSV as spreadsheets read and write it (RFC 4180), for the matrix round trip and the open-data exports. */

/** Splits CSV text into lines of cells. Accepts a UTF-8 BOM, CRLF or LF, and `,` or `;` (French spreadsheets) as separator. */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const lines: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += ch;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) { cells.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell); lines.push(cells); cells = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) { cells.push(cell); lines.push(cells); }
  return lines;
}

export { csvCell, csvLine, BOM } from '../../core/csv.ts';
