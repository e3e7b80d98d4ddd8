import type { Knex } from 'knex';
import type { Core } from '../../src/platform/core/feature';
import { DigestService } from '../../src/reminders/digest-service';
import { ReminderService } from '../../src/reminders/reminder-service';
import { freshDb, testDialects } from '../helpers/db';
import { at, cardText, CHATS, insertCase, insertDeadline, outbox, PHONE, seedDirectory, testCore } from './fixtures';

describe.each(testDialects())('the daily digest ($name)', (dialect) => {
  let db: Knex;
  let core: Core;
  let svc: DigestService;
  beforeEach(async () => {
    let url: string;
    ({ db, url } = await freshDb(dialect));
    core = await testCore(db, { DATABASE_URL: url });
    await seedDirectory(core);
    svc = new DigestService(core);
    // Thursday 2025-10-09, the first working day after National Day.
    const add = async (caseNo: string, unit: string | null, kind: 'conclusion' | 'decision', due: string, extra: { supervised?: boolean; leaderId?: string } = {}) => {
      const id = await insertCase(db, { caseNo, unit, ...extra, status: kind === 'decision' ? 'registered' : 'handling' });
      await insertDeadline(db, id, kind, due, { unit });
    };
    await add('2025-000801', '县自然资源局', 'conclusion', '2025-09-26'); // overdue: 9/28, 9/29, 9/30, 10/9 = 4 working days
    await add('2025-000802', '县自然资源局', 'conclusion', '2025-10-09'); // due today
    await add('2025-000803', '阳城镇', 'conclusion', '2025-10-13', { supervised: true }); // 10/10, 10/11, 10/13: in 3 working days
    await add('2025-000804', '七拱镇', 'conclusion', '2025-10-14'); // 4 working days ahead: not listed; 七拱镇 gets nothing
    await add('2025-000805', null, 'decision', '2025-10-10'); // the bureau's own decision, tomorrow
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('one card to the bureau group: overdue, due today, due within 3 working days, by unit', async () => {
    const r = await svc.run(at('2025-10-09', '09:00'));
    expect(r.sent).toBe(true);
    const msgs = await outbox(db);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].to).toBe(CHATS.bureau);
    const text = cardText(msgs[0].card);
    expect(text).toContain('信访期限日报 2025年10月9日（周四）');
    expect(text).toContain('逾期 **1** 件 · 今日到期 **1** 件 · 3 个工作日内到期 **2** 件');
    // By unit, the unit with overdue cases first, each case under its unit.
    const zr = text.indexOf('县自然资源局');
    const yc = text.indexOf('阳城镇**');
    expect(zr).toBeGreaterThan(-1);
    expect(yc).toBeGreaterThan(zr);
    expect(text).toMatch(/县自然资源局\*\*\n逾期（1）\n- 2025-000801 .*逾期 4 个工作日\n今日到期（1）\n- 2025-000802/);
    expect(text).toMatch(/阳城镇\*\*\n3 个工作日内到期（1）\n- 2025-000803 .*剩 3 个工作日〔督办〕/);
    expect(text).toContain('信访局（待受理/交办）');
    // A unit with nothing due gets nothing; no personal data.
    expect(text).not.toContain('七拱镇');
    expect(text).not.toContain('2025-000804');
    expect(text).not.toContain('王小明');
    expect(text).not.toContain(PHONE);
  });

  test('once a day, and only on working days', async () => {
    expect((await svc.run(at('2025-10-09', '09:00'))).sent).toBe(true);
    const again = await svc.run(at('2025-10-09', '09:00'));
    expect(again).toMatchObject({ sent: false });
    expect(again.reason).toContain('已发送');
    expect((await svc.run(at('2025-10-12', '09:00'))).reason).toContain('不是工作日'); // a Sunday
    expect((await svc.run(at('2025-10-03', '09:00'))).reason).toContain('不是工作日'); // National Day
    expect((await svc.run(at('2025-10-11', '09:00'))).sent).toBe(true); // 调休 Saturday
    expect(await outbox(db)).toHaveLength(2);
  });

  test('marks cases flagged for a 督办函 by the escalation', async () => {
    await new ReminderService(core).scan(at('2025-10-09', '09:00')); // 2025-000801 is 4 working days overdue
    const d = await svc.compose(at('2025-10-09', '09:30'));
    const zr = d.units.find((u) => u.unit === '县自然资源局')!;
    expect(zr.overdue.map((i) => [i.caseNo, i.letterFlagged])).toEqual([['2025-000801', true]]);
    // Once a 督办函 is issued, the mark goes away.
    const [c] = await db('cases').where({ case_no: '2025-000801' });
    await db('case_events').insert({ case_id: c.id, action: 'letter', actor_id: 'staff-1', data: JSON.stringify({ type: '督办函' }), at: '2025-10-09 02:00:00.000' });
    const d2 = await svc.compose(at('2025-10-09', '09:30'));
    expect(d2.units.find((u) => u.unit === '县自然资源局')!.overdue[0].letterFlagged).toBe(false);
  });

  test('without a bureau group it says so and sends nothing', async () => {
    await db('chats').where({ role: 'bureau' }).delete();
    const r = await svc.run(at('2025-10-09', '09:00'));
    expect(r.sent).toBe(false);
    expect(r.reason).toContain('没有登记信访局工作群，日报未发送');
    expect(r.reason).toContain('请管理员');
    expect(r.reason).not.toMatch(/xinfang |--/);
    expect(await outbox(db)).toHaveLength(0);
  });
});
