import { isCaseNo, LetterCaseQueries } from '../cases';
import { DisputeService } from '../disputes';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { runTransaction } from '../platform/database/transaction';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { nextCounterValue } from '../platform/database/counter-store';
import { shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import { formatMeetingNo, MEETING_KIND_LABELS, MEETING_STATUS_LABELS, parseMeetingNo, REPLY_LABELS, type MeetingKind, type MeetingStatus } from './domain/consultation-labels';
import { likelyCaseNo, resolveWhen, type MeetingRequest } from './domain/meeting-request';
import type { Conflict, MeetingView } from './domain/meeting-view';
import { ConsultationStore, type MeetingRow } from './consultation-store';
import { ConsultationPeople } from './consultation-people';
import { leaderConflicts } from './consultation-conflicts';
import { ConsultationViews, whenText } from './consultation-views';
import { invitationCard } from './consultation-cards';
import { sendTo, tellPerson } from './consultation-notices';

/**
 * Either saved, or held back because leaders are busy then (nothing saved). `repeat`: the clash
 * card's button pressed again: the meeting its first press scheduled, nothing new saved or sent.
 */
export type ScheduleOutcome =
  | { kind: 'saved'; view: MeetingView; invited: number; warnings: string[]; repeat?: boolean }
  | { kind: 'conflict'; conflicts: Conflict[]; when: string; request: MeetingRequest; token: string };

/** A clash card's token as the button brings it back (untrusted): usable or null. */
export function requestToken(v: unknown): string | null {
  return typeof v === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(v) ? v : null;
}

const SUBJECT_MAX = 200;
const PLACE_MAX = 100;
const REASON_MAX = 200;
const THIRD_PARTIES_MAX = 10;
const THIRD_PARTY_CHARS = 30;

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
   * nothing and says who is busy. Bad input is refused in Chinese, nothing saved. `token`: the clash
   * card's, so pressing its button again (or twice at once) answers with the meeting already made.
   */
  async schedule(kind: MeetingKind, req: MeetingRequest, actor: User, now: Date, force = false, token: string | null = null): Promise<ScheduleOutcome> {
    if (token) {
      const done = await this.store.byRequestToken(token);
      if (done) return { kind: 'saved', view: await this.views.view(done), invited: 0, warnings: [], repeat: true };
    }
    const today = shanghaiDate(now);
    const when = resolveWhen(req, today, shanghaiTime(now));
    if ('error' in when) throw new UserError(when.error);
    if (req.unknownNo) throw new NotFoundError(await this.noSuchCase(req.unknownNo));
    const caseNo = await this.checkCase(req.caseNo);
    const disputeNo = await this.checkDispute(req.disputeNo, actor);
    const subject = (req.subject ?? '').trim() || (caseNo ? await this.caseSubject(caseNo) : '') || (disputeNo ? `矛盾纠纷 ${disputeNo}` : '');
    if (!subject) throw new UserError('请写明会商事项：案件编号（如 2026-000123），或“事项：……”。');
    if (subject.length > SUBJECT_MAX) throw new UserError(`会商事项太长（${subject.length} 字），请控制在 ${SUBJECT_MAX} 字以内。`);
    const place = (req.place ?? '').trim();
    if (!place) throw new UserError('请写明会商地点，例如“地点：县信访局三楼会议室”。');
    if (place.length > PLACE_MAX) throw new UserError(`地点太长，请控制在 ${PLACE_MAX} 字以内。`);
    if (req.thirdParties.length > THIRD_PARTIES_MAX || req.thirdParties.some((t) => t.length > THIRD_PARTY_CHARS)) {
      throw new UserError(`第三方力量最多写 ${THIRD_PARTIES_MAX} 项，每项不超过 ${THIRD_PARTY_CHARS} 字，例如“第三方：律师、心理咨询师”。`);
    }
    const people = new ConsultationPeople(this.core);
    const leaders = await people.leaders(req.leaders);
    const units = await people.units(req.units);
    if (!leaders.length && !units.length) throw new UserError('请至少邀请一位领导或一个单位参加，例如“领导：李国强 单位：县自然资源局”。');
    const conflicts = await leaderConflicts(this.core, this.store, leaders, when.date, when.time);
    const row = { date: when.date, slot: when.time.slot, startTime: when.time.start, endTime: when.time.end };
    if (conflicts.length && !force) {
      // The button carries the day and time as resolved now, so a click tomorrow means the same day.
      const request = { ...req, dateWord: when.date, timeWord: `${when.time.start}-${when.time.end}` };
      return { kind: 'conflict', conflicts, when: whenText(row), request, token: randomUUID() };
    }
    const label = MEETING_KIND_LABELS[kind];
    const warnings = conflicts.map((c) => `${c.leader}：${c.what}（已确认仍按此时间安排）`);
    const invitees = [...leaders.map((l) => ({ kind: 'leader' as const, invitee: l.id })), ...units.map((u) => ({ kind: 'unit' as const, invitee: u }))];
    // Everything the cards say, read before the transaction (which then reads only through trx).
    const draft: MeetingView = {
      no: '', kindLabel: label, subject: maskPersonalDataInText(subject), caseLine: await this.views.caseLine(caseNo),
      disputeNo, when: whenText(row), date: when.date, place, thirdParties: req.thirdParties,
      statusLabel: MEETING_STATUS_LABELS.scheduled, organiser: await people.label(actor.id),
      invitees: await Promise.all(invitees.map(async (i) => ({ kind: i.kind, label: i.kind === 'leader' ? await people.label(i.invitee) : i.invitee, replyLabel: REPLY_LABELS.pending, reason: null }))),
      minutes: null, tasks: [],
    };
    const saved = await this.onceFor(token, () => runTransaction(this.core.db, async (trx) => {
      const year = Number(when.date.slice(0, 4));
      const no = formatMeetingNo(year, await nextCounterValue(trx, `consultation:${year}`));
      const id = await this.store.insertMeeting(trx, {
        no, kind, year, subject, caseNo, disputeNo: draft.disputeNo, ...row, place, thirdParties: req.thirdParties, organiserId: actor.id,
      }, now);
      await this.store.insertInvitees(trx, id, invitees);
      if (token) await this.store.recordRequestToken(trx, token, 'schedule', id, now);
      await this.store.logEvent(trx, {
        consultationId: id, action: 'schedule', actorId: actor.id, detail: `安排${label} ${whenText(row)} ${place}${conflicts.length ? '（时间冲突已确认）' : ''}`,
        data: { leaders: leaders.map((l) => l.id), units, conflicts },
      }, now);
      const view = { ...draft, no };
      let invited = 0;
      for (const [i, inv] of invitees.entries()) {
        const sent = await sendTo(this.core, trx, { kind: inv.kind, id: inv.invitee }, invitationCard(view, view.invitees[i]), `consultation:${no}:invite`, now);
        if (!sent) warnings.push(`${inv.invitee}没有登记工作群，也没有该单位的用户，邀请无人接收。请把信访助手拉进该单位的工作群，并请系统管理员登记该群。`);
        invited += sent;
      }
      return { view, invited };
    }));
    if ('repeat' in saved) return { kind: 'saved', view: saved.repeat, invited: 0, warnings: [], repeat: true };
    return { kind: 'saved', ...saved, warnings };
  }

  /**
   * Runs `work` (which records `token`); when it fails because another press of the same button
   * recorded the token first, the meeting that press made instead.
   */
  async onceFor<T>(token: string | null, work: () => Promise<T>): Promise<T | { repeat: MeetingView }> {
    try {
      return await work();
    } catch (e) {
      const done = token && isDuplicateKey(e) ? await this.store.byRequestToken(token) : null;
      if (!done) throw e;
      return { repeat: await this.views.view(done) };
    }
  }

  /** The case named, checked: a number not in the stored form, or no such case, is refused (asking when a near one exists). */
  private async checkCase(caseNo: string | null): Promise<string | null> {
    const no = caseNo?.trim();
    if (!no) return null;
    const cases = new LetterCaseQueries(this.core.db);
    if (isCaseNo(no) && (await cases.caseByNo(no))) return no;
    throw new NotFoundError(await this.noSuchCase(no));
  }

  /** 没有找到编号…的信访事项, with the number meant when a case of it exists. */
  private async noSuchCase(typed: string): Promise<string> {
    const shown = typed.slice(0, 20);
    const guess = likelyCaseNo(typed);
    if (guess && guess !== typed && (await new LetterCaseQueries(this.core.db).caseByNo(guess))) {
      return `没有找到编号“${shown}”的信访事项。您是不是要写 ${guess}？请改正编号后重新发送。`;
    }
    return `没有找到编号“${shown}”的信访事项，请核对案件编号（形如 2026-000123）；没有案件编号时请写“事项：……”。`;
  }

  /** The dispute named, checked through the ledger; its stored number. */
  private async checkDispute(disputeNo: string | null, actor: User): Promise<string | null> {
    const no = disputeNo?.trim();
    if (!no) return null;
    return (await new DisputeService(this.core).get(no, actor)).no;
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
  async reply(noArg: string, answer: 'accepted' | 'declined', reasonArg: string | null, user: User, now: Date): Promise<MeetingView & { already?: boolean }> {
    const m = await this.require(noArg);
    if (m.status !== 'scheduled') throw new UserError(`会商 ${m.no} ${m.status === 'held' ? '已经召开' : '已取消'}，无需再回复。`);
    const reason = reasonArg?.trim() || null;
    if (answer === 'declined' && !reason) throw new UserError('不参加请说明原因。');
    if (reason && reason.length > REASON_MAX) throw new UserError(`原因太长（${reason.length} 字），请控制在 ${REASON_MAX} 字以内。`);
    const invitee = (await this.store.invitees([m.id])).find((i) =>
      (i.kind === 'leader' && i.invitee === user.id) || (i.kind === 'unit' && user.role === 'unit' && i.invitee === user.unit));
    if (!invitee) throw new ForbiddenError(`您（或您的单位）不在会商 ${m.no} 的邀请名单中。`);
    const who = invitee.kind === 'unit' ? `${invitee.invitee}（${user.name}）` : user.name;
    // The same answer again (a second press of 参加): nothing saved, the organiser not told twice.
    if (invitee.reply === answer && (answer === 'accepted' || invitee.reason === reason)) return { ...(await this.views.view(m)), already: true };
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
