import { formatChineseDate } from '../platform/calendar/domain';
import { button, buttonRow, card, CardElement, escapeMd, markdown } from '../platform/cards/card-kit';
import type { LeaveImpactReport, LeaveOffer } from './leave-view';

/** The most sessions one leave card offers (each has its buttons); Lark refuses cards over 30 KB. */
export const MAX_LEAVE_OFFERS = 15;

/** The leave as a line: 2027年3月2日（周二）至2027年3月6日（周六）（参加培训）. */
export function leaveSpan(r: Pick<LeaveImpactReport, 'leave'>): string {
  const { from, to, reason } = r.leave;
  return `${formatChineseDate(from)}${to !== from ? `至${formatChineseDate(to)}` : ''}${reason ? `（${reason}）` : ''}`;
}

/** A planned session as the leave card and `plan leave` list it: when, where, what, its number. */
export function offerLine(o: LeaveOffer): string {
  const s = o.session;
  return `${formatChineseDate(s.date)}${s.slot} ${s.startTime}—${s.endTime} ${s.venueName} · ${s.type}${o.provisional ? '〔暂定〕' : ''} 〔编号 ${s.id}〕`;
}

function offerElements(r: LeaveImpactReport, o: LeaveOffer): CardElement[] {
  const value = { sessionId: o.session.id, leaderId: r.leader.id };
  const buttons: CardElement[] = [];
  const notes: string[] = [];
  if (!o.deputy) notes.push('未指定代班领导');
  else if (o.deputyProblems.length) notes.push(`代班领导${o.deputy.name}不能接替：${o.deputyProblems.join('；')}`);
  else buttons.push(button({ text: `由代班领导${o.deputy.name}接访`, type: 'primary', value: { action: 'roster.leave.deputy', ...value } }));
  if (o.moveTo) {
    buttons.push(button({ text: `改期到${formatChineseDate(o.moveTo)}`, value: { action: 'roster.leave.move', ...value, date: o.moveTo } }));
  } else {
    notes.push(`${o.window.label}内（${o.window.span}）没有可改的工作日`);
  }
  return [
    markdown(`**${escapeMd(offerLine(o))}**${notes.length ? `\n${notes.map((n) => `· ${escapeMd(n)}`).join('\n')}` : ''}`),
    ...(buttons.length ? [buttonRow(buttons)] : []),
  ];
}

/**
 * For the admin, after a leave is recorded: the sessions already planned in it, each with
 * 由代班领导接访 and 改期 (to the nearest free day its rule allows). Nothing moves until a click.
 */
export function leaveOffersCard(r: LeaveImpactReport): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!r.offers.length) elements.push(markdown('请假期间没有已安排的接访，无需调整。'));
  for (const o of r.offers.slice(0, MAX_LEAVE_OFFERS)) elements.push(...offerElements(r, o));
  if (r.offers.length > MAX_LEAVE_OFFERS) {
    elements.push(markdown(`另有 ${r.offers.length - MAX_LEAVE_OFFERS} 场未列出，可用“调整接访 编号 改到 日期”逐场处理。`));
  }
  if (r.offers.length) elements.push(markdown('点击按钮后才会调整，并通知相关领导和接访点；不处理的场次保持原安排。'));
  return card({
    title: `${r.leader.name}请假期间的接访安排（${r.offers.length} 场）`,
    subtitle: leaveSpan(r),
    template: r.offers.length ? 'orange' : 'blue',
    elements,
  });
}
