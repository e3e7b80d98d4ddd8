import type { App } from '../../src/app';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { NOW, seedRoster } from './fixtures';

describe('calendar words in chat say why, in plain dates, without command-line flags', () => {
  let app: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => NOW, env: { PUBLIC_BASE_URL: 'https://xf.example.gov.cn' } });
    await seedRoster(db);
    await addUser(app, 'ld-wang', 'leader', { name: '王立新', title: '县委副书记' });
    await addUser(app, 'admin', 'admin', { name: '周敏' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('导出日历 1999 says the year is out of range and which years can be exported; nothing is exported', async () => {
    const r = await say(app, 'admin', '导出日历 1999');
    expect(r.some((x) => x.type === 'file')).toBe(false);
    const t = readable(r);
    expect(t).toContain('1999 年超出范围');
    expect(t).toContain('2000 年至 2100 年');
    expect(t).toContain('导出日历 2026');
    expect(readable(await say(app, 'admin', '导出日历 2101'))).toContain('2101 年超出范围');
    expect(readable(await say(app, 'admin', '导出日历 26'))).toContain('请写四位数字');
  });

  test('我的日历 asked again names the day the link was made as people say it', async () => {
    await say(app, 'ld-wang', '我的日历');
    const again = readable(await say(app, 'ld-wang', '我的日历'));
    expect(again).toMatch(/您已经有日历订阅链接（2026年\d+月\d+日（周.）生成/);
    expect(again).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(again).not.toMatch(/--[a-z]|xinfang/);
  });
});
