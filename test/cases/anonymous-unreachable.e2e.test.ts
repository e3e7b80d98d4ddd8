import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { CaseService } from '../../src/cases/case-service';
import { DueDeadlineQueries, DUTY_DEADLINES, OPEN_STATUSES } from '../../src/cases';
import { ReminderService } from '../../src/reminders/reminder-service';
import type { NewCaseInput } from '../../src/cases/case-registration';
import { addUser, buttonValue, click, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

const at = (iso: string) => new Date(`${iso}+08:00`);

/** What a person reads: markdown escapes and bold marks taken out. */
const plain = (r: Outgoing[]) => readable(r).replace(/(?<!\\)\*\*/g, '').replace(/\\([\\*_~`[\]<>#|])/g, '$1');

/** Every string inside a queued card, as its reader would see it. */
function cardText(row: { content: unknown }): string {
  const card = typeof row.content === 'string' ? JSON.parse(row.content) : row.content;
  return plain([{ type: 'card', card } as Outgoing]);
}

describe.each(testDialects())('an anonymous petitioner nobody can reach, on $name', (dialect) => {
  let app: App;
  const clock = at('2026-03-02T09:00:00');
  let cases: CaseService;

  const register = async (over: Partial<NewCaseInput>) =>
    (await cases.register({
      name: '匿名', idNumber: null, phone: null, address: null, headcount: 1, channel: '来信', town: '阳城镇',
      category: '自然资源', purpose: '求决', content: '村里的宅基地被占用，知情人电话 138-1234-5678。', receivedAt: clock, sessionId: null,
      registeredBy: 'xiaoyan', ...over,
    })).record.caseNo;
  const outbox = () => app.core.db('outbox').orderBy('id');

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock });
    cases = new CaseService(app.core);
    await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    await addUser(app, 'unit-zr', 'unit', { name: '李建国', unit: '县自然资源局' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('the 交办 card to the unit says the petitioner cannot be reached and owes no written notice; the phone in the content is masked', async () => {
    const no = await register({});
    const sent = (await outbox()).length;
    await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
    const rows = (await outbox()).slice(sent);
    expect(rows.map((r: any) => r.receive_id)).toEqual(['oc_zr']);
    const seen = cardText(rows[0]);
    expect(seen).toContain('信访人匿名且未留联系方式，无法联系');
    expect(seen).toContain('无须书面告知或答复信访人');
    expect(seen).not.toContain('书面告知信访人（');
    expect(seen).not.toContain('1234');
  });

  test('the unit’s 不予受理 and 办结 forms do not ask for a notice or a reply to the petitioner', async () => {
    const no = await register({ content: '道路积水，无人处理。' });
    await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
    const card = await say(app, 'unit-zr', `查询 ${no}`);
    const viewed = await click(app, 'unit-zr', buttonValue(card, '查看') ?? { action: 'case.view', caseNo: no });
    const reject = plain(await click(app, 'unit-zr', buttonValue(viewed, '不予受理')!));
    expect(reject).not.toContain('将写入告知书');
    expect(reject).toContain('信访人无法联系');
    await say(app, 'unit-zr', `受理 ${no}`);
    const accepted = await click(app, 'unit-zr', { action: 'case.view', caseNo: no });
    const conclude = plain(await click(app, 'unit-zr', buttonValue(accepted, '办结')!));
    expect(conclude).toContain('办理结果摘要');
    expect(conclude).toContain('不作答复');
    // The 办理记录 does not claim a reply nobody could receive.
    const done = plain(await say(app, 'unit-zr', `办结 ${no} 已疏通排水沟`));
    expect(done).toContain('李建国办结（信访人无法联系，未作答复），状态由“办理中”变为“已办结”，办理结果：已疏通排水沟。');
    expect(done).not.toContain('办结并答复信访人');
  });

  test('an anonymous letter with a return address, and an identified petitioner, are told as usual', async () => {
    const usual: Array<Partial<NewCaseInput>> = [
      { address: '阳城镇东街 8 号' },
      { name: '陈秀梅', idNumber: '441823199001016012', phone: '13812345678', channel: '来访' },
    ];
    for (const over of usual) {
      const no = await register(over);
      const sent = (await outbox()).length;
      await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
      const seen = cardText((await outbox()).slice(sent)[0]);
      expect(seen).toContain('请在期限内受理并书面告知信访人');
      expect(seen).not.toContain('无法联系');
    }
  });

  test('the reminder before the 办结 deadline asks the unit for no reply to an unreachable petitioner', async () => {
    const far = await register({ content: '路灯损坏。' });
    const near = await register({ name: '陈秀梅', idNumber: '441823199001016012', phone: '13812345678', channel: '来访', content: '路灯损坏。' });
    for (const no of [far, near]) {
      await say(app, 'xiaoyan', `交办 ${no} 县自然资源局`);
      await say(app, 'unit-zr', `受理 ${no}`);
    }
    const due = await new DueDeadlineQueries(app.core.db).list('2099-12-31', DUTY_DEADLINES, OPEN_STATUSES);
    const mine = (no: string) => due.find((d) => d.caseNo === no && d.kind === 'conclusion')!;
    expect([mine(far).petitionerUnreachable, mine(near).petitionerUnreachable]).toEqual([true, false]);
    const sent = (await outbox()).length;
    await new ReminderService(app.core).scan(new Date(`${mine(far).dueDate}T09:30:00+08:00`));
    const cards = (await outbox()).slice(sent).filter((r: any) => r.receive_id === 'oc_zr').map(cardText);
    const about = (no: string) => cards.find((t) => t.includes(no))!;
    expect(about(far)).toContain('无须答复');
    expect(about(far)).not.toContain('答复信访人');
    expect(about(near)).toContain('请按期办结并答复信访人');
  });
});
