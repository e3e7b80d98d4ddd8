import type { Core, Finding } from '../core/feature';
import { formatChineseDateTime } from '../calendar/domain/dates';
import { fromDbTime } from '../database/time';
import { InboundEventStore } from '../inbound/inbound-event-store';
import { LeaseStore } from '../database/lease-store';
import { SENDER_LEASE } from '../outbox/active-sender';
import { outboxHasWork } from '../outbox/outbox-store';

/** Events waiting longer than this with nobody working on them: no worker runs (or all are stuck). */
export const INBOUND_WAIT_ALERT_MS = 60_000;

/**
 * Whether some process works: with the roles split (XINFANG_ROLE), a deployment of web processes
 * alone acknowledges every message and answers none. Found by what waits: events recorded a
 * minute ago and not taken, or messages due while no process holds the sender's lease.
 */
export async function diagnoseProcessing(core: Core, now: Date = core.now()): Promise<Finding[]> {
  if (!core.config.larkEnabled) return [];
  const out: Finding[] = [];
  const waiting = await new InboundEventStore(core.db).waitingSince(new Date(now.getTime() - INBOUND_WAIT_ALERT_MS), now);
  if (waiting.n > 0) {
    const since = fromDbTime(waiting.oldest);
    out.push({
      area: '飞书',
      severity: 'error',
      problem: `有 ${waiting.n} 条飞书消息已收到，但超过 ${INBOUND_WAIT_ALERT_MS / 1000} 秒没有处理${since ? `（最早一条收到于 ${formatChineseDateTime(since, false)}）` : ''}：发消息的人还没有得到答复。`,
      fix: '处理消息的进程没有在运行：启动 XINFANG_ROLE=worker（或 all）的进程，或查看它的日志；只运行 web 角色的进程时，消息只被记录、不被处理。',
      chatFix: '请系统管理员检查处理消息的后台进程（worker）是否在运行。',
    });
  }
  if (!(await new LeaseStore(core.db).holder(SENDER_LEASE, now)) && (await outboxHasWork(core.db, ['lark']))) {
    out.push({
      area: '飞书',
      severity: 'error',
      problem: '有待发送的消息，但没有进程在发送（发件租约无人持有）。',
      fix: '启动 XINFANG_ROLE=worker（或 all）的进程；web 角色的进程不发送消息。',
      chatFix: '请系统管理员检查发送消息的后台进程（worker）是否在运行。',
    });
  }
  return out;
}
