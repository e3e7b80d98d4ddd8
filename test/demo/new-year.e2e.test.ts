import fs from 'node:fs';
import request from 'supertest';
import type { App } from '../../src/app';
import { decodeHolidayFile, parseHolidayFileText } from '../../src/platform/calendar/domain';
import { importHolidays } from '../../src/platform/cli/holiday-import';
import { seedDemo } from '../../src/demo/seed-demo';
import { RosterService } from '../../src/roster';
import { makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { HOLIDAYS_2027 } from '../cases/holiday-import-fixtures';

/**
 * The demo county in December 2026, without the 2027 arrangement, through the day the bureau
 * imports it: what the issue saw go wrong, seen going right.
 */
const NOW = new Date('2026-12-02T02:00:00Z'); // 10:00 in Shanghai
const file = () => parseHolidayFileText(decodeHolidayFile(fs.readFileSync(HOLIDAYS_2027)));

async function sessions2027(app: App) {
  return app.core.db('sessions').where({ plan_year: 2027 }).whereNot('status', 'cancelled').select('id', 'uid', 'date', 'sequence', 'status');
}

async function publicFeedEvents(app: App): Promise<number> {
  const res = await request(app.http).get('/ical/public.ics');
  expect(res.status).toBe(200);
  return (res.text.match(/BEGIN:VEVENT/g) ?? []).length;
}

describe.each(testDialects())('the demo county imports the 2027 holidays ($name)', (dialect) => {
  let app: App;
  let clock = NOW;

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock });
    await app.core.calendar.reload();
    await seedDemo(app.core);
  }, 240_000);

  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('one import makes deadlines and sessions true; regenerating and importing again change nothing more', async () => {
    const db = app.core.db;
    const rest2027 = new Set(file().overrides.filter((o) => o.kind === 'holiday').map((o) => o.date));

    // Before: 2027 deadlines are estimates, and the provisional plan holds sessions on days the notice makes 春节.
    const provisionalBefore = await db('case_deadlines').where({ status: 'open', provisional: true }).count('* as n').first();
    expect(Number(provisionalBefore?.n)).toBeGreaterThan(0);
    const before = await sessions2027(app);
    const onNewRestDays = before.filter((s: any) => rest2027.has(s.date));
    expect(onNewRestDays.length).toBeGreaterThan(0);
    const feedBefore = await publicFeedEvents(app);
    expect(readable(await say(app, 'county01', '我的接访'))).toContain('暂定');

    // A dry run says what would change and saves nothing.
    const dry = await importHolidays(app.core, app.features, file(), { source: 'test', dryRun: true });
    const dryCases = dry.sections.find((s) => s.title === '办理期限')!;
    expect(dryCases.counts.moved + dryCases.counts.madeFinal).toBeGreaterThan(0);
    expect(Number((await db('case_deadlines').where({ status: 'open', provisional: true }).count('* as n').first())?.n)).toBe(Number(provisionalBefore?.n));
    expect((await sessions2027(app)).map((s: any) => `${s.uid}@${s.date}`)).toEqual(before.map((s: any) => `${s.uid}@${s.date}`));

    // The import: every open 2027 deadline final, each moved one with its entry in the case's history.
    const r = await importHolidays(app.core, app.features, file(), { source: 'test', dryRun: false });
    const cases = r.sections.find((s) => s.title === '办理期限')!;
    expect(cases.counts).toEqual(dryCases.counts);
    const stillProvisional = await db('case_deadlines').where({ status: 'open', provisional: true }).where('due_date', '<', '2028-01-01').count('* as n').first();
    expect(Number(stillProvisional?.n)).toBe(0);
    const moved = await db('case_events').where({ action: 'deadline_moved' }).count('* as n').first();
    expect(Number(moved?.n)).toBe(cases.counts.moved);
    const onHoliday = await db('case_deadlines').where({ status: 'open' }).whereIn('due_date', [...rest2027]).count('* as n').first();
    expect(Number(onHoliday?.n)).toBe(0);

    // Sessions: none left on a rest day, the moved ones keep their UID with a higher SEQUENCE, nothing doubled.
    // What could not move (an all-holiday week) is cancelled, not left standing on a holiday.
    const after = await sessions2027(app);
    expect(after.filter((s: any) => rest2027.has(s.date))).toEqual([]);
    const plan = r.sections.find((s) => s.title === '接访安排')!;
    expect(plan.counts.moved).toBeGreaterThan(0);
    expect(after.length).toBe(before.length - plan.counts.cancelled);
    const beforeUids = new Set(before.map((s: any) => s.uid));
    expect(after.filter((s: any) => !beforeUids.has(s.uid))).toEqual([]);
    const byUid = new Map(before.map((s: any) => [s.uid, s]));
    for (const s of after.filter((x: any) => onNewRestDays.some((o: any) => o.uid === x.uid))) {
      expect(Number(s.sequence)).toBe(Number(byUid.get(s.uid)!.sequence) + 1);
    }
    expect(await publicFeedEvents(app)).toBe(feedBefore);
    expect(readable(await say(app, 'county01', '我的接访'))).not.toContain('暂定');

    // Regenerating the year now reconciles: the same sessions, the same UIDs, the feed the same size.
    await new RosterService(app.core).plans.generate(2027, { replace: true, by: 'test' }, clock);
    const regenerated = await sessions2027(app);
    expect(regenerated.filter((s: any) => !beforeUids.has(s.uid))).toEqual([]);
    expect(regenerated.filter((s: any) => rest2027.has(s.date))).toEqual([]);
    expect(await publicFeedEvents(app)).toBe(feedBefore);

    // A second import of the same file changes nothing.
    const outboxBefore = await db('outbox').count('* as n').first();
    const again = await importHolidays(app.core, app.features, file(), { source: 'test', dryRun: false });
    for (const s of again.sections) expect([s.title, s.counts.moved ?? 0]).toEqual([s.title, 0]);
    expect((await db('outbox').count('* as n').first())?.n).toEqual(outboxBefore?.n);
  }, 240_000);

  test('reminders follow the corrected dates around 元旦 and 春节: no false 逾期', async () => {
    const reminders = app.jobs.find((j) => j.name === 'reminders')!;
    for (const day of ['2027-01-04', '2027-02-15']) {
      clock = new Date(`${day}T01:30:00Z`);
      await reminders.run(clock);
      clock = NOW;
    }
    // Nothing is reminded against a day the notice made a holiday: the deadlines moved before the scan ran.
    const rest2027 = file().overrides.filter((o) => o.kind === 'holiday').map((o) => o.date);
    const sent = await app.core.db('reminders').where('step_date', '>=', '2027-01-01').select('due_date', 'step', 'step_date');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r: any) => rest2027.includes(r.due_date))).toEqual([]);
    // Every 逾期 is for a deadline that had passed on the day it was sent.
    for (const r of sent.filter((x: any) => String(x.step).startsWith('overdue'))) expect(r.due_date < r.step_date).toBe(true);
  }, 120_000);
});
