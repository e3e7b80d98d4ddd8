import { computeStats, formatRate, parsePeriod, StatsCaseRow } from '../../../src/stats/domain/metrics';

const base: StatsCaseRow = {
  receivedDate: '2026-10-09', status: 'handling', channel: '来访', category: '城乡建设', town: '阳城镇',
  isGroup: false, supervised: false, repeat: false,
  decisionDue: '2026-10-26', decidedDate: '2026-10-12', conclusionDue: null, repliedDate: null,
};
const oct = parsePeriod('2026-10', '2026-11-27')!;

test('counts what was registered in the period, by channel, category and town', () => {
  const rows = [
    base,
    { ...base, channel: '来信', isGroup: true, repeat: true },
    { ...base, receivedDate: '2026-09-30' },
  ];
  const s = computeStats(rows, oct, '2026-11-27');
  expect(s.registered).toBe(2);
  expect(s.groupVisits).toBe(1);
  expect(s.repeatPetitions).toBe(1);
  // Ties sort by pinyin, as a Chinese reader expects: 来访 (fang) before 来信 (xin).
  expect(s.byChannel).toEqual([['来访', 1], ['来信', 1]]);
});

test('及时受理率 counts decisions due in the period: on time, late, and overdue-undecided', () => {
  const rows = [
    base, // on time
    { ...base, decidedDate: '2026-10-28' }, // late
    { ...base, decidedDate: null }, // overdue, undecided
    { ...base, decisionDue: '2026-11-30', decidedDate: null }, // not due in October
  ];
  const s = computeStats(rows, oct, '2026-11-27');
  expect(s.timelyDecision).toEqual({ onTime: 1, due: 3, rate: 1 / 3 });
  expect(formatRate(s.timelyDecision)).toBe('33.3%（1/3）');
});

test('a case still inside its period counts neither way', () => {
  const s = computeStats([{ ...base, decisionDue: '2026-11-30', decidedDate: null }], parsePeriod('2026-11', '2026-11-27')!, '2026-11-27');
  expect(s.timelyDecision.due).toBe(0);
  expect(formatRate(s.timelyDecision)).toContain('无到期');
});

test('按期办结率 compares the reply date with the conclusion deadline', () => {
  const rows = [
    { ...base, conclusionDue: '2026-10-20', repliedDate: '2026-10-19' },
    { ...base, conclusionDue: '2026-10-20', repliedDate: '2026-10-21' },
  ];
  expect(computeStats(rows, oct, '2026-11-27').timelyConclusion).toEqual({ onTime: 1, due: 2, rate: 0.5 });
});

test('periods people type', () => {
  expect(parsePeriod('', '2026-11-27')).toEqual({ from: '2026-11-01', to: '2026-11-30', label: '2026年11月' });
  expect(parsePeriod('上月', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31', label: '2025年12月' });
  expect(parsePeriod('2024年2月', '2026-11-27')?.to).toBe('2024-02-29');
  expect(parsePeriod('2025', '2026-11-27')).toEqual({ from: '2025-01-01', to: '2025-12-31', label: '2025年' });
  expect(parsePeriod('2026-13', '2026-11-27')).toBeNull();
  expect(parsePeriod('明年的今天', '2026-11-27')).toBeNull();
});
