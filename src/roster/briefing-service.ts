import { runTransaction } from '../platform/database/transaction';
import { addDays, HolidayCalendar, IsoDate, shanghaiDate, shanghaiInstant } from '../platform/calendar/domain';
import type { Core, JobDefinition, LateSend } from '../platform/core/feature';
import { markLate } from '../platform/jobs/late-send';
import { ForbiddenError } from '../platform/errors/user-error';
import type { User } from '../platform/directory/user-store';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { CaseBrief, CaseBriefQueries } from '../cases';
import { RosterStore } from './roster-store';
import type { SessionView } from './session-view';
import { venueChatIds } from './notice-targets';
import { BriefingCase, BriefingData, briefingCard, venueReminderCard } from './briefing-cards';
import { ThirdPartyStore } from './third-party-store';

/** How far ahead the job looks: the longest run of days off (春节) plus a margin. */
const LOOKAHEAD_DAYS = 16;
/** Years back in which a person's earlier cases make them a repeat petitioner. */
const REPEAT_WINDOW_DAYS = 730;

/** A working day of the legal calendar; a year without data is read from weekends alone. */
function isWorkingDay(cal: HolidayCalendar, d: IsoDate): boolean {
  return cal.isWorkingDayOrEstimate(d);
}

export function previousWorkingDay(cal: HolidayCalendar, date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  for (let i = 0; i < 40 && !isWorkingDay(cal, d); i++) d = addDays(d, -1);
  return d;
}

/**
 * Briefings before reception days: at BRIEFING_TIME on the working day before a session, each
 * of its leaders gets a card about the venue's towns, and the venue's group a reminder. Each
 * one is recorded under a unique key in the same transaction as its outbox row, so the job can
 * run any number of times (and on several replicas) and sends each once.
 */
export class BriefingService {
  readonly store: RosterStore;
  readonly cases: CaseBriefQueries;

  constructor(private readonly core: Core) {
    this.store = new RosterStore(core.db);
    this.cases = new CaseBriefQueries(core.db);
  }

  job(): JobDefinition {
    const [hh, mm] = this.core.config.BRIEFING_TIME.split(':').map(Number);
    return {
      name: 'briefings',
      // Every day; run() itself finds the sessions whose briefing time has come (catching up on missed runs).
      cron: `${mm} ${hh} * * *`,
      description: `接访前一个工作日 ${this.core.config.BRIEFING_TIME} 向接访领导发送接访提示卡，并提醒接访点`,
      run: (now, ctx) => this.run(now, ctx?.late),
    };
  }

  /** When a session's briefing falls due: BRIEFING_TIME on the working day before it. */
  dueAt(date: IsoDate): Date {
    return shanghaiInstant(previousWorkingDay(this.core.calendar.calendar, date), this.core.config.BRIEFING_TIME);
  }

  /** `late`: the run sends after its moment (补发); each card says so. */
  async run(now: Date, late?: LateSend): Promise<string> {
    const today = shanghaiDate(now);
    const sessions = await this.store.sessions.listSessions({ from: today, to: addDays(today, LOOKAHEAD_DAYS) });
    let leaders = 0;
    let venues = 0;
    for (const s of sessions) {
      if (s.status === 'held') continue;
      // Due from the briefing time until the session starts: a missed run still briefs late.
      if (now < this.dueAt(s.date) || now >= shanghaiInstant(s.date, s.startTime)) continue;
      for (const l of s.leaders) {
        const key = `leader:${s.id}:${l.id}:${s.date}T${s.startTime}`;
        if (await this.store.briefings.briefingSent(key)) continue;
        const data = await this.briefing(s, l.id, today);
        if (await this.send(key, s, l.id, 'leader', markLate(briefingCard(data), late), now)) leaders++;
      }
      for (const chatId of await venueChatIds(this.core, this.store.leaders, [s.venueId])) {
        const key = `venue:${s.id}:${chatId}:${s.date}T${s.startTime}`;
        if (await this.store.briefings.briefingSent(key)) continue;
        if (await this.send(key, s, chatId, 'venue', markLate(venueReminderCard(s, !this.core.calendar.calendar.isKnown(s.date), (await new ThirdPartyStore(this.core.db).ofSessions([s.id])).get(s.id)), late), now)) venues++;
      }
    }
    return `已发送接访提示 ${leaders} 份、接访点提醒 ${venues} 条`;
  }

  private async send(key: string, s: SessionView, recipient: string, kind: 'leader' | 'venue', content: Record<string, unknown>, now: Date): Promise<boolean> {
    try {
      await runTransaction(this.core.db, async (trx) => {
        const outboxId = await enqueueMessage(trx, {
          receiveIdType: kind === 'leader' ? 'open_id' : 'chat_id', receiveId: recipient, msgType: 'interactive', content,
          source: `briefing:${s.id}`,
        }, now);
        await this.store.briefings.recordBriefing(trx, { key, sessionId: s.id, recipient, kind, outboxId }, now);
      });
      return true;
    } catch (err: any) {
      // Another run recorded the same key first: its message stands, this one was rolled back.
      if (/unique|duplicate/i.test(String(err?.code ?? '') + String(err?.message ?? ''))) return false;
      throw err;
    }
  }

  /**
   * Who may open a session's briefing: the bureau (staff, admin) any, to prepare the day; a leader only
   * the sessions they receive at; a unit none.
   */
  assertMayBrief(user: Pick<User, 'id' | 'role'>, s: SessionView): void {
    if (user.role === 'staff' || user.role === 'admin') return;
    if (user.role === 'leader' && s.leaders.some((l) => l.id === user.id)) return;
    throw new ForbiddenError(user.role === 'leader' ? `编号 ${s.id} 的接访不是您接待的，您只能查看自己接访的简报。` : '接访简报供接访领导和信访局工作人员查看。');
  }

  /** What a leader should know before receiving at a session's venue. */
  async briefing(s: SessionView, leaderId: string, today: IsoDate): Promise<BriefingData> {
    const towns = s.venueKind === 'center' || !s.venueTown ? null : [s.venueTown];
    const counts = await this.cases.summary(towns, today);
    const overdueRows = await this.cases.overdueCases(towns, today, 50);
    const seen = new Set<string>();
    const overdue: BriefingCase[] = [];
    for (const c of overdueRows) {
      if (seen.has(c.caseNo)) continue;
      seen.add(c.caseNo);
      overdue.push({ ...brief(c), nextDue: c.dueDate, overdueKind: c.overdueKind });
    }
    const supervised = (await this.cases.supervisedCases(towns, 20)).map(brief);
    const owned = (await this.cases.casesOwnedBy(leaderId, 20)).map(brief);
    const [last] = await this.store.sessions.listSessions({ venueIds: [s.venueId], to: addDays(s.date, -1), heldOnly: true, desc: true, limit: 1 });
    const leader = s.leaders.find((l) => l.id === leaderId);
    return {
      session: s,
      provisional: !this.core.calendar.calendar.isKnown(s.date),
      today,
      leaderName: leader?.name ?? leaderId,
      scope: towns ? towns.join('、') : '全县',
      counts,
      overdue,
      supervised,
      repeat: await this.repeatPetitioners(towns, today),
      owned,
      lastSession: last ? { session: last, caseCount: (await this.cases.casesOfSession(last)).length } : null,
      thirdParties: (await new ThirdPartyStore(this.core.db).ofSessions([s.id])).get(s.id) ?? [],
    };
  }

  /**
   * People with two or more cases in the towns within two years: the same 身份证号, or the same
   * name and phone, or cases the intake linked as one person's.
   */
  async repeatPetitioners(towns: string[] | null, today: IsoDate): Promise<BriefingData['repeat']> {
    const cases = await this.cases.casesSince(towns, addDays(today, -REPEAT_WINDOW_DAYS));
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      let r = x;
      while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const union = (a: number, b: number) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
    };
    const byKey = new Map<string, number>();
    for (const c of cases) {
      parent.set(c.id, c.id);
      for (const key of [c.idNumber ? `id:${c.idNumber}` : null, c.phone ? `np:${c.name}|${c.phone}` : null]) {
        if (!key) continue;
        if (byKey.has(key)) union(c.id, byKey.get(key)!);
        else byKey.set(key, c.id);
      }
    }
    const ids = new Set(cases.map((c) => c.id));
    for (const [a, b] of await this.cases.links([...ids])) if (ids.has(a) && ids.has(b)) union(a, b);
    const groups = new Map<number, CaseBrief[]>();
    for (const c of cases) {
      const r = find(c.id);
      groups.set(r, [...(groups.get(r) ?? []), c]);
    }
    return [...groups.values()]
      .filter((g) => g.length >= 2)
      .map((g) => {
        const latest = g.reduce((a, b) => (b.receivedDate > a.receivedDate || (b.receivedDate === a.receivedDate && b.id > a.id) ? b : a));
        return { name: latest.name, count: g.length, lastCaseNo: latest.caseNo, town: latest.town };
      })
      .sort((a, b) => b.count - a.count || b.lastCaseNo.localeCompare(a.lastCaseNo));
  }
}

function brief(c: CaseBrief): BriefingCase {
  return { caseNo: c.caseNo, name: c.name, town: c.town, category: c.category, status: c.status, content: c.content, nextDue: c.nextDue };
}
