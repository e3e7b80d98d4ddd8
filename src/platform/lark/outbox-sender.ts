import type { Core } from '../core/feature';
import { createLarkClient, LarkClientHandle } from './lark-client';
import { ConsoleTransport } from '../outbox/console-transport';
import { LarkTransport } from './lark-transport';
import { OutboxWorker } from '../outbox/outbox-worker';
import type { Transport } from '../outbox/transport';

/** The sender over the given transport, with the budgets, attempts and lease of the settings. */
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

/** The configured transport: Lark when an app is set, else the console. */
export function createTransport(core: Core, client?: LarkClientHandle): Transport {
  if (!core.config.larkEnabled) return new ConsoleTransport();
  return new LarkTransport(client ?? createLarkClient(core.config, core.logger));
}
