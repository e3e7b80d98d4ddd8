import { CliUsageError } from '../platform/errors/cli-usage-error';
import type { CliRegistrar } from '../platform/core/feature';
import { LETTER_KINDS, LetterKind } from './letter-numbering';
import { LetterStore } from './letter-store';

/** `xinfang letters list [--year Y] [--kind 提醒函|督办函|改进工作建议函] [--json]`: the letters register. */
export const registerLettersCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('letters').description('函件：提醒函、督办函、改进工作建议函');
  cmd
    .command('list')
    .description('列出所有函件及其文号')
    .option('--year <年份>', '只列出某一年')
    .option('--kind <种类>', `只列出某一种：${LETTER_KINDS.join('、')}`)
    .option('--json', '输出 JSON')
    .action(async (o: { year?: string; kind?: string; json?: boolean }) => {
      if (o.year !== undefined && !/^\d{4}$/.test(o.year.trim())) throw new CliUsageError(`年份“${o.year}”无效，应为四位数字，如 --year 2026`);
      if (o.kind !== undefined && !(LETTER_KINDS as readonly string[]).includes(o.kind.trim())) {
        throw new CliUsageError(`函件种类“${o.kind}”无效，可选：${LETTER_KINDS.join('、')}`);
      }
      const core = await openCore();
      const list = await new LetterStore(core.db).list({ year: o.year ? Number(o.year) : undefined, kind: o.kind?.trim() as LetterKind | undefined });
      if (o.json) {
        const rows = list.map((l) => ({ number: l.number, kind: l.kind, year: l.year, unit: l.unit, caseNos: l.caseNos, date: l.date, by: l.by }));
        return void io.out(`${JSON.stringify(rows, null, 2)}\n`);
      }
      if (!list.length) return void io.out('没有函件。\n');
      for (const l of list) io.out(`${l.number}\t${l.kind}\t${l.unit}\t${l.date}${l.caseNos.length ? `\t${l.caseNos.join('、')}` : ''}\n`);
      io.out(`共 ${list.length} 件\n`);
    });
};
