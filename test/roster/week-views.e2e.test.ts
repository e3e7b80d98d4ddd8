import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import type { PlanSession, Slot } from '../../src/roster/domain';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { MONDAY, seedMiniCounty } from './fixtures';

const LEADERS = ['cty1', 'cty2', 'cty3', 'yc1', 'yc2', 'yc3', 'qg1', 'qg2', 'qg3'];
const VENUES = ['county-center', 'zz-yangcheng', 'zz-qigong'];

function session(date: string, venueId: string, leader: string, slot: Slot = '全天'): PlanSession {
  const [startTime, endTime] = slot === '上午' ? ['08:30', '12:00'] : slot === '下午' ? ['14:30', '17:30'] : ['08:30', '17:30'];
  return {
    date, slot, startTime, endTime, type: '接访', venueId, leaderIds: [leader], accompanyUnits: ['县信访局'],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;

/** Every card a reply holds: valid Lark JSON 2.0, and small enough for Lark's 30 KB request. */
function expectSendable(replies: Outgoing[]): void {
  for (const r of replies) {
    if (r.type !== 'card') continue;
    expect(checkCard(r.card)).toEqual([]);
    // The card goes out as an escaped string inside the request body.
    expect(Buffer.byteLength(JSON.stringify({ content: JSON.stringify(r.card) }))).toBeLessThan(30 * 1024);
  }
}

/** What a person reads never has an ISO date or a command-line flag in it. */
function expectPlainWords(text: string): void {
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  expect(text).not.toMatch(/--[a-z]/);
  expect(text).not.toContain('xinfang');
}

describe.each(testDialects())('week views never cut (%s)', (dialect) => {
  let app: App;
  const ids: number[] = [];
  let lastSunday = 0;
  let centreIds: number[] = [];
  let cty1Ids: number[] = [];

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => MONDAY });
    const store = await seedMiniCounty(app.core);
    // This week (2 to 8 March): 12 sessions a day, 84 in all, Sunday included.
    const week: PlanSession[] = [];
    for (let d = 2; d <= 8; d++) {
      for (let i = 0; i < 12; i++) week.push(session(day(d), VENUES[i % 3], LEADERS[(i + d) % 9], i % 2 ? '上午' : '下午'));
    }
    ids.push(...(await store.sessions.insertSessions(app.core.db, week)));
    lastSunday = ids[ids.length - 1];
    // The county centre every day for the next 90 days: more than one answer's cards.
    const centre: PlanSession[] = [];
    for (let d = 9; d < 9 + 80; d++) {
      const date = new Date(Date.UTC(2026, 2, d)).toISOString().slice(0, 10);
      centre.push(session(date, 'county-center', 'cty2', '上午'), session(date, 'county-center', 'cty3', '下午'), session(date, 'county-center', 'qg1', '全天'));
    }
    centreIds = await store.sessions.insertSessions(app.core.db, centre);
    // 林启航: every day from 9 March for 70 days, more than 我的接访 sends at once.
    const mine: PlanSession[] = [];
    for (let d = 9; d < 9 + 70; d++) mine.push(session(new Date(Date.UTC(2026, 2, d)).toISOString().slice(0, 10), 'zz-yangcheng', 'cty1'));
    cty1Ids = await store.sessions.insertSessions(app.core.db, mine);
  }, 60_000);
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('本周接访 with 84 sessions shows every one, on cards of whole days, Sunday included', async () => {
    const replies = await say(app, 'staff1', '本周接访');
    expect(replies.length).toBeGreaterThan(1);
    expectSendable(replies);
    const t = readable(replies);
    for (const id of ids) expect(t).toContain(`〔编号 ${id}〕`);
    expect(t).toContain('2026年3月8日（周日）');
    expect(t).toContain(`〔编号 ${lastSunday}〕`);
    expect(t).not.toContain('未列出');
    expect(t).toContain(`本周接访安排（${replies.length}/${replies.length}）`);
    // No day is split between two cards.
    const daysPerCard = replies.map((r) => readable([r]).match(/2026年3月\d+日（周.）/g) ?? []);
    const all = daysPerCard.flat();
    expect(new Set(all).size).toBe(all.length);
    expectPlainWords(t.replace(/\d{4}年/g, ''));
  });

  test('接访安排 of the county centre over 90 days: the first cards, then a 下一页 that shows the rest', async () => {
    const first = await say(app, 'unit-zr', '接访安排 县城');
    expectSendable(first);
    const next = buttonValue(first, '下一页');
    expect(next).not.toBeNull();
    const shown = new Set([...readable(first).matchAll(/〔编号 (\d+)〕/g)].map((m) => Number(m[1])));
    let page = first;
    let guard = 0;
    while (buttonValue(page, '下一页') && guard++ < 10) {
      page = await click(app, 'unit-zr', buttonValue(page, '下一页')!);
      expectSendable(page);
      for (const m of readable(page).matchAll(/〔编号 (\d+)〕/g)) shown.add(Number(m[1]));
    }
    const centreWeek = ids.filter((_, i) => i % 12 % 3 === 0);
    for (const id of [...centreWeek, ...centreIds]) expect(shown.has(id)).toBe(true);
    expect(readable(page)).toContain('县群众来访接待中心接访安排');
  });

  test('我的接访 shows all 70 coming days on cards of 15, and 下一页 for the days past them', async () => {
    const replies = await say(app, 'cty1', '我的接访');
    expectSendable(replies);
    const more = buttonValue(replies, '下一页');
    expect(more).toMatchObject({ action: 'roster.mine.more' });
    const rest = await click(app, 'cty1', more!);
    expectSendable(rest);
    const t = readable([...replies, ...rest]);
    for (const id of cty1Ids) expect(t).toContain(`〔编号 ${id}〕`);
    expect(buttonValue(rest, '申请改期')).toMatchObject({ action: 'roster.change.form' });
  });

  test('接访安排 takes a day: 明天, 下周三, a town and a day; a day that does not exist is refused', async () => {
    const tomorrow = readable(await say(app, 'staff1', '接访安排 明天'));
    expect(tomorrow).toContain('接访安排：2026年3月3日（周二）');
    for (const id of ids.slice(12, 24)) expect(tomorrow).toContain(`〔编号 ${id}〕`);
    expect(tomorrow).not.toContain(`〔编号 ${ids[0]}〕`);
    const glued = readable(await say(app, 'staff1', '接访安排明天'));
    expect(glued).toContain('2026年3月3日（周二）');
    const wed = readable(await say(app, 'staff1', '接访安排 阳城镇 下周三'));
    expect(wed).toContain('阳城镇接访安排');
    expect(wed).toContain('2026年3月11日（周三）');
    expect(wed).not.toContain('县群众来访接待中心');
    const leaderDay = readable(await say(app, 'staff1', '接访安排 林启航 3月10日'));
    expect(leaderDay).toContain('林启航（县委书记）接访安排');
    expect(leaderDay).toContain(`〔编号 ${cty1Ids[1]}〕`);
    expect(leaderDay).not.toContain(`〔编号 ${cty1Ids[0]}〕`);
    expect(readable(await say(app, 'staff1', '接访安排 3月32日'))).toContain('看不懂日期“3月32日”');
    expect(readable(await say(app, 'staff1', '接访安排 阳城镇 2027-06-01'))).toContain('2027年6月1日（周二）没有接访安排');
  });
});
