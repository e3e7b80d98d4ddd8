import fs from 'node:fs';
import path from 'node:path';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { shanghaiDate } from '../platform/calendar/domain';
import type { CliRegistrar } from '../platform/core/feature';
import { annualReportFile, annualYearError, type ReportSource, statsReportOfYear } from './report/annual-report-service';

/**
 * `xinfang report annual --year Y --out FILE.docx`: the annual report draft from the year's figures.
 * A bad year or an --out that cannot be written is said in Chinese (exit 2) before anything is read,
 * and no file, not even a partial one, is left behind.
 */
export function annualReportCli(source: ReportSource = statsReportOfYear): CliRegistrar {
  return (program, openCore, io) => {
    const report = program.command('report').description('报告：法治政府建设年度报告（信访工作部分）草稿');
    report
      .command('annual')
      .description('生成某年的法治政府建设年度报告（信访工作部分）Word 草稿，数字取自系统数据')
      .requiredOption('--year <年份>', '年份，如 2026')
      .requiredOption('--out <文件>', '输出的 .docx 文件')
      .action(async (o: { year: string; out: string }) => {
        const core = await openCore();
        const problem = annualYearError(o.year, shanghaiDate(core.now()));
        if (problem) throw new CliUsageError(problem);
        const year = Number(o.year.trim().replace(/年$/, ''));
        const out = path.resolve(o.out);
        if (path.extname(out).toLowerCase() !== '.docx') throw new CliUsageError(`输出文件应以 .docx 结尾：${o.out}`);
        checkWritable(out, o.out);

        const f = await annualReportFile(core, year, source);
        const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
        try {
          fs.writeFileSync(tmp, f.docx);
          fs.renameSync(tmp, out);
        } catch (e) {
          fs.rmSync(tmp, { force: true });
          throw new CliUsageError(`无法写入 ${o.out}：${(e as NodeJS.ErrnoException).code === 'EACCES' ? '没有写入权限' : (e as Error).message}`);
        }
        io.out(`已生成 ${year} 年年度报告草稿：${o.out}\n`);
        io.out(`已按系统数据填写：${f.filled.join('、')}\n`);
        io.out(`待填写 ${f.placeholders.length} 处（文中标黄的【待填写】）\n`);
        if (f.report.asOf < f.report.period.to) io.err(`提示：${year} 年尚未结束，数字截至今天\n`);
      });
  };
}

export const registerAnnualReportCli: CliRegistrar = annualReportCli();

/** Says why `out` cannot be written, before any figure is read. */
function checkWritable(out: string, typed: string): void {
  const dir = path.dirname(out);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliUsageError(`目录不存在：${dir}`);
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new CliUsageError(`${typed} 是一个目录，请给出文件名`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(out)) fs.accessSync(out, fs.constants.W_OK);
  } catch {
    throw new CliUsageError(`无法写入 ${typed}：没有写入权限`);
  }
}
