import type * as ExcelJS from 'exceljs';
import { loadExcel } from '../platform/documents/office-libraries';
import { formatChineseDate } from '../platform/calendar/domain';
import type { StatsReport } from './domain/stats-report';
import { breakdowns, ledgerSheets, NO_DATA, summaryRows, sumCounts } from './report/report-figures';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 信访统计-2026年第三季度.xlsx */
export function statsWorkbookName(report: StatsReport): string {
  return `信访统计-${report.period.label}.xlsx`;
}

const FONT = '宋体';
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const PERCENT = '0.0%';
const TITLE_ROW = 1;
const SUBTITLE_ROW = 2;
const HEADER_ROW = 3;

/**
 * The figures of a StatsReport as a workbook for printing: a 汇总 sheet with every figure (rates
 * as % cells beside their numerator and denominator; "暂无数据" for a ledger without data), one
 * sheet per breakdown with its 合计 row, one per ledger that has data. Every sheet prints on A4,
 * one page wide, with its header row repeated and the period and page numbers in header and footer.
 */
export async function buildStatsWorkbook(report: StatsReport): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'xinfang-bot';
  wb.title = `信访统计 ${report.period.label}`;
  wb.created = new Date(`${report.asOf}T00:00:00+08:00`);

  const subtitle = `统计时段：${report.period.label}（${dateCn(report.period.from)}至${dateCn(report.period.to)}），统计日：${dateCn(report.asOf)}`;

  // 汇总
  const sum = sheet(wb, '汇总', report, ['分组', '指标', '数值', '分子', '分母', '说明'], `信访工作统计汇总表（${report.period.label}）`, subtitle);
  for (const row of summaryRows(report)) {
    const r = sum.addRow([row.group, row.label, row.value, row.numerator ?? '', row.denominator ?? '', row.note]);
    const v = r.getCell(3);
    if (row.rate) v.numFmt = PERCENT;
    if (typeof row.value === 'string') v.alignment = { horizontal: 'center', vertical: 'middle' };
    bodyRow(r, 6);
  }
  mergeGroups(sum);
  fitColumns(sum, 6);

  // breakdowns
  for (const b of breakdowns(report)) {
    const ws = sheet(wb, b.sheet, report, [b.heading, '件数', '占比'], `信访事项${b.sheet}统计表（${report.period.label}）`, subtitle);
    const total = sumCounts(b.rows);
    for (const item of b.rows) {
      const r = ws.addRow([item.name, item.count, total ? item.count / total : '—']);
      r.getCell(3).numFmt = PERCENT;
      bodyRow(r, 3);
    }
    if (!b.rows.length) bodyRow(ws.addRow(['（本期无登记）', 0, '—']), 3);
    const t = ws.addRow(['合计', total, total ? 1 : '—']);
    t.getCell(3).numFmt = PERCENT;
    bodyRow(t, 3, true);
    fitColumns(ws, 3);
  }

  // ledgers with data
  for (const l of ledgerSheets(report)) {
    const ws = sheet(wb, l.sheet, report, ['项目', '数量', '单位', '说明'], `${l.sheet}统计表（${report.period.label}）`, subtitle);
    for (const item of l.items) bodyRow(ws.addRow([item.label, item.count, item.unit, item.note]), 4);
    if (l.total) bodyRow(ws.addRow([l.total.label, l.total.count, l.total.unit, l.total.note]), 4, true);
    fitColumns(ws, 4);
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

const dateCn = (d: string) => formatChineseDate(d, false);

function sheet(wb: ExcelJS.Workbook, name: string, report: StatsReport, headers: string[], title: string, subtitle: string): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddHeader: `&C&10信访统计 ${report.period.label}`,
      oddFooter: `&L&9统计日：${dateCn(report.asOf)}&C&9第 &P 页，共 &N 页&R&9${name}`,
    },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  });
  const last = String.fromCharCode(64 + headers.length);
  ws.getCell(`A${TITLE_ROW}`).value = title;
  ws.mergeCells(`A${TITLE_ROW}:${last}${TITLE_ROW}`);
  const t = ws.getCell(`A${TITLE_ROW}`);
  t.font = { name: FONT, size: 16, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(TITLE_ROW).height = 30;

  ws.getCell(`A${SUBTITLE_ROW}`).value = subtitle;
  ws.mergeCells(`A${SUBTITLE_ROW}:${last}${SUBTITLE_ROW}`);
  const s = ws.getCell(`A${SUBTITLE_ROW}`);
  s.font = { name: FONT, size: 10 };
  s.alignment = { horizontal: 'center', vertical: 'middle' };

  const h = ws.getRow(HEADER_ROW);
  h.values = headers;
  h.height = 22;
  h.eachCell((c) => {
    c.font = { name: FONT, size: 11, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = BORDER;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  return ws;
}

function bodyRow(r: ExcelJS.Row, columns: number, total = false): void {
  for (let i = 1; i <= columns; i++) {
    const c = r.getCell(i);
    c.border = BORDER;
    c.font = { name: FONT, size: 11, bold: total };
    const isNumber = typeof c.value === 'number';
    c.alignment = { vertical: 'middle', wrapText: true, horizontal: isNumber || c.value === NO_DATA || c.value === '—' ? 'center' : i === 1 && total ? 'center' : 'left', ...(c.alignment ?? {}) };
  }
}

/** Merges the 分组 cells of consecutive rows of the same group on the 汇总 sheet. */
function mergeGroups(ws: ExcelJS.Worksheet): void {
  let start = HEADER_ROW + 1;
  const last = ws.rowCount;
  for (let i = HEADER_ROW + 1; i <= last + 1; i++) {
    const here = i <= last ? ws.getCell(`A${i}`).value : null;
    const first = ws.getCell(`A${start}`).value;
    if (i > last || here !== first) {
      if (i - 1 > start) ws.mergeCells(`A${start}:A${i - 1}`);
      ws.getCell(`A${start}`).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      start = i;
    }
  }
}

/** Display width of a text: a Chinese character takes two columns. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return w;
}

function fitColumns(ws: ExcelJS.Worksheet, columns: number): void {
  for (let i = 1; i <= columns; i++) {
    let width = 6;
    ws.getColumn(i).eachCell({ includeEmpty: false }, (c, rowNumber) => {
      if (rowNumber < HEADER_ROW) return; // the merged title rows span every column
      const v = c.value;
      const text = typeof v === 'number' ? (c.numFmt === PERCENT ? '100.0%' : String(v)) : String(v ?? '');
      width = Math.max(width, textWidth(text) + 2);
    });
    ws.getColumn(i).width = Math.min(width, 44);
  }
}
