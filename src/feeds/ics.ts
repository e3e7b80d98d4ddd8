import ical, {
  ICalCalendar,
  ICalEvent,
  ICalEventBusyStatus,
  ICalEventClass,
  ICalEventStatus,
  ICalEventTransparency,
  ICalLocation,
} from 'ical-generator';
import { foldLines } from './fold';
import { FEED_TIMEZONE, ShanghaiDateTime, shanghaiVtimezone } from './shanghai-time';

export const FEED_PRODID = { company: 'xinfang-bot', product: 'feeds', language: 'ZH' };
/** One hour: REFRESH-INTERVAL and X-PUBLISHED-TTL. */
export const FEED_TTL_SECONDS = 3600;

export interface CalendarMeta {
  name: string;
  description?: string;
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
  location: ICalLocation | null;
  url: string | null;
  status: ICalEventStatus | null;
  transparency: ICalEventTransparency;
  busystatus: ICalEventBusyStatus;
  class: ICalEventClass;
}

/**
 * A subscription calendar (no METHOD) in Asia/Shanghai, every part written by ical-generator:
 * the header (name, VTIMEZONE, TIMEZONE-ID/X-WR-TIMEZONE, REFRESH-INTERVAL, X-PUBLISHED-TTL)
 * from a calendar object that carries the zone, and each event by an ICalEvent whose own TZID
 * is Asia/Shanghai.
 *
 * Three departures from `ICalCalendar.toString()`, all for the 25,000-event public feed or for
 * correctness; the text is the same ical-generator would write otherwise:
 * - events are parented by a second, zone-less calendar, because ical-generator writes DTSTAMP,
 *   CREATED and LAST-MODIFIED in the *calendar's* zone without the “Z”, which RFC 5545 forbids
 *   for DTSTAMP; with no calendar zone they come out in UTC;
 * - one ICalEvent is reused, its every property set again for each row: building a fresh one
 *   per row (a random UUID, default dates, then the setters) was half the rendering time;
 * - lines are folded by fold.ts, which matches ical-generator's folding byte for byte, because
 *   theirs took ~12 s on that feed.
 * The output depends only on the input: the same rows give the same bytes.
 */
export function renderCalendar(meta: CalendarMeta, events: Iterable<FeedEvent>): string {
  const header = ical({
    prodId: FEED_PRODID,
    name: meta.name,
    description: meta.description ?? null,
    timezone: { name: FEED_TIMEZONE, generator: shanghaiVtimezone },
    ttl: FEED_TTL_SECONDS,
  }).toString();
  const end = 'END:VCALENDAR';
  if (!header.endsWith(end)) throw new Error('unexpected ical-generator output');

  const parent: ICalCalendar = ical({ prodId: FEED_PRODID });
  const event = new ICalEvent({ id: 'template', start: ShanghaiDateTime.of('2000-01-01'), timezone: FEED_TIMEZONE }, parent);
  // The header came folded from ical-generator; events are folded one by one, which keeps the
  // strings small (folding a 15 MB string at once spends most of its time collecting garbage).
  const parts: string[] = [header.slice(0, -end.length)];
  let prev: FeedEvent | null = null;
  for (const e of events) {
    // Every property is set unless it equals the previous event's (the setters validate, and
    // most properties repeat from event to event), so nothing of an earlier row carries over.
    event.id(e.uid).sequence(e.sequence).start(e.start).end(e.end).summary(e.summary).description(e.description);
    if (e.stamp !== prev?.stamp) event.stamp(e.stamp);
    if (e.created !== prev?.created) event.created(e.created);
    if (e.lastModified !== prev?.lastModified) event.lastModified(e.lastModified);
    if (e.allDay !== prev?.allDay) event.allDay(e.allDay);
    if (e.location !== prev?.location) event.location(e.location);
    if (e.url !== prev?.url) event.url(e.url);
    if (e.status !== prev?.status) event.status(e.status);
    if (e.transparency !== prev?.transparency) event.transparency(e.transparency);
    if (e.busystatus !== prev?.busystatus) event.busystatus(e.busystatus);
    if (e.class !== prev?.class) event.class(e.class);
    prev = e;
    parts.push(foldLines(event.toString()));
  }
  parts.push(`${end}\r\n`);
  return parts.join('');
}
