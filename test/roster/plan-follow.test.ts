import type { Core } from '../../src/platform/core/feature';
import { formatChineseDate, parseHolidayFile } from '../../src/platform/calendar/domain';
import { importHolidays } from '../../src/platform/cli/holiday-import';
import { createRosterFeature } from '../../src/roster';
import { findDoubleBookings } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import type { SessionView } from '../../src/roster/session-view';
import { toLike } from '../../src/roster/session-view';
import { freshDb, testDialects } from '../helpers/db';
import { seedMiniCounty, testCore } from './fixtures';
import { holidayFileOf } from './holiday-fixture';

/** 2 December 2026, 10:00 in Shanghai: the State Council's 2027 notice is out, the 2027 plan provisional. */
const DECEMBER = new Date('2026-12-02T02:00:00Z');
const file2027 = parseHolidayFile(holidayFileOf(2027));

describe.each(testDialects())('the 2027 plan through the holiday import and --replace ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  let provisional: SessionView[];
  const clock = { now: DECEMBER };
  const year = async () => roster.store.sessions.listSessions({ year: 2027, includeCancelled: true });
  const followRows = async () => core.db('outbox').where('source', 'like', 'roster-follow:%').orderBy('id');
  const importOnce = (dryRun: boolean) => importHolidays(core, [createRosterFeature(core)], file2027, { source: 'test-2027.json', dryRun });
  const onRestDay = (s: SessionView) => !file2027.overrides.every((o) => o.date !== s.date || o.kind !== 'holiday');

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
    const r = await roster.plans.generate(2027, { allowProvisional: true, by: 'test' });
    expect(r.provisional).toBe(true);
    provisional = await year();
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('--dry-run reports the moves and saves nothing', async () => {
    const r = await importOnce(true);
    const section = r.sections.find((s) => s.title === '接访安排')!;
    expect(section.counts.moved).toBeGreaterThan(10);
    expect(section.counts.madeFinal).toBe(provisional.length - section.counts.cancelled);
    expect(await year()).toEqual(provisional);
    expect(await followRows()).toEqual([]);
    expect((await roster.store.sessions.getPlan(2027))!.provisional).toBe(true);
  });

  test('the import moves sessions off the new rest days, keeping id and UID, SEQUENCE + 1, and tells each leader and venue group once', async () => {
    const stuckBefore = provisional.filter(onRestDay);
    expect(stuckBefore.length).toBeGreaterThan(10);
    const r = await importOnce(false);
    const section = r.sections.find((s) => s.title === '接访安排')!;
    const after = await year();
    const idUid = (list: SessionView[]) => list.map((s) => `${s.id}:${s.uid}`).sort();
    expect(idUid(after)).toEqual(idUid(provisional));
    const moved = after.filter((s) => s.sequence === 1 && s.status !== 'cancelled');
    expect(moved.length).toBe(section.counts.moved);
    expect(section.counts.moved + section.counts.cancelled).toBe(stuckBefore.length);
    for (const s of moved) {
      const was = provisional.find((p) => p.id === s.id)!;
      expect(onRestDay(was)).toBe(true);
      expect(s.status).toBe('changed');
      expect(core.calendar.calendar.isWorkingDay(s.date)).toBe(true);
      // Within the rule's period: the week for the weekly town days, the month for the centre.
      if (s.ruleId === 'county-center-monthly') expect(s.date.slice(0, 7)).toBe(was.date.slice(0, 7));
    }
    expect(findDoubleBookings(after.filter((s) => s.status !== 'cancelled').map(toLike))).toEqual([]);
    // None left standing on a rest day: what could not move is cancelled (SEQUENCE + 1), listed with its number.
    const left = after.filter((s) => onRestDay(s));
    expect(left).toHaveLength(section.counts.cancelled);
    for (const s of left) {
      expect([s.status, s.sequence]).toEqual(['cancelled', 1]);
      expect(section.lines.some((l) => l.includes(`编号 ${s.id}`) && l.includes('已取消'))).toBe(true);
    }
    // Each move in the report as the bureau reads it: 2027年2月8日（周一）全天 林启航 县群众来访接待中心 → 2027年2月15日（周一）（2月8日为春节假日）.
    for (const s of moved) {
      const was = provisional.find((p) => p.id === s.id)!;
      const md = `${Number(was.date.slice(5, 7))}月${Number(was.date.slice(8, 10))}日`;
      const name = file2027.overrides.find((o) => o.date === was.date)!.name;
      expect(section.lines).toContain(`${formatChineseDate(was.date)}全天 ${s.leaders[0].name} ${s.venueName} → ${formatChineseDate(s.date)}（${md}为${name}假日）`);
      expect(section.lines.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    // One message per leader and per venue group, listing all theirs.
    const rows = await followRows();
    const targets = rows.map((o: any) => o.receive_id);
    expect(new Set(targets).size).toBe(rows.length);
    expect(rows.length).toBe(section.counts.notified);
    const movedLeaders = new Set(moved.flatMap((s) => s.leaders.map((l) => l.id)));
    for (const l of movedLeaders) expect(targets).toContain(l);
    expect(targets).toEqual(expect.arrayContaining(['oc_venue_center', 'oc_venue_yc', 'oc_venue_qg']));
    const busiest = [...movedLeaders].sort((a, b) => moved.filter((s) => s.leaders[0].id === b).length - moved.filter((s) => s.leaders[0].id === a).length)[0];
    const card = rows.find((o: any) => o.receive_id === busiest);
    const theirs = [...moved, ...left].filter((s) => s.leaders[0].id === busiest).length;
    expect((JSON.parse(card.content) as any).body.elements[1].content.split('\n').length).toBe(theirs);
    // The year is known now: the plan is final.
    expect((await roster.store.sessions.getPlan(2027))!.provisional).toBe(false);
    expect(section.counts.madeFinal).toBe(provisional.length - section.counts.cancelled);
  });

  test('the same file again changes nothing', async () => {
    const before = await year();
    const r = await importOnce(false);
    const section = r.sections.find((s) => s.title === '接访安排')!;
    expect(section.counts).toMatchObject({ moved: 0, cancelled: 0, madeFinal: 0, notified: 0 });
    expect(await year()).toEqual(before);
  });

  test('--replace then reconciles: nothing doubled, UIDs kept, nothing left on a rest day', async () => {
    const before = await year();
    const liveBefore = before.filter((s) => s.status !== 'cancelled');
    const preview = await roster.plans.previewReplace(2027);
    expect(await year()).toEqual(before);
    clock.now = new Date('2026-12-02T03:00:00Z');
    const r = await roster.plans.generate(2027, { replace: true, by: 'test' });
    expect({ added: r.added, kept: r.kept, moved: r.moved, cancelled: r.cancelled }).toEqual({
      added: preview.added, kept: preview.kept, moved: preview.moved, cancelled: preview.cancelled,
    });
    const after = await year();
    // No session row was added: the feeds hold the same events (the cancelled ones with STATUS:CANCELLED).
    expect(r.added).toBe(0);
    expect(after.map((s) => s.uid).sort()).toEqual(before.map((s) => s.uid).sort());
    const live = after.filter((s) => s.status !== 'cancelled');
    expect(live.length).toBe(liveBefore.length - r.cancelled);
    expect(findDoubleBookings(live.map(toLike))).toEqual([]);
    for (const s of live) expect(core.calendar.calendar.isWorkingDay(s.date)).toBe(true);
    // What was kept is untouched (the feeds' ETags depend on updated_at and SEQUENCE).
    const kept = after.filter((s) => s.status !== 'cancelled' && before.find((b) => b.id === s.id)!.updatedAt === s.updatedAt);
    expect(kept.length).toBe(r.kept);
    for (const s of after.filter((x) => x.status === 'cancelled' && before.find((b) => b.id === x.id)!.status !== 'cancelled')) {
      expect(core.calendar.calendar.isWorkingDay(s.date)).toBe(true);
    }
  });

  test('a second --replace changes nothing at all', async () => {
    const version = await roster.store.sessions.planVersion(2027);
    const before = await year();
    clock.now = new Date('2026-12-02T04:00:00Z');
    const r = await roster.plans.generate(2027, { replace: true, by: 'test' });
    expect({ added: r.added, moved: r.moved, cancelled: r.cancelled, notified: r.notified }).toEqual({ added: 0, moved: 0, cancelled: 0, notified: 0 });
    expect(r.kept).toBe(before.filter((s) => s.status !== 'cancelled').length);
    expect(await roster.store.sessions.planVersion(2027)).toBe(version);
    expect((await year()).map((s) => s.updatedAt)).toEqual(before.map((s) => s.updatedAt));
  });
});
