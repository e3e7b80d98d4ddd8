import { formatChineseDate, formatChineseDateTime } from '../platform/calendar/domain/dates';
import { fromDbTime } from '../platform/database/time';
import { button, buttonRow, card, divider, escapeMd, fields, form, input, markdown, Template } from '../platform/cards/card-kit';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { partiesText } from './domain/dispute-fields';
import { DISPUTE_ACTION_LABELS, DISPUTE_STATUS_LABELS, DisputeStatus } from './domain/dispute-rules';
import type { DisputeEventRow, DisputeRecord } from './dispute-store';

export const DISPUTE_ACTIONS = {
  view: 'dispute.view',
  resolveForm: 'dispute.resolve_form',
  resolve: 'dispute.resolve',
  escalate: 'dispute.escalate',
} as const;

/** How much of a dispute the reader may see: names whole only in a private chat. */
export interface DisputeCardOptions {
  reveal: boolean;
  canResolve: boolean;
  canEscalate: boolean;
  events?: DisputeEventRow[];
  /** '剩余 3 天', '已超期 2 天' — said of an open dispute. */
  timeLeft?: string;
}

const TEMPLATE: Record<DisputeStatus, Template> = { open: 'orange', resolved: 'green', escalated: 'violet' };

/** One dispute: what it is, who must resolve it by when, how it ended, and its buttons. */
export function disputeCard(d: DisputeRecord, o: DisputeCardOptions): Record<string, unknown> {
  const summary = o.reveal ? d.summary : maskPersonalDataInText(d.summary);
  const elements = [
    fields([
      ['排查编号', d.no],
      ['状态', DISPUTE_STATUS_LABELS[d.status]],
      ['排查类型', `${d.screening}（来源：${d.source}）`],
      ['排查日期', formatChineseDate(d.foundDate)],
      ['乡镇', d.town],
      ['纠纷类别', d.category],
      ['风险等级', d.risk],
      ['当事人', partiesText(d.parties, { reveal: o.reveal })],
      ['责任单位', d.unit],
      ['责任人', d.owner],
      ['化解期限', `${formatChineseDate(d.targetDate)}${o.timeLeft ? `（${o.timeLeft}）` : ''}`],
      ['销号日期', d.status === 'resolved' && d.closedDate ? formatChineseDate(d.closedDate) : null],
      ['化解情况', d.resolution],
      ['转入信访事项', d.caseNo ? `${d.caseNo}（${d.closedDate ? formatChineseDate(d.closedDate) : ''}转入）` : null],
    ]),
    markdown(`**纠纷概要**：${escapeMd(summary)}`),
  ];
  if (o.events?.length) {
    const lines = o.events.map((e) => `- ${formatChineseDateTime(fromDbTime(e.at)!, false)} ${DISPUTE_ACTION_LABELS[e.action] ?? e.action}`);
    elements.push(markdown(`**办理记录**\n${lines.join('\n')}`));
  }
  if (d.caseNo) elements.push(markdown(`发送“查询 ${escapeMd(d.caseNo)}”查看信访事项的办理情况。`));
  const buttons = [];
  if (d.status === 'open' && o.canResolve) buttons.push(button({ text: '销号', type: 'primary', value: { action: DISPUTE_ACTIONS.resolveForm, no: d.no } }));
  if (d.status === 'open' && o.canEscalate) {
    buttons.push(button({
      text: '转为信访事项', type: 'danger', value: { action: DISPUTE_ACTIONS.escalate, no: d.no },
      confirm: { title: '转为信访事项', text: `${d.no} 未化解，登记为信访事项并转入信访程序？` },
    }));
  }
  if (buttons.length) elements.push(divider(), buttonRow(buttons));
  return card({ title: `矛盾纠纷 ${d.no}`, subtitle: `${d.town} · ${d.category}`, template: TEMPLATE[d.status], elements });
}

/** The card that asks for the 化解情况 of a 销号. */
export function resolveFormCard(d: DisputeRecord): Record<string, unknown> {
  return card({
    title: `销号 ${d.no}`,
    subtitle: `${d.town} · ${d.unit}`,
    template: 'green',
    elements: [
      markdown('销号须写明化解情况（如何化解、当事人是否息诉）。也可以直接发送：销号 编号 化解情况'),
      form({
        name: 'dispute_resolve',
        elements: [input({ name: 'resolution', label: '化解情况', required: true, maxLength: 500, multiline: true })],
        submit: { text: '确认销号', value: { action: DISPUTE_ACTIONS.resolve, no: d.no } },
      }),
    ],
  });
}

/** Entries per ledger card; the rest are reached by page (排查台账 … 第2页). */
export const LEDGER_PAGE = 30;

export interface LedgerView {
  /** e.g. 阳城镇 · 在办, or 全部 */
  scope: string;
  entries: DisputeRecord[];
  page: number;
  /** The words that list this ledger again (for the next page's hint). */
  again: string;
  today: string;
}

function line(d: DisputeRecord, today: string): string {
  const late = d.status === 'open' && d.targetDate < today ? '〔超期〕' : '';
  const md = (x: string) => `${Number(x.slice(5, 7))}月${Number(x.slice(8, 10))}日`;
  const end = d.status === 'open' ? `期限 ${md(d.targetDate)}${late}` : d.status === 'resolved' ? `${d.closedDate ? md(d.closedDate) : ''} 销号` : `转 ${d.caseNo ?? ''}`;
  return `- ${escapeMd(d.no)} ${escapeMd(d.town)} · ${escapeMd(d.category)} · ${escapeMd(d.unit)} · ${d.risk}风险 · ${end}`;
}

/** The ledger: counts by status, then the entries of the page, each by its number. */
export function ledgerCard(v: LedgerView): Record<string, unknown> {
  const count = (s: DisputeStatus) => v.entries.filter((d) => d.status === s).length;
  const overdue = v.entries.filter((d) => d.status === 'open' && d.targetDate < v.today).length;
  const elements = [
    markdown(`共 **${v.entries.length}** 件：在办 **${count('open')}** 件（超期 ${overdue} 件）· 已化解 **${count('resolved')}** 件 · 转入信访事项 **${count('escalated')}** 件`),
  ];
  const pages = Math.max(1, Math.ceil(v.entries.length / LEDGER_PAGE));
  const page = Math.min(Math.max(1, v.page), pages);
  const shown = v.entries.slice((page - 1) * LEDGER_PAGE, page * LEDGER_PAGE);
  if (!shown.length) elements.push(markdown('台账中没有符合条件的矛盾纠纷。'));
  else {
    elements.push(divider(), markdown(shown.map((d) => line(d, v.today)).join('\n')));
    const hint = [`发送“排查台账 编号”查看一件（如 排查台账 ${escapeMd(shown[0].no)}）。`];
    if (pages > 1) hint.push(`第 ${page}/${pages} 页；发送“${escapeMd(v.again)} 第${page < pages ? page + 1 : 1}页”查看${page < pages ? '下一页' : '第一页'}。`);
    elements.push(markdown(hint.join('')));
  }
  return card({ title: `矛盾纠纷排查化解台账（${v.scope}）`, template: overdue ? 'orange' : 'blue', elements });
}

/** After 排查登记: the number, and what happens next. */
export function savedDisputeCard(d: DisputeRecord, reveal: boolean): Record<string, unknown> {
  return card({
    title: `已登记矛盾纠纷 ${d.no}`,
    template: 'green',
    elements: [
      fields([
        ['排查编号', d.no],
        ['乡镇', d.town],
        ['纠纷类别', d.category],
        ['当事人', partiesText(d.parties, { reveal })],
        ['风险等级', d.risk],
        ['责任单位', d.unit],
        ['责任人', d.owner],
        ['化解期限', formatChineseDate(d.targetDate)],
      ]),
      markdown(`化解期限前，责任单位会收到提醒；化解后发送“销号 ${escapeMd(d.no)} 化解情况”销号。`),
      buttonRow([button({ text: '查看台账', value: { action: DISPUTE_ACTIONS.view, no: d.no } })]),
    ],
  });
}
