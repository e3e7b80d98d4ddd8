import type { Knex } from 'knex';
import type { Core } from '../../src/platform/core/feature';
import { ReminderService } from '../../src/reminders/reminder-service';
import { freshDb, testDialects } from '../helpers/db';
import { at, insertCase, insertDeadline, outbox, seedDirectory, testCore } from './fixtures';

/** Working days from 3 Nov to 17 Nov 2025: seven overdue at the scan, today, three ahead (each has a step). */
const DUE_DATES = ['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06', '2025-11-07', '2025-11-10', '2025-11-11', '2025-11-12', '2025-11-13', '2025-11-14', '2025-11-17'];
const SCAN_DAY = '2025-11-12';
/** Overdue by 3 working days or more on the scan day: told to the leader or director, flagged for a 督办函. */
const FLAGGED_DATES = ['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06', '2025-11-07'];
const UNITS = ['县自然资源局', '县住建局', '阳城镇人民政府'];
const N = 600;

describe.each(testDialects())('a morning with many deadlines due ($name)', (dialect) => {
  let db: Knex;
  let url: string;
  let core: Core;

  beforeEach(async () => {
    ({ db, url } = await freshDb(dialect));
    core = await testCore(db, { DATABASE_URL: url });
    await seedDirectory(core);
    await core.chats.upsert({ id: 'oc_unit_zj', name: '县住建局信访工作群', unit: '县住建局', role: null, venueId: null });
    // 阳城镇 has no group: its contact is told in person.
    await core.users.upsert({ id: 'unit-yc', name: '黄海', role: 'unit', unit: '阳城镇人民政府', town: '阳城镇', title: null });
  });
  afterEach(async () => {
    await db.destroy();
  });

  test(`${N} deadlines due: each gets its reminder once, to each of its people once; the next runs send nothing`, async () => {
    const deadlines: Array<{ id: number; dueDate: string }> = [];
    for (let i = 0; i < N; i++) {
      const unit = UNITS[i % UNITS.length];
      const caseId = await insertCase(db, { caseNo: `2025-${String(5000 + i).padStart(6, '0')}`, unit, leaderId: i % 7 === 0 ? 'ld-1' : null, supervised: i % 11 === 0 });
      const dueDate = DUE_DATES[i % DUE_DATES.length];
      deadlines.push({ id: await insertDeadline(db, caseId, 'conclusion', dueDate, { unit }), dueDate });
    }
    const svc = new ReminderService(core);

    const first = await svc.scan(at(SCAN_DAY, '09:00'));
    expect(first).toMatchObject({ read: N, due: N, recorded: N, unroutable: [] });
    const flagged = deadlines.filter((d) => FLAGGED_DATES.includes(d.dueDate)).length;
    expect(first.flagged).toBe(flagged);

    // One reminder per deadline, each with one message per recipient, and nobody told twice.
    const reminders = await db('reminders').orderBy('id');
    expect(new Set(reminders.map((r: any) => Number(r.deadline_id)))).toEqual(new Set(deadlines.map((d) => d.id)));
    const msgs = await outbox(db);
    expect(msgs).toHaveLength(first.messages);
    const pairs = msgs.map((m) => `${m.source}→${m.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const r of reminders) {
      const to = msgs.filter((m) => m.source === `reminder:${r.id}`).map((m) => m.to).sort();
      expect(to).toEqual(JSON.parse(r.recipients).map((x: { id: string }) => x.id).sort());
    }
    // The escalated ones reached supervision and the leader or the director; the unit without a group, its contact.
    expect(msgs.filter((m) => m.to === 'oc_supervision')).toHaveLength(deadlines.filter((d) => d.dueDate < SCAN_DAY).length);
    expect(msgs.filter((m) => m.to === 'ld-1' || m.to === 'dir-1')).toHaveLength(flagged);
    expect(msgs.filter((m) => m.to === 'unit-yc')).toHaveLength(N / UNITS.length);
    expect(await db('case_events').where('action', 'flag_letter').count('* as n').first()).toMatchObject({ n: flagged });

    // Again the same morning, and in the afternoon: nothing more.
    for (const time of ['09:00', '15:30']) {
      const again = await svc.scan(at(SCAN_DAY, time));
      expect(again).toMatchObject({ due: N, recorded: 0, messages: 0, flagged: 0 });
    }
    expect(await outbox(db)).toHaveLength(first.messages);
    expect(await db('case_events').where('action', 'flag_letter').count('* as n').first()).toMatchObject({ n: flagged });
  });
});
