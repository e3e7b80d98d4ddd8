import type { Knex } from 'knex';
import { migrations } from '../../migrations';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { isDuplicateKey } from '../../src/platform/database/duplicate-key';
import { LarkCalendarStore } from '../../src/lark-calendar/lark-calendar-store';
import { testDialects } from '../helpers/db';

describe.each(testDialects())('migration 017: the Lark calendar’s tables, on $name', (dialect) => {
  let db: Knex;
  beforeEach(async () => {
    db = await openDatabase(await dialect.freshUrl());
    await migrateLatest(db);
  });
  afterEach(() => db.destroy());

  test('one calendar row per name, claimed by one worker at a time; one mapping row per session', async () => {
    const store = new LarkCalendarStore(db);
    const now = new Date('2026-03-02T02:00:00Z');
    expect(await store.claimCalendar('roster', 'a', now, 60_000)).toBe(true);
    expect(await store.claimCalendar('roster', 'b', now, 60_000)).toBe(false);
    // b takes over only after a's claim ran out; a's late answer is then not stored.
    expect(await store.claimCalendar('roster', 'b', new Date(now.getTime() + 61_000), 60_000)).toBe(true);
    expect(await store.setCalendarId('roster', 'a', 'cal_a', now)).toBe(false);
    expect(await store.setCalendarId('roster', 'b', 'cal_b', now)).toBe(true);
    expect(await store.calendarId('roster')).toBe('cal_b');
    expect(await store.claimCalendar('roster', 'c', new Date(now.getTime() + 999_000), 60_000)).toBe(false);

    const t = '2026-03-02 02:00:00.000';
    await db('venues').insert({ id: 'v', name: '中心', kind: 'center' });
    await db('sessions').insert({ id: 1, uid: 'u1', date: '2026-03-03', slot: '上午', start_time: '09:00', end_time: '12:00', type: '接访', venue_id: 'v', plan_year: 2026, created_at: t, updated_at: t });
    const mapping = { session_id: 1, want_hash: 'h', next_attempt_at: t, created_at: t, updated_at: t };
    await db('lark_calendar_events').insert(mapping);
    const err = await db('lark_calendar_events').insert(mapping).then(() => null, (e) => e);
    expect(isDuplicateKey(err)).toBe(true);
  });

  test('down drops both tables', async () => {
    await migrations['017_lark_calendar'].down!(db);
    expect(await db.schema.hasTable('lark_calendar_events')).toBe(false);
    expect(await db.schema.hasTable('lark_calendars')).toBe(false);
  });
});
