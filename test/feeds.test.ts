// Core feeds read back by real parsers: Atom through @rowanmanning/feed-parser, iCalendar through ical.js.
import './no-chromium.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { parseFeed } from '@rowanmanning/feed-parser';
import { atomFeed, icalendar } from '../src/core/feeds/index.ts';

test('an Atom feed with Arabic and French entries, markup and forbidden characters, parses as Atom', () => {
  const xml = atomFeed({
    id: 'https://tetouan.example/ar/documents.atom', title: 'وثائق الجماعة', self: 'https://tetouan.example/ar/documents.atom',
    alternate: 'https://tetouan.example/ar/documents', lang: 'ar', author: 'جماعة تطوان', updated: '2026-12-04T10:00:00.000Z',
    entries: [
      { id: 'https://tetouan.example/ar/documents/1', title: 'الميزانية 2026 <b>&', link: 'https://tetouan.example/ar/documents/1', updated: '2026-12-04T10:00:00.000Z', published: '2026-12-01T09:00:00.000Z', summary: 'نص\u0007 مختصر', categories: ['budget'] },
      { id: 'https://tetouan.example/ar/documents/2', title: 'Procès-verbal « session »', lang: 'fr', link: 'https://tetouan.example/ar/documents/2', updated: '2026-11-30T10:00:00.000Z' },
    ],
  });
  const feed = parseFeed(xml);
  assert.equal(feed.meta.type, 'atom');
  assert.equal(feed.title, 'وثائق الجماعة');
  assert.equal(feed.language, 'ar');
  assert.equal(feed.items.length, 2);
  assert.equal(feed.items[0].title, 'الميزانية 2026 <b>&');
  assert.equal(feed.items[0].url, 'https://tetouan.example/ar/documents/1');
  assert.equal(feed.items[0].description, 'نص مختصر', 'the control character is dropped');
  assert.equal(feed.items[0].published?.toISOString(), '2026-12-01T09:00:00.000Z');
  assert.deepEqual(feed.items[0].categories.map((c) => c.term), ['budget']);
  assert.equal(feed.items[1].title, 'Procès-verbal « session »');
});

test('an iCalendar feed parses with ical.js: UTC times, all-day events, escaped text, folded long lines', () => {
  const long = 'Ordre du jour : '.concat('examen du budget, délibérations; '.repeat(12), 'وثيقة الميزانية');
  const ics = icalendar({
    name: 'Sessions du conseil, Tétouan',
    events: [
      { uid: 'session-1@tetouan.example', start: '2027-02-01T09:00:00.000Z', end: '2027-02-01T12:30:00.000Z', summary: 'Session ordinaire, février', description: long, location: 'Salle des séances, Hôtel de ville', url: 'https://tetouan.example/fr/council/sessions/1', updated: '2026-12-04T10:00:00.000Z', status: 'CONFIRMED', sequence: 2 },
      { uid: 'day-2@tetouan.example', start: '2027-03-15T00:00:00.000Z', end: '2027-03-16T00:00:00.000Z', allDay: true, summary: 'Forum, ouvert à tous', updated: '2026-12-04T10:00:00.000Z' },
    ],
  });
  assert.ok(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'every line within 75 octets');
  assert.ok(ics.endsWith('\r\n'));
  const cal = new ICAL.Component(ICAL.parse(ics));
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.equal(events.length, 2);
  const [a, b] = events;
  assert.equal(a.uid, 'session-1@tetouan.example');
  assert.equal(a.summary, 'Session ordinaire, février');
  assert.equal(a.description, long, 'escaping and folding are undone exactly');
  assert.equal(a.location, 'Salle des séances, Hôtel de ville');
  assert.equal(a.startDate.toJSDate().toISOString(), '2027-02-01T09:00:00.000Z');
  assert.equal(a.endDate.toJSDate().toISOString(), '2027-02-01T12:30:00.000Z');
  assert.equal(a.sequence, 2);
  assert.equal(b.startDate.isDate, true);
  assert.equal(b.startDate.toString(), '2027-03-15');
  // NAME (RFC 7986) and X-WR-CALNAME are TEXT: the comma escaped (ical.js keeps properties it does not know raw).
  assert.equal(cal.getFirstPropertyValue('name'), 'Sessions du conseil\\, Tétouan');
});
