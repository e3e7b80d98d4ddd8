import request from 'supertest';
import type { App } from '../../../src/app';
import { UNKNOWN_USER_REPLY } from '../../../src/platform/chat/router';
import { addUser, makeTestApp, readable, say } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';

describe('the console sandbox, driven as a person would', () => {
  let app: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url });
    await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    await addUser(app, 'unit-zr', 'unit', { name: '李建国', unit: '县自然资源局' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('帮助 lists what the role may do, in Chinese', async () => {
    const replies = await say(app, 'xiaoyan', '帮助');
    const t = readable(replies);
    expect(t).toContain('张晓燕');
    expect(t).toContain('登记员');
    expect(t).toContain('我是谁');
  });

  test('我是谁 tells name, role and unit', async () => {
    expect(readable(await say(app, 'unit-zr', '我是谁'))).toMatch(/李建国[\s\S]*承办单位[\s\S]*县自然资源局/);
  });

  test('an unknown command gets a pointer to 帮助', async () => {
    expect(readable(await say(app, 'xiaoyan', '随便说点什么'))).toContain('帮助');
  });

  test('an unknown user gets 404 with a Chinese error and no data', async () => {
    const res = await request(app.http).post('/console/api/messages').send({ user: 'stranger', text: '帮助' });
    expect(res.status).toBe(404);
    expect(res.body.error).toContain('不存在');
    expect(JSON.stringify(res.body)).not.toContain('张晓燕');
    // The router itself refuses politely too (Lark path).
    expect(await app.router.handle({ kind: 'message', userId: 'stranger', chatId: 'x', chatType: 'p2p', text: '帮助' }))
      .toEqual([{ type: 'text', text: UNKNOWN_USER_REPLY }]);
    // One refusal on every channel: who to ask, and no command line in a chat.
    expect(UNKNOWN_USER_REPLY).toContain('您还不是信访工作台的登记用户');
    expect(UNKNOWN_USER_REPLY).toContain('请联系县信访局管理员');
    expect(UNKNOWN_USER_REPLY).not.toMatch(/xinfang|--/);
  });

  test('bad JSON, missing fields and wrong types are 4xx JSON errors, never 500', async () => {
    const bad = await request(app.http).post('/console/api/messages').set('content-type', 'application/json').send('{"user":');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('JSON');
    const missing = await request(app.http).post('/console/api/messages').send({ user: 'xiaoyan' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('text');
    const wrong = await request(app.http).post('/console/api/actions').send({ user: 'xiaoyan', value: 'x' });
    expect(wrong.status).toBe(400);
    const array = await request(app.http).post('/console/api/messages').send([1]);
    expect(array.status).toBe(400);
    expect(array.body.error).toContain('JSON 对象');
    const chatType = await request(app.http).post('/console/api/messages').send({ user: 'xiaoyan', text: '帮助', chatType: 'room' });
    expect(chatType.status).toBe(400);
    expect(chatType.body.error).toBe('字段 chatType 的取值无效，可选：p2p、group');
    const number = await request(app.http).post('/console/api/messages').send({ user: 42, text: '帮助' });
    expect(number.body.error).toBe('字段 user 的类型不对，应为文本');
    const stale = await request(app.http).post('/console/api/actions').send({ user: 'xiaoyan', value: { action: 'no.such' } });
    expect(stale.status).toBe(200);
    expect(readable(stale.body.replies)).toContain('失效');
  });

  test('the page and the health check answer', async () => {
    const page = await request(app.http).get('/console');
    expect(page.status).toBe(200);
    expect(page.text).toContain('信访助手');
    const health = await request(app.http).get('/healthz');
    expect(health.body).toMatchObject({ status: 'ok', outbox: { transport: 'console', waiting: 0, failed: 0 } });
  });
});

describe('the console in production', () => {
  test('is off unless enabled, and then needs CONSOLE_TOKEN', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const off = await makeTestApp({ db, url, env: { NODE_ENV: 'production', CONSOLE_ENABLED: 'false' } });
    expect((await request(off.http).get('/console')).status).toBe(404);
    const on = await makeTestApp({ db, url, env: { NODE_ENV: 'production', CONSOLE_TOKEN: 's3cret-token' } });
    await addUser(on, 'xiaoyan', 'staff');
    expect((await request(on.http).post('/console/api/messages').send({ user: 'xiaoyan', text: '帮助' })).status).toBe(401);
    const ok = await request(on.http).post('/console/api/messages').set('x-console-token', 's3cret-token').send({ user: 'xiaoyan', text: '帮助' });
    expect(ok.status).toBe(200);
    await db.destroy();
  });
});
