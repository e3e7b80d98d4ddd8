import request from 'supertest';
import type { App } from '../../src/app';
import type { Core } from '../../src/platform/core/feature';
import { parseHolidayFile } from '../../src/platform/calendar/domain';
import { importHolidays } from '../../src/platform/cli/holiday-import';
import { createRosterFeature } from '../../src/roster';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { ThirdPartyService } from '../../src/roster/third-party-service';
import { ThirdPartyStore } from '../../src/roster/third-party-store';
import { click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';
import { holidayFileOf } from './holiday-fixture';

function session(date: string, venueId: string, leader: string): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

const linkIn = (t: string) => /(\/ical\/leader\/[^\s)）"]+)/.exec(t)?.[1] ?? null;

/**
 * A session that moves or changes leader keeps its lawyer only while the lawyer is still free that
 * half-day (issue 16, item 5): 调整接访 改到 / 换成, a leave's 改期, a holiday import. And where the
 * names show: the leader's subscribed calendar names them, the public one does not.
 */
describe('第三方力量 when a session moves (console)', () => {
  let app: App;
  let store: ThirdPartyStore;
  let id: Record<string, number>;
  const clock = { now: MONDAY };
  const names = async (sessionId: number) => ((await store.ofSessions([sessionId])).get(sessionId) ?? []).map((p) => p.name).sort();

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => clock.now });
    const roster = await seedMiniCounty(app.core);
    store = new ThirdPartyStore(app.core.db);
    const [a, b, c, d] = await roster.sessions.insertSessions(app.core.db, [
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-11', 'zz-yangcheng', 'yc1'),
      session('2026-03-12', 'county-center', 'cty2'),
      session('2026-03-17', 'county-center', 'cty1'),
    ], MONDAY);
    id = { a, b, c, d };
    await say(app, 'staff1', '第三方登记 律师 张明远 正衡律师事务所 13900001001');
    await say(app, 'staff1', '第三方登记 律师 李书瑶 明法律师事务所 13900001002');
    for (const [s, who] of [[a, '张明远'], [b, '张明远'], [a, '李书瑶'], [c, '李书瑶'], [d, '张明远']] as const) {
      expect(readable(await say(app, 'staff1', `安排第三方 ${s} ${who}`))).toContain('已安排');
    }
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('调整接访 改到 a day the lawyer is elsewhere: that lawyer leaves the session, the other stays, and the admin and the notice say so', async () => {
    const t = readable(await say(app, 'admin', `调整接访 ${id.a} 改到 3月11日`));
    expect(t).toContain('改为：2026年3月11日（周三）全天');
    expect(t).toContain(`第三方人员：律师张明远2026年3月11日（周三）全天已安排在阳城镇综治中心的接访（编号 ${id.b}），已不再参加本场（编号 ${id.a}）`);
    expect(t).toContain(`安排第三方 ${id.a} <姓名>`);
    expect(t).not.toContain('李书瑶');
    expect(t).not.toContain('13900001');
    expect(await names(id.a)).toEqual(['李书瑶']);
    expect(await names(id.b)).toEqual(['张明远']); // the other session keeps them
    const notice = (await app.core.db('outbox').where('source', `roster-move:${id.a}`)).map((r: any) => r.content).join('\n');
    expect(notice).toContain('第三方人员：律师张明远');
    const [audit] = (await store.events({ sessionId: id.a })).filter((e) => e.action === 'unassigned');
    expect(audit).toMatchObject({ actorId: 'admin', how: 'hand', reason: '接访改期后重新核对' });
  });

  test('调整接访 换成 another leader on the same day: the lawyer is still free and stays, nothing is said of them', async () => {
    const t = readable(await say(app, 'admin', `调整接访 ${id.c} 换成 黄思源`));
    expect(t).toContain('改由黄思源');
    expect(t).not.toContain('第三方人员');
    expect(await names(id.c)).toEqual(['李书瑶']);
  });

  test('a leave’s 改期 to a day the lawyer is booked elsewhere drops them from the moved session', async () => {
    const offer = await say(app, 'admin', '请假登记 林启航 2026-03-17 原因 参加培训');
    const move = JSON.stringify(offer).match(/"action":"roster\.leave\.move","sessionId":(\d+),"leaderId":"cty1","date":"([\d-]+)"/);
    expect(move && Number(move[1])).toBe(id.d);
    const to = move![2];
    // Meanwhile the lawyer is booked at a town session that day.
    const roster = new RosterService(app.core);
    const [e] = await roster.store.sessions.insertSessions(app.core.db, [session(to, 'zz-qigong', 'qg1')], MONDAY);
    expect(readable(await say(app, 'staff1', `安排第三方 ${e} 张明远`))).toContain('已安排');
    const t = readable(await click(app, 'admin', { action: 'roster.leave.move', sessionId: id.d, leaderId: 'cty1', date: to }));
    expect(t).toContain('已改期');
    expect(t).toContain(`已安排在七拱镇综治中心的接访（编号 ${e}），已不再参加本场（编号 ${id.d}）`);
    expect(await names(id.d)).toEqual([]);
    expect(await names(e)).toEqual(['张明远']);
  });

  test('the leader’s subscribed calendar names the lawyer; the public calendar does not', async () => {
    const path = linkIn(readable(await say(app, 'cty1', '我的日历')))!;
    expect(path).toBeTruthy();
    const feed = (await request(app.http).get(path)).text.replace(/\r\n[ \t]/g, '');
    expect(feed).toContain('律师：李书瑶（明法律师事务所）');
    expect(feed).not.toContain('13900001');
    const pub = (await request(app.http).get('/ical/public.ics')).text.replace(/\r\n[ \t]/g, '');
    expect(pub).toContain('BEGIN:VEVENT');
    expect(pub).not.toContain('李书瑶');
    expect(pub).not.toContain('张明远');
  });
});

/** 2 December 2026: the 2027 notice is out; 1 January 2027 becomes 元旦. */
describe.each(testDialects())('第三方力量 after a holiday import ($name)', (dialect) => {
  let core: Core;
  let tp: ThirdPartyService;
  const clock = { now: new Date('2026-12-02T02:00:00Z') };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    const roster = await seedMiniCounty(core);
    tp = new ThirdPartyService(core, new RosterService(core).rules);
    // A county-centre session on 1 January, and town sessions with the same lawyer on every working day near it.
    const near = ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'];
    const ids = await roster.sessions.insertSessions(core.db, [session('2027-01-01', 'county-center', 'cty1'), ...near.map((d) => session(d, 'zz-yangcheng', 'yc1'))], clock.now);
    await tp.register({ name: '张明远', kind: '律师', organisation: '正衡律师事务所', phone: '13900001001' }, 'staff1');
    await tp.register({ name: '何静怡', kind: '心理咨询师', organisation: '县心理健康服务中心', phone: '0763-6620101' }, 'staff1');
    for (const s of ids) await tp.assign(String(s), '张明远', 'staff1');
    await tp.assign(String(ids[0]), '何静怡', 'staff1');
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('the session moved off the new holiday loses the lawyer booked elsewhere that day, keeps the counsellor, and the report says so', async () => {
    const r = await importHolidays(core, [createRosterFeature(core)], parseHolidayFile(holidayFileOf(2027)), { source: 'test-2027.json', dryRun: false });
    const section = r.sections.find((s) => s.title === '接访安排')!;
    expect(section.counts.moved).toBe(1);
    expect(section.counts.thirdPartiesDropped).toBe(1);
    const [moved] = await new RosterService(core).store.sessions.listSessions({ from: '2026-12-28', to: '2027-01-08', venueIds: ['county-center'] });
    expect(moved.date).not.toBe('2027-01-01');
    const line = section.lines.find((l) => l.startsWith('第三方人员'))!;
    expect(line).toContain(`律师张明远`);
    expect(line).toContain(`已不再参加本场（编号 ${moved.id}）`);
    const people = (await tp.store.ofSessions([moved.id])).get(moved.id)!.map((p) => p.name);
    expect(people).toEqual(['何静怡']);
    // Nobody is on two sessions of one half-day.
    const bookings = await tp.store.bookings('2026-12-28', '2027-01-08');
    const days = bookings.filter((b) => b.thirdPartyId === 1).map((b) => b.date);
    expect(new Set(days).size).toBe(days.length);
  });
});
