import type { Knex } from 'knex';
import type { CalendarChange, CalendarChangeReport, Core, Feature } from '../core/feature';
import { changedDays, HolidayCalendar, HolidayFile, IsoDate, yearOf } from '../calendar/domain';
import { HolidayStore } from '../calendar/holiday-store';
import { runTransaction } from '../database/transaction';
import { describeDatabaseError } from '../database/database-error';
import { UserError } from '../errors/user-error';

/**
 * `xinfang holidays import`: the holiday file written and every feature's stored dates brought in
 * line with the new calendar, in one transaction (all or nothing). Lives beside the CLI, not in
 * platform/calendar, because it calls the features (platform/core), which know the calendar.
 */

export interface HolidayImportOptions {
  /** What the import is recorded as coming from (the file's name). */
  source: string;
  /** Do the same work, report it, and roll everything back. */
  dryRun: boolean;
}

/** One feature's part of the report, with the feature's name. */
export interface HolidayImportSection extends CalendarChangeReport {
  feature: string;
}

export interface HolidayImportResult {
  dryRun: boolean;
  /** What the file declared. */
  declared: { days: number; holidays: number; workdays: number; years: number[] };
  /** Days whose answer changed (working or not, or known or not), sorted. */
  changedDays: IsoDate[];
  /** Of those, the days that turned from working to rest or back. */
  workingDayChanges: Array<{ date: IsoDate; working: boolean; name?: string }>;
  /** Years the calendar did not know before and knows now. */
  newlyKnownYears: number[];
  sections: HolidayImportSection[];
}

/** Thrown inside the transaction of a dry run to roll it back, carrying the report out. */
class DryRunRollback extends Error {
  constructor(readonly result: HolidayImportResult) {
    super('dry run: rolled back');
  }
}

/** A feature's hook failed: the import is undone, and the admin is told which part failed. */
export class HolidayImportError extends Error {}

export async function importHolidays(core: Core, features: Feature[], file: HolidayFile, opts: HolidayImportOptions): Promise<HolidayImportResult> {
  const now = core.now();
  const store = new HolidayStore(core.db);
  let result: HolidayImportResult;
  try {
    result = await runTransaction(core.db, async (trx) => {
      // The lock first: a second import at the same time waits, then reads what this one wrote.
      await store.lockVersion(trx);
      const before = await core.calendar.load(trx);
      await store.writeDays(trx, file.overrides, file.years, opts.source, now);
      const after = await core.calendar.load(trx);
      const change = calendarChange(core, file, before, after, now, opts.dryRun);
      const sections = await notifyFeatures(core, features, change, trx);
      const r = summarize(file, change, sections, opts.dryRun);
      if (opts.dryRun) throw new DryRunRollback(r);
      return r;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result;
    throw e;
  }
  await core.calendar.reload();
  core.logger.info(
    { days: result.declared.days, years: result.declared.years, changedDays: result.changedDays.length, sections: result.sections.map((s) => s.counts) },
    `节假日已导入：${result.declared.days} 天，变化 ${result.changedDays.length} 天`,
  );
  return result;
}

function calendarChange(core: Core, file: HolidayFile, before: HolidayCalendar, after: HolidayCalendar, now: Date, dryRun: boolean): CalendarChange {
  // The two calendars differ only where the file speaks; every year either knows is looked at anyway.
  const years = [...file.years, ...file.overrides.map((o) => yearOf(o.date)), ...before.knownYears(), ...after.knownYears()];
  return {
    before,
    after,
    changedDays: changedDays(before, after, years),
    years: [...file.years],
    periodEnd: (trigger, days) => core.calendar.periodEndIn(after, trigger, days),
    now,
    dryRun,
  };
}

async function notifyFeatures(core: Core, features: Feature[], change: CalendarChange, trx: Knex.Transaction): Promise<HolidayImportSection[]> {
  const sections: HolidayImportSection[] = [];
  for (const f of features) {
    if (!f.onCalendarChange) continue;
    let report: CalendarChangeReport | null;
    try {
      report = await f.onCalendarChange(change, trx);
    } catch (err) {
      if (err instanceof DryRunRollback) throw err;
      // A database error is said in Chinese, without its SQL (the log has it at debug level).
      const why = describeDatabaseError(err) ?? (err instanceof UserError ? err.message : '内部错误，详情见日志');
      core.logger.debug({ err, feature: f.name }, 'holiday import: a feature failed');
      // The database's code goes along, so that runTransaction still retries a deadlock.
      throw Object.assign(new HolidayImportError(`${f.label ?? f.name}在按新日历调整时出错，整个导入已撤销，没有保存任何改动：${why}`, { cause: err }), {
        code: (err as { code?: unknown } | null)?.code,
      });
    }
    if (report) sections.push({ feature: f.name, ...report });
  }
  return sections;
}

function summarize(file: HolidayFile, change: CalendarChange, sections: HolidayImportSection[], dryRun: boolean): HolidayImportResult {
  const { before, after } = change;
  const holidays = file.overrides.filter((o) => o.kind === 'holiday').length;
  return {
    dryRun,
    declared: { days: file.overrides.length, holidays, workdays: file.overrides.length - holidays, years: [...file.years] },
    changedDays: change.changedDays,
    workingDayChanges: change.changedDays
      .filter((d) => before.isWorkingDayOrEstimate(d) !== after.isWorkingDayOrEstimate(d))
      .map((d) => ({ date: d, working: after.isWorkingDayOrEstimate(d), name: after.holidayName(d) })),
    newlyKnownYears: after.knownYears().filter((y) => !before.isKnown(`${y}-01-01`)),
    sections,
  };
}
