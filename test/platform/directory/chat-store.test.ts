import type { Knex } from 'knex';
import { ChatStore } from '../../../src/platform/directory/chat-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('group chats on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('chats map to units and roles', async () => {
    const chats = new ChatStore(db);
    await chats.upsert({ id: 'oc_a', name: '自然资源局信访群', unit: '县自然资源局', role: null, venueId: null });
    await chats.upsert({ id: 'oc_b', name: '督查组', unit: null, role: 'supervision', venueId: null });
    expect((await chats.forUnit('县自然资源局')).map((c) => c.id)).toEqual(['oc_a']);
    expect((await chats.forRole('supervision')).map((c) => c.id)).toEqual(['oc_b']);
  });
});
