import { genericSummaryCard } from '../../../src/platform/forms/form-cards';
import { venueReminderCard } from '../../../src/roster/briefing-cards';
import type { SessionView } from '../../../src/roster/session-view';
import { cancelConfirmCard, cancelReasonCard, rejectReasonCard } from '../../../src/roster/change-cards';
import { cancelNoticeCard, conflictCard, declineCard, invitationCard, meetingCard, meetingListCard, scheduleFormCard, taskCard } from '../../../src/consultations/consultation-cards';
import type { MeetingView } from '../../../src/consultations/domain/meeting-view';
import { disputeCard, ledgerCard as disputeLedgerCard, resolveFormCard, savedDisputeCard } from '../../../src/disputes/dispute-cards';
import type { DisputeRecord } from '../../../src/disputes/dispute-store';
import { ledgerCard as reviewLedgerCard, rectifyNoticeCard, rectifyReminderCard, reportToReviewerCard, reviewRecordCard, sampleCard } from '../../../src/reviews/review-cards';
import type { ReviewRow } from '../../../src/reviews/review-store';
import type { ReviewCase } from '../../../src/cases/queries/review-cases';
import { suggestionFormCard } from '../../../src/letters/letter-cards';
import { buildStatsCard } from '../../../src/stats/stats-cards';
import { sampleStatsReport } from '../../stats/stats-report-sample';
import { thirdPartyFormCard, thirdPartyRemoveConfirmCard, thirdPartyRosterCard } from '../../../src/roster/third-party-cards';

/**
 * The card builders the demo flows of bot-cards.e2e.test.ts do not reach, called with sample data
 * as their own card tests build it (keyed "file:builder"): genericSummaryCard belongs to forms
 * without a summary of their own (信访登记 has one), venueReminderCard to the briefings job on
 * the eve of a session with a venue group.
 */
const session: SessionView = {
  id: 21, uid: 'u21@xinfang', date: '2026-10-09', slot: '上午', startTime: '08:30', endTime: '12:00', type: '下访',
  venueId: 'zz-yangcheng', venueName: '阳城镇综治中心', venueKind: 'town', venueTown: '阳城镇', venueAddress: '阳城镇政府大院',
  accompanyUnits: ['阳城镇人民政府', '县自然资源局'], focus: '宅基地确权', capacity: null, status: 'planned', sequence: 0, outcome: null,
  planYear: 2026, ruleId: null, note: null,
  leaders: [
    { id: 'yc1', name: '黎嘉禾', title: '阳城镇党委书记', level: 'town', substituteFor: null },
    { id: 'cty1', name: '林启航', title: '县委书记', level: 'county', substituteFor: null },
  ],
  createdAt: '2026-01-01 00:00:00', updatedAt: '2026-01-01 00:00:00',
};


const meeting: MeetingView = {
  no: 'HS2026-003', kindLabel: '疑难复杂问题会商', subject: '宅基地确权争议，信访人电话139****5678', caseLine: '案件 2026-000123（王**，自然资源）',
  disputeNo: null, when: '2026年12月8日（周二）下午 14:30—17:00', date: '2026-12-08', place: '县信访局三楼会议室', thirdParties: ['律师'],
  statusLabel: '已安排', organiser: '张晓燕',
  invitees: [
    { kind: 'leader', label: '林启航（县委书记）', replyLabel: '参加', reason: null },
    { kind: 'unit', label: '县自然资源局', replyLabel: '不参加', reason: '当天另有*督查*' },
  ],
  minutes: '由县自然资源局牵头复测', tasks: [{ id: 4, ownerLabel: '县自然资源局', content: '完成测量', dueText: '12月20日（周日）', dueDate: '2026-12-20', statusLabel: '办理中', done: false }],
};


const dispute = (i: number, o: Partial<DisputeRecord> = {}): DisputeRecord => ({
  id: i, no: `排2026-${String(i).padStart(4, '0')}`, year: 2026, screening: '定期排查', source: '群诉平台', foundDate: '2026-03-02',
  town: '阳城镇', category: '自然资源', summary: '宅基地边界争执，联系电话 13812345678', risk: '高', unit: '阳城镇人民政府', owner: '李某某',
  parties: [{ name: '欧阳明华', idNumber: '441823199001016015', phone: '13812345678' }], targetDate: '2026-03-20', status: 'open',
  resolution: null, closedDate: null, caseNo: null, registeredBy: 'staff1', createdAt: '2026-03-02 02:00:00.000', updatedAt: '2026-03-02 02:00:00.000', ...o,
});


const review: ReviewRow = {
  id: 3, reviewNo: 'PC2026-0003', sampleId: 1, caseId: 9, caseNo: '2026-000009', caseUnit: '县自然资源局', concludedDate: '2026-09-20',
  status: 'rectifying', problems: ['答复不规范', '超期办结'], note: '答复未写明复查途径，电话13812345678', fixUnit: '县自然资源局', fixDueDate: '2026-10-30', reviewerId: 'staff1',
  reviewedDate: '2026-10-12', rectification: '已重新答复', reportedBy: 'zrj1', closedBy: null, drawnDate: '2026-10-10',
};
const reviewCase: ReviewCase = {
  id: 9, caseNo: '2026-000009', status: 'concluded', name: '王小明', town: '阳城镇', category: '自然资源', unit: '县自然资源局',
  receivedDate: '2026-07-01', concludedDate: '2026-09-20',
};

export const sampleCards: Record<string, () => unknown> = {
  'src/reviews/review-cards.ts:reviewRecordCard': () => reviewRecordCard({ ...review, status: 'pending', problems: [], note: null }, reviewCase, ['答复不规范', '超期办结', '未告知复查权利']),
  'src/reviews/review-cards.ts:rectifyNoticeCard': () => { rectifyNoticeCard(review, reviewCase); return rectifyNoticeCard(review, reviewCase, '整改情况不具体'); },
  'src/reviews/review-cards.ts:reportToReviewerCard': () => reportToReviewerCard(review, reviewCase),
  'src/reviews/review-cards.ts:sampleCard': () => sampleCard({
    sampleId: 1, period: { from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度' }, asked: '10%', seed: 'a1b2', population: 40, alreadyReviewed: 2,
    byUnit: [{ unit: '县自然资源局', available: 30, drawn: 3 }, { unit: '阳城镇人民政府', available: 10, drawn: 1 }], raisedTo: null, reviews: [review],
  }),
  'src/reviews/review-cards.ts:rectifyReminderCard': () => {
    rectifyReminderCard({ review, phase: 'before', timeLeft: '剩余 3 个工作日（3 天）', provisional: false, audience: 'unit' });
    return rectifyReminderCard({ review, phase: 'overdue', timeLeft: '已逾期 1 个工作日', provisional: true, audience: 'bureau' });
  },
  'src/reviews/review-cards.ts:ledgerCard': () => reviewLedgerCard({ from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度' },
    Array.from({ length: 45 }, (_, i) => ({ ...review, id: i + 1, reviewNo: `PC2026-${String(i + 1).padStart(4, '0')}` })),
    { reviewed: 45, withProblems: 45, problems: 90, fixed: 0 } as never, 1),
  'src/letters/letter-cards.ts:suggestionFormCard': () => suggestionFormCard(['县自然资源局', '阳城镇人民政府']),
  'src/disputes/dispute-cards.ts:disputeCard': () => {
    disputeCard(dispute(2, { status: 'escalated', caseNo: '2026-000007', closedDate: '2026-03-10' }), { reveal: true, canResolve: true, canEscalate: true });
    return disputeCard(dispute(1), { reveal: false, canResolve: true, canEscalate: true, timeLeft: '剩余 18 天' });
  },
  'src/disputes/dispute-cards.ts:resolveFormCard': () => resolveFormCard(dispute(1)),
  'src/disputes/dispute-cards.ts:savedDisputeCard': () => savedDisputeCard(dispute(1), false),
  'src/disputes/dispute-cards.ts:ledgerCard': () => disputeLedgerCard({
    scope: '全部', page: 7, again: '排查台账', today: '2026-03-25',
    entries: Array.from({ length: 203 }, (_, i) => dispute(i + 1, i < 196 ? { status: 'resolved', closedDate: '2026-03-10' } : {})),
  }),
  'src/consultations/consultation-cards.ts:invitationCard': () => invitationCard(meeting, { kind: 'unit', label: '县自然资源局' }),
  'src/consultations/consultation-cards.ts:declineCard': () => declineCard(meeting),
  'src/stats/stats-cards.ts:buildStatsCard': () => buildStatsCard(sampleStatsReport({ byTown: Array.from({ length: 40 }, (_, i) => ({ name: `第${i + 1}镇`, count: 100 - i })) })),
  'src/consultations/consultation-cards.ts:cancelNoticeCard': () => cancelNoticeCard(meeting, '主要领导临时有公务，另行通知'),
  'src/consultations/consultation-cards.ts:meetingCard': () => meetingCard(meeting, '已通知 2 方'),
  'src/consultations/consultation-cards.ts:meetingListCard': () => meetingListCard('会商台账', [meeting, { ...meeting, no: 'HS2026-004', minutes: null, tasks: [] }]),
  'src/consultations/consultation-cards.ts:conflictCard': () => conflictCard('会商', meeting.when, [{ leader: '林启航', what: '12月8日（周二）下午 在县群众来访接待中心接访' }], {
    caseNo: '2026-000123', disputeNo: null, subject: null, dateWord: '12月8日', timeWord: '下午', place: '三楼会议室', leaders: ['林启航'], units: ['县自然资源局'], thirdParties: [],
  }, 'consultation'),
  'src/consultations/consultation-cards.ts:scheduleFormCard': () => scheduleFormCard('consultation', '疑难复杂问题会商'),
  'src/consultations/consultation-cards.ts:taskCard': () => { taskCard(meeting, meeting.tasks[0]); return taskCard(meeting, meeting.tasks[0], 'overdue'); },
  'src/platform/forms/form-cards.ts:genericSummaryCard': () =>
    genericSummaryCard({
      title: '请假登记', form: 'leave', rev: 3, notes: ['代班领导当天已有接访安排，请另选'],
      rows: [{ key: 'leader', label: '领导', value: '林启航' }, { key: 'from', label: '开始', value: '2026-03-09' }, { key: 'reason', label: '原因', value: '参加*培训*' }],
    }),
  'src/roster/briefing-cards.ts:venueReminderCard': () => {
    venueReminderCard(session);
    return venueReminderCard({ ...session, date: '2027-03-05' }, true);
  },
  'src/roster/change-cards.ts:cancelConfirmCard': () => cancelConfirmCard(session, '台风预警'),
  'src/roster/change-cards.ts:cancelReasonCard': () => cancelReasonCard(session, '请写明取消原因，这场接访还没有取消。'),
  'src/roster/change-cards.ts:rejectReasonCard': () => rejectReasonCard(7, '林启航申请将2026年3月10日（周二）全天改到2026年3月16日（周一）上午', '请写明驳回理由'),
  'src/roster/third-party-cards.ts:thirdPartyRosterCard': () => thirdPartyRosterCard(
    [{ id: 1, name: '张明远', kind: '律师', organisation: '正衡*律所*', phone: '13900001001', active: true }], new Map([[1, 3]]),
  ),
  'src/roster/third-party-cards.ts:thirdPartyFormCard': () => thirdPartyFormCard(),
  'src/roster/third-party-cards.ts:thirdPartyRemoveConfirmCard': () => thirdPartyRemoveConfirmCard({ id: 3, name: '林书恒', kind: '律师', organisation: '正衡律师事务所', phone: '13800001111', active: true }, 87),
};
