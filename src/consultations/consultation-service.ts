import { isCaseNo, LetterCaseQueries } from '../cases';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { runTransaction } from '../platform/database/transaction';
import { nextCounterValue } from '../platform/database/counter-store';
import { shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import { formatMeetingNo, MEETING_KIND_LABELS, MEETING_STATUS_LABELS, parseMeetingNo, REPLY_LABELS, type MeetingKind, type MeetingStatus } from './domain/consultation-labels';
import { resolveWhen, type MeetingRequest } from './domain/meeting-request';
import type { Conflict, MeetingView } from './domain/meeting-view';
import { ConsultationStore, type MeetingRow } from './consultation-store';
import { ConsultationPeople } from './consultation-people';
import { leaderConflicts } from './consultation-conflicts';
import { ConsultationViews, whenText } from './consultation-views';
import { invitationCard } from './consultation-cards';
import { sendTo, tellPerson } from './consultation-notices';

/** Either saved, or held back because leaders are busy then (nothing saved). */
export type ScheduleOutcome =
  | { kind: 'saved'; view: MeetingView; invited: number; warnings: string[] }
  | { kind: 'conflict'; conflicts: Conflict[]; when: string; request: MeetingRequest };

const SUBJECT_MAX = 200;
const PLACE_MAX = 100;

/**
 * 会商 and 联席会议: scheduling (checked against the leaders' reception days and leave), the
 * invitations and their replies. Minutes and tasks are in consultation-minutes.ts.
 */
export class ConsultationService {
  readonly store: ConsultationStore;
  readonly views: ConsultationViews;

  constructor(private readonly core: Core) {
    this.store = new ConsultationStore(core.db);
    this.views = new ConsultationViews(core, this.store);
  }

  /**
   * Checks the request, then either saves it and invites everyone, or (a leader invited has a
   * reception session, a leave or another meeting that half-day, and `force` is not set) saves
   * nothing and says who is busy. Bad input is refused in Chinese, nothing saved.
   */
  async schedule(kind: MeetingKind, req: MeetingRequest, actor: User, now: Date, force = false): Promise<ScheduleOutcome> {
    const today = shanghaiDate(now);
    const when = resolveWhen(req, today, shanghaiTime(now));
    if ('error' in when) throw new UserError(when.error);
    const caseNo = await this.checkCase(req.caseNo);
    const subject = (req.subject ?? '').trim() || (caseNo ? await this.caseSubject(caseNo) : '') || (req.disputeNo ? `矛盾纠纷 ${req.disputeNo}` : '');
    if (!subject) throw new UserError('请写明会商事项：案件编号（如 2026-000123），或“事项：……”。');
    if (subject.length > SUBJECT_MAX) throw new UserError(`会商事项太长（${subject.length} 字），请控制在 ${SUBJECT_MAX} 字以内。`);
    const place = (req.place ?? '').trim();
    if (!place) throw new UserError('请写明会商地点，例如“地点：县信访局三楼会议室”。');
    if (place.length > PLACE_MAX) throw new UserError(`地点太长，请控制在 ${PLACE_MAX} 字以内。`);
    const people = new ConsultationPeople(this.core);
    const leaders = await people.leaders(req.leaders);
    const units = await people.units(req.units);
    if (!leaders.length && !units.length) throw new UserError('请至少邀请一位领导或一个单位参加，例如“领导：李国强 单位：县自然资源局”。');
    const conflicts = await leaderConflicts(this.core, this.store, leaders, when.date, when.time);
    const row = { date: when.date, slot: when.time.slot, startTime: when.time.start, endTime: when.time.end };
    if (conflicts.length && !force) {
      // The button carries the day and time as resolved now, so a click tomorrow means the same day.
      const request = { ...req, dateWord: when.date, timeWord: `${when.time.start}-${when.time.end}` };
      return { kind: 'conflict', conflicts, when: whenText(row), request };
    }
    const label = MEETING_KIND_LABELS[kind];
    const warnings = conflicts.map((c) => `${c.leader}：${c.what}（已确认仍按此时间安排）`);
    const invitees = [...leaders.map((l) => ({ kind: 'leader' as const, invitee: l.id })), ...units.map((u) => ({ kind: 'unit' as const, invitee: u }))];
    // Everything the cards say, read before the transaction (which then reads only through trx).
    const draft: MeetingView = {
      no: '', kindLabel: label, subject: maskPersonalDataInText(subject), caseLine: await this.views.caseLine(caseNo),
      disputeNo: req.disputeNo?.trim() || null, when: whenText(row), date: when.date, place, thirdParties: req.thirdParties,
      statusLabel: MEETING_STATUS_LABELS.scheduled, organiser: await people.label(actor.id),
      invitees: await Promise.all(invitees.map(async (i) => ({ kind: i.kind, label: i.kind === 'leader' ? await people.label(i.invitee) : i.invitee, replyLabel: REPLY_LABELS.pending, reason: null }))),
      minutes: null, tasks: [],
    };
    const saved = await runTransaction(this.core.db, async (trx) => {
      const year = Number(when.date.slice(0, 4));
      const no = formatMeetingNo(year, await nextCounterValue(trx, `consultation:${year}`));
      const id = await this.store.insertMeeting(trx, {
        no, kind, year, subject, caseNo, disputeNo: draft.disputeNo, ...row, place, thirdParties: req.thirdParties, organiserId: actor.id,
      }, now);
      await this.store.insertInvitees(trx, id, invitees);
      await this.store.logEvent(trx, {
        consultationId: id, action: 'schedule', actorId: actor.id, detail: `安排${label} ${whenText(row)} ${place}${conflicts.length ? '（时间冲突已确认）' : ''}`,
        data: { leaders: leaders.map((l) => l.id), units, conflicts },
      }, now);
      const view = { ...draft, no };
      let invited = 0;
      for (const [i, inv] of invitees.entries()) {
        const sent = await sendTo(this.core, trx, { kind: inv.kind, id: inv.invitee }, invitationCard(view, view.invitees[i]), `consultation:${no}:invite`, now);
        if (!sent) warnings.push(`${inv.invitee}没有登记工作群，也没有该单位的用户，邀请无人接收。请用 xinfang chats add --unit 登记该单位的群。`);
        invited += sent;
      }
      return { view, invited };
    });
    return { kind: 'saved', ...saved, warnings };
  }

  private async checkCase(caseNo: string | null): Promise<string | null> {
    const no = caseNo?.trim();
    if (!no) return null;
    if (!isCaseNo(no)) throw new UserError(`案件编号“${no.slice(0, 20)}”格式不对，应为“年份-六位序号”，例如 2026-000123`);
    if (!(await new LetterCaseQueries(this.core.db).caseByNo(no))) throw new NotFoundError(`没有找到案件 ${no}，请核对编号`);
    return no;
  }

  private async caseSubject(caseNo: string): Promise<string> {
    const c = await new LetterCaseQueries(this.core.db).caseByNo(caseNo);
    return c ? `${c.town}${c.category}问题（案件 ${c.caseNo}）` : '';
  }

  async require(noArg: string): Promise<MeetingRow> {
    const no = parseMeetingNo(noArg.split(/\s+/)[0] ?? '');
    if (!no) throw new UserError(`会商编号“${noArg.slice(0, 20)}”格式不对，应为 HS年份-序号，例如 HS2026-001`);
    const m = await this.store.byNo(no);
    if (!m) throw new NotFoundError(`没有找到会商 ${no}，请核对编号`);
    return m;
  }

  /** 参加 / 不参加 from an invitee: a leader for themself, a unit's user for the unit. */
  async reply(noArg: string, answer: 'accepted' | 'declined', reasonArg: string | null, user: User, now: Date): Promise<MeetingView> {
    const m = await this.require(noArg);
    if (m.status !== 'scheduled') throw new UserError(`会商 ${m.no} ${m.status === 'held' ? '已经召开' : '已取消'}，无需再回复。`);
    const reason = reasonArg?.trim() || null;
    if (answer === 'declined' && !reason) throw new UserError('不参加请说明原因。');
    const invitee = (await this.store.invitees([m.id])).find((i) =>
      (i.kind === 'leader' && i.invitee === user.id) || (i.kind === 'unit' && user.role === 'unit' && i.invitee === user.unit));
    if (!invitee) throw new ForbiddenError(`您（或您的单位）不在会商 ${m.no} 的邀请名单中。`);
    const who = invitee.kind === 'unit' ? `${invitee.invitee}（${user.name}）` : user.name;
    await runTransaction(this.core.db, async (trx) => {
      await this.store.setReply(trx, invitee.id, answer, reason, user.id, now);
      await this.store.logEvent(trx, { consultationId: m.id, action: 'reply', actorId: user.id, detail: `${who}：${REPLY_LABELS[answer]}${reason ? `（${reason}）` : ''}` }, now);
      await tellPerson(trx, m.organiserId, `${who}回复${MEETING_KIND_LABELS[m.kind]} ${m.no}（${whenText(m)}）：${REPLY_LABELS[answer]}${reason ? `，原因：${reason}` : ''}`, `consultation:${m.no}:reply`, now);
    });
    return this.views.view((await this.store.byNo(m.no))!);
  }

  async list(f: { from?: string; to?: string; status?: MeetingStatus; leaderId?: string } = {}): Promise<MeetingView[]> {
    return this.views.views(await this.store.list(f));
  }

  /** A meeting's view; a leader or unit sees only the meetings they are invited to. */
  async show(noArg: string, user?: User): Promise<MeetingView> {
    const m = await this.require(noArg);
    if (user && (user.role === 'leader' || user.role === 'unit')) {
      const mine = (await this.store.invitees([m.id])).some((i) => (i.kind === 'leader' && i.invitee === user.id) || (i.kind === 'unit' && i.invitee === user.unit));
      if (!mine) throw new ForbiddenError(`您（或您的单位）不在会商 ${m.no} 的邀请名单中。`);
    }
    return this.views.view(m);
  }
}
