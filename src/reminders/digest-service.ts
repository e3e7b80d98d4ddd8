import { buildDigestCard } from './reminder-cards';
import { runTransaction } from '../platform/database/transaction';
import { addDays, shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { DueDeadlineQueries, DUTY_DEADLINES, letterFlagKey, LetterFlagQueries, OPEN_STATUSES } from '../cases';
import { buildDigest, Digest, DigestDeadline } from './domain/digest';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import type { Core, LateSend } from '../platform/core/feature';
import { markLate } from '../platform/jobs/late-send';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { ReminderStore } from './reminder-store';
import { workingHours } from './reminder-service';
import { unitOf } from './domain/escalation';

/**
 * Why no digest went out for want of a group: a job's outcome, read in the log, in `jobs run` and by
 * whoever relays it in chat, so it says what to do, not which command line to type.
 */
export const NO_BUREAU_CHAT = '没有登记信访局工作群，日报未发送：请管理员把信访助手拉进信访局工作群并登记为信访局群（“系统检查”会说明如何登记）。';

/** How far ahead the digest looks: due within this many working days. */
export const DIGEST_SOON_WORKING_DAYS = 3;

export interface DigestResult {
  sent: boolean;
  reason: string;
  digest?: Digest;
}

/**
 * Each working morning, one card to the bureau group: due today, due within 3 working days, and
 * overdue, by unit. Once per day, whatever the number of runs or replicas (the digests row is
 * written in the transaction that queues the card).
 */
export class DigestService {
  private readonly store: ReminderStore;
  private readonly dueDeadlines: DueDeadlineQueries;
  private readonly letterFlags: LetterFlagQueries;

  constructor(private readonly core: Core) {
    this.store = new ReminderStore(core.db);
    this.dueDeadlines = new DueDeadlineQueries(core.db);
    this.letterFlags = new LetterFlagQueries(core.db);
  }

  /** The digest as of `now`, without sending it. */
  async compose(now: Date): Promise<Digest> {
    const days = new WorkingDays(this.core.calendar.calendar);
    const today = shanghaiDate(now);
    const horizon = addDays(days.addWorkingDays(today, DIGEST_SOON_WORKING_DAYS + 1), -1);
    const rows = await this.dueDeadlines.list(horizon, DUTY_DEADLINES, OPEN_STATUSES);
    const overdueCases = rows.filter((r) => r.dueDate < today).map((r) => r.caseId);
    const flags = await this.letterFlags.pendingLetterFlags(overdueCases);
    const items: DigestDeadline[] = rows.map((r) => ({
      caseNo: r.caseNo,
      kind: r.kind,
      dueDate: r.dueDate,
      unit: unitOf(r),
      category: r.category,
      supervised: r.supervised,
      letterFlagged: flags.has(letterFlagKey(r.caseId, r.kind, r.dueDate)),
    }));
    return buildDigest(today, items, days, DIGEST_SOON_WORKING_DAYS);
  }

  /** `late`: the digest goes out after its moment (补发); the card says so. */
  async run(now: Date, late?: LateSend): Promise<DigestResult> {
    const days = new WorkingDays(this.core.calendar.calendar);
    const today = shanghaiDate(now);
    if (!days.isWorkingDay(today)) return { sent: false, reason: `${today} 不是工作日，不发日报` };
    if (shanghaiTime(now) >= workingHours(this.core.config).end) return { sent: false, reason: '已过下班时间，今日日报不再发送' };
    if (await this.store.digestSent(today)) return { sent: false, reason: `${today} 的日报已发送过` };
    const chats = await this.core.chats.forRole('bureau');
    if (!chats.length) return { sent: false, reason: NO_BUREAU_CHAT };

    const digest = await this.compose(now);
    const card = markLate(buildDigestCard(digest), late);
    const sent = await runTransaction(this.core.db, async (trx) => {
      if (!(await this.store.recordDigest(trx, today, digest.totals, now))) return false;
      for (const c of chats) {
        await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: c.id, msgType: 'interactive', content: card, source: `digest:${today}` }, now);
      }
      return true;
    });
    if (!sent) return { sent: false, reason: `${today} 的日报已由另一次运行发送` };
    const t = digest.totals;
    return {
      sent: true,
      digest,
      reason: `已向 ${chats.length} 个信访局群发送 ${today} 日报：逾期 ${t.overdue}，今日到期 ${t.dueToday}，3 个工作日内到期 ${t.dueSoon}，涉及 ${digest.units.length} 个单位`,
    };
  }
}
