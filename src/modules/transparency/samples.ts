import { zipSync, strToU8 } from 'fflate';

/**
 * Small valid files made in code for the demo and the tests (no binaries in the repository): a PDF with a text
 * layer (Latin lines drawn in Helvetica; other scripts, Arabic, in an invisible layer whose ToUnicode map lets
 * `pdftotext` read them, as a scanner's OCR layer does), a PDF without text (a scan), a DOCX, an ODT, an XLSX.
 */

function pdfString(s: string): string {
  // WinAnsi for the Latin lines: é, è, à, ç… are single bytes; other characters are dropped.
  return `(${Buffer.from(s.replace(/[’]/g, "'").replace(/[^\u0000-\u00ff]/g, ''), 'latin1').toString('latin1').replace(/[()\\]/g, (c) => `\\${c}`)})`;
}

export function samplePdf(opts: { title: string; lines?: string[]; hidden?: string; noText?: boolean }): Buffer {
  const content: string[] = [];
  const resources: string[] = [];
  const extra: string[] = [];
  if (opts.noText) {
    // A scan: only a drawing (a grey rectangle), no text at all.
    content.push('0.8 g 72 500 450 250 re f');
  } else {
    resources.push('/F1 5 0 R');
    content.push(`BT /F1 18 Tf 72 770 Td ${pdfString(opts.title)} Tj ET`);
    (opts.lines ?? []).forEach((l, i) => content.push(`BT /F1 11 Tf 72 ${740 - i * 16} Td ${pdfString(l)} Tj ET`));
  }
  let cmapObj = '';
  if (opts.hidden) {
    const chars = [...new Set([...opts.hidden])];
    if (chars.length > 200) throw new Error('samplePdf: too many distinct characters');
    const code = (c: string) => (0x21 + chars.indexOf(c)).toString(16).padStart(2, '0');
    // Glyphs in visual order, as PDF writers place right-to-left text (pdftotext puts them back in reading order).
    const visual = /[\u0590-\u08ff]/.test(opts.hidden)
      ? (opts.hidden.match(/[0-9A-Za-z.,%]+|[^0-9A-Za-z.,%]+/g) ?? []).reverse().flatMap((run) => (/^[0-9A-Za-z]/.test(run) ? [...run] : [...run].reverse()))
      : [...opts.hidden];
    const hex = visual.map(code).join('');
    const bf = chars.map((c) => `<${code(c)}> <${c.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
    const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Sample def 1 begincodespacerange <00> <ff> endcodespacerange\n${bf.length} beginbfchar\n${bf.join('\n')}\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
    resources.push('/F2 6 0 R');
    content.push(`BT 3 Tr /F2 11 Tf 72 400 Td <${hex}> Tj ET`);
    extra.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>');
    cmapObj = `<< /Length ${Buffer.byteLength(cmap, 'latin1')} >>\nstream\n${cmap}\nendstream`;
  }
  const stream = content.join('\n');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << ${resources.join(' ')} >> >> >>`,
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...extra, ...(cmapObj ? [cmapObj] : []),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => { offsets.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sampleDocx(paragraphs: string[]): Buffer {
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`),
  }));
}

export function sampleOdt(paragraphs: string[]): Buffer {
  return Buffer.from(zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'META-INF/manifest.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'),
    'content.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>${paragraphs.map((p) => `<text:p>${esc(p)}</text:p>`).join('')}</office:text></office:body></office:document-content>`),
  }));
}

export function sampleXlsx(rows: string[][]): Buffer {
  const strings = [...new Set(rows.flat())];
  const cell = (v: string, r: number, c: number) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${strings.indexOf(v)}</v></c>`;
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    'xl/sharedStrings.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`),
    'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cell(v, i, c)).join('')}</row>`).join('')}</sheetData></worksheet>`),
  }));
}
