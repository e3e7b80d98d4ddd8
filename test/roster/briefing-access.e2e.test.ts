import type { App } from '../../src/app';
import type { PlanSession } from '../../src/roster/domain';
import { makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty } from './fixtures';

function session(date: string, venueId: string, leader: string, type: PlanSession['type'] = '接访'): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type, venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

describe('clerks prepare sessions too: 接访简报 for staff and admin', () => {
  let app: App;
  let id: Record<string, number>;

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => MONDAY });
    const store = await seedMiniCounty(app.core);
    const [a, b, c] = await store.sessions.insertSessions(app.core.db, [
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-10', 'zz-qigong', 'qg1', '下访'),
      session('2026-03-12', 'zz-yangcheng', 'yc1'),
    ]);
    id = { a, b, c };
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('staff opens the next reception day: every session of it, whoever receives', async () => {
    const r = await say(app, 'staff1', '接访简报');
    expect(r.filter((x) => x.type === 'card')).toHaveLength(2);
    const t = readable(r);
    expect(t).toContain('县群众来访接待中心');
    expect(t).toContain('七拱镇综治中心');
    expect(t).toContain('3月10日');
    expect(t).not.toContain('阳城镇综治中心');
    expect(t).not.toContain('没有权限');
  });

  test('staff and admin open a session by number, a town on a day, or a leader', async () => {
    const byNo = readable(await say(app, 'admin', `接访简报 ${id.c}`));
    expect(byNo).toContain('阳城镇综治中心');
    expect(byNo).toContain('黎嘉禾');
    const townDay = readable(await say(app, 'staff1', '接访简报 七拱镇 3月10日'));
    expect(townDay).toContain('七拱镇综治中心');
    expect(townDay).not.toContain('县群众来访接待中心');
    const leader = readable(await say(app, 'staff1', '接访简报 黎嘉禾'));
    expect(leader).toContain('阳城镇综治中心');
    expect(readable(await say(app, 'staff1', '接访简报 下周五'))).toContain('全县在2026年3月13日（周五）没有接访安排');
    expect(readable(await say(app, 'staff1', '接访简报 火星镇'))).toContain('没有找到“火星镇”');
    expect(readable(await say(app, 'staff1', '接访简报 999'))).toContain('没有编号为 999 的接访安排');
  });

  test('the 包案 section is 「您包案的」 only for the session\'s leader; a clerk reads it under the leader\'s name', async () => {
    const staff = readable(await say(app, 'staff1', `接访简报 ${id.c}`));
    expect(staff).toContain('黎嘉禾包案的信访件');
    expect(staff).not.toContain('您包案的信访件');
    expect(readable(await say(app, 'staff1', '接访简报 黎嘉禾'))).toContain('黎嘉禾包案的信访件');
    expect(readable(await say(app, 'yc1', `接访简报 ${id.c}`))).toContain('您包案的信访件');
  });

  test('a leader keeps their own: another leader’s session is refused; a unit still may not; never in a group', async () => {
    expect(readable(await say(app, 'cty1', '接访简报'))).toContain('县群众来访接待中心');
    expect(readable(await say(app, 'cty1', `接访简报 ${id.c}`))).toContain('不是您接待的');
    expect(readable(await say(app, 'cty1', '接访简报 黎嘉禾'))).toContain('您可以查看自己接访的简报');
    expect(readable(await say(app, 'unit-zr', '接访简报'))).toContain('没有使用该功能的权限');
    const group = readable(await say(app, 'staff1', '接访简报', { chatType: 'group', chatId: 'oc_bureau' }));
    expect(group).toContain('请在与信访助手的单聊中');
    expect(group).not.toContain('县群众来访接待中心');
  });
});
