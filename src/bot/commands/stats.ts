import { shanghaiDate } from '../../domain/calendar';
import { parsePeriod } from '../../domain/stats/metrics';
import { UserError } from '../../errors';
import type { Core } from '../../feature';
import { StatsService } from '../../services/stats-service';
import type { Router } from '../router';
import { card } from '../types';
import { buildStatsCard } from '../cards/stats-cards';

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
