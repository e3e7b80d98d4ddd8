import type * as ExcelJS from 'exceljs';
import { loadExcel } from '../platform/documents/office-libraries';
import { partiesText } from './domain/dispute-fields';
import { DISPUTE_STATUS_LABELS } from './domain/dispute-rules';
import { LEDGER_COLUMNS, LedgerColumn, LedgerRow } from './domain/ledger-rows';
import type { DisputeRecord } from './dispute-store';

const WIDTHS: Partial<Record<LedgerColumn, number>> = { 纠纷概要: 40, 当事人: 36, 化解情况: 30, 责任单位: 22 };

/**
 * The ledger as a workbook in the office's layout: one row per dispute, Chinese headers. ID
 * numbers and phones are masked unless `unmasked` (moving the ledger to another system).
 */
export async function exportLedgerWorkbook(title: string, disputes: DisputeRecord[], opts: { unmasked?: boolean } = {}): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = '信访助手';
  wb.created = new Date(0);
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = LEDGER_COLUMNS.map((c) => ({ header: c, key: c, width: WIDTHS[c] ?? 14 }));
  ws.getRow(1).font = { bold: true };
  for (const d of disputes) {
    const parties = opts.unmasked
      ? d.parties.map((p) => [p.name, p.idNumber, p.phone].filter(Boolean).join(' ')).join('；')
      : partiesText(d.parties, { reveal: true });
    const cells: Record<LedgerColumn, string> = {
      排查编号: d.no, 排查类型: d.screening, 来源: d.source, 排查日期: d.foundDate, 乡镇: d.town, 纠纷类别: d.category, 纠纷概要: d.summary,
      当事人: parties, 风险等级: d.risk, 责任单位: d.unit, 责任人: d.owner, 化解期限: d.targetDate, 状态: DISPUTE_STATUS_LABELS[d.status],
      化解情况: d.resolution ?? '', 销号日期: d.closedDate ?? '', 转入信访事项编号: d.caseNo ?? '',
    };
    ws.addRow(cells);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

/**
 * The data rows of the first sheet, by header name (columns in any order); a missing header is
 * an error of row 1.
 */
export async function readLedgerWorkbook(data: Buffer): Promise<{ rows: LedgerRow[]; missing: LedgerColumn[] }> {
  const wb = new (await loadExcel()).Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], missing: [...LEDGER_COLUMNS] };
  const header = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value).replace(/\s/g, ''), col));
  const missing = LEDGER_COLUMNS.filter((c) => !header.has(c) && c !== '排查编号' && c !== '状态' && c !== '化解情况' && c !== '销号日期' && c !== '转入信访事项编号');
  const rows: LedgerRow[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cells = {} as Record<LedgerColumn, string>;
    for (const c of LEDGER_COLUMNS) cells[c] = header.has(c) ? cellText(row.getCell(header.get(c)!).value) : '';
    if (Object.values(cells).every((v) => v === '')) return;
    rows.push({ row: n, cells });
  });
  return { rows, missing };
}
