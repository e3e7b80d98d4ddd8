import type { Knex } from 'knex';
import { UserStore } from '../../../src/platform/directory/user-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('the user directory on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('users: add, update by id, list; Chinese names survive the round trip', async () => {
    const users = new UserStore(db);
    await users.upsert({ id: 'ou_1', name: '张晓燕', role: 'staff', unit: null, town: '阳城镇', title: null });
    await users.upsert({ id: 'ou_1', name: '张晓燕', role: 'admin', unit: null, town: null, title: null });
    await users.upsert({ id: 'ou_2', name: '𠮷田（生僻字）', role: 'unit', unit: '县自然资源局', town: null, title: null });
    expect(await users.get('ou_1')).toMatchObject({ role: 'admin', town: null });
    expect((await users.get('ou_2'))?.name).toBe('𠮷田（生僻字）');
    expect((await users.list()).map((u) => u.id)).toEqual(['ou_1', 'ou_2']);
    expect(await users.get('nobody')).toBeNull();
    // A batch of senders in one query: the registered ones, by id, each once.
    const many = await users.getMany(['ou_2', 'nobody', 'ou_1', 'ou_2']);
    expect([...many.keys()].sort()).toEqual(['ou_1', 'ou_2']);
    expect(many.get('ou_2')?.name).toBe('𠮷田（生僻字）');
    expect((await users.getMany([])).size).toBe(0);
  });

  test('users: hasUnit is true only for a unit some user belongs to, spelled exactly so', async () => {
    const users = new UserStore(db);
    await users.upsert({ id: 'ou_unit_a', name: '李科员', role: 'unit', unit: '县水利局', town: null, title: null });
    expect(await users.hasUnit('县水利局')).toBe(true);
    expect(await users.hasUnit('县水利')).toBe(false);
    expect(await users.hasUnit('县交通局')).toBe(false);
    await users.upsert({ id: 'ou_unit_b', name: 'Li', role: 'unit', unit: 'Water Bureau', town: null, title: null });
    // MySQL's collation finds 'water bureau' too; only the exact spelling counts.
    expect(await users.hasUnit('Water Bureau')).toBe(true);
    expect(await users.hasUnit('water bureau')).toBe(false);
  });
});
