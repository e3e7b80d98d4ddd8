import { ICalEventBusyStatus, ICalEventClass, ICalEventTransparency } from 'ical-generator';
import { addDays, formatChineseDate } from '../platform/calendar/domain';
import { DEADLINE_LABELS, DeadlineKind } from '../cases';
import type { FeedDeadline } from '../cases';
import { CalendarMeta, FeedEvent, renderCalendar } from './ics';
import { ShanghaiDateTime } from './shanghai-time';

/** SEQUENCE of a deadline: seconds from this instant to its last update, so it rises on every change. */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/** The stable UID of a case's deadline of one kind. */
export function deadlineUid(caseNo: string, kind: string): string {
  return `deadline-${caseNo}-${kind}@xinfang-bot`;
}

/**
 * A unit's open deadlines as all-day events on their last day. They carry the case number and
 * category only: no petitioner, no content, nothing a forwarded link could leak.
 */
export function renderDeadlineCalendar(meta: CalendarMeta, deadlines: FeedDeadline[], also: Iterable<FeedEvent> = []): Buffer {
  return renderCalendar(meta, [...deadlines.map(deadlineEvent), ...also]);
}

function deadlineEvent(d: FeedDeadline): FeedEvent {
  const label = DEADLINE_LABELS[d.kind as DeadlineKind] ?? '期限';
  const lines = [
    `信访件编号：${d.caseNo}`,
    `问题类别：${d.category}`,
    `${label}：${formatChineseDate(d.dueDate)}24时止`,
    `承办单位：${d.unit}`,
    d.provisional ? '注意：该年节假日安排尚未录入，此期限仅按周末推算。' : null,
  ];
  return {
    uid: deadlineUid(d.caseNo, d.kind),
    sequence: Math.max(0, Math.floor((d.updatedAt.getTime() - SEQUENCE_EPOCH_MS) / 1000)),
    stamp: d.updatedAt,
    created: d.createdAt,
    lastModified: d.updatedAt,
    allDay: true,
    start: ShanghaiDateTime.of(d.dueDate),
    end: ShanghaiDateTime.of(addDays(d.dueDate, 1)),
    summary: `${label}：${d.caseNo}（${d.category}）`,
    description: lines.filter((l): l is string => Boolean(l)).join('\n'),
    location: null,
    url: null,
    status: null,
    transparency: ICalEventTransparency.TRANSPARENT,
    busystatus: ICalEventBusyStatus.FREE,
    class: ICalEventClass.PRIVATE,
  };
}
