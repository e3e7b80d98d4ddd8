import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliUsageError } from '../errors/cli-usage-error';
import type { CliIO, CliRegistrar, Core, Feature } from '../core/feature';
import {
  addDays, decodeHolidayFile, formatChineseDate, HolidayFile, HolidayFileError, holidayFileConcerns, InvalidDateError, parseHolidayFileText,
  parseIsoDate, shanghaiDate,
} from '../calendar/domain';
import { importHolidays } from './holiday-import';
import { renderHolidayImport } from './holiday-report';

type OpenCore = () => Promise<Core>;
type FeaturesOf = (core: Core) => Feature[];

/**
 * `xinfang holidays import|list` and `xinfang deadline`: the legal calendar and its periods. The
 * features whose stored dates follow the calendar are the app's, handed in by the CLI's root.
 */
export function registerCalendarCli(featuresOf: FeaturesOf): CliRegistrar {
  return (program, openCore, io) => {
    const holidays = program.command('holidays').description('节假日与调休数据');
    registerHolidaysImport(holidays, openCore, io, featuresOf);
    registerHolidaysList(holidays, openCore, io);
    registerDeadline(program, openCore, io);
  };
}

/** A holiday file read and checked; a file that is missing, not JSON or not valid is a usage error. */
export function readHolidayFile(file: string): HolidayFile {
  if (!fs.existsSync(file)) throw new CliUsageError(`找不到文件：${file}`);
  if (fs.statSync(file).isDirectory()) throw new CliUsageError(`${file} 是一个文件夹，请给出节假日文件（.json）的路径`);
  try {
    const parsed = parseHolidayFileText(decodeHolidayFile(fs.readFileSync(file)));
    if (!parsed.overrides.length) throw new HolidayFileError('文件中没有列出任何日期（holidays、workdays 都是空的），没有可导入的内容');
    return parsed;
  } catch (e) {
    if (e instanceof HolidayFileError) throw new CliUsageError(`${path.basename(file)}：${e.message}。没有保存任何内容。`);
    throw e;
  }
}

interface ImportOptions {
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

function registerHolidaysImport(holidays: Command, openCore: OpenCore, io: CliIO, featuresOf: FeaturesOf): void {
  holidays
    .command('import <file>')
    .description('导入节假日文件（JSON，格式见 README），并按新日历调整已存的办理期限、提醒和接访安排；先用 --dry-run 看会改什么')
    .option('--dry-run', '试运行：算出并列出将要改动的内容，不保存')
    .option('--force', '文件涉及两年以后的年份、或某年放假超过 60 天时，确认照样导入')
    .option('--json', '报告输出为 JSON')
    .action(async (file: string, o: ImportOptions) => {
      const parsed = readHolidayFile(file);
      const c = await openCore();
      const concerns = holidayFileConcerns(parsed, Number(shanghaiDate(c.now()).slice(0, 4)));
      if (concerns.length && !o.force) {
        throw new CliUsageError(`${concerns.join('\n')}\n确认文件无误，请加 --force 再导入。没有保存任何内容。`);
      }
      const result = await importHolidays(c, featuresOf(c), parsed, { source: path.basename(file), dryRun: Boolean(o.dryRun) });
      if (o.json) return void io.out(`${JSON.stringify({ file, ...result }, null, 2)}\n`);
      io.out(renderHolidayImport(file, result, c.config.CALENDAR_REFRESH_SECONDS));
    });
}

function registerHolidaysList(holidays: Command, openCore: OpenCore, io: CliIO): void {
  holidays
    .command('list')
    .description('列出某年的放假日与调休上班日')
    .requiredOption('--year <year>', '年份')
    .option('--json', '输出 JSON')
    .action(async (o: { year: string; json?: boolean }) => {
      if (!/^\d{4}$/.test(o.year)) throw new CliUsageError(`年份“${o.year}”无效，应为四位数字`);
      const year = Number(o.year);
      const c = await openCore();
      const cal = c.calendar.calendar;
      if (!cal.isKnown(`${year}-01-01`)) {
        throw new CliUsageError(`没有 ${year} 年的节假日数据（已知年份：${cal.knownYears()[0]}–${cal.knownYears().at(-1)}）。请用 xinfang holidays import 导入。`, 3);
      }
      const days: Array<{ date: string; kind: string; name?: string }> = [];
      for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
        const k = cal.dayKind(d);
        if (k === 'holiday') days.push({ date: d, kind: '放假', name: cal.holidayName(d) });
        if (k === 'makeup-workday') days.push({ date: d, kind: '调休上班', name: cal.holidayName(d) });
      }
      if (o.json) return void io.out(`${JSON.stringify(days, null, 2)}\n`);
      for (const d of days) io.out(`${d.date}\t${d.kind}\t${formatChineseDate(d.date)}${d.name ? `\t${d.name}` : ''}\n`);
    });
}

function registerDeadline(program: Command, openCore: OpenCore, io: CliIO): void {
  program
    .command('deadline <start> <days>')
    .description('法定期间的最后一日（《民法典》第二百零一条至第二百零三条）：从 START 次日起算 DAYS 日')
    .action(async (start: string, daysArg: string) => {
      let trigger: string;
      try {
        trigger = parseIsoDate(start);
      } catch (e) {
        if (e instanceof InvalidDateError) throw new CliUsageError(`起算日期${e.message.slice(2)}`);
        throw e;
      }
      if (!/^\d+$/.test(daysArg.trim()) || Number(daysArg) <= 0 || Number(daysArg) > 3650) {
        throw new CliUsageError(`天数“${daysArg}”无效，应为 1 到 3650 之间的正整数`);
      }
      const c = await openCore();
      const r = c.calendar.periodEnd(trigger, Number(daysArg));
      io.out(`${r.lastDay}\n`);
      io.out(`自 ${formatChineseDate(trigger)} 次日起算 ${Number(daysArg)} 日，到 ${formatChineseDate(r.nominalLastDay)}`);
      io.out(r.rolledOverDays > 0 ? `，该日为法定休假日，顺延 ${r.rolledOverDays} 天至 ${formatChineseDate(r.lastDay)}24 时止。\n` : ` 24 时止。\n`);
      if (r.provisional) {
        io.err(`警告：没有 ${r.unknownYears.join('、')} 年的节假日安排数据，上述结果仅按周末推算，不能作为正式期限。请用 xinfang holidays import 导入该年安排。\n`);
      }
    });
}
