import { chineseDaysData, HolidayCalendar, legalPeriodEnd } from '../../../src/platform/calendar/domain';
import {
  CaseDates, computeDeadlines, conclusionDue, PeriodFn, workingDaysLeft,
} from '../../../src/cases/domain/case-deadlines';

const cal = new HolidayCalendar(chineseDaysData());
const period: PeriodFn = (trigger, days) => {
  const r = legalPeriodEnd(trigger, days, cal, { rollOverWeekends: true, allowProvisional: true });
  return { lastDay: r.lastDay, provisional: r.provisional };
};
const isWorkingDay = (d: string) => {
  const k = cal.isKnown(d) ? cal.dayKind(d) : cal.dayKindAssumingWeekends(d);
  return k === 'workday' || k === 'makeup-workday';
};

const base: CaseDates = {
  status: 'registered', receivedDate: '2025-09-20', decidedDate: null, assignedDate: null, unit: null, acceptedDate: null,
  extensionDays: null, repliedDate: null, reviewRequestedDate: null, reviewRepliedDate: null, recheckRequestedDate: null, recheckRepliedDate: null,
};
const byKind = (c: CaseDates) => Object.fromEntries(computeDeadlines(c, period).map((d) => [d.kind, d]));

describe('case deadlines on the real 2025–2026 calendar', () => {
  test('registered 2025-09-20 (Sat): the decision is due 2025-10-09, past the National Day break (art. 22)', () => {
    const d = computeDeadlines(base, period);
    expect(d).toEqual([{ kind: 'decision', dueDate: '2025-10-09', status: 'open', provisional: false, unit: null, metDate: null }]);
  });

  test('交办 on 2025-09-23: the unit must tell the petitioner by 2025-10-09 (10-08 is still a holiday), and it is the unit’s deadline', () => {
    const d = byKind({ ...base, status: 'assigned', decidedDate: '2025-09-23', assignedDate: '2025-09-23', unit: '县自然资源局' });
    expect(d.decision).toMatchObject({ status: 'met', dueDate: '2025-10-09' });
    expect(d.acceptance_notice).toEqual({ kind: 'acceptance_notice', dueDate: '2025-10-09', status: 'open', provisional: false, unit: '县自然资源局', metDate: null });
    expect(d.conclusion).toBeUndefined();
  });

  test('a case the bureau accepts itself counts the acceptance notice from registration, already met', () => {
    const d = byKind({ ...base, status: 'handling', decidedDate: '2025-09-22', acceptedDate: '2025-09-22' });
    expect(d.acceptance_notice).toMatchObject({ dueDate: '2025-10-09', status: 'met', unit: null });
    // 2025-09-22 + 60 = 2025-11-21 (Fri).
    expect(d.conclusion).toMatchObject({ dueDate: '2025-11-21', status: 'open', unit: null });
  });

  test('conclusion across Spring Festival 2026: accepted 2025-12-17, 60 days end on 2026-02-15, a holiday, so 2026-02-24', () => {
    const d = byKind({ ...base, receivedDate: '2025-12-10', status: 'handling', decidedDate: '2025-12-12', assignedDate: '2025-12-12', unit: '县住房和城乡建设局', acceptedDate: '2025-12-17' });
    expect(d.conclusion).toMatchObject({ dueDate: '2026-02-24', status: 'open', unit: '县住房和城乡建设局', provisional: false });
  });

  test('an extension of 30 days runs from the end of the 60 days: 2026-02-24 + 30 = 2026-03-26', () => {
    expect(conclusionDue('2025-12-17', 30, period)).toEqual({ lastDay: '2026-03-26', provisional: false });
    const d = byKind({ ...base, status: 'handling', decidedDate: '2025-12-12', acceptedDate: '2025-12-17', extensionDays: 30 });
    expect(d.conclusion.dueDate).toBe('2026-03-26');
    // A shorter extension that ends on the make-up Saturday 2026-02-28 stops there (it is a working day).
    expect(conclusionDue('2025-12-17', 4, period).lastDay).toBe('2026-02-28');
  });

  test('the 复查 window after a reply on 2026-04-01 ends 2026-05-06 (5/1–5/5 off), then 30 + 30 more', () => {
    const concluded = { ...base, status: 'concluded' as const, decidedDate: '2026-03-01', acceptedDate: '2026-03-02', repliedDate: '2026-04-01' };
    let d = byKind(concluded);
    expect(d.conclusion.status).toBe('met');
    expect(d.review_request).toMatchObject({ dueDate: '2026-05-06', status: 'open' });
    expect(d.review_decision).toBeUndefined();

    d = byKind({ ...concluded, status: 'review', reviewRequestedDate: '2026-04-20' });
    expect(d.review_request.status).toBe('met');
    expect(d.review_decision).toMatchObject({ dueDate: '2026-05-20', status: 'open' });

    d = byKind({ ...concluded, status: 'reviewed', reviewRequestedDate: '2026-04-20', reviewRepliedDate: '2026-05-15' });
    expect(d.review_decision.status).toBe('met');
    // 05-15 + 30 = 06-14 (Sun) -> Mon 06-15.
    expect(d.recheck_request).toMatchObject({ dueDate: '2026-06-15', status: 'open' });

    d = byKind({ ...concluded, status: 'recheck', reviewRequestedDate: '2026-04-20', reviewRepliedDate: '2026-05-15', recheckRequestedDate: '2026-05-20' });
    expect(d.recheck_request.status).toBe('met');
    // 05-20 + 30 = 06-19, the Dragon Boat holiday (6/19–6/21) -> 06-22.
    expect(d.recheck_decision).toMatchObject({ dueDate: '2026-06-22', status: 'open' });

    d = byKind({ ...concluded, status: 'closed', reviewRequestedDate: '2026-04-20', reviewRepliedDate: '2026-05-15', recheckRequestedDate: '2026-05-20', recheckRepliedDate: '2026-06-10' });
    expect(Object.values(d).every((x) => x.status === 'met')).toBe(true);
    expect(Object.keys(d)).toEqual(['decision', 'acceptance_notice', 'conclusion', 'review_request', 'review_decision', 'recheck_request', 'recheck_decision']);
  });

  test('refused or transferred cases owe nothing more: only the decision, met', () => {
    expect(computeDeadlines({ ...base, status: 'transferred', decidedDate: '2025-09-22' }, period).map((d) => [d.kind, d.status]))
      .toEqual([['decision', 'met']]);
    const rejected = byKind({ ...base, status: 'not_accepted', decidedDate: '2025-09-22' });
    expect(rejected.decision.status).toBe('met');
    expect(rejected.acceptance_notice.status).toBe('met');
    expect(rejected.conclusion).toBeUndefined();
  });

  test('a case handed back (退回) to the bureau has its decision open again', () => {
    const d = computeDeadlines({ ...base, status: 'registered', decidedDate: null, assignedDate: null }, period);
    expect(d.map((x) => [x.kind, x.status])).toEqual([['decision', 'open']]);
  });

  test('a period reaching a year without holiday data is provisional', () => {
    // Accepted 2026-12-01: + 60 = 2027-01-30 (Sat), estimated Mon 2027-02-01.
    const d = byKind({ ...base, receivedDate: '2026-11-25', status: 'handling', decidedDate: '2026-11-26', acceptedDate: '2026-12-01' });
    expect(d.conclusion).toMatchObject({ dueDate: '2027-02-01', provisional: true });
    expect(d.decision.provisional).toBe(false);
  });
});

describe('the date that met each deadline (metDate, what the statistics rate by)', () => {
  const reviewed: CaseDates = {
    ...base, status: 'recheck', decidedDate: '2025-09-22', acceptedDate: '2025-09-22', repliedDate: '2025-11-10',
    reviewRequestedDate: '2025-11-20', reviewRepliedDate: '2025-12-15', recheckRequestedDate: '2025-12-30',
  };

  test('each kind carries the case date that met it: decided, replied, review and recheck dates; the notice has none', () => {
    const d = byKind(reviewed);
    expect(d.decision.metDate).toBe('2025-09-22');
    expect(d.acceptance_notice.metDate).toBeNull();
    expect(d.conclusion.metDate).toBe('2025-11-10');
    expect(d.review_request.metDate).toBe('2025-11-20');
    expect(d.review_decision.metDate).toBe('2025-12-15');
    expect(d.recheck_request.metDate).toBe('2025-12-30');
    expect(d.recheck_decision).toMatchObject({ status: 'open', metDate: null });
  });

  test('a deadline met late keeps the late date, and one still running has none', () => {
    // Registered 2025-09-20, due 2025-10-09, decided 2025-10-20: met, after the last day.
    const late = byKind({ ...base, status: 'handling', decidedDate: '2025-10-20', acceptedDate: '2025-10-20' });
    expect(late.decision).toMatchObject({ status: 'met', dueDate: '2025-10-09', metDate: '2025-10-20' });
    expect(late.conclusion).toMatchObject({ status: 'open', metDate: null });
    expect(byKind(base).decision).toMatchObject({ status: 'open', metDate: null });
  });
});

describe('workingDaysLeft', () => {
  test('counts working days to the due day, skipping the National Day break and counting the 调休 Sunday', () => {
    // 2025-09-20 (Sat) to 2025-10-09: 9/22–9/26, 9/28 (make-up Sun), 9/29, 9/30, 10/9.
    expect(workingDaysLeft('2025-09-20', '2025-10-09', isWorkingDay)).toBe(9);
    expect(workingDaysLeft('2025-09-30', '2025-10-09', isWorkingDay)).toBe(1);
    expect(workingDaysLeft('2025-10-09', '2025-10-09', isWorkingDay)).toBe(0);
  });

  test('is negative once the day has passed, at least -1 even over a weekend', () => {
    expect(workingDaysLeft('2025-10-13', '2025-10-09', isWorkingDay)).toBe(-3); // Fri 10/10, make-up Sat 10/11, Mon 10/13
    expect(workingDaysLeft('2026-03-01', '2026-02-27', isWorkingDay)).toBe(-1); // 2/28 make-up Sat
    expect(workingDaysLeft('2026-03-08', '2026-03-06', isWorkingDay)).toBe(-1); // only a weekend passed
  });
});
