import type { Outgoing } from '../chat/messages';
import type { ReplyTarget } from './inbound-event';
import type { OutboxMessage } from '../outbox/outbox-store';
import type { CardActionAnswer } from './inbound-event';

/** A toast holds a short line of text at most. */
const TOAST_MAX = 60;

/** The outbox message that sends one reply to where the event came from (as a reply under it in a group). */
export function replyMessage(target: ReplyTarget, r: Outgoing, eventId: number): OutboxMessage {
  const base: OutboxMessage = target.replyTo
    ? { kind: 'reply', replyTo: target.replyTo, receiveIdType: target.receiveIdType, receiveId: target.receiveId, msgType: 'text', content: '' }
    : { kind: 'create', receiveIdType: target.receiveIdType, receiveId: target.receiveId, msgType: 'text', content: '' };
  const source = `lark-event:${eventId}`;
  if (r.type === 'text') return { ...base, msgType: 'text', content: { text: r.text }, source };
  if (r.type === 'card') return { ...base, msgType: 'interactive', content: r.card, source };
  return { ...base, msgType: 'file', content: { name: r.name, mime: r.mime, base64: r.base64 }, source };
}

/**
 * The replies to a card action answered late (after the callback): the first card patches the
 * clicked card, the others are sent.
 */
export function lateCardActionMessages(target: ReplyTarget, replies: Outgoing[], eventId: number): OutboxMessage[] {
  return replies.map((r, i): OutboxMessage => {
    if (i === 0 && r.type === 'card' && target.cardMessageId) {
      const { receiveIdType, receiveId, cardMessageId } = target;
      return { kind: 'patch', messageId: cardMessageId, receiveIdType, receiveId, msgType: 'interactive', content: r.card, source: `lark-event:${eventId}` };
    }
    return replyMessage(target, r, eventId);
  });
}

/**
 * The answer to a card callback, from the replies: the first card (within Lark's size limit)
 * replaces the clicked card, or a short first text shows as a toast; the rest are sent.
 */
export function inlineAnswer(replies: Outgoing[], cardMaxBytes: number): { answer: CardActionAnswer; rest: Outgoing[] } {
  const [first, ...rest] = replies;
  if (first?.type === 'card' && Buffer.byteLength(JSON.stringify(first.card), 'utf8') <= cardMaxBytes) {
    return { answer: { card: { type: 'raw', data: first.card } }, rest };
  }
  if (first?.type === 'text' && first.text.length <= TOAST_MAX && !first.text.includes('\n')) {
    return { answer: { toast: { type: 'info', content: first.text } }, rest };
  }
  return { answer: {}, rest: replies };
}
