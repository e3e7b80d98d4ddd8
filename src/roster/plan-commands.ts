import { UserError } from '../platform/errors/user-error';
import type { Router } from '../platform/chat/router';
import { card } from '../platform/chat/messages';
import { planSummaryCard } from './roster-cards';
import type { RosterService } from './roster-service';
import { GROUP } from './command-args';

/** 生成接访计划 <年> [重新生成] [暂排]: the admin makes (or remakes) a year's plan from chat. */
export function registerPlanCommand(router: Router, roster: RosterService): void {
  router.command(
    {
      names: ['生成接访计划'], help: '按规则生成某年的接访下访计划', group: GROUP, roles: ['admin'],
      example: '生成接访计划 2027（加“重新生成”覆盖今后的安排，加“暂排”在没有节假日数据时按周末排）',
    },
    async (ctx) => {
      const m = /^(\d{4})\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明年份，例如：生成接访计划 2027');
      const flags = m[2];
      const r = await roster.plans.generate(Number(m[1]), {
        replace: /重新生成|覆盖/.test(flags), allowProvisional: /暂排|暂定/.test(flags), by: ctx.user.id,
      }, ctx.now);
      return [card(planSummaryCard(r))];
    },
  );
}
