import type { Express } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of the process. Any module may add its own metrics to it, e.g.
 * `new Counter({ name: 'xinfang_cases_registered_total', help: '…', registers: [metricsRegistry] })`;
 * GET /metrics serves all of them.
 */
export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ service: 'xinfang-bot' });
collectDefaultMetrics({ register: metricsRegistry, prefix: 'xinfang_' });

/** A metric of this name, created once per process (features are built again in tests). */
function once<T>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export const larkEventsReceived = once(
  'xinfang_lark_events_received_total',
  () =>
    new Counter({
      name: 'xinfang_lark_events_received_total',
      help: 'Lark events accepted and recorded, by channel and type',
      labelNames: ['channel', 'type'],
      registers: [metricsRegistry],
    }),
);

export const larkEventsDuplicate = once(
  'xinfang_lark_events_duplicate_total',
  () =>
    new Counter({
      name: 'xinfang_lark_events_duplicate_total',
      help: 'Lark events delivered again and ignored, by channel',
      labelNames: ['channel'],
      registers: [metricsRegistry],
    }),
);

export const larkWebhookRejected = once(
  'xinfang_lark_webhook_rejected_total',
  () =>
    new Counter({
      name: 'xinfang_lark_webhook_rejected_total',
      help: 'POST /lark/events requests refused, by reason',
      labelNames: ['reason'],
      registers: [metricsRegistry],
    }),
);

export const larkAckSeconds = once(
  'xinfang_lark_ack_seconds',
  () =>
    new Histogram({
      name: 'xinfang_lark_ack_seconds',
      help: 'Time from receiving a Lark event to acknowledging it',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metricsRegistry],
    }),
);

export const outboxSent = once(
  'xinfang_outbox_sent_total',
  () => new Counter({ name: 'xinfang_outbox_sent_total', help: 'Outbox messages sent', labelNames: ['transport'], registers: [metricsRegistry] }),
);

export const outboxFailed = once(
  'xinfang_outbox_failed_total',
  () => new Counter({ name: 'xinfang_outbox_failed_total', help: 'Outbox messages given up on', labelNames: ['transport'], registers: [metricsRegistry] }),
);

export const outboxRetries = once(
  'xinfang_outbox_retries_total',
  () =>
    new Counter({
      name: 'xinfang_outbox_retries_total',
      help: 'Outbox sends to be tried again, by reason (rate_limit, server, network)',
      labelNames: ['reason'],
      registers: [metricsRegistry],
    }),
);

/** The outbox's backlog, read from the database at each scrape (outbox-backlog.ts), by transport. */
const backlogGauge = (name: string, help: string) =>
  once(name, () => new Gauge({ name, help, labelNames: ['transport'], registers: [metricsRegistry] }));
export const outboxWaitingGauge = backlogGauge(
  'xinfang_outbox_waiting',
  'Outbox messages due, being sent, or waiting for a retry (not those scheduled for later)',
);
export const outboxRetryingGauge = backlogGauge('xinfang_outbox_retrying', 'Outbox messages whose last send failed, waiting for their next try');
export const outboxFailedGauge = backlogGauge('xinfang_outbox_failed', 'Outbox messages given up on and not re-queued (xinfang outbox retry --failed)');
export const outboxOldestWaitSeconds = backlogGauge(
  'xinfang_outbox_oldest_wait_seconds',
  'How long the oldest waiting outbox message has waited since it fell due or first failed',
);

export const larkWsConnected = once(
  'xinfang_lark_ws_connected',
  () => new Gauge({ name: 'xinfang_lark_ws_connected', help: '1 while the Lark long connection is up', registers: [metricsRegistry] }),
);

/** GET /metrics in the Prometheus text format. */
export function mountMetrics(app: Express): void {
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });
}
