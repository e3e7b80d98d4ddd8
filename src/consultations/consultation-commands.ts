import { isCaseNo } from '../cases';
import type { Router } from '../platform/chat/router';
import { card, text, type Outgoing } from '../platform/chat/messages';
import { addDays, shanghaiDate } from '../platform/calendar/domain/dates';
import { UserError } from '../platform/errors/user-error';
import { MEETING_KIND_LABELS, MEETING_KINDS, type MeetingKind } from './domain/consultation-labels';
import { emptyRequest, parseMeetingText, splitNames, type MeetingRequest } from './domain/meeting-request';
import { requestToken, type ConsultationService, type ScheduleOutcome } from './consultation-service';
import type { ConsultationMinutes } from './consultation-minutes';
import type { ConsultationChanges, MoveOutcome } from './consultation-changes';
import { ACTIONS, conflictCard, declineCard, meetingCard, meetingListCard, scheduleFormCard } from './consultation-cards';

const ORGANISERS = ['staff', 'admin'] as const;
const WORD: Record<MeetingKind, string> = { consultation: '会商', joint: '联席会议' };

function answer(o: ScheduleOutcome, kind: MeetingKind): Outgoing[] {
  if (o.kind === 'conflict') return [card(conflictCard(MEETING_KIND_LABELS[kind], o.when, o.conflicts, o.request, kind, undefined, o.token))];
  if (o.repeat) return [card(meetingCard(o.view, `已安排${o.view.kindLabel} ${o.view.no}（这个按钮已经点过，没有重复安排，也没有再发邀请）。`))];
  const note = `已安排${o.view.kindLabel} ${o.view.no}，已向参会领导和单位发出邀请 ${o.invited} 条；回复情况发送“会商详情 ${o.view.no}”查看。`;
  return [card(meetingCard(o.view, note)), ...(o.warnings.length ? [text(`⚠️ ${o.warnings.join('\n⚠️ ')}`)] : [])];
}

function moved(o: MoveOutcome): Outgoing[] {
  if (o.kind === 'conflict') return [card(conflictCard('调整', o.when, o.conflicts, o.request, 'consultation', { no: o.no }, o.token))];
  if (o.repeat) return [card(meetingCard(o.view, `已调整${o.view.kindLabel} ${o.view.no}，现为${o.view.when}，${o.view.place}（这个按钮已经点过，没有重复通知）。`))];
  const note = `已将${o.view.kindLabel} ${o.view.no} 由${o.from}调整为${o.view.when}，${o.view.place}；已重新通知参会领导和单位 ${o.invited} 条，请等待回复。`;
  return [card(meetingCard(o.view, note)), ...(o.warnings.length ? [text(`⚠️ ${o.warnings.join('\n⚠️ ')}`)] : [])];
}

/** The card form's fields as a request; the value is never trusted, so it is checked like typed words. */
function requestOf(v: unknown): MeetingRequest {
  const f = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof f[k] === 'string' && (f[k] as string).trim() ? (f[k] as string).trim() : null);
  const list = (k: string) => (Array.isArray(f[k]) ? (f[k] as unknown[]).map(String) : splitNames(s(k) ?? ''));
  // A date picker answers “2026-12-08 +0800”.
  const date = s('dateWord');
  return {
    ...emptyRequest(),
    caseNo: s('caseNo'), disputeNo: s('disputeNo'), subject: s('subject'), dateWord: date ? date.slice(0, 10).trim() : null,
    timeWord: s('timeWord'), place: s('place'), leaders: list('leaders'), units: list('units'), thirdParties: list('thirdParties'),
  };
}

function kindOf(v: unknown): MeetingKind {
  return (MEETING_KINDS as readonly string[]).includes(String(v)) ? (v as MeetingKind) : 'consultation';
}

/** 会商, 联席会议, 会商纪要, 会商列表, 会商详情, and the buttons of their cards. */
export function registerConsultationCommands(router: Router, service: ConsultationService, minutes: ConsultationMinutes, changes: ConsultationChanges): void {
  registerChangeCommands(router, changes);
  for (const kind of MEETING_KINDS) {
    const word = WORD[kind];
    router.command(
      {
        names: [word], roles: [...ORGANISERS], group: '会商', help: `安排${MEETING_KIND_LABELS[kind]}：日期、时间、地点、参会领导和单位（不带内容则打开表单）`,
        example: `${word} 2026-000123 12月8日 下午 地点：县信访局三楼会议室 领导：李国强 单位：县自然资源局`,
      },
      async (ctx) => {
        if (!ctx.args) return [card(scheduleFormCard(kind, MEETING_KIND_LABELS[kind]))];
        return answer(await service.schedule(kind, parseMeetingText(ctx.args, isCaseNo), ctx.user, ctx.now), kind);
      },
    );
  }
  router.action(ACTIONS.submit, async (ctx) => answer(await service.schedule(kindOf(ctx.incoming.value.kind), requestOf(ctx.incoming.formValue), ctx.user, ctx.now), kindOf(ctx.incoming.value.kind)), [...ORGANISERS]);
  router.action(ACTIONS.force, async (ctx) => answer(await service.schedule(kindOf(ctx.incoming.value.kind), requestOf(ctx.incoming.value.request), ctx.user, ctx.now, true, requestToken(ctx.incoming.value.token)), kindOf(ctx.incoming.value.kind)), [...ORGANISERS]);

  router.command(
    {
      names: ['会商纪要', '会商意见'], roles: [...ORGANISERS], group: '会商', help: '会后记录会商意见和跟进任务（责任单位或责任人、完成日期、内容）',
      example: '会商纪要 HS2026-001 意见：由县自然资源局牵头复核 任务：县自然资源局 12月20日 完成测量',
    },
    async (ctx) => {
      const r = await minutes.record(ctx.args, ctx.user, ctx.now);
      return [card(meetingCard(r.view, `已记录会商意见，跟进任务 ${r.tasks} 项已发给各责任单位或责任人。`))];
    },
  );

  router.command(
    { names: ['会商列表', '会商台账'], roles: ['staff', 'admin', 'leader'], group: '会商', help: '近 30 天和今后的会商、联席会议' },
    async (ctx) => {
      const from = addDays(shanghaiDate(ctx.now), -30);
      const list = await service.list({ from, leaderId: ctx.user.role === 'leader' ? ctx.user.id : undefined });
      return [card(meetingListCard(ctx.user.role === 'leader' ? '我的会商' : '会商安排', list))];
    },
  );

  router.command(
    { names: ['会商详情'], roles: ['staff', 'admin', 'leader', 'unit'], group: '会商', help: '一次会商的参会回复、会商意见和任务', example: '会商详情 HS2026-001' },
    async (ctx) => {
      if (!ctx.args) throw new UserError('请写会商编号，例如：会商详情 HS2026-001');
      return [card(meetingCard(await service.show(ctx.args, ctx.user)))];
    },
  );

  const no = (v: Record<string, unknown>) => String(v.no ?? '');
  router.action(ACTIONS.accept, async (ctx) => {
    const v = await service.reply(no(ctx.incoming.value), 'accepted', null, ctx.user, ctx.now);
    if (v.already) return [text(`您已回复过：参加${v.kindLabel} ${v.no}（${v.when}，${v.place}），无需重复回复。`)];
    return [text(`已回复：参加${v.kindLabel} ${v.no}（${v.when}，${v.place}）。`)];
  }, ['leader', 'unit']);
  router.action(ACTIONS.declineForm, async (ctx) => [card(declineCard(await service.show(no(ctx.incoming.value), ctx.user)))], ['leader', 'unit']);
  router.action(ACTIONS.decline, async (ctx) => {
    const reason = String(ctx.incoming.formValue?.reason ?? '');
    const v = await service.reply(no(ctx.incoming.value), 'declined', reason, ctx.user, ctx.now);
    if (v.already) return [text(`您已回复过：不参加${v.kindLabel} ${v.no}，无需重复回复。`)];
    return [text(`已回复：不参加${v.kindLabel} ${v.no}，原因已告知组织人。`)];
  }, ['leader', 'unit']);
  router.action(ACTIONS.taskDone, async (ctx) => [text(await minutes.done(Number(ctx.incoming.value.taskId), ctx.user, ctx.now))]);
}

/** 调整会商 and 取消会商, and the conflict card's button of a move. */
function registerChangeCommands(router: Router, changes: ConsultationChanges): void {
  router.command(
    {
      names: ['调整会商', '会商改期'], roles: [...ORGANISERS], group: '会商', help: '改变会商、联席会议的时间或地点（重新通知参会人）',
      example: '调整会商 HS2026-001 12月9日 上午 地点：县信访局二楼会议室',
    },
    async (ctx) => moved(await changes.move(ctx.args, ctx.user, ctx.now)),
  );
  router.action(ACTIONS.moveForce, async (ctx) => moved(await changes.moveForced(String(ctx.incoming.value.no ?? ''), requestOf(ctx.incoming.value.request), ctx.user, ctx.now, requestToken(ctx.incoming.value.token))), [...ORGANISERS]);
  router.command(
    { names: ['取消会商'], roles: [...ORGANISERS], group: '会商', help: '取消尚未召开的会商、联席会议（须写原因，通知参会人）', example: '取消会商 HS2026-001 主要领导临时有公务' },
    async (ctx) => {
      const v = await changes.cancel(ctx.args, ctx.user, ctx.now);
      return [card(meetingCard(v, `已取消${v.kindLabel} ${v.no}，已通知参会领导和单位。`))];
    },
  );
}
