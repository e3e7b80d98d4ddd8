import { formatChineseDate, IsoDate } from '../platform/calendar/domain';
import { CASE_STATUS_LABELS, CaseStatus, DEADLINE_LABELS, DeadlineKind } from '../cases';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { card, CardElement, divider, escapeMd, fields, markdown } from '../platform/cards/card-kit';
import { leaderLabel, leadersText, sessionWhen } from './roster-cards';
import type { SessionView } from './session-view';
import { SessionThirdParty, thirdPartyLabel } from './domain/third-party-rules';

export interface BriefingCase {
  caseNo: string;
  name: string;
  town: string;
  category: string;
  status: string;
  content: string;
  nextDue: IsoDate | null;
  overdueKind?: string;
}

export interface BriefingData {
  session: SessionView;
  /** The session's year has no holiday data: its day is only 暂定. */
  provisional?: boolean;
  /** The day the briefing is written: deadlines before it are overdue. */
  today: IsoDate;
  leaderName: string;
  scope: string;
  counts: { open: number; overdue: number; supervised: number };
  overdue: BriefingCase[];
  supervised: BriefingCase[];
  repeat: Array<{ name: string; count: number; lastCaseNo: string; town: string }>;
  owned: BriefingCase[];
  lastSession: { session: SessionView; caseCount: number } | null;
  /** 第三方力量 at the session (律师, 心理咨询师…): shown with their unit and the phone masked. */
  thirdParties?: SessionThirdParty[];
}

/** 律师：张明远（正衡律师事务所，138****1111）、…; null when nobody is booked. */
export function thirdPartiesText(list: SessionThirdParty[] | undefined, withPhone = true): string | null {
  return list?.length ? list.map((p) => thirdPartyLabel(p, withPhone)).join('、') : null;
}

function caseLine(c: BriefingCase, today: IsoDate): string {
  const status = CASE_STATUS_LABELS[c.status as CaseStatus] ?? c.status;
  const due = c.overdueKind
    ? `，${DEADLINE_LABELS[c.overdueKind as DeadlineKind] ?? '期限'}已于${formatChineseDate(c.nextDue!, false)}届满`
    : c.nextDue && c.nextDue < today ? `，已逾期（期限 ${formatChineseDate(c.nextDue, false)}）`
    : c.nextDue ? `，期限 ${formatChineseDate(c.nextDue, false)}` : '';
  const gist = maskPersonalDataInText(c.content).slice(0, 30);
  return `• ${c.caseNo} ${escapeMd(c.name)}（${escapeMd(c.town)}·${escapeMd(c.category)}）${status}${due}${gist ? `：${escapeMd(gist)}${c.content.length > 30 ? '…' : ''}` : ''}`;
}

function section(title: string, lines: string[], empty: string, more = 0, unit = '件'): CardElement {
  return markdown(`**${title}**\n${lines.length ? lines.join('\n') : empty}${more > 0 ? `\n……另有 ${more} ${unit}` : ''}`);
}

/** Said on a card of a session whose year has no holiday data yet. */
export const PROVISIONAL_SESSION_NOTE = '〔暂定〕该年节假日安排尚未导入，本场按周末推算排定，如遇放假将调整。';

/**
 * The card a leader gets the working day before a session. `forLeader` false: read by someone else
 * (a clerk preparing the day), so the 包案 list is named for the leader, not 「您」.
 */
export function briefingCard(d: BriefingData, limit = 5, forLeader = true): Record<string, unknown> {
  const s = d.session;
  const others = s.leaders.filter((l) => l.name !== d.leaderName);
  const elements: CardElement[] = [
    ...(d.provisional ? [markdown(PROVISIONAL_SESSION_NOTE)] : []),
    fields([
      ['时间', sessionWhen(s)],
      ['地点', `${s.venueName}${s.venueAddress ? `（${s.venueAddress}）` : ''}`],
      ['类型', s.type],
      ['同场领导', others.map(leaderLabel).join('、') || null],
      ['陪同单位', s.accompanyUnits.join('、') || '（未指定）'],
      ['第三方力量', thirdPartiesText(d.thirdParties)],
      ['接访重点', s.focus],
    ]),
    divider(),
    markdown(`**${escapeMd(d.scope)}信访概况**：在办 ${d.counts.open} 件，逾期 ${d.counts.overdue} 件，挂牌督办 ${d.counts.supervised} 件`),
    section('逾期未办结', d.overdue.slice(0, limit).map((c) => caseLine(c, d.today)), '无', d.counts.overdue - Math.min(d.overdue.length, limit)),
    section('挂牌督办', d.supervised.slice(0, limit).map((c) => caseLine(c, d.today)), '无', d.counts.supervised - Math.min(d.supervised.length, limit)),
    section(
      '重复来访人员',
      d.repeat.slice(0, limit).map((r) => `• ${escapeMd(r.name)}（${escapeMd(r.town)}）共 ${r.count} 件，最近一件 ${r.lastCaseNo}`),
      '无',
      d.repeat.length - Math.min(d.repeat.length, limit),
      '人',
    ),
    section(forLeader ? '您包案的信访件' : `${escapeMd(d.leaderName)}包案的信访件`, d.owned.slice(0, limit).map((c) => caseLine(c, d.today)), '无', d.owned.length - Math.min(d.owned.length, limit)),
    divider(),
    markdown(d.lastSession
      ? `**上次在此接访**：${formatChineseDate(d.lastSession.session.date)}，${escapeMd(d.lastSession.session.leaders.map(leaderLabel).join('、'))}，` +
        (d.lastSession.session.outcome
          ? `接待 ${d.lastSession.session.outcome.batches} 批 ${d.lastSession.session.outcome.persons} 人次，登记信访件 ${d.lastSession.caseCount} 件` +
            `${d.lastSession.session.outcome.note ? `。${escapeMd(maskPersonalDataInText(d.lastSession.session.outcome.note))}` : ''}`
          : '未记录接访情况')
      : '**上次在此接访**：此前没有在此地点接访的记录'),
  ];
  return card({ title: `接访提示：${formatChineseDate(s.date)}${s.slot}`, subtitle: `${d.leaderName}，请提前做好准备`, template: 'turquoise', elements });
}

/** The reminder to the venue's group. */
export function venueReminderCard(s: SessionView, provisional = false, thirdParties?: SessionThirdParty[]): Record<string, unknown> {
  return card({
    title: `接访提醒：${formatChineseDate(s.date)} ${s.venueName}`,
    template: 'wathet',
    elements: [
      ...(provisional ? [markdown(PROVISIONAL_SESSION_NOTE)] : []),
      fields([
        ['时间', sessionWhen(s)],
        ['领导', leadersText(s)],
        ['类型', s.type],
        ['陪同单位', s.accompanyUnits.join('、') || '（未指定）'],
        // A group chat: who comes, never their phone.
        ['第三方力量', thirdPartiesText(thirdParties, false)],
        ['接访重点', s.focus],
      ]),
      markdown('请提前准备接待场地、登记台账，通知陪同单位准时到场；接访结束后发送“接访记录”登记接待情况。'),
    ],
  });
}
