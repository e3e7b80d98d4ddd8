import type { OutboxRow } from './outbox-store';
import type { SendResult, Transport } from './transport';

/**
 * The transport when no Lark app is configured: nothing leaves the machine. A row counts as
 * sent at once, and the console's side panel (GET /console/api/outbox) shows it.
 */
export class ConsoleTransport implements Transport {
  readonly name = 'console';

  async send(row: OutboxRow): Promise<SendResult> {
    return { ok: true, messageId: `console:${row.id}` };
  }
}
