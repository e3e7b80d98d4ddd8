import { disputeFigures } from '../../../src/disputes/domain/dispute-figures';
import { parseDisputeBlock } from '../../../src/disputes/domain/dispute-block';
import { parseParties, partiesText } from '../../../src/disputes/domain/dispute-fields';
import { parseDisputeNo, resolutionError, resolveError, targetDateError } from '../../../src/disputes/domain/dispute-rules';
import { parseLedgerArgs } from '../../../src/disputes/domain/ledger-args';

test('a period counts what was found in it and where each stood at its end', () => {
  const rows = [
    { foundDate: '2025-12-30', status: 'resolved' as const, closedDate: '2026-01-05', targetDate: '2026-01-10' },
    { foundDate: '2026-01-03', status: 'resolved' as const, closedDate: '2026-01-20', targetDate: '2026-02-01' },
    { foundDate: '2026-01-10', status: 'resolved' as const, closedDate: '2026-02-03', targetDate: '2026-02-01' },
    { foundDate: '2026-01-12', status: 'escalated' as const, closedDate: '2026-01-25', targetDate: '2026-02-15' },
    { foundDate: '2026-01-15', status: 'open' as const, closedDate: null, targetDate: '2026-01-25' },
  ];
  // January read at its end: the one resolved in February was still in progress (and overdue? no: due 2/1).
  expect(disputeFigures(rows, { from: '2026-01-01', to: '2026-01-31' }, '2026-06-01')).toEqual({
    found: 4, resolved: 1, escalated: 1, inProgress: 2, overdue: 1, resolutionRate: 0.25,
  });
  expect(disputeFigures([], { from: '2026-01-01', to: '2026-01-31' }, '2026-06-01').resolutionRate).toBeNull();
});

test('numbers, target dates, 销号 rules', () => {
  expect(parseDisputeNo('排2026-1')).toBe('排2026-0001');
  expect(parseDisputeNo('2026-0012')).toBe('排2026-0012');
  expect(parseDisputeNo('阳城镇')).toBeNull();
  expect(targetDateError('2026-03-01', '2026-03-02')).toContain('已经过去');
  expect(targetDateError('2026-03-02', '2026-03-02')).toBeNull();
  expect(resolutionError('', 500)).toContain('须写明化解情况');
  expect(resolveError({ id: 'u', role: 'unit', unit: '七拱镇人民政府', town: null }, { no: '排2026-0001', town: '阳城镇', unit: '阳城镇人民政府' })).toContain('不能为其销号');
});

test('parties are read from one line and shown masked', () => {
  const r = parseParties('欧阳明华 441823199001016015 13812345678；李四', '2026-03-02');
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.value).toEqual([{ name: '欧阳明华', idNumber: '441823199001016015', phone: '13812345678' }, { name: '李四', idNumber: null, phone: null }]);
  expect(partiesText(r.value, { reveal: false })).toBe('欧*** 441823********6015 138****5678；李*');
  expect(parseParties('张三 441823199001016012', '2026-03-02').ok).toBe(false);
});

test('a pasted block: multi-line 纠纷概要, unknown lines handed back', () => {
  const b = parseDisputeBlock('排查登记\n乡镇：阳城镇\n纠纷概要：第一行\n第二行\n风险等级：高\n备注：无');
  expect(b.entries).toEqual([{ key: 'town', raw: '阳城镇' }, { key: 'summary', raw: '第一行\n第二行' }, { key: 'risk', raw: '高' }]);
  expect(b.unknown).toEqual(['备注：无']);
});

test('排查台账 words', () => {
  const lists = { towns: ['阳城镇', '七拱镇'], units: ['阳城镇人民政府', '县自然资源局'] };
  expect(parseLedgerArgs('阳城 在办 第2页', lists)).toMatchObject({ town: '阳城镇', status: 'open', page: 2 });
  expect(parseLedgerArgs('排2026-3', lists).no).toBe('排2026-0003');
  expect(parseLedgerArgs('自然资源局', lists).unit).toBe('县自然资源局');
  expect(parseLedgerArgs('火星', lists).error).toContain('看不明白');
});
