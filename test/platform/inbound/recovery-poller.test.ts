import { Writable } from 'node:stream';
import { createLogger } from '../../../src/platform/logging/logger';
import type { InboundEventStore } from '../../../src/platform/inbound/inbound-event-store';
import { RecoveryPoller } from '../../../src/platform/inbound/recovery-poller';

describe('the inbound recovery poller while the database is away', () => {
  test('logs the outage once and a summary when it is back, trying less and less often meanwhile', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const away = { down: true, tries: 0 };
    const refuse = async () => {
      if (!away.down) return [];
      away.tries++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    };
    const store = { claimStale: refuse, prune: async () => 0, pruneRefusals: async () => 0 } as unknown as InboundEventStore;
    const poller = new RecoveryPoller({
      store, workerId: 'w', leaseMs: 60_000, logger, retentionHours: 24, room: () => 10, stopped: () => false, take: () => undefined,
    });
    poller.start(20);
    await new Promise((r) => setTimeout(r, 1500));
    const tries = away.tries;
    away.down = false;
    const upAt = Date.now();
    while (!lines.some((l) => l.includes('数据库已恢复')) && Date.now() - upAt < 5000) await new Promise((r) => setTimeout(r, 20));
    poller.stop();

    // Every 20 ms would be 75 tries and as many error lines; doubling from 20 ms: about 7.
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(12);
    expect(lines.filter((l) => l.includes('数据库不可用'))).toHaveLength(1);
    const summary = lines.filter((l) => l.includes('数据库已恢复'));
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0])).toMatchObject({ tries });
    expect(lines).toHaveLength(2);
  });
});
