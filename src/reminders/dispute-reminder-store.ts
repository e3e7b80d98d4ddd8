import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import { outboxStatusesBySource } from '../platform/outbox/outbox-store';
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

/** A row as `reminders list` shows it: the state of its messages (queued until all are sent, failed if one failed). */
export interface DisputeReminderListRow extends DisputeReminderRow {
  status: 'queued' | 'sent' | 'failed';
}

type Db = Knex | Knex.Transaction;

/** Ids per IN (…) list: well under the bound-parameter limits of SQLite and MySQL. */
const IN_LIST_MAX = 500;

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
  async list(db: Db = this.db): Promise<DisputeReminderRow[]> {
    return (await db('dispute_reminders').orderBy('id')).map(toRow);
  }

  /** Every dispute reminder with the state of its messages (outbox rows of source dispute-reminder:<id>). */
  async listWithStatus(db: Db = this.db): Promise<DisputeReminderListRow[]> {
    const rows = await this.list(db);
    const statuses = await outboxStatusesBySource(db, rows.map((r) => `dispute-reminder:${r.id}`));
    return rows.map((r) => {
      const s = statuses.get(`dispute-reminder:${r.id}`) ?? [];
      return { ...r, status: s.includes('failed') ? 'failed' : s.length && s.every((x) => x === 'sent') ? 'sent' : 'queued' };
    });
  }

  /** The reminders recorded for some disputes, oldest first. */
  async recordedFor(db: Db, disputeIds: readonly number[]): Promise<DisputeReminderRow[]> {
    const ids = [...new Set(disputeIds)];
    const out: DisputeReminderRow[] = [];
    for (let i = 0; i < ids.length; i += IN_LIST_MAX) {
      out.push(...(await db('dispute_reminders').whereIn('dispute_id', ids.slice(i, i + IN_LIST_MAX)).orderBy('id')).map(toRow));
    }
    return out;
  }

  /** The steps already said of each (dispute, target date), keyed `id|date`. */
  async saidSteps(db: Db, disputeIds: readonly number[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await this.recordedFor(db, disputeIds)) {
      const k = `${r.disputeId}|${r.targetDate}`;
      out.set(k, [...(out.get(k) ?? []), r.step]);
    }
    return out;
  }

  /** A holiday import: recorded steps take the day (and due instant) the new calendar gives them. */
  async restep(trx: Knex.Transaction, moves: ReadonlyArray<{ id: number; stepDate: string; dueAt: Date }>): Promise<void> {
    for (const m of moves) await trx('dispute_reminders').where({ id: m.id }).update({ step_date: m.stepDate, due_at: toDbTime(m.dueAt) });
  }
}

function toRow(r: any): DisputeReminderRow {
  return {
    id: Number(r.id), disputeId: Number(r.dispute_id), targetDate: r.target_date, step: r.step, stepDate: r.step_date,
    level: Number(r.level), dueAt: r.due_at, queuedAt: r.queued_at, recipients: JSON.parse(r.recipients),
  };
}
