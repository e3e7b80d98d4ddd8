import type { Core } from '../../src/platform/core/feature';
import { RosterService } from '../../src/roster/roster-service';
import { ThirdPartyService, thirdPartyFigures } from '../../src/roster/third-party-service';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';

describe.each(testDialects({ galera: true }))('第三方力量 store and service ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  let tp: ThirdPartyService;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
    tp = new ThirdPartyService(core, roster.rules);
    await tp.register({ name: '张明远', kind: '律师', organisation: '正衡律师事务所', phone: '13900001001' }, 'staff1');
    await tp.register({ name: '李书瑶', kind: '律师', organisation: '明法律师事务所', phone: '13900001002' }, 'staff1');
    await tp.register({ name: '何静怡', kind: '心理咨询师', organisation: '县心理健康服务中心', phone: '0763-6620101' }, 'staff1');
    await roster.plans.generate(2026, { by: 'admin' });
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('the plan books a lawyer and a counsellor at every coming county-centre session, and nobody elsewhere', async () => {
    const sessions = await roster.store.sessions.listSessions({ year: 2026 });
    const booked = await tp.store.ofSessions(sessions.map((s) => s.id));
    const center = sessions.filter((s) => s.venueKind === 'center');
    expect(center.length).toBeGreaterThan(10);
    for (const s of center) expect((booked.get(s.id) ?? []).map((p) => p.kind).sort()).toEqual(['律师', '心理咨询师']);
    for (const s of sessions.filter((x) => x.venueKind !== 'center')) expect(booked.get(s.id)).toBeUndefined();
    const lawyers = [...booked.values()].flat().filter((p) => p.kind === '律师');
    const per = ['张明远', '李书瑶'].map((n) => lawyers.filter((p) => p.name === n).length);
    expect(Math.abs(per[0] - per[1])).toBeLessThanOrEqual(1);
    expect(lawyers.every((p) => p.how === 'rule' && p.assignedBy === 'admin')).toBe(true);
  });

  test('every booking is audited; regenerating with nothing changed changes nothing', async () => {
    const before = await roster.store.sessions.listSessions({ year: 2026 });
    const events = await tp.store.events();
    expect(events.filter((e) => e.action === 'registered')).toHaveLength(3);
    expect(events.filter((e) => e.action === 'assigned').length).toBe((await tp.store.bookings('2026-01-01', '2026-12-31')).length);
    await roster.plans.generate(2026, { replace: true, by: 'admin' });
    expect(await roster.store.sessions.listSessions({ year: 2026 })).toEqual(before);
    expect(await tp.store.events()).toHaveLength(events.length);
  });

  test('a person cannot be booked twice on one session, and a by-hand clash is refused', async () => {
    const all = await roster.store.sessions.listSessions({ year: 2026 });
    // A county-centre session with another session the same day.
    const s = all.find((x) => x.venueKind === 'center' && all.some((y) => y.date === x.date && y.id !== x.id))!;
    const sameDay = all.find((y) => y.date === s.date && y.id !== s.id)!;
    const [first] = (await tp.store.ofSessions([s.id])).get(s.id)!;
    await expect(tp.assign(String(s.id), first.name, 'staff1')).rejects.toThrow('已安排在本场接访');
    await expect(tp.assign(String(sameDay.id), first.name, 'staff1')).rejects.toThrow('同一半天不能再参加本场接访');
    expect((await tp.store.ofSessions([sameDay.id])).get(sameDay.id)?.some((p) => p.id === first.id) ?? false).toBe(false);
  });

  test('figures: sessions with a third party in a period, by kind; cancelled sessions do not count', async () => {
    const march = await thirdPartyFigures(core.db, { from: '2026-03-01', to: '2026-03-31' });
    const center = (await roster.store.sessions.listSessions({ from: '2026-03-01', to: '2026-03-31' })).filter((s) => s.venueKind === 'center');
    expect(march).toEqual({ from: '2026-03-01', to: '2026-03-31', sessions: center.length, byKind: { 律师: center.length, 心理咨询师: center.length, 调解员: 0, 其他: 0 } });
    await core.db.transaction((trx) => roster.store.sessions.cancelSessions(trx, [center[0].id], '测试', clock.now));
    expect((await thirdPartyFigures(core.db, { from: '2026-03-01', to: '2026-03-31' })).sessions).toBe(center.length - 1);
  });

  test('removing someone frees their coming sessions, keeps them for history, and the next plan fills the gap', async () => {
    const li = await tp.resolve('李书瑶');
    const coming = await tp.store.comingSessionsOf(li.id, '2026-03-02');
    expect(coming.length).toBeGreaterThan(0);
    const seqBefore = (await roster.store.sessions.getSession(coming[0]))!.sequence;
    const r = await tp.remove('李书瑶', 'admin');
    expect(r.sessions).toBe(coming.length);
    expect((await tp.store.get(li.id))!.active).toBe(false);
    expect(await tp.store.comingSessionsOf(li.id, '2026-03-02')).toEqual([]);
    expect((await roster.store.sessions.getSession(coming[0]))!.sequence).toBe(seqBefore + 1);
    expect((await tp.store.events({ thirdPartyId: li.id })).filter((e) => e.action === 'unassigned')).toHaveLength(coming.length);
    await roster.plans.generate(2026, { replace: true, by: 'admin' });
    const now = (await tp.store.ofSessions(coming)).get(coming[0])!;
    expect(now.map((p) => p.name)).toContain('张明远');
  });
});
