import type * as ExcelJS from 'exceljs';
import { loadExcel } from '../platform/documents/office-libraries';
import { IsoDate, isIsoDate } from '../platform/calendar/domain';
import type { SessionView } from './session-view';
import { SessionThirdParty, thirdPartyLabel } from './domain/third-party-rules';

/** The columns of the plan workbook, in the order offices print them. */
export const PLAN_COLUMNS = ['日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点'] as const;
export type PlanColumn = (typeof PLAN_COLUMNS)[number];
const REQUIRED: PlanColumn[] = ['日期', '时间', '领导', '地点', '类型'];

/**
 * The most characters a cell may hold, from the columns it is stored in: 接访重点 is
 * sessions.focus (200), 地点 a venues.name (128), 陪同单位 a list kept as JSON in a TEXT column
 * (more than any reception takes); names and words are matched against short lists. A longer
 * cell is an error of its row and column, before anything else is read from it.
 */
export const CELL_MAX: Record<PlanColumn, number> = {
  日期: 32, 时间: 32, 领导: 200, 职务: 400, 地点: 128, 类型: 8, 陪同单位: 1000, 接访重点: 200,
};

/** Characters as MySQL counts them (code points, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

/** A cell's text quoted in a message: at most `max` characters, the rest marked. */
export function shown(text: string, max = 30): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}……` : text;
}

/** The row's cells over their column's limit, each an error naming the column, the limit and the length. */
export function overlongCells(r: PlanRow): RowError[] {
  return PLAN_COLUMNS.filter((c) => charCount(r.cells[c]) > CELL_MAX[c]).map((c) => ({
    row: r.row,
    column: c,
    message: `内容过长：不能超过 ${CELL_MAX[c]} 字（现有 ${charCount(r.cells[c])} 字）`,
  }));
}

/** One row problem of an import: which row (as Excel numbers it), which column, and why. */
export interface RowError {
  row: number;
  column: PlanColumn | null;
  message: string;
}

/** A data row read from the workbook, each cell as text (dates as YYYY-MM-DD). */
export interface PlanRow {
  row: number;
  cells: Record<PlanColumn, string>;
  /** The date cell when it held a real date or a readable date text; null otherwise. */
  date: IsoDate | null;
}

export class PlanImportError extends Error {
  constructor(public readonly errors: RowError[]) {
    super(`导入失败：工作簿有 ${errors.length} 处错误，未导入任何数据`);
    this.name = 'PlanImportError';
  }
}

/** “第 3 行「日期」：…” — how a row error reads. */
export function formatRowError(e: RowError): string {
  return `第 ${e.row} 行${e.column ? `「${e.column}」` : ''}：${e.message}`;
}

export const LIST_SEPARATOR = '、';

/** The export's column of the 第三方力量 at each session (律师：张明远（正衡律师事务所）); the import reads past it. */
export const THIRD_PARTY_COLUMN = '第三方力量';

/** The year's plan as a workbook in the office layout; cancelled sessions are left out. */
export async function exportPlanWorkbook(year: number, sessions: SessionView[], thirdParties = new Map<number, SessionThirdParty[]>()): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = '信访助手';
  wb.created = new Date(0);
  const ws = wb.addWorksheet(`${year}年接访下访安排`, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '日期', key: 'date', width: 14 },
    { header: '时间', key: 'time', width: 18 },
    { header: '领导', key: 'leaders', width: 16 },
    { header: '职务', key: 'titles', width: 30 },
    { header: '地点', key: 'venue', width: 24 },
    { header: '类型', key: 'type', width: 8 },
    { header: '陪同单位', key: 'accompany', width: 30 },
    { header: '接访重点', key: 'focus', width: 30 },
    { header: THIRD_PARTY_COLUMN, key: 'thirdParties', width: 36 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const s of sessions) {
    if (s.status === 'cancelled') continue;
    ws.addRow({
      // Text, not an Excel date: no time zone can shift it, and every office tool reads it.
      date: s.date,
      time: `${s.slot} ${s.startTime}-${s.endTime}`,
      leaders: s.leaders.map((l) => l.name).join(LIST_SEPARATOR),
      titles: s.leaders.map((l) => l.title).join(LIST_SEPARATOR),
      venue: s.venueName,
      type: s.type,
      accompany: s.accompanyUnits.join(LIST_SEPARATOR),
      focus: s.focus ?? '',
      // Names and units only: the workbook is passed around; phones stay in the bot.
      thirdParties: (thirdParties.get(s.id) ?? []).map((p) => thirdPartyLabel(p)).join(LIST_SEPARATOR),
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

/** Reads 2026-03-05, 2026/3/5, 2026.3.5 and 2026年3月5日 (with an optional weekday after it). */
export function parsePlanDate(text: string): IsoDate | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(（.*）|\(.*\))?$/.exec(text.trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isIsoDate(d) ? d : null;
}

/**
 * Reads the first worksheet: finds the columns by their headers (any order), and returns the
 * data rows with their Excel row numbers. Header problems come back as errors of row 1.
 */
export async function readPlanWorkbook(data: Buffer): Promise<{ rows: PlanRow[]; errors: RowError[] }> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(data as any);
  } catch {
    return { rows: [], errors: [{ row: 0, column: null, message: '文件不是有效的 Excel 工作簿（.xlsx）' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], errors: [{ row: 0, column: null, message: '工作簿中没有工作表' }] };
  const header = ws.getRow(1);
  const colOf = new Map<PlanColumn, number>();
  header.eachCell((cell, col) => {
    const t = cellText(cell.value).replace(/\s/g, '') as PlanColumn;
    if ((PLAN_COLUMNS as readonly string[]).includes(t) && !colOf.has(t)) colOf.set(t, col);
  });
  const missing = REQUIRED.filter((c) => !colOf.has(c));
  if (missing.length) {
    return {
      rows: [],
      errors: missing.map((c) => ({ row: 1, column: c, message: `表头缺少“${c}”列（表头应为：${PLAN_COLUMNS.join('、')}）` })),
    };
  }
  const rows: PlanRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = {} as Record<PlanColumn, string>;
    for (const c of PLAN_COLUMNS) cells[c] = colOf.has(c) ? cellText(r.getCell(colOf.get(c)!).value) : '';
    if (PLAN_COLUMNS.every((c) => !cells[c])) return;
    const raw = colOf.has('日期') ? r.getCell(colOf.get('日期')!).value : null;
    // An Excel date cell is read as midnight UTC of that calendar day.
    const date = raw instanceof Date ? raw.toISOString().slice(0, 10) : parsePlanDate(cells['日期']);
    rows.push({ row: rowNumber, cells, date });
  });
  return { rows, errors: [] };
}

/** “上午”, “09:00-12:00”, “上午 09:00-12:00” -> slot and times (slot times fill what is missing). */
export function parsePlanTime(
  text: string,
  slots: Record<'上午' | '下午' | '全天', { start: string; end: string }>,
): { slot: '上午' | '下午' | '全天'; startTime: string; endTime: string } | null {
  const t = text.replace(/\s+/g, ' ').trim();
  const slotWord = (['上午', '下午', '全天'] as const).find((s) => t.includes(s));
  const m = /(\d{1,2})[:：](\d{2})\s*[-–—~至到]\s*(\d{1,2})[:：](\d{2})/.exec(t);
  const rest = t.replace(slotWord ?? '', '').replace(m?.[0] ?? '', '').trim();
  if (rest) return null;
  if (m) {
    const start = `${m[1].padStart(2, '0')}:${m[2]}`;
    const end = `${m[3].padStart(2, '0')}:${m[4]}`;
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(start) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(end) || start >= end) return null;
    const slot = slotWord ?? (end <= '12:30' ? '上午' : start >= '12:00' ? '下午' : '全天');
    return { slot, startTime: start, endTime: end };
  }
  if (!slotWord) return null;
  return { slot: slotWord, startTime: slots[slotWord].start, endTime: slots[slotWord].end };
}

export function splitList(text: string): string[] {
  return text.split(/[、,，;；\n]/).map((s) => s.trim()).filter(Boolean);
}

export const planFileName = (year: number) => `${year}年接访下访安排.xlsx`;

