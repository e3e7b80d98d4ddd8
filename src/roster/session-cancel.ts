import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import type { SessionStatus } from './domain';
import { checkRestore } from './domain/session-move';
import { changeNoticeCard, sessionWhen } from './roster-cards';
import type { RosterStore } from './roster-store';
import { SessionView, toLike } from './session-view';
import { people, sendCard, Target, venueTargets } from './notice-targets';
import { loadChangeContext, venueSessionsOn } from './change-context';
import { clip } from './free-text';

/** What a cancel kept to undo it: the status and note before, and who was told. */
interface CancelDetail {
  previousStatus: SessionStatus;
  previousNote: string | null;
  notified: Target[];
}

const RESTORABLE: SessionStatus[] = ['planned', 'confirmed', 'changed'];

/**
 * 取消接访 (with a reason, after a confirmation) and 恢复接访 (while the day has not come): the
 * session is kept with status cancelled, who, when and why on its row and in its audit; restoring
 * checks the day again and tells the same people the cancel told.
 */
export class SessionCancels {
  constructor(private readonly core: Core, private readonly store: RosterStore) {}

  /** The session if it may be cancelled now (the confirmation card shows it); a refusal otherwise. */
  async cancellable(user: User, sessionId: number, now = this.core.now()): Promise<SessionView> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以取消接访');
    const s = await this.store.sessions.requireSession(sessionId);
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已经取消（如需恢复，请发送“恢复接访 ${s.id}”）`);
    if (s.status === 'held') throw new UserError(`编号 ${s.id} 的接访已举行，不能取消`);
    if (s.date < shanghaiDate(now)) throw new UserError(`编号 ${s.id} 的接访在${formatChineseDate(s.date)}，已经过去，不能取消`);
    return s;
  }

  /** Cancels a session: kept with status cancelled (calendars show it so), everyone concerned told. */
  async cancel(user: User, sessionId: number, reason: string | null, now = this.core.now()): Promise<SessionView> {
    const s = await this.cancellable(user, sessionId, now);
    const why = clip(reason, 200);
    if (!why) throw new UserError('请写明取消原因，例如：取消接访 12 台风预警（相关领导和接访点会看到）');
    const targets = [...people(s.leaders.map((l) => l.id)), ...(await venueTargets(this.core, this.store.leaders, [s.venueId]))];
    const pending = (await this.store.changes.listChangeRequests('pending')).filter((r) => r.sessionId === s.id || r.otherSessionId === s.id);
    await runTransaction(this.core.db, async (trx) => {
      const fresh = await this.store.sessions.requireSession(s.id, trx);
      if (fresh.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已经取消`);
      await this.store.sessions.setCancelled(trx, s.id, { reason: why, by: user.id }, 'cancelled', why, now);
      for (const p of pending) await this.store.changes.decideChangeRequest(trx, p.id, 'rejected', user.id, '接访已取消', now);
      const detail: CancelDetail = { previousStatus: fresh.status, previousNote: fresh.note, notified: targets };
      await this.store.sessions.recordSessionEvent(trx, { sessionId: s.id, kind: 'cancel', actor: user.id, reason: why, detail: { ...detail } }, now);
      const content = changeNoticeCard({
        title: '接访已取消', template: 'red',
        lines: [`${sessionWhen(s)} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}（编号 ${s.id}）已取消`, `原因：${why}`],
      });
      await sendCard(trx, targets, content, `roster-cancel:${s.id}`, now);
    });
    return (await this.store.sessions.getSession(s.id))!;
  }

  /** 恢复接访: a cancelled session back as it was, if its day has not come and nothing took its place. */
  async restore(user: User, sessionId: number, now = this.core.now()): Promise<{ session: SessionView; told: number }> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以恢复接访');
    const s0 = await this.store.sessions.requireSession(sessionId);
    const last = [...(await this.store.sessions.listSessionEvents(s0.id))].reverse().find((e) => e.kind === 'cancel');
    const detail = (last?.detail ?? null) as Partial<CancelDetail> | null;
    const current = [...people(s0.leaders.map((l) => l.id)), ...(await venueTargets(this.core, this.store.leaders, [s0.venueId]))];
    const targets = uniqueTargets([...(detail?.notified ?? []), ...current]);
    const cancelled = await this.store.sessions.cancelInfo(s0.id);
    await runTransaction(this.core.db, async (trx) => {
      await this.store.leaders.lockLeaders(trx, s0.leaders.map((l) => l.id));
      const s = await this.store.sessions.requireSession(sessionId, trx);
      const today = shanghaiDate(now);
      const ctx = await loadChangeContext(this.core, this.store, today, trx, s.leaders.map((l) => l.id));
      const problems = checkRestore(toLike(s), ctx, await venueSessionsOn(this.store, s.venueId, s.date, trx), s.venueName);
      if (problems.length) throw new UserError(`无法恢复：\n${problems.map((p) => `• ${p}`).join('\n')}`);
      const status = detail?.previousStatus && RESTORABLE.includes(detail.previousStatus) ? detail.previousStatus : 'planned';
      await this.store.sessions.setCancelled(trx, s.id, null, status, detail ? (detail.previousNote ?? null) : undefined, now);
      await this.store.sessions.recordSessionEvent(trx, {
        sessionId: s.id, kind: 'restore', actor: user.id, reason: cancelled?.reason ?? null,
        detail: { status, cancelledBy: cancelled?.by ?? null, cancelledAt: cancelled?.at ?? null, notified: targets },
      }, now);
      const content = changeNoticeCard({
        title: '接访已恢复', template: 'green',
        lines: [
          `${sessionWhen(s)} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}（编号 ${s.id}）恢复举行，照原安排进行`,
          ...(cancelled?.reason ? [`此前取消的原因：${cancelled.reason}`] : []),
        ],
      });
      await sendCard(trx, targets, content, `roster-restore:${s.id}`, now);
    });
    return { session: (await this.store.sessions.getSession(sessionId))!, told: targets.length };
  }
}

function uniqueTargets(ts: Target[]): Target[] {
  const seen = new Set<string>();
  return ts.filter((t) => t && typeof t.receiveId === 'string' && !seen.has(`${t.receiveIdType}:${t.receiveId}`) && seen.add(`${t.receiveIdType}:${t.receiveId}`));
}
