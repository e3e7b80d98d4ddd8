import type { Knex } from 'knex';
import type { Logger } from '../logging/logger';
import { outboxFailed, outboxRetries, outboxSent } from '../metrics/metrics';
import { markOutboxFailed, markOutboxRetry, markOutboxSent, OutboxRow } from './outbox-store';
import type { SendResult } from './transport';

type Failure = Extract<SendResult, { ok: false }>;

export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface SendOutcomeOptions {
  db: Knex;
  logger: Logger;
  /** The transport's name, for the metrics. */
  transport: string;
  maxAttempts: number;
  /** Cards larger than this are refused before sending (Lark: 30 KB). */
  cardMaxBytes: number;
  /** Back-off before the n-th retry (1-based). */
  backoffMs: (attempt: number) => number;
}

/**
 * What becomes of a row after a send (or instead of one), written under the sender's claim:
 * sent, with Lark's message id; back to pending with a back-off (5xx, network errors, a
 * rate-limit answer outside the budgets); failed, with Lark's code and message (any other
 * answer, or too many attempts); or failed before sending, a card over Lark's size limit.
 * Each outcome is counted and logged (never the content).
 */
export class SendOutcomes {
  constructor(private readonly o: SendOutcomeOptions) {}

  /** A card too big for Lark is marked failed without a send; true when it was. */
  async refuseOversize(row: OutboxRow, claim: string): Promise<boolean> {
    if (row.msgType !== 'interactive') return false;
    const bytes = Buffer.byteLength(row.content, 'utf8');
    if (bytes <= this.o.cardMaxBytes) return false;
    const kb = (bytes / 1024).toFixed(1);
    this.o.logger.error({ outboxId: row.id, source: row.source, kb }, 'outbox: card over the size limit refused before sending');
    await markOutboxFailed(this.o.db, row.id, claim, null, `卡片 ${kb} KB，超过飞书 ${Math.round(this.o.cardMaxBytes / 1024)} KB 的上限，未发送`, false);
    outboxFailed.inc({ transport: this.o.transport });
    return true;
  }

  async sent(row: OutboxRow, claim: string, messageId: string | null, now: number): Promise<void> {
    const held = await markOutboxSent(this.o.db, row.id, claim, messageId, new Date(now));
    if (!held) this.o.logger.warn({ outboxId: row.id }, 'outbox: sent after the claim lapsed; the uuid keeps Lark from sending it twice');
    outboxSent.inc({ transport: this.o.transport });
  }

  /** A rate-limit answer the sender waits out itself: the row stays in its queue. */
  rateLimited(row: OutboxRow, result: Failure, pauseMs: number): void {
    outboxRetries.inc({ reason: 'rate_limit' });
    this.o.logger.debug({ outboxId: row.id, code: result.code, scope: result.scope, pauseMs }, 'outbox: rate limited');
  }

  /** Any other failure: failed for good (fatal, or the last attempt), or back to the table to be tried again later. */
  async failed(row: OutboxRow, claim: string, result: Failure, now: number): Promise<void> {
    const log = this.o.logger;
    const attempts = row.attempts + 1;
    if (result.kind === 'fatal' || attempts >= this.o.maxAttempts) {
      log.error({ outboxId: row.id, source: row.source, code: result.code, msg: result.msg, attempts }, 'outbox: message failed');
      await markOutboxFailed(this.o.db, row.id, claim, result.code, result.msg);
      outboxFailed.inc({ transport: this.o.transport });
      return;
    }
    const wait = Math.max(this.o.backoffMs(attempts), result.retryAfterMs ?? 0);
    outboxRetries.inc({ reason: result.kind === 'rate_limit' ? 'rate_limit' : result.code === null ? 'network' : 'server' });
    log.warn({ outboxId: row.id, code: result.code, msg: result.msg, attempts, retryInMs: wait }, 'outbox: send failed, will retry');
    await markOutboxRetry(this.o.db, row.id, claim, {
      nextAttemptAt: new Date(now + wait),
      code: result.code,
      msg: result.msg,
      countAttempt: result.kind !== 'rate_limit',
    });
  }
}
