import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain';
import type { CalendarChange, CalendarChangeReport } from '../platform/core/feature';
import type { PeriodFn } from './domain/case-deadlines';
import type { DeadlineKind } from './domain/case-status';
import { DeadlineChange, recomputeOpenDeadlines } from './domain/deadline-recompute';
import { deadlineReportLines, importLabel, moveReason } from './domain/deadline-move-words';
import { deadlineWindows } from './domain/deadline-window';
import { DeadlineMovedEvent, DeadlineRecomputeStore } from './deadline-recompute-store';
import { chunks } from './queries/id-chunks';

/** A stored deadline a holiday import moved (what reminders follow). */
export interface DeadlineMove {
  caseId: number;
  caseNo: string;
  kind: DeadlineKind;
  from: IsoDate;
  to: IsoDate;
  /** Why, in Chinese, without the import's name: "1月1日为元旦假日，顺延至1月4日". */
  reason: string;
}

export interface DeadlineRecomputeResult {
  /** Open deadlines read and recomputed. */
  checked: number;
  /** Those whose due date changed, by case number and kind. */
  moves: DeadlineMove[];
  /** Provisional ones the new calendar makes final. */
  madeFinal: number;
  /** Cases with a deadline moved or made final. */
  cases: number;
}

/** Deadlines read per round trip (with their cases). */
const CHUNK = 1000;

/**
 * One recompute per change and transaction: the cases feature reports it and the reminders feature
 * follows its moves, whichever of them the importer calls first, and the work is done once.
 */
const done = new WeakMap<CalendarChange, WeakMap<Knex.Transaction, Promise<DeadlineRecomputeResult>>>();

/**
 * Brings the stored open deadlines in line with a new calendar, inside the import's transaction:
 * reads only those the changed days can touch (domain/deadline-window.ts) and the provisional ones,
 * recomputes them by the rule of every case change, writes the new dates and flags in batches, and
 * leaves an audit entry (deadline_moved) per moved deadline. Memoized per (change, trx).
 */
export function recomputeDeadlines(change: CalendarChange, trx: Knex.Transaction): Promise<DeadlineRecomputeResult> {
  let perTrx = done.get(change);
  if (!perTrx) done.set(change, (perTrx = new WeakMap()));
  let result = perTrx.get(trx);
  if (!result) {
    result = run(change, trx);
    perTrx.set(trx, result);
  }
  return result;
}

async function run(change: CalendarChange, trx: Knex.Transaction): Promise<DeadlineRecomputeResult> {
  const store = new DeadlineRecomputeStore();
  const windows = deadlineWindows(change.changedDays, (d) => change.before.isWorkingDayOrEstimate(d));
  const ids = await store.candidateIds(trx, windows);
  // The new calendar is fixed for the run and cases share their dates: each (trigger, days) once.
  const memo = new Map<string, { lastDay: IsoDate; provisional: boolean }>();
  const period: PeriodFn = (trigger, days) => {
    const key = `${trigger}|${days}`;
    let r = memo.get(key);
    if (!r) {
      const p = change.periodEnd(trigger, days);
      memo.set(key, (r = { lastDay: p.lastDay, provisional: p.provisional }));
    }
    return r;
  };
  const label = importLabel(change.years);
  const moves: DeadlineMove[] = [];
  const changes: DeadlineChange[] = [];
  const events: DeadlineMovedEvent[] = [];
  const touched = new Set<number>();
  let checked = 0;
  let madeFinal = 0;
  // Read in chunks; the writes are gathered and made at the end, grouped by new date (a few
  // dozen statements for a year), not per chunk or per row.
  for (const part of chunks(ids, CHUNK)) {
    const rows = await store.openWithCases(trx, part);
    checked += rows.length;
    const statusOf = new Map(rows.map((r) => [r.caseId, r.caseStatus]));
    for (const c of recomputeOpenDeadlines(rows, period)) {
      changes.push(c);
      touched.add(c.caseId);
      if (c.wasProvisional && !c.provisional) madeFinal++;
      if (c.from === c.to) continue;
      const reason = moveReason(c.from, c.to, change.before, change.after);
      moves.push({ caseId: c.caseId, caseNo: c.caseNo, kind: c.kind, from: c.from, to: c.to, reason });
      events.push({ caseId: c.caseId, caseStatus: statusOf.get(c.caseId)!, kind: c.kind, from: c.from, to: c.to, reason: `${label}：${reason}` });
    }
  }
  await store.applyChanges(trx, changes, change.now);
  await store.addMovedEvents(trx, events, change.now);
  moves.sort((a, b) => a.from.localeCompare(b.from) || a.caseNo.localeCompare(b.caseNo) || a.kind.localeCompare(b.kind));
  return { checked, moves, madeFinal, cases: touched.size };
}

/** The cases feature's section of the import's report: 办理期限. */
export function deadlineReport(r: DeadlineRecomputeResult): CalendarChangeReport {
  const counts = { checked: r.checked, moved: r.moves.length, madeFinal: r.madeFinal, cases: r.cases };
  return { title: '办理期限', counts, lines: deadlineReportLines(counts, r.moves) };
}
