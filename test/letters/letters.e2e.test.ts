import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { unzip } from './docx-text';
import { at, caseWithDeadline, ID_NUMBER, insertCase, insertDeadline, PHONE, seedDirectory } from '../reminders/fixtures';

function fileOf(replies: Outgoing[]) {
  const f = replies.find((r) => r.type === 'file');
  if (!f || f.type !== 'file') throw new Error(`no file in ${JSON.stringify(replies).slice(0, 300)}`);
  return f;
}

describe('督办函 and 提醒函 in chat', () => {
  let app: App;
  let now = at('2025-10-14', '10:00');
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => now });
    await seedDirectory(app.core);
    await addUser(app, 'unit-zr2', 'unit', { unit: '县自然资源局' });
    // Due Thursday 10/9; on Tuesday 10/14 it is 4 working days overdue (10/10, 10/11 调休, 10/13, 10/14).
    await caseWithDeadline(app.core.db, { caseNo: '2025-000901', name: '黄丽娟', category: '自然资源', town: '黄坌镇' }, 'conclusion', '2025-10-09');
    await caseWithDeadline(app.core.db, { caseNo: '2025-000902' }, 'conclusion', '2025-10-20');
    const closed = await insertCase(app.core.db, { caseNo: '2025-000903', status: 'concluded' });
    await insertDeadline(app.core.db, closed, 'conclusion', '2025-10-09', { status: 'met' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('督办函 for an overdue case: numbered per year, as text and as a .docx whose document.xml names the case', async () => {
    const replies = await say(app, 'staff-1', '督办函 2025-000901');
    const t = readable(replies);
    expect(t).toContain('信访督〔2025〕1号');
    expect(t).toContain('县自然资源局：');
    expect(t).toContain('2025-000901');
    expect(t).toContain('已逾期4个工作日');
    expect(t).toContain('2025年10月17日前'); // 3 working days to answer
    expect(t).toContain('黄**');
    expect(t).not.toContain('黄丽娟');
    expect(t).not.toContain(PHONE);
    expect(t).not.toContain(ID_NUMBER);
    const f = fileOf(replies);
    expect(f.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(f.name).toMatch(/^督办函_2025-000901_.*\.docx$/);
    const files = unzip(Buffer.from(f.base64, 'base64'));
    const xml = files.get('word/document.xml')!.toString('utf8');
    expect(xml).toContain('2025-000901');
    expect(xml).toContain('信访督〔2025〕1号');
    expect(xml).toContain('县信访局');

    // Asking again for the same deadline uses no new number unless said so in words.
    const repeat = readable(await say(app, 'staff-1', '督办函 2025-000901'));
    expect(repeat).toContain('已发过督办函（信访督〔2025〕1号）');
    expect(repeat).toContain('督办函 2025-000901 再次');
    // Asked for in so many words, the next one gets the next number; 提醒函 count on their own.
    expect(readable(await say(app, 'staff-1', '督办函 2025-000901 再次'))).toContain('信访督〔2025〕2号');
    expect(readable(await say(app, 'staff-1', '提醒函 2025-000902'))).toContain('信访提〔2025〕1号');
  });

  test('each letter is logged on the case', async () => {
    const [c] = await app.core.db('cases').where({ case_no: '2025-000901' });
    const events = await app.core.db('case_events').where({ case_id: c.id, action: 'letter' }).orderBy('id');
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(events[0].data)).toMatchObject({ type: '督办函', number: '信访督〔2025〕1号', seq: 1, year: 2025 });
    expect(events[0].actor_id).toBe('staff-1');
  });

  test('a case that is not overdue gets a clear answer for 督办函, and no number is used', async () => {
    const t = readable(await say(app, 'staff-1', '督办函 2025-000902'));
    expect(t).toContain('尚未逾期');
    expect(t).toContain('提醒函 2025-000902');
    expect(fileOfOrNull(await say(app, 'staff-1', '督办函 2025-000903'))).toBeNull();
    expect(readable(await say(app, 'staff-1', '督办函 2025-000903'))).toContain('没有未完成的办理期限');
    // The next 督办函 number is still 3.
    expect(readable(await say(app, 'staff-1', '督办函2025-000901 再次'))).toContain('信访督〔2025〕3号');
  });

  test('bad input: no number, a malformed number, an unknown case; and units may not issue letters', async () => {
    expect(readable(await say(app, 'staff-1', '督办函'))).toContain('请在“督办函”后写上案件编号');
    expect(readable(await say(app, 'staff-1', '督办函 abc'))).toContain('格式不对');
    expect(readable(await say(app, 'staff-1', '提醒函 2025-999999'))).toContain('没有找到案件 2025-999999');
    expect(readable(await say(app, 'unit-zr2', '督办函 2025-000901'))).toContain('没有使用该功能的权限');
  });

  test('letters follow the clock: the first 督办函 of a new year is number 1', async () => {
    now = at('2026-01-05', '10:00');
    expect(readable(await say(app, 'staff-1', '督办函 2025-000901 再次'))).toContain('信访督〔2026〕1号');
  });
});

function fileOfOrNull(replies: Outgoing[]) {
  return replies.find((r) => r.type === 'file') ?? null;
}
