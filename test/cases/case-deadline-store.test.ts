import type { Knex } from 'knex';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import type { Core } from '../../src/platform/core/feature';
import { createLogger } from '../../src/platform/logging/logger';
import { CaseService } from '../../src/cases/case-service';
import type { NewCaseInput } from '../../src/cases/case-registration';
import { StatsCaseQueries } from '../../src/cases';
import { freshDb, testDialects } from '../helpers/db';

const input = (over: Partial<NewCaseInput> = {}): NewCaseInput => ({
  name: '陈秀梅', idNumber: null, phone: '13812345678', address: '阳城镇东街 8 号', headcount: 1, channel: '来访',
  town: '阳城镇', category: '城乡建设', purpose: '求决', content: '房屋被邻居加建遮挡采光，请求协调。',
  receivedAt: new Date('2025-09-20T02:00:00Z'), sessionId: null, registeredBy: 'xiaoyan', ...over,
});
const staff = { id: 'xiaoyan', name: '张晓燕', role: 'staff' as const, unit: null, town: null, title: null };

describe.each(testDialects({ galera: true }))('the day a deadline was met, as the case feature stores it, on $name', (dialect) => {
  let db: Knex;
  let core: Core;
  let clock = new Date('2025-09-20T02:00:00Z');
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    core = await openCore(loadConfig({ LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), now: () => clock, migrate: false });
    await core.users.upsert(staff);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('受理 after the last day and 办结 later are stored on the deadlines; the rates count it late, and an undecided case open', async () => {
    const svc = new CaseService(core);
    const late = await svc.register(input());
    await svc.register(input({ name: '林国强', phone: null, receivedAt: new Date('2025-09-20T03:00:00Z') }));
    const met = async (id: number) =>
      Object.fromEntries((await db('case_deadlines').where({ case_id: id }).select('kind', 'status', 'met_date')).map((r: any) => [r.kind, [r.status, r.met_date ?? null]]));
    expect(await met(late.record.id)).toEqual({ decision: ['open', null] });

    clock = new Date('2025-10-20T02:00:00Z'); // due 10月9日: 受理 11 days late
    await svc.transition(late.record.caseNo, { action: 'accept' }, staff);
    expect(await met(late.record.id)).toMatchObject({ decision: ['met', '2025-10-20'], conclusion: ['open', null] });

    clock = new Date('2025-11-10T02:00:00Z');
    await svc.transition(late.record.caseNo, { action: 'conclude', summary: '已协调双方，拆除遮挡部分。' }, staff);
    expect(await met(late.record.id)).toMatchObject({ decision: ['met', '2025-10-20'], conclusion: ['met', '2025-11-10'] });

    const q = new StatsCaseQueries(db);
    // Both decision deadlines fall on 10月9日: one met late, one still open.
    expect(await q.dueGroups('decision', '2025-12-31')).toEqual([{ due: '2025-10-09', total: 2, done: 1, doneByDue: 0, open: 1 }]);
    const [conclusion] = await q.dueGroups('conclusion', '2026-12-31');
    expect(conclusion).toMatchObject({ total: 1, done: 1, doneByDue: 1, open: 0 });

    // A conclusion deadline voided when the case went back (退回) and was never accepted again counts neither way.
    const other = (await db('cases').whereNot({ id: late.record.id }).first('id')).id;
    await db('case_deadlines').insert({
      case_id: other, kind: 'conclusion', due_date: '2025-12-18', provisional: false, status: 'void', unit: '县住建局', met_date: null,
      created_at: new Date('2025-10-20T02:00:00Z'), updated_at: new Date('2025-10-20T02:00:00Z'),
    });
    expect(await q.dueGroups('conclusion', '2026-12-31')).toEqual([conclusion]);
  });
});
