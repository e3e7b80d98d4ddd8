import { Knex } from 'knex';
import { nextCounterValue } from '../database/counter-store';
import { toDbTime } from '../database/time';
import type { HolidayOverride } from './domain';

/** The counter every import raises, so that every replica sees that the holidays changed. */
const VERSION_COUNTER = 'holidays:version';

/** Admin corrections to the holiday data, and the years the admin has entered in full. */
export class HolidayStore {
  constructor(private readonly db: Knex) {}

  /** The overrides, read through `q` (a transaction of the caller's) or the database. */
  async overrides(q: Knex | Knex.Transaction = this.db): Promise<HolidayOverride[]> {
    const rows = await q('holiday_overrides').orderBy('date');
    return rows.map((r: any) => ({ date: r.date, kind: r.kind, name: r.name ?? undefined }));
  }

  async years(q: Knex | Knex.Transaction = this.db): Promise<number[]> {
    return (await q('holiday_years').orderBy('year')).map((r: any) => Number(r.year));
  }

  /**
   * A cheap token that changes whenever the stored holidays do: the import counter, and the
   * count and latest time of both tables (for rows written by other means). One round trip.
   */
  async version(): Promise<string> {
    const row: any = await this.db
      .first(
        this.db('counters').where({ name: VERSION_COUNTER }).select('value').as('v'),
        this.db('holiday_overrides').count({ n: '*' }).as('oc'),
        this.db('holiday_overrides').max({ m: 'created_at' }).as('om'),
        this.db('holiday_years').count({ n: '*' }).as('yc'),
        this.db('holiday_years').max({ m: 'created_at' }).as('ym'),
      );
    return [row?.v, row?.oc, row?.om, row?.yc, row?.ym].map((x) => String(x ?? '')).join('|');
  }

  /**
   * The import counter alone, read in the caller's transaction with a shared lock: while an import
   * holds the row (lockVersion), this waits for its commit and then answers its new value.
   */
  async importCounter(trx: Knex | Knex.Transaction): Promise<string> {
    const row: any = await trx('counters').where({ name: VERSION_COUNTER }).forShare().first('value');
    return String(row?.value ?? '');
  }

  /**
   * Replaces the overrides of the given days and records the declared years, all or nothing: in
   * the caller's transaction `trx` when given, else in one of its own. Raises the version.
   */
  async importDays(days: HolidayOverride[], years: number[], source: string, now = new Date(), trx?: Knex.Transaction): Promise<void> {
    if (!trx) return this.db.transaction((t) => this.importDays(days, years, source, now, t));
    await this.lockVersion(trx);
    await this.writeDays(trx, days, years, source, now);
  }

  /**
   * Raises the version inside `trx` and so holds its row lock until the commit: two imports at
   * once run one after the other, the second reading what the first wrote.
   */
  async lockVersion(trx: Knex.Transaction): Promise<void> {
    await nextCounterValue(trx, VERSION_COUNTER);
  }

  /** The writes of importDays, in the caller's transaction (which has taken lockVersion). */
  async writeDays(trx: Knex.Transaction, days: HolidayOverride[], years: number[], source: string, now: Date): Promise<void> {
    const t = toDbTime(now);
    const src = source.length > 128 ? `…${source.slice(-127)}` : source;
    // A year the file gives in full is the file's alone: a day imported before for it and now absent goes.
    for (const year of years) {
      const keep = days.filter((d) => d.date.startsWith(`${year}-`)).map((d) => d.date);
      await trx('holiday_overrides').whereBetween('date', [`${year}-01-01`, `${year}-12-31`]).whereNotIn('date', keep.length ? keep : ['']).delete();
    }
    for (const d of days) {
      await trx('holiday_overrides')
        .insert({ date: d.date, kind: d.kind, name: d.name ?? null, created_at: t })
        .onConflict('date')
        .merge({ kind: d.kind, name: d.name ?? null });
    }
    for (const year of years) {
      await trx('holiday_years').insert({ year, source: src, created_at: t }).onConflict('year').merge({ source: src });
    }
  }
}
