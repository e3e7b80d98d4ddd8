import type { Express } from 'express';
import type { Router } from '../chat/router';
import { sidePool } from '../database/connection';
import { fromDbTime } from '../database/time';
import { shanghaiDate, shanghaiTime } from '../calendar/domain/dates';
import type { CliIO, CliRegistrar, Core, Feature, FeatureFactory } from '../feature';
import { mountMetrics } from '../http/metrics';
import { LarkEventIntake } from './event-intake';
import { InboundProcessor } from '../inbound/inbound-processor';
import { createLarkClient, fetchBotOpenId, LarkClientHandle } from './lark-client';
import { mountLarkWebhook } from './webhook-route';
import { LarkWsChannel } from './ws-channel';
import { ConsoleTransport } from '../outbox/console-transport';
import { LarkTransport } from '../outbox/lark-transport';
import { OutboxWorker } from '../outbox/outbox-worker';
import type { Transport } from '../outbox/transport';
import { getOutboxRow, listOutbox, OutboxRow, OutboxStatus, requeueOutboxRow } from '../outbox/outbox-store';

/** How often unfinished inbound events are looked for. */
const INBOUND_POLL_MS = 5_000;

/** The Lark capability, with its moving parts exposed for tests and the CLI. */
export interface LarkFeature extends Feature {
  /** Inbound events (null without a Lark app or a router). */
  processor: InboundProcessor | null;
  intake: LarkEventIntake | null;
  /** The sender, once started. */
  readonly outbox: OutboxWorker | null;
  readonly ws: LarkWsChannel | null;
}

/** The sender over the configured transport: Lark when an app is set, else the console. */
export function createOutboxWorker(core: Core, transport: Transport): OutboxWorker {
  const c = core.config;
  return new OutboxWorker({
    db: core.db,
    transport,
    logger: core.logger.child({ component: 'outbox' }),
    chatRate: c.OUTBOX_CHAT_RATE,
    appRate: c.OUTBOX_APP_RATE,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    leaseMs: c.OUTBOX_LEASE_SECONDS * 1000,
    pollMs: c.OUTBOX_POLL_MS,
    cardMaxBytes: c.LARK_CARD_MAX_BYTES,
  });
}

export function createTransport(core: Core, client?: LarkClientHandle): Transport {
  if (!core.config.larkEnabled) return new ConsoleTransport();
  return new LarkTransport(client ?? createLarkClient(core.config, core.logger));
}

export const createLarkFeature: FeatureFactory = (core: Core, router?: Router): LarkFeature => {
  const config = core.config;
  let client: LarkClientHandle | null = null;
  const larkClient = () => (client ??= createLarkClient(config, core.logger));
  let botOpenId: string | null = config.LARK_BOT_OPEN_ID ?? null;
  let worker: OutboxWorker | null = null;
  let ws: LarkWsChannel | null = null;

  // Events are recorded through two connections of their own, so acknowledgements never wait behind the processing.
  const recordPool = config.larkEnabled && router ? sidePool(core.db, 2) : null;
  const processor =
    recordPool && router ? new InboundProcessor({ core, router, recordDb: recordPool.db, onQueued: () => worker?.kick() }) : null;
  const intake = processor ? new LarkEventIntake({ core, processor, botOpenId: () => botOpenId }) : null;

  const feature: LarkFeature = {
    name: 'lark',
    processor,
    intake,
    get outbox() {
      return worker;
    },
    get ws() {
      return ws;
    },

    registerHttp(app: Express) {
      mountMetrics(app);
      if (intake && config.LARK_MODE === 'webhook') {
        mountLarkWebhook(app, { config, logger: core.logger, dispatcher: intake.dispatcher('webhook') });
      }
    },

    async start() {
      worker = createOutboxWorker(core, config.larkEnabled ? createTransport(core, larkClient()) : new ConsoleTransport());
      worker.start();
      core.logger.info({ transport: config.larkEnabled ? 'lark' : 'console' }, 'outbox sender started');
      if (!config.larkEnabled) return;
      if (!router) throw new Error('the Lark feature needs the router');
      if (!botOpenId) {
        try {
          botOpenId = await Promise.race([
            fetchBotOpenId(larkClient().client),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref()),
          ]);
          core.logger.info({ botOpenId }, 'lark: bot identity known');
        } catch (err: any) {
          core.logger.warn({ err: { message: err?.message } }, 'lark: could not look up the bot open_id; group @mentions are recognised by mentioned_type');
        }
      }
      processor!.startPoller(INBOUND_POLL_MS);
      if (config.LARK_MODE === 'ws') {
        ws = new LarkWsChannel(config, core.logger, intake!.dispatcher('ws'));
        await ws.start();
      } else {
        core.logger.info('lark: webhook mode, events arrive at POST /lark/events');
      }
    },

    async stop() {
      ws?.stop();
      await intake?.settle();
      await processor?.stop();
      await recordPool?.close();
      await worker?.stop({ graceful: true });
    },
  };
  return feature;
};

const STATUS_NAMES: Record<OutboxStatus, string> = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '失败' };

function shanghai(t: string | null): string {
  const d = fromDbTime(t);
  return d ? `${shanghaiDate(d)} ${shanghaiTime(d)}` : '';
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

export const registerLarkCli: CliRegistrar = (program, openCore, io) => {
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
