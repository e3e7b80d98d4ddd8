import { Knex } from 'knex';
import { toDbTime } from '../database/time';
import type { HolidayOverride } from './domain';

/** Admin corrections to the holiday data, and the years the admin has entered in full. */
export class HolidayStore {
  constructor(private readonly db: Knex) {}

  async overrides(): Promise<HolidayOverride[]> {
    const rows = await this.db('holiday_overrides').orderBy('date');
    return rows.map((r: any) => ({ date: r.date, kind: r.kind, name: r.name ?? undefined }));
  }

  async years(): Promise<number[]> {
    return (await this.db('holiday_years').orderBy('year')).map((r: any) => Number(r.year));
  }

  /** Replaces the overrides of the given days and records the declared years, all or nothing. */
  async importDays(days: HolidayOverride[], years: number[], source: string, now = new Date()): Promise<void> {
    const t = toDbTime(now);
    await this.db.transaction(async (trx) => {
      for (const d of days) {
        await trx('holiday_overrides')
          .insert({ date: d.date, kind: d.kind, name: d.name ?? null, created_at: t })
          .onConflict('date')
          .merge({ kind: d.kind, name: d.name ?? null });
      }
      for (const year of years) {
        await trx('holiday_years').insert({ year, source, created_at: t }).onConflict('year').merge({ source });
      }
    });
  }
}
