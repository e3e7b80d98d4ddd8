import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain/dates';

/** The leaders' reception days of a period, as the statistics report them. */
export interface ReceptionFigures {
  /** Sessions whose outcome was recorded (接访记录: status held). */
  sessionsHeld: number;
  /** Sessions dated in the period and not cancelled (held, coming, or not recorded yet). */
  sessionsPlanned: number;
  /** 接待批次, summed over the recorded outcomes. */
  batches: number;
  /** 接待人次, summed over the recorded outcomes. */
  people: number;
}

/**
 * Reception sessions dated in the period (both ends included), from their recorded outcomes (批次/人次).
 * The counts come from the index (date, status) (migration 032) alone; only the held sessions'
 * rows are read, for their outcome: the period's sessions, whatever else the table holds.
 */
export async function receptionFigures(db: Knex | Knex.Transaction, period: { from: IsoDate; to: IsoDate }): Promise<ReceptionFigures> {
  const dated = () => db('sessions').whereBetween('date', [period.from, period.to]);
  const [counts, held]: [any[], Array<{ outcome: string | null }>] = await Promise.all([
    dated().whereNot('status', 'cancelled').select(db.raw('count(*) as n'), db.raw("sum(case when status = 'held' then 1 else 0 end) as h")),
    dated().where('status', 'held').select('outcome'),
  ]);
  const out: ReceptionFigures = { sessionsHeld: Number(counts[0]?.h ?? 0), sessionsPlanned: Number(counts[0]?.n ?? 0), batches: 0, people: 0 };
  for (const r of held) {
    const o = parseOutcome(r.outcome);
    out.batches += o.batches;
    out.people += o.persons;
  }
  return out;
}

function parseOutcome(s: string | null): { batches: number; persons: number } {
  try {
    const o = s ? (JSON.parse(s) as { batches?: unknown; persons?: unknown }) : {};
    const n = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);
    return { batches: n(o.batches), persons: n(o.persons) };
  } catch {
    return { batches: 0, persons: 0 };
  }
}
