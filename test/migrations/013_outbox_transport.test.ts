import type { Knex } from 'knex';
import { migrations } from '../../migrations';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { testDialects } from '../helpers/db';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** A database migrated up to (not including) 013, as one that ran before this change. */
async function before013(url: string): Promise<Knex> {
  const db = await openDatabase(url);
  for (;;) {
    const [, pending] = (await db.migrate.list({ migrationSource: source })) as [unknown[], string[]];
    const next = pending[0];
    if (!next || next.startsWith('013_')) return db;
    await db.migrate.up({ migrationSource: source });
  }
}

const row = (id: number, over: Record<string, unknown>) => ({
  id, uuid: `u-${id}`, kind: 'create', receive_id_type: 'chat_id', receive_id: 'oc_bureau', msg_type: 'text', content: '{"text":"x"}',
  status: 'pending', attempts: 0, next_attempt_at: '2026-03-02 01:00:00.000', created_at: '2026-03-02 01:00:00.000', ...over,
});

describe.each(testDialects())('migration 013 gives each outbox row its transport, on $name', (dialect) => {
  test('a database that sent through Lark: its unsent rows stay Lark’s, so a console server never takes them', async () => {
    const db = await before013(await dialect.freshUrl());
    await db('outbox').insert([
      row(1, { status: 'sent', lark_message_id: 'om_1', sent_at: '2026-03-02 01:00:01.000' }),
      row(2, {}),
      row(3, { status: 'failed', error_code: 500 }),
      row(4, { status: 'sent', lark_message_id: 'console:4' }),
      row(5, { receive_id: 'console:xiaoyan' }),
    ]);
    await migrateLatest(db);
    const t = Object.fromEntries((await db('outbox').select('id', 'transport')).map((r: any) => [Number(r.id), r.transport]));
    expect(t).toEqual({ 1: 'lark', 2: 'lark', 3: 'lark', 4: 'console', 5: 'console' });
    await db.destroy();
  });

  test('a sandbox that only ever sent through the console: its unsent rows are the console’s', async () => {
    const db = await before013(await dialect.freshUrl());
    await db('outbox').insert([row(1, { status: 'sent', lark_message_id: 'console:1' }), row(2, {}), row(3, { status: 'failed' })]);
    await migrateLatest(db);
    expect((await db('outbox').orderBy('id')).map((r: any) => r.transport)).toEqual(['console', 'console', 'console']);
    await db.destroy();
  });

  test('a database that never sent anything: its rows are Lark’s (the console takes nothing it was not given)', async () => {
    const db = await before013(await dialect.freshUrl());
    await db('outbox').insert([row(1, {}), row(2, { status: 'failed' })]);
    await migrateLatest(db);
    expect((await db('outbox').orderBy('id')).map((r: any) => r.transport)).toEqual(['lark', 'lark']);
    await db.destroy();
  });
});
