import { addDays, parseDayWord, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { BriefingService } from './briefing-service';
import type { Router } from '../platform/chat/router';
import { card, text } from '../platform/chat/messages';
import { briefingCard } from './briefing-cards';

/**
 * 接访简报 [日期]: a leader asks for the briefing of their next reception day (or of a date) at
 * any time, not only when the 16:00 card arrives. The calendar feeds point here.
 */
export function registerBriefingCommand(router: Router, briefings: BriefingService): void {
  router.command(
    { names: ['接访简报', '接访提示'], help: '查看您下一次（或某天）接访的提示卡：地点、陪同单位、当地在办和逾期信访件', example: '接访简报 明天', roles: ['leader'], group: '接访下访', glued: true },
    async (ctx) => {
      const today = shanghaiDate(ctx.now);
      let date: string | null = null;
      if (ctx.args) {
        date = parseDayWord(ctx.args, today);
        if (!date) throw new UserError(`看不懂日期“${ctx.args}”。请写成“明天”“12月3日”或“2026-12-03”。`);
      }
      const sessions = (await briefings.store.sessions.listSessions({ leaderId: ctx.user.id, from: date ?? today, to: date ?? addDays(today, 60) }))
        .filter((s) => s.status !== 'cancelled');
      if (!sessions.length) return [text(date ? `您在 ${date} 没有接访安排。` : '您近 60 天内没有接访安排。发送“我的接访”查看全部安排。')];
      const day = sessions[0].date;
      const out = [];
      for (const s of sessions.filter((x) => x.date === day)) out.push(card(briefingCard(await briefings.briefing(s, ctx.user.id, today))));
      return out;
    },
  );
}
