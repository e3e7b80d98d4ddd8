import type { Knex } from 'knex';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects())('holiday overrides on $name', (dialect) => {
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
});
