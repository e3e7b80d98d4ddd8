import { button, buttonRow, card, CardElement, divider, escapeMd, fields, markdown } from '../platform/cards/card-kit';
import type { PlanIssue, ReplanCounts } from './domain';

/** The most lines one notice lists; Lark refuses cards over 30 KB. */
export const MAX_NOTICE_LINES = 40;

/** One notice to a leader or a venue group: every change of theirs in one card. */
export function planChangesCard(opts: { title: string; intro: string; lines: string[]; template?: 'orange' | 'blue' }): Record<string, unknown> {
  const shown = opts.lines.slice(0, MAX_NOTICE_LINES);
  const elements: CardElement[] = [markdown(escapeMd(opts.intro)), markdown(shown.map((l) => `• ${escapeMd(l)}`).join('\n'))];
  if (opts.lines.length > shown.length) elements.push(markdown(`另有 ${opts.lines.length - shown.length} 项未列出，发送“我的接访”或“接访安排”查看。`));
  return card({ title: opts.title, template: opts.template ?? 'orange', elements });
}

/** 生成接访计划 <年> 重新生成, before it is done: what it would change, and the button that does it. */
export function replanPreviewCard(p: ReplanCounts, value: Record<string, unknown>): Record<string, unknown> {
  const elements: CardElement[] = [
    markdown(`按规则重新生成 ${p.year} 年计划，与现有安排逐场比对：仍在计划中的保留原编号，只新增真正新增的、取消真正取消的。`),
    fields([['新增', p.added], ['保留不变', p.kept], ['改期或调整', p.moved], ['取消', p.cancelled], ['已举行或已过去（不动）', p.fixed]]),
  ];
  if (p.provisional) elements.push(markdown(`⚠️ 没有 ${p.year} 年的节假日安排数据，新计划仍为暂定。`));
  if (!p.added && !p.moved && !p.cancelled) {
    elements.push(markdown('现有安排已与规则一致，重新生成不会改动任何场次。'));
  }
  elements.push(divider(), buttonRow([
    button({ text: '确认重新生成', type: 'primary_filled', value, confirm: { title: '确认重新生成？', text: `将按上面的变动调整 ${p.year} 年计划，并通知相关领导和接访点。` } }),
  ]));
  elements.push(markdown(`也可以回复：生成接访计划 ${p.year} 重新生成 确认`));
  return card({ title: `重新生成 ${p.year} 年接访下访计划？`, template: 'orange', elements });
}

/** After a regenerated plan is saved. */
export function replanDoneCard(r: ReplanCounts & { notified: number; issues: PlanIssue[] }): Record<string, unknown> {
  const elements: CardElement[] = [
    fields([['新增', r.added], ['保留不变', r.kept], ['改期或调整', r.moved], ['取消', r.cancelled], ['已举行或已过去（不动）', r.fixed], ['已通知', r.notified || null]]),
  ];
  if (r.provisional) elements.push(markdown(`⚠️ 没有 ${r.year} 年的节假日安排数据，本计划仍为暂定。`));
  const shown = r.issues.filter((i) => i.kind !== 'empty-period').slice(0, 10);
  if (shown.length) elements.push(divider(), markdown(`**未能按规则安排或另作安排的：**\n${shown.map((i) => `• ${escapeMd(i.message)}`).join('\n')}`));
  return card({ title: `${r.year} 年接访下访计划已重新生成`, template: r.provisional ? 'orange' : 'green', elements });
}
