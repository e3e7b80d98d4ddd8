import type { Knex } from 'knex';
import type { Core } from '../platform/core/feature';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import type { LeaderStore } from './leader-store';

/** Where a notice goes: a person (open_id) or a group (chat_id). */
export interface Target {
  receiveIdType: 'open_id' | 'chat_id';
  receiveId: string;
}

export function people(ids: string[]): Target[] {
  return [...new Set(ids)].map((id) => ({ receiveIdType: 'open_id' as const, receiveId: id }));
}

/** Who approves 调整接访: the bureau's group(s) when registered, else each admin in person. */
export async function approverTargets(core: Core): Promise<Target[]> {
  const groups = await core.chats.forRole('bureau');
  if (groups.length) return groups.map((g) => ({ receiveIdType: 'chat_id', receiveId: g.id }));
  return (await core.users.listByRole('admin')).map((u) => ({ receiveIdType: 'open_id', receiveId: u.id }));
}

/** The groups of the venues: those registered for the venue, then the chat id on the venue row itself. */
export async function venueChatIds(core: Core, leaders: LeaderStore, venueIds: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const v of new Set(venueIds)) {
    for (const c of await core.chats.forVenue(v)) ids.add(c.id);
    const own = await leaders.venueChatId(v);
    if (own) ids.add(own);
  }
  return [...ids];
}

export async function venueTargets(core: Core, leaders: LeaderStore, venueIds: string[]): Promise<Target[]> {
  return (await venueChatIds(core, leaders, venueIds)).map((id) => ({ receiveIdType: 'chat_id', receiveId: id }));
}

/** Queues one card to each target, in the caller's transaction. */
export async function sendCard(trx: Knex.Transaction, targets: Target[], content: Record<string, unknown>, source: string, now: Date): Promise<void> {
  for (const t of targets) await enqueueMessage(trx, { ...t, msgType: 'interactive', content, source }, now);
}
