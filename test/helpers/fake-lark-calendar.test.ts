import * as lark from '@larksuiteoapi/node-sdk';
import { startFakeLark, type FakeLarkServer } from './fake-lark-server';

const nothing = () => undefined;
const quiet = { error: nothing, warn: nothing, info: nothing, debug: nothing, trace: nothing };

/** The fake's calendar.v4 refuses what Lark refuses, through the real SDK. */
describe('fake Lark calendar.v4', () => {
  let fake: FakeLarkServer;
  let client: lark.Client;
  let calendarId: string;
  const time = (ts: number) => ({ timestamp: String(ts), timezone: 'Asia/Shanghai' });
  const codeOf = async (p: Promise<unknown>) => p.then((r: any) => r?.code ?? 0, (e: any) => e?.response?.data?.code);

  beforeAll(async () => {
    fake = await startFakeLark();
    client = new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger: quiet });
    const r: any = await client.calendar.v4.calendar.create({ data: { summary: '日历', permissions: 'private' } });
    calendarId = r.data.calendar.calendar_id;
  });
  afterAll(() => fake.close());

  test('an event needs its start and end; an end before its start is refused', async () => {
    expect(await codeOf(client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: { summary: 'x', end_time: time(1772413200) } as any }))).toBe(190002);
    expect(await codeOf(client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: { start_time: time(1772413200), end_time: time(1772400000) } }))).toBe(190002);
    expect(await codeOf(client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: { start_time: { timestamp: '2026-03-02' }, end_time: time(1772413200) } }))).toBe(190002);
  });

  test('an unknown calendar, an unknown event, a bad permissions value', async () => {
    expect(await codeOf(client.calendar.v4.calendarEvent.create({ path: { calendar_id: 'nope' }, data: { start_time: time(1772413200), end_time: time(1772420400) } }))).toBe(191001);
    expect(await codeOf(client.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: 'nope_0' }, data: { summary: 'x' } }))).toBe(193001);
    expect(await codeOf(client.calendar.v4.calendar.create({ data: { permissions: 'everyone' as any } }))).toBe(190002);
  });

  test('attendees must be users by open_id; a deleted event is gone', async () => {
    const r: any = await client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: { start_time: time(1772413200), end_time: time(1772420400) } });
    const path = { calendar_id: calendarId, event_id: r.data.event.event_id };
    const params = { user_id_type: 'open_id' as const };
    expect(await codeOf(client.calendar.v4.calendarEventAttendee.create({ path, params, data: { attendees: [{ type: 'user', user_id: 'cty1' }] } }))).toBe(190002);
    expect(await codeOf(client.calendar.v4.calendarEventAttendee.create({ path, params, data: { attendees: [] } }))).toBe(190002);
    expect(await codeOf(client.calendar.v4.calendarEventAttendee.create({ path, params, data: { attendees: [{ type: 'user', user_id: 'ou_abc123' }] } }))).toBe(0);
    expect(fake.calendar.events.get(path.event_id)!.attendees).toEqual(['ou_abc123']);
    expect(await codeOf(client.calendar.v4.calendarEvent.delete({ path }))).toBe(0);
    expect(await codeOf(client.calendar.v4.calendarEvent.delete({ path }))).toBe(193001);
    expect(fake.calendar.refusals.map((x) => x.code)).toEqual([190002, 190002, 190002, 191001, 193001, 190002, 190002, 190002, 193001]);
  });
});
