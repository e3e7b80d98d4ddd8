import { formatChineseDate } from '../platform/calendar/domain/dates';
import type { Digest, DigestItem, UnitDigest } from './domain/digest';
import { DEADLINE_LABELS, DeadlineKind } from '../cases';
import { button, buttonRow, card, CardElement, divider, escapeMd, fields, markdown, Template } from '../platform/cards/card-kit';
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
  /** 匿名/身份不明 and nothing to reach them by: no reply to write (absent: an ordinary petitioner). */
  petitionerUnreachable?: boolean;
}

/** The subtitle's note by audience; `bureau` here is the relay (a unit with no group): see audienceNote. */
const AUDIENCE_NOTE: Record<ReminderAudience, string> = {
  unit: '',
  bureau: '（承办单位未登记群聊，请信访局转告）',
  supervision: '（逾期抄送督查）',
  leader: '（逾期报包案领导）',
  director: '（逾期报局领导）',
};

/**
 * The bureau reads a reminder either to relay it (the unit has no group) or because the deadline is
 * its own (the case is still with the bureau, no unit yet): the two must not read alike.
 */
function audienceNote(v: ReminderCardView): string {
  if (v.audience === 'bureau' && !v.unit) return '（由信访局办理）';
  return AUDIENCE_NOTE[v.audience];
}

/** Who reads each audience's card: only they decide which next steps it may suggest. */
type Reader = 'unit' | 'bureau' | 'leader';
const READER: Record<ReminderAudience, Reader> = { unit: 'unit', bureau: 'bureau', supervision: 'bureau', director: 'bureau', leader: 'leader' };

/** What the unit does next, by the deadline: the words it may type, as the case card's buttons do. */
function unitStep(v: ReminderCardView): string {
  const no = escapeMd(v.caseNo);
  if (v.kind === 'acceptance_notice') {
    return `**下一步**：请决定是否受理并书面告知信访人——点“查看案件”选择受理或不予受理；不属于本单位职责的可退回（发送“退回 ${no} 理由”）。`;
  }
  if (v.kind === 'conclusion') {
    const reply = v.petitionerUnreachable
      ? `请按期办结（信访人匿名或身份不明、无法联系，无须答复；发送“办结 ${no} 办理结果”）`
      : `请按期办结并答复信访人（发送“办结 ${no} 答复摘要”）`;
    return `**下一步**：${reply}；情况复杂的可申请延期一次，最长 30 日（“延期 ${no} 天数 理由”）；` +
      `办理中可随时报告进展（“进展 ${no} 内容”）。`;
  }
  return `**下一步**：请在期限内办理：点“查看案件”按卡片上的按钮办理，或报告进展（“进展 ${no} 内容”）。`;
}

/** What the bureau (its group, the supervision group, the director) does next: pass it on, remind, supervise. */
function bureauStep(v: ReminderCardView): string {
  const no = escapeMd(v.caseNo);
  if (!v.unit) return '**下一步**：本期限由信访局办理：点“查看案件”受理、不予受理、转送或交办。';
  const tell = v.audience === 'bureau' ? `请转告${escapeMd(v.unit)}按期办理；` : `请督促${escapeMd(v.unit)}按期办理；`;
  if (v.letterFlagged) return `**已逾期较久，建议发督办函**：发送“督办函 ${no}”生成。${tell}也可挂牌督办。`;
  return `**下一步**：${tell}${v.phase === 'before' ? '临期' : '逾期'}的可发送“提醒函 ${no}”生成提醒函。`;
}

/** What the 包案 leader does next: follow the case, supervise it, put an instruction on record. */
function leaderStep(v: ReminderCardView): string {
  return `**下一步**：点“查看案件”（或发送“查询 ${escapeMd(v.caseNo)}”）了解办理情况；需要督促的可挂牌督办；您的批示意见可用“报告进展”记入案件。`;
}

/** The buttons each reader may press (the case's own checks apply again when pressed). */
function stepButtons(v: ReminderCardView, reader: Reader): CardElement[] {
  const view = button({ text: '查看案件', value: { action: VIEW_ACTION, caseNo: v.caseNo }, type: 'primary' });
  const progress = button({ text: '报告进展', value: { action: ACTION_VALUES.progress, caseNo: v.caseNo } });
  const supervise = button({ text: '挂牌督办', value: { action: ACTION_VALUES.supervise, caseNo: v.caseNo } });
  if (reader === 'unit') return [view, progress];
  if (reader === 'leader') return v.supervised ? [view, progress] : [view, progress, supervise];
  return v.unit && !v.supervised && v.phase === 'overdue' ? [view, supervise] : [view];
}

/**
 * The reminder a unit's group gets about one deadline, and the copies escalation sends: each reader
 * sees the next steps their role may take (a unit never a 督办函, a leader no letter at all).
 */
export function buildReminderCard(v: ReminderCardView): Record<string, unknown> {
  const title =
    v.phase === 'overdue' ? `信访事项已逾期：${v.caseNo}` : v.phase === 'due' ? `信访事项今日到期：${v.caseNo}` : `信访事项期限提醒：${v.caseNo}`;
  const template: Template = v.phase === 'overdue' ? 'red' : v.phase === 'due' ? 'orange' : 'blue';
  const deadline = `${DEADLINE_LABELS[v.kind]}：${formatChineseDate(v.dueDate)}24 时止${v.provisional ? '（该年节假日未导入，暂按周末推算）' : ''}`;
  const reader = READER[v.audience];
  const elements = [
    fields([
      ['案件编号', v.caseNo],
      ['问题类别', v.category],
      ['问题属地', v.town],
      ['信访人', v.petitioner],
      v.unit ? ['承办单位', v.unit] : ['办理', '信访局（尚未交办承办单位）'],
      ['期限', deadline],
      ['剩余时间', v.timeLeft],
      ['挂牌督办', v.supervised ? '是' : null],
    ]),
    markdown(reader === 'unit' ? unitStep(v) : reader === 'leader' ? leaderStep(v) : bureauStep(v)),
    divider(),
    buttonRow(stepButtons(v, reader)),
  ];
  return card({ title, subtitle: `${DEADLINE_LABELS[v.kind]}${audienceNote(v)}`, template, elements });
}

const LIST_MAX = 15;

function itemLine(i: DigestItem): string {
  const when =
    i.workingDays < 0 ? `逾期 ${-i.workingDays} 个工作日` : i.workingDays === 0 ? '今日到期' : `剩 ${i.workingDays} 个工作日`;
  const marks = `${i.supervised ? '〔督办〕' : ''}${i.letterFlagged ? '〔建议发督办函〕' : ''}`;
  return `- ${escapeMd(i.caseNo)} ${escapeMd(i.category)} · ${DEADLINE_LABELS[i.kind]} ${formatChineseDate(i.dueDate, false).replace(/^\d+年/, '')} · ${when}${marks}`;
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

/**
 * The digest card's units stop short of this many bytes of JSON: Lark refuses a card over 30 KB
 * (LARK_CARD_BODY_MAX), and a province's bureau may have due deadlines in a thousand units.
 */
export const DIGEST_CARD_BUDGET = 24 * 1024;

/** The line in place of the units that did not fit: how many, and where to see them all. */
function unlisted(rest: UnitDigest[]): string {
  const n = (k: 'overdue' | 'dueToday' | 'dueSoon') => rest.reduce((s, u) => s + u[k].length, 0);
  return `另有 **${rest.length}** 个单位（逾期 ${n('overdue')} 件、今日到期 ${n('dueToday')} 件、3 个工作日内到期 ${n('dueSoon')} 件）未在此列出：发送“逾期”查看全部。`;
}

/** The bureau's morning card: by unit, overdue first; a unit with nothing due is not listed; as many units as fit. */
export function buildDigestCard(d: Digest): Record<string, unknown> {
  const { overdue, dueToday, dueSoon } = d.totals;
  const summary = `逾期 **${overdue}** 件 · 今日到期 **${dueToday}** 件 · 3 个工作日内到期 **${dueSoon}** 件`;
  const elements = [markdown(summary)];
  if (!d.units.length) {
    elements.push(markdown('今日没有到期、临期或逾期的信访事项。'));
  } else {
    let bytes = 1024 + Buffer.byteLength(JSON.stringify(elements)); // the header and the envelope, generously
    for (const [i, u] of d.units.entries()) {
      const block = markdown(unitBlock(u));
      bytes += Buffer.byteLength(JSON.stringify([divider(), block]));
      if (bytes > DIGEST_CARD_BUDGET && i > 0) {
        elements.push(divider(), markdown(unlisted(d.units.slice(i))));
        break;
      }
      elements.push(divider(), block);
    }
  }
  return card({
    title: `信访期限日报 ${formatChineseDate(d.date)}`,
    template: overdue ? 'red' : dueToday ? 'orange' : 'blue',
    elements,
  });
}
