import type { CliRegistrar } from '../platform/core/feature';
import { asCliError } from '../roster';
import { seedDemo } from './seed-demo';

/** `xinfang demo`: a fictional county in an empty database, to try the bot with. */
export const registerDemoCli: CliRegistrar = (program, openCore, io) => {
  program
    .command('demo')
    .description('在空数据库中生成一个虚构的示例县：领导、乡镇、接访地点、单位和群、今明两年的计划、信访件')
    .action(async () => {
      const c = await openCore();
      const r = await asCliError(() => seedDemo(c));
      // The closing lines name the console and /schedule: at the port this server will listen on (PORT).
      for (const l of r.lines) io.out(`${l.replace(/http:\/\/localhost:3000\b/g, `http://localhost:${c.config.PORT}`)}\n`);
      for (const w of r.warnings) io.err(`注意：${w}\n`);
    });
};
