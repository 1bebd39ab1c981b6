// The accountability rules (src/modules/accountability/rules.ts), pure: progress and its roll-up,
// indicators against their targets, lateness, periods, row transitions, the CSV line checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionProgress, leafProgress, combine, rollUp, planProgress, completionLevel, indicatorStatus, isLate, periodEnd, transition,
  parseDecimal, checkMatrixLines, rowComplete, type MatrixRowRef,
} from '../src/modules/accountability/rules.ts';
import { parseCsv, csvLine, csvCell } from '../src/modules/accountability/csv.ts';

test('a done action counts 100 %, progress is clamped', () => {
  assert.equal(actionProgress('done', 20), 100);
  assert.equal(actionProgress('in_progress', 140), 100);
  assert.equal(actionProgress('in_progress', -5), 0);
  assert.equal(actionProgress('planned', null), 0);
});

test('a leaf is the mean of its actions, cancelled ones left out; none → null', () => {
  assert.equal(leafProgress([{ status: 'done', progress: 0 }, { status: 'in_progress', progress: 50 }]), 75);
  assert.equal(leafProgress([{ status: 'in_progress', progress: 40 }, { status: 'cancelled', progress: 0 }]), 40);
  assert.equal(leafProgress([{ status: 'cancelled', progress: 100 }]), null);
  assert.equal(leafProgress([]), null);
});

test('siblings are weighted when every one has a weight, else averaged; unknown ones left out', () => {
  assert.equal(combine([{ progress: 100, weight: 3 }, { progress: 0, weight: 1 }]), 75);
  assert.equal(combine([{ progress: 100, weight: 3 }, { progress: 0, weight: null }]), 50);
  assert.equal(combine([{ progress: 80, weight: null }, { progress: null, weight: 5 }]), 80);
  assert.equal(combine([{ progress: null, weight: 1 }]), null);
  assert.equal(combine([{ progress: 60, weight: 0 }, { progress: 20, weight: 2 }]), 40, 'a zero weight is no weight');
});

test('roll-up through a tree of any depth', () => {
  // 1 ─┬─ 1.1 (w 60) ─┬─ 1.1.1 (leaf 100)
  //    │              └─ 1.1.2 (leaf 50)
  //    └─ 1.2 (w 40) leaf 0
  // 2 ── 2.1 leaf null (no action yet)
  const nodes = [
    { id: 1, parentId: null, weight: null }, { id: 11, parentId: 1, weight: 60 }, { id: 111, parentId: 11, weight: null },
    { id: 112, parentId: 11, weight: null }, { id: 12, parentId: 1, weight: 40 }, { id: 2, parentId: null, weight: null }, { id: 21, parentId: 2, weight: null },
  ];
  const leaves: Record<number, number | null> = { 111: 100, 112: 50, 12: 0, 21: null };
  const p = rollUp(nodes, (id) => leaves[id] ?? null);
  assert.equal(p.get(11), 75);
  assert.equal(p.get(1), 75 * 0.6 + 0 * 0.4);
  assert.equal(p.get(2), null);
  assert.equal(planProgress(nodes, p), 45, 'axis 2 has nothing to measure yet and is left out');
});

test('a parent with its own actions counts them as one more, unweighted, child', () => {
  const nodes = [{ id: 1, parentId: null, weight: null }, { id: 2, parentId: 1, weight: 1 }];
  const p = rollUp(nodes, (id) => (id === 1 ? 20 : 80));
  assert.equal(p.get(1), 50);
});

test('a cyclic tree is refused rather than looping', () => {
  const nodes = [{ id: 1, parentId: 2, weight: null }, { id: 2, parentId: 1, weight: null }, { id: 3, parentId: null, weight: null }];
  const p = rollUp(nodes, () => 10);
  assert.equal(p.get(3), 10, 'nodes outside the cycle still roll up');
});

test('completion levels', () => {
  assert.equal(completionLevel(null), 'not_started');
  assert.equal(completionLevel(0), 'not_started');
  assert.equal(completionLevel(10), 'limited');
  assert.equal(completionLevel(50), 'substantial');
  assert.equal(completionLevel(100), 'completed');
});

test('indicator progress towards its target, in its good direction', () => {
  assert.deepEqual(indicatorStatus({ direction: 'up', baseline: 0, target: 8, latest: 2 }), { progress: 25, met: false, trend: 'improved' });
  assert.deepEqual(indicatorStatus({ direction: 'down', baseline: 30, target: 15, latest: 21 }), { progress: 60, met: false, trend: 'improved' });
  assert.deepEqual(indicatorStatus({ direction: 'down', baseline: 30, target: 15, latest: 12 }), { progress: 100, met: true, trend: 'improved' });
  assert.deepEqual(indicatorStatus({ direction: 'up', baseline: 40, target: 80, latest: 30 }), { progress: 0, met: false, trend: 'worsened' });
  assert.deepEqual(indicatorStatus({ direction: 'up', baseline: 5, target: 5, latest: 5 }), { progress: 100, met: true, trend: 'unchanged' });
  assert.deepEqual(indicatorStatus({ direction: 'up', baseline: 0, target: 10, latest: null }), { progress: null, met: null, trend: null });
  assert.equal(indicatorStatus({ direction: 'up', baseline: null, target: 10, latest: 12 }).progress, null, 'no baseline, no progress');
  assert.equal(indicatorStatus({ direction: 'up', baseline: null, target: 10, latest: 12 }).met, true);
});

test('late: end date passed, neither done nor cancelled', () => {
  assert.equal(isLate('2025-06-30', 'in_progress', '2025-07-01'), true);
  assert.equal(isLate('2025-06-30', 'in_progress', '2025-06-30'), false);
  assert.equal(isLate('2025-06-30', 'done', '2026-01-01'), false);
  assert.equal(isLate('2025-06-30', 'cancelled', '2026-01-01'), false);
  assert.equal(isLate(null, 'planned', '2026-01-01'), false);
});

test('reporting periods and their last day', () => {
  assert.equal(periodEnd('2025-S2'), '2025-12-31');
  assert.equal(periodEnd('2025-S1'), '2025-06-30');
  assert.equal(periodEnd('2024-Q1'), '2024-03-31');
  assert.equal(periodEnd('2024-02'), '2024-02-29');
  assert.equal(periodEnd('2026'), '2026-12-31');
  for (const bad of ['2025-S3', '25-S1', '2025-13', 'S2', '2025 S2', '']) assert.equal(periodEnd(bad), null, bad);
});

test('row transitions: only the department edits, only a submitted row is validated, published rows are frozen', () => {
  assert.equal(transition('pending', 'submit'), 'submitted');
  assert.equal(transition('returned', 'submit'), 'submitted');
  assert.equal(transition('pending', 'save'), 'pending');
  assert.equal(transition('submitted', 'save'), null);
  assert.equal(transition('submitted', 'validate'), 'validated');
  assert.equal(transition('pending', 'validate'), null);
  assert.equal(transition('validated', 'return'), 'returned');
  assert.equal(transition('validated', 'publish'), 'published');
  for (const e of ['save', 'submit', 'return', 'validate', 'publish'] as const) assert.equal(transition('published', e), null, `published row refuses ${e}`);
});

test('numbers as people type them', () => {
  assert.equal(parseDecimal('12,5'), 12.5);
  assert.equal(parseDecimal(' 1 234.5 '), 1234.5);
  assert.equal(parseDecimal('-3'), -3);
  for (const bad of ['', 'abc', '1,2,3', '12.', '1e5']) assert.equal(parseDecimal(bad), null, bad);
});

test('CSV: separators, quotes, BOM, formula guard', () => {
  assert.deepEqual(parseCsv('\uFEFFa;b;c\r\n1;"x;y";"say ""hi"""\n'), [['a', 'b', 'c'], ['1', 'x;y', 'say "hi"']]);
  assert.deepEqual(parseCsv('a,b\n"multi\nline",2'), [['a', 'b'], ['multi\nline', '2']]);
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell(-3), '-3');
  assert.equal(csvLine(['a', null, 2]), 'a,,2\r\n');
});

const rows = new Map<number, MatrixRowRef>([
  [1, { id: 1, kind: 'action', state: 'pending', institutionId: 10, status: 'in_progress', progress: 20, value: null, difficulties: '', answer: '' }],
  [2, { id: 2, kind: 'indicator', state: 'pending', institutionId: 10, status: null, progress: null, value: null, difficulties: '', answer: '' }],
  [3, { id: 3, kind: 'action', state: 'pending', institutionId: 20, status: 'planned', progress: 0, value: null, difficulties: '', answer: '' }],
  [4, { id: 4, kind: 'action', state: 'validated', institutionId: 10, status: 'done', progress: 100, value: null, difficulties: '', answer: '' }],
  [5, { id: 5, kind: 'indicator', state: 'returned', institutionId: 10, status: null, progress: null, value: 3, difficulties: '', answer: '' }],
]);
const header = ['row_id', 'type', 'department', 'commitment', 'item', 'title', 'status', 'progress', 'value', 'difficulties', 'answer'];
const line = (id: string, status: string, progress: string, value: string, difficulties = '') => [id, '', '', '', '', '', status, progress, value, difficulties, ''];

test('matrix lines: every bad line reported with its spreadsheet line number and reason', () => {
  const { changes, errors } = checkMatrixLines([
    header,
    line('1', 'done', '40', ''), // line 2: fine (done → 100)
    line('2', '', '', '12,5'), // line 3: fine
    line('3', 'in_progress', '10', ''), // line 4: another department's row
    line('1', 'done', '100', ''), // line 5: duplicate
    line('99', 'done', '100', ''), // line 6: unknown row
    line('4', 'in_progress', '50', ''), // line 7: validated row, changed
    line('5', 'done', '', 'abc'), // line 8: status on an indicator and a bad value
  ], rows, (inst) => inst === 10);
  assert.deepEqual(changes.map((c) => [c.line, c.rowId, c.report.status, c.report.progress, c.report.value]), [[2, 1, 'done', 100, undefined], [3, 2, undefined, undefined, 12.5]]);
  assert.deepEqual(errors.map((e) => [e.line, e.key]), [
    [4, 'plans.csv.notYourRow'], [5, 'plans.csv.duplicateRow'], [6, 'plans.csv.unknownRow'], [7, 'plans.csv.notEditable'],
    [8, 'plans.csv.badValue'], [8, 'plans.csv.statusOnIndicator'],
  ]);
});

test('matrix lines: bad status and progress, missing columns, unchanged lines', () => {
  const r = checkMatrixLines([header, line('1', 'finished', '101', '')], rows, () => true);
  assert.deepEqual(r.errors.map((e) => e.key), ['plans.csv.badStatus', 'plans.csv.badProgress']);
  assert.deepEqual(checkMatrixLines([['row_id', 'status']], rows, () => true).errors[0].key, 'plans.csv.missingColumns');
  const same = checkMatrixLines([header, line('1', 'in_progress', '20', ''), line('4', 'done', '100', '')], rows, () => true);
  assert.deepEqual(same.errors, []);
  assert.deepEqual(same.changes.map((c) => [c.rowId, c.changed]), [[1, false]], 'an unchanged editable row may be submitted as is; a frozen unchanged row is skipped');
});

test('a row is complete when it carries what its kind needs', () => {
  assert.equal(rowComplete({ kind: 'action', status: 'done', progress: 100, value: null }), true);
  assert.equal(rowComplete({ kind: 'action', status: null, progress: null, value: null }), false);
  assert.equal(rowComplete({ kind: 'indicator', status: null, progress: null, value: 0 }), true);
});
