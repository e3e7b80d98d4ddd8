import { CaseBrief, CaseBriefQueries } from '../cases';
import { runTransaction } from '../platform/database/transaction';
import { addDays, formatChineseDate, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import type { RosterStore } from './roster-store';
import type { SessionOutcome, SessionView } from './session-view';
import { clip } from './free-text';

/** 接访记录: what happened at a session (batches and people received, the cases registered there). */
export class SessionRecords {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly cases: CaseBriefQueries) {}

  async recordOutcome(
    user: User,
    sessionId: number,
    input: { batches: string | number; persons: string | number; note?: string | null },
    now = this.core.now(),
  ): Promise<{ session: SessionView; cases: CaseBrief[] }> {
    const s = await this.store.sessions.requireSession(sessionId);
    if (user.role === 'unit' || (user.role === 'leader' && !s.leaders.some((l) => l.id === user.id))) {
      throw new ForbiddenError('只有登记员、管理员或本场接访的领导可以记录接访情况');
    }
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已取消，不能记录`);
    if (s.date > shanghaiDate(now)) throw new UserError(`编号 ${s.id} 的接访在${formatChineseDate(s.date)}，尚未举行，不能记录`);
    const batches = count(input.batches, '接待批次');
    const persons = count(input.persons, '接待人次');
    if (persons < batches) throw new UserError('接待人次不能少于接待批次');
    const note = clip(input.note ?? null, 500);
    const cases = await this.cases.casesOfSession(s);
    const outcome: SessionOutcome = {
      batches, persons, caseNos: cases.map((c) => c.caseNo), note, recordedBy: user.id, recordedAt: now.toISOString(),
    };
    await runTransaction(this.core.db, (trx) => this.store.sessions.updateSession(trx, s.id, { status: 'held', outcome }, now));
    return { session: (await this.store.sessions.getSession(s.id))!, cases };
  }

  /**
   * What 接访记录 offers: the sessions of the last `days` days this person may record, newest first: not cancelled, and
   * for a leader only the sessions they received at (recordOutcome refuses the rest).
   */
  async recordable(days: number, user: User, now = this.core.now()): Promise<SessionView[]> {
    const today = shanghaiDate(now);
    return this.mayRecord(await this.store.sessions.listSessions({ from: addDays(today, -days), to: today }), user).reverse();
  }

  /** 接访记录 <日期>: that day's sessions this person may record; a day still to come is refused. */
  async recordableOn(date: IsoDate, user: User, now = this.core.now()): Promise<SessionView[]> {
    if (date > shanghaiDate(now)) throw new UserError(`${formatChineseDate(date)}还没到，接访举行以后再记录。`);
    return this.mayRecord(await this.store.sessions.listSessions({ from: date, to: date }), user);
  }

  private mayRecord(list: SessionView[], user: User): SessionView[] {
    return list.filter((s) => s.status !== 'cancelled' && (user.role !== 'leader' || s.leaders.some((l) => l.id === user.id)));
  }
}

function count(v: string | number, label: string): number {
  const s = String(v ?? '').trim();
  if (!/^\d{1,5}$/.test(s)) throw new UserError(`${label}应为不小于 0 的整数，收到“${s}”`);
  return Number(s);
}
