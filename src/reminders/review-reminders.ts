import type { Knex } from 'knex';
import type { Core, LateSend } from '../platform/core/feature';
import type { IsoDate } from '../platform/calendar/domain/dates';
import type { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { runTransaction } from '../platform/database/transaction';
import { markLate } from '../platform/jobs/late-send';
import { enqueueMessages, type OutboxMessage } from '../platform/outbox/outbox-store';
import { DueRectification, rectifyReminderCard, ReviewQueries } from '../reviews';
import { currentStep, ReminderPolicy, ReminderStep, scanHorizon, timeLeft } from './domain/reminder-steps';
import { dueInstant, WorkingHours } from './domain/working-hours';
import { Contacts, Recipient, recipientsFor } from './domain/escalation';
import { ReviewReminderStore } from './review-reminder-store';

/** What a scan did with the reviews' 整改 due dates. */
export interface ReviewScanResult {
  read: number;
  due: number;
  recorded: number;
  messages: number;
  unroutable: string[];
}

interface Planned {
  r: DueRectification;
  step: ReminderStep;
  dueAt: Date;
  recipients: Recipient[];
}

/**
 * Who a 整改 reminder goes to: the unit that must fix it (its groups, else its users, else the
 * bureau group); once overdue, the bureau too (its groups, else the reviewer); from the leader
 * level of the escalation (ESCALATE_LEADER_AFTER working days overdue), the director as well.
 */
export function rectifyRecipients(r: Pick<DueRectification, 'fixUnit' | 'reviewerId'>, step: Pick<ReminderStep, 'phase' | 'level'>, contacts: Contacts): Recipient[] {
  const out = recipientsFor({ leaderId: null }, r.fixUnit, 0, contacts);
  const add = (x: Recipient) => {
    if (!out.some((y) => y.type === x.type && y.id === x.id)) out.push(x);
  };
  if (step.phase === 'overdue') {
    if (contacts.bureau.length) contacts.bureau.forEach((c) => add({ type: 'chat', id: c.id, role: 'bureau' }));
    else if (r.reviewerId) add({ type: 'user', id: r.reviewerId, role: 'bureau' });
  }
  if (step.phase === 'overdue' && step.level >= 2 && contacts.director) add({ type: 'user', id: contacts.director.id, role: 'director' });
  return out;
}

/**
 * The reviews' 整改 due dates as a due source of the reminder scan, beside the disputes': the same
 * steps (before, the day, each working day overdue), quiet hours and once-per-step key (review,
 * due date, step). A review stops being due once its unit reports (整改待确认); a report sent
 * back (退回重改) makes it due again under the same date, so only the steps not yet said go out.
 */
export class ReviewReminderScan {
  readonly store: ReviewReminderStore;
  private readonly reviews: ReviewQueries;

  constructor(
    private readonly core: Core,
    private readonly policy: ReminderPolicy,
    private readonly hours: WorkingHours,
  ) {
    this.store = new ReviewReminderStore(core.db);
    this.reviews = new ReviewQueries(core.db);
  }

  /** Call it in working time only (the caller's quiet-hours check). */
  async scan(now: Date, today: IsoDate, days: WorkingDays, contacts: Contacts, runToken: string, late?: LateSend): Promise<ReviewScanResult> {
    const rows = await this.reviews.dueRectifications(scanHorizon(today, days, this.policy));
    const planned: Planned[] = [];
    const unroutable: string[] = [];
    for (const r of rows) {
      const step = currentStep(today, r.fixDueDate, false, days, this.policy);
      if (!step) continue;
      const dueAt = dueInstant(step.date, this.core.config.REMINDERS_TIME, days, this.hours);
      if (dueAt > now) continue;
      const recipients = rectifyRecipients(r, step, contacts);
      if (!recipients.length) unroutable.push(r.reviewNo);
      else planned.push({ r, step, dueAt, recipients });
    }
    const done = planned.length
      ? await runTransaction(this.core.db, (trx) => this.queue(trx, planned, runToken, today, days, now, late))
      : { recorded: 0, messages: 0 };
    return { read: rows.length, due: planned.length, ...done, unroutable };
  }

  private async queue(trx: Knex.Transaction, planned: Planned[], token: string, today: IsoDate, days: WorkingDays, now: Date, late?: LateSend) {
    const byKey = new Map(planned.map((p) => [`${p.r.id}|${p.step.code}`, p]));
    const mine = await this.store.recordNew(trx, planned.map((p) => ({
      reviewId: p.r.id, dueDate: p.r.fixDueDate, step: p.step.code, stepDate: p.step.date, level: p.step.level, dueAt: p.dueAt, recipients: p.recipients,
    })), token, now);
    const msgs: OutboxMessage[] = [];
    for (const m of mine) {
      const p = byKey.get(`${m.reviewId}|${m.step}`)!;
      const left = timeLeft(today, p.r.fixDueDate, days).text;
      for (const rcpt of p.recipients) {
        const audience = rcpt.role === 'unit' ? 'unit' : rcpt.role === 'director' ? 'director' : 'bureau';
        const content = JSON.stringify(markLate(rectifyReminderCard({
          review: p.r, phase: p.step.phase, timeLeft: left, provisional: days.isEstimate(p.r.fixDueDate), audience,
        }), late));
        msgs.push({ receiveIdType: rcpt.type === 'chat' ? 'chat_id' : 'open_id', receiveId: rcpt.id, msgType: 'interactive', content, source: `review-reminder:${m.id}` });
      }
    }
    await enqueueMessages(trx, msgs, now);
    return { recorded: mine.length, messages: msgs.length };
  }
}
