import type { Core, Finding } from '../platform/core/feature';
import { LarkCalendarStore, MEETING_EVENTS } from './lark-calendar-store';

/** 系统检查: the sync is on without Lark, or calls keep failing. */
export async function diagnoseLarkCalendar(core: Core): Promise<Finding[]> {
  if (!core.config.LARK_CALENDAR_SYNC) return [];
  if (!core.config.larkEnabled) {
    return [{ area: '飞书日历', severity: 'error', problem: '已开启 LARK_CALENDAR_SYNC，但没有设置飞书应用，接访安排不会写入飞书日历', fix: '设置 LARK_APP_ID / LARK_APP_SECRET，或关闭 LARK_CALENDAR_SYNC' }];
  }
  const { failing } = await new LarkCalendarStore(core.db).backlog();
  const meetings = (await new LarkCalendarStore(core.db, MEETING_EVENTS).backlog()).failing;
  if (!failing && !meetings) return [];
  const what = [failing ? `${failing} 个接访场次` : '', meetings ? `${meetings} 次会商` : ''].filter(Boolean).join('和');
  return [{ area: '飞书日历', severity: 'warning', problem: `${what}写入飞书日历失败，正在重试`, fix: '确认应用已开通日历权限（calendar:calendar），并查看日志中的飞书错误码' }];
}
