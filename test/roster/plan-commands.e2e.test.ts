import request from 'supertest';
import type { App } from '../../src/app';
import { parseHolidayFile } from '../../src/platform/calendar/domain';
import { importHolidays } from '../../src/platform/cli/holiday-import';
import { RosterService } from '../../src/roster/roster-service';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { seedMiniCounty } from './fixtures';
import { holidayFileOf } from './holiday-fixture';

/** The public feed's events, by UID (a doubled plan shows as more UIDs). */
async function publicFeedUids(app: App): Promise<string[]> {
  const res = await request(app.http).get('/ical/public.ics').buffer(true).parse((r, cb) => {
    let data = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => { data += c; });
    r.on('end', () => cb(null, data));
  });
  expect(res.status).toBe(200);
  return [...String(res.body).matchAll(/^UID:(.+)\r$/gm)].map((m) => m[1]).sort();
}

describe('生成接访计划 … 重新生成 in chat (console)', () => {
  let app: App;
  let roster: RosterService;
  const clock = { now: new Date('2026-12-02T02:00:00Z') };
  const sessions = async () => roster.store.sessions.listSessions({ year: 2027, includeCancelled: true });

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => clock.now, env: { FEED_RATE_LIMIT_BURST: '1000' } });
    await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    expect(readable(await say(app, 'admin', '生成接访计划 2027 暂排'))).toContain('2027 年接访下访计划已生成');
    await importHolidays(app.core, app.features, parseHolidayFile(holidayFileOf(2027)), { source: 'test', dryRun: false });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('remaking a plan first shows what it would change, and changes nothing until confirmed', async () => {
    const before = await sessions();
    const feed = await publicFeedUids(app);
    expect(feed.length).toBeGreaterThan(before.length / 2);
    const replies = await say(app, 'admin', '生成接访计划 2027 重新生成');
    const t = readable(replies);
    expect(t).toContain('重新生成 2027 年接访下访计划？');
    expect(t).toMatch(/取消\*\*：\d+/);
    expect(t).toContain('生成接访计划 2027 重新生成 确认');
    expect(await sessions()).toEqual(before);
    const value = buttonValue(replies, '确认重新生成');
    expect(value).toMatchObject({ action: 'roster.plan.replace', year: 2027 });

    // Only the admin may press it.
    expect(readable(await click(app, 'staff1', value!))).not.toContain('已重新生成');
    expect(await sessions()).toEqual(before);

    const done = readable(await click(app, 'admin', value!));
    expect(done).toContain('2027 年接访下访计划已重新生成');
    const after = await sessions();
    // Nothing doubled: the same session rows, the same UIDs in the public feed.
    expect(after.map((s) => s.uid).sort()).toEqual(before.map((s) => s.uid).sort());
    expect(await publicFeedUids(app)).toEqual(feed);
    expect(after.filter((s) => s.status === 'cancelled').length).toBeGreaterThan(0);
  });

  test('with 确认 it is done at once; when nothing would change, nothing does', async () => {
    const before = await sessions();
    const t = readable(await say(app, 'admin', '生成接访计划 2027 重新生成 确认'));
    expect(t).toContain('2027 年接访下访计划已重新生成');
    expect(t).toMatch(/新增\*\*：0/);
    expect(await sessions()).toEqual(before);
    const preview = readable(await say(app, 'admin', '生成接访计划 2027 重新生成'));
    expect(preview).toContain('现有安排已与规则一致');
  });

  test('a leader cannot remake the plan; a year that has a plan asks for 重新生成', async () => {
    expect(readable(await say(app, 'cty1', '生成接访计划 2027 重新生成'))).not.toContain('重新生成 2027 年');
    expect(readable(await say(app, 'admin', '生成接访计划 2027'))).toContain('生成接访计划 2027 重新生成');
  });

  test('a year without holiday data: the chat words to plan provisionally, no command line', async () => {
    const t = readable(await say(app, 'admin', '生成接访计划 2030'));
    expect(t).toContain('没有 2030 年的节假日安排数据');
    expect(t).toContain('生成接访计划 2030 暂排');
    expect(t).not.toMatch(/xinfang |--[a-z]/);
  });
});
