import { repeatLines } from '../../src/intake/petition-form';
import type { CaseRecord } from '../../src/cases/case-records';

const rec = (caseNo: string, status: CaseRecord['status'], statusLabel: string) =>
  ({ caseNo, status, statusLabel, receivedDate: '2026-03-02', category: '自然资源' }) as CaseRecord;

test('earlier cases are listed, open first, and a matter ended by 复核 is flagged under art. 36', () => {
  const lines = repeatLines([rec('2026-000010', 'handling', '办理中'), rec('2026-000003', 'closed', '已终结')]);
  expect(lines[0]).toBe('该信访人已有 1 件在办事项：2026-000010（办理中，2026-03-02登记，自然资源）');
  expect(lines[1]).toContain('另有 1 件已结事项：2026-000003');
  expect(lines[2]).toContain('2026-000003 已经复核终结');
  expect(lines[2]).toContain('第三十六条');
  expect(repeatLines([rec('2026-000011', 'concluded', '已办结')]).join('\n')).not.toContain('第三十六条');
  expect(repeatLines([])).toEqual([]);
});
