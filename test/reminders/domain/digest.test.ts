import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { BUREAU_UNIT, buildDigest, DigestDeadline } from '../../../src/reminders/domain/digest';
import { WorkingDays } from '../../../src/platform/calendar/domain/lenient-working-days';

const days = new WorkingDays(new HolidayCalendar(chineseDaysData()));

const row = (caseNo: string, dueDate: string, unit: string | null, extra: Partial<DigestDeadline> = {}): DigestDeadline => ({
  caseNo, kind: 'conclusion', dueDate, unit, category: '城乡建设', supervised: false, letterFlagged: false, ...extra,
});

describe('the daily digest', () => {
  test('sorts deadlines into overdue, due today and due within 3 working days, by unit, across the Spring Festival', () => {
    // Friday 2026-02-13: the next working days are 2/14 (调休 Saturday), 2/24, 2/25.
    const d = buildDigest('2026-02-13', [
      row('2026-000001', '2026-02-10', '阳城镇'),
      row('2026-000002', '2026-02-13', '阳城镇'),
      row('2026-000003', '2026-02-24', '县住建局'),
      row('2026-000004', '2026-02-25', '县住建局', { supervised: true }),
      row('2026-000005', '2026-02-26', '县住建局'), // 4 working days ahead: not in the digest
      row('2026-000006', '2026-02-12', null, { kind: 'decision', letterFlagged: true }),
      row('2026-000007', '2026-02-09', '阳城镇'),
    ], days);
    expect(d.totals).toEqual({ overdue: 3, dueToday: 1, dueSoon: 2 });
    expect(d.units.map((u) => u.unit)).toEqual(['阳城镇', BUREAU_UNIT, '县住建局']);
    const yc = d.units[0];
    expect(yc.overdue.map((i) => [i.caseNo, i.workingDays])).toEqual([['2026-000007', -4], ['2026-000001', -3]]);
    expect(yc.dueToday.map((i) => i.caseNo)).toEqual(['2026-000002']);
    expect(d.units[2].dueSoon.map((i) => [i.caseNo, i.workingDays])).toEqual([['2026-000003', 2], ['2026-000004', 3]]);
  });

  test('a unit with nothing due is not listed at all', () => {
    const d = buildDigest('2025-09-29', [row('2025-000001', '2025-11-20', '七拱镇'), row('2025-000002', '2025-09-30', '太平镇')], days);
    expect(d.units.map((u) => u.unit)).toEqual(['太平镇']);
  });
});
