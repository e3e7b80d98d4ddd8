import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { deadlineReportLines, importLabel, monthDay, moveReason } from '../../../src/cases/domain/deadline-move-words';

const before = new HolidayCalendar(chineseDaysData());
const after = new HolidayCalendar(
  chineseDaysData(),
  [
    { date: '2027-01-01', kind: 'holiday', name: '元旦' },
    { date: '2027-02-08', kind: 'holiday' },
    { date: '2027-02-14', kind: 'workday', name: '春节调休' },
    { date: '2026-10-07', kind: 'workday' }, // 国庆 2026's last day taken back (a made-up correction)
  ],
  [2027],
);

describe('why a deadline moved, as the case history and the report say it', () => {
  test('the import names itself by its years, or as a correction', () => {
    expect(importLabel([2027])).toBe('2027 年节假日安排导入');
    expect(importLabel([2027, 2028])).toBe('2027、2028 年节假日安排导入');
    expect(importLabel([])).toBe('节假日安排更正');
  });

  test('a last day that became a holiday rolls over, with the holiday’s name when the file gives one', () => {
    expect(moveReason('2027-01-01', '2027-01-04', before, after)).toBe('1月1日为元旦假日，顺延至1月4日');
    expect(moveReason('2027-02-08', '2027-02-14', before, after)).toBe('2月8日为法定节假日，顺延至2月14日');
  });

  test('a 调休 working day or a holiday taken back ends a period earlier', () => {
    expect(moveReason('2027-02-15', '2027-02-14', before, after)).toBe('2月14日为调休上班日，期限提前至2月14日');
    expect(moveReason('2026-10-08', '2026-10-07', before, after)).toBe('10月7日不再放假，期限提前至10月7日');
  });

  test('a move caused earlier in the count (before an extension) says so; a new year is spelled out', () => {
    expect(moveReason('2027-03-03', '2027-03-04', before, after)).toBe('期限计算所涉日期的节假日安排有变，顺延至3月4日');
    expect(monthDay('2028-01-03', '2027-12-31')).toBe('2028年1月3日');
  });

  test('the report: figures in words, at most 50 moves, then how many more', () => {
    const moves = Array.from({ length: 52 }, (_, i) => ({
      caseNo: `2026-${String(i + 1).padStart(6, '0')}`, kind: 'conclusion' as const, from: '2027-01-01', to: '2027-01-04', reason: '1月1日为元旦假日，顺延至1月4日',
    }));
    const lines = deadlineReportLines({ checked: 60, moved: 52, madeFinal: 58, cases: 55 }, moves);
    expect(lines[0]).toBe('检查可能受影响的办理期限 60 条：调整日期 52 条，由暂定转为正式 58 条，涉及案件 55 件。');
    expect(lines[1]).toBe('2026-000001 办结期限 2027-01-01 → 2027-01-04（1月1日为元旦假日，顺延至1月4日）');
    expect(lines).toHaveLength(52);
    expect(lines[51]).toBe('…另有 2 条');
    expect(deadlineReportLines({ checked: 4, moved: 0, madeFinal: 0, cases: 0 }, [])).toEqual(['检查可能受影响的办理期限 4 条，均无需调整。']);
  });
});
