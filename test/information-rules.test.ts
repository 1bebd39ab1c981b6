// The legal clock of access-to-information requests (Law 31-13): pure functions on fixed dates, with holidays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as rules from '../src/modules/transparency/information/rules.ts';
import { medianOf, formatReference } from '../src/modules/transparency/information/service.ts';

const none = new Set<string>();
// 2026-03-02 is a Monday.
const MON = '2026-03-02';

test('20 working days to answer, skipping weekends and the commune’s holidays', () => {
  // Four weeks of five working days: Monday 2 March → Monday 30 March.
  assert.equal(rules.answerDue(MON, false, none), '2026-03-30');
  // A received on a Friday counts from the Monday after.
  assert.equal(rules.answerDue('2026-03-06', false, none), '2026-04-03');
  // Two holidays inside the window push the deadline two working days later.
  const holidays = new Set(['2026-03-20', '2026-03-23']);
  assert.equal(rules.answerDue(MON, false, holidays), '2026-04-01');
  // A holiday on a weekend changes nothing.
  assert.equal(rules.answerDue(MON, false, new Set(['2026-03-07'])), '2026-03-30');
});

test('urgent requests: 3 working days, extended once by 3', () => {
  // Thursday 5 March + 3 working days = Tuesday 10 March.
  assert.equal(rules.answerDue('2026-03-05', true, none), '2026-03-10');
  assert.equal(rules.extendedDue('2026-03-10', true, none), '2026-03-13');
  // With a holiday on Monday 9 March: Wednesday 11.
  assert.equal(rules.answerDue('2026-03-05', true, new Set(['2026-03-09'])), '2026-03-11');
});

test('the one extension adds 20 working days to the deadline', () => {
  assert.equal(rules.extendedDue('2026-03-30', false, none), '2026-04-27');
  assert.equal(rules.extendedDue('2026-03-30', false, new Set(['2026-04-10'])), '2026-04-28');
});

test('a clarification stops the clock; what was left runs again from the reply', () => {
  // Due Monday 30 March; asked Monday 16 March (10 working days left); answered Wednesday 25 March.
  assert.equal(rules.resumedDue('2026-03-30', '2026-03-16', '2026-03-25', none), '2026-04-08');
  assert.equal(rules.pausedDays('2026-03-16', '2026-03-25', none), 7);
  // A holiday during the pause does not count as paused, one after it moves the new deadline.
  assert.equal(rules.pausedDays('2026-03-16', '2026-03-25', new Set(['2026-03-18'])), 6);
  assert.equal(rules.resumedDue('2026-03-30', '2026-03-16', '2026-03-25', new Set(['2026-04-01'])), '2026-04-09');
  // Paused on the deadline itself: at least one working day after the reply.
  assert.equal(rules.resumedDue('2026-03-30', '2026-03-30', '2026-04-06', none), '2026-04-07');
  // Time to answer counts working days, the pause taken off.
  assert.equal(rules.answerDays(MON, '2026-04-08', 7, none), 20);
});

test('near and past the deadline', () => {
  assert.equal(rules.deadlineFlag('2026-03-30', '2026-03-20', false, none), 'ok');
  assert.equal(rules.deadlineFlag('2026-03-30', '2026-03-25', false, none), 'near');
  assert.equal(rules.deadlineFlag('2026-03-30', '2026-03-30', false, none), 'near');
  assert.equal(rules.deadlineFlag('2026-03-30', '2026-03-31', false, none), 'late');
  // The first day flagged: three working days before (Wednesday 25 for Monday 30; the weekend in between).
  assert.equal(rules.nearDay('2026-03-30', MON, false, none), '2026-03-25');
  assert.equal(rules.deadlineFlag('2026-03-30', rules.nearDay('2026-03-30', MON, false, none), false, none), 'near');
  assert.equal(rules.deadlineFlag('2026-03-30', '2026-03-24', false, none), 'ok');
  // Urgent: one working day before.
  assert.equal(rules.nearDay('2026-03-10', '2026-03-05', true, none), '2026-03-09');
  assert.equal(rules.deadlineFlag('2026-03-10', '2026-03-09', true, none), 'near');
  assert.equal(rules.deadlineFlag('2026-03-10', '2026-03-06', true, none), 'ok');
});

const base: rules.ClockState = {
  status: 'open', outcome: null, urgent: false, receivedOn: MON, dueOn: '2026-03-30', extended: false, clarificationOn: null,
  answeredOn: null, complaintOn: null, complaintAnsweredOn: null, cdaiOn: null, cdaiDecidedOn: null,
};

test('complaint delays: 20 working days after a refusal or a missed deadline; the head answers within 15', () => {
  assert.equal(rules.complaintFileBy('2026-03-20', none), '2026-04-17');
  assert.equal(rules.complaintAnswerDue('2026-03-23', none), '2026-04-13');
  // A request answered (given) opens no complaint window.
  const given = { ...base, status: 'closed', outcome: 'given', answeredOn: '2026-03-20' };
  assert.equal(rules.mayComplain(given, '2026-03-21', none), false);
  // A refusal does, until the 20th working day after it.
  const refused = { ...given, outcome: 'refused' };
  assert.equal(rules.mayComplain(refused, '2026-04-17', none), true);
  assert.equal(rules.mayComplain(refused, '2026-04-18', none), false);
  assert.deepEqual(rules.steps(refused, '2026-04-18', none).map((s) => [s.step, s.status]), [['answer', 'met'], ['complaint_window', 'expired']]);
  // No answer: the window opens the day after the deadline and runs 20 working days from it.
  assert.equal(rules.mayComplain(base, '2026-03-30', none), false);
  assert.equal(rules.mayComplain(base, '2026-03-31', none), true);
  assert.deepEqual(rules.steps(base, '2026-03-31', none), [
    { step: 'answer', due: '2026-03-30', status: 'late' }, { step: 'complaint_window', due: '2026-04-27', status: 'running' }]);
  // A clarification pending pauses the answer's clock and opens nothing.
  assert.deepEqual(rules.steps({ ...base, status: 'clarification', clarificationOn: '2026-03-10' }, '2026-04-15', none).map((s) => s.status), ['paused']);
  // An answer given late is shown as late.
  assert.equal(rules.steps({ ...base, status: 'closed', outcome: 'given', answeredOn: '2026-04-02' }, '2026-04-10', none)[0].status, 'late');
  // Withdrawn: nothing to complain about.
  assert.equal(rules.mayComplain({ ...base, status: 'closed', outcome: 'withdrawn', answeredOn: null }, '2026-04-01', none), false);
});

test('after the head: the CDAI within 30 days, deciding within 30 days', () => {
  const complained = { ...base, status: 'closed', outcome: 'refused', answeredOn: '2026-03-20', complaintOn: '2026-03-23' };
  // Before the head answers or its delay ends: no CDAI yet.
  assert.equal(rules.mayGoToCdai(complained, '2026-04-01', none), false);
  const s = rules.steps(complained, '2026-04-01', none);
  assert.deepEqual(s.map((x) => [x.step, x.due, x.status]), [['answer', '2026-03-30', 'met'], ['complaint_answer', '2026-04-13', 'running']]);
  // The head's delay passed without an answer: the CDAI window runs 30 days from its end.
  assert.equal(rules.mayGoToCdai(complained, '2026-04-14', none), true);
  assert.equal(rules.steps(complained, '2026-04-14', none).at(-1)!.due, '2026-05-13');
  // The head answered: 30 days from the answer.
  const answered = { ...complained, complaintAnsweredOn: '2026-04-06' };
  assert.deepEqual(rules.steps(answered, '2026-04-07', none).slice(1).map((x) => [x.step, x.due, x.status]), [['complaint_answer', '2026-04-13', 'met'], ['cdai_window', '2026-05-06', 'running']]);
  assert.equal(rules.mayGoToCdai(answered, '2026-05-06', none), true);
  assert.equal(rules.mayGoToCdai(answered, '2026-05-07', none), false);
  // Referred: the decision's clock.
  const referred = { ...answered, cdaiOn: '2026-04-10' };
  assert.deepEqual(rules.steps(referred, '2026-05-11', none).at(-1), { step: 'cdai_decision', due: '2026-05-10', status: 'late', doneOn: null });
  assert.equal(rules.steps({ ...referred, cdaiDecidedOn: '2026-05-01' }, '2026-05-11', none).at(-1)!.status, 'met');
});

test('the median of a histogram, and references', () => {
  assert.equal(medianOf([]), null);
  assert.equal(medianOf([{ days: 3, n: 1 }]), 3);
  assert.equal(medianOf([{ days: 2, n: 1 }, { days: 10, n: 1 }]), 6);
  assert.equal(medianOf([{ days: 1, n: 5 }, { days: 9, n: 2 }, { days: 30, n: 2 }]), 1);
  assert.equal(medianOf([{ days: 4, n: 2 }, { days: 8, n: 2 }]), 6);
  assert.equal(formatReference('tetouan', 2026, 42), 'TET-AI-2026-000042');
});
