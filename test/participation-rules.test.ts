import { test } from 'node:test';
import assert from 'node:assert/strict';
import { borda, bordaPoints, parseAnswers, visibleQuestions, answerRows, type QuestionDef } from '../src/modules/participation/surveys/rules.ts';
import { defaultThreshold, threshold, normalizeCin, parseSheetLine, decisionDue, DEFAULT_SETTINGS } from '../src/modules/participation/petitions/rules.ts';

const opt = (n: number) => Array.from({ length: n }, (_, i) => ({ key: String(i + 1), label: { fr: `O${i + 1}` } }));

test('Borda: with m options the r-th place gets m − r points; hand-computed totals and first places', () => {
  assert.equal(bordaPoints(4, 1), 3);
  assert.equal(bordaPoints(4, 4), 0);
  // Four options A B C D, five ballots:
  //   A>B>C>D, A>C>B>D, B>A>D>C, C>B (partial), D>A>B>C
  // A: 3+3+2+0+2 = 10; B: 2+1+3+2+1 = 9; C: 1+2+0+3+0 = 6; D: 0+0+1+0+3 = 4. First places: A 2, B 1, C 1, D 1.
  const r = borda(['A', 'B', 'C', 'D'], [['A', 'B', 'C', 'D'], ['A', 'C', 'B', 'D'], ['B', 'A', 'D', 'C'], ['C', 'B'], ['D', 'A', 'B', 'C']]);
  assert.deepEqual(r.map((x) => [x.key, x.points, x.firsts]), [['A', 10, 2], ['B', 9, 1], ['C', 6, 1], ['D', 4, 1]]);
  assert.equal(r[0].firstShare, 2 / 5);
  // A tie on points is broken by first places, then by the options' order.
  const tie = borda(['X', 'Y', 'Z'], [['X', 'Y', 'Z'], ['Y', 'Z', 'X'], ['Z', 'X', 'Y']]);
  assert.deepEqual(tie.map((x) => x.key), ['X', 'Y', 'Z']);
  assert.ok(tie.every((x) => x.points === 3 && x.firsts === 1));
});

test('the rows a ranking answer stores carry the same Borda points the summary adds up', () => {
  const q: QuestionDef = { id: 1, kind: 'ranking', options: opt(4), maxChoices: null, required: true, condition: null };
  const rows = answerRows(q, { ranking: ['3', '1'] });
  assert.deepEqual(rows.map((r) => [r.option_key, r.rank, r.points, r.is_first, r.lead]), [['3', 1, 3, 1, 1], ['1', 2, 2, 0, 0]]);
});

const qs: QuestionDef[] = [
  { id: 1, kind: 'single', options: opt(2), maxChoices: null, required: true, condition: null },
  { id: 2, kind: 'multiple', options: opt(3), maxChoices: 2, required: true, condition: { questionId: 1, anyOf: ['1'] } },
  { id: 3, kind: 'short_text', options: [], maxChoices: null, required: true, condition: { questionId: 2, anyOf: ['3'] } },
  { id: 4, kind: 'ranking', options: opt(3), maxChoices: null, required: false, condition: null },
];

test('conditions: a question shows when the question it depends on is shown and has one of the answers; chains too', () => {
  assert.deepEqual([...visibleQuestions(qs, new Map([[1, { options: ['2'] }]]))], [1, 4]);
  assert.deepEqual([...visibleQuestions(qs, new Map([[1, { options: ['1'] }], [2, { options: ['3'] }]]))], [1, 2, 3, 4]);
  // Question 3 depends on 2, hidden when 1 is not A, whatever 2's (stale) answer says.
  assert.deepEqual([...visibleQuestions(qs, new Map([[1, { options: ['2'] }], [2, { options: ['3'] }]]))], [1, 4]);
});

test('parsing: a hidden question is neither required nor kept; a shown one is required; bad values are refused', () => {
  let r = parseAnswers(qs, { q1: '2', q2: ['1', '3'], q3: 'ignored' });
  assert.deepEqual(r.errors, {});
  assert.deepEqual([...r.answers.keys()], [1]);
  r = parseAnswers(qs, { q1: '1' });
  assert.equal(r.errors.q2?.key, 'errors.required');
  r = parseAnswers(qs, { q1: '1', q2: ['1', '2', '3'] });
  assert.equal(r.errors.q2?.key, 'surveys.errors.tooManyChoices');
  r = parseAnswers(qs, { q1: '7' });
  assert.equal(r.errors.q1?.key, 'errors.choice');
  r = parseAnswers(qs, { q1: '2', q4_1: '2', q4_2: '2' });
  assert.equal(r.errors.q4?.key, 'surveys.errors.rankInvalid', 'repeated place');
  r = parseAnswers(qs, { q1: '2', q4_1: '1', q4_2: '3' });
  assert.equal(r.errors.q4?.key, 'surveys.errors.rankInvalid', 'a gap');
  r = parseAnswers(qs, { q1: '2', q4_3: '1', q4_1: '2' });
  assert.deepEqual(r.answers.get(4), { ranking: ['3', '1'] });
});

test('petition thresholds by population (Organic Law 113-14, art. 123) and the commune override', () => {
  assert.equal(defaultThreshold(34_999, false), 100);
  assert.equal(defaultThreshold(35_000, false), 200);
  assert.equal(defaultThreshold(380_787, false), 200);
  assert.equal(defaultThreshold(null, false), 200);
  assert.equal(defaultThreshold(10_000, true), 400);
  assert.equal(threshold({ ...DEFAULT_SETTINGS, citizensMin: 150 }, 380_787, 'citizens'), 150);
  assert.equal(threshold(DEFAULT_SETTINGS, 380_787, 'association'), 0);
});

test('ID numbers and sheet lines are normalised so a paper duplicate of an online signature is caught', () => {
  assert.equal(normalizeCin(' l 123-456 '), 'L123456');
  assert.equal(normalizeCin('ab.12345'), 'AB12345');
  assert.equal(normalizeCin('123456'), null);
  assert.equal(normalizeCin('ABC123'), null);
  assert.deepEqual(parseSheetLine('Fatima Zahra El Idrissi ; l123456'), { name: 'Fatima Zahra El Idrissi', cin: 'L123456' });
  assert.deepEqual(parseSheetLine('Nom sans numéro'), { error: 'format' });
  assert.deepEqual(parseSheetLine('Ali Ben ; 42'), { error: 'cin' });
});

test('the admissibility clock: three months after filing, moved past weekends and holidays', () => {
  assert.equal(decisionDue('2026-03-02', 3, new Set()), '2026-06-02');
  // 2026-06-06 is a Saturday: Monday 8 June.
  assert.equal(decisionDue('2026-03-06', 3, new Set()), '2026-06-08');
  assert.equal(decisionDue('2026-02-28', 3, new Set()), '2026-05-28');
  // The 31st of a month without one: its last day (30 April 2027 is a Friday).
  assert.equal(decisionDue('2027-01-31', 3, new Set()), '2027-04-30');
  // A holiday on the due day: the next working day.
  assert.equal(decisionDue('2026-03-02', 3, new Set(['2026-06-02'])), '2026-06-03');
});
