import type { HolidayImportResult } from './holiday-import';

/** Runs of working-day changes listed before "另有 N 处". */
const MAX_RUNS = 20;

/** Consecutive days that changed the same way under the same name, as one line each. */
function dayRuns(changes: HolidayImportResult['workingDayChanges']): string[] {
  const runs: Array<{ from: string; to: string; working: boolean; name?: string }> = [];
  for (const c of changes) {
    const last = runs.at(-1);
    const next = last ? new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : '';
    if (last && next === c.date && last.working === c.working && last.name === c.name) last.to = c.date;
    else runs.push({ from: c.date, to: c.date, working: c.working, name: c.name });
  }
  const lines = runs.slice(0, MAX_RUNS).map((r) => {
    const when = r.from === r.to ? r.from : `${r.from}—${r.to}`;
    const what = r.working ? '改为工作日（调休上班）' : '改为休息日';
    return `  ${when} ${what}${r.name ? `（${r.name}）` : ''}`;
  });
  if (runs.length > MAX_RUNS) lines.push(`  另有 ${runs.length - MAX_RUNS} 处`);
  return lines;
}

/** The heading of the report: what the file declared and how the calendar changed. */
function heading(file: string, r: HolidayImportResult): string[] {
  const d = r.declared;
  const years = d.years.length ? `；全年安排：${d.years.join('、')} 年` : '；没有声明全年安排（years），均按单日更正处理';
  const lines = [`节假日文件 ${file}：放假 ${d.holidays} 天、调休上班 ${d.workdays} 天，共 ${d.days} 天${years}。`];
  if (!r.changedDays.length) {
    lines.push('与现行日历相比没有变化（0 天），已存的期限和接访安排都不需要调整。');
    return lines;
  }
  if (r.newlyKnownYears.length) lines.push(`${r.newlyKnownYears.join('、')} 年的节假日安排由“未录入”变为正式，按该年推算的日期不再是暂定。`);
  const changed = r.workingDayChanges.length;
  lines.push(changed ? `与现行日历相比，${changed} 天的工作日/休息日变了：` : '与现行日历相比，没有哪一天的工作日/休息日变了。');
  lines.push(...dayRuns(r.workingDayChanges));
  return lines;
}

/** One feature's section: its title, then its lines (or its figures when it gave no lines). */
function section(s: HolidayImportResult['sections'][number]): string[] {
  const body = s.lines.length ? s.lines : [Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join('，') || '没有变化'];
  return [`【${s.title}】`, ...body.map((l) => `  ${l}`)];
}

/** The report `xinfang holidays import` prints, in Chinese. */
export function renderHolidayImport(file: string, r: HolidayImportResult, refreshSeconds: number): string {
  const out = [...heading(file, r)];
  for (const s of r.sections) out.push('', ...section(s));
  out.push('');
  if (r.dryRun) {
    out.push('试运行（--dry-run）：以上是导入后将发生的变化，没有保存任何内容。确认无误后去掉 --dry-run 再运行一次。');
  } else {
    const years = r.declared.years.length ? `，${r.declared.years.join('、')} 年的全年安排已生效` : '';
    out.push(`已导入 ${r.declared.days} 天${years}。运行中的服务将在 ${refreshSeconds} 秒内自动改用新日历，无需重启。`);
  }
  return `${out.join('\n')}\n`;
}
