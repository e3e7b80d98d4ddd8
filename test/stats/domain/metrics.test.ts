import type { StatsSources } from '../../../src/stats/domain/metrics';
import { breakdown, buildStatsReport, dueRatio, formatRatio, parsePeriod, supervisedRatio } from '../../../src/stats/domain/metrics';

const oct = parsePeriod('2026-10', '2026-11-27')!;
const nov = parsePeriod('2026-11', '2026-11-27')!;

test('breakdowns: largest first, ties by pinyin (来访 before 来信), blanks counted under 未填写', () => {
  expect(breakdown([{ name: '来信', count: 1 }, { name: '来访', count: 1 }, { name: '电话', count: 3 }])).toEqual([
    { name: '电话', count: 3 }, { name: '来访', count: 1 }, { name: '来信', count: 1 },
  ]);
  expect(breakdown([{ name: null, count: 2 }, { name: '', count: 1 }, { name: '求决', count: 2 }])).toEqual([{ name: '未填写', count: 3 }, { name: '求决', count: 2 }]);
});

test('及时受理率 counts what fell due in the period: on time, late, and overdue-undone', () => {
  const groups = [
    { due: '2026-10-26', total: 3, done: 2, doneByDue: 1, open: 1 }, // on time, late, undecided past its day
    { due: '2026-11-02', total: 5, done: 5, doneByDue: 5, open: 0 }, // not due in October
  ];
  const r = dueRatio(groups, oct, '2026-11-27');
  expect(r).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  expect(formatRatio(r)).toBe('33.3%（1/3）');
});

test('a deadline still running counts neither way; one already met early counts for', () => {
  const r = dueRatio([{ due: '2026-11-30', total: 4, done: 1, doneByDue: 1, open: 3 }], nov, '2026-11-27');
  expect(r).toEqual({ numerator: 1, denominator: 1, rate: 1 });
  expect(dueRatio([{ due: '2026-11-30', total: 2, done: 0, doneByDue: 0, open: 2 }], nov, '2026-11-27').rate).toBeNull();
  expect(formatRatio(dueRatio([], nov, '2026-11-27'))).toBe('—（本期无到期事项）');
  // On its last day it is still inside; the day after it counts against.
  expect(dueRatio([{ due: '2026-11-27', total: 1, done: 0, doneByDue: 0, open: 1 }], nov, '2026-11-27').denominator).toBe(0);
  expect(dueRatio([{ due: '2026-11-26', total: 1, done: 0, doneByDue: 0, open: 1 }], nov, '2026-11-27').denominator).toBe(1);
});

test('督查督办化解率: supervised during the period, resolved = 办结 by its end', () => {
  const rows = [
    { since: '2026-09-01', repliedDate: '2026-10-20' }, // resolved in October
    { since: '2026-10-10', repliedDate: null }, // open
    { since: '2026-09-01', repliedDate: '2026-11-05' }, // resolved after October: not by its end
    { since: '2026-08-01', repliedDate: '2026-09-30' }, // resolved before October: not counted
    { since: '2026-11-03', repliedDate: null }, // supervised after October: not counted
  ];
  expect(supervisedRatio(rows, oct, '2026-11-27')).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  // A period not over yet is read as of today: the case resolved on 5 November is not resolved yet on the 4th.
  expect(supervisedRatio(rows, nov, '2026-11-04')).toEqual({ numerator: 0, denominator: 3, rate: 0 });
});

const empty: StatsSources = {
  registrations: { byDay: [], byChannel: [], byCategory: [], byTown: [], byPurpose: [], repeat: 0 },
  concluded: 0, decisionDue: [], conclusionDue: [], overdue: { decision: 0, conclusion: 0 }, supervised: [],
  disputes: null, letters: null, reviews: null, receptions: null, consultations: null,
};

test('a ledger that holds nothing for the period is null, never 0', () => {
  const r = buildStatsReport(oct, '2026-11-27', {
    ...empty,
    disputes: { found: 0, resolved: 0, escalated: 0, inProgress: 0, overdue: 0, resolutionRate: null },
    letters: { 提醒函: 0, 督办函: 0, 改进工作建议函: 0, total: 0 },
    reviews: { reviewed: 0, withProblems: 0, problems: 0, fixed: 0 },
    receptions: { sessionsHeld: 0, sessionsPlanned: 0, batches: 0, people: 0 },
    consultations: { held: 0, scheduled: 0, tasks: 0, tasksDone: 0 },
  }, null);
  expect([r.disputes, r.disputeResolution, r.disputeResolutionRate, r.letters, r.reviews, r.receptions, r.consultations, r.previous]).toEqual([null, null, null, null, null, null, null, null]);
  expect(formatRatio(r.disputeResolution)).toBe('暂无数据');
  expect(r.byMonth).toEqual([{ month: '2026-10', count: 0 }]);
});

test('the figures of a ledger with rows, the registrations summed from the days of the period, overdue now', () => {
  const r = buildStatsReport(oct, '2026-11-27', {
    ...empty,
    registrations: { ...empty.registrations, byDay: [{ date: '2026-09-30', count: 5, groupVisits: 1, anonymous: 1 }, { date: '2026-10-01', count: 4, groupVisits: 1, anonymous: 0 }, { date: '2026-10-31', count: 3, groupVisits: 1, anonymous: 1 }], repeat: 3 },
    disputes: { found: 4, resolved: 3, escalated: 0, inProgress: 1, overdue: 0, resolutionRate: 0.75 },
    reviews: { reviewed: 5, withProblems: 2, problems: 3, fixed: 2 },
    // Overdue now (27 November), as the database counted it, whatever period the deadlines fell in.
    overdue: { decision: 1, conclusion: 2 },
  }, null);
  expect(r).toMatchObject({ registered: 7, groupVisits: 2, anonymous: 1, repeatPetitions: 3, disputeResolutionRate: 0.75 });
  expect(r.byMonth).toEqual([{ month: '2026-10', count: 7 }]);
  expect(r.reviews).toEqual({ reviewed: 5, compliant: 3, problems: 3, fixed: 2 });
  expect(r.overdueNow).toEqual({ decision: 1, conclusion: 2, total: 3 });
});
