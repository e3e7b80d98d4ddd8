import { addDays, formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { BriefingService } from './briefing-service';
import type { Context, Router } from '../platform/chat/router';
import { card, Outgoing, text } from '../platform/chat/messages';
import type { IncomingMessage } from '../platform/chat/messages';
import { briefingCard } from './briefing-cards';
import { matchScope } from './domain';
import type { SessionFilter, SessionView } from './session-view';
import { splitDayWord } from './day-args';

/** How far ahead 接访简报 without a date looks for the next reception day. */
const AHEAD_DAYS = 60;
/** Briefings in one answer; the rest are named by number. */
const MAX_BRIEFINGS = 8;

/**
 * 接访简报 [编号 | 乡镇或领导] [日期]: a leader asks for the briefing of their next reception day (or of a
 * date) at any time, not only when the 16:00 card arrives; the bureau's clerks (staff, admin) prepare
 * any session: the next day's, a date's, a town's, a leader's or one by number. The calendar feeds point here.
 */
export function registerBriefingCommand(router: Router, briefings: BriefingService): void {
  router.command(
    {
      names: ['接访简报', '接访提示'], help: '查看下一次（或某天、某场）接访的提示卡：地点、陪同单位、当地在办和逾期信访件',
      example: '接访简报 明天；接访简报 阳城镇 下周三；接访简报 12（接访编号）', roles: ['leader', 'staff', 'admin'], group: '接访下访', glued: true,
    },
    (ctx) => briefingsFor(briefings, ctx),
  );
}

async function briefingsFor(briefings: BriefingService, ctx: Context<IncomingMessage>): Promise<Outgoing[]> {
  if (ctx.incoming.chatType === 'group') return [text('接访简报含信访人姓名等信息，请在与信访助手的单聊中发送“接访简报”查看。')];
  const today = shanghaiDate(ctx.now);
  const byNumber = /^(?:#|编号)?\s*(\d{1,9})$/.exec(ctx.args);
  if (byNumber) {
    const s = await briefings.store.sessions.getSession(Number(byNumber[1]));
    if (!s) throw new UserError(`没有编号为 ${byNumber[1]} 的接访安排。`);
    briefings.assertMayBrief(ctx.user, s);
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访（${formatChineseDate(s.date)}）已取消。`);
    const leaderId = briefingLeader(s, ctx.user.id);
    return [card(briefingCard(await briefings.briefing(s, leaderId, today), undefined, leaderId === ctx.user.id))];
  }
  const { scope, date } = splitDayWord(ctx.args, today);
  const filter = await scopeFilter(briefings, ctx, scope);
  const sessions = (await briefings.store.sessions.listSessions({ ...filter.where, from: date ?? today, to: date ?? addDays(today, AHEAD_DAYS) }))
    .filter((s) => s.status !== 'cancelled');
  if (!sessions.length) {
    return [text(date ? `${filter.who}在${formatChineseDate(date)}没有接访安排。` : `${filter.who}近 ${AHEAD_DAYS} 天内没有接访安排。${filter.mine ? '发送“我的接访”查看全部安排。' : ''}`)];
  }
  const day = sessions.filter((s) => s.date === sessions[0].date);
  const out: Outgoing[] = [];
  for (const s of day.slice(0, MAX_BRIEFINGS)) {
    briefings.assertMayBrief(ctx.user, s);
    const leaderId = filter.leaderId ?? briefingLeader(s, ctx.user.id);
    out.push(card(briefingCard(await briefings.briefing(s, leaderId, today), undefined, leaderId === ctx.user.id)));
  }
  if (day.length > MAX_BRIEFINGS) {
    const rest = day.slice(MAX_BRIEFINGS).map((s) => `${s.id}（${s.venueName}）`).join('、');
    out.push(text(`${formatChineseDate(day[0].date)}另有 ${day.length - MAX_BRIEFINGS} 场：${rest}。发送“接访简报 编号”查看其中一场。`));
  }
  return out;
}

/** Whose sessions: a leader's own; for the bureau everyone's, or a town's or a leader's when named. */
async function scopeFilter(
  briefings: BriefingService, ctx: Context<IncomingMessage>, scope: string,
): Promise<{ where: SessionFilter; who: string; leaderId?: string; mine: boolean }> {
  const leaders = await briefings.store.leaders.listLeaders({ activeOnly: true });
  if (ctx.user.role === 'leader') {
    const m = scope ? matchScope(scope, [], leaders) : null;
    if (m && !(m.kind === 'leader' && m.leader.id === ctx.user.id)) {
      throw new UserError('您可以查看自己接访的简报：发送“接访简报”“接访简报 明天”或“接访简报 12月3日”。');
    }
    return { where: { leaderId: ctx.user.id }, who: '您', leaderId: ctx.user.id, mine: true };
  }
  if (!scope) return { where: {}, who: '全县', mine: false };
  const m = matchScope(scope, await briefings.store.leaders.listVenues(), leaders);
  if (m.kind === 'none') throw new UserError(`没有找到“${scope}”：请写乡镇名、领导姓名、接访编号或日期（如 明天、12月3日）。`);
  if (m.kind === 'ambiguous') throw new UserError(`“${scope}”对应多位领导，请写姓名：${m.choices.join('、')}`);
  if (m.kind === 'town') return { where: { venueIds: m.venueIds }, who: m.town, mine: false };
  return { where: { leaderId: m.leader.id }, who: m.leader.name, leaderId: m.leader.id, mine: false };
}

/** The leader a briefing is written for: the reader when they receive there, else the session's first leader. */
function briefingLeader(s: SessionView, userId: string): string {
  return s.leaders.find((l) => l.id === userId)?.id ?? s.leaders[0]?.id ?? userId;
}
