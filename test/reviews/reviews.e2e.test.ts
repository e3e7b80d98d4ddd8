import type { App } from '../../src/app';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';
import { xinfang } from '../helpers/cli';
import { at, cardText, CHATS, outbox, PHONE, seedDirectory } from '../reminders/fixtures';
import { seedConcludedCases, UNITS } from './fixtures';

describe.each(testDialects())('信访事项评查 in chat ($name)', (dialect) => {
  let app: App;
  let url: string;
  const now = at('2026-10-15', '10:00');
  const reviewsOf = () => app.core.db('reviews').orderBy('review_no');

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    app = await makeTestApp({ db: fresh.db, url, now: () => now });
    await seedDirectory(app.core);
    await addUser(app, 'unit-zj', 'unit', { unit: UNITS.zj, name: '住建联络员' });
    await seedConcludedCases(app.core.db);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('a sample by count is stratified by unit, each unit with cases gets at least one, and the seed is recorded', async () => {
    const replies = await say(app, 'dir-1', '评查抽样 2026Q3 5 种子 q3-first');
    const t = readable(replies);
    expect(t).toContain('评查抽样 2026年第三季度');
    expect(t).toContain('县自然资源局**（3/6 件）');
    expect(t).toContain('县住房和城乡建设局**（1/3 件）');
    expect(t).toContain('阳城镇人民政府**（1/1 件）');
    expect(t).toContain('q3-first');
    for (const r of replies) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);
    const rows = await reviewsOf();
    expect(rows).toHaveLength(5);
    expect(rows.map((r: any) => r.review_no)).toEqual(['PC2026-0001', 'PC2026-0002', 'PC2026-0003', 'PC2026-0004', 'PC2026-0005']);
    expect(rows.every((r: any) => r.status === 'pending')).toBe(true);
    expect(rows.map((r: any) => r.case_no)).not.toContain('2026-000401'); // concluded in October
    const [sample] = await app.core.db('review_samples');
    expect(sample).toMatchObject({ seed: 'q3-first', asked: '5件', population: 10, drawn: 5, drawn_by: 'dir-1' });
  });

  test('a sample by share draws from the cases not yet drawn; a sample larger than what is left is refused and saves nothing', async () => {
    const t = readable(await say(app, 'dir-1', '评查抽样 2026年第三季度 50%'));
    expect(t).toContain('可抽取的办结事项 5 件（另有 5 件已评查，未再抽取）');
    const rows = await reviewsOf();
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r: any) => r.case_no)).size).toBe(8); // no case twice

    const refused = readable(await say(app, 'dir-1', '评查抽样 2026Q3 10'));
    expect(refused).toContain('2026年第三季度办结的信访事项共 10 件（其中 8 件已评查或正在评查，不再重复抽取，可抽 2 件），不足 10 件');
    expect(await reviewsOf()).toHaveLength(8);
    expect(await app.core.db('review_samples')).toHaveLength(2);
    expect(readable(await say(app, 'dir-1', '评查抽样 2025Q1 3'))).toContain('2025年第一季度没有办结的信访事项');
    expect(readable(await say(app, 'dir-1', '评查抽样 下半年 3'))).toContain('看不懂时间段“下半年”');
    expect(readable(await say(app, 'dir-1', '评查抽样 2026Q3 几件'))).toContain('看不懂抽样数“几件”');
    expect(readable(await say(app, 'staff-1', '评查抽样 2026Q3 3'))).toContain('没有使用该功能的权限');
  });

  test('评查 with problems → the unit group gets a masked card → 整改 → the reviewer accepts → closed', async () => {
    const [first] = await app.core.db('reviews').where({ case_unit: UNITS.zr, status: 'pending' }).orderBy('review_no');
    const opened = await say(app, 'staff-1', `评查 ${first.case_no}`);
    expect(readable(opened)).toContain(`信访事项评查 ${first.review_no}`);
    expect(readable(opened)).toContain('黄\\*\\*');
    expect(readable(opened)).not.toContain('黄丽娟');
    for (const r of opened) if (r.type === 'card') expect(checkCard(r.card)).toEqual([]);
    const submit = buttonValue(opened, '记录问题并通知整改')!;

    // A problem not on the list is named, and nothing is saved.
    const bad = readable(await click(app, 'staff-1', submit, { problems: '态度不好', note: '', unit: UNITS.zr }));
    expect(bad).toContain('不认识的问题：态度不好');
    expect((await app.core.db('reviews').where({ id: first.id }).first()).status).toBe('pending');

    const before = (await outbox(app.core.db)).length;
    const done = readable(await click(app, 'staff-1', submit, { problems: '答复不规范、超期办结', note: `信访人电话 ${PHONE} 未回访`, unit: '' }));
    expect(done).toContain(`已记录评查 ${first.review_no}`);
    expect(done).toContain('已通知县自然资源局在2026年11月5日（周四）前整改'); // 15 working days after 10月15日 by default
    const sent = (await outbox(app.core.db)).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe(CHATS.unit);
    const notice = cardText(sent[0].card);
    expect(notice).toContain('评查整改通知');
    expect(notice).toContain('答复不规范、超期办结');
    expect(notice).toContain('整改期限**：2026年11月5日（周四）前');
    expect(notice).toContain('黄\\*\\*');
    expect(notice).not.toContain('黄丽娟');
    expect(notice).not.toContain(PHONE);
    expect(checkCard(sent[0].card)).toEqual([]);

    // Recording twice is refused; another unit may not report; an empty report is refused.
    expect(readable(await say(app, 'staff-1', `评查 ${first.case_no} 规范`))).toContain('不能重复记录');
    expect(readable(await say(app, 'unit-zj', `整改 ${first.review_no} 已整改`))).toContain('您所在单位不能报告它的整改');
    expect(readable(await say(app, 'unit-zr', `整改 ${first.review_no}`))).toContain('请写明整改情况');

    const reported = readable(await say(app, 'unit-zr', `整改 ${first.review_no} 已重新出具答复意见书并告知复查权利`));
    expect(reported).toContain('等待信访局确认');
    const toReviewer = (await outbox(app.core.db)).filter((m) => m.to === 'staff-1').pop()!;
    expect(cardText(toReviewer.card)).toContain('已重新出具答复意见书');
    const accept = buttonValue([{ type: 'card', card: toReviewer.card }], '确认整改')!;
    expect(readable(await click(app, 'unit-zr', accept))).toContain('没有使用该功能的权限');
    expect(readable(await click(app, 'staff-1', accept))).toContain('评查结束');
    const closed = await app.core.db('reviews').where({ id: first.id }).first();
    expect(closed).toMatchObject({ status: 'fixed', open_case_id: null, closed_by: 'staff-1', fix_unit: UNITS.zr });
    expect(closed.note).not.toContain(PHONE);
    const last = (await outbox(app.core.db)).pop()!;
    expect(last.to).toBe(CHATS.unit);
    expect(JSON.stringify(last.card)).toContain('整改已经信访局确认');
    const audit = await app.core.db('review_events').where({ review_id: first.id }).orderBy('id');
    expect(audit.map((e: any) => [e.action, e.actor_id])).toEqual([['drawn', 'dir-1'], ['recorded', 'staff-1'], ['reported', 'unit-zr'], ['accepted', 'staff-1']]);
  });

  test('a report sent back goes to the unit again with the reason; 规范 in words closes a review at once', async () => {
    const [r] = await app.core.db('reviews').where({ case_unit: UNITS.zj, status: 'pending' }).orderBy('review_no');
    expect(readable(await say(app, 'staff-1', `评查 ${r.review_no} 问题 未告知复查权利 意见 答复书缺少复查告知 期限 10月30日`))).toContain('已通知县住房和城乡建设局在2026年10月30日（周五）前整改');
    await say(app, 'unit-zj', `整改 ${r.review_no} 已补发告知书`);
    const back = buttonValue([{ type: 'card', card: (await outbox(app.core.db)).filter((m) => m.to === 'staff-1').pop()!.card }], '退回重改')!;
    expect(readable(await click(app, 'staff-1', back, { reason: '未附送达回证' }))).toContain('退回县住房和城乡建设局重新整改');
    expect(cardText((await outbox(app.core.db)).pop()!.card)).toContain('未附送达回证');
    expect((await app.core.db('reviews').where({ id: r.id }).first()).status).toBe('rectifying');

    const [p] = await app.core.db('reviews').where({ status: 'pending' }).orderBy('review_no');
    expect(readable(await say(app, 'staff-1', `评查 ${p.case_no} 规范`))).toContain('结论：办理规范，评查结束');
    expect((await app.core.db('reviews').where({ id: p.id }).first()).open_case_id).toBeNull();
    expect(readable(await say(app, 'staff-1', '评查 2026-000501'))).toContain('尚未办结');

    // A concluded case no sample drew: the card saves nothing until the review is recorded.
    const count = (await reviewsOf()).length;
    const single = await say(app, 'staff-1', '评查 2026-000401');
    expect(readable(single)).toContain('该事项未被抽中，记录后即单独立项评查');
    expect(await reviewsOf()).toHaveLength(count);
    expect(readable(await click(app, 'staff-1', buttonValue(single, '办理规范')!))).toContain('已记录评查 PC2026-0009（案件 2026-000401）');
    expect(readable(await say(app, 'unit-zr', '评查 2026-000101'))).toContain('没有使用该功能的权限');
  });

  test('评查台账 shows the figures and every entry; the CLI lists the same as JSON', async () => {
    const t = readable(await say(app, 'staff-1', '评查台账 2026'));
    expect(t).toContain('评查 **4** 件，发现问题 **3** 个（涉及 2 件），已整改 **2** 个；待评查 5 件');
    for (const r of await reviewsOf()) expect(t).toContain(r.review_no);
    expect(readable(await say(app, 'staff-1', '评查台账 2025'))).toContain('这个时间段还没有评查记录');
    expect(readable(await say(app, 'staff-1', '评查台账 明年'))).toContain('看不懂时间段');

    const list = await xinfang(['reviews', 'list', '--period', '2026', '--json'], { DATABASE_URL: url });
    expect(list.code).toBe(0);
    const json = JSON.parse(list.stdout);
    expect(json.figures).toEqual({ reviewed: 4, withProblems: 2, problems: 3, fixed: 2 });
    expect(json.reviews).toHaveLength(9);
    expect(json.reviews.find((r: any) => r.status === 'fixed')).toMatchObject({ problems: ['答复不规范', '超期办结'], fixUnit: UNITS.zr, reviewer: 'staff-1' });
  });
});
