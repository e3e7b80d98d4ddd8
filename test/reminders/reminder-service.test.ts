import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { addDays } from '../../src/platform/calendar/domain';
import type { Core } from '../../src/platform/core/feature';
import { ReminderService } from '../../src/reminders/reminder-service';
import { freshDb, testDialects } from '../helpers/db';
import { at, cardText, caseWithDeadline, CHATS, ID_NUMBER, insertCase, insertDeadline, outbox, PHONE, seedDirectory, testCore } from './fixtures';

describe.each(testDialects())('the deadline scan ($name)', (dialect) => {
  let db: Knex;
  let url: string;
  let core: Core;
  let svc: ReminderService;

  beforeEach(async () => {
    ({ db, url } = await freshDb(dialect));
    core = await testCore(db, { DATABASE_URL: url });
    await seedDirectory(core);
    svc = new ReminderService(core);
  });
  afterEach(async () => {
    await db.destroy();
  });

  /** Runs the scan at 09:00 each day from..to and returns who got which step on which day. */
  async function everyMorning(from: string, to: string): Promise<Array<[string, string, string[]]>> {
    const out: Array<[string, string, string[]]> = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const before = (await db('reminders').max('id as m').first())?.m ?? 0;
      await svc.scan(at(d, '09:00'));
      const rows = await db('reminders').where('id', '>', before).orderBy('id');
      for (const r of rows) out.push([d, r.step, JSON.parse(r.recipients).map((x: { role: string }) => x.role)]);
    }
    return out;
  }

  test('National Day 2025: which reminders go out, on which days, to whom', async () => {
    const { caseId } = await caseWithDeadline(db, { caseNo: '2025-000101', leaderId: 'ld-1' }, 'conclusion', '2025-10-09');
    const sent = await everyMorning('2025-09-25', '2025-10-14');
    expect(sent).toEqual([
      ['2025-09-28', 'before-3', ['unit']],
      ['2025-09-30', 'before-1', ['unit']],
      ['2025-10-09', 'due', ['unit']],
      ['2025-10-10', 'overdue-1', ['unit', 'supervision']],
      ['2025-10-11', 'overdue-2', ['unit', 'supervision']],
      ['2025-10-13', 'overdue-3', ['unit', 'supervision', 'leader']],
      ['2025-10-14', 'overdue-4', ['unit', 'supervision', 'leader']],
    ]);
    // Flagged for a 督办函 once, when it first reached 3 working days overdue.
    const flags = await db('case_events').where({ case_id: caseId, action: 'flag_letter' });
    expect(flags).toHaveLength(1);
    expect(flags[0].at.slice(0, 10)).toBe('2025-10-13');

    const msgs = await outbox(db);
    expect(msgs.filter((m) => m.to === CHATS.unit)).toHaveLength(7);
    expect(msgs.filter((m) => m.to === CHATS.supervision)).toHaveLength(4);
    const toLeader = msgs.filter((m) => m.to === 'ld-1');
    expect(toLeader.map((m) => m.toType)).toEqual(['open_id', 'open_id']);
  });

  test('Spring Festival 2026, supervised case without a leader: earlier steps, and the director is told', async () => {
    await caseWithDeadline(db, { caseNo: '2026-000007', supervised: true, receivedDate: '2026-02-01' }, 'acceptance_notice', '2026-02-24');
    const sent = await everyMorning('2026-02-09', '2026-02-28');
    expect(sent).toEqual([
      ['2026-02-10', 'before-5', ['unit']],
      ['2026-02-12', 'before-3', ['unit']],
      ['2026-02-14', 'before-1', ['unit']],
      ['2026-02-24', 'due', ['unit']],
      ['2026-02-25', 'overdue-1', ['unit', 'supervision']],
      ['2026-02-26', 'overdue-2', ['unit', 'supervision']],
      ['2026-02-27', 'overdue-3', ['unit', 'supervision', 'director']],
      ['2026-02-28', 'overdue-4', ['unit', 'supervision', 'director']],
    ]);
    // The director is the 局长, not the 副局长.
    expect((await outbox(db)).filter((m) => m.toType === 'open_id').map((m) => m.to)).toEqual(['dir-1', 'dir-1']);
  });

  test('the card: case number, category, deadline, days left, masked name, never ID or phone; buttons to open or report', async () => {
    await caseWithDeadline(db, { caseNo: '2025-000102', name: '欧阳明华', category: '城乡建设' }, 'conclusion', '2025-10-09');
    await svc.scan(at('2025-09-28'));
    const [m] = await outbox(db);
    expect(m.to).toBe(CHATS.unit);
    const text = cardText(m.card);
    expect(text).toContain('2025-000102');
    expect(text).toContain('城乡建设');
    expect(text).toContain('办结期限');
    expect(text).toContain('2025年10月9日');
    expect(text).toContain('剩余 3 个工作日');
    expect(text).toContain('欧\\*\\*\\*'); // 欧*** in Lark markdown, the stars escaped
    expect(text).not.toContain('欧阳明华');
    expect(JSON.stringify(m.card)).not.toContain(ID_NUMBER.slice(6, 14));
    expect(JSON.stringify(m.card)).not.toContain(PHONE);
    const buttons = JSON.stringify(m.card);
    expect(buttons).toContain(JSON.stringify({ action: 'case.view', caseNo: '2025-000102' }));
    expect(buttons).toContain(JSON.stringify({ action: 'case.progress', caseNo: '2025-000102' }));
  });

  test('quiet hours: nothing at night or on a holiday; the next working morning it goes out', async () => {
    await caseWithDeadline(db, { caseNo: '2025-000103' }, 'conclusion', '2025-10-09');
    // The evening of 9/30 and every day of the holiday: quiet.
    for (const when of [at('2025-09-30', '18:00'), at('2025-10-01', '10:00'), at('2025-10-05', '03:00'), at('2025-10-09', '08:59')]) {
      const r = await svc.scan(when);
      expect(r.quiet).toBe(true);
      expect(r.nextWorkingTime?.toISOString()).toBe(at('2025-10-09', '09:00').toISOString());
    }
    expect(await outbox(db)).toHaveLength(0);
    const r = await svc.scan(at('2025-10-09', '09:00'));
    expect(r.quiet).toBe(false);
    const msgs = await outbox(db);
    expect(msgs).toHaveLength(1);
    expect(cardText(msgs[0].card)).toContain('今天到期');
  });

  test('a reminder time before office hours waits for the opening; a later one waits for its hour', async () => {
    const early = new ReminderService(await testCore(db, { DATABASE_URL: url, REMINDERS_TIME: '07:00' }));
    const late = new ReminderService(await testCore(db, { DATABASE_URL: url, REMINDERS_TIME: '14:00' }));
    await caseWithDeadline(db, { caseNo: '2025-000104' }, 'conclusion', '2025-09-30');
    expect((await early.scan(at('2025-09-29', '07:30'))).quiet).toBe(true);
    expect((await late.scan(at('2025-09-29', '10:00'))).recorded).toBe(0);
    expect((await late.scan(at('2025-09-29', '14:00'))).recorded).toBe(1);
    const [r] = await db('reminders');
    expect(r.due_at).toBe('2025-09-29 06:00:00.000'); // 14:00 Shanghai
  });

  test('exactly once: re-runs the same day, later runs that day, and a restart add nothing', async () => {
    for (let i = 0; i < 5; i++) await insertDeadline(db, await insertCase(db, { caseNo: `2025-00020${i}` }), 'conclusion', '2025-10-09');
    const first = await svc.scan(at('2025-10-10', '09:00'));
    expect(first).toMatchObject({ due: 5, recorded: 5, messages: 10 });
    const again = await svc.scan(at('2025-10-10', '09:00'));
    expect(again).toMatchObject({ due: 5, recorded: 0, messages: 0 });
    const restarted = new ReminderService(await testCore(db, { DATABASE_URL: url }));
    expect((await restarted.scan(at('2025-10-10', '16:00'))).recorded).toBe(0);
    expect(await outbox(db)).toHaveLength(10);
  });

  test('two scans at the same instant (no lease, separate connections) queue one set', async () => {
    const db2 = await openDatabase(url);
    try {
      const other = new ReminderService(await testCore(db2, { DATABASE_URL: url }));
      for (let i = 0; i < 30; i++) await insertDeadline(db, await insertCase(db, { caseNo: `2025-0003${String(i).padStart(2, '0')}` }), 'conclusion', '2025-10-13');
      const [a, b] = await Promise.all([svc.scan(at('2025-10-13')), other.scan(at('2025-10-13'))]);
      expect(a.recorded + b.recorded).toBe(30);
      const msgs = await outbox(db);
      expect(msgs).toHaveLength(30);
      expect(new Set(msgs.map((m) => m.source)).size).toBe(30);
    } finally {
      await db2.destroy();
    }
  });

  test('a crash before commit leaves nothing; a crash after a batch committed resumes without duplicates', async () => {
    svc = new ReminderService(core, 200); // batches of 200
    for (let i = 0; i < 450; i++) {
      const id = await insertCase(db, { caseNo: `2025-${String(1000 + i).padStart(6, '0')}` });
      await insertDeadline(db, id, 'conclusion', '2025-10-09');
    }
    // The process dies inside the first batch's transaction, after queueing its messages.
    await expect(svc.scan(at('2025-10-09'), { beforeCommit: () => { throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(await db('reminders').count('* as n').first()).toMatchObject({ n: 0 });
    expect(await outbox(db)).toHaveLength(0);
    // It dies after the first batch committed (on MySQL the batch written beside it may have committed too).
    await expect(svc.scan(at('2025-10-09'), { afterCommit: () => { throw new Error('killed'); } })).rejects.toThrow('killed');
    const committed = Number((await db('reminders').count('* as n').first())!.n);
    expect(dialect.name === 'sqlite' ? [200] : [200, 400]).toContain(committed);
    expect(await outbox(db)).toHaveLength(committed);
    // The run after the restart queues the rest, and nothing twice.
    const r = await svc.scan(at('2025-10-09', '10:00'));
    expect(r.recorded).toBe(450 - committed);
    const msgs = await outbox(db);
    expect(msgs).toHaveLength(450);
    expect(new Set(msgs.map((m) => m.source)).size).toBe(450);
  });

  test('only open deadlines of open cases get reminders; an extension starts its steps again', async () => {
    const a = await insertCase(db, { caseNo: '2025-000401' });
    await insertDeadline(db, a, 'conclusion', '2025-10-09', { status: 'met' });
    const b = await insertCase(db, { caseNo: '2025-000402', status: 'concluded' });
    await insertDeadline(db, b, 'conclusion', '2025-10-09');
    const c = await insertCase(db, { caseNo: '2025-000403' });
    await insertDeadline(db, c, 'review_request', '2025-10-09'); // the petitioner's window: no reminder
    const d = await insertCase(db, { caseNo: '2025-000404' });
    const dl = await insertDeadline(db, d, 'conclusion', '2025-10-09');
    await svc.scan(at('2025-10-09'));
    expect((await db('reminders')).map((r: any) => [r.case_id, r.step])).toEqual([[d, 'due']]);
    // Extended by 30 days (the case service updates the due date in place): before-3 again, for the new date.
    await db('case_deadlines').where({ id: dl }).update({ due_date: '2025-11-10' });
    await svc.scan(at('2025-11-05'));
    expect((await db('reminders').orderBy('id')).map((r: any) => [r.due_date, r.step])).toEqual([
      ['2025-10-09', 'due'],
      ['2025-11-10', 'before-3'],
    ]);
  });

  test('routing: the unit contact when the unit has no group; the bureau group when it has neither; the bureau for its own deadline', async () => {
    const a = await insertCase(db, { caseNo: '2025-000501', unit: '县住建局' });
    await insertDeadline(db, a, 'conclusion', '2025-10-09', { unit: '县住建局' });
    await core.users.upsert({ id: 'unit-zj', name: '赵住建', role: 'unit', unit: '县住建局', town: null, title: null });
    const b = await insertCase(db, { caseNo: '2025-000502', unit: '县交通运输局' });
    await insertDeadline(db, b, 'conclusion', '2025-10-09', { unit: '县交通运输局' });
    const c = await insertCase(db, { caseNo: '2025-000503', unit: null, status: 'registered' });
    await insertDeadline(db, c, 'decision', '2025-10-09');
    await svc.scan(at('2025-10-09'));
    const msgs = await outbox(db);
    const to = (caseNo: string) => msgs.filter((m) => cardText(m.card).includes(caseNo)).map((m) => m.to);
    expect(to('2025-000501')).toEqual(['unit-zj']);
    expect(to('2025-000502')).toEqual([CHATS.bureau]);
    expect(to('2025-000503')).toEqual([CHATS.bureau]);
    expect(cardText(msgs.find((m) => cardText(m.card).includes('2025-000502'))!.card)).toContain('承办单位未登记群聊');
  });

  test('with no group at all, nothing is recorded, so the reminder goes out once a group is registered', async () => {
    await db('chats').delete();
    await db('users').where({ role: 'unit' }).delete();
    await caseWithDeadline(db, { caseNo: '2025-000601' }, 'conclusion', '2025-10-09');
    const r = await svc.scan(at('2025-10-09'));
    expect(r.unroutable).toEqual(['2025-000601']);
    expect(ReminderService.describe(r)).toContain('无人可发');
    await seedDirectory(core);
    expect((await svc.scan(at('2025-10-09', '11:00'))).recorded).toBe(1);
  });
});
