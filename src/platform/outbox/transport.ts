import type { OutboxRow } from './outbox-store';

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
    };

/** Sends one outbox row somewhere (Lark, or nowhere for the console). */
export interface Transport {
  readonly name: string;
  send(row: OutboxRow): Promise<SendResult>;
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
}): Extract<SendResult, { ok: false }> {
  const code = typeof input.code === 'number' ? input.code : null;
  const msg = input.msg ?? (input.status ? `HTTP ${input.status}` : 'network error');
  const reset = Array.isArray(input.resetHeader) ? input.resetHeader[0] : input.resetHeader;
  const resetSeconds = reset !== undefined && reset !== null && /^\d+(\.\d+)?$/.test(String(reset).trim()) ? Number(reset) : null;
  const retryAfterMs = resetSeconds !== null ? Math.round(resetSeconds * 1000) : undefined;
  if (input.network) return { ok: false, kind: 'retry', code, msg };
  if (code !== null && CHAT_RATE_LIMIT_CODES.has(code)) return { ok: false, kind: 'rate_limit', scope: 'chat', code, msg, retryAfterMs };
  if ((code !== null && APP_RATE_LIMIT_CODES.has(code)) || input.status === 429) {
    return { ok: false, kind: 'rate_limit', scope: 'app', code, msg, retryAfterMs };
  }
  if (code !== null && TOKEN_INVALID_CODES.has(code)) return { ok: false, kind: 'retry', code, msg, retryAfterMs };
  if (input.status !== undefined && input.status >= 500) return { ok: false, kind: 'retry', code, msg, retryAfterMs };
  return { ok: false, kind: 'fatal', code, msg };
}
