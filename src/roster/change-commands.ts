import { addDays, formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, IncomingMessage, Outgoing, text } from '../platform/chat/messages';
import { SLOTS, Slot } from './domain';
import { parseChangeWords } from './domain/change-words';
import { CHANGE_STATUS_LABELS, changeRequestCard, moveFormCard, mySessionsCard, swapFormCard } from './roster-cards';
import { cancelConfirmCard, cancelReasonCard, rejectReasonCard } from './change-cards';
import type { RosterService } from './roster-service';
import { formText, GROUP, sessionIdArg } from './command-args';

const EXAMPLES = '调整接访 12 改到 明天 上午 原因，调整接访 12 换成 黎嘉禾，或 调整接访 12 与 34 对调 原因（编号见接访卡片）';

/**
 * 调整接访 (the admin changes a day at once; a leader or a clerk asks the admin), 接访审批 (the admin
 * decides; a rejection asks its reason), 取消接访 (a reason and a confirmation), 恢复接访.
 */
export function registerChangeCommands(router: Router, roster: RosterService): void {
  router.command(
    {
      names: ['调整接访'], help: '改期或换人（管理员直接调整；领导、登记员提交申请，经管理员批准）', group: GROUP, roles: ['leader', 'staff', 'admin'],
      example: '调整接访 12 改到 下周三 上午 参加会议',
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

  router.action('roster.change.approve', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.requestId, '申请编号');
    return [text((await roster.changes.decide(ctx.user, id, true, formText(ctx, 'note') || null, ctx.now)).message)];
  }, ['admin']);
  router.action('roster.change.reject', (ctx) => rejected(roster, ctx), ['admin']);

  router.command(
    { names: ['取消接访'], help: '取消一场接访（写明原因并确认；接访日前可恢复）', group: GROUP, roles: ['admin'], example: '取消接访 12 台风预警' },
    async (ctx) => {
      const m = /^(?:#|编号)?(\d+)\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明编号和原因，例如：取消接访 12 台风预警');
      const s = await roster.changes.cancels.cancellable(ctx.user, Number(m[1]), ctx.now);
      const reason = m[2].trim();
      return [card(reason ? cancelConfirmCard(s, reason.slice(0, 200)) : cancelReasonCard(s))];
    },
  );
  router.action('roster.cancel.confirm', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const reason = formText(ctx, 'reason') || String(ctx.incoming.value.reason ?? '').trim();
    if (!reason) {
      const s = await roster.changes.cancels.cancellable(ctx.user, id, ctx.now);
      return [card(cancelReasonCard(s, '请写明取消原因，这场接访还没有取消。'))];
    }
    const s = await roster.changes.cancel(ctx.user, id, reason, ctx.now);
    // 恢复接访 is for days still to come: a day cancelled on the day itself cannot be restored, so no hint.
    const restore = s.date > shanghaiDate(ctx.now) ? `；接访日前可发送“恢复接访 ${s.id}”恢复` : '';
    return [text(`已取消编号 ${s.id} 的接访（${formatChineseDate(s.date)}${s.slot} ${s.venueName}），原因：${reason}。已通知相关领导和接访点${restore}。`)];
  }, ['admin']);
  router.action('roster.cancel.keep', async (ctx) => [text(`好的，编号 ${sessionIdArg(ctx.incoming.value.sessionId)} 的接访不取消，照常进行。`)], ['admin']);

  router.command(
    { names: ['恢复接访'], help: '恢复一场已取消、尚未到来的接访（重新检查冲突，通知相关领导和接访点）', group: GROUP, roles: ['admin'], example: '恢复接访 12' },
    async (ctx) => {
      const m = /^(?:#|编号)?(\d+)\s*$/.exec(ctx.args);
      if (!m) throw new UserError('请写明要恢复的接访编号，例如：恢复接访 12');
      const { session: s, told } = await roster.changes.cancels.restore(ctx.user, Number(m[1]), ctx.now);
      return [text(`已恢复编号 ${s.id} 的接访：${formatChineseDate(s.date)}${s.slot} ${s.startTime}—${s.endTime} ${s.venueName}，${s.leaders.map((l) => l.name).join('、')}。已通知 ${told} 处（相关领导和接访点）。`)];
    },
  );
}

/** 驳回: without a reason, the form asking it (nothing changes); with one, the request is closed and the requester told. */
async function rejected(roster: RosterService, ctx: Context<IncomingAction>): Promise<Outgoing[]> {
  const id = sessionIdArg(ctx.incoming.value.requestId, '申请编号');
  const note = formText(ctx, 'note');
  if (!note) {
    const r = await roster.store.changes.getChangeRequest(id);
    if (!r) throw new UserError(`没有编号为 ${id} 的调整申请`);
    if (r.status !== 'pending') throw new UserError(`该申请${CHANGE_STATUS_LABELS[r.status]}，无需重复处理`);
    const pending = (await roster.changes.pendingRequests()).find((p) => p.request.id === id);
    const asked = ctx.incoming.formValue !== undefined && ctx.incoming.formValue !== null;
    return [card(rejectReasonCard(id, pending?.description ?? `申请编号 ${id}`, asked ? '请写明驳回理由，申请还没有驳回。' : undefined))];
  }
  return [text((await roster.changes.decide(ctx.user, id, false, note, ctx.now)).message)];
}

/** 调整接访 <编号> 改到 … / 换成 … / 与 … 对调; alone, a leader's days with their buttons. */
async function changeByText(roster: RosterService, ctx: Context<IncomingMessage>): Promise<Outgoing[]> {
  const a = ctx.args;
  const today = shanghaiDate(ctx.now);
  if (!a) {
    if (ctx.user.role !== 'leader') throw new UserError(`请写明编号，例如：${EXAMPLES}`);
    const leader = await roster.store.leaders.getLeader(ctx.user.id);
    if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
    return [card(mySessionsCard(leader.name, await roster.store.sessions.listSessions({ leaderId: leader.id, from: today, limit: 60 }), roster.provisionalDate))];
  }
  const w = parseChangeWords(a, today);
  if (typeof w === 'string') throw new UserError(w);
  if (!w) throw new UserError(`没有看懂。请这样写：${EXAMPLES}`);
  const admin = ctx.user.role === 'admin';
  if (w.kind === 'move') {
    if (admin) {
      const { lines } = await roster.changes.moves.move(ctx.user, w.sessionId, w.date, w.slot, w.reason, ctx.now);
      return [text(`已调整，并通知了相关领导和接访点：\n${lines.join('\n')}`)];
    }
    const { description } = await roster.changes.requestMove(ctx.user, w.sessionId, w.date, w.slot, w.reason, ctx.now);
    return [text(`已提交改期申请：${description}。管理员批准后生效，届时会通知您和接访点。`)];
  }
  if (w.kind === 'reassign') {
    if (admin) {
      const { lines } = await roster.changes.moves.reassign(ctx.user, w.sessionId, w.fromName, w.toName, w.reason, ctx.now);
      return [text(`已调整，并通知了原领导、新领导和接访点：\n${lines.join('\n')}`)];
    }
    const { description } = await roster.changes.requestReassign(ctx.user, w.sessionId, w.fromName, w.toName, w.reason, ctx.now);
    return [text(`已提交换人申请：${description}。管理员批准后生效，届时会通知双方和接访点。`)];
  }
  const { description } = await roster.changes.requestSwap(ctx.user, w.sessionId, w.otherId, w.reason, ctx.now);
  return [text(`已提交对调申请：${description}。管理员批准后生效，届时会通知双方和接访点。`)];
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
