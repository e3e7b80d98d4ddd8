import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { OutboxMessage } from '../platform/outbox/outbox-store';
import { LETTER_ACTION } from '../cases';
import type { CaseStatus, DeadlineKind } from '../cases';

type Db = Knex | Knex.Transaction;

/** An open deadline joined with what its reminder card and its recipients need (no ID number, no phone). */
export interface DueDeadline {
  deadlineId: number;
  caseId: number;
  caseNo: string;
  caseStatus: CaseStatus;
  kind: DeadlineKind;
  dueDate: string;
  provisional: boolean;
  /** Who must act on this deadline (case_deadlines.unit). */
  deadlineUnit: string | null;
  /** The case's handling unit (cases.unit). */
  caseUnit: string | null;
  category: string;
  town: string;
  petitionerName: string;
  leaderId: string | null;
  supervised: boolean;
}

export interface Recipient {
  type: 'chat' | 'user';
  id: string;
  /** Why this one: the unit's group or contact, the bureau (no unit group), supervision, leader, director. */
  role: 'unit' | 'bureau' | 'supervision' | 'leader' | 'director';
}

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

/** The action on case_events that flags a case for a 督办函. */
export const FLAG_LETTER_ACTION = 'flag_letter';

const CHUNK = 500;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Reminders recorded under their exactly-once key (case, deadline kind, due date, step), and the
 * reads the scan, the digest and the letters make. Every method takes the caller's transaction
 * where it writes.
 */
export class ReminderStore {
  constructor(private readonly db: Knex) {}

  /**
   * Open deadlines of the given kinds due on or before `until`. The range on
   * case_deadlines(status, due_date) reads only such rows; each joins its case by primary key.
   */
  dueDeadlinesQuery(until: string, kinds: readonly DeadlineKind[], db: Db = this.db): Knex.QueryBuilder {
    return db('case_deadlines as d')
      .join('cases as c', 'c.id', 'd.case_id')
      .where('d.status', 'open')
      .where('d.due_date', '<=', until)
      .whereIn('d.kind', [...kinds])
      .select(
        'd.id as deadline_id', 'd.case_id', 'd.kind', 'd.due_date', 'd.provisional', 'd.unit as deadline_unit',
        'c.case_no', 'c.status as case_status', 'c.unit as case_unit', 'c.category', 'c.town', 'c.name', 'c.leader_id', 'c.supervised',
      )
      // The index's own order (status, due_date, id): no sort, and every replica batches alike.
      .orderBy([{ column: 'd.due_date' }, { column: 'd.id' }]);
  }

  async dueDeadlines(until: string, kinds: readonly DeadlineKind[], openStatuses: readonly CaseStatus[], db: Db = this.db): Promise<DueDeadline[]> {
    const rows = await this.dueDeadlinesQuery(until, kinds, db).whereIn('c.status', [...openStatuses]);
    return rows.map(toDue);
  }

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
    for (const part of chunks(sorted, 250)) {
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
    return (await trx('reminders').where({ run_token: runToken }).orderBy('id')).map(toReminder);
  }

  /** The (kind, due date) pairs of these cases already flagged for a 督办函. */
  async flaggedKeys(trx: Db, caseIds: number[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(caseIds)])) {
      const rows = await trx('case_events').whereIn('case_id', part).where('action', FLAG_LETTER_ACTION).select('case_id', 'data');
      for (const r of rows) {
        const d = parseJson(r.data);
        out.add(`${r.case_id}|${d?.kind}|${d?.dueDate}`);
      }
    }
    return out;
  }

  /** Flags cases for a 督办函 on their audit trail (case_events, action flag_letter). */
  async flagForLetter(
    trx: Db,
    flags: Array<{ caseId: number; caseStatus: CaseStatus; kind: DeadlineKind; dueDate: string; overdueWorkingDays: number; reason: string }>,
    now: Date,
  ): Promise<void> {
    for (const part of chunks(flags, 200)) {
      await trx('case_events').insert(
        part.map((f) => ({
          case_id: f.caseId,
          action: FLAG_LETTER_ACTION,
          from_status: f.caseStatus,
          to_status: f.caseStatus,
          actor_id: 'system',
          reason: f.reason,
          data: JSON.stringify({ letter: '督办函', kind: f.kind, dueDate: f.dueDate, overdueWorkingDays: f.overdueWorkingDays }),
          at: toDbTime(now),
        })),
      );
    }
  }

  /**
   * Queues many outbox messages in the caller's transaction, in multi-row inserts: the same rows
   * enqueueMessage writes one by one (a test holds the two to the same shape), for the scan that
   * queues thousands at once.
   */
  async queueMessages(trx: Knex.Transaction, msgs: OutboxMessage[], now: Date): Promise<void> {
    const t = toDbTime(now);
    for (const part of chunks(msgs, 250)) {
      await trx('outbox').insert(
        part.map((m) => ({
          uuid: randomUUID(),
          kind: m.kind ?? 'create',
          receive_id_type: m.receiveIdType ?? 'chat_id',
          receive_id: m.receiveId ?? null,
          reply_to: m.replyTo ?? null,
          message_id: m.messageId ?? null,
          msg_type: m.msgType,
          content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
          status: 'pending',
          attempts: 0,
          next_attempt_at: toDbTime(m.notBefore ?? now),
          source: m.source ?? null,
          created_at: t,
        })),
      );
    }
  }

  /**
   * Cases (of these) flagged for a 督办函 with no 督办函 issued since: "caseId|kind|dueDate" keys.
   */
  async pendingLetterFlags(caseIds: number[], db: Db = this.db): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(caseIds)])) {
      const rows = await db('case_events')
        .whereIn('case_id', part)
        .whereIn('action', [FLAG_LETTER_ACTION, LETTER_ACTION])
        .orderBy('id')
        .select('case_id', 'action', 'data');
      const flags = new Map<number, string[]>();
      for (const r of rows) {
        const d = parseJson(r.data);
        const list = flags.get(Number(r.case_id)) ?? [];
        if (r.action === FLAG_LETTER_ACTION) list.push(`${r.case_id}|${d?.kind}|${d?.dueDate}`);
        else if (d?.type === '督办函') list.length = 0;
        flags.set(Number(r.case_id), list);
      }
      for (const list of flags.values()) list.forEach((k) => out.add(k));
    }
    return out;
  }

  /** Every recorded reminder, oldest first, with its case number and the state of its messages. */
  async list(db: Db = this.db): Promise<ReminderListEntry[]> {
    const rows = await db('reminders as r').join('cases as c', 'c.id', 'r.case_id').select('r.*', 'c.case_no').orderBy('r.id');
    const statuses = new Map<string, string[]>();
    for (const part of chunks(rows.map((r: any) => `reminder:${r.id}`))) {
      for (const o of await db('outbox').whereIn('source', part).select('source', 'status')) {
        statuses.set(o.source, [...(statuses.get(o.source) ?? []), o.status]);
      }
    }
    return rows.map((r: any) => {
      const s = statuses.get(`reminder:${r.id}`) ?? [];
      const status: ReminderListEntry['status'] = s.includes('failed') ? 'failed' : s.length && s.every((x) => x === 'sent') ? 'sent' : 'queued';
      return { ...toReminder(r), caseNo: r.case_no, status };
    });
  }

  /** Records today's digest; false when it was already recorded (sent by another run). */
  async recordDigest(trx: Knex.Transaction, date: string, summary: Record<string, unknown>, now: Date): Promise<boolean> {
    try {
      await trx('digests').insert({ date, summary: JSON.stringify(summary), created_at: toDbTime(now) });
      return true;
    } catch (err: any) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }

  async digestSent(date: string, db: Db = this.db): Promise<boolean> {
    return Boolean(await db('digests').where({ date }).first('date'));
  }
}

/** A unique-key violation on either dialect. */
export function isDuplicate(err: any): boolean {
  const code = String(err?.code ?? '');
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || code.startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

function parseJson(s: unknown): any {
  if (typeof s !== 'string') return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function toDue(r: any): DueDeadline {
  return {
    deadlineId: Number(r.deadline_id),
    caseId: Number(r.case_id),
    caseNo: r.case_no,
    caseStatus: r.case_status,
    kind: r.kind,
    dueDate: r.due_date,
    provisional: Boolean(r.provisional),
    deadlineUnit: r.deadline_unit ?? null,
    caseUnit: r.case_unit ?? null,
    category: r.category,
    town: r.town,
    petitionerName: r.name,
    leaderId: r.leader_id ?? null,
    supervised: Boolean(r.supervised),
  };
}

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
    recipients: parseJson(r.recipients) ?? [],
    runToken: r.run_token,
  };
}
