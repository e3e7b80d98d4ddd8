import type { ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { ShanghaiDateTime } from './shanghai-time';

/** The shape of one feed event, shared by the calendar writer (ics.ts) and the event writer (vevent.ts). */
export const FEED_PRODID = { company: 'xinfang-bot', product: 'feeds', language: 'ZH' };
/** One hour: REFRESH-INTERVAL and X-PUBLISHED-TTL. */
export const FEED_TTL_SECONDS = 3600;

export interface CalendarMeta {
  name: string;
  description?: string;
}

/** LOCATION: the place's name, and its address on a second line. */
export interface FeedLocation {
  title: string;
  address?: string;
}

/** Every property a feed event has; each is set on every event, so none carries over. */
export interface FeedEvent {
  uid: string;
  sequence: number;
  /** DTSTAMP: the row's update time (never the clock), so unchanged rows give the same bytes. */
  stamp: Date;
  created: Date;
  lastModified: Date;
  allDay: boolean;
  /** Asia/Shanghai wall clock; for all-day events the date (end exclusive). */
  start: ShanghaiDateTime;
  end: ShanghaiDateTime;
  summary: string;
  description: string;
  location: FeedLocation | null;
  url: string | null;
  status: ICalEventStatus | null;
  transparency: ICalEventTransparency;
  busystatus: ICalEventBusyStatus;
  class: ICalEventClass;
}
