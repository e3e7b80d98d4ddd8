import { likelyCaseNo, parseMeetingText, resolveWhen } from '../../../src/consultations/domain/meeting-request';
import { parseMeetingTime } from '../../../src/consultations/domain/meeting-time';

const isCaseNo = (s: string) => /^\d{4}-\d{6}$/.test(s);

describe('reading 会商 …', () => {
  test('a case number, a day and a time before the labelled parts', () => {
    const r = parseMeetingText('2026-000123 12月8日 下午 地点：三楼会议室 领导：李国强、王芳 单位：县自然资源局 第三方：律师', isCaseNo);
    expect(r).toMatchObject({
      caseNo: '2026-000123', dateWord: '12月8日', timeWord: '下午', place: '三楼会议室',
      leaders: ['李国强', '王芳'], units: ['县自然资源局'], thirdParties: ['律师'], subject: null, unknownNo: null,
    });
  });

  test('a number that is no case number is never the subject', () => {
    for (const typo of ['2026-00032', '2026-9999999', '2026-1']) {
      const r = parseMeetingText(`${typo} 12月8日 下午 地点：三楼会议室`, isCaseNo);
      expect(r.unknownNo).toBe(typo);
      expect(r.subject).toBeNull();
      expect(r.caseNo).toBeNull();
    }
  });

  test('a dispute number with 排 is the dispute; a date written with a dash is a date', () => {
    expect(parseMeetingText('排2026-0001 12-08 下午 地点：会议室', isCaseNo)).toMatchObject({ disputeNo: '排2026-0001', dateWord: '12-08', unknownNo: null });
  });

  test('the day and time written after a labelled subject, place or list belong to the meeting', () => {
    expect(parseMeetingText('事项：征地补偿标准争议 3月2日 上午10点 地点：三楼会议室', isCaseNo)).toMatchObject({
      subject: '征地补偿标准争议', dateWord: '3月2日', timeWord: '上午10点', place: '三楼会议室',
    });
    expect(parseMeetingText('事项：征地补偿 地点：三楼会议室 领导：李国强 12月8日下午', isCaseNo)).toMatchObject({
      dateWord: '12月8日', timeWord: '下午', leaders: ['李国强'],
    });
    // A day given first stays; a date inside the subject is kept when the meeting has its own.
    expect(parseMeetingText('12月8日 下午 事项：3月2日来访事件的处理', isCaseNo)).toMatchObject({ dateWord: '12月8日', subject: '3月2日来访事件的处理' });
  });

  test('a clock time that does not exist is kept as the time, to be refused by name', () => {
    const r = parseMeetingText('事项：征地 12月8日 25:00 地点：会议室', isCaseNo);
    expect(r.timeWord).toBe('25:00');
    expect(parseMeetingTime('25:00')).toBeNull();
    expect(resolveWhen(r, '2026-12-01', '10:00')).toEqual({ error: expect.stringContaining('看不懂时间“25:00”') });
  });

  test('a time already past today is refused; later today is fine', () => {
    const req = parseMeetingText('事项：征地 今天 上午9点 地点：会议室', isCaseNo);
    expect(resolveWhen(req, '2026-12-01', '10:00')).toEqual({ error: expect.stringContaining('不能早于现在') });
    expect(resolveWhen({ ...req, timeWord: '下午3点' }, '2026-12-01', '10:00')).toEqual({ date: '2026-12-01', time: { slot: '下午', start: '15:00', end: '17:00' } });
  });

  test('the case number a short one most likely meant', () => {
    expect(likelyCaseNo('2026-0001')).toBe('2026-000001');
    expect(likelyCaseNo('2026-00032')).toBe('2026-000032');
    expect(likelyCaseNo('2026-9999999')).toBeNull();
    expect(likelyCaseNo('2026-0')).toBeNull();
  });
});

describe('issue 16 trial: times and days that cannot be', () => {
  test('an end before its start written as HH:MM is not moved to the evening', () => {
    expect(parseMeetingTime('14:00-11:00')).toBeNull();
    expect(parseMeetingTime('14:00-16:00')).toMatchObject({ start: '14:00', end: '16:00' });
    expect(parseMeetingTime('下午2点至4点')).toMatchObject({ start: '14:00', end: '16:00' });
    const r = resolveWhen({ ...parseMeetingText('3月6日 14:00-11:00', isCaseNo) }, '2026-02-20', '10:00');
    expect(r).toEqual({ error: expect.stringContaining('结束时间不能早于开始时间') });
  });

  test('2月30日 is a day that does not exist, not a missing day', () => {
    const req = parseMeetingText('事项：征地 2月30日 下午 地点：会议室', isCaseNo);
    expect(req.dateWord).toBe('2月30日');
    expect(resolveWhen(req, '2026-02-20', '10:00')).toEqual({ error: expect.stringContaining('没有2月30日这一天') });
  });
});
