import request from 'supertest';
import type { App } from '../../src/app';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { NOW, parseIcs, seedCases, seedRoster, UID } from './fixtures';

const linkIn = (t: string) => /https:\/\/xf\.example\.gov\.cn(\/ical\/[a-z]+\/[A-Za-z0-9_-]+\.ics)/.exec(t)?.[1] ?? null;

describe('calendar commands in chat', () => {
  let app: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => NOW, env: { PUBLIC_BASE_URL: 'https://xf.example.gov.cn', FEED_RATE_LIMIT_BURST: '1000' } });
    await seedRoster(db);
    await seedCases(db);
    await addUser(app, 'ld-wang', 'leader', { name: '王立新', title: '县委副书记' });
    await addUser(app, 'ld-nobody', 'leader', { name: '赵无名' });
    await addUser(app, 'unit-zr', 'unit', { name: '孙建', unit: '县自然资源局' });
    await addUser(app, 'admin', 'admin', { name: '周敏' });
    await addUser(app, 'staff', 'staff', { name: '吴倩' });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('我的日历 gives a leader a working link once; asking again does not show it again', async () => {
    const first = readable(await say(app, 'ld-wang', '我的日历'));
    const path = linkIn(first);
    expect(path).toMatch(/^\/ical\/leader\//);
    expect(first).toContain('webcal://xf.example.gov.cn/ical/leader/');
    expect(first).toContain('飞书日历');
    const feed = await request(app.http).get(path!);
    expect(feed.status).toBe(200);
    expect(parseIcs(feed.text).events.map((e) => e.uid)).toEqual([UID.s1, UID.s3]);

    const second = readable(await say(app, 'ld-wang', '日历订阅'));
    expect(linkIn(second)).toBeNull();
    expect(second).toContain('重置日历链接');
    expect(second).toContain(path!.split('/')[3].slice(0, 6));
    expect((await app.core.db('feed_tokens').where({ kind: 'leader', subject: 'ld-wang' })).length).toBe(1);
  });

  test('重置日历链接 replaces the link: the old one gets 404, the new one works', async () => {
    const old = linkIn(readable(await say(app, 'ld-wang', '重置日历链接')))!;
    const reset = readable(await say(app, 'ld-wang', '重置日历链接'));
    expect(reset).toContain('原来的 1 个链接已停用');
    const fresh = linkIn(reset)!;
    expect(fresh).not.toBe(old);
    expect((await request(app.http).get(old)).status).toBe(404);
    expect((await request(app.http).get(fresh)).status).toBe(200);
  });

  test('下载日历 hands a leader their schedule as an .ics file', async () => {
    const replies = await say(app, 'ld-wang', '下载日历');
    const file = replies.find((r) => r.type === 'file');
    expect(file).toBeDefined();
    if (file?.type !== 'file') throw new Error('no file');
    expect(file.mime).toBe('text/calendar');
    expect(file.name).toMatch(/\.ics$/);
    const ics = Buffer.from(file.base64, 'base64').toString('utf8');
    const { byUid } = parseIcs(ics);
    expect(byUid.get(UID.s1)!.startUtc).toBe('2026-03-02T01:00:00.000Z');
    expect(byUid.get(UID.s1)!.description).toContain('接访重点');
    expect(ics).not.toContain('内部备注');
  });

  test('a unit user subscribes to the unit’s deadlines', async () => {
    const t = readable(await say(app, 'unit-zr', '我的日历'));
    const path = linkIn(t)!;
    expect(path).toMatch(/^\/ical\/deadlines\//);
    const feed = await request(app.http).get(path);
    expect(parseIcs(feed.text).events.map((e) => e.summary)).toEqual(['办结期限：2026-000001（自然资源）']);
  });

  test('the admin exports a year as one .ics; others are refused; bad input gets a Chinese answer', async () => {
    const replies = await say(app, 'admin', '导出日历 2026');
    const file = replies.find((r) => r.type === 'file');
    if (file?.type !== 'file') throw new Error('no file');
    expect(file.name).toBe('接访计划-2026.ics');
    const { events } = parseIcs(Buffer.from(file.base64, 'base64').toString('utf8'));
    expect(events.map((e) => e.uid).sort()).toEqual([UID.s1, UID.s2, UID.s3, UID.s5].sort());
    expect(events.find((e) => e.uid === UID.s3)!.status).toBe('CANCELLED');
    expect(readable(replies)).toContain('共 4 场');

    expect(readable(await say(app, 'admin', '导出日历 2030'))).toContain('还没有接访计划');
    expect(readable(await say(app, 'admin', '导出日历 明年'))).toContain('年份');
    expect(readable(await say(app, 'staff', '导出日历 2026'))).toContain('没有使用该功能的权限');
    expect(readable(await say(app, 'staff', '我的日历'))).toContain('没有使用该功能的权限');
    expect(readable(await say(app, 'admin', '我的日历'))).toContain('没有使用该功能的权限');
    expect(readable(await say(app, 'ld-nobody', '我的日历'))).toContain('还没有登记为接访领导');
  });
});
