import {
  decodeHolidayFile,
  holidayFileConcerns,
  HolidayFileError,
  parseHolidayFile,
  parseHolidayFileText,
  readFileDate,
} from '../../../../src/platform/calendar/domain';

/** The message a person reads for a file, or '' when the file is accepted. */
function refusal(json: unknown): string {
  try {
    parseHolidayFile(json);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(HolidayFileError);
    return (e as Error).message;
  }
}

const NO_ENGLISH = /Invalid|expected|received|Unrecognized|Too (big|small)|Unexpected|JSON at/;

describe('holiday files as people write them', () => {
  test('a UTF-8 byte order mark (Windows Notepad) is fine, as text and as bytes', () => {
    const json = JSON.stringify({ years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }] });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')]);
    const text = decodeHolidayFile(bytes);
    expect(parseHolidayFileText(text)).toEqual({ years: [2027], overrides: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] });
    expect(parseHolidayFileText(`\uFEFF${json}`).years).toEqual([2027]);
  });

  test('a UTF-16 file with its mark is read; a GBK file is refused in Chinese, saying how to save it', () => {
    const json = JSON.stringify({ holidays: [{ date: '2027-01-01', name: '元旦' }] });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    expect(parseHolidayFileText(decodeHolidayFile(utf16)).overrides[0].name).toBe('元旦');
    // "元旦" in GBK is B7 D4 B5 A9: not UTF-8.
    const gbk = Buffer.concat([Buffer.from('{"holidays":[{"date":"2027-01-01","name":"'), Buffer.from([0xd4, 0xaa, 0xb5, 0xa9]), Buffer.from('"}]}')]);
    expect(() => decodeHolidayFile(gbk)).toThrow(/不是 UTF-8 编码.*另存为 UTF-8/);
  });

  test('JSON mistakes say where, in Chinese, and what to look at', () => {
    const text = '{\n  "years": [2027],\n  "holidays": ["2027-01-01",]\n}';
    let msg = '';
    try {
      parseHolidayFileText(text);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^节假日文件不是合法的 JSON（第 3 行第 29 列附近）/);
    expect(msg).toContain('逗号');
    expect(msg).not.toMatch(NO_ENGLISH);
    expect(() => parseHolidayFileText('  ')).toThrow('节假日文件是空的');
    // Chinese quotes typed by an input method: the place, and the hint.
    expect(() => parseHolidayFileText('{\n "holidays": [“2027-01-01”]}')).toThrow(/第 2 行第 15 列附近.*中文标点/);
    expect(() => parseHolidayFileText('{"years": [2027]')).toThrow('第 1 行第 17 列附近');
  });

  test('every shape mistake is told in Chinese with its place: 第 N 项的 date, never zod English', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /整个文件应为一个对象.*实际是列表/],
      [null, /整个文件应为一个对象.*实际是空值 null/],
      [{ years: 2027 }, /years（全年安排的年份）：应为列表 \[…\]，如 \[2027\]，实际是数字 2027/],
      [{ years: ['2027'], holidays: ['2027-01-01'] }, /years（全年安排的年份） 第 1 项：年份应写数字 2027，不加引号/],
      [{ years: [2027.5] }, /years（全年安排的年份） 第 1 项：应为四位数字的年份/],
      [{ years: [1999] }, /years（全年安排的年份） 第 1 项：年份应在 2000 到 2100 之间，实际是 1999/],
      [{ holidays: ['2027-01-01', '2027-01-02', { date: 20270103 }] }, /holidays（放假日） 第 3 项的 date：应为文字（用英文双引号括起），实际是数字 20270103/],
      [{ holidays: [{ dat: '2027-01-01' }] }, /holidays（放假日） 第 1 项的 date：缺少此项；holidays（放假日） 第 1 项：有不认识的字段 “dat”/],
      [{ holidays: [{ date: '2027-01-01', name: '很长'.repeat(20) }] }, /holidays（放假日） 第 1 项的 name：不能超过 32 个字/],
      [{ workdays: [42] }, /workdays（调休上班日） 第 1 项：应为日期（如 "2027-01-01"）.*实际是数字 42/],
      [{ holiday: ['2027-01-01'] }, /不认识的字段 “holiday”（可用的字段：years、holidays、workdays/],
      [{ holidays: [{ from: '2027-02-06' }] }, /holidays（放假日） 第 1 项的 to：缺少此项/],
    ];
    for (const [json, expected] of cases) {
      const msg = refusal(json);
      expect([json, msg]).toEqual([json, expect.stringMatching(expected)]);
      expect([json, msg]).not.toEqual([json, expect.stringMatching(NO_ENGLISH)]);
      expect(msg.startsWith('节假日文件格式不对：')).toBe(true);
    }
  });

  test('a wrong date names its entry and the accepted ways of writing one', () => {
    expect(refusal({ holidays: ['2027-01-01', '2027-02-30'] })).toBe(
      'holidays 第 2 项“2027-02-30”不是有效日期，应写成 2027-01-01（或 2027/1/1、2027年1月1日）',
    );
    expect(refusal({ workdays: [{ date: '明年元旦' }] })).toContain('workdays 第 1 项的 date “明年元旦”不是有效日期');
    expect(refusal({ holidays: ['2027-01-01'], workdays: ['2027-01-01'] })).toContain('2027-01-01 同时被列为放假日（holidays）和调休上班日（workdays）');
    expect(refusal({ years: [2028], holidays: ['2027-01-01'] })).toContain('声明了 2028 年的全年安排（years），却没有列出该年的任何放假日');
  });

  test('dates as people write them, ranges as the notice says them (至), and notes beside the data', () => {
    expect(['2027/1/1', '2027.2.6', '2027年2月6日', ' 2027-02-06 ', '2027年2月6'].map(readFileDate)).toEqual(
      ['2027-01-01', '2027-02-06', '2027-02-06', '2027-02-06', '2027-02-06'],
    );
    expect(readFileDate('2月6日')).toBeNull();
    const f = parseHolidayFile({
      _说明: '国办发明电〔2026〕某号', 来源: '国务院办公厅', $schema: 'x',
      years: [2027],
      holidays: ['2027/1/1', { from: '2027-02-06', to: '2027-02-08', name: '春节' }, '2027-01-01'],
      workdays: ['2027年2月14日'],
    });
    expect(f.overrides).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: undefined },
      { date: '2027-02-06', kind: 'holiday', name: '春节' },
      { date: '2027-02-07', kind: 'holiday', name: '春节' },
      { date: '2027-02-08', kind: 'holiday', name: '春节' },
      { date: '2027-02-14', kind: 'workday', name: undefined },
    ]);
    expect(refusal({ holidays: [{ from: '2027-02-08', to: '2027-02-06' }] })).toContain('from（2027-02-08）晚于 to（2027-02-06）');
    expect(refusal({ holidays: [{ from: '2027-01-01', to: '2027-03-01' }] })).toContain('共 60 天，超过 31 天');
  });
});

describe('what asks for --force', () => {
  const days = (n: number, year: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(year, 0, 1 + i)).toISOString().slice(0, 10));

  test('a year more than two years ahead of the current one, declared or of a day', () => {
    expect(holidayFileConcerns(parseHolidayFile({ years: [2028], holidays: ['2028-01-01'] }), 2026)).toEqual([]);
    const far = holidayFileConcerns(parseHolidayFile({ years: [2029], holidays: ['2029-01-01'] }), 2026);
    expect(far).toEqual([expect.stringContaining('文件涉及 2029 年，比今年（2026 年）晚了两年以上')]);
    expect(holidayFileConcerns(parseHolidayFile({ holidays: ['2037-10-01'] }), 2026)[0]).toContain('2037 年');
  });

  test('more than 60 days off in one year; 60 is still fine, and 调休 days do not count', () => {
    expect(holidayFileConcerns(parseHolidayFile({ holidays: days(60, 2027), workdays: ['2027-06-05'] }), 2026)).toEqual([]);
    const many = holidayFileConcerns(parseHolidayFile({ holidays: days(61, 2027) }), 2026);
    expect(many).toEqual([expect.stringContaining('2027 年列了 61 天放假日，超过 60 天')]);
  });
});
