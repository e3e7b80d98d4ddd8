import { button, buttonRow, card as cardKit, escapeMd, markdown } from '../cards/card-kit';
import type { FormDef, SummaryView } from './form-types';

// The cards every form shows the same way: its start, its summary before 确认, the pick of a field to 修改.

/** The card that opens a form in turns: how to answer, and the card form if the form has one. */
export function startCard(form: FormDef<any>): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: { title: { tag: 'plain_text', content: `开始${form.title}` }, template: 'blue' },
    body: {
      elements: [
        {
          tag: 'markdown',
          content:
            '逐项回答即可：回复“上一步”返回上一项，“跳过”跳过选填项，“修改 字段名”修改某一项，“取消”放弃。\n' +
            '也可以一次粘贴“字段：值”多行（如 姓名：张某某），或用卡片表单一次填完。',
        },
        ...(form.formCard
          ? [{
              tag: 'button', text: { tag: 'plain_text', content: '用卡片表单填写' }, type: 'default',
              behaviors: [{ type: 'callback', value: { action: 'form.open', form: form.name } }],
            }]
          : []),
      ],
    },
  };
}

/** 确认 / 修改 / 取消 buttons; the confirm carries the revision it shows. */
export function summaryButtons(view: Pick<SummaryView, 'form' | 'rev'>) {
  return buttonRow([
    button({ text: '确认', type: 'primary_filled', value: { action: 'form.confirm', form: view.form, rev: view.rev } }),
    button({ text: '修改', value: { action: 'form.edit', form: view.form } }),
    button({ text: '取消', type: 'danger', value: { action: 'form.cancel', form: view.form } }),
  ]);
}

export function genericSummaryCard(view: SummaryView): Record<string, unknown> {
  return cardKit({
    title: `${view.title} · 请确认`,
    template: 'wathet',
    elements: [
      markdown(view.rows.map((r) => `**${r.label}**：${escapeMd(r.value)}`).join('\n')),
      ...view.notes.map((n) => markdown(escapeMd(n))),
      markdown('核对无误请点“确认”（或回复“确认”）；要改某一项回复“修改 字段名”，如：修改 电话。'),
      summaryButtons(view),
    ],
  });
}

/** A card with a button per field, for 修改 without a field name. */
export function editPickCard(formName: string, title: string, labels: Array<{ key: string; label: string }>): Record<string, unknown> {
  return cardKit({
    title: `${title} · 修改哪一项？`,
    template: 'wathet',
    elements: [
      markdown('点选要修改的项目，或回复“修改 字段名 新内容”，如：修改 电话 13812345678。'),
      buttonRow(labels.map((l) => button({ text: l.label, value: { action: 'form.edit', form: formName, field: l.key } }))),
    ],
  });
}
