import { AUDIT_ON_CARD, buildCaseCard, CaseCardData } from '../../src/cases/case-cards';
import { checkCard } from '../helpers/lark-card-rules';
import { elementsOf } from '../helpers/cards';

const PHONE = '13812345678';

const data = (over: Partial<CaseCardData> = {}): CaseCardData => ({
  caseNo: '2026-000123', status: 'registered', statusLabel: '已登记', name: '陈秀梅', idNumber: null, phone: null, address: null,
  headcount: 1, isGroup: false, channel: '来访', town: '阳城镇', category: '自然资源', purpose: null, content: '宅基地被占用',
  receivedAt: new Date('2026-03-02T02:00:00Z'), unit: null, transferTo: null, supervised: false, extensionDays: null, replySummary: null,
  decisionReason: null, ...over,
});

const markdownText = (c: Record<string, unknown>) =>
  elementsOf((c.body as { elements: unknown[] }).elements).filter((e) => e.tag === 'markdown').map((e) => e.content as string).join('\n');

describe('the case card’s 办理记录', () => {
  test('the newest entries as sentences, the count of all of them, and valid card JSON', () => {
    const audit = Array.from({ length: 7 }, (_, i) => `3月${i + 1}日（周一）09:00，张晓燕报告办理进展，进展：第 ${i + 1} 次。`);
    const c = buildCaseCard(data(), { deadlines: [], audit });
    const text = markdownText(c);
    expect(text).toContain(`**办理记录**（最近 ${AUDIT_ON_CARD} 条，共 7 条）`);
    expect(text).toContain('第 7 次');
    expect(text).toContain('第 3 次');
    expect(text).not.toContain('第 2 次');
    expect(checkCard(c)).toEqual([]);
    const short = markdownText(buildCaseCard(data(), { deadlines: [], audit: audit.slice(0, 2) }));
    expect(short).toContain('**办理记录**（共 2 条）');
    expect(markdownText(buildCaseCard(data(), { deadlines: [] }))).not.toContain('办理记录');
  });

  test('a 退回理由 with a phone number is masked unless the card may show personal data', () => {
    const returned = data({ decisionReason: `请联系 ${PHONE}` });
    expect(JSON.stringify(buildCaseCard(returned, { deadlines: [] }))).not.toContain(PHONE);
    expect(JSON.stringify(buildCaseCard(returned, { deadlines: [] }))).toContain('退回理由');
    expect(JSON.stringify(buildCaseCard(returned, { deadlines: [], reveal: true }))).toContain(PHONE);
  });
});
