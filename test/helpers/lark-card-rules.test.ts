import { card, button, buttonRow, chart, datePicker, form, input, markdown, select } from '../../src/platform/cards/card-kit';
import { cardBytes, cardErrorMessage, checkCard, MAX_CARD_BYTES, MAX_CARD_ELEMENTS } from './lark-card-rules';

/** The JSON 2.0 rules themselves, on cards a builder could make by mistake. */
describe('the card JSON 2.0 rules', () => {
  const ok = (elements: unknown[]) => ({ schema: '2.0', config: { update_multi: true }, body: { elements } });
  const paths = (c: unknown) => checkCard(c).map((v) => `${v.code} ${v.path}`);

  test('the card kit’s every element, put together, breaks no rule', () => {
    const c = card({
      title: '信访件', subtitle: '办理中', template: 'wathet',
      elements: [
        markdown('**编号**：2026-000001'),
        buttonRow([button({ text: '受理', type: 'primary_filled', value: { action: 'case.accept' }, confirm: { title: '确认受理？', text: '受理后开始计算办理期限' } })]),
        form({
          name: 'f',
          elements: [input({ name: 'a', label: '理由', required: true, maxLength: 1000, multiline: true }), select({ name: 'b', label: '单位', options: ['县民政局'], initial: '县民政局' }), datePicker({ name: 'c', label: '日期', initial: '2026-03-02' })],
          submit: { text: '提交', value: { action: 'x' } },
        }),
      ],
    });
    expect(checkCard(c)).toEqual([]);
  });

  test('the path and sub-code say where and what, as Lark’s message does', () => {
    const [v] = checkCard(ok([{ tag: 'markdown', content: 'x' }, { tag: 'note', elements: [] }]));
    expect(v).toEqual({ code: 200861, path: 'ROOT -> body -> elements -> [1](tag: note)', message: expect.stringContaining('unsupported tag note') });
    expect(cardErrorMessage(v)).toMatch(/^Failed to create card content, ext=ErrCode: 200861; ErrPath: ROOT -> body -> elements -> \[1\]\(tag: note\); ErrMsg: /);
  });

  test('inside a form: every field named, names unique, no form in a form, one submit; required only in a form', () => {
    const submit = { tag: 'button', name: 's', text: { tag: 'plain_text', content: '提交' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: {} }] };
    expect(paths(ok([{ tag: 'form', name: 'f', elements: [{ tag: 'input' }, submit] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: form) -> elements -> [0](tag: input) -> name']);
    expect(paths(ok([{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 's' }, submit] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: form) -> elements -> [1](tag: button) -> name']);
    expect(paths(ok([{ tag: 'form', name: 'f', elements: [{ tag: 'form', name: 'g', elements: [] }, submit] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: form) -> elements -> [0](tag: form)']);
    expect(paths(ok([{ tag: 'input', name: 'x', required: true }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: input) -> required']);
    expect(paths(ok([{ ...submit }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: button) -> form_action_type']);
  });

  test('the fields’ values: button type, input length, column width and weight, date format, element_id', () => {
    expect(paths(ok([{ tag: 'button', type: 'blue', text: { tag: 'plain_text', content: 'x' }, behaviors: [{ type: 'callback', value: {} }] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: button) -> type']);
    expect(paths(ok([{ tag: 'button', text: { tag: 'plain_text', content: 'x' }, behaviors: [{ type: 'callback', value: 'string' }] }]))).toHaveLength(1);
    expect(paths(ok([{ tag: 'button', text: { tag: 'plain_text', content: 'x' } }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: button) -> behaviors']);
    expect(paths(ok([{ tag: 'input', max_length: 5000 }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: input) -> max_length']);
    expect(paths(ok([{ tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 9, elements: [] }] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: column_set) -> columns -> [0](tag: column) -> weight']);
    expect(paths(ok([{ tag: 'column_set', columns: [{ tag: 'div' }] }]))).toHaveLength(1);
    expect(paths(ok([{ tag: 'date_picker', initial_date: '2026/03/02' }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: date_picker) -> initial_date']);
    expect(paths(ok([{ tag: 'hr', element_id: '1st' }, { tag: 'hr', element_id: 'a' }, { tag: 'hr', element_id: 'a' }]))).toHaveLength(2);
    expect(paths(ok([{ tag: 'div', fields: [] }]))).toEqual(['200621 ROOT -> body -> elements -> [0](tag: div) -> fields']);
  });

  test('the header: a title, a known template; and at most 200 elements, text elements counted', () => {
    expect(paths({ schema: '2.0', header: { template: 'blue' } })).toEqual(['200621 ROOT -> header -> title']);
    expect(paths({ schema: '2.0', header: { title: { tag: 'plain_text', content: 'x' }, template: 'pink' } })).toEqual(['200621 ROOT -> header -> template']);
    // 99 buttons with their texts, and the header's title: 199 elements; one more markdown is 200, the next 201.
    const buttons = Array.from({ length: 99 }, () => ({ tag: 'button', text: { tag: 'plain_text', content: 'x' }, behaviors: [{ type: 'callback', value: {} }] }));
    const titled = (extra: unknown[]) => ({ ...ok([...buttons, ...extra]), header: { title: { tag: 'plain_text', content: 't' } } });
    expect(checkCard(titled([{ tag: 'hr' }]))).toEqual([]);
    expect(paths(titled([{ tag: 'hr' }, { tag: 'hr' }]))).toEqual(['11310 ROOT']);
    expect(MAX_CARD_ELEMENTS).toBe(200);
  });

  describe('the chart component', () => {
    const spec = { type: 'bar', data: { values: [{ x: '1月', y: 3 }] }, xField: 'x', yField: 'y' };
    const one = (el: Record<string, unknown>) => paths(ok([{ tag: 'chart', ...el }]));
    const at = 'ROOT -> body -> elements -> [0](tag: chart)';

    test('the card kit’s chart, and a chart with every documented field, break no rule', () => {
      expect(checkCard(ok([chart({ spec, aspect: '4:3', elementId: 'chart_a' })]))).toEqual([]);
      expect(one({ chart_spec: { type: 'pie', data: [{ id: 'd', values: [] }], categoryField: 'n', valueField: 'v' }, aspect_ratio: '1:1', color_theme: 'rainbow', preview: false, height: '300px', margin: '0px', element_id: 'c1' })).toEqual([]);
    });

    test('chart_spec is required and is an object of a known VChart type, with its data', () => {
      expect(one({})).toEqual([`200621 ${at} -> chart_spec`]);
      expect(one({ chart_spec: JSON.stringify(spec) })).toEqual([`200621 ${at} -> chart_spec`]);
      expect(one({ chart_spec: { ...spec, type: 'barchart' } })).toEqual([`200621 ${at} -> chart_spec -> type`]);
      expect(one({ chart_spec: { xField: 'x', data: spec.data } })).toEqual([`200621 ${at} -> chart_spec -> type`]);
      expect(one({ chart_spec: { type: 'bar', xField: 'x' } })).toEqual([`200621 ${at} -> chart_spec -> data`]);
      expect(one({ chart_spec: { type: 'bar', data: { values: 'x' } } })).toEqual([`200621 ${at} -> chart_spec -> data -> values`]);
      expect(one({ chart_spec: { type: 'bar', data: [{ values: [] }, { id: 'b' }] } })).toEqual([`200621 ${at} -> chart_spec -> data -> [1] -> values`]);
    });

    test('only the documented fields, and their values: aspect_ratio, color_theme, height, preview', () => {
      expect(one({ chart_spec: spec, title: 'x' })).toEqual([`200621 ${at} -> title`]);
      expect(one({ chart_spec: spec, aspect_ratio: '3:2' })).toEqual([`200621 ${at} -> aspect_ratio`]);
      expect(one({ chart_spec: spec, color_theme: 'dark' })).toEqual([`200621 ${at} -> color_theme`]);
      expect(one({ chart_spec: spec, height: '1000px' })).toEqual([`200621 ${at} -> height`]);
      expect(one({ chart_spec: spec, height: 300 })).toEqual([`200621 ${at} -> height`]);
      expect(one({ chart_spec: spec, preview: 'yes' })).toEqual([`200621 ${at} -> preview`]);
    });
  });

  test('the whole card at most 30 KB, counted as the escaped string it travels in', () => {
    const filler = (n: number) => ok([markdown('"'.repeat(n))]);
    const base = cardBytes(filler(0));
    // A quote travels as four bytes: escaped once in the card JSON and again in the request body.
    const fits = Math.floor((MAX_CARD_BYTES - base) / 4);
    expect(cardBytes(filler(fits))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(checkCard(filler(fits))).toEqual([]);
    expect(paths(filler(fits + 1))).toEqual(['11310 ROOT']);
    expect(checkCard(filler(fits + 1))[0].message).toMatch(/超过 30 KB/);
  });
});
