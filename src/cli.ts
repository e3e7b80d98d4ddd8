import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { buildApp } from './app';
import { registerJobsCli } from './platform/jobs/jobs-cli';
import { configPath, loadConfig, loadDotEnv } from './platform/settings/config';
import { openCore } from './platform/core';
import { openDatabase } from './platform/database/connection';
import { migrateLatest } from './platform/database/migrate';
import { addDays, formatChineseDate, InvalidDateError, parseIsoDate, parseHolidayFile, HolidayFileError } from './platform/calendar/domain';
import type { CliIO, Core } from './platform/feature';
import { cliRegistrars } from './capabilities';
import { createLogger } from './platform/logging/logger';
import { HolidayStore } from './platform/calendar/holiday-store';
import { CHAT_ROLES, ChatRole } from './platform/directory/chat-store';
import { ROLE_NAMES, ROLES, Role } from './platform/directory/user-store';

import { CliUsageError } from './platform/errors/cli-usage-error';

export { CliUsageError };

/** Builds the `xinfang` program. Output goes through io, so tests run it in-process. */
export function buildProgram(io: CliIO, env: NodeJS.ProcessEnv = process.env): { program: Command; close: () => Promise<void> } {
  let core: Core | null = null;
  const openCoreOnce = async (): Promise<Core> => {
    if (!core) {
      const config = loadConfig(env);
      core = await openCore(config, { logger: createLogger(env.LOG_LEVEL ?? 'warn', pinoToStderr(io)) });
    }
    return core;
  };
  const close = async () => {
    if (core) await core.db.destroy();
    core = null;
  };

  const program = new Command('xinfang')
    .description('信访助手的管理命令（读取 DATABASE_URL 等设置，见 README）')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('migrate')
    .description('应用数据库迁移')
    .action(async () => {
      const config = loadConfig(env);
      const db = await openDatabase(config.DATABASE_URL);
      try {
        const applied = await migrateLatest(db);
        io.out(applied.length ? `已应用迁移：${applied.join(', ')}\n` : '数据库已是最新，无需迁移\n');
      } finally {
        await db.destroy();
      }
    });

  const users = program.command('users').description('用户与角色');
  users
    .command('add')
    .description('添加或更新用户')
    .requiredOption('--id <id>', '用户ID（生产环境为飞书 open_id，控制台可用任意名字）')
    .requiredOption('--name <姓名>', '姓名')
    .requiredOption('--role <role>', `角色：${ROLES.join('|')}`)
    .option('--unit <单位>', '所属承办单位（角色 unit 必填）')
    .option('--town <乡镇>', '所属乡镇')
    .option('--title <职务>', '职务（领导）')
    .action(async (o: { id: string; name: string; role: string; unit?: string; town?: string; title?: string }) => {
      const id = o.id.trim();
      const name = o.name.trim();
      if (!id || id.length > 64 || /\s/.test(id)) throw new CliUsageError('用户ID不能为空、不能含空格，且不超过 64 个字符');
      if (!name || name.length > 64) throw new CliUsageError('姓名不能为空，且不超过 64 个字符');
      if (!(ROLES as readonly string[]).includes(o.role)) {
        throw new CliUsageError(`角色“${o.role}”无效，可选：${ROLES.map((r) => `${r}（${ROLE_NAMES[r]}）`).join('、')}`);
      }
      const c = await openCoreOnce();
      const ref = c.reference();
      const unit = o.unit?.trim() || undefined;
      const town = o.town?.trim() || undefined;
      if (unit && !ref.units.includes(unit)) {
        throw new CliUsageError(`单位“${unit}”不在单位名录中（${configPath(c.config, 'reference.json')} 的 units），请先加入名录或检查写法`);
      }
      if (town && !ref.towns.includes(town)) throw new CliUsageError(`乡镇“${town}”无效，可选：${ref.towns.join('、')}`);
      const existing = await c.users.get(id);
      // Updating a user keeps what this command does not mention (a leader's 职务 and 乡镇 survive a rename).
      const merged = {
        id, name, role: o.role as Role,
        unit: unit ?? existing?.unit ?? null,
        town: town ?? existing?.town ?? null,
        title: o.title?.trim() || existing?.title || null,
      };
      if (merged.role === 'unit' && !merged.unit) throw new CliUsageError('承办单位用户（--role unit）必须用 --unit 指明单位');
      if (merged.role !== 'unit') merged.unit = unit ?? null;
      await c.users.upsert(merged);
      if (existing && existing.role !== merged.role) {
        io.err(`注意：已将 ${existing.name}（${id}）的角色由“${ROLE_NAMES[existing.role]}”改为“${ROLE_NAMES[merged.role]}”\n`);
      }
      io.out(`已保存用户 ${name}（${id}，${ROLE_NAMES[o.role as Role]}）\n`);
    });
  users
    .command('list')
    .description('列出用户')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const c = await openCoreOnce();
      const list = await c.users.list();
      if (o.json) return void io.out(`${JSON.stringify(list, null, 2)}\n`);
      if (!list.length) return void io.out('还没有用户。用 xinfang users add 添加，或 xinfang demo 生成示例县。\n');
      for (const u of list) {
        io.out(`${u.id}\t${u.name}\t${ROLE_NAMES[u.role]}${u.unit ? `\t${u.unit}` : ''}${u.town ? `\t${u.town}` : ''}\n`);
      }
    });

  const chats = program.command('chats').description('群聊与它代表的单位或角色');
  chats
    .command('add')
    .description('登记一个群：承办单位的群，或信访局某类群')
    .requiredOption('--id <chat_id>', '飞书群 chat_id（oc_…）')
    .option('--unit <单位>', '承办单位')
    .option('--role <role>', `信访局群的用途：${CHAT_ROLES.join('|')}`)
    .option('--venue <venue_id>', '接访地点的群（与 --role venue 同用）')
    .option('--name <群名>', '群名')
    .action(async (o: { id: string; unit?: string; role?: string; venue?: string; name?: string }) => {
      const id = o.id.trim();
      if (!id || id.length > 64) throw new CliUsageError('群ID不能为空，且不超过 64 个字符');
      if (Boolean(o.unit) === Boolean(o.role)) throw new CliUsageError('请在 --unit 与 --role 中二选一');
      if (o.role && !(CHAT_ROLES as readonly string[]).includes(o.role)) {
        throw new CliUsageError(`群用途“${o.role}”无效，可选：${CHAT_ROLES.join('、')}`);
      }
      const c = await openCoreOnce();
      await c.chats.upsert({ id, name: o.name ?? null, unit: o.unit ?? null, role: (o.role as ChatRole) ?? null, venueId: o.venue ?? null });
      io.out(`已登记群 ${id}（${o.unit ? `承办单位：${o.unit}` : `用途：${o.role}`}）\n`);
    });
  chats
    .command('list')
    .description('列出登记的群')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const c = await openCoreOnce();
      const list = await c.chats.list();
      if (o.json) return void io.out(`${JSON.stringify(list, null, 2)}\n`);
      for (const ch of list) io.out(`${ch.id}\t${ch.unit ? `单位:${ch.unit}` : `用途:${ch.role}`}\t${ch.name ?? ''}\n`);
    });

  const holidays = program.command('holidays').description('节假日与调休数据');
  holidays
    .command('import <file>')
    .description('导入节假日文件（JSON，格式见 README），可补充新一年的国务院安排或更正某天')
    .action(async (file: string) => {
      if (!fs.existsSync(file)) throw new CliUsageError(`找不到文件：${file}`);
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        throw new CliUsageError(`文件 ${file} 不是合法的 JSON`);
      }
      let parsed;
      try {
        parsed = parseHolidayFile(json);
      } catch (e) {
        if (e instanceof HolidayFileError) throw new CliUsageError(e.message);
        throw e;
      }
      const c = await openCoreOnce();
      await new HolidayStore(c.db).importDays(parsed.overrides, parsed.years, file);
      await c.calendar.reload();
      io.out(
        `已导入 ${parsed.overrides.length} 天${parsed.years.length ? `，${parsed.years.join('、')} 年的全年安排已生效` : ''}\n`,
      );
    });
  holidays
    .command('list')
    .description('列出某年的放假日与调休上班日')
    .requiredOption('--year <year>', '年份')
    .option('--json', '输出 JSON')
    .action(async (o: { year: string; json?: boolean }) => {
      if (!/^\d{4}$/.test(o.year)) throw new CliUsageError(`年份“${o.year}”无效，应为四位数字`);
      const year = Number(o.year);
      const c = await openCoreOnce();
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
      const c = await openCoreOnce();
      const r = c.calendar.periodEnd(trigger, Number(daysArg));
      io.out(`${r.lastDay}\n`);
      io.out(`自 ${formatChineseDate(trigger)} 次日起算 ${Number(daysArg)} 日，到 ${formatChineseDate(r.nominalLastDay)}`);
      io.out(r.rolledOverDays > 0 ? `，该日为法定休假日，顺延 ${r.rolledOverDays} 天至 ${formatChineseDate(r.lastDay)}24 时止。\n` : ` 24 时止。\n`);
      if (r.provisional) {
        io.err(`警告：没有 ${r.unknownYears.join('、')} 年的节假日安排数据，上述结果仅按周末推算，不能作为正式期限。请用 xinfang holidays import 导入该年安排。\n`);
      }
    });

  registerJobsCli((c) => buildApp(c).jobs)(program, openCoreOnce, io);
  for (const register of cliRegistrars) register(program, openCoreOnce, io);
  return { program, close };
}

function pinoToStderr(io: CliIO) {
  return { write: (s: string) => io.err(s) };
}

/** Runs the CLI with argv; maps user mistakes to exit 2 and a Chinese message. */
export async function runCli(argv: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  const ioWithCode: CliIO = { ...io, setExitCode: (c) => { code = c; io.setExitCode(c); } };
  const { program, close } = buildProgram(ioWithCode, env);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof CliUsageError) {
      io.err(`${e.message}\n`);
      code = e.exitCode;
    } else if (e instanceof Error && e.name === 'ConfigError') {
      io.err(`${e.message}\n`);
      code = 2;
    } else {
      io.err(`出错了：${e instanceof Error ? e.message : String(e)}\n`);
      code = 1;
    }
  } finally {
    await close();
  }
  return code;
}

export async function main(argv: string[]): Promise<void> {
  loadDotEnv();
  // `xinfang users list | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const code = await runCli(argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    setExitCode: (c) => { process.exitCode = c; },
  });
  process.exitCode = code;
}
