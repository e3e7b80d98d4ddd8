import type { Knex } from 'knex';
import { fromDbTime } from '../database/time';
import type { Logger } from '../logging/logger';
import { outboxFailed, outboxRetries, outboxSent } from '../metrics/metrics';
import { markOutboxFailed, markOutboxRetry, markOutboxSent, OutboxRow } from './outbox-store';
import { TRANSPORT_NAMES, type SendResult } from './transport';

type Failure = Extract<SendResult, { ok: false }>;

/** Back-off before the n-th retry: 1 s doubling, capped at maxMs, with ±20 % jitter. */
export function cappedBackoff(maxMs: number): (attempt: number) => number {
  return (attempt) => {
    const base = Math.min(1000 * 2 ** Math.min(30, Math.max(0, attempt - 1)), maxMs);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  };
}

export const defaultBackoffMs = cappedBackoff(5 * 60_000);

export interface SendOutcomeOptions {
  db: Knex;
  logger: Logger;
  /** The transport's name, for the metrics. */
  transport: string;
  /** Passing failures (5xx, network, rate limits outside the budgets) are retried for this long from a row's first failed send. */
  retryHorizonMs: number;
  /** A bound on the sends of one message besides the horizon (tests); unset: the horizon alone. */
  maxAttempts?: number;
  /** Cards larger than this are refused before sending (Lark: 30 KB). */
  cardMaxBytes: number;
  /** Back-off before the n-th retry (1-based). */
  backoffMs: (attempt: number) => number;
  clock?: () => number;
}

/** While the transport keeps failing: one line at the start, one every this often, one at the end. */
const TROUBLE_SUMMARY_MS = 10 * 60_000;

/**
 * What becomes of a row after a send (or instead of one), written under the sender's claim:
 * sent, with Lark's message id; back to pending with a capped back-off (5xx, network errors, a
 * rate-limit answer outside the budgets) for as long as the retry horizon from its first failed
 * send; failed, with Lark's code and message (an answer that says the message itself is wrong,
 * or the horizon passed); or failed before sending, a card over Lark's size limit. Each outcome
 * is counted; a passing failure is logged once when the transport starts failing, then every ten
 * minutes, and once when it answers again (never a line per row and try, nor the content).
 */
export class SendOutcomes {
  private readonly clock: () => number;
  private troubleSince: number | null = null;
  private troubleFailures = 0;
  private troubleLoggedAt = 0;

  constructor(private readonly o: SendOutcomeOptions) {
    this.clock = o.clock ?? Date.now;
  }

  /** The transport's last answers were passing failures, and none has been accepted since. */
  get troubled(): boolean {
    return this.troubleSince !== null;
  }

  /** A card too big for Lark is marked failed without a send; true when it was. */
  async refuseOversize(row: OutboxRow, claim: string): Promise<boolean> {
    if (row.msgType !== 'interactive') return false;
    const bytes = Buffer.byteLength(row.content, 'utf8');
    if (bytes <= this.o.cardMaxBytes) return false;
    const kb = (bytes / 1024).toFixed(1);
    this.o.logger.error({ outboxId: row.id, source: row.source, kb }, 'outbox: card over the size limit refused before sending');
    const msg = `卡片 ${kb} KB，超过飞书 ${Math.round(this.o.cardMaxBytes / 1024)} KB 的上限，未发送`;
    await markOutboxFailed(this.o.db, row.id, claim, null, msg, false, new Date(this.clock()));
    outboxFailed.inc({ transport: this.o.transport });
    return true;
  }

  /** Marks the row sent; true when this send ended a run of failures of the transport (its waiting rows may go now). */
  async sent(row: OutboxRow, claim: string, messageId: string | null, now: number): Promise<boolean> {
    const held = await markOutboxSent(this.o.db, row.id, claim, messageId, new Date(now));
    if (!held) this.o.logger.warn({ outboxId: row.id }, 'outbox: sent after the claim lapsed; the uuid keeps Lark from sending it twice');
    outboxSent.inc({ transport: this.o.transport });
    return this.troubleOver(now);
  }

  /** A rate-limit answer the sender waits out itself: the row stays in its queue. */
  rateLimited(row: OutboxRow, result: Failure, pauseMs: number): void {
    outboxRetries.inc({ reason: 'rate_limit' });
    this.o.logger.debug({ outboxId: row.id, code: result.code, scope: result.scope, pauseMs }, 'outbox: rate limited');
  }

  /** Any other failure: failed for good (the message is wrong, or the horizon passed), or back to the table for a later try. */
  async failed(row: OutboxRow, claim: string, result: Failure, now: number): Promise<void> {
    const log = this.o.logger;
    const attempts = row.attempts + (result.kind === 'rate_limit' ? 0 : 1);
    const since = fromDbTime(row.failingSince)?.getTime() ?? now;
    const horizonLeft = since + this.o.retryHorizonMs - now;
    const tooMany = this.o.maxAttempts !== undefined && attempts >= this.o.maxAttempts;
    if (result.kind === 'fatal' || horizonLeft <= 0 || tooMany) {
      const gaveUp = result.kind !== 'fatal' && horizonLeft <= 0;
      const msg = gaveUp ? `重试 ${((now - since) / 3_600_000).toFixed(1)} 小时仍未发出，已放弃：${result.msg}` : result.msg;
      log.error({ outboxId: row.id, source: row.source, code: result.code, msg: result.msg, attempts }, 'outbox: message failed');
      await markOutboxFailed(this.o.db, row.id, claim, result.code, msg, true, new Date(now));
      outboxFailed.inc({ transport: this.o.transport });
      return;
    }
    const wait = Math.min(Math.max(this.o.backoffMs(Math.max(1, attempts)), result.retryAfterMs ?? 0), horizonLeft);
    outboxRetries.inc({ reason: result.kind === 'rate_limit' ? 'rate_limit' : result.code === null ? 'network' : 'server' });
    if (result.kind === 'rate_limit') log.debug({ outboxId: row.id, code: result.code, retryInMs: wait }, 'outbox: rate limited outside the budgets, will retry');
    else this.troubleSeen(row, result, wait, now);
    await markOutboxRetry(this.o.db, row.id, claim, {
      nextAttemptAt: new Date(now + wait),
      code: result.code,
      msg: result.msg,
      countAttempt: result.kind !== 'rate_limit',
      now: new Date(now),
      unanswered: result.unanswered,
    });
  }

  /** A passing failure: the first of a run is logged, later ones only counted (and summed up every ten minutes). */
  private troubleSeen(row: OutboxRow, result: Failure, retryInMs: number, now: number): void {
    const name = TRANSPORT_NAMES[this.o.transport] ?? this.o.transport;
    this.troubleFailures++;
    if (this.troubleSince === null) {
      this.troubleSince = now;
      this.troubleLoggedAt = now;
      const hours = (this.o.retryHorizonMs / 3_600_000).toFixed(1).replace(/\.0$/, '');
      this.o.logger.warn(
        { outboxId: row.id, code: result.code, msg: result.msg, retryInMs },
        `${name}发送失败（${result.code ?? '-'} ${result.msg}），消息留在发件箱按退避重试，最长重试 ${hours} 小时`,
      );
      return;
    }
    this.o.logger.debug({ outboxId: row.id, code: result.code, msg: result.msg, retryInMs }, 'outbox: send failed, will retry');
    if (now - this.troubleLoggedAt >= TROUBLE_SUMMARY_MS) {
      this.troubleLoggedAt = now;
      this.o.logger.warn(
        { failures: this.troubleFailures, sinceMs: now - this.troubleSince, code: result.code },
        `${name}仍然发送失败：已持续 ${Math.round((now - this.troubleSince) / 60_000)} 分钟，失败 ${this.troubleFailures} 次（${result.code ?? '-'} ${result.msg}）`,
      );
    }
  }

  private troubleOver(now: number): boolean {
    if (this.troubleSince === null) return false;
    const name = TRANSPORT_NAMES[this.o.transport] ?? this.o.transport;
    const downMs = now - this.troubleSince;
    this.o.logger.warn(
      { downMs, failures: this.troubleFailures },
      `${name}发送已恢复：此前失败持续 ${(downMs / 1000).toFixed(0)} 秒，共 ${this.troubleFailures} 次；等待重试的消息现在发出`,
    );
    this.troubleSince = null;
    this.troubleFailures = 0;
    return true;
  }
}
