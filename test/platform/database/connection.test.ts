import type { Knex } from 'knex';
import { sidePool } from '../../../src/platform/database/connection';
import { UserStore } from '../../../src/platform/directory/user-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects())('database connections on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('a side pool reaches the same database with connections of its own (SQLite: the same single connection)', async () => {
    const side = sidePool(db, 2);
    try {
      await new UserStore(side.db).upsert({ id: 'ou_side', name: '侧池', role: 'staff', unit: null, town: null, title: null });
      expect((await new UserStore(db).get('ou_side'))?.name).toBe('侧池');
      expect(side.db === db).toBe(dialect.name === 'sqlite');
    } finally {
      await side.close();
    }
    // Closing the side pool leaves the main one working.
    expect(await new UserStore(db).get('ou_side')).not.toBeNull();
  });
});
