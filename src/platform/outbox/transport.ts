import type { Knex } from 'knex';
import type { Logger } from '../logging/logger';
import { countUnsentOfOtherTransports, type OutboxRow } from './outbox-store';

/** What became of one send. */
export type SendResult =
  | { ok: true; messageId: string | null }
  | {
      ok: false;
      /** rate_limit: wait and send again, not counted as an attempt; retry: back off and send again; fatal: give up. */
      kind: 'rate_limit' | 'retry' | 'fatal';
      /** Lark's code when it gave one. */
      code: number | null;
      msg: string;
      /** rate_limit: which budget Lark said was spent. */
      scope?: 'chat' | 'app';
      /** From x-ogw-ratelimit-reset, in milliseconds. */
      retryAfterMs?: number;
      /** No answer came back after the request went out (a timeout, a dropped connection): Lark may have made the message. */
      unanswered?: boolean;
    };

/** Sends one outbox row somewhere (Lark, or nowhere for the console). */
export interface Transport {
  /** The transport's name, as rows record it (OutboxRow.transport): a sender takes only its own rows. */
  readonly name: string;
  send(row: OutboxRow): Promise<SendResult>;
}

/** The transports' names as people read them. */
export const TRANSPORT_NAMES: Record<string, string> = { lark: '飞书', console: '控制台（沙盒）' };

/** The transport of a process with these settings: Lark when an app is set, else the console. */
export function transportNameFor(config: { larkEnabled: boolean }): 'lark' | 'console' {
  return config.larkEnabled ? 'lark' : 'console';
}

/** At a sender's start: rows waiting for another transport are never sent by it, and the log says so. */
export async function warnOfOthersRows(db: Knex, transport: string, logger: Logger): Promise<void> {
  try {
    const own = TRANSPORT_NAMES[transport] ?? transport;
    for (const [t, n] of await countUnsentOfOtherTransports(db, [transport])) {
      logger.warn({ transport: t, rows: n }, `发件箱有 ${n} 条待发送的消息属于${TRANSPORT_NAMES[t] ?? t}通道；本进程的发送通道是${own}，不会发送它们`);
    }
  } catch {
    // The sender's own loop reports an unreachable database.
  }
}

/** Lark's codes that mean "too fast": 99991400 for the app, 230020 for one chat, 11232 for the tenant's message service. */
export const APP_RATE_LIMIT_CODES = new Set([99991400, 11232]);
export const CHAT_RATE_LIMIT_CODES = new Set([230020]);
/** Codes that say the tenant token is no longer valid: fetch a new one and send again. */
export const TOKEN_INVALID_CODES = new Set([99991663, 99991664, 99991661, 99991671]);

/** Reads Lark's answer to a failed call (or a 200 with a non-zero code) into a SendResult. */
export function classifyLarkFailure(input: {
  status?: number;
  code?: number | null;
  msg?: string;
  resetHeader?: string | string[] | null;
  network?: boolean;
  /** The request may have reached Lark without an answer coming back. */
  unanswered?: boolean;
}): Extract<SendResult, { ok: false }> {
  const code = typeof input.code === 'number' ? input.code : null;
  const msg = input.msg ?? (input.status ? `HTTP ${input.status}` : 'network error');
  const reset = Array.isArray(input.resetHeader) ? input.resetHeader[0] : input.resetHeader;
  const resetSeconds = reset !== undefined && reset !== null && /^\d+(\.\d+)?$/.test(String(reset).trim()) ? Number(reset) : null;
  const retryAfterMs = resetSeconds !== null ? Math.round(resetSeconds * 1000) : undefined;
  if (input.network) return { ok: false, kind: 'retry', code, msg, ...(input.unanswered ? { unanswered: true } : {}) };
  // A gateway's 502/504: the request may have been handled behind it.
  if (input.status === 502 || input.status === 504) return { ok: false, kind: 'retry', code, msg, retryAfterMs, unanswered: true };
  if (code !== null && CHAT_RATE_LIMIT_CODES.has(code)) return { ok: false, kind: 'rate_limit', scope: 'chat', code, msg, retryAfterMs };
  if ((code !== null && APP_RATE_LIMIT_CODES.has(code)) || input.status === 429) {
    return { ok: false, kind: 'rate_limit', scope: 'app', code, msg, retryAfterMs };
  }
  if (code !== null && TOKEN_INVALID_CODES.has(code)) return { ok: false, kind: 'retry', code, msg, retryAfterMs };
  if (input.status !== undefined && input.status >= 500) return { ok: false, kind: 'retry', code, msg, retryAfterMs };
  return { ok: false, kind: 'fatal', code, msg };
}
