import type { Logger } from '../logging/logger';
import type { ChatKind, ChatKindSource, ChatKindStore } from './chat-kind-store';

export type { ChatKind } from './chat-kind-store';

export interface ChatKindsOptions {
  store: ChatKindStore;
  /** Asks Lark what the chat is (im.v1.chat.get): 'p2p', 'group', or null when Lark did not say. */
  ask?: (chatId: string) => Promise<ChatKind | null>;
  now: () => Date;
  logger: Logger;
  /** How long Lark may take to answer: the ask runs inside a card callback, which Lark gives 3 s. */
  askTimeoutMs?: number;
  /** After a failed ask, how long the same chat is not asked about again (it counts as a group meanwhile). */
  retryAfterMs?: number;
}

const MEMORY_LIMIT = 10_000;

/**
 * What Lark has said a chat is, remembered in memory and in `lark_chat_kinds`, and asked of Lark
 * (once per chat, answers shared by concurrent clicks) when nothing is known yet. The answer is
 * undefined whenever Lark has not said: the caller treats such a chat as a group, so a failure
 * (no permission, a timeout, Lark down) can only ever hide personal data, never show it.
 */
export class ChatKinds {
  private readonly known = new Map<string, ChatKind>();
  private readonly unsureUntil = new Map<string, number>();
  private readonly asking = new Map<string, Promise<ChatKind | undefined>>();
  private readonly askTimeoutMs: number;
  private readonly retryAfterMs: number;

  constructor(private readonly o: ChatKindsOptions) {
    this.askTimeoutMs = o.askTimeoutMs ?? 800;
    this.retryAfterMs = o.retryAfterMs ?? 10 * 60_000;
  }

  /** What the chat is, as far as Lark has said; never throws. */
  async kindOf(chatId: string): Promise<ChatKind | undefined> {
    const mem = this.known.get(chatId);
    if (mem) return mem;
    try {
      const stored = await this.o.store.get(chatId);
      if (stored) return this.keep(chatId, stored);
    } catch (err: any) {
      this.o.logger.warn({ err: { message: err?.message } }, 'lark: could not read what a chat is; treated as a group');
      return undefined;
    }
    if (!this.o.ask || (this.unsureUntil.get(chatId) ?? 0) > Date.now()) return undefined;
    let pending = this.asking.get(chatId);
    if (!pending) {
      pending = this.askLark(chatId).finally(() => this.asking.delete(chatId));
      this.asking.set(chatId, pending);
    }
    return pending;
  }

  /** Lark said what the chat is (an event): remembered for good. */
  async learn(chatId: string, kind: ChatKind, source: ChatKindSource): Promise<void> {
    this.keep(chatId, kind);
    this.unsureUntil.delete(chatId);
    await this.o.store.remember(chatId, kind, source, this.o.now());
  }

  private async askLark(chatId: string): Promise<ChatKind | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.askTimeoutMs);
      timer.unref();
    });
    let answer: ChatKind | null | 'timeout';
    try {
      answer = await Promise.race([this.o.ask!(chatId), timeout]);
    } catch (err: any) {
      answer = null;
      this.o.logger.warn({ err: { message: err?.message } }, 'lark: chat.get failed; the chat is treated as a group');
    } finally {
      clearTimeout(timer);
    }
    if (answer === null || answer === 'timeout') {
      if (answer === 'timeout') this.o.logger.warn({ timeoutMs: this.askTimeoutMs }, 'lark: chat.get did not answer in time; the chat is treated as a group');
      if (this.unsureUntil.size >= MEMORY_LIMIT) this.unsureUntil.clear();
      this.unsureUntil.set(chatId, Date.now() + this.retryAfterMs);
      return undefined;
    }
    try {
      await this.o.store.remember(chatId, answer, 'chat.get', this.o.now());
    } catch (err: any) {
      this.o.logger.warn({ err: { message: err?.message } }, 'lark: could not store what a chat is');
    }
    return this.keep(chatId, answer);
  }

  private keep(chatId: string, kind: ChatKind): ChatKind {
    if (this.known.size >= MEMORY_LIMIT) this.known.clear();
    this.known.set(chatId, kind);
    return kind;
  }
}
