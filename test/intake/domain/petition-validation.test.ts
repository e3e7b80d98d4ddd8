import {
  chineseNumeral,
  cleanText,
  parseChoice,
  parseContent,
  parseHeadcount,
  parseName,
  parseReceivedAt,
} from '../../../src/intake/domain/petition-validation';

// 2026-03-10 14:20 in Shanghai
const NOW = new Date('2026-03-10T06:20:00Z');
const reason = (r: unknown) => (r as { reason: string }).reason;

describe('登记时间', () => {
  test('YYYY-MM-DD HH:MM and its cousins, read as Shanghai wall-clock', () => {
    expect(parseReceivedAt('2026-03-09 08:30', NOW)).toEqual({ ok: true, value: '2026-03-09T00:30:00.000Z', display: '3月9日（周一）08:30' });
    expect(parseReceivedAt('2026/3/9 8:30', NOW)).toMatchObject({ ok: true, display: '3月9日（周一）08:30' });
    expect(parseReceivedAt('2026年3月9日 8点30', NOW)).toMatchObject({ ok: true, display: '3月9日（周一）08:30' });
    // The way cards show it reads back; 月日 without a year is this year; 今天 with a time
    expect(parseReceivedAt('3月9日（周一）08:30', NOW)).toMatchObject({ ok: true, value: '2026-03-09T00:30:00.000Z' });
    expect(parseReceivedAt('3月9日 8:30', NOW)).toMatchObject({ ok: true, display: '3月9日（周一）08:30' });
    expect(parseReceivedAt('今天 09:30', NOW)).toMatchObject({ ok: true, display: '3月10日（周二）09:30' });
    // Another year than now's keeps its year
    expect(parseReceivedAt('2025-12-30 08:00', NOW)).toMatchObject({ ok: true, display: '2025年12月30日（周二）08:00' });
  });

  test('今天 is now; 昨天 is yesterday at 09:00 unless a time is given; a past date alone is 09:00', () => {
    expect(parseReceivedAt('今天', NOW)).toEqual({ ok: true, value: NOW.toISOString(), display: '3月10日（周二）14:20' });
    expect(parseReceivedAt('昨天', NOW)).toMatchObject({ ok: true, display: '3月9日（周一）09:00' });
    expect(parseReceivedAt('昨天 15:40', NOW)).toMatchObject({ ok: true, display: '3月9日（周一）15:40' });
    expect(parseReceivedAt('2026-03-01', NOW)).toMatchObject({ ok: true, display: '3月1日（周日）09:00' });
    expect(parseReceivedAt('2026-03-10', NOW)).toMatchObject({ ok: true, display: '3月10日（周二）14:20' });
    // The card's date picker sends the zone along
    expect(parseReceivedAt('2026-03-05 +0800', NOW)).toMatchObject({ ok: true, display: '3月5日（周四）09:00' });
  });

  test('the future, a year back, unreal dates and nonsense are refused with the reason', () => {
    expect(reason(parseReceivedAt('2026-03-10 18:00', NOW))).toContain('不能晚于现在');
    expect(reason(parseReceivedAt('2025-03-01', NOW))).toContain('365天前（2025年3月10日（周一））');
    expect(reason(parseReceivedAt('2025-03-01', NOW))).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(reason(parseReceivedAt('2026-02-30', NOW))).toContain('不是真实存在的日期');
    expect(reason(parseReceivedAt('2026-03-09 25:00', NOW))).toContain('小时');
    expect(reason(parseReceivedAt('上周', NOW))).toContain('格式');
  });
});

describe('人数', () => {
  test('digits, with 人, or small Chinese numerals; 5 or more is a 集体访', () => {
    expect(parseHeadcount('1', 5)).toEqual({ ok: true, value: 1, display: '1人' });
    expect(parseHeadcount('６人', 5)).toEqual({ ok: true, value: 6, display: '6人（集体访）' });
    expect(parseHeadcount('十二', 5)).toMatchObject({ ok: true, value: 12 });
    expect(parseHeadcount('5', 5)).toMatchObject({ display: '5人（集体访）' });
  });

  test('zero, negatives, fractions and words are refused', () => {
    expect(reason(parseHeadcount('0', 5))).toContain('至少为1');
    expect(reason(parseHeadcount('-3', 5))).toContain('正整数');
    expect(reason(parseHeadcount('2.5', 5))).toContain('正整数');
    expect(reason(parseHeadcount('很多', 5))).toContain('数字');
    expect(reason(parseHeadcount('100000', 5))).toContain('不能超过');
  });

  test('Chinese numerals up to 九十九', () => {
    expect([chineseNumeral('十'), chineseNumeral('两'), chineseNumeral('二十'), chineseNumeral('九十九'), chineseNumeral('百')]).toEqual([10, 2, 20, 99, null]);
  });
});

describe('choices from config', () => {
  const towns = ['阳城镇', '七拱镇', '秤架瑶族乡', '县直'];
  test('by name, number, alias, or a part that fits one entry', () => {
    expect(parseChoice('七拱镇', towns, '问题属地')).toMatchObject({ ok: true, value: '七拱镇' });
    expect(parseChoice('2', towns, '问题属地')).toMatchObject({ ok: true, value: '七拱镇' });
    expect(parseChoice('秤架', towns, '问题属地')).toMatchObject({ ok: true, value: '秤架瑶族乡' });
    expect(parseChoice('来电', ['来信', '电话'], '信访形式', { 来电: '电话' })).toMatchObject({ ok: true, value: '电话' });
  });

  test('anything else is refused with the list', () => {
    expect(reason(parseChoice('火星', towns, '问题属地'))).toMatch(/不是可选的问题属地.*阳城镇、七拱镇/);
    expect(reason(parseChoice('9', towns, '问题属地'))).toContain('1–4');
    expect(reason(parseChoice('镇', towns, '问题属地'))).toContain('可能是');
  });
});

describe('text', () => {
  test('names are one line, without digits, at most 32 characters', () => {
    expect(parseName('  王 某某 ')).toMatchObject({ ok: true, value: '王 某某' });
    expect(reason(parseName('王某 13812345678'))).toContain('数字');
    expect(reason(parseName('王'.repeat(40)))).toContain('32');
    expect(reason(parseName('   '))).toContain('请填写');
  });

  test('事项内容 keeps lines and SQL-looking text verbatim, and has a limit it says', () => {
    const sql = "'; DROP TABLE cases; -- 要求退还\n多收的\"水费\"";
    expect(parseContent(`  ${sql}\r\n`, 5000)).toMatchObject({ ok: true, value: sql });
    expect(reason(parseContent('好', 5000))).toContain('至少5个字');
    const r = parseContent('字'.repeat(10000), 5000);
    expect(reason(r)).toContain('最多5000字');
    expect(reason(r)).toContain('10000字');
    expect(parseContent('字'.repeat(5000), 5000)).toMatchObject({ ok: true });
  });

  test('control characters go, emoji count as one character', () => {
    expect(cleanText('a\u0000b\u0007c\td', true)).toBe('abc\td');
    expect(parseContent('😀'.repeat(5), 5)).toMatchObject({ ok: true });
  });
});

