import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { CalendarService } from '../../../src/platform/calendar/calendar-service';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { openDatabase } from '../../../src/platform/database/connection';
import { loadConfig } from '../../../src/platform/settings/config';
import type { Logger } from '../../../src/platform/logging/logger';
import { freshDb, testDialects } from '../../helpers/db';

/** A logger that keeps its info lines. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = { info: (_o: unknown, msg: string) => lines.push(msg), warn: (_o: unknown, msg: string) => lines.push(`WARN ${msg}`) };
  return { logger: logger as unknown as Logger, lines };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(testDialects())('the calendar in force on $name', (dialect) => {
  let db: Knex;
  let other: Knex;
  let url: string;
  beforeEach(async () => {
    ({ db, url } = await freshDb(dialect));
    other = await openDatabase(url); // a second replica: its own connections to the same database
  });
  afterEach(async () => {
    await other.destroy();
    await db.destroy();
  });

  test('a replica sees an import by another process on its next check, and not before', async () => {
    const replica = new CalendarService(new HolidayStore(other), null, true);
    await replica.reload();
    expect(replica.calendar.isKnown('2027-03-01')).toBe(false);
    expect(await replica.refresh()).toBe(false);

    await new HolidayStore(db).importDays([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027], 'cli');
    expect(replica.calendar.isKnown('2027-03-01')).toBe(false);
    expect(await replica.refresh()).toBe(true);
    expect(replica.calendar.isKnown('2027-03-01')).toBe(true);
    expect(replica.calendar.dayKind('2027-01-01')).toBe('holiday');
    expect(await replica.refresh()).toBe(false);
  });

  test('a replica about to store a legal date waits for an import under way, then uses its calendar, before any refresh', async () => {
    const replica = new CalendarService(new HolidayStore(other), null, true);
    await replica.reload();
    // Another process's import holds the calendar's lock and has not committed yet.
    let commit!: () => void;
    const held = new Promise<void>((r) => { commit = r; });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => { locked = r; });
    const importing = db.transaction(async (trx) => {
      await new HolidayStore(db).importDays([{ date: '2026-11-23', kind: 'holiday', name: '本地假日' }], [], 'cli', new Date(), trx);
      locked();
      await held;
    });
    await isLocked;
    const replicaWrite = other.transaction(async (trx) => {
      await replica.ensureCurrent(trx);
      return replica.calendar.dayKind('2026-11-23');
    });
    if (dialect.name === 'mysql') {
      // It waits for the commit instead of computing by the old calendar.
      const early = await Promise.race([replicaWrite.then(() => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
      expect(early).toBe('waiting');
    }
    commit();
    await importing;
    expect(await replicaWrite).toBe('holiday');
  });

  test('startRefresh reloads within its interval and says so in Chinese; stopped, it checks no more', async () => {
    const replica = new CalendarService(new HolidayStore(other), null, true);
    await replica.reload();
    const { logger, lines } = recordingLogger();
    const stop = replica.startRefresh(20, logger);
    try {
      await new HolidayStore(db).importDays([{ date: '2026-11-20', kind: 'holiday', name: '本地假日' }], [], 'cli');
      await until(() => replica.calendar.dayKind('2026-11-20') === 'holiday', 3000);
      await until(() => lines.length > 0, 1000);
      expect(lines).toEqual([expect.stringMatching(/^节假日数据已更新，已重新载入法定日历（已知年份：2004–\d{4}）$/)]);
    } finally {
      stop();
    }
    await new HolidayStore(db).importDays([{ date: '2026-11-20', kind: 'workday' }], [], 'cli');
    await new Promise((r) => setTimeout(r, 100));
    expect(replica.calendar.dayKind('2026-11-20')).toBe('holiday');
  });

  test('load(trx) reads an import\'s own writes before the commit; periodEndIn applies the roll-over rule to that calendar', async () => {
    const service = new CalendarService(new HolidayStore(db), null, true);
    await service.reload();
    await db.transaction(async (trx) => {
      await new HolidayStore(db).importDays([{ date: '2027-01-04', kind: 'holiday', name: '假设' }], [2027], 'cli', new Date(), trx);
      const after = await service.load(trx);
      expect(after.dayKind('2027-01-04')).toBe('holiday');
      // 2026-12-20 + 15 days = 2027-01-04 (a Monday): now a holiday, the period runs to the 5th.
      expect(service.periodEndIn(after, '2026-12-20', 15)).toMatchObject({ lastDay: '2027-01-05', provisional: false });
      expect(service.periodEnd('2026-12-20', 15)).toMatchObject({ lastDay: '2027-01-04', provisional: true });
      await trx.rollback();
    }).catch(() => undefined);
    expect(service.calendar.isKnown('2027-01-01')).toBe(false);
  });
});

describe('config/holidays.json', () => {
  test('is read with a UTF-8 byte order mark, and an edit to it is taken up by the next check', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hol-config-'));
    const file = path.join(dir, 'holidays.json');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify({ years: [], holidays: [{ date: '2026-11-20', name: '本地假日' }] })}`);
    const { db } = await freshDb(testDialects()[0]);
    try {
      const service = new CalendarService(new HolidayStore(db), file, true);
      await service.reload();
      expect(service.calendar.dayKind('2026-11-20')).toBe('holiday');
      expect(service.calendar.holidayName('2026-11-20')).toBe('本地假日');
      expect(await service.refresh()).toBe(false);
      fs.writeFileSync(file, JSON.stringify({ holidays: [], workdays: ['2026-11-21'] }));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(await service.refresh()).toBe(true);
      expect(service.calendar.dayKind('2026-11-20')).toBe('workday');
      expect(service.calendar.dayKind('2026-11-21')).toBe('makeup-workday');
    } finally {
      await db.destroy();
    }
  });
});

describe('CALENDAR_REFRESH_SECONDS', () => {
  test('every 30 seconds unless set; less than a second is refused, naming the setting', () => {
    expect(loadConfig({}).CALENDAR_REFRESH_SECONDS).toBe(30);
    expect(loadConfig({ CALENDAR_REFRESH_SECONDS: '5' }).CALENDAR_REFRESH_SECONDS).toBe(5);
    expect(() => loadConfig({ CALENDAR_REFRESH_SECONDS: '0' })).toThrow(/CALENDAR_REFRESH_SECONDS: 至少 1 秒/);
  });
});
