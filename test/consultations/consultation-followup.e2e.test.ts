import request from 'supertest';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { NOW, parseIcs, PETITIONER, seedCases, seedRoster } from '../feeds/fixtures';

/**
 * After the invitations: 调整会商 and 取消会商 (everyone told, the feed follows), 会商纪要 with its
 * follow-up tasks, and the consultation-tasks job reminding the owners once per step. Scheduled on
 * Friday 20 February 2026, 10:00 in Shanghai; the clock then moves through March.
 */

const read = (r: Outgoing[]) => readable(r).replace(/\\(?=[*_~`])/g, '');
const cardsOf = (rows: any[]): Outgoing[] => rows.map((r) => ({ type: 'card', card: JSON.parse(r.content) }) as Outgoing);
const linkIn = (t: string) => /https:\/\/xf\.example\.gov\.cn(\/ical\/leader\/[A-Za-z0-9_-]+\.ics)/.exec(t)?.[1] ?? null;
const shanghai = (iso: string) => new Date(`${iso}+08:00`);

describe.each(testDialects())('会商 after the invitations on $name', (dialect) => {
  let app: App;
  const clock = { now: NOW };
  let feedPath: string;

  const sentTo = async (to: string, source: string) =>
    app.core.db('outbox').where({ receive_id: to }).where('source', 'like', `${source}%`).orderBy('id');
  const meeting = (no: string) => app.core.db('consultations').where({ no }).first();
  const snapshot = async () => ({
    meetings: await app.core.db('consultations').orderBy('id').select('no', 'status', 'date', 'start_time', 'place', 'sequence', 'minutes'),
    invitees: await app.core.db('consultation_invitees').orderBy('id').select('reply'),
    tasks: Number((await app.core.db('consultation_tasks').count({ n: '*' }))[0].n),
    outbox: Number((await app.core.db('outbox').count({ n: '*' }))[0].n),
  });
  const runJob = (iso: string) => {
    clock.now = shanghai(iso);
    return app.jobs.find((j) => j.name === 'consultation-tasks')!.run(clock.now);
  };
  const feedOf = async () => parseIcs((await request(app.http).get(feedPath)).text);

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock.now, env: { PUBLIC_BASE_URL: 'https://xf.example.gov.cn', FEED_RATE_LIMIT_BURST: '1000' } });
    await seedRoster(db);
    await seedCases(db);
    await addUser(app, 'staff-1', 'staff', { name: '张晓燕' });
    await addUser(app, 'staff-2', 'staff', { name: '吴倩' });
    await addUser(app, 'admin', 'admin', { name: '周敏' });
    await addUser(app, 'ld-wang', 'leader', { name: '王立新', title: '县委副书记' });
    await addUser(app, 'ld-chen', 'leader', { name: '陈晓峰', title: '副县长' });
    await addUser(app, 'unit-zr', 'unit', { name: '孙建', unit: '县自然资源局' });
    await addUser(app, 'unit-zj', 'unit', { name: '钱多', unit: '县住房和城乡建设局' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
    expect(read(await say(app, 'staff-1', '会商 2026-000001 3月3日 下午 地点：县信访局三楼会议室 领导：王立新 单位：县自然资源局'))).toContain('HS2026-001');
    expect(read(await say(app, 'staff-1', '会商 事项：城区棚改安置房交付 3月4日 上午 地点：县信访局三楼会议室 领导：陈晓峰 单位：县住房和城乡建设局'))).toContain('HS2026-002');
    await click(app, 'ld-chen', { action: 'consultation.accept', no: 'HS2026-002' });
    feedPath = linkIn(readable(await say(app, 'ld-chen', '我的日历')))!;
  });
  afterAll(async () => { await app.core.db.destroy(); });

  describe('调整会商', () => {
    test('only the organiser or an admin may move it; a clash, a past time or no new time changes nothing', async () => {
      const before = await snapshot();
      expect(read(await say(app, 'staff-2', '调整会商 HS2026-002 3月5日 下午'))).toContain('只有组织人或管理员可以调整');
      expect(read(await say(app, 'ld-chen', '调整会商 HS2026-002 3月5日 下午'))).toMatch(/权限/);
      expect(read(await say(app, 'staff-1', '调整会商 HS2026-002 2月19日 上午'))).toContain('新的时间不能早于现在');
      expect(read(await say(app, 'staff-1', '调整会商 HS2026-002 3月5日 25:00'))).toContain('看不懂时间“25:00”');
      expect(read(await say(app, 'staff-1', '调整会商 HS2026-002'))).toContain('请写新的日期和时间');
      expect(read(await say(app, 'staff-1', '调整会商 HS2026-099 3月5日 下午'))).toContain('没有找到会商 HS2026-099');
      // 陈晓峰 receives petitioners on 3月2日 上午.
      const clash = await say(app, 'staff-1', '调整会商 HS2026-002 3月2日 上午');
      expect(read(clash)).toContain('陈晓峰（副县长）');
      expect(read(clash)).toContain('尚未调整');
      const force = buttonValue(clash, '仍按此时间安排')!;
      expect(force).toMatchObject({ action: 'consultation.move_force', no: 'HS2026-002' });
      // The button is checked again when pressed: another staff member may not use it.
      expect(read(await click(app, 'staff-2', force))).toContain('只有组织人或管理员可以调整');
      expect(await snapshot()).toEqual(before);
    });

    test('moved: everyone is asked again on a 改期 card, the answers start over, the feed shows the new time', async () => {
      const r = read(await say(app, 'staff-1', '调整会商 HS2026-002 3月5日 下午 地点：县政府二楼会议室'));
      expect(r).toContain('由2026年3月4日（周三）上午 09:00—11:30，县信访局三楼会议室调整为2026年3月5日（周四）下午 14:30—17:00，县政府二楼会议室');
      expect(r).toContain('陈晓峰（副县长）：未回复');
      expect(await meeting('HS2026-002')).toMatchObject({ date: '2026-03-05', start_time: '14:30', place: '县政府二楼会议室', sequence: 1, status: 'scheduled' });
      for (const to of ['ld-chen', 'unit-zj']) {
        const cards = cardsOf(await sentTo(to, 'consultation:HS2026-002:move'));
        expect(cards).toHaveLength(1);
        expect(checkCard((cards[0] as any).card)).toEqual([]);
        expect(read(cards)).toContain('原定2026年3月4日（周三）上午');
        expect(buttonValue(cards, '参加')).toEqual({ action: 'consultation.accept', no: 'HS2026-002' });
      }
      const e = (await feedOf()).byUid.get('consultation-HS2026-002@xinfang')!;
      expect(e.startUtc).toBe('2026-03-05T06:30:00.000Z');
      expect(e.location).toBe('县政府二楼会议室');
      expect(e.sequence).toBe(1);
      expect(e.description).toContain('我的回复：未回复');
    });
  });

  describe('取消会商', () => {
    test('needs a reason; a held meeting cannot be cancelled', async () => {
      const before = await snapshot();
      expect(read(await say(app, 'staff-1', '取消会商 HS2026-002'))).toContain('请写明取消原因');
      expect(read(await say(app, 'staff-2', '取消会商 HS2026-002 另有安排'))).toContain('只有组织人或管理员可以取消');
      expect(await snapshot()).toEqual(before);
    });

    test('cancelled: every invitee told, the feed marks it cancelled, no more answers or moves', async () => {
      const r = read(await say(app, 'admin', '取消会商 HS2026-002 主要领导临时有公务'));
      expect(r).toContain('已取消会商 HS2026-002');
      expect(await meeting('HS2026-002')).toMatchObject({ status: 'cancelled', sequence: 2 });
      for (const to of ['ld-chen', 'unit-zj']) {
        const cards = cardsOf(await sentTo(to, 'consultation:HS2026-002:cancel'));
        expect(cards).toHaveLength(1);
        expect(checkCard((cards[0] as any).card)).toEqual([]);
        expect(read(cards)).toContain('主要领导临时有公务');
        expect(buttonValue(cards, '参加')).toBeNull();
      }
      const e = (await feedOf()).byUid.get('consultation-HS2026-002@xinfang')!;
      expect(e.status).toBe('CANCELLED');
      expect(e.summary).toContain('【已取消】');
      expect(e.sequence).toBe(2);
      const before = await snapshot();
      expect(read(await click(app, 'ld-chen', { action: 'consultation.accept', no: 'HS2026-002' }))).toContain('已取消，无需再回复');
      expect(read(await say(app, 'staff-1', '调整会商 HS2026-002 3月6日 下午'))).toContain('已经取消');
      expect(read(await say(app, 'staff-1', '取消会商 HS2026-002 再取消一次'))).toContain('已经取消');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('会商纪要 and its tasks', () => {
    const minutes = `会商纪要 HS2026-001 意见：由县自然资源局牵头重新测量四至，七拱镇做好信访人（${PETITIONER.phone}）稳控工作
任务：县自然资源局 3月10日 完成四至测量
任务：王立新 3月6日 约谈信访人`;

    test('not before the meeting; not by a unit or a leader; a bad task line saves nothing', async () => {
      clock.now = shanghai('2026-03-02T10:00:00');
      const before = await snapshot();
      expect(read(await say(app, 'staff-1', minutes))).toContain('定于2026年3月3日（周二） 14:30召开，尚未召开');
      clock.now = shanghai('2026-03-03T14:00:00'); // the day, but before it starts
      expect(read(await say(app, 'staff-1', minutes))).toContain('尚未召开');
      clock.now = shanghai('2026-03-03T18:00:00');
      expect(read(await say(app, 'unit-zr', minutes))).toMatch(/权限/);
      expect(read(await say(app, 'ld-wang', minutes))).toMatch(/权限/);
      const wrong: Array<[string, string]> = [
        ['会商纪要 HS2026-001 意见：复核 任务：县宇宙局 3月10日 完成测量', '“县宇宙局”找不到'],
        ['会商纪要 HS2026-001 意见：复核 任务：县自然资源局 3月1日 完成测量', '已经过去'],
        ['会商纪要 HS2026-001 意见：复核 任务：县自然资源局 完成测量', '第 1 条任务有误'],
        ['会商纪要 HS2026-001 意见：复核 任务：县自然资源局 下下下周 完成测量', '看不懂完成日期'],
        ['会商纪要 HS2026-001 任务：县自然资源局 3月10日 完成测量', '请写明会商意见'],
        ['会商纪要 HS2026-002 意见：已取消的会', '已取消'],
        ['会商纪要 HS2026-9 意见：复核', '没有找到会商 HS2026-009'],
        ['会商纪要', '请在“会商纪要”后写会商编号'],
      ];
      for (const [words, message] of wrong) {
        const r = read(await say(app, 'staff-1', words));
        expect(r).toContain(message);
        expect(r).not.toMatch(/SQL|Error|undefined|null/i);
      }
      expect(await snapshot()).toEqual(before);
    });

    test('recorded once: the meeting is held, each owner gets its task card, 会商详情 shows the opinion (masked) and the tasks', async () => {
      const r = read(await say(app, 'staff-2', minutes));
      expect(r).toContain('已记录会商意见，跟进任务 2 项');
      expect(r).toContain('已召开');
      expect(r).toContain('138****5678');
      expect(r).not.toContain(PETITIONER.phone);
      expect(r).toContain('县自然资源局，2026年3月10日（周二）前，完成四至测量（未完成）');
      expect(r).toContain('王立新（县委副书记），2026年3月6日（周五）前，约谈信访人（未完成）');
      const unitCards = cardsOf(await sentTo('oc_zr', 'consultation:HS2026-001:task'));
      expect(unitCards).toHaveLength(1);
      expect(buttonValue(unitCards, '已完成')).toMatchObject({ action: 'consultation.task_done' });
      expect(cardsOf(await sentTo('ld-wang', 'consultation:HS2026-001:task'))).toHaveLength(1);
      expect(read(await say(app, 'staff-1', '会商详情 HS2026-001'))).toContain('七拱镇做好信访人（138****5678）稳控工作');

      const before = await snapshot();
      expect(read(await say(app, 'staff-1', minutes))).toContain('已经记录过');
      expect(read(await say(app, 'staff-1', '取消会商 HS2026-001 不开了'))).toContain('已经召开');
      expect(await snapshot()).toEqual(before);
    });

    test('the consultation-tasks job reminds each owner before the due date and when overdue, once per step, only in office hours', async () => {
      const reminders = async (to: string) => (await sentTo(to, 'consultation:HS2026-001:task:')).filter((r: any) => /:(before|overdue)$/.test(r.source));
      expect(await runJob('2026-03-04T10:00:00')).toContain('会商任务提醒 0 项');
      expect(await runJob('2026-03-05T22:00:00')).toContain('非工作时间');
      expect(await reminders('ld-wang')).toHaveLength(0);

      expect(await runJob('2026-03-05T10:00:00')).toContain('会商任务提醒 1 项');
      expect(await runJob('2026-03-05T11:00:00')).toContain('会商任务提醒 0 项');
      const before = await reminders('ld-wang');
      expect(before).toHaveLength(1);
      expect(read(cardsOf(before))).toContain('会商任务即将到期');
      expect(read(cardsOf(before))).toContain('约谈信访人');

      await runJob('2026-03-06T10:00:00'); // the due day: the same step, not again
      expect(await reminders('ld-wang')).toHaveLength(1);
      expect(await reminders('oc_zr')).toHaveLength(0);

      expect(await runJob('2026-03-09T10:00:00')).toContain('会商任务提醒 2 项');
      const overdue = await reminders('ld-wang');
      expect(overdue).toHaveLength(2);
      expect(read(cardsOf(overdue.slice(1)))).toContain('会商任务已逾期');
      const unit = await reminders('oc_zr');
      expect(unit).toHaveLength(1);
      expect(read(cardsOf(unit))).toContain('即将到期');

      // The unit marks its task done: no overdue reminder follows; another unit may not.
      const done = buttonValue(cardsOf(unit), '已完成')!;
      expect(read(await click(app, 'unit-zj', done))).toContain('只有任务的责任单位或责任人');
      expect(read(await click(app, 'unit-zr', done))).toContain('已完成');
      expect(read(await click(app, 'unit-zr', done))).toContain('无需重复操作');
      await runJob('2026-03-11T10:00:00');
      await runJob('2026-03-11T10:00:00');
      expect(await reminders('oc_zr')).toHaveLength(1);
      expect(await reminders('ld-wang')).toHaveLength(2);
    });
  });
});
