import type { App } from '../../../src/app';
import { addUser, makeTestApp, readable, say } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { lastKnownYear } from './fixtures';

const year = lastKnownYear();

describe('系统检查 in chat', () => {
  let app: App;

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => new Date(`${year}-11-16T02:00:00Z`) });
    await addUser(app, 'admin', 'admin', { title: '办公室主任' });
    await addUser(app, 'staff1', 'staff');
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('an admin gets every finding with its fix, in a card', async () => {
    const replies = await say(app, 'admin', '系统检查');
    expect(replies).toHaveLength(1);
    expect(replies[0].type).toBe('card');
    const text = readable(replies);
    expect(text).toContain('系统检查');
    expect(text).toMatch(/发现 \d+ 项需要处理/);
    expect(text).toContain(`明年（${year + 1} 年）的节假日安排尚未导入`);
    expect(text).toContain('没有设置 DIRECTOR\\_USER\\_ID'); // escaped for Lark markdown
    expect(text).toContain('没有登记信访局群');
    expect(text).toContain('**处理**');
  });

  test('a clerk is refused, and 帮助 lists it only for admins', async () => {
    const replies = await say(app, 'staff1', '系统检查');
    expect(readable(replies)).toBe('您的角色是“登记员”，没有使用该功能的权限。发送“帮助”查看可用功能。');
    expect(readable(await say(app, 'admin', '帮助'))).toContain('系统检查');
    expect(readable(await say(app, 'staff1', '帮助'))).not.toContain('系统检查');
  });
});
