import type { Knex } from 'knex';
import { StatsCaseQueries } from '../../src/cases';
import { toDbTime } from '../../src/platform/database/time';
import { computeStats, parsePeriod, StatsCaseRow } from '../../src/stats/domain/metrics';
import { buildStatsCard } from '../../src/stats/stats-cards';
import { freshDb, testDialects } from '../helpers/db';

const base: StatsCaseRow = {
  receivedDate: '2026-10-09', status: 'registered', channel: '来访', category: '城乡建设', town: '阳城镇',
  isGroup: false, supervised: false, repeat: false, anonymous: false,
  decisionDue: '2026-10-26', decidedDate: null, conclusionDue: null, repliedDate: null,
};
const oct = parsePeriod('2026-10', '2026-11-27')!;
const cardText = (card: Record<string, unknown>) => JSON.stringify(card);

test('anonymous petitions are counted apart, among those registered in the period', () => {
  const rows = [
    base,
    { ...base, channel: '来信', anonymous: true },
    { ...base, channel: '电话', anonymous: true, repeat: true },
    { ...base, receivedDate: '2026-09-30', anonymous: true },
  ];
  const s = computeStats(rows, oct, '2026-11-27');
  expect(s.registered).toBe(3);
  expect(s.anonymous).toBe(2);
  expect(s.repeatPetitions).toBe(1);
  expect(cardText(buildStatsCard(s))).toContain('**其中匿名**：2 件');
  expect(computeStats([base], oct, '2026-11-27').anonymous).toBe(0);
});

describe.each(testDialects())('the statistics read cases.anonymous on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    const t = toDbTime(new Date('2026-10-01T00:00:00Z'));
    let n = 0;
    for (const anonymous of [true, false, true]) {
      n++;
      await db('cases').insert({
        case_no: `2026-${String(n).padStart(6, '0')}`, year: 2026, status: 'registered', name: anonymous ? '匿名' : '王某', headcount: 1,
        is_group: false, channel: '来信', town: '阳城镇', category: '城乡建设', content: '测试内容', received_at: t, received_date: '2026-10-09',
        registered_by: 'staff1', created_at: t, updated_at: t, anonymous,
      });
    }
    // A case written without the column (as before migration 018) reads as not anonymous.
    await db('cases').insert({
      case_no: '2026-000009', year: 2026, status: 'registered', name: '李某', headcount: 1, is_group: false, channel: '来访', town: '阳城镇',
      category: '城乡建设', content: '测试内容', received_at: t, received_date: '2026-10-10', registered_by: 'staff1', created_at: t, updated_at: t,
    });
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('each row says whether it is anonymous; the period counts them', async () => {
    const rows = await new StatsCaseQueries(db).receivedBetween('2026-10-01', '2026-10-31');
    expect(rows.map((r) => r.anonymous).sort()).toEqual([false, false, true, true]);
    expect(computeStats(rows, oct, '2026-11-27')).toMatchObject({ registered: 4, anonymous: 2 });
  });
});
