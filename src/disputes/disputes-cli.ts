import fs from 'node:fs';
import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { UserError } from '../platform/errors/user-error';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import { parseParties, parseTargetDate, parseFoundDate } from './domain/dispute-fields';
import { DISPUTE_ACTION_LABELS, DISPUTE_STATUS_LABELS, DISPUTE_STATUSES, DisputeStatus } from './domain/dispute-rules';
import { partiesText } from './domain/dispute-fields';
import { DisputeService } from './dispute-service';
import type { DisputeRecord } from './dispute-store';
import { exportLedgerWorkbook } from './dispute-excel';
import { importLedger } from './dispute-import';

/** The CLI acts as the bureau: an administrator named by --by (cli by default). */
function cliUser(by = 'cli'): User {
  return { id: by, name: by, role: 'admin', unit: null, town: null, title: null };
}

/** A UserError is the person's mistake: its message, exit 2. */
async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw new CliUsageError(e.message);
    throw e;
  }
}

function parseStatus(s: string): DisputeStatus {
  const hit = DISPUTE_STATUSES.find((k) => k === s || DISPUTE_STATUS_LABELS[k] === s);
  if (!hit) throw new CliUsageError(`状态“${s}”无效，可选：open（在办）、resolved（已化解）、escalated（转入信访事项）`);
  return hit;
}

/** What `disputes list --json` gives of each dispute (no personal data). */
export function listJson(d: DisputeRecord) {
  return {
    no: d.no, status: d.status, screening: d.screening, source: d.source, foundDate: d.foundDate, town: d.town, category: d.category,
    risk: d.risk, unit: d.unit, owner: d.owner, targetDate: d.targetDate, resolvedDate: d.status === 'resolved' ? d.closedDate : null,
    escalatedDate: d.status === 'escalated' ? d.closedDate : null, caseNo: d.caseNo,
  };
}

function line(d: DisputeRecord): string {
  return [d.no, DISPUTE_STATUS_LABELS[d.status], d.town, d.category, d.risk, d.unit, d.owner, `期限 ${d.targetDate}`, d.closedDate ? `办结 ${d.closedDate}` : '', d.caseNo ?? '']
    .filter(Boolean).join('\t');
}

/** `xinfang disputes add|list|show|resolve|import|export`: the dispute ledger (ID numbers and phones masked). */
export const registerDisputesCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('disputes').description('矛盾纠纷排查化解台账（身份证号、电话已脱敏）');
  registerAdd(cmd, openCore, io);
  registerList(cmd, openCore, io);
  registerShow(cmd, openCore, io);
  registerResolve(cmd, openCore, io);
  registerExcel(cmd, openCore, io);
};

function registerAdd(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('add')
    .description('登记一件矛盾纠纷')
    .requiredOption('--type <排查类型>', '如 定期排查、专项排查（可选项见 config/reference.json）')
    .requiredOption('--source <来源>', '如 群诉平台、网格、来访（可选项见 config/reference.json）')
    .requiredOption('--town <乡镇>', '乡镇')
    .requiredOption('--category <类别>', '纠纷类别')
    .requiredOption('--summary <概要>', '纠纷概要')
    .requiredOption('--parties <当事人>', '“姓名 身份证号 电话”，多位用“；”隔开')
    .requiredOption('--risk <风险等级>', '如 高、中、低（可选项见 config/reference.json）')
    .requiredOption('--unit <责任单位>', '责任单位')
    .requiredOption('--owner <责任人>', '责任人')
    .requiredOption('--target <化解期限>', '如 2026-12-31，不能早于今天')
    .option('--found <排查日期>', '默认今天')
    .option('--by <用户ID>', '登记人', 'cli')
    .option('--json', '输出 JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => asUsage(async () => {
      const core = await openCore();
      const today = shanghaiDate(core.now());
      const parties = parseParties(String(o.parties), today);
      if (!parties.ok) throw new UserError(parties.reason);
      const target = parseTargetDate(String(o.target), today);
      if (!target.ok) throw new UserError(target.reason);
      const found = o.found ? parseFoundDate(String(o.found), today) : null;
      if (found && !found.ok) throw new UserError(found.reason);
      const d = await new DisputeService(core).register({
        screening: String(o.type), source: String(o.source), town: String(o.town), category: String(o.category), summary: String(o.summary),
        parties: parties.value, risk: String(o.risk), unit: String(o.unit), owner: String(o.owner), targetDate: target.value,
        foundDate: found?.ok ? found.value : undefined,
      }, cliUser(String(o.by)));
      io.out(o.json ? `${JSON.stringify(listJson(d), null, 2)}\n` : `已登记 ${d.no}\n`);
    }));
}

function registerList(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('list')
    .description('列出台账，最近排查的在前')
    .option('--status <状态>', 'open（在办）、resolved（已化解）、escalated（转入信访事项）')
    .option('--town <乡镇>', '只列出某一乡镇')
    .option('--unit <责任单位>', '只列出某一责任单位')
    .option('--year <年份>', '只列出某年排查的')
    .option('--json', '输出 JSON')
    .action(async (o: { status?: string; town?: string; unit?: string; year?: string; json?: boolean }) => {
      const status = o.status ? parseStatus(o.status) : undefined;
      if (o.year && !/^\d{4}$/.test(o.year)) throw new CliUsageError(`年份“${o.year}”无效，应为四位数字，如 2026`);
      const core = await openCore();
      const list = await new DisputeService(core).store.list({ status, town: o.town, unit: o.unit, year: o.year ? Number(o.year) : undefined });
      if (o.json) return void io.out(`${JSON.stringify(list.map(listJson), null, 2)}\n`);
      if (!list.length) return void io.out('台账中没有符合条件的矛盾纠纷。\n');
      for (const d of list) io.out(`${line(d)}\n`);
      io.out(`共 ${list.length} 件\n`);
    });
}

function registerShow(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('show <编号>')
    .description('一件矛盾纠纷的详情与办理记录')
    .option('--json', '输出 JSON')
    .action(async (no: string, o: { json?: boolean }) => asUsage(async () => {
      const core = await openCore();
      const service = new DisputeService(core);
      const d = await service.get(no, cliUser());
      const events = await service.events(d);
      const parties = partiesText(d.parties, { reveal: true });
      if (o.json) {
        return void io.out(`${JSON.stringify({ ...listJson(d), summary: d.summary, parties, resolution: d.resolution, events: events.map((e) => ({ action: e.action, label: DISPUTE_ACTION_LABELS[e.action] ?? e.action, at: e.at, actor: e.actorId })) }, null, 2)}\n`);
      }
      io.out(`${line(d)}\n当事人：${parties}\n纠纷概要：${d.summary}\n${d.resolution ? `化解情况：${d.resolution}\n` : ''}`);
      for (const e of events) io.out(`  ${e.at.slice(0, 16)}\t${DISPUTE_ACTION_LABELS[e.action] ?? e.action}\t${e.actorId}\n`);
    }));
}

function registerResolve(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('resolve <编号> <化解情况...>')
    .description('销号：写明化解情况')
    .option('--by <用户ID>', '办理人', 'cli')
    .action(async (no: string, words: string[], o: { by: string }) => asUsage(async () => {
      const d = await new DisputeService(await openCore()).resolve(no, words.join(' '), cliUser(o.by));
      io.out(`${d.no} 已销号（已化解）\n`);
    }));
}

function registerExcel(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('export <FILE.xlsx>')
    .description('导出台账（每件一行，中文表头）')
    .option('--year <年份>', '只导出某年排查的')
    .option('--unmasked', '身份证号、电话不脱敏（迁移台账时用）')
    .action(async (file: string, o: { year?: string; unmasked?: boolean }) => {
      if (o.year && !/^\d{4}$/.test(o.year)) throw new CliUsageError(`年份“${o.year}”无效`);
      const core = await openCore();
      const list = await new DisputeService(core).store.list({ year: o.year ? Number(o.year) : undefined });
      fs.writeFileSync(file, await exportLedgerWorkbook(o.year ? `${o.year}年矛盾纠纷排查化解台账` : '矛盾纠纷排查化解台账', [...list].reverse(), { unmasked: o.unmasked }));
      io.out(`已导出 ${list.length} 件到 ${file}\n`);
    });
  cmd
    .command('import <FILE.xlsx>')
    .description('导入台账：全部无误才导入，有错按行列列出、不导入任何一行')
    .option('--dry-run', '只检查，不保存')
    .option('--by <用户ID>', '导入人', 'cli')
    .action(async (file: string, o: { dryRun?: boolean; by: string }) => asUsage(async () => {
      if (!fs.existsSync(file)) throw new UserError(`找不到文件 ${file}`);
      const core = await openCore();
      const r = await importLedger(core, new DisputeService(core).store, fs.readFileSync(file), { dryRun: o.dryRun, by: o.by });
      const what = `${r.imported} 件（在办 ${r.open}、已化解 ${r.resolved}、转入信访事项 ${r.escalated}；新编号 ${r.numbered} 件）`;
      io.out(r.dryRun ? `检查通过，可导入 ${what}；未保存（--dry-run）\n` : `已导入 ${what}\n`);
      if (r.maskedDropped) io.out(`注意：当事人中 ${r.maskedDropped} 个已脱敏的身份证号或电话未导入。\n`);
    }));
}
