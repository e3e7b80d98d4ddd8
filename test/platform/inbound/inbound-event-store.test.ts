import type { Knex } from 'knex';
import { runTransaction } from '../../../src/platform/database/transaction';
import { InboundEventStore } from '../../../src/platform/inbound/inbound-event-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('inbound event store on $name', (dialect) => {
  let db: Knex;
  let store: InboundEventStore;
  const t0 = new Date('2026-03-02T01:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const ev = (key: string) => ({ eventKey: key, eventType: 'im.message.receive_v1', channel: 'webhook' as const, payload: '{"kind":"incoming"}' });

  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    store = new InboundEventStore(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('an event is recorded once, even when 10 deliveries race', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, () => store.record(ev('evt:race'), 'w', t0, later(60_000))));
    expect(ids.filter((i) => i !== null)).toHaveLength(1);
    expect(await store.seen('evt:race')).toBe(true);
    expect(await store.seen('evt:other')).toBe(false);
  });

  test.each([
    ['INSERT … RETURNING where the database has it', undefined, 'b'],
    ['a plain INSERT and a SELECT (MySQL)', false, 'n'],
  ])('a burst is recorded in one insert (%s): re-deliveries and repeats within the burst come back null', async (_how, useReturning, p) => {
    const s = new InboundEventStore(db, useReturning);
    await s.record(ev(`evt:${p}-old`), 'w', t0, later(60_000));
    const burst = [ev(`evt:${p}1`), ev(`evt:${p}-old`), ev(`evt:${p}2`), ev(`evt:${p}1`), ev(`evt:${p}3`)].map((e, i) => ({ ...e, claimed: i !== 4 }));
    const ids = await s.recordMany(burst, `w#r9${p}`, t0, later(60_000));
    expect(ids.map((i) => i !== null)).toEqual([true, false, true, false, true]);
    expect(new Set(ids.filter((i) => i !== null)).size).toBe(3);
    expect(await s.get(ids[0]!)).toMatchObject({ eventKey: `evt:${p}1`, status: 'processing', claimedBy: `w#r9${p}`, payload: '{"kind":"incoming"}' });
    expect(await s.get(ids[2]!)).toMatchObject({ eventKey: `evt:${p}2`, status: 'processing' });
    expect(await s.get(ids[4]!)).toMatchObject({ eventKey: `evt:${p}3`, status: 'pending', leaseUntil: null });
    // The same burst again (another replica): nothing new.
    expect(await s.recordMany(burst, `v#r1${p}`, t0, later(60_000))).toEqual([null, null, null, null, null]);
    await db('inbound_events').where('event_key', 'like', `evt:${p}%`).update({ status: 'done' });
  });

  test('completing needs the claim, clears the payload, and happens in the caller’s transaction', async () => {
    const id = (await store.record(ev('evt:c1'), 'w', t0, later(60_000)))!;
    expect(await runTransaction(db, (trx) => store.complete(trx, id, 'someone-else', t0))).toBe(false);
    await expect(
      runTransaction(db, async (trx) => {
        await store.complete(trx, id, 'w', t0);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await store.get(id))!.status).toBe('processing');
    expect(await runTransaction(db, (trx) => store.complete(trx, id, 'w', later(1)))).toBe(true);
    expect(await store.get(id)).toMatchObject({ status: 'done', payload: null, claimedBy: null, attempts: 1 });
  });

  test('a lease is renewed only by the claim that holds it, so a poller leaves a long-waiting event alone', async () => {
    const id = (await store.record(ev('evt:renew'), 'w#1', t0, later(1_000)))!;
    expect(await store.renew(id, 'someone-else', later(120_000))).toBe(false);
    expect(await store.renew(id, 'w#1', later(120_000))).toBe(true);
    // At 5 s the old lease (1 s) would have lapsed; the renewed one has not.
    expect((await store.claimStale('poller', later(5_000), later(65_000), 50)).map((r) => r.id)).not.toContain(id);
    await runTransaction(db, (trx) => store.complete(trx, id, 'w#1', later(6_000)));
    expect(await store.renew(id, 'w#1', later(120_000))).toBe(false);
  });

  test('completeMany marks only the events still held under their claims', async () => {
    const a = (await store.record(ev('evt:m1'), 'x#1', t0, later(60_000)))!;
    const b = (await store.record(ev('evt:m2'), 'x#2', t0, later(60_000)))!;
    const c = (await store.record(ev('evt:m3'), 'x#3', t0, later(60_000)))!;
    const n = await runTransaction(db, (trx) =>
      store.completeMany(trx, [{ id: a, claim: 'x#1' }, { id: b, claim: 'wrong' }, { id: c, claim: 'x#3' }], later(1)),
    );
    expect(n).toBe(2);
    expect([(await store.get(a))!.status, (await store.get(b))!.status, (await store.get(c))!.status]).toEqual(['done', 'processing', 'done']);
    await runTransaction(db, (trx) => store.complete(trx, b, 'x#2', later(2)));
  });

  test('the poller takes only unfinished rows whose lease lapsed, and two pollers never take the same row', async () => {
    const live = (await store.record(ev('evt:live'), 'w', t0, later(60_000)))!;
    const dead: number[] = [];
    for (let i = 0; i < 6; i++) dead.push((await store.record(ev(`evt:dead${i}`), 'gone', t0, later(1_000)))!);
    const [a, b] = await Promise.all([
      store.claimStale('p1', later(5_000), later(65_000), 50),
      store.claimStale('p2', later(5_000), later(65_000), 50),
    ]);
    const taken = [...a, ...b].map((r) => r.id).sort((x, y) => x - y);
    expect(taken).toEqual(dead);
    expect(taken).not.toContain(live);
    const released = dead[0];
    const holder = a.some((r) => r.id === released) ? 'p1' : 'p2';
    await store.release(released, holder, 'boom');
    expect((await store.claimStale('p3', later(6_000), later(66_000), 50)).map((r) => r.id)).toEqual([released]);
  });

  test('handled events are kept for the retention, then pruned; unfinished ones are never pruned', async () => {
    const old = (await store.record(ev('evt:old'), 'w', t0, later(60_000)))!;
    await runTransaction(db, (trx) => store.complete(trx, old, 'w', t0));
    const oldOpen = (await store.record(ev('evt:old-open'), 'w', t0, later(60_000)))!;
    // The processor prunes with a cutoff of now − LARK_EVENT_RETENTION_HOURS (at least 8).
    expect(await store.prune(t0)).toBe(0);
    const n = await store.prune(later(1));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await store.get(old)).toBeNull();
    expect(await store.get(oldOpen)).not.toBeNull();
    // A pruned id is forgotten: safe only because Lark stops re-delivering after 6 h.
    expect(await store.seen('evt:old')).toBe(false);
  });

  test('an unknown user is refused once per day', async () => {
    expect(await store.recordRefusal(db, 'ou_x', '2026-03-02', t0)).toBe(true);
    expect(await store.recordRefusal(db, 'ou_x', '2026-03-02', t0)).toBe(false);
    expect(await store.recordRefusal(db, 'ou_y', '2026-03-02', t0)).toBe(true);
    expect(await store.recordRefusal(db, 'ou_x', '2026-03-03', t0)).toBe(true);
    expect(await store.pruneRefusals('2026-03-03')).toBe(2);
  });

  test('a person’s private chat is remembered and updated', async () => {
    expect(await store.p2pChatOf('ou_p')).toBeUndefined();
    await store.rememberP2pChat(db, 'ou_p', 'oc_1', t0);
    await store.rememberP2pChat(db, 'ou_p', 'oc_2', t0);
    expect(await store.p2pChatOf('ou_p')).toBe('oc_2');
  });
});
