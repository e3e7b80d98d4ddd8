import { genericSummaryCard } from '../../../src/platform/forms/form-cards';
import { venueReminderCard } from '../../../src/roster/briefing-cards';
import type { SessionView } from '../../../src/roster/session-view';

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

export const sampleCards: Record<string, () => unknown> = {
  'src/platform/forms/form-cards.ts:genericSummaryCard': () =>
    genericSummaryCard({
      title: '请假登记', form: 'leave', rev: 3, notes: ['代班领导当天已有接访安排，请另选'],
      rows: [{ key: 'leader', label: '领导', value: '林启航' }, { key: 'from', label: '开始', value: '2026-03-09' }, { key: 'reason', label: '原因', value: '参加*培训*' }],
    }),
  'src/roster/briefing-cards.ts:venueReminderCard': () => {
    venueReminderCard(session);
    return venueReminderCard({ ...session, date: '2027-03-05' }, true);
  },
};
