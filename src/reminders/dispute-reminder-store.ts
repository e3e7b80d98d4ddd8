import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { Recipient } from './domain/escalation';

export interface NewDisputeReminder {
  disputeId: number;
  targetDate: string;
  step: string;
  stepDate: string;
  level: number;
  dueAt: Date;
  recipients: Recipient[];
}

export interface DisputeReminderRow extends Omit<NewDisputeReminder, 'dueAt'> {
  id: number;
  dueAt: string;
  queuedAt: string;
}

/**
 * dispute_reminders: the reminders of the disputes' target dates, under their exactly-once key
 * (dispute, target date, step). The disputes themselves are read through ../disputes.
 */
export class DisputeReminderStore {
  constructor(private readonly db: Knex) {}

  /** Records the reminders not recorded yet under `runToken`; returns those this call recorded. */
  async recordNew(trx: Knex.Transaction, reminders: NewDisputeReminder[], runToken: string, now: Date): Promise<DisputeReminderRow[]> {
    if (!reminders.length) return [];
    const sorted = [...reminders].sort((a, b) => a.disputeId - b.disputeId || a.step.localeCompare(b.step));
    for (let i = 0; i < sorted.length; i += 250) {
      await trx('dispute_reminders')
        .insert(sorted.slice(i, i + 250).map((r) => ({
          dispute_id: r.disputeId, target_date: r.targetDate, step: r.step, step_date: r.stepDate, level: r.level,
          due_at: toDbTime(r.dueAt), queued_at: toDbTime(now), recipients: JSON.stringify(r.recipients), run_token: runToken,
        })))
        .onConflict(['dispute_id', 'target_date', 'step'])
        .ignore();
    }
    return (await trx('dispute_reminders').where({ run_token: runToken }).orderBy('id')).map(toRow);
  }

  /** Every dispute reminder, oldest first. */
  async list(db: Knex | Knex.Transaction = this.db): Promise<DisputeReminderRow[]> {
    return (await db('dispute_reminders').orderBy('id')).map(toRow);
  }
}

function toRow(r: any): DisputeReminderRow {
  return {
    id: Number(r.id), disputeId: Number(r.dispute_id), targetDate: r.target_date, step: r.step, stepDate: r.step_date,
    level: Number(r.level), dueAt: r.due_at, queuedAt: r.queued_at, recipients: JSON.parse(r.recipients),
  };
}
