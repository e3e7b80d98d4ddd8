import { formatShanghaiDateTime } from '../calendar/domain/dates';
import { fromDbTime } from '../database/time';
import type { OutboxRow } from '../outbox/outbox-store';

/**
 * How long Lark keeps a message's uuid: "持有相同 uuid 的请求，在 1 小时内至多成功发送一条消息"
 * (im.v1.message.create and reply). Within the hour a send again with the row's uuid is answered
 * with the message Lark already has; after it, Lark makes a second message.
 */
export const LARK_UUID_TTL_MS = 3600_000;

/**
 * Why this row may not be sent again without a person's say-so, or null when it may. A row whose
 * send went unanswered more than an hour ago (a timeout, a connection dropped after the request
 * went out, a gateway's 502/504: Lark may have made the message and the answer got lost) is past
 * Lark's uuid window: a send now could be a second message in the chat. The sender holds such a
 * row (marks it failed with this reason) instead of retrying it; `xinfang outbox retry` asks
 * before sending it. Failures Lark answered (a 500 with its error, a rate limit, a refused
 * connection) made nothing, so an outage of that kind is retried for the whole horizon
 * (OUTBOX_RETRY_HOURS).
 */
export function resendNeedsConfirmation(row: Pick<OutboxRow, 'id' | 'attempts' | 'unansweredSince'>, nowMs: number): string | null {
  const first = fromDbTime(row.unansweredSince ?? null);
  if (!first || row.attempts < 1) return null;
  const ago = nowMs - first.getTime();
  if (ago <= LARK_UUID_TTL_MS) return null;
  return (
    `${formatShanghaiDateTime(first)}（${agoText(ago)}前）发送时没有等到飞书的答复，飞书可能已经收到；` +
    `飞书按 uuid 去重只保留 1 小时，现在重发可能让对方收到两条，所以没有自动重发。` +
    `请先确认对方没有收到，再用 xinfang outbox retry ${row.id} 重发`
  );
}

function agoText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`;
}
