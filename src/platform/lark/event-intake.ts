import * as lark from '@larksuiteoapi/node-sdk';
import type { Core } from '../core/feature';
import { larkEventsDuplicate, larkEventsReceived } from '../metrics/metrics';
import {
  CARD_ACTION_EVENT, LarkInbound, MENU_EVENT, MESSAGE_EVENT, normalizeLarkEvent, NormalizeContext, P2P_ENTERED_EVENT, p2pChatEntered,
} from './event-normalizer';
import { CARD_ACTION_PENDING_TOAST, CardActionAnswer, InboundProcessor, RecordedEvent } from '../inbound/inbound-processor';
import { sdkLevel, sdkLogger } from './lark-client';
import type { ChatKind, ChatKinds } from './chat-kind';

export interface LarkIntakeOptions {
  core: Core;
  processor: InboundProcessor;
  /** The bot's open_id, once known. */
  botOpenId: () => string | null;
  /** How long a card callback may wait before it answers with a toast (Lark allows 3 s); asking Lark about the chat counts. */
  cardAnswerBudgetMs?: number;
  /** What Lark has said each chat is, asked of Lark when unknown; without it an unknown chat is a group. */
  chatKinds?: ChatKinds | null;
}

/**
 * Where both Lark channels hand their events: one EventDispatcher with one handler per event
 * type, invoked by the WSClient for the long connection and by POST /lark/events after its own
 * checks. Each handler records the event and returns at once; card callbacks wait (up to a
 * budget) for the router, since their answer can carry a toast and the updated card.
 */
export class LarkEventIntake {
  private readonly budgetMs: number;
  private readonly inlineWork = new Set<Promise<unknown>>();

  constructor(private readonly o: LarkIntakeOptions) {
    this.budgetMs = o.cardAnswerBudgetMs ?? 2500;
  }

  /** The dispatcher for one channel; its handlers' return value is what Lark gets back. */
  dispatcher(channel: 'ws' | 'webhook'): lark.EventDispatcher {
    const { core } = this.o;
    const d = new lark.EventDispatcher({ logger: sdkLogger(core.logger), loggerLevel: sdkLevel(core.config) });
    d.register<Record<string, (data: any) => Promise<unknown>>>({
      [MESSAGE_EVENT]: (data: any) => this.onEvent(data, channel),
      [MENU_EVENT]: (data: any) => this.onEvent(data, channel),
      [CARD_ACTION_EVENT]: (data: any) => this.onCardAction(data, channel),
      [P2P_ENTERED_EVENT]: (data: any) => this.onP2pEntered(data),
    });
    return d;
  }

  /** A message or a menu click: record it; the router runs after the acknowledgement. */
  async onEvent(data: Record<string, any>, channel: 'ws' | 'webhook'): Promise<undefined> {
    const ev = await this.normalize(data);
    if (ev.kind === 'ignore') {
      this.o.core.logger.debug({ reason: ev.reason, type: data.event_type }, 'lark: event ignored');
      return undefined;
    }
    const rec = await this.o.processor.record(ev, channel);
    if (rec === null) {
      larkEventsDuplicate.inc({ channel });
      this.o.core.logger.info({ key: ev.key, type: ev.eventType, channel }, 'lark: event delivered again; ignored');
      return undefined;
    }
    larkEventsReceived.inc({ channel, type: ev.eventType });
    this.o.processor.enqueue(rec, ev);
    return undefined;
  }

  /**
   * A button click or form submit. The answer (within Lark's 3 s): when the router is done within
   * the budget, its first card replaces the clicked card, or its first short text shows as a
   * toast, and any further replies go out as messages. When it is slower, a toast says the
   * result follows, and every reply goes out through the outbox (the first card patching the
   * clicked one). A repeated callback gets an empty answer and changes nothing.
   */
  async onCardAction(data: Record<string, any>, channel: 'ws' | 'webhook'): Promise<CardActionAnswer> {
    const started = Date.now();
    const ev = await this.normalize(data);
    if (ev.kind === 'ignore') return {};
    const processor = this.o.processor;
    const rec = await processor.record(ev, channel, { inline: true });
    if (rec === null) {
      larkEventsDuplicate.inc({ channel });
      return {};
    }
    larkEventsReceived.inc({ channel, type: ev.eventType });
    // The web role: a worker runs it; its first card patches the clicked one.
    if (processor.recordOnly) return { toast: { type: 'info', content: CARD_ACTION_PENDING_TOAST } };
    let late = false;
    let taken = false;
    const work = processor.process(rec.id, ev as RecordedEvent, rec.claim, {
      take: () => {
        if (late) return false;
        taken = true;
        return true;
      },
    });
    this.track(work);
    let timer: NodeJS.Timeout | undefined;
    // What the normalization took (asking Lark about the chat) comes out of the same 3 s.
    const budget = Math.max(200, this.budgetMs - (Date.now() - started));
    const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), budget); });
    try {
      const first = await Promise.race([work, timeout]);
      if (first !== 'timeout') return first.answer ?? {};
      if (taken) return (await work).answer ?? {};
      late = true;
      return { toast: { type: 'info', content: CARD_ACTION_PENDING_TOAST } };
    } catch (err) {
      // The row stays unfinished; the poller processes it and the replies go out as messages.
      this.o.core.logger.error({ err, eventId: rec.id }, 'lark: card action failed; left for the poller');
      return { toast: { type: 'info', content: CARD_ACTION_PENDING_TOAST } };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A person opened their private chat with the bot: remembered as their private chat (a menu
   * click's answer continues there) and as a chat known to be private (a card clicked there may
   * show what only a private chat may). Nothing to answer; a failure is logged, not redelivered.
   */
  async onP2pEntered(data: Record<string, any>): Promise<undefined> {
    const entered = p2pChatEntered(data);
    if (!entered) return undefined;
    try {
      await this.o.processor.store.rememberP2pChat(this.o.core.db, entered.openId, entered.chatId, this.o.core.now());
      await this.o.chatKinds?.learn(entered.chatId, 'p2p', 'event');
    } catch (err: any) {
      this.o.core.logger.warn({ err: { message: err?.message } }, 'lark: could not remember a private chat');
    }
    return undefined;
  }

  /** Waits for card actions still running (stop). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inlineWork]);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.inlineWork.delete(q));
    this.inlineWork.add(q);
  }

  /** Looks up what the normalizer needs to know about the person and the chat, then normalizes. */
  private async normalize(data: Record<string, any>): Promise<LarkInbound> {
    const type = String(data.event_type ?? '');
    const ctx: NormalizeContext = { botOpenId: this.o.botOpenId() };
    if (type === MENU_EVENT || type === CARD_ACTION_EVENT) {
      const openId = String(data.operator?.open_id ?? data.operator?.operator_id?.open_id ?? '');
      const own = openId ? await this.o.processor.store.p2pChatOf(openId) : undefined;
      ctx.p2pChatOf = () => own;
      if (type === CARD_ACTION_EVENT) {
        const chatId = String(data.context?.open_chat_id ?? '');
        const kind = chatId ? await this.chatKindOf(chatId, own) : undefined;
        ctx.chatKind = () => kind;
      }
    }
    return normalizeLarkEvent(data, ctx);
  }

  /**
   * What a clicked card's chat is: the person's own private chat; a group when they have another
   * private chat (one person, one private chat with the bot) or the bureau registered it; else
   * what Lark has said or, asked now, says. Undefined (a group) when nothing is sure.
   */
  private async chatKindOf(chatId: string, own: string | undefined): Promise<ChatKind | undefined> {
    if (own === chatId) return 'p2p';
    if (own !== undefined) return 'group';
    if (await this.o.core.chats.get(chatId)) return 'group';
    return this.o.chatKinds?.kindOf(chatId);
  }
}
