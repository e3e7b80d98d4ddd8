import { ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { FeedMeeting } from '../consultations';
import type { FeedEvent } from './feed-event';
import { ShanghaiDateTime } from './shanghai-time';

/**
 * The 会商 and 联席会议 a leader is invited to, as events of the leader's own feed: busy time,
 * private, cancelled ones marked so; their text comes from the consultations capability (no
 * petitioner data beyond a case number).
 */
export function* meetingEvents(meetings: readonly FeedMeeting[]): Generator<FeedEvent> {
  for (const m of meetings) {
    yield {
      uid: m.uid,
      sequence: m.sequence,
      stamp: m.updatedAt,
      created: m.createdAt,
      lastModified: m.updatedAt,
      allDay: false,
      start: ShanghaiDateTime.of(m.date, m.startTime),
      end: ShanghaiDateTime.of(m.date, m.endTime),
      summary: m.summary,
      description: m.description,
      location: { title: m.place },
      url: null,
      status: m.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: m.cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      busystatus: m.cancelled ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.BUSY,
      class: ICalEventClass.PRIVATE,
    };
  }
}
