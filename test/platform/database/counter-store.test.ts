import type { Knex } from 'knex';
import { nextCounterValue } from '../../../src/platform/database/counter-store';
import { runTransaction } from '../../../src/platform/database/transaction';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('counters on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('counters hand out each value once, even when 20 transactions race', async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, () => runTransaction(db, (trx) => nextCounterValue(trx, 'case:2026'))),
    );
    expect(new Set(values).size).toBe(20);
    expect(Math.max(...values)).toBe(20);
  });
});
