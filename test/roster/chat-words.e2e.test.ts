import type { App } from '../../src/app';
import type { PlanSession } from '../../src/roster/domain';
import { buttonValue, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty } from './fixtures';

function session(date: string, venueId: string, leader: string): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

describe('roster words: days as people say them, and no command-line flags in chat', () => {
  let app: App;
  let id: Record<string, number>;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => MONDAY });
    const store = await seedMiniCounty(app.core);
    const [today, lastWeek, next] = await store.sessions.insertSessions(app.core.db, [
      session('2026-03-02', 'zz-yangcheng', 'yc1'),
      session('2026-02-25', 'county-center', 'cty1'),
      session('2026-03-03', 'zz-qigong', 'qg1'),
    ]);
    id = { today, lastWeek, next };
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('接访记录 takes a day: 今天, 3月2日, 上周三; a day still to come or one that does not exist is refused', async () => {
    for (const word of ['今天', '3月2日', '2026-03-02']) {
      const r = await say(app, 'staff1', `接访记录 ${word}`);
      expect(buttonValue(r, '记录情况')).toMatchObject({ action: 'roster.record.form', sessionId: id.today });
      expect(readable(r)).not.toContain(`〔编号 ${id.next}〕`);
    }
    expect(buttonValue(await say(app, 'staff1', '接访记录 上周三'), '记录情况')).toMatchObject({ sessionId: id.lastWeek });
    // A leader sees only the sessions they received at.
    expect(readable(await say(app, 'cty1', '接访记录 今天'))).toContain('2026年3月2日（周一）没有您可记录的接访');
    expect(readable(await say(app, 'staff1', '接访记录 明天'))).toContain('2026年3月3日（周二）还没到，接访举行以后再记录');
    expect(readable(await say(app, 'staff1', '接访记录 3月32日'))).toContain('看不懂日期“3月32日”');
    expect(readable(await say(app, 'staff1', '接访记录 阳城镇'))).toContain('接访记录 12月3日');
  });

  test('生成接访计划 for a year that has a plan tells the admin the chat words (重新生成), not a flag', async () => {
    const t = readable(await say(app, 'admin', '生成接访计划 2026'));
    expect(t).toContain('2026 年已有 3 场接访安排');
    expect(t).toContain('生成接访计划 2026 重新生成');
    expect(t).not.toMatch(/--[a-z]/);
  });

  test('帮助 names chat words only: no flag for anyone, no command line for anyone but the admin', async () => {
    for (const user of ['staff1', 'cty1', 'unit-zr', 'admin']) {
      const t = readable(await say(app, user, '帮助'));
      expect([user, /--[a-z]/.test(t)]).toEqual([user, false]);
      if (user !== 'admin') expect([user, t.includes('xinfang')]).toEqual([user, false]);
    }
    expect(readable(await say(app, 'staff1', '帮助'))).toContain('接访简报');
  });
});
