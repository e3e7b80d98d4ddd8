import { CliUsageError } from '../platform/errors/cli-usage-error';
import type { CliIO } from '../platform/core/feature';
import { askYesNo, QuestionInput } from './cli-confirm';
import type { GenerateOptions, GenerateOutcome, ReplanPreview } from './plan-service';
import { groupRange } from './roster-cards';
import type { RosterService } from './roster-service';

/** The four figures of a regenerated plan, as one line. */
export function replanFigures(r: ReplanPreview): string {
  return `新增 ${r.added} 场，保留不变 ${r.kept} 场，改期或调整 ${r.moved} 场，取消 ${r.cancelled} 场（已举行或已过去的 ${r.fixed} 场不动）`;
}

/**
 * `plan generate`: a first plan is made at once; `--replace` over an existing plan first shows what
 * it would change and asks on a terminal (`--yes` skips the question; without a terminal it is refused).
 */
export async function generateFromCli(
  roster: RosterService, year: number, opts: GenerateOptions, confirm: { yes?: boolean; input?: QuestionInput }, io: CliIO,
): Promise<void> {
  if (opts.replace && !confirm.yes && (await roster.store.sessions.countSessions(year)) > 0) {
    const p = await roster.plans.previewReplace(year, opts);
    io.out(`重新生成 ${year} 年接访下访计划将：${replanFigures(p)}。\n`);
    // Nothing to change: no question; the run only records the plan anew (e.g. no longer provisional).
    if (!p.added && !p.moved && !p.cancelled) io.out('现有安排已与规则一致，场次无需改动。\n');
    else {
      const yes = await askYesNo('确认重新生成？(y/N) ', io, confirm.input);
      if (yes === null) {
        throw new CliUsageError(`未确认，没有改动任何安排。确认上面的变动后，请加 --yes 再运行：xinfang plan generate --year ${year} --replace --yes`);
      }
      if (!yes) return void io.out('已放弃，没有改动任何安排。\n');
    }
  }
  printOutcome(io, await roster.plans.generate(year, opts));
}

function printOutcome(io: CliIO, r: GenerateOutcome): void {
  if (r.replaced) {
    io.out(`已重新生成 ${r.year} 年接访下访计划：${replanFigures(r)}${r.notified ? `；已通知领导和接访点 ${r.notified} 条` : ''}（规则：${r.rulesFile}）\n`);
  } else {
    io.out(`已生成 ${r.year} 年接访下访计划：${r.placed} 场（规则：${r.rulesFile}）\n`);
  }
  for (const f of r.fairness) io.out(`  ${f.ruleName}：每人 ${groupRange(f)} 天（最多与最少相差 ${f.spread} 天）\n`);
  const issues = r.issues;
  if (issues.length) {
    io.out(`未能按规则安排或另作安排的 ${issues.length} 项：\n`);
    for (const i of issues) io.out(`  - [${i.ruleName}] ${i.message}\n`);
  } else {
    io.out('所有规则均已满足。\n');
  }
  if (r.provisional) {
    io.err(`警告：没有 ${r.year} 年的节假日安排数据，本计划仅按周末推算（已避开元旦、劳动节、国庆节的固定假日），标注为暂定。导入该年安排后，遇节假日的场次会自动改期。\n`);
  }
}
