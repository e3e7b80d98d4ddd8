import { UserError } from '../platform/errors/user-error';
import type { Router } from '../platform/chat/router';
import { card } from '../platform/chat/messages';
import { recordDoneCard, recordFormCard, recordPickCard } from './roster-cards';
import type { RosterService } from './roster-service';
import { formText, GROUP, sessionIdArg } from './command-args';
import { splitDayWord } from './day-args';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain';

/** 接访记录: after a session, its batches and people received (the cases registered there are linked by themselves). */
export function registerRecordCommands(router: Router, roster: RosterService): void {
  router.command(
    {
      names: ['接访记录'], help: '记录接访情况：批次、人次（当场登记的信访件自动关联）', group: GROUP,
      roles: ['staff', 'admin', 'leader'], example: '接访记录 12 批次 3 人次 5；接访记录 12月3日',
    },
    async (ctx) => {
      if (!ctx.args) return [card(recordPickCard(await roster.records.recordable(7, ctx.user, ctx.now)))];
      // Full-width digits (批次 ３ 人次 ５) read as typed by hand.
      const args = ctx.args.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
      const full = /^#?(\d+)\s*批次\s*(\d+)\s*人次\s*(\d+)\s*(.*)$/.exec(args);
      if (full) {
        const r = await roster.records.recordOutcome(ctx.user, Number(full[1]), { batches: full[2], persons: full[3], note: full[4] || null }, ctx.now);
        return [card(recordDoneCard(r.session, r.cases))];
      }
      const only = /^#?(\d+)$/.exec(args);
      if (!only) {
        const { scope, date } = splitDayWord(ctx.args, shanghaiDate(ctx.now));
        if (!date || scope) throw new UserError('请这样写：接访记录 12 批次 3 人次 5，或“接访记录 12月3日”按日期选择，或只写“接访记录”从最近 7 天中选择');
        const list = await roster.records.recordableOn(date, ctx.user, ctx.now);
        return [card(recordPickCard(list, { empty: `${formatChineseDate(date)}没有您可记录的接访。` }))];
      }
      const s = await roster.store.sessions.getSession(Number(only[1]));
      if (!s) throw new UserError(`没有编号为 ${only[1]} 的接访安排`);
      return [card(recordFormCard(s))];
    },
  );

  router.action('roster.record.form', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const s = await roster.store.sessions.getSession(id);
    if (!s) throw new UserError(`没有编号为 ${id} 的接访安排`);
    return [card(recordFormCard(s))];
  }, ['staff', 'admin', 'leader']);

  router.action('roster.record.submit', async (ctx) => {
    const id = sessionIdArg(ctx.incoming.value.sessionId);
    const r = await roster.records.recordOutcome(ctx.user, id, {
      batches: formText(ctx, 'batches'), persons: formText(ctx, 'persons'), note: formText(ctx, 'note') || null,
    }, ctx.now);
    return [card(recordDoneCard(r.session, r.cases))];
  }, ['staff', 'admin', 'leader']);
}
