import type { Knex } from 'knex';
import { toDbTime } from '../../src/platform/database/time';
import { parsePeriod } from '../../src/stats/domain/metrics';
import type { Core } from '../../src/platform/core/feature';
import { StatsService } from '../../src/stats/stats-service';
import { makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

const oct = parsePeriod('2026-10', '2026-11-27')!;

describe.each(testDialects())('the statistics read cases.anonymous on $name', (dialect) => {
  let db: Knex;
  let core: Core;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    const t = toDbTime(new Date('2026-10-01T00:00:00Z'));
    let n = 0;
    for (const [anonymous, received] of [[true, '2026-10-09'], [false, '2026-10-09'], [true, '2026-10-31'], [true, '2026-09-30']] as const) {
      n++;
      await db('cases').insert({
        case_no: `2026-${String(n).padStart(6, '0')}`, year: 2026, status: 'registered', name: anonymous ? '匿名' : '王某', headcount: 1,
        is_group: false, channel: '来信', town: '阳城镇', category: '城乡建设', content: '测试内容', received_at: t, received_date: received,
        registered_by: 'staff1', created_at: t, updated_at: t, anonymous,
      });
    }
    // A case written without the column (as before migration 018) reads as not anonymous.
    await db('cases').insert({
      case_no: '2026-000009', year: 2026, status: 'registered', name: '李某', headcount: 1, is_group: false, channel: '来访', town: '阳城镇',
      category: '城乡建设', content: '测试内容', received_at: t, received_date: '2026-10-10', registered_by: 'staff1', created_at: t, updated_at: t,
    });
    core = (await makeTestApp({ db, now: () => new Date('2026-11-27T02:00:00Z') })).core;
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('anonymous petitions are counted apart, among those registered in the period', async () => {
    const r = await new StatsService(core).report(oct);
    expect(r).toMatchObject({ registered: 4, anonymous: 2 });
    expect(r.byMonth).toEqual([{ month: '2026-10', count: 4 }]);
  });
});
