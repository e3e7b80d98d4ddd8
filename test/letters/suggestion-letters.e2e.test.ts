import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import * as m023 from '../../migrations/023_letters';
import { letterFigures } from '../../src/letters';
import { toDbTime } from '../../src/platform/database/time';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { xinfang } from '../helpers/cli';
import { checkCard } from '../helpers/lark-card-rules';
import { at, caseWithDeadline, insertCase, PHONE, seedDirectory } from '../reminders/fixtures';
import { docxText } from './docx-text';

function fileOf(replies: Outgoing[]) {
  const f = replies.find((r) => r.type === 'file');
  if (!f || f.type !== 'file') throw new Error(`no file in ${JSON.stringify(replies).slice(0, 300)}`);
  return f;
}

describe.each(testDialects())('改进工作建议函 and the letters register ($name)', (dialect) => {
  let app: App;
  let url: string;
  let now = at('2026-11-10', '10:00');

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    app = await makeTestApp({ db: fresh.db, url, now: () => now });
    await seedDirectory(app.core);
    await addUser(app, 'unit-zj', 'unit', { unit: '县住房和城乡建设局' });
    await insertCase(app.core.db, { caseNo: '2026-000123', status: 'concluded' });
    await insertCase(app.core.db, { caseNo: '2026-000130', status: 'concluded' });
    await caseWithDeadline(app.core.db, { caseNo: '2026-000140', receivedDate: '2026-10-01' }, 'conclusion', '2026-11-20');
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('建议函 to a unit: its own number per year, the cited cases, text and a .docx that opens', async () => {
    const replies = await say(app, 'staff-1', `建议函 县自然资源局 答复意见书未告知信访人复查权利，电话 ${PHONE} 的信访人多次反映，请规范答复文书 2026-000123 2026-000130`);
    const t = readable(replies);
    expect(t).toContain('已生成改进工作建议函 信访建〔2026〕1号（致县自然资源局，涉及案件 2026-000123、2026-000130');
    expect(t).toContain('县自然资源局：');
    expect(t).toContain('涉及信访事项：2026-000123、2026-000130。');
    expect(t).not.toContain(PHONE);
    const f = fileOf(replies);
    expect(f.name).toBe('改进工作建议函_2026-1.docx');
    const doc = docxText(f.base64);
    expect(doc).toContain('改进工作建议函');
    expect(doc).toContain('信访建〔2026〕1号');
    expect(doc).toContain('请规范答复文书');
    expect(doc).toContain('县信访局');

    // Logged on each cited case.
    const [c] = await app.core.db('cases').where({ case_no: '2026-000130' });
    const [e] = await app.core.db('case_events').where({ case_id: c.id, action: 'letter' });
    expect(JSON.parse(e.data)).toMatchObject({ type: '改进工作建议函', number: '信访建〔2026〕1号' });
  });

  test('two kinds do not share numbers: a 提醒函 after a 建议函 is 提 number 1, the next 建议函 is 建 number 2', async () => {
    expect(readable(await say(app, 'staff-1', '提醒函 2026-000140'))).toContain('信访提〔2026〕1号');
    expect(readable(await say(app, 'dir-1', '建议函 县住房和城乡建设局 物业纠纷转办后未跟踪回访，建议建立回访台账'))).toContain('信访建〔2026〕2号');
  });

  test('the form: 建议函 alone gives a card whose submit issues the letter', async () => {
    const form = await say(app, 'staff-1', '建议函');
    for (const r of form) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);
    const submit = buttonValue(form, '生成建议函')!;
    expect(readable(await click(app, 'staff-1', submit, { unit: '县自然资源局', content: '建议定期开展积案化解', cases: '2026-000123' }))).toContain('信访建〔2026〕3号');
    expect(readable(await click(app, 'staff-1', submit, { unit: '县自然资源局', content: '' }))).toContain('请写明建议内容');
  });

  test('bad input is refused in Chinese and takes no number; units may not issue it', async () => {
    expect(readable(await say(app, 'staff-1', '建议函 县宇宙局 请改进'))).toContain('不认识单位“县宇宙局”');
    expect(readable(await say(app, 'staff-1', '建议函 县自然资源局'))).toContain('请写明单位和建议内容');
    expect(readable(await say(app, 'staff-1', '建议函 县自然资源局 请改进 2026-999999'))).toContain('没有找到案件 2026-999999');
    expect(readable(await say(app, 'unit-zj', '建议函 县自然资源局 请改进'))).toContain('没有使用该功能的权限');
    now = at('2027-01-04', '10:00');
    expect(readable(await say(app, 'staff-1', '建议函 县自然资源局 请按期回访'))).toContain('信访建〔2027〕1号');
  });

  test('letters list: every kind with its number; --kind and --year filter; --json has the fields', async () => {
    const all = JSON.parse((await xinfang(['letters', 'list', '--json'], { DATABASE_URL: url })).stdout);
    expect(all.map((l: any) => l.number)).toEqual(['信访建〔2026〕1号', '信访提〔2026〕1号', '信访建〔2026〕2号', '信访建〔2026〕3号', '信访建〔2027〕1号']);
    const r = await xinfang(['letters', 'list', '--kind', '改进工作建议函', '--year', '2026', '--json'], { DATABASE_URL: url });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list).toHaveLength(3);
    expect(list[0]).toEqual({
      number: '信访建〔2026〕1号', kind: '改进工作建议函', year: 2026, unit: '县自然资源局', caseNos: ['2026-000123', '2026-000130'], date: '2026-11-10', by: 'staff-1',
    });
    const bad = await xinfang(['letters', 'list', '--kind', '通知'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('函件种类“通知”无效');
    expect(await letterFigures(app.core, { from: '2026-01-01', to: '2026-12-31' })).toEqual({ 提醒函: 1, 督办函: 0, 改进工作建议函: 3, total: 4 });
  });

  test('the migration copies the letters that were only logged on cases into the register', async () => {
    const db = app.core.db;
    const [c] = await db('cases').where({ case_no: '2026-000140' });
    await db('case_events').insert({
      case_id: c.id, action: 'letter', from_status: 'handling', to_status: 'handling', actor_id: 'staff-1', reason: '督办函 信访督〔2025〕7号',
      data: JSON.stringify({ type: '督办函', number: '信访督〔2025〕7号', year: 2025, seq: 7, kind: 'conclusion', dueDate: '2025-12-01', unit: '县自然资源局' }),
      at: toDbTime(new Date('2025-12-31T17:00:00Z')), // 2026-01-01 01:00 in Shanghai
    });
    await db.schema.dropTable('letters');
    await m023.up(db);
    const rows = await db('letters').orderBy('id');
    // The 建议函 that cited cases are logged on them too; one logged on two cases is one letter.
    expect(rows.map((r: any) => r.number)).toEqual(['信访建〔2026〕1号', '信访提〔2026〕1号', '信访建〔2026〕3号', '信访督〔2025〕7号']);
    expect(rows[3]).toMatchObject({ kind: '督办函', year: 2025, seq: 7, unit: '县自然资源局', issued_date: '2026-01-01', issued_by: 'staff-1' });
    expect(JSON.parse(rows[3].case_nos)).toEqual(['2026-000140']);
    expect(JSON.parse(rows[0].case_nos)).toEqual(['2026-000123', '2026-000130']);
  });
});
