import { addDays, formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, IncomingMessage, Outgoing, text } from '../platform/chat/messages';
import { SLOTS, Slot } from './domain';
import { changeRequestCard, moveFormCard, mySessionsCard, swapFormCard } from './roster-cards';
import type { RosterService } from './roster-service';
import { formText, GROUP, sessionIdArg } from './command-args';

/** 调整接访 (a leader asks to move or swap a reception day), 接访审批 (the admin decides), 取消接访. */
export function registerChangeCommands(router: Router, roster: RosterService): void {
  router.command(
    {
      names: ['调整接访'], help: '申请改期，或与其他领导对调（经管理员批准）', group: GROUP, roles: ['leader', 'admin'],
      example: '调整接访 12 改到 2026-12-10 上午 参加会议',
    },
    (ctx) => changeByText(roster, ctx),
  );
  router.action('roster.change.form', (ctx) => changeForm(roster, ctx), ['leader', 'admin']);
  router.action('roster.change.submit', (ctx) => changeSubmitted(roster, ctx), ['leader', 'admin']);

  router.command({ names: ['接访审批'], help: '待审批的接访调整申请', group: GROUP, roles: ['admin'] }, async () => {
    const pending = await roster.changes.pendingRequests();
    if (!pending.length) return [text('没有待审批的接访调整申请。')];
    return pending.slice(0, 10).map((p) => card(changeRequestCard(p.request, p.description, p.problems)));
  });

  const decide = (approve: boolean) => async (ctx: Context<IncomingAction>): Promise<Outgoing[]> => {
    const id = sessionIdArg(ctx.incoming.value.requestId, '申请编号');
    const r = await roster.changes.decide(ctx.user, id, approve, formText(ctx, 'note') || null, ctx.now);
    return [text(r.message)];
  };
  router.action('roster.change.approve', decide(true), ['admin']);
  router.action('roster.change.reject', decide(false), ['admin']);

  router.command(
    { names: ['取消接访'], help: '取消一场接访（保留记录，通知领导和接访点）', group: GROUP, roles: ['admin'], example: '取消接访 12 台风预警' },
    async (ctx) => {
      const m = /^#?(\d+)\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明编号，例如：取消接访 12 台风预警');
      const s = await roster.changes.cancel(ctx.user, Number(m[1]), m[2] || null, ctx.now);
      return [text(`已取消编号 ${s.id} 的接访（${formatChineseDate(s.date)}${s.slot} ${s.venueName}），并通知了相关领导和接访点。`)];
    },
  );
}

/** 调整接访 12 改到 2026-12-10 上午 原因, or 调整接访 12 与 34 对调 原因; alone, a leader's days with their buttons. */
async function changeByText(roster: RosterService, ctx: Context<IncomingMessage>): Promise<Outgoing[]> {
  const a = ctx.args;
  if (!a) {
    if (ctx.user.role !== 'leader') throw new UserError('请写明编号，例如：调整接访 12 改到 2026-12-10，或 调整接访 12 与 34 对调');
    const leader = await roster.store.leaders.getLeader(ctx.user.id);
    if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
    return [card(mySessionsCard(leader.name, await roster.store.sessions.listSessions({ leaderId: leader.id, from: shanghaiDate(ctx.now), limit: 60 }), roster.provisionalDate))];
  }
  const move = /^#?(\d+)\s*(?:改到|改为|改期到|调到|改期)\s*(\d{4}-\d{1,2}-\d{1,2})\s*(上午|下午|全天)?\s*(.*)$/.exec(a);
  if (move) {
    const date = move[2].replace(/-(\d)(?=-|$)/g, '-0$1');
    const { description } = await roster.changes.requestMove(ctx.user, Number(move[1]), date, move[3] as Slot | undefined, move[4] || null, ctx.now);
    return [text(`已提交改期申请：${description}。管理员批准后生效，届时会通知您和接访点。`)];
  }
  const swap = /^#?(\d+)\s*(?:与|和|跟)\s*#?(\d+)\s*(?:对调|互换|调换)?\s*(.*)$/.exec(a);
  if (swap) {
    const { description } = await roster.changes.requestSwap(ctx.user, Number(swap[1]), Number(swap[2]), swap[3] || null, ctx.now);
    return [text(`已提交对调申请：${description}。管理员批准后生效，届时会通知双方和接访点。`)];
  }
  throw new UserError('没有看懂。请这样写：调整接访 12 改到 2026-12-10 上午 原因，或 调整接访 12 与 34 对调 原因（编号见接访卡片）');
}

/** The 申请改期 / 申请对调 buttons: the form, for a swap with the sessions it may trade with. */
async function changeForm(roster: RosterService, ctx: Context<IncomingAction>): Promise<Outgoing[]> {
  const id = sessionIdArg(ctx.incoming.value.sessionId);
  const s = await roster.store.sessions.getSession(id);
  if (!s) throw new UserError(`没有编号为 ${id} 的接访安排`);
  if (ctx.user.role !== 'admin' && !s.leaders.some((l) => l.id === ctx.user.id)) throw new UserError('只能调整自己的接访安排');
  const from = shanghaiDate(ctx.now);
  if (ctx.incoming.value.kind === 'swap') {
    const mine = s.leaders.map((l) => l.id);
    const level = s.leaders[0]?.level;
    const candidates = (await roster.store.sessions.listSessions({ from, to: addDays(from, 60) })).filter(
      (c) => c.id !== s.id && c.status !== 'held' && !c.leaders.some((l) => mine.includes(l.id)) && c.leaders.some((l) => l.level === level)
        && (level === 'county' || c.venueId === s.venueId),
    );
    return [card(swapFormCard(s, candidates))];
  }
  return [card(moveFormCard(s, addDays(from, 1)))];
}

/** The form submitted: the request filed. */
async function changeSubmitted(roster: RosterService, ctx: Context<IncomingAction>): Promise<Outgoing[]> {
  const id = sessionIdArg(ctx.incoming.value.sessionId);
  const reason = formText(ctx, 'reason') || null;
  if (ctx.incoming.value.kind === 'swap') {
    const other = sessionIdArg(formText(ctx, 'other'), '对调的接访');
    const { description } = await roster.changes.requestSwap(ctx.user, id, other, reason, ctx.now);
    return [text(`已提交对调申请：${description}。管理员批准后生效。`)];
  }
  const dateText = formText(ctx, 'date').slice(0, 10);
  if (!dateText) throw new UserError('请选择新的日期');
  const slot = formText(ctx, 'slot');
  if (slot && !SLOTS.includes(slot as Slot)) throw new UserError('时段应为 上午、下午 或 全天');
  const { description } = await roster.changes.requestMove(ctx.user, id, dateText, (slot || undefined) as Slot | undefined, reason, ctx.now);
  return [text(`已提交改期申请：${description}。管理员批准后生效。`)];
}
