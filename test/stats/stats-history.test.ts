import type { Knex } from 'knex';
import type { Core } from '../../src/platform/core/feature';
import { toDbTime } from '../../src/platform/database/time';
import { parsePeriod } from '../../src/stats/domain/metrics';
import { StatsService } from '../../src/stats/stats-service';
import { makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

/**
 * A report reads the days of its period and the one before (issue 18: a province keeps ten years of
 * cases), yet what earlier years left undone still counts today: an open deadline of 2019 is
 * overdue now, a case supervised since 2019 and never concluded is under supervision in 2026.
 */
const NOW = new Date('2026-11-02T01:30:00Z'); // Monday 2 November 2026, 09:30 in Shanghai
const today = '2026-11-02';
const t = toDbTime(new Date('2019-03-01T00:00:00Z'));

interface OldCase {
  received: string;
  status: string;
  decisionDue: string;
  decided: string | null;
  conclusionDue?: string;
  replied?: string;
  supervised?: boolean;
}

let n = 0;
async function addCase(db: Knex, c: OldCase): Promise<void> {
  n++;
  const [id] = await db('cases').insert({
    case_no: `${c.received.slice(0, 4)}-${String(n).padStart(6, '0')}`, year: Number(c.received.slice(0, 4)), status: c.status, name: `测试人${n}`,
    headcount: 1, is_group: false, channel: '来访', town: '城关镇', category: '城乡建设', content: '测试内容', received_at: t,
    received_date: c.received, decided_date: c.decided, accepted_date: c.decided, replied_date: c.replied ?? null, supervised: Boolean(c.supervised),
    registered_by: 'staff1', created_at: t, updated_at: t,
  });
  await db('case_deadlines').insert({ case_id: Number(id), kind: 'decision', due_date: c.decisionDue, status: c.decided ? 'met' : 'open', met_date: c.decided, created_at: t, updated_at: t });
  if (c.conclusionDue) {
    await db('case_deadlines').insert({
      case_id: Number(id), kind: 'conclusion', due_date: c.conclusionDue, status: c.replied ? 'met' : 'open', met_date: c.replied ?? null, created_at: t, updated_at: t,
    });
  }
}

describe.each(testDialects())('a report among years of cases on $name', (dialect) => {
  let core: Core;
  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    // 2019: one never decided (overdue ever since), one accepted and never concluded under 挂牌督办,
    // one supervised and concluded in 2020, one decided late.
    await addCase(db, { received: '2019-03-01', status: 'registered', decisionDue: '2019-03-18', decided: null });
    await addCase(db, { received: '2019-04-01', status: 'handling', decisionDue: '2019-04-16', decided: '2019-04-02', conclusionDue: '2019-06-03', supervised: true });
    await addCase(db, { received: '2019-05-06', status: 'concluded', decisionDue: '2019-05-21', decided: '2019-05-07', conclusionDue: '2019-07-05', replied: '2020-01-10', supervised: true });
    await addCase(db, { received: '2019-06-03', status: 'concluded', decisionDue: '2019-06-18', decided: '2019-06-20', conclusionDue: '2019-08-19', replied: '2019-08-01' });
    // October 2026: one decided on time, one not yet decided (still inside its 15 days on 2 November).
    await addCase(db, { received: '2026-10-09', status: 'handling', decisionDue: '2026-10-26', decided: '2026-10-12', conclusionDue: '2026-12-11' });
    await addCase(db, { received: '2026-10-23', status: 'registered', decisionDue: '2026-11-09', decided: null });
    // September 2026 (the month before): one decided late.
    await addCase(db, { received: '2026-09-01', status: 'handling', decisionDue: '2026-09-16', decided: '2026-09-18', conclusionDue: '2026-11-17' });
    core = (await makeTestApp({ db, url, now: () => NOW })).core;
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('October 2026: its own deadlines rated, the 2019 ones not; the 2019 leftovers overdue and supervised today', async () => {
    const r = await new StatsService(core).report(parsePeriod('2026-10', today)!);
    expect(r.registered).toBe(2);
    expect(r.timelyAcceptance).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(r.onTimeConclusion).toEqual({ numerator: 0, denominator: 0, rate: null });
    // The 2019 decision never made, and the 2019 conclusion never given: overdue now.
    expect(r.overdueNow).toEqual({ decision: 1, conclusion: 1, total: 2 });
    // Supervised since 2019 and open: under supervision in October; the one concluded in 2020 is not.
    expect(r.supervisedResolution).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(r.previous).toMatchObject({ registered: 1, timelyAcceptanceRate: 0, supervisedResolutionRate: 0 });
  });

  test('2019 read in 2026: its deadlines rated as they ended, both supervised cases counted', async () => {
    const r = await new StatsService(core).report(parsePeriod('2019', today)!);
    expect(r.registered).toBe(4);
    // On time: the two decided the next day; late: the one decided on 20 June; undecided past its day: against.
    expect(r.timelyAcceptance).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    // On time: 1 August for 19 August; the one concluded in 2020 and the one never concluded: against.
    expect(r.onTimeConclusion).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
    expect(r.supervisedResolution).toEqual({ numerator: 0, denominator: 2, rate: 0 });
    expect(r.overdueNow.total).toBe(2);
  });

  test('2020: the case concluded on 10 January 2020 resolves its supervision in that year', async () => {
    const r = await new StatsService(core).report(parsePeriod('2020', today)!);
    expect(r.supervisedResolution).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(r.previous?.supervisedResolutionRate).toBe(0);
  });
});
