import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, Outgoing } from '../platform/chat/messages';
import { planSummaryCard } from './roster-cards';
import { replanDoneCard, replanPreviewCard } from './plan-change-cards';
import type { GenerateOptions } from './plan-service';
import type { RosterService } from './roster-service';
import { GROUP } from './command-args';

/** The button that saves a regenerated plan after its preview. */
const REPLAN_ACTION = 'roster.plan.replace';

/**
 * 生成接访计划 <年> [重新生成] [暂排] [确认]: the admin makes (or remakes) a year's plan from chat.
 * Remaking an existing plan first shows what it would change, with a button (or the word 确认) to do it.
 */
export function registerPlanCommand(router: Router, roster: RosterService): void {
  router.command(
    {
      names: ['生成接访计划'], help: '按规则生成某年的接访下访计划', group: GROUP, roles: ['admin'],
      example: '生成接访计划 2027（加“重新生成”与现有安排比对后调整，先列出变动，再点“确认重新生成”或加“确认”；加“暂排”在没有节假日数据时按周末排）',
    },
    async (ctx) => {
      const m = /^(\d{4})\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明年份，例如：生成接访计划 2027');
      const year = Number(m[1]);
      const flags = m[2];
      const opts: GenerateOptions = { replace: /重新生成|覆盖/.test(flags), allowProvisional: /暂排|暂定/.test(flags), by: ctx.user.id };
      const confirmed = /确认|--yes/.test(flags);
      if (opts.replace && !confirmed && (await roster.store.sessions.countSessions(year)) > 0) {
        const p = await roster.plans.previewReplace(year, opts, ctx.now);
        return [card(replanPreviewCard(p, { action: REPLAN_ACTION, year, allowProvisional: !!opts.allowProvisional }))];
      }
      return generate(roster, year, opts, ctx.now);
    },
  );
  router.action(REPLAN_ACTION, (ctx) => replanClicked(roster, ctx), ['admin']);
}

/** 确认重新生成: the value is not trusted; the year is checked again and the plan reconciled as it is now. */
async function replanClicked(roster: RosterService, ctx: Context<IncomingAction>): Promise<Outgoing[]> {
  const year = Number(ctx.incoming.value.year);
  if (!Number.isInteger(year)) throw new UserError('按钮已失效，请重新发送“生成接访计划 <年份> 重新生成”。');
  return generate(roster, year, { replace: true, allowProvisional: ctx.incoming.value.allowProvisional === true, by: ctx.user.id }, ctx.now);
}

async function generate(roster: RosterService, year: number, opts: GenerateOptions, now: Date): Promise<Outgoing[]> {
  try {
    const r = await roster.plans.generate(year, opts, now);
    return [card(r.replaced ? replanDoneCard(r) : planSummaryCard(r))];
  } catch (err) {
    // The service speaks to the command line too (--replace, --provisional); in chat the words are 重新生成 and 暂排.
    if (err instanceof UserError && err.code === 'plan_exists') {
      const n = /已有 (\d+) 场/.exec(err.message)?.[1] ?? await roster.store.sessions.countSessions(year);
      throw new UserError(
        `${year} 年已有 ${n} 场接访安排。如要按规则重新生成，请发送“生成接访计划 ${year} 重新生成”：` +
          '仍在新计划中的场次保留原编号，已举行的不动，先列出变动，确认后才保存。',
        'plan_exists',
      );
    }
    if (err instanceof UserError && err.code === 'unknown_year') {
      throw new UserError(
        `没有 ${year} 年的节假日安排数据，无法确定该年的工作日，未生成计划。请管理员在国务院办公厅通知发布后导入 ${year} 年节假日安排；` +
          `如需先按周末暂排，请发送“生成接访计划 ${year} 暂排”，计划将标注为暂定。`,
        'unknown_year',
      );
    }
    if (err instanceof UserError && err.code === 'no_leaders') {
      throw new UserError('还没有登记领导，无法生成接访计划。请管理员先登记各位领导及其接访规则，再发送“生成接访计划”。', 'no_leaders');
    }
    throw err;
  }
}
