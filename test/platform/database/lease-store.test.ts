import { LeaseStore } from '../../../src/platform/database/lease-store';
import { openDatabase } from '../../../src/platform/database/connection';
import { freshDb, galeraNodesCaughtUp, onGaleraNode, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('named leases ($name)', (dialect) => {
  const t0 = new Date('2026-12-03T01:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  test('one holder at a time: renewed by its holder, taken over only once it has lapsed, handed back at once', async () => {
    const { db } = await freshDb(dialect);
    try {
      const leases = new LeaseStore(db);
      expect(await leases.acquire('outbox-sender', 'a', 10_000, t0)).toBe(true);
      expect(await leases.acquire('outbox-sender', 'b', 10_000, at(1_000))).toBe(false);
      expect(await leases.acquire('outbox-sender', 'a', 10_000, at(5_000))).toBe(true); // renewed to 15 s
      expect(await leases.acquire('outbox-sender', 'b', 10_000, at(12_000))).toBe(false);
      expect(await leases.holder('outbox-sender', at(12_000))).toBe('a');
      // a died: its lease lapses at 15 s and b takes over.
      expect(await leases.acquire('outbox-sender', 'b', 10_000, at(15_001))).toBe(true);
      expect(await leases.acquire('outbox-sender', 'a', 10_000, at(16_000))).toBe(false);
      const row = await db('leases').where({ name: 'outbox-sender' }).first();
      expect(row.acquired_at).toBe('2026-12-03 01:00:15.001');
      await leases.release('outbox-sender', 'b', at(17_000));
      expect(await leases.holder('outbox-sender', at(17_000))).toBeNull();
      expect(await leases.acquire('outbox-sender', 'a', 10_000, at(17_000))).toBe(true);
      // Another name is another lease.
      expect(await leases.acquire('calendar-sync', 'b', 10_000, at(17_000))).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  test('four processes asking at the same instant (on Galera, on every node): exactly one gets it, again and again', async () => {
    const { db, url } = await freshDb(dialect);
    const others = dialect.name === 'galera' ? await Promise.all([1, 2].map(async (n) => openDatabase(onGaleraNode(url, n)))) : [];
    if (dialect.name === 'galera') await galeraNodesCaughtUp(url);
    try {
      const handles = [db, ...others];
      for (let round = 0; round < 10; round++) {
        const at = new Date(t0.getTime() + round * 20_000); // each round after the last one's lease lapsed
        const got = await Promise.all(['a', 'b', 'c', 'd'].map((h, i) => new LeaseStore(handles[i % handles.length]).acquire(`lease-${round % 2}`, h, 10_000, at)));
        expect(got.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      for (const o of others) await o.destroy();
      await db.destroy();
    }
  });
});
