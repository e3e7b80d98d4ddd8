import type { IsoDate } from '../../platform/calendar/domain';

/**
 * Every figure the bureau reports for one period, in the shape `xinfang stats --json` prints.
 * The statistics card, its charts, the workbook and the annual report are all drawn from this one
 * object, so a figure is defined once (stats/domain) and read everywhere the same.
 *
 * Rules of the shape:
 * - counts are integers; rates are numbers between 0 and 1, or null when nothing counts (no
 *   denominator) — never a made-up 0 or 100%;
 * - every rate keeps its numerator and denominator beside it (`…Rate` + the `Ratio` object);
 * - breakdowns are arrays of `{ name, count }`, largest first, ties by name;
 * - a ledger the bot has no data for in the period is `null` (shown as "暂无数据", never as 0).
 */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

export interface StatsPeriod {
  from: IsoDate;
  to: IsoDate;
  /** How a person says it: 2026年10月, 2026年第三季度, 2026年, 2026年3月5日至2026年4月8日. */
  label: string;
  kind: PeriodKind;
}

export interface NameCount {
  name: string;
  count: number;
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when the denominator is 0. */
  rate: number | null;
}

export interface MonthCount {
  /** 2026-03 */
  month: string;
  count: number;
}

export interface DisputeFiguresJson {
  found: number;
  resolved: number;
  inProgress: number;
  escalated: number;
  overdue: number;
}

export interface LetterFiguresJson {
  /** 提醒函 */
  reminder: number;
  /** 督办函 */
  supervision: number;
  /** 改进工作建议函 */
  suggestion: number;
  total: number;
}

export interface ReviewFiguresJson {
  reviewed: number;
  /** Reviewed and found 规范 (no problem). */
  compliant: number;
  problems: number;
  fixed: number;
}

export interface ReceptionFiguresJson {
  /** Leaders' reception sessions held (recorded) in the period. */
  sessionsHeld: number;
  /** Sessions planned in the period (held, coming or not recorded; cancelled excluded). */
  sessionsPlanned: number;
  /** 接待批次 */
  batches: number;
  /** 接待人次 */
  people: number;
}

export interface ConsultationFiguresJson {
  held: number;
  scheduled: number;
  tasks: number;
  tasksDone: number;
}

export interface OverdueNowJson {
  /** Open cases past their decision deadline (受理期限) today. */
  decision: number;
  /** Open cases past their conclusion deadline (办结期限) today. */
  conclusion: number;
  total: number;
}

/** The figures of the period before (same length), for the "against the previous period" chart. */
export interface PreviousPeriodJson {
  period: StatsPeriod;
  registered: number;
  timelyAcceptanceRate: number | null;
  onTimeConclusionRate: number | null;
  supervisedResolutionRate: number | null;
  disputeResolutionRate: number | null;
}

export interface StatsReport {
  period: StatsPeriod;
  /** The day the figures were read (rates only count what had fallen due by then). */
  asOf: IsoDate;

  /** 登记信访事项 */
  registered: number;
  byChannel: NameCount[];
  byCategory: NameCount[];
  byTown: NameCount[];
  /** 信访目的 (cases without one are counted under 未填写). */
  byPurpose: NameCount[];
  /** Registrations per calendar month of the period, every month listed (0 where none). */
  byMonth: MonthCount[];
  /** 集体访 */
  groupVisits: number;
  /** 重复信访 */
  repeatPetitions: number;
  /** 匿名/身份不明 */
  anonymous: number;
  /** 办结 in the period. */
  concluded: number;

  /** 及时受理率 */
  timelyAcceptanceRate: number | null;
  timelyAcceptance: Ratio;
  /** 按期办结率 */
  onTimeConclusionRate: number | null;
  onTimeConclusion: Ratio;
  /** 督查督办化解率 */
  supervisedCount: number;
  supervisedResolutionRate: number | null;
  supervisedResolution: Ratio;
  /** 矛盾纠纷化解率 (null when the ledger holds nothing for the period) */
  disputeResolutionRate: number | null;
  disputeResolution: Ratio | null;

  disputes: DisputeFiguresJson | null;
  letters: LetterFiguresJson | null;
  reviews: ReviewFiguresJson | null;
  receptions: ReceptionFiguresJson | null;
  consultations: ConsultationFiguresJson | null;
  overdueNow: OverdueNowJson;

  previous: PreviousPeriodJson | null;
}
