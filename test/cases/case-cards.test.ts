import { buildActionForm, buildCaseCard, buildCaseListCard, CaseCardData, CaseCardDeadline, CaseListItem, deadlineLine } from '../../src/cases/case-cards';
import { PROVISIONAL_NOTE } from '../../src/cases/domain/case-deadlines';
import { cardHeader, elementsOf } from '../helpers/cards';

const ID = '441823199001016012';
const PHONE = '13812345678';

const data = (over: Partial<CaseCardData> = {}): CaseCardData => ({
  caseNo: '2026-000123', status: 'handling', statusLabel: '办理中', name: '陈秀梅', idNumber: ID, phone: PHONE,
  address: '阳城镇东街 8 号', headcount: 1, isGroup: false, channel: '来访', town: '阳城镇', category: '自然资源', purpose: '求决',
  content: `宅基地被占用，联系电话 ${PHONE}`, receivedAt: new Date('2026-03-02T02:00:00Z'), unit: '县自然资源局', transferTo: null,
  supervised: false, extensionDays: null, replySummary: null, decisionReason: null, ...over,
});

const deadline = (over: Partial<CaseCardDeadline> = {}): CaseCardDeadline => ({
  label: '办结期限', dueDate: '2026-05-06', status: 'open', provisional: false, daysLeft: 12, ...over,
});

/** What a reader sees: the markdown and plain text of the body, in order. */
const bodyText = (c: Record<string, unknown>) =>
  elementsOf((c.body as { elements: unknown[] }).elements)
    .filter((e) => e.tag === 'markdown' || e.tag === 'plain_text')
    .map((e) => e.content as string)
    .join('\n');

const buttons = (c: Record<string, unknown>) =>
  elementsOf(c).filter((e) => e.tag === 'button').map((b) => ({ text: b.text.content, type: b.type, value: b.behaviors[0].value, confirm: b.confirm?.text?.content }));

describe('the case card', () => {
  test('title, status, fields and content; ID number and phone masked, address left out', () => {
    const c = buildCaseCard(data(), { deadlines: [] });
    expect(cardHeader(c)).toEqual({ title: { tag: 'plain_text', content: '信访件 2026-000123' }, subtitle: { tag: 'plain_text', content: '办理中' }, template: 'blue' });
    const text = bodyText(c);
    expect(text).toContain('**编号**：2026-000123\n**状态**：办理中\n**信访人**：陈秀梅');
    expect(text).toContain('身份证号：441823********6012\n联系电话：138****5678');
    expect(text).toContain('**信访形式**：来访\n**问题属地**：阳城镇\n**问题类别**：自然资源\n**信访目的**：求决\n**登记时间**：2026年3月2日（周一） 10:00\n**承办单位**：县自然资源局');
    // Markdown: the mask's stars are escaped, so Lark shows them as they are.
    expect(text).toContain('**事项内容**：宅基地被占用，联系电话 138\\*\\*\\*\\*5678');
    expect(JSON.stringify(c)).not.toContain(ID);
    expect(JSON.stringify(c)).not.toContain(PHONE);
    expect(text).not.toContain('住址');
  });

  test('revealed (staff in a P2P chat): the whole ID number, phone and address', () => {
    const text = bodyText(buildCaseCard(data(), { deadlines: [], reveal: true }));
    expect(text).toContain(`身份证号：${ID}\n联系电话：${PHONE}\n住址：阳城镇东街 8 号`);
    expect(text).toContain(`**事项内容**：宅基地被占用，联系电话 ${PHONE}`);
  });

  test('a group visit, a leader and 督办 are marked in the subtitle and the body', () => {
    const c = buildCaseCard(data({ isGroup: true, headcount: 7, supervised: true }), { deadlines: [], leaderName: '李建国' });
    expect(cardHeader(c).subtitle?.content).toBe('办理中 · 集体访（7人） · 领导包案：李建国 · 挂牌督办');
    expect(cardHeader(c).template).toBe('orange');
    const text = bodyText(c);
    expect(text).toContain('【集体访（7人）】 【领导包案：李建国】 【挂牌督办】');
    expect(text).toContain('**信访人**：陈秀梅 等 7 人');
  });

  test('deadlines: days left, due today, overdue, done, 暂定 when provisional; void ones hidden', () => {
    const c = buildCaseCard(data(), {
      deadlines: [
        deadline({ label: '受理/交办期限', dueDate: '2026-03-17', status: 'met', daysLeft: null }),
        deadline({ label: '受理告知期限', dueDate: '2026-03-18', status: 'void', daysLeft: null }),
        deadline({ label: '办结期限', dueDate: '2026-05-06', daysLeft: 12 }),
        deadline({ label: '复查申请期限', dueDate: '2027-01-05', daysLeft: 0, provisional: true }),
      ],
    });
    const text = bodyText(c);
    expect(text).toContain(
      '**办理期限**\n受理/交办期限：2026年3月17日（周二） · 已完成\n办结期限：2026年5月6日（周三） · 剩余 12 个工作日\n' +
        `复查申请期限：2027年1月5日（周二） · **今天到期**${PROVISIONAL_NOTE}`,
    );
    expect(PROVISIONAL_NOTE).toContain('暂按周末推算');
    expect(text).not.toContain('受理告知期限');
    expect(cardHeader(c).template).toBe('blue');
  });

  test('an overdue deadline turns the card red and says by how many working days', () => {
    const c = buildCaseCard(data(), { deadlines: [deadline({ dueDate: '2026-03-05', daysLeft: -2 })] });
    expect(cardHeader(c).template).toBe('red');
    expect(bodyText(c)).toContain('办结期限：2026年3月5日（周四） · **已逾期 2 个工作日**');
  });

  test('linked cases of the same petitioner are listed', () => {
    const c = buildCaseCard(data(), {
      deadlines: [],
      links: [{ caseNo: '2026-000010', statusLabel: '已办结', receivedDate: '2026-01-05', category: '城乡建设' }],
    });
    expect(bodyText(c)).toContain('**关联案件（重复信访）**：共 1 件\n2026-000010（2026年1月5日，城乡建设，已办结）');
  });

  test('the buttons are the allowed actions, each with its action value and the case number', () => {
    const c = buildCaseCard(data({ status: 'registered', statusLabel: '已登记', unit: null }), { deadlines: [], actions: ['accept', 'reject', 'assign'] });
    expect(buttons(c)).toEqual([
      { text: '受理', type: 'primary', value: { action: 'case.accept', caseNo: '2026-000123' }, confirm: '确认受理案件 2026-000123？' },
      { text: '不予受理', type: 'danger', value: { action: 'case.reject', caseNo: '2026-000123' }, confirm: undefined },
      { text: '交办', type: 'default', value: { action: 'case.assign', caseNo: '2026-000123' }, confirm: undefined },
    ]);
    expect(buttons(buildCaseCard(data(), { deadlines: [] }))).toEqual([]);
  });

  test('a returned case shows the reason it came back; a rejected one its reason for 不予受理', () => {
    expect(bodyText(buildCaseCard(data({ status: 'registered', statusLabel: '已登记', decisionReason: '不属本单位职责' }), { deadlines: [] })))
      .toContain('**退回理由**：不属本单位职责');
    const rejected = buildCaseCard(data({ status: 'not_accepted', statusLabel: '不予受理', decisionReason: '已经诉讼' }), { deadlines: [] });
    expect(bodyText(rejected)).toContain('**不予受理理由**：已经诉讼');
    expect(cardHeader(rejected).template).toBe('grey');
  });
});

describe('a deadline line', () => {
  test('reads its day and what is left', () => {
    expect(deadlineLine(deadline({ daysLeft: 1 }))).toBe('办结期限：2026年5月6日（周三） · 剩余 1 个工作日');
    expect(deadlineLine(deadline({ daysLeft: null }))).toBe('办结期限：2026年5月6日（周三） · 进行中');
    expect(deadlineLine(deadline({ status: 'void', daysLeft: null }))).toBe('办结期限：2026年5月6日（周三） · 不再适用');
  });
});

describe('the case list card', () => {
  const item = (n: number, over: Partial<CaseListItem> = {}): CaseListItem => ({
    caseNo: `2026-${String(n).padStart(6, '0')}`, statusLabel: '已交办', name: '陈秀梅', town: '阳城镇', category: '自然资源',
    isGroup: false, headcount: 1, supervised: false, next: deadline({ label: '受理告知期限', dueDate: '2026-03-18', daysLeft: 3 }), ...over,
  });

  test('a line per case with its most urgent deadline, and a 查看 button that opens it', () => {
    const c = buildCaseListCard({ title: '我的待办（2 件）', items: [item(1), item(2, { supervised: true, next: null })], empty: '无', hint: '按最近的期限排序。' });
    expect(cardHeader(c)).toMatchObject({ title: { content: '我的待办（2 件）' }, subtitle: { content: '共 2 件' } });
    expect(bodyText(c)).toBe(
      '**2026-000001** 已交办\n陈秀梅 · 阳城镇 · 自然资源\n受理告知期限：2026年3月18日（周三） · 剩余 3 个工作日\n查看\n' +
        '**2026-000002** 已交办【挂牌督办】\n陈秀梅 · 阳城镇 · 自然资源\n查看\n按最近的期限排序。',
    );
    expect(buttons(c).map((b) => [b.text, b.value])).toEqual([
      ['查看', { action: 'case.view', caseNo: '2026-000001' }],
      ['查看', { action: 'case.view', caseNo: '2026-000002' }],
    ]);
  });

  test('an empty list says so; a long one shows the first 20 and the total', () => {
    const empty = buildCaseListCard({ title: '我的待办（0 件）', items: [], empty: '信访局目前没有待办案件。' });
    expect(bodyText(empty)).toBe('信访局目前没有待办案件。');
    expect(cardHeader(empty).subtitle).toBeUndefined();
    const long = buildCaseListCard({ title: '逾期', items: Array.from({ length: 25 }, (_, i) => item(i + 1)), empty: '' });
    expect(buttons(long)).toHaveLength(20);
    expect(bodyText(long)).toContain('仅显示前 20 件，共 25 件。');
  });
});

describe('the forms a case button opens', () => {
  const formOf = (c: Record<string, unknown> | null) => elementsOf(c).filter((e) => e.tag !== 'plain_text' && e.tag !== 'form');

  test('交办: the units to choose from, and a submit that carries the action and the case', () => {
    const c = buildActionForm('assign', '2026-000123', { units: ['县自然资源局', '县教育局'] })!;
    expect(cardHeader(c).title.content).toBe('交办 · 2026-000123');
    const [select, submit] = formOf(c);
    expect(select).toMatchObject({ tag: 'select_static', name: 'unit', required: true });
    expect(select.options.map((o: any) => [o.text.content, o.value])).toEqual([['县自然资源局', '县自然资源局'], ['县教育局', '县教育局']]);
    expect(submit).toMatchObject({ tag: 'button', text: { content: '确认交办' }, form_action_type: 'submit' });
    expect(submit.behaviors[0].value).toEqual({ action: 'case.assign', caseNo: '2026-000123', submit: true });
  });

  test('包案: leaders by name and post; 延期: days and reason; 受理 needs no form', () => {
    const own = formOf(buildActionForm('own', '2026-000123', { leaders: [{ id: 'ou_li', name: '李建国', title: '副县长' }, { id: 'ou_wang', name: '王芳' }] }));
    expect(own[0].options.map((o: any) => [o.text.content, o.value])).toEqual([['李建国（副县长）', 'ou_li'], ['王芳', 'ou_wang']]);
    const extend = formOf(buildActionForm('extend', '2026-000123'));
    expect(extend.filter((e) => e.tag === 'input').map((e) => [e.name, e.label.content, e.required])).toEqual([
      ['days', '延长天数（不超过 30 日，只能延期一次）', true],
      ['reason', '延期理由（经本机关负责人批准）', true],
    ]);
    expect(buildActionForm('accept', '2026-000123')).toBeNull();
    expect(buildActionForm('unitAccept', '2026-000123')).toBeNull();
  });
});
