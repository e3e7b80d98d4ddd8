import { fromDbTime } from '../database/time';
import { formatShanghaiDateTime } from '../calendar/domain/dates';
import type { CliIO, CliRegistrar } from '../core/feature';
import { createOutboxWorker, createTransport } from '../lark/outbox-sender';
import { getOutboxRow, listOutbox, OutboxRow, OutboxStatus, requeueOutboxRow } from '../outbox/outbox-store';

const STATUS_NAMES: Record<OutboxStatus, string> = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '失败' };

function shanghai(t: string | null): string {
  const d = fromDbTime(t);
  return d ? formatShanghaiDateTime(d) : '';
}

/** A row without its content: the content may hold personal data, and the CLI never shows it. */
function publicRow(r: OutboxRow) {
  return {
    id: r.id,
    uuid: r.uuid,
    status: r.status,
    kind: r.kind,
    receiveIdType: r.receiveIdType,
    receiveId: r.receiveId,
    replyTo: r.replyTo,
    messageId: r.messageId,
    msgType: r.msgType,
    attempts: r.attempts,
    errorCode: r.errorCode,
    errorMsg: r.errorMsg,
    larkMessageId: r.larkMessageId,
    source: r.source,
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    sentAt: r.sentAt,
  };
}

function describe(r: OutboxRow): string {
  const to = r.kind === 'patch' ? `更新消息 ${r.messageId}` : r.kind === 'reply' ? `回复 ${r.replyTo}${r.receiveId ? `（${r.receiveId}）` : ''}` : `${r.receiveId}`;
  const err = r.errorCode !== null || r.errorMsg ? `\t错误 ${r.errorCode ?? '-'} ${r.errorMsg ?? ''}` : '';
  return `#${r.id}\t${STATUS_NAMES[r.status] ?? r.status}\t${r.msgType}\t${to}\t尝试 ${r.attempts} 次\t${shanghai(r.createdAt)}${r.source ? `\t${r.source}` : ''}${err}`;
}

function usage(io: CliIO, msg: string): void {
  io.err(`${msg}\n`);
  io.setExitCode(2);
}

/** `xinfang outbox list | retry`: what the bot sent or failed to send, and sending a failed message again. */
export const registerOutboxCli: CliRegistrar = (program, openCore, io) => {
  const outbox = program.command('outbox').description('外发消息（发件箱）：查看、重发');
  outbox
    .command('list')
    .description('列出最近的外发消息（不显示消息内容）')
    .option('--failed', '只列出发送失败的')
    .option('--limit <n>', '最多列出几条', '50')
    .option('--json', '输出 JSON')
    .action(async (o: { failed?: boolean; json?: boolean; limit: string }) => {
      if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1 || Number(o.limit) > 1000) return usage(io, `条数“${o.limit}”无效，应为 1 到 1000 之间的整数`);
      const core = await openCore();
      const rows = await listOutbox(core.db, { failed: o.failed, limit: Number(o.limit) });
      if (o.json) return void io.out(`${JSON.stringify(rows.map(publicRow), null, 2)}\n`);
      if (!rows.length) return void io.out(o.failed ? '没有发送失败的消息。\n' : '发件箱是空的。\n');
      for (const r of rows) io.out(`${describe(r)}\n`);
    });
  outbox
    .command('retry <id>')
    .description('重新发送一条失败的消息（沿用原 uuid，飞书不会重复发送）')
    .action(async (idArg: string) => {
      if (!/^\d+$/.test(idArg.trim()) || Number(idArg) < 1) return usage(io, `消息编号“${idArg}”无效，应为正整数（见 xinfang outbox list）`);
      const id = Number(idArg);
      const core = await openCore();
      const r = await requeueOutboxRow(core.db, id, new Date());
      if (!r.ok && r.reason === 'not_found') return usage(io, `没有编号为 ${id} 的消息（见 xinfang outbox list）`);
      if (!r.ok) return usage(io, `消息 #${id} 的状态是“${STATUS_NAMES[r.row!.status]}”，只有发送失败的消息可以重发`);
      const worker = createOutboxWorker(core, createTransport(core));
      const sent = await worker.sendOne(id);
      const row = await getOutboxRow(core.db, id);
      if (!sent || !row) return void io.out(`消息 #${id} 已重新排队，发送程序会尽快发出。\n`);
      if (row.status === 'sent') return void io.out(`消息 #${id} 已重新发送${row.larkMessageId ? `（${row.larkMessageId}）` : ''}。\n`);
      if (row.status === 'failed') {
        io.err(`消息 #${id} 仍然发送失败：${row.errorCode ?? ''} ${row.errorMsg ?? ''}\n`);
        return void io.setExitCode(1);
      }
      io.out(`消息 #${id} 暂时没有发出（${row.errorMsg ?? '将自动重试'}），发送程序会按退避时间再试。\n`);
    });
};
