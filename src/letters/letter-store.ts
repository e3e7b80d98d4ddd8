import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { toDbTime } from '../platform/database/time';
import { LETTER_KINDS, LetterKind } from './letter-numbering';

type Db = Knex | Knex.Transaction;

/** One letter in the register, whatever its kind. */
export interface LetterEntry {
  number: string;
  kind: LetterKind;
  year: number;
  seq: number;
  unit: string;
  caseNos: string[];
  /** 改进工作建议函: the suggestion in short; null for the deadline letters. */
  subject: string | null;
  date: IsoDate;
  by: string;
}

function toEntry(r: any): LetterEntry {
  return {
    number: r.number, kind: r.kind, year: Number(r.year), seq: Number(r.seq), unit: r.unit, caseNos: JSON.parse(r.case_nos ?? '[]'),
    subject: r.subject ?? null, date: r.issued_date, by: r.issued_by,
  };
}

/** The only SQL of the letters register (table letters). */
export class LetterStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Db, e: LetterEntry, now: Date): Promise<void> {
    await trx('letters').insert({
      number: e.number, kind: e.kind, year: e.year, seq: e.seq, unit: e.unit, case_nos: JSON.stringify(e.caseNos), subject: e.subject,
      issued_date: e.date, issued_by: e.by, created_at: toDbTime(now),
    });
  }

  /** Every letter, of a year and a kind when given, in the order they were issued. */
  async list(filter: { year?: number; kind?: LetterKind } = {}, db: Db = this.db): Promise<LetterEntry[]> {
    const q = db('letters').orderBy([{ column: 'issued_date' }, { column: 'id' }]);
    if (filter.year !== undefined) q.where('year', filter.year);
    if (filter.kind) q.where('kind', filter.kind);
    return (await q).map(toEntry);
  }

  /** Letters issued from `from` to `to` (both included), by kind; every kind present, 0 when none. */
  async countsBetween(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<Record<LetterKind, number>> {
    const rows = await db('letters').whereBetween('issued_date', [from, to]).groupBy('kind').select('kind').count({ n: '*' });
    const out = Object.fromEntries(LETTER_KINDS.map((k) => [k, 0])) as Record<LetterKind, number>;
    for (const r of rows as any[]) if ((LETTER_KINDS as readonly string[]).includes(r.kind)) out[r.kind as LetterKind] = Number(r.n);
    return out;
  }
}
