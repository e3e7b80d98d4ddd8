import { maskPhone } from '../platform/personal-data/masking';
import { button, buttonRow, card, CardElement, escapeMd, fields, form, input, markdown, select } from '../platform/cards/card-kit';
import { THIRD_PARTY_KINDS, ThirdParty, ThirdPartyKind } from './domain/third-party-rules';

/** The button of the 第三方登记 form. */
export const REGISTER_ACTION = 'roster.thirdParty.register';

/** The buttons of the 第三方停用 confirmation. */
export const REMOVE_ACTIONS = { confirm: 'roster.thirdParty.remove', keep: 'roster.thirdParty.keep' } as const;

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

/** 第三方停用 <姓名>: who, and how many coming sessions will lose them; nothing changes until 确认停用. */
export function thirdPartyRemoveConfirmCard(p: ThirdParty, comingSessions: number): Record<string, unknown> {
  return card({
    title: `确认停用${p.kind}${p.name}？`,
    template: 'red',
    elements: [
      fields([['姓名', p.name], ['类别', p.kind], ['所在单位', p.organisation || null], ['名册编号', p.id]]),
      markdown(comingSessions
        ? `停用后将移出第三方名册，并取消其今后已安排的 **${comingSessions}** 场接访（这些场次将不再有此人参加，日历随之更新）。已参加的接访记录保留。`
        : '停用后将移出第三方名册；今后没有为其安排的接访。已参加的接访记录保留。'),
      buttonRow([
        button({ text: '确认停用', type: 'danger_filled', value: { action: REMOVE_ACTIONS.confirm, id: p.id } }),
        button({ text: '不停用', value: { action: REMOVE_ACTIONS.keep, id: p.id } }),
      ]),
    ],
  });
}
