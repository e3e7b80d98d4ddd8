import { openCore } from '../../../src/platform/core/open-core';
import { createLogger } from '../../../src/platform/logging/logger';
import { enqueueMessage, getOutboxRow } from '../../../src/platform/outbox/outbox-store';
import { loadConfig } from '../../../src/platform/settings/config';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects())('openCore on $name', (dialect) => {
  test('what a process queues belongs to its transport: the console without a Lark app, Lark with one', async () => {
    const { db, url } = await freshDb(dialect);
    const logger = createLogger('silent');
    const sandbox = await openCore(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), { db, logger });
    const a = await sandbox.db.transaction((trx) => enqueueMessage(trx, { receiveId: 'oc_bureau', msgType: 'text', content: { text: '沙盒' } }));
    expect((await getOutboxRow(db, a))!.transport).toBe('console');

    const lark = await openCore(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' }), { db, logger });
    const b = await enqueueMessage(lark.db, { receiveId: 'oc_bureau', msgType: 'text', content: { text: '飞书' } });
    expect((await getOutboxRow(db, b))!.transport).toBe('lark');
    await db.destroy();
  });
});
