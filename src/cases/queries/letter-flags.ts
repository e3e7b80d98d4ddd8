import { insertInChunks } from '../../platform/database/insert-in-chunks';
import { Knex } from 'knex';
import { toDbTime } from '../../platform/database/time';
import type { CaseStatus, DeadlineKind } from '../domain/case-status';
import { caseEventData } from './case-event-data';
import { chunks } from './id-chunks';
import { LETTER_ACTION } from './letter-cases';

type Db = Knex | Knex.Transaction;

/** The action on case_events that flags a case for a 督办函. */
export const FLAG_LETTER_ACTION = 'flag_letter';

/** Flag rows per multi-row insert. */
const FLAG_INSERT_CHUNK = 200;

/** One deadline the escalation flags for a 督办函. */
export interface LetterFlag {
  caseId: number;
  caseStatus: CaseStatus;
  kind: DeadlineKind;
  dueDate: string;
  overdueWorkingDays: number;
  reason: string;
}

/** "caseId|kind|dueDate": how a flagged deadline is named in the sets below. */
export function letterFlagKey(caseId: number, kind: string, dueDate: string): string {
  return `${caseId}|${kind}|${dueDate}`;
}

/**
 * The 督办函 flags the reminder escalation leaves on a case's audit trail (case_events, action
 * flag_letter), and which of them no 督办函 has answered yet. The cases capability owns the table.
 */
export class LetterFlagQueries {
  constructor(private readonly db: Knex) {}

  /** The "caseId|kind|dueDate" keys of these cases already flagged for a 督办函. */
  async flaggedKeys(trx: Db, caseIds: number[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(caseIds)])) {
      const rows = await trx('case_events').whereIn('case_id', part).where('action', FLAG_LETTER_ACTION).select('case_id', 'data');
      for (const r of rows) {
        const d = caseEventData(r.data);
        out.add(letterFlagKey(r.case_id, d?.kind, d?.dueDate));
      }
    }
    return out;
  }

  /** Flags cases for a 督办函 on their audit trail, in the caller's transaction. */
  async flagForLetter(trx: Knex.Transaction, flags: LetterFlag[], now: Date): Promise<void> {
    const at = toDbTime(now);
    const rows = flags.map((f) => ({
      case_id: f.caseId,
      action: FLAG_LETTER_ACTION,
      from_status: f.caseStatus,
      to_status: f.caseStatus,
      actor_id: 'system',
      reason: f.reason,
      data: JSON.stringify({ letter: '督办函', kind: f.kind, dueDate: f.dueDate, overdueWorkingDays: f.overdueWorkingDays }),
      at,
    }));
    await insertInChunks(trx, 'case_events', rows, FLAG_INSERT_CHUNK);
  }

  /** Cases (of these) flagged for a 督办函 with no 督办函 issued since: "caseId|kind|dueDate" keys. */
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
        const d = caseEventData(r.data);
        const list = flags.get(Number(r.case_id)) ?? [];
        if (r.action === FLAG_LETTER_ACTION) list.push(letterFlagKey(r.case_id, d?.kind, d?.dueDate));
        else if (d?.type === '督办函') list.length = 0;
        flags.set(Number(r.case_id), list);
      }
      for (const list of flags.values()) list.forEach((k) => out.add(k));
    }
    return out;
  }
}
