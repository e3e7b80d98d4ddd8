import { freshDb, testDialects } from '../helpers/db';
import { startFakeLark, type FakeLarkServer } from '../helpers/fake-lark-server';
import { RosterService } from '../../src/roster/roster-service';
import { addSessions, LIN, openWorld, seedLeaders, session, type SyncWorld } from '../lark-calendar/sync-fixture';

describe('取消接访 and 恢复接访 in the shared Lark calendar', () => {
  let fake: FakeLarkServer;
  let w: SyncWorld;
  let closeDb: () => Promise<void>;

  beforeAll(async () => {
    fake = await startFakeLark();
    const fresh = await freshDb(testDialects()[0]);
    closeDb = () => fresh.db.destroy();
    w = await openWorld(fresh.url, fake, fresh.db);
    await seedLeaders(w);
    await w.core.users.upsert({ id: 'admin', name: '信访局管理员', role: 'admin', unit: null, town: null, title: null });
  });
  afterAll(async () => {
    await w.close();
    await closeDb();
    await fake.close();
  });

  test('a cancelled session’s event is deleted; restored, the event is made again with its leader', async () => {
    const roster = new RosterService(w.core);
    const admin = (await w.core.users.get('admin'))!;
    const [id] = await addSessions(w, [session('2026-03-10', [LIN])]);
    const svc = w.service('a');
    await svc.syncOnce();
    expect(fake.calendar.liveEvents().map((e) => e.summary)).toEqual(['接访：林启航 县群众来访接待中心']);

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await roster.changes.cancel(admin, id, '台风预警', w.clock.now);
    expect((await svc.syncOnce()).counts).toMatchObject({ deleted: 1, failed: 0 });
    expect(fake.calendar.liveEvents()).toEqual([]);

    w.clock.now = new Date(w.clock.now.getTime() + 60_000);
    await roster.changes.cancels.restore(admin, id, w.clock.now);
    expect((await svc.syncOnce()).counts).toMatchObject({ created: 1, failed: 0 });
    const [back] = fake.calendar.liveEvents();
    expect(back.summary).toBe('接访：林启航 县群众来访接待中心');
    expect(back.attendees).toEqual([LIN]);
    expect(fake.calendar.refusals).toEqual([]);
  });
});
