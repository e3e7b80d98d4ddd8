import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { InvalidDateError, IsoDate, parseIsoDate, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { ROLE_NAMES, User } from '../platform/directory/user-store';
import { ChangeContext, checkSwap, Slot } from './domain';
import type { ChangeRequest, NewChangeRequest } from './change-request-store';
import { CHANGE_STATUS_LABELS, changeNoticeCard, changeRequestCard, describeRequest, requesterPhrase, sessionWhen } from './roster-cards';
import { SessionMoves } from './session-move';
import { SessionCancels } from './session-cancel';
import { loadChangeContext } from './change-context';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toLike } from './session-view';
import { approverTargets, people, sendCard, Target, venueTargets } from './notice-targets';
import { clip } from './free-text';
import type { Db } from './store-rows';

type Decision = { status: ChangeRequest['status']; message: string };

/**
 * 调整接访: a leader asks to move a reception day to another date, to swap it with another
 * leader's, or to hand it to another leader; the admin approves (the change then takes effect and
 * everyone concerned is told) or rejects with a reason. The admin's own direct changes are
 * `moves` (改到, 换成) and `cancels` (取消接访, 恢复接访).
 */
export class ChangeRequests {
  /** 调整接访 by the admin: moved or reassigned at once. */
  readonly moves: SessionMoves;
  /** 取消接访 and 恢复接访. */
  readonly cancels: SessionCancels;

  constructor(private readonly core: Core, private readonly store: RosterStore, rules: RulesFile) {
    this.moves = new SessionMoves(core, store, rules);
    this.cancels = new SessionCancels(core, store);
  }

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
    const target = this.moves.target(s, date, slot);
    const problems = await this.moves.moveProblems(s, target, shanghaiDate(now), this.core.db);
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

  /** Asks that another leader (`toName`) take session `sessionId` in the place of the requester (or the leader named). */
  async requestReassign(user: User, sessionId: number, fromName: string | null, toName: string, reason: string | null, now = this.core.now()) {
    const s = await this.store.sessions.requireSession(sessionId);
    const leaderId = fromName ? this.moves.outgoingLeader(s, fromName) : this.actingLeader(user, s);
    if (user.role === 'leader' && leaderId !== user.id) throw new ForbiddenError('只能申请由别人代替自己接访');
    const to = await this.moves.leaderByName(toName);
    const problems = await this.moves.reassignProblems(s, leaderId, to, shanghaiDate(now), this.core.db);
    if (problems.length) throw new UserError(`无法申请换人：\n${problems.map((p) => `• ${p}`).join('\n')}`);
    return this.fileRequest({
      kind: 'reassign', sessionId: s.id, leaderId, requestedBy: user.id, targetDate: null, targetSlot: null,
      otherSessionId: null, otherLeaderId: to.id, reason: clip(reason, 200),
    }, s, null, now);
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
      out.push({ request: r, description: describe(r, a, b, names), problems: await this.problemsOf(r, a, b, today, this.core.db) });
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
    const why = clip(note, 500);
    if (!approve && !why) throw new UserError('请写明驳回理由（申请人会看到）');
    const a0 = await this.store.sessions.requireSession(r.sessionId);
    const b0 = r.otherSessionId ? await this.store.sessions.requireSession(r.otherSessionId) : null;
    const names = await this.leaderNames();
    const description = describe(r, a0, b0, names);
    const told = people([r.requestedBy, r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : [])]);
    const venues = await venueTargets(this.core, this.store.leaders, [a0.venueId, ...(b0 ? [b0.venueId] : [])]);
    const today = shanghaiDate(now);
    const close = async (trx: Knex.Transaction, status: Exclude<ChangeRequest['status'], 'pending'>, decisionNote: string | null) => {
      if (!(await this.store.changes.decideChangeRequest(trx, r.id, status, user.id, decisionNote, now))) throw new UserError('该申请已被处理');
    };
    const send = (trx: Knex.Transaction, targets: Target[], content: Record<string, unknown>) => sendCard(trx, targets, content, `roster-change:${r.id}`, now);

    return runTransaction(this.core.db, async (trx) => {
      if (!approve) {
        await close(trx, 'rejected', why);
        await send(trx, told, changeNoticeCard({ title: '接访调整申请未获批准', template: 'red', lines: [description, `驳回理由：${why}`] }));
        return { status: 'rejected' as const, message: `已驳回：${description}` };
      }
      await this.store.leaders.lockLeaders(trx, [r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : []), ...a0.leaders.map((l) => l.id)]);
      const a = await this.store.sessions.requireSession(r.sessionId, trx);
      const b = r.otherSessionId ? await this.store.sessions.requireSession(r.otherSessionId, trx) : null;
      const problems = await this.problemsOf(r, a, b, today, trx);
      if (problems.length) {
        await close(trx, 'conflict', problems.join('；'));
        await send(trx, told, changeNoticeCard({ title: '接访调整未能生效', template: 'red', lines: [description, '审批时发现冲突：', ...problems] }));
        return { status: 'conflict' as const, message: `无法调整，存在冲突：\n${problems.map((p) => `• ${p}`).join('\n')}\n申请已关闭，已通知申请人。` };
      }
      await close(trx, 'approved', why);
      const lines = await this.apply(trx, r, a, b, names, [...told, ...venues], user, now);
      return { status: 'approved' as const, message: `已批准并通知相关领导和接访点：\n${lines.join('\n')}` };
    });
  }

  /** 取消接访 (see SessionCancels). */
  async cancel(user: User, sessionId: number, reason: string | null, now = this.core.now()): Promise<SessionView> {
    return this.cancels.cancel(user, sessionId, reason, now);
  }

  /** An approved request takes effect; everyone concerned is told in one card. */
  private async apply(
    trx: Knex.Transaction, r: ChangeRequest, a: SessionView, b: SessionView | null, names: (id: string) => string, targets: Target[], user: User, now: Date,
  ): Promise<string[]> {
    const how = { actor: user.id, reason: r.reason, targets, requestId: r.id };
    if (r.kind === 'move') return this.moves.applyMove(trx, a, this.moves.target(a, r.targetDate!, r.targetSlot as Slot), how, now);
    if (r.kind === 'reassign') {
      const to = (await this.store.leaders.getLeader(r.otherLeaderId!, trx))!;
      return this.moves.applyReassign(trx, a, r.leaderId, to, { ...how, targets: uniq([...targets, ...people(a.leaders.map((l) => l.id))]) }, now);
    }
    const lines = await this.applySwap(trx, r, a, b!, names, now);
    await sendCard(trx, targets, changeNoticeCard({ title: '接访安排已调整', lines: [...lines, ...(r.reason ? [`原因：${r.reason}`] : [])] }), `roster-change:${r.id}`, now);
    return lines;
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

  private async fileRequest(r: NewChangeRequest, a: SessionView, b: SessionView | null, now: Date): Promise<{ request: ChangeRequest; description: string }> {
    const pending = await this.pendingFor([a.id, ...(b ? [b.id] : [])]);
    if (pending) throw new UserError(`相关接访已有待审批的调整申请（申请编号 ${pending.id}），请等管理员处理后再申请`);
    const names = await this.leaderNames();
    const approvers = await approverTargets(this.core);
    const id = await runTransaction(this.core.db, async (trx) => {
      const newId = await this.store.changes.createChangeRequest(trx, r, now);
      const request = (await this.store.changes.getChangeRequest(newId, trx))!;
      const description = describe(request, a, b, names);
      await sendCard(trx, approvers, changeRequestCard(request, description), `roster-change:${newId}`, now);
      if (request.requestedBy !== request.leaderId) {
        // Filed in the leader's name by someone else: the leader hears of it at once, not only on the decision.
        await sendCard(trx, people([request.leaderId]), changeNoticeCard({
          title: '有人为您提交了接访调整申请', template: 'blue',
          lines: [description, ...(request.reason ? [`原因：${request.reason}`] : []), `申请编号：${request.id}，管理员审批后会再通知您。`],
        }), `roster-change:${newId}`, now);
      }
      return newId;
    });
    const request = (await this.store.changes.getChangeRequest(id))!;
    return { request, description: describe(request, a, b, names) };
  }

  private async problemsOf(r: ChangeRequest, a: SessionView, b: SessionView | null, today: IsoDate, db: Db): Promise<string[]> {
    if (r.kind === 'move') return this.moves.moveProblems(a, this.moves.target(a, r.targetDate!, r.targetSlot as Slot), today, db);
    if (r.kind === 'reassign') {
      const to = await this.store.leaders.getLeader(r.otherLeaderId!, db);
      return to ? this.moves.reassignProblems(a, r.leaderId, to, today, db) : [`接替的领导（${r.otherLeaderId}）已不在名单中`];
    }
    if (!b) return [`对调的接访（编号 ${r.otherSessionId}）已不存在`];
    const ctx = await this.changeContext(today, db, [r.leaderId, r.otherLeaderId!]);
    return checkSwap(toLike(a), r.leaderId, toLike(b), r.otherLeaderId!, ctx);
  }

  /** The leader on whose behalf `user` acts in session `s`: themselves, or for an admin or a clerk the first leader. */
  private actingLeader(user: User, s: SessionView): string {
    if (s.leaders.some((l) => l.id === user.id)) return user.id;
    if ((user.role === 'admin' || user.role === 'staff') && s.leaders.length) return s.leaders[0].id;
    throw new ForbiddenError(`编号 ${s.id} 的接访不是您的安排，只能调整自己的接访`);
  }

  /** What the conflict checks need (also for leave-impact.ts). */
  async changeContext(today: IsoDate, db: Db, leaderIds: string[]): Promise<ChangeContext> {
    return loadChangeContext(this.core, this.store, today, db, leaderIds);
  }

  private async pendingFor(sessionIds: number[]): Promise<ChangeRequest | undefined> {
    return (await this.store.changes.listChangeRequests('pending')).find(
      (r) => sessionIds.includes(r.sessionId) || (r.otherSessionId !== null && sessionIds.includes(r.otherSessionId)),
    );
  }

  /** Leaders as 「严晴川（阳城镇镇长）」, other users (a clerk filing for a leader) as 「温小禾（登记员）」. */
  private async leaderNames(): Promise<(id: string) => string> {
    const leaders = await this.store.leaders.listLeaders();
    const m = new Map(leaders.map((l) => [l.id, `${l.name}（${l.title}）`]));
    const users = new Map((await this.core.users.list()).map((u) => [u.id, `${u.name}（${ROLE_NAMES[u.role]}）`]));
    return (id) => m.get(id) ?? users.get(id) ?? id;
  }
}

/** A request as the admin and the requester read it (a handover is worded here; move and swap by the card builder). */
function describe(r: ChangeRequest, a: SessionView, b: SessionView | null, names: (id: string) => string): string {
  if (r.kind !== 'reassign') return describeRequest(r, a, b, names);
  return `${requesterPhrase(r, names)}申请将${sessionWhen(a)}、在${a.venueName}的${a.type}改由${names(r.otherLeaderId!)}接访`;
}

function uniq(ts: Target[]): Target[] {
  const seen = new Set<string>();
  return ts.filter((t) => !seen.has(t.receiveId) && seen.add(t.receiveId));
}
