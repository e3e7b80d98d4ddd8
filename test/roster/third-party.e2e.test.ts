import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { App } from '../../src/app';
import { RosterService } from '../../src/roster/roster-service';
import { ThirdPartyStore } from '../../src/roster/third-party-store';
import type { SessionView } from '../../src/roster/session-view';
import { buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { MONDAY, seedMiniCounty } from './fixtures';

const LAWYERS = [
  { name: '张明远', org: '正衡律师事务所', phone: '13900001001' },
  { name: '李书瑶', org: '明法律师事务所', phone: '13900001002' },
  { name: '陈嘉树', org: '正衡律师事务所', phone: '13900001003' },
];

describe('第三方力量 on reception days, through the console', () => {
  let app: App;
  let url: string;
  let roster: RosterService;
  let store: ThirdPartyStore;
  const clock = { now: MONDAY };
  const sessions = () => roster.store.sessions.listSessions({ year: 2026 });
  const booked = async (list: SessionView[]) => store.ofSessions(list.map((s) => s.id));

  beforeAll(async () => {
    const fresh = await freshDb(testDialects()[0]);
    url = fresh.url;
    app = await makeTestApp({ db: fresh.db, url, now: () => clock.now, env: { FEED_RATE_LIMIT_BURST: '1000' } });
    await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    store = new ThirdPartyStore(app.core.db);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('第三方登记: the form, one line, a pasted block; bad input is refused and saves nothing', async () => {
    const form = await say(app, 'staff1', '第三方登记');
    expect(form[0].type === 'card' && checkCard(form[0].card)).toEqual([]);
    const value = buttonValue(form, '登记');
    expect(value).toEqual({ action: 'roster.thirdParty.register' });
    const [a, b, c] = LAWYERS;
    const saved = readable(await click(app, 'staff1', value!, { name: a.name, kind: '律师', organisation: a.org, phone: a.phone }));
    expect(saved).toContain('已登记进第三方名册：律师：张明远（正衡律师事务所），电话 139****1001');
    expect(saved).not.toContain(a.phone);
    expect(readable(await say(app, 'staff1', `第三方登记 律师 ${b.name} ${b.org} ${b.phone}`))).toContain('律师：李书瑶（明法律师事务所）');
    expect(readable(await say(app, 'admin', `第三方登记\n姓名：${c.name}\n类别：律师\n单位：${c.org}\n电话：${c.phone}`))).toContain('律师：陈嘉树');
    expect(readable(await say(app, 'admin', '第三方登记 心理咨询师 何静怡 县心理健康服务中心 0763-6620101'))).toContain('心理咨询师：何静怡');

    const count = (await store.list()).length;
    expect(readable(await say(app, 'staff1', '第三方登记 律师 王守一 1390000'))).toContain('手机号应为11位');
    expect(readable(await say(app, 'staff1', '第三方登记 会计 王守一 13900001009'))).toContain('类别“会计”不对，应为：');
    expect(readable(await say(app, 'staff1', `第三方登记 律师 ${a.name} ${a.org} ${a.phone}`))).toContain('名册中已有律师：张明远');
    expect(readable(await say(app, 'cty1', `第三方登记 律师 王守一 13900001009`))).not.toContain('已登记');
    expect(await store.list()).toHaveLength(count);
    expect((await store.events()).filter((e) => e.action === 'registered').map((e) => e.actorId)).toEqual(['staff1', 'staff1', 'admin', 'admin']);
  });

  test('第三方名册 lists them by kind with the phone masked, in a group too', async () => {
    for (const chat of [{}, { chatId: 'oc_bureau', chatType: 'group' }]) {
      const replies = await say(app, 'staff1', '第三方名册', chat);
      expect(replies[0].type === 'card' && checkCard(replies[0].card)).toEqual([]);
      const t = readable(replies);
      expect(t).toContain('张明远（正衡律师事务所） 139\\*\\*\\*\\*1001');
      expect(t).toContain('心理咨询师');
      for (const l of LAWYERS) expect(t).not.toContain(l.phone);
    }
    expect(readable(await say(app, 'staff1', '第三方名册 心理'))).not.toContain('张明远');
    expect(readable(await say(app, 'staff1', '第三方名册 会计'))).toContain('类别“会计”不对');
  });

  test('the plan puts a lawyer at every county-centre session, spread evenly, and nobody at the towns', async () => {
    expect(readable(await say(app, 'admin', '生成接访计划 2026'))).toContain('2026 年接访下访计划已生成');
    const all = await sessions();
    const center = all.filter((s) => s.venueKind === 'center');
    const map = await booked(all);
    expect(center.length).toBeGreaterThan(10);
    for (const s of center) expect(map.get(s.id)?.filter((p) => p.kind === '律师')).toHaveLength(1);
    for (const s of all.filter((x) => x.venueKind !== 'center')) expect(map.get(s.id)).toBeUndefined();
    const per = LAWYERS.map((l) => center.filter((s) => map.get(s.id)!.some((p) => p.name === l.name)).length);
    expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
  });

  test('安排第三方 by hand: refused with why when the lawyer is at another session that half-day; 取消第三方 takes it back', async () => {
    const all = await sessions();
    const map = await booked(all);
    const center = all.find((s) => s.venueKind === 'center' && all.some((o) => o.date === s.date && o.id !== s.id))!;
    const other = all.find((o) => o.date === center.date && o.id !== center.id)!;
    const lawyer = map.get(center.id)!.find((p) => p.kind === '律师')!;
    const refused = readable(await say(app, 'staff1', `安排第三方 ${other.id} ${lawyer.name}`));
    expect(refused).toContain(`已安排在县群众来访接待中心的接访（编号 ${center.id}），同一半天不能再参加本场接访`);
    expect((await store.ofSessions([other.id])).get(other.id)?.some((p) => p.id === lawyer.id) ?? false).toBe(false);

    const free = LAWYERS.map((l) => l.name).find((n) => !all.some((s) => s.date === other.date && map.get(s.id)?.some((p) => p.name === n)))!;
    const before = (await roster.store.sessions.getSession(other.id))!.sequence;
    expect(readable(await say(app, 'staff1', `安排第三方 ${other.id} ${free}`))).toContain(`已安排律师：${free}`);
    expect((await store.ofSessions([other.id])).get(other.id)!.map((p) => [p.name, p.how])).toEqual([[free, 'hand']]);
    expect((await roster.store.sessions.getSession(other.id))!.sequence).toBe(before + 1);
    expect(readable(await say(app, 'staff1', `安排第三方 ${other.id} ${free}`))).toContain('无需重复安排');
    expect(readable(await say(app, 'cty1', `取消第三方 ${other.id} ${free}`))).not.toContain('已取消');

    expect(readable(await say(app, 'admin', `取消第三方 ${other.id} ${free}`))).toContain(`已取消律师：${free}`);
    expect((await store.ofSessions([other.id])).get(other.id)).toBeUndefined();
    expect((await store.events({ sessionId: other.id })).map((e) => [e.action, e.how, e.actorId])).toEqual([['assigned', 'hand', 'staff1'], ['unassigned', 'hand', 'admin']]);
    expect(readable(await say(app, 'staff1', '安排第三方 99999 张明远'))).toContain('没有编号为 99999 的接访安排');
    expect(readable(await say(app, 'staff1', `安排第三方 ${other.id} 王守一`))).toContain('第三方名册中没有“王守一”');
  });

  test('the leader’s 接访简报 shows who comes, with the unit and the phone masked', async () => {
    const all = await sessions();
    const s = all.find((x) => x.venueKind === 'center' && x.date > '2026-03-02')!;
    const lawyer = (await store.ofSessions([s.id])).get(s.id)!.find((p) => p.kind === '律师')!;
    const replies = await say(app, s.leaders[0].id, `接访简报 ${s.date}`);
    expect(replies[0].type === 'card' && checkCard(replies[0].card)).toEqual([]);
    const t = readable(replies);
    expect(t).toContain(`律师：${lawyer.name}（${lawyer.organisation}，139\\*\\*\\*\\*${lawyer.phone!.slice(-4)}）`);
    expect(t).not.toContain(lawyer.phone!);
  });

  test('/schedule says 律师参与接访 without names; with THIRD_PARTY_NAMES_PUBLIC=true it names them', async () => {
    const quiet = (await request(app.http).get('/schedule')).text;
    expect(quiet).toContain('律师参与接访');
    expect(quiet).toContain('心理咨询师参与接访');
    for (const l of LAWYERS) expect(quiet).not.toContain(l.name);
    const open = await makeTestApp({ db: app.core.db, url, now: () => clock.now, env: { THIRD_PARTY_NAMES_PUBLIC: 'true' } });
    const named = (await request(open.http).get('/schedule')).text;
    expect(named).toMatch(/律师参与接访（(张明远|李书瑶|陈嘉树)）/);
    expect(named).not.toContain('13900001');
  });

  test('the plan export has a 第三方力量 column; the leader’s .ics names the lawyer', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-tp-')), 'plan.xlsx');
    const r = await xinfang(['plan', 'export', '--year', '2026', '--out', file], { DATABASE_URL: url });
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const col = header.indexOf('第三方力量');
    expect(col).toBeGreaterThan(0);
    const cells: string[] = [];
    ws.eachRow((row, n) => { if (n > 1) cells.push(String(row.getCell(col).value ?? '')); });
    expect(cells.some((c) => /^律师：(张明远|李书瑶|陈嘉树)（.+律师事务所）、心理咨询师：何静怡（县心理健康服务中心）$/.test(c))).toBe(true);
    expect(cells.join('')).not.toContain('13900001');

    const s = (await sessions()).find((x) => x.venueKind === 'center' && x.date >= '2026-03-02')!;
    const lawyer = (await store.ofSessions([s.id])).get(s.id)!.find((p) => p.kind === '律师')!;
    const replies = await say(app, s.leaders[0].id, '下载日历');
    const ics = replies.find((x) => x.type === 'file');
    if (ics?.type !== 'file') throw new Error('no .ics file');
    const text = Buffer.from(ics.base64, 'base64').toString('utf8').replace(/\r\n[ \t]/g, '');
    expect(text).toContain(`律师：${lawyer.name}（${lawyer.organisation}）`);
    expect(text).not.toContain(lawyer.phone!);
  });

  test('xinfang third-party add, list --json (phones masked), remove', async () => {
    const env = { DATABASE_URL: url };
    const add = await xinfang(['third-party', 'add', '--name', '邓守仁', '--kind', '调解员', '--phone', '0763-6620101', '--org', '县人民调解委员会'], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('已登记：调解员：邓守仁（县人民调解委员会）');
    const bad = await xinfang(['third-party', 'add', '--name', '邓守仁', '--kind', '会计', '--phone', '0763-6620101'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('类别“会计”不对');
    const list = JSON.parse((await xinfang(['third-party', 'list', '--json'], env)).stdout);
    expect(list.find((p: any) => p.name === '邓守仁')).toMatchObject({ kind: '调解员', phone: '0763-*****01', active: true, comingSessions: 0 });
    expect(JSON.stringify(list)).not.toContain('13900001');
    const removed = await xinfang(['third-party', 'remove', '邓守仁'], env);
    expect(removed.stdout).toContain('已移出第三方名册：调解员：邓守仁');
    expect((await xinfang(['third-party', 'list', '--json'], env)).stdout).not.toContain('邓守仁');
  });
});
