import { AckPressure } from '../../../src/platform/inbound/ack-pressure';
import { ConversationScheduler } from '../../../src/platform/inbound/conversation-scheduler';
import type { HeldEvent } from '../../../src/platform/inbound/inbound-event';
import { createLogger } from '../../../src/platform/logging/logger';

let seq = 0;
/** A held message from `user` in `chat`, its text naming it. */
function held(user: string, chat: string, label: string): HeldEvent {
  const id = ++seq;
  return {
    id,
    claim: 'w#r1',
    queuedAt: 0,
    ev: {
      kind: 'incoming',
      key: `evt:${id}`,
      eventType: 'im.message.receive_v1',
      incoming: { kind: 'message', userId: user, chatId: chat, chatType: 'p2p', text: label },
      reply: { receiveIdType: 'chat_id', receiveId: chat },
    },
  };
}
const labelOf = (e: HeldEvent) => (e.ev.kind === 'incoming' && e.ev.incoming.kind === 'message' ? e.ev.incoming.text : '');

/** A scheduler whose batches are recorded (as the labels of their events) and take `ms` each. */
function scheduler(o: { batchSize?: number; lingerMs?: number; ms?: number } = {}) {
  const batches: string[][] = [];
  const s = new ConversationScheduler({
    runBatch: async (events) => {
      batches.push(events.map(labelOf));
      await new Promise((r) => setTimeout(r, o.ms ?? 0));
    },
    logger: createLogger('silent'),
    batchSize: o.batchSize ?? 16,
    batches: 2,
    lingerMs: o.lingerMs ?? 0,
    pressure: new AckPressure(1),
    maxYieldMs: 1000,
  });
  const settled = async () => {
    while (s.busy) await new Promise((r) => setTimeout(r, 5));
  };
  return { s, batches, settled };
}

describe('ConversationScheduler', () => {
  test('one person’s events in one chat run in order, one at a time; other conversations share the batches', async () => {
    const { s, batches, settled } = scheduler();
    for (const e of [held('ou_a', 'oc_1', 'a1'), held('ou_a', 'oc_1', 'a2'), held('ou_b', 'oc_2', 'b1'), held('ou_a', 'oc_1', 'a3'), held('ou_a', 'oc_3', 'a-other')]) s.add(e);
    expect(s.waiting).toBe(5);
    await settled();
    expect(batches).toEqual([['a1', 'b1', 'a-other'], ['a2'], ['a3']]);
    expect(s.waiting).toBe(0);
  });

  test('a batch holds batchSize events at most; the rest follow in the next', async () => {
    const { s, batches, settled } = scheduler({ batchSize: 3 });
    for (let i = 0; i < 5; i++) s.add(held(`ou_${i}`, `oc_${i}`, `m${i}`));
    await settled();
    expect(batches).toEqual([['m0', 'm1', 'm2'], ['m3', 'm4']]);
  });

  test('a lone event lingers for company, so events arriving together share a batch', async () => {
    const { s, batches, settled } = scheduler({ lingerMs: 30 });
    s.add(held('ou_a', 'oc_1', 'first'));
    await new Promise((r) => setTimeout(r, 5));
    s.add(held('ou_b', 'oc_2', 'second'));
    expect(batches).toEqual([]);
    await settled();
    expect(batches).toEqual([['first', 'second']]);
  });

  test('stopping hands back the events not started; the batch under way goes on', async () => {
    const { s, batches, settled } = scheduler({ ms: 50 });
    s.add(held('ou_a', 'oc_1', 'a1'));
    s.add(held('ou_a', 'oc_1', 'a2'));
    await new Promise((r) => setTimeout(r, 10));
    s.stopTimers();
    expect(s.takeWaiting().map(labelOf)).toEqual(['a2']);
    expect(s.waiting).toBe(0);
    await settled();
    expect(batches).toEqual([['a1']]);
  });
});
