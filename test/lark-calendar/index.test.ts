import { freshDb, testDialects } from '../helpers/db';
import { startFakeLark, type FakeLarkServer } from '../helpers/fake-lark-server';
import { createLarkCalendarFeature } from '../../src/lark-calendar';
import { featureFactories } from '../../src/capabilities';
import { loadConfig } from '../../src/platform/settings/config';
import { addSessions, LIN, openWorld, seedLeaders, session, type SyncWorld } from './sync-fixture';

const [sqlite] = testDialects();

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the lark-calendar feature', () => {
  let fake: FakeLarkServer;
  let w: SyncWorld;

  beforeEach(async () => {
    fake = await startFakeLark();
    const { db, url } = await freshDb(sqlite);
    w = await openWorld(url, fake, db);
    await seedLeaders(w);
  });
  afterEach(async () => {
    await w.core.db.destroy();
    await fake.close();
  });

  test('is listed among the capabilities', () => {
    expect(featureFactories).toContain(createLarkCalendarFeature);
  });

  test('start() with LARK_CALENDAR_SYNC on writes the coming sessions to Lark; stop() ends the worker', async () => {
    await addSessions(w, [session('2026-03-03', [LIN])]);
    const feature = createLarkCalendarFeature(w.core);
    await feature.start!();
    try {
      await until(() => fake.calendar.liveEvents().length === 1);
    } finally {
      await feature.stop!();
    }
    expect(fake.calendar.calendars).toHaveLength(1);
    expect(fake.calendar.liveEvents()[0].attendees).toEqual([LIN]);
  });

  test('off by default: start() calls Lark for nothing, and 系统检查 finds nothing', async () => {
    expect(loadConfig({}).LARK_CALENDAR_SYNC).toBe(false);
    expect(loadConfig({ LARK_CALENDAR_SYNC: 'true' }).LARK_CALENDAR_SYNC).toBe(true);
    await addSessions(w, [session('2026-03-03', [LIN])]);
    const core = { ...w.core, config: { ...w.core.config, LARK_CALENDAR_SYNC: false } };
    const feature = createLarkCalendarFeature(core);
    await feature.start!();
    await new Promise((r) => setTimeout(r, 200));
    await feature.stop!();
    expect(fake.calendar.calendars).toHaveLength(0);
    expect(fake.requests.filter((r) => r.path.includes('/calendar/'))).toHaveLength(0);
    expect(await feature.diagnose!(new Date())).toEqual([]);
  });

  test('系统检查 says so when the sync is on without a Lark app', async () => {
    const core = { ...w.core, config: { ...w.core.config, larkEnabled: false } };
    const [finding] = await createLarkCalendarFeature(core).diagnose!(new Date());
    expect(finding).toMatchObject({ area: '飞书日历', severity: 'error' });
    expect(finding.fix).toContain('LARK_APP_ID');
  });
});
