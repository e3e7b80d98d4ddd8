import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { CaseService } from '../../src/cases/case-service';
import type { NewCaseInput } from '../../src/cases/case-registration';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

/** A Shanghai wall-clock moment. */
const at = (iso: string) => new Date(`${iso}+08:00`);

const ID = '441823199001016012';
const PHONE = '13812345678';

/** What a person reads: markdown escapes and bold marks taken out. */
const plain = (r: Outgoing[]) => readable(r).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');
const texts = (r: Outgoing[]) => r.filter((x) => x.type === 'text').map((x) => (x as { text: string }).text).join('\n');

describe.each(testDialects())('case actions typed as words on $name', (dialect) => {
  let app: App;
  let clock = at('2026-03-02T09:00:00');
  let cases: CaseService;

  const register = async (over: Partial<NewCaseInput> = {}) =>
    (await cases.register({
      name: '陈秀梅', idNumber: ID, phone: PHONE, address: '阳城镇东街 8 号', headcount: 1, channel: '来访', town: '阳城镇',
      category: '自然资源', purpose: '求决', content: `宅基地被占用，联系电话 ${PHONE}。`, receivedAt: clock, sessionId: null,
      registeredBy: 'xiaoyan', ...over,
    })).record.caseNo;
  const events = async (caseNo: string) => {
    const c = await cases.getByNo(caseNo);
    return app.core.db('case_events').where({ case_id: c!.id }).orderBy('id');
  };
  const outbox = () => app.core.db('outbox').orderBy('id');
  const snapshot = async (caseNo: string) => ({ row: await cases.getByNo(caseNo), events: (await events(caseNo)).length });

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock });
    cases = new CaseService(app.core);
    await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    await addUser(app, 'unit-zr', 'unit', { name: '李建国', unit: '县自然资源局' });
    await addUser(app, 'unit-jt', 'unit', { name: '周海', unit: '县交通运输局' });
    await addUser(app, 'leader-li', 'leader', { name: '黄振华', town: '阳城镇', title: '县委副书记' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('帮助 lists the case words each role may type', async () => {
    const staff = plain(await say(app, 'xiaoyan', '帮助'));
    for (const w of ['受理', '不予受理', '交办', '转送', '延期', '办结', '退回', '进展', '复查', '复核', '包案', '挂牌督办']) expect(staff).toContain(`${w} — `);
    expect(staff).toContain('例：延期 2026-000322 30 情况复杂需调查');
    const unit = plain(await say(app, 'unit-zr', '帮助'));
    for (const w of ['受理', '不予受理', '延期', '办结', '退回', '进展']) expect(unit).toContain(`${w} — `);
    expect(unit).not.toContain('交办 — ');
    expect(unit).not.toContain('复查 — ');
    const leader = plain(await say(app, 'leader-li', '帮助'));
    expect(leader).toContain('进展 — ');
    expect(leader).toContain('挂牌督办 — ');
    expect(leader).not.toContain('受理 — ');
  });

  test('受理 needs a case number; an unknown number is named; a leader may not 受理 and is told who does and what he may do', async () => {
    const no = await register();
    expect(texts(await say(app, 'xiaoyan', '受理'))).toBe('请写明案件编号，例如：受理 2026-000322');
    expect(texts(await say(app, 'xiaoyan', '受理 情况怎么样了'))).toContain('“情况怎么样了”不是案件编号');
    // Words that only begin like a command are not taken for one.
    expect(texts(await say(app, 'xiaoyan', '受理情况怎么样了'))).toContain('没有听懂');
    expect(texts(await say(app, 'xiaoyan', '受理 2026-999999'))).toContain('没有编号为 2026-999999 的案件');
    const before = await snapshot(no);
    const leader = texts(await say(app, 'leader-li', `受理 ${no}`));
    expect(leader).not.toContain('没有使用该功能的权限');
    expect(leader).toContain('“受理”由信访局办理（登记员、管理员），领导不能直接操作');
    expect(leader).toContain('领导可以挂牌督办');
    expect(leader).toContain(`进展 ${no}`);
    expect(await snapshot(no)).toEqual(before);
  });

  test('a case word a role may not use gets the step’s own reason, whatever follows the number; nothing changes', async () => {
    const no = await register({ name: '丁某' });
    const before = await snapshot(no);
    const assign = texts(await say(app, 'leader-li', `交办 ${no}`));
    expect(assign).toContain('“交办”由信访局办理（登记员、管理员），领导不能直接操作');
    expect(assign).not.toContain('请写明承办单位');
    expect(texts(await say(app, 'leader-li', `不予受理 ${no}`))).toContain('“不予受理”由信访局办理（登记员、管理员）');
    expect(texts(await say(app, 'leader-li', `包案 ${no} 黄振华`))).toContain('“包案”由信访局办理（登记员、管理员）');
    // 进展 is open to the leader of 包案 only: the reason says so.
    expect(texts(await say(app, 'leader-li', `进展 ${no} 请尽快处理`))).toContain(`只有包案领导可以为案件 ${no} 报告进展`);
    // A unit on a case of the bureau: the bureau's step, and what a unit does instead.
    await cases.transition(no, { action: 'assign', unit: '县自然资源局' }, (await app.core.users.get('xiaoyan'))!);
    const mid = await snapshot(no);
    const unitAssign = texts(await say(app, 'unit-zr', `交办 ${no} 县交通运输局`));
    expect(unitAssign).toContain('“交办”由信访局办理（登记员、管理员），承办单位不能操作');
    expect(unitAssign).toContain('承办单位可以');
    expect(texts(await say(app, 'unit-zr', `转送 ${no} 市中级人民法院`))).toContain('“转送”由信访局办理（登记员、管理员）');
    for (const t of [assign, unitAssign]) expect(t).not.toContain('没有使用该功能的权限');
    expect(await snapshot(no)).toEqual(mid);
    expect(before.events).toBe(mid.events - 1);
  });

  test('交办 by text: the unit by its short name, the card to its group; an unknown unit gets the list, nothing changes', async () => {
    const no = '2026-000001';
    const before = await snapshot(no);
    const missing = texts(await say(app, 'xiaoyan', `交办 ${no}`));
    expect(missing).toContain(`请写明承办单位，例如：交办 ${no} 县自然资源局`);
    expect(missing).toContain('县交通运输局');
    const unknown = texts(await say(app, 'xiaoyan', `交办 ${no} 县不存在局`));
    expect(unknown).toContain('承办单位“县不存在局”不在单位名录中。可选的承办单位：');
    expect(unknown).toContain('秤架瑶族乡人民政府');
    expect(texts(await say(app, 'xiaoyan', `交办 ${no} 镇人民政府`))).toContain('对应多个承办单位');
    expect(await snapshot(no)).toEqual(before);

    const sent = (await outbox()).length;
    const done = await say(app, 'xiaoyan', `交办 ${no} 自然资源局`);
    expect(texts(done)).toContain(`已交办：案件 ${no}，状态“已登记”→“已交办”，已把案件卡片发给县自然资源局。`);
    expect(plain(done)).toContain(`信访件 ${no}`);
    const rows = (await outbox()).slice(sent);
    expect(rows.map((r: any) => r.receive_id)).toEqual(['oc_zr']);
    expect((await cases.getByNo(no))!.status).toBe('assigned');
  });

  test('another unit typing 受理 or 退回 on the case is refused, nothing changes; the right unit accepts', async () => {
    const no = '2026-000001';
    const before = await snapshot(no);
    expect(texts(await say(app, 'unit-jt', `受理 ${no}`))).toContain(`您无权查看或办理案件 ${no}`);
    expect(texts(await say(app, 'unit-jt', `退回 ${no} 不归我们管`))).toContain(`您无权查看或办理案件 ${no}`);
    expect(texts(await say(app, 'unit-jt', `延期 ${no}`))).toContain(`您无权查看或办理案件 ${no}`);
    expect(await snapshot(no)).toEqual(before);

    clock = at('2026-03-03T09:00:00');
    const ok = await say(app, 'unit-zr', `受理 ${no}`);
    expect(texts(ok)).toContain(`已单位受理：案件 ${no}，状态“已交办”→“办理中”。`);
    const card = plain(ok);
    expect(card).toContain('办结期限');
    expect(card).toContain('办理记录');
    expect(card).toContain('3月3日（周二）09:00，李建国受理了交办的案件，状态由“已交办”变为“办理中”。');
    expect(card).not.toContain(ID);
  });

  test('延期 by text: days and reason asked for, 45 days refused, once allowed, the second refused (art. 34)', async () => {
    const no = '2026-000001';
    const before = await snapshot(no);
    expect(texts(await say(app, 'unit-zr', `延期 ${no}`))).toBe(`请写明延期天数和理由，例如：延期 ${no} 30 情况复杂需调查`);
    expect(texts(await say(app, 'unit-zr', `延期 ${no} 30`))).toBe(`请写明延期理由，例如：延期 ${no} 30 情况复杂需调查`);
    expect(texts(await say(app, 'unit-zr', `延期 ${no} 很快`))).toContain('请写明延期天数和理由');
    expect(texts(await say(app, 'unit-zr', `延期 ${no} 45 需要`))).toContain('不得超过 30 日');
    expect(await snapshot(no)).toEqual(before);

    const ok = await say(app, 'unit-zr', `延期 ${no} 30天 需现场勘测，经局长批准`);
    expect(texts(ok)).toContain(`已延期：案件 ${no}`);
    expect(plain(ok)).toContain('已延期 30 日');
    const once = await snapshot(no);
    expect(texts(await say(app, 'unit-zr', `延期 ${no} 10 再延`))).toContain('已延期过一次（30 日），《信访工作条例》第三十四条只允许延期一次');
    // Even without the days: the refusal of the action comes before the usage line.
    expect(texts(await say(app, 'unit-zr', `延期 ${no}`))).toContain('只允许延期一次');
    expect(await snapshot(no)).toEqual(once);
  });

  test('进展, 办结, then 复查 and 复核 by text, each picking its step by the case’s state', async () => {
    const no = '2026-000001';
    await say(app, 'unit-zr', `进展 ${no} 已现场勘测，约谈双方`);
    expect((await events(no)).at(-1)).toMatchObject({ action: 'progress', actor_id: 'unit-zr', reason: '已现场勘测，约谈双方' });
    expect(texts(await say(app, 'unit-zr', `进展 ${no}`))).toBe(`请写明办理进展，例如：进展 ${no} 已现场勘查，约谈双方`);
    expect(texts(await say(app, 'unit-zr', `办结 ${no}`))).toBe(`请写明答复意见摘要，例如：办结 ${no} 已协调解决，信访人表示满意`);
    expect(texts(await say(app, 'unit-zr', `办结 ${no} 已协调退还占用的宅基地`))).toContain('“办理中”→“已办结”');
    // 复查 is the bureau's.
    expect(texts(await say(app, 'unit-zr', `复查 ${no}`))).toContain('“申请复查”由信访局办理（登记员、管理员），承办单位不能操作');
    expect(texts(await say(app, 'xiaoyan', `复查 ${no} 信访人对答复不服`))).toContain('“已办结”→“复查中”');
    expect(texts(await say(app, 'xiaoyan', `复查 ${no}`))).toBe(`请写明复查意见，例如：复查 ${no} 维持原答复意见`);
    expect(texts(await say(app, 'xiaoyan', `复查 ${no} 维持原答复意见`))).toContain('“复查中”→“复查已答复”');
    expect(texts(await say(app, 'xiaoyan', `复核 ${no}`))).toContain('“复查已答复”→“复核中”');
    expect(texts(await say(app, 'xiaoyan', `复核 ${no} 维持复查意见`))).toContain('“复核中”→“已终结”');
    expect(texts(await say(app, 'xiaoyan', `复查 ${no}`))).toContain('同一事项不再受理');
    expect((await events(no)).map((e: any) => e.action)).toEqual([
      'register', 'assign', 'unitAccept', 'extend', 'progress', 'conclude', 'requestReview', 'answerReview', 'requestRecheck', 'answerRecheck',
    ]);
  });

  test('不予受理 and 转送 need their reason or organ; 包案 takes a leader by name; 挂牌督办 by a leader', async () => {
    const a = await register({ name: '甲某', idNumber: null, phone: null });
    const b = await register({ name: '乙某', idNumber: null, phone: null });
    expect(texts(await say(app, 'xiaoyan', `不予受理 ${a}`))).toBe(`请写明不予受理的理由，例如：不予受理 ${a} 已经人民法院判决`);
    expect(texts(await say(app, 'xiaoyan', `转送 ${b}`))).toBe(`请写明转送机关的名称，例如：转送 ${b} 市中级人民法院`);
    expect((await cases.getByNo(a))!.status).toBe('registered');
    expect(texts(await say(app, 'xiaoyan', `包案 ${a} 王某某`))).toContain('没有名为“王某某”的领导。可选的包案领导：黄振华（县委副书记）');
    expect(texts(await say(app, 'xiaoyan', `包案 ${a} 黄振华`))).toContain(`已包案：案件 ${a}`);
    expect(texts(await say(app, 'leader-li', `挂牌督办 ${a} 请于月底前办结`))).toContain(`已挂牌督办：案件 ${a}`);
    expect(texts(await say(app, 'xiaoyan', `不予受理 ${a} 已经人民法院判决`))).toContain('“已登记”→“不予受理”');
    expect(texts(await say(app, 'xiaoyan', `转送 ${b} 市中级人民法院`))).toContain('“已登记”→“已转送”');
    expect(await cases.getByNo(b)).toMatchObject({ status: 'transferred', transferTo: '市中级人民法院' });
  });

  test('the words leave the intake form’s own control words alone', async () => {
    const no = await register({ name: '丙某', idNumber: null, phone: null });
    await say(app, 'xiaoyan', '登记');
    // While the form waits for free text (姓名), a sentence that starts with a case word is the answer, not an action.
    expect(texts(await say(app, 'xiaoyan', `受理 ${no}`))).toContain('姓名');
    expect((await cases.getByNo(no))!.status).toBe('registered');
    // The bare word still answers with its usage, and the open form is recalled.
    const bare = texts(await say(app, 'xiaoyan', '受理'));
    expect(bare).toContain('请写明案件编号，例如：受理 2026-000322');
    expect(bare).toContain('还未完成');
    expect(texts(await say(app, 'xiaoyan', '取消'))).toContain('取消');
    expect(texts(await say(app, 'xiaoyan', '王小明'))).toContain('没有听懂');
    // With no form open, the same words act on the case.
    expect(texts(await say(app, 'xiaoyan', `受理 ${no}`))).toContain(`已受理：案件 ${no}`);
  });

  test('退回 tells the staff member who assigned it, with the reason and a working 交办 button', async () => {
    clock = at('2026-03-04T10:00:00');
    const no = await register({ name: '丁某', idNumber: ID, phone: PHONE });
    await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
    expect(texts(await say(app, 'unit-zr', `退回 ${no}`))).toBe(`请写明退回的理由，例如：退回 ${no} 不属本单位职责`);
    const sent = (await outbox()).length;
    const back = await say(app, 'unit-zr', `退回 ${no} 属交通运输局职责，来电人电话 ${PHONE}`);
    expect(texts(back)).toContain(`已退回：案件 ${no}，状态“已交办”→“已登记”。`);
    expect(texts(back)).toContain('已把退回理由告知交办人张晓燕。');
    const rows = (await outbox()).slice(sent);
    expect(rows.map((m: any) => [m.receive_id_type, m.receive_id])).toEqual([['open_id', 'xiaoyan']]);
    const content = JSON.parse(rows[0].content);
    const cardText = plain([{ type: 'card', card: content }]);
    expect(cardText).toContain('县自然资源局退回了此案件');
    expect(cardText).toContain('退回理由');
    expect(cardText).toContain('属交通运输局职责，来电人电话 138****5678');
    expect(rows[0].content).not.toContain(PHONE);
    expect(rows[0].content).not.toContain(ID);

    // The button on that card assigns it again.
    const assign = buttonValue([{ type: 'card', card: content }], '交办');
    expect(assign).toEqual({ action: 'case.assign', caseNo: no });
    expect(JSON.stringify(await click(app, 'xiaoyan', assign!))).toContain('县交通运输局');
    const again = await click(app, 'xiaoyan', { ...assign!, submit: true }, { unit: '县交通运输局' });
    expect(texts(again)).toContain('已交办');
    expect(await cases.getByNo(no)).toMatchObject({ status: 'assigned', unit: '县交通运输局' });
  });

  test('退回 goes to the bureau’s group when the assigner is not staff any more, masked; with neither, the unit is told', async () => {
    await addUser(app, 'temp', 'staff', { name: '临时工' });
    const no = await register({ name: '戊某', idNumber: ID, phone: PHONE });
    await say(app, 'temp', `交办 ${no} 县自然资源局`);
    await addUser(app, 'temp', 'leader', { name: '临时工' });

    const nobody = await say(app, 'unit-zr', `退回 ${no} 不属本单位职责`);
    expect(texts(nobody)).toContain('信访局还没有登记工作群，也找不到交办人');
    await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
    await addUser(app, 'xiaoyan', 'leader', { name: '张晓燕' });
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局工作群', unit: null, role: 'bureau', venueId: null });
    try {
      const sent = (await outbox()).length;
      const r = await say(app, 'unit-zr', `退回 ${no} 请联系 ${PHONE} 核实`);
      expect(texts(r)).toContain('已把退回理由发到信访局工作群。');
      const rows = (await outbox()).slice(sent);
      expect(rows.map((m: any) => [m.receive_id_type, m.receive_id])).toEqual([['chat_id', 'oc_bureau']]);
      expect(rows[0].content).not.toContain(PHONE);
      expect(rows[0].content).not.toContain(ID);
      expect(rows[0].content).toContain('138****5678');
      expect(rows[0].content).toContain('case.assign');
    } finally {
      await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    }
  });

  test('a clerk typing 受理 or 退回 on a case 已交办 records it for the unit: the reply says 代…, and the unit is told', async () => {
    clock = at('2026-03-05T10:00:00');
    const no = await register({ name: '钱某' });
    await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
    let sent = (await outbox()).length;
    const ok = await say(app, 'xiaoyan', `受理 ${no}`);
    expect(texts(ok)).toContain(`已代县自然资源局受理：案件 ${no}，状态“已交办”→“办理中”。`);
    expect(texts(ok)).toContain('已告知县自然资源局（发到该单位的工作群）。');
    let rows = (await outbox()).slice(sent);
    expect(rows.map((m: any) => [m.receive_id_type, m.receive_id, m.msg_type])).toEqual([['chat_id', 'oc_zr', 'interactive']]);
    const card = plain([{ type: 'card', card: JSON.parse(rows[0].content) }]);
    expect(card).toContain(`信访局（张晓燕）已代县自然资源局受理案件 ${no}`);
    expect(card).not.toContain(ID);

    const no2 = await register({ name: '孙某' });
    await say(app, 'xiaoyan', `交办 ${no2} 县自然资源局`);
    sent = (await outbox()).length;
    const back = await say(app, 'xiaoyan', `退回 ${no2} 单位来电说明不属其职责，电话 ${PHONE}。`);
    expect(texts(back)).toContain(`已代县自然资源局退回：案件 ${no2}，状态“已交办”→“已登记”。`);
    rows = (await outbox()).slice(sent);
    const toUnit = rows.filter((m: any) => m.receive_id === 'oc_zr');
    expect(toUnit).toHaveLength(1);
    const line = JSON.parse(toUnit[0].content).text as string;
    expect(line).toBe(`信访局（张晓燕）已代县自然资源局退回案件 ${no2}，理由：单位来电说明不属其职责，电话 138****5678。如有异议，请与信访局联系。`);
    // The unit's own 受理 still reads as before.
    const no3 = await register({ name: '周某' });
    await say(app, 'xiaoyan', `交办 ${no3} 县自然资源局`);
    expect(texts(await say(app, 'unit-zr', `受理 ${no3}`))).toContain(`已单位受理：案件 ${no3}`);
  });
  test('words as people type them: no space, full-width digits, a ：before the reason, a note after the unit, two numbers, a negative count', async () => {
    clock = at('2026-03-06T10:00:00');
    const [a, b, c, d] = [await register({ name: '吴某' }), await register({ name: '郑某' }), await register({ name: '王某' }), await register({ name: '冯某' })];
    // 受理2026-… with no space, and a second number that is said to be left alone.
    const two = await say(app, 'xiaoyan', `受理${a}，${b}`);
    expect(texts(two)).toContain(`已受理：案件 ${a}`);
    expect(texts(two)).toContain(`一条消息只办理一件案件：${b} 未办理，请逐件发送，例如“受理 ${b}”。`);
    expect((await cases.getByNo(b))!.status).toBe('registered');
    // Full-width digits in the number.
    const wide = b.replace(/\d/g, (x) => String.fromCharCode(x.charCodeAt(0) + 0xfee0)).replace('-', '－');
    expect(texts(await say(app, 'xiaoyan', `受理 ${wide}`))).toContain(`已受理：案件 ${b}`);
    // 延期 -5: the rule, not 没有看懂.
    const before = await snapshot(a);
    expect(texts(await say(app, 'xiaoyan', `延期 ${a} -5 情况复杂`))).toContain('延期天数须为 1 至 30 的整数');
    expect(await snapshot(a)).toEqual(before);
    // A ：before the reason, and a reason ending in 。: the audit sentence reads once each.
    const no = plain(await say(app, 'xiaoyan', `不予受理 ${c}：已经人民法院判决。`));
    expect(no).toContain('理由：已经人民法院判决。');
    expect(no).not.toContain('：：');
    expect(no).not.toContain('。。');
    // The longest unit name the text starts with; the words after it are not lost silently.
    const assigned = await say(app, 'xiaoyan', `交办 ${d} 县自然资源局 请尽快办理`);
    expect(texts(assigned)).toContain(`已交办：案件 ${d}`);
    expect(texts(assigned)).toContain('“请尽快办理”未记入案件');
    expect((await cases.getByNo(d))!.unit).toBe('县自然资源局');
  });
});
