import request from 'supertest';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { parseIcs } from '../feeds/fixtures';
import { MONDAY, seedMiniCounty } from './fixtures';

function session(date: string, venueId: string, leader: string, type: PlanSession['type'] = '接访'): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type, venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

const ISO = /\d{4}-\d{2}-\d{2}/;

/** Every card replied passes Lark's card rules. */
function cardsValid(replies: Outgoing[]): void {
  for (const r of replies) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);
}

describe('调整接访 by the admin, 驳回 with a reason, 取消接访 with a confirmation, 恢复接访 (console)', () => {
  let app: App;
  let roster: RosterService;
  let id: Record<string, number>;
  const clock = { now: MONDAY }; // Monday 2 March 2026, 10:00
  const outbox = async (source: string) => app.core.db('outbox').where('source', source).orderBy('id');
  const toldIds = async (source: string) => (await outbox(source)).map((r: any) => r.receive_id).sort();
  const get = async (id: number) => (await roster.store.sessions.getSession(id))!;

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => clock.now });
    const store = await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    const [a, busy, b, c, venue, d, e] = await store.sessions.insertSessions(app.core.db, [
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-03', 'zz-qigong', 'cty1', '下访'),
      session('2026-03-12', 'county-center', 'cty2'),
      session('2026-03-13', 'county-center', 'cty3'),
      session('2026-03-09', 'county-center', 'cty2'),
      session('2026-03-05', 'zz-yangcheng', 'yc1'),
      session('2026-03-18', 'zz-yangcheng', 'yc2'),
    ], MONDAY);
    id = { a, busy, b, c, venue, d, e };
    await store.leaders.addUnavailability({ leaderId: 'cty1', from: '2026-03-05', to: '2026-03-06', reason: '出差' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('the admin’s move is checked like a request: the leader busy or away, a holiday, a weekend, the venue taken; nothing moves', async () => {
    const busy = readable(await say(app, 'admin', `调整接访 ${id.a} 改到 明天 上午`));
    expect(busy).toContain('无法调整');
    expect(busy).toContain(`林启航在2026年3月3日（周二）全天（编号 ${id.busy}）已有接访安排`);
    expect(busy).not.toMatch(ISO);
    expect(readable(await say(app, 'admin', `调整接访 ${id.a} 改到 3月5日`))).toContain('林启航2026年3月5日（周四）不在岗（出差）');
    expect(readable(await say(app, 'admin', `调整接访 ${id.a} 改到 4月6日 上午`))).toContain('法定节假日');
    expect(readable(await say(app, 'admin', `调整接访 ${id.a} 改到 3月7日`))).toContain('2026年3月7日（周六）是周末');
    expect(readable(await say(app, 'admin', `调整接访 ${id.a} 改到 3月9日`))).toContain(`县群众来访接待中心在2026年3月9日（周一）全天已有一场接访（编号 ${id.venue}）`);
    expect(readable(await say(app, 'admin', `调整接访 ${id.a} 改到 3月32日`))).toContain('看不懂日期“3月32日”');
    const a = await get(id.a);
    expect([a.date, a.slot, a.status, a.sequence]).toEqual(['2026-03-10', '全天', 'planned', 0]);
    expect(await outbox(`roster-move:${id.a}`)).toEqual([]);
    expect(await roster.store.changes.listChangeRequests()).toEqual([]);
  });

  test('a move by the admin in day words takes effect at once; the leader and the venue are told, the audit keeps who and why', async () => {
    const t = readable(await say(app, 'admin', `调整接访 ${id.a} 改到 下周三 上午 县委常委会`));
    expect(t).toContain('已调整');
    expect(t).toContain('原定：2026年3月10日（周二）全天 08:30—17:30');
    expect(t).toContain('改为：2026年3月11日（周三）上午');
    expect(t).not.toMatch(ISO);
    const a = await get(id.a);
    expect([a.date, a.slot, a.status, a.sequence]).toEqual(['2026-03-11', '上午', 'changed', 1]);
    expect(await toldIds(`roster-move:${id.a}`)).toEqual(['cty1', 'oc_venue_center']);
    expect((await outbox(`roster-move:${id.a}`))[0].content).toContain('原因：县委常委会');
    const [ev] = await roster.store.sessions.listSessionEvents(id.a);
    expect(ev).toMatchObject({ kind: 'move', actor: 'admin', reason: '县委常委会', detail: { from: { date: '2026-03-10' }, to: { date: '2026-03-11', slot: '上午' } } });
  });

  test('换成: a non-leader or an unknown name is refused, a town leader cannot take a county day; a handover tells both leaders', async () => {
    expect(readable(await say(app, 'admin', `调整接访 ${id.b} 换成 温小禾`))).toContain('温小禾不是接访领导');
    expect(readable(await say(app, 'admin', `调整接访 ${id.b} 换成 张三丰`))).toContain('没有找到名叫“张三丰”的接访领导');
    expect(readable(await say(app, 'admin', `调整接访 ${id.b} 换成 黎嘉禾`))).toContain('不是县级领导');
    expect((await get(id.b)).leaders.map((l) => l.id)).toEqual(['cty2']);
    const t = readable(await say(app, 'admin', `调整接访 ${id.b} 换成 黄思源 周县长参加省里会议`));
    expect(t).toContain('原由周庭远（县长）接访，改由黄思源（常务副县长）接访');
    const b = await get(id.b);
    expect([b.leaders.map((l) => l.id), b.status, b.sequence]).toEqual([['cty3'], 'changed', 1]);
    expect(await toldIds(`roster-move:${id.b}`)).toEqual(['cty2', 'cty3', 'oc_venue_center']);
    expect(await roster.store.sessions.listSessionEvents(id.b)).toMatchObject([{ kind: 'reassign', actor: 'admin', reason: '周县长参加省里会议', detail: { from: 'cty2', to: 'cty3' } }]);
  });

  test('驳回 asks for a reason (left out: asked again, nothing changes); the requester’s red card shows it', async () => {
    const filed = readable(await say(app, 'cty2', `调整接访 ${id.venue} 改到 3月16日 上午 参加省里会议`));
    expect(filed).toContain('已提交改期申请');
    expect(filed).toContain('2026年3月16日（周一）上午');
    const [req] = await roster.store.changes.listChangeRequests('pending');
    const reject = buttonValue(await say(app, 'admin', '接访审批'), '驳回')!;
    const form = await click(app, 'admin', reject);
    cardsValid(form);
    expect(readable(form)).toContain('驳回理由（申请人会看到）');
    const again = await click(app, 'admin', buttonValue(form, '驳回')!, { note: '  ' });
    expect(readable(again)).toContain('请写明驳回理由');
    expect((await roster.store.changes.getChangeRequest(req.id))!.status).toBe('pending');
    expect(await outbox(`roster-change:${req.id}`)).toHaveLength(1); // only the card to the bureau

    expect(readable(await click(app, 'admin', reject, { note: '当天已安排县委常委会' }))).toContain('已驳回');
    expect(await roster.store.changes.getChangeRequest(req.id)).toMatchObject({ status: 'rejected', decidedBy: 'admin', decisionNote: '当天已安排县委常委会' });
    const [, notice] = await outbox(`roster-change:${req.id}`);
    expect(notice.receive_id).toBe('cty2');
    const content = JSON.parse(notice.content);
    expect(content.header.template).toBe('red');
    expect(JSON.stringify(content)).toContain('驳回理由：当天已安排县委常委会');
    expect((await get(id.venue)).date).toBe('2026-03-09');
    expect(readable(await click(app, 'admin', reject))).toContain('已驳回，无需重复处理');
  });

  test('取消接访 asks the reason and a confirmation; the feed shows it cancelled; 恢复接访 brings it back and tells the same people', async () => {
    const uid = (await get(id.c)).uid;
    expect(readable(await say(app, 'staff1', `取消接访 ${id.c} 台风`))).toContain('没有使用该功能的权限');
    const ask = await say(app, 'admin', `取消接访 ${id.c}`);
    cardsValid(ask);
    expect(readable(ask)).toContain('请写明原因');
    const again = await click(app, 'admin', buttonValue(ask, '确认取消')!, { reason: '' });
    expect(readable(again)).toContain('请写明取消原因');
    const confirm = await say(app, 'admin', `取消接访 ${id.c} 台风预警`);
    cardsValid(confirm);
    expect(readable(confirm)).toContain('确认取消这场接访？');
    expect(readable(confirm)).toContain('台风预警');
    expect(readable(await click(app, 'admin', buttonValue(confirm, '不取消')!))).toContain('不取消，照常进行');
    expect((await get(id.c)).status).toBe('planned');
    expect(await outbox(`roster-cancel:${id.c}`)).toEqual([]);

    const done = readable(await click(app, 'admin', buttonValue(confirm, '确认取消')!));
    expect(done).toContain(`已取消编号 ${id.c} 的接访（2026年3月13日（周五）全天 县群众来访接待中心），原因：台风预警`);
    expect(done).toContain(`恢复接访 ${id.c}`);
    expect((await get(id.c)).status).toBe('cancelled');
    expect(await roster.store.sessions.cancelInfo(id.c)).toMatchObject({ reason: '台风预警', by: 'admin' });
    expect(await toldIds(`roster-cancel:${id.c}`)).toEqual(['cty3', 'oc_venue_center']);
    expect(readable(await click(app, 'admin', buttonValue(confirm, '确认取消')!))).toContain('已经取消');
    const cancelled = parseIcs((await request(app.http).get('/ical/public.ics')).text).byUid.get(uid)!;
    expect(cancelled.status).toBe('CANCELLED');
    const cancelledOnPage = async () => ((await request(app.http).get('/schedule')).text.match(/class="session is-cancelled"/g) ?? []).length;
    expect(await cancelledOnPage()).toBe(1);

    clock.now = new Date(MONDAY.getTime() + 5 * 60_000); // five minutes later: the feeds see a newer row
    const back = readable(await say(app, 'admin', `恢复接访 ${id.c}`));
    expect(back).toContain(`已恢复编号 ${id.c} 的接访：2026年3月13日（周五）全天`);
    expect(back).not.toMatch(ISO);
    const c = await get(id.c);
    expect([c.status, c.sequence]).toEqual(['planned', 2]);
    expect(await roster.store.sessions.cancelInfo(id.c)).toBeNull();
    expect(await toldIds(`roster-restore:${id.c}`)).toEqual(['cty3', 'oc_venue_center']);
    const restoreCard = JSON.stringify(JSON.parse((await outbox(`roster-restore:${id.c}`))[0].content));
    expect(restoreCard).toContain('接访已恢复');
    expect(restoreCard).toContain('此前取消的原因：台风预警');
    const live = parseIcs((await request(app.http).get('/ical/public.ics')).text).byUid.get(uid)!;
    expect([live.status, live.sequence]).toEqual(['CONFIRMED', 2]);
    expect(await cancelledOnPage()).toBe(0);
    expect((await roster.store.sessions.listSessionEvents(id.c)).map((e) => [e.kind, e.actor, e.reason])).toEqual([
      ['cancel', 'admin', '台风预警'], ['restore', 'admin', '台风预警'],
    ]);
    expect(readable(await say(app, 'admin', `恢复接访 ${id.c}`))).toContain('没有取消，无需恢复');
    clock.now = MONDAY;
  });

  test('恢复接访 checks again: the leader booked elsewhere or on leave that day; after the day it is refused', async () => {
    await roster.changes.cancel((await app.core.users.get('admin'))!, id.c, '场地维修');
    const [other] = await roster.store.sessions.insertSessions(app.core.db, [session('2026-03-13', 'zz-qigong', 'cty3', '下访')], MONDAY);
    const clash = readable(await say(app, 'admin', `恢复接访 ${id.c}`));
    expect(clash).toContain('无法恢复');
    expect(clash).toContain(`黄思源在2026年3月13日（周五）全天（编号 ${other}）已有接访安排`);
    expect((await get(id.c)).status).toBe('cancelled');

    await roster.changes.cancel((await app.core.users.get('admin'))!, id.d, '镇里停电');
    await roster.store.leaders.addUnavailability({ leaderId: 'yc1', from: '2026-03-05', to: '2026-03-05', reason: '培训' });
    expect(readable(await say(app, 'admin', `恢复接访 ${id.d}`))).toContain('黎嘉禾2026年3月5日（周四）不在岗（培训）');
    clock.now = new Date('2026-03-06T02:00:00Z');
    try {
      const late = readable(await say(app, 'admin', `恢复接访 ${id.d}`));
      expect(late).toContain('已经过去');
      expect(late).toContain('只能恢复尚未到来的接访');
    } finally {
      clock.now = MONDAY;
    }
    expect((await get(id.d)).status).toBe('cancelled');
    expect(await outbox(`roster-restore:${id.d}`)).toEqual([]);
  });

  test('a clerk or a leader typing 调整接访 files a request (day words too); a handover, once approved, tells both leaders', async () => {
    const filed = readable(await say(app, 'staff1', `调整接访 ${id.e} 改到 后天`));
    expect(filed).toContain('已提交改期申请');
    expect(filed).toContain('2026年3月4日（周三）');
    expect(filed).not.toMatch(ISO);
    const [byClerk] = await roster.store.changes.listChangeRequests('pending');
    expect(byClerk).toMatchObject({ kind: 'move', leaderId: 'yc2', requestedBy: 'staff1', targetDate: '2026-03-04' });
    await click(app, 'admin', { action: 'roster.change.reject', requestId: byClerk.id }, { note: '请与镇长本人确认' });
    // Filed by the clerk in 严子衿's name: she was told at once (2nd row), then both hear of the rejection.
    const rows = await outbox(`roster-change:${byClerk.id}`);
    expect(rows[1].receive_id).toBe('yc2');
    expect(rows.slice(2).map((r: any) => r.receive_id).sort()).toEqual(['staff1', 'yc2']);

    expect(readable(await say(app, 'yc2', `调整接访 ${id.e} 换成 卢可风`))).toContain('不是阳城镇的领导');
    expect(readable(await say(app, 'yc1', `调整接访 ${id.e} 换成 温远帆`))).toContain('只能调整自己的接访');
    const asked = readable(await say(app, 'yc2', `调整接访 ${id.e} 换成 温远帆 外出学习`));
    expect(asked).toContain('已提交换人申请');
    expect(asked).toContain('改由温远帆（阳城镇副镇长）接访');
    expect((await get(id.e)).leaders.map((l) => l.id)).toEqual(['yc2']);
    const pending = await say(app, 'admin', '接访审批');
    expect(readable(pending)).toContain('改由温远帆（阳城镇副镇长）接访');
    expect(readable(await click(app, 'admin', buttonValue(pending, '批准')!))).toContain('已批准');
    const e = await get(id.e);
    expect([e.leaders.map((l) => l.id), e.status]).toEqual([['yc3'], 'changed']);
    const [req] = (await roster.store.changes.listChangeRequests()).filter((r) => r.kind === 'reassign');
    expect(req).toMatchObject({ status: 'approved', leaderId: 'yc2', otherLeaderId: 'yc3' });
    expect((await outbox(`roster-change:${req.id}`)).slice(1).map((r: any) => r.receive_id).sort()).toEqual(['oc_venue_yc', 'yc2', 'yc3']);
    expect(await roster.store.sessions.listSessionEvents(id.e)).toMatchObject([{ kind: 'reassign', actor: 'admin', reason: '外出学习', detail: { requestId: req.id } }]);
  });

  test('cancelling today\'s session does not promise a 恢复接访 that would then be refused', async () => {
    const [today] = await roster.store.sessions.insertSessions(app.core.db, [session('2026-03-02', 'zz-qigong', 'qg2')], MONDAY);
    const confirm = await say(app, 'admin', `取消接访 ${today} 暴雨`);
    const done = readable(await click(app, 'admin', buttonValue(confirm, '确认取消')!));
    expect(done).toContain(`已取消编号 ${today} 的接访（2026年3月2日（周一）全天 七拱镇综治中心），原因：暴雨。已通知相关领导和接访点。`);
    expect(done).not.toContain('恢复接访');
    expect((await get(today)).status).toBe('cancelled');
  });
});
