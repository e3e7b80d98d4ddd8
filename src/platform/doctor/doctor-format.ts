import { formatChineseDateTime, formatShanghaiDateTime } from '../calendar/domain';
import { card, divider, escapeMd, markdown } from '../cards/card-kit';
import type { Finding } from '../core/feature';
import type { DoctorReport } from './doctor-service';

const SEVERITY: Record<Finding['severity'], string> = { error: '错误', warning: '提醒' };

export const ALL_WELL = '一切正常，没有发现需要处理的问题。';

/** '发现 3 项需要处理（错误 2 项，提醒 1 项）'. */
export function summary(findings: Finding[]): string {
  if (!findings.length) return ALL_WELL;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const parts = [errors ? `错误 ${errors} 项` : '', findings.length - errors ? `提醒 ${findings.length - errors} 项` : ''].filter(Boolean);
  return `发现 ${findings.length} 项需要处理（${parts.join('，')}）。`;
}

/** The report as `xinfang doctor` prints it: a heading line, then each finding and its fix. */
export function reportLines(r: DoctorReport): string[] {
  const lines = [`系统检查（${formatShanghaiDateTime(r.checkedAt)}）：${summary(r.findings)}`];
  r.findings.forEach((f, i) => {
    lines.push(`${i + 1}. 【${SEVERITY[f.severity]}】${f.area}：${f.problem}`);
    lines.push(`   处理：${f.fix}`);
  });
  return lines;
}

/** `xinfang doctor --json`. */
export function reportJson(r: DoctorReport) {
  return { ok: r.findings.length === 0, checkedAt: r.checkedAt.toISOString(), findings: r.findings };
}

/** A finding as a card block: its chat wording of the fix (a person in chat cannot type commands). */
function findingBlock(f: Finding, i: number): string {
  return `**${i + 1}. 【${SEVERITY[f.severity]}】${escapeMd(f.area)}**\n${escapeMd(f.problem)}\n**处理**：${escapeMd(f.chatFix ?? f.fix)}`;
}

/** 系统检查 in chat, and the weekly reminder (its own title and closing line). */
export function reportCard(r: DoctorReport, opts: { title?: string; footer?: string } = {}): Record<string, unknown> {
  const errors = r.findings.some((f) => f.severity === 'error');
  const elements = [markdown(`检查时间：${formatChineseDateTime(r.checkedAt)}\n${summary(r.findings)}`)];
  r.findings.forEach((f, i) => {
    elements.push(divider());
    elements.push(markdown(findingBlock(f, i)));
  });
  if (opts.footer) elements.push(divider(), markdown(opts.footer));
  return card({ title: opts.title ?? '系统检查', template: errors ? 'red' : r.findings.length ? 'orange' : 'green', elements });
}
