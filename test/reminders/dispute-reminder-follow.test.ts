import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { DisputeService } from '../../src/disputes';
import { ReminderService } from '../../src/reminders/reminder-service';
import { makeTestApp } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { featuresNamed, holidayFile, runImport } from '../cases/holiday-import-fixtures';
import { at, cardText, outbox } from './fixtures';

/**
 * A holiday import and the disputes' reminders: the target date (the person's promise) stays; the
 * recorded steps take their days by the new calendar; nothing already said is said again, and no
 * step before one already said goes out.
 */
describe.each(testDialects())('dispute reminders across a holiday import ($name)', (dialect) => {
  let db: Knex;
  let url: string;
  let app: App;
  let clock: Date;

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    url = fresh.url;
    clock = at('2027-01-04', '10:00');
    app = await makeTestApp({ db, url, now: () => clock });
    await app.core.chats.upsert({ id: 'oc_yc', name: '阳城镇政府群', unit: '阳城镇人民政府', role: null, venueId: null });
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局群', unit: null, role: 'bureau', venueId: null });
    await app.core.users.upsert({ id: 'staff1', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await new DisputeService(app.core).register({
      screening: '定期排查', source: '网格', town: '阳城镇', category: '自然资源', summary: '宅基地边界争执',
      parties: [{ name: '欧阳明华', idNumber: null, phone: '13812345678' }], risk: '高', unit: '阳城镇人民政府', owner: '李某某',
      targetDate: '2027-01-11', // a Monday
    }, (await app.core.users.get('staff1'))!);
  });
  afterEach(async () => db.destroy());

  const morning = async (day: string) => {
    clock = at(day, '10:00');
    await new ReminderService(app.core).scan(clock);
  };
  const said = async () =>
    (await outbox(db)).filter((m) => m.source.startsWith('dispute-reminder:') && m.to === 'oc_yc')
      .map((m) => /今天到期|已逾期 \d+ 个工作日|剩余 \d+ 个工作日/.exec(cardText(m.card))?.[0]);

  test('a weekend made a working day: the target date stays, the steps said are re-dated, none is said twice or out of order', async () => {
    await morning('2027-01-07'); // Thu: 2 working days left by the estimate (Fri, Mon): the 3-day step
    await morning('2027-01-08'); // Fri: the 1-day step
    expect(await said()).toEqual(['剩余 2 个工作日', '剩余 1 个工作日']);

    // That afternoon the year's arrangement is imported: Saturday 9 and Sunday 10 January become working days.
    clock = at('2027-01-08', '15:00');
    const result = await runImport(app.core, featuresNamed(app, ['cases', 'reminders']), holidayFile({
      years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: ['2027-01-09', '2027-01-10'],
    }));
    const section = result.sections.find((s) => s.title === '期限提醒')!;
    expect(section.counts).toMatchObject({ disputesChecked: 2, disputesMoved: 2, disputesEarly: 1 });
    expect(section.lines).toContain('排2027-0001 到期前 1 个工作日的提醒日：2027-01-08 → 2027-01-10（已提前发送）');
    expect(section.lines).toContain('排2027-0001 到期前 3 个工作日的提醒日：2027-01-06 → 2027-01-08');
    const rows = await db('dispute_reminders').orderBy('id');
    expect(rows.map((r: any) => [r.target_date, r.step, r.step_date])).toEqual([
      ['2027-01-11', 'before-3', '2027-01-08'],
      ['2027-01-11', 'before-1', '2027-01-10'],
    ]);
    expect((await db('disputes').first()).target_date).toBe('2027-01-11');

    // Saturday now counts 2 working days left: not said after “1 left”; Sunday's 1-day step was said already.
    await morning('2027-01-09');
    await morning('2027-01-10');
    expect(await said()).toHaveLength(2);
    await morning('2027-01-11');
    expect(await said()).toEqual(['剩余 2 个工作日', '剩余 1 个工作日', '今天到期']);

    // reminders list names them by the dispute number, 类型 矛盾纠纷, with the new step days.
    const list = await xinfang(['reminders', 'list'], { DATABASE_URL: url });
    expect(list.stdout).toContain('排2027-0001\t矛盾纠纷化解期限（2027-01-11）\t到期前 1 个工作日\t2027-01-10 09:00');
    expect(list.stdout).toContain('类型：矛盾纠纷');
    const json = JSON.parse((await xinfang(['reminders', 'list', '--json'], { DATABASE_URL: url })).stdout);
    expect(json.map((r: any) => [r.typeLabel, r.disputeNo, r.step, r.stepDate, r.status])).toEqual([
      ['矛盾纠纷', '排2027-0001', 'before-3', '2027-01-08', 'queued'],
      ['矛盾纠纷', '排2027-0001', 'before-1', '2027-01-10', 'queued'],
      ['矛盾纠纷', '排2027-0001', 'due', '2027-01-11', 'queued'],
    ]);
  });

  test('a dry run reports the same and changes nothing; an import with no dispute reminders leaves the section as it was', async () => {
    const file = holidayFile({ years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: ['2027-01-09', '2027-01-10'] });
    clock = at('2027-01-08', '15:00');
    const none = await runImport(app.core, featuresNamed(app, ['cases', 'reminders']), file, true);
    expect(none.sections.find((s) => s.title === '期限提醒')!.counts).not.toHaveProperty('disputesChecked');
    await morning('2027-01-08');
    clock = at('2027-01-08', '15:00');
    const dry = await runImport(app.core, featuresNamed(app, ['cases', 'reminders']), file, true);
    expect(dry.sections.find((s) => s.title === '期限提醒')!.counts).toMatchObject({ disputesChecked: 1, disputesMoved: 1, disputesEarly: 1 });
    expect((await db('dispute_reminders').first()).step_date).toBe('2027-01-08');
  });
});
