import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { UNKNOWN_USER_REPLY_ONCE_A_DAY } from '../chat/unknown-user';
import type { Router } from '../chat/router';
import type { Outgoing } from '../chat/messages';
import type { User } from '../directory/user-store';
import { isRetryable, runTurn } from '../database/transaction';
import { throwIfTurnAborted } from '../database/ambient-transaction';
import { shanghaiDate } from '../calendar/domain/dates';
import type { Core } from '../core/feature';
import { enqueueMessages, OutboxMessage } from '../outbox/outbox-store';
import { isDbUnavailable } from '../outbox/db-outage';
import type { InboundEventStore } from './inbound-event-store';
import { CardActionAnswer, failureText, HeldEvent, LARK_ID_MAX, RecordedEvent, senderOf } from './inbound-event';
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

/** A batch found an event no longer held here: roll back, and run each on its own. */
class NotAllHeld extends Error {}
/** The event is no longer held here (taken over elsewhere): roll its turn back. */
class NotHeld extends Error {}
/** The handler failed unexpectedly: its savepoint is rolled back, and the apology it answered with is kept. */
class HandlerFailed extends Error {
  constructor(readonly prepared: Prepared) {
    super('handler failed');
  }
}

export interface TurnExecutorOptions {
  core: Core;
  router: Router;
  store: InboundEventStore;
  leaseMs: number;
  /** Called after replies were queued, so the sender looks at once. */
  onQueued?: () => void;
  /** Failed tries of one event before it is marked failed (INBOUND_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/**
 * Runs held events through the router, each as a turn: the handler's writes (through core.db,
 * which inside a turn is the turn's transaction, see platform/database/ambient-transaction.ts),
 * its replies queued in the outbox and the event's "done" mark (under its claim, so an event
 * taken over elsewhere is not finished twice) commit in one transaction, or none of them does.
 * A crash before the commit leaves the event to be run again with nothing of its first run
 * kept; after it, nothing runs it again. The events of a batch share the transaction, each in a
 * savepoint of its own (a handler that throws rolls back only itself). An unknown person gets
 * one refusal a day and nothing else.
 */
export class TurnExecutor {
  /** Private chats already remembered (person → chat), so most turns write nothing for it. */
  private readonly p2pSeen = new Map<string, string>();

  constructor(private readonly o: TurnExecutorOptions) {}

  /** Runs a batch one event after the other in one transaction (see above). */
  async runBatch(events: HeldEvent[]): Promise<void> {
    // One query finds the batch's senders; the router gets each one's record from here.
    let known: Map<string, User>;
    try {
      known = await this.o.core.users.getMany(events.map((e) => senderOf(e.ev)));
    } catch (err) {
      for (const e of events) await this.o.store.release(e.id, e.claim, 'user lookup failed', { countAttempt: false }).catch(() => undefined);
      throw err;
    }
    const sender = (held: HeldEvent) => known.get(senderOf(held.ev)) ?? null;
    const live: HeldEvent[] = [];
    for (const held of events) if (await this.renewIfOld(held)) live.push(held);
    if (live.length > 1 && (await this.runTogether(live, sender))) return;
    // One event, or a batch that could not commit together: each in a turn of its own.
    for (const held of live) {
      if (live.length > 1 && !(await this.renewIfOld(held))) continue;
      await this.runAlone(held, sender(held)).catch(() => undefined); // logged, and handed back for another try
    }
  }

  /**
   * Runs the router for one recorded event and queues the replies (a card action: see
   * LarkEventIntake.onCardAction). `inline.take()` is asked once the replies are known: when it
   * says yes, the first card (or a short text, as a toast) becomes the callback's answer instead
   * of a message; when it says no, the first card patches the clicked card.
   */
  async process(id: number, ev: RecordedEvent, claim: string, inline?: InlineAnswer): Promise<{ answer: CardActionAnswer | null; done: boolean }> {
    const p = await this.runAlone({ id, ev, claim, queuedAt: performance.now() }, undefined, inline);
    return { answer: p ? p.answer : null, done: p !== null };
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

  /**
   * The batch's events in one turn, each handler in a savepoint; one UPDATE marks them all done,
   * one INSERT queues all their replies. False when the batch could not commit together (an
   * event no longer held here, a deadlock retried to the end, an outage): nothing of it is kept.
   */
  private async runTogether(live: HeldEvent[], sender: (h: HeldEvent) => User | null): Promise<boolean> {
    const db = this.o.core.db;
    let outcome: { prepared: Prepared[]; failed: Array<{ held: HeldEvent; err: unknown }> };
    try {
      outcome = await runTurn(db, async (trx) => {
        const prepared: Prepared[] = [];
        const failed: Array<{ held: HeldEvent; err: unknown }> = [];
        for (const held of live) {
          try {
            prepared.push(await this.prepareInSavepoint(held, undefined, sender(held)));
          } catch (err) {
            throwIfTurnAborted(db);
            if (isRetryable(err)) throw err;
            failed.push({ held, err });
          }
        }
        if (prepared.length) {
          const now = prepared[0].now;
          const n = await this.o.store.completeMany(trx, prepared.map((p) => ({ id: p.held.id, claim: p.held.claim })), now);
          if (n !== prepared.length) throw new NotAllHeld();
          const messages: OutboxMessage[] = [];
          for (const p of prepared) messages.push(...(await this.repliesToQueue(trx, p, now)));
          await enqueueMessages(trx, messages, now);
        }
        return { prepared, failed };
      });
    } catch (err) {
      if (!(err instanceof NotAllHeld)) this.o.core.logger.warn({ err, events: live.length }, 'lark: a batch could not commit together; its events run one by one');
      return false;
    }
    for (const { held, err } of outcome.failed) {
      this.o.core.logger.error({ err, eventId: held.id }, 'lark: event processing failed; left for the poller');
      await this.failTry(held, err);
    }
    this.afterCommit(outcome.prepared);
    return true;
  }

  /**
   * One event in a turn of its own. Null when it is no longer held here (its turn rolled back);
   * throws when it failed (handed back for another try, or marked failed).
   */
  private async runAlone(held: HeldEvent, sender?: User | null, inline?: InlineAnswer): Promise<Prepared | null> {
    if (sender === undefined) {
      try {
        sender = await this.o.core.users.get(senderOf(held.ev));
      } catch (err) {
        await this.o.store.release(held.id, held.claim, 'user lookup failed', { countAttempt: false }).catch(() => undefined);
        throw err;
      }
    }
    let p: Prepared;
    try {
      p = await runTurn(this.o.core.db, async (trx) => {
        const prepared = await this.prepareInSavepoint(held, inline, sender);
        if (!(await this.commitOne(trx, prepared))) throw new NotHeld();
        return prepared;
      });
    } catch (err) {
      if (err instanceof NotHeld) {
        this.o.core.logger.warn({ eventId: held.id }, 'lark: event not finished here (taken over by another process, or failed)');
        return null;
      }
      this.o.core.logger.error({ err, eventId: held.id }, 'lark: event processing failed; left for the poller');
      await this.failTry(held, err);
      throw err;
    }
    this.afterCommit([p]);
    return p;
  }

  /**
   * Runs the handler in a savepoint of the turn: if it fails unexpectedly, what it wrote is rolled
   * back and its apology is the answer. Throws when the turn's transaction was aborted (a
   * deadlock): nothing after that may be written on it.
   */
  private async prepareInSavepoint(held: HeldEvent, inline: InlineAnswer | undefined, sender: User | null): Promise<Prepared> {
    // Nothing to roll back for an unknown sender (no handler runs) or a message that is not text.
    if (!sender || held.ev.kind === 'unsupported') return this.prepare(held, inline, sender);
    const db = this.o.core.db;
    let p: Prepared;
    try {
      p = await db.transaction(() => this.prepare(held, inline, sender));
    } catch (err) {
      throwIfTurnAborted(db);
      if (!(err instanceof HandlerFailed)) throw err;
      p = err.prepared;
    }
    throwIfTurnAborted(db);
    return p;
  }

  /** `sender`: the sender's record (null: not registered). Only the router's handler touches the database. */
  private async prepare(held: HeldEvent, inline: InlineAnswer | undefined, sender: User | null): Promise<Prepared> {
    const { id, ev } = held;
    const core = this.o.core;
    const now = core.now();
    if (!sender) {
      // One polite refusal a day, and nothing else.
      const message = replyMessage(ev.reply, { type: 'text', text: LARK_UNKNOWN_USER_REPLY }, id);
      return { held, now, messages: [], refusal: { openId: senderOf(ev), day: shanghaiDate(now), message }, answer: inline ? {} : null };
    }
    let failed = false;
    const replies: Outgoing[] =
      ev.kind === 'unsupported'
        ? [{ type: 'text', text: UNSUPPORTED_MESSAGE_REPLY }]
        : await this.o.router.handle(ev.incoming, sender, { onFailure: () => (failed = true) });
    const p = this.answered(held, now, replies, inline);
    if (failed) throw new HandlerFailed(p);
    return p;
  }

  /** The replies as outbox messages, or (a card action answered in time) the callback's answer and the rest. */
  private answered(held: HeldEvent, now: Date, replies: Outgoing[], inline: InlineAnswer | undefined): Prepared {
    const { id, ev } = held;
    // Not answered in the callback (a web process's toast said the result follows, or the
    // callback's run failed or died): a card action's first card patches the clicked card.
    if (!inline) return { held, now, messages: lateCardActionMessages(ev.reply, replies, id), answer: null };
    if (!inline.take()) return { held, now, messages: lateCardActionMessages(ev.reply, replies, id), answer: null };
    const { answer, rest } = inlineAnswer(replies, this.o.core.config.LARK_CARD_MAX_BYTES);
    return { held, now, messages: rest.map((r) => replyMessage(ev.reply, r, id)), answer };
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
    // Ids longer than the columns hold are no Lark ids: nothing is written for them (an insert would fail on every try).
    const fits = (...ids: Array<string | null | undefined>) => ids.every((id) => !id || id.length <= LARK_ID_MAX);
    if (p.refusal) {
      if (!fits(p.refusal.openId)) {
        this.o.core.logger.warn({ eventId: p.held.id, idLength: p.refusal.openId.length }, 'lark: an unknown sender’s id is too long to be a Lark id; no refusal sent');
        return [];
      }
      return (await this.o.store.recordRefusal(trx, p.refusal.openId, p.refusal.day, now)) ? [p.refusal.message] : [];
    }
    const p2p = p.held.ev.p2pChat;
    if (p2p && fits(p2p.openId, p2p.chatId) && this.p2pSeen.get(p2p.openId) !== p2p.chatId) await this.o.store.rememberP2pChat(trx, p2p.openId, p2p.chatId, now);
    const messages = p.messages.filter((m) => fits(m.receiveId, m.replyTo, m.messageId));
    if (messages.length < p.messages.length) this.o.core.logger.warn({ eventId: p.held.id }, 'lark: a reply addressed to an id too long to be a Lark id was dropped');
    return messages;
  }

  /**
   * A try that failed: handed back with its error for another (an outage's failure is not
   * counted); the try that reaches maxAttempts marks the event failed, and the log says so.
   */
  private async failTry(held: HeldEvent, err: unknown): Promise<void> {
    const error = failureText(err);
    const countAttempt = !isDbUnavailable(err);
    const r = await this.o.store.release(held.id, held.claim, error, { countAttempt, maxAttempts: this.o.maxAttempts, now: new Date() }).catch(() => null);
    if (r !== 'failed') return;
    this.o.core.logger.error(
      { eventId: held.id, error },
      `入站事件 #${held.id} 多次处理失败，已标记为失败：${error}（xinfang inbound list --failed 查看，xinfang inbound retry ${held.id} 重试）`,
    );
  }

  /** After the commit of these events (outside any turn): the sender is told, private chats remembered. */
  private afterCommit(prepared: Prepared[]): void {
    let queued = false;
    for (const p of prepared) {
      if (p.messages.length || p.refusal) queued = true;
      const ev = p.held.ev;
      if (ev.p2pChat) this.rememberSeen(ev.p2pChat.openId, ev.p2pChat.chatId);
    }
    if (queued) this.o.onQueued?.();
  }

  private rememberSeen(openId: string, chatId: string): void {
    if (this.p2pSeen.size > 10_000) this.p2pSeen.clear();
    this.p2pSeen.set(openId, chatId);
  }
}
