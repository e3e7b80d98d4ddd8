import type { Knex } from 'knex';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { toDbTime } from '../../src/platform/database/time';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

const plain = (r: Outgoing[]) => readable(r).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');
const T0 = new Date('2026-03-10T06:20:00.000Z'); // Tuesday 14:20 in Shanghai

const block = (name: string, extra: string[] = []) =>
  ['登记', `姓名：${name}`, '电话：13812345678', '人数：1', '信访形式：来访', '问题属地：阳城镇', '问题类别：城乡建设', '事项内容：道路积水，要求修缮排水沟。', ...extra].join('\n');

/** Finds an element of a card by tag, depth first. */
function findAll(v: unknown, pred: (o: any) => boolean, out: any[] = []): any[] {
  if (Array.isArray(v)) v.forEach((x) => findAll(x, pred, out));
  else if (v && typeof v === 'object') {
    if (pred(v)) out.push(v);
    Object.values(v).forEach((x) => findAll(x, pred, out));
  }
  return out;
}

describe.each(testDialects())('saving 信访登记 on $name', (dialect) => {
  let db: Knex;
  let app: App;
  let clock = T0;

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    app = await makeTestApp({ db, url: fresh.url, now: () => clock });
    await addUser(app, 'yan', 'staff', { name: '张晓燕' });
    for (let i = 1; i <= 8; i++) await addUser(app, `staff${i}`, 'staff', { name: `登记员${i}` });
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    clock = T0;
    await db('form_drafts').delete();
  });

  test('concurrent saves by eight staff get eight distinct, readable case numbers', async () => {
    for (let i = 1; i <= 8; i++) expect(plain(await say(app, `staff${i}`, block(`并发${'甲乙丙丁戊己庚辛'[i - 1]}`)))).toContain('请确认');
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => say(app, `staff${i + 1}`, '确认')));
    const numbers = replies.map((r) => /登记成功 · (\d{4}-\d{6})/.exec(plain(r))?.[1]);
    expect(numbers.every((n) => n && /^2026-\d{6}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(8);
    const rows = await db('cases').where('name', 'like', '并发%').select('case_no');
    expect(rows.map((r: any) => r.case_no).sort()).toEqual([...numbers].sort());
    expect(await db('form_drafts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  test('a double click on 确认 saves one case', async () => {
    const summary = await say(app, 'yan', block('双击'));
    const confirm = buttonValue(summary, '确认')!;
    const [a, b] = await Promise.all([click(app, 'yan', confirm), click(app, 'yan', confirm)]);
    const texts = [plain(a), plain(b)];
    expect(texts.filter((t) => t.includes('登记成功'))).toHaveLength(1);
    expect(await db('cases').where({ name: '双击' })).toHaveLength(1);
    // 确认 typed again a little later: told what was saved, and nothing more is saved.
    const no = /登记成功 · (\d{4}-\d{6})/.exec(texts.find((t) => t.includes('登记成功'))!)![1];
    clock = new Date(T0.getTime() + 60_000);
    expect(plain(await say(app, 'yan', '确认'))).toContain(`您刚才的登记已经保存，编号 ${no}（14:20 保存）`);
    expect(await db('cases').where({ name: '双击' })).toHaveLength(1);
    // Much later, or from someone who saved nothing: there is simply no form open.
    clock = new Date(T0.getTime() + 3600_000);
    expect(plain(await say(app, 'yan', '确认'))).toContain('您当前没有正在填写的表单');
    expect(plain(await say(app, 'staff8', '确认'))).toContain('您当前没有正在填写的表单');
  });

  test('a 确认 button from before an edit no longer confirms; the current one does', async () => {
    const first = await say(app, 'yan', block('改后确认'));
    const old = buttonValue(first, '确认')!;
    const second = await say(app, 'yan', '修改 人数 3');
    expect(plain(second)).toContain('人数：3人');
    const stale = plain(await click(app, 'yan', old));
    expect(stale).toContain('已过期');
    expect(await db('cases').where({ name: '改后确认' })).toHaveLength(0);
    expect(plain(await click(app, 'yan', buttonValue(second, '确认')!))).toContain('登记成功');
    expect((await db('cases').where({ name: '改后确认' }).first()).headcount).toBe(3);
  });

  test('repeat petitions: earlier cases of the same ID number are linked and shown on saving', async () => {
    const id = '441823198512300021';
    await say(app, 'yan', block('重复甲', [`身份证号：${id}`]));
    const first = plain(await say(app, 'yan', '确认'));
    const no1 = /登记成功 · (\d{4}-\d{6})/.exec(first)![1];
    expect(first).not.toContain('在办事项');
    clock = new Date(T0.getTime() + 3600_000);
    await say(app, 'yan', block('重复甲', [`身份证号：${id}`, '电话：13900001111']));
    const second = plain(await say(app, 'yan', '确认'));
    expect(second).toContain(`该信访人已有 1 件在办事项：${no1}（已登记，2026年3月10日登记，城乡建设）`);
    const no2 = /登记成功 · (\d{4}-\d{6})/.exec(second)![1];
    const c2 = await db('cases').where({ case_no: no2 }).first();
    const links = await db('case_links').where({ case_id: c2.id });
    expect(links).toHaveLength(1);
  });

  test('the card form: selects, a date picker, and submitting it fills the same draft and goes to the summary', async () => {
    const open = await say(app, 'yan', '登记表单');
    const formEl = findAll(open, (o) => o.tag === 'form')[0];
    expect(formEl).toMatchObject({ tag: 'form', name: 'petition_form' });
    const selects = findAll(formEl, (o) => o.tag === 'select_static').map((s) => s.name);
    expect(selects).toEqual(expect.arrayContaining(['channel', 'town', 'category', 'purpose']));
    const picker = findAll(formEl, (o) => o.tag === 'date_picker')[0];
    expect(picker).toMatchObject({ name: 'receivedAt', initial_date: '2026-03-10' });
    const submit = findAll(formEl, (o) => o.tag === 'button' && o.form_action_type === 'submit')[0];
    const value = submit.behaviors[0].value;

    // A wrong value is reported and asked in the chat; the rest is kept.
    const r1 = plain(await click(app, 'yan', value, {
      name: '卡片甲', idNumber: '441823199001016015', headcount: 'abc', channel: '电话', receivedAt: '2026-03-09 +0800',
      town: '太平镇', category: '教育', content: '学校食堂卫生问题，要求整改。',
    }));
    expect(r1).toContain('人数：请用数字填写人数');
    expect(r1).toContain('（5/11）人数');
    const r2 = plain(await say(app, 'yan', '1'));
    expect(r2).toMatch(/请确认[\s\S]*登记时间：3月9日（周一）09:00/);
    // Reopening the card shows what the draft holds.
    const again = await say(app, 'yan', '登记表单');
    const nameInput = findAll(again, (o) => o.tag === 'input' && o.name === 'name')[0];
    expect(nameInput.default_value).toBe('卡片甲');
    expect(plain(await say(app, 'yan', '确认'))).toContain('登记成功');
    expect(await db('cases').where({ name: '卡片甲' }).first()).toMatchObject({ received_date: '2026-03-09', channel: '电话', town: '太平镇' });
  });

  test('a card submitted with values that are not in the lists is refused field by field, not saved', async () => {
    const r = plain(await click(app, 'yan', { action: 'form.submit', form: 'petition' }, {
      name: '卡片乙', phone: '13812345678', headcount: '1', channel: '飞鸽传书', town: '火星', category: '城乡建设',
      content: '内容内容内容', receivedAt: '2030-01-01',
    }));
    expect(r).toContain('信访形式：“飞鸽传书”不是可选的信访形式');
    expect(r).toContain('问题属地：“火星”不是可选的问题属地');
    expect(r).toContain('登记时间：登记时间不能晚于现在');
    expect(await db('cases').where({ name: '卡片乙' })).toHaveLength(0);
  });

  test('领导接访: the session is picked from that day’s sessions, with its leader, and saved on the case', async () => {
    await db('venues').insert({ id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null });
    await db('leaders').insert({ id: 'leader-chen', name: '陈某某', level: 'county', title: '县委副书记', towns: '[]', sort_order: 1, active: true });
    const t = toDbTime(T0);
    const base = { date: '2026-03-10', type: '接访', venue_id: 'county-center', plan_year: 2026, status: 'planned', sequence: 0, created_at: t, updated_at: t };
    await db('sessions').insert({ ...base, uid: 's-am', slot: '上午', start_time: '09:00', end_time: '12:00' });
    await db('sessions').insert({ ...base, uid: 's-pm', slot: '下午', start_time: '14:30', end_time: '17:30' });
    await db('sessions').insert({ ...base, uid: 's-x', slot: '下午', start_time: '15:00', end_time: '17:00', status: 'cancelled' });
    const pm = await db('sessions').where({ uid: 's-pm' }).first();
    await db('session_leaders').insert({ session_id: pm.id, leader_id: 'leader-chen' });

    const r1 = await say(app, 'yan', block('接访甲').replace('信访形式：来访', '信访形式：领导接访'));
    const t1 = plain(r1);
    expect(t1).toContain('接访场次');
    expect(t1).toContain('1.上午 09:00–12:00 县群众来访接待中心');
    expect(t1).toContain('2.下午 14:30–17:30 县群众来访接待中心：陈某某 县委副书记');
    expect(t1).not.toContain('15:00–17:00');
    const pick = buttonValue(r1, '陈某某')!;
    const r2 = plain(await click(app, 'yan', pick));
    expect(r2).toMatch(/接访场次：下午 14:30–17:30[\s\S]*请确认/);
    // Changing the date clears the session, which belongs to the other day: it is passed over there.
    const r3 = plain(await say(app, 'yan', '修改 登记时间 昨天 10:00'));
    expect(r3).toContain('当天没有安排领导接访场次');
    expect(r3).not.toContain('接访场次：下午');
    expect(plain(await say(app, 'yan', '修改 登记时间 今天'))).toContain('请选择接访场次');
    await say(app, 'yan', '2');
    expect(plain(await say(app, 'yan', '确认'))).toContain('登记成功');
    expect((await db('cases').where({ name: '接访甲' }).first()).session_id).toBe(pm.id);
  });

  test('two turns racing on one draft: one is saved, the other is told and changes nothing', async () => {
    await say(app, 'yan', '登记');
    const [a, b] = await Promise.all([say(app, 'yan', '甲某'), say(app, 'yan', '乙某')]);
    const texts = [plain(a), plain(b)];
    const row = await db('form_drafts').where({ user_id: 'yan' }).first();
    const state = JSON.parse(row.state);
    // Either the turns ran one after the other (the second answered the ID number and was refused),
    // or they overlapped and one was told of the conflict. Never two names, never a lost answer unreported.
    const conflict = texts.filter((t) => t.includes('另一条消息更新')).length;
    if (conflict === 1) {
      expect(row.version).toBe(2);
      expect(['甲某', '乙某']).toContain(state.values.name.v);
    } else {
      expect(row.version).toBe(3);
      expect(texts.join()).toContain('身份证号应为18位');
    }
  });
});
