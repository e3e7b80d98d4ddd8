import type { Knex } from 'knex';
import type { Core } from '../platform/core/feature';
import { enqueueMessage } from '../platform/outbox/outbox-store';

/**
 * Where a message for a unit or a person goes: a unit's group chats, or (no group) each user of
 * the unit in person, so nothing is lost; a person in their P2P chat. Returns how many were queued.
 */
export async function sendTo(
  core: Core, trx: Knex.Transaction, to: { kind: 'leader' | 'unit' | 'user'; id: string }, content: unknown, source: string, now: Date,
): Promise<number> {
  const msg = { msgType: 'interactive' as const, content, source };
  if (to.kind !== 'unit') {
    await enqueueMessage(trx, { ...msg, receiveIdType: 'open_id', receiveId: to.id }, now);
    return 1;
  }
  const chats = await core.chats.forUnit(to.id, trx);
  if (chats.length) {
    for (const c of chats) await enqueueMessage(trx, { ...msg, receiveIdType: 'chat_id', receiveId: c.id }, now);
    return chats.length;
  }
  const people = await core.users.unitUserIds(to.id, trx);
  for (const id of people) await enqueueMessage(trx, { ...msg, receiveIdType: 'open_id', receiveId: id }, now);
  return people.length;
}

/** A short text to one person (the organiser hears of each reply). */
export async function tellPerson(trx: Knex.Transaction, userId: string, text: string, source: string, now: Date): Promise<void> {
  await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: userId, msgType: 'text', content: { text }, source }, now);
}
