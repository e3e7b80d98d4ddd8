import {
  formatChineseDateTime,
  formatShanghaiDateTime,
  SHANGHAI_OFFSET,
  SHANGHAI_OFFSET_MS,
  shanghaiDate,
  shanghaiInstant,
  shanghaiTime,
} from '../../../../src/platform/calendar/domain';

describe('Shanghai wall clock: one offset, one way to write an instant', () => {
  // 17:30 UTC on 8 October is 01:30 on Friday 9 October in Shanghai: the date moves with the offset.
  const instant = new Date('2026-10-08T17:30:00Z');

  test('the offset is UTC+8, in milliseconds and as ISO 8601 writes it', () => {
    expect(SHANGHAI_OFFSET_MS).toBe(8 * 3600_000);
    expect(SHANGHAI_OFFSET).toBe('+08:00');
    expect(shanghaiInstant('2026-10-09', '01:30').toISOString()).toBe(instant.toISOString());
  });

  test('date and time on a Shanghai clock', () => {
    expect(shanghaiDate(instant)).toBe('2026-10-09');
    expect(shanghaiTime(instant)).toBe('01:30');
    expect(formatShanghaiDateTime(instant)).toBe('2026-10-09 01:30');
  });

  test('an instant in a Chinese sentence, with or without the weekday', () => {
    expect(formatChineseDateTime(instant)).toBe('2026年10月9日（周五） 01:30');
    expect(formatChineseDateTime(instant, false)).toBe('2026年10月9日 01:30');
  });
});
