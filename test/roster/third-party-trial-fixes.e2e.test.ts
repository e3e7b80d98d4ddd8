import type { App } from '../../src/app';
import { RosterService } from '../../src/roster/roster-service';
import { ThirdPartyStore } from '../../src/roster/third-party-store';
import { THIRD_PARTY_KINDS } from '../../src/roster/domain/third-party-rules';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { MONDAY, seedMiniCounty } from './fixtures';

/**
 * What a new user met in the trial (issue 16): 安排第三方 / 取消第三方 on a session that has taken
 * place; 第三方停用 open to staff and done with no confirmation; 第三方登记's unclear errors.
 */
describe.each(testDialects())('第三方力量 trial fixes ($name)', (dialect) => {
  let app: App;
  let roster: RosterService;
  let store: ThirdPartyStore;
  const clock = { now: MONDAY };
  const bookingCount = async () => Number((await app.core.db('session_third_parties').count({ n: '*' }))[0].n);

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    app = await makeTestApp({ db: fresh.db, url: fresh.url, now: () => clock.now, env: { FEED_RATE_LIMIT_BURST: '1000' } });
    await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    store = new ThirdPartyStore(app.core.db);
    for (const [name, phone] of [['张明远', '13900001001'], ['李书瑶', '13900001002']]) {
      expect(readable(await say(app, 'staff1', `第三方登记 律师 ${name} 正衡律师事务所 ${phone}`))).toContain('已登记');
    }
    expect(readable(await say(app, 'admin', '生成接访计划 2026'))).toContain('已生成');
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('安排第三方 / 取消第三方 on a session that has taken place (dated before today, or held) are refused, nothing changed', async () => {
    const all = await roster.store.sessions.listSessions({ year: 2026 });
    const map = await store.ofSessions(all.map((s) => s.id));
    const center = all.filter((s) => s.venueKind === 'center' && s.status !== 'cancelled' && map.get(s.id)?.length);
    const [past] = center;
    // A fortnight later: the first of them has taken place.
    clock.now = new Date(new Date(`${past.date}T02:00:00Z`).getTime() + 14 * 86400000);
    const booked = map.get(past.id)![0];
    const other = ['张明远', '李书瑶'].find((n) => n !== booked.name)!;
    const before = await bookingCount();
    expect(readable(await say(app, 'staff1', `安排第三方 ${past.id} ${other}`))).toContain('已经过去，不能再安排第三方人员');
    expect(readable(await say(app, 'staff1', `取消第三方 ${past.id} ${booked.name}`))).toContain('已经过去，不能再取消第三方人员');
    // Held (recorded as received) while still dated today or later.
    const coming = center.find((s) => new Date(`${s.date}T02:00:00Z`) > clock.now)!;
    await app.core.db('sessions').where({ id: coming.id }).update({ status: 'held' });
    expect(readable(await say(app, 'staff1', `取消第三方 ${coming.id} ${map.get(coming.id)![0].name}`))).toContain('已经过去');
    expect(await bookingCount()).toBe(before);
    await app.core.db('sessions').where({ id: coming.id }).update({ status: coming.status });
    clock.now = MONDAY;
  });

  test('第三方停用 is for admins, and asks first how many coming sessions will lose the person', async () => {
    expect(readable(await say(app, 'staff1', '第三方停用 张明远'))).toContain('没有使用该功能的权限');
    const person = (await store.list({ activeOnly: true })).find((p) => p.name === '张明远')!;
    const coming = (await store.comingSessionsOf(person.id, '2026-03-02')).length;
    expect(coming).toBeGreaterThan(0);
    const before = await bookingCount();

    const asked = await say(app, 'admin', '第三方停用 张明远');
    expect(asked[0].type === 'card' && checkCard(asked[0].card)).toEqual([]);
    expect(readable(asked)).toContain(`确认停用律师张明远`);
    expect(readable(asked)).toContain(`取消其今后已安排的 **${coming}** 场接访`);
    expect(await bookingCount()).toBe(before);
    expect((await store.list({ activeOnly: true })).some((p) => p.id === person.id)).toBe(true);

    expect(readable(await click(app, 'admin', buttonValue(asked, '不停用')!))).toContain('仍在第三方名册中');
    expect(readable(await click(app, 'staff1', buttonValue(asked, '确认停用')!))).toContain('没有使用该功能的权限');
    expect(await bookingCount()).toBe(before);

    expect(readable(await click(app, 'admin', buttonValue(asked, '确认停用')!))).toContain(`并取消其今后的 ${coming} 场接访安排`);
    expect(await bookingCount()).toBe(before - coming);
    expect(readable(await click(app, 'admin', buttonValue(asked, '确认停用')!))).toContain('已移出第三方名册，无需再次停用');
    expect(await bookingCount()).toBe(before - coming);
  });

  test('第三方登记: a wrong phone and an unknown kind are named; full-width digits and spaces are read', async () => {
    const count = (await store.list()).length;
    expect(readable(await say(app, 'staff1', '第三方登记 律师 王五 某所 12345'))).toContain('手机号应为11位数字');
    const kind = readable(await say(app, 'staff1', '第三方登记 会计师 王五 某所 13900001009'));
    expect(kind).toContain('类别“会计师”不对');
    expect(kind).toContain(THIRD_PARTY_KINDS.join('、'));
    expect(await store.list()).toHaveLength(count);
    const wide = readable(await say(app, 'staff1', '第三方登记　律师　王五　某所　１３９０００１１２２３'));
    expect(wide).toContain('已登记进第三方名册：律师：王五（某所），电话 139****1223');
  });
});
