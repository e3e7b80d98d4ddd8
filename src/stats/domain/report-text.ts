import { formatChineseDate } from '../../platform/calendar/domain/dates';
import { formatRatio } from './metrics';
import type { NameCount, StatsReport } from './stats-report';

const NONE = '暂无数据';
const list = (rows: NameCount[]) => (rows.length ? rows.map((r) => `${r.name} ${r.count}`).join('，') : '无');
const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** Every figure of the report as lines of Chinese text (`xinfang stats` without --json). */
export function statsReportText(r: StatsReport): string {
  const p = r.period;
  const lines = [
    `${p.label}（${formatChineseDate(p.from, false)}至${formatChineseDate(p.to, false)}），截至${formatChineseDate(r.asOf, false)}`,
    `登记信访事项 ${r.registered} 件，其中集体访 ${r.groupVisits} 件，重复信访 ${r.repeatPetitions} 件，匿名 ${r.anonymous} 件；办结 ${r.concluded} 件`,
    `按信访形式：${list(r.byChannel)}`,
    `按问题类别：${list(r.byCategory)}`,
    `按问题属地：${list(r.byTown)}`,
    `按信访目的：${list(r.byPurpose)}`,
    `按月登记：${r.byMonth.map((m) => `${Number(m.month.slice(5))}月 ${m.count}`).join('，')}`,
    `及时受理率 ${formatRatio(r.timelyAcceptance)}`,
    `按期办结率 ${formatRatio(r.onTimeConclusion)}`,
    `督查督办 ${r.supervisedCount} 件，化解率 ${formatRatio(r.supervisedResolution, '本期无督办事项')}`,
    `矛盾纠纷化解率 ${formatRatio(r.disputeResolution)}`,
    r.disputes
      ? `矛盾纠纷：排查 ${r.disputes.found} 件，化解 ${r.disputes.resolved} 件，转为信访事项 ${r.disputes.escalated} 件，正在调处 ${r.disputes.inProgress} 件（其中超过化解期限 ${r.disputes.overdue} 件）`
      : `矛盾纠纷：${NONE}`,
    r.letters
      ? `函件：提醒函 ${r.letters.reminder} 件，督办函 ${r.letters.supervision} 件，改进工作建议函 ${r.letters.suggestion} 件，共 ${r.letters.total} 件`
      : `函件：${NONE}`,
    r.reviews
      ? `评查：评查 ${r.reviews.reviewed} 件（规范 ${r.reviews.compliant} 件），发现问题 ${r.reviews.problems} 个，已整改 ${r.reviews.fixed} 个`
      : `评查：${NONE}`,
    r.receptions
      ? `领导接访：安排 ${r.receptions.sessionsPlanned} 场，已接访 ${r.receptions.sessionsHeld} 场，接待 ${r.receptions.batches} 批 ${r.receptions.people} 人次`
      : `领导接访：${NONE}`,
    r.consultations
      ? `会商：召开 ${r.consultations.held} 次（共安排 ${r.consultations.scheduled} 次），议定事项 ${r.consultations.tasks} 项，已完成 ${r.consultations.tasksDone} 项`
      : `会商：${NONE}`,
    `当前逾期：${r.overdueNow.total} 件（超受理期限 ${r.overdueNow.decision} 件，超办结期限 ${r.overdueNow.conclusion} 件）`,
  ];
  const prev = r.previous;
  if (prev) {
    lines.push(
      `上期（${prev.period.label}）：登记 ${prev.registered} 件，及时受理率 ${pct(prev.timelyAcceptanceRate)}，按期办结率 ${pct(prev.onTimeConclusionRate)}，` +
        `督查督办化解率 ${pct(prev.supervisedResolutionRate)}，矛盾纠纷化解率 ${pct(prev.disputeResolutionRate)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
