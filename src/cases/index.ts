import { registerCaseCommands } from './case-commands';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { formatChineseDate, formatShanghaiDateTime } from '../platform/calendar/domain';
import { CASE_ACTION_LABELS, CASE_ACTIONS, CaseAction } from './domain/case-lifecycle';
import { PROVISIONAL_NOTE } from './domain/case-deadlines';
import { CASE_STATUS_LABELS, CASE_STATUSES, CaseStatus } from './domain/case-status';
import { maskIdNumber, maskPersonalDataInText, maskPhone } from '../platform/personal-data/masking';
import type { CliRegistrar, FeatureFactory } from '../platform/feature';
import { CaseRecord, CaseService, parseCaseNo } from './case-service';

/** The case life: chat commands and buttons, and `xinfang cases`. */
export const createCasesFeature: FeatureFactory = (core) => {
  const cases = new CaseService(core);
  return {
    name: 'cases',
    registerBot: (router) => registerCaseCommands(router, cases),
  };
};

/** Reads a status given as its code (handling) or its label (办理中). */
export function parseStatus(s: string): CaseStatus | null {
  const t = s.trim();
  if ((CASE_STATUSES as readonly string[]).includes(t)) return t as CaseStatus;
  const hit = CASE_STATUSES.find((k) => CASE_STATUS_LABELS[k] === t);
  return hit ?? null;
}

const statusHelp = CASE_STATUSES.map((s) => `${s}（${CASE_STATUS_LABELS[s]}）`).join('、');

const actionLabel = (a: string) => ((CASE_ACTIONS as readonly string[]).includes(a) ? CASE_ACTION_LABELS[a as CaseAction] : a === 'register' ? '登记' : a);

export const registerCasesCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('cases').description('信访案件（身份证号、电话已脱敏）');

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
      if (o.json) {
        const rows = list.map(({ record: r, next }) => ({
          ...maskedSummary(r),
          unit: r.unit,
          supervised: r.supervised,
          receivedDate: r.receivedDate,
          nextDeadline: next ? { kind: next.kind, label: next.label, dueDate: next.dueDate, daysLeft: next.daysLeft, provisional: next.provisional } : null,
        }));
        return void io.out(`${JSON.stringify(rows, null, 2)}\n`);
      }
      if (!list.length) return void io.out(status ? `没有“${CASE_STATUS_LABELS[status]}”的案件。\n` : '还没有案件。\n');
      for (const { record: r, next } of list) {
        const due = next
          ? `\t${next.label} ${next.dueDate}${next.daysLeft !== null ? (next.daysLeft < 0 ? `（逾期 ${-next.daysLeft} 个工作日）` : `（剩 ${next.daysLeft} 个工作日）`) : ''}${next.provisional ? PROVISIONAL_NOTE : ''}`
          : '';
        const marks = [r.isGroup ? '集体访' : '', r.supervised ? '督办' : '', r.leaderId ? '包案' : ''].filter(Boolean).join(',');
        io.out(`${r.caseNo}\t${r.statusLabel}\t${r.name}\t${maskIdNumber(r.idNumber) || '-'}\t${r.town}\t${r.category}\t${r.receivedDate}${marks ? `\t[${marks}]` : ''}${due}\n`);
      }
      io.out(`共 ${list.length} 件\n`);
    });

  cmd
    .command('show <编号>')
    .description('一件案件的详情：状态、期限、关联案件、办理记录')
    .option('--json', '输出 JSON')
    .action(async (caseNoArg: string, o: { json?: boolean }) => {
      const no = parseCaseNo(caseNoArg);
      if (!no) throw new CliUsageError(`案件编号“${caseNoArg}”无效，应形如 2026-000123`);
      const core = await openCore();
      const svc = new CaseService(core);
      const d = await svc.detail(no);
      if (!d) throw new CliUsageError(`没有编号为 ${no} 的案件`);
      const r = d.record;
      const audit = await svc.auditTrail(r.id);
      const view = {
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
        })),
      };
      if (o.json) return void io.out(`${JSON.stringify(view, null, 2)}\n`);
      const lines = [
        `${r.caseNo}  ${r.statusLabel}${r.isGroup ? '  [集体访]' : ''}${r.supervised ? '  [挂牌督办]' : ''}${d.leaderName ? `  [包案：${d.leaderName}]` : ''}`,
        `信访人：${r.name}${r.headcount > 1 ? ` 等 ${r.headcount} 人` : ''}  身份证号：${view.idNumber ?? '-'}  电话：${view.phone ?? '-'}`,
        `形式：${r.channel}  属地：${r.town}  类别：${r.category}${r.purpose ? `  目的：${r.purpose}` : ''}`,
        `登记：${formatChineseDate(r.receivedDate)}${r.unit ? `  承办单位：${r.unit}` : ''}${r.transferTo ? `  转送：${r.transferTo}` : ''}`,
        `内容：${view.content}`,
        '期限：',
        ...d.deadlines.map((x) => `  ${x.label}\t${x.dueDate}\t${{ open: '进行中', met: '已完成', void: '不再适用' }[x.status]}${x.daysLeft !== null ? `（${x.daysLeft < 0 ? `逾期 ${-x.daysLeft}` : `剩 ${x.daysLeft}`} 个工作日）` : ''}${x.provisional ? PROVISIONAL_NOTE : ''}`),
        ...(d.links.length ? ['关联案件：', ...d.links.map((l) => `  ${l.record.caseNo}\t${l.record.statusLabel}\t${l.record.receivedDate}`)] : []),
        '办理记录：',
        ...view.audit.map((e) => `  ${formatShanghaiDateTime(new Date(e.at))}\t${actionLabel(e.action)}\t${e.actorName ?? e.actor}${e.reason ? `\t${e.reason}` : ''}`),
      ];
      io.out(`${lines.join('\n')}\n`);
    });
};

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

// The public face other capabilities use.
export { CASE_STATUS_LABELS, CHANNELS, DEADLINE_LABELS, DUTY_DEADLINES, OPEN_STATUSES } from './domain/case-status';
export type { CaseStatus, DeadlineKind, PetitionChannel } from './domain/case-status';
export type { CaseCommand } from './domain/case-lifecycle';
export { CaseService } from './case-service';
export type { CaseRecord, NewCaseInput } from './case-service';
export { CaseStore } from './case-store';
export { ACTION_VALUES, VIEW_ACTION } from './case-cards';
export { CaseBriefQueries } from './queries/briefing-cases';
export type { CaseBrief } from './queries/briefing-cases';
export { LETTER_ACTION, LetterCaseQueries } from './queries/letter-cases';
export type { LetterCase, LetterDeadline } from './queries/letter-cases';
