import { shanghaiDate } from '../platform/calendar/domain';
import { parsePeriod } from './domain/metrics';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { StatsService } from './stats-service';
import type { Router } from '../platform/chat/router';
import { card } from '../platform/chat/messages';
import { buildStatsCard } from './stats-cards';

/** 统计 [本月|上月|今年|2026|2026-10]: the figures for staff, admin and leaders. */
export function registerStatsCommands(router: Router, core: Core): void {
  const stats = new StatsService(core);
  router.command(
    { names: ['统计', '信访统计'], help: '查看登记数、及时受理率、按期办结率等统计', example: '统计 2026-10', roles: ['admin', 'staff', 'leader'], group: '统计', glued: true },
    async (ctx) => {
      const period = parsePeriod(ctx.args, shanghaiDate(ctx.now));
      if (!period) throw new UserError(`看不懂“${ctx.args}”这个时间段。可以写：统计 本月、统计 上月、统计 今年、统计 2026、统计 2026-10`);
      return [card(buildStatsCard(await stats.compute(period)))];
    },
  );
}
