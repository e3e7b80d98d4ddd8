import type { NameCount, Ratio, StatsReport } from '../domain/stats-report';

/**
 * The words both the workbook and the annual report use for the figures of a StatsReport, so a
 * figure reads the same in both: one row per figure of the 汇总 sheet, percentages written once.
 * Pure: no file, no clock.
 */

export const NO_DATA = '暂无数据';

/** One row of the 汇总 sheet. `value` is a count, a rate (0..1, shown as %), or a word when there is none. */
export interface SummaryRow {
  group: string;
  label: string;
  value: number | string;
  /** True when `value` is a rate (a number between 0 and 1). */
  rate?: boolean;
  numerator?: number;
  denominator?: number;
  note: string;
}

/** 98.5% — one decimal, no trailing .0 (100%, 0%). */
export function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/** 98.5%（330/335）, or why there is no rate. */
export function ratioText(r: Ratio | null, none = '本期无到期事项'): string {
  if (r === null) return NO_DATA;
  if (r.rate === null) return `—（${none}）`;
  return `${percent(r.rate)}（${r.numerator}/${r.denominator}）`;
}

/** 2026-03 → 2026年3月 */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

export function sumCounts(rows: readonly { count: number }[]): number {
  return rows.reduce((s, r) => s + r.count, 0);
}

function rateRow(group: string, label: string, r: Ratio | null, what: string, none: string): SummaryRow {
  if (r === null) return { group, label, value: NO_DATA, note: `${what}（台账暂无本期数据）` };
  if (r.rate === null) return { group, label, value: '—', numerator: r.numerator, denominator: r.denominator, note: `${what}；${none}` };
  return { group, label, value: r.rate, rate: true, numerator: r.numerator, denominator: r.denominator, note: what };
}

function countRow(group: string, label: string, value: number | null | undefined, note: string): SummaryRow {
  return { group, label, value: value ?? NO_DATA, note };
}

/** Every figure of the report, in the order the bureau reads them. */
export function summaryRows(r: StatsReport): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const g1 = '信访登记';
  rows.push(countRow(g1, '登记信访事项（件）', r.registered, '本期登记的信访事项'));
  rows.push(countRow(g1, '其中：集体访（件）', r.groupVisits, '5人以上同一诉求'));
  rows.push(countRow(g1, '其中：重复信访（件）', r.repeatPetitions, '同一信访人同一事项再次信访'));
  rows.push(countRow(g1, '其中：匿名/身份不明（件）', r.anonymous, '未留姓名或身份无法核实'));
  rows.push(countRow(g1, '办结（件）', r.concluded, '本期办结的信访事项'));

  const g2 = '办理质效';
  rows.push(rateRow(g2, '及时受理率', r.timelyAcceptance, '期限内作出受理决定的 / 本期到期应受理的', '本期无到期事项'));
  rows.push(rateRow(g2, '按期办结率', r.onTimeConclusion, '期限内办结的 / 本期到期应办结的', '本期无到期事项'));
  rows.push(countRow(g2, '督查督办事项（件）', r.supervisedCount, '本期督查督办的信访事项'));
  rows.push(rateRow(g2, '督查督办化解率', r.supervisedResolution, '已化解的督办事项 / 督办事项', '本期无督办事项'));
  rows.push(countRow(g2, '当前逾期未受理（件）', r.overdueNow.decision, `截至统计日已过受理期限仍未受理`));
  rows.push(countRow(g2, '当前逾期未办结（件）', r.overdueNow.conclusion, `截至统计日已过办结期限仍未办结`));
  rows.push(countRow(g2, '当前逾期合计（件）', r.overdueNow.total, '截至统计日'));

  const g3 = '矛盾纠纷排查化解';
  const d = r.disputes;
  rows.push(countRow(g3, '排查矛盾纠纷（件）', d?.found, '本期排查登记'));
  rows.push(countRow(g3, '已化解（件）', d?.resolved, '已销号'));
  rows.push(countRow(g3, '正在调处（件）', d?.inProgress, '未销号'));
  rows.push(countRow(g3, '上报/转信访（件）', d?.escalated, '转为信访事项或上报'));
  rows.push(countRow(g3, '超期未化解（件）', d?.overdue, '已过化解期限'));
  rows.push(rateRow(g3, '矛盾纠纷化解率', r.disputeResolution, '已化解 / 排查', '本期无排查事项'));

  const g4 = '函件（三项建议权）';
  const l = r.letters;
  rows.push(countRow(g4, '发出函件合计（件）', l?.total, '提醒函、督办函、改进工作建议函'));
  rows.push(countRow(g4, '其中：提醒函（件）', l?.reminder, ''));
  rows.push(countRow(g4, '其中：督办函（件）', l?.supervision, ''));
  rows.push(countRow(g4, '其中：改进工作建议函（件）', l?.suggestion, ''));

  const g5 = '信访事项评查';
  const v = r.reviews;
  rows.push(countRow(g5, '评查信访事项（件）', v?.reviewed, '本期完成评查'));
  rows.push(countRow(g5, '其中：办理规范（件）', v?.compliant, '未发现问题'));
  rows.push(countRow(g5, '发现问题（个）', v?.problems, ''));
  rows.push(countRow(g5, '已整改（个）', v?.fixed, '整改经评查人验收'));

  const g6 = '领导干部接访';
  const c = r.receptions;
  rows.push(countRow(g6, '接访场次（已开展）', c?.sessionsHeld, '已记录接访情况的场次'));
  rows.push(countRow(g6, '接访场次（计划）', c?.sessionsPlanned, '不含已取消'));
  rows.push(countRow(g6, '接待批次', c?.batches, ''));
  rows.push(countRow(g6, '接待人次', c?.people, ''));

  const g7 = '疑难复杂问题会商';
  const m = r.consultations;
  rows.push(countRow(g7, '召开会商/联席会议（次）', m?.held, ''));
  rows.push(countRow(g7, '已安排待召开（次）', m?.scheduled, ''));
  rows.push(countRow(g7, '会商议定任务（项）', m?.tasks, ''));
  rows.push(countRow(g7, '其中：已完成（项）', m?.tasksDone, ''));

  if (r.previous) {
    const p = r.previous;
    const g8 = `上期对比（${p.period.label}）`;
    rows.push(countRow(g8, '上期登记信访事项（件）', p.registered, ''));
    rows.push(prevRate(g8, '上期及时受理率', p.timelyAcceptanceRate));
    rows.push(prevRate(g8, '上期按期办结率', p.onTimeConclusionRate));
    rows.push(prevRate(g8, '上期督查督办化解率', p.supervisedResolutionRate));
    rows.push(prevRate(g8, '上期矛盾纠纷化解率', p.disputeResolutionRate));
  }
  return rows;
}

function prevRate(group: string, label: string, rate: number | null): SummaryRow {
  return rate === null ? { group, label, value: '—', note: '上期无可计算的事项' } : { group, label, value: rate, rate: true, note: '' };
}

/** The breakdown sheets: name, column heading, rows. Month rows are labelled 2026年3月. */
export interface Breakdown {
  sheet: string;
  heading: string;
  rows: NameCount[];
}

export function breakdowns(r: StatsReport): Breakdown[] {
  return [
    { sheet: '按信访形式', heading: '信访形式', rows: r.byChannel },
    { sheet: '按问题类别', heading: '问题类别', rows: r.byCategory },
    { sheet: '按问题属地', heading: '问题属地', rows: r.byTown },
    { sheet: '按信访目的', heading: '信访目的', rows: r.byPurpose },
    { sheet: '按月份', heading: '月份', rows: r.byMonth.map((m) => ({ name: monthLabel(m.month), count: m.count })) },
  ];
}

/**
 * A ledger's sheet: its items and, where the ledger has one, the row that totals them (排查合计,
 * 函件合计, 评查合计; the reception figures have no sum that means anything). Only for ledgers with data.
 */
export interface LedgerSheet {
  sheet: string;
  items: { label: string; count: number; unit: string; note: string }[];
  total: { label: string; count: number; unit: string; note: string } | null;
}

export function ledgerSheets(r: StatsReport): LedgerSheet[] {
  const out: LedgerSheet[] = [];
  if (r.disputes) {
    const d = r.disputes;
    out.push({
      sheet: '矛盾纠纷',
      items: [
        { label: '已化解', count: d.resolved, unit: '件', note: '已销号' },
        { label: '正在调处', count: d.inProgress, unit: '件', note: '未销号' },
        { label: '上报/转信访', count: d.escalated, unit: '件', note: '转为信访事项或上报' },
        { label: '超期未化解', count: d.overdue, unit: '件', note: '已过化解期限' },
      ],
      total: { label: '排查合计', count: d.found, unit: '件', note: `化解率 ${ratioText(r.disputeResolution, '本期无排查事项')}` },
    });
  }
  if (r.letters) {
    const l = r.letters;
    out.push({
      sheet: '函件',
      items: [
        { label: '提醒函', count: l.reminder, unit: '件', note: '' },
        { label: '督办函', count: l.supervision, unit: '件', note: '' },
        { label: '改进工作建议函', count: l.suggestion, unit: '件', note: '' },
      ],
      total: { label: '合计', count: l.total, unit: '件', note: '' },
    });
  }
  if (r.reviews) {
    const v = r.reviews;
    out.push({
      sheet: '评查',
      items: [
        { label: '办理规范', count: v.compliant, unit: '件', note: '未发现问题' },
        { label: '发现问题', count: v.problems, unit: '个', note: '' },
        { label: '已整改', count: v.fixed, unit: '个', note: '整改经评查人验收' },
      ],
      total: { label: '评查合计', count: v.reviewed, unit: '件', note: '' },
    });
  }
  if (r.receptions) {
    const c = r.receptions;
    out.push({
      sheet: '领导接访',
      items: [
        { label: '接访场次（已开展）', count: c.sessionsHeld, unit: '场', note: '已记录接访情况' },
        { label: '接访场次（计划）', count: c.sessionsPlanned, unit: '场', note: '不含已取消' },
        { label: '接待批次', count: c.batches, unit: '批', note: '' },
        { label: '接待人次', count: c.people, unit: '人次', note: '' },
      ],
      total: null,
    });
  }
  return out;
}
