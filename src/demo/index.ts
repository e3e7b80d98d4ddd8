import { UserError } from '../platform/errors/user-error';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import type { CliRegistrar } from '../platform/feature';
import { seedDemo } from './seed-demo';

/** `xinfang demo`: a fictional county in an empty database, to try the bot with. */
export const registerDemoCli: CliRegistrar = (program, openCore, io) => {
  program
    .command('demo')
    .description('在空数据库中生成一个虚构的示例县：领导、乡镇、接访地点、单位和群、今明两年的计划、信访件')
    .action(async () => {
      const c = await openCore();
      const r = await asCliError(() => seedDemo(c));
      for (const l of r.lines) io.out(`${l}\n`);
      for (const w of r.warnings) io.err(`注意：${w}\n`);
    });
};

async function asCliError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw new CliUsageError(e.message, e.code === 'unknown_year' ? 3 : 2);
    throw e;
  }
}
