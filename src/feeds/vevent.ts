import { foldLines } from './fold';
import type { FeedEvent } from './feed-event';
import { FEED_TIMEZONE, ShanghaiDateTime } from './shanghai-time';

/**
 * One VEVENT, folded, written straight from a FeedEvent: exactly the text ical-generator's
 * `ICalEvent.toString()` and `foldLines()` give for the same values (a property test holds the
 * two equal), for
 * the properties feeds use: UID, SEQUENCE, DTSTAMP, DTSTART/DTEND (in Asia/Shanghai, or as
 * dates), SUMMARY, TRANSP, LOCATION, DESCRIPTION, URL, STATUS, the Microsoft busy status,
 * CREATED, LAST-MODIFIED and CLASS. The public feed has 25,000 events; going through an
 * ICalEvent for each (setters that validate, a generic writer) was most of its rendering time.
 * Only the lines that can pass 75 octets (those with free text) go through the folding.
 */
export class VeventWriter {
  /** DTSTAMP, CREATED and LAST-MODIFIED repeat (a plan is written in bulk): each instant formatted once. */
  private readonly instants = new Map<number, string>();

  write(e: FeedEvent): string {
    let start = e.start;
    let end = e.end;
    // ical-generator swaps a start after the end.
    if (start.epochMilliseconds > end.epochMilliseconds) [start, end] = [end, start];
    let g = `BEGIN:VEVENT\r\n${foldLines(`UID:${e.uid}`)}\r\nSEQUENCE:${e.sequence}\r\nDTSTAMP:${this.instant(e.stamp)}\r\n`;
    if (e.allDay) {
      g += `DTSTART;VALUE=DATE:${dateOf(start)}\r\nDTEND;VALUE=DATE:${dateOf(end)}\r\n`;
      g += 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\nX-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE\r\n';
    } else {
      g += `DTSTART;TZID=${FEED_TIMEZONE}:${dateTimeOf(start)}\r\nDTEND;TZID=${FEED_TIMEZONE}:${dateTimeOf(end)}\r\n`;
    }
    g += `${foldLines(`SUMMARY:${escapeText(e.summary)}`)}\r\n`;
    if (e.transparency) g += `TRANSP:${e.transparency}\r\n`;
    if (e.location?.title) g += `${foldLines(`LOCATION:${escapeText(e.location.address ? `${e.location.title}\n${e.location.address}` : e.location.title)}`)}\r\n`;
    g += `${foldLines(`DESCRIPTION:${escapeText(e.description)}`)}\r\n`;
    if (e.url) g += `${foldLines(`URL;VALUE=URI:${escapeText(e.url)}`)}\r\n`;
    if (e.status) g += `STATUS:${e.status}\r\n`;
    if (e.busystatus) g += `X-MICROSOFT-CDO-BUSYSTATUS:${e.busystatus}\r\n`;
    g += `CREATED:${this.instant(e.created)}\r\nLAST-MODIFIED:${this.instant(e.lastModified)}\r\n`;
    if (e.class) g += `CLASS:${e.class}\r\n`;
    return `${g}END:VEVENT\r\n`;
  }

  /** An instant in UTC: YYYYMMDDTHHMMSSZ (milliseconds dropped). */
  private instant(d: Date): string {
    const t = d.getTime();
    let s = this.instants.get(t);
    if (s === undefined) {
      if (Number.isNaN(t)) throw new Error('a feed event has an invalid date');
      s = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
      if (this.instants.size > 10_000) this.instants.clear();
      this.instants.set(t, s);
    }
    return s;
  }
}

/** RFC 5545 TEXT escaping, as ical-generator does it: backslash, semicolon, comma; newlines as \n. */
export function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\\;,]/g, (m) => `\\${m}`).replace(/(?:\r\n|\r|\n)/g, '\\n');
}
const NEEDS_ESCAPE = /[\\;,\r\n]/;

function inShanghai(d: ShanghaiDateTime): ShanghaiDateTime {
  return d.timeZoneId === FEED_TIMEZONE ? d : (d.withTimeZone(FEED_TIMEZONE) as ShanghaiDateTime);
}

function dateOf(d: ShanghaiDateTime): string {
  const z = inShanghai(d);
  return `${pad(z.year, 4)}${pad(z.month)}${pad(z.day)}`;
}

function dateTimeOf(d: ShanghaiDateTime): string {
  const z = inShanghai(d);
  return `${pad(z.year, 4)}${pad(z.month)}${pad(z.day)}T${pad(z.hour)}${pad(z.minute)}${pad(z.second)}`;
}

function pad(n: number, width = 2): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}
