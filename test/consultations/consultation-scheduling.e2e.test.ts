import request from 'supertest';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { DisputeService } from '../../src/disputes';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { NOW, parseIcs, PETITIONER, seedCases, seedRoster } from '../feeds/fixtures';

/**
 * 会商 and 联席会议 as the bureau uses them, through the console: staff schedule, leaders and
 * units answer on their invitation cards, the organiser reads the answers, the leader's calendar
 * feed shows the meeting; clashes with reception days, past times and every kind of wrong input
 * are refused in Chinese with nothing saved. "Now" is Friday 20 February 2026, 10:00 in Shanghai.
 */

const cardsOf = (rows: any[]): Outgoing[] => rows.map((r) => ({ type: 'card', card: JSON.parse(r.content) }) as Outgoing);
/** What a person reads: markdown's escapes (\\*) shown as the characters they stand for. */
const read = (r: Outgoing[]) => readable(r).replace(/\\(?=[*_~`])/g, '');
const linkIn = (t: string) => /https:\/\/xf\.example\.gov\.cn(\/ical\/[a-z]+\/[A-Za-z0-9_-]+\.ics)/.exec(t)?.[1] ?? null;

describe.each(testDialects())('会商 scheduled and answered on $name', (dialect) => {
  let app: App;
  const clock = { now: NOW };

  const counts = async () => ({
    meetings: Number((await app.core.db('consultations').count({ n: '*' }))[0].n),
    invitees: Number((await app.core.db('consultation_invitees').count({ n: '*' }))[0].n),
    outbox: Number((await app.core.db('outbox').count({ n: '*' }))[0].n),
  });
  const sentTo = async (to: string, source: string) =>
    app.core.db('outbox').where({ receive_id: to }).where('source', 'like', `${source}%`).orderBy('id');
  const meeting = (no: string) => app.core.db('consultations').where({ no }).first();

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock.now, env: { PUBLIC_BASE_URL: 'https://xf.example.gov.cn', FEED_RATE_LIMIT_BURST: '1000' } });
    await seedRoster(db);
    await seedCases(db);
    await addUser(app, 'staff-1', 'staff', { name: '张晓燕' });
    await addUser(app, 'ld-wang', 'leader', { name: '王立新', title: '县委副书记' });
    await addUser(app, 'ld-chen', 'leader', { name: '陈晓峰', title: '副县长' });
    await addUser(app, 'ld-liu', 'leader', { name: '刘桂兰', title: '七拱镇党委书记' });
    await addUser(app, 'unit-zr', 'unit', { name: '孙建', unit: '县自然资源局' });
    await addUser(app, 'unit-zj', 'unit', { name: '钱多', unit: '县住房和城乡建设局' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  });
  afterAll(async () => { await app.core.db.destroy(); });

  test('staff schedule a 会商 on a case: every invitee gets a card with 参加/不参加, the group card masks the petitioner', async () => {
    const replies = await say(app, 'staff-1', '会商 2026-000001 3月3日 下午 地点：县信访局三楼会议室 领导：王立新、陈晓峰 单位：县自然资源局 第三方：律师');
    const said = readable(replies);
    expect(said).toContain('已安排会商 HS2026-001');
    expect(said).toContain('2026年3月3日（周二）下午 14:30—17:00');
    expect(said).toContain('邀请 3 条');
    for (const r of replies) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);

    for (const to of ['ld-wang', 'ld-chen', 'oc_zr']) {
      const rows = await sentTo(to, 'consultation:HS2026-001:invite');
      expect(rows).toHaveLength(1);
      const [card] = cardsOf(rows);
      expect(checkCard((card as any).card)).toEqual([]);
      expect(buttonValue([card], '参加')).toEqual({ action: 'consultation.accept', no: 'HS2026-001' });
      expect(buttonValue([card], '不参加')).toEqual({ action: 'consultation.decline_form', no: 'HS2026-001' });
      const text = read([card]);
      expect(text).toContain('县信访局三楼会议室');
      expect(text).toContain('律师');
      expect(text).toContain(`${PETITIONER.name[0]}**`);
      expect(text).not.toContain(PETITIONER.name);
      expect(text).not.toContain(PETITIONER.phone);
      expect(text).not.toContain(PETITIONER.idNumber);
    }
    expect((await sentTo('oc_zr', 'consultation:'))[0].receive_id_type).toBe('chat_id');
  });

  test('the answers come back to the organiser and show in 会商详情; only invitees may answer', async () => {
    expect(readable(await click(app, 'ld-wang', { action: 'consultation.accept', no: 'HS2026-001' }))).toContain('已回复：参加会商 HS2026-001');

    const form = await click(app, 'unit-zr', { action: 'consultation.decline_form', no: 'HS2026-001' });
    const submit = buttonValue(form, '提交')!;
    const empty = readable(await click(app, 'unit-zr', submit, { reason: '  ' }));
    expect(empty).toContain('不参加请说明原因');
    expect(readable(await click(app, 'unit-zr', submit, { reason: '忙'.repeat(600) }))).toContain('原因太长');
    expect(readable(await click(app, 'unit-zr', submit, { reason: '当天局长在省厅开会' }))).toContain('已回复：不参加会商 HS2026-001');

    const outsider = readable(await click(app, 'ld-liu', { action: 'consultation.accept', no: 'HS2026-001' }));
    expect(outsider).toContain('不在会商 HS2026-001 的邀请名单中');
    const otherUnit = readable(await click(app, 'unit-zj', { action: 'consultation.accept', no: 'HS2026-001' }));
    expect(otherUnit).toContain('不在会商 HS2026-001 的邀请名单中');

    const told = (await sentTo('staff-1', 'consultation:HS2026-001:reply')).map((r: any) => JSON.parse(r.content).text);
    expect(told).toEqual([
      expect.stringContaining('王立新回复会商 HS2026-001'),
      expect.stringContaining('县自然资源局（孙建）回复会商 HS2026-001（2026年3月3日（周二）下午 14:30—17:00）：不参加，原因：当天局长在省厅开会'),
    ]);

    const detail = readable(await say(app, 'staff-1', '会商详情 HS2026-001'));
    expect(detail).toContain('王立新（县委副书记）：参加');
    expect(detail).toContain('陈晓峰（副县长）：未回复');
    expect(detail).toContain('县自然资源局：不参加（当天局长在省厅开会）');
    // A leader not invited may not read it either.
    expect(readable(await say(app, 'ld-liu', '会商详情 HS2026-001'))).toContain('不在会商 HS2026-001 的邀请名单中');
  });

  test('the meeting appears in the invited leader’s calendar feed (parsed by ical.js), with the leader’s own answer', async () => {
    const path = linkIn(readable(await say(app, 'ld-wang', '我的日历')))!;
    expect(path).toBeTruthy();
    const feed = await request(app.http).get(path);
    expect(feed.status).toBe(200);
    const ics = parseIcs(feed.text);
    const e = ics.byUid.get('consultation-HS2026-001@xinfang')!;
    expect(e).toBeDefined();
    expect(e.summary).toBe('会商：七拱镇自然资源问题（案件 2026-000001）');
    expect(e.startUtc).toBe('2026-03-03T06:30:00.000Z');
    expect(e.endUtc).toBe('2026-03-03T09:00:00.000Z');
    expect(e.location).toBe('县信访局三楼会议室');
    expect(e.status).toBe('CONFIRMED');
    expect(e.description).toContain('我的回复：参加');
    expect(e.description).toContain('参会单位：县自然资源局');
    expect(feed.text).not.toContain(PETITIONER.name);

    // The unit's own feed (its deadlines) has it too, with the unit's answer.
    const unitPath = linkIn(readable(await say(app, 'unit-zr', '我的日历')))!;
    expect(unitPath).toMatch(/^\/ical\/deadlines\//);
    const unitFeed = parseIcs((await request(app.http).get(unitPath)).text);
    expect(unitFeed.byUid.get('consultation-HS2026-001@xinfang')?.description).toContain('本单位的回复：不参加');
    expect(unitFeed.events.some((x) => x.uid.startsWith('deadline-2026-000001'))).toBe(true);

    // Another leader's feed does not have it.
    const liu = linkIn(readable(await say(app, 'ld-liu', '我的日历')))!;
    const other = parseIcs((await request(app.http).get(liu)).text);
    expect(other.byUid.has('consultation-HS2026-001@xinfang')).toBe(false);
  });

  test('a clash with a leader’s reception day is shown and nothing is saved until the organiser confirms', async () => {
    const before = await counts();
    const replies = await say(app, 'staff-1', '会商 事项：征地补偿标准争议 3月2日 上午10点 地点：县信访局三楼会议室 领导：陈晓峰 单位：县自然资源局');
    const said = readable(replies);
    expect(said).toContain('时间冲突');
    expect(said).toContain('陈晓峰（副县长）');
    expect(said).toContain('在县群众来访接待中心接访');
    expect(said).toContain('尚未保存');
    expect(await counts()).toEqual(before);

    const force = buttonValue(replies, '仍按此时间安排')!;
    // Only staff may press it.
    expect(readable(await click(app, 'ld-chen', force))).toMatch(/权限/);
    expect(await counts()).toEqual(before);
    const saved = readable(await click(app, 'staff-1', force));
    expect(saved).toContain('已安排会商 HS2026-002');
    expect(saved).toContain('已确认仍按此时间安排');
    expect((await meeting('HS2026-002')).date).toBe('2026-03-02');
  });

  test('a cancelled reception day, or another leader’s, is no clash', async () => {
    // 3月10日 全天 is 王立新's reception day, but it was cancelled.
    const r = readable(await say(app, 'staff-1', '会商 事项：承包地纠纷 3月10日 下午 地点：七拱镇综治中心 领导：王立新'));
    expect(r).toContain('已安排会商 HS2026-003');
    expect(r).not.toContain('冲突');
  });

  test('a 联席会议 on a dispute of the screening ledger; a unit without a group gets it in person', async () => {
    await new DisputeService(app.core).register({
      screening: '专项排查', source: '群诉平台', town: '七拱镇', category: '城乡建设', summary: '小区物业纠纷',
      parties: [{ name: '欧阳明华', idNumber: null, phone: '13912345678' }], risk: '高', unit: '县住房和城乡建设局', owner: '李某某', targetDate: '2026-03-31',
    }, (await app.core.users.get('staff-1'))!);
    const r = readable(await say(app, 'staff-1', '联席会议 排2026-0001 3月4日 9:00-11:00 地点：县政府二楼会议室 领导：陈晓峰 单位：县住房和城乡建设局'));
    expect(r).toContain('已安排联席会议 HS2026-004');
    expect(r).toContain('排2026-0001');
    const row = await meeting('HS2026-004');
    expect(row).toMatchObject({ kind: 'joint', dispute_no: '排2026-0001', start_time: '09:00', end_time: '11:00' });
    const inPerson = await sentTo('unit-zj', 'consultation:HS2026-004:invite');
    expect(inPerson).toHaveLength(1);
    expect(readable(cardsOf(inPerson))).not.toContain('欧阳');
  });

  test('a petitioner’s phone or ID number in the subject is masked wherever it is shown, a group chat included', async () => {
    const subject = `信访人${PETITIONER.phone}身份证${PETITIONER.idNumber}反复来访`;
    expect(readable(await say(app, 'staff-1', `会商 事项：${subject} 3月6日 下午 地点：县信访局三楼会议室 单位：县自然资源局`))).toContain('HS2026-005');
    const inGroup = read(await say(app, 'staff-1', '会商详情 HS2026-005', { chatId: 'oc_bureau', chatType: 'group' }));
    const groupCard = read(cardsOf(await sentTo('oc_zr', 'consultation:HS2026-005')));
    const list = read(await say(app, 'staff-1', '会商列表'));
    for (const shown of [inGroup, groupCard, list]) {
      expect(shown).toContain('138****5678');
      expect(shown).not.toContain(PETITIONER.phone);
      expect(shown).not.toContain(PETITIONER.idNumber);
    }
  });

  describe('wrong inputs: a Chinese message, nothing saved', () => {
    const base = '3月5日 上午 地点：县信访局三楼会议室 领导：王立新 单位：县自然资源局';
    test.each([
      ['an unknown leader', `会商 2026-000001 3月5日 上午 地点：三楼会议室 领导：王大锤`, '没有找到领导：“王大锤”'],
      ['an unknown unit', `会商 2026-000001 3月5日 上午 地点：三楼会议室 单位：县宇宙局`, '没有找到单位：“县宇宙局”'],
      ['no place', `会商 2026-000001 3月5日 上午 领导：王立新`, '请写明会商地点'],
      ['a time like 25:00', `会商 2026-000001 3月5日 25:00 地点：三楼会议室 领导：王立新`, '看不懂时间“25:00”'],
      ['no time', `会商 2026-000001 3月5日 地点：三楼会议室 领导：王立新`, '请写明时间'],
      ['no date', `会商 2026-000001 地点：三楼会议室 领导：王立新`, '请写明会商日期'],
      ['a day in the past', `会商 2026-000001 2月19日 下午 地点：三楼会议室 领导：王立新`, '不能早于现在'],
      ['earlier today', `会商 2026-000001 今天 上午9点 地点：三楼会议室 领导：王立新`, '不能早于现在'],
      ['nobody invited', `会商 2026-000001 3月5日 上午 地点：三楼会议室`, '请至少邀请一位领导或一个单位'],
      ['no subject', `会商 3月5日 上午 地点：三楼会议室 领导：王立新`, '请写明会商事项'],
      ['a case that does not exist', `会商 2026-000999 ${base}`, '没有找到编号“2026-000999”的信访事项'],
      ['a mistyped case number (too few digits)', `会商 2026-00032 ${base}`, '没有找到编号“2026-00032”的信访事项'],
      ['a mistyped case number (too many digits)', `会商 2026-9999999 ${base}`, '没有找到编号“2026-9999999”的信访事项'],
      ['a short case number that means an existing case', `会商 2026-0001 ${base}`, '您是不是要写 2026-000001'],
      ['a labelled case number in the wrong form', `会商 案件：2026-1 ${base}`, '没有找到编号“2026-1”的信访事项'],
      ['too many third parties', `会商 2026-000001 ${base} 第三方：${Array.from({ length: 11 }, (_, i) => `律师${i}`).join('、')}`, '第三方力量最多写 10 项'],
      ['a dispute that does not exist', `联席会议 纠纷：排2026-0099 ${base}`, '没有找到排查编号 排2026-0099'],
    ])('%s', async (_what, words, message) => {
      const before = await counts();
      const r = readable(await say(app, 'staff-1', words));
      expect(r).toContain(message);
      expect(r).not.toMatch(/SQL|Error|undefined|null|select|insert/i);
      expect(await counts()).toEqual(before);
    });

    test('a unit or a leader may not schedule', async () => {
      const before = await counts();
      for (const who of ['unit-zr', 'ld-wang']) {
        const r = readable(await say(app, who, `会商 2026-000001 ${base}`));
        expect(r).toMatch(/权限/);
      }
      expect(await counts()).toEqual(before);
    });

    test('the card form is checked like typed words', async () => {
      const before = await counts();
      const form = await say(app, 'staff-1', '会商');
      const submit = buttonValue(form, '安排')!;
      expect(submit).toMatchObject({ action: 'consultation.submit', kind: 'consultation' });
      const r = readable(await click(app, 'staff-1', submit, { caseNo: '2026-00032', dateWord: '2026-03-05 +0800', timeWord: '下午', place: '三楼会议室', leaders: '王立新' }));
      expect(r).toContain('没有找到编号“2026-00032”的信访事项');
      expect(await counts()).toEqual(before);
    });
  });
});
