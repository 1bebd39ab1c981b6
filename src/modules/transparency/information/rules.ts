import { addWorkingDays, workingDaysBetween } from '../../../core/clock/working-days.ts';

/**
 * The legal clock of an access-to-information request (Law 31-13), as pure functions of days (YYYY-MM-DD, the
 * commune's calendar) and the commune's holidays. Each step of a file has its own clock:
 * - the answer: 20 working days from receipt, extendable once by 20 with a reason given to the requester;
 *   an urgent request (protection of life, safety or freedom) 3 working days, extendable once by 3;
 * - a clarification asked stops the clock; when the requester answers, what was left of it runs again;
 * - the complaint to the head of the commune: within 20 working days after the refusal (or the answer's deadline
 *   passed without an answer); the head answers within 15 working days;
 * - the national commission (CDAI): within 30 days after the head's answer (or the end of its delay); it
 *   decides within 30 days.
 */
export const ANSWER_DAYS = 20;
export const URGENT_DAYS = 3;
export const COMPLAINT_FILE_DAYS = 20;
export const COMPLAINT_ANSWER_DAYS = 15;
/** Calendar days, not working days. */
export const CDAI_FILE_DAYS = 30;
export const CDAI_DECISION_DAYS = 30;
/** Flagged "near its deadline" when this many working days or fewer are left (1 for an urgent request). */
export const NEAR_DAYS = 3;
export const NEAR_DAYS_URGENT = 1;

export type Holidays = ReadonlySet<string>;

export function plusCalendarDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The deadline of the answer for a request received on `receivedOn`. */
export function answerDue(receivedOn: string, urgent: boolean, holidays: Holidays): string {
  return addWorkingDays(receivedOn, urgent ? URGENT_DAYS : ANSWER_DAYS, holidays);
}

/** The deadline after the one extension allowed (20 working days more, 3 for an urgent request). */
export function extendedDue(dueOn: string, urgent: boolean, holidays: Holidays): string {
  return addWorkingDays(dueOn, urgent ? URGENT_DAYS : ANSWER_DAYS, holidays);
}

/**
 * The deadline once the requester has answered a clarification: the working days that were left on the day the
 * clarification was asked run again from the day of the reply.
 */
export function resumedDue(dueOn: string, pausedOn: string, resumedOn: string, holidays: Holidays): string {
  const left = workingDaysBetween(pausedOn, dueOn, holidays);
  return addWorkingDays(resumedOn, Math.max(1, left), holidays);
}

/** Working days the clock stood still (from the day asked to the day answered). */
export function pausedDays(pausedOn: string, resumedOn: string, holidays: Holidays): number {
  return workingDaysBetween(pausedOn, resumedOn, holidays);
}

/** Working days taken to answer, the pauses taken off. */
export function answerDays(receivedOn: string, answeredOn: string, paused: number, holidays: Holidays): number {
  return Math.max(0, workingDaysBetween(receivedOn, answeredOn, holidays) - paused);
}

export type Flag = 'ok' | 'near' | 'late';

/** Where an open request stands against its deadline on `today`. */
export function deadlineFlag(dueOn: string, today: string, urgent: boolean, holidays: Holidays): Flag {
  if (today > dueOn) return 'late';
  return workingDaysBetween(today, dueOn, holidays) <= (urgent ? NEAR_DAYS_URGENT : NEAR_DAYS) ? 'near' : 'ok';
}

/** The first day on which an open request is flagged near its deadline. */
export function nearDay(dueOn: string, receivedOn: string, urgent: boolean, holidays: Holidays): string {
  const n = urgent ? NEAR_DAYS_URGENT : NEAR_DAYS;
  let day = dueOn;
  for (;;) {
    const prev = plusCalendarDays(day, -1);
    if (prev < receivedOn || workingDaysBetween(prev, dueOn, holidays) > n) return day;
    day = prev;
  }
}

/** The last day to complain to the head of the commune: 20 working days after the refusal, or after the unmet deadline. */
export function complaintFileBy(basisDay: string, holidays: Holidays): string {
  return addWorkingDays(basisDay, COMPLAINT_FILE_DAYS, holidays);
}

/** The head of the commune answers a complaint within 15 working days of it. */
export function complaintAnswerDue(filedOn: string, holidays: Holidays): string {
  return addWorkingDays(filedOn, COMPLAINT_ANSWER_DAYS, holidays);
}

/** The last day to go to the CDAI: 30 days after the head's answer, or after the head's delay ran out. */
export function cdaiFileBy(basisDay: string): string {
  return plusCalendarDays(basisDay, CDAI_FILE_DAYS);
}

export function cdaiDecisionDue(filedOn: string): string {
  return plusCalendarDays(filedOn, CDAI_DECISION_DAYS);
}

/** What a file's clocks need to know. */
export interface ClockState {
  status: string;
  outcome: string | null;
  urgent: boolean;
  receivedOn: string | null;
  dueOn: string | null;
  extended: boolean;
  clarificationOn: string | null;
  answeredOn: string | null;
  complaintOn: string | null;
  complaintAnsweredOn: string | null;
  cdaiOn: string | null;
  cdaiDecidedOn: string | null;
}

export type StepName = 'answer' | 'complaint_window' | 'complaint_answer' | 'cdai_window' | 'cdai_decision';
export type StepStatus = 'running' | 'paused' | 'met' | 'late' | 'closed' | 'expired';
export interface Step { step: StepName; due: string; status: StepStatus; doneOn?: string | null }

/** Outcomes after which the requester may complain. */
export const COMPLAINABLE = ['refused', 'partial', 'not_held'];

/** Every step's clock of a file on `today`, in order; a step appears once it has started. */
export function steps(s: ClockState, today: string, holidays: Holidays): Step[] {
  const out: Step[] = [];
  if (!s.receivedOn || !s.dueOn) return out;
  const open = s.status === 'open' || s.status === 'clarification';
  if (open) out.push({ step: 'answer', due: s.dueOn, status: s.status === 'clarification' ? 'paused' : today > s.dueOn ? 'late' : 'running' });
  else if (s.answeredOn) out.push({ step: 'answer', due: s.dueOn, status: s.answeredOn <= s.dueOn ? 'met' : 'late', doneOn: s.answeredOn });
  if (s.outcome === 'withdrawn') return out;
  // The complaint window opens on a refusal (whole or part, or not held) or when the deadline passed unanswered.
  const basis = s.answeredOn && s.outcome && COMPLAINABLE.includes(s.outcome) ? s.answeredOn : open && s.status === 'open' && today > s.dueOn ? s.dueOn : null;
  if (s.complaintOn) {
    const due = complaintAnswerDue(s.complaintOn, holidays);
    out.push({ step: 'complaint_answer', due, status: s.complaintAnsweredOn ? (s.complaintAnsweredOn <= due ? 'met' : 'late') : today > due ? 'late' : 'running', doneOn: s.complaintAnsweredOn });
    const cdaiBasis = s.complaintAnsweredOn ?? (today > due ? due : null);
    if (s.cdaiOn) {
      const d = cdaiDecisionDue(s.cdaiOn);
      out.push({ step: 'cdai_decision', due: d, status: s.cdaiDecidedOn ? (s.cdaiDecidedOn <= d ? 'met' : 'late') : today > d ? 'late' : 'running', doneOn: s.cdaiDecidedOn });
    } else if (cdaiBasis) {
      const by = cdaiFileBy(cdaiBasis);
      out.push({ step: 'cdai_window', due: by, status: today > by ? 'expired' : 'running' });
    }
  } else if (basis) {
    const by = complaintFileBy(basis, holidays);
    out.push({ step: 'complaint_window', due: by, status: today > by ? 'expired' : 'running' });
  }
  return out;
}

/** Whether the requester may still complain to the head of the commune on `today`. */
export function mayComplain(s: ClockState, today: string, holidays: Holidays): boolean {
  return steps(s, today, holidays).some((x) => x.step === 'complaint_window' && x.status === 'running');
}

/** Whether the requester may still go to the CDAI on `today` (recording it). */
export function mayGoToCdai(s: ClockState, today: string, holidays: Holidays): boolean {
  return steps(s, today, holidays).some((x) => x.step === 'cdai_window' && x.status === 'running');
}
