import { button, buttonRow, card, divider, escapeMd, fields, form, input, markdown, type CardElement } from '../platform/cards/card-kit';
import type { Conflict, MeetingView, TaskView } from './domain/meeting-view';
import type { MeetingRequest } from './domain/meeting-request';
import { TASK_STEP_LABELS, type TaskStep } from './domain/task-steps';

export const ACTIONS = {
  submit: 'consultation.submit',
  force: 'consultation.force',
  accept: 'consultation.accept',
  declineForm: 'consultation.decline_form',
  decline: 'consultation.decline',
  taskDone: 'consultation.task_done',
  moveForce: 'consultation.move_force',
} as const;

function basics(v: MeetingView): CardElement {
  return fields([
    ['编号', v.no],
    ['事项', v.subject],
    ['关联案件', v.caseLine],
    ['关联纠纷', v.disputeNo],
    ['时间', v.when],
    ['地点', v.place],
    ['第三方力量', v.thirdParties.join('、') || null],
    ['组织人', v.organiser],
  ]);
}

/**
 * The invitation a leader (in person) or a unit's group gets: no petitioner data beyond the masked
 * case line. `movedFrom`: the meeting was moved from that time, and is asked again.
 */
export function invitationCard(v: MeetingView, invitee: { kind: 'leader' | 'unit'; label: string }, movedFrom?: string): Record<string, unknown> {
  return card({
    title: `${v.kindLabel}${movedFrom ? '改期' : ''}通知：${v.when}`,
    subtitle: invitee.kind === 'unit' ? `邀请单位：${invitee.label}` : `邀请：${invitee.label}`,
    template: movedFrom ? 'orange' : 'indigo',
    elements: [
      ...(movedFrom ? [markdown(`**时间已调整**：原定${escapeMd(movedFrom)}，改为下面的时间，请重新回复。`)] : []),
      basics(v),
      markdown(`**参会**：${escapeMd(v.invitees.map((i) => i.label).join('、'))}`),
      markdown('请回复是否参加；不参加请说明原因。'),
      buttonRow([
        button({ text: '参加', type: 'primary', value: { action: ACTIONS.accept, no: v.no } }),
        button({ text: '不参加', value: { action: ACTIONS.declineForm, no: v.no } }),
      ]),
    ],
  });
}

/** 取消会商: what every invitee gets; no buttons. */
export function cancelNoticeCard(v: MeetingView, reason: string): Record<string, unknown> {
  return card({
    title: `${v.kindLabel}取消通知：${v.no}`,
    template: 'grey',
    elements: [
      fields([['编号', v.no], ['事项', v.subject], ['原定时间', v.when], ['地点', v.place], ['取消原因', reason], ['组织人', v.organiser]]),
      markdown('该会议已取消，无需参加。'),
    ],
  });
}

/** 不参加: the reason asked in a form. */
export function declineCard(v: MeetingView): Record<string, unknown> {
  return card({
    title: `不参加${v.kindLabel} ${v.no}`,
    template: 'orange',
    elements: [
      fields([['事项', v.subject], ['时间', v.when]]),
      form({
        name: 'decline',
        elements: [input({ name: 'reason', label: '不参加的原因', required: true, maxLength: 200, placeholder: '例如：当天下午在阳城镇接访' })],
        submit: { text: '提交', value: { action: ACTIONS.decline, no: v.no } },
      }),
    ],
  });
}

/** The meeting with every invitee's reply, the minutes and the tasks: what the organiser reads. */
export function meetingCard(v: MeetingView, note?: string): Record<string, unknown> {
  const replies = v.invitees.map((i) => `- ${escapeMd(i.label)}：${i.replyLabel}${i.reason ? `（${escapeMd(i.reason)}）` : ''}`);
  const elements: CardElement[] = [
    ...(note ? [markdown(escapeMd(note))] : []),
    basics(v),
    fields([['状态', v.statusLabel]]),
    divider(),
    markdown(`**参会回复**\n${replies.join('\n') || '（无）'}`),
  ];
  if (v.minutes) elements.push(divider(), markdown(`**会商意见**\n${escapeMd(v.minutes)}`));
  if (v.tasks.length) elements.push(markdown(`**跟进任务**\n${v.tasks.map(taskLine).join('\n')}`));
  return card({ title: `${v.kindLabel} ${v.no}：${v.statusLabel}`, template: v.statusLabel === '已召开' ? 'green' : 'blue', elements });
}

function taskLine(t: TaskView): string {
  return `- 任务${t.id}：${escapeMd(t.ownerLabel)}，${t.dueText}前，${escapeMd(t.content)}（${t.statusLabel}）`;
}

/** A list of meetings, one line each. */
export function meetingListCard(title: string, list: MeetingView[]): Record<string, unknown> {
  const lines = list.map((v) => `- **${v.no}** ${v.kindLabel} ${escapeMd(v.when)} ${escapeMd(v.place)}：${escapeMd(v.subject)}（${v.statusLabel}）`);
  return card({
    title,
    elements: [markdown(lines.join('\n') || '没有会商安排。'), markdown('发送“会商详情 编号”查看参会回复、会商意见和任务。')],
  });
}

/** A leader is busy that half-day: what, and how to go on. */
export function conflictCard(
  kindLabel: string, when: string, conflicts: Conflict[], request: MeetingRequest, kind: string, move?: { no: string }, token?: string,
): Record<string, unknown> {
  return card({
    title: `${kindLabel}时间冲突：${when}`,
    template: 'orange',
    elements: [
      markdown(conflicts.map((c) => `- **${escapeMd(c.leader)}**：${escapeMd(c.what)}`).join('\n')),
      markdown(move
        ? `尚未调整，${move.no} 仍按原时间。建议另选时间，重新发送“调整会商 ${move.no} …”；确需按此时间安排，请点下面的按钮。`
        : '尚未保存。建议另选时间，重新发送“会商 …”；确需按此时间安排（如由代班领导接访），请点下面的按钮。'),
      button({
        text: '仍按此时间安排',
        type: 'danger',
        // token: what makes a second press answer with the meeting the first one made.
        value: move ? { action: ACTIONS.moveForce, no: move.no, request, token } : { action: ACTIONS.force, kind, request, token },
        confirm: { title: '确认按此时间安排？', text: '上述领导当时另有安排，仍会收到邀请。' },
      }),
    ],
  });
}

/** 会商 with nothing after it: the whole request as one card form. */
export function scheduleFormCard(kind: string, kindLabel: string): Record<string, unknown> {
  return card({
    title: `安排${kindLabel}`,
    elements: [
      markdown('也可以直接发送：会商 2026-000123 12月8日 下午 地点：三楼会议室 领导：李国强 单位：县自然资源局'),
      form({
        name: 'consultation',
        elements: [
          input({ name: 'caseNo', label: '案件编号（可不填）', placeholder: '2026-000123' }),
          input({ name: 'disputeNo', label: '矛盾纠纷编号（可不填）' }),
          input({ name: 'subject', label: '会商事项（无案件编号时必填）', maxLength: 200 }),
          input({ name: 'dateWord', label: '日期', required: true, placeholder: '12月8日 / 下周三 / 明天' }),
          input({ name: 'timeWord', label: '时间', required: true, placeholder: '上午 / 下午 / 14:30 / 9:00-11:00' }),
          input({ name: 'place', label: '地点', required: true, maxLength: 100 }),
          input({ name: 'leaders', label: '参会领导（用顿号分隔）', placeholder: '李国强、王芳' }),
          input({ name: 'units', label: '参会单位（用顿号分隔）', placeholder: '县自然资源局、阳城镇' }),
          input({ name: 'thirdParties', label: '第三方力量（可不填）', placeholder: '律师、心理咨询师' }),
        ],
        submit: { text: '安排', value: { action: ACTIONS.submit, kind } },
      }),
    ],
  });
}

/** A follow-up task, to its owner, with the button that marks it done. */
export function taskCard(v: MeetingView, t: TaskView, step?: TaskStep): Record<string, unknown> {
  const title = step ? `${v.kindLabel}任务${TASK_STEP_LABELS[step]}：${t.dueText}` : `${v.kindLabel}跟进任务：${t.dueText}前完成`;
  return card({
    title,
    template: step === 'overdue' ? 'red' : step === 'before' ? 'orange' : 'blue',
    elements: [
      fields([['任务', t.content], ['责任', t.ownerLabel], ['完成期限', t.dueText], ['来自', `${v.kindLabel} ${v.no}（${v.when}）`], ['事项', v.subject], ['关联案件', v.caseLine]]),
      button({ text: '已完成', type: 'primary', value: { action: ACTIONS.taskDone, taskId: t.id } }),
    ],
  });
}
