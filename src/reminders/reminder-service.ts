import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { maskName } from '../platform/personal-data/masking';
import { buildReminderCard, ReminderAudience } from './reminder-cards';
import type { Config } from '../platform/settings/config';
import { runTransaction } from '../platform/database/transaction';
import { dialectOf } from '../platform/database/connection';
import { formatChineseDateTime, IsoDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { DueDeadline, DueDeadlineQueries, DUTY_DEADLINES, LetterFlag, letterFlagKey, LetterFlagQueries, OPEN_STATUSES } from '../cases';
import { currentStep, parseSteps, ReminderPolicy, ReminderStep, scanHorizon, timeLeft } from './domain/reminder-steps';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { checkWorkingHours, dueInstant, isWorkingTime, nextWorkingTime, WorkingHours } from './domain/working-hours';
import type { Core, LateSend } from '../platform/core/feature';
import { markLate } from '../platform/jobs/late-send';
import type { Chat } from '../platform/directory/chat-store';
import type { User } from '../platform/directory/user-store';
import type { OutboxMessage } from '../platform/outbox/outbox-store';
import { NewReminder, ReminderRow, ReminderStore } from './reminder-store';
import { Contacts, findDirector, Recipient, recipientsFor, unitOf } from './domain/escalation';
import { DisputeReminderScan, DisputeScanResult } from './dispute-reminders';
import { ReviewReminderScan, ReviewScanResult } from './review-reminders';

export function reminderPolicy(config: Config): ReminderPolicy {
  return {
    beforeSteps: parseSteps(config.REMINDER_STEPS),
    supervisedBeforeSteps: parseSteps(config.SUPERVISED_REMINDER_STEPS),
    overdueEvery: config.REMINDER_OVERDUE_EVERY,
    supervisionAfter: config.ESCALATE_SUPERVISION_AFTER,
    leaderAfter: Math.max(config.ESCALATE_LEADER_AFTER, config.ESCALATE_SUPERVISION_AFTER),
  };
}

export function workingHours(config: Config): WorkingHours {
  const hours = { start: config.WORK_HOURS_START, end: config.WORK_HOURS_END };
  checkWorkingHours(hours);
  return hours;
}

export interface ScanResult {
  asOf: Date;
  /** Outside office hours or not a working day: nothing was read or sent. */
  quiet: boolean;
  /** When reminders may next go out (quiet scans). */
  nextWorkingTime?: Date;
  /** Open deadlines read (due on or before the horizon). */
  read: number;
  /** Deadlines with a step due now. */
  due: number;
  /** Reminders this run recorded (the rest were recorded before, by this or another replica). */
  recorded: number;
  /** Outbox messages queued. */
  messages: number;
  /** Cases newly flagged for a 督办函. */
  flagged: number;
  /** Deadlines with a step due but nobody to tell (no group, contact or bureau group). */
  unroutable: string[];
  /** Years counted as plain weekdays/weekends for want of holiday data. */
  estimatedYears: number[];
  /** The disputes' target dates, the scan's second due source (dispute-reminders.ts). */
  disputes?: DisputeScanResult;
  /** The reviews' 整改 due dates, the third (review-reminders.ts). */
  reviews?: ReviewScanResult;
}

/** Test hooks that stand in for a crash at a given point of the scan. */
export interface ScanFaults {
  /** Inside a batch's transaction, after its messages were queued and before it commits. */
  beforeCommit?: (batch: number) => void | Promise<void>;
  /** After a batch committed. */
  afterCommit?: (batch: number) => void | Promise<void>;
}

interface Planned {
  d: DueDeadline;
  step: ReminderStep;
  dueAt: Date;
  recipients: Recipient[];
  unit: string | null;
}

/** Reminders per transaction: each batch commits its reminders and their messages together. */
const BATCH = 500;
/** Batches in flight at once (MySQL; SQLite has one connection). */
const PARALLEL = 2;

interface BatchResult {
  recorded: number;
  messages: number;
  flagged: number;
}

/**
 * The daily deadline scan: finds the open deadlines with a reminder step due now and queues the
 * reminders. Each (case, deadline, due date, step) is recorded under a unique key in the same
 * transaction as its outbox rows, so a re-run, a restart or a second replica never sends twice.
 */
export class ReminderService {
  readonly store: ReminderStore;
  /** The open deadlines the scan reads (the cases capability's query). */
  readonly dueDeadlines: DueDeadlineQueries;
  private readonly letterFlags: LetterFlagQueries;
  private readonly policy: ReminderPolicy;
  private readonly hours: WorkingHours;
  /** The disputes' target dates: due items beside the case deadlines. */
  readonly disputes: DisputeReminderScan;
  readonly reviews: ReviewReminderScan;

  constructor(
    private readonly core: Core,
    private readonly batchSize = BATCH,
    private readonly parallel = PARALLEL,
  ) {
    this.store = new ReminderStore(core.db);
    this.dueDeadlines = new DueDeadlineQueries(core.db);
    this.letterFlags = new LetterFlagQueries(core.db);
    this.policy = reminderPolicy(core.config);
    this.hours = workingHours(core.config);
    this.disputes = new DisputeReminderScan(core, this.policy, this.hours);
    this.reviews = new ReviewReminderScan(core, this.policy, this.hours);
  }

  /** `late`: the run sends after its moment (补发); each card says so. */
  async scan(now: Date, faults: ScanFaults = {}, late?: LateSend): Promise<ScanResult> {
    const days = new WorkingDays(this.core.calendar.calendar);
    const base: ScanResult = {
      asOf: now, quiet: false, read: 0, due: 0, recorded: 0, messages: 0, flagged: 0, unroutable: [], estimatedYears: [],
    };
    if (!isWorkingTime(now, days, this.hours)) {
      return { ...base, quiet: true, nextWorkingTime: nextWorkingTime(now, days, this.hours) };
    }
    const today = shanghaiDate(now);
    const rows = await this.dueDeadlines.list(scanHorizon(today, days, this.policy), DUTY_DEADLINES, OPEN_STATUSES);
    const contacts = await this.contacts();

    const stepMemo = new Map<string, ReminderStep | null>();
    const planned: Planned[] = [];
    const unroutable: string[] = [];
    for (const d of rows) {
      const key = `${d.dueDate}|${d.supervised}`;
      let step = stepMemo.get(key);
      if (step === undefined) {
        step = currentStep(today, d.dueDate, d.supervised, days, this.policy);
        stepMemo.set(key, step);
      }
      if (!step) continue;
      const dueAt = dueInstant(step.date, this.core.config.REMINDERS_TIME, days, this.hours);
      if (dueAt > now) continue; // later today (REMINDERS_TIME not reached yet)
      const unit = unitOf(d);
      const recipients = recipientsFor(d, unit, step.level, contacts);
      if (!recipients.length) {
        unroutable.push(d.caseNo);
        continue;
      }
      planned.push({ d, step, dueAt, recipients, unit });
    }

    const runToken = randomUUID();
    const batches = Array.from({ length: Math.ceil(planned.length / this.batchSize) }, (_, i) => planned.slice(i * this.batchSize, (i + 1) * this.batchSize));
    const { recorded, messages, flagged } = await this.queueBatches(batches, async (batch, i) => {
      const r = await runTransaction(this.core.db, (trx) => this.queueBatch(trx, batch, `${runToken}:${i}`, today, days, now, () => faults.beforeCommit?.(i), late));
      await faults.afterCommit?.(i);
      return r;
    });
    const disputes = await this.disputes.scan(now, today, days, contacts, `${runToken}:disputes`, late);
    const reviews = await this.reviews.scan(now, today, days, contacts, `${runToken}:reviews`, late);
    return {
      ...base, read: rows.length, due: planned.length, recorded, messages, flagged, unroutable, disputes, reviews,
      estimatedYears: [...days.unknownYearsSeen].sort(),
    };
  }

  /** A scan's result as the run log and the CLI show it. */
  static describe(r: ScanResult): string {
    if (r.quiet) return `非工作时间，未发送提醒；下一个工作时间：${formatChineseDateTime(r.nextWorkingTime!)}`;
    const parts = [`读取到期期限 ${r.read} 条`, `应提醒 ${r.due} 条`, `本次记录 ${r.recorded} 条提醒`, `排队消息 ${r.messages} 条`];
    if (r.flagged) parts.push(`新标记督办函 ${r.flagged} 件`);
    if (r.unroutable.length) parts.push(`无人可发 ${r.unroutable.length} 件（请登记承办单位群或信访局群）：${r.unroutable.slice(0, 5).join('、')}`);
    const d = r.disputes;
    if (d?.due) parts.push(`矛盾纠纷化解期限应提醒 ${d.due} 件，本次记录 ${d.recorded} 条、排队消息 ${d.messages} 条`);
    if (d?.unroutable.length) parts.push(`矛盾纠纷无人可发 ${d.unroutable.length} 件：${d.unroutable.slice(0, 5).join('、')}`);
    if (r.reviews?.due) parts.push(`评查整改期限应提醒 ${r.reviews.due} 件，本次记录 ${r.reviews.recorded} 条、排队消息 ${r.reviews.messages} 条`);
    if (r.reviews?.unroutable.length) parts.push(`评查整改无人可发 ${r.reviews.unroutable.length} 件：${r.reviews.unroutable.slice(0, 5).join('、')}`);
    if (r.estimatedYears.length) parts.push(`注意：${r.estimatedYears.join('、')} 年节假日未导入，按周末推算`);
    return parts.join('，');
  }

  /**
   * Runs the batches, `parallel` at a time on a pool of their own connections (MySQL): while the
   * database writes one batch, this process builds the next one's cards. Each batch is its own
   * transaction with its own keys (no two batches share a reminder), so they neither wait on each
   * other nor need an order; a deadlock is retried by runTransaction. The first failure stops the
   * batches not yet started (the ones in flight finish or roll back), and is thrown.
   */
  private async queueBatches(batches: Planned[][], run: (batch: Planned[], i: number) => Promise<BatchResult>): Promise<BatchResult> {
    const total: BatchResult = { recorded: 0, messages: 0, flagged: 0 };
    const lanes = this.core.db.isTransaction || dialectOf(this.core.db) !== 'mysql' ? 1 : Math.max(1, this.parallel);
    let next = 0;
    let failed: unknown = null;
    const lane = async () => {
      while (next < batches.length && !failed) {
        const i = next++;
        try {
          const r = await run(batches[i], i);
          total.recorded += r.recorded;
          total.messages += r.messages;
          total.flagged += r.flagged;
        } catch (err) {
          failed ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, batches.length) }, lane));
    if (failed) throw failed;
    return total;
  }

  private async queueBatch(
    trx: Knex.Transaction,
    batch: Planned[],
    token: string,
    today: IsoDate,
    days: WorkingDays,
    now: Date,
    beforeCommit: () => void | Promise<void>,
    late?: LateSend,
  ): Promise<BatchResult> {
    const byKey = new Map(batch.map((p) => [keyOf(p.d.caseId, p.d.kind, p.d.dueDate, p.step.code), p]));
    const news: NewReminder[] = batch.map((p) => ({
      caseId: p.d.caseId, deadlineId: p.d.deadlineId, kind: p.d.kind, dueDate: p.d.dueDate, step: p.step.code,
      stepDate: p.step.date, level: p.step.level, dueAt: p.dueAt, recipients: p.recipients,
    }));
    const mine: ReminderRow[] = await this.store.recordNew(trx, news, token, now);
    const toFlag = mine.filter((m) => byKey.get(keyOf(m.caseId, m.kind, m.dueDate, m.step))?.step.flagsLetter);
    const already = toFlag.length ? await this.letterFlags.flaggedKeys(trx, toFlag.map((m) => m.caseId)) : new Set<string>();
    const msgs: OutboxMessage[] = [];
    const flags: LetterFlag[] = [];
    const lefts = new Map<string, string>();
    for (const m of mine) {
      const p = byKey.get(keyOf(m.caseId, m.kind, m.dueDate, m.step))!;
      let left = lefts.get(p.d.dueDate);
      if (left === undefined) {
        left = timeLeft(today, p.d.dueDate, days).text;
        lefts.set(p.d.dueDate, left);
      }
      const cards = new Map<string, string>();
      for (const rcpt of p.recipients) {
        let content = cards.get(rcpt.role);
        content ??= JSON.stringify(markLate(buildReminderCard({
          caseNo: p.d.caseNo, category: p.d.category, town: p.d.town, petitioner: maskName(p.d.petitionerName), unit: p.unit,
          kind: p.d.kind, dueDate: p.d.dueDate, phase: p.step.phase, timeLeft: left, supervised: p.d.supervised,
          provisional: p.d.provisional || days.isEstimate(p.d.dueDate), audience: rcpt.role as ReminderAudience,
          letterFlagged: p.step.flagsLetter, petitionerUnreachable: p.d.petitionerUnreachable,
        }), late));
        cards.set(rcpt.role, content);
        msgs.push({ receiveIdType: rcpt.type === 'chat' ? 'chat_id' : 'open_id', receiveId: rcpt.id, msgType: 'interactive', content, source: `reminder:${m.id}` });
      }
      const flagKey = letterFlagKey(m.caseId, m.kind, m.dueDate);
      if (p.step.flagsLetter && !already.has(flagKey)) {
        already.add(flagKey);
        flags.push({
          caseId: m.caseId, caseStatus: p.d.caseStatus, kind: m.kind, dueDate: m.dueDate, overdueWorkingDays: p.step.workingDays,
          reason: `逾期 ${p.step.workingDays} 个工作日，建议发督办函`,
        });
      }
    }
    await this.store.queueMessages(trx, msgs, now);
    await this.letterFlags.flagForLetter(trx, flags, now);
    await beforeCommit();
    return { recorded: mine.length, messages: msgs.length, flagged: flags.length };
  }

  /** Who can be told what: read once per scan. */
  private async contacts(): Promise<Contacts> {
    const chats = await this.core.chats.list();
    const users = await this.core.users.list();
    const unitChats = new Map<string, Chat[]>();
    for (const c of chats) if (c.unit) unitChats.set(c.unit, [...(unitChats.get(c.unit) ?? []), c]);
    const unitContacts = new Map<string, User[]>();
    for (const u of users) if (u.role === 'unit' && u.unit) unitContacts.set(u.unit, [...(unitContacts.get(u.unit) ?? []), u]);
    return {
      unitChats,
      unitContacts,
      bureau: chats.filter((c) => c.role === 'bureau'),
      supervision: chats.filter((c) => c.role === 'supervision'),
      director: findDirector(users, this.core.config.DIRECTOR_USER_ID),
    };
  }
}

function keyOf(caseId: number, kind: string, dueDate: string, step: string): string {
  return `${caseId}|${kind}|${dueDate}|${step}`;
}
