import type { CliRegistrar, Finding } from '../core/feature';
import { checkLark, LarkCheckResult } from './lark-check';

const SEVERITY: Record<Finding['severity'], string> = { error: '错误', warning: '提醒' };

/** The report as printed: a heading, what is right (✓), then each finding and its fix. */
export function larkCheckLines(r: LarkCheckResult): string[] {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  const heading = r.findings.length
    ? `飞书设置检查：发现 ${r.findings.length} 项需要处理（${[errors ? `错误 ${errors} 项` : '', warnings ? `提醒 ${warnings} 项` : ''].filter(Boolean).join('，')}）。`
    : '飞书设置检查：一切正常。';
  const lines = [heading, ...r.passed.map((p) => `  ✓ ${p}`)];
  r.findings.forEach((f, i) => {
    lines.push(`${i + 1}. 【${SEVERITY[f.severity]}】${f.problem}`);
    lines.push(`   处理：${f.fix}`);
  });
  return lines;
}

/** `xinfang lark check [--json]`: exit 0 when all is well, 1 when something needs doing. */
export const registerLarkCli: CliRegistrar = (program, openCore, io) => {
  const lark = program.command('lark').description('飞书应用');
  lark
    .command('check')
    .description('用本应用的设置向飞书逐项检查：凭证、机器人、群、用户可用范围、连接方式；一切正常退出码 0，否则 1')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await openCore();
      const r = await checkLark(core);
      if (o.json) io.out(`${JSON.stringify({ ok: r.findings.length === 0, passed: r.passed, findings: r.findings }, null, 2)}\n`);
      else io.out(`${larkCheckLines(r).join('\n')}\n`);
      io.setExitCode(r.findings.length ? 1 : 0);
    });
};
