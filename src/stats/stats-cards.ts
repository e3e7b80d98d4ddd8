import { formatRate, PeriodStats } from './domain/metrics';
import { card, divider, fields, markdown } from '../platform/cards/card-kit';

const top = (list: Array<[string, number]>, n = 8) =>
  list.length ? list.slice(0, n).map(([k, v]) => `${k} ${v}`).join('，') + (list.length > n ? ' …' : '') : '无';

/** The statistics card: the figures the bureau reports, for one period. */
export function buildStatsCard(s: PeriodStats): Record<string, unknown> {
  return card({
    title: `信访统计 · ${s.period.label}`,
    subtitle: `${s.period.from} 至 ${s.period.to}`,
    template: 'indigo',
    elements: [
      fields([
        ['登记信访事项', `${s.registered} 件`],
        ['其中集体访', `${s.groupVisits} 件`],
        ['其中匿名', `${s.anonymous ?? 0} 件`],
        ['重复信访', `${s.repeatPetitions} 件`],
        ['挂牌督办', `${s.supervised} 件`],
        ['办结', `${s.concluded} 件`],
      ]),
      divider(),
      fields([
        ['及时受理率', formatRate(s.timelyDecision)],
        ['按期办结率', formatRate(s.timelyConclusion)],
      ]),
      markdown('比率只计本期到期的事项：按期办理的计入分子，逾期办理或逾期未办的计入分母；尚在期限内的不计。'),
      divider(),
      fields([
        ['按信访形式', top(s.byChannel)],
        ['按问题类别', top(s.byCategory)],
        ['按问题属地', top(s.byTown)],
      ]),
    ],
  });
}
