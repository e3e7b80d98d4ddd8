import { isDuplicateKey } from '../platform/database/duplicate-key';
import { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import { enqueueMessages, outboxStatusesBySource, type OutboxMessage } from '../platform/outbox/outbox-store';
import { caseNumbersById } from '../cases';
import type { DeadlineKind } from '../cases';
import type { Recipient } from './domain/escalation';

type Db = Knex | Knex.Transaction;

export interface NewReminder {
  caseId: number;
  deadlineId: number;
  kind: DeadlineKind;
  dueDate: string;
  step: string;
  stepDate: string;
  level: number;
  dueAt: Date;
  recipients: Recipient[];
}

export interface ReminderRow extends Omit<NewReminder, 'dueAt'> {
  id: number;
  dueAt: string;
  queuedAt: string;
  runToken: string;
}

export interface ReminderListEntry extends ReminderRow {
  caseNo: string;
  /** From its outbox messages: queued (not all sent yet), sent, failed. */
  status: 'queued' | 'sent' | 'failed';
}

/** Reminders per multi-row insert. */
const RECORD_CHUNK = 250;

/**
 * The reminders capability's own tables: reminders, recorded under their exactly-once key (case,
 * deadline kind, due date, step), and digests (one per working day). Every method takes the
 * caller's transaction where it writes. The case tables are read through the cases capability
 * (DueDeadlineQueries, LetterFlagQueries).
 */
export class ReminderStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records the reminders not recorded yet, under `runToken`, and returns those this call
   * recorded (a concurrent scan's or an earlier run's are left alone). Run it in the transaction
   * that queues their messages.
   */
  async recordNew(trx: Knex.Transaction, reminders: NewReminder[], runToken: string, now: Date): Promise<ReminderRow[]> {
    if (!reminders.length) return [];
    const t = toDbTime(now);
    // Same key order in every replica, so two scans wait on each other instead of deadlocking.
    const sorted = [...reminders].sort(
      (a, b) => a.caseId - b.caseId || a.kind.localeCompare(b.kind) || a.dueDate.localeCompare(b.dueDate) || a.step.localeCompare(b.step),
    );
    for (let i = 0; i < sorted.length; i += RECORD_CHUNK) {
      const part = sorted.slice(i, i + RECORD_CHUNK);
      // Not batchInsert: each chunk ignores the keys already recorded (ON CONFLICT DO NOTHING / INSERT IGNORE).
      await trx('reminders')
        .insert(
          part.map((r) => ({
            case_id: r.caseId,
            deadline_id: r.deadlineId,
            kind: r.kind,
            due_date: r.dueDate,
            step: r.step,
            step_date: r.stepDate,
            level: r.level,
            due_at: toDbTime(r.dueAt),
            queued_at: t,
            recipients: JSON.stringify(r.recipients),
            run_token: runToken,
          })),
        )
        .onConflict(['case_id', 'kind', 'due_date', 'step'])
        .ignore();
    }
    // By the run_token index alone (no ORDER BY id, which lets MySQL prefer walking the primary key): sorted here.
    return (await trx('reminders').where({ run_token: runToken })).map(toReminder).sort((a, b) => a.id - b.id);
  }

  /** Queues many outbox messages in the caller's transaction (the outbox's own writer), for the scan that queues thousands at once. */
  async queueMessages(trx: Knex.Transaction, msgs: OutboxMessage[], now: Date): Promise<void> {
    await enqueueMessages(trx, msgs, now);
  }

  /** Every recorded reminder, oldest first, with its case number and the state of its messages. */
  async list(db: Db = this.db): Promise<ReminderListEntry[]> {
    const all = (await db('reminders').orderBy('id')).map(toReminder);
    const caseNos = await caseNumbersById(db, all.map((r) => r.caseId));
    // A reminder whose case is gone is not listed (as the join with cases did before).
    const rows = all.filter((r) => caseNos.has(r.caseId));
    // The messages of every reminder (the outbox rows a scan queued carry source reminder:<id>).
    const statuses = await outboxStatusesBySource(db, rows.map((r) => `reminder:${r.id}`));
    return rows.map((r) => {
      const s = statuses.get(`reminder:${r.id}`) ?? [];
      const status: ReminderListEntry['status'] = s.includes('failed') ? 'failed' : s.length && s.every((x) => x === 'sent') ? 'sent' : 'queued';
      return { ...r, caseNo: caseNos.get(r.caseId)!, status };
    });
  }

  /** Records today's digest; false when it was already recorded (sent by another run). */
  async recordDigest(trx: Knex.Transaction, date: string, summary: Record<string, unknown>, now: Date): Promise<boolean> {
    try {
      await trx('digests').insert({ date, summary: JSON.stringify(summary), created_at: toDbTime(now) });
      return true;
    } catch (err: any) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async digestSent(date: string, db: Db = this.db): Promise<boolean> {
    return Boolean(await db('digests').where({ date }).first('date'));
  }
}

/** A unique-key violation on either dialect. */
function toReminder(r: any): ReminderRow {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    deadlineId: Number(r.deadline_id),
    kind: r.kind,
    dueDate: r.due_date,
    step: r.step,
    stepDate: r.step_date,
    level: Number(r.level),
    dueAt: r.due_at,
    queuedAt: r.queued_at,
    recipients: JSON.parse(r.recipients),
    runToken: r.run_token,
  };
}
