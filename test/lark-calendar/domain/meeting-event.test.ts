import { desiredMeetingEvent, type MeetingForEvent } from '../../../src/lark-calendar/domain';

const meeting = (o: Partial<MeetingForEvent> = {}): MeetingForEvent => ({
  no: 'HS2026-001', kindLabel: '联席会议', subject: '七拱镇自然资源问题（案件 2026-000001）', caseNo: '2026-000001', disputeNo: null,
  date: '2026-03-04', startTime: '14:30', endTime: '17:00', place: '县信访局三楼会议室', units: ['县自然资源局'], thirdParties: [],
  cancelled: false, attendeeIds: ['ou_b1', 'console-user', 'ou_a1', 'ou_b1'], ...o,
});

describe('a meeting as a Lark event', () => {
  test('title with kind and number, Shanghai timestamps, open_id attendees only, once each, in order', () => {
    const e = desiredMeetingEvent(meeting());
    expect(e.body!.summary).toBe('联席会议 HS2026-001：七拱镇自然资源问题（案件 2026-000001）');
    expect(e.body!.start_time).toEqual({ timestamp: String(Date.parse('2026-03-04T06:30:00Z') / 1000), timezone: 'Asia/Shanghai' });
    expect(e.body!.end_time.timestamp).toBe(String(Date.parse('2026-03-04T09:00:00Z') / 1000));
    expect(e.attendees).toEqual(['ou_a1', 'ou_b1']);
    expect(e.body!.description).toContain('关联案件：2026-000001');
    expect(e.body!.description).not.toContain('第三方力量');
  });

  test('the key changes with what Lark should show (a move, an attendee), not otherwise; a cancelled meeting has no event', () => {
    const key = desiredMeetingEvent(meeting()).key;
    expect(desiredMeetingEvent(meeting()).key).toBe(key);
    expect(desiredMeetingEvent(meeting({ date: '2026-03-05' })).key).not.toBe(key);
    expect(desiredMeetingEvent(meeting({ attendeeIds: ['ou_a1'] })).key).not.toBe(key);
    expect(desiredMeetingEvent(meeting({ cancelled: true }))).toEqual({ body: null, attendees: [], key: 'cancelled' });
  });
});
