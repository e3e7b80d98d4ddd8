import type { Knex } from 'knex';
import { ChatKinds, type ChatKind } from '../../../src/platform/lark/chat-kind';
import { ChatKindStore } from '../../../src/platform/lark/chat-kind-store';
import { createLogger } from '../../../src/platform/logging/logger';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects())('what a chat is, as Lark said, on $name', (dialect) => {
  let db: Knex;
  const logger = createLogger('silent');
  const now = () => new Date('2026-03-02T02:00:00Z');

  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** A Lark that answers from `modes` (after `delayMs`), counting the questions. */
  function lark(modes: Record<string, ChatKind | null | 'throw'>, delayMs = 0) {
    const asked: string[] = [];
    const ask = async (chatId: string): Promise<ChatKind | null> => {
      asked.push(chatId);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      const m = modes[chatId];
      if (m === 'throw') throw new Error('connect ECONNREFUSED');
      return m ?? null;
    };
    return { ask, asked };
  }

  test('Lark’s answer is kept: a restart (a new resolver on the same table) does not ask again', async () => {
    const l = lark({ oc_p: 'p2p', oc_g: 'group' });
    const kinds = new ChatKinds({ store: new ChatKindStore(db), ask: l.ask, now, logger });
    expect(await kinds.kindOf('oc_p')).toBe('p2p');
    expect(await kinds.kindOf('oc_g')).toBe('group');
    expect(await kinds.kindOf('oc_p')).toBe('p2p');
    expect(l.asked).toEqual(['oc_p', 'oc_g']);

    const l2 = lark({});
    const restarted = new ChatKinds({ store: new ChatKindStore(db), ask: l2.ask, now, logger });
    expect(await restarted.kindOf('oc_p')).toBe('p2p');
    expect(await restarted.kindOf('oc_g')).toBe('group');
    expect(l2.asked).toEqual([]);
  });

  test('no answer, an error, or too slow an answer: unknown (a group to the caller), and not asked again for a while', async () => {
    const l = lark({ oc_err: 'throw', oc_slow: 'p2p' }, 0);
    const kinds = new ChatKinds({ store: new ChatKindStore(db), ask: l.ask, now, logger, askTimeoutMs: 100 });
    expect(await kinds.kindOf('oc_none')).toBeUndefined(); // Lark did not say (e.g. 232006)
    expect(await kinds.kindOf('oc_err')).toBeUndefined();
    expect(await kinds.kindOf('oc_none')).toBeUndefined();
    expect(l.asked).toEqual(['oc_none', 'oc_err']);
    expect(await db('lark_chat_kinds').whereIn('chat_id', ['oc_none', 'oc_err'])).toEqual([]);

    const slow = lark({ oc_slow: 'p2p' }, 300);
    const impatient = new ChatKinds({ store: new ChatKindStore(db), ask: slow.ask, now, logger, askTimeoutMs: 50 });
    const started = Date.now();
    expect(await impatient.kindOf('oc_slow')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(250);

    // After the pause, asked again.
    const retrying = new ChatKinds({ store: new ChatKindStore(db), ask: lark({ oc_back: 'p2p' }).ask, now, logger, retryAfterMs: 0 });
    expect(await retrying.kindOf('oc_back')).toBe('p2p');
  });

  test('clicks at once in the same unknown chat share one question', async () => {
    const l = lark({ oc_burst: 'p2p' }, 30);
    const kinds = new ChatKinds({ store: new ChatKindStore(db), ask: l.ask, now, logger });
    expect(await Promise.all([kinds.kindOf('oc_burst'), kinds.kindOf('oc_burst'), kinds.kindOf('oc_burst')])).toEqual(['p2p', 'p2p', 'p2p']);
    expect(l.asked).toEqual(['oc_burst']);
  });

  test('learnt from an event: known without asking, and it overrides an earlier unsure answer', async () => {
    const l = lark({});
    const kinds = new ChatKinds({ store: new ChatKindStore(db), ask: l.ask, now, logger });
    expect(await kinds.kindOf('oc_entered')).toBeUndefined();
    await kinds.learn('oc_entered', 'p2p', 'event');
    expect(await kinds.kindOf('oc_entered')).toBe('p2p');
    expect(await db('lark_chat_kinds').where({ chat_id: 'oc_entered' }).first()).toMatchObject({ kind: 'p2p', source: 'event' });
    expect(l.asked).toEqual(['oc_entered']);
  });

  test('without a way to ask Lark, an unknown chat stays unknown', async () => {
    const kinds = new ChatKinds({ store: new ChatKindStore(db), now, logger });
    expect(await kinds.kindOf('oc_nobody_asked')).toBeUndefined();
  });
});
