import { addDays, formatChineseDate, IsoDate, isIsoDate, shanghaiDate, weekday } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, Outgoing } from '../platform/chat/messages';
import { matchScope } from './domain';
import { MY_SESSIONS_PER_CARD, mySessionsCard, sessionListCard, sessionPages } from './roster-cards';
import type { RosterService } from './roster-service';
import type { SessionView } from './session-view';
import { GROUP } from './command-args';
import { splitDayWord } from './day-args';

/** The most cards one answer sends; past them a 下一页 button goes on from the first day left out. */
const MAX_CARDS = 5;
/** How far ahead 接访安排 and 我的接访 look. */
const AHEAD_DAYS = 90;
const MORE_ACTION = 'roster.schedule.more';
const MINE_MORE_ACTION = 'roster.mine.more';

function mondayOf(d: IsoDate): IsoDate {
  return addDays(d, -((weekday(d) + 6) % 7));
}

type ListOpts = Omit<Parameters<typeof sessionListCard>[0], 'sessions' | 'part' | 'next'>;

/**
 * Every session of the list, on as many cards as it takes (whole days together). With `more`, at
 * most MAX_CARDS cards, the last with a 下一页 button for the days after.
 */
export function listReplies(list: SessionView[], opts: ListOpts, more?: (from: IsoDate) => Record<string, unknown>): Outgoing[] {
  const pages = sessionPages(list);
  let cut = more && pages.length > MAX_CARDS ? MAX_CARDS : pages.length;
  // The next answer starts with a whole day: a day going on past the cut starts it.
  while (cut < pages.length && cut > 0 && pages[cut].continues) cut--;
  if (cut === 0) cut = pages.length;
  const from = cut < pages.length ? pages[cut].sessions[0].date : null;
  return pages.slice(0, cut).map((p, i) => card(sessionListCard({
    ...opts,
    sessions: p.sessions,
    part: { index: i + 1, total: cut, continues: p.continues },
    next: from && more && i === cut - 1 ? { value: more(from), from } : undefined,
  })));
}

/** 查询: 今日接访, 本周接访, 下周接访, 我的接访, 接访安排 <乡镇、领导或日期>. */
export function registerScheduleCommands(router: Router, roster: RosterService): void {
  const sessions = roster.store.sessions;
  const provisional = roster.provisionalDate;

  router.command({ names: ['今日接访', '今天接访'], help: '今天的领导接访下访安排', group: GROUP }, async (ctx) => {
    const d = shanghaiDate(ctx.now);
    const list = await sessions.listSessions({ from: d, to: d, includeCancelled: true });
    return listReplies(list, { provisional, title: `今日接访：${formatChineseDate(d)}`, empty: '今天没有领导接访安排。' });
  });

  const week = async (ctx: Context, offset: number, title: string): Promise<Outgoing[]> => {
    const from = addDays(mondayOf(shanghaiDate(ctx.now)), offset * 7);
    const to = addDays(from, 6);
    const list = await sessions.listSessions({ from, to, includeCancelled: true });
    return listReplies(list, {
      provisional, title, subtitle: `${formatChineseDate(from, false)}—${formatChineseDate(to, false)}`, empty: '这一周没有领导接访安排。',
    });
  };
  router.command({ names: ['本周接访'], help: '本周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 0, '本周接访安排'));
  router.command({ names: ['下周接访'], help: '下周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 1, '下周接访安排'));

  router.command({ names: ['我的接访'], help: '您近期的接访安排，可申请改期或对调', group: GROUP, roles: ['leader'] }, (ctx) =>
    mine(roster, ctx.user.id, shanghaiDate(ctx.now)));
  router.action(MINE_MORE_ACTION, (ctx) => mine(roster, ctx.user.id, fromArg(ctx, shanghaiDate(ctx.now))), ['leader']);

  router.command(
    {
      names: ['接访安排'], help: '按乡镇、领导或日期查看接访安排', group: GROUP, glued: true,
      example: '接访安排 阳城镇；接访安排 林启航；接访安排 明天；接访安排 阳城镇 下周三',
    },
    (ctx) => scheduleOf(roster, ctx.args, shanghaiDate(ctx.now)),
  );
  router.action(MORE_ACTION, (ctx) => {
    const today = shanghaiDate(ctx.now);
    return scheduleOf(roster, String(ctx.incoming.value.query ?? ''), today, fromArg(ctx, today));
  });
}

/** A 下一页 button's day: never trusted; a day before today (or no day) starts from today. */
function fromArg(ctx: Context<IncomingAction>, today: IsoDate): IsoDate {
  const v = String(ctx.incoming.value.from ?? '');
  return isIsoDate(v) && v > today ? v : today;
}

/** 我的接访: the leader's next 90 days, 15 to a card with their buttons; 下一页 past the cards one answer sends. */
async function mine(roster: RosterService, userId: string, from: IsoDate): Promise<Outgoing[]> {
  const leader = await roster.store.leaders.getLeader(userId);
  if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
  const perAnswer = MY_SESSIONS_PER_CARD * (MAX_CARDS - 1);
  const list = await roster.store.sessions.listSessions({ leaderId: leader.id, from, includeCancelled: true, limit: perAnswer + 1 });
  const shown = list.slice(0, perAnswer);
  const next = list.length > perAnswer ? list[perAnswer].date : null;
  // A day cut by the limit starts the next page whole.
  const cards = next ? shown.filter((s) => s.date !== next) : shown;
  const total = Math.max(1, Math.ceil(cards.length / MY_SESSIONS_PER_CARD));
  const out: Outgoing[] = [];
  for (let i = 0; i < total; i++) {
    const part = cards.slice(i * MY_SESSIONS_PER_CARD, (i + 1) * MY_SESSIONS_PER_CARD);
    const last = i === total - 1;
    out.push(card(mySessionsCard(leader.name, part, roster.provisionalDate, {
      index: i + 1, total, next: last && next ? { value: { action: MINE_MORE_ACTION, from: next }, from: next } : undefined,
    })));
  }
  return out;
}

/**
 * 接访安排 <乡镇或领导> [日期], or 接访安排 <日期>: a town's venues or one leader over the next 90
 * days (from `from`), or the sessions of one day — the county's, or the town's or leader's.
 */
async function scheduleOf(roster: RosterService, args: string, today: IsoDate, from = today): Promise<Outgoing[]> {
  const { scope, date } = splitDayWord(args, today);
  if (!scope && !date) throw new UserError('请写明乡镇或领导（也可写日期），例如：接访安排 阳城镇，接访安排 林启航，接访安排 明天');
  const provisional = roster.provisionalDate;
  const range = date ? { from: date, to: date } : { from, to: addDays(today, AHEAD_DAYS) };
  const when = date ? formatChineseDate(date) : `今后 ${AHEAD_DAYS} 天`;
  const none = date ? `${formatChineseDate(date)}没有接访安排。` : `今后 ${AHEAD_DAYS} 天没有接访安排。`;
  const more = date ? undefined : (next: IsoDate) => ({ action: MORE_ACTION, query: scope, from: next });
  if (!scope) {
    const list = await roster.store.sessions.listSessions({ ...range, includeCancelled: true });
    return listReplies(list, { provisional, title: `接访安排：${formatChineseDate(date!)}`, empty: none });
  }
  const m = matchScope(scope, await roster.store.leaders.listVenues(), await roster.store.leaders.listLeaders({ activeOnly: true }));
  if (m.kind === 'none') throw new UserError(`没有找到“${scope}”：请写乡镇名（如 阳城镇）、领导姓名或日期（如 明天、12月3日）`);
  if (m.kind === 'ambiguous') throw new UserError(`“${scope}”对应多位领导，请写姓名：${m.choices.join('、')}`);
  if (m.kind === 'town') {
    const list = await roster.store.sessions.listSessions({ venueIds: m.venueIds, ...range, includeCancelled: true });
    return listReplies(list, { provisional, title: `${m.town}接访安排`, subtitle: when, empty: none }, more);
  }
  const list = await roster.store.sessions.listSessions({ leaderId: m.leader.id, ...range, includeCancelled: true });
  return listReplies(list, { provisional, title: `${m.leader.name}（${m.leader.title}）接访安排`, subtitle: when, empty: none }, more);
}
