import { addDays, formatChineseDate, IsoDate, weekday } from '../platform/calendar/domain';
import { SLOTS, Slot } from './domain';
import { UserError } from '../platform/errors/user-error';
import type { RosterService } from './roster-service';
import {
  changeRequestCard, moveFormCard, mySessionsCard, planSummaryCard, recordDoneCard, recordFormCard, recordPickCard,
  sessionListCard, swapFormCard,
} from './roster-cards';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, Outgoing, text } from '../platform/chat/messages';

const GROUP = '接访下访';

function mondayOf(d: IsoDate): IsoDate {
  return addDays(d, -((weekday(d) + 6) % 7));
}

function sessionIdArg(s: unknown, what = '接访编号'): number {
  const t = String(s ?? '').trim().replace(/^#|^编号/, '');
  if (!/^\d{1,9}$/.test(t)) throw new UserError(`${what}“${String(s ?? '')}”无效，应为数字（接访卡片上的“编号”）`);
  return Number(t);
}

function formText(ctx: Context<IncomingAction>, name: string): string {
  const v = ctx.incoming.formValue?.[name];
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
}

/** The reception roster in chat: the schedule, a leader's days, changes, approvals and records. */
export function registerRoster(router: Router, roster: RosterService): void {
  const today = (ctx: Context) => roster.today(ctx.now);

  router.command({ names: ['今日接访', '今天接访'], help: '今天的领导接访下访安排', group: GROUP }, async (ctx) => {
    const d = today(ctx);
    const sessions = await roster.sessions({ from: d, to: d, includeCancelled: true });
    return [card(sessionListCard({ provisional: roster.provisionalDate, title: `今日接访：${formatChineseDate(d)}`, sessions, empty: '今天没有领导接访安排。' }))];
  });

  const week = async (ctx: Context, offset: number, title: string): Promise<Outgoing[]> => {
    const from = addDays(mondayOf(today(ctx)), offset * 7);
    const to = addDays(from, 6);
    const sessions = await roster.sessions({ from, to, includeCancelled: true });
    return [card(sessionListCard({ provisional: roster.provisionalDate,
      title, subtitle: `${formatChineseDate(from, false)}—${formatChineseDate(to, false)}`, sessions, empty: '这一周没有领导接访安排。',
      more: '发送“接访安排 乡镇名”可按乡镇查看。',
    }))];
  };
  router.command({ names: ['本周接访'], help: '本周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 0, '本周接访安排'));
  router.command({ names: ['下周接访'], help: '下周的领导接访下访安排', group: GROUP }, (ctx) => week(ctx, 1, '下周接访安排'));

  router.command({ names: ['我的接访'], help: '您近期的接访安排，可申请改期或对调', group: GROUP, roles: ['leader'] }, async (ctx) => {
    const leader = await roster.store.getLeader(ctx.user.id);
    if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
    const sessions = await roster.sessions({ leaderId: leader.id, from: today(ctx), includeCancelled: true, limit: 60 });
    return [card(mySessionsCard(leader.name, sessions))];
  });

  router.command(
    { names: ['接访安排'], help: '按乡镇或领导查看接访安排', group: GROUP, example: '接访安排 阳城镇', glued: true },
    async (ctx) => {
      if (!ctx.args) throw new UserError('请写明乡镇或领导，例如：接访安排 阳城镇，或 接访安排 林启航');
      const m = await roster.findScope(ctx.args);
      if (m.kind === 'none') throw new UserError(`没有找到“${ctx.args}”：请写乡镇名（如 阳城镇）或领导姓名`);
      if (m.kind === 'ambiguous') throw new UserError(`“${ctx.args}”对应多位领导，请写姓名：${m.choices.join('、')}`);
      const from = today(ctx);
      const to = addDays(from, 90);
      if (m.kind === 'town') {
        const sessions = await roster.sessions({ venueIds: m.venueIds, from, to, includeCancelled: true });
        return [card(sessionListCard({ provisional: roster.provisionalDate, title: `${m.town}接访安排`, subtitle: '今后 90 天', sessions, empty: '今后 90 天没有接访安排。' }))];
      }
      const sessions = await roster.sessions({ leaderId: m.leader.id, from, to, includeCancelled: true });
      return [card(sessionListCard({ provisional: roster.provisionalDate,
        title: `${m.leader.name}（${m.leader.title}）接访安排`, subtitle: '今后 90 天', sessions, empty: '今后 90 天没有接访安排。',
      }))];
    },
  );

  router.command(
    {
      names: ['调整接访'], help: '申请改期，或与其他领导对调（经管理员批准）', group: GROUP, roles: ['leader', 'admin'],
      example: '调整接访 12 改到 2026-12-10 上午 参加会议',
    },
    async (ctx) => {
      const a = ctx.args;
      if (!a) {
        if (ctx.user.role !== 'leader') throw new UserError('请写明编号，例如：调整接访 12 改到 2026-12-10，或 调整接访 12 与 34 对调');
        const leader = await roster.store.getLeader(ctx.user.id);
        if (!leader) throw new UserError('您还没有登记为接访领导，请联系信访局管理员。');
        return [card(mySessionsCard(leader.name, await roster.sessions({ leaderId: leader.id, from: today(ctx), limit: 60 })))];
      }
      const move = /^#?(\d+)\s*(?:改到|改为|改期到|调到|改期)\s*(\d{4}-\d{1,2}-\d{1,2})\s*(上午|下午|全天)?\s*(.*)$/.exec(a);
      if (move) {
        const date = move[2].replace(/-(\d)(?=-|$)/g, '-0$1');
        const { description } = await roster.requestMove(ctx.user, Number(move[1]), date, move[3] as Slot | undefined, move[4] || null, ctx.now);
        return [text(`已提交改期申请：${description}。管理员批准后生效，届时会通知您和接访点。`)];
      }
      const swap = /^#?(\d+)\s*(?:与|和|跟)\s*#?(\d+)\s*(?:对调|互换|调换)?\s*(.*)$/.exec(a);
      if (swap) {
        const { description } = await roster.requestSwap(ctx.user, Number(swap[1]), Number(swap[2]), swap[3] || null, ctx.now);
        return [text(`已提交对调申请：${description}。管理员批准后生效，届时会通知双方和接访点。`)];
      }
      throw new UserError('没有看懂。请这样写：调整接访 12 改到 2026-12-10 上午 原因，或 调整接访 12 与 34 对调 原因（编号见接访卡片）');
    },
  );

  router.action('roster.change.form', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const s = await roster.store.getSession(id);
    if (!s) throw new UserError(`没有编号为 ${id} 的接访安排`);
    if (ctx.user.role !== 'admin' && !s.leaders.some((l) => l.id === ctx.user.id)) throw new UserError('只能调整自己的接访安排');
    if (ctx.incoming.value.kind === 'swap') {
      const mine = s.leaders.map((l) => l.id);
      const level = s.leaders[0]?.level;
      const from = today(ctx);
      const candidates = (await roster.sessions({ from, to: addDays(from, 60) })).filter(
        (c) => c.id !== s.id && c.status !== 'held' && !c.leaders.some((l) => mine.includes(l.id)) && c.leaders.some((l) => l.level === level)
          && (level === 'county' || c.venueId === s.venueId),
      );
      return [card(swapFormCard(s, candidates))];
    }
    return [card(moveFormCard(s, addDays(today(ctx), 1)))];
  }, ['leader', 'admin']);

  router.action('roster.change.submit', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const reason = formText(ctx, 'reason') || null;
    if (ctx.incoming.value.kind === 'swap') {
      const other = sessionIdArg(formText(ctx, 'other'), '对调的接访');
      const { description } = await roster.requestSwap(ctx.user, id, other, reason, ctx.now);
      return [text(`已提交对调申请：${description}。管理员批准后生效。`)];
    }
    const dateText = formText(ctx, 'date').slice(0, 10);
    if (!dateText) throw new UserError('请选择新的日期');
    const slot = formText(ctx, 'slot');
    if (slot && !SLOTS.includes(slot as Slot)) throw new UserError('时段应为 上午、下午 或 全天');
    const { description } = await roster.requestMove(ctx.user, id, dateText, (slot || undefined) as Slot | undefined, reason, ctx.now);
    return [text(`已提交改期申请：${description}。管理员批准后生效。`)];
  }, ['leader', 'admin']);

  router.command({ names: ['接访审批'], help: '待审批的接访调整申请', group: GROUP, roles: ['admin'] }, async () => {
    const pending = await roster.pendingRequests();
    if (!pending.length) return [text('没有待审批的接访调整申请。')];
    return pending.slice(0, 10).map((p) => card(changeRequestCard(p.request, p.description, p.problems)));
  });

  const decide = (approve: boolean) => async (ctx: Context<IncomingAction>): Promise<Outgoing[]> => {
    const id = sessionIdArg(ctx.incoming.value.requestId, '申请编号');
    const r = await roster.decide(ctx.user, id, approve, formText(ctx, 'note') || null, ctx.now);
    return [text(r.message)];
  };
  router.action('roster.change.approve', decide(true), ['admin']);
  router.action('roster.change.reject', decide(false), ['admin']);

  router.command(
    { names: ['取消接访'], help: '取消一场接访（保留记录，通知领导和接访点）', group: GROUP, roles: ['admin'], example: '取消接访 12 台风预警' },
    async (ctx) => {
      const m = /^#?(\d+)\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明编号，例如：取消接访 12 台风预警');
      const s = await roster.cancel(ctx.user, Number(m[1]), m[2] || null, ctx.now);
      return [text(`已取消编号 ${s.id} 的接访（${formatChineseDate(s.date)}${s.slot} ${s.venueName}），并通知了相关领导和接访点。`)];
    },
  );

  router.command(
    {
      names: ['接访记录'], help: '记录接访情况：批次、人次（当场登记的信访件自动关联）', group: GROUP,
      roles: ['staff', 'admin', 'leader'], example: '接访记录 12 批次 3 人次 5',
    },
    async (ctx) => {
      if (!ctx.args) return [card(recordPickCard(await roster.recordable(7, ctx.user, ctx.now)))];
      const full = /^#?(\d+)\s*批次\s*(\d+)\s*人次\s*(\d+)\s*(.*)$/.exec(ctx.args);
      if (full) {
        const r = await roster.recordOutcome(ctx.user, Number(full[1]), { batches: full[2], persons: full[3], note: full[4] || null }, ctx.now);
        return [card(recordDoneCard(r.session, r.cases))];
      }
      const only = /^#?(\d+)$/.exec(ctx.args);
      if (!only) throw new UserError('请这样写：接访记录 12 批次 3 人次 5，或只写“接访记录”从列表中选择');
      const s = await roster.store.getSession(Number(only[1]));
      if (!s) throw new UserError(`没有编号为 ${only[1]} 的接访安排`);
      return [card(recordFormCard(s))];
    },
  );

  router.action('roster.record.form', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const s = await roster.store.getSession(id);
    if (!s) throw new UserError(`没有编号为 ${id} 的接访安排`);
    return [card(recordFormCard(s))];
  }, ['staff', 'admin', 'leader']);

  router.action('roster.record.submit', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const r = await roster.recordOutcome(ctx.user, id, {
      batches: formText(ctx, 'batches'), persons: formText(ctx, 'persons'), note: formText(ctx, 'note') || null,
    }, ctx.now);
    return [card(recordDoneCard(r.session, r.cases))];
  }, ['staff', 'admin', 'leader']);

  router.command(
    {
      names: ['生成接访计划'], help: '按规则生成某年的接访下访计划', group: GROUP, roles: ['admin'],
      example: '生成接访计划 2027（加“重新生成”覆盖今后的安排，加“暂排”在没有节假日数据时按周末排）',
    },
    async (ctx) => {
      const m = /^(\d{4})\s*(.*)$/.exec(ctx.args);
      if (!m) throw new UserError('请写明年份，例如：生成接访计划 2027');
      const flags = m[2];
      const r = await roster.generate(Number(m[1]), {
        replace: /重新生成|覆盖/.test(flags), allowProvisional: /暂排|暂定/.test(flags), by: ctx.user.id,
      }, ctx.now);
      return [card(planSummaryCard(r))];
    },
  );
}
