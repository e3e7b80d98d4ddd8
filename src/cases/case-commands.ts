import { CaseAction, CaseCommand } from './domain/case-lifecycle';
import { petitionerUnreachable } from './domain/anonymous-petition';
import { CaseService } from './case-service';
import { CaseListEntry } from './case-records';
import type { Context, Router } from '../platform/chat/router';
import { card, Outgoing, text } from '../platform/chat/messages';
import type { IncomingAction } from '../platform/chat/messages';
import { ACTION_VALUES, buildActionForm, buildCaseListCard, CaseListItem, VIEW_ACTION } from './case-cards';
import { caseCard, transitionReplies } from './case-replies';
import { registerCaseTextCommands } from './case-text-commands';

/** 包案 with no leader to pick: what the person in chat can do (the admin registers leaders). */
export const NO_LEADERS_REPLY = '还没有领导角色的用户，无法指定包案领导。请联系管理员先登记领导。';

/** Actions that take effect on the click; the others first open a form. */
const DIRECT: readonly CaseAction[] = ['accept', 'unitAccept'];

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Reads a submitted form into the command; what is missing or wrong is refused by the lifecycle. */
function commandFrom(action: CaseAction, f: Record<string, unknown>): CaseCommand {
  switch (action) {
    case 'reject':
    case 'unitReject':
    case 'unitReturn':
      return { action, reason: str(f.reason) };
    case 'transfer':
      return { action, organ: str(f.organ) };
    case 'assign':
      return { action, unit: str(f.unit) };
    case 'extend': {
      const raw = str(f.days).trim();
      return { action, days: /^\d{1,3}$/.test(raw) ? Number(raw) : NaN, reason: str(f.reason) };
    }
    case 'conclude':
    case 'answerReview':
    case 'answerRecheck':
      return { action, summary: str(f.summary) };
    case 'own':
      return { action, leaderId: str(f.leaderId) };
    case 'supervise':
    case 'requestReview':
    case 'requestRecheck':
      return { action, note: str(f.note) };
    case 'progress':
      return { action, note: str(f.note) };
    case 'accept':
    case 'unitAccept':
      return { action };
  }
}

function listItem(e: CaseListEntry): CaseListItem {
  const r = e.record;
  return {
    caseNo: r.caseNo, statusLabel: r.statusLabel, name: r.name, town: r.town, category: r.category,
    isGroup: r.isGroup, headcount: r.headcount, supervised: r.supervised, leaderName: e.leaderName, next: e.next,
  };
}

/** 查询, 我的待办, 逾期, every button on a case card, and the case actions typed as words. */
export function registerCaseCommands(router: Router, cases: CaseService): void {
  router.command(
    { names: ['查询', '查案', '查件'], help: '按编号、姓名或身份证后四位查询案件', group: '案件', glued: true, example: '查询 2026-000123' },
    async (ctx) => {
      const found = await cases.search(ctx.user, ctx.args);
      if (!found.length) return [text(`没有找到与“${ctx.args.slice(0, 64)}”相符、您可查看的案件。可按案件编号（如 2026-000123）、信访人姓名或身份证后四位查询。`)];
      if (found.length === 1) {
        const v = await cases.view(found[0].record.caseNo, ctx.user);
        return [await caseCard(cases, v, ctx)];
      }
      return [
        card(buildCaseListCard({
          title: `查询“${ctx.args.slice(0, 20)}”`,
          items: found.map(listItem),
          empty: '',
          hint: '点“查看”打开案件卡片。',
        })),
      ];
    },
  );

  router.command({ names: ['我的待办'], help: '等待您或您单位办理的案件', group: '案件' }, async (ctx) => {
    const list = await cases.todo(ctx.user);
    const who = ctx.user.role === 'unit' ? `${ctx.user.unit ?? ''}` : ctx.user.role === 'leader' ? '您包案及分管乡镇' : '信访局';
    return [
      card(buildCaseListCard({
        title: `我的待办（${list.length} 件）`,
        items: list.map(listItem),
        empty: `${who}目前没有待办案件。`,
        hint: '按最近的期限排序。',
      })),
    ];
  });

  router.command({ names: ['逾期', '逾期案件'], help: '已逾期和 3 个工作日内到期的案件', group: '案件' }, async (ctx) => {
    const r = await cases.overdue(ctx.user, 3);
    if (!r.overdue.length && !r.dueSoon.length) return [text('没有逾期或 3 个工作日内到期的案件。')];
    const out: Outgoing[] = [];
    if (r.overdue.length) {
      out.push(card(buildCaseListCard({ title: `已逾期（${r.overdue.length} 件）`, items: r.overdue.map(listItem), empty: '' })));
    }
    if (r.dueSoon.length) {
      out.push(card(buildCaseListCard({ title: `3 个工作日内到期（${r.dueSoon.length} 件）`, items: r.dueSoon.map(listItem), empty: '' })));
    }
    return out;
  });

  router.action(VIEW_ACTION, async (ctx) => {
    const v = await cases.view(str(ctx.incoming.value.caseNo), ctx.user);
    return [await caseCard(cases, v, ctx)];
  });

  for (const [action, value] of Object.entries(ACTION_VALUES) as Array<[CaseAction, string]>) {
    router.action(value, (ctx) => onCaseAction(ctx, action, cases));
  }
  registerCaseTextCommands(router, cases);
}

async function onCaseAction(ctx: Context<IncomingAction>, action: CaseAction, cases: CaseService): Promise<Outgoing[]> {
  const caseNo = str(ctx.incoming.value.caseNo);
  const submitted = ctx.incoming.value.submit === true || ctx.incoming.formValue !== undefined;
  if (!DIRECT.includes(action) && !submitted) {
    // Refuse before asking for input the action could never use.
    const record = await cases.precheck(caseNo, action, ctx.user);
    const leaders = action === 'own' ? (await cases.leaders()).map((l) => ({ id: l.id, name: l.name, title: l.title })) : undefined;
    if (action === 'own' && !leaders?.length) return [text(NO_LEADERS_REPLY)];
    const form = buildActionForm(action, caseNo, { units: action === 'assign' ? cases.units() : undefined, leaders, unreachable: petitionerUnreachable(record) });
    if (form) return [card(form)];
  }
  const out = await cases.transition(caseNo, commandFrom(action, ctx.incoming.formValue ?? {}), ctx.user);
  return transitionReplies(ctx, out, cases);
}
