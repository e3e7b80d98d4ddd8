import type { Core } from '../platform/core/feature';
import { createLarkClient } from '../platform/lark/lark-client';
import { CalendarSyncService } from './calendar-sync-service';

/** How often the sessions are compared with the calendar: changes show in Lark within a minute. */
export const POLL_MS = 30_000;

/** Runs a sync round every 30 s (one at a time), from start() to stop(). */
export class CalendarSyncWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private service: CalendarSyncService | null = null;

  constructor(private readonly core: Core, private readonly pollMs = POLL_MS) {}

  start(): void {
    const { config, logger } = this.core;
    if (!config.LARK_CALENDAR_SYNC) return;
    if (!config.larkEnabled) {
      logger.warn({ component: 'lark-calendar' }, '飞书日历同步已开启（LARK_CALENDAR_SYNC），但没有设置 LARK_APP_ID / LARK_APP_SECRET，未启动');
      return;
    }
    this.service = new CalendarSyncService(this.core, createLarkClient(config, logger).client);
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref?.();
    this.tick();
  }

  /** One round unless one is still running. */
  tick(): void {
    if (this.running || !this.service) return;
    const service = this.service;
    this.running = service
      .syncOnce()
      .then((r) => {
        const c = r.counts;
        if (c.created + c.patched + c.deleted + c.failed > 0) this.core.logger.info({ component: 'lark-calendar', ...c }, '飞书日历：已同步接访安排');
      })
      .catch((err) => this.core.logger.warn({ component: 'lark-calendar', err: { message: (err as Error)?.message } }, '飞书日历：本轮同步失败，稍后重试'))
      .finally(() => {
        this.running = null;
      });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.service = null;
  }
}
