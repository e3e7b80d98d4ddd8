import type { Knex } from 'knex';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { StatsService } from '../../src/stats/stats-service';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

/** What a person reads: card markdown without bold marks, unescaped. */
const plain = (r: Outgoing[]) => readable(r).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');
const T0 = new Date('2026-03-10T06:20:00.000Z'); // Tuesday 14:20 in Shanghai
const ID = '441823199001016015';
const PHONE_IN_LETTER = '13912345678';
const ID_IN_LETTER = '441823198512300021';
const caseNoOf = (t: string) => /登记成功 · (\d{4}-\d{6})/.exec(t)?.[1] ?? null;

const block = (lines: string[]) => ['登记', ...lines].join('\n');
const letter = (content: string, extra: string[] = []) =>
  block(['姓名：匿名', '人数：1', '渠道：来信', '问题属地：阳城镇', '问题类别：城乡建设', `事项内容：${content}`, ...extra]);

describe.each(testDialects())('anonymous and unidentified petitions on $name', (dialect) => {
  let db: Knex;
  let app: App;
  let clock = T0;

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    app = await makeTestApp({ db, url: fresh.url, now: () => clock });
    await addUser(app, 'yan', 'staff', { name: '张晓燕' });
    await addUser(app, 'unit-zj', 'unit', { name: '李建国', unit: '县住房和城乡建设局' });
    await app.core.chats.upsert({ id: 'oc_zj', name: '县住建局信访工作群', unit: '县住房和城乡建设局', role: null, venueId: null });
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    clock = T0;
    await db('form_drafts').delete();
  });

  const kinds = async (caseNo: string) => {
    const c = await db('cases').where({ case_no: caseNo }).first();
    return (await db('case_deadlines').where({ case_id: c.id }).whereNot('status', 'void').orderBy('id')).map((d: any) => `${d.kind}:${d.status}`);
  };

  test('an anonymous letter by pasted block: marked 匿名, no petitioner deadline, its content masked in the unit’s group', async () => {
    const content = `小区旁工地夜间施工噪音扰民，知情人电话 ${PHONE_IN_LETTER}，身份证 ${ID_IN_LETTER}，要求查处。`;
    const summary = plain(await say(app, 'yan', letter(content)));
    expect(summary).toContain('请确认');
    expect(summary).toContain('姓名：匿名');
    expect(summary).toContain('【匿名】来信，未署名，无法联系信访人：不设告知受理');
    const saved = plain(await say(app, 'yan', '确认'));
    const no = caseNoOf(saved)!;
    expect(no).toMatch(/^2026-\d{6}$/);
    expect(saved).toContain('受理/交办期限：2026年3月25日（周三）');
    expect(saved).toContain('【匿名】');
    const row = await db('cases').where({ case_no: no }).first();
    expect(row).toMatchObject({ name: '匿名', id_number: null, phone: null, channel: '来信' });
    expect(Boolean(Number(row.anonymous))).toBe(true);
    const reg = await db('case_events').where({ case_id: row.id, action: 'register' }).first();
    expect(JSON.parse(reg.data)).toMatchObject({ anonymous: true });

    // 交办: the unit's group gets the card with the phone and ID number inside the content masked.
    const before = (await db('outbox')).length;
    await click(app, 'yan', { action: 'case.assign', caseNo: no, submit: true }, { unit: '县住房和城乡建设局' });
    const sent = (await db('outbox').orderBy('id')).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].receive_id).toBe('oc_zj');
    const group = plain([{ type: 'card', card: JSON.parse(sent[0].content) }]);
    expect(group).toContain('知情人电话 139****5678，身份证 441823********0021');
    expect(sent[0].content).not.toContain(PHONE_IN_LETTER);
    expect(sent[0].content).not.toContain(ID_IN_LETTER);
    // No written notice to a petitioner who cannot be reached (art. 23); the handling periods run.
    expect(group).not.toContain('告知受理期限');
    expect(await kinds(no)).toEqual(['decision:met']);
    await click(app, 'unit-zj', { action: 'case.unitAccept', caseNo: no });
    expect(await kinds(no)).toEqual(['decision:met', 'conclusion:open']);
    const detail = plain(await say(app, 'yan', `查询 ${no}`));
    expect(detail).toContain('办结期限');
    expect(detail).not.toContain('告知受理期限');
    expect(detail).toContain('【匿名或身份不明（无法联系的不设告知期限）】');
  });

  test('an anonymous online petition through the card form, without ID number or phone', async () => {
    const open = await say(app, 'yan', '登记表单');
    expect(plain(open)).toContain('姓名填“匿名”');
    const submit = buttonValue(open, '提交')!;
    expect(submit).toEqual({ action: 'form.submit', form: 'petition' });
    const summary = plain(await click(app, 'yan', submit, {
      name: '匿名', headcount: '1', channel: '网上信访', receivedAt: '2026-03-10 +0800', town: '太平镇', category: '教育',
      content: '某中学违规补课收费，要求教育部门查处。',
    }));
    expect(summary).toContain('请确认');
    expect(summary).toContain('【匿名】网上信访');
    const no = caseNoOf(plain(await say(app, 'yan', '确认')))!;
    const row = await db('cases').where({ case_no: no }).first();
    expect(row).toMatchObject({ name: '匿名', channel: '网上信访', town: '太平镇' });
    expect(Boolean(Number(row.anonymous))).toBe(true);
  });

  test('a call with a name but no ID number or phone is registered as 身份不明', async () => {
    const r = plain(await say(app, 'yan', block(['姓名：周某', '人数：1', '信访形式：电话', '属地：县直', '类别：教育', '事项内容：学校食堂卫生差，要求整改。'])));
    expect(r).toContain('【身份不明】电话，未留身份证号和联系电话');
    const no = caseNoOf(plain(await say(app, 'yan', '确认')))!;
    const row = await db('cases').where({ case_no: no }).first();
    expect(row.name).toBe('周某');
    expect(Boolean(Number(row.anonymous))).toBe(true);
  });

  test('an anonymous 来访 is refused with the reason, and nothing is saved', async () => {
    const n = (await db('cases')).length;
    const r = plain(await say(app, 'yan', block(['姓名：匿名', '人数：1', '信访形式：来访', '属地：阳城镇', '类别：城乡建设', '事项内容：道路积水，要求修缮排水沟。'])));
    expect(r).toContain('“来访”的信访人就在现场，不能匿名登记：请核实并填写其姓名');
    expect(r).toContain('姓名：请输入');
    expect(r).not.toContain('请确认');
    expect(plain(await say(app, 'yan', '确认'))).not.toContain('登记成功');
    expect((await db('cases')).length).toBe(n);
    // Given a name, it still needs an ID number or phone: the visitor is there.
    const r2 = plain(await say(app, 'yan', '王某'));
    expect(r2).toContain('身份证号和联系电话至少要填写一项');
    expect((await db('cases')).length).toBe(n);
    expect(plain(await say(app, 'yan', ID))).toContain('请确认');
    expect(caseNoOf(plain(await say(app, 'yan', '确认')))).not.toBeNull();
  });

  test('the repeat warning shows on the summary before 确认 (same ID number), and stays after saving', async () => {
    const visit = (content: string) =>
      block(['姓名：陈某', `身份证号：441823197703150033`, '人数：1', '信访形式：来访', '属地：七拱镇', '类别：劳动和社会保障', `事项内容：${content}`]);
    await say(app, 'yan', visit('工地拖欠工资三个月，要求支付。'));
    const first = caseNoOf(plain(await say(app, 'yan', '确认')))!;
    clock = new Date(T0.getTime() + 3600_000);
    const summary = plain(await say(app, 'yan', visit('再次反映拖欠工资问题。')));
    expect(summary).toContain('请确认');
    expect(summary).toContain('重复信访提示');
    expect(summary).toContain(`该信访人已有 1 件在办事项：${first}（已登记，2026年3月10日登记，劳动和社会保障）`);
    expect(summary.indexOf('重复信访提示')).toBeLessThan(summary.indexOf('核对无误请点“确认”'));
    const saved = plain(await say(app, 'yan', '确认'));
    expect(saved).toContain(`该信访人已有 1 件在办事项：${first}`);
  });

  test('an anonymous letter: earlier cases of similar content are shown before 确认 and linked', async () => {
    const earlier = '反映阳城镇新村村口道路坑洼积水，雨天无法通行，要求修缮排水沟。';
    await say(app, 'yan', block(['姓名：黄某', '电话：13800001111', '人数：1', '信访形式：来访', '属地：阳城镇', '类别：城乡建设', `事项内容：${earlier}`]));
    const first = caseNoOf(plain(await say(app, 'yan', '确认')))!;
    clock = new Date(T0.getTime() + 3600_000);

    const unrelated = plain(await say(app, 'yan', letter('小区物业乱收费，要求退还多收的物业费。')));
    expect(unrelated).toContain('请确认');
    expect(unrelated).not.toContain('内容相近');
    await say(app, 'yan', '取消');

    const summary = plain(await say(app, 'yan', letter('新村村口的道路坑洼不平，一下雨就积水无法通行，请求尽快修缮排水沟')));
    expect(summary).toContain('重复信访提示');
    expect(summary).toContain(`内容相近的既往信访件 1 件：${first}（已登记，2026年3月10日登记，城乡建设）`);
    const saved = plain(await say(app, 'yan', '确认'));
    expect(saved).toContain(`内容相近的既往信访件 1 件：${first}`);
    const no = caseNoOf(saved)!;
    const c = await db('cases').where({ case_no: no }).first();
    const links = await db('case_links').where({ case_id: c.id });
    expect(links.map((l: any) => l.reason)).toEqual(['content']);
  });

  test('statistics count anonymous petitions apart: the card line and the JSON field', async () => {
    const rows = await db('cases').where('received_date', '>=', '2026-03-01');
    const anon = rows.filter((r: any) => Boolean(Number(r.anonymous))).length;
    expect(anon).toBeGreaterThanOrEqual(4);
    const card = plain(await say(app, 'yan', '统计 2026-03'));
    expect(card).toMatch(new RegExp(`其中匿名[：:\\s]*${anon} 件`));
    const s = await new StatsService(app.core).compute({ from: '2026-03-01', to: '2026-03-31', label: '2026年3月' });
    expect(s.registered).toBe(rows.length);
    expect(s.anonymous).toBe(anon);
    expect(JSON.parse(JSON.stringify(s))).toMatchObject({ anonymous: anon });
  });
});
