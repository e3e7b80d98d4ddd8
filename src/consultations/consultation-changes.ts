import { randomUUID } from 'node:crypto';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { runTransaction } from '../platform/database/transaction';
import { shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { ForbiddenError, UserError } from '../platform/errors/user-error';
import { MEETING_KIND_LABELS } from './domain/consultation-labels';
import { emptyRequest, parseMeetingText, resolveWhen, type MeetingRequest } from './domain/meeting-request';
import type { Conflict, MeetingView } from './domain/meeting-view';
import type { ConsultationService } from './consultation-service';
import type { MeetingRow } from './consultation-store';
import { leaderConflicts } from './consultation-conflicts';
import { whenText } from './consultation-views';
import { cancelNoticeCard, invitationCard } from './consultation-cards';
import { sendTo } from './consultation-notices';

const PLACE_MAX = 100;
const REASON_MAX = 200;

/**
 * Either moved, or held back because leaders are busy at the new time (nothing changed). `repeat`:
 * the clash card's button pressed again; the meeting as its first press moved it, nothing sent.
 */
export type MoveOutcome =
  | { kind: 'moved'; view: MeetingView; from: string; invited: number; warnings: string[]; repeat?: boolean }
  | { kind: 'conflict'; no: string; conflicts: Conflict[]; when: string; request: MeetingRequest; token: string };

/**
 * 调整会商 (another time, perhaps another place) and 取消会商: only a meeting still to be held,
 * only by its organiser or an admin. Every invitee hears of it; a move asks them again (参加/不参加).
 * The meeting's SEQUENCE rises, so the feeds and the shared Lark calendar follow.
 */
export class ConsultationChanges {
  constructor(private readonly core: Core, private readonly meetings: ConsultationService) {}

  private async open(noArg: string, actor: User, verb: string): Promise<MeetingRow> {
    if (!noArg.trim()) throw new UserError(`请写会商编号，例如：${verb} HS2026-001 ……`);
    const m = await this.meetings.require(noArg);
    if (m.status === 'held') throw new UserError(`会商 ${m.no} 已经召开（已记录会商意见），不能${verb.replace('会商', '')}。`);
    if (m.status === 'cancelled') throw new UserError(`会商 ${m.no} 已经取消。`);
    if (m.organiserId !== actor.id && actor.role !== 'admin') throw new ForbiddenError(`会商 ${m.no} 由其组织人安排，只有组织人或管理员可以${verb.replace('会商', '')}。`);
    return m;
  }

  /** `取消会商 HS2026-001 <原因>`: the reason is required and told to every invitee. */
  async cancel(args: string, actor: User, now: Date): Promise<MeetingView> {
    const [noArg = ''] = args.trim().split(/\s+/);
    const m = await this.open(noArg, actor, '取消会商');
    const reason = args.trim().slice(noArg.length).replace(/^\s*(?:原因|理由)\s*[:：]\s*/, '').trim();
    if (!reason) throw new UserError(`请写明取消原因，例如：取消会商 ${m.no} 主要领导临时有公务`);
    if (reason.length > REASON_MAX) throw new UserError(`取消原因太长，请控制在 ${REASON_MAX} 字以内。`);
    const base = await this.meetings.views.view(m);
    await runTransaction(this.core.db, async (trx) => {
      if (!(await this.meetings.store.cancelMeeting(trx, m.id, now))) throw new UserError(`会商 ${m.no} 刚刚已被更改，请发送“会商详情 ${m.no}”查看。`);
      await this.meetings.store.logEvent(trx, { consultationId: m.id, action: 'cancel', actorId: actor.id, detail: `取消${MEETING_KIND_LABELS[m.kind]}：${reason}` }, now);
      const card = cancelNoticeCard(base, reason);
      for (const i of await this.meetings.store.invitees([m.id], trx)) {
        await sendTo(this.core, trx, { kind: i.kind, id: i.invitee }, card, `consultation:${m.no}:cancel`, now);
      }
    });
    return this.meetings.views.view((await this.meetings.store.byNo(m.no))!);
  }

  /**
   * `调整会商 HS2026-001 12月9日 上午 [地点：…]`: the new time checked like a new meeting's (not in
   * the past; the invited leaders' reception days, leave and other meetings), nothing changed on a
   * clash unless `force`.
   */
  async move(args: string, actor: User, now: Date, force = false): Promise<MoveOutcome> {
    const [noArg = ''] = args.trim().split(/\s+/);
    const m = await this.open(noArg, actor, '调整会商');
    const asked = parseMeetingText(args.trim().slice(noArg.length), () => false);
    return this.moveTo(m, { ...emptyRequest(), dateWord: asked.dateWord, timeWord: asked.timeWord, place: asked.place }, actor, now, force);
  }

  /**
   * The conflict card's button: the request as resolved when it was asked. `token`: the card's, so a
   * second press answers with the meeting as the first one moved it.
   */
  async moveForced(noArg: string, req: MeetingRequest, actor: User, now: Date, token: string | null = null): Promise<MoveOutcome> {
    const done = token ? await this.meetings.store.byRequestToken(token) : null;
    if (done) {
      if (done.organiserId !== actor.id && actor.role !== 'admin') throw new ForbiddenError(`会商 ${done.no} 由其组织人安排，只有组织人或管理员可以调整。`);
      return { kind: 'moved', view: await this.meetings.views.view(done), from: '', invited: 0, warnings: [], repeat: true };
    }
    return this.moveTo(await this.open(noArg, actor, '调整会商'), req, actor, now, true, token);
  }

  private async moveTo(m: MeetingRow, req: MeetingRequest, actor: User, now: Date, force: boolean, token: string | null = null): Promise<MoveOutcome> {
    if (!req.dateWord && !req.timeWord && !req.place) throw new UserError(`请写新的日期和时间，例如：调整会商 ${m.no} 12月9日 上午（可加“地点：……”）`);
    const when = resolveWhen({ ...req, dateWord: req.dateWord ?? m.date, timeWord: req.timeWord ?? `${m.startTime}-${m.endTime}` }, shanghaiDate(now), shanghaiTime(now));
    if ('error' in when) throw new UserError(when.error.replace('会商时间', '新的时间'));
    const place = (req.place ?? m.place).trim();
    if (place.length > PLACE_MAX) throw new UserError(`地点太长，请控制在 ${PLACE_MAX} 字以内。`);
    const to = { date: when.date, slot: when.time.slot, startTime: when.time.start, endTime: when.time.end, place };
    if (to.date === m.date && to.startTime === m.startTime && to.endTime === m.endTime && to.place === m.place) {
      throw new UserError(`会商 ${m.no} 已经是 ${whenText(m)}，在${m.place}，无需调整。`);
    }
    const invitees = await this.meetings.store.invitees([m.id]);
    const leaders = (await this.core.users.list()).filter((u) => invitees.some((i) => i.kind === 'leader' && i.invitee === u.id));
    const conflicts = await leaderConflicts(this.core, this.meetings.store, leaders, when.date, when.time, m.no);
    if (conflicts.length && !force) {
      return { kind: 'conflict', no: m.no, conflicts, when: whenText(to), request: { ...emptyRequest(), dateWord: to.date, timeWord: `${to.startTime}-${to.endTime}`, place }, token: randomUUID() };
    }
    const from = `${whenText(m)}，${m.place}`;
    const warnings = conflicts.map((c) => `${c.leader}：${c.what}（已确认仍按此时间安排）`);
    const base = await this.meetings.views.view({ ...m, ...to });
    const view: MeetingView = { ...base, invitees: base.invitees.map((i) => ({ ...i, replyLabel: '未回复', reason: null })) };
    const invited = await this.meetings.onceFor(token, () => runTransaction(this.core.db, async (trx) => {
      if (token) await this.meetings.store.recordRequestToken(trx, token, 'move', m.id, now);
      if (!(await this.meetings.store.moveMeeting(trx, m.id, to, now))) throw new UserError(`会商 ${m.no} 刚刚已被更改，请发送“会商详情 ${m.no}”查看。`);
      await this.meetings.store.logEvent(trx, {
        consultationId: m.id, action: 'move', actorId: actor.id,
        detail: `由${from}调整为${whenText(to)}，${place}${conflicts.length ? '（时间冲突已确认）' : ''}`, data: { from: { date: m.date, start: m.startTime, place: m.place }, conflicts },
      }, now);
      let n = 0;
      for (const [k, i] of invitees.entries()) {
        n += await sendTo(this.core, trx, { kind: i.kind, id: i.invitee }, invitationCard(view, view.invitees[k], from), `consultation:${m.no}:move`, now);
      }
      return n;
    }));
    if (typeof invited !== 'number') return { kind: 'moved', view: invited.repeat, from: '', invited: 0, warnings: [], repeat: true };
    return { kind: 'moved', view: await this.meetings.views.view((await this.meetings.store.byNo(m.no))!), from, invited, warnings };
  }
}
