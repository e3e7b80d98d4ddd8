import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { UNKNOWN_USER_REPLY_ONCE_A_DAY } from '../chat/unknown-user';
import type { Router } from '../chat/router';
import type { Outgoing } from '../chat/messages';
import type { User } from '../directory/user-store';
import { runTransaction } from '../database/transaction';
import { shanghaiDate } from '../calendar/domain/dates';
import type { Core } from '../core/feature';
import { enqueueMessages, OutboxMessage } from '../outbox/outbox-store';
import type { InboundEventStore } from './inbound-event-store';
import { CardActionAnswer, HeldEvent, RecordedEvent, senderOf } from './inbound-event';
import { inlineAnswer, lateCardActionMessages, replyMessage } from './reply-messages';

/** What an unknown Lark user is told, once a day. */
export const LARK_UNKNOWN_USER_REPLY = UNKNOWN_USER_REPLY_ONCE_A_DAY;
export const UNSUPPORTED_MESSAGE_REPLY = '目前只能识别文字消息。请直接输入文字，例如“帮助”。';

/** Asked once the replies are known: may they answer the card callback itself? */
export interface InlineAnswer {
  take: () => boolean;
}

/** An event whose router has run: what its commit writes. */
interface Prepared {
  held: HeldEvent;
  now: Date;
  messages: OutboxMessage[];
  /** An unknown user: the refusal is queued only if none went out today. */
  refusal?: { openId: string; day: string; message: OutboxMessage };
  answer: CardActionAnswer | null;
}

/** A batch commit found an event no longer held here: roll back and commit one by one. */
class NotAllHeld extends Error {}

export interface TurnExecutorOptions {
  core: Core;
  router: Router;
  store: InboundEventStore;
  leaseMs: number;
  /** Called after replies were queued, so the sender looks at once. */
  onQueued?: () => void;
}

/**
 * Runs held events through the router and, in one transaction, queues their replies in the
 * outbox and marks them done (each under its claim, so an event taken over elsewhere is not
 * finished twice). An unknown person gets one refusal a day and nothing else. A handler's own
 * database writes are committed by the handler, so if the process dies in between a handler may
 * run twice; the replies are still queued once.
 */
export class TurnExecutor {
  /** Private chats already remembered (person → chat), so most turns write nothing for it. */
  private readonly p2pSeen = new Map<string, string>();

  constructor(private readonly o: TurnExecutorOptions) {}

  /** Runs a batch one event after the other, and commits their replies together. */
  async runBatch(events: HeldEvent[]): Promise<void> {
    // One query finds the batch's senders; the router gets each one's record from here.
    let known: Map<string, User>;
    try {
      known = await this.o.core.users.getMany(events.map((e) => senderOf(e.ev)));
    } catch (err) {
      for (const e of events) await this.o.store.release(e.id, e.claim, 'user lookup failed').catch(() => undefined);
      throw err;
    }
    const run = (held: HeldEvent) =>
      this.prepare(held, undefined, known.get(senderOf(held.ev)) ?? null).catch((err) => {
        this.o.core.logger.error({ err, eventId: held.id }, 'lark: event processing failed; left for the poller');
        return null;
      });
    // One after the other: the acknowledgements' INSERTs meet one query of ours at a time, not sixteen.
    const prepared: Prepared[] = [];
    for (const held of events) {
      if (!(await this.renewIfOld(held))) continue;
      const p = await run(held);
      if (p) prepared.push(p);
    }
    if (prepared.length) await this.commit(prepared);
  }

  /**
   * Runs the router for one recorded event and queues the replies (a card action: see
   * LarkEventIntake.onCardAction). `inline.take()` is asked once the replies are known: when it
   * says yes, the first card (or a short text, as a toast) becomes the callback's answer instead
   * of a message; when it says no, the first card patches the clicked card.
   */
  async process(id: number, ev: RecordedEvent, claim: string, inline?: InlineAnswer): Promise<{ answer: CardActionAnswer | null; done: boolean }> {
    const p = await this.prepare({ id, ev, claim, queuedAt: performance.now() }, inline);
    const [done] = await this.commit([p]);
    return { answer: done ? p.answer : null, done };
  }

  /**
   * An event that waited here a third of its lease (a burst, a long queue) has its lease renewed
   * before it runs, so no poller takes it over while it runs; false when another process already has.
   */
  private async renewIfOld(held: HeldEvent): Promise<boolean> {
    const now = performance.now();
    if (now - held.queuedAt < this.o.leaseMs / 3) return true;
    const ok = await this.o.store.renew(held.id, held.claim, new Date(Date.now() + this.o.leaseMs)).catch(() => false);
    if (ok) held.queuedAt = now;
    else this.o.core.logger.warn({ eventId: held.id }, 'lark: an event waited past its lease and was taken over elsewhere');
    return ok;
  }

  /** `sender`: the sender's record (null: not registered), when the caller looked it up already. */
  private async prepare(held: HeldEvent, inline?: InlineAnswer, sender?: User | null): Promise<Prepared> {
    const { id, ev, claim } = held;
    const core = this.o.core;
    const userId = senderOf(ev);
    if (sender === undefined) {
      try {
        sender = await core.users.get(userId);
      } catch (err) {
        await this.o.store.release(id, claim, 'user lookup failed').catch(() => undefined);
        throw err;
      }
    }
    const now = core.now();
    if (!sender) {
      // One polite refusal a day, and nothing else.
      const message = replyMessage(ev.reply, { type: 'text', text: LARK_UNKNOWN_USER_REPLY }, id);
      return { held, now, messages: [], refusal: { openId: userId, day: shanghaiDate(now), message }, answer: inline ? {} : null };
    }
    const replies: Outgoing[] =
      ev.kind === 'unsupported' ? [{ type: 'text', text: UNSUPPORTED_MESSAGE_REPLY }] : await this.o.router.handle(ev.incoming, sender);
    if (!inline) return { held, now, messages: replies.map((r) => replyMessage(ev.reply, r, id)), answer: null };
    if (!inline.take()) return { held, now, messages: lateCardActionMessages(ev.reply, replies, id), answer: null };
    const { answer, rest } = inlineAnswer(replies, core.config.LARK_CARD_MAX_BYTES);
    return { held, now, messages: rest.map((r) => replyMessage(ev.reply, r, id)), answer };
  }

  /**
   * Commits prepared events in one transaction: one UPDATE marks them all done (each under its
   * claim), one INSERT queues all their replies. If any is no longer held here, or anything
   * fails, each is committed on its own instead.
   */
  private async commit(prepared: Prepared[]): Promise<boolean[]> {
    let done: boolean[];
    try {
      done = await runTransaction(this.o.core.db, async (trx) => {
        if (prepared.length === 1) return [await this.commitOne(trx, prepared[0])];
        const now = prepared[0].now;
        const n = await this.o.store.completeMany(trx, prepared.map((p) => ({ id: p.held.id, claim: p.held.claim })), now);
        if (n !== prepared.length) throw new NotAllHeld();
        const messages: OutboxMessage[] = [];
        for (const p of prepared) messages.push(...(await this.repliesToQueue(trx, p, now)));
        await enqueueMessages(trx, messages, now);
        return prepared.map(() => true);
      });
    } catch (err) {
      if (prepared.length === 1) throw err;
      done = [];
      for (const p of prepared) {
        done.push(
          await runTransaction(this.o.core.db, (trx) => this.commitOne(trx, p)).catch((e) => {
            this.o.core.logger.error({ err: e, eventId: p.held.id }, 'lark: could not queue the replies; left for the poller');
            return false;
          }),
        );
      }
    }
    this.afterCommit(prepared, done);
    return done;
  }

  private async commitOne(trx: Knex.Transaction, p: Prepared): Promise<boolean> {
    const { held, now } = p;
    if (!(await this.o.store.complete(trx, held.id, held.claim, now))) return false;
    await enqueueMessages(trx, await this.repliesToQueue(trx, p, now), now);
    return true;
  }

  /**
   * What an event's commit queues: its replies (remembering a person's private chat the first
   * time it is seen), or the day's refusal if none went out yet.
   */
  private async repliesToQueue(trx: Knex.Transaction, p: Prepared, now: Date): Promise<OutboxMessage[]> {
    if (p.refusal) return (await this.o.store.recordRefusal(trx, p.refusal.openId, p.refusal.day, now)) ? [p.refusal.message] : [];
    const p2p = p.held.ev.p2pChat;
    if (p2p && this.p2pSeen.get(p2p.openId) !== p2p.chatId) await this.o.store.rememberP2pChat(trx, p2p.openId, p2p.chatId, now);
    return p.messages;
  }

  private afterCommit(prepared: Prepared[], done: boolean[]): void {
    let queued = false;
    prepared.forEach((p, i) => {
      if (!done[i]) {
        this.o.core.logger.warn({ eventId: p.held.id }, 'lark: event not finished here (taken over by another process, or failed)');
        return;
      }
      if (p.messages.length || p.refusal) queued = true;
      const ev = p.held.ev;
      if (ev.p2pChat) this.rememberSeen(ev.p2pChat.openId, ev.p2pChat.chatId);
    });
    if (queued) this.o.onQueued?.();
  }

  private rememberSeen(openId: string, chatId: string): void {
    if (this.p2pSeen.size > 10_000) this.p2pSeen.clear();
    this.p2pSeen.set(openId, chatId);
  }
}
