import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { addDays } from '../../src/platform/calendar/domain';
import { ReminderService } from '../../src/reminders/reminder-service';
import { freshDb, testDialects } from '../helpers/db';
import { makeTestApp } from '../helpers/app';
import { addCase, featuresNamed, handling, holidayFileAt, HOLIDAYS_2027, runImport } from '../cases/holiday-import-fixtures';
import { at, cardText, CHATS, outbox, seedDirectory } from './fixtures';

describe.each(testDialects())('recorded reminders follow a deadline a holiday import moved ($name)', (dialect) => {
  let db: Knex;
  let app: App;
  let clock: Date;

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    clock = at('2026-12-10', '10:00');
    app = await makeTestApp({ db, url: fresh.url, now: () => clock });
    await seedDirectory(app.core);
  });
  afterEach(async () => {
    await db.destroy();
  });

  const importAt = async (when: Date) => {
    clock = when;
    return runImport(app.core, featuresNamed(app, ['cases', 'reminders']), holidayFileAt(HOLIDAYS_2027));
  };

  /**
   * The scan at 09:00 each day from..to (the import runs at `importOn.time` on its day, after that
   * morning's scan): per day, the step recorded, the due date it is recorded under at the end, and
   * what the unit's card said.
   */
  async function mornings(from: string, to: string, importOn?: { day: string; time: string }) {
    const said: Array<{ day: string; id: number; text: string }> = [];
    let report = null;
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const before = Number((await db('reminders').max('id as m').first())?.m ?? 0);
      clock = at(d, '09:00');
      await new ReminderService(app.core).scan(clock);
      for (const r of await db('reminders').where('id', '>', before).orderBy('id')) {
        const msg = (await outbox(db)).find((m) => m.source === `reminder:${r.id}` && m.to === CHATS.unit)!;
        const text = /今天到期|已逾期 \d+ 个工作日|剩余 \d+ 个工作日|今天是期限前最后一个工作日/.exec(cardText(msg.card))?.[0] ?? '';
        said.push({ day: d, id: Number(r.id), text });
      }
      if (importOn?.day === d) report = (await importAt(at(d, importOn.time))).sections.find((s) => s.title === '期限提醒');
    }
    const rows = new Map((await db('reminders')).map((r: any) => [Number(r.id), r]));
    const sent = said.map((x) => [x.day, rows.get(x.id).step, rows.get(x.id).due_date, x.text]);
    return { sent, report };
  }

  test('元旦 2027: a conclusion estimated for 1 January goes to 4 January; no 逾期 on the 4th, “今天到期” then', async () => {
    await addCase(app.core, '2026-000101', handling('2026-11-02')); // 2027-01-01, provisional
    // The import on the afternoon of the 29th: the next morning the new date's before-3 is already said.
    const { sent, report } = await mornings('2026-12-28', '2027-01-05', { day: '2026-12-29', time: '15:00' });
    expect(sent).toEqual([
      ['2026-12-29', 'before-3', '2027-01-04', '剩余 3 个工作日'], // sent for 1 January, now kept under the 4th
      ['2026-12-31', 'before-1', '2027-01-04', '剩余 1 个工作日'],
      ['2027-01-04', 'due', '2027-01-04', '今天到期'],
      ['2027-01-05', 'overdue-1', '2027-01-04', '已逾期 1 个工作日'],
    ]);
    expect(report).toEqual({
      feature: 'reminders',
      title: '期限提醒',
      counts: { checked: 1, rekeyed: 1, kept: 0, alreadyRecorded: 0 },
      lines: [
        '调整日期的 1 条期限已发提醒 1 条：1 条按新日期算也已到提醒日，改记到新日期下，不再重复发送；0 条留作原日期的记录，新日期的相应提醒到时照常发送。',
        '2026-000101 办结期限 到期前 3 个工作日的提醒：2027-01-01 → 2027-01-04',
      ],
    });
  });

  test('an import after “今天到期” went out for a day that was a holiday: that one stays as history and is said again on the real day', async () => {
    await addCase(app.core, '2026-000102', handling('2026-11-02'));
    const { sent, report } = await mornings('2026-12-28', '2027-01-04', { day: '2027-01-01', time: '15:00' });
    expect(sent).toEqual([
      ['2026-12-29', 'before-3', '2027-01-04', '剩余 3 个工作日'],
      ['2026-12-31', 'before-1', '2027-01-04', '剩余 1 个工作日'],
      ['2027-01-01', 'due', '2027-01-01', '今天到期'], // the old estimate: kept under 1 January
      ['2027-01-04', 'due', '2027-01-04', '今天到期'],
    ]);
    expect(report?.counts).toEqual({ checked: 3, rekeyed: 2, kept: 1, alreadyRecorded: 0 });
  });

  test('春节 2027: a deadline estimated for Monday 8 February ends on the 调休 Sunday the 14th; nothing false in between', async () => {
    clock = at('2026-12-10', '10:00');
    await addCase(app.core, '2026-000104', handling('2026-12-10')); // 2027-02-08, provisional
    const { sent, report } = await mornings('2027-02-01', '2027-02-15', { day: '2027-02-03', time: '15:00' });
    expect(sent).toEqual([
      ['2027-02-03', 'before-3', '2027-02-14', '剩余 3 个工作日'],
      ['2027-02-05', 'before-1', '2027-02-14', '剩余 1 个工作日'],
      ['2027-02-14', 'due', '2027-02-14', '今天到期'],
      ['2027-02-15', 'overdue-1', '2027-02-14', '已逾期 1 个工作日'],
    ]);
    expect(report?.counts).toEqual({ checked: 1, rekeyed: 1, kept: 0, alreadyRecorded: 0 });
  });

  test('whichever feature the importer calls first, the deadlines are recomputed once', async () => {
    await addCase(app.core, '2026-000106', handling('2026-11-02'));
    clock = at('2026-12-29', '09:00');
    await new ReminderService(app.core).scan(clock);
    clock = at('2026-12-29', '15:00');
    const r = await runImport(app.core, featuresNamed(app, ['reminders', 'cases']), holidayFileAt(HOLIDAYS_2027));
    expect(r.sections.map((s) => [s.title, s.counts])).toEqual([
      ['期限提醒', { checked: 1, rekeyed: 1, kept: 0, alreadyRecorded: 0 }],
      ['办理期限', { checked: 1, moved: 1, madeFinal: 1, cases: 1 }],
    ]);
    expect(await db('case_events').where({ action: 'deadline_moved' })).toHaveLength(1);
    expect((await db('reminders').first()).due_date).toBe('2027-01-04');
  });

  test('an import in December, before any reminder: the steps of the new date go out on their days', async () => {
    await addCase(app.core, '2026-000105', handling('2026-12-10'));
    const r = await importAt(at('2026-12-15', '10:00'));
    expect(r.sections.find((s) => s.title === '期限提醒')?.lines).toEqual(['调整日期的 1 条期限还没有发过提醒，将按新日期提醒。']);
    const { sent } = await mornings('2027-02-01', '2027-02-15');
    expect(sent.map((s) => [s[0], s[1], s[2]])).toEqual([
      ['2027-02-03', 'before-3', '2027-02-14'],
      ['2027-02-05', 'before-1', '2027-02-14'],
      ['2027-02-14', 'due', '2027-02-14'],
      ['2027-02-15', 'overdue-1', '2027-02-14'],
    ]);
  });
});
