import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, InvalidDateError, IsoDate, parseIsoDate, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { ChangeContext, checkMove, RosterRule, Unavailability } from './domain';
import { deputyProblems, leaveOn, moveCandidates, moveWindow } from './domain/leave-options';
import type { ChangeRequests } from './change-requests';
import { addLeave } from './leave';
import { leaveOffersCard } from './leave-cards';
import { people, sendCard, Target, venueTargets } from './notice-targets';
import { changeNoticeCard, leaderLabel, sessionWhen } from './roster-cards';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toLike } from './session-view';
import type { LeaveImpactReport } from './leave-view';
import type { Db } from './store-rows';
import { recheckThirdParties } from './third-party-service';

const LIVE = (s: SessionView) => s.status !== 'cancelled' && s.status !== 'held';

/** 由代班领导接访 with nobody to step in (a chat button): what the admin can do there and then. */
export function noDeputyReply(leaderName: string): string {
  return `${leaderName}没有可用的代班领导，请选择改期；如需代班，可重新发送“请假登记 ${leaderName} 日期 代班 代班领导姓名”，或请管理员为其登记默认代班领导。`;
}

/**
 * Leave after planning (plan leave, 请假登记): the leave is recorded, the sessions already
 * planned in it are listed, and the admin is offered, per session, the deputy or a move to a
 * free day the rule allows. Nothing moves without the admin's click; a click is checked again
 * (the card may be old), keeps the session's number and UID, raises SEQUENCE and tells the
 * leaders and the venue's group through the outbox.
 */
export class LeaveImpact {
  constructor(
    private readonly core: Core,
    private readonly store: RosterStore,
    private readonly rules: RulesFile,
    private readonly changes: ChangeRequests,
  ) {}

  /** Records the leave and says what it touches; with `notifyAdmins`, the card goes to each admin in one transaction with the leave. */
  async record(u: Unavailability, opts: { notifyAdmins: boolean }, now = this.core.now()): Promise<LeaveImpactReport> {
    const admins = opts.notifyAdmins ? await this.core.users.listByRole('admin') : [];
    return runTransaction(this.core.db, async (trx) => {
      const leave = await addLeave(this.store.leaders, u, now, trx);
      const report = await this.impact(leave, now, trx);
      if (admins.length && report.offers.length) {
        await sendCard(trx, people(admins.map((a) => a.id)), leaveOffersCard(report), `roster-leave:${leave.leaderId}:${leave.from}`, now);
        report.sentTo = admins.length;
      }
      return report;
    });
  }

  /** The sessions of the leave's leader planned in it (from today on), each with its offers. */
  async impact(leave: Unavailability, now: Date, db: Db = this.core.db): Promise<LeaveImpactReport> {
    const today = shanghaiDate(now);
    const leader = await this.store.leaders.getLeader(leave.leaderId, db);
    if (!leader) throw new NotFoundError(`没有领导“${leave.leaderId}”`);
    const from = leave.from > today ? leave.from : today;
    const sessions = from > leave.to ? [] : (await this.store.sessions.listSessions({ leaderId: leader.id, from, to: leave.to }, db)).filter(LIVE);
    const deputyId = leave.deputyId ?? leader.deputyId;
    const found = deputyId ? await this.store.leaders.getLeader(deputyId, db) : null;
    const deputy = found?.active ? { id: found.id, name: found.name, title: found.title } : null;
    const report: LeaveImpactReport = { leave, leader, deputy, offers: [], sentTo: 0 };
    if (!sessions.length) return report;
    const involved = new Set([...sessions.flatMap((s) => s.leaders.map((l) => l.id)), ...(deputy ? [deputy.id] : [])]);
    const ctx = await this.changes.changeContext(today, db, [...involved]);
    const rules = this.ruleIndex();
    for (const s of sessions) {
      const window = moveWindow(s.date, rules.get(s.ruleId ?? '') ?? null);
      report.offers.push({
        session: s,
        deputy,
        deputyProblems: deputy ? deputyProblems(toLike(s), leader.id, deputy.id, ctx) : [],
        moveTo: moveCandidates(toLike(s), window, ctx)[0] ?? null,
        window,
        provisional: !this.core.calendar.calendar.isKnown(s.date),
      });
    }
    return report;
  }

  /** 由代班领导接访: the leave's (or the leader's) deputy takes the leader's place, marked 代班. */
  async deputize(user: User, sessionId: number, leaderId: string, now = this.core.now()): Promise<string> {
    const s0 = await this.before(user, sessionId);
    const today = shanghaiDate(now);
    return runTransaction(this.core.db, async (trx) => {
      const { s, leader, leave } = await this.onLeave(trx, sessionId, leaderId);
      const deputyId = leave.deputyId ?? leader.deputyId;
      const deputy = deputyId ? await this.store.leaders.getLeader(deputyId, trx) : null;
      if (!deputy?.active) throw new UserError(noDeputyReply(leader.name));
      await this.store.leaders.lockLeaders(trx, [leader.id, deputy.id]);
      const ctx = await this.changes.changeContext(today, trx, [leader.id, deputy.id]);
      const problems = deputyProblems(toLike(s), leader.id, deputy.id, ctx);
      if (problems.length) throw new UserError(`无法由代班领导接访：\n${problems.map((p) => `• ${p}`).join('\n')}`);
      const why = `${leader.name}${leave.reason ?? '请假'}`;
      await this.store.sessions.replaceLeader(trx, s.id, leader.id, deputy.id, leader.id);
      await this.store.sessions.updateSession(trx, s.id, { status: 'changed', note: `${deputy.name}代${leader.name}接访（${why}）` }, now);
      const lines = [`${sessionWhen(s)} ${s.venueName}的${s.type}`, `${why}，改由${leaderLabel(deputy)}代班接访`];
      await this.tell(trx, s0.targets, [leader.id, deputy.id, ...s.leaders.map((l) => l.id)], lines, `roster-leave-deputy:${s.id}`, now);
      return `已改由${leaderLabel(deputy)}代班接访，并通知了相关领导和接访点：\n${lines.join('\n')}`;
    });
  }

  /** 改期: the session moves to `dateText`, which must still be a free day its rule allows. */
  async move(user: User, sessionId: number, leaderId: string, dateText: string, now = this.core.now()): Promise<string> {
    const date = parseDate(dateText);
    const s0 = await this.before(user, sessionId);
    const today = shanghaiDate(now);
    return runTransaction(this.core.db, async (trx) => {
      await this.store.leaders.lockLeaders(trx, s0.session.leaders.map((l) => l.id));
      const { s, leader, leave } = await this.onLeave(trx, sessionId, leaderId);
      const ctx = await this.changes.changeContext(today, trx, s.leaders.map((l) => l.id));
      this.checkMoveTo(s, date, ctx);
      await this.store.sessions.updateSession(trx, s.id, { date, status: 'changed' }, now);
      const third = await recheckThirdParties(trx, [s.id], user.id, '领导请假改期后重新核对', now);
      const lines = [`${s.leaders.map((l) => l.name).join('、')}在${s.venueName}的${s.type}`, `原定：${sessionWhen(s)}`, `改为：${sessionWhen({ ...s, date })}`, ...third];
      const why = `原因：${leader.name}${leave.reason ?? '请假'}`;
      await this.tell(trx, s0.targets, s.leaders.map((l) => l.id), [...lines, why], `roster-leave-move:${s.id}`, now);
      return `已改期，并通知了相关领导和接访点：\n${lines.join('\n')}`;
    });
  }

  /** Outside the transaction (SQLite has one connection): who may click, the venue's groups, no pending 调整接访. */
  private async before(user: User, sessionId: number): Promise<{ session: SessionView; targets: Target[] }> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以处理请假期间的接访');
    const session = await this.store.sessions.requireSession(sessionId);
    const pending = (await this.store.changes.listChangeRequests('pending'))
      .find((r) => r.sessionId === session.id || r.otherSessionId === session.id);
    if (pending) throw new UserError(`编号 ${session.id} 的接访有待审批的调整申请（申请编号 ${pending.id}），请先在“接访审批”中处理`);
    return { session, targets: await venueTargets(this.core, this.store.leaders, [session.venueId]) };
  }

  /** The session, read again: still the leader's, still live, and its day still in the leader's leave. */
  private async onLeave(trx: Knex.Transaction, sessionId: number, leaderId: string) {
    const s = await this.store.sessions.requireSession(sessionId, trx);
    const leader = await this.store.leaders.getLeader(leaderId, trx);
    if (!leader) throw new NotFoundError(`没有领导“${leaderId}”`);
    if (s.status === 'cancelled' || s.status === 'held') throw new UserError(`编号 ${s.id} 的接访${s.status === 'held' ? '已举行' : '已取消'}，无需调整`);
    if (!s.leaders.some((l) => l.id === leader.id)) throw new UserError(`编号 ${s.id} 的接访已不由${leader.name}接访（现为 ${s.leaders.map(leaderLabel).join('、') || '未定'}），无需调整`);
    const leave = leaveOn(await this.store.leaders.listUnavailability({ from: s.date, to: s.date }, trx), leader.id, s.date);
    if (!leave) throw new UserError(`编号 ${s.id} 的接访在${formatChineseDate(s.date)}，不在${leader.name}的请假期间，无需调整`);
    return { s, leader, leave };
  }

  private checkMoveTo(s: SessionView, date: IsoDate, ctx: ChangeContext): void {
    const window = moveWindow(s.date, this.ruleIndex().get(s.ruleId ?? '') ?? null);
    if (date < window.start || date > window.end) {
      throw new UserError(`${formatChineseDate(date)}不在这场接访规则允许的${window.label}内（${window.span}）`);
    }
    const target = { date, slot: s.slot, startTime: s.startTime, endTime: s.endTime };
    const problems = checkMove(toLike(s), target, ctx);
    if (!moveCandidates(toLike(s), window, ctx).includes(date) && !problems.length) problems.push(`${formatChineseDate(date)}不是这场接访规则允许的日子`);
    if (problems.length) throw new UserError(`无法改期：\n${problems.map((p) => `• ${p}`).join('\n')}`);
  }

  private async tell(trx: Knex.Transaction, venues: Target[], leaderIds: string[], lines: string[], source: string, now: Date): Promise<void> {
    await sendCard(trx, [...people(leaderIds), ...venues], changeNoticeCard({ title: '接访安排已调整', lines }), source, now);
  }

  /** The rules by id; none when the rules file cannot be read (a session then moves within its month). */
  private ruleIndex(): Map<string, RosterRule> {
    try {
      return new Map(this.rules.load().rules.map((r) => [r.id, r]));
    } catch {
      return new Map();
    }
  }
}

function parseDate(text: string): IsoDate {
  try {
    return parseIsoDate(text);
  } catch (e) {
    if (e instanceof InvalidDateError) throw new UserError(`新的${e.message}`);
    throw e;
  }
}
