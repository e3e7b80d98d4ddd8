import type { Core } from '../platform/core/feature';
import { enqueueMessages, OutboxMessage } from '../platform/outbox/outbox-store';
import type { LeaderStore } from './leader-store';
import { planChangesCard } from './plan-change-cards';
import type { Db } from './store-rows';

/** One change of the plan, and whom it concerns: its leaders (before and after) and its venues' groups. */
export interface PlanNotice {
  leaderIds: string[];
  venueIds: string[];
  line: string;
}

/**
 * Tells each leader and each venue group of many changes at once: one card each listing all of
 * theirs, not one per session. Queued through the outbox in the caller's transaction (every read
 * on `trx` too: SQLite has one connection). Returns the number of messages queued.
 */
export async function sendPlanNotices(
  core: Core, leaders: LeaderStore, trx: Db, notices: PlanNotice[], opts: { title: string; intro: string; source: string; now: Date },
): Promise<number> {
  const byTarget = new Map<string, { receiveIdType: 'open_id' | 'chat_id'; receiveId: string; lines: string[] }>();
  const add = (receiveIdType: 'open_id' | 'chat_id', receiveId: string, line: string) => {
    const k = `${receiveIdType}:${receiveId}`;
    const t = byTarget.get(k) ?? { receiveIdType, receiveId, lines: [] };
    byTarget.set(k, t);
    if (!t.lines.includes(line)) t.lines.push(line);
  };
  const chatsOf = new Map<string, string[]>();
  for (const v of new Set(notices.flatMap((n) => n.venueIds))) {
    const ids = new Set((await core.chats.forVenue(v, trx)).map((c) => c.id));
    const own = await leaders.venueChatId(v, trx);
    if (own) ids.add(own);
    chatsOf.set(v, [...ids]);
  }
  for (const n of notices) {
    for (const l of new Set(n.leaderIds)) add('open_id', l, n.line);
    for (const v of new Set(n.venueIds)) for (const c of chatsOf.get(v) ?? []) add('chat_id', c, n.line);
  }
  const msgs: OutboxMessage[] = [...byTarget.values()].map((t) => ({
    receiveIdType: t.receiveIdType, receiveId: t.receiveId, msgType: 'interactive',
    content: planChangesCard({ title: opts.title, intro: opts.intro, lines: t.lines }), source: opts.source,
  }));
  await enqueueMessages(trx, msgs, opts.now);
  return msgs.length;
}
