import type { Core, Feature, Finding } from '../core/feature';
import { outboxFindings } from './outbox-checks';
import { chatFindings, holidayFindings } from './platform-checks';

export interface DoctorReport {
  checkedAt: Date;
  /** Errors first, then warnings, each in the order the checks found them. */
  findings: Finding[];
}

/**
 * `xinfang doctor` / 系统检查: the platform's own checks (the legal calendar's years, group
 * chats, the outbox's backlog and failures), then every feature's `diagnose(now)`. A check that
 * throws becomes a finding of its own (logged with the error; the person reads no SQL or stack),
 * so one broken check never hides the others.
 */
export class DoctorService {
  constructor(
    private readonly core: Core,
    private readonly features: Feature[],
  ) {}

  async run(now: Date = this.core.now()): Promise<DoctorReport> {
    const checks: Array<{ name: string; run: () => Promise<Finding[]> | Finding[] }> = [
      { name: '节假日', run: () => holidayFindings(this.core, now) },
      { name: '群聊', run: () => chatFindings(this.core) },
      { name: '发件箱', run: () => outboxFindings(this.core) },
      ...this.features.filter((f) => f.diagnose).map((f) => ({ name: f.name, run: () => f.diagnose!(now) })),
    ];
    const all = await Promise.all(checks.map(async (c) => {
      try {
        return await c.run();
      } catch (err) {
        this.core.logger.error({ err, check: c.name }, 'doctor check failed');
        return [{
          area: c.name, severity: 'error' as const,
          problem: `“${c.name}”的检查未能完成（程序出错，详情见服务器日志），其中的问题可能没有发现。`,
          fix: '查看服务器日志中的“doctor check failed”，修复后再运行 xinfang doctor。',
          chatFix: '请系统管理员查看服务器日志，修复后再发送“系统检查”核对。',
        }];
      }
    }));
    const findings = all.flat();
    return { checkedAt: now, findings: [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity !== 'error')] };
  }

  /** At start-up: each finding once in the server log (a warning), or one line that all is well. */
  async logAtStart(): Promise<void> {
    const r = await this.run();
    for (const f of r.findings) this.core.logger.warn({ doctor: f.area, severity: f.severity }, `系统检查：${f.problem} 处理：${f.fix}`);
    if (!r.findings.length) this.core.logger.info('系统检查：一切正常');
    else this.core.logger.warn(`系统检查发现 ${r.findings.length} 项需要处理，运行 xinfang doctor 或在聊天中发送“系统检查”查看`);
  }
}
