import type { Knex } from 'knex';
import type { RecordedReminder } from './domain/reminder-follow';

/** Ids per IN (…) list: well under the bound-parameter limits of SQLite and MySQL. */
const IN_LIST_MAX = 500;

/**
 * The reminders table as a holiday import reads and re-keys it (reminder-follow.ts): the recorded
 * reminders of some cases, by the key's leading case_id, and new due dates in batches.
 */
export class ReminderFollowStore {
  /** The reminders recorded for these cases (id, key). */
  async recordedFor(trx: Knex.Transaction, caseIds: readonly number[]): Promise<RecordedReminder[]> {
    const ids = [...new Set(caseIds)];
    const out: RecordedReminder[] = [];
    for (let i = 0; i < ids.length; i += IN_LIST_MAX) {
      const rows: any[] = await trx('reminders').whereIn('case_id', ids.slice(i, i + IN_LIST_MAX)).select('id', 'case_id', 'kind', 'due_date', 'step');
      for (const r of rows) out.push({ id: Number(r.id), caseId: Number(r.case_id), kind: r.kind, dueDate: r.due_date, step: r.step });
    }
    return out;
  }

  /** Moves reminders to new due dates: one UPDATE per date and chunk of ids. */
  async rekey(trx: Knex.Transaction, items: ReadonlyArray<{ id: number; to: string }>): Promise<void> {
    const byDate = new Map<string, number[]>();
    for (const it of items) {
      const list = byDate.get(it.to);
      if (list) list.push(it.id);
      else byDate.set(it.to, [it.id]);
    }
    for (const [due, ids] of byDate) {
      for (let i = 0; i < ids.length; i += IN_LIST_MAX) await trx('reminders').whereIn('id', ids.slice(i, i + IN_LIST_MAX)).update({ due_date: due });
    }
  }
}
