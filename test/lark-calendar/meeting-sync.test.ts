import { freshDb, testDialects } from '../helpers/db';
import { startFakeLark, type FakeLarkServer } from '../helpers/fake-lark-server';
import { ConsultationService } from '../../src/consultations/consultation-service';
import { ConsultationChanges } from '../../src/consultations/consultation-changes';
import { parseMeetingText } from '../../src/consultations/domain/meeting-request';
import type { User } from '../../src/platform/directory/user-store';
import { addSessions, LIN, openWorld, seedLeaders, session, ZHOU, type SyncWorld } from './sync-fixture';

/**
 * 会商 and 联席会议 follow the reception days into the shared Lark calendar (LARK_CALENDAR_SYNC),
 * through the real SDK against the strict fake: created with the invitees as attendees, moved
 * (the same event patched), answered 不参加 (that attendee removed), cancelled (deleted).
 * "Today" is Monday 2 March 2026, 10:00 in Shanghai.
 */

const UNIT = 'ou_unitzr00000000000000000000000004';
const PHONE = '13812345678';
const ts = (iso: string) => String(Date.parse(iso) / 1000);

describe.each(testDialects())('会商 in the shared Lark calendar ($name)', (dialect) => {
  let fake: FakeLarkServer;
  let w: SyncWorld;
  let closeDb: () => Promise<void>;
  let staff: User;
  let meetings: ConsultationService;
  let changes: ConsultationChanges;

  const schedule = async (words: string) => {
    const r = await meetings.schedule('consultation', parseMeetingText(words, () => false), staff, w.clock.now);
    if (r.kind !== 'saved') throw new Error('not saved');
    return r.view.no;
  };
  const live = () => fake.calendar.liveEvents();
  const meetingEvents = () => live().filter((e) => e.summary.startsWith('会商'));

  beforeEach(async () => {
    fake = await startFakeLark();
    const fresh = await freshDb(dialect);
    closeDb = () => fresh.db.destroy();
    w = await openWorld(fresh.url, fake, fresh.db);
    await seedLeaders(w);
    await w.core.users.upsert({ id: 'ou_staff0000000000000000000000000005', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await w.core.users.upsert({ id: UNIT, name: '孙建', role: 'unit', unit: '县自然资源局', town: null, title: null });
    staff = (await w.core.users.get('ou_staff0000000000000000000000000005'))!;
    meetings = new ConsultationService(w.core);
    changes = new ConsultationChanges(w.core, meetings);
  });

  afterEach(async () => {
    await w.close();
    await closeDb();
    await fake.close();
  });

  test('a meeting is written beside the reception days, in the one calendar, the invitees as attendees, personal data masked', async () => {
    await addSessions(w, [session('2026-03-04', [LIN])]);
    const no = await schedule(`事项：信访人${PHONE}反映征地补偿 3月4日 下午 地点：县信访局三楼会议室 领导：林启航、周庭远 单位：县自然资源局 第三方：律师`);
    const r = await w.service('a').syncOnce();
    expect(r.counts).toMatchObject({ created: 2, failed: 0 });
    expect(r.meetings).toBe(1);
    expect(fake.calendar.calendars).toHaveLength(1);
    const [m] = meetingEvents();
    expect(m.summary).toBe(`会商 ${no}：信访人138****5678反映征地补偿`);
    expect(m.location).toEqual({ name: '县信访局三楼会议室' });
    expect(m.start_time).toEqual({ timestamp: ts('2026-03-04T06:30:00Z'), timezone: 'Asia/Shanghai' });
    expect(m.end_time.timestamp).toBe(ts('2026-03-04T09:00:00Z'));
    expect(m.attendees.sort()).toEqual([LIN, ZHOU, UNIT].sort());
    expect(m.description).toContain('参会单位：县自然资源局');
    expect(m.description).toContain('第三方力量：律师');
    expect(m.description).toContain(`会商详情 ${no}`);
    expect(JSON.stringify(live())).not.toContain(PHONE);
    expect(m.idempotency_key).toMatch(/^xinfang-meeting-/);
    expect(live().filter((e) => e.summary.startsWith('接访'))).toHaveLength(1);
    expect(fake.calendar.refusals).toEqual([]);

    const calls = { ...fake.calendar.calls };
    await w.service('a').syncOnce();
    expect(fake.calendar.calls).toEqual(calls);
  });

  test('不参加 takes the attendee off; a move patches the same event and asks everyone again; a cancel deletes it', async () => {
    const no = await schedule('事项：棚改安置房交付 3月4日 下午 地点：县信访局三楼会议室 领导：林启航、周庭远');
    const svc = w.service('a');
    await svc.syncOnce();
    const [created] = meetingEvents();
    expect(created.attendees.sort()).toEqual([LIN, ZHOU].sort());

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await meetings.reply(no, 'declined', '当天在省里开会', (await w.core.users.get(ZHOU))!, w.clock.now);
    expect((await svc.syncOnce()).counts).toMatchObject({ patched: 1, failed: 0 });
    expect(meetingEvents()[0].attendees).toEqual([LIN]);

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    const moved = await changes.move(`${no} 3月5日 上午 地点：县政府二楼会议室`, staff, w.clock.now);
    expect(moved.kind).toBe('moved');
    expect((await svc.syncOnce()).counts).toMatchObject({ patched: 1, created: 0, failed: 0 });
    const [m] = meetingEvents();
    expect(m.event_id).toBe(created.event_id);
    expect(m.start_time.timestamp).toBe(ts('2026-03-05T01:00:00Z'));
    expect(m.location).toEqual({ name: '县政府二楼会议室' });
    // The move asks everyone again: 周庭远's 不参加 was for the old time.
    expect(m.attendees.sort()).toEqual([LIN, ZHOU].sort());

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await changes.cancel(`${no} 主要领导临时有公务`, staff, w.clock.now);
    expect((await svc.syncOnce()).counts).toMatchObject({ deleted: 1, failed: 0 });
    expect(meetingEvents()).toHaveLength(0);
    expect(fake.calendar.calls.createEvent).toBe(1);
    expect(fake.calendar.refusals).toEqual([]);
    expect((await svc.meetingSync.store.backlog())).toEqual({ pending: 0, failing: 0 });
  });

  test('a meeting cancelled before the sync ever wrote it calls Lark for nothing; a past one is not written', async () => {
    const no = await schedule('事项：旧账复核 3月6日 上午 地点：三楼会议室 领导：林启航');
    await changes.cancel(`${no} 改为书面会商`, staff, w.clock.now);
    await w.core.db('consultations').insert({
      no: 'HS2026-090', kind: 'consultation', year: 2026, subject: '已开过的会', date: '2026-02-27', slot: '上午', start_time: '09:00', end_time: '11:00',
      place: '三楼会议室', status: 'held', organiser_id: staff.id, sequence: 0, created_at: '2026-02-20 02:00:00.000', updated_at: '2026-02-20 02:00:00.000',
    });
    const r = await w.service('a').syncOnce();
    expect(r.counts).toMatchObject({ created: 0, deleted: 0, failed: 0 });
    expect(fake.calendar.calls.createEvent ?? 0).toBe(0);
    expect(live()).toHaveLength(0);
  });

  test('a refused call is retried after its back-off, and 系统检查 names the meetings meanwhile', async () => {
    await schedule('事项：征地补偿 3月4日 下午 地点：三楼会议室 领导：林启航');
    const svc = w.service('a');
    await svc.ensureCalendar();
    fake.inject({ status: 500, code: 1 }, 1, (p) => /\/events$/.test(p));
    expect((await svc.syncOnce()).counts.failed).toBe(1);
    const { createLarkCalendarFeature } = await import('../../src/lark-calendar');
    const [finding] = await createLarkCalendarFeature(w.core).diagnose!(w.clock.now);
    expect(finding.problem).toContain('1 次会商写入飞书日历失败');
    w.clock.now = new Date(w.clock.now.getTime() + 6_000);
    expect((await svc.syncOnce()).counts.created).toBe(1);
    expect(meetingEvents()).toHaveLength(1);
    expect(await createLarkCalendarFeature(w.core).diagnose!(w.clock.now)).toEqual([]);
  });
});
