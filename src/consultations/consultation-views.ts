import { formatChineseDate } from '../platform/calendar/domain/dates';
import { maskName, maskPersonalDataInText } from '../platform/personal-data/masking';
import { LetterCaseQueries } from '../cases';
import type { Core } from '../platform/core/feature';
import { MEETING_KIND_LABELS, MEETING_STATUS_LABELS, REPLY_LABELS, TASK_STATUS_LABELS } from './domain/consultation-labels';
import type { MeetingView, TaskView } from './domain/meeting-view';
import type { ConsultationStore, InviteeRow, MeetingRow, TaskRow } from './consultation-store';
import { ConsultationPeople } from './consultation-people';

/** 2026年12月8日（周二）下午 14:30—17:00 */
export function whenText(m: Pick<MeetingRow, 'date' | 'slot' | 'startTime' | 'endTime'>): string {
  return `${formatChineseDate(m.date)}${m.slot} ${m.startTime}—${m.endTime}`;
}

/** Builds what the cards show of meetings: names and titles looked up, the case masked. */
export class ConsultationViews {
  private readonly cases: LetterCaseQueries;

  constructor(private readonly core: Core, private readonly store: ConsultationStore) {
    this.cases = new LetterCaseQueries(core.db);
  }

  /** 案件 2026-000123（王**，自然资源）: what a group may read of a case. */
  async caseLine(caseNo: string | null): Promise<string | null> {
    if (!caseNo) return null;
    const c = await this.cases.caseByNo(caseNo);
    return c ? `${c.caseNo}（信访人 ${maskName(c.name)}，${c.category}）` : caseNo;
  }

  async views(meetings: MeetingRow[]): Promise<MeetingView[]> {
    const ids = meetings.map((m) => m.id);
    const [invitees, tasks] = await Promise.all([this.store.invitees(ids), this.store.tasksOf(ids)]);
    const people = new ConsultationPeople(this.core);
    const out: MeetingView[] = [];
    for (const m of meetings) {
      out.push({
        no: m.no,
        kindLabel: MEETING_KIND_LABELS[m.kind],
        subject: maskPersonalDataInText(m.subject),
        caseLine: await this.caseLine(m.caseNo),
        disputeNo: m.disputeNo,
        when: whenText(m),
        date: m.date,
        place: m.place,
        thirdParties: m.thirdParties,
        statusLabel: MEETING_STATUS_LABELS[m.status],
        organiser: await people.label(m.organiserId),
        invitees: await Promise.all(invitees.filter((i) => i.consultationId === m.id).map((i) => this.invitee(i, people))),
        minutes: m.minutes ? maskPersonalDataInText(m.minutes) : null,
        tasks: await Promise.all(tasks.filter((t) => t.consultationId === m.id).map((t) => taskView(t, people))),
      });
    }
    return out;
  }

  async view(m: MeetingRow): Promise<MeetingView> {
    return (await this.views([m]))[0];
  }

  private async invitee(i: InviteeRow, people: ConsultationPeople) {
    return { kind: i.kind, label: i.kind === 'leader' ? await people.label(i.invitee) : i.invitee, replyLabel: REPLY_LABELS[i.reply], reason: i.reason };
  }
}

export async function taskView(t: TaskRow, people: ConsultationPeople): Promise<TaskView> {
  return {
    id: t.id,
    ownerLabel: t.ownerKind === 'unit' ? t.owner : await people.label(t.owner),
    content: maskPersonalDataInText(t.content),
    dueText: formatChineseDate(t.dueDate),
    dueDate: t.dueDate,
    statusLabel: TASK_STATUS_LABELS[t.status],
    done: t.status === 'done',
  };
}
