import type { Core } from '../../src/platform/core/feature';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';

function one(date: string, venueId: string, leader: string): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: [],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: '原备注',
  };
}

describe.each(testDialects({ galera: true }))('direct changes of sessions on the database ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  const clock = { now: MONDAY };
  const user = async (id: string) => (await core.users.get(id))!;

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('a cancel keeps who, when and why on the session and in its audit; a restore clears them and brings the note and status back', async () => {
    const [id] = await roster.store.sessions.insertSessions(core.db, [one('2026-03-10', 'county-center', 'cty1')], MONDAY);
    const cancelled = await roster.changes.cancel(await user('admin'), id, '台风预警', MONDAY);
    expect([cancelled.status, cancelled.sequence, cancelled.note]).toEqual(['cancelled', 1, '台风预警']);
    const info = await roster.store.sessions.cancelInfo(id);
    expect(info).toMatchObject({ reason: '台风预警', by: 'admin' });
    expect(info!.at.slice(0, 16)).toBe('2026-03-02 02:00');
    const later = new Date(MONDAY.getTime() + 3600_000);
    const { session, told } = await roster.changes.cancels.restore(await user('admin'), id, later);
    expect([session.status, session.sequence, session.note, told]).toEqual(['planned', 2, '原备注', 2]);
    expect(await roster.store.sessions.cancelInfo(id)).toBeNull();
    const events = await roster.store.sessions.listSessionEvents(id);
    expect(events.map((e) => [e.kind, e.actor, e.reason])).toEqual([['cancel', 'admin', '台风预警'], ['restore', 'admin', '台风预警']]);
    expect(events[0].detail).toMatchObject({ previousStatus: 'planned', previousNote: '原备注' });
    expect((events[0].detail!.notified as Array<{ receiveId: string }>).map((t) => t.receiveId).sort()).toEqual(['cty1', 'oc_venue_center']);
    expect(events[1].createdAt.slice(0, 16)).toBe('2026-03-02 03:00');
  });

  test('a cancel without a reason, or by a clerk, changes nothing', async () => {
    const [id] = await roster.store.sessions.insertSessions(core.db, [one('2026-03-11', 'county-center', 'cty2')], MONDAY);
    await expect(roster.changes.cancel(await user('admin'), id, '  ', MONDAY)).rejects.toThrow(/请写明取消原因/);
    await expect(roster.changes.cancel(await user('staff1'), id, '台风', MONDAY)).rejects.toThrow(/只有管理员/);
    const s = (await roster.store.sessions.getSession(id))!;
    expect([s.status, s.sequence]).toEqual(['planned', 0]);
    expect(await roster.store.sessions.listSessionEvents(id)).toEqual([]);
    expect(await core.db('outbox').where('source', `roster-cancel:${id}`)).toEqual([]);
  });

  test('a direct move re-checks inside its transaction and leaves the session alone when the leader is taken', async () => {
    const [id] = await roster.store.sessions.insertSessions(core.db, [one('2026-03-16', 'zz-yangcheng', 'yc1')], MONDAY);
    await roster.store.sessions.insertSessions(core.db, [one('2026-03-17', 'zz-qigong', 'yc1')], MONDAY);
    await expect(roster.changes.moves.move(await user('admin'), id, '2026-03-17', undefined, null, MONDAY)).rejects.toThrow(/黎嘉禾在2026年3月17日（周二）全天/);
    const { lines } = await roster.changes.moves.move(await user('admin'), id, '2026-03-19', '下午', '镇党委会', MONDAY);
    expect(lines[2]).toMatch(/^改为：2026年3月19日（周四）下午/);
    const s = (await roster.store.sessions.getSession(id))!;
    expect([s.date, s.slot, s.status, s.sequence]).toEqual(['2026-03-19', '下午', 'changed', 1]);
    expect(await roster.store.sessions.listSessionEvents(id)).toMatchObject([{ kind: 'move', actor: 'admin', reason: '镇党委会', detail: { requestId: null } }]);
  });

  test('a handover request is stored as kind reassign, with the incoming leader, and a rejection keeps its reason', async () => {
    const [id] = await roster.store.sessions.insertSessions(core.db, [one('2026-03-20', 'zz-qigong', 'qg1')], MONDAY);
    const { request } = await roster.changes.requestReassign(await user('qg1'), id, null, '范南乔', '外出学习', MONDAY);
    expect(await roster.store.changes.getChangeRequest(request.id)).toMatchObject({ kind: 'reassign', leaderId: 'qg1', otherLeaderId: 'qg2', status: 'pending', reason: '外出学习' });
    await expect(roster.changes.decide(await user('admin'), request.id, false, '', MONDAY)).rejects.toThrow(/请写明驳回理由/);
    expect((await roster.store.changes.getChangeRequest(request.id))!.status).toBe('pending');
    await roster.changes.decide(await user('admin'), request.id, false, '镇长当天在县里开会', MONDAY);
    expect(await roster.store.changes.getChangeRequest(request.id)).toMatchObject({ status: 'rejected', decidedBy: 'admin', decisionNote: '镇长当天在县里开会' });
    expect((await roster.store.sessions.getSession(id))!.leaders.map((l) => l.id)).toEqual(['qg1']);
  });
});
