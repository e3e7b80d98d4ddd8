import { anonymousNote, repeatLines } from '../../src/intake/petition-repeats';
import type { CaseRecord } from '../../src/cases/case-records';

const rec = (caseNo: string, status: CaseRecord['status'], statusLabel: string) =>
  ({ caseNo, status, statusLabel, receivedDate: '2026-03-02', category: '自然资源' }) as CaseRecord;

test('earlier cases are listed, open first, and a matter ended by 复核 is flagged under art. 36', () => {
  const lines = repeatLines([rec('2026-000010', 'handling', '办理中'), rec('2026-000003', 'closed', '已终结')]);
  expect(lines[0]).toBe('该信访人已有 1 件在办事项：2026-000010（办理中，2026年3月2日登记，自然资源）');
  expect(lines[1]).toContain('另有 1 件已结事项：2026-000003');
  expect(lines[2]).toContain('2026-000003 已经复核终结');
  expect(lines[2]).toContain('第三十六条');
  expect(repeatLines([rec('2026-000011', 'concluded', '已办结')]).join('\n')).not.toContain('第三十六条');
  expect(repeatLines([])).toEqual([]);
});

test('cases of similar content are listed apart from the same petitioner’s, as a matter to verify', () => {
  const lines = repeatLines([
    { record: rec('2026-000020', 'handling', '办理中'), reason: 'content' },
    { record: rec('2026-000012', 'registered', '已登记'), reason: 'name_phone' },
  ]);
  expect(lines[0]).toBe('该信访人已有 1 件在办事项：2026-000012（已登记，2026年3月2日登记，自然资源）');
  expect(lines[1]).toContain('内容相近的既往信访件 1 件：2026-000020（办理中，2026年3月2日登记，自然资源）');
  expect(lines[1]).toContain('请核实是否为同一事项');
});

test('the anonymous note says which periods are not counted, and only for the channels that allow it', () => {
  const letter = { name: '匿名', channel: '来信', headcount: 1 };
  expect(anonymousNote(letter)).toContain('【匿名】来信，未署名，无法联系信访人：不设告知受理');
  expect(anonymousNote({ ...letter, name: '李某', channel: '电话' })).toContain('【身份不明】电话，未留身份证号和联系电话');
  expect(anonymousNote({ ...letter, address: '阳城镇东街 3 号' })).toContain('按留下的住址告知信访人，各项期限照常计算');
  expect(anonymousNote({ ...letter, channel: '来访' })).toBeNull();
  expect(anonymousNote({ name: '李某', phone: '13812345678', channel: '来信' })).toBeNull();
});
