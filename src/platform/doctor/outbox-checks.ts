import type { Core, Finding } from '../core/feature';
import { shanghaiDate } from '../calendar/domain';
import { backlogOf, commonFailures, outboxBacklog } from '../outbox/outbox-backlog';
import { TRANSPORT_NAMES, transportNameFor } from '../outbox/transport';

/** Failed messages this recent are reported (a weekly doctor sees a weekend's). */
export const FAILED_WINDOW_DAYS = 7;

function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} 秒`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} 分钟`;
  return `${(seconds / 3600).toFixed(1)} 小时`;
}

function reasons(list: Array<{ code: number | null; msg: string; n: number }>): string {
  return list.map((r) => `${r.code ?? '-'} ${r.msg.slice(0, 60)}（${r.n} 条）`).join('；');
}

/**
 * The outbox of this machine's transport: a backlog older than OUTBOX_BACKLOG_ALERT_SECONDS
 * (Lark unreachable, or no server sending), messages that failed in the last 7 days (the people
 * never got them), and rows queued for a transport this machine does not send through. Checked
 * as it is now, on the real clock, whatever `doctor --now` says: a backlog is a fact of the present.
 */
export async function outboxFindings(core: Pick<Core, 'db' | 'config'>, now: Date = new Date()): Promise<Finding[]> {
  const own = transportNameFor(core.config);
  const ownName = TRANSPORT_NAMES[own] ?? own;
  const since = new Date(now.getTime() - FAILED_WINDOW_DAYS * 86_400_000);
  const all = await outboxBacklog(core.db, now, since);
  const b = backlogOf(all, own);
  const out: Finding[] = [];
  if (b.waiting && b.oldestWaitSeconds > core.config.OUTBOX_BACKLOG_ALERT_SECONDS) {
    const retrying = b.retrying ? await commonFailures(core.db, own, null) : [];
    out.push({
      area: '发件箱',
      severity: 'error',
      problem:
        `${b.waiting} 条${ownName}消息等待发送，最早的已等待 ${waitText(b.oldestWaitSeconds)}` +
        (b.retrying ? `；其中 ${b.retrying} 条发送失败、正在按退避重试（${reasons(retrying)}）` : '') +
        `。连续 ${core.config.OUTBOX_RETRY_HOURS} 小时发不出的消息将记为失败。`,
      fix:
        (own === 'lark' ? '检查服务器能否访问飞书开放平台、飞书应用是否停用或被限流；' : '') +
        '确认信访助手服务在运行（发件箱只由运行中的服务器发送）。恢复后积压的消息会自动按发送限额发出，无需操作；进度见 xinfang outbox list。',
      chatFix:
        '请系统管理员确认信访助手服务在运行' + (own === 'lark' ? '、服务器能访问飞书且飞书应用未停用或被限流' : '') +
        '。恢复后积压的消息会自动发出，无需操作。',
    });
  }
  if (b.failedRecent) {
    const common = await commonFailures(core.db, own, since);
    out.push({
      area: '发件箱',
      severity: 'error',
      problem: `过去 ${FAILED_WINDOW_DAYS} 天有 ${b.failedRecent} 条${ownName}消息发送失败，收件人没有收到（${reasons(common)}）。`,
      fix:
        'xinfang outbox list --failed 查看每条的错误；按错误修复（例如把机器人拉回群聊、更正群的 chat_id）后，' +
        `运行 xinfang outbox retry --failed --since ${shanghaiDate(since)} 重新排队（沿用原 uuid）；` +
        '飞书可能已经收到的（第一次发送失败超过 1 小时）不会重排，先确认对方没有收到，再加 --yes。',
      chatFix:
        '请系统管理员在服务器上查看这些消息的错误，按错误修复（例如把信访助手拉回群聊、更正群的登记）后重新发送；' +
        '对方可能已经收到的，先确认没有收到再重发。',
    });
  }
  for (const [t, other] of all) {
    if (t === own || !other.waiting) continue;
    const name = TRANSPORT_NAMES[t] ?? t;
    out.push({
      area: '发件箱',
      severity: 'warning',
      problem: `${other.waiting} 条待发送的消息属于${name}通道；本机的发送通道是${ownName}，不会发送它们。`,
      fix:
        t === 'lark'
          ? '在配置了飞书应用（LARK_APP_ID、LARK_APP_SECRET）的服务器上运行信访助手，它们会按原 uuid 发出。'
          : '这是控制台（沙盒）在本数据库上产生的消息，不会发给任何人；请不要让沙盒使用生产数据库。',
    });
  }
  return out;
}
