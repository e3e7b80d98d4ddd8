import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { StatsDueGroup, StatsNameCount, StatsRegistrations, StatsSupervisedRow } from '../../cases';
import type { DisputeFigures } from '../../disputes';
import type { LetterKind } from '../../letters';
import type { ReviewFigures } from '../../reviews';
import type { ReceptionFigures } from '../../roster';
import type {
  ConsultationFiguresJson, DisputeFiguresJson, LetterFiguresJson, MonthCount, NameCount, OverdueNowJson, PreviousPeriodJson, Ratio,
  ReceptionFiguresJson, ReviewFiguresJson, StatsPeriod, StatsReport,
} from './stats-report';
import { monthsOf } from './periods';

export { parsePeriod, periodError, PERIOD_FORMS, previousPeriod } from './periods';

/**
 * The figures the bureau reports, defined once. The database sums the cases of a period per
 * column and per due day (cases/queries/stats-cases.ts); these functions decide what counts.
 * What each figure counts is written in src/stats/README.md ("统计口径").
 */

/** What the database gives for the period, before any rule is applied. A ledger's null: not read. */
export interface StatsSources {
  registrations: StatsRegistrations;
  /** Cases 办结 (replied) in the period. */
  concluded: number;
  /** Decision (受理) deadlines per due day, over the previous period and this one at least. */
  decisionDue: StatsDueGroup[];
  /** Conclusion (办结) deadlines per due day (an extension has moved the day already), as far. */
  conclusionDue: StatsDueGroup[];
  /** 当前逾期: open deadlines whose last day is before today, counted by the database over the open ones. */
  overdue: { decision: number; conclusion: number };
  supervised: StatsSupervisedRow[];
  disputes: DisputeFigures | null;
  letters: (Record<LetterKind, number> & { total: number }) | null;
  reviews: ReviewFigures | null;
  receptions: ReceptionFigures | null;
  consultations: ConsultationFiguresJson | null;
}

/** What the previous period's comparison needs besides the deadlines and supervised cases of StatsSources. */
export interface PreviousSources {
  period: StatsPeriod;
  registered: number;
  disputes: DisputeFigures | null;
}

export const UNFILLED = '未填写';

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator ? numerator / denominator : null };
}

/** Largest first, ties by pinyin (来访 before 来信); a value not filled in is counted under 未填写. */
export function breakdown(rows: readonly StatsNameCount[]): NameCount[] {
  const m = new Map<string, number>();
  for (const r of rows) {
    const name = r.name === null || r.name.trim() === '' ? UNFILLED : r.name;
    m.set(name, (m.get(name) ?? 0) + r.count);
  }
  return [...m.entries()]
    .filter(([, count]) => count > 0)
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
}

/** Registrations per calendar month of the period, every month listed (0 where none). */
export function monthSeries(period: StatsPeriod, days: StatsRegistrations['byDay']): MonthCount[] {
  const by = new Map<string, number>();
  for (const d of days) if (d.date >= period.from && d.date <= period.to) by.set(d.date.slice(0, 7), (by.get(d.date.slice(0, 7)) ?? 0) + d.count);
  return monthsOf(period).map((month) => ({ month, count: by.get(month) ?? 0 }));
}

/**
 * 及时受理率 / 按期办结率: over the deadlines that fell due in the period. A deadline met by its
 * last day counts for; one met later, or still unmet after its last day, counts against; one
 * still unmet while its last day has not passed (today ≤ due) counts neither way.
 */
export function dueRatio(groups: readonly StatsDueGroup[], period: StatsPeriod, asOf: IsoDate): Ratio {
  let numerator = 0;
  let denominator = 0;
  for (const g of groups) {
    if (g.due < period.from || g.due > period.to) continue;
    denominator += g.due < asOf ? g.total : g.done;
    numerator += g.doneByDue;
  }
  return ratio(numerator, denominator);
}

/**
 * 督查督办化解率: the cases under 挂牌督办 during the period — supervision begun by its end
 * (or today, for a period not over) and not 办结 before it began — and of them those 办结 by
 * that end.
 */
export function supervisedRatio(rows: readonly StatsSupervisedRow[], period: StatsPeriod, asOf: IsoDate): Ratio {
  const end = asOf < period.to ? asOf : period.to;
  let denominator = 0;
  let numerator = 0;
  for (const r of rows) {
    if (r.since > end) continue;
    if (r.repliedDate !== null && r.repliedDate < period.from) continue;
    denominator++;
    if (r.repliedDate !== null && r.repliedDate <= end) numerator++;
  }
  return ratio(numerator, denominator);
}

/** The dispute ledger's figures, or null when it holds nothing found in the period. */
export function disputeJson(f: DisputeFigures | null): DisputeFiguresJson | null {
  if (!f || f.found === 0) return null;
  return { found: f.found, resolved: f.resolved, inProgress: f.inProgress, escalated: f.escalated, overdue: f.overdue };
}

export function letterJson(f: StatsSources['letters']): LetterFiguresJson | null {
  if (!f || f.total === 0) return null;
  return { reminder: f['提醒函'], supervision: f['督办函'], suggestion: f['改进工作建议函'], total: f.total };
}

/** 评查: reviews recorded in the period; 规范 = recorded without a problem; problems found and fixed (整改 accepted). */
export function reviewJson(f: ReviewFigures | null): ReviewFiguresJson | null {
  if (!f || f.reviewed === 0) return null;
  return { reviewed: f.reviewed, compliant: f.reviewed - f.withProblems, problems: f.problems, fixed: f.fixed };
}

export function receptionJson(f: ReceptionFigures | null): ReceptionFiguresJson | null {
  if (!f || f.sessionsPlanned === 0) return null;
  return { sessionsHeld: f.sessionsHeld, sessionsPlanned: f.sessionsPlanned, batches: f.batches, people: f.people };
}

export function consultationJson(f: ConsultationFiguresJson | null): ConsultationFiguresJson | null {
  if (!f || f.scheduled === 0) return null;
  return { held: f.held, scheduled: f.scheduled, tasks: f.tasks, tasksDone: f.tasksDone };
}

export function overdueJson(s: Pick<StatsSources, 'overdue'>): OverdueNowJson {
  const { decision, conclusion } = s.overdue;
  return { decision, conclusion, total: decision + conclusion };
}

function previousJson(p: PreviousSources, s: StatsSources, asOf: IsoDate): PreviousPeriodJson {
  const disputes = disputeJson(p.disputes);
  return {
    period: p.period,
    registered: p.registered,
    timelyAcceptanceRate: dueRatio(s.decisionDue, p.period, asOf).rate,
    onTimeConclusionRate: dueRatio(s.conclusionDue, p.period, asOf).rate,
    supervisedResolutionRate: supervisedRatio(s.supervised, p.period, asOf).rate,
    disputeResolutionRate: disputes ? ratio(disputes.resolved, disputes.found).rate : null,
  };
}

/** Every figure of the period, from what the database summed. */
export function buildStatsReport(period: StatsPeriod, asOf: IsoDate, s: StatsSources, previous: PreviousSources | null): StatsReport {
  const reg = s.registrations;
  const sum = (f: (r: StatsRegistrations['byDay'][number]) => number) => reg.byDay.filter((r) => r.date >= period.from && r.date <= period.to).reduce((n, r) => n + f(r), 0);
  const timelyAcceptance = dueRatio(s.decisionDue, period, asOf);
  const onTimeConclusion = dueRatio(s.conclusionDue, period, asOf);
  const supervisedResolution = supervisedRatio(s.supervised, period, asOf);
  const disputes = disputeJson(s.disputes);
  const disputeResolution = disputes ? ratio(disputes.resolved, disputes.found) : null;
  return {
    period,
    asOf,
    registered: sum((r) => r.count),
    byChannel: breakdown(reg.byChannel),
    byCategory: breakdown(reg.byCategory),
    byTown: breakdown(reg.byTown),
    byPurpose: breakdown(reg.byPurpose),
    byMonth: monthSeries(period, reg.byDay),
    groupVisits: sum((r) => r.groupVisits),
    repeatPetitions: reg.repeat,
    anonymous: sum((r) => r.anonymous),
    concluded: s.concluded,
    timelyAcceptanceRate: timelyAcceptance.rate,
    timelyAcceptance,
    onTimeConclusionRate: onTimeConclusion.rate,
    onTimeConclusion,
    supervisedCount: supervisedResolution.denominator,
    supervisedResolutionRate: supervisedResolution.rate,
    supervisedResolution,
    disputeResolutionRate: disputeResolution?.rate ?? null,
    disputeResolution,
    disputes,
    letters: letterJson(s.letters),
    reviews: reviewJson(s.reviews),
    receptions: receptionJson(s.receptions),
    consultations: consultationJson(s.consultations),
    overdueNow: overdueJson(s),
    previous: previous ? previousJson(previous, s, asOf) : null,
  };
}

/** 33.3%（1/3）, or the reason there is no rate. */
export function formatRatio(r: Ratio | null, none = '本期无到期事项'): string {
  if (r === null) return '暂无数据';
  if (r.rate === null) return `—（${none}）`;
  return `${Math.round(r.rate * 1000) / 10}%（${r.numerator}/${r.denominator}）`;
}
