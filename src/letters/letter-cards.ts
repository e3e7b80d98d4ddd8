import { card, form, input, markdown, select } from '../platform/cards/card-kit';

export const SUGGEST_ACTION = 'letters.suggest';

/** 建议函 with nothing after it: the form (unit, what to improve, the cases it cites). */
export function suggestionFormCard(units: string[]): Record<string, unknown> {
  return card({
    title: '改进工作建议函',
    subtitle: '向单位提出改进工作的建议（《信访工作条例》第四十一条）',
    template: 'blue',
    elements: [
      markdown('也可直接发送：建议函 <单位> <建议内容> [案件编号…]'),
      form({
        name: 'letters_suggest',
        elements: [
          select({ name: 'unit', label: '致送单位', options: units, required: true }),
          input({ name: 'content', label: '建议内容', required: true, maxLength: 1000, multiline: true }),
          input({ name: 'cases', label: '涉及案件编号（可不填，多个用空格或顿号分隔）', maxLength: 300 }),
        ],
        submit: { text: '生成建议函', value: { action: SUGGEST_ACTION } },
      }),
    ],
  });
}
