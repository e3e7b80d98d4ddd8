import type { Knex } from 'knex';
import type { CalendarChange, Core } from '../../../src/platform/core/feature';
import { parseHolidayFile } from '../../../src/platform/calendar/domain';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { importHolidays } from '../../../src/platform/cli/holiday-import';
import { freshDb, testDialects } from '../../helpers/db';
import { calendarCore, failingFeature, fakeDeadlineFeature, FILE_2027, setStoredDeadline, storedDeadline } from './calendar-fixtures';

const file2027 = parseHolidayFile(FILE_2027);

describe.each(testDialects())('the holiday import on $name', (dialect) => {
  let db: Knex;
  let core: Core;
  const outbox = async () => (await db('outbox').select('source')).length;

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    core = await calendarCore(db, fresh.url);
    await setStoredDeadline(db, '2027-01-04'); // as computed before 2027 was known
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('one import: the days written, every feature called in the transaction with before/after, its report back, the calendar reloaded', async () => {
    const seen: CalendarChange[] = [];
    const r = await importHolidays(core, [fakeDeadlineFeature(seen)], file2027, { source: 'holidays-2027.json', dryRun: false });

    expect(seen).toHaveLength(1);
    const change = seen[0];
    expect(change.before.isKnown('2027-01-04')).toBe(false);
    expect(change.after.dayKind('2027-01-04')).toBe('holiday');
    expect(change.years).toEqual([2027]);
    expect(change.dryRun).toBe(false);
    expect(change.now).toEqual(core.now());
    expect(change.changedDays).toHaveLength(365); // all of 2027 stops being an estimate
    expect(change.periodEnd('2026-12-20', 15)).toMatchObject({ lastDay: '2027-01-05', provisional: false, rolledOverDays: 1 });

    expect(r.declared).toEqual({ days: 10, holidays: 9, workdays: 1, years: [2027] });
    expect(r.newlyKnownYears).toEqual([2027]);
    // Weekdays turned rest days (1 Jan, 4 Jan, 8–12 Feb) and the 调休 Sunday: weekends inside the break were rest days already.
    expect(r.workingDayChanges.map((c) => c.date)).toEqual(['2027-01-01', '2027-01-04', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-14']);
    expect(r.workingDayChanges.at(-1)).toEqual({ date: '2027-02-14', working: true, name: undefined });
    expect(r.sections).toEqual([{ feature: 'fake-deadlines', title: '办理期限', counts: { checked: 1, moved: 1, madeFinal: 1 }, lines: expect.any(Array) }]);

    expect(await storedDeadline(db)).toBe('2027-01-05');
    expect(await outbox()).toBe(1);
    expect(await new HolidayStore(db).years()).toEqual([2027]);
    expect(core.calendar.calendar.dayKind('2027-01-04')).toBe('holiday');
  });

  test('the same file again changes nothing and says so: no day changed, nothing moved, nothing sent', async () => {
    await importHolidays(core, [fakeDeadlineFeature()], file2027, { source: 'a', dryRun: false });
    const again = await importHolidays(core, [fakeDeadlineFeature()], file2027, { source: 'a', dryRun: false });
    expect(again.changedDays).toEqual([]);
    expect(again.newlyKnownYears).toEqual([]);
    expect(again.sections[0].counts.moved).toBe(0);
    expect(await outbox()).toBe(1);
  });

  test('--dry-run does the same work and reports the same, then saves nothing: no day, no moved date, no message, same version', async () => {
    const store = new HolidayStore(db);
    const version = await store.version();
    const dry = await importHolidays(core, [fakeDeadlineFeature()], file2027, { source: 'a', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.sections[0].counts).toEqual({ checked: 1, moved: 1, madeFinal: 1 });
    expect(dry.sections[0].lines).toContain('2026-000001 办理期限 2027-01-04 → 2027-01-05（法定休假日顺延）');
    expect(await store.years()).toEqual([]);
    expect(await store.overrides()).toEqual([]);
    expect(await storedDeadline(db)).toBe('2027-01-04');
    expect(await outbox()).toBe(0);
    expect(await store.version()).toBe(version);
    expect(core.calendar.calendar.isKnown('2027-01-01')).toBe(false);

    const real = await importHolidays(core, [fakeDeadlineFeature()], file2027, { source: 'a', dryRun: false });
    expect({ ...real, dryRun: true }).toEqual(dry);
  });

  test('a feature that fails undoes the whole import, the other features\' writes too, and names the part that failed', async () => {
    const failed = importHolidays(core, [fakeDeadlineFeature(), failingFeature], file2027, { source: 'a', dryRun: false });
    await expect(failed).rejects.toThrow('接访安排在按新日历调整时出错，整个导入已撤销，没有保存任何改动：数据库出错');
    // The part is named as people call it, and no SQL reaches the admin.
    await expect(failed.catch((e: Error) => e.message)).resolves.not.toMatch(/broken|update|sessions/);
    expect(await new HolidayStore(db).years()).toEqual([]);
    expect(await storedDeadline(db)).toBe('2027-01-04');
    expect(await outbox()).toBe(0);
    expect(core.calendar.calendar.isKnown('2027-01-01')).toBe(false);
  });

  test('a correction inside a known year changes that day only; a feature with nothing to say is left out of the report', async () => {
    const seen: CalendarChange[] = [];
    const quiet = { name: 'quiet', onCalendarChange: async (c: CalendarChange) => { seen.push(c); return null; } };
    const r = await importHolidays(core, [quiet, { name: 'no-hook' }], parseHolidayFile({ holidays: [{ date: '2026-12-21', name: '本地假日' }] }), { source: 'a', dryRun: false });
    expect(seen[0].changedDays).toEqual(['2026-12-21']);
    expect(seen[0].years).toEqual([]);
    expect(r.workingDayChanges).toEqual([{ date: '2026-12-21', working: false, name: '本地假日' }]);
    expect(r.newlyKnownYears).toEqual([]);
    expect(r.sections).toEqual([]);
    expect(core.calendar.calendar.dayKind('2026-12-21')).toBe('holiday');
  });
});
