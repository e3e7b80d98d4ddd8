import type { App } from '../../src/app';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty } from './fixtures';

function session(date: string, venueId: string, leader: string, over: Partial<PlanSession> = {}): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: [],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null, ...over,
  };
}

describe.each(testDialects())('leave after planning: 请假登记 in chat ($name)', (dialect) => {
  let app: App;
  let roster: RosterService;
  let id: Record<string, number>;
  const outbox = (source: string) => app.core.db('outbox').where('source', source).orderBy('id');
  const leaves = async () => (await roster.store.leaders.listUnavailability()).length;

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => MONDAY });
    const store = await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    const [centre, down, busy, after, town, self] = await store.sessions.insertSessions(app.core.db, [
      // 林启航 (deputy 周庭远) is away 9–13 March 2026.
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-12', 'zz-qigong', 'cty1', { type: '下访' }),
      session('2026-03-12', 'county-center', 'cty2'),
      session('2026-03-20', 'county-center', 'cty1'),
      // 黎嘉禾 (deputy 严子衿) receives weekly at 阳城镇: a week all leave leaves nowhere to move.
      session('2026-03-11', 'zz-yangcheng', 'yc1', { ruleId: 'town-weekly' }),
      session('2026-03-16', 'county-center', 'cty3'),
    ]);
    id = { centre, down, busy, after, town, self };
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('the admin records a leave and gets, per planned session, the deputy or a move; nothing moves yet', async () => {
    const r = await say(app, 'admin', '请假登记 林启航 2026-03-09 至 2026-03-13 原因 参加培训');
    const t = readable(r);
    expect(t).toContain('已登记：林启航 2026年3月9日（周一）至2026年3月13日（周五）（参加培训）不在岗，由周庭远代班');
    expect(t).toContain('林启航请假期间的接访安排（2 场）');
    expect(t).toContain(`2026年3月10日（周二）全天 08:30—17:30 县群众来访接待中心 · 接访 〔编号 ${id.centre}〕`);
    expect(t).toContain(`七拱镇综治中心 · 下访 〔编号 ${id.down}〕`);
    expect(t).not.toContain(`编号 ${id.after}`);
    // 周庭远 has his own session on the 12th: no deputy button for that one, and why.
    expect(t).toContain(`代班领导周庭远不能接替：周庭远在2026年3月12日（周四）全天（编号 ${id.busy}）已有接访安排`);
    expect(buttonValue(r, '由代班领导周庭远接访')).toEqual({ action: 'roster.leave.deputy', sessionId: id.centre, leaderId: 'cty1' });
    expect(buttonValue(r, '改期到2026年3月6日')).toEqual({ action: 'roster.leave.move', sessionId: id.centre, leaderId: 'cty1', date: '2026-03-06' });
    const s = await roster.store.sessions.getSession(id.centre);
    expect(s).toMatchObject({ date: '2026-03-10', sequence: 0, status: 'planned' });
    expect(s!.leaders.map((l) => l.id)).toEqual(['cty1']);
  });

  test('由代班领导接访: the deputy takes the day (代班), same number and UID, SEQUENCE up, everyone told; a second click changes nothing', async () => {
    const before = (await roster.store.sessions.getSession(id.centre))!;
    const reply = readable(await click(app, 'admin', { action: 'roster.leave.deputy', sessionId: id.centre, leaderId: 'cty1' }));
    expect(reply).toContain('已改由周庭远（县长）代班接访');
    const after = (await roster.store.sessions.getSession(id.centre))!;
    expect(after).toMatchObject({ uid: before.uid, date: '2026-03-10', sequence: 1, status: 'changed' });
    expect(after.leaders).toEqual([expect.objectContaining({ id: 'cty2', substituteFor: 'cty1' })]);
    const sent = await outbox(`roster-leave-deputy:${id.centre}`);
    expect(sent.map((m: any) => m.receive_id).sort()).toEqual(['cty1', 'cty2', 'oc_venue_center']);
    expect(sent[0].content).toContain('林启航参加培训，改由周庭远（县长）代班接访');
    expect(readable(await say(app, 'cty2', '我的接访'))).toContain('周庭远（县长）〔代班〕');

    const again = readable(await click(app, 'admin', { action: 'roster.leave.deputy', sessionId: id.centre, leaderId: 'cty1' }));
    expect(again).toContain('已不由林启航接访');
    expect((await roster.store.sessions.getSession(id.centre))!.sequence).toBe(1);
    expect(await outbox(`roster-leave-deputy:${id.centre}`)).toHaveLength(3);
  });

  test('改期: the session moves to the offered day, keeps its UID, and the leader and the venue are told', async () => {
    const before = (await roster.store.sessions.getSession(id.down))!;
    const reply = readable(await click(app, 'admin', { action: 'roster.leave.move', sessionId: id.down, leaderId: 'cty1', date: '2026-03-11' }));
    // The 11th is in the leave: refused, nothing moves.
    expect(reply).toContain('林启航2026年3月11日（周三）不在岗（参加培训）');
    expect(readable(await click(app, 'admin', { action: 'roster.leave.move', sessionId: id.down, leaderId: 'cty1', date: '2026-04-02' })))
      .toContain('不在这场接访规则允许的同一月内（3月1日—3月31日）');
    expect((await roster.store.sessions.getSession(id.down))!.sequence).toBe(0);

    const ok = readable(await click(app, 'admin', { action: 'roster.leave.move', sessionId: id.down, leaderId: 'cty1', date: '2026-03-16' }));
    expect(ok).toContain('改为：2026年3月16日（周一）全天');
    const after = (await roster.store.sessions.getSession(id.down))!;
    expect(after).toMatchObject({ id: id.down, uid: before.uid, date: '2026-03-16', sequence: 1, status: 'changed' });
    const sent = await outbox(`roster-leave-move:${id.down}`);
    expect(sent.map((m: any) => m.receive_id).sort()).toEqual(['cty1', 'oc_venue_qg']);
    expect(readable(await click(app, 'admin', { action: 'roster.leave.move', sessionId: id.down, leaderId: 'cty1', date: '2026-03-17' })))
      .toContain('不在林启航的请假期间，无需调整');
  });

  test('a weekly session whose whole week is leave offers only the deputy, and says why', async () => {
    const r = await say(app, 'admin', '请假登记 黎嘉禾 3月9日至3月13日 代班 温远帆');
    const t = readable(r);
    expect(t).toContain('由温远帆代班');
    expect(t).toContain('同一周内（3月9日—3月15日）没有可改的工作日');
    expect(buttonValue(r, '由代班领导温远帆接访')).toEqual({ action: 'roster.leave.deputy', sessionId: id.town, leaderId: 'yc1' });
    expect(buttonValue(r, '改期到')).toBeNull();
  });

  test('a leader records their own leave: the list in the reply, the card to the admin through the outbox', async () => {
    const t = readable(await say(app, 'cty3', '请假登记 2026-03-16 至 2026-03-17 出差'));
    expect(t).toContain('已登记：黄思源 2026年3月16日（周一）至2026年3月17日（周二）（出差）不在岗，由林启航代班');
    expect(t).toContain(`• 2026年3月16日（周一）全天 08:30—17:30 县群众来访接待中心 · 接访 〔编号 ${id.self}〕`);
    expect(t).toContain('已请管理员安排代班或改期');
    const [toAdmin] = await outbox('roster-leave:cty3:2026-03-16');
    expect(toAdmin.receive_id).toBe('admin');
    // 林启航 now has the session moved to the 16th above: the card says so and offers the move.
    expect(toAdmin.content).toContain(`代班领导林启航不能接替：林启航在2026年3月16日（周一）全天（编号 ${id.down}）已有接访安排`);
    expect(toAdmin.content).toContain('改期到2026年3月18日（周三）');
    expect(readable(await say(app, 'cty3', '请假登记 林启航 2026-03-18'))).toContain('只能登记您本人的请假');
  });

  test('a leave with nothing planned says so; bad input is refused in Chinese and saves nothing', async () => {
    const none = readable(await say(app, 'admin', '请假登记 周庭远 2026-05-06 至 2026-05-08'));
    expect(none).toContain('请假期间没有已安排的接访，无需调整');
    const n = await leaves();
    expect(readable(await say(app, 'admin', '请假登记 林启航 2026-03-32'))).toContain('看不懂日期“2026-03-32”');
    expect(readable(await say(app, 'admin', '请假登记 林启航 2026-03-13 至 2026-03-09'))).toContain('结束日期不能早于开始日期');
    expect(readable(await say(app, 'admin', '请假登记 王五 3月9日'))).toContain('没有找到领导“王五”');
    expect(readable(await say(app, 'admin', '请假登记 林启航 3月9日 代班 林启航'))).toContain('代班领导不能是本人');
    expect(readable(await say(app, 'admin', '请假登记'))).toContain('请写明领导和日期');
    expect(await leaves()).toBe(n);
    expect(readable(await say(app, 'staff1', '请假登记 林启航 3月9日'))).toContain('没有使用该功能的权限');
    expect(readable(await click(app, 'cty1', { action: 'roster.leave.deputy', sessionId: id.self, leaderId: 'cty3' }))).toContain('没有使用该功能的权限');
  });
});
