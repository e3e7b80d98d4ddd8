import fs from 'node:fs';
import {
  chineseDaysData,
  HolidayCalendar,
  HolidayOverride,
  IsoDate,
  legalPeriodEnd,
  parseHolidayFile,
  PeriodEnd,
} from './domain';
import { HolidayStore } from './holiday-store';

/**
 * The legal calendar in force: the packaged State Council data, then config/holidays.json, then
 * what the admin imported into the database (later wins). Reload after an import.
 */
export class CalendarService {
  private cal: HolidayCalendar = new HolidayCalendar(chineseDaysData());

  constructor(
    private readonly store: HolidayStore,
    private readonly configFile: string | null,
    private readonly rollOverWeekends: boolean,
  ) {}

  async reload(): Promise<HolidayCalendar> {
    const overrides: HolidayOverride[] = [];
    const years: number[] = [];
    if (this.configFile && fs.existsSync(this.configFile)) {
      const file = parseHolidayFile(JSON.parse(fs.readFileSync(this.configFile, 'utf8')));
      overrides.push(...file.overrides);
      years.push(...file.years);
    }
    overrides.push(...(await this.store.overrides()));
    years.push(...(await this.store.years()));
    this.cal = new HolidayCalendar(chineseDaysData(), overrides, years);
    return this.cal;
  }

  get calendar(): HolidayCalendar {
    return this.cal;
  }

  /** A legal period's last day; provisional (with unknownYears) where a year has no data. */
  periodEnd(trigger: IsoDate, days: number): PeriodEnd {
    return legalPeriodEnd(trigger, days, this.cal, {
      rollOverWeekends: this.rollOverWeekends,
      allowProvisional: true,
    });
  }
}
