import type { Knex } from 'knex';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import type { Core } from '../../src/platform/core/feature';
import { createLogger } from '../../src/platform/logging/logger';
import { CaseService } from '../../src/cases/case-service';
import type { NewCaseInput } from '../../src/cases/case-registration';
import { CaseStore } from '../../src/cases/case-store';
import { CaseDeadlineStore } from '../../src/cases/case-deadline-store';
import { CaseEventStore } from '../../src/cases/case-event-store';
import { CaseLinkStore } from '../../src/cases/case-link-store';
import { openDatabase } from '../../src/platform/database/connection';
import { freshDb, testDialects } from '../helpers/db';

const input = (over: Partial<NewCaseInput> = {}): NewCaseInput => ({
  name: '陈秀梅', idNumber: '441823199001016012', phone: '13812345678', address: '阳城镇东街 8 号', headcount: 1, channel: '来访',
  town: '阳城镇', category: '城乡建设', purpose: '求决', content: '房屋被邻居加建遮挡采光，请求协调。',
  receivedAt: new Date('2025-09-20T02:00:00Z'), sessionId: null, registeredBy: 'xiaoyan', ...over,
});

const staff = { id: 'xiaoyan', name: '张晓燕', role: 'staff' as const, unit: null, town: null, title: null };

describe.each(testDialects({ galera: true }))('case store and registration on $name', (dialect) => {
  let db: Knex;
  let url: string;
  let core: Core;
  let clock = new Date('2025-09-20T02:00:00Z');
  beforeAll(async () => {
    ({ db, url } = await freshDb(dialect));
    core = await openCore(loadConfig({ LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), now: () => clock, migrate: false });
    await core.users.upsert(staff);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('register numbers per year, stores the 15-day decision deadline and the audit row', async () => {
    const svc = new CaseService(core);
    const { record, linked } = await svc.register(input());
    expect(record).toMatchObject({ caseNo: '2025-000001', year: 2025, status: 'registered', statusLabel: '已登记', receivedDate: '2025-09-20', isGroup: false });
    expect(linked).toEqual([]);
    expect(await svc.deadlines(record.id)).toEqual([
      { kind: 'decision', label: '受理/交办期限', dueDate: '2025-10-09', status: 'open', provisional: false, daysLeft: 9 },
    ]);
    const events = await new CaseEventStore(db).ofCase(record.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'register', fromStatus: null, toStatus: 'registered', actorId: 'xiaoyan' });
    // A case received on 1 January 2026 (Shanghai) starts the 2026 series, even though it is still 2025 in UTC.
    const next = await svc.register(input({ name: '林国强', idNumber: null, phone: null, receivedAt: new Date('2025-12-31T16:30:00Z') }));
    expect(next.record.caseNo).toBe('2026-000001');
    expect(next.record.receivedDate).toBe('2026-01-01');
  });

  test('a repeat petitioner is linked by ID number, or by name and phone, newest first', async () => {
    const svc = new CaseService(core);
    const a = await svc.register(input({ receivedAt: new Date('2025-09-21T02:00:00Z') }));
    const b = await svc.register(input({ idNumber: null, receivedAt: new Date('2025-09-22T02:00:00Z') })); // same name + phone
    const c = await svc.register(input({ headcount: 6, receivedAt: new Date('2025-09-23T02:00:00Z') }));
    expect(c.record.isGroup).toBe(true);
    // The first case of this test module is 2025-000001; a is 2025-000002, b 2025-000003.
    expect(c.linked.map((l) => l.caseNo)).toEqual([b.record.caseNo, a.record.caseNo, '2025-000001']);
    const other = await svc.register(input({ name: '陈秀兰', idNumber: null, phone: '13812345678' })); // same phone, other name
    expect(other.linked).toEqual([]);
    const links = await new CaseLinkStore(db).ofCase(a.record.id);
    expect(links.map((l) => [l.row.caseNo, l.reason])).toEqual(expect.arrayContaining([[c.record.caseNo, 'id_number'], ['2025-000001', 'id_number']]));
  });

  test('20 registrations at once get 20 distinct, consecutive numbers (on MySQL from 4 pools standing in for replicas)', async () => {
    clock = new Date('2027-03-01T02:00:00Z');
    // On MySQL and Galera each pool stands in for a replica: the number can only come from the database, not from memory.
    // SQLite is single-node (one file, one writer), so its services share the one pool.
    const replicas = await Promise.all(
      Array.from({ length: 4 }, async () => {
        if (dialect.name === 'sqlite') return { svc: new CaseService(core), own: null as Knex | null };
        const rdb = await openDatabase(url);
        const rcore = await openCore(loadConfig({ LOG_LEVEL: 'silent' }), { db: rdb, logger: createLogger('silent'), now: () => clock, migrate: false });
        return { svc: new CaseService(rcore), own: rdb as Knex | null };
      }),
    );
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => replicas[i % 4].svc.register(input({ name: `并发${i}`, idNumber: null, phone: null, receivedAt: clock }))),
      );
      const numbers = results.map((r) => r.record.caseNo).sort();
      expect(new Set(numbers).size).toBe(20);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `2027-${String(i + 1).padStart(6, '0')}`));
      // 2027 has no holiday data yet: the deadline is stored as provisional.
      expect((await new CaseService(core).deadlines(results[0].record.id))[0].provisional).toBe(true);
    } finally {
      for (const r of replicas) await r.own?.destroy();
    }
  });

  test('the audit trail refuses updates and deletes, in the database itself', async () => {
    const svc = new CaseService(core);
    const { record } = await svc.register(input({ name: '审计测试', idNumber: null, phone: null }));
    await svc.transition(record.caseNo, { action: 'reject', reason: '不属于信访事项' }, staff);
    const before = await db('case_events').where({ case_id: record.id }).orderBy('id');
    expect(before.map((e: any) => e.action)).toEqual(['register', 'reject']);
    // The driver's error is caught by hand: jest's rejects.toThrow misreads native SQLite errors now and then.
    const failure = (q: Promise<unknown>) => q.then(() => 'succeeded', (e: unknown) => String((e as Error)?.message ?? e));
    expect(await failure(db('case_events').where({ case_id: record.id }).update({ reason: '改过' }))).toMatch(/append-only/);
    expect(await failure(db('case_events').where({ case_id: record.id }).del())).toMatch(/append-only/);
    expect(await db('case_events').where({ case_id: record.id }).orderBy('id')).toEqual(before);
  });

  test('update applies only from the expected status; saveDeadlines voids kinds no longer owed', async () => {
    const store = new CaseStore(db);
    const deadlines = new CaseDeadlineStore(db);
    const svc = new CaseService(core);
    const { record } = await svc.register(input({ name: '状态测试', idNumber: null, phone: null }));
    expect(await store.update(db, record.id, 'assigned', { status: 'handling' }, clock)).toBe(false);
    expect((await store.getById(record.id))!.status).toBe('registered');
    await deadlines.save(db, record.id, [
      { kind: 'decision', dueDate: '2027-03-16', status: 'met', provisional: true, unit: null, metDate: null },
      { kind: 'acceptance_notice', dueDate: '2027-03-16', status: 'open', provisional: true, unit: '县教育局', metDate: null },
    ], clock);
    await deadlines.save(db, record.id, [{ kind: 'decision', dueDate: '2027-03-16', status: 'open', provisional: true, unit: null, metDate: null }], clock);
    const rows = await deadlines.ofCase(record.id);
    expect(rows.map((r) => [r.kind, r.status, r.unit])).toEqual([['decision', 'open', null], ['acceptance_notice', 'void', '县教育局']]);
    expect(await deadlines.openDueBy('2027-03-16', ['acceptance_notice'])).toEqual([]);
  });

  test('list filters by status, towns, name and the end of the ID number', async () => {
    const store = new CaseStore(db);
    const byName = await store.list({ name: '陈秀梅' });
    expect(byName.length).toBeGreaterThanOrEqual(4);
    expect(byName.every((r) => r.name === '陈秀梅')).toBe(true);
    expect((await store.list({ idSuffix: '6012' })).length).toBe(byName.filter((r) => r.idNumber).length);
    expect(await store.list({ idSuffix: '9999' })).toEqual([]);
    expect(await store.list({ status: 'handling' })).toEqual([]);
    expect((await store.list({ status: ['registered', 'not_accepted'], towns: ['阳城镇'], limit: 3 })).length).toBe(3);
  });
});
