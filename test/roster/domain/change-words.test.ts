import { parseDayWord } from '../../../src/platform/calendar/domain';
import { parseChangeWords } from '../../../src/roster/domain/change-words';

// Monday 2 March 2026.
const TODAY = '2026-03-02';

describe('the day words 调整接访 reads (parseDayWord)', () => {
  test.each([
    ['今天', '2026-03-02'], ['明天', '2026-03-03'], ['后天', '2026-03-04'], ['12月3日', '2026-12-03'], ['3月5号', '2026-03-05'],
    ['2026-03-20', '2026-03-20'], ['周三', '2026-03-04'], ['周一', '2026-03-02'], ['本周五', '2026-03-06'], ['这周日', '2026-03-08'],
    ['下周三', '2026-03-11'], ['下星期一', '2026-03-09'], ['下礼拜天', '2026-03-15'],
  ])('%s is %s', (word, date) => {
    expect(parseDayWord(word, TODAY)).toBe(date);
  });

  test('on a Sunday, 下周三 is the coming week’s and 周三 the next one', () => {
    expect(parseDayWord('下周三', '2026-03-08')).toBe('2026-03-11');
    expect(parseDayWord('周三', '2026-03-08')).toBe('2026-03-11');
    expect(parseDayWord('本周三', '2026-03-08')).toBe('2026-03-04');
  });

  test('what is no day is refused', () => {
    expect(parseDayWord('3月32日', TODAY)).toBeNull();
    expect(parseDayWord('下周八', TODAY)).toBeNull();
    expect(parseDayWord('改天', TODAY)).toBeNull();
  });
});

describe('the words of 调整接访 <编号> …', () => {
  test('改到 with a day word, a slot stuck to it or apart, and a reason', () => {
    expect(parseChangeWords('12 改到 明天上午 参加会议', TODAY)).toEqual({ kind: 'move', sessionId: 12, date: '2026-03-03', slot: '上午', reason: '参加会议' });
    expect(parseChangeWords('#12 改到 下周三 下午', TODAY)).toEqual({ kind: 'move', sessionId: 12, date: '2026-03-11', slot: '下午', reason: null });
    expect(parseChangeWords('12 改到 2026-3-20', TODAY)).toEqual({ kind: 'move', sessionId: 12, date: '2026-03-20', slot: undefined, reason: null });
    expect(parseChangeWords('12 改到 某天', TODAY)).toBe('看不懂日期“某天”。可以写：明天、后天、下周三、12月3日 或 2026-12-03');
  });

  test('换成 a leader, with the outgoing leader named or not', () => {
    expect(parseChangeWords('12 换成 黎嘉禾 外出学习', TODAY)).toEqual({ kind: 'reassign', sessionId: 12, fromName: null, toName: '黎嘉禾', reason: '外出学习' });
    expect(parseChangeWords('12 林启航 换成 黄思源', TODAY)).toEqual({ kind: 'reassign', sessionId: 12, fromName: '林启航', toName: '黄思源', reason: null });
    expect(parseChangeWords('12 改由黄思源接访', TODAY)).toEqual({ kind: 'reassign', sessionId: 12, fromName: null, toName: '黄思源', reason: null });
  });

  test('与 … 对调 as before; anything else is not understood', () => {
    expect(parseChangeWords('12 与 34 对调 陪同检查', TODAY)).toEqual({ kind: 'swap', sessionId: 12, otherId: 34, reason: '陪同检查' });
    expect(parseChangeWords('明天不去了', TODAY)).toBeNull();
  });
});
