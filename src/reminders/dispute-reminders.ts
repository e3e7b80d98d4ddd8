import type { Knex } from 'knex';
import type { Core, LateSend } from '../platform/core/feature';
import type { IsoDate } from '../platform/calendar/domain/dates';
import type { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { runTransaction } from '../platform/database/transaction';
import { markLate } from '../platform/jobs/late-send';
import { enqueueMessages, type OutboxMessage } from '../platform/outbox/outbox-store';
import { DisputeQueries, DueDispute } from '../disputes';
import { currentStep, ReminderPolicy, ReminderStep, scanHorizon, timeLeft } from './domain/reminder-steps';
import { laterStepSaid } from './domain/dispute-steps';
import { dueInstant, WorkingHours } from './domain/working-hours';
import { Contacts, Recipient, recipientsFor } from './domain/escalation';
import { DisputeReminderStore } from './dispute-reminder-store';
import { buildDisputeReminderCard } from './dispute-reminder-cards';
import type { ReminderAudience } from './reminder-cards';

/** What a scan did with the disputes' target dates. */
export interface DisputeScanResult {
  read: number;
  due: number;
  recorded: number;
  messages: number;
  unroutable: string[];
}

interface Planned {
  d: DueDispute;
  step: ReminderStep;
  dueAt: Date;
  recipients: Recipient[];
}

/**
 * The disputes as a due source of the reminder scan: an open dispute's target date is a due
 * item with the same steps (before, the day, each working day overdue), the same quiet hours and
 * the same escalation as a case deadline (the unit; then supervision; then the director, since a
 * dispute has no 包案 leader). Exactly once per (dispute, target date, step), and never a step
 * before one already said (after a holiday import; domain/dispute-steps.ts). The follow of a
 * holiday import is dispute-reminder-follow.ts, the doctor's checks dispute-reminder-diagnosis.ts.
 */
export class DisputeReminderScan {
  readonly store: DisputeReminderStore;
  private readonly disputes: DisputeQueries;

  constructor(
    private readonly core: Core,
    private readonly policy: ReminderPolicy,
    private readonly hours: WorkingHours,
  ) {
    this.store = new DisputeReminderStore(core.db);
    this.disputes = new DisputeQueries(core.db);
  }

  /** Call it in working time only (the caller's quiet-hours check). */
  async scan(now: Date, today: IsoDate, days: WorkingDays, contacts: Contacts, runToken: string, late?: LateSend): Promise<DisputeScanResult> {
    const rows = await this.disputes.dueOpen(scanHorizon(today, days, this.policy));
    const said = await this.store.saidSteps(this.core.db, rows.map((d) => d.id));
    const planned: Planned[] = [];
    const unroutable: string[] = [];
    for (const d of rows) {
      const step = currentStep(today, d.targetDate, false, days, this.policy);
      if (!step) continue;
      // Said already, or a later step was (the calendar changed under it): nothing to add.
      if (laterStepSaid(step.code, said.get(`${d.id}|${d.targetDate}`) ?? [])) continue;
      const dueAt = dueInstant(step.date, this.core.config.REMINDERS_TIME, days, this.hours);
      if (dueAt > now) continue;
      const recipients = recipientsFor({ leaderId: null }, d.unit, step.level, contacts);
      if (!recipients.length) unroutable.push(d.no);
      else planned.push({ d, step, dueAt, recipients });
    }
    const r = planned.length
      ? await runTransaction(this.core.db, (trx) => this.queue(trx, planned, runToken, today, days, now, late))
      : { recorded: 0, messages: 0 };
    return { read: rows.length, due: planned.length, ...r, unroutable };
  }

  private async queue(trx: Knex.Transaction, planned: Planned[], token: string, today: IsoDate, days: WorkingDays, now: Date, late?: LateSend) {
    const byKey = new Map(planned.map((p) => [`${p.d.id}|${p.step.code}`, p]));
    const mine = await this.store.recordNew(trx, planned.map((p) => ({
      disputeId: p.d.id, targetDate: p.d.targetDate, step: p.step.code, stepDate: p.step.date, level: p.step.level, dueAt: p.dueAt, recipients: p.recipients,
    })), token, now);
    const msgs: OutboxMessage[] = [];
    for (const m of mine) {
      const p = byKey.get(`${m.disputeId}|${m.step}`)!;
      const left = timeLeft(today, p.d.targetDate, days).text;
      for (const rcpt of p.recipients) {
        const content = JSON.stringify(markLate(buildDisputeReminderCard({
          no: p.d.no, town: p.d.town, category: p.d.category, risk: p.d.risk, unit: p.d.unit, owner: p.d.owner, targetDate: p.d.targetDate,
          phase: p.step.phase, timeLeft: left, provisional: days.isEstimate(p.d.targetDate), audience: rcpt.role as ReminderAudience,
        }), late));
        msgs.push({ receiveIdType: rcpt.type === 'chat' ? 'chat_id' : 'open_id', receiveId: rcpt.id, msgType: 'interactive', content, source: `dispute-reminder:${m.id}` });
      }
    }
    await enqueueMessages(trx, msgs, now);
    return { recorded: mine.length, messages: msgs.length };
  }
}
