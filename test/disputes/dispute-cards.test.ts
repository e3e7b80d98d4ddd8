import { disputeCard, ledgerCard, resolveFormCard, savedDisputeCard } from '../../src/disputes/dispute-cards';
import type { DisputeRecord } from '../../src/disputes/dispute-store';
import { buildDisputeReminderCard } from '../../src/reminders/dispute-reminder-cards';
import { checkCard } from '../helpers/lark-card-rules';
import { readable } from '../helpers/app';

const d = (i: number, o: Partial<DisputeRecord> = {}): DisputeRecord => ({
  id: i, no: `排2026-${String(i).padStart(4, '0')}`, year: 2026, screening: '定期排查', source: '群诉平台', foundDate: '2026-03-02',
  town: '阳城镇', category: '自然资源', summary: '宅基地边界争执，联系电话 13812345678', risk: '高', unit: '阳城镇人民政府', owner: '李某某',
  parties: [{ name: '欧阳明华', idNumber: '441823199001016015', phone: '13812345678' }], targetDate: '2026-03-20', status: 'open',
  resolution: null, closedDate: null, caseNo: null, registeredBy: 'staff1', createdAt: '2026-03-02 02:00:00.000', updatedAt: '2026-03-02 02:00:00.000', ...o,
});
const seen = (c: Record<string, unknown>) => readable([{ type: 'card', card: c }]).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');

test('the dispute card: masked in a group, buttons only for who may use them, valid for Lark', () => {
  const group = disputeCard(d(1), { reveal: false, canResolve: true, canEscalate: false, timeLeft: '剩余 18 天' });
  expect(checkCard(group)).toEqual([]);
  expect(seen(group)).toContain('欧*** 441823********6015 138****5678');
  expect(seen(group)).not.toContain('13812345678');
  expect(seen(group)).toContain('销号');
  expect(seen(group)).not.toContain('转为信访事项');
  const closed = disputeCard(d(2, { status: 'escalated', caseNo: '2026-000007', closedDate: '2026-03-10' }), { reveal: true, canResolve: true, canEscalate: true });
  expect(seen(closed)).toContain('2026-000007');
  expect(seen(closed)).not.toContain('确认销号');
  expect(checkCard(resolveFormCard(d(1)))).toEqual([]);
  expect(checkCard(savedDisputeCard(d(1), false))).toEqual([]);
});

test('the ledger card: a page of 30, every entry reachable by page, within Lark limits', () => {
  const entries = Array.from({ length: 203 }, (_, i) => d(i + 1, i < 196 ? { status: 'resolved', closedDate: '2026-03-10' } : {}));
  const c = ledgerCard({ scope: '全部', entries, page: 7, again: '排查台账', today: '2026-03-25' });
  expect(checkCard(c)).toEqual([]);
  const text = seen(c);
  expect(text).toContain('共 203 件：在办 7 件（超期 7 件）· 已化解 196 件');
  expect(text).toContain('排2026-0203');
  expect(text).toContain('第 7/7 页');
  expect(seen(ledgerCard({ scope: '全部', entries, page: 1, again: '排查台账 在办', today: '2026-03-25' }))).toContain('排查台账 在办 第2页');
});

test('the dispute reminder card names no party', () => {
  const c = buildDisputeReminderCard({
    no: '排2026-0001', town: '阳城镇', category: '自然资源', risk: '高', unit: '阳城镇人民政府', owner: '李某某', targetDate: '2026-03-20',
    phase: 'overdue', timeLeft: '已逾期 2 个工作日', provisional: false, audience: 'supervision',
  });
  expect(checkCard(c)).toEqual([]);
  expect(seen(c)).toContain('矛盾纠纷已超期未化解：排2026-0001');
  expect(seen(c)).toContain('超期抄送督查');
});
