import { addDays, formatChineseDate, IsoDate, shanghaiDate, weekday } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, Outgoing } from '../platform/chat/messages';
import { matchScope } from './domain';
import { mySessionsCard, sessionListCard } from './roster-cards';
import type { RosterService } from './roster-service';
import { GROUP } from './command-args';

function mondayOf(d: IsoDate): IsoDate {
  return addDays(d, -((weekday(d) + 6) % 7));
}

/** 查询: 今日接访, 本周接访, 下周接访, 我的接访, 接访安排 <乡镇或领导>. */
export function registerScheduleCommands(router: Router, roster: RosterService): void {
  const sessions = roster.store.sessions;
  const provisional = roster.provisionalDate;

  router.command({ names: ['今日接访', '今天接访'], help: '今天的领导接访下访安排', group: GROUP }, async (ctx) => {
    const d = shanghaiDate(ctx.now);
    const list = await sessions.listSessions({ from: d, to: d, includeCancelled: true });
    return [card(sessionListCard({ provisional, title: `今日接访：${formatChineseDate(d)}`, sessions: list, empty: '今天没有领导接访安排。' }))];
  });

  const week = async (ctx: Context, offset: number, title: string): Promise<Outgoing[]> => {
    const from = addDays(mondayOf(shanghaiDate(ctx.now)), offset * 7);
    const to = addDays(from, 6);
    const list = await sessions.listSessions({ from, to, includeCancelled: true });
    return [card(sessionListCard({ provisional,
      title, subtitle: `${formatChineseDate(from, false)}—${formatChineseDate(to, false)}`, sessions: list, empty: '这一周没有领导接访安排。',
      more: '发送“接访安排 乡镇名”可按乡镇查看。',
    }))];
  };
  router.command({ names: ['本周接访'], help: '本周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 0, '本周接访安排'));
  router.command({ names: ['下周接访'], help: '下周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 1, '下周接访安排'));

  router.command({ names: ['我的接访'], help: '您近期的接访安排，可申请改期或对调', group: GROUP, roles: ['leader'] }, async (ctx) => {
    const leader = await roster.store.leaders.getLeader(ctx.user.id);
    if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
    const list = await sessions.listSessions({ leaderId: leader.id, from: shanghaiDate(ctx.now), includeCancelled: true, limit: 60 });
    return [card(mySessionsCard(leader.name, list, provisional))];
  });

  router.command(
    { names: ['接访安排'], help: '按乡镇或领导查看接访安排', group: GROUP, example: '接访安排 阳城镇', glued: true },
    (ctx) => scheduleOf(roster, ctx),
  );
}

/** 接访安排 <乡镇或领导>: the next 90 days of a town's venues or of one leader. */
async function scheduleOf(roster: RosterService, ctx: Context): Promise<Outgoing[]> {
  if (!ctx.args) throw new UserError('请写明乡镇或领导，例如：接访安排 阳城镇，或 接访安排 林启航');
  const m = matchScope(ctx.args, await roster.store.leaders.listVenues(), await roster.store.leaders.listLeaders({ activeOnly: true }));
  if (m.kind === 'none') throw new UserError(`没有找到“${ctx.args}”：请写乡镇名（如 阳城镇）或领导姓名`);
  if (m.kind === 'ambiguous') throw new UserError(`“${ctx.args}”对应多位领导，请写姓名：${m.choices.join('、')}`);
  const from = shanghaiDate(ctx.now);
  const to = addDays(from, 90);
  const provisional = roster.provisionalDate;
  if (m.kind === 'town') {
    const sessions = await roster.store.sessions.listSessions({ venueIds: m.venueIds, from, to, includeCancelled: true });
    return [card(sessionListCard({ provisional, title: `${m.town}接访安排`, subtitle: '今后 90 天', sessions, empty: '今后 90 天没有接访安排。' }))];
  }
  const sessions = await roster.store.sessions.listSessions({ leaderId: m.leader.id, from, to, includeCancelled: true });
  return [card(sessionListCard({ provisional,
    title: `${m.leader.name}（${m.leader.title}）接访安排`, subtitle: '今后 90 天', sessions, empty: '今后 90 天没有接访安排。',
  }))];
}
