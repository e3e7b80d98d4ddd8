import { chineseDaysData, HolidayCalendar, legalPeriodEnd } from '../../../src/platform/calendar/domain';
import { CaseDates, computeDeadlines, PeriodFn } from '../../../src/cases/domain/case-deadlines';
import {
  allowsAnonymous, anonymousKind, anonymousRefusal, isAnonymousName, isAnonymousPetition, petitionerReachable, PETITIONER_DEADLINES,
} from '../../../src/cases/domain/anonymous-petition';

const cal = new HolidayCalendar(chineseDaysData());
const period: PeriodFn = (trigger, days) => {
  const r = legalPeriodEnd(trigger, days, cal, { rollOverWeekends: true, allowProvisional: true });
  return { lastDay: r.lastDay, provisional: r.provisional };
};
const base: CaseDates = {
  status: 'registered', receivedDate: '2026-03-10', decidedDate: null, assignedDate: null, unit: null, acceptedDate: null,
  extensionDays: null, repliedDate: null, reviewRequestedDate: null, reviewRepliedDate: null, recheckRequestedDate: null, recheckRepliedDate: null,
};
const kinds = (c: CaseDates) => computeDeadlines(c, period).map((d) => `${d.kind}:${d.status}`);
const assigned: CaseDates = { ...base, status: 'assigned', decidedDate: '2026-03-11', assignedDate: '2026-03-11', unit: '县自然资源局' };
const concluded: CaseDates = {
  ...base, status: 'concluded', decidedDate: '2026-03-11', assignedDate: '2026-03-11', unit: '县自然资源局', acceptedDate: '2026-03-12', repliedDate: '2026-04-20',
};
const anonymous = { anonymous: true, phone: null, address: null };

describe('who is anonymous, and where', () => {
  test('the words for “no name”, and only those', () => {
    for (const w of ['匿名', '匿名信', ' 匿名 ', '无名氏', '佚名', '未署名', '不愿透露姓名', '拒绝透露']) expect(isAnonymousName(w)).toBe(true);
    for (const w of ['王匿名', '张三', '匿名举报人李某', '', null]) expect(isAnonymousName(w)).toBe(false);
  });

  test('匿名 without a name, 身份不明 with a name but neither ID number nor phone', () => {
    expect(isAnonymousPetition({ name: '匿名', phone: '13812345678' })).toBe(true);
    expect(isAnonymousPetition({ name: '周某', idNumber: null, phone: null })).toBe(true);
    expect(isAnonymousPetition({ name: '周某', idNumber: null, phone: '13812345678' })).toBe(false);
    expect(anonymousKind('匿名')).toBe('匿名');
    expect(anonymousKind('周某')).toBe('身份不明');
  });

  test('allowed for 来信, 网上信访 and 电话; refused for 来访 and 领导接访, with the field to fill in', () => {
    for (const ch of ['来信', '网上信访', '电话']) {
      expect(allowsAnonymous(ch)).toBe(true);
      expect(anonymousRefusal({ name: '匿名', channel: ch })).toBeNull();
    }
    expect(anonymousRefusal({ name: '匿名', channel: '来访' })).toMatchObject({ field: 'name', reason: expect.stringContaining('不能匿名登记') });
    expect(anonymousRefusal({ name: '王某', channel: '领导接访' })).toMatchObject({
      field: 'idNumber', reason: expect.stringContaining('身份证号和联系电话至少要填写一项'),
    });
    expect(anonymousRefusal({ name: '王某', phone: '13812345678', channel: '来访' })).toBeNull();
  });
});

describe('the deadlines of an anonymous case (《信访工作条例》)', () => {
  test('the kinds owed to the petitioner: 告知 (art. 23) and the windows for 复查/复核 (arts. 35, 36)', () => {
    expect([...PETITIONER_DEADLINES].sort()).toEqual(['acceptance_notice', 'recheck_request', 'review_request']);
  });

  test('交办: no notice to a petitioner who cannot be reached; the bureau’s decision is kept', () => {
    expect(kinds(assigned)).toEqual(['decision:met', 'acceptance_notice:open']);
    expect(kinds({ ...assigned, ...anonymous })).toEqual(['decision:met']);
    expect(kinds({ ...base, ...anonymous })).toEqual(['decision:open']);
  });

  test('handling: the conclusion period runs (art. 34); after the reply no window to ask 复查 opens', () => {
    const handling: CaseDates = { ...assigned, status: 'handling', acceptedDate: '2026-03-12' };
    expect(kinds({ ...handling, ...anonymous })).toEqual(['decision:met', 'conclusion:open']);
    expect(kinds({ ...concluded, ...anonymous })).toEqual(['decision:met', 'conclusion:met']);
    expect(kinds(concluded)).toEqual(['decision:met', 'acceptance_notice:met', 'conclusion:met', 'review_request:open']);
  });

  test('an anonymous petitioner with a phone or a return address can be told: every period counts', () => {
    expect(petitionerReachable({ anonymous: true, address: '阳城镇东街 3 号' })).toBe(true);
    expect(petitionerReachable({ anonymous: true, phone: '13812345678' })).toBe(true);
    expect(petitionerReachable({ anonymous: true, phone: ' ', address: null })).toBe(false);
    expect(petitionerReachable({})).toBe(true);
    expect(kinds({ ...assigned, anonymous: true, address: '阳城镇东街 3 号' })).toEqual(['decision:met', 'acceptance_notice:open']);
  });
});
