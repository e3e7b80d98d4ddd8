import type { App } from '../../src/app';
import { HolidayStore } from '../../src/platform/calendar/holiday-store';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { insertCase, MONDAY, seedMiniCounty } from './fixtures';

function session(date: string, venueId: string, leader: string, type: PlanSession['type'] = '接访'): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type, venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

describe('the reception roster in chat (console)', () => {
  let app: App;
  let roster: RosterService;
  let id: Record<string, number>;
  const clock = { now: MONDAY };
  const outbox = async (source: string) => app.core.db('outbox').where('source', source).orderBy('id');

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => clock.now });
    const store = await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    const [today, a, b, clash, e, qg, far] = await store.sessions.insertSessions(app.core.db, [
      session('2026-03-02', 'zz-yangcheng', 'yc1'),
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-12', 'county-center', 'cty2'),
      session('2026-03-12', 'zz-qigong', 'cty1', '下访'),
      session('2026-03-13', 'county-center', 'cty3'),
      session('2026-03-03', 'zz-qigong', 'qg1'),
      session('2026-04-20', 'zz-yangcheng', 'yc2'),
    ]);
    id = { today, a, b, clash, e, qg, far };
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('今日接访, 本周接访 and 下周接访 answer with cards anyone can read', async () => {
    const t = readable(await say(app, 'unit-zr', '今日接访'));
    expect(t).toContain('今日接访：2026年3月2日（周一）');
    expect(t).toContain('阳城镇综治中心');
    expect(t).toContain('黎嘉禾（阳城镇党委书记）');
    expect(t).not.toContain('七拱镇综治中心');
    const week = readable(await say(app, 'staff1', '本周接访'));
    expect(week).toContain('3月2日—2026年3月8日');
    expect(week).toContain('七拱镇综治中心');
    expect(week).not.toContain('周庭远');
    const next = readable(await say(app, 'staff1', '下周接访'));
    expect(next).toMatch(/林启航[\s\S]*周庭远[\s\S]*黄思源/);
    expect(next).not.toContain('黎嘉禾');
  });

  test('接访安排 finds a town or a leader, and says so when it cannot', async () => {
    const town = readable(await say(app, 'staff1', '接访安排 阳城'));
    expect(town).toContain('阳城镇接访安排');
    expect(town).toContain('严子衿');
    expect(town).not.toContain('林启航');
    const leader = readable(await say(app, 'staff1', '接访安排 林启航'));
    expect(leader).toMatch(/2026年3月10日[\s\S]*2026年3月12日[\s\S]*下访/);
    expect(readable(await say(app, 'staff1', '接访安排 火星镇'))).toContain('没有找到“火星镇”');
    expect(readable(await say(app, 'staff1', '接访安排'))).toContain('请写明乡镇或领导');
  });

  test('我的接访 is for leaders and offers to move or swap each day', async () => {
    const r = await say(app, 'cty1', '我的接访');
    const t = readable(r);
    expect(t).toContain('林启航的接访安排');
    expect(t).toContain(`编号 ${id.a}`);
    expect(buttonValue(r, '申请对调')).toEqual({ action: 'roster.change.form', kind: 'swap', sessionId: id.a });
    expect(readable(await say(app, 'staff1', '我的接访'))).toContain('没有使用该功能的权限');
  });

  test('a swap that would put a leader in two places is refused at once, and nothing is filed', async () => {
    const form = await click(app, 'cty1', { action: 'roster.change.form', kind: 'swap', sessionId: id.a });
    expect(readable(form)).toContain('申请对调');
    const t = readable(await click(app, 'cty1', { action: 'roster.change.submit', kind: 'swap', sessionId: id.a }, { other: String(id.b), reason: '陪同检查' }));
    expect(t).toContain('无法申请对调');
    expect(t).toContain(`林启航在2026年3月12日（周四）全天（编号 ${id.clash}）已有接访安排`);
    expect(await roster.store.changes.listChangeRequests()).toEqual([]);
  });

  test('a clean swap goes to the admin, who approves it in a card; both leaders and the venue are told', async () => {
    const form = await click(app, 'cty1', { action: 'roster.change.form', kind: 'swap', sessionId: id.a });
    expect(readable(form)).toContain('黄思源（常务副县长）');
    const filed = readable(await click(app, 'cty1', { action: 'roster.change.submit', kind: 'swap', sessionId: id.a }, { other: String(id.e), reason: '陪同省督导组' }));
    expect(filed).toContain('已提交对调申请');
    const [req] = await roster.store.changes.listChangeRequests('pending');
    // The approval card went to the bureau's group.
    const toAdmin = await outbox(`roster-change:${req.id}`);
    expect(toAdmin.map((r: any) => r.receive_id)).toEqual(['oc_bureau']);
    expect(JSON.stringify(JSON.parse(toAdmin[0].content))).toContain('roster.change.approve');

    expect(readable(await click(app, 'cty1', { action: 'roster.change.approve', requestId: req.id }))).toContain('没有使用该功能的权限');
    const pending = await say(app, 'admin', '接访审批');
    expect(readable(pending)).toContain('林启航（县委书记）申请将2026年3月10日（周二）全天');
    const approve = buttonValue(pending, '批准')!;
    const done = readable(await click(app, 'admin', approve));
    expect(done).toContain('已批准');

    const a = (await roster.store.sessions.getSession(id.a))!;
    const e = (await roster.store.sessions.getSession(id.e))!;
    expect([a.leaders.map((l) => l.id), a.status, a.sequence]).toEqual([['cty3'], 'changed', 1]);
    expect([e.leaders.map((l) => l.id), e.status, e.sequence]).toEqual([['cty1'], 'changed', 1]);
    const notices = (await outbox(`roster-change:${req.id}`)).slice(1);
    expect(notices.map((r: any) => r.receive_id).sort()).toEqual(['cty1', 'cty3', 'oc_venue_center']);
    expect(readable(await click(app, 'admin', approve))).toContain('已批准，无需重复处理');
  });

  test('a move approved after the plan changed meanwhile is checked again and closed as a conflict', async () => {
    const filed = readable(await say(app, 'cty2', `调整接访 ${id.b} 改到 2026-03-16 上午 参加省里会议`));
    expect(filed).toContain('已提交改期申请');
    const [req] = await roster.store.changes.listChangeRequests('pending');
    expect(req).toMatchObject({ kind: 'move', targetDate: '2026-03-16', targetSlot: '上午' });
    // Meanwhile an imported session puts 周庭远 elsewhere that morning.
    await roster.store.sessions.insertSessions(app.core.db, [session('2026-03-16', 'zz-qigong', 'cty2', '下访')]);
    const t = readable(await click(app, 'admin', { action: 'roster.change.approve', requestId: req.id }));
    expect(t).toContain('无法调整，存在冲突');
    expect((await roster.store.changes.getChangeRequest(req.id))!.status).toBe('conflict');
    const b = (await roster.store.sessions.getSession(id.b))!;
    expect([b.date, b.status, b.sequence]).toEqual(['2026-03-12', 'planned', 0]);
    const told = await outbox(`roster-change:${req.id}`);
    expect(told.slice(1).map((r: any) => r.receive_id)).toEqual(['cty2']);
  });

  test('a move to a holiday is refused; the admin may reject a request, and the leader is told', async () => {
    expect(readable(await say(app, 'cty2', `调整接访 ${id.b} 改到 2026-04-06`))).toContain('法定节假日');
    await say(app, 'cty2', `调整接访 ${id.b} 改到 2026-03-18 下午`);
    const [req] = await roster.store.changes.listChangeRequests('pending');
    expect(readable(await say(app, 'cty2', `调整接访 ${id.b} 改到 2026-03-19`))).toContain('已有待审批的调整申请');
    expect(readable(await click(app, 'admin', { action: 'roster.change.reject', requestId: req.id }))).toContain('驳回理由');
    expect(readable(await click(app, 'admin', { action: 'roster.change.reject', requestId: req.id }, { note: '另有安排' }))).toContain('已驳回');
    expect((await roster.store.sessions.getSession(id.b))!.date).toBe('2026-03-12');
    expect((await outbox(`roster-change:${req.id}`)).slice(1).map((r: any) => r.receive_id)).toEqual(['cty2']);
    expect(readable(await say(app, 'yc1', `调整接访 ${id.b} 改到 2026-03-18`))).toContain('只能调整自己的接访');
  });

  test('a clerk files a move in a leader\'s name: the reply and the admin\'s card say who filed it for whom, and the leader is told', async () => {
    const filed = readable(await say(app, 'staff1', `调整接访 ${id.qg} 改到 2026-03-05 上午 会议冲突`));
    expect(filed).toContain('已提交改期申请：温小禾（登记员）为卢可风申请将2026年3月3日（周二）');
    const [req] = await roster.store.changes.listChangeRequests('pending');
    expect(req).toMatchObject({ leaderId: 'qg1', requestedBy: 'staff1' });
    const sent = await outbox(`roster-change:${req.id}`);
    expect(sent.map((r: any) => r.receive_id)).toEqual(['oc_bureau', 'qg1']);
    expect(sent[0].content).toContain('温小禾（登记员）为卢可风申请将');
    expect(sent[0].content).not.toContain('卢可风（七拱镇党委书记）申请将');
    expect(sent[1].content).toContain('有人为您提交了接访调整申请');
    expect(readable(await say(app, 'admin', '接访审批'))).toContain('温小禾（登记员）为卢可风申请将');
    expect(readable(await click(app, 'admin', { action: 'roster.change.reject', requestId: req.id }, { note: '另有安排' }))).toContain('已驳回：温小禾（登记员）为卢可风申请将');
    expect((await outbox(`roster-change:${req.id}`)).slice(2).map((r: any) => r.receive_id).sort()).toEqual(['qg1', 'staff1']);
  });

  test('接访记录 records 批次 and 人次; cases logged as 领导接访 there that day link themselves', async () => {
    await insertCase(app.core.db, { case_no: '2026-000301', name: '周某', channel: '领导接访', received_date: '2026-03-02', town: '阳城镇' });
    await insertCase(app.core.db, { case_no: '2026-000302', name: '吴某', channel: '领导接访', received_date: '2026-03-02', town: '七拱镇' });
    const pick = await say(app, 'staff1', '接访记录');
    expect(readable(pick)).toContain('阳城镇综治中心');
    const form = await click(app, 'staff1', buttonValue(pick, '记录情况')!);
    expect(readable(form)).toContain('接待批次');
    const done = readable(await click(app, 'staff1', { action: 'roster.record.submit', sessionId: id.today }, { batches: '2', persons: '3', note: '均已现场答复' }));
    expect(done).toContain('接访情况已记录');
    expect(done).toContain('2026-000301');
    expect(done).not.toContain('2026-000302');
    const s = (await roster.store.sessions.getSession(id.today))!;
    expect(s).toMatchObject({ status: 'held', outcome: { batches: 2, persons: 3, caseNos: ['2026-000301'] } });
    expect(readable(await say(app, 'staff1', `接访记录 ${id.qg} 批次 1 人次 1`))).toContain('尚未举行');
    expect(readable(await say(app, 'staff1', `接访记录 ${id.today} 批次 3 人次 2`))).toContain('人次不能少于接待批次');
    // Full-width digits, as an input method may type them.
    expect(readable(await say(app, 'staff1', `接访记录 ${id.today} 批次 ３ 人次 ２`))).toContain('人次不能少于接待批次');
    expect(readable(await say(app, 'unit-zr', '接访记录'))).toContain('没有使用该功能的权限');
    // A leader is offered only the sessions they received at: no button they could not use.
    expect(buttonValue(await say(app, 'yc1', '接访记录'), '修改记录')).toMatchObject({ sessionId: id.today });
    const other = await say(app, 'cty1', '接访记录');
    expect(readable(other)).toContain('最近 7 天没有待记录的接访');
    expect(buttonValue(other, '记录情况')).toBeNull();
  });

  test('取消接访 keeps the session as cancelled and tells the leader and the venue', async () => {
    const confirm = await say(app, 'admin', `取消接访 ${id.far} 台风预警`);
    expect((await roster.store.sessions.getSession(id.far))!.status).not.toBe('cancelled');
    const t = readable(await click(app, 'admin', buttonValue(confirm, '确认取消')!));
    expect(t).toContain('已取消');
    const s = (await roster.store.sessions.getSession(id.far))!;
    expect([s.status, s.sequence]).toEqual(['cancelled', 1]);
    expect((await outbox(`roster-cancel:${id.far}`)).map((r: any) => r.receive_id).sort()).toEqual(['oc_venue_yc', 'yc2']);
    expect(readable(await say(app, 'staff1', '接访安排 阳城镇'))).toContain('已取消');
  });

  test('生成接访计划 in chat: a year without holiday data needs 暂排, and the card says it is provisional', async () => {
    expect(readable(await say(app, 'staff1', '生成接访计划 2027'))).toContain('没有使用该功能的权限');
    expect(readable(await say(app, 'admin', '生成接访计划 2027'))).toContain('没有 2027 年的节假日安排数据');
    const t = readable(await say(app, 'admin', '生成接访计划 2027 暂排'));
    expect(t).toContain('2027 年接访下访计划已生成');
    expect(t).toContain('暂按周末推算');
    expect(t).toMatch(/县级领导每月到县群众来访接待中心接访 1 天：每人 12 天/);
  });
});

describe('接访简报 on demand', () => {
  let app: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => MONDAY });
    const store = await seedMiniCounty(app.core);
    await store.sessions.insertSessions(app.core.db, [session('2026-03-10', 'county-center', 'cty1'), session('2026-03-12', 'zz-qigong', 'cty1', '下访')]);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('a leader gets the briefing of their next reception day, or of a date they name', async () => {
    const next = readable(await say(app, 'cty1', '接访简报'));
    expect(next).toContain('县群众来访接待中心');
    expect(next).toContain('3月10日');
    expect(next).not.toContain('七拱镇综治中心');
    const named = readable(await say(app, 'cty1', '接访简报 2026-03-12'));
    expect(named).toContain('七拱镇综治中心');
    expect(readable(await say(app, 'cty1', '接访简报 2026-03-11'))).toContain('没有接访安排');
    // Days as people type them: 明天 (Tuesday 3 March: nothing), 3月12日.
    expect(readable(await say(app, 'cty1', '接访简报 明天'))).toContain('您在2026年3月3日（周二）没有接访安排');
    expect(readable(await say(app, 'cty1', '接访简报 3月12日'))).toContain('七拱镇综治中心');
    expect(readable(await say(app, 'cty1', '接访简报 3月32日'))).toContain('看不懂日期“3月32日”');
    expect(readable(await say(app, 'unit-zr', '接访简报'))).toContain('没有使用该功能的权限');
  });
});

test('sessions in a year without holiday data read 暂定 in chat', async () => {
  const { db, url } = await freshDb(testDialects()[0]);
  const app = await makeTestApp({ db, url, now: () => new Date('2026-12-31T02:00:00Z') });
  const store = await seedMiniCounty(app.core);
  await store.sessions.insertSessions(app.core.db, [session('2027-01-05', 'county-center', 'cty1'), session('2026-12-31', 'county-center', 'cty2')]);
  const next = readable(await say(app, 'staff1', '下周接访'));
  expect(next).toContain('1月5日');
  expect(next).toContain('〔暂定〕');
  expect(readable(await say(app, 'staff1', '今日接访'))).not.toContain('暂定');
  // 我的接访 (and 调整接访 alone, the same card) say it too, for the 2027 day only.
  const mine = readable(await say(app, 'cty1', '我的接访'));
  expect(mine).toContain('2027年1月5日（周二） 全天** 县群众来访接待中心 · 接访 · 林启航（县委书记）〔暂定〕');
  expect(readable(await say(app, 'cty1', '调整接访'))).toContain('〔暂定〕');
  expect(readable(await say(app, 'cty2', '我的接访'))).not.toContain('暂定');
  // Once 2027 is imported (and the calendar reloaded), nothing is 暂定 any more.
  await new HolidayStore(db).importDays([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027], 'test');
  await app.core.calendar.reload();
  expect(readable(await say(app, 'cty1', '我的接访'))).not.toContain('暂定');
  expect(readable(await say(app, 'staff1', '下周接访'))).not.toContain('暂定');
  await db.destroy();
});
