import { editPickCard, genericSummaryCard, startCard } from '../../../src/platform/forms/form-cards';
import type { FormDef } from '../../../src/platform/forms/form-types';
import { cardHeader, elementsOf } from '../../helpers/cards';

const buttons = (c: Record<string, unknown>) => elementsOf(c).filter((e) => e.tag === 'button').map((b) => ({ text: b.text.content, value: b.behaviors[0].value }));
const markdownOf = (c: Record<string, unknown>) => elementsOf(c).filter((e) => e.tag === 'markdown').map((e) => e.content as string);

const aForm = (formCard: boolean) => ({ name: 'letter', title: '来信登记', fields: [], ...(formCard ? { formCard: () => ({}) } : {}) }) as unknown as FormDef<unknown>;

describe('the cards every form shows', () => {
  test('the start card says how to answer, and offers the card form only when the form has one', () => {
    const withCard = startCard(aForm(true));
    expect(cardHeader(withCard)).toMatchObject({ title: { content: '开始来信登记' }, template: 'blue' });
    expect(markdownOf(withCard)[0]).toContain('回复“上一步”返回上一项，“跳过”跳过选填项，“修改 字段名”修改某一项，“取消”放弃');
    expect(buttons(withCard)).toEqual([{ text: '用卡片表单填写', value: { action: 'form.open', form: 'letter' } }]);
    expect(buttons(startCard(aForm(false)))).toEqual([]);
  });

  test('the summary lists every answer (escaped), the notes, and 确认 carrying the revision it shows', () => {
    const c = genericSummaryCard({
      title: '来信登记', form: 'letter', rev: 7,
      rows: [{ key: 'name', label: '姓名', value: '王*五' }, { key: 'phone', label: '电话', value: '138****8000' }],
      notes: ['此人有 2 件在办信访件'],
    });
    expect(cardHeader(c)).toMatchObject({ title: { content: '来信登记 · 请确认' }, template: 'wathet' });
    expect(markdownOf(c)).toEqual([
      '**姓名**：王\\*五\n**电话**：138\\*\\*\\*\\*8000',
      '此人有 2 件在办信访件',
      '核对无误请点“确认”（或回复“确认”）；要改某一项回复“修改 字段名”，如：修改 电话。',
    ]);
    expect(buttons(c)).toEqual([
      { text: '确认', value: { action: 'form.confirm', form: 'letter', rev: 7 } },
      { text: '修改', value: { action: 'form.edit', form: 'letter' } },
      { text: '取消', value: { action: 'form.cancel', form: 'letter' } },
    ]);
  });

  test('修改 without a field name: a button per field, each naming its field', () => {
    const c = editPickCard('letter', '来信登记', [{ key: 'name', label: '姓名' }, { key: 'phone', label: '电话' }]);
    expect(cardHeader(c).title.content).toBe('来信登记 · 修改哪一项？');
    expect(buttons(c)).toEqual([
      { text: '姓名', value: { action: 'form.edit', form: 'letter', field: 'name' } },
      { text: '电话', value: { action: 'form.edit', form: 'letter', field: 'phone' } },
    ]);
  });
});
