import ical from 'ical-generator';
import { FEED_TIMEZONE, shanghaiVtimezone } from './shanghai-time';
import { VeventWriter } from './vevent';
import { CalendarMeta, FEED_PRODID, FEED_TTL_SECONDS, FeedEvent } from './feed-event';

export { FEED_PRODID, FEED_TTL_SECONDS };
export type { CalendarMeta, FeedEvent, FeedLocation } from './feed-event';


/**
 * A subscription calendar (no METHOD) in Asia/Shanghai. The header (name, VTIMEZONE,
 * TIMEZONE-ID/X-WR-TIMEZONE, REFRESH-INTERVAL, X-PUBLISHED-TTL) is written by ical-generator
 * from a calendar object that carries the zone; the events by VeventWriter, which gives the
 * text ical-generator's ICalEvent gives for the same values (tests compare the two on random
 * events), with DTSTAMP, CREATED and LAST-MODIFIED in UTC as RFC 5545 wants (ical-generator
 * writes them in the calendar's zone without the “Z” when the calendar has one). Long lines are
 * folded by fold.ts, which matches ical-generator's folding byte for byte, line by line
 * (folding a 15 MB string at once spends most of its time collecting garbage).
 * The output depends only on the input: the same rows give the same bytes. It is written event
 * by event, as UTF-8, into one growing buffer: a feed is sent as bytes, and 25,000 strings joined
 * and then encoded cost half as much again.
 */
export function renderCalendar(meta: CalendarMeta, events: Iterable<FeedEvent>): Buffer {
  const header = ical({
    prodId: FEED_PRODID,
    name: meta.name,
    description: meta.description ?? null,
    timezone: { name: FEED_TIMEZONE, generator: shanghaiVtimezone },
    ttl: FEED_TTL_SECONDS,
  }).toString();
  const end = 'END:VCALENDAR';
  if (!header.endsWith(end)) throw new Error('unexpected ical-generator output');
  const writer = new VeventWriter();
  const out = new ByteSink();
  out.write(header.slice(0, -end.length));
  for (const e of events) out.write(writer.write(e));
  out.write(`${end}\r\n`);
  return out.bytes();
}

/** Text appended as UTF-8 to a buffer that doubles when full. */
class ByteSink {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  write(text: string): void {
    // At most 3 bytes per UTF-16 code unit.
    const room = text.length * 3;
    if (this.used + room > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + room));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** The bytes written, in a buffer of their own size when the spare room is large (a cached body keeps it). */
  bytes(): Buffer {
    const filled = this.buf.subarray(0, this.used);
    return this.buf.length > this.used * 1.25 ? Buffer.from(filled) : filled;
  }
}
