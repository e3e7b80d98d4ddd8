import type { Core } from '../../src/platform/core/feature';
import { dialectOf } from '../../src/platform/database/connection';
import { isDuplicateKey } from '../../src/platform/database/duplicate-key';
import { runTurn } from '../../src/platform/database/transaction';
import { RosterService } from '../../src/roster/roster-service';
import { ThirdPartyService } from '../../src/roster/third-party-service';
import { sameHalfDay } from '../../src/roster/domain/third-party-rules';
import type { SessionView } from '../../src/roster/session-view';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';

/**
 * session_third_parties and double bookings (issue 16, item 5): the primary key exists on both
 * databases, and two assignments racing each other — plain, or as two chat turns that had read
 * before they booked — leave one booking and a Chinese refusal, never two.
 */
describe.each(testDialects())('第三方 bookings under concurrency ($name)', (dialect) => {
  let core: Core;
  let tp: ThirdPartyService;
  let roster: RosterService;
  let pairs: Array<[SessionView, SessionView]>;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
    tp = new ThirdPartyService(core, roster.rules);
    await roster.plans.generate(2026, { by: 'admin' }); // nobody on the roster yet: no bookings
    await tp.register({ name: '张明远', kind: '律师', organisation: '正衡律师事务所', phone: '13900001001' }, 'staff1');
    const all = (await roster.store.sessions.listSessions({ year: 2026, from: '2026-03-02' })).filter((s) => s.status !== 'cancelled');
    pairs = [];
    for (const a of all) for (const b of all) if (a.id < b.id && sameHalfDay(a, b)) pairs.push([a, b]);
    expect(pairs.length).toBeGreaterThan(3);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  const rows = (sessionIds: number[]) => core.db('session_third_parties').whereIn('session_id', sessionIds);
  const settle = (ps: Array<Promise<string>>) => Promise.allSettled(ps);

  test('the primary key (session, person) is in the schema and refuses a raw duplicate', async () => {
    if (dialectOf(core.db) === 'sqlite') {
      const list: any[] = await core.db.raw("PRAGMA index_list('session_third_parties')");
      const pk = list.find((i) => i.origin === 'pk');
      expect(pk?.unique).toBe(1);
      const cols: any[] = await core.db.raw(`PRAGMA index_info('${pk.name}')`);
      expect(cols.map((c) => c.name)).toEqual(['session_id', 'third_party_id']);
    } else {
      const [list]: any = await core.db.raw("SHOW INDEX FROM session_third_parties WHERE Key_name = 'PRIMARY'");
      expect(list.map((i: any) => [i.Column_name, Number(i.Non_unique)])).toEqual([['session_id', 0], ['third_party_id', 0]]);
    }
    const [s] = pairs[0];
    const row = { session_id: s.id, third_party_id: 1, how: 'hand', assigned_by: 'x', assigned_at: '2026-03-02 02:00:00.000' };
    await core.db('session_third_parties').insert(row);
    const err = await core.db('session_third_parties').insert(row).then(() => null, (e: unknown) => e);
    expect(isDuplicateKey(err)).toBe(true);
    await core.db('session_third_parties').where({ session_id: s.id }).delete();
  });

  test('two assignments of one person to one session at once: one booking, the other told in Chinese', async () => {
    const [s] = pairs[1];
    const results = await settle([tp.assign(String(s.id), '张明远', 'staff1'), tp.assign(String(s.id), '张明远', 'staff2')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toContain('已安排在本场接访');
    expect(await rows([s.id])).toHaveLength(1);
  });

  test('two assignments of one person to two sessions of the same half-day at once: only one holds', async () => {
    const [a, b] = pairs[2];
    const results = await settle([tp.assign(String(a.id), '张明远', 'staff1'), tp.assign(String(b.id), '张明远', 'staff2')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toContain('同一半天不能再参加本场接访');
    expect(await rows([a.id, b.id])).toHaveLength(1);
  });

  // Two chat turns (each one transaction from its first read, as Lark events are run) that both read
  // before either books: the second must not book on what it read before the first committed. On
  // SQLite the one connection runs turns one after the other (no gate to wait at); MySQL interleaves them.
  test('two chat turns that read first and then book the same person on the same half-day: only one holds', async () => {
    const [a, b] = pairs[3];
    let ready = 0;
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const turn = (s: SessionView, by: string) => runTurn(core.db, async () => {
      await core.db('session_third_parties').count({ n: '*' }); // the turn's first read: its snapshot
      if (++ready === 2) go();
      if (dialect.name === 'mysql') await gate;
      return tp.assign(String(s.id), '张明远', by);
    });
    const results = await settle([turn(a, 'staff1'), turn(b, 'staff2')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toContain('同一半天不能再参加本场接访');
    expect(await rows([a.id, b.id])).toHaveLength(1);
  });
});
