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
import { LarkWsChannel } from './ws-channel';
import { ConsoleTransport } from '../outbox/console-transport';
import { createOutboxWorker, createTransport } from './outbox-sender';
import type { OutboxWorker } from '../outbox/outbox-worker';

/** How often unfinished inbound events are looked for. */
const INBOUND_POLL_MS = 5_000;

/** The Lark channel (webhook or long connection, the inbound processor, the sender), its moving parts exposed for tests. */
export interface LarkFeature extends Feature {
  /** Inbound events (null without a Lark app or a router). */
  processor: InboundProcessor | null;
  intake: LarkEventIntake | null;
  /** The sender, once started. */
  readonly outbox: OutboxWorker | null;
  readonly ws: LarkWsChannel | null;
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
    get ws() {
      return ws;
    },

    diagnose: () => diagnoseLark(core, larkClient),

    registerHttp(app: Express) {
      mountMetrics(app);
      if (intake && config.LARK_MODE === 'webhook') {
        mountLarkWebhook(app, { config, logger: core.logger, dispatcher: intake.dispatcher('webhook') });
      }
    },

    async start() {
      worker = createOutboxWorker(core, config.larkEnabled ? createTransport(core) : new ConsoleTransport());
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
