import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Logger } from '../logging/logger';
import {
  chineseDaysData,
  decodeHolidayFile,
  HolidayCalendar,
  HolidayOverride,
  IsoDate,
  legalPeriodEnd,
  parseHolidayFileText,
  PeriodEnd,
} from './domain';
import { HolidayStore } from './holiday-store';

/**
 * The legal calendar in force: the packaged State Council data, then config/holidays.json, then
 * what the admin imported into the database (later wins). Reload after an import; a server
 * watches for imports by other processes with startRefresh.
 */
export class CalendarService {
  private cal: HolidayCalendar = new HolidayCalendar(chineseDaysData());
  /** The sources' version the calendar in force was read at (see HolidayStore.version). */
  private loadedVersion: string | null = null;
  /** Its import counter alone (the first part of the version). */
  private loadedCounter: string | null = null;

  constructor(
    private readonly store: HolidayStore,
    private readonly configFile: string | null,
    private readonly rollOverWeekends: boolean,
  ) {}

  /** The calendar from the sources, the database read through `q` (an import's transaction). */
  async load(q?: Knex | Knex.Transaction): Promise<HolidayCalendar> {
    const overrides: HolidayOverride[] = [];
    const years: number[] = [];
    if (this.configFile && fs.existsSync(this.configFile)) {
      const file = parseHolidayFileText(decodeHolidayFile(fs.readFileSync(this.configFile)));
      overrides.push(...file.overrides);
      years.push(...file.years);
    }
    overrides.push(...(await this.store.overrides(q)));
    years.push(...(await this.store.years(q)));
    return new HolidayCalendar(chineseDaysData(), overrides, years);
  }

  async reload(): Promise<HolidayCalendar> {
    // The version first: an import that commits in between makes the next check reload again.
    const version = await this.version();
    this.cal = await this.load();
    this.loadedVersion = version;
    this.loadedCounter = version.split('|')[0];
    return this.cal;
  }

  /**
   * Called in a transaction about to store legal dates (a case's deadlines): waits for a holiday
   * import under way in any process (its lock on the counter row), and, when one committed since
   * this process loaded the calendar, loads the new one through `trx` first. So no replica stores a
   * date by the old calendar in the seconds before its refresh would have noticed.
   */
  async ensureCurrent(trx: Knex | Knex.Transaction): Promise<void> {
    const counter = await this.store.importCounter(trx);
    if (this.loadedCounter === null || counter === this.loadedCounter) return;
    this.cal = await this.load(trx);
    this.loadedCounter = counter;
    // The full version is read again by the next refresh, which then finds nothing new.
  }

  get calendar(): HolidayCalendar {
    return this.cal;
  }

  /** A legal period's last day; provisional (with unknownYears) where a year has no data. */
  periodEnd(trigger: IsoDate, days: number): PeriodEnd {
    return this.periodEndIn(this.cal, trigger, days);
  }

  /** The same over another calendar (an import's new one), with the settings' roll-over rule. */
  periodEndIn(cal: HolidayCalendar, trigger: IsoDate, days: number): PeriodEnd {
    return legalPeriodEnd(trigger, days, cal, { rollOverWeekends: this.rollOverWeekends, allowProvisional: true });
  }

  /** Reloads when the stored holidays (or config/holidays.json) changed since the last load; true if it did. */
  async refresh(): Promise<boolean> {
    if ((await this.version()) === this.loadedVersion) return false;
    await this.reload();
    return true;
  }

  /**
   * Checks every `intervalMs` whether another process (the CLI, another replica) imported
   * holidays, and reloads then. Started by `npm start`, never by the CLI. Returns the stop.
   */
  startRefresh(intervalMs: number, logger: Logger): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.refresh()
        .then((changed) => {
          if (changed) logger.info({ knownYears: this.describeYears() }, `节假日数据已更新，已重新载入法定日历（已知年份：${this.describeYears()}）`);
        })
        .catch((err) => logger.warn({ err }, '检查节假日数据是否更新时出错，稍后再试'))
        .finally(() => { busy = false; });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The known years as runs: 2004–2027, or 2004–2026、2028. */
  private describeYears(): string {
    const runs: string[] = [];
    const years = this.cal.knownYears();
    for (let i = 0; i < years.length; i++) {
      let j = i;
      while (j + 1 < years.length && years[j + 1] === years[j] + 1) j++;
      runs.push(j > i ? `${years[i]}–${years[j]}` : String(years[i]));
      i = j;
    }
    return runs.join('、') || '无';
  }

  private async version(): Promise<string> {
    let file = '';
    if (this.configFile) {
      try {
        const st = fs.statSync(this.configFile);
        file = `${st.mtimeMs}:${st.size}`;
      } catch {
        file = 'none';
      }
    }
    return `${await this.store.version()}|${file}`;
  }
}
