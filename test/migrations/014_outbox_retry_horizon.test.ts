import type { Knex } from 'knex';
import { migrations } from '../../migrations';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { getOutboxRow } from '../../src/platform/outbox/outbox-store';
import { requeueFailedOutbox } from '../../src/platform/outbox/outbox-backlog';
import { testDialects } from '../helpers/db';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** A database migrated up to (not including) 014, as one that ran before this change. */
async function before014(url: string): Promise<Knex> {
  const db = await openDatabase(url);
  for (;;) {
    const [, pending] = (await db.migrate.list({ migrationSource: source })) as [unknown[], string[]];
    if (!pending[0] || pending[0].startsWith('014_')) return db;
    await db.migrate.up({ migrationSource: source });
  }
}

const row = (id: number, over: Record<string, unknown>) => ({
  id, uuid: `u-${id}`, kind: 'create', receive_id_type: 'chat_id', receive_id: 'oc_bureau', msg_type: 'text', content: '{"text":"x"}',
  status: 'pending', attempts: 0, next_attempt_at: '2026-03-02 01:00:00.000', created_at: '2026-03-02 01:00:00.000', ...over,
});

describe.each(testDialects())('migration 014: the retry horizon’s columns, on $name', (dialect) => {
  test('messages that failed before it are dated by their creation, so retry --failed --since finds them; the others are untouched', async () => {
    const db = await before014(await dialect.freshUrl());
    await db('outbox').insert([
      row(1, { status: 'failed', attempts: 8, error_code: 500, created_at: '2026-03-01 02:00:00.000' }),
      row(2, { status: 'pending', attempts: 3 }),
      row(3, { status: 'sent', attempts: 1, sent_at: '2026-03-02 01:00:01.000' }),
    ]);
    await migrateLatest(db);
    expect(await getOutboxRow(db, 1)).toMatchObject({ failedAt: '2026-03-01 02:00:00.000', failingSince: null });
    expect(await getOutboxRow(db, 2)).toMatchObject({ failedAt: null, failingSince: null, attempts: 3 });
    expect(await getOutboxRow(db, 3)).toMatchObject({ failedAt: null, status: 'sent' });
    const r = await requeueFailedOutbox(db, new Date('2026-03-03T00:00:00Z'), { transport: 'lark', since: new Date('2026-03-01T00:00:00Z') });
    expect(r.requeued).toBe(1);
    await db.destroy();
  });
});
