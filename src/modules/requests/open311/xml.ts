/**
 * A tiny XML writer for Open311 answers: elements only (no attributes), text escaped, characters
 * that XML 1.0 forbids dropped, arrays written as repeated child elements whose name the caller
 * gives (`services` → `service`, `service_requests` → `request`…).
 */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

// Control characters other than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: XmlValue, items: Record<string, string>, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`xml: invalid element name ${name}`);
  if (value === null || value === undefined || value === '') { out.push(`<${name}/>`); return; }
  if (Array.isArray(value)) {
    const child = items[name];
    if (!child) throw new Error(`xml: no item name for array ${name}`);
    out.push(`<${name}>`);
    for (const v of value) element(child, v, items, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, items, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/** A whole document: the declaration, then `root` holding `value`. */
export function toXml(root: string, value: XmlValue, items: Record<string, string>): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  element(root, value, items, out);
  return out.join('');
}
