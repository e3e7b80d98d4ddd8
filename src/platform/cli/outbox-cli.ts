import { fromDbTime, toDbTime } from '../database/time';
import { formatShanghaiDateTime, SHANGHAI_OFFSET } from '../calendar/domain';
import type { CliIO, CliRegistrar, Core } from '../core/feature';
import { createOutboxWorker, createTransport, resendNeedsConfirmation } from '../lark/outbox-sender';
import { requeueFailedOutbox } from '../outbox/outbox-backlog';
import { getOutboxRow, listOutbox, OutboxRow, OutboxStatus, requeueOutboxRow } from '../outbox/outbox-store';
import { TRANSPORT_NAMES, transportNameFor } from '../outbox/transport';

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
    transport: r.transport,
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    sentAt: r.sentAt,
  };
}

function describe(r: OutboxRow): string {
  const to = r.kind === 'patch' ? `更新消息 ${r.messageId}` : r.kind === 'reply' ? `回复 ${r.replyTo}${r.receiveId ? `（${r.receiveId}）` : ''}` : `${r.receiveId}`;
  const err = r.errorCode !== null || r.errorMsg ? `\t错误 ${r.errorCode ?? '-'} ${r.errorMsg ?? ''}` : '';
  return `#${r.id}\t${STATUS_NAMES[r.status] ?? r.status}\t${TRANSPORT_NAMES[r.transport] ?? r.transport}\t${r.msgType}\t${to}\t尝试 ${r.attempts} 次\t${shanghai(r.createdAt)}${r.source ? `\t${r.source}` : ''}${err}`;
}

function usage(io: CliIO, msg: string): void {
  io.err(`${msg}\n`);
  io.setExitCode(2);
}

/** Why a row queued for another transport is not sent from here (exit 1, nothing changed). */
function otherTransport(io: CliIO, r: OutboxRow, own: string): void {
  const why =
    r.transport === 'lark'
      ? '本机没有飞书应用的设置（LARK_APP_ID、LARK_APP_SECRET），发不出去，也不会把它记为已发送。请在配置了飞书应用的服务器上重发'
      : `它只在控制台（沙盒）里显示，本机的发送通道是${TRANSPORT_NAMES[own] ?? own}，不会把它发出去`;
  io.err(`消息 #${r.id} 是${TRANSPORT_NAMES[r.transport] ?? r.transport}消息：${why}。消息未做任何改动。\n`);
  io.setExitCode(1);
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
    .command('retry [id]')
    .description('重新发送失败的消息：一条（编号），或用 --failed 把失败的全部重新排队（沿用原 uuid，飞书不会重复发送）')
    .option('--failed', '把所有发送失败的消息重新排队，由运行中的服务器按发送限额发出')
    .option('--since <ISO时间>', '与 --failed 同用：只重排这一时刻及以后失败的，例如 2026-03-02 或 2026-03-02T09:00（北京时间）')
    .option('--yes', '飞书可能已经收到的消息（发送时没有等到答复已超过 1 小时）也重发或重排；请先确认对方没有收到')
    .action(async (idArg: string | undefined, o: { failed?: boolean; since?: string; yes?: boolean }) => {
      if (o.failed) return retryFailed(io, openCore, idArg, o);
      if (o.since) return usage(io, '--since 只能与 --failed 一起用：xinfang outbox retry --failed --since 2026-03-02');
      if (idArg === undefined) return usage(io, '请给出消息编号（xinfang outbox retry 编号），或用 --failed 重排全部失败的消息');
      await retryOne(io, openCore, idArg, Boolean(o.yes));
    });
};

/** A single failed row: re-queued and sent from here at once (outside the budgets). */
async function retryOne(io: CliIO, openCore: () => Promise<Core>, idArg: string, yes: boolean): Promise<void> {
  if (!/^\d+$/.test(idArg.trim()) || Number(idArg) < 1) return usage(io, `消息编号“${idArg}”无效，应为正整数（见 xinfang outbox list）`);
  const id = Number(idArg);
  const core = await openCore();
  const own = transportNameFor(core.config);
  // Past Lark's uuid hour a send again may be a second message: only on the admin's word.
  const current = await getOutboxRow(core.db, id);
  const why = current?.status === 'failed' && current.transport === own ? resendNeedsConfirmation(current, Date.now()) : null;
  if (why && !yes) {
    io.err(`消息 #${id} 没有重发：${why.replace(/，再用 xinfang outbox retry \d+ 重发$/, '')}。确认对方没有收到后，请运行 xinfang outbox retry ${id} --yes\n`);
    return void io.setExitCode(1);
  }
  const r = await requeueOutboxRow(core.db, id, new Date(), own);
  if (!r.ok && r.reason === 'not_found') return usage(io, `没有编号为 ${id} 的消息（见 xinfang outbox list）`);
  if (!r.ok && r.reason === 'other_transport') return otherTransport(io, r.row!, own);
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
}

/** '2026-03-02' (Shanghai midnight), '2026-03-02T09:00' (Shanghai), or with Z / an offset. Null: not a time. */
export function parseSinceOption(s: string): Date | null {
  const t = s.trim();
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(t);
  const m = day ? null : /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  const date = day?.[1] ?? m?.[1];
  if (!date) return null;
  const zone = m?.[5] ? (m[5] === 'Z' ? 'Z' : m[5].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : SHANGHAI_OFFSET;
  const d = new Date(`${date}T${m ? `${m[2]}${m[3] ?? ':00'}` : '00:00:00'}${zone}`);
  if (Number.isNaN(d.getTime()) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
  return d;
}

/** Every failed row of this machine's transport (since a time, when given), back in the queue for a running server. */
async function retryFailed(io: CliIO, openCore: () => Promise<Core>, idArg: string | undefined, o: { since?: string; yes?: boolean }): Promise<void> {
  const sinceArg = o.since;
  if (idArg !== undefined) return usage(io, '--failed 重排全部失败的消息，不能同时给出编号；重发一条请用 xinfang outbox retry 编号');
  const since = sinceArg === undefined ? undefined : parseSinceOption(sinceArg);
  if (since === null) return usage(io, `--since “${sinceArg}”无效，应为日期或日期时间，例如 2026-03-02 或 2026-03-02T09:00（不带时区时按北京时间）`);
  const core = await openCore();
  const own = transportNameFor(core.config);
  const now = new Date();
  const hold = o.yes ? undefined : (row: OutboxRow) => resendNeedsConfirmation(row, now.getTime()) !== null;
  const r = await requeueFailedOutbox(core.db, now, { transport: own, since, hold });
  const when = since ? shanghai(toDbTime(since)) : '';
  const ownName = TRANSPORT_NAMES[own] ?? own;
  io.out(
    r.requeued
      ? `已重新排队 ${r.requeued} 条发送失败的${ownName}消息${when ? `（${when} 以来失败的）` : ''}，沿用原 uuid；运行中的服务器会按发送限额发出，进度见 xinfang outbox list。\n`
      : `没有${when ? ` ${when} 以来` : ''}发送失败的${ownName}消息。\n`,
  );
  if (r.held.length) {
    const ids = r.held.slice(0, 10).map((h) => `#${h.id}`).join('、') + (r.held.length > 10 ? ` 等 ${r.held.length} 条` : '');
    io.out(
      `另有 ${r.held.length} 条（${ids}）发送时没有等到飞书的答复已超过 1 小时，飞书可能已经收到；飞书按 uuid 去重只保留 1 小时，` +
        '重发可能让对方收到两条，所以未重新排队。请先确认对方没有收到，再逐条 xinfang outbox retry 编号，或加 --yes 全部重排。\n',
    );
  }
  for (const [t, n] of r.otherTransports) {
    io.out(`另有 ${n} 条失败的消息属于${TRANSPORT_NAMES[t] ?? t}通道，本机（${ownName}）不会发送，未做改动${t === 'lark' ? '：请在配置了飞书应用（LARK_APP_ID、LARK_APP_SECRET）的服务器上重排' : ''}。\n`);
  }
}
