import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { InvalidDateError, parseIsoDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { SESSION_STATUS_LABELS } from './domain';
import { addLeave } from './leave';
import { exportPlanWorkbook, formatRowError, planFileName, PlanImportError } from './plan-excel';
import type { GenerateOutcome } from './plan-service';
import { groupRange } from './roster-cards';
import { RosterService } from './roster-service';

type OpenCore = () => Promise<Core>;

/** Service errors become CLI usage errors: the message as it is, exit 2 (3 for a year without holiday data). */
export async function asCliError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw new CliUsageError(e.message, e.code === 'unknown_year' ? 3 : 2);
    if (e instanceof InvalidDateError) throw new CliUsageError(e.message);
    throw e;
  }
}

function parseYear(s: string): number {
  if (!/^\d{4}$/.test(String(s ?? '').trim())) throw new CliUsageError(`年份“${s}”无效，应为四位数字，如 --year 2027`);
  return Number(s);
}

/** `xinfang plan …`: the reception plan (generate, list, export, import), leave, and the leaders. */
export const registerRosterCli: CliRegistrar = (program: Command, openCore: OpenCore, io: CliIO) => {
  const plan = program.command('plan').description('领导干部接访下访计划');
  registerPlanGenerate(plan, openCore, io);
  registerPlanList(plan, openCore, io);
  registerPlanExport(plan, openCore, io);
  registerPlanImport(plan, openCore, io);
  registerPlanLeave(plan, openCore, io);
  registerLeaderCli(plan.command('leader').description('接访领导'), openCore, io);
};

function printOutcome(io: CliIO, r: GenerateOutcome): void {
  io.out(`已生成 ${r.year} 年接访下访计划：${r.placed} 场${r.cancelled ? `，取消原安排 ${r.cancelled} 场` : ''}${r.kept ? `，保留已举行或已过去的 ${r.kept} 场` : ''}（规则：${r.rulesFile}）\n`);
  for (const f of r.fairness) io.out(`  ${f.ruleName}：每人 ${groupRange(f)} 天（最多与最少相差 ${f.spread} 天）\n`);
  const issues = r.issues;
  if (issues.length) {
    io.out(`未能按规则安排或另作安排的 ${issues.length} 项：\n`);
    for (const i of issues) io.out(`  - [${i.ruleName}] ${i.message}\n`);
  } else {
    io.out('所有规则均已满足。\n');
  }
  if (r.provisional) {
    io.err(`警告：没有 ${r.year} 年的节假日安排数据，本计划仅按周末推算（已避开元旦、劳动节、国庆节的固定假日），标注为暂定。导入该年安排后请用 --replace 重新生成。\n`);
  }
}

function registerPlanGenerate(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('generate')
    .description('按规则生成某年的接访下访计划')
    .requiredOption('--year <year>', '年份')
    .option('--rules <file>', '规则文件（默认 config/roster-rules.json）')
    .option('--replace', '该年已有计划时重新生成：今天及以后未举行的安排取消并重排')
    .option('--provisional', '没有该年节假日数据时，先按周末暂排（标注为暂定）')
    .action(async (o: { year: string; rules?: string; replace?: boolean; provisional?: boolean }) => {
      const year = parseYear(o.year);
      if (o.rules && !fs.existsSync(o.rules)) throw new CliUsageError(`找不到规则文件：${o.rules}`);
      const c = await openCore();
      const r = await asCliError(() => new RosterService(c).plans.generate(year, {
        rulesFile: o.rules ? path.resolve(o.rules) : undefined, replace: o.replace, allowProvisional: o.provisional, by: 'cli',
      }));
      printOutcome(io, r);
    });
}

function registerPlanList(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('list')
    .description('列出某年的全部接访安排（含已取消的）')
    .requiredOption('--year <year>', '年份')
    .option('--json', '输出 JSON')
    .action(async (o: { year: string; json?: boolean }) => {
      const year = parseYear(o.year);
      const c = await openCore();
      const sessions = await new RosterService(c).store.sessions.listSessions({ year, includeCancelled: true });
      if (o.json) {
        const out = sessions.map((s) => ({
          id: s.id, uid: s.uid, date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, type: s.type,
          venue: s.venueName, venueId: s.venueId, status: s.status, sequence: s.sequence,
          leaders: s.leaders.map((l) => ({ id: l.id, name: l.name, title: l.title })),
          accompanyUnits: s.accompanyUnits, focus: s.focus, ruleId: s.ruleId,
        }));
        return void io.out(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (!sessions.length) return void io.out(`${year} 年还没有接访安排。用 xinfang plan generate --year ${year} 生成。\n`);
      for (const s of sessions) {
        io.out(`${s.id}\t${s.date}\t${s.slot}\t${s.type}\t${s.venueName}\t${s.leaders.map((l) => `${l.name}（${l.title}）`).join('、')}\t${SESSION_STATUS_LABELS[s.status]}\n`);
      }
    });
}

function registerPlanExport(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('export')
    .description('导出某年的计划为 Excel（日期、时间、领导、职务、地点、类型、陪同单位、接访重点）')
    .requiredOption('--year <year>', '年份')
    .option('--out <file>', '输出文件（默认 <年>年接访下访安排.xlsx）')
    .action(async (o: { year: string; out?: string }) => {
      const year = parseYear(o.year);
      const c = await openCore();
      const sessions = await new RosterService(c).store.sessions.listSessions({ year });
      const file = o.out ?? planFileName(year);
      fs.writeFileSync(file, await exportPlanWorkbook(year, sessions));
      io.out(`已导出 ${sessions.length} 场到 ${file}\n`);
    });
}

function registerPlanImport(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('import <file>')
    .description('从 Excel 导入计划；任何一行有错则整表不导入')
    .option('--replace', '以本表为准：表中没有的今后安排将取消')
    .action(async (file: string, o: { replace?: boolean }) => {
      if (!fs.existsSync(file)) throw new CliUsageError(`找不到文件：${file}`);
      const c = await openCore();
      try {
        const r = await asCliError(() => new RosterService(c).imports.importPlan(fs.readFileSync(file), { replace: o.replace, source: path.basename(file), by: 'cli' }));
        io.out(`已导入 ${path.basename(file)}：新增 ${r.added} 场，更新 ${r.updated} 场，未变 ${r.unchanged} 场${r.cancelled ? `，取消 ${r.cancelled} 场` : ''}\n`);
        for (const w of r.warnings) io.err(`警告：${w}\n`);
      } catch (e) {
        if (!(e instanceof PlanImportError)) throw e;
        io.err(`${e.message}：\n`);
        for (const err of e.errors) io.err(`  ${formatRowError(err)}\n`);
        io.setExitCode(2);
      }
    });
}

function registerPlanLeave(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('leave')
    .description('登记领导请假或不在岗的日期（生成计划时避开，可指定代班领导）')
    .requiredOption('--leader <id>', '领导的用户ID')
    .requiredOption('--from <date>', '开始日期 YYYY-MM-DD')
    .requiredOption('--to <date>', '结束日期 YYYY-MM-DD（含）')
    .option('--deputy <id>', '代班领导的用户ID')
    .option('--reason <原因>', '原因，如 参加培训')
    .action(async (o: { leader: string; from: string; to: string; deputy?: string; reason?: string }) => {
      const c = await openCore();
      await asCliError(() => addLeave(new RosterService(c).store.leaders, {
        leaderId: o.leader, from: parseIsoDate(o.from), to: parseIsoDate(o.to), deputyId: o.deputy ?? null, reason: o.reason ?? null,
      }, c.now()));
      io.out(`已登记：${o.leader} ${o.from} 至 ${o.to} 不在岗${o.deputy ? `，由 ${o.deputy} 代班` : ''}。已生成的计划不会自动改动，如需重排请用 plan generate --replace。\n`);
    });
}

function registerLeaderCli(leader: Command, openCore: OpenCore, io: CliIO): void {
  leader
    .command('add')
    .description('添加或更新一位接访领导（同时登记为领导用户）')
    .requiredOption('--id <id>', '用户ID（飞书 open_id）')
    .requiredOption('--name <姓名>', '姓名')
    .requiredOption('--level <level>', 'county（县级）或 town（乡镇）')
    .requiredOption('--title <职务>', '职务，如 副县长、阳城镇党委书记')
    .option('--towns <乡镇>', '所属或联系的乡镇，逗号分隔')
    .option('--deputy <id>', '默认代班领导')
    .option('--order <n>', '排序号', '0')
    .action(async (o: { id: string; name: string; level: string; title: string; towns?: string; deputy?: string; order: string }) => {
      if (!['county', 'town'].includes(o.level)) throw new CliUsageError('--level 应为 county 或 town');
      if (!/^\d{1,6}$/.test(o.order)) throw new CliUsageError('--order 应为整数');
      const towns = (o.towns ?? '').split(/[,，、]/).map((t) => t.trim()).filter(Boolean);
      if (o.level === 'town' && !towns.length) throw new CliUsageError('乡镇领导请用 --towns 写明所属乡镇');
      const c = await openCore();
      const user = await c.users.get(o.id);
      if (user && user.role !== 'leader') throw new CliUsageError(`用户 ${o.id} 的角色是 ${user.role}，不是领导`);
      await c.users.upsert({ id: o.id, name: o.name, role: 'leader', unit: null, town: towns[0] ?? null, title: o.title });
      await new RosterService(c).store.leaders.upsertLeader({
        id: o.id, name: o.name, level: o.level as 'county' | 'town', title: o.title, towns, deputyId: o.deputy ?? null,
        sortOrder: Number(o.order), active: true,
      });
      io.out(`已保存接访领导 ${o.name}（${o.title}）\n`);
    });
  leader
    .command('list')
    .description('列出接访领导')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const c = await openCore();
      const list = await new RosterService(c).store.leaders.listLeaders();
      if (o.json) return void io.out(`${JSON.stringify(list, null, 2)}\n`);
      for (const l of list) io.out(`${l.id}\t${l.name}\t${l.title}\t${l.level === 'county' ? '县级' : '乡镇'}\t${l.towns.join('、')}${l.active ? '' : '\t已停用'}\n`);
    });
}
