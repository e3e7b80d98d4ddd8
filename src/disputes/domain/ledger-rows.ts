import type { IsoDate } from '../../platform/calendar/domain/dates';
import { isIsoDate } from '../../platform/calendar/domain/dates';
import { parseChoice, parseParties } from './dispute-fields';
import { DISPUTE_STATUS_LABELS, DisputeLists, DisputeParty, DisputeStatus, notInListError, parseDisputeNo } from './dispute-rules';

/** The columns of the ledger workbook, in the order the office keeps them. */
export const LEDGER_COLUMNS = [
  '排查编号', '排查类型', '来源', '排查日期', '乡镇', '纠纷类别', '纠纷概要', '当事人', '风险等级', '责任单位', '责任人', '化解期限',
  '状态', '化解情况', '销号日期', '转入信访事项编号',
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];

const REQUIRED: LedgerColumn[] = ['排查类型', '来源', '排查日期', '乡镇', '纠纷类别', '纠纷概要', '当事人', '风险等级', '责任单位', '责任人', '化解期限'];

/** One problem of an import: the row as Excel numbers it, the column, why. */
export interface LedgerRowError {
  row: number;
  column: LedgerColumn | null;
  message: string;
}

export function formatLedgerError(e: LedgerRowError): string {
  return `第 ${e.row} 行${e.column ? `「${e.column}」` : ''}：${e.message}`;
}

/** A row of the workbook, each cell as text (dates as YYYY-MM-DD). */
export interface LedgerRow {
  row: number;
  cells: Record<LedgerColumn, string>;
}

/** A row read into a dispute, ready to store. */
export interface LedgerEntry {
  row: number;
  no: string | null;
  screening: string;
  source: string;
  foundDate: IsoDate;
  town: string;
  category: string;
  summary: string;
  parties: DisputeParty[];
  risk: string;
  unit: string;
  owner: string;
  targetDate: IsoDate;
  status: DisputeStatus;
  resolution: string | null;
  closedDate: IsoDate | null;
  caseNo: string | null;
  /** Masked ID numbers or phones in the 当事人 cell (an export's): left out. */
  maskedDropped: number;
}

export interface LedgerLists extends DisputeLists {
  today: IsoDate;
  textMax: number;
}

const STATUS_OF_LABEL: Record<string, DisputeStatus> = {
  '': 'open', 在办: 'open', 已化解: 'resolved', 已销号: 'resolved', 转入信访事项: 'escalated', 未化解: 'escalated', 已转信访: 'escalated',
};

/**
 * Reads one row: every problem named by its column. Past target dates are allowed (an old ledger
 * is history); a resolved row needs its 化解情况 and 销号日期, an escalated one its case number.
 */
export function readLedgerRow(r: LedgerRow, lists: LedgerLists): { entry: LedgerEntry | null; errors: LedgerRowError[] } {
  const errors: LedgerRowError[] = [];
  const err = (column: LedgerColumn, message: string) => errors.push({ row: r.row, column, message });
  const c = r.cells;
  for (const col of REQUIRED) if (!c[col].trim()) err(col, '不能为空');
  for (const col of LEDGER_COLUMNS) if ([...c[col]].length > (col === '纠纷概要' || col === '化解情况' ? lists.textMax : 1000)) err(col, '内容过长');
  if (errors.length) return { entry: null, errors };

  const choice = (col: LedgerColumn, options: readonly string[]) => {
    const p = parseChoice(c[col], options, col);
    if (!p.ok) err(col, notInListError(col, c[col], options));
    return p.ok ? p.value : '';
  };
  const date = (col: LedgerColumn): IsoDate | null => {
    const v = c[col].trim().replace(/[/.]/g, '-').replace(/-(\d)(?=-|$)/g, '-0$1');
    if (!v) return null;
    if (!isIsoDate(v)) err(col, `“${c[col]}”不是日期（应为 2026-03-15 或 Excel 日期）`);
    return isIsoDate(v) ? v : null;
  };
  let no: string | null = null;
  if (c['排查编号'].trim()) {
    no = parseDisputeNo(c['排查编号']);
    if (!no) err('排查编号', `“${c['排查编号']}”不是排查编号（形如 排2026-0001），或留空由系统编号`);
  }
  const screening = choice('排查类型', lists.screeningTypes);
  const source = choice('来源', lists.sources);
  const town = choice('乡镇', lists.towns);
  const category = choice('纠纷类别', lists.categories);
  const risk = choice('风险等级', lists.riskLevels);
  const unit = lists.units.includes(c['责任单位'].trim()) ? c['责任单位'].trim() : (err('责任单位', notInListError('责任单位', c['责任单位'], lists.units)), '');
  const foundDate = date('排查日期');
  const targetDate = date('化解期限');
  const closedDate = date('销号日期');
  if (foundDate && foundDate > lists.today) err('排查日期', `${foundDate} 晚于今天`);
  if (foundDate && targetDate && targetDate < foundDate) err('化解期限', '早于排查日期');
  const tokens = c['当事人'].split(/([；;\n]+)/);
  let maskedDropped = 0;
  const cleaned = tokens.map((t, i) => i % 2 ? t : t.split(/[\s,，、]+/).filter((w) => (w.includes('*') ? (maskedDropped++, false) : true)).join(' ')).join('');
  const parties = parseParties(cleaned, lists.today);
  if (!parties.ok) err('当事人', parties.reason);
  const status = STATUS_OF_LABEL[c['状态'].trim()];
  if (!status) err('状态', `“${c['状态']}”无效，应为 ${Object.values(DISPUTE_STATUS_LABELS).join('、')}`);
  if (status === 'resolved' && !c['化解情况'].trim()) err('化解情况', '已化解的须写明化解情况');
  if (status !== 'open' && status && !closedDate) err('销号日期', status === 'resolved' ? '已化解的须写明销号日期' : '转入信访事项的须写明转入日期');
  if (status === 'escalated' && !c['转入信访事项编号'].trim()) err('转入信访事项编号', '转入信访事项的须写明信访事项编号');
  if (closedDate && foundDate && closedDate < foundDate) err('销号日期', '早于排查日期');
  if (errors.length) return { entry: null, errors };
  return {
    entry: {
      row: r.row, no, screening, source, foundDate: foundDate!, town, category, summary: c['纠纷概要'].trim(), parties: (parties as { value: DisputeParty[] }).value,
      risk, unit, owner: c['责任人'].trim(), targetDate: targetDate!, status: status!, resolution: status === 'open' ? null : c['化解情况'].trim() || null,
      closedDate: status === 'open' ? null : closedDate, caseNo: status === 'escalated' ? c['转入信访事项编号'].trim() : null, maskedDropped,
    },
    errors,
  };
}
