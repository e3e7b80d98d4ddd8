import { button, buttonRow, card, datePicker, escapeMd, fields, form, input, select } from '../../../src/platform/cards/card-kit';

describe('the card kit (Lark card JSON 2.0)', () => {
  test('a card: schema 2.0, a plain-text title, a subtitle only when given, blue unless told', () => {
    expect(card({ title: '信访件 2026-000123', elements: [] })).toEqual({
      schema: '2.0',
      config: { update_multi: true, width_mode: 'fill' },
      header: { title: { tag: 'plain_text', content: '信访件 2026-000123' }, template: 'blue' },
      body: { elements: [] },
    });
    const c = card({ title: '接访安排', subtitle: '暂定', template: 'orange', elements: [{ tag: 'hr' }] });
    expect(c.header).toEqual({ title: { tag: 'plain_text', content: '接访安排' }, subtitle: { tag: 'plain_text', content: '暂定' }, template: 'orange' });
    expect(c.body).toEqual({ elements: [{ tag: 'hr' }] });
  });

  test('what a person typed cannot turn into markup: * _ ~ ` [ ] < > # | and \\ are escaped', () => {
    expect(escapeMd('张*三 <at id=all></at> [链接](http://x) #1 a|b ~删~ `c` \\')).toBe(
      '张\\*三 \\<at id=all\\>\\</at\\> \\[链接\\](http://x) \\#1 a\\|b \\~删\\~ \\`c\\` \\\\',
    );
    expect(escapeMd('阳城镇东街1号')).toBe('阳城镇东街1号');
  });

  test('fields: one bold label and escaped value a line; empty values are left out', () => {
    expect(fields([['姓名', '李*四'], ['电话', null], ['人数', 3], ['住址', ''], ['单位', undefined]])).toEqual({
      tag: 'markdown',
      content: '**姓名**：李\\*四\n**人数**：3',
    });
  });

  test('a button carries its value in a callback, and a confirmation only when asked', () => {
    expect(button({ text: '受理', value: { action: 'case.accept', caseNo: '2026-000123' } })).toEqual({
      tag: 'button',
      text: { tag: 'plain_text', content: '受理' },
      type: 'default',
      behaviors: [{ type: 'callback', value: { action: 'case.accept', caseNo: '2026-000123' } }],
    });
    expect(button({ text: '不予受理', value: { action: 'x' }, type: 'danger', name: 'reject', confirm: { title: '确认', text: '确定不予受理？' } })).toMatchObject({
      name: 'reject',
      type: 'danger',
      confirm: { title: { tag: 'plain_text', content: '确认' }, text: { tag: 'plain_text', content: '确定不予受理？' } },
    });
  });

  test('buttons side by side: one auto-width column each, in order', () => {
    const row = buttonRow([button({ text: '确认', value: { a: 1 } }), button({ text: '取消', value: { a: 2 } })]);
    expect(row).toMatchObject({ tag: 'column_set', flex_mode: 'flow' });
    const cols = row.columns as Array<{ tag: string; width: string; elements: Array<{ text: { content: string } }> }>;
    expect(cols.map((c) => [c.tag, c.width, c.elements[0].text.content])).toEqual([['column', 'auto', '确认'], ['column', 'auto', '取消']]);
  });

  test('inputs: label on top, required false unless said; a multiline one has rows', () => {
    expect(input({ name: 'name', label: '姓名' })).toEqual({
      tag: 'input', name: 'name', label: { tag: 'plain_text', content: '姓名' }, label_position: 'top', required: false,
    });
    expect(input({ name: 'content', label: '事项内容', required: true, maxLength: 2000, multiline: true, defaultValue: '反映', placeholder: '诉求及主要事实' })).toEqual({
      tag: 'input', name: 'content', label: { tag: 'plain_text', content: '事项内容' }, label_position: 'top',
      placeholder: { tag: 'plain_text', content: '诉求及主要事实' }, required: true, max_length: 2000, default_value: '反映',
      input_type: 'multiline_text', rows: 4,
    });
  });

  test('a select and a date picker show their label as the placeholder (Lark has no label on them)', () => {
    expect(select({ name: 'town', label: '问题属地', options: ['阳城镇', { text: '县直部门', value: '县直' }], initial: '阳城镇' })).toEqual({
      tag: 'select_static', name: 'town', placeholder: { tag: 'plain_text', content: '问题属地' }, required: false,
      options: [{ text: { tag: 'plain_text', content: '阳城镇' }, value: '阳城镇' }, { text: { tag: 'plain_text', content: '县直部门' }, value: '县直' }],
      initial_option: '阳城镇',
    });
    expect(datePicker({ name: 'receivedAt', label: '登记日期', initial: '2026-12-02', required: true })).toEqual({
      tag: 'date_picker', name: 'receivedAt', placeholder: { tag: 'plain_text', content: '登记日期' }, required: true, initial_date: '2026-12-02',
    });
  });

  test('a form ends with its submit button, which submits the form and calls back with its value', () => {
    const f = form({ name: 'petition_form', elements: [input({ name: 'name', label: '姓名' })], submit: { text: '提交', value: { action: 'form.submit' } } });
    const elements = f.elements as Array<Record<string, unknown>>;
    expect(f).toMatchObject({ tag: 'form', name: 'petition_form' });
    expect(elements.map((e) => e.tag)).toEqual(['input', 'button']);
    expect(elements[1]).toEqual({
      tag: 'button', name: 'petition_form_submit', text: { tag: 'plain_text', content: '提交' }, type: 'primary_filled',
      form_action_type: 'submit', behaviors: [{ type: 'callback', value: { action: 'form.submit' } }],
    });
  });
});
