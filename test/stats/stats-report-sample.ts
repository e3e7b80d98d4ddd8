import type { StatsReport } from '../../src/stats/domain/stats-report';

/**
 * A filled StatsReport for tests of what is drawn from it (card, charts, workbook, annual report).
 * The figures are consistent with each other (breakdowns sum to `registered`); `overrides` replaces
 * top-level fields, e.g. `{ disputes: null }` for a ledger without data.
 */
export function sampleStatsReport(overrides: Partial<StatsReport> = {}): StatsReport {
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
  const perMonth = [31, 28, 35, 30, 33, 29, 36, 34, 30, 32, 27, 0];
  const registered = perMonth.reduce((s, n) => s + n, 0); // 345
  return {
    period: { from: '2026-01-01', to: '2026-12-31', label: '2026年', kind: 'year' },
    asOf: '2026-12-02',
    registered,
    byChannel: [{ name: '来访', count: 150 }, { name: '来信', count: 95 }, { name: '网上信访', count: 60 }, { name: '电话', count: 40 }],
    byCategory: [{ name: '城乡建设', count: 120 }, { name: '农村农业', count: 90 }, { name: '劳动社保', count: 70 }, { name: '自然资源', count: 45 }, { name: '其他', count: 20 }],
    byTown: [{ name: '城关镇', count: 140 }, { name: '七拱镇', count: 80 }, { name: '青莲镇', count: 70 }, { name: '黎埠镇', count: 55 }],
    byPurpose: [{ name: '求决', count: 250 }, { name: '申诉', count: 50 }, { name: '建议', count: 25 }, { name: '未填写', count: 20 }],
    byMonth: months.map((month, i) => ({ month, count: perMonth[i] })),
    groupVisits: 12,
    repeatPetitions: 18,
    anonymous: 9,
    concluded: 320,
    timelyAcceptanceRate: 330 / 335,
    timelyAcceptance: { numerator: 330, denominator: 335, rate: 330 / 335 },
    onTimeConclusionRate: 300 / 310,
    onTimeConclusion: { numerator: 300, denominator: 310, rate: 300 / 310 },
    supervisedCount: 27,
    supervisedResolutionRate: 1,
    supervisedResolution: { numerator: 27, denominator: 27, rate: 1 },
    disputeResolutionRate: 196 / 203,
    disputeResolution: { numerator: 196, denominator: 203, rate: 196 / 203 },
    disputes: { found: 203, resolved: 196, inProgress: 7, escalated: 0, overdue: 1 },
    letters: { reminder: 15, supervision: 12, suggestion: 6, total: 33 },
    reviews: { reviewed: 336, compliant: 314, problems: 22, fixed: 22 },
    receptions: { sessionsHeld: 96, sessionsPlanned: 104, batches: 210, people: 388 },
    consultations: { held: 8, scheduled: 1, tasks: 20, tasksDone: 17 },
    overdueNow: { decision: 1, conclusion: 2, total: 3 },
    previous: {
      period: { from: '2025-01-01', to: '2025-12-31', label: '2025年', kind: 'year' },
      registered: 360,
      timelyAcceptanceRate: 0.97,
      onTimeConclusionRate: 0.95,
      supervisedResolutionRate: 0.96,
      disputeResolutionRate: 0.9,
    },
    ...overrides,
  };
}
