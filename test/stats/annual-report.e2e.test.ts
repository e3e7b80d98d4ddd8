import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { toDbTime } from '../../src/platform/database/time';
import type { StatsReport } from '../../src/stats/domain/stats-report';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { unzip } from '../letters/docx-text';

let seq = 0;
async function addCase(db: Knex, c: { received: string; decisionDue: string; decided: string | null; channel: string; category: string }) {
  const t = toDbTime(new Date(`${c.received}T02:00:00Z`));
  seq++;
  const [id] = await db('cases').insert({
    case_no: `2026-${String(seq).padStart(6, '0')}`, year: 2026, status: c.decided ? 'handling' : 'registered',
    name: '测试人', headcount: 1, is_group: false, channel: c.channel, town: '阳城镇',
    category: c.category, content: '测试', received_at: t, received_date: c.received, decided_date: c.decided,
    registered_by: 'staff1', created_at: t, updated_at: t,
  });
  await db('case_deadlines').insert({
    case_id: Number(id), kind: 'decision', due_date: c.decisionDue, status: c.decided ? 'met' : 'open', met_date: c.decided, created_at: t, updated_at: t,
  });
}

function docxParagraphs(buf: Buffer): string {
  const xml = unzip(buf).get('word/document.xml')!.toString('utf8');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0].replace(/<[^>]+>/g, '')).join('\n');
}

describe.each(testDialects())('the annual report draft on $name', (dialect) => {
  let app: App;
  let url: string;
  let dir: string;
  const now = new Date('2027-02-12T01:30:00Z'); // Friday 12 February 2027, 09:30 in Shanghai
  let clock = new Date('2026-06-15T02:00:00Z');
  // the CLI reads the real clock
  const env = () => ({ DATABASE_URL: url, LETTER_ORG_NAME: '阳山县信访局' });

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-annual-'));
    app = await makeTestApp({ db: fresh.db, url, now: () => clock, env: { LETTER_ORG_NAME: '阳山县信访局' } });
    await addUser(app, 'admin1', 'admin');
    await addUser(app, 'staff1', 'staff');
    await addCase(app.core.db, { received: '2026-03-09', decisionDue: '2026-03-24', decided: '2026-03-12', channel: '来信', category: '城乡建设' });
    await addCase(app.core.db, { received: '2026-05-10', decisionDue: '2026-05-25', decided: '2026-05-28', channel: '来访', category: '城乡建设' });
    await addCase(app.core.db, { received: '2026-10-10', decisionDue: '2026-10-26', decided: '2026-10-20', channel: '来访', category: '劳动社保' });
    await addCase(app.core.db, { received: '2025-12-30', decisionDue: '2026-01-14', decided: '2026-01-05', channel: '来访', category: '劳动社保' });
    // a 改进工作建议函 sent in June 2026, as staff send it
    expect(readable(await say(app, 'staff1', '建议函 县自然资源局 答复意见书未告知信访人复查权利，请规范答复文书'))).toContain('已生成改进工作建议函');
    clock = now;
  });
  afterAll(async () => {
    await app.core.db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('年度报告 in February writes last year\'s draft for an admin: a .docx and what is left to fill', async () => {
    const replies = await say(app, 'admin1', '年度报告');
    const file = replies.find((r) => r.type === 'file');
    expect(file).toMatchObject({ name: '阳山县信访局2026年法治政府建设年度报告（信访工作部分·草稿）.docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const words = readable(replies);
    expect(words).toContain('已按系统数据填写');
    expect(words).toMatch(/还有 \d+ 处标黄的【待填写】/);
    const doc = docxParagraphs(Buffer.from((file as { base64: string }).base64, 'base64'));
    expect(doc).toContain('阳山县信访局2026年法治政府建设年度报告（信访工作部分·草稿）');
    expect(doc).toContain('共登记信访事项3件，其中来访2件、来信1件');
    expect(doc).toContain('主要集中在城乡建设（2件）、劳动社保（1件）等方面');
    expect(doc).toContain('全年发出提醒函、督办函、改进工作建议函等各类函件1件，其中改进工作建议函1件');
    expect(doc).toContain('2027年2月12日');
  });

  test('年度报告 with a year nobody can use gets a Chinese hint; staff are refused', async () => {
    expect(readable(await say(app, 'admin1', '年度报告 2030'))).toContain('2030年还没有到');
    expect(readable(await say(app, 'admin1', '年度报告 明年'))).toContain('请写四位数的年份');
    const staff = await say(app, 'staff1', '年度报告 2026');
    expect(staff.some((r) => r.type === 'file')).toBe(false);
    expect(readable(staff)).toContain('没有使用该功能的权限');
  });

  test('xinfang report annual writes the same figures as xinfang stats --json', async () => {
    const out = path.join(dir, '年报.docx');
    const r = await xinfang(['report', 'annual', '--year', '2026', '--out', out], env());
    expect(r.code).toBe(0);
    expect(r.stderr.replace(/提示：2026 年尚未结束，数字截至今天\n/, '')).toBe('');
    expect(r.stdout).toContain('已生成 2026 年年度报告草稿');
    expect(r.stdout).toMatch(/待填写 \d+ 处/);
    const json = await xinfang(['stats', '--period', '2026', '--json'], env());
    const s = JSON.parse(json.stdout) as StatsReport;
    const doc = docxParagraphs(fs.readFileSync(out));
    expect(doc).toContain(`共登记信访事项${s.registered}件`);
    const pct = (x: { numerator: number; denominator: number; rate: number | null }) => `${Math.round(x.rate! * 1000) / 10}%（${x.numerator}/${x.denominator}）`;
    expect(s.timelyAcceptance.rate).not.toBeNull();
    expect(doc).toContain(s.timelyAcceptance.rate === 1 && s.onTimeConclusion.rate === 1 ? '均达到100%' : `及时受理率${pct(s.timelyAcceptance)}`);
    expect(s.letters).toMatchObject({ suggestion: 1, total: 1 });
    expect(doc).toContain(`各类函件${s.letters!.total}件，其中改进工作建议函${s.letters!.suggestion}件`);
    // ledgers without data this year are placeholders in the draft
    if (s.disputes === null) expect(doc).toContain('（系统暂无矛盾纠纷台账数据）');
    if (s.receptions === null) expect(doc).toContain('（系统暂无接访数据）');
    expect(fs.readdirSync(dir)).toEqual(['年报.docx']);
  });

  test('a bad year or an --out that cannot be written: Chinese message, exit 2, no file left', async () => {
    const before = fs.readdirSync(dir);
    const bad = await xinfang(['report', 'annual', '--year', '二〇二六', '--out', path.join(dir, 'a.docx')], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('年份“二〇二六”无效');
    const future = await xinfang(['report', 'annual', '--year', '2999', '--out', path.join(dir, 'b.docx')], env());
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('2999年还没有到');
    const noDir = await xinfang(['report', 'annual', '--year', '2026', '--out', path.join(dir, '没有的目录', 'c.docx')], env());
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('目录不存在');
    const isDir = await xinfang(['report', 'annual', '--year', '2026', '--out', dir], env());
    expect(isDir.code).toBe(2);
    const notDocx = await xinfang(['report', 'annual', '--year', '2026', '--out', path.join(dir, 'd.txt')], env());
    expect(notDocx.code).toBe(2);
    expect(notDocx.stderr).toContain('.docx');
    expect(fs.readdirSync(dir)).toEqual(before);
  });
});
