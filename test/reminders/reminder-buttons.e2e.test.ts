import type { App } from '../../src/app';
import { CaseService } from '../../src/cases/case-service';
import { addUser, buttonValue, click, makeTestApp, readable } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

test('a unit clicks the buttons of a deadline reminder card and gets the case and the progress form', async () => {
  const clock = { now: new Date('2026-03-02T02:00:00Z') }; // Monday 10:00 in Shanghai
  const { db, url } = await freshDb(testDialects()[0]);
  const app: App = await makeTestApp({ db, url, now: () => clock.now });
  await addUser(app, 'staff1', 'staff');
  await addUser(app, 'zr', 'unit', { unit: '县自然资源局' });
  await app.core.chats.upsert({ id: 'oc_zr', name: '自然资源局群', unit: '县自然资源局', role: null, venueId: null });

  const cases = new CaseService(app.core);
  const staff = (await app.core.users.get('staff1'))!;
  const { record } = await cases.register({
    name: '欧阳明华', idNumber: null, phone: '13812345678', address: null, headcount: 1, channel: '来访', town: '阳城镇',
    category: '自然资源', purpose: null, content: '反映土地被占用的问题', receivedAt: clock.now, sessionId: null, registeredBy: 'staff1',
  });
  await cases.transition(record.caseNo, { action: 'assign', unit: '县自然资源局' }, staff);

  // The acceptance notice falls due 15 days after 交办 (3/17); 3 working days before is 3/12.
  clock.now = new Date('2026-03-12T01:30:00Z');
  const reminders = app.jobs.find((j) => j.name === 'reminders')!;
  await reminders.run(clock.now);
  const row = await db('outbox').where({ receive_id: 'oc_zr' }).where('source', 'like', 'reminder:%').first();
  expect(row).toBeDefined();
  const reminderCard = [{ type: 'card' as const, card: JSON.parse(row.content) }];

  const open = buttonValue(reminderCard, '查看案件')!;
  const opened = readable(await click(app, 'zr', open));
  expect(opened).toContain(record.caseNo);
  expect(opened).not.toContain('失效');
  const progress = buttonValue(reminderCard, '报告进展')!;
  const form = readable(await click(app, 'zr', progress));
  expect(form).toContain(record.caseNo);
  expect(form).not.toContain('失效');
  await db.destroy();
});
