import type { Knex } from 'knex';
import { addDays } from '../../../src/platform/calendar/domain';
import type { Core } from '../../../src/platform/core/feature';
import { doctorWeeklyJob, weekOf } from '../../../src/platform/doctor/doctor-weekly';
import { freshDb, testDialects } from '../../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from '../../roster/fixtures';
import { lastKnownYear, mondayFrom } from './fixtures';

const year = lastKnownYear();
const at = (date: string, time = '09:00') => new Date(`${date}T${time}:00+08:00`);

describe.each(testDialects())('doctor-weekly: next year’s holidays, posted to the admins once a week ($name)', (dialect) => {
  let db: Knex;
  let core: Core;
  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    core = await testCore(db, fresh.url, { now: MONDAY });
    await seedMiniCounty(core);
    await core.users.upsert({ id: 'admin2', name: '第二管理员', role: 'admin', unit: null, town: null, title: null });
  });
  afterAll(async () => {
    await db.destroy();
  });
  const rows = () => db('outbox').where('source', 'like', 'doctor-weekly:%').orderBy('id');

  test('before 1 November nothing is due, nothing is sent', async () => {
    expect(await doctorWeeklyJob(core).run(at(`${year}-10-26`))).toBe('节假日安排已齐全，无需提醒');
    expect(await rows()).toEqual([]);
  });

  test('from November: one card to each admin (open_id), not marked late when on time; once per week, again the next week', async () => {
    const monday = mondayFrom(`${year}-11-01`);
    expect(await doctorWeeklyJob(core).run(at(monday))).toContain('已向 2 位管理员发送节假日提醒');
    const first = await rows();
    expect(first.map((r: any) => [r.receive_id_type, r.receive_id])).toEqual([['open_id', 'admin'], ['open_id', 'admin2']]);
    const card = JSON.parse(first[0].content);
    expect(card.header.title.content).toBe('系统检查提醒：节假日安排未导入');
    expect(first[0].content).toContain(`明年（${year + 1} 年）的节假日安排尚未导入`);
    // A chat card: the fix in plain words, not the command line.
    expect(first[0].content).toContain(`请系统管理员在服务器上导入 ${year + 1} 年的节假日安排`);
    expect(first[0].content).not.toContain('xinfang');
    // The same week (a catch-up, a manual run on Thursday): nothing more.
    expect(await doctorWeeklyJob(core).run(at(addDays(monday, 3), '15:00'))).toContain('已提醒过');
    expect(await rows()).toHaveLength(2);
    // The next Monday: again.
    await doctorWeeklyJob(core).run(at(addDays(monday, 7)));
    expect(await rows()).toHaveLength(4);
  });

  test('weeks run Monday to Sunday', () => {
    expect(weekOf('2026-11-02')).toBe('2026-11-02'); // Monday
    expect(weekOf('2026-11-08')).toBe('2026-11-02'); // Sunday
    expect(weekOf('2026-11-09')).toBe('2026-11-09');
  });
});
