import fc from 'fast-check';
import ical, { foldLines, ICalEvent, ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { FeedEvent } from '../../src/feeds/ics';
import { FEED_TIMEZONE, ShanghaiDateTime } from '../../src/feeds/shanghai-time';
import { escapeText, VeventWriter } from '../../src/feeds/vevent';

/** The same event written by ical-generator itself: the reference our writer must match. */
function libraryVevent(e: FeedEvent): string {
  // A calendar with no zone: DTSTAMP, CREATED and LAST-MODIFIED in UTC; the event carries Asia/Shanghai.
  const event = new ICalEvent(
    {
      id: e.uid,
      sequence: e.sequence,
      stamp: e.stamp,
      created: e.created,
      lastModified: e.lastModified,
      allDay: e.allDay,
      start: e.start,
      end: e.end,
      timezone: FEED_TIMEZONE,
      summary: e.summary,
      description: e.description,
      location: e.location,
      url: e.url,
      status: e.status,
      transparency: e.transparency,
      busystatus: e.busystatus,
      class: e.class,
    },
    ical(),
  );
  return foldLines(event.toString().slice(0, -2)) + '\r\n';
}

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 30, maxLength: 200 }),
  fc.constantFrom('接访领导：县委副书记、副县长；'.repeat(8), '县领导接访（县群众来访接待中心）', 'a;b,c\\d', '第一行\n第二行\r\n第三行\r末', '😀 emoji', ''),
);
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
// Feeds make their times with ShanghaiDateTime.of: wall clocks in Asia/Shanghai, to the minute
// (a start after its end included: both writers swap them).
const wallClock = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) })
  .map((ms) => ShanghaiDateTime.fromEpoch(Math.floor(ms / 60_000) * 60_000, FEED_TIMEZONE));

const feedEvent: fc.Arbitrary<FeedEvent> = fc.record({
  uid: fc.oneof(fc.constantFrom('sess-2026-000001@xinfang-bot', 'deadline-2026-000123-reply@xinfang-bot'), fc.string({ minLength: 1, maxLength: 40 })),
  sequence: fc.nat({ max: 1_000_000_000 }),
  stamp: instant,
  created: instant,
  lastModified: instant,
  allDay: fc.boolean(),
  start: wallClock,
  end: wallClock,
  summary: text,
  description: text,
  location: fc.option(
    fc.oneof(
      fc.record({ title: text.filter((t) => t !== '') }),
      fc.record({ title: text.filter((t) => t !== ''), address: text }),
    ),
  ),
  url: fc.option(fc.oneof(fc.webUrl(), fc.constant('https://applink.feishu.cn/client/bot/open?appId=cli_x;a,b'))),
  status: fc.option(fc.constantFrom(ICalEventStatus.CONFIRMED, ICalEventStatus.TENTATIVE, ICalEventStatus.CANCELLED)),
  transparency: fc.constantFrom(ICalEventTransparency.OPAQUE, ICalEventTransparency.TRANSPARENT),
  busystatus: fc.constantFrom(ICalEventBusyStatus.BUSY, ICalEventBusyStatus.FREE),
  class: fc.constantFrom(ICalEventClass.PUBLIC, ICalEventClass.PRIVATE),
});

describe('VeventWriter', () => {
  test('writes exactly what ical-generator writes and folds for the same event, for any feed event', () => {
    fc.assert(
      fc.property(fc.array(feedEvent, { minLength: 1, maxLength: 5 }), (events) => {
        // One writer across events, as a feed uses it: nothing of one event leaks into the next.
        const writer = new VeventWriter();
        for (const e of events) expect(writer.write(e)).toBe(libraryVevent(e));
      }),
      { numRuns: 400 },
    );
  });

  test('a session as the public feed shows it, long lines folded', () => {
    const out = new VeventWriter().write({
      uid: 'sess-2026-000001@xinfang-bot',
      sequence: 2,
      stamp: new Date('2026-03-01T02:00:00.500Z'),
      created: new Date('2025-12-01T02:00:00Z'),
      lastModified: new Date('2026-03-01T02:00:00.500Z'),
      allDay: false,
      start: ShanghaiDateTime.of('2026-03-02', '09:00'),
      end: ShanghaiDateTime.of('2026-03-02', '12:00'),
      summary: '县领导接访（县群众来访接待中心）',
      description: '接访领导：副县长\n状态：时间或地点已调整，以本日历为准',
      location: { title: '县群众来访接待中心', address: '阳城镇人民路8号' },
      url: 'https://xf.example.gov.cn/schedule',
      status: ICalEventStatus.CONFIRMED,
      transparency: ICalEventTransparency.TRANSPARENT,
      busystatus: ICalEventBusyStatus.FREE,
      class: ICalEventClass.PUBLIC,
    });
    expect(out.split('\r\n')).toEqual([
      'BEGIN:VEVENT',
      'UID:sess-2026-000001@xinfang-bot',
      'SEQUENCE:2',
      'DTSTAMP:20260301T020000Z',
      'DTSTART;TZID=Asia/Shanghai:20260302T090000',
      'DTEND;TZID=Asia/Shanghai:20260302T120000',
      'SUMMARY:县领导接访（县群众来访接待中心）',
      'TRANSP:TRANSPARENT',
      'LOCATION:县群众来访接待中心\\n阳城镇人民路8号',
      // Folded at 75 octets: a line break and a space, never inside a character.
      'DESCRIPTION:接访领导：副县长\\n状态：时间或地点已调整，',
      ' 以本日历为准',
      'URL;VALUE=URI:https://xf.example.gov.cn/schedule',
      'STATUS:CONFIRMED',
      'X-MICROSOFT-CDO-BUSYSTATUS:FREE',
      'CREATED:20251201T020000Z',
      'LAST-MODIFIED:20260301T020000Z',
      'CLASS:PUBLIC',
      'END:VEVENT',
      '',
    ]);
  });

  test('escapes TEXT values as RFC 5545 says', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    expect(escapeText('县领导接访')).toBe('县领导接访');
  });
});
