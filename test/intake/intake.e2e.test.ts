import type { Knex } from 'knex';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { openDatabase } from '../../src/platform/database/connection';
import { idCheckChar } from '../../src/platform/personal-data/id-number';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

/** What a person reads: card markdown without bold marks, unescaped, as Lark and the console show it. */
const plain = (r: Outgoing[]) => readable(r).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');

const ID = '441823199001016015'; // valid check digit, born 1990-01-01
const ID_BAD_CHECK = '441823199001016012';
const ID_FEB_30 = `44182319900230601${idCheckChar('44182319900230601')}`;
const T0 = new Date('2026-03-10T06:20:00.000Z'); // Tuesday 14:20 in Shanghai

describe.each(testDialects())('信访登记 in chat on $name', (dialect) => {
  let db: Knex;
  let url: string;
  let app: App;
  let clock: Date;
  const now = () => clock;

  beforeAll(async () => {
    ({ db, url } = await freshDb(dialect));
    clock = T0;
    app = await makeTestApp({ db, url, now });
    await addUser(app, 'yan', 'staff', { name: '张晓燕' });
    await addUser(app, 'boss', 'admin', { name: '管理员甲' });
    await addUser(app, 'unit-zr', 'unit', { name: '李建国', unit: '县自然资源局' });
    await addUser(app, 'leader1', 'leader', { name: '陈某某', title: '县委副书记' });
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    clock = T0;
    await db('form_drafts').delete();
  });

  const draftOf = async (user: string, chat = `console:${user}`) => {
    const row = await db('form_drafts').where({ user_id: user, chat_id: chat }).first();
    return row ? JSON.parse(row.state) : null;
  };
  const casesNamed = (name: string) => db('cases').where({ name }).orderBy('id');

  test('a full petition in turns: one field at a time, a summary showing the staffer their own input, then a case number', async () => {
    const steps: Array<[string, RegExp | string]> = [
      ['登记', '（1/11）姓名'],
      ['王某某', '（2/11）身份证号'],
      [ID, '（3/11）电话'],
      ['13812345678', '住址'],
      ['阳城镇新村路3号', '人数'],
      ['2', '信访形式'],
      ['来访', '登记时间'],
      ['跳过', /已跳过登记时间（使用：3月10日（周二）14:20）[\s\S]*问题属地/],
      ['阳城', /问题属地：阳城镇[\s\S]*问题类别/],
      ['4', /问题类别：城乡建设[\s\S]*信访目的/],
      ['跳过', '事项内容'],
      ['村道被占，要求恢复通行。\n第二段：已找过村委会。', '请确认'],
    ];
    let last: Outgoing[] = [];
    for (const [t, expected] of steps) {
      last = await say(app, 'yan', t);
      if (typeof expected === 'string') expect(plain(last)).toContain(expected);
      else expect(plain(last)).toMatch(expected);
    }
    const summary = plain(last);
    // P2P, the staffer's own draft: shown whole so typos can be caught before saving.
    expect(summary).toContain(ID);
    expect(summary).toContain('13812345678');
    expect(summary).toMatch(/人数：2人[\s\S]*信访形式：来访[\s\S]*登记时间：3月10日（周二）14:20/);

    const saved = plain(await say(app, 'yan', '确认'));
    expect(saved).toMatch(/登记成功[\s\S]*2026-\d{6}/);
    expect(saved).toContain('受理/交办期限：2026年3月25日（周三）');
    expect(saved).toContain('登记时间：3月10日（周二）14:20');
    expect(saved).not.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const [row] = await casesNamed('王某某');
    expect(row).toMatchObject({
      id_number: ID, phone: '13812345678', address: '阳城镇新村路3号', headcount: 2, channel: '来访', town: '阳城镇',
      category: '城乡建设', purpose: null, content: '村道被占，要求恢复通行。\n第二段：已找过村委会。', received_at: '2026-03-10 06:20:00.000',
      received_date: '2026-03-10', registered_by: 'yan', status: 'registered', session_id: null,
    });
    expect(saved).toContain(row.case_no);
    expect(await draftOf('yan')).toBeNull();
    // 确认 again: told it was saved already, under which number; nothing else happens.
    expect(plain(await say(app, 'yan', '确认'))).toContain(`您刚才的登记已经保存，编号 ${row.case_no}`);
  });

  test('one pasted block fills every field at once, and the bot asks only for what is missing or wrong', async () => {
    const block = [
      '登记',
      '姓名：李某',
      '公民身份号码：11010519491231002X',
      '联系电话：12345',
      '人数：6人',
      '信访形式：来信',
      '属地：七拱镇',
      '类别：劳动和社会保障',
      '诉求：工地拖欠工资三个月。',
      '涉及工人六名，已向劳动监察反映。',
    ].join('\n');
    const r1 = plain(await say(app, 'yan', block));
    expect(r1).toContain('已填写：姓名、身份证号、人数、信访形式、问题属地、问题类别、事项内容');
    expect(r1).toContain('电话：手机号应为11位数字（您输入的是5位）');
    // Only the wrong phone is asked; 住址, 登记时间 and 信访目的 were not given and are not asked.
    expect(r1).toContain('电话：请输入联系电话');
    const r2 = plain(await say(app, 'yan', '0763-6621234'));
    expect(r2).toContain('请确认');
    expect(r2).toContain('6人（集体访）');
    expect(r2).toContain('不超过5名代表');
    expect(r2).toContain('工地拖欠工资三个月。\n涉及工人六名，已向劳动监察反映。');
    expect(plain(await say(app, 'yan', '确认'))).toContain('登记成功');
    const [row] = await casesNamed('李某');
    expect(row).toMatchObject({ headcount: 6, channel: '来信', town: '七拱镇', phone: '0763-6621234', address: null, purpose: null });
    expect(Boolean(row.is_group)).toBe(true);
  });

  test('a 来访 block with neither ID number nor phone asks for one of them, with the reason', async () => {
    const r = plain(await say(app, 'yan', '登记\n姓名：周某\n人数：1\n信访形式：来访\n属地：县直\n类别：教育\n事项内容：学校乱收费问题。'));
    expect(r).toContain('身份证号和联系电话至少要填写一项');
    expect(r).toContain('“来访”的信访人就在现场');
    expect(r).toContain('身份证号：请输入');
    const r2 = plain(await say(app, 'yan', '跳过'));
    expect(r2).toContain('电话：请输入');
    expect(plain(await say(app, 'yan', '13912345678'))).toContain('请确认');
  });

  test('上一步, 修改 <字段>, 跳过 and 取消', async () => {
    await say(app, 'yan', '登记');
    expect(plain(await say(app, 'yan', '跳过'))).toContain('“姓名”是必填项，不能跳过');
    await say(app, 'yan', '孙某');
    expect(plain(await say(app, 'yan', '跳过'))).toContain('已跳过身份证号');
    const back = plain(await say(app, 'yan', '上一步'));
    expect(back).toContain('身份证号：请输入');
    expect(plain(await say(app, 'yan', '上一步'))).toMatch(/姓名：请输入[\s\S]*当前：孙某/);
    expect(plain(await say(app, 'yan', '孙某某'))).toContain('身份证号');
    await say(app, 'yan', ID);
    await say(app, 'yan', '无'); // no phone: 无 skips an optional field
    await say(app, 'yan', '跳过');
    await say(app, 'yan', '1');
    await say(app, 'yan', '网上信访');
    await say(app, 'yan', '昨天 16:05');
    await say(app, 'yan', '太平镇');
    await say(app, 'yan', '教育');
    await say(app, 'yan', '求决');
    const summary = plain(await say(app, 'yan', '希望解决孩子入学问题。'));
    expect(summary).toMatch(/姓名：孙某某[\s\S]*登记时间：3月9日（周一）16:05[\s\S]*信访目的：求决/);
    expect(summary).not.toContain('电话：');

    const edited = plain(await say(app, 'yan', '修改电话 13912345678'));
    expect(edited).toMatch(/电话：13912345678[\s\S]*请确认/);
    const ask = plain(await say(app, 'yan', '修改 人数'));
    expect(ask).toMatch(/人数：请输入[\s\S]*当前：1人/);
    expect(plain(await say(app, 'yan', '3'))).toMatch(/人数：3人[\s\S]*请确认/);
    expect(plain(await say(app, 'yan', '修改 血型'))).toContain('没有名为“血型”的项目');
    expect(plain(await say(app, 'yan', '修改'))).toContain('修改哪一项');

    expect(plain(await say(app, 'yan', '取消'))).toContain('已取消本次信访登记');
    expect(await draftOf('yan')).toBeNull();
    expect(await casesNamed('孙某某')).toHaveLength(0);
  });

  test('a restart in the middle: a new app instance on the same database continues the same conversation', async () => {
    await say(app, 'yan', '登记');
    await say(app, 'yan', '吴某');
    await say(app, 'yan', ID);
    const db2 = await openDatabase(url);
    try {
      const app2 = await makeTestApp({ db: db2, url, now });
      const r = plain(await say(app2, 'yan', '13812345678'));
      expect(r).toContain('电话：13812345678');
      expect(r).toContain('住址');
      for (const t of ['跳过', '1', '来访', '跳过', '黄坌镇', '自然资源', '跳过']) await say(app2, 'yan', t);
      // Replicas take turns: the first instance answers the next message from the same draft.
      expect(plain(await say(app, 'yan', '山林权属纠纷，请求调处。'))).toContain('请确认');
      expect(plain(await say(app2, 'yan', '确认'))).toContain('登记成功');
    } finally {
      await db2.destroy();
    }
    const [row] = await casesNamed('吴某');
    expect(row).toMatchObject({ id_number: ID, phone: '13812345678', town: '黄坌镇', category: '自然资源' });
  });

  test('bad input: a wrong check digit, an impossible birth date, 10,000 characters; each answered with the reason, nothing saved', async () => {
    await say(app, 'yan', '登记');
    await say(app, 'yan', '郑某');
    const bad = plain(await say(app, 'yan', ID_BAD_CHECK));
    expect(bad).toContain('校验位不正确');
    expect(bad).toContain('身份证号：请输入');
    expect((await draftOf('yan')).values.idNumber).toBeUndefined();
    expect(plain(await say(app, 'yan', ID_FEB_30))).toContain('出生日期（第7–14位 19900230）不是真实的日期');
    expect(plain(await say(app, 'yan', '441823900101601'))).toContain('15位的旧身份证号');
    expect((await draftOf('yan')).values.idNumber).toBeUndefined();
    await say(app, 'yan', ID);
    expect(plain(await say(app, 'yan', '1381234567'))).toContain('手机号应为11位');
    for (const t of ['13812345678', '跳过', '0', '两']) await say(app, 'yan', t);
    for (const t of ['来访', '跳过', '杨梅镇', '其他', '跳过']) await say(app, 'yan', t);
    const before = await draftOf('yan');
    const huge = plain(await say(app, 'yan', '长'.repeat(10000)));
    expect(huge).toContain('事项内容最多5000字，您发送了10000字');
    const after = await draftOf('yan');
    expect(after.values).toEqual(before.values);
    expect(after.current).toBe('content');
    expect(plain(await say(app, 'yan', '长'.repeat(5000)))).toContain('请确认');
  });

  test('SQL-looking text is stored verbatim', async () => {
    const name = "Robert'); DROP TABLE cases;--";
    const content = "'; DELETE FROM cases WHERE '1'='1'; -- \"引号\" \\反斜杠 %_通配符";
    const count = async () => Number((await db('cases').count({ n: '*' }).first())?.n);
    const before = await count();
    await say(app, 'yan', `登记\n姓名：${name}\n电话：13812345678\n人数：1\n形式：来访\n属地：阳城镇\n类别：其他\n事项内容：${content}`);
    expect(plain(await say(app, 'yan', '确认'))).toContain('登记成功');
    const [row] = await casesNamed(name);
    expect(row.content).toBe(content);
    // The table is still there, with every case saved before and this one (nothing dropped or deleted).
    expect(await count()).toBe(before + 1);
  });

  test('a draft untouched for 24 hours expires, with a message, and is not saved', async () => {
    await say(app, 'yan', '登记');
    await say(app, 'yan', '钱某');
    clock = new Date(T0.getTime() + 23 * 3600_000);
    expect(plain(await say(app, 'yan', ID))).toContain('电话'); // 23 h later: still open, and the clock restarts
    clock = new Date(clock.getTime() + 24 * 3600_000 + 60_000);
    const r = plain(await say(app, 'yan', '13812345678'));
    expect(r).toContain('已超过 24 小时未操作，已自动作废，内容没有保存');
    expect(r).not.toContain('电话：13812345678');
    expect(await draftOf('yan')).toBeNull();
    expect(await casesNamed('钱某')).toHaveLength(0);
    // Later messages are ordinary again.
    expect(plain(await say(app, 'yan', '登记'))).toContain('（1/11）姓名');
  });

  test('an expired draft is reported once, and a command sent at that moment still runs', async () => {
    await say(app, 'yan', '登记');
    clock = new Date(T0.getTime() + 25 * 3600_000);
    const r = plain(await say(app, 'yan', '我是谁'));
    expect(r).toContain('已自动作废');
    expect(r).toContain('角色：登记员');
    expect(plain(await say(app, 'yan', '我是谁'))).not.toContain('作废');
  });

  test('while a draft is open, commands still work; free text that starts with a command word is the answer where text is asked', async () => {
    await say(app, 'yan', '登记');
    const help = plain(await say(app, 'yan', '帮助'));
    expect(help).toContain('张晓燕，您好');
    expect(help).toContain('信访登记还未完成（当前请填写：姓名');
    expect(plain(await say(app, 'yan', '冯某'))).toContain('身份证号');
    // A structured field cannot hold “查询 …”: the command runs and the draft waits.
    const q = plain(await say(app, 'yan', '查询 2026-000999'));
    expect(q).toContain('信访登记还未完成（当前请填写：身份证号');
    for (const t of [ID, '跳过', '跳过', '1', '来访', '跳过', '小江镇', '经济管理', '跳过']) await say(app, 'yan', t);
    // 事项内容 is free text: this is the petition, not a search.
    const answer = plain(await say(app, 'yan', '查询工资为什么三个月没有发放，要求补发'));
    expect(answer).toContain('请确认');
    expect((await draftOf('yan')).values.content.v).toBe('查询工资为什么三个月没有发放，要求补发');
    // A bare command word is never a petition: it runs.
    expect(plain(await say(app, 'yan', '我是谁'))).toMatch(/角色：登记员[\s\S]*请回复“确认”保存/);
    // 登记 again does not open a second draft, nor lose this one.
    const again = plain(await say(app, 'yan', '登记'));
    expect(again).toContain('您还有一份未完成的信访登记（冯某）');
    expect(plain(await say(app, 'yan', '确认'))).toContain('登记成功');
  });

  test('masked by default: in a group the summary hides the ID number and phone; an admin in P2P sees them', async () => {
    const group = { chatType: 'group', chatId: 'oc_office' };
    const block = `登记\n姓名：何某\n身份证：${ID}\n手机：13812345678\n人数：1\n信访形式：来访\n问题属地：阳城镇\n问题类别：其他\n事项内容：联系电话 13812345678，身份证 ${ID}。`;
    const inGroup = plain(await say(app, 'yan', block, group));
    expect(inGroup).toContain('441823********6015');
    expect(inGroup).toContain('138****5678');
    expect(inGroup).not.toContain(ID);
    expect(inGroup).not.toContain('13812345678');
    // The same person's P2P chat is a different conversation.
    expect(await draftOf('yan')).toBeNull();
    expect(await draftOf('yan', 'oc_office')).not.toBeNull();
    const saved = plain(await say(app, 'yan', '确认', group));
    expect(saved).toContain('登记成功');
    expect(saved).not.toContain(ID);

    const adminP2p = plain(await say(app, 'boss', block.replace('何某', '何某二')));
    expect(adminP2p).toContain(ID);
  });

  test('only staff and admin may register; a unit or a leader is told why', async () => {
    expect(plain(await say(app, 'unit-zr', '登记'))).toContain('没有使用该功能的权限');
    expect(plain(await say(app, 'leader1', `登记\n姓名：某\n身份证：${ID}`))).toContain('没有使用该功能的权限');
    expect(await draftOf('unit-zr')).toBeNull();
    expect(plain(await say(app, 'unit-zr', '确认'))).toContain('没有正在填写的表单');
  });
});
