import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { App } from '../../src/app';
import { makeTestApp } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { NOW, parseIcs, seedCases, seedRoster, UID } from './fixtures';

describe.each(testDialects())('xinfang feeds ($name)', (dialect) => {
  let app: App;
  let env: Record<string, string>;
  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    env = { DATABASE_URL: url, PUBLIC_BASE_URL: 'https://xf.example.gov.cn' };
    app = await makeTestApp({ db, url, now: () => NOW, env: { ...env, FEED_RATE_LIMIT_BURST: '1000' } });
    await seedRoster(db);
    await seedCases(db);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  const pathOf = (url: string) => new URL(url.trim()).pathname;

  test('token create prints the URL once; list shows the prefix only; revoke by prefix makes it 404', async () => {
    const c = await xinfang(['feeds', 'token', 'create', '--kind', 'venue', '--subject', 'county-center', '--label', '接待中心值班室'], env);
    expect(c.code).toBe(0);
    const url = c.stdout.trim();
    expect(url).toMatch(/^https:\/\/xf\.example\.gov\.cn\/ical\/venue\/[A-Za-z0-9_-]{32}\.ics$/);
    expect(c.stderr).toContain('只显示这一次');
    const secret = pathOf(url).split('/')[3].replace('.ics', '');
    const feed = await request(app.http).get(pathOf(url));
    expect(feed.status).toBe(200);
    expect(parseIcs(feed.text).events.map((e) => e.uid)).toEqual([UID.s1, UID.s3, UID.s5]);

    const list = await xinfang(['feeds', 'token', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${secret.slice(0, 6)}…`);
    expect(list.stdout).toContain('接待中心值班室');
    expect(list.stdout).not.toContain(secret);
    const json = JSON.parse((await xinfang(['feeds', 'token', 'list', '--json'], env)).stdout);
    expect(json).toEqual([expect.objectContaining({ kind: 'venue', subject: 'county-center', prefix: secret.slice(0, 6), revokedAt: null })]);
    expect(JSON.stringify(json)).not.toContain(secret);

    const r = await xinfang(['feeds', 'token', 'revoke', secret.slice(0, 6)], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已停用');
    expect((await request(app.http).get(pathOf(url))).status).toBe(404);
    expect((await xinfang(['feeds', 'token', 'list', '--json'], env)).stdout.trim()).toBe('[]');
    expect(JSON.parse((await xinfang(['feeds', 'token', 'list', '--all', '--json'], env)).stdout)[0].revokedAt).not.toBeNull();
  });

  test('token rotate: the old link 404s, the new one serves the same subscriber', async () => {
    const c = await xinfang(['feeds', 'token', 'create', '--kind', 'leader', '--subject', 'ld-liu'], env);
    const oldPath = pathOf(c.stdout);
    const id = JSON.parse((await xinfang(['feeds', 'token', 'list', '--json'], env)).stdout).find((t: any) => t.subject === 'ld-liu').id;
    const r = await xinfang(['feeds', 'token', 'rotate', String(id)], env);
    expect(r.code).toBe(0);
    const newPath = pathOf(r.stdout);
    expect(newPath).not.toBe(oldPath);
    expect((await request(app.http).get(oldPath)).status).toBe(404);
    const feed = await request(app.http).get(newPath);
    expect(parseIcs(feed.text).events.map((e) => e.uid)).toEqual([UID.s2]);
  });

  test('deadline tokens take a known unit', async () => {
    const c = await xinfang(['feeds', 'token', 'create', '--kind', 'deadlines', '--subject', '县自然资源局'], env);
    expect(c.code).toBe(0);
    const feed = await request(app.http).get(pathOf(c.stdout));
    expect(parseIcs(feed.text).events.map((e) => e.uid)).toEqual(['deadline-2026-000001-conclusion@xinfang-bot']);
  });

  test('a bad kind, an unknown subject or an unknown token: exit 2, a Chinese message, nothing saved', async () => {
    const before = (await app.core.db('feed_tokens').count({ n: '*' }))[0].n;
    const cases: Array<[string[], RegExp]> = [
      [['feeds', 'token', 'create', '--kind', 'public', '--subject', 'x'], /订阅类型“public”无效/],
      [['feeds', 'token', 'create', '--kind', 'leader', '--subject', 'ld-nobody'], /没有编号为“ld-nobody”的接访领导/],
      [['feeds', 'token', 'create', '--kind', 'venue', '--subject', 'nowhere'], /没有编号为“nowhere”的接访地点/],
      [['feeds', 'token', 'create', '--kind', 'deadlines', '--subject', '火星局'], /没有名为“火星局”的承办单位/],
      [['feeds', 'token', 'revoke', 'zzzzzz'], /找不到令牌/],
      [['feeds', 'token', 'rotate', '424242'], /找不到令牌/],
      [['feeds', 'export', '--year', '26'], /年份“26”无效/],
    ];
    for (const [args, msg] of cases) {
      const r = await xinfang(args, env);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    expect((await app.core.db('feed_tokens').count({ n: '*' }))[0].n).toBe(before);
  });

  test('export writes a year of the plan, cancelled sessions included, to a file or stdout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-export-'));
    const out = path.join(dir, 'plan-2026.ics');
    const r = await xinfang(['feeds', 'export', '--year', '2026', '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 场');
    const { events } = parseIcs(fs.readFileSync(out, 'utf8'));
    expect(events.map((e) => e.uid).sort()).toEqual([UID.s1, UID.s2, UID.s3, UID.s5].sort());
    expect(events.find((e) => e.uid === UID.s1)!.summary).toBe('王立新（县委副书记）等2位领导接访（县群众来访接待中心）');
    const std = await xinfang(['feeds', 'export', '--year', '2025'], env);
    expect(parseIcs(std.stdout).events.map((e) => e.uid)).toEqual([UID.old]);
  });
});
