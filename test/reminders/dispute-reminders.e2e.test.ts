import type { App } from '../../src/app';
import { DisputeService } from '../../src/disputes';
import { addUser, buttonValue, click, makeTestApp, readable } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

describe.each(testDialects())('reminders of a dispute target date on %s', (dialect) => {
  let app: App;
  const clock = { now: new Date('2026-03-02T02:00:00Z') };
  const at = (iso: string) => {
    clock.now = new Date(iso);
    return app.jobs.find((j) => j.name === 'reminders')!.run(clock.now);
  };
  const sentTo = async (chat: string) =>
    (await app.core.db('outbox').where({ receive_id: chat }).where('source', 'like', 'dispute-reminder:%').orderBy('id')).map((r: any) => JSON.parse(r.content));

  beforeEach(async () => {
    const { db, url } = await freshDb(dialect);
    clock.now = new Date('2026-03-02T02:00:00Z');
    app = await makeTestApp({ db, url, now: () => clock.now });
    await addUser(app, 'staff1', 'staff');
    await addUser(app, 'zf-yc', 'unit', { unit: '阳城镇人民政府' });
    await addUser(app, 'director', 'admin', { title: '局长' });
    await app.core.chats.upsert({ id: 'oc_yc', name: '阳城镇政府群', unit: '阳城镇人民政府', role: null, venueId: null });
    await app.core.chats.upsert({ id: 'oc_sup', name: '督查群', unit: null, role: 'supervision', venueId: null });
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局群', unit: null, role: 'bureau', venueId: null });
    const staff = (await app.core.users.get('staff1'))!;
    await new DisputeService(app.core).register({
      screening: '定期排查', source: '网格', town: '阳城镇', category: '自然资源', summary: '宅基地边界争执',
      parties: [{ name: '欧阳明华', idNumber: null, phone: '13812345678' }], risk: '高', unit: '阳城镇人民政府', owner: '李某某',
      targetDate: '2026-03-20',
    }, staff);
  });
  afterEach(async () => app.core.db.destroy());

  test('the unit is reminded before the target date, once per step, never at night; overdue goes to supervision, then the director', async () => {
    await at('2026-03-16T02:00:00Z'); // 4 working days before: nothing yet
    expect(await sentTo('oc_yc')).toHaveLength(0);

    const quiet = await at('2026-03-17T14:00:00Z'); // 22:00 in Shanghai
    expect(quiet).toContain('非工作时间');
    expect(await sentTo('oc_yc')).toHaveLength(0);

    const said = await at('2026-03-17T02:00:00Z'); // 3 working days before, 10:00
    expect(said).toContain('矛盾纠纷化解期限应提醒 1 件');
    const first = await sentTo('oc_yc');
    expect(first).toHaveLength(1);
    const text = readable([{ type: 'card', card: first[0] }]);
    expect(text).toContain('排2026-0001');
    expect(text).toContain('剩余 3 个工作日');
    expect(text).not.toContain('欧阳');
    expect(text).not.toContain('13812345678');

    await at('2026-03-17T03:00:00Z'); // the same step again: not sent twice
    expect(await sentTo('oc_yc')).toHaveLength(1);

    await at('2026-03-23T02:00:00Z'); // 1 working day overdue
    expect(await sentTo('oc_yc')).toHaveLength(2);
    const sup = await sentTo('oc_sup');
    expect(sup).toHaveLength(1);
    expect(readable([{ type: 'card', card: sup[0] }])).toContain('已超期未化解');

    await at('2026-03-25T02:00:00Z'); // 3 working days overdue: the director too
    const dir = await app.core.db('outbox').where({ receive_id: 'director' }).where('source', 'like', 'dispute-reminder:%');
    expect(dir).toHaveLength(1);

    // The unit's button opens the 销号 form; once resolved, no more reminders.
    const btn = buttonValue([{ type: 'card', card: first[0] }], '销号')!;
    const form = await click(app, 'zf-yc', btn);
    const submit = buttonValue(form, '确认销号')!;
    expect(readable(await click(app, 'zf-yc', submit, { resolution: '双方达成调解协议并已履行' }))).toContain('已销号');
    await at('2026-03-26T02:00:00Z');
    expect(await sentTo('oc_yc')).toHaveLength(3);
  });
});
