import { findDoubleBookings } from '../../src/roster/domain';
import type { Core } from '../../src/platform/core/feature';
import { seedDemo } from '../../src/demo/seed-demo';
import { RosterService } from '../../src/roster/roster-service';
import { toLike } from '../../src/roster/session-view';
import { freshDb, testDialects } from '../helpers/db';
import { insertCase, MONDAY, seedMiniCounty, testCore } from './fixtures';
import type { PlanSession } from '../../src/roster/domain';

const one = (date: string, venueId: string, leader: string, type: PlanSession['type'] = '接访'): PlanSession => ({
  date, slot: '全天', startTime: '08:30', endTime: '17:30', type, venueId, leaderIds: [leader], accompanyUnits: [], focus: null,
  capacity: null, ruleId: null, substituteFor: null, note: null,
});

describe.each(testDialects())('roster plan in the database ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('generates the rest of the year from today, on working days, with nobody double-booked', async () => {
    const r = await roster.plans.generate(2026, { by: 'test' });
    expect(r.placed).toBeGreaterThan(300);
    const sessions = await roster.store.sessions.listSessions({ year: 2026 });
    expect(sessions).toHaveLength(r.placed);
    expect(sessions[0].date >= '2026-03-02').toBe(true);
    expect(findDoubleBookings(sessions.map(toLike))).toEqual([]);
    for (const s of sessions) expect(core.calendar.calendar.isWorkingDay(s.date)).toBe(true);
    expect(sessions.every((s) => s.status === 'planned' && s.sequence === 0 && s.leaders.length === 1)).toBe(true);
    const plan = await roster.store.sessions.getPlan(2026);
    expect(plan).toMatchObject({ year: 2026, provisional: false, generatedBy: 'test' });
  });

  test('refuses to generate a year twice unless asked to replace; replacing reconciles: the past and what still holds stay, a session its leader can no longer keep moves', async () => {
    await expect(roster.plans.generate(2026)).rejects.toThrow(/已有 \d+ 场接访安排/);
    const before = await roster.store.sessions.listSessions({ year: 2026 });
    // Leave taken after the plan was made, on the day of cty1's June centre session.
    const june = before.find((s) => s.ruleId === 'county-center-monthly' && s.leaders[0].id === 'cty1' && s.date.startsWith('2026-06'))!;
    await roster.store.leaders.addUnavailability({ leaderId: 'cty1', from: june.date, to: june.date, reason: '开会' });
    clock.now = new Date('2026-06-01T02:00:00Z');
    try {
      const preview = await roster.plans.previewReplace(2026);
      const r = await roster.plans.generate(2026, { replace: true });
      expect({ added: r.added, kept: r.kept, moved: r.moved, cancelled: r.cancelled }).toEqual({
        added: preview.added, kept: preview.kept, moved: preview.moved, cancelled: preview.cancelled,
      });
      const all = await roster.store.sessions.listSessions({ year: 2026, includeCancelled: true });
      const live = all.filter((s) => s.status !== 'cancelled');
      expect(r.fixed).toBe(before.filter((s) => s.date < '2026-06-01').length);
      expect({ moved: r.moved, cancelled: r.cancelled, added: r.added }).toEqual({ moved: 1, cancelled: 0, added: 0 });
      expect(all.map((s) => s.uid).sort()).toEqual(before.map((s) => s.uid).sort());
      // The one that moved keeps its number and UID, stays in June, off the leave; the rest are untouched.
      const moved = all.find((s) => s.id === june.id)!;
      expect(moved).toMatchObject({ uid: june.uid, status: 'changed', sequence: 1 });
      expect(moved.date.slice(0, 7)).toBe('2026-06');
      expect(moved.date).not.toBe(june.date);
      for (const s of all) if (s.id !== june.id) expect(s.updatedAt).toBe(before.find((b) => b.id === s.id)!.updatedAt);
      expect(findDoubleBookings(live.map(toLike))).toEqual([]);
      // Every county leader still has one centre day per month.
      for (const id of ['cty1', 'cty2', 'cty3']) {
        const months = live.filter((s) => s.ruleId === 'county-center-monthly' && s.leaders[0].id === id).map((s) => s.date.slice(0, 7));
        expect(months).toEqual([...new Set(months)]);
        expect(months).toHaveLength(10);
      }
      // cty1 and the centre's group are told, once each.
      const told = await core.db('outbox').where('source', 'like', 'roster-replan:2026:%').select('receive_id');
      expect(told.map((t: any) => t.receive_id).sort()).toEqual(['cty1', 'oc_venue_center']);
    } finally {
      clock.now = MONDAY;
    }
  });

  test('a year without holiday data is refused unless provisional, and the plan says so', async () => {
    await expect(roster.plans.generate(2027)).rejects.toThrow(/没有 2027 年的节假日安排数据/);
    const r = await roster.plans.generate(2027, { allowProvisional: true });
    expect(r.provisional).toBe(true);
    expect((await roster.store.sessions.getPlan(2027))!.provisional).toBe(true);
    await expect(roster.plans.generate(2025)).rejects.toThrow(/已经过去/);
  });

  test('every change raises the session’s sequence and updated_at; a cancelled session is kept', async () => {
    const [s] = await roster.store.sessions.listSessions({ from: '2026-03-10', to: '2026-03-31' });
    clock.now = new Date('2026-03-03T03:00:00Z');
    try {
      const admin = (await core.users.get('admin'))!;
      const c = await roster.changes.cancel(admin, s.id, '台风预警');
      expect(c).toMatchObject({ status: 'cancelled', sequence: s.sequence + 1, note: '台风预警' });
      expect(c.updatedAt > s.updatedAt).toBe(true);
      expect((await roster.store.sessions.listSessions({ ids: [s.id] }))).toEqual([]);
      expect((await roster.store.sessions.listSessions({ ids: [s.id], includeCancelled: true }))[0].status).toBe('cancelled');
      await expect(roster.changes.cancel(admin, s.id, null)).rejects.toThrow(/已经取消/);
      const outbox = await core.db('outbox').where('source', `roster-cancel:${s.id}`);
      expect(outbox.map((o: any) => o.receive_id).sort()).toEqual([s.leaders[0].id, ...(s.venueId === 'county-center' ? ['oc_venue_center'] : s.venueId === 'zz-yangcheng' ? ['oc_venue_yc'] : ['oc_venue_qg'])].sort());
    } finally {
      clock.now = MONDAY;
    }
  });
});

describe.each(testDialects())('changes and records on the database ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('a swap that would create a conflict is refused; a clean one is approved under lock and both sessions change', async () => {
    const [a, b, clash, e] = await roster.store.sessions.insertSessions(core.db, [
      one('2026-03-10', 'county-center', 'cty1'),
      one('2026-03-12', 'county-center', 'cty2'),
      one('2026-03-12', 'zz-qigong', 'cty1', '下访'),
      one('2026-03-13', 'county-center', 'cty3'),
    ]);
    const cty1 = (await core.users.get('cty1'))!;
    await expect(roster.changes.requestSwap(cty1, a, b, null)).rejects.toThrow(new RegExp(`林启航在2026年3月12日（周四）全天（编号 ${clash}）已有接访安排`));
    expect(await roster.store.changes.listChangeRequests()).toEqual([]);
    const { request } = await roster.changes.requestSwap(cty1, a, e, '陪同检查');
    const r = await roster.changes.decide((await core.users.get('admin'))!, request.id, true, null);
    expect(r.status).toBe('approved');
    expect((await roster.store.sessions.getSession(a))!.leaders.map((l) => l.id)).toEqual(['cty3']);
    expect((await roster.store.sessions.getSession(e))!.leaders.map((l) => l.id)).toEqual(['cty1']);
    expect((await roster.store.changes.getChangeRequest(request.id))!.status).toBe('approved');
    await expect(roster.changes.decide((await core.users.get('staff1'))!, request.id, true, null)).rejects.toThrow(/只有管理员/);
  });

  test('领导接访 cases link to the session of their town that day; the county centre takes towns without one', async () => {
    const [center, town] = await roster.store.sessions.insertSessions(core.db, [
      one('2026-03-02', 'county-center', 'cty2'),
      one('2026-03-02', 'zz-yangcheng', 'yc1'),
    ]);
    const day = { channel: '领导接访', received_date: '2026-03-02' };
    await insertCase(core.db, { ...day, case_no: '2026-000401', town: '阳城镇' });
    await insertCase(core.db, { ...day, case_no: '2026-000402', town: '太平镇' });
    await insertCase(core.db, { case_no: '2026-000403', town: '太平镇', received_date: '2026-03-02' });
    await insertCase(core.db, { ...day, case_no: '2026-000404', town: '七拱镇', session_id: center });
    const staff = (await core.users.get('staff1'))!;
    const c = await roster.records.recordOutcome(staff, center, { batches: 3, persons: 4 });
    expect(c.cases.map((x) => x.caseNo)).toEqual(['2026-000402', '2026-000404']);
    const t = await roster.records.recordOutcome(staff, town, { batches: 1, persons: 1 });
    expect(t.cases.map((x) => x.caseNo)).toEqual(['2026-000401']);
    expect(t.session.outcome).toMatchObject({ batches: 1, persons: 1, caseNos: ['2026-000401'], recordedBy: 'staff1' });
  });
});

describe.each(testDialects())('the demo county ($name)', (dialect) => {
  test('seeds an empty database with a plan that holds the rules, and refuses a second time', async () => {
    const { db, url } = await freshDb(dialect);
    const clock = { now: new Date('2026-11-27T02:00:00Z') };
    const core = await testCore(db, url, clock);
    try {
      const r = await seedDemo(core);
      expect(r.lines.join('\n')).toContain('县领导 20 位');
      expect(r.warnings.join('\n')).toContain('2027');
      const roster = new RosterService(core);
      const leaders = await roster.store.leaders.listLeaders();
      expect(leaders.filter((l) => l.level === 'county')).toHaveLength(20);
      const towns = new Map<string, number>();
      for (const l of leaders.filter((x) => x.level === 'town')) towns.set(l.towns[0], (towns.get(l.towns[0]) ?? 0) + 1);
      expect(towns.size).toBe(12);
      expect([...towns.values()].every((n) => n >= 3 && n <= 5)).toBe(true);
      const y2026 = await roster.store.sessions.listSessions({ year: 2026, includeCancelled: true });
      expect(y2026.filter((s) => s.date < '2026-11-27').every((s) => s.status === 'held' && s.outcome)).toBe(true);
      expect(findDoubleBookings(y2026.map(toLike))).toEqual([]);
      expect(y2026.some((s) => s.status === 'cancelled')).toBe(true);
      expect((await roster.store.sessions.getPlan(2027))!.provisional).toBe(true);
      expect(await roster.store.changes.listChangeRequests('pending')).toHaveLength(1);
      expect((await core.chats.forRole('venue')).length).toBe(13);
      expect((await core.users.get('staff1'))!.role).toBe('staff');
      await expect(seedDemo(core)).rejects.toThrow(/已有 \d+ 个用户/);
    } finally {
      await core.db.destroy();
    }
  }, 180_000);
});
