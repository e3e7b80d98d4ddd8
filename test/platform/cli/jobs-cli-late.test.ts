import type { Knex } from 'knex';
import type { Core } from '../../../src/platform/core/feature';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from '../../roster/fixtures';
import type { PlanSession } from '../../../src/roster/domain';
import { addDays, formatChineseDate } from '../../../src/platform/calendar/domain';
import { lastKnownYear, mondayFrom } from '../doctor/fixtures';

/** Every message a 补发 run queues carries the mark: the briefings, the monthly report, the weekly check. */
describe.each(testDialects())('jobs run … --now <past> --force: every job marks what it sends late ($name)', (dialect) => {
  let db: Knex;
  let core: Core;
  let env: Record<string, string>;

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    env = { DATABASE_URL: fresh.url };
    core = await testCore(db, fresh.url, { now: MONDAY });
    const store = await seedMiniCounty(core);
    const session: PlanSession = {
      date: '2026-03-04', slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId: 'zz-yangcheng', leaderIds: ['yc1'],
      accompanyUnits: [], focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
    };
    await store.sessions.insertSessions(db, [session]);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const cards = async (like: string) =>
    (await db('outbox').where('source', 'like', like).orderBy('id')).map((r: any) => JSON.parse(r.content));

  function expectLate(c: any, title: string, due: string): void {
    expect(c.header.title.content).toBe(`【补发】${title}`);
    expect(c.body.elements[0].content).toContain(`本消息原定 ${due} 发送，补发于 `);
  }

  test('briefings: refused without --force, nothing queued; with it, the leader’s card and the venue’s reminder say 补发', async () => {
    const refused = await xinfang(['jobs', 'run', 'briefings', '--now', '2026-03-03T16:00'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('接访');
    expect(await cards('briefing:%')).toEqual([]);

    const r = await xinfang(['jobs', 'run', 'briefings', '--now', '2026-03-03T16:00', '--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已发送接访提示 1 份、接访点提醒 1 条');
    const sent = await cards('briefing:%');
    expect(sent).toHaveLength(2);
    expectLate(sent[0], '接访提示：2026年3月4日（周三）全天', '2026年3月3日 16:00');
    expectLate(sent[1], '接访提醒：2026年3月4日（周三） 阳城镇综治中心', '2026年3月3日 16:00');
  });

  test('stats-monthly: the report to the bureau group says 补发', async () => {
    const r = await xinfang(['jobs', 'run', 'stats-monthly', '--now', '2026-03-01T09:00', '--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已发送 2026年2月 统计');
    const [report] = await cards('stats:%');
    expect(report.header.title.content.startsWith('【补发】')).toBe(true);
    expect(report.body.elements[0].content).toContain('本消息原定 2026年3月1日 09:00 发送');
  });

  test('doctor-weekly: the admins’ holiday reminder says 补发, once for the week', async () => {
    // A Monday in November of the last year with holiday data: the next year's are due from 1 November.
    const year = lastKnownYear();
    const monday = mondayFrom(`${year}-11-01`);
    const r = await xinfang(['jobs', 'run', 'doctor-weekly', '--now', `${monday}T09:00`, '--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已向 1 位管理员发送节假日提醒');
    const [card] = await cards('doctor-weekly:%');
    expectLate(card, '系统检查提醒：节假日安排未导入', `${formatChineseDate(monday, false)} 09:00`);
    expect(JSON.stringify(card)).toContain(`明年（${year + 1} 年）的节假日安排尚未导入`);
    const again = await xinfang(['jobs', 'run', 'doctor-weekly', '--now', `${addDays(monday, 2)}T09:00`, '--force'], env);
    expect(again.stdout).toContain('已提醒过');
    expect(await cards('doctor-weekly:%')).toHaveLength(1);
  });
});
