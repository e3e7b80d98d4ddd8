import type { Knex } from 'knex';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import type { CalendarChange, CalendarChangeReport, Core } from '../platform/core/feature';
import { FollowResult, followCalendar, restDayWhy, RosterRules } from './domain';
import { sendPlanNotices } from './plan-notices';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import type { SessionView } from './session-view';
import { recheckThirdParties } from './third-party-service';

/**
 * The plan follows the calendar (a holiday import, roster's onCalendarChange): coming sessions on
 * days that became rest days move within what their rule allows, keeping id, number and UID (the
 * SEQUENCE rises, the status becomes changed); each leader and venue group is told once of all
 * theirs; a year now known stops being provisional. All in the import's transaction.
 */
export class PlanFollow {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  async onCalendarChange(change: CalendarChange, trx: Knex.Transaction): Promise<CalendarChangeReport> {
    const today = shanghaiDate(change.now);
    const years = [...new Set(change.changedDays.map((d) => Number(d.slice(0, 4))))].filter((y) => y >= Number(today.slice(0, 4)));
    const sessions = years.length
      ? await this.store.sessions.listSessions({ from: today, to: `${Math.max(...years)}-12-31` }, trx)
      : [];
    const { rules, rulesNote } = this.readRules();
    const follow = followCalendar({
      sessions: sessions.map((s) => ({
        id: s.id, date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, venueId: s.venueId,
        leaderIds: s.leaders.map((l) => l.id), ruleId: s.ruleId, status: s.status,
      })),
      changedDays: change.changedDays, calendar: change.after, today, rules,
      unavailability: await this.store.leaders.listUnavailability({ from: today }, trx),
    });
    const byId = new Map(sessions.map((s) => [s.id, s]));
    for (const m of follow.moved) await this.store.sessions.updateSession(trx, m.session.id, { date: m.to, status: 'changed' }, change.now);
    const third = await recheckThirdParties(trx, follow.moved.map((m) => m.session.id), 'holidays-import', '节假日调整改期后重新核对', change.now);
    // A session left on a rest day would stand in the public schedule as if the office were open: cancelled, and said.
    const cancelled = follow.stuck.map((s) => s.session.id);
    if (cancelled.length) await this.store.sessions.cancelSessions(trx, cancelled, '节假日安排导入后该日为假日，未能改期，已取消', change.now);
    const notified = await this.tell(change, trx, follow, byId);
    const final = await this.makeFinal(change, trx);
    const lines = [
      follow.moved.length || follow.stuck.length
        ? `遇节假日的接访 ${follow.moved.length + follow.stuck.length} 场：改期 ${follow.moved.length} 场，无法改期而取消 ${follow.stuck.length} 场${notified ? `；已通知领导和接访点 ${notified} 条` : ''}。`
        : '没有接访安排落在新的节假日上。',
      ...stuckAdvice(follow),
      ...(rulesNote ? [rulesNote] : []),
      ...follow.moved.map((m) => `${brief(byId.get(m.session.id)!)} → ${formatChineseDate(m.to)}（${restDayWhy(m.session.date, change.after)}）`),
      ...follow.stuck.map((s) => `${brief(byId.get(s.session.id)!)}：已取消（${restDayWhy(s.session.date, change.after)}；${s.reason}；编号 ${s.session.id}）`),
      ...third,
      ...final.lines,
    ];
    return {
      title: '接访安排',
      counts: {
        onRestDays: follow.moved.length + follow.stuck.length, moved: follow.moved.length, cancelled: follow.stuck.length,
        madeFinal: final.sessions, plansMadeFinal: final.plans, notified, thirdPartiesDropped: third.length,
      },
      lines,
    };
  }

  /** The rules, or null (with a line for the report) when the file cannot be read: sessions then move as ones without a rule. */
  private readRules(): { rules: RosterRules | null; rulesNote: string | null } {
    try {
      return { rules: this.rules.load(), rulesNote: null };
    } catch (e) {
      return { rules: null, rulesNote: `排班规则无法读取（${(e as Error).message}），各场按同一周、否则同一月内就近改期。` };
    }
  }

  /** One card to each leader and each venue group concerned, listing all their moved and cancelled sessions. */
  private async tell(change: CalendarChange, trx: Knex.Transaction, follow: FollowResult, byId: Map<number, SessionView>): Promise<number> {
    if (!follow.moved.length && !follow.stuck.length) return 0;
    const cancelledNotices = follow.stuck.map((x) => {
      const s = byId.get(x.session.id)!;
      return {
        leaderIds: s.leaders.map((l) => l.id), venueIds: [s.venueId],
        line: `${formatChineseDate(s.date)}${s.slot} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}，已取消（${restDayWhy(s.date, change.after)}，${x.reason}）`,
      };
    });
    const movedNotices = follow.moved.map((m) => {
      const s = byId.get(m.session.id)!;
      return {
        leaderIds: s.leaders.map((l) => l.id), venueIds: [s.venueId],
        line: `${formatChineseDate(s.date)}${s.slot} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}，改到 ${formatChineseDate(m.to)}${s.slot}（${restDayWhy(s.date, change.after)}）`,
      };
    });
    return sendPlanNotices(this.core, this.store.leaders, trx, [...movedNotices, ...cancelledNotices], {
      title: '接访安排因节假日调整',
      intro: '新一年的节假日安排已导入，以下接访遇节假日：能改期的已改到就近的工作日（编号不变，已订阅的日历会自动更新），按规则无法改期的已取消：',
      source: `roster-follow:${change.now.toISOString()}`,
      now: change.now,
    });
  }

  /** The plans of the years the import declares complete stop being provisional. */
  private async makeFinal(change: CalendarChange, trx: Knex.Transaction): Promise<{ plans: number; sessions: number; lines: string[] }> {
    const out = { plans: 0, sessions: 0, lines: [] as string[] };
    for (const year of change.years) {
      if (!(await this.store.sessions.markPlanFinal(trx, year))) continue;
      const n = await this.store.sessions.countSessions(year, trx);
      out.plans++;
      out.sessions += n;
      out.lines.push(`${year} 年接访下访计划由暂定转为正式（${n} 场）。`);
    }
    return out;
  }
}

/** What the admin can do with the sessions that could not move, once for each kind. */
export function stuckAdvice(follow: Pick<FollowResult, 'stuck'>): string[] {
  const noDays = follow.stuck.filter((s) => s.kind === 'no-day');
  const noDay = noDays.length;
  const years = [...new Set(noDays.map((s) => s.session.date.slice(0, 4)))];
  const busy = follow.stuck.length - noDay;
  const out: string[] = [];
  if (noDay) {
    out.push(
      `其中 ${noDay} 场所在的周期（周或月）全为假日（${years.join('、')} 年），按规则该期无须接访，已取消。`,
    );
  }
  if (busy) out.push(`${noDay ? '另有' : '其中'} ${busy} 场在规则允许的日期内找不到领导有空的一天，已取消：如需补排，请管理员导入补充的场次，或用“调整接访”另行安排。`);
  return out;
}

/** 2027年2月8日（周一）上午 张三 县群众来访接待中心 */
export function brief(s: Pick<SessionView, 'date' | 'slot' | 'leaders' | 'venueName'>): string {
  return `${formatChineseDate(s.date)}${s.slot} ${s.leaders.map((l) => l.name).join('、')} ${s.venueName}`;
}
