import { formatChineseDate } from '../platform/calendar/domain/dates';
import { button, buttonRow, card, divider, fields, Template } from '../platform/cards/card-kit';
import { DISPUTE_ACTIONS } from '../disputes';
import type { ReminderAudience } from './reminder-cards';

/** What a dispute's reminder shows: no party names, no personal data (it goes to groups). */
export interface DisputeReminderView {
  no: string;
  town: string;
  category: string;
  risk: string;
  unit: string;
  owner: string;
  targetDate: string;
  phase: 'before' | 'due' | 'overdue';
  timeLeft: string;
  provisional: boolean;
  audience: ReminderAudience;
}

const NOTE: Record<ReminderAudience, string> = {
  unit: '',
  bureau: '（责任单位未登记群聊，请信访局转告）',
  supervision: '（超期抄送督查）',
  leader: '（超期报领导）',
  director: '（超期报局领导）',
};

/** The reminder a responsible unit gets before a dispute's target date, and the copies escalation sends. */
export function buildDisputeReminderCard(v: DisputeReminderView): Record<string, unknown> {
  const title = v.phase === 'overdue' ? `矛盾纠纷已超期未化解：${v.no}` : v.phase === 'due' ? `矛盾纠纷今日到期：${v.no}` : `矛盾纠纷化解期限提醒：${v.no}`;
  const template: Template = v.phase === 'overdue' ? 'red' : v.phase === 'due' ? 'orange' : 'blue';
  return card({
    title,
    subtitle: `化解期限${NOTE[v.audience]}`,
    template,
    elements: [
      fields([
        ['排查编号', v.no],
        ['乡镇', v.town],
        ['纠纷类别', v.category],
        ['风险等级', v.risk],
        ['责任单位', v.unit],
        ['责任人', v.owner],
        ['化解期限', `${formatChineseDate(v.targetDate)}${v.provisional ? '（该年节假日未导入，暂按周末推算）' : ''}`],
        ['剩余时间', v.timeLeft],
      ]),
      divider(),
      buttonRow([
        button({ text: '查看', value: { action: DISPUTE_ACTIONS.view, no: v.no }, type: 'primary' }),
        button({ text: '销号', value: { action: DISPUTE_ACTIONS.resolveForm, no: v.no } }),
      ]),
    ],
  });
}
