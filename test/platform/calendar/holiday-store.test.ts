import type { Knex } from 'knex';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('holiday overrides on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('holiday overrides import all or nothing and record the declared year', async () => {
    const store = new HolidayStore(db);
    await store.importDays([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027], 'test');
    expect(await store.years()).toEqual([2027]);
    expect(await store.overrides()).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
  });

  test('a year given in full again drops a day it no longer lists; a single correction of another year keeps the rest', async () => {
    const own = (await freshDb(dialect)).db;
    const store = new HolidayStore(own);
    await store.importDays([{ date: '2028-01-01', kind: 'holiday', name: '元旦' }, { date: '2028-01-03', kind: 'holiday', name: '元旦' }], [2028], 'first');
    await store.importDays([{ date: '2026-11-20', kind: 'holiday', name: '本地假日' }], [], 'one day');
    await store.importDays([{ date: '2028-01-01', kind: 'holiday', name: '元旦' }], [2028], 'corrected');
    const dates = (await store.overrides()).map((o) => o.date);
    expect(dates).toContain('2028-01-01');
    expect(dates).not.toContain('2028-01-03');
    expect(dates).toContain('2026-11-20');
    await own.destroy();
  });

  test('inside the caller\'s transaction: its reads see the writes, and a rollback leaves nothing and the version as it was', async () => {
    const store = new HolidayStore(db);
    const v0 = await store.version();
    await expect(db.transaction(async (trx) => {
      await store.importDays([{ date: '2028-01-01', kind: 'holiday', name: '元旦' }], [2028], 'test', new Date(), trx);
      expect(await store.years(trx)).toEqual([2027, 2028]);
      expect((await store.overrides(trx)).map((o) => o.date)).toContain('2028-01-01');
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await store.years()).toEqual([2027]);
    expect(await store.version()).toBe(v0);
  });

  test('the version changes with every import, even one that only turns a day from off to working', async () => {
    const store = new HolidayStore(db);
    const v1 = await store.version();
    expect(await store.version()).toBe(v1);
    await store.importDays([{ date: '2027-01-01', kind: 'workday' }], [], 'correction');
    const v2 = await store.version();
    expect(v2).not.toBe(v1);
    expect(await store.overrides()).toEqual([{ date: '2027-01-01', kind: 'workday', name: undefined }]);
  });
});
