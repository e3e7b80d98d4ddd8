/**
 * 飞书日历: the reception days written into one shared Lark calendar, 领导干部接访下访安排
 * (LARK_CALENDAR_SYNC=true, off by default). Each session from today on is an event with the
 * leaders as attendees; changes, moves and cancellations follow within a minute. See README.md.
 */
import type { FeatureFactory } from '../platform/core/feature';
import { doesWork } from '../platform/settings/config';
import { CalendarSyncWorker } from './calendar-sync-worker';
import { diagnoseLarkCalendar } from './lark-calendar-diagnosis';

export const createLarkCalendarFeature: FeatureFactory = (core) => {
  const worker = new CalendarSyncWorker(core);
  return {
    name: 'lark-calendar',
    diagnose: () => diagnoseLarkCalendar(core),
    // Only a process that works syncs (XINFANG_ROLE all or worker).
    start: async () => {
      if (doesWork(core.config)) worker.start();
    },
    stop: () => worker.stop(),
  };
};
