import { auditLabel, AuditLabelInput } from '../../../src/cases/domain/audit-labels';
import { CASE_ACTIONS } from '../../../src/cases/domain/case-lifecycle';

const at = new Date('2026-12-01T01:30:00Z'); // Tue 09:30 in Shanghai
const entry = (over: Partial<AuditLabelInput>): AuditLabelInput => ({
  action: 'register', fromStatus: null, toStatus: 'registered', actorId: 'xiaoyan', actorName: '张晓燕', reason: null, data: null, at, ...over,
});

describe('an audit entry as a sentence', () => {
  test('when, who, what, from which state to which, and why', () => {
    expect(auditLabel(entry({}), { today: '2026-12-02' })).toBe('12月1日（周二）09:30，张晓燕登记了案件，状态为“已登记”。');
    expect(auditLabel(entry({ action: 'assign', fromStatus: 'registered', toStatus: 'assigned', data: { unit: '县自然资源局' } }))).toBe(
      '2026年12月1日（周二）09:30，张晓燕把案件交办给县自然资源局，状态由“已登记”变为“已交办”。',
    );
    expect(
      auditLabel(entry({ action: 'unitReturn', fromStatus: 'assigned', toStatus: 'registered', actorName: '周海', reason: '不属本单位职责', data: { unit: '县交通运输局' } }), { today: '2026-12-01' }),
    ).toBe('12月1日（周二）09:30，周海把案件从县交通运输局退回信访局，状态由“已交办”变为“已登记”，理由：不属本单位职责。');
    expect(auditLabel(entry({ action: 'extend', fromStatus: 'handling', toStatus: 'handling', reason: '需现场勘测', data: { days: 30 } }), { today: '2026-01-01' })).toBe(
      '12月1日（周二）09:30，张晓燕延长办结期限 30 日，理由：需现场勘测。',
    );
    expect(auditLabel(entry({ action: 'conclude', fromStatus: 'handling', toStatus: 'concluded', reason: '已协调解决' }), { today: '2026-12-01' })).toContain(
      '办结并答复信访人，状态由“办理中”变为“已办结”，答复摘要：已协调解决。',
    );
  });

  test('a reason that is a sentence of its own gets no second 。, and a leading ：of an old entry is dropped', () => {
    const reject = (reason: string) => auditLabel(entry({ action: 'reject', fromStatus: 'registered', toStatus: 'not_accepted', reason }), { today: '2026-12-01' });
    expect(reject('：已经人民法院判决。')).toBe('12月1日（周二）09:30，张晓燕决定不予受理，状态由“已登记”变为“不予受理”，理由：已经人民法院判决。');
    expect(reject('情况紧急！')).toMatch(/理由：情况紧急！$/);
    expect(reject('已经人民法院判决')).toMatch(/理由：已经人民法院判决。$/);
  });

  test('another year keeps its year; the bot is 系统; a leader of 包案 by name', () => {
    expect(auditLabel(entry({}), { today: '2027-01-05' })).toMatch(/^2026年12月1日（周二）09:30，/);
    const own = entry({ action: 'own', fromStatus: 'handling', toStatus: 'handling', data: { leaderId: 'li', previous: null } });
    expect(auditLabel(own, { nameOf: (id) => (id === 'li' ? '黄振华' : null) })).toContain('张晓燕确定包案领导为黄振华。');
    const system = entry({
      action: 'flag_letter', fromStatus: 'assigned', toStatus: 'assigned', actorId: 'system', actorName: null, reason: '逾期 3 个工作日，建议发督办函',
      data: { letter: '督办函', kind: 'acceptance_notice', dueDate: '2026-11-26', overdueWorkingDays: 3 },
    });
    expect(auditLabel(system, { today: '2026-12-01' })).toBe('12月1日（周二）09:30，系统提示需发督办函：告知受理期限（11月26日（周四）到期）已逾期 3 个工作日。');
  });

  test('letters, moved deadlines and an unknown action read as Chinese, with personal data masked', () => {
    const letter = entry({
      action: 'letter', fromStatus: 'assigned', toStatus: 'assigned', reason: '督办函 乳信督〔2026〕3号',
      data: { type: '督办函', number: '乳信督〔2026〕3号', kind: 'acceptance_notice', dueDate: '2026-11-26', unit: '县自然资源局' },
    });
    expect(auditLabel(letter, { today: '2026-12-01' })).toBe(
      '12月1日（周二）09:30，张晓燕向县自然资源局发出督办函 乳信督〔2026〕3号，事由：告知受理期限（11月26日（周四））。',
    );
    const moved = entry({
      action: 'deadline_moved', fromStatus: 'handling', toStatus: 'handling', actorId: 'system', actorName: null, reason: '办结期限：10月1日改为法定节假日',
      data: { kind: 'conclusion', from: '2026-10-01', to: '2026-10-08', reason: '10月1日改为法定节假日' },
    });
    expect(auditLabel(moved, { today: '2026-12-01' })).toBe(
      '12月1日（周二）09:30，系统因节假日安排调整，把办结期限从10月1日（周四）改为10月8日（周四），原因：10月1日改为法定节假日。',
    );
    const unknown = auditLabel(entry({ action: 'mark_anonymous', fromStatus: 'registered', toStatus: 'registered', reason: '来电 13812345678' }));
    expect(unknown).toContain('张晓燕进行了一项其他办理操作，说明：来电 138****5678。');
    expect(unknown).not.toContain('mark_anonymous');
  });

  test('every transition of the lifecycle has its own sentence, with no code in it', () => {
    const seen = new Set<string>();
    for (const action of [...CASE_ACTIONS, 'register', 'letter', 'flag_letter', 'deadline_moved']) {
      const label = auditLabel(entry({ action, fromStatus: 'handling', toStatus: 'handling', reason: '说明文字' }), { today: '2026-12-01' });
      expect(label).not.toMatch(/[A-Za-z_]/);
      expect(label).not.toContain('其他办理操作');
      seen.add(label);
    }
    expect(seen.size).toBe(CASE_ACTIONS.length + 4);
  });
});
