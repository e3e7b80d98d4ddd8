import type { Knex } from 'knex';
import { DisputeStore } from '../../src/disputes/dispute-store';
import { DisputeQueries } from '../../src/disputes';
import { freshDb, testDialects } from '../helpers/db';

const base = {
  screening: '定期排查', source: '网格', foundDate: '2026-03-02', town: '阳城镇', category: '自然资源', summary: '宅基地边界争执',
  parties: [{ name: '欧阳明华', idNumber: null, phone: '13812345678' }], risk: '高', unit: '阳城镇人民政府', owner: '李某某',
  targetDate: '2026-03-20', registeredBy: 'staff1',
};

describe.each(testDialects({ galera: true }))('DisputeStore on %s', (dialect) => {
  let db: Knex;
  let store: DisputeStore;
  const now = new Date('2026-03-02T02:00:00Z');

  beforeEach(async () => {
    ({ db } = await freshDb(dialect));
    store = new DisputeStore(db);
  });
  afterEach(async () => db.destroy());

  test('numbers per year, closes once, keeps the audit trail, answers due and figure queries', async () => {
    const nos = await db.transaction(async (trx) => [await store.nextNo(trx, 2026), await store.nextNo(trx, 2026), await store.nextNo(trx, 2027)]);
    expect(nos).toEqual(['排2026-0001', '排2026-0002', '排2027-0001']);
    await db.transaction((trx) => store.reserveNo(trx, 2026, 40));
    expect(await db.transaction((trx) => store.nextNo(trx, 2026))).toBe('排2026-0041');

    const a = await db.transaction((trx) => store.insert(trx, { ...base, no: '排2026-0001' }, now));
    const b = await db.transaction((trx) => store.insert(trx, { ...base, no: '排2026-0002', targetDate: '2026-04-30', town: '七拱镇' }, now));
    await db.transaction((trx) => store.addEvents(trx, [{ disputeId: a, action: 'register', fromStatus: null, toStatus: 'open', actorId: 'staff1', at: now }]));

    expect((await store.getByNo('排2026-0001'))!.parties[0].name).toBe('欧阳明华');
    expect((await store.list({ town: '七拱镇' })).map((d) => d.no)).toEqual(['排2026-0002']);
    expect((await new DisputeQueries(db).dueOpen('2026-03-31')).map((d) => d.no)).toEqual(['排2026-0001']);

    const first = await db.transaction((trx) => store.close(trx, a, { status: 'resolved', closedDate: '2026-03-10', resolution: '已调解', caseNo: null }, now));
    const second = await db.transaction((trx) => store.close(trx, a, { status: 'escalated', closedDate: '2026-03-11', resolution: null, caseNo: '2026-000001' }, now));
    expect([first, second]).toEqual([true, false]);
    expect((await store.getByNo('排2026-0001'))!.status).toBe('resolved');
    expect((await store.events(a)).map((e) => e.action)).toEqual(['register']);
    expect(await store.existingNos(['排2026-0002', '排2026-0009'])).toEqual(new Set(['排2026-0002']));

    const figures = await new DisputeQueries(db).figures({ from: '2026-01-01', to: '2026-12-31' }, '2026-05-01');
    expect(figures).toEqual({ found: 2, resolved: 1, escalated: 0, inProgress: 1, overdue: 1, resolutionRate: 0.5 });
    expect(b).toBeGreaterThan(a);
  });
});
