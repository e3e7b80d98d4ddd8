import type {
  ICalTemporalInstantStub,
  ICalTemporalPlainDateStub,
  ICalTemporalPlainDateTimeStub,
  ICalTemporalZonedDateTimeStub,
} from 'ical-generator';
import { SHANGHAI_OFFSET, SHANGHAI_OFFSET_MS, SHANGHAI_TIME_ZONE } from '../platform/calendar/domain';

export const FEED_TIMEZONE = SHANGHAI_TIME_ZONE;
/** The offset as iCalendar writes it (RFC 5545 utc-offset: +0800). */
const ICAL_OFFSET = SHANGHAI_OFFSET.replace(':', '');

/**
 * VTIMEZONE for Asia/Shanghai. China has kept UTC+8 with no daylight saving since 1991, so one
 * STANDARD block describes every date a feed can hold; no time-zone database is needed.
 */
export const SHANGHAI_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${FEED_TIMEZONE}`,
  `X-LIC-LOCATION:${FEED_TIMEZONE}`,
  'BEGIN:STANDARD',
  `TZOFFSETFROM:${ICAL_OFFSET}`,
  `TZOFFSETTO:${ICAL_OFFSET}`,
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/** ical-generator's VTIMEZONE generator: Asia/Shanghai only. */
export function shanghaiVtimezone(tz: string): string | null {
  return tz === FEED_TIMEZONE ? SHANGHAI_VTIMEZONE : null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/*
 * ical-generator formats a native Date in a named time zone with the *process's* local clock
 * (getHours()), so a server running in UTC would write 01:00 for a 09:00 session. It also
 * accepts Temporal values, formatting their own wall-clock fields. These three small classes
 * are the part of Temporal.ZonedDateTime / PlainDateTime / Instant it uses, for the fixed
 * UTC+8 zone, so the output never depends on the server's TZ. Classes rather than object
 * literals: a feed makes tens of thousands of them.
 */

class ShanghaiInstant implements ICalTemporalInstantStub {
  constructor(readonly epochMilliseconds: number) {}
  toZonedDateTimeISO(timeZone: string): ICalTemporalZonedDateTimeStub {
    return ShanghaiDateTime.fromEpoch(this.epochMilliseconds, timeZone);
  }
  toJSON(): string {
    return new Date(this.epochMilliseconds).toISOString();
  }
  toString(): string {
    return this.toJSON();
  }
}

class ShanghaiPlainDateTime implements ICalTemporalPlainDateTimeStub {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
  ) {}
  toPlainDate(): ICalTemporalPlainDateStub {
    return { year: this.year, month: this.month, day: this.day, toJSON: () => this.dateString(), toString: () => this.dateString() };
  }
  toZonedDateTime(timeZone: string): ICalTemporalZonedDateTimeStub {
    const z = new ShanghaiDateTime(this.year, this.month, this.day, this.hour, this.minute, this.second, FEED_TIMEZONE);
    return z.withTimeZone(timeZone);
  }
  dateString(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }
  toJSON(): string {
    return `${this.dateString()}T${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}`;
  }
  toString(): string {
    return this.toJSON();
  }
}

/** A wall-clock time in Asia/Shanghai (or UTC), as ical-generator reads a Temporal.ZonedDateTime. */
export class ShanghaiDateTime implements ICalTemporalZonedDateTimeStub {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly timeZoneId: string = FEED_TIMEZONE,
  ) {}

  /** 'YYYY-MM-DD' and 'HH:MM' read on a Shanghai clock. */
  static of(date: string, time = '00:00'): ShanghaiDateTime {
    return new ShanghaiDateTime(
      Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), Number(time.slice(0, 2)), Number(time.slice(3, 5)), 0,
    );
  }

  static fromEpoch(ms: number, timeZone: string): ShanghaiDateTime {
    const offset = offsetOf(timeZone);
    const t = new Date(ms + offset);
    return new ShanghaiDateTime(
      t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(),
      offset ? FEED_TIMEZONE : 'UTC',
    );
  }

  get epochMilliseconds(): number {
    return Date.UTC(this.year, this.month - 1, this.day, this.hour, this.minute, this.second) - offsetOf(this.timeZoneId);
  }

  toInstant(): ICalTemporalInstantStub {
    return new ShanghaiInstant(this.epochMilliseconds);
  }

  toPlainDateTime(): ICalTemporalPlainDateTimeStub {
    return new ShanghaiPlainDateTime(this.year, this.month, this.day, this.hour, this.minute, this.second);
  }

  withTimeZone(timeZone: string): ICalTemporalZonedDateTimeStub {
    if (timeZone === this.timeZoneId) return this;
    return ShanghaiDateTime.fromEpoch(this.epochMilliseconds, timeZone);
  }

  toJSON(): string {
    return `${this.toPlainDateTime().toJSON()}${this.timeZoneId === 'UTC' ? 'Z' : SHANGHAI_OFFSET}[${this.timeZoneId}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}

function offsetOf(timeZone: string): number {
  if (timeZone === FEED_TIMEZONE || timeZone === 'Asia/Chongqing' || timeZone === 'PRC') return SHANGHAI_OFFSET_MS;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  throw new Error(`feeds only know Asia/Shanghai and UTC, not ${timeZone}`);
}
