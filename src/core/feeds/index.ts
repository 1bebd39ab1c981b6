/**
 * Feeds that outside tools read: Atom (RFC 4287) for "what is new" (documents, answers), iCalendar (RFC 5545) for
 * what happens when (council sessions, meetings). Written here once for every module; tests read them back with
 * real parsers (@rowanmanning/feed-parser, ical.js).
 */

// Control characters other than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF: not XML 1.0.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

export interface AtomEntry {
  /** A permanent, unique IRI (the entry's public page is a good one). */
  id: string;
  title: string;
  /** The entry's public page. */
  link: string;
  /** ISO date-time of the last change, and of the first publication. */
  updated: string;
  published?: string;
  summary?: string;
  /** Language of the entry's text when it differs from the feed's (a French title in an Arabic feed). */
  lang?: string;
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  /** The feed's own URL, and the HTML page it mirrors. */
  self: string;
  alternate: string;
  lang: string;
  /** Who publishes it (the commune). */
  author: string;
  /** ISO date-time; defaults to the newest entry's (an empty feed needs one). */
  updated: string;
  entries: AtomEntry[];
}

/** An Atom 1.0 document; its Content-Type is `application/atom+xml; charset=utf-8`. */
export function atomFeed(f: AtomFeed): string {
  const x = escapeXml;
  const dir = f.lang === 'ar' ? ' dir="rtl"' : '';
  const entries = f.entries.map((e) => [
    `<entry${e.lang && e.lang !== f.lang ? ` xml:lang="${x(e.lang)}"` : ''}>`,
    `<id>${x(e.id)}</id>`,
    `<title type="text">${x(e.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${x(e.link)}"/>`,
    `<updated>${x(e.updated)}</updated>`,
    e.published ? `<published>${x(e.published)}</published>` : '',
    ...(e.categories ?? []).map((c) => `<category term="${x(c)}"/>`),
    e.summary ? `<summary type="text">${x(e.summary)}</summary>` : '',
    '</entry>',
  ].join('')).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(f.lang)}"${dir}>\n`
    + `<id>${x(f.id)}</id>\n<title type="text">${x(f.title)}</title>\n`
    + `<link rel="self" type="application/atom+xml" href="${x(f.self)}"/>\n<link rel="alternate" type="text/html" href="${x(f.alternate)}"/>\n`
    + `<updated>${x(f.updated)}</updated>\n<author><name>${x(f.author)}</name></author>\n${entries}\n</feed>\n`;
}

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
export const ICAL_TYPE = 'text/calendar; charset=utf-8';

export interface CalendarEvent {
  /** Globally unique and stable (`session-12@tetouan.example`): a calendar updates the event instead of adding one. */
  uid: string;
  /** ISO date-times (UTC stored); an all-day event gives `allDay` with `start` as its day. */
  start: string;
  end?: string;
  allDay?: boolean;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** Last change (DTSTAMP/LAST-MODIFIED), ISO date-time. */
  updated: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** Increases with each change of the event (SEQUENCE), for calendars that compare. */
  sequence?: number;
}

/** RFC 5545 TEXT escaping: backslash, semicolon, comma, and line breaks as \n. */
function icalText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

/** A UTC date-time (`20261204T100000Z`) or a date (`20261204`). */
function icalTime(isoValue: string, allDay = false): string {
  if (allDay) return isoValue.slice(0, 10).replace(/-/g, '');
  return new Date(isoValue).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) { out.push(current); current = ''; bytes = 0; }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** An iCalendar document (VCALENDAR with VEVENTs), CRLF line ends; its Content-Type is ICAL_TYPE. */
export function icalendar(cal: { name: string; prodId?: string; events: CalendarEvent[] }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${cal.prodId ?? '-//Commune Ouverte//Commune Ouverte//FR'}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `NAME:${icalText(cal.name)}`, `X-WR-CALNAME:${icalText(cal.name)}`];
  for (const e of cal.events) {
    lines.push('BEGIN:VEVENT', `UID:${icalText(e.uid)}`, `DTSTAMP:${icalTime(e.updated)}`, `LAST-MODIFIED:${icalTime(e.updated)}`);
    if (e.allDay) {
      lines.push(`DTSTART;VALUE=DATE:${icalTime(e.start, true)}`);
      if (e.end) lines.push(`DTEND;VALUE=DATE:${icalTime(e.end, true)}`);
    } else {
      lines.push(`DTSTART:${icalTime(e.start)}`);
      if (e.end) lines.push(`DTEND:${icalTime(e.end)}`);
    }
    lines.push(`SUMMARY:${icalText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${icalText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${icalText(e.location)}`);
    if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, '')}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    if (e.sequence !== undefined) lines.push(`SEQUENCE:${e.sequence}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
