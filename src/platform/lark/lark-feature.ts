import type { Express } from 'express';
import type { Router } from '../chat/router';
import { sidePool } from '../database/connection';
import type { Core, Feature, FeatureFactory } from '../core/feature';
import { mountMetrics } from '../metrics/metrics';
import { LarkEventIntake } from './event-intake';
import { InboundProcessor } from '../inbound/inbound-processor';
import { createLarkClient, fetchBotOpenId, fetchChatKind, LarkClientHandle } from './lark-client';
import { ChatKinds } from './chat-kind';
import { ChatKindStore } from './chat-kind-store';
import { mountLarkWebhook } from './webhook-route';
import { diagnoseLark } from './lark-diagnosis';
import { diagnoseProcessing } from './processing-diagnosis';
import { LarkWsChannel } from './ws-channel';
import { ConsoleTransport } from '../outbox/console-transport';
import { createOutboxWorker, createTransport } from './outbox-sender';
import type { OutboxWorker } from '../outbox/outbox-worker';
import { ActiveSender } from '../outbox/active-sender';
import { LeaseStore } from '../database/lease-store';
import { doesWork, servesWeb } from '../settings/config';

/** How often unfinished inbound events are looked for: a safety net beside a web process's own processing, every event in a worker. */
const INBOUND_POLL_MS = { all: 5_000, worker: 50 } as const;

/** The Lark channel (webhook or long connection, the inbound processor, the sender), its moving parts exposed for tests. */
export interface LarkFeature extends Feature {
  /** Inbound events (null without a Lark app or a router). */
  processor: InboundProcessor | null;
  intake: LarkEventIntake | null;
  /** The sender, once started (in a process that works; it sends while it holds the sender's lease). */
  readonly outbox: OutboxWorker | null;
  readonly sender: ActiveSender | null;
  readonly ws: LarkWsChannel | null;
}

export const createLarkFeature: FeatureFactory = (core: Core, router?: Router): LarkFeature => {
  const config = core.config;
  let client: LarkClientHandle | null = null;
  const larkClient = () => (client ??= createLarkClient(config, core.logger));
  let botOpenId: string | null = config.LARK_BOT_OPEN_ID ?? null;
  let worker: OutboxWorker | null = null;
  let sender: ActiveSender | null = null;
  let ws: LarkWsChannel | null = null;
  const web = servesWeb(config);
  const works = doesWork(config);

  // Events are recorded through two connections of their own, so acknowledgements never wait behind the processing.
  const recordPool = config.larkEnabled && router && web ? sidePool(core.db, 2) : null;
  const processor =
    config.larkEnabled && router
      ? new InboundProcessor({
          core, router, recordDb: recordPool?.db, recordOnly: !works, onQueued: () => sender?.kick(),
          // A worker's events come in by the poll, already together: waiting for company only delays the reply.
          ...(config.XINFANG_ROLE === 'worker' ? { lingerMs: 0 } : {}),
        })
      : null;
  // A card callback's chat: private only on Lark's word (asked through the SDK when unknown).
  const chatKinds = processor
    ? new ChatKinds({ store: new ChatKindStore(core.db), ask: (chatId) => fetchChatKind(larkClient().client, chatId), now: () => core.now(), logger: core.logger })
    : null;
  const intake = processor ? new LarkEventIntake({ core, processor, botOpenId: () => botOpenId, chatKinds }) : null;

  const feature: LarkFeature = {
    name: 'lark',
    processor,
    intake,
    get outbox() {
      return worker;
    },
    get sender() {
      return sender;
    },
    get ws() {
      return ws;
    },

    diagnose: async (now) => [...(await diagnoseProcessing(core, now)), ...(await diagnoseLark(core, larkClient))],

    registerHttp(app: Express) {
      mountMetrics(app);
      if (intake && web && config.LARK_MODE === 'webhook') {
        mountLarkWebhook(app, { config, logger: core.logger, dispatcher: intake.dispatcher('webhook') });
      }
    },

    async start() {
      if (works) {
        worker = createOutboxWorker(core, config.larkEnabled ? createTransport(core) : new ConsoleTransport());
        sender = await startSender(core, worker);
      }
      if (!config.larkEnabled) return;
      if (!router) throw new Error('the Lark feature needs the router');
      // Only the web side reads events (a group message @mentioning the bot); a worker never needs it.
      if (!botOpenId && web) botOpenId = await lookUpBotOpenId(core, larkClient());
      if (works) processor!.startPoller(config.INBOUND_POLL_MS ?? INBOUND_POLL_MS[config.XINFANG_ROLE === 'worker' ? 'worker' : 'all']);
      if (!web) {
        core.logger.info('lark: worker role, events recorded by the web processes are taken from the table');
      } else if (config.LARK_MODE === 'ws') {
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
      await sender?.stop();
    },
  };
  return feature;
};

/** The sender over this process's outbox worker: it sends while this process holds the sender's lease. */
async function startSender(core: Core, worker: OutboxWorker): Promise<ActiveSender> {
  const sender = new ActiveSender({ leases: new LeaseStore(core.db), worker, leaseMs: core.config.OUTBOX_SENDER_LEASE_SECONDS * 1000, logger: core.logger });
  await sender.start();
  core.logger.info({ transport: core.config.larkEnabled ? 'lark' : 'console', sending: sender.active }, 'outbox sender started');
  return sender;
}

/** The bot's open_id, asked of Lark (5 s at most); null when Lark does not say. */
async function lookUpBotOpenId(core: Core, client: LarkClientHandle): Promise<string | null> {
  try {
    const id = await Promise.race([
      fetchBotOpenId(client.client),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref()),
    ]);
    core.logger.info({ botOpenId: id }, 'lark: bot identity known');
    return id;
  } catch (err: any) {
    core.logger.warn({ err: { message: err?.message } }, 'lark: could not look up the bot open_id; group @mentions are recognised by mentioned_type');
    return null;
  }
}
