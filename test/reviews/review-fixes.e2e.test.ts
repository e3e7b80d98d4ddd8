import type { App } from '../../src/app';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { xinfang } from '../helpers/cli';
import { at, cardText, CHATS, outbox, seedDirectory } from '../reminders/fixtures';
import { seedConcludedCases, UNITS } from './fixtures';

/**
 * 信访事项评查 as the bureau and a unit meet it: a sample drawn and cancelled, the whole flow from
 * 评查抽样 to 评查台账 with the 整改's due date, and the reminders of that date (the reminders job).
 */
describe.each(testDialects())('评查: cancelling a sample, the whole flow, the 整改 reminders ($name)', (dialect) => {
  let app: App;
  let url: string;
  const clock = { now: at('2026-10-15', '10:00') };
  const reviews = () => app.core.db('reviews').orderBy('review_no');
  const remind = (date: string, time = '10:00') => {
    clock.now = at(date, time);
    return app.jobs.find((j) => j.name === 'reminders')!.run(clock.now);
  };
  const reminders = async (to: string) =>
    (await outbox(app.core.db)).filter((m) => m.to === to && m.source.startsWith('review-reminder:'));

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    clock.now = at('2026-10-15', '10:00');
    app = await makeTestApp({ db: fresh.db, url, now: () => clock.now });
    await seedDirectory(app.core);
    await addUser(app, 'unit-zj', 'unit', { unit: UNITS.zj, name: '住建联络员' });
    await seedConcludedCases(app.core.db);
  });
  afterEach(async () => {
    await app.core.db.destroy();
  });

  test('the admin cancels a sample while nothing in it was recorded; its cases can be drawn again; once one is recorded it is refused with why', async () => {
    const drawn = await say(app, 'dir-1', '评查抽样 2026Q3 3 种子 c1');
    expect(readable(drawn)).toContain('抽样编号**：1（抽错了可在评查记录前发送“评查抽样 撤销 1”撤销）');
    for (const r of drawn) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);
    const [one] = await reviews();

    expect(readable(await say(app, 'staff-1', '评查抽样 撤销 1'))).toContain('没有使用该功能的权限');
    expect(readable(await say(app, 'dir-1', '评查抽样 撤销'))).toContain('请写明要撤销的抽样编号');
    expect(readable(await say(app, 'dir-1', '评查抽样 撤销 9'))).toContain('没有找到抽样 9');
    expect((await reviews()).every((r: any) => r.status === 'pending')).toBe(true);

    expect(readable(await say(app, 'dir-1', '评查抽样 撤销 1'))).toContain('已撤销抽样 1（2026年第三季度，3件），其中 3 件评查一并撤销');
    const gone = await reviews();
    expect(gone.map((r: any) => [r.status, r.open_case_id])).toEqual([['cancelled', null], ['cancelled', null], ['cancelled', null]]);
    expect((await app.core.db('review_samples').where({ id: 1 }).first()).cancelled_by).toBe('dir-1');
    expect((await app.core.db('review_events').where({ review_id: one.id }).orderBy('id')).map((e: any) => e.action)).toEqual(['drawn', 'cancelled']);
    expect(readable(await say(app, 'dir-1', '评查抽样 撤销 1'))).toContain('抽样 1 已经撤销过了');
    expect(readable(await say(app, 'staff-1', `评查 ${one.review_no} 规范`))).toContain('所在的抽样已撤销');
    const ledger = readable(await say(app, 'staff-1', '评查台账 2026'));
    expect(ledger).toContain('这个时间段还没有评查记录');
    expect(ledger).not.toContain(one.review_no);
    expect(await outbox(app.core.db)).toHaveLength(0); // nobody was told anything

    // The cancelled sample's cases are free again: a sample of all ten draws them.
    expect(readable(await say(app, 'dir-1', '评查抽样 2026Q3 10'))).toContain('可抽取的办结事项 10 件');
    const [first] = await app.core.db('reviews').where({ sample_id: 2 }).orderBy('review_no');
    await say(app, 'staff-1', `评查 ${first.review_no} 规范`);
    const refused = readable(await say(app, 'dir-1', '评查抽样 撤销 2'));
    expect(refused).toContain(`抽样 2 中已有 1 件记录了评查结论：${first.review_no}（规范）`);
    expect(refused).toContain('不能撤销整个抽样');
    expect(await app.core.db('reviews').where({ sample_id: 2, status: 'cancelled' })).toHaveLength(0);

    const cli = await xinfang(['reviews', 'sample', '--cancel', '2'], { DATABASE_URL: url });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('不能撤销整个抽样');
    const bad = await xinfang(['reviews', 'sample', '--cancel', '几'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cancel 几 无效');
    expect(await app.core.db('review_samples').whereNotNull('cancelled_at')).toHaveLength(1);
  });

  test('the CLI cancels a sample too', async () => {
    await say(app, 'dir-1', '评查抽样 2026Q3 3');
    const r = await xinfang(['reviews', 'sample', '--cancel', '1', '--json'], { DATABASE_URL: url });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sampleId: 1, cancelled: ['PC2026-0001', 'PC2026-0002', 'PC2026-0003'] });
    const list = JSON.parse((await xinfang(['reviews', 'list', '--json'], { DATABASE_URL: url })).stdout);
    expect(list.reviews).toEqual([]);
  });

  test('the whole flow: by share and by count, too large refused, problems from the configured list with a due date, the unit told, 整改, closed in the ledger', async () => {
    const share = readable(await say(app, 'dir-1', '评查抽样 2026Q3 30%'));
    expect(share).toContain('县自然资源局**（1/6 件）');
    expect(share).toContain('县住房和城乡建设局**（1/3 件）');
    expect(share).toContain('阳城镇人民政府**（1/1 件）');
    expect(readable(await say(app, 'dir-1', '评查抽样 2026Q3 8'))).toContain('不足 8 件，请减少抽样件数');
    expect(await reviews()).toHaveLength(3);
    expect(readable(await say(app, 'dir-1', '评查抽样 2026Q3 4'))).toContain('共抽取 4 件');
    expect(await reviews()).toHaveLength(7);

    const [r] = await app.core.db('reviews').where({ case_unit: UNITS.zr }).orderBy('review_no');
    const words = `评查 ${r.case_no} 问题 事实认定不清、答复不规范 意见 未核实现场 单位 ${UNITS.zr}`;
    expect(readable(await say(app, 'staff-1', `${words} 期限 2026-10-10`))).toContain('整改期限 2026年10月10日（周六） 已经过去');
    expect(readable(await say(app, 'staff-1', `${words} 期限 年底前`))).toContain('整改期限“年底前”看不明白');
    const unknown = readable(await say(app, 'staff-1', `评查 ${r.case_no} 问题 态度差`));
    expect(unknown).toContain('不认识的问题：态度差');
    expect(unknown).toContain('适用政策错误'); // the list of config/reference.json, not the built-in one
    expect(readable(await say(app, 'staff-1', `评查 ${r.case_no} 规范 期限 10月23日`))).toContain('请写“规范”');
    expect((await app.core.db('reviews').where({ id: r.id }).first()).status).toBe('pending');
    expect(await outbox(app.core.db)).toHaveLength(0);

    const done = readable(await say(app, 'staff-1', `${words} 期限 10月23日`));
    expect(done).toContain(`已记录评查 ${r.review_no}（案件 ${r.case_no}）。发现问题：事实认定不清、答复不规范，已通知县自然资源局在2026年10月23日（周五）前整改`);
    const [notice] = await outbox(app.core.db);
    expect(notice.to).toBe(CHATS.unit);
    const text = cardText(notice.card);
    expect(text).toContain('整改期限**：2026年10月23日（周五）前');
    expect(text).toContain('黄\\*\\*');
    expect(text).not.toContain('黄丽娟');

    expect(readable(await say(app, 'unit-zr', `整改 ${r.review_no} 已重新核实现场并书面答复`))).toContain('等待信访局确认');
    const toReviewer = (await outbox(app.core.db)).filter((m) => m.to === 'staff-1').pop()!;
    expect(readable(await click(app, 'staff-1', buttonValue([{ type: 'card', card: toReviewer.card }], '确认整改')!))).toContain('评查结束');

    // The sample was drawn for 2026Q3 (in October): its reviews are in the 2026Q3 ledger.
    const ledger = readable(await say(app, 'staff-1', '评查台账 2026Q3'));
    expect(ledger).toContain('评查 **1** 件，发现问题 **2** 个（涉及 1 件），已整改 **2** 个');
    expect(ledger).toContain(`**已整改**（本页 1 件）\n${r.review_no} · ${r.case_no} · 县自然资源局 · 已整改：事实认定不清、答复不规范`);

    const list = await xinfang(['reviews', 'list', '--period', '2026Q3', '--json'], { DATABASE_URL: url });
    expect(list.code).toBe(0);
    const json = JSON.parse(list.stdout);
    expect(json.figures).toEqual({ reviewed: 1, withProblems: 1, problems: 2, fixed: 2 });
    expect(json.reviews.find((x: any) => x.no === r.review_no)).toMatchObject({
      status: 'fixed', sampleId: 1, problems: ['事实认定不清', '答复不规范'], fixUnit: UNITS.zr, fixDueDate: '2026-10-23', rectification: '已重新核实现场并书面答复',
    });
  });

  test('the unit is reminded before and on the 整改 date, once per step; overdue the bureau is told, then the director; a report stops them', async () => {
    await say(app, 'dir-1', '评查抽样 2026Q3 3');
    const [r] = await app.core.db('reviews').where({ case_unit: UNITS.zr });
    await say(app, 'staff-1', `评查 ${r.review_no} 问题 答复不规范 期限 10月23日`);

    await remind('2026-10-19'); // 4 working days before
    expect(await reminders(CHATS.unit)).toHaveLength(0);
    const said = await remind('2026-10-20');
    expect(said).toContain('评查整改期限应提醒 1 件');
    const [first] = await reminders(CHATS.unit);
    const text = cardText(first.card);
    expect(text).toContain(`评查整改期限提醒：${r.review_no}`);
    expect(text).toContain('剩余 3 个工作日');
    expect(text).toContain('2026年10月23日（周五）');
    expect(text).not.toContain('黄');
    expect(checkCard(first.card)).toEqual([]);
    await remind('2026-10-20', '15:00'); // the same step again
    expect(await reminders(CHATS.unit)).toHaveLength(1);

    await remind('2026-10-22');
    expect(cardText((await reminders(CHATS.unit)).pop()!.card)).toContain('剩余 1 个工作日');
    await remind('2026-10-23');
    expect(cardText((await reminders(CHATS.unit)).pop()!.card)).toContain('评查整改今日到期');
    expect(await reminders(CHATS.bureau)).toHaveLength(0);

    await remind('2026-10-26'); // 1 working day overdue: the bureau too
    expect(await reminders(CHATS.unit)).toHaveLength(4);
    const [toBureau] = await reminders(CHATS.bureau);
    expect(cardText(toBureau.card)).toContain('评查整改已超期');
    expect(cardText(toBureau.card)).toContain('尚未报告整改情况，请督促');
    expect(buttonValue([{ type: 'card', card: toBureau.card }], '报告整改')).toBeNull(); // no report form for the bureau
    expect(checkCard(toBureau.card)).toEqual([]);
    expect(await reminders('dir-1')).toHaveLength(0);
    await remind('2026-10-28'); // 3 working days overdue: the director as well
    expect(await reminders('dir-1')).toHaveLength(1);
    expect(await app.core.db('review_reminders')).toHaveLength(5);

    // The unit's reminder carries the report form; a report stops the reminders.
    const submit = buttonValue([{ type: 'card', card: first.card }], '报告整改')!;
    expect(readable(await click(app, 'unit-zr', submit, { rectification: '已重新出具答复意见书' }))).toContain('等待信访局确认');
    const count = (await outbox(app.core.db)).filter((m) => m.source.startsWith('review-reminder:')).length;
    await remind('2026-10-29');
    expect((await outbox(app.core.db)).filter((m) => m.source.startsWith('review-reminder:'))).toHaveLength(count);

    // Sent back (退回重改): still overdue, the reminders go on from the next step, never repeating one already said.
    const toReviewer = (await outbox(app.core.db)).filter((m) => m.to === 'staff-1').pop()!;
    await click(app, 'staff-1', buttonValue([{ type: 'card', card: toReviewer.card }], '退回重改')!, { reason: '未附答复书' });
    await remind('2026-10-29', '15:00');
    const steps = (await app.core.db('review_reminders').orderBy('id')).map((x: any) => x.step);
    expect(steps).toEqual(['before-3', 'before-1', 'due', 'overdue-1', 'overdue-3', 'overdue-4']);
  });
});
