export type OutboxKind = 'create' | 'reply' | 'patch';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** An outbox row as the sender and the CLI read it. */
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
  /** Which sender holds the row while it is 'sending', and until when. */
  claimedBy: string | null;
  leaseUntil: string | null;
  /** The transport it was queued for, the only one that may send it. */
  transport: string;
  /** When its current run of failed sends began (retried until OUTBOX_RETRY_HOURS after it); when it was given up on. */
  failingSince?: string | null;
  failedAt?: string | null;
  /** When a send of it first went unanswered (Lark may have made it): past Lark's uuid hour, a person confirms a send again. */
  unansweredSince?: string | null;
}

/** A database row of outbox (either dialect) as an OutboxRow. */
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
    claimedBy: r.claimed_by ?? null,
    leaseUntil: r.lease_until ?? null,
    transport: r.transport ?? 'lark',
    failingSince: r.failing_since ?? null,
    unansweredSince: r.unanswered_since ?? null,
    failedAt: r.failed_at ?? null,
  };
}
