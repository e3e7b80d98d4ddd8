import type { Core } from '../core/feature';
import type { Logger } from '../logging/logger';
import { createLarkClient, LarkClientHandle } from './lark-client';
import { ConsoleTransport } from '../outbox/console-transport';
import { LarkTransport } from './lark-transport';
import { OutboxWorker } from '../outbox/outbox-worker';
import type { Transport } from '../outbox/transport';

/** For `xinfang outbox retry`: whether a failed row needs a person's confirmation before it is sent again. */
export { resendNeedsConfirmation, LARK_UUID_TTL_MS } from './uuid-window';

/** The sender over the given transport, with the budgets, attempts and lease of the settings. */
export function createOutboxWorker(core: Core, transport: Transport): OutboxWorker {
  const c = core.config;
  return new OutboxWorker({
    db: core.db,
    transport,
    logger: core.logger.child({ component: 'outbox' }),
    chatRate: c.OUTBOX_CHAT_RATE,
    appRate: c.OUTBOX_APP_RATE,
    appPerMinute: c.OUTBOX_APP_RATE_PER_MINUTE,
    retryHorizonMs: c.OUTBOX_RETRY_HOURS * 3_600_000,
    retryMaxMs: c.OUTBOX_RETRY_MAX_SECONDS * 1000,
    leaseMs: c.OUTBOX_LEASE_SECONDS * 1000,
    pollMs: c.OUTBOX_POLL_MS,
    cardMaxBytes: c.LARK_CARD_MAX_BYTES,
  });
}

/**
 * The SDK logs every failed call at error level. The sender reads each failure itself and logs a
 * Lark outage once, then every ten minutes, and once when it ends (SendOutcomes): its own client's
 * SDK lines go to debug, so an outage of hours is a few lines, not one per try.
 */
function quietSdkLogger(logger: Logger): Logger {
  const child = logger.child({ component: 'outbox' });
  return new Proxy(child, { get: (t, p) => (p === 'error' || p === 'warn' ? t.debug.bind(t) : Reflect.get(t, p, t)) });
}

/** The configured transport: Lark when an app is set (its own client, see quietSdkLogger), else the console. */
export function createTransport(core: Core, client?: LarkClientHandle): Transport {
  if (!core.config.larkEnabled) return new ConsoleTransport();
  return new LarkTransport(client ?? createLarkClient(core.config, quietSdkLogger(core.logger)), { cardMaxBytes: core.config.LARK_CARD_MAX_BYTES });
}
