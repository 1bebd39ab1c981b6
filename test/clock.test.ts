import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addWorkingDays, workingDaysBetween, estimateHolidays, localDay } from '../src/core/clock/working-days.ts';

test('working days skip weekends and holidays', () => {
  const none = new Set<string>();
  // Friday 2026-11-20 + 1 working day = Monday 2026-11-23
  assert.equal(addWorkingDays('2026-11-20', 1, none), '2026-11-23');
  // Law 31-13: 20 working days from Monday 2026-11-02, with Green March (11-06) and Independence Day (11-18) off
  const h = new Set(['2026-11-06', '2026-11-18']);
  assert.equal(addWorkingDays('2026-11-02', 20, h), '2026-12-02');
  assert.equal(workingDaysBetween('2026-11-02', '2026-12-02', h), 20);
  assert.equal(workingDaysBetween('2026-12-02', '2026-11-02', h), 0);
});

test('holiday estimates include fixed dates and two days of Eid al-Fitr', () => {
  const y2026 = estimateHolidays(2026);
  const days = new Set(y2026.map((x) => x.day));
  for (const d of ['2026-01-01', '2026-01-11', '2026-01-14', '2026-05-01', '2026-07-30', '2026-11-06', '2026-11-18']) assert.ok(days.has(d), d);
  const fitr = y2026.filter((x) => x.name.en === 'Eid al-Fitr');
  assert.equal(fitr.length, 2);
  // Umm al-Qura puts 1 Shawwal 1447 on 2026-03-20 (an administrator may shift it by a day)
  assert.ok(['2026-03-19', '2026-03-20', '2026-03-21'].includes(fitr[0].day), fitr[0].day);
  // Amazigh New Year is a holiday only since 2024
  assert.ok(!estimateHolidays(2023).some((x) => x.day === '2023-01-14'));
});

test('local day is computed in Africa/Casablanca', () => {
  // 23:30 UTC on 31 December is already 1 January in Casablanca (UTC+1)
  assert.equal(localDay(new Date('2026-12-31T23:30:00Z')), '2027-01-01');
});
