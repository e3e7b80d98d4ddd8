import { freshDb, testDialects } from '../helpers/db';
import { startFakeLark, type FakeLarkServer } from '../helpers/fake-lark-server';
import { CALENDAR_SUMMARY } from '../../src/lark-calendar/calendar-sync-service';
import { addSessions, HUANG, LIN, openWorld, seedLeaders, session, ZHOU, type SyncWorld } from './sync-fixture';

describe.each(testDialects())('Lark calendar sync ($name)', (dialect) => {
  let fake: FakeLarkServer;
  let w: SyncWorld;
  let url: string;
  let closeDb: () => Promise<void>;

  beforeEach(async () => {
    fake = await startFakeLark();
    const fresh = await freshDb(dialect);
    url = fresh.url;
    closeDb = () => fresh.db.destroy();
    w = await openWorld(url, fake, fresh.db);
    await seedLeaders(w);
  });

  afterEach(async () => {
    await w.close();
    await closeDb();
    await fake.close();
  });

  const live = () => fake.calendar.liveEvents();
  const one = (summaryPart: string) => live().filter((e) => e.summary.includes(summaryPart));

  test('creates the shared calendar once and an event per coming session, leaders as attendees, no petitioner data', async () => {
    await addSessions(w, [
      session('2026-02-27', [LIN]), // past: not written
      session('2026-03-02', [LIN, ZHOU]),
      session('2026-03-05', [HUANG], { type: '下访', venueId: 'zz-yc', startTime: '14:30', endTime: '17:30', slot: '下午' }),
    ]);
    const r = await w.service('a').syncOnce();
    expect(r.counts.created).toBe(2);
    expect(fake.calendar.calendars).toHaveLength(1);
    expect(fake.calendar.calendars[0].summary).toBe(CALENDAR_SUMMARY);

    const [lin] = one('林启航');
    expect(lin.summary).toBe('接访：林启航、周庭远 县群众来访接待中心');
    expect(lin.location).toEqual({ name: '县群众来访接待中心', address: '县城人民路 88 号' });
    // 09:00–12:00 in Shanghai on 2 March 2026 = 01:00–04:00 UTC.
    expect(lin.start_time).toEqual({ timestamp: String(Date.parse('2026-03-02T01:00:00Z') / 1000), timezone: 'Asia/Shanghai' });
    expect(lin.end_time.timestamp).toBe(String(Date.parse('2026-03-02T04:00:00Z') / 1000));
    expect(lin.attendees.sort()).toEqual([LIN, ZHOU].sort());
    expect(lin.description).toContain('县自然资源局、县住建局');
    const [huang] = one('黄思源');
    expect(huang.summary).toBe('下访：黄思源 阳城镇综治中心');
    expect(huang.attendees).toEqual([HUANG]);
    for (const e of live()) {
      expect(JSON.stringify(e)).not.toMatch(/王某某|宅基地|内部备注/);
    }
    expect(fake.calendar.refusals).toEqual([]);

    // A second round with nothing changed calls nothing.
    const before = { ...fake.calendar.calls };
    await w.service('a').syncOnce();
    expect(fake.calendar.calls).toEqual(before);
  });

  test('a moved session is patched (same event), a changed leader changes the attendees, a cancelled one is deleted', async () => {
    const [moved, cancelled, swapped] = await addSessions(w, [session('2026-03-03', [LIN]), session('2026-03-04', [ZHOU]), session('2026-03-06', [HUANG])]);
    const svc = w.service('a');
    await svc.syncOnce();
    const movedId = one('林启航')[0].event_id;

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await w.core.db.transaction(async (trx) => {
      await w.roster.sessions.updateSession(trx, moved, { date: '2026-03-10', status: 'changed' }, w.clock.now);
      await w.roster.sessions.cancelSessions(trx, [cancelled], '领导出差', w.clock.now);
      await w.roster.sessions.replaceLeader(trx, swapped, HUANG, ZHOU);
      await w.roster.sessions.updateSession(trx, swapped, { status: 'changed' }, w.clock.now);
    });
    // The same worker's next round (30 s later in production) sees the changes.
    const r = await svc.syncOnce();
    expect(r.counts).toMatchObject({ patched: 2, deleted: 1, created: 0, failed: 0 });

    const [m] = one('林启航');
    expect(m.event_id).toBe(movedId);
    expect(m.start_time.timestamp).toBe(String(Date.parse('2026-03-10T01:00:00Z') / 1000));
    expect(live().filter((e) => e.summary.startsWith('接访：周庭远') && e.start_time.timestamp === String(Date.parse('2026-03-04T01:00:00Z') / 1000))).toHaveLength(0);
    const [s] = live().filter((e) => e.start_time.timestamp === String(Date.parse('2026-03-06T01:00:00Z') / 1000));
    expect(s.summary).toBe('接访：周庭远 县群众来访接待中心');
    expect(s.attendees).toEqual([ZHOU]);
    expect(live()).toHaveLength(2);
    expect(fake.calendar.refusals).toEqual([]);
  });

  test('a restart makes no second calendar and no event twice', async () => {
    await addSessions(w, [session('2026-03-03', [LIN]), session('2026-03-04', [ZHOU])]);
    await w.service('before-restart').syncOnce();
    await w.close();
    const again = await openWorld(url, fake);
    try {
      const r = await again.service('after-restart').syncOnce();
      expect(r.counts.created).toBe(0);
      expect(fake.calendar.calendars).toHaveLength(1);
      expect(fake.calendar.calls.createEvent).toBe(2);
      expect(live()).toHaveLength(2);
    } finally {
      await again.close();
    }
  });

  test('a lost answer to a create is retried after a back-off and finds the same event (idempotency key)', async () => {
    await addSessions(w, [session('2026-03-03', [LIN])]);
    const svc = w.service('a');
    await svc.ensureCalendar();
    fake.inject({ afterAccept: true, status: 500, code: 1 }, 1, (p) => /\/events$/.test(p));
    const first = await svc.syncOnce();
    expect(first.counts.failed).toBe(1);
    expect((await svc.store.backlog()).failing).toBe(1);
    // Not before its back-off …
    expect((await svc.syncOnce()).counts.failed + (await svc.syncOnce()).counts.created).toBe(0);
    w.clock.now = new Date(w.clock.now.getTime() + 6_000);
    const second = await svc.syncOnce();
    expect(second.counts.created).toBe(1);
    expect(live()).toHaveLength(1);
    expect(live()[0].attendees).toEqual([LIN]);
    expect(await svc.store.backlog()).toEqual({ pending: 0, failing: 0 });
  });

  test('two replicas on one database: one calendar, each session one event', async () => {
    const days = Array.from({ length: 12 }, (_, i) => `2026-03-${String(3 + i).padStart(2, '0')}`);
    await addSessions(w, days.map((d, i) => session(d, [[LIN, ZHOU, HUANG][i % 3]])));
    const other = await openWorld(url, fake);
    try {
      const a = w.service('replica-a');
      const b = other.service('replica-b');
      for (let round = 0; round < 3; round++) await Promise.all([a.syncOnce(), b.syncOnce()]);
      expect(fake.calendar.calendars).toHaveLength(1);
      expect(fake.calendar.calls.createEvent).toBe(12);
      // Each row claimed by one replica only: no create asked twice, even one Lark would dedupe.
      expect(fake.requests.filter((r) => r.method === 'POST' && /\/events$/.test(r.path))).toHaveLength(12);
      expect(fake.calendar.calls.addAttendees).toBe(12);
      expect(live()).toHaveLength(12);
      expect(new Set(live().map((e) => e.start_time.timestamp)).size).toBe(12);
    } finally {
      await other.close();
    }
  });
});
