import type { Context, Middleware, Router } from '../platform/chat/router';
import { card, IncomingAction, Outgoing, text } from '../platform/chat/messages';
import { UserError } from '../platform/errors/user-error';
import type { User } from '../platform/directory/user-store';
import type { FormRunner } from '../platform/forms/form-runner';
import { daysBetween } from '../platform/calendar/domain/dates';
import { DISPUTE_START_WORDS } from './domain/dispute-block';
import { parseLedgerArgs } from './domain/ledger-args';
import { DISPUTE_STATUS_LABELS, escalateError, resolveError } from './domain/dispute-rules';
import { actorOf, DisputeService } from './dispute-service';
import { DISPUTE_ACTIONS, disputeCard, ledgerCard, resolveFormCard } from './dispute-cards';
import { DISPUTE_FORM } from './dispute-form';
import type { DisputeRecord } from './dispute-store';

const ALL_ROLES = ['staff', 'admin', 'unit', 'leader'] as const;

function timeLeft(d: DisputeRecord, today: string): string | undefined {
  if (d.status !== 'open') return undefined;
  const days = daysBetween(today, d.targetDate);
  return days > 0 ? `剩余 ${days} 天` : days === 0 ? '今天到期' : `已超期 ${-days} 天`;
}

/** The dispute card for this reader: names whole only in a private chat; the buttons they may use. */
function detail(service: DisputeService, d: DisputeRecord, user: User, p2p: boolean, withEvents = true): Promise<Outgoing> {
  const actor = actorOf(user);
  return (withEvents ? service.events(d) : Promise.resolve([])).then((events) =>
    card(disputeCard(d, {
      reveal: p2p, events, timeLeft: timeLeft(d, service.today()),
      canResolve: resolveError(actor, d) === null, canEscalate: escalateError(actor) === null,
    })),
  );
}

/**
 * The form's own cards (选项, 确认, 修改, 取消) carry action form.* like the petition's, which the
 * intake registered: clicks on the dispute form's cards are taken here, before the router's
 * dispatch; messages go to the dispute form's runner.
 */
function formMiddleware(router: Router, runner: FormRunner): Middleware {
  const messages = runner.middleware(router);
  return (ctx, next) => {
    const inc = ctx.incoming;
    if (inc.kind === 'action') {
      const action = typeof inc.value?.action === 'string' ? inc.value.action : '';
      if (action.startsWith('form.') && inc.value.form === DISPUTE_FORM) return runner.action(ctx as Context<IncomingAction>, action.slice(5));
      return next();
    }
    return messages(ctx, next);
  };
}

/** 排查登记, 排查台账, 销号 and the dispute card's buttons. */
export function registerDisputeCommands(router: Router, runner: FormRunner, service: DisputeService): void {
  router.use(formMiddleware(router, runner));

  router.command(
    {
      names: DISPUTE_START_WORDS,
      help: '矛盾纠纷排查登记：逐项回答，或在“排查登记”后粘贴“字段：值”多行',
      roles: ['staff', 'admin'],
      group: '矛盾纠纷',
      example: '排查登记',
    },
    (ctx) => runner.start(ctx, DISPUTE_FORM, ctx.args),
  );

  router.command(
    {
      names: ['排查台账', '纠纷台账'],
      help: '矛盾纠纷排查化解台账：可加乡镇、在办/已化解/已转信访、责任单位、编号、第N页',
      roles: [...ALL_ROLES],
      group: '矛盾纠纷',
      example: '排查台账 在办',
    },
    async (ctx) => {
      const a = parseLedgerArgs(ctx.args, service.lists());
      if (a.error) throw new UserError(a.error);
      const p2p = ctx.incoming.chatType === 'p2p';
      if (a.no) return [await detail(service, await service.get(a.no, ctx.user), ctx.user, p2p)];
      const entries = await service.list({ status: a.status, town: a.town, unit: a.unit }, ctx.user);
      const scope = [a.town, a.unit, a.status ? DISPUTE_STATUS_LABELS[a.status] : null].filter(Boolean).join(' · ') || '全部';
      const again = ['排查台账', a.town, a.unit, a.statusWord].filter(Boolean).join(' ');
      return [card(ledgerCard({ scope, entries, page: a.page, again, today: service.today() }))];
    },
  );

  router.command(
    {
      names: ['销号'],
      help: '矛盾纠纷销号：销号 编号 化解情况（化解情况必填）',
      roles: ['staff', 'admin', 'unit'],
      group: '矛盾纠纷',
      example: '销号 排2026-0001 双方达成调解协议，已履行',
    },
    async (ctx) => {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(ctx.args.trim());
      if (!m) throw new UserError('请写明编号和化解情况，如：销号 排2026-0001 双方达成调解协议，已履行完毕');
      const d = await service.resolve(m[1], m[2], ctx.user);
      return [text(`${d.no} 已销号（已化解）。`), await detail(service, d, ctx.user, ctx.incoming.chatType === 'p2p', false)];
    },
  );

  const noOf = (ctx: Context<IncomingAction>) => String(ctx.incoming.value.no ?? '');
  router.action(DISPUTE_ACTIONS.view, async (ctx) => [
    await detail(service, await service.get(noOf(ctx), ctx.user), ctx.user, ctx.incoming.chatType === 'p2p'),
  ]);
  router.action(DISPUTE_ACTIONS.resolveForm, async (ctx) => {
    const d = await service.get(noOf(ctx), ctx.user);
    const denied = resolveError(actorOf(ctx.user), d);
    if (denied) throw new UserError(denied);
    if (d.status !== 'open') return [text(`${d.no} 已${DISPUTE_STATUS_LABELS[d.status]}，无需销号。`)];
    return [card(resolveFormCard(d))];
  });
  router.action(DISPUTE_ACTIONS.resolve, async (ctx) => {
    const resolution = String(ctx.incoming.formValue?.resolution ?? '');
    const d = await service.resolve(noOf(ctx), resolution, ctx.user);
    return [text(`${d.no} 已销号（已化解）。`), await detail(service, d, ctx.user, ctx.incoming.chatType === 'p2p', false)];
  });
  router.action(DISPUTE_ACTIONS.escalate, async (ctx) => {
    const { dispute, caseNo } = await service.escalate(noOf(ctx), ctx.user);
    return [
      text(`${dispute.no} 未化解，已登记为信访事项 ${caseNo}，请按信访程序受理、交办。发送“查询 ${caseNo}”查看。`),
      await detail(service, dispute, ctx.user, ctx.incoming.chatType === 'p2p', false),
    ];
  });
}
