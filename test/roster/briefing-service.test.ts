import type { Core } from '../../src/platform/core/feature';
import { createRosterFeature } from '../../src/roster';
import { BriefingService } from '../../src/roster/briefing-service';
import { RosterService } from '../../src/roster/roster-service';
import type { PlanSession } from '../../src/roster/domain';
import { freshDb, testDialects } from '../helpers/db';
import { insertCase, insertDeadline, MONDAY, seedMiniCounty, testCore } from './fixtures';

const at = (shanghai: string) => new Date(`${shanghai}:00+08:00`);

function session(date: string, venueId: string, leader: string, extra: Partial<PlanSession> = {}): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader],
    accompanyUnits: ['阳城镇综治中心', '阳城派出所'], focus: '征地拆迁', capacity: 20, ruleId: null, substituteFor: null, note: '内部备注',
    ...extra,
  };
}

/** Every string a person reads in the card. */
function cardText(content: string): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(content));
  return out.join('\n');
}

describe.each(testDialects())('briefings before reception days ($name)', (dialect) => {
  let core: Core;
  let briefings: BriefingService;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    const store = await seedMiniCounty(core);
    const roster = new RosterService(core);
    const [past] = await store.sessions.insertSessions(core.db, [
      session('2026-02-25', 'zz-yangcheng', 'yc2'),
      session('2026-03-04', 'zz-yangcheng', 'yc1'),
      session('2026-03-09', 'county-center', 'cty1', { accompanyUnits: ['县信访局'] }),
      session('2026-03-10', 'zz-qigong', 'qg1'),
      session('2026-03-11', 'county-center', 'cty2'),
    ]);

    // The session on 25 February was held; a 领导接访 case of that day links itself to it.
    await insertCase(core.db, { case_no: '2026-000101', channel: '领导接访', received_date: '2026-02-25', town: '阳城镇', status: 'assigned' });
    clock.now = at('2026-02-25 17:00');
    await roster.records.recordOutcome((await core.users.get('staff1'))!, past, { batches: 2, persons: 5, note: '现场答复 3 批' });
    clock.now = MONDAY;

    // 阳城镇: an overdue case, a supervised case, a repeat petitioner, a closed case.
    const overdue = await insertCase(core.db, {
      case_no: '2026-000102', name: '陈某', town: '阳城镇', content: '反映征地补偿未到位，联系电话13812345678', category: '自然资源',
    });
    await insertDeadline(core.db, overdue, 'conclusion', '2026-02-20');
    await insertCase(core.db, { case_no: '2026-000103', name: '李某', town: '阳城镇', supervised: true, status: 'assigned', category: '城乡建设' });
    await insertCase(core.db, { case_no: '2026-000104', name: '赵某', id_number: '441823199001016012', town: '阳城镇', status: 'concluded' });
    await insertCase(core.db, { case_no: '2026-000105', name: '赵某', id_number: '441823199001016012', town: '阳城镇', received_date: '2026-02-10' });
    await insertCase(core.db, { case_no: '2026-000106', name: '钱某', town: '阳城镇', status: 'closed' });
    // 七拱镇: an overdue case owned by 阳城镇's secretary (包案), which only the county briefing lists by town.
    const qgCase = await insertCase(core.db, { case_no: '2026-000201', name: '孙某', town: '七拱镇', leader_id: 'yc1', category: '劳动和社会保障' });
    await insertDeadline(core.db, qgCase, 'decision', '2026-02-01');
    briefings = new BriefingService(core);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  const outbox = async () => core.db('outbox').where('source', 'like', 'briefing:%').orderBy('id');

  test('nothing goes out before the briefing time of the working day before', async () => {
    expect(await briefings.run(at('2026-03-03 15:59'))).toContain('0 份');
    expect(await outbox()).toEqual([]);
  });

  test('at 16:00 the leader gets the briefing and the venue’s group a reminder, through the outbox', async () => {
    const msg = await briefings.run(at('2026-03-03 16:00'));
    expect(msg).toBe('已发送接访提示 1 份、接访点提醒 1 条');
    const rows = await outbox();
    expect(rows.map((r: any) => [r.receive_id_type, r.receive_id, r.msg_type, r.status])).toEqual([
      ['open_id', 'yc1', 'interactive', 'pending'],
      ['chat_id', 'oc_venue_yc', 'interactive', 'pending'],
    ]);
    const t = cardText(rows[0].content);
    // When, where, who accompanies.
    expect(t).toContain('2026年3月4日（周三）全天 08:30—17:30');
    expect(t).toContain('阳城镇综治中心（阳城镇政府大院）');
    expect(t).toContain('阳城镇综治中心、阳城派出所');
    expect(t).toContain('征地拆迁');
    // Open, overdue and supervised cases of the town.
    expect(t).toMatch(/阳城镇信访概况\*\*：在办 \d+ 件，逾期 1 件，挂牌督办 1 件/);
    expect(t).toMatch(/2026-000102 陈某[\s\S]*办结期限已于2026年2月20日届满/);
    expect(t).toContain('2026-000103 李某');
    // Repeat petitioners from there, and the leader's own cases.
    expect(t).toMatch(/赵某（阳城镇）共 2 件，最近一件 2026-000105/);
    expect(t).toMatch(/您包案的信访件\*\*\n• 2026-000201 孙某.*已逾期（期限 2026年2月1日）/);
    // The outcome of the last session there, with the case that linked itself.
    expect(t).toContain('接待 2 批 5 人次，登记信访件 1 件');
    // Nothing from another town in the town lists, no closed cases, no raw phone numbers, no internal notes.
    expect(t).not.toMatch(/逾期未办结\*\*[^*]*2026-000201/);
    expect(t).not.toContain('2026-000106');
    expect(t).not.toContain('13812345678');
    expect(t).toContain('138\\*\\*\\*\\*5678'); // 138****5678, escaped for Lark markdown
    expect(t).not.toContain('内部备注');
    const v = cardText(rows[1].content);
    expect(v).toContain('黎嘉禾（阳城镇党委书记）');
    expect(v).toContain('接访记录');
  });

  test('running again sends nothing twice', async () => {
    expect(await briefings.run(at('2026-03-03 16:05'))).toBe('已发送接访提示 0 份、接访点提醒 0 条');
    expect(await briefings.run(at('2026-03-04 08:00'))).toBe('已发送接访提示 0 份、接访点提醒 0 条');
    expect(await outbox()).toHaveLength(2);
    expect(await briefings.store.briefings.countBriefings()).toBe(2);
  });

  test('a Monday session is briefed on Friday, with the whole county for the county centre', async () => {
    expect(await briefings.run(at('2026-03-05 16:30'))).toContain('0 份');
    await briefings.run(at('2026-03-06 16:00'));
    const rows = (await outbox()).filter((r: any) => r.receive_id === 'cty1');
    expect(rows).toHaveLength(1);
    const t = cardText(rows[0].content);
    expect(t).toMatch(/全县信访概况\*\*：在办 \d+ 件，逾期 2 件/);
    expect(t).toContain('2026-000201 孙某（七拱镇');
    expect(t).toContain('此前没有在此地点接访的记录');
  });

  test('a missed run still briefs before the session starts, but not after it began', async () => {
    await briefings.run(at('2026-03-10 08:00'));
    expect((await outbox()).filter((r: any) => r.receive_id === 'qg1')).toHaveLength(1);
    await briefings.run(at('2026-03-11 09:00'));
    expect((await outbox()).filter((r: any) => r.receive_id === 'cty2')).toHaveLength(0);
  });

  test('after a holiday, the briefing goes on the 调休 working day before it', () => {
    // 2026-02-24 follows the spring festival (2/15–2/23); the working day before is Saturday 2/14.
    expect(briefings.dueAt('2026-02-24').toISOString()).toBe('2026-02-14T08:00:00.000Z');
    expect(briefings.dueAt('2026-03-09').toISOString()).toBe('2026-03-06T08:00:00.000Z');
  });

  test('the feature offers the job under its name, at BRIEFING_TIME', async () => {
    const [job] = createRosterFeature(core).jobs!();
    expect(job).toMatchObject({ name: 'briefings', cron: '0 16 * * *' });
    const other = await testCore(core.db, 'sqlite::memory:', clock, { BRIEFING_TIME: '15:30' });
    expect(createRosterFeature(other).jobs!()[0].cron).toBe('30 15 * * *');
  });
});
