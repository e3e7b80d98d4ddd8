import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Core, Feature } from '../../../src/platform/core/feature';
import { createLarkClient } from '../../../src/platform/lark/lark-client';
import { diagnoseLark } from '../../../src/platform/lark/lark-diagnosis';
import { DoctorService } from '../../../src/platform/doctor/doctor-service';
import { createLogger } from '../../../src/platform/logging/logger';
import { FakeLarkServer } from '../../helpers/fake-lark-server';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from '../../roster/fixtures';
import { lastKnownYear } from './fixtures';

const year = lastKnownYear();

describe('xinfang doctor with a Lark app', () => {
  let fake: FakeLarkServer;
  let db: Knex;
  let core: Core;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    fake = await new FakeLarkServer().start();
    const fresh = await freshDb(testDialects()[0]);
    db = fresh.db;
    Object.assign(env, { DATABASE_URL: fresh.url, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url });
    core = await testCore(db, fresh.url, { now: MONDAY }, env);
    await seedMiniCounty(core);
  });
  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });

  test('the chats the bot is not in, and leaders whose id is no open_id, are errors; Lark is asked about each chat', async () => {
    fake.botChats = new Set(['oc_bureau', 'oc_venue_yc']);
    const r = await xinfang(['doctor', '--json', '--now', `${year}-06-01T09:00`], env);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ area: string; severity: string; problem: string }>;
    const lark = findings.filter((f) => f.area === '飞书');
    expect(lark).toEqual([expect.objectContaining({ severity: 'error', problem: expect.stringContaining('机器人不在 2 个已登记的群里') })]);
    expect(lark[0].problem).toContain('接待中心群（oc_venue_center）');
    expect(lark[0].problem).toContain('七拱综治中心群（oc_venue_qg）');
    expect(lark[0].problem).not.toContain('oc_bureau');
    const asked = fake.requests.filter((q) => q.path.endsWith('/members/is_in_chat')).map((q) => q.path);
    expect(asked.sort()).toEqual(['oc_bureau', 'oc_venue_center', 'oc_venue_qg', 'oc_venue_yc'].map((c) => `/open-apis/im/v1/chats/${c}/members/is_in_chat`));
    // The fixture's leaders are keyed cty1, yc1…: no briefing could reach them in Lark.
    expect(findings).toContainEqual(expect.objectContaining({ area: '接访领导', severity: 'error', problem: expect.stringContaining('9 位接访领导的编号不是飞书 open_id') }));
    // So is the director (the admin, untitled: none at all).
    expect(findings).toContainEqual(expect.objectContaining({ area: '期限提醒', severity: 'error' }));
  });

  test('the bot in every chat: no Lark finding', async () => {
    fake.botChats = null;
    const r = await xinfang(['doctor', '--json', '--now', `${year}-06-01T09:00`], env);
    expect(JSON.parse(r.stdout).findings.filter((f: any) => f.area === '飞书')).toEqual([]);
  });

  test('a wrong app secret: the chats could not be checked, and doctor says so', async () => {
    const r = await xinfang(['doctor', '--json', '--now', `${year}-06-01T09:00`], { ...env, LARK_APP_SECRET: 'wrong' });
    const lark = JSON.parse(r.stdout).findings.filter((f: any) => f.area === '飞书');
    expect(lark).toEqual([expect.objectContaining({ severity: 'warning', problem: expect.stringContaining('无法确认机器人是否在 4 个群里') })]);
    expect(lark[0].fix).toContain('LARK_APP_SECRET');
  });

  test('Lark not answering: the check ends at its time limit with a finding of its own', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = http.createServer(() => undefined); // accepts, never answers
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const larkCore = await testCore(db, env.DATABASE_URL, { now: MONDAY }, { ...env, LARK_DOMAIN: url });
    const started = Date.now();
    const findings = await diagnoseLark(larkCore, () => createLarkClient(larkCore.config, createLogger('silent')), { timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(findings).toEqual([expect.objectContaining({ area: '飞书', severity: 'warning', problem: expect.stringContaining('飞书在 0.4 秒内没有回答，4 个群未能检查') })]);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  test('Lark off: nothing is asked', async () => {
    const offCore = await testCore(db, env.DATABASE_URL, { now: MONDAY }, { LARK_APP_ID: '', LARK_APP_SECRET: '' });
    const before = fake.requests.length;
    expect(await diagnoseLark(offCore, () => { throw new Error('no client without Lark'); })).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });
});

describe('the doctor service', () => {
  test('a check that throws becomes a finding of its own; the others are still reported, and the log has them at start', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const core = await testCore(db, url, { now: new Date(`${year}-06-01T01:00:00Z`) });
    const logged: string[] = [];
    core.logger = { ...core.logger, warn: (...args: unknown[]) => void logged.push(String(args[args.length - 1])), info: () => undefined, error: () => undefined } as any;
    const broken: Feature = { name: 'broken', diagnose: async () => { throw new Error('select * from secrets'); } };
    const fine: Feature = { name: 'fine', diagnose: async () => [{ area: '测试', severity: 'warning', problem: '一个问题', fix: '一个办法' }] };
    const service = new DoctorService(core, [broken, fine]);
    const r = await service.run();
    const areas = r.findings.map((f) => f.area);
    expect(areas).toEqual(expect.arrayContaining(['broken', '测试']));
    const b = r.findings.find((f) => f.area === 'broken')!;
    expect(b.severity).toBe('error');
    expect(b.problem).toContain('未能完成');
    expect(JSON.stringify(r.findings)).not.toContain('select');

    await service.logAtStart();
    expect(logged).toEqual(expect.arrayContaining([expect.stringContaining('系统检查：一个问题 处理：一个办法'), expect.stringMatching(/^系统检查发现 \d+ 项需要处理/)]));
    await db.destroy();
  });
});
