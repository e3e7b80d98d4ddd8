import { formatChineseDateTime } from '../calendar/domain';
import { markdown } from '../cards/card-kit';
import type { LateSend } from '../core/feature';

/**
 * 补发: a message that goes out after its moment says so. Two runs send late:
 *  - `xinfang jobs run NAME --now <past> --force`: the run is as of the past moment, so what it
 *    says (remaining working days, 今日到期…) is as of then;
 *  - a catch-up at start-up for a slot missed while every replica was down (scheduler.ts): the
 *    run is as of the real clock, so what it says is current, only later than planned.
 * A run within LATE_TOLERANCE_MS of its moment is on time.
 */
export const LATE_TOLERANCE_MS = 10 * 60_000;

export const LATE_TITLE_PREFIX = '【补发】';

/** The line every late message carries: “本消息原定 2026年10月9日 09:00 发送，补发于 …”. */
export function lateNotice(late: LateSend): string {
  const when = `本消息原定 ${formatChineseDateTime(late.dueAt, false)} 发送，补发于 ${formatChineseDateTime(late.sentAt, false)}`;
  return late.contentAsOf === 'due'
    ? `${when}；其中的期限、剩余时间等均按原定时刻计算，请以当前情况为准。`
    : `${when}（系统停机期间错过，内容按补发时的情况）。`;
}

/** Whether a run as of `dueAt` at the real time `sentAt` sends late. */
export function isLate(dueAt: Date, sentAt: Date): boolean {
  return sentAt.getTime() - dueAt.getTime() > LATE_TOLERANCE_MS;
}

/**
 * A message's content with the 补发 mark, or unchanged when the run is on time: a card (JSON 2.0)
 * gets the prefix on its title and the notice as its first element; a text message both in front.
 */
export function markLate<T>(content: T, late: LateSend | undefined): T {
  if (!late || !content || typeof content !== 'object') return content;
  const c = content as Record<string, any>;
  if (typeof c.text === 'string') return { ...c, text: `${LATE_TITLE_PREFIX}${lateNotice(late)}\n${c.text}` } as T;
  const title = c.header?.title;
  const elements = c.body?.elements;
  if (!Array.isArray(elements)) return content;
  return {
    ...c,
    header: { ...c.header, ...(title ? { title: { ...title, content: `${LATE_TITLE_PREFIX}${String(title.content ?? '')}` } } : {}) },
    body: { ...c.body, elements: [markdown(`**${LATE_TITLE_PREFIX}**${lateNotice(late)}`), ...elements] },
  } as T;
}
