import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { checkMove, RosterLeader, Slot, SLOTS } from './domain';
import { checkReassign, venueProblems } from './domain/session-move';
import { leaderNameOf } from './domain/change-words';
import { changeNoticeCard, sessionWhen } from './roster-cards';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toLike } from './session-view';
import { people, sendCard, Target, venueTargets } from './notice-targets';
import { loadChangeContext, venueSessionsOn } from './change-context';
import { clip } from './free-text';
import { recheckThirdParties } from './third-party-service';
import type { Db } from './store-rows';

/** Where a session goes: its day, slot and hours. */
export interface MoveTarget {
  date: IsoDate;
  slot: Slot;
  startTime: string;
  endTime: string;
}

/** What the admin's direct change did, as lines people read. */
export interface DirectChange {
  session: SessionView;
  lines: string[];
}

const bullets = (ps: string[]) => ps.map((p) => `• ${p}`).join('\n');

/**
 * 调整接访 by the admin: a session moved (改到 <日期> [上午|下午]) or given to another leader
 * (换成 <领导>) at once, with the checks of a change request (the leaders busy or away, the venue
 * taken, a rest day), everyone concerned told, and the change kept in the session's audit.
 * The same apply steps serve an approved change request.
 */
export class SessionMoves {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  /** The day, slot and hours a session would take: the slot's hours when the slot changes. */
  target(s: SessionView, date: IsoDate, slot: Slot | undefined): MoveTarget {
    if (slot !== undefined && !SLOTS.includes(slot)) throw new UserError(`时段“${slot}”无效，可选：上午、下午、全天`);
    const to = slot ?? s.slot;
    return to === s.slot ? { date, slot: to, startTime: s.startTime, endTime: s.endTime } : { date, slot: to, ...this.rules.slotTimes(to) };
  }

  /** What stands in the way of moving `s` to `to`, read on `db` (a transaction re-checks under its locks). */
  async moveProblems(s: SessionView, to: MoveTarget, today: IsoDate, db: Db): Promise<string[]> {
    const ctx = await loadChangeContext(this.core, this.store, today, db, s.leaders.map((l) => l.id));
    return [...checkMove(toLike(s), to, ctx), ...venueProblems(toLike(s), to, await venueSessionsOn(this.store, s.venueId, to.date, db), s.venueName)];
  }

  /** What stands in the way of `to` taking `fromId`'s place in `s`. */
  async reassignProblems(s: SessionView, fromId: string, to: RosterLeader, today: IsoDate, db: Db): Promise<string[]> {
    const ctx = await loadChangeContext(this.core, this.store, today, db, [to.id]);
    const from = await this.store.leaders.getLeader(fromId, db);
    return checkReassign(toLike(s), fromId, to, from, s.venueTown, ctx);
  }

  /** The leader named as typed; a clear refusal when the name is nobody's or not a leader's. */
  async leaderByName(typed: string): Promise<RosterLeader> {
    const name = leaderNameOf(typed);
    const found = (await this.store.leaders.listLeaders()).filter((l) => l.name === name);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new UserError(`有 ${found.length} 位领导名叫“${name}”，请联系管理员区分`);
    const person = (await this.core.users.list()).find((u) => u.name === name);
    if (person) throw new UserError(`${name}不是接访领导，不能安排接访。接访领导名单见“接访安排”`);
    throw new UserError(`没有找到名叫“${name}”的接访领导`);
  }

  /** Which of the session's leaders steps down: the one named, or the only one. */
  outgoingLeader(s: SessionView, typed: string | null): string {
    if (typed) {
      const l = s.leaders.find((x) => x.name === leaderNameOf(typed));
      if (!l) throw new UserError(`${leaderNameOf(typed)}不在编号 ${s.id} 的接访安排中（本场：${s.leaders.map((x) => x.name).join('、') || '未定'}）`);
      return l.id;
    }
    if (s.leaders.length === 1) return s.leaders[0].id;
    if (!s.leaders.length) throw new UserError(`编号 ${s.id} 的接访还没有领导`);
    throw new UserError(`编号 ${s.id} 有多位领导（${s.leaders.map((l) => l.name).join('、')}），请写明换下哪一位，例如：调整接访 ${s.id} ${s.leaders[0].name} 换成 某某`);
  }

  /** 调整接访 <编号> 改到 <日期> [上午|下午]: moved now by the admin. */
  async move(user: User, sessionId: number, date: IsoDate, slot: Slot | undefined, reason: string | null, now = this.core.now()): Promise<DirectChange> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以直接调整接访；领导可以提交调整申请');
    const s0 = await this.store.sessions.requireSession(sessionId);
    const targets = await this.targetsOf(s0, []);
    const lines = await runTransaction(this.core.db, async (trx) => {
      await this.store.leaders.lockLeaders(trx, s0.leaders.map((l) => l.id));
      const s = await this.store.sessions.requireSession(sessionId, trx);
      const to = this.target(s, date, slot);
      const problems = await this.moveProblems(s, to, shanghaiDate(now), trx);
      if (problems.length) throw new UserError(`无法调整：\n${bullets(problems)}`);
      return this.applyMove(trx, s, to, { actor: user.id, reason: clip(reason, 200), targets, requestId: null }, now);
    });
    return { session: (await this.store.sessions.getSession(sessionId))!, lines };
  }

  /** 调整接访 <编号> [原领导] 换成 <领导>: another leader takes the session now. */
  async reassign(user: User, sessionId: number, fromName: string | null, toName: string, reason: string | null, now = this.core.now()): Promise<DirectChange> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以直接调整接访；领导可以提交调整申请');
    const to = await this.leaderByName(toName);
    const s0 = await this.store.sessions.requireSession(sessionId);
    const fromId = this.outgoingLeader(s0, fromName);
    const targets = await this.targetsOf(s0, [to.id]);
    const lines = await runTransaction(this.core.db, async (trx) => {
      await this.store.leaders.lockLeaders(trx, [fromId, to.id]);
      const s = await this.store.sessions.requireSession(sessionId, trx);
      const problems = await this.reassignProblems(s, fromId, to, shanghaiDate(now), trx);
      if (problems.length) throw new UserError(`无法调整：\n${bullets(problems)}`);
      return this.applyReassign(trx, s, fromId, to, { actor: user.id, reason: clip(reason, 200), targets, requestId: null }, now);
    });
    return { session: (await this.store.sessions.getSession(sessionId))!, lines };
  }

  /** The session's leaders (and `more`) in person, and its venue's groups. */
  async targetsOf(s: SessionView, more: string[]): Promise<Target[]> {
    return [...people([...s.leaders.map((l) => l.id), ...more]), ...(await venueTargets(this.core, this.store.leaders, [s.venueId]))];
  }

  /** Moves the session, audits it and (when `how.targets` has any) tells them. */
  async applyMove(trx: Knex.Transaction, s: SessionView, to: MoveTarget, how: ApplyHow, now: Date): Promise<string[]> {
    await this.store.sessions.updateSession(trx, s.id, { ...to, status: 'changed' }, now);
    const lines = [`${s.leaders.map((l) => l.name).join('、')}在${s.venueName}的${s.type}（编号 ${s.id}）`, `原定：${sessionWhen(s)}`, `改为：${sessionWhen(to)}`];
    lines.push(...(await recheckThirdParties(trx, [s.id], how.actor, '接访改期后重新核对', now)));
    await this.audit(trx, s, 'move', how, { from: { date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime }, to }, now);
    await this.tell(trx, s, how, lines, now);
    return lines;
  }

  /** Puts `to` in `fromId`'s place, audits it and tells them. */
  async applyReassign(trx: Knex.Transaction, s: SessionView, fromId: string, to: RosterLeader, how: ApplyHow, now: Date): Promise<string[]> {
    await this.store.sessions.replaceLeader(trx, s.id, fromId, to.id);
    await this.store.sessions.updateSession(trx, s.id, { status: 'changed' }, now);
    const from = s.leaders.find((l) => l.id === fromId);
    const lines = [`${sessionWhen(s)} ${s.venueName}的${s.type}（编号 ${s.id}）`, `原由${from ? `${from.name}（${from.title}）` : fromId}接访，改由${to.name}（${to.title}）接访`];
    lines.push(...(await recheckThirdParties(trx, [s.id], how.actor, '接访换人后重新核对', now)));
    await this.audit(trx, s, 'reassign', how, { from: fromId, to: to.id }, now);
    await this.tell(trx, s, how, lines, now);
    return lines;
  }

  private async audit(trx: Knex.Transaction, s: SessionView, kind: 'move' | 'reassign', how: ApplyHow, change: Record<string, unknown>, now: Date): Promise<void> {
    await this.store.sessions.recordSessionEvent(trx, {
      sessionId: s.id, kind, actor: how.actor, reason: how.reason,
      detail: { ...change, requestId: how.requestId, notified: how.targets.map((t) => t.receiveId) },
    }, now);
  }

  private async tell(trx: Knex.Transaction, s: SessionView, how: ApplyHow, lines: string[], now: Date): Promise<void> {
    if (!how.targets.length) return;
    const content = changeNoticeCard({ title: '接访安排已调整', lines: [...lines, ...(how.reason ? [`原因：${how.reason}`] : [])] });
    await sendCard(trx, how.targets, content, how.requestId ? `roster-change:${how.requestId}` : `roster-move:${s.id}`, now);
  }
}

/** Who made a change, why, who is told, and the request it came from (null: the admin directly). */
export interface ApplyHow {
  actor: string;
  reason: string | null;
  targets: Target[];
  requestId: number | null;
}
