import type { App } from '../../src/app';
import { CaseService } from '../../src/cases/case-service';
import type { Outgoing } from '../../src/platform/chat/messages';
import { addUser, buttonValue, click, makeTestApp, readable } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';

/**
 * An overdue case told up the escalation: the unit's group, the supervision group, the 包案 leader
 * and (for a case without one) the director each get a card whose next steps they may take.
 */
describe('reminder cards offer only what the reader may do', () => {
  let app: App;
  const clock = { now: new Date('2026-03-02T02:00:00Z') }; // Monday 10:00 in Shanghai
  let owned = '';
  let unowned = '';
  const cardTo = async (receiveId: string, caseNo: string): Promise<Outgoing[]> => {
    const rows = await app.core.db('outbox').where({ receive_id: receiveId }).where('source', 'like', 'reminder:%').orderBy('id');
    const cards = rows.map((r) => JSON.parse(r.content)).filter((c) => JSON.stringify(c).includes(caseNo));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(checkCard(c)).toEqual([]);
    return [{ type: 'card', card: cards[cards.length - 1] }];
  };

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => clock.now });
    await addUser(app, 'staff1', 'staff');
    await addUser(app, 'director', 'admin', { name: '局长甲', title: '局长' });
    await addUser(app, 'ld1', 'leader', { name: '林启航', title: '县委书记' });
    await addUser(app, 'zr', 'unit', { unit: '县自然资源局' });
    await app.core.chats.upsert({ id: 'oc_zr', name: '自然资源局群', unit: '县自然资源局', role: null, venueId: null });
    await app.core.chats.upsert({ id: 'oc_sup', name: '督查群', unit: null, role: 'supervision', venueId: null });
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局群', unit: null, role: 'bureau', venueId: null });

    const cases = new CaseService(app.core);
    const staff = (await app.core.users.get('staff1'))!;
    const register = async (name: string) => (await cases.register({
      name, idNumber: null, phone: '13812345678', address: null, headcount: 1, channel: '来访', town: '阳城镇',
      category: '自然资源', purpose: null, content: '反映土地被占用的问题', receivedAt: clock.now, sessionId: null, registeredBy: 'staff1',
    })).record.caseNo;
    owned = await register('欧阳明华');
    unowned = await register('司马青');
    for (const no of [owned, unowned]) await cases.transition(no, { action: 'assign', unit: '县自然资源局' }, staff);
    await cases.transition(owned, { action: 'own', leaderId: 'ld1' }, staff);

    // The acceptance notice fell due on 3/17; on Friday 3/20 it is 3 working days overdue: the leader's step.
    clock.now = new Date('2026-03-20T02:00:00Z');
    await app.jobs.find((j) => j.name === 'reminders')!.run(clock.now);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('the 包案 leader’s card suggests no 督办函; they may look, supervise and put an instruction on record', async () => {
    const c = await cardTo('ld1', owned);
    const t = readable(c);
    expect(t).not.toContain('督办函');
    expect(t).not.toContain('提醒函');
    expect(t).toContain('查询');
    expect(readable(await click(app, 'ld1', buttonValue(c, '查看案件')!))).toContain(owned);
    for (const label of ['挂牌督办', '报告进展']) {
      const opened = readable(await click(app, 'ld1', buttonValue(c, label)!));
      expect(opened).not.toMatch(/不能|无权|权限/);
      expect(opened).toContain(owned);
    }
  });

  test('the supervision group (bureau staff) is told to send the 督办函; the director likewise', async () => {
    const sup = readable(await cardTo('oc_sup', owned));
    expect(sup).toContain(`督办函 ${owned}`);
    const dir = await cardTo('director', unowned);
    expect(readable(dir)).toContain(`督办函 ${unowned}`);
    expect(readable(await click(app, 'director', buttonValue(dir, '挂牌督办')!))).toContain(unowned);
  });

  test('the unit’s group gets its own steps — accept or not, 退回 — and never a letter', async () => {
    const c = await cardTo('oc_zr', owned);
    const t = readable(c);
    expect(t).not.toContain('督办函');
    expect(t).toContain('受理');
    expect(t).toContain(`退回 ${owned}`);
    expect(buttonValue(c, '挂牌督办')).toBeNull();
    expect(readable(await click(app, 'zr', buttonValue(c, '报告进展')!))).toContain(owned);
  });
});
