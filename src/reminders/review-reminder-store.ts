import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { Recipient } from './domain/escalation';

export interface NewReviewReminder {
  reviewId: number;
  dueDate: string;
  step: string;
  stepDate: string;
  level: number;
  dueAt: Date;
  recipients: Recipient[];
}

export interface ReviewReminderRow extends Omit<NewReviewReminder, 'dueAt'> {
  id: number;
  dueAt: string;
  queuedAt: string;
}

/**
 * review_reminders (migration 027): the reminders of the 整改 due dates of 信访事项评查, under their
 * exactly-once key (review, due date, step). The reviews themselves are read through ../reviews.
 */
export class ReviewReminderStore {
  constructor(private readonly db: Knex) {}

  /** Records the reminders not recorded yet under `runToken`; returns those this call recorded. */
  async recordNew(trx: Knex.Transaction, reminders: NewReviewReminder[], runToken: string, now: Date): Promise<ReviewReminderRow[]> {
    if (!reminders.length) return [];
    const sorted = [...reminders].sort((a, b) => a.reviewId - b.reviewId || a.step.localeCompare(b.step));
    for (let i = 0; i < sorted.length; i += 250) {
      await trx('review_reminders')
        .insert(sorted.slice(i, i + 250).map((r) => ({
          review_id: r.reviewId, due_date: r.dueDate, step: r.step, step_date: r.stepDate, level: r.level,
          due_at: toDbTime(r.dueAt), queued_at: toDbTime(now), recipients: JSON.stringify(r.recipients), run_token: runToken,
        })))
        .onConflict(['review_id', 'due_date', 'step'])
        .ignore();
    }
    return (await trx('review_reminders').where({ run_token: runToken }).orderBy('id')).map(toRow);
  }

  /** Every review reminder, oldest first. */
  async list(db: Knex | Knex.Transaction = this.db): Promise<ReviewReminderRow[]> {
    return (await db('review_reminders').orderBy('id')).map(toRow);
  }
}

function toRow(r: any): ReviewReminderRow {
  return {
    id: Number(r.id), reviewId: Number(r.review_id), dueDate: r.due_date, step: r.step, stepDate: r.step_date,
    level: Number(r.level), dueAt: r.due_at, queuedAt: r.queued_at, recipients: JSON.parse(r.recipients),
  };
}
