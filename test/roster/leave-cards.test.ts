import { leaveOffersCard, MAX_LEAVE_OFFERS } from '../../src/roster/leave-cards';
import type { LeaveImpactReport, LeaveOffer } from '../../src/roster/leave-view';
import type { SessionView } from '../../src/roster/session-view';
import type { RosterLeader } from '../../src/roster/domain';
import { buttonValue, readable } from '../helpers/app';
import { cardHeader } from '../helpers/cards';

const leader: RosterLeader = { id: 'cty1', name: '林启航', level: 'county', title: '县委书记', towns: [], deputyId: 'cty2', sortOrder: 1, active: true };
const deputy = { id: 'cty2', name: '周庭远', title: '县长' };

function session(id: number, date: string): SessionView {
  return {
    id, uid: `u${id}@xinfang`, date, slot: '上午', startTime: '08:30', endTime: '12:00', type: '接访',
    venueId: 'county-center', venueName: '县群众来访接待中心', venueKind: 'center', venueTown: null, venueAddress: null,
    accompanyUnits: [], focus: null, capacity: null, status: 'planned', sequence: 0, outcome: null, planYear: Number(date.slice(0, 4)),
    ruleId: null, note: null, leaders: [{ id: 'cty1', name: '林启航', title: '县委书记', level: 'county', substituteFor: null }],
    createdAt: '2026-01-01 00:00:00', updatedAt: '2026-01-01 00:00:00',
  };
}

function offer(id: number, date: string, over: Partial<LeaveOffer> = {}): LeaveOffer {
  return {
    session: session(id, date), deputy, deputyProblems: [], moveTo: '2027-03-16', provisional: false,
    window: { start: '2027-03-01', end: '2027-03-31', label: '同一月', span: '3月1日—3月31日' }, ...over,
  };
}

function report(offers: LeaveOffer[]): LeaveImpactReport {
  return { leave: { leaderId: 'cty1', from: '2027-03-09', to: '2027-03-13', reason: '参加培训', deputyId: null }, leader, deputy, offers, sentTo: 0 };
}

const reply = (c: Record<string, unknown>) => [{ type: 'card' as const, card: c }];

describe('the leave card for the admin', () => {
  test('each session planned in the leave, with 由代班领导接访 and 改期 buttons; 暂定 where the year is unknown', () => {
    const c = leaveOffersCard(report([offer(12, '2027-03-10', { provisional: true })]));
    expect(cardHeader(c).title.content).toBe('林启航请假期间的接访安排（1 场）');
    expect(cardHeader(c).subtitle!.content).toBe('2027年3月9日（周二）至2027年3月13日（周六）（参加培训）');
    const t = readable(reply(c));
    expect(t).toContain('2027年3月10日（周三）上午 08:30—12:00 县群众来访接待中心 · 接访〔暂定〕 〔编号 12〕');
    expect(t).toContain('点击按钮后才会调整');
    expect(buttonValue(reply(c), '由代班领导周庭远接访')).toEqual({ action: 'roster.leave.deputy', sessionId: 12, leaderId: 'cty1' });
    expect(buttonValue(reply(c), '改期到2027年3月16日（周二）')).toEqual({ action: 'roster.leave.move', sessionId: 12, leaderId: 'cty1', date: '2027-03-16' });
  });

  test('no button where nothing can be done, and the reason instead', () => {
    const c = leaveOffersCard(report([
      offer(12, '2027-03-10', { deputy: null, moveTo: null }),
      offer(13, '2027-03-11', { deputyProblems: ['周庭远在2027年3月11日（周四）上午（编号 20）已有接访安排'] }),
    ]));
    const t = readable(reply(c));
    expect(t).toContain('未指定代班领导');
    expect(t).toContain('同一月内（3月1日—3月31日）没有可改的工作日');
    expect(t).toContain('代班领导周庭远不能接替：周庭远在2027年3月11日（周四）上午（编号 20）已有接访安排');
    expect(buttonValue(reply(c), '由代班领导')).toBeNull();
    expect(buttonValue(reply(c), '改期到')).toEqual(expect.objectContaining({ sessionId: 13 }));
  });

  test('a leave with nothing planned says so; a long leave lists the first sessions and how to reach the rest', () => {
    expect(readable(reply(leaveOffersCard(report([]))))).toContain('请假期间没有已安排的接访，无需调整。');
    const many = Array.from({ length: MAX_LEAVE_OFFERS + 3 }, (_, i) => offer(100 + i, '2027-03-10'));
    const t = readable(reply(leaveOffersCard(report(many))));
    expect(t).toContain('另有 3 场未列出');
    expect(t).not.toContain(`编号 ${100 + MAX_LEAVE_OFFERS}〕`);
  });
});
