import { formatChineseDate } from '../platform/calendar/domain';
import { card, CardElement, chart, divider, fields, markdown } from '../platform/cards/card-kit';
import type { NameCount, StatsReport } from './domain/stats-report';
import { statsCharts } from './domain/stats-charts';
import { formatRatio } from './domain/metrics';

const NO_DATA = '暂无数据';

const list = (xs: NameCount[], n = 6) =>
  xs.length ? xs.slice(0, n).map((x) => `${x.name} ${x.count}`).join('，') + (xs.length > n ? ` 等 ${xs.length} 项` : '') : '无';

/** 2026年1月1日至12月31日 (the year said once when both ends share it). */
export function periodRange(from: string, to: string): string {
  const a = formatChineseDate(from, false);
  const b = formatChineseDate(to, false);
  return from.slice(0, 4) === to.slice(0, 4) ? `${a}至${b.replace(/^\d+年/, '')}` : `${a}至${b}`;
}

function figures(r: StatsReport): CardElement {
  return fields([
    ['登记信访事项', `${r.registered} 件`],
    ['其中集体访', `${r.groupVisits} 件`],
    ['重复信访', `${r.repeatPetitions} 件`],
    ['其中匿名', `${r.anonymous} 件`],
    ['办结', `${r.concluded} 件`],
    ['按信访形式', list(r.byChannel)],
    ['按信访目的', list(r.byPurpose)],
  ]);
}

function rates(r: StatsReport): CardElement[] {
  return [
    fields([
      ['及时受理率', formatRatio(r.timelyAcceptance)],
      ['按期办结率', formatRatio(r.onTimeConclusion)],
      ['督查督办化解率', formatRatio(r.supervisedResolution, '本期无督查督办事项')],
      ['矛盾纠纷化解率', formatRatio(r.disputeResolution, '本期无排查登记的纠纷')],
    ]),
    markdown('括号内为分子/分母。受理率、办结率只计本期到期的事项，尚在期限内的不计。'),
  ];
}

function ledgers(r: StatsReport): CardElement {
  const { letters: l, reviews: v, disputes: d, receptions: p, consultations: c, overdueNow: o } = r;
  return fields([
    ['信访函件', l ? `提醒函 ${l.reminder} 件，督办函 ${l.supervision} 件，改进工作建议函 ${l.suggestion} 件，共 ${l.total} 件` : NO_DATA],
    ['信访事项评查', v ? `评查 ${v.reviewed} 件，规范 ${v.compliant} 件，发现问题 ${v.problems} 个，已整改 ${v.fixed} 个` : NO_DATA],
    ['矛盾纠纷排查', d ? `排查 ${d.found} 件，化解 ${d.resolved} 件，化解中 ${d.inProgress} 件，转信访 ${d.escalated} 件` : NO_DATA],
    ['领导接访', p ? `接访 ${p.sessionsHeld} 场（计划 ${p.sessionsPlanned} 场），接待 ${p.batches} 批 ${p.people} 人次` : NO_DATA],
    ['会商', c ? `召开 ${c.held} 次，待开 ${c.scheduled} 次，任务 ${c.tasks} 项（完成 ${c.tasksDone} 项）` : NO_DATA],
    ['当前逾期', `${o.total} 件（超受理期限 ${o.decision} 件，超办结期限 ${o.conclusion} 件）`],
  ]);
}

function charts(r: StatsReport): CardElement[] {
  const list = statsCharts(r);
  if (!list.length) return [markdown('本期没有可画图的数据。')];
  return list.map((c) => chart({ spec: c.spec, aspect: c.id === 'chart_town' ? '4:3' : '16:9', elementId: c.id }));
}

/**
 * The statistics card: every figure the bureau reports for one period, with their numerators and
 * denominators, the ledgers ("暂无数据" where the bot has none) and four charts (registrations per
 * month, by category, by town, the rates against the previous period).
 */
export function buildStatsCard(r: StatsReport): Record<string, unknown> {
  return card({
    title: `信访统计 · ${r.period.label}`,
    subtitle: `${periodRange(r.period.from, r.period.to)} · 截至${formatChineseDate(r.asOf).replace(/^\d+年/, '')}`,
    template: 'indigo',
    elements: [figures(r), divider(), ...rates(r), divider(), ledgers(r), divider(), ...charts(r)],
  });
}
