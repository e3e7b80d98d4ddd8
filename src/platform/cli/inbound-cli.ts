import { fromDbTime } from '../database/time';
import { formatShanghaiDateTime } from '../calendar/domain/dates';
import type { CliIO, CliRegistrar } from '../core/feature';
import { InboundEventRow, InboundEventStore, InboundStatus } from '../inbound/inbound-event-store';

const STATUS_NAMES: Record<InboundStatus, string> = { pending: '待处理', processing: '处理中', done: '已完成', failed: '失败' };

function shanghai(t: string | null): string {
  const d = fromDbTime(t);
  return d ? formatShanghaiDateTime(d) : '';
}

/** An event without its payload: the payload may hold personal data, and the CLI never shows it. */
function publicRow(r: InboundEventRow) {
  return {
    id: r.id,
    eventKey: r.eventKey,
    eventType: r.eventType,
    channel: r.channel,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    retryable: r.retryable ?? false,
    receivedAt: r.receivedAt,
    processedAt: r.processedAt,
  };
}

function describe(r: InboundEventRow): string {
  const err = r.error ? `\t错误 ${r.error}` : '';
  return `#${r.id}\t${STATUS_NAMES[r.status] ?? r.status}\t${r.eventType}\t${r.channel}\t尝试 ${r.attempts} 次\t${shanghai(r.receivedAt)}${err}`;
}

function usage(io: CliIO, msg: string): void {
  io.err(`${msg}\n`);
  io.setExitCode(2);
}

/** `xinfang inbound list | retry`: the Lark events the bot received, and running a failed one again. */
export const registerInboundCli: CliRegistrar = (program, openCore, io) => {
  const inbound = program.command('inbound').description('收到的飞书事件：查看处理失败的、重新处理');
  inbound
    .command('list')
    .description('列出最近收到的事件（不显示事件内容）')
    .option('--failed', '只列出处理失败的')
    .option('--limit <n>', '最多列出几条', '50')
    .option('--json', '输出 JSON')
    .action(async (o: { failed?: boolean; json?: boolean; limit: string }) => {
      if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1 || Number(o.limit) > 1000) return usage(io, `条数“${o.limit}”无效，应为 1 到 1000 之间的整数`);
      const core = await openCore();
      const rows = await new InboundEventStore(core.db).list({ failed: o.failed, limit: Number(o.limit) });
      if (o.json) return void io.out(`${JSON.stringify(rows.map(publicRow), null, 2)}\n`);
      if (!rows.length) return void io.out(o.failed ? '没有处理失败的事件。\n' : '还没有收到过事件。\n');
      for (const r of rows) io.out(`${describe(r)}\n`);
    });
  inbound
    .command('retry <id>')
    .description('把一个处理失败的事件重新排队（运行中的服务会在几秒内处理它）')
    .action(async (idArg: string) => {
      if (!/^\d+$/.test(idArg.trim()) || Number(idArg) < 1) return usage(io, `事件编号“${idArg}”无效，应为正整数（见 xinfang inbound list --failed）`);
      const id = Number(idArg);
      const core = await openCore();
      const r = await new InboundEventStore(core.db).requeueFailed(id);
      if (r.ok) return void io.out(`事件 #${id} 已重新排队，运行中的服务会在几秒内处理它（尝试次数已清零）。\n`);
      if (r.reason === 'not_found') return usage(io, `没有编号为 ${id} 的事件（见 xinfang inbound list）`);
      if (r.reason === 'no_payload') return usage(io, `事件 #${id} 的内容无法读取，已被清除，不能重新处理`);
      usage(io, `事件 #${id} 的状态是“${STATUS_NAMES[r.row!.status] ?? r.row!.status}”，只有处理失败的事件可以重新处理`);
    });
};
