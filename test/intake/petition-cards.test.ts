import { deadlineLine, petitionFormCard, petitionSummaryCard, savedCaseCard, SavedCaseView } from '../../src/intake/petition-cards';
import type { PetitionFieldContext } from '../../src/intake/domain/petition-fields';
import type { SummaryView } from '../../src/platform/forms/form-types';
import { cardHeader, elementsOf } from '../helpers/cards';

const context = (over: Partial<PetitionFieldContext> = {}): PetitionFieldContext => ({
  now: new Date('2026-03-10T06:20:00Z'),
  towns: ['阳城镇', '太平镇'],
  categories: ['城乡建设', '自然资源'],
  purposes: ['求决', '建议'],
  channels: ['来信', '来访', '领导接访'],
  groupThreshold: 5,
  contentMax: 1000,
  sessions: [],
  ...over,
});

const markdownOf = (c: Record<string, unknown>) => elementsOf(c).filter((e) => e.tag === 'markdown').map((e) => e.content as string);

const buttons = (c: Record<string, unknown>) =>
  elementsOf(c).filter((e) => e.tag === 'button').map((b) => ({ text: b.text.content, value: b.behaviors[0].value }));

describe('the 信访登记 form card', () => {
  test('inputs, the lists to choose from, a date picker on today, and a submit to the petition form', () => {
    const c = petitionFormCard(context(), {}, '2026-03-10');
    expect(cardHeader(c)).toMatchObject({ title: { content: '信访登记（表单）' }, template: 'blue' });
    const fields = elementsOf(c).filter((e) => ['input', 'select_static', 'date_picker'].includes(e.tag));
    expect(fields.map((e) => [e.tag, e.name, e.required])).toEqual([
      ['input', 'name', true],
      ['input', 'idNumber', false],
      ['input', 'phone', false],
      ['input', 'address', false],
      ['input', 'headcount', true],
      ['select_static', 'channel', true],
      ['date_picker', 'receivedAt', true],
      ['select_static', 'town', true],
      ['select_static', 'category', true],
      ['select_static', 'purpose', false],
      ['input', 'content', true],
    ]);
    const options = (name: string) => fields.find((e) => e.name === name).options.map((o: any) => o.value);
    expect(options('channel')).toEqual(['来信', '来访', '领导接访']);
    expect(options('town')).toEqual(['阳城镇', '太平镇']);
    expect(fields.find((e) => e.name === 'receivedAt').initial_date).toBe('2026-03-10');
    expect(fields.find((e) => e.name === 'headcount').placeholder.content).toBe('5人及以上为集体访');
    expect(markdownOf(c)[0]).toBe('身份证号和电话至少填一项；未署名或未留身份证号、电话的来信、网上信访、电话可不填（姓名填“匿名”），来访须核实身份。登记日期为今天时按当前时间登记，其他日期按当天 09:00 登记。信访形式选“领导接访”的，提交后在对话中选择接访场次。');
    expect(buttons(c)).toEqual([{ text: '提交', value: { action: 'form.submit', form: 'petition' } }]);
  });

  test('prefilled from the draft; a choice not in the list and an over-long 事项内容 are left empty', () => {
    const c = petitionFormCard(
      context({ contentMax: 5000 }),
      { name: '王某某', headcount: '7人（集体访）', channel: '来访', town: '不存在镇', receivedAt: '2026-03-09 10:00', content: '长'.repeat(1001) },
      '2026-03-10',
    );
    const byName = new Map(elementsOf(c).filter((e) => e.name).map((e) => [e.name, e]));
    expect(byName.get('name').default_value).toBe('王某某');
    expect(byName.get('headcount').default_value).toBe('7');
    expect(byName.get('channel').initial_option).toBe('来访');
    expect(byName.get('town').initial_option).toBeUndefined();
    expect(byName.get('receivedAt').initial_date).toBe('2026-03-09');
    // The draft shows 登记时间 the way people read it; the date picker still starts on that day.
    const shown = (receivedAt: string) => new Map(elementsOf(petitionFormCard(context(), { receivedAt }, '2026-03-10'))
      .filter((e) => e.name).map((e) => [e.name, e])).get('receivedAt').initial_date;
    expect(shown('3月9日（周一）10:00')).toBe('2026-03-09');
    expect(shown('2025年12月30日（周二）08:00')).toBe('2025-12-30');
    expect(byName.get('content').default_value).toBeUndefined();
    expect(byName.get('content').max_length).toBe(1000);
    expect(markdownOf(c)[0]).toContain('事项内容超过1000字的，可先填摘要，提交后发送“修改 事项内容 全文”（最多5000字）。');
  });
});

describe('the summary before 确认', () => {
  const view = (rows: SummaryView['rows']): SummaryView => ({ title: '信访登记', rows, notes: [], form: 'petition', rev: 4 });
  const rows = [
    { key: 'name', label: '姓名', value: '王某某' },
    { key: 'idNumber', label: '身份证号', value: '441823********6012' },
    { key: 'headcount', label: '人数', value: '1人' },
    { key: 'content', label: '事项内容', value: '道路积水，要求修缮排水沟。' },
  ];

  test('every answer as shown (personal data as masked), the content apart, and 确认/修改/取消', () => {
    const c = petitionSummaryCard(view(rows), { groupVisit: false, headcount: 1 });
    expect(cardHeader(c)).toMatchObject({ title: { content: '信访登记 · 请确认' }, template: 'wathet' });
    expect(markdownOf(c)).toEqual([
      '**姓名**：王某某\n**身份证号**：441823\\*\\*\\*\\*\\*\\*\\*\\*6012\n**人数**：1人',
      '**事项内容**：\n道路积水，要求修缮排水沟。',
      '核对无误请点“确认”（或回复“确认”）保存并生成编号；要改某一项点“修改”或回复“修改 字段名”，如：修改 电话。',
    ]);
    expect(buttons(c)).toEqual([
      { text: '确认', value: { action: 'form.confirm', form: 'petition', rev: 4 } },
      { text: '修改', value: { action: 'form.edit', form: 'petition' } },
      { text: '取消', value: { action: 'form.cancel', form: 'petition' } },
    ]);
  });

  test('a group visit is flagged in orange with the rule on representatives', () => {
    const c = petitionSummaryCard(view(rows), { groupVisit: true, headcount: 8 });
    expect(cardHeader(c).template).toBe('orange');
    expect(markdownOf(c)).toContain('⚠️ **集体访**（8人）：请告知信访人推选不超过5名代表反映诉求（《信访工作条例》第二十条）。');
  });
});

describe('the saved-case card', () => {
  const saved = (over: Partial<SavedCaseView> = {}): SavedCaseView => ({
    caseNo: '2026-000123', name: '王某某', headcountLabel: '1人', town: '阳城镇', category: '城乡建设', receivedAt: '3月10日（周二）14:20',
    deadline: deadlineLine('受理/交办期限', '2026-03-25', false), repeat: [], ...over,
  });

  test('its number in the title and the body, the first deadline, and 查看案件 / 继续登记', () => {
    const c = savedCaseCard(saved());
    expect(cardHeader(c)).toMatchObject({ title: { content: '登记成功 · 2026-000123' }, template: 'green' });
    expect(markdownOf(c)).toEqual([
      '**编号**：2026-000123\n**信访人**：王某某（1人）\n**问题属地**：阳城镇\u3000**问题类别**：城乡建设\n**登记时间**：3月10日（周二）14:20\n' +
        '**受理/交办期限：2026年3月25日（周三）**',
    ]);
    expect(buttons(c)).toEqual([
      { text: '查看案件', value: { action: 'case.view', caseNo: '2026-000123' } },
      { text: '继续登记', value: { action: 'form.open', form: 'petition' } },
    ]);
  });

  test('earlier cases of the same petitioner turn it orange, one warning a line', () => {
    const c = savedCaseCard(saved({ repeat: ['该信访人已有 1 件在办事项：2026-000010（办理中，2026-03-02登记，自然资源）'] }));
    expect(cardHeader(c).template).toBe('orange');
    expect(markdownOf(c)[1]).toBe('⚠️ 该信访人已有 1 件在办事项：2026-000010（办理中，2026-03-02登记，自然资源）');
  });

  test('a deadline counted without the year’s holidays says so', () => {
    expect(deadlineLine('受理/交办期限', '2027-01-15', true)).toBe('受理/交办期限：2027年1月15日（周五）（该年节假日安排未公布，暂按周末推算）');
    expect(markdownOf(savedCaseCard(saved({ deadline: null })))[0]).not.toContain('期限');
  });
});
