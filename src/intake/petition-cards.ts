import { formatChineseDate, isIsoDate } from '../platform/calendar/domain/dates';
import type { PetitionFieldContext } from './domain/petition-fields';
import { NAME_MAX, ADDRESS_MAX } from './domain/petition-validation';
import type { SummaryView } from '../platform/forms/form-types';
import { summaryButtons } from '../platform/forms/form-cards';
import { button, buttonRow, card, CardElement, datePicker, divider, escapeMd, form, input, markdown, select } from '../platform/cards/card-kit';

/** Lark's input takes at most 1,000 characters; longer 事项内容 goes through the chat. */
export const CARD_INPUT_MAX = 1000;

/** The name of the petition form and the action its card submits. */
export const PETITION_FORM = 'petition';

/** The date of a 登记时间 as the draft shows it ('3月9日（周一）08:30', '2025年12月30日（周二）…', or ISO). */
function receivedDateOf(shown: string | undefined, today: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(shown ?? '')?.[0];
  if (iso) return iso;
  const cn = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/.exec(shown ?? '');
  if (!cn) return today;
  const date = `${cn[1] ?? today.slice(0, 4)}-${cn[2].padStart(2, '0')}-${cn[3].padStart(2, '0')}`;
  return isIsoDate(date) ? date : today;
}

/**
 * 信访登记 as one card (card JSON 2.0 form container): inputs, selects for 信访形式/问题属地/
 * 问题类别/信访目的, a date picker for 登记日期. Submitting fills the same draft as the chat; what
 * is missing or wrong (and the 接访场次 of a 领导接访) is then asked in the chat. `prefill` holds
 * what the draft has so far (personal data only where it may be shown whole).
 */
export function petitionFormCard(c: PetitionFieldContext, prefill: Record<string, string>, today: string): Record<string, unknown> {
  const pick = (key: string, options: readonly string[]) => (options.includes(prefill[key] ?? '') ? prefill[key] : undefined);
  const date = receivedDateOf(prefill.receivedAt, today);
  const cardMax = Math.min(c.contentMax, CARD_INPUT_MAX);
  const elements: CardElement[] = [
    input({ name: 'name', label: '姓名', placeholder: '信访人姓名（集体访填代表）', required: true, maxLength: NAME_MAX, defaultValue: prefill.name }),
    input({ name: 'idNumber', label: '身份证号', placeholder: '18位公民身份号码', maxLength: 18, defaultValue: prefill.idNumber }),
    input({ name: 'phone', label: '电话', placeholder: '手机或固话，如 0763-6621234', maxLength: 20, defaultValue: prefill.phone }),
    input({ name: 'address', label: '住址', maxLength: ADDRESS_MAX, defaultValue: prefill.address }),
    input({ name: 'headcount', label: '人数', placeholder: `${c.groupThreshold}人及以上为集体访`, required: true, maxLength: 4, defaultValue: prefill.headcount?.replace(/\D.*$/, '') }),
    select({ name: 'channel', label: '信访形式', options: [...c.channels], required: true, initial: pick('channel', c.channels) }),
    datePicker({ name: 'receivedAt', label: '登记日期', initial: date, required: true }),
    select({ name: 'town', label: '问题属地', options: [...c.towns], required: true, initial: pick('town', c.towns) }),
    select({ name: 'category', label: '问题类别', options: [...c.categories], required: true, initial: pick('category', c.categories) }),
    // Lark refuses a select without options (the purposes list may be left empty in config/reference.json).
    ...(c.purposes.length ? [select({ name: 'purpose', label: '信访目的（选填）', options: [...c.purposes], initial: pick('purpose', c.purposes) })] : []),
    input({
      name: 'content', label: '事项内容', placeholder: `诉求及主要事实（卡片中最多${cardMax}字）`, required: true,
      maxLength: cardMax, multiline: true, defaultValue: prefill.content && [...prefill.content].length <= cardMax ? prefill.content : undefined,
    }),
  ];
  return card({
    title: '信访登记（表单）',
    subtitle: '填好后点“提交”，下一步核对确认',
    template: 'blue',
    elements: [
      markdown(`身份证号和电话至少填一项；未署名或未留身份证号、电话的来信、网上信访、电话可不填（姓名填“匿名”），来访须核实身份。登记日期为今天时按当前时间登记，其他日期按当天 09:00 登记。${
        c.contentMax > cardMax ? `事项内容超过${cardMax}字的，可先填摘要，提交后发送“修改 事项内容 全文”（最多${c.contentMax}字）。` : ''
      }${c.channels.includes('领导接访') ? '信访形式选“领导接访”的，提交后在对话中选择接访场次。' : ''}`),
      form({ name: 'petition_form', elements, submit: { text: '提交', value: { action: 'form.submit', form: PETITION_FORM } } }),
    ],
  });
}

export interface SummaryExtras {
  groupVisit: boolean;
  headcount: number | null;
  /** 【匿名】…: what being anonymous or unidentified changes (petition-repeats.ts anonymousNote). */
  anonymousNote?: string | null;
  /** The earlier cases it will be linked to (重复信访), before 确认 (petition-repeats.ts repeatLines). */
  repeat?: string[];
}

/**
 * 信访登记 · 请确认: every answer (personal data as the view already masked it), the warnings —
 * 集体访, 匿名, and the earlier cases of the same petitioner or of similar content, so the clerk
 * sees a repeat petition before saving it — and 确认/修改/取消.
 */
export function petitionSummaryCard(view: SummaryView, opts: SummaryExtras): Record<string, unknown> {
  const short = view.rows.filter((r) => r.key !== 'content');
  const content = view.rows.find((r) => r.key === 'content');
  const elements: CardElement[] = [
    markdown(short.map((r) => `**${r.label}**：${escapeMd(r.value)}`).join('\n')),
  ];
  if (content) elements.push(divider(), markdown(`**事项内容**：\n${escapeMd(content.value)}`));
  if (opts.groupVisit) {
    elements.push(markdown(`⚠️ **集体访**（${opts.headcount}人）：请告知信访人推选不超过5名代表反映诉求（《信访工作条例》第二十条）。`));
  }
  if (opts.anonymousNote) elements.push(markdown(`ℹ️ ${escapeMd(opts.anonymousNote)}`));
  const repeat = opts.repeat ?? [];
  if (repeat.length) {
    elements.push(divider(), markdown(`**重复信访提示**\n${repeat.map((r) => `⚠️ ${escapeMd(r)}`).join('\n')}`));
  }
  elements.push(
    divider(),
    markdown('核对无误请点“确认”（或回复“确认”）保存并生成编号；要改某一项点“修改”或回复“修改 字段名”，如：修改 电话。'),
    summaryButtons(view),
  );
  return card({ title: '信访登记 · 请确认', template: opts.groupVisit || repeat.length ? 'orange' : 'wathet', elements });
}

export interface SavedCaseView {
  caseNo: string;
  name: string;
  headcountLabel: string;
  town: string;
  category: string;
  receivedAt: string;
  /** e.g. 受理/交办期限：2026年3月25日（周三） */
  deadline: string | null;
  /** The lines about earlier cases of the same petitioner. */
  repeat: string[];
  /** 【匿名】…, for an anonymous or unidentified petition. */
  anonymousNote?: string | null;
}

/** What staff see once the case is saved: its number, its first deadline, earlier cases. */
export function savedCaseCard(v: SavedCaseView): Record<string, unknown> {
  const lines = [
    `**编号**：${v.caseNo}`,
    `**信访人**：${escapeMd(v.name)}（${escapeMd(v.headcountLabel)}）`,
    `**问题属地**：${escapeMd(v.town)}\u3000**问题类别**：${escapeMd(v.category)}`,
    `**登记时间**：${escapeMd(v.receivedAt)}`,
    ...(v.deadline ? [`**${escapeMd(v.deadline)}**`] : []),
    ...(v.anonymousNote ? [`ℹ️ ${escapeMd(v.anonymousNote)}`] : []),
  ];
  return card({
    title: `登记成功 · ${v.caseNo}`,
    template: v.repeat.length ? 'orange' : 'green',
    elements: [
      markdown(lines.join('\n')),
      ...(v.repeat.length ? [divider(), markdown(v.repeat.map((r) => `⚠️ ${escapeMd(r)}`).join('\n'))] : []),
      buttonRow([
        button({ text: '查看案件', type: 'primary', value: { action: 'case.view', caseNo: v.caseNo } }),
        button({ text: '继续登记', value: { action: 'form.open', form: PETITION_FORM } }),
      ]),
    ],
  });
}

/** How a due date reads in the saved reply. */
export function deadlineLine(label: string, dueDate: string, provisional: boolean): string {
  return `${label}：${formatChineseDate(dueDate)}${provisional ? '（该年节假日安排未公布，暂按周末推算）' : ''}`;
}
