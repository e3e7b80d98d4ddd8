import { IsoDate, parseDayWord, shanghaiDate } from '../platform/calendar/domain';
import { ForbiddenError, UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, IncomingMessage, Outgoing, text } from '../platform/chat/messages';
import type { RosterLeader, Unavailability } from './domain';
import { leaveOffersCard, leaveSpan, offerLine } from './leave-cards';
import type { RosterService } from './roster-service';
import { GROUP, sessionIdArg } from './command-args';

const EXAMPLE = '请假登记 林启航 2027-03-02 至 2027-03-06 代班 周庭远 原因 参加培训';

/**
 * 请假登记 (plan leave in chat): the leave is recorded and the sessions already planned in it are
 * listed; the admin gets, per session, 由代班领导接访 and 改期 (as the reply; when a leader records
 * their own leave, the card goes to the admins). The two buttons do it.
 */
export function registerLeaveCommands(router: Router, roster: RosterService): void {
  router.command(
    { names: ['请假登记', '登记请假'], help: '登记领导请假或不在岗的日期，并处理期间已排的接访', group: GROUP, roles: ['admin', 'leader'], example: EXAMPLE },
    (ctx) => recordLeave(roster, ctx),
  );
  router.action('roster.leave.deputy', async (ctx: Context<IncomingAction>) => {
    const v = ctx.incoming.value;
    return [text(await roster.leave.deputize(ctx.user, sessionIdArg(v.sessionId), String(v.leaderId ?? ''), ctx.now))];
  }, ['admin']);
  router.action('roster.leave.move', async (ctx: Context<IncomingAction>) => {
    const v = ctx.incoming.value;
    return [text(await roster.leave.move(ctx.user, sessionIdArg(v.sessionId), String(v.leaderId ?? ''), String(v.date ?? ''), ctx.now))];
  }, ['admin']);
}

async function recordLeave(roster: RosterService, ctx: Context<IncomingMessage>): Promise<Outgoing[]> {
  const leaders = await roster.store.leaders.listLeaders();
  const u = parseLeave(ctx.args, leaders, shanghaiDate(ctx.now), ctx.user);
  const admin = ctx.user.role === 'admin';
  const r = await roster.leave.record(u, { notifyAdmins: !admin }, ctx.now);
  const head = `已登记：${r.leader.name} ${leaveSpan(r)}不在岗${r.deputy ? `，由${r.deputy.name}代班` : ''}。`;
  if (admin) return [text(head), card(leaveOffersCard(r))];
  if (!r.offers.length) return [text(`${head}请假期间没有已安排的接访。`)];
  return [text([
    head, `请假期间已有 ${r.offers.length} 场接访安排：`, ...r.offers.map((o) => `• ${offerLine(o)}`),
    r.sentTo ? '已请管理员安排代班或改期，调整后会通知您。' : '没有找到管理员，请联系信访局安排代班或改期。',
  ].join('\n'))];
}

/** 请假登记 [领导] 日期 [至 日期] [代班 领导] [原因 …]: a leader may name only themselves. */
export function parseLeave(args: string, leaders: RosterLeader[], today: IsoDate, user: { id: string; role: string }): Unavailability {
  const words = args.replace(/(?<=[\d日号天])\s*(?:至|到|~|～|—)\s*/g, ' 至 ').replace(/(代班|原因)[:：]?/g, ' $1 ').trim().split(/\s+/).filter(Boolean);
  if (!words.length) throw new UserError(`请写明领导和日期，例如：${EXAMPLE}`);
  const find = (w: string) => {
    const l = leaders.find((x) => x.name === w || x.id === w);
    if (!l) throw new UserError(`没有找到领导“${w}”，请写接访领导的姓名`);
    return l;
  };
  let leader: RosterLeader | null = null;
  if (!parseDayWord(words[0], today)) leader = find(words.shift()!);
  if (!leader) {
    if (user.role !== 'leader') throw new UserError(`请写明哪位领导请假，例如：${EXAMPLE}`);
    leader = leaders.find((l) => l.id === user.id) ?? null;
    if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
  }
  if (user.role === 'leader' && leader.id !== user.id) throw new ForbiddenError('只能登记您本人的请假');
  const day = (w: string | undefined) => {
    const d = w ? parseDayWord(w, today) : null;
    if (!d) throw new UserError(`看不懂日期“${w ?? ''}”。请写成“2027-03-02”“3月2日”或“明天”，例如：${EXAMPLE}`);
    return d;
  };
  const from = day(words.shift());
  const to = words[0] === '至' ? (words.shift(), day(words.shift())) : from;
  let deputyId: string | null = null;
  const reason: string[] = [];
  while (words.length) {
    const w = words.shift()!;
    if (w === '代班') {
      const who = words.shift();
      if (!who) throw new UserError('请在“代班”后写代班领导的姓名');
      deputyId = find(who).id;
    } else if (w !== '原因') reason.push(w);
  }
  return { leaderId: leader.id, from, to, deputyId, reason: reason.join(' ').slice(0, 100) || null };
}
