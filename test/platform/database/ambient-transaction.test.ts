import type { Knex } from 'knex';
import { ambientDb, baseOf, inTurn, isAmbientDb, TurnAbortedError } from '../../../src/platform/database/ambient-transaction';
import { openDatabase } from '../../../src/platform/database/connection';
import { runTransaction, runTurn } from '../../../src/platform/database/transaction';
import { outboxTransportOf, setOutboxTransport } from '../../../src/platform/outbox/outbox-store';
import { freshDb, tempSqliteUrl, testDialects } from '../../helpers/db';

/** What the database aborts a transaction with on a deadlock, as knex reports a failed query. */
function reportDeadlock(db: Knex): void {
  const err = Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { code: 'ER_LOCK_DEADLOCK' });
  baseOf(db).client.emit('query-error', err, {});
}

describe.each(testDialects())('the ambient transaction of a turn, on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db('counters').delete();
  });
  const names = async () => (await db('counters').orderBy('name').select('name')).map((r: any) => r.name);

  test('the handle from openDatabase is plain outside a turn: each write commits on its own', async () => {
    expect(isAmbientDb(db)).toBe(true);
    expect(inTurn(db)).toBe(false);
    await db('counters').insert({ name: 'outside', value: 1 });
    expect(await names()).toEqual(['outside']);
  });

  test('inside a turn every query through the handle is in the turn’s transaction: a failure keeps none of it', async () => {
    await expect(
      runTurn(db, async () => {
        expect(inTurn(db)).toBe(true);
        await db('counters').insert({ name: 'handler-write', value: 1 });
        await runTransaction(db, (trx) => trx('counters').insert({ name: 'its-own-transaction', value: 1 }));
        throw new Error('crash before the done mark');
      }),
    ).rejects.toThrow('crash before the done mark');
    expect(await names()).toEqual([]);
    await runTurn(db, async () => {
      await db('counters').insert({ name: 'committed-with-the-turn', value: 1 });
    });
    expect(await names()).toEqual(['committed-with-the-turn']);
  });

  test('db.transaction inside a turn is a savepoint: a failing one rolls back only itself, writes through the handle inside it included', async () => {
    await runTurn(db, async () => {
      await db('counters').insert({ name: 'first-event', value: 1 });
      await db
        .transaction(async (sp) => {
          await sp('counters').insert({ name: 'failing-event-trx', value: 1 });
          await db('counters').insert({ name: 'failing-event-handle', value: 1 });
          throw new Error('this handler failed');
        })
        .catch(() => undefined);
      await db('counters').insert({ name: 'third-event', value: 1 });
    });
    expect(await names()).toEqual(['first-event', 'third-event']);
  });

  test('runTransaction inside a turn does not retry a deadlock itself: the turn, which owns the transaction, runs again', async () => {
    let inner = 0;
    let turns = 0;
    await runTurn(db, async () => {
      turns++;
      await db('counters').insert({ name: `turn-${turns}`, value: 1 });
      if (turns === 1) {
        const deadlock = Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
        await expect(runTransaction(db, async () => {
          inner++;
          throw deadlock;
        })).rejects.toBe(deadlock);
        throw deadlock;
      }
    });
    expect([inner, turns]).toEqual([1, 2]);
    expect(await names()).toEqual(['turn-2']);
  });

  test('a deadlock the handler swallowed still aborts the turn: later queries are refused, and the turn runs again from the start', async () => {
    let turns = 0;
    let refused: unknown = null;
    await runTurn(db, async () => {
      turns++;
      await db('counters').insert({ name: `before-${turns}`, value: 1 });
      if (turns === 1) {
        reportDeadlock(db); // a query failed with it; the handler caught the error and went on
        try {
          await db('counters').insert({ name: 'after-the-deadlock', value: 1 });
        } catch (err) {
          refused = err;
        }
      }
    });
    expect(refused).toBeInstanceOf(TurnAbortedError);
    expect(turns).toBe(2);
    expect(await names()).toEqual(['before-2']);
  });

  test('a savepoint inside a turn queues for the same outbox transport as the handle', async () => {
    const before = db.userParams;
    setOutboxTransport(db, 'console');
    try {
      const seen: string[] = [];
      await runTurn(db, async (trx) => {
        seen.push(outboxTransportOf(db), outboxTransportOf(trx));
        await runTransaction(db, async (sp) => {
          seen.push(outboxTransportOf(sp), outboxTransportOf(db));
        });
      });
      expect(seen).toEqual(['console', 'console', 'console', 'console']);
    } finally {
      db.userParams = before;
    }
  });

  test('work a handler left running finds the turn over and uses the plain instance', async () => {
    let later: Promise<void> = Promise.resolve();
    await runTurn(db, async () => {
      later = new Promise<void>((r) => setTimeout(r, 30)).then(async () => {
        expect(inTurn(db)).toBe(false);
        await db('counters').insert({ name: 'after-the-turn', value: 1 });
      });
    });
    await later;
    expect(await names()).toEqual(['after-the-turn']);
  });
});

describe('two databases', () => {
  test('a turn on one leaves the other’s handle plain', async () => {
    const a = ambientDb(await openDatabase(tempSqliteUrl()));
    const b = await openDatabase(tempSqliteUrl());
    try {
      for (const db of [a, b]) await db.schema.createTable('t', (t) => t.string('name'));
      await expect(
        runTurn(a, async () => {
          await a('t').insert({ name: 'in-a' });
          await b('t').insert({ name: 'in-b' });
          expect([inTurn(a), inTurn(b)]).toEqual([true, false]);
          throw new Error('roll back a');
        }),
      ).rejects.toThrow('roll back a');
      expect([(await a('t')).length, (await b('t')).length]).toEqual([0, 1]);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });
});
