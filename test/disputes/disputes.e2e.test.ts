import type { App } from '../../src/app';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

const ID = '441823199001016015'; // valid check digit
const PHONE = '13812345678';

const BLOCK = [
  '排查登记',
  '排查类型：定期排查',
  '来源：群诉平台',
  '乡镇：阳城镇',
  '纠纷类别：自然资源',
  '纠纷概要：两户村民因宅基地边界发生争执，',
  '多次到村委会反映，情绪激动。',
  `当事人：欧阳明华 ${ID} ${PHONE}；李四`,
  '风险等级：高',
  '责任单位：阳城镇人民政府',
  '责任人：李某某 副镇长',
  '化解期限：2026-03-20',
].join('\n');

describe.each(testDialects())('矛盾纠纷排查台账 end to end on %s', (dialect) => {
  let app: App;
  const clock = { now: new Date('2026-03-02T02:00:00Z') }; // Monday 10:00 Shanghai

  beforeEach(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock.now });
    clock.now = new Date('2026-03-02T02:00:00Z');
    await addUser(app, 'staff1', 'staff');
    await addUser(app, 'zf-yc', 'unit', { unit: '阳城镇人民政府' });
    await addUser(app, 'zf-qg', 'unit', { unit: '七拱镇人民政府' });
    await addUser(app, 'leader-yc', 'leader', { town: '阳城镇' });
    await addUser(app, 'leader-qg', 'leader', { town: '七拱镇' });
  });
  afterEach(async () => app.core.db.destroy());

  async function registerByBlock(): Promise<string> {
    const summary = readable(await say(app, 'staff1', BLOCK));
    expect(summary).toContain('请确认');
    const saved = readable(await say(app, 'staff1', '确认'));
    const no = /排2026-\d{4}/.exec(saved)?.[0];
    expect(no).toBeDefined();
    return no!;
  }

  test('排查登记 by a pasted block: numbered, parties masked in a group, the unit 销号 with a result', async () => {
    const no = await registerByBlock();
    expect(no).toBe('排2026-0001');

    const mine = readable(await say(app, 'zf-yc', `排查台账 ${no}`));
    expect(mine).toContain('欧阳明华');
    expect(mine).not.toContain(ID);
    expect(mine.replace(/\\/g, '')).toContain('441823********6015');

    const group = readable(await say(app, 'zf-yc', `排查台账 ${no}`, { chatId: 'oc_group', chatType: 'group' }));
    expect(group.replace(/\\/g, '')).toContain('欧***');
    expect(group).not.toContain('欧阳明华');
    expect(group).not.toContain(PHONE);

    // Another unit can neither see nor 销号 it.
    expect(readable(await say(app, 'zf-qg', `销号 ${no} 已调解`))).toContain('无权');
    // 销号 without a result is refused and changes nothing.
    expect(readable(await say(app, 'zf-yc', `销号 ${no}`))).toContain('须写明化解情况');
    expect(readable(await say(app, 'staff1', '排查台账 在办'))).toContain(no);

    const done = readable(await say(app, 'zf-yc', `销号 ${no} 经镇村两级调解，双方签订协议，界桩已重新埋设`));
    expect(done).toContain('已销号');
    expect(readable(await say(app, 'staff1', '排查台账 已化解'))).toContain(no);
    expect(readable(await say(app, 'staff1', '排查台账 在办'))).not.toContain(no);
    const detail = readable(await say(app, 'staff1', `排查台账 ${no}`));
    expect(detail).toContain('销号（已化解）');
    expect(detail).toContain('界桩已重新埋设');
  });

  test('排查登记 in turns: a target date in the past is refused and asked again', async () => {
    await say(app, 'staff1', '排查登记');
    const answers = ['专项排查', '网格', '跳过', '七拱镇', '劳动和社会保障', '某工地拖欠 12 名工人工资约 30 万元', '王五 13912345678', '中', '七拱镇人民政府', '张某某'];
    for (const a of answers) await say(app, 'staff1', a);
    const refused = readable(await say(app, 'staff1', '2026-02-01'));
    expect(refused).toContain('已经过去');
    expect(readable(await say(app, 'staff1', '3月31日'))).toContain('请确认');
    const saved = readable(await say(app, 'staff1', '确认'));
    expect(saved).toContain('排2026-0001');
    expect(saved).toContain('2026年3月31日');

    // The leader of 七拱镇 reads it; the leader of 阳城镇 does not see it in the ledger.
    expect(readable(await say(app, 'leader-qg', '排查台账'))).toContain('排2026-0001');
    expect(readable(await say(app, 'leader-yc', '排查台账'))).not.toContain('排2026-0001');
    expect(readable(await say(app, 'leader-qg', '销号 排2026-0001 已化解完毕'))).toContain('没有使用该功能的权限');
  });

  test('the card buttons: 转为信访事项 creates a linked case; 销号 by the card form needs a result', async () => {
    const no = await registerByBlock();
    const card = await say(app, 'staff1', `排查台账 ${no}`);
    const resolveBtn = buttonValue(card, '销号')!;
    const form = await click(app, 'staff1', resolveBtn);
    const submit = buttonValue(form, '确认销号')!;
    expect(readable(await click(app, 'staff1', submit, { resolution: '' }))).toContain('须写明化解情况');

    const escalate = buttonValue(card, '转为信访事项')!;
    const out = readable(await click(app, 'staff1', escalate));
    const caseNo = /2026-\d{6}/.exec(out)?.[0];
    expect(caseNo).toBeDefined();
    expect(out).toContain('转入信访事项');
    const shown = readable(await say(app, 'staff1', `查询 ${caseNo}`));
    expect(shown).toContain(no);
    // Closed: neither 销号 nor a second escalation.
    expect(readable(await say(app, 'staff1', `销号 ${no} 已经调解好了`))).toContain('已转入信访事项');
    expect(readable(await click(app, 'staff1', escalate))).toContain('已转入信访事项');
  });

  test('排查台账 filters by town and status; a unit sees only its own', async () => {
    const a = await registerByBlock();
    await say(app, 'staff1', BLOCK.replace('乡镇：阳城镇', '乡镇：七拱镇').replace('责任单位：阳城镇人民政府', '责任单位：七拱镇人民政府'));
    const b = /排2026-\d{4}/.exec(readable(await say(app, 'staff1', '确认')))![0];
    const yc = readable(await say(app, 'staff1', '排查台账 阳城镇'));
    expect(yc).toContain(a);
    expect(yc).not.toContain(b);
    const unit = readable(await say(app, 'zf-qg', '排查台账'));
    expect(unit).toContain(b);
    expect(unit).not.toContain(a);
    expect(readable(await say(app, 'staff1', '排查台账 火星'))).toContain('看不明白');
  });
});
