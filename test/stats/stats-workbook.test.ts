import ExcelJS from 'exceljs';
import { buildStatsWorkbook, statsWorkbookName } from '../../src/stats/stats-workbook';
import type { StatsReport } from '../../src/stats/domain/stats-report';
import { sampleStatsReport } from './stats-report-sample';
import { unzip } from '../letters/docx-text';

async function open(report: StatsReport): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildStatsWorkbook(report)) as never);
  return wb;
}

/** The 汇总 sheet as { 指标 → [数值, 分子, 分母, 说明] }, cells as exceljs reads them back. */
function summary(wb: ExcelJS.Workbook): Map<string, { value: unknown; numerator: unknown; denominator: unknown; note: unknown; numFmt: string }> {
  const ws = wb.getWorksheet('汇总')!;
  const out = new Map<string, { value: unknown; numerator: unknown; denominator: unknown; note: unknown; numFmt: string }>();
  ws.eachRow((row, n) => {
    if (n <= 3) return;
    out.set(String(row.getCell(2).value), { value: row.getCell(3).value, numerator: row.getCell(4).value, denominator: row.getCell(5).value, note: row.getCell(6).value, numFmt: row.getCell(3).numFmt });
  });
  return out;
}

/** A breakdown sheet's body rows (name → count) and its 合计 row. */
function breakdown(wb: ExcelJS.Workbook, name: string): { rows: Map<string, number>; total: unknown; shares: number[] } {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const rows = new Map<string, number>();
  const shares: number[] = [];
  let total: unknown;
  ws.eachRow((row, n) => {
    if (n <= 3) return;
    const label = String(row.getCell(1).value);
    if (label === '合计') total = row.getCell(2).value;
    else {
      rows.set(label, row.getCell(2).value as number);
      shares.push(row.getCell(3).value as number);
    }
  });
  return { rows, total, shares };
}

describe('the statistics workbook', () => {
  test('is named after the period', () => {
    expect(statsWorkbookName(sampleStatsReport({ period: { from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度', kind: 'quarter' } }))).toBe('信访统计-2026年第三季度.xlsx');
  });

  test('the 汇总 sheet holds every figure of the report, rates as % cells beside their numerator and denominator', async () => {
    const r = sampleStatsReport();
    const s = summary(await open(r));
    const count = (label: string) => s.get(label)?.value;
    expect(count('登记信访事项（件）')).toBe(r.registered);
    expect(count('其中：集体访（件）')).toBe(r.groupVisits);
    expect(count('其中：重复信访（件）')).toBe(r.repeatPetitions);
    expect(count('其中：匿名/身份不明（件）')).toBe(r.anonymous);
    expect(count('办结（件）')).toBe(r.concluded);
    for (const [label, ratio] of [
      ['及时受理率', r.timelyAcceptance],
      ['按期办结率', r.onTimeConclusion],
      ['督查督办化解率', r.supervisedResolution],
      ['矛盾纠纷化解率', r.disputeResolution!],
    ] as const) {
      const row = s.get(label)!;
      expect(row.value).toBeCloseTo(ratio.rate!, 10);
      expect(row.numFmt).toContain('%');
      expect(row.numerator).toBe(ratio.numerator);
      expect(row.denominator).toBe(ratio.denominator);
    }
    expect(count('督查督办事项（件）')).toBe(r.supervisedCount);
    expect(count('当前逾期未受理（件）')).toBe(r.overdueNow.decision);
    expect(count('当前逾期未办结（件）')).toBe(r.overdueNow.conclusion);
    expect(count('当前逾期合计（件）')).toBe(r.overdueNow.total);
    expect(count('排查矛盾纠纷（件）')).toBe(r.disputes!.found);
    expect(count('已化解（件）')).toBe(r.disputes!.resolved);
    expect(count('正在调处（件）')).toBe(r.disputes!.inProgress);
    expect(count('上报/转信访（件）')).toBe(r.disputes!.escalated);
    expect(count('超期未化解（件）')).toBe(r.disputes!.overdue);
    expect(count('发出函件合计（件）')).toBe(r.letters!.total);
    expect(count('其中：提醒函（件）')).toBe(r.letters!.reminder);
    expect(count('其中：督办函（件）')).toBe(r.letters!.supervision);
    expect(count('其中：改进工作建议函（件）')).toBe(r.letters!.suggestion);
    expect(count('评查信访事项（件）')).toBe(r.reviews!.reviewed);
    expect(count('其中：办理规范（件）')).toBe(r.reviews!.compliant);
    expect(count('发现问题（个）')).toBe(r.reviews!.problems);
    expect(count('已整改（个）')).toBe(r.reviews!.fixed);
    expect(count('接访场次（已开展）')).toBe(r.receptions!.sessionsHeld);
    expect(count('接访场次（计划）')).toBe(r.receptions!.sessionsPlanned);
    expect(count('接待批次')).toBe(r.receptions!.batches);
    expect(count('接待人次')).toBe(r.receptions!.people);
    expect(count('召开会商/联席会议（次）')).toBe(r.consultations!.held);
    expect(count('已安排待召开（次）')).toBe(r.consultations!.scheduled);
    expect(count('会商议定任务（项）')).toBe(r.consultations!.tasks);
    expect(count('其中：已完成（项）')).toBe(r.consultations!.tasksDone);
    expect(count('上期登记信访事项（件）')).toBe(r.previous!.registered);
    expect(s.get('上期及时受理率')!.value).toBeCloseTo(r.previous!.timelyAcceptanceRate!, 10);
    expect(s.get('上期按期办结率')!.value).toBeCloseTo(r.previous!.onTimeConclusionRate!, 10);
    expect(s.get('上期督查督办化解率')!.value).toBeCloseTo(r.previous!.supervisedResolutionRate!, 10);
    expect(s.get('上期矛盾纠纷化解率')!.value).toBeCloseTo(r.previous!.disputeResolutionRate!, 10);
  });

  test('a ledger without data reads 暂无数据 (never 0) and has no sheet; a rate without a denominator reads —', async () => {
    const r = sampleStatsReport({
      disputes: null,
      disputeResolution: null,
      disputeResolutionRate: null,
      letters: null,
      reviews: null,
      receptions: null,
      consultations: null,
      previous: null,
      onTimeConclusionRate: null,
      onTimeConclusion: { numerator: 0, denominator: 0, rate: null },
    });
    const wb = await open(r);
    const s = summary(wb);
    for (const label of ['排查矛盾纠纷（件）', '矛盾纠纷化解率', '发出函件合计（件）', '其中：提醒函（件）', '评查信访事项（件）', '已整改（个）', '接访场次（已开展）', '接待人次', '召开会商/联席会议（次）']) {
      expect([label, s.get(label)?.value]).toEqual([label, '暂无数据']);
    }
    expect(s.get('按期办结率')!.value).toBe('—');
    expect(String(s.get('按期办结率')!.note)).toContain('本期无到期事项');
    expect(s.get('登记信访事项（件）')!.value).toBe(r.registered);
    expect([...s.keys()].some((k) => k.startsWith('上期'))).toBe(false);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(['汇总', '按信访形式', '按问题类别', '按问题属地', '按信访目的', '按月份']);
  });

  test('one sheet per breakdown, each row as in the report, shares as % and a 合计 row', async () => {
    const r = sampleStatsReport();
    const wb = await open(r);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '按信访形式', '按问题类别', '按问题属地', '按信访目的', '按月份', '矛盾纠纷', '函件', '评查', '领导接访']);
    for (const [sheet, rows] of [
      ['按信访形式', r.byChannel],
      ['按问题类别', r.byCategory],
      ['按问题属地', r.byTown],
      ['按信访目的', r.byPurpose],
    ] as const) {
      const b = breakdown(wb, sheet);
      expect([...b.rows]).toEqual(rows.map((x) => [x.name, x.count]));
      expect(b.total).toBe(rows.reduce((s, x) => s + x.count, 0));
      expect(b.shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    }
    const months = breakdown(wb, '按月份');
    expect([...months.rows]).toEqual(r.byMonth.map((m) => [`${Number(m.month.slice(0, 4))}年${Number(m.month.slice(5))}月`, m.count]));
    expect(months.total).toBe(r.registered);
    const letters = wb.getWorksheet('函件')!;
    const values = (ws: ExcelJS.Worksheet) => {
      const out: [string, unknown][] = [];
      ws.eachRow((row, n) => { if (n > 3) out.push([String(row.getCell(1).value), row.getCell(2).value]); });
      return out;
    };
    expect(values(letters)).toEqual([['提醒函', 15], ['督办函', 12], ['改进工作建议函', 6], ['合计', 33]]);
    expect(values(wb.getWorksheet('矛盾纠纷')!)).toEqual([['已化解', 196], ['正在调处', 7], ['上报/转信访', 0], ['超期未化解', 1], ['排查合计', 203]]);
    expect(values(wb.getWorksheet('评查')!)).toEqual([['办理规范', 314], ['发现问题', 22], ['已整改', 22], ['评查合计', 336]]);
    expect(values(wb.getWorksheet('领导接访')!)).toEqual([['接访场次（已开展）', 96], ['接访场次（计划）', 104], ['接待批次', 210], ['接待人次', 388]]);
  });

  test('every sheet prints on A4, one page wide, title merged across, bold bordered header repeated, period and page numbers in header and footer', async () => {
    const r = sampleStatsReport({ period: { from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度', kind: 'quarter' } });
    const wb = await open(r);
    const workbookXml = unzip(await buildStatsWorkbook(r)).get('xl/workbook.xml')!.toString('utf8');
    for (const [i, ws] of wb.worksheets.entries()) {
      // what Excel reads as 顶端标题行 (the header repeated on every printed page)
      expect(workbookXml).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">&apos;${ws.name}&apos;!$3:$3</definedName>`);
      expect(ws.pageSetup.paperSize).toBe(9);
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
      expect(ws.pageSetup.fitToHeight).toBe(0);
      expect(ws.pageSetup.printTitlesRow).toBe('3:3');
      expect(ws.headerFooter.oddHeader).toContain('2026年第三季度');
      expect(ws.headerFooter.oddFooter).toContain('&P');
      expect(ws.headerFooter.oddFooter).toContain('&N');
      expect(String(ws.getCell('A1').value)).toContain('2026年第三季度');
      expect(ws.getCell('A1').isMerged).toBe(true);
      const lastHeader = ws.getRow(3).cellCount;
      expect(ws.getCell(1, lastHeader).master.address).toBe('A1');
      ws.getRow(3).eachCell((c) => {
        expect(c.font.bold).toBe(true);
        expect(c.border.bottom?.style).toBe('thin');
      });
      // a Chinese label fits its column: two width units per character
      ws.getColumn(1).eachCell((c, n) => {
        if (n < 3) return;
        const width = [...String(c.value)].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
        expect(ws.getColumn(1).width!).toBeGreaterThanOrEqual(Math.min(44, width));
      });
    }
  });
});
