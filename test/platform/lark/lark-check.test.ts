import type { Knex } from 'knex';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';
import { UserStore } from '../../../src/platform/directory/user-store';
import { ChatStore } from '../../../src/platform/directory/chat-store';

/** `xinfang lark check` through the real SDK against the fake Lark (issue 14, item 3). */
describe('xinfang lark check', () => {
  let fake: FakeLarkServer;
  let db: Knex;
  let url: string;
  const lark = () => ({ DATABASE_URL: url, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url });
  const requestsTo = (re: RegExp) => fake.requests.filter((r) => re.test(r.path)).length;

  beforeAll(async () => {
    fake = await startFakeLark();
    ({ db, url } = await freshDb(testDialects()[0]));
    const users = new UserStore(db);
    await users.upsert({ id: 'ou_staff1', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await users.upsert({ id: 'ou_leader1', name: '黄振华', role: 'leader', unit: null, town: '阳城镇', title: '县委副书记' });
    const chats = new ChatStore(db);
    await chats.upsert({ id: 'oc_bureau', name: '信访局工作群', unit: null, role: 'bureau', venueId: null });
    await chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  });
  afterEach(() => {
    fake.botChats = null;
    fake.visibleUsers = null;
  });
  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });

  test('a good set-up (long connection): every check passes, exit 0', async () => {
    const r = await xinfang(['lark', 'check'], lark());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('飞书设置检查：一切正常。');
    expect(r.stdout).toContain('✓ 连接方式：长连接（LARK_MODE=ws），不需要公网地址');
    expect(r.stdout).toContain(`✓ 应用凭证：飞书（${fake.url}）已为 ${fake.appId} 签发 tenant_access_token。`);
    expect(r.stdout).toContain(`open_id ${fake.botOpenId}`);
    expect(r.stdout).toContain('✓ 群聊：已登记的 2 个群都存在，机器人都在群里。');
    expect(r.stdout).toContain('✓ 用户：登记的 2 个飞书用户都在应用的可用范围内。');
  });

  test('the bot missing from a registered group: exit 1, the group named with the fix', async () => {
    fake.botChats = new Set(['oc_bureau']);
    const r = await xinfang(['lark', 'check'], lark());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('飞书设置检查：发现 1 项需要处理（错误 1 项）。');
    expect(r.stdout).toContain('1. 【错误】机器人不在 1 个已登记的群里：县自然资源局信访工作群（oc_zr）');
    expect(r.stdout).toContain('处理：在飞书中打开群设置 → 群机器人 → 添加机器人');
  });

  test('a wrong secret: what Lark answered, the fix, and nothing else asked; exit 1', async () => {
    const before = requestsTo(/is_in_chat|bot\/v3|visibility/);
    const r = await xinfang(['lark', 'check'], { ...lark(), LARK_APP_SECRET: 'not-the-secret' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`1. 【错误】飞书拒绝为 ${fake.appId} 签发 tenant_access_token（飞书答复：10014 app secret invalid）`);
    expect(r.stdout).toContain('处理：在飞书开放平台打开本应用 →“凭证与基础信息”');
    expect(r.stdout).not.toContain('2. ');
    expect(requestsTo(/is_in_chat|bot\/v3|visibility/)).toBe(before);
    expect(r.stdout).not.toContain('not-the-secret');
  });

  test('a user outside the availability range, and a user whose id is no open_id: named, exit 1', async () => {
    fake.visibleUsers = new Set(['ou_staff1']);
    await new UserStore(db).upsert({ id: 'xiaoyan', name: '李小燕', role: 'staff', unit: null, town: null, title: null });
    try {
      const r = await xinfang(['lark', 'check'], lark());
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('【错误】1 个用户不在应用的可用范围内：黄振华（ou_leader1）');
      expect(r.stdout).toContain('“可用范围”');
      expect(r.stdout).toContain('【提醒】1 个用户的 ID 不是飞书 open_id（ou_ 开头）：李小燕（xiaoyan）');
    } finally {
      await db('users').where({ id: 'xiaoyan' }).delete();
    }
  });

  test('webhook mode at a local address, without its keys; a stale LARK_BOT_OPEN_ID: each a finding', async () => {
    const r = await xinfang(['lark', 'check'], { ...lark(), LARK_MODE: 'webhook', PUBLIC_BASE_URL: 'http://localhost:3000', LARK_BOT_OPEN_ID: 'ou_old' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('飞书要把事件和卡片回调推送到 http://localhost:3000/lark/events');
    expect(r.stdout).toContain('webhook 模式没有设置 LARK_ENCRYPT_KEY');
    expect(r.stdout).toContain('webhook 模式没有设置 LARK_VERIFICATION_TOKEN');
    expect(r.stdout).toContain(`把 LARK_BOT_OPEN_ID 改为 ${fake.botOpenId}`);

    const ok = await xinfang(['lark', 'check', '--json'], {
      ...lark(), LARK_MODE: 'webhook', PUBLIC_BASE_URL: 'https://xinfang.example.gov.cn', LARK_ENCRYPT_KEY: 'k', LARK_VERIFICATION_TOKEN: 't',
    });
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(json.ok).toBe(true);
    expect(json.passed.join('\n')).toContain('请求地址都填 https://xinfang.example.gov.cn/lark/events');
  });

  test('Lark unreachable, and no Lark settings at all: a clear message each, exit 1', async () => {
    const down = await xinfang(['lark', 'check'], { ...lark(), LARK_DOMAIN: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('连不上飞书开放平台 http://127.0.0.1:9');
    const none = await xinfang(['lark', 'check'], { DATABASE_URL: url });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('没有设置 LARK_APP_ID 和 LARK_APP_SECRET');
  });
});
