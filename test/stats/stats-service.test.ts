import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { toDbTime } from '../../src/platform/database/time';
import { createStatsFeature } from '../../src/stats';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';

let seq = 0;
async function addCase(db: Knex, c: { received: string; decisionDue: string; decided: string | null; channel?: string; group?: boolean }) {
  const t = toDbTime(new Date('2026-10-01T00:00:00Z'));
  seq++;
  const [id] = await db('cases').insert({
    case_no: `2026-${String(seq).padStart(6, '0')}`, year: 2026, status: c.decided ? 'handling' : 'registered',
    name: '测试人', headcount: c.group ? 6 : 1, is_group: Boolean(c.group), channel: c.channel ?? '来访', town: '阳城镇',
    category: '城乡建设', content: '测试', received_at: t, received_date: c.received, decided_date: c.decided,
    registered_by: 'staff1', created_at: t, updated_at: t,
  });
  await db('case_deadlines').insert({
    case_id: Number(id), kind: 'decision', due_date: c.decisionDue, status: c.decided ? 'met' : 'open', met_date: c.decided, created_at: t, updated_at: t,
  });
}

describe.each(testDialects())('statistics on $name', (dialect) => {
  let app: App;
  let url: string;
  const now = new Date('2026-11-02T01:30:00Z'); // Monday 2 November 2026, 09:30 in Shanghai
  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    app = await makeTestApp({ db: fresh.db, url, now: () => now });
    await addUser(app, 'staff1', 'staff');
    await addUser(app, 'unit1', 'unit', { unit: '县自然资源局' });
    await addCase(app.core.db, { received: '2026-10-09', decisionDue: '2026-10-26', decided: '2026-10-12', channel: '来信' });
    await addCase(app.core.db, { received: '2026-10-10', decisionDue: '2026-10-26', decided: '2026-10-28', group: true });
    await addCase(app.core.db, { received: '2026-10-10', decisionDue: '2026-10-26', decided: null });
    await addCase(app.core.db, { received: '2026-09-01', decisionDue: '2026-09-16', decided: '2026-09-02' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('统计 上月 answers with the registered count and 及时受理率 for October', async () => {
    const t = readable(await say(app, 'staff1', '统计 上月'));
    expect(t).toContain('2026年10月');
    expect(t).toContain('3 件'); // registered in October
    expect(t).toContain('33.3%（1/3）');
  });

  test('a period nobody can read gets a Chinese hint; a unit may not see statistics', async () => {
    expect(readable(await say(app, 'staff1', '统计 下辈子'))).toContain('看不懂');
    expect(readable(await say(app, 'unit1', '统计'))).toContain('没有使用该功能的权限');
  });

  test('the monthly job sends last month once, to the bureau group, through the outbox', async () => {
    const job = createStatsFeature(app.core).jobs!()[0];
    expect(await job.run(now)).toContain('没有登记信访局群');
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局', unit: null, role: 'bureau', venueId: null });
    expect(await job.run(now)).toContain('已发送 2026年10月');
    expect(await job.run(now)).toContain('已发送过');
    const rows = await app.core.db('outbox').where({ source: 'stats:2026-10' }).orderBy('id');
    expect(rows.map((r: any) => [r.receive_id, r.msg_type])).toEqual([['oc_bureau', 'interactive'], ['oc_bureau', 'file']]);
    expect(rows[0].content).toContain('及时受理率');
    const file = JSON.parse(rows[1].content);
    expect(file.name).toBe('信访统计-2026年10月.xlsx');
    expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK'); // a zip: the .xlsx workbook
  });

  test('xinfang stats prints the figures; a bad period exits 2', async () => {
    const ok = await xinfang(['stats', '--period', '2026-10', '--json'], { DATABASE_URL: url });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ registered: 3, groupVisits: 1, timelyAcceptance: { numerator: 1, denominator: 3 }, timelyAcceptanceRate: 1 / 3 });
    const bad = await xinfang(['stats', '--period', '2026-13'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('无效');
  });
});
