import { formatChineseDate } from '../platform/calendar/domain/dates';
import type { Digest, DigestItem, UnitDigest } from './domain/digest';
import { DEADLINE_LABELS, DeadlineKind } from '../cases';
import { button, buttonRow, card, divider, escapeMd, fields, markdown, Template } from '../platform/cards/card-kit';
import { ACTION_VALUES, VIEW_ACTION } from '../cases';

/** Who a reminder card is for: the unit that must act, or someone it was escalated to. */
export type ReminderAudience = 'unit' | 'bureau' | 'supervision' | 'leader' | 'director';

/** Everything a reminder card shows; personal data is already limited to a masked name. */
export interface ReminderCardView {
  caseNo: string;
  category: string;
  town: string;
  /** The petitioner's name, masked (张**). Never an ID number or a phone. */
  petitioner: string;
  /** Who must act: a unit, or null for the bureau itself. */
  unit: string | null;
  kind: DeadlineKind;
  dueDate: string;
  phase: 'before' | 'due' | 'overdue';
  /** '剩余 3 个工作日（5 天）', '今天到期', '已逾期 2 个工作日'. */
  timeLeft: string;
  supervised: boolean;
  /** The deadline was counted without that year's holiday data. */
  provisional: boolean;
  audience: ReminderAudience;
  /** Escalated far enough for a 督办函. */
  letterFlagged: boolean;
}

const AUDIENCE_NOTE: Record<ReminderAudience, string> = {
  unit: '',
  bureau: '（承办单位未登记群聊，请信访局转告）',
  supervision: '（逾期抄送督查）',
  leader: '（逾期报包案领导）',
  director: '（逾期报局领导）',
};

/** The reminder a unit's group gets about one deadline, and the copies escalation sends. */
export function buildReminderCard(v: ReminderCardView): Record<string, unknown> {
  const title =
    v.phase === 'overdue' ? `信访事项已逾期：${v.caseNo}` : v.phase === 'due' ? `信访事项今日到期：${v.caseNo}` : `信访事项期限提醒：${v.caseNo}`;
  const template: Template = v.phase === 'overdue' ? 'red' : v.phase === 'due' ? 'orange' : 'blue';
  const deadline = `${DEADLINE_LABELS[v.kind]}：${formatChineseDate(v.dueDate)}24 时止${v.provisional ? '（该年节假日未导入，暂按周末推算）' : ''}`;
  const elements = [
    fields([
      ['案件编号', v.caseNo],
      ['问题类别', v.category],
      ['问题属地', v.town],
      ['信访人', v.petitioner],
      ['承办单位', v.unit ?? '信访局'],
      ['期限', deadline],
      ['剩余时间', v.timeLeft],
      ['挂牌督办', v.supervised ? '是' : null],
    ]),
  ];
  if (v.letterFlagged) elements.push(markdown(`**已逾期较久，建议发督办函**：发送“督办函 ${escapeMd(v.caseNo)}”生成。`));
  elements.push(divider());
  elements.push(
    buttonRow([
      button({ text: '查看案件', value: { action: VIEW_ACTION, caseNo: v.caseNo }, type: 'primary' }),
      button({ text: '报告进展', value: { action: ACTION_VALUES.progress, caseNo: v.caseNo } }),
    ]),
  );
  return card({ title, subtitle: `${DEADLINE_LABELS[v.kind]}${AUDIENCE_NOTE[v.audience]}`, template, elements });
}

const LIST_MAX = 15;

function itemLine(i: DigestItem): string {
  const when =
    i.workingDays < 0 ? `逾期 ${-i.workingDays} 个工作日` : i.workingDays === 0 ? '今日到期' : `剩 ${i.workingDays} 个工作日`;
  const marks = `${i.supervised ? '〔督办〕' : ''}${i.letterFlagged ? '〔建议发督办函〕' : ''}`;
  return `- ${escapeMd(i.caseNo)} ${escapeMd(i.category)} · ${DEADLINE_LABELS[i.kind]} ${i.dueDate.slice(5)} · ${when}${marks}`;
}

function section(label: string, items: DigestItem[]): string[] {
  if (!items.length) return [];
  const lines = [`${label}（${items.length}）`, ...items.slice(0, LIST_MAX).map(itemLine)];
  if (items.length > LIST_MAX) lines.push(`- 等共 ${items.length} 件`);
  return lines;
}

function unitBlock(u: UnitDigest): string {
  return [`**${escapeMd(u.unit)}**`, ...section('逾期', u.overdue), ...section('今日到期', u.dueToday), ...section('3 个工作日内到期', u.dueSoon)].join('\n');
}

/** The bureau's morning card: by unit, overdue first; a unit with nothing due is not listed. */
export function buildDigestCard(d: Digest): Record<string, unknown> {
  const { overdue, dueToday, dueSoon } = d.totals;
  const summary = `逾期 **${overdue}** 件 · 今日到期 **${dueToday}** 件 · 3 个工作日内到期 **${dueSoon}** 件`;
  const elements = [markdown(summary)];
  if (!d.units.length) {
    elements.push(markdown('今日没有到期、临期或逾期的信访事项。'));
  } else {
    for (const u of d.units) {
      elements.push(divider());
      elements.push(markdown(unitBlock(u)));
    }
  }
  return card({
    title: `信访期限日报 ${formatChineseDate(d.date)}`,
    template: overdue ? 'red' : dueToday ? 'orange' : 'blue',
    elements,
  });
}
