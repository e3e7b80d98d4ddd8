import { button, buttonRow, card, CardElement, escapeMd, fields, form, input, markdown } from '../platform/cards/card-kit';
import { leadersText, sessionWhen } from './roster-cards';
import type { SessionView } from './session-view';

/** The session as one line for the cards below. */
function sessionFields(s: SessionView): CardElement {
  return fields([['时间', sessionWhen(s)], ['地点', s.venueName], ['领导', leadersText(s)], ['编号', s.id]]);
}

/** 取消接访 <编号> <原因>: what will be cancelled, and the buttons that do it or not. */
export function cancelConfirmCard(s: SessionView, reason: string): Record<string, unknown> {
  return card({
    title: '确认取消这场接访？',
    template: 'red',
    elements: [
      sessionFields(s),
      fields([['取消原因', reason]]),
      markdown('取消后会通知相关领导和接访点，公开的接访安排和日历显示“已取消”。接访日之前可以发送“恢复接访 编号”恢复。'),
      buttonRow([
        button({ text: '确认取消', type: 'danger_filled', value: { action: 'roster.cancel.confirm', sessionId: s.id, reason } }),
        button({ text: '不取消', value: { action: 'roster.cancel.keep', sessionId: s.id } }),
      ]),
    ],
  });
}

/** 取消接访 <编号> without a reason (or the reason left out): the form asking it. */
export function cancelReasonCard(s: SessionView, prompt?: string): Record<string, unknown> {
  return card({
    title: '取消接访：请写明原因',
    template: 'orange',
    elements: [
      ...(prompt ? [markdown(`⚠️ ${escapeMd(prompt)}`)] : []),
      sessionFields(s),
      form({
        name: 'roster_cancel',
        elements: [input({ name: 'reason', label: '取消原因（相关领导和接访点会看到）', placeholder: '如：台风预警，暂停接访', required: true, maxLength: 200 })],
        submit: { text: '确认取消', value: { action: 'roster.cancel.confirm', sessionId: s.id } },
      }),
    ],
  });
}

/** 驳回 on a change request: the form asking the reason the requester will read. */
export function rejectReasonCard(requestId: number, description: string, prompt?: string): Record<string, unknown> {
  return card({
    title: '驳回接访调整申请',
    template: 'orange',
    elements: [
      ...(prompt ? [markdown(`⚠️ ${escapeMd(prompt)}`)] : []),
      markdown(escapeMd(description)),
      form({
        name: 'roster_reject',
        elements: [input({ name: 'note', label: '驳回理由（申请人会看到）', placeholder: '如：当天已安排县委常委会，请另选日期', required: true, maxLength: 500 })],
        submit: { text: '驳回', value: { action: 'roster.change.reject', requestId } },
      }),
    ],
  });
}
