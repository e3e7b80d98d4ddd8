import { maskPhone } from '../platform/personal-data/masking';
import { card, CardElement, escapeMd, form, input, markdown, select } from '../platform/cards/card-kit';
import { THIRD_PARTY_KINDS, ThirdParty, ThirdPartyKind } from './domain/third-party-rules';

/** The button of the 第三方登记 form. */
export const REGISTER_ACTION = 'roster.thirdParty.register';

export const REGISTER_EXAMPLE = '第三方登记 律师 林书恒 某某律师事务所 13800001111';

/** 第三方名册: everyone active, by kind, phone masked, with their coming sessions. */
export function thirdPartyRosterCard(people: ThirdParty[], coming: Map<number, number>, kind: ThirdPartyKind | null = null): Record<string, unknown> {
  const kinds = kind ? [kind] : THIRD_PARTY_KINDS.filter((k) => people.some((p) => p.kind === k));
  const elements: CardElement[] = kinds.map((k) => {
    const lines = people.filter((p) => p.kind === k).map((p) =>
      `• ${escapeMd(p.name)}${p.organisation ? `（${escapeMd(p.organisation)}）` : ''} ${escapeMd(maskPhone(p.phone))} · 编号 ${p.id} · 今后已安排 ${coming.get(p.id) ?? 0} 场`);
    return markdown(`**${k}**（${lines.length} 人）\n${lines.join('\n') || '无'}`);
  });
  if (!people.length) elements.push(markdown(kind ? `名册中还没有${kind}。` : '名册中还没有第三方人员。'));
  elements.push(markdown(`登记：发送“${REGISTER_EXAMPLE}”或只发“第三方登记”填写表单；安排：“安排第三方 接访编号 姓名”（如 安排第三方 12 林书恒），取消：“取消第三方 12 林书恒”。`));
  return card({ title: `第三方名册${kind ? `：${kind}` : ''}`, subtitle: '律师、心理咨询师、调解员等参与接访的第三方力量（电话已隐去部分数字）', template: 'indigo', elements });
}

/** 第三方登记 without details: the whole entry as one form. */
export function thirdPartyFormCard(): Record<string, unknown> {
  return card({
    title: '第三方登记',
    subtitle: '登记参与接访的律师、心理咨询师、调解员等',
    template: 'indigo',
    elements: [
      form({
        name: 'third_party',
        elements: [
          input({ name: 'name', label: '姓名', required: true, maxLength: 32 }),
          select({ name: 'kind', label: '类别', options: [...THIRD_PARTY_KINDS], required: true }),
          input({ name: 'organisation', label: '所在单位', placeholder: '如：正衡律师事务所', maxLength: 64 }),
          input({ name: 'phone', label: '联系电话', placeholder: '手机或“区号-号码”', required: true, maxLength: 20 }),
        ],
        submit: { text: '登记', value: { action: REGISTER_ACTION } },
      }),
      markdown(`也可以一句话登记：${REGISTER_EXAMPLE}`),
    ],
  });
}
