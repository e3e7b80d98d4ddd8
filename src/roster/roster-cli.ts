import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { InvalidDateError, parseIsoDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { SESSION_STATUS_LABELS } from './domain';
import type { LeaveImpactReport } from './leave-view';
import { exportPlanWorkbook, formatRowError, planFileName, PlanImportError } from './plan-excel';
import { generateFromCli } from './plan-generate-cli';
import { leadersText } from './roster-cards';
import { RosterService } from './roster-service';
import type { SessionView } from './session-view';
import { ThirdPartyStore } from './third-party-store';

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

function registerPlanGenerate(plan: Command, openCore: OpenCore, io: CliIO): void {
  plan
    .command('generate')
    .description('按规则生成某年的接访下访计划')
    .requiredOption('--year <year>', '年份')
    .option('--rules <file>', '规则文件（默认 config/roster-rules.json）')
    .option('--replace', '该年已有计划时重新生成：与现有安排逐场比对，仍在计划中的保留原编号，只新增、取消真正变动的')
    .option('--yes', '与 --replace 同用：不再询问，直接保存（脚本中使用）')
    .option('--provisional', '没有该年节假日数据时，先按周末暂排（标注为暂定）')
    .action(async (o: { year: string; rules?: string; replace?: boolean; yes?: boolean; provisional?: boolean }) => {
      const year = parseYear(o.year);
      if (o.rules && !fs.existsSync(o.rules)) throw new CliUsageError(`找不到规则文件：${o.rules}`);
      const c = await openCore();
      await asCliError(() => generateFromCli(new RosterService(c), year, {
        rulesFile: o.rules ? path.resolve(o.rules) : undefined, replace: o.replace, allowProvisional: o.provisional, by: 'cli',
      }, { yes: o.yes }, io));
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
      const roster = new RosterService(c);
      const sessions = await roster.store.sessions.listSessions({ year, includeCancelled: true });
      // 暂定: the year has no holiday data yet, so the day may still move (gone once the year is imported).
      const provisional = (s: SessionView) => s.status !== 'cancelled' && roster.provisionalDate(s.date);
      if (o.json) {
        const out = sessions.map((s) => ({
          id: s.id, uid: s.uid, date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, type: s.type,
          venue: s.venueName, venueId: s.venueId, status: s.status, sequence: s.sequence, provisional: provisional(s),
          leaders: s.leaders.map((l) => ({ id: l.id, name: l.name, title: l.title, substituteFor: l.substituteFor })),
          accompanyUnits: s.accompanyUnits, focus: s.focus, ruleId: s.ruleId,
        }));
        return void io.out(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (!sessions.length) return void io.out(`${year} 年还没有接访安排。用 xinfang plan generate --year ${year} 生成。\n`);
      for (const s of sessions) {
        const status = `${SESSION_STATUS_LABELS[s.status]}${provisional(s) ? '〔暂定〕' : ''}`;
        io.out(`${s.id}\t${s.date}\t${s.slot}\t${s.type}\t${s.venueName}\t${leadersText(s)}\t${status}\n`);
      }
      if (sessions.some(provisional)) io.err(`注意：没有 ${year} 年的节假日安排数据，标〔暂定〕的场次日期可能调整；导入该年安排后自动转为正式。\n`);
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
      fs.writeFileSync(file, await exportPlanWorkbook(year, sessions, await new ThirdPartyStore(c.db).ofSessions(sessions.map((s) => s.id))));
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
      const r = await asCliError(() => new RosterService(c).leave.record({
        leaderId: o.leader, from: parseIsoDate(o.from), to: parseIsoDate(o.to), deputyId: o.deputy ?? null, reason: o.reason ?? null,
      }, { notifyAdmins: true }, c.now()));
      printLeave(io, r);
    });
}

/** What `plan leave` recorded, the sessions already planned in the leave, and where the card went. */
function printLeave(io: CliIO, r: LeaveImpactReport): void {
  const deputy = r.deputy ? `，由 ${r.deputy.name}（${r.deputy.id}）代班` : '';
  io.out(`已登记：${r.leader.name}（${r.leader.id}）${r.leave.from} 至 ${r.leave.to} 不在岗${r.leave.reason ? `（${r.leave.reason}）` : ''}${deputy}。\n`);
  if (!r.offers.length) return void io.out('请假期间没有已安排的接访，无需调整。\n');
  io.out(`请假期间已有 ${r.offers.length} 场接访安排：\n`);
  for (const o of r.offers) {
    const s = o.session;
    io.out(`  编号 ${s.id}\t${s.date}\t${s.slot} ${s.startTime}—${s.endTime}\t${s.venueName}\t${s.type}${o.provisional ? '〔暂定〕' : ''}\n`);
  }
  if (r.sentTo) {
    io.out(`已将处理卡片发给管理员（${r.sentTo} 人）：每场可选“由代班领导接访”或“改期”，管理员点击后才会调整并通知相关领导和接访点。\n`);
  } else {
    io.err('没有管理员账号，处理卡片未能发出。请用 xinfang users add --role admin 添加管理员后，在聊天中用“请假登记”或“调整接访”处理上述场次。\n');
  }
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
