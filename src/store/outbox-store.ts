import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDbTime } from '../db/time';

export type OutboxKind = 'create' | 'reply' | 'patch';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** A message to send, as the caller describes it. */
export interface OutboxMessage {
  kind?: OutboxKind;
  /** chat_id for groups (oc_…), open_id for a person (ou_… or a console user id). */
  receiveIdType?: 'chat_id' | 'open_id';
  receiveId?: string;
  replyTo?: string;
  messageId?: string;
  msgType: 'text' | 'interactive' | 'file';
  /** For text: { text }, for interactive: the card JSON; stored as Lark's content string. */
  content: unknown;
  /** What queued it, for tracing (e.g. 'reminder:42'). */
  source?: string;
  /** Send no earlier than this. */
  notBefore?: Date;
}

export interface OutboxRow {
  id: number;
  uuid: string;
  kind: OutboxKind;
  receiveIdType: 'chat_id' | 'open_id';
  receiveId: string | null;
  replyTo: string | null;
  messageId: string | null;
  msgType: string;
  content: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  errorCode: number | null;
  errorMsg: string | null;
  larkMessageId: string | null;
  source: string | null;
  createdAt: string;
  sentAt: string | null;
}

/**
 * Queues a message in the caller's transaction, so the message exists if and only if the change
 * that caused it was committed. The uuid is Lark's idempotency key for this row.
 */
export async function enqueueMessage(trx: Knex | Knex.Transaction, msg: OutboxMessage, now = new Date()): Promise<number> {
  const content = typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content);
  const [id] = await trx('outbox').insert({
    uuid: randomUUID(),
    kind: msg.kind ?? 'create',
    receive_id_type: msg.receiveIdType ?? 'chat_id',
    receive_id: msg.receiveId ?? null,
    reply_to: msg.replyTo ?? null,
    message_id: msg.messageId ?? null,
    msg_type: msg.msgType,
    content,
    status: 'pending',
    attempts: 0,
    next_attempt_at: toDbTime(msg.notBefore ?? now),
    source: msg.source ?? null,
    created_at: toDbTime(now),
  });
  return Number(id);
}

export function toOutboxRow(r: any): OutboxRow {
  return {
    id: Number(r.id),
    uuid: r.uuid,
    kind: r.kind,
    receiveIdType: r.receive_id_type,
    receiveId: r.receive_id ?? null,
    replyTo: r.reply_to ?? null,
    messageId: r.message_id ?? null,
    msgType: r.msg_type,
    content: r.content,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    errorCode: r.error_code === null || r.error_code === undefined ? null : Number(r.error_code),
    errorMsg: r.error_msg ?? null,
    larkMessageId: r.lark_message_id ?? null,
    source: r.source ?? null,
    createdAt: r.created_at,
    sentAt: r.sent_at ?? null,
  };
}
