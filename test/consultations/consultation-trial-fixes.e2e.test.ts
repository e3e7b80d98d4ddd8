import type { App } from '../../src/app';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { NOW, seedCases, seedRoster } from '../feeds/fixtures';

/**
 * What a new user met in the trial (issue 16): the clash card's 「仍按此时间安排」 pressed twice,
 * 参加 pressed twice, a time whose end is before its start, a day that does not exist.
 * "Now" is Friday 20 February 2026, 10:00 in Shanghai; 陈晓峰 receives petitioners on 3月2日 上午.
 */
describe.each(testDialects())('会商 trial fixes on $name', (dialect) => {
  let app: App;
  const clock = { now: NOW };
  const read = (r: Parameters<typeof readable>[0]) => readable(r).replace(/\\(?=[*_~`])/g, '');
  const counts = async () => ({
    meetings: Number((await app.core.db('consultations').count({ n: '*' }))[0].n),
    outbox: Number((await app.core.db('outbox').count({ n: '*' }))[0].n),
    events: Number((await app.core.db('consultation_events').count({ n: '*' }))[0].n),
  });

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock.now, env: { PUBLIC_BASE_URL: 'https://xf.example.gov.cn', FEED_RATE_LIMIT_BURST: '1000' } });
    await seedRoster(db);
    await seedCases(db);
    await addUser(app, 'staff-1', 'staff', { name: '张晓燕' });
    await addUser(app, 'ld-chen', 'leader', { name: '陈晓峰', title: '副县长' });
    await addUser(app, 'ld-wang', 'leader', { name: '王立新', title: '县委副书记' });
    await addUser(app, 'unit-zr', 'unit', { name: '孙建', unit: '县自然资源局' });
  });
  afterAll(async () => { await app.core.db.destroy(); });

  test('「仍按此时间安排」 pressed again (or twice at once) answers with the meeting already made, no second meeting or invitation', async () => {
    const clash = await say(app, 'staff-1', '会商 事项：征地补偿标准争议 3月2日 上午10点 地点：县信访局三楼会议室 领导：陈晓峰 单位：县自然资源局');
    expect(read(clash)).toContain('时间冲突');
    const force = buttonValue(clash, '仍按此时间安排')!;
    const first = read(await click(app, 'staff-1', force));
    expect(first).toContain('已安排会商 HS2026-001');
    const after = await counts();
    const again = read(await click(app, 'staff-1', force));
    expect(again).toContain('已安排会商 HS2026-001');
    expect(again).not.toContain('HS2026-002');
    const both = await Promise.all([click(app, 'staff-1', force), click(app, 'staff-1', force)]);
    for (const r of both) expect(read(r)).toContain('已安排会商 HS2026-001');
    expect(await counts()).toEqual(after);

    // A fresh clash card is a fresh request: it makes its own meeting.
    const clash2 = await say(app, 'staff-1', '会商 事项：另一件事 3月2日 上午10点 地点：县信访局三楼会议室 领导：陈晓峰');
    expect(read(await click(app, 'staff-1', buttonValue(clash2, '仍按此时间安排')!))).toContain('已安排会商 HS2026-002');
  });

  test('the move card’s 「仍按此时间安排」 pressed again moves and notifies once', async () => {
    expect(read(await say(app, 'staff-1', '会商 事项：棚改安置房交付 3月4日 上午 地点：县信访局三楼会议室 领导：陈晓峰'))).toContain('HS2026-003');
    const clash = await say(app, 'staff-1', '调整会商 HS2026-003 3月2日 上午');
    const force = buttonValue(clash, '仍按此时间安排')!;
    expect(read(await click(app, 'staff-1', force))).toContain('调整为2026年3月2日');
    const after = await counts();
    const seq = (await app.core.db('consultations').where({ no: 'HS2026-003' }).first()).sequence;
    expect(read(await click(app, 'staff-1', force))).toContain('已调整会商 HS2026-003');
    expect(await counts()).toEqual(after);
    expect((await app.core.db('consultations').where({ no: 'HS2026-003' }).first()).sequence).toBe(seq);
  });

  test('参加 pressed twice tells the organiser once', async () => {
    expect(read(await say(app, 'staff-1', '会商 事项：承包地纠纷 3月5日 下午 地点：七拱镇综治中心 领导：王立新'))).toContain('HS2026-004');
    const tells = async () => (await app.core.db('outbox').where({ receive_id: 'staff-1' }).where('source', 'like', 'consultation:HS2026-004:reply%')).length;
    expect(read(await click(app, 'ld-wang', { action: 'consultation.accept', no: 'HS2026-004' }))).toContain('已回复：参加会商 HS2026-004');
    expect(await tells()).toBe(1);
    const before = await counts();
    expect(read(await click(app, 'ld-wang', { action: 'consultation.accept', no: 'HS2026-004' }))).toContain('您已回复过');
    expect(await tells()).toBe(1);
    expect(await counts()).toEqual(before);
  });

  test('an end before the start in 24-hour form, and a day that does not exist, are refused by name, nothing saved', async () => {
    const before = await counts();
    expect(read(await say(app, 'staff-1', '会商 事项：征地 3月6日 14:00-11:00 地点：三楼会议室 领导：王立新'))).toContain('结束时间不能早于开始时间');
    expect(read(await say(app, 'staff-1', '会商 事项：征地 2月30日 下午 地点：三楼会议室 领导：王立新'))).toContain('没有2月30日这一天');
    expect(await counts()).toEqual(before);
    // 下午2点至4点 still reads the end past the start.
    const r = read(await say(app, 'staff-1', '会商 事项：征地 3月6日 下午2点至4点 地点：三楼会议室 领导：王立新'));
    expect(r).toContain('14:00—16:00');
  });
});
