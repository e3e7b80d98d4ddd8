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

describe.each(testDialects())('case life through the console on $name', (dialect) => {
  let app: App;
  let clock = at('2025-09-22T09:00:00');
  let cases: CaseService;

  const register = (over: Partial<NewCaseInput> = {}) =>
    cases.register({
      name: '陈秀梅', idNumber: ID, phone: PHONE, address: '阳城镇东街 8 号', headcount: 1, channel: '来访', town: '阳城镇',
      category: '自然资源', purpose: '求决', content: `宅基地被占用，联系电话 ${PHONE}，请求协调。`, receivedAt: clock, sessionId: null,
      registeredBy: 'xiaoyan', ...over,
    });
  const events = async (caseNo: string) => {
    const c = await cases.getByNo(caseNo);
    return app.core.db('case_events').where({ case_id: c!.id }).orderBy('id');
  };
  const outbox = () => app.core.db('outbox').orderBy('id');
  const statusOf = async (caseNo: string) => (await cases.getByNo(caseNo))!.status;
  const texts = (r: Outgoing[]) => r.filter((x) => x.type === 'text').map((x) => (x as { text: string }).text).join('\n');

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock });
    cases = new CaseService(app.core);
    await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    await addUser(app, 'unit-zr', 'unit', { name: '李建国', unit: '县自然资源局' });
    await addUser(app, 'unit-jt', 'unit', { name: '周海', unit: '县交通运输局' });
    await addUser(app, 'leader-li', 'leader', { name: '黄振华', town: '阳城镇', title: '县委副书记' });
    await addUser(app, 'leader-he', 'leader', { name: '何志远', town: '太平镇', title: '副县长' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('查询 by number, glued name and ID tail: whole ID and phone only for staff in a P2P chat', async () => {
    const { record } = await register();
    expect(record.caseNo).toBe('2025-000001');

    const p2p = readable(await say(app, 'xiaoyan', '查询 2025-000001'));
    expect(p2p).toContain('信访件 2025-000001');
    expect(p2p).toContain(ID);
    expect(p2p).toContain(PHONE);
    expect(p2p).toContain('2025年10月9日'); // registered Mon 9/22: + 15 = 10/7, in the break -> 10/9
    expect(p2p).toContain('剩余');

    const group = readable(await say(app, 'xiaoyan', '查询 2025-1', { chatType: 'group', chatId: 'oc_bureau' }));
    expect(group).toContain('信访件 2025-000001');
    expect(group).not.toContain(ID);
    expect(group).not.toContain(PHONE);
    expect(group).toContain('441823********6012');
    expect(group).toContain('138****5678');

    expect(readable(await say(app, 'xiaoyan', '查询陈秀梅'))).toContain('信访件 2025-000001');
    expect(readable(await say(app, 'xiaoyan', '查询 6012'))).toContain('信访件 2025-000001');
    // The whole ID number or the phone, however typed, as a clerk holding the ID card would.
    expect(readable(await say(app, 'xiaoyan', `查询 ${ID}`))).toContain('信访件 2025-000001');
    expect(readable(await say(app, 'xiaoyan', `查询 ${PHONE.slice(0, 3)}-${PHONE.slice(3, 7)}-${PHONE.slice(7)}`))).toContain('信访件 2025-000001');
    expect(readable(await say(app, 'unit-zr', `查询 ${ID}`))).toContain('没有找到');
    expect(readable(await say(app, 'xiaoyan', '查询 王不存在'))).toContain('没有找到');
  });

  test('a unit and an unrelated leader cannot find a case that is not theirs; the town’s leader can, masked', async () => {
    expect(readable(await say(app, 'unit-zr', '查询 2025-000001'))).toContain('没有找到');
    expect(readable(await say(app, 'leader-he', '查询 陈秀梅'))).toContain('没有找到');
    const li = readable(await say(app, 'leader-li', '查询 2025-000001'));
    expect(li).toContain('信访件 2025-000001');
    expect(li).not.toContain(ID);
    // A leader has no 受理/交办 buttons.
    expect(buttonValue(await say(app, 'leader-li', '查询 2025-000001'), '交办')).toBeNull();
  });

  test('repeat petitions: the new case shows the earlier one as linked', async () => {
    clock = at('2025-09-23T10:00:00');
    const { record, linked } = await register({ idNumber: null, content: '再次反映宅基地问题' });
    expect(linked.map((l) => l.caseNo)).toEqual(['2025-000001']);
    const t = readable(await say(app, 'xiaoyan', `查询 ${record.caseNo}`));
    expect(t).toContain('关联案件（重复信访）');
    expect(t).toContain('2025-000001');
  });

  test('交办 from the card: a unit picker, then a masked card in the unit’s group in the same step', async () => {
    const card = await say(app, 'xiaoyan', '查询 2025-000001');
    const assign = buttonValue(card, '交办');
    expect(assign).toEqual({ action: 'case.assign', caseNo: '2025-000001' });
    const form = await click(app, 'xiaoyan', assign!);
    const formText = JSON.stringify(form);
    expect(formText).toContain('县自然资源局');
    expect(formText).toContain('秤架瑶族乡人民政府');
    expect(await statusOf('2025-000001')).toBe('registered');

    const before = (await outbox()).length;
    const done = await click(app, 'xiaoyan', { action: 'case.assign', caseNo: '2025-000001', submit: true }, { unit: '县自然资源局' });
    expect(texts(done)).toContain('已交办');
    expect(await statusOf('2025-000001')).toBe('assigned');
    const sent = (await outbox()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ receive_id: 'oc_zr', msg_type: 'interactive', status: 'pending' });
    expect(sent[0].content).toContain('2025-000001');
    expect(sent[0].content).toContain('告知受理期限');
    expect(sent[0].content).not.toContain(ID);
    expect(sent[0].content).not.toContain(PHONE);
    expect(sent[0].content).toContain('case.unitAccept');
  });

  test('a unit not in the picker list is refused and nothing changes', async () => {
    const { record } = await register({ name: '林国强', idNumber: null, phone: null, town: '太平镇' });
    const r = await click(app, 'xiaoyan', { action: 'case.assign', caseNo: record.caseNo, submit: true }, { unit: '县不存在局' });
    expect(texts(r)).toContain('不在单位名录中');
    expect(await statusOf(record.caseNo)).toBe('registered');
    expect(await events(record.caseNo)).toHaveLength(1);
  });

  test('another unit pressing the button, or forging its value, is refused; the right unit accepts', async () => {
    const nEvents = (await events('2025-000001')).length;
    const wrong = await click(app, 'unit-jt', { action: 'case.unitAccept', caseNo: '2025-000001' }, undefined);
    expect(texts(wrong)).toContain('无权');
    const forged = await click(app, 'unit-zr', { action: 'case.accept', caseNo: '2025-000001' });
    expect(texts(forged)).toContain('由信访局办理');
    const forgedOther = await click(app, 'unit-zr', { action: 'case.unitAccept', caseNo: '2025-000002' });
    expect(texts(forgedOther)).toContain('无权');
    const garbage = await click(app, 'unit-zr', { action: 'case.unitAccept', caseNo: "1' OR '1'='1" });
    expect(texts(garbage)).toContain('编号');
    expect(await statusOf('2025-000001')).toBe('assigned');
    expect(await events('2025-000001')).toHaveLength(nEvents);

    clock = at('2025-09-24T09:00:00');
    const ok = await click(app, 'unit-zr', { action: 'case.unitAccept', caseNo: '2025-000001' }, undefined);
    expect(texts(ok)).toContain('“已交办”→“办理中”');
    const t = readable(ok);
    expect(t).toContain('办结期限');
    // Accepted 9/24 + 60 = 11/23 (Sun) -> Mon 11/24.
    expect(t).toContain('2025年11月24日');
    // The unit sees the case masked even in P2P.
    expect(t).not.toContain(ID);

    // Clicked twice: the second is refused with the present state.
    const again = await click(app, 'unit-zr', { action: 'case.unitAccept', caseNo: '2025-000001' });
    expect(texts(again)).toContain('当前状态为“办理中”，不能单位受理');
    expect(await events('2025-000001')).toHaveLength(nEvents + 1);
  });

  test('延期: more than 30 days refused, once allowed, a second time refused with art. 34', async () => {
    const bad = await click(app, 'unit-zr', { action: 'case.extend', caseNo: '2025-000001', submit: true }, { days: '45', reason: '需要' });
    expect(texts(bad)).toContain('不得超过 30 日');
    const noReason = await click(app, 'unit-zr', { action: 'case.extend', caseNo: '2025-000001', submit: true }, { days: '30', reason: ' ' });
    expect(texts(noReason)).toContain('请填写延期理由');
    const ok = await click(app, 'unit-zr', { action: 'case.extend', caseNo: '2025-000001', submit: true }, { days: '30', reason: '需现场勘测，经局长批准' });
    expect(texts(ok)).toContain('已延期');
    // 11/24 + 30 = 12/24 (Wed).
    expect(readable(ok)).toContain('2025年12月24日');
    const twice = await click(app, 'unit-zr', { action: 'case.extend', caseNo: '2025-000001', submit: true }, { days: '10', reason: '再延' });
    expect(texts(twice)).toContain('案件 2025-000001 已延期过一次（30 日），《信访工作条例》第三十四条只允许延期一次');
    // The button is gone from the card once used.
    expect(buttonValue(await say(app, 'unit-zr', '查询 2025-000001'), '延期')).toBeNull();
    expect((await cases.getByNo('2025-000001'))!.extensionDays).toBe(30);
  });

  test('progress notes from the unit go into the audit trail', async () => {
    const form = await click(app, 'unit-zr', { action: 'case.progress', caseNo: '2025-000001' });
    expect(readable(form)).toContain('办理进展');
    await click(app, 'unit-zr', { action: 'case.progress', caseNo: '2025-000001', submit: true }, { note: '已现场勘测，约谈双方' });
    const last = (await events('2025-000001')).at(-1);
    expect(last).toMatchObject({ action: 'progress', actor_id: 'unit-zr', reason: '已现场勘测，约谈双方', from_status: 'handling', to_status: 'handling' });
  });

  test('包案 picks a leader from the leaders, notifies them, and they see it in 我的待办', async () => {
    const form = await click(app, 'xiaoyan', { action: 'case.own', caseNo: '2025-000002' });
    expect(JSON.stringify(form)).toContain('何志远（副县长）');
    const before = (await outbox()).length;
    const bogus = await click(app, 'xiaoyan', { action: 'case.own', caseNo: '2025-000002', submit: true }, { leaderId: 'unit-zr' });
    expect(texts(bogus)).toContain('不是领导');
    await click(app, 'xiaoyan', { action: 'case.own', caseNo: '2025-000002', submit: true }, { leaderId: 'leader-he' });
    const sent = (await outbox()).slice(before);
    expect(sent.map((m: any) => [m.receive_id, m.receive_id_type])).toEqual([['leader-he', 'open_id']]);
    // 何志远 covers 太平镇, and now owns this 阳城镇 case.
    const todo = readable(await say(app, 'leader-he', '我的待办'));
    expect(todo).toContain('2025-000002');
    expect(todo).toContain('领导包案：何志远');
    expect(readable(await say(app, 'leader-he', '查询 2025-000002'))).toContain('信访件 2025-000002');
  });

  test('督办 marks the case, and only once', async () => {
    const r = await click(app, 'xiaoyan', { action: 'case.supervise', caseNo: '2025-000001', submit: true }, { note: '请于月底前办结' });
    expect(texts(r)).toContain('已挂牌督办');
    expect(readable(r)).toContain('【挂牌督办】');
    const again = await click(app, 'xiaoyan', { action: 'case.supervise', caseNo: '2025-000001' });
    expect(texts(again)).toContain('已经挂牌督办');
  });

  test('我的待办 per role', async () => {
    const staff = readable(await say(app, 'xiaoyan', '我的待办'));
    expect(staff).toContain('2025-000002');
    expect(staff).not.toContain('2025-000001'); // with the unit now
    const unit = readable(await say(app, 'unit-zr', '我的待办'));
    expect(unit).toContain('2025-000001');
    expect(unit).not.toContain('2025-000002');
    expect(readable(await say(app, 'unit-jt', '我的待办'))).toContain('目前没有待办案件');
  });

  test('逾期: overdue and due within 3 working days, per viewer', async () => {
    clock = at('2025-10-10T09:00:00'); // the decision on 2025-000002/3 was due 10/9
    const staff = await say(app, 'xiaoyan', '逾期');
    const t = readable(staff);
    expect(t).toContain('已逾期');
    expect(t).toContain('2025-000002');
    expect(t).toContain('已逾期 1 个工作日');
    expect(t).not.toContain('2025-000001'); // its conclusion is due in December
    expect(readable(await say(app, 'unit-zr', '逾期'))).toContain('没有逾期');

    clock = at('2025-12-22T09:00:00'); // 2025-000001 due 12/24: 2 working days left
    const unit = readable(await say(app, 'unit-zr', '逾期'));
    expect(unit).toContain('3 个工作日内到期');
    expect(unit).toContain('2025-000001');
    expect(unit).toContain('剩余 2 个工作日');
  });

  test('办结, then 复查 and 复核 to the end; afterwards nothing more', async () => {
    const form = await click(app, 'unit-zr', { action: 'case.conclude', caseNo: '2025-000001' });
    expect(readable(form)).toContain('答复意见摘要');
    const done = await click(app, 'unit-zr', { action: 'case.conclude', caseNo: '2025-000001', submit: true }, { summary: '已协调退还占用的宅基地' });
    expect(texts(done)).toContain('“办理中”→“已办结”');
    expect(readable(done)).toContain('申请复查期限');

    // A unit may not register the petitioner's 复查 request: that is the bureau's.
    expect(texts(await click(app, 'unit-zr', { action: 'case.review', caseNo: '2025-000001', submit: true }, {}))).toContain('由信访局办理');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.review', caseNo: '2025-000001', submit: true }, { note: '对答复不服' }))).toContain('“已办结”→“复查中”');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.reviewAnswer', caseNo: '2025-000001', submit: true }, { summary: '维持' }))).toContain('复查已答复');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.recheck', caseNo: '2025-000001', submit: true }, {}))).toContain('复核中');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.recheckAnswer', caseNo: '2025-000001', submit: true }, { summary: '复核维持' }))).toContain('已终结');

    const after = await click(app, 'xiaoyan', { action: 'case.review', caseNo: '2025-000001', submit: true }, {});
    expect(texts(after)).toContain('同一事项不再受理');
    const rows = await events('2025-000001');
    expect(rows.map((e: any) => e.action)).toEqual([
      'register', 'assign', 'unitAccept', 'extend', 'progress', 'supervise', 'conclude', 'requestReview', 'answerReview', 'requestRecheck', 'answerRecheck',
    ]);
    expect(rows.every((e: any) => e.actor_id && e.at)).toBe(true);
  });

  test('受理 by the bureau itself, 不予受理 and 转送 from the card', async () => {
    clock = at('2026-01-05T09:00:00');
    const a = await register({ name: '甲某', idNumber: null, phone: null });
    const b = await register({ name: '乙某', idNumber: null, phone: null });
    const c = await register({ name: '丙某', idNumber: null, phone: null });
    const acc = buttonValue(await say(app, 'xiaoyan', `查询 ${a.record.caseNo}`), '受理');
    const r = await click(app, 'xiaoyan', acc!);
    expect(texts(r)).toContain('“已登记”→“办理中”');
    expect((await cases.getByNo(a.record.caseNo))!.unit).toBeNull();
    // Double click.
    expect(texts(await click(app, 'xiaoyan', acc!))).toContain('不能受理');

    const rejForm = await click(app, 'xiaoyan', { action: 'case.reject', caseNo: b.record.caseNo });
    expect(readable(rejForm)).toContain('不予受理的理由');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.reject', caseNo: b.record.caseNo, submit: true }, {}))).toContain('请填写不予受理的理由');
    expect(await statusOf(b.record.caseNo)).toBe('registered');
    await click(app, 'xiaoyan', { action: 'case.reject', caseNo: b.record.caseNo, submit: true }, { reason: '已经法院判决' });
    expect(await statusOf(b.record.caseNo)).toBe('not_accepted');

    await click(app, 'xiaoyan', { action: 'case.transfer', caseNo: c.record.caseNo, submit: true }, { organ: '市中级人民法院' });
    const cc = await cases.getByNo(c.record.caseNo);
    expect(cc).toMatchObject({ status: 'transferred', transferTo: '市中级人民法院' });
    const deadlines = await cases.deadlines(cc!.id);
    expect(deadlines.map((d) => [d.kind, d.status])).toEqual([['decision', 'met']]);
  });

  test('two people clicking 受理 at the same moment: one succeeds, the other is told why, one audit row', async () => {
    const { record } = await register({ name: '丁某', idNumber: null, phone: null });
    await addUser(app, 'xiaowang', 'staff', { name: '王丽' });
    const [a, b] = await Promise.all([
      click(app, 'xiaoyan', { action: 'case.accept', caseNo: record.caseNo }),
      click(app, 'xiaowang', { action: 'case.accept', caseNo: record.caseNo }),
    ]);
    const answers = [texts(a), texts(b)];
    expect(answers.filter((t) => t.includes('已受理'))).toHaveLength(1);
    expect(answers.filter((t) => t.includes('不能受理'))).toHaveLength(1);
    expect((await events(record.caseNo)).map((e: any) => e.action)).toEqual(['register', 'accept']);
  });

  test('交办 to a unit with no group: its users get the card in person, and staff are told', async () => {
    const { record } = await register({ name: '戊某', idNumber: null, phone: null, town: '太平镇', category: '交通运输' });
    const before = (await outbox()).length;
    const r = await click(app, 'xiaoyan', { action: 'case.assign', caseNo: record.caseNo, submit: true }, { unit: '县交通运输局' });
    expect(texts(r)).toContain('县交通运输局还没有登记工作群');
    const sent = (await outbox()).slice(before);
    expect(sent.map((m: any) => [m.receive_id_type, m.receive_id])).toEqual([['open_id', 'unit-jt']]);
    // The unit returns it to the bureau; it is then back among the bureau's 待办 and gone from the unit's.
    const back = await click(app, 'unit-jt', { action: 'case.unitReturn', caseNo: record.caseNo, submit: true }, { reason: '属于公路养护中心职责' });
    expect(texts(back)).toContain('“已交办”→“已登记”');
    expect(await cases.getByNo(record.caseNo)).toMatchObject({ status: 'registered', unit: null, decisionReason: '属于公路养护中心职责' });
    expect(readable(await say(app, 'unit-jt', '我的待办'))).not.toContain(record.caseNo);
    expect(readable(await say(app, 'xiaoyan', `查询 ${record.caseNo}`))).toContain('退回理由');
    // Assigned again elsewhere, the old reason no longer shows.
    const again = await click(app, 'xiaoyan', { action: 'case.assign', caseNo: record.caseNo, submit: true }, { unit: '县自然资源局' });
    expect(texts(again)).toContain('已交办');
    // The reason stays in the 办理记录, but no longer as the case's 退回理由.
    expect(readable(again)).not.toContain('退回理由');
    expect(readable(again)).toContain('退回信访局，状态由“已交办”变为“已登记”，理由：属于公路养护中心职责');
    const rows = await events(record.caseNo);
    expect(rows.map((e: any) => e.action)).toEqual(['register', 'assign', 'unitReturn', 'assign']);
  });

  test('a deadline in a year without holiday data is shown with the provisional note', async () => {
    clock = at('2026-12-24T10:00:00');
    const { record } = await register({ name: '己某', idNumber: null, phone: null });
    const t = readable(await say(app, 'xiaoyan', `查询 ${record.caseNo}`));
    // 12/24 + 15 = 2027-01-08 (Fri), counted from weekends only.
    expect(t).toContain('2027年1月8日');
    expect(t).toContain('（该年节假日安排未导入，期限暂按周末推算）');
    expect((await cases.deadlines(record.id))[0].provisional).toBe(true);
  });

  test('an unknown case number and a stale button get a clear answer', async () => {
    expect(texts(await click(app, 'xiaoyan', { action: 'case.accept', caseNo: '2025-999999' }))).toContain('没有编号为 2025-999999 的案件');
    expect(texts(await click(app, 'xiaoyan', { action: 'case.view', caseNo: '2025-999999' }))).toContain('没有找到');
  });
});
