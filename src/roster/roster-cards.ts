import { formatChineseDate, IsoDate } from '../platform/calendar/domain';
import { SESSION_STATUS_LABELS } from './domain';
import type { PlanIssue, RuleFairness } from './domain';
import type { ChangeRequest } from './change-request-store';
import type { SessionView } from './session-view';
import {
  button, buttonRow, card, CardElement, datePicker, divider, escapeMd, fields, form, input, markdown, select,
} from '../platform/cards/card-kit';

/** The most sessions one card lists; Lark refuses cards over 30 KB. */
export const MAX_SESSIONS_PER_CARD = 40;
/** The text one list card may carry, in UTF-8 bytes: well under Lark's 30 KB once escaped into a request. */
const CARD_TEXT_BYTES = 12_000;
/** Sessions per 我的接访 card: each has its own buttons. */
export const MY_SESSIONS_PER_CARD = 15;

export const leaderLabel = (l: { name: string; title: string }) => `${l.name}（${l.title}）`;

/** The session's leaders as a line: 林启航（县委书记）、… with 〔代班〕 for a deputy. */
export function leadersText(s: SessionView): string {
  return s.leaders
    .map((l) => `${leaderLabel(l)}${l.substituteFor ? '〔代班〕' : ''}`)
    .join('、') || '（未定）';
}

export function sessionWhen(s: Pick<SessionView, 'date' | 'slot' | 'startTime' | 'endTime'>): string {
  return `${formatChineseDate(s.date)}${s.slot} ${s.startTime}—${s.endTime}`;
}

function statusMark(s: SessionView): string {
  return s.status === 'planned' ? '' : `〔${SESSION_STATUS_LABELS[s.status]}〕`;
}

function sessionLine(s: SessionView, withDate: boolean, provisional = false): string {
  const when = withDate ? `${formatChineseDate(s.date)} ${s.slot}` : s.slot;
  const tentative = provisional && s.status !== 'cancelled' ? '〔暂定〕' : '';
  const line = `**${when}** ${escapeMd(s.venueName)} · ${s.type} · ${escapeMd(leadersText(s))}${statusMark(s)}${tentative} 〔编号 ${s.id}〕`;
  return s.status === 'cancelled' ? `~~${line}~~` : line;
}

function utf8Bytes(t: string): number {
  let n = 0;
  for (const ch of t) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** One card's share of a long list: its sessions, and whether its first day goes on from the card before. */
export interface SessionPage {
  sessions: SessionView[];
  /** The first day began on the previous card (a day of more sessions than one card holds). */
  continues: boolean;
}

/**
 * A list of sessions cut into cards that each stay within Lark's limits, whole days together where
 * a day fits: nothing is left out, however long the list. An empty list is one empty page.
 */
export function sessionPages(sessions: SessionView[], perCard = MAX_SESSIONS_PER_CARD): SessionPage[] {
  const pages: SessionPage[] = [];
  let cur: SessionView[] = [];
  let bytes = 0;
  let continues = false;
  const close = (nextContinues: boolean) => {
    pages.push({ sessions: cur, continues });
    cur = [];
    bytes = 0;
    continues = nextContinues;
  };
  const cost = (s: SessionView) => utf8Bytes(sessionLine(s, true)) + 40;
  const over = (n: number, b: number) => n > perCard || b > CARD_TEXT_BYTES;
  for (let i = 0; i < sessions.length;) {
    let j = i;
    while (j < sessions.length && sessions[j].date === sessions[i].date) j++;
    const day = sessions.slice(i, j);
    // A day that does not fit on this card starts the next one, whole.
    if (cur.length && over(cur.length + day.length, bytes + day.reduce((n, s) => n + cost(s), 0))) close(false);
    for (const s of day) {
      // Only a day longer than a card goes on from one card to the next.
      if (cur.length && over(cur.length + 1, bytes + cost(s))) close(true);
      cur.push(s);
      bytes += cost(s);
    }
    i = j;
  }
  if (cur.length || !pages.length) close(false);
  return pages;
}

/** “本周接访安排（2/3）” when a list takes several cards. */
function partTitle(title: string, part?: { index: number; total: number }): string {
  return part && part.total > 1 ? `${title}（${part.index}/${part.total}）` : title;
}

/** The 下一页 button: the value carries where the next cards start (checked again when clicked). */
function nextPageButton(next: { value: Record<string, unknown>; from: IsoDate }): CardElement {
  return button({ text: `下一页（${formatChineseDate(next.from, false)}起）`, type: 'primary', value: next.value });
}

/**
 * Sessions grouped by day, for 今日/本周/下周接访 and 接访安排: one card of a list cut by
 * `sessionPages`; every session given is shown.
 */
export function sessionListCard(opts: {
  title: string; subtitle?: string; sessions: SessionView[]; empty: string;
  /** Dates in a year without holiday data: their sessions are marked 暂定. */
  provisional?: (date: string) => boolean;
  /** Which card of how many; the first day goes on from the card before. */
  part?: { index: number; total: number; continues?: boolean };
  /** More sessions follow on cards not sent yet: a 下一页 button. */
  next?: { value: Record<string, unknown>; from: IsoDate };
}): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!opts.sessions.length) elements.push(markdown(opts.empty));
  let day = '';
  let lines: string[] = [];
  const flush = (first: boolean) => {
    if (lines.length) elements.push(markdown(`**${formatChineseDate(day)}${first && opts.part?.continues ? '（续）' : ''}**\n${lines.join('\n')}`));
    lines = [];
  };
  for (const s of opts.sessions) {
    if (s.date !== day) {
      flush(elements.length === 0);
      day = s.date;
    }
    lines.push(`• ${sessionLine(s, false, opts.provisional?.(s.date) ?? false).replace(/^\*\*[^*]+\*\*/, `**${s.slot} ${s.startTime}—${s.endTime}**`)}`);
  }
  flush(elements.length === 0);
  if (opts.next) elements.push(nextPageButton(opts.next));
  return card({ title: partTitle(opts.title, opts.part), subtitle: opts.subtitle, template: 'blue', elements });
}

/** 我的接访: the leader's coming days, each with buttons to ask for a change (one card of several when there are many). */
export function mySessionsCard(
  leaderName: string, sessions: SessionView[],
  /** Dates in a year without holiday data: their sessions are marked 暂定. */
  provisional?: (date: string) => boolean,
  page?: { index: number; total: number; next?: { value: Record<string, unknown>; from: IsoDate } },
): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!sessions.length) elements.push(markdown('近期没有您的接访安排。'));
  // Called without a page, the card shows the first ones and says where the rest are.
  const shown = page ? sessions : sessions.slice(0, MY_SESSIONS_PER_CARD);
  for (const s of shown) {
    elements.push(markdown(`${sessionLine(s, true, provisional?.(s.date) ?? false)}${s.accompanyUnits.length ? `\n陪同单位：${escapeMd(s.accompanyUnits.join('、'))}` : ''}`));
    if (s.status !== 'cancelled' && s.status !== 'held') {
      elements.push(buttonRow([
        button({ text: '申请改期', value: { action: 'roster.change.form', kind: 'move', sessionId: s.id } }),
        button({ text: '申请对调', value: { action: 'roster.change.form', kind: 'swap', sessionId: s.id } }),
      ]));
    }
  }
  if (sessions.length > shown.length) elements.push(markdown(`另有 ${sessions.length - shown.length} 场（${formatChineseDate(sessions[shown.length].date, false)}起），发送“我的接访”查看全部。`));
  if (page?.next) elements.push(nextPageButton(page.next));
  return card({
    title: partTitle(`${leaderName}的接访安排`, page), subtitle: '需要调整的，可申请改期或与其他领导对调，经管理员批准后生效', elements,
  });
}

/** The form to ask for a new day. */
export function moveFormCard(s: SessionView, minDate: IsoDate): Record<string, unknown> {
  return card({
    title: '申请改期',
    subtitle: `${sessionWhen(s)} ${s.venueName}`,
    elements: [
      form({
        name: 'roster_move',
        elements: [
          datePicker({ name: 'date', label: `新的日期（${formatChineseDate(minDate, false)}及以后的工作日）`, required: true }),
          select({ name: 'slot', label: '时段', options: ['上午', '下午', '全天'], initial: s.slot }),
          input({ name: 'reason', label: '原因', placeholder: '如：参加省里会议', maxLength: 100 }),
        ],
        submit: { text: '提交申请', value: { action: 'roster.change.submit', kind: 'move', sessionId: s.id } },
      }),
    ],
  });
}

/** The form to trade a day with another leader: a choice among their coming sessions. */
export function swapFormCard(s: SessionView, candidates: SessionView[]): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!candidates.length) {
    elements.push(markdown('近期没有可对调的其他领导接访安排。'));
  } else {
    elements.push(form({
      name: 'roster_swap',
      elements: [
        select({
          name: 'other',
          label: '与哪一场对调',
          required: true,
          options: candidates.slice(0, 50).map((c) => ({
            text: `${formatChineseDate(c.date)}${c.slot} ${c.venueName} ${c.leaders.map(leaderLabel).join('、')}`,
            value: String(c.id),
          })),
        }),
        input({ name: 'reason', label: '原因', placeholder: '如：当天需陪同上级检查', maxLength: 100 }),
      ],
      submit: { text: '提交申请', value: { action: 'roster.change.submit', kind: 'swap', sessionId: s.id } },
    }));
  }
  return card({ title: '申请对调', subtitle: `${sessionWhen(s)} ${s.venueName}`, elements });
}

/**
 * Who a request is from, as people read it: the leader, or 「温小禾（登记员）为严晴川」 when someone
 * else (a clerk) filed it in the leader's name.
 */
export function requesterPhrase(r: ChangeRequest, names: (id: string) => string): string {
  if (r.requestedBy === r.leaderId) return names(r.leaderId);
  return `${names(r.requestedBy)}为${names(r.leaderId).replace(/（[^（）]*）$/, '')}`;
}

export function describeRequest(r: ChangeRequest, a: SessionView, b: SessionView | null, names: (id: string) => string): string {
  const who = requesterPhrase(r, names);
  if (r.kind === 'move') {
    return `${who}申请将${sessionWhen(a)}、在${a.venueName}的${a.type}改到${formatChineseDate(r.targetDate!)}${r.targetSlot ?? a.slot}`;
  }
  return `${who}申请将${sessionWhen(a)}、在${a.venueName}的${a.type}与${names(r.otherLeaderId!)}${b ? `${sessionWhen(b)}、在${b.venueName}` : ''}的安排对调`;
}

/** For the admin: one request, with approve and reject. */
export function changeRequestCard(r: ChangeRequest, description: string, problems: string[] = []): Record<string, unknown> {
  const elements: CardElement[] = [
    markdown(escapeMd(description)),
    fields([['原因', r.reason], ['申请编号', r.id]]),
  ];
  if (problems.length) elements.push(markdown(`⚠️ 当前存在冲突：\n${problems.map((p) => `• ${escapeMd(p)}`).join('\n')}`));
  if (r.status === 'pending') {
    elements.push(buttonRow([
      button({ text: '批准', type: 'primary_filled', value: { action: 'roster.change.approve', requestId: r.id } }),
      button({ text: '驳回', type: 'danger', value: { action: 'roster.change.reject', requestId: r.id } }),
    ]));
  } else {
    elements.push(markdown(`已处理：${CHANGE_STATUS_LABELS[r.status]}${r.decisionNote ? `（${escapeMd(r.decisionNote)}）` : ''}`));
  }
  return card({ title: '接访安排调整申请', template: 'orange', elements });
}

export const CHANGE_STATUS_LABELS: Record<ChangeRequest['status'], string> = {
  pending: '待审批', approved: '已批准', rejected: '已驳回', conflict: '因冲突未能调整',
};

/** Told to the leaders and the venue's group when a change takes effect. */
export function changeNoticeCard(opts: { title: string; lines: string[]; template?: 'green' | 'red' | 'orange' | 'blue' }): Record<string, unknown> {
  return card({ title: opts.title, template: opts.template ?? 'green', elements: [markdown(opts.lines.map(escapeMd).join('\n'))] });
}

/** After 生成接访计划. */
export function planSummaryCard(opts: {
  year: number; placed: number; cancelled: number; provisional: boolean; issues: PlanIssue[]; fairness: RuleFairness[];
}): Record<string, unknown> {
  const elements: CardElement[] = [
    fields([['安排场次', opts.placed], ['取消的原安排', opts.cancelled || null]]),
  ];
  if (opts.provisional) {
    elements.push(markdown(`⚠️ 没有 ${opts.year} 年的节假日安排数据，本计划暂按周末推算；国务院办公厅通知发布后，请导入节假日安排并重新生成。`));
  }
  elements.push(markdown(opts.fairness.map((f) => `• ${escapeMd(f.ruleName)}：每人 ${groupRange(f)} 天`).join('\n')));
  const shown = opts.issues.filter((i) => i.kind !== 'empty-period').slice(0, 15);
  const empty = opts.issues.filter((i) => i.kind === 'empty-period').length;
  if (shown.length || empty) {
    elements.push(divider(), markdown(
      `**未能按规则安排或另作安排的：**\n${shown.map((i) => `• ${escapeMd(i.message)}`).join('\n')}` +
      `${empty ? `\n• 另有 ${empty} 个周期全为节假日，不安排` : ''}` +
      `${opts.issues.length - empty > shown.length ? `\n• ……共 ${opts.issues.length - empty} 条，此处只列出前 ${shown.length} 条` : ''}`,
    ));
  }
  return card({ title: `${opts.year} 年接访下访计划已生成`, template: opts.provisional ? 'orange' : 'green', elements });
}

export function groupRange(f: RuleFairness): string {
  const min = Math.min(...f.groups.map((g) => g.min));
  const max = Math.max(...f.groups.map((g) => g.max));
  return min === max ? String(min) : `${min}–${max}`;
}

/** 接访记录 without a session: the recent sessions to pick from. */
export function recordPickCard(sessions: SessionView[], opts: { empty?: string } = {}): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!sessions.length) elements.push(markdown(opts.empty ?? '最近 7 天没有待记录的接访。'));
  const shown = sessions.slice(0, 20);
  for (const s of shown) {
    elements.push(markdown(sessionLine(s, true)));
    elements.push(button({ text: s.outcome ? '修改记录' : '记录情况', value: { action: 'roster.record.form', sessionId: s.id } }));
  }
  if (sessions.length > shown.length) {
    const days = [...new Set(sessions.slice(shown.length).map((s) => formatChineseDate(s.date, false)))];
    elements.push(markdown(`另有 ${sessions.length - shown.length} 场（${days.slice(0, 3).join('、')}${days.length > 3 ? '等' : ''}）：发送“接访记录 日期”（如 接访记录 ${days[0].replace(/^\d+年/, '')}）按天查看。`));
  }
  return card({ title: '接访记录', subtitle: '选择一场接访，记录接待批次、人次', elements });
}

export function recordFormCard(s: SessionView): Record<string, unknown> {
  return card({
    title: '记录接访情况',
    subtitle: `${sessionWhen(s)} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}`,
    elements: [
      form({
        name: 'roster_record',
        elements: [
          input({ name: 'batches', label: '接待批次', required: true, defaultValue: s.outcome ? String(s.outcome.batches) : undefined }),
          input({ name: 'persons', label: '接待人次', required: true, defaultValue: s.outcome ? String(s.outcome.persons) : undefined }),
          input({ name: 'note', label: '情况说明', maxLength: 500, multiline: true, defaultValue: s.outcome?.note ?? undefined }),
        ],
        submit: { text: '保存', value: { action: 'roster.record.submit', sessionId: s.id } },
      }),
    ],
  });
}

export function recordDoneCard(s: SessionView, cases: Array<{ caseNo: string; name: string; category: string }>): Record<string, unknown> {
  const o = s.outcome!;
  const elements: CardElement[] = [
    fields([['时间', sessionWhen(s)], ['地点', s.venueName], ['领导', leadersText(s)], ['接待批次', o.batches], ['接待人次', o.persons], ['情况说明', o.note]]),
    markdown(cases.length
      ? `**当场登记的信访件（${cases.length} 件）：**\n${cases.map((c) => `• ${c.caseNo} ${escapeMd(c.name)} ${escapeMd(c.category)}`).join('\n')}`
      : '当场没有登记信访件（以“领导接访”形式登记、属地相符的信访件会自动关联到本场）。'),
  ];
  return card({ title: '接访情况已记录', template: 'green', elements });
}
