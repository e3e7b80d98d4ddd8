import type { Incoming } from '../chat/messages';
import { maskPersonalDataInText } from '../personal-data/masking';

/*
 * The event as the channel hands it over (platform/lark/event-normalizer.ts makes it from Lark's JSON):
 * defined here, beside what the inbound machinery does with it, so the Lark channel depends on this
 * folder and not the other way round.
 */
/** Where the answers to an event go. */
export interface ReplyTarget {
  receiveIdType: 'chat_id' | 'open_id';
  receiveId: string;
  /** Answer as a reply to this message (group chats: the answer sits under the question). */
  replyTo?: string;
  /** The card a card action came from: a late card answer patches it. */
  cardMessageId?: string;
}

export type LarkInbound =
  | { kind: 'incoming'; key: string; eventType: string; incoming: Incoming; reply: ReplyTarget; p2pChat?: { openId: string; chatId: string } }
  /** A registered person sent something other than text in a private chat: they get a hint. */
  | { kind: 'unsupported'; key: string; eventType: string; userId: string; reply: ReplyTarget; p2pChat?: { openId: string; chatId: string } }
  | { kind: 'ignore'; reason: string };


/** An event the channel recorded and will work on. */
export type RecordedEvent = Exclude<LarkInbound, { kind: 'ignore' }>;

/** A recorded event: its row, and the claim under which this process may finish it. */
export interface Recorded {
  id: number;
  claim: string;
  /** Recorded for the poller (this process was too busy), not for this process. */
  polled: boolean;
}

/** The answer to a card callback (Lark card JSON 2.0 callbacks). */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/** A recorded event this process holds (under its claim) and will run. */
export interface HeldEvent {
  id: number;
  ev: RecordedEvent;
  claim: string;
  /** performance.now() when it was queued here. */
  queuedAt: number;
}

/** Who sent the event. */
export function senderOf(ev: RecordedEvent): string {
  return ev.kind === 'incoming' ? ev.incoming.userId : ev.userId;
}

/** Its conversation, person + chat: the events of one conversation are run in order, one at a time. */
export function conversationOf(ev: RecordedEvent): string {
  return ev.kind === 'incoming' ? `${ev.incoming.userId}|${ev.incoming.chatId}` : `${ev.userId}|${ev.reply.receiveId}`;
}

/** The longest Lark id (open_id, chat_id, message_id) the tables hold (migrations 001, 002: 64). */
export const LARK_ID_MAX = 64;

/**
 * Why a try failed, as an event row keeps it and `inbound list` shows it: the driver's code and
 * message, never the SQL with its values, personal data masked, at most 255 characters.
 */
export function failureText(err: unknown): string {
  const e = err as { code?: unknown; sqlMessage?: unknown; message?: unknown } | null;
  const msg = typeof e?.sqlMessage === 'string' ? e.sqlMessage : String(e?.message ?? err).split(' - ').pop()!;
  return maskPersonalDataInText(typeof e?.code === 'string' ? `${e.code}: ${msg}` : msg).slice(0, 255);
}
