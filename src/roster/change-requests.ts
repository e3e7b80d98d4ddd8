import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { InvalidDateError, IsoDate, parseIsoDate, shanghaiDate, shanghaiTime } from '../platform/calendar/domain';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { ChangeContext, checkMove, checkSwap, SessionLike, Slot, SLOTS } from './domain';
import type { ChangeRequest, NewChangeRequest } from './change-request-store';
import { CHANGE_STATUS_LABELS, changeNoticeCard, changeRequestCard, describeRequest, sessionWhen } from './roster-cards';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toLike } from './session-view';
import { approverTargets, people, sendCard, Target, venueTargets } from './notice-targets';
import { clip } from './free-text';
import type { Db } from './store-rows';

type Decision = { status: ChangeRequest['status']; message: string };

/**
 * 调整接访: a leader asks to move a reception day to another date, or to swap it with another
 * leader's; the admin approves (the change then takes effect and everyone concerned is told) or
 * rejects. Also 取消接访: the admin cancels a session.
 */
export class ChangeRequests {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  /** Asks to move session `sessionId` to `dateText` (and `slot`, else the same one). */
  async requestMove(user: User, sessionId: number, dateText: string, slot: Slot | undefined, reason: string | null, now = this.core.now()) {
    const s = await this.store.sessions.requireSession(sessionId);
    const leaderId = this.actingLeader(user, s);
    let date: IsoDate;
    try {
      date = parseIsoDate(dateText);
    } catch (e) {
      if (e instanceof InvalidDateError) throw new UserError(`新的${e.message}`);
      throw e;
    }
    if (slot !== undefined && !SLOTS.includes(slot)) throw new UserError(`时段“${slot}”无效，可选：上午、下午、全天`);
    const target = { date, slot: slot ?? s.slot, ...this.rules.slotTimes(slot ?? s.slot) };
    if (target.slot === s.slot) Object.assign(target, { startTime: s.startTime, endTime: s.endTime });
    const ctx = await this.changeContext(shanghaiDate(now), this.core.db, s.leaders.map((l) => l.id));
    const problems = checkMove(toLike(s), target, ctx);
    if (problems.length) throw new UserError(`无法申请改期：\n${problems.map((p) => `• ${p}`).join('\n')}`);
    return this.fileRequest({
      kind: 'move', sessionId: s.id, leaderId, requestedBy: user.id, targetDate: date, targetSlot: target.slot,
      otherSessionId: null, otherLeaderId: null, reason: clip(reason, 200),
    }, s, null, now);
  }

  /** Asks to swap session `sessionId` with `otherSessionId`: each one's leader takes the other's day. */
  async requestSwap(user: User, sessionId: number, otherSessionId: number, reason: string | null, now = this.core.now()) {
    const a = await this.store.sessions.requireSession(sessionId);
    const leaderA = this.actingLeader(user, a);
    const b = await this.store.sessions.requireSession(otherSessionId);
    const leaderB = b.leaders.find((l) => l.id !== leaderA)?.id;
    if (!leaderB) throw new UserError(`编号 ${b.id} 的接访没有可对调的其他领导`);
    const ctx = await this.changeContext(shanghaiDate(now), this.core.db, [leaderA, leaderB]);
    const problems = checkSwap(toLike(a), leaderA, toLike(b), leaderB, ctx);
    if (problems.length) throw new UserError(`无法申请对调：\n${problems.map((p) => `• ${p}`).join('\n')}`);
    return this.fileRequest({
      kind: 'swap', sessionId: a.id, leaderId: leaderA, requestedBy: user.id, targetDate: null, targetSlot: null,
      otherSessionId: b.id, otherLeaderId: leaderB, reason: clip(reason, 200),
    }, a, b, now);
  }

  /** 接访审批: the pending requests, each with the conflicts it would meet today. */
  async pendingRequests(): Promise<Array<{ request: ChangeRequest; description: string; problems: string[] }>> {
    const names = await this.leaderNames();
    const out = [];
    const today = shanghaiDate(this.core.now());
    for (const r of await this.store.changes.listChangeRequests('pending')) {
      const a = await this.store.sessions.getSession(r.sessionId);
      const b = r.otherSessionId ? await this.store.sessions.getSession(r.otherSessionId) : null;
      if (!a) continue;
      out.push({ request: r, description: describeRequest(r, a, b, names), problems: await this.problemsOf(r, a, b, today, this.core.db) });
    }
    return out;
  }

  /**
   * The admin's decision. On approval the conflicts are checked again inside the transaction;
   * if the plan changed meanwhile the request closes as 'conflict' and nothing moves. Either way
   * the people concerned are told through the outbox, in the same transaction.
   */
  async decide(user: User, requestId: number, approve: boolean, note: string | null, now = this.core.now()): Promise<Decision> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以审批接访调整');
    const r = await this.store.changes.getChangeRequest(requestId);
    if (!r) throw new NotFoundError(`没有编号为 ${requestId} 的调整申请`);
    if (r.status !== 'pending') throw new UserError(`该申请${CHANGE_STATUS_LABELS[r.status]}，无需重复处理`);
    const a0 = await this.store.sessions.requireSession(r.sessionId);
    const b0 = r.otherSessionId ? await this.store.sessions.requireSession(r.otherSessionId) : null;
    const names = await this.leaderNames();
    const description = describeRequest(r, a0, b0, names);
    const told = people([r.requestedBy, r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : [])]);
    const venues = await venueTargets(this.core, this.store.leaders, [a0.venueId, ...(b0 ? [b0.venueId] : [])]);
    const today = shanghaiDate(now);
    const close = async (trx: Knex.Transaction, status: Exclude<ChangeRequest['status'], 'pending'>, decisionNote: string | null) => {
      if (!(await this.store.changes.decideChangeRequest(trx, r.id, status, user.id, decisionNote, now))) throw new UserError('该申请已被处理');
    };
    const send = (trx: Knex.Transaction, targets: Target[], content: Record<string, unknown>) => sendCard(trx, targets, content, `roster-change:${r.id}`, now);

    return runTransaction(this.core.db, async (trx) => {
      if (!approve) {
        await close(trx, 'rejected', clip(note, 500));
        await send(trx, told, changeNoticeCard({ title: '接访调整申请未获批准', template: 'red', lines: [description, ...(note ? [`说明：${note}`] : [])] }));
        return { status: 'rejected' as const, message: `已驳回：${description}` };
      }
      await this.store.leaders.lockLeaders(trx, [r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : [])]);
      const a = await this.store.sessions.requireSession(r.sessionId, trx);
      const b = r.otherSessionId ? await this.store.sessions.requireSession(r.otherSessionId, trx) : null;
      const problems = await this.problemsOf(r, a, b, today, trx);
      if (problems.length) {
        await close(trx, 'conflict', problems.join('；'));
        await send(trx, told, changeNoticeCard({ title: '接访调整未能生效', template: 'red', lines: [description, '审批时发现冲突：', ...problems] }));
        return { status: 'conflict' as const, message: `无法调整，存在冲突：\n${problems.map((p) => `• ${p}`).join('\n')}\n申请已关闭，已通知申请人。` };
      }
      await close(trx, 'approved', clip(note, 500));
      const lines = r.kind === 'move' ? await this.applyMove(trx, r, a, now) : await this.applySwap(trx, r, a, b!, names, now);
      await send(trx, [...told, ...venues], changeNoticeCard({ title: '接访安排已调整', lines: [...lines, ...(r.reason ? [`原因：${r.reason}`] : [])] }));
      return { status: 'approved' as const, message: `已批准并通知相关领导和接访点：\n${lines.join('\n')}` };
    });
  }

  /** Cancels a session: kept with status cancelled (calendars show it so), everyone concerned told. */
  async cancel(user: User, sessionId: number, reason: string | null, now = this.core.now()): Promise<SessionView> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以取消接访');
    const s = await this.store.sessions.requireSession(sessionId);
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已经取消`);
    if (s.status === 'held') throw new UserError(`编号 ${s.id} 的接访已举行，不能取消`);
    const targets = [...people(s.leaders.map((l) => l.id)), ...(await venueTargets(this.core, this.store.leaders, [s.venueId]))];
    const pending = await this.pendingFor([s.id]);
    await runTransaction(this.core.db, async (trx) => {
      await this.store.sessions.updateSession(trx, s.id, { status: 'cancelled', note: clip(reason, 200) ?? s.note }, now);
      if (pending) await this.store.changes.decideChangeRequest(trx, pending.id, 'rejected', user.id, '接访已取消', now);
      const content = changeNoticeCard({
        title: '接访已取消', template: 'red',
        lines: [`${sessionWhen(s)} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}已取消`, ...(reason ? [`原因：${reason}`] : [])],
      });
      await sendCard(trx, targets, content, `roster-cancel:${s.id}`, now);
    });
    return (await this.store.sessions.getSession(s.id))!;
  }

  /** An approved move: the session takes its new day (and the slot's hours when the slot changes). */
  private async applyMove(trx: Knex.Transaction, r: ChangeRequest, a: SessionView, now: Date): Promise<string[]> {
    const after = { date: r.targetDate!, slot: r.targetSlot as Slot, ...this.targetTimes(r, a) };
    await this.store.sessions.updateSession(trx, a.id, { ...after, status: 'changed' }, now);
    return [`${a.leaders.map((l) => l.name).join('、')}在${a.venueName}的${a.type}`, `原定：${sessionWhen(a)}`, `改为：${sessionWhen(after)}`];
  }

  /** An approved swap: each session takes the other's leader. */
  private async applySwap(trx: Knex.Transaction, r: ChangeRequest, a: SessionView, b: SessionView, names: (id: string) => string, now: Date): Promise<string[]> {
    await this.store.sessions.replaceLeader(trx, a.id, r.leaderId, r.otherLeaderId!);
    await this.store.sessions.replaceLeader(trx, b.id, r.otherLeaderId!, r.leaderId);
    await this.store.sessions.updateSession(trx, a.id, { status: 'changed' }, now);
    await this.store.sessions.updateSession(trx, b.id, { status: 'changed' }, now);
    return [
      `${sessionWhen(a)} ${a.venueName}：改由${names(r.otherLeaderId!)}接访`,
      `${sessionWhen(b)} ${b.venueName}：改由${names(r.leaderId)}接访`,
    ];
  }

  private targetTimes(r: ChangeRequest, a: SessionView): { startTime: string; endTime: string } {
    return r.targetSlot === a.slot ? { startTime: a.startTime, endTime: a.endTime } : this.rules.slotTimes(r.targetSlot as Slot);
  }

  private async fileRequest(r: NewChangeRequest, a: SessionView, b: SessionView | null, now: Date): Promise<{ request: ChangeRequest; description: string }> {
    const pending = await this.pendingFor([a.id, ...(b ? [b.id] : [])]);
    if (pending) throw new UserError(`相关接访已有待审批的调整申请（申请编号 ${pending.id}），请等管理员处理后再申请`);
    const names = await this.leaderNames();
    const approvers = await approverTargets(this.core);
    const id = await runTransaction(this.core.db, async (trx) => {
      const newId = await this.store.changes.createChangeRequest(trx, r, now);
      const request = (await this.store.changes.getChangeRequest(newId, trx))!;
      await sendCard(trx, approvers, changeRequestCard(request, describeRequest(request, a, b, names)), `roster-change:${newId}`, now);
      return newId;
    });
    const request = (await this.store.changes.getChangeRequest(id))!;
    return { request, description: describeRequest(request, a, b, names) };
  }

  private async problemsOf(r: ChangeRequest, a: SessionView, b: SessionView | null, today: IsoDate, db: Db): Promise<string[]> {
    if (r.kind === 'move') {
      const ctx = await this.changeContext(today, db, a.leaders.map((l) => l.id));
      return checkMove(toLike(a), { date: r.targetDate!, slot: r.targetSlot as Slot, ...this.targetTimes(r, a) }, ctx);
    }
    if (!b) return [`对调的接访（编号 ${r.otherSessionId}）已不存在`];
    const ctx = await this.changeContext(today, db, [r.leaderId, r.otherLeaderId!]);
    return checkSwap(toLike(a), r.leaderId, toLike(b), r.otherLeaderId!, ctx);
  }

  /** The leader on whose behalf `user` acts in session `s`: themselves, or for an admin the first leader. */
  private actingLeader(user: User, s: SessionView): string {
    if (s.leaders.some((l) => l.id === user.id)) return user.id;
    if (user.role === 'admin' && s.leaders.length) return s.leaders[0].id;
    throw new ForbiddenError(`编号 ${s.id} 的接访不是您的安排，只能调整自己的接访`);
  }

  /** What the conflict checks need: the leaders' coming sessions, leave and names, and the calendar (also for leave-impact.ts). */
  async changeContext(today: IsoDate, db: Db, leaderIds: string[]): Promise<ChangeContext> {
    const lists = await Promise.all(leaderIds.map((id) => this.store.sessions.listSessions({ leaderId: id, from: today }, db)));
    const seen = new Set<number>();
    const sessions: SessionLike[] = [];
    for (const s of lists.flat()) if (!seen.has(s.id) && seen.add(s.id)) sessions.push(toLike(s));
    const leaders = await this.store.leaders.listLeaders({}, db);
    const names = new Map(leaders.map((l) => [l.id, l.name]));
    return {
      calendar: this.core.calendar.calendar,
      today,
      // Only meaningful when today is the real today (not a date handed in for a check).
      nowTime: today === shanghaiDate(this.core.now()) ? shanghaiTime(this.core.now()) : undefined,
      sessions,
      unavailability: await this.store.leaders.listUnavailability({ from: today }, db),
      leaderName: (id) => names.get(id) ?? id,
    };
  }

  private async pendingFor(sessionIds: number[]): Promise<ChangeRequest | undefined> {
    return (await this.store.changes.listChangeRequests('pending')).find(
      (r) => sessionIds.includes(r.sessionId) || (r.otherSessionId !== null && sessionIds.includes(r.otherSessionId)),
    );
  }

  private async leaderNames(): Promise<(id: string) => string> {
    const leaders = await this.store.leaders.listLeaders();
    const m = new Map(leaders.map((l) => [l.id, `${l.name}（${l.title}）`]));
    return (id) => m.get(id) ?? id;
  }
}
