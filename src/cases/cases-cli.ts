import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { formatChineseDate } from '../platform/calendar/domain';
import { maskIdNumber, maskPersonalDataInText, maskPhone } from '../platform/personal-data/masking';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { PROVISIONAL_NOTE } from './domain/case-deadlines';
import { CASE_STATUS_LABELS, CASE_STATUSES, CaseStatus } from './domain/case-status';
import { invalidCaseNoMessage, parseCaseNo } from './case-number';
import type { CaseDetail, CaseListEntry, CaseRecord } from './case-records';
import type { LabelledAuditEntry } from './case-queries';
import { CaseService } from './case-service';

/** Reads a status given as its code (handling) or its label (办理中). */
export function parseStatus(s: string): CaseStatus | null {
  const t = s.trim();
  if ((CASE_STATUSES as readonly string[]).includes(t)) return t as CaseStatus;
  const hit = CASE_STATUSES.find((k) => CASE_STATUS_LABELS[k] === t);
  return hit ?? null;
}

const statusHelp = CASE_STATUSES.map((s) => `${s}（${CASE_STATUS_LABELS[s]}）`).join('、');

/** `xinfang cases list` and `xinfang cases show`. */
export const registerCasesCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('cases').description('信访案件（身份证号、电话已脱敏）');
  registerList(cmd, openCore, io);
  registerShow(cmd, openCore, io);
};

function registerList(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('list')
    .description('列出案件，最新的在前')
    .option('--status <status>', `只列出某一状态：${statusHelp}`)
    .option('--json', '输出 JSON')
    .action(async (o: { status?: string; json?: boolean }) => {
      let status: CaseStatus | undefined;
      if (o.status !== undefined) {
        const s = parseStatus(o.status);
        if (!s) throw new CliUsageError(`状态“${o.status}”无效，可选：${statusHelp}`);
        status = s;
      }
      const core = await openCore();
      const list = await new CaseService(core).list({ status });
      if (o.json) return void io.out(`${JSON.stringify(list.map(listJson), null, 2)}\n`);
      if (!list.length) return void io.out(status ? `没有“${CASE_STATUS_LABELS[status]}”的案件。\n` : '还没有案件。\n');
      for (const entry of list) io.out(`${listLine(entry)}\n`);
      io.out(`共 ${list.length} 件\n`);
    });
}

function listJson({ record: r, next }: CaseListEntry) {
  return {
    ...maskedSummary(r),
    unit: r.unit,
    supervised: r.supervised,
    receivedDate: r.receivedDate,
    nextDeadline: next ? { kind: next.kind, label: next.label, dueDate: next.dueDate, daysLeft: next.daysLeft, provisional: next.provisional } : null,
  };
}

function listLine({ record: r, next }: CaseListEntry): string {
  const due = next
    ? `\t${next.label} ${next.dueDate}${next.daysLeft !== null ? (next.daysLeft < 0 ? `（逾期 ${-next.daysLeft} 个工作日）` : `（剩 ${next.daysLeft} 个工作日）`) : ''}${next.provisional ? PROVISIONAL_NOTE : ''}`
    : '';
  const marks = [r.isGroup ? '集体访' : '', r.supervised ? '督办' : '', r.leaderId ? '包案' : ''].filter(Boolean).join(',');
  return `${r.caseNo}\t${r.statusLabel}\t${r.name}\t${maskIdNumber(r.idNumber) || '-'}\t${r.town}\t${r.category}\t${r.receivedDate}${marks ? `\t[${marks}]` : ''}${due}`;
}

function registerShow(cmd: Command, openCore: () => Promise<Core>, io: CliIO): void {
  cmd
    .command('show <编号>')
    .description('一件案件的详情：状态、期限、关联案件、办理记录')
    .option('--json', '输出 JSON')
    .action(async (caseNoArg: string, o: { json?: boolean }) => {
      const no = parseCaseNo(caseNoArg);
      if (!no) throw new CliUsageError(invalidCaseNoMessage(caseNoArg));
      const core = await openCore();
      const svc = new CaseService(core);
      const d = await svc.detail(no);
      if (!d) throw new CliUsageError(`没有编号为 ${no} 的案件`);
      const view = showJson(d, await svc.auditTrail(d.record.id));
      if (o.json) return void io.out(`${JSON.stringify(view, null, 2)}\n`);
      io.out(`${showLines(d, view).join('\n')}\n`);
    });
}

/** One case as `cases show` gives it: personal data masked, in the text fields too. */
function showJson(d: CaseDetail, audit: LabelledAuditEntry[]) {
  const r = d.record;
  return {
    ...maskedSummary(r),
    purpose: r.purpose,
    content: maskPersonalDataInText(r.content),
    receivedAt: r.receivedAt.toISOString(),
    receivedDate: r.receivedDate,
    unit: r.unit,
    transferTo: r.transferTo,
    leader: r.leaderId ? { id: r.leaderId, name: d.leaderName } : null,
    supervised: r.supervised,
    acceptedDate: r.acceptedDate,
    repliedDate: r.repliedDate,
    extensionDays: r.extensionDays,
    replySummary: r.replySummary ? maskPersonalDataInText(r.replySummary) : null,
    decisionReason: r.decisionReason ? maskPersonalDataInText(r.decisionReason) : null,
    deadlines: d.deadlines,
    links: d.links.map((l) => ({ caseNo: l.record.caseNo, status: l.record.status, receivedDate: l.record.receivedDate, reason: l.reason })),
    audit: audit.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actorId,
      actorName: e.actorName,
      reason: e.reason ? maskPersonalDataInText(e.reason) : null,
      label: e.label,
    })),
  };
}

function showLines(d: CaseDetail, view: ReturnType<typeof showJson>): string[] {
  const r = d.record;
  return [
    `${r.caseNo}  ${r.statusLabel}${r.isGroup ? '  [集体访]' : ''}${r.supervised ? '  [挂牌督办]' : ''}${d.leaderName ? `  [包案：${d.leaderName}]` : ''}`,
    `信访人：${r.name}${r.headcount > 1 ? ` 等 ${r.headcount} 人` : ''}  身份证号：${view.idNumber ?? '-'}  电话：${view.phone ?? '-'}`,
    `形式：${r.channel}  属地：${r.town}  类别：${r.category}${r.purpose ? `  目的：${r.purpose}` : ''}`,
    `登记：${formatChineseDate(r.receivedDate)}${r.unit ? `  承办单位：${r.unit}` : ''}${r.transferTo ? `  转送：${r.transferTo}` : ''}`,
    `内容：${view.content}`,
    '期限：',
    ...d.deadlines.map((x) => `  ${x.label}\t${formatChineseDate(x.dueDate)}\t${{ open: '进行中', met: '已完成', void: '不再适用' }[x.status]}${x.daysLeft !== null ? `（${x.daysLeft < 0 ? `逾期 ${-x.daysLeft}` : `剩 ${x.daysLeft}`} 个工作日）` : ''}${x.provisional ? PROVISIONAL_NOTE : ''}`),
    ...(d.links.length ? ['关联案件：', ...d.links.map((l) => `  ${l.record.caseNo}\t${l.record.statusLabel}\t${formatChineseDate(l.record.receivedDate)}`)] : []),
    '办理记录：',
    ...view.audit.map((e) => `  ${e.label}`),
  ];
}

/** What the CLI shows of any case, ID number and phone masked. */
function maskedSummary(r: CaseRecord) {
  return {
    caseNo: r.caseNo,
    status: r.status,
    statusLabel: r.statusLabel,
    name: r.name,
    idNumber: maskIdNumber(r.idNumber) || null,
    phone: maskPhone(r.phone) || null,
    headcount: r.headcount,
    isGroup: r.isGroup,
    channel: r.channel,
    town: r.town,
    category: r.category,
  };
}
