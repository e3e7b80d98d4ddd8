import { card, markdown } from '../../../src/platform/cards/card-kit';
import { isLate, LATE_TOLERANCE_MS, lateNotice, markLate } from '../../../src/platform/jobs/late-send';

const dueAt = new Date('2026-10-09T01:00:00Z'); // 09:00 in Shanghai
const sentAt = new Date('2026-12-02T05:17:00Z'); // 13:17

describe('补发: a message sent after its moment says so', () => {
  test('the notice says when it was due, when it went out, and whose moment its figures are', () => {
    expect(lateNotice({ dueAt, sentAt, contentAsOf: 'due' })).toBe(
      '本消息原定 2026年10月9日 09:00 发送，补发于 2026年12月2日 13:17；其中的期限、剩余时间等均按原定时刻计算，请以当前情况为准。',
    );
    expect(lateNotice({ dueAt, sentAt, contentAsOf: 'sent' })).toBe(
      '本消息原定 2026年10月9日 09:00 发送，补发于 2026年12月2日 13:17（系统停机期间错过，内容按补发时的情况）。',
    );
  });

  test('a card gets 【补发】 before its title and the notice first in its body; its own elements follow unchanged', () => {
    const original = card({ title: '信访事项期限提醒：2026-000001', subtitle: '办结期限', template: 'blue', elements: [markdown('剩余 3 个工作日')] });
    const late = markLate(original, { dueAt, sentAt, contentAsOf: 'due' }) as any;
    expect(late.header.title).toEqual({ tag: 'plain_text', content: '【补发】信访事项期限提醒：2026-000001' });
    expect(late.header.subtitle).toEqual((original as any).header.subtitle);
    expect(late.body.elements[0]).toEqual({ tag: 'markdown', content: expect.stringMatching(/^\*\*【补发】\*\*本消息原定 2026年10月9日 09:00 发送/) });
    expect(late.body.elements.slice(1)).toEqual([markdown('剩余 3 个工作日')]);
    // The original is left as it was (a card built once is shared by several recipients).
    expect((original as any).header.title.content).toBe('信访事项期限提醒：2026-000001');
  });

  test('a text message gets the mark in front; an on-time run changes nothing', () => {
    expect(markLate({ text: '您好' }, { dueAt, sentAt, contentAsOf: 'due' }).text).toMatch(/^【补发】本消息原定 2026年10月9日 09:00 发送.*\n您好$/);
    const c = card({ title: 't', elements: [] });
    expect(markLate(c, undefined)).toBe(c);
  });

  test('late means more than the tolerance after the moment', () => {
    expect(isLate(dueAt, new Date(dueAt.getTime() + LATE_TOLERANCE_MS))).toBe(false);
    expect(isLate(dueAt, new Date(dueAt.getTime() + LATE_TOLERANCE_MS + 1000))).toBe(true);
    expect(isLate(dueAt, new Date(dueAt.getTime() - 3600_000))).toBe(false);
  });
});
