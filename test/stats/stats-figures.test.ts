import type { Knex } from 'knex';
import type { Core } from '../../src/platform/core/feature';
import { parsePeriod } from '../../src/stats/domain/metrics';
import type { StatsReport } from '../../src/stats/domain/stats-report';
import { StatsService } from '../../src/stats/stats-service';
import { makeTestApp } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { FIXTURE_NOW, seedStatsFixture } from './stats-fixture';

const today = '2026-09-20';
const q3 = parsePeriod('2026年第三季度', today)!;

describe.each(testDialects())('the figures of 2026年第三季度 against the hand-computed fixture on $name', (dialect) => {
  let db: Knex;
  let url: string;
  let core: Core;
  let report: StatsReport;
  beforeAll(async () => {
    ({ db, url } = await freshDb(dialect));
    await seedStatsFixture(db);
    core = (await makeTestApp({ db, url, now: () => FIXTURE_NOW })).core;
    report = await new StatsService(core).report(q3);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('registrations: C1 (first day) to C7, not C2 received the day before the quarter', () => {
    expect(report.period).toEqual({ from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度', kind: 'quarter' });
    expect(report.asOf).toBe(today);
    expect(report.registered).toBe(6);
    expect(report.byChannel).toEqual([{ name: '来访', count: 3 }, { name: '电话', count: 1 }, { name: '来信', count: 1 }, { name: '网上信访', count: 1 }]);
    expect(report.byCategory).toEqual([{ name: '城乡建设', count: 5 }, { name: '农村农业', count: 1 }]);
    expect(report.byTown).toEqual([{ name: '城关镇', count: 4 }, { name: '七拱镇', count: 1 }, { name: '青莲镇', count: 1 }]);
    expect(report.byPurpose).toEqual([{ name: '求决', count: 3 }, { name: '未填写', count: 2 }, { name: '申诉', count: 1 }]);
    expect(report.byMonth).toEqual([{ month: '2026-07', count: 3 }, { month: '2026-08', count: 2 }, { month: '2026-09', count: 1 }]);
    expect([report.groupVisits, report.anonymous, report.repeatPetitions]).toEqual([1, 1, 1]);
    expect(report.concluded).toBe(4); // C1, C3, C4 and C8 (registered in May)
  });

  test('及时受理率 4/6: C2 late, C5 undecided past its day; C6 still inside its 15 days counts neither way', () => {
    expect(report.timelyAcceptance).toEqual({ numerator: 4, denominator: 6, rate: 4 / 6 });
    expect(report.timelyAcceptanceRate).toBeCloseTo(0.6667, 4);
  });

  test('按期办结率 3/5: C3 met its extended day, C4 late, C10 unmet; C2 still running', () => {
    expect(report.onTimeConclusion).toEqual({ numerator: 3, denominator: 5, rate: 0.6 });
    expect(report.onTimeConclusionRate).toBe(0.6);
  });

  test('督查督办化解率 1/2: C7 still open, C8 concluded in the quarter; C9 concluded before it', () => {
    expect(report.supervisedCount).toBe(2);
    expect(report.supervisedResolution).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(report.supervisedResolutionRate).toBe(0.5);
  });

  test('the ledgers: disputes, letters, reviews, receptions; consultations hold nothing and read null', () => {
    expect(report.disputes).toEqual({ found: 4, resolved: 1, inProgress: 2, escalated: 1, overdue: 1 });
    expect(report.disputeResolution).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(report.disputeResolutionRate).toBe(0.25);
    expect(report.letters).toEqual({ reminder: 2, supervision: 1, suggestion: 0, total: 3 });
    expect(report.reviews).toEqual({ reviewed: 3, compliant: 1, problems: 3, fixed: 1 });
    expect(report.receptions).toEqual({ sessionsHeld: 2, sessionsPlanned: 3, batches: 5, people: 12 });
    expect(report.consultations).toBeNull();
  });

  test('overdue now: C5 past its decision day, C10 past its conclusion day', () => {
    expect(report.overdueNow).toEqual({ decision: 1, conclusion: 1, total: 2 });
  });

  test('the previous period is 2026年第二季度, read the same way', () => {
    expect(report.previous).toEqual({
      period: { from: '2026-04-01', to: '2026-06-30', label: '2026年第二季度', kind: 'quarter' },
      registered: 4,
      timelyAcceptanceRate: 1,
      onTimeConclusionRate: 1,
      supervisedResolutionRate: 0.5, // C8 not yet concluded on 30 June, C9 concluded
      disputeResolutionRate: 1, // PC-5 found and resolved in June
    });
  });

  test('a period with nothing: counts 0, rates and ledgers null (暂无数据), never a made-up 0', async () => {
    const empty = await new StatsService(core).report(parsePeriod('2025', today)!);
    expect(empty.registered).toBe(0);
    expect(empty.byChannel).toEqual([]);
    expect(empty.byMonth).toHaveLength(12);
    expect([empty.timelyAcceptanceRate, empty.onTimeConclusionRate, empty.supervisedResolutionRate, empty.disputeResolutionRate]).toEqual([null, null, null, null]);
    expect([empty.disputes, empty.letters, empty.reviews, empty.receptions, empty.consultations, empty.disputeResolution]).toEqual([null, null, null, null, null, null]);
  });

  describe('xinfang stats', () => {
    beforeAll(() => {
      jest.useFakeTimers({ now: FIXTURE_NOW, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    });
    afterAll(() => {
      jest.useRealTimers();
    });

    test('--json prints the StatsReport: rates 0–1, counts integers, breakdowns {name, count}', async () => {
      const r = await xinfang(['stats', '--period', '2026Q3', '--json'], { DATABASE_URL: url });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toEqual(JSON.parse(JSON.stringify(report)));
      expect(json).toMatchObject({ timelyAcceptanceRate: 4 / 6, onTimeConclusionRate: 0.6, supervisedResolutionRate: 0.5, disputeResolutionRate: 0.25, registered: 6 });
      expect(json.byTown[0]).toEqual({ name: '城关镇', count: 4 });
    });

    test('the text names every figure in Chinese, rates with numerator and denominator, 暂无数据 for an empty ledger', async () => {
      const r = await xinfang(['stats', '--period', '2026年三季度'], { DATABASE_URL: url });
      expect(r.code).toBe(0);
      const out = r.stdout;
      expect(out).toContain('2026年第三季度（2026年7月1日至2026年9月30日）');
      expect(out).toContain('登记信访事项 6 件，其中集体访 1 件，重复信访 1 件，匿名 1 件；办结 4 件');
      expect(out).toContain('及时受理率 66.7%（4/6）');
      expect(out).toContain('按期办结率 60%（3/5）');
      expect(out).toContain('督查督办 2 件，化解率 50%（1/2）');
      expect(out).toContain('矛盾纠纷化解率 25%（1/4）');
      expect(out).toContain('评查 3 件（规范 1 件），发现问题 3 个，已整改 1 个');
      expect(out).toContain('接待 5 批 12 人次');
      expect(out).toContain('会商：暂无数据');
      expect(out).toContain('当前逾期：2 件');
      expect(out).toContain('按信访目的：求决 3，未填写 2，申诉 1');
      expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    test('a bad period exits 2 with the forms listed; a reversed range says so', async () => {
      const bad = await xinfang(['stats', '--period', '2026-13'], { DATABASE_URL: url });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('2026年第三季度');
      const reversed = await xinfang(['stats', '--period', '2026-04-08..2026-03-05'], { DATABASE_URL: url });
      expect(reversed.code).toBe(2);
      expect(reversed.stderr).toContain('早于开始日');
    });
  });
});
