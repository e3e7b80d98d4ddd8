import type { Knex } from 'knex';
import { toDbTime } from '../../../src/platform/database/time';
import { backlogOf, bringRetriesForward, commonFailures, outboxBacklog, requeueFailedOutbox } from '../../../src/platform/outbox/outbox-backlog';
import {
  claimOutboxRows, enqueueMessage, getOutboxRow, markOutboxFailed, markOutboxRetry, markOutboxSent,
} from '../../../src/platform/outbox/outbox-store';
import { freshDb, testDialects } from '../../helpers/db';

const T0 = new Date('2026-03-02T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(testDialects())('the outbox backlog on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db('outbox').delete();
  });

  const queue = (chat: string, over: { transport?: string; notBefore?: Date } = {}, now = T0) =>
    enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: chat }, ...over }, now);
  /** Claims and records an outcome as a sender would, at `now`. */
  const take = async (id: number, now: Date, claim = `w#${id}`) => {
    const [r] = await claimOutboxRows(db, [id], claim, now, at(3_600_000 * 24));
    expect(r).toBeDefined();
    return claim;
  };
  const fail = async (id: number, now: Date, code: number | null, msg: string) => markOutboxFailed(db, id, await take(id, now), code, msg, true, now);
  const retry = async (id: number, now: Date, waitMs: number) =>
    markOutboxRetry(db, id, await take(id, now), { nextAttemptAt: new Date(now.getTime() + waitMs), code: 500, msg: 'HTTP 500', countAttempt: true, now });

  test('waiting counts what is due or retrying (not what is scheduled for later), its oldest wait, and the failures by time', async () => {
    await queue('oc_a'); // due since T0
    const retrying = await queue('oc_b');
    await retry(retrying, at(10_000), 60_000);
    await retry(retrying, at(80_000), 60_000); // the run of failures dates from the first
    await queue('oc_later', { notBefore: at(3_600_000) });
    const oldFail = await queue('oc_c');
    await fail(oldFail, at(1000), 230002, 'Bot is not in the chat.');
    const newFail = await queue('oc_d');
    await fail(newFail, at(200_000), 230002, 'Bot is not in the chat.');
    const sent = await queue('oc_e');
    await markOutboxSent(db, sent, await take(sent, at(5)), 'om_1', at(5));
    await queue('console:x', { transport: 'console' });

    const now = at(300_000);
    const all = await outboxBacklog(db, now, at(100_000));
    expect(backlogOf(all, 'lark')).toEqual({ transport: 'lark', waiting: 2, retrying: 1, oldestWaitSeconds: 300, failed: 2, failedRecent: 1 });
    expect(backlogOf(all, 'console')).toMatchObject({ waiting: 1, failed: 0 });
    expect(await getOutboxRow(db, retrying)).toMatchObject({ failingSince: toDbTime(at(10_000)), attempts: 2 });
    expect(await commonFailures(db, 'lark', at(0))).toEqual([{ code: 230002, msg: 'Bot is not in the chat.', n: 2 }]);
    expect(await commonFailures(db, 'lark', null)).toEqual([{ code: 500, msg: 'HTTP 500', n: 1 }]);
  });

  test('retry --failed re-queues the failed rows of its own transport, since a time when given, and counts the others', async () => {
    const a = await queue('oc_a');
    const b = await queue('oc_b');
    const c = await queue('console:c', { transport: 'console' });
    await fail(a, at(1000), 500, 'old');
    await fail(b, at(100_000), 230002, 'new');
    await fail(c, at(100_000), null, 'x');
    const uuid = (await getOutboxRow(db, b))!.uuid;

    const since = await requeueFailedOutbox(db, at(200_000), { transport: 'lark', since: at(50_000) });
    expect(since.requeued).toBe(1);
    expect([...since.otherTransports]).toEqual([['console', 1]]);
    expect(await getOutboxRow(db, b)).toMatchObject({
      status: 'pending', attempts: 0, errorCode: null, errorMsg: null, failedAt: null, failingSince: null, uuid, nextAttemptAt: toDbTime(at(200_000)),
    });
    expect((await getOutboxRow(db, a))!.status).toBe('failed');

    const every = await requeueFailedOutbox(db, at(200_000), { transport: 'lark' });
    expect(every.requeued).toBe(1);
    expect((await getOutboxRow(db, a))!.status).toBe('pending');
    expect((await getOutboxRow(db, c))!.status).toBe('failed');
    expect((await requeueFailedOutbox(db, at(200_000), { transport: 'lark' })).requeued).toBe(0);
  });

  test('bringing retries forward: the rows of these transports waiting out a back-off are due now; scheduled and others stay', async () => {
    const r1 = await queue('oc_a');
    const r2 = await queue('console:b', { transport: 'console' });
    const later = await queue('oc_later', { notBefore: at(3_600_000) });
    await retry(r1, at(1000), 300_000);
    await retry(r2, at(1000), 300_000);
    expect(await bringRetriesForward(db, at(2000), ['lark'])).toBe(1);
    expect((await getOutboxRow(db, r1))!.nextAttemptAt).toBe(toDbTime(at(2000)));
    expect((await getOutboxRow(db, r2))!.nextAttemptAt).toBe(toDbTime(at(301_000)));
    expect((await getOutboxRow(db, later))!.nextAttemptAt).toBe(toDbTime(at(3_600_000)));
  });
});
